//! `GET /tasks/task`.

use std::sync::Arc;

use serde_json::json;

use super::{Reply, Route};
use crate::app::App;
use crate::args::Args;
use crate::errors::ApiError;
use crate::json;

/// `GET /tasks/task?task[id]=…`.
pub fn get(app: &Arc<App>, args: &Args, route: &'static Route) -> Result<Reply, ApiError> {
    let key = args.lookup(route.endpoint_id, "task", "TaskLookup", &["id"])?;
    let st = app.state();
    let task = key
        .and_then(|(_, id)| st.tasks.get(&id))
        .ok_or_else(|| ApiError::not_found("task_not_found"))?;
    Ok(Reply::ok(json!({ "task": json::task_full(task) })))
}
