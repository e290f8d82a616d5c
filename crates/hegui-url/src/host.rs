//! URL parsing (WHATWG, via the `url` crate), host normalisation and
//! registrable domains (via the Public Suffix List in the `psl` crate).

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
    let domain = psl::domain(host.as_bytes())?;
    std::str::from_utf8(domain.as_bytes())
        .ok()
        .map(str::to_owned)
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
}
