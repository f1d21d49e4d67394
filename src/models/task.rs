//! Tasks: the background jobs power actions and builds queue.

use super::TaskStatus;
use serde::{Deserialize, Serialize};
use tsify::Tsify;

/// A task as a power action or build returns it (`…200ResponseTask`).
#[derive(Tsify, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[tsify(missing_as_null)]
pub struct TaskRef {
    /// Task id (`task_…`), for `getTask` / `waitForTask`.
    pub id: String,
    /// What the task does.
    pub name: String,
    /// Current status.
    pub status: TaskStatus,
}

/// `Task`: the full record from `GET /tasks/task`.
#[derive(Tsify, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[tsify(missing_as_null)]
pub struct Task {
    /// Task id (`task_…`).
    pub id: String,
    /// What the task does.
    pub name: String,
    /// Current status.
    pub status: TaskStatus,
    /// Creation time (Unix seconds).
    pub created_at: i64,
    /// Start time (Unix seconds).
    pub started_at: Option<i64>,
    /// Finish time (Unix seconds).
    pub finished_at: Option<i64>,
    /// Progress, 0–100.
    pub progress: i64,
}

/// Result of `shutdownVirtualMachine` and the other power actions.
#[derive(Tsify, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[tsify(missing_as_null)]
pub struct TaskResponse {
    /// The queued task.
    pub task: TaskRef,
}

/// Result of `getTask`.
#[derive(Tsify, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[tsify(missing_as_null)]
pub struct GetTaskResponse {
    /// The task.
    pub task: Task,
}
