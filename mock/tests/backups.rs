//! A VM's disk backup policies: listed, created, changed and deleted, in
//! the document's shapes.

mod common;

use common::Server;
use serde_json::{json, Value};

async fn policies(s: &Server, vm: &str) -> Vec<Value> {
    s.get(&format!(
        "/virtual_machines/virtual_machine/disk_backup_policies?virtual_machine[id]={vm}"
    ))
    .await
    .answers("get:virtual_machine_disk_backup_policies")["disk_backup_policies"]
        .as_array()
        .expect("list")
        .clone()
}

#[tokio::test]
async fn backup_policies_are_created_changed_and_deleted() {
    let s = Server::start(&[]);
    let db = s.vm_id("db-1").await;
    let seeded = policies(&s, &db).await;
    assert_eq!(seeded.len(), 1);
    assert_eq!(
        (
            seeded[0]["retention"].as_i64(),
            seeded[0]["schedule"]["interval"].as_str()
        ),
        (Some(7), Some("daily"))
    );

    let web = s.vm_id("web-1").await;
    assert!(policies(&s, &web).await.is_empty());
    let created = s
        .send(
            "POST",
            "/virtual_machines/virtual_machine/disk_backup_policies",
            &json!({"virtual_machine": {"id": web}, "properties": {"retention": 14, "schedule": {"interval": "weekly", "frequency": 1, "time": 2, "minute": 30}}}),
        )
        .await
        .answers("post:virtual_machine_disk_backup_policies");
    let p = &created["disk_backup_policy"];
    assert_eq!(
        (
            p["retention"].as_i64(),
            p["schedule"]["interval"].as_str(),
            p["schedule"]["minute"].as_i64()
        ),
        (Some(14), Some("weekly"), Some(30))
    );
    let id = p["id"].as_str().expect("id").to_owned();
    assert_eq!(policies(&s, &web).await.len(), 1);

    let changed = s
        .send(
            "PATCH",
            "/disk_backup_policies/disk_backup_policy",
            &json!({"disk_backup_policy": {"id": id}, "properties": {"retention": 3}}),
        )
        .await
        .answers("patch:disk_backup_policy");
    assert_eq!(changed["disk_backup_policy"]["retention"], 3);
    assert_eq!(
        changed["disk_backup_policy"]["schedule"]["interval"], "weekly",
        "not given, kept"
    );
    for properties in [
        json!({"retention": 0}),
        json!({"schedule": {"interval": "yearly"}}),
        json!({"schedule": {"time": 24}}),
    ] {
        let r = s
            .send(
                "PATCH",
                "/disk_backup_policies/disk_backup_policy",
                &json!({"disk_backup_policy": {"id": id}, "properties": properties}),
            )
            .await;
        assert_eq!(
            (r.status, r.code()),
            (422, "validation_error".to_owned()),
            "{properties}"
        );
    }

    s.send(
        "DELETE",
        "/disk_backup_policies/disk_backup_policy",
        &json!({"disk_backup_policy": {"id": id}}),
    )
    .await
    .answers("delete:disk_backup_policy");
    assert!(policies(&s, &web).await.is_empty());
    let gone = s
        .send(
            "DELETE",
            "/disk_backup_policies/disk_backup_policy",
            &json!({"disk_backup_policy": {"id": id}}),
        )
        .await;
    assert_eq!(
        (gone.status, gone.code()),
        (404, "disk_backup_policy_not_found".to_owned())
    );
}

#[tokio::test]
async fn a_policy_runs_next_after_now() {
    let s = Server::start(&[]);
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock")
        .as_secs() as i64;
    let db = s.vm_id("db-1").await;
    let seeded = policies(&s, &db).await;
    let next = seeded[0]["schedule"]["next_invocation_at"]
        .as_i64()
        .expect("next_invocation_at");
    assert!(
        next > now && next <= now + 86_400,
        "a daily policy runs within a day: {next} vs now {now}"
    );

    let created = s
        .send(
            "POST",
            "/virtual_machines/virtual_machine/disk_backup_policies",
            &json!({"virtual_machine": {"id": db}, "properties": {"schedule": {"interval": "hourly", "minute": 15}}}),
        )
        .await
        .answers("post:virtual_machine_disk_backup_policies");
    let next = created["disk_backup_policy"]["schedule"]["next_invocation_at"]
        .as_i64()
        .expect("next_invocation_at");
    assert!(next > now && next <= now + 3600 + 5, "{next} vs now {now}");
    assert_eq!(next % 3600, 15 * 60, "at a quarter past");
}
