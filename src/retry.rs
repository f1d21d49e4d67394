//! When to retry a failed attempt, and how long to wait first.
//!
//! 429 and 503 mean the server did not act, so every method may retry them;
//! a network error (or an attempt timeout) might have reached the server, so
//! only GET retries it. Waits use exponential backoff with full jitter from
//! 500 ms, capped at 30 s; a `Retry-After` header wins where present.

use crate::error::{codes, Error};

/// First backoff ceiling.
pub const BASE_DELAY_MS: u32 = 500;
/// Largest backoff ceiling.
pub const MAX_DELAY_MS: u32 = 30_000;
/// Longest `Retry-After` honoured; a longer one ends the retries at once.
pub const MAX_RETRY_AFTER_MS: u32 = 120_000;

/// What the next step is after a failed attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decision {
    /// Wait this long, then send again.
    RetryAfter(u32),
    /// Give up and return the error.
    GiveUp,
}

/// The facts about one failed attempt the policy looks at.
#[derive(Clone, Debug, PartialEq)]
pub struct Failure<'a> {
    /// The error the attempt produced.
    pub error: &'a Error,
    /// The raw `Retry-After` header, when there was one.
    pub retry_after: Option<&'a str>,
}

/// Decides whether to retry.
///
/// * `retries_done`: retries already made (0 after the first attempt);
/// * `idempotent`: whether the request may be repeated after a network error;
/// * `random`: a number in `[0, 1)` for the jitter;
/// * `now_ms`: the current time, to read `Retry-After` dates.
pub fn decide(
    failure: &Failure,
    retries_done: u32,
    max_retries: u32,
    idempotent: bool,
    random: f64,
    now_ms: f64,
) -> Decision {
    if retries_done >= max_retries || !is_retryable(failure.error, idempotent) {
        return Decision::GiveUp;
    }
    if let Some(header) = failure.retry_after {
        if let Some(ms) = retry_after_ms(header, now_ms) {
            return if ms <= MAX_RETRY_AFTER_MS {
                Decision::RetryAfter(ms)
            } else {
                Decision::GiveUp
            };
        }
    }
    Decision::RetryAfter(jittered_backoff(retries_done, random))
}

/// Whether an error is worth another attempt.
pub fn is_retryable(error: &Error, idempotent: bool) -> bool {
    match error.code.as_str() {
        codes::RATE_LIMIT_REACHED | codes::SERVICE_UNAVAILABLE => {
            error.status == 429 || error.status == 503
        }
        codes::NETWORK_ERROR | codes::TIMEOUT => idempotent && error.status == 0,
        _ => false,
    }
}

/// Full jitter: uniform in `[0, min(cap, base · 2^retries))`.
pub fn jittered_backoff(retries_done: u32, random: f64) -> u32 {
    let ceiling = f64::from(BASE_DELAY_MS) * 2f64.powi(retries_done.min(16) as i32);
    let ceiling = ceiling.min(f64::from(MAX_DELAY_MS));
    let r = if random.is_finite() {
        random.clamp(0.0, 1.0)
    } else {
        0.0
    };
    (ceiling * r).floor().min(ceiling) as u32
}

/// `Retry-After` as milliseconds from now: delay-seconds (whole seconds, as
/// RFC 9110 defines them) or an HTTP date. `None` when it is neither.
pub fn retry_after_ms(header: &str, now_ms: f64) -> Option<u32> {
    let value = header.trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        // All digits: only overflow can fail, and a huge delay is "too long".
        let seconds = value.parse::<u64>().unwrap_or(u64::MAX);
        return Some(u32::try_from(seconds.saturating_mul(1000)).unwrap_or(u32::MAX));
    }
    let when_ms = http_date_secs(value)? as f64 * 1000.0;
    Some((when_ms - now_ms).clamp(0.0, f64::from(u32::MAX)) as u32)
}

const MONTHS: [&[u8; 3]; 12] = [
    b"Jan", b"Feb", b"Mar", b"Apr", b"May", b"Jun", b"Jul", b"Aug", b"Sep", b"Oct", b"Nov", b"Dec",
];
const DAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// An HTTP date (RFC 9110 5.6.7: IMF-fixdate, or the obsolete RFC 850 and
/// asctime forms) as seconds since the epoch, for years 1970 to 9999; the
/// weekday must be the date's. The same dates `httpdate` reads (the tests
/// hold the two together), in a few hundred bytes of wasm instead of 4 KB.
fn http_date_secs(value: &str) -> Option<u64> {
    let s = value.as_bytes();
    let num = |at: usize, len: usize| -> Option<u64> {
        let digits = s.get(at..at + len)?;
        digits.iter().try_fold(0u64, |n, &d| {
            d.is_ascii_digit().then(|| n * 10 + u64::from(d - b'0'))
        })
    };
    let month = |at: usize| {
        let name = s.get(at..at + 3)?;
        MONTHS
            .iter()
            .position(|m| m[..] == *name)
            .map(|i| i as u64 + 1)
    };
    let short_day = |at: usize| {
        let name = s.get(at..at + 3)?;
        DAYS.iter()
            .position(|d| d.as_bytes().get(..3) == Some(name))
    };
    let at = |i: usize, c: u8| s.get(i) == Some(&c);
    let clock = |h: usize| match at(h + 2, b':') && at(h + 5, b':') {
        true => Some((num(h, 2)?, num(h + 3, 2)?, num(h + 6, 2)?)),
        false => None,
    };
    // (weekday 0 = Monday, year, month, day, (hour, minute, second))
    let (wday, year, mon, day, time) = if s.len() == 29 && s.ends_with(b" GMT") {
        // Sun, 06 Nov 1994 08:49:37 GMT
        if !(at(3, b',') && at(4, b' ') && at(7, b' ') && at(11, b' ') && at(16, b' ')) {
            return None;
        }
        (
            short_day(0)?,
            num(12, 4)?,
            month(8)?,
            num(5, 2)?,
            clock(17)?,
        )
    } else if s.len() == 24 {
        // Sun Nov  6 08:49:37 1994
        if !(at(3, b' ') && at(7, b' ') && at(10, b' ') && at(19, b' ')) {
            return None;
        }
        let day = match s.get(8) == Some(&b' ') {
            true => num(9, 1)?,
            false => num(8, 2)?,
        };
        (short_day(0)?, num(20, 4)?, month(4)?, day, clock(11)?)
    } else {
        // Sunday, 06-Nov-94 08:49:37 GMT
        let wday = DAYS.iter().position(|d| {
            s.starts_with(d.as_bytes()) && s.get(d.len()..d.len() + 2) == Some(b", ")
        })?;
        let rest = s.get(DAYS.get(wday)?.len() + 2..)?;
        let r = |i: usize, c: u8| rest.get(i) == Some(&c);
        if !(rest.len() == 22 && r(2, b'-') && r(6, b'-') && rest.ends_with(b" GMT")) {
            return None;
        }
        let base = s.len() - 22;
        let yy = num(base + 7, 2)?;
        let year = if yy < 70 { 2000 + yy } else { 1900 + yy };
        (
            wday,
            year,
            month(base + 3)?,
            num(base, 2)?,
            clock(base + 10)?,
        )
    };
    if !(time.0 < 24 && time.1 < 60 && time.2 < 60 && (1970..=9999).contains(&year)) {
        return None;
    }
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let lengths = [
        31,
        if leap { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    let month_len = *lengths.get(usize::try_from(mon).ok()? - 1)?;
    if !(1..=month_len).contains(&day) {
        return None;
    }
    // Days since 1970-01-01 (a Thursday).
    let years = year - 1970;
    let leaps = (year - 1) / 4 - (year - 1) / 100 + (year - 1) / 400 - 477;
    let before: u64 = lengths.iter().take(usize::try_from(mon).ok()? - 1).sum();
    let days = years * 365 + leaps + before + day - 1;
    if (days + 3) % 7 != wday as u64 {
        return None;
    }
    Some(days * 86_400 + time.0 * 3600 + time.1 * 60 + time.2)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(code: &str, status: u16) -> Error {
        Error {
            status,
            ..Error::client(code, "x")
        }
    }

    fn decide_for(e: &Error, retry_after: Option<&str>, done: u32, idempotent: bool) -> Decision {
        decide(
            &Failure {
                error: e,
                retry_after,
            },
            done,
            2,
            idempotent,
            0.5,
            0.0,
        )
    }

    #[test]
    fn rate_limits_and_unavailable_are_retried_for_every_method() {
        for e in [
            err("rate_limit_reached", 429),
            err("service_unavailable", 503),
        ] {
            assert_eq!(decide_for(&e, None, 0, false), Decision::RetryAfter(250));
            assert_eq!(decide_for(&e, None, 1, true), Decision::RetryAfter(500));
        }
    }

    #[test]
    fn network_errors_and_timeouts_only_for_idempotent_requests() {
        for e in [err("network_error", 0), err("timeout", 0)] {
            assert_eq!(decide_for(&e, None, 0, true), Decision::RetryAfter(250));
            assert_eq!(decide_for(&e, None, 0, false), Decision::GiveUp);
        }
    }

    #[test]
    fn other_errors_are_never_retried() {
        for e in [
            err("aborted", 0),
            err("invalid_argument", 0),
            err("invalid_argument", 400),
            err("invalid_response", 502),
            err("virtual_machine_not_found", 404),
            err("task_queueing_error", 406),
            // A 200 whose body said rate_limit_reached is not a 429.
            err("rate_limit_reached", 200),
        ] {
            assert_eq!(decide_for(&e, None, 0, true), Decision::GiveUp, "{e}");
        }
    }

    #[test]
    fn max_retries_is_respected() {
        let e = err("service_unavailable", 503);
        assert_eq!(
            decide(
                &Failure {
                    error: &e,
                    retry_after: None
                },
                2,
                2,
                true,
                0.1,
                0.0
            ),
            Decision::GiveUp
        );
        assert_eq!(
            decide(
                &Failure {
                    error: &e,
                    retry_after: None
                },
                0,
                0,
                true,
                0.1,
                0.0
            ),
            Decision::GiveUp
        );
        assert!(matches!(
            decide(
                &Failure {
                    error: &e,
                    retry_after: None
                },
                4,
                5,
                true,
                0.1,
                0.0
            ),
            Decision::RetryAfter(_)
        ));
    }

    #[test]
    fn backoff_doubles_from_500ms_with_full_jitter_and_caps_at_30s() {
        let ceilings: Vec<u32> = (0..10).map(|n| jittered_backoff(n, 0.999_999_9)).collect();
        assert_eq!(
            ceilings,
            [499, 999, 1999, 3999, 7999, 15999, 29999, 29999, 29999, 29999]
        );
        assert_eq!(jittered_backoff(3, 0.0), 0);
        assert_eq!(jittered_backoff(1000, 0.5), 15_000);
        assert_eq!(jittered_backoff(2, f64::NAN), 0);
        assert_eq!(jittered_backoff(2, 7.0), 2000);
    }

    #[test]
    fn jitter_spreads_over_the_whole_window() {
        let samples: Vec<u32> = (0..100)
            .map(|i| jittered_backoff(2, f64::from(i) / 100.0))
            .collect();
        assert_eq!(samples.iter().min(), Some(&0));
        assert_eq!(samples.iter().max(), Some(&1980));
    }

    #[test]
    fn retry_after_wins_in_seconds_or_as_a_date() {
        let e = err("rate_limit_reached", 429);
        assert_eq!(
            decide_for(&e, Some("3"), 0, false),
            Decision::RetryAfter(3000)
        );
        assert_eq!(
            decide_for(&e, Some(" 0 "), 1, false),
            Decision::RetryAfter(0)
        );
        // 1994-11-06T08:49:37Z is 784111777 s after the epoch.
        let now = 784_111_777_000.0 - 4_000.0;
        assert_eq!(
            decide(
                &Failure {
                    error: &e,
                    retry_after: Some("Sun, 06 Nov 1994 08:49:37 GMT")
                },
                0,
                2,
                true,
                0.5,
                now
            ),
            Decision::RetryAfter(4000)
        );
        // A date in the past means "now".
        assert_eq!(
            retry_after_ms("Sun, 06 Nov 1994 08:49:37 GMT", 1e15),
            Some(0)
        );
    }

    #[test]
    fn unreadable_retry_after_falls_back_to_backoff_and_huge_ones_give_up() {
        let e = err("service_unavailable", 503);
        assert_eq!(
            decide_for(&e, Some("soon"), 0, true),
            Decision::RetryAfter(250)
        );
        assert_eq!(
            decide_for(&e, Some("-1"), 0, true),
            Decision::RetryAfter(250)
        );
        assert_eq!(decide_for(&e, Some("121"), 0, true), Decision::GiveUp);
        let huge = Some("99999999999999999999999");
        assert_eq!(decide_for(&e, huge, 0, true), Decision::GiveUp);
        // Not delay-seconds: fractions, exponents, signs, words.
        for odd in ["1.5", "1e3", "+3", "NaN", "inf", ""] {
            assert_eq!(
                decide_for(&e, Some(odd), 0, true),
                Decision::RetryAfter(250),
                "{odd}"
            );
        }
    }
}
