//! Seed data as data: the fixture the mock starts from and returns to on
//! reset (`seed/default.json`, compiled in so binaries and the WebAssembly
//! build need no file).
//!
//! The format is the API's own: `{ "<kind>": [object, …], … }`, each object
//! as the API answers it, in list order. Three conventions make it a set of
//! related objects rather than a dump of answers:
//!
//! - an object `{"id": "…"}` (that key alone) inside another stands for
//!   the fixture object with that id, so a VM's `zone` or `organization`
//!   is written once and answered in full wherever it is embedded;
//! - `"$under": ["<id>", …]` names the objects it belongs to: a VM its
//!   organization, a disk its VM. It is listed under them and, through
//!   them, under theirs (a disk under its VM's organization too);
//! - `"$annotations"` are its annotations (the API answers them beside the
//!   object, not in it).
//!
//! Other top-level keys starting with `$` are notes for readers.
//!
//! Both sides of the mock load the same fixture: the server into its model
//! (`katapult-mock`'s `seed.rs`), the engine into its store when it runs
//! with no host ([`crate::Seed`], [`crate::Engine::with_fixture`]).

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use serde_json::{Map, Value};

use crate::annotation::Annotation;
use crate::store::Link;

/// The default fixture's text.
pub const DEFAULT: &str = include_str!("../seed/default.json");

/// Embedded objects are expanded this deep at most: a reference loop is an
/// error rather than an endless object.
const DEPTH: usize = 16;

/// One object of the fixture.
#[derive(Debug, Clone)]
pub struct Object {
    /// Its kind (`virtual_machine`).
    pub kind: String,
    /// Its id.
    pub id: String,
    /// The object as written, references left as `{"id": …}` and without
    /// the `$` keys: what a model that keeps its own links reads.
    pub raw: Map<String, Value>,
    /// The object with every reference replaced by the object it names:
    /// what the API answers.
    pub data: Map<String, Value>,
    /// Its annotations.
    pub annotations: Vec<Annotation>,
    /// The objects it belongs to, directly or through them, nearest first.
    pub links: Vec<Link>,
}

impl Object {
    /// The id of the object a field of the written object names
    /// (`zone` → `zone_…`), if it names one.
    pub fn ref_id(&self, field: &str) -> Option<&str> {
        reference(self.raw.get(field)?)
    }

    /// The ids of the objects a list field names (`tags`).
    pub fn ref_ids(&self, field: &str) -> Vec<&str> {
        self.raw
            .get(field)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(reference)
            .collect()
    }

    /// The id of the first object of `kind` it belongs to.
    pub fn under(&self, kind: &str) -> Option<&str> {
        self.links
            .iter()
            .find(|(k, _)| k == kind)
            .map(|(_, id)| id.as_str())
    }
}

/// The id a reference `{"id": "…"}` names.
fn reference(value: &Value) -> Option<&str> {
    match value.as_object() {
        Some(map) if map.len() == 1 => map.get("id")?.as_str(),
        _ => None,
    }
}

/// A parsed fixture: its objects kind by kind, each kind in written order.
#[derive(Debug, Clone, Default)]
pub struct Fixture {
    objects: Vec<Object>,
}

impl Fixture {
    /// The default fixture (parsed on first use; `seed/default.json`).
    pub fn builtin() -> &'static Fixture {
        static DEFAULT_FIXTURE: OnceLock<Fixture> = OnceLock::new();
        DEFAULT_FIXTURE.get_or_init(|| Fixture::parse(DEFAULT).unwrap_or_default())
    }

    /// Reads a fixture; the error names what is wrong (not JSON, an object
    /// without an id, a reference or `$under` naming no object, a loop).
    pub fn parse(text: &str) -> Result<Fixture, String> {
        let json: Value =
            serde_json::from_str(text).map_err(|e| format!("the fixture is not JSON: {e}"))?;
        let Value::Object(kinds) = json else {
            return Err("the fixture is not an object of kinds".into());
        };
        let mut written: Vec<(String, Map<String, Value>)> = Vec::new();
        for (kind, list) in kinds.into_iter().filter(|(k, _)| !k.starts_with('$')) {
            let Value::Array(list) = list else {
                return Err(format!("{kind}: not a list of objects"));
            };
            for (i, object) in list.into_iter().enumerate() {
                match object {
                    Value::Object(map) if map.get("id").is_some_and(Value::is_string) => {
                        written.push((kind.clone(), map));
                    }
                    _ => return Err(format!("{kind}[{i}]: not an object with a string id")),
                }
            }
        }
        let mut by_id: BTreeMap<String, usize> = BTreeMap::new();
        for (i, (kind, map)) in written.iter().enumerate() {
            let id = map["id"].as_str().unwrap_or_default();
            if by_id.insert(id.to_owned(), i).is_some() {
                return Err(format!("{kind} {id}: the id is used twice"));
            }
        }
        let plain: Vec<Map<String, Value>> = written
            .iter()
            .map(|(_, map)| {
                map.iter()
                    .filter(|(k, _)| !k.starts_with('$'))
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect()
            })
            .collect();
        let mut objects = Vec::with_capacity(written.len());
        for (i, (kind, map)) in written.iter().enumerate() {
            let id = map["id"].as_str().unwrap_or_default().to_owned();
            let at = format!("{kind} {id}");
            let data = match expand(&Value::Object(plain[i].clone()), &plain, &by_id, 0) {
                Ok(Value::Object(data)) => data,
                Ok(_) => Map::new(),
                Err(e) => return Err(format!("{at}: {e}")),
            };
            let annotations = match map.get("$annotations") {
                None => Vec::new(),
                Some(list) => annotations(list).ok_or(format!("{at}: $annotations"))?,
            };
            let links = links(i, &written, &by_id).map_err(|e| format!("{at}: {e}"))?;
            objects.push(Object {
                kind: kind.clone(),
                id,
                raw: plain[i].clone(),
                data,
                annotations,
                links,
            });
        }
        Ok(Fixture { objects })
    }

    /// Every object.
    pub fn objects(&self) -> &[Object] {
        &self.objects
    }

    /// The objects of one kind, in written order.
    pub fn of_kind<'a>(&'a self, kind: &'a str) -> impl Iterator<Item = &'a Object> + 'a {
        self.objects.iter().filter(move |o| o.kind == kind)
    }

    /// The kinds it holds.
    pub fn kinds(&self) -> BTreeSet<&str> {
        self.objects.iter().map(|o| o.kind.as_str()).collect()
    }
}

/// `value` with every reference replaced by (the expansion of) the object
/// it names.
fn expand(
    value: &Value,
    plain: &[Map<String, Value>],
    by_id: &BTreeMap<String, usize>,
    depth: usize,
) -> Result<Value, String> {
    if depth > DEPTH {
        return Err("references loop".into());
    }
    if let (Some(id), true) = (reference(value), depth > 0) {
        let at = by_id
            .get(id)
            .ok_or_else(|| format!("{{\"id\": \"{id}\"}} names no object"))?;
        return expand(&Value::Object(plain[*at].clone()), plain, by_id, depth + 1);
    }
    Ok(match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| Ok((k.clone(), expand(v, plain, by_id, depth + 1)?)))
                .collect::<Result<_, String>>()?,
        ),
        Value::Array(items) => Value::Array(
            items
                .iter()
                .map(|v| expand(v, plain, by_id, depth + 1))
                .collect::<Result<_, _>>()?,
        ),
        other => other.clone(),
    })
}

/// The `$under` of object `i` and, after them, what they are under.
fn links(
    i: usize,
    written: &[(String, Map<String, Value>)],
    by_id: &BTreeMap<String, usize>,
) -> Result<Vec<Link>, String> {
    let mut out: Vec<Link> = Vec::new();
    let mut queue = vec![i];
    let mut steps = 0;
    while let Some(at) = queue.first().copied() {
        queue.remove(0);
        steps += 1;
        if steps > written.len() + 1 {
            return Err("$under loops".into());
        }
        let under = written[at].1.get("$under");
        for id in under.and_then(Value::as_array).into_iter().flatten() {
            let id = id.as_str().ok_or("$under holds a non-string")?;
            let parent = *by_id
                .get(id)
                .ok_or_else(|| format!("$under names no object: {id}"))?;
            let link = (written[parent].0.clone(), id.to_owned());
            if !out.contains(&link) {
                out.push(link);
                queue.push(parent);
            }
        }
    }
    Ok(out)
}

/// `[{key, value}]` as annotations.
fn annotations(list: &Value) -> Option<Vec<Annotation>> {
    list.as_array()?
        .iter()
        .map(|a| {
            Some(Annotation {
                key: a["key"].as_str()?.to_owned(),
                value: a["value"].as_str().map(str::to_owned),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_fixture_reads() {
        let f = Fixture::parse(DEFAULT).expect("seed/default.json");
        assert_eq!(f.objects().len(), Fixture::builtin().objects().len());
        let web1 = f
            .of_kind("virtual_machine")
            .find(|o| o.data["fqdn"] == "web-1.acme.katapult.cloud")
            .expect("web-1");
        assert_eq!(
            web1.data["zone"]["data_center"]["country"]["iso_code2"],
            "GB"
        );
        assert_eq!(web1.data["organization"]["sub_domain"], "acme");
        assert_eq!(web1.ref_id("zone"), web1.data["zone"]["id"].as_str());
        assert_eq!(web1.annotations.len(), 2);
        let ip = f
            .of_kind("ip_address")
            .find(|o| o.under("virtual_machine") == Some(web1.id.as_str()))
            .expect("web-1's address");
        assert_eq!(ip.under("organization"), web1.ref_id("organization"));
    }

    #[test]
    fn references_and_links_are_checked() {
        let bad = |text: &str| Fixture::parse(text).expect_err(text);
        assert!(
            bad(r#"{"zone": [{"id": "z", "data_center": {"id": "nope"}}]}"#)
                .contains("names no object")
        );
        assert!(bad(r#"{"zone": [{"id": "z", "$under": ["nope"]}]}"#).contains("$under"));
        assert!(bad(r#"{"a": [{"id": "x", "b": {"id": "x"}}]}"#).contains("loop"));
        assert!(bad(r#"{"a": [{"id": "x"}], "b": [{"id": "x"}]}"#).contains("twice"));
        let ok = Fixture::parse(r#"{"$about": "x", "a": [{"id": "x", "$under": ["x"]}]}"#);
        assert!(ok.is_ok());
    }
}
