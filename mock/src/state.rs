//! The in-memory model: catalogue (zones, packages, …), organizations, VMs,
//! tasks, builds and trash objects.
//!
//! VMs live in one `Vec` in creation order and are never moved; a VM that
//! must disappear (a failed build) is tombstoned with `removed` and dropped
//! from the indexes. Each organization keeps the indexes of its VMs in
//! creation order, so listing one organization never scans another's.

use std::collections::{BTreeMap, HashMap};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::ids::{IdGen, Rng};

/// A disk of a VM.
#[derive(Debug, Clone)]
pub struct Disk {
    /// Id (`disk_…`).
    pub id: String,
    /// Name, e.g. "System Disk".
    pub name: String,
    /// Size.
    pub size_in_gb: i64,
    /// World wide name.
    pub wwn: String,
    /// `built`, `resizing`, …
    pub state: String,
    /// Created.
    pub created_at: i64,
    /// Index of its `disk_io_profile` in the [`Catalog`].
    pub io_profile: usize,
    /// The VM boots from it.
    pub boot: bool,
}

/// A disk backup policy of a VM (all its disks).
#[derive(Debug, Clone)]
pub struct BackupPolicy {
    /// Id (`dbp_…`).
    pub id: String,
    /// Backups kept.
    pub retention: i64,
    /// `hourly`, `daily`, `weekly` or `monthly`.
    pub interval: String,
    /// Every this many intervals.
    pub frequency: i64,
    /// Minute of the hour.
    pub minute: i64,
    /// Hour of the day.
    pub time: i64,
    /// Size of the backups kept, in GB.
    pub total_size: f64,
}

/// An SSH key of an organization.
#[derive(Debug, Clone)]
pub struct SshKey {
    /// Id (`key_…`).
    pub id: String,
    /// Index into [`State::orgs`].
    pub org: usize,
    /// Name.
    pub name: String,
    /// Fingerprint.
    pub fingerprint: String,
}

/// One catalogue object: as the API answers it (the fixture's object, its
/// references filled in) and the ids of the objects it belongs to (a
/// zone's data center).
#[derive(Debug, Clone)]
pub struct Entry {
    /// Its id.
    pub id: String,
    /// The object.
    pub json: Value,
    /// The ids of the objects it is listed under.
    pub owners: Vec<String>,
}

/// Reference data shared by all organizations: every fixture kind the
/// model does not keep typed (zones, packages, tags, …; see
/// [`crate::seed`]), kept as the fixture has it, kind by kind in the
/// fixture's order. Nothing here restates a schema: answers embed these
/// objects as they are, or the fields of them a place lists
/// ([`crate::json::pick`]).
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    kinds: BTreeMap<String, Vec<Entry>>,
}

impl Catalog {
    /// Adds an object of `kind` (the fixture's, or a tag a VM change makes).
    pub fn push(&mut self, kind: &str, entry: Entry) -> usize {
        let list = self.kinds.entry(kind.to_owned()).or_default();
        list.push(entry);
        list.len() - 1
    }

    /// Whether it keeps objects of this kind.
    pub fn has(&self, kind: &str) -> bool {
        self.kinds.contains_key(kind)
    }

    /// The objects of a kind.
    pub fn all(&self, kind: &str) -> &[Entry] {
        self.kinds.get(kind).map_or(&[], Vec::as_slice)
    }

    /// The object of `kind` at `idx`.
    pub fn get(&self, kind: &str, idx: usize) -> Option<&Value> {
        self.all(kind).get(idx).map(|e| &e.json)
    }

    /// The object of `kind` at `idx` as an answer embeds it, or `null`.
    pub fn json(&self, kind: &str, idx: Option<usize>) -> Value {
        idx.and_then(|i| self.get(kind, i))
            .cloned()
            .unwrap_or(Value::Null)
    }

    /// The index of the first object of `kind` that `test` accepts.
    pub fn position(&self, kind: &str, test: impl Fn(&Value) -> bool) -> Option<usize> {
        self.all(kind).iter().position(|e| test(&e.json))
    }

    /// The index of the object of `kind` with this id.
    pub fn index(&self, kind: &str, id: &str) -> Option<usize> {
        self.all(kind).iter().position(|e| e.id == id)
    }

    /// The index of the object of `kind` the lookup `key` names: by its
    /// `id`, or by its field `other` (`{permalink}`, as the routes accept).
    pub fn find(
        &self,
        kind: &str,
        key: &Option<(&'static str, String)>,
        other: &str,
    ) -> Option<usize> {
        self.position(kind, |o| {
            let text = |k: &str| o[k].as_str().unwrap_or("");
            crate::args::finds(key, text("id"), text(other))
        })
    }

    /// A whole-number field of the object of `kind` at `idx`.
    pub fn int(&self, kind: &str, idx: usize, field: &str) -> Option<i64> {
        self.get(kind, idx)?[field].as_i64()
    }

    /// The index of zone `zone`'s data center.
    pub fn data_center_of(&self, zone: usize) -> Option<usize> {
        let id = self.get("zone", zone)?["data_center"]["id"].as_str()?;
        self.index("data_center", id)
    }

    /// The index of the network of zone `zone`'s data center (its public
    /// network; the first network there).
    pub fn network_of(&self, zone: usize) -> usize {
        let dc = self.get("zone", zone).map(|z| &z["data_center"]["id"]);
        self.position("network", |n| Some(&n["data_center"]["id"]) == dc)
            .unwrap_or(0)
    }
}

/// An organization: what the routes read of it, and the object itself.
#[derive(Debug, Clone)]
pub struct Org {
    /// Id (`org_…`).
    pub id: String,
    /// Sub-domain (lookup key).
    pub sub_domain: String,
    /// Domain VM FQDNs hang off.
    pub infrastructure_domain: String,
    /// Suspended: every route naming it answers `organization_suspended`.
    pub suspended: bool,
    /// Activated (`activated_at` is set): else `organization_not_activated`.
    pub activated: bool,
    /// The `Organization` as the API answers it (from the fixture).
    pub json: Value,
    /// Indexes into [`State::vms`] in creation order.
    pub vms: Vec<usize>,
}

/// An IP address allocated to a VM.
#[derive(Debug, Clone)]
pub struct IpAddress {
    /// Id (`ip_…`).
    pub id: String,
    /// The address.
    pub address: String,
    /// Prefix length for `address_with_mask`.
    pub prefix: u8,
    /// Index of its network in the catalogue.
    pub network: usize,
    /// Virtual IP.
    pub vip: bool,
    /// Label.
    pub label: Option<String>,
    /// Reverse DNS.
    pub reverse_dns: String,
}

/// An annotation (the engine's type: one model of annotations for both).
pub use katapult_mock_core::Annotation;

/// A virtual machine.
#[derive(Debug, Clone)]
pub struct Vm {
    /// Id (`vm_…`).
    pub id: String,
    /// Index into [`State::orgs`].
    pub org: usize,
    /// Name.
    pub name: String,
    /// Hostname.
    pub hostname: String,
    /// `{hostname}.{infrastructure_domain}`.
    pub fqdn: String,
    /// Description.
    pub description: Option<String>,
    /// Unix seconds.
    pub created_at: i64,
    /// Root password (only for freshly built VMs).
    pub initial_root_password: Option<String>,
    /// VirtualMachineStateEnum value.
    pub state: String,
    /// Index of its `zone` in the [`Catalog`].
    pub zone: usize,
    /// Index of its `virtual_machine_group` in the [`Catalog`].
    pub group: Option<usize>,
    /// Index of its `virtual_machine_package` in the [`Catalog`].
    pub package: Option<usize>,
    /// Memory.
    pub memory_in_gb: Option<i64>,
    /// vCPUs.
    pub cpu_cores: Option<i64>,
    /// Dedicated CPUs.
    pub use_dedicated_cpus: Option<bool>,
    /// Index of its `iso` in the [`Catalog`].
    pub attached_iso: Option<usize>,
    /// Index of its `gpu_type` in the [`Catalog`], and its GPU's id.
    pub gpu: Option<(usize, String)>,
    /// Indexes of its `tag`s in the [`Catalog`].
    pub tags: Vec<usize>,
    /// IP addresses.
    pub ip_addresses: Vec<IpAddress>,
    /// Index of its `hypervisor` in the [`Catalog`].
    pub hypervisor: Option<usize>,
    /// Annotations.
    pub annotations: Vec<Annotation>,
    /// Id of the trash object when the VM is in the trash.
    pub trash: Option<String>,
    /// Tombstone (a failed build's VM).
    pub removed: bool,
    /// Id of the task currently running against this VM.
    pub busy_task: Option<String>,
    /// Its disks, the boot disk first.
    pub disks: Vec<Disk>,
    /// Its one network interface's id (`vmnic_…`): the IPs are on it.
    pub nic_id: String,
    /// Its disk backup policies.
    pub backup_policies: Vec<BackupPolicy>,
}

/// TaskStatusEnum.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TaskStatus {
    /// Queued.
    Pending,
    /// Running.
    Running,
    /// Done.
    Completed,
    /// Failed.
    Failed,
}

impl TaskStatus {
    /// The wire value.
    pub fn as_str(self) -> &'static str {
        match self {
            TaskStatus::Pending => "pending",
            TaskStatus::Running => "running",
            TaskStatus::Completed => "completed",
            TaskStatus::Failed => "failed",
        }
    }
}

/// A background task (power action or build).
#[derive(Debug, Clone)]
pub struct Task {
    /// Id (`task_…`).
    pub id: String,
    /// Name, e.g. "Shutdown virtual machine".
    pub name: String,
    /// Status.
    pub status: TaskStatus,
    /// Unix seconds.
    pub created_at: i64,
    /// Unix seconds.
    pub started_at: Option<i64>,
    /// Unix seconds.
    pub finished_at: Option<i64>,
    /// Monotonic start, for progress.
    pub started: Instant,
    /// Planned total duration.
    pub duration: Duration,
    /// Progress frozen when finished.
    pub final_progress: Option<u8>,
}

impl Task {
    /// Progress 0..=100 at this moment.
    pub fn progress(&self) -> u8 {
        if let Some(p) = self.final_progress {
            return p;
        }
        match self.status {
            TaskStatus::Pending => 0,
            TaskStatus::Completed => 100,
            TaskStatus::Failed => 0,
            TaskStatus::Running => {
                let total = self.duration.as_secs_f64();
                if total <= 0.0 {
                    return 99;
                }
                let frac = self.started.elapsed().as_secs_f64() / total;
                (frac * 100.0).clamp(1.0, 99.0) as u8
            }
        }
    }
}

/// VirtualMachineBuildStateEnum.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BuildState {
    /// Queued.
    Pending,
    /// VM allocated, building.
    Building,
    /// Done.
    Complete,
    /// Failed.
    Failed,
}

impl BuildState {
    /// The wire value.
    pub fn as_str(self) -> &'static str {
        match self {
            BuildState::Pending => "pending",
            BuildState::Building => "building",
            BuildState::Complete => "complete",
            BuildState::Failed => "failed",
        }
    }
}

/// What a build will create.
#[derive(Debug, Clone)]
pub struct BuildPlan {
    /// VM name.
    pub name: String,
    /// Hostname.
    pub hostname: String,
    /// Zone index.
    pub zone: usize,
    /// Package index.
    pub package: Option<usize>,
    /// Memory when no package.
    pub memory_in_gb: Option<i64>,
    /// vCPUs when no package.
    pub cpu_cores: Option<i64>,
    /// Description.
    pub description: Option<String>,
    /// The build will fail (magic name `fail-build`).
    pub fail: bool,
}

/// A VM build.
#[derive(Debug, Clone)]
pub struct Build {
    /// Id (`vmbuild_…`).
    pub id: String,
    /// Index into [`State::orgs`].
    pub org: usize,
    /// The spec XML as given.
    pub spec_xml: String,
    /// State.
    pub state: BuildState,
    /// The VM once allocated.
    pub vm: Option<usize>,
    /// Unix seconds.
    pub created_at: i64,
    /// Annotations given with the build.
    pub annotations: Vec<Annotation>,
    /// The build's task.
    pub task: String,
    /// What to create.
    pub plan: BuildPlan,
}

/// An object in the trash.
#[derive(Debug, Clone)]
pub struct TrashObject {
    /// Id (`trsh_…`).
    pub id: String,
    /// Unix seconds.
    pub keep_until: i64,
    /// The VM's id.
    pub object_id: String,
    /// "VirtualMachine".
    pub object_type: String,
    /// Index into [`State::vms`].
    pub vm: usize,
}

/// A console session: its page (`/_mock/console/<id>`) names the VM.
#[derive(Debug, Clone)]
pub struct ConsoleSession {
    /// The VM's id.
    pub vm_id: String,
    /// Unix seconds after which its page says it has expired.
    pub expires_at: i64,
}

/// The whole mutable world.
#[derive(Debug)]
pub struct State {
    /// Reference data.
    pub catalog: Catalog,
    /// Organizations in display order.
    pub orgs: Vec<Org>,
    /// All VMs in creation order.
    pub vms: Vec<Vm>,
    /// VM id → index.
    pub vm_by_id: HashMap<String, usize>,
    /// VM FQDN → index.
    pub vm_by_fqdn: HashMap<String, usize>,
    /// Tasks by id.
    pub tasks: HashMap<String, Task>,
    /// Builds by id.
    pub builds: HashMap<String, Build>,
    /// Trash objects by id.
    pub trash: HashMap<String, TrashObject>,
    /// Console sessions by id.
    pub console_sessions: HashMap<String, ConsoleSession>,
    /// Bumped on every reset so stale timers do nothing.
    pub generation: u64,
    /// Randomness for run-time data (hostnames, passwords).
    pub rng: Rng,
    /// Next address for run-time allocated IPs.
    pub next_ip: u32,
    /// SSH keys of every organization, in creation order.
    pub ssh_keys: Vec<SshKey>,
    /// Addresses unallocated from a VM, still the organization's: (org, ip).
    pub unallocated_ips: Vec<(usize, IpAddress)>,
}

/// Current unix time in seconds.
pub fn now_unix() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

impl State {
    /// Index of the organization with this id.
    pub fn org_by_id(&self, id: &str) -> Option<usize> {
        self.orgs.iter().position(|o| o.id == id)
    }

    /// Index of the organization with this sub-domain.
    pub fn org_by_sub_domain(&self, sub_domain: &str) -> Option<usize> {
        self.orgs.iter().position(|o| o.sub_domain == sub_domain)
    }

    /// Insert a VM, indexing it and attaching it to its organization.
    pub fn insert_vm(&mut self, vm: Vm) -> usize {
        let idx = self.vms.len();
        self.vm_by_id.insert(vm.id.clone(), idx);
        self.vm_by_fqdn.insert(vm.fqdn.clone(), idx);
        if let Some(org) = self.orgs.get_mut(vm.org) {
            org.vms.push(idx);
        }
        self.vms.push(vm);
        idx
    }

    /// Tombstone a VM: it disappears from lookups and lists.
    pub fn remove_vm(&mut self, idx: usize) {
        let Some(vm) = self.vms.get_mut(idx) else {
            return;
        };
        vm.removed = true;
        let (id, fqdn, org) = (vm.id.clone(), vm.fqdn.clone(), vm.org);
        if let Some(trash_id) = vm.trash.take() {
            self.trash.remove(&trash_id);
        }
        self.vm_by_id.remove(&id);
        self.vm_by_fqdn.remove(&fqdn);
        if let Some(o) = self.orgs.get_mut(org) {
            o.vms.retain(|i| *i != idx);
        }
    }

    /// Is this hostname used (or reserved by a pending build) in the org?
    pub fn hostname_taken(&self, org: usize, hostname: &str) -> bool {
        let Some(o) = self.orgs.get(org) else {
            return false;
        };
        let in_vms = o.vms.iter().any(|i| {
            self.vms
                .get(*i)
                .is_some_and(|vm| !vm.removed && vm.hostname.eq_ignore_ascii_case(hostname))
        });
        in_vms
            || self.builds.values().any(|b| {
                b.org == org
                    && b.state == BuildState::Pending
                    && b.plan.hostname.eq_ignore_ascii_case(hostname)
            })
    }

    /// Allocate a fresh IPv4/IPv6 pair on a zone's network.
    pub fn allocate_ips(
        &mut self,
        ids: &IdGen,
        zone: usize,
        hostname_fqdn: &str,
    ) -> Vec<IpAddress> {
        let network = self.catalog.network_of(zone);
        let n = self.next_ip;
        self.next_ip = self.next_ip.wrapping_add(1);
        let v4 = format!(
            "100.{}.{}.{}",
            64 + ((n >> 16) & 63),
            (n >> 8) & 255,
            n & 255
        );
        let v6 = format!("2001:db8:ff{:02x}::{:x}", network, n + 1);
        vec![
            IpAddress {
                id: ids.next("ip"),
                address: v4,
                prefix: 24,
                network,
                vip: false,
                label: None,
                reverse_dns: hostname_fqdn.to_string(),
            },
            IpAddress {
                id: ids.next("ip"),
                address: v6,
                prefix: 64,
                network,
                vip: false,
                label: None,
                reverse_dns: hostname_fqdn.to_string(),
            },
        ]
    }
}
