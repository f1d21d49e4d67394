//! Which documented fields the live API sends (API.md "Decoding"), from
//! `spec/live-presence.json`: for each operation and place in its answer
//! (`$.virtual_machines[].zone`), how many recorded objects there were and
//! how many had each field.
//!
//! The engine sends a field at a recorded place only if recorded traffic
//! had it at least once, so its answers are as sparse as the live API's
//! (no `country` in a VM list item's data center, no `state` in the item).
//! Where nothing was recorded it sends every documented field: the
//! document is then the only evidence.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde_json::Value;

/// The evidence file's text (the project's copy of `../shared/live-presence.json`).
const TEXT: &str = include_str!("../../spec/live-presence.json");

/// The recorded places and their fields.
#[derive(Debug, Default)]
pub struct Presence {
    /// (operationId, place) → field → how many recorded objects had it.
    places: BTreeMap<(String, String), BTreeMap<String, u64>>,
}

impl Presence {
    /// The table (read on first use).
    pub fn get() -> &'static Presence {
        static TABLE: OnceLock<Presence> = OnceLock::new();
        TABLE.get_or_init(|| Presence::parse(TEXT))
    }

    fn parse(text: &str) -> Presence {
        let json: Value = serde_json::from_str(text).unwrap_or(Value::Null);
        let columns: Vec<&str> = json["columns"]
            .as_array()
            .map(|c| c.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let at = |name: &str| columns.iter().position(|c| *c == name);
        let (Some(op), Some(path), Some(field), Some(present)) =
            (at("operationId"), at("path"), at("field"), at("present"))
        else {
            return Presence::default();
        };
        let mut places: BTreeMap<(String, String), BTreeMap<String, u64>> = BTreeMap::new();
        for row in json["fields"].as_array().into_iter().flatten() {
            let text = |i: usize| row.get(i).and_then(Value::as_str);
            let (Some(o), Some(p), Some(f)) = (text(op), text(path), text(field)) else {
                continue;
            };
            let count = row.get(present).and_then(Value::as_u64).unwrap_or(0);
            places
                .entry((o.to_owned(), p.to_owned()))
                .or_default()
                .insert(f.to_owned(), count);
        }
        Presence { places }
    }

    /// Whether the live API sends `field` at `place` of `operation`'s
    /// answer: yes where it was recorded there at least once, or where the
    /// place was never recorded.
    pub fn sends(&self, operation: &str, place: &str, field: &str) -> bool {
        match self.places.get(&(operation.to_owned(), place.to_owned())) {
            Some(fields) => fields.get(field).is_none_or(|n| *n > 0),
            None => true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recorded_places_are_sparse_others_full() {
        let p = Presence::get();
        let op = "get:organization_virtual_machines";
        assert!(p.sends(op, "$.virtual_machines[]", "fqdn"));
        assert!(!p.sends(op, "$.virtual_machines[]", "hypervisor"));
        assert!(!p.sends(op, "$.virtual_machines[].zone.data_center", "country"));
        assert!(p.sends("get:dns_zone", "$.dns_zone", "name"));
    }
}
