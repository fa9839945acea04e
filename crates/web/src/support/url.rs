//! Addresses: text put into them (percent-encoding, once) and the
//! addresses the service gives out (a unit's calendar feed).

use axum::http::{HeaderMap, header};

/// Percent-encodes every byte outside the unreserved characters of RFC 3986
/// (which are also RFC 5987's, for `filename*`).
pub fn percent_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Where a unit's feed is served.
pub fn feed_path(token: &str) -> String {
    format!("/lich/don-vi/{token}.ics")
}

/// The feed's full address, for pasting into a calendar program: from the
/// `Host` the request came to. Plain HTTP only on the machine itself (the
/// demo); anywhere else the service is meant to sit behind HTTPS, and a
/// secret must not travel in clear. Without a usable `Host`, the path.
pub fn feed_url(public_url: Option<&str>, headers: &HeaderMap, token: &str) -> String {
    let path = feed_path(token);
    if let Some(base) = public_url {
        return format!("{base}{path}");
    }
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .map(str::trim)
        .filter(|h| {
            !h.is_empty()
                && h.len() <= 255
                && h.chars()
                    .all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c))
        });
    match host {
        Some(host) => {
            let name = host
                .strip_prefix('[')
                .and_then(|h| h.split(']').next())
                .unwrap_or_else(|| host.split(':').next().unwrap_or(host));
            let local = name == "localhost" || name == "::1" || name.starts_with("127.");
            let scheme = if local { "http" } else { "https" };
            format!("{scheme}://{host}{path}")
        }
        None => path,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn host(h: &str) -> HeaderMap {
        let mut m = HeaderMap::new();
        m.insert(header::HOST, HeaderValue::from_str(h).unwrap());
        m
    }

    #[test]
    fn the_public_address_comes_first() {
        let t = "ab".repeat(32);
        assert_eq!(
            feed_url(
                Some("https://dondoc.caobang.gov.vn"),
                &host("127.0.0.1:8080"),
                &t
            ),
            format!("https://dondoc.caobang.gov.vn/lich/don-vi/{t}.ics")
        );
    }

    #[test]
    fn feed_addresses_are_https_except_on_the_machine_itself() {
        let t = "ab".repeat(32);
        assert_eq!(
            feed_url(None, &host("dondoc.caobang.gov.vn"), &t),
            format!("https://dondoc.caobang.gov.vn/lich/don-vi/{t}.ics")
        );
        assert_eq!(
            feed_url(None, &host("127.0.0.1:8080"), &t),
            format!("http://127.0.0.1:8080/lich/don-vi/{t}.ics")
        );
        assert_eq!(
            feed_url(None, &host("[::1]:8080"), &t),
            format!("http://[::1]:8080/lich/don-vi/{t}.ics")
        );
        assert_eq!(
            feed_url(None, &host("evil.example/<x>"), &t),
            format!("/lich/don-vi/{t}.ics")
        );
        assert_eq!(
            feed_url(None, &HeaderMap::new(), &t),
            format!("/lich/don-vi/{t}.ics")
        );
    }
}
