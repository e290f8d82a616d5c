//! Link extraction and external-link checks for Chinese marketing text.
//!
//! * [`extract`] finds links in text — with or without scheme, IDN and IP
//!   hosts, and disguised forms (`www点example点com`, `example。com`,
//!   full-width letters, spaces or zero-width characters in the host) — with
//!   byte spans into the original text.
//! * [`parse`], [`normalize_host`] and [`registrable_domain`] parse URLs with
//!   the WHATWG parser and find the registrable domain with the Public
//!   Suffix List.
//! * [`check`] / [`LinkChecker`] run the `external-link.*` checks of a
//!   [`Policy`]; [`scan`] does both steps for a text.
//!
//! The crate is pure: no I/O, no printing; it builds for
//! `wasm32-unknown-unknown`.
//!
//! ```
//! let found = hegui_url::scan("戳这里 http://47.98.1.2:8080/hb.apk 领取新春红包", &hegui_url::Policy::default());
//! let ids: Vec<&str> = found[0].report.issues.iter().map(|i| i.rule_id).collect();
//! assert!(ids.contains(&"external-link.ip-host"));
//! assert!(ids.contains(&"external-link.download"));
//! ```

mod chars;
mod checks;
mod extract;
mod homograph;
mod host;
mod hostscan;
mod policy;
mod report;
pub mod rules;
mod shorteners;

pub use chars::{is_link_inert, is_link_inert_ascii};
pub use checks::{check, LinkChecker};
pub use extract::{extract, ExtractedLink, Obfuscation};
pub use host::{normalize_host, parse, registrable_domain, ParsedUrl};
pub use policy::{Policy, PolicyError};
pub use report::{LinkIssue, LinkReport, ScannedLink};
pub use rules::LinkSeverity;
pub use shorteners::{builtin_shorteners, shortener_for};

/// Extracts the links in `text` and checks each against `policy`.
///
/// ```
/// let found = hegui_url::scan("关注 t.cn/AbCd 领取", &hegui_url::Policy::default());
/// assert_eq!(found[0].link.text, "t.cn/AbCd");
/// assert!(found[0].report.has(hegui_url::rules::SHORTENER));
/// ```
#[must_use]
pub fn scan(text: &str, policy: &Policy) -> Vec<ScannedLink> {
    LinkChecker::new(policy).scan(text)
}
