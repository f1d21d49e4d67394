//! A VM's network interface and IP addresses: the interfaces, one
//! interface, allocating a new address on it, an address's reverse DNS and
//! label, and unallocating it (the organization keeps it).

use std::sync::Arc;

use serde_json::{json, Value};

use super::virtual_machines::{ensure_not_protected, ensure_not_trashed, vm_to_read};
use super::vm_settings::valid_label;
use super::{paginate, Reply, Route};
use crate::app::App;
use crate::args::Args;
use crate::errors::ApiError;
use crate::json;
use crate::state::{IpAddress, State, Vm};

/// The interface's network (the VM's data center's public network) as
/// interfaces embed it.
fn network_of(st: &State, vm: &Vm) -> Value {
    let network = st
        .catalog
        .json("network", Some(st.catalog.network_of(vm.zone)));
    json::pick(&network, &["id", "name"])
}

/// A made-up MAC address, the same for the same interface.
pub fn mac(nic_id: &str) -> String {
    let h = crate::ids::hash_str(nic_id);
    let b: Vec<String> = (0..5)
        .map(|i| format!("{:02x}", (h >> (i * 8)) & 0xff))
        .collect();
    format!("52:{}", b.join(":"))
}

/// `GET /virtual_machines/virtual_machine/network_interfaces`: one each.
pub fn list(app: &Arc<App>, args: &Args, route: &'static Route) -> Result<Reply, ApiError> {
    let st = app.state();
    let idx = vm_to_read(&st, args, route)?;
    let vm = &st.vms[idx];
    let network = network_of(&st, vm);
    let nic = json!({
        "id": vm.nic_id,
        "name": "eth0",
        "network": network,
        "virtual_network": null,
        "ip_addresses": vm.ip_addresses.iter().map(|ip| json!({ "id": ip.id, "address": ip.address })).collect::<Vec<_>>(),
    });
    let (pagination, list) = paginate(app, args, route, vec![nic])?;
    Ok(Reply::ok(
        json!({ "pagination": pagination, "virtual_machine_network_interfaces": list }),
    ))
}

/// The VM whose interface the `virtual_machine_network_interface` lookup names.
fn nic_vm(st: &State, args: &Args, route: &Route) -> Result<usize, ApiError> {
    let key = args.lookup(
        route.endpoint_id,
        "virtual_machine_network_interface",
        "VirtualMachineNetworkInterfaceLookup",
        &["id"],
    )?;
    let id = key.map(|(_, v)| v).unwrap_or_default();
    let idx = st
        .vms
        .iter()
        .position(|vm| !vm.removed && vm.nic_id == id)
        .ok_or_else(|| ApiError::not_found("virtual_machine_network_interface_not_found"))?;
    ensure_not_trashed(st, idx)?;
    Ok(idx)
}

/// `GET /virtual_machine_network_interfaces/virtual_machine_network_interface`.
pub fn get(app: &Arc<App>, args: &Args, route: &'static Route) -> Result<Reply, ApiError> {
    let st = app.state();
    let idx = nic_vm(&st, args, route)?;
    let vm = &st.vms[idx];
    let network = network_of(&st, vm);
    Ok(Reply::ok(json!({
        "virtual_machine_network_interface": {
            "id": vm.nic_id,
            "virtual_machine": { "id": vm.id, "name": vm.name },
            "name": "eth0",
            "network": network,
            "virtual_network": null,
            "mac_address": mac(&vm.nic_id),
            "state": "attached",
            "ip_addresses": vm.ip_addresses.iter().map(|ip| json!({ "id": ip.id, "address": ip.address })).collect::<Vec<_>>(),
            "speed_profile": { "id": crate::ids::stable_id("nsp", "1gbps"), "name": "1 Gbps", "permalink": "1gbps" },
        }
    })))
}

/// `POST …/virtual_machine_network_interface/allocate_new_ip`: a fresh
/// `ipv4` or `ipv6` address on the interface.
pub fn allocate_new_ip(
    app: &Arc<App>,
    args: &Args,
    route: &'static Route,
) -> Result<Reply, ApiError> {
    let mut st = app.state();
    let idx = nic_vm(&st, args, route)?;
    ensure_not_protected(&st, idx)?;
    let version = match args.0.get("address_version").and_then(Value::as_str) {
        Some("ipv4") => 4,
        Some("ipv6") => 6,
        Some(_) => {
            return Err(crate::args::invalid(
                &["address_version"],
                &format!("{}/BaseArgumentSet", route.endpoint_id),
                "address_version",
                None,
                "invalid_enum_value",
                Vec::new(),
            ))
        }
        None => {
            return Err(crate::args::missing(
                &["address_version"],
                "address_version",
            ))
        }
    };
    let (zone, fqdn) = (st.vms[idx].zone, st.vms[idx].fqdn.clone());
    let mut pair = st.allocate_ips(&app.ids, zone, &fqdn);
    let ip = pair.remove(if version == 4 { 0 } else { 1 });
    let body = json!({ "ip_address": json::ip_address(&st.catalog, &ip, Some(&st.vms[idx].id)) });
    st.vms[idx].ip_addresses.push(ip);
    Ok(Reply::ok(body))
}

/// Where the address the `ip_address` lookup names is: (VM index, IP
/// index) when allocated, else its place among the unallocated ones.
enum Place {
    Vm(usize, usize),
    Free(usize),
}

fn find(st: &State, args: &Args, route: &Route) -> Result<Place, ApiError> {
    let key = args.lookup(
        route.endpoint_id,
        "ip_address",
        "IPAddressLookup",
        &["id", "address"],
    )?;
    let matches = |ip: &IpAddress| crate::args::finds(&key, &ip.id, &ip.address);
    for (v, vm) in st.vms.iter().enumerate() {
        if vm.removed {
            continue;
        }
        if let Some(i) = vm.ip_addresses.iter().position(matches) {
            return Ok(Place::Vm(v, i));
        }
    }
    st.unallocated_ips
        .iter()
        .position(|(_, ip)| matches(ip))
        .map(Place::Free)
        .ok_or_else(|| ApiError::not_found("ip_address_not_found"))
}

/// The address at `place`, and the VM it is allocated to.
fn at<'a>(st: &'a State, place: &Place) -> (&'a IpAddress, Option<&'a Vm>) {
    match place {
        Place::Vm(v, i) => (&st.vms[*v].ip_addresses[*i], Some(&st.vms[*v])),
        Place::Free(i) => (&st.unallocated_ips[*i].1, None),
    }
}

fn answer(st: &State, place: &Place) -> Value {
    let (ip, vm) = at(st, place);
    json::ip_address(&st.catalog, ip, vm.map(|v| &v.id))
}

/// `GET /ip_addresses/ip_address`.
pub fn get_ip(app: &Arc<App>, args: &Args, route: &'static Route) -> Result<Reply, ApiError> {
    let st = app.state();
    let place = find(&st, args, route)?;
    let (_, vm) = at(&st, &place);
    Ok(Reply::ok(json!({
        "ip_address": answer(&st, &place),
        "allocation": vm.map(|v| json!({ "id": v.id, "name": v.name })),
    })))
}

/// A hostname for reverse DNS: dot-separated DNS labels, 253 at most.
fn valid_reverse_dns(name: &str) -> bool {
    let name = name.strip_suffix('.').unwrap_or(name);
    !name.is_empty() && name.len() <= 253 && name.split('.').all(valid_label)
}

/// `PATCH /ip_addresses/ip_address`: `reverse_dns`, `label`, `vip`.
pub fn update_ip(app: &Arc<App>, args: &Args, route: &'static Route) -> Result<Reply, ApiError> {
    let mut st = app.state();
    let place = find(&st, args, route)?;
    if let Place::Vm(v, _) = place {
        ensure_not_protected(&st, v)?;
    }
    let mut errors = Vec::new();
    let reverse_dns = match args.0.get("reverse_dns") {
        None => None,
        Some(Value::String(s)) if valid_reverse_dns(s.trim()) => Some(s.trim().to_owned()),
        Some(_) => {
            errors.push("Reverse DNS must be a valid hostname, such as web-1.example.com".into());
            None
        }
    };
    let label = match args.0.get("label") {
        None => None,
        Some(Value::String(s)) => Some(Some(s.clone()).filter(|s| !s.is_empty())),
        Some(Value::Null) => Some(None),
        Some(_) => {
            errors.push("Label must be a string".into());
            None
        }
    };
    let vip = args.0.get("vip").and_then(Value::as_bool);
    if !errors.is_empty() {
        return Err(ApiError::validation(errors));
    }
    let ip = match place {
        Place::Vm(v, i) => &mut st.vms[v].ip_addresses[i],
        Place::Free(i) => &mut st.unallocated_ips[i].1,
    };
    if let Some(r) = reverse_dns {
        ip.reverse_dns = r;
    }
    if let Some(l) = label {
        ip.label = l;
    }
    if let Some(vip) = vip {
        ip.vip = vip;
    }
    Ok(Reply::ok(json!({ "ip_address": answer(&st, &place) })))
}

/// `POST /ip_addresses/ip_address/unallocate`: the address leaves its VM
/// and stays the organization's; 422 `no_allocation` when it has none.
pub fn unallocate(app: &Arc<App>, args: &Args, route: &'static Route) -> Result<Reply, ApiError> {
    let mut st = app.state();
    match find(&st, args, route)? {
        Place::Free(_) => Err(ApiError::new(422, "no_allocation", json!({}))),
        Place::Vm(v, i) => {
            ensure_not_protected(&st, v)?;
            let ip = st.vms[v].ip_addresses.remove(i);
            let org = st.vms[v].org;
            st.unallocated_ips.push((org, ip));
            Ok(Reply::ok(json!({})))
        }
    }
}
