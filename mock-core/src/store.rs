//! The engine's own objects, of every kind alike, and its overlay on the
//! host's.
//!
//! A record is a full object in the document's shape (every documented
//! field, so any lookup key finds it and every answer projects from it),
//! its annotations, and links to the objects it was created under or with
//! (`organization`, `dns_zone`, `data_center`): a list under a parent shows
//! the records linked to it. Records without links are catalogue objects
//! that belong to everyone. Records keep creation order.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use crate::annotation::Annotation;

/// A link to another object: (kind, id).
pub type Link = (String, String);

/// One object the engine keeps.
#[derive(Debug, Clone)]
pub struct Record {
    /// Its kind.
    pub kind: String,
    /// Its id (also `data["id"]`).
    pub id: String,
    /// The object.
    pub data: Map<String, Value>,
    /// Its annotations.
    pub annotations: Vec<Annotation>,
    /// The objects it belongs to.
    pub links: Vec<Link>,
    /// When it was created (unix milliseconds), for tasks' progress.
    pub created_ms: u64,
}

impl Record {
    /// Whether its `key` is `value` (the `id`, or a field compared as text).
    pub fn matches(&self, key: &str, value: &str) -> bool {
        match key {
            "id" => self.id == value,
            _ => text(self.data.get(key)).is_some_and(|t| t == value),
        }
    }

    /// Whether it belongs to `parent` (or to everyone).
    pub fn under(&self, parent: Option<(&str, &str)>) -> bool {
        match parent {
            None => true,
            Some((kind, id)) => {
                self.links.is_empty() || self.links.iter().any(|(k, i)| k == kind && i == id)
            }
        }
    }
}

/// A scalar as lookup text.
pub fn text(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Every record, and the overlay on the host's objects.
#[derive(Debug, Default, Clone)]
pub struct Store {
    records: Vec<Record>,
    /// Host objects deleted here that the host could not delete.
    hidden: BTreeSet<Link>,
    /// Fields changed here on host objects.
    patches: BTreeMap<Link, Map<String, Value>>,
    /// Annotations set here on host objects.
    annotations: BTreeMap<Link, Vec<Annotation>>,
    /// Records in the trash, with their trash object's id: found (and
    /// refused with `object_in_trash`) but listed no more, until restored.
    trashed: BTreeMap<Link, String>,
}

impl Store {
    /// Adds a record.
    pub fn insert(&mut self, record: Record) {
        self.records.push(record);
    }

    /// The record of `kind` whose `key` is `value`.
    pub fn find(&self, kind: &str, key: &str, value: &str) -> Option<&Record> {
        self.records
            .iter()
            .find(|r| r.kind == kind && r.matches(key, value))
    }

    /// The record of `kind` with this id, to change.
    pub fn get_mut(&mut self, kind: &str, id: &str) -> Option<&mut Record> {
        self.records
            .iter_mut()
            .find(|r| r.kind == kind && r.id == id)
    }

    /// The records of `kind` under `parent`, in creation order (those in
    /// the trash left out).
    pub fn list(&self, kind: &str, parent: Option<(&str, &str)>) -> Vec<&Record> {
        self.records
            .iter()
            .filter(|r| r.kind == kind && r.under(parent) && !self.is_trashed(&r.kind, &r.id))
            .collect()
    }

    /// Puts a record in the trash, under the trash object `trash_id`.
    pub fn put_in_trash(&mut self, kind: &str, id: &str, trash_id: &str) {
        self.trashed
            .insert((kind.to_owned(), id.to_owned()), trash_id.to_owned());
    }

    /// The id of the trash object a record is in the trash under.
    pub fn trash_of(&self, kind: &str, id: &str) -> Option<&str> {
        if self.trashed.is_empty() {
            return None;
        }
        self.trashed
            .get(&(kind.to_owned(), id.to_owned()))
            .map(String::as_str)
    }

    fn is_trashed(&self, kind: &str, id: &str) -> bool {
        self.trash_of(kind, id).is_some()
    }

    /// The record in the trash under `trash_id`, taken out of it.
    pub fn take_out_of_trash(&mut self, trash_id: &str) -> Option<Link> {
        let link = self
            .trashed
            .iter()
            .find(|(_, t)| t.as_str() == trash_id)
            .map(|(l, _)| l.clone())?;
        self.trashed.remove(&link);
        Some(link)
    }

    /// Every record, in creation order.
    pub fn list_all(&self) -> &[Record] {
        &self.records
    }

    /// Whether any record of the kind exists.
    pub fn has_kind(&self, kind: &str) -> bool {
        self.records.iter().any(|r| r.kind == kind)
    }

    /// Removes a record and, with it, every record linked to it (a zone's
    /// records, a load balancer's rules). Returns the removed record.
    pub fn remove(&mut self, kind: &str, id: &str) -> Option<Record> {
        let at = self
            .records
            .iter()
            .position(|r| r.kind == kind && r.id == id)?;
        let removed = self.records.remove(at);
        let children: Vec<Link> = self
            .records
            .iter()
            .filter(|r| r.links.iter().any(|(k, i)| k == kind && i == id))
            .map(|r| (r.kind.clone(), r.id.clone()))
            .collect();
        for (k, i) in children {
            self.remove(&k, &i);
        }
        Some(removed)
    }

    /// Hides a host object from every answer.
    pub fn hide(&mut self, kind: &str, id: &str) {
        self.hidden.insert((kind.to_owned(), id.to_owned()));
    }

    /// Whether a host object was deleted here.
    pub fn hidden(&self, kind: &str, id: &str) -> bool {
        self.hidden.contains(&(kind.to_owned(), id.to_owned()))
    }

    /// Fields changed here on a host object.
    pub fn patch(&self, kind: &str, id: &str) -> Option<&Map<String, Value>> {
        self.patches.get(&(kind.to_owned(), id.to_owned()))
    }

    /// Changes fields of a host object here.
    pub fn patch_mut(&mut self, kind: &str, id: &str) -> &mut Map<String, Value> {
        self.patches
            .entry((kind.to_owned(), id.to_owned()))
            .or_default()
    }

    /// Annotations set here on a host object.
    pub fn annotations(&self, kind: &str, id: &str) -> Option<&Vec<Annotation>> {
        self.annotations.get(&(kind.to_owned(), id.to_owned()))
    }

    /// Sets a host object's annotations here.
    pub fn set_annotations(&mut self, kind: &str, id: &str, list: Vec<Annotation>) {
        self.annotations
            .insert((kind.to_owned(), id.to_owned()), list);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn record(kind: &str, id: &str, links: Vec<Link>) -> Record {
        let data = json!({"id": id, "name": format!("{kind} {id}")});
        Record {
            kind: kind.into(),
            id: id.into(),
            data: data.as_object().cloned().unwrap_or_default(),
            annotations: vec![],
            links,
            created_ms: 0,
        }
    }

    #[test]
    fn finds_lists_and_removes_with_children() {
        let mut s = Store::default();
        s.insert(record(
            "dns_zone",
            "z1",
            vec![("organization".into(), "o1".into())],
        ));
        s.insert(record(
            "dns_record",
            "r1",
            vec![("dns_zone".into(), "z1".into())],
        ));
        s.insert(record(
            "dns_zone",
            "z2",
            vec![("organization".into(), "o2".into())],
        ));
        assert!(s.find("dns_zone", "name", "dns_zone z2").is_some());
        assert_eq!(s.list("dns_zone", Some(("organization", "o1"))).len(), 1);
        assert_eq!(s.list("dns_zone", None).len(), 2);
        assert!(s.remove("dns_zone", "z1").is_some());
        assert!(s.find("dns_record", "id", "r1").is_none());
    }
}
