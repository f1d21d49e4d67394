//! `GET /tasks/task`.

use crate::models::GetTaskResponse;
use crate::request::{Call, HttpRequest};

/// `GET /tasks/task?task[id]=…`.
pub fn get(id: &str) -> Call<GetTaskResponse> {
    Call::new(HttpRequest::get(
        "/tasks/task",
        vec![("task[id]".into(), id.to_owned())],
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::TaskStatus;

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
        assert_eq!(r.task.status, TaskStatus::Completed);
        assert_eq!(r.task.finished_at, None);
    }
}
