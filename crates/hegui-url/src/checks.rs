//! The `external-link.*` checks.

use crate::extract::{extract, ExtractedLink};
use crate::homograph::ProtectedSet;
use crate::host::{host_and_parents, parse, ParsedUrl};
use crate::policy::Policy;
use crate::report::{LinkIssue, LinkReport, ScannedLink};
use crate::rules;
use crate::shorteners::shortener_for;

/// Checks links against a policy; prepares the policy's look-alike data
/// once, so reuse it for many links.
#[derive(Debug, Clone)]
pub struct LinkChecker {
    policy: Policy,
    protected: ProtectedSet,
}

/// What one link's checks look at.
struct Ctx<'a> {
    link: &'a ExtractedLink,
    /// The text the link was found in, when known.
    text: Option<&'a str>,
    parsed: &'a ParsedUrl,
    host: &'a str,
}

/// Collects issues, applying the policy's severity overrides and `off` list.
struct Issues<'p> {
    policy: &'p Policy,
    issues: Vec<LinkIssue>,
}

impl Issues<'_> {
    fn on(&self, rule_id: &str) -> bool {
        self.policy.severity_of(rule_id).is_some()
    }

    fn push(&mut self, rule_id: &'static str, message: String, detail: String) {
        if let Some(severity) = self.policy.severity_of(rule_id) {
            self.issues.push(LinkIssue {
                rule_id,
                severity,
                message,
                detail,
            });
        }
    }
}

impl LinkChecker {
    /// Prepares a checker for `policy`.
    #[must_use]
    pub fn new(policy: &Policy) -> Self {
        Self {
            policy: policy.clone(),
            protected: ProtectedSet::new(policy),
        }
    }

    /// The policy this checker applies.
    #[must_use]
    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    /// Checks one extracted link (see [`check`](crate::check)).
    #[must_use]
    pub fn check(&self, link: &ExtractedLink) -> LinkReport {
        self.check_with(link, None)
    }

    /// Checks a link found in `text` (`link.span` indexes `text`): also
    /// looks at the words around it (`external-link.app-download`).
    #[must_use]
    pub fn check_in(&self, text: &str, link: &ExtractedLink) -> LinkReport {
        self.check_with(link, Some(text))
    }

    fn check_with(&self, link: &ExtractedLink, text: Option<&str>) -> LinkReport {
        let Some(parsed) = parse(&link.normalized) else {
            return LinkReport {
                url: link.normalized.clone(),
                host: None,
                registrable_domain: None,
                issues: Vec::new(),
            };
        };
        let mut out = Issues {
            policy: &self.policy,
            issues: Vec::new(),
        };
        if let Some(host) = parsed.host.as_deref() {
            let ctx = Ctx {
                link,
                text,
                parsed: &parsed,
                host,
            };
            if self.domain_in(&ctx, &self.policy.allow).is_none() {
                self.run_checks(&ctx, &mut out);
            }
        }
        let mut issues = out.issues;
        issues.sort_by_key(|i| std::cmp::Reverse(i.severity));
        LinkReport {
            url: parsed.url.to_string(),
            host: parsed.host,
            registrable_domain: parsed.registrable_domain,
            issues,
        }
    }

    /// Checks a URL given on its own (not found in text); `http://` is
    /// assumed when it has no scheme.
    #[must_use]
    pub fn check_url(&self, url: &str) -> LinkReport {
        let has_scheme = url.contains("://");
        let link = ExtractedLink {
            span: 0..url.len(),
            text: url.to_owned(),
            normalized: if has_scheme {
                url.to_owned()
            } else {
                format!("http://{url}")
            },
            obfuscation: Vec::new(),
            has_scheme,
        };
        self.check(&link)
    }

    /// Extracts the links in `text` and checks each.
    #[must_use]
    pub fn scan(&self, text: &str) -> Vec<ScannedLink> {
        extract(text)
            .into_iter()
            .map(|link| ScannedLink {
                report: self.check_in(text, &link),
                link,
            })
            .collect()
    }

    fn run_checks(&self, ctx: &Ctx<'_>, out: &mut Issues<'_>) {
        self.denied(ctx, out);
        userinfo(ctx, out);
        self.homograph(ctx, out);
        ip_and_port(ctx, out);
        self.download(ctx, out);
        self.download_wording(ctx, out);
        self.redirect(ctx, out);
        self.shortener(ctx, out);
        obfuscated(ctx, out);
        self.unfiled(ctx, out);
        self.risky_tld(ctx, out);
        plain_http(ctx, out);
    }

    /// The entry of `list` that the host falls under (IP hosts: exact match).
    fn domain_in<'l>(
        &self,
        ctx: &Ctx<'_>,
        list: &'l std::collections::BTreeSet<String>,
    ) -> Option<&'l str> {
        if ctx.parsed.is_ip() {
            return list.get(ctx.host).map(String::as_str);
        }
        host_and_parents(ctx.host).find_map(|h| list.get(h).map(String::as_str))
    }

    fn denied(&self, ctx: &Ctx<'_>, out: &mut Issues<'_>) {
        if let Some(entry) = self.domain_in(ctx, &self.policy.deny) {
            out.push(
                rules::DENIED_DOMAIN,
                format!("链接域名属于禁止名单中的“{entry}”"),
                format!("host `{}` is under denied domain `{entry}`", ctx.host),
            );
        }
    }

    fn homograph(&self, ctx: &Ctx<'_>, out: &mut Issues<'_>) {
        let Some(rd) = ctx.parsed.registrable_domain.as_deref() else {
            return;
        };
        if !out.on(rules::HOMOGRAPH) {
            return;
        }
        if let Some(imitation) = self.protected.find_imitation(ctx.host, rd, &self.policy) {
            let (message, detail) = imitation.describe(rd);
            out.push(rules::HOMOGRAPH, message, detail);
        }
    }

    fn download(&self, ctx: &Ctx<'_>, out: &mut Issues<'_>) {
        let path = ctx.parsed.url.path();
        let file = path.rsplit('/').next().unwrap_or_default();
        let Some((_, ext)) = file.rsplit_once('.') else {
            return;
        };
        let ext = ext.to_ascii_lowercase();
        if self.policy.download_extensions.contains(&ext) {
            out.push(
                rules::DOWNLOAD,
                format!("链接指向 .{ext} 文件下载，存在诱导下载风险"),
                format!("path `{path}` ends with a download extension"),
            );
        }
    }

    /// Download wording in the same clause, just before or after the link.
    fn download_wording(&self, ctx: &Ctx<'_>, out: &mut Issues<'_>) {
        let Some(text) = ctx.text else { return };
        if out.issues.iter().any(|i| i.rule_id == rules::DOWNLOAD) || !out.on(rules::APP_DOWNLOAD) {
            return;
        }
        let span = &ctx.link.span;
        let (Some(before), Some(after)) = (text.get(..span.start), text.get(span.end..)) else {
            return;
        };
        let is_break = |c: char| "。！？；!?;\n\r".contains(c);
        let before: String = before
            .chars()
            .rev()
            .take_while(|&c| !is_break(c))
            .take(WORDING_BEFORE)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        let after: String = after
            .chars()
            .take_while(|&c| !is_break(c))
            .take(WORDING_AFTER)
            .collect();
        let (before, after) = (before.to_lowercase(), after.to_lowercase());
        let word = self.policy.download_words.iter().find(|w| {
            let w = w.to_lowercase();
            !w.is_empty() && (before.contains(&w) || after.contains(&w))
        });
        if let Some(word) = word {
            out.push(
                rules::APP_DOWNLOAD,
                format!("链接旁有“{word}”等下载引导用语，疑似引导下载 App 或安装包"),
                format!("download wording `{word}` next to the link"),
            );
        }
    }

    fn redirect(&self, ctx: &Ctx<'_>, out: &mut Issues<'_>) {
        let url = &ctx.parsed.url;
        let param = url.query_pairs().find(|(k, v)| {
            self.policy
                .redirect_params
                .contains(&k.to_ascii_lowercase())
                && looks_like_url(v)
        });
        let nested = param
            .map(|(k, v)| (format!("参数“{k}”"), v.into_owned()))
            .or_else(|| {
                let path = url.path().to_ascii_lowercase();
                ["/http:", "/https:", "/http%3a", "/https%3a"]
                    .iter()
                    .find_map(|p| path.find(p))
                    .map(|at| ("路径".to_owned(), url.path()[at + 1..].to_owned()))
            });
        if let Some((place, target)) = nested {
            let shown: String = target.chars().take(80).collect();
            out.push(
                rules::NESTED_REDIRECT,
                format!("链接通过{place}再跳转到另一个网址（{shown}），属于多级跳转"),
                format!("nested URL `{target}`"),
            );
        }
    }

    fn shortener(&self, ctx: &Ctx<'_>, out: &mut Issues<'_>) {
        if let Some(entry) = shortener_for(ctx.host, &self.policy) {
            out.push(
                rules::SHORTENER,
                format!("短链接（{entry}）隐藏了真实目标地址，需展开后再检查"),
                format!("host `{}` is a URL shortener (`{entry}`)", ctx.host),
            );
        }
    }

    fn unfiled(&self, ctx: &Ctx<'_>, out: &mut Issues<'_>) {
        let (Some(filed), Some(rd)) = (&self.policy.filed_domains, &ctx.parsed.registrable_domain)
        else {
            return;
        };
        if self.domain_in(ctx, filed).is_none() {
            out.push(
                rules::UNFILED_DOMAIN,
                format!("域名“{rd}”未备案或备案状态未知"),
                format!("`{rd}` is not in the policy's filed-domains list"),
            );
        }
    }

    fn risky_tld(&self, ctx: &Ctx<'_>, out: &mut Issues<'_>) {
        if ctx.parsed.is_ip() {
            return;
        }
        let tld = ctx.host.rsplit('.').next().unwrap_or_default();
        if self.policy.risky_tlds.contains(tld) {
            out.push(
                rules::RISKY_TLD,
                format!("域名使用常被滥用的后缀 .{tld}"),
                format!("top-level domain `.{tld}` is on the risky list"),
            );
        }
    }
}

/// How many characters before a link are searched for download wording.
const WORDING_BEFORE: usize = 12;
/// How many characters after a link are searched for download wording.
const WORDING_AFTER: usize = 8;

fn userinfo(ctx: &Ctx<'_>, out: &mut Issues<'_>) {
    let url = &ctx.parsed.url;
    if url.username().is_empty() && url.password().is_none() {
        return;
    }
    let shown = url.username();
    out.push(
        rules::USERINFO,
        format!(
            "链接中“@”前的“{shown}”只是伪装，实际打开的网站是“{}”",
            ctx.host
        ),
        format!("URL carries userinfo; the real host is `{}`", ctx.host),
    );
}

fn ip_and_port(ctx: &Ctx<'_>, out: &mut Issues<'_>) {
    if ctx.parsed.is_ip() {
        out.push(
            rules::IP_HOST,
            format!("链接直接使用 IP 地址（{}），无法追溯备案主体", ctx.host),
            format!("IP-literal host `{}`", ctx.host),
        );
    }
    if let Some(port) = ctx.parsed.url.port() {
        out.push(
            rules::NON_DEFAULT_PORT,
            format!("链接使用非标准端口 {port}"),
            format!("non-default port {port}"),
        );
    }
}

fn obfuscated(ctx: &Ctx<'_>, out: &mut Issues<'_>) {
    if ctx.link.obfuscation.is_empty() {
        return;
    }
    let tricks: Vec<&str> = ctx
        .link
        .obfuscation
        .iter()
        .map(|o| o.describe_zh())
        .collect();
    out.push(
        rules::OBFUSCATED,
        format!(
            "链接以变形方式书写（{}），疑似规避审核；实际地址为 {}",
            tricks.join("、"),
            ctx.parsed.url
        ),
        format!("obfuscation: {:?}", ctx.link.obfuscation),
    );
}

fn plain_http(ctx: &Ctx<'_>, out: &mut Issues<'_>) {
    let scheme = ctx.parsed.url.scheme();
    if ctx.link.has_scheme && matches!(scheme, "http" | "ftp") {
        out.push(
            rules::PLAIN_HTTP,
            "链接未使用 HTTPS 加密传输".to_owned(),
            format!("scheme `{scheme}` has no TLS"),
        );
    }
}

/// Does a (percent-decoded) parameter value look like a URL or a domain?
fn looks_like_url(value: &str) -> bool {
    let v = value.trim().to_ascii_lowercase();
    if v.starts_with("http://") || v.starts_with("https://") || v.starts_with("//") {
        return true;
    }
    let head = v.split(['/', '?', '#', ':']).next().unwrap_or_default();
    !head.contains(char::is_whitespace)
        && head.contains('.')
        && crate::host::known_suffix(head).is_some()
}

/// Checks one extracted link against `policy`.
///
/// An allowed domain (policy `allow`, subdomains included) gets no issue at
/// all. A link whose normalised URL does not parse gets no issue and no host.
/// For many links, build a [`LinkChecker`] once instead.
///
/// ```
/// use hegui_url::{check, extract, rules, LinkSeverity, Policy};
/// let policy = Policy::default();
/// let links = extract("点击 https://weixin.qq.com@evil.example/hb.apk 领取红包");
/// let report = check(&links[0], &policy);
/// assert_eq!(report.host.as_deref(), Some("evil.example"));
/// assert!(report.has(rules::USERINFO) && report.has(rules::DOWNLOAD));
/// assert_eq!(report.max_severity(), Some(LinkSeverity::Block));
/// ```
#[must_use]
pub fn check(link: &ExtractedLink, policy: &Policy) -> LinkReport {
    LinkChecker::new(policy).check(link)
}

#[cfg(test)]
mod tests;
