//! What the document cannot say about arguments, in the engine alone (as
//! the in-process mock runs it, and as the server's routes did): a VM's
//! settings, an IP address's reverse DNS and label, a new address on an
//! interface, an SSH key's form, and the disk template filters.

use katapult_mock_core::{Answer, Config, Engine};
use serde_json::{json, Value};

const NOW: u64 = 1_800_000_000_000;
const VM: &str = "/virtual_machines/virtual_machine";

mod common;

fn send(e: &mut Engine, method: &str, path: &str, body: Value) -> Answer {
    common::send(e, method, path, body, NOW)
}

fn get(e: &mut Engine, path: &str, query: &str) -> Value {
    let a = common::get(e, path, query, NOW);
    assert_eq!(a.status, 200, "{path}?{query}: {:?}", a.json_body());
    a.json_body()
}

fn error(a: &Answer) -> (u16, String) {
    (
        a.status,
        a.json_body()["error"]["code"]
            .as_str()
            .unwrap_or_default()
            .to_owned(),
    )
}

fn vm(e: &mut Engine, fqdn: &str) -> Value {
    get(e, VM, &format!("virtual_machine[fqdn]={fqdn}"))["virtual_machine"].clone()
}

fn names(list: &Value, key: &str) -> Vec<String> {
    list.as_array()
        .into_iter()
        .flatten()
        .filter_map(|o| o[key].as_str().map(str::to_owned))
        .collect()
}

#[test]
fn disk_templates_are_filtered_by_universal_and_operating_system() {
    let mut e = Engine::new(Config::default());
    let path = "/organizations/organization/disk_templates";
    let all = get(&mut e, path, "organization[sub_domain]=acme");
    let templates = all["disk_templates"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(templates.len(), 5);
    let own = get(
        &mut e,
        path,
        "organization[sub_domain]=acme&include_universal=false",
    );
    assert_eq!(
        own["disk_templates"],
        json!([]),
        "every seeded template is universal"
    );
    assert_eq!(own["pagination"]["total"], 0);
    let os = templates[0]["operating_system"]["id"].as_str().expect("os");
    let of_os = get(
        &mut e,
        path,
        &format!("organization[sub_domain]=acme&operating_system[id]={os}"),
    );
    let list = of_os["disk_templates"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(!list.is_empty() && list.len() < 5, "{list:?}");
    assert!(list.iter().all(|t| t["operating_system"]["id"] == os));
    let bad = common::get(
        &mut e,
        path,
        "organization[sub_domain]=acme&include_universal=maybe",
        NOW,
    );
    assert_eq!(error(&bad), (400, "invalid_argument".into()));
}

#[test]
fn an_ssh_key_must_be_an_openssh_public_key_and_is_listed_after() {
    let mut e = Engine::new(Config::default());
    let path = "/organizations/organization/ssh_keys";
    let added = send(
        &mut e,
        "POST",
        path,
        json!({"organization": {"sub_domain": "acme"},
               "ssh_key": {"name": "laptop <b>2</b>", "key": "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBx2 me@host"}}),
    );
    assert_eq!(added.status, 201, "{:?}", added.json_body());
    let key = &added.json_body()["ssh_key"];
    assert_eq!(key["name"], "laptop <b>2</b>");
    assert!(key["fingerprint"]
        .as_str()
        .is_some_and(|f| f.starts_with("SHA256:")));
    let keys = get(&mut e, path, "organization[sub_domain]=acme");
    assert_eq!(
        names(&keys["ssh_keys"], "name").last().map(String::as_str),
        Some("laptop <b>2</b>")
    );
    for (name, key) in [("", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5"), ("x", "not a key")] {
        let bad = send(
            &mut e,
            "POST",
            path,
            json!({"organization": {"sub_domain": "acme"}, "ssh_key": {"name": name, "key": key}}),
        );
        assert_eq!(
            error(&bad),
            (422, "validation_error".into()),
            "{name} {key}"
        );
    }
}

#[test]
fn a_new_address_is_on_the_interface_and_its_settings_are_checked() {
    let mut e = Engine::new(Config::default());
    let web = vm(&mut e, "web-2.acme.katapult.cloud");
    let vm_id = web["id"].as_str().expect("vm").to_owned();
    let nics = get(
        &mut e,
        "/virtual_machines/virtual_machine/network_interfaces",
        &format!("virtual_machine[id]={vm_id}"),
    );
    let nic = nics["virtual_machine_network_interfaces"][0].clone();
    let before = nic["ip_addresses"].as_array().map_or(0, Vec::len);
    let path =
        "/virtual_machine_network_interfaces/virtual_machine_network_interface/allocate_new_ip";
    let v6 = send(
        &mut e,
        "POST",
        path,
        json!({"virtual_machine_network_interface": {"id": nic["id"]}, "address_version": "ipv6"}),
    );
    assert_eq!(v6.status, 200, "{:?}", v6.json_body());
    let ip = v6.json_body()["ip_address"].clone();
    assert!(
        ip["address"].as_str().is_some_and(|a| a.contains(':')),
        "{ip}"
    );
    assert_eq!(ip["allocation_id"], vm_id.as_str());
    assert_eq!(ip["network"]["id"], nic["network"]["id"]);
    assert_eq!(ip["network"]["name"], nic["network"]["name"]);
    let nics = get(
        &mut e,
        "/virtual_machines/virtual_machine/network_interfaces",
        &format!("virtual_machine[id]={vm_id}"),
    );
    let after = &nics["virtual_machine_network_interfaces"][0]["ip_addresses"];
    assert_eq!(after.as_array().map(Vec::len), Some(before + 1));
    let bad = send(
        &mut e,
        "POST",
        path,
        json!({"virtual_machine_network_interface": {"id": nic["id"]}, "address_version": "ipv5"}),
    );
    assert_eq!(error(&bad), (400, "invalid_argument".into()));

    let id = ip["id"].as_str().expect("ip id");
    let renamed = send(
        &mut e,
        "PATCH",
        "/ip_addresses/ip_address",
        json!({"ip_address": {"id": id}, "reverse_dns": "mail.example.com", "label": "mail <b>"}),
    );
    let renamed = renamed.json_body()["ip_address"].clone();
    assert_eq!(
        (renamed["reverse_dns"].as_str(), renamed["label"].as_str()),
        (Some("mail.example.com"), Some("mail <b>"))
    );
    let on_vm = vm(&mut e, "web-2.acme.katapult.cloud")["ip_addresses"].clone();
    assert!(on_vm
        .as_array()
        .into_iter()
        .flatten()
        .any(|i| i["id"] == id && i["reverse_dns"] == "mail.example.com"));
    let refused = send(
        &mut e,
        "PATCH",
        "/ip_addresses/ip_address",
        json!({"ip_address": {"id": id}, "reverse_dns": "not a host name"}),
    );
    assert_eq!(error(&refused), (422, "validation_error".into()));
}

#[test]
fn patch_changes_what_it_is_given_and_nothing_else() {
    let mut e = Engine::new(Config::default());
    let id = vm(&mut e, "web-2.acme.katapult.cloud")["id"]
        .as_str()
        .expect("vm")
        .to_owned();
    let groups = get(
        &mut e,
        "/organizations/organization/virtual_machine_groups",
        "organization[sub_domain]=acme",
    );
    let db_group = groups["virtual_machine_groups"][1]["id"].clone();
    let patched = send(
        &mut e,
        "PATCH",
        VM,
        json!({"virtual_machine": {"id": id}, "properties": {
            "name": "Web two <b>",
            "description": "Second web server",
            "tag_names": ["frontend", "brand-new", "frontend"],
            "group": {"id": db_group},
        }}),
    );
    assert_eq!(patched.status, 200, "{:?}", patched.json_body());
    let v = patched.json_body()["virtual_machine"].clone();
    assert_eq!(v["name"], "Web two <b>");
    assert_eq!(v["description"], "Second web server");
    assert_eq!(v["tag_names"], json!(["frontend", "brand-new"]));
    assert_eq!(names(&v["tags"], "name"), ["frontend", "brand-new"]);
    assert_eq!(v["group"]["id"], db_group);
    assert_eq!(v["hostname"], "web-2", "not given, not changed");

    let renamed = send(
        &mut e,
        "PATCH",
        VM,
        json!({"virtual_machine": {"id": id}, "properties": {"hostname": "web-22"}}),
    );
    assert_eq!(
        renamed.json_body()["virtual_machine"]["fqdn"],
        "web-22.acme.katapult.cloud"
    );
    assert_eq!(vm(&mut e, "web-22.acme.katapult.cloud")["id"], id.as_str());
    assert_eq!(
        vm(&mut e, "web-22.acme.katapult.cloud")["name"],
        "Web two <b>"
    );
    for (hostname, message) in [("web-1", "already been taken"), ("bad host!", "invalid")] {
        let r = send(
            &mut e,
            "PATCH",
            VM,
            json!({"virtual_machine": {"id": id}, "properties": {"hostname": hostname}}),
        );
        assert_eq!(error(&r), (422, "validation_error".into()), "{hostname}");
        assert!(
            r.json_body().to_string().contains(message),
            "{:?}",
            r.json_body()
        );
    }
    for props in [
        json!({"name": "  "}),
        json!({"group": {"id": "vmgrp_nope"}}),
    ] {
        let r = send(
            &mut e,
            "PATCH",
            VM,
            json!({"virtual_machine": {"id": id}, "properties": props}),
        );
        assert_eq!(error(&r), (422, "validation_error".into()), "{props}");
    }
    let no_group = send(
        &mut e,
        "PATCH",
        VM,
        json!({"virtual_machine": {"id": id}, "properties": {"group": null}}),
    );
    assert!(no_group.json_body()["virtual_machine"]["group"].is_null());
}

#[test]
fn every_data_centers_network_is_available() {
    let mut e = Engine::new(Config::default());
    let networks = get(
        &mut e,
        "/organizations/organization/available_networks",
        "organization[sub_domain]=acme",
    );
    assert_eq!(
        names(&networks["networks"], "permalink"),
        ["uk-lon-public", "nl-ams-public", "us-nyc-public"]
    );
}
