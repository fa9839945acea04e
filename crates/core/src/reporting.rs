//! Reporting regimes and their periods, as pure values: how often a
//! regime asks for a report, which periods it has by a given day, each
//! period's key, label, due window and the days a unit must have lived in to
//! owe it.
//!
//! - A regime whose rule recurs ("hằng tháng") has one period per month (or
//!   quarter, half-year, year), from the plan's month up to the one holding
//!   today; each period's due day is its rule resolved for that period.
//! - Any other regime (the phase reports) has one period, [`SINGLE_PERIOD`],
//!   due when the regime's window in the due index says; while that window
//!   waits for an undated event, nobody owes the report yet.
//!
//! The store reads regimes from the database (`dondoc_store::reports`);
//! everything computed from them lives here.

use crate::deadline::{self, Calendar, Context, Every, Rule, Shape};
use crate::due::{Due, DueState};
use crate::plan::Indicator;
use crate::text::roman;
use jiff::ToSpan;
use jiff::civil::{Date, date};
use serde::Serialize;

/// The key of the one period of a single-deadline regime.
pub const SINGLE_PERIOD: &str = "dot";
/// A bound on the periods of a recurring regime (a plan dated decades ago
/// must not make a page list thousands of months).
pub const MAX_PERIODS: usize = 240;

/// How often a regime asks for a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Cadence {
    Monthly,
    Quarterly,
    HalfYearly,
    Yearly,
    /// One report, one deadline.
    Single,
}

/// A reporting regime of a plan ("Hằng tháng", "Đợt I" …).
#[derive(Debug, Clone, Serialize)]
pub struct Regime {
    pub reporting_id: i64,
    pub plan_id: i64,
    pub name: String,
    pub deadline_phrase: Option<String>,
    pub recipient: Option<String>,
    pub content: Option<String>,
    pub cadence: Cadence,
    pub indicators: Vec<Indicator>,
    #[serde(skip)]
    pub rule: Option<Rule>,
    /// The regime's windows as the due index holds them (kept fresh when an
    /// event moves); what a single-deadline period is due by.
    #[serde(skip)]
    pub due: Vec<Due>,
    /// The plan's date of issue: recurring periods start from its month.
    #[serde(skip)]
    pub plan_date: Date,
}

impl Regime {
    pub fn indicator(&self, key: &str) -> Option<&Indicator> {
        self.indicators.iter().find(|i| i.key == key)
    }
}

/// One period of a regime.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Period {
    /// `2025-03`, `2025-Q1`, `2025-H1`, `2025` or [`SINGLE_PERIOD`].
    pub key: String,
    /// In words: "Tháng 03/2025", "Quý I/2025", "Đợt I".
    pub label: String,
    /// The days a unit must have existed in to owe the report (inclusive,
    /// `None` open). For a single deadline: the due window, or the due day
    /// itself when the window has no start, since a unit dissolved before
    /// a report falls due cannot owe it (its successors do).
    pub first_day: Option<String>,
    pub last_day: Option<String>,
    pub due: Due,
    /// Whether reports are owed at all: false while the due window waits
    /// for an undated event.
    pub open: bool,
}

impl Period {
    /// The last day a first submission counts as on time (`None`: no limit).
    pub fn due_to(&self) -> Option<&str> {
        self.due.to.as_deref()
    }

    /// Whether a report first submitted on `day` (YYYY-MM-DD) is late.
    pub fn is_late(&self, day: &str) -> bool {
        self.due_to().is_some_and(|to| day > to)
    }

    /// Whether the due day has passed on `today`.
    pub fn overdue_on(&self, today: Date) -> bool {
        self.open
            && self
                .due_to()
                .is_some_and(|to| to < today.to_string().as_str())
    }
}

/// The cadence a regime's rule gives: a recurring rule by its step, any
/// other rule (or none) one report.
pub fn cadence_of(rule: Option<&Rule>) -> Cadence {
    match rule.map(|r| &r.shape) {
        Some(Shape::Recurring { every, .. }) => match every {
            Every::Month => Cadence::Monthly,
            Every::Quarter => Cadence::Quarterly,
            Every::HalfYear => Cadence::HalfYearly,
            Every::Year => Cadence::Yearly,
            // Daily or weekly written reports are not a thing plans ask
            // for; such a rule is kept as one open-ended report.
            Every::Day | Every::Week => Cadence::Single,
        },
        _ => Cadence::Single,
    }
}

/// The first day of the period of `cadence` that holds `d`.
pub fn first_of_period(cadence: Cadence, d: Date) -> Date {
    let m = d.month();
    let start_month = match cadence {
        Cadence::Monthly => m,
        Cadence::Quarterly => (m - 1) / 3 * 3 + 1,
        Cadence::HalfYearly => (m - 1) / 6 * 6 + 1,
        Cadence::Yearly | Cadence::Single => 1,
    };
    date(d.year(), start_month, 1)
}

/// How many months one period of `cadence` spans.
pub fn months_of(cadence: Cadence) -> i32 {
    match cadence {
        Cadence::Monthly => 1,
        Cadence::Quarterly => 3,
        Cadence::HalfYearly => 6,
        Cadence::Yearly | Cadence::Single => 12,
    }
}

/// A recurring period's key and label.
pub fn key_and_label(cadence: Cadence, start: Date) -> (String, String) {
    let (y, m) = (start.year(), start.month());
    match cadence {
        Cadence::Monthly => (format!("{y:04}-{m:02}"), format!("Tháng {m:02}/{y}")),
        Cadence::Quarterly => {
            let q = (m - 1) / 3 + 1;
            (
                format!("{y:04}-Q{q}"),
                format!("Quý {}/{y}", roman(q as u32)),
            )
        }
        Cadence::HalfYearly if m <= 6 => (format!("{y:04}-H1"), format!("6 tháng đầu năm {y}")),
        Cadence::HalfYearly => (format!("{y:04}-H2"), format!("6 tháng cuối năm {y}")),
        Cadence::Yearly | Cadence::Single => (format!("{y:04}"), format!("Năm {y}")),
    }
}

/// A period's label from its key alone (`2025-03` → `Tháng 03/2025`), for
/// texts written where the regime is not at hand; the key itself when it
/// is none of the recurring shapes (a single-deadline period).
pub fn label_of_key(key: &str) -> Option<String> {
    let (y, rest) = key.split_once('-').unwrap_or((key, ""));
    let y: i16 = y.parse().ok().filter(|y| (1900..=2999).contains(y))?;
    let (cadence, month) = match rest {
        "" => (Cadence::Yearly, 1),
        "H1" => (Cadence::HalfYearly, 1),
        "H2" => (Cadence::HalfYearly, 7),
        q if q.starts_with('Q') => (Cadence::Quarterly, (q[1..].parse::<i8>().ok()? - 1) * 3 + 1),
        m => (Cadence::Monthly, m.parse::<i8>().ok()?),
    };
    let start = Date::new(y, month, 1).ok()?;
    let (k, label) = key_and_label(cadence, start);
    (k == key).then_some(label)
}

/// The periods of a regime that have started by `today`, oldest first.
pub fn periods(regime: &Regime, today: Date) -> Vec<Period> {
    match regime.cadence {
        Cadence::Single => vec![single_period(regime)],
        cadence => recurring_periods(regime, cadence, today),
    }
}

/// The one period of a single-deadline regime.
pub fn single_period(regime: &Regime) -> Period {
    // A list rule gives several windows; the report is due by the last.
    let due = regime
        .due
        .iter()
        .max_by(|a, b| a.to.cmp(&b.to))
        .cloned()
        .unwrap_or_else(deadline::no_rule);
    let open = due.state != DueState::Pending;
    Period {
        key: SINGLE_PERIOD.to_string(),
        label: regime.name.clone(),
        first_day: due.from.clone().or_else(|| due.to.clone()),
        last_day: due.to.clone(),
        due,
        open,
    }
}

/// The periods of a recurring regime from the plan's month to the one
/// holding `today` (at most [`MAX_PERIODS`]).
pub fn recurring_periods(regime: &Regime, cadence: Cadence, today: Date) -> Vec<Period> {
    // Recurring rules depend on no event: an empty calendar resolves them.
    let calendar = Calendar::new(Vec::new());
    let step = months_of(cadence).months();
    let mut start = first_of_period(cadence, regime.plan_date);
    let mut out = Vec::new();
    while start <= today && out.len() < MAX_PERIODS {
        let Ok(next) = start.checked_add(step) else {
            break;
        };
        let last = next.yesterday().unwrap_or(next);
        // The occurrence of the rule that starts with this period: the
        // resolver's own notion of its due day.
        let ctx = Context::new(&calendar, regime.plan_date, start, None);
        let due = regime
            .rule
            .as_ref()
            .and_then(|r| deadline::resolve(r, &ctx).into_iter().next())
            .unwrap_or_else(deadline::no_rule);
        let (key, label) = key_and_label(cadence, start);
        out.push(Period {
            key,
            label,
            first_day: Some(start.to_string()),
            last_day: Some(last.to_string()),
            due,
            open: true,
        });
        start = next;
    }
    out
}

/// The period of a regime with this key, if it has started by `today`.
pub fn find_period(regime: &Regime, key: &str, today: Date) -> Option<Period> {
    periods(regime, today).into_iter().find(|p| p.key == key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_gives_back_its_label() {
        assert_eq!(label_of_key("2025-03").as_deref(), Some("Tháng 03/2025"));
        assert_eq!(label_of_key("2025-Q4").as_deref(), Some("Quý IV/2025"));
        assert_eq!(
            label_of_key("2025-H2").as_deref(),
            Some("6 tháng cuối năm 2025")
        );
        assert_eq!(label_of_key("2025").as_deref(), Some("Năm 2025"));
        for not in [SINGLE_PERIOD, "2025-13", "2025-Q5", "x-03", ""] {
            assert_eq!(label_of_key(not), None, "{not}");
        }
    }

    fn regime(rule: &str, plan_date: Date) -> Regime {
        let rule: Rule = serde_json::from_str(rule).unwrap();
        Regime {
            reporting_id: 1,
            plan_id: 1,
            name: "Hằng tháng".into(),
            deadline_phrase: None,
            recipient: None,
            content: None,
            cadence: cadence_of(Some(&rule)),
            indicators: Vec::new(),
            rule: Some(rule),
            due: Vec::new(),
            plan_date,
        }
    }

    #[test]
    fn monthly_periods_run_from_the_plan_month_to_today() {
        let regime = regime(
            r#"{"kind":"recurring","every":"month"}"#,
            date(2024, 11, 19),
        );
        let ps = periods(&regime, date(2025, 3, 10));
        let keys: Vec<_> = ps.iter().map(|p| p.key.as_str()).collect();
        assert_eq!(
            keys,
            ["2024-11", "2024-12", "2025-01", "2025-02", "2025-03"]
        );
        assert_eq!(ps[4].label, "Tháng 03/2025");
        assert_eq!(ps[4].due_to(), Some("2025-03-31"));
        assert_eq!(ps[1].first_day.as_deref(), Some("2024-12-01"));
        assert_eq!(ps[1].last_day.as_deref(), Some("2024-12-31"));
        assert!(ps[4].is_late("2025-04-01"));
        assert!(!ps[4].is_late("2025-03-31"));
        assert!(ps[3].overdue_on(date(2025, 3, 10)));
        assert!(!ps[4].overdue_on(date(2025, 3, 10)));
        assert_eq!(
            find_period(&regime, "2025-02", date(2025, 3, 10)).map(|p| p.label),
            Some("Tháng 02/2025".to_string())
        );
        assert_eq!(find_period(&regime, "2025-04", date(2025, 3, 10)), None);
    }

    #[test]
    fn quarters_and_halves_are_named_the_vietnamese_way() {
        assert_eq!(
            key_and_label(Cadence::Quarterly, date(2025, 4, 1)),
            ("2025-Q2".to_string(), "Quý II/2025".to_string())
        );
        assert_eq!(
            key_and_label(Cadence::HalfYearly, date(2025, 7, 1)),
            ("2025-H2".to_string(), "6 tháng cuối năm 2025".to_string())
        );
        assert_eq!(
            first_of_period(Cadence::Quarterly, date(2025, 5, 20)),
            date(2025, 4, 1)
        );
        assert_eq!(
            first_of_period(Cadence::HalfYearly, date(2025, 5, 20)),
            date(2025, 1, 1)
        );
    }

    #[test]
    fn a_single_regime_waiting_for_an_event_is_not_open() {
        let mut r = regime(
            r#"{"kind":"recurring","every":"month"}"#,
            date(2024, 11, 19),
        );
        r.cadence = Cadence::Single;
        r.name = "Đợt V".into();
        let p = single_period(&r);
        assert_eq!(p.key, SINGLE_PERIOD);
        assert_eq!(p.label, "Đợt V");
        assert_eq!(periods(&r, date(2025, 3, 10)), vec![p]);
    }
}
