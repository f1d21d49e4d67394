//! `GET /tasks/task`.

use crate::generated::schema as shapes;
use crate::request::{Call, HttpRequest};

/// `GET /tasks/task?task[id]=…`.
pub fn get(id: &str) -> Call {
    Call::new(
        HttpRequest::get("/tasks/task", vec![("task[id]".into(), id.to_owned())]),
        shapes::GET_TASK,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_and_decode() {
        let c = get("task_1");
        assert_eq!(c.request.url(""), "/tasks/task?task[id]=task_1");
        let r = c
            .decode(
                200,
                br#"{"task":{"id":"task_1","name":"n","status":"completed","created_at":1,"started_at":2,"finished_at":null,"progress":100}}"#,
                None,
            )
            .unwrap();
        assert_eq!(r["task"]["status"], "completed");
        assert_eq!(r["task"]["finished_at"], serde_json::Value::Null);
        // A task with only an id and a status is a task.
        let sparse = c
            .decode(200, br#"{"task":{"id":"task_1","status":"running"}}"#, None)
            .unwrap();
        assert_eq!(
            sparse,
            serde_json::json!({"task":{"id":"task_1","status":"running"}})
        );
    }
}
