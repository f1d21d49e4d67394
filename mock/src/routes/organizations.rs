//! `GET /organizations` and `GET /organizations/organization/virtual_machines`.

use std::sync::Arc;

use serde_json::{json, Value};

use super::{Reply, Route};
use crate::app::App;
use crate::args::Args;
use crate::errors::ApiError;
use crate::json;
use crate::state::{Annotation, State, Vm};

/// Parse the `organization` lookup argument.
pub fn org_lookup(args: &Args, route: &Route) -> Result<Option<(&'static str, String)>, ApiError> {
    args.lookup(
        route.endpoint_id,
        "organization",
        "OrganizationLookup",
        &["id", "sub_domain"],
    )
}

/// Resolve an organization lookup: not found, suspended, not activated.
pub fn resolve_org(st: &State, key: Option<(&'static str, String)>) -> Result<usize, ApiError> {
    let idx = match key {
        Some(("id", v)) => st.org_by_id(&v),
        Some((_, v)) => st.org_by_sub_domain(&v),
        None => None,
    }
    .ok_or_else(|| ApiError::not_found("organization_not_found"))?;
    let org = &st.orgs[idx];
    if org.suspended {
        return Err(ApiError::organization_suspended());
    }
    if !org.activated {
        return Err(ApiError::organization_not_activated());
    }
    Ok(idx)
}

/// `GET /organizations`.
pub fn list(app: &Arc<App>, _args: &Args, _route: &'static Route) -> Result<Reply, ApiError> {
    let st = app.state();
    let orgs: Vec<Value> = st.orgs.iter().map(json::org_summary).collect();
    Ok(Reply::ok(json!({ "organizations": orgs })))
}

fn matches(vm: &Vm, filter: &[Annotation]) -> bool {
    filter.iter().all(|f| vm.annotations.iter().any(|a| a == f))
}

/// `GET /organizations/organization/virtual_machines`.
pub fn virtual_machines(
    app: &Arc<App>,
    args: &Args,
    route: &'static Route,
) -> Result<Reply, ApiError> {
    let id = route.endpoint_id;
    let key = org_lookup(args, route)?;
    let filter = args.annotations(id, true)?.unwrap_or_default();
    let (page, per_page) = super::page_args(app, args, route)?;

    let st = app.state();
    let org = resolve_org(&st, key)?;
    let per = per_page as usize;
    let start = (page as u64 - 1).saturating_mul(per_page as u64);
    let start = usize::try_from(start).unwrap_or(usize::MAX);
    let mut total = 0usize;
    let mut items = Vec::with_capacity(per.min(256));
    for idx in &st.orgs[org].vms {
        let Some(vm) = st.vms.get(*idx) else { continue };
        if vm.removed || vm.trash.is_some() || !matches(vm, &filter) {
            continue;
        }
        if total >= start && items.len() < per {
            items.push(json::vm_summary(&st, vm));
        }
        total += 1;
    }
    let large = app.config.large_sets && total > 1000;
    let total_pages = total.div_ceil(per);
    let pagination = if large {
        json!({
            "current_page": page,
            "total_pages": null,
            "total": null,
            "per_page": per_page,
            "large_set": true,
        })
    } else {
        json!({
            "current_page": page,
            "total_pages": total_pages,
            "total": total,
            "per_page": per_page,
            "large_set": false,
        })
    };
    Ok(Reply::ok(json!({
        "pagination": pagination,
        "virtual_machines": items,
    })))
}
