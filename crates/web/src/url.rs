//! Text put into addresses and headers: percent-encoding, once.

/// Percent-encodes every byte outside the unreserved characters of RFC 3986
/// (which are also RFC 5987's, for `filename*`).
pub(crate) fn percent_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}
