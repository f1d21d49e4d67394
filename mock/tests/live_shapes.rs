//! Every answer the mock gives has the shape the live API sends: the
//! document's fields and nothing else (checked against the generated
//! tables, strictly), and the VM list items exactly the short form of
//! API.md's "Decoding".

mod common;

use std::time::Duration;

use common::Server;
use serde_json::{json, Value};

const LIST: &str = "/organizations/organization/virtual_machines";

#[tokio::test]
async fn every_answer_has_the_live_shape() {
    let s = Server::start(&["--task-ms", "200"]);

    let orgs = s.get("/organizations").await.answers("get:organizations");
    assert!(!orgs["organizations"].as_array().expect("array").is_empty());

    let page = s
        .get(&format!(
            "{LIST}?organization[sub_domain]=acme&per_page=200"
        ))
        .await
        .answers("get:organization_virtual_machines");
    let live = [
        "id",
        "name",
        "hostname",
        "fqdn",
        "created_at",
        "zone",
        "package",
        "gpu_type",
        "ip_addresses",
    ];
    for vm in page["virtual_machines"].as_array().expect("array") {
        let keys: Vec<&str> = vm
            .as_object()
            .expect("object")
            .keys()
            .map(String::as_str)
            .collect();
        assert!(keys.iter().all(|k| live.contains(k)), "{keys:?}");
        assert!(vm["zone"]["data_center"].get("country").is_none(), "{vm}");
        if let Some(package) = vm["package"].as_object() {
            assert_eq!(package.keys().collect::<Vec<_>>(), ["name"]);
        }
        for ip in vm["ip_addresses"].as_array().expect("array") {
            assert_eq!(
                ip.as_object().expect("object").keys().collect::<Vec<_>>(),
                ["address"]
            );
        }
    }

    // Every VM in full, the GPU one included.
    for vm in page["virtual_machines"].as_array().expect("array") {
        let id = vm["id"].as_str().expect("id");
        s.get(&format!(
            "/virtual_machines/virtual_machine?virtual_machine[id]={id}"
        ))
        .await
        .answers("get:virtual_machine");
    }

    let id = s.vm_id("web-3").await;
    let vm = json!({"virtual_machine": {"id": id}});
    for (action, operation) in [
        ("stop", "post:virtual_machine_stop"),
        ("start", "post:virtual_machine_start"),
        ("reset", "post:virtual_machine_reset"),
        ("shutdown", "post:virtual_machine_shutdown"),
    ] {
        let task = s
            .send(
                "POST",
                &format!("/virtual_machines/virtual_machine/{action}"),
                &vm,
            )
            .await
            .answers(operation);
        let task_id = task["task"]["id"].as_str().expect("task id").to_owned();
        s.get(&format!("/tasks/task?task[id]={task_id}"))
            .await
            .answers("get:task");
        s.wait_task(&task_id, Duration::from_secs(10)).await;
        s.get(&format!("/tasks/task?task[id]={task_id}"))
            .await
            .answers("get:task");
    }

    let xml = r#"<VirtualMachineSpec><DataCenter by="permalink">uk-lon</DataCenter><Resources><Package by="permalink">rock-3</Package></Resources></VirtualMachineSpec>"#;
    let build = s
        .send(
            "POST",
            "/organizations/organization/virtual_machines/build_from_spec",
            &json!({"organization": {"sub_domain": "acme"}, "xml": xml}),
        )
        .await
        .answers("post:organization_virtual_machines_build_from_spec");
    let build_id = build["virtual_machine_build"]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let get_build = format!(
        "/virtual_machines/builds/virtual_machine_build?virtual_machine_build[id]={build_id}"
    );
    let mut state = String::new();
    for _ in 0..400 {
        let b = s
            .get(&get_build)
            .await
            .answers("get:virtual_machines_builds_virtual_machine_build");
        state = b["virtual_machine_build"]["state"]
            .as_str()
            .unwrap_or("")
            .to_owned();
        if state == "complete" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(state, "complete");

    let deleted = s
        .send("DELETE", "/virtual_machines/virtual_machine", &vm)
        .await
        .answers("delete:virtual_machine");
    let trash: Value = deleted["trash_object"]["id"].clone();
    s.send(
        "POST",
        "/trash_objects/trash_object/restore",
        &json!({"trash_object": {"id": trash}}),
    )
    .await
    .answers("post:trash_object_restore");
}

#[tokio::test]
async fn large_set_lists_have_the_live_shape_too() {
    let s = Server::start(&["--large-sets", "--seed-vms", "1500"]);
    let page = s
        .get(&format!(
            "{LIST}?organization[sub_domain]=acme&per_page=200"
        ))
        .await
        .answers("get:organization_virtual_machines");
    assert_eq!(page["pagination"]["large_set"], true);
}
