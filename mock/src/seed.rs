//! Deterministic demo data.
//!
//! Everything here is derived from fixed labels, so ids, names, addresses
//! and timestamps are identical on every start and after `/_mock/reset`.

use std::collections::HashMap;

use crate::ids::{hash_str, stable_id, IdGen, Rng};
use crate::state::{
    Annotation, BackupPolicy, Catalog, Country, Currency, DataCenter, Disk, DiskTemplate, GpuType,
    Hypervisor, IoProfile, IpAddress, Iso, Network, Org, Package, SshKey, State, Tag, Vm, VmGroup,
    Zone,
};

/// 2023-01-01T00:00:00Z; demo VMs are created after this.
const VM_EPOCH: i64 = 1_672_531_200;

fn s(v: &str) -> String {
    v.to_string()
}

fn catalog() -> Catalog {
    let countries = vec![
        Country {
            id: stable_id("ctry", "GB"),
            name: s("United Kingdom"),
            iso_code2: s("GB"),
            iso_code3: s("GBR"),
            time_zone: Some(s("Europe/London")),
            eu: false,
        },
        Country {
            id: stable_id("ctry", "NL"),
            name: s("Netherlands"),
            iso_code2: s("NL"),
            iso_code3: s("NLD"),
            time_zone: Some(s("Europe/Amsterdam")),
            eu: true,
        },
        Country {
            id: stable_id("ctry", "US"),
            name: s("United States of America"),
            iso_code2: s("US"),
            iso_code3: s("USA"),
            time_zone: Some(s("America/New_York")),
            eu: false,
        },
    ];
    let dcs = [
        ("London", "uk-lon", "London", "uk-lon-01"),
        ("Amsterdam", "nl-ams", "Amsterdam", "nl-ams-01"),
        ("New York", "us-nyc", "New York", "us-nyc-01"),
    ];
    let mut data_centers = Vec::new();
    let mut zones = Vec::new();
    let mut networks = Vec::new();
    let mut hypervisors = Vec::new();
    for (i, (dc_name, dc_perma, zone_name, zone_perma)) in dcs.iter().enumerate() {
        data_centers.push(DataCenter {
            id: stable_id("dc", dc_perma),
            name: s(dc_name),
            permalink: s(dc_perma),
            country: i,
        });
        zones.push(Zone {
            id: stable_id("zone", zone_perma),
            name: s(zone_name),
            permalink: s(zone_perma),
            data_center: i,
        });
        networks.push(Network {
            id: stable_id("netw", dc_perma),
            name: format!("Public Network ({dc_name})"),
            permalink: format!("{dc_perma}-public"),
            data_center: i,
        });
        let short = &dc_perma[3..];
        for k in 1..=3 {
            let name = format!("hv-{short}-{k:02}");
            hypervisors.push(Hypervisor {
                id: stable_id("hv", &name),
                ip_address: format!("10.{}.0.{}", 10 + i, 10 + k),
                name,
            });
        }
    }
    let packages = [
        ("Rock 3", "rock-3", 1, 3, 30, 1000),
        ("Rock 6", "rock-6", 2, 6, 60, 2000),
        ("Rock 12", "rock-12", 4, 12, 120, 4000),
        ("Rock 24", "rock-24", 8, 24, 240, 8000),
        ("Rock 48", "rock-48", 16, 48, 480, 16000),
    ]
    .iter()
    .map(|(name, perma, cpu, mem, disk, bw)| Package {
        id: stable_id("vmpkg", perma),
        name: s(name),
        permalink: s(perma),
        cpu_cores: *cpu,
        ipv4_addresses: 1,
        memory_in_gb: *mem,
        storage_in_gb: *disk,
        monthly_bandwidth_allowance_in_gb: Some(*bw),
    })
    .collect();
    let tags = [
        ("production", "red"),
        ("staging", "yellow"),
        ("database", "purple"),
        ("frontend", "light_blue"),
        ("backend", "green"),
        ("critical", "orange_red"),
        ("gpu", "pastel_purple"),
    ]
    .iter()
    .enumerate()
    .map(|(i, (name, color))| Tag {
        id: stable_id("tag", name),
        name: s(name),
        color: s(color),
        created_at: VM_EPOCH - 86_400 * (30 - i as i64),
    })
    .collect();
    let groups = vec![
        VmGroup {
            id: stable_id("vmgrp", "web"),
            name: s("Web servers"),
            segregate: true,
            auto_segregate: false,
            created_at: VM_EPOCH - 86_400 * 20,
        },
        VmGroup {
            id: stable_id("vmgrp", "db"),
            name: s("Databases"),
            segregate: true,
            auto_segregate: true,
            created_at: VM_EPOCH - 86_400 * 19,
        },
    ];
    Catalog {
        countries,
        data_centers,
        zones,
        networks,
        packages,
        hypervisors,
        gpu_types: vec![GpuType {
            id: stable_id("gputype", "nvidia-l4"),
            name: s("NVIDIA L4"),
            manufacturer: s("NVIDIA"),
            memory_in_gb: 24,
            memory_type: s("GDDR6"),
            permalink: s("nvidia-l4"),
            data_centers: vec![0, 1],
        }],
        tags,
        groups,
        isos: vec![Iso {
            id: stable_id("iso", "ubuntu-24-04"),
            name: s("Ubuntu 24.04 Server"),
            operating_system: Some((stable_id("os", "ubuntu"), s("Ubuntu"))),
        }],
        io_profiles: [
            ("Standard", "standard", Some(200), Some(2000)),
            ("Performance", "performance", Some(500), Some(8000)),
            ("NVMe Max", "nvme-max", None, None),
        ]
        .iter()
        .map(|(name, perma, speed, iops)| IoProfile {
            id: stable_id("dio", perma),
            name: s(name),
            permalink: s(perma),
            speed_in_mb: *speed,
            iops: *iops,
        })
        .collect(),
        disk_templates: [
            ("Ubuntu 24.04", "ubuntu-24-04", "Ubuntu", 10, 3),
            ("Ubuntu 22.04", "ubuntu-22-04", "Ubuntu", 10, 7),
            ("Debian 12", "debian-12", "Debian", 10, 4),
            ("Rocky Linux 9", "rocky-9", "Rocky Linux", 10, 2),
            ("Windows Server 2022", "windows-2022", "Windows", 40, 5),
        ]
        .iter()
        .map(|(name, perma, os, size, version)| DiskTemplate {
            id: stable_id("dtpl", perma),
            name: s(name),
            description: Some(format!("{name}, maintained by Katapult")),
            permalink: format!("templates/{perma}"),
            universal: true,
            size_in_gb: Some(*size),
            latest_version: Some((stable_id("dtplv", perma), *version)),
            operating_system: Some((stable_id("os", os), s(os))),
        })
        .collect(),
        currencies: vec![
            Currency {
                id: stable_id("cur", "GBP"),
                name: s("Pound Sterling"),
                iso_code: s("GBP"),
                symbol: s("£"),
            },
            Currency {
                id: stable_id("cur", "EUR"),
                name: s("Euro"),
                iso_code: s("EUR"),
                symbol: s("€"),
            },
            Currency {
                id: stable_id("cur", "USD"),
                name: s("US Dollar"),
                iso_code: s("USD"),
                symbol: s("$"),
            },
        ],
    }
}

struct OrgSeed {
    name: &'static str,
    sub_domain: &'static str,
    created_at: i64,
    activated: bool,
    suspended: bool,
    currency: usize,
    country: usize,
}

fn orgs() -> Vec<Org> {
    let seeds = [
        OrgSeed {
            name: "Acme Corp",
            sub_domain: "acme",
            created_at: 1_640_995_200,
            activated: true,
            suspended: false,
            currency: 0,
            country: 0,
        },
        OrgSeed {
            name: "Globex Corporation",
            sub_domain: "globex",
            created_at: 1_646_092_800,
            activated: true,
            suspended: false,
            currency: 1,
            country: 1,
        },
        OrgSeed {
            name: "Initech",
            sub_domain: "initech",
            created_at: 1_651_363_200,
            activated: true,
            suspended: true,
            currency: 2,
            country: 2,
        },
        OrgSeed {
            name: "Hooli",
            sub_domain: "hooli",
            created_at: 1_704_067_200,
            activated: false,
            suspended: false,
            currency: 2,
            country: 2,
        },
    ];
    seeds
        .iter()
        .enumerate()
        .map(|(i, o)| Org {
            id: stable_id("org", o.sub_domain),
            name: s(o.name),
            sub_domain: s(o.sub_domain),
            infrastructure_domain: format!("{}.katapult.cloud", o.sub_domain),
            created_at: o.created_at,
            activated_at: o.activated.then_some(o.created_at + 3_600),
            suspended: o.suspended,
            billing_name: Some(format!("{} Ltd", o.name)),
            address: [
                Some(format!("{} Example Street", 10 + i)),
                Some(s("Suite 100")),
                None,
                None,
            ],
            postcode: Some(format!("EX{} {}AB", i + 1, i + 2)),
            vat_number: (o.country == 0).then(|| s("GB123456789")),
            phone_number: Some(format!("+44 20 7946 00{:02}", i)),
            currency: o.currency,
            country: Some(o.country),
            vms: Vec::new(),
        })
        .collect()
}

/// One hand-written demo VM.
struct DemoVm {
    name: &'static str,
    zone: usize,
    package: Option<usize>,
    state: &'static str,
    team: &'static str,
    env: &'static str,
    tags: &'static [usize],
    group: Option<usize>,
    ips: u8,
}

#[allow(clippy::too_many_arguments)]
const fn d(
    name: &'static str,
    zone: usize,
    package: Option<usize>,
    state: &'static str,
    team: &'static str,
    env: &'static str,
    tags: &'static [usize],
    group: Option<usize>,
    ips: u8,
) -> DemoVm {
    DemoVm {
        name,
        zone,
        package,
        state,
        team,
        env,
        tags,
        group,
        ips,
    }
}

// Tags: 0 production, 1 staging, 2 database, 3 frontend, 4 backend,
// 5 critical, 6 gpu. Packages: 0 rock-3, 1 rock-6, 2 rock-12, 3 rock-24,
// 4 rock-48. Groups: 0 Web servers, 1 Databases. Zones: 0 uk-lon-01,
// 1 nl-ams-01, 2 us-nyc-01.
const DEMO: &[DemoVm] = &[
    d(
        "web-1",
        0,
        Some(1),
        "started",
        "web",
        "prod",
        &[0, 3],
        Some(0),
        2,
    ),
    d(
        "web-2",
        0,
        Some(1),
        "started",
        "web",
        "prod",
        &[0, 3],
        Some(0),
        2,
    ),
    d(
        "web-3",
        1,
        Some(1),
        "started",
        "web",
        "prod",
        &[0, 3],
        Some(0),
        2,
    ),
    d(
        "web-4",
        1,
        Some(1),
        "started",
        "web",
        "prod",
        &[0, 3],
        Some(0),
        2,
    ),
    d(
        "web-5",
        2,
        Some(0),
        "started",
        "web",
        "prod",
        &[0, 3],
        Some(0),
        2,
    ),
    d(
        "web-6",
        2,
        Some(0),
        "stopped",
        "web",
        "prod",
        &[0, 3],
        Some(0),
        2,
    ),
    d(
        "db-1",
        0,
        Some(3),
        "started",
        "db",
        "prod",
        &[0, 2, 5],
        Some(1),
        1,
    ),
    d(
        "db-2",
        0,
        Some(3),
        "started",
        "db",
        "prod",
        &[0, 2, 5],
        Some(1),
        1,
    ),
    d(
        "db-3",
        1,
        Some(2),
        "started",
        "db",
        "prod",
        &[0, 2],
        Some(1),
        1,
    ),
    d(
        "db-4",
        1,
        None,
        "started",
        "db",
        "prod",
        &[0, 2, 5],
        Some(1),
        1,
    ),
    d(
        "cache-1",
        0,
        Some(1),
        "started",
        "web",
        "prod",
        &[0, 4],
        None,
        1,
    ),
    d(
        "cache-2",
        1,
        Some(1),
        "started",
        "web",
        "prod",
        &[0, 4],
        None,
        1,
    ),
    d(
        "worker-1",
        0,
        Some(2),
        "started",
        "ops",
        "prod",
        &[0, 4],
        None,
        1,
    ),
    d(
        "worker-2",
        0,
        Some(2),
        "started",
        "ops",
        "prod",
        &[0, 4],
        None,
        1,
    ),
    d(
        "worker-3",
        1,
        Some(2),
        "started",
        "ops",
        "prod",
        &[0, 4],
        None,
        1,
    ),
    d(
        "worker-4",
        2,
        Some(2),
        "started",
        "ops",
        "prod",
        &[0, 4],
        None,
        1,
    ),
    d(
        "worker-5",
        2,
        Some(2),
        "stopped",
        "ops",
        "staging",
        &[1, 4],
        None,
        1,
    ),
    d(
        "worker-6",
        2,
        Some(2),
        "stopped",
        "ops",
        "staging",
        &[1, 4],
        None,
        1,
    ),
    d(
        "lb-1",
        0,
        Some(0),
        "started",
        "ops",
        "prod",
        &[0, 5],
        None,
        3,
    ),
    d(
        "lb-2",
        1,
        Some(0),
        "started",
        "ops",
        "prod",
        &[0, 5],
        None,
        3,
    ),
    d(
        "api-1",
        0,
        Some(1),
        "started",
        "web",
        "prod",
        &[0, 4],
        None,
        2,
    ),
    d(
        "api-2",
        0,
        Some(1),
        "started",
        "web",
        "prod",
        &[0, 4],
        None,
        2,
    ),
    d(
        "api-3",
        1,
        Some(1),
        "started",
        "web",
        "prod",
        &[0, 4],
        None,
        2,
    ),
    d(
        "api-4",
        2,
        Some(1),
        "started",
        "web",
        "prod",
        &[0, 4],
        None,
        2,
    ),
    d(
        "mail-1",
        0,
        Some(0),
        "started",
        "ops",
        "prod",
        &[0],
        None,
        2,
    ),
    d(
        "ci-runner-1",
        0,
        Some(3),
        "started",
        "ops",
        "staging",
        &[1],
        None,
        1,
    ),
    d(
        "ci-runner-2",
        1,
        Some(3),
        "stopped",
        "ops",
        "staging",
        &[1],
        None,
        1,
    ),
    d(
        "staging-web-1",
        0,
        Some(0),
        "started",
        "web",
        "staging",
        &[1, 3],
        None,
        2,
    ),
    d(
        "staging-web-2",
        0,
        Some(0),
        "stopped",
        "web",
        "staging",
        &[1, 3],
        None,
        2,
    ),
    d(
        "staging-db-1",
        0,
        Some(1),
        "started",
        "db",
        "staging",
        &[1, 2],
        None,
        1,
    ),
    d("gpu-1", 0, None, "started", "ml", "prod", &[0, 6], None, 2),
    d(
        "build-1",
        1,
        Some(2),
        "stopped",
        "ops",
        "staging",
        &[1],
        None,
        1,
    ),
    d(
        "monitoring-1",
        0,
        Some(1),
        "started",
        "ops",
        "prod",
        &[0, 4],
        None,
        2,
    ),
    d(
        "backup-1",
        2,
        Some(2),
        "stopped",
        "ops",
        "prod",
        &[0],
        None,
        1,
    ),
    d(
        "vpn-1",
        1,
        Some(0),
        "started",
        "ops",
        "prod",
        &[0, 5],
        None,
        2,
    ),
    d(
        "dns-1",
        0,
        Some(0),
        "started",
        "ops",
        "prod",
        &[0, 5],
        None,
        2,
    ),
    d(
        "dns-2",
        2,
        Some(0),
        "started",
        "ops",
        "prod",
        &[0, 5],
        None,
        2,
    ),
    d(
        "legacy-app-1",
        2,
        Some(1),
        "failed",
        "web",
        "prod",
        &[],
        None,
        1,
    ),
    d(
        "new-app-1",
        1,
        Some(1),
        "allocating",
        "web",
        "staging",
        &[1],
        None,
        1,
    ),
    d(
        "protected-1",
        0,
        Some(1),
        "started",
        "ops",
        "prod",
        &[0, 5],
        None,
        1,
    ),
    d(
        "fail-task-1",
        0,
        Some(0),
        "started",
        "ops",
        "staging",
        &[1],
        None,
        1,
    ),
];

/// Small VMs for the other organizations: (org index, name, zone, package, state).
const OTHER: &[(usize, &str, usize, usize, &str)] = &[
    (1, "app-1", 1, 1, "started"),
    (1, "app-2", 1, 1, "started"),
    (1, "db-1", 1, 2, "stopped"),
    (2, "legacy-1", 0, 0, "started"),
    (2, "legacy-2", 0, 0, "stopped"),
];

fn v4_block(dc: usize) -> &'static str {
    match dc {
        0 => "203.0.113",
        1 => "198.51.100",
        _ => "192.0.2",
    }
}

fn ips_for(label: &str, fqdn: &str, dc: usize, n: usize, count: u8) -> Vec<IpAddress> {
    let mut out = Vec::new();
    if count >= 1 {
        out.push(IpAddress {
            id: stable_id("ip", &format!("{label}:v4")),
            address: format!("{}.{}", v4_block(dc), 10 + n),
            prefix: 24,
            network: dc,
            vip: false,
            label: None,
            reverse_dns: fqdn.to_string(),
        });
    }
    if count >= 3 {
        out.push(IpAddress {
            id: stable_id("ip", &format!("{label}:vip")),
            address: format!("{}.{}", v4_block(dc), 150 + n),
            prefix: 24,
            network: dc,
            vip: true,
            label: Some(s("Virtual IP")),
            reverse_dns: fqdn.to_string(),
        });
    }
    if count >= 2 {
        out.push(IpAddress {
            id: stable_id("ip", &format!("{label}:v6")),
            address: format!("2001:db8:{:x}::{:x}", 0x10 + dc, n + 1),
            prefix: 64,
            network: dc,
            vip: false,
            label: None,
            reverse_dns: fqdn.to_string(),
        });
    }
    out
}

#[allow(clippy::too_many_arguments)]
fn base_vm(
    org: &Org,
    org_idx: usize,
    label: &str,
    name: &str,
    zone: usize,
    package: Option<usize>,
    catalog: &Catalog,
    state: &str,
    created_at: i64,
) -> Vm {
    let fqdn = format!("{name}.{}", org.infrastructure_domain);
    let pkg = package.and_then(|p| catalog.packages.get(p));
    Vm {
        id: stable_id("vm", label),
        org: org_idx,
        name: name.to_string(),
        hostname: name.to_string(),
        fqdn,
        description: None,
        created_at,
        initial_root_password: None,
        state: state.to_string(),
        zone,
        group: None,
        package,
        memory_in_gb: pkg.map(|p| p.memory_in_gb),
        cpu_cores: pkg.map(|p| p.cpu_cores),
        use_dedicated_cpus: Some(false),
        attached_iso: None,
        gpu: None,
        tags: Vec::new(),
        ip_addresses: Vec::new(),
        hypervisor: Some(zone * 3),
        annotations: Vec::new(),
        trash: None,
        removed: false,
        busy_task: None,
        disks: vec![system_disk(
            &stable_id("disk", label),
            pkg.map_or(20, |p| p.storage_in_gb),
            created_at,
        )],
        nic_id: stable_id("vmnic", label),
        backup_policies: Vec::new(),
    }
}

/// A VM's boot disk: "System Disk", built, standard IO.
pub fn system_disk(id: &str, size_in_gb: i64, created_at: i64) -> Disk {
    Disk {
        id: id.to_string(),
        name: s("System Disk"),
        size_in_gb,
        wwn: format!("0x5{:015x}", hash_str(id) & 0x0fff_ffff_ffff_ffff),
        state: s("built"),
        created_at,
        io_profile: 0,
        boot: true,
    }
}

fn ann(key: &str, value: &str) -> Annotation {
    Annotation {
        key: key.to_string(),
        value: Some(value.to_string()),
    }
}

/// Build the seeded world. `seed_vms` replaces acme's demo VMs with that
/// many generated ones (`vm-00001`, …).
pub fn seeded(seed_vms: Option<usize>, generation: u64) -> State {
    let catalog = catalog();
    let orgs = orgs();
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
    for (org, name, fingerprint) in [
        (
            0,
            "ops@acme laptop",
            "SHA256:4mJw0oR2wq7E0lZt9t7oWcM0bS3yQm5h7o2y1aX9kQ8",
        ),
        (
            0,
            "deploy (CI)",
            "SHA256:Qf8m1c7d2VbT3nJ6yW0eRr5uI9oP4aS2dF7gH1jK3lZ",
        ),
        (
            1,
            "globex admin",
            "SHA256:Zx1cV2bN3mA4sD5fG6hJ7kL8qW9eR0tY1uI2oP3aS4d",
        ),
    ] {
        st.ssh_keys.push(SshKey {
            id: stable_id("key", name),
            org,
            name: s(name),
            fingerprint: s(fingerprint),
        });
    }
    let acme = st.orgs[0].clone();
    match seed_vms {
        None => {
            for (n, demo) in DEMO.iter().enumerate() {
                let label = format!("acme:{}", demo.name);
                let jitter = (hash_str(&label) % 86_400) as i64;
                let created = VM_EPOCH + n as i64 * 7 * 86_400 + jitter;
                let mut vm = base_vm(
                    &acme,
                    0,
                    &label,
                    demo.name,
                    demo.zone,
                    demo.package,
                    &st.catalog,
                    demo.state,
                    created,
                );
                let dc = st.catalog.zones[demo.zone].data_center;
                vm.ip_addresses = ips_for(&label, &vm.fqdn, dc, n, demo.ips);
                vm.tags = demo.tags.to_vec();
                vm.group = demo.group;
                vm.hypervisor = Some(demo.zone * 3 + n % 3);
                vm.annotations = vec![ann("team", demo.team), ann("env", demo.env)];
                if demo.team == "db" {
                    vm.annotations.push(ann("backup", "daily"));
                    let mut data =
                        system_disk(&stable_id("disk", &format!("{label}:data")), 100, created);
                    data.name = s("Data");
                    data.io_profile = 1;
                    data.boot = false;
                    vm.disks.push(data);
                    vm.backup_policies.push(BackupPolicy {
                        id: stable_id("dbp", &label),
                        retention: 7,
                        interval: s("daily"),
                        frequency: 1,
                        minute: 0,
                        time: 3,
                        total_size: 42.5,
                    });
                }
                match demo.name {
                    "web-1" => vm.description = Some(s("Primary web server")),
                    "db-1" => vm.description = Some(s("Primary PostgreSQL database")),
                    "lb-1" => vm.description = Some(s("HAProxy load balancer (London)")),
                    "db-4" => {
                        vm.memory_in_gb = Some(32);
                        vm.cpu_cores = Some(8);
                        vm.use_dedicated_cpus = Some(true);
                    }
                    "gpu-1" => {
                        vm.memory_in_gb = Some(64);
                        vm.cpu_cores = Some(16);
                        vm.use_dedicated_cpus = Some(true);
                        vm.gpu = Some((0, stable_id("gpu", &label)));
                        vm.description = Some(s("Inference node"));
                    }
                    "build-1" => vm.attached_iso = Some(0),
                    "legacy-app-1" | "new-app-1" => vm.hypervisor = None,
                    "protected-1" => {
                        vm.description = Some(s("Protected from deletion and power actions"))
                    }
                    _ => {}
                }
                st.insert_vm(vm);
            }
        }
        Some(count) => {
            let teams = ["web", "db", "ops"];
            let envs = ["prod", "staging"];
            for i in 0..count {
                let name = format!("vm-{:05}", i + 1);
                let label = format!("acme:gen:{}", i + 1);
                let zone = i % 3;
                let state = if i % 7 == 6 { "stopped" } else { "started" };
                let mut vm = base_vm(
                    &acme,
                    0,
                    &label,
                    &name,
                    zone,
                    Some(i % 5),
                    &st.catalog,
                    state,
                    VM_EPOCH + i as i64 * 60,
                );
                let n = i as u32;
                let dc = st.catalog.zones[zone].data_center;
                vm.ip_addresses = vec![
                    IpAddress {
                        id: stable_id("ip", &format!("{label}:v4")),
                        address: format!(
                            "100.{}.{}.{}",
                            64 + ((n >> 16) & 15),
                            (n >> 8) & 255,
                            n & 255
                        ),
                        prefix: 24,
                        network: dc,
                        vip: false,
                        label: None,
                        reverse_dns: vm.fqdn.clone(),
                    },
                    IpAddress {
                        id: stable_id("ip", &format!("{label}:v6")),
                        address: format!("2001:db8:{:x}:1::{:x}", 0x10 + dc, n + 1),
                        prefix: 64,
                        network: dc,
                        vip: false,
                        label: None,
                        reverse_dns: vm.fqdn.clone(),
                    },
                ];
                vm.hypervisor = Some(zone * 3 + (i / 3) % 3);
                vm.tags = vec![if i % 2 == 0 { 0 } else { 1 }];
                vm.annotations = vec![ann("team", teams[i % 3]), ann("env", envs[i % 2])];
                st.insert_vm(vm);
            }
        }
    }
    for (n, (org_idx, name, zone, package, state)) in OTHER.iter().enumerate() {
        let org = st.orgs[*org_idx].clone();
        let label = format!("{}:{}", org.sub_domain, name);
        let mut vm = base_vm(
            &org,
            *org_idx,
            &label,
            name,
            *zone,
            Some(*package),
            &st.catalog,
            state,
            VM_EPOCH + 86_400 * (45 + n as i64 * 11),
        );
        let dc = st.catalog.zones[*zone].data_center;
        vm.ip_addresses = ips_for(&label, &vm.fqdn, dc, 60 + n, 2);
        vm.annotations = vec![ann("env", "prod")];
        st.insert_vm(vm);
    }
    st
}

/// A fresh id generator for run-time objects.
pub fn runtime_ids() -> IdGen {
    IdGen::new(0x4B41_5441_5055_4C54) // "KATAPULT"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_world_is_deterministic() {
        let a = seeded(None, 0);
        let b = seeded(None, 5);
        assert_eq!(a.vms.len(), b.vms.len());
        for (x, y) in a.vms.iter().zip(b.vms.iter()) {
            assert_eq!(x.id, y.id);
            assert_eq!(x.fqdn, y.fqdn);
        }
        assert!(a.vm_by_fqdn.contains_key("web-1.acme.katapult.cloud"));
        assert_eq!(a.orgs[0].vms.len(), DEMO.len());
    }

    #[test]
    fn generated_world() {
        let st = seeded(Some(10_000), 0);
        assert_eq!(st.orgs[0].vms.len(), 10_000);
        assert_eq!(st.vm_by_id.len(), 10_000 + OTHER.len());
        assert!(st.vm_by_fqdn.contains_key("vm-10000.acme.katapult.cloud"));
    }
}
