//! The /core/v1 request pipeline.
//!
//! Order (as in Apia, with the mock's test hooks in front):
//! 1. `OPTIONS` → 200 empty body with CORS headers (no auth, not counted);
//! 2. count the request, mark it in flight;
//! 3. scripted fault, else random fault; `delay_ms` + `--latency-ms`;
//! 4. route lookup (`route_not_found`, before authentication as in Apia):
//!    the engine's operation at this method and path, else none;
//! 5. authentication, rate limit, scopes (the operation's documented ones);
//! 6. the engine (`katapult-mock-core`), which keeps every object itself
//!    and answers every operation of the document.
//!
//! So faults, latency, authentication, the rate limit, request ids, CORS
//! and the stats log apply alike to every operation.
//!
//! Every response carries `x-request-id` and the CORS headers.

use futures_util::StreamExt;
use std::sync::Arc;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use axum::response::Response;

use katapult_mock_core::document::Document;
use katapult_mock_core::fixture::Fixture;
use katapult_mock_core::{
    Answer as EngineAnswer, Engine, NoHost, Public, Request as EngineRequest,
};

use crate::app::App;
use crate::auth::Auth;
use crate::cors;
use crate::errors::ApiError;
use crate::faults::{html_page, FaultAction};
use crate::server::{ConnKill, LocalAddr};
use crate::stats::{InFlight, LogEntry};

tokio::task_local! {
    /// The origin the request being handled came to (see [`request_origin`]).
    static ORIGIN: String;
}

/// The origin the request being handled came to, `http://127.0.0.1:8080`:
/// from its `Host` header, else the address its connection came in on.
/// Addresses the mock answers with (a console session's page) point there,
/// so they work on whatever port and host name the mock was reached by.
pub fn request_origin() -> String {
    ORIGIN
        .try_with(Clone::clone)
        .unwrap_or_else(|_| "http://127.0.0.1".into())
}

/// A `Host` header fit to go into a URL as it is: a name or an address and
/// an optional port, nothing else.
fn usable_host(host: &str) -> bool {
    !host.is_empty()
        && host.len() <= 255
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b".-:[]".contains(&b))
}

/// The origin of a request with these headers, which came in on `local`.
pub fn origin_of(headers: &HeaderMap, local: Option<LocalAddr>) -> String {
    let host = headers
        .get(axum::http::header::HOST)
        .and_then(|v| v.to_str().ok())
        .filter(|h| usable_host(h));
    match (host, local) {
        (Some(host), _) => format!("http://{host}"),
        (None, Some(LocalAddr(addr))) => format!("http://{addr}"),
        (None, None) => "http://127.0.0.1".into(),
    }
}

/// Largest request body accepted.
pub const MAX_BODY: usize = 16 * 1024 * 1024;

/// A response before it becomes HTTP.
#[derive(Debug)]
pub struct Out {
    /// Status.
    pub status: u16,
    /// Body bytes.
    pub body: Vec<u8>,
    /// Content type.
    pub content_type: String,
    /// Extra headers.
    pub headers: Vec<(String, String)>,
    /// Add `x-api-schema: json-error`.
    pub json_error: bool,
}

impl Out {
    /// A JSON success body.
    pub fn json(status: u16, body: &serde_json::Value, headers: Vec<(String, String)>) -> Self {
        Self {
            status,
            body: serde_json::to_vec(body).unwrap_or_default(),
            content_type: "application/json".into(),
            headers,
            json_error: false,
        }
    }

    /// A wrapped error.
    pub fn error(e: ApiError, headers: Vec<(String, String)>) -> Self {
        Self {
            status: e.status,
            body: serde_json::to_vec(&e.body()).unwrap_or_default(),
            content_type: "application/json".into(),
            headers,
            json_error: true,
        }
    }

    /// The engine's answer (or the Public API's), with `headers`.
    pub fn answer(answer: EngineAnswer, headers: Vec<(String, String)>) -> Self {
        Self {
            status: answer.status,
            body: answer.body,
            content_type: answer.content_type.into(),
            headers,
            json_error: answer.error,
        }
    }

    /// Turn into an HTTP response with the request id (and CORS headers).
    pub fn into_response(self, request_id: &str, with_cors: bool) -> Response {
        let mut resp = Response::new(Body::from(self.body));
        *resp.status_mut() =
            StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let h = resp.headers_mut();
        if let Ok(v) = HeaderValue::from_str(&self.content_type) {
            h.insert(axum::http::header::CONTENT_TYPE, v);
        }
        if self.json_error {
            h.insert("x-api-schema", HeaderValue::from_static("json-error"));
        }
        for (k, v) in &self.headers {
            if let (Ok(k), Ok(v)) = (HeaderName::try_from(k.as_str()), HeaderValue::from_str(v)) {
                h.insert(k, v);
            }
        }
        finish_headers(h, request_id, with_cors);
        resp
    }
}

/// Add `x-request-id` and (optionally) CORS headers.
pub fn finish_headers(h: &mut HeaderMap, request_id: &str, with_cors: bool) {
    if let Ok(v) = HeaderValue::from_str(request_id) {
        h.insert("x-request-id", v);
    }
    if with_cors {
        cors::apply(h);
    }
}

/// The path relative to /core/v1 without a trailing slash, with a leading
/// slash (for routing, stats and fault filters), and Apia's `api_path`
/// (no leading slash, for `route_not_found`).
fn split_path(path: &str) -> (String, String) {
    if let Some(rest) = path.strip_prefix(PUBLIC_PREFIX) {
        let api_path = rest.trim_start_matches('/').to_string();
        return (
            format!("{PUBLIC_PREFIX}/{}", api_path.trim_end_matches('/')),
            api_path,
        );
    }
    let rest = path.strip_prefix("/core/v1").unwrap_or(path);
    let api_path = rest.trim_start_matches('/').to_string();
    let trimmed = rest.trim_end_matches('/');
    let rel = if trimmed.starts_with('/') {
        trimmed.to_string()
    } else {
        format!("/{trimmed}")
    };
    (rel, api_path)
}

fn rate_headers(limit: u64, remaining: u64) -> Vec<(String, String)> {
    vec![
        ("x-ratelimit-permitted".into(), limit.to_string()),
        ("x-ratelimit-remaining".into(), remaining.to_string()),
    ]
}

/// Everything the endpoint stage needs from the request.
struct Incoming<'a> {
    method: &'a str,
    /// Below `/core/v1`; a Public API request's is its whole path.
    rel: &'a str,
    api_path: &'a str,
    query: Option<&'a str>,
    content_type: Option<&'a str>,
    body: &'a [u8],
    auth: &'a Auth,
}

/// [`process`], with [`request_origin`] answering `origin`.
fn process_at(app: &Arc<App>, req: &Incoming<'_>, origin: &str) -> Out {
    ORIGIN.sync_scope(origin.to_owned(), || process(app, req))
}

/// Whether any operation lives at `path` (for `OPTIONS`).
pub fn path_exists(path: &str) -> bool {
    match path.strip_prefix(PUBLIC_PREFIX) {
        Some(rel) => Public::path_exists(rel),
        None => Engine::path_exists(path),
    }
}

/// The engine's answer to a request.
fn engine_answer(app: &App, req: &Incoming<'_>, headers: Vec<(String, String)>) -> Out {
    let request = EngineRequest {
        method: req.method,
        path: req.rel,
        query: req.query,
        content_type: req.content_type,
        body: req.body,
    };
    let mut engine = app.engine();
    engine.set_origin(Some(request_origin()));
    let answer = engine
        .handle(&mut NoHost, &request, now_ms())
        .unwrap_or_else(|| {
            EngineAnswer::error(&ApiError::route_not_found(req.api_path, req.method))
        });
    Out::answer(answer, headers)
}

/// The rate-limit headers for one more request of `key` (a token, or the
/// Public API's origin), or the 429 when it is over the mock's limit.
fn rate_limit(app: &App, key: &str) -> Result<Vec<(String, String)>, Out> {
    let Some(limit) = app.config.rate_limit else {
        return Ok(Vec::new());
    };
    let check = app.limiter().check(key, limit, app.config.rate_window_ms);
    let headers = rate_headers(limit, check.remaining);
    match check.allowed {
        true => Ok(headers),
        false => Err(Out::error(ApiError::rate_limited(limit), headers)),
    }
}

/// The time, in unix milliseconds (the engine is handed it).
pub fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

/// Where the Public API lives; its requests' paths keep it, so stats and
/// fault filters tell `/public/v1/data_centers` from the core's `/data_centers`.
pub const PUBLIC_PREFIX: &str = "/public/v1";

/// A Public API request: no token, a limit of its own (per origin, shared
/// by everyone), answered by [`katapult_mock_core::Public`].
fn public_answer(app: &App, req: &Incoming<'_>, rel: &str, origin: &str) -> Out {
    let headers = match rate_limit(app, &format!("public {origin}")) {
        Ok(headers) => headers,
        Err(limited) => return limited,
    };
    let request = EngineRequest {
        method: req.method,
        path: rel,
        query: req.query,
        content_type: req.content_type,
        body: req.body,
    };
    let answer = app
        .public()
        .handle(Fixture::builtin(), &request, now_ms())
        .unwrap_or_else(|| {
            EngineAnswer::error(&ApiError::route_not_found(req.api_path, req.method))
        });
    Out::answer(answer, headers)
}

/// Route, authenticate, rate-limit, check scopes, run the endpoint.
fn process(app: &Arc<App>, req: &Incoming<'_>) -> Out {
    if let Some(rel) = req.rel.strip_prefix(PUBLIC_PREFIX) {
        let rel = if rel.is_empty() { "/" } else { rel };
        return public_answer(app, req, rel, &request_origin());
    }
    let Some(route) = Engine::route(req.method, req.rel) else {
        return Out::error(ApiError::route_not_found(req.api_path, req.method), vec![]);
    };
    let token = match req.auth {
        Auth::Missing => return Out::error(ApiError::missing_api_token(), vec![]),
        Auth::Invalid => return Out::error(ApiError::invalid_api_token(), vec![]),
        Auth::Full(t) | Auth::ReadOnly(t) => t,
    };
    let headers = match rate_limit(app, token) {
        Ok(headers) => headers,
        Err(limited) => return limited,
    };
    if !req.auth.granted(&route.scopes) {
        return Out::error(ApiError::scope_not_granted(&route.scopes), headers);
    }
    engine_answer(app, req, headers)
}

/// Handle one request under /core/v1.
pub async fn handle(app: Arc<App>, req: Request) -> Response {
    let request_id = app.ids.next("req");
    let (parts, body) = req.into_parts();
    let method = parts.method.as_str().to_ascii_uppercase();
    let (rel, api_path) = split_path(parts.uri.path());
    let query = parts.uri.query().map(str::to_string);

    if method == "OPTIONS" {
        if path_exists(&rel) {
            let mut resp = Response::new(Body::empty());
            finish_headers(resp.headers_mut(), &request_id, true);
            return resp;
        }
        return Out::error(ApiError::route_not_found(&api_path, &method), vec![])
            .into_response(&request_id, true);
    }

    let body: Bytes = match axum::body::to_bytes(body, MAX_BODY).await {
        Ok(b) => b,
        Err(_) => {
            let e = ApiError::new(413, "request_too_large", serde_json::json!({}))
                .with_description(Some("The request body is too large".into()));
            return Out::error(e, vec![]).into_response(&request_id, true);
        }
    };
    let auth = Auth::from_headers(&parts.headers, &app.config.token);
    let origin = origin_of(&parts.headers, parts.extensions.get::<LocalAddr>().copied());
    let _in_flight = InFlight::begin(&app, format!("{method} {rel}"));
    let mut entry = LogEntry {
        method: method.clone(),
        path: rel.clone(),
        query: query.clone().unwrap_or_default(),
        body: (!body.is_empty()).then(|| String::from_utf8_lossy(&body).into_owned()),
        auth: auth.log_name(),
        status: 0,
    };

    let fault = app.faults().take(&method, &rel);
    let delay = fault.as_ref().map_or(0, |f| f.delay_ms) + app.config.latency_ms;
    if delay > 0 {
        tokio::time::sleep(Duration::from_millis(delay)).await;
    }
    let with_cors = fault.as_ref().is_none_or(|f| f.cors);
    let content_type = parts
        .headers
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok());
    let incoming = Incoming {
        method: &method,
        rel: &rel,
        api_path: &api_path,
        query: query.as_deref(),
        content_type,
        body: &body,
        auth: &auth,
    };

    let out = match fault.map(|f| f.action) {
        Some(FaultAction::Drop) => {
            app.stats().record(entry);
            if let Some(kill) = parts.extensions.get::<ConnKill>() {
                kill.fire();
                std::future::pending::<()>().await;
            }
            // Not served by our accept loop: fail the body stream instead.
            let stream = futures_util::stream::once(async {
                Err::<Bytes, std::io::Error>(std::io::Error::new(
                    std::io::ErrorKind::ConnectionAborted,
                    "dropped by katapult-mock",
                ))
            });
            return Response::new(Body::from_stream(stream));
        }
        Some(FaultAction::Html { status }) => Out {
            status,
            body: html_page(status).into_bytes(),
            content_type: "text/html".into(),
            headers: vec![],
            json_error: false,
        },
        Some(FaultAction::Raw {
            status,
            content_type,
            body,
        }) => Out {
            status,
            body: body.into_bytes(),
            content_type,
            headers: vec![],
            json_error: false,
        },
        Some(FaultAction::Error {
            status,
            code,
            description,
            detail,
            retry_after,
        }) => {
            // The live API's figure when no limit was set (recorded: 1000 a minute).
            let permitted = app.config.rate_limit.unwrap_or(1000);
            let default_detail = if code == "rate_limit_reached" {
                serde_json::json!({ "total_permitted": permitted })
            } else {
                serde_json::json!({})
            };
            let mut e = ApiError::new(status, &code, detail.unwrap_or(default_detail));
            if description.is_some() {
                e = e.with_description(description);
            } else if e.description.is_none() && rel.starts_with(PUBLIC_PREFIX) {
                // The Public API's codes are described in its own document.
                e = e.with_description(Document::public().describe(&code).map(str::to_owned));
            }
            let mut headers = Vec::new();
            if status == 429 {
                headers = rate_headers(permitted, 0);
            }
            if let Some(secs) = retry_after {
                headers.push(("retry-after".into(), secs.to_string()));
            }
            Out::error(e, headers)
        }
        Some(FaultAction::Truncated) => {
            let mut out = process_at(&app, &incoming, &origin);
            let half = out.body.len() / 2;
            out.body.truncate(half);
            out
        }
        Some(action @ (FaultAction::ResetMidBody | FaultAction::SlowBody { .. })) => {
            let out = process_at(&app, &incoming, &origin);
            entry.status = out.status;
            app.stats().record(entry);
            return streamed(out.into_response(&request_id, with_cors), action).await;
        }
        Some(FaultAction::Ok) | None => process_at(&app, &incoming, &origin),
    };
    entry.status = out.status;
    app.stats().record(entry);
    out.into_response(&request_id, with_cors)
}

/// Re-sends a response's body as a stream: cut off by a connection reset
/// halfway (`ResetMidBody`), or in ten slow chunks (`SlowBody`).
async fn streamed(resp: Response, action: FaultAction) -> Response {
    let (parts, body) = resp.into_parts();
    let bytes = axum::body::to_bytes(body, usize::MAX)
        .await
        .unwrap_or_default();
    let chunks: Vec<Result<Bytes, std::io::Error>> = match action {
        FaultAction::ResetMidBody => vec![
            Ok(bytes.slice(..bytes.len() / 2)),
            Err(std::io::Error::new(
                std::io::ErrorKind::ConnectionReset,
                "reset by katapult-mock",
            )),
        ],
        _ => {
            let step = bytes.len().div_ceil(10).max(1);
            (0..bytes.len())
                .step_by(step)
                .map(|i| Ok(bytes.slice(i..(i + step).min(bytes.len()))))
                .collect()
        }
    };
    let delay = match action {
        FaultAction::SlowBody { chunk_delay_ms } => chunk_delay_ms,
        _ => 0,
    };
    let stream = futures_util::stream::iter(chunks).then(move |chunk| async move {
        // Before a reset, give the half body time to reach the client.
        let wait = if chunk.is_err() { 50 } else { delay };
        if wait > 0 {
            tokio::time::sleep(Duration::from_millis(wait)).await;
        }
        chunk
    });
    Response::from_parts(parts, Body::from_stream(stream))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_origin_is_the_host_the_request_came_to() {
        let local = Some(LocalAddr(([127, 0, 0, 1], 4000).into()));
        let with_host = |host: &str| {
            let mut h = HeaderMap::new();
            h.insert(
                axum::http::header::HOST,
                HeaderValue::from_str(host).expect("header"),
            );
            origin_of(&h, local)
        };
        assert_eq!(with_host("localhost:8081"), "http://localhost:8081");
        assert_eq!(with_host("[::1]:8080"), "http://[::1]:8080");
        // Nothing that would change the URL's meaning: the connection's address instead.
        assert_eq!(with_host("evil.test/x?"), "http://127.0.0.1:4000");
        assert_eq!(with_host("a@b"), "http://127.0.0.1:4000");
        assert_eq!(origin_of(&HeaderMap::new(), local), "http://127.0.0.1:4000");
        assert_eq!(origin_of(&HeaderMap::new(), None), "http://127.0.0.1");
    }

    #[test]
    fn paths() {
        assert_eq!(
            split_path("/core/v1/virtual_machines/virtual_machine/"),
            (
                "/virtual_machines/virtual_machine".into(),
                "virtual_machines/virtual_machine/".into()
            )
        );
        assert_eq!(split_path("/core/v1"), ("/".into(), "".into()));
    }
}
