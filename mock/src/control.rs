//! Test control endpoints under `/_mock` (no auth, CORS headers, request id).
//!
//! - `POST /_mock/reset`: restore the seeded world; clear faults, counters,
//!   log and rate-limit windows.
//! - `GET /_mock/faults`: pending scripted faults.
//! - `POST /_mock/faults`: `{"faults":[F,…], "method"?, "path"?}` appends.
//! - `DELETE /_mock/faults`: drop pending scripted faults.
//! - `GET /_mock/stats`, `POST /_mock/stats/reset`.
//! - `GET /_mock/console/<id>`: the page a console session's `url` opens
//!   (see `console.rs`).

use std::sync::Arc;

use axum::body::Body;
use axum::extract::Request;
use axum::response::Response;
use serde_json::{json, Value};

use crate::app::App;
use crate::console;
use crate::errors::ApiError;
use crate::faults::parse_fault;
use crate::pipeline::{finish_headers, Out};

fn bad_request(message: String) -> Out {
    Out::error(
        ApiError::new(400, "invalid_control_request", json!({})).with_description(Some(message)),
        vec![],
    )
}

fn add_faults(app: &App, body: &[u8]) -> Out {
    let v: Value = match serde_json::from_slice(body) {
        Ok(v) => v,
        Err(e) => return bad_request(format!("body is not JSON: {e}")),
    };
    let method = v.get("method").and_then(Value::as_str);
    let path = v.get("path").and_then(Value::as_str);
    let specs: Vec<Value> = match (v.get("faults"), v.get("fault")) {
        (Some(Value::Array(list)), _) => list.clone(),
        (Some(_), _) => return bad_request("'faults' must be an array".into()),
        (None, Some(one)) => vec![one.clone()],
        (None, None) if v.get("kind").is_some() || v.get("status").is_some() => vec![v.clone()],
        (None, None) => return bad_request("expected {\"faults\": [...]}".into()),
    };
    let mut parsed = Vec::with_capacity(specs.len());
    for (i, spec) in specs.iter().enumerate() {
        match parse_fault(spec, method, path) {
            Ok(f) => parsed.push(f),
            Err(e) => return bad_request(format!("fault {i}: {e}")),
        }
    }
    let added = parsed.len();
    let mut faults = app.faults();
    faults.push(parsed);
    Out::json(
        200,
        &json!({"added": added, "pending": faults.pending_count()}),
        vec![],
    )
}

/// Handle a request under `/_mock`.
pub async fn handle(app: Arc<App>, req: Request) -> Response {
    let request_id = app.ids.next("req");
    let (parts, body) = req.into_parts();
    let method = parts.method.as_str().to_ascii_uppercase();
    let path = parts.uri.path();
    let rest = path
        .strip_prefix("/_mock")
        .unwrap_or(path)
        .trim_end_matches('/')
        .to_string();
    if method == "OPTIONS" {
        let mut resp = Response::new(Body::empty());
        finish_headers(resp.headers_mut(), &request_id, true);
        return resp;
    }
    // Scripted raw faults may carry bodies of tens of megabytes.
    let body = match axum::body::to_bytes(body, 64 * 1024 * 1024).await {
        Ok(b) => b,
        Err(_) => return bad_request("body too large".into()).into_response(&request_id, true),
    };
    let out = match (method.as_str(), rest.as_str()) {
        ("POST", "/reset") => {
            app.reset();
            Out::json(200, &json!({"ok": true}), vec![])
        }
        ("GET", "/faults") => {
            let faults = app.faults().describe();
            Out::json(200, &json!({ "faults": faults }), vec![])
        }
        ("POST", "/faults") => add_faults(&app, &body),
        ("DELETE", "/faults") => {
            app.faults().clear();
            Out::json(200, &json!({"pending": 0}), vec![])
        }
        ("GET", "/stats") => {
            let stats = app.stats().to_json();
            Out::json(200, &stats, vec![])
        }
        ("POST", "/stats/reset") => {
            app.stats().reset();
            Out::json(200, &json!({"ok": true}), vec![])
        }
        ("GET", r) if r.starts_with("/console/") => console::page(&app, &r["/console/".len()..]),
        _ => Out::error(
            ApiError::route_not_found(path.trim_start_matches('/'), &method),
            vec![],
        ),
    };
    out.into_response(&request_id, true)
}
