//! Resource kinds, named as the API names them, and how the document's
//! other names map onto them.
//!
//! A kind is the key its objects are answered under: `dns_zone`,
//! `load_balancer_rule`, `object_storage_access_key` (and the singular of a
//! list's key: `dns_zones` → `dns_zone`). Lookup arguments mostly carry the
//! kind's own name; where they are shorter (`access_key`, `bucket`,
//! `io_profile`, `speed_profile`, `package`) they name the one kind that
//! ends with them. Not-found codes are read from each operation's
//! documented 404 answers, matched the same way (`package_not_found` for
//! `virtual_machine_package`, `build_not_found` for `virtual_machine_build`).

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use katapult_wasm::operation::{Form, OPERATIONS};
use serde_json::Value;

use crate::document::{Document, OperationDoc};

/// Answer keys that are the framework's, not resources.
const NOT_KINDS: &[&str] = &["pagination", "annotations"];

/// Every kind the document answers with, the keys its lookups take and
/// its fullest documented schema.
#[derive(Debug, Default)]
pub struct Kinds {
    answered: BTreeSet<String>,
    /// kind → the keys of its lookups (`id`, `permalink`, …).
    keys: BTreeMap<String, BTreeSet<&'static str>>,
    /// kind → the answer schema with the most fields among its places.
    schemas: BTreeMap<String, &'static Value>,
}

/// `dns_zones` → `dns_zone`, `policies` → `policy`, `addresses` → `address`.
pub fn singular(key: &str) -> String {
    if let Some(stem) = key.strip_suffix("ies") {
        format!("{stem}y")
    } else if let Some(stem) = key.strip_suffix("sses") {
        format!("{stem}ss")
    } else if let Some(stem) = key.strip_suffix('s') {
        stem.to_owned()
    } else {
        key.to_owned()
    }
}

/// `dns_zone` → `DNSZone`-like type name for `object_type` (`DnsZone`).
pub fn type_name(kind: &str) -> String {
    kind.split('_')
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect()
}

/// The prefix of the ids the engine gives a kind: the word itself, or the
/// initials of several (`dns_zone` → `dz`, `load_balancer_rule` → `lbr`).
pub fn id_prefix(kind: &str) -> String {
    let words: Vec<&str> = kind.split('_').filter(|w| !w.is_empty()).collect();
    match words.as_slice() {
        [one] => (*one).to_owned(),
        many => many.iter().filter_map(|w| w.chars().next()).collect(),
    }
}

/// The object schema a node describes, or its array's items' (with whether
/// it was an array); `None` for scalars.
pub fn object_of(doc: &'static Document, node: &'static Value) -> Option<(&'static Value, bool)> {
    let node = doc.resolve(node);
    let is_object = |n: &Value| n["properties"].is_object() || n["type"] == "object";
    if node["type"] == "array" {
        let items = doc.resolve(&node["items"]);
        return is_object(items).then_some((items, true));
    }
    is_object(node).then_some((node, false))
}

impl Kinds {
    /// The table (built on first use from the document and the operation table).
    pub fn get() -> &'static Kinds {
        static KINDS: OnceLock<Kinds> = OnceLock::new();
        KINDS.get_or_init(Kinds::build)
    }

    fn build() -> Kinds {
        let doc = Document::get();
        let mut kinds = Kinds::default();
        let mut sizes: BTreeMap<String, usize> = BTreeMap::new();
        for op in OPERATIONS.iter() {
            let Some(answer) = doc.operation(op.id()).and_then(|o| o.answer()) else {
                continue;
            };
            let answer = doc.resolve(answer);
            for (key, node) in answer["properties"].as_object().into_iter().flatten() {
                if NOT_KINDS.contains(&key.as_str()) {
                    continue;
                }
                let Some((object, array)) = object_of(doc, node) else {
                    continue;
                };
                let kind = if array { singular(key) } else { key.clone() };
                let size = object["properties"].as_object().map_or(0, |p| p.len());
                if sizes.get(&kind).is_none_or(|s| size > *s) {
                    sizes.insert(kind.clone(), size);
                    kinds.schemas.insert(kind.clone(), object);
                }
                kinds.answered.insert(kind);
            }
        }
        for op in OPERATIONS.iter() {
            for arg in op.args().iter().filter(|a| a.form() == Form::Lookup) {
                let kind = kinds.of(arg.name());
                let keys = kinds.keys.entry(kind).or_default();
                keys.extend(arg.ty.ty().fields().iter().map(|f| f.name()));
            }
        }
        kinds
    }

    /// The kind a name stands for: itself when objects are answered under
    /// it, else the one answered kind that ends with it, else itself.
    pub fn of(&self, name: &str) -> String {
        if self.answered.contains(name) {
            return name.to_owned();
        }
        let suffix = format!("_{name}");
        let mut matching = self.answered.iter().filter(|k| k.ends_with(&suffix));
        match (matching.next(), matching.next()) {
            (Some(one), None) => one.clone(),
            _ => name.to_owned(),
        }
    }

    /// Whether objects of the kind are answered somewhere.
    pub fn answered(&self, kind: &str) -> bool {
        self.answered.contains(kind)
    }

    /// Whether some operation looks objects of the kind up.
    pub fn looked_up(&self, kind: &str) -> bool {
        self.keys.contains_key(kind)
    }

    /// The keys objects of the kind are looked up by (`id` first).
    pub fn lookup_keys(&self, kind: &str) -> Vec<&'static str> {
        let mut keys: Vec<&'static str> = self
            .keys
            .get(kind)
            .map(|k| k.iter().copied().collect())
            .unwrap_or_default();
        keys.sort_by_key(|k| *k != "id");
        keys
    }

    /// The fullest documented schema of the kind's objects.
    pub fn schema(&self, kind: &str) -> Option<&'static Value> {
        self.schemas.get(kind).copied()
    }

    /// Every kind some operation looks up.
    pub fn all_looked_up(&self) -> impl Iterator<Item = &String> {
        self.keys.keys()
    }
}

/// The documented 404 code of `op` for the lookup `arg` of `kind`: the
/// code named after the argument or the kind, or after the end of the
/// kind's name (`package_not_found`), or whose name ends with the
/// argument's (`object_storage_access_key_not_found` for `access_key`).
pub fn not_found_code<'a>(op: &OperationDoc<'a>, arg: &str, kind: &str) -> Option<&'a str> {
    let codes = op.errors(404);
    let stem = |c: &&'a str| c.strip_suffix("_not_found");
    let tests: [&dyn Fn(&str) -> bool; 4] = [
        &|s| s == arg,
        &|s| s == kind,
        &|s| kind.ends_with(&format!("_{s}")),
        &|s| s.ends_with(&format!("_{arg}")),
    ];
    tests
        .iter()
        .find_map(|test| codes.iter().find(|c| stem(c).is_some_and(test)).copied())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_map_onto_kinds() {
        let k = Kinds::get();
        assert_eq!(k.of("dns_zone"), "dns_zone");
        assert_eq!(k.of("access_key"), "object_storage_access_key");
        assert_eq!(k.of("bucket"), "object_storage_bucket");
        assert_eq!(k.of("io_profile"), "disk_io_profile");
        assert_eq!(k.of("speed_profile"), "network_speed_profile");
        assert_eq!(k.of("package"), "virtual_machine_package");
        assert_eq!(singular("address_list_entries"), "address_list_entry");
        assert_eq!(singular("ip_addresses"), "ip_address");
        assert_eq!(k.lookup_keys("dns_zone"), ["id", "name"]);
        assert!(k.schema("dns_zone").is_some());
    }

    #[test]
    fn not_found_codes_come_from_the_document() {
        let doc = Document::get();
        let code = |op: &str, arg: &str| {
            let o = doc.operation(op).expect("operation");
            not_found_code(&o, arg, &Kinds::get().of(arg)).map(str::to_owned)
        };
        assert_eq!(
            code("get:dns_zone", "dns_zone").as_deref(),
            Some("dns_zone_not_found")
        );
        assert_eq!(
            code("get:object_storage_access_key", "access_key").as_deref(),
            Some("object_storage_access_key_not_found")
        );
        assert_eq!(
            code("get:virtual_machine_package", "virtual_machine_package").as_deref(),
            Some("package_not_found")
        );
        assert_eq!(
            code("put:disk_io_profile", "io_profile").as_deref(),
            Some("disk_io_profile_not_found")
        );
        assert_eq!(
            code(
                "get:virtual_machines_builds_virtual_machine_build",
                "virtual_machine_build"
            )
            .as_deref(),
            Some("build_not_found")
        );
    }
}
