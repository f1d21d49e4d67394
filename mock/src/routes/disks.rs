//! A VM's disks: the list, one disk, a resize and an IO profile change
//! (tasks), and the IO profiles an organization can choose from.

use std::sync::Arc;

use serde_json::{json, Value};

use super::organizations::{org_lookup, resolve_org};
use super::virtual_machines::{begin_task, ensure_not_protected, ensure_not_trashed, vm_to_read};
use super::{paginate, Reply, Route};
use crate::app::App;
use crate::args::Args;
use crate::errors::ApiError;
use crate::jobs;
use crate::json;
use crate::state::{Disk, State, Vm};

/// The largest disk the mock lets a resize ask for.
const MAX_DISK_GB: i64 = 16_384;

/// The full `Disk` of VM `vm`.
pub fn disk_full(st: &State, vm: &Vm, d: &Disk) -> Value {
    let cat = &st.catalog;
    let dc = cat.json("data_center", cat.data_center_of(vm.zone));
    json!({
        "id": d.id,
        "name": d.name,
        "size_in_gb": d.size_in_gb,
        "wwn": d.wwn,
        "state": d.state,
        "created_at": d.created_at,
        "storage_speed": "nvme",
        "io_profile": cat.json("disk_io_profile", Some(d.io_profile)),
        "bus_type": "virtio",
        "data_center": json::pick(&dc, json::PART),
        "virtual_machine_disk": {
            "virtual_machine": { "id": vm.id, "fqdn": vm.fqdn },
            "attach_on_boot": true,
            "boot": d.boot,
            "state": "attached",
        },
        "installation": null,
    })
}

/// `GET /virtual_machines/virtual_machine/disks`.
pub fn list(app: &Arc<App>, args: &Args, route: &'static Route) -> Result<Reply, ApiError> {
    let st = app.state();
    let idx = vm_to_read(&st, args, route)?;
    let all = st.vms[idx]
        .disks
        .iter()
        .map(|d| {
            json!({
                "disk": {
                    "id": d.id,
                    "name": d.name,
                    "size_in_gb": d.size_in_gb,
                    "wwn": d.wwn,
                    "state": d.state,
                    "created_at": d.created_at,
                },
                "attach_on_boot": true,
                "boot": d.boot,
                "state": "attached",
            })
        })
        .collect();
    let (pagination, disks) = paginate(app, args, route, all)?;
    Ok(Reply::ok(
        json!({ "pagination": pagination, "disks": disks }),
    ))
}

/// The (VM, disk) indexes of the disk the `disk` lookup names.
fn find(st: &State, args: &Args, route: &Route) -> Result<(usize, usize), ApiError> {
    let key = args.lookup(route.endpoint_id, "disk", "DiskLookup", &["id"])?;
    let id = key.map(|(_, v)| v).unwrap_or_default();
    st.vms
        .iter()
        .enumerate()
        .filter(|(_, vm)| !vm.removed)
        .find_map(|(v, vm)| vm.disks.iter().position(|d| d.id == id).map(|d| (v, d)))
        .ok_or_else(|| ApiError::not_found("disk_not_found"))
}

/// `GET /disks/disk`.
pub fn get(app: &Arc<App>, args: &Args, route: &'static Route) -> Result<Reply, ApiError> {
    let st = app.state();
    let (v, d) = find(&st, args, route)?;
    ensure_not_trashed(&st, v)?;
    let vm = &st.vms[v];
    Ok(Reply::ok(
        json!({ "disk": disk_full(&st, vm, &vm.disks[d]), "annotations": [] }),
    ))
}

/// `PUT /disks/disk/resize`: a larger size only (422 otherwise); the disk
/// is `resizing` while the task runs.
pub fn resize(app: &Arc<App>, args: &Args, route: &'static Route) -> Result<Reply, ApiError> {
    let mut st = app.state();
    let (v, d) = find(&st, args, route)?;
    ensure_not_trashed(&st, v)?;
    ensure_not_protected(&st, v)?;
    let current = st.vms[v].disks[d].size_in_gb;
    let size = match args.0.get("size_in_gb") {
        Some(Value::Number(n)) => n.as_i64(),
        Some(Value::String(s)) => s.parse().ok(),
        _ => None,
    };
    let size = match size {
        Some(s) if s > current && s <= MAX_DISK_GB => s,
        Some(s) if s <= current => {
            return Err(ApiError::validation(vec![format!(
                "Size must be greater than the current size ({current} GB)"
            )]))
        }
        Some(_) => {
            return Err(ApiError::validation(vec![format!(
                "Size must be at most {MAX_DISK_GB} GB"
            )]))
        }
        None => return Err(crate::args::missing(&["size_in_gb"], "size_in_gb")),
    };
    let (task, generation, fail) = begin_task(app, &mut st, v, "Resize disk")?;
    let body = json!({ "disk": disk_full(&st, &st.vms[v], &st.vms[v].disks[d]), "task": json::task_full(&task) });
    drop(st);
    jobs::spawn_change(
        app.clone(),
        generation,
        task.id.clone(),
        v,
        fail,
        jobs::Change {
            during: Box::new(move |st| set_disk(st, v, d, |disk| disk.state = "resizing".into())),
            done: Box::new(move |st| {
                set_disk(st, v, d, |disk| {
                    disk.size_in_gb = size;
                    disk.state = "built".into();
                })
            }),
            undo: Box::new(move |st| set_disk(st, v, d, |disk| disk.state = "built".into())),
        },
    );
    Ok(Reply::ok(body))
}

fn set_disk(st: &mut State, v: usize, d: usize, f: impl FnOnce(&mut Disk)) {
    if let Some(disk) = st.vms.get_mut(v).and_then(|vm| vm.disks.get_mut(d)) {
        f(disk);
    }
}

/// `PUT /disks/disk/io_profile`.
pub fn change_io_profile(
    app: &Arc<App>,
    args: &Args,
    route: &'static Route,
) -> Result<Reply, ApiError> {
    let key = args.lookup(
        route.endpoint_id,
        "io_profile",
        "DiskIOProfileLookup",
        &["id", "permalink"],
    )?;
    let mut st = app.state();
    let (v, d) = find(&st, args, route)?;
    ensure_not_trashed(&st, v)?;
    ensure_not_protected(&st, v)?;
    let profile = st
        .catalog
        .find("disk_io_profile", &key, "permalink")
        .ok_or_else(|| ApiError::not_found("disk_io_profile_not_found"))?;
    let (task, generation, fail) = begin_task(app, &mut st, v, "Change disk IO profile")?;
    let body = json!({ "disk": disk_full(&st, &st.vms[v], &st.vms[v].disks[d]), "task": json::task_full(&task) });
    drop(st);
    jobs::spawn_change(
        app.clone(),
        generation,
        task.id.clone(),
        v,
        fail,
        jobs::Change::on_done(move |st| set_disk(st, v, d, |disk| disk.io_profile = profile)),
    );
    Ok(Reply::ok(body))
}

/// `GET /organizations/organization/disk_io_profiles`.
pub fn io_profiles(app: &Arc<App>, args: &Args, route: &'static Route) -> Result<Reply, ApiError> {
    let key = org_lookup(args, route)?;
    let st = app.state();
    resolve_org(&st, key)?;
    let all = super::catalog::objects(&st.catalog, "disk_io_profile")
        .into_iter()
        .collect();
    let (pagination, list) = paginate(app, args, route, all)?;
    Ok(Reply::ok(
        json!({ "pagination": pagination, "disk_io_profiles": list }),
    ))
}
