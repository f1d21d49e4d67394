//! The one error type every failure becomes, and the mapping from HTTP
//! responses to it.
//!
//! The live API wraps error bodies as `{"error":{"code","description","detail"}}`;
//! the OpenAPI document shows the bare `{"code","description","detail"}` form.
//! Both are accepted. A body that is neither keeps the HTTP status and becomes
//! `invalid_response`, unless the status alone says what happened (429, 503).

use serde_json::Value;
use std::fmt;

/// Error codes produced by the client itself (the server's codes are passed
/// through verbatim).
pub mod codes {
    /// An argument failed validation; no request was sent.
    pub const INVALID_ARGUMENT: &str = "invalid_argument";
    /// The request could not be sent or no response arrived.
    pub const NETWORK_ERROR: &str = "network_error";
    /// An attempt took longer than `timeoutMs`.
    pub const TIMEOUT: &str = "timeout";
    /// The caller's `AbortSignal` fired.
    pub const ABORTED: &str = "aborted";
    /// The body was not JSON or not the documented shape.
    pub const INVALID_RESPONSE: &str = "invalid_response";
    /// A waited-for task finished in the `failed` state.
    pub const TASK_FAILED: &str = "task_failed";
    /// A waited-for build finished in the `failed` state.
    pub const BUILD_FAILED: &str = "build_failed";
    /// HTTP 429 without a Katapult error body.
    pub const RATE_LIMIT_REACHED: &str = "rate_limit_reached";
    /// HTTP 503 without a Katapult error body.
    pub const SERVICE_UNAVAILABLE: &str = "service_unavailable";
}

/// A failed call: the API's own error, or a client-side one.
///
/// `status` is the HTTP status, or 0 when no response was involved, so a
/// server's `invalid_argument` (400) stays distinguishable from the client's.
#[derive(Clone, Debug, PartialEq)]
pub struct Error {
    /// The API's error code, or one of [`codes`].
    pub code: String,
    /// HTTP status, 0 for client-side errors.
    pub status: u16,
    /// The API's `description`, or a client-side sentence.
    pub message: String,
    /// The API's `detail` value, when it sent one.
    pub detail: Option<Value>,
    /// The `X-Request-Id` response header, when readable.
    pub request_id: Option<String>,
}

impl Error {
    /// A client-side error (status 0, no detail).
    pub fn client(code: &str, message: impl Into<String>) -> Self {
        Error {
            code: code.to_owned(),
            status: 0,
            message: message.into(),
            detail: None,
            request_id: None,
        }
    }

    /// `invalid_argument`: the caller passed something unusable.
    pub fn invalid_argument(message: impl Into<String>) -> Self {
        Self::client(codes::INVALID_ARGUMENT, message)
    }

    /// `invalid_response` for a response with the given status.
    pub fn invalid_response(status: u16, message: impl Into<String>) -> Self {
        Error {
            status,
            ..Self::client(codes::INVALID_RESPONSE, message)
        }
    }

    /// Attaches a detail value.
    pub fn with_detail(mut self, detail: Value) -> Self {
        self.detail = Some(detail);
        self
    }

    /// Attaches the request id of the response that caused it.
    pub fn with_request_id(mut self, request_id: Option<String>) -> Self {
        self.request_id = request_id;
        self
    }

    /// Maps a non-2xx response to an error. Never fails: any body, any status.
    pub fn from_response(status: u16, body: &[u8], request_id: Option<String>) -> Self {
        let parsed = serde_json::from_slice::<Value>(body).ok();
        let err = match parsed.as_ref().and_then(error_object) {
            Some(obj) => from_error_object(status, obj),
            None => from_status(status),
        };
        err.with_request_id(request_id)
    }
}

/// Finds the error object in a body: wrapped `{"error":{…}}` or bare `{…}`,
/// with a non-empty string `code`.
fn error_object(body: &Value) -> Option<&serde_json::Map<String, Value>> {
    let has_code = |o: &serde_json::Map<String, Value>| {
        o.get("code")
            .and_then(Value::as_str)
            .is_some_and(|c| !c.is_empty())
    };
    let obj = body.as_object()?;
    if let Some(inner) = obj.get("error").and_then(Value::as_object) {
        if has_code(inner) {
            return Some(inner);
        }
    }
    has_code(obj).then_some(obj)
}

fn from_error_object(status: u16, obj: &serde_json::Map<String, Value>) -> Error {
    let code = obj.get("code").and_then(Value::as_str).unwrap_or_default();
    let message = match obj.get("description").and_then(Value::as_str) {
        Some(d) if !d.is_empty() => d.to_owned(),
        _ => format!("The API answered HTTP {status} with error code {code}"),
    };
    // `detail` is an object in every documented error; anything else is kept
    // under `value` so callers can always treat it as an object.
    let detail = match obj.get("detail") {
        None | Some(Value::Null) => None,
        Some(d @ Value::Object(_)) => Some(d.clone()),
        Some(other) => Some(serde_json::json!({ "value": other })),
    };
    Error {
        code: code.to_owned(),
        status,
        message,
        detail,
        request_id: None,
    }
}

fn from_status(status: u16) -> Error {
    match status {
        429 => Error {
            status,
            ..Error::client(
                codes::RATE_LIMIT_REACHED,
                "The API answered HTTP 429: the rate limit has been reached",
            )
        },
        503 => Error {
            status,
            ..Error::client(
                codes::SERVICE_UNAVAILABLE,
                "The API answered HTTP 503: the service is currently unavailable",
            )
        },
        _ => Error::invalid_response(
            status,
            format!("The API answered HTTP {status} with a body that is not a Katapult error"),
        ),
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl std::error::Error for Error {}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn map(status: u16, body: &str) -> Error {
        Error::from_response(status, body.as_bytes(), Some("req_1".into()))
    }

    #[test]
    fn wrapped_body_as_the_live_api_sends_it() {
        let e = map(
            404,
            r#"{"error":{"code":"virtual_machine_not_found","description":"No virtual machine was found","detail":{}}}"#,
        );
        assert_eq!(e.code, "virtual_machine_not_found");
        assert_eq!(e.status, 404);
        assert_eq!(e.message, "No virtual machine was found");
        assert_eq!(e.detail, Some(json!({})));
        assert_eq!(e.request_id.as_deref(), Some("req_1"));
    }

    #[test]
    fn bare_body_as_the_openapi_document_shows_it() {
        let e = map(
            429,
            r#"{"code":"rate_limit_reached","description":"Slow down","detail":{"total_permitted":750}}"#,
        );
        assert_eq!(e.code, "rate_limit_reached");
        assert_eq!(e.detail, Some(json!({"total_permitted": 750})));
    }

    #[test]
    fn every_documented_code_passes_through_in_both_shapes() {
        let cases = [
            (400, "missing_api_token"),
            (400, "invalid_spec_xml"),
            (400, "invalid_argument"),
            (403, "invalid_api_token"),
            (403, "unauthorized_network_for_api_token"),
            (403, "invalid_capabilities_token"),
            (403, "scope_not_granted"),
            (403, "permission_denied"),
            (403, "organization_suspended"),
            (403, "organization_not_activated"),
            (404, "virtual_machine_not_found"),
            (404, "organization_not_found"),
            (404, "task_not_found"),
            (404, "build_not_found"),
            (404, "trash_object_not_found"),
            (406, "object_in_trash"),
            (406, "task_queueing_error"),
            (422, "validation_error"),
            (429, "rate_limit_reached"),
            (503, "service_unavailable"),
        ];
        for (status, code) in cases {
            let bare = json!({"code": code, "description": "d", "detail": {"k": 1}}).to_string();
            let wrapped = json!({"error": {"code": code, "description": "d", "detail": {"k": 1}}})
                .to_string();
            for body in [bare, wrapped] {
                let e = map(status, &body);
                assert_eq!((e.code.as_str(), e.status), (code, status), "{body}");
                assert_eq!(e.message, "d");
                assert_eq!(e.detail, Some(json!({"k": 1})));
            }
        }
    }

    #[test]
    fn null_or_missing_detail_is_none_and_missing_description_gets_a_sentence() {
        let e = map(
            406,
            r#"{"error":{"code":"task_queueing_error","detail":null}}"#,
        );
        assert_eq!(e.detail, None);
        assert_eq!(
            e.message,
            "The API answered HTTP 406 with error code task_queueing_error"
        );
    }

    #[test]
    fn non_object_detail_is_kept_under_value() {
        let e = map(400, r#"{"code":"x","description":"d","detail":["a"]}"#);
        assert_eq!(e.detail, Some(json!({"value": ["a"]})));
    }

    #[test]
    fn html_proxy_page_is_invalid_response_with_status_kept() {
        let e = map(502, "<html><body>Bad Gateway</body></html>");
        assert_eq!(e.code, codes::INVALID_RESPONSE);
        assert_eq!(e.status, 502);
        assert_eq!(e.request_id.as_deref(), Some("req_1"));
    }

    #[test]
    fn status_alone_names_429_and_503() {
        assert_eq!(map(429, "Too Many Requests").code, "rate_limit_reached");
        assert_eq!(map(503, "").code, "service_unavailable");
        assert_eq!(map(503, "").status, 503);
    }

    #[test]
    fn json_that_is_not_an_error_object_is_invalid_response() {
        for body in [
            "[]",
            "{}",
            r#"{"code":5}"#,
            r#"{"error":"nope"}"#,
            r#"{"error":{"code":null}}"#,
            r#"{"error":{"code":""}}"#,
            r#"{"code":""}"#,
            "null",
            "\"x\"",
        ] {
            assert_eq!(map(500, body).code, codes::INVALID_RESPONSE, "{body}");
        }
    }

    #[test]
    fn wrapped_without_code_falls_back_to_a_bare_code_beside_it() {
        let e = map(400, r#"{"error":{"description":"x"},"code":"odd"}"#);
        assert_eq!(e.code, "odd");
    }

    #[test]
    fn client_errors_have_status_zero() {
        let e = Error::invalid_argument("vm must be an object");
        assert_eq!(e.status, 0);
        assert_eq!(e.to_string(), "invalid_argument: vm must be an object");
    }
}
