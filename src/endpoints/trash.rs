//! `POST /trash_objects/trash_object/restore`.

use crate::generated::schema as shapes;
use crate::request::{Call, HttpRequest, Method};
use serde_json::json;

/// `POST /trash_objects/trash_object/restore` with `{"trash_object":{"id":…}}`.
pub fn restore(id: &str) -> Call {
    let body = json!({ "trash_object": { "id": id } });
    Call::new(
        HttpRequest::with_body(Method::Post, "/trash_objects/trash_object/restore", &body),
        shapes::POST_TRASH_OBJECT_RESTORE,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_and_decode() {
        let c = restore("trsh_1");
        assert_eq!(
            c.request.body.as_deref(),
            Some(r#"{"trash_object":{"id":"trsh_1"}}"#)
        );
        let r = c
            .decode(
                200,
                br#"{"trash_object":{"id":"trsh_1","keep_until":5,"object_id":"vm_1","object_type":"VirtualMachine"}}"#,
                None,
            )
            .unwrap();
        assert_eq!(r["trash_object"]["object_id"], "vm_1");
    }
}
