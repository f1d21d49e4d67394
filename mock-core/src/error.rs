//! API error values and their wire format.
//!
//! Every error leaves the server wrapped like Apia does it:
//! `{"error":{"code":"…","description":"…","detail":{…}}}` with the header
//! `x-api-schema: json-error`. Descriptions are the OpenAPI document's texts.

use serde_json::{json, Value};

use crate::document::Document;

/// An error answer from the mock API.
#[derive(Debug, Clone)]
pub struct ApiError {
    /// HTTP status code.
    pub status: u16,
    /// The API error code (`virtual_machine_not_found`, …).
    pub code: String,
    /// Human readable description (`null` on the wire when absent).
    pub description: Option<String>,
    /// The `detail` object.
    pub detail: Box<Value>,
}

/// The OpenAPI description for a known error code (the document's text, so
/// descriptions cannot drift from what the API documents).
pub fn describe(code: &str) -> Option<&'static str> {
    Document::get().describe(code)
}

/// The code a fault's error has when the caller names none and the
/// operation documents none at that status (the mock's choice; the server's
/// faults and the in-process ones share it).
pub fn default_code(status: u16) -> &'static str {
    match status {
        400 => "bad_request",
        401 => "unauthorized",
        403 => "permission_denied",
        404 => "not_found",
        406 => "not_acceptable",
        409 => "conflict",
        422 => "validation_error",
        429 => "rate_limit_reached",
        500 => "internal_server_error",
        502 => "bad_gateway",
        503 => "service_unavailable",
        504 => "gateway_timeout",
        _ => "error",
    }
}

impl ApiError {
    /// An error with the given status, code and detail; the description is
    /// looked up from the OpenAPI texts.
    pub fn new(status: u16, code: &str, detail: Value) -> Self {
        Self {
            status,
            code: code.to_string(),
            description: describe(code).map(str::to_string),
            detail: Box::new(detail),
        }
    }

    /// Replace the description.
    pub fn with_description(mut self, description: Option<String>) -> Self {
        self.description = description;
        self
    }

    /// The wrapped JSON body.
    pub fn body(&self) -> Value {
        json!({
            "error": {
                "code": self.code,
                "description": self.description,
                "detail": self.detail,
            }
        })
    }

    /// 404 `route_not_found` as Apia's Rack layer reports it.
    pub fn route_not_found(api_path: &str, method: &str) -> Self {
        Self::new(404, "route_not_found", json!({}))
            .with_description(Some(format!("No route matches '{api_path}' for {method}")))
    }

    /// 500 `unhandled_exception` (what Apia answers in production when
    /// something below it raises, e.g. a query string Rack cannot parse).
    pub fn unhandled() -> Self {
        Self::new(500, "unhandled_exception", json!({})).with_description(None)
    }

    /// 400 `missing_api_token`.
    pub fn missing_api_token() -> Self {
        Self::new(400, "missing_api_token", json!({}))
    }

    /// 403 `invalid_api_token`.
    pub fn invalid_api_token() -> Self {
        Self::new(403, "invalid_api_token", json!({ "details": null }))
    }

    /// 403 `scope_not_granted` listing the endpoint's scopes.
    pub fn scope_not_granted(scopes: &[&str]) -> Self {
        Self::new(403, "scope_not_granted", json!({ "scopes": scopes }))
    }

    /// 403 `permission_denied`.
    pub fn permission_denied(details: &str) -> Self {
        Self::new(403, "permission_denied", json!({ "details": details }))
    }

    /// 429 `rate_limit_reached`.
    pub fn rate_limited(total_permitted: u64) -> Self {
        Self::new(
            429,
            "rate_limit_reached",
            json!({ "total_permitted": total_permitted }),
        )
    }

    /// 404 with an empty detail (`virtual_machine_not_found`, …).
    pub fn not_found(code: &str) -> Self {
        Self::new(404, code, json!({}))
    }

    /// 406 `object_in_trash` carrying the trash object.
    pub fn object_in_trash(trash_object: Value) -> Self {
        Self::new(
            406,
            "object_in_trash",
            json!({ "trash_object": trash_object }),
        )
    }

    /// 406 `task_queueing_error`.
    pub fn task_queueing(details: &str) -> Self {
        Self::new(406, "task_queueing_error", json!({ "details": details }))
    }

    /// 403 `organization_suspended`.
    pub fn organization_suspended() -> Self {
        Self::new(403, "organization_suspended", json!({}))
    }

    /// 403 `organization_not_activated`.
    pub fn organization_not_activated() -> Self {
        Self::new(403, "organization_not_activated", json!({}))
    }

    /// 400 `invalid_json_body`.
    pub fn invalid_json(message: &str) -> Self {
        Self::new(400, "invalid_json_body", json!({ "details": message }))
    }

    /// 400 `invalid_spec_xml`; `errors` is a string as in the OpenAPI schema.
    pub fn invalid_spec_xml(errors: &str) -> Self {
        Self::new(400, "invalid_spec_xml", json!({ "errors": errors }))
    }

    /// 422 `validation_error` with a list of messages.
    pub fn validation(errors: Vec<String>) -> Self {
        Self::new(422, "validation_error", json!({ "errors": errors }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_is_wrapped() {
        let e = ApiError::not_found("task_not_found");
        let b = e.body();
        assert_eq!(b["error"]["code"], "task_not_found");
        assert!(b["error"]["description"].is_string());
        assert_eq!(b["error"]["detail"], json!({}));
    }
}
