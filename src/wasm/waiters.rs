//! `waitForTask` and `waitForVirtualMachineBuild`: poll until finished, on
//! the core's schedule, within the caller's deadline and signal.

use super::client::{id_arg, promise, KatapultClient, Options};
use super::js::{get, to_json};
use super::signal::{now_ms, sleep, Scope};
use crate::endpoints::{tasks, virtual_machine_builds};
use crate::error::Error;
use crate::wait::{build_outcome, task_outcome, timed_out, Schedule, WaitOptions};
use js_sys::Promise;
use serde_json::Value;
use std::future::Future;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// `WaitOptions` from JavaScript.
    #[wasm_bindgen(typescript_type = "WaitOptions")]
    pub type JsWaitOptions;
}

/// A resource as JSON data, for an error's `detail`.
fn detail(resource: &JsValue) -> Value {
    to_json(resource, "resource").unwrap_or(Value::Null)
}

/// `resource[key]` as a string ("" when absent).
fn text(resource: &JsValue, key: &str) -> String {
    get(resource, key).as_string().unwrap_or_default()
}

/// Polls until `done` says the resource finished. Each poll is a normal
/// call (with retries); the deadline also cuts a poll in flight short.
async fn wait_until<F, Fut>(
    scope: &Scope,
    options: WaitOptions,
    what: &str,
    id: &str,
    mut poll: F,
    done: impl Fn(&JsValue) -> Option<Result<(), Error>>,
) -> Result<JsValue, Error>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<JsValue, Error>>,
{
    let mut schedule = Schedule::new(options, now_ms());
    let deadline = || timed_out(what, id, options.timeout_ms);
    loop {
        let resource = poll().await.map_err(|e| scope.explain(e, deadline))?;
        if let Some(outcome) = done(&resource) {
            outcome?;
            return Ok(resource);
        }
        let Some(ms) = schedule.next_sleep(now_ms()) else {
            return Err(deadline());
        };
        let signal = scope.signal();
        sleep(ms, Some(&signal))
            .await
            .map_err(|e| scope.explain(e, deadline))?;
    }
}

fn start(id: JsValue, options: Option<JsValue>) -> Result<(String, WaitOptions, Scope), Error> {
    let id = id_arg(&id)?;
    let options = Options::read(options)?;
    let wait = WaitOptions::parse(Some(&options.json))?;
    let scope = Scope::new(options.signal, Some(wait.timeout_ms))?;
    Ok((id, wait, scope))
}

#[wasm_bindgen]
impl KatapultClient {
    /// Polls `GET /tasks/task` until the task finishes. Resolves with the
    /// completed `Task`; rejects `task_failed` (the task in `detail.task`),
    /// `timeout` after `timeoutMs` (default 10 minutes), `aborted` when the
    /// signal fires. Polls every `intervalMs` (default 1000), growing ×1.5
    /// up to 10 s.
    #[wasm_bindgen(js_name = waitForTask, unchecked_return_type = "Promise<Task>")]
    pub fn wait_for_task(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue,
        options: Option<JsWaitOptions>,
    ) -> Promise {
        let inner = self.inner.clone();
        promise(async move {
            let (id, options, scope) = start(id, options.map(Into::into))?;
            let call = tasks::get(&id);
            let signal = scope.signal();
            let poll = || async { Ok(get(&inner.call(&call, Some(&signal)).await?, "task")) };
            let done = |task: &JsValue| {
                task_outcome(&text(task, "status"), &id, &text(task, "name"), || {
                    detail(task)
                })
            };
            wait_until(&scope, options, "Task", &id, poll, done).await
        })
    }

    /// Polls `GET /virtual_machines/builds/virtual_machine_build` until the
    /// build's state is `complete`, and resolves with the build (its
    /// `virtual_machine` set). The live API attaches the VM while still
    /// `building`, so this waits for the state. Rejects `build_failed`,
    /// `timeout` or `aborted` as `waitForTask` does.
    #[wasm_bindgen(js_name = waitForVirtualMachineBuild, unchecked_return_type = "Promise<VirtualMachineBuild>")]
    pub fn wait_for_virtual_machine_build(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue,
        options: Option<JsWaitOptions>,
    ) -> Promise {
        let inner = self.inner.clone();
        promise(async move {
            let (id, options, scope) = start(id, options.map(Into::into))?;
            let call = virtual_machine_builds::get(&id);
            let signal = scope.signal();
            let poll = || async {
                Ok(get(
                    &inner.call(&call, Some(&signal)).await?,
                    "virtual_machine_build",
                ))
            };
            let done =
                |build: &JsValue| build_outcome(&text(build, "state"), &id, || detail(build));
            let what = "Virtual machine build";
            wait_until(&scope, options, what, &id, poll, done).await
        })
    }
}
