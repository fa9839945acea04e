//! The opening of a plan: issuing body, number, place and date, title, the
//! documents it is based on, and the sentence that introduces it.

use dondoc_core::plan::BasedOn;

/// A document number: digits, then `-` or `/`, then the kind and issuer
/// letters (`390-KH/TU`, `123/KH-UBND`, `45/2024/NĐ-CP`). Its length in bytes.
pub fn doc_number(s: &str) -> Option<usize> {
    let digits = s.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || !s[digits..].starts_with(['-', '/']) {
        return None;
    }
    let mut end = digits;
    for (i, c) in s[digits..].char_indices() {
        if c.is_alphanumeric() || matches!(c, '-' | '/' | '&' | '.') {
            end = digits + i + c.len_utf8();
        } else {
            break;
        }
    }
    let number = s[..end].trim_end_matches(['.', '-', '/']);
    number
        .chars()
        .any(char::is_uppercase)
        .then_some(number.len())
}

/// `14/6/2024` or `ngày 19 tháng 11 năm 2024` at the start of `s` (after
/// an optional `ngày`): ISO date and bytes read.
pub fn date_at(s: &str) -> Option<(String, usize)> {
    let lower = s.to_lowercase();
    let mut i = 0;
    if lower.starts_with("ngày") {
        i = "ngày".len();
        i += lower[i..].len() - lower[i..].trim_start().len();
    }
    let num = |from: usize| -> Option<(u32, usize)> {
        let n = lower[from..].bytes().take_while(u8::is_ascii_digit).count();
        (n > 0 && n <= 4)
            .then(|| (lower[from..from + n].parse().ok(), from + n))
            .and_then(|(v, e)| v.map(|v| (v, e)))
    };
    let (d, j) = num(i)?;
    let (m, y, end) = if lower[j..].starts_with('/')
        || lower[j..].starts_with('-')
        || lower[j..].starts_with('.')
    {
        let (m, k) = num(j + 1)?;
        if !lower[k..].starts_with(['/', '-', '.']) {
            return None;
        }
        let (y, e) = num(k + 1)?;
        (m, y, e)
    } else {
        let rest = lower[j..].trim_start().strip_prefix("tháng")?.trim_start();
        let (m, k2) = num(lower.len() - rest.len())?;
        let rest = lower[k2..].trim_start().strip_prefix("năm")?.trim_start();
        let (y, e) = num(lower.len() - rest.len())?;
        (m, y, e)
    };
    let date = jiff::civil::Date::new(
        i16::try_from(y).ok()?,
        i8::try_from(m).ok()?,
        i8::try_from(d).ok()?,
    )
    .ok()?;
    (y >= 1900).then(|| (date.to_string(), end))
}

/// `Cao Bằng, ngày 19 tháng 11 năm 2024`: place and ISO date.
pub fn place_date(line: &str) -> Option<(Option<String>, String)> {
    let lower = line.to_lowercase();
    let at = lower.find("ngày")?;
    let (date, len) = date_at(&line[at..])?;
    let place = line[..at].trim().trim_end_matches(',').trim();
    // A date line has nothing but its place before the date, and nothing after.
    let after = line[at + len..].trim().trim_matches(['.', ')', '(']);
    if place.split_whitespace().count() > 5
        || place.chars().any(|c| c.is_ascii_digit())
        || !after.is_empty()
    {
        return None;
    }
    let place = (!place.is_empty() && !place.contains('.')).then(|| place.to_string());
    Some((place, date))
}

/// Kinds of documents a plan is based on, as they are written.
const KINDS: &[&str] = &[
    "Nghị quyết",
    "Chỉ thị",
    "Kết luận",
    "Quy định",
    "Quyết định",
    "Hướng dẫn",
    "Công văn",
    "Kế hoạch",
    "Chương trình",
    "Nghị định",
    "Thông tư",
    "Thông báo",
    "Văn bản",
    "Điều lệ",
];

/// Issuers implied by the end of a document number, where the convention
/// names one body only (`…/BTGTW` is always the central propaganda board).
const SUFFIX_ISSUERS: &[(&str, &str)] = &[
    ("BTGTW", "Ban Tuyên giáo Trung ương"),
    ("BTCTW", "Ban Tổ chức Trung ương"),
    ("BDVTW", "Ban Dân vận Trung ương"),
    ("VPTW", "Văn phòng Trung ương Đảng"),
    ("NĐ-CP", "Chính phủ"),
    ("QĐ-TTg", "Thủ tướng Chính phủ"),
    ("CT-TTg", "Thủ tướng Chính phủ"),
];

/// Every document cited in `text`, in order, each once.
pub fn based_on(text: &str, out: &mut Vec<BasedOn>) {
    documents(text, out);
    // `Luật Tổ chức chính quyền địa phương số 63/2025/QH15 ngày …`: a law
    // is cited by its name, then its number.
    for clause in text.split(';') {
        let lower = clause.to_lowercase();
        let Some(law) = lower.find("luật ") else {
            continue;
        };
        let Some(at) = lower[law..].find(" số ").map(|p| p + law + " số ".len()) else {
            continue;
        };
        let Some(n) = doc_number(&clause[at..]) else {
            continue;
        };
        let number = clause[at..at + n].to_string();
        if out.iter().any(|b| b.number == number) {
            continue;
        }
        let rest = clause[at + n..].trim_start_matches([',', ' ']);
        let date = date_at(rest).map(|(d, _)| d);
        out.push(BasedOn {
            number,
            date,
            issuer: None,
            title: Some(clause[law..at - " số ".len()].trim().to_string()),
        });
    }
}

/// The next `<Kind> số` from `from`: where it starts and its length.
fn next_kind(lower: &str, from: usize) -> Option<(usize, usize)> {
    KINDS
        .iter()
        .filter_map(|k| {
            let key = format!("{} số", k.to_lowercase());
            lower[from..].find(&key).map(|p| (p + from, key.len()))
        })
        .min_by_key(|(p, _)| *p)
}

fn documents(text: &str, out: &mut Vec<BasedOn>) {
    let lower = text.to_lowercase();
    let mut from = 0;
    while let Some((pos, kind_len)) = next_kind(&lower, from) {
        let mut i = pos + kind_len;
        i += text[i..].len() - text[i..].trim_start().len();
        let Some(n) = doc_number(&text[i..]) else {
            from = pos + kind_len;
            continue;
        };
        let number = text[i..i + n].to_string();
        i += n;
        let skip = |i: usize| {
            let rest = &text[i..];
            let t = rest.trim_start_matches([',', ' ']);
            i + rest.len() - t.len()
        };
        i = skip(i);
        let mut date = None;
        if let Some((d, len)) = date_at(&text[i..]) {
            date = Some(d);
            i = skip(i + len);
        }
        let mut issuer = None;
        if text[i..].starts_with("của ") {
            let start = i + "của ".len();
            let end = issuer_end(&text[start..]) + start;
            issuer = Some(text[start..end].trim().trim_end_matches(',').to_string());
            i = end;
        }
        if issuer.is_none() {
            issuer = SUFFIX_ISSUERS
                .iter()
                .find(|(s, _)| number.ends_with(s))
                .map(|(_, name)| name.to_string());
        }
        let title_end = text[i..].find(';').map_or(text.len(), |p| p + i);
        let title = text[i..title_end]
            .trim()
            .trim_end_matches([',', '.'])
            .trim();
        if !out.iter().any(|b| b.number == number) {
            out.push(BasedOn {
                number,
                date,
                issuer,
                title: (!title.is_empty()).then(|| title.to_string()),
            });
        }
        from = i.max(pos + kind_len);
    }
}

/// Where the name of an issuer ends: before `về`, `thực hiện`, `;`, `,` …
fn issuer_end(s: &str) -> usize {
    let stops = [
        " về ",
        " thực hiện ",
        " ban hành ",
        " quy định ",
        " tiến tới ",
        " triển khai ",
        " trong ",
        " đối với ",
        " hướng dẫn ",
        ";",
        ",",
        ".",
    ];
    stops
        .iter()
        .filter_map(|w| s.find(w))
        .min()
        .unwrap_or(s.len())
}

/// `X ban hành Kế hoạch …` / `X xây dựng Kế hoạch …`: X, as written.
pub fn issuer_sentence(text: &str) -> Option<String> {
    let lower = text.to_lowercase();
    let at = [
        "ban hành kế hoạch",
        "xây dựng kế hoạch",
        "ban hành chương trình",
        "xây dựng chương trình",
    ]
    .iter()
    .filter_map(|w| lower.find(w))
    .min()?;
    let before = text[..at].trim_end();
    // After the bases, the subject follows the last comma.
    let subject = before.rsplit(',').next()?.trim();
    let subject = subject.strip_prefix("nay ").unwrap_or(subject).trim();
    let len = crate::names::name_prefix(subject)?;
    (len == subject.len()).then(|| subject.to_string())
}

/// Header lines that are the same in every document and say nothing of it.
pub fn boilerplate(line: &str) -> bool {
    let u = line.to_uppercase();
    let u = u.trim();
    u == "*"
        || u == "-"
        || u.starts_with("ĐẢNG CỘNG SẢN VIỆT NAM")
        || u.starts_with("ĐOÀN TNCS HỒ CHÍ MINH")
        || u.starts_with("ĐOÀN THANH NIÊN CỘNG SẢN HỒ CHÍ MINH")
        || u.starts_with("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
        || u.starts_with("CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM")
        || u.starts_with("ĐỘC LẬP - TỰ DO - HẠNH PHÚC")
        || u.starts_with("ĐỘC LẬP – TỰ DO – HẠNH PHÚC")
        || u.chars().all(|c| matches!(c, '-' | '_' | '=' | '*' | ' '))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_dates() {
        assert_eq!(doc_number("390-KH/TU, ngày"), Some(9));
        assert_eq!(doc_number("123/KH-UBND ngày"), Some(11));
        assert_eq!(doc_number("45/2024/NĐ-CP"), Some("45/2024/NĐ-CP".len()));
        assert_eq!(doc_number("2024 năm"), None);
        assert_eq!(
            date_at("ngày 14/6/2024 của").map(|d| d.0),
            Some("2024-06-14".into())
        );
        assert_eq!(
            date_at("ngày 19 tháng 11 năm 2024").map(|d| d.0),
            Some("2024-11-19".into())
        );
        assert_eq!(
            place_date("Cao Bằng, ngày 05 tháng 3 năm 2025"),
            Some((Some("Cao Bằng".into()), "2025-03-05".into()))
        );
    }

    #[test]
    fn bases() {
        let mut out = Vec::new();
        based_on(
            "Thực hiện Chỉ thị số 35-CT/TW, ngày 14/6/2024 của Bộ Chính trị về đại hội; Hướng dẫn số 168-HD/BTGTW, ngày 23/9/2024 về tuyên truyền; Kế hoạch số 351-KH/TU, ngày 15/7/2024 của Ban Thường vụ Tỉnh uỷ Cao Bằng thực hiện Chỉ thị số 35-CT/TW, ngày 14/6/2024 của Bộ Chính trị về đại hội,",
            &mut out,
        );
        let got: Vec<_> = out
            .iter()
            .map(|b| (b.number.as_str(), b.date.as_deref(), b.issuer.as_deref()))
            .collect();
        assert_eq!(
            got,
            [
                ("35-CT/TW", Some("2024-06-14"), Some("Bộ Chính trị")),
                (
                    "168-HD/BTGTW",
                    Some("2024-09-23"),
                    Some("Ban Tuyên giáo Trung ương")
                ),
                (
                    "351-KH/TU",
                    Some("2024-07-15"),
                    Some("Ban Thường vụ Tỉnh uỷ Cao Bằng")
                ),
            ]
        );
        assert_eq!(
            issuer_sentence("Tỉnh uỷ Cao Bằng ban hành Kế hoạch tuyên truyền").as_deref(),
            Some("Tỉnh uỷ Cao Bằng")
        );
    }
}
