//! Stable rule ids of the `external-link` category and their default
//! severities.

use serde::{Deserialize, Serialize};

/// How serious a link issue is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum LinkSeverity {
    /// Information only (e.g. plain `http`).
    Notice,
    /// Needs a human look before publishing.
    Review,
    /// Must not be published as is.
    Block,
}

/// Host (or a parent domain) is a URL shortener.
pub const SHORTENER: &str = "external-link.shortener";
/// Host is an IPv4/IPv6 literal.
pub const IP_HOST: &str = "external-link.ip-host";
/// URL has a non-default port.
pub const NON_DEFAULT_PORT: &str = "external-link.non-default-port";
/// Path ends in a download extension (`.apk`, `.exe`…).
pub const DOWNLOAD: &str = "external-link.download";
/// Download wording (`下载`, `安装`…) right before or after a link.
pub const APP_DOWNLOAD: &str = "external-link.app-download";
/// URL carries userinfo (`https://weixin.qq.com@evil.example/`).
pub const USERINFO: &str = "external-link.userinfo";
/// A query parameter holds another URL.
pub const NESTED_REDIRECT: &str = "external-link.nested-redirect";
/// Host imitates a protected domain (confusables, mixed scripts, brand-hyphen).
pub const HOMOGRAPH: &str = "external-link.homograph";
/// Host is on the policy's deny list.
pub const DENIED_DOMAIN: &str = "external-link.denied-domain";
/// Registrable domain is not on the policy's ICP filing list.
pub const UNFILED_DOMAIN: &str = "external-link.unfiled-domain";
/// Scheme without TLS (`http`, `ftp`).
pub const PLAIN_HTTP: &str = "external-link.plain-http";
/// Link was written in a disguised form.
pub const OBFUSCATED: &str = "external-link.obfuscated";
/// Top-level domain is on the risky list.
pub const RISKY_TLD: &str = "external-link.risky-tld";

/// Every rule id with its default severity, in reporting order.
pub const RULES: &[(&str, LinkSeverity)] = &[
    (DENIED_DOMAIN, LinkSeverity::Block),
    (USERINFO, LinkSeverity::Block),
    (HOMOGRAPH, LinkSeverity::Block),
    (IP_HOST, LinkSeverity::Review),
    (NON_DEFAULT_PORT, LinkSeverity::Review),
    (DOWNLOAD, LinkSeverity::Review),
    (APP_DOWNLOAD, LinkSeverity::Review),
    (NESTED_REDIRECT, LinkSeverity::Review),
    (SHORTENER, LinkSeverity::Review),
    (OBFUSCATED, LinkSeverity::Review),
    (UNFILED_DOMAIN, LinkSeverity::Review),
    (RISKY_TLD, LinkSeverity::Notice),
    (PLAIN_HTTP, LinkSeverity::Notice),
];

/// What each check flags, in Chinese, for rule listings and docs.
pub const DESCRIPTIONS: &[(&str, &str)] = &[
    (DENIED_DOMAIN, "链接域名（含子域名）在禁止名单中"),
    (USERINFO, "链接用“@”前的可信域名伪装真实网站（https://weixin.qq.com@evil.example/）"),
    (HOMOGRAPH, "域名仿冒受保护域名：形近字符、混合文字、punycode 或品牌词拼接（аlipay.com、taobao.corn、weixin-qq.com）"),
    (IP_HOST, "链接直接使用 IP 地址（点分、十进制、十六进制、八进制、IPv6 各种写法）"),
    (NON_DEFAULT_PORT, "链接使用非标准端口"),
    (DOWNLOAD, "链接指向 .apk .ipa .exe .msi .bat .jar .zip .rar .7z .dmg 等安装包或压缩包下载"),
    (APP_DOWNLOAD, "链接前后同一分句内有“下载”“安装”“应用商店”等下载引导用语"),
    (NESTED_REDIRECT, "链接通过 url=、redirect=、target= 等参数或路径再跳转到另一个网址"),
    (SHORTENER, "短链接（t.cn、dwz.cn、bit.ly 等）隐藏真实目标地址"),
    (OBFUSCATED, "域名以变形方式书写以规避审核：“点”字、句号、全角字符、空格或不可见字符"),
    (UNFILED_DOMAIN, "给出备案清单时，注册域名不在清单中（未备案或备案状态未知）"),
    (RISKY_TLD, "域名使用常被滥用的后缀（.xyz .top .icu 等）"),
    (PLAIN_HTTP, "链接使用未加密的 http:// 或 ftp://"),
];

/// The Chinese description of `rule_id`, or `None` for an unknown id.
#[must_use]
pub fn describe(rule_id: &str) -> Option<&'static str> {
    DESCRIPTIONS
        .iter()
        .find(|(id, _)| *id == rule_id)
        .map(|&(_, d)| d)
}

/// The default severity of `rule_id`, or `None` for an unknown id.
#[must_use]
pub fn default_severity(rule_id: &str) -> Option<LinkSeverity> {
    RULES.iter().find(|(id, _)| *id == rule_id).map(|&(_, s)| s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_categorised() {
        for (i, (id, _)) in RULES.iter().enumerate() {
            assert!(id.starts_with("external-link."), "{id}");
            assert!(RULES[i + 1..].iter().all(|(other, _)| other != id), "{id}");
        }
        assert_eq!(default_severity(USERINFO), Some(LinkSeverity::Block));
        assert_eq!(default_severity("external-link.nope"), None);
        assert_eq!(DESCRIPTIONS.len(), RULES.len());
        assert!(RULES.iter().all(|(id, _)| describe(id).is_some()));
    }
}
