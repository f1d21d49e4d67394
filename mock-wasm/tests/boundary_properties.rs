//! The byte boundary of `katapult-mock.wasm` under hostile input, natively
//! (debug builds check arithmetic too): garbage bytes, lengths that do not
//! add up, invalid UTF-8, deep JSON, huge bodies, and well-formed requests
//! for every operation with arguments of the wrong kinds. Nothing panics
//! (a panic would trap the module and lose every mock in it), every call
//! answers a value or a message, every answer is a well-formed HTTP answer,
//! and nothing is left held once each request is answered or abandoned.
#![cfg(not(target_arch = "wasm32"))]

use katapult_mock_core::plan::Plan;
use katapult_mock_wasm::boundary::{self, MAX_HEAD};
use katapult_mock_wasm::mock::MAX_BODY;
use proptest::prelude::*;
use serde_json::{json, Value};

const TOKEN: &str = "katapult-mock-token";

fn new_mock(seed: &str) -> u32 {
    let options = json!({ "options": { "seed": seed }, "token": TOKEN }).to_string();
    assert!(boundary::write_input(options.as_bytes()));
    let handle = boundary::create(options.len());
    assert!(
        handle > 0,
        "{}",
        String::from_utf8_lossy(&boundary::output_bytes())
    );
    handle
}

/// Receives and answers one request; checks the answer is well formed and
/// nothing stays held.
fn exchange(handle: u32, head: &[u8], body: &[u8], declared_body: usize) -> Option<(u16, Value)> {
    let fits = declared_body <= MAX_BODY;
    let mut input = head.to_vec();
    if fits {
        input.extend_from_slice(body);
    }
    assert!(boundary::write_input(&input));
    let failed = boundary::receive(handle, head.len(), declared_body);
    let out = boundary::output_bytes();
    if failed != 0 {
        assert_eq!(failed, 1);
        assert!(!out.is_empty(), "a refusal says why");
        return None;
    }
    let received: Value = serde_json::from_slice(&out).expect("step one answers JSON");
    let ticket = received["ticket"].as_u64().expect("a ticket") as u32;
    if received["drop"] == true {
        assert_eq!(ticket, 0);
        return None;
    }
    let head_len = boundary::answer(handle, ticket, 1.7e12);
    assert!(
        head_len >= 0,
        "{}",
        String::from_utf8_lossy(&boundary::output_bytes())
    );
    let out = boundary::output_bytes();
    let (head, body) = out.split_at(head_len as usize);
    let head: Value = serde_json::from_slice(head).expect("the answer's head is JSON");
    let status = head["status"].as_u64().expect("a status") as u16;
    assert!((200..600).contains(&status), "{status}");
    let headers = head["headers"].as_array().expect("headers");
    let header = |name: &str| {
        headers
            .iter()
            .find(|h| h[0] == name)
            .and_then(|h| h[1].as_str())
            .map(str::to_owned)
    };
    assert_eq!(header("content-length"), Some(body.len().to_string()));
    assert!(header("x-request-id").is_some_and(|id| id.starts_with("req_")));
    for h in headers {
        let value = h[1].as_str().expect("a header value");
        assert!(value.bytes().all(|b| (0x20..0x7f).contains(&b)), "{h}");
    }
    let json = match header("content-type").as_deref() {
        Some("application/json") => serde_json::from_slice(body).expect("a JSON answer parses"),
        _ => Value::Null,
    };
    assert_eq!(boundary::census().1, 0, "nothing held after the answer");
    Some((status, json))
}

fn head(method: &str, path: &str, query: &str, auth: Option<&str>) -> Vec<u8> {
    json!({
        "method": method,
        "path": path,
        "query": query,
        "authorization": auth,
        "content_type": "application/json",
    })
    .to_string()
    .into_bytes()
}

/// JSON text of arbitrary shape (and sometimes not JSON at all).
fn json_text() -> impl Strategy<Value = Vec<u8>> {
    let leaf = prop_oneof![
        Just(json!(null)),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Value::from),
        ".{0,12}".prop_map(Value::from),
        Just(json!("organization")),
        Just(json!({ "id": "org_x" })),
    ];
    let value = leaf.prop_recursive(6, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::from),
            prop::collection::btree_map(
                prop_oneof![
                    Just("organization".to_owned()),
                    Just("properties".to_owned()),
                    Just("virtual_machine".to_owned()),
                    Just("id".to_owned()),
                    Just("name".to_owned()),
                    "[a-z_]{1,10}",
                ],
                inner,
                0..4
            )
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    });
    prop_oneof![
        4 => value.prop_map(|v| v.to_string().into_bytes()),
        1 => prop::collection::vec(any::<u8>(), 0..64),
        1 => (1usize..400).prop_map(|n| "[".repeat(n).into_bytes()),
    ]
}

/// A query string of Rack's kinds, hostile ones included.
fn query() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        "[a-z_]{1,8}\\[[a-z_]{1,8}\\]=[a-zA-Z0-9_%]{0,12}",
        "([a-z\\[\\]%0-9=&+]{0,40})",
        (1usize..60).prop_map(|n| format!("a{}=1", "[b]".repeat(n))),
        Just("organization[id]=x&organization=y".to_owned()),
        Just("page=-1&per_page=99999999999999999999".to_owned()),
        ".{0,30}",
    ]
}

fn operation() -> impl Strategy<Value = (String, String)> {
    let ops: Vec<(String, String)> = Plan::all()
        .iter()
        .map(|p| {
            (
                p.op.method().as_str().to_owned(),
                format!("/core/v1{}", p.op.path()),
            )
        })
        .collect();
    prop::sample::select(ops)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1500, ..ProptestConfig::default() })]

    /// Any bytes, any lengths: a value or a message, never a panic.
    #[test]
    fn garbage_at_every_entry(
        bytes in prop::collection::vec(any::<u8>(), 0..256),
        a in 0usize..300,
        b in prop_oneof![0usize..300, Just(MAX_BODY + 1), Just(usize::MAX)],
        handle in prop_oneof![Just(0u32), Just(1u32), Just(7u32), any::<u32>()],
        ticket in any::<u32>(),
        now in any::<f64>(),
    ) {
        let mine = new_mock("default");
        for len in [bytes.len(), a, usize::MAX] {
            assert!(boundary::write_input(&bytes));
            let made = boundary::create(len);
            if made > 0 {
                boundary::drop_mock(made);
            } else {
                prop_assert!(!boundary::output_bytes().is_empty());
            }
            assert!(boundary::write_input(&bytes));
            let f = boundary::fault(handle, len);
            prop_assert!(f == 0 || f == 1);
            assert!(boundary::write_input(&bytes));
            let r = boundary::receive(handle, a, b);
            prop_assert!(r == 0 || r == 1);
            if r == 0 {
                let out: Value = serde_json::from_slice(&boundary::output_bytes()).expect("JSON");
                let t = out["ticket"].as_u64().unwrap_or(0) as u32;
                boundary::abandon(handle, t);
            }
            let answered = boundary::answer(handle, ticket, now);
            prop_assert!(answered >= -1);
            boundary::abandon(handle, ticket);
            let _ = boundary::reset(handle);
        }
        // Whatever the garbage did, the mock made here still answers.
        let h = head("GET", "/core/v1/organizations", "", Some(&format!("Bearer {TOKEN}")));
        let (status, body) = exchange(mine, &h, b"", 0).expect("an answer");
        prop_assert_eq!(status, 200);
        prop_assert!(body["organizations"].is_array());
        boundary::drop_mock(mine);
        for h in 1..64 {
            boundary::drop_mock(h);
        }
        prop_assert_eq!(boundary::census(), (0, 0));
    }

    /// Every operation, with hostile queries, bodies, methods and tokens:
    /// a well-formed answer each time.
    #[test]
    fn hostile_requests_get_well_formed_answers(
        (method, path) in operation(),
        other_method in prop_oneof![
            4 => Just(None),
            1 => prop::sample::select(vec!["get", "PATCH", "OPTIONS", "HEAD", "", "G\u{e9}T"]).prop_map(|m| Some(m.to_owned())),
            1 => ".{0,8}".prop_map(Some),
        ],
        suffix in prop_oneof![Just(""), Just("/"), Just("//"), Just("/x"), Just("%2F")],
        query in query(),
        body in json_text(),
        auth in prop_oneof![
            4 => Just(Some(format!("Bearer {TOKEN}"))),
            1 => Just(None),
            1 => ".{0,20}".prop_map(Some),
            1 => Just(Some(format!("bearer   {TOKEN}  "))),
        ],
        fault in prop_oneof![
            6 => Just(None),
            1 => Just(Some(json!({"status": 503, "times": 1}))),
            1 => Just(Some(json!({"body": "<html>", "times": 1}))),
            1 => Just(Some(json!({"drop": true, "times": 1}))),
            1 => Just(Some(json!({"status": 404, "code": "x", "detail": {"a": [1]}, "times": 1}))),
        ],
    ) {
        let mock = new_mock("empty");
        if let Some(f) = fault {
            let text = f.to_string();
            assert!(boundary::write_input(text.as_bytes()));
            prop_assert_eq!(boundary::fault(mock, text.len()), 0);
        }
        let method = other_method.unwrap_or(method);
        let h = head(&method, &format!("{path}{suffix}"), &query, auth.as_deref());
        if let Some((status, json)) = exchange(mock, &h, &body, body.len()) {
            if status >= 400 && !json.is_null() {
                prop_assert!(json["error"]["code"].is_string(), "{}", json);
            }
        }
        boundary::drop_mock(mock);
        prop_assert_eq!(boundary::census(), (0, 0));
    }

    /// A head or a body of any bytes (invalid UTF-8 included) in the head's
    /// fields or the body.
    #[test]
    fn invalid_utf8_anywhere(
        junk in prop::collection::vec(any::<u8>(), 1..40),
        at in 0usize..5,
    ) {
        let mock = new_mock("default");
        let junk_text = String::from_utf8_lossy(&junk).into_owned();
        let mut fields = ["GET".to_owned(), "/core/v1/organizations".to_owned(), String::new(), format!("Bearer {TOKEN}"), "application/json".to_owned()];
        if let Some(f) = fields.get_mut(at) {
            *f = junk_text;
        }
        let h = json!({
            "method": fields[0], "path": fields[1], "query": fields[2],
            "authorization": fields[3], "content_type": fields[4],
        }).to_string();
        let _ = exchange(mock, h.as_bytes(), &junk, junk.len());
        // Raw invalid UTF-8 inside the head's JSON text is refused.
        let mut raw = br#"{"method":"GET","path":"/core/v1/organizations","x":""#.to_vec();
        raw.extend_from_slice(&junk);
        raw.extend_from_slice(b"\"}");
        let _ = exchange(mock, &raw, b"", 0);
        boundary::drop_mock(mock);
        prop_assert_eq!(boundary::census(), (0, 0));
    }
}

#[test]
fn a_body_over_the_limit_is_refused_unread() {
    let mock = new_mock("default");
    let h = head(
        "POST",
        "/core/v1/organizations/organization/security_groups",
        "",
        Some(&format!("Bearer {TOKEN}")),
    );
    let (status, body) = exchange(mock, &h, b"", MAX_BODY + 1).expect("an answer");
    assert_eq!(status, 413);
    assert_eq!(body["error"]["code"], "request_too_large");
    // At the limit it is read (and refused by the engine as no JSON).
    let big = vec![b'x'; MAX_BODY];
    let (status, _) = exchange(mock, &h, &big, big.len()).expect("an answer");
    assert!((400..500).contains(&status), "{status}");
    // A head over its limit is no request.
    let huge = vec![b' '; MAX_HEAD + 1];
    assert!(boundary::write_input(&huge));
    assert_eq!(boundary::receive(mock, huge.len(), 0), 1);
    assert!(boundary::input(MAX_HEAD + MAX_BODY + 1).is_none());
    boundary::drop_mock(mock);
    assert_eq!(boundary::census(), (0, 0));
}
