//! Each platform limit of the built-in profiles, and the proposal for a plan over them.

use hegui_plan::{check, default_platforms, Plan, PlanError, Severity};

fn plan(toml: &str) -> Plan {
    toml::from_str(toml).expect("plan parses")
}

fn rules(toml: &str, advice: bool) -> Vec<(&'static str, Severity)> {
    let report = check(&plan(toml), &default_platforms(), advice).expect("checks");
    report
        .findings
        .iter()
        .map(|f| (f.rule_id, f.severity))
        .collect()
}

#[test]
fn per_send_limit_is_200_on_wechat_mobile_and_1000_on_dingtalk() {
    let over = r#"platform = "wechat"
client = "mobile"
recipients = 201
send-at = ["2026-11-26T19:00:00"]"#;
    assert!(rules(over, false).contains(&("plan.per-send-limit", Severity::Block)));
    let ok = over.replace("201", "200");
    assert!(!rules(&ok, false)
        .iter()
        .any(|(id, _)| *id == "plan.per-send-limit"));
    let desktop = over.replace("mobile", "desktop");
    assert!(!rules(&desktop, false)
        .iter()
        .any(|(id, _)| *id == "plan.per-send-limit"));
    let dingtalk = r#"platform = "dingtalk"
client = "pc"
recipients = 1001
send-at = ["2026-11-26T19:00:00"]"#;
    assert!(rules(dingtalk, false).contains(&("plan.per-send-limit", Severity::Block)));
}

#[test]
fn twenty_sends_a_day_counting_resends() {
    let times: Vec<String> = (0..19)
        .map(|i| format!("\"2026-11-26T{:02}:{:02}:00\"", 8 + i / 2, (i % 2) * 30))
        .collect();
    let base = format!(
        "platform = \"wechat\"\nclient = \"mobile\"\nrecipients = 19\nsend-at = [{}]\n",
        times.join(", ")
    );
    assert!(!rules(&base, false)
        .iter()
        .any(|(id, _)| *id == "plan.daily-send-limit"));
    let with_resends = format!("{base}resends = 2\n");
    assert!(rules(&with_resends, false).contains(&("plan.daily-send-limit", Severity::Block)));
}

#[test]
fn volume_over_200_a_day_is_risky() {
    let toml = r#"platform = "wechat"
client = "mobile"
sends = [{at = "2026-11-26T19:00:00", recipients = 150}, {at = "2026-11-26T20:00:00", recipients = 150}]"#;
    assert_eq!(
        rules(toml, false),
        [("plan.daily-volume", Severity::Review)]
    );
}

#[test]
fn schedules_off_the_grid() {
    let wechat = r#"platform = "wechat"
client = "mobile"
recipients = 10
send-at = ["2026-11-26T19:07:00"]"#;
    assert_eq!(
        rules(wechat, false),
        [("plan.schedule-grid", Severity::Review)]
    );
    let dingtalk = r#"platform = "dingtalk"
client = "pc"
recipients = 10
send-at = ["2026-11-26T19:07:00"]"#;
    assert!(
        rules(dingtalk, false).is_empty(),
        "DingTalk schedules by the minute"
    );
    let seconds = dingtalk.replace("19:07:00", "19:07:30");
    assert_eq!(
        rules(&seconds, false),
        [("plan.schedule-grid", Severity::Review)]
    );
    let third = r#"platform = "platform-c"
recipients = 10
send-at = ["2026-11-26T19:07:31"]"#;
    assert!(rules(third, false).is_empty(), "second-level scheduling");
}

#[test]
fn media_needs_review_time_after_upload() {
    let toml = |uploaded: &str| {
        format!(
            r#"platform = "wechat"
client = "mobile"
recipients = 10
send-at = ["2026-11-26T19:00:00"]
[[messages]]
id = "article"
type = "news"
title = "年度盛典"
uploaded-at = "{uploaded}""#
        )
    };
    assert_eq!(
        rules(&toml("2026-11-26T18:58:00"), false),
        [("plan.media-review", Severity::Block)]
    );
    assert_eq!(
        rules(&toml("2026-11-26T18:50:00"), false),
        [("plan.media-review", Severity::Review)]
    );
    assert!(rules(&toml("2026-11-26T18:30:00"), false).is_empty());
}

#[test]
fn timing_advice_only_when_asked() {
    let toml = r#"platform = "wechat"
client = "mobile"
recipients = 10
send-at = ["2026-11-26T09:00:00"]"#;
    assert!(rules(toml, false).is_empty());
    assert_eq!(
        rules(toml, true),
        [("plan.timing-advice", Severity::Notice)]
    );
}

#[test]
fn a_plan_over_the_limits_gets_a_compliant_proposal() {
    let toml = r#"platform = "wechat"
client = "mobile"
groups = [{name = "老客户", count = 2500}, {name = "新客户", count = 1700}]
send-at = ["2026-11-26T19:05:00"]"#;
    let report = check(&plan(toml), &default_platforms(), false).expect("checks");
    let proposal = &report.proposal;
    assert_eq!(proposal.iter().map(|b| b.recipients).sum::<u64>(), 4200);
    assert_eq!(proposal.len(), 21);
    assert!(proposal.iter().all(|b| b.recipients <= 200));
    assert_eq!(proposal[0].send_at.to_string(), "2026-11-26T19:15:00");
    // 20 sends a day: the 21st goes out the next day.
    assert_eq!(proposal[20].send_at.date().to_string(), "2026-11-27");
    for pair in proposal.windows(2) {
        assert!(pair[1].send_at.duration_since(pair[0].send_at).as_secs() >= 30 * 60);
    }
}

#[test]
fn errors() {
    let unknown = plan("platform = \"fax\"\nrecipients = 1\nsend-at = [\"2026-11-26T19:00:00\"]");
    assert!(matches!(
        check(&unknown, &default_platforms(), false),
        Err(PlanError::UnknownPlatform { .. })
    ));
    let no_time = plan("platform = \"platform-c\"\nrecipients = 1");
    assert_eq!(
        check(&no_time, &default_platforms(), false),
        Err(PlanError::NoSends)
    );
    assert!(
        toml::from_str::<Plan>("platform = \"x\"\nrecipient = 3").is_err(),
        "unknown keys are errors"
    );
}
