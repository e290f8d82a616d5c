//! `hegui serve` end to end: scans, limits, reload by request and by SIGHUP (a broken
//! pack is rejected and the old one keeps serving), graceful shutdown.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use serde_json::Value;

struct Server {
    child: Child,
    addr: String,
    dir: PathBuf,
}

impl Server {
    fn start(name: &str, extra: &[&str]) -> Server {
        let dir = std::env::temp_dir().join(format!("hegui-serve-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        write_pack(&dir, "最佳");
        let mut child = Command::new(env!("CARGO_BIN_EXE_hegui"))
            .current_dir(&dir)
            .args(["serve", "--addr", "127.0.0.1:0", "--packs", "pack.toml"])
            .args(extra)
            .stderr(Stdio::piped())
            .spawn()
            .expect("starts");
        let stderr = child.stderr.take().expect("stderr");
        let mut lines = BufReader::new(stderr).lines();
        let first = lines.next().expect("a line").expect("utf-8");
        let addr = first
            .rsplit("http://")
            .next()
            .expect("listening line names the address")
            .to_owned();
        // Keep draining stderr so the server never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines {});
        Server { child, addr, dir }
    }

    /// One HTTP/1.1 request; returns (status, JSON body).
    fn request(&self, method: &str, path: &str, body: &str) -> (u16, Value) {
        let mut stream = TcpStream::connect(&self.addr).expect("connect");
        write!(
            stream,
            "{method} {path} HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        )
        .expect("send");
        let mut response = String::new();
        stream.read_to_string(&mut response).expect("read");
        let (head, body) = response.split_once("\r\n\r\n").expect("head and body");
        let status = head
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .expect("status");
        (status, serde_json::from_str(body).expect("JSON body"))
    }

    fn rule_ids(&self, text: &str) -> Vec<String> {
        let (status, body) = self.request(
            "POST",
            "/v1/scan",
            &serde_json::json!({"text": text}).to_string(),
        );
        assert_eq!(status, 200, "{body}");
        body["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .map(|f| f["rule_id"].as_str().expect("id").to_owned())
            .collect()
    }

    fn signal(&self, name: &str) {
        let status = Command::new("kill")
            .args([&format!("-{name}"), &self.child.id().to_string()])
            .status()
            .expect("kill runs");
        assert!(status.success());
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn write_pack(dir: &Path, term: &str) {
    let pack = format!(
        r#"id = "demo"
version = "1"
title = "演示"
[categories.exaggeration]
name = "夸大宣传"
consequence = "限制传播"
[[rule]]
id = "exaggeration.demo"
kind = "terms"
severity = "review"
message = "使用绝对化用语"
basis = "《广告法》第九条"
terms = ["{term}"]
fires = ["{term}"]
passes = ["你好"]
"#
    );
    std::fs::write(dir.join("pack.toml"), pack).expect("write pack");
}

#[test]
fn scans_one_message_and_batches() {
    let server = Server::start("scan", &[]);
    assert_eq!(server.request("GET", "/healthz", "").1["status"], "ok");
    assert_eq!(server.rule_ids("本店最佳"), ["exaggeration.demo"]);
    let (status, body) = server.request(
        "POST",
        "/v1/scan",
        r#"{"messages": [{"id": "a", "text": "最佳"}, {"id": "b"}, {"id": "c", "channel": "sms", "text": "你好"}]}"#,
    );
    assert_eq!(status, 200);
    let results = body["results"].as_array().expect("results");
    let ids: Vec<&Value> = results.iter().map(|r| &r["id"]).collect();
    assert_eq!(ids, ["a", "b", "c"]);
    assert_eq!(results[0]["verdict"], "review");
    assert!(results[1]["error"].is_string());
    assert_eq!(results[2]["channel"], "sms");
    let (status, body) = server.request("GET", "/v1/packs", "");
    assert_eq!(status, 200);
    assert_eq!(body["packs"][0]["id"], "demo");
    assert_eq!(body["rules"], 1);
}

#[test]
fn limits_answer_with_json_errors() {
    let server = Server::start(
        "limits",
        &["--max-body", "200", "--max-text", "5", "--max-batch", "2"],
    );
    let status_code = |method: &str, path: &str, body: &str| {
        let (status, body) = server.request(method, path, body);
        assert!(body["error"]["message"].is_string(), "{body}");
        (
            status,
            body["error"]["code"]
                .as_str()
                .unwrap_or_default()
                .to_owned(),
        )
    };
    assert_eq!(
        status_code("POST", "/v1/scan", &"x".repeat(300)),
        (413, "body_too_large".into())
    );
    assert_eq!(
        status_code("POST", "/v1/scan", r#"{"text": "一二三四五六"}"#),
        (413, "text_too_long".into())
    );
    assert_eq!(
        status_code(
            "POST",
            "/v1/scan",
            r#"{"messages": [{"text": "a"}, {"text": "b"}, {"text": "c"}]}"#
        ),
        (413, "batch_too_large".into())
    );
    assert_eq!(
        status_code("POST", "/v1/scan", "not json"),
        (400, "bad_request".into())
    );
    assert_eq!(
        status_code("GET", "/v2/nothing", ""),
        (404, "not_found".into())
    );
    assert_eq!(
        status_code("GET", "/v1/scan", ""),
        (405, "method_not_allowed".into())
    );
}

#[test]
fn reload_swaps_packs_and_rejects_broken_ones() {
    let server = Server::start("reload", &[]);
    assert_eq!(server.rule_ids("第一品牌"), Vec::<String>::new());
    write_pack(&server.dir, "第一品牌");
    let (status, body) = server.request("POST", "/v1/reload", "");
    assert_eq!(
        (status, &body["reloaded"]),
        (200, &Value::Bool(true)),
        "{body}"
    );
    assert_eq!(server.rule_ids("第一品牌"), ["exaggeration.demo"]);

    std::fs::write(server.dir.join("pack.toml"), "id = \"demo\"\nversion = [").expect("write");
    let (status, body) = server.request("POST", "/v1/reload", "");
    assert_eq!(status, 422);
    let message = body["error"]["message"].as_str().expect("message");
    assert!(message.contains("pack.toml:2:"), "{message}");
    // The old packs keep serving.
    assert_eq!(server.rule_ids("第一品牌"), ["exaggeration.demo"]);

    // SIGHUP reloads too.
    write_pack(&server.dir, "国家级");
    server.signal("HUP");
    let mut reloaded = false;
    for _ in 0..100 {
        if server.rule_ids("国家级产品") == ["exaggeration.demo"] {
            reloaded = true;
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert!(reloaded, "SIGHUP did not reload the packs");
}

#[test]
fn sigterm_shuts_down_gracefully() {
    let mut server = Server::start("shutdown", &[]);
    assert_eq!(server.request("GET", "/healthz", "").0, 200);
    server.signal("TERM");
    let status = server.child.wait().expect("exits");
    assert!(status.success(), "{status:?}");
}

#[test]
fn plans_are_checked_over_http() {
    let server = Server::start("plan", &[]);
    let (status, body) = server.request(
        "POST",
        "/v1/plan",
        r#"{"platform": "wechat", "client": "mobile", "recipients": 450, "send-at": ["2026-11-11T19:00:00"], "messages": [{"id": "m1", "type": "text", "text": "最佳"}]}"#,
    );
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["verdict"], "block");
    let proposal = body["proposal"].as_array().expect("proposal");
    let total: u64 = proposal
        .iter()
        .map(|b| b["recipients"].as_u64().expect("n"))
        .sum();
    assert_eq!(total, 450);
    let ids: Vec<&str> = body["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| f["rule_id"].as_str().expect("id"))
        .collect();
    assert!(
        ids.contains(&"plan.per-send-limit") && ids.contains(&"exaggeration.demo"),
        "{ids:?}"
    );
    let (status, body) = server.request(
        "POST",
        "/v1/plan",
        r#"{"platform": "fax", "recipients": 1, "send-at": ["2026-11-11T19:00:00"]}"#,
    );
    assert_eq!(status, 422, "{body}");
    let (status, _) = server.request("POST", "/v1/plan", r#"{"platfrom": "wechat"}"#);
    assert_eq!(status, 400);
}
