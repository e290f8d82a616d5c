//! The built-in URL-shortener list (`data/shorteners.txt`, CC BY-SA 4.0,
//! derived from PeterDaveHello/url-shorteners; see that file's header).

use std::collections::HashSet;
use std::sync::OnceLock;

use crate::host::host_and_parents;
use crate::policy::Policy;

const DATA: &str = include_str!("../data/shorteners.txt");

/// The built-in shortener domains, lower-case ASCII.
#[must_use]
pub fn builtin_shorteners() -> &'static HashSet<&'static str> {
    static SET: OnceLock<HashSet<&'static str>> = OnceLock::new();
    SET.get_or_init(|| {
        DATA.lines()
            .map(|line| line.split('#').next().unwrap_or_default().trim())
            .filter(|line| !line.is_empty())
            .collect()
    })
}

/// The shortener entry that `host` (normalised) falls under, if any.
#[must_use]
pub fn shortener_for<'a>(host: &'a str, policy: &Policy) -> Option<&'a str> {
    host_and_parents(host).find(|h| {
        (policy.builtin_shorteners && builtin_shorteners().contains(h))
            || policy.shorteners_extra.contains(*h)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_is_clean() {
        let set = builtin_shorteners();
        assert!(set.len() > 150, "{}", set.len());
        for entry in set {
            assert!(entry.contains('.'), "{entry}");
            assert_eq!(entry.to_ascii_lowercase(), *entry);
            assert!(
                entry
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-'),
                "{entry}"
            );
        }
    }

    #[test]
    fn lookups() {
        let mut policy = Policy::default();
        let table = [
            ("t.cn", Some("t.cn")),
            ("w.url.cn", Some("w.url.cn")),
            ("www.bit.ly", Some("bit.ly")),
            ("tinyurl.com", Some("tinyurl.com")),
            ("example.com", None),
            ("cn", None),
        ];
        for (host, expected) in table {
            assert_eq!(shortener_for(host, &policy), expected, "{host}");
        }
        policy.shorteners_extra.insert("go.example.com".into());
        assert_eq!(
            shortener_for("go.example.com", &policy),
            Some("go.example.com")
        );
        policy.builtin_shorteners = false;
        assert_eq!(shortener_for("t.cn", &policy), None);
    }
}
