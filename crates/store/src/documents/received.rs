//! What came in: the figures of a scope, the reporting rates, the reports late or
//! missing, and the narratives.

use super::*;
use crate::dashboard::{self, PhaseSpan};
use crate::error::Result;
use crate::reports::{self, Cadence, Regime};
use dondoc_core::documents::synthesis::{
    FigureRow, FormResult, Indicator, NarrativeGroup, PeriodRow, PeriodicFigures, Rates, ReportLine,
};
use dondoc_core::plan::PlanDoc;
use jiff::civil::Date;
use sqlx::{AnyConnection, AssertSqlSafe, Row};
use std::collections::{HashMap, HashSet};

/// Figures of a scope: per unit, and the dashboard's totals.
pub(super) struct Figures {
    pub(super) indicators: Vec<Indicator>,
    /// The form of work each indicator measures (same order).
    pub(super) forms: Vec<Option<String>>,
    pub(super) rows: Vec<FigureRow>,
    pub(super) totals: Vec<i64>,
    /// Indicators some report gave a figure for.
    pub(super) reported: HashSet<String>,
}

pub(super) async fn figures(
    conn: &mut AnyConnection,
    data: &PlanData,
    sources: &[Source<'_>],
) -> Result<Figures> {
    // The indicators of the regimes covered, in their order, each once.
    let mut covered: Vec<&Regime> = Vec::new();
    for s in sources {
        if !covered
            .iter()
            .any(|g| g.reporting_id == s.regime.reporting_id)
        {
            covered.push(s.regime);
        }
    }
    if covered.is_empty() {
        covered = data.regimes.iter().collect();
    }
    let mut indicators: Vec<Indicator> = Vec::new();
    let mut forms = Vec::new();
    for i in covered.iter().flat_map(|g| g.indicators.iter()) {
        if !indicators.iter().any(|x| x.key == i.key) {
            indicators.push(Indicator {
                key: i.key.clone(),
                label: i.label.clone(),
                unit: i.unit.clone(),
            });
            forms.push(i.form.clone());
        }
    }

    // The totals are the dashboard's own sums over the same periods.
    let wanted: HashSet<(i64, &str)> = sources.iter().map(Source::key).collect();
    let mut totals: HashMap<String, i64> = HashMap::new();
    for t in dashboard::figure_totals(conn, data.plan_id, None).await? {
        if wanted.contains(&(t.reporting_id, t.period.as_str())) {
            *totals.entry(t.indicator_key).or_default() += t.total;
        }
    }

    let mut per_unit: HashMap<i64, HashMap<String, i64>> = HashMap::new();
    if !sources.is_empty() {
        // Counted as the dashboard counts: submitted and accepted reports.
        let sql = format!(
            "with scope (reporting_id, period) as (values {})
             select r.unit_id, f.indicator_key, cast(sum(f.value) as bigint) as total
             from report_figures f
             join reports r on r.report_id = f.report_id
             join scope s on s.reporting_id = r.reporting_id and s.period = r.period
             where r.status in ('submitted', 'accepted')
             group by r.unit_id, f.indicator_key",
            pair_values(sources.len())
        );
        let mut q = sqlx::query(AssertSqlSafe(sql));
        for s in sources {
            q = q.bind(s.regime.reporting_id).bind(s.period.key.clone());
        }
        for row in q.fetch_all(&mut *conn).await? {
            per_unit
                .entry(row.try_get("unit_id")?)
                .or_default()
                .insert(row.try_get("indicator_key")?, row.try_get("total")?);
        }
    }
    let mut ids: Vec<i64> = per_unit.keys().copied().collect();
    ids.sort_by_key(|id| (data.units.rank(*id), *id));
    let rows = ids
        .iter()
        .map(|id| {
            let values = &per_unit[id];
            FigureRow {
                unit: data.units.name(*id),
                level: data
                    .units
                    .get(*id)
                    .map(|u| level_label(&u.level))
                    .unwrap_or_default(),
                values: indicators
                    .iter()
                    .map(|i| values.get(&i.key).copied())
                    .collect(),
            }
        })
        .collect();
    Ok(Figures {
        totals: indicators
            .iter()
            .map(|i| totals.get(&i.key).copied().unwrap_or(0))
            .collect(),
        reported: totals.into_keys().collect(),
        indicators,
        forms,
        rows,
    })
}

/// The recurring reports' figures of a scope, period by period, when the
/// scope's own figures are the phase reports' (see the module's comment):
/// said apart rather than left out.
pub(super) async fn periodic_figures(
    conn: &mut AnyConnection,
    data: &PlanData,
    phase: Option<&PhaseSpan>,
    sources: &[Source<'_>],
    today: Date,
) -> Result<Vec<PeriodicFigures>> {
    if !sources.iter().any(|s| s.regime.cadence == Cadence::Single) {
        return Ok(Vec::new());
    }
    let mut sums: HashMap<(i64, &str, &str), (i64, i64)> = HashMap::new();
    let totals = dashboard::figure_totals(conn, data.plan_id, None).await?;
    for t in &totals {
        sums.insert(
            (t.reporting_id, t.period.as_str(), t.indicator_key.as_str()),
            (t.total, t.reports),
        );
    }
    let mut out = Vec::new();
    for g in data.regimes.iter().filter(|g| g.cadence != Cadence::Single) {
        let indicators: Vec<Indicator> = g
            .indicators
            .iter()
            .map(|i| Indicator {
                key: i.key.clone(),
                label: i.label.clone(),
                unit: i.unit.clone(),
            })
            .collect();
        let mut rows = Vec::new();
        let mut column_sums = vec![0i64; indicators.len()];
        for p in reports::periods(g, today) {
            if !ends_within(&p, phase) {
                continue;
            }
            let found: Vec<Option<(i64, i64)>> = indicators
                .iter()
                .map(|i| {
                    sums.get(&(g.reporting_id, p.key.as_str(), i.key.as_str()))
                        .copied()
                })
                .collect();
            if found.iter().all(Option::is_none) {
                continue;
            }
            for (sum, f) in column_sums.iter_mut().zip(&found) {
                *sum += f.map_or(0, |(v, _)| v);
            }
            rows.push(PeriodRow {
                period: p.label.clone(),
                reports: found.iter().flatten().map(|(_, n)| *n).max().unwrap_or(0),
                values: found.iter().map(|f| f.map(|(v, _)| v)).collect(),
            });
        }
        if !rows.is_empty() {
            out.push(PeriodicFigures {
                regime: g.name.clone(),
                indicators,
                rows,
                totals: column_sums,
            });
        }
    }
    Ok(out)
}

/// The results by form of work: each form some reported figure measures.
pub(super) fn form_results(doc: &PlanDoc, f: &Figures) -> Vec<FormResult> {
    doc.forms_of_work
        .iter()
        .filter_map(|form| {
            let figures: Vec<(Indicator, i64)> = f
                .indicators
                .iter()
                .zip(&f.forms)
                .zip(&f.totals)
                .filter(|((i, of), _)| {
                    of.as_deref() == Some(form.reference.as_str()) && f.reported.contains(&i.key)
                })
                .map(|((i, _), n)| (i.clone(), *n))
                .collect();
            (!figures.is_empty()).then(|| FormResult {
                reference: form.reference.clone(),
                title: form.title.clone(),
                figures,
            })
        })
        .collect()
}

pub(super) async fn rates(
    conn: &mut AnyConnection,
    regimes: &[Regime],
    sources: &[Source<'_>],
    today: Date,
) -> Result<Rates> {
    let mut out = Rates::default();
    if sources.is_empty() {
        return Ok(out);
    }
    let wanted: HashSet<(i64, &str)> = sources.iter().map(Source::key).collect();
    for p in dashboard::rates(conn, regimes, today, None).await? {
        if wanted.contains(&(p.reporting_id, p.period.key.as_str())) {
            out.expected += p.total.expected;
            out.submitted += p.total.submitted;
            out.on_time += p.total.on_time;
        }
    }
    // Reports are counted per unit and period; the report also says how
    // many units owe them, which is fewer as soon as a scope spans periods.
    let open: Vec<&Source> = sources.iter().filter(|s| s.period.open).collect();
    if !open.is_empty() {
        let sql = format!(
            "with periods (reporting_id, period, p_first, p_last, due_to) as (values {values})
             select count(distinct ru.unit_id) as units
             from periods p
             join reporting_units ru on ru.reporting_id = p.reporting_id
             join units u on u.unit_id = ru.unit_id
             where (u.valid_from is null or p.p_last is null or u.valid_from <= p.p_last)
               and (u.valid_to is null or p.p_first is null or u.valid_to >= p.p_first)",
            values = dashboard::period_values(open.len()),
        );
        let mut q = sqlx::query(AssertSqlSafe(sql));
        for s in &open {
            q = s.bind(q);
        }
        out.units = q.fetch_one(&mut *conn).await?.try_get("units")?;
    }
    Ok(out)
}

/// Reports that came in after their due day, and those owed whose due day
/// has passed (a report due today may still come today, as the reports
/// page says).
pub(super) async fn late_and_missing(
    conn: &mut AnyConnection,
    data: &PlanData,
    sources: &[Source<'_>],
    today: Date,
) -> Result<(Vec<ReportLine>, Vec<ReportLine>)> {
    let due: Vec<&Source> = sources
        .iter()
        .filter(|s| s.period.overdue_on(today))
        .collect();
    if due.is_empty() {
        return Ok((Vec::new(), Vec::new()));
    }
    let sql = format!(
        "with periods (reporting_id, period, p_first, p_last, due_to) as (values {values})
         select ru.unit_id, p.reporting_id, p.period, r.status, r.first_submitted_on
         from periods p
         join reporting_units ru on ru.reporting_id = p.reporting_id
         join units u on u.unit_id = ru.unit_id
         left join reports r on r.reporting_id = p.reporting_id
             and r.unit_id = ru.unit_id and r.period = p.period
         where (u.valid_from is null or p.p_last is null or u.valid_from <= p.p_last)
           and (u.valid_to is null or p.p_first is null or u.valid_to >= p.p_first)
           and (r.status is null or r.status not in ('submitted', 'accepted')
                or r.first_submitted_on > p.due_to)",
        values = dashboard::period_values(due.len()),
    );
    let mut q = sqlx::query(AssertSqlSafe(sql));
    for s in &due {
        q = s.bind(q);
    }
    let position: HashMap<(i64, &str), usize> =
        due.iter().enumerate().map(|(i, s)| (s.key(), i)).collect();
    // (period, unit rank, unit id, submitted on)
    let mut late = Vec::new();
    let mut missing = Vec::new();
    for row in q.fetch_all(&mut *conn).await? {
        let unit_id: i64 = row.try_get("unit_id")?;
        let reporting_id: i64 = row.try_get("reporting_id")?;
        let period: String = row.try_get("period")?;
        let Some(&at) = position.get(&(reporting_id, period.as_str())) else {
            continue;
        };
        let status: Option<String> = row.try_get("status")?;
        let counts = status
            .as_deref()
            .and_then(reports::Status::parse)
            .is_some_and(reports::Status::counts);
        let entry = (at, data.units.rank(unit_id), unit_id);
        if counts {
            let on: Option<String> = row.try_get("first_submitted_on")?;
            late.push((entry, on.unwrap_or_default()));
        } else {
            missing.push((entry, String::new()));
        }
    }
    let lines = |mut list: Vec<((usize, usize, i64), String)>| -> Vec<ReportLine> {
        list.sort();
        list.into_iter()
            .map(|((at, _, unit_id), on)| ReportLine {
                unit: data.units.name(unit_id),
                report: due[at].name(),
                due: parse_day(due[at].period.due_to()),
                submitted: parse_day(Some(&on)),
            })
            .collect()
    };
    Ok((lines(late), lines(missing)))
}

/// The narratives of the submitted reports, one group per period.
pub(super) async fn narratives(
    conn: &mut AnyConnection,
    data: &PlanData,
    sources: &[Source<'_>],
) -> Result<Vec<NarrativeGroup>> {
    if sources.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "with scope (reporting_id, period) as (values {})
         select r.reporting_id, r.period, r.unit_id, r.narrative
         from reports r
         join scope s on s.reporting_id = r.reporting_id and s.period = r.period
         where r.status in ('submitted', 'accepted') and r.narrative <> ''",
        pair_values(sources.len())
    );
    let mut q = sqlx::query(AssertSqlSafe(sql));
    for s in sources {
        q = q.bind(s.regime.reporting_id).bind(s.period.key.clone());
    }
    // (regime, period) → (unit rank, unit id, text)
    type Items = Vec<(usize, i64, String)>;
    let mut found: HashMap<(i64, String), Items> = HashMap::new();
    for row in q.fetch_all(&mut *conn).await? {
        let text: String = row.try_get("narrative")?;
        let text = text.trim();
        if text.is_empty() {
            continue;
        }
        let unit_id: i64 = row.try_get("unit_id")?;
        found
            .entry((row.try_get("reporting_id")?, row.try_get("period")?))
            .or_default()
            .push((data.units.rank(unit_id), unit_id, text.to_string()));
    }
    Ok(sources
        .iter()
        .filter_map(|s| {
            let mut items = found.remove(&(s.regime.reporting_id, s.period.key.clone()))?;
            items.sort();
            Some(NarrativeGroup {
                report: s.name(),
                items: items
                    .into_iter()
                    .map(|(_, id, text)| (data.units.name(id), text))
                    .collect(),
            })
        })
        .collect())
}
