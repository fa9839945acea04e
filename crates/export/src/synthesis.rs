//! The synthesis report (báo cáo tổng hợp) as a Word document in the
//! Party's document format (Hướng dẫn 36-HD/VPTW): header block, title,
//! body from the figures and the tasks, recipients and signature.

use jiff::civil::Date;

/// Everything the report says, gathered by the store for one phase or the
/// whole plan, as of one day.
#[derive(Debug, Clone, Default)]
pub struct Synthesis {
    /// The body above the issuer in the header (`ĐẢNG BỘ TỈNH CAO BẰNG`), if any.
    pub superior: Option<String>,
    /// The issuing body, as the header writes it (`TỈNH UỶ CAO BẰNG`, `BAN TUYÊN GIÁO`).
    pub issuer: String,
    /// The report's own number, e.g. `Số    -BC/TU` (left blank for the clerk when unknown).
    pub number: String,
    pub place: String,
    pub date: Date,
    /// The plan reported on.
    pub plan_number: String,
    pub plan_date: Option<Date>,
    pub plan_issuer: String,
    pub plan_title: String,
    /// What the report covers: `Đợt I (từ ngày 19/11/2024 đến ngày 31/12/2024)` or `toàn bộ Kế hoạch`.
    pub scope: String,
    /// Sentences on how the plan was deployed, made from the data.
    pub deployment: Vec<String>,
    /// Reporting rates over the scope.
    pub rates: Rates,
    /// The figures' columns.
    pub indicators: Vec<Indicator>,
    /// One row per unit that reported figures, in the unit tree's order.
    pub figures: Vec<FigureRow>,
    /// Column totals (same order as `indicators`); equal to the dashboard's.
    pub totals: Vec<i64>,
    /// Results by form of work: the form's title and its indicators' totals in words.
    pub forms: Vec<FormResult>,
    pub done: Vec<TaskLine>,
    pub in_progress: Vec<TaskLine>,
    pub overdue: Vec<TaskLine>,
    /// Tasks whose deadline waits on an event not yet dated.
    pub pending: Vec<TaskLine>,
    /// Reports that came in late, and expected reports that never came.
    pub late: Vec<ReportLine>,
    pub missing: Vec<ReportLine>,
    /// The units' narratives, grouped by topic (the report they belong to).
    pub narratives: Vec<NarrativeGroup>,
    pub recipients: Vec<String>,
    pub signature: Option<Signature>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rates {
    pub expected: i64,
    pub submitted: i64,
    pub on_time: i64,
}

#[derive(Debug, Clone, Default)]
pub struct Indicator {
    pub key: String,
    pub label: String,
    pub unit: String,
}

#[derive(Debug, Clone, Default)]
pub struct FigureRow {
    pub unit: String,
    /// `Tỉnh`, `Huyện`, `Cơ sở` … as shown on the dashboard.
    pub level: String,
    /// One value per indicator; `None` where the unit gave no figure.
    pub values: Vec<Option<i64>>,
}

#[derive(Debug, Clone, Default)]
pub struct FormResult {
    pub reference: String,
    pub title: String,
    /// `1.234 tin, bài trên báo chí` …
    pub lines: Vec<String>,
}

#[derive(Debug, Clone, Default)]
pub struct TaskLine {
    pub reference: String,
    pub text: String,
    /// The units, as one string (`Ban Tuyên giáo Tỉnh uỷ; Văn phòng Tỉnh uỷ`).
    pub units: String,
    /// The due window in words (`trước ngày 05/02/2025`, `chờ ngày Đại hội XX …`).
    pub due: String,
    /// Done on, or days overdue, in words.
    pub note: String,
}

#[derive(Debug, Clone, Default)]
pub struct ReportLine {
    pub unit: String,
    /// The report and period (`Đợt I`, `Hằng tháng 01/2025`).
    pub report: String,
    /// `05/02/2025`
    pub due: String,
    /// `07/02/2025` for a late one; empty for a missing one.
    pub submitted: String,
}

#[derive(Debug, Clone, Default)]
pub struct NarrativeGroup {
    pub topic: String,
    /// (unit, text)
    pub items: Vec<(String, String)>,
}

#[derive(Debug, Clone, Default)]
pub struct Signature {
    pub on_behalf: Option<String>,
    pub title: String,
    pub name: String,
}
