//! The exported `KatapultClient` class. Each method validates its arguments
//! with the core, builds the call, sends it and decodes the answer; every
//! failure rejects the promise with a `KatapultError` (only the constructor
//! throws).

use super::js::{from_json, parse_body, signal_of, to_js_error, to_json};
use super::signal::{now_ms, sleep};
use super::transport::send;
use crate::args::{self, BuildOptions, ListOptions, SIGNAL};
use crate::config::Config;
use crate::endpoints::power::{power, PowerAction};
use crate::endpoints::{organizations, tasks, trash, virtual_machine_builds, virtual_machines};
use crate::error::Error;
use crate::lookup::{OrganizationLookup, VirtualMachineLookup};
use crate::request::{Call, HttpRequest};
use crate::response::check;
use crate::retry::{self, Decision, Failure};
use crate::schema::TyRef;
use crate::spec;
use js_sys::Promise;
use serde_json::Value;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;
use web_sys::AbortSignal;

#[wasm_bindgen]
extern "C" {
    /// `VirtualMachineLookup` from JavaScript (validated by the core).
    #[wasm_bindgen(typescript_type = "VirtualMachineLookup")]
    pub type JsVirtualMachineLookup;
    /// `OrganizationLookup` from JavaScript (validated by the core).
    #[wasm_bindgen(typescript_type = "OrganizationLookup")]
    pub type JsOrganizationLookup;
    /// `RequestOptions` from JavaScript.
    #[wasm_bindgen(typescript_type = "RequestOptions")]
    pub type JsRequestOptions;
    /// `ListVirtualMachinesOptions` from JavaScript.
    #[wasm_bindgen(typescript_type = "ListVirtualMachinesOptions")]
    pub type JsListVirtualMachinesOptions;
    /// `BuildVirtualMachineOptions` from JavaScript.
    #[wasm_bindgen(typescript_type = "BuildVirtualMachineOptions")]
    pub type JsBuildVirtualMachineOptions;
}

/// A Katapult Core API v1 client. Create one per token; it is cheap and
/// holds no connection.
#[wasm_bindgen]
pub struct KatapultClient {
    pub(super) inner: Rc<Inner>,
}

/// What every call of a client shares.
pub(super) struct Inner {
    config: Config,
    /// `Bearer …`, made once as a JavaScript string.
    authorization: JsValue,
}

impl Inner {
    /// Sends a call and checks its answer, retrying 429/503 (and network
    /// errors for GET) as the core's retry policy decides. Resolves with the
    /// body as JavaScript data (`JSON.parse` of the checked bytes).
    pub(super) fn call<'a>(
        &'a self,
        call: &'a Call,
        signal: Option<&'a AbortSignal>,
    ) -> Pin<Box<dyn Future<Output = Result<JsValue, Error>> + 'a>> {
        // One boxed state machine for every endpoint keeps the wasm small:
        // the shape is data.
        Box::pin(self.exchange(&call.request, call.shape, signal))
    }

    pub(super) async fn exchange(
        &self,
        request: &HttpRequest,
        shape: TyRef,
        signal: Option<&AbortSignal>,
    ) -> Result<JsValue, Error> {
        let mut retries = 0;
        loop {
            let sent = send(&self.config, &self.authorization, request, signal).await;
            let (error, retry_after) = match sent {
                Ok(raw) => match check(raw.status, &raw.bytes, shape, raw.request_id) {
                    Ok(()) => return parse_body(&raw.buffer),
                    Err(e) => (e, raw.retry_after),
                },
                Err(e) => (e, None),
            };
            let failure = Failure {
                error: &error,
                retry_after: retry_after.as_deref(),
            };
            let decision = retry::decide(
                &failure,
                retries,
                self.config.max_retries,
                request.is_idempotent(),
                js_sys::Math::random(),
                now_ms(),
            );
            match decision {
                Decision::GiveUp => return Err(error),
                Decision::RetryAfter(ms) => sleep(ms, signal).await?,
            }
            retries += 1;
        }
    }
}

/// A method's last argument, read: its data (for the core to validate),
/// its `signal` and the object itself (for callbacks).
pub(super) struct Options {
    pub(super) json: Value,
    pub(super) signal: Option<AbortSignal>,
    pub(super) raw: JsValue,
}

impl Options {
    pub(super) fn read(value: Option<JsValue>) -> Result<Options, Error> {
        let raw = value.unwrap_or(JsValue::UNDEFINED);
        let json = to_json(&raw, "options")?;
        let signal = signal_of(&raw)?;
        Ok(Options { json, signal, raw })
    }

    /// For methods whose only option is `signal`.
    fn signal_only(value: Option<JsValue>) -> Result<Option<AbortSignal>, Error> {
        let options = Options::read(value)?;
        args::object_arg(Some(&options.json), "options", &[SIGNAL])?;
        Ok(options.signal)
    }
}

/// Runs a method body as a promise that rejects with `KatapultError`.
pub(super) fn promise(body: impl Future<Output = Result<JsValue, Error>> + 'static) -> Promise {
    spawn(Box::pin(body))
}

/// The one (non-generic) bridge from futures to promises.
fn spawn(body: Pin<Box<dyn Future<Output = Result<JsValue, Error>>>>) -> Promise {
    future_to_promise(async move { body.await.map_err(to_js_error) })
}

fn vm_lookup(vm: &JsValue) -> Result<VirtualMachineLookup, Error> {
    VirtualMachineLookup::parse(&to_json(vm, "vm")?, "vm")
}

pub(super) fn org_lookup(org: &JsValue) -> Result<OrganizationLookup, Error> {
    OrganizationLookup::parse(&to_json(org, "org")?, "org")
}

pub(super) fn id_arg(id: &JsValue) -> Result<String, Error> {
    args::id(&to_json(id, "id")?, "id")
}

/// A method's validated call and signal, or why its arguments are wrong.
type Prepared = Result<(Call, Option<AbortSignal>), Error>;

impl KatapultClient {
    /// Sends a prepared call. Argument errors become a rejected promise
    /// (never a throw); every call runs through the same non-generic future.
    fn start(&self, prepared: Prepared) -> Promise {
        match prepared {
            Ok((call, signal)) => {
                let inner = self.inner.clone();
                promise(async move { inner.call(&call, signal.as_ref()).await })
            }
            Err(e) => Promise::reject(&to_js_error(e)),
        }
    }

    /// A call about one VM whose only option is `signal`.
    fn on_vm(
        &self,
        vm: JsValue,
        options: Option<JsValue>,
        call: impl FnOnce(&VirtualMachineLookup) -> Call,
    ) -> Promise {
        self.start((|| {
            Ok((call(&vm_lookup(&vm)?), Options::signal_only(options)?))
        })())
    }

    /// A call about one id (task, build, trash object) whose only option is `signal`.
    fn on_id(
        &self,
        id: JsValue,
        options: Option<JsValue>,
        call: impl FnOnce(&str) -> Call,
    ) -> Promise {
        self.start((|| {
            Ok((call(&id_arg(&id)?), Options::signal_only(options)?))
        })())
    }

    fn power_action(&self, action: PowerAction, vm: JsValue, options: Option<JsValue>) -> Promise {
        self.on_vm(vm, options, |vm| power(action, vm))
    }
}

#[wasm_bindgen]
impl KatapultClient {
    /// Creates a client. Throws `KatapultError` (`invalid_argument`) for a
    /// missing token, a malformed `baseUrl` or out-of-range numbers.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "KatapultClientConfig")] config: JsValue,
    ) -> Result<KatapultClient, JsValue> {
        to_json(&config, "config")
            .and_then(|json| Config::parse(&json))
            .map(|config| {
                let authorization = JsValue::from_str(&config.authorization());
                KatapultClient {
                    inner: Rc::new(Inner {
                        config,
                        authorization,
                    }),
                }
            })
            .map_err(to_js_error)
    }

    /// The base URL requests go to.
    #[wasm_bindgen(getter, js_name = baseUrl)]
    pub fn base_url(&self) -> String {
        self.inner.config.base_url.clone()
    }

    /// The settings without the token, for logging.
    #[wasm_bindgen(js_name = toJSON, unchecked_return_type = "{ baseUrl: string; timeoutMs: number; maxRetries: number }")]
    pub fn to_json_value(&self) -> JsValue {
        let settings = serde_json::json!({
            "baseUrl": self.inner.config.base_url,
            "timeoutMs": self.inner.config.timeout_ms,
            "maxRetries": self.inner.config.max_retries,
        });
        from_json(&settings)
    }

    /// `GET /organizations`: every organization the token can see.
    #[wasm_bindgen(js_name = listOrganizations, unchecked_return_type = "Promise<ListOrganizationsResponse>")]
    pub fn list_organizations(&self, options: Option<JsRequestOptions>) -> Promise {
        self.start(
            Options::signal_only(options.map(Into::into)).map(|s| (organizations::list(), s)),
        )
    }

    /// `GET /organizations/organization/virtual_machines`: one page of an
    /// organization's virtual machines, optionally filtered by annotations.
    #[wasm_bindgen(js_name = listVirtualMachines, unchecked_return_type = "Promise<ListVirtualMachinesResponse>")]
    pub fn list_virtual_machines(
        &self,
        org: JsOrganizationLookup,
        options: Option<JsListVirtualMachinesOptions>,
    ) -> Promise {
        self.start((|| {
            let org = org_lookup(&org)?;
            let options = Options::read(options.map(Into::into))?;
            let list = ListOptions::parse(Some(&options.json))?;
            Ok((virtual_machines::list(&org, &list), options.signal))
        })())
    }

    /// `GET /virtual_machines/virtual_machine`: one virtual machine and its annotations.
    #[wasm_bindgen(js_name = getVirtualMachine, unchecked_return_type = "Promise<GetVirtualMachineResponse>")]
    pub fn get_virtual_machine(
        &self,
        vm: JsVirtualMachineLookup,
        options: Option<JsRequestOptions>,
    ) -> Promise {
        self.on_vm(vm.into(), options.map(Into::into), virtual_machines::get)
    }

    /// `DELETE /virtual_machines/virtual_machine`: moves a virtual machine to
    /// the trash; `restoreTrashObject(trash_object.id)` undoes it.
    #[wasm_bindgen(js_name = deleteVirtualMachine, unchecked_return_type = "Promise<DeleteVirtualMachineResponse>")]
    pub fn delete_virtual_machine(
        &self,
        vm: JsVirtualMachineLookup,
        options: Option<JsRequestOptions>,
    ) -> Promise {
        self.on_vm(vm.into(), options.map(Into::into), virtual_machines::delete)
    }

    /// `POST …/virtual_machine/shutdown`: asks the guest to shut down; resolves with the queued task.
    #[wasm_bindgen(js_name = shutdownVirtualMachine, unchecked_return_type = "Promise<TaskResponse>")]
    pub fn shutdown_virtual_machine(
        &self,
        vm: JsVirtualMachineLookup,
        options: Option<JsRequestOptions>,
    ) -> Promise {
        self.power_action(PowerAction::Shutdown, vm.into(), options.map(Into::into))
    }

    /// `POST …/virtual_machine/start`: boots the virtual machine; resolves with the queued task.
    #[wasm_bindgen(js_name = startVirtualMachine, unchecked_return_type = "Promise<TaskResponse>")]
    pub fn start_virtual_machine(
        &self,
        vm: JsVirtualMachineLookup,
        options: Option<JsRequestOptions>,
    ) -> Promise {
        self.power_action(PowerAction::Start, vm.into(), options.map(Into::into))
    }

    /// `POST …/virtual_machine/stop`: cuts power at once; resolves with the queued task.
    #[wasm_bindgen(js_name = stopVirtualMachine, unchecked_return_type = "Promise<TaskResponse>")]
    pub fn stop_virtual_machine(
        &self,
        vm: JsVirtualMachineLookup,
        options: Option<JsRequestOptions>,
    ) -> Promise {
        self.power_action(PowerAction::Stop, vm.into(), options.map(Into::into))
    }

    /// `POST …/virtual_machine/reset`: hard reset; resolves with the queued task.
    #[wasm_bindgen(js_name = resetVirtualMachine, unchecked_return_type = "Promise<TaskResponse>")]
    pub fn reset_virtual_machine(
        &self,
        vm: JsVirtualMachineLookup,
        options: Option<JsRequestOptions>,
    ) -> Promise {
        self.power_action(PowerAction::Reset, vm.into(), options.map(Into::into))
    }

    /// `POST /organizations/organization/virtual_machines/build_from_spec`:
    /// builds a virtual machine from a spec XML document or a spec object
    /// (written with `buildSpecXml`).
    #[wasm_bindgen(js_name = buildVirtualMachineFromSpec, unchecked_return_type = "Promise<BuildVirtualMachineResponse>")]
    pub fn build_virtual_machine_from_spec(
        &self,
        org: JsOrganizationLookup,
        #[wasm_bindgen(unchecked_param_type = "string | VirtualMachineSpec")] spec: JsValue,
        options: Option<JsBuildVirtualMachineOptions>,
    ) -> Promise {
        self.start((|| {
            let org = org_lookup(&org)?;
            let spec = to_json(&spec, "spec")?;
            #[cfg(feature = "spec")]
            let xml = spec::document(&spec)?;
            #[cfg(not(feature = "spec"))]
            let xml = spec::xml_text(&spec)?;
            let options = Options::read(options.map(Into::into))?;
            let build = BuildOptions::parse(Some(&options.json))?;
            let call = virtual_machine_builds::build_from_spec(&org, &xml, &build);
            Ok((call, options.signal))
        })())
    }

    /// `GET /tasks/task`: a task's current status and progress.
    #[wasm_bindgen(js_name = getTask, unchecked_return_type = "Promise<GetTaskResponse>")]
    pub fn get_task(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue,
        options: Option<JsRequestOptions>,
    ) -> Promise {
        self.on_id(id, options.map(Into::into), tasks::get)
    }

    /// `GET /virtual_machines/builds/virtual_machine_build`: a build's state
    /// and, once it exists, its virtual machine.
    #[wasm_bindgen(js_name = getVirtualMachineBuild, unchecked_return_type = "Promise<GetVirtualMachineBuildResponse>")]
    pub fn get_virtual_machine_build(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue,
        options: Option<JsRequestOptions>,
    ) -> Promise {
        self.on_id(id, options.map(Into::into), virtual_machine_builds::get)
    }

    /// `POST /trash_objects/trash_object/restore`: brings a deleted object back.
    #[wasm_bindgen(js_name = restoreTrashObject, unchecked_return_type = "Promise<RestoreTrashObjectResponse>")]
    pub fn restore_trash_object(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue,
        options: Option<JsRequestOptions>,
    ) -> Promise {
        self.on_id(id, options.map(Into::into), trash::restore)
    }
}
