//! From a Vietnamese time phrase to a deadline rule.
//!
//! A small recursive-descent grammar over the lower-cased phrase. Each
//! branch reads one shape of `spec/deadline-rule.md`; words around the time
//! that plans add ("Thời gian thực hiện:", "hoàn thành", brackets, a final
//! full stop) are skipped. Whatever is left unread is an error that names the
//! character where reading stopped: nothing is ever guessed.

use super::resolve::written_span;
use super::rule::*;
use crate::text::{FIRST_YEAR, LAST_YEAR, nfc};
use std::fmt;

/// Why a phrase is not a rule, and where reading stopped (1-based character).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub phrase: String,
    pub position: usize,
    pub reason: Reason,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reason {
    Empty,
    /// The timing is deferred to another body or document.
    Deferred,
    /// A day, month or quarter that does not exist, a year outside
    /// `FIRST_YEAR`–`LAST_YEAR`, or a span that ends before it starts.
    InvalidDate(String),
    /// The phrase stops where more is needed (`trước` with no day or
    /// event after it); the text says what is missing.
    Missing(String),
    Unreadable,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let rest: String = self
            .phrase
            .chars()
            .skip(self.position.saturating_sub(1))
            .take(40)
            .collect();
        match &self.reason {
            Reason::Empty => write!(f, "cụm thời gian trống"),
            Reason::Deferred => write!(
                f,
                "«{}» không nêu mốc thời gian mà chuyển sang tiến độ, kế hoạch của nơi khác (từ ký tự {}: «{}»); giữ nguyên văn bên cạnh nhiệm vụ",
                self.phrase, self.position, rest
            ),
            Reason::InvalidDate(what) => write!(
                f,
                "«{}»: {} (ở ký tự {}: «{}»)",
                self.phrase, what, self.position, rest
            ),
            Reason::Missing(what) if rest.trim().is_empty() => write!(
                f,
                "«{}»: {} (dừng ở ký tự {}, cuối cụm từ)",
                self.phrase, what, self.position
            ),
            Reason::Missing(what) => write!(
                f,
                "«{}»: {} (dừng ở ký tự {}: «{}»)",
                self.phrase, what, self.position, rest
            ),
            Reason::Unreadable => write!(
                f,
                "không đọc được cụm thời gian «{}»: dừng ở ký tự {} («{}»)",
                self.phrase, self.position, rest
            ),
        }
    }
}

impl std::error::Error for ParseError {}

/// Parses one time phrase.
pub fn parse(phrase: &str) -> Result<Rule, ParseError> {
    let text = nfc(phrase);
    let mut p = Parser::new(&text);
    p.skip_wrapping();
    if p.at_end() {
        return Err(p.error(Reason::Empty));
    }
    p.skip_label();
    let rule = p.expression()?;
    p.skip_trailing();
    if !p.at_end() {
        return Err(p.fail());
    }
    Ok(rule)
}

/// Words that say the timing is decided elsewhere.
const DEFERRALS: &[&str] = &[
    "theo tiến độ",
    "chủ động thời gian",
    "theo kế hoạch của",
    "theo các kế hoạch của",
    "theo lộ trình của",
    "theo thời gian của",
];

/// Nouns that begin the name of an event in a list of events.
const EVENT_HEADS: &[&str] = &[
    "đại hội",
    "hội nghị",
    "hội thảo",
    "kỳ họp",
    "phiên",
    "lễ",
    "tết",
    "ngày",
    "cuộc",
    "buổi",
    "tuần",
    "hội diễn",
    "hội thi",
];

const VERBS: &[&str] = &[
    "hoàn thành",
    "thực hiện",
    "triển khai",
    "tổ chức",
    "xong",
    "gửi báo cáo",
    "báo cáo",
    "gửi",
    "nộp",
    "ban hành",
    "phát hành",
    "có sách",
    "có",
];

struct Parser {
    /// The phrase, lower-cased char by char (Vietnamese NFC letters keep one char).
    s: Vec<char>,
    /// The phrase as written, for names kept verbatim.
    orig: Vec<char>,
    pos: usize,
    /// The farthest position any branch reached, for the error message.
    far: usize,
    /// End of the text to read (trailing punctuation and brackets excluded).
    end: usize,
}

#[derive(Clone, Copy)]
enum Unit {
    Days,
    WorkingDays,
    Weeks,
    Months,
}

struct Offset {
    n: i32,
    unit: Unit,
}

impl Parser {
    fn new(text: &str) -> Self {
        let orig: Vec<char> = text
            .chars()
            .map(|c| match c {
                '\u{00a0}' | '\t' | '\n' | '\r' => ' ',
                '–' | '—' => '-',
                c => c,
            })
            .collect();
        let s = orig
            .iter()
            .map(|c| c.to_lowercase().next().unwrap_or(*c))
            .collect();
        let end = orig.len();
        Parser {
            s,
            orig,
            pos: 0,
            far: 0,
            end,
        }
    }

    fn error(&self, reason: Reason) -> ParseError {
        ParseError {
            phrase: self.orig.iter().collect(),
            position: self.far.max(self.pos).min(self.orig.len()) + 1,
            reason,
        }
    }

    fn fail(&self) -> ParseError {
        let text: String = self.s.iter().collect();
        for d in DEFERRALS {
            if let Some(i) = text.find(d) {
                let at = text[..i].chars().count();
                return ParseError {
                    phrase: self.orig.iter().collect(),
                    position: at + 1,
                    reason: Reason::Deferred,
                };
            }
        }
        self.error(Reason::Unreadable)
    }

    /// Stops where more is needed. A deferral anywhere in the phrase is
    /// still said as such: the words after it were never meant as a time.
    fn missing(&self, what: &str) -> ParseError {
        let e = self.fail();
        if e.reason == Reason::Deferred {
            return e;
        }
        self.error(Reason::Missing(what.to_string()))
    }

    /// Whether the phrase, or the part of a list, ends here.
    fn nothing_follows(&mut self) -> bool {
        let save = self.pos;
        self.ws();
        let none = self.at_end() || matches!(self.peek(), Some(',' | ';' | ')'));
        self.pos = save;
        none
    }

    fn at_end(&self) -> bool {
        self.pos >= self.end
    }

    fn mark(&mut self) {
        self.far = self.far.max(self.pos);
    }

    /// Brackets, markdown emphasis and final punctuation around the phrase.
    fn skip_wrapping(&mut self) {
        let junk = |c: char| c.is_whitespace() || matches!(c, '*' | '_' | '(' | ')' | '[' | ']');
        while self.pos < self.end && junk(self.s[self.pos]) {
            self.pos += 1;
        }
        while self.end > self.pos
            && (junk(self.s[self.end - 1]) || matches!(self.s[self.end - 1], '.' | ';' | ',' | ':'))
        {
            self.end -= 1;
        }
        // Emphasis inside the phrase ("***sau khi … 15 ngày***") carries no meaning.
        let mut i = self.pos;
        while i < self.end {
            if matches!(self.s[i], '*' | '_') {
                self.s[i] = ' ';
                self.orig[i] = ' ';
            }
            i += 1;
        }
    }

    /// A leading label such as "Thời gian thực hiện:" or "Thời hạn:".
    fn skip_label(&mut self) {
        let save = self.pos;
        if self.kw("thời gian") || self.kw("thời hạn") || self.kw("hạn") {
            while self.pos < self.end && self.s[self.pos] != ':' {
                if self.pos - save > 40 {
                    self.pos = save;
                    return;
                }
                self.pos += 1;
            }
            if self.pos < self.end {
                self.pos += 1;
            } else {
                self.pos = save;
            }
        }
    }

    fn skip_trailing(&mut self) {
        self.ws();
        while self.pos < self.end && matches!(self.s[self.pos], '.' | ';' | ',' | ')' | '*') {
            self.pos += 1;
            self.ws();
        }
    }

    fn ws(&mut self) {
        while self.pos < self.end && self.s[self.pos].is_whitespace() {
            self.pos += 1;
        }
    }

    fn peek(&self) -> Option<char> {
        (self.pos < self.end).then(|| self.s[self.pos])
    }

    fn is_word_char(c: char) -> bool {
        c.is_alphanumeric()
    }

    /// Matches a keyword (words separated by single spaces) at a word boundary.
    fn kw(&mut self, word: &str) -> bool {
        let save = self.pos;
        self.ws();
        let mut i = self.pos;
        for wc in word.chars() {
            if wc == ' ' {
                if i >= self.end || !self.s[i].is_whitespace() {
                    self.pos = save;
                    return false;
                }
                while i < self.end && self.s[i].is_whitespace() {
                    i += 1;
                }
            } else {
                if i >= self.end || self.s[i] != wc {
                    self.pos = save;
                    return false;
                }
                i += 1;
            }
        }
        let last = word.chars().last().unwrap_or(' ');
        if Self::is_word_char(last) && i < self.end && Self::is_word_char(self.s[i]) {
            self.pos = save;
            return false;
        }
        self.pos = i;
        self.mark();
        true
    }

    /// `(vào) kỳ chi trả tháng 12 năm 2025`: a round of some work named by
    /// its month or quarter is that month or quarter. Only then: `kỳ họp
    /// thứ 10` is an event, read as one.
    fn skip_named_round(&mut self) {
        let save = self.pos;
        if !self.kw("kỳ") {
            return;
        }
        for _ in 0..3 {
            self.ws();
            if self.looking_at("tháng") || self.looking_at("quý") || self.looking_at("quí") {
                return;
            }
            while self.pos < self.end && Self::is_word_char(self.s[self.pos]) {
                self.pos += 1;
            }
        }
        self.pos = save;
    }

    fn any_kw(&mut self, words: &[&str]) -> Option<usize> {
        words.iter().position(|w| self.kw(w))
    }

    fn looking_at(&mut self, word: &str) -> bool {
        let save = self.pos;
        let hit = self.kw(word);
        self.pos = save;
        hit
    }

    fn sym(&mut self, c: char) -> bool {
        self.ws();
        if self.peek() == Some(c) {
            self.pos += 1;
            self.mark();
            true
        } else {
            false
        }
    }

    fn digits(&mut self) -> Option<(u32, usize)> {
        let start = self.pos;
        let mut n: u32 = 0;
        while let Some(c) = self.peek() {
            match c.to_digit(10) {
                Some(d) if self.pos - start < 5 => {
                    n = n * 10 + d;
                    self.pos += 1;
                }
                _ => break,
            }
        }
        if self.pos == start || self.peek().is_some_and(char::is_alphabetic) {
            self.pos = start;
            return None;
        }
        self.mark();
        Some((n, self.pos - start))
    }

    /// A count written in figures or in words (`01`, `15`, `một`, `hai mươi`).
    fn count(&mut self) -> Option<u32> {
        self.ws();
        if let Some((n, _)) = self.digits() {
            return Some(n);
        }
        const UNITS: &[(&str, u32)] = &[
            ("một", 1),
            ("hai", 2),
            ("ba", 3),
            ("bốn", 4),
            ("năm", 5),
            ("sáu", 6),
            ("bảy", 7),
            ("tám", 8),
            ("chín", 9),
            ("mười", 10),
        ];
        let save = self.pos;
        let first = UNITS.iter().find(|(w, _)| self.kw(w)).map(|(_, n)| *n)?;
        let mut n = first;
        if first < 10 && self.kw("mươi") {
            n = first * 10;
            if let Some((_, u)) = UNITS
                .iter()
                .find(|(w, v)| *v < 10 && (self.kw(w) || (*v == 5 && self.kw("lăm"))))
            {
                n += u;
            } else if self.kw("lăm") {
                n += 5;
            }
        } else if first == 10 {
            if self.kw("lăm") {
                n = 15;
            } else if let Some((_, u)) = UNITS.iter().find(|(w, v)| *v < 10 && self.kw(w)) {
                n = 10 + u;
            }
        }
        // "năm" alone is a year word far more often than the number five.
        if first == 5 && n == 5 && !self.looking_time_unit() {
            self.pos = save;
            return None;
        }
        Some(n)
    }

    fn looking_time_unit(&mut self) -> bool {
        ["ngày", "tuần", "tháng"].iter().any(|w| self.looking_at(w))
    }

    fn roman(&mut self) -> Option<u32> {
        self.ws();
        for (w, n) in [("iv", 4), ("iii", 3), ("ii", 2), ("i", 1)] {
            if self.kw(w) {
                return Some(n);
            }
        }
        None
    }

    /// A year of four figures, or two (`25` is 2025). Four figures outside
    /// `FIRST_YEAR`–`LAST_YEAR` are a typing slip, said as such rather than
    /// left for another reading.
    fn year(&mut self) -> Result<Option<i16>, ParseError> {
        self.ws();
        let save = self.pos;
        match self.digits() {
            Some((y, 4)) => self.year_in_range(y, save).map(Some),
            Some((y, 2)) => Ok(Some(2000 + y as i16)),
            _ => {
                self.pos = save;
                Ok(None)
            }
        }
    }

    /// `y` as a year, written from `start`.
    fn year_in_range(&mut self, y: u32, start: usize) -> Result<i16, ParseError> {
        if (FIRST_YEAR as u32..=LAST_YEAR as u32).contains(&y) {
            return Ok(y as i16);
        }
        let written: String = self.orig[start..self.pos].iter().collect();
        self.pos = start;
        self.far = start;
        Err(self.error(Reason::InvalidDate(format!(
            "năm {written} nằm ngoài khoảng {FIRST_YEAR}–{LAST_YEAR}"
        ))))
    }

    fn date_separator(&mut self) -> Option<char> {
        match self.peek() {
            Some(c @ ('/' | '-' | '.')) => {
                self.pos += 1;
                Some(c)
            }
            _ => None,
        }
    }

    /// `05/02/2025`, `5-2-2025`, `28.1.2016`, `10/2`, `2025-02-05` or `ngày 05
    /// tháng 02 năm 2025` (the word `ngày` already read or absent). A lone day
    /// (`ngày 15`) gives month 0.
    fn date(&mut self) -> Result<Option<(DateSpec, usize)>, ParseError> {
        self.ws();
        let start = self.pos;
        let Some((day, len)) = self.digits() else {
            return Ok(None);
        };
        if len == 4
            && let Some(spec) = self.iso_date(day, start)?
        {
            return Ok(Some((spec, start)));
        }
        let (month, year) = if let Some(sep) = self.date_separator() {
            let Some((m, _)) = self.digits() else {
                self.pos = start;
                return Ok(None);
            };
            let save = self.pos;
            let y = if self.date_separator() == Some(sep) {
                match self.year()? {
                    Some(y) => Some(y),
                    None => {
                        self.pos = save;
                        None
                    }
                }
            } else {
                self.pos = save;
                None
            };
            (m, y)
        } else if self.kw("tháng") {
            self.ws();
            let Some((m, _)) = self.digits() else {
                self.pos = start;
                return Ok(None);
            };
            let y = if self.kw("năm") {
                Some(self.year()?.ok_or_else(|| self.fail())?)
            } else {
                None
            };
            (m, y)
        } else {
            (0, None)
        };
        if month == 0 {
            if !(1..=31).contains(&day) {
                self.pos = start;
                return Err(self.error(Reason::InvalidDate(format!("không có ngày {day}"))));
            }
            return Ok(Some((
                DateSpec {
                    year: None,
                    month: 0,
                    day: day as i8,
                },
                start,
            )));
        }
        self.checked_day(year, month, day, start)
            .map(|d| Some((d, start)))
    }

    /// The rest of `2025-02-05` (or `2025/02/05`) once its year is read:
    /// a year first is never a day, so a month or day that cannot be is
    /// said as such. `None` when no month and day follow.
    fn iso_date(&mut self, year: u32, start: usize) -> Result<Option<DateSpec>, ParseError> {
        let after_year = self.pos;
        let Some(sep) = self.date_separator() else {
            return Ok(None);
        };
        let part = |p: &mut Self| p.digits().filter(|&(_, len)| len <= 2).map(|(n, _)| n);
        let Some(month) = part(self) else {
            self.pos = after_year;
            return Ok(None);
        };
        if self.date_separator() != Some(sep) {
            self.pos = after_year;
            return Ok(None);
        }
        let Some(day) = part(self) else {
            self.pos = after_year;
            return Ok(None);
        };
        let end = self.pos;
        self.pos = after_year;
        let year = self.year_in_range(year, start)?;
        self.pos = end;
        self.checked_day(Some(year), month, day, start).map(Some)
    }

    /// A day read from figures, refused at `start` when it does not exist.
    fn checked_day(
        &mut self,
        year: Option<i16>,
        month: u32,
        day: u32,
        start: usize,
    ) -> Result<DateSpec, ParseError> {
        let spec = DateSpec {
            year,
            month: month.min(i8::MAX as u32) as i8,
            day: day.min(i8::MAX as u32) as i8,
        };
        let exists = month <= 12 && day <= 31 && spec.validate().is_ok();
        if !exists {
            self.pos = start;
            self.far = start;
            let written = match year {
                Some(y) => format!("{day}/{month}/{y}"),
                None => format!("{day}/{month}"),
            };
            return Err(self.error(Reason::InvalidDate(format!("không có ngày {written}"))));
        }
        Ok(spec)
    }

    /// `11/2024`, `3-2020`, `10.2020`, `10 năm 2020`, or a bare month.
    fn month_year(&mut self) -> Result<Option<PeriodSpec>, ParseError> {
        self.ws();
        let start = self.pos;
        let Some((m, _)) = self.digits() else {
            return Ok(None);
        };
        if !(1..=12).contains(&m) {
            self.pos = start;
            self.far = start;
            return Err(self.error(Reason::InvalidDate(format!("không có tháng {m}"))));
        }
        let year = self.period_year()?;
        Ok(Some(PeriodSpec::Month {
            year,
            month: m as i8,
        }))
    }

    /// A year after a period word: `/2024`, `-2024`, ` năm 2024`, or none.
    fn period_year(&mut self) -> Result<Option<i16>, ParseError> {
        let save = self.pos;
        if self.date_separator().is_some() {
            if let Some(y) = self.year()? {
                return Ok(Some(y));
            }
            self.pos = save;
        }
        if self.kw("năm") {
            if let Some(y) = self.year()? {
                return Ok(Some(y));
            }
            self.pos = save;
        }
        Ok(None)
    }

    /// A month, quarter, half-year or year, with an optional part before it.
    fn period(&mut self) -> Result<Option<(PeriodSpec, Option<Part>)>, ParseError> {
        let save = self.pos;
        let part = if self.kw("những tháng đầu")
            || self.kw("các tháng đầu")
            || self.kw("những ngày đầu")
            || self.kw("đầu")
        {
            Some(Part::Early)
        } else if self.kw("giữa") {
            Some(Part::Mid)
        } else if self.kw("những tháng cuối")
            || self.kw("các tháng cuối")
            || self.kw("những ngày cuối")
            || self.kw("cuối")
        {
            Some(Part::Late)
        } else {
            None
        };
        if let Some(spec) = self.bare_period()? {
            return Ok(Some((spec, part)));
        }
        self.pos = save;
        Ok(None)
    }

    fn bare_period(&mut self) -> Result<Option<PeriodSpec>, ParseError> {
        let save = self.pos;
        if self.kw("tháng") {
            if let Some(spec) = self.month_year()? {
                return Ok(Some(spec));
            }
            self.pos = save;
        }
        if self.kw("quý") || self.kw("qúy") {
            let q = self.roman().or_else(|| {
                self.ws();
                self.digits().map(|(n, _)| n)
            });
            match q {
                Some(q @ 1..=4) => {
                    let year = self.period_year()?;
                    return Ok(Some(PeriodSpec::Quarter {
                        year,
                        quarter: q as i8,
                    }));
                }
                Some(q) => {
                    return Err(self.error(Reason::InvalidDate(format!("không có quý {q}"))));
                }
                None => self.pos = save,
            }
        }
        // "6 tháng đầu năm 2025", "sáu tháng cuối năm", "nửa đầu năm 2025"
        if self.kw("6 tháng") || self.kw("sáu tháng") || self.kw("nửa") {
            let half = if self.kw("đầu") {
                Some(1)
            } else if self.kw("cuối") || self.kw("sau") {
                Some(2)
            } else {
                None
            };
            if let Some(h) = half
                && self.kw("năm")
            {
                let year = self.year()?;
                return Ok(Some(PeriodSpec::Half { year, half: h }));
            }
            self.pos = save;
        }
        if self.kw("năm")
            && let Some(y) = self.year()?
        {
            return Ok(Some(PeriodSpec::Year { year: y }));
        }
        self.pos = save;
        // `giai đoạn 2026-2030`: its first year, the rest read as a range.
        if self.kw("giai đoạn")
            && let Some(y) = self.bare_year()
        {
            return Ok(Some(PeriodSpec::Year { year: y }));
        }
        self.pos = save;
        Ok(None)
    }

    /// One rule, possibly followed by others (`, `, `và`, `hoặc`) into a list.
    fn expression(&mut self) -> Result<Rule, ParseError> {
        let first = self.item()?;
        let mut items = vec![first];
        loop {
            let save = self.pos;
            let joined = self.sym(',') || self.sym(';') || self.kw("và") || self.kw("hoặc");
            if !joined {
                break;
            }
            // `Thường xuyên, theo yêu cầu nhiệm vụ`: as the work needs, no
            // time of its own.
            if [
                "theo yêu cầu nhiệm vụ",
                "theo yêu cầu công việc",
                "theo yêu cầu thực tế",
            ]
            .iter()
            .any(|w| self.kw(w))
            {
                continue;
            }
            self.kw("và");
            self.kw("hoặc");
            match self.item() {
                Ok(r) => items.push(r),
                Err(_) => {
                    self.pos = save;
                    break;
                }
            }
        }
        Ok(make_list(items))
    }

    fn item(&mut self) -> Result<Rule, ParseError> {
        self.ws();
        let save = self.pos;
        let mut tentative = false;
        loop {
            if self.kw("dự kiến") {
                tentative = true;
                continue;
            }
            if self.any_kw(VERBS).is_some() {
                continue;
            }
            break;
        }
        let mut rule = match self.shape() {
            Ok(r) => r,
            Err(e) => {
                // A verb may be part of the time itself ("trong … kể từ ngày ban hành").
                self.pos = save;
                self.shape().map_err(|_| e)?
            }
        };
        rule = self.run_on(rule)?;
        if tentative || self.kw("dự kiến") {
            rule.tentative = true;
        }
        Ok(rule)
    }

    /// What may follow a day or a period and make it the start of more:
    /// `Năm 2025 - 2026`, `Quý IV/2025- Quý II/2026`, `tháng 11/2025 đến
    /// tháng 4/2026` (a range without `từ`), and `năm 2025 và các năm
    /// tiếp theo` (from then on).
    fn run_on(&mut self, rule: Rule) -> Result<Rule, ParseError> {
        let startable = matches!(
            rule.shape,
            Shape::Period {
                bound: Bound::Within,
                ..
            } | Shape::Date {
                bound: Bound::On,
                ..
            }
        );
        if !startable {
            return Ok(rule);
        }
        let from = |rule: Rule| -> Rule {
            match rule.shape {
                Shape::Period { period, part, .. } => Shape::Period {
                    period,
                    part,
                    bound: Bound::From,
                }
                .into(),
                Shape::Date { date, .. } => Shape::Date {
                    date,
                    bound: Bound::From,
                }
                .into(),
                other => other.into(),
            }
        };
        if self.kw("và các năm tiếp theo") || self.kw("và những năm tiếp theo") {
            return Ok(from(rule));
        }
        let save = self.pos;
        let word = if self.sym('-') || self.sym('–') {
            "-"
        } else if self.kw("đến") {
            "đến"
        } else {
            return Ok(rule);
        };
        self.ws();
        let end_at = self.pos;
        // `2025 - 2026`: a year alone ends a range of years.
        let end = if matches!(
            rule.shape,
            Shape::Period {
                period: PeriodSpec::Year { .. },
                ..
            }
        ) && let Some(y) = self.bare_year()
        {
            Shape::Period {
                period: PeriodSpec::Year { year: y },
                part: None,
                bound: Bound::Within,
            }
            .into()
        } else {
            match self.until(word) {
                Ok(end) => end,
                Err(_) => {
                    self.pos = save;
                    return Ok(rule);
                }
            }
        };
        let range = fill_range_years(from(rule), end);
        let range = self.in_order(range, end_at)?;
        // `Giai đoạn 2026-2030 và những năm tiếp theo`: from its first year on.
        if (self.kw("và các năm tiếp theo") || self.kw("và những năm tiếp theo"))
            && let Shape::Range { start, .. } = range.shape
        {
            return Ok(*start);
        }
        Ok(range)
    }

    /// A year written alone (`2026`), and nothing more of a date after it.
    fn bare_year(&mut self) -> Option<i16> {
        let save = self.pos;
        self.kw("năm");
        self.ws();
        match self.digits() {
            Some((y, 4))
                if (1900..=2100).contains(&y) && !matches!(self.peek(), Some('/' | '.')) =>
            {
                i16::try_from(y).ok()
            }
            _ => {
                self.pos = save;
                None
            }
        }
    }

    /// `17 giờ 00`, `17h30`, `tối`, `sáng`: the hour of a day, which a
    /// deadline by the day does not need.
    fn skip_time_of_day(&mut self) {
        loop {
            let save = self.pos;
            if self.kw("sáng") || self.kw("trưa") || self.kw("chiều") || self.kw("tối") {
                continue;
            }
            self.ws();
            if let Some((h, _)) = self.digits()
                && h < 24
            {
                let unit = self.kw("giờ") || self.kw("h") || {
                    // `17h30` is one word.
                    self.ws();
                    if self.peek() == Some('h') {
                        self.pos += 1;
                        true
                    } else {
                        false
                    }
                };
                if unit {
                    self.ws();
                    let m = self.pos;
                    if self.digits().is_none_or(|(v, _)| v >= 60) {
                        self.pos = m;
                    }
                    self.kw("phút");
                    self.sym(',');
                    continue;
                }
            }
            self.pos = save;
            break;
        }
    }

    /// `thứ Sáu hàng tuần`: a day of each week, Monday 1 to Sunday 7.
    fn weekday(&mut self) -> Option<Rule> {
        let save = self.pos;
        let day = if self.kw("chủ nhật") {
            7
        } else if self.kw("thứ") {
            match self.any_kw(&["hai", "ba", "tư", "năm", "sáu", "bảy"]) {
                Some(i) => i as u8 + 1,
                None => {
                    self.pos = save;
                    return None;
                }
            }
        } else {
            return None;
        };
        if self.kw("hằng tuần") || self.kw("hàng tuần") || self.kw("mỗi tuần") {
            return Some(
                Shape::Recurring {
                    every: Every::Week,
                    month: None,
                    month_of_period: None,
                    day: Some(day),
                    bound: None,
                }
                .into(),
            );
        }
        self.pos = save;
        None
    }

    fn shape(&mut self) -> Result<Rule, ParseError> {
        self.ws();
        // `vào ngày 20/11/2024`, `vào tối ngày …`, `vào thứ Sáu hàng tuần`.
        if self.kw("vào") {
            self.skip_named_round();
        }
        self.skip_time_of_day();
        if self.kw("thường xuyên") || self.kw("liên tục") || self.kw("thường kỳ") {
            return Ok(Shape::Continuous {}.into());
        }
        if let Some(r) = self.weekday() {
            return Ok(r);
        }
        // `khi có phát sinh`, `khi cần`, `khi xuất hiện ca bệnh …`: whenever
        // it happens. Only these openings: `khi nào xong thì báo` says no
        // time, and `khi kết thúc X` is a moment of an event, read below.
        if [
            "khi có",
            "khi cần",
            "khi xuất hiện",
            "khi phát hiện",
            "khi phát sinh",
            "khi dự báo",
            "khi xảy ra",
        ]
        .iter()
        .any(|w| self.looking_at(w))
        {
            self.skip_to_delimiter();
            return Ok(Shape::AdHoc {}.into());
        }
        if self.kw("theo đề nghị") {
            self.skip_to_delimiter();
            return Ok(Shape::AdHoc {}.into());
        }
        // `tại Kỳ họp thứ 10 của Quốc hội`, `tại phiên khai mạc Đại hội …`.
        if self.kw("tại") {
            let (anchor, _) = self.moment_named(Anchor::During);
            let bound = if anchor == Anchor::During {
                Bound::Within
            } else {
                Bound::On
            };
            return self.event_list(EventHead {
                anchor,
                offset: None,
                bound,
            });
        }
        if self.kw("đột xuất")
            || self.kw("theo yêu cầu nhiệm vụ")
            || self.kw("theo yêu cầu công việc")
            || self.kw("khi có yêu cầu")
            || self.kw("theo yêu cầu")
            || self.kw("khi có chỉ đạo")
            || self.kw("khi cần thiết")
        {
            return Ok(Shape::AdHoc {}.into());
        }
        if self.kw("theo chỉ đạo") {
            // "… hoặc theo chỉ đạo cụ thể của Trung ương": whenever directed.
            self.skip_to_delimiter();
            return Ok(Shape::AdHoc {}.into());
        }
        if let Some(r) = self.recurring()? {
            return Ok(r);
        }
        if self.looking_at("từ") {
            return self.range_from();
        }
        if let Some(r) = self.within_offset()? {
            return Ok(r);
        }
        // `trong thời gian tới`, `trong thời gian qua`: the coming (or past)
        // while, no moment to track.
        let save = self.pos;
        if self.kw("trong thời gian")
            && (self.kw("tới") || self.kw("sắp tới") || self.kw("qua") || self.kw("vừa qua"))
        {
            return Err(self.fail());
        }
        self.pos = save;
        if self.kw("trong thời gian diễn ra")
            || self.kw("trong thời gian tổ chức")
            || self.kw("trong quá trình diễn ra")
            || self.kw("trong thời gian")
            || self.kw("trong dịp")
            || self.kw("trong khi diễn ra")
            || self.kw("trong suốt thời gian diễn ra")
            || self.kw("trong suốt")
            || self.kw("trong quá trình")
        {
            // `trong thời gian` with nothing after it names no while.
            self.event_follows(false, "trong")?;
            return self.event_list(EventHead {
                anchor: Anchor::During,
                offset: None,
                bound: Bound::Within,
            });
        }
        for word in ["ngay sau", "ngay khi"] {
            if self.kw(word) {
                return self.after_event(word);
            }
        }
        if self.looking_at("sau") {
            let save = self.pos;
            self.kw("sau");
            match self.after_event("sau") {
                Ok(r) => return Ok(r),
                Err(e) if matches!(e.reason, Reason::Missing(_)) => return Err(e),
                Err(_) => {}
            }
            self.pos = save;
        }
        if self.kw("tối hôm trước") || self.kw("ngày hôm trước") || self.kw("hôm trước")
        {
            let anchor = self.moment(Anchor::Start);
            return self.event_list(EventHead {
                anchor,
                offset: Some(Offset {
                    n: -1,
                    unit: Unit::Days,
                }),
                bound: Bound::On,
            });
        }
        let by = self.kw("chậm nhất là")
            || self.kw("chậm nhất")
            || self.kw("muộn nhất là")
            || self.kw("muộn nhất")
            || self.kw("ít nhất là")
            || self.kw("ít nhất")
            || self.kw("không muộn hơn")
            || self.kw("không chậm hơn")
            || self.kw("hạn chót")
            || self.kw("xong trước hoặc trong")
            || self.kw("trước hoặc trong")
            || self.kw("trước hoặc vào");
        if by {
            self.kw("vào");
            return self.dated(Bound::By);
        }
        if self.kw("trước") {
            return self.before();
        }
        if let Some(r) = self.offset_event()? {
            return Ok(r);
        }
        self.dated(Bound::On)
    }

    fn skip_to_delimiter(&mut self) {
        while let Some(c) = self.peek() {
            if matches!(c, ',' | ';' | '.' | ')') {
                break;
            }
            self.pos += 1;
        }
        self.mark();
    }

    /// After `chậm nhất`, or bare: a date, a period, an offset before an event.
    fn dated(&mut self, bound: Bound) -> Result<Rule, ParseError> {
        if let Some(r) = self.offset_event()? {
            return Ok(r);
        }
        self.skip_time_of_day();
        let save = self.pos;
        let word_day = self.kw("ngày");
        if let Some((d, _)) = self.date()? {
            return self.after_date(d, bound);
        }
        self.day_follows(word_day)?;
        // `ngày tháng 11/2025`: a form's day left blank; the month stands.
        if !(word_day && self.looking_at("tháng")) {
            self.pos = save;
        }
        let within = self.kw("trong") || self.kw("hết") || self.kw("cả") || self.kw("đến hết");
        self.kw("trong");
        if let Some((period, part)) = self.period()? {
            return Ok(self.after_period(period, part, Bound::Within));
        }
        if within {
            // `trong Tháng hành động`, `trong Đợt II`: while a named
            // campaign runs.
            self.ws();
            if self.peek().is_some() && self.orig[self.pos].is_uppercase() {
                return self.event_list(EventHead {
                    anchor: Anchor::During,
                    offset: None,
                    bound: Bound::Within,
                });
            }
            return Err(self.fail());
        }
        let _ = word_day;
        if bound == Bound::By {
            // "chậm nhất trước phiên khai mạc …"
            if self.kw("trước") {
                return self.before();
            }
            if self.kw("sau") {
                return self.after_event("sau");
            }
        }
        Err(self.fail())
    }

    /// A day just read: one day, or a day of each month / year.
    fn after_date(&mut self, d: DateSpec, bound: Bound) -> Result<Rule, ParseError> {
        let every_month =
            |p: &mut Self| p.kw("hằng tháng") || p.kw("hàng tháng") || p.kw("mỗi tháng");
        if d.month == 0 {
            if every_month(self) {
                return Ok(recurring(
                    Every::Month,
                    None,
                    None,
                    Some(d.day as u8),
                    bound,
                ));
            }
            // "ngày 05 của tháng cuối mỗi quý"
            self.kw("của");
            let which = if self.kw("tháng cuối") {
                Some(MonthOfPeriod::Last)
            } else if self.kw("tháng đầu") {
                Some(MonthOfPeriod::First)
            } else {
                None
            };
            if which.is_some() && (self.kw("mỗi quý") || self.kw("hằng quý") || self.kw("hàng quý"))
            {
                return Ok(recurring(
                    Every::Quarter,
                    None,
                    which,
                    Some(d.day as u8),
                    bound,
                ));
            }
            return Err(self.fail());
        }
        if self.kw("hằng năm") || self.kw("hàng năm") || self.kw("mỗi năm") {
            return Ok(recurring(
                Every::Year,
                Some(d.month as u8),
                None,
                Some(d.day as u8),
                bound,
            ));
        }
        // "trước ngày 10/2 tới", "… năm nay": the year is the next such day.
        let _ = self.kw("tới") || self.kw("sắp tới") || self.kw("năm nay") || self.kw("tiếp theo");
        Ok(Shape::Date { date: d, bound }.into())
    }

    fn after_period(&mut self, period: PeriodSpec, part: Option<Part>, bound: Bound) -> Rule {
        Shape::Period {
            period,
            part,
            bound,
        }
        .into()
    }

    /// After `trước`: a date, a period start, or an event.
    fn before(&mut self) -> Result<Rule, ParseError> {
        if self.nothing_follows() {
            return Err(self.missing("thiếu ngày hoặc sự kiện sau «trước»"));
        }
        let save = self.pos;
        let word_day = self.kw("ngày");
        if let Some((d, _)) = self.date()? {
            return self.after_date(d, Bound::Before);
        }
        self.day_follows(word_day)?;
        self.pos = save;
        if !word_day && let Some((period, None)) = self.period()? {
            // "trước tháng 12/2024": before the period's first day.
            let first = period_first_day(period);
            if let Some(d) = first {
                return Ok(Shape::Date {
                    date: d,
                    bound: Bound::Before,
                }
                .into());
            }
            return Err(self.fail());
        }
        self.pos = save;
        let (anchor, named) = self.moment_named(Anchor::Start);
        self.event_follows(named, "trước")?;
        self.event_list(EventHead {
            anchor,
            offset: None,
            bound: Bound::Before,
        })
    }

    /// `ngày` just read and no day after it: not an event called "ngày".
    fn day_follows(&mut self, word_day: bool) -> Result<(), ParseError> {
        if word_day && self.nothing_follows() {
            return Err(self.missing("thiếu ngày sau «ngày» (ví dụ: ngày 05/02/2025)"));
        }
        Ok(())
    }

    /// The words that say which moment of an event counts.
    fn moment(&mut self, default: Anchor) -> Anchor {
        self.moment_named(default).0
    }

    /// The moment, and whether a word named it (`khai mạc`, `kết thúc`,
    /// `diễn ra`): then the event may be left implied ("trước khai mạc");
    /// `khi`, `phiên` and the like alone name nothing.
    fn moment_named(&mut self, default: Anchor) -> (Anchor, bool) {
        let mut anchor = default;
        let mut named = false;
        loop {
            if self.kw("khai mạc") {
                anchor = Anchor::Start;
                named = true;
                continue;
            }
            if self.kw("bế mạc") || self.kw("kết thúc") || self.kw("hoàn thành") {
                anchor = Anchor::End;
                named = true;
                continue;
            }
            if self.kw("ngày diễn ra") || self.kw("diễn ra") {
                named = true;
                continue;
            }
            if self.kw("khi") || self.kw("phiên") || self.kw("lễ") || self.kw("buổi") {
                continue;
            }
            if self.looking_at("ngày") {
                // "trước ngày khai mạc …", not "trước ngày 05/02".
                let save = self.pos;
                self.kw("ngày");
                if self.looking_at("khai mạc")
                    || self.looking_at("bế mạc")
                    || self.looking_at("kết thúc")
                    || self.looking_at("diễn ra")
                {
                    continue;
                }
                self.pos = save;
            }
            break;
        }
        self.kw("của");
        (anchor, named)
    }

    /// After the words that place a deadline against something (`trước`,
    /// `sau`, `kể từ`): an event must follow, unless its moment was named.
    fn event_follows(&mut self, named: bool, word: &str) -> Result<(), ParseError> {
        if !named && self.nothing_follows() {
            return Err(self.missing(&format!("thiếu sự kiện sau «{word}»")));
        }
        Ok(())
    }

    /// `sau khi kết thúc X`, `sau X 15 ngày`, `sau khi nhận được tờ trình`.
    fn after_event(&mut self, word: &str) -> Result<Rule, ParseError> {
        let (anchor, named) = self.moment_named(Anchor::End);
        self.event_follows(named, word)?;
        self.event_list(EventHead {
            anchor,
            offset: None,
            bound: Bound::After,
        })
    }

    /// `N ngày/tuần/tháng [làm việc] trước/sau [khi] [khai mạc] X`.
    fn offset_event(&mut self) -> Result<Option<Rule>, ParseError> {
        let save = self.pos;
        let Some(offset) = self.offset() else {
            return Ok(None);
        };
        let sign = if self.kw("trước") {
            -1
        } else if self.kw("sau") {
            1
        } else {
            self.pos = save;
            return Ok(None);
        };
        // "… kể từ ngày ban hành" after "sau": counts from the plan itself.
        let (anchor, named) = self.moment_named(if sign < 0 { Anchor::Start } else { Anchor::End });
        self.event_follows(named, if sign < 0 { "trước" } else { "sau" })?;
        let offset = Offset {
            n: offset.n * sign,
            unit: offset.unit,
        };
        self.event_list(EventHead {
            anchor,
            offset: Some(offset),
            bound: Bound::By,
        })
        .map(Some)
    }

    fn offset(&mut self) -> Option<Offset> {
        let save = self.pos;
        let mut n = self.count()?;
        // `24-48 giờ`: a span of hours is kept by its far end, the latest
        // the work may take.
        let before_dash = self.pos;
        if self.sym('-') || self.sym('–') {
            match self.count() {
                Some(m) if m > n => n = m,
                _ => self.pos = before_dash,
            }
        }
        // Hours count as the days they reach into: 48 giờ is 2 days.
        if self.kw("giờ") {
            return Some(Offset {
                n: n.div_ceil(24) as i32,
                unit: Unit::Days,
            });
        }
        let unit = if self.kw("ngày làm việc") {
            Unit::WorkingDays
        } else if self.kw("ngày") {
            Unit::Days
        } else if self.kw("tuần") {
            Unit::Weeks
        } else if self.kw("tháng") {
            Unit::Months
        } else {
            self.pos = save;
            return None;
        };
        Some(Offset { n: n as i32, unit })
    }

    /// `trong vòng 15 ngày kể từ ngày ban hành Kế hoạch`, `trong 05 ngày làm việc
    /// kể từ ngày nhận được đề nghị`.
    fn within_offset(&mut self) -> Result<Option<Rule>, ParseError> {
        let save = self.pos;
        if !(self.kw("trong vòng")
            || self.kw("trong thời hạn")
            || self.kw("trong")
            || self.kw("sau"))
        {
            return Ok(None);
        }
        let Some(offset) = self.offset() else {
            self.pos = save;
            return Ok(None);
        };
        let from = if self.kw("kể từ") {
            "kể từ"
        } else if self.kw("tính từ") {
            "tính từ"
        } else if self.kw("sau khi") {
            // `trong 48 giờ sau khi nước rút`: at the latest that long after.
            self.event_follows(false, "sau khi")?;
            return self
                .event_list(EventHead {
                    anchor: Anchor::End,
                    offset: Some(offset),
                    bound: Bound::By,
                })
                .map(Some);
        } else {
            self.pos = save;
            return Ok(None);
        };
        self.kw("ngày");
        self.kw("khi");
        self.event_follows(false, from)?;
        if self.kw("ban hành") || self.kw("ký") {
            // The rest names the plan itself ("Kế hoạch này", "văn bản").
            self.skip_to_delimiter();
            let (offset_days, offset_working_days) = match offset.unit {
                Unit::WorkingDays => (None, Some(offset.n)),
                Unit::Weeks => (Some(offset.n * 7), None),
                Unit::Days => (Some(offset.n), None),
                Unit::Months => return Err(self.fail()),
            };
            return Ok(Some(
                Shape::Issued {
                    offset_days,
                    offset_working_days,
                    bound: Bound::By,
                }
                .into(),
            ));
        }
        self.event_list(EventHead {
            anchor: Anchor::End,
            offset: Some(offset),
            bound: Bound::By,
        })
        .map(Some)
    }

    /// One or more event names after the words that say when relative to them.
    fn event_list(&mut self, head: EventHead) -> Result<Rule, ParseError> {
        let mut items = Vec::new();
        loop {
            let (name, trailing) = self.event_name()?;
            let offset = match (&head.offset, trailing) {
                (Some(_), Some(_)) => return Err(self.fail()),
                (Some(o), None) => Some(Offset {
                    n: o.n,
                    unit: o.unit,
                }),
                (None, Some(o)) => {
                    let sign = match head.anchor {
                        Anchor::Start if head.bound == Bound::Before => -1,
                        _ => 1,
                    };
                    Some(Offset {
                        n: o.n * sign,
                        unit: o.unit,
                    })
                }
                (None, None) => None,
            };
            let bound = match (&head.offset, head.bound, &offset) {
                // "sau khi kết thúc X 15 ngày", "trước X 10 ngày": at the latest then.
                (None, Bound::After | Bound::Before, Some(_)) => Bound::By,
                (_, b, _) => b,
            };
            items.push(event_rule(name, head.anchor, offset, bound));
            let save = self.pos;
            if self.sym(',') || self.kw("và") || self.sym(';') {
                self.kw("và");
                if EVENT_HEADS.iter().any(|h| self.looking_at(h)) {
                    continue;
                }
            }
            self.pos = save;
            break;
        }
        Ok(make_list(items))
    }

    /// An event's name as written, up to a delimiter; a trailing offset
    /// (`… 15 ngày`) is returned apart. `None` when no name is given.
    fn event_name(&mut self) -> Result<(Option<String>, Option<Offset>), ParseError> {
        self.ws();
        let start = self.pos;
        let mut end = start;
        let mut i = start;
        let mut depth = 0;
        while i < self.end {
            let c = self.s[i];
            if c == '(' {
                depth += 1;
            } else if c == ')' {
                if depth == 0 {
                    break;
                }
                depth -= 1;
            } else if depth == 0 && matches!(c, ',' | ';') {
                break;
            } else if depth == 0 && c == ' ' && self.word_at(i + 1, "và") {
                let after = i + 1 + "và".chars().count();
                if EVENT_HEADS.iter().any(|h| self.word_at(after + 1, h)) {
                    break;
                }
            } else if depth == 0 && c == ' ' && self.word_at(i + 1, "hoặc") {
                break;
            }
            i += 1;
            if !c.is_whitespace() {
                end = i;
            }
        }
        // A trailing "N ngày" / "N tuần" belongs to the offset, not the name.
        let mut name_end = end;
        let mut trailing = None;
        let words: String = self.s[start..end].iter().collect();
        if let Some((cut, off)) = trailing_offset(&words) {
            name_end = start + cut;
            trailing = Some(off);
            while name_end > start && self.s[name_end - 1].is_whitespace() {
                name_end -= 1;
            }
        }
        let name: String = self.orig[start..name_end].iter().collect();
        let name = without_manner(&name)
            .trim()
            .trim_end_matches(['.', ','])
            .trim()
            .to_string();
        self.pos = end;
        self.mark();
        if DEFERRALS.iter().any(|d| words.contains(d)) {
            return Err(self.fail());
        }
        // `sau đây gọi chung là cấp xã` (hereinafter), `sau đó` (then):
        // words that point within the text, no event.
        let first = name.split_whitespace().next().unwrap_or("").to_lowercase();
        if matches!(first.as_str(), "đây" | "đó" | "này") {
            return Err(self.fail());
        }
        Ok(((!name.is_empty()).then_some(name), trailing))
    }

    fn word_at(&self, i: usize, word: &str) -> bool {
        let w: Vec<char> = word.chars().collect();
        if i + w.len() > self.end {
            return false;
        }
        if self.s[i..i + w.len()] != w[..] {
            return false;
        }
        let j = i + w.len();
        j >= self.end || !Self::is_word_char(self.s[j])
    }

    /// `hằng tháng`, `định kỳ hằng quý`, `định kỳ 6 tháng`, `hằng tuần`.
    fn recurring(&mut self) -> Result<Option<Rule>, ParseError> {
        let save = self.pos;
        let periodic = self.kw("định kỳ");
        // `định kỳ thứ Hai hàng tuần`.
        if periodic && let Some(r) = self.weekday() {
            return Ok(Some(r));
        }
        let each = self.kw("hằng") || self.kw("hàng") || self.kw("mỗi");
        if !periodic && !each {
            return Ok(None);
        }
        let every = if self.kw("6 tháng") || self.kw("sáu tháng") || self.kw("nửa năm") {
            Every::HalfYear
        } else if self.kw("ngày") {
            Every::Day
        } else if self.kw("tuần") {
            Every::Week
        } else if self.kw("tháng") {
            Every::Month
        } else if self.kw("quý") || self.kw("qúy") {
            Every::Quarter
        } else if self.kw("năm") {
            Every::Year
        } else {
            // `định kỳ trước ngày 30 tháng 11 hàng năm`: the rest says when.
            self.pos = save;
            if periodic && !each {
                self.kw("định kỳ");
            }
            return Ok(None);
        };
        // "hằng tháng, trước ngày 20" / "hằng quý vào ngày 15" / "hằng năm
        // (trước ngày 15 tháng 11)"
        let after = self.pos;
        self.sym(',');
        let paren = self.sym('(');
        let bound = if self.kw("trước") {
            Some(Bound::Before)
        } else if self.kw("chậm nhất") || self.kw("vào") {
            Some(Bound::By)
        } else {
            None
        };
        if let Some(b) = bound {
            self.kw("ngày");
            self.ws();
            if every == Every::Year {
                let at = self.pos;
                if let Some((d, _)) = self.date()?
                    && d.month != 0
                    && d.year.is_none()
                    && (!paren || self.sym(')') || self.at_end())
                {
                    return Ok(Some(recurring(
                        every,
                        Some(d.month as u8),
                        None,
                        Some(d.day as u8),
                        b,
                    )));
                }
                self.pos = at;
            }
            if let Some((d, _)) = self.digits() {
                if !(1..=31).contains(&d) {
                    return Err(self.error(Reason::InvalidDate(format!("không có ngày {d}"))));
                }
                return Ok(Some(recurring(every, None, None, Some(d as u8), b)));
            }
        }
        self.pos = after;
        Ok(Some(
            Shape::Recurring {
                every,
                month: None,
                month_of_period: None,
                day: None,
                bound: None,
            }
            .into(),
        ))
    }

    /// `từ nay đến hết năm 2024`, `từ ngày 01/01/2025 đến ngày 31/8/2025`,
    /// `từ tháng 12/2024`, `từ ngày 01/11/2025 đến Đại hội XIV`.
    fn range_from(&mut self) -> Result<Rule, ParseError> {
        self.kw("từ");
        let start: Rule = if self.kw("nay") || self.kw("bây giờ") || self.kw("khi ban hành") {
            Shape::Issued {
                offset_days: None,
                offset_working_days: None,
                bound: Bound::From,
            }
            .into()
        } else {
            let save = self.pos;
            self.kw("ngày");
            if let Some((d, _)) = self.date()? {
                if d.month == 0 {
                    return Err(self.fail());
                }
                Shape::Date {
                    date: d,
                    bound: Bound::From,
                }
                .into()
            } else {
                self.pos = save;
                if let Some((p, part)) = self.period()? {
                    Shape::Period {
                        period: p,
                        part,
                        bound: Bound::From,
                    }
                    .into()
                } else if self.kw("sau") {
                    let anchor = self.moment(Anchor::End);
                    self.event_until(anchor, Bound::After)?
                } else if self.kw("thời điểm") {
                    // `từ thời điểm hoàn thành tiếp nhận bàn giao`.
                    let anchor = self.moment(Anchor::Start);
                    self.event_until(anchor, Bound::From)?
                } else {
                    return Err(self.fail());
                }
            }
        };
        let save = self.pos;
        let word = if self.kw("đến") {
            "đến"
        } else if self.kw("tới") {
            "tới"
        } else if self.sym('-') {
            "-"
        } else {
            self.pos = save;
            return Ok(start);
        };
        self.ws();
        let end_at = self.pos;
        let end = self.until(word)?;
        let range = fill_range_years(start, end);
        self.in_order(range, end_at)
    }

    /// A range whose days are all written out must not end before it
    /// starts (`từ ngày 10/12/2025 đến ngày 01/12/2025`); the error points
    /// at the end and names both days.
    fn in_order(&self, range: Rule, end_at: usize) -> Result<Rule, ParseError> {
        if let Shape::Range { start, end } = &range.shape
            && let (Some((first, _)), Some((_, last))) = (written_span(start), written_span(end))
            && last < first
        {
            let day =
                |d: jiff::civil::Date| format!("{:02}/{:02}/{}", d.day(), d.month(), d.year());
            return Err(ParseError {
                phrase: self.orig.iter().collect(),
                position: end_at + 1,
                reason: Reason::InvalidDate(format!(
                    "khoảng thời gian kết thúc ngày {} trước ngày bắt đầu {}",
                    day(last),
                    day(first)
                )),
            });
        }
        Ok(range)
    }

    /// An event name that stops before `đến`, for the start of a range.
    fn event_until(&mut self, anchor: Anchor, bound: Bound) -> Result<Rule, ParseError> {
        self.ws();
        let start = self.pos;
        let mut i = start;
        while i < self.end
            && !(self.s[i] == ' ' && (self.word_at(i + 1, "đến") || self.word_at(i + 1, "tới")))
        {
            if matches!(self.s[i], ',' | ';' | ')') {
                break;
            }
            i += 1;
        }
        let name: String = self.orig[start..i].iter().collect();
        self.pos = i;
        self.mark();
        let name = name.trim().to_string();
        if name.is_empty() {
            return Err(self.fail());
        }
        Ok(event_rule(Some(name), anchor, None, bound))
    }

    /// The end of a range.
    fn until(&mut self, word: &str) -> Result<Rule, ParseError> {
        if self.nothing_follows() {
            return Err(self.missing(&format!(
                "thiếu ngày, kỳ hoặc sự kiện kết thúc sau «{word}»"
            )));
        }
        let save = self.pos;
        if self.kw("trước") {
            return self.before();
        }
        let through = self.kw("hết");
        let word_day = self.kw("ngày");
        if let Some((d, _)) = self.date()? {
            if d.month == 0 {
                return Err(self.fail());
            }
            return Ok(Shape::Date {
                date: d,
                bound: Bound::By,
            }
            .into());
        }
        self.day_follows(word_day)?;
        if !word_day && let Some((p, part)) = self.period()? {
            return Ok(Shape::Period {
                period: p,
                part,
                bound: Bound::Within,
            }
            .into());
        }
        // `đến ngày bầu cử`: up to the day the event starts.
        if word_day
            && !["khai mạc", "bế mạc", "kết thúc", "diễn ra"]
                .iter()
                .any(|w| self.looking_at(w))
        {
            return self.event_list(EventHead {
                anchor: Anchor::Start,
                offset: None,
                bound: Bound::By,
            });
        }
        let _ = through;
        self.pos = save;
        self.kw("khi");
        let anchor = self.moment(Anchor::During);
        let bound = if anchor == Anchor::During {
            Bound::Within
        } else {
            Bound::By
        };
        self.event_list(EventHead {
            anchor,
            offset: None,
            bound,
        })
    }
}

struct EventHead {
    anchor: Anchor,
    offset: Option<Offset>,
    bound: Bound,
}

fn event_rule(name: Option<String>, anchor: Anchor, offset: Option<Offset>, bound: Bound) -> Rule {
    let scope = name.as_deref().and_then(scope_of);
    // `sau mỗi đợt`: the event is the round, and every one of them counts.
    let name = name.map(|n| match n.strip_prefix("mỗi ") {
        Some(rest) if !rest.trim().is_empty() => rest.trim().to_string(),
        _ => n,
    });
    let (mut days, mut months, mut working) = (None, None, None);
    match offset {
        None => days = Some(0),
        Some(Offset {
            n,
            unit: Unit::Days,
        }) => days = Some(n),
        Some(Offset {
            n,
            unit: Unit::Weeks,
        }) => days = Some(n * 7),
        Some(Offset {
            n,
            unit: Unit::Months,
        }) => months = Some(n),
        Some(Offset {
            n,
            unit: Unit::WorkingDays,
        }) => working = Some(n),
    }
    Shape::Event {
        event: name,
        event_id: None,
        scope,
        anchor,
        offset_days: days,
        offset_months: months,
        offset_working_days: working,
        bound,
    }
    .into()
}

/// `cấp mình` is each assignee's own event; a meeting named only by its kind,
/// in lower case with no number (`hội nghị`, `đại hội đảng bộ cấp cơ sở`),
/// is every such meeting.
fn scope_of(name: &str) -> Option<Scope> {
    let lower = name.to_lowercase();
    if lower.starts_with("mỗi ") {
        return Some(Scope::Each);
    }
    if lower.contains("cấp mình") || lower.contains("của mình") {
        return Some(Scope::Assignee);
    }
    let generic_head = [
        "hội nghị",
        "đại hội",
        "cuộc họp",
        "kỳ họp",
        "phiên họp",
        "hội thảo",
        "buổi",
    ]
    .iter()
    .any(|h| name.starts_with(h));
    let specific =
        name.chars().any(|c| c.is_uppercase() || c.is_ascii_digit()) || lower.contains("lần thứ");
    (generic_head && !specific).then_some(Scope::Each)
}

/// An event's name without what the sentence says of it: `lũ rút với tinh
/// thần "lũ rút đến đâu …"` is `lũ rút`, `lũ lụt xảy ra trên địa bàn tỉnh`
/// is `lũ lụt` (the event is the flood, wherever it happens).
fn without_manner(name: &str) -> &str {
    let lower = name.to_lowercase();
    if lower.len() != name.len() {
        return name;
    }
    [" với tinh thần ", " xảy ra"]
        .iter()
        .filter_map(|w| lower.find(w))
        .filter(|&at| at > 0)
        .min()
        .map_or(name, |at| &name[..at])
}

/// A trailing `N ngày|tuần|tháng [làm việc]` at the end of an event name.
fn trailing_offset(words: &str) -> Option<(usize, Offset)> {
    let mut p = Parser::new(words);
    let chars: Vec<char> = words.chars().collect();
    // Try every word start from the right; the offset must reach the end.
    for i in (0..chars.len()).rev() {
        if i > 0 && !chars[i - 1].is_whitespace() {
            continue;
        }
        p.pos = i;
        p.far = 0;
        if let Some(off) = p.offset() {
            p.ws();
            if p.at_end() && i > 0 {
                return Some((i, off));
            }
        }
    }
    None
}

fn recurring(
    every: Every,
    month: Option<u8>,
    mop: Option<MonthOfPeriod>,
    day: Option<u8>,
    bound: Bound,
) -> Rule {
    Shape::Recurring {
        every,
        month,
        month_of_period: mop,
        day,
        bound: Some(bound),
    }
    .into()
}

fn period_first_day(p: PeriodSpec) -> Option<DateSpec> {
    let (year, month) = match p {
        PeriodSpec::Month { year, month } => (year, month),
        PeriodSpec::Quarter { year, quarter } => (year, (quarter - 1) * 3 + 1),
        PeriodSpec::Half { year, half } => (year, (half - 1) * 6 + 1),
        PeriodSpec::Year { year } => (Some(year), 1),
    };
    Some(DateSpec {
        year,
        month,
        day: 1,
    })
}

/// Lists of periods or days share the year written once at the end
/// (`tháng 11, tháng 12 năm 2025`, `quý I và quý III năm 2025`).
fn make_list(mut items: Vec<Rule>) -> Rule {
    if items.len() == 1 {
        return items.pop().unwrap_or_else(|| Shape::AdHoc {}.into());
    }
    let mut next_year: Option<i16> = None;
    for item in items.iter_mut().rev() {
        match &mut item.shape {
            Shape::Period { period, .. } => {
                let y = match period {
                    PeriodSpec::Month { year, .. }
                    | PeriodSpec::Quarter { year, .. }
                    | PeriodSpec::Half { year, .. } => year,
                    PeriodSpec::Year { year } => {
                        next_year = Some(*year);
                        continue;
                    }
                };
                match y {
                    Some(v) => next_year = Some(*v),
                    None => *y = next_year,
                }
            }
            Shape::Date { date, .. } => match date.year {
                Some(v) => next_year = Some(v),
                None => date.year = next_year,
            },
            _ => {}
        }
    }
    Shape::List { items }.into()
}

/// `từ ngày 01/01 đến ngày 31/8/2025`: the start takes the end's year.
fn fill_range_years(mut start: Rule, end: Rule) -> Rule {
    let end_year = match &end.shape {
        Shape::Date { date, .. } => date.year,
        Shape::Period {
            period:
                PeriodSpec::Month { year, .. }
                | PeriodSpec::Quarter { year, .. }
                | PeriodSpec::Half { year, .. },
            ..
        } => *year,
        Shape::Period {
            period: PeriodSpec::Year { year },
            ..
        } => Some(*year),
        _ => None,
    };
    // A day without its year (`từ ngày 01/12 đến ngày 10/12/2025`) keeps
    // none: it resolves to the first such day from the plan's date, which
    // also reads `từ ngày 20/12 đến ngày 10/01/2026` right.
    match &mut start.shape {
        Shape::Period {
            period:
                PeriodSpec::Month { year, .. }
                | PeriodSpec::Quarter { year, .. }
                | PeriodSpec::Half { year, .. },
            ..
        } if year.is_none() => *year = end_year,
        _ => {}
    }
    Shape::Range {
        start: Box::new(start),
        end: Box::new(end),
    }
    .into()
}
