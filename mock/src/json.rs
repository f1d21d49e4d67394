//! Model → JSON shapes as the live API sends them: field for field as in
//! the OpenAPI schemas (nullable fields as `null`), except the VM list
//! items, which the live API keeps short (see `vm_summary`). The mock's
//! tests check every answer against the document, strictly: nothing it
//! does not list. Object keys come out sorted:
//! `serde_json`'s `preserve_order` is deliberately not enabled, because
//! features unify across the workspace and would change `Map` behaviour in
//! the client crate's native tests.

use serde_json::{json, Value};

use crate::state::{Annotation, Build, Catalog, IpAddress, Org, State, Task, TrashObject, Vm};

/// `Country`.
pub fn country(cat: &Catalog, idx: usize) -> Value {
    match cat.countries.get(idx) {
        Some(c) => json!({
            "id": c.id,
            "name": c.name,
            "iso_code2": c.iso_code2,
            "iso_code3": c.iso_code3,
            "time_zone": c.time_zone,
            "eu": c.eu,
        }),
        None => Value::Null,
    }
}

/// `DataCenter`.
pub fn data_center(cat: &Catalog, idx: usize) -> Value {
    match cat.data_centers.get(idx) {
        Some(dc) => json!({
            "id": dc.id,
            "name": dc.name,
            "permalink": dc.permalink,
            "country": country(cat, dc.country),
        }),
        None => Value::Null,
    }
}

/// `Zone`.
pub fn zone(cat: &Catalog, idx: usize) -> Value {
    match cat.zones.get(idx) {
        Some(z) => json!({
            "id": z.id,
            "name": z.name,
            "permalink": z.permalink,
            "data_center": data_center(cat, z.data_center),
        }),
        None => Value::Null,
    }
}

/// `GetOrganizations200ResponseOrganizations`.
pub fn org_summary(o: &Org) -> Value {
    json!({
        "id": o.id,
        "name": o.name,
        "sub_domain": o.sub_domain,
        "infrastructure_domain": o.infrastructure_domain,
        "created_at": o.created_at,
        "activated_at": o.activated_at,
        "suspended": o.suspended,
        "managed": false,
    })
}

/// `Organization` (the full shape embedded in a VM).
pub fn org_full(cat: &Catalog, o: &Org) -> Value {
    let currency = match cat.currencies.get(o.currency) {
        Some(c) => json!({"id": c.id, "name": c.name, "iso_code": c.iso_code, "symbol": c.symbol}),
        None => Value::Null,
    };
    json!({
        "id": o.id,
        "name": o.name,
        "sub_domain": o.sub_domain,
        "infrastructure_domain": o.infrastructure_domain,
        "created_at": o.created_at,
        "activated_at": o.activated_at,
        "suspended": o.suspended,
        "managed": false,
        "billing_name": o.billing_name,
        "address1": o.address[0],
        "address2": o.address[1],
        "address3": o.address[2],
        "address4": o.address[3],
        "postcode": o.postcode,
        "vat_number": o.vat_number,
        "phone_number": o.phone_number,
        "currency": currency,
        "country": o.country.map_or(Value::Null, |c| country(cat, c)),
        "country_state": null,
    })
}

/// `KeyValue[]`.
pub fn annotations(list: &[Annotation]) -> Value {
    Value::Array(
        list.iter()
            .map(|a| json!({"key": a.key, "value": a.value}))
            .collect(),
    )
}

/// `VirtualMachinePackage`, or `null`.
pub fn package_full(cat: &Catalog, idx: Option<usize>) -> Value {
    match idx.and_then(|i| cat.packages.get(i)) {
        Some(p) => json!({
            "id": p.id,
            "name": p.name,
            "permalink": p.permalink,
            "cpu_cores": p.cpu_cores,
            "ipv4_addresses": p.ipv4_addresses,
            "memory_in_gb": p.memory_in_gb,
            "storage_in_gb": p.storage_in_gb,
            "monthly_bandwidth_allowance_in_gb": p.monthly_bandwidth_allowance_in_gb,
            "privacy": "public",
            "icon": null,
            "use_dedicated_cpus": false,
            "group": {"id": crate::ids::stable_id("vmpkggrp", "rock"), "name": "Rock"},
        }),
        None => Value::Null,
    }
}

/// The full VM shape (`GetVirtualMachine200ResponseVirtualMachine`, also
/// used for delete).
pub fn vm_full(st: &State, vm: &Vm) -> Value {
    let cat = &st.catalog;
    let org = st
        .orgs
        .get(vm.org)
        .map_or(Value::Null, |o| org_full(cat, o));
    let group = match vm.group.and_then(|g| cat.groups.get(g)) {
        Some(g) => json!({
            "id": g.id,
            "name": g.name,
            "segregate": g.segregate,
            "auto_segregate": g.auto_segregate,
            "created_at": g.created_at,
        }),
        None => Value::Null,
    };
    let iso = match vm.attached_iso.and_then(|i| cat.isos.get(i)) {
        Some(iso) => json!({
            "id": iso.id,
            "name": iso.name,
            "operating_system": iso.operating_system.as_ref().map_or(Value::Null, |(id, name)| json!({
                "id": id, "name": name, "badge": null,
            })),
        }),
        None => Value::Null,
    };
    let gpu_type = vm.gpu.as_ref().and_then(|(t, _)| cat.gpu_types.get(*t));
    let gpu_type_json = match gpu_type {
        Some(t) => json!({
            "id": t.id,
            "name": t.name,
            "manufacturer": t.manufacturer,
            "memory_in_gb": t.memory_in_gb,
            "memory_type": t.memory_type,
            "permalink": t.permalink,
        }),
        None => Value::Null,
    };
    let gpus = match (gpu_type, vm.gpu.as_ref()) {
        (Some(t), Some((_, gpu_id))) => json!([{
            "id": gpu_id,
            "status": "attached",
            "pending_action": null,
            "available": true,
            "type": {
                "id": t.id,
                "name": t.name,
                "manufacturer": t.manufacturer,
                "memory_in_gb": t.memory_in_gb,
                "memory_type": t.memory_type,
                "permalink": t.permalink,
                "data_centers": t.data_centers.iter().map(|d| data_center(cat, *d)).collect::<Vec<_>>(),
            },
        }]),
        _ => json!([]),
    };
    let tags: Vec<Value> = vm
        .tags
        .iter()
        .filter_map(|t| cat.tags.get(*t))
        .map(|t| json!({"id": t.id, "name": t.name, "color": t.color, "created_at": t.created_at}))
        .collect();
    let tag_names: Vec<&str> = vm
        .tags
        .iter()
        .filter_map(|t| cat.tags.get(*t))
        .map(|t| t.name.as_str())
        .collect();
    let ips: Vec<Value> = vm
        .ip_addresses
        .iter()
        .map(|ip| ip_address(cat, ip, Some(&vm.id)))
        .collect();
    let hypervisor = match vm.hypervisor.and_then(|h| cat.hypervisors.get(h)) {
        Some(h) => json!({"id": h.id, "name": h.name, "ip_address": h.ip_address}),
        None => Value::Null,
    };
    json!({
        "id": vm.id,
        "name": vm.name,
        "hostname": vm.hostname,
        "fqdn": vm.fqdn,
        "description": vm.description,
        "created_at": vm.created_at,
        "initial_root_password": vm.initial_root_password,
        "state": vm.state,
        "zone": zone(cat, vm.zone),
        "organization": org,
        "group": group,
        "package": package_full(cat, vm.package),
        "attached_iso": iso,
        "memory_in_gb": vm.memory_in_gb,
        "cpu_cores": vm.cpu_cores,
        "use_dedicated_cpus": vm.use_dedicated_cpus,
        "gpu_type": gpu_type_json,
        "gpus": gpus,
        "tags": tags,
        "tag_names": tag_names,
        "ip_addresses": ips,
        "hypervisor": hypervisor,
    })
}

/// A VM list item, as the live API sends it (API.md, "Decoding"): of the
/// document's `GetOrganizationVirtualMachines200ResponseVirtualMachines`
/// only `id`, `name`, `hostname`, `fqdn`, `created_at`, `zone` (its data
/// center without `country`), `package` (`name`), `gpu_type` and
/// `ip_addresses` (`address`); no `hypervisor`, and no `state` (which the
/// document does not list either).
pub fn vm_summary(st: &State, vm: &Vm) -> Value {
    let cat = &st.catalog;
    let zone = match cat.zones.get(vm.zone) {
        Some(z) => {
            let dc = cat.data_centers.get(z.data_center).map_or(
                Value::Null,
                |dc| json!({"id": dc.id, "name": dc.name, "permalink": dc.permalink}),
            );
            json!({"id": z.id, "name": z.name, "permalink": z.permalink, "data_center": dc})
        }
        None => Value::Null,
    };
    let package = match vm.package.and_then(|p| cat.packages.get(p)) {
        Some(p) => json!({"name": p.name}),
        None => Value::Null,
    };
    let gpu_type = match vm.gpu.as_ref().and_then(|(t, _)| cat.gpu_types.get(*t)) {
        Some(t) => json!({"id": t.id, "name": t.name, "permalink": t.permalink}),
        None => Value::Null,
    };
    json!({
        "id": vm.id,
        "name": vm.name,
        "hostname": vm.hostname,
        "fqdn": vm.fqdn,
        "created_at": vm.created_at,
        "zone": zone,
        "package": package,
        "gpu_type": gpu_type,
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
    let network = match cat.networks.get(ip.network) {
        Some(n) => json!({
            "id": n.id,
            "name": n.name,
            "permalink": n.permalink,
            "default": true,
            "data_center": data_center(cat, n.data_center),
        }),
        None => Value::Null,
    };
    json!({
        "id": ip.id,
        "address": ip.address,
        "reverse_dns": ip.reverse_dns,
        "vip": ip.vip,
        "label": ip.label,
        "address_with_mask": format!("{}/{}", ip.address, ip.prefix),
        "network": network,
        "allocation_id": allocated_to,
        "allocation_type": allocated_to.map(|_| "VirtualMachine"),
    })
}
