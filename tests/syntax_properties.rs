//! Property tests of the answer check's JSON syntax (`validate`, the
//! hand-written scanner the WebAssembly build runs on every answer) against
//! serde_json as the oracle, on JSON-like bytes: valid JSON, JSON with
//! tokens dropped, doubled or swapped, strings with every kind of escape,
//! surrogate, control character and invalid UTF-8, and numbers at and
//! beyond the 64-bit and `f64` limits.
//!
//! * an untyped value is skipped exactly as `serde_json` skips one
//!   (`IgnoredAny`): the same bytes are JSON to both;
//! * a typed string is read exactly as serde_json reads a `String` (UTF-8,
//!   paired surrogate escapes);
//! * a typed number is classified as serde_json's `Value` classifies it.
//!
//! `PROPTEST_CASES=N` runs every property with N cases.

#![cfg(not(target_arch = "wasm32"))]

use katapult_wasm::generated::schema::TYPES;
use katapult_wasm::schema::{Ty, TyRef};
use katapult_wasm::validate::{validate, Invalid};
use proptest::prelude::*;
use serde::de::IgnoredAny;
use serde_json::Value;

/// The first type of the tables that is `want`.
fn ty(want: Ty) -> TyRef {
    let i = TYPES
        .iter()
        .position(|t| *t == want)
        .expect("the tables have the type");
    TyRef(u16::try_from(i).expect("small"))
}

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(4000)
}

/// Pieces JSON is made of, and pieces that break it.
fn token() -> impl Strategy<Value = Vec<u8>> {
    let fixed: Vec<&'static [u8]> = vec![
        b"{",
        b"}",
        b"[",
        b"]",
        b":",
        b",",
        b" ",
        b"\n",
        b"\t",
        b"\r",
        b"\"",
        b"\\",
        b"true",
        b"false",
        b"null",
        b"tru",
        b"nul",
        b"0",
        b"-",
        b"-0",
        b"01",
        b"1.",
        b".5",
        b"1e",
        b"1e+",
        b"1E-7",
        b"9223372036854775807",
        b"9223372036854775808",
        b"-9223372036854775808",
        b"-9223372036854775809",
        b"18446744073709551615",
        b"18446744073709551616",
        b"1e308",
        b"1e309",
        b"-1e309",
        b"2.5e-400",
        b"\"a\"",
        b"\"\\u00e9\"",
        b"\"\\ud83d\\ude00\"",
        b"\"\\ud83d\"",
        b"\"\\ude00\"",
        b"\"\\ud83dx\"",
        b"\"\\ud83d\\u0041\"",
        b"\"\\u12\"",
        b"\"\\x\"",
        b"\"\\/\\b\\f\\n\\r\\t\"",
        b"\"\x01\"",
        b"\"\x7f\"",
        b"\"\xc3\xa9\"",
        b"\"\xff\"",
        b"\"\xc3\"",
        b"\"\xe2\x82\"",
        b"\"\xed\xa0\x80\"",
        b"\"abcdefghijklmnop\"",
        b"\"abcdefg\\\"hijklmno\"",
        b"\xef\xbb\xbf",
        b"{\"k\":1}",
        b"[1,2]",
        b"{\"a\":{\"b\":[null,{}]}}",
        b"[[[[[]]]]]",
    ];
    prop_oneof![
        4 => proptest::sample::select(fixed).prop_map(<[u8]>::to_vec),
        1 => proptest::collection::vec(any::<u8>(), 0..4),
        1 => "[a-z0-9 ]{0,20}".prop_map(|s| format!("\"{s}\"").into_bytes()),
        1 => (0u64..u64::MAX).prop_map(|n| n.to_string().into_bytes()),
    ]
}

fn bytes() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        // Valid JSON, written by serde_json, then edited.
        (
            any_json(),
            proptest::collection::vec((any::<prop::sample::Index>(), token()), 0..3)
        )
            .prop_map(|(v, edits)| {
                let mut b = serde_json::to_vec(&v).expect("writes");
                for (at, t) in edits {
                    let i = at.index(b.len() + 1);
                    b.splice(i..i, t);
                }
                b
            }),
        proptest::collection::vec(token(), 0..12).prop_map(|ts| ts.concat()),
    ]
}

fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        (-1e300f64..1e300).prop_map(Value::from),
        ".{0,12}".prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 32, 6, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            proptest::collection::btree_map(".{0,6}", inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    #[test]
    fn an_untyped_value_is_json_exactly_when_serde_json_skips_it(b in bytes()) {
        let ours = validate(&b, ty(Ty::Any));
        let theirs = serde_json::from_slice::<IgnoredAny>(&b);
        prop_assert_eq!(ours.is_ok(), theirs.is_ok(), "{:?}: {:?} vs {:?}", String::from_utf8_lossy(&b), ours, theirs.err());
        if let Err(e) = ours {
            prop_assert!(matches!(e, Invalid::Syntax(_)), "{:?}", e);
        }
    }

    #[test]
    fn a_typed_string_is_read_exactly_as_serde_json_reads_one(b in bytes()) {
        let ours = validate(&b, ty(Ty::Str));
        let theirs = serde_json::from_slice::<Value>(&b);
        match (&ours, &theirs) {
            (Ok(()), Ok(v)) => prop_assert!(v.is_string()),
            (Ok(()), Err(e)) => prop_assert!(false, "{:?} passed; serde_json: {}", String::from_utf8_lossy(&b), e),
            // JSON that is not a string: a shape error.
            (Err(Invalid::Shape(_)), Ok(v)) => prop_assert!(!v.is_string()),
            (Err(Invalid::Syntax(m)), Ok(_)) => prop_assert!(false, "{:?} refused: {}", String::from_utf8_lossy(&b), m),
            _ => {}
        }
    }

    #[test]
    fn a_typed_number_is_classified_as_serde_json_classifies_it(b in bytes()) {
        for (want, fits) in [(Ty::Int, Value::is_i64 as fn(&Value) -> bool), (Ty::Num, Value::is_number)] {
            let ours = validate(&b, ty(want));
            let theirs = serde_json::from_slice::<Value>(&b);
            match (&ours, &theirs) {
                (Ok(()), Ok(v)) => prop_assert!(fits(v), "{:?} passed as {:?}", v, want),
                (Ok(()), Err(e)) => prop_assert!(false, "{:?} passed; serde_json: {}", String::from_utf8_lossy(&b), e),
                (Err(Invalid::Shape(m)), Ok(v)) => prop_assert!(!fits(v), "{:?} refused as {:?}: {}", v, want, m),
                (Err(Invalid::Syntax(m)), Ok(_)) => prop_assert!(false, "{:?} refused: {}", String::from_utf8_lossy(&b), m),
                _ => {}
            }
        }
    }
}
