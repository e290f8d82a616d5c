//! External links (`external-link`): the `hegui-url` checker run on the original text,
//! its issues turned into findings.

use std::sync::Arc;

use std::collections::BTreeSet;

use hegui_url::{LinkChecker, LinkSeverity, Obfuscation, ScannedLink};
use serde::Serialize;

use crate::error::{Location, PackError};
use crate::finding::{Finding, Span, SpanCounter, Step};
use crate::pack::{RulePack, LINK_CATEGORY};

/// The platform rules behind every `external-link` finding (its `basis`).
pub const LINK_BASIS: &str = "《微信外部链接内容管理规范》；《微信公众平台运营规范》";
const SUGGESTION: &str =
    "改用已备案、可追溯的正式域名的完整 https 链接，不使用短链、IP 地址、下载链接或变形写法";

/// How to rewrite a link flagged by `rule_id`, in Chinese.
fn suggestion_for(rule_id: &str) -> &'static str {
    use hegui_url::rules;
    match rule_id {
        rules::SHORTENER => "展开短链接，改用目标网站已备案正式域名的完整 https 链接",
        rules::IP_HOST | rules::NON_DEFAULT_PORT => {
            "改用已备案域名的标准 https 链接，不直接使用 IP 地址或非标准端口"
        }
        rules::DOWNLOAD | rules::APP_DOWNLOAD => {
            "不在消息中直接放下载链接或安装包；引导用户在官方应用商店搜索下载"
        }
        rules::USERINFO => "删除“@”前的伪装部分，直接写出真实、可信的域名",
        rules::NESTED_REDIRECT => "直接链接到最终目标页面，不使用跳转参数或多级跳转",
        rules::HOMOGRAPH => "核对域名拼写，只使用品牌官方域名",
        rules::DENIED_DOMAIN => "删除该链接，或更换为允许名单中的域名",
        rules::UNFILED_DOMAIN => "改用已完成 ICP 备案的域名，或将该域名补充进备案清单",
        rules::PLAIN_HTTP => "改用 https 链接",
        rules::OBFUSCATED => "按正常格式书写完整链接，不用“点”、句号、全角或空格拆写域名",
        rules::RISKY_TLD => "改用 .com、.cn 等常见后缀的已备案正式域名",
        _ => SUGGESTION,
    }
}

/// The link checker of the one pack that has a `[links]` section.
#[derive(Debug)]
pub(crate) struct LinkRules {
    checker: LinkChecker,
    category: Arc<str>,
    basis: Arc<str>,
}

impl LinkRules {
    /// The link rules of `packs`, if one has `[links]`; two such packs are an error.
    /// `filed_domains`, when given, replaces the policy's ICP filing list.
    pub(crate) fn from_packs(
        packs: &[RulePack],
        filed_domains: Option<&BTreeSet<String>>,
    ) -> Result<Option<LinkRules>, PackError> {
        let mut with_links = packs.iter().filter(|p| p.def().links.is_some());
        let Some(pack) = with_links.next() else {
            return match filed_domains {
                Some(_) => Err(PackError::NoLinkPolicy),
                None => Ok(None),
            };
        };
        if let Some(second) = with_links.next() {
            return Err(PackError::Invalid {
                location: Location::at(&Arc::from(second.path()), "", 0),
                message: format!(
                    "[links] is already defined by {}; only one pack may define it",
                    pack.path()
                ),
            });
        }
        let mut policy = pack.def().links.clone().unwrap_or_default();
        if let Some(filed) = filed_domains {
            policy.filed_domains = Some(filed.clone());
            policy.normalize();
        }
        Ok(Some(LinkRules {
            checker: LinkChecker::new(&policy),
            category: Arc::from(LINK_CATEGORY),
            basis: Arc::from(LINK_BASIS),
        }))
    }

    /// The link policy in force.
    pub(crate) fn policy(&self) -> &hegui_url::Policy {
        self.checker.policy()
    }

    /// How to rewrite a link flagged by `rule_id`.
    pub(crate) fn suggestion(rule_id: &str) -> &'static str {
        suggestion_for(rule_id)
    }

    /// Appends a finding for every issue of every link in `text`.
    pub(crate) fn scan(&self, text: &str, out: &mut Vec<Finding>) {
        for link in self.links(text) {
            out.extend(link.findings);
        }
    }

    /// Every link in `text` with its findings.
    pub(crate) fn links(&self, text: &str) -> Vec<CheckedLink> {
        let mut counter = SpanCounter::new(text);
        self.checker
            .scan(text)
            .into_iter()
            .filter(|s| {
                text.is_char_boundary(s.link.span.start) && text.is_char_boundary(s.link.span.end)
            })
            .map(|scanned| self.checked(&mut counter, scanned))
            .collect()
    }

    fn checked(&self, counter: &mut SpanCounter<'_>, scanned: ScannedLink) -> CheckedLink {
        let ScannedLink { link, report } = scanned;
        let span = counter.span(link.span.clone());
        let steps = steps_of(&link.obfuscation);
        let findings = report
            .issues
            .iter()
            .map(|issue| Finding {
                rule_id: Arc::from(issue.rule_id),
                category: Arc::clone(&self.category),
                severity: severity(issue.severity),
                message: Arc::from(issue.message.as_str()),
                suggestion: Some(Arc::from(suggestion_for(issue.rule_id))),
                basis: Arc::clone(&self.basis),
                text: link.text.clone(),
                span,
                normalized: steps.clone(),
                field: None,
            })
            .collect();
        CheckedLink {
            url: link.text,
            span,
            host: report.host,
            registrable_domain: report.registrable_domain,
            findings,
        }
    }
}

/// A link found in a message, with what the `[links]` checks found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CheckedLink {
    /// The link exactly as written (the original slice at `span`).
    pub url: String,
    /// Where the link is in the message.
    pub span: Span,
    /// The host, lower-cased, IDNA ASCII, without trailing dot; `None` when the
    /// link does not parse.
    pub host: Option<String>,
    /// The registrable domain (eTLD+1) of a domain host.
    pub registrable_domain: Option<String>,
    /// Findings of category `external-link`, most severe first.
    pub findings: Vec<Finding>,
}

fn severity(s: LinkSeverity) -> crate::Severity {
    match s {
        LinkSeverity::Notice => crate::Severity::Notice,
        LinkSeverity::Review => crate::Severity::Review,
        LinkSeverity::Block => crate::Severity::Block,
    }
}

/// The normalisation steps an obfuscated link needed.
fn steps_of(obfuscation: &[Obfuscation]) -> Vec<Step> {
    let mut steps: Vec<Step> = obfuscation
        .iter()
        .map(|o| match o {
            Obfuscation::FullWidth | Obfuscation::FullWidthDot => Step::Width,
            Obfuscation::Whitespace => Step::Separator,
            Obfuscation::ZeroWidth => Step::Invisible,
            _ => Step::Variant,
        })
        .collect();
    steps.sort();
    steps.dedup();
    steps
}

#[cfg(test)]
mod tests {
    use crate::{Scanner, Severity};

    fn link_findings(text: &str) -> Vec<(String, String)> {
        Scanner::with_default_packs()
            .scan(text)
            .findings
            .into_iter()
            .filter(|f| &*f.category == "external-link")
            .map(|f| (f.rule_id.to_string(), f.text))
            .collect()
    }

    #[test]
    fn link_issues_become_findings_at_the_original_span() {
        let found = link_findings("点击 http://t.cn/RZwjG7U（分享自微博）");
        assert!(
            found.contains(&(
                "external-link.shortener".into(),
                "http://t.cn/RZwjG7U".into()
            )),
            "{found:?}"
        );
        let found = link_findings("访问www点example点com领取");
        assert!(
            found
                .iter()
                .any(|(id, t)| id == "external-link.obfuscated" && t == "www点example点com"),
            "{found:?}"
        );
    }

    #[test]
    fn userinfo_tricks_block() {
        let report =
            Scanner::with_default_packs().scan("登录 https://weixin.qq.com@evil.example/ 领奖");
        assert!(report
            .findings
            .iter()
            .any(|f| &*f.rule_id == "external-link.userinfo" && f.severity == Severity::Block));
    }

    #[test]
    fn ordinary_https_links_pass() {
        assert!(link_findings("详见 https://www.example-bank.com.cn/act/2025 。").is_empty());
    }
}
