//! The byte boundary JavaScript drives (`src/js/testing.js`), as plain
//! Rust so the native tests can drive it with hostile bytes; the module's
//! exports (`exports.rs`) are one-line wrappers over these functions.
//!
//! Like the client's module, it never calls JavaScript: JavaScript writes
//! a call's input into one buffer ([`input`]), calls one function with
//! numbers, and reads the one output buffer ([`output`]). Every function
//! validates what it reads and answers any bytes with a value or an error
//! message; none keeps anything between calls but the mocks themselves,
//! their held requests, and the two buffers (each given back after a call
//! that needed more than [`KEEP_BYTES`]).
//!
//! Several mocks live in one instance, each under a handle (a number from
//! 1), so a test file that makes a mock per test shares one compiled
//! module and one parsed OpenAPI document.

use std::cell::RefCell;

use katapult_mock_core::Seed;
use serde_json::Value;

use crate::faults::MAX_LATENCY_MS;
use crate::mock::{clock, Incoming, Mock, Reply, MAX_BODY};

/// Buffers larger than this are given back after the call that needed them.
pub const KEEP_BYTES: usize = 1 << 20;

/// The largest request head (method, URL, two headers) taken.
pub const MAX_HEAD: usize = 1 << 20;

thread_local! {
    static INPUT: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
    static OUTPUT: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
    static MOCKS: RefCell<Vec<Option<Mock>>> = const { RefCell::new(Vec::new()) };
}

/// Makes the input buffer `len` bytes long and returns it, for JavaScript
/// to write the next call's input into; `None` past what a call takes
/// (a head and a body at their limits) or when memory cannot grow.
pub fn input(len: usize) -> Option<*mut u8> {
    if len > MAX_HEAD + MAX_BODY {
        return None;
    }
    INPUT.with(|input| {
        let mut input = input.borrow_mut();
        input.clear();
        input.try_reserve_exact(len).ok()?;
        input.resize(len, 0);
        Some(input.as_mut_ptr())
    })
}

/// Copies `bytes` into the input buffer (what JavaScript does through the
/// pointer [`input`] returns), for the native tests.
pub fn write_input(bytes: &[u8]) -> bool {
    INPUT.with(|input| {
        let mut input = input.borrow_mut();
        input.clear();
        if input.try_reserve_exact(bytes.len()).is_err() {
            return false;
        }
        input.extend_from_slice(bytes);
        true
    })
}

/// Where the last call's output starts, and its length.
pub fn output() -> (*const u8, usize) {
    OUTPUT.with(|output| {
        let output = output.borrow();
        (output.as_ptr(), output.len())
    })
}

/// A copy of the last call's output, for the native tests.
pub fn output_bytes() -> Vec<u8> {
    OUTPUT.with(|output| output.borrow().clone())
}

/// The body size the mock takes; a larger body is not passed in (see
/// [`receive`]).
pub fn body_limit() -> usize {
    MAX_BODY
}

/// Runs `f` over the first `len` bytes of the input buffer (none past its
/// end); then gives a large buffer back.
fn with_input<T>(len: usize, f: impl FnOnce(&[u8]) -> T) -> T {
    INPUT.with(|input| {
        let mut input = input.borrow_mut();
        let given = input.get(..len).unwrap_or(&[]);
        let result = f(given);
        if input.capacity() > KEEP_BYTES {
            *input = Vec::new();
        }
        result
    })
}

/// Leaves `parts` one after the other as the call's output.
fn put(parts: &[&[u8]]) {
    OUTPUT.with(|output| {
        let mut output = output.borrow_mut();
        if output.capacity() > KEEP_BYTES {
            *output = Vec::new();
        }
        output.clear();
        for part in parts {
            output.extend_from_slice(part);
        }
    });
}

/// Leaves a message as the output (for a call that returns failure).
fn fail(message: &str) {
    put(&[message.as_bytes()]);
}

fn with_mock<T>(handle: u32, f: impl FnOnce(&mut Mock) -> T) -> Option<T> {
    let at = usize::try_from(handle).ok()?.checked_sub(1)?;
    MOCKS.with(|mocks| mocks.borrow_mut().get_mut(at)?.as_mut().map(f))
}

/// Creates a mock from `{"options": {"seed", "latencyMs"}, "token"}`
/// (JSON text, `len` bytes of input; the options are the caller's, the
/// token the package's): its handle, or 0 with the message that refuses
/// the options.
pub fn create(len: usize) -> u32 {
    let made = with_input(len, |bytes| -> Result<Mock, String> {
        let Ok(Value::Object(input)) = serde_json::from_slice::<Value>(bytes) else {
            return Err("the options could not be read".into());
        };
        let Some(Value::Object(options)) = input.get("options") else {
            return Err("options must be an object: { seed?, latencyMs? }".into());
        };
        if let Some(unknown) = options
            .keys()
            .find(|k| !["seed", "latencyMs"].contains(&k.as_str()))
        {
            return Err(format!(
                "unknown option {unknown:?} (allowed: seed, latencyMs)"
            ));
        }
        let seed = match options.get("seed") {
            None => Seed::Default,
            Some(Value::String(name)) => Seed::named(name)
                .ok_or_else(|| format!("seed must be \"default\" or \"empty\", got {name:?}"))?,
            Some(_) => return Err("seed must be \"default\" or \"empty\"".into()),
        };
        let token = match input.get("token") {
            Some(Value::String(t))
                if !t.is_empty() && t.len() <= 200 && t.bytes().all(|b| b.is_ascii_graphic()) =>
            {
                t.clone()
            }
            _ => return Err("the token must be printable ASCII without spaces".into()),
        };
        let latency = match options.get("latencyMs") {
            None => 0,
            Some(v) => v
                .as_u64()
                .or_else(|| {
                    v.as_f64()
                        .filter(|f| f.fract() == 0.0 && *f >= 0.0 && *f <= 9.0e15)
                        .map(|f| f as u64)
                })
                .filter(|n| *n <= MAX_LATENCY_MS)
                .ok_or_else(|| {
                    format!("latencyMs must be a whole number from 0 to {MAX_LATENCY_MS}")
                })?,
        };
        Ok(Mock::new(seed, token, latency))
    });
    match made {
        Ok(mock) => MOCKS.with(|mocks| {
            let mut mocks = mocks.borrow_mut();
            let at = match mocks.iter().position(Option::is_none) {
                Some(free) => free,
                None => {
                    mocks.push(None);
                    mocks.len() - 1
                }
            };
            if let Some(slot) = mocks.get_mut(at) {
                *slot = Some(mock);
            }
            u32::try_from(at + 1).unwrap_or(0)
        }),
        Err(message) => {
            fail(&message);
            0
        }
    }
}

/// Frees a mock (its objects, faults and held requests); its handle may
/// be given to a new one.
pub fn drop_mock(handle: u32) {
    let Some(at) = usize::try_from(handle).ok().and_then(|h| h.checked_sub(1)) else {
        return;
    };
    MOCKS.with(|mocks| {
        let mut mocks = mocks.borrow_mut();
        if let Some(slot) = mocks.get_mut(at) {
            *slot = None;
        }
        while mocks.last().is_some_and(Option::is_none) {
            mocks.pop();
        }
    });
}

/// Adds a fault (its spec as JSON text): 0, or 1 with the message that
/// refuses it.
pub fn fault(handle: u32, len: usize) -> i32 {
    let added = with_input(len, |spec| with_mock(handle, |mock| mock.fault(spec)));
    match added {
        Some(Ok(())) => 0,
        Some(Err(message)) => {
            fail(&message);
            1
        }
        None => {
            fail("this mock is gone");
            1
        }
    }
}

/// Restores a mock's seed and forgets its faults: 0, or 1 when the handle
/// names no mock.
pub fn reset(handle: u32) -> i32 {
    match with_mock(handle, Mock::reset) {
        Some(()) => 0,
        None => 1,
    }
}

/// The request head JavaScript writes:
/// `{"method","path","query","authorization","content_type"}`.
fn head(bytes: &[u8]) -> Option<Value> {
    match serde_json::from_slice(bytes) {
        Ok(v @ Value::Object(_)) => Some(v),
        _ => None,
    }
}

fn field<'a>(head: &'a Value, name: &str) -> Option<&'a str> {
    head.get(name).and_then(Value::as_str)
}

/// Step one of a request: the input is its head (`head_len` bytes of
/// JSON text) followed by its body (`body_len` bytes), or the head alone
/// when `body_len` is over [`body_limit`]. 0 and
/// `{"ticket","operationId","api","delayMs","drop"}`, or 1 and the message
/// saying why the input is no request.
pub fn receive(handle: u32, head_len: usize, body_len: usize) -> i32 {
    let fits = body_len <= MAX_BODY;
    let total = match fits {
        true => head_len.checked_add(body_len),
        false => Some(head_len),
    };
    let received = with_input(total.unwrap_or(usize::MAX), |bytes| {
        if total != Some(bytes.len()) || head_len > MAX_HEAD {
            return Err("the request's bytes do not add up");
        }
        let (head_bytes, body) = bytes.split_at(head_len);
        let head = head(head_bytes).ok_or("the request's head is not a JSON object")?;
        let method = field(&head, "method").ok_or("the request has no method")?;
        let path = field(&head, "path").ok_or("the request has no path")?;
        let request = Incoming {
            method,
            path,
            query: field(&head, "query").filter(|q| !q.is_empty()),
            authorization: field(&head, "authorization"),
            content_type: field(&head, "content_type"),
            body: fits.then_some(body),
        };
        with_mock(handle, |mock| mock.receive(&request)).ok_or("this mock is gone")
    });
    match received {
        Ok(r) => {
            let text = serde_json::json!({
                "ticket": r.ticket,
                "operationId": r.operation_id,
                "api": r.api,
                "delayMs": r.delay_ms,
                "drop": r.drop,
            })
            .to_string();
            put(&[text.as_bytes()]);
            0
        }
        Err(message) => {
            fail(message);
            1
        }
    }
}

/// Step two: the answer to a held request at `now_ms` (JavaScript's
/// `Date.now()`). The output is the answer's head,
/// `{"status","headers":[[name,value]…]}`, then its body; returns the
/// head's length, or -1 (with a message) when the ticket holds nothing.
pub fn answer(handle: u32, ticket: u32, now_ms: f64) -> i32 {
    match with_mock(handle, |mock| mock.answer(ticket, clock(now_ms))) {
        Some(Some(Reply {
            status,
            headers,
            body,
        })) => {
            // The length too, so the client reads the body at once, as it
            // does a server's.
            let mut all = vec![Value::from(vec![
                "content-length".to_owned(),
                body.len().to_string(),
            ])];
            all.extend(
                headers
                    .into_iter()
                    .map(|(name, value)| Value::from(vec![name.to_owned(), value])),
            );
            let text = serde_json::json!({ "status": status, "headers": all }).to_string();
            put(&[text.as_bytes(), &body]);
            i32::try_from(text.len()).unwrap_or(-1)
        }
        Some(None) => {
            fail("no request is held under this ticket");
            -1
        }
        None => {
            fail("this mock is gone");
            -1
        }
    }
}

/// Lets go of a held request (its fetch was aborted while it waited).
pub fn abandon(handle: u32, ticket: u32) {
    with_mock(handle, |mock| mock.abandon(ticket));
}

/// How many mocks are alive and how many requests they hold, for the
/// tests of memory.
pub fn census() -> (usize, usize) {
    MOCKS.with(|mocks| {
        let mocks = mocks.borrow();
        let alive = mocks.iter().flatten().count();
        let held = mocks.iter().flatten().map(Mock::held).sum();
        (alive, held)
    })
}
