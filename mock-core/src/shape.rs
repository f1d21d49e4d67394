//! Answers in the document's shape: a stored object projected onto the
//! schema of one place of one answer, walking the document's schema.
//!
//! Only fields the schema lists come out (so nothing the document lacks is
//! ever sent); at a place live traffic was recorded, only the fields the
//! live API sent there ([`crate::presence`]); a field the source lacks gets
//! a generated value ([`crate::values`]), fixed by the object's seed so
//! every answer about one object agrees; but an object nobody gave where
//! the document allows `null` is `null` (a new disk is in no VM, rather
//! than in a made-up one). A `oneOf` is answered as its first alternative;
//! a free-form object as given.

use serde_json::{Map, Value};

use crate::document::Document;
use crate::kinds::singular;
use crate::presence::Presence;
use crate::values::{self, Slot};

/// Generated objects below this depth carry only their required fields,
/// so a schema that contains itself ends.
const DEPTH: usize = 6;

/// Shapes values for one operation's answer (or in full, for storing).
#[derive(Debug, Clone, Copy)]
pub struct Shaper<'a> {
    doc: &'static Document,
    /// The operation whose places' presence applies (`None`: every field).
    operation: Option<&'a str>,
    now: i64,
}

impl<'a> Shaper<'a> {
    /// A shaper for `operation`'s answer.
    pub fn answer(operation: &'a str, now: i64) -> Self {
        Shaper {
            doc: Document::get(),
            operation: Some(operation),
            now,
        }
    }

    /// A shaper that keeps every documented field (what the engine stores).
    pub fn full(now: i64) -> Self {
        Shaper {
            doc: Document::get(),
            operation: None,
            now,
        }
    }

    /// A shaper for the Public API's answers (its own document; its
    /// answers were never recorded, so every documented field).
    pub fn public(now: i64) -> Self {
        Shaper {
            doc: Document::public(),
            operation: None,
            now,
        }
    }

    /// The slot of an object's field.
    pub fn slot<'n>(&self, name: &'n str, owner: &'n str, seed: u64) -> Slot<'n> {
        Slot {
            name,
            owner,
            seed,
            now: self.now,
        }
    }

    fn sends(&self, place: &str, field: &str) -> bool {
        self.operation
            .is_none_or(|op| Presence::get().sends(op, place, field))
    }

    /// `source` (or nothing) shaped as `node` at `place` (`$.dns_zone`).
    pub fn shape(
        &self,
        node: &'static Value,
        source: Option<&Value>,
        slot: Slot,
        place: &str,
    ) -> Value {
        self.walk(node, source, slot, place, 0)
    }

    fn walk(
        &self,
        node: &'static Value,
        source: Option<&Value>,
        slot: Slot,
        place: &str,
        depth: usize,
    ) -> Value {
        let doc = self.doc;
        let mut schema = doc.resolve(node);
        if let Some(first) = schema["oneOf"]
            .as_array()
            .or(schema["anyOf"].as_array())
            .and_then(|alts| alts.first())
        {
            schema = doc.resolve(first);
        }
        let source = match source {
            Some(Value::Null) if doc.nullable(node) => return Value::Null,
            Some(Value::Null) => None,
            other => other,
        };
        let kind = match schema["type"].as_str() {
            _ if schema["properties"].is_object() => "object",
            Some(t) => t,
            None => "",
        };
        match kind {
            "object" if source.is_none() && doc.nullable(node) => Value::Null,
            "object" => self.object(schema, source, slot, place, depth),
            "array" => match source {
                Some(Value::Array(items)) => {
                    let name = singular(slot.name);
                    let inner = format!("{place}[]");
                    let items = items.iter().enumerate().map(|(i, x)| {
                        let seed = slot.child(&i.to_string());
                        let slot = Slot {
                            name: &name,
                            seed,
                            ..slot
                        };
                        self.walk(&schema["items"], Some(x), slot, &inner, depth + 1)
                    });
                    Value::Array(items.collect())
                }
                _ => Value::Array(Vec::new()),
            },
            "string" | "integer" | "number" | "boolean" => {
                let fits = match (kind, source) {
                    ("string", Some(Value::String(_))) | ("boolean", Some(Value::Bool(_))) => true,
                    ("integer", Some(Value::Number(n))) => n.is_i64() || n.is_u64(),
                    ("number", Some(Value::Number(_))) => true,
                    _ => false,
                };
                match source {
                    Some(v) if fits => v.clone(),
                    _ => values::scalar(kind, doc.enum_values(schema).first(), &slot),
                }
            }
            _ => source.cloned().unwrap_or(Value::Null),
        }
    }

    fn object(
        &self,
        schema: &'static Value,
        source: Option<&Value>,
        slot: Slot,
        place: &str,
        depth: usize,
    ) -> Value {
        let Some(props) = schema["properties"].as_object().filter(|p| !p.is_empty()) else {
            // A free-form object: as given.
            return match source {
                Some(v @ Value::Object(_)) => v.clone(),
                _ => Value::Object(Map::new()),
            };
        };
        let required: Vec<&str> = schema["required"]
            .as_array()
            .map(|r| r.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let mut out = Map::new();
        for (field, node) in props {
            let needed = required.contains(&field.as_str());
            let given = source.and_then(|s| s.get(field));
            if !needed && (!self.sends(place, field) || (given.is_none() && depth >= DEPTH)) {
                continue;
            }
            let child = Slot {
                name: field,
                owner: slot.name,
                seed: slot.child(field),
                now: self.now,
            };
            let at = format!("{place}.{field}");
            out.insert(field.clone(), self.walk(node, given, child, &at, depth + 1));
        }
        Value::Object(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn dns_zone_schema() -> &'static Value {
        crate::kinds::Kinds::get()
            .schema("dns_zone")
            .expect("DNSZone")
    }

    #[test]
    fn projects_and_fills_only_documented_fields() {
        let s = Shaper::full(1_700_000_000);
        let src = json!({"id": "dz_1", "name": "example.com", "secret": "x"});
        let out = s.shape(
            dns_zone_schema(),
            Some(&src),
            s.slot("dns_zone", "", 7),
            "$.dns_zone",
        );
        assert_eq!(out["id"], "dz_1");
        assert_eq!(out["name"], "example.com");
        assert!(out.get("secret").is_none());
        let again = s.shape(
            dns_zone_schema(),
            Some(&src),
            s.slot("dns_zone", "", 7),
            "$.dns_zone",
        );
        assert_eq!(out, again);
    }

    #[test]
    fn follows_presence_at_recorded_places() {
        let op = "get:organization_virtual_machines";
        let s = Shaper::answer(op, 0);
        let schema = Document::get()
            .operation(op)
            .and_then(|o| o.answer())
            .expect("answer");
        let out = s.shape(
            schema,
            Some(&json!({"virtual_machines": [{}]})),
            s.slot("", "", 1),
            "$",
        );
        let vm = &out["virtual_machines"][0];
        assert!(vm.get("fqdn").is_some(), "{vm}");
        assert!(vm.get("hypervisor").is_none(), "{vm}");
        assert!(vm["zone"]["data_center"].get("country").is_none(), "{vm}");
        assert!(katapult_wasm::schema::conforms(
            &out,
            katapult_wasm::operation::Operation::find(op)
                .expect("op")
                .answer,
            true
        )
        .is_ok());
    }
}
