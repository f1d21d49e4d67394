//! A VM's settings: console sessions, its package or flexible resources,
//! and its name, hostname, description, tags and group (`PATCH`); the
//! groups an organization has.

use std::sync::Arc;

use serde_json::{json, Value};

use super::organizations::{org_lookup, resolve_org};
use super::virtual_machines::{begin_task, vm_to_change, vm_to_read};
use super::{Reply, Route};
use crate::app::App;
use crate::args::Args;
use crate::errors::ApiError;
use crate::jobs;
use crate::json;
use crate::pipeline::request_origin;
use crate::state::{now_unix, ConsoleSession, Entry};

/// How long a console session's URL works.
const CONSOLE_SECONDS: i64 = 300;

/// `POST /virtual_machines/virtual_machine/console_sessions`: 406
/// `virtual_machine_must_be_started` unless the VM is started. The
/// session's `url` is the mock's own page for it, `/_mock/console/<id>` on
/// the origin the request came to (see `control::console_page`).
pub fn console_session(
    app: &Arc<App>,
    args: &Args,
    route: &'static Route,
) -> Result<Reply, ApiError> {
    let mut st = app.state();
    let idx = vm_to_read(&st, args, route)?;
    let vm = &st.vms[idx];
    if vm.state != "started" {
        return Err(ApiError::new(
            406,
            "virtual_machine_must_be_started",
            json!({ "current_state": vm.state }),
        ));
    }
    let id = app.ids.next("cons");
    let expires_at = now_unix() + CONSOLE_SECONDS;
    let body = json!({
        "console_session": {
            "id": id,
            "url": format!("{}/_mock/console/{id}", request_origin()),
            "expires_at": expires_at,
            "virtual_machine": {
                "id": vm.id,
                "name": vm.name,
                "hostname": vm.hostname,
                "fqdn": vm.fqdn,
                "state": vm.state,
            },
        }
    });
    let vm_id = vm.id.clone();
    st.console_sessions
        .insert(id, ConsoleSession { vm_id, expires_at });
    Ok(Reply { status: 201, body })
}

/// `PUT /virtual_machines/virtual_machine/package`: a task; the VM has the
/// package (and its CPU cores and memory) once it completes.
pub fn change_package(
    app: &Arc<App>,
    args: &Args,
    route: &'static Route,
) -> Result<Reply, ApiError> {
    let package_key = args.lookup(
        route.endpoint_id,
        "virtual_machine_package",
        "VirtualMachinePackageLookup",
        &["id", "permalink"],
    )?;
    let mut st = app.state();
    let idx = vm_to_change(&st, args, route)?;
    let package = st
        .catalog
        .find("virtual_machine_package", &package_key, "permalink")
        .ok_or_else(|| ApiError::not_found("package_not_found"))?;
    let (task, generation, fail) = begin_task(app, &mut st, idx, "Change virtual machine package")?;
    let field = |name| st.catalog.int("virtual_machine_package", package, name);
    let (cpu, memory) = (field("cpu_cores"), field("memory_in_gb"));
    drop(st);
    jobs::spawn_change(
        app.clone(),
        generation,
        task.id.clone(),
        idx,
        fail,
        jobs::Change::on_done(move |st| {
            if let Some(vm) = st.vms.get_mut(idx) {
                vm.package = Some(package);
                vm.cpu_cores = cpu;
                vm.memory_in_gb = memory;
                vm.use_dedicated_cpus = Some(false);
            }
        }),
    );
    Ok(Reply::ok(json!({ "task": json::task_full(&task) })))
}

/// A whole number argument in `min..=max` of an object argument, or a
/// validation error naming it.
fn whole(
    obj: Option<&serde_json::Map<String, Value>>,
    key: &str,
    label: &str,
    min: i64,
    max: i64,
    errors: &mut Vec<String>,
) -> Option<i64> {
    match obj.and_then(|o| o.get(key)) {
        Some(Value::Number(n)) if n.as_i64().is_some_and(|v| (min..=max).contains(&v)) => {
            n.as_i64()
        }
        None | Some(Value::Null) => {
            errors.push(format!("{label} must be provided"));
            None
        }
        Some(_) => {
            errors.push(format!(
                "{label} must be a whole number from {min} to {max}"
            ));
            None
        }
    }
}

/// `PUT /virtual_machines/virtual_machine/flexible_resources`: CPU cores
/// and memory without a package (403 for the `globex` organization, which
/// may not use them).
pub fn flexible_resources(
    app: &Arc<App>,
    args: &Args,
    route: &'static Route,
) -> Result<Reply, ApiError> {
    let mut st = app.state();
    let idx = vm_to_change(&st, args, route)?;
    if st
        .orgs
        .get(st.vms[idx].org)
        .is_some_and(|o| o.sub_domain == "globex")
    {
        return Err(ApiError::new(
            403,
            "flexible_resources_unavailable_to_organization",
            json!({}),
        ));
    }
    let resources = args.0.get("resources").and_then(Value::as_object);
    let mut errors = Vec::new();
    let cpu = whole(resources, "cpu_cores", "CPU cores", 1, 64, &mut errors);
    let memory = whole(resources, "memory_in_gb", "Memory", 1, 512, &mut errors);
    let dedicated = resources
        .and_then(|r| r.get("use_dedicated_cpus"))
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let (Some(cpu), Some(memory)) = (cpu, memory) else {
        return Err(ApiError::validation(errors));
    };
    let (task, generation, fail) =
        begin_task(app, &mut st, idx, "Change virtual machine resources")?;
    drop(st);
    jobs::spawn_change(
        app.clone(),
        generation,
        task.id.clone(),
        idx,
        fail,
        jobs::Change::on_done(move |st| {
            if let Some(vm) = st.vms.get_mut(idx) {
                vm.package = None;
                vm.cpu_cores = Some(cpu);
                vm.memory_in_gb = Some(memory);
                vm.use_dedicated_cpus = Some(dedicated);
            }
        }),
    );
    Ok(Reply::ok(json!({ "task": json::task_full(&task) })))
}

/// A DNS label: letters, digits and hyphens, 1–63, no hyphen at either end.
pub fn valid_label(h: &str) -> bool {
    !h.is_empty()
        && h.len() <= 63
        && !h.starts_with('-')
        && !h.ends_with('-')
        && h.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// `PATCH /virtual_machines/virtual_machine`: `properties` may set
/// `name`, `hostname`, `description`, `tag_names` (tags are made for names
/// not seen before) and `group` (`{ id }`, or `null` for none).
pub fn update(app: &Arc<App>, args: &Args, route: &'static Route) -> Result<Reply, ApiError> {
    let mut guard = app.state();
    let st = &mut *guard;
    let idx = vm_to_change(st, args, route)?;
    let props = args
        .0
        .get("properties")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let mut errors = Vec::new();
    let text = |key: &str, errors: &mut Vec<String>| match props.get(key) {
        None => None,
        Some(Value::String(s)) => Some(Some(s.clone())),
        Some(Value::Null) => Some(None),
        Some(_) => {
            errors.push(format!("{key} must be a string"));
            None
        }
    };
    let name = text("name", &mut errors);
    let hostname = text("hostname", &mut errors);
    let description = text("description", &mut errors);
    if let Some(name) = &name {
        if name.as_deref().is_none_or(|n| n.trim().is_empty()) {
            errors.push("Name can't be blank".into());
        }
    }
    if let Some(Some(h)) = &hostname {
        if !valid_label(h) {
            errors.push("Hostname is invalid (letters, digits and hyphens only)".into());
        } else if !h.eq_ignore_ascii_case(&st.vms[idx].hostname)
            && st.hostname_taken(st.vms[idx].org, h)
        {
            errors.push("Hostname has already been taken".into());
        }
    }
    let tags = match props.get("tag_names") {
        None => None,
        Some(Value::Array(list)) if list.iter().all(Value::is_string) => Some(
            list.iter()
                .filter_map(Value::as_str)
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .map(str::to_owned)
                .collect::<Vec<_>>(),
        ),
        Some(_) => {
            errors.push("tag_names must be a list of strings".into());
            None
        }
    };
    let group = match props.get("group") {
        None => None,
        Some(Value::Null) => Some(None),
        Some(Value::Object(g)) => match g.get("id").and_then(Value::as_str) {
            Some(id) => match st.catalog.index("virtual_machine_group", id) {
                Some(i) => Some(Some(i)),
                None => {
                    errors.push(format!("Group '{id}' could not be found"));
                    None
                }
            },
            None => {
                errors.push("group must have an id".into());
                None
            }
        },
        Some(_) => {
            errors.push("group must be an object".into());
            None
        }
    };
    if !errors.is_empty() {
        return Err(ApiError::validation(errors));
    }
    let domain = st
        .orgs
        .get(st.vms[idx].org)
        .map(|o| o.infrastructure_domain.clone())
        .unwrap_or_default();
    let tag_indexes = tags.map(|names| {
        let mut out = Vec::new();
        for name in names {
            let i = match st.catalog.position("tag", |t| t["name"] == name.as_str()) {
                Some(i) => i,
                None => {
                    let id = app.ids.next("tag");
                    let tag = json!({ "id": id, "name": name, "color": "light_gray", "created_at": now_unix() });
                    let owners = Vec::new();
                    st.catalog.push("tag", Entry { id, json: tag, owners })
                }
            };
            if !out.contains(&i) {
                out.push(i);
            }
        }
        out
    });
    let vm = &mut st.vms[idx];
    if let Some(Some(name)) = name {
        vm.name = name;
    }
    if let Some(description) = description {
        vm.description = description.filter(|d| !d.is_empty());
    }
    if let Some(tags) = tag_indexes {
        vm.tags = tags;
    }
    if let Some(group) = group {
        vm.group = group;
    }
    if let Some(Some(h)) = hostname {
        let old_fqdn = std::mem::replace(&mut vm.fqdn, format!("{h}.{domain}"));
        vm.hostname = h;
        let (id, fqdn) = (vm.id.clone(), vm.fqdn.clone());
        st.vm_by_fqdn.remove(&old_fqdn);
        st.vm_by_fqdn.insert(fqdn, idx);
        let _ = id;
    }
    let vm = &st.vms[idx];
    Ok(Reply::ok(json!({
        "virtual_machine": json::vm_full(st, vm),
        "annotations": json::annotations(&vm.annotations),
    })))
}

/// `GET /organizations/organization/virtual_machine_groups`.
pub fn groups(app: &Arc<App>, args: &Args, route: &'static Route) -> Result<Reply, ApiError> {
    let key = org_lookup(args, route)?;
    let st = app.state();
    resolve_org(&st, key)?;
    let list = super::catalog::objects(&st.catalog, "virtual_machine_group");
    Ok(Reply::ok(json!({ "virtual_machine_groups": list })))
}
