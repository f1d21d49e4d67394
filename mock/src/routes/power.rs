//! `POST /virtual_machines/virtual_machine/{shutdown,stop,start,reset}`.

use std::sync::Arc;

use serde_json::json;

use super::virtual_machines::{ensure_not_protected, ensure_not_trashed, resolve_vm, vm_lookup};
use super::{Reply, Route};
use crate::app::App;
use crate::args::Args;
use crate::errors::ApiError;
use crate::jobs::{self, PowerAction};
use crate::json;

fn power(
    app: &Arc<App>,
    args: &Args,
    route: &'static Route,
    action: PowerAction,
) -> Result<Reply, ApiError> {
    let key = vm_lookup(args, route)?;
    let mut st = app.state();
    let idx = resolve_vm(&st, key)?;
    ensure_not_trashed(&st, idx)?;
    ensure_not_protected(&st, idx)?;
    if st.vms[idx].busy_task.is_some() {
        return Err(ApiError::task_queueing(
            "Another task is already queued or running for this virtual machine",
        ));
    }
    let task = jobs::new_task(app, &mut st, action.task_name());
    let vm = &mut st.vms[idx];
    vm.busy_task = Some(task.id.clone());
    let previous = vm.state.clone();
    let fail = vm.name.contains("fail-task");
    let generation = st.generation;
    drop(st);
    jobs::spawn_power(
        app.clone(),
        generation,
        task.id.clone(),
        idx,
        action,
        previous,
        fail,
    );
    Ok(Reply::ok(json!({ "task": json::task_short(&task) })))
}

/// Shutdown (ACPI).
pub fn shutdown(app: &Arc<App>, args: &Args, route: &'static Route) -> Result<Reply, ApiError> {
    power(app, args, route, PowerAction::Shutdown)
}

/// Stop (hard).
pub fn stop(app: &Arc<App>, args: &Args, route: &'static Route) -> Result<Reply, ApiError> {
    power(app, args, route, PowerAction::Stop)
}

/// Start.
pub fn start(app: &Arc<App>, args: &Args, route: &'static Route) -> Result<Reply, ApiError> {
    power(app, args, route, PowerAction::Start)
}

/// Reset (hard).
pub fn reset(app: &Arc<App>, args: &Args, route: &'static Route) -> Result<Reply, ApiError> {
    power(app, args, route, PowerAction::Reset)
}
