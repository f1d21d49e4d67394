//! `POST /trash_objects/trash_object/restore`.

use std::sync::Arc;

use serde_json::json;

use super::{Reply, Route};
use crate::app::App;
use crate::args::Args;
use crate::errors::ApiError;
use crate::json;

/// Restore a trashed VM (lookup by trash object `id` or `object_id`).
pub fn restore(app: &Arc<App>, args: &Args, route: &'static Route) -> Result<Reply, ApiError> {
    let key = args.lookup(
        route.endpoint_id,
        "trash_object",
        "TrashObjectLookup",
        &["id", "object_id"],
    )?;
    let mut st = app.state();
    let trash_id = match key {
        Some(("id", v)) => st.trash.contains_key(&v).then_some(v),
        Some((_, v)) => st
            .trash
            .values()
            .find(|t| t.object_id == v)
            .map(|t| t.id.clone()),
        None => None,
    }
    .ok_or_else(|| ApiError::not_found("trash_object_not_found"))?;
    let trash = st
        .trash
        .remove(&trash_id)
        .ok_or_else(|| ApiError::not_found("trash_object_not_found"))?;
    if let Some(vm) = st.vms.get_mut(trash.vm) {
        vm.trash = None;
    }
    Ok(Reply::ok(
        json!({ "trash_object": json::trash_object(&trash) }),
    ))
}
