//! A VM's network interface and its addresses: allocate one, change its
//! reverse DNS, unallocate it (the organization keeps it), in the
//! document's shapes.

mod common;

use common::Server;
use serde_json::{json, Value};

async fn interfaces(s: &Server, vm: &str) -> Vec<Value> {
    s.get(&format!(
        "/virtual_machines/virtual_machine/network_interfaces?virtual_machine[id]={vm}"
    ))
    .await
    .answers("get:virtual_machine_network_interfaces")["virtual_machine_network_interfaces"]
        .as_array()
        .expect("list")
        .clone()
}

#[tokio::test]
async fn an_address_is_allocated_renamed_and_unallocated() {
    let s = Server::start(&[]);
    let vm = s.vm_id("web-1").await;
    let nics = interfaces(&s, &vm).await;
    assert_eq!(nics.len(), 1);
    let nic = nics[0]["id"].as_str().expect("nic").to_owned();
    let before = nics[0]["ip_addresses"]
        .as_array()
        .map(Vec::len)
        .unwrap_or(0);
    let one = s
        .get(&format!("/virtual_machine_network_interfaces/virtual_machine_network_interface?virtual_machine_network_interface[id]={nic}"))
        .await
        .answers("get:v_m_n_i__v_m_n_i");
    assert_eq!(
        one["virtual_machine_network_interface"]["virtual_machine"]["id"],
        vm.as_str()
    );

    let path =
        "/virtual_machine_network_interfaces/virtual_machine_network_interface/allocate_new_ip";
    let v6 = s
        .send(
            "POST",
            path,
            &json!({"virtual_machine_network_interface": {"id": nic}, "address_version": "ipv6"}),
        )
        .await
        .answers("post:virtual_machine_network_interface_allocate_new_ip");
    let ip = v6["ip_address"].clone();
    assert!(
        ip["address"].as_str().is_some_and(|a| a.contains(':')),
        "{ip}"
    );
    assert_eq!(ip["allocation_id"], vm.as_str());
    assert_eq!(
        interfaces(&s, &vm).await[0]["ip_addresses"]
            .as_array()
            .map(Vec::len),
        Some(before + 1)
    );
    let bad = s
        .send(
            "POST",
            path,
            &json!({"virtual_machine_network_interface": {"id": nic}, "address_version": "ipv5"}),
        )
        .await;
    assert_eq!(bad.code(), "invalid_argument");

    let id = ip["id"].as_str().expect("ip id").to_owned();
    let renamed = s
        .send("PATCH", "/ip_addresses/ip_address", &json!({"ip_address": {"id": id}, "reverse_dns": "mail.example.com", "label": "mail <b>"}))
        .await
        .answers("patch:ip_address");
    assert_eq!(
        (
            renamed["ip_address"]["reverse_dns"].as_str(),
            renamed["ip_address"]["label"].as_str()
        ),
        (Some("mail.example.com"), Some("mail <b>"))
    );
    let refused = s
        .send(
            "PATCH",
            "/ip_addresses/ip_address",
            &json!({"ip_address": {"id": id}, "reverse_dns": "not a host name"}),
        )
        .await;
    assert_eq!(
        (refused.status, refused.code()),
        (422, "validation_error".to_owned())
    );

    s.send(
        "POST",
        "/ip_addresses/ip_address/unallocate",
        &json!({"ip_address": {"id": id}}),
    )
    .await
    .answers("post:ip_address_unallocate");
    assert_eq!(
        interfaces(&s, &vm).await[0]["ip_addresses"]
            .as_array()
            .map(Vec::len),
        Some(before)
    );
    let kept = s
        .get(&format!("/ip_addresses/ip_address?ip_address[id]={id}"))
        .await
        .answers("get:ip_address");
    assert!(
        kept["allocation"].is_null() && kept["ip_address"]["allocation_id"].is_null(),
        "{kept}"
    );
    let again = s
        .send(
            "POST",
            "/ip_addresses/ip_address/unallocate",
            &json!({"ip_address": {"id": id}}),
        )
        .await;
    assert_eq!(
        (again.status, again.code()),
        (422, "no_allocation".to_owned())
    );

    let missing = s
        .get("/ip_addresses/ip_address?ip_address[address]=192.0.2.250")
        .await;
    assert_eq!(
        (missing.status, missing.code()),
        (404, "ip_address_not_found".to_owned())
    );
    let no_nic = s
        .get("/virtual_machine_network_interfaces/virtual_machine_network_interface?virtual_machine_network_interface[id]=vmnic_nope")
        .await;
    assert_eq!(no_nic.code(), "virtual_machine_network_interface_not_found");
}

#[tokio::test]
async fn a_seeded_address_is_found_by_address_and_shows_its_vm() {
    let s = Server::start(&[]);
    let vm = s.vm_id("web-1").await;
    let full = s
        .get(&format!(
            "/virtual_machines/virtual_machine?virtual_machine[id]={vm}"
        ))
        .await
        .answers("get:virtual_machine");
    let address = full["virtual_machine"]["ip_addresses"][0]["address"]
        .as_str()
        .expect("an address")
        .to_owned();
    let found = s
        .get(&format!(
            "/ip_addresses/ip_address?ip_address[address]={address}"
        ))
        .await
        .answers("get:ip_address");
    assert_eq!(found["ip_address"]["allocation_id"], vm.as_str());
}
