//! Vietnamese text: the NFC form it is stored in, and the key names are
//! compared by.
//!
//! Names are compared **with** their diacritics (Bảo Lạc and Bảo Lâm are two
//! districts; dropping marks would merge them) but **without** regard to case,
//! to where the tone mark sits (the old `hoà`, `uỷ`, `thuý` and the new `hòa`,
//! `ủy`, `thúy` are the same word, and documents mix both), to the kind of
//! dash, or to runs of white space.

use unicode_normalization::UnicodeNormalization;

/// The stored form of every text: Unicode NFC.
pub fn nfc(s: &str) -> String {
    s.nfc().collect()
}

/// The five Vietnamese tone marks as combining characters.
fn is_tone_mark(c: char) -> bool {
    matches!(
        c,
        '\u{0300}' | '\u{0301}' | '\u{0303}' | '\u{0309}' | '\u{0323}'
    )
}

/// A day the Vietnamese way: 19/11/2024.
pub fn vn_date(d: jiff::civil::Date) -> String {
    format!("{:02}/{:02}/{}", d.day(), d.month(), d.year())
}

/// `2024-11-19` written the Vietnamese way; text that is not a date stays.
pub fn vn_date_text(s: &str) -> String {
    s.parse::<jiff::civil::Date>()
        .map(vn_date)
        .unwrap_or_else(|_| s.to_string())
}

/// The comparison key of a name: lower case, tone marks moved to the end of
/// their word, dashes unified, white space collapsed.
pub fn name_key(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut word = String::new();
    let mut tone: Option<char> = None;
    let flush = |out: &mut String, word: &mut String, tone: &mut Option<char>| {
        out.push_str(word);
        if let Some(t) = tone.take() {
            out.push(t);
        }
        word.clear();
    };
    let mut pending_space = false;
    for c in s.nfd() {
        if is_tone_mark(c) {
            tone = Some(c);
        } else if c.is_alphanumeric() || is_combining(c) {
            if pending_space && !out.is_empty() {
                out.push(' ');
            }
            pending_space = false;
            word.extend(c.to_lowercase());
        } else {
            flush(&mut out, &mut word, &mut tone);
            if c.is_whitespace() {
                pending_space = true;
            } else {
                if pending_space && !out.is_empty() {
                    out.push(' ');
                }
                pending_space = false;
                out.push(match c {
                    '–' | '—' | '‐' | '‑' => '-',
                    'ʼ' | '’' => '\'',
                    other => other,
                });
            }
        }
    }
    flush(&mut out, &mut word, &mut tone);
    out
}

fn is_combining(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}')
}

/// True when two names are the same name (see the module comment).
pub fn same_name(a: &str, b: &str) -> bool {
    name_key(a) == name_key(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tone_placement_and_case_do_not_matter() {
        assert!(same_name("Tỉnh uỷ Cao Bằng", "Tỉnh ủy Cao Bằng"));
        assert!(same_name("Huyện uỷ Hoà An", "huyện ủy Hòa An"));
        assert!(same_name("qúy", "quý"));
        assert!(same_name(
            "Đài Phát thanh – Truyền hình",
            "Đài  Phát thanh - Truyền hình"
        ));
    }

    #[test]
    fn diacritics_do_matter() {
        assert!(!same_name("Huyện uỷ Bảo Lạc", "Huyện uỷ Bảo Lâm"));
        assert!(!same_name("Hà Quảng", "Ha Quang"));
        assert!(!same_name("Hạ Lang", "Hà Lang"));
    }

    #[test]
    fn nfd_input_is_stored_as_nfc() {
        let decomposed = "Tha\u{0300}nh uy\u{0309}";
        assert_eq!(nfc(decomposed), "Thành uỷ");
        assert!(same_name(decomposed, "thành ủy"));
    }
}
