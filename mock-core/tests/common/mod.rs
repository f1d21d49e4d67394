//! What the engine's integration tests share: sending it a JSON request and
//! a GET, with no host, at a time they choose.

use katapult_mock_core::{Answer, Engine, NoHost, Request};
use serde_json::Value;

/// `method path` with `body` as JSON, at `now` (unix ms).
pub fn send(e: &mut Engine, method: &str, path: &str, body: Value, now: u64) -> Answer {
    let bytes = body.to_string().into_bytes();
    let request = Request {
        method,
        path,
        query: None,
        content_type: Some("application/json"),
        body: &bytes,
    };
    e.handle(&mut NoHost, &request, now).expect("an operation")
}

/// `GET path?query` at `now` (unix ms).
pub fn get(e: &mut Engine, path: &str, query: &str, now: u64) -> Answer {
    let request = Request {
        method: "GET",
        path,
        query: Some(query),
        content_type: None,
        body: b"",
    };
    e.handle(&mut NoHost, &request, now).expect("an operation")
}
