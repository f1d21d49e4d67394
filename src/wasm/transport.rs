//! One HTTP attempt over `fetch`, with the per-attempt timeout and the
//! caller's `AbortSignal`. Returns the status and the raw body for the core
//! to check; nothing is decoded here.

use super::signal::{aborted, AbortListener, Timer};
use crate::config::Config;
use crate::error::{codes, Error};
use crate::request::HttpRequest;
use js_sys::{Array, ArrayBuffer, Promise, Uint8Array};
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, AbortSignal, Headers, RequestInit, Response};

#[wasm_bindgen]
extern "C" {
    // The global `fetch` (window, worker or Node), looked up at call time.
    #[wasm_bindgen(js_name = fetch, catch)]
    fn fetch_with_init(url: &str, init: &RequestInit) -> Result<Promise, JsValue>;

    // `AbortSignal.any`: a signal that fires with any of them, without an
    // event listener per request (Node warns past ten on one signal).
    #[wasm_bindgen(js_namespace = AbortSignal, js_name = any, catch)]
    fn abort_signal_any(signals: &Array) -> Result<AbortSignal, JsValue>;
}

/// A response before decoding.
pub struct RawResponse {
    /// HTTP status.
    pub status: u16,
    /// The whole body, as JavaScript received it.
    pub buffer: ArrayBuffer,
    /// The same bytes in wasm memory, for the core to check.
    pub bytes: Vec<u8>,
    /// `X-Request-Id`, when the environment lets us read it.
    pub request_id: Option<String>,
    /// `Retry-After`, when present and readable.
    pub retry_after: Option<String>,
}

/// Sends `request` once. Fails with `aborted` when `signal` fires, `timeout`
/// after `config.timeout_ms`, `network_error` when no response arrives.
pub async fn send(
    config: &Config,
    request: &HttpRequest,
    signal: Option<&AbortSignal>,
) -> Result<RawResponse, Error> {
    if signal.is_some_and(AbortSignal::aborted) {
        return Err(aborted());
    }
    let unavailable =
        |what: &str| Error::client(codes::NETWORK_ERROR, format!("{what} is not available"));
    let controller = AbortController::new().map_err(|_| unavailable("AbortController"))?;
    let timed_out = Rc::new(Cell::new(false));
    // Both guards live until the body is read; dropping them clears the
    // timer and removes the listener.
    let _timer = {
        let (controller, timed_out) = (controller.clone(), timed_out.clone());
        Timer::new(config.timeout_ms, move || {
            timed_out.set(true);
            controller.abort();
        })
    };
    // The request stops when the caller's signal or the timeout fires.
    // Engines without `AbortSignal.any` get a listener instead.
    let mut _listener = None;
    let request_signal = match signal {
        None => controller.signal(),
        Some(s) => match abort_signal_any(&Array::of2(s, &controller.signal())) {
            Ok(any) => any,
            Err(_) => {
                let linked = controller.clone();
                _listener = Some(AbortListener::new(s, move || linked.abort()));
                controller.signal()
            }
        },
    };
    let failure = |e: JsValue| -> Error {
        if signal.is_some_and(AbortSignal::aborted) {
            aborted()
        } else if timed_out.get() {
            Error::client(
                codes::TIMEOUT,
                format!(
                    "No complete response within timeoutMs ({} ms)",
                    config.timeout_ms
                ),
            )
        } else {
            Error::client(
                codes::NETWORK_ERROR,
                format!("The request could not be completed: {}", describe(&e)),
            )
        }
    };

    let headers = Headers::new().map_err(|_| unavailable("Headers"))?;
    headers
        .set("Authorization", &config.authorization())
        .map_err(failure)?;
    let init = RequestInit::new();
    init.set_method(request.method.as_str());
    if let Some(body) = &request.body {
        headers
            .set("Content-Type", "application/json")
            .map_err(failure)?;
        init.set_body(&JsValue::from_str(body));
    }
    init.set_headers(&headers);
    init.set_signal(Some(&request_signal));

    let promise = fetch_with_init(&request.url(&config.base_url), &init).map_err(failure)?;
    let response: Response = JsFuture::from(promise)
        .await
        .map_err(failure)?
        .unchecked_into();
    let status = response.status();
    let header = |name: &str| response.headers().get(name).ok().flatten();
    let (request_id, retry_after) = (header("x-request-id"), header("retry-after"));
    let body = response.array_buffer().map_err(failure)?;
    let buffer: ArrayBuffer = JsFuture::from(body)
        .await
        .map_err(failure)?
        .unchecked_into();
    let bytes = Uint8Array::new(&buffer).to_vec();
    Ok(RawResponse {
        status,
        buffer,
        bytes,
        request_id,
        retry_after,
    })
}

/// A short reason from a fetch failure: the error's message (fetch errors
/// never include request headers), else its name.
fn describe(e: &JsValue) -> String {
    let field = |k: &str| {
        js_sys::Reflect::get(e, &JsValue::from_str(k))
            .ok()
            .and_then(|v| v.as_string())
            .filter(|s| !s.is_empty())
    };
    field("message")
        .or_else(|| field("name"))
        .unwrap_or_else(|| "fetch failed".to_owned())
}
