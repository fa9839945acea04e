//! The document as numbered lines, each with the list marker that opens it.
//!
//! Markdown emphasis, escapes and footnote marks are dropped here, once, so
//! that every later reading sees the words as a person reads them.

use dondoc_core::text::nfc;

/// One line of the source, cleaned, with its 1-based number in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub no: usize,
    pub marker: Marker,
    /// The text after the marker.
    pub text: String,
    /// The line as the source writes it (for the review page).
    pub raw: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Marker {
    /// `I-`, `II.`: a top-level section, numeral as written.
    Roman(String),
    /// `1.`, `1.1.`, `1.7.1`: its numbers.
    Number(Vec<u32>),
    /// `a)`.
    Letter(char),
    /// `(1)`.
    Paren(u32),
    /// `-`, `–`, `•`, `*`.
    Dash,
    /// `+`.
    Plus,
    /// A row of a table, its cells.
    Row(Vec<String>),
    /// `PHỤ LỤC 02`: the annex's number as written ("02"), or "" when none.
    Annex(String),
    /// A footnote: `¹ Việc sử dụng …`.
    Footnote(u32),
    /// An empty line.
    Blank,
    None,
}

pub fn split(text: &str) -> Vec<Line> {
    let raw: Vec<&str> = text.lines().collect();
    let joined = rejoin(&raw);
    joined
        .iter()
        .enumerate()
        .map(|(i, raw)| {
            let (marker, text) = classify(raw);
            Line {
                no: i + 1,
                marker,
                text,
                raw: raw.trim_end().to_string(),
            }
        })
        .collect()
}

/// Whether a line is a list marker and nothing else (`III.`, `1.`, `1.2.`,
/// `a)`, `(2)`), as text extraction leaves a heading's number on a line of
/// its own.
fn bare_marker(line: &str) -> bool {
    let t = line.trim();
    if t.is_empty() || t.len() > 8 {
        return false;
    }
    let roman = t.trim_end_matches(['.', '-', ')', ':']);
    if roman.len() < t.len()
        && !roman.is_empty()
        && roman.chars().all(|c| matches!(c, 'I' | 'V' | 'X' | 'L'))
    {
        return true;
    }
    if t.ends_with('.')
        && t[..t.len() - 1]
            .split('.')
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
    {
        return true;
    }
    let mut cs = t.chars();
    if let (Some(l), Some(')'), None) = (cs.next(), cs.next(), cs.next()) {
        return l.is_ascii_lowercase() || l == 'đ';
    }
    t.starts_with('(')
        && t.ends_with(')')
        && t[1..t.len() - 1].chars().all(|c| c.is_ascii_digit())
        && t.len() > 2
}

/// Lines as a person reads them where text extraction cut them: a marker
/// alone on its line is joined to the words that follow it (`1.` /
/// `Công tác vệ sinh môi trường`), and a heading in capitals cut inside a
/// word run (`IV. NỘI` / `DUNG HOẠT ĐỘNG`) is made whole. The line taken
/// in is left blank, so every line keeps its number.
fn rejoin(raw: &[&str]) -> Vec<String> {
    let mut out: Vec<String> = raw.iter().map(|l| l.to_string()).collect();
    let mut i = 0;
    while i + 1 < out.len() {
        let next = out[i + 1].trim().to_string();
        let starts_word = next.chars().next().is_some_and(char::is_alphabetic);
        if bare_marker(&out[i]) && starts_word && !bare_marker(&next) {
            out[i] = format!("{} {next}", out[i].trim());
            out[i + 1] = String::new();
            i += 2;
            continue;
        }
        // A Roman heading in capitals, then more capitals with no marker.
        let (marker, text) = classify(&out[i]);
        if matches!(marker, Marker::Roman(_))
            && !text.is_empty()
            && starts_word
            && mostly_upper(&next)
            && matches!(classify(&next).0, Marker::None)
            && next.chars().count() <= 80
        {
            out[i] = format!("{} {next}", out[i].trim_end());
            out[i + 1] = String::new();
            i += 2;
            continue;
        }
        i += 1;
    }
    join_broken_lines(&mut out);
    crate::flat_table::rebuild(&mut out);
    out
}

/// Joins the lines that text extraction broke inside a paragraph.
///
/// Two styles meet here. Where paragraphs are set apart by a blank line
/// (most copies from the web), a line right under another is the same
/// paragraph broken by the page's width (`Ủy ban nhân dân thành phố Hà` /
/// `Nội, …`). Where every line is a line of print (text taken from a
/// PDF), a line only goes on from one that was filled to the margin.
/// Either way a line that opens with a list marker starts its own item,
/// and one under a finished sentence (`.`, `;`, `:`) starts its own
/// paragraph unless it begins in lower case.
fn join_broken_lines(out: &mut [String]) {
    let filled: Vec<usize> = out
        .iter()
        .map(|l| l.trim().chars().count())
        .filter(|&n| n > 0)
        .collect();
    if filled.is_empty() {
        return;
    }
    let followed_by_blank = (0..out.len())
        .filter(|&i| !out[i].trim().is_empty())
        .filter(|&i| out.get(i + 1).is_none_or(|n| n.trim().is_empty()))
        .count();
    let blank_separated = followed_by_blank * 2 >= filled.len();
    let mut lengths = filled.clone();
    lengths.sort_unstable();
    let margin = lengths[lengths.len() * 9 / 10];
    let rule = |s: &str| {
        let t = s.trim();
        !t.is_empty() && t.chars().all(|c| matches!(c, '-' | '_' | '=' | '*' | ' '))
    };
    // The line text goes on from, with its marker (a join keeps the
    // marker of the line's start, so it is read once).
    let mut prev: Option<(usize, Marker)> = None;
    for i in 0..out.len() {
        if out[i].trim().is_empty() {
            prev = None;
            continue;
        }
        let (marker, text) = classify(&out[i]);
        let Some((p, prev_marker)) = prev.clone() else {
            prev = Some((i, marker));
            continue;
        };
        let prev_text = out[p].trim_end();
        let lower_start = text.chars().next().is_some_and(char::is_lowercase);
        let open = !prev_text.ends_with(['.', ';', ':', '!', '?']);
        let goes_on = marker == Marker::None
            && !matches!(
                prev_marker,
                Marker::Row(_) | Marker::Blank | Marker::Annex(_)
            )
            && !rule(&out[i])
            && !rule(&out[p])
            && !text.chars().all(|c| c.is_ascii_digit() || c == ' ')
            && !out[p].trim_start().starts_with('#')
            && (lower_start || open)
            // Lines in capitals stand alone: a header's bodies, a
            // signature's titles, a slogan's lines are read line by line.
            && !(mostly_upper(prev_text) && mostly_upper(&text))
            // A title in capitals (`KẾ HOẠCH`, `I. MỤC ĐÍCH`) is followed by
            // its own lines, never by the rest of its words in lower case;
            // the header's number and place-and-date lines stand alone too.
            && !mostly_upper(prev_text)
            && !header_line(prev_text)
            && !header_line(&text)
            // A line wholly in brackets is a note of its own (`(Thực hiện
            // từ ngày 01/12 đến ngày 10/12/2025)` under a step's title).
            && !(text.starts_with('(') && text.ends_with(')') && !text[1..].contains('('))
            && (blank_separated
                || margin >= 60 && prev_text.chars().count() * 4 >= margin * 3
                || dangling(prev_text));
        // A header line the page's width cut in two (`Số:` / `2820/QĐ-UBND`,
        // `Thành phố Hồ` / `Chí Minh, ngày …`) is made whole.
        let mends_header = marker == Marker::None
            && prev_marker == Marker::None
            && !rule(&out[p])
            && !header_line(prev_text)
            && !mostly_upper(prev_text)
            && prev_text.chars().count() <= 30
            && header_line(&format!("{} {}", prev_text.trim(), text));
        if goes_on || mends_header {
            let joined = format!("{} {}", prev_text, out[i].trim());
            out[p] = joined;
            out[i] = String::new();
        } else {
            prev = Some((i, marker));
        }
    }
}

/// A line that cannot end a paragraph: it stops on a comma or on a word
/// that needs what follows (`1. Các đồng chí Bộ trưởng,` / `Thủ trưởng cơ
/// quan ngang Bộ …`, `Ngày 28 tháng 11 năm 2025, tại` / `Trụ sở …`).
fn dangling(text: &str) -> bool {
    let t = text.trim_end();
    t.ends_with(',')
        || t.rsplit(' ').next().is_some_and(|w| {
            matches!(
                w,
                "và" | "của"
                    | "tại"
                    | "với"
                    | "các"
                    | "cho"
                    | "về"
                    | "trong"
                    | "theo"
                    | "để"
                    | "là"
            )
        })
}

/// A line of a document's header: `Số: 128/KH-SNNMT`, `Thanh Hóa, ngày 08
/// tháng 4 năm 2025`, the national motto.
fn header_line(text: &str) -> bool {
    let t = text.trim();
    let number = t
        .strip_prefix("Số")
        .map(|r| r.trim_start_matches([':', ' ']))
        .is_some_and(|r| crate::header::doc_number(r).is_some());
    number || t.starts_with("Độc lập") || crate::header::place_date(t).is_some()
}

fn superscript_digit(c: char) -> Option<u32> {
    match c {
        '¹' => Some(1),
        '²' => Some(2),
        '³' => Some(3),
        '⁴'..='⁹' => Some(c as u32 - '⁰' as u32),
        '⁰' => Some(0),
        _ => None,
    }
}

/// Drops Markdown emphasis and escapes, footnote marks, and spreads of
/// white space; NFC.
pub fn clean(s: &str) -> String {
    let s = nfc(s);
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    let mut space = false;
    while let Some(c) = chars.next() {
        match c {
            '*' => continue,
            '\\' if chars.peek().is_some_and(|n| n.is_ascii_punctuation()) => continue,
            c if superscript_digit(c).is_some() => continue,
            c if c.is_whitespace() || c == '\u{a0}' || c == '\u{200b}' => {
                space = true;
                continue;
            }
            _ => {}
        }
        if space && !out.is_empty() {
            out.push(' ');
        }
        space = false;
        out.push(c);
    }
    out
}

fn roman_value(s: &str) -> Option<u32> {
    let mut total = 0u32;
    let mut prev = 0u32;
    for c in s.chars().rev() {
        let v = match c {
            'I' => 1,
            'V' => 5,
            'X' => 10,
            'L' => 50,
            _ => return None,
        };
        if v < prev {
            total = total.checked_sub(v)?;
        } else {
            total += v;
            prev = v;
        }
    }
    (total > 0 && total < 40).then_some(total)
}

/// Mostly capitals: a section title, not a sentence that starts with `I`.
fn mostly_upper(s: &str) -> bool {
    let letters: Vec<char> = s.chars().filter(|c| c.is_alphabetic()).collect();
    let upper = letters.iter().filter(|c| c.is_uppercase()).count();
    !letters.is_empty() && upper * 10 >= letters.len() * 6
}

fn classify(raw: &str) -> (Marker, String) {
    let trimmed = raw.trim();
    // Markdown headings and block quotes carry no meaning of their own.
    let trimmed = trimmed
        .trim_start_matches('#')
        .trim_start_matches('>')
        .trim_start();
    if trimmed.is_empty() {
        return (Marker::Blank, String::new());
    }
    if trimmed.starts_with('|') && trimmed.ends_with('|') && trimmed.len() > 1 {
        let cells: Vec<String> = trimmed[1..trimmed.len() - 1]
            .split('|')
            .map(|c| clean(c).trim().to_string())
            .collect();
        if cells
            .iter()
            .all(|c| c.chars().all(|ch| matches!(ch, '-' | ':' | ' ')))
        {
            return (Marker::Blank, String::new());
        }
        return (Marker::Row(cells), String::new());
    }
    if let Some(d) = trimmed.chars().next().and_then(superscript_digit) {
        let rest = trimmed.chars().skip(1).collect::<String>();
        return (Marker::Footnote(d), clean(&rest).trim().to_string());
    }
    // Bullets before emphasis is dropped: `* item` is a Markdown bullet.
    for (prefix, marker) in [
        ("- ", Marker::Dash),
        ("– ", Marker::Dash),
        ("• ", Marker::Dash),
        ("* ", Marker::Dash),
        ("+ ", Marker::Plus),
        ("\\- ", Marker::Dash),
        ("\\+ ", Marker::Plus),
    ] {
        if let Some(rest) = trimmed.strip_prefix(prefix) {
            let text = clean(rest).trim().to_string();
            if text.is_empty() {
                return (Marker::None, String::new());
            }
            return (marker, text);
        }
    }
    let text = clean(trimmed);
    let text = text.trim();
    if text.is_empty() {
        return (Marker::Blank, String::new());
    }
    let upper = text.to_uppercase();
    if let Some(rest) = upper.strip_prefix("PHỤ LỤC") {
        let number: String = rest
            .trim()
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        let tail = rest.trim()[number.len()..].trim();
        // `Phụ lục I` alone on its line is as much an annex as `PHỤ LỤC I`.
        let alone = tail.is_empty() && rest.split_whitespace().count() <= 1;
        if (mostly_upper(text) || alone)
            && (tail.is_empty()
                || tail.starts_with(':')
                || tail.starts_with('-')
                || tail.starts_with('.'))
        {
            return (Marker::Annex(number), String::new());
        }
    }
    // `II-`, `II.`, `II ` then a title in capitals.
    let numeral: String = text
        .chars()
        .take_while(|c| matches!(c, 'I' | 'V' | 'X' | 'L'))
        .collect();
    if !numeral.is_empty() && roman_value(&numeral).is_some() {
        let rest = &text[numeral.len()..];
        let rest_t = rest
            .trim_start_matches(['-', '.', '–', ':', '/', ')'])
            .trim_start();
        if rest_t.len() < rest.len()
            && (rest.starts_with(['-', '.', '–', ':', '/', ')']) || rest.starts_with(' '))
            && mostly_upper(rest_t)
        {
            return (Marker::Roman(numeral), rest_t.to_string());
        }
    }
    if let Some((numbers, rest)) = decimal(text) {
        return (Marker::Number(numbers), rest.to_string());
    }
    if let Some(rest) = text.strip_prefix('(') {
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        if !digits.is_empty() && digits.len() <= 2 && rest[digits.len()..].starts_with(')') {
            let n = digits.parse().unwrap_or(0);
            return (
                Marker::Paren(n),
                rest[digits.len() + 1..].trim().to_string(),
            );
        }
    }
    let mut chars = text.chars();
    if let (Some(l), Some(')')) = (chars.next(), chars.next())
        && (l.is_ascii_lowercase() || l == 'đ')
    {
        let rest = chars.as_str().trim();
        if !rest.is_empty() {
            return (Marker::Letter(l), rest.to_string());
        }
    }
    (Marker::None, text.to_string())
}

/// `1.`, `1.2.`, `1.2` (a dotted number needs no final dot); the first
/// number small, as section numbers are, so that `2024 …` is not one.
fn decimal(text: &str) -> Option<(Vec<u32>, &str)> {
    let mut numbers = Vec::new();
    let mut i = 0;
    let bytes = text.as_bytes();
    loop {
        let start = i;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        if i == start || i - start > 2 {
            return None;
        }
        numbers.push(text[start..i].parse().ok()?);
        if i < bytes.len() && bytes[i] == b'.' {
            i += 1;
            if i < bytes.len() && bytes[i].is_ascii_digit() {
                continue;
            }
            break;
        }
        if numbers.len() < 2 {
            return None;
        }
        break;
    }
    let rest = &text[i..];
    if !rest.starts_with(' ') || numbers[0] == 0 || numbers[0] > 60 {
        return None;
    }
    let rest = rest.trim();
    // `1. 000 …` would be a figure.
    if rest.is_empty() || rest.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    Some((numbers, rest))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(s: &str) -> (Marker, String) {
        classify(s)
    }

    #[test]
    fn a_marker_or_a_capital_heading_cut_by_extraction_is_made_whole() {
        let lines = split(
            "IV. NỘI\nDUNG HOẠT ĐỘNG TRIỂN KHAI\n\n1.\nCông tác vệ sinh môi trường\na)\nThu gom rác\n- Tổ chức thu gom.",
        );
        assert_eq!(lines.len(), 8, "every line keeps its number");
        assert_eq!(lines[0].marker, Marker::Roman("IV".into()));
        assert_eq!(lines[0].text, "NỘI DUNG HOẠT ĐỘNG TRIỂN KHAI");
        assert_eq!(lines[1].marker, Marker::Blank);
        assert_eq!(lines[3].marker, Marker::Number(vec![1]));
        assert_eq!(lines[3].text, "Công tác vệ sinh môi trường");
        assert_eq!(lines[5].marker, Marker::Letter('a'));
        assert_eq!(lines[5].text, "Thu gom rác");
        assert_eq!(lines[7].marker, Marker::Dash);
        // A number that is a whole line of its own before another marker
        // stays as it is; so does a sentence in capitals under a heading's
        // words.
        let kept = split("1.\n2.\nViệc khác");
        assert_eq!(kept[0].raw, "1.");
        assert_eq!(kept[1].marker, Marker::Number(vec![2]));
        assert_eq!(kept[1].text, "Việc khác");
    }

    #[test]
    fn markers() {
        assert_eq!(
            m("I- MỤC ĐÍCH, YÊU CẦU"),
            (Marker::Roman("I".into()), "MỤC ĐÍCH, YÊU CẦU".into())
        );
        assert_eq!(
            m("IV. TỔ CHỨC THỰC HIỆN"),
            (Marker::Roman("IV".into()), "TỔ CHỨC THỰC HIỆN".into())
        );
        assert_eq!(
            m("1.7.1. Sở Văn hóa"),
            (Marker::Number(vec![1, 7, 1]), "Sở Văn hóa".into())
        );
        assert_eq!(
            m("1.1 Sở Nội vụ"),
            (Marker::Number(vec![1, 1]), "Sở Nội vụ".into())
        );
        assert_eq!(m("2. Yêu cầu"), (Marker::Number(vec![2]), "Yêu cầu".into()));
        assert_eq!(
            m("- **Riêng Thành uỷ** thực hiện"),
            (Marker::Dash, "Riêng Thành uỷ thực hiện".into())
        );
        assert_eq!(
            m("(1) Hội nghị thứ nhất (*tháng 9/2025*): Thông tin"),
            (
                Marker::Paren(1),
                "Hội nghị thứ nhất (tháng 9/2025): Thông tin".into()
            )
        );
        assert_eq!(
            m("a) Giao Phòng Tổ chức"),
            (Marker::Letter('a'), "Giao Phòng Tổ chức".into())
        );
        assert_eq!(m("PHỤ LỤC 02"), (Marker::Annex("02".into()), String::new()));
        assert_eq!(
            m("| 1 | Nội dung | Sở |"),
            (
                Marker::Row(vec!["1".into(), "Nội dung".into(), "Sở".into()]),
                String::new()
            )
        );
        assert_eq!(m("2024 là năm"), (Marker::None, "2024 là năm".into()));
        assert_eq!(m("Việc tổ chức"), (Marker::None, "Việc tổ chức".into()));
        assert_eq!(
            m("3. Tuyên truyền cổ động trực quan¹").1,
            "Tuyên truyền cổ động trực quan"
        );
    }
}
