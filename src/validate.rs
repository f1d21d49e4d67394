//! Checks an answer's bytes against its documented type without building
//! anything: one pass of serde_json's parser with a table-driven visitor.
//!
//! It follows the document ([`crate::schema`]): a field its object's
//! `required` list names must be present, every other field may be absent
//! (and nothing is filled in for it), a present field must have its type,
//! `null` only where the document says `nullable`, whole numbers fit in
//! `i64`, any string is a valid enum value, unknown fields are ignored.

use crate::schema::{Field, Ty, TyRef};
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use std::fmt;

/// One step of a path into an answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Seg {
    /// An object field.
    Key(&'static str),
    /// An array element.
    Index(usize),
}

/// Why a body was rejected.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Invalid {
    /// The bytes are not JSON (or not only JSON).
    Syntax(String),
    /// JSON, but not the documented shape.
    Shape(String),
}

/// Checks `body` against `ty`.
pub fn validate(body: &[u8], ty: TyRef) -> Result<(), Invalid> {
    let mut path = Vec::new();
    let mut de = serde_json::Deserializer::from_slice(body);
    let result = Seed {
        ty,
        path: &mut path,
    }
    .deserialize(&mut de)
    .and_then(|()| de.end());
    match result {
        Ok(()) => Ok(()),
        // serde_json files "nested too deeply" under syntax; it is a shape.
        Err(e)
            if (e.is_syntax() || e.is_eof()) && !e.to_string().starts_with("recursion limit") =>
        {
            Err(Invalid::Syntax(e.to_string()))
        }
        Err(e) => Err(Invalid::Shape(match path.is_empty() {
            true => e.to_string(),
            false => format!("at {}: {e}", display(&path)),
        })),
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

struct Seed<'a> {
    ty: TyRef,
    /// The path to the value being checked (left in place on error).
    path: &'a mut Vec<Seg>,
}

impl<'de> DeserializeSeed<'de> for Seed<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        if self.ty.ty() == Ty::Any {
            // Skipped without recursion, however deep.
            return IgnoredAny::deserialize(d).map(|_| ());
        }
        // `deserialize_any` lets the visitor name what it got; the typed
        // entry points would format serde's own messages (and floats).
        d.deserialize_any(self)
    }
}

use serde::Deserialize as _;

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

/// What `ty` expects, for messages: "a string", "an object or null".
fn expected(ty: TyRef) -> String {
    let what = ty.ty().describe();
    if ty.nullable() {
        format!("{what} or null")
    } else {
        what.to_owned()
    }
}

impl Seed<'_> {
    fn scalar<E: de::Error>(self, got: Got) -> Result<(), E> {
        let ok = match (self.ty.ty(), got) {
            (_, Got::Null) => self.ty.nullable(),
            (Ty::Str, Got::Str) | (Ty::Int, Got::Int) | (Ty::Bool, Got::Bool) => true,
            (Ty::Num, Got::Int | Got::BigInt | Got::Float) => true,
            _ => false,
        };
        if ok {
            Ok(())
        } else {
            Err(E::custom(format_args!(
                "expected {}, got {}",
                expected(self.ty),
                got.describe()
            )))
        }
    }
}

impl<'de> Visitor<'de> for Seed<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(&expected(self.ty))
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
        let Ty::Arr(item) = self.ty.ty() else {
            return Err(de::Error::custom(format_args!(
                "expected {}, got an array",
                expected(self.ty)
            )));
        };
        let path = self.path;
        let mut index = 0;
        loop {
            path.push(Seg::Index(index));
            let next = seq.next_element_seed(Seed {
                ty: item,
                path: &mut *path,
            })?;
            path.pop();
            if next.is_none() {
                return Ok(());
            }
            index += 1;
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let ty = self.ty.ty();
        if !matches!(ty, Ty::Obj(..) | Ty::Lookup(..)) {
            return Err(de::Error::custom(format_args!(
                "expected {}, got an object",
                expected(self.ty)
            )));
        }
        let fields = ty.fields();
        let path = self.path;
        // Objects have at most 64 fields (the generator checks).
        let mut seen: u64 = 0;
        // Keys mostly come in the document's order: look from the last match on.
        let mut next = 0;
        while let Some(key) = map.next_key_seed(FieldKey(fields, next))? {
            let Some((i, field)) = key else {
                map.next_value::<IgnoredAny>()?;
                continue;
            };
            next = i + 1;
            let bit = 1u64 << (i % 64);
            if seen & bit != 0 {
                return Err(de::Error::custom(format_args!(
                    "duplicate field `{}`",
                    field.name()
                )));
            }
            seen |= bit;
            path.push(Seg::Key(field.name()));
            map.next_value_seed(Seed {
                ty: field.ty(),
                path: &mut *path,
            })?;
            path.pop();
        }
        let missing = fields
            .iter()
            .enumerate()
            .find(|(i, field)| field.required() && seen & (1u64 << (i % 64)) == 0);
        match missing {
            Some((_, field)) => Err(de::Error::custom(format_args!(
                "missing field `{}`",
                field.name()
            ))),
            None => Ok(()),
        }
    }
}

/// Reads an object key as the index of a known field (or `None`),
/// looking from the given index on, then from the start.
struct FieldKey(&'static [Field], usize);

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
        let (fields, start) = (self.0, self.1.min(self.0.len()));
        let (after, before) = (
            fields.get(start..).unwrap_or(&[]),
            fields.get(..start).unwrap_or(&[]),
        );
        let found = after
            .iter()
            .position(|f| f.is(v))
            .map(|i| i + start)
            .or_else(|| before.iter().position(|f| f.is(v)));
        Ok(found.and_then(|i| fields.get(i).map(|f| (i, f))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generated::operations as ops;
    use crate::schema::TyRef;

    const LIST: TyRef = ops::GET_ORGANIZATION_VIRTUAL_MACHINES.answer;
    const GET_VM: TyRef = ops::GET_VIRTUAL_MACHINE.answer;
    const TASK: TyRef = ops::POST_VIRTUAL_MACHINE_SHUTDOWN.answer;
    use crate::testdata;

    fn shape_error(body: &str, ty: TyRef) -> String {
        match validate(body.as_bytes(), ty) {
            Err(Invalid::Shape(m)) => m,
            other => panic!("expected a shape error for {body}, got {other:?}"),
        }
    }

    #[test]
    fn the_example_and_live_bodies_are_valid() {
        assert_eq!(validate(testdata::GET_VM.as_bytes(), GET_VM), Ok(()));
        assert_eq!(validate(testdata::LIST_VMS.as_bytes(), LIST), Ok(()));
        assert_eq!(validate(testdata::LIVE_LIST.as_bytes(), LIST), Ok(()));
    }

    #[test]
    fn only_the_documents_required_fields_must_be_present() {
        // The list's items, its zone, data center and pagination require nothing.
        let sparse = r#"{"pagination":{},"virtual_machines":[{},{"id":"vm_1"},{"zone":{"data_center":{}}}]}"#;
        assert_eq!(validate(sparse.as_bytes(), LIST), Ok(()));
        // The response's own required keys stay required.
        assert!(shape_error(r#"{"pagination":{}}"#, LIST)
            .starts_with("missing field `virtual_machines`"));
        assert!(shape_error(r#"{"virtual_machines":[]}"#, LIST)
            .starts_with("missing field `pagination`"));
    }

    #[test]
    fn null_only_where_the_document_says_nullable() {
        let ok = r#"{"pagination":{"total":null,"total_pages":null},"virtual_machines":[{"package":null,"gpu_type":null,"zone":{"permalink":null}}]}"#;
        assert_eq!(validate(ok.as_bytes(), LIST), Ok(()));
        assert!(shape_error(
            r#"{"pagination":{"per_page":null},"virtual_machines":[]}"#,
            LIST
        )
        .starts_with("at pagination.per_page: expected a whole number, got null"));
        assert!(shape_error(
            r#"{"pagination":{},"virtual_machines":[{"zone":null}]}"#,
            LIST
        )
        .starts_with("at virtual_machines[0].zone: expected an object, got null"));
        assert!(
            shape_error(r#"{"pagination":{},"virtual_machines":null}"#, LIST)
                .starts_with("at virtual_machines: expected an array, got null")
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
            (
                testdata::GET_VM.replace(r#""description":null"#, r#""description":7"#),
                "at virtual_machine.description: expected a string or null, got a whole number",
            ),
            ("[]".to_owned(), "expected an object, got an array"),
            ("null".to_owned(), "expected an object, got null"),
        ];
        for (body, message) in cases {
            let m = shape_error(&body, GET_VM);
            assert!(m.starts_with(message), "{m}");
        }
        assert!(shape_error(r#"{"task":{"id":"a","id":"b"}}"#, TASK)
            .starts_with("at task: duplicate field `id`"));
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
                matches!(validate(body.as_bytes(), TASK), Err(Invalid::Syntax(_))),
                "{body:?}"
            );
        }
    }

    #[test]
    fn unknown_fields_and_enum_values_are_fine() {
        let body = r#"{"task":{"id":"a","name":"n","status":"queued","new":{"deep":[1,2,{"x":null}]}},"meta":1}"#;
        assert_eq!(validate(body.as_bytes(), TASK), Ok(()));
    }

    #[test]
    fn deep_nesting_never_overflows_the_stack() {
        let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        // Skipped in an unknown field (iteratively, as JSON.parse does).
        let unknown = format!(r#"{{"task":{{"id":"a","junk":{deep}}}}}"#);
        assert_eq!(validate(unknown.as_bytes(), TASK), Ok(()));
        // Rejected at once where a string belongs.
        let known = format!(r#"{{"task":{{"id":{deep}}}}}"#);
        assert!(matches!(
            validate(known.as_bytes(), TASK),
            Err(Invalid::Shape(_))
        ));
        // Unbalanced: not JSON.
        let open = format!(r#"{{"task":{{"junk":{}"#, "[".repeat(100_000));
        assert!(matches!(
            validate(open.as_bytes(), TASK),
            Err(Invalid::Syntax(_))
        ));
    }

    #[test]
    fn the_value_reading_agrees_on_the_examples() {
        use crate::schema::conforms;
        for (body, ty) in [
            (testdata::GET_VM, GET_VM),
            (testdata::LIST_VMS, LIST),
            (testdata::LIVE_LIST, LIST),
        ] {
            let value: serde_json::Value = serde_json::from_str(body).unwrap();
            assert_eq!(conforms(&value, ty, false), Ok(()));
        }
        // Strict: keys the document does not list are refused.
        let extra: serde_json::Value =
            serde_json::from_str(r#"{"pagination":{},"virtual_machines":[{"state":"started"}]}"#)
                .unwrap();
        assert_eq!(conforms(&extra, LIST, false), Ok(()));
        assert_eq!(
            conforms(&extra, LIST, true),
            Err(
                "at virtual_machines[0]: expected no field `state` (the document does not list it)"
                    .into()
            )
        );
    }
}
