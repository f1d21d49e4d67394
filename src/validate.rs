//! Checks a response body against its documented [`Kind`] without building
//! anything: one pass of serde_json's parser with a schema-driven visitor.
//!
//! It accepts what the typed models accept (the property tests hold the two
//! to that): required fields present with the right types, whole numbers
//! that fit in `i64`, any string for enums, unknown fields ignored. It is
//! lenient where API.md asks: a nullable field may be missing (it reads as
//! `null`) and so may an array (it reads as empty). Missing ones are
//! reported so the caller can fill them in ([`fill_for`] says with what).

use crate::schema::{Field, Kind};
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use std::fmt;

/// One step of a path into a response.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Seg {
    /// An object field.
    Key(&'static str),
    /// An array element.
    Index(usize),
}

/// Where a value sits in a response, e.g. `virtual_machines[3].package`.
pub type Path = Vec<Seg>;

/// Why a body was rejected.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Invalid {
    /// The bytes are not JSON (or not only JSON).
    Syntax(String),
    /// JSON, but not the documented shape.
    Shape(String),
}

/// Checks `body` against `shape`. `Ok` holds the paths of nullable fields
/// that were missing (normally none).
pub fn validate(body: &[u8], shape: &'static Kind) -> Result<Vec<Path>, Invalid> {
    let mut walk = Walk {
        path: Vec::new(),
        missing: Vec::new(),
    };
    let mut de = serde_json::Deserializer::from_slice(body);
    let result = Seed {
        kind: shape,
        walk: &mut walk,
    }
    .deserialize(&mut de)
    .and_then(|()| de.end());
    match result {
        Ok(()) => Ok(walk.missing),
        // serde_json files "nested too deeply" under syntax; it is a shape.
        Err(e)
            if (e.is_syntax() || e.is_eof()) && !e.to_string().starts_with("recursion limit") =>
        {
            Err(Invalid::Syntax(e.to_string()))
        }
        Err(e) => Err(Invalid::Shape(match walk.path.is_empty() {
            true => e.to_string(),
            false => format!("at {}: {e}", display(&walk.path)),
        })),
    }
}

/// What a missing field reads as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fill {
    /// A missing nullable field: `null`.
    Null,
    /// A missing array: `[]`.
    EmptyArray,
}

/// What the missing field at `path` (one [`validate`] reported) reads as.
pub fn fill_for(shape: &'static Kind, path: &[Seg]) -> Fill {
    let mut kind = shape;
    for seg in path {
        let base = match kind {
            Kind::Null(inner) => inner,
            other => other,
        };
        kind = match (base, seg) {
            (Kind::Obj(fields), Seg::Key(k)) => match fields.iter().find(|f| f.name == *k) {
                Some(field) => field.kind,
                None => return Fill::Null,
            },
            (Kind::Arr(item), Seg::Index(_)) => item,
            _ => return Fill::Null,
        };
    }
    match kind {
        Kind::Arr(_) => Fill::EmptyArray,
        _ => Fill::Null,
    }
}

/// `virtual_machines[3].package`.
pub fn display(path: &[Seg]) -> String {
    let mut out = String::new();
    for seg in path {
        match seg {
            Seg::Key(k) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(k);
            }
            Seg::Index(i) => {
                out.push('[');
                out.push_str(&i.to_string());
                out.push(']');
            }
        }
    }
    out
}

struct Walk {
    /// The path to the value being checked (left in place on error).
    path: Vec<Seg>,
    missing: Vec<Path>,
}

struct Seed<'a> {
    kind: &'static Kind,
    walk: &'a mut Walk,
}

impl<'de> DeserializeSeed<'de> for Seed<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        // `deserialize_any` lets the visitor name what it got; the typed
        // entry points would format serde's own messages (and floats).
        d.deserialize_any(self)
    }
}

/// What a JSON value turned out to be, for messages.
#[derive(Clone, Copy)]
enum Got {
    Null,
    Bool,
    Int,
    BigInt,
    Float,
    Str,
}

impl Got {
    fn describe(self) -> &'static str {
        match self {
            Got::Null => "null",
            Got::Bool => "a boolean",
            Got::Int => "a whole number",
            Got::BigInt => "a whole number too large for 64 bits",
            Got::Float => "a number with a fraction or exponent",
            Got::Str => "a string",
        }
    }
}

fn expected(kind: &Kind) -> &'static str {
    match kind {
        Kind::Str => "a string",
        Kind::Enum => "a string (enum)",
        Kind::Int => "a whole number",
        Kind::Bool => "a boolean",
        Kind::Obj(_) => "an object",
        Kind::Arr(_) => "an array",
        Kind::Null(inner) => match **inner {
            Kind::Str | Kind::Enum => "a string or null",
            Kind::Int => "a whole number or null",
            Kind::Bool => "a boolean or null",
            Kind::Obj(_) => "an object or null",
            Kind::Arr(_) => "an array or null",
            Kind::Null(_) => "null",
        },
    }
}

impl Seed<'_> {
    /// The kind once `null` has been ruled out.
    fn base(&self) -> &'static Kind {
        match self.kind {
            Kind::Null(inner) => inner,
            other => other,
        }
    }

    fn scalar<E: de::Error>(self, got: Got) -> Result<(), E> {
        let ok = match (self.base(), got) {
            (_, Got::Null) => matches!(self.kind, Kind::Null(_)),
            (Kind::Str | Kind::Enum, Got::Str)
            | (Kind::Int, Got::Int)
            | (Kind::Bool, Got::Bool) => true,
            _ => false,
        };
        if ok {
            Ok(())
        } else {
            Err(E::custom(format_args!(
                "expected {}, got {}",
                expected(self.kind),
                got.describe()
            )))
        }
    }
}

impl<'de> Visitor<'de> for Seed<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(expected(self.kind))
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        self.scalar(Got::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        self.scalar(Got::Null)
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        self.scalar(Got::Bool)
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        self.scalar(Got::Int)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<(), E> {
        self.scalar(if i64::try_from(v).is_ok() {
            Got::Int
        } else {
            Got::BigInt
        })
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        self.scalar(Got::Float)
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
        self.scalar(Got::Str)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let Kind::Arr(item) = self.base() else {
            return Err(de::Error::custom(format_args!(
                "expected {}, got an array",
                expected(self.kind)
            )));
        };
        let walk = self.walk;
        let mut index = 0;
        loop {
            walk.path.push(Seg::Index(index));
            if seq
                .next_element_seed(Seed {
                    kind: item,
                    walk: &mut *walk,
                })?
                .is_none()
            {
                walk.path.pop();
                return Ok(());
            }
            walk.path.pop();
            index += 1;
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let Kind::Obj(fields) = self.base() else {
            return Err(de::Error::custom(format_args!(
                "expected {}, got an object",
                expected(self.kind)
            )));
        };
        let walk = self.walk;
        let mut seen: u64 = 0;
        while let Some(key) = map.next_key_seed(FieldKey(fields))? {
            let Some((i, field)) = key else {
                map.next_value::<IgnoredAny>()?;
                continue;
            };
            let bit = 1u64 << (i % 64);
            if seen & bit != 0 {
                return Err(de::Error::custom(format_args!(
                    "duplicate field `{}`",
                    field.name
                )));
            }
            seen |= bit;
            walk.path.push(Seg::Key(field.name));
            map.next_value_seed(Seed {
                kind: field.kind,
                walk: &mut *walk,
            })?;
            walk.path.pop();
        }
        for (i, field) in fields.iter().enumerate() {
            if seen & (1u64 << (i % 64)) != 0 {
                continue;
            }
            match field.kind {
                Kind::Null(_) | Kind::Arr(_) => {
                    let mut path = walk.path.clone();
                    path.push(Seg::Key(field.name));
                    walk.missing.push(path);
                }
                _ => {
                    return Err(de::Error::custom(format_args!(
                        "missing field `{}`",
                        field.name
                    )))
                }
            }
        }
        Ok(())
    }
}

/// Reads an object key as the index of a known field (or `None`).
struct FieldKey(&'static [Field]);

impl<'de> DeserializeSeed<'de> for FieldKey {
    type Value = Option<(usize, &'static Field)>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for FieldKey {
    type Value = Option<(usize, &'static Field)>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a field name")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(self.0.iter().enumerate().find(|(_, f)| f.name == v))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::*;
    use crate::schema::Shape;
    use crate::testdata;

    fn check<T: Shape>(body: &str) -> Result<Vec<Path>, Invalid> {
        validate(body.as_bytes(), T::SHAPE)
    }

    #[test]
    fn the_example_bodies_are_valid() {
        let org = |k| {
            vec![
                Seg::Key("virtual_machine"),
                Seg::Key("organization"),
                Seg::Key(k),
            ]
        };
        // GET_VM's organization leaves its nullable fields out.
        let left_out = [
            "billing_name",
            "address1",
            "address2",
            "address3",
            "address4",
            "postcode",
            "vat_number",
            "phone_number",
            "country",
            "country_state",
        ];
        assert_eq!(
            check::<GetVirtualMachineResponse>(testdata::GET_VM),
            Ok(left_out.map(org).to_vec())
        );
        let vm2 = |k| vec![Seg::Key("virtual_machines"), Seg::Index(1), Seg::Key(k)];
        assert_eq!(
            check::<ListVirtualMachinesResponse>(testdata::LIST_VMS),
            Ok(vec![vm2("gpu_type"), vm2("hypervisor")])
        );
        let delete = format!(
            r#"{{"trash_object":{{"id":"t","keep_until":1,"object_id":"v","object_type":"VirtualMachine"}},"virtual_machine":{}}}"#,
            testdata::VM
        );
        assert_eq!(
            check::<DeleteVirtualMachineResponse>(&delete),
            Ok(vec![vec![
                Seg::Key("virtual_machine"),
                Seg::Key("ip_addresses"),
                Seg::Index(0),
                Seg::Key("network"),
                Seg::Key("default")
            ]])
        );
    }

    #[test]
    fn missing_nullable_fields_are_reported_with_their_path() {
        let body = testdata::LIST_VMS.replace(r#""package": null, "#, "");
        assert_eq!(
            check::<ListVirtualMachinesResponse>(&body),
            Ok(vec![
                vec![
                    Seg::Key("virtual_machines"),
                    Seg::Index(1),
                    Seg::Key("package")
                ],
                vec![
                    Seg::Key("virtual_machines"),
                    Seg::Index(1),
                    Seg::Key("gpu_type")
                ],
                vec![
                    Seg::Key("virtual_machines"),
                    Seg::Index(1),
                    Seg::Key("hypervisor")
                ],
            ])
        );
        assert_eq!(
            display(&[Seg::Key("a"), Seg::Index(3), Seg::Key("b")]),
            "a[3].b"
        );
    }

    #[test]
    fn missing_arrays_are_reported_and_read_as_empty() {
        let body = testdata::GET_VM.replace(r#""tags":[],"#, "");
        let missing = check::<GetVirtualMachineResponse>(&body).unwrap();
        let tags = vec![Seg::Key("virtual_machine"), Seg::Key("tags")];
        assert!(missing.contains(&tags), "{missing:?}");
        assert_eq!(
            fill_for(GetVirtualMachineResponse::SHAPE, &tags),
            Fill::EmptyArray
        );
        let description = [Seg::Key("virtual_machine"), Seg::Key("description")];
        assert_eq!(
            fill_for(GetVirtualMachineResponse::SHAPE, &description),
            Fill::Null
        );
        let nested = [
            Seg::Key("virtual_machines"),
            Seg::Index(4),
            Seg::Key("ip_addresses"),
        ];
        assert_eq!(
            fill_for(ListVirtualMachinesResponse::SHAPE, &nested),
            Fill::EmptyArray
        );
    }

    #[test]
    fn shape_errors_name_the_path_and_what_was_found() {
        let cases = [
            (
                testdata::GET_VM.replace(r#""created_at":1700000000"#, r#""created_at":"1700000000""#),
                "at virtual_machine.created_at: expected a whole number, got a string",
            ),
            (
                testdata::GET_VM.replace(r#""hostname":"web-1","#, ""),
                "at virtual_machine: missing field `hostname`",
            ),
            (
                testdata::GET_VM.replace(r#""created_at":1700000000"#, r#""created_at":1.5"#),
                "at virtual_machine.created_at: expected a whole number, got a number with a fraction or exponent",
            ),
            (
                testdata::GET_VM.replace(r#""created_at":1700000000"#, r#""created_at":18446744073709551615"#),
                "at virtual_machine.created_at: expected a whole number, got a whole number too large for 64 bits",
            ),
            (
                testdata::GET_VM.replace(r#""gpus":["#, r#""gpus":[5,"#),
                "at virtual_machine.gpus[0]: expected an object, got a whole number",
            ),
            (
                testdata::GET_VM.replace(r#""annotations":["#, r#""annotations":{"a":1},"x":["#),
                "at annotations: expected an array, got an object",
            ),
            (r#"{"task":{"id":"a","id":"b","name":"n","status":"pending"}}"#.to_owned(), "at task: duplicate field `id`"),
            ("[]".to_owned(), "expected an object, got an array"),
            ("null".to_owned(), "expected an object, got null"),
        ];
        for (body, message) in cases {
            let result = if body.contains("\"task\"") {
                check::<TaskResponse>(&body)
            } else {
                check::<GetVirtualMachineResponse>(&body)
            };
            match result {
                Err(Invalid::Shape(m)) => assert!(m.starts_with(message), "{m}"),
                other => panic!("expected a shape error for {message}, got {other:?}"),
            }
        }
    }

    #[test]
    fn syntax_errors_are_told_apart() {
        let valid = r#"{"task":{"id":"a","name":"n","status":"x"}}"#;
        for body in [
            "",
            "{",
            "<html>",
            "{\"task\":",
            &format!("{valid}{valid}"),
            &format!("{valid} x"),
            "\u{feff}{}",
        ] {
            assert!(
                matches!(check::<TaskResponse>(body), Err(Invalid::Syntax(_))),
                "{body:?}"
            );
        }
    }

    #[test]
    fn unknown_fields_and_enum_values_are_fine() {
        let body = r#"{"task":{"id":"a","name":"n","status":"queued","new":{"deep":[1,2,{"x":null}]}},"meta":1}"#;
        assert_eq!(check::<TaskResponse>(body), Ok(vec![]));
    }

    #[test]
    fn deep_nesting_never_overflows_the_stack() {
        let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        // Skipped in an unknown field (iteratively, as the typed decoder and
        // JSON.parse do).
        let unknown = format!(r#"{{"task":{{"id":"a","name":"n","status":"x","junk":{deep}}}}}"#);
        assert_eq!(check::<TaskResponse>(&unknown), Ok(vec![]));
        // Rejected at once where a string belongs.
        let known = format!(r#"{{"task":{{"id":{deep},"name":"n","status":"x"}}}}"#);
        assert!(matches!(
            check::<TaskResponse>(&known),
            Err(Invalid::Shape(_))
        ));
        // Unbalanced: not JSON.
        let open = format!(r#"{{"task":{{"junk":{}"#, "[".repeat(100_000));
        assert!(matches!(
            check::<TaskResponse>(&open),
            Err(Invalid::Syntax(_))
        ));
    }
}
