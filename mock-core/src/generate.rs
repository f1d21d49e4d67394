//! Generated VMs for scale tests and benchmarks (`--seed-vms N`): an
//! organization's VMs replaced by `n` made by code (they are a generator,
//! not data): `vm-00001`, …, zones, packages and tags cycling through the
//! catalogue's, every 7th stopped, annotated `team` (web, db, ops) and
//! `env` (prod, staging), each with a system disk, an interface and an
//! IPv4 and an IPv6 address, ids fixed by their number. Each kind's fields
//! are shaped once and copied, so 10,000 VMs seed quickly.

use serde_json::{json, Map, Value};

use crate::annotation::Annotation;
use crate::engine::Engine;
use crate::ids::{hash_str, stable_id};
use crate::kinds::Kinds;
use crate::shape::Shaper;
use crate::store::{Link, Record};

/// 2023-01-01T00:00:00Z; generated VMs are created a minute apart after it.
const VM_EPOCH: i64 = 1_672_531_200;

/// Every documented field of `kind`, from `source` (the rest generated).
fn shaped(kind: &str, source: Value, now: i64) -> Map<String, Value> {
    let data = match Kinds::get().schema(kind) {
        Some(schema) => {
            let shaper = Shaper::full(now);
            shaper.shape(schema, Some(&source), shaper.slot(kind, "", 0), "$")
        }
        None => source,
    };
    match data {
        Value::Object(m) => m,
        _ => Map::new(),
    }
}

/// Sets `fields` over a copy of `template`.
fn over(template: &Map<String, Value>, fields: Value) -> Map<String, Value> {
    let mut out = template.clone();
    if let Value::Object(f) = fields {
        out.extend(f);
    }
    out
}

fn data_of(engine: &Engine, kind: &str) -> Vec<Value> {
    engine
        .store
        .list(kind, None)
        .into_iter()
        .map(|r| Value::Object(r.data.clone()))
        .collect()
}

/// Replaces the VMs of the organization with sub-domain `sub_domain` by
/// `n` generated ones.
pub(crate) fn vms(engine: &mut Engine, sub_domain: &str, n: usize, now_ms: u64) {
    let Some(org) = engine.store.find("organization", "sub_domain", sub_domain) else {
        return;
    };
    let org_link: Link = (org.kind.clone(), org.id.clone());
    let org_data = Value::Object(org.data.clone());
    let domain = org.data["infrastructure_domain"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let theirs: Vec<String> = engine
        .store
        .list("virtual_machine", Some((&org_link.0, &org_link.1)))
        .into_iter()
        .filter(|r| r.links.contains(&org_link))
        .map(|r| r.id.clone())
        .collect();
    for id in theirs {
        engine.store.remove("virtual_machine", &id);
    }
    let now = i64::try_from(now_ms / 1000).unwrap_or(0);
    let (zones, packages, tags, hypervisors, networks) = (
        data_of(engine, "zone"),
        data_of(engine, "virtual_machine_package"),
        data_of(engine, "tag"),
        data_of(engine, "hypervisor"),
        data_of(engine, "network"),
    );
    let io_profile = data_of(engine, "disk_io_profile")
        .into_iter()
        .next()
        .unwrap_or(Value::Null);
    let pick = |list: &[Value], i: usize| match list.len() {
        0 => Value::Null,
        len => list[i % len].clone(),
    };
    let network_of = |zone: &Value| {
        networks
            .iter()
            .find(|n| n["data_center"]["id"] == zone["data_center"]["id"] && n["default"] == true)
            .cloned()
            .unwrap_or(Value::Null)
    };
    let vm_t = shaped("virtual_machine", json!({}), now);
    let nic_t = shaped("virtual_machine_network_interface", json!({}), now);
    let disk_t = shaped("disk", json!({}), now);
    let ip_t = shaped("ip_address", json!({}), now);
    let record = |kind: &str, data: Map<String, Value>, links: Vec<Link>| Record {
        kind: kind.into(),
        id: data["id"].as_str().unwrap_or_default().to_owned(),
        data,
        annotations: Vec::new(),
        links,
        created_ms: now_ms,
    };
    for i in 0..n {
        let name = format!("vm-{:05}", i + 1);
        let label = format!("{sub_domain}:gen:{}", i + 1);
        let fqdn = format!("{name}.{domain}");
        let (zone, package, tag) = (pick(&zones, i), pick(&packages, i), pick(&tags, i % 2));
        let network = network_of(&zone);
        let created_at = VM_EPOCH + i as i64 * 60;
        let vm_id = stable_id("vm", &label);
        let nic_id = stable_id("vmnic", &label);
        let disk_id = stable_id("disk", &label);
        let under_vm: Vec<Link> = vec![("virtual_machine".into(), vm_id.clone()), org_link.clone()];
        let k = i as u64;
        let ips: Vec<Map<String, Value>> = [
            (
                "v4",
                format!(
                    "100.{}.{}.{}",
                    64 + ((k >> 16) & 15),
                    (k >> 8) & 255,
                    k & 255
                ),
                24,
            ),
            ("v6", format!("2001:db8:ff01:1::{:x}", k + 1), 64),
        ]
        .into_iter()
        .map(|(v, address, prefix)| {
            over(
                &ip_t,
                json!({
                    "id": stable_id("ip", &format!("{label}:{v}")),
                    "address": address, "address_with_mask": format!("{address}/{prefix}"),
                    "allocation_id": vm_id, "allocation_type": "VirtualMachine", "label": null,
                    "network": network, "reverse_dns": fqdn, "vip": false,
                }),
            )
        })
        .collect();
        let ip_list: Vec<Value> = ips.iter().cloned().map(Value::Object).collect();
        let vm = over(
            &vm_t,
            json!({
                "id": vm_id, "name": name, "hostname": name, "fqdn": fqdn, "description": null,
                "created_at": created_at, "initial_root_password": null,
                "state": if i % 7 == 6 { "stopped" } else { "started" },
                "zone": zone, "organization": org_data, "group": null, "package": package,
                "attached_iso": null, "memory_in_gb": package["memory_in_gb"],
                "cpu_cores": package["cpu_cores"], "use_dedicated_cpus": false,
                "gpu_type": null, "gpus": [], "tags": [tag], "tag_names": [tag["name"]],
                "ip_addresses": ip_list, "hypervisor": pick(&hypervisors, (i / 3) % 3 + 3 * (i % zones.len().max(1))),
            }),
        );
        let vm_ref = json!({ "id": vm_id, "name": name, "hostname": name, "fqdn": fqdn });
        let mut vm = record("virtual_machine", vm, vec![org_link.clone()]);
        let annotation = |key: &str, value: &str| Annotation {
            key: key.into(),
            value: Some(value.into()),
        };
        vm.annotations = vec![
            annotation("team", ["web", "db", "ops"][i % 3]),
            annotation("env", ["prod", "staging"][i % 2]),
        ];
        engine.store.insert(vm);
        let nic = over(
            &nic_t,
            json!({
                "id": nic_id, "name": "eth0", "ip_addresses": ip_list, "network": network,
                "mac_address": format!("52:54:00:{:02x}:{:02x}:{:02x}", (k >> 16) & 255, (k >> 8) & 255, k & 255),
                "state": "attached", "virtual_machine": vm_ref, "virtual_network": null,
            }),
        );
        engine.store.insert(record(
            "virtual_machine_network_interface",
            nic,
            under_vm.clone(),
        ));
        let disk = over(
            &disk_t,
            json!({
                "id": disk_id, "name": "System Disk", "bus_type": "virtio", "created_at": created_at,
                "data_center": zone["data_center"], "installation": null, "io_profile": io_profile,
                "size_in_gb": package["storage_in_gb"].as_i64().unwrap_or(20), "state": "built",
                "storage_speed": "nvme",
                "virtual_machine_disk": {"attach_on_boot": true, "boot": true, "state": "attached", "virtual_machine": vm_ref},
                "wwn": format!("0x5{:015x}", hash_str(&disk_id) & 0x0fff_ffff_ffff_ffff),
            }),
        );
        engine.store.insert(record("disk", disk, under_vm.clone()));
        for ip in ips {
            let mut links = under_vm.clone();
            links.push(("virtual_machine_network_interface".into(), nic_id.clone()));
            engine.store.insert(record("ip_address", ip, links));
        }
    }
}
