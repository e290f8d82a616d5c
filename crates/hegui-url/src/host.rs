//! URL parsing (WHATWG, via the `url` crate), host normalisation and
//! registrable domains (via the Public Suffix List in the `psl2` crate).

use url::{Host, Url};

/// A parsed link: the WHATWG URL, its normalised host and registrable domain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedUrl {
    /// The parsed URL.
    pub url: Url,
    /// Normalised host: lower-case, IDNA (punycode) form, no trailing dot;
    /// IPv6 hosts keep their brackets (`[::1]`). `None` for URLs without host.
    pub host: Option<String>,
    /// Registrable domain (eTLD+1) for domain hosts; `None` for IP hosts or
    /// hosts that are themselves a public suffix.
    pub registrable_domain: Option<String>,
}

impl ParsedUrl {
    /// Whether the host is an IPv4 or IPv6 literal (in any spelling the
    /// WHATWG parser accepts: dotted, decimal, hex, octal, bracketed IPv6).
    #[must_use]
    pub fn is_ip(&self) -> bool {
        matches!(self.url.host(), Some(Host::Ipv4(_) | Host::Ipv6(_)))
    }
}

/// Parses `input` as a URL; `http://` is prepended when it has no scheme.
/// Returns `None` when the WHATWG parser rejects it.
///
/// ```
/// let p = hegui_url::parse("HTTPS://WWW.Example.COM./a").unwrap();
/// assert_eq!(p.host.as_deref(), Some("www.example.com"));
/// assert_eq!(p.registrable_domain.as_deref(), Some("example.com"));
/// ```
#[must_use]
pub fn parse(input: &str) -> Option<ParsedUrl> {
    let input = input.trim();
    let url = match Url::parse(input) {
        Ok(url) => url,
        Err(url::ParseError::RelativeUrlWithoutBase) => {
            Url::parse(&format!("http://{input}")).ok()?
        }
        Err(_) => return None,
    };
    let host = url.host_str().map(|h| h.trim_end_matches('.').to_owned());
    let registrable_domain = match url.host() {
        Some(Host::Domain(d)) => registrable_domain(d),
        _ => None,
    };
    Some(ParsedUrl {
        url,
        host,
        registrable_domain,
    })
}

/// Normalises a host name: trims, lower-cases, converts to IDNA ASCII
/// (punycode) and removes one trailing dot. `None` if IDNA rejects it.
///
/// ```
/// assert_eq!(hegui_url::normalize_host("例子.中国.").as_deref(), Some("xn--fsqu00a.xn--fiqs8s"));
/// ```
#[must_use]
pub fn normalize_host(host: &str) -> Option<String> {
    let host = host.trim();
    let host = host.strip_suffix('.').unwrap_or(host);
    let ascii = idna::domain_to_ascii(host).ok()?;
    (!ascii.is_empty()).then_some(ascii)
}

/// The registrable domain (eTLD+1) of `host` under the Public Suffix List,
/// in the normalised (ASCII) form. Hosts under an unlisted TLD follow the
/// list's default `*` rule. `None` for public suffixes themselves, empty
/// labels and hosts IDNA rejects.
///
/// ```
/// assert_eq!(hegui_url::registrable_domain("a.b.example.com.cn").as_deref(), Some("example.com.cn"));
/// assert_eq!(hegui_url::registrable_domain("com.cn"), None);
/// ```
#[must_use]
pub fn registrable_domain(host: &str) -> Option<String> {
    if host.starts_with('.') || host.contains("..") {
        return None;
    }
    let host = normalize_host(host)?;
    let domain = psl2::compat::domain(host.as_bytes())?;
    std::str::from_utf8(domain.as_bytes())
        .ok()
        .map(str::to_owned)
}

/// The Public Suffix List's reading of `host` (lower-case, labels in Unicode or
/// ASCII), in labels: those of its registrable domain and of its public suffix, and
/// whether a rule of the list (not the default `*`) gave the suffix. The list is
/// stored in ASCII (punycode), so a Unicode host is converted first; `None` when IDNA
/// rejects it or changes its number of labels, or when the host is a public suffix.
fn psl_labels(host: &str) -> Option<(usize, usize, bool)> {
    let labels = |bytes: &[u8]| bytes.split(|&b| b == b'.').count();
    let read = |ascii: &str| {
        let domain = psl2::compat::domain(ascii.as_bytes())?;
        let suffix = domain.suffix();
        Some((
            labels(domain.as_bytes()),
            labels(suffix.as_bytes()),
            suffix.is_known(),
        ))
    };
    if host.is_ascii() {
        return read(host);
    }
    let ascii = idna::domain_to_ascii(host).ok()?;
    if labels(ascii.as_bytes()) != labels(host.as_bytes()) {
        return None;
    }
    read(&ascii)
}

/// The last `n` labels of `host`.
fn last_labels(host: &str, n: usize) -> &str {
    let start = host
        .rmatch_indices('.')
        .nth(n.saturating_sub(1))
        .map_or(0, |(i, _)| i + 1);
    &host[start..]
}

/// The public suffix of `host` (lower-case, labels in Unicode or ASCII) as a suffix of
/// `host` itself, when a rule of the Public Suffix List gives it and a label precedes
/// it.
pub(crate) fn known_suffix(host: &str) -> Option<&str> {
    let (_, suffix, known) = psl_labels(host)?;
    known.then(|| last_labels(host, suffix))
}

/// The registrable domain of `host` (lower-case, labels in Unicode or ASCII) as a
/// suffix of `host` itself.
pub(crate) fn registrable_suffix(host: &str) -> Option<&str> {
    let (domain, _, _) = psl_labels(host)?;
    Some(last_labels(host, domain))
}

/// The host and each parent domain: `a.b.c` → `a.b.c`, `b.c`, `c`.
pub(crate) fn host_and_parents(host: &str) -> impl Iterator<Item = &str> {
    std::iter::successors(Some(host), |h| h.split_once('.').map(|(_, rest)| rest))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_table() {
        // input, host, registrable domain, is_ip
        let table: &[(&str, Option<&str>, Option<&str>, bool)] = &[
            (
                "www.example.com",
                Some("www.example.com"),
                Some("example.com"),
                false,
            ),
            (
                "HTTP://WWW.EXAMPLE.COM.",
                Some("www.example.com"),
                Some("example.com"),
                false,
            ),
            (
                "http://例子.中国/",
                Some("xn--fsqu00a.xn--fiqs8s"),
                Some("xn--fsqu00a.xn--fiqs8s"),
                false,
            ),
            ("http://3232235777/", Some("192.168.1.1"), None, true),
            ("http://0xC0A80101/", Some("192.168.1.1"), None, true),
            ("http://0300.0250.1.1/", Some("192.168.1.1"), None, true),
            ("http://[::1]:8080/", Some("[::1]"), None, true),
            (
                "https://a.b.gov.cn",
                Some("a.b.gov.cn"),
                Some("b.gov.cn"),
                false,
            ),
            ("http://com.cn", Some("com.cn"), None, false),
        ];
        for &(input, host, rd, ip) in table {
            let p = parse(input).unwrap_or_else(|| panic!("{input} did not parse"));
            assert_eq!(p.host.as_deref(), host, "{input}");
            assert_eq!(p.registrable_domain.as_deref(), rd, "{input}");
            assert_eq!(p.is_ip(), ip, "{input}");
        }
    }

    #[test]
    fn parse_failures() {
        for input in [
            "http://",
            "http://[zz]/",
            "http://exa mple.com",
            "https://a b",
        ] {
            assert!(parse(input).is_none(), "{input}");
        }
    }

    #[test]
    fn parents() {
        let v: Vec<&str> = host_and_parents("a.b.c").collect();
        assert_eq!(v, ["a.b.c", "b.c", "c"]);
    }

    #[test]
    fn suffixes_of_unicode_hosts() {
        // The list is stored in punycode; the answers are slices of the host as given.
        assert_eq!(known_suffix("www.例子.中国"), Some("中国"));
        assert_eq!(registrable_suffix("www.例子.中国"), Some("例子.中国"));
        assert_eq!(known_suffix("a.example.com.cn"), Some("com.cn"));
        assert_eq!(
            registrable_suffix("a.example.com.cn"),
            Some("example.com.cn")
        );
        // The default `*` rule gives a suffix, but not a known one.
        assert_eq!(known_suffix("example.notatld"), None);
        assert_eq!(
            registrable_suffix("example.notatld"),
            Some("example.notatld")
        );
        assert_eq!(known_suffix("中国"), None);
        assert_eq!(registrable_suffix("com.cn"), None);
    }
}
