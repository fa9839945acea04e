//! Vietnamese text: the NFC form it is stored in, and the key names are
//! compared by.
//!
//! Names are compared **with** their diacritics (Bảo Lạc and Bảo Lâm are two
//! districts; dropping marks would merge them) but **without** regard to case,
//! to where the tone mark sits (the old `hoà`, `uỷ`, `thuý` and the new `hòa`,
//! `ủy`, `thúy` are the same word, and documents mix both), to the kind of
//! dash, or to runs of white space.
//!
//! Also the one home of the words every crate writes the same way: numbers
//! (`1.234.567`), Roman numerals (`XIV`), file sizes (`1,5 MB`), days
//! (`05/02/2025`, read and written) and today's date in Vietnam.

use unicode_normalization::UnicodeNormalization;

/// The stored form of every text: Unicode NFC.
pub fn nfc(s: &str) -> String {
    // Most text is composed already: the quick check spares the rebuild.
    if unicode_normalization::is_nfc_quick(s.chars()) == unicode_normalization::IsNormalized::Yes {
        return s.to_string();
    }
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

/// The text with its first letter in lower case (`Tháng 01/2025` →
/// `tháng 01/2025`), for a label going inside a sentence.
pub fn lower_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// At most `n` characters, with `…` when something was cut.
pub fn clip(s: &str, n: usize) -> String {
    let mut out: String = s.chars().take(n).collect();
    if s.chars().count() > n {
        out.push('…');
    }
    out
}

/// An assignment's status as the documents write it: its name
/// (`Đang thực hiện`), or `Quá hạn (đang thực hiện)` when it is overdue.
pub fn status_text(status: &str, overdue: bool) -> String {
    if overdue {
        format!("Quá hạn ({})", lower_first(status))
    } else {
        status.to_string()
    }
}

/// `1234567` → `1.234.567`: digits grouped by three with a dot, the
/// Vietnamese way; `-1234` → `-1.234`.
pub fn vn_number(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(d);
    }
    out
}

/// `part` of `whole` with one decimal and a decimal comma: `83,3%`, `100%`.
/// Rounding never claims everyone (or no one) when that is not so: 999 of
/// 1000 is `99,9%`, 1 of 10000 is `0,1%`. A `whole` of 0 counts as 1.
pub fn vn_percent(part: i64, whole: i64) -> String {
    tenths_text(percent_tenths(part, whole))
}

/// A rate in tenths of a percent, rounded half up, except that an
/// incomplete count never shows as 100% and a non-zero one never as 0%:
/// the one rounding of every rate dondoc prints (pages, documents, API).
pub fn percent_tenths(part: i64, whole: i64) -> i64 {
    let (part, whole) = (i128::from(part.max(0)), i128::from(whole.max(1)));
    let mut tenths = ((part * 1000 + whole / 2) / whole).min(1000);
    if part < whole && tenths == 1000 {
        tenths = 999;
    } else if part > 0 && tenths == 0 {
        tenths = 1;
    }
    tenths as i64
}

/// A ratio in 0..=1 as `vn_percent` writes it (charts hold ratios).
pub fn vn_ratio_percent(r: f64) -> String {
    const SCALE: i64 = 1_000_000;
    vn_percent((r.clamp(0.0, 1.0) * SCALE as f64).round() as i64, SCALE)
}

/// `833` → `83,3%`: a rate in tenths (`percent_tenths`) in words.
pub fn tenths_text(tenths: i64) -> String {
    if tenths % 10 == 0 {
        format!("{}%", tenths / 10)
    } else {
        format!("{},{}%", tenths / 10, tenths % 10)
    }
}

/// `14` → `XIV`: the numbering of phases, congresses and quarters. Zero is
/// the empty text; past 3999 the thousands are written as repeated `M`.
pub fn roman(mut n: u32) -> String {
    const DIGITS: [(u32, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut out = String::new();
    for (value, digits) in DIGITS {
        while n >= value {
            out.push_str(digits);
            n -= value;
        }
    }
    out
}

/// A file's size as people read it: `900 byte`, `340 KB`, `1,5 MB`.
///
/// The one form for every page, message and command: units of 1024;
/// bytes and kilobytes whole (kilobytes rounded down), megabytes with one
/// decimal (rounded down, so a file just under a limit never reads as the
/// limit) after a decimal comma, always written (`1,0 MB`); the whole part
/// grouped by three with a dot (`1.023 byte`, `2.048,0 MB`), as
/// [`vn_number`] writes numbers.
pub fn size_text(bytes: u64) -> String {
    const KB: u64 = 1024;
    const MB: u64 = 1024 * 1024;
    let whole = |n: u64| vn_number(i64::try_from(n).unwrap_or(i64::MAX));
    if bytes >= MB {
        let tenths = u128::from(bytes) * 10 / u128::from(MB);
        let tenths = u64::try_from(tenths).unwrap_or(u64::MAX);
        format!("{},{} MB", whole(tenths / 10), tenths % 10)
    } else if bytes >= KB {
        format!("{} KB", whole(bytes / KB))
    } else {
        format!("{} byte", whole(bytes))
    }
}

/// The place of a name in a Vietnamese list: letters in the order of the
/// Vietnamese alphabet (a ă â b c d đ e ê … o ô ơ … u ư …), whole names
/// compared letter by letter before any tone counts, then tones in the
/// dictionaries' order (none, huyền, hỏi, ngã, sắc, nặng), then case. So
/// "Bảo Lạc" comes before "Bảo Lâm" (a before â) and "Hà Quảng" before
/// "Hoà An" (a before o), where comparing code points does the opposite.
/// Old and new tone placement (hoà, hòa) sort alike.
pub fn vn_order(s: &str) -> (Vec<u32>, Vec<u8>, String) {
    let mut letters = Vec::with_capacity(s.len());
    let mut tones = Vec::new();
    for word in s.split_whitespace() {
        if !letters.is_empty() {
            // A shorter name comes first: "Bảo" before "Bảo Lạc".
            letters.push(0);
        }
        let mut tone = 0u8;
        let mut chars = word.nfd().peekable();
        while let Some(c) = chars.next() {
            let lower = c.to_lowercase().next().unwrap_or(c);
            let mut modifier = None;
            while let Some(&m) = chars.peek() {
                match m {
                    '\u{0306}' | '\u{0302}' | '\u{031B}' => modifier = Some(m),
                    '\u{0300}' => tone = 1,
                    '\u{0309}' => tone = 2,
                    '\u{0303}' => tone = 3,
                    '\u{0301}' => tone = 4,
                    '\u{0323}' => tone = 5,
                    m if is_combining(m) => {}
                    _ => break,
                }
                chars.next();
            }
            letters.push(letter_rank(lower, modifier));
        }
        tones.push(tone);
    }
    (letters, tones, s.to_string())
}

/// A letter's rank in the Vietnamese alphabet; digits before letters, any
/// other character after them in code point order.
fn letter_rank(c: char, modifier: Option<char>) -> u32 {
    const ALPHABET: &[(char, Option<char>)] = &[
        ('a', None),
        ('a', Some('\u{0306}')),
        ('a', Some('\u{0302}')),
        ('b', None),
        ('c', None),
        ('d', None),
        ('đ', None),
        ('e', None),
        ('e', Some('\u{0302}')),
        ('f', None),
        ('g', None),
        ('h', None),
        ('i', None),
        ('j', None),
        ('k', None),
        ('l', None),
        ('m', None),
        ('n', None),
        ('o', None),
        ('o', Some('\u{0302}')),
        ('o', Some('\u{031B}')),
        ('p', None),
        ('q', None),
        ('r', None),
        ('s', None),
        ('t', None),
        ('u', None),
        ('u', Some('\u{031B}')),
        ('v', None),
        ('w', None),
        ('x', None),
        ('y', None),
        ('z', None),
    ];
    if let Some(d) = c.to_digit(10) {
        return 1 + d;
    }
    match ALPHABET.iter().position(|&(l, m)| l == c && m == modifier) {
        Some(i) => 100 + i as u32,
        None => 1000 + c as u32,
    }
}

/// Text as a search box compares it: lower case, without tones or letter
/// marks (đ as d), spaces collapsed. Searching is the one place dondoc
/// ignores diacritics on purpose: people type on phones without them
/// ("bao lac" finds "Bảo Lạc"); names are matched with them (`name_key`).
pub fn search_fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.nfd() {
        if is_combining(c) {
            continue;
        }
        match c {
            'đ' | 'Đ' => out.push('d'),
            c => out.extend(c.to_lowercase()),
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Sorts `items` by the Vietnamese order of the name `key` gives.
pub fn sort_vn<T>(items: &mut [T], key: impl Fn(&T) -> &str) {
    items.sort_by_cached_key(|x| vn_order(key(x)));
}

/// Whether XML 1.0 (DOCX, XLSX, SVG) and a page can carry `c`: not a
/// control character other than tab and line breaks, not one of the
/// non-characters U+FFFE and U+FFFF.
pub fn is_text_char(c: char) -> bool {
    !(c.is_control() && !matches!(c, '\t' | '\n' | '\r') || c == '\u{FFFE}' || c == '\u{FFFF}')
}

/// The first character of `s` that no document can carry, with its place
/// (counted in characters from 1), for a message that names it.
pub fn bad_char(s: &str) -> Option<(usize, char)> {
    s.chars()
        .enumerate()
        .find(|(_, c)| !is_text_char(*c))
        .map(|(i, c)| (i + 1, c))
}

/// `s` without the characters no document can carry: what the document
/// writers put into XML, whatever was stored before input was checked.
pub fn xml_safe(s: &str) -> std::borrow::Cow<'_, str> {
    if s.chars().all(is_text_char) {
        std::borrow::Cow::Borrowed(s)
    } else {
        std::borrow::Cow::Owned(s.chars().filter(|c| is_text_char(*c)).collect())
    }
}

/// The refusal of a text holding such a character, naming the field.
pub fn bad_char_message(field: &str, s: &str) -> Option<String> {
    bad_char(s).map(|(at, c)| {
        format!(
            "«{field}» có ký tự không dùng được trong văn bản (U+{:04X}) ở vị trí {at}; xoá ký tự đó rồi gửi lại",
            c as u32
        )
    })
}

/// Vietnam's time: UTC+7 all year (no daylight saving).
pub const VIETNAM: jiff::tz::Offset = jiff::tz::Offset::constant(7);

/// Today's date in Vietnam, whatever the machine's time zone.
pub fn today_in_vietnam() -> jiff::civil::Date {
    VIETNAM.to_datetime(jiff::Timestamp::now()).date()
}

/// A stored UTC timestamp as Vietnam reads it: "10/03/2025 14:05"; text
/// that is no timestamp stays as it is.
pub fn vn_time(at: &str) -> String {
    match at.parse::<jiff::Timestamp>() {
        Ok(ts) => {
            let t = VIETNAM.to_datetime(ts);
            format!(
                "{:02}/{:02}/{} {:02}:{:02}",
                t.day(),
                t.month(),
                t.year(),
                t.hour(),
                t.minute()
            )
        }
        Err(_) => at.to_string(),
    }
}

/// The first and last years a typed day may have: a day outside them is a
/// typing slip (`05/02/225`, `0025-02-05`), not a date of a plan.
pub const FIRST_YEAR: i16 = 2000;
pub const LAST_YEAR: i16 = 2100;

/// A day as people type it: `2025-02-05`, `05/02/2025` or `5/2/2025`
/// (white space around it aside), in the years 2000–2100. The error is
/// Vietnamese and names the text: `«hôm qua» không phải ngày; …`,
/// `ngày 31/02/2025 không có trong lịch`.
pub fn parse_day(s: &str) -> Result<jiff::civil::Date, String> {
    let t = s.trim();
    let bad = || format!("«{t}» không phải ngày; viết theo dạng 05/02/2025 hoặc 2025-02-05");
    let in_range = |d: jiff::civil::Date| {
        if (FIRST_YEAR..=LAST_YEAR).contains(&d.year()) {
            Ok(d)
        } else {
            Err(format!(
                "«{t}»: năm {} nằm ngoài khoảng {FIRST_YEAR}–{LAST_YEAR}",
                d.year()
            ))
        }
    };
    if t.is_empty() {
        return Err("chưa nhập ngày; viết theo dạng 05/02/2025 hoặc 2025-02-05".to_string());
    }
    if t.len() == 10 && t.as_bytes()[4] == b'-' {
        return match t.parse::<jiff::civil::Date>() {
            Ok(d) => in_range(d),
            Err(_) => Err(bad()),
        };
    }
    let parts: Vec<&str> = t.split('/').collect();
    let [d, m, y] = parts.as_slice() else {
        return Err(bad());
    };
    let num = |x: &str, most: usize| {
        (!x.is_empty() && x.len() <= most && x.bytes().all(|b| b.is_ascii_digit()))
            .then(|| x.parse::<i16>().ok())
            .flatten()
    };
    let (Some(d), Some(m), Some(y)) = (num(d, 2), num(m, 2), num(y, 4)) else {
        return Err(bad());
    };
    if y < 1000 {
        return Err(bad());
    }
    if !(FIRST_YEAR..=LAST_YEAR).contains(&y) {
        return Err(format!(
            "«{t}»: năm {y} nằm ngoài khoảng {FIRST_YEAR}–{LAST_YEAR}"
        ));
    }
    jiff::civil::Date::new(y, m as i8, d as i8)
        .map_err(|_| format!("ngày {d:02}/{m:02}/{y} không có trong lịch"))
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
    #[test]
    fn numbers_are_grouped_by_three_with_dots() {
        assert_eq!(vn_number(0), "0");
        assert_eq!(vn_number(999), "999");
        assert_eq!(vn_number(1000), "1.000");
        assert_eq!(vn_number(1_234_567), "1.234.567");
        assert_eq!(vn_number(-1234), "-1.234");
        assert_eq!(vn_number(i64::MIN), "-9.223.372.036.854.775.808");
    }

    #[test]
    fn percentages_have_a_decimal_comma_and_never_overclaim() {
        assert_eq!(vn_percent(5, 6), "83,3%");
        assert_eq!(vn_percent(6, 6), "100%");
        assert_eq!(vn_percent(0, 6), "0%");
        assert_eq!(vn_percent(999, 1000), "99,9%");
        assert_eq!(vn_percent(9999, 10000), "99,9%");
        assert_eq!(vn_percent(1, 100_000), "0,1%");
        assert_eq!(vn_percent(0, 0), "0%");
    }

    #[test]
    fn search_ignores_tones_marks_and_case() {
        assert_eq!(search_fold("Huyện uỷ  Bảo Lạc"), "huyen uy bao lac");
        assert_eq!(search_fold("ĐẠI HỘI"), "dai hoi");
        assert!(search_fold("Tuyên truyền trên báo chí").contains(&search_fold("bao chi")));
    }

    #[test]
    fn names_in_vietnamese_order() {
        let mut names = vec![
            "Huyện uỷ Hoà An",
            "Huyện uỷ Bảo Lâm",
            "Huyện uỷ Hà Quảng",
            "Huyện uỷ Bảo Lạc",
            "Huyện uỷ Bảo",
            "Đảng uỷ Khối",
            "Ban Dân vận",
            "huyện uỷ Cao Bằng",
            "Thành uỷ Cao Bằng",
            "Ăn",
            "Ân",
            "Ba",
            "Bà",
            "Bá",
            "Bả",
            "Bã",
            "Bạ",
        ];
        sort_vn(&mut names, |s| s);
        assert_eq!(
            names,
            [
                "Ăn",
                "Ân",
                "Ba",
                "Bà",
                "Bả",
                "Bã",
                "Bá",
                "Bạ",
                "Ban Dân vận",
                "Đảng uỷ Khối",
                "Huyện uỷ Bảo",
                "Huyện uỷ Bảo Lạc",
                "Huyện uỷ Bảo Lâm",
                "huyện uỷ Cao Bằng",
                "Huyện uỷ Hà Quảng",
                "Huyện uỷ Hoà An",
                "Thành uỷ Cao Bằng",
            ]
        );
        // Old and new tone placement sort as one.
        assert_eq!(vn_order("Hoà An").0, vn_order("Hòa An").0);
        assert_eq!(vn_order("Hoà An").1, vn_order("Hòa An").1);
    }

    #[test]
    fn characters_no_document_can_carry() {
        assert_eq!(bad_char("Đã làm\ttốt\n"), None);
        assert_eq!(bad_char("ab\u{FFFE}c"), Some((3, '\u{FFFE}')));
        assert_eq!(bad_char("\u{1b}[31m"), Some((1, '\u{1b}')));
        assert_eq!(xml_safe("a\u{FFFF}b\u{0}c"), "abc");
        let m = bad_char_message("Nội dung báo cáo", "x\u{FFFF}").unwrap();
        assert!(m.contains("U+FFFF") && m.contains("vị trí 2"), "{m}");
    }

    #[test]
    fn times_in_vietnam() {
        assert_eq!(vn_time("2025-03-10T07:05:00Z"), "10/03/2025 14:05");
        assert_eq!(vn_time("2025-03-10T20:00:00Z"), "11/03/2025 03:00");
        assert_eq!(vn_time("hôm qua"), "hôm qua");
    }

    #[test]
    fn roman_numerals() {
        let cases = [
            (0, ""),
            (1, "I"),
            (4, "IV"),
            (9, "IX"),
            (14, "XIV"),
            (19, "XIX"),
            (40, "XL"),
            (90, "XC"),
            (2025, "MMXXV"),
            (3999, "MMMCMXCIX"),
        ];
        for (n, r) in cases {
            assert_eq!(roman(n), r, "{n}");
        }
    }

    #[test]
    fn sizes_in_words() {
        assert_eq!(size_text(0), "0 byte");
        assert_eq!(size_text(900), "900 byte");
        assert_eq!(size_text(1023), "1.023 byte");
        assert_eq!(size_text(1024), "1 KB");
        assert_eq!(size_text(1536), "1 KB");
        assert_eq!(size_text(23 * 1024 + 10), "23 KB");
        assert_eq!(size_text(1024 * 1024 - 1), "1.023 KB");
        assert_eq!(size_text(1024 * 1024), "1,0 MB");
        assert_eq!(size_text(1_300_000), "1,2 MB");
        assert_eq!(size_text(1536 * 1024), "1,5 MB");
        assert_eq!(size_text(2048 * 1024 * 1024), "2.048,0 MB");
        assert!(size_text(u64::MAX).ends_with(" MB"));
    }

    #[test]
    fn today_in_vietnam_is_utc_plus_seven() {
        let before = jiff::tz::Offset::constant(7)
            .to_datetime(jiff::Timestamp::now())
            .date();
        let today = today_in_vietnam();
        let after = jiff::tz::Offset::constant(7)
            .to_datetime(jiff::Timestamp::now())
            .date();
        assert!(before <= today && today <= after);
    }

    #[test]
    fn days_are_read_in_both_spellings() {
        let d = jiff::civil::date(2025, 2, 5);
        assert_eq!(parse_day("2025-02-05"), Ok(d));
        assert_eq!(parse_day(" 05/02/2025 "), Ok(d));
        assert_eq!(parse_day("5/2/2025"), Ok(d));
        assert_eq!(parse_day("01/01/2000"), Ok(jiff::civil::date(2000, 1, 1)));
        assert_eq!(parse_day("2100-12-31"), Ok(jiff::civil::date(2100, 12, 31)));
    }

    #[test]
    fn a_day_that_is_not_one_is_named_in_the_error() {
        let err = |s: &str| parse_day(s).unwrap_err();
        assert!(err("hôm qua").contains("«hôm qua» không phải ngày"));
        assert_eq!(err("31/02/2025"), "ngày 31/02/2025 không có trong lịch");
        assert!(err("2025-02-30").contains("«2025-02-30»"));
        assert!(err("2025/02/05").contains("«2025/02/05»"));
        assert!(err("05/02/25").contains("«05/02/25»"));
        assert!(err("005/02/2025").contains("«005/02/2025»"));
        assert!(err("+5/2/2025").contains("«+5/2/2025»"));
        assert!(err("").contains("chưa nhập ngày"));
        assert!(err("05/02/1999").contains("1999"));
        assert!(err("1999-12-31").contains("ngoài khoảng 2000–2100"));
        assert!(err("01/01/2101").contains("ngoài khoảng 2000–2100"));
    }
    #[test]
    fn labels_go_inside_sentences() {
        assert_eq!(lower_first("Tháng 01/2025"), "tháng 01/2025");
        assert_eq!(lower_first("Đợt I"), "đợt I");
        assert_eq!(lower_first(""), "");
        assert_eq!(clip("Bảo Lạc", 3), "Bảo…");
        assert_eq!(clip("Bảo", 3), "Bảo");
        assert_eq!(status_text("Đang thực hiện", false), "Đang thực hiện");
        assert_eq!(status_text("Chưa bắt đầu", true), "Quá hạn (chưa bắt đầu)");
    }
}
