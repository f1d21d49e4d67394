//! The server's model as the engine sees it ([`katapult_mock_core::Host`]).
//!
//! The kinds the hand-written routes serve stay in the server's model
//! ([`State`]) until those routes move onto the engine; the engine finds and
//! lists them here, so an organization, VM or disk named in any operation
//! is the same one the hand-written routes answer for. Objects come out in
//! the shapes of [`crate::json`] (the engine fills what they lack); the
//! catalogue as the fixture has it. The host keeps every kind of the
//! fixture, so the engine loads none of it a second time.

use katapult_mock_core::{ApiError, Host, HostObject};
use serde_json::{json, Value};

use crate::json;
use crate::routes::{backups, disks, network};
use crate::seed;
use crate::state::{IpAddress, State, Vm};

/// The kinds the model keeps besides the fixture's ([`seed::TYPED`], the
/// catalogue): what the routes create at run time.
const RUN_TIME: &[&str] = &["task", "virtual_machine_build", "trash_object"];

/// [`State`] as a [`Host`].
pub struct StateHost<'a> {
    /// The model (locked by the caller).
    pub st: &'a mut State,
}

/// An object with no annotations or refusal.
fn plain(object: Value) -> HostObject {
    HostObject::new(object)
}

/// Whether `key` of an object with this `id` and other keys is `value`.
fn is(key: &str, value: &str, id: &str, others: &[(&str, &str)]) -> bool {
    match key {
        "id" => id == value,
        _ => others.iter().any(|(k, v)| *k == key && *v == value),
    }
}

impl StateHost<'_> {
    fn live_vms(&self) -> impl Iterator<Item = &Vm> {
        self.st.vms.iter().filter(|vm| !vm.removed)
    }

    fn vm(&self, vm: &Vm) -> HostObject {
        let refusal = vm
            .trash
            .as_ref()
            .and_then(|t| self.st.trash.get(t))
            .map(|t| ApiError::object_in_trash(json::trash_object(t)));
        HostObject {
            object: json::vm_full(self.st, vm),
            annotations: vm.annotations.clone(),
            refusal,
        }
    }

    fn org(&self, i: usize) -> Option<HostObject> {
        let o = self.st.orgs.get(i)?;
        let refusal = match (o.suspended, o.activated) {
            (true, _) => Some(ApiError::organization_suspended()),
            (false, false) => Some(ApiError::organization_not_activated()),
            _ => None,
        };
        Some(HostObject {
            object: o.json.clone(),
            annotations: Vec::new(),
            refusal,
        })
    }

    fn ip(&self, ip: &IpAddress, vm: Option<&Vm>) -> HostObject {
        plain(json::ip_address(&self.st.catalog, ip, vm.map(|v| &v.id)))
    }

    fn nic(&self, vm: &Vm) -> HostObject {
        let cat = &self.st.catalog;
        let net = cat.json("network", Some(cat.network_of(vm.zone)));
        plain(json!({
            "id": vm.nic_id,
            "name": "eth0",
            "virtual_machine": { "id": vm.id, "name": vm.name, "fqdn": vm.fqdn },
            "network": json::pick(&net, json::PART),
            "virtual_network": null,
            "mac_address": network::mac(&vm.nic_id),
            "state": "attached",
            "ip_addresses": vm.ip_addresses.iter().map(|ip| json!({ "id": ip.id, "address": ip.address })).collect::<Vec<_>>(),
        }))
    }

    /// Every object of an owned kind, each with the ids of the objects it
    /// belongs to (its VM, organization, data center).
    fn all(&self, kind: &str) -> Vec<(HostObject, Vec<String>)> {
        let st = &*self.st;
        let cat = &st.catalog;
        let org_id = |org: usize| st.orgs.get(org).map(|o| o.id.clone()).unwrap_or_default();
        match kind {
            "organization" => (0..st.orgs.len())
                .filter_map(|i| self.org(i))
                .map(|o| (o, vec![]))
                .collect(),
            "virtual_machine" => self
                .live_vms()
                .filter(|vm| vm.trash.is_none())
                .map(|vm| (self.vm(vm), vec![org_id(vm.org)]))
                .collect(),
            "disk" => self
                .live_vms()
                .flat_map(|vm| {
                    vm.disks.iter().map(move |d| {
                        let owners = vec![vm.id.clone(), org_id(vm.org)];
                        (plain(disks::disk_full(st, vm, d)), owners)
                    })
                })
                .collect(),
            "ip_address" => {
                let mut out: Vec<(HostObject, Vec<String>)> = self
                    .live_vms()
                    .flat_map(|vm| {
                        vm.ip_addresses.iter().map(move |ip| {
                            let owners = vec![vm.id.clone(), vm.nic_id.clone(), org_id(vm.org)];
                            (self.ip(ip, Some(vm)), owners)
                        })
                    })
                    .collect();
                out.extend(
                    st.unallocated_ips
                        .iter()
                        .map(|(org, ip)| (self.ip(ip, None), vec![org_id(*org)])),
                );
                out
            }
            "ssh_key" => st
                .ssh_keys
                .iter()
                .map(|k| {
                    let key = json!({ "id": k.id, "name": k.name, "fingerprint": k.fingerprint });
                    (plain(key), vec![org_id(k.org)])
                })
                .collect(),
            "task" => st
                .tasks
                .values()
                .map(|t| (plain(json::task_full(t)), vec![]))
                .collect(),
            "virtual_machine_build" => st
                .builds
                .values()
                .map(|b| (plain(json::build_full(st, b)), vec![org_id(b.org)]))
                .collect(),
            "trash_object" => st
                .trash
                .values()
                .map(|t| {
                    let org = st.vms.get(t.vm).map(|vm| org_id(vm.org));
                    (plain(json::trash_object(t)), org.into_iter().collect())
                })
                .collect(),
            "virtual_machine_network_interface" => self
                .live_vms()
                .map(|vm| (self.nic(vm), vec![vm.id.clone(), org_id(vm.org)]))
                .collect(),
            "disk_backup_policy" => self
                .live_vms()
                .flat_map(|vm| {
                    vm.backup_policies.iter().map(move |p| {
                        let mut owners = vec![vm.id.clone(), org_id(vm.org)];
                        owners.extend(vm.disks.iter().map(|d| d.id.clone()));
                        (plain(backups::policy_full(p)), owners)
                    })
                })
                .collect(),
            // The catalogue: the fixture's objects, listed under what
            // they belong to (a zone under its data center).
            _ => cat
                .all(kind)
                .iter()
                .map(|e| (plain(e.json.clone()), e.owners.clone()))
                .collect(),
        }
    }
}

impl Host for StateHost<'_> {
    fn owns(&self, kind: &str) -> bool {
        seed::TYPED.contains(&kind) || RUN_TIME.contains(&kind) || self.st.catalog.has(kind)
    }

    fn find(&self, kind: &str, key: &str, value: &str) -> Option<HostObject> {
        let st = &*self.st;
        match kind {
            // Trashed VMs are found (and refused with `object_in_trash`).
            "virtual_machine" => {
                let idx = match key {
                    "id" => st.vm_by_id.get(value),
                    "fqdn" => st.vm_by_fqdn.get(value),
                    _ => None,
                }?;
                st.vms
                    .get(*idx)
                    .filter(|vm| !vm.removed)
                    .map(|vm| self.vm(vm))
            }
            "organization" => {
                let i = st
                    .orgs
                    .iter()
                    .position(|o| is(key, value, &o.id, &[("sub_domain", &o.sub_domain)]))?;
                self.org(i)
            }
            _ => self.all(kind).into_iter().map(|(o, _)| o).find(|o| {
                let text = |k: &str| o.object[k].as_str().map(str::to_owned);
                match key {
                    "id" => o.id() == value,
                    _ => text(key).is_some_and(|t| t == value),
                }
            }),
        }
    }

    fn list(&self, kind: &str, parent: Option<(&str, &str)>) -> Vec<HostObject> {
        let all = self.all(kind);
        match parent {
            None => all.into_iter().map(|(o, _)| o).collect(),
            Some((_, id)) => all
                .into_iter()
                .filter(|(_, owners)| owners.is_empty() || owners.iter().any(|o| o == id))
                .map(|(o, _)| o)
                .collect(),
        }
    }

    fn remove(&mut self, kind: &str, id: &str) -> bool {
        let st = &mut *self.st;
        match kind {
            "ssh_key" => {
                let before = st.ssh_keys.len();
                st.ssh_keys.retain(|k| k.id != id);
                st.ssh_keys.len() < before
            }
            "trash_object" => match st.trash.get(id).map(|t| t.vm) {
                Some(vm) => {
                    st.remove_vm(vm);
                    true
                }
                None => false,
            },
            "disk" => st.vms.iter_mut().any(|vm| {
                let before = vm.disks.len();
                vm.disks.retain(|d| d.id != id);
                vm.disks.len() < before
            }),
            "disk_backup_policy" => st.vms.iter_mut().any(|vm| {
                let before = vm.backup_policies.len();
                vm.backup_policies.retain(|p| p.id != id);
                vm.backup_policies.len() < before
            }),
            "ip_address" => {
                let before = st.unallocated_ips.len();
                st.unallocated_ips.retain(|(_, ip)| ip.id != id);
                st.unallocated_ips.len() < before
                    || st.vms.iter_mut().any(|vm| {
                        let before = vm.ip_addresses.len();
                        vm.ip_addresses.retain(|ip| ip.id != id);
                        vm.ip_addresses.len() < before
                    })
            }
            _ => false,
        }
    }
}
