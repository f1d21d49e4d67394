//! The Katapult API surface, over real loopback HTTP against the binary.

mod common;

use std::time::{Duration, Instant};

use common::{Server, TOKEN};
use serde_json::{json, Value};

const LIST: &str = "/organizations/organization/virtual_machines";

fn names(list: &Value) -> Vec<String> {
    list["virtual_machines"]
        .as_array()
        .expect("virtual_machines array")
        .iter()
        .map(|v| v["name"].as_str().expect("name").to_string())
        .collect()
}

/// The object's keys, sorted (key order on the wire is not significant).
fn keys(v: &Value) -> Vec<String> {
    let mut k: Vec<String> = v.as_object().expect("object").keys().cloned().collect();
    k.sort();
    k
}

/// Expected keys, sorted.
fn set(expected: &[&str]) -> Vec<String> {
    let mut k: Vec<String> = expected.iter().map(|s| s.to_string()).collect();
    k.sort();
    k
}

#[tokio::test]
async fn auth_missing_invalid_and_readonly() {
    let s = Server::start(&[]);
    let r = s.get_as("/organizations", None).await;
    assert_eq!(r.status, 400);
    assert_eq!(r.code(), "missing_api_token");
    assert_eq!(r.header("x-api-schema"), Some("json-error"));
    assert_eq!(r.header("content-type"), Some("application/json"));
    assert!(r.json()["error"]["description"]
        .as_str()
        .expect("description")
        .contains("prefixed with Bearer"));

    let r = s
        .raw(
            "GET",
            "/core/v1/organizations",
            &[("Authorization", "Basic abc")],
            None,
        )
        .await
        .expect("request");
    assert_eq!((r.status, r.code()), (400, "missing_api_token".to_string()));

    let r = s.get_as("/organizations", Some("wrong-token")).await;
    assert_eq!(r.status, 403);
    assert_eq!(r.code(), "invalid_api_token");
    assert_eq!(r.json()["error"]["detail"], json!({"details": null}));
    assert!(!r.text().contains("wrong-token"), "token echoed");

    // Read-only token: GETs work, writes are scope_not_granted.
    let r = s.get_as("/organizations", Some("readonly-token")).await;
    assert_eq!(r.status, 200);
    let r = s
        .get_as(
            &format!("{LIST}?organization[sub_domain]=acme"),
            Some("readonly-token"),
        )
        .await;
    assert_eq!(r.status, 200);
    let web1 = s.vm_id("web-1").await;
    let body = json!({"virtual_machine": {"id": web1}});
    let r = s
        .send_as(
            "POST",
            "/virtual_machines/virtual_machine/shutdown",
            &body,
            Some("readonly-token"),
        )
        .await;
    assert_eq!(r.status, 403);
    assert_eq!(r.code(), "scope_not_granted");
    assert_eq!(
        r.json()["error"]["detail"],
        json!({"scopes": ["virtual_machines", "virtual_machines:power_actions"]})
    );
    let r = s
        .send_as(
            "DELETE",
            "/virtual_machines/virtual_machine",
            &body,
            Some("readonly-token"),
        )
        .await;
    assert_eq!((r.status, r.code()), (403, "scope_not_granted".to_string()));
    assert_eq!(
        r.json()["error"]["detail"]["scopes"],
        json!(["virtual_machines"])
    );
    let r = s
        .send_as(
            "POST",
            "/organizations/organization/virtual_machines/build_from_spec",
            &json!({"organization": {"sub_domain": "acme"}, "xml": "<VirtualMachineSpec/>"}),
            Some("readonly-token"),
        )
        .await;
    assert_eq!((r.status, r.code()), (403, "scope_not_granted".to_string()));
    // Nothing changed.
    assert_eq!(s.vm_state(&web1).await, "started");
}

#[tokio::test]
async fn organizations_are_listed() {
    let s = Server::start(&[]);
    let r = s.get("/organizations").await;
    assert_eq!(r.status, 200);
    let orgs = r.json()["organizations"].as_array().expect("array").clone();
    let subs: Vec<&str> = orgs
        .iter()
        .filter_map(|o| o["sub_domain"].as_str())
        .collect();
    assert_eq!(subs, ["acme", "globex", "initech", "hooli"]);
    let acme = &orgs[0];
    assert_eq!(
        keys(acme),
        set(&[
            "id",
            "name",
            "sub_domain",
            "infrastructure_domain",
            "created_at",
            "activated_at",
            "suspended",
            "managed"
        ])
    );
    assert_eq!(acme["name"], "Acme Corp");
    assert_eq!(acme["infrastructure_domain"], "acme.katapult.cloud");
    let id = acme["id"].as_str().expect("id");
    assert!(id.starts_with("org_") && id.len() == 20, "{id}");
    assert_eq!(orgs[2]["suspended"], true);
    assert_eq!(orgs[3]["activated_at"], Value::Null);
}

#[tokio::test]
async fn list_paging() {
    let s = Server::start(&[]);
    let r = s
        .get(&format!("{LIST}?organization[sub_domain]=acme"))
        .await;
    assert_eq!(r.status, 200);
    let body = r.json();
    assert_eq!(
        body["pagination"],
        json!({"current_page": 1, "total_pages": 2, "total": 41, "per_page": 30, "large_set": false})
    );
    assert_eq!(
        keys(&body["pagination"]),
        set(&[
            "current_page",
            "total_pages",
            "total",
            "per_page",
            "large_set"
        ])
    );
    let first = names(&body);
    assert_eq!(first.len(), 30);
    assert_eq!(first[0], "web-1");
    // The live API's list item: few fields, no state, no hypervisor, no
    // country in the data center (API.md, "Decoding").
    let vm = &body["virtual_machines"][0];
    assert_eq!(
        keys(vm),
        set(&[
            "id",
            "name",
            "hostname",
            "fqdn",
            "created_at",
            "zone",
            "package",
            "gpu_type",
            "ip_addresses",
        ])
    );
    assert_eq!(
        keys(&vm["zone"]),
        set(&["id", "name", "permalink", "data_center"])
    );
    assert_eq!(
        keys(&vm["zone"]["data_center"]),
        set(&["id", "name", "permalink"])
    );
    assert_eq!(keys(&vm["package"]), set(&["name"]));
    assert_eq!(keys(&vm["ip_addresses"][0]), set(&["address"]));
    for vm in body["virtual_machines"].as_array().expect("array") {
        assert!(
            vm.get("state").is_none() && vm.get("hypervisor").is_none(),
            "{vm}"
        );
    }
    r.answers("get:organization_virtual_machines");

    let r = s
        .get(&format!("{LIST}?organization[sub_domain]=acme&page=2"))
        .await;
    let second = names(&r.json());
    assert_eq!(second.len(), 11);
    assert_eq!(r.json()["pagination"]["current_page"], 2);

    // Past the end: empty list, correct totals.
    let r = s
        .get(&format!("{LIST}?organization[sub_domain]=acme&page=9"))
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(
        r.json()["pagination"],
        json!({"current_page": 9, "total_pages": 2, "total": 41, "per_page": 30, "large_set": false})
    );
    assert!(names(&r.json()).is_empty());

    // Stable creation order: pages concatenated = one big page.
    let all = s
        .get(&format!(
            "{LIST}?organization[sub_domain]=acme&per_page=200"
        ))
        .await
        .json();
    let mut joined = first.clone();
    joined.extend(second);
    assert_eq!(names(&all), joined);
    let created: Vec<i64> = all["virtual_machines"]
        .as_array()
        .expect("array")
        .iter()
        .map(|v| v["created_at"].as_i64().expect("created_at"))
        .collect();
    assert!(created.windows(2).all(|w| w[0] < w[1]), "oldest first");
    let r = s
        .get(&format!(
            "{LIST}?organization[sub_domain]=acme&per_page=7&page=6"
        ))
        .await
        .json();
    assert_eq!(r["pagination"]["total_pages"], 6);
    assert_eq!(names(&r).len(), 6);

    // Bad page / per_page.
    for (q, issue) in [
        ("per_page=0", "validation_errors"),
        ("per_page=201", "validation_errors"),
        ("per_page=abc", "parse_error"),
        ("page=0", "validation_errors"),
        ("page=-1", "validation_errors"),
        ("page=1.5", "parse_error"),
    ] {
        let r = s
            .get(&format!("{LIST}?organization[sub_domain]=acme&{q}"))
            .await;
        assert_eq!(r.status, 400, "{q}");
        assert_eq!(r.code(), "invalid_argument", "{q}");
        let err = r.json()["error"].clone();
        assert_eq!(err["detail"]["issue"], issue, "{q}");
        let name = q.split('=').next().expect("name");
        assert_eq!(
            err["description"],
            format!("The '{name}' argument is invalid")
        );
        assert_eq!(err["detail"]["path"], json!([name]));
    }
}

#[tokio::test]
async fn encoded_and_raw_brackets_are_identical() {
    let s = Server::start(&[]);
    let raw = s
        .get(&format!("{LIST}?organization[sub_domain]=acme&annotations[][key]=team&annotations[][value]=web&per_page=5"))
        .await;
    let enc = s
        .get(&format!(
            "{LIST}?organization%5Bsub_domain%5D=acme&annotations%5B%5D%5Bkey%5D=team&annotations%5B%5D%5Bvalue%5D=web&per_page=5"
        ))
        .await;
    assert_eq!(raw.status, 200);
    assert_eq!(raw.body, enc.body);
    assert_eq!(raw.json()["pagination"]["total"], 16);

    let web1 = s.vm_id("web-1").await;
    let a = s
        .get(&format!(
            "/virtual_machines/virtual_machine?virtual_machine[id]={web1}"
        ))
        .await;
    let b = s
        .get(&format!(
            "/virtual_machines/virtual_machine?virtual_machine%5Bid%5D={web1}"
        ))
        .await;
    assert_eq!(a.status, 200);
    assert_eq!(a.body, b.body);
}

#[tokio::test]
async fn annotations_filter() {
    let s = Server::start(&[]);
    let r = s
        .get(&format!(
            "{LIST}?organization[sub_domain]=acme&annotations[][key]=team&annotations[][value]=db"
        ))
        .await;
    assert_eq!(
        names(&r.json()),
        ["db-1", "db-2", "db-3", "db-4", "staging-db-1"]
    );
    let r = s
        .get(&format!(
            "{LIST}?organization[sub_domain]=acme&annotations[][key]=team&annotations[][value]=db&annotations[][key]=env&annotations[][value]=staging"
        ))
        .await;
    assert_eq!(names(&r.json()), ["staging-db-1"]);
    let r = s
        .get(&format!("{LIST}?organization[sub_domain]=acme&annotations[][key]=team&annotations[][value]=nobody"))
        .await;
    assert_eq!(
        r.json()["pagination"],
        json!({"current_page": 1, "total_pages": 0, "total": 0, "per_page": 30, "large_set": false})
    );
    let r = s
        .get(&format!(
            "{LIST}?organization[sub_domain]=acme&annotations[][key]=team&annotations[][key]=env&annotations[][value]=db"
        ))
        .await;
    assert_eq!(r.status, 400);
    assert_eq!(r.code(), "invalid_argument");
    assert_eq!(r.json()["error"]["detail"]["path"], json!(["annotations"]));
}

#[tokio::test]
async fn organization_errors() {
    let s = Server::start(&[]);
    let r = s
        .get(&format!("{LIST}?organization[sub_domain]=nope"))
        .await;
    assert_eq!(
        (r.status, r.code()),
        (404, "organization_not_found".to_string())
    );
    let r = s
        .get(&format!("{LIST}?organization[sub_domain]=initech"))
        .await;
    assert_eq!(
        (r.status, r.code()),
        (403, "organization_suspended".to_string())
    );
    let r = s
        .get(&format!("{LIST}?organization[sub_domain]=hooli"))
        .await;
    assert_eq!(
        (r.status, r.code()),
        (403, "organization_not_activated".to_string())
    );
    let r = s.get(LIST).await;
    assert_eq!(
        (r.status, r.code()),
        (400, "missing_required_argument".to_string())
    );
    assert_eq!(
        r.json()["error"]["description"],
        "The 'organization' argument is required but has not been provided"
    );
    let orgs = s.get("/organizations").await.json();
    let globex_id = orgs["organizations"][1]["id"]
        .as_str()
        .expect("id")
        .to_string();
    let r = s.get(&format!("{LIST}?organization[id]={globex_id}")).await;
    assert_eq!(r.status, 200);
    assert_eq!(names(&r.json()), ["app-1", "app-2", "db-1"]);
    let r = s
        .send(
            "POST",
            "/organizations/organization/virtual_machines/build_from_spec",
            &json!({"organization": {"sub_domain": "initech"}, "xml": "<VirtualMachineSpec/>"}),
        )
        .await;
    assert_eq!(
        (r.status, r.code()),
        (403, "organization_suspended".to_string())
    );
}

const FULL_KEYS: &[&str] = &[
    "id",
    "name",
    "hostname",
    "fqdn",
    "description",
    "created_at",
    "initial_root_password",
    "state",
    "zone",
    "organization",
    "group",
    "package",
    "attached_iso",
    "memory_in_gb",
    "cpu_cores",
    "use_dedicated_cpus",
    "gpu_type",
    "gpus",
    "tags",
    "tag_names",
    "ip_addresses",
];

#[tokio::test]
async fn get_by_id_and_fqdn() {
    let s = Server::start(&[]);
    let r = s
        .get("/virtual_machines/virtual_machine?virtual_machine[fqdn]=web-1.acme.katapult.cloud")
        .await;
    assert_eq!(r.status, 200);
    let body = r.json();
    assert_eq!(keys(&body), set(&["virtual_machine", "annotations"]));
    let vm = &body["virtual_machine"];
    assert_eq!(keys(vm), set(FULL_KEYS));
    assert_eq!(vm["name"], "web-1");
    assert_eq!(vm["hostname"], "web-1");
    assert_eq!(vm["fqdn"], "web-1.acme.katapult.cloud");
    assert_eq!(vm["state"], "started");
    assert_eq!(vm["organization"]["sub_domain"], "acme");
    assert_eq!(vm["zone"]["data_center"]["country"]["iso_code2"], "GB");
    assert_eq!(vm["package"]["permalink"], "rock-6");
    assert_eq!(vm["group"]["name"], "Web servers");
    assert_eq!(vm["tag_names"], json!(["production", "frontend"]));
    assert_eq!(
        vm["ip_addresses"][0]["network"]["data_center"]["permalink"],
        "uk-lon"
    );
    assert_eq!(
        body["annotations"],
        json!([{"key": "team", "value": "web"}, {"key": "env", "value": "prod"}])
    );
    let id = vm["id"].as_str().expect("id");
    assert!(id.starts_with("vm_") && id.len() == 19, "{id}");

    let by_id = s
        .get(&format!(
            "/virtual_machines/virtual_machine?virtual_machine[id]={id}"
        ))
        .await;
    assert_eq!(by_id.body, r.body);

    let gpu = s
        .get("/virtual_machines/virtual_machine?virtual_machine[fqdn]=gpu-1.acme.katapult.cloud")
        .await
        .json();
    assert_eq!(gpu["virtual_machine"]["package"], Value::Null);
    assert_eq!(gpu["virtual_machine"]["memory_in_gb"], 64);
    assert_eq!(gpu["virtual_machine"]["gpu_type"]["permalink"], "nvidia-l4");
    assert_eq!(gpu["virtual_machine"]["gpus"][0]["status"], "attached");

    let r = s
        .get("/virtual_machines/virtual_machine?virtual_machine[id]=vm_doesnotexist0000")
        .await;
    assert_eq!(
        (r.status, r.code()),
        (404, "virtual_machine_not_found".to_string())
    );
    assert_eq!(r.json()["error"]["detail"], json!({}));
}

#[tokio::test]
async fn lookup_argument_errors() {
    let s = Server::start(&[]);
    let r = s.get("/virtual_machines/virtual_machine").await;
    assert_eq!(
        (r.status, r.code()),
        (400, "missing_required_argument".to_string())
    );
    assert_eq!(
        r.json()["error"]["detail"],
        json!({"path": ["virtual_machine"], "argument": {"name": "virtual_machine", "description": null}})
    );

    let r = s
        .get("/virtual_machines/virtual_machine?virtual_machine[colour]=red")
        .await;
    assert_eq!((r.status, r.code()), (400, "invalid_argument".to_string()));
    let d = r.json()["error"]["detail"].clone();
    assert_eq!(d["issue"], "missing_lookup_value");
    assert_eq!(
        d["issue_description"],
        "A value for a lookup argument set has not been provided but at least one value is required."
    );
    assert_eq!(d["path"], json!(["virtual_machine"]));
    assert_eq!(d["index"], Value::Null);
    assert_eq!(d["errors"], json!([]));
    assert_eq!(d["argument"]["name"], "virtual_machine");

    let r = s
        .get("/virtual_machines/virtual_machine?virtual_machine[id]=a&virtual_machine[fqdn]=b")
        .await;
    assert_eq!(
        r.json()["error"]["detail"]["issue"],
        "ambiguous_lookup_values"
    );
    assert_eq!(
        r.json()["error"]["detail"]["issue_description"],
        "More than one value has been provided for a lookup argument set. Only one option may be provided."
    );

    // The same rules for JSON bodies.
    let r = s
        .send(
            "POST",
            "/virtual_machines/virtual_machine/start",
            &json!({"virtual_machine": {}}),
        )
        .await;
    assert_eq!(r.json()["error"]["detail"]["issue"], "missing_lookup_value");
    let r = s
        .send(
            "DELETE",
            "/virtual_machines/virtual_machine",
            &json!({"virtual_machine": {"id": "x", "fqdn": "y"}}),
        )
        .await;
    assert_eq!(
        r.json()["error"]["detail"]["issue"],
        "ambiguous_lookup_values"
    );
    let r = s
        .send(
            "POST",
            "/virtual_machines/virtual_machine/start",
            &json!({}),
        )
        .await;
    assert_eq!(r.code(), "missing_required_argument");

    // Invalid JSON.
    let r = s
        .raw(
            "POST",
            "/core/v1/virtual_machines/virtual_machine/start",
            &[
                ("Authorization", "Bearer demo-token"),
                ("Content-Type", "application/json"),
            ],
            Some(b"{\"virtual_machine\":"),
        )
        .await
        .expect("request");
    assert_eq!((r.status, r.code()), (400, "invalid_json_body".to_string()));

    // POST falls back to the query string.
    let web1 = s.vm_id("web-1").await;
    let r = s
        .raw(
            "DELETE",
            &format!("/core/v1/virtual_machines/virtual_machine?virtual_machine[id]={web1}"),
            &[("Authorization", "Bearer demo-token")],
            None,
        )
        .await
        .expect("request");
    assert_eq!(r.status, 200, "{}", r.text());
}

#[tokio::test]
async fn delete_trash_restore() {
    let s = Server::start(&[]);
    let id = s.vm_id("web-2").await;
    let before = now();
    let r = s
        .send(
            "DELETE",
            "/virtual_machines/virtual_machine",
            &json!({"virtual_machine": {"id": id}}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    let body = r.json();
    assert_eq!(keys(&body), set(&["trash_object", "virtual_machine"]));
    let trash = body["trash_object"].clone();
    assert_eq!(
        keys(&trash),
        set(&["id", "keep_until", "object_id", "object_type"])
    );
    assert_eq!(trash["object_id"], json!(id));
    assert_eq!(trash["object_type"], "VirtualMachine");
    let keep = trash["keep_until"].as_i64().expect("keep_until");
    assert!(
        (before + 7 * 86_400 - 5..=before + 7 * 86_400 + 5).contains(&keep),
        "{keep}"
    );
    assert_eq!(keys(&body["virtual_machine"]), set(FULL_KEYS));

    let get = format!("/virtual_machines/virtual_machine?virtual_machine[id]={id}");
    let r = s.get(&get).await;
    assert_eq!((r.status, r.code()), (406, "object_in_trash".to_string()));
    assert_eq!(r.json()["error"]["detail"]["trash_object"], trash);
    let r = s
        .get("/virtual_machines/virtual_machine?virtual_machine[fqdn]=web-2.acme.katapult.cloud")
        .await;
    assert_eq!(r.status, 406);
    let r = s
        .send(
            "POST",
            "/virtual_machines/virtual_machine/shutdown",
            &json!({"virtual_machine": {"id": id}}),
        )
        .await;
    assert_eq!((r.status, r.code()), (406, "object_in_trash".to_string()));
    let r = s
        .send(
            "DELETE",
            "/virtual_machines/virtual_machine",
            &json!({"virtual_machine": {"id": id}}),
        )
        .await;
    assert_eq!(r.status, 406);

    let list = s
        .get(&format!(
            "{LIST}?organization[sub_domain]=acme&per_page=100"
        ))
        .await
        .json();
    assert_eq!(list["pagination"]["total"], 40);
    assert!(!names(&list).contains(&"web-2".to_string()));

    let r = s
        .send(
            "POST",
            "/trash_objects/trash_object/restore",
            &json!({"trash_object": {"id": trash["id"]}}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json(), json!({"trash_object": trash}));
    assert_eq!(s.get(&get).await.status, 200);
    let list = s
        .get(&format!(
            "{LIST}?organization[sub_domain]=acme&per_page=100"
        ))
        .await
        .json();
    assert_eq!(list["pagination"]["total"], 41);
    assert_eq!(names(&list)[1], "web-2", "restored in its original place");

    let r = s
        .send(
            "POST",
            "/trash_objects/trash_object/restore",
            &json!({"trash_object": {"id": trash["id"]}}),
        )
        .await;
    assert_eq!(
        (r.status, r.code()),
        (404, "trash_object_not_found".to_string())
    );

    // Restore by object_id.
    let r = s
        .send(
            "DELETE",
            "/virtual_machines/virtual_machine",
            &json!({"virtual_machine": {"fqdn": "web-2.acme.katapult.cloud"}}),
        )
        .await;
    assert_eq!(r.status, 200);
    let r = s
        .send(
            "POST",
            "/trash_objects/trash_object/restore",
            &json!({"trash_object": {"object_id": id}}),
        )
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(s.get(&get).await.status, 200);
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// Run a power action and record every VM state seen until the task ends.
async fn power(s: &Server, id: &str, action: &str) -> (Value, Vec<String>) {
    let r = s
        .send(
            "POST",
            &format!("/virtual_machines/virtual_machine/{action}"),
            &json!({"virtual_machine": {"id": id}}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    let task = r.json()["task"].clone();
    assert_eq!(keys(&task), set(&["id", "name", "status"]));
    assert_eq!(task["status"], "pending");
    let task_id = task["id"].as_str().expect("task id").to_string();
    let mut seen: Vec<String> = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let state = s.vm_state(id).await;
        if seen.last() != Some(&state) {
            seen.push(state);
        }
        let t = s
            .get(&format!("/tasks/task?task[id]={task_id}"))
            .await
            .json()["task"]
            .clone();
        if t["status"] == "completed" || t["status"] == "failed" {
            let state = s.vm_state(id).await;
            if seen.last() != Some(&state) {
                seen.push(state);
            }
            let mut full = t;
            full["short_name"] = task["name"].clone();
            return (full, seen);
        }
        assert!(Instant::now() < deadline, "task did not finish");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

#[tokio::test]
async fn power_actions_reach_end_states() {
    let s = Server::start(&["--task-ms", "400"]);
    let id = s.vm_id("web-3").await;

    let (task, seen) = power(&s, &id, "shutdown").await;
    assert_eq!(task["status"], "completed");
    assert_eq!(task["name"], "Shutdown virtual machine");
    assert_eq!(task["progress"], 100);
    assert!(task["started_at"].is_i64() && task["finished_at"].is_i64());
    assert_eq!(seen.first().map(String::as_str), Some("started"));
    assert!(seen.contains(&"shutting_down".to_string()), "{seen:?}");
    assert_eq!(seen.last().map(String::as_str), Some("stopped"));

    let (task, seen) = power(&s, &id, "start").await;
    assert_eq!(task["name"], "Start virtual machine");
    assert!(seen.contains(&"starting".to_string()), "{seen:?}");
    assert_eq!(seen.last().map(String::as_str), Some("started"));

    let (task, seen) = power(&s, &id, "stop").await;
    assert_eq!(task["name"], "Stop virtual machine");
    assert!(seen.contains(&"stopping".to_string()), "{seen:?}");
    assert_eq!(seen.last().map(String::as_str), Some("stopped"));

    power(&s, &id, "start").await;
    let (task, seen) = power(&s, &id, "reset").await;
    assert_eq!(task["name"], "Reset virtual machine");
    assert!(seen.contains(&"resetting".to_string()), "{seen:?}");
    assert_eq!(seen.last().map(String::as_str), Some("started"));
}

#[tokio::test]
async fn task_progress_and_queueing_error() {
    let s = Server::start(&["--task-ms", "600"]);
    let id = s.vm_id("web-4").await;
    let body = json!({"virtual_machine": {"id": id}});
    let r = s
        .send("POST", "/virtual_machines/virtual_machine/shutdown", &body)
        .await;
    let task_id = r.json()["task"]["id"].as_str().expect("id").to_string();
    let t = s
        .get(&format!("/tasks/task?task[id]={task_id}"))
        .await
        .json()["task"]
        .clone();
    assert_eq!(
        keys(&t),
        set(&[
            "id",
            "name",
            "status",
            "created_at",
            "started_at",
            "finished_at",
            "progress"
        ])
    );
    assert_eq!(t["status"], "pending");
    assert_eq!(t["progress"], 0);
    assert_eq!(t["started_at"], Value::Null);

    let r = s
        .send("POST", "/virtual_machines/virtual_machine/start", &body)
        .await;
    assert_eq!(
        (r.status, r.code()),
        (406, "task_queueing_error".to_string())
    );
    assert!(r.json()["error"]["detail"]["details"].is_string());

    tokio::time::sleep(Duration::from_millis(300)).await;
    let t = s
        .get(&format!("/tasks/task?task[id]={task_id}"))
        .await
        .json()["task"]
        .clone();
    assert_eq!(t["status"], "running");
    let p = t["progress"].as_i64().expect("progress");
    assert!((1..100).contains(&p), "{p}");
    let r = s
        .send("POST", "/virtual_machines/virtual_machine/reset", &body)
        .await;
    assert_eq!(r.status, 406);

    s.wait_task(&task_id, Duration::from_secs(5)).await;
    let r = s
        .send("POST", "/virtual_machines/virtual_machine/start", &body)
        .await;
    assert_eq!(
        r.status, 200,
        "a new action is accepted once the task is done"
    );

    let r = s.get("/tasks/task?task[id]=task_nope").await;
    assert_eq!((r.status, r.code()), (404, "task_not_found".to_string()));
}

#[tokio::test]
async fn fail_task_and_protected_vms() {
    let s = Server::start(&["--task-ms", "300"]);
    let id = s.vm_id("fail-task-1").await;
    let (task, seen) = power(&s, &id, "shutdown").await;
    assert_eq!(task["status"], "failed");
    assert!(task["finished_at"].is_i64());
    assert!(seen.contains(&"shutting_down".to_string()), "{seen:?}");
    assert_eq!(
        seen.last().map(String::as_str),
        Some("started"),
        "back to its previous state"
    );

    let pid = s.vm_id("protected-1").await;
    let body = json!({"virtual_machine": {"id": pid}});
    for (method, path) in [
        ("DELETE", "/virtual_machines/virtual_machine"),
        ("POST", "/virtual_machines/virtual_machine/shutdown"),
        ("POST", "/virtual_machines/virtual_machine/stop"),
        ("POST", "/virtual_machines/virtual_machine/start"),
        ("POST", "/virtual_machines/virtual_machine/reset"),
    ] {
        let r = s.send(method, path, &body).await;
        assert_eq!(
            (r.status, r.code()),
            (403, "permission_denied".to_string()),
            "{method} {path}"
        );
        assert!(r.json()["error"]["detail"]["details"].is_string());
    }
    assert_eq!(
        s.get(&format!(
            "/virtual_machines/virtual_machine?virtual_machine[id]={pid}"
        ))
        .await
        .status,
        200
    );
}

const BUILD: &str = "/organizations/organization/virtual_machines/build_from_spec";

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

async fn wait_build(s: &Server, id: &str) -> (Value, Vec<(String, Option<String>)>) {
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut seen: Vec<(String, Option<String>)> = Vec::new();
    loop {
        let r = s
            .get(&format!(
                "/virtual_machines/builds/virtual_machine_build?virtual_machine_build[id]={id}"
            ))
            .await;
        assert_eq!(r.status, 200, "{}", r.text());
        let b = r.json();
        let state = b["virtual_machine_build"]["state"]
            .as_str()
            .expect("state")
            .to_string();
        let vm_state = b["virtual_machine_build"]["virtual_machine"]["state"]
            .as_str()
            .map(str::to_string);
        let obs = (state.clone(), vm_state);
        if seen.last() != Some(&obs) {
            seen.push(obs);
        }
        if state == "complete" || state == "failed" {
            return (b, seen);
        }
        assert!(Instant::now() < deadline, "build still {state}");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

#[tokio::test]
async fn build_from_spec_success() {
    let s = Server::start(&["--task-ms", "400"]);
    let xml = spec("test-build-1");
    let r = s
        .send(
            "POST",
            BUILD,
            &json!({"organization": {"sub_domain": "acme"}, "xml": xml, "annotations": [{"key": "team", "value": "qa"}]}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text());
    let body = r.json();
    assert_eq!(
        keys(&body),
        set(&[
            "task",
            "build",
            "virtual_machine_build",
            "hostname",
            "annotations"
        ])
    );
    assert_eq!(body["build"], body["virtual_machine_build"]);
    assert_eq!(body["build"]["state"], "pending");
    assert_eq!(body["task"]["status"], "pending");
    assert_eq!(body["hostname"], "test-build-1");
    assert_eq!(body["annotations"], json!([{"key": "team", "value": "qa"}]));
    let build_id = body["build"]["id"].as_str().expect("id").to_string();

    let (b, seen) = wait_build(&s, &build_id).await;
    let build = &b["virtual_machine_build"];
    assert_eq!(
        keys(build),
        set(&["id", "spec_xml", "state", "virtual_machine", "created_at"])
    );
    assert_eq!(build["spec_xml"], json!(xml));
    assert_eq!(build["state"], "complete");
    assert_eq!(build["virtual_machine"]["state"], "started");
    assert_eq!(
        build["virtual_machine"]["fqdn"],
        "test-build-1.acme.katapult.cloud"
    );
    assert_eq!(b["annotations"], json!([{"key": "team", "value": "qa"}]));
    assert!(
        seen.contains(&("building".to_string(), Some("allocating".to_string()))),
        "VM attached while building: {seen:?}"
    );

    let task = s
        .wait_task(
            body["task"]["id"].as_str().expect("task"),
            Duration::from_secs(5),
        )
        .await;
    assert_eq!(task["status"], "completed");

    let vm_id = build["virtual_machine"]["id"].as_str().expect("vm id");
    let vm = s
        .get(&format!(
            "/virtual_machines/virtual_machine?virtual_machine[id]={vm_id}"
        ))
        .await
        .json();
    assert_eq!(vm["annotations"], json!([{"key": "team", "value": "qa"}]));
    assert_eq!(vm["virtual_machine"]["package"]["permalink"], "rock-3");
    assert_eq!(vm["virtual_machine"]["zone"]["permalink"], "uk-lon-01");
    let list = s
        .get(&format!(
            "{LIST}?organization[sub_domain]=acme&annotations[][key]=team&annotations[][value]=qa"
        ))
        .await
        .json();
    assert_eq!(names(&list), ["test-build-1"]);
    let all = s
        .get(&format!(
            "{LIST}?organization[sub_domain]=acme&per_page=100"
        ))
        .await
        .json();
    assert_eq!(all["pagination"]["total"], 42);
    assert_eq!(names(&all).last().map(String::as_str), Some("test-build-1"));

    // Same hostname again: taken.
    let r = s
        .send(
            "POST",
            BUILD,
            &json!({"organization": {"sub_domain": "acme"}, "xml": xml}),
        )
        .await;
    assert_eq!((r.status, r.code()), (422, "validation_error".to_string()));
}

#[tokio::test]
async fn build_random_hostname_and_name() {
    let s = Server::start(&["--task-ms", "100"]);
    let xml = r#"<VirtualMachineSpec><Name>Random One</Name><Zone by="permalink">nl-ams-01</Zone><Hostname><Hostname type="random"/></Hostname><Resources><Memory>4</Memory><CPUCores>2</CPUCores></Resources></VirtualMachineSpec>"#;
    let r = s
        .send(
            "POST",
            BUILD,
            &json!({"organization": {"sub_domain": "globex"}, "xml": xml}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text());
    let hostname = r.json()["hostname"].as_str().expect("hostname").to_string();
    let parts: Vec<&str> = hostname.split('-').collect();
    assert_eq!(parts.len(), 3, "{hostname}");
    assert!(parts[2].parse::<u32>().is_ok(), "{hostname}");
    assert_eq!(r.json()["annotations"], json!([]));
    let (b, _) = wait_build(&s, r.json()["build"]["id"].as_str().expect("id")).await;
    let vm = &b["virtual_machine_build"]["virtual_machine"];
    assert_eq!(vm["name"], "Random One");
    assert_eq!(vm["hostname"], json!(hostname));
    assert_eq!(
        vm["fqdn"],
        json!(format!("{hostname}.globex.katapult.cloud"))
    );
    let full = s
        .get(&format!(
            "/virtual_machines/virtual_machine?virtual_machine[id]={}",
            vm["id"].as_str().expect("id")
        ))
        .await
        .json();
    assert_eq!(full["virtual_machine"]["package"], Value::Null);
    assert_eq!(full["virtual_machine"]["memory_in_gb"], 4);
    assert_eq!(full["virtual_machine"]["cpu_cores"], 2);
}

#[tokio::test]
async fn build_spec_errors() {
    let s = Server::start(&[]);
    let org = json!({"sub_domain": "acme"});
    for xml in [
        "<not xml",
        "",
        "<Other/>",
        "<VirtualMachineSpec><Unclosed></VirtualMachineSpec>",
        "<VirtualMachineSpec><Zones/></VirtualMachineSpec>",
        "<!DOCTYPE x [<!ENTITY e \"e\">]><VirtualMachineSpec><Name>&e;</Name></VirtualMachineSpec>",
    ] {
        let r = s
            .send("POST", BUILD, &json!({"organization": org, "xml": xml}))
            .await;
        assert_eq!(
            (r.status, r.code()),
            (400, "invalid_spec_xml".to_string()),
            "{xml:?}"
        );
        assert!(r.json()["error"]["detail"]["errors"].is_string(), "{xml:?}");
        assert_eq!(
            r.json()["error"]["description"],
            "The spec XML provided is invalid"
        );
    }
    let r = s
        .send(
            "POST",
            BUILD,
            &json!({"organization": org, "xml": "<VirtualMachineSpec/>"}),
        )
        .await;
    assert_eq!((r.status, r.code()), (422, "validation_error".to_string()));
    let errors = r.json()["error"]["detail"]["errors"]
        .as_array()
        .expect("errors")
        .clone();
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert!(errors.iter().all(Value::is_string));

    let xml = r#"<VirtualMachineSpec><Zone by="permalink">uk-lon-01</Zone><Resources><Memory>4</Memory></Resources></VirtualMachineSpec>"#;
    let r = s
        .send("POST", BUILD, &json!({"organization": org, "xml": xml}))
        .await;
    assert_eq!(r.status, 422);
    let xml = r#"<VirtualMachineSpec><Zone by="permalink">mars-01</Zone><Resources><Package by="permalink">rock-3</Package></Resources></VirtualMachineSpec>"#;
    let r = s
        .send("POST", BUILD, &json!({"organization": org, "xml": xml}))
        .await;
    assert_eq!(r.status, 422);
    let r = s
        .send(
            "POST",
            BUILD,
            &json!({"organization": org, "xml": spec("web-1")}),
        )
        .await;
    assert_eq!(r.status, 422, "hostname taken");

    let r = s.send("POST", BUILD, &json!({"organization": org})).await;
    assert_eq!(
        (r.status, r.code()),
        (400, "missing_required_argument".to_string())
    );
    let r = s
        .send(
            "POST",
            BUILD,
            &json!({"organization": {"sub_domain": "nope"}, "xml": spec("x")}),
        )
        .await;
    assert_eq!(
        (r.status, r.code()),
        (404, "organization_not_found".to_string())
    );
    let r = s
        .send(
            "POST",
            BUILD,
            &json!({"organization": {"sub_domain": "hooli"}, "xml": spec("x")}),
        )
        .await;
    assert_eq!(
        (r.status, r.code()),
        (403, "organization_not_activated".to_string())
    );

    let r = s
        .get(
            "/virtual_machines/builds/virtual_machine_build?virtual_machine_build[id]=vmbuild_nope",
        )
        .await;
    assert_eq!((r.status, r.code()), (404, "build_not_found".to_string()));
    // Nothing was created.
    let list = s
        .get(&format!("{LIST}?organization[sub_domain]=acme"))
        .await
        .json();
    assert_eq!(list["pagination"]["total"], 41);
}

#[tokio::test]
async fn build_that_fails() {
    let s = Server::start(&["--task-ms", "300"]);
    let r = s
        .send(
            "POST",
            BUILD,
            &json!({"organization": {"sub_domain": "acme"}, "xml": spec("fail-build-1")}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text());
    let body = r.json();
    let (b, seen) = wait_build(&s, body["build"]["id"].as_str().expect("id")).await;
    assert_eq!(b["virtual_machine_build"]["state"], "failed");
    assert_eq!(b["virtual_machine_build"]["virtual_machine"], Value::Null);
    assert!(seen.iter().any(|(st, _)| st == "building"), "{seen:?}");
    let task = s
        .wait_task(
            body["task"]["id"].as_str().expect("task"),
            Duration::from_secs(5),
        )
        .await;
    assert_eq!(task["status"], "failed");
    let r = s
        .get("/virtual_machines/virtual_machine?virtual_machine[fqdn]=fail-build-1.acme.katapult.cloud")
        .await;
    assert_eq!(r.status, 404);
    let list = s
        .get(&format!(
            "{LIST}?organization[sub_domain]=acme&per_page=100"
        ))
        .await
        .json();
    assert_eq!(list["pagination"]["total"], 41);
    assert!(!names(&list).contains(&"fail-build-1".to_string()));
}

#[tokio::test]
async fn route_not_found() {
    let s = Server::start(&[]);
    let r = s.get("/nope").await;
    assert_eq!((r.status, r.code()), (404, "route_not_found".to_string()));
    assert_eq!(
        r.json()["error"]["description"],
        "No route matches 'nope' for GET"
    );
    assert_eq!(r.header("x-api-schema"), Some("json-error"));
    // Wrong method on a known path; no auth needed to learn a route is missing.
    let r = s
        .raw(
            "GET",
            "/core/v1/virtual_machines/virtual_machine/shutdown",
            &[],
            None,
        )
        .await
        .expect("request");
    assert_eq!(r.status, 404);
    assert_eq!(
        r.json()["error"]["description"],
        "No route matches 'virtual_machines/virtual_machine/shutdown' for GET"
    );
    let r = s.send("PATCH", "/organizations", &json!({})).await;
    assert_eq!((r.status, r.code()), (404, "route_not_found".to_string()));
}

#[tokio::test]
async fn ten_thousand_generated_vms() {
    let s = Server::start(&["--seed-vms", "10000"]);
    assert!(
        s.startup < Duration::from_secs(2),
        "startup took {:?}",
        s.startup
    );
    let r = s
        .get(&format!("{LIST}?organization[sub_domain]=acme"))
        .await
        .json();
    assert_eq!(
        r["pagination"],
        json!({"current_page": 1, "total_pages": 334, "total": 10000, "per_page": 30, "large_set": false})
    );
    assert_eq!(names(&r)[0], "vm-00001");
    let r = s
        .get(&format!("{LIST}?organization[sub_domain]=acme&page=334"))
        .await
        .json();
    let last = names(&r);
    assert_eq!(last.len(), 10);
    assert_eq!(last.last().map(String::as_str), Some("vm-10000"));

    let started = Instant::now();
    let mut seen = 0;
    for page in 1..=50 {
        let r = s
            .get(&format!(
                "{LIST}?organization[sub_domain]=acme&per_page=200&page={page}"
            ))
            .await;
        assert_eq!(r.status, 200);
        seen += names(&r.json()).len();
    }
    assert_eq!(seen, 10_000);
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "paging took {:?}",
        started.elapsed()
    );

    let r = s
        .get("/virtual_machines/virtual_machine?virtual_machine[fqdn]=vm-05000.acme.katapult.cloud")
        .await;
    assert_eq!(r.status, 200);
    let r = s
        .get(&format!(
            "{LIST}?organization[sub_domain]=acme&annotations[][key]=team&annotations[][value]=web"
        ))
        .await
        .json();
    assert_eq!(r["pagination"]["total"], 3334);
}

#[tokio::test]
async fn large_sets() {
    let s = Server::start(&["--seed-vms", "1500", "--large-sets"]);
    let r = s
        .get(&format!("{LIST}?organization[sub_domain]=acme&page=2"))
        .await
        .json();
    assert_eq!(
        r["pagination"],
        json!({"current_page": 2, "total_pages": null, "total": null, "per_page": 30, "large_set": true})
    );
    assert_eq!(names(&r).len(), 30);
    // Small lists still report totals.
    let r = s
        .get(&format!("{LIST}?organization[sub_domain]=globex"))
        .await
        .json();
    assert_eq!(r["pagination"]["large_set"], false);
    assert_eq!(r["pagination"]["total"], 3);
}

#[tokio::test]
async fn max_per_page_flag() {
    let s = Server::start(&["--max-per-page", "10"]);
    let r = s
        .get(&format!("{LIST}?organization[sub_domain]=acme&per_page=11"))
        .await;
    assert_eq!(r.status, 400);
    assert_eq!(
        r.json()["error"]["detail"]["errors"],
        json!(["less_than_or_equal_to_one_hundred"])
    );
    let r = s
        .get(&format!("{LIST}?organization[sub_domain]=acme&per_page=10"))
        .await;
    assert_eq!(r.status, 200);
}

#[tokio::test]
async fn ids_are_stable_across_restarts() {
    let a = Server::start(&[]);
    let b = Server::start(&["--token", "other"]);
    let list_a = a
        .get(&format!(
            "{LIST}?organization[sub_domain]=acme&per_page=100"
        ))
        .await
        .json();
    let list_b = b
        .get_as(
            &format!("{LIST}?organization[sub_domain]=acme&per_page=100"),
            Some("other"),
        )
        .await
        .json();
    assert_eq!(list_a, list_b);
    assert_eq!(
        a.get("/organizations").await.body,
        b.get_as("/organizations", Some("other")).await.body
    );
    // The documented seeded ids.
    assert_eq!(list_a["virtual_machines"][0]["id"], "vm_CAHIl8xo42DREOBG");
    assert_eq!(
        list_a["virtual_machines"][0]["fqdn"],
        "web-1.acme.katapult.cloud"
    );
    let orgs = a.get("/organizations").await.json();
    assert_eq!(orgs["organizations"][0]["id"], "org_S7FE45hqeY2yUUPf");
    // The default token is not accepted when another is configured.
    assert_eq!(b.get_as("/organizations", Some(TOKEN)).await.status, 403);
}
