//! Request counters and the request log behind `GET /_mock/stats`.

use std::collections::{BTreeMap, VecDeque};
use std::sync::Arc;

use serde_json::{json, Value};

use crate::app::App;

/// How many log entries are kept.
pub const LOG_LIMIT: usize = 1000;

/// One logged /core/v1 request.
#[derive(Debug, Clone)]
pub struct LogEntry {
    /// Method.
    pub method: String,
    /// Path relative to /core/v1 (leading slash), as received.
    pub path: String,
    /// Raw query string, as received ("" when none).
    pub query: String,
    /// Raw body (lossy UTF-8), `None` when empty.
    pub body: Option<String>,
    /// ok / missing / invalid / readonly.
    pub auth: &'static str,
    /// Response status (0 when the connection was dropped).
    pub status: u16,
}

/// Counters.
#[derive(Debug, Default)]
pub struct Stats {
    /// Total /core/v1 requests (OPTIONS excluded).
    pub requests: u64,
    /// `"GET /virtual_machines/virtual_machine"` → count.
    pub by_route: BTreeMap<String, u64>,
    /// Requests being processed right now.
    pub in_flight: u64,
    /// Highest `in_flight` seen.
    pub max_in_flight: u64,
    /// The last [`LOG_LIMIT`] requests.
    pub log: VecDeque<LogEntry>,
}

impl Stats {
    /// Zero counters and the log (`max_in_flight` drops to what is in flight now).
    pub fn reset(&mut self) {
        self.requests = 0;
        self.by_route.clear();
        self.max_in_flight = self.in_flight;
        self.log.clear();
    }

    /// Append a log entry, keeping the last [`LOG_LIMIT`].
    pub fn record(&mut self, entry: LogEntry) {
        if self.log.len() >= LOG_LIMIT {
            self.log.pop_front();
        }
        self.log.push_back(entry);
    }

    /// The JSON for `GET /_mock/stats`.
    pub fn to_json(&self) -> Value {
        json!({
            "requests": self.requests,
            "by_route": self.by_route,
            "in_flight": self.in_flight,
            "max_in_flight": self.max_in_flight,
            "log": self.log.iter().map(|e| json!({
                "method": e.method,
                "path": e.path,
                "query": e.query,
                "body": e.body,
                "auth": e.auth,
                "status": e.status,
            })).collect::<Vec<_>>(),
        })
    }
}

/// Counts a request as in flight until dropped (also when the connection
/// is dropped mid-request).
#[derive(Debug)]
pub struct InFlight {
    app: Arc<App>,
}

impl InFlight {
    /// Count one request and mark it in flight.
    pub fn begin(app: &Arc<App>, route_key: String) -> Self {
        let mut s = app.stats();
        s.requests += 1;
        *s.by_route.entry(route_key).or_insert(0) += 1;
        s.in_flight += 1;
        s.max_in_flight = s.max_in_flight.max(s.in_flight);
        drop(s);
        Self { app: app.clone() }
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        let mut s = self.app.stats();
        s.in_flight = s.in_flight.saturating_sub(1);
    }
}
