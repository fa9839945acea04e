//! An assignment as the unit page, the assignment page and the API show it.

use crate::layout::vn_text;
use dondoc_store::assignments::{self, Assignment};
use jiff::civil::Date;
use serde::Serialize;

/// An assignment as the unit page and the assignment page show it.
pub struct AssignmentView {
    pub id: i64,
    /// The plan the task belongs to (a unit's page lists every plan's).
    pub plan: String,
    pub reference: String,
    pub text: String,
    pub phrase: String,
    pub due: String,
    pub status: String,
    pub status_class: &'static str,
    pub overdue: bool,
    pub progress_note: Option<String>,
    pub evidence: Option<String>,
    pub evidence_link: Option<String>,
    pub files: Vec<(i64, String, String)>,
    pub completed_on: Option<String>,
    pub updated: Option<String>,
}

impl AssignmentView {
    pub fn new(a: &Assignment, today: Date) -> Self {
        let overdue = a.is_overdue(today);
        AssignmentView {
            id: a.assignment_id,
            plan: a.plan_number.clone(),
            reference: a.task_ref.clone(),
            text: a.task_text.clone(),
            phrase: a
                .deadline_phrase
                .clone()
                .unwrap_or_else(|| "(không nêu)".to_string()),
            due: dondoc_core::due::texts(&a.due),
            status: a.status.label().to_string(),
            status_class: match a.status {
                assignments::Status::Done => "ok",
                assignments::Status::InProgress => "warn",
                _ => "wait",
            },
            overdue,
            progress_note: a.progress_note.clone(),
            evidence: a.evidence.clone(),
            evidence_link: a.evidence_link.clone(),
            files: a
                .attachments
                .iter()
                .map(|f| {
                    (
                        f.attachment_id,
                        f.filename.clone(),
                        dondoc_core::text::size_text(u64::try_from(f.size).unwrap_or(0)),
                    )
                })
                .collect(),
            completed_on: a.completed_on.as_deref().map(vn_text),
            updated: a.updated_by.as_ref().map(|who| {
                let at = crate::layout::vn_time(&a.updated_at);
                format!("{who}, {at}")
            }),
        }
    }
}

/// An assignment as the API gives it: the stored record and what the pages
/// derive from it.
#[derive(Serialize)]
pub struct AssignmentOut {
    #[serde(flatten)]
    pub assignment: Assignment,
    pub status_label: &'static str,
    pub due_text: String,
    pub overdue: bool,
}

impl AssignmentOut {
    pub fn new(a: Assignment, today: Date) -> Self {
        AssignmentOut {
            status_label: a.status.label(),
            due_text: dondoc_core::due::texts(&a.due),
            overdue: a.is_overdue(today),
            assignment: a,
        }
    }
}
