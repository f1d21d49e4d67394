//! The spec XML reader (`katapult_wasm::spec::parse`) on any bytes, and the
//! builder on whatever it accepts.
//!
//! Beyond "never panics": a refusal is an `invalid_argument` with a message,
//! and an accepted document builds again and reads back the same value.
//! The seed corpus is the golden documents in `tests/data/spec/`.

#![no_main]

use katapult_wasm::spec::{build, parse};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(doc) = std::str::from_utf8(data) else {
        return;
    };
    match parse(doc) {
        Ok(value) => {
            let xml = build(&value).expect("an accepted document builds");
            assert_eq!(parse(&xml).ok(), Some(value), "and reads back the same");
        }
        Err(e) => {
            assert_eq!((e.code.as_str(), e.status), ("invalid_argument", 0));
            assert!(!e.message.is_empty());
        }
    }
});
