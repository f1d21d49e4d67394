//! What the document cannot say, operation by operation: a small table of
//! behaviours keyed by operationId, each a short function over the generic
//! store, plus two rules that hold for every operation.
//!
//! The rules ([`guard`]): a VM named `protected-…` (or what belongs to it)
//! refuses every change with `permission_denied`, and an object a task
//! still runs against refuses another task with `task_queueing_error`,
//! where the operation documents those errors. A task fails when the
//! engine was told to fail its operation's tasks, or when an object it
//! acts on is named `fail-task…` ([`told_to_fail`]).
//!
//! The table ([`of`]): what a power action does to its VM while its task
//! runs and after; restoring and purging what is in the trash. A behaviour
//! either leaves the operation's generic effect to run (having checked or
//! prepared something: the task's [`JobPlan`]) or does the effect itself.

use serde_json::{json, Map, Value};

use katapult_wasm::request::Method;

use super::{build, settings, Found, Obj, Run};
use crate::args::Args;
use crate::document::Document;
use crate::error::ApiError;
use crate::store::{Link, Record, Store};

/// One change a task makes at one of its moments.
#[derive(Debug, Clone)]
pub(crate) enum Step {
    /// Sets fields of an object (the engine's, or its overlay on the host's).
    Set(Link, Map<String, Value>),
    /// Adds an object (a build's VM, once its task runs).
    Insert(Record),
    /// Removes an object and what belongs to it (a failed build's VM).
    Remove(Link),
}

impl Step {
    /// Applies it to the store.
    pub(crate) fn apply(&self, store: &mut Store) {
        match self {
            Step::Set((kind, id), fields) => match store.get_mut(kind, id) {
                Some(r) => r.data.extend(fields.clone()),
                None => store.patch_mut(kind, id).extend(fields.clone()),
            },
            Step::Insert(record) => store.insert(record.clone()),
            Step::Remove((kind, id)) => {
                store.remove(kind, id);
            }
        }
    }
}

/// What a task does: when it starts running, when it completes, and when
/// it fails instead.
#[derive(Debug, Clone, Default)]
pub(crate) struct JobPlan {
    pub during: Vec<Step>,
    pub done: Vec<Step>,
    pub undo: Vec<Step>,
}

/// A task still running.
#[derive(Debug, Clone)]
pub(crate) struct Job {
    /// The task's id.
    #[allow(dead_code)]
    pub task: String,
    pub created_ms: u64,
    pub fail: bool,
    /// The VM it keeps busy.
    pub busy: Option<Link>,
    /// Its `during` steps are applied.
    pub running: bool,
    pub plan: JobPlan,
}

/// Sets `fields` (a JSON object) on `obj`.
pub(crate) fn set(obj: &Obj, fields: Value) -> Step {
    let Value::Object(fields) = fields else {
        return Step::Set((obj.kind.clone(), obj.id.clone()), Map::new());
    };
    Step::Set((obj.kind.clone(), obj.id.clone()), fields)
}

/// What a behaviour leaves to do.
pub(crate) enum Outcome {
    /// The operation's generic effect.
    Generic,
    /// Nothing more: answer about this object.
    Done(Option<Obj>),
}

type Behaviour = fn(&mut Run, &Args, &Found) -> Result<Outcome, ApiError>;

/// The behaviours, by operationId.
const TABLE: &[(&str, Behaviour)] = &[
    ("post:virtual_machine_shutdown", |r, _, f| {
        power(r, f, "shutting_down", "stopped")
    }),
    ("post:virtual_machine_stop", |r, _, f| {
        power(r, f, "stopping", "stopped")
    }),
    ("post:virtual_machine_start", |r, _, f| {
        power(r, f, "starting", "started")
    }),
    ("post:virtual_machine_reset", |r, _, f| {
        power(r, f, "resetting", "started")
    }),
    ("get:virtual_machine_disks", vm_disks),
    ("put:disk_resize", resize),
    ("put:disk_io_profile", io_profile),
    ("put:virtual_machine_package", package),
    ("put:virtual_machine_flexible_resources", flexible_resources),
    ("post:virtual_machine_console_sessions", console_session),
    ("post:virtual_machine_disk_backup_policies", backup_policy),
    ("patch:disk_backup_policy", backup_policy),
    ("post:ip_address_unallocate", unallocate),
    ("post:trash_object_restore", restore),
    ("delete:trash_object", purge),
    ("post:organization_trash_objects_purge_all", purge_all),
    (
        "post:organization_virtual_machines_build_from_spec",
        build::build_from_spec,
    ),
    ("get:organization_disk_templates", settings::disk_templates),
    ("post:organization_ssh_keys", settings::ssh_key),
    (
        "post:virtual_machine_network_interface_allocate_new_ip",
        settings::allocate_ip,
    ),
    ("patch:ip_address", settings::update_ip),
    ("patch:virtual_machine", settings::update_vm),
    (
        "get:organization_available_networks",
        settings::available_networks,
    ),
];

/// The behaviour of an operation, if it has one.
pub(crate) fn of(operation_id: &str) -> Option<Behaviour> {
    TABLE
        .iter()
        .find(|(id, _)| *id == operation_id)
        .map(|(_, b)| *b)
}

/// A VM named so refuses every change.
fn protected(vm: &Obj) -> bool {
    vm.data["name"]
        .as_str()
        .is_some_and(|n| n.starts_with("protected-"))
}

/// Whether a task acting on these objects (or their VMs) is to fail: one
/// is named `fail-task…`.
pub(crate) fn told_to_fail(run: &Run, found: &Found) -> bool {
    let named = |o: &Obj| {
        o.data["name"]
            .as_str()
            .is_some_and(|n| n.contains("fail-task"))
    };
    found
        .iter()
        .any(|(_, o)| named(o) || run.vm_of(o).is_some_and(|vm| named(&vm)))
}

/// The looked-up object of `kind`.
pub(super) fn found_of<'f>(found: &'f Found, kind: &str) -> Option<&'f Obj> {
    found.iter().map(|(_, o)| o).find(|o| o.kind == kind)
}

/// A whole number argument (JSON or query text).
fn whole(value: Option<&Value>) -> Option<i64> {
    match value? {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.parse().ok(),
        _ => None,
    }
}

/// A VM's disks are the disks it has, each as it is attached.
fn vm_disks(run: &mut Run, _: &Args, found: &Found) -> Result<Outcome, ApiError> {
    let Some(vm) = run.subject(found).filter(|vm| vm.own) else {
        return Ok(Outcome::Generic);
    };
    let disks = run.list("disk", Some((&vm.kind, &vm.id)));
    let items = disks
        .into_iter()
        .filter(|d| d.links.iter().any(|(k, i)| *k == vm.kind && *i == vm.id))
        .map(|d| {
            let mut attached = d.data["virtual_machine_disk"].clone();
            if let Some(a) = attached.as_object_mut() {
                a.remove("virtual_machine");
                a.insert("disk".into(), d.data.clone());
            }
            Obj {
                kind: "virtual_machine_disk".into(),
                id: d.id.clone(),
                data: attached,
                annotations: Vec::new(),
                links: d.links,
                own: true,
            }
        })
        .collect();
    run.items = Some(items);
    Ok(Outcome::Generic)
}

/// The largest disk a resize may ask for.
const MAX_DISK_GB: i64 = 16_384;

/// A resize: a larger size only; the disk is `resizing` while its task
/// runs and has the new size once it completes.
fn resize(run: &mut Run, args: &Args, found: &Found) -> Result<Outcome, ApiError> {
    let Some(disk) = run.subject(found).cloned() else {
        return Ok(Outcome::Generic);
    };
    let current = disk.data["size_in_gb"].as_i64().unwrap_or(0);
    let size = match whole(args.0.get("size_in_gb")) {
        Some(s) if s > current && s <= MAX_DISK_GB => s,
        Some(s) if s <= current => {
            return Err(ApiError::validation(vec![format!(
                "Size must be greater than the current size ({current} GB)"
            )]))
        }
        _ => {
            return Err(ApiError::validation(vec![format!(
                "Size must be at most {MAX_DISK_GB} GB"
            )]))
        }
    };
    let state = disk.data["state"].clone();
    run.job = Some(JobPlan {
        during: vec![set(&disk, json!({ "state": "resizing" }))],
        done: vec![set(&disk, json!({ "size_in_gb": size, "state": state }))],
        undo: vec![set(&disk, json!({ "state": state }))],
    });
    Ok(Outcome::Done(Some(disk)))
}

/// An IO profile change: the disk has it once the task completes.
fn io_profile(run: &mut Run, _: &Args, found: &Found) -> Result<Outcome, ApiError> {
    let (Some(disk), Some(profile)) = (found_of(found, "disk"), found_of(found, "disk_io_profile"))
    else {
        return Ok(Outcome::Generic);
    };
    let done = set(disk, json!({ "io_profile": profile.data }));
    run.task_name = Some("Change disk IO profile");
    run.job = Some(JobPlan {
        done: vec![done],
        ..JobPlan::default()
    });
    Ok(Outcome::Done(Some(disk.clone())))
}

/// A package change: the VM has the package, its CPU cores and memory once
/// the task completes.
fn package(run: &mut Run, _: &Args, found: &Found) -> Result<Outcome, ApiError> {
    let (Some(vm), Some(p)) = (
        run.subject(found),
        found_of(found, "virtual_machine_package"),
    ) else {
        return Ok(Outcome::Generic);
    };
    let done = set(
        vm,
        json!({
            "package": p.data,
            "cpu_cores": p.data["cpu_cores"],
            "memory_in_gb": p.data["memory_in_gb"],
            "use_dedicated_cpus": false,
        }),
    );
    run.task_name = Some("Change virtual machine package");
    run.job = Some(JobPlan {
        done: vec![done],
        ..JobPlan::default()
    });
    Ok(Outcome::Done(Some(vm.clone())))
}

/// The organization (by sub-domain) that may not use flexible resources.
const NO_FLEXIBLE_RESOURCES: &str = "globex";

/// CPU cores and memory without a package, once the task completes.
fn flexible_resources(run: &mut Run, args: &Args, found: &Found) -> Result<Outcome, ApiError> {
    let Some(vm) = run.subject(found).cloned() else {
        return Ok(Outcome::Generic);
    };
    let code = "flexible_resources_unavailable_to_organization";
    if vm.data["organization"]["sub_domain"] == NO_FLEXIBLE_RESOURCES && run.documents(code) {
        return Err(ApiError::new(403, code, json!({})));
    }
    let resources = &args.0.get("resources").cloned().unwrap_or(Value::Null);
    let mut errors = Vec::new();
    let mut number = |key: &str, label: &str, max: i64| match resources.get(key) {
        None | Some(Value::Null) => {
            errors.push(format!("{label} must be provided"));
            None
        }
        v => match whole(v) {
            Some(n) if (1..=max).contains(&n) => Some(n),
            _ => {
                errors.push(format!("{label} must be a whole number from 1 to {max}"));
                None
            }
        },
    };
    let (cpu, memory) = (
        number("cpu_cores", "CPU cores", 64),
        number("memory_in_gb", "Memory", 512),
    );
    let (Some(cpu), Some(memory)) = (cpu, memory) else {
        return Err(ApiError::validation(errors));
    };
    let dedicated = resources["use_dedicated_cpus"].as_bool().unwrap_or(false);
    let done = set(
        &vm,
        json!({
            "package": null,
            "cpu_cores": cpu,
            "memory_in_gb": memory,
            "use_dedicated_cpus": dedicated,
        }),
    );
    run.task_name = Some("Change virtual machine resources");
    run.job = Some(JobPlan {
        done: vec![done],
        ..JobPlan::default()
    });
    Ok(Outcome::Done(Some(vm)))
}

/// How long a console session's address works.
const CONSOLE_SECONDS: i64 = 300;

/// A console session needs a started VM; its `url` is the mock server's
/// own page for it (`/_mock/console/<id>` on the origin the request came
/// to, when the engine is told it: [`crate::Engine::set_origin`]).
fn console_session(run: &mut Run, _: &Args, found: &Found) -> Result<Outcome, ApiError> {
    let Some(vm) = run.subject(found) else {
        return Ok(Outcome::Generic);
    };
    let state = vm.data["state"].clone();
    if state != "started" {
        return Err(ApiError::new(
            406,
            "virtual_machine_must_be_started",
            json!({ "current_state": state }),
        ));
    }
    let id = run.engine.new_id("console_session");
    if let Some(origin) = &run.engine.origin {
        let url = format!("{origin}/_mock/console/{id}");
        run.preset.insert("url".into(), json!(url));
    }
    run.preset.insert("id".into(), json!(id));
    run.preset
        .insert("expires_at".into(), json!(run.now() + CONSOLE_SECONDS));
    Ok(Outcome::Generic)
}

/// Backup policy intervals.
const INTERVALS: &[&str] = &["hourly", "daily", "weekly", "monthly"];

/// A backup policy's properties checked; a new one's defaults filled.
fn backup_policy(run: &mut Run, args: &Args, _: &Found) -> Result<Outcome, ApiError> {
    let props = args.0.get("properties").cloned().unwrap_or(Value::Null);
    let schedule = &props["schedule"];
    let mut errors = Vec::new();
    let mut check = |v: &Value, label: &str, min: i64, max: i64| {
        if !v.is_null() && !whole(Some(v)).is_some_and(|n| (min..=max).contains(&n)) {
            errors.push(format!(
                "{label} must be a whole number from {min} to {max}"
            ));
        }
    };
    check(&props["retention"], "Retention", 1, 365);
    check(&schedule["frequency"], "Frequency", 1, 365);
    check(&schedule["time"], "Time", 0, 23);
    check(&schedule["minute"], "Minute", 0, 59);
    let interval = &schedule["interval"];
    if !interval.is_null() && !interval.as_str().is_some_and(|i| INTERVALS.contains(&i)) {
        errors.push(format!("Interval must be one of {}", INTERVALS.join(", ")));
    }
    if !errors.is_empty() {
        return Err(ApiError::validation(errors));
    }
    if run.plan.op.method() == Method::Post {
        let mut full = json!({"frequency": 1, "interval": "daily", "minute": 0, "time": 0});
        if let (Some(full), Some(given)) = (full.as_object_mut(), schedule.as_object()) {
            full.extend(given.clone());
        }
        run.preset.insert("retention".into(), json!(7));
        run.preset.insert("total_size".into(), json!(0.0));
        run.preset.insert("schedule".into(), full);
    }
    Ok(Outcome::Generic)
}

/// When a policy runs next after `now`: the next hour at its `minute`
/// (hourly), else the next day at its `time`:`minute` UTC. Worked out when
/// answered, so a seeded policy's next run is always ahead.
pub(crate) fn next_run(schedule: &Value, now: i64) -> i64 {
    let minute = schedule["minute"].as_i64().unwrap_or(0);
    let (period, offset) = match schedule["interval"].as_str() {
        Some("hourly") => (3600, minute * 60),
        _ => (
            86_400,
            schedule["time"].as_i64().unwrap_or(0) * 3600 + minute * 60,
        ),
    };
    let at = now - now.rem_euclid(period) + offset;
    if at > now {
        at
    } else {
        at + period
    }
}

/// An address leaves its VM and stays the organization's (422
/// `no_allocation` when it has none).
fn unallocate(run: &mut Run, _: &Args, found: &Found) -> Result<Outcome, ApiError> {
    let Some(ip) = run.subject(found).cloned().filter(|ip| ip.own) else {
        return Ok(Outcome::Generic);
    };
    let vm = run.vm_of(&ip);
    if ip.data["allocation_id"].is_null() && vm.is_none() {
        return Err(ApiError::new(422, "no_allocation", json!({})));
    }
    if let Some(r) = run.engine.store.get_mut(&ip.kind, &ip.id) {
        r.links
            .retain(|(k, _)| k != "virtual_machine" && k != "virtual_machine_network_interface");
        r.data.insert("allocation_id".into(), Value::Null);
        r.data.insert("allocation_type".into(), Value::Null);
    }
    for (kind, id) in ip
        .links
        .iter()
        .filter(|(k, _)| k.starts_with("virtual_machine"))
    {
        if let Some(r) = run.engine.store.get_mut(kind, id) {
            if let Some(Value::Array(list)) = r.data.get_mut("ip_addresses") {
                list.retain(|a| a["id"].as_str() != Some(ip.id.as_str()));
            }
        }
    }
    Ok(Outcome::Generic)
}

/// Whether the operation's answer carries a task (it starts one).
fn starts_task(run: &Run) -> bool {
    let answer = run.plan.doc.answer().map(|a| Document::get().resolve(a));
    run.plan.effect != crate::plan::Effect::Read
        && answer.is_some_and(|a| a["properties"].get("task").is_some())
}

/// The rules every operation follows: protected VMs refuse changes, busy
/// ones another task.
pub(crate) fn guard(run: &Run, found: &Found) -> Result<(), ApiError> {
    if run.plan.op.method() == Method::Get {
        return Ok(());
    }
    let vms: Vec<Obj> = found.iter().filter_map(|(_, o)| run.vm_of(o)).collect();
    if vms.iter().any(protected) && run.documents("permission_denied") {
        return Err(ApiError::permission_denied(
            "This virtual machine is protected and cannot be changed with this API token",
        ));
    }
    let busy = vms.iter().any(|vm| run.engine.busy(&vm.kind, &vm.id));
    if busy && starts_task(run) && run.documents("task_queueing_error") {
        return Err(ApiError::task_queueing(
            "Another task is already queued or running for this virtual machine",
        ));
    }
    Ok(())
}

/// A power action: the VM is `during` while its task runs, `done` after,
/// and back as it was when the task fails.
fn power(run: &mut Run, found: &Found, during: &str, done: &str) -> Result<Outcome, ApiError> {
    if let Some(vm) = run.subject(found).cloned() {
        let before = vm.data["state"].clone();
        run.job = Some(JobPlan {
            during: vec![set(&vm, json!({ "state": during }))],
            done: vec![set(&vm, json!({ "state": done }))],
            undo: vec![set(&vm, json!({ "state": before }))],
        });
    }
    Ok(Outcome::Generic)
}

/// Restores what the trash object holds, where it was; the trash object
/// goes.
fn restore(run: &mut Run, _: &Args, found: &Found) -> Result<Outcome, ApiError> {
    let Some(trash) = run.subject(found).cloned().filter(|t| t.own) else {
        return Ok(Outcome::Generic);
    };
    run.engine.store.take_out_of_trash(&trash.id);
    run.engine.store.remove("trash_object", &trash.id);
    Ok(Outcome::Done(Some(trash)))
}

/// Purging a trash object deletes what it holds too.
fn purge(run: &mut Run, _: &Args, found: &Found) -> Result<Outcome, ApiError> {
    if let Some(trash) = run.subject(found) {
        if let Some((kind, id)) = run.engine.store.take_out_of_trash(&trash.id) {
            run.engine.store.remove(&kind, &id);
        }
    }
    Ok(Outcome::Generic)
}

/// Purging an organization's trash deletes every object in it.
fn purge_all(run: &mut Run, _: &Args, found: &Found) -> Result<Outcome, ApiError> {
    let Some(org) = run.subject(found) else {
        return Ok(Outcome::Generic);
    };
    let parent = Some((org.kind.as_str(), org.id.as_str()));
    let ids: Vec<String> = run
        .engine
        .store
        .list("trash_object", parent)
        .into_iter()
        .filter(|r| !r.links.is_empty())
        .map(|r| r.id.clone())
        .collect();
    for id in ids {
        if let Some((kind, object)) = run.engine.store.take_out_of_trash(&id) {
            run.engine.store.remove(&kind, &object);
        }
        run.engine.store.remove("trash_object", &id);
    }
    Ok(Outcome::Generic)
}
