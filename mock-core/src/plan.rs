//! What each operation does to the engine's state, read off the operation
//! table and the document, never written per operation:
//!
//! - its **lookups**: the arguments that name objects, each with its kind
//!   and its documented not-found code; the last one the path names is the
//!   operation's **subject** (`dns_zone` in `/dns_zones/dns_zone/records`);
//! - its **effect**, from the method and the answer: a GET reads; a POST
//!   creates when a list at the same path has the kind it answers, or when
//!   it answers an object of a kind that is neither its subject's nor a
//!   looked-up one (`dns_record` from `/dns_zones/dns_zone/records`), and
//!   otherwise acts on its subject (`verify`, `regenerate_secret`); PATCH
//!   and PUT change the subject; DELETE deletes where the path ends at the
//!   subject (`/dns_zones/dns_zone`) and otherwise changes it
//!   (`/disk_backup_policies/disk_backup_policy/schedule`).

use std::sync::OnceLock;

use katapult_wasm::operation::{Arg, Form, Operation, OPERATIONS};
use katapult_wasm::request::Method;
use serde_json::Value;

use crate::document::{Document, OperationDoc};
use crate::kinds::{not_found_code, object_of, singular, type_name, Kinds};

/// A lookup argument of an operation.
#[derive(Debug)]
pub struct Lookup {
    /// The argument.
    pub arg: &'static Arg,
    /// Its name (`dns_zone`, `access_key`).
    pub name: &'static str,
    /// The kind of object it finds.
    pub kind: String,
    /// Its keys (`id`, `name`).
    pub keys: Vec<&'static str>,
    /// Its Apia argument set (`DNSZoneLookup`), for argument errors.
    pub set: String,
    /// The documented 404 code when it finds nothing.
    pub not_found: Option<&'static str>,
    /// Whether it must be given: a required body property, or a lookup the
    /// path names (the document cannot mark a query lookup's mutually
    /// exclusive parameters required).
    pub required: bool,
}

/// What an operation does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Answers from the state.
    Read,
    /// Creates an object of this kind.
    Create(String),
    /// Changes its subject with its arguments.
    Update,
    /// Deletes its subject (or the object its answer names).
    Delete,
    /// Acts on its subject without changing it.
    Act,
}

/// One operation, ready to run.
#[derive(Debug)]
pub struct Plan {
    /// The client's table entry.
    pub op: &'static Operation,
    /// Its documentation.
    pub doc: OperationDoc<'static>,
    /// Its lookups, in argument order.
    pub lookups: Vec<Lookup>,
    /// The index in `lookups` of its subject.
    pub subject: Option<usize>,
    /// What it does.
    pub effect: Effect,
    /// The Apia endpoint id its argument errors name.
    pub endpoint: String,
}

impl Plan {
    /// Every operation's plan, in the table's order.
    pub fn all() -> &'static [Plan] {
        static PLANS: OnceLock<Vec<Plan>> = OnceLock::new();
        PLANS.get_or_init(|| OPERATIONS.iter().filter_map(Plan::new).collect())
    }

    /// The plan of the operation at this method and path.
    pub fn find(method: &str, path: &str) -> Option<&'static Plan> {
        Plan::all()
            .iter()
            .find(|p| p.op.path() == path && p.op.method().as_str() == method)
    }

    /// Whether any operation lives at this path.
    pub fn path_exists(path: &str) -> bool {
        Plan::all().iter().any(|p| p.op.path() == path)
    }

    /// Its operationId.
    pub fn id(&self) -> &'static str {
        self.op.id()
    }

    /// Its subject lookup.
    pub fn subject(&self) -> Option<&Lookup> {
        self.subject.and_then(|i| self.lookups.get(i))
    }

    fn new(op: &'static Operation) -> Option<Plan> {
        let doc = Document::get();
        let kinds = Kinds::get();
        let odoc = doc.operation(op.id())?;
        let body = odoc.body();
        let lookups: Vec<Lookup> = op
            .args()
            .iter()
            .filter(|a| a.form() == Form::Lookup)
            .map(|arg| {
                let name = arg.name();
                let kind = kinds.of(name);
                let set = body
                    .and_then(|b| doc.ref_name(&b["properties"][name]))
                    .map_or_else(|| format!("{}Lookup", type_name(name)), str::to_owned);
                Lookup {
                    arg,
                    name,
                    required: arg.required() || arg.position() > 0,
                    keys: arg.ty.ty().fields().iter().map(|f| f.name()).collect(),
                    not_found: not_found_code(&odoc, name, &kind),
                    kind,
                    set,
                }
            })
            .collect();
        let subject = lookups
            .iter()
            .enumerate()
            .filter(|(_, l)| l.arg.position() > 0)
            .max_by_key(|(_, l)| l.arg.position())
            .map(|(i, _)| i);
        let last_segment = op.path().rsplit('/').next().unwrap_or("");
        let ends_at_subject = subject
            .and_then(|i| lookups.get(i))
            .is_some_and(|l| l.name == last_segment);
        let effect = match op.method() {
            Method::Get => Effect::Read,
            Method::Patch | Method::Put => Effect::Update,
            Method::Delete if ends_at_subject => Effect::Delete,
            Method::Delete => Effect::Update,
            Method::Post => match created(op, &odoc, &lookups) {
                Some(kind) => Effect::Create(kind),
                None => Effect::Act,
            },
        };
        Some(Plan {
            op,
            doc: odoc,
            lookups,
            subject,
            effect,
            endpoint: format!("CoreAPI/Endpoints/{}", op.id()),
        })
    }
}

/// The kind a POST creates, if it creates.
fn created(op: &Operation, odoc: &OperationDoc<'static>, lookups: &[Lookup]) -> Option<String> {
    let doc = Document::get();
    let kinds = Kinds::get();
    let answer = doc.resolve(odoc.answer()?);
    let objects: Vec<String> = answer["properties"]
        .as_object()
        .into_iter()
        .flatten()
        .filter(|(_, node)| object_of(doc, node).is_some_and(|(_, array)| !array))
        .map(|(key, _)| kinds.of(key))
        .collect();
    // A list at the same path: what it lists is what this adds.
    let listed = OPERATIONS
        .iter()
        .filter(|o| o.path() == op.path() && o.method() == Method::Get)
        .find_map(|o| o.items())
        .map(|items| kinds.of(&singular(items)));
    if let Some(kind) = listed.filter(|k| objects.contains(k)) {
        return Some(kind);
    }
    let looked_up = |k: &String| lookups.iter().any(|l| l.kind == *k);
    let mut new = objects
        .into_iter()
        .filter(|k| k != "task" && !looked_up(k))
        .collect::<Vec<_>>();
    // Of two names for one new object (`build`, `virtual_machine_build`),
    // the one objects are looked up by.
    new.sort_by_key(|k| !kinds.looked_up(k));
    new.into_iter().next()
}

/// The kind of an answer's top-level key, and whether it holds a list.
pub fn answer_kind(key: &str, node: &'static Value) -> Option<(String, bool)> {
    let (_, array) = object_of(Document::get(), node)?;
    let kinds = Kinds::get();
    Some(match array {
        true => (kinds.of(&singular(key)), true),
        false => (kinds.of(key), false),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(id: &str) -> &'static Plan {
        Plan::all().iter().find(|p| p.id() == id).expect(id)
    }

    #[test]
    fn every_operation_has_a_plan() {
        assert_eq!(Plan::all().len(), OPERATIONS.len());
    }

    #[test]
    fn effects_follow_methods_paths_and_answers() {
        let create = |k: &str| Effect::Create(k.to_owned());
        assert_eq!(
            plan("post:organization_dns_zones").effect,
            create("dns_zone")
        );
        assert_eq!(plan("post:dns_zone_records").effect, create("dns_record"));
        assert_eq!(
            plan("post:load_balancer_rules").effect,
            create("load_balancer_rule")
        );
        assert_eq!(
            plan("post:organization_managed").effect,
            create("organization")
        );
        assert_eq!(plan("post:dns_zone_verify").effect, Effect::Act);
        assert_eq!(plan("post:api_token_regenerate_secret").effect, Effect::Act);
        assert_eq!(plan("post:virtual_machine_allocate_ip").effect, Effect::Act);
        assert_eq!(plan("delete:dns_zone").effect, Effect::Delete);
        assert_eq!(
            plan("delete:disk_backup_policy_schedule").effect,
            Effect::Update
        );
        assert_eq!(plan("patch:tag").effect, Effect::Update);
        let p = plan("post:dns_zone_records");
        assert_eq!(p.subject().map(|l| l.name), Some("dns_zone"));
        assert_eq!(
            p.subject().and_then(|l| l.not_found),
            Some("dns_zone_not_found")
        );
        let p = plan("get:object_storage_object_storage_cluster_bucket");
        assert_eq!(
            p.subject().map(|l| l.kind.as_str()),
            Some("object_storage_bucket")
        );
    }
}
