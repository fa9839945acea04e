//! The data of the dashboard's charts (drawn as SVG by
//! `dondoc_export::charts`).

use jiff::civil::Date;

/// The phase timeline: phases as bars over the plan's span, deadlines as
/// ticks, today as a line.
#[derive(Debug, Clone, Default)]
pub struct Timeline {
    pub phases: Vec<(String, Date, Date)>,
    /// (label, day)
    pub deadlines: Vec<(String, Date)>,
    pub today: Date,
}

/// Reporting rate by level over the periods: one series per level.
#[derive(Debug, Clone, Default)]
pub struct RateSeries {
    pub periods: Vec<String>,
    /// (level, one rate per period in 0..=1, `None` where nothing was expected)
    pub series: Vec<(String, Vec<Option<f64>>)>,
}

/// Figures by phase: one group of bars per phase, one bar per indicator.
#[derive(Debug, Clone, Default)]
pub struct FigureBars {
    pub phases: Vec<String>,
    /// (indicator label, one total per phase)
    pub series: Vec<(String, Vec<i64>)>,
}
