//! Response decoding: 2xx bodies checked against their shape (or decoded
//! into typed results), everything else into [`Error`]. Pure functions over
//! bytes, so every case is tested natively.

use crate::error::Error;
use crate::schema::{Kind, Shape};
use crate::validate::{validate, Invalid, Path};
use serde::de::DeserializeOwned;

/// Checks one response against `shape`. Any status, any bytes: the missing
/// nullable fields of a valid 2xx body, or a typed `Error`.
pub fn check(
    status: u16,
    body: &[u8],
    shape: &'static Kind,
    request_id: Option<String>,
) -> Result<Vec<Path>, Error> {
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

/// Decodes one response into its typed model: [`check`] first (so the
/// typed reading accepts exactly what the shape does), then serde, where a
/// missing nullable field reads as `None` and a missing array as empty, as
/// the fills of the JavaScript path do. Any status, any bytes: `Ok` or a
/// typed `Error`.
pub fn decode<T: DeserializeOwned + Shape>(
    status: u16,
    body: &[u8],
    request_id: Option<String>,
) -> Result<T, Error> {
    check(status, body, T::SHAPE, request_id.clone())?;
    serde_json::from_slice(body).map_err(|e| {
        Error::invalid_response(
            status,
            format!(
                "The API's HTTP {status} response body does not have the documented shape ({e})"
            ),
        )
        .with_request_id(request_id)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::*;

    #[test]
    fn success_decodes_into_the_type() {
        let body = br#"{"task":{"id":"task_1","name":"Shutdown","status":"pending","extra":1}}"#;
        let r: TaskResponse = decode(200, body, None).unwrap();
        assert_eq!(r.task.id, "task_1");
        assert_eq!(r.task.status, TaskStatus::Pending);
    }

    #[test]
    fn error_statuses_map_to_api_errors() {
        let body = br#"{"error":{"code":"object_in_trash","description":"In trash","detail":{"trash_object":{"id":"trsh_1"}}}}"#;
        let e = decode::<TaskResponse>(406, body, Some("r".into())).unwrap_err();
        assert_eq!(e.code, "object_in_trash");
        assert_eq!(e.detail.unwrap()["trash_object"]["id"], "trsh_1");
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
            let e = decode::<TaskResponse>(200, body, Some("rid".into())).unwrap_err();
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
