//! The documented shape of every answer and argument, as data.
//!
//! The tables themselves are generated from the OpenAPI document
//! ([`crate::generated::schema`]); this module gives them their types. The
//! WebAssembly build does not deserialize answers into Rust structs: it
//! checks the bytes against these shapes ([`crate::validate`]) and hands
//! JavaScript the result of its own `JSON.parse` of them, untouched.
//!
//! The rule is the document's: a field is guaranteed only where its
//! object's `required` list names it, so every other field may be absent;
//! `null` is accepted only where the document says `nullable`; unknown
//! fields are ignored; an enum is any string.

use crate::generated::schema::{FIELDS, NAMES, NAME_AT, TYPES};

/// A type in [`TYPES`]; the top bit says `null` is accepted too.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct TyRef(pub u16);

impl TyRef {
    const NULLABLE: u16 = 0x8000;

    /// Whether `null` is accepted.
    #[inline(always)]
    pub fn nullable(self) -> bool {
        self.0 & Self::NULLABLE != 0
    }

    /// The type itself (any value, for an index the tables do not have).
    #[inline(always)]
    pub fn ty(self) -> Ty {
        TYPES
            .get(usize::from(self.0 & !Self::NULLABLE))
            .copied()
            .unwrap_or(Ty::Any)
    }
}

/// The kind of a JSON value in an answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ty {
    /// Any value (the document gives no type).
    Any,
    /// A string (enums too: unknown values are kept).
    Str,
    /// A whole number that fits in `i64` (the document's `integer`).
    Int,
    /// Any number (the document's `number`).
    Num,
    /// `true` or `false`.
    Bool,
    /// An array of this type.
    Arr(TyRef),
    /// An object: its fields are `FIELDS[first..first + len]`; other keys are ignored.
    Obj(u16, u8),
    /// A request lookup: an object holding exactly one of these fields.
    Lookup(u16, u8),
}

impl Ty {
    /// An object's fields (none for other types).
    pub fn fields(self) -> &'static [Field] {
        match self {
            Ty::Obj(first, len) | Ty::Lookup(first, len) => {
                let first = usize::from(first);
                FIELDS.get(first..first + usize::from(len)).unwrap_or(&[])
            }
            _ => &[],
        }
    }

    /// What a value of this type is, for messages.
    pub fn describe(self) -> &'static str {
        match self {
            Ty::Any => "any value",
            Ty::Str => "a string",
            Ty::Int => "a whole number",
            Ty::Num => "a number",
            Ty::Bool => "a boolean",
            Ty::Arr(_) => "an array",
            Ty::Obj(..) | Ty::Lookup(..) => "an object",
        }
    }
}

/// A field of an object, packed: its name (an index into `NAME_AT`) and
/// its type, with bit 14 set when it is required.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Field {
    name: u16,
    bits: u16,
}

/// A [`Field`], as the generated tables spell it.
pub const fn f(name: u16, bits: u16) -> Field {
    Field { name, bits }
}

const REQUIRED: u16 = 0x4000;

/// The name with this index in `NAME_AT` ("" for one the table lacks).
pub fn name(index: u16) -> &'static str {
    let i = usize::from(index);
    match (NAME_AT.get(i), NAME_AT.get(i + 1)) {
        (Some(&at), Some(&end)) => NAMES.get(usize::from(at)..usize::from(end)).unwrap_or(""),
        _ => "",
    }
}

impl Field {
    /// The field's name on the wire.
    pub fn name(&self) -> &'static str {
        name(self.name)
    }

    /// The field's name on the wire, as bytes (the answer check's lookup).
    #[inline(always)]
    pub fn name_bytes(&self) -> &'static [u8] {
        let i = usize::from(self.name);
        match (NAME_AT.get(i), NAME_AT.get(i + 1)) {
            (Some(&at), Some(&end)) => NAMES
                .as_bytes()
                .get(usize::from(at)..usize::from(end))
                .unwrap_or(&[]),
            _ => &[],
        }
    }

    /// Its type.
    #[inline(always)]
    pub fn ty(&self) -> TyRef {
        TyRef(self.bits & !REQUIRED)
    }

    /// Whether the document's `required` list names it.
    #[inline(always)]
    pub fn required(&self) -> bool {
        self.bits & REQUIRED != 0
    }
}

/// Checks a parsed value against `ty` (an independent reading of the same
/// rules as [`crate::validate`], for tests and the mock). With `strict`,
/// keys the document does not list are errors too, which is how the mock's
/// tests prove it sends nothing the document lacks.
pub fn conforms(value: &serde_json::Value, ty: TyRef, strict: bool) -> Result<(), String> {
    use serde_json::Value;
    fn walk(v: &Value, ty: TyRef, strict: bool, at: &mut String) -> Result<(), String> {
        let fail = |what: &str, at: &str| {
            Err(format!(
                "at {}: expected {what}",
                if at.is_empty() { "(root)" } else { at }
            ))
        };
        if v.is_null() {
            return if ty.nullable() || ty.ty() == Ty::Any {
                Ok(())
            } else {
                fail(&format!("{}, got null", ty.ty().describe()), at)
            };
        }
        let t = ty.ty();
        match (t, v) {
            (Ty::Any, _)
            | (Ty::Str, Value::String(_))
            | (Ty::Bool, Value::Bool(_))
            | (Ty::Num, Value::Number(_)) => Ok(()),
            (Ty::Int, Value::Number(n)) if n.is_i64() => Ok(()),
            (Ty::Arr(item), Value::Array(items)) => {
                for (i, x) in items.iter().enumerate() {
                    let len = at.len();
                    at.push_str(&format!("[{i}]"));
                    walk(x, item, strict, at)?;
                    at.truncate(len);
                }
                Ok(())
            }
            (Ty::Obj(..) | Ty::Lookup(..), Value::Object(map)) => {
                let fields = t.fields();
                for field in fields {
                    if field.required() && !map.contains_key(field.name()) {
                        return fail(&format!("the required field `{}`", field.name()), at);
                    }
                }
                for (k, x) in map {
                    let Some(field) = fields.iter().find(|f| f.name() == k) else {
                        if strict && !fields.is_empty() {
                            return fail(
                                &format!("no field `{k}` (the document does not list it)"),
                                at,
                            );
                        }
                        continue;
                    };
                    let len = at.len();
                    if !at.is_empty() {
                        at.push('.');
                    }
                    at.push_str(k);
                    walk(x, field.ty(), strict, at)?;
                    at.truncate(len);
                }
                Ok(())
            }
            _ => fail(t.describe(), at),
        }
    }
    walk(value, ty, strict, &mut String::new())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_generated_tables_hang_together() {
        let in_bounds = |r: TyRef| usize::from(r.0 & !TyRef::NULLABLE) < TYPES.len();
        for (i, ty) in TYPES.iter().enumerate() {
            match *ty {
                Ty::Arr(item) => assert!(in_bounds(item), "type {i}"),
                Ty::Obj(first, len) | Ty::Lookup(first, len) => {
                    assert!(
                        usize::from(first) + usize::from(len) <= FIELDS.len(),
                        "type {i}"
                    );
                    assert!(len <= 64, "type {i} has {len} fields");
                    let fields = ty.fields();
                    assert_eq!(fields.len(), usize::from(len));
                    for (j, f) in fields.iter().enumerate() {
                        assert!(
                            !f.name().is_empty() && in_bounds(f.ty()),
                            "type {i} field {j}"
                        );
                        assert!(
                            fields[..j].iter().all(|g| g.name() != f.name()),
                            "type {i} repeats {}",
                            f.name()
                        );
                    }
                }
                _ => {}
            }
        }
    }

    #[test]
    fn the_list_item_requires_nothing_and_says_what_is_nullable() {
        use crate::generated::operations::GET_ORGANIZATION_VIRTUAL_MACHINES as LIST;
        let top = LIST.answer.ty().fields();
        let names: Vec<_> = top.iter().map(|f| (f.name(), f.required())).collect();
        assert_eq!(names, [("pagination", true), ("virtual_machines", true)]);
        let Ty::Arr(item) = top[1].ty().ty() else {
            panic!("virtual_machines is an array")
        };
        let fields = item.ty().fields();
        assert!(fields.iter().all(|f| !f.required()));
        let package = fields.iter().find(|f| f.name() == "package").unwrap();
        assert!(package.ty().nullable());
        let zone = fields.iter().find(|f| f.name() == "zone").unwrap();
        assert!(!zone.ty().nullable());
    }
}
