//! Property tests of `Error::from_response`: any status, any body (the live
//! API's wrapped errors, the document's bare ones, proxies' HTML, junk)
//! becomes the error the documented rules say, and never a panic.
//! `PROPTEST_CASES=N` runs every property with N cases.
#![cfg(not(target_arch = "wasm32"))]

mod common;
use common::errors::check_error;
use common::gen::*;
use common::tree::*;
use common::{check, report};
use katapult_wasm::error::{codes, Error};
use proptest::prelude::*;

macro_rules! body {
    ($file:literal, $status:expr) => {
        (
            $file,
            $status,
            include_str!(concat!("data/errors/", $file, ".json")),
        )
    };
}

/// Error bodies, as the mock sends them and as the OpenAPI document shows them.
static ERROR_BODIES: &[(&str, u16, &str)] = &[
    body!("403_mock", 403),
    body!("404_mock", 404),
    body!("404_trash_mock", 404),
    body!("400_spec_mock", 400),
    body!("422_validation", 422),
    body!("429_bare_rate_limit", 429),
    body!("406_in_trash", 406),
];
use serde_json::{json, Map, Value};

/// Any value where the error shapes put one: absent (`None`) or present.
fn maybe(s: BoxedStrategy<Value>) -> BoxedStrategy<Option<Value>> {
    prop::option::weighted(0.8, s).boxed()
}

/// An error object: `code`, `description` and `detail` of any type or
/// missing, among other keys.
fn error_object() -> BoxedStrategy<Map<String, Value>> {
    let code = prop_oneof![
        3 => prop::sample::select(&[
            "virtual_machine_not_found", "rate_limit_reached", "service_unavailable",
            "object_in_trash", "validation_error", "invalid_argument", "invalid_response",
            "permission_denied", "",
        ][..]).prop_map(|s| Value::String(s.into())),
        2 => text().prop_map(Value::String),
        1 => json(),
    ]
    .boxed();
    let description = prop_oneof![
        3 => text().prop_map(Value::String),
        1 => Just(Value::String(String::new())),
        1 => json(),
    ]
    .boxed();
    let detail = prop_oneof![
        3 => prop::collection::vec((key(), json()), 0..4)
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        2 => json(),
    ]
    .boxed();
    (
        maybe(code),
        maybe(description),
        maybe(detail),
        prop::collection::vec((key(), json()), 0..3),
    )
        .prop_map(|(code, description, detail, extra)| {
            let mut m: Map<String, Value> = extra.into_iter().collect();
            for (k, v) in [
                ("code", code),
                ("description", description),
                ("detail", detail),
            ] {
                if let Some(v) = v {
                    m.insert(k.into(), v);
                }
            }
            m
        })
        .boxed()
}

fn error_body() -> BoxedStrategy<Value> {
    prop_oneof![
        2 => error_object().prop_map(Value::Object),
        3 => error_object().prop_map(|m| json!({ "error": m })),
        2 => (error_object(), error_object()).prop_map(|(inner, mut outer)| {
            outer.insert("error".into(), Value::Object(inner));
            Value::Object(outer)
        }),
        1 => (json(), error_object()).prop_map(|(e, mut outer)| {
            outer.insert("error".into(), e);
            Value::Object(outer)
        }),
        1 => error_object().prop_map(|m| json!([{ "error": m }])),
        1 => error_object().prop_map(|m| json!({ "errors": [m] })),
    ]
    .boxed()
}

#[test]
fn error_from_response() {
    let from = |status: u16, body: &[u8], rid: &Option<String>| {
        let e = Error::from_response(status, body, rid.clone());
        check_error(status, body, rid, &e).map_err(|f| {
            let shown: String = String::from_utf8_lossy(body).chars().take(2000).collect();
            TestCaseError::fail(format!("{f}\nstatus {status}, body: {shown}"))
        })
    };
    let error_values: Vec<Value> = ERROR_BODIES
        .iter()
        .map(|(f, _, t)| serde_json::from_str(t).unwrap_or_else(|e| panic!("{f}: {e}")))
        .collect();
    for (file, status, text) in ERROR_BODIES {
        let e = Error::from_response(*status, text.as_bytes(), None);
        assert_ne!(e.code, codes::INVALID_RESPONSE, "{file}");
        assert!(e.detail_in(text.as_bytes()).is_some(), "{file}");
    }
    let counts = [
        (
            "random bytes",
            check(
                "from_response: random bytes",
                3_000,
                (status(), bytes(), request_id()),
                |(s, b, r)| from(s, &b, &r),
            ),
        ),
        (
            "random JSON",
            check(
                "from_response: random JSON",
                3_000,
                (status(), json(), style(), request_id()),
                |(s, v, style, r)| from(s, &Body::new(v).bytes(style), &r),
            ),
        ),
        (
            "error shapes",
            check(
                "from_response: error shapes",
                4_000,
                (status(), error_body(), style(), request_id()),
                |(s, v, style, r)| from(s, &Body::new(v).bytes(style), &r),
            ),
        ),
        (
            "mutated error bodies",
            check(
                "from_response: mutated error bodies",
                3_000,
                (status(), mutated(), request_id()),
                |(s, m, r)| from(s, &m.bytes(&error_values), &r),
            ),
        ),
    ];
    assert!(
        report("Error::from_response", &counts) >= 10_000
            || std::env::var("PROPTEST_CASES").is_ok()
    );
}
