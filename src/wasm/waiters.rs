//! `waitForTask` and `waitForVirtualMachineBuild`: poll until finished, on
//! the core's schedule, within the caller's deadline and signal, telling
//! `onProgress` after each poll.

use super::client::{id_arg, promise, KatapultClient, Options};
use super::js::{callback_of, get, to_json};
use super::signal::{now_ms, sleep, Scope};
use crate::args;
use crate::error::Error;
use crate::generated::operations as ops;
use crate::operation::Naming;
use crate::request::Call;
use crate::wait::{build_outcome, task_outcome, timed_out, Schedule, WaitOptions};
use js_sys::{Function, Promise};
use serde_json::{json, Value};
use std::future::Future;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// `WaitOptions` from JavaScript.
    #[wasm_bindgen(typescript_type = "WaitOptions")]
    pub type JsWaitOptions;
    /// `WaitOptions<VirtualMachineBuild>` from JavaScript.
    #[wasm_bindgen(typescript_type = "WaitOptions<VirtualMachineBuild>")]
    pub type JsBuildWaitOptions;
}

/// A resource as JSON data, for an error's `detail`.
fn detail(resource: &JsValue) -> Value {
    to_json(resource, "resource").unwrap_or(Value::Null)
}

/// `resource[key]` as a string ("" when absent).
fn text(resource: &JsValue, key: &str) -> String {
    get(resource, key).as_string().unwrap_or_default()
}

/// How a wait is set up: what is awaited, its deadline and its callback.
struct Waiting {
    id: String,
    options: WaitOptions,
    scope: Scope,
    on_progress: Option<Function>,
}

/// Polls until `done` says the resource finished. Each poll is a normal
/// call (with retries); the deadline also cuts a poll in flight short.
/// `onProgress(resource)` follows every poll (what it throws is ignored).
async fn wait_until<F, Fut>(
    waiting: &Waiting,
    what: &str,
    mut poll: F,
    done: impl Fn(&JsValue) -> Option<Result<(), Error>>,
) -> Result<JsValue, Error>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<JsValue, Error>>,
{
    let Waiting {
        id,
        options,
        scope,
        on_progress,
    } = waiting;
    let mut schedule = Schedule::new(*options, now_ms());
    let deadline = || timed_out(what, id, options.timeout_ms);
    loop {
        let resource = poll().await.map_err(|e| scope.explain(e, deadline))?;
        if let Some(callback) = on_progress {
            let _ = callback.call1(&JsValue::UNDEFINED, &resource);
        }
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

fn start(id: String, options: Option<JsValue>) -> Result<Waiting, Error> {
    let options = Options::read(options)?;
    let wait = WaitOptions::parse(Some(&options.json))?;
    let on_progress = callback_of(&options.raw, "onProgress")?;
    let scope = Scope::new(options.signal, Some(wait.timeout_ms))?;
    Ok(Waiting {
        id,
        options: wait,
        scope,
        on_progress,
    })
}

/// The call that reads the object `key` by id, from the table.
fn read(op: &'static crate::operation::Operation, key: &str, id: &str) -> Result<Call, Error> {
    let mut params = serde_json::Map::new();
    params.insert(key.to_owned(), json!({ "id": id }));
    op.call(&Value::Object(params), &Naming::PARAMS)
}

#[wasm_bindgen]
impl KatapultClient {
    /// Polls `GET /tasks/task` until the task finishes; takes the task (as
    /// any operation that starts one returns it) or its id. Resolves with
    /// the completed `Task`; rejects `task_failed` (the task in
    /// `detail.task`), `timeout` after `timeoutMs` (default 10 minutes),
    /// `aborted` when the signal fires. Polls every `intervalMs` (default
    /// 1000), growing ×1.5 up to 10 s; `onProgress(task)` after each poll.
    #[wasm_bindgen(js_name = waitForTask, unchecked_return_type = "Promise<Task>")]
    pub fn wait_for_task(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string | { id?: string }")] task: JsValue,
        options: Option<JsWaitOptions>,
    ) -> Promise {
        let inner = self.inner.clone();
        promise(async move {
            let id = args::id_or_object(&to_json(&task, "taskOrId")?, "taskOrId")?;
            let waiting = start(id, options.map(Into::into))?;
            let call = read(ops::GET_TASK, "task", &waiting.id)?;
            let signal = waiting.scope.signal();
            let poll = || async { Ok(get(&inner.call(&call, Some(&signal)).await?, "task")) };
            let id = &waiting.id;
            let done = |task: &JsValue| {
                task_outcome(&text(task, "status"), id, &text(task, "name"), || {
                    detail(task)
                })
            };
            wait_until(&waiting, "Task", poll, done).await
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
        options: Option<JsBuildWaitOptions>,
    ) -> Promise {
        let inner = self.inner.clone();
        promise(async move {
            let waiting = start(id_arg(&id)?, options.map(Into::into))?;
            let op = ops::GET_VIRTUAL_MACHINES_BUILDS_VIRTUAL_MACHINE_BUILD;
            let call = read(op, "virtual_machine_build", &waiting.id)?;
            let signal = waiting.scope.signal();
            let poll = || async {
                Ok(get(
                    &inner.call(&call, Some(&signal)).await?,
                    "virtual_machine_build",
                ))
            };
            let id = &waiting.id;
            let done = |build: &JsValue| build_outcome(&text(build, "state"), id, || detail(build));
            wait_until(&waiting, "Virtual machine build", poll, done).await
        })
    }
}
