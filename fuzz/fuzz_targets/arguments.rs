//! Building every operation's request from any arguments: bytes 0–1 pick
//! the operation (little-endian, mod the table's length), the rest is read
//! as JSON (what `request` takes as `params`). Beyond "never panics": a
//! refusal is `invalid_argument` with status 0; a request has the
//! operation's method and path, a GET no body, anything else a JSON object
//! body of the operation's own arguments.

#![no_main]

use katapult_wasm::operation::{Naming, OPERATIONS};
use katapult_wasm::request::Method;
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

fuzz_target!(|data: &[u8]| {
    let (selector, body) = match data {
        [a, b, rest @ ..] => (usize::from(u16::from_le_bytes([*a, *b])) % OPERATIONS.len(), rest),
        _ => (0, data),
    };
    let Ok(params) = serde_json::from_slice::<Value>(body) else {
        return;
    };
    let op = &OPERATIONS[selector];
    match op.call(&params, &Naming::PARAMS) {
        Ok(call) => {
            assert_eq!(call.request.method, op.method());
            assert_eq!(call.request.path, op.path());
            if op.method() == Method::Get {
                assert!(call.request.body.is_none());
            } else {
                let body: Value = serde_json::from_str(call.request.body.as_deref().unwrap_or("")).expect("JSON");
                let map = body.as_object().expect("an object");
                assert!(map.keys().all(|k| op.args().iter().any(|a| a.name() == k)), "{}", op.id());
            }
        }
        Err(e) => {
            assert_eq!((e.code.as_str(), e.status), ("invalid_argument", 0));
            assert!(!e.message.is_empty());
        }
    }
});
