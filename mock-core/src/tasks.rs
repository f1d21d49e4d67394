//! The engine's tasks: every operation whose answer carries a `task` starts
//! one, named by the operation's documented summary ("Delete trash
//! object"), and it runs on the clock the engine is handed: `pending` for
//! the first fifth of its time, then `running` with growing `progress`,
//! then `completed` (or `failed`, when the engine was told to fail the
//! operation's tasks). A task is a record like any other, of kind `task`;
//! its state is worked out from its age whenever it is answered.

use serde_json::{json, Map, Value};

/// The status and progress of a task `elapsed_ms` into `total_ms`.
pub fn status(elapsed_ms: u64, total_ms: u64, fail: bool) -> (&'static str, u64) {
    let total = total_ms.max(1);
    if elapsed_ms >= total_ms {
        return match fail {
            true => ("failed", 0),
            false => ("completed", 100),
        };
    }
    if elapsed_ms * 5 < total {
        return ("pending", 0);
    }
    ("running", (elapsed_ms * 100 / total).clamp(1, 99))
}

/// A new task's fields.
pub fn new(id: &str, name: &str, now_ms: u64) -> Map<String, Value> {
    let now = now_ms / 1000;
    let task = json!({
        "id": id,
        "name": name,
        "status": "pending",
        "created_at": now,
        "started_at": null,
        "finished_at": null,
        "progress": 0,
    });
    task.as_object().cloned().unwrap_or_default()
}

/// Brings a task's fields up to `now_ms`.
pub fn refresh(task: &mut Map<String, Value>, created_ms: u64, now_ms: u64, total_ms: u64) {
    let fail = task.get("_fail").and_then(Value::as_bool).unwrap_or(false);
    let (status, progress) = status(now_ms.saturating_sub(created_ms), total_ms, fail);
    let started = (created_ms + total_ms / 5) / 1000;
    let finished = (created_ms + total_ms) / 1000;
    task.insert("status".into(), json!(status));
    task.insert("progress".into(), json!(progress));
    if status != "pending" {
        task.insert("started_at".into(), json!(started));
    }
    if matches!(status, "completed" | "failed") {
        task.insert("finished_at".into(), json!(finished));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_task_runs_and_completes() {
        assert_eq!(status(0, 1000, false), ("pending", 0));
        assert_eq!(status(500, 1000, false), ("running", 50));
        assert_eq!(status(1000, 1000, false), ("completed", 100));
        assert_eq!(status(1000, 1000, true).0, "failed");
        assert_eq!(status(0, 0, false), ("completed", 100));
        let mut t = new("task_1", "Start virtual machine", 10_000);
        refresh(&mut t, 10_000, 12_000, 1500);
        assert_eq!(
            (t["status"].clone(), t["finished_at"].clone()),
            (json!("completed"), json!(11))
        );
    }
}
