//! The tracking workbook's data.

use super::*;
use crate::assignments;
use crate::error::Result;
use crate::reports::Cadence;
use dondoc_core::documents::synthesis::Indicator;
use dondoc_core::documents::tracking::{
    AssignmentRow, PeriodCol, PeriodFigureRow, ReportCell, ReportingRow, Tracking,
};
use dondoc_core::due::DueState;
use jiff::civil::Date;
use sqlx::{AnyConnection, Row};
use std::collections::{HashMap, HashSet};

/// The tracking workbook of a plan as of `today`.
pub async fn tracking(
    conn: &mut AnyConnection,
    plan: Option<&crate::plans::PlanKey>,
    today: Date,
) -> Result<Tracking> {
    let data = plan_data(conn, plan).await?;
    let mut list = assignments::of_plan(conn, data.plan_id).await?;
    // Task order first (as read), then the unit tree's.
    let task_rank: HashMap<String, usize> = list
        .iter()
        .enumerate()
        .rev()
        .map(|(i, a)| (a.task_ref.clone(), i))
        .collect();
    list.sort_by_key(|a| {
        (
            task_rank[&a.task_ref],
            data.units.rank(a.unit_id),
            a.unit_id,
        )
    });
    let assignments = list
        .iter()
        .map(|a| AssignmentRow {
            reference: a.task_ref.clone(),
            unit: a.unit_name.clone(),
            task: a.task_text.clone(),
            phrase: a.deadline_phrase.clone().unwrap_or_default(),
            due: a.due.clone(),
            due_date: a
                .due
                .iter()
                .filter(|d| d.state == DueState::Resolved)
                .filter_map(|d| parse_day(d.to.as_deref()))
                .max(),
            status: a.status.label().to_string(),
            overdue: a.is_overdue(today),
            done_on: parse_day(a.completed_on.as_deref()),
            evidence: a.evidence.iter().chain(&a.evidence_link).cloned().collect(),
            files: a.attachments.iter().map(|f| f.filename.clone()).collect(),
        })
        .collect();

    let columns: Vec<Source> = data
        .regimes
        .iter()
        .flat_map(|g| periods_of(g, today))
        .collect();
    let mut reporters: HashSet<(i64, i64)> = HashSet::new();
    for row in sqlx::query(
        "select ru.reporting_id, ru.unit_id from reporting_units ru
         join reporting g on g.reporting_id = ru.reporting_id where g.plan_id = $1",
    )
    .bind(data.plan_id)
    .fetch_all(&mut *conn)
    .await?
    {
        reporters.insert((row.try_get("reporting_id")?, row.try_get("unit_id")?));
    }
    let mut sent: HashMap<(i64, i64, String), String> = HashMap::new();
    for row in sqlx::query(
        "select r.reporting_id, r.unit_id, r.period, r.first_submitted_on from reports r
         join reporting g on g.reporting_id = r.reporting_id
         where g.plan_id = $1 and r.status in ('submitted', 'accepted')",
    )
    .bind(data.plan_id)
    .fetch_all(&mut *conn)
    .await?
    {
        let on: Option<String> = row.try_get("first_submitted_on")?;
        sent.insert(
            (
                row.try_get("reporting_id")?,
                row.try_get("unit_id")?,
                row.try_get("period")?,
            ),
            on.unwrap_or_default(),
        );
    }
    let reporting = data
        .units
        .rows
        .iter()
        .filter(|u| reporters.iter().any(|(_, id)| *id == u.unit_id))
        .filter_map(|u| data.units.life(u.unit_id))
        .map(|life| ReportingRow {
            unit: life.name.clone(),
            cells: columns
                .iter()
                .map(|c| {
                    let owes = reporters.contains(&(c.regime.reporting_id, life.unit_id))
                        && c.period.open
                        && life.lives_during(&c.period);
                    if !owes {
                        return ReportCell::NotExpected;
                    }
                    let key = (c.regime.reporting_id, life.unit_id, c.period.key.clone());
                    match sent.get(&key).map(|on| (on.parse::<Date>().ok(), on)) {
                        Some((Some(d), on)) if c.period.is_late(on) => ReportCell::Late(d),
                        Some((Some(d), _)) => ReportCell::OnTime(d),
                        _ => ReportCell::Missing,
                    }
                })
                .collect(),
        })
        .collect();
    let periods = columns
        .iter()
        .map(|c| PeriodCol {
            report: c.regime.name.clone(),
            period: c.period.label.clone(),
            due: if c.period.open {
                parse_day(c.period.due_to())
            } else {
                None
            },
        })
        .collect();

    let whole = sources(&data.regimes, None, today);
    let figures = figures(conn, &data, &whole).await?;
    let figures_scope = if whole.iter().any(|s| s.regime.cadence == Cadence::Single) {
        "các báo cáo đợt"
    } else {
        "mọi kỳ báo cáo"
    };
    let (period_indicators, period_figures) = every_report(conn, &data, &columns).await?;
    Ok(Tracking {
        plan_number: data.doc.number.clone(),
        plan_title: data.doc.title.clone(),
        today,
        assignments,
        periods,
        reporting,
        indicators: figures.indicators,
        figures: figures.rows,
        figures_scope: figures_scope.to_string(),
        period_indicators,
        period_figures,
    })
}

/// Every submitted report's figures, one row each, in the unit tree's
/// order and then the reports' (the columns of the reporting sheet); the
/// columns are every regime's indicators, each once.
async fn every_report(
    conn: &mut AnyConnection,
    data: &PlanData,
    columns: &[Source<'_>],
) -> Result<(Vec<Indicator>, Vec<PeriodFigureRow>)> {
    let mut indicators: Vec<Indicator> = Vec::new();
    for i in data.regimes.iter().flat_map(|g| &g.indicators) {
        if !indicators.iter().any(|x| x.key == i.key) {
            indicators.push(Indicator {
                key: i.key.clone(),
                label: i.label.clone(),
                unit: i.unit.clone(),
            });
        }
    }
    let position: HashMap<(i64, &str), usize> = columns
        .iter()
        .enumerate()
        .map(|(i, c)| (c.key(), i))
        .collect();
    let mut found: HashMap<(i64, usize), HashMap<String, i64>> = HashMap::new();
    for row in sqlx::query(
        "select r.unit_id, r.reporting_id, r.period, f.indicator_key, f.value
         from report_figures f
         join reports r on r.report_id = f.report_id
         join reporting g on g.reporting_id = r.reporting_id
         where g.plan_id = $1 and r.status in ('submitted', 'accepted')",
    )
    .bind(data.plan_id)
    .fetch_all(&mut *conn)
    .await?
    {
        let period: String = row.try_get("period")?;
        let Some(&at) = position.get(&(row.try_get("reporting_id")?, period.as_str())) else {
            continue;
        };
        found
            .entry((row.try_get("unit_id")?, at))
            .or_default()
            .insert(row.try_get("indicator_key")?, row.try_get("value")?);
    }
    let mut keys: Vec<(i64, usize)> = found.keys().copied().collect();
    keys.sort_by_key(|(unit, at)| (data.units.rank(*unit), *unit, *at));
    let rows = keys
        .into_iter()
        .map(|(unit, at)| {
            let values = &found[&(unit, at)];
            PeriodFigureRow {
                unit: data.units.name(unit),
                level: data
                    .units
                    .get(unit)
                    .map(|u| level_label(&u.level))
                    .unwrap_or_default(),
                report: columns[at].name().title(),
                values: indicators
                    .iter()
                    .map(|i| values.get(&i.key).copied())
                    .collect(),
            }
        })
        .collect();
    Ok((indicators, rows))
}
