//! Every operation's answer check (`response::check`, what the WebAssembly
//! build runs, and `response::decode`) and `Error::from_response`, on any
//! bytes. The answers come from the generated operation table, so every
//! operation of the OpenAPI document is fuzzed.
//!
//! Input layout: bytes 0–1 pick the answer (little-endian, mod the number of
//! answers + 1; the last is `Error::from_response` alone), bytes 2–3 are the
//! HTTP status (little-endian, mod 1000), the rest is the body. The seed
//! corpus in `corpus/decoders/` holds valid bodies in that layout
//! (`fuzz/seed-corpus.mjs` writes it from `tests/data/`).
//!
//! Beyond "never panics", a result must keep the promises the property tests
//! check: only a 2xx decodes, to exactly the body sent; an error keeps the
//! status and the request id, has a code and a message, and its `detail` is
//! an object when present; a non-2xx is exactly `Error::from_response`; an
//! accepted body conforms to the document by the independent reading.

#![no_main]

use katapult_wasm::error::Error;
use katapult_wasm::operation::{Operation, OPERATIONS};
use katapult_wasm::response;
use katapult_wasm::schema::conforms;
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

const REQUEST_ID: &str = "req_fuzz";

fuzz_target!(|data: &[u8]| {
    let (selector, status, body) = match data {
        [a, b, lo, hi, body @ ..] => (
            usize::from(u16::from_le_bytes([*a, *b])) % (OPERATIONS.len() + 1),
            u16::from_le_bytes([*lo, *hi]) % 1000,
            body,
        ),
        _ => (0, 200, data),
    };
    match OPERATIONS.get(selector) {
        Some(answer) if answer.json() => run(status, body, answer),
        _ => check_error(
            status,
            &Error::from_response(status, body, Some(REQUEST_ID.into())),
        ),
    }
});

fn run(status: u16, body: &[u8], answer: &Operation) {
    let rid = || Some(REQUEST_ID.to_owned());
    let decoded = response::decode(status, body, answer.answer, rid());
    let checked = response::check(status, body, answer.answer, rid());
    if let Err(e) = &checked {
        check_error(status, e);
    }
    if !(200..300).contains(&status) {
        let direct = Error::from_response(status, body, rid());
        assert_eq!(decoded.as_ref().err(), Some(&direct), "non-2xx is from_response");
        assert_eq!(checked.as_ref().err(), Some(&direct), "non-2xx is from_response");
        return;
    }
    let parsed = serde_json::from_slice::<Value>(body);
    match (&checked, &decoded) {
        (Ok(()), Ok(value)) => {
            assert_eq!(parsed.as_ref().ok(), Some(value), "decoded as sent");
            assert_eq!(
                conforms(value, answer.answer, false),
                Ok(()),
                "{}: accepted but does not conform",
                answer.id()
            );
        }
        // Content no field reads is skipped unvalidated (as JavaScript
        // takes it); only the full parse refuses it.
        (Ok(()), Err(e)) => {
            assert!(parsed.is_err(), "{e:?}");
            check_error(status, e);
        }
        (Err(a), Err(b)) => {
            assert_eq!(a, b, "decode is check first");
            assert_eq!(a.code, "invalid_response");
            assert_eq!(a.detail, None);
        }
        (Err(a), Ok(_)) => panic!("check refused what decode took: {a:?}"),
    }
}

fn check_error(status: u16, e: &Error) {
    assert_eq!(e.status, status, "status kept: {e:?}");
    assert_eq!(e.request_id.as_deref(), Some(REQUEST_ID), "request id kept");
    assert!(!e.code.is_empty(), "an error has a code: {e:?}");
    assert!(!e.message.is_empty(), "an error has a message: {e:?}");
    assert!(
        e.detail.as_ref().is_none_or(|d| d.is_object()),
        "detail is an object: {e:?}"
    );
}
