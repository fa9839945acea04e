//! Lists of reports: those of a plan, what a unit owes, who has not sent
//! a period's report.

use super::*;
use crate::error::{Result, StoreError};
use jiff::civil::Date;
use serde::Serialize;
use sqlx::{AnyConnection, Row};
use std::collections::HashMap;

/// A report in a list, with what it needs to be shown.
#[derive(Debug, Clone, Serialize)]
pub struct ReportRow {
    pub report_id: i64,
    pub reporting_id: i64,
    pub regime: String,
    pub period: String,
    pub unit_id: i64,
    pub unit_name: String,
    pub status: Status,
    pub first_submitted_on: Option<String>,
    pub submitted_at: Option<String>,
    pub version: i64,
}

/// Which reports a list shows.
#[derive(Debug, Clone, Default)]
pub struct ListFilter {
    pub reporting_id: Option<i64>,
    pub period: Option<String>,
    /// `None`: every status but drafts (a draft is the unit's own business).
    pub status: Option<Status>,
    /// Only this unit and the units under it.
    pub within: Option<i64>,
    pub limit: i64,
}

/// Reports of a plan, newest submission first.
pub async fn list(
    conn: &mut AnyConnection,
    plan_id: i64,
    filter: &ListFilter,
) -> Result<Vec<ReportRow>> {
    // Fixed fragments only; every value is bound.
    let mut sql = String::from(
        "select r.report_id, r.reporting_id, g.name as regime, r.period, r.unit_id,
                u.name as unit_name, r.status, r.first_submitted_on, r.submitted_at, r.version
         from reports r join reporting g on g.reporting_id = r.reporting_id
         join units u on u.unit_id = r.unit_id",
    );
    if filter.within.is_some() {
        sql.push_str(" join unit_closure c on c.descendant_id = r.unit_id and c.ancestor_id = $2");
    }
    sql.push_str(" where g.plan_id = $1");
    let mut n = if filter.within.is_some() { 2 } else { 1 };
    let mut next = || {
        n += 1;
        n
    };
    if filter.reporting_id.is_some() {
        sql.push_str(&format!(" and r.reporting_id = ${}", next()));
    }
    if filter.period.is_some() {
        sql.push_str(&format!(" and r.period = ${}", next()));
    }
    match filter.status {
        Some(_) => sql.push_str(&format!(" and r.status = ${}", next())),
        None => sql.push_str(" and r.status <> 'draft'"),
    }
    sql.push_str(&format!(
        " order by r.submitted_at desc, u.name, r.report_id limit ${}",
        next()
    ));
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(plan_id);
    if let Some(w) = filter.within {
        q = q.bind(w);
    }
    if let Some(r) = filter.reporting_id {
        q = q.bind(r);
    }
    if let Some(p) = &filter.period {
        q = q.bind(p.clone());
    }
    if let Some(s) = filter.status {
        q = q.bind(s.as_str());
    }
    q.bind(filter.limit.clamp(1, 5000))
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(|r| {
            let status: String = r.try_get("status")?;
            Ok(ReportRow {
                report_id: r.try_get("report_id")?,
                reporting_id: r.try_get("reporting_id")?,
                regime: r.try_get("regime")?,
                period: r.try_get("period")?,
                unit_id: r.try_get("unit_id")?,
                unit_name: r.try_get("unit_name")?,
                status: Status::parse(&status)
                    .ok_or_else(|| StoreError::Corrupt(format!("trạng thái «{status}»")))?,
                first_submitted_on: r.try_get("first_submitted_on")?,
                submitted_at: r.try_get("submitted_at")?,
                version: r.try_get("version")?,
            })
        })
        .collect()
}

/// A report a unit owes, and what it has done about it.
#[derive(Debug, Clone, Serialize)]
pub struct Owed {
    pub reporting_id: i64,
    pub regime: String,
    pub period: Period,
    pub status: Option<Status>,
    pub first_submitted_on: Option<String>,
    pub version: Option<i64>,
}

/// What one unit owes under a plan, regime by regime, oldest period first
/// (one unit: its few periods are checked here, not in SQL).
pub async fn owed(
    conn: &mut AnyConnection,
    regimes: &[Regime],
    unit_id: i64,
    today: Date,
) -> Result<Vec<Owed>> {
    let Some(unit) = unit(conn, unit_id).await? else {
        return Ok(Vec::new());
    };
    let mine: Vec<i64> = sqlx::query("select reporting_id from reporting_units where unit_id = $1")
        .bind(unit_id)
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(|r| r.try_get("reporting_id"))
        .collect::<std::result::Result<_, _>>()?;
    let mut done: HashMap<(i64, String), (Status, Option<String>, i64)> = HashMap::new();
    for r in sqlx::query(
        "select reporting_id, period, status, first_submitted_on, version from reports where unit_id = $1",
    )
    .bind(unit_id)
    .fetch_all(&mut *conn)
    .await?
    {
        let status: String = r.try_get("status")?;
        let Some(status) = Status::parse(&status) else {
            continue;
        };
        done.insert(
            (r.try_get("reporting_id")?, r.try_get("period")?),
            (status, r.try_get("first_submitted_on")?, r.try_get("version")?),
        );
    }
    let mut out = Vec::new();
    for regime in regimes.iter().filter(|g| mine.contains(&g.reporting_id)) {
        for period in periods(regime, today) {
            // A report not owed yet is listed (the unit should know it is
            // coming), unless the unit has an end: whether it lives to owe a
            // report waiting for an undated event is not known until the
            // event is dated, and then the report is listed if it does. One
            // the unit did not live to owe is not listed.
            let ends = unit.valid_to.is_some();
            if (period.open && !unit.lives_during(&period)) || (!period.open && ends) {
                continue;
            }
            let d = done.remove(&(regime.reporting_id, period.key.clone()));
            out.push(Owed {
                reporting_id: regime.reporting_id,
                regime: regime.name.clone(),
                status: d.as_ref().map(|d| d.0),
                first_submitted_on: d.as_ref().and_then(|d| d.1.clone()),
                version: d.map(|d| d.2),
                period,
            });
        }
    }
    Ok(out)
}

/// The units that owe a period's report and have not submitted it (status
/// neither submitted nor accepted), within a part of the unit tree.
pub async fn missing(
    conn: &mut AnyConnection,
    regime: &Regime,
    period: &Period,
    within: Option<i64>,
) -> Result<Vec<(i64, String)>> {
    if !period.open {
        return Ok(Vec::new());
    }
    let mut sql = String::from(
        "select u.unit_id, u.name from reporting_units ru join units u on u.unit_id = ru.unit_id",
    );
    if within.is_some() {
        sql.push_str(" join unit_closure c on c.descendant_id = u.unit_id and c.ancestor_id = $5");
    }
    sql.push_str(
        " left join reports r on r.reporting_id = ru.reporting_id and r.unit_id = ru.unit_id
             and r.period = $2
         where ru.reporting_id = $1
           and (r.status is null or r.status not in ('submitted', 'accepted'))
           and (u.valid_from is null or cast($4 as text) is null or u.valid_from <= $4)
           and (u.valid_to is null or cast($3 as text) is null or u.valid_to >= $3)
         order by u.name",
    );
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(regime.reporting_id)
        .bind(period.key.clone())
        .bind(period.first_day.clone())
        .bind(period.last_day.clone());
    if let Some(w) = within {
        q = q.bind(w);
    }
    let mut out: Vec<(i64, String)> = q
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(|r| Ok((r.try_get("unit_id")?, r.try_get("name")?)))
        .collect::<Result<_>>()?;
    // In Vietnamese order (SQL compares bytes: "Bảo Lâm" before "Bảo Lạc").
    dondoc_core::text::sort_vn(&mut out, |(_, name)| name);
    Ok(out)
}
