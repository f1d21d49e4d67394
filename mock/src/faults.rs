//! Fault injection: scripted faults (queued through `POST /_mock/faults`)
//! and random faults (`--fault-rate`). Scripted faults win.

use serde_json::{json, Map, Value};

use crate::ids::Rng;

/// What to do instead of (or to) the normal response.
#[derive(Debug, Clone, PartialEq)]
pub enum FaultAction {
    /// A wrapped JSON error with this status and code.
    Error {
        /// HTTP status.
        status: u16,
        /// Error code.
        code: String,
        /// Description override (else the OpenAPI text for the code).
        description: Option<String>,
        /// Detail override.
        detail: Option<Value>,
        /// Adds `Retry-After: n`.
        retry_after: Option<u64>,
    },
    /// A proxy's HTML error page (default status 502).
    Html {
        /// HTTP status.
        status: u16,
    },
    /// Serve normally, then cut the body in half.
    Truncated,
    /// Serve normally, but reset the connection after half the body (the
    /// headers announce the full length).
    ResetMidBody,
    /// Serve normally, but dribble the body out in ten chunks with this
    /// delay before each.
    SlowBody {
        /// Delay before each chunk.
        chunk_delay_ms: u64,
    },
    /// Close the connection without any response.
    Drop,
    /// Exactly this response.
    Raw {
        /// HTTP status.
        status: u16,
        /// `Content-Type`.
        content_type: String,
        /// Body.
        body: String,
    },
    /// Serve normally.
    Ok,
}

/// One fault with its timing and filters.
#[derive(Debug, Clone, PartialEq)]
pub struct Fault {
    /// The action.
    pub action: FaultAction,
    /// Wait this long first.
    pub delay_ms: u64,
    /// Only for this method (upper case).
    pub method: Option<String>,
    /// Only for this path (relative to /core/v1, leading slash).
    pub path: Option<String>,
    /// Send CORS headers with the fault (default true).
    pub cors: bool,
    /// The fault as given, for `GET /_mock/faults`.
    pub spec: Value,
}

/// Normalise a path filter: `virtual_machines/x`, `/virtual_machines/x` and
/// `/core/v1/virtual_machines/x` all mean `/virtual_machines/x`.
pub fn normalize_path(p: &str) -> String {
    let p = p.split('?').next().unwrap_or("");
    let p = p.strip_prefix("/core/v1").unwrap_or(p);
    let p = p.trim_end_matches('/');
    if p.starts_with('/') {
        p.to_string()
    } else {
        format!("/{p}")
    }
}

fn u64_field(obj: &Map<String, Value>, name: &str) -> Result<Option<u64>, String> {
    match obj.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => v
            .as_u64()
            .map(Some)
            .ok_or_else(|| format!("'{name}' must be a non-negative integer")),
    }
}

fn status_field(obj: &Map<String, Value>) -> Result<Option<u16>, String> {
    match u64_field(obj, "status")? {
        None => Ok(None),
        Some(s) if (200..=599).contains(&s) => Ok(Some(s as u16)),
        Some(_) => Err("'status' must be between 200 and 599".into()),
    }
}

/// Parse one scripted fault.
pub fn parse_fault(
    spec: &Value,
    method: Option<&str>,
    path: Option<&str>,
) -> Result<Fault, String> {
    let obj = spec
        .as_object()
        .ok_or_else(|| "each fault must be an object".to_string())?;
    let delay_ms = u64_field(obj, "delay_ms")?.unwrap_or(0);
    let cors = obj.get("cors").and_then(Value::as_bool).unwrap_or(true);
    let status = status_field(obj)?;
    let kind = obj.get("kind").and_then(Value::as_str);
    let action = match kind {
        Some("html") => FaultAction::Html {
            status: status.unwrap_or(502),
        },
        Some("truncated") => FaultAction::Truncated,
        Some("reset_mid_body") => FaultAction::ResetMidBody,
        Some("slow_body") => FaultAction::SlowBody {
            chunk_delay_ms: u64_field(obj, "chunk_delay_ms")?.unwrap_or(100),
        },
        Some("drop") => FaultAction::Drop,
        Some("ok") => FaultAction::Ok,
        Some("raw") => FaultAction::Raw {
            status: status.ok_or("a raw fault needs 'status'")?,
            content_type: obj
                .get("content_type")
                .and_then(Value::as_str)
                .unwrap_or("text/plain")
                .to_string(),
            body: match obj.get("body") {
                None | Some(Value::Null) => String::new(),
                Some(Value::String(s)) => s.clone(),
                Some(other) => other.to_string(),
            },
        },
        Some("error") | None => {
            let status = status.ok_or("a fault needs 'kind' or 'status'")?;
            FaultAction::Error {
                status,
                code: obj
                    .get("code")
                    .and_then(Value::as_str)
                    .unwrap_or(katapult_mock_core::error::default_code(status))
                    .to_string(),
                description: obj
                    .get("description")
                    .and_then(Value::as_str)
                    .map(str::to_string),
                detail: obj.get("detail").cloned(),
                retry_after: u64_field(obj, "retry_after")?,
            }
        }
        Some(other) => return Err(format!("unknown fault kind '{other}'")),
    };
    Ok(Fault {
        action,
        delay_ms,
        method: method.map(str::to_ascii_uppercase),
        path: path.map(normalize_path),
        cors,
        spec: spec.clone(),
    })
}

/// Random fault kinds for `--fault-kinds`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RandomKind {
    /// 503 service_unavailable.
    Unavailable,
    /// 502 HTML page.
    Html502,
    /// 200 with half the body.
    Truncated,
    /// 429 rate_limit_reached.
    RateLimited,
    /// Connection closed.
    Drop,
}

impl RandomKind {
    /// Parse one `--fault-kinds` entry.
    pub fn parse(s: &str) -> Result<Self, String> {
        match s.trim() {
            "503" => Ok(RandomKind::Unavailable),
            "html502" | "html" | "502" => Ok(RandomKind::Html502),
            "truncated" => Ok(RandomKind::Truncated),
            "429" => Ok(RandomKind::RateLimited),
            "drop" => Ok(RandomKind::Drop),
            other => Err(format!(
                "unknown fault kind '{other}' (expected 503, html502, truncated, 429, drop)"
            )),
        }
    }

    fn action(self) -> FaultAction {
        match self {
            RandomKind::Unavailable => FaultAction::Error {
                status: 503,
                code: "service_unavailable".into(),
                description: None,
                detail: None,
                retry_after: None,
            },
            RandomKind::Html502 => FaultAction::Html { status: 502 },
            RandomKind::Truncated => FaultAction::Truncated,
            RandomKind::RateLimited => FaultAction::Error {
                status: 429,
                code: "rate_limit_reached".into(),
                description: None,
                detail: None,
                retry_after: None,
            },
            RandomKind::Drop => FaultAction::Drop,
        }
    }
}

/// Random fault configuration.
#[derive(Debug, Clone)]
pub struct RandomFaults {
    /// Probability per request.
    pub rate: f64,
    /// Kinds to pick from uniformly.
    pub kinds: Vec<RandomKind>,
    /// Seed (restored on reset).
    pub seed: u64,
}

/// Pending scripted faults plus the random fault generator.
#[derive(Debug)]
pub struct Faults {
    pending: Vec<Fault>,
    random: Option<RandomFaults>,
    rng: Rng,
}

impl Faults {
    /// A queue with optional random faults.
    pub fn new(random: Option<RandomFaults>) -> Self {
        let seed = random.as_ref().map_or(0, |r| r.seed);
        Self {
            pending: Vec::new(),
            random,
            rng: Rng::new(seed),
        }
    }

    /// Drop scripted faults and restart the random sequence.
    pub fn reset(&mut self) {
        self.pending.clear();
        self.rng = Rng::new(self.random.as_ref().map_or(0, |r| r.seed));
    }

    /// Drop scripted faults only.
    pub fn clear(&mut self) {
        self.pending.clear();
    }

    /// Append scripted faults.
    pub fn push(&mut self, faults: Vec<Fault>) {
        self.pending.extend(faults);
    }

    /// Number of scripted faults pending.
    pub fn pending_count(&self) -> usize {
        self.pending.len()
    }

    /// Pending faults for `GET /_mock/faults`.
    pub fn describe(&self) -> Value {
        Value::Array(
            self.pending
                .iter()
                .map(|f| {
                    let mut v = match &f.spec {
                        Value::Object(o) => o.clone(),
                        _ => Map::new(),
                    };
                    v.insert("method".into(), json!(f.method));
                    v.insert("path".into(), json!(f.path));
                    Value::Object(v)
                })
                .collect(),
        )
    }

    /// The fault for one request: the first matching scripted fault
    /// (consumed), else maybe a random one.
    pub fn take(&mut self, method: &str, path: &str) -> Option<Fault> {
        let pos = self.pending.iter().position(|f| {
            f.method
                .as_deref()
                .is_none_or(|m| m.eq_ignore_ascii_case(method))
                && f.path.as_deref().is_none_or(|p| p == path)
        });
        if let Some(pos) = pos {
            return Some(self.pending.remove(pos));
        }
        let random = self.random.as_ref()?;
        if random.kinds.is_empty() || random.rate <= 0.0 {
            return None;
        }
        if self.rng.unit() >= random.rate {
            return None;
        }
        let kind = random.kinds[self.rng.below(random.kinds.len() as u64) as usize];
        Some(Fault {
            action: kind.action(),
            delay_ms: 0,
            method: None,
            path: None,
            cors: true,
            spec: Value::Null,
        })
    }
}

/// The HTML page a proxy sends for a bad gateway.
pub fn html_page(status: u16) -> String {
    let reason = axum::http::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("Error");
    format!(
        "<html>\r\n<head><title>{status} {reason}</title></head>\r\n<body>\r\n<center><h1>{status} {reason}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_and_match() {
        let mut q = Faults::new(None);
        let f = parse_fault(
            &json!({"status": 429, "retry_after": 2}),
            Some("get"),
            Some("virtual_machines/virtual_machine"),
        )
        .expect("ok");
        assert_eq!(f.path.as_deref(), Some("/virtual_machines/virtual_machine"));
        q.push(vec![
            f,
            parse_fault(&json!({"kind": "drop"}), None, None).expect("ok"),
        ]);
        // POST does not match the first, takes the second.
        assert_eq!(
            q.take("POST", "/x").map(|f| f.action),
            Some(FaultAction::Drop)
        );
        assert!(matches!(
            q.take("GET", "/virtual_machines/virtual_machine")
                .map(|f| f.action),
            Some(FaultAction::Error { status: 429, .. })
        ));
        assert!(q.take("GET", "/x").is_none());
        assert!(parse_fault(&json!({"kind": "nope"}), None, None).is_err());
        assert!(parse_fault(&json!({}), None, None).is_err());
        assert!(parse_fault(&json!({"kind": "raw"}), None, None).is_err());
    }

    #[test]
    fn random_is_seeded() {
        let cfg = RandomFaults {
            rate: 0.5,
            kinds: vec![RandomKind::Unavailable],
            seed: 9,
        };
        let mut a = Faults::new(Some(cfg.clone()));
        let mut b = Faults::new(Some(cfg));
        let xa: Vec<bool> = (0..100).map(|_| a.take("GET", "/").is_some()).collect();
        let xb: Vec<bool> = (0..100).map(|_| b.take("GET", "/").is_some()).collect();
        assert_eq!(xa, xb);
        let hits = xa.iter().filter(|x| **x).count();
        assert!((25..=75).contains(&hits), "{hits}");
    }
}
