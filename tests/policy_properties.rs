//! Property tests of the core's decisions: when and how long to wait
//! before a retry, the polling schedule of waits, and which pages a walk
//! over a list fetches (with any pagination keys absent).
//! `PROPTEST_CASES=N` runs every property with N cases.
#![cfg(not(target_arch = "wasm32"))]

mod common;
use std::time::{Duration, UNIX_EPOCH};

use common::gen::*;
use common::{check, report};
use katapult_wasm::config;
use katapult_wasm::error::{codes, Error};
use katapult_wasm::paginate::{self, Pagination, Plan, MAX_PAGES};
use katapult_wasm::retry::{self, Decision, Failure};
use katapult_wasm::wait::{self, Schedule, WaitOptions};
use proptest::prelude::*;

fn any_f64() -> BoxedStrategy<f64> {
    prop_oneof![
        2 => 0.0f64..1.0,
        1 => any::<f64>(),
        1 => prop::sample::select(
            &[0.0, -0.0, 1.0, 0.999_999_999_999_999_9, -1.0, 7.0, f64::NAN, f64::INFINITY, f64::NEG_INFINITY, f64::MAX, f64::MIN_POSITIVE][..]
        ),
    ]
    .boxed()
}

fn retry_after_header() -> BoxedStrategy<String> {
    prop_oneof![
        3 => (0u32..200).prop_map(|s| s.to_string()),
        1 => "[0-9]{1,12}",
        1 => "-?[0-9]{0,4}\\.[0-9]{0,4}",
        1 => prop::sample::select(
            &["NaN", "inf", "-inf", "infinity", "1e400", "-0", " 3 ", "\t5\n", "", "soon", "1e-400", "+5", "0x10", ".0", "0005", "99999999999999999999999", "1_000", "\u{a0}7", "٣"][..]
        ).prop_map(str::to_owned),
        2 => (0u64..=253_402_300_799).prop_map(|t| httpdate::fmt_http_date(UNIX_EPOCH + Duration::from_secs(t))),
        2 => http_date_like(),
        3 => http_date_forms(),
        1 => text(),
    ]
    .boxed()
}

/// A real date in each of the three HTTP date forms (so the weekday is
/// right), as written or with one byte changed.
fn http_date_forms() -> BoxedStrategy<String> {
    (
        0u64..=253_402_300_799,
        0usize..3,
        proptest::option::of((any::<prop::sample::Index>(), 0x20u8..0x7f)),
    )
        .prop_map(|(t, form, edit)| {
            // "Sun, 06 Nov 1994 08:49:37 GMT"
            let imf = httpdate::fmt_http_date(UNIX_EPOCH + Duration::from_secs(t));
            let (wd, day, mon, year, clock) = (
                &imf[0..3],
                &imf[5..7],
                &imf[8..11],
                &imf[12..16],
                &imf[17..25],
            );
            let long = [
                "Monday",
                "Tuesday",
                "Wednesday",
                "Thursday",
                "Friday",
                "Saturday",
                "Sunday",
            ]
            .into_iter()
            .find(|d| d.starts_with(wd))
            .unwrap_or("Monday");
            let mut date = match form {
                0 => imf.clone(),
                1 => format!("{long}, {day}-{mon}-{} {clock} GMT", &year[2..]),
                _ => format!(
                    "{wd} {mon} {:>2} {clock} {year}",
                    day.trim_start_matches('0')
                ),
            };
            if let Some((at, byte)) = edit {
                let i = at.index(date.len());
                date.replace_range(i..=i, &char::from(byte).to_string());
            }
            date
        })
        .boxed()
}

/// Strings shaped like the three HTTP date formats, with any digits.
fn http_date_like() -> BoxedStrategy<String> {
    prop_oneof![
        "(Mon|Tue|Wed|Thu|Fri|Sat|Sun|Xyz), [0-9]{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec|Foo) [0-9]{4} [0-9]{2}:[0-9]{2}:[0-9]{2} (GMT|UTC)",
        "(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday), [0-9]{2}-(Jan|Feb|Nov|Dec)-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2} GMT",
        "(Mon|Sun|Fri) (Jan|Feb|Nov|Dec) [ 0-9][0-9] [0-9]{2}:[0-9]{2}:[0-9]{2} [0-9]{4}",
    ]
    .boxed()
}

/// The retry rule as documented: 429 and 503 for every method, network
/// errors and attempt timeouts for idempotent requests only.
fn retryable(code: &str, status: u16, idempotent: bool) -> bool {
    match code {
        codes::RATE_LIMIT_REACHED | codes::SERVICE_UNAVAILABLE => status == 429 || status == 503,
        codes::NETWORK_ERROR | codes::TIMEOUT => idempotent && status == 0,
        _ => false,
    }
}

fn ceiling(retries_done: u32) -> u32 {
    (retry::BASE_DELAY_MS as u64 * (1u64 << retries_done.min(16)))
        .min(u64::from(retry::MAX_DELAY_MS)) as u32
}

#[test]
fn policy_retry() {
    let code = prop_oneof![
        4 => prop::sample::select(
            &[codes::RATE_LIMIT_REACHED, codes::SERVICE_UNAVAILABLE, codes::NETWORK_ERROR, codes::TIMEOUT,
              codes::ABORTED, codes::INVALID_RESPONSE, codes::INVALID_ARGUMENT, "virtual_machine_not_found"][..]
        ).prop_map(str::to_owned),
        1 => text(),
    ];
    let status = prop_oneof![
        3 => prop::sample::select(&[0u16, 200, 400, 429, 500, 502, 503][..]),
        1 => any::<u16>(),
    ];
    let count = prop_oneof![3 => 0u32..12, 1 => any::<u32>()];
    let decisions = check(
        "retry::decide",
        5_000,
        (
            code,
            status,
            prop::option::of(retry_after_header()),
            count.clone(),
            count,
            any::<bool>(),
            any_f64(),
            prop_oneof![0.0f64..4e12, any::<f64>()],
        ),
        |(code, status, header, done, max, idempotent, random, now)| {
            let error = Error {
                status,
                ..Error::client(&code, "x")
            };
            let failure = Failure {
                error: &error,
                retry_after: header.as_deref(),
            };
            let d = retry::decide(&failure, done, max, idempotent, random, now);
            prop_assert_eq!(
                retry::is_retryable(&error, idempotent),
                retryable(&code, status, idempotent)
            );
            let parsed = header
                .as_deref()
                .and_then(|h| retry::retry_after_ms(h, now));
            let expected = if done >= max || !retryable(&code, status, idempotent) {
                Decision::GiveUp
            } else {
                match parsed {
                    Some(ms) if ms <= retry::MAX_RETRY_AFTER_MS => Decision::RetryAfter(ms),
                    Some(_) => Decision::GiveUp,
                    None => Decision::RetryAfter(retry::jittered_backoff(done, random)),
                }
            };
            prop_assert_eq!(d, expected);
            if let Decision::RetryAfter(ms) = d {
                prop_assert!(done < max, "never retries past max_retries");
                prop_assert!(ms <= retry::MAX_RETRY_AFTER_MS);
                if parsed.is_none() {
                    prop_assert!(ms <= retry::MAX_DELAY_MS);
                }
            }
            // A whole retry loop with a validated maxRetries: at most that
            // many retries, however the attempts fail.
            let max = max % (config::MAX_RETRIES_LIMIT + 1);
            let mut retries = 0;
            while let Decision::RetryAfter(_) =
                retry::decide(&failure, retries, max, idempotent, random, now)
            {
                retries += 1;
                prop_assert!(retries <= max);
            }
            Ok(())
        },
    );
    let backoff = check(
        "retry::jittered_backoff",
        5_000,
        (prop_oneof![0u32..40, any::<u32>()], any_f64(), any_f64()),
        |(n, r1, r2)| {
            let b = retry::jittered_backoff(n, r1);
            let c = ceiling(n);
            prop_assert!(b <= retry::MAX_DELAY_MS, "backoff {} > 30 s", b);
            prop_assert!(b <= c);
            if (0.0..1.0).contains(&r1) {
                prop_assert!(b < c || c == 0, "full jitter is below the ceiling");
            }
            if !r1.is_finite() || r1 <= 0.0 {
                prop_assert_eq!(b, 0);
            }
            if r1.is_finite() && r1 >= 1.0 {
                prop_assert_eq!(b, c);
            }
            // Monotone in the random number and in the retry count.
            if r1.is_finite() && r2.is_finite() {
                let (lo, hi) = if r1 <= r2 { (r1, r2) } else { (r2, r1) };
                prop_assert!(retry::jittered_backoff(n, lo) <= retry::jittered_backoff(n, hi));
                prop_assert!(
                    retry::jittered_backoff(n, r1)
                        <= retry::jittered_backoff(n.saturating_add(1), r1)
                );
            }
            Ok(())
        },
    );
    let seconds = check(
        "retry::retry_after_ms, seconds",
        2_000,
        (
            0u32..=5_000_000,
            prop::sample::select(&["", " ", "\t", "\n "][..]),
            any_f64(),
        ),
        |(s, pad, now)| {
            let header = format!("{pad}{s}{pad}");
            let expected = (u64::from(s) * 1000).min(u64::from(u32::MAX)) as u32;
            prop_assert_eq!(retry::retry_after_ms(&header, now), Some(expected));
            prop_assert_eq!(retry::retry_after_ms(&format!("-{s}.5"), now), None);
            Ok(())
        },
    );
    let dates = check(
        "retry::retry_after_ms, HTTP dates",
        2_000,
        (
            0u64..=253_402_300_799,
            prop_oneof![0.0f64..2.6e14, any::<f64>()],
        ),
        |(t, now)| {
            let header = httpdate::fmt_http_date(UNIX_EPOCH + Duration::from_secs(t));
            let got = retry::retry_after_ms(&header, now);
            let expected = (t as f64 * 1000.0 - now).clamp(0.0, f64::from(u32::MAX)) as u32;
            prop_assert_eq!(got, Some(expected), "{} at {}", header, now);
            Ok(())
        },
    );
    let anything = check(
        "retry::retry_after_ms, any header",
        3_000,
        (
            prop_oneof![retry_after_header(), http_date_like(), any_text()],
            any::<f64>(),
        ),
        |(header, now)| {
            // Documented: delay-seconds are whole seconds (digits only, as
            // RFC 9110 defines them; too many is as good as u32::MAX ms),
            // else an HTTP date, else nothing.
            let got = retry::retry_after_ms(&header, now);
            let value = header.trim();
            if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
                let ms = value.parse::<u128>().map_or(u128::MAX, |s| s * 1000);
                prop_assert_eq!(got, Some(u32::try_from(ms).unwrap_or(u32::MAX)));
            } else if let Ok(when) = httpdate::parse_http_date(value) {
                let when = when
                    .duration_since(UNIX_EPOCH)
                    .unwrap_or_default()
                    .as_millis() as f64;
                let expected = (when - now).clamp(0.0, f64::from(u32::MAX)) as u32;
                prop_assert_eq!(got, Some(expected), "{:?} at {}", header, now);
            } else {
                prop_assert_eq!(got, None, "neither seconds nor a date: {:?}", header);
            }
            Ok(())
        },
    );
    report(
        "policy: retry",
        &[
            ("decide", decisions),
            ("jittered_backoff", backoff),
            ("retry_after seconds", seconds),
            ("retry_after dates", dates),
            ("retry_after any", anything),
        ],
    );
}

#[test]
fn policy_wait_schedule() {
    let ms = prop_oneof![
        3 => 1u32..5_000,
        2 => 1u32..=wait::LIMIT_MS,
        1 => prop::sample::select(&[1u32, 9_999, 10_000, 10_001, wait::LIMIT_MS][..]),
    ]
    .boxed();
    let lag = prop_oneof![
        6 => 0.0f64..50.0,
        2 => 0.0f64..1e6,
        1 => -1e4f64..0.0,
        1 => any::<f64>(),
    ];
    let n = check(
        "wait::Schedule",
        4_000,
        (
            ms.clone(),
            ms,
            prop_oneof![4 => 0.0f64..4e12, 1 => any::<f64>()],
            prop::collection::vec(lag, 0..60),
        ),
        |(interval_ms, timeout_ms, start, lags)| {
            let options = WaitOptions {
                interval_ms,
                timeout_ms,
            };
            let mut s = Schedule::new(options, start);
            let deadline = start + f64::from(timeout_ms);
            prop_assert!(s.deadline_ms() == deadline || deadline.is_nan());
            let cap = interval_ms.max(wait::MAX_INTERVAL_MS);
            let mut model = interval_ms;
            let mut now = start;
            for lag in lags {
                match s.next_sleep(now) {
                    None => {
                        prop_assert!(deadline - now <= 0.0, "ends only at the deadline");
                        prop_assert_eq!(s.next_sleep(now), None, "and stays ended");
                        break;
                    }
                    Some(d) => {
                        let left = deadline - now;
                        prop_assert!(d >= 1 && d <= cap, "sleep {} outside 1..={}", d, cap);
                        prop_assert!(d <= model);
                        if d < interval_ms {
                            // The only sleep shorter than intervalMs is the
                            // final cut, which ends at the deadline.
                            prop_assert!(
                                now + f64::from(d) >= deadline,
                                "short sleep {} before the deadline",
                                d
                            );
                        }
                        if left.is_finite() && left > 0.0 {
                            prop_assert_eq!(d, f64::from(model).min(left).ceil() as u32);
                        }
                        model = ((f64::from(model) * 1.5) as u32).min(cap);
                        now += f64::from(d) + lag;
                    }
                }
            }
            Ok(())
        },
    );
    // Polls as a waiter makes them (time moves by the sleep and the poll's
    // latency): the wait ends, after at most timeoutMs / intervalMs + 2 polls.
    let ends = check(
        "wait::Schedule ends",
        1_000,
        (1u32..20_000, 1u32..10_000_000, 0.0f64..4e12, 0.0f64..500.0),
        |(interval_ms, timeout_ms, start, latency)| {
            let mut s = Schedule::new(
                WaitOptions {
                    interval_ms,
                    timeout_ms,
                },
                start,
            );
            let bound = u64::from(timeout_ms / interval_ms) + 2;
            let mut now = start;
            let mut polls = 0u64;
            while let Some(d) = s.next_sleep(now) {
                now += f64::from(d) + latency;
                polls += 1;
                prop_assert!(polls <= bound, "more than {} polls", bound);
            }
            prop_assert!(now >= start + f64::from(timeout_ms));
            Ok(())
        },
    );
    report("policy: wait", &[("next_sleep", n), ("termination", ends)]);
}

/// A page number as a client asks for it.
fn page_number() -> BoxedStrategy<u32> {
    prop_oneof![
        4 => 0u32..5,
        1 => any::<u32>(),
        1 => prop::sample::select(&[u32::MAX, paginate::MAX_PAGES - 1, paginate::MAX_PAGES, paginate::MAX_PAGES + 1][..]),
    ]
    .boxed()
}

/// A number as a server may put it in `pagination`: any integer.
fn reported() -> BoxedStrategy<i64> {
    let max = i64::from(paginate::MAX_PAGES);
    prop_oneof![
        4 => -2i64..5,
        2 => 0i64..300,
        1 => any::<i64>(),
        1 => prop::sample::select(
            vec![i64::MIN, -1, i64::from(u32::MAX), i64::from(u32::MAX) + 1, i64::MAX, max - 1, max, max + 1]
        ),
    ]
    .boxed()
}

/// A pagination object as a server may send it: any key may be absent.
fn pagination() -> BoxedStrategy<Pagination> {
    (
        prop::option::of(reported()),
        prop::option::of(reported()),
        prop::option::of(reported()),
        prop::option::of(reported()),
        prop::option::of(any::<bool>()),
    )
        .prop_map(
            |(current_page, total_pages, total, per_page, large_set)| Pagination {
                current_page,
                total_pages,
                total,
                per_page,
                large_set,
            },
        )
        .boxed()
}

#[test]
fn policy_paginate() {
    let items = prop_oneof![3 => 0usize..300, 1 => any::<usize>()].boxed();
    let asked = prop_oneof![3 => 1u32..300, 1 => any::<u32>()].boxed();
    let plans = check(
        "paginate::plan",
        5_000,
        (pagination(), items.clone(), asked),
        |(p, items, asked)| {
            let last = paginate::is_last_page(&p, items, asked);
            // Documented: the count says it is the last page, or the page
            // is short (fewer items than a positive per_page, or than what
            // was asked when the page does not say), or empty.
            let large_set = p.large_set == Some(true);
            let counted_last = !large_set
                && matches!((p.current_page, p.total_pages), (Some(c), Some(t)) if c >= t);
            let per_page = p.per_page.unwrap_or(i64::from(asked));
            let short = items == 0
                || per_page <= 0
                || u64::try_from(items).is_ok_and(|n| i128::from(n) < i128::from(per_page));
            prop_assert_eq!(last, counted_last || short);
            let max = i64::from(paginate::MAX_PAGES);
            match paginate::plan(&p, items, asked, MAX_PAGES) {
                Ok(Plan::Done) => prop_assert!(last),
                Ok(Plan::Pages(pages)) => {
                    prop_assert!(!last && !large_set);
                    let total = p.total_pages.expect("a count");
                    prop_assert!(total <= max, "never more than MAX_PAGES");
                    prop_assert_eq!(*pages.start(), 2);
                    if total >= 2 {
                        prop_assert_eq!(i64::from(*pages.end()), total);
                    } else {
                        prop_assert!(pages.is_empty(), "{:?} for {} pages", pages, total);
                    }
                }
                Ok(Plan::Sequential) => {
                    prop_assert!(!last && (large_set || p.total_pages.is_none()))
                }
                Err(e) => {
                    prop_assert!(!last && p.total_pages.is_some_and(|t| t > max));
                    prop_assert_eq!((e.code.as_str(), e.status), (codes::INVALID_RESPONSE, 200));
                }
            }
            Ok(())
        },
    );
    let pages = check(
        "paginate::check_page",
        3_000,
        (page_number(), pagination()),
        |(requested, got)| {
            match paginate::check_page(requested, &got) {
                Ok(()) => prop_assert!(
                    requested == 1 || got.current_page.is_none_or(|c| c == i64::from(requested))
                ),
                Err(e) => {
                    let current = got.current_page.expect("a page to compare");
                    prop_assert!(requested != 1 && current != i64::from(requested));
                    prop_assert_eq!((e.code.as_str(), e.status), (codes::INVALID_RESPONSE, 200));
                    prop_assert!(e.message.contains(&requested.to_string()));
                    prop_assert!(e.message.contains(&current.to_string()));
                }
            }
            Ok(())
        },
    );
    report(
        "policy: paginate",
        &[("plan and is_last_page", plans), ("check_page", pages)],
    );
}

// ---------------------------------------------------------------- findings
//
// Tests for what the properties found (each failed before its fix in src/).

/// Walks the pages after the first as `src/wasm/pages.rs` does for
/// `Plan::Sequential` (page 2, 3, … until `is_last_page`, each checked by
/// `check_page`); the number of pages fetched, or `None` when the walk was
/// still going after `limit` requests.
fn sequential_walk(
    server: impl Fn(u32) -> (Pagination, usize),
    limit: u32,
) -> Option<Result<u32, Error>> {
    let mut page: u32 = 1;
    for fetched in 1..=limit {
        page = match paginate::next_page(page, MAX_PAGES) {
            Ok(next) => next,
            Err(e) => return Some(Err(e)),
        };
        let (got, items) = server(page);
        if let Err(e) = paginate::check_page(page, &got) {
            return Some(Err(e));
        }
        if paginate::is_last_page(&got, items, 100) {
            return Some(Ok(fetched));
        }
    }
    None
}

/// FINDING (src/paginate.rs, used by src/wasm/pages.rs): a sequential walk
/// has no bound. `plan` refuses more than `MAX_PAGES` counted pages, but for
/// a "large set" (or a missing `total_pages`) whose server keeps answering
/// full pages for whatever page is asked, `listAllVirtualMachines` and the
/// `virtualMachines` iterator fetch forever (past page 4294967295,
/// `saturating_add` asks for that same page again and `check_page` accepts
/// it). Suggested fix: a pure `paginate::next_page(page: u32, max_pages: u32) ->
/// Result<u32, Error>` that fails with `invalid_response` once `page`
/// reaches `MAX_PAGES`, used by both sequential loops in pages.rs.
#[test]
fn sequential_walk_is_bounded() {
    let full = |page: u32| {
        let p = Pagination {
            current_page: Some(i64::from(page)),
            large_set: Some(true),
            per_page: Some(100),
            ..Pagination::default()
        };
        (p, 100)
    };
    assert_eq!(
        paginate::plan(&full(1).0, 100, 100, MAX_PAGES),
        Ok(Plan::Sequential)
    );
    let walk = sequential_walk(full, paginate::MAX_PAGES + 10);
    assert!(
        matches!(walk, Some(Err(_))),
        "an endless large set must end in an error within MAX_PAGES pages: {walk:?}"
    );
}
