//! The dashboard's charts' data, and the fingerprint that says when
//! they change.

use super::*;
use crate::assignments;
use crate::dashboard;
use crate::error::Result;
use crate::reports::{self, Cadence};
use dondoc_core::documents::charts::{FigureBars, RateSeries, Timeline};
use dondoc_core::due::DueState;
use jiff::civil::Date;
use sqlx::{AnyConnection, AssertSqlSafe, Row};
use std::collections::{BTreeMap, HashMap, HashSet};

/// The phases that have both their days, the deadlines of the tasks and of
/// the phase reports, and today.
pub async fn timeline(
    conn: &mut AnyConnection,
    plan: Option<&crate::plans::PlanKey>,
    today: Date,
) -> Result<Timeline> {
    let data = plan_data(conn, plan).await?;
    let phases = data
        .phases
        .iter()
        .filter_map(|p| {
            Some((
                p.name.clone(),
                parse_day(p.from.as_deref())?,
                parse_day(p.to.as_deref())?,
            ))
        })
        .collect();
    // Tasks due on each day, in task order.
    let mut by_day: BTreeMap<Date, Vec<String>> = BTreeMap::new();
    for a in assignments::of_plan(conn, data.plan_id).await? {
        for d in a.due.iter().filter(|d| d.state == DueState::Resolved) {
            if let Some(day) = parse_day(d.to.as_deref()) {
                let refs = by_day.entry(day).or_default();
                if !refs.contains(&a.task_ref) {
                    refs.push(a.task_ref.clone());
                }
            }
        }
    }
    let mut deadlines: Vec<(String, Date)> = by_day
        .into_iter()
        .map(|(day, refs)| {
            let shown = refs.iter().take(3).cloned().collect::<Vec<_>>().join(", ");
            let label = if refs.len() > 3 {
                format!("{shown} và {} nhiệm vụ khác", refs.len() - 3)
            } else {
                shown
            };
            (label, day)
        })
        .collect();
    for g in data.regimes.iter().filter(|g| g.cadence == Cadence::Single) {
        for p in reports::periods(g, today).iter().filter(|p| p.open) {
            if let Some(day) = parse_day(p.due_to()) {
                deadlines.push((format!("Hạn báo cáo {}", g.name), day));
            }
        }
    }
    deadlines.sort_by(|a, b| a.1.cmp(&b.1).then_with(|| a.0.cmp(&b.0)));
    Ok(Timeline {
        phases,
        deadlines,
        today,
    })
}

/// The reporting rate (submitted of expected) of each level of units over
/// every period reports are owed for, in order of due day.
pub async fn rate_series(
    conn: &mut AnyConnection,
    plan: Option<&crate::plans::PlanKey>,
    today: Date,
) -> Result<RateSeries> {
    let data = plan_data(conn, plan).await?;
    let mut columns: Vec<Source> = data
        .regimes
        .iter()
        .flat_map(|g| periods_of(g, today))
        .filter(|s| s.period.open)
        .collect();
    // Undated periods (none are owed without a due day) go last.
    columns.sort_by(|a, b| {
        (a.period.due_to().is_none(), a.period.due_to())
            .cmp(&(b.period.due_to().is_none(), b.period.due_to()))
    });
    let mut counts: HashMap<(String, i64, String), (i64, i64)> = HashMap::new();
    if !columns.is_empty() {
        // As the dashboard counts (`dashboard::rates`), grouped by level.
        let sql = format!(
            "with periods (reporting_id, period, p_first, p_last, due_to) as (values {values})
             select u.level, p.reporting_id, p.period, count(*) as expected,
                    coalesce(sum(case when r.status in ('submitted', 'accepted') then 1 else 0 end), 0)
                        as submitted
             from periods p
             join reporting_units ru on ru.reporting_id = p.reporting_id
             join units u on u.unit_id = ru.unit_id
             left join reports r on r.reporting_id = p.reporting_id
                 and r.unit_id = ru.unit_id and r.period = p.period
             where (u.valid_from is null or p.p_last is null or u.valid_from <= p.p_last)
               and (u.valid_to is null or p.p_first is null or u.valid_to >= p.p_first)
             group by u.level, p.reporting_id, p.period",
            values = dashboard::period_values(columns.len()),
        );
        let mut q = sqlx::query(AssertSqlSafe(sql));
        for s in &columns {
            q = s.bind(q);
        }
        for row in q.fetch_all(&mut *conn).await? {
            counts.insert(
                (
                    row.try_get("level")?,
                    row.try_get("reporting_id")?,
                    row.try_get("period")?,
                ),
                (row.try_get("expected")?, row.try_get("submitted")?),
            );
        }
    }
    // Levels in the order the unit tree first shows them.
    let mut levels: Vec<&str> = Vec::new();
    for u in &data.units.rows {
        if !levels.contains(&u.level.as_str()) && counts.keys().any(|(l, _, _)| *l == u.level) {
            levels.push(&u.level);
        }
    }
    let series = levels
        .iter()
        .map(|level| {
            let rates = columns
                .iter()
                .map(|s| {
                    let key = (
                        level.to_string(),
                        s.regime.reporting_id,
                        s.period.key.clone(),
                    );
                    match counts.get(&key) {
                        Some(&(expected, submitted)) if expected > 0 => {
                            Some(submitted as f64 / expected as f64)
                        }
                        _ => None,
                    }
                })
                .collect();
            (level_label(level), rates)
        })
        .collect();
    Ok(RateSeries {
        periods: columns.iter().map(|c| c.name().title()).collect(),
        series,
    })
}

/// The totals of each indicator some report gave a figure for, per phase,
/// each phase covering what its synthesis report covers.
pub async fn figure_bars(
    conn: &mut AnyConnection,
    plan: Option<&crate::plans::PlanKey>,
    today: Date,
) -> Result<FigureBars> {
    let data = plan_data(conn, plan).await?;
    let totals = dashboard::figure_totals(conn, data.plan_id, None).await?;
    let mut per_phase: Vec<HashMap<&str, i64>> = Vec::new();
    for p in &data.phases {
        let wanted: HashSet<(i64, String)> = sources(&data.regimes, Some(p), today)
            .iter()
            .map(|s| (s.regime.reporting_id, s.period.key.clone()))
            .collect();
        let mut sums: HashMap<&str, i64> = HashMap::new();
        for t in totals
            .iter()
            .filter(|t| wanted.contains(&(t.reporting_id, t.period.clone())))
        {
            *sums.entry(t.indicator_key.as_str()).or_default() += t.total;
        }
        per_phase.push(sums);
    }
    let mut series: Vec<(String, Vec<i64>)> = Vec::new();
    let mut seen: HashSet<&str> = HashSet::new();
    for i in data.regimes.iter().flat_map(|g| g.indicators.iter()) {
        if !seen.insert(i.key.as_str()) || !per_phase.iter().any(|s| s.contains_key(i.key.as_str()))
        {
            continue;
        }
        series.push((
            i.label.clone(),
            per_phase
                .iter()
                .map(|s| s.get(i.key.as_str()).copied().unwrap_or(0))
                .collect(),
        ));
    }
    Ok(FigureBars {
        phases: data.phases.iter().map(|p| p.name.clone()).collect(),
        series,
    })
}

/// A fingerprint of the data the charts read: reports (each save bumps its
/// version), event and deadline moves (`dates_version`), units and plans.
pub async fn charts_version(conn: &mut AnyConnection) -> Result<String> {
    let row = sqlx::query(
        "select (select count(*) from reports) as reports,
                (select cast(coalesce(sum(version), 0) as bigint) from reports) as saves,
                (select cast(coalesce(sum(dates_version), 0) as bigint) from events) as events,
                (select cast(coalesce(sum(dates_version), 0) as bigint) from assignments) as deadlines,
                (select count(*) from units) as units,
                (select count(*) from plans) as plans",
    )
    .fetch_one(&mut *conn)
    .await?;
    let mut parts = Vec::with_capacity(6);
    for column in ["reports", "saves", "events", "deadlines", "units", "plans"] {
        parts.push(row.try_get::<i64, _>(column)?.to_string());
    }
    Ok(parts.join("/"))
}
