//! Building a VM from a spec in the engine alone (as the in-process mock
//! runs it, and as the server's build route did): the spec read and
//! checked, the build's states over its task's time, the VM it makes, and
//! `fail-build`.

use katapult_mock_core::{Answer, Config, Engine};
use serde_json::{json, Value};

const NOW: u64 = 1_800_000_000_000;
const TASK_MS: u64 = 1000;
const BUILD: &str = "/organizations/organization/virtual_machines/build_from_spec";

fn engine() -> Engine {
    Engine::new(Config {
        task_ms: TASK_MS,
        ..Config::default()
    })
}

mod common;

fn send(e: &mut Engine, body: Value) -> Answer {
    common::send(e, "POST", BUILD, body, NOW)
}

fn get(e: &mut Engine, path: &str, query: &str, now: u64) -> Value {
    let a = common::get(e, path, query, now);
    assert_eq!(a.status, 200, "{path}?{query}: {:?}", a.json_body());
    a.json_body()
}

fn spec(hostname: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<VirtualMachineSpec>
  <DataCenter by="permalink">uk-lon</DataCenter>
  <Resources><Package by="permalink">rock-3</Package></Resources>
  <Hostname><Hostname>{hostname}</Hostname></Hostname>
</VirtualMachineSpec>"#
    )
}

fn build(e: &mut Engine, id: &str, now: u64) -> Value {
    get(
        e,
        "/virtual_machines/builds/virtual_machine_build",
        &format!("virtual_machine_build[id]={id}"),
        now,
    )
}

fn code(a: &Answer) -> (u16, String) {
    let body = a.json_body();
    (
        a.status,
        body["error"]["code"]
            .as_str()
            .unwrap_or_default()
            .to_owned(),
    )
}

#[test]
fn a_build_makes_its_vm_while_its_task_runs() {
    let mut e = engine();
    let xml = spec("test-build-1");
    let r = send(
        &mut e,
        json!({"organization": {"sub_domain": "acme"}, "xml": xml, "annotations": [{"key": "team", "value": "qa"}]}),
    );
    assert_eq!(r.status, 201, "{:?}", r.json_body());
    let body = r.json_body();
    assert_eq!(body["build"], body["virtual_machine_build"]);
    assert_eq!(body["build"]["state"], "pending");
    assert_eq!(body["task"]["status"], "pending");
    assert_eq!(body["hostname"], "test-build-1");
    assert_eq!(body["annotations"], json!([{"key": "team", "value": "qa"}]));
    let id = body["build"]["id"].as_str().expect("id").to_owned();

    let pending = build(&mut e, &id, NOW + 100);
    assert_eq!(pending["virtual_machine_build"]["state"], "pending");
    assert!(pending["virtual_machine_build"]["virtual_machine"].is_null());
    let running = build(&mut e, &id, NOW + 500)["virtual_machine_build"].clone();
    assert_eq!(running["state"], "building");
    assert_eq!(running["virtual_machine"]["state"], "allocating");
    let done = build(&mut e, &id, NOW + TASK_MS);
    let b = &done["virtual_machine_build"];
    assert_eq!(b["state"], "complete");
    assert_eq!(b["spec_xml"], json!(xml));
    assert_eq!(b["virtual_machine"]["state"], "started");
    assert_eq!(
        b["virtual_machine"]["fqdn"],
        "test-build-1.acme.katapult.cloud"
    );
    assert_eq!(done["annotations"], json!([{"key": "team", "value": "qa"}]));
    let task = get(
        &mut e,
        "/tasks/task",
        &format!("task[id]={}", body["task"]["id"].as_str().expect("task")),
        NOW + TASK_MS,
    );
    assert_eq!(task["task"]["status"], "completed");

    let vm_id = b["virtual_machine"]["id"].as_str().expect("vm id");
    let vm = get(
        &mut e,
        "/virtual_machines/virtual_machine",
        &format!("virtual_machine[id]={vm_id}"),
        NOW + TASK_MS,
    );
    assert_eq!(vm["annotations"], json!([{"key": "team", "value": "qa"}]));
    let v = &vm["virtual_machine"];
    assert_eq!(v["package"]["permalink"], "rock-3");
    assert_eq!(v["zone"]["permalink"], "uk-lon-01");
    assert_eq!(v["organization"]["sub_domain"], "acme");
    assert_eq!(v["ip_addresses"].as_array().map(Vec::len), Some(2));
    let q = format!("virtual_machine[id]={vm_id}");
    let disks = get(
        &mut e,
        "/virtual_machines/virtual_machine/disks",
        &q,
        NOW + TASK_MS,
    );
    assert_eq!(disks["pagination"]["total"], 1, "{disks}");
    let nics = get(
        &mut e,
        "/virtual_machines/virtual_machine/network_interfaces",
        &q,
        NOW + TASK_MS,
    );
    let nic = &nics["virtual_machine_network_interfaces"][0];
    assert_eq!(nic["network"]["name"], "Public Network (London)");
    assert_eq!(nic["ip_addresses"].as_array().map(Vec::len), Some(2));
    let list = get(
        &mut e,
        "/organizations/organization/virtual_machines",
        "organization[sub_domain]=acme&per_page=100",
        NOW + TASK_MS,
    );
    let last = list["virtual_machines"]
        .as_array()
        .and_then(|l| l.last().cloned());
    assert_eq!(last.map(|v| v["name"].clone()), Some(json!("test-build-1")));

    let again = send(
        &mut e,
        json!({"organization": {"sub_domain": "acme"}, "xml": xml}),
    );
    assert_eq!(code(&again), (422, "validation_error".into()), "taken");
}

#[test]
fn a_random_hostname_and_a_name_and_resources_without_a_package() {
    let mut e = engine();
    let xml = r#"<VirtualMachineSpec><Name>Random One</Name><Zone by="permalink">nl-ams-01</Zone><Hostname><Hostname type="random"/></Hostname><Resources><Memory>4</Memory><CPUCores>2</CPUCores></Resources></VirtualMachineSpec>"#;
    let r = send(
        &mut e,
        json!({"organization": {"sub_domain": "globex"}, "xml": xml}),
    );
    assert_eq!(r.status, 201, "{:?}", r.json_body());
    let hostname = r.json_body()["hostname"]
        .as_str()
        .expect("hostname")
        .to_owned();
    let parts: Vec<&str> = hostname.split('-').collect();
    assert_eq!(parts.len(), 3, "{hostname}");
    assert!(parts[2].parse::<u32>().is_ok(), "{hostname}");
    let id = r.json_body()["build"]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let b = build(&mut e, &id, NOW + TASK_MS);
    let vm = &b["virtual_machine_build"]["virtual_machine"];
    assert_eq!(vm["name"], "Random One");
    assert_eq!(
        vm["fqdn"],
        json!(format!("{hostname}.globex.katapult.cloud"))
    );
    let full = get(
        &mut e,
        "/virtual_machines/virtual_machine",
        &format!("virtual_machine[id]={}", vm["id"].as_str().expect("id")),
        NOW + TASK_MS,
    );
    assert_eq!(full["virtual_machine"]["package"], Value::Null);
    assert_eq!(full["virtual_machine"]["memory_in_gb"], 4);
    assert_eq!(full["virtual_machine"]["cpu_cores"], 2);
}

#[test]
fn a_fail_build_build_fails_and_its_vm_goes() {
    let mut e = engine();
    let r = send(
        &mut e,
        json!({"organization": {"sub_domain": "acme"}, "xml": spec("fail-build-1")}),
    );
    assert_eq!(r.status, 201, "{:?}", r.json_body());
    let id = r.json_body()["build"]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let running = build(&mut e, &id, NOW + 500);
    let vm_id = running["virtual_machine_build"]["virtual_machine"]["id"]
        .as_str()
        .expect("a VM while it builds")
        .to_owned();
    let b = build(&mut e, &id, NOW + TASK_MS);
    assert_eq!(b["virtual_machine_build"]["state"], "failed");
    assert!(b["virtual_machine_build"]["virtual_machine"].is_null());
    let gone = common::get(
        &mut e,
        "/virtual_machines/virtual_machine",
        &format!("virtual_machine[id]={vm_id}"),
        NOW + TASK_MS,
    );
    assert_eq!(code(&gone), (404, "virtual_machine_not_found".into()));
    let task = get(
        &mut e,
        "/tasks/task",
        &format!(
            "task[id]={}",
            r.json_body()["task"]["id"].as_str().expect("task")
        ),
        NOW + TASK_MS,
    );
    assert_eq!(task["task"]["status"], "failed");
}

#[test]
fn a_spec_the_parser_refuses_or_the_catalogue_cannot_meet_is_refused() {
    let mut e = engine();
    let org = json!({"sub_domain": "acme"});
    for xml in [
        "<not xml",
        "",
        "<Other/>",
        "<VirtualMachineSpec><Zones/></VirtualMachineSpec>",
    ] {
        let r = send(&mut e, json!({"organization": org, "xml": xml}));
        assert_eq!(code(&r), (400, "invalid_spec_xml".into()), "{xml:?}");
        assert!(
            r.json_body()["error"]["detail"]["errors"].is_string(),
            "{xml:?}"
        );
    }
    let r = send(
        &mut e,
        json!({"organization": org, "xml": "<VirtualMachineSpec/>"}),
    );
    assert_eq!(code(&r), (422, "validation_error".into()));
    assert_eq!(
        r.json_body()["error"]["detail"]["errors"]
            .as_array()
            .map(Vec::len),
        Some(2)
    );
    for xml in [
        r#"<VirtualMachineSpec><Zone by="permalink">uk-lon-01</Zone><Resources><Memory>4</Memory></Resources></VirtualMachineSpec>"#.to_owned(),
        r#"<VirtualMachineSpec><Zone by="permalink">mars-01</Zone><Resources><Package by="permalink">rock-3</Package></Resources></VirtualMachineSpec>"#.to_owned(),
        spec("web-1"),
        spec("bad_host!"),
    ] {
        let r = send(&mut e, json!({"organization": org, "xml": xml}));
        assert_eq!(code(&r), (422, "validation_error".into()), "{xml}");
    }
    let r = send(&mut e, json!({"organization": org}));
    assert_eq!(code(&r), (400, "missing_required_argument".into()));
    let r = send(
        &mut e,
        json!({"organization": {"sub_domain": "nope"}, "xml": spec("x")}),
    );
    assert_eq!(code(&r), (404, "organization_not_found".into()));
}
