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

/// Where an error's `detail` is in the answer's body. The module never
/// builds the body as a tree (a hostile 20 MB `detail` would stay in its
/// memory for good): it says where the detail is, and JavaScript takes it
/// from its own `JSON.parse` of the body.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum DetailAt {
    /// No detail (absent or `null`), or one the client made itself.
    #[default]
    None,
    /// `body.error.detail`, an object (the live API's wrapped form).
    Wrapped,
    /// `body.detail`, an object (the document's bare form).
    Bare,
    /// `body.error.detail`, not an object: kept as `{ value }`.
    WrappedValue,
    /// `body.detail`, not an object: kept as `{ value }`.
    BareValue,
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
    /// A detail the client made (a failed task, a failed build).
    pub detail: Option<Value>,
    /// Where the API's own `detail` is in the answer's body.
    pub detail_at: DetailAt,
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
            detail_at: DetailAt::None,
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

    /// Maps a non-2xx response to an error. Never fails: any body, any
    /// status. Memory: a few small strings, whatever the body's size.
    pub fn from_response(status: u16, body: &[u8], request_id: Option<String>) -> Self {
        // Only an object is an error body (serde would read a struct from an
        // array too), and only JSON as serde_json reads a value (UTF-8
        // strings, finite numbers; checked in one pass, however deep).
        let object = body.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{')
            && crate::validate::is_json(body);
        let parsed = object.then(|| Body::read(body)).flatten();
        let err = match parsed.as_ref().and_then(error_object) {
            Some((obj, wrapped)) => from_error_object(status, &obj, wrapped),
            None => from_status(status),
        };
        err.with_request_id(request_id)
    }

    /// The API's `detail` as a value, read from the `body` this error came
    /// from (for native callers and tests; the package reads it with
    /// `JSON.parse`).
    pub fn detail_in(&self, body: &[u8]) -> Option<Value> {
        if self.detail_at == DetailAt::None {
            return self.detail.clone();
        }
        let body: Value = serde_json::from_slice(body).ok()?;
        let wrapped = matches!(self.detail_at, DetailAt::Wrapped | DetailAt::WrappedValue);
        let holder = if wrapped { body.get("error")? } else { &body };
        let detail = holder.get("detail")?.clone();
        match self.detail_at {
            DetailAt::WrappedValue | DetailAt::BareValue => {
                Some(serde_json::json!({ "value": detail }))
            }
            _ => Some(detail),
        }
    }
}

/// The members of an error body the client reads, each as the raw JSON
/// text of its value (borrowed from the body: nothing is built). Of a
/// repeated member the last counts, as with `JSON.parse`.
#[derive(Default)]
struct Body<'a> {
    error: Option<&'a [u8]>,
    code: Option<&'a [u8]>,
    description: Option<&'a [u8]>,
    detail: Option<&'a [u8]>,
}

impl<'a> Body<'a> {
    /// The members of an object's text; `None` for anything else.
    fn read(text: &'a [u8]) -> Option<Body<'a>> {
        let mut body = Body::default();
        for (key, raw) in crate::json::members(text)? {
            match key.as_str() {
                "error" => body.error = Some(raw),
                "code" => body.code = Some(raw),
                "description" => body.description = Some(raw),
                "detail" => body.detail = Some(raw),
                _ => {}
            }
        }
        Some(body)
    }
}

/// An error object's members, read.
struct ErrorObject {
    code: String,
    description: Option<String>,
    /// `Some(true)`: an object; `Some(false)`: another value; `None`: none.
    detail: Option<bool>,
}

/// A member's value as a string, if it is one.
fn text(raw: Option<&[u8]>) -> Option<String> {
    match crate::json::parse(raw?)? {
        Value::String(s) => Some(s),
        _ => None,
    }
}

/// Reads an error object's members; `None` without a non-empty string code.
fn read_object(body: &Body) -> Option<ErrorObject> {
    let code = text(body.code).filter(|c| !c.is_empty())?;
    let detail = body.detail.and_then(|d| match d {
        b"null" => None,
        d => Some(d.starts_with(b"{")),
    });
    Some(ErrorObject {
        code,
        description: text(body.description),
        detail,
    })
}

/// Finds the error object in a body: wrapped `{"error":{…}}` (then `true`)
/// or bare `{…}`, with a non-empty string `code`.
fn error_object(body: &Body) -> Option<(ErrorObject, bool)> {
    let inner = body.error.and_then(Body::read);
    if let Some(obj) = inner.as_ref().and_then(read_object) {
        return Some((obj, true));
    }
    read_object(body).map(|obj| (obj, false))
}

fn from_error_object(status: u16, obj: &ErrorObject, wrapped: bool) -> Error {
    let message = match &obj.description {
        Some(d) if !d.is_empty() => d.clone(),
        _ => format!(
            "The API answered HTTP {status} with error code {}",
            obj.code
        ),
    };
    // `detail` is an object in every documented error; anything else is kept
    // under `value` so callers can always treat it as an object.
    let detail_at = match (obj.detail, wrapped) {
        (None, _) => DetailAt::None,
        (Some(true), true) => DetailAt::Wrapped,
        (Some(true), false) => DetailAt::Bare,
        (Some(false), true) => DetailAt::WrappedValue,
        (Some(false), false) => DetailAt::BareValue,
    };
    Error {
        status,
        detail_at,
        ..Error::client(&obj.code, message)
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

    /// The error and its detail, as JavaScript reads it from the body.
    fn detail(status: u16, body: &str) -> Option<Value> {
        map(status, body).detail_in(body.as_bytes())
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
        assert_eq!(e.detail_at, DetailAt::Wrapped);
        assert_eq!(e.request_id.as_deref(), Some("req_1"));
    }

    #[test]
    fn bare_body_as_the_openapi_document_shows_it() {
        let e = map(
            429,
            r#"{"code":"rate_limit_reached","description":"Slow down","detail":{"total_permitted":750}}"#,
        );
        assert_eq!(e.code, "rate_limit_reached");
        assert_eq!(
            detail(
                429,
                r#"{"code":"rate_limit_reached","detail":{"total_permitted":750}}"#
            ),
            Some(json!({"total_permitted": 750}))
        );
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
                assert_eq!(detail(status, &body), Some(json!({"k": 1})));
            }
        }
    }

    #[test]
    fn null_or_missing_detail_is_none_and_missing_description_gets_a_sentence() {
        let e = map(
            406,
            r#"{"error":{"code":"task_queueing_error","detail":null}}"#,
        );
        assert_eq!((e.detail, e.detail_at), (None, DetailAt::None));
        assert_eq!(
            e.message,
            "The API answered HTTP 406 with error code task_queueing_error"
        );
    }

    #[test]
    fn non_object_detail_is_kept_under_value() {
        let body = r#"{"code":"x","description":"d","detail":["a"]}"#;
        assert_eq!(detail(400, body), Some(json!({"value": ["a"]})));
        let wrapped = r#"{"error":{"code":"x","detail":5}}"#;
        assert_eq!(map(400, wrapped).detail_at, DetailAt::WrappedValue);
        assert_eq!(detail(400, wrapped), Some(json!({"value": 5})));
    }

    #[test]
    fn a_huge_detail_is_not_built() {
        // 2 million array items: read in place, nothing kept.
        let body = format!(
            r#"{{"error":{{"code":"x","description":"d","detail":{{"errors":[{}0]}}}}}}"#,
            "0,".repeat(2_000_000)
        );
        let e = map(500, &body);
        assert_eq!((e.code.as_str(), e.detail_at), ("x", DetailAt::Wrapped));
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
