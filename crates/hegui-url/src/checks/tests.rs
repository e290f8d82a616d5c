use super::*;
use crate::rules::*;
use crate::LinkSeverity::*;

/// (URL or text containing one link, expected rule ids in any order).
const CASES: &[(&str, &[&str])] = &[
    ("https://www.example.com/act/2025", &[]),
    ("http://www.example.com/", &[PLAIN_HTTP]),
    ("www.example.com", &[]),
    // shorteners
    ("http://t.cn/RZwjG7U", &[SHORTENER, PLAIN_HTTP]),
    ("https://bit.ly/abc", &[SHORTENER]),
    ("https://w.url.cn/s/abc", &[SHORTENER]),
    // IP hosts in every WHATWG spelling, ports
    (
        "http://47.98.1.2:8080/hb.apk",
        &[IP_HOST, NON_DEFAULT_PORT, DOWNLOAD, PLAIN_HTTP],
    ),
    ("https://3232235777/", &[IP_HOST]),
    ("https://0xC0A80101/", &[IP_HOST]),
    ("https://0300.0250.1.1/", &[IP_HOST]),
    ("https://192.168.0x1.1/", &[IP_HOST]),
    ("https://[::1]/", &[IP_HOST]),
    (
        "https://[::ffff:192.168.1.1]:8443/",
        &[IP_HOST, NON_DEFAULT_PORT],
    ),
    ("访问 10.0.0.1 即可", &[IP_HOST]),
    ("https://www.example.com:443/", &[]),
    // userinfo
    ("https://weixin.qq.com@evil.example/", &[USERINFO]),
    ("https://user:pw@www.example.com/", &[USERINFO]),
    // downloads
    ("https://www.example.com/app/Setup.EXE?v=1#x", &[DOWNLOAD]),
    ("https://www.example.com/a.zip/", &[]),
    ("https://www.example.com/file.7z", &[DOWNLOAD]),
    // nested redirects
    (
        "https://www.example.com/r?url=https%3A%2F%2Fevil.example%2F",
        &[NESTED_REDIRECT],
    ),
    (
        "https://www.example.com/r?a=1&Redirect_Uri=//evil.example",
        &[NESTED_REDIRECT],
    ),
    (
        "https://www.example.com/r?goto=evil.com/x",
        &[NESTED_REDIRECT],
    ),
    ("https://www.example.com/r?u=hello", &[]),
    ("https://www.example.com/r?q=https://x.com", &[]),
    (
        "https://www.example.com/jump/https://evil.com/",
        &[NESTED_REDIRECT],
    ),
    // look-alikes
    ("https://weixin-qq.com/", &[HOMOGRAPH]),
    ("https://wx-pay.top/", &[HOMOGRAPH, RISKY_TLD]),
    ("https://qq-com.xyz/", &[HOMOGRAPH, RISKY_TLD]),
    ("https://аlipay.com/", &[HOMOGRAPH]),
    ("https://xn--lipay-3ve.com/", &[HOMOGRAPH]),
    ("https://taobao.corn/", &[HOMOGRAPH]),
    ("https://weixin.qq.com.login.top/", &[HOMOGRAPH, RISKY_TLD]),
    ("https://mp.weixin.qq.com/s/abc", &[]),
    ("https://例子.中国/", &[]),
    // disguised forms
    ("加www点example点com", &[OBFUSCATED]),
    ("ｗｗｗ．ｅｘａｍｐｌｅ．ｃｏｍ", &[OBFUSCATED]),
    // risky TLDs
    ("https://promo.example.icu/", &[RISKY_TLD]),
];

fn ids(report: &LinkReport) -> Vec<&'static str> {
    let mut v: Vec<_> = report.issues.iter().map(|i| i.rule_id).collect();
    v.sort_unstable();
    v
}

fn report_for(text: &str, policy: &Policy) -> LinkReport {
    let links = extract(text);
    assert_eq!(links.len(), 1, "{text}: {links:?}");
    check(&links[0], policy)
}

#[test]
fn table() {
    let policy = Policy::default();
    for (text, expected) in CASES {
        let report = report_for(text, &policy);
        let mut expected = expected.to_vec();
        expected.sort_unstable();
        assert_eq!(ids(&report), expected, "{text}: {report:#?}");
        for issue in &report.issues {
            assert!(
                !issue.message.is_empty() && !issue.message.is_ascii(),
                "{issue:?}"
            );
        }
    }
}

#[test]
fn userinfo_message_names_real_host() {
    let report = report_for("https://weixin.qq.com@evil.example/", &Policy::default());
    assert_eq!(report.issues[0].severity, Block);
    assert!(
        report.issues[0].message.contains("evil.example"),
        "{report:?}"
    );
}

#[test]
fn allow_and_deny_lists() {
    let mut policy = Policy::default();
    policy.allow.insert("t.cn".into());
    policy.allow.insert("example.com".into());
    policy.deny.insert("evil.example".into());
    policy.deny.insert("example.com".into()); // allow wins
    policy.filed_domains = Some(["filed.cn".to_owned()].into());
    let table: &[(&str, &[&str])] = &[
        ("http://t.cn/RZwjG7U", &[]),
        ("http://a.b.example.com:8080/x.apk?url=http://x.com", &[]),
        (
            "https://www.evil.example/",
            &[DENIED_DOMAIN, UNFILED_DOMAIN],
        ),
        ("https://notevil.example/", &[UNFILED_DOMAIN]),
        ("https://www.filed.cn/", &[]),
        (
            "https://weixin.qq.com@evil.example/",
            &[DENIED_DOMAIN, USERINFO, UNFILED_DOMAIN],
        ),
    ];
    for (text, expected) in table {
        let report = report_for(text, &policy);
        let mut expected = expected.to_vec();
        expected.sort_unstable();
        assert_eq!(ids(&report), expected, "{text}");
    }
    let report = report_for("https://notevil.example/", &policy);
    assert_eq!(
        report.issues[0].message,
        "域名“notevil.example”未备案或备案状态未知"
    );
}

#[test]
fn severity_overrides_and_order() {
    let mut policy = Policy::default();
    policy.off.insert(PLAIN_HTTP.into());
    policy.severity.insert(SHORTENER.into(), Block);
    let report = report_for("http://t.cn/x?url=http://a.com", &policy);
    let got: Vec<_> = report
        .issues
        .iter()
        .map(|i| (i.rule_id, i.severity))
        .collect();
    assert_eq!(got, [(SHORTENER, Block), (NESTED_REDIRECT, Review)]);
}

#[test]
fn unparseable_link_reports_nothing() {
    let link = ExtractedLink {
        span: 0..9,
        text: "http://[x".into(),
        normalized: "http://[x".into(),
        obfuscation: vec![],
        has_scheme: true,
    };
    let report = check(&link, &Policy::default());
    assert_eq!((report.host, report.issues.len()), (None, 0));
}

#[test]
fn check_url_and_scan() {
    let policy = Policy::default();
    let checker = LinkChecker::new(&policy);
    assert!(checker.check_url("bit.ly/x").has(SHORTENER));
    let found = checker.scan("A: http://t.cn/a ，B: www点example点com。");
    assert_eq!(found.len(), 2);
    assert!(found[1].report.has(OBFUSCATED));
}

#[test]
fn download_wording_next_to_a_link() {
    let checker = LinkChecker::new(&Policy::default());
    let fired = |text: &str| {
        checker
            .scan(text)
            .iter()
            .any(|s| s.report.has(APP_DOWNLOAD))
    };
    assert!(fired("点击下载APP：https://app.example.com/get 新人领券"));
    assert!(fired("扫码或打开 https://m.example.com/x 安装客户端"));
    assert!(fired("Download: https://example.com/app"));
    // A different clause, or no download words: no finding.
    assert!(!fired("下载已完成。详情见 https://www.example.com/news"));
    assert!(!fired("活动详情见 https://www.example.com/act"));
    // The extension check already says it; the wording is not repeated.
    let found = checker.scan("下载 https://example.com/a.apk");
    assert!(found[0].report.has(DOWNLOAD) && !found[0].report.has(APP_DOWNLOAD));
    // `check` alone has no text around the link.
    let link = &extract("下载 https://app.example.com/")[0];
    assert!(!checker.check(link).has(APP_DOWNLOAD));
    assert!(checker
        .check_in("下载 https://app.example.com/", link)
        .has(APP_DOWNLOAD));
    // The word list is policy data; the rule can be switched off.
    let policy: Policy = toml::from_str(r#"off = ["external-link.app-download"]"#).expect("policy");
    assert!(
        !LinkChecker::new(&policy).scan("点击下载 https://app.example.com/")[0]
            .report
            .has(APP_DOWNLOAD)
    );
}
