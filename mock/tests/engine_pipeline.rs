//! The operations the engine answers go through the same pipeline as the
//! hand-written routes: request ids, CORS, authentication, the document's
//! scopes, the rate limit, scripted faults and the stats log. And what is
//! no operation is still `route_not_found`.

mod common;

use std::time::Duration;

use common::Server;
use serde_json::json;

const ZONES: &str = "/organizations/organization/dns_zones";

#[tokio::test]
async fn engine_operations_share_the_pipeline() {
    let s = Server::start(&["--rate-limit", "2"]);
    let list = format!("{ZONES}?organization[sub_domain]=acme");

    // Answered, with a request id and CORS, and logged like any route.
    let r = s.get(&list).await;
    r.answers("get:organization_dns_zones");
    assert!(r
        .header("x-request-id")
        .is_some_and(|v| v.starts_with("req_")));
    assert_eq!(r.header("access-control-allow-origin"), Some("*"));
    assert_eq!(r.header("x-ratelimit-permitted"), Some("2"));
    let log = s.stats().await["log"].clone();
    let last = &log[log.as_array().map_or(0, |l| l.len()) - 1];
    assert_eq!(
        (last["path"].clone(), last["status"].clone()),
        (json!(ZONES), json!(200))
    );

    // Authentication and the document's scopes, before the arguments.
    let r = s.get_as(&list, None).await;
    assert_eq!((r.status, r.code()), (400, "missing_api_token".to_string()));
    let r = s.get_as(&list, Some("readonly-token")).await;
    assert_eq!(r.status, 200, "{}", r.text());
    let r = s
        .send_as("POST", ZONES, &json!({}), Some("readonly-token"))
        .await;
    assert_eq!((r.status, r.code()), (403, "scope_not_granted".to_string()));
    assert_eq!(r.json()["error"]["detail"]["scopes"], json!(["dns"]));

    // A scripted fault on the engine's path.
    s.faults(json!({"faults": [{"status": 503, "code": "service_unavailable"}], "path": ZONES}))
        .await;
    let r = s.get(&list).await;
    assert_eq!(
        (r.status, r.code()),
        (503, "service_unavailable".to_string())
    );

    // The rate limit counts engine operations too: two a minute for the
    // token (the faulted request was not counted; the read-only token has
    // its own window).
    let r = s.get(&list).await;
    assert_eq!(r.header("x-ratelimit-remaining"), Some("0"));
    let r = s.get(&list).await;
    assert_eq!(r.status, 429, "{}", r.text());
    assert_eq!(r.code(), "rate_limit_reached");
}

#[tokio::test]
async fn what_is_no_operation_is_route_not_found() {
    let s = Server::start(&[]);
    let r = s.get("/dns_zones/dns_zone/nope").await;
    assert_eq!((r.status, r.code()), (404, "route_not_found".to_string()));
    // PUT is no method of /dns_zones/dns_zone.
    let r = s.send("PUT", "/dns_zones/dns_zone", &json!({})).await;
    assert_eq!((r.status, r.code()), (404, "route_not_found".to_string()));
    let r = s
        .raw("OPTIONS", "/core/v1/dns_zones/dns_zone", &[], None)
        .await
        .expect("preflight");
    assert_eq!(r.status, 200);
}

#[tokio::test]
async fn engine_tasks_run_to_completion_and_are_found_by_get_task() {
    let s = Server::start(&["--task-ms", "100"]);
    let r = s
        .send(
            "POST",
            "/organizations/organization/trash_objects/purge_all",
            &json!({"organization": {"sub_domain": "acme"}}),
        )
        .await;
    let body = r.answers("post:organization_trash_objects_purge_all");
    let id = body["task"]["id"].as_str().expect("task id");
    assert_eq!(body["task"]["name"], "Purge all trash objects");
    let task = s.wait_task(id, Duration::from_secs(5)).await;
    assert_eq!(
        (task["status"].clone(), task["progress"].clone()),
        (json!("completed"), json!(100))
    );
}

#[tokio::test]
async fn a_suspended_organization_is_refused_where_documented() {
    let s = Server::start(&[]);
    let r = s
        .get(&format!("{ZONES}?organization[sub_domain]=initech"))
        .await;
    assert_eq!(
        (r.status, r.code()),
        (403, "organization_suspended".to_string())
    );
    let r = s
        .get(&format!("{ZONES}?organization[sub_domain]=nope"))
        .await;
    assert_eq!(
        (r.status, r.code()),
        (404, "organization_not_found".to_string())
    );
}

#[tokio::test]
async fn reset_forgets_what_the_engine_created() {
    let s = Server::start(&[]);
    let create =
        json!({"organization": {"sub_domain": "acme"}, "properties": {"name": "example.com"}});
    s.send("POST", ZONES, &create)
        .await
        .answers("post:organization_dns_zones");
    let list = format!("{ZONES}?organization[sub_domain]=acme");
    assert_eq!(s.get(&list).await.json()["pagination"]["total"], 1);
    s.control("POST", "/reset", None).await;
    assert_eq!(s.get(&list).await.json()["pagination"]["total"], 0);
}
