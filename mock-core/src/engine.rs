//! The engine's surface: a request and the time in, an answer out.
//!
//! [`Engine::handle`] answers any operation of the document; `None` means
//! the method and path are no operation at all (the server's
//! `route_not_found`). Everything around an answer that is about HTTP or
//! the server (request ids, rate limits, authentication, faults, CORS)
//! stays with the caller, which runs it the same way for every operation.

use std::collections::BTreeSet;
use std::sync::Arc;

use serde_json::Value;

use crate::error::ApiError;
use crate::fixture::Fixture;
use crate::host::Host;
use crate::ids::{encode16, mix64};
use crate::kinds::id_prefix;
use crate::plan::Plan;
use crate::run::{Job, Run};
use crate::seeding::Seed;
use crate::store::Store;

/// How the engine behaves.
#[derive(Debug, Clone)]
pub struct Config {
    /// How long a task takes from its start to its end.
    pub task_ms: u64,
    /// Largest accepted `per_page`.
    pub max_per_page: i64,
    /// Report lists over a thousand as `large_set`.
    pub large_sets: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            task_ms: 1500,
            max_per_page: 200,
            large_sets: false,
        }
    }
}

/// One request, as the engine needs it.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    /// `GET`, `POST`, … (upper case).
    pub method: &'a str,
    /// The path below the API's base (`/dns_zones/dns_zone`).
    pub path: &'a str,
    /// The raw query string, without `?`.
    pub query: Option<&'a str>,
    /// The `Content-Type` header: a body is read only when it is JSON, as
    /// the API does.
    pub content_type: Option<&'a str>,
    /// The body.
    pub body: &'a [u8],
}

/// An answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    /// HTTP status.
    pub status: u16,
    /// `application/json`, or `text/plain` for the one text operation.
    pub content_type: &'static str,
    /// The body.
    pub body: Vec<u8>,
    /// Whether it is a wrapped error (`x-api-schema: json-error`).
    pub error: bool,
}

impl Answer {
    /// A JSON answer.
    pub fn json(status: u16, body: &Value) -> Self {
        Answer {
            status,
            content_type: "application/json",
            body: serde_json::to_vec(body).unwrap_or_default(),
            error: false,
        }
    }

    /// A text answer.
    pub fn text(status: u16, body: String) -> Self {
        Answer {
            status,
            content_type: "text/plain",
            body: body.into_bytes(),
            error: false,
        }
    }

    /// A wrapped error.
    pub fn error(e: &ApiError) -> Self {
        Answer {
            error: true,
            ..Answer::json(e.status, &e.body())
        }
    }

    /// Its headers.
    pub fn headers(&self) -> Vec<(&'static str, String)> {
        let mut headers = vec![("content-type", self.content_type.to_owned())];
        if self.error {
            headers.push(("x-api-schema", "json-error".to_owned()));
        }
        headers
    }

    /// The body as JSON (`null` when it is not).
    pub fn json_body(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or(Value::Null)
    }
}

/// An operation the engine answers, as routing needs it.
#[derive(Debug, Clone)]
pub struct Route {
    /// Its operationId.
    pub operation_id: &'static str,
    /// The scopes that grant it, any one of which suffices (none: every
    /// token may call it).
    pub scopes: Vec<&'static str>,
}

/// The token every mock also accepts with read scopes only (besides its
/// own, which holds every scope): writes answer `scope_not_granted`.
pub const READ_ONLY_TOKEN: &str = "readonly-token";

/// Scopes the read-only token holds besides every `…:read` scope.
const READ_ONLY_SCOPES: &[&str] = &[
    "virtual_machines:read",
    "organizations:read",
    "tasks:read",
    "virtual_machine_packages:read",
    "disk_templates:read",
    "virtual_machine_groups:read",
    "disks:read",
    "ip_addresses:read",
    "disk_backup_policies:read",
];

/// Whether the read-only token may call an operation granted by any one of
/// `scopes` (Apia's `authorized_scope?`).
pub fn read_only_may(scopes: &[&str]) -> bool {
    scopes.is_empty()
        || scopes
            .iter()
            .any(|s| s.ends_with(":read") || READ_ONLY_SCOPES.contains(s))
}

/// What an engine starts from, and returns to on [`Engine::reset`]: a
/// named seed, or a fixture of the caller's.
///
/// Objects of the kinds its host keeps (the mock server's organizations,
/// VMs, catalogue…) are never loaded: the host has them already. With
/// [`crate::NoHost`] the engine keeps the fixture's objects itself. Kinds
/// the fixture lacks get generated placeholders either way
/// ([`crate::seed`]), so every lookup of the document finds something.
#[derive(Debug, Clone)]
enum Start {
    Seed(Seed),
    Fixture(Arc<Fixture>),
}

impl Start {
    fn fixture(&self) -> Option<&Fixture> {
        match self {
            Start::Seed(Seed::Default) => Some(Fixture::builtin()),
            Start::Seed(Seed::Empty) => None,
            Start::Fixture(f) => Some(f),
        }
    }
}

/// The engine: its objects, and how it runs.
#[derive(Debug, Clone)]
pub struct Engine {
    pub(crate) config: Config,
    pub(crate) store: Store,
    counter: u64,
    start: Start,
    seeded: bool,
    failing: BTreeSet<String>,
    /// Tasks still running, with what they do when ([`crate::run`]'s
    /// behaviours): applied as the clock the engine is handed passes.
    pub(crate) jobs: Vec<Job>,
    /// The origin the server is reached at (`http://127.0.0.1:8080`), for
    /// addresses that point back at it (a console session's page).
    pub(crate) origin: Option<String>,
    /// How many VMs to generate in place of `acme`'s
    /// ([`Engine::with_generated_vms`]).
    generated: Option<usize>,
}

/// The organization generated VMs belong to.
const GENERATED_FOR: &str = "acme";

/// Mixed into run-time ids so they do not look sequential.
const SALT: u64 = 0x6B61_7461_7075_6C74;

impl Engine {
    /// An engine seeded with the default fixture ([`Seed::Default`]).
    pub fn new(config: Config) -> Self {
        Engine::with_seed(config, Seed::Default)
    }

    /// An engine that starts with `seed`'s objects. It loads them on the
    /// first request, when it knows its host: objects of the kinds the host
    /// keeps are the host's.
    pub fn with_seed(config: Config, seed: Seed) -> Self {
        Engine::starting(config, Start::Seed(seed))
    }

    /// An engine that starts with a fixture of the caller's
    /// ([`Fixture::parse`]) instead of the default one, and placeholders
    /// for the kinds it lacks.
    pub fn with_fixture(config: Config, fixture: Fixture) -> Self {
        Engine::starting(config, Start::Fixture(Arc::new(fixture)))
    }

    fn starting(config: Config, start: Start) -> Self {
        Engine {
            config,
            store: Store::default(),
            counter: 0,
            start,
            seeded: false,
            failing: BTreeSet::new(),
            jobs: Vec::new(),
            origin: None,
            generated: None,
        }
    }

    /// The same engine with `acme`'s VMs replaced by `n` generated ones
    /// (`vm-00001`, …, each with a disk, an interface and two addresses),
    /// for scale tests and benchmarks (`--seed-vms`); again after a reset.
    pub fn with_generated_vms(mut self, n: usize) -> Self {
        self.generated = Some(n);
        self.reset();
        self
    }

    /// Forgets every object and failing operation and returns to what it
    /// started from (ids keep counting, so nothing created before answers
    /// to an old id).
    pub fn reset(&mut self) {
        self.store = Store::default();
        self.seeded = false;
        self.failing.clear();
        self.jobs.clear();
    }

    /// Forgets everything as [`Engine::reset`] does and starts again from
    /// `seed`.
    pub fn reseed(&mut self, seed: Seed) {
        self.start = Start::Seed(seed);
        self.reset();
    }

    /// The operation at this method and path.
    pub fn route(method: &str, path: &str) -> Option<Route> {
        Plan::find(method, path).map(|p| Route {
            operation_id: p.id(),
            scopes: p.doc.scopes(),
        })
    }

    /// Whether any operation lives at this path (for `OPTIONS`).
    pub fn path_exists(path: &str) -> bool {
        Plan::path_exists(path)
    }

    /// Makes the tasks that `operation_id` starts from now on fail (or
    /// succeed again).
    pub fn fail_tasks(&mut self, operation_id: &str, fail: bool) {
        match fail {
            true => self.failing.insert(operation_id.to_owned()),
            false => self.failing.remove(operation_id),
        };
    }

    pub(crate) fn fails(&self, operation_id: &str) -> bool {
        self.failing.contains(operation_id)
    }

    /// A fresh id for an object of `kind`.
    pub(crate) fn new_id(&mut self, kind: &str) -> String {
        self.counter += 1;
        format!(
            "{}_{}",
            id_prefix(kind),
            encode16(mix64(self.counter ^ SALT))
        )
    }

    /// Answers a request at `now_ms` (unix milliseconds); `None` when no
    /// operation has this method and path.
    pub fn handle(
        &mut self,
        host: &mut dyn Host,
        request: &Request,
        now_ms: u64,
    ) -> Option<Answer> {
        let plan = Plan::find(request.method, request.path)?;
        if !self.seeded {
            let start = self.start.clone();
            crate::seed::seed(self, start.fixture(), host, now_ms);
            if let Some(n) = self.generated.filter(|_| !host.owns("virtual_machine")) {
                crate::generate::vms(self, GENERATED_FOR, n, now_ms);
            }
            self.seeded = true;
        }
        self.advance(now_ms);
        let mut run = Run {
            engine: self,
            host,
            plan,
            now_ms,
            job: None,
            extra: serde_json::Map::new(),
            preset: serde_json::Map::new(),
            items: None,
            fail: false,
            task_name: None,
        };
        Some(match run.answer(request) {
            Ok(answer) => answer,
            Err(e) => Answer::error(&e),
        })
    }

    /// Applies what running tasks do up to `now_ms`: a task's `during`
    /// changes once it runs (a fifth of its time in), then its `done` ones
    /// when it completes or its `undo` ones when it fails.
    pub fn advance(&mut self, now_ms: u64) {
        let total = self.config.task_ms;
        let mut jobs = std::mem::take(&mut self.jobs);
        jobs.retain_mut(|job| {
            let elapsed = now_ms.saturating_sub(job.created_ms);
            let finished = elapsed >= total;
            if !job.running && (finished || elapsed * 5 >= total.max(1)) {
                job.running = true;
                job.plan
                    .during
                    .iter()
                    .for_each(|s| s.apply(&mut self.store));
            }
            if finished {
                let steps = if job.fail {
                    &job.plan.undo
                } else {
                    &job.plan.done
                };
                steps.iter().for_each(|s| s.apply(&mut self.store));
            }
            !finished
        });
        jobs.append(&mut self.jobs);
        self.jobs = jobs;
    }

    /// Tells the engine the origin its requests come to (the server's, per
    /// request), for addresses that point back at it.
    pub fn set_origin(&mut self, origin: Option<String>) {
        self.origin = origin;
    }

    /// Whether a task still runs against this object.
    pub(crate) fn busy(&self, kind: &str, id: &str) -> bool {
        self.jobs
            .iter()
            .any(|j| j.busy.as_ref().is_some_and(|(k, i)| k == kind && i == id))
    }

    /// One of the engine's objects as it is now (the server's console
    /// page reads a session and its VM here).
    pub fn object(&mut self, kind: &str, key: &str, value: &str, now_ms: u64) -> Option<Value> {
        self.advance(now_ms);
        let record = self.store.find(kind, key, value)?;
        match self.store.trash_of(kind, &record.id) {
            Some(_) => None,
            None => Some(Value::Object(record.data.clone())),
        }
    }

    /// The `get:task` answer for one of the engine's tasks (the server's
    /// own task route asks here for tasks it did not start).
    pub fn task(&self, id: &str, now_ms: u64) -> Option<Value> {
        let record = self.store.find("task", "id", id)?;
        let plan = Plan::all().iter().find(|p| p.id() == "get:task")?;
        Some(crate::run::task_answer(self, plan, record, now_ms))
    }
}
