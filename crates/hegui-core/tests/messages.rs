//! Structured messages (fields, HTML bodies) and channel profiles.

use hegui_core::{Message, MessageError, MessageType, Scanner, Severity};

fn scanner() -> &'static Scanner {
    static SCANNER: std::sync::OnceLock<Scanner> = std::sync::OnceLock::new();
    SCANNER.get_or_init(Scanner::with_default_packs)
}

fn ids(findings: &[hegui_core::Finding]) -> Vec<(String, Option<String>)> {
    findings
        .iter()
        .map(|f| (f.rule_id.to_string(), f.field.as_deref().map(str::to_owned)))
        .collect()
}

#[test]
fn each_finding_names_its_field_with_spans_relative_to_it() {
    let message = Message {
        kind: Some(MessageType::Link),
        title: Some("全网最低价，限时抢购".into()),
        digest: Some("转发本文到朋友圈，即可领取红包".into()),
        url: Some("http://t.cn/RZwjG7U".into()),
        ..Message::default()
    };
    let report = scanner().scan_message(&message).expect("scans");
    for finding in &report.findings {
        let field = finding.field.as_deref().expect("field");
        let source = message.field(field).expect("field text");
        let [s, e] = finding.span.byte;
        assert_eq!(&source[s..e], finding.text, "{finding:?}");
        assert_eq!(source[..s].chars().count(), finding.span.char[0]);
    }
    let found = ids(&report.findings);
    assert!(
        found.contains(&(
            "induce-share.reward-for-share".into(),
            Some("digest".into())
        )),
        "{found:?}"
    );
    assert!(
        found.contains(&("external-link.shortener".into(), Some("url".into()))),
        "{found:?}"
    );
    assert!(
        found.iter().any(|(_, f)| f.as_deref() == Some("title")),
        "{found:?}"
    );
}

#[test]
fn html_findings_point_into_the_html_source() {
    let html = "<section><p>转<b>发</b>本文到朋友圈，即可&#39046;取红包</p>\
                <script>var s = '转发领红包';</script>\
                <p>详情 <a href=\"http://47.98.1.2:8080/app.apk\">点此</a></p></section>";
    let message = Message {
        kind: Some(MessageType::News),
        title: Some("年度盛典".into()),
        html: Some(html.into()),
        ..Message::default()
    };
    let report = scanner().scan_message(&message).expect("scans");
    let share: Vec<_> = report
        .findings
        .iter()
        .filter(|f| &*f.rule_id == "induce-share.reward-for-share")
        .collect();
    assert_eq!(
        share.len(),
        1,
        "script text is not scanned: {:?}",
        ids(&report.findings)
    );
    assert_eq!(share[0].field.as_deref(), Some("html"));
    assert_eq!(share[0].text, "转<b>发</b>本文到朋友圈，即可&#39046;取红包");
    let [s, e] = share[0].span.byte;
    assert_eq!(&html[s..e], share[0].text);
    let ip = report
        .findings
        .iter()
        .find(|f| &*f.rule_id == "external-link.ip-host")
        .expect("href checked");
    assert_eq!(ip.text, "http://47.98.1.2:8080/app.apk");
    assert_eq!(&html[ip.span.byte[0]..ip.span.byte[1]], ip.text);
}

#[test]
fn a_plain_text_message_scans_like_text() {
    let text = "转发本文到朋友圈，即可领取红包";
    let plain = scanner().scan(text);
    let message = scanner().scan_message(&Message::text(text)).expect("scans");
    assert_eq!(plain.findings.len(), message.findings.len());
    assert_eq!(plain.findings[0].span, message.findings[0].span);
    assert_eq!(message.findings[0].field.as_deref(), Some("text"));
}

#[test]
fn rules_see_fields_together_but_never_match_across_them() {
    // A near rule must not join 转发 in the title with 红包 in the digest.
    let message = Message {
        title: Some("欢迎转发".into()),
        digest: Some("红包封面上新".into()),
        ..Message::default()
    };
    let report = scanner().scan_message(&message).expect("scans");
    assert!(
        report
            .findings
            .iter()
            .all(|f| &*f.rule_id != "induce-share.reward-for-share"),
        "{:?}",
        ids(&report.findings)
    );
}

#[test]
fn sms_needs_a_signature_and_an_opt_out_when_promotional() {
    let check = |text: &str| {
        let report = scanner()
            .scan_in(text, Some("sms"))
            .expect("sms is a channel");
        let mut ids: Vec<String> = report
            .findings
            .iter()
            .filter(|f| f.rule_id.starts_with("channel."))
            .map(|f| f.rule_id.to_string())
            .collect();
        ids.sort();
        ids
    };
    assert_eq!(
        check("双11全场5折，点击领券"),
        ["channel.sms-opt-out", "channel.sms-signature"]
    );
    assert_eq!(
        check("【某某旗舰店】双11全场5折，点击领券"),
        ["channel.sms-opt-out"]
    );
    assert!(check("【某某旗舰店】双11全场5折，回T退订").is_empty());
    assert!(check("您的验证码是 123456").is_empty(), "not promotional");
    // The same text without a channel has no channel findings.
    let report = scanner().scan("双11全场5折，点击领券");
    assert!(report
        .findings
        .iter()
        .all(|f| !f.rule_id.starts_with("channel.")));
    let missing = scanner()
        .scan_in("双11全场5折", Some("sms"))
        .expect("scans");
    let signature = missing
        .findings
        .iter()
        .find(|f| &*f.rule_id == "channel.sms-signature")
        .expect("missing signature");
    assert_eq!(signature.span.byte, [0, 0]);
    assert_eq!(signature.severity, Severity::Review);
}

#[test]
fn moments_raises_tokens_and_unknown_channels_are_errors() {
    let report = scanner()
        .scan_in(
            "好物分享，复制这段话打开手机淘宝 ￥AbCd1234EfG￥",
            Some("moments"),
        )
        .expect("moments is a channel");
    let token = report
        .findings
        .iter()
        .find(|f| &*f.rule_id == "channel.moments-token")
        .expect("token");
    assert!(token.text.contains("复制"));
    assert!(matches!(
        scanner().scan_in("你好", Some("fax")),
        Err(MessageError::UnknownChannel { .. })
    ));
    assert_eq!(
        scanner().scan_message(&Message::default()),
        Err(MessageError::Empty)
    );
}

#[test]
fn channel_severity_overrides_apply() {
    let urgent = "【某店】最后一天，限时抢购，回T退订";
    let plain = scanner().scan(urgent);
    let sms = scanner().scan_in(urgent, Some("sms")).expect("scans");
    let severity = |r: &hegui_core::Report| {
        r.findings
            .iter()
            .find(|f| &*f.rule_id == "exaggeration.urgency")
            .map(|f| f.severity)
    };
    if let Some(before) = severity(&plain) {
        assert!(before >= Severity::Notice);
        assert_eq!(severity(&sms), Some(Severity::Notice));
    }
}
