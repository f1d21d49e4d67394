//! Property tests of building requests, for every operation of the
//! generated table (a new operation in the document is tested with no
//! change here): arguments built from each argument's type are accepted
//! and sent as the document names them; mutated arguments and any JSON are
//! accepted or refused with `invalid_argument`, never a panic, and never a
//! request that breaks the document's rules.
//! `PROPTEST_CASES=N` runs every property with N cases.

#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::gen::*;
use common::tree::*;
use common::{check, report};
use katapult_wasm::operation::{Form, Naming, Operation, Place, OPERATIONS};
use katapult_wasm::request::Method;
use katapult_wasm::schema::{Ty, TyRef};
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;
use serde_json::{Map, Value};

/// A value of `ty`, as a caller would pass it (`seed` picks among the
/// choices; deep optional fields are left out).
fn value(ty: TyRef, seed: &mut u64, depth: usize) -> Value {
    fn step(seed: &mut u64) -> u64 {
        *seed ^= *seed << 13;
        *seed ^= *seed >> 7;
        *seed ^= *seed << 17;
        *seed
    }
    let mut next = || step(seed);
    match ty.ty() {
        Ty::Any => Value::String("anything".into()),
        Ty::Str => Value::String(["x", "", "é ☃", "a/b?c#d"][(next() % 4) as usize].into()),
        Ty::Int => Value::from([1i64, 0, 30, 1_700_000_000][(next() % 4) as usize]),
        Ty::Num => Value::from(1.5),
        Ty::Bool => Value::Bool(next() % 2 == 0),
        Ty::Arr(item) => {
            let len = if depth > 3 { 0 } else { step(seed) % 3 };
            Value::Array((0..len).map(|_| value(item, seed, depth + 1)).collect())
        }
        Ty::Lookup(..) => {
            let fields = ty.ty().fields();
            let pick = &fields[(next() % fields.len() as u64) as usize];
            let mut map = Map::new();
            map.insert(pick.name().into(), Value::String("x_1".into()));
            Value::Object(map)
        }
        Ty::Obj(..) => {
            let mut map = Map::new();
            for field in ty.ty().fields() {
                if field.required() || (depth < 3 && step(seed) % 2 == 0) {
                    map.insert(field.name().into(), value(field.ty(), seed, depth + 1));
                }
            }
            Value::Object(map)
        }
    }
}

/// Valid arguments for `op`: every required one and some optional ones.
fn params(op: &Operation, mut seed: u64) -> Value {
    let mut map = Map::new();
    for arg in op.args() {
        if arg.required() || seed % 3 != 0 {
            map.insert(arg.name().into(), value(arg.ty, &mut seed, 0));
        }
        seed = seed.rotate_left(7) ^ 0x9e37_79b9_7f4a_7c15;
    }
    Value::Object(map)
}

/// What a built request must be, whatever it was built from.
fn well_formed(op: &Operation, call: &katapult_wasm::request::Call) -> Result<(), TestCaseError> {
    let r = &call.request;
    prop_assert_eq!(r.method, op.method());
    prop_assert_eq!(r.path, op.path());
    prop_assert_eq!(call.shape, op.answer);
    let args = op.args();
    match op.method() {
        Method::Get => {
            prop_assert!(r.body.is_none());
            for (key, _) in &r.query {
                let name = key.split('[').next().unwrap_or_default();
                let arg = args.iter().find(|a| a.name() == name);
                prop_assert!(
                    arg.is_some(),
                    "{}: query key {} is no argument",
                    op.id(),
                    key
                );
                let form = arg.map(|a| a.form()).unwrap_or(Form::Value);
                match form {
                    Form::Value => prop_assert_eq!(key, name),
                    Form::Lookup => {
                        let lookup = key.starts_with(&format!("{name}[")) && !key.contains("[]");
                        prop_assert!(lookup, "{}", key)
                    }
                    Form::Objects => {
                        prop_assert!(key.starts_with(&format!("{name}[][")), "{}", key)
                    }
                }
            }
            // A lookup is sent with exactly one key.
            for arg in args.iter().filter(|a| a.form() == Form::Lookup) {
                let sent = r
                    .query
                    .iter()
                    .filter(|(k, _)| k.starts_with(&format!("{}[", arg.name())))
                    .count();
                prop_assert!(sent <= 1, "{}: {} sent {} keys", op.id(), arg.name(), sent);
            }
        }
        _ => {
            prop_assert!(r.query.is_empty());
            let body: Value =
                serde_json::from_str(r.body.as_deref().unwrap_or("")).expect("the body is JSON");
            let Value::Object(map) = body else {
                return Err(TestCaseError::fail("the body is an object"));
            };
            for (key, v) in &map {
                let arg = args.iter().find(|a| a.name() == key);
                prop_assert!(
                    arg.is_some_and(|a| a.place() == Place::Body),
                    "{}: body key {}",
                    op.id(),
                    key
                );
                if arg.is_some_and(|a| a.form() == Form::Lookup) {
                    prop_assert_eq!(
                        v.as_object().map(Map::len),
                        Some(1),
                        "{}: {} is one key",
                        op.id(),
                        key
                    );
                }
            }
            for arg in args.iter().filter(|a| a.required()) {
                prop_assert!(
                    map.contains_key(arg.name()),
                    "{}: required {} not sent",
                    op.id(),
                    arg.name()
                );
            }
        }
    }
    Ok(())
}

fn refusal(e: &katapult_wasm::error::Error) -> Result<(), TestCaseError> {
    prop_assert_eq!((e.code.as_str(), e.status), ("invalid_argument", 0));
    prop_assert!(!e.message.is_empty());
    Ok(())
}

#[test]
fn every_operation_builds_its_requests() {
    let mut totals = [
        ("valid arguments", 0u64),
        ("mutated arguments", 0),
        ("any JSON", 0),
    ];
    for op in &OPERATIONS {
        let name = op.id();
        totals[0].1 += check(&format!("{name}: valid"), 60, any::<u64>(), |seed| {
            let p = params(op, seed | 1);
            match op.call(&p, &Naming::PARAMS) {
                Ok(call) => well_formed(op, &call),
                Err(e) => Err(TestCaseError::fail(format!(
                    "{name} refused {p}: {}",
                    e.message
                ))),
            }
        });
        totals[1].1 += check(
            &format!("{name}: mutated"),
            100,
            (any::<u64>(), prop::collection::vec(mutation(), 1..4)),
            |(seed, mutations)| {
                let mut body = Body::new(params(op, seed | 1));
                for m in &mutations {
                    body.apply(m);
                }
                match op.call(&body.value, &Naming::PARAMS) {
                    Ok(call) => well_formed(op, &call),
                    Err(e) => refusal(&e),
                }
            },
        );
        totals[2].1 += check(&format!("{name}: any JSON"), 30, json(), |v| {
            match op.call(&v, &Naming::PARAMS) {
                Ok(call) => well_formed(op, &call),
                Err(e) => refusal(&e),
            }
        });
    }
    let total = report("requests of every operation", &totals);
    assert!(total >= 10_000 || std::env::var("PROPTEST_CASES").is_ok());
}
