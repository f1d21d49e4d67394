//! The faults a test asks for with `mock.fault(spec)`, by operationId.
//!
//! A fault is read from the JSON text of the caller's spec, checked whole
//! (an unknown option, a wrong type or a contradiction is refused with a
//! sentence naming it, so a typo does not silently test nothing), and kept
//! until its `times` are used up (no `times`: until `reset()`).
//!
//! Which fault a request meets: those that name its operation before those
//! that name none, and among either the oldest with answers left. So a
//! catch-all `latencyMs` does not hide a one-off `status` for one
//! operation, and one-off faults for one operation happen in the order
//! they were asked for.

use katapult_mock_core::document::Document;
use serde_json::{Map, Value};

/// The largest `latencyMs`: what `setTimeout` can wait (2^31 - 1 ms).
pub const MAX_LATENCY_MS: u64 = 2_147_483_647;

/// What a fault does to the answer.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// The normal answer (after the fault's latency, its task failing when
    /// `fail_task`).
    Answer {
        /// The operation's task fails.
        fail_task: bool,
    },
    /// No answer: the fetch rejects as on a network failure.
    Drop,
    /// A wrapped API error: the documented one for this status, or `code`.
    Error {
        /// HTTP status, 400–599.
        status: u16,
        /// The error code, when the caller chose it.
        code: Option<String>,
        /// The detail, when the caller gave it.
        detail: Option<Value>,
    },
    /// Exactly this body (an HTML page from a proxy, a wrong-shaped JSON).
    Raw {
        /// HTTP status.
        status: u16,
        /// `Content-Type`.
        content_type: String,
        /// The body.
        body: String,
    },
}

/// One fault the caller asked for.
#[derive(Debug, Clone, PartialEq)]
pub struct Fault {
    /// The operation it is for (`None`: every request).
    pub operation: Option<String>,
    /// The API it is for: `Some(true)` the Public API's, `Some(false)` the
    /// core's, `None` (no `api` given) either when it names no operation,
    /// else the core's.
    pub public: Option<bool>,
    /// Answers left (`None`: unlimited).
    pub times: Option<u64>,
    /// Wait this long before answering.
    pub latency_ms: u64,
    /// What it does.
    pub action: Action,
}

/// The options a fault takes, for the message that refuses another.
const OPTIONS: &[&str] = &[
    "operationId",
    "api",
    "status",
    "times",
    "latencyMs",
    "drop",
    "body",
    "contentType",
    "code",
    "detail",
    "failTask",
];

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// `name` as a whole number in `min..=max` (JavaScript sends `2` or `2.0`
/// alike; `2.5`, `NaN` — sent as `null` — and strings are refused).
fn whole(o: &Map<String, Value>, name: &str, min: u64, max: u64) -> Result<Option<u64>, String> {
    let Some(v) = o.get(name) else {
        return Ok(None);
    };
    let n = v.as_u64().or_else(|| {
        v.as_f64()
            .filter(|f| f.fract() == 0.0 && *f >= 0.0 && *f <= 9.0e15)
            .map(|f| f as u64)
    });
    match n {
        Some(n) if (min..=max).contains(&n) => Ok(Some(n)),
        _ => Err(format!(
            "{name} must be a whole number from {min} to {max}, got {}",
            describe(v)
        )),
    }
}

fn flag(o: &Map<String, Value>, name: &str) -> Result<bool, String> {
    match o.get(name) {
        None => Ok(false),
        Some(Value::Bool(b)) => Ok(*b),
        Some(v) => Err(format!("{name} must be true or false, got {}", describe(v))),
    }
}

fn text<'a>(o: &'a Map<String, Value>, name: &str) -> Result<Option<&'a str>, String> {
    match o.get(name) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(v) => Err(format!("{name} must be a string, got {}", describe(v))),
    }
}

/// A value as a message shows it: short, whatever it is.
fn describe(v: &Value) -> String {
    match v {
        Value::String(s) if s.chars().count() <= 40 => format!("{s:?}"),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        other => kind(other).to_owned(),
    }
}

/// Whether the operation's answer carries a task (so `failTask` can mean
/// something).
fn starts_task(operation: &str) -> bool {
    let doc = Document::get();
    // `get:task` answers with a task but starts none; no read does.
    !operation.starts_with("get:")
        && doc
            .operation(operation)
            .and_then(|o| o.answer())
            .is_some_and(|a| doc.resolve(a)["properties"].get("task").is_some())
}

/// The content type of a raw body the caller did not type: an HTML page,
/// JSON, or text.
fn sniff(body: &str) -> &'static str {
    let start = body.trim_start();
    if start.starts_with('<') {
        "text/html"
    } else if serde_json::from_str::<Value>(body).is_ok() {
        "application/json"
    } else {
        "text/plain"
    }
}

/// Reads one fault from the JSON text of the caller's spec.
pub fn parse(input: &[u8]) -> Result<Fault, String> {
    let spec: Value = serde_json::from_slice(input)
        .map_err(|_| "a fault must be an object of options".to_owned())?;
    let Value::Object(o) = spec else {
        return Err(format!("a fault must be an object, got {}", kind(&spec)));
    };
    if let Some(unknown) = o.keys().find(|k| !OPTIONS.contains(&k.as_str())) {
        return Err(format!(
            "unknown fault option {unknown:?} (allowed: {})",
            OPTIONS.join(", ")
        ));
    }
    let public = match text(&o, "api")? {
        None => None,
        Some("core") => Some(false),
        Some("public") => Some(true),
        Some(other) => return Err(format!("api must be \"core\" or \"public\", got {other:?}")),
    };
    let operation = text(&o, "operationId")?.map(str::to_owned);
    if let Some(id) = &operation {
        let (doc, api) = match public {
            Some(true) => (Document::public(), "Public"),
            _ => (Document::get(), "Core"),
        };
        if doc.operation(id).is_none() {
            return Err(format!(
                "operationId {} is no operation of the {api} API v1",
                describe(&Value::String(id.clone()))
            ));
        }
    }
    let times = whole(&o, "times", 1, u64::MAX >> 1)?;
    let latency_ms = whole(&o, "latencyMs", 0, MAX_LATENCY_MS)?.unwrap_or(0);
    let status = whole(&o, "status", 200, 599)?.and_then(|s| u16::try_from(s).ok());
    let drop = flag(&o, "drop")?;
    let fail_task = flag(&o, "failTask")?;
    let body = text(&o, "body")?;
    let content_type = text(&o, "contentType")?;
    let code = text(&o, "code")?;
    let detail = match o.get("detail") {
        None => None,
        Some(d @ Value::Object(_)) => Some(d.clone()),
        Some(v) => return Err(format!("detail must be an object, got {}", kind(v))),
    };
    if let Some(ct) = content_type {
        if ct.is_empty() || ct.len() > 200 || !ct.bytes().all(|b| (0x20..0x7f).contains(&b)) {
            return Err("contentType must be a header value of printable ASCII".into());
        }
    }

    let answers = status.is_some() || body.is_some();
    if drop && (answers || fail_task || code.is_some() || detail.is_some()) {
        return Err(
            "drop: true sends no answer, so it takes no status, body, code, detail or failTask"
                .into(),
        );
    }
    if fail_task && (answers || code.is_some() || detail.is_some()) {
        return Err("failTask: true needs the normal answer (its task), so it takes no status, body, code or detail".into());
    }
    if fail_task {
        match &operation {
            None => {
                return Err("failTask: true needs the operationId whose task should fail".into())
            }
            Some(id) if !starts_task(id) => {
                return Err(format!(
                    "{id} starts no task, so failTask cannot apply to it"
                ))
            }
            Some(_) => {}
        }
    }
    if body.is_some() && (code.is_some() || detail.is_some()) {
        return Err("body is sent as it is, so it takes no code or detail".into());
    }
    if content_type.is_some() && body.is_none() {
        return Err("contentType is the type of body: give body too".into());
    }
    let action = if drop {
        Action::Drop
    } else if let Some(body) = body {
        Action::Raw {
            status: status.unwrap_or(502),
            content_type: content_type.unwrap_or(sniff(body)).to_owned(),
            body: body.to_owned(),
        }
    } else if let Some(status) = status {
        if status < 400 {
            return Err(format!(
                "status {status} is no error: give body too for an answer of your own"
            ));
        }
        Action::Error {
            status,
            code: code.map(str::to_owned),
            detail,
        }
    } else if code.is_some() || detail.is_some() {
        return Err("code and detail describe an error: give its status too".into());
    } else if fail_task || latency_ms > 0 {
        Action::Answer { fail_task }
    } else {
        return Err(
            "a fault needs one of status, body, drop: true, latencyMs or failTask: true".into(),
        );
    };
    Ok(Fault {
        public: public.or(operation.as_ref().map(|_| false)),
        operation,
        times,
        latency_ms,
        action,
    })
}

/// The faults waiting for requests.
#[derive(Debug, Default, Clone)]
pub struct Faults {
    pending: Vec<Fault>,
}

impl Faults {
    /// Adds one.
    pub fn push(&mut self, fault: Fault) {
        self.pending.push(fault);
    }

    /// Forgets them all.
    pub fn clear(&mut self) {
        self.pending.clear();
    }

    /// How many are waiting.
    pub fn len(&self) -> usize {
        self.pending.len()
    }

    /// Whether none is waiting.
    pub fn is_empty(&self) -> bool {
        self.pending.is_empty()
    }

    /// The fault a request for `operation` meets (one of its answers used
    /// up), if any.
    pub fn take(&mut self, operation: Option<&str>, public: bool) -> Option<Fault> {
        let api = |f: &Fault| f.public.is_none_or(|p| p == public);
        let named = self
            .pending
            .iter()
            .position(|f| f.operation.is_some() && f.operation.as_deref() == operation && api(f));
        let at = named.or_else(|| {
            self.pending
                .iter()
                .position(|f| f.operation.is_none() && api(f))
        })?;
        let fault = self.pending.get_mut(at)?;
        let taken = fault.clone();
        match &mut fault.times {
            Some(1) => {
                self.pending.remove(at);
            }
            Some(n) => *n -= 1,
            None => {}
        }
        Some(taken)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fault(spec: &str) -> Result<Fault, String> {
        parse(spec.as_bytes())
    }

    #[test]
    fn reads_each_kind() {
        let f = fault(r#"{"operationId":"get:virtual_machine","status":429,"times":1}"#).unwrap();
        assert_eq!(f.times, Some(1));
        assert!(matches!(f.action, Action::Error { status: 429, .. }));
        let f = fault(r#"{"operationId":"post:virtual_machine_start","failTask":true}"#).unwrap();
        assert_eq!(f.action, Action::Answer { fail_task: true });
        let f = fault(r#"{"latencyMs":2000,"times":3}"#).unwrap();
        assert_eq!((f.latency_ms, f.times), (2000, Some(3)));
        assert_eq!(fault(r#"{"drop":true}"#).unwrap().action, Action::Drop);
        let f = fault(r#"{"body":"<html>bad gateway</html>"}"#).unwrap();
        assert_eq!(
            f.action,
            Action::Raw {
                status: 502,
                content_type: "text/html".into(),
                body: "<html>bad gateway</html>".into()
            }
        );
        let f = fault(r#"{"body":"{\"a\":1}","status":200}"#).unwrap();
        assert!(
            matches!(f.action, Action::Raw { status: 200, ref content_type, .. } if content_type == "application/json")
        );
        // JavaScript's 2.0 is 2.
        assert_eq!(
            fault(r#"{"drop":true,"times":2.0}"#).unwrap().times,
            Some(2)
        );
    }

    #[test]
    fn refuses_what_would_test_nothing() {
        for (spec, says) in [
            ("[]", "must be an object"),
            ("nope", "object of options"),
            (
                r#"{"operationid":"get:task","status":500}"#,
                "unknown fault option",
            ),
            (
                r#"{"operationId":"get:nothing","status":500}"#,
                "no operation",
            ),
            (r#"{"status":500,"times":0}"#, "times"),
            (r#"{"status":500,"times":1.5}"#, "times"),
            (r#"{"status":99}"#, "status"),
            (r#"{"status":"500"}"#, "status"),
            (r#"{"status":200}"#, "no error"),
            (r#"{"drop":true,"status":500}"#, "drop"),
            (r#"{"failTask":true}"#, "operationId"),
            (
                r#"{"operationId":"get:task","failTask":true}"#,
                "starts no task",
            ),
            (r#"{"operationId":"get:task"}"#, "needs one of"),
            (r#"{"latencyMs":-1}"#, "latencyMs"),
            (r#"{"latencyMs":1e300}"#, "latencyMs"),
            (
                r#"{"api":"public","operationId":"get:organizations","status":500}"#,
                "Public API",
            ),
            (r#"{"api":"other","status":500}"#, "api must be"),
            (r#"{"contentType":"text/html","status":500}"#, "give body"),
            (r#"{"code":"x"}"#, "status"),
            (r#"{"status":500,"detail":[1]}"#, "detail"),
        ] {
            let e = fault(spec).expect_err(spec);
            assert!(e.contains(says), "{spec}: {e}");
        }
    }

    #[test]
    fn named_faults_first_then_oldest_first() {
        let mut q = Faults::default();
        q.push(fault(r#"{"latencyMs":5}"#).unwrap());
        q.push(fault(r#"{"operationId":"get:task","status":503,"times":1}"#).unwrap());
        q.push(fault(r#"{"operationId":"get:task","status":429,"times":2}"#).unwrap());
        let statuses: Vec<Option<u16>> = (0..5)
            .map(
                |_| match q.take(Some("get:task"), false).map(|f| f.action) {
                    Some(Action::Error { status, .. }) => Some(status),
                    _ => None,
                },
            )
            .collect();
        assert_eq!(statuses, [Some(503), Some(429), Some(429), None, None]);
        assert_eq!(
            q.take(Some("get:organizations"), false)
                .map(|f| f.latency_ms),
            Some(5)
        );
        assert_eq!(q.len(), 1);
        q.clear();
        assert!(q.take(None, false).is_none());
    }
}
