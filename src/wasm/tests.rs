//! wasm-bindgen tests of the exported client, run inside the JavaScript
//! engine (Node, or headless Chromium) against the real katapult-mock. The
//! test script starts the mock and passes its URL as `KATAPULT_MOCK_URL`
//! (Node reads it at run time; browser builds take it at compile time).

use super::client::KatapultClient;
use js_sys::{Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::wasm_bindgen_test;

fn mock_url() -> String {
    let from_process = js_sys::global()
        .dyn_into::<Object>()
        .ok()
        .and_then(|g| Reflect::get(&g, &"process".into()).ok())
        .and_then(|p| Reflect::get(&p, &"env".into()).ok())
        .and_then(|env| Reflect::get(&env, &"KATAPULT_MOCK_URL".into()).ok())
        .and_then(|v| v.as_string());
    from_process
        .or_else(|| option_env!("KATAPULT_MOCK_URL").map(str::to_owned))
        .unwrap_or_else(|| "http://127.0.0.1:18080".into())
}

fn json(text: &str) -> JsValue {
    js_sys::JSON::parse(text).expect("test JSON")
}

fn get(value: &JsValue, path: &str) -> JsValue {
    path.split('.').fold(value.clone(), |v, key| {
        Reflect::get(&v, &key.into()).unwrap_or(JsValue::UNDEFINED)
    })
}

fn client(token: &str) -> KatapultClient {
    let config = json(&format!(
        r#"{{"token":"{token}","baseUrl":"{}/core/v1","maxRetries":0}}"#,
        mock_url()
    ));
    KatapultClient::new(config)
        .map_err(|e| format!("{e:?}"))
        .expect("client")
}

async fn rejection(promise: js_sys::Promise) -> JsValue {
    JsFuture::from(promise)
        .await
        .expect_err("expected a rejection")
}

#[wasm_bindgen_test]
async fn lists_the_demo_organization() {
    let k = client("demo-token");
    let org = json(r#"{"sub_domain":"acme"}"#).unchecked_into();
    let opts = json(r#"{"per_page":5}"#).unchecked_into();
    let page = JsFuture::from(k.list_virtual_machines(org, Some(opts)))
        .await
        .expect("list");
    assert_eq!(get(&page, "pagination.per_page").as_f64(), Some(5.0));
    assert_eq!(get(&page, "pagination.current_page").as_f64(), Some(1.0));
    let vms: js_sys::Array = get(&page, "virtual_machines").unchecked_into();
    assert_eq!(vms.length(), 5);
    assert!(get(&vms.get(0), "id")
        .as_string()
        .unwrap()
        .starts_with("vm_"));
}

#[wasm_bindgen_test]
async fn gets_a_vm_by_fqdn() {
    let k = client("demo-token");
    let vm = json(r#"{"fqdn":"web-1.acme.katapult.cloud"}"#).unchecked_into();
    let res = JsFuture::from(k.get_virtual_machine(vm, None))
        .await
        .expect("get");
    assert_eq!(
        get(&res, "virtual_machine.hostname").as_string().as_deref(),
        Some("web-1")
    );
    assert!(
        get(&res, "virtual_machine.description").is_null()
            || get(&res, "virtual_machine.description").is_string()
    );
    assert!(js_sys::Array::is_array(&get(&res, "annotations")));
}

#[wasm_bindgen_test]
async fn api_errors_reject_with_katapult_error() {
    let k = client("demo-token");
    let vm = json(r#"{"id":"vm_missing"}"#).unchecked_into();
    let e = rejection(k.get_virtual_machine(vm, None)).await;
    assert!(e.is_instance_of::<js_sys::Error>());
    assert_eq!(
        get(&e, "name").as_string().as_deref(),
        Some("KatapultError")
    );
    assert_eq!(
        get(&e, "code").as_string().as_deref(),
        Some("virtual_machine_not_found")
    );
    assert_eq!(get(&e, "status").as_f64(), Some(404.0));

    let bad = client("not-the-token");
    let e = rejection(bad.list_organizations(None)).await;
    assert_eq!(
        get(&e, "code").as_string().as_deref(),
        Some("invalid_api_token")
    );
    assert_eq!(get(&e, "status").as_f64(), Some(403.0));
}

#[wasm_bindgen_test]
async fn invalid_arguments_reject_without_a_request() {
    let k = client("demo-token");
    let both = json(r#"{"id":"a","fqdn":"b"}"#).unchecked_into();
    let e = rejection(k.delete_virtual_machine(both, None)).await;
    assert_eq!(
        get(&e, "code").as_string().as_deref(),
        Some("invalid_argument")
    );
    assert_eq!(get(&e, "status").as_f64(), Some(0.0));
}

/// The index the package's JavaScript passes for an operationId.
fn index_of(id: &str) -> JsValue {
    let i = crate::operation::OPERATIONS
        .iter()
        .position(|op| op.id() == id)
        .expect("an operation");
    JsValue::from(i as u32)
}

#[wasm_bindgen_test]
async fn any_operation_through_request_and_a_token_function() {
    let k = client("demo-token");
    let params = json(r#"{"organization":{"sub_domain":"acme"},"per_page":3}"#);
    let id = "get:organization_virtual_machines";
    let page = JsFuture::from(k.request(index_of(id), id.into(), params, JsValue::UNDEFINED))
        .await
        .expect("request");
    assert_eq!(get(&page, "pagination.per_page").as_f64(), Some(3.0));
    // An unknown argument: refused before anything is sent.
    let bad = json(r#"{"organisation":{"sub_domain":"acme"}}"#);
    let e = rejection(k.request(index_of(id), id.into(), bad, JsValue::UNDEFINED)).await;
    assert_eq!(
        get(&e, "code").as_string().as_deref(),
        Some("invalid_argument")
    );
    // The token from a function, called for the attempt.
    let config = js_sys::Object::new();
    let token = js_sys::Function::new_no_args("return 'demo-token'");
    Reflect::set(&config, &"token".into(), &token).expect("set");
    let base = format!("{}/core/v1", mock_url());
    Reflect::set(&config, &"baseUrl".into(), &base.into()).expect("set");
    let with_fn = KatapultClient::new(config.into())
        .map_err(|e| format!("{e:?}"))
        .expect("client");
    let orgs = JsFuture::from(with_fn.list_organizations(None))
        .await
        .expect("listed");
    assert!(get(&orgs, "organizations").is_object());
}

#[wasm_bindgen_test]
fn constructor_throws_for_a_missing_token() {
    let err = KatapultClient::new(json("{}")).err().expect("must throw");
    assert_eq!(
        get(&err, "code").as_string().as_deref(),
        Some("invalid_argument")
    );
}

#[wasm_bindgen_test]
fn spec_tools_round_trip_and_throw_katapult_errors() {
    use super::spec::{build_spec_xml, parse_spec_xml};
    let spec = json(
        r#"{"zone":{"permalink":"uk-lon-01"},"resources":{"memory":4,"cpu_cores":2},
            "hostname":{"random":true},"tags":["<&>\"'","ünï"]}"#,
    );
    let xml = build_spec_xml(spec.clone()).expect("builds");
    assert!(
        xml.contains("<Tag>&lt;&amp;&gt;&quot;&apos;</Tag>"),
        "{xml}"
    );
    let back = parse_spec_xml(JsValue::from_str(&xml)).expect("parses");
    assert_eq!(
        js_sys::JSON::stringify(&back).ok().and_then(|s| s.as_string()),
        Some(
            r#"{"hostname":{"random":true},"resources":{"cpu_cores":2,"memory":4},"tags":["<&>\"'","ünï"],"zone":{"permalink":"uk-lon-01"}}"#
                .to_owned()
        )
    );
    let e =
        parse_spec_xml(JsValue::from_str("<!DOCTYPE x><VirtualMachineSpec/>")).expect_err("DTD");
    assert!(e.is_instance_of::<js_sys::Error>());
    assert_eq!(
        get(&e, "code").as_string().as_deref(),
        Some("invalid_argument")
    );
    let e = build_spec_xml(json(r#"{"zone":"uk-lon-01"}"#)).expect_err("bad lookup");
    assert_eq!(
        get(&e, "message").as_string().as_deref(),
        Some("spec.zone must be { id } or { permalink }, got a string")
    );
}

#[wasm_bindgen_test]
async fn builds_a_vm_from_a_spec_object() {
    let k = client("demo-token");
    let org = json(r#"{"sub_domain":"globex"}"#).unchecked_into();
    let spec = json(
        r#"{"data_center":{"permalink":"uk-lon"},"resources":{"package":{"permalink":"rock-3"}},"name":"From wasm"}"#,
    );
    let build = JsFuture::from(k.build_virtual_machine_from_spec(org, spec, None))
        .await
        .expect("build");
    assert!(get(&build, "virtual_machine_build.id")
        .as_string()
        .is_some_and(|id| id.starts_with("vmbuild_")));
}
