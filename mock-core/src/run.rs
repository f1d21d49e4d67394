//! One request through the engine: its lookups found (or the documented
//! not-found error), its required arguments checked, its effect applied
//! (create, change, delete), and its answer assembled key by key from the
//! objects involved and shaped as the document and live traffic say.
//!
//! How an answer's top-level keys are filled, for every operation alike:
//! `pagination` and the list beside it from the objects under the
//! operation's subject; `annotations` from the object's; `task` from a
//! task started now; `trash_object` from the deleted object's new trash
//! entry; an object of the kind the operation created, changed, deleted or
//! looked up is that object; one of another resource kind is the object
//! related to those looked up (a VM's interface on a network), or, for a
//! read that finds none, the documented 404 no lookup accounts for
//! (`interface_not_found`); a boolean (`deleted`, `success`) is `true`;
//! anything else is generated from its schema.

use katapult_wasm::operation::Form;
use katapult_wasm::request::Method;
use serde_json::{json, Map, Value};

use crate::annotation::Annotation;
use crate::args::{self, Args};
use crate::document::Document;
use crate::engine::{Answer, Engine, Request};
use crate::error::ApiError;
use crate::host::{Host, HostObject};
use crate::ids::hash_str;
use crate::kinds::{singular, type_name, Kinds};
use crate::paging;
use crate::plan::{answer_kind, Effect, Plan};
use crate::shape::Shaper;
use crate::store::{Link, Record};
use crate::tasks;

mod behaviour;
mod build;
mod settings;

pub(crate) use behaviour::{Job, JobPlan};

/// An object an operation deals with, the engine's or the host's, with
/// every documented field.
#[derive(Debug, Clone)]
pub(crate) struct Obj {
    kind: String,
    id: String,
    data: Value,
    annotations: Vec<Annotation>,
    links: Vec<Link>,
    /// The engine's own (else the host's).
    own: bool,
}

/// An object of a list: ready, or one of the engine's records not yet
/// copied (only the page a list answers is).
enum Listed<'s> {
    Ready(Obj),
    Stored(&'s Record),
}

impl Listed<'_> {
    fn annotations(&self) -> &[Annotation] {
        match self {
            Listed::Ready(o) => &o.annotations,
            Listed::Stored(r) => &r.annotations,
        }
    }
}

/// The objects an operation's lookups found: (index in the plan's
/// lookups, the object).
type Found = Vec<(usize, Obj)>;

/// One request being answered.
pub(crate) struct Run<'e> {
    pub engine: &'e mut Engine,
    pub host: &'e mut dyn Host,
    pub plan: &'static Plan,
    pub now_ms: u64,
    /// What the task this request starts does while it runs (set by the
    /// operation's behaviour, [`behaviour`]).
    pub job: Option<JobPlan>,
    /// Values the answer carries beside its objects (a build's `hostname`).
    pub extra: Map<String, Value>,
    /// Fields the behaviour sets on what the operation creates (its `id`,
    /// a console session's `url`, a policy's defaults).
    pub preset: Map<String, Value>,
    /// What the operation lists, when its behaviour says (a VM's disks are
    /// its disks, each as the document's `VirtualMachineDisk`).
    pub items: Option<Vec<Obj>>,
    /// The task this request starts is to fail (a `fail-build` build).
    pub fail: bool,
    /// The name of the task this request starts, where the API's is not
    /// the operation's summary ("Change virtual machine package").
    pub task_name: Option<&'static str>,
}

impl Run<'_> {
    fn now(&self) -> i64 {
        i64::try_from(self.now_ms / 1000).unwrap_or(0)
    }

    /// Runs the request.
    pub fn answer(&mut self, request: &Request) -> Result<Answer, ApiError> {
        let args = Args::from_request(request.query, request.content_type, request.body)?;
        // Apia checks the arguments before the endpoint looks anything up.
        self.check_required(&args)?;
        let found = self.resolve(&args)?;
        behaviour::guard(self, &found)?;
        if let Some(special) = behaviour::of(self.plan.id()) {
            if let behaviour::Outcome::Done(target) = special(self, &args, &found)? {
                return self.respond(&args, &found, target);
            }
        }
        let target = match self.plan.effect.clone() {
            Effect::Read | Effect::Act => self.subject(&found).cloned(),
            Effect::Create(kind) => Some(self.create(&kind, &args, &found)?),
            Effect::Update => self.update(&args, &found)?,
            Effect::Delete => Some(self.delete(&found)?),
        };
        self.respond(&args, &found, target)
    }

    // --- finding objects --------------------------------------------------

    /// Finds every lookup the request gives (or the operation requires).
    fn resolve(&mut self, args: &Args) -> Result<Found, ApiError> {
        let plan = self.plan;
        let mut found = Vec::new();
        for (i, l) in plan.lookups.iter().enumerate() {
            let given = args.0.get(l.name).is_some_and(|v| !v.is_null());
            if !given && !l.required {
                continue;
            }
            let key = args.lookup(&plan.endpoint, l.name, &l.set, &l.keys)?;
            let hit = key.and_then(|(k, v)| self.find(&l.kind, k, &v));
            let Some((obj, refusal)) = hit else {
                let code = l
                    .not_found
                    .map_or_else(|| format!("{}_not_found", l.kind), str::to_owned);
                return Err(ApiError::not_found(&code));
            };
            if let Some(e) = refusal.filter(|e| self.documents(&e.code)) {
                return Err(e);
            }
            found.push((i, obj));
        }
        Ok(found)
    }

    /// Whether the operation documents this error code.
    fn documents(&self, code: &str) -> bool {
        self.plan.doc.all_errors().iter().any(|(_, c)| *c == code)
    }

    /// `missing_required_argument` for the first required argument (in
    /// the document's order) not given.
    fn check_required(&self, args: &Args) -> Result<(), ApiError> {
        for arg in self.plan.op.args() {
            let name = arg.name();
            let required = match arg.form() {
                Form::Lookup => self
                    .plan
                    .lookups
                    .iter()
                    .any(|l| l.name == name && l.required),
                _ => arg.required(),
            };
            if required && args.0.get(name).is_none_or(Value::is_null) {
                return Err(args::missing(&[name], name));
            }
        }
        Ok(())
    }

    /// The object of `kind` whose `key` is `value`: the host's, unless
    /// deleted here, else the engine's. With the host's refusal, if any.
    fn find(&self, kind: &str, key: &str, value: &str) -> Option<(Obj, Option<ApiError>)> {
        if self.host.owns(kind) {
            if let Some(h) = self.host.find(kind, key, value) {
                if !self.engine.store.hidden(kind, h.id()) {
                    let refusal = h.refusal.clone();
                    return Some((self.host_obj(kind, h), refusal));
                }
            }
        }
        let record = self.engine.store.find(kind, key, value)?;
        let in_trash = self
            .engine
            .store
            .trash_of(kind, &record.id)
            .and_then(|t| self.engine.store.find("trash_object", "id", t))
            .map(|t| ApiError::object_in_trash(Value::Object(t.data.clone())));
        Some((
            self.record_obj(record),
            in_trash.or_else(|| refusal(record)),
        ))
    }

    /// The objects of `kind` under `parent`: the host's, then the engine's.
    fn list(&self, kind: &str, parent: Option<(&str, &str)>) -> Vec<Obj> {
        let mut out = Vec::new();
        if self.host.owns(kind) {
            for h in self.host.list(kind, parent) {
                if !self.engine.store.hidden(kind, h.id()) {
                    out.push(self.host_obj(kind, h));
                }
            }
        }
        for r in self.engine.store.list(kind, parent) {
            out.push(self.record_obj(r));
        }
        out
    }

    /// [`Run::list`], with the engine's records not yet copied.
    fn list_lazily<'s>(&'s self, kind: &str, parent: Option<(&str, &str)>) -> Vec<Listed<'s>> {
        let mut out = Vec::new();
        if self.host.owns(kind) {
            for h in self.host.list(kind, parent) {
                if !self.engine.store.hidden(kind, h.id()) {
                    out.push(Listed::Ready(self.host_obj(kind, h)));
                }
            }
        }
        out.extend(
            self.engine
                .store
                .list(kind, parent)
                .into_iter()
                .map(Listed::Stored),
        );
        out
    }

    /// A listed object, copied.
    fn ready(&self, listed: Listed) -> Obj {
        match listed {
            Listed::Ready(o) => o,
            Listed::Stored(r) => self.record_obj(r),
        }
    }

    /// The object of `kind` related to every object the operation looked
    /// up: one of the engine's linked to all of them, or one of the host's
    /// under one of them that embeds the others.
    fn related(&self, kind: &str, found: &Found) -> Option<Obj> {
        let objs: Vec<&Obj> = found.iter().map(|(_, o)| o).collect();
        let linked = |r: &Record| {
            !r.links.is_empty()
                && objs
                    .iter()
                    .all(|o| r.links.iter().any(|(k, i)| *k == o.kind && *i == o.id))
        };
        if let Some(r) = self
            .engine
            .store
            .list(kind, None)
            .into_iter()
            .find(|r| linked(r))
        {
            return Some(self.record_obj(r));
        }
        if !self.host.owns(kind) {
            return None;
        }
        let embeds = |h: &HostObject, o: &Obj| {
            h.object
                .as_object()
                .into_iter()
                .flatten()
                .any(|(_, v)| v["id"].as_str() == Some(o.id.as_str()))
        };
        for under in objs.iter().rev() {
            let hits = self.host.list(kind, Some((&under.kind, &under.id)));
            let hit = hits.into_iter().find(|h| {
                !self.engine.store.hidden(kind, h.id())
                    && objs
                        .iter()
                        .all(|o| std::ptr::eq(*o, *under) || embeds(h, o))
            });
            if let Some(h) = hit {
                return Some(self.host_obj(kind, h));
            }
        }
        None
    }

    /// The VM an object is or belongs to.
    fn vm_of(&self, obj: &Obj) -> Option<Obj> {
        if obj.kind == "virtual_machine" {
            return Some(obj.clone());
        }
        let (kind, id) = obj.links.iter().find(|(k, _)| k == "virtual_machine")?;
        self.find(kind, "id", id).map(|(o, _)| o)
    }

    /// The operation's subject.
    fn subject<'f>(&self, found: &'f Found) -> Option<&'f Obj> {
        let at = self.plan.subject?;
        found.iter().find(|(i, _)| *i == at).map(|(_, o)| o)
    }

    /// What lists are listed under: the subject, else the last lookup.
    fn parent<'f>(&self, found: &'f Found) -> Option<&'f Obj> {
        self.subject(found).or(found.last().map(|(_, o)| o))
    }

    /// An object with every documented field of its kind: the given ones,
    /// the rest generated from its id.
    fn full(&self, kind: &str, id: &str, source: &Value) -> Value {
        match Kinds::get().schema(kind) {
            Some(schema) => {
                let shaper = Shaper::full(self.now());
                shaper.shape(
                    schema,
                    Some(source),
                    shaper.slot(kind, "", hash_str(id)),
                    "$",
                )
            }
            None => source.clone(),
        }
    }

    fn host_obj(&self, kind: &str, h: HostObject) -> Obj {
        let id = h.id().to_owned();
        let store = &self.engine.store;
        let mut data = h.object;
        if let (Some(obj), Some(patch)) = (data.as_object_mut(), store.patch(kind, &id)) {
            obj.extend(patch.clone());
        }
        Obj {
            kind: kind.to_owned(),
            data: self.full(kind, &id, &data),
            annotations: store
                .annotations(kind, &id)
                .cloned()
                .unwrap_or(h.annotations),
            id,
            links: Vec::new(),
            own: false,
        }
    }

    fn record_obj(&self, r: &Record) -> Obj {
        let mut data = r.data.clone();
        if r.kind == "task" {
            tasks::refresh(
                &mut data,
                r.created_ms,
                self.now_ms,
                self.engine.config.task_ms,
            );
        }
        if let Some(Value::Object(schedule)) = data.get_mut("schedule") {
            if r.kind == "disk_backup_policy" {
                let next = behaviour::next_run(&Value::Object(schedule.clone()), self.now());
                schedule.insert("next_invocation_at".into(), json!(next));
            }
        }
        Obj {
            kind: r.kind.clone(),
            id: r.id.clone(),
            data: Value::Object(data),
            annotations: r.annotations.clone(),
            links: r.links.clone(),
            own: true,
        }
    }

    /// The object again, after a change.
    fn refetch(&self, obj: &Obj) -> Option<Obj> {
        self.find(&obj.kind, "id", &obj.id).map(|(o, _)| o)
    }

    /// Whether `kind` is a resource (something kept, listed, looked up), as
    /// opposed to a value the answer merely describes.
    fn is_resource(&self, kind: &str) -> bool {
        Kinds::get().looked_up(kind)
            || self.host.owns(kind)
            || self.engine.store.has_kind(kind)
            || Plan::all()
                .iter()
                .any(|p| p.effect == Effect::Create(kind.to_owned()))
    }

    /// The first documented 404 that none of the operation's lookups
    /// accounts for (`interface_not_found`, `object_storage_account_not_found`).
    fn unaccounted_404(&self) -> Option<&'static str> {
        let plan = self.plan;
        plan.doc
            .errors(404)
            .into_iter()
            .find(|c| !plan.lookups.iter().any(|l| l.not_found == Some(*c)))
    }

    // --- effects ------------------------------------------------------------

    /// The fields a create or change sets: the `properties` (lookups in them
    /// found), the other values given, and the other looked-up objects
    /// under their argument's name.
    fn changes(&self, args: &Args, found: &Found) -> Result<Map<String, Value>, ApiError> {
        let plan = self.plan;
        let mut out = Map::new();
        for arg in plan.op.args() {
            let name = arg.name();
            match arg.form() {
                Form::Objects => {}
                Form::Lookup => {
                    let at = plan.lookups.iter().position(|l| l.name == name);
                    if at != plan.subject {
                        if let Some((_, o)) = found.iter().find(|(i, _)| Some(*i) == at) {
                            out.insert(name.to_owned(), o.data.clone());
                        }
                    }
                }
                Form::Value if name == "annotations" => {}
                Form::Value => match args.0.get(name) {
                    None | Some(Value::Null) => {}
                    Some(Value::Object(props)) if name == "properties" => {
                        for (k, v) in props {
                            out.insert(k.clone(), self.nested_lookup(k, v)?);
                        }
                    }
                    Some(v) => {
                        out.insert(name.to_owned(), v.clone());
                    }
                },
            }
        }
        Ok(out)
    }

    /// A property whose documented type is a lookup (or a list of them)
    /// becomes the object it finds; one that finds nothing is the
    /// documented not-found error, else `validation_error`.
    fn nested_lookup(&self, field: &str, value: &Value) -> Result<Value, ApiError> {
        let doc = Document::get();
        let props = self
            .plan
            .doc
            .body()
            .map(|b| doc.resolve(&b["properties"]["properties"]));
        let Some(node) = props.map(|p| &p["properties"][field]) else {
            return Ok(value.clone());
        };
        let is_lookup = |n: &Value| doc.ref_name(n).is_some_and(|r| r.ends_with("Lookup"));
        let resolved = doc.resolve(node);
        let (lookup, array) = match () {
            _ if is_lookup(node) => (true, false),
            _ if resolved["type"] == "array" && is_lookup(&resolved["items"]) => (true, true),
            _ => (false, false),
        };
        if !lookup {
            return Ok(value.clone());
        }
        let kind = Kinds::get().of(&if array {
            singular(field)
        } else {
            field.to_owned()
        });
        let one = |v: &Value| -> Result<Value, ApiError> {
            let Some((key, Value::String(text))) = v.as_object().and_then(|o| o.iter().next())
            else {
                return Ok(v.clone());
            };
            match self.find(&kind, key, text) {
                Some((o, _)) => Ok(o.data),
                None => {
                    let code = format!("{kind}_not_found");
                    Err(match self.documents(&code) {
                        true => ApiError::not_found(&code),
                        false => ApiError::validation(vec![format!("{field} was not found")]),
                    })
                }
            }
        };
        match value {
            Value::Array(items) if array => Ok(Value::Array(
                items.iter().map(one).collect::<Result<_, _>>()?,
            )),
            v => one(v),
        }
    }

    /// Creates an object of `kind` under the looked-up objects.
    fn create(&mut self, kind: &str, args: &Args, found: &Found) -> Result<Obj, ApiError> {
        let mut source = self.changes(args, found)?;
        // Fields that embed or name what it is created under
        // (`dns_zone`, `organization_id`) are those objects.
        for (_, o) in found {
            source
                .entry(o.kind.clone())
                .or_insert_with(|| o.data.clone());
            source
                .entry(format!("{}_id", o.kind))
                .or_insert_with(|| json!(o.id));
        }
        let annotations = args
            .annotations(&self.plan.endpoint, false)?
            .unwrap_or_default();
        let preset = std::mem::take(&mut self.preset);
        let id = match preset.get("id").and_then(Value::as_str) {
            Some(id) => id.to_owned(),
            None => self.engine.new_id(kind),
        };
        for (k, v) in preset {
            source.entry(k).or_insert(v);
        }
        source.insert("id".into(), json!(id));
        source
            .entry("created_at")
            .or_insert_with(|| json!(self.now()));
        let Value::Object(data) = self.full(kind, &id, &Value::Object(source)) else {
            return Err(ApiError::unhandled());
        };
        let record = Record {
            kind: kind.to_owned(),
            id,
            data,
            annotations,
            links: found
                .iter()
                .map(|(_, o)| (o.kind.clone(), o.id.clone()))
                .collect(),
            created_ms: self.now_ms,
        };
        let obj = self.record_obj(&record);
        self.engine.store.insert(record);
        Ok(obj)
    }

    /// Changes the subject with the request's arguments.
    fn update(&mut self, args: &Args, found: &Found) -> Result<Option<Obj>, ApiError> {
        let Some(subject) = self.subject(found).cloned() else {
            return Ok(None);
        };
        let changes = self.changes(args, found)?;
        let annotations = args.annotations(&self.plan.endpoint, false)?;
        let (kind, id) = (subject.kind.as_str(), subject.id.as_str());
        if subject.own {
            let mut data = subject.data.clone();
            if let Some(obj) = data.as_object_mut() {
                obj.extend(changes);
            }
            let data = self.full(kind, id, &data);
            if let Some(r) = self.engine.store.get_mut(kind, id) {
                if let Value::Object(data) = data {
                    r.data = data;
                }
                if let Some(a) = annotations {
                    r.annotations = a;
                }
            }
        } else {
            self.engine.store.patch_mut(kind, id).extend(changes);
            if let Some(a) = annotations {
                self.engine.store.set_annotations(kind, id, a);
            }
        }
        Ok(self.refetch(&subject).or(Some(subject)))
    }

    /// Deletes the object the answer names (the subject, or one related to
    /// it: an organization's account in a storage cluster).
    fn delete(&mut self, found: &Found) -> Result<Obj, ApiError> {
        let subject_kind = self.subject(found).map(|o| o.kind.clone());
        let answer = self.plan.doc.answer().map(|a| Document::get().resolve(a));
        let named = answer
            .and_then(|a| a["properties"].as_object())
            .into_iter()
            .flatten()
            .filter_map(|(key, node)| answer_kind(key, node).filter(|(_, list)| !list))
            .map(|(kind, _)| kind)
            .find(|k| k != "task" && k != "trash_object" && Some(k) != subject_kind.as_ref());
        let target = match named {
            Some(kind) => self.related(&kind, found),
            None => self.subject(found).cloned(),
        };
        let Some(target) = target else {
            let code = self.unaccounted_404().unwrap_or("object_not_found");
            return Err(ApiError::not_found(code));
        };
        if target.own {
            // What the API sends to the trash stays, in the trash
            // ([`Run::trash`]), until it is restored or purged.
            if !self.trashes() {
                self.engine.store.remove(&target.kind, &target.id);
            }
        } else if !self.host.remove(&target.kind, &target.id) {
            self.engine.store.hide(&target.kind, &target.id);
        }
        Ok(target)
    }

    /// Whether the operation's answer has a `trash_object` (what it
    /// deletes goes to the trash).
    fn trashes(&self) -> bool {
        let answer = self.plan.doc.answer().map(|a| Document::get().resolve(a));
        answer.is_some_and(|a| a["properties"].get("trash_object").is_some())
    }

    /// Starts a task for this operation, and what it does while it runs
    /// (the behaviour's [`JobPlan`], if any).
    fn start_task(&mut self, found: &Found) -> Value {
        let id = self.engine.new_id("task");
        let name = self.task_name.unwrap_or(self.plan.doc.summary());
        let mut data = tasks::new(&id, name, self.now_ms);
        let fail =
            self.fail || self.engine.fails(self.plan.id()) || behaviour::told_to_fail(self, found);
        if fail {
            data.insert("_fail".into(), Value::Bool(true));
        }
        let busy = self
            .subject(found)
            .or(found.first().map(|(_, o)| o))
            .and_then(|o| self.vm_of(o))
            .map(|vm| (vm.kind, vm.id));
        self.engine.jobs.push(Job {
            task: id.clone(),
            created_ms: self.now_ms,
            fail,
            busy,
            running: false,
            plan: self.job.take().unwrap_or_default(),
        });
        let record = Record {
            kind: "task".into(),
            id,
            data,
            annotations: Vec::new(),
            links: self
                .subject(found)
                .map(|o| vec![(o.kind.clone(), o.id.clone())])
                .unwrap_or_default(),
            created_ms: self.now_ms,
        };
        let obj = self.record_obj(&record);
        self.engine.store.insert(record);
        obj.data
    }

    /// Puts a deleted object in the trash, listed where it was.
    fn trash(&mut self, target: &Obj, found: &Found) -> Value {
        let id = self.engine.new_id("trash_object");
        let source = json!({
            "id": id,
            "keep_until": self.now() + 7 * 24 * 3600,
            "object_id": target.id,
            "object_type": type_name(&target.kind),
        });
        let data = self.full("trash_object", &id, &source);
        let mut links = target.links.clone();
        if let Some(p) = self.parent(found).filter(|p| p.id != target.id) {
            links.push((p.kind.clone(), p.id.clone()));
        }
        if target.own {
            self.engine
                .store
                .put_in_trash(&target.kind, &target.id, &id);
        }
        if let Value::Object(map) = &data {
            self.engine.store.insert(Record {
                kind: "trash_object".into(),
                id,
                data: map.clone(),
                annotations: Vec::new(),
                links,
                created_ms: self.now_ms,
            });
        }
        data
    }

    // --- the answer -----------------------------------------------------------

    fn respond(
        &mut self,
        args: &Args,
        found: &Found,
        target: Option<Obj>,
    ) -> Result<Answer, ApiError> {
        let plan = self.plan;
        let op = plan.op;
        let Some(node) = plan.doc.answer() else {
            return Ok(Answer::text(op.status(), String::new()));
        };
        let doc = Document::get();
        let schema = doc.resolve(node);
        let filter = match op.method() {
            Method::Get if op.args().iter().any(|a| a.name() == "annotations") => {
                args.annotations(&plan.endpoint, true)?
            }
            _ => None,
        };
        let page = match op.items() {
            Some(_) => Some(paging::page_args(
                args,
                &plan.endpoint,
                self.engine.config.max_per_page,
            )?),
            None => None,
        };
        let owner = target.as_ref().or(self.subject(found));
        let mut source = Map::new();
        for (key, node) in schema["properties"].as_object().into_iter().flatten() {
            let value = match key.as_str() {
                "pagination" => continue,
                "annotations" => Annotation::to_json(owner.map_or(&[], |o| &o.annotations)),
                // A read starts nothing: `get:task` answers the task it
                // looked up (through its subject, below).
                "task" if plan.effect != Effect::Read => self.start_task(found),
                "trash_object" if plan.effect == Effect::Delete => match &target {
                    Some(t) => self.trash(t, found),
                    None => continue,
                },
                _ => match answer_kind(key, node) {
                    Some((kind, true)) => {
                        let parent = self.parent(found).map(|o| (o.kind.as_str(), o.id.as_str()));
                        let mut objs = match self.items.take() {
                            Some(items) if op.items() == Some(key.as_str()) => {
                                items.into_iter().map(Listed::Ready).collect()
                            }
                            _ => self.list_lazily(&kind, parent),
                        };
                        if let Some(f) = &filter {
                            objs.retain(|o| Annotation::all_in(f, o.annotations()));
                        }
                        // The page is cut before the engine's records are
                        // copied, so a long list costs a page, not the list.
                        let paged = op.items() == Some(key);
                        if let (Some((page, per_page)), true) = (page, paged) {
                            let large = self.engine.config.large_sets;
                            let (pagination, slice) = paging::paginate(objs, page, per_page, large);
                            source.insert("pagination".into(), pagination);
                            objs = slice;
                        }
                        let mut items: Vec<Value> =
                            objs.into_iter().map(|o| self.ready(o).data).collect();
                        if !(paged && page.is_some())
                            && items.is_empty()
                            && !self.is_resource(&kind)
                        {
                            items.push(json!({}));
                        }
                        Value::Array(items)
                    }
                    Some((kind, false)) => {
                        match self.object_for(key, &kind, found, target.as_ref())? {
                            Some(v) => v,
                            None => continue,
                        }
                    }
                    None if doc.resolve(node)["type"] == "boolean" => Value::Bool(true),
                    None => continue,
                },
            };
            source.insert(key.clone(), value);
        }
        source.extend(std::mem::take(&mut self.extra));
        let shaper = Shaper::answer(plan.id(), self.now());
        let slot = shaper.slot("", "", hash_str(plan.id()));
        let body = shaper.shape(node, Some(&Value::Object(source)), slot, "$");
        Ok(Answer::json(op.status(), &body))
    }

    /// The object an answer's key holds (`None`: generate it).
    fn object_for(
        &self,
        key: &str,
        kind: &str,
        found: &Found,
        target: Option<&Obj>,
    ) -> Result<Option<Value>, ApiError> {
        if let Some(t) = target.filter(|t| t.kind == kind || t.kind == key) {
            return Ok(Some(t.data.clone()));
        }
        let plan = self.plan;
        if let Some((_, o)) = found
            .iter()
            .find(|(i, o)| o.kind == kind || plan.lookups.get(*i).is_some_and(|l| l.name == key))
        {
            return Ok(Some(o.data.clone()));
        }
        if !self.is_resource(kind) {
            return Ok(None);
        }
        if let Some(o) = self.related(kind, found) {
            return Ok(Some(o.data));
        }
        // Where the document has no not-found for it, the object always
        // exists (a data center's default network): with nothing related,
        // the first one everyone shares, so what is answered can then be
        // looked up, rather than one made up for this answer.
        if self.unaccounted_404().is_none() {
            let shared = self
                .engine
                .store
                .list(kind, None)
                .into_iter()
                .find(|r| r.links.is_empty());
            if let Some(r) = shared {
                return Ok(Some(self.record_obj(r).data));
            }
        }
        // Something of the looked-up objects' that is not there.
        match (
            plan.effect == Effect::Read && !found.is_empty(),
            self.unaccounted_404(),
        ) {
            (true, Some(code)) => Err(ApiError::not_found(code)),
            _ => Ok(None),
        }
    }
}

/// The error the API gives when an operation names one of the engine's own
/// organizations that is suspended or was never activated (a host says so
/// of its own with [`HostObject::refusal`]): the fixture's `initech` and
/// `hooli` refuse in-process as they do in the server.
fn refusal(record: &Record) -> Option<ApiError> {
    if record.kind != "organization" {
        return None;
    }
    match (
        record.data.get("suspended"),
        record.data.get("activated_at"),
    ) {
        (Some(Value::Bool(true)), _) => Some(ApiError::organization_suspended()),
        (_, Some(Value::Null)) => Some(ApiError::organization_not_activated()),
        _ => None,
    }
}

/// The `get:task` answer for an engine task record.
pub(crate) fn task_answer(
    engine: &Engine,
    plan: &'static Plan,
    record: &Record,
    now_ms: u64,
) -> Value {
    let mut data = record.data.clone();
    tasks::refresh(&mut data, record.created_ms, now_ms, engine.config.task_ms);
    let node = plan.doc.answer().unwrap_or(&Value::Null);
    let now = i64::try_from(now_ms / 1000).unwrap_or(0);
    let shaper = Shaper::answer(plan.id(), now);
    let source = json!({ "task": Value::Object(data) });
    shaper.shape(
        node,
        Some(&source),
        shaper.slot("", "", hash_str(&record.id)),
        "$",
    )
}
