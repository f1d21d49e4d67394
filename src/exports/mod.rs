//! What the WebAssembly module exports: synchronous functions over bytes,
//! called by the package's JavaScript driver (`src/js/`). The module
//! imports nothing, so it cannot call JavaScript: no callback, getter,
//! `Proxy` trap or exception can run, let alone unwind, while Rust code is
//! on the stack. Every export reads its input from one buffer JavaScript
//! writes into ([`kw_input`]) and leaves any text answer in one output
//! buffer ([`kw_output`], [`kw_output_len`]); numbers come back as return
//! values. Nothing is kept between calls but those two buffers (each
//! shrunk after an unusually large answer) and the answer check's
//! remembered key orders.
//!
//! - [`calls`]: the client's configuration, building a request, judging an
//!   answer or a failed attempt (the retry decision included);
//! - [`walks`]: the decisions of page walks and waits;
//! - [`spec`]: the spec document tools (`katapult-wasm/spec`).

#[cfg(feature = "client")]
mod calls;
#[cfg(feature = "spec")]
mod spec;
#[cfg(feature = "client")]
mod walks;

use crate::error::{DetailAt, Error};
use crate::json;
use serde_json::Value;
use std::cell::RefCell;

/// Buffers larger than this are given back after the call that needed them.
const KEEP_BYTES: usize = 1 << 22;

thread_local! {
    static INPUT: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
    static OUTPUT: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// Makes the input buffer `len` bytes long and returns where it starts, for
/// JavaScript to write the next call's input into. (0 when the memory
/// cannot grow that far: JavaScript then reports the answer too large.)
#[no_mangle]
pub extern "C" fn kw_input(len: usize) -> *mut u8 {
    INPUT.with(|input| {
        let mut input = input.borrow_mut();
        input.clear();
        if input.try_reserve_exact(len).is_err() {
            return std::ptr::null_mut();
        }
        input.resize(len, 0);
        input.as_mut_ptr()
    })
}

/// Where the last call's text answer starts.
#[no_mangle]
pub extern "C" fn kw_output() -> *const u8 {
    OUTPUT.with(|output| output.borrow().as_ptr())
}

/// The last call's text answer's length in bytes.
#[no_mangle]
pub extern "C" fn kw_output_len() -> usize {
    OUTPUT.with(|output| output.borrow().len())
}

/// Runs `f` over the first `len` bytes of the input buffer; then gives a
/// large buffer back.
fn with_input<T>(len: usize, f: impl FnOnce(&[u8]) -> T) -> T {
    INPUT.with(|input| {
        let mut input = input.borrow_mut();
        let result = f(input.get(..len).unwrap_or(&[]));
        if input.capacity() > KEEP_BYTES {
            *input = Vec::new();
        }
        result
    })
}

/// Leaves `text` as the call's text answer.
fn answer(text: &str) {
    OUTPUT.with(|output| {
        let mut output = output.borrow_mut();
        if output.capacity() > KEEP_BYTES {
            *output = Vec::new();
        }
        output.clear();
        output.extend_from_slice(text.as_bytes());
    });
}

/// Leaves `error` as the call's text answer (see [`error_json`]).
fn fail(error: &Error) {
    answer(&error_json(error));
}

/// An error as the JSON JavaScript makes its `KatapultError` from:
/// `{ code, status, message, detail, at }`, where `detail` is a detail the
/// client made and `at` says where the API's own is in the answer's body
/// (`"error"`, `"body"`, with `"error-value"` and `"body-value"` for a
/// detail that is not an object, kept as `{ value }`), or is null.
pub fn error_json(error: &Error) -> String {
    let at = match error.detail_at {
        DetailAt::None => "null",
        DetailAt::Wrapped => "\"error\"",
        DetailAt::Bare => "\"body\"",
        DetailAt::WrappedValue => "\"error-value\"",
        DetailAt::BareValue => "\"body-value\"",
    };
    let mut out = String::from("{\"code\":");
    json::string(&mut out, &error.code);
    out.push_str(",\"status\":");
    out.push_str(&error.status.to_string());
    out.push_str(",\"message\":");
    json::string(&mut out, &error.message);
    out.push_str(",\"detail\":");
    json::write_into(&mut out, error.detail.as_ref().unwrap_or(&Value::Null));
    out.push_str(",\"at\":");
    out.push_str(at);
    out.push('}');
    out
}

/// An object of `members` as JSON text (the answers the driver reads).
#[cfg(feature = "client")]
fn object(members: &[(&str, Value)]) -> String {
    let mut map = serde_json::Map::new();
    for (k, v) in members {
        map.insert((*k).to_owned(), v.clone());
    }
    json::write(&Value::Object(map))
}

/// The input as the JSON array of arguments JavaScript wrote: each caller
/// value serialised by the driver (a value it could not read never gets
/// here). Anything else is the driver's mistake, told as `invalid_argument`.
fn arguments(input: &[u8]) -> Result<Vec<Value>, Error> {
    match json::parse(input) {
        Some(Value::Array(items)) => Ok(items),
        _ => Err(Error::invalid_argument("the arguments could not be read")),
    }
}

/// The `i`th argument, `null` when absent.
fn arg(args: &[Value], i: usize) -> &Value {
    args.get(i).unwrap_or(&Value::Null)
}
