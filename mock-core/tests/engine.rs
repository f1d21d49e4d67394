//! The engine alone, with no host (as it will run in-process, compiled to
//! WebAssembly): it loads the fixture (the demo's organizations and VMs),
//! seeds what else it needs, keeps every kind itself, and answers every
//! operation without panicking whatever it is sent.

use katapult_mock_core::fixture::Fixture;
use katapult_mock_core::{Answer, Config, Engine, NoHost, Request, Seed};
use katapult_wasm::operation::OPERATIONS;
use serde_json::{json, Value};

const NOW: u64 = 1_800_000_000_000;

fn send(
    engine: &mut Engine,
    method: &str,
    path: &str,
    query: Option<&str>,
    body: Option<Value>,
    now: u64,
) -> Answer {
    let bytes = body.map(|b| b.to_string().into_bytes()).unwrap_or_default();
    let request = Request {
        method,
        path,
        query,
        content_type: Some("application/json"),
        body: &bytes,
    };
    engine
        .handle(&mut NoHost, &request, now)
        .expect("an operation")
}

#[test]
fn a_zone_is_created_found_listed_changed_and_deleted() {
    let mut e = Engine::new(Config::default());
    let orgs = send(&mut e, "GET", "/organizations", None, None, NOW).json_body();
    let org = orgs["organizations"][0]["sub_domain"]
        .as_str()
        .expect("a seeded organization")
        .to_owned();
    let created = send(
        &mut e,
        "POST",
        "/organizations/organization/dns_zones",
        None,
        Some(json!({"organization": {"sub_domain": org}, "properties": {"name": "example.com"}})),
        NOW,
    );
    assert_eq!(created.status, 201, "{:?}", created.json_body());
    let id = created.json_body()["dns_zone"]["id"]
        .as_str()
        .expect("id")
        .to_owned();

    let by_name = send(
        &mut e,
        "GET",
        "/dns_zones/dns_zone",
        Some("dns_zone[name]=example.com"),
        None,
        NOW,
    );
    assert_eq!(by_name.json_body()["dns_zone"]["id"], json!(id));
    let list = send(
        &mut e,
        "GET",
        "/organizations/organization/dns_zones",
        Some(&format!("organization[sub_domain]={org}&per_page=1")),
        None,
        NOW,
    )
    .json_body();
    assert_eq!(list["pagination"]["total"], 1);
    assert_eq!(list["dns_zones"][0]["id"], json!(id));

    let patched = send(
        &mut e,
        "PATCH",
        "/dns_zones/dns_zone",
        None,
        Some(json!({"dns_zone": {"id": id}, "properties": {"default_ttl": 60}})),
        NOW,
    );
    assert_eq!(patched.json_body()["dns_zone"]["default_ttl"], 60);

    let deleted = send(
        &mut e,
        "DELETE",
        "/dns_zones/dns_zone",
        None,
        Some(json!({"dns_zone": {"id": id}})),
        NOW,
    );
    assert_eq!(deleted.json_body(), json!({"deleted": true}));
    let gone = send(
        &mut e,
        "GET",
        "/dns_zones/dns_zone",
        Some(&format!("dns_zone[id]={id}")),
        None,
        NOW,
    );
    assert_eq!((gone.status, gone.error), (404, true));
    assert_eq!(gone.json_body()["error"]["code"], "dns_zone_not_found");
    assert!(gone
        .headers()
        .contains(&("x-api-schema", "json-error".to_owned())));
}

#[test]
fn tasks_run_on_the_clock_the_engine_is_handed() {
    let mut e = Engine::new(Config {
        task_ms: 1000,
        ..Config::default()
    });
    let orgs = send(&mut e, "GET", "/organizations", None, None, NOW).json_body();
    let org = orgs["organizations"][0]["id"].clone();
    let purge = send(
        &mut e,
        "POST",
        "/organizations/organization/trash_objects/purge_all",
        None,
        Some(json!({"organization": {"id": org}})),
        NOW,
    )
    .json_body();
    let id = purge["task"]["id"].as_str().expect("task").to_owned();
    let at = |ms: u64| e.task(&id, NOW + ms).expect("the engine's task")["task"]["status"].clone();
    assert_eq!(at(0), "pending");
    assert_eq!(at(500), "running");
    assert_eq!(at(1000), "completed");
    e.fail_tasks("post:organization_trash_objects_purge_all", true);
    let failing = send(
        &mut e,
        "POST",
        "/organizations/organization/trash_objects/purge_all",
        None,
        Some(json!({"organization": {"id": org}})),
        NOW,
    )
    .json_body();
    let id = failing["task"]["id"].as_str().expect("task");
    assert_eq!(
        e.task(id, NOW + 1000).expect("task")["task"]["status"],
        "failed"
    );
}

#[test]
fn get_task_answers_the_task_it_looks_up_and_starts_none() {
    // With no host, `get:task` is the engine's own (the in-process mock).
    let mut e = Engine::new(Config {
        task_ms: 1000,
        ..Config::default()
    });
    let orgs = send(&mut e, "GET", "/organizations", None, None, NOW).json_body();
    let org = orgs["organizations"][0]["id"].clone();
    let purge = send(
        &mut e,
        "POST",
        "/organizations/organization/trash_objects/purge_all",
        None,
        Some(json!({"organization": {"id": org}})),
        NOW,
    )
    .json_body();
    let id = purge["task"]["id"].as_str().expect("task").to_owned();
    let query = format!("task[id]={id}");
    let at = |e: &mut Engine, ms: u64| {
        send(e, "GET", "/tasks/task", Some(&query), None, NOW + ms).json_body()["task"].clone()
    };
    let early = at(&mut e, 0);
    assert_eq!(
        (early["id"].as_str(), early["status"].as_str()),
        (Some(id.as_str()), Some("pending"))
    );
    let done = at(&mut e, 1000);
    assert_eq!(
        (done["id"].as_str(), done["status"].as_str()),
        (Some(id.as_str()), Some("completed"))
    );
    let missing = send(
        &mut e,
        "GET",
        "/tasks/task",
        Some("task[id]=task_nothing"),
        None,
        NOW,
    );
    assert_eq!(missing.json_body()["error"]["code"], "task_not_found");
}

#[test]
fn every_operation_answers_anything_without_panicking() {
    let mut e = Engine::new(Config::default());
    let bodies = [
        None,
        Some(json!({})),
        Some(json!({"properties": 5, "organization": "x"})),
    ];
    for op in OPERATIONS.iter() {
        for body in &bodies {
            let a = send(
                &mut e,
                op.method().as_str(),
                op.path(),
                Some("page=x&a[b]=1"),
                body.clone(),
                NOW,
            );
            assert!(a.status >= 200, "{}", op.id());
            assert!(!a.body.is_empty() || !a.error, "{}", op.id());
        }
    }
    let none = Request {
        method: "GET",
        path: "/nope",
        query: None,
        content_type: None,
        body: b"",
    };
    assert!(
        e.handle(&mut NoHost, &none, NOW).is_none(),
        "no such operation"
    );
}

#[test]
fn reset_forgets_and_reseeds() {
    let mut e = Engine::new(Config::default());
    let before = send(&mut e, "GET", "/organizations", None, None, NOW).json_body();
    e.reset();
    let after = send(&mut e, "GET", "/organizations", None, None, NOW).json_body();
    assert_eq!(before, after, "seeds are the same after a reset");
}

#[test]
fn arguments_are_checked_as_apia_does_before_any_lookup() {
    let mut e = Engine::new(Config::default());
    let zones = "/organizations/organization/dns_zones";
    let code = |a: &Answer| a.json_body()["error"]["code"].clone();
    let a = send(&mut e, "POST", zones, None, Some(json!({})), NOW);
    assert_eq!(
        (a.status, code(&a)),
        (400, json!("missing_required_argument"))
    );
    assert_eq!(
        a.json_body()["error"]["detail"]["path"],
        json!(["organization"])
    );
    // The properties are missing too: reported before the lookup finds nothing.
    let a = send(
        &mut e,
        "POST",
        zones,
        None,
        Some(json!({"organization": {"sub_domain": "nope"}})),
        NOW,
    );
    assert_eq!(
        a.json_body()["error"]["detail"]["path"],
        json!(["properties"])
    );
    let a = send(
        &mut e,
        "GET",
        zones,
        Some("organization[id]=a&organization[sub_domain]=b"),
        None,
        NOW,
    );
    assert_eq!(
        a.json_body()["error"]["detail"]["issue"],
        json!("ambiguous_lookup_values")
    );
    let a = send(
        &mut e,
        "GET",
        zones,
        Some("organization[sub_domain]=nope"),
        None,
        NOW,
    );
    assert_eq!((a.status, code(&a)), (404, json!("organization_not_found")));
    let a = send(
        &mut e,
        "GET",
        zones,
        Some("organization[sub_domain]=acme&per_page=0"),
        None,
        NOW,
    );
    assert_eq!(
        a.json_body()["error"]["detail"]["errors"],
        json!(["greater_than_zero"])
    );
}

/// The names of a VM list answer's items.
fn names(list: &Value) -> Vec<String> {
    list["virtual_machines"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|vm| vm["name"].as_str().map(str::to_owned))
        .collect()
}

#[test]
fn with_no_host_the_engine_holds_the_fixture() {
    let mut e = Engine::new(Config::default());
    let orgs = send(&mut e, "GET", "/organizations", None, None, NOW).json_body();
    let subs: Vec<&str> = orgs["organizations"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|o| o["sub_domain"].as_str())
        .collect();
    assert_eq!(subs, ["acme", "globex", "initech", "hooli"]);

    // acme's 41 VMs, paginated as the demo shows them ("Page 1 of 2").
    let vms = "/organizations/organization/virtual_machines";
    let mut page = |query: &str| send(&mut e, "GET", vms, Some(query), None, NOW).json_body();
    let first = page("organization[sub_domain]=acme");
    assert_eq!(
        first["pagination"],
        json!({"current_page": 1, "total_pages": 2, "total": 41, "per_page": 30, "large_set": false})
    );
    let second = page("organization[sub_domain]=acme&page=2");
    let all: Vec<String> = names(&first).into_iter().chain(names(&second)).collect();
    assert_eq!(all.len(), 41);
    assert_eq!(all.first().map(String::as_str), Some("web-1"));
    assert_eq!(all.last().map(String::as_str), Some("fail-task-1"));
    // A list item is the live API's short form.
    let item = &first["virtual_machines"][0];
    assert_eq!(item["fqdn"], "web-1.acme.katapult.cloud");
    assert_eq!(item["package"]["name"], "Rock 6");
    assert_eq!(item["zone"]["data_center"]["permalink"], "uk-lon");
    assert!(
        item["zone"]["data_center"].get("country").is_none(),
        "{item}"
    );
    assert!(item.get("hypervisor").is_none(), "{item}");
    // The annotations filter sees the fixture's annotations.
    let db = page("organization[sub_domain]=acme&annotations[][key]=team&annotations[][value]=db");
    assert_eq!(db["pagination"]["total"], 5, "{db}");
    let globex = page("organization[sub_domain]=globex");
    assert_eq!(names(&globex), ["app-1", "app-2", "db-1"]);
    // Organizations that refuse in the server refuse here too.
    let code = |a: &Value| a["error"]["code"].clone();
    assert_eq!(
        code(&page("organization[sub_domain]=initech")),
        "organization_suspended"
    );
    assert_eq!(
        code(&page("organization[sub_domain]=hooli")),
        "organization_not_activated"
    );

    // web-1 found by its FQDN, in full, with what it embeds.
    let web1 = send(
        &mut e,
        "GET",
        "/virtual_machines/virtual_machine",
        Some("virtual_machine[fqdn]=web-1.acme.katapult.cloud"),
        None,
        NOW,
    )
    .json_body();
    let vm = &web1["virtual_machine"];
    assert_eq!(vm["id"], "vm_CAHIl8xo42DREOBG");
    assert_eq!(vm["state"], "started");
    assert_eq!(vm["organization"]["sub_domain"], "acme");
    assert_eq!(vm["zone"]["permalink"], "uk-lon-01");
    assert_eq!(vm["package"]["permalink"], "rock-6");
    assert_eq!(vm["tag_names"], json!(["production", "frontend"]));
    assert_eq!(vm["ip_addresses"][0]["address"], "203.0.113.10");
    assert_eq!(
        web1["annotations"],
        json!([{"key": "team", "value": "web"}, {"key": "env", "value": "prod"}])
    );
    // Its disks are listed under it (a db VM has two) and under its
    // organization (41 system disks and 5 data disks).
    let disks = |e: &mut Engine, path: &str, query: &str| {
        send(e, "GET", path, Some(query), None, NOW).json_body()["pagination"]["total"].clone()
    };
    let vm_disks = "/virtual_machines/virtual_machine/disks";
    let db1 = "virtual_machine[fqdn]=db-1.acme.katapult.cloud";
    assert_eq!(disks(&mut e, vm_disks, db1), 2);
    let org_disks = "/organizations/organization/disks";
    assert_eq!(
        disks(&mut e, org_disks, "organization[sub_domain]=acme"),
        46
    );
    let keys = send(
        &mut e,
        "GET",
        "/organizations/organization/ssh_keys",
        Some("organization[sub_domain]=acme"),
        None,
        NOW,
    )
    .json_body();
    assert_eq!(keys["pagination"]["total"], 2, "{keys}");
}

#[test]
fn an_empty_seed_has_placeholders_only_and_a_fixture_can_be_given() {
    let mut e = Engine::with_seed(Config::default(), Seed::Empty);
    let orgs = send(&mut e, "GET", "/organizations", None, None, NOW).json_body();
    assert_eq!(orgs["organizations"][0]["sub_domain"], "organization-1");
    assert!(!orgs.to_string().contains("acme"));

    let fixture = Fixture::parse(
        r#"{"organization": [{"id": "org_mine", "name": "Mine", "sub_domain": "mine"}],
            "virtual_machine": [{"id": "vm_mine", "name": "one", "fqdn": "one.mine.example",
                                 "organization": {"id": "org_mine"}, "$under": ["org_mine"]}]}"#,
    )
    .expect("a fixture");
    let mut e = Engine::with_fixture(Config::default(), fixture);
    let list = send(
        &mut e,
        "GET",
        "/organizations/organization/virtual_machines",
        Some("organization[sub_domain]=mine"),
        None,
        NOW,
    )
    .json_body();
    assert_eq!(names(&list), ["one"]);
    e.reset();
    let again = send(
        &mut e,
        "GET",
        "/virtual_machines/virtual_machine",
        Some("virtual_machine[fqdn]=one.mine.example"),
        None,
        NOW,
    )
    .json_body();
    assert_eq!(again["virtual_machine"]["organization"]["name"], "Mine");
    assert!(Fixture::parse("{\"zone\": 1}").is_err());
}

#[test]
fn an_object_that_always_exists_is_one_that_can_be_looked_up() {
    // A data center's default network, with no host: one of the engine's
    // own networks, not one made up for the answer.
    let mut e = Engine::new(Config::default());
    let dcs = send(&mut e, "GET", "/data_centers", None, None, NOW).json_body();
    let dc = dcs["data_centers"][0]["id"]
        .as_str()
        .expect("a data center")
        .to_owned();
    let query = format!("data_center[id]={dc}");
    let default = send(
        &mut e,
        "GET",
        "/data_centers/data_center/default_network",
        Some(&query),
        None,
        NOW,
    )
    .json_body();
    let id = default["network"]["id"]
        .as_str()
        .expect("a network")
        .to_owned();
    let found = send(
        &mut e,
        "GET",
        "/networks/network",
        Some(&format!("network[id]={id}")),
        None,
        NOW,
    );
    assert_eq!(found.status, 200, "{}", found.json_body());
    assert_eq!(found.json_body()["network"]["id"], id.as_str());
}
