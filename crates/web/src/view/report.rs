//! A report as lists, forms, the overview and the API mark it: where it
//! stands, whether it came in time, when it is due.

use crate::layout::vn_text;
use dondoc_store::reports::{Period, ReportKey, Status};
use jiff::civil::Date;

/// A status mark shown beside a report.
pub struct Badge {
    pub class: &'static str,
    pub text: &'static str,
}

/// The marks of a report: where it stands, and whether it came in time.
pub fn badges(
    status: Option<Status>,
    first_on: Option<&str>,
    period: &Period,
    today: Date,
) -> Vec<Badge> {
    let mut out = Vec::new();
    let (class, text) = match status {
        None => ("wait", "chưa nộp"),
        Some(Status::Draft) => ("wait", "nháp"),
        Some(Status::Submitted) => ("ok", "đã nộp"),
        Some(Status::Accepted) => ("ok", "đã duyệt"),
        Some(Status::Returned) => ("warn", "bị trả lại"),
    };
    out.push(Badge { class, text });
    match first_on {
        // Timeliness is the first submission's, whatever happened after.
        Some(day) if period.is_late(day) => out.push(Badge {
            class: "late",
            text: "nộp muộn",
        }),
        Some(_) => out.push(Badge {
            class: "ok",
            text: "đúng hạn",
        }),
        None if period.overdue_on(today) => out.push(Badge {
            class: "late",
            text: "quá hạn",
        }),
        None => {}
    }
    out
}

/// A period's due day in words.
pub fn due_text(period: &Period) -> String {
    if !period.open {
        return period.due.waiting_text();
    }
    match period.due_to() {
        Some(to) => vn_text(to),
        None => "không định hạn".to_string(),
    }
}

/// The report form's address.
pub fn form_url(key: &ReportKey) -> String {
    format!(
        "/bao-cao/{}/{}/{}",
        key.reporting_id, key.period, key.unit_id
    )
}
