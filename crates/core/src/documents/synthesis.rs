//! The synthesis report's data: figures, counts, names, dates and lists,
//! gathered by the store for one phase or the whole plan as of one day.
//! `dondoc_export::synthesis` writes the sentences and lays out the Word
//! document; nothing here is a sentence.

use crate::due::Due;
use jiff::civil::Date;

/// Everything the report is made from.
#[derive(Debug, Clone, Default)]
pub struct Synthesis {
    /// The body above the issuer (its name as stored: `Đảng bộ tỉnh Cao
    /// Bằng`), when the issuer is a unit under another.
    pub superior: Option<String>,
    /// The day the report is made as of.
    pub date: Date,
    /// The plan reported on: its number (`390-KH/TU`, which also gives the
    /// report's symbol), day, issuer (`Tỉnh uỷ Cao Bằng`, which also gives
    /// the place when the plan names none), title, and the place it names.
    pub plan_number: String,
    pub plan_date: Option<Date>,
    pub plan_issuer: String,
    pub plan_title: String,
    pub plan_place: Option<String>,
    /// The phase reported on; `None`: the whole plan.
    pub phase: Option<PhaseScope>,
    /// What the opening sentences count.
    pub tasks: TaskCounts,
    /// Reporting rates over the scope.
    pub rates: Rates,
    /// The figures' columns.
    pub indicators: Vec<Indicator>,
    /// One row per unit that reported figures, in the unit tree's order.
    pub figures: Vec<FigureRow>,
    /// Column totals (same order as `indicators`); equal to the dashboard's.
    pub totals: Vec<i64>,
    /// Results by form of work: each form some reported figure measures.
    pub forms: Vec<FormResult>,
    /// The recurring reports' figures in the scope, period by period, when
    /// the figures above are the phase reports'. Kept apart, never added to
    /// them: a phase report restates the months it spans.
    pub periodic: Vec<PeriodicFigures>,
    pub done: Vec<TaskLine>,
    /// Started by its units (a unit recorded progress).
    pub in_progress: Vec<TaskLine>,
    /// Not due yet and not started.
    pub not_started: Vec<TaskLine>,
    pub overdue: Vec<TaskLine>,
    /// Tasks whose deadline waits on an event not yet dated.
    pub pending: Vec<TaskLine>,
    /// Reports that came in late, and expected reports that never came.
    pub late: Vec<ReportLine>,
    pub missing: Vec<ReportLine>,
    /// The units' narratives, one group per report and period.
    pub narratives: Vec<NarrativeGroup>,
    pub recipients: Vec<String>,
    pub signature: Option<Signature>,
}

/// The phase a report covers, with its days when they are known.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PhaseScope {
    /// `Đợt I`
    pub name: String,
    pub from: Option<Date>,
    pub to: Option<Date>,
    /// The plan's own words for when the phase runs (said when it has no
    /// days yet: `Từ sau Đại hội XIV của Đảng …`).
    pub phrase: String,
}

/// The assignments in the report's scope, counted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TaskCounts {
    /// Tasks with at least one assignment in scope.
    pub tasks: usize,
    /// Assignments in scope (a task given to three units counts three).
    pub assignments: usize,
    /// Units given at least one of them.
    pub units: usize,
    /// Assignments by standing.
    pub done: usize,
    pub in_progress: usize,
    pub not_started: usize,
    pub overdue: usize,
    pub pending: usize,
    /// The undated events pending deadlines wait for.
    pub waits_for: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rates {
    /// Reports owed: one per unit and period.
    pub expected: i64,
    /// Units owing at least one of them.
    pub units: i64,
    pub submitted: i64,
    pub on_time: i64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Indicator {
    pub key: String,
    pub label: String,
    pub unit: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FigureRow {
    pub unit: String,
    /// `Tỉnh`, `Huyện`, `Cơ sở` … as shown on the dashboard.
    pub level: String,
    /// One value per indicator; `None` where the unit gave no figure.
    pub values: Vec<Option<i64>>,
}

/// A recurring report's figures, one row per period that has any.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PeriodicFigures {
    /// The regime's name: `Hằng tháng`.
    pub regime: String,
    pub indicators: Vec<Indicator>,
    pub rows: Vec<PeriodRow>,
    /// Column sums over the periods (same order as `indicators`).
    pub totals: Vec<i64>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PeriodRow {
    /// `Tháng 01/2025`
    pub period: String,
    /// How many reports gave figures for the period.
    pub reports: i64,
    /// One value per indicator; `None` where no report gave one.
    pub values: Vec<Option<i64>>,
}

/// A form of work of the plan and the totals of the figures measuring it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FormResult {
    pub reference: String,
    pub title: String,
    /// (indicator, total), in the indicators' order.
    pub figures: Vec<(Indicator, i64)>,
}

/// One task and the units of it that stand alike (all done, all late …).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TaskLine {
    pub reference: String,
    pub text: String,
    /// The units, in the unit tree's order.
    pub units: Vec<String>,
    /// Every distinct due window of those units' assignments.
    pub due: Vec<Due>,
    pub note: TaskNote,
}

/// What is said of a task line beside its deadline.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum TaskNote {
    /// Done: the first and last days its units finished it, when recorded.
    Done { days: Option<(Date, Date)> },
    /// Open and not late: how many units have started, how many not yet.
    InProgress { started: usize, waiting: usize },
    /// Not due yet and no unit has started it.
    NotStarted,
    /// Late: the fewest and most days late among its units, when known.
    Overdue { days: Option<(i32, i32)> },
    /// Its deadline waits for an event not yet dated.
    #[default]
    Pending,
}

/// A report late or missing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReportLine {
    pub unit: String,
    pub report: ReportName,
    pub due: Option<Date>,
    /// The first submission's day for a late one; `None` for a missing one.
    pub submitted: Option<Date>,
}

/// A report and its period: the regime's name (`Đợt I`, `Hằng tháng`) and
/// the period's label (`Đợt I`, `Tháng 01/2025`; the regime's name again
/// for a single-deadline regime).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReportName {
    pub regime: String,
    pub period: String,
}

impl ReportName {
    /// `Đợt I`, `Hằng tháng, tháng 01/2025`: the report's name as the
    /// synthesis and the charts label it.
    pub fn title(&self) -> String {
        if self.period == self.regime {
            return self.regime.clone();
        }
        format!(
            "{}, {}",
            self.regime,
            crate::text::lower_first(&self.period)
        )
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NarrativeGroup {
    pub report: ReportName,
    /// (unit, text)
    pub items: Vec<(String, String)>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Signature {
    pub on_behalf: Option<String>,
    pub title: String,
    pub name: String,
}
