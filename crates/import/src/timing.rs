//! Finding a task's time words: on a `Thời gian …:` line of its own, in a
//! parenthesis, or inline in the sentence. The words found are kept as
//! written; the rule is what `dondoc_core::deadline::parse` reads from them.

use dondoc_core::deadline::{Reason, Rule, parse};

/// Time words found in a text.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    pub phrase: String,
    /// `None` when the words defer the timing elsewhere.
    pub rule: Option<Rule>,
    /// Bytes of the text the words occupy, for a parenthesis with its
    /// brackets and the space before it (what the task text drops).
    pub span: (usize, usize),
}

/// Labels that open a line giving the time of the item above it.
const LABELS: &[&str] = &[
    "thời gian thực hiện",
    "thời gian hoàn thành",
    "thời gian triển khai",
    "thời gian tổ chức",
    "thời gian",
    "thời hạn hoàn thành",
    "thời hạn",
    "tiến độ thực hiện",
    "tiến độ",
];

/// `Thời gian thực hiện: Hoàn thành trong tháng 11/2024.` → the words after
/// the label, as written.
pub fn label_line(text: &str) -> Option<String> {
    let lower = text.to_lowercase();
    for label in LABELS {
        if let Some(rest) = lower.strip_prefix(label) {
            let rest_trim = rest.trim_start();
            if let Some(after) = rest_trim.strip_prefix(':') {
                // Same byte length in lower case for these letters.
                let cut = text.len() - after.len();
                let words = text[cut..].trim();
                if !words.is_empty() {
                    return Some(words.to_string());
                }
            }
        }
    }
    None
}

/// The rule of a phrase: `Ok(Some)` read, `Ok(None)` deferred elsewhere,
/// `Err` not time words at all.
pub fn rule_of(phrase: &str) -> Result<Option<Rule>, ()> {
    match parse(phrase) {
        Ok(rule) => Ok(Some(rule)),
        Err(e) if e.reason == Reason::Deferred => Ok(None),
        Err(_) => Err(()),
    }
}

/// Whether a rule speaks of days long before the plan: the dates of an
/// anniversary `(03/02/1930 - 03/02/2025)` are not a deadline.
fn before_plan(rule: &Rule, plan_year: Option<i16>) -> bool {
    let Some(year) = plan_year else {
        return false;
    };
    let value = serde_json::to_value(rule).unwrap_or_default();
    let mut old = false;
    walk_years(&value, &mut |y| old |= y < year - 1);
    old
}

fn walk_years(v: &serde_json::Value, f: &mut dyn FnMut(i16)) {
    match v {
        serde_json::Value::Object(map) => {
            for (k, v) in map {
                if (k == "date" || k == "period")
                    && let Some(s) = v.as_str()
                    && let Ok(y) = s.get(..4).unwrap_or("").parse::<i16>()
                {
                    f(y);
                }
                walk_years(v, f);
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|x| walk_years(x, f)),
        _ => {}
    }
}

/// `hai phần ba (2/3)`: a share written in figures, not a day and month.
fn fraction(inner: &str, before: &str) -> bool {
    let bare = inner.split_once('/').is_some_and(|(a, b)| {
        [a, b]
            .iter()
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
    });
    bare && before
        .split_whitespace()
        .rev()
        .take(3)
        .any(|w| w.eq_ignore_ascii_case("phần"))
}

/// Parentheses holding time words, in order.
pub fn parens(text: &str, plan_year: Option<i16>) -> Vec<Found> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(open) = text[from..].find('(').map(|i| i + from) {
        let Some(close) = text[open..].find(')').map(|i| i + open) else {
            break;
        };
        let inner = text[open + 1..close].trim();
        from = close + 1;
        // A long deferral is a sentence about something else.
        let words = inner.split_whitespace().count();
        if inner.is_empty() || words > 40 {
            continue;
        }
        if fraction(inner, &text[..open]) {
            continue;
        }
        let Ok(rule) = rule_of(inner) else { continue };
        if rule.is_none() && words > 12 {
            continue;
        }
        if rule.as_ref().is_some_and(|r| before_plan(r, plan_year)) {
            continue;
        }
        let start = text[..open].trim_end().len();
        out.push(Found {
            phrase: inner.to_string(),
            rule,
            span: (start, close + 1),
        });
    }
    out
}

/// Words that open time words inside a sentence.
const INLINE_STARTS: &[&str] = &[
    "thường xuyên",
    "hằng tháng",
    "hàng tháng",
    "hằng quý",
    "hàng quý",
    "hằng năm",
    "hàng năm",
    "trong tháng",
    "trong quý",
    "trong năm",
    "trong 6 tháng",
    "trước ngày",
    "chậm nhất",
    "sau khi kết thúc",
    "ngay sau khi",
    "từ ngày",
    "từ tháng",
    "từ quý",
    "từ thời điểm",
    "hoàn thành trước",
    "hoàn thành trong",
    "định kỳ hằng",
    "tối hôm trước",
    "hằng tuần",
    "hàng tuần",
    "trong thời gian diễn ra",
    "theo tiến độ",
    "khi có",
    "khi cần",
    "khi xuất hiện",
    "khi phát hiện",
    "khi dự báo",
    "khi xảy ra",
    "ngay khi",
    "tại kỳ họp",
    "vào thứ",
    "vào ngày",
    "vào kỳ",
    "định kỳ thứ",
    "trong thời gian",
    "trong vòng",
    "trong thời hạn",
    "trước khi",
];

/// Words that end a time phrase inside a sentence: a purpose follows.
const CLAUSE_BREAKS: &[&str] = &[" để ", " nhằm ", " cho ", " theo đó ", " gồm "];

/// Time words inside the sentence: the longest reading that starts at one
/// of the `INLINE_STARTS` and ends at a word boundary within its clause
/// (the most precise words win: `trước ngày 10 hằng tháng` over `hằng
/// tháng`). A start right after `và` or `hoặc` is part of a span of time
/// (`trước, trong và sau Đại hội`), not a deadline; after a comma it is one
/// (`…, hoàn thành trước ngày 30/6`).
pub fn inline(text: &str, plan_year: Option<i16>) -> Option<Found> {
    let lower = text.to_lowercase();
    // `to_lowercase` keeps byte offsets for Vietnamese letters; check.
    if lower.len() != text.len() {
        return None;
    }
    let mut starts: Vec<usize> = Vec::new();
    for start_words in INLINE_STARTS {
        let mut search = 0;
        while let Some(pos) = lower[search..].find(start_words).map(|p| p + search) {
            search = pos + start_words.len();
            if pos > 0 && !lower[..pos].ends_with(' ') {
                continue;
            }
            let before = lower[..pos].trim_end();
            // `Giáo dục thường xuyên` is a name, not a rhythm; `chi thường
            // xuyên` is a kind of spending (`tự bảo đảm chi thường xuyên`).
            if before.ends_with(" và")
                || before.ends_with(" hoặc")
                || before.ends_with("giáo dục")
                || (*start_words == "thường xuyên" && (before == "chi" || before.ends_with(" chi")))
            {
                continue;
            }
            starts.push(pos);
        }
    }
    // `Sau khi phương án … được thông qua, Bộ Tài chính …`, `Ngay sau hội
    // nghị hiệp thương lần thứ hai, …`: a moment after some work, when it
    // opens the sentence (inside one, `sau khi` is
    // mostly narrative: `sau khi nghe báo cáo …`).
    let opening = lower.strip_prefix("ngay ").unwrap_or(&lower);
    if ["sau khi ", "sau hội nghị ", "sau đại hội ", "sau kỳ họp "]
        .iter()
        .any(|w| opening.starts_with(w))
    {
        starts.push(0);
    }
    // `trong 48 giờ sau khi …`, `trong 05 ngày làm việc …`: a count of
    // time after `trong`.
    let mut search = 0;
    while let Some(pos) = lower[search..].find("trong ").map(|p| p + search) {
        search = pos + "trong ".len();
        if (pos == 0 || lower[..pos].ends_with(' '))
            && lower[search..].starts_with(|c: char| c.is_ascii_digit())
        {
            starts.push(pos);
        }
    }
    starts.sort_unstable();
    starts.dedup();
    // A time that names a day, a period or an event says more than one
    // that only says "whenever" (`khi có quyết định …` beside `trước ngày
    // 01 tháng 7 năm 2026`), whatever their lengths.
    // And a day or a period of the calendar says more than a moment
    // relative to some work (`trong tháng 9/2025` beside `trước khi nhập
    // vào hệ thống`).
    let says = |f: &Found| {
        use dondoc_core::deadline::Shape;
        match f.rule.as_ref().map(|r| &r.shape) {
            None | Some(Shape::AdHoc {}) => 0,
            Some(Shape::Event { .. }) => 1,
            Some(_) => 2,
        }
    };
    let mut best: Option<Found> = None;
    for pos in starts {
        if let Some(f) = longest_at(text, &lower, pos, plan_year)
            && best.as_ref().is_none_or(|b| {
                says(&f) > says(b)
                    || says(b) == says(&f) && f.phrase.chars().count() > b.phrase.chars().count()
            })
        {
            best = Some(f);
        }
    }
    best
}

fn longest_at(text: &str, lower: &str, pos: usize, plan_year: Option<i16>) -> Option<Found> {
    let clause_end_from = |from: usize| {
        text[from..]
            .char_indices()
            .find(|(_, c)| matches!(c, ';' | '.' | ':' | '(' | ')'))
            .map_or(text.len(), |(i, _)| i + from)
    };
    let mut clause_end = clause_end_from(pos);
    // `hằng năm (trước ngày 15 tháng 11) hoặc theo đề nghị`: a parenthesis
    // that says more of the time is inside the phrase; the readings with
    // it are tried first, those without it after.
    let mut paren = None;
    if text[clause_end..].starts_with('(')
        && let Some(close) = text[clause_end..].find(')').map(|i| i + clause_end)
    {
        paren = Some((clause_end, close));
        clause_end = clause_end_from(close + 1);
    }
    for b in CLAUSE_BREAKS {
        if let Some(at) = lower[pos..clause_end].find(b) {
            clause_end = clause_end.min(pos + at);
        }
    }
    // Every word end up to the clause's end, longest reading first.
    let mut ends: Vec<usize> = text[pos..clause_end]
        .char_indices()
        .filter(|(_, c)| c.is_whitespace() || *c == ',')
        .map(|(i, _)| i + pos)
        .filter(|&e| paren.is_none_or(|(open, close)| e <= open || e > close))
        .take(40)
        .collect();
    ends.push(clause_end);
    for &end in ends.iter().rev() {
        let phrase = text[pos..end]
            .trim()
            .trim_end_matches([',', ';'])
            .trim_end();
        if phrase.is_empty() {
            continue;
        }
        match rule_of(phrase) {
            Ok(Some(rule)) if before_plan(&rule, plan_year) => return None,
            Ok(rule) => {
                return Some(Found {
                    phrase: phrase.to_string(),
                    rule,
                    span: (pos, pos + phrase.len()),
                });
            }
            Err(()) => {}
        }
    }
    None
}

/// Drops the bytes of `span` from `text`, keeping the sentence tidy.
/// `… mạng (trong quý IV/2024). Tham mưu` → `… mạng. Tham mưu`: the span
/// starts at the space before the parenthesis, so the mark after it stays.
pub fn cut(text: &str, span: (usize, usize)) -> String {
    format!("{}{}", &text[..span.0], &text[span.1..])
        .trim()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn label_lines() {
        assert_eq!(
            label_line("Thời gian thực hiện: Hoàn thành trong tháng 11/2024.").as_deref(),
            Some("Hoàn thành trong tháng 11/2024.")
        );
        assert_eq!(
            label_line("Thời gian: Quý III/2025").as_deref(),
            Some("Quý III/2025")
        );
        assert_eq!(
            label_line("Thời gian thực hiện nhiệm vụ là rất quan trọng"),
            None
        );
    }

    #[test]
    fn parens_with_time_and_without() {
        let t = "Tham mưu tổ chức Diễn tập (trong quý IV/2024). Xuất bản sách (làm quà tặng) (thời gian có sách: 20 ngày trước khi khai mạc Đại hội XX Đảng bộ tỉnh).";
        let found = parens(t, Some(2024));
        let phrases: Vec<_> = found.iter().map(|f| f.phrase.as_str()).collect();
        assert_eq!(
            phrases,
            [
                "trong quý IV/2024",
                "thời gian có sách: 20 ngày trước khi khai mạc Đại hội XX Đảng bộ tỉnh"
            ]
        );
        // Anniversaries are not deadlines.
        assert!(parens("kỷ niệm 65 năm (21/02/1961 - 21/02/2026).", Some(2024)).is_empty());
    }

    #[test]
    fn inline_time_words() {
        let f = inline("Chủ trì, phối hợp với Sở Thông tin và Truyền thông, Hội Nhà báo tỉnh thường xuyên chỉ đạo thực hiện các nội dung sau:", Some(2024)).unwrap();
        assert_eq!(f.phrase, "thường xuyên");
        // Recurrent spending is no rhythm of work.
        assert!(
            inline(
                "Triệt để tiết kiệm chi thường xuyên để dành nguồn lực.",
                Some(2025)
            )
            .is_none()
        );
        let f = inline(
            "Định kỳ báo cáo kết quả thực hiện hằng năm (trước ngày 15 tháng 11) hoặc theo đề nghị.",
            Some(2025),
        )
        .unwrap();
        assert_eq!(
            f.phrase,
            "hằng năm (trước ngày 15 tháng 11) hoặc theo đề nghị"
        );
        let f = inline(
            "Xử lý các điểm nước tù đọng trong 24-48 giờ sau khi nước rút.",
            Some(2025),
        )
        .unwrap();
        assert_eq!(f.phrase, "trong 24-48 giờ sau khi nước rút");
        assert!(
            inline(
                "nắm bắt tình hình trước, trong và sau khi diễn ra đại hội đảng bộ các cấp",
                Some(2024)
            )
            .is_none()
        );
    }
}
