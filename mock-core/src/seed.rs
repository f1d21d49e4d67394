//! What the engine starts with: the fixture's objects of the kinds the
//! host does not keep ([`crate::fixture`]: with no host, the demo's
//! organizations, VMs, disks…), then placeholders for the rest.
//!
//! Placeholders are objects of the kinds no operation creates (or that are
//! listed without a parent) that neither the host nor the fixture has, so
//! every lookup of the document can find something. Two of each, with ids
//! fixed by their kind and number (the same on every start and reset),
//! lookup keys other than `id` named after the kind ([`lookup_value`]:
//! the object storage cluster of `region` `object-storage-cluster-1`, which
//! no operation lists) and every other documented field generated from
//! the id.

use std::collections::BTreeSet;

use serde_json::{json, Map, Value};

use crate::engine::Engine;
use crate::fixture::Fixture;
use crate::host::Host;
use crate::ids::{hash_str, stable_id};
use crate::kinds::{id_prefix, Kinds};
use crate::plan::{answer_kind, Effect, Plan};
use crate::shape::Shaper;
use crate::store::Record;

/// How many objects of each catalogue kind.
const EACH: usize = 2;

/// The value of lookup key `key` (not `id`) of the `n`th (from 1) seeded
/// object of `kind`: `object-storage-cluster-1`.
pub fn lookup_value(kind: &str, n: usize) -> String {
    format!("{}-{n}", kind.replace('_', "-"))
}

/// The kinds listed by a read that needs no lookup (`get:organizations`,
/// `get:zones`).
fn roots() -> BTreeSet<String> {
    let doc = crate::document::Document::get();
    let mut out = BTreeSet::new();
    for plan in Plan::all() {
        let needs_lookup = plan.lookups.iter().any(|l| l.required);
        if plan.effect != Effect::Read || needs_lookup {
            continue;
        }
        let Some(answer) = plan.doc.answer().map(|a| doc.resolve(a)) else {
            continue;
        };
        for (key, node) in answer["properties"].as_object().into_iter().flatten() {
            if let Some((kind, true)) = answer_kind(key, node) {
                out.insert(kind);
            }
        }
    }
    out
}

/// Loads the fixture's objects of the kinds the host does not keep, every
/// documented field filled (as the engine's records always are), in the
/// fixture's order.
fn load(engine: &mut Engine, fixture: &Fixture, host: &dyn Host, now_ms: u64) {
    let now = i64::try_from(now_ms / 1000).unwrap_or(0);
    let shaper = Shaper::full(now);
    for object in fixture.objects() {
        let kind = &object.kind;
        if host.owns(kind) {
            continue;
        }
        let source = Value::Object(object.data.clone());
        let data = match Kinds::get().schema(kind) {
            Some(schema) => shaper.shape(
                schema,
                Some(&source),
                shaper.slot(kind, "", hash_str(&object.id)),
                "$",
            ),
            None => source,
        };
        let Value::Object(data) = data else {
            continue;
        };
        engine.store.insert(Record {
            kind: kind.clone(),
            id: object.id.clone(),
            data,
            annotations: object.annotations.clone(),
            links: object.links.clone(),
            created_ms: now_ms,
        });
    }
}

/// Seeds the engine: the fixture (if any), then placeholders of the kinds
/// neither the host nor the fixture has.
pub(crate) fn seed(engine: &mut Engine, fixture: Option<&Fixture>, host: &dyn Host, now_ms: u64) {
    let from_fixture: BTreeSet<String> = match fixture {
        Some(f) => {
            load(engine, f, host, now_ms);
            f.kinds().into_iter().map(str::to_owned).collect()
        }
        None => BTreeSet::new(),
    };
    let kinds = Kinds::get();
    let roots = roots();
    let created: BTreeSet<String> = Plan::all()
        .iter()
        .filter_map(|p| match &p.effect {
            Effect::Create(kind) => Some(kind.clone()),
            _ => None,
        })
        .collect();
    let candidates: BTreeSet<String> = kinds
        .all_looked_up()
        .cloned()
        .chain(roots.iter().cloned())
        .collect();
    let now = i64::try_from(now_ms / 1000).unwrap_or(0);
    let shaper = Shaper::full(now);
    for kind in candidates {
        if host.owns(&kind)
            || from_fixture.contains(&kind)
            || kind == "task"
            || (created.contains(&kind) && !roots.contains(&kind))
        {
            continue;
        }
        for n in 1..=EACH {
            let id = stable_id(&id_prefix(&kind), &format!("seed:{kind}:{n}"));
            let seed = hash_str(&id);
            let mut source = Map::new();
            source.insert("id".into(), json!(id));
            for key in kinds.lookup_keys(&kind).into_iter().filter(|k| *k != "id") {
                source.insert(key.into(), json!(lookup_value(&kind, n)));
            }
            let data = match kinds.schema(&kind) {
                Some(schema) => shaper.shape(
                    schema,
                    Some(&Value::Object(source)),
                    shaper.slot(&kind, "", seed),
                    "$",
                ),
                None => Value::Object(source),
            };
            let Value::Object(data) = data else {
                continue;
            };
            engine.store.insert(Record {
                kind: kind.clone(),
                id,
                data,
                annotations: Vec::new(),
                links: Vec::new(),
                created_ms: now_ms,
            });
        }
    }
    link_placeholders(engine, &from_fixture);
}

/// A placeholder's field named after a seeded kind that is null or embeds
/// an object by an id no object has (its schema generated it) is the first
/// object of that kind instead (with the keys it had): the empty seed's
/// disk templates are then of an operating system it has, so filtering by
/// one finds them.
fn link_placeholders(engine: &mut Engine, from_fixture: &BTreeSet<String>) {
    let store = &engine.store;
    let mut fixes = Vec::new();
    let placeholders = store
        .list_all()
        .iter()
        .filter(|r| !from_fixture.contains(&r.kind));
    for record in placeholders {
        for (field, value) in &record.data {
            let id = value.get("id").and_then(Value::as_str);
            if !(value.is_null() || id.is_some()) || !store.has_kind(field) {
                continue;
            }
            if id.is_some_and(|id| store.find(field, "id", id).is_some()) {
                continue;
            }
            let Some(target) = store.list(field, None).into_iter().next() else {
                continue;
            };
            let mut linked = Value::Object(target.data.clone());
            if let (Some(obj), Some(target)) = (value.as_object(), linked.as_object()) {
                linked = Value::Object(
                    obj.keys()
                        .filter_map(|k| Some((k.clone(), target.get(k)?.clone())))
                        .collect(),
                );
            }
            fixes.push((
                record.kind.clone(),
                record.id.clone(),
                field.clone(),
                linked,
            ));
        }
    }
    for (kind, id, field, value) in fixes {
        if let Some(r) = engine.store.get_mut(&kind, &id) {
            r.data.insert(field, value);
        }
    }
}
