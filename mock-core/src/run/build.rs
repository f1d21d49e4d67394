//! Building a VM from a spec: the XML read with the client's own parser
//! (`katapult_wasm::spec::from_xml`; what it refuses is 400
//! `invalid_spec_xml` with its message), the spec checked against the
//! catalogue (422 `validation_error`: a zone or data center that exists,
//! `<Resources>` with a package or both memory and CPU cores, a hostname
//! that is a DNS label no VM of the organization has), then a build that is
//! `pending`, `building` with its VM (`allocating`, with a system disk, an
//! interface on the data center's public network and an IPv4 and an IPv6
//! address) once its task runs, and `complete` with the VM `started` when
//! it completes. A build whose name or hostname holds `fail-build` fails:
//! the VM goes again and the build is `failed`.

use katapult_wasm::spec::{
    IdOrPermalink, IdPermalinkOrName, SpecHostname, SpecResources, VirtualMachineSpec,
};
use serde_json::{json, Map, Value};

use super::behaviour::{set, JobPlan, Outcome, Step};
use super::{Found, Obj, Run};
use crate::args::Args;
use crate::error::ApiError;
use crate::ids::hash_str;
use crate::store::{Link, Record};

/// The XML as a spec; what the client's parser refuses is `invalid_spec_xml`.
fn parse(xml: &str) -> Result<VirtualMachineSpec, ApiError> {
    katapult_wasm::spec::from_xml(xml).map_err(|e| ApiError::invalid_spec_xml(&e.message))
}

fn valid_hostname(h: &str) -> bool {
    !h.is_empty()
        && h.len() <= 63
        && !h.starts_with('-')
        && !h.ends_with('-')
        && h.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

const ADJECTIVES: &[&str] = &[
    "quiet", "brave", "calm", "eager", "fancy", "gentle", "happy", "jolly", "lively", "misty",
    "proud", "silent", "swift", "witty", "bold", "bright",
];
const NOUNS: &[&str] = &[
    "river", "forest", "meadow", "mountain", "ocean", "canyon", "valley", "breeze", "harbor",
    "island", "glacier", "prairie", "summit", "lagoon", "delta", "ridge",
];

/// The catalogue object of `kind` an id-or-permalink lookup names.
fn by_permalink(run: &Run, kind: &str, l: &IdOrPermalink) -> Result<Obj, String> {
    let (key, text) = match l {
        IdOrPermalink::Id(v) => ("id", v),
        IdOrPermalink::Permalink(v) => ("permalink", v),
    };
    run.find(kind, key, text)
        .map(|(o, _)| o)
        .ok_or_else(|| text.clone())
}

/// What a build makes, once checked.
struct Plan {
    name: String,
    hostname: String,
    zone: Obj,
    package: Option<Obj>,
    memory_in_gb: Option<i64>,
    cpu_cores: Option<i64>,
    description: Option<String>,
    fail: bool,
}

/// Whether a VM of the organization has this hostname.
fn taken(run: &Run, org: &Obj, hostname: &str) -> bool {
    run.list("virtual_machine", Some((&org.kind, &org.id)))
        .iter()
        .any(|vm| {
            vm.data["hostname"]
                .as_str()
                .is_some_and(|h| h.eq_ignore_ascii_case(hostname))
        })
}

/// The spec checked against the catalogue.
fn plan(run: &mut Run, org: &Obj, spec: &VirtualMachineSpec) -> Result<Plan, ApiError> {
    let mut errors = Vec::new();
    let zone = match (&spec.zone, &spec.data_center) {
        (Some(z), _) => by_permalink(run, "zone", z)
            .map_err(|t| errors.push(format!("Zone '{t}' could not be found")))
            .ok(),
        (None, Some(d)) => {
            let dc = match d {
                IdPermalinkOrName::Id(v) => run.find("data_center", "id", v).map(|(o, _)| o),
                IdPermalinkOrName::Permalink(v) => {
                    run.find("data_center", "permalink", v).map(|(o, _)| o)
                }
                IdPermalinkOrName::Name(v) => run.list("data_center", None).into_iter().find(|o| {
                    o.data["name"]
                        .as_str()
                        .is_some_and(|n| n.eq_ignore_ascii_case(v))
                }),
            };
            match dc {
                Some(dc) => run
                    .list("zone", None)
                    .into_iter()
                    .find(|z| z.data["data_center"]["id"] == dc.id.as_str()),
                None => {
                    let (IdPermalinkOrName::Id(t)
                    | IdPermalinkOrName::Permalink(t)
                    | IdPermalinkOrName::Name(t)) = d;
                    errors.push(format!("Data center '{t}' could not be found"));
                    None
                }
            }
        }
        (None, None) => {
            errors.push("A zone or data center must be specified".into());
            None
        }
    };
    let (mut package, mut memory, mut cpu) = (None, None, None);
    match &spec.resources {
        None => errors.push("Resources must be specified".into()),
        Some(SpecResources {
            package: Some(p), ..
        }) => match by_permalink(run, "virtual_machine_package", p) {
            Ok(p) => package = Some(p),
            Err(t) => errors.push(format!("Package '{t}' could not be found")),
        },
        Some(SpecResources {
            memory: Some(m),
            cpu_cores: Some(c),
            ..
        }) => {
            memory = Some(i64::from(*m));
            cpu = Some(i64::from(*c));
        }
        Some(_) => {
            errors.push("Resources must include a package, or both memory and CPU cores".into())
        }
    }
    let requested = match &spec.hostname {
        Some(SpecHostname::Name(h)) => Some(h.clone()),
        Some(SpecHostname::Random { .. }) | None => None,
    };
    match &requested {
        Some(h) if !valid_hostname(h) => errors.push("Hostname is invalid".into()),
        Some(h) if taken(run, org, h) => errors.push("Hostname has already been taken".into()),
        _ => {}
    }
    let (Some(zone), true) = (zone, errors.is_empty()) else {
        return Err(ApiError::validation(errors));
    };
    let hostname = match requested {
        Some(h) => h,
        None => random_hostname(run, org),
    };
    let name = spec
        .name
        .clone()
        .filter(|n| !n.trim().is_empty())
        .unwrap_or_else(|| hostname.clone());
    let fail = name.contains("fail-build") || hostname.contains("fail-build");
    Ok(Plan {
        name,
        hostname,
        zone,
        package,
        memory_in_gb: memory,
        cpu_cores: cpu,
        description: spec.description.clone(),
        fail,
    })
}

/// A free `adjective-noun-NN` hostname.
fn random_hostname(run: &mut Run, org: &Obj) -> String {
    for _ in 0..1000 {
        let n = hash_str(&run.engine.new_id("hostname"));
        let a = ADJECTIVES[(n % ADJECTIVES.len() as u64) as usize];
        let b = NOUNS[((n >> 8) % NOUNS.len() as u64) as usize];
        let h = format!("{a}-{b}-{}", 10 + (n >> 16) % 90);
        if !taken(run, org, &h) {
            return h;
        }
    }
    format!("vm-{:x}", hash_str(&run.engine.new_id("hostname")))
}

/// A record of `kind` from `source`, with every documented field.
fn record(run: &mut Run, kind: &str, source: Value, links: Vec<Link>) -> Record {
    let id = source["id"].as_str().unwrap_or_default().to_owned();
    let data = match run.full(kind, &id, &source) {
        Value::Object(m) => m,
        _ => Map::new(),
    };
    Record {
        kind: kind.into(),
        id,
        data,
        annotations: Vec::new(),
        links,
        created_ms: run.now_ms,
    }
}

/// The VM a build makes, and what it is made with.
fn machine(
    run: &mut Run,
    org: &Obj,
    plan: &Plan,
    annotations: &[crate::Annotation],
) -> Vec<Record> {
    let vm_id = run.engine.new_id("virtual_machine");
    let nic_id = run.engine.new_id("virtual_machine_network_interface");
    let disk_id = run.engine.new_id("disk");
    let domain = org.data["infrastructure_domain"]
        .as_str()
        .unwrap_or_default();
    let fqdn = format!("{}.{domain}", plan.hostname);
    let dc = plan.zone.data["data_center"].clone();
    let network = run
        .list("network", None)
        .into_iter()
        .filter(|n| n.data["data_center"]["id"] == dc["id"])
        .max_by_key(|n| n.data["default"] == true)
        .map_or(Value::Null, |n| n.data);
    let n = hash_str(&vm_id);
    let v4 = format!(
        "100.{}.{}.{}",
        64 + ((n >> 16) & 63),
        (n >> 8) & 255,
        n & 255
    );
    let v6 = format!("2001:db8:ff00::{:x}", n & 0xffff_ffff);
    let mut ips = Vec::new();
    for (address, prefix) in [(v4, 24), (v6, 64)] {
        let id = run.engine.new_id("ip_address");
        let source = json!({
            "id": id, "address": address, "address_with_mask": format!("{address}/{prefix}"),
            "allocation_id": vm_id, "allocation_type": "VirtualMachine", "label": null,
            "network": network, "reverse_dns": fqdn, "vip": false,
        });
        let links = vec![
            ("virtual_machine".into(), vm_id.clone()),
            ("virtual_machine_network_interface".into(), nic_id.clone()),
            (org.kind.clone(), org.id.clone()),
        ];
        ips.push(record(run, "ip_address", source, links));
    }
    let ip_data: Vec<Value> = ips.iter().map(|r| Value::Object(r.data.clone())).collect();
    let hypervisors = run.list("hypervisor", None);
    let zones = run.list("zone", None);
    let at = zones.iter().position(|z| z.id == plan.zone.id).unwrap_or(0);
    let hypervisor = match hypervisors.len() {
        0 => Value::Null,
        len => hypervisors[(at * 3 + (n >> 40) as usize % 3) % len]
            .data
            .clone(),
    };
    let field = |key: &str| plan.package.as_ref().map(|p| p.data[key].clone());
    let source = json!({
        "id": vm_id, "name": plan.name, "hostname": plan.hostname, "fqdn": fqdn,
        "description": plan.description, "created_at": run.now(),
        "initial_root_password": format!("{:016x}{:04x}", hash_str(&fqdn) ^ n, n & 0xffff),
        "state": "allocating", "zone": plan.zone.data, "organization": org.data,
        "group": null, "package": plan.package.as_ref().map(|p| p.data.clone()),
        "attached_iso": null,
        "memory_in_gb": field("memory_in_gb").unwrap_or(json!(plan.memory_in_gb)),
        "cpu_cores": field("cpu_cores").unwrap_or(json!(plan.cpu_cores)),
        "use_dedicated_cpus": false, "gpu_type": null, "gpus": [], "tags": [], "tag_names": [],
        "ip_addresses": ip_data, "hypervisor": hypervisor,
    });
    let mut vm = record(
        run,
        "virtual_machine",
        source,
        vec![(org.kind.clone(), org.id.clone())],
    );
    vm.annotations = annotations.to_vec();
    let vm_ref = json!({ "id": vm_id, "name": plan.name, "hostname": plan.hostname, "fqdn": fqdn });
    let under_vm = vec![
        ("virtual_machine".into(), vm_id.clone()),
        (org.kind.clone(), org.id.clone()),
    ];
    let nic = json!({
        "id": nic_id, "name": "eth0", "ip_addresses": ip_data,
        "mac_address": format!("52:{}", (0..5).map(|i| format!("{:02x}", (n >> (i * 8)) & 0xff)).collect::<Vec<_>>().join(":")),
        "network": network, "state": "attached", "virtual_machine": vm_ref, "virtual_network": null,
    });
    let nic = record(
        run,
        "virtual_machine_network_interface",
        nic,
        under_vm.clone(),
    );
    let io_profile = run
        .list("disk_io_profile", None)
        .into_iter()
        .next()
        .map_or(Value::Null, |p| p.data);
    let size = field("storage_in_gb")
        .and_then(|s| s.as_i64())
        .unwrap_or(20);
    let disk = json!({
        "id": disk_id, "name": "System Disk", "bus_type": "virtio", "created_at": run.now(),
        "data_center": dc, "installation": null, "io_profile": io_profile, "size_in_gb": size,
        "state": "built", "storage_speed": "nvme",
        "virtual_machine_disk": {"attach_on_boot": true, "boot": true, "state": "attached", "virtual_machine": vm_ref},
        "wwn": format!("0x{:016x}", hash_str(&disk_id)),
    });
    let disk = record(run, "disk", disk, under_vm);
    let mut out = vec![vm, nic, disk];
    out.extend(ips);
    out
}

/// `post:organization_virtual_machines_build_from_spec`.
pub(super) fn build_from_spec(
    run: &mut Run,
    args: &Args,
    found: &Found,
) -> Result<Outcome, ApiError> {
    let Some(org) = run.subject(found).cloned() else {
        return Ok(Outcome::Generic);
    };
    let xml = args
        .0
        .get("xml")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let spec = parse(xml)?;
    let plan = plan(run, &org, &spec)?;
    let annotations = args
        .annotations(&run.plan.endpoint, false)?
        .unwrap_or_default();
    let build_id = run.engine.new_id("virtual_machine_build");
    let source = json!({
        "id": build_id, "spec_xml": xml, "state": "pending",
        "virtual_machine": null, "created_at": run.now(),
    });
    let mut build = record(
        run,
        "virtual_machine_build",
        source,
        vec![(org.kind.clone(), org.id.clone())],
    );
    build.annotations = annotations.clone();
    let build_obj = run.record_obj(&build);
    run.engine.store.insert(build);
    let made = machine(run, &org, &plan, &annotations);
    let vm = run.record_obj(&made[0]);
    let vm_link: Link = (vm.kind.clone(), vm.id.clone());
    let mut during: Vec<Step> = made.into_iter().map(Step::Insert).collect();
    during.push(set(
        &build_obj,
        json!({ "state": "building", "virtual_machine": vm.data }),
    ));
    let mut started = vm.data.clone();
    started["state"] = json!("started");
    run.job = Some(JobPlan {
        during,
        done: vec![
            set(&vm, json!({ "state": "started" })),
            set(
                &build_obj,
                json!({ "state": "complete", "virtual_machine": started }),
            ),
        ],
        undo: vec![
            Step::Remove(vm_link),
            set(
                &build_obj,
                json!({ "state": "failed", "virtual_machine": null }),
            ),
        ],
    });
    run.fail = plan.fail;
    run.task_name = Some("Build virtual machine");
    run.extra.insert("hostname".into(), json!(plan.hostname));
    // The answer's `build` is the same build (an older name for it).
    run.extra.insert("build".into(), build_obj.data.clone());
    Ok(Outcome::Done(Some(build_obj)))
}
