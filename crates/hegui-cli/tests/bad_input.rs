//! The bad-input table: what `hegui` does with inputs that are broken, hostile or huge.
//! Each row is one test; the measured figures (time, peak memory) are printed with
//! `cargo test -p hegui-cli --test bad_input -- --nocapture`.
//!
//! | input | behaviour |
//! |---|---|
//! | invalid UTF-8 in a file / on stdin / in a pack | exit 2, `NAME: invalid UTF-8 at byte N`; `--lossy` scans with U+FFFD |
//! | NUL bytes (and other non-whitespace controls) | removed before matching like U+200B (`invisible`), kept in spans; JSON escapes them, text output shows a space |
//! | a 50 MB single line | scanned in bounded time and memory; spans exact |
//! | RTL / bidi override characters | removed before matching (`invisible`), kept in the span; text reversed behind an override is matched in logical order (not flagged) |
//! | a pack with 1,000,000 terms | builds in bounded time and memory |
//! | malformed TOML, unknown keys, wrong types, duplicate ids, invalid or huge regex | exit 2, `path:line:column: …` at the offending place |

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A finished `hegui` run with its wall time and peak resident memory.
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
    wall: Duration,
    /// Peak resident set (VmHWM) in MiB, polled from `/proc` while it ran (Linux only).
    peak_mib: Option<u64>,
}

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("bad-input")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

fn vm_hwm_mib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024)
}

fn run(args: &[&str], stdin: &[u8], dir: &Path) -> Run {
    let started = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_hegui"))
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("hegui runs");
    let pid = child.id();
    let mut input = child.stdin.take().expect("stdin");
    let stdin = stdin.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = input.write_all(&stdin);
    });
    let mut out = child.stdout.take().expect("stdout");
    let reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = out.read_to_end(&mut buf);
        buf
    });
    let mut err = child.stderr.take().expect("stderr");
    let err_reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = err.read_to_end(&mut buf);
        buf
    });
    let mut peak_mib = None;
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if let Some(mib) = vm_hwm_mib(pid) {
            peak_mib = Some(peak_mib.unwrap_or(0).max(mib));
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let wall = started.elapsed();
    writer.join().expect("writer");
    let stdout = reader.join().expect("reader");
    let stderr = err_reader.join().expect("reader");
    Run {
        code: status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&stdout).into_owned(),
        stderr: String::from_utf8_lossy(&stderr).into_owned(),
        wall,
        peak_mib,
    }
}

fn show(what: &str, r: &Run) {
    eprintln!(
        "bad-input: {what}: exit {}, {:.2} s, peak {} MiB",
        r.code,
        r.wall.as_secs_f64(),
        r.peak_mib.map_or("?".to_string(), |m| m.to_string())
    );
}

fn json(r: &Run) -> serde_json::Value {
    serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("{e}: {}", r.stdout))
}

/// Checks every finding of a JSON report against the scanned text.
fn assert_spans(text: &str, report: &serde_json::Value) {
    for f in report["findings"].as_array().expect("findings") {
        let s = f["span"]["byte"][0].as_u64().expect("start") as usize;
        let e = f["span"]["byte"][1].as_u64().expect("end") as usize;
        assert_eq!(&text[s..e], f["text"].as_str().expect("text"));
        let c = f["span"]["char"][0].as_u64().expect("char") as usize;
        assert_eq!(c, text[..s].chars().count());
        let u = f["span"]["utf16"][1].as_u64().expect("utf16") as usize;
        assert_eq!(u, text[..e].encode_utf16().count());
    }
}

const VIOLATION: &str = "转发本文到朋友圈，即可领取红包";

#[test]
fn invalid_utf8_in_a_file_names_the_file_and_the_byte() {
    let dir = scratch("utf8-file");
    let mut bytes = "转发本文".as_bytes().to_vec();
    bytes.push(0xFF);
    bytes.extend_from_slice("到朋友圈，即可领取红包".as_bytes());
    std::fs::write(dir.join("msg.txt"), &bytes).expect("write");
    let r = run(&["scan", "msg.txt"], b"", &dir);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert_eq!(
        r.stderr,
        "error: msg.txt: invalid UTF-8 at byte 12 (use --lossy to replace invalid bytes)\n"
    );
    assert!(r.stdout.is_empty());
    // --lossy replaces the byte with U+FFFD and scans: the violation is still found.
    let r = run(
        &["scan", "--lossy", "--format", "json", "msg.txt"],
        b"",
        &dir,
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    let report = json(&r);
    assert_eq!(
        report["findings"][0]["text"],
        "转发本文\u{FFFD}到朋友圈，即可领取红包"
    );
}

#[test]
fn invalid_utf8_on_stdin_names_the_byte_inside_a_character() {
    let dir = scratch("utf8-stdin");
    // 转 then the first two bytes of 发: the sequence breaks at byte 3.
    let r = run(&["scan"], b"\xe8\xbd\xac\xe5\x8f", &dir);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("stdin: invalid UTF-8 at byte 3"),
        "{}",
        r.stderr
    );
    let r = run(&["scan", "--lossy"], b"\xe8\xbd\xac\xe5\x8f", &dir);
    assert_eq!(r.code, 0, "{}", r.stderr);
}

#[test]
fn invalid_utf8_in_a_pack_names_the_pack_and_the_byte() {
    let dir = scratch("utf8-pack");
    std::fs::write(dir.join("p.toml"), b"id = \"p\"\ntitle = \"\xff\"\n").expect("write");
    let r = run(&["rules", "test", "p.toml"], b"", &dir);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .starts_with("error: p.toml: invalid UTF-8 at byte 18"),
        "{}",
        r.stderr
    );
}

#[test]
fn nul_bytes_are_invisible_characters() {
    let dir = scratch("nul");
    let text = format!("\0{VIOLATION}\0\0尾");
    let r = run(&["scan", "--format", "json"], text.as_bytes(), &dir);
    show("NUL bytes", &r);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let report = json(&r);
    assert_spans(&text, &report);
    assert_eq!(report["findings"][0]["text"], VIOLATION);
    // Text output shows control characters as spaces so the marker stays aligned.
    let r = run(&["scan"], text.as_bytes(), &dir);
    assert_eq!(r.code, 1);
    assert!(!r.stdout.contains('\0'), "{:?}", r.stdout);
    // Between Chinese characters a NUL is an invisible character like U+200B: removed
    // before matching, kept in the span, escaped in JSON.
    let text = "年化6%，保\0本保息";
    let r = run(&["scan", "--format", "json"], text.as_bytes(), &dir);
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(r.stdout.contains("保\\u0000本"), "{}", r.stdout);
    let report = json(&r);
    assert_spans(text, &report);
    let f = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["text"] == "保\0本保息")
        .unwrap_or_else(|| panic!("保\\0本保息 not flagged: {report}"));
    assert!(f["normalized"]
        .as_array()
        .expect("steps")
        .contains(&serde_json::json!("invisible")));
}

#[test]
fn a_50_mb_single_line_is_scanned_in_bounded_time_and_memory() {
    let dir = scratch("50mb");
    let unit = "本店新品上市，欢迎选购，品质保证。";
    let mut text = unit.repeat(50 * 1024 * 1024 / unit.len());
    text.push_str(VIOLATION);
    assert!(text.len() >= 50 * 1024 * 1024 && !text.contains('\n'));
    std::fs::write(dir.join("big.txt"), &text).expect("write");
    let r = run(&["scan", "--format", "json", "big.txt"], b"", &dir);
    show("50 MB single line (scan --format json)", &r);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let report = json(&r);
    let findings = report["findings"].as_array().expect("findings");
    assert_eq!(findings.len(), 1, "{findings:?}");
    assert_eq!(findings[0]["span"]["byte"][1], text.len());
    assert_eq!(findings[0]["text"], VIOLATION);
    // Generous bounds for an unoptimised build on a shared machine; the measured figures
    // are printed above.
    assert!(r.wall < Duration::from_secs(300), "{:?}", r.wall);
    if let Some(peak) = r.peak_mib {
        assert!(peak < 4096, "peak {peak} MiB");
    }
    // The same line as one JSON Lines record.
    let record = serde_json::json!({"id": 1, "text": text}).to_string();
    let r = run(&["scan", "--jsonl"], record.as_bytes(), &dir);
    show("50 MB single line (scan --jsonl)", &r);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(r.stdout.lines().count(), 1);
    assert!(r.stdout.contains(VIOLATION));
}

#[test]
fn bidi_overrides_are_removed_before_matching_and_kept_in_the_span() {
    let dir = scratch("bidi");
    for control in [
        '\u{202E}', '\u{202D}', '\u{2066}', '\u{2067}', '\u{2069}', '\u{200F}',
    ] {
        let text = format!("限时{control}福利：转{control}发本文到朋友圈，即可领取红包{control}");
        let r = run(&["scan", "--format", "json"], text.as_bytes(), &dir);
        assert_eq!(r.code, 1, "{control:?}: {}", r.stderr);
        let report = json(&r);
        assert_spans(&text, &report);
        let f = &report["findings"][0];
        assert_eq!(
            f["text"],
            format!("转{control}发本文到朋友圈，即可领取红包")
        );
        assert!(
            f["normalized"]
                .as_array()
                .expect("steps")
                .contains(&serde_json::json!("invisible")),
            "{f}"
        );
    }
    // Text that an override makes *display* as a violation but whose characters run
    // backwards is matched in its logical order: scanned without error, nothing found.
    let reversed: String = VIOLATION.chars().rev().collect();
    let text = format!("\u{202E}{reversed}\u{202C}");
    let r = run(&["scan", "--format", "json"], text.as_bytes(), &dir);
    show("RLO-reversed violation", &r);
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert_eq!(json(&r)["verdict"], "pass");
}

#[test]
fn a_pack_with_a_million_terms_builds_in_bounded_time_and_memory() {
    let dir = scratch("million");
    let mut pack = String::from(
        "id = \"big\"\nversion = \"1\"\ntitle = \"大\"\n\
         [categories.exaggeration]\nname = \"虚假宣传\"\nconsequence = \"限制\"\n\
         [[rule]]\nid = \"exaggeration.banned\"\nkind = \"terms\"\nseverity = \"review\"\n\
         message = \"禁用词\"\nbasis = \"测试\"\n\
         fires = [\"这里有禁词0999999\", \"禁词0000000！\"]\npasses = [\"禁词\", \"禁词123\"]\n\
         terms = [\n",
    );
    for i in 0..1_000_000 {
        pack.push_str(&format!("\"禁词{i:07}\",\n"));
    }
    pack.push_str("]\n");
    std::fs::write(dir.join("big.toml"), &pack).expect("write");
    let r = run(&["rules", "test", "big.toml"], b"", &dir);
    show("pack with 1,000,000 terms (rules test)", &r);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stdout.contains("1 rules, 4 examples: 4 passed"),
        "{}",
        r.stdout
    );
    assert!(r.wall < Duration::from_secs(600), "{:?}", r.wall);
    if let Some(peak) = r.peak_mib {
        assert!(peak < 8192, "peak {peak} MiB");
    }
}

/// Broken packs: each error is `path:line:column: …` pointing at the offending place.
#[test]
fn broken_packs_fail_with_path_line_and_column() {
    let dir = scratch("broken-packs");
    let base = "id = \"demo\"\nversion = \"1\"\ntitle = \"演示\"\n\n\
                [categories.exaggeration]\nname = \"虚假宣传\"\nconsequence = \"限制\"\n\n\
                [[rule]]\nid = \"exaggeration.best\"\nkind = \"terms\"\nseverity = \"review\"\n\
                message = \"绝对化用语\"\nbasis = \"《广告法》第九条\"\nterms = [\"最好\"]\n\
                fires = [\"这是最好的\"]\npasses = [\"很好\"]\n";
    let rule = &base[base.find("[[rule]]").expect("rule")..];
    let regex = |pattern: &str| {
        base.replace("kind = \"terms\"", "kind = \"regex\"")
            .replace("terms = [\"最好\"]", &format!("patterns = ['{pattern}']"))
    };
    let cases: Vec<(&str, String, &str, &str)> = vec![
        (
            "malformed.toml",
            "id = \"demo\"\nversion = \"1\ntitle = \"x\"\n".to_string(),
            "malformed.toml:2:13: ",
            "invalid basic string",
        ),
        (
            "unknown-key.toml",
            base.replace("basis =", "colour = \"red\"\nbasis ="),
            "unknown-key.toml:14:1: ",
            "unknown field `colour`",
        ),
        (
            "wrong-type.toml",
            base.replace("severity = \"review\"", "severity = 3"),
            "wrong-type.toml:12:12: ",
            "",
        ),
        (
            "wrong-type-list.toml",
            base.replace("terms = [\"最好\"]", "terms = \"最好\""),
            "wrong-type-list.toml:15:9: ",
            "invalid type: string \"最好\", expected a sequence",
        ),
        (
            "duplicate-id.toml",
            format!("{base}\n{rule}"),
            "duplicate-id.toml:20:7: ",
            "rule `exaggeration.best`: duplicate rule id in this pack",
        ),
        (
            "invalid-regex.toml",
            regex("最(好"),
            "invalid-regex.toml:15:14: ",
            "invalid regex: regex parse error",
        ),
        (
            "huge-regex.toml",
            regex("\\w{1000}{1000}"),
            "huge-regex.toml:15:14: ",
            "Compiled regex exceeds size limit",
        ),
        (
            "empty-term.toml",
            base.replace("terms = [\"最好\"]", "terms = [\"最好\", \"\u{200B}\"]"),
            "empty-term.toml:15:",
            "is empty after normalisation",
        ),
        (
            "bad.json",
            "{\n  \"id\": \"demo\",\n  \"version\": 1\n}".to_string(),
            "bad.json:3:",
            "invalid type: integer `1`",
        ),
    ];
    for (name, text, prefix, message) in &cases {
        std::fs::write(dir.join(name), text).expect("write");
        for args in [
            vec!["rules", "test", name],
            vec!["scan", "--packs", name, "-"],
        ] {
            let r = run(&args, "最好".as_bytes(), &dir);
            assert_eq!(r.code, 2, "{name}: {}", r.stderr);
            let expected = format!("error: {prefix}");
            assert!(
                r.stderr.starts_with(&expected) && r.stderr.contains(message),
                "{name}: expected `{expected}…{message}…`, got {}",
                r.stderr
            );
            assert!(r.stdout.is_empty(), "{name}: {}", r.stdout);
        }
    }
    // A duplicate across two packs names the second place and the first.
    std::fs::write(dir.join("a.toml"), base).expect("write");
    std::fs::write(dir.join("b.toml"), base.replace("\"demo\"", "\"demo-b\"")).expect("write");
    let r = run(&["rules", "test", "a.toml", "b.toml"], b"", &dir);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.starts_with("error: b.toml:10:7: rule `exaggeration.best`: duplicate rule id (first defined at a.toml:10:7)"),
        "{}",
        r.stderr
    );
}
