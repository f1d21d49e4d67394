//! One call's exchange with the API: `drive` in `glue.js` runs the loop
//! (token, fetch, sleep) in JavaScript, with no Rust future in between, and
//! asks this side what each outcome means: the answer checked against its
//! documented shape, the error it is, and whether and when to retry (the
//! core's [`retry::decide`]). A call waiting for its answer is a slot in a
//! table here, named by its index; the slot goes when the call ends.
//!
//! The callbacks are handed to `glue.js` once, by the first call, so the
//! loop needs no reference to the package's classes.

use super::client::Inner;
use super::js::{get, parse_body, to_js_error, to_json_data};
use super::signal::{aborted, now_ms};
use crate::config;
use crate::error::{codes, Error};
use crate::request::{Call, Method};
use crate::response;
use crate::retry::{self, Decision, Failure};
use js_sys::{ArrayBuffer, Function, Promise, Uint8Array};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::AbortSignal;

#[wasm_bindgen(module = "/src/wasm/glue.js")]
extern "C" {
    /// Runs one call's exchange; resolves with its answer, rejects with
    /// its `KatapultError`.
    fn drive(
        slot: u32,
        url: &str,
        method: u8,
        authorization: &JsValue,
        body: Option<String>,
        timeout_ms: u32,
        signal: Option<AbortSignal>,
    ) -> Promise;

    /// Hands `drive` the callbacks it asks this side with.
    #[wasm_bindgen(js_name = connectExchange)]
    fn connect_exchange(settle: &Function, fail: &Function, bearer: &Function);
}

/// A call waiting for its answer.
struct Slot {
    inner: Rc<Inner>,
    call: Call,
    retries: u32,
}

thread_local! {
    static SLOTS: RefCell<Vec<Option<Slot>>> = const { RefCell::new(Vec::new()) };
    static CONNECTED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    static BODY: std::cell::Cell<Vec<u8>> = const { std::cell::Cell::new(Vec::new()) };
}

/// Files a call; its index names it until it ends.
fn file(slot: Slot) -> u32 {
    SLOTS.with(|slots| {
        let mut slots = slots.borrow_mut();
        let free = slots.iter().position(Option::is_none);
        let index = free.unwrap_or(slots.len());
        match slots.get_mut(index) {
            Some(place) => *place = Some(slot),
            None => slots.push(Some(slot)),
        }
        u32::try_from(index).unwrap_or(u32::MAX)
    })
}

/// Runs `f` on the call filed as `index`; with `end`, the call is removed.
fn with_slot<T>(index: u32, end: bool, f: impl FnOnce(&mut Slot) -> T) -> Option<T> {
    SLOTS.with(|slots| {
        let mut slots = slots.borrow_mut();
        let place = slots.get_mut(usize::try_from(index).ok()?)?;
        let result = place.as_mut().map(f);
        if end {
            *place = None;
        }
        result
    })
}

/// What `drive` does next after an outcome: a number is a retry after that
/// many milliseconds; anything else is the answer (an object for a JSON
/// answer: every one the document has is an object; a string for a
/// `text/plain` one). An error ends the call.
type Next = Result<JsValue, JsValue>;

/// The outcome is an error: retry (the slot stays) or end with it.
fn retry_or_end(index: u32, error: Error, retry_after: Option<&str>) -> Next {
    let (random, now) = (js_sys::Math::random(), now_ms());
    let delay = with_slot(index, false, |slot| {
        let failure = Failure {
            error: &error,
            retry_after,
        };
        let decision = retry::decide(
            &failure,
            slot.retries,
            slot.inner.config.max_retries,
            slot.call.request.is_idempotent(),
            random,
            now,
        );
        match decision {
            Decision::GiveUp => None,
            Decision::RetryAfter(ms) => {
                slot.retries += 1;
                Some(ms)
            }
        }
    });
    match delay.flatten() {
        Some(ms) => Ok(JsValue::from_f64(f64::from(ms))),
        None => {
            with_slot(index, true, |_| ());
            Err(to_js_error(error))
        }
    }
}

/// A response arrived: the answer, a retry, or the call's error.
fn settle(
    index: u32,
    status: u16,
    buffer: ArrayBuffer,
    request_id: Option<String>,
    retry_after: Option<String>,
) -> Next {
    // One buffer for every answer's bytes (no allocation per call).
    let mut body = BODY.with(|b| b.take());
    let view = Uint8Array::new(&buffer);
    body.resize(view.length() as usize, 0);
    view.copy_to(&mut body);
    // Nothing calls JavaScript while the table is borrowed.
    let call = with_slot(index, false, |slot| (slot.call.json, slot.call.shape));
    let checked = call.map(|(json, shape)| match json {
        true => response::check(status, &body, shape, request_id.clone())
            .and_then(|()| parse_body(&buffer)),
        false => response::text(status, &body, request_id.clone()).map(|t| JsValue::from_str(&t)),
    });
    // Kept unless it held an unusually large answer.
    if body.capacity() <= 1 << 22 {
        BODY.with(|b| b.set(body));
    }
    match checked {
        Some(Ok(answer)) => {
            with_slot(index, true, |_| ());
            Ok(answer)
        }
        Some(Err(error)) => retry_or_end(index, error, retry_after.as_deref()),
        None => Err(to_js_error(lost())),
    }
}

/// No response: `reason` is `aborted`, `timeout` or `network` (a retry
/// sleep cut short by the signal is `aborted` too).
fn fail(index: u32, reason: String, message: String) -> Next {
    let timeout_ms = with_slot(index, false, |slot| slot.inner.config.timeout_ms);
    let Some(timeout_ms) = timeout_ms else {
        return Err(to_js_error(lost()));
    };
    let error = match reason.as_str() {
        "aborted" => {
            // Never retried: the caller asked to stop.
            with_slot(index, true, |_| ());
            return Err(to_js_error(aborted()));
        }
        "timeout" => Error::client(
            codes::TIMEOUT,
            format!("No complete response within timeoutMs ({timeout_ms} ms)"),
        ),
        "broken" => {
            // The module itself failed on the answer: trying again would too.
            with_slot(index, true, |_| ());
            return Err(to_js_error(Error::client(
                codes::NETWORK_ERROR,
                "The answer could not be handled (the module failed on it)",
            )));
        }
        _ => Error::client(
            codes::NETWORK_ERROR,
            format!("The request could not be completed: {message}"),
        ),
    };
    retry_or_end(index, error, None)
}

/// A token function's result (`value`), or how it failed (`how`: "threw",
/// "rejected"): the `Authorization` header, or the call's error. What the
/// function gave is never part of the error.
fn bearer(index: u32, value: JsValue, how: Option<String>) -> Next {
    let failed = |what: &str| {
        Error::invalid_argument(format!(
            "config.token: the token function {what}; no request was sent"
        ))
    };
    let header = match (how.as_deref(), value.as_string()) {
        (Some(how), _) => Err(failed(how)),
        (None, Some(token)) => config::bearer(&token),
        (None, None) => Err(failed("returned something other than a string")),
    };
    match header {
        Ok(header) => Ok(JsValue::from_str(&header)),
        Err(error) => {
            with_slot(index, true, |_| ());
            Err(to_js_error(error))
        }
    }
}

/// A slot `drive` named but this side does not have (never expected).
fn lost() -> Error {
    Error::client(codes::NETWORK_ERROR, "The call's state was lost")
}

/// Hands `glue.js` the callbacks (once).
fn connect() {
    if CONNECTED.with(|c| c.replace(true)) {
        return;
    }
    let settle =
        Closure::<dyn Fn(u32, u16, ArrayBuffer, Option<String>, Option<String>) -> Next>::new(
            settle,
        );
    let fail = Closure::<dyn Fn(u32, String, String) -> Next>::new(fail);
    let bearer = Closure::<dyn Fn(u32, JsValue, Option<String>) -> Next>::new(bearer);
    connect_exchange(
        settle.as_ref().unchecked_ref(),
        fail.as_ref().unchecked_ref(),
        bearer.as_ref().unchecked_ref(),
    );
    // They live as long as the module.
    settle.forget();
    fail.forget();
    bearer.forget();
}

/// Starts `call`: a promise of its answer (JSON data, or the text of a
/// `text/plain` answer) that rejects with its `KatapultError`.
pub fn begin(inner: &Rc<Inner>, call: Call, signal: Option<AbortSignal>) -> Promise {
    connect();
    let method = match call.request.method {
        Method::Get => 0,
        Method::Post => 1,
        Method::Delete => 2,
        Method::Patch => 3,
        Method::Put => 4,
    };
    let url = call.request.url(&inner.config.base_url);
    let body = call.request.body.clone();
    let timeout_ms = inner.config.timeout_ms;
    let authorization = inner.authorization();
    let index = file(Slot {
        inner: inner.clone(),
        call,
        retries: 0,
    });
    drive(
        index,
        &url,
        method,
        &authorization,
        body,
        timeout_ms,
        signal,
    )
}

/// [`begin`] for the walks and waits: the answer, or the call's error.
pub async fn exchange(
    inner: &Rc<Inner>,
    call: &Call,
    signal: Option<&AbortSignal>,
) -> Result<JsValue, Error> {
    JsFuture::from(begin(inner, call.clone(), signal.cloned()))
        .await
        .map_err(|e| from_js_error(&e))
}

/// A `KatapultError` from `drive`, back as the core's [`Error`].
fn from_js_error(e: &JsValue) -> Error {
    let text = |key: &str| get(e, key).as_string();
    let detail = get(e, "detail");
    Error {
        code: text("code").unwrap_or_else(|| codes::NETWORK_ERROR.to_owned()),
        status: get(e, "status").as_f64().map_or(0, |s| s as u16),
        message: text("message").unwrap_or_default(),
        detail: match detail.is_null() || detail.is_undefined() {
            true => None,
            false => to_json_data(&detail).ok(),
        },
        request_id: text("requestId"),
    }
}
