//! The exported `KatapultClient` class: `request` for every operation of
//! the table (and `__invoke`, behind the named methods the package entry
//! installs from the same table), and the fifteen named methods API.md
//! fixes, each a thin user of the table. Every call goes through one path:
//! arguments checked by the core, the request sent with retries, timeout
//! and abort, the answer checked against the document. Every failure
//! rejects the promise with a `KatapultError` (only the constructor throws).

use super::exchange;
use super::js::{from_json, signal_of, to_js_error, to_json};
use crate::args::{self, BuildOptions, ListOptions, SIGNAL};
use crate::config::Config;
use crate::error::Error;
use crate::generated::operations as ops;
use crate::lookup::{self, OrganizationLookup, VirtualMachineLookup};
use crate::operation::{self, Naming, Operation};
use crate::request::Call;
use crate::spec;
use js_sys::{Array, Function, Object, Promise, Reflect};
use serde_json::{json, Map, Value};
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
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

/// Where the `Authorization` header comes from.
enum Token {
    /// `Bearer …` of a token string, made once.
    Fixed(JsValue),
    /// A function called before every attempt (short-lived OAuth2 tokens).
    Function(Function),
}

/// What every call of a client shares.
pub(super) struct Inner {
    pub(super) config: Config,
    token: Token,
}

impl Inner {
    /// Sends a call and checks its answer, retrying 429/503 (and network
    /// errors for GET) as the core's retry policy decides (the loop is
    /// `drive` in `glue.js`, see [`super::exchange`]). Resolves with the
    /// body as JavaScript data (`JSON.parse` of the checked bytes), or the
    /// text of a `text/plain` answer.
    pub(super) async fn call(
        self: &Rc<Self>,
        call: &Call,
        signal: Option<&AbortSignal>,
    ) -> Result<JsValue, Error> {
        exchange::exchange(self, call, signal).await
    }

    /// What each attempt's `Authorization` header comes from: the header
    /// itself, or the token function to call before every attempt.
    pub(super) fn authorization(&self) -> JsValue {
        match &self.token {
            Token::Fixed(header) => header.clone(),
            Token::Function(f) => f.clone().into(),
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
    pub(super) fn signal_only(value: Option<JsValue>) -> Result<Option<AbortSignal>, Error> {
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

fn vm_params(vm: &JsValue) -> Result<Value, Error> {
    let vm = VirtualMachineLookup::parse(&to_json(vm, "vm")?, "vm")?;
    Ok(json!({ "virtual_machine": lookup::to_json(vm.pair()) }))
}

pub(super) fn org_lookup(org: &JsValue) -> Result<Value, Error> {
    let org = OrganizationLookup::parse(&to_json(org, "org")?, "org")?;
    Ok(lookup::to_json(org.pair()))
}

pub(super) fn id_arg(id: &JsValue) -> Result<String, Error> {
    args::id(&to_json(id, "id")?, "id")
}

/// `{ "<key>": { "id": id } }`: the lookup of an object the method takes by id.
fn by_id(key: &str, id: &JsValue) -> Result<Value, Error> {
    let mut map = Map::new();
    map.insert(key.to_owned(), json!({ "id": id_arg(id)? }));
    Ok(Value::Object(map))
}

/// The annotations of a method's options, as the API's argument.
pub(super) fn annotations_arg(list: &[args::Annotation]) -> Value {
    Value::Array(
        list.iter()
            .map(|a| json!({ "key": a.key, "value": a.value }))
            .collect(),
    )
}

/// The operation at `index` in the table, as the package's JavaScript
/// found it for the operationId `id` (-1 when it found none; `id` is
/// only for the message then).
pub(super) fn operation_arg(index: &JsValue, id: &JsValue) -> Result<&'static Operation, Error> {
    let found = index
        .as_f64()
        .filter(|i| *i >= 0.0 && i.fract() == 0.0)
        .and_then(|i| Operation::at(i as usize));
    match (found, id.as_string()) {
        (Some(op), _) => Ok(op),
        (None, Some(id)) => Err(operation::unknown(&id)),
        (None, None) => Err(Error::invalid_argument(
            "operationId must be a string such as \"get:virtual_machine\" (see `operations`)",
        )),
    }
}

/// A method's validated call and signal, or why its arguments are wrong.
type Prepared = Result<(Call, Option<AbortSignal>), Error>;

impl KatapultClient {
    /// Sends a prepared call. Argument errors become a rejected promise
    /// (never a throw); every call runs through the same future.
    fn start(&self, prepared: Prepared) -> Promise {
        match prepared {
            Ok((call, signal)) => exchange::begin(&self.inner, call, signal),
            Err(e) => Promise::reject(&to_js_error(e)),
        }
    }

    /// An operation of the table with arguments a named method checked
    /// itself, and an options object that holds only `signal`. (Not
    /// generic: one copy serves every such method.)
    fn operation(
        &self,
        op: &'static Operation,
        params: Result<Value, Error>,
        options: Option<JsValue>,
    ) -> Promise {
        self.start((|| {
            let params = params?;
            let signal = Options::signal_only(options)?;
            Ok((op.call(&params, &Naming::PARAMS)?, signal))
        })())
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
        let token_fn = config
            .is_object()
            .then(|| Reflect::get(&config, &"token".into()).ok())
            .flatten()
            .and_then(|t| t.dyn_into::<Function>().ok());
        // The function stays here; the core checks the rest of the config.
        let data = match &token_fn {
            Some(_) => {
                let copy = Object::assign(&Object::new(), config.unchecked_ref());
                let _ = Reflect::delete_property(&copy, &"token".into());
                copy.into()
            }
            None => config,
        };
        to_json(&data, "config")
            .and_then(|json| Config::parse(&json, token_fn.is_some()))
            .map(|config| {
                let token = match (token_fn, config.authorization()) {
                    (Some(f), _) => Token::Function(f),
                    (None, header) => Token::Fixed(JsValue::from_str(&header.unwrap_or_default())),
                };
                KatapultClient {
                    inner: Rc::new(Inner { config, token }),
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

    /// `request(operationId, params, options)`, with the operation's index
    /// in the table (the package's JavaScript looks it up): any operation
    /// with the API's own argument names. Resolves to the 2xx body, checked
    /// against the document (the text of a `text/plain` answer).
    #[wasm_bindgen(js_name = "__request", skip_typescript)]
    pub fn request(
        &self,
        index: JsValue,
        operation_id: JsValue,
        params: JsValue,
        options: JsValue,
    ) -> Promise {
        self.start((|| {
            let op = operation_arg(&index, &operation_id)?;
            let params = to_json(&params, "params")?;
            let signal = Options::signal_only(Some(options))?;
            Ok((op.call(&params, &Naming::PARAMS)?, signal))
        })())
    }

    /// The named methods' way in: the subjects positionally, the other
    /// arguments and `signal` in `options` (installed by the package entry
    /// from the operation table).
    #[wasm_bindgen(js_name = "__invoke", skip_typescript)]
    pub fn invoke(&self, index: JsValue, subjects: JsValue, options: JsValue) -> Promise {
        self.start((|| {
            let op = operation_arg(&index, &JsValue::UNDEFINED)?;
            let options = Options::read(Some(options))?;
            let mut params = match options.json {
                Value::Null => Map::new(),
                Value::Object(map) => map,
                other => {
                    return Err(Error::invalid_argument(format!(
                        "options must be an object, got {}",
                        args::describe(&other)
                    )))
                }
            };
            // `signal` stays: the naming lets the core skip it.
            let given: Array = subjects.dyn_into().unwrap_or_default();
            let mut shown = Vec::new();
            for (i, subject) in op.subjects().enumerate() {
                let name = subject.name();
                let value = to_json(&given.get(i as u32), name)?;
                params.insert(name.to_owned(), value);
                shown.push((name, name));
            }
            let naming = Naming {
                prefix: "options",
                shown: &shown,
                extra: &[SIGNAL],
            };
            Ok((op.call(&Value::Object(params), &naming)?, options.signal))
        })())
    }

    /// `GET /organizations`: every organization the token can see.
    #[wasm_bindgen(js_name = listOrganizations, unchecked_return_type = "Promise<ListOrganizationsResponse>")]
    pub fn list_organizations(&self, options: Option<JsRequestOptions>) -> Promise {
        self.operation(
            ops::GET_ORGANIZATIONS,
            Ok(Value::Null),
            options.map(Into::into),
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
            let mut params = Map::new();
            params.insert("organization".into(), org);
            if !list.annotations.is_empty() {
                params.insert("annotations".into(), annotations_arg(&list.annotations));
            }
            if let Some(page) = list.page {
                params.insert("page".into(), page.into());
            }
            if let Some(per_page) = list.per_page {
                params.insert("per_page".into(), per_page.into());
            }
            let op = ops::GET_ORGANIZATION_VIRTUAL_MACHINES;
            let call = op.call(&Value::Object(params), &Naming::PARAMS)?;
            Ok((call, options.signal))
        })())
    }

    /// `GET /virtual_machines/virtual_machine`: one virtual machine and its annotations.
    #[wasm_bindgen(js_name = getVirtualMachine, unchecked_return_type = "Promise<GetVirtualMachineResponse>")]
    pub fn get_virtual_machine(
        &self,
        vm: JsVirtualMachineLookup,
        options: Option<JsRequestOptions>,
    ) -> Promise {
        self.operation(
            ops::GET_VIRTUAL_MACHINE,
            vm_params(&vm),
            options.map(Into::into),
        )
    }

    /// `DELETE /virtual_machines/virtual_machine`: moves a virtual machine to
    /// the trash; `restoreTrashObject(trash_object.id)` undoes it.
    #[wasm_bindgen(js_name = deleteVirtualMachine, unchecked_return_type = "Promise<DeleteVirtualMachineResponse>")]
    pub fn delete_virtual_machine(
        &self,
        vm: JsVirtualMachineLookup,
        options: Option<JsRequestOptions>,
    ) -> Promise {
        self.operation(
            ops::DELETE_VIRTUAL_MACHINE,
            vm_params(&vm),
            options.map(Into::into),
        )
    }

    /// `POST …/virtual_machine/shutdown`: asks the guest to shut down; resolves with the queued task.
    #[wasm_bindgen(js_name = shutdownVirtualMachine, unchecked_return_type = "Promise<TaskResponse>")]
    pub fn shutdown_virtual_machine(
        &self,
        vm: JsVirtualMachineLookup,
        options: Option<JsRequestOptions>,
    ) -> Promise {
        self.operation(
            ops::POST_VIRTUAL_MACHINE_SHUTDOWN,
            vm_params(&vm),
            options.map(Into::into),
        )
    }

    /// `POST …/virtual_machine/start`: boots the virtual machine; resolves with the queued task.
    #[wasm_bindgen(js_name = startVirtualMachine, unchecked_return_type = "Promise<TaskResponse>")]
    pub fn start_virtual_machine(
        &self,
        vm: JsVirtualMachineLookup,
        options: Option<JsRequestOptions>,
    ) -> Promise {
        self.operation(
            ops::POST_VIRTUAL_MACHINE_START,
            vm_params(&vm),
            options.map(Into::into),
        )
    }

    /// `POST …/virtual_machine/stop`: cuts power at once; resolves with the queued task.
    #[wasm_bindgen(js_name = stopVirtualMachine, unchecked_return_type = "Promise<TaskResponse>")]
    pub fn stop_virtual_machine(
        &self,
        vm: JsVirtualMachineLookup,
        options: Option<JsRequestOptions>,
    ) -> Promise {
        self.operation(
            ops::POST_VIRTUAL_MACHINE_STOP,
            vm_params(&vm),
            options.map(Into::into),
        )
    }

    /// `POST …/virtual_machine/reset`: hard reset; resolves with the queued task.
    #[wasm_bindgen(js_name = resetVirtualMachine, unchecked_return_type = "Promise<TaskResponse>")]
    pub fn reset_virtual_machine(
        &self,
        vm: JsVirtualMachineLookup,
        options: Option<JsRequestOptions>,
    ) -> Promise {
        self.operation(
            ops::POST_VIRTUAL_MACHINE_RESET,
            vm_params(&vm),
            options.map(Into::into),
        )
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
            let mut params = Map::new();
            params.insert("organization".into(), org);
            params.insert("xml".into(), Value::String(xml));
            if !build.annotations.is_empty() {
                params.insert("annotations".into(), annotations_arg(&build.annotations));
            }
            let op = ops::POST_ORGANIZATION_VIRTUAL_MACHINES_BUILD_FROM_SPEC;
            Ok((
                op.call(&Value::Object(params), &Naming::PARAMS)?,
                options.signal,
            ))
        })())
    }

    /// `GET /tasks/task`: a task's current status and progress.
    #[wasm_bindgen(js_name = getTask, unchecked_return_type = "Promise<GetTaskResponse>")]
    pub fn get_task(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue,
        options: Option<JsRequestOptions>,
    ) -> Promise {
        self.operation(ops::GET_TASK, by_id("task", &id), options.map(Into::into))
    }

    /// `GET /virtual_machines/builds/virtual_machine_build`: a build's state
    /// and, once it exists, its virtual machine.
    #[wasm_bindgen(js_name = getVirtualMachineBuild, unchecked_return_type = "Promise<GetVirtualMachineBuildResponse>")]
    pub fn get_virtual_machine_build(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue,
        options: Option<JsRequestOptions>,
    ) -> Promise {
        self.operation(
            ops::GET_VIRTUAL_MACHINES_BUILDS_VIRTUAL_MACHINE_BUILD,
            by_id("virtual_machine_build", &id),
            options.map(Into::into),
        )
    }

    /// `POST /trash_objects/trash_object/restore`: brings a deleted object back.
    #[wasm_bindgen(js_name = restoreTrashObject, unchecked_return_type = "Promise<RestoreTrashObjectResponse>")]
    pub fn restore_trash_object(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue,
        options: Option<JsRequestOptions>,
    ) -> Promise {
        self.operation(
            ops::POST_TRASH_OBJECT_RESTORE,
            by_id("trash_object", &id),
            options.map(Into::into),
        )
    }
}
