//! Test harness: runs the real `katapult-mock` binary on a free port and
//! talks to it over loopback with a minimal HTTP/1.1 client (so tests see
//! exactly what is on the wire: raw query strings, dropped connections,
//! truncated bodies).

#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Child, ChildStdout, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// The default token.
pub const TOKEN: &str = "demo-token";

/// A running mock server, killed on drop.
pub struct Server {
    child: Child,
    _stdout: BufReader<ChildStdout>,
    /// Bound address.
    pub addr: SocketAddr,
    /// The line printed at startup.
    pub banner: String,
    /// Time from spawn to the banner.
    pub startup: Duration,
}

impl Server {
    /// Start with extra flags (always `--port 0`).
    pub fn start(args: &[&str]) -> Server {
        let started = Instant::now();
        let mut child = Command::new(env!("CARGO_BIN_EXE_katapult-mock"))
            .args(["--port", "0"])
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("spawn katapult-mock");
        let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
        let mut banner = String::new();
        stdout.read_line(&mut banner).expect("read banner");
        let startup = started.elapsed();
        let banner = banner.trim_end().to_string();
        let url = banner
            .strip_prefix("katapult-mock listening on http://")
            .unwrap_or_else(|| panic!("unexpected banner {banner:?}"));
        let addr: SocketAddr = url.parse().expect("banner address");
        Server {
            child,
            _stdout: stdout,
            addr,
            banner,
            startup,
        }
    }

    /// The process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Wait for the process to exit (after a signal).
    pub fn wait_exit(&mut self, timeout: Duration) -> Option<std::process::ExitStatus> {
        let deadline = Instant::now() + timeout;
        while Instant::now() < deadline {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Some(status);
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        None
    }

    /// Send a raw request.
    pub async fn raw(
        &self,
        method: &str,
        target: &str,
        headers: &[(&str, &str)],
        body: Option<&[u8]>,
    ) -> std::io::Result<Resp> {
        request(self.addr, method, target, headers, body).await
    }

    /// GET /core/v1{path} with the default token.
    pub async fn get(&self, path: &str) -> Resp {
        self.get_as(path, Some(TOKEN)).await
    }

    /// GET /core/v1{path} with an optional token.
    pub async fn get_as(&self, path: &str, token: Option<&str>) -> Resp {
        let auth = token.map(|t| format!("Bearer {t}"));
        let mut headers = vec![];
        if let Some(a) = &auth {
            headers.push(("Authorization", a.as_str()));
        }
        self.raw("GET", &format!("/core/v1{path}"), &headers, None)
            .await
            .expect("request")
    }

    /// `method` /core/v1{path} with a JSON body and the default token.
    pub async fn send(&self, method: &str, path: &str, body: &Value) -> Resp {
        self.send_as(method, path, body, Some(TOKEN)).await
    }

    /// `method` /core/v1{path} with a JSON body and an optional token.
    pub async fn send_as(
        &self,
        method: &str,
        path: &str,
        body: &Value,
        token: Option<&str>,
    ) -> Resp {
        let auth = token.map(|t| format!("Bearer {t}"));
        let mut headers = vec![("Content-Type", "application/json")];
        if let Some(a) = &auth {
            headers.push(("Authorization", a.as_str()));
        }
        let bytes = serde_json::to_vec(body).expect("json");
        self.raw(method, &format!("/core/v1{path}"), &headers, Some(&bytes))
            .await
            .expect("request")
    }

    /// A control request under /_mock.
    pub async fn control(&self, method: &str, path: &str, body: Option<&Value>) -> Resp {
        let bytes = body.map(|b| serde_json::to_vec(b).expect("json"));
        self.raw(
            method,
            &format!("/_mock{path}"),
            &[("Content-Type", "application/json")],
            bytes.as_deref(),
        )
        .await
        .expect("control request")
    }

    /// Queue scripted faults.
    pub async fn faults(&self, body: Value) {
        let r = self.control("POST", "/faults", Some(&body)).await;
        assert_eq!(r.status, 200, "{}", r.text());
    }

    /// GET /_mock/stats.
    pub async fn stats(&self) -> Value {
        self.control("GET", "/stats", None).await.json()
    }

    /// Look up a seeded VM id by name in acme.
    pub async fn vm_id(&self, name: &str) -> String {
        let r = self
            .get(&format!("/virtual_machines/virtual_machine?virtual_machine[fqdn]={name}.acme.katapult.cloud"))
            .await;
        assert_eq!(r.status, 200, "{}", r.text());
        r.json()["virtual_machine"]["id"]
            .as_str()
            .expect("id")
            .to_string()
    }

    /// The VM's state.
    pub async fn vm_state(&self, id: &str) -> String {
        let r = self
            .get(&format!(
                "/virtual_machines/virtual_machine?virtual_machine[id]={id}"
            ))
            .await;
        assert_eq!(r.status, 200, "{}", r.text());
        r.json()["virtual_machine"]["state"]
            .as_str()
            .expect("state")
            .to_string()
    }

    /// Poll a task until it finishes; returns the task.
    pub async fn wait_task(&self, id: &str, timeout: Duration) -> Value {
        let deadline = Instant::now() + timeout;
        loop {
            let r = self.get(&format!("/tasks/task?task[id]={id}")).await;
            assert_eq!(r.status, 200, "{}", r.text());
            let task = r.json()["task"].clone();
            let status = task["status"].as_str().unwrap_or("").to_string();
            if status == "completed" || status == "failed" {
                return task;
            }
            assert!(Instant::now() < deadline, "task {id} still {status}");
            tokio::time::sleep(Duration::from_millis(15)).await;
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A response.
#[derive(Debug, Clone)]
pub struct Resp {
    /// Status code.
    pub status: u16,
    /// Headers (names lower-cased).
    pub headers: Vec<(String, String)>,
    /// Body bytes (de-chunked).
    pub body: Vec<u8>,
}

impl Resp {
    /// A header value.
    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The body as text.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The body as JSON (panics when it is not).
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {:?}", self.text()))
    }

    /// Asserts this is the success answer of `operation` (an operationId of
    /// the OpenAPI document): its status, and a body of the documented
    /// shape with nothing the document does not list (the live API sends
    /// no more). Returns the body.
    pub fn answers(&self, operation: &str) -> Value {
        let op = katapult_wasm::operation::Operation::find(operation)
            .unwrap_or_else(|| panic!("the document has no operation {operation}"));
        assert_eq!(self.status, op.status(), "{operation}: {}", self.text());
        let body = self.json();
        if let Err(e) = katapult_wasm::schema::conforms(&body, op.answer, true) {
            panic!("{operation}: {e}\n{}", self.text());
        }
        body
    }

    /// The error code of a wrapped error body.
    pub fn code(&self) -> String {
        self.json()["error"]["code"]
            .as_str()
            .unwrap_or("")
            .to_string()
    }
}

/// Send one request over a fresh connection (`Connection: close`).
pub async fn request(
    addr: SocketAddr,
    method: &str,
    target: &str,
    headers: &[(&str, &str)],
    body: Option<&[u8]>,
) -> std::io::Result<Resp> {
    let mut stream = TcpStream::connect(addr).await?;
    let mut head = format!("{method} {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    let body = body.unwrap_or(b"");
    if !body.is_empty() || method != "GET" {
        head.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).await?;
    stream.write_all(body).await?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).await?;
    parse_response(&raw)
}

fn parse_response(raw: &[u8]) -> std::io::Result<Resp> {
    let bad = |m: &str| std::io::Error::new(std::io::ErrorKind::InvalidData, m.to_string());
    if raw.is_empty() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::UnexpectedEof,
            "connection closed without a response",
        ));
    }
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| bad("no end of headers"))?;
    let head = std::str::from_utf8(&raw[..split]).map_err(|_| bad("head not utf-8"))?;
    let mut lines = head.split("\r\n");
    let status_line = lines.next().ok_or_else(|| bad("no status line"))?;
    let status: u16 = status_line
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| bad("bad status line"))?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let rest = &raw[split + 4..];
    let chunked = headers
        .iter()
        .any(|(k, v)| k == "transfer-encoding" && v.contains("chunked"));
    let body = if chunked {
        let mut out = Vec::new();
        let mut pos = 0;
        loop {
            let line_end = rest[pos..]
                .windows(2)
                .position(|w| w == b"\r\n")
                .ok_or_else(|| bad("bad chunk"))?;
            let size_text =
                std::str::from_utf8(&rest[pos..pos + line_end]).map_err(|_| bad("bad chunk"))?;
            let size = usize::from_str_radix(size_text.split(';').next().unwrap_or("").trim(), 16)
                .map_err(|_| bad("bad chunk size"))?;
            pos += line_end + 2;
            if size == 0 {
                break;
            }
            if pos + size > rest.len() {
                return Err(bad("truncated chunk"));
            }
            out.extend_from_slice(&rest[pos..pos + size]);
            pos += size + 2;
        }
        out
    } else if let Some(len) = headers
        .iter()
        .find(|(k, _)| k == "content-length")
        .and_then(|(_, v)| v.parse::<usize>().ok())
    {
        if rest.len() < len {
            return Err(bad("body shorter than content-length"));
        }
        rest[..len].to_vec()
    } else {
        rest.to_vec()
    };
    Ok(Resp {
        status,
        headers,
        body,
    })
}
