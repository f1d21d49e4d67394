//! The seeded world: the fixture (`mock-core/seed/default.json`, the same
//! one the engine loads when it runs in-process) read into the model, and,
//! with `--seed-vms N`, generated VMs for scale tests (made by code: they
//! are a generator, not data).
//!
//! The model keeps typed what the routes change (organizations, their SSH
//! keys, VMs with their disks, addresses, interface and backup policies);
//! every other kind of the fixture is the [`Catalog`], as written. Ids,
//! names, addresses and timestamps are the fixture's, so they are the same
//! on every start and after `/_mock/reset`.

use std::collections::HashMap;

use katapult_mock_core::fixture::{Fixture, Object};
use serde_json::Value;

use crate::ids::{hash_str, stable_id, IdGen, Rng};
use crate::state::{
    Annotation, BackupPolicy, Catalog, Disk, Entry, IpAddress, Org, SshKey, State, Vm,
};

/// The fixture's kinds the model keeps typed; every other kind is the
/// catalogue.
pub const TYPED: &[&str] = &[
    "organization",
    "ssh_key",
    "virtual_machine",
    "virtual_machine_network_interface",
    "ip_address",
    "disk",
    "disk_backup_policy",
];

/// The organization `--seed-vms` fills.
const GENERATED_FOR: &str = "acme";

/// 2023-01-01T00:00:00Z; generated VMs are created after this.
const VM_EPOCH: i64 = 1_672_531_200;

fn text(o: &Value, field: &str) -> String {
    o[field].as_str().unwrap_or_default().to_owned()
}

fn int(o: &Value, field: &str) -> i64 {
    o[field].as_i64().unwrap_or_default()
}

/// A VM's boot disk: "System Disk", built, the first IO profile (standard).
pub fn system_disk(id: &str, size_in_gb: i64, created_at: i64) -> Disk {
    Disk {
        id: id.to_string(),
        name: "System Disk".into(),
        size_in_gb,
        wwn: format!("0x5{:015x}", hash_str(id) & 0x0fff_ffff_ffff_ffff),
        state: "built".into(),
        created_at,
        io_profile: 0,
        boot: true,
    }
}

/// The fixture's objects of `kind` under the object `id`.
fn under<'a>(fixture: &'a Fixture, kind: &'a str, id: &'a str) -> impl Iterator<Item = &'a Object> {
    fixture
        .of_kind(kind)
        .filter(move |o| o.links.first().is_some_and(|(_, parent)| parent == id))
}

/// A fixture VM (with what is under it) in the model.
fn vm(st: &State, fixture: &Fixture, o: &Object) -> Vm {
    let cat = &st.catalog;
    let raw = Value::Object(o.raw.clone());
    let index = |kind: &str, field: &str| o.ref_id(field).and_then(|id| cat.index(kind, id));
    let ip = |ip: &Object| {
        let ip_raw = Value::Object(ip.raw.clone());
        let with_mask = text(&ip_raw, "address_with_mask");
        IpAddress {
            id: ip.id.clone(),
            address: text(&ip_raw, "address"),
            prefix: with_mask
                .rsplit_once('/')
                .and_then(|(_, p)| p.parse().ok())
                .unwrap_or(32),
            network: ip
                .ref_id("network")
                .and_then(|id| cat.index("network", id))
                .unwrap_or(0),
            vip: ip_raw["vip"].as_bool().unwrap_or(false),
            label: ip_raw["label"].as_str().map(str::to_owned),
            reverse_dns: text(&ip_raw, "reverse_dns"),
        }
    };
    let disk = |d: &Object| {
        let d_raw = Value::Object(d.raw.clone());
        Disk {
            id: d.id.clone(),
            name: text(&d_raw, "name"),
            size_in_gb: int(&d_raw, "size_in_gb"),
            wwn: text(&d_raw, "wwn"),
            state: text(&d_raw, "state"),
            created_at: int(&d_raw, "created_at"),
            io_profile: d
                .ref_id("io_profile")
                .and_then(|id| cat.index("disk_io_profile", id))
                .unwrap_or(0),
            boot: d_raw["virtual_machine_disk"]["boot"]
                .as_bool()
                .unwrap_or(false),
        }
    };
    let policy = |p: &Object| {
        let p_raw = Value::Object(p.raw.clone());
        let schedule = &p_raw["schedule"];
        BackupPolicy {
            id: p.id.clone(),
            retention: int(&p_raw, "retention"),
            interval: text(schedule, "interval"),
            frequency: int(schedule, "frequency"),
            minute: int(schedule, "minute"),
            time: int(schedule, "time"),
            total_size: p_raw["total_size"].as_f64().unwrap_or_default(),
        }
    };
    let gpu = raw["gpus"][0]["id"].as_str().and_then(|gpu_id| {
        let ty = raw["gpus"][0]["type"]["id"].as_str()?;
        Some((cat.index("gpu_type", ty)?, gpu_id.to_owned()))
    });
    let ips = o
        .ref_ids("ip_addresses")
        .into_iter()
        .filter_map(|id| fixture.of_kind("ip_address").find(|ip| ip.id == id))
        .map(ip)
        .collect();
    Vm {
        id: o.id.clone(),
        org: o
            .under("organization")
            .and_then(|id| st.org_by_id(id))
            .unwrap_or(0),
        name: text(&raw, "name"),
        hostname: text(&raw, "hostname"),
        fqdn: text(&raw, "fqdn"),
        description: raw["description"].as_str().map(str::to_owned),
        created_at: int(&raw, "created_at"),
        initial_root_password: raw["initial_root_password"].as_str().map(str::to_owned),
        state: text(&raw, "state"),
        zone: index("zone", "zone").unwrap_or(0),
        group: index("virtual_machine_group", "group"),
        package: index("virtual_machine_package", "package"),
        memory_in_gb: raw["memory_in_gb"].as_i64(),
        cpu_cores: raw["cpu_cores"].as_i64(),
        use_dedicated_cpus: raw["use_dedicated_cpus"].as_bool(),
        attached_iso: index("iso", "attached_iso"),
        gpu,
        tags: o
            .ref_ids("tags")
            .into_iter()
            .filter_map(|id| cat.index("tag", id))
            .collect(),
        ip_addresses: ips,
        hypervisor: index("hypervisor", "hypervisor"),
        annotations: o.annotations.clone(),
        trash: None,
        removed: false,
        busy_task: None,
        disks: under(fixture, "disk", &o.id).map(disk).collect(),
        nic_id: under(fixture, "virtual_machine_network_interface", &o.id)
            .next()
            .map(|n| n.id.clone())
            .unwrap_or_default(),
        backup_policies: under(fixture, "disk_backup_policy", &o.id)
            .map(policy)
            .collect(),
    }
}

/// The `n`th (from 0) generated VM of organization `org`: `vm-00001`, …,
/// zones cycling lon/ams/nyc, packages rock-3…rock-48, every 7th stopped.
fn generated_vm(st: &State, org: usize, i: usize) -> Vm {
    let cat = &st.catalog;
    let name = format!("vm-{:05}", i + 1);
    let label = format!("{GENERATED_FOR}:gen:{}", i + 1);
    let domain = st
        .orgs
        .get(org)
        .map_or("", |o| o.infrastructure_domain.as_str());
    let fqdn = format!("{name}.{domain}");
    let zone = i % 3;
    let package = i % 5;
    let created_at = VM_EPOCH + i as i64 * 60;
    let network = cat.network_of(zone);
    let n = i as u32;
    let ip = |kind: &str, address: String, prefix: u8| IpAddress {
        id: stable_id("ip", &format!("{label}:{kind}")),
        address,
        prefix,
        network,
        vip: false,
        label: None,
        reverse_dns: fqdn.clone(),
    };
    let ip_addresses = vec![
        ip(
            "v4",
            format!(
                "100.{}.{}.{}",
                64 + ((n >> 16) & 15),
                (n >> 8) & 255,
                n & 255
            ),
            24,
        ),
        ip(
            "v6",
            format!("2001:db8:{:x}:1::{:x}", 0x10 + network, n + 1),
            64,
        ),
    ];
    let package_int = |field| cat.int("virtual_machine_package", package, field);
    let annotation = |key: &str, value: &str| Annotation {
        key: key.into(),
        value: Some(value.into()),
    };
    Vm {
        id: stable_id("vm", &label),
        org,
        hostname: name.clone(),
        fqdn: fqdn.clone(),
        description: None,
        created_at,
        initial_root_password: None,
        state: if i % 7 == 6 { "stopped" } else { "started" }.into(),
        zone,
        group: None,
        package: Some(package),
        memory_in_gb: package_int("memory_in_gb"),
        cpu_cores: package_int("cpu_cores"),
        use_dedicated_cpus: Some(false),
        attached_iso: None,
        gpu: None,
        tags: vec![i % 2],
        ip_addresses,
        hypervisor: Some(zone * 3 + (i / 3) % 3),
        annotations: vec![
            annotation("team", ["web", "db", "ops"][i % 3]),
            annotation("env", ["prod", "staging"][i % 2]),
        ],
        trash: None,
        removed: false,
        busy_task: None,
        disks: vec![system_disk(
            &stable_id("disk", &label),
            package_int("storage_in_gb").unwrap_or(20),
            created_at,
        )],
        nic_id: stable_id("vmnic", &label),
        backup_policies: Vec::new(),
        name,
    }
}

/// The world of `fixture`. `seed_vms` replaces acme's VMs with that many
/// generated ones (`vm-00001`, …).
pub fn from_fixture(fixture: &Fixture, seed_vms: Option<usize>, generation: u64) -> State {
    let mut catalog = Catalog::default();
    for o in fixture.objects() {
        if !TYPED.contains(&o.kind.as_str()) {
            let entry = Entry {
                id: o.id.clone(),
                json: Value::Object(o.data.clone()),
                owners: o.links.iter().map(|(_, id)| id.clone()).collect(),
            };
            catalog.push(&o.kind, entry);
        }
    }
    let orgs = fixture
        .of_kind("organization")
        .map(|o| {
            let json = Value::Object(o.data.clone());
            Org {
                id: o.id.clone(),
                sub_domain: text(&json, "sub_domain"),
                infrastructure_domain: text(&json, "infrastructure_domain"),
                suspended: json["suspended"].as_bool().unwrap_or(false),
                activated: !json["activated_at"].is_null(),
                json,
                vms: Vec::new(),
            }
        })
        .collect();
    let mut st = State {
        catalog,
        orgs,
        vms: Vec::new(),
        vm_by_id: HashMap::new(),
        vm_by_fqdn: HashMap::new(),
        tasks: HashMap::new(),
        builds: HashMap::new(),
        trash: HashMap::new(),
        console_sessions: HashMap::new(),
        generation,
        rng: Rng::new(0x00C0_FFEE_u64 ^ generation.wrapping_mul(0x9E37_79B9)),
        next_ip: 1 << 20,
        ssh_keys: Vec::new(),
        unallocated_ips: Vec::new(),
    };
    for k in fixture.of_kind("ssh_key") {
        let key = Value::Object(k.raw.clone());
        st.ssh_keys.push(SshKey {
            id: k.id.clone(),
            org: k
                .under("organization")
                .and_then(|id| st.org_by_id(id))
                .unwrap_or(0),
            name: text(&key, "name"),
            fingerprint: text(&key, "fingerprint"),
        });
    }
    let generated = seed_vms.and_then(|n| Some((st.org_by_sub_domain(GENERATED_FOR)?, n)));
    if let Some((org, count)) = generated {
        for i in 0..count {
            let vm = generated_vm(&st, org, i);
            st.insert_vm(vm);
        }
    }
    for o in fixture.of_kind("virtual_machine") {
        let vm = vm(&st, fixture, o);
        if generated.is_none_or(|(org, _)| vm.org != org) {
            st.insert_vm(vm);
        }
    }
    st
}

/// The world of the default fixture.
pub fn seeded(seed_vms: Option<usize>, generation: u64) -> State {
    from_fixture(Fixture::builtin(), seed_vms, generation)
}

/// A fresh id generator for run-time objects.
pub fn runtime_ids() -> IdGen {
    IdGen::new(0x4B41_5441_5055_4C54) // "KATAPULT"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fixture_is_the_demo_world() {
        let a = seeded(None, 0);
        let b = seeded(None, 5);
        assert_eq!(a.vms.len(), b.vms.len());
        for (x, y) in a.vms.iter().zip(b.vms.iter()) {
            assert_eq!(x.id, y.id);
            assert_eq!(x.fqdn, y.fqdn);
        }
        let acme = a.org_by_sub_domain("acme").expect("acme");
        assert_eq!(a.orgs[acme].vms.len(), 41);
        let web1 = a.vm_by_fqdn["web-1.acme.katapult.cloud"];
        let web1 = &a.vms[web1];
        assert_eq!(web1.id, "vm_CAHIl8xo42DREOBG");
        assert_eq!((web1.disks.len(), web1.ip_addresses.len()), (1, 2));
        assert!(web1.nic_id.starts_with("vmnic_"));
        assert_eq!(web1.tags.len(), 2);
        let db1 = &a.vms[a.vm_by_fqdn["db-1.acme.katapult.cloud"]];
        assert_eq!((db1.disks.len(), db1.backup_policies.len()), (2, 1));
        let gpu1 = &a.vms[a.vm_by_fqdn["gpu-1.acme.katapult.cloud"]];
        assert!(gpu1.gpu.is_some() && gpu1.package.is_none());
        // Every reference of every VM names a catalogue object.
        for vm in &a.vms {
            assert!(a.catalog.get("zone", vm.zone).is_some(), "{}", vm.name);
            assert!(
                !vm.disks.is_empty() && !vm.ip_addresses.is_empty(),
                "{}",
                vm.name
            );
        }
        assert_eq!(a.ssh_keys.len(), 3);
    }

    /// The server answers the fixture's VMs and addresses as written: a
    /// field the model would drop or change fails here.
    #[test]
    fn the_model_answers_the_fixture_as_written() {
        let st = seeded(None, 0);
        let fixture = Fixture::builtin();
        for o in fixture.of_kind("virtual_machine") {
            let vm = &st.vms[st.vm_by_id[&o.id]];
            let mut written = Value::Object(o.data.clone());
            // The document lists no data centers in a VM's own `gpu_type`.
            if let Some(gpu_type) = written["gpu_type"].as_object_mut() {
                gpu_type.remove("data_centers");
            }
            assert_eq!(crate::json::vm_full(&st, vm), written, "{}", vm.name);
            for ip in &vm.ip_addresses {
                let written = fixture.of_kind("ip_address").find(|w| w.id == ip.id);
                let written = written.map(|w| Value::Object(w.data.clone()));
                let answered = crate::json::ip_address(&st.catalog, ip, Some(&vm.id));
                assert_eq!(Some(answered), written, "{}", ip.address);
            }
        }
    }

    #[test]
    fn generated_world() {
        let st = seeded(Some(10_000), 0);
        assert_eq!(st.orgs[0].vms.len(), 10_000);
        assert_eq!(st.vm_by_id.len(), 10_000 + 5);
        assert!(st.vm_by_fqdn.contains_key("vm-10000.acme.katapult.cloud"));
    }
}
