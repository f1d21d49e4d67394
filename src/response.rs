//! Response decoding: 2xx bodies checked against their documented shape,
//! everything else into [`Error`]. Pure functions over
//! bytes, so every case is tested natively.

use crate::error::Error;
use crate::schema::TyRef;
use crate::validate::{validate, Invalid};
use serde_json::Value;

/// Checks one response against `shape`. Any status, any bytes: `Ok` for a
/// 2xx body of the documented shape, else a typed `Error`.
pub fn check(
    status: u16,
    body: &[u8],
    shape: TyRef,
    request_id: Option<String>,
) -> Result<(), Error> {
    if !(200..300).contains(&status) {
        return Err(Error::from_response(status, body, request_id));
    }
    validate(body, shape).map_err(|invalid| {
        let (why, detail) = match invalid {
            Invalid::Syntax(d) => ("is not valid JSON", d),
            Invalid::Shape(d) => ("does not have the documented shape", d),
        };
        Error::invalid_response(
            status,
            format!("The API's HTTP {status} response body {why} ({detail})"),
        )
        .with_request_id(request_id)
    })
}

/// [`check`], then the body as JSON data, as `JSON.parse` gives it to
/// JavaScript: what the API sent, nothing added. Any status, any bytes:
/// `Ok` or a typed `Error`.
pub fn decode(
    status: u16,
    body: &[u8],
    shape: TyRef,
    request_id: Option<String>,
) -> Result<Value, Error> {
    check(status, body, shape, request_id.clone())?;
    serde_json::from_slice(body).map_err(|e| {
        Error::invalid_response(
            status,
            format!("The API's HTTP {status} response body is not valid JSON ({e})"),
        )
        .with_request_id(request_id)
    })
}

/// A `text/plain` answer: the body's text for a 2xx (refused as
/// `invalid_response` when it is not UTF-8), else the API's error.
pub fn text(status: u16, body: &[u8], request_id: Option<String>) -> Result<String, Error> {
    if !(200..300).contains(&status) {
        return Err(Error::from_response(status, body, request_id));
    }
    String::from_utf8(body.to_vec()).map_err(|_| {
        Error::invalid_response(
            status,
            format!("The API's HTTP {status} text answer is not UTF-8"),
        )
        .with_request_id(request_id)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generated::operations::POST_VIRTUAL_MACHINE_SHUTDOWN;
    use crate::schema::TyRef;

    const TASK: TyRef = POST_VIRTUAL_MACHINE_SHUTDOWN.answer;
    use serde_json::json;

    #[test]
    fn success_is_the_body_as_sent() {
        let body = br#"{"task":{"id":"task_1","name":"Shutdown","status":"pending","extra":1}}"#;
        let r = decode(200, body, TASK, None).unwrap();
        assert_eq!(
            r,
            json!({"task":{"id":"task_1","name":"Shutdown","status":"pending","extra":1}})
        );
        // Only `task` is required: a task with only an id is an answer too.
        let sparse = decode(200, br#"{"task":{"id":"task_1"}}"#, TASK, None).unwrap();
        assert_eq!(sparse, json!({"task":{"id":"task_1"}}));
    }

    #[test]
    fn text_answers_are_their_text() {
        assert_eq!(
            text(200, b"ssh-ed25519 AAAA k", None).as_deref(),
            Ok("ssh-ed25519 AAAA k")
        );
        assert_eq!(
            text(200, b"\xff", None).unwrap_err().code,
            "invalid_response"
        );
        let e = text(
            404,
            br#"{"error":{"code":"no_virtual_machine_for_api_token","description":"d"}}"#,
            None,
        );
        assert_eq!(e.unwrap_err().code, "no_virtual_machine_for_api_token");
    }

    #[test]
    fn error_statuses_map_to_api_errors() {
        let body = br#"{"error":{"code":"object_in_trash","description":"In trash","detail":{"trash_object":{"id":"trsh_1"}}}}"#;
        let e = decode(406, body, TASK, Some("r".into())).unwrap_err();
        assert_eq!(e.code, "object_in_trash");
        assert_eq!(e.detail_in(body).unwrap()["trash_object"]["id"], "trsh_1");
    }

    #[test]
    fn bad_success_bodies_are_invalid_response_with_status() {
        for (body, why) in [
            (&b""[..], "is not valid JSON"),
            (b"{\"task\":{\"id\":", "is not valid JSON"),
            (b"<html>oops</html>", "is not valid JSON"),
            (b"{}", "does not have the documented shape"),
            (
                b"{\"task\":{\"id\":5,\"name\":\"x\",\"status\":\"pending\"}}",
                "does not have the documented shape",
            ),
            (b"[]", "does not have the documented shape"),
        ] {
            let e = decode(200, body, TASK, Some("rid".into())).unwrap_err();
            assert_eq!(e.code, "invalid_response");
            assert_eq!(e.status, 200);
            assert_eq!(e.request_id.as_deref(), Some("rid"));
            assert!(
                e.message.contains(why),
                "{}: {}",
                String::from_utf8_lossy(body),
                e.message
            );
        }
    }
}
