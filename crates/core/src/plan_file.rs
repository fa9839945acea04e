//! Reading a plan file: JSON to `PlanDoc`, then the checks that make it safe
//! to store. Every fault is reported in Vietnamese with its place (line and
//! column of the file, or the task's `ref`, the unit's name …), and all
//! faults are gathered so that one reading shows them all.

use crate::deadline::{self, Rule};
use crate::plan::PlanDoc;
use crate::text::{name_key, nfc};
use std::collections::{HashMap, HashSet};
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fault {
    /// Where: `dòng 12, cột 5`, `nhiệm vụ V.1.2.3`, `đơn vị «…»`.
    pub place: String,
    pub message: String,
}

impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.place, self.message)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanFileError {
    pub faults: Vec<Fault>,
}

impl fmt::Display for PlanFileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "Tệp kế hoạch không hợp lệ ({} lỗi):", self.faults.len())?;
        for fault in &self.faults {
            writeln!(f, "  - {fault}")?;
        }
        Ok(())
    }
}

impl std::error::Error for PlanFileError {}

/// Reads a plan from its JSON text, normalises its text to NFC, fills each
/// missing rule from its phrase where the phrase reads, and checks it.
pub fn read(json: &str) -> Result<PlanDoc, PlanFileError> {
    let json = nfc(json);
    let mut doc: PlanDoc = serde_json::from_str(&json).map_err(|e| {
        let (line, column) = fault_position(&json, &e);
        PlanFileError {
            faults: vec![Fault {
                place: format!("dòng {line}, cột {column}"),
                message: serde_message(&e),
            }],
        }
    })?;
    let bad_phrases = fill_rules(&mut doc);
    match check(&doc) {
        Ok(()) if bad_phrases.is_empty() => Ok(doc),
        Ok(()) => Err(PlanFileError {
            faults: bad_phrases,
        }),
        Err(mut e) => {
            e.faults.extend(bad_phrases);
            Err(e)
        }
    }
}

/// Where to point at: serde_json stops where the next token starts, so a
/// comma missing at the end of a line would be reported on the line after;
/// the fault is just after the last character written before it.
fn fault_position(json: &str, e: &serde_json::Error) -> (usize, usize) {
    let missing_separator = e.classify() == serde_json::error::Category::Syntax
        && e.to_string().starts_with("expected `,`");
    if !missing_separator || e.line() == 0 {
        return (e.line(), e.column());
    }
    let lines: Vec<&str> = json.lines().collect();
    let upto_line = e.line().min(lines.len());
    // The text before the error, by lines: the current line up to the error.
    for l in (0..upto_line).rev() {
        let text = if l + 1 == e.line() {
            lines[l]
                .chars()
                .take(e.column().saturating_sub(1))
                .collect::<String>()
        } else {
            lines[l].to_string()
        };
        let trimmed = text.trim_end();
        if !trimmed.is_empty() {
            return (l + 1, trimmed.chars().count() + 1);
        }
    }
    (e.line(), e.column())
}

/// serde_json's English message, said in Vietnamese.
fn serde_message(e: &serde_json::Error) -> String {
    use serde_json::error::Category;
    let raw = e.to_string();
    let detail = raw.split(" at line ").next().unwrap_or(&raw);
    let quoted = |s: &str| {
        s.split('`')
            .nth(1)
            .map(|x| format!("«{x}»"))
            .unwrap_or_default()
    };
    match e.classify() {
        Category::Eof => "tệp kết thúc giữa chừng (thiếu dấu đóng } hoặc ])".to_string(),
        Category::Syntax => format!("sai cú pháp JSON ({})", syntax_hint(detail)),
        Category::Io => "không đọc được tệp".to_string(),
        Category::Data => {
            if detail.starts_with("missing field") {
                format!("thiếu trường {}", quoted(detail))
            } else if detail.starts_with("unknown field") {
                format!(
                    "trường không có trong định dạng kế hoạch: {}",
                    quoted(detail)
                )
            } else if detail.starts_with("unknown variant") {
                format!("giá trị không được phép: {}", quoted(detail))
            } else if detail.starts_with("invalid type") {
                "sai kiểu dữ liệu (ví dụ: cần chuỗi mà gặp số, cần danh sách mà gặp chuỗi)"
                    .to_string()
            } else {
                // Our own messages (dates, periods) are already Vietnamese.
                detail.to_string()
            }
        }
    }
}

fn syntax_hint(detail: &str) -> &'static str {
    if detail.contains("trailing comma") {
        "dấu phẩy thừa trước dấu đóng"
    } else if detail.contains("expected `,` or") {
        "thiếu dấu phẩy hoặc dấu đóng"
    } else if detail.contains("key must be a string") {
        "tên trường phải đặt trong dấu nháy kép"
    } else if detail.contains("control character") {
        "ký tự điều khiển trong chuỗi"
    } else {
        "ký tự không mong đợi"
    }
}

/// A phrase given without its rule gets the rule the parser reads from it.
/// A phrase that does not read (a deferral) stays as text with no rule; one
/// that names a day that does not exist is a fault.
fn fill_rules(doc: &mut PlanDoc) -> Vec<Fault> {
    let mut faults = Vec::new();
    let mut fill = |place: String, phrase: Option<&str>, rule: &mut Option<Rule>| {
        if rule.is_some() {
            return;
        }
        if let Some(p) = phrase {
            match deadline::parse(p) {
                Ok(r) => *rule = Some(r),
                Err(e) if matches!(e.reason, deadline::Reason::InvalidDate(_)) => {
                    faults.push(Fault {
                        place,
                        message: e.to_string(),
                    })
                }
                Err(_) => {}
            }
        }
    };
    for t in &mut doc.tasks {
        let place = format!("nhiệm vụ {}", t.reference);
        fill(place, t.deadline_phrase.as_deref(), &mut t.deadline);
    }
    for r in &mut doc.reporting {
        let place = format!("báo cáo «{}»", r.name);
        fill(place, r.deadline_phrase.as_deref(), &mut r.deadline);
    }
    for p in &mut doc.phases {
        let place = format!("giai đoạn «{}»", p.name);
        fill(place, Some(&p.phrase), &mut p.window);
    }
    faults
}

/// The checks a plan passes before it is stored.
pub fn check(doc: &PlanDoc) -> Result<(), PlanFileError> {
    let mut faults = Vec::new();
    let mut fault = |place: String, message: String| faults.push(Fault { place, message });

    if doc.number.trim().is_empty() {
        fault("kế hoạch".into(), "thiếu số kế hoạch (number)".into());
    }
    if doc.title.trim().is_empty() {
        fault("kế hoạch".into(), "thiếu tên kế hoạch (title)".into());
    }
    check_date(&doc.date, "ngày ban hành (date)", &mut fault);

    // Units: one per name, parents and successors known.
    let mut unit_keys: HashMap<String, &str> = HashMap::new();
    for u in &doc.units {
        if unit_keys.insert(name_key(&u.name), &u.name).is_some() {
            fault(format!("đơn vị «{}»", u.name), "tên đơn vị bị lặp".into());
        }
    }
    let mut names: HashSet<String> = unit_keys.keys().cloned().collect();
    for u in &doc.units {
        let place = format!("đơn vị «{}»", u.name);
        if let Some(p) = &u.parent
            && !unit_keys.contains_key(&name_key(p))
        {
            fault(
                place.clone(),
                format!("đơn vị cấp trên «{p}» không có trong danh sách đơn vị"),
            );
        }
        for s in &u.successors {
            if !unit_keys.contains_key(&name_key(s)) {
                fault(
                    place.clone(),
                    format!("đơn vị kế thừa «{s}» không có trong danh sách đơn vị"),
                );
            }
        }
        check_date(&u.valid_from, &format!("{place}, ngày bắt đầu"), &mut fault);
        check_date(&u.valid_to, &format!("{place}, ngày kết thúc"), &mut fault);
        if let (Some(a), Some(b)) = (&u.valid_from, &u.valid_to)
            && b < a
        {
            fault(place.clone(), "ngày kết thúc trước ngày bắt đầu".into());
        }
        names.extend(u.aliases.iter().map(|a| name_key(a)));
    }
    // A name (or alias) may stand for one group only.
    let mut group_keys: HashMap<String, usize> = HashMap::new();
    for (i, g) in doc.groups.iter().enumerate() {
        let place = format!("nhóm đơn vị «{}»", g.name);
        for n in std::iter::once(&g.name).chain(&g.aliases) {
            if *group_keys.entry(name_key(n)).or_insert(i) != i {
                fault(
                    place.clone(),
                    format!("tên «{n}» đã dùng cho một nhóm khác"),
                );
            }
        }
        for m in &g.members {
            if !unit_keys.contains_key(&name_key(m)) {
                fault(
                    place.clone(),
                    format!("thành viên «{m}» không có trong danh sách đơn vị"),
                );
            }
        }
        if g.members.is_empty() {
            fault(place.clone(), "nhóm không có thành viên".into());
        }
        names.insert(name_key(&g.name));
        names.extend(g.aliases.iter().map(|a| name_key(a)));
    }

    // Events: ids unique, dates in order.
    let mut event_ids = HashSet::new();
    for e in &doc.events {
        let place = format!("sự kiện «{}»", e.name);
        if !event_ids.insert(e.id.as_str()) {
            fault(place.clone(), format!("mã sự kiện «{}» bị lặp", e.id));
        }
        check_date(&e.start, &format!("{place}, ngày bắt đầu"), &mut fault);
        check_date(&e.end, &format!("{place}, ngày kết thúc"), &mut fault);
        if e.start.is_none() && e.end.is_some() {
            fault(
                place.clone(),
                "có ngày kết thúc mà không có ngày bắt đầu".into(),
            );
        }
        if let (Some(a), Some(b)) = (&e.start, &e.end)
            && b < a
        {
            fault(place.clone(), "ngày kết thúc trước ngày bắt đầu".into());
        }
        if let Some(u) = &e.unit
            && !names.contains(&name_key(u))
        {
            fault(
                place,
                format!("đơn vị «{u}» không có trong danh sách đơn vị"),
            );
        }
    }

    // Tasks: refs unique, leads known, phrases and rules agree.
    let mut refs = HashSet::new();
    for t in &doc.tasks {
        let place = format!("nhiệm vụ {}", t.reference);
        if !refs.insert(t.reference.as_str()) {
            fault(place.clone(), "số thứ tự (ref) bị lặp".into());
        }
        if t.text.trim().is_empty() {
            fault(place.clone(), "nội dung nhiệm vụ trống".into());
        }
        if t.leads.is_empty() {
            fault(place.clone(), "không có đơn vị chủ trì".into());
        }
        for l in &t.leads {
            if !names.contains(&name_key(l)) {
                fault(
                    place.clone(),
                    format!("đơn vị chủ trì «{l}» không khớp đơn vị hay nhóm đơn vị nào"),
                );
            }
        }
        if t.deadline.is_some() && t.deadline_phrase.is_none() {
            fault(
                place.clone(),
                "có quy tắc thời hạn mà không có cụm từ thời hạn".into(),
            );
        }
    }
    for (i, r) in doc.reporting.iter().enumerate() {
        if r.name.trim().is_empty() {
            fault(format!("báo cáo thứ {}", i + 1), "thiếu tên báo cáo".into());
        }
        let mut keys = HashSet::new();
        for ind in &r.indicators {
            if !keys.insert(ind.key.as_str()) {
                fault(
                    format!("báo cáo «{}»", r.name),
                    format!("chỉ tiêu «{}» bị lặp", ind.key),
                );
            }
        }
    }
    if faults.is_empty() {
        Ok(())
    } else {
        Err(PlanFileError { faults })
    }
}

fn check_date(d: &Option<String>, what: &str, fault: &mut impl FnMut(String, String)) {
    if let Some(s) = d
        && s.parse::<jiff::civil::Date>().is_err()
    {
        fault(
            what.to_string(),
            format!("ngày «{s}» không đúng dạng YYYY-MM-DD hoặc không tồn tại"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syntax_errors_name_line_and_column() {
        let e =
            read("{\n  \"number\": \"1/KH\",\n  \"issuer\": \"X\" \"title\": 3\n}").unwrap_err();
        assert_eq!(e.faults[0].place, "dòng 3, cột 16");
        assert!(e.faults[0].message.contains("thiếu dấu phẩy"), "{e}");
    }

    #[test]
    fn a_comma_missing_at_a_line_end_is_named_on_that_line() {
        let e = read("{\n  \"number\": \"1/KH\"\n  \"issuer\": \"X\"\n}").unwrap_err();
        assert_eq!(e.faults[0].place, "dòng 2, cột 19", "{e}");
    }

    #[test]
    fn missing_and_unknown_fields_are_named() {
        let e = read(r#"{"number":"1/KH","issuer":"X","date":null}"#).unwrap_err();
        assert!(e.to_string().contains("thiếu trường «title»"), "{e}");
        let e = read(r#"{"number":"1/KH","issuer":"X","date":null,"title":"T","tieu_de":1}"#)
            .unwrap_err();
        assert!(e.to_string().contains("«tieu_de»"), "{e}");
    }

    #[test]
    fn bad_values_are_gathered_with_their_place() {
        let json = r#"{
          "number":"12/KH-UBND","issuer":"UBND huyện","date":"2025-02-30","title":"T",
          "units":[{"name":"Phòng Văn hoá","parent":"UBND huyện X","kind":"department","level":"district",
                    "valid_from":null,"valid_to":null}],
          "tasks":[{"ref":"1","text":"Làm","leads":["Phòng Y tế"],"deadline_phrase":"trong tháng 13/2025","deadline":null}],
          "events":[{"id":"e","name":"Hội nghị","kind":"conference","start":"2025-05-02","end":"2025-05-01"}]
        }"#;
        let e = read(json).unwrap_err();
        let text = e.to_string();
        assert!(
            text.contains("ngày ban hành (date): ngày «2025-02-30»"),
            "{text}"
        );
        assert!(
            text.contains("đơn vị «Phòng Văn hoá»: đơn vị cấp trên «UBND huyện X»"),
            "{text}"
        );
        assert!(
            text.contains("nhiệm vụ 1: đơn vị chủ trì «Phòng Y tế»"),
            "{text}"
        );
        assert!(
            text.contains("sự kiện «Hội nghị»: ngày kết thúc trước ngày bắt đầu"),
            "{text}"
        );
        assert!(text.contains("nhiệm vụ 1: «trong tháng 13/2025»"), "{text}");
    }

    #[test]
    fn a_missing_rule_is_read_from_its_phrase() {
        let json = r#"{"number":"1/KH","issuer":"X","date":"2025-01-02","title":"T",
          "units":[{"name":"Phòng Nội vụ","parent":null,"kind":"department","level":"district","valid_from":null,"valid_to":null}],
          "tasks":[{"ref":"1","text":"Làm","leads":["Phòng Nội vụ"],"deadline_phrase":"trước ngày 05/02/2025","deadline":null},
                   {"ref":"2","text":"Làm","leads":["phòng nội vụ"],"deadline_phrase":"theo tiến độ của Tiểu ban","deadline":null}]}"#;
        let doc = read(json).unwrap();
        assert!(doc.tasks[0].deadline.is_some());
        assert!(doc.tasks[1].deadline.is_none());
    }
}
