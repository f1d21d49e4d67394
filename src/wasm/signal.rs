//! Timers, abort signals and sleeping: the pieces of cancellation that need
//! the JavaScript event loop. Guards undo what they set up when dropped, so
//! nothing outlives the call that made it.

use crate::error::{codes, Error};
use js_sys::{Date, Function, Promise};
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, AbortSignal};

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(handler: &Function, ms: i32) -> JsValue;
    #[wasm_bindgen(js_name = clearTimeout)]
    fn clear_timeout(id: &JsValue);
}

/// The error for a call whose signal fired.
pub fn aborted() -> Error {
    Error::client(codes::ABORTED, "The call was aborted by its AbortSignal")
}

/// Milliseconds since the epoch.
pub fn now_ms() -> f64 {
    Date::now()
}

/// A pending `setTimeout`, cleared when dropped.
pub struct Timer {
    id: JsValue,
    _handler: Closure<dyn FnMut()>,
}

impl Timer {
    /// Calls `f` after `ms` milliseconds unless dropped first.
    pub fn new(ms: u32, f: impl FnMut() + 'static) -> Timer {
        let handler = Closure::<dyn FnMut()>::new(f);
        let ms = i32::try_from(ms).unwrap_or(i32::MAX);
        let id = set_timeout(handler.as_ref().unchecked_ref(), ms);
        Timer {
            id,
            _handler: handler,
        }
    }
}

impl Drop for Timer {
    fn drop(&mut self) {
        clear_timeout(&self.id);
    }
}

/// An `abort` listener on a signal, removed when dropped.
pub struct AbortListener {
    signal: AbortSignal,
    handler: Closure<dyn FnMut()>,
}

impl AbortListener {
    /// Calls `f` when `signal` aborts.
    pub fn new(signal: &AbortSignal, f: impl FnMut() + 'static) -> AbortListener {
        let handler = Closure::<dyn FnMut()>::new(f);
        let _ = signal.add_event_listener_with_callback("abort", handler.as_ref().unchecked_ref());
        AbortListener {
            signal: signal.clone(),
            handler,
        }
    }
}

impl Drop for AbortListener {
    fn drop(&mut self) {
        let _ = self
            .signal
            .remove_event_listener_with_callback("abort", self.handler.as_ref().unchecked_ref());
    }
}

#[wasm_bindgen(module = "/src/wasm/glue.js")]
extern "C" {
    #[wasm_bindgen(js_name = sleep)]
    fn sleep_js(ms: u32, signal: Option<AbortSignal>) -> Promise;
}

/// Waits `ms` milliseconds; fails with `aborted` as soon as `signal` fires.
pub async fn sleep(ms: u32, signal: Option<&AbortSignal>) -> Result<(), Error> {
    let finished = JsFuture::from(sleep_js(ms, signal.cloned())).await.ok() == Some(JsValue::TRUE);
    if finished && !signal.is_some_and(AbortSignal::aborted) {
        Ok(())
    } else {
        Err(aborted())
    }
}

/// A signal for one multi-request operation (a wait, a walk over pages):
/// it fires when the caller's signal fires, when the operation's own
/// deadline passes, or when the operation cancels its remaining requests.
pub struct Scope {
    controller: AbortController,
    caller: Option<AbortSignal>,
    deadline_passed: Rc<Cell<bool>>,
    _listener: Option<AbortListener>,
    _deadline: Option<Timer>,
}

impl Scope {
    /// Links to `caller` and, with `deadline_ms`, fires that long from now.
    /// Fails with `aborted` when the caller's signal has already fired.
    pub fn new(caller: Option<AbortSignal>, deadline_ms: Option<u32>) -> Result<Scope, Error> {
        if caller.as_ref().is_some_and(AbortSignal::aborted) {
            return Err(aborted());
        }
        let controller = AbortController::new()
            .map_err(|_| Error::client(codes::NETWORK_ERROR, "AbortController is not available"))?;
        let listener = caller.as_ref().map(|s| {
            let controller = controller.clone();
            AbortListener::new(s, move || controller.abort())
        });
        let deadline_passed = Rc::new(Cell::new(false));
        let deadline = deadline_ms.map(|ms| {
            let (controller, passed) = (controller.clone(), deadline_passed.clone());
            Timer::new(ms, move || {
                passed.set(true);
                controller.abort();
            })
        });
        Ok(Scope {
            controller,
            caller,
            deadline_passed,
            _listener: listener,
            _deadline: deadline,
        })
    }

    /// The signal to give every request and sleep of the operation.
    pub fn signal(&self) -> AbortSignal {
        self.controller.signal()
    }

    /// A controller clone, for tasks that must cancel their siblings.
    pub fn controller(&self) -> AbortController {
        self.controller.clone()
    }

    /// Turns the `aborted` caused by the deadline into `timeout` (built by
    /// `on_deadline`); the caller's own abort stays `aborted`.
    pub fn explain(&self, error: Error, on_deadline: impl FnOnce() -> Error) -> Error {
        let caller_aborted = self.caller.as_ref().is_some_and(AbortSignal::aborted);
        if error.code == codes::ABORTED && self.deadline_passed.get() && !caller_aborted {
            on_deadline()
        } else {
            error
        }
    }
}
