//! Every operation of the client's operation table, against the server:
//! a request built by the client from the document gets a 2xx answer that
//! the client decodes (with nothing the document does not list), and each
//! lookup that names nothing gets one of the operation's documented 404
//! codes.
//!
//! Arguments are filled from the document's types and from objects the
//! mock answered before (seeded ones, and ones earlier operations
//! created): an operation runs once every object it must name is known.
//! Deletes run last, each on an object created for it just before; what
//! needs a deleted object (the trash) runs after them. Objects no operation
//! lists (an object storage cluster, named by its region) are the engine's
//! seeded catalogue ([`katapult_mock_core::seed::lookup_value`]). The few
//! values the hand-written routes check beyond the document (a real SSH
//! key, a spec document) are in [`examples`].

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, Instant};

use common::{Server, TOKEN};
use katapult_mock_core::kinds::{singular, Kinds};
use katapult_mock_core::plan::{Effect, Plan};
use katapult_wasm::operation::{Form, Naming, Operation, OPERATIONS};
use katapult_wasm::request::{Call, Method};
use katapult_wasm::schema::{Ty, TyRef};
use serde_json::{json, Map, Value};

/// Values the hand-written routes check beyond the document's types.
fn examples(id: &str) -> Value {
    match id {
        "post:organization_ssh_keys" => json!({
            "ssh_key": {"name": "laptop", "key": "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBx2 me@host"}
        }),
        "post:organization_virtual_machines_build_from_spec" => json!({
            "xml": "<VirtualMachineSpec><Zone by=\"permalink\">uk-lon-01</Zone><Resources><Package by=\"permalink\">rock-3</Package></Resources></VirtualMachineSpec>"
        }),
        "put:disk_resize" => json!({"size_in_gb": 500}),
        "put:virtual_machine_flexible_resources" => {
            json!({"resources": {"cpu_cores": 2, "memory_in_gb": 4}})
        }
        "post:virtual_machine_network_interface_allocate_new_ip" => {
            json!({"address_version": "ipv4"})
        }
        "post:virtual_machine_disk_backup_policies" => json!({
            "properties": {"retention": 7, "schedule": {"interval": "daily", "frequency": 1, "time": 3, "minute": 0}}
        }),
        "patch:ip_address" => json!({"reverse_dns": "mail.example.com"}),
        _ => json!({}),
    }
}

/// Seeded objects the table must not pick: they refuse changes or fail
/// their tasks on purpose (mock/README.md, "Magic names").
fn avoided(object: &Value) -> bool {
    let name = object["name"].as_str().unwrap_or("");
    name.starts_with("protected") || name.contains("fail")
}

/// Objects answered so far, by kind, preferred first.
#[derive(Default)]
struct Pool(BTreeMap<String, Vec<Value>>);

impl Pool {
    /// Keeps the objects an answer's top-level key holds, alone or in a
    /// list, under the kind the key names: those with a key the kind is
    /// looked up by (`id`, or `name` for a bucket). (Objects nested deeper
    /// may be made up for the answer.)
    fn harvest(&mut self, key: &str, value: &Value) {
        let kinds = Kinds::get();
        let (kind, objects) = match value {
            Value::Array(items) => (kinds.of(&singular(key)), items.iter().collect()),
            one => (kinds.of(key), vec![one]),
        };
        let keys = kinds.lookup_keys(&kind);
        for object in objects {
            let Some(key) = keys.iter().find(|k| object[**k].is_string()) else {
                continue;
            };
            if !avoided(object) {
                let list = self.0.entry(kind.clone()).or_default();
                if !list.iter().any(|o| o[*key] == object[*key]) {
                    list.push(object.clone());
                }
            }
        }
    }

    /// Forgets a deleted object.
    fn forget(&mut self, kind: &str, lookup: &Value) {
        if let (Some(list), Some((key, value))) = (
            self.0.get_mut(kind),
            lookup.as_object().and_then(|o| o.iter().next()),
        ) {
            list.retain(|o| o.get(key) != Some(value));
        }
    }

    /// Puts the object of `kind` last answered first.
    fn prefer_newest(&mut self, kind: &str) {
        if let Some(list) = self.0.get_mut(kind) {
            if let Some(last) = list.pop() {
                list.insert(0, last);
            }
        }
    }

    /// A lookup of an object of `kind` by one of `keys` (`id` first),
    /// else of the engine's first seeded one by its other key.
    fn lookup(&self, kind: &str, keys: &[&str]) -> Option<Value> {
        let mut keys = keys.to_vec();
        keys.sort_by_key(|k| *k != "id");
        let known = self.0.get(kind).into_iter().flatten().find_map(|o| {
            keys.iter().find_map(|k| {
                let v = o.get(*k).filter(|v| v.is_string())?;
                Some(json!({ *k: v }))
            })
        });
        // A kind no answer holds is known only as the engine's catalogue.
        known.or_else(|| {
            let unlisted = !Kinds::get().answered(kind);
            let key = keys.iter().find(|k| **k != "id").filter(|_| unlisted)?;
            Some(json!({ *key: katapult_mock_core::seed::lookup_value(kind, 1) }))
        })
    }
}

/// An example of a value of `ty` (`name` is its argument or field).
fn example(ty: TyRef, name: &str, pool: &Pool) -> Option<Value> {
    Some(match ty.ty() {
        Ty::Any => json!({}),
        Ty::Str => json!(format!("example-{}", name.replace('_', "-"))),
        Ty::Int | Ty::Num => json!(1),
        Ty::Bool => json!(true),
        Ty::Arr(_) => json!([]),
        Ty::Lookup(..) => {
            let keys: Vec<&str> = ty.ty().fields().iter().map(|f| f.name()).collect();
            pool.lookup(&Kinds::get().of(name), &keys)?
        }
        Ty::Obj(..) => {
            let mut map = Map::new();
            for f in ty.ty().fields().iter().filter(|f| f.required()) {
                map.insert(f.name().to_owned(), example(f.ty(), f.name(), pool)?);
            }
            Value::Object(map)
        }
    })
}

/// The arguments of `op`: every lookup it must give and every required
/// value, with [`examples`] over them. `Err` names what is not known yet.
fn params(op: &Operation, pool: &Pool) -> Result<Value, String> {
    let mut map = Map::new();
    for arg in op.args() {
        let name = arg.name();
        let value = match arg.form() {
            Form::Objects => continue,
            Form::Lookup => {
                let keys: Vec<&str> = arg.ty.ty().fields().iter().map(|f| f.name()).collect();
                let kind = Kinds::get().of(name);
                match pool.lookup(&kind, &keys) {
                    Some(v) => v,
                    None if arg.required() || arg.position() > 0 => {
                        return Err(format!("no {kind} known"))
                    }
                    None => continue,
                }
            }
            Form::Value if !arg.required() => continue,
            Form::Value => example(arg.ty, name, pool).ok_or(format!("no object for {name}"))?,
        };
        map.insert(name.to_owned(), value);
    }
    if let Value::Object(extra) = examples(op.id()) {
        for (k, v) in extra {
            map.insert(k, v);
        }
    }
    Ok(Value::Object(map))
}

/// What one operation did.
#[derive(Debug)]
enum Outcome {
    Passed,
    Failed(String),
}

struct Table {
    server: Server,
    pool: Pool,
    outcomes: BTreeMap<&'static str, Outcome>,
    lookups_checked: usize,
}

impl Table {
    async fn send(&self, call: &Call) -> common::Resp {
        let request = &call.request;
        let url = request.url("/core/v1");
        let auth = format!("Bearer {TOKEN}");
        let mut headers = vec![("Authorization", auth.as_str())];
        if request.body.is_some() {
            headers.push(("Content-Type", "application/json"));
        }
        self.server
            .raw(
                request.method.as_str(),
                &url,
                &headers,
                request.body.as_deref().map(str::as_bytes),
            )
            .await
            .expect("request")
    }

    /// Runs `op` with `params`; on success keeps what it answered, waits for
    /// its task and checks its lookups' not-found answers.
    async fn run(&mut self, op: &'static Operation, params: &Value) {
        let call = match op.call(params, &Naming::PARAMS) {
            Ok(call) => call,
            Err(e) => {
                let why = format!("the client refused {params}: {}", e.message);
                self.outcomes.insert(op.id(), Outcome::Failed(why));
                return;
            }
        };
        let r = self.send(&call).await;
        let decoded = match call.json {
            true => call.decode(r.status, &r.body, None),
            false => katapult_wasm::response::text(r.status, &r.body, None).map(Value::String),
        };
        let body = match decoded {
            Ok(body) if (200..300).contains(&r.status) => body,
            Ok(_) => unreachable!("the client decodes only 2xx"),
            Err(e) => {
                let why = format!("{} {} for {params}: {}", r.status, e.code, r.text());
                self.outcomes.insert(op.id(), Outcome::Failed(why));
                return;
            }
        };
        // Nothing the document does not list (the live API sends no more).
        if let Err(e) = katapult_wasm::schema::conforms(&body, op.answer, call.json) {
            let why = format!("sent what the document lacks: {e}");
            self.outcomes.insert(op.id(), Outcome::Failed(why));
            return;
        }
        if let Value::Object(map) = &body {
            for (k, v) in map {
                self.pool.harvest(k, v);
            }
        }
        // A restored trash object is gone, as a deleted object is.
        if op.method() == Method::Delete || op.id() == "post:trash_object_restore" {
            for arg in op.subjects() {
                let kind = Kinds::get().of(arg.name());
                self.pool.forget(&kind, &params[arg.name()]);
            }
        }
        if let Some(task) = body["task"]["id"].as_str() {
            self.wait_task(task).await;
        }
        let missing = self.not_found_checks(op, params).await;
        self.outcomes.insert(
            op.id(),
            match missing {
                None => Outcome::Passed,
                Some(why) => Outcome::Failed(why),
            },
        );
    }

    /// For each lookup, the same request naming nothing gets a documented 404.
    async fn not_found_checks(&mut self, op: &'static Operation, params: &Value) -> Option<String> {
        let doc = katapult_mock_core::document::Document::get();
        let documented = doc
            .operation(op.id())
            .map(|o| o.errors(404))
            .unwrap_or_default();
        for arg in op.args().iter().filter(|a| a.form() == Form::Lookup) {
            let Some(given) = params.get(arg.name()).and_then(Value::as_object) else {
                continue;
            };
            let mut broken = params.clone();
            let key = given.keys().next().cloned().unwrap_or_default();
            broken[arg.name()] = json!({ key: "nothing-here" });
            let Ok(call) = op.call(&broken, &Naming::PARAMS) else {
                continue;
            };
            let r = self.send(&call).await;
            let code = r.code();
            self.lookups_checked += 1;
            if r.status != 404 || !documented.contains(&code.as_str()) {
                return Some(format!(
                    "{} naming nothing: {} {} (documented: {documented:?})",
                    arg.name(),
                    r.status,
                    r.text()
                ));
            }
        }
        None
    }

    /// Runs each operation once all it names is known, over and over while
    /// that makes progress; returns those that never could run.
    async fn run_when_known(
        &mut self,
        mut pending: Vec<&'static Operation>,
    ) -> Vec<&'static Operation> {
        loop {
            let mut ran = false;
            let mut later = Vec::new();
            for op in pending {
                match params(op, &self.pool) {
                    Ok(p) => {
                        self.run(op, &p).await;
                        ran = true;
                    }
                    Err(_) => later.push(op),
                }
            }
            pending = later;
            if !ran || pending.is_empty() {
                return pending;
            }
        }
    }

    /// Runs each delete on an object of its kind created for it just before.
    async fn delete_each(&mut self, deletes: Vec<&'static Operation>) {
        for op in deletes {
            let plan = Plan::all()
                .iter()
                .find(|p| p.id() == op.id())
                .expect("plan");
            let kind = plan.subject().map(|l| l.kind.clone()).unwrap_or_default();
            let create = Plan::all()
                .iter()
                .find(|p| p.effect == Effect::Create(kind.clone()));
            if let Some(create) = create {
                if let Ok(p) = params(create.op, &self.pool) {
                    self.run(create.op, &p).await;
                    self.pool.prefer_newest(&kind);
                }
            }
            match params(op, &self.pool) {
                Ok(p) => self.run(op, &p).await,
                Err(why) => {
                    self.outcomes.insert(op.id(), Outcome::Failed(why));
                }
            }
        }
    }

    async fn wait_task(&self, id: &str) {
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            let r = self.server.get(&format!("/tasks/task?task[id]={id}")).await;
            let status = r.json()["task"]["status"].as_str().unwrap_or("").to_owned();
            if matches!(status.as_str(), "completed" | "failed") || Instant::now() > deadline {
                return;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }
}

#[tokio::test]
async fn every_operation_answers_and_decodes() {
    let mut t = Table {
        server: Server::start(&["--task-ms", "60"]),
        pool: Pool::default(),
        outcomes: BTreeMap::new(),
        lookups_checked: 0,
    };
    // Everything but deletes, each once all it names is known.
    let pending: Vec<&'static Operation> = OPERATIONS
        .iter()
        .filter(|op| op.method() != Method::Delete)
        .collect();
    let pending = t.run_when_known(pending).await;
    // Deletes, each on an object created for it; then what needs a deleted
    // object; emptying the trash last.
    let (purge, deletes): (Vec<&'static Operation>, Vec<&'static Operation>) = OPERATIONS
        .iter()
        .filter(|op| op.method() == Method::Delete)
        .partition(|op| op.id() == "delete:trash_object");
    t.delete_each(deletes).await;
    let pending = t.run_when_known(pending).await;
    t.delete_each(purge).await;
    for op in pending {
        let why = params(op, &t.pool).err().unwrap_or_default();
        t.outcomes.insert(op.id(), Outcome::Failed(why));
    }

    let failed: BTreeSet<String> = t
        .outcomes
        .iter()
        .filter_map(|(id, o)| match o {
            Outcome::Failed(why) => Some(format!("{id}: {why}")),
            Outcome::Passed => None,
        })
        .collect();
    let passed = OPERATIONS.len() - failed.len();
    eprintln!(
        "{passed} of {} operations answered 2xx, decoded, and found nothing where told to ({} lookups checked)",
        OPERATIONS.len(),
        t.lookups_checked
    );
    for f in &failed {
        eprintln!("  {f}");
    }
    assert_eq!(t.outcomes.len(), OPERATIONS.len(), "every operation ran");
    assert!(failed.is_empty(), "{} operations failed", failed.len());
}
