//! Property tests of reading answers, for every operation the OpenAPI
//! document describes (the generated `OPERATIONS` table, so a new operation in
//! the document is tested with no change here).
//!
//! The check the WebAssembly build runs (`response::check`, one streaming
//! pass over the bytes) is compared with an independent reading of the same
//! document rules over parsed JSON (`schema::conforms`), on bodies built
//! from each answer's type:
//!
//! * any subset of the fields the document does not require left out, at
//!   every depth, nullable fields `null` or not, unknown keys anywhere: the
//!   body decodes, and to exactly what was sent (nothing is filled in);
//! * the required keys alone decode;
//! * mutated bodies (a field removed, retyped, nulled, replaced, a raw
//!   fragment such as a 400-digit number or invalid UTF-8 spliced in, keys
//!   repeated, bytes edited) and any JSON: the two readings agree, and a
//!   rejection is a well-formed `invalid_response`;
//! * any bytes at any status: `Ok` only for a 2xx, errors as
//!   `Error::from_response` makes them; never a panic.
//!
//! The fixtures under `tests/data/answers/<operation>/` (the live API's
//! shapes, the mock's answers, sparse bodies) decode as sent.
//! `PROPTEST_CASES=N` runs every property with N cases.

#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::errors::{check_2xx_error, check_error};
use common::gen::*;
use common::tree::*;
use common::{check, report};
use katapult_wasm::error::Error;
use katapult_wasm::operation::{Operation, OPERATIONS};
use katapult_wasm::response;
use katapult_wasm::schema::{conforms, Ty, TyRef};
use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::TestCaseError;
use serde_json::{Map, Number, Value};

// ---------------------------------------------------------------- bodies from a type

/// A small deterministic generator (xorshift), seeded by proptest, so a
/// body of any of the document's types can be built without a strategy
/// tree per type.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    fn chance(&mut self, p: f64) -> bool {
        ((self.next() >> 11) as f64 / (1u64 << 53) as f64) < p
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

/// How a body is built.
#[derive(Clone, Copy, Debug)]
struct Recipe {
    seed: u64,
    /// Chance that a field the document does not require is present.
    optional: f64,
    /// Chance that a nullable value is `null`.
    null: f64,
    /// Chance that an object gains a key the document does not list.
    extra: f64,
}

fn recipe() -> impl Strategy<Value = Recipe> {
    (
        any::<u64>(),
        prop_oneof![1 => Just(0.0), 1 => Just(1.0), 3 => 0.0f64..1.0],
        prop_oneof![2 => Just(0.0), 1 => 0.0f64..1.0],
        prop_oneof![2 => Just(0.0), 1 => 0.0f64..0.3],
    )
        .prop_map(|(seed, optional, null, extra)| Recipe {
            seed: seed | 1,
            optional,
            null,
            extra,
        })
}

const STRINGS: &[&str] = &[
    "",
    "vm_Q0UUcZ5PpQMn3sLX",
    "web-1.acme.katapult.cloud",
    "London",
    "started",
    "a value a newer API may add",
    "caf\u{e9} \u{2603} \u{1f600}",
    "quote \" backslash \\ slash / tab \t newline \n nul \u{0}",
    "<script>alert(1)</script>",
    "2001:db8::1",
];
const INTS: &[i64] = &[
    0,
    1,
    -1,
    30,
    1_700_000_000,
    i64::MAX,
    i64::MIN,
    9_007_199_254_740_993,
];
const NUMS: &[f64] = &[0.0, -0.0, 0.5, 1.5, 1e300, -2.25, 5e-324];

/// Builds a body of type `ty` following `r`.
fn build(ty: TyRef, rng: &mut Rng, r: &Recipe, depth: usize) -> Value {
    if ty.nullable() && rng.chance(r.null) {
        return Value::Null;
    }
    match ty.ty() {
        Ty::Any => match rng.below(4) {
            0 => Value::Null,
            1 => Value::String(rng.pick(STRINGS).to_string()),
            2 => serde_json::json!({"x": [1, {"y": null}]}),
            _ => Value::from(*rng.pick(INTS)),
        },
        Ty::Str => Value::String(rng.pick(STRINGS).to_string()),
        Ty::Int => Value::from(*rng.pick(INTS)),
        Ty::Num => match rng.below(2) {
            0 => Value::from(*rng.pick(INTS)),
            _ => Number::from_f64(*rng.pick(NUMS)).map_or(Value::Null, Value::Number),
        },
        Ty::Bool => Value::Bool(rng.chance(0.5)),
        Ty::Arr(item) => {
            let len = if depth > 6 { 0 } else { rng.below(4) };
            Value::Array((0..len).map(|_| build(item, rng, r, depth + 1)).collect())
        }
        Ty::Obj(..) | Ty::Lookup(..) => {
            let mut map = Map::new();
            for field in ty.ty().fields() {
                // Deep down, only what is required (so bodies stay small).
                let include = field.required() || (depth <= 6 && rng.chance(r.optional));
                if include {
                    map.insert(
                        field.name().to_owned(),
                        build(field.ty(), rng, r, depth + 1),
                    );
                }
            }
            if rng.chance(r.extra) {
                let key = format!("x_unknown_{}", rng.below(100));
                map.insert(key, build(TyRef(0), rng, r, depth + 1));
            }
            Value::Object(map)
        }
    }
}

fn body_of(answer: &Operation, r: &Recipe) -> Value {
    build(answer.answer, &mut Rng(r.seed), r, 0)
}

// ---------------------------------------------------------------- the two readings

/// The checks every reading of one answer must pass: the streaming check
/// and `decode` against the independent reading of the parsed body.
/// `exact` is false when the bytes repeat a key (the parsed value keeps
/// only the last, so the two readings may rightly differ).
fn readings(
    answer: &Operation,
    status: u16,
    bytes: &[u8],
    exact: bool,
) -> Result<Result<Value, Error>, TestCaseError> {
    let decoded = response::decode(status, bytes, answer.answer, None);
    let checked = response::check(status, bytes, answer.answer, None);
    match (&checked, &decoded) {
        // The check skips what no field reads without validating it (as
        // JavaScript's TextDecoder and JSON.parse take lone surrogates and
        // bad UTF-8 in strings); serde_json's full parse refuses them.
        (Ok(()), Err(e)) => {
            prop_assert!(e.message.contains("is not valid JSON"), "{}", e.message);
            prop_assert!(serde_json::from_slice::<Value>(bytes).is_err());
            return Ok(decoded);
        }
        _ => prop_assert_eq!(
            decoded.as_ref().err(),
            checked.as_ref().err(),
            "decode is check, then the parsed body"
        ),
    }
    if !(200..300).contains(&status) {
        let e = decoded.as_ref().expect_err("only a 2xx decodes");
        check_error(status, bytes, &None, e)?;
        prop_assert_eq!(e, &Error::from_response(status, bytes, None));
        return Ok(decoded);
    }
    if let Err(e) = &decoded {
        check_2xx_error(status, bytes, &None, e)?;
    }
    let parsed = serde_json::from_slice::<Value>(bytes);
    match (&parsed, &decoded) {
        (Ok(value), Ok(got)) => prop_assert_eq!(got, value, "decoded as sent"),
        (Ok(value), Err(e)) if exact => {
            prop_assert!(
                conforms(value, answer.answer, false).is_err(),
                "{} rejected a body the document allows: {}",
                answer.id(),
                e.message
            );
        }
        _ => {}
    }
    if let (Ok(value), Ok(_), true) = (&parsed, &decoded, exact) {
        prop_assert_eq!(conforms(value, answer.answer, false), Ok(()));
    }
    Ok(decoded)
}

fn shown(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).chars().take(1500).collect()
}

fn with_body<T>(bytes: &[u8], r: Result<T, TestCaseError>) -> Result<T, TestCaseError> {
    r.map_err(|e| TestCaseError::fail(format!("{e}\nbody: {}", shown(bytes))))
}

// ---------------------------------------------------------------- properties

/// Every property of one answer; the number of cases of each.
fn answer_properties(answer: &Operation) -> Vec<(&'static str, u64)> {
    let name = answer.id();
    let mut counts = Vec::new();

    // The required keys alone are an answer.
    let minimal = body_of(
        answer,
        &Recipe {
            seed: 1,
            optional: 0.0,
            null: 0.0,
            extra: 0.0,
        },
    );
    let written = serde_json::to_vec(&minimal).expect("writes");
    let got = response::decode(answer.status(), &written, answer.answer, None);
    assert_eq!(
        got.as_ref(),
        Ok(&minimal),
        "{name}: the required keys alone"
    );

    counts.push((
        "sparse bodies",
        check(
            &format!("{name}: sparse bodies"),
            80,
            (recipe(), style(), 200u16..300),
            |(r, style, status)| {
                let value = body_of(answer, &r);
                let bytes = Body::new(value.clone()).bytes(style);
                let got = with_body(&bytes, readings(answer, status, &bytes, true))?;
                prop_assert_eq!(
                    got,
                    Ok(value),
                    "any subset of the optional fields decodes as sent"
                );
                Ok(())
            },
        ),
    ));

    counts.push((
        "mutated bodies",
        check(
            &format!("{name}: mutated bodies"),
            100,
            (
                recipe(),
                prop::collection::vec(mutation(), 1..4),
                style(),
                edit(),
            ),
            |(r, mutations, style, edit)| {
                let mut body = Body::new(body_of(answer, &r));
                for m in &mutations {
                    body.apply(m);
                }
                let mut bytes = body.bytes(style);
                apply_edit(&mut bytes, &edit);
                let exact = !repeats_a_key(&bytes);
                with_body(&bytes, readings(answer, 200, &bytes, exact)).map(drop)
            },
        ),
    ));

    counts.push((
        "a required field removed",
        check(
            &format!("{name}: a required field removed"),
            20,
            (recipe(), any::<Index>()),
            |(r, which)| {
                let value = body_of(answer, &r);
                let required = required_paths(answer.answer, &value);
                if required.is_empty() {
                    return Ok(());
                }
                let path = which.get(&required);
                let mut broken = value.clone();
                prop_assert!(remove(&mut broken, path));
                let bytes = serde_json::to_vec(&broken).expect("writes");
                let e = response::check(200, &bytes, answer.answer, None);
                prop_assert!(e.is_err(), "{:?} removed and still accepted", path);
                let message = e.unwrap_err().message;
                prop_assert!(message.contains("missing field"), "{}", message);
                Ok(())
            },
        ),
    ));

    counts.push((
        "random JSON",
        check(
            &format!("{name}: random JSON"),
            20,
            (json(), style()),
            |(v, style)| {
                let bytes = Body::new(v).bytes(style);
                with_body(&bytes, readings(answer, 200, &bytes, true)).map(drop)
            },
        ),
    ));

    counts.push((
        "any bytes, any status",
        check(
            &format!("{name}: any bytes, any status"),
            20,
            (
                status(),
                prop_oneof![
                    bytes(),
                    recipe()
                        .prop_map(|r| serde_json::to_vec(&body_of(answer, &r)).expect("writes")),
                ],
            ),
            |(status, body)| with_body(&body, readings(answer, status, &body, true)).map(drop),
        ),
    ));

    counts
}

/// Whether some object in `bytes` (JSON or not) has a key twice: parsed
/// into a `Value` it keeps only the last, so the readings may rightly differ.
fn repeats_a_key(bytes: &[u8]) -> bool {
    use serde::de::{Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
    struct Unique;
    impl<'de> Deserialize<'de> for Unique {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            d.deserialize_any(Unique)
        }
    }
    impl<'de> Visitor<'de> for Unique {
        type Value = Unique;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("JSON")
        }
        fn visit_bool<E>(self, _: bool) -> Result<Unique, E> {
            Ok(Unique)
        }
        fn visit_i64<E>(self, _: i64) -> Result<Unique, E> {
            Ok(Unique)
        }
        fn visit_u64<E>(self, _: u64) -> Result<Unique, E> {
            Ok(Unique)
        }
        fn visit_f64<E>(self, _: f64) -> Result<Unique, E> {
            Ok(Unique)
        }
        fn visit_str<E>(self, _: &str) -> Result<Unique, E> {
            Ok(Unique)
        }
        fn visit_unit<E>(self) -> Result<Unique, E> {
            Ok(Unique)
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Unique, A::Error> {
            while seq.next_element::<Unique>()?.is_some() {}
            Ok(Unique)
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Unique, A::Error> {
            let mut seen = std::collections::HashSet::new();
            while let Some(k) = map.next_key::<String>()? {
                if !seen.insert(k) {
                    return Err(serde::de::Error::custom("repeated key"));
                }
                map.next_value::<Unique>()?;
            }
            Ok(Unique)
        }
    }
    let _ = IgnoredAny;
    serde_json::from_slice::<Unique>(bytes)
        .err()
        .is_some_and(|e| e.to_string().starts_with("repeated key"))
}

/// Paths (in `value`) of the fields the document requires, at any depth.
fn required_paths(ty: TyRef, value: &Value) -> Vec<Vec<Seg>> {
    fn walk(ty: TyRef, v: &Value, path: &mut Vec<Seg>, out: &mut Vec<Vec<Seg>>) {
        match (ty.ty(), v) {
            (Ty::Obj(..), Value::Object(map)) => {
                for field in ty.ty().fields() {
                    let Some(x) = map.get(field.name()) else {
                        continue;
                    };
                    path.push(Seg::Key(field.name().to_owned()));
                    if field.required() {
                        out.push(path.clone());
                    }
                    walk(field.ty(), x, path, out);
                    path.pop();
                }
            }
            (Ty::Arr(item), Value::Array(items)) => {
                for (i, x) in items.iter().enumerate() {
                    path.push(Seg::At(i));
                    walk(item, x, path, out);
                    path.pop();
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(ty, value, &mut Vec::new(), &mut out);
    out
}

#[test]
fn every_answer_of_the_document() {
    let mut totals: Vec<(&str, u64)> = Vec::new();
    let mut json_answers = 0;
    for answer in OPERATIONS.iter().filter(|a| a.json()) {
        for (name, n) in answer_properties(answer) {
            match totals.iter_mut().find(|t| t.0 == name) {
                Some(t) => t.1 += n,
                None => totals.push((name, n)),
            }
        }
        json_answers += 1;
    }
    // Every operation but the one text/plain answer.
    assert_eq!(json_answers, OPERATIONS.len() - 1);
    let label = format!("answers of {json_answers} operations");
    let total = report(&label, &totals);
    assert!(total >= 40_000 || std::env::var("PROPTEST_CASES").is_ok());
}

// ---------------------------------------------------------------- fixtures

/// `tests/data/answers/<operation>/<name>.json`, where `<operation>` is the
/// operationId with its `:` written as `.`.
fn fixtures() -> Vec<(&'static Operation, String, Vec<u8>)> {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/answers");
    let mut out = Vec::new();
    for dir in std::fs::read_dir(root).expect("tests/data/answers") {
        let dir = dir.expect("entry").path();
        let operation = dir
            .file_name()
            .unwrap()
            .to_string_lossy()
            .replacen('.', ":", 1);
        let answer = Operation::find(&operation)
            .unwrap_or_else(|| panic!("{}: no operation {operation}", dir.display()));
        for file in std::fs::read_dir(&dir).expect("a directory") {
            let file = file.expect("entry").path();
            let name = format!(
                "{operation}/{}",
                file.file_name().unwrap().to_string_lossy()
            );
            out.push((answer, name, std::fs::read(&file).expect("readable")));
        }
    }
    out.sort_by(|a, b| a.1.cmp(&b.1));
    out
}

#[test]
fn fixtures_decode_as_sent() {
    let all = fixtures();
    assert!(all.len() >= 30, "{} fixtures", all.len());
    for (answer, name, bytes) in &all {
        let got = response::decode(answer.status(), bytes, answer.answer, None);
        let sent: Value = serde_json::from_slice(bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(got.as_ref(), Ok(&sent), "{name}");
    }
    for required in [
        "get:organization_virtual_machines/live.json",
        "get:organization_virtual_machines/partial_pagination.json",
        "get:task/sparse.json",
        "get:virtual_machine/sparse.json",
        "get:virtual_machines_builds_virtual_machine_build/sparse.json",
    ] {
        assert!(all.iter().any(|f| f.1 == required), "{required} is missing");
    }
}

#[test]
fn fixtures_with_fields_removed_still_decode() {
    // Every member of every fixture that the document does not require,
    // removed one at a time: still an answer, read as sent.
    let mut cases = 0u64;
    for (answer, name, bytes) in fixtures() {
        let value: Value = serde_json::from_slice(&bytes).expect("JSON");
        let required = required_paths(answer.answer, &value);
        let members = paths(&value, &|p, _| matches!(p.last(), Some(Seg::Key(_))));
        for p in members {
            let is_required = required.iter().any(|q| same(q, &p));
            let mut sparse = value.clone();
            assert!(remove(&mut sparse, &p));
            let body = serde_json::to_vec(&sparse).expect("writes");
            let got = response::decode(200, &body, answer.answer, None);
            if is_required {
                assert!(got.is_err(), "{name} without required {p:?}");
            } else {
                assert_eq!(got.as_ref(), Ok(&sparse), "{name} without {p:?}");
            }
            cases += 1;
        }
    }
    report("fixtures", &[("members removed one at a time", cases)]);
}

fn same(a: &[Seg], b: &[Seg]) -> bool {
    a.len() == b.len()
        && a.iter().zip(b).all(|(x, y)| match (x, y) {
            (Seg::Key(x), Seg::Key(y)) => x == y,
            (Seg::At(x), Seg::At(y)) => x == y,
            _ => false,
        })
}

/// FINDING (src/response.rs, with serde-derived models): serde reads a
/// struct from a JSON array, so `[[]]` decoded as an organization list.
/// The table-driven check takes objects only.
#[test]
fn objects_are_not_read_from_arrays() {
    let orgs = Operation::find("get:organizations").unwrap();
    assert!(response::check(200, b"[[]]", orgs.answer, None).is_err());
    let task = Operation::find("post:virtual_machine_start").unwrap();
    let body = br#"{"task":["task_1","Shutdown","pending"]}"#;
    assert!(response::check(200, body, task.answer, None).is_err());
}
