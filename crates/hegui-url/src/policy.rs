//! The link policy: allow/deny lists, protected domains, shortener and TLD
//! lists, and per-rule severity overrides. Serialisable so that a rule pack
//! can carry it as a `[links]` TOML table.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde::{Deserialize, Deserializer, Serialize};

use crate::host::normalize_host;
use crate::rules::{default_severity, LinkSeverity};

/// Settings for [`check`](crate::check).
///
/// Every field has a default ([`Policy::default`]); a TOML table only needs
/// the fields it changes. Lists *replace* the defaults. Domain entries are
/// normalised on deserialisation (lower-case, IDNA ASCII, no leading `*.`/`.`
/// or trailing `.`); when building a policy in code, call
/// [`Policy::normalize`] after filling domain lists by hand.
///
/// ```
/// let policy: hegui_url::Policy = toml::from_str(r#"
///     allow = ["example.com"]
///     deny = ["Evil.Example"]
///     off = ["external-link.plain-http"]
///     severity = { "external-link.shortener" = "block" }
/// "#).unwrap();
/// assert!(policy.deny.contains("evil.example"));
/// assert!(policy.validate().is_ok());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct Policy {
    /// Trusted domains (subdomains included): a link here gets no issue at all.
    #[serde(deserialize_with = "domain_set")]
    pub allow: BTreeSet<String>,
    /// Forbidden domains (subdomains included): `external-link.denied-domain`.
    #[serde(deserialize_with = "domain_set")]
    pub deny: BTreeSet<String>,
    /// Domains that look-alikes must not imitate (`external-link.homograph`).
    #[serde(deserialize_with = "domain_set")]
    pub protected: BTreeSet<String>,
    /// Brand words that must not be joined with `-` into another domain
    /// (`weixin-qq.com`, `wx-pay.top`). The first labels of the protected
    /// registrable domains are brand words too.
    pub brands: BTreeSet<String>,
    /// Whether the built-in shortener list is used.
    pub builtin_shorteners: bool,
    /// Extra shortener domains on top of the built-in list.
    #[serde(deserialize_with = "domain_set")]
    pub shorteners_extra: BTreeSet<String>,
    /// Risky top-level domains (without dot): `external-link.risky-tld`.
    pub risky_tlds: BTreeSet<String>,
    /// File extensions (without dot) that make a link a download.
    pub download_extensions: BTreeSet<String>,
    /// Query parameter names that indicate a redirect when holding a URL.
    pub redirect_params: BTreeSet<String>,
    /// Words that, written just before or after a link (same clause), make it
    /// an app-download link: `external-link.app-download`. Matched
    /// case-insensitively.
    pub download_words: BTreeSet<String>,
    /// ICP-filed registrable domains. When set, any other domain gets
    /// `external-link.unfiled-domain`; when absent that check is skipped.
    #[serde(deserialize_with = "opt_domain_set")]
    pub filed_domains: Option<BTreeSet<String>>,
    /// Severity overrides by rule id.
    pub severity: BTreeMap<String, LinkSeverity>,
    /// Rule ids switched off.
    pub off: BTreeSet<String>,
}

const PROTECTED: &[&str] = &[
    "qq.com",
    "weixin.qq.com",
    "wechat.com",
    "tenpay.com",
    "alipay.com",
    "taobao.com",
    "tmall.com",
    "alibaba.com",
    "jd.com",
    "pinduoduo.com",
    "meituan.com",
    "douyin.com",
    "baidu.com",
    "weibo.com",
    "icbc.com.cn",
    "ccb.com",
    "boc.cn",
    "abchina.com",
    "bankcomm.com",
    "cmbchina.com",
    "psbc.com",
    "95516.com",
    "unionpay.com",
    "pingan.com",
    "gov.cn",
    "12306.cn",
    "chsi.com.cn",
    "apple.com",
    "icloud.com",
    "microsoft.com",
    "paypal.com",
];
const BRANDS: &[&str] = &[
    "wx", "wxpay", "weixin", "wechat", "qq", "tenpay", "alipay", "zhifubao", "taobao", "tmall",
    "jd", "jingdong", "icbc", "ccb", "boc", "abchina", "bankcomm", "cmbchina", "cmb", "psbc",
    "unionpay", "95516", "pingan", "12306", "apple", "icloud", "paypal",
];
const RISKY_TLDS: &[&str] = &["xyz", "top", "icu", "tk", "ml", "ga", "cf", "gq"];
const DOWNLOADS: &[&str] = &[
    "apk", "ipa", "exe", "msi", "bat", "jar", "zip", "rar", "7z", "dmg",
];
const REDIRECT_PARAMS: &[&str] = &[
    "url",
    "redirect",
    "redirect_uri",
    "redirect_url",
    "target",
    "jump",
    "goto",
    "u",
    "link",
    "to",
    "dest",
    "return",
    "returnurl",
    "next",
];

const DOWNLOAD_WORDS: &[&str] = &[
    "下载",
    "安装",
    "安装包",
    "装机",
    "下个app",
    "装个app",
    "download",
    "app store",
    "应用商店",
    "应用市场",
];

fn set(items: &[&str]) -> BTreeSet<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

impl Default for Policy {
    fn default() -> Self {
        Self {
            allow: BTreeSet::new(),
            deny: BTreeSet::new(),
            protected: set(PROTECTED),
            brands: set(BRANDS),
            builtin_shorteners: true,
            shorteners_extra: BTreeSet::new(),
            risky_tlds: set(RISKY_TLDS),
            download_extensions: set(DOWNLOADS),
            redirect_params: set(REDIRECT_PARAMS),
            download_words: set(DOWNLOAD_WORDS),
            filed_domains: None,
            severity: BTreeMap::new(),
            off: BTreeSet::new(),
        }
    }
}

/// A policy that names a rule id this crate does not know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyError {
    /// The unknown rule id.
    pub rule_id: String,
}

impl fmt::Display for PolicyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown external-link rule id `{}`", self.rule_id)
    }
}

impl std::error::Error for PolicyError {}

impl Policy {
    /// The severity `rule_id` is reported with, or `None` when it is off.
    #[must_use]
    pub fn severity_of(&self, rule_id: &str) -> Option<LinkSeverity> {
        if self.off.contains(rule_id) {
            return None;
        }
        self.severity
            .get(rule_id)
            .copied()
            .or_else(|| default_severity(rule_id))
    }

    /// Checks that `severity` and `off` only name known rule ids.
    ///
    /// # Errors
    /// The first unknown rule id.
    pub fn validate(&self) -> Result<(), PolicyError> {
        let ids = self.severity.keys().chain(self.off.iter());
        match ids.into_iter().find(|id| default_severity(id).is_none()) {
            Some(id) => Err(PolicyError {
                rule_id: id.clone(),
            }),
            None => Ok(()),
        }
    }

    /// Normalises every domain and word list in place (see the type docs).
    pub fn normalize(&mut self) {
        for list in [
            &mut self.allow,
            &mut self.deny,
            &mut self.protected,
            &mut self.shorteners_extra,
        ] {
            *list = normalize_domains(std::mem::take(list));
        }
        if let Some(filed) = self.filed_domains.take() {
            self.filed_domains = Some(normalize_domains(filed));
        }
        for list in [
            &mut self.brands,
            &mut self.risky_tlds,
            &mut self.download_extensions,
            &mut self.redirect_params,
            &mut self.download_words,
        ] {
            *list = list
                .iter()
                .map(|s| s.trim().trim_start_matches('.').to_lowercase())
                .collect();
        }
    }
}

/// Normalises one domain-list entry; entries IDNA rejects are kept
/// lower-cased so they stay visible in the policy.
fn normalize_domain(entry: &str) -> String {
    let entry = entry
        .trim()
        .trim_start_matches("*.")
        .trim_start_matches('.');
    normalize_host(entry).unwrap_or_else(|| entry.to_lowercase())
}

fn normalize_domains<I: IntoIterator<Item = String>>(items: I) -> BTreeSet<String> {
    items
        .into_iter()
        .map(|s| normalize_domain(&s))
        .filter(|s| !s.is_empty())
        .collect()
}

fn domain_set<'de, D: Deserializer<'de>>(d: D) -> Result<BTreeSet<String>, D::Error> {
    Vec::<String>::deserialize(d).map(normalize_domains)
}

fn opt_domain_set<'de, D: Deserializer<'de>>(d: D) -> Result<Option<BTreeSet<String>>, D::Error> {
    Option::<Vec<String>>::deserialize(d).map(|v| v.map(normalize_domains))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::{PLAIN_HTTP, SHORTENER};

    #[test]
    fn toml_round_trip_and_overrides() {
        let policy: Policy = toml::from_str(
            r#"
            allow = ["*.Example.com", "例子.中国"]
            filed-domains = ["Example.cn."]
            off = ["external-link.plain-http"]
            severity = { "external-link.shortener" = "block" }
            "#,
        )
        .expect("valid policy");
        assert_eq!(
            set(&["example.com", "xn--fsqu00a.xn--fiqs8s"]),
            policy.allow
        );
        assert_eq!(policy.filed_domains, Some(set(&["example.cn"])));
        assert_eq!(policy.protected, set(PROTECTED), "defaults kept");
        assert_eq!(policy.severity_of(PLAIN_HTTP), None);
        assert_eq!(policy.severity_of(SHORTENER), Some(LinkSeverity::Block));
        let text = serde_json::to_string(&policy).expect("serialises");
        assert_eq!(
            serde_json::from_str::<Policy>(&text).expect("round trip"),
            policy
        );
    }

    #[test]
    fn rejects_unknown_fields_and_ids() {
        assert!(toml::from_str::<Policy>("alow = []").is_err());
        let policy: Policy = toml::from_str(r#"off = ["external-link.nope"]"#).expect("parses");
        assert_eq!(
            policy.validate().map_err(|e| e.rule_id),
            Err("external-link.nope".into())
        );
    }

    #[cfg(feature = "schema")]
    #[test]
    fn json_schema() {
        let schema = serde_json::to_string(&schemars::schema_for!(Policy)).expect("serialises");
        assert!(
            schema.contains("risky-tlds") && schema.contains("filed-domains"),
            "{schema}"
        );
    }

    #[test]
    fn normalize_in_code() {
        let mut policy = Policy::default();
        policy.deny.insert(" .Evil.Example. ".into());
        policy.risky_tlds.insert(".ZIP".into());
        policy.normalize();
        assert!(policy.deny.contains("evil.example"));
        assert!(policy.risky_tlds.contains("zip"));
    }
}
