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
    /// The figures sheet: per unit, summed over `figures_scope`.
    pub figures: Vec<FigureRow>,
    /// What the figures sheet sums, in words (`các báo cáo đợt`).
    pub figures_scope: String,
    /// Every report's figures on its own row, for the figures-by-period
    /// sheet; its columns are `period_indicators`.
    pub period_indicators: Vec<Indicator>,
    pub period_figures: Vec<PeriodFigureRow>,
}

/// One report's figures: a unit, a report and period.
#[derive(Debug, Clone, Default)]
pub struct PeriodFigureRow {
    pub unit: String,
    pub level: String,
    /// `Đợt I`, `Hằng tháng, tháng 01/2025`
    pub report: String,
    pub values: Vec<Option<i64>>,
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
