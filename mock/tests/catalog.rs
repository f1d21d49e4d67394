//! What a build form picks from: data centers, zones, packages, disk
//! templates, SSH keys and networks — in the document's shapes, paginated
//! where the document paginates, scoped to the organization asked for.

mod common;

use common::Server;
use serde_json::Value;

fn names(list: &Value, key: &str) -> Vec<String> {
    list.as_array()
        .expect("array")
        .iter()
        .map(|x| x[key].as_str().expect(key).to_owned())
        .collect()
}

#[tokio::test]
async fn the_catalogue_answers_in_the_documents_shapes() {
    let s = Server::start(&[]);
    let dcs = s.get("/data_centers").await.answers("get:data_centers");
    assert_eq!(
        names(&dcs["data_centers"], "permalink"),
        ["uk-lon", "nl-ams", "us-nyc"]
    );
    assert_eq!(dcs["data_centers"][0]["country"]["name"], "United Kingdom");

    let zones = s.get("/zones").await.answers("get:zones");
    assert_eq!(
        names(&zones["zones"], "permalink"),
        ["uk-lon-01", "nl-ams-01", "us-nyc-01"]
    );
    assert_eq!(zones["zones"][1]["data_center"]["permalink"], "nl-ams");

    let packages = s
        .get("/virtual_machine_packages?per_page=2&page=2")
        .await
        .answers("get:virtual_machine_packages");
    assert_eq!(
        names(&packages["virtual_machine_packages"], "permalink"),
        ["rock-12", "rock-24"]
    );
    assert_eq!(packages["pagination"]["total"], 5);
    assert_eq!(packages["pagination"]["total_pages"], 3);

    let templates = s
        .get("/organizations/organization/disk_templates?organization[sub_domain]=acme")
        .await
        .answers("get:organization_disk_templates");
    let permalinks = names(&templates["disk_templates"], "permalink");
    assert!(
        permalinks.contains(&"templates/ubuntu-24-04".to_owned()),
        "{permalinks:?}"
    );
    assert!(templates["disk_templates"][0]["latest_version"]["number"].is_i64());
    let own = s
        .get("/organizations/organization/disk_templates?organization[sub_domain]=acme&include_universal=false")
        .await
        .answers("get:organization_disk_templates");
    assert_eq!(
        own["disk_templates"].as_array().map(Vec::len),
        Some(0),
        "every seeded template is universal"
    );

    let keys = s
        .get("/organizations/organization/ssh_keys?organization[sub_domain]=acme")
        .await
        .answers("get:organization_ssh_keys");
    assert_eq!(
        names(&keys["ssh_keys"], "name"),
        ["ops@acme laptop", "deploy (CI)"]
    );
    let theirs = s
        .get("/organizations/organization/ssh_keys?organization[sub_domain]=globex")
        .await
        .answers("get:organization_ssh_keys");
    assert_eq!(
        names(&theirs["ssh_keys"], "name"),
        ["globex admin"],
        "each organization sees its own keys"
    );

    let networks = s
        .get("/organizations/organization/available_networks?organization[sub_domain]=acme")
        .await
        .answers("get:organization_available_networks");
    assert_eq!(
        names(&networks["networks"], "permalink"),
        ["uk-lon-public", "nl-ams-public", "us-nyc-public"]
    );
    assert_eq!(
        networks["virtual_networks"].as_array().map(Vec::len),
        Some(0)
    );
}

#[tokio::test]
async fn organization_lists_refuse_unknown_and_unusable_organizations() {
    let s = Server::start(&[]);
    for path in ["disk_templates", "ssh_keys", "available_networks"] {
        let missing = s
            .get(&format!(
                "/organizations/organization/{path}?organization[sub_domain]=nope"
            ))
            .await;
        assert_eq!(
            (missing.status, missing.code()),
            (404, "organization_not_found".to_owned()),
            "{path}"
        );
        let suspended = s
            .get(&format!(
                "/organizations/organization/{path}?organization[sub_domain]=initech"
            ))
            .await;
        assert_eq!(suspended.code(), "organization_suspended", "{path}");
    }
    let bad = s
        .get("/organizations/organization/disk_templates?organization[sub_domain]=acme&include_universal=maybe")
        .await;
    assert_eq!(
        (bad.status, bad.code()),
        (400, "invalid_argument".to_owned())
    );
    let page = s.get("/virtual_machine_packages?per_page=0").await;
    assert_eq!(page.code(), "invalid_argument");
}

#[tokio::test]
async fn ssh_keys_can_be_added_and_are_listed_after() {
    let s = Server::start(&[]);
    let added = s
        .send(
            "POST",
            "/organizations/organization/ssh_keys",
            &serde_json::json!({
                "organization": {"sub_domain": "acme"},
                "ssh_key": {"name": "laptop <b>2</b>", "key": "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBx2 me@host"},
            }),
        )
        .await
        .answers("post:organization_ssh_keys");
    assert_eq!(added["ssh_key"]["name"], "laptop <b>2</b>");
    assert!(added["ssh_key"]["fingerprint"]
        .as_str()
        .is_some_and(|f| f.starts_with("SHA256:")));
    let keys = s
        .get("/organizations/organization/ssh_keys?organization[sub_domain]=acme")
        .await
        .answers("get:organization_ssh_keys");
    assert_eq!(
        names(&keys["ssh_keys"], "name").last().map(String::as_str),
        Some("laptop <b>2</b>")
    );

    let bad = s
        .send(
            "POST",
            "/organizations/organization/ssh_keys",
            &serde_json::json!({"organization": {"sub_domain": "acme"}, "ssh_key": {"name": "", "key": "not a key"}}),
        )
        .await;
    assert_eq!(
        (bad.status, bad.code()),
        (422, "validation_error".to_owned())
    );
    assert_eq!(
        bad.json()["error"]["detail"]["errors"]
            .as_array()
            .map(Vec::len),
        Some(2)
    );
}
