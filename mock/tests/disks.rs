//! A VM's disks: listed and read in the document's shapes; a resize and an
//! IO profile change are tasks whose effect shows once they complete.

mod common;

use std::time::Duration;

use common::Server;
use serde_json::{json, Value};

async fn disks(s: &Server, vm: &str) -> Vec<Value> {
    s.get(&format!(
        "/virtual_machines/virtual_machine/disks?virtual_machine[id]={vm}"
    ))
    .await
    .answers("get:virtual_machine_disks")["disks"]
        .as_array()
        .expect("disks")
        .clone()
}

/// The id of VM `vm`'s first disk.
async fn first_disk_id(s: &Server, vm: &str) -> String {
    disks(s, vm).await[0]["disk"]["id"]
        .as_str()
        .expect("id")
        .to_owned()
}

async fn disk(s: &Server, id: &str) -> Value {
    s.get(&format!("/disks/disk?disk[id]={id}"))
        .await
        .answers("get:disk")["disk"]
        .clone()
}

#[tokio::test]
async fn disks_are_listed_and_read() {
    let s = Server::start(&[]);
    let web = s.vm_id("web-1").await;
    let list = disks(&s, &web).await;
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["boot"], true);
    assert_eq!(list[0]["disk"]["name"], "System Disk");
    assert_eq!(list[0]["disk"]["size_in_gb"], 60, "the package's storage");
    let db = s.vm_id("db-1").await;
    let list = disks(&s, &db).await;
    assert_eq!(
        list.iter()
            .map(|d| d["disk"]["name"].as_str().unwrap_or(""))
            .collect::<Vec<_>>(),
        ["System Disk", "Data"]
    );
    let full = disk(&s, list[1]["disk"]["id"].as_str().expect("id")).await;
    assert_eq!(full["io_profile"]["permalink"], "performance");
    assert_eq!(
        full["virtual_machine_disk"]["virtual_machine"]["id"],
        db.as_str()
    );

    let profiles = s
        .get("/organizations/organization/disk_io_profiles?organization[sub_domain]=acme")
        .await
        .answers("get:organization_disk_io_profiles");
    let names: Vec<&str> = profiles["disk_io_profiles"]
        .as_array()
        .expect("list")
        .iter()
        .map(|p| p["permalink"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(names, ["standard", "performance", "nvme-max"]);

    let missing = s.get("/disks/disk?disk[id]=disk_nope").await;
    assert_eq!(
        (missing.status, missing.code()),
        (404, "disk_not_found".to_owned())
    );
}

#[tokio::test]
async fn a_resize_grows_the_disk_once_its_task_completes() {
    let s = Server::start(&["--task-ms", "300"]);
    let vm = s.vm_id("web-1").await;
    let id = first_disk_id(&s, &vm).await;
    let body = json!({"disk": {"id": id}, "size_in_gb": 80});
    let started = s
        .send("PUT", "/disks/disk/resize", &body)
        .await
        .answers("put:disk_resize");
    assert_eq!(
        started["disk"]["size_in_gb"], 60,
        "the size it has until the task is done"
    );
    let task = started["task"]["id"].as_str().expect("task").to_owned();
    let mut seen_resizing = false;
    for _ in 0..100 {
        let d = disk(&s, &id).await;
        if d["state"] == "resizing" {
            seen_resizing = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert!(seen_resizing, "the disk is resizing while the task runs");
    assert_eq!(
        s.wait_task(&task, Duration::from_secs(10)).await["status"],
        "completed"
    );
    let after = disk(&s, &id).await;
    assert_eq!(
        (after["size_in_gb"].as_i64(), after["state"].as_str()),
        (Some(80), Some("built"))
    );

    for (size, why) in [
        (json!(80), "greater than the current size"),
        (json!(40), "greater than the current size"),
        (json!(99_999), "at most"),
    ] {
        let r = s
            .send(
                "PUT",
                "/disks/disk/resize",
                &json!({"disk": {"id": id}, "size_in_gb": size}),
            )
            .await;
        assert_eq!(
            (r.status, r.code()),
            (422, "validation_error".to_owned()),
            "{size}"
        );
        assert!(r.text().contains(why), "{}", r.text());
    }
}

#[tokio::test]
async fn the_io_profile_changes_once_its_task_completes() {
    let s = Server::start(&["--task-ms", "200"]);
    let vm = s.vm_id("web-3").await;
    let id = first_disk_id(&s, &vm).await;
    let started = s
        .send(
            "PUT",
            "/disks/disk/io_profile",
            &json!({"disk": {"id": id}, "io_profile": {"permalink": "nvme-max"}}),
        )
        .await
        .answers("put:disk_io_profile");
    s.wait_task(
        started["task"]["id"].as_str().expect("task"),
        Duration::from_secs(10),
    )
    .await;
    assert_eq!(disk(&s, &id).await["io_profile"]["permalink"], "nvme-max");
    let unknown = s
        .send(
            "PUT",
            "/disks/disk/io_profile",
            &json!({"disk": {"id": id}, "io_profile": {"permalink": "warp"}}),
        )
        .await;
    assert_eq!(
        (unknown.status, unknown.code()),
        (404, "disk_io_profile_not_found".to_owned())
    );
}

#[tokio::test]
async fn a_failing_task_leaves_the_disk_as_it_was() {
    let s = Server::start(&["--task-ms", "200"]);
    let vm = s.vm_id("fail-task-1").await;
    let id = first_disk_id(&s, &vm).await;
    let started = s
        .send(
            "PUT",
            "/disks/disk/resize",
            &json!({"disk": {"id": id}, "size_in_gb": 50}),
        )
        .await
        .answers("put:disk_resize");
    let task = s
        .wait_task(
            started["task"]["id"].as_str().expect("task"),
            Duration::from_secs(10),
        )
        .await;
    assert_eq!(task["status"], "failed");
    let after = disk(&s, &id).await;
    assert_eq!(
        (after["size_in_gb"].as_i64(), after["state"].as_str()),
        (Some(30), Some("built"))
    );
}
