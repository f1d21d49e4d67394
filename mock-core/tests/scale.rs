//! The engine with 10,000 generated VMs (`--seed-vms`, `make bench`):
//! seeded and listed page by page quickly (a page costs a page, not the
//! list), found by FQDN, filtered by annotation.

use std::time::{Duration, Instant};

use katapult_mock_core::{Config, Engine, NoHost, Request};
use serde_json::{json, Value};

const LIST: &str = "/organizations/organization/virtual_machines";

fn get(e: &mut Engine, path: &str, query: &str) -> Value {
    let request = Request {
        method: "GET",
        path,
        query: Some(query),
        content_type: None,
        body: b"",
    };
    let a = e
        .handle(&mut NoHost, &request, 1_800_000_000_000)
        .expect("op");
    assert_eq!(a.status, 200, "{path}?{query}: {:?}", a.json_body());
    a.json_body()
}

fn names(list: &Value) -> Vec<String> {
    list["virtual_machines"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|v| v["name"].as_str().map(str::to_owned))
        .collect()
}

#[test]
fn ten_thousand_generated_vms() {
    // Generous bounds: the tests run unoptimised, beside each other.
    let started = Instant::now();
    let mut e = Engine::new(Config::default()).with_generated_vms(10_000);
    let r = get(&mut e, LIST, "organization[sub_domain]=acme");
    assert_eq!(
        r["pagination"],
        json!({"current_page": 1, "total_pages": 334, "total": 10000, "per_page": 30, "large_set": false})
    );
    assert_eq!(names(&r)[0], "vm-00001");
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "seeding took {:?}",
        started.elapsed()
    );
    let last = names(&get(&mut e, LIST, "organization[sub_domain]=acme&page=334"));
    assert_eq!(last.len(), 10);
    assert_eq!(last.last().map(String::as_str), Some("vm-10000"));

    let started = Instant::now();
    let mut seen = 0;
    for page in 1..=50 {
        let q = format!("organization[sub_domain]=acme&per_page=200&page={page}");
        seen += names(&get(&mut e, LIST, &q)).len();
    }
    assert_eq!(seen, 10_000);
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "paging took {:?}",
        started.elapsed()
    );

    let vm = get(
        &mut e,
        "/virtual_machines/virtual_machine",
        "virtual_machine[fqdn]=vm-05000.acme.katapult.cloud",
    );
    let id = vm["virtual_machine"]["id"].as_str().expect("id").to_owned();
    assert_eq!(
        vm["virtual_machine"]["ip_addresses"]
            .as_array()
            .map(Vec::len),
        Some(2)
    );
    let q = format!("virtual_machine[id]={id}");
    let disks = get(&mut e, "/virtual_machines/virtual_machine/disks", &q);
    assert_eq!(disks["pagination"]["total"], 1);
    let web = get(
        &mut e,
        LIST,
        "organization[sub_domain]=acme&annotations[][key]=team&annotations[][value]=web",
    );
    assert_eq!(web["pagination"]["total"], 3334);
    let globex = get(&mut e, LIST, "organization[sub_domain]=globex");
    assert!(
        globex["pagination"]["total"]
            .as_u64()
            .is_some_and(|n| n < 10),
        "{globex}"
    );
}
