//! What a build form picks from: data centers, zones, VM packages, an
//! organization's disk templates, SSH keys and available networks.

use std::sync::Arc;

use serde_json::{json, Value};

use super::organizations::{org_lookup, resolve_org};
use super::{paginate, Reply, Route};
use crate::app::App;
use crate::args::{self, Args};
use crate::errors::ApiError;
use crate::json;
use crate::state::Catalog;

/// `GET /data_centers`: each with its country's `id` and `name`.
pub fn data_centers(
    app: &Arc<App>,
    _args: &Args,
    _route: &'static Route,
) -> Result<Reply, ApiError> {
    let st = app.state();
    let list: Vec<Value> = st
        .catalog
        .all("data_center")
        .iter()
        .map(|dc| {
            let mut part = json::pick(&dc.json, json::PART);
            part["country"] = json::pick(&dc.json["country"], &["id", "name"]);
            part
        })
        .collect();
    Ok(Reply::ok(json!({ "data_centers": list })))
}

/// `GET /zones`.
pub fn zones(app: &Arc<App>, _args: &Args, _route: &'static Route) -> Result<Reply, ApiError> {
    let st = app.state();
    let cat = &st.catalog;
    let list: Vec<Value> = (0..cat.all("zone").len())
        .map(|i| json::zone_part(cat, i))
        .collect();
    Ok(Reply::ok(json!({ "zones": list })))
}

/// `GET /virtual_machine_packages` (the organization is optional: its
/// private packages, of which the mock has none).
pub fn packages(app: &Arc<App>, args: &Args, route: &'static Route) -> Result<Reply, ApiError> {
    let key = match args.0.get("organization") {
        None | Some(Value::Null) => None,
        Some(_) => org_lookup(args, route)?,
    };
    let st = app.state();
    if key.is_some() {
        resolve_org(&st, key)?;
    }
    let all = objects(&st.catalog, "virtual_machine_package");
    let (pagination, list) = paginate(app, args, route, all)?;
    Ok(Reply::ok(
        json!({ "pagination": pagination, "virtual_machine_packages": list }),
    ))
}

/// Every catalogue object of a kind, as the fixture has it.
pub fn objects(cat: &Catalog, kind: &str) -> Vec<Value> {
    cat.all(kind).iter().map(|e| e.json.clone()).collect()
}

/// An optional boolean argument (`true`/`false`, as JSON or query text).
fn boolean(args: &Args, route: &Route, name: &str, default: bool) -> Result<bool, ApiError> {
    match args.0.get(name) {
        None | Some(Value::Null) => Ok(default),
        Some(Value::Bool(b)) => Ok(*b),
        Some(Value::String(s)) if s == "true" || s == "1" => Ok(true),
        Some(Value::String(s)) if s == "false" || s == "0" => Ok(false),
        Some(_) => Err(args::invalid(
            &[name],
            &format!("{}/BaseArgumentSet", route.endpoint_id),
            name,
            None,
            "invalid_boolean",
            Vec::new(),
        )),
    }
}

/// `GET /organizations/organization/disk_templates`; `operating_system`
/// narrows the list to one operating system's templates.
pub fn disk_templates(
    app: &Arc<App>,
    args: &Args,
    route: &'static Route,
) -> Result<Reply, ApiError> {
    let key = org_lookup(args, route)?;
    let universal = boolean(args, route, "include_universal", true)?;
    let os = match args.0.get("operating_system") {
        None | Some(Value::Null) => None,
        Some(_) => Some(
            args.lookup(
                route.endpoint_id,
                "operating_system",
                "OperatingSystemLookup",
                &["id"],
            )?
            .map(|(_, id)| id)
            .unwrap_or_default(),
        ),
    };
    let st = app.state();
    resolve_org(&st, key)?;
    let of_os = |t: &Value| match &os {
        None => true,
        Some(id) => t["operating_system"]["id"].as_str() == Some(id),
    };
    let all = objects(&st.catalog, "disk_template");
    if os.is_some() && !all.iter().any(of_os) {
        return Err(ApiError::not_found("operating_system_not_found"));
    }
    let all = all
        .into_iter()
        .filter(|t| universal || t["universal"] != true)
        .filter(|t| of_os(t))
        .collect();
    let (pagination, list) = paginate(app, args, route, all)?;
    Ok(Reply::ok(
        json!({ "pagination": pagination, "disk_templates": list }),
    ))
}

/// `GET /organizations/organization/ssh_keys`.
pub fn ssh_keys(app: &Arc<App>, args: &Args, route: &'static Route) -> Result<Reply, ApiError> {
    let key = org_lookup(args, route)?;
    let st = app.state();
    let org = resolve_org(&st, key)?;
    let all = st
        .ssh_keys
        .iter()
        .filter(|k| k.org == org)
        .map(|k| json!({ "id": k.id, "name": k.name, "fingerprint": k.fingerprint }))
        .collect();
    let (pagination, list) = paginate(app, args, route, all)?;
    Ok(Reply::ok(
        json!({ "pagination": pagination, "ssh_keys": list }),
    ))
}

/// `GET /organizations/organization/available_networks`: each data
/// center's public network (the default one); no virtual networks.
pub fn available_networks(
    app: &Arc<App>,
    args: &Args,
    route: &'static Route,
) -> Result<Reply, ApiError> {
    let key = org_lookup(args, route)?;
    let st = app.state();
    resolve_org(&st, key)?;
    let networks: Vec<Value> = st
        .catalog
        .all("network")
        .iter()
        .map(|n| {
            let mut part = json::pick(&n.json, &["id", "name", "permalink", "default"]);
            part["data_center"] = json::pick(&n.json["data_center"], json::PART);
            part
        })
        .collect();
    Ok(Reply::ok(
        json!({ "networks": networks, "virtual_networks": [] }),
    ))
}

/// `POST /organizations/organization/ssh_keys`: a name and an OpenSSH
/// public key (`type base64 [comment]`); 422 `validation_error` otherwise.
pub fn add_ssh_key(app: &Arc<App>, args: &Args, route: &'static Route) -> Result<Reply, ApiError> {
    let key = org_lookup(args, route)?;
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
    let mut st = app.state();
    let org = resolve_org(&st, key)?;
    if !errors.is_empty() {
        return Err(ApiError::validation(errors));
    }
    let digest = crate::ids::hash_str(public);
    let ssh_key = crate::state::SshKey {
        id: app.ids.next("key"),
        org,
        name: name.to_owned(),
        fingerprint: format!("SHA256:{digest:016x}{:016x}", digest.rotate_left(17)),
    };
    let body = json!({ "ssh_key": { "id": ssh_key.id, "name": ssh_key.name, "fingerprint": ssh_key.fingerprint } });
    st.ssh_keys.push(ssh_key);
    Ok(Reply { status: 201, body })
}
