//! Every operation of the API as data ([`OPERATIONS`], generated from the
//! OpenAPI document), and the one way a call is made from it: arguments
//! checked against the document and turned into the exact request.
//!
//! An operation's arguments are named as the API names them. Query
//! parameters are grouped: `organization[id]` / `organization[sub_domain]`
//! are the lookup `organization: { sub_domain: "acme" }`, and
//! `annotations[][key]` / `annotations[][value]` the array of objects
//! `annotations: [{ key, value }]`; a JSON body's properties are arguments
//! of their own. Unknown arguments, missing required ones, lookups without
//! exactly one key, and values of the wrong type are `invalid_argument`
//! naming the argument, before anything is sent.

pub use crate::generated::operations::{OPERATIONS, PUBLIC_OPERATIONS};

use crate::args::{describe, quote};
use crate::error::Error;
use crate::generated::operations::{ARGS, IDS, PATHS};
use crate::lookup::exactly_one;
use crate::request::{Call, HttpRequest, Method};
use crate::schema::{self, Ty, TyRef};
use serde_json::{Map, Number, Value};

/// Where an argument goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Place {
    /// The query string (GET).
    Query,
    /// A property of the JSON body.
    Body,
}

/// How an argument is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Form {
    /// A value of its type (a query scalar, or any JSON in a body).
    Value,
    /// A lookup: an object with exactly one of its type's keys.
    Lookup,
    /// An array of objects, written `name[][key]=…` for each in order.
    Objects,
}

/// One argument of an operation, packed: its name (an index into
/// `NAME_AT`), flags (bit 0 place, bits 1–2 form, bit 3 required, bits
/// 4–6 subject position) and type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Arg {
    name: u16,
    flags: u8,
    /// Its type.
    pub ty: TyRef,
}

/// An [`Arg`], as the generated table spells it.
pub const fn arg(name: u16, flags: u8, ty: u16) -> Arg {
    Arg {
        name,
        flags,
        ty: TyRef(ty),
    }
}

/// A run of a text table.
fn run(text: &'static str, at: u16, len: u8) -> &'static str {
    let at = usize::from(at);
    text.get(at..at + usize::from(len)).unwrap_or("")
}

impl Arg {
    /// Its name, as the API spells it.
    pub fn name(&self) -> &'static str {
        schema::name(self.name)
    }

    /// Query or body.
    pub fn place(&self) -> Place {
        match self.flags & 1 {
            0 => Place::Query,
            _ => Place::Body,
        }
    }

    /// How it is written.
    pub fn form(&self) -> Form {
        match (self.flags >> 1) & 3 {
            1 => Form::Lookup,
            2 => Form::Objects,
            _ => Form::Value,
        }
    }

    /// Whether the document requires it.
    pub fn required(&self) -> bool {
        self.flags & 8 != 0
    }

    /// 1-based position among the subjects the path names (0: not one).
    pub fn position(&self) -> u8 {
        self.flags >> 4
    }
}

/// One operation of the OpenAPI document, packed (see the accessors).
#[derive(Debug, PartialEq, Eq)]
pub struct Operation {
    path_at: u16,
    path_len: u8,
    /// Bits 0–2 the method, 3 a JSON answer, 4 a task in it, 5 status 201.
    bits: u8,
    args_at: u16,
    args_len: u8,
    /// The type of its success answer.
    pub answer: TyRef,
    /// The name index of its items key (`u16::MAX`: not paginated).
    items: u16,
}

/// An [`Operation`], as the generated table spells it.
#[allow(clippy::too_many_arguments)]
pub const fn op(
    path_at: u16,
    path_len: u8,
    bits: u8,
    args_at: u16,
    args_len: u8,
    answer: u16,
    items: u16,
) -> Operation {
    Operation {
        path_at,
        path_len,
        bits,
        args_at,
        args_len,
        answer: TyRef(answer),
        items,
    }
}

/// How arguments are named in error messages: `request` says
/// `params.page`; a named method says `virtual_machine` for a subject it
/// takes positionally and `options.page` for the rest.
#[derive(Clone, Copy, Debug)]
pub struct Naming<'a> {
    /// What the object holding the arguments is called.
    pub prefix: &'a str,
    /// Arguments passed on their own, with the name they are shown by;
    /// these are required.
    pub shown: &'a [(&'a str, &'a str)],
    /// Other keys the object may hold, checked elsewhere (`signal`).
    pub extra: &'a [&'a str],
}

impl Naming<'static> {
    /// The naming of `request(operationId, params)`.
    pub const PARAMS: Naming<'static> = Naming {
        prefix: "params",
        shown: &[],
        extra: &[],
    };
}

impl Naming<'_> {
    fn show(&self, name: &str) -> String {
        match self.shown.iter().find(|(arg, _)| *arg == name) {
            Some((_, shown)) => (*shown).to_owned(),
            None => format!("{}.{name}", self.prefix),
        }
    }
}

/// The error for an operationId that is not one of the Core API's, or
/// (`public`) of the Public API's.
pub fn unknown(id: &str, public: bool) -> Error {
    let (api, list) = if public {
        ("Public", "KatapultPublicClient.operations")
    } else {
        ("Core", "operations")
    };
    Error::invalid_argument(format!(
        "{} is not an operationId of the Katapult {api} API (see `{list}`)",
        quote(id)
    ))
}

/// What the package's JavaScript passes for an operationId the Public
/// API's table does not have (-1 is the Core API's).
pub const UNKNOWN_PUBLIC: i32 = -2;

/// The operation the package's JavaScript names by `index` (the Core
/// API's, then the Public API's), and whether an unknown one was asked of
/// the Public API ([`UNKNOWN_PUBLIC`]).
pub fn named_by(index: i32) -> (Option<&'static Operation>, bool) {
    match usize::try_from(index) {
        Ok(i) => (Operation::at(i), i >= OPERATIONS.len()),
        Err(_) => (None, index == UNKNOWN_PUBLIC),
    }
}

impl Operation {
    /// The operation at `index` in the document's order (the package's
    /// JavaScript table names operations by it).
    pub fn at(index: usize) -> Option<&'static Operation> {
        OPERATIONS.get(index).or_else(|| {
            index
                .checked_sub(OPERATIONS.len())
                .and_then(|i| PUBLIC_OPERATIONS.get(i))
        })
    }

    /// Its index, as [`Operation::at`] takes it.
    pub fn index(&self) -> usize {
        let size = std::mem::size_of::<Operation>();
        let at = |table: &[Operation]| {
            (self as *const Operation as usize)
                .checked_sub(table.as_ptr() as usize)
                .map(|offset| offset / size)
                .filter(|i| *i < table.len())
        };
        at(&OPERATIONS)
            .or_else(|| at(&PUBLIC_OPERATIONS).map(|i| i + OPERATIONS.len()))
            .unwrap_or(usize::MAX)
    }

    /// The Public API's operation with this operationId (its ids repeat
    /// some of the Core API's: `get:virtual_machine_packages`).
    pub fn find_public(id: &str) -> Option<&'static Operation> {
        IDS.iter()
            .skip(OPERATIONS.len())
            .position(|x| *x == id)
            .and_then(|i| PUBLIC_OPERATIONS.get(i))
    }

    /// Whether it is the Public API's.
    pub fn is_public(&self) -> bool {
        self.index() >= OPERATIONS.len() && self.index() != usize::MAX
    }

    /// The Core API's operation with this operationId (a scan of [`IDS`],
    /// for native callers: the package's JavaScript passes indices).
    pub fn find(id: &str) -> Option<&'static Operation> {
        IDS.iter()
            .take(OPERATIONS.len())
            .position(|x| *x == id)
            .and_then(Self::at)
    }

    /// [`Operation::find`], or `invalid_argument` naming the id.
    pub fn named(id: &str) -> Result<&'static Operation, Error> {
        Self::find(id).ok_or_else(|| unknown(id, false))
    }

    /// Its operationId, e.g. `get:virtual_machine_disks`.
    pub fn id(&self) -> &'static str {
        IDS.get(self.index()).copied().unwrap_or("")
    }

    /// Its method.
    pub fn method(&self) -> Method {
        match self.bits & 7 {
            1 => Method::Post,
            2 => Method::Delete,
            3 => Method::Patch,
            4 => Method::Put,
            _ => Method::Get,
        }
    }

    /// Its path below the base URL.
    pub fn path(&self) -> &'static str {
        run(PATHS, self.path_at, self.path_len)
    }

    /// Its arguments, query parameters or body properties.
    pub fn args(&self) -> &'static [Arg] {
        let at = usize::from(self.args_at);
        ARGS.get(at..at + usize::from(self.args_len)).unwrap_or(&[])
    }

    /// Whether the answer is JSON (else `text/plain`, read as a string).
    pub fn json(&self) -> bool {
        self.bits & 8 != 0
    }

    /// Whether the answer carries a `task`.
    pub fn task(&self) -> bool {
        self.bits & 16 != 0
    }

    /// The success status.
    pub fn status(&self) -> u16 {
        match self.bits & 32 {
            0 => 200,
            _ => 201,
        }
    }

    /// For a paginated answer, the key of its items.
    pub fn items(&self) -> Option<&'static str> {
        (self.items != u16::MAX).then(|| schema::name(self.items))
    }

    /// The arguments the path names, in path order (a named method's
    /// leading parameters).
    pub fn subjects(&self) -> impl Iterator<Item = &'static Arg> {
        let args = self.args();
        (1..=args.len()).filter_map(move |p| args.iter().find(|a| usize::from(a.position()) == p))
    }

    /// Checks `params` and builds the request. `params` is an object of
    /// arguments (`null` for none).
    pub fn call(&'static self, params: &Value, naming: &Naming) -> Result<Call, Error> {
        let empty = Map::new();
        let given = match params {
            Value::Null => &empty,
            Value::Object(map) => map,
            other => {
                return Err(Error::invalid_argument(format!(
                    "{} must be an object, got {}",
                    naming.prefix,
                    describe(other)
                )))
            }
        };
        let args = self.args();
        let known = |k: &str| args.iter().any(|a| a.name() == k) || naming.extra.contains(&k);
        if let Some(k) = given.keys().find(|k| !known(k)) {
            let allowed: Vec<&str> = args
                .iter()
                .map(|a| a.name())
                .filter(|n| !naming.shown.iter().any(|(a, _)| a == n))
                .chain(naming.extra.iter().copied())
                .collect();
            let allowed = match allowed.is_empty() {
                true => "none".to_owned(),
                false => allowed.join(", "),
            };
            return Err(Error::invalid_argument(format!(
                "{} has an unknown key {}; allowed: {allowed}",
                naming.prefix,
                quote(k)
            )));
        }
        let mut query = Vec::new();
        let mut body = Map::new();
        for arg in args {
            let name = arg.name();
            let shown = naming.show(name);
            let required = arg.required() || naming.shown.iter().any(|(a, _)| *a == name);
            let value = match given.get(name) {
                None | Some(Value::Null) if required => {
                    return Err(Error::invalid_argument(format!("{shown} is required")))
                }
                None | Some(Value::Null) => continue,
                Some(value) => value,
            };
            match (arg.form(), arg.place()) {
                (Form::Lookup, place) => {
                    let keys: Vec<&'static str> =
                        arg.ty.ty().fields().iter().map(|f| f.name()).collect();
                    let (key, v) = exactly_one(value, &shown, &keys)?;
                    match place {
                        Place::Query => query.push((format!("{name}[{key}]"), v)),
                        Place::Body => {
                            let mut lookup = Map::new();
                            lookup.insert(key.to_owned(), Value::String(v));
                            body.insert(name.to_owned(), Value::Object(lookup));
                        }
                    }
                }
                (Form::Objects, _) => objects_query(arg, value, &shown, &mut query)?,
                (Form::Value, Place::Query) => {
                    let checked = check(value, arg.ty, &shown)?;
                    query.push((name.to_owned(), scalar(&checked, &shown)?));
                }
                (Form::Value, Place::Body) => {
                    body.insert(name.to_owned(), check(value, arg.ty, &shown)?);
                }
            }
        }
        let request = match self.method() {
            Method::Get => HttpRequest::get(self.path(), query),
            method => HttpRequest::with_body(method, self.path(), &Value::Object(body)),
        };
        Ok(Call::for_operation(request, self))
    }
}

/// `annotations[][key]=a&annotations[][value]=1&…`: each object's keys in
/// the type's order, every key given as a string.
fn objects_query(
    arg: &Arg,
    value: &Value,
    shown: &str,
    query: &mut Vec<(String, String)>,
) -> Result<(), Error> {
    let Ty::Arr(item) = arg.ty.ty() else {
        return Ok(());
    };
    let fields = item.ty().fields();
    let keys: Vec<&str> = fields.iter().map(|f| f.name()).collect();
    let shape = format!("{{ {} }}", keys.join(", "));
    let Value::Array(items) = value else {
        return Err(Error::invalid_argument(format!(
            "{shown} must be an array of {shape} objects, got {}",
            describe(value)
        )));
    };
    for (i, item) in items.iter().enumerate() {
        let at = format!("{shown}[{i}]");
        let Value::Object(obj) = item else {
            return Err(Error::invalid_argument(format!(
                "{at} must be a {shape} object, got {}",
                describe(item)
            )));
        };
        if let Some(k) = obj.keys().find(|k| !keys.contains(&k.as_str())) {
            return Err(Error::invalid_argument(format!(
                "{at} has an unknown key {}; allowed: {}",
                quote(k),
                keys.join(", ")
            )));
        }
        for key in &keys {
            match obj.get(*key) {
                Some(Value::String(s)) => {
                    query.push((format!("{}[][{key}]", arg.name()), s.clone()))
                }
                other => {
                    return Err(Error::invalid_argument(format!(
                        "{at}.{key} must be a string, got {}",
                        describe(other.unwrap_or(&Value::Null))
                    )))
                }
            }
        }
    }
    Ok(())
}

/// A checked scalar as query text.
fn scalar(value: &Value, shown: &str) -> Result<String, Error> {
    match value {
        Value::String(s) => Ok(s.clone()),
        Value::Number(n) => {
            let mut text = String::new();
            crate::json::number(&mut text, n);
            Ok(text)
        }
        Value::Bool(b) => Ok(b.to_string()),
        other => Err(Error::invalid_argument(format!(
            "{shown} must be a string, number or boolean, got {}",
            describe(other)
        ))),
    }
}

/// What a value of `ty` is, for messages.
fn expected(ty: TyRef) -> String {
    let what = match ty.ty() {
        Ty::Lookup(..) => "an object with exactly one key",
        t => t.describe(),
    };
    match ty.nullable() {
        true => format!("{what} or null"),
        false => what.to_owned(),
    }
}

/// Checks an argument's value against its documented type and returns it
/// as it is sent: whole numbers as integers, objects with only the keys
/// the document lists (an unknown one is refused, so a typo never goes
/// silently unsent), lookups with exactly one key.
pub fn check(value: &Value, ty: TyRef, at: &str) -> Result<Value, Error> {
    let wrong = || {
        Error::invalid_argument(format!(
            "{at} must be {}, got {}",
            expected(ty),
            describe(value)
        ))
    };
    let t = ty.ty();
    match (t, value) {
        (Ty::Any, v) => Ok(v.clone()),
        (_, Value::Null) if ty.nullable() => Ok(Value::Null),
        (Ty::Str, Value::String(_)) | (Ty::Bool, Value::Bool(_)) | (Ty::Num, Value::Number(_)) => {
            Ok(value.clone())
        }
        (Ty::Int, Value::Number(n)) => whole(n).map(Value::Number).ok_or_else(|| {
            let mut got = String::new();
            crate::json::number(&mut got, n);
            Error::invalid_argument(format!("{at} must be a whole number, got {got}"))
        }),
        (Ty::Arr(item), Value::Array(items)) => {
            let mut checked = Vec::with_capacity(items.len());
            for (i, x) in items.iter().enumerate() {
                checked.push(check(x, item, &format!("{at}[{i}]"))?);
            }
            Ok(Value::Array(checked))
        }
        (Ty::Lookup(..), Value::Object(_)) => {
            let keys: Vec<&'static str> = t.fields().iter().map(|f| f.name()).collect();
            let (key, v) = exactly_one(value, at, &keys)?;
            let mut out = Map::new();
            out.insert(key.to_owned(), Value::String(v));
            Ok(Value::Object(out))
        }
        (Ty::Obj(..), Value::Object(map)) => {
            let fields = t.fields();
            if let Some(k) = map.keys().find(|k| !fields.iter().any(|f| f.name() == *k)) {
                let allowed: Vec<&str> = fields.iter().map(|f| f.name()).collect();
                return Err(Error::invalid_argument(format!(
                    "{at} has an unknown key {}; allowed: {}",
                    quote(k),
                    allowed.join(", ")
                )));
            }
            let mut out = Map::new();
            for field in fields {
                let name = field.name();
                match map.get(name) {
                    None if field.required() => {
                        return Err(Error::invalid_argument(format!("{at}.{name} is required")))
                    }
                    None => {}
                    Some(v) => {
                        out.insert(
                            name.to_owned(),
                            check(v, field.ty(), &format!("{at}.{name}"))?,
                        );
                    }
                }
            }
            Ok(Value::Object(out))
        }
        _ => Err(wrong()),
    }
}

/// A number as a JSON integer, when it is a whole one `i64` holds.
fn whole(n: &Number) -> Option<Number> {
    crate::json::integer(n).map(Number::from)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const BASE: &str = "https://api.katapult.io/core/v1";

    fn call(id: &str, params: Value) -> Result<Call, Error> {
        Operation::named(id)?.call(&params, &Naming::PARAMS)
    }

    fn message(id: &str, params: Value) -> String {
        let e = call(id, params).unwrap_err();
        assert_eq!((e.code.as_str(), e.status), ("invalid_argument", 0));
        e.message
    }

    fn body(c: &Call) -> Value {
        serde_json::from_str(c.request.body.as_deref().unwrap()).unwrap()
    }

    #[test]
    fn the_public_operations_follow_the_core_ones_and_keep_their_own_ids() {
        assert_eq!(PUBLIC_OPERATIONS.len(), 6);
        for (i, op) in PUBLIC_OPERATIONS.iter().enumerate() {
            assert_eq!(Operation::at(189 + i), Some(op));
            assert_eq!(op.index(), 189 + i);
            assert!(op.is_public());
            assert_eq!(Operation::find_public(op.id()), Some(op));
        }
        // Both documents have it: each API finds its own.
        let core = Operation::find("get:virtual_machine_packages").unwrap();
        let public = Operation::find_public("get:virtual_machine_packages").unwrap();
        assert!(!core.is_public() && public.is_public());
        assert_eq!(public.path(), "/virtual_machine_packages");
        assert_eq!(Operation::find("get:stats"), None);
        assert_eq!(Operation::at(189 + 6), None);
        assert_eq!(named_by(-2), (None, true));
        assert_eq!(named_by(-1), (None, false));
        assert!(unknown("get:nothing", true)
            .message
            .contains("Katapult Public API"));
    }

    #[test]
    fn the_table_is_sorted_and_every_operation_is_found() {
        assert_eq!(OPERATIONS.len(), 189);
        let mut ids: Vec<&str> = OPERATIONS.iter().map(|op| op.id()).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), 189, "every operationId once");
        for (i, op) in OPERATIONS.iter().enumerate() {
            assert_eq!(Operation::find(op.id()), Some(op));
            assert_eq!(Operation::at(i), Some(op));
            assert!(op
                .id()
                .starts_with(&format!("{}:", op.method().as_str().to_lowercase())));
            assert!(op.path().starts_with('/'));
            let places = op.args().iter().map(|a| a.place());
            match op.method() {
                Method::Get => assert!(places.clone().all(|p| p == Place::Query), "{}", op.id()),
                _ => assert!(places.clone().all(|p| p == Place::Body), "{}", op.id()),
            }
            let positions: Vec<u8> = op.subjects().map(|a| a.position()).collect();
            assert_eq!(
                positions,
                (1..=positions.len() as u8).collect::<Vec<_>>(),
                "{}",
                op.id()
            );
        }
        assert_eq!(
            Operation::named("get:nope").unwrap_err().message,
            "\"get:nope\" is not an operationId of the Katapult Core API (see `operations`)"
        );
    }

    #[test]
    fn the_vm_list_query_follows_the_document() {
        let c = call(
            "get:organization_virtual_machines",
            json!({"organization": {"sub_domain": "acme"}, "annotations": [{"key": "team", "value": "web"}, {"key": "env", "value": "prod"}], "page": 2.0, "per_page": 50}),
        )
        .unwrap();
        assert_eq!(c.request.method, Method::Get);
        assert_eq!(c.request.body, None);
        assert_eq!(
            c.request.url(BASE),
            "https://api.katapult.io/core/v1/organizations/organization/virtual_machines?organization[sub_domain]=acme\
             &annotations[][key]=team&annotations[][value]=web\
             &annotations[][key]=env&annotations[][value]=prod&page=2&per_page=50"
        );
        let bare = call(
            "get:organization_virtual_machines",
            json!({"organization": {"id": "org_1"}}),
        )
        .unwrap();
        assert_eq!(
            bare.request.url(""),
            "/organizations/organization/virtual_machines?organization[id]=org_1"
        );
    }

    #[test]
    fn bodies_carry_lookups_and_checked_values() {
        let c = call(
            "delete:virtual_machine",
            json!({"virtual_machine": {"id": "vm_1"}}),
        )
        .unwrap();
        assert_eq!(c.request.method, Method::Delete);
        assert_eq!(
            c.request.body.as_deref(),
            Some(r#"{"virtual_machine":{"id":"vm_1"}}"#)
        );
        let answer = format!(
            r#"{{"trash_object":{{"id":"trsh_1","keep_until":1700000000,"object_id":"vm_1","object_type":"VirtualMachine"}},"virtual_machine":{}}}"#,
            crate::testdata::VM
        );
        let r = c.decode(200, answer.as_bytes(), None).unwrap();
        assert_eq!(
            (&r["trash_object"]["id"], &r["virtual_machine"]["id"]),
            (&json!("trsh_1"), &json!("vm_1"))
        );
        for action in ["start", "stop", "shutdown", "reset"] {
            let c = call(
                &format!("post:virtual_machine_{action}"),
                json!({"virtual_machine": {"fqdn": "a.b"}}),
            )
            .unwrap();
            assert_eq!(
                c.request.path,
                format!("/virtual_machines/virtual_machine/{action}")
            );
            assert_eq!(body(&c), json!({"virtual_machine": {"fqdn": "a.b"}}));
        }
        let c = call(
            "patch:virtual_machine",
            json!({"virtual_machine": {"id": "vm_1"}, "properties": {"name": "web", "tag_names": ["a"], "group": {"id": "grp_1"}}}),
        )
        .unwrap();
        assert_eq!(c.request.method, Method::Patch);
        assert_eq!(
            body(&c),
            json!({"virtual_machine": {"id": "vm_1"}, "properties": {"name": "web", "tag_names": ["a"], "group": {"id": "grp_1"}}})
        );
        let c = call(
            "post:organization_virtual_machines_build_from_spec",
            json!({"organization": {"sub_domain": "acme"}, "xml": "<x/>", "annotations": [{"key": "team", "value": "web"}]}),
        )
        .unwrap();
        assert_eq!(
            body(&c),
            json!({"organization": {"sub_domain": "acme"}, "xml": "<x/>", "annotations": [{"key": "team", "value": "web"}]})
        );
        let c = call(
            "post:trash_object_restore",
            json!({"trash_object": {"id": "trsh_1"}}),
        )
        .unwrap();
        assert_eq!(body(&c), json!({"trash_object": {"id": "trsh_1"}}));
        // Whole numbers go as integers, however JavaScript held them.
        let c = call(
            "put:disk_io_profile",
            json!({"disk": {"id": "disk_1"}, "io_profile": {"permalink": "fast"}}),
        )
        .unwrap();
        assert_eq!(c.request.method, Method::Put);
        assert_eq!(
            body(&c),
            json!({"disk": {"id": "disk_1"}, "io_profile": {"permalink": "fast"}})
        );
    }

    #[test]
    fn query_scalars_and_text_answers() {
        let c = call("get:task", json!({"task": {"id": "../x?y#z"}})).unwrap();
        assert_eq!(
            c.request.url(BASE),
            "https://api.katapult.io/core/v1/tasks/task?task[id]=..%2Fx%3Fy%23z"
        );
        let keys = call("get:virtual_machine_authorized_keys", json!(null)).unwrap();
        assert!(!keys.json);
        let c = call(
            "get:organization_disk_templates",
            json!({"organization": {"sub_domain": "acme"}, "include_universal": true}),
        )
        .unwrap();
        assert!(
            c.request.url("").ends_with("include_universal=true"),
            "{}",
            c.request.url("")
        );
    }

    #[test]
    fn bad_arguments_are_named() {
        let cases = [
            (
                "get:virtual_machine_disks",
                json!({"virtul_machine": {"id": "vm_1"}}),
                "params has an unknown key \"virtul_machine\"; allowed: virtual_machine, page, per_page",
            ),
            ("get:virtual_machine_disks", json!("vm_1"), "params must be an object, got a string"),
            (
                "get:virtual_machine_disks",
                json!({"virtual_machine": {"id": "a", "fqdn": "b"}}),
                "params.virtual_machine must have exactly one of `id` or `fqdn`, but has `id` and `fqdn`",
            ),
            (
                "get:virtual_machine_disks",
                json!({"virtual_machine": {}}),
                "params.virtual_machine must have exactly one of `id` or `fqdn`, but has none",
            ),
            ("get:virtual_machine_disks", json!({"virtual_machine": {"id": ""}}), "params.virtual_machine.id must be a non-empty string"),
            ("get:virtual_machine_disks", json!({"page": "2"}), "params.page must be a whole number, got a string"),
            ("get:virtual_machine_disks", json!({"page": 1.5}), "params.page must be a whole number, got 1.5"),
            (
                "patch:virtual_machine",
                json!({"virtual_machine": {"id": "vm_1"}}),
                "params.properties is required",
            ),
            (
                "patch:virtual_machine",
                json!({"virtual_machine": {"id": "vm_1"}, "properties": {"nmae": "x"}}),
                "params.properties has an unknown key \"nmae\"; allowed: hostname, name, description, tag_names, gpu_type, group",
            ),
            (
                "patch:virtual_machine",
                json!({"virtual_machine": {"id": "vm_1"}, "properties": {"tag_names": ["a", 5]}}),
                "params.properties.tag_names[1] must be a string, got a number",
            ),
            (
                "get:organization_virtual_machines",
                json!({"annotations": [{"key": "a"}]}),
                "params.annotations[0].value must be a string, got null",
            ),
            (
                "get:organization_virtual_machines",
                json!({"annotations": "team=web"}),
                "params.annotations must be an array of { key, value } objects, got a string",
            ),
        ];
        for (id, params, expected) in cases {
            assert_eq!(message(id, params.clone()), expected, "{id} {params}");
        }
    }

    #[test]
    fn named_methods_name_their_subjects_and_options() {
        let op = Operation::find("get:virtual_machine_disks").unwrap();
        let naming = Naming {
            prefix: "options",
            shown: &[("virtual_machine", "virtual_machine")],
            extra: &["signal"],
        };
        let e = op.call(&json!({"page": 2}), &naming).unwrap_err();
        assert_eq!(e.message, "virtual_machine is required");
        let e = op
            .call(&json!({"virtual_machine": {"id": 5}, "page": 2}), &naming)
            .unwrap_err();
        assert_eq!(
            e.message,
            "virtual_machine.id must be a non-empty string, got a number"
        );
        let e = op
            .call(
                &json!({"virtual_machine": {"id": "v"}, "pages": 2}),
                &naming,
            )
            .unwrap_err();
        assert_eq!(
            e.message,
            "options has an unknown key \"pages\"; allowed: page, per_page, signal"
        );
        let ok = op
            .call(
                &json!({"virtual_machine": {"id": "v"}, "signal": {}}),
                &naming,
            )
            .unwrap();
        assert_eq!(
            ok.request.url(""),
            "/virtual_machines/virtual_machine/disks?virtual_machine[id]=v"
        );
    }

    #[test]
    fn paginated_and_task_operations_are_marked() {
        let paginated: Vec<&str> = OPERATIONS
            .iter()
            .filter(|o| o.items().is_some())
            .map(|o| o.id())
            .collect();
        assert!(paginated.contains(&"get:organization_virtual_machines"));
        assert!(paginated.contains(&"get:virtual_machine_disks"));
        assert_eq!(
            Operation::find("get:organization_virtual_machines")
                .unwrap()
                .items(),
            Some("virtual_machines")
        );
        assert!(Operation::find("post:virtual_machine_start")
            .unwrap()
            .task());
        assert!(!Operation::find("get:virtual_machine").unwrap().task());
    }
}
