//! One call's decisions: the client's configuration, the request a method's
//! arguments make, and what an answer or a failed attempt means (the
//! answer checked against its documented shape, the error it is, whether
//! and when to try again). The driver (`src/js/driver.js`) asks; nothing
//! of a call is kept here between its steps.

use super::{answer, arg, arguments, fail, object, with_input};
use crate::args::{self, BuildOptions, ListOptions, RETRIES, SIGNAL, TIMEOUT};
use crate::config::{self, Config};
use crate::error::{codes, Error};
use crate::lookup::{self, OrganizationLookup, VirtualMachineLookup};
use crate::operation::{self, Naming, Operation};
use crate::request::{Call, Method};
use crate::response;
use crate::retry::{self, Decision, Failure};
use crate::spec;
use serde_json::{Map, Value};

/// `prepare` kinds: how the arguments array is laid out.
mod kind {
    /// `request(operationId, params, options)`: `[params, options, id]`.
    pub const REQUEST: u32 = 0;
    /// A named method of the table: `[[subjects…], options]`.
    pub const INVOKE: u32 = 1;
    /// A method taking a VM lookup: `[vm, options]`.
    pub const VM: u32 = 2;
    /// `listVirtualMachines`: `[org, options]`.
    pub const LIST_VMS: u32 = 3;
    /// `buildVirtualMachineFromSpec`: `[org, xml, options]`.
    pub const BUILD: u32 = 4;
    /// A method taking an object's id or `{ id }`: `[key, id, options]`.
    pub const BY_ID: u32 = 5;
    /// One page of a walk whose arguments were checked: `[params, page, per_page]`.
    pub const PAGE: u32 = 6;
}

/// Checks `new KatapultClient(config)` (`[config]`; `how` 1: the token is
/// a function the driver holds, left out of `config`; 2: it is
/// `new KatapultPublicClient(config)`, with no token). 0 and `{ baseUrl,
/// timeoutMs, maxRetries, authorization }` (the header, `null` for a token
/// function or none), or 1 and the error.
#[no_mangle]
pub extern "C" fn kw_config(how: u32, len: usize) -> i32 {
    let checked = with_input(len, |input| {
        let args = arguments(input)?;
        match how {
            2 => Config::parse_public(arg(&args, 0)),
            _ => Config::parse(arg(&args, 0), how != 0),
        }
    });
    match checked {
        Ok(config) => {
            answer(&object(&[
                ("baseUrl", Value::String(config.base_url.clone())),
                ("timeoutMs", config.timeout_ms.into()),
                ("maxRetries", config.max_retries.into()),
                ("maxResponseBytes", config.max_response_bytes.into()),
                (
                    "authorization",
                    config.authorization().map_or(Value::Null, Value::String),
                ),
            ]));
            0
        }
        Err(e) => {
            fail(&e);
            1
        }
    }
}

/// A token function's result, `[token or null, what went wrong or null]`:
/// 0 and the `Authorization` header, or 1 and the error (which never
/// holds the value).
#[no_mangle]
pub extern "C" fn kw_bearer(len: usize) -> i32 {
    let header = with_input(len, |input| {
        let args = arguments(input)?;
        let failed = |what: &str| {
            Error::invalid_argument(format!(
                "config.token: the token function {what}; no request was sent"
            ))
        };
        match (arg(&args, 0), arg(&args, 1)) {
            (_, Value::String(what)) => Err(failed(what)),
            (Value::String(token), _) => config::bearer(token),
            _ => Err(failed("returned something other than a string")),
        }
    });
    match header {
        Ok(header) => {
            answer(&header);
            0
        }
        Err(e) => {
            fail(&e);
            1
        }
    }
}

/// Checks a method's arguments (laid out as `kind` says) for the operation
/// at `op` in the table (-1: none was found) and builds its request. 0 and
/// the request as one line of text: the method's digit (0 GET, 1 POST, 2
/// DELETE, 3 PATCH, 4 PUT), the path and query below the base URL, and
/// after a newline the JSON body if it has one; or 1 and the error.
#[no_mangle]
pub extern "C" fn kw_prepare(op: i32, kind: u32, len: usize) -> i32 {
    let prepared = with_input(len, |input| {
        let args = arguments(input)?;
        prepare(operation::named_by(op), kind, &args)
    });
    match prepared {
        Ok(call) => {
            let method = match call.request.method {
                Method::Get => '0',
                Method::Post => '1',
                Method::Delete => '2',
                Method::Patch => '3',
                Method::Put => '4',
            };
            let mut line = String::with_capacity(64);
            line.push(method);
            line.push_str(&call.request.url(""));
            if let Some(body) = &call.request.body {
                line.push('\n');
                line.push_str(body);
            }
            answer(&line);
            0
        }
        Err(e) => {
            fail(&e);
            1
        }
    }
}

/// The operation a call names, or the error for the name it was given.
fn operation(
    (op, public): (Option<&'static Operation>, bool),
    id: &Value,
) -> Result<&'static Operation, Error> {
    match (op, id) {
        (Some(op), _) => Ok(op),
        (None, Value::String(id)) => Err(operation::unknown(id, public)),
        (None, _) => Err(Error::invalid_argument(
            "operationId must be a string such as \"get:virtual_machine\" (see `operations`)",
        )),
    }
}

fn prepare(
    op: (Option<&'static Operation>, bool),
    kind: u32,
    args: &[Value],
) -> Result<Call, Error> {
    match kind {
        kind::REQUEST => {
            let op = operation(op, arg(args, 2))?;
            signal_only(arg(args, 1))?;
            op.call(arg(args, 0), &Naming::PARAMS)
        }
        kind::INVOKE => invoke(operation(op, &Value::Null)?, args),
        kind::VM => {
            let op = operation(op, &Value::Null)?;
            let vm = VirtualMachineLookup::parse(arg(args, 0), "vm")?;
            signal_only(arg(args, 1))?;
            let mut params = Map::new();
            params.insert("virtual_machine".into(), lookup::to_json(vm.pair()));
            op.call(&Value::Object(params), &Naming::PARAMS)
        }
        kind::LIST_VMS => {
            let op = operation(op, &Value::Null)?;
            let mut params = Map::new();
            params.insert("organization".into(), org_lookup(arg(args, 0))?);
            let list = ListOptions::parse(Some(arg(args, 1)))?;
            if !list.annotations.is_empty() {
                params.insert("annotations".into(), annotations_arg(&list.annotations));
            }
            if let Some(page) = list.page {
                params.insert("page".into(), page.into());
            }
            if let Some(per_page) = list.per_page {
                params.insert("per_page".into(), per_page.into());
            }
            op.call(&Value::Object(params), &Naming::PARAMS)
        }
        kind::BUILD => {
            let op = operation(op, &Value::Null)?;
            let org = org_lookup(arg(args, 0))?;
            let xml = spec::xml_text(arg(args, 1))?;
            let build = BuildOptions::parse(Some(arg(args, 2)))?;
            let mut params = Map::new();
            params.insert("organization".into(), org);
            params.insert("xml".into(), Value::String(xml));
            if !build.annotations.is_empty() {
                params.insert("annotations".into(), annotations_arg(&build.annotations));
            }
            op.call(&Value::Object(params), &Naming::PARAMS)
        }
        kind::BY_ID => {
            let op = operation(op, &Value::Null)?;
            let key = arg(args, 0).as_str().unwrap_or("id");
            let id = args::id_or_object(arg(args, 1), "id")?;
            signal_only(arg(args, 2))?;
            let mut params = Map::new();
            params.insert(key.to_owned(), lookup::to_json(("id", &id)));
            op.call(&Value::Object(params), &Naming::PARAMS)
        }
        kind::PAGE => {
            let op = operation(op, &Value::Null)?;
            let number = |i| arg(args, i).as_u64().and_then(|n| u32::try_from(n).ok());
            let (Some(page), Some(per_page)) = (number(1), number(2)) else {
                return Err(Error::invalid_argument("the page could not be read"));
            };
            let params = crate::paginate::page_params(arg(args, 0), page, per_page);
            op.call(&params, &Naming::PARAMS)
        }
        _ => Err(Error::invalid_argument("unknown kind of call")),
    }
}

/// A named method of the table: the subjects positionally, the other
/// arguments and `signal` in `options`.
fn invoke(op: &'static Operation, args: &[Value]) -> Result<Call, Error> {
    let mut params = match arg(args, 1) {
        Value::Null => Map::new(),
        Value::Object(map) => map.clone(),
        other => {
            return Err(Error::invalid_argument(format!(
                "options must be an object, got {}",
                args::describe(other)
            )))
        }
    };
    let given = arg(args, 0).as_array().map(Vec::as_slice).unwrap_or(&[]);
    let mut shown = Vec::new();
    for (i, subject) in op.subjects().enumerate() {
        let name = subject.name();
        params.insert(name.to_owned(), arg(given, i).clone());
        shown.push((name, name));
    }
    let naming = Naming {
        prefix: "options",
        shown: &shown,
        extra: &[SIGNAL, TIMEOUT, RETRIES],
    };
    op.call(&Value::Object(params), &naming)
}

/// For methods whose only options are those of every call.
fn signal_only(options: &Value) -> Result<(), Error> {
    args::object_arg(Some(options), "options", &[SIGNAL, TIMEOUT, RETRIES]).map(|_| ())
}

/// An organization lookup argument as the API's lookup object.
pub(super) fn org_lookup(org: &Value) -> Result<Value, Error> {
    let org = OrganizationLookup::parse(org, "org")?;
    Ok(lookup::to_json(org.pair()))
}

/// The annotations of a method's options, as the API's argument.
pub(super) fn annotations_arg(list: &[args::Annotation]) -> Value {
    Value::Array(
        list.iter()
            .map(|a| {
                let mut pair = Map::new();
                pair.insert("key".into(), Value::String(a.key.clone()));
                pair.insert("value".into(), Value::String(a.value.clone()));
                Value::Object(pair)
            })
            .collect(),
    )
}

/// What `kw_judge` and `kw_failure` return besides a delay.
mod outcome {
    /// The answer is the JSON body (checked): `JSON.parse` it.
    pub const JSON: f64 = -1.0;
    /// The call failed: the error is the text answer.
    pub const ERROR: f64 = -2.0;
    /// The answer is the body's text (checked UTF-8).
    pub const TEXT: f64 = -3.0;
}

/// Judges an answer to the operation at `op`: the input is its body
/// (`body_len` bytes) followed by its `Retry-After` header
/// (`retry_after_len` bytes, 0 when absent). `retries` were made already,
/// `max_retries` are allowed; `random` in [0, 1) jitters the backoff and
/// `now` (ms since the epoch) reads a Retry-After date. Returns -1 (a JSON
/// answer), -3 (a text answer), -2 (the error is the text answer), or a
/// delay in ms after which to try again (the error is the text answer).
#[allow(clippy::too_many_arguments)]
#[no_mangle]
pub extern "C" fn kw_judge(
    op: u32,
    status: u32,
    body_len: usize,
    retry_after_len: usize,
    retries: u32,
    max_retries: u32,
    random: f64,
    now: f64,
) -> f64 {
    let Some(op) = usize::try_from(op).ok().and_then(Operation::at) else {
        fail(&lost());
        return outcome::ERROR;
    };
    let status = u16::try_from(status).unwrap_or(0);
    let judged = with_input(body_len.saturating_add(retry_after_len), |input| {
        let body = input.get(..body_len).unwrap_or(&[]);
        let checked = match op.json() {
            true => response::check(status, body, op.answer, None).map(|()| outcome::JSON),
            false => response::text(status, body, None).map(|_| outcome::TEXT),
        };
        checked.map_err(|error| {
            let header = input
                .get(body_len..)
                .and_then(|h| std::str::from_utf8(h).ok())
                .filter(|h| !h.is_empty());
            let delay = retry_delay(op, &error, header, retries, max_retries, random, now);
            (error, delay)
        })
    });
    match judged {
        Ok(answer) => answer,
        Err((error, delay)) => {
            fail(&error);
            delay
        }
    }
}

/// Why an attempt got no answer, as `kw_failure` is told.
mod reason {
    /// fetch rejected: the input is its message.
    pub const NETWORK: u32 = 0;
    /// The attempt's `timeoutMs` passed.
    pub const TIMEOUT: u32 = 1;
    /// The caller's signal fired.
    pub const ABORTED: u32 = 2;
    /// A redirect to another origin: the input is the origin.
    pub const REDIRECT: u32 = 3;
    /// The answer was larger than `maxResponseBytes`: the input is the limit.
    pub const TOO_LARGE: u32 = 4;
}

/// An attempt of the operation at `op` that got no usable answer (`reason`,
/// with the input as that reason says; `status` the answer's status where
/// there was one). Returns -2 (the error is the text answer) or a delay in
/// ms after which to try again (the error is the text answer).
#[allow(clippy::too_many_arguments)]
#[no_mangle]
pub extern "C" fn kw_failure(
    op: u32,
    reason: u32,
    len: usize,
    status: u32,
    retries: u32,
    max_retries: u32,
    timeout_ms: u32,
    random: f64,
) -> f64 {
    let Some(op) = usize::try_from(op).ok().and_then(Operation::at) else {
        fail(&lost());
        return outcome::ERROR;
    };
    let told = with_input(len, |input| String::from_utf8_lossy(input).into_owned());
    // The error, and whether the retry policy may try again: an abort, a
    // cross-origin redirect and an answer too large are final.
    let (error, may_retry) = match reason {
        reason::ABORTED => (aborted(), false),
        reason::TIMEOUT => (
            Error::client(
                codes::TIMEOUT,
                format!("No complete response within timeoutMs ({timeout_ms} ms)"),
            ),
            true,
        ),
        reason::REDIRECT => (
            Error::client(
                codes::NETWORK_ERROR,
                format!(
                    "The API redirected to another origin ({told}); the redirect was not followed"
                ),
            ),
            false,
        ),
        reason::TOO_LARGE => (
            Error {
                status: u16::try_from(status).unwrap_or(0),
                ..Error::client(
                    "response_too_large",
                    format!("The API's answer is larger than maxResponseBytes ({told} bytes); it was not read"),
                )
            },
            false,
        ),
        reason::NETWORK => (
            Error::client(
                codes::NETWORK_ERROR,
                format!("The request could not be completed: {told}"),
            ),
            true,
        ),
        _ => (lost(), false),
    };
    let delay = match may_retry {
        true => retry_delay(op, &error, None, retries, max_retries, random, 0.0),
        false => outcome::ERROR,
    };
    fail(&error);
    delay
}

/// The core's retry decision as a delay, or -2 to give up.
fn retry_delay(
    op: &Operation,
    error: &Error,
    retry_after: Option<&str>,
    retries: u32,
    max_retries: u32,
    random: f64,
    now: f64,
) -> f64 {
    let failure = Failure { error, retry_after };
    let idempotent = op.method() == Method::Get;
    match retry::decide(&failure, retries, max_retries, idempotent, random, now) {
        Decision::GiveUp => outcome::ERROR,
        Decision::RetryAfter(ms) => f64::from(ms),
    }
}

/// The error for a call whose signal fired.
pub(super) fn aborted() -> Error {
    Error::client(codes::ABORTED, "The call was aborted by its AbortSignal")
}

/// An operation the driver named but the table does not have (never expected).
fn lost() -> Error {
    Error::client(codes::NETWORK_ERROR, "The call's operation was not found")
}
