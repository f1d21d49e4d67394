//! `GET` and `DELETE /virtual_machines/virtual_machine`.

use std::sync::Arc;

use serde_json::json;

use super::{Reply, Route};
use crate::app::App;
use crate::args::Args;
use crate::errors::ApiError;
use crate::json;
use crate::state::{now_unix, State, TrashObject};

/// How long deleted VMs stay in the trash.
pub const TRASH_KEEP_SECONDS: i64 = 7 * 24 * 3600;

/// Parse the `virtual_machine` lookup argument.
pub fn vm_lookup(args: &Args, route: &Route) -> Result<Option<(&'static str, String)>, ApiError> {
    args.lookup(
        route.endpoint_id,
        "virtual_machine",
        "VirtualMachineLookup",
        &["id", "fqdn"],
    )
}

/// Resolve a VM lookup (trashed VMs are found; see [`ensure_not_trashed`]).
pub fn resolve_vm(st: &State, key: Option<(&'static str, String)>) -> Result<usize, ApiError> {
    match key {
        Some(("id", v)) => st.vm_by_id.get(&v).copied(),
        Some((_, v)) => st.vm_by_fqdn.get(&v).copied(),
        None => None,
    }
    .filter(|i| st.vms.get(*i).is_some_and(|vm| !vm.removed))
    .ok_or_else(|| ApiError::not_found("virtual_machine_not_found"))
}

/// 406 `object_in_trash` when the VM is in the trash.
pub fn ensure_not_trashed(st: &State, idx: usize) -> Result<(), ApiError> {
    let trash = st
        .vms
        .get(idx)
        .and_then(|vm| vm.trash.as_ref())
        .and_then(|t| st.trash.get(t));
    match trash {
        Some(t) => Err(ApiError::object_in_trash(json::trash_object(t))),
        None => Ok(()),
    }
}

/// 403 `permission_denied` for protected VMs (magic name `protected-…`).
pub fn ensure_not_protected(st: &State, idx: usize) -> Result<(), ApiError> {
    match st.vms.get(idx) {
        Some(vm) if vm.name.starts_with("protected-") => Err(ApiError::permission_denied(
            "This virtual machine is protected and cannot be changed with this API token",
        )),
        _ => Ok(()),
    }
}

/// `GET /virtual_machines/virtual_machine`.
pub fn get(app: &Arc<App>, args: &Args, route: &'static Route) -> Result<Reply, ApiError> {
    let key = vm_lookup(args, route)?;
    let st = app.state();
    let idx = resolve_vm(&st, key)?;
    ensure_not_trashed(&st, idx)?;
    let vm = &st.vms[idx];
    Ok(Reply::ok(json!({
        "virtual_machine": json::vm_full(&st, vm),
        "annotations": json::annotations(&vm.annotations),
    })))
}

/// `DELETE /virtual_machines/virtual_machine`: move the VM to the trash.
pub fn delete(app: &Arc<App>, args: &Args, route: &'static Route) -> Result<Reply, ApiError> {
    let key = vm_lookup(args, route)?;
    let mut st = app.state();
    let idx = resolve_vm(&st, key)?;
    ensure_not_trashed(&st, idx)?;
    ensure_not_protected(&st, idx)?;
    let trash = TrashObject {
        id: app.ids.next("trsh"),
        keep_until: now_unix() + TRASH_KEEP_SECONDS,
        object_id: st.vms[idx].id.clone(),
        object_type: "VirtualMachine".into(),
        vm: idx,
    };
    let trash_json = json::trash_object(&trash);
    st.vms[idx].trash = Some(trash.id.clone());
    st.trash.insert(trash.id.clone(), trash);
    let vm_json = json::vm_full(&st, &st.vms[idx]);
    Ok(Reply::ok(json!({
        "trash_object": trash_json,
        "virtual_machine": vm_json,
    })))
}

/// Starts a task on VM `idx` (406 `task_queueing_error` while another runs):
/// the task, the state generation and whether it is to fail (VMs named
/// `fail-task…`). The VM is busy until the task ends.
pub fn begin_task(
    app: &App,
    st: &mut State,
    idx: usize,
    name: &str,
) -> Result<(crate::state::Task, u64, bool), ApiError> {
    if st.vms[idx].busy_task.is_some() {
        return Err(ApiError::task_queueing(
            "Another task is already queued or running for this virtual machine",
        ));
    }
    let task = crate::jobs::new_task(app, st, name);
    st.vms[idx].busy_task = Some(task.id.clone());
    let fail = st.vms[idx].name.contains("fail-task");
    Ok((task, st.generation, fail))
}

/// The VM a lookup names, for a change: found, not in the trash, not protected.
pub fn vm_to_change(st: &State, args: &Args, route: &Route) -> Result<usize, ApiError> {
    let idx = resolve_vm(st, vm_lookup(args, route)?)?;
    ensure_not_trashed(st, idx)?;
    ensure_not_protected(st, idx)?;
    Ok(idx)
}

/// The VM a lookup names, to read: found and not in the trash.
pub fn vm_to_read(st: &State, args: &Args, route: &Route) -> Result<usize, ApiError> {
    let idx = resolve_vm(st, vm_lookup(args, route)?)?;
    ensure_not_trashed(st, idx)?;
    Ok(idx)
}
