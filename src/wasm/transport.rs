//! One HTTP attempt over `fetch`, with the per-attempt timeout and the
//! caller's `AbortSignal`. Returns the raw status and body for the core to
//! decode.

use super::signal::{aborted, AbortListener, Timer};
use crate::config::Config;
use crate::error::{codes, Error};
use crate::request::{HttpRequest, Method};
use gloo_net::http::RequestBuilder;
use std::cell::Cell;
use std::rc::Rc;
use web_sys::{AbortController, AbortSignal};

/// A response as bytes, before decoding.
pub struct RawResponse {
    /// HTTP status.
    pub status: u16,
    /// The whole body.
    pub body: Vec<u8>,
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
    let controller = AbortController::new()
        .map_err(|_| Error::client(codes::NETWORK_ERROR, "AbortController is not available"))?;
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
    let _listener = signal.map(|s| {
        let controller = controller.clone();
        AbortListener::new(s, move || controller.abort())
    });
    let failure = |e: gloo_net::Error| -> Error {
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

    let method = match request.method {
        Method::Get => http::Method::GET,
        Method::Post => http::Method::POST,
        Method::Delete => http::Method::DELETE,
    };
    let mut builder = RequestBuilder::new(&request.url(&config.base_url))
        .method(method)
        .header("Authorization", &config.authorization())
        .abort_signal(Some(&controller.signal()));
    let built = match &request.body {
        Some(body) => {
            builder = builder.header("Content-Type", "application/json");
            builder.body(body.as_str())
        }
        None => builder.build(),
    };
    let response = built.map_err(failure)?.send().await.map_err(failure)?;
    let status = response.status();
    let headers = response.headers();
    let request_id = headers.get("x-request-id");
    let retry_after = headers.get("retry-after");
    let body = response.binary().await.map_err(failure)?;
    Ok(RawResponse {
        status,
        body,
        request_id,
        retry_after,
    })
}

/// A short reason from a fetch failure (never includes request headers).
fn describe(e: &gloo_net::Error) -> String {
    match e {
        gloo_net::Error::JsError(js) => {
            if js.message.is_empty() {
                js.name.clone()
            } else {
                js.message.clone()
            }
        }
        other => other.to_string(),
    }
}
