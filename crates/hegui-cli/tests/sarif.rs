//! `hegui scan --format sarif` output is valid SARIF 2.1.0 and locates every finding.

use std::io::Write;
use std::process::{Command, Stdio};

use serde_json::Value;

fn sarif_of(dir: &std::path::Path, files: &[(&str, &str)]) -> (i32, Value) {
    for (name, text) in files {
        std::fs::write(dir.join(name), text).expect("write input");
    }
    let mut child = Command::new(env!("CARGO_BIN_EXE_hegui"))
        .current_dir(dir)
        .args(["scan", "--format", "sarif"])
        .args(files.iter().map(|(name, _)| *name))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("runs");
    drop(child.stdin.take().map(|mut s| s.flush()));
    let output = child.wait_with_output().expect("output");
    let log = serde_json::from_slice(&output.stdout).expect("SARIF is JSON");
    (output.status.code().unwrap_or(-1), log)
}

fn validate(log: &Value) {
    if let Err(e) = check(log) {
        panic!("not valid SARIF 2.1.0: {e}\n{log:#}");
    }
}

fn check(log: &Value) -> Result<(), String> {
    let schema_path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/sarif-schema-2.1.0.json"
    );
    let schema: Value =
        serde_json::from_str(&std::fs::read_to_string(schema_path).expect("schema")).expect("json");
    let id = schema["$id"].as_str().expect("$id").to_owned();
    let mut schemas = boon::Schemas::new();
    let mut compiler = boon::Compiler::new();
    compiler.add_resource(&id, schema).expect("add schema");
    let index = compiler.compile(&id, &mut schemas).expect("compile schema");
    schemas.validate(log, index).map_err(|e| format!("{e:#}"))
}

#[test]
fn the_schema_check_rejects_broken_logs() {
    let dir = std::env::temp_dir().join(format!("hegui-sarif-broken-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let (_, log) = sarif_of(&dir, &[("a.txt", "转发领红包")]);
    let mut wrong_level = log.clone();
    wrong_level["runs"][0]["results"][0]["level"] = "block".into();
    assert!(check(&wrong_level).is_err());
    let mut no_version = log;
    no_version
        .as_object_mut()
        .expect("object")
        .remove("version");
    assert!(check(&no_version).is_err());
    std::fs::remove_dir_all(&dir).expect("cleanup");
}

#[test]
fn sarif_output_is_valid_and_locates_findings() {
    let dir = std::env::temp_dir().join(format!("hegui-sarif-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let campaign = "双11活动开始啦\n🎉转发本文到朋友圈，即可领取红包！\n详情 http://t.cn/RZwjG7U";
    let (code, log) = sarif_of(
        &dir,
        &[
            ("campaign.txt", campaign),
            ("clean.txt", "新品上市，欢迎选购。"),
        ],
    );
    assert_eq!(code, 1);
    validate(&log);
    let run = &log["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
    let results = run["results"].as_array().expect("results");
    assert!(results.len() >= 3, "{results:#?}");
    for result in results {
        let index = result["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(rules[index]["id"], result["ruleId"]);
        assert!(rules[index]["help"]["text"]
            .as_str()
            .expect("help")
            .contains("依据"));
        assert_eq!(
            result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            "campaign.txt"
        );
    }
    let share = results
        .iter()
        .find(|r| r["ruleId"] == "induce-share.reward-for-share")
        .expect("share finding");
    assert_eq!(share["level"], "error");
    let region = &share["locations"][0]["physicalLocation"]["region"];
    // Line 2 starts with an emoji: two UTF-16 code units, so the finding starts at column 3.
    assert_eq!(region["startLine"], 2);
    assert_eq!(region["startColumn"], 3);
    assert_eq!(region["snippet"]["text"], "转发本文到朋友圈，即可领取红包");
    let link = results
        .iter()
        .find(|r| r["ruleId"] == "external-link.shortener")
        .expect("link finding");
    assert_eq!(link["level"], "warning");
    assert_eq!(
        link["locations"][0]["physicalLocation"]["region"]["startLine"],
        3
    );
    std::fs::remove_dir_all(&dir).expect("cleanup");
}

#[test]
fn sarif_of_clean_input_is_valid_with_no_results() {
    let dir = std::env::temp_dir().join(format!("hegui-sarif-clean-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let (code, log) = sarif_of(&dir, &[("clean.txt", "新品上市，欢迎选购。")]);
    assert_eq!(code, 0);
    validate(&log);
    assert_eq!(log["runs"][0]["results"], serde_json::json!([]));
    std::fs::remove_dir_all(&dir).expect("cleanup");
}
