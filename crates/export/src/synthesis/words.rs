//! The synthesis report's sentences, written from the data the store
//! gathered: the report's number and place, what it covers, how the plan
//! was deployed, each task's deadline and note, the figures in words, the
//! reports late or missing. Every Vietnamese word of the report that is not
//! the plan's own is written here or in the layout beside it.

use super::{Document, FormText, NarrativeText, ReportText, TaskText};
use dondoc_core::documents::synthesis::{
    FormResult, Indicator, PhaseScope, ReportLine, ReportName, Synthesis, TaskLine, TaskNote,
};
use dondoc_core::due;
use dondoc_core::text::{lower_first, name_key, vn_date, vn_number};

/// The whole report in words.
pub fn document(s: &Synthesis) -> Document {
    Document {
        superior: s.superior.as_ref().map(|p| p.to_uppercase()),
        issuer: s.plan_issuer.to_uppercase(),
        number: report_number(&s.plan_number),
        place: place(s.plan_place.as_deref(), &s.plan_issuer),
        date: s.date,
        plan_number: s.plan_number.clone(),
        plan_date: s.plan_date,
        plan_issuer: s.plan_issuer.clone(),
        plan_title: s.plan_title.clone(),
        scope: scope_text(s.phase.as_ref()),
        deployment: deployment(s),
        rates: s.rates.clone(),
        indicators: s.indicators.clone(),
        figures: s.figures.clone(),
        totals: s.totals.clone(),
        periodic: s.periodic.clone(),
        forms: s.forms.iter().map(form_text).collect(),
        done: s.done.iter().map(task_text).collect(),
        in_progress: s.in_progress.iter().map(task_text).collect(),
        not_started: s.not_started.iter().map(task_text).collect(),
        overdue: s.overdue.iter().map(task_text).collect(),
        pending: s.pending.iter().map(task_text).collect(),
        late: s.late.iter().map(report_text).collect(),
        missing: s.missing.iter().map(report_text).collect(),
        narratives: s
            .narratives
            .iter()
            .map(|g| NarrativeText {
                topic: report_title(&g.report),
                items: g.items.clone(),
            })
            .collect(),
        recipients: s.recipients.clone(),
        signature: s.signature.clone(),
    }
}

/// `Số      -BC/TU`: the report's number is left for the clerk, with the
/// issuer's symbol taken from the plan's number (`390-KH/TU` → `TU`).
pub fn report_number(plan_number: &str) -> String {
    match plan_number.split_once('/') {
        Some((_, suffix)) if !suffix.trim().is_empty() => {
            format!("Số      -BC/{}", suffix.trim())
        }
        _ => "Số      -BC".to_string(),
    }
}

/// The place in the date line: the plan's, else the one the issuer's name
/// holds (`Tỉnh uỷ Cao Bằng` → `Cao Bằng`), else none.
pub fn place(plan_place: Option<&str>, issuer: &str) -> String {
    if let Some(p) = plan_place.filter(|p| !p.trim().is_empty()) {
        return p.trim().to_string();
    }
    let issuer = issuer.trim();
    for organ in ["Tỉnh uỷ", "Thành uỷ", "Huyện uỷ", "Quận uỷ", "Thị uỷ"] {
        let words = organ.split_whitespace().count();
        let head: Vec<&str> = issuer.split_whitespace().take(words).collect();
        if name_key(&head.join(" ")) == name_key(organ) {
            let rest: Vec<&str> = issuer.split_whitespace().skip(words).collect();
            return rest.join(" ");
        }
    }
    String::new()
}

/// `Đợt I (từ ngày 19/11/2024 đến ngày 31/12/2024)`; `toàn bộ Kế hoạch`
/// without a phase.
pub fn scope_text(phase: Option<&PhaseScope>) -> String {
    let Some(p) = phase else {
        return "toàn bộ Kế hoạch".to_string();
    };
    match (p.from, p.to) {
        (Some(f), Some(t)) => format!(
            "{} (từ ngày {} đến ngày {})",
            p.name,
            vn_date(f),
            vn_date(t)
        ),
        (Some(f), None) => format!("{} (từ ngày {})", p.name, vn_date(f)),
        (None, Some(t)) => format!("{} (đến ngày {})", p.name, vn_date(t)),
        (None, None) => {
            let phrase = p.phrase.trim().trim_end_matches('.');
            if phrase.is_empty() {
                p.name.clone()
            } else {
                format!("{} ({})", p.name, lower_first(phrase))
            }
        }
    }
}

/// The opening sentences: the plan, what was given to whom, where the
/// assignments stand, and the undated events some deadlines wait for.
pub fn deployment(s: &Synthesis) -> Vec<String> {
    let t = &s.tasks;
    let mut plan = format!("Kế hoạch số {}", s.plan_number);
    if let Some(d) = s.plan_date {
        plan.push_str(&format!(" ngày {}", vn_date(d)));
    }
    plan.push_str(&format!(" của {}", s.plan_issuer));
    if t.assignments == 0 {
        return vec![format!(
            "Trong phạm vi báo cáo này, {plan} không có nhiệm vụ nào giao cho các đơn vị."
        )];
    }
    let n = |v: usize| vn_number(i64::try_from(v).unwrap_or(i64::MAX));
    let mut out = vec![
        format!(
            "Thực hiện {plan}, {} nhiệm vụ trong phạm vi báo cáo đã được giao tới {} đơn vị ({} lượt giao nhiệm vụ).",
            n(t.tasks),
            n(t.units),
            n(t.assignments)
        ),
        format!(
            "Đến ngày {}: {} lượt nhiệm vụ đã hoàn thành; {} đang thực hiện; {} chưa thực hiện (chưa đến hạn); {} quá hạn; {} có thời hạn phụ thuộc sự kiện chưa xác định thời gian.",
            vn_date(s.date),
            n(t.done),
            n(t.in_progress),
            n(t.not_started),
            n(t.overdue),
            n(t.pending)
        ),
    ];
    if !t.waits_for.is_empty() {
        out.push(format!(
            "Các sự kiện chưa có ngày mà thời hạn nhiệm vụ phụ thuộc: {}.",
            t.waits_for.join("; ")
        ));
    }
    out
}

/// `1.234 tin, bài trên báo chí`; the unit is said unless the label
/// already begins with it.
pub fn figure_words(n: i64, i: &Indicator) -> String {
    let label = lower_first(i.label.trim());
    let unit = i.unit.trim();
    if unit.is_empty() || name_key(&label).starts_with(&name_key(unit)) {
        format!("{} {label}", vn_number(n))
    } else {
        format!("{} {unit} {label}", vn_number(n))
    }
}

fn form_text(f: &FormResult) -> FormText {
    FormText {
        reference: f.reference.clone(),
        title: f.title.clone(),
        lines: f.figures.iter().map(|(i, n)| figure_words(*n, i)).collect(),
    }
}

/// Every due window of a task line in words, or `không nêu thời hạn`.
pub fn due_text(due: &[due::Due]) -> String {
    let text = due::summary(due);
    if text.is_empty() {
        "không nêu thời hạn".to_string()
    } else {
        text
    }
}

/// What is said of a task line beside its deadline: `hoàn thành ngày …`,
/// `quá hạn 3 ngày`, `chưa bắt đầu` …; nothing for a pending one.
pub fn note_text(note: &TaskNote) -> String {
    match note {
        TaskNote::Done { days: Some((a, b)) } if a == b => {
            format!("hoàn thành ngày {}", vn_date(*a))
        }
        TaskNote::Done { days: Some((a, b)) } => format!(
            "hoàn thành từ ngày {} đến ngày {}",
            vn_date(*a),
            vn_date(*b)
        ),
        TaskNote::Done { days: None } => "đã hoàn thành".to_string(),
        TaskNote::Overdue { days: Some((a, b)) } if a == b => format!("quá hạn {a} ngày"),
        TaskNote::Overdue { days: Some((a, b)) } => format!("quá hạn từ {a} đến {b} ngày"),
        TaskNote::Overdue { days: None } => "quá hạn".to_string(),
        // Said by the heading the line stands under.
        TaskNote::InProgress { waiting: 0, .. } | TaskNote::NotStarted => String::new(),
        TaskNote::InProgress { started: 0, .. } => "chưa bắt đầu".to_string(),
        TaskNote::InProgress { started, waiting } => {
            format!("{started} đơn vị đang thực hiện, {waiting} đơn vị chưa bắt đầu")
        }
        TaskNote::Pending => String::new(),
    }
}

fn task_text(t: &TaskLine) -> TaskText {
    TaskText {
        reference: t.reference.clone(),
        text: t.text.clone(),
        units: t.units.join("; "),
        due: due_text(&t.due),
        note: note_text(&t.note),
    }
}

/// `Đợt I`, `Hằng tháng, tháng 01/2025`.
pub fn report_title(r: &ReportName) -> String {
    r.title()
}

fn report_text(r: &ReportLine) -> ReportText {
    ReportText {
        unit: r.unit.clone(),
        report: report_title(&r.report),
        due: r.due.map(vn_date).unwrap_or_default(),
        submitted: r.submitted.map(vn_date).unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use dondoc_core::documents::synthesis::TaskCounts;
    use jiff::civil::date;

    #[test]
    fn the_report_number_takes_the_plans_symbol() {
        assert_eq!(report_number("390-KH/TU"), "Số      -BC/TU");
        assert_eq!(report_number("12/KH-UBND"), "Số      -BC/KH-UBND");
        assert_eq!(report_number("15-KH"), "Số      -BC");
    }

    #[test]
    fn figures_in_words_say_their_unit_once() {
        let i = |label: &str, unit: &str| Indicator {
            key: String::new(),
            label: label.into(),
            unit: unit.into(),
        };
        assert_eq!(
            figure_words(1234, &i("Tin, bài trên báo chí", "tin, bài")),
            "1.234 tin, bài trên báo chí"
        );
        assert_eq!(
            figure_words(5, &i("Hội thảo, tọa đàm khoa học", "cuộc")),
            "5 cuộc hội thảo, tọa đàm khoa học"
        );
    }

    #[test]
    fn the_place_comes_from_the_issuers_name_when_the_plan_has_none() {
        assert_eq!(place(None, "Tỉnh ủy Cao Bằng"), "Cao Bằng");
        assert_eq!(place(None, "Ban Tuyên giáo Tỉnh uỷ"), "");
        assert_eq!(place(Some(" Hà Nội "), "Tỉnh ủy Cao Bằng"), "Hà Nội");
        assert_eq!(place(Some(" "), "Tỉnh ủy Cao Bằng"), "Cao Bằng");
    }

    #[test]
    fn the_scope_names_the_phase_and_its_days() {
        let phase = |from, to, phrase: &str| PhaseScope {
            name: "Đợt I".into(),
            from,
            to,
            phrase: phrase.into(),
        };
        assert_eq!(scope_text(None), "toàn bộ Kế hoạch");
        assert_eq!(
            scope_text(Some(&phase(
                Some(date(2024, 11, 19)),
                Some(date(2024, 12, 31)),
                ""
            ))),
            "Đợt I (từ ngày 19/11/2024 đến ngày 31/12/2024)"
        );
        assert_eq!(
            scope_text(Some(&phase(Some(date(2025, 1, 1)), None, ""))),
            "Đợt I (từ ngày 01/01/2025)"
        );
        assert_eq!(
            scope_text(Some(&phase(None, Some(date(2025, 1, 1)), ""))),
            "Đợt I (đến ngày 01/01/2025)"
        );
        assert_eq!(
            scope_text(Some(&phase(None, None, "Từ sau Đại hội XIV."))),
            "Đợt I (từ sau Đại hội XIV)"
        );
        assert_eq!(scope_text(Some(&phase(None, None, " "))), "Đợt I");
    }

    #[test]
    fn notes_say_how_a_task_stands() {
        let d = date(2025, 2, 5);
        let e = date(2025, 2, 7);
        assert_eq!(
            note_text(&TaskNote::Done { days: Some((d, d)) }),
            "hoàn thành ngày 05/02/2025"
        );
        assert_eq!(
            note_text(&TaskNote::Done { days: Some((d, e)) }),
            "hoàn thành từ ngày 05/02/2025 đến ngày 07/02/2025"
        );
        assert_eq!(note_text(&TaskNote::Done { days: None }), "đã hoàn thành");
        assert_eq!(
            note_text(&TaskNote::Overdue { days: Some((3, 3)) }),
            "quá hạn 3 ngày"
        );
        assert_eq!(
            note_text(&TaskNote::Overdue {
                days: Some((3, 10))
            }),
            "quá hạn từ 3 đến 10 ngày"
        );
        assert_eq!(note_text(&TaskNote::Overdue { days: None }), "quá hạn");
        let progress = |started, waiting| note_text(&TaskNote::InProgress { started, waiting });
        assert_eq!(progress(2, 0), "", "the heading says it");
        assert_eq!(note_text(&TaskNote::NotStarted), "");
        assert_eq!(progress(0, 1), "chưa bắt đầu");
        assert_eq!(
            progress(2, 3),
            "2 đơn vị đang thực hiện, 3 đơn vị chưa bắt đầu"
        );
        assert_eq!(note_text(&TaskNote::Pending), "");
        assert_eq!(due_text(&[]), "không nêu thời hạn");
    }

    #[test]
    fn reports_are_named_by_regime_and_period() {
        let name = |regime: &str, period: &str| ReportName {
            regime: regime.into(),
            period: period.into(),
        };
        assert_eq!(report_title(&name("Đợt I", "Đợt I")), "Đợt I");
        assert_eq!(
            report_title(&name("Hằng tháng", "Tháng 01/2025")),
            "Hằng tháng, tháng 01/2025"
        );
    }

    #[test]
    fn the_deployment_counts_and_names_the_waits() {
        let mut s = Synthesis {
            date: date(2025, 3, 10),
            plan_number: "390-KH/TU".into(),
            plan_date: Some(date(2024, 11, 19)),
            plan_issuer: "Tỉnh uỷ Cao Bằng".into(),
            ..Synthesis::default()
        };
        assert_eq!(
            deployment(&s),
            [
                "Trong phạm vi báo cáo này, Kế hoạch số 390-KH/TU ngày 19/11/2024 của Tỉnh uỷ Cao Bằng không có nhiệm vụ nào giao cho các đơn vị."
            ]
        );
        s.tasks = TaskCounts {
            tasks: 40,
            assignments: 1234,
            units: 98,
            done: 1000,
            in_progress: 200,
            not_started: 0,
            overdue: 30,
            pending: 4,
            waits_for: vec!["Đại hội XX Đảng bộ tỉnh".into()],
        };
        assert_eq!(
            deployment(&s),
            [
                "Thực hiện Kế hoạch số 390-KH/TU ngày 19/11/2024 của Tỉnh uỷ Cao Bằng, 40 nhiệm vụ trong phạm vi báo cáo đã được giao tới 98 đơn vị (1.234 lượt giao nhiệm vụ).",
                "Đến ngày 10/03/2025: 1.000 lượt nhiệm vụ đã hoàn thành; 200 đang thực hiện; 0 chưa thực hiện (chưa đến hạn); 30 quá hạn; 4 có thời hạn phụ thuộc sự kiện chưa xác định thời gian.",
                "Các sự kiện chưa có ngày mà thời hạn nhiệm vụ phụ thuộc: Đại hội XX Đảng bộ tỉnh.",
            ]
        );
    }

    #[test]
    fn the_header_is_written_in_capitals() {
        let s = Synthesis {
            superior: Some("Đảng bộ tỉnh Cao Bằng".into()),
            plan_number: "390-KH/TU".into(),
            plan_issuer: "Tỉnh uỷ Cao Bằng".into(),
            ..Synthesis::default()
        };
        let d = document(&s);
        assert_eq!(d.superior.as_deref(), Some("ĐẢNG BỘ TỈNH CAO BẰNG"));
        assert_eq!(d.issuer, "TỈNH UỶ CAO BẰNG");
        assert_eq!(d.number, "Số      -BC/TU");
        assert_eq!(d.place, "Cao Bằng");
        assert_eq!(d.scope, "toàn bộ Kế hoạch");
    }
}
