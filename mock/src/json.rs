//! Model → JSON shapes as the live API sends them: field for field as in
//! the OpenAPI schemas (nullable fields as `null`), except the VM list
//! items, which the live API keeps short (see `vm_summary`). Catalogue
//! objects and organizations are the fixture's, embedded as they are (or
//! the fields of them a place lists, [`pick`]); only what the routes change
//! (VMs, addresses, tasks, builds, trash) is written out here. The mock's
//! tests check every answer against the document, strictly: nothing it
//! does not list. Object keys come out sorted:
//! `serde_json`'s `preserve_order` is deliberately not enabled, because
//! features unify across the workspace and would change `Map` behaviour in
//! the client crate's native tests.

use serde_json::{json, Map, Value};

use crate::state::{Annotation, Build, Catalog, IpAddress, Org, State, Task, TrashObject, Vm};

/// The fields `keys` of an object, for a place whose schema lists only
/// those (`null` for one it lacks); `null` for no object.
pub fn pick(object: &Value, keys: &[&str]) -> Value {
    if object.is_null() {
        return Value::Null;
    }
    let fields: Map<String, Value> = keys
        .iter()
        .map(|k| ((*k).to_owned(), object[*k].clone()))
        .collect();
    Value::Object(fields)
}

/// `id`, `name`, `permalink`: how most lists embed a catalogue object.
pub const PART: &[&str] = &["id", "name", "permalink"];

/// `GetOrganizations200ResponseOrganizations`.
pub fn org_summary(o: &Org) -> Value {
    let keys = [
        "id",
        "name",
        "sub_domain",
        "infrastructure_domain",
        "created_at",
        "activated_at",
        "suspended",
        "managed",
    ];
    pick(&o.json, &keys)
}

/// `KeyValue[]`.
pub fn annotations(list: &[Annotation]) -> Value {
    Value::Array(
        list.iter()
            .map(|a| json!({"key": a.key, "value": a.value}))
            .collect(),
    )
}

/// The full VM shape (`GetVirtualMachine200ResponseVirtualMachine`, also
/// used for delete): the VM's own fields, and the catalogue objects it
/// names as the fixture has them.
pub fn vm_full(st: &State, vm: &Vm) -> Value {
    let cat = &st.catalog;
    let org = st.orgs.get(vm.org).map_or(Value::Null, |o| o.json.clone());
    let gpu_type = vm.gpu.as_ref().and_then(|(t, _)| cat.get("gpu_type", *t));
    let gpus = match (gpu_type, vm.gpu.as_ref()) {
        (Some(t), Some((_, gpu_id))) => json!([{
            "id": gpu_id,
            "status": "attached",
            "pending_action": null,
            "available": true,
            "type": t,
        }]),
        _ => json!([]),
    };
    // The VM's own `gpu_type` lists no data centers (its GPUs' type does).
    let keys = [
        "id",
        "name",
        "manufacturer",
        "memory_in_gb",
        "memory_type",
        "permalink",
    ];
    let gpu_type = gpu_type.map_or(Value::Null, |t| pick(t, &keys));
    let tags: Vec<Value> = vm
        .tags
        .iter()
        .filter_map(|t| cat.get("tag", *t).cloned())
        .collect();
    let tag_names: Vec<Value> = tags.iter().map(|t| t["name"].clone()).collect();
    let ips: Vec<Value> = vm
        .ip_addresses
        .iter()
        .map(|ip| ip_address(cat, ip, Some(&vm.id)))
        .collect();
    json!({
        "id": vm.id,
        "name": vm.name,
        "hostname": vm.hostname,
        "fqdn": vm.fqdn,
        "description": vm.description,
        "created_at": vm.created_at,
        "initial_root_password": vm.initial_root_password,
        "state": vm.state,
        "zone": cat.json("zone", Some(vm.zone)),
        "organization": org,
        "group": cat.json("virtual_machine_group", vm.group),
        "package": cat.json("virtual_machine_package", vm.package),
        "attached_iso": cat.json("iso", vm.attached_iso),
        "memory_in_gb": vm.memory_in_gb,
        "cpu_cores": vm.cpu_cores,
        "use_dedicated_cpus": vm.use_dedicated_cpus,
        "gpu_type": gpu_type,
        "gpus": gpus,
        "tags": tags,
        "tag_names": tag_names,
        "ip_addresses": ips,
        "hypervisor": cat.json("hypervisor", vm.hypervisor),
    })
}

/// A zone as lists embed it: its data center without `country`.
pub fn zone_part(cat: &Catalog, idx: usize) -> Value {
    let zone = cat.json("zone", Some(idx));
    let mut part = pick(&zone, PART);
    if let Value::Object(fields) = &mut part {
        fields.insert("data_center".into(), pick(&zone["data_center"], PART));
    }
    part
}

/// A VM list item, as the live API sends it (API.md, "Decoding"): of the
/// document's `GetOrganizationVirtualMachines200ResponseVirtualMachines`
/// only `id`, `name`, `hostname`, `fqdn`, `created_at`, `zone` (its data
/// center without `country`), `package` (`name`), `gpu_type` and
/// `ip_addresses` (`address`); no `hypervisor`, and no `state` (which the
/// document does not list either).
pub fn vm_summary(st: &State, vm: &Vm) -> Value {
    let cat = &st.catalog;
    let package = cat.json("virtual_machine_package", vm.package);
    let gpu_type = vm.gpu.as_ref().map(|(t, _)| *t);
    json!({
        "id": vm.id,
        "name": vm.name,
        "hostname": vm.hostname,
        "fqdn": vm.fqdn,
        "created_at": vm.created_at,
        "zone": zone_part(cat, vm.zone),
        "package": pick(&package, &["name"]),
        "gpu_type": pick(&cat.json("gpu_type", gpu_type), PART),
        "ip_addresses": vm.ip_addresses.iter().map(|ip| json!({"address": ip.address})).collect::<Vec<_>>(),
    })
}

/// The short task shape returned by actions: `{id, name, status}`.
pub fn task_short(t: &Task) -> Value {
    json!({"id": t.id, "name": t.name, "status": t.status.as_str()})
}

/// The `Task` schema.
pub fn task_full(t: &Task) -> Value {
    json!({
        "id": t.id,
        "name": t.name,
        "status": t.status.as_str(),
        "created_at": t.created_at,
        "started_at": t.started_at,
        "finished_at": t.finished_at,
        "progress": t.progress(),
    })
}

/// The `TrashObject` schema.
pub fn trash_object(t: &TrashObject) -> Value {
    json!({
        "id": t.id,
        "keep_until": t.keep_until,
        "object_id": t.object_id,
        "object_type": t.object_type,
    })
}

/// `{id, state}` as returned by build_from_spec.
pub fn build_short(b: &Build) -> Value {
    json!({"id": b.id, "state": b.state.as_str()})
}

/// `GetVirtualMachinesBuildsVirtualMachineBuild200ResponseVirtualMachineBuild`.
pub fn build_full(st: &State, b: &Build) -> Value {
    let vm = match b.vm.and_then(|i| st.vms.get(i)).filter(|vm| !vm.removed) {
        Some(vm) => json!({
            "id": vm.id,
            "name": vm.name,
            "hostname": vm.hostname,
            "fqdn": vm.fqdn,
            "state": vm.state,
        }),
        None => Value::Null,
    };
    json!({
        "id": b.id,
        "spec_xml": b.spec_xml,
        "state": b.state.as_str(),
        "virtual_machine": vm,
        "created_at": b.created_at,
    })
}

/// `IPAddress`: allocated to the VM with id `allocated_to`, or to nothing.
pub fn ip_address(cat: &Catalog, ip: &IpAddress, allocated_to: Option<&String>) -> Value {
    json!({
        "id": ip.id,
        "address": ip.address,
        "reverse_dns": ip.reverse_dns,
        "vip": ip.vip,
        "label": ip.label,
        "address_with_mask": format!("{}/{}", ip.address, ip.prefix),
        "network": cat.json("network", Some(ip.network)),
        "allocation_id": allocated_to,
        "allocation_type": allocated_to.map(|_| "VirtualMachine"),
    })
}
