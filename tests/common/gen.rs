//! Generators of the inputs the property tests feed the core: words the
//! API uses, text, numbers at every edge, any JSON, statuses, request ids,
//! raw bytes and byte fragments no JSON parser should trust.

use std::sync::OnceLock;

use proptest::prelude::*;
use serde_json::{Number, Value};

/// Field names of the response schemas, enum values and error codes: random
/// JSON built from these reaches past the first "missing field".
#[rustfmt::skip]
pub const WORDS: &[&str] = &[
    "error", "code", "description", "detail", "value", "key", "errors", "id", "name", "hostname",
    "fqdn", "state", "status", "task", "tasks", "trash_object", "virtual_machine",
    "virtual_machines", "virtual_machine_build", "build", "annotations", "organizations",
    "pagination", "current_page", "total_pages", "total", "per_page", "large_set", "zone",
    "data_center", "country", "organization", "created_at", "keep_until", "object_id",
    "object_type", "progress", "started_at", "finished_at", "spec_xml", "sub_domain",
    "infrastructure_domain", "activated_at", "suspended", "managed", "currency", "gpus", "tags",
    "tag_names", "ip_addresses", "hypervisor", "package", "gpu_type", "type", "data_centers",
    "color", "privacy", "pending_action", "available", "permalink", "pending", "running",
    "completed", "failed", "started", "stopped", "building", "complete", "draft", "red", "public",
    "attach", "attached", "rate_limit_reached", "service_unavailable", "object_in_trash",
    "validation_error", "invalid_response", "", "null", "true", "0",
];

/// Enum-valued keys of the response schemas.
pub const ENUM_KEYS: &[&str] = &["state", "status", "color", "privacy", "pending_action"];

pub fn word() -> impl Strategy<Value = String> + Clone {
    prop::sample::select(WORDS).prop_map(str::to_owned)
}

/// Any short string: mostly ASCII, any `char` too (proptest's own
/// `any::<String>()` is a regex walk, too slow in a debug build).
pub fn any_text() -> BoxedStrategy<String> {
    let ch = prop_oneof![3 => proptest::char::range(' ', '~'), 1 => any::<char>()];
    prop::collection::vec(ch, 0..24)
        .prop_map(String::from_iter)
        .boxed()
}

pub fn text() -> BoxedStrategy<String> {
    prop_oneof![
        4 => word(),
        4 => any_text(),
        1 => "[\\x00-\\x1f\"\\\\/]{0,6}",
        1 => "[\u{7f}-\u{10ffff}]{1,8}",
        1 => (0usize..3000).prop_map(|n| "é".repeat(n)),
    ]
    .boxed()
}

pub fn key() -> BoxedStrategy<String> {
    prop_oneof![3 => word(), 1 => any_text()].boxed()
}

pub const INTERESTING_F64: &[f64] = &[
    0.0,
    -0.0,
    1.0,
    -1.0,
    0.5,
    1.5,
    1e308,
    -1e308,
    f64::MAX,
    f64::MIN,
    f64::MIN_POSITIVE,
    5e-324,
    9_007_199_254_740_992.0,
    9_007_199_254_740_994.0,
    2_147_483_647.0,
    2_147_483_648.0,
    4_294_967_295.0,
    4_294_967_296.0,
    1e12,
    18_446_744_073_709_551_616.0,
];

pub fn number() -> BoxedStrategy<Number> {
    prop_oneof![
        2 => (-3i64..1000).prop_map(Number::from),
        1 => any::<i64>().prop_map(Number::from),
        1 => any::<u64>().prop_map(Number::from),
        1 => any::<f64>().prop_filter_map("finite", Number::from_f64),
        2 => prop::sample::select(INTERESTING_F64).prop_filter_map("finite", Number::from_f64),
        1 => prop::sample::select(&[u64::MAX, 1 << 53, (1 << 53) + 1, u32::MAX as u64, 1 << 32][..])
            .prop_map(Number::from),
    ]
    .boxed()
}

pub fn json_leaf() -> BoxedStrategy<Value> {
    prop_oneof![
        1 => Just(Value::Null),
        1 => any::<bool>().prop_map(Value::Bool),
        2 => number().prop_map(Value::Number),
        3 => text().prop_map(Value::String),
    ]
    .boxed()
}

/// Any JSON value, up to 4 levels deep.
pub fn json() -> BoxedStrategy<Value> {
    json_leaf()
        .prop_recursive(4, 24, 5, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
                prop::collection::vec((key(), inner), 0..5)
                    .prop_map(|members| Value::Object(members.into_iter().collect())),
            ]
        })
        .boxed()
}

pub fn status() -> BoxedStrategy<u16> {
    prop_oneof![
        4 => 0u16..=999,
        3 => 200u16..300,
        2 => prop::sample::select(
            &[
                0u16, 100, 101, 199, 200, 201, 202, 204, 206, 299, 300, 301, 304, 399, 400, 401,
                403, 404, 405, 406, 409, 422, 429, 499, 500, 502, 503, 504, 599, 600, 999,
            ][..]
        ),
        1 => any::<u16>(),
    ]
    .boxed()
}

pub fn success_status() -> BoxedStrategy<u16> {
    prop_oneof![5 => 200u16..300, 1 => status()].boxed()
}

pub fn request_id() -> BoxedStrategy<Option<String>> {
    prop::option::of("[A-Za-z0-9_]{0,24}").boxed()
}

/// Bytes: uniformly random, or from JSON's alphabet to get past the first byte.
pub fn bytes() -> BoxedStrategy<Vec<u8>> {
    const ALPHABET: &[u8] = b"{}[]\":,0123456789.eE+- \\utrfalsn\xff\xc3";
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..300),
        prop::collection::vec(prop::sample::select(ALPHABET), 0..300),
    ]
    .boxed()
}

/// Raw fragments spliced into bodies where a JSON value stood: numbers no
/// `f64` or `u64` holds, deep nesting, long strings, invalid UTF-8 and
/// broken escapes, almost-JSON literals. `(bytes, is it valid JSON that
/// nests no deeper than 2)`.
pub fn raw_fragments() -> &'static [(Vec<u8>, bool)] {
    static RAW: OnceLock<Vec<(Vec<u8>, bool)>> = OnceLock::new();
    RAW.get_or_init(|| {
        let valid: Vec<Vec<u8>> = [
            "1e308",
            "-1e308",
            "1e309",
            "-1e400",
            "1e-400",
            "18446744073709551616",
            "18446744073709551615",
            "-9223372036854775808",
            "-9223372036854775809",
            "9223372036854775808",
            "9007199254740993",
            "9007199254740992",
            "4294967295",
            "4294967296",
            "2147483648",
            "-0",
            "-0.0",
            "0.0",
            "1.0",
            "1E2",
            "1e+2",
            "0.1",
            "-1",
            "\"\\ud83d\\ude00\"",
            "\"\\u0000\"",
            "\"caf\\u00e9 \\\"quoted\\\" \\/ \\b\\f\\n\\r\\t\"",
            "{\"id\":\"a\",\"id\":\"b\"}",
            "{}",
            "[]",
            "{\"\":null}",
            "[null]",
            "[[1]]",
        ]
        .iter()
        .map(|s| s.as_bytes().to_vec())
        .chain([
            format!("1{}", "0".repeat(400)).into_bytes(),
            format!("-{}", "9".repeat(400)).into_bytes(),
            format!("0.{}1", "0".repeat(400)).into_bytes(),
            format!("1{}.5e-400", "0".repeat(400)).into_bytes(),
            format!("\"{}\"", "a".repeat(100_000)).into_bytes(),
            format!("\"{}\"", "\\u00e9".repeat(5_000)).into_bytes(),
        ])
        .collect();
        let invalid: Vec<Vec<u8>> = [
            &b"NaN"[..],
            b"Infinity",
            b"-Infinity",
            b"+1",
            b".5",
            b"1.",
            b"01",
            b"0x10",
            b"1e",
            b"--1",
            b"tru",
            b"nul",
            b"nulll",
            b"True",
            b"None",
            b"undefined",
            b"'x'",
            b"",
            b"  ",
            b"\"\\ud800\"",
            b"\"\\udc00\\ud800\"",
            b"\"\\uZZZZ\"",
            b"\"\\x41\"",
            b"\"tab\there\"",
            b"\"\xff\xfe\"",
            b"\"\xc3\x28\"",
            b"\"\xed\xa0\x80\"",
            b"\"\xc0\xaf\"",
            b"\"\xf4\x90\x80\x80\"",
            b"\"\xe2\x82\"",
            b"\"unterminated",
            b"\xef\xbb\xbf{}",
            b"{\"a\" 1}",
            b"[1,]",
            b"{,}",
        ]
        .iter()
        .map(|s| s.to_vec())
        .chain([
            format!("{}{}", "[".repeat(127), "]".repeat(127)).into_bytes(),
            format!("{}{}", "[".repeat(128), "]".repeat(128)).into_bytes(),
            format!("{}{}", "[".repeat(129), "]".repeat(129)).into_bytes(),
            "[".repeat(3000).into_bytes(),
            format!("{}{}", "[".repeat(3000), "]".repeat(3000)).into_bytes(),
            format!("{}1{}", "{\"a\":".repeat(2000), "}".repeat(2000)).into_bytes(),
            format!("{}0{}", "[{\"x\":".repeat(1000), "}]".repeat(1000)).into_bytes(),
        ])
        .collect();
        let shallow =
            |b: &[u8]| serde_json::from_slice::<Value>(b).is_ok() && !b.starts_with(b"[[");
        valid
            .into_iter()
            .map(|b| {
                let ok =
                    shallow(&b) || b.iter().all(|c| c.is_ascii_digit() || b"-+.eE".contains(c));
                (b, ok)
            })
            .chain(invalid.into_iter().map(|b| (b, false)))
            .collect()
    })
}
