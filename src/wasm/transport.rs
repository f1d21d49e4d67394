//! One HTTP attempt. The fetch itself (timeout, signal, body read) is a few
//! lines of JavaScript in `glue.js`; this side names the outcome: the status
//! and raw body for the core to check, or `aborted` / `timeout` /
//! `network_error`.

use super::js::get;
use super::signal::aborted;
use crate::config::Config;
use crate::error::{codes, Error};
use crate::request::{HttpRequest, Method};
use js_sys::{ArrayBuffer, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::AbortSignal;

#[wasm_bindgen(module = "/src/wasm/glue.js")]
extern "C" {
    #[wasm_bindgen(catch)]
    async fn attempt(
        url: &str,
        method: u8,
        authorization: &JsValue,
        body: Option<String>,
        timeout_ms: u32,
        signal: Option<AbortSignal>,
    ) -> Result<JsValue, JsValue>;

    /// What `attempt` resolves with (a plain object it builds itself, so
    /// its getters cannot throw).
    type Outcome;
    #[wasm_bindgen(method, getter)]
    fn status(this: &Outcome) -> u16;
    #[wasm_bindgen(method, getter)]
    fn bytes(this: &Outcome) -> Uint8Array;
    #[wasm_bindgen(method, getter)]
    fn buffer(this: &Outcome) -> ArrayBuffer;
    #[wasm_bindgen(method, getter, js_name = requestId)]
    fn request_id(this: &Outcome) -> Option<String>;
    #[wasm_bindgen(method, getter, js_name = retryAfter)]
    fn retry_after(this: &Outcome) -> Option<String>;
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
    authorization: &JsValue,
    request: &HttpRequest,
    signal: Option<&AbortSignal>,
) -> Result<RawResponse, Error> {
    let method = match request.method {
        Method::Get => 0,
        Method::Post => 1,
        Method::Delete => 2,
        Method::Patch => 3,
        Method::Put => 4,
    };
    let outcome = attempt(
        &request.url(&config.base_url),
        method,
        authorization,
        request.body.clone(),
        config.timeout_ms,
        signal.cloned(),
    )
    .await;
    let response = outcome.map_err(|e| {
        let message = get(&e, "message").as_string().unwrap_or_default();
        match get(&e, "reason").as_string().as_deref() {
            Some("aborted") => aborted(),
            Some("timeout") => Error::client(
                codes::TIMEOUT,
                format!(
                    "No complete response within timeoutMs ({} ms)",
                    config.timeout_ms
                ),
            ),
            _ => Error::client(
                codes::NETWORK_ERROR,
                format!("The request could not be completed: {message}"),
            ),
        }
    })?;
    let text = |key: &str| get(&response, key).as_string();
    Ok(RawResponse {
        status: get(&response, "status").as_f64().map_or(0, |s| s as u16),
        buffer: get(&response, "buffer").unchecked_into(),
        bytes: get(&response, "bytes")
            .unchecked_into::<Uint8Array>()
            .to_vec(),
        request_id: text("requestId"),
        retry_after: text("retryAfter"),
    })
}
