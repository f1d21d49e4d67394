//! A VM's settings: console sessions, its package and flexible resources
//! (tasks whose effect shows once they complete), PATCH of its name,
//! hostname, description, tags and group, and the groups to pick from.

mod common;

use std::time::Duration;

use common::Server;
use serde_json::{json, Value};

const VM: &str = "/virtual_machines/virtual_machine";

async fn vm(s: &Server, id: &str) -> Value {
    s.get(&format!("{VM}?virtual_machine[id]={id}"))
        .await
        .answers("get:virtual_machine")["virtual_machine"]
        .clone()
}

#[tokio::test]
async fn a_console_session_needs_a_started_vm() {
    let s = Server::start(&[]);
    let started = s.vm_id("web-1").await;
    let session = s
        .send(
            "POST",
            &format!("{VM}/console_sessions"),
            &json!({"virtual_machine": {"id": started}}),
        )
        .await
        .answers("post:virtual_machine_console_sessions");
    let c = &session["console_session"];
    let id = c["id"].as_str().expect("id");
    // The mock's own console page, on the origin the request came to.
    let url = c["url"].as_str().expect("url");
    assert_eq!(url, format!("http://{}/_mock/console/{id}", s.addr));
    assert!(c["expires_at"].as_i64().is_some());
    assert_eq!(c["virtual_machine"]["id"], started.as_str());
    let page = s
        .raw("GET", &format!("/_mock/console/{id}"), &[], None)
        .await
        .expect("console page");
    assert_eq!(page.status, 200);
    assert_eq!(
        page.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert!(
        page.text().contains("<h1>Console of web-1</h1>"),
        "{}",
        page.text()
    );
    assert!(page.text().contains("web-1.acme.katapult.cloud"));
    let unknown = s
        .raw("GET", "/_mock/console/cons_nothing", &[], None)
        .await
        .expect("unknown console page");
    assert_eq!(unknown.status, 404);
    assert!(unknown.text().contains("There is no console session"));
    // A reset forgets the sessions.
    s.control("POST", "/reset", None).await;
    let forgotten = s
        .raw("GET", &format!("/_mock/console/{id}"), &[], None)
        .await
        .expect("console page after reset");
    assert_eq!(forgotten.status, 404);

    let stopped = s.vm_id("web-6").await;
    let refused = s
        .send(
            "POST",
            &format!("{VM}/console_sessions"),
            &json!({"virtual_machine": {"id": stopped}}),
        )
        .await;
    assert_eq!(
        (refused.status, refused.code()),
        (406, "virtual_machine_must_be_started".to_owned())
    );
    assert_eq!(
        refused.json()["error"]["detail"]["current_state"],
        "stopped"
    );
    assert!(
        refused.json()["error"]["description"]
            .as_str()
            .is_some_and(|d| d.contains("started")),
        "the document's description"
    );
}

#[tokio::test]
async fn a_package_change_is_a_task_and_shows_when_it_completes() {
    let s = Server::start(&["--task-ms", "200"]);
    let id = s.vm_id("web-5").await;
    assert_eq!(vm(&s, &id).await["package"]["permalink"], "rock-3");
    let started = s
        .send(
            "PUT",
            &format!("{VM}/package"),
            &json!({"virtual_machine": {"id": id}, "virtual_machine_package": {"permalink": "rock-12"}}),
        )
        .await
        .answers("put:virtual_machine_package");
    let task = started["task"]["id"].as_str().expect("task id").to_owned();
    // Another change meanwhile is refused.
    let busy = s
        .send(
            "PUT",
            &format!("{VM}/package"),
            &json!({"virtual_machine": {"id": id}, "virtual_machine_package": {"permalink": "rock-6"}}),
        )
        .await;
    assert_eq!(busy.code(), "task_queueing_error");
    assert_eq!(
        s.wait_task(&task, Duration::from_secs(10)).await["status"],
        "completed"
    );
    let after = vm(&s, &id).await;
    assert_eq!(after["package"]["permalink"], "rock-12");
    assert_eq!(
        (after["cpu_cores"].as_i64(), after["memory_in_gb"].as_i64()),
        (Some(4), Some(12))
    );

    let unknown = s
        .send(
            "PUT",
            &format!("{VM}/package"),
            &json!({"virtual_machine": {"id": id}, "virtual_machine_package": {"permalink": "rock-999"}}),
        )
        .await;
    assert_eq!(
        (unknown.status, unknown.code()),
        (404, "package_not_found".to_owned())
    );
    let protected = s.vm_id("protected-1").await;
    let denied = s
        .send(
            "PUT",
            &format!("{VM}/package"),
            &json!({"virtual_machine": {"id": protected}, "virtual_machine_package": {"permalink": "rock-6"}}),
        )
        .await;
    assert_eq!(denied.code(), "permission_denied");
}

#[tokio::test]
async fn flexible_resources_replace_the_package() {
    let s = Server::start(&["--task-ms", "200"]);
    let id = s.vm_id("db-4").await;
    let started = s
        .send(
            "PUT",
            &format!("{VM}/flexible_resources"),
            &json!({"virtual_machine": {"id": id}, "resources": {"cpu_cores": 12, "memory_in_gb": 48, "use_dedicated_cpus": true}}),
        )
        .await
        .answers("put:virtual_machine_flexible_resources");
    let task = started["task"]["id"].as_str().expect("task").to_owned();
    s.wait_task(&task, Duration::from_secs(10)).await;
    let after = vm(&s, &id).await;
    assert_eq!(
        (after["cpu_cores"].as_i64(), after["memory_in_gb"].as_i64()),
        (Some(12), Some(48))
    );
    assert_eq!(after["use_dedicated_cpus"], true);
    assert!(after["package"].is_null());

    let bad = s
        .send(
            "PUT",
            &format!("{VM}/flexible_resources"),
            &json!({"virtual_machine": {"id": id}, "resources": {"cpu_cores": 0, "memory_in_gb": 4}}),
        )
        .await;
    assert_eq!(
        (bad.status, bad.code()),
        (422, "validation_error".to_owned())
    );

    let globex = s
        .get("/organizations/organization/virtual_machines?organization[sub_domain]=globex")
        .await
        .json()["virtual_machines"][0]["id"]
        .as_str()
        .expect("a globex VM")
        .to_owned();
    let refused = s
        .send(
            "PUT",
            &format!("{VM}/flexible_resources"),
            &json!({"virtual_machine": {"id": globex}, "resources": {"cpu_cores": 2, "memory_in_gb": 4}}),
        )
        .await;
    assert_eq!(
        (refused.status, refused.code()),
        (
            403,
            "flexible_resources_unavailable_to_organization".to_owned()
        )
    );
}

#[tokio::test]
async fn patch_changes_what_it_is_given_and_nothing_else() {
    let s = Server::start(&[]);
    let id = s.vm_id("web-2").await;
    let groups = s
        .get("/organizations/organization/virtual_machine_groups?organization[sub_domain]=acme")
        .await
        .answers("get:organization_virtual_machine_groups");
    let db_group = groups["virtual_machine_groups"][1]["id"]
        .as_str()
        .expect("group")
        .to_owned();
    let patched = s
        .send(
            "PATCH",
            VM,
            &json!({"virtual_machine": {"id": id}, "properties": {
                "name": "Web two <b>",
                "description": "Second web server",
                "tag_names": ["frontend", "brand-new", "frontend"],
                "group": {"id": db_group},
            }}),
        )
        .await
        .answers("patch:virtual_machine");
    let v = &patched["virtual_machine"];
    assert_eq!(v["name"], "Web two <b>");
    assert_eq!(v["description"], "Second web server");
    assert_eq!(v["tag_names"], json!(["frontend", "brand-new"]));
    assert_eq!(v["group"]["id"], db_group.as_str());
    assert_eq!(v["hostname"], "web-2", "not given, not changed");
    assert_eq!(vm(&s, &id).await["name"], "Web two <b>", "it stays");

    // A new hostname moves the FQDN; a taken or malformed one is refused.
    let renamed = s
        .send(
            "PATCH",
            VM,
            &json!({"virtual_machine": {"id": id}, "properties": {"hostname": "web-22"}}),
        )
        .await
        .answers("patch:virtual_machine");
    assert_eq!(
        renamed["virtual_machine"]["fqdn"],
        "web-22.acme.katapult.cloud"
    );
    assert_eq!(s.vm_id("web-22").await, id);
    for (hostname, message) in [("web-1", "already been taken"), ("bad host!", "invalid")] {
        let r = s
            .send(
                "PATCH",
                VM,
                &json!({"virtual_machine": {"id": id}, "properties": {"hostname": hostname}}),
            )
            .await;
        assert_eq!(
            (r.status, r.code()),
            (422, "validation_error".to_owned()),
            "{hostname}"
        );
        assert!(r.text().contains(message), "{}", r.text());
    }
    let blank = s
        .send(
            "PATCH",
            VM,
            &json!({"virtual_machine": {"id": id}, "properties": {"name": "  "}}),
        )
        .await;
    assert_eq!(blank.code(), "validation_error");
    let no_group = s
        .send(
            "PATCH",
            VM,
            &json!({"virtual_machine": {"id": id}, "properties": {"group": null}}),
        )
        .await
        .answers("patch:virtual_machine");
    assert!(no_group["virtual_machine"]["group"].is_null());
}
