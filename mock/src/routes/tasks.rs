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
    let id = key.map(|(_, id)| id).unwrap_or_default();
    let st = app.state();
    if let Some(task) = st.tasks.get(&id) {
        return Ok(Reply::ok(json!({ "task": json::task_full(task) })));
    }
    // Tasks of the operations the engine answers are the engine's.
    app.engine()
        .task(&id, crate::pipeline::now_ms())
        .map(Reply::ok)
        .ok_or_else(|| ApiError::not_found("task_not_found"))
}
