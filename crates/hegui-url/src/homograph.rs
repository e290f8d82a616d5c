//! Look-alike domains: mixed-script labels, UTS #39 confusable skeletons
//! equal to a protected domain's, brand words joined with `-`, and protected
//! domains embedded as subdomain labels.

use unicode_security::{skeleton, RestrictionLevel, RestrictionLevelDetection};

use crate::host::host_and_parents;
use crate::policy::Policy;

/// Why a host looks like an imitation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Imitation {
    /// A label mixes scripts that are not usually combined (Latin + Cyrillic).
    MixedScript { label: String },
    /// The confusable skeleton equals that of a protected domain.
    Confusable { protected: String },
    /// A brand word joined with `-` (`weixin-qq.com`, `wx-pay.top`).
    BrandHyphen { brand: String },
    /// A protected domain used as subdomain labels (`qq.com.login.top`).
    Embedded { protected: String },
}

impl Imitation {
    /// Chinese message and English detail for the issue.
    pub(crate) fn describe(&self, domain: &str) -> (String, String) {
        match self {
            Self::MixedScript { label } => (
                format!(
                    "域名“{label}”混用了多种文字的字母（如拉丁字母与西里尔字母），疑似仿冒网站"
                ),
                format!(
                    "label `{label}` mixes scripts (restriction level above highly restrictive)"
                ),
            ),
            Self::Confusable { protected } => (
                format!("域名“{domain}”与受保护的“{protected}”字形相近，疑似仿冒网站"),
                format!("UTS #39 skeleton of `{domain}` equals that of `{protected}`"),
            ),
            Self::BrandHyphen { brand } => (
                format!("域名“{domain}”借用品牌词“{brand}”，并非官方域名，疑似仿冒网站"),
                format!(
                    "registrable domain `{domain}` contains brand token `{brand}` joined with `-`"
                ),
            ),
            Self::Embedded { protected } => (
                format!("链接把“{protected}”放在子域名中，实际网站是“{domain}”，疑似仿冒网站"),
                format!("protected domain `{protected}` appears as subdomain labels of `{domain}`"),
            ),
        }
    }
}

/// The protected domains of a policy with their skeletons, computed once.
#[derive(Debug, Clone)]
pub(crate) struct ProtectedSet {
    entries: Vec<Protected>,
}

/// A protected domain, its registrable domain (the domain itself when it is
/// a public suffix such as `gov.cn`) and that domain's first label.
#[derive(Debug, Clone)]
struct Protected {
    domain: String,
    domain_rd: String,
    label: String,
    domain_skel: String,
    rd_skel: String,
    label_skel: String,
}

impl Protected {
    fn new(domain: &str) -> Self {
        let domain_rd = crate::host::registrable_suffix(domain)
            .unwrap_or(domain)
            .to_owned();
        let label = domain_rd.split('.').next().unwrap_or_default().to_owned();
        Self {
            domain_skel: skel(domain),
            rd_skel: skel(&domain_rd),
            label_skel: skel(&label),
            domain: domain.to_owned(),
            domain_rd,
            label,
        }
    }
}

impl ProtectedSet {
    pub(crate) fn new(policy: &Policy) -> Self {
        let entries = policy.protected.iter().map(|p| Protected::new(p)).collect();
        Self { entries }
    }

    /// Looks for an imitation of a protected domain. `host` and
    /// `registrable_domain` are normalised (ASCII) forms.
    pub(crate) fn find_imitation(
        &self,
        host: &str,
        registrable_domain: &str,
        policy: &Policy,
    ) -> Option<Imitation> {
        let owned = |p: &Protected| {
            p.domain_rd == registrable_domain || host_and_parents(host).any(|h| h == p.domain)
        };
        if self.entries.iter().any(owned) {
            return None; // the host belongs to a protected organisation
        }
        let (unicode_host, _) = idna::domain_to_unicode(host);
        let (unicode_rd, _) = idna::domain_to_unicode(registrable_domain);
        mixed_script(&unicode_host)
            .or_else(|| self.confusable(&unicode_host, &unicode_rd))
            .or_else(|| self.brand_hyphen(&unicode_rd, policy))
            .or_else(|| self.embedded(host))
    }

    fn confusable(&self, unicode_host: &str, unicode_rd: &str) -> Option<Imitation> {
        let rd_label = unicode_rd.split('.').next().unwrap_or_default();
        let (host_skel, rd_skel, label_skel) =
            (skel(unicode_host), skel(unicode_rd), skel(rd_label));
        self.entries.iter().find_map(|p| {
            let label_like = label_skel == p.label_skel && rd_label != p.label;
            if label_like || rd_skel == p.rd_skel {
                Some(Imitation::Confusable {
                    protected: p.domain_rd.clone(),
                })
            } else {
                (host_skel == p.domain_skel).then(|| Imitation::Confusable {
                    protected: p.domain.clone(),
                })
            }
        })
    }

    fn brand_hyphen(&self, unicode_rd: &str, policy: &Policy) -> Option<Imitation> {
        let label = unicode_rd.split('.').next().unwrap_or_default();
        if !label.contains('-') {
            return None;
        }
        let is_brand =
            |t: &str| policy.brands.contains(t) || self.entries.iter().any(|p| p.label == t);
        label
            .split('-')
            .find(|t| is_brand(t))
            .map(|t| Imitation::BrandHyphen {
                brand: t.to_owned(),
            })
    }

    fn embedded(&self, host: &str) -> Option<Imitation> {
        // Where labels of `host` start: a protected domain followed by a dot at one of
        // them is embedded (compared in place: writing `domain.` and `.domain.` for
        // each protected domain of each link cost 4.8 M instructions a pass over the
        // corpus, callgrind).
        let label_starts =
            || std::iter::once(0).chain(host.match_indices('.').map(|(at, _)| at + 1));
        self.entries
            .iter()
            .filter(|p| p.domain.contains('.'))
            .filter(|p| {
                label_starts().any(|at| {
                    host[at..]
                        .strip_prefix(p.domain.as_str())
                        .is_some_and(|rest| rest.starts_with('.'))
                })
            })
            .max_by_key(|p| p.domain.len())
            .map(|p| Imitation::Embedded {
                protected: p.domain.clone(),
            })
    }
}

fn mixed_script(unicode_host: &str) -> Option<Imitation> {
    unicode_host
        .split('.')
        .filter(|label| !label.is_ascii())
        .find(|label| label.detect_restriction_level() > RestrictionLevel::HighlyRestrictive)
        .map(|label| Imitation::MixedScript {
            label: label.to_owned(),
        })
}

/// UTS #39 skeleton, lower-cased afterwards: host names are case-less, and
/// the skeleton maps `0` to `O`.
fn skel(s: &str) -> String {
    skeleton(s).flat_map(char::to_lowercase).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::host::parse;

    fn imitation(input: &str) -> Option<Imitation> {
        let parsed = parse(input)?;
        let policy = Policy::default();
        let set = ProtectedSet::new(&policy);
        set.find_imitation(
            parsed.host.as_deref()?,
            parsed.registrable_domain.as_deref()?,
            &policy,
        )
    }

    #[test]
    fn table() {
        let mixed = |l: &str| Some(Imitation::MixedScript { label: l.into() });
        let conf = |p: &str| {
            Some(Imitation::Confusable {
                protected: p.into(),
            })
        };
        let brand = |b: &str| Some(Imitation::BrandHyphen { brand: b.into() });
        let emb = |p: &str| {
            Some(Imitation::Embedded {
                protected: p.into(),
            })
        };
        let table = [
            ("https://weixin.qq.com/", None),
            ("https://mp.weixin.qq.com/s/abc", None),
            ("https://example.com/", None),
            ("http://例子.中国/", None),
            ("https://аlipay.com/", mixed("аlipay")), // Cyrillic а + Latin
            ("https://xn--lipay-3ve.com/", mixed("аlipay")), // the same in punycode
            ("https://аррӏе.com/", conf("apple.com")), // all Cyrillic
            ("https://a1ipay.com/", conf("alipay.com")),
            ("https://taobao.corn/", conf("taobao.com")), // m → rn
            ("https://www.taobao.corn/", conf("taobao.com")),
            ("https://taobao.hk/", None), // same label, other TLD
            ("https://www.beijing.gov.cn/", None),
            ("https://g0v.cn/", conf("gov.cn")),
            ("https://weixin.qq.corn/", conf("qq.com")),
            ("https://weixin-qq.com/", brand("weixin")),
            ("https://wx-pay.top/", brand("wx")),
            ("https://qq-com.xyz/", brand("qq")),
            ("https://my-shop.com/", None),
            (
                "https://weixin.qq.com.login-check.top/",
                emb("weixin.qq.com"),
            ),
            ("https://www.icbc.com.cn.secure.top/", emb("icbc.com.cn")),
            ("https://login.qq.com.evil.top/", emb("qq.com")),
            ("https://xqq.com.evil.top/", None), // not at a label's start
            ("https://evil.top.qq.comx.top/", None), // not followed by a dot
        ];
        for (input, expected) in table {
            assert_eq!(imitation(input), expected, "{input}");
        }
    }
}
