//! Cross-cutting behaviour and the test hooks: CORS, request ids, rate
//! limits, scripted and random faults, stats, reset, static files, signals.

mod common;

use std::time::{Duration, Instant};

use common::Server;
use serde_json::{json, Value};

const ORGS: &str = "/organizations";

fn assert_cors(r: &common::Resp) {
    assert_eq!(r.header("access-control-allow-origin"), Some("*"));
    assert_eq!(
        r.header("access-control-allow-methods"),
        Some("GET, POST, PUT, PATCH, DELETE, OPTIONS")
    );
    assert_eq!(
        r.header("access-control-allow-headers"),
        Some("Authorization, Content-Type")
    );
    assert_eq!(r.header("access-control-expose-headers"), None);
}

#[tokio::test]
async fn cors_and_request_ids() {
    let s = Server::start(&[]);
    let ok = s.get(ORGS).await;
    assert_eq!(ok.status, 200);
    assert_cors(&ok);
    let err = s.get_as(ORGS, None).await;
    assert_eq!(err.status, 400);
    assert_cors(&err);
    let nf = s.get("/nope").await;
    assert_cors(&nf);

    let pre = s
        .raw(
            "OPTIONS",
            "/core/v1/virtual_machines/virtual_machine",
            &[
                ("Origin", "http://example.test"),
                ("Access-Control-Request-Method", "DELETE"),
                (
                    "Access-Control-Request-Headers",
                    "authorization,content-type",
                ),
            ],
            None,
        )
        .await
        .expect("preflight");
    assert_eq!(pre.status, 200);
    assert!(pre.body.is_empty());
    assert_cors(&pre);

    let ctl = s.control("GET", "/stats", None).await;
    assert_cors(&ctl);
    assert!(ctl.header("x-request-id").is_some());

    let ids: Vec<String> = [&ok, &err, &nf, &pre]
        .iter()
        .map(|r| r.header("x-request-id").expect("x-request-id").to_string())
        .collect();
    for id in &ids {
        assert!(id.starts_with("req_") && id.len() == 20, "{id}");
    }
    let unique: std::collections::HashSet<&String> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len());
    // The token is never echoed.
    for r in [&ok, &err] {
        assert!(!r.text().contains("demo-token"));
        assert!(r.headers.iter().all(|(_, v)| !v.contains("demo-token")));
    }
}

#[tokio::test]
async fn rate_limit() {
    let s = Server::start(&["--rate-limit", "3"]);
    for remaining in ["2", "1", "0"] {
        let r = s.get(ORGS).await;
        assert_eq!(r.status, 200);
        assert_eq!(r.header("x-ratelimit-permitted"), Some("3"));
        assert_eq!(r.header("x-ratelimit-remaining"), Some(remaining));
    }
    let r = s.get(ORGS).await;
    assert_eq!(r.status, 429);
    assert_eq!(r.code(), "rate_limit_reached");
    assert_eq!(r.json()["error"]["detail"], json!({"total_permitted": 3}));
    assert_eq!(
        r.json()["error"]["description"],
        "You have reached the rate limit for this type of request"
    );
    assert_eq!(r.header("retry-after"), None);
    assert_eq!(r.header("x-ratelimit-remaining"), Some("0"));
    assert_cors(&r);
    // Per token.
    let r = s.get_as(ORGS, Some("readonly-token")).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.header("x-ratelimit-remaining"), Some("2"));
    // Reset clears the windows.
    s.control("POST", "/reset", None).await;
    assert_eq!(s.get(ORGS).await.status, 200);
}

#[tokio::test]
async fn scripted_429s_then_ok() {
    let s = Server::start(&[]);
    s.faults(json!({
        "faults": [{"status": 429}, {"status": 429, "retry_after": 2}],
        "method": "GET",
        "path": "/organizations"
    }))
    .await;
    let pending = s.control("GET", "/faults", None).await.json();
    assert_eq!(pending["faults"].as_array().map(Vec::len), Some(2));
    assert_eq!(pending["faults"][0]["path"], "/organizations");

    // Other routes are untouched.
    assert_eq!(s.get("/tasks/task?task[id]=x").await.status, 404);

    let r = s.get(ORGS).await;
    assert_eq!(
        (r.status, r.code()),
        (429, "rate_limit_reached".to_string())
    );
    assert_eq!(r.header("x-ratelimit-remaining"), Some("0"));
    assert!(r.header("x-ratelimit-permitted").is_some());
    assert_eq!(r.header("retry-after"), None);
    assert!(r.json()["error"]["detail"]["total_permitted"].is_u64());
    let r = s.get(ORGS).await;
    assert_eq!(r.status, 429);
    assert_eq!(r.header("retry-after"), Some("2"));
    let r = s.get(ORGS).await;
    assert_eq!(r.status, 200);
    assert_eq!(
        s.control("GET", "/faults", None).await.json()["faults"],
        json!([])
    );
}

#[tokio::test]
async fn scripted_html_truncated_raw_and_errors() {
    let s = Server::start(&[]);
    let real = s.get(ORGS).await;
    s.faults(json!({"faults": [
        {"kind": "html"},
        {"kind": "truncated"},
        {"kind": "raw", "status": 418, "content_type": "text/plain", "body": "I'm a teapot"},
        {"status": 503},
        {"status": 500, "code": "oops", "description": "Broken", "detail": {"x": 1}},
        {"kind": "ok"}
    ]}))
    .await;

    let r = s.get(ORGS).await;
    assert_eq!(r.status, 502);
    assert_eq!(r.header("content-type"), Some("text/html"));
    assert!(r.text().contains("502 Bad Gateway"));
    assert!(serde_json::from_slice::<Value>(&r.body).is_err());

    let r = s.get(ORGS).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.body.len(), real.body.len() / 2);
    assert!(real.body.starts_with(&r.body));
    assert!(serde_json::from_slice::<Value>(&r.body).is_err());

    let r = s.get(ORGS).await;
    assert_eq!(r.status, 418);
    assert_eq!(r.header("content-type"), Some("text/plain"));
    assert_eq!(r.text(), "I'm a teapot");

    let r = s.get(ORGS).await;
    assert_eq!(
        (r.status, r.code()),
        (503, "service_unavailable".to_string())
    );
    assert_eq!(r.header("x-api-schema"), Some("json-error"));
    assert_eq!(
        r.json()["error"]["description"],
        "The service is currently unavailable, please try again later"
    );

    let r = s.get(ORGS).await;
    assert_eq!(
        r.json(),
        json!({"error": {"code": "oops", "description": "Broken", "detail": {"x": 1}}})
    );
    assert_eq!(r.status, 500);

    let r = s.get(ORGS).await;
    assert_eq!(r.body, real.body);

    // Bad fault specs are rejected.
    let r = s
        .control(
            "POST",
            "/faults",
            Some(&json!({"faults": [{"kind": "nope"}]})),
        )
        .await;
    assert_eq!(r.status, 400);
}

#[tokio::test]
async fn scripted_drop_and_delay() {
    let s = Server::start(&[]);
    s.faults(json!({"faults": [{"kind": "drop"}], "path": "/organizations"}))
        .await;
    let r = s
        .raw(
            "GET",
            "/core/v1/organizations",
            &[("Authorization", "Bearer demo-token")],
            None,
        )
        .await;
    assert!(r.is_err(), "expected a network error, got {r:?}");
    // The server is fine afterwards.
    assert_eq!(s.get(ORGS).await.status, 200);

    s.faults(json!({"faults": [{"kind": "ok", "delay_ms": 300}]}))
        .await;
    let started = Instant::now();
    assert_eq!(s.get(ORGS).await.status, 200);
    assert!(started.elapsed() >= Duration::from_millis(300));

    // A dropped POST does not act.
    let id = s.vm_id("web-1").await;
    s.faults(json!({"faults": [{"kind": "drop"}], "method": "POST"}))
        .await;
    let r = s
        .raw(
            "POST",
            "/core/v1/virtual_machines/virtual_machine/stop",
            &[
                ("Authorization", "Bearer demo-token"),
                ("Content-Type", "application/json"),
            ],
            Some(
                json!({"virtual_machine": {"id": id}})
                    .to_string()
                    .as_bytes(),
            ),
        )
        .await;
    assert!(r.is_err());
    assert_eq!(s.vm_state(&id).await, "started");
    let log = s.stats().await["log"].clone();
    let dropped: Vec<&Value> = log
        .as_array()
        .expect("log")
        .iter()
        .filter(|e| e["status"] == 0)
        .collect();
    assert_eq!(dropped.len(), 2);
}

#[tokio::test]
async fn stats_and_log() {
    let s = Server::start(&[]);
    s.get(ORGS).await;
    let r = s.control("POST", "/stats/reset", None).await;
    assert_eq!(r.status, 200);
    let st = s.stats().await;
    assert_eq!(st["requests"], 0);
    assert_eq!(st["log"], json!([]));

    s.get(ORGS).await;
    s.get_as(ORGS, Some("bad")).await;
    s.get_as(ORGS, Some("readonly-token")).await;
    s.get_as(ORGS, None).await;
    s.raw("OPTIONS", "/core/v1/organizations", &[], None)
        .await
        .expect("options");
    s.get(
        "/organizations/organization/virtual_machines?organization%5Bsub_domain%5D=acme&per_page=1",
    )
    .await;
    s.send(
        "POST",
        "/virtual_machines/virtual_machine/start",
        &json!({"virtual_machine": {"fqdn": "nope"}}),
    )
    .await;

    let st = s.stats().await;
    assert_eq!(st["requests"], 6, "OPTIONS not counted");
    assert_eq!(st["by_route"]["GET /organizations"], 4);
    assert_eq!(
        st["by_route"]["GET /organizations/organization/virtual_machines"],
        1
    );
    assert_eq!(
        st["by_route"]["POST /virtual_machines/virtual_machine/start"],
        1
    );
    assert_eq!(st["in_flight"], 0);
    let log = st["log"].as_array().expect("log").clone();
    assert_eq!(log.len(), 6);
    let auths: Vec<&str> = log.iter().filter_map(|e| e["auth"].as_str()).collect();
    assert_eq!(auths, ["ok", "invalid", "readonly", "missing", "ok", "ok"]);
    let statuses: Vec<u64> = log.iter().filter_map(|e| e["status"].as_u64()).collect();
    assert_eq!(statuses, [200, 403, 200, 400, 200, 404]);
    assert_eq!(log[0]["method"], "GET");
    assert_eq!(log[0]["path"], "/organizations");
    assert_eq!(log[0]["query"], "");
    assert_eq!(log[0]["body"], Value::Null);
    assert_eq!(
        log[4]["query"],
        "organization%5Bsub_domain%5D=acme&per_page=1"
    );
    assert_eq!(log[5]["body"], r#"{"virtual_machine":{"fqdn":"nope"}}"#);
    assert!(
        !st.to_string().contains("demo-token"),
        "no tokens in the log"
    );
}

#[tokio::test]
async fn max_in_flight_with_latency() {
    let s = Server::start(&["--latency-ms", "400"]);
    let started = Instant::now();
    let mut handles = Vec::new();
    for _ in 0..5 {
        let addr = s.addr;
        handles.push(tokio::spawn(async move {
            common::request(
                addr,
                "GET",
                "/core/v1/organizations",
                &[("Authorization", "Bearer demo-token")],
                None,
            )
            .await
            .map(|r| r.status)
        }));
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    let mid = s.stats().await;
    assert_eq!(mid["in_flight"], 5);
    for h in handles {
        assert_eq!(h.await.expect("join").expect("request"), 200);
    }
    let elapsed = started.elapsed();
    assert!(elapsed >= Duration::from_millis(400));
    assert!(
        elapsed < Duration::from_millis(1500),
        "requests ran in parallel: {elapsed:?}"
    );
    let st = s.stats().await;
    assert_eq!(st["max_in_flight"], 5);
    assert_eq!(st["in_flight"], 0);
    s.control("POST", "/stats/reset", None).await;
    assert_eq!(s.stats().await["max_in_flight"], 0);
}

#[tokio::test]
async fn reset_restores_seeded_state() {
    let s = Server::start(&["--task-ms", "50"]);
    let id = s.vm_id("db-1").await;
    let before = s
        .get(&format!(
            "/virtual_machines/virtual_machine?virtual_machine[id]={id}"
        ))
        .await
        .body;
    let r = s
        .send(
            "DELETE",
            "/virtual_machines/virtual_machine",
            &json!({"virtual_machine": {"id": id}}),
        )
        .await;
    assert_eq!(r.status, 200);
    s.faults(json!({"faults": [{"status": 503}]})).await;
    let r = s.control("POST", "/reset", None).await;
    assert_eq!(r.status, 200);
    let after = s
        .get(&format!(
            "/virtual_machines/virtual_machine?virtual_machine[id]={id}"
        ))
        .await;
    assert_eq!(after.status, 200, "fault cleared and VM back");
    assert_eq!(after.body, before);
    let st = s.stats().await;
    assert_eq!(st["requests"], 1);
}

#[tokio::test]
async fn random_faults() {
    let s = Server::start(&["--fault-rate", "1", "--fault-kinds", "503"]);
    for _ in 0..3 {
        let r = s.get(ORGS).await;
        assert_eq!(
            (r.status, r.code()),
            (503, "service_unavailable".to_string())
        );
    }
    // Scripted faults win.
    s.faults(json!({"faults": [{"kind": "ok"}]})).await;
    assert_eq!(s.get(ORGS).await.status, 200);

    let args = [
        "--fault-rate",
        "0.5",
        "--fault-kinds",
        "503,html502,truncated",
        "--fault-seed",
        "7",
    ];
    let a = Server::start(&args);
    let b = Server::start(&args);
    let mut seq_a = Vec::new();
    let mut seq_b = Vec::new();
    for _ in 0..20 {
        let ra = a.get(ORGS).await;
        let rb = b.get(ORGS).await;
        seq_a.push((ra.status, ra.body.len()));
        seq_b.push((rb.status, rb.body.len()));
    }
    assert_eq!(seq_a, seq_b, "same seed, same faults");
    let faulted = seq_a
        .iter()
        .filter(|(st, len)| *st != 200 || *len < 500)
        .count();
    assert!((3..=17).contains(&faulted), "{seq_a:?}");
}

#[tokio::test]
async fn bad_input_never_crashes() {
    let s = Server::start(&[]);
    let list = "/organizations/organization/virtual_machines";
    let cases = [
        format!("{list}?organization=acme&organization[id]=x"),
        format!("{list}?organization[sub_domain]=acme&page=99999999999999999999999"),
        format!("{list}?organization[sub_domain]=acme&per_page=99999999999999999999999"),
        format!("{list}?organization[sub_domain]=%ff%fe&x=%zz"),
        format!("{list}?organization[sub_domain][]=acme"),
        format!("{list}?organization[sub_domain]=acme&annotations=x"),
        format!("{list}?organization[sub_domain]=acme&annotations[]=x"),
        format!("{list}?{}", "a[".repeat(200)),
        "/virtual_machines/virtual_machine?virtual_machine=1".to_string(),
        "/virtual_machines/virtual_machine?virtual_machine[id][x]=1".to_string(),
    ];
    for c in &cases {
        let r = s.get(c).await;
        assert!(r.status < 600, "{c}");
        assert!(
            r.json()["error"].is_object() || r.json()["pagination"].is_object(),
            "{c}"
        );
    }
    let r = s.get(&cases[0]).await;
    assert_eq!(
        (r.status, r.code()),
        (500, "unhandled_exception".to_string())
    );
    let r = s.get(&cases[1]).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["virtual_machines"], json!([]));
    for body in [
        &b"[1,2]"[..],
        b"\"x\"",
        b"{{{{",
        &[0xff, 0xfe][..],
        b"{\"virtual_machine\": 5}",
    ] {
        let r = s
            .raw(
                "POST",
                "/core/v1/virtual_machines/virtual_machine/start",
                &[
                    ("Authorization", "Bearer demo-token"),
                    ("Content-Type", "application/json"),
                ],
                Some(body),
            )
            .await
            .expect("request");
        assert_eq!(r.status, 400, "{body:?}");
    }
    assert_eq!(s.get(ORGS).await.status, 200, "still alive");
}

#[tokio::test]
async fn static_files() {
    let dir = std::env::temp_dir().join(format!("katapult-mock-static-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("mkdir");
    std::fs::write(dir.join("index.html"), "<h1>demo</h1>").expect("write");
    std::fs::write(dir.join("app.js"), "console.log(1)").expect("write");
    let s = Server::start(&["--static", dir.to_str().expect("utf-8 path")]);
    let r = s.raw("GET", "/", &[], None).await.expect("request");
    assert_eq!(r.status, 200);
    assert_eq!(r.text(), "<h1>demo</h1>");
    let r = s.raw("GET", "/app.js", &[], None).await.expect("request");
    assert_eq!(r.text(), "console.log(1)");
    assert_eq!(s.get(ORGS).await.status, 200);
    assert_eq!(s.control("GET", "/stats", None).await.status, 200);
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn exits_cleanly_on_sigterm() {
    let mut s = Server::start(&[]);
    assert!(s
        .banner
        .starts_with("katapult-mock listening on http://127.0.0.1:"));
    assert_eq!(s.get(ORGS).await.status, 200);
    let status = std::process::Command::new("kill")
        .args(["-TERM", &s.pid().to_string()])
        .status()
        .expect("kill");
    assert!(status.success());
    let exit = s.wait_exit(Duration::from_secs(5)).expect("exited");
    assert!(exit.success(), "{exit:?}");
}

#[test]
fn a_busy_port_is_its_own_failure() {
    let held = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = held.local_addr().expect("addr").port().to_string();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_katapult-mock"))
        .args(["--port", &port])
        .output()
        .expect("run katapult-mock");
    assert_eq!(out.status.code(), Some(3), "{out:?}");
    assert!(out.stdout.is_empty(), "no banner: it never listened");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!("port {port} is already in use")) && stderr.contains("--port"),
        "{stderr}"
    );
}
