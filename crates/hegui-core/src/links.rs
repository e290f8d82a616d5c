//! External links (`external-link`): the `hegui-url` checker run on the original text,
//! its issues turned into findings.

use std::sync::Arc;

use hegui_url::{LinkChecker, LinkSeverity, Obfuscation};

use crate::error::{Location, PackError};
use crate::finding::{Finding, Span, Step};
use crate::pack::{RulePack, LINK_CATEGORY};

const BASIS: &str = "《微信外部链接内容管理规范》；《微信公众平台运营规范》";
const SUGGESTION: &str =
    "改用已备案、可追溯的正式域名的完整 https 链接，不使用短链、IP 地址、下载链接或变形写法";

/// The link checker of the one pack that has a `[links]` section.
#[derive(Debug)]
pub(crate) struct LinkRules {
    checker: LinkChecker,
    category: Arc<str>,
    basis: Arc<str>,
    suggestion: Arc<str>,
}

impl LinkRules {
    /// The link rules of `packs`, if one has `[links]`; two such packs are an error.
    pub(crate) fn from_packs(packs: &[RulePack]) -> Result<Option<LinkRules>, PackError> {
        let mut with_links = packs.iter().filter(|p| p.def().links.is_some());
        let Some(pack) = with_links.next() else {
            return Ok(None);
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
        let policy = pack.def().links.clone().unwrap_or_default();
        Ok(Some(LinkRules {
            checker: LinkChecker::new(&policy),
            category: Arc::from(LINK_CATEGORY),
            basis: Arc::from(BASIS),
            suggestion: Arc::from(SUGGESTION),
        }))
    }

    /// Appends a finding for every issue of every link in `text`.
    pub(crate) fn scan(&self, text: &str, out: &mut Vec<Finding>) {
        for scanned in self.checker.scan(text) {
            let link = &scanned.link;
            if !text.is_char_boundary(link.span.start) || !text.is_char_boundary(link.span.end) {
                continue;
            }
            let steps = steps_of(&link.obfuscation);
            for issue in &scanned.report.issues {
                out.push(Finding {
                    rule_id: Arc::from(issue.rule_id),
                    category: Arc::clone(&self.category),
                    severity: severity(issue.severity),
                    message: Arc::from(issue.message.as_str()),
                    suggestion: Some(Arc::clone(&self.suggestion)),
                    basis: Arc::clone(&self.basis),
                    text: text[link.span.clone()].to_string(),
                    span: Span::of(text, link.span.clone()),
                    normalized: steps.clone(),
                });
            }
        }
    }
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
