//! One in-process mock: the engine behind what the server's pipeline does
//! around it (`mock/src/pipeline.rs`), for one token and with no IO.
//!
//! A request is answered in two steps, so that a fault's latency comes
//! before the request acts, as it does in the server: [`Mock::receive`]
//! routes it and takes the fault it meets, and tells JavaScript how long
//! to wait and whether to drop it; [`Mock::answer`] then answers it at the
//! time JavaScript hands in. In between the request is held under a
//! ticket; a request aborted while it waits is let go with
//! [`Mock::abandon`], so nothing is kept past its fetch.
//!
//! Order, as in the server: a body over the limit (413); the fault; the
//! route (`route_not_found`, before authentication as in Apia);
//! authentication (`missing_api_token`, `invalid_api_token`); the rate
//! limit; scopes (the read-only token `readonly-token` holds read scopes
//! only: `scope_not_granted`); the engine. A request under `/public/v1` is
//! the Public API's ([`Public`]): no token, the same fault and rate-limit
//! steps.

use std::collections::BTreeMap;

use katapult_mock_core::document::Document;
use katapult_mock_core::fixture::Fixture;
use katapult_mock_core::ids::{hash_str, IdGen};
use katapult_mock_core::shape::Shaper;
use katapult_mock_core::{
    read_only_may, Answer, ApiError, Config, Engine, NoHost, Public, Request, Seed, READ_ONLY_TOKEN,
};
use serde_json::{json, Value};

use crate::faults::{self, Action, Fault, Faults};

/// Requests per minute the rate-limit headers grant: far more than a test
/// makes, so a client that paces itself by them never waits.
pub const PERMITTED: u64 = 1_000_000;

/// The largest request body taken (the server's limit).
pub const MAX_BODY: usize = 16 * 1024 * 1024;

/// The latest time taken (JavaScript's largest exact integer): the engine
/// adds task durations to it.
const MAX_NOW_MS: f64 = 9_007_199_254_740_991.0;

/// Requests held at once, waiting for their latency; beyond it a request
/// is answered as a dropped connection rather than held.
const MAX_HELD: usize = 100_000;

/// The time JavaScript hands in (`Date.now()`), as the engine takes it:
/// what is not a time is the epoch, later than any date is clamped.
pub fn clock(now_ms: f64) -> u64 {
    if now_ms.is_nan() || now_ms <= 0.0 {
        0
    } else {
        now_ms.min(MAX_NOW_MS) as u64
    }
}

/// The request as JavaScript read it.
#[derive(Debug, Clone, Copy)]
pub struct Incoming<'a> {
    /// The method, as given (upper-cased here).
    pub method: &'a str,
    /// The URL's path (`/core/v1/organizations`), still percent-encoded.
    pub path: &'a str,
    /// The query string without `?`.
    pub query: Option<&'a str>,
    /// The `Authorization` header.
    pub authorization: Option<&'a str>,
    /// The `Content-Type` header.
    pub content_type: Option<&'a str>,
    /// The body, or `None` when it was over [`MAX_BODY`] (and not passed in).
    pub body: Option<&'a [u8]>,
}

/// What JavaScript does next with a received request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Received {
    /// Where the request is held for [`Mock::answer`] (0: nothing held).
    pub ticket: u32,
    /// Its operation, when the method and path name one.
    pub operation_id: Option<&'static str>,
    /// The API of that operation: `"core"` or `"public"`.
    pub api: Option<&'static str>,
    /// Wait this long first.
    pub delay_ms: u64,
    /// Then reject the fetch as a network failure instead of answering.
    pub drop: bool,
}

/// An answer, before it becomes a `Response`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    /// HTTP status.
    pub status: u16,
    /// Headers, names in lower case.
    pub headers: Vec<(&'static str, String)>,
    /// The body.
    pub body: Vec<u8>,
}

/// A request between [`Mock::receive`] and [`Mock::answer`].
#[derive(Debug, Clone)]
struct Held {
    method: String,
    /// Below the API's base, leading slash, no trailing one; `None` when
    /// the path is not under `/core/v1` or `/public/v1`.
    rel: Option<String>,
    /// Whether it is the Public API's (under `/public/v1`).
    public: bool,
    /// Apia's `api_path` (for `route_not_found`).
    api_path: String,
    query: Option<String>,
    auth: Auth,
    content_type: Option<String>,
    /// `None`: over the limit.
    body: Option<Vec<u8>>,
    operation_id: Option<&'static str>,
    action: Option<Action>,
}

/// Who is calling (as `mock/src/auth.rs` tells it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Auth {
    Missing,
    Invalid,
    Valid,
    /// [`READ_ONLY_TOKEN`]: read scopes only.
    ReadOnly,
}

impl Auth {
    fn of(header: Option<&str>, token: &str) -> Auth {
        let Some(value) = header.map(str::trim) else {
            return Auth::Missing;
        };
        let given = match value.split_once(' ') {
            Some((scheme, rest)) if scheme.eq_ignore_ascii_case("bearer") => rest.trim(),
            _ => return Auth::Missing,
        };
        match given {
            "" => Auth::Missing,
            t if t == token => Auth::Valid,
            READ_ONLY_TOKEN => Auth::ReadOnly,
            _ => Auth::Invalid,
        }
    }
}

/// `/core/v1/dns_zones/dns_zone/` → (`Some("/dns_zones/dns_zone")`,
/// `dns_zones/dns_zone/`, false); under `/public/v1` the same, and true; a
/// path outside both APIs has no operation.
fn split_path(path: &str) -> (Option<String>, String, bool) {
    let (rest, public) = match (
        path.strip_prefix("/core/v1"),
        path.strip_prefix("/public/v1"),
    ) {
        (Some(rest), _) if rest.is_empty() || rest.starts_with('/') => (rest, false),
        (_, Some(rest)) if rest.is_empty() || rest.starts_with('/') => (rest, true),
        _ => return (None, path.trim_start_matches('/').to_owned(), false),
    };
    let api_path = rest.trim_start_matches('/').to_owned();
    let trimmed = rest.trim_end_matches('/');
    (
        Some(format!("/{}", trimmed.trim_start_matches('/'))),
        api_path,
        public,
    )
}

/// The error a fault's `status` stands for on `operation`: the caller's
/// code, else the first the document lists for the operation at that
/// status; the caller's detail, else the documented one.
fn fault_error(
    operation: Option<&str>,
    public: bool,
    status: u16,
    code: Option<&str>,
    detail: Option<&Value>,
    now_ms: u64,
) -> ApiError {
    let doc = if public {
        Document::public()
    } else {
        Document::get()
    };
    let op = operation.and_then(|id| doc.operation(id));
    // The plain code for the status where the operation documents it
    // (`permission_denied` rather than `unauthorized_network_for_api_token`
    // for a 403), else the first it documents there.
    let documented = op.as_ref().map(|o| o.errors(status)).unwrap_or_default();
    let plain = katapult_mock_core::error::default_code(status);
    let code = code
        .or(documented.iter().find(|c| **c == plain).copied())
        .or(documented.first().copied())
        .unwrap_or(plain);
    let detail = match (detail, code) {
        (Some(d), _) => d.clone(),
        (None, "rate_limit_reached") => json!({ "total_permitted": PERMITTED }),
        (None, _) => match op.as_ref().and_then(|o| o.error_detail(status, code)) {
            Some(schema) => {
                let shaper = Shaper::full(i64::try_from(now_ms / 1000).unwrap_or(0));
                let detail = shaper.shape(
                    schema,
                    None,
                    shaper.slot("detail", code, hash_str(code)),
                    "$",
                );
                match detail {
                    Value::Object(_) => detail,
                    _ => json!({}),
                }
            }
            None => json!({}),
        },
    };
    // The Public API's codes are described in its own document.
    let e = ApiError::new(status, code, detail);
    match (public, e.description.is_none()) {
        (true, true) => e.with_description(doc.describe(code).map(str::to_owned)),
        _ => e,
    }
}

/// One mock: its engine, faults, limiter and the requests it holds.
#[derive(Debug)]
pub struct Mock {
    seed: Seed,
    token: String,
    latency_ms: u64,
    engine: Engine,
    /// The Public API, answered from the seed's catalogue.
    public: Public,
    faults: Faults,
    ids: IdGen,
    /// This minute's window: when it began and how many requests it saw.
    window: (u64, u64),
    held: BTreeMap<u32, Held>,
    next_ticket: u32,
}

impl Mock {
    /// A mock that starts with `seed`'s objects, accepts `token`, and
    /// waits `latency_ms` before every answer.
    pub fn new(seed: Seed, token: String, latency_ms: u64) -> Mock {
        Mock {
            seed,
            token,
            latency_ms,
            engine: seed.engine(Config::default()),
            public: Public::new(),
            faults: Faults::default(),
            ids: IdGen::new(hash_str("katapult-mock-wasm")),
            window: (0, 0),
            held: BTreeMap::new(),
            next_ticket: 0,
        }
    }

    /// Adds a fault from the JSON text of its spec.
    pub fn fault(&mut self, spec: &[u8]) -> Result<(), String> {
        self.faults.push(faults::parse(spec)?);
        Ok(())
    }

    /// Back to the seed's objects, with no faults and a fresh rate window.
    /// Requests in flight still get their answers.
    pub fn reset(&mut self) {
        self.seed.restore(&mut self.engine);
        self.public.reset();
        self.faults.clear();
        self.window = (0, 0);
    }

    /// How many requests are held (for the tests of the boundary).
    pub fn held(&self) -> usize {
        self.held.len()
    }

    /// How many faults are waiting.
    pub fn faults_waiting(&self) -> usize {
        self.faults.len()
    }

    /// Step one: routes the request and takes its fault.
    pub fn receive(&mut self, request: &Incoming<'_>) -> Received {
        let method = request.method.to_ascii_uppercase();
        let (rel, api_path, public) = split_path(request.path);
        let operation_id = match (rel.as_deref(), public) {
            (Some(rel), true) => Public::route(&method, rel).map(|op| op.id()),
            (Some(rel), false) => Engine::route(&method, rel).map(|r| r.operation_id),
            (None, _) => None,
        };
        let api = operation_id.map(|_| if public { "public" } else { "core" });
        // A body over the limit is refused before anything else, faults
        // included, as the server refuses it while reading.
        let fault = match request.body {
            Some(_) => self.faults.take(operation_id, public),
            None => None,
        };
        let (delay_ms, action) = match fault {
            Some(Fault {
                latency_ms, action, ..
            }) => (latency_ms, Some(action)),
            None => (0, None),
        };
        let delay_ms = delay_ms.saturating_add(self.latency_ms);
        if action == Some(Action::Drop) || self.held.len() >= MAX_HELD {
            return Received {
                ticket: 0,
                operation_id,
                api,
                delay_ms,
                drop: true,
            };
        }
        self.next_ticket = self.next_ticket.checked_add(1).unwrap_or(1);
        while self.held.contains_key(&self.next_ticket) {
            self.next_ticket = self.next_ticket.checked_add(1).unwrap_or(1);
        }
        let ticket = self.next_ticket;
        self.held.insert(
            ticket,
            Held {
                method,
                rel,
                public,
                api_path,
                query: request.query.map(str::to_owned),
                auth: Auth::of(request.authorization, &self.token),
                content_type: request.content_type.map(str::to_owned),
                body: request.body.map(<[u8]>::to_vec),
                operation_id,
                action,
            },
        );
        Received {
            ticket,
            operation_id,
            api,
            delay_ms,
            drop: false,
        }
    }

    /// Lets go of a held request whose fetch was aborted.
    pub fn abandon(&mut self, ticket: u32) {
        self.held.remove(&ticket);
    }

    /// Step two: the answer to a held request at `now_ms`; `None` for a
    /// ticket that holds nothing.
    pub fn answer(&mut self, ticket: u32, now_ms: u64) -> Option<Reply> {
        let held = self.held.remove(&ticket)?;
        let request_id = self.ids.next("req");
        let mut reply = self.reply(&held, now_ms);
        reply.headers.push(("x-request-id", request_id));
        Some(reply)
    }

    /// Counts one authenticated request in this minute's window; the
    /// rate-limit headers and whether it is within the limit.
    fn count(&mut self, now_ms: u64) -> (Vec<(&'static str, String)>, bool) {
        let (start, seen) = self.window;
        let (start, seen) = match now_ms.checked_sub(start) {
            Some(elapsed) if seen > 0 && elapsed < 60_000 => (start, seen),
            _ => (now_ms, 0),
        };
        let seen = seen.saturating_add(1);
        self.window = (start, seen);
        (
            rate_headers(PERMITTED.saturating_sub(seen)),
            seen <= PERMITTED,
        )
    }

    fn reply(&mut self, held: &Held, now_ms: u64) -> Reply {
        let Some(body) = &held.body else {
            let e = ApiError::new(413, "request_too_large", json!({}))
                .with_description(Some("The request body is too large".into()));
            return error_reply(&e, Vec::new());
        };
        // The Public API takes no token: every request of it counts.
        let authenticated = matches!(held.auth, Auth::Valid | Auth::ReadOnly) || held.public;
        match &held.action {
            Some(Action::Raw {
                status,
                content_type,
                body,
            }) => {
                return Reply {
                    status: *status,
                    headers: vec![("content-type", content_type.clone())],
                    body: body.clone().into_bytes(),
                }
            }
            Some(Action::Error {
                status,
                code,
                detail,
            }) => {
                let e = fault_error(
                    held.operation_id,
                    held.public,
                    *status,
                    code.as_deref(),
                    detail.as_ref(),
                    now_ms,
                );
                let headers = match (authenticated, *status) {
                    (true, 429) => {
                        self.count(now_ms);
                        rate_headers(0)
                    }
                    (true, _) => self.count(now_ms).0,
                    (false, _) => Vec::new(),
                };
                return error_reply(&e, headers);
            }
            Some(Action::Answer { .. } | Action::Drop) | None => {}
        }
        if held.method == "OPTIONS" {
            let exists = match held.public {
                true => Public::path_exists,
                false => Engine::path_exists,
            };
            if held.rel.as_deref().is_some_and(exists) {
                return Reply {
                    status: 200,
                    headers: Vec::new(),
                    body: Vec::new(),
                };
            }
            return error_reply(
                &ApiError::route_not_found(&held.api_path, &held.method),
                Vec::new(),
            );
        }
        let (Some(rel), Some(operation_id)) = (&held.rel, held.operation_id) else {
            return error_reply(
                &ApiError::route_not_found(&held.api_path, &held.method),
                Vec::new(),
            );
        };
        match held.auth {
            _ if held.public => {}
            Auth::Missing => return error_reply(&ApiError::missing_api_token(), Vec::new()),
            Auth::Invalid => return error_reply(&ApiError::invalid_api_token(), Vec::new()),
            Auth::Valid | Auth::ReadOnly => {}
        }
        let (headers, allowed) = self.count(now_ms);
        if !allowed {
            return error_reply(&ApiError::rate_limited(PERMITTED), headers);
        }
        if held.auth == Auth::ReadOnly && !held.public {
            let scopes = Engine::route(&held.method, rel).map_or_else(Vec::new, |r| r.scopes);
            if !read_only_may(&scopes) {
                return error_reply(&ApiError::scope_not_granted(&scopes), headers);
            }
        }
        let fail_task = matches!(held.action, Some(Action::Answer { fail_task: true }));
        let request = Request {
            method: &held.method,
            path: rel,
            query: held.query.as_deref(),
            content_type: held.content_type.as_deref(),
            body,
        };
        if held.public {
            let fixture = match self.seed {
                Seed::Empty => &Fixture::default(),
                _ => Fixture::builtin(),
            };
            let answer = self
                .public
                .handle(fixture, &request, now_ms)
                .unwrap_or_else(|| {
                    Answer::error(&ApiError::route_not_found(&held.api_path, &held.method))
                });
            return reply_of(answer, headers);
        }
        if fail_task {
            self.engine.fail_tasks(operation_id, true);
        }
        let answer = self.engine.handle(&mut NoHost, &request, now_ms);
        if fail_task {
            self.engine.fail_tasks(operation_id, false);
        }
        let answer = answer.unwrap_or_else(|| {
            Answer::error(&ApiError::route_not_found(&held.api_path, &held.method))
        });
        reply_of(answer, headers)
    }
}

/// An answer as a [`Reply`], its own headers then `extra`.
fn reply_of(answer: Answer, extra: Vec<(&'static str, String)>) -> Reply {
    let mut headers = answer.headers();
    headers.extend(extra);
    Reply {
        status: answer.status,
        headers,
        body: answer.body,
    }
}

fn rate_headers(remaining: u64) -> Vec<(&'static str, String)> {
    vec![
        ("x-ratelimit-permitted", PERMITTED.to_string()),
        ("x-ratelimit-remaining", remaining.to_string()),
    ]
}

fn error_reply(e: &ApiError, extra: Vec<(&'static str, String)>) -> Reply {
    reply_of(Answer::error(e), extra)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOKEN: &str = "t0ken";

    fn get<'a>(path: &'a str, query: Option<&'a str>, auth: Option<&'a str>) -> Incoming<'a> {
        Incoming {
            method: "GET",
            path,
            query,
            authorization: auth,
            content_type: None,
            body: Some(b""),
        }
    }

    fn ask(mock: &mut Mock, request: &Incoming<'_>, now: u64) -> (Received, Option<Reply>) {
        let received = mock.receive(request);
        let reply = mock.answer(received.ticket, now);
        (received, reply)
    }

    fn json_of(reply: &Reply) -> Value {
        serde_json::from_slice(&reply.body).unwrap_or(Value::Null)
    }

    fn header<'a>(reply: &'a Reply, name: &str) -> Option<&'a str> {
        reply
            .headers
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.as_str())
    }

    #[test]
    fn answers_with_request_ids_and_a_generous_rate_budget() {
        let mut mock = Mock::new(Seed::Default, TOKEN.into(), 0);
        let (received, reply) = ask(
            &mut mock,
            &get("/core/v1/organizations", None, Some("Bearer t0ken")),
            1_000,
        );
        assert_eq!(received.operation_id, Some("get:organizations"));
        let reply = reply.unwrap();
        assert_eq!(reply.status, 200);
        assert!(json_of(&reply)["organizations"].is_array());
        assert!(header(&reply, "x-request-id").is_some_and(|id| id.starts_with("req_")));
        assert_eq!(header(&reply, "x-ratelimit-permitted"), Some("1000000"));
        assert_eq!(header(&reply, "x-ratelimit-remaining"), Some("999999"));
        assert_eq!(mock.held(), 0);
    }

    #[test]
    fn a_wrong_or_missing_token_gets_the_apis_errors() {
        let mut mock = Mock::new(Seed::Default, TOKEN.into(), 0);
        for (auth, status, code) in [
            (None, 400, "missing_api_token"),
            (Some("Basic x"), 400, "missing_api_token"),
            (Some("Bearer "), 400, "missing_api_token"),
            (Some("Bearer nope"), 403, "invalid_api_token"),
        ] {
            let reply = ask(&mut mock, &get("/core/v1/organizations", None, auth), 0)
                .1
                .unwrap();
            assert_eq!(reply.status, status);
            assert_eq!(json_of(&reply)["error"]["code"], code);
            assert_eq!(header(&reply, "x-api-schema"), Some("json-error"));
        }
    }

    #[test]
    fn the_read_only_token_reads_but_may_not_write() {
        let mut mock = Mock::new(Seed::Default, TOKEN.into(), 0);
        let auth = Some("Bearer readonly-token");
        let reply = ask(&mut mock, &get("/core/v1/organizations", None, auth), 0)
            .1
            .unwrap();
        assert_eq!(reply.status, 200);
        let request = Incoming {
            method: "POST",
            path: "/core/v1/virtual_machines/virtual_machine/shutdown",
            query: None,
            authorization: auth,
            content_type: Some("application/json"),
            body: Some(br#"{"virtual_machine":{"fqdn":"web-1.acme.katapult.cloud"}}"#),
        };
        let reply = ask(&mut mock, &request, 0).1.unwrap();
        assert_eq!(reply.status, 403);
        assert_eq!(
            json_of(&reply)["error"],
            json!({
                "code": "scope_not_granted",
                "description": json_of(&reply)["error"]["description"],
                "detail": {"scopes": ["virtual_machines", "virtual_machines:power_actions"]},
            })
        );
        assert!(header(&reply, "x-ratelimit-remaining").is_some());
    }

    #[test]
    fn unknown_paths_are_route_not_found() {
        let mut mock = Mock::new(Seed::Default, TOKEN.into(), 0);
        for path in [
            "/core/v1/nothing",
            "/elsewhere",
            "/core/v10/organizations",
            "",
        ] {
            let (received, reply) = ask(&mut mock, &get(path, None, Some("Bearer t0ken")), 0);
            assert_eq!(received.operation_id, None);
            assert_eq!(
                json_of(&reply.unwrap())["error"]["code"],
                "route_not_found",
                "{path}"
            );
        }
    }

    #[test]
    fn faults_change_answers_then_wear_off() {
        let mut mock = Mock::new(Seed::Default, TOKEN.into(), 7);
        mock.fault(br#"{"operationId":"get:organizations","status":429,"times":1}"#)
            .unwrap();
        mock.fault(br#"{"operationId":"get:organizations","status":404,"times":1,"latencyMs":20}"#)
            .unwrap();
        let request = get("/core/v1/organizations", None, Some("Bearer t0ken"));
        let (r, reply) = ask(&mut mock, &request, 0);
        let reply = reply.unwrap();
        assert_eq!((r.delay_ms, reply.status), (7, 429));
        assert_eq!(
            json_of(&reply)["error"]["detail"]["total_permitted"],
            PERMITTED
        );
        assert_eq!(header(&reply, "x-ratelimit-remaining"), Some("0"));
        let (r, reply) = ask(&mut mock, &request, 0);
        let reply = reply.unwrap();
        assert_eq!((r.delay_ms, reply.status), (27, 404));
        assert_eq!(json_of(&reply)["error"]["code"], "not_found");
        assert_eq!(ask(&mut mock, &request, 0).1.unwrap().status, 200);

        // The documented code and detail for the operation and status.
        mock.fault(br#"{"operationId":"get:dns_zone","status":403,"times":1}"#)
            .unwrap();
        let reply = ask(
            &mut mock,
            &get("/core/v1/dns_zones/dns_zone", None, Some("Bearer t0ken")),
            0,
        )
        .1
        .unwrap();
        let error = &json_of(&reply)["error"];
        let documented = Document::get()
            .operation("get:dns_zone")
            .unwrap()
            .errors(403);
        assert!(
            documented.contains(&error["code"].as_str().unwrap()),
            "{error}"
        );
        assert!(error["description"].is_string());
        // A documented detail is shaped from the document.
        mock.fault(br#"{"operationId":"get:dns_zone","status":403,"code":"scope_not_granted"}"#)
            .unwrap();
        let reply = ask(
            &mut mock,
            &get("/core/v1/dns_zones/dns_zone", None, Some("Bearer t0ken")),
            0,
        )
        .1
        .unwrap();
        assert!(
            json_of(&reply)["error"]["detail"]["scopes"].is_array(),
            "{:?}",
            json_of(&reply)
        );

        mock.fault(br#"{"drop":true,"times":1}"#).unwrap();
        let r = mock.receive(&request);
        assert!(r.drop && r.ticket == 0);
        assert!(mock.answer(r.ticket, 0).is_none());
    }

    #[test]
    fn a_failing_task_fails_once_and_reset_restores_the_seed() {
        let mut mock = Mock::new(Seed::Empty, TOKEN.into(), 0);
        let auth = Some("Bearer t0ken");
        let orgs = ask(&mut mock, &get("/core/v1/organizations", None, auth), 0)
            .1
            .unwrap();
        let org = json_of(&orgs)["organizations"][0]["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let query = format!("organization[id]={org}");
        let body = br#"{"properties":{"name":"web"}}"#;
        let create = |mock: &mut Mock| {
            let request = Incoming {
                method: "post",
                path: "/core/v1/organizations/organization/security_groups",
                query: Some(&query),
                authorization: auth,
                content_type: Some("application/json"),
                body: Some(body),
            };
            ask(mock, &request, 0).1.unwrap()
        };
        assert_eq!(create(&mut mock).status, 200);
        let list = |mock: &mut Mock| {
            let reply = ask(
                mock,
                &get(
                    "/core/v1/organizations/organization/security_groups",
                    Some(&query),
                    auth,
                ),
                0,
            )
            .1
            .unwrap();
            json_of(&reply)["security_groups"]
                .as_array()
                .map_or(0, Vec::len)
        };
        let before = list(&mut mock);
        assert!(before >= 1);
        mock.reset();
        assert_eq!(list(&mut mock), before - 1);

        mock.fault(br#"{"operationId":"post:virtual_machine_start","failTask":true,"times":1}"#)
            .unwrap();
        assert_eq!(mock.faults_waiting(), 1);
    }

    #[test]
    fn bodies_over_the_limit_and_abandoned_requests_hold_nothing() {
        let mut mock = Mock::new(Seed::Default, TOKEN.into(), 0);
        mock.fault(br#"{"status":500}"#).unwrap();
        let mut request = get("/core/v1/organizations", None, Some("Bearer t0ken"));
        request.body = None;
        let reply = ask(&mut mock, &request, 0).1.unwrap();
        assert_eq!(reply.status, 413);
        request.body = Some(b"");
        let r = mock.receive(&request);
        assert_eq!(mock.held(), 1);
        mock.abandon(r.ticket);
        assert_eq!(mock.held(), 0);
        assert!(mock.answer(r.ticket, 0).is_none());
    }

    #[test]
    fn the_clock_takes_any_number() {
        assert_eq!(clock(f64::NAN), 0);
        assert_eq!(clock(-5.0), 0);
        assert_eq!(clock(1_700_000_000_000.0), 1_700_000_000_000);
        assert_eq!(clock(f64::INFINITY), 9_007_199_254_740_991);
    }
}
