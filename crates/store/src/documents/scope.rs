//! Phases, and which periods of which regimes a report covers.

use crate::dashboard::PhaseSpan;
use crate::error::{Result, StoreError};
use crate::reports::{self, Cadence, Period, Regime};
use dondoc_core::documents::synthesis::ReportName;
use dondoc_core::text::{name_key, roman};
use jiff::civil::Date;

/// A phase name without the word "Đợt", Arabic numbers as Roman ones:
/// `Đợt I`, `đợt i`, `I` and `1` are one phase.
pub(super) fn phase_key(s: &str) -> String {
    let key = name_key(s);
    let prefix = format!("{} ", name_key("Đợt"));
    let rest = key.strip_prefix(&prefix).unwrap_or(&key).trim();
    match rest.parse::<usize>() {
        Ok(n) if (1..100).contains(&n) => roman(n as u32).to_lowercase(),
        _ => rest.to_string(),
    }
}

pub(super) fn find_phase<'a>(
    phases: &'a [PhaseSpan],
    asked: &str,
    plan_number: &str,
) -> Result<&'a PhaseSpan> {
    if let Some(p) = phases.iter().find(|p| name_key(&p.name) == name_key(asked)) {
        return Ok(p);
    }
    let key = phase_key(asked);
    let hits: Vec<&PhaseSpan> = phases
        .iter()
        .filter(|p| phase_key(&p.name) == key)
        .collect();
    if let [one] = hits.as_slice() {
        return Ok(one);
    }
    let known = if phases.is_empty() {
        "kế hoạch này không chia đợt".to_string()
    } else {
        format!(
            "các đợt của kế hoạch: {}",
            phases
                .iter()
                .map(|p| p.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    Err(StoreError::Invalid(format!(
        "kế hoạch số {plan_number} không có đợt «{asked}»; {known}"
    )))
}

/// One period of one regime.
pub(super) struct Source<'a> {
    pub(super) regime: &'a Regime,
    pub(super) period: Period,
}

impl Source<'_> {
    pub(super) fn key(&self) -> (i64, &str) {
        (self.regime.reporting_id, self.period.key.as_str())
    }

    /// Binds the five values of this source's row in a `periods` list
    /// (`dashboard::period_values`): regime, period key, first and last
    /// day, due day.
    pub(super) fn bind<'q>(
        &self,
        q: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments>,
    ) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments> {
        q.bind(self.regime.reporting_id)
            .bind(self.period.key.clone())
            .bind(self.period.first_day.clone())
            .bind(self.period.last_day.clone())
            .bind(self.period.due.to.clone())
    }

    /// The report and period, as the synthesis names them.
    pub(super) fn name(&self) -> ReportName {
        ReportName {
            regime: self.regime.name.clone(),
            period: self.period.label.clone(),
        }
    }
}

pub(super) fn periods_of(regime: &Regime, today: Date) -> impl Iterator<Item = Source<'_>> {
    reports::periods(regime, today)
        .into_iter()
        .map(move |period| Source { regime, period })
}

/// The periods a report covers (see the module's comment).
pub(super) fn sources<'a>(
    regimes: &'a [Regime],
    phase: Option<&PhaseSpan>,
    today: Date,
) -> Vec<Source<'a>> {
    let single = |g: &&Regime| g.cadence == Cadence::Single;
    let recurring = |g: &&Regime| g.cadence != Cadence::Single;
    let Some(phase) = phase else {
        return if regimes.iter().any(|g| single(&g)) {
            regimes
                .iter()
                .filter(single)
                .flat_map(|g| periods_of(g, today))
                .collect()
        } else {
            regimes.iter().flat_map(|g| periods_of(g, today)).collect()
        };
    };
    let own: Vec<Source> = regimes
        .iter()
        .filter(single)
        .filter(|g| phase_key(&g.name) == phase_key(&phase.name))
        .flat_map(|g| periods_of(g, today))
        .collect();
    if !own.is_empty() {
        return own;
    }
    regimes
        .iter()
        .filter(recurring)
        .flat_map(|g| periods_of(g, today))
        .filter(|s| ends_within(&s.period, Some(phase)))
        .collect()
}

/// Whether a recurring period belongs to a phase: its last day falls in the
/// phase's window. Every period belongs to the whole plan (`None`); none to
/// a phase still waiting for an event, which has no days yet.
pub(super) fn ends_within(period: &Period, phase: Option<&PhaseSpan>) -> bool {
    let Some(phase) = phase else {
        return true;
    };
    let (from, to) = (phase.from.as_deref(), phase.to.as_deref());
    if from.is_none() && to.is_none() {
        return false;
    }
    period
        .last_day
        .as_deref()
        .is_some_and(|last| from.is_none_or(|f| last >= f) && to.is_none_or(|t| last <= t))
}

/// `(cast($k as bigint), cast($k+1 as text)), …`: the (regime, period)
/// pairs of a scope as a `values` table, numbered from `$1`.
pub(super) fn pair_values(count: usize) -> String {
    (0..count)
        .map(|i| {
            format!(
                "(cast(${} as bigint), cast(${} as text))",
                2 * i + 1,
                2 * i + 2
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phases_are_named_with_or_without_the_word() {
        assert_eq!(phase_key("Đợt I"), "i");
        assert_eq!(phase_key("đợt i"), "i");
        assert_eq!(phase_key("ĐỢT IV"), "iv");
        assert_eq!(phase_key("I"), "i");
        assert_eq!(phase_key("Đợt 4"), "iv");
        assert_eq!(phase_key("19"), "xix");
    }
}
