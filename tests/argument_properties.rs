//! Property tests of the argument validators: lookups, method options and
//! the client config. Any value is accepted exactly when the documented
//! rules say, and a rejection names the argument without echoing it.
//! `PROPTEST_CASES=N` runs every property with N cases.
#![cfg(not(target_arch = "wasm32"))]

mod common;
use common::gen::*;
use common::{check, report};
use katapult_wasm::args::{self, BuildOptions, ListOptions};
use katapult_wasm::config::{self, Config};
use katapult_wasm::error::{codes, Error};
use katapult_wasm::lookup::{OrganizationLookup, VirtualMachineLookup};
use katapult_wasm::paginate::{self, PageOptions};
use katapult_wasm::wait::{self, WaitOptions};
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;
use serde_json::{json, Map, Value};

/// Every string value in `v` (not object keys).
fn strings(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::String(s) => out.push(s.clone()),
        Value::Array(items) => items.iter().for_each(|x| strings(x, out)),
        Value::Object(members) => members.values().for_each(|x| strings(x, out)),
        _ => {}
    }
}

fn keys(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Array(items) => items.iter().for_each(|x| keys(x, out)),
        Value::Object(members) => members.iter().for_each(|(k, x)| {
            out.push(k.clone());
            keys(x, out);
        }),
        _ => {}
    }
}

/// A stand-in of the same class for a string the validators may see: empty
/// stays empty, a header-safe token stays header-safe, anything else gets a
/// space. Validation looks at nothing finer than that.
fn stand_in(s: &str) -> String {
    if s.is_empty() {
        String::new()
    } else if s.bytes().all(|b| b.is_ascii_graphic()) {
        "~~~~~~".into()
    } else {
        "~ ~".into()
    }
}

/// `v` with every string value replaced by its stand-in, except the
/// top-level members named in `keep`.
fn disguise(v: &Value, keep: &[&str]) -> Value {
    match v {
        Value::String(s) => Value::String(stand_in(s)),
        Value::Array(items) => Value::Array(items.iter().map(|x| disguise(x, &[])).collect()),
        Value::Object(members) => Value::Object(
            members
                .iter()
                .map(|(k, x)| {
                    let x = if keep.contains(&k.as_str()) {
                        x.clone()
                    } else {
                        disguise(x, &[])
                    };
                    (k.clone(), x)
                })
                .collect(),
        ),
        other => other.clone(),
    }
}

/// The invariants of a validation error, and that it echoes no string value
/// of the input: the same input with every string value swapped for a
/// stand-in of the same class gives the very same message (so nothing of a
/// value's text reaches it), and no value longer than 3 characters appears
/// in it unless the fixed text or an echoed key name holds it anyway.
fn check_validation<T: std::fmt::Debug + PartialEq>(
    input: &Value,
    result: &Result<T, Error>,
    disguised: &Result<T, Error>,
    arg: &str,
) -> Result<(), TestCaseError> {
    match (result, disguised) {
        (Err(e), Err(d)) => {
            prop_assert_eq!(e.code.as_str(), codes::INVALID_ARGUMENT);
            prop_assert_eq!(e.status, 0, "client-side errors have status 0");
            prop_assert_eq!(&e.detail, &None);
            prop_assert_eq!(&e.request_id, &None);
            prop_assert!(
                e.message.starts_with(arg) || e.message.starts_with("KatapultClient"),
                "the message names the argument: {}",
                e.message
            );
            prop_assert_eq!(&e.message, &d.message, "the message ignores string values");
            let mut values = Vec::new();
            strings(input, &mut values);
            let mut names = Vec::new();
            keys(input, &mut names);
            for s in values.iter().filter(|s| s.chars().count() > 3) {
                if e.message.contains(s.as_str()) {
                    prop_assert!(
                        d.message.contains(s.as_str())
                            || names.iter().any(|k| k.contains(s.as_str())),
                        "{:?} echoed in {:?}",
                        s,
                        e.message
                    );
                }
            }
        }
        (Ok(_), Ok(_)) => {}
        _ => prop_assert!(
            false,
            "string values changed the outcome: {:?} vs {:?}",
            result,
            disguised
        ),
    }
    Ok(())
}

/// A whole-number check's expected outcome, from its documented rule: a
/// JSON number that is whole and within `min..=max` (`50.0` counts).
fn whole(v: Option<&Value>, min: u32, max: u32) -> Option<Result<Option<u32>, ()>> {
    match v {
        None | Some(Value::Null) => Some(Ok(None)),
        Some(Value::Number(n)) => {
            let f = n.as_f64()?;
            Some(
                if f.fract() == 0.0 && f >= f64::from(min) && f <= f64::from(max) {
                    Ok(Some(f as u32))
                } else {
                    Err(())
                },
            )
        }
        Some(_) => Some(Err(())),
    }
}

/// Values the option objects hold: what callers pass, right or wrong.
fn arg_value() -> BoxedStrategy<Value> {
    let annotation = prop::collection::vec(
        (
            prop::sample::select(&["key", "value", "key", "value", "Key", "extra"][..]),
            prop_oneof![
                3 => text().prop_map(Value::String),
                1 => json_leaf(),
            ],
        ),
        0..3,
    )
    .prop_map(|m| Value::Object(m.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()));
    prop_oneof![
        3 => text().prop_map(Value::String),
        3 => number().prop_map(Value::Number),
        1 => (1u32..100).prop_map(|n| json!(n)),
        1 => Just(Value::Null),
        1 => any::<bool>().prop_map(Value::Bool),
        2 => prop::collection::vec(annotation, 0..3).prop_map(Value::Array),
        1 => json(),
    ]
    .boxed()
}

/// An object with mostly the given keys, holding any of [`arg_value`].
fn shaped(known: &'static [&'static str]) -> BoxedStrategy<Value> {
    prop::collection::vec(
        (
            prop_oneof![8 => prop::sample::select(known).prop_map(str::to_owned), 1 => key()],
            arg_value(),
        ),
        0..5,
    )
    .prop_map(|m| Value::Object(m.into_iter().collect()))
    .boxed()
}

fn validator_input(known: &'static [&'static str]) -> BoxedStrategy<Option<Value>> {
    prop_oneof![
        1 => Just(None),
        2 => json().prop_map(Some),
        6 => shaped(known).prop_map(Some),
    ]
    .boxed()
}

#[test]
fn validators_lookups() {
    let input = prop_oneof![
        3 => shaped(&["id", "fqdn", "sub_domain"]),
        1 => json(),
    ];
    let n = check(
        "lookups",
        4_000,
        (
            input,
            prop::sample::select(&["vm", "org", "options.vm"][..]),
        ),
        |(v, arg)| {
            type Parse = fn(&Value, &str) -> Result<(&'static str, String), Error>;
            let vm: Parse = |v, arg| {
                VirtualMachineLookup::parse(v, arg).map(|l| (l.pair().0, l.pair().1.to_owned()))
            };
            let org: Parse = |v, arg| {
                OrganizationLookup::parse(v, arg).map(|l| (l.pair().0, l.pair().1.to_owned()))
            };
            for (keys, parse) in [(&["id", "fqdn"][..], vm), (&["id", "sub_domain"][..], org)] {
                let result = parse(&v, arg);
                let disguised = parse(&disguise(&v, &[]), arg);
                check_validation(&v, &result.clone().map(drop), &disguised.map(drop), arg)?;
                // The documented rule: an object whose keys are all known,
                // with exactly one of them non-null, a non-empty string.
                let expected = v.as_object().and_then(|o| {
                    if o.keys().any(|k| !keys.contains(&k.as_str())) {
                        return None;
                    }
                    let present: Vec<_> = keys
                        .iter()
                        .filter(|k| o.get(**k).is_some_and(|x| !x.is_null()))
                        .collect();
                    match present[..] {
                        [k] => match &o[*k] {
                            Value::String(s) if !s.is_empty() => Some((*k, s.clone())),
                            _ => None,
                        },
                        _ => None,
                    }
                });
                prop_assert_eq!(result.ok(), expected, "input {}", v);
            }
            Ok(())
        },
    );
    let m = check("args::id", 2_000, (json(), "[a-z.]{1,12}"), |(v, name)| {
        let result = args::id(&v, &name);
        let disguised = args::id(&disguise(&v, &[]), &name).map(|_| ());
        check_validation(&v, &result.clone().map(|_| ()), &disguised, &name)?;
        let expected = v.as_str().filter(|s| !s.is_empty()).map(str::to_owned);
        prop_assert_eq!(result.ok(), expected);
        Ok(())
    });
    report(
        "validators: lookups and ids",
        &[("lookups", n), ("args::id", m)],
    );
}

#[test]
fn validators_options() {
    const KEYS: &[&str] = &[
        "annotations",
        "page",
        "per_page",
        "signal",
        "concurrency",
        "onProgress",
        "intervalMs",
        "timeoutMs",
    ];
    let list = check("ListOptions::parse", 2_000, validator_input(KEYS), |v| {
        let r = ListOptions::parse(v.as_ref());
        let d = ListOptions::parse(v.as_ref().map(|v| disguise(v, &[])).as_ref());
        check_validation(
            &v.clone().unwrap_or_default(),
            &r.clone().map(|_| ()),
            &d.map(|_| ()),
            "options",
        )?;
        if let Ok(o) = &r {
            prop_assert!(o.page.is_none_or(|p| p >= 1));
            prop_assert!(o.per_page.is_none_or(|p| p >= 1));
            prop_assert!(o.annotations.iter().all(|a| !a.key.is_empty()));
            let obj = v.as_ref().and_then(Value::as_object);
            let get = |k: &str| obj.and_then(|o| o.get(k));
            prop_assert_eq!(Some(Ok(o.page)), whole(get("page"), 1, u32::MAX));
            prop_assert_eq!(Some(Ok(o.per_page)), whole(get("per_page"), 1, u32::MAX));
        }
        Ok(())
    });
    let build = check("BuildOptions::parse", 2_000, validator_input(KEYS), |v| {
        let r = BuildOptions::parse(v.as_ref());
        let d = BuildOptions::parse(v.as_ref().map(|v| disguise(v, &[])).as_ref());
        check_validation(
            &v.clone().unwrap_or_default(),
            &r.clone().map(|_| ()),
            &d.map(|_| ()),
            "options",
        )?;
        if let Ok(o) = &r {
            prop_assert!(o.annotations.iter().all(|a| !a.key.is_empty()));
        }
        Ok(())
    });
    let all = check(
        "PageOptions::parse",
        2_000,
        (validator_input(KEYS), any::<bool>()),
        |(v, with_concurrency)| {
            let r = PageOptions::parse(v.as_ref(), with_concurrency, &[]);
            let d = PageOptions::parse(
                v.as_ref().map(|v| disguise(v, &[])).as_ref(),
                with_concurrency,
                &[],
            );
            check_validation(
                &v.clone().unwrap_or_default(),
                &r.clone().map(|_| ()),
                &d.map(|_| ()),
                "options",
            )?;
            if let Ok(o) = &r {
                prop_assert!((1..=paginate::MAX_CONCURRENCY).contains(&o.concurrency));
                prop_assert!(o.per_page >= 1);
                if !with_concurrency {
                    prop_assert_eq!(o.concurrency, 1, "an iterator fetches one page at a time");
                }
            }
            Ok(())
        },
    );
    let waits = check("WaitOptions::parse", 2_000, validator_input(KEYS), |v| {
        let r = WaitOptions::parse(v.as_ref());
        let d = WaitOptions::parse(v.as_ref().map(|v| disguise(v, &[])).as_ref());
        check_validation(
            &v.clone().unwrap_or_default(),
            &r.clone().map(drop),
            &d.map(drop),
            "options",
        )?;
        if let Ok(o) = r {
            prop_assert!((1..=wait::LIMIT_MS).contains(&o.interval_ms));
            prop_assert!((1..=wait::LIMIT_MS).contains(&o.timeout_ms));
        }
        Ok(())
    });
    // Whole numbers, exactly as documented, in every numeric option.
    let numbers = check(
        "whole-number options",
        3_000,
        (number(), prop::sample::select(&[0usize, 1, 2, 3, 4, 5][..])),
        |(n, which)| {
            let v = Value::Number(n);
            let (got, min, max) = match which {
                0 => (
                    ListOptions::parse(Some(&json!({ "page": v }))).map(|o| o.page),
                    1,
                    u32::MAX,
                ),
                1 => (
                    PageOptions::parse(Some(&json!({ "concurrency": v })), true, &[])
                        .map(|o| Some(o.concurrency)),
                    1,
                    paginate::MAX_CONCURRENCY,
                ),
                2 => (
                    WaitOptions::parse(Some(&json!({ "intervalMs": v })))
                        .map(|o| Some(o.interval_ms)),
                    1,
                    wait::LIMIT_MS,
                ),
                3 => (
                    Config::parse(&json!({ "token": "t", "maxRetries": v }), false)
                        .map(|c| Some(c.max_retries)),
                    0,
                    config::MAX_RETRIES_LIMIT,
                ),
                4 => (
                    Config::parse(&json!({ "token": "t", "timeoutMs": v }), false)
                        .map(|c| Some(c.timeout_ms)),
                    1,
                    config::TIMEOUT_LIMIT_MS,
                ),
                _ => (
                    ListOptions::parse(Some(&json!({ "per_page": v }))).map(|o| o.per_page),
                    1,
                    u32::MAX,
                ),
            };
            let expected = whole(Some(&v), min, max).expect("a number");
            prop_assert_eq!(got.map_err(|_| ()), expected, "{}", v);
            Ok(())
        },
    );
    report(
        "validators: options",
        &[
            ("ListOptions", list),
            ("BuildOptions", build),
            ("PageOptions", all),
            ("WaitOptions", waits),
            ("whole numbers", numbers),
        ],
    );
}

/// Every message `normalize_base_url` can give: none holds the URL.
const BASE_URL_MESSAGES: &[&str] = &[
    "config.baseUrl must start with http:// or https://",
    "config.baseUrl must not contain whitespace",
    "config.baseUrl must not contain a query (?) or fragment (#)",
    "config.baseUrl must not contain credentials; pass the token as config.token",
    "config.baseUrl must name a host",
];

#[test]
fn validators_config() {
    let token = prop_oneof![
        4 => "[A-Za-z0-9_.~-]{1,64}".prop_map(Value::String),
        2 => text().prop_map(Value::String),
        1 => json(),
    ]
    .boxed();
    let base_url = prop_oneof![
        3 => "(https?|HTTPS?|ftp|javascript)://[a-z0-9.:@\\[\\]/?# %-]{0,30}".prop_map(Value::String),
        1 => text().prop_map(Value::String),
        1 => json(),
    ]
    .boxed();
    let number = prop_oneof![number().prop_map(Value::Number), json()].boxed();
    let config = (
        prop::option::weighted(0.9, token),
        prop::option::weighted(0.5, base_url),
        prop::option::weighted(0.3, number.clone()),
        prop::option::weighted(0.3, number),
        prop::collection::vec((key(), json()), 0..2),
    )
        .prop_map(|(token, base_url, timeout, retries, extra)| {
            let mut m: Map<String, Value> = if extra.len() == 1 {
                extra.into_iter().collect()
            } else {
                Map::new()
            };
            for (k, v) in [
                ("token", token),
                ("baseUrl", base_url),
                ("timeoutMs", timeout),
                ("maxRetries", retries),
            ] {
                if let Some(v) = v {
                    m.insert(k.into(), v);
                }
            }
            Value::Object(m)
        });
    let input = prop_oneof![6 => config, 1 => json()];
    let n = check("Config::parse", 5_000, input, |v| {
        let r = Config::parse(&v, false);
        // Only the token is disguised: the base URL's text decides its checks.
        let d = Config::parse(&disguise(&v, &["baseUrl"]), false);
        check_validation(&v, &r.clone().map(|_| ()), &d.clone().map(|_| ()), "config")?;
        let token = v.get("token").and_then(Value::as_str).unwrap_or_default();
        match (&r, &d) {
            (Err(e), _) => {
                // The strongest true form: a key name is echoed (an unknown
                // key), so a token that is also a key's name may show.
                let mut names = Vec::new();
                keys(&v, &mut names);
                // A token that is also a word of the message ("config", or
                // a part of the base URL) shows in the disguised run too.
                let fixed = d.as_ref().err().is_some_and(|e| e.message.contains(token));
                if token.chars().count() > 3 && !fixed && !names.iter().any(|k| k.contains(token)) {
                    prop_assert!(!e.message.contains(token), "token echoed: {}", e.message);
                }
                if e.message.starts_with("config.baseUrl must")
                    && !e.message.starts_with("config.baseUrl must be a string")
                {
                    prop_assert!(
                        BASE_URL_MESSAGES.contains(&e.message.as_str()),
                        "{}",
                        e.message
                    );
                }
            }
            (Ok(c), Ok(disguised)) => {
                prop_assert_eq!(c.authorization(), Some(format!("Bearer {token}")));
                prop_assert!(token.bytes().all(|b| b.is_ascii_graphic()) && !token.is_empty());
                // Debug never shows the token: it is the same for any token.
                prop_assert_eq!(format!("{c:?}"), format!("{disguised:?}"));
                prop_assert!(!c.base_url.ends_with('/'));
                let lower = c.base_url.to_ascii_lowercase();
                prop_assert!(lower.starts_with("http://") || lower.starts_with("https://"));
                prop_assert!(
                    !c.base_url.contains(['?', '#']) && !c.base_url.contains(char::is_whitespace)
                );
                prop_assert!((1..=config::TIMEOUT_LIMIT_MS).contains(&c.timeout_ms));
                prop_assert!(c.max_retries <= config::MAX_RETRIES_LIMIT);
            }
            (Ok(_), Err(_)) => {
                prop_assert!(false, "unreachable: check_validation compares outcomes")
            }
        }
        Ok(())
    });
    let urls = check(
        "normalize_base_url",
        3_000,
        prop_oneof![
            "(https?|HTTPS?|ftp)://[a-z0-9.:@\\[\\]/?# %-]{0,30}",
            any_text(),
            "[hH][tT][tT][pP][sS]?://[^ ]{0,3}[/:]{0,6}",
        ],
        |raw| {
            match config::normalize_base_url(&raw) {
                Ok(url) => {
                    prop_assert_eq!(url.as_str(), raw.trim_end_matches('/'));
                    let lower = url.to_ascii_lowercase();
                    prop_assert!(lower.starts_with("http://") || lower.starts_with("https://"));
                }
                Err(e) => {
                    prop_assert_eq!(e.code.as_str(), codes::INVALID_ARGUMENT);
                    prop_assert!(
                        BASE_URL_MESSAGES.contains(&e.message.as_str()),
                        "{}",
                        e.message
                    );
                }
            }
            Ok(())
        },
    );
    report(
        "validators: config",
        &[("Config::parse", n), ("normalize_base_url", urls)],
    );
}
