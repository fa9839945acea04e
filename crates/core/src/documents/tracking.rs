//! The tracking workbook's data: every assignment, every report owed and
//! the figures per unit (written as XLSX by `dondoc_export::tracking`).

use super::synthesis::{FigureRow, Indicator};
use crate::due::Due;
use jiff::civil::Date;

#[derive(Debug, Clone, Default)]
pub struct Tracking {
    pub plan_number: String,
    pub plan_title: String,
    pub today: Date,
    pub assignments: Vec<AssignmentRow>,
    /// Column headings of the reporting sheet: one per (report, period).
    pub periods: Vec<PeriodCol>,
    pub reporting: Vec<ReportingRow>,
    pub indicators: Vec<Indicator>,
    pub figures: Vec<FigureRow>,
}

#[derive(Debug, Clone, Default)]
pub struct AssignmentRow {
    pub reference: String,
    pub unit: String,
    pub task: String,
    pub phrase: String,
    /// Every due window of the assignment (none: the plan gave no deadline).
    pub due: Vec<Due>,
    /// The window's last day, when there is one (for sorting and filters).
    pub due_date: Option<Date>,
    /// The status's name as the unit pages show it: `Chưa bắt đầu`,
    /// `Đang thực hiện`, `Hoàn thành`, `Huỷ`.
    pub status: String,
    /// Still open and past its window on the workbook's day.
    pub overdue: bool,
    pub done_on: Option<Date>,
    /// What the unit gave as evidence: its note and its link, each if any.
    pub evidence: Vec<String>,
    /// The names of the files attached as evidence.
    pub files: Vec<String>,
}

#[derive(Debug, Clone, Default)]
pub struct PeriodCol {
    pub report: String,
    pub period: String,
    pub due: Option<Date>,
}

#[derive(Debug, Clone, Default)]
pub struct ReportingRow {
    pub unit: String,
    /// One cell per `periods` column.
    pub cells: Vec<ReportCell>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum ReportCell {
    /// Not expected of this unit in this period.
    #[default]
    NotExpected,
    Missing,
    OnTime(Date),
    Late(Date),
}
