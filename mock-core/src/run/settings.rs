//! Behaviours that check what the document cannot say about an argument,
//! and the effects that follow: a VM's settings (`PATCH`: name, hostname
//! and FQDN, description, tags by name, group), an IP address's reverse
//! DNS and label, a new address on an interface, an SSH key's form, and the
//! disk template catalogue's filters.

use serde_json::{json, Map, Value};

use super::behaviour::{found_of, Outcome};
use super::{Found, Obj, Run};
use crate::args::{self, Args};
use crate::error::ApiError;
use crate::ids::hash_str;
use crate::store::Record;

/// A DNS label: letters, digits and hyphens, 1–63, no hyphen at either end.
fn valid_label(h: &str) -> bool {
    !h.is_empty()
        && h.len() <= 63
        && !h.starts_with('-')
        && !h.ends_with('-')
        && h.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// A hostname for reverse DNS: dot-separated DNS labels, 253 at most.
fn valid_hostname(name: &str) -> bool {
    let name = name.strip_suffix('.').unwrap_or(name);
    !name.is_empty() && name.len() <= 253 && name.split('.').all(valid_label)
}

/// An optional boolean argument (`true`/`false`, as JSON or query text).
fn boolean(run: &Run, args: &Args, name: &str, default: bool) -> Result<bool, ApiError> {
    match args.0.get(name) {
        None | Some(Value::Null) => Ok(default),
        Some(Value::Bool(b)) => Ok(*b),
        Some(Value::String(s)) if s == "true" || s == "1" => Ok(true),
        Some(Value::String(s)) if s == "false" || s == "0" => Ok(false),
        Some(_) => Err(args::invalid(
            &[name],
            &format!("{}/BaseArgumentSet", run.plan.endpoint),
            name,
            None,
            "invalid_boolean",
            Vec::new(),
        )),
    }
}

/// An organization's disk templates: without the universal ones when
/// `include_universal` is false, only one operating system's when
/// `operating_system` names it.
pub(super) fn disk_templates(
    run: &mut Run,
    args: &Args,
    found: &Found,
) -> Result<Outcome, ApiError> {
    let universal = boolean(run, args, "include_universal", true)?;
    let os = found_of(found, "operating_system").map(|o| o.id.clone());
    let parent = run.parent(found).map(|o| (o.kind.clone(), o.id.clone()));
    let items = run
        .list(
            "disk_template",
            parent.as_ref().map(|(k, i)| (k.as_str(), i.as_str())),
        )
        .into_iter()
        .filter(|t| universal || t.data["universal"] != true)
        .filter(|t| {
            os.as_deref()
                .is_none_or(|id| t.data["operating_system"]["id"].as_str() == Some(id))
        })
        .collect();
    run.items = Some(items);
    Ok(Outcome::Generic)
}

/// A new SSH key: a name and an OpenSSH public key (`type base64
/// [comment]`), else 422 `validation_error`; its fingerprint is the key's.
pub(super) fn ssh_key(run: &mut Run, args: &Args, _: &Found) -> Result<Outcome, ApiError> {
    let props = args.0.get("ssh_key").and_then(Value::as_object);
    let text = |name: &str| {
        props
            .and_then(|p| p.get(name))
            .and_then(Value::as_str)
            .map(str::trim)
            .unwrap_or("")
    };
    let (name, public) = (text("name"), text("key"));
    let mut errors = Vec::new();
    if name.is_empty() {
        errors.push("Name can't be blank".to_owned());
    }
    let mut parts = public.split_whitespace();
    let well_formed = matches!(
        (parts.next(), parts.next()),
        (Some(kind), Some(body)) if (kind.starts_with("ssh-") || kind.starts_with("ecdsa-"))
            && body.len() >= 16
            && body.bytes().all(|b| b.is_ascii_alphanumeric() || b"+/=".contains(&b))
    );
    if !well_formed {
        errors.push("Key is not a valid SSH public key".to_owned());
    }
    if !errors.is_empty() {
        return Err(ApiError::validation(errors));
    }
    let digest = hash_str(public);
    let fingerprint = format!("SHA256:{digest:016x}{:016x}", digest.rotate_left(17));
    run.preset.insert("name".into(), json!(name));
    run.preset.insert("fingerprint".into(), json!(fingerprint));
    Ok(Outcome::Generic)
}

/// Sets `fields` on one of the engine's objects, and on the copies of it
/// that the objects it belongs to embed in `list` (a VM's and an
/// interface's `ip_addresses`).
fn change_own(run: &mut Run, obj: &Obj, fields: Map<String, Value>, list: Option<&str>) {
    let store = &mut run.engine.store;
    let Some(r) = store.get_mut(&obj.kind, &obj.id) else {
        return;
    };
    r.data.extend(fields);
    let data = Value::Object(r.data.clone());
    let Some(list) = list else {
        return;
    };
    for (kind, id) in &obj.links {
        if let Some(Value::Array(items)) =
            store.get_mut(kind, id).and_then(|o| o.data.get_mut(list))
        {
            for item in items.iter_mut().filter(|i| i["id"] == obj.id.as_str()) {
                *item = data.clone();
            }
        }
    }
}

/// An address's reverse DNS (a hostname), label (empty: none) and `vip`;
/// the VM and interface it is on show the change too.
pub(super) fn update_ip(run: &mut Run, args: &Args, found: &Found) -> Result<Outcome, ApiError> {
    let mut errors = Vec::new();
    let mut fields = Map::new();
    match args.0.get("reverse_dns") {
        None => {}
        Some(Value::String(s)) if valid_hostname(s.trim()) => {
            fields.insert("reverse_dns".into(), json!(s.trim()));
        }
        Some(_) => {
            errors.push("Reverse DNS must be a valid hostname, such as web-1.example.com".into())
        }
    }
    match args.0.get("label") {
        None => {}
        Some(Value::String(s)) if !s.is_empty() => {
            fields.insert("label".into(), json!(s));
        }
        Some(Value::String(_) | Value::Null) => {
            fields.insert("label".into(), Value::Null);
        }
        Some(_) => errors.push("Label must be a string".into()),
    }
    if let Some(vip) = args.0.get("vip").and_then(Value::as_bool) {
        fields.insert("vip".into(), json!(vip));
    }
    if !errors.is_empty() {
        return Err(ApiError::validation(errors));
    }
    let Some(ip) = run.subject(found).cloned().filter(|ip| ip.own) else {
        return Ok(Outcome::Generic);
    };
    change_own(run, &ip, fields, Some("ip_addresses"));
    Ok(Outcome::Done(run.refetch(&ip)))
}

/// A new `ipv4` or `ipv6` address on an interface: allocated to its VM, on
/// its network, with the VM's FQDN as reverse DNS; the VM and interface
/// list it.
pub(super) fn allocate_ip(run: &mut Run, args: &Args, found: &Found) -> Result<Outcome, ApiError> {
    let version = match args.0.get("address_version") {
        Some(Value::String(v)) if v == "ipv4" => 4,
        Some(Value::String(v)) if v == "ipv6" => 6,
        None | Some(Value::Null) => {
            return Err(args::missing(&["address_version"], "address_version"))
        }
        Some(_) => {
            return Err(args::invalid(
                &["address_version"],
                &format!("{}/BaseArgumentSet", run.plan.endpoint),
                "address_version",
                None,
                "invalid_enum_value",
                Vec::new(),
            ))
        }
    };
    let Some(nic) = run.subject(found).cloned().filter(|n| n.own) else {
        return Ok(Outcome::Generic);
    };
    let Some(vm) = run.vm_of(&nic) else {
        return Ok(Outcome::Generic);
    };
    let network = nic.data["network"]["id"]
        .as_str()
        .and_then(|n| run.find("network", "id", n))
        .map_or_else(|| nic.data["network"].clone(), |(o, _)| o.data);
    let id = run.engine.new_id("ip_address");
    let n = hash_str(&id);
    let (address, prefix) = match version {
        4 => (
            format!(
                "100.{}.{}.{}",
                64 + ((n >> 16) & 63),
                (n >> 8) & 255,
                n & 255
            ),
            24,
        ),
        _ => (format!("2001:db8:ff00::{:x}", n & 0xffff_ffff), 64),
    };
    let source = json!({
        "id": id,
        "address": address,
        "address_with_mask": format!("{address}/{prefix}"),
        "allocation_id": vm.id,
        "allocation_type": "VirtualMachine",
        "label": null,
        "network": network,
        "reverse_dns": vm.data["fqdn"],
        "vip": false,
    });
    let Value::Object(data) = run.full("ip_address", &id, &source) else {
        return Err(ApiError::unhandled());
    };
    let mut links = vec![
        (vm.kind.clone(), vm.id.clone()),
        (nic.kind.clone(), nic.id.clone()),
    ];
    links.extend(
        vm.links
            .iter()
            .filter(|(k, _)| k == "organization")
            .cloned(),
    );
    for (kind, owner) in &links[..2] {
        if let Some(Value::Array(items)) = run
            .engine
            .store
            .get_mut(kind, owner)
            .and_then(|o| o.data.get_mut("ip_addresses"))
        {
            items.push(Value::Object(data.clone()));
        }
    }
    let record = Record {
        kind: "ip_address".into(),
        id,
        data,
        annotations: Vec::new(),
        links,
        created_ms: run.now_ms,
    };
    let obj = run.record_obj(&record);
    run.engine.store.insert(record);
    Ok(Outcome::Done(Some(obj)))
}

/// A text property: absent, `null`, or a string (else an error).
fn text(props: &Map<String, Value>, key: &str, errors: &mut Vec<String>) -> Option<Option<String>> {
    match props.get(key) {
        None => None,
        Some(Value::String(s)) => Some(Some(s.clone())),
        Some(Value::Null) => Some(None),
        Some(_) => {
            errors.push(format!("{key} must be a string"));
            None
        }
    }
}

/// A VM's settings: a name that is not blank, a hostname that is a DNS
/// label no other VM of its organization has (the FQDN follows it), a
/// description (empty: none), tags by name (tags are made for names not
/// seen before) and a group (`{ id }`, or `null` for none).
pub(super) fn update_vm(run: &mut Run, args: &Args, found: &Found) -> Result<Outcome, ApiError> {
    let Some(vm) = run.subject(found).cloned() else {
        return Ok(Outcome::Generic);
    };
    let props = args
        .0
        .get("properties")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let mut errors = Vec::new();
    let name = text(&props, "name", &mut errors);
    let hostname = text(&props, "hostname", &mut errors);
    let description = text(&props, "description", &mut errors);
    if name
        .as_ref()
        .is_some_and(|n| n.as_deref().is_none_or(|n| n.trim().is_empty()))
    {
        errors.push("Name can't be blank".into());
    }
    let old_hostname = vm.data["hostname"].as_str().unwrap_or_default().to_owned();
    if let Some(Some(h)) = &hostname {
        let org = vm.links.iter().find(|(k, _)| k == "organization").cloned();
        let taken = || {
            run.list(
                "virtual_machine",
                org.as_ref().map(|(k, i)| (k.as_str(), i.as_str())),
            )
            .iter()
            .any(|o| {
                o.id != vm.id
                    && o.data["hostname"]
                        .as_str()
                        .is_some_and(|x| x.eq_ignore_ascii_case(h))
            })
        };
        if !valid_label(h) {
            errors.push("Hostname is invalid (letters, digits and hyphens only)".into());
        } else if !h.eq_ignore_ascii_case(&old_hostname) && taken() {
            errors.push("Hostname has already been taken".into());
        }
    }
    let tags = match props.get("tag_names") {
        None => None,
        Some(Value::Array(list)) if list.iter().all(Value::is_string) => {
            let mut names: Vec<String> = Vec::new();
            for t in list.iter().filter_map(Value::as_str).map(str::trim) {
                if !t.is_empty() && !names.iter().any(|n| n == t) {
                    names.push(t.to_owned());
                }
            }
            Some(names)
        }
        Some(_) => {
            errors.push("tag_names must be a list of strings".into());
            None
        }
    };
    let group = match props.get("group") {
        None => None,
        Some(Value::Null) => Some(Value::Null),
        Some(Value::Object(g)) => match g.get("id").and_then(Value::as_str) {
            Some(id) => match run.find("virtual_machine_group", "id", id) {
                Some((o, _)) => Some(o.data),
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
    if !vm.own {
        return Ok(Outcome::Generic);
    }
    let mut fields = Map::new();
    if let Some(Some(name)) = name {
        fields.insert("name".into(), json!(name));
    }
    if let Some(d) = description {
        fields.insert("description".into(), json!(d.filter(|d| !d.is_empty())));
    }
    if let Some(Some(h)) = hostname {
        let fqdn = vm.data["fqdn"].as_str().unwrap_or_default();
        let domain = fqdn
            .strip_prefix(&format!("{old_hostname}."))
            .map(str::to_owned)
            .or_else(|| {
                vm.data["organization"]["infrastructure_domain"]
                    .as_str()
                    .map(str::to_owned)
            })
            .unwrap_or_default();
        fields.insert("fqdn".into(), json!(format!("{h}.{domain}")));
        fields.insert("hostname".into(), json!(h));
    }
    if let Some(g) = group {
        fields.insert("group".into(), g);
    }
    if let Some(names) = tags {
        let list = names.iter().map(|n| tag(run, n)).collect();
        fields.insert("tags".into(), Value::Array(list));
        fields.insert("tag_names".into(), json!(names));
    }
    change_own(run, &vm, fields, None);
    if let Some(a) = args.annotations(&run.plan.endpoint, false)? {
        if let Some(r) = run.engine.store.get_mut(&vm.kind, &vm.id) {
            r.annotations = a;
        }
    }
    Ok(Outcome::Done(run.refetch(&vm)))
}

/// The tag of this name, made when there is none.
fn tag(run: &mut Run, name: &str) -> Value {
    if let Some((o, _)) = run.find("tag", "name", name) {
        return o.data;
    }
    let id = run.engine.new_id("tag");
    let source = json!({ "id": id, "name": name, "color": "light_gray", "created_at": run.now() });
    let Value::Object(data) = run.full("tag", &id, &source) else {
        return source;
    };
    run.engine.store.insert(Record {
        kind: "tag".into(),
        id,
        data: data.clone(),
        annotations: Vec::new(),
        links: Vec::new(),
        created_ms: run.now_ms,
    });
    Value::Object(data)
}

/// The networks an organization can build on: every data center's
/// networks (its public one), which belong to the data centers, not to it.
pub(super) fn available_networks(run: &mut Run, _: &Args, _: &Found) -> Result<Outcome, ApiError> {
    let networks: Vec<Value> = run
        .list("network", None)
        .into_iter()
        .map(|n| n.data)
        .collect();
    run.extra.insert("networks".into(), Value::Array(networks));
    Ok(Outcome::Generic)
}
