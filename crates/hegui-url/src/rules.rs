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
    }
}
