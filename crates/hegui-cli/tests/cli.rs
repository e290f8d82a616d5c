//! CLI behaviour pinned by trycmd cases (`tests/cmd/*.toml`) plus checks that need
//! raw bytes or generated files.

use std::io::Write;
use std::process::{Command, Stdio};

fn hegui() -> Command {
    Command::new(env!("CARGO_BIN_EXE_hegui"))
}

#[test]
fn cmd_cases() {
    trycmd::TestCases::new().case("tests/cmd/*.toml");
}

fn run_with_stdin(args: &[&str], stdin: &[u8]) -> (i32, String, String) {
    let mut child = hegui()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("hegui runs");
    // Written while the output is read, as a pipeline does: hegui streams, so an input
    // larger than the pipes' buffers is not all read before output is written.
    let mut pipe = child.stdin.take().expect("stdin");
    let stdin = stdin.to_vec();
    let writer = std::thread::spawn(move || pipe.write_all(&stdin));
    let output = child.wait_with_output().expect("hegui exits");
    // hegui may exit without reading all of its input (an error).
    let _ = writer.join().expect("the writer does not panic");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn invalid_utf8_on_stdin_names_the_byte() {
    let (code, _, stderr) = run_with_stdin(&["scan"], b"ok\xff\xfe");
    assert_eq!(code, 2);
    assert!(
        stderr.contains("stdin: invalid UTF-8 at byte 2"),
        "{stderr}"
    );
    let (code, stdout, _) = run_with_stdin(&["scan", "--lossy"], "转发领红包\u{0}\u{0}".as_bytes());
    assert_eq!(code, 1, "{stdout}");
}

#[test]
fn invalid_utf8_in_a_batch_line_is_an_error_record() {
    let input =
        b"{\"id\":1,\"text\":\"ok\"}\n{\"id\":2,\"text\":\"\xff\"}\n{\"id\":3,\"text\":\"x\"}\n";
    let (code, stdout, _) = run_with_stdin(&["scan", "--jsonl"], input);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 3, "{stdout}");
    assert!(
        lines[1].contains("\"error\":\"invalid UTF-8 at byte 16 of line 2\""),
        "{stdout}"
    );
    assert!(lines[2].contains("\"id\":3"), "{stdout}");
    assert_eq!(code, 2);

    // `--lines`: the offset is the first invalid byte of the line, after valid
    // multi-byte characters and before later ones.
    let (code, stdout, _) = run_with_stdin(&["scan", "--lines"], "ok\n中\u{ff}文\n".as_bytes());
    assert_eq!(code, 0, "{stdout}");
    let input = b"ok\n\xe4\xb8\xad\xff\xe6\x96\x87\n";
    let (code, stdout, _) = run_with_stdin(&["scan", "--lines"], input);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{stdout}");
    assert!(
        lines[1].contains("invalid UTF-8 at byte 3 of line 2 (use --lossy"),
        "{stdout}"
    );
    assert_eq!(code, 2);
}

/// Enough lines for several chunks of the batch (the whole lines among 512 KB each:
/// these lines average 27 bytes: 1.6 MB, four chunks) scanned at once.
const BATCH_LINES: usize = 60_000;

#[test]
fn batch_keeps_every_line_in_order() {
    let mut input = String::new();
    for i in 0..BATCH_LINES {
        match i % 5 {
            0 => input.push_str(&format!("{{\"id\":{i},\"text\":\"转发领红包\"}}\n")),
            1 => input.push_str("not json\n"),
            2 => input.push_str(&format!("{{\"id\":\"m{i}\",\"text\":\"最近第一次\"}}\n")),
            3 => input.push_str(&format!("{{\"id\":{i}}}\n")),
            _ => input.push_str(&format!("{{\"id\":[{i}],\"text\":\"稳赚不赔\"}}\n")),
        }
    }
    for threads in ["1", "3"] {
        let (_, stdout, _) =
            run_with_stdin(&["scan", "--jsonl", "--threads", threads], input.as_bytes());
        let records: Vec<serde_json::Value> = stdout
            .lines()
            .map(|l| serde_json::from_str(l).expect("each output line is JSON"))
            .collect();
        assert_eq!(records.len(), BATCH_LINES, "--threads {threads}");
        for (i, record) in records.iter().enumerate() {
            match i % 5 {
                0 => assert_eq!(record["id"], i, "{record}"),
                1 => assert_eq!(record["line"], i + 1, "{record}"),
                2 => {
                    assert_eq!(record["id"], format!("m{i}"), "{record}");
                    assert_eq!(record["verdict"], "pass", "{record}");
                }
                3 => assert!(record["error"].is_string(), "{record}"),
                _ => {
                    assert_eq!(record["id"], serde_json::json!([i]), "{record}");
                    assert_eq!(record["verdict"], "block", "{record}");
                }
            }
        }
    }
}

#[test]
fn json_spans_slice_the_input() {
    let text = "限时福利！转*发本文到朋友圈，即可领取紅包，全网最低价";
    let (code, stdout, _) = run_with_stdin(&["scan", "--format", "json"], text.as_bytes());
    assert_eq!(code, 1);
    let report: serde_json::Value = serde_json::from_str(&stdout).expect("json");
    let findings = report["findings"].as_array().expect("findings");
    assert_eq!(findings.len(), 2, "{stdout}");
    for finding in findings {
        let s = finding["span"]["byte"][0].as_u64().expect("start") as usize;
        let e = finding["span"]["byte"][1].as_u64().expect("end") as usize;
        assert_eq!(&text[s..e], finding["text"].as_str().expect("text"));
    }
    assert_eq!(findings[0]["text"], "转*发本文到朋友圈，即可领取紅包");
    assert_eq!(
        findings[0]["normalized"],
        serde_json::json!(["traditional", "separator"])
    );
}

#[test]
fn links_json_urls_are_original_slices() {
    let text = "🎉福利🧧 戳ｗｗｗ．ｅｘａｍｐｌｅ．ｃｏｍ领取，\n或 https://weixin.qq.com@evil.example/hb.apk?x=1。再见 t.cn/AbCd";
    let (code, stdout, _) = run_with_stdin(&["links", "--format", "json"], text.as_bytes());
    assert_eq!(code, 1, "{stdout}");
    let links: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
        .collect();
    let urls: Vec<&str> = links
        .iter()
        .map(|l| l["url"].as_str().expect("url"))
        .collect();
    assert_eq!(
        urls,
        [
            "ｗｗｗ．ｅｘａｍｐｌｅ．ｃｏｍ",
            "https://weixin.qq.com@evil.example/hb.apk?x=1",
            "t.cn/AbCd"
        ]
    );
    for link in &links {
        let span = |unit: &str, i: usize| link["span"][unit][i].as_u64().expect("offset") as usize;
        let (s, e) = (span("byte", 0), span("byte", 1));
        let slice = &text[s..e];
        assert_eq!(slice, link["url"].as_str().expect("url"));
        assert_eq!(text[..s].chars().count(), span("char", 0));
        assert_eq!(slice.chars().count(), span("char", 1) - span("char", 0));
        assert_eq!(text[..s].encode_utf16().count(), span("utf16", 0));
        assert_eq!(
            slice.encode_utf16().count(),
            span("utf16", 1) - span("utf16", 0)
        );
        for finding in link["findings"].as_array().expect("findings") {
            assert_eq!(finding["span"], link["span"]);
            assert_eq!(finding["category"], "external-link");
        }
    }
    assert_eq!(links[0]["host"], "www.example.com");
    assert_eq!(links[1]["host"], "evil.example");
    assert_eq!(links[1]["registrable_domain"], "evil.example");
    let ids: Vec<&str> = links[1]["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| f["rule_id"].as_str().expect("id"))
        .collect();
    assert!(
        ids.contains(&"external-link.userinfo") && ids.contains(&"external-link.download"),
        "{ids:?}"
    );
}

#[test]
fn published_schemas_are_current() {
    for (which, file) in [
        ("pack", "pack.schema.json"),
        ("report", "report.schema.json"),
    ] {
        let output = hegui().args(["schema", which]).output().expect("runs");
        let generated = String::from_utf8(output.stdout).expect("utf-8");
        let path = format!("{}/../../docs/{file}", env!("CARGO_MANIFEST_DIR"));
        let published = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            generated == published,
            "docs/{file} is stale: run `cargo run -p hegui-cli -- schema {which} > docs/{file}`"
        );
    }
}

#[test]
fn rule_docs_are_current() {
    let dir = format!("{}/../../docs/rules", env!("CARGO_MANIFEST_DIR"));
    let output = hegui()
        .args(["rules", "docs", "--check", "--out", &dir])
        .output()
        .expect("runs");
    assert!(
        output.status.success(),
        "docs/rules is stale: run `cargo run -p hegui-cli -- rules docs`\n{}",
        String::from_utf8_lossy(&output.stdout)
    );
}

#[test]
fn rule_docs_check_notices_an_edited_page() {
    let dir = std::env::temp_dir().join(format!("hegui-docs-{}", std::process::id()));
    let dir_arg = dir.to_str().expect("utf-8 temp dir");
    let write = hegui()
        .args(["rules", "docs", "--out", dir_arg])
        .output()
        .expect("runs");
    assert!(write.status.success());
    let check = || {
        hegui()
            .args(["rules", "docs", "--check", "--out", dir_arg])
            .output()
            .expect("runs")
    };
    assert!(check().status.success());
    let page = dir.join("induce-share.threat.md");
    std::fs::write(&page, "edited by hand").expect("write");
    let output = check();
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stdout).contains("induce-share.threat.md"));
    std::fs::remove_dir_all(&dir).expect("cleanup");
}
