//! A plan in words, for reading in a terminal.

use crate::dates::vn_text;
use dondoc_core::due::Due;
use dondoc_core::plan::PlanDoc;
use dondoc_core::text::clip;
use std::borrow::Cow;
use std::fmt::Write;

/// Text from a plan file or the database, safe to print on a terminal:
/// control characters (ESC, BEL, CR, …) and the marks that reorder text on
/// screen are shown as escapes (`\x1b`), so a name cannot move the cursor,
/// clear the screen, retitle the window or hide what is printed after it.
pub fn visible(s: &str) -> Cow<'_, str> {
    escape(s, false)
}

/// As `visible`, keeping line breaks: for messages of several lines.
pub fn visible_lines(s: &str) -> Cow<'_, str> {
    escape(s, true)
}

fn escape(s: &str, keep_newlines: bool) -> Cow<'_, str> {
    let hidden = |c: char| {
        (c.is_control() && !(keep_newlines && c == '\n'))
            || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    };
    if !s.chars().any(hidden) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c as u32 {
            _ if !hidden(c) => out.push(c),
            n @ 0..=0xff => {
                let _ = write!(out, "\\x{n:02x}");
            }
            n => {
                let _ = write!(out, "\\u{{{n:04x}}}");
            }
        }
    }
    Cow::Owned(out)
}

/// One due window in words (see `Due::text`).
pub fn due_text(d: &Due) -> String {
    d.text()
}

/// The windows of one deadline; the many windows of a rule over each
/// assignee's own event are summed up rather than listed one by one.
fn dues(ds: &Option<Vec<Due>>) -> String {
    dondoc_core::due::summary(ds.as_deref().unwrap_or_default())
}

/// An event's dates: "14/10/2025 – 16/10/2025", "03/02/2025", "chưa có ngày".
pub fn event_dates(start: &Option<String>, end: &Option<String>) -> String {
    match (start, end) {
        (Some(s), Some(t)) if s != t => format!("{} – {}", vn_text(s), vn_text(t)),
        (Some(s), _) => vn_text(s),
        _ => "chưa có ngày".to_string(),
    }
}

pub fn event_line(e: &dondoc_core::plan::Event) -> String {
    format!(
        "{}  ({})  [mã: {}]",
        visible(&e.name),
        event_dates(&e.start, &e.end),
        visible(&e.id)
    )
}

pub fn plan(doc: &PlanDoc) -> String {
    let mut o = String::new();
    let date = doc.date.as_deref().map(vn_text).unwrap_or_default();
    let _ = writeln!(o, "KẾ HOẠCH SỐ {} ngày {date} — {}", doc.number, doc.issuer);
    let _ = writeln!(o, "{}\n", doc.title);

    let _ = writeln!(o, "LỘ TRÌNH ({} đợt)", doc.phases.len());
    for p in &doc.phases {
        let _ = writeln!(o, "  {:<7} {}  →  {}", p.name, p.phrase, dues(&p.due));
        let _ = writeln!(o, "          {} nội dung tuyên truyền", p.topics.len());
    }

    let _ = writeln!(o, "\nHÌNH THỨC TUYÊN TRUYỀN ({})", doc.forms_of_work.len());
    for f in &doc.forms_of_work {
        let _ = writeln!(o, "  {:<8} {}", f.reference, clip(&f.title, 110));
    }

    let _ = writeln!(o, "\nNHIỆM VỤ ({})", doc.tasks.len());
    for t in &doc.tasks {
        let _ = writeln!(o, "  {:<11} {}", t.reference, clip(&t.text, 110));
        let mut units = format!("chủ trì: {}", t.leads.join("; "));
        if !t.coordinates.is_empty() {
            let _ = write!(units, " — phối hợp: {}", t.coordinates.join("; "));
        }
        let _ = writeln!(o, "              {units}");
        if let Some(a) = &t.assignees
            && (a.len() > 1 || t.leads.first() != a.first())
        {
            let _ = writeln!(o, "              giao cho {} đơn vị", a.len());
        }
        let phrase = t.deadline_phrase.as_deref().unwrap_or("(không nêu)");
        let resolved = match (&t.deadline_phrase, &t.deadline) {
            (Some(_), None) => "không có mốc thời gian cụ thể".to_string(),
            _ => dues(&t.due),
        };
        let _ = writeln!(o, "              thời hạn: {phrase}  →  {resolved}");
    }

    let _ = writeln!(o, "\nCHẾ ĐỘ BÁO CÁO ({})", doc.reporting.len());
    for r in &doc.reporting {
        let _ = writeln!(
            o,
            "  {:<11} {}  →  {}  (gửi {}; {} chỉ tiêu)",
            r.name,
            r.deadline_phrase.as_deref().unwrap_or(""),
            dues(&r.due),
            r.recipient.as_deref().unwrap_or("—"),
            r.indicators.len()
        );
    }

    let _ = writeln!(o, "\nSỰ KIỆN ({})", doc.events.len());
    for e in &doc.events {
        let _ = writeln!(o, "  {}", event_line(e));
    }
    let _ = writeln!(
        o,
        "\nĐƠN VỊ: {}; NHÓM ĐƠN VỊ: {}; KHẨU HIỆU: {}; TRANG TRÍ KHÁNH TIẾT: {} mục",
        doc.units.len(),
        doc.groups.len(),
        doc.slogans.len(),
        doc.decoration.len()
    );
    // Every text of the plan is as loaded; none of it may drive the terminal.
    visible_lines(&o).into_owned()
}
