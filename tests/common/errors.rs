//! What an error made from an answer must be, modelled from the documented
//! rules, for the properties of `Error::from_response` and of every answer.

use katapult_wasm::error::{codes, Error};
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;
use serde_json::{json, Map, Value};

/// What `Error::from_response` must produce, modelled from its documented
/// rules: a wrapped `{"error":{"code":"…"}}` wins, then a bare
/// `{"code":"…"}` (a code is a non-empty string); the description becomes the message (a sentence when it
/// is missing or empty); `detail` is kept when an object, wrapped as
/// `{"value": …}` otherwise, dropped when null. Any other body: the status
/// decides (429, 503), else `invalid_response`.
pub fn expected_error(status: u16, body: &[u8]) -> (String, String, Option<Value>) {
    let parsed: Option<Value> = match serde_json::from_slice(body) {
        Ok(value) => Some(value),
        // However deep: the module reads an error body without building it.
        Err(e) if e.to_string().contains("recursion limit") => return unbounded(status, body),
        Err(_) => None,
    };
    expected_from(status, parsed)
}

/// The model over the body as a value (`None`: not JSON).
fn expected_from(status: u16, parsed: Option<Value>) -> (String, String, Option<Value>) {
    let has_code = |o: &&Map<String, Value>| {
        o.get("code")
            .and_then(Value::as_str)
            .is_some_and(|c| !c.is_empty())
    };
    let outer = parsed.as_ref().and_then(Value::as_object);
    let inner = outer
        .and_then(|o| o.get("error"))
        .and_then(Value::as_object)
        .filter(has_code);
    match inner.or(outer.filter(has_code)) {
        Some(o) => {
            let code = o["code"].as_str().unwrap_or_default().to_owned();
            let message = match o.get("description").and_then(Value::as_str) {
                Some(d) if !d.is_empty() => d.to_owned(),
                _ => format!("The API answered HTTP {status} with error code {code}"),
            };
            let detail = match o.get("detail") {
                None | Some(Value::Null) => None,
                Some(d @ Value::Object(_)) => Some(d.clone()),
                Some(other) => Some(json!({ "value": other })),
            };
            (code, message, detail)
        }
        None => match status {
            429 => (
                codes::RATE_LIMIT_REACHED.into(),
                "The API answered HTTP 429: the rate limit has been reached".into(),
                None,
            ),
            503 => (
                codes::SERVICE_UNAVAILABLE.into(),
                "The API answered HTTP 503: the service is currently unavailable".into(),
                None,
            ),
            _ => (
                codes::INVALID_RESPONSE.into(),
                format!("The API answered HTTP {status} with a body that is not a Katapult error"),
                None,
            ),
        },
    }
}

/// The model of a body nested past serde_json's depth limit, on a stack
/// big enough to read it (the detail is not modelled: natively it cannot
/// be read as a value).
fn unbounded(status: u16, body: &[u8]) -> (String, String, Option<Value>) {
    let body = body.to_vec();
    std::thread::Builder::new()
        .stack_size(512 << 20)
        .spawn(move || {
            let mut reader = serde_json::Deserializer::from_slice(&body);
            reader.disable_recursion_limit();
            let value: Option<Value> = serde::Deserialize::deserialize(&mut reader).ok();
            let value = value.filter(|_| reader.end().is_ok());
            let (code, message, _) = expected_from(status, value.clone());
            // Never dropped: dropping a deep value recurses too.
            std::mem::forget(value);
            (code, message, None)
        })
        .expect("a thread")
        .join()
        .expect("the model")
}

/// The invariants of an error made from a response.
pub fn check_error(
    status: u16,
    body: &[u8],
    request_id: &Option<String>,
    e: &Error,
) -> Result<(), TestCaseError> {
    prop_assert_eq!(e.status, status, "the status is kept");
    prop_assert_eq!(&e.request_id, request_id, "the request id is kept");
    prop_assert!(!e.code.is_empty(), "an error always has a code");
    prop_assert!(!e.message.is_empty(), "a message is always given");
    prop_assert_eq!(&e.detail, &None, "the module builds no detail of the body");
    let got = e.detail_in(body);
    prop_assert!(
        got.as_ref().is_none_or(Value::is_object),
        "detail is None or an object: {:?}",
        got
    );
    let (code, message, detail) = expected_error(status, body);
    prop_assert_eq!(&e.code, &code);
    prop_assert_eq!(&e.message, &message);
    // Natively the detail is read as a value, within serde_json's depth
    // limit (the package reads it with JSON.parse).
    if serde_json::from_slice::<Value>(body).is_ok() {
        prop_assert_eq!(&got, &detail);
    }
    prop_assert_eq!(e.to_string(), format!("{}: {}", e.code, e.message));
    Ok(())
}

/// The invariants of an `invalid_response` for a 2xx body.
pub fn check_2xx_error(
    status: u16,
    body: &[u8],
    request_id: &Option<String>,
    e: &Error,
) -> Result<(), TestCaseError> {
    prop_assert_eq!(e.code.as_str(), codes::INVALID_RESPONSE);
    prop_assert_eq!(e.status, status, "a 2xx error keeps its status");
    prop_assert_eq!(&e.request_id, request_id);
    prop_assert_eq!(&e.detail, &None);
    let prefix = format!("The API's HTTP {status} response body ");
    prop_assert!(e.message.starts_with(&prefix), "{}", e.message);
    // Valid JSON of the wrong shape is said to be so, not "not JSON";
    // except an array read as a struct with elements to spare, see
    // `structs_are_not_read_from_arrays`.
    if e.message.contains("is not valid JSON") && !e.message.contains("trailing characters") {
        prop_assert!(
            serde_json::from_slice::<Value>(body).is_err(),
            "valid JSON called invalid: {}",
            e.message
        );
    }
    Ok(())
}
