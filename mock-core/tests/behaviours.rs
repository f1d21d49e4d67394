//! The behaviours the document cannot describe, in the engine alone (as the
//! in-process mock runs it): power actions move a VM through their
//! transitional state, `fail-task…` VMs' tasks fail, `protected-…` VMs
//! refuse changes, a busy VM refuses another task, and a deleted VM is in
//! the trash (refused with `object_in_trash`) until it is restored.

use katapult_mock_core::{Answer, Config, Engine};
use serde_json::{json, Value};

const NOW: u64 = 1_800_000_000_000;
const TASK_MS: u64 = 1000;

fn engine() -> Engine {
    Engine::new(Config {
        task_ms: TASK_MS,
        ..Config::default()
    })
}

mod common;
use common::{get, send};

fn vm_id(e: &mut Engine, name: &str) -> String {
    let fqdn = format!("{name}.acme.katapult.cloud");
    let vm = get(
        e,
        "/virtual_machines/virtual_machine",
        &format!("virtual_machine[fqdn]={fqdn}"),
        NOW,
    );
    vm.json_body()["virtual_machine"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{name}: {:?}", vm.json_body()))
        .to_owned()
}

fn state(e: &mut Engine, id: &str, now: u64) -> String {
    let vm = get(
        e,
        "/virtual_machines/virtual_machine",
        &format!("virtual_machine[id]={id}"),
        now,
    );
    vm.json_body()["virtual_machine"]["state"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

fn task(e: &mut Engine, id: &str, now: u64) -> Value {
    get(e, "/tasks/task", &format!("task[id]={id}"), now).json_body()["task"].clone()
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
fn a_power_action_moves_the_vm_through_its_transitional_state() {
    let mut e = engine();
    let id = vm_id(&mut e, "web-3");
    assert_eq!(state(&mut e, &id, NOW), "started");
    let body = json!({"virtual_machine": {"id": id}});
    let r = send(
        &mut e,
        "POST",
        "/virtual_machines/virtual_machine/shutdown",
        body.clone(),
        NOW,
    );
    assert_eq!(r.status, 200, "{:?}", r.json_body());
    let task_id = r.json_body()["task"]["id"]
        .as_str()
        .expect("task")
        .to_owned();
    assert_eq!(state(&mut e, &id, NOW + 100), "started", "pending");
    assert_eq!(state(&mut e, &id, NOW + 500), "shutting_down", "running");
    // Another task while this one runs: refused.
    let again = send(
        &mut e,
        "POST",
        "/virtual_machines/virtual_machine/start",
        body.clone(),
        NOW + 600,
    );
    assert_eq!(code(&again), (406, "task_queueing_error".into()));
    assert_eq!(state(&mut e, &id, NOW + 1000), "stopped", "completed");
    assert_eq!(task(&mut e, &task_id, NOW + 1000)["status"], "completed");
    let r = send(
        &mut e,
        "POST",
        "/virtual_machines/virtual_machine/start",
        body,
        NOW + 2000,
    );
    assert_eq!(r.status, 200);
    assert_eq!(state(&mut e, &id, NOW + 2500), "starting");
    assert_eq!(state(&mut e, &id, NOW + 3000), "started");
}

#[test]
fn a_fail_task_vms_task_fails_and_leaves_it_as_it_was() {
    let mut e = engine();
    let id = vm_id(&mut e, "fail-task-1");
    let before = state(&mut e, &id, NOW);
    let r = send(
        &mut e,
        "POST",
        "/virtual_machines/virtual_machine/stop",
        json!({"virtual_machine": {"id": id}}),
        NOW,
    );
    let task_id = r.json_body()["task"]["id"]
        .as_str()
        .expect("task")
        .to_owned();
    assert_eq!(state(&mut e, &id, NOW + 500), "stopping");
    assert_eq!(task(&mut e, &task_id, NOW + 1000)["status"], "failed");
    assert_eq!(state(&mut e, &id, NOW + 1000), before);
}

#[test]
fn a_protected_vm_refuses_changes_but_is_read() {
    let mut e = engine();
    let id = vm_id(&mut e, "protected-1");
    let body = json!({"virtual_machine": {"id": id}});
    for (method, path) in [
        ("DELETE", "/virtual_machines/virtual_machine"),
        ("POST", "/virtual_machines/virtual_machine/shutdown"),
        ("POST", "/virtual_machines/virtual_machine/start"),
    ] {
        let r = send(&mut e, method, path, body.clone(), NOW);
        assert_eq!(
            code(&r),
            (403, "permission_denied".into()),
            "{method} {path}"
        );
        assert!(r.json_body()["error"]["detail"]["details"].is_string());
    }
    assert_eq!(state(&mut e, &id, NOW), "started");
}

#[test]
fn a_deleted_vm_is_in_the_trash_until_restored_in_its_place() {
    let mut e = engine();
    let id = vm_id(&mut e, "web-2");
    let list = |e: &mut Engine| -> Vec<Value> {
        let l = get(
            e,
            "/organizations/organization/virtual_machines",
            "organization[sub_domain]=acme&per_page=100",
            NOW,
        );
        l.json_body()["virtual_machines"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    };
    let before = list(&mut e);
    let r = send(
        &mut e,
        "DELETE",
        "/virtual_machines/virtual_machine",
        json!({"virtual_machine": {"id": id}}),
        NOW,
    );
    assert_eq!(r.status, 200);
    let trash = r.json_body()["trash_object"].clone();
    assert_eq!(trash["object_id"], json!(id));
    assert_eq!(list(&mut e).len(), before.len() - 1);
    let r = get(
        &mut e,
        "/virtual_machines/virtual_machine",
        &format!("virtual_machine[id]={id}"),
        NOW,
    );
    assert_eq!(code(&r), (406, "object_in_trash".into()));
    assert_eq!(
        r.json_body()["error"]["detail"]["trash_object"]["id"],
        trash["id"]
    );

    let r = send(
        &mut e,
        "POST",
        "/trash_objects/trash_object/restore",
        json!({"trash_object": {"object_id": id}}),
        NOW,
    );
    assert_eq!(r.status, 200, "{:?}", r.json_body());
    assert_eq!(r.json_body()["trash_object"]["id"], trash["id"]);
    assert_eq!(list(&mut e), before, "restored in its place");
    let r = send(
        &mut e,
        "POST",
        "/trash_objects/trash_object/restore",
        json!({"trash_object": {"id": trash["id"]}}),
        NOW,
    );
    assert_eq!(code(&r), (404, "trash_object_not_found".into()));
}

fn first_disk(e: &mut Engine, vm: &str) -> Value {
    let list = get(
        e,
        "/virtual_machines/virtual_machine/disks",
        &format!("virtual_machine[id]={vm}"),
        NOW,
    );
    let id = list.json_body()["disks"][0]["disk"]["id"].clone();
    let id = id.as_str().expect("a disk").to_owned();
    get(e, "/disks/disk", &format!("disk[id]={id}"), NOW).json_body()["disk"].clone()
}

fn disk(e: &mut Engine, id: &Value, now: u64) -> Value {
    let id = id.as_str().unwrap_or_default();
    get(e, "/disks/disk", &format!("disk[id]={id}"), now).json_body()["disk"].clone()
}

#[test]
fn a_resize_and_an_io_profile_change_show_once_their_tasks_complete() {
    let mut e = engine();
    let vm = vm_id(&mut e, "web-1");
    let d = first_disk(&mut e, &vm);
    let size = d["size_in_gb"].as_i64().expect("size");
    let r = send(
        &mut e,
        "PUT",
        "/disks/disk/resize",
        json!({"disk": {"id": d["id"]}, "size_in_gb": size + 20}),
        NOW,
    );
    assert_eq!(r.status, 200, "{:?}", r.json_body());
    assert_eq!(r.json_body()["disk"]["size_in_gb"], size, "not yet");
    assert_eq!(disk(&mut e, &d["id"], NOW + 500)["state"], "resizing");
    let after = disk(&mut e, &d["id"], NOW + 1000);
    assert_eq!(
        (after["size_in_gb"].as_i64(), after["state"].clone()),
        (Some(size + 20), d["state"].clone())
    );
    let smaller = send(
        &mut e,
        "PUT",
        "/disks/disk/resize",
        json!({"disk": {"id": d["id"]}, "size_in_gb": size}),
        NOW + 2000,
    );
    assert_eq!(code(&smaller), (422, "validation_error".into()));

    let r = send(
        &mut e,
        "PUT",
        "/disks/disk/io_profile",
        json!({"disk": {"id": d["id"]}, "io_profile": {"permalink": "nvme-max"}}),
        NOW + 3000,
    );
    assert_eq!(r.status, 200, "{:?}", r.json_body());
    let t = r.json_body()["task"]["id"]
        .as_str()
        .expect("task")
        .to_owned();
    assert_eq!(task(&mut e, &t, NOW + 4000)["status"], "completed");
    assert_eq!(
        disk(&mut e, &d["id"], NOW + 4000)["io_profile"]["permalink"],
        "nvme-max",
        "{:?}",
        r.json_body()
    );
}

#[test]
fn a_failing_resize_leaves_the_disk_as_it_was() {
    let mut e = engine();
    let vm = vm_id(&mut e, "fail-task-1");
    let d = first_disk(&mut e, &vm);
    let size = d["size_in_gb"].as_i64().expect("size");
    let r = send(
        &mut e,
        "PUT",
        "/disks/disk/resize",
        json!({"disk": {"id": d["id"]}, "size_in_gb": size + 1}),
        NOW,
    );
    let t = r.json_body()["task"]["id"]
        .as_str()
        .expect("task")
        .to_owned();
    assert_eq!(task(&mut e, &t, NOW + 1000)["status"], "failed");
    assert_eq!(
        disk(&mut e, &d["id"], NOW + 1000)["size_in_gb"].as_i64(),
        Some(size)
    );
}

#[test]
fn package_and_flexible_resource_changes_show_once_their_tasks_complete() {
    let mut e = engine();
    let vm = vm_id(&mut e, "web-3");
    let full = |e: &mut Engine, now| {
        get(
            e,
            "/virtual_machines/virtual_machine",
            &format!("virtual_machine[id]={vm}"),
            now,
        )
        .json_body()["virtual_machine"]
            .clone()
    };
    let r = send(
        &mut e,
        "PUT",
        "/virtual_machines/virtual_machine/package",
        json!({"virtual_machine": {"id": vm}, "virtual_machine_package": {"permalink": "rock-12"}}),
        NOW,
    );
    assert_eq!(r.status, 200, "{:?}", r.json_body());
    assert_ne!(full(&mut e, NOW)["package"]["permalink"], "rock-12");
    let after = full(&mut e, NOW + 1000);
    assert_eq!(after["package"]["permalink"], "rock-12");
    assert_eq!(after["cpu_cores"], after["package"]["cpu_cores"]);

    let resources =
        json!({"virtual_machine": {"id": vm}, "resources": {"cpu_cores": 3, "memory_in_gb": 7}});
    let r = send(
        &mut e,
        "PUT",
        "/virtual_machines/virtual_machine/flexible_resources",
        resources,
        NOW + 2000,
    );
    assert_eq!(r.status, 200, "{:?}", r.json_body());
    let after = full(&mut e, NOW + 3000);
    assert_eq!(
        (
            after["cpu_cores"].clone(),
            after["memory_in_gb"].clone(),
            after["package"].clone()
        ),
        (json!(3), json!(7), Value::Null)
    );
    let bad = json!({"virtual_machine": {"id": vm}, "resources": {"cpu_cores": 0}});
    let r = send(
        &mut e,
        "PUT",
        "/virtual_machines/virtual_machine/flexible_resources",
        bad,
        NOW + 4000,
    );
    assert_eq!(code(&r), (422, "validation_error".into()));
}

#[test]
fn a_console_session_needs_a_started_vm_and_points_at_the_servers_page() {
    let mut e = engine();
    e.set_origin(Some("http://127.0.0.1:9".into()));
    let vm = vm_id(&mut e, "web-3");
    let body = json!({"virtual_machine": {"id": vm}});
    let r = send(
        &mut e,
        "POST",
        "/virtual_machines/virtual_machine/console_sessions",
        body.clone(),
        NOW,
    );
    assert_eq!(r.status, 201, "{:?}", r.json_body());
    let session = r.json_body()["console_session"].clone();
    let id = session["id"].as_str().expect("id").to_owned();
    assert_eq!(
        session["url"],
        json!(format!("http://127.0.0.1:9/_mock/console/{id}"))
    );
    assert!(e.object("console_session", "id", &id, NOW).is_some());
    send(
        &mut e,
        "POST",
        "/virtual_machines/virtual_machine/stop",
        body.clone(),
        NOW,
    );
    let r = send(
        &mut e,
        "POST",
        "/virtual_machines/virtual_machine/console_sessions",
        body,
        NOW + 1000,
    );
    assert_eq!(code(&r), (406, "virtual_machine_must_be_started".into()));
    assert_eq!(r.json_body()["error"]["detail"]["current_state"], "stopped");
}

#[test]
fn backup_policies_run_next_after_now_and_are_checked() {
    let mut e = engine();
    let vm = vm_id(&mut e, "web-1");
    let path = "/virtual_machines/virtual_machine/disk_backup_policies";
    let bad = json!({"virtual_machine": {"id": vm}, "properties": {"retention": 0}});
    assert_eq!(
        code(&send(&mut e, "POST", path, bad, NOW)),
        (422, "validation_error".into())
    );
    let body = json!({"virtual_machine": {"id": vm}, "properties": {"schedule": {"interval": "hourly", "minute": 30}}});
    let r = send(&mut e, "POST", path, body, NOW);
    assert_eq!(r.status, 200, "{:?}", r.json_body());
    let policy = r.json_body()["disk_backup_policy"].clone();
    assert_eq!(policy["retention"], 7, "the default");
    let next = policy["schedule"]["next_invocation_at"]
        .as_i64()
        .expect("next run");
    let now = (NOW / 1000) as i64;
    assert!(next > now && next <= now + 3600, "{next} vs {now}");
}

#[test]
fn an_unallocated_address_leaves_its_vm() {
    let mut e = engine();
    let vm = vm_id(&mut e, "web-1");
    let full = get(
        &mut e,
        "/virtual_machines/virtual_machine",
        &format!("virtual_machine[id]={vm}"),
        NOW,
    )
    .json_body();
    let ip = full["virtual_machine"]["ip_addresses"][0]["id"]
        .as_str()
        .expect("an address")
        .to_owned();
    let r = send(
        &mut e,
        "POST",
        "/ip_addresses/ip_address/unallocate",
        json!({"ip_address": {"id": ip}}),
        NOW,
    );
    assert_eq!(r.status, 200, "{:?}", r.json_body());
    let again = send(
        &mut e,
        "POST",
        "/ip_addresses/ip_address/unallocate",
        json!({"ip_address": {"id": ip}}),
        NOW,
    );
    assert_eq!(code(&again), (422, "no_allocation".into()));
    let full = get(
        &mut e,
        "/virtual_machines/virtual_machine",
        &format!("virtual_machine[id]={vm}"),
        NOW,
    )
    .json_body();
    assert!(!full.to_string().contains(&ip), "{full}");
    let got = get(
        &mut e,
        "/ip_addresses/ip_address",
        &format!("ip_address[id]={ip}"),
        NOW,
    )
    .json_body();
    assert_eq!(got["ip_address"]["allocation_id"], Value::Null);
}
