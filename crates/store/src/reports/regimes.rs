//! A plan's reporting regimes read from the database (the periods they
//! have are computed in `dondoc_core::reporting`), and the per-process
//! cache of them.

use crate::error::{Result, StoreError};
use dondoc_core::deadline::Rule;
use dondoc_core::due::Due;
use dondoc_core::plan::Indicator;
use dondoc_core::text::today_in_vietnam;
use jiff::civil::Date;
use sqlx::{AnyConnection, Row};
use std::collections::HashMap;

use dondoc_core::reporting::cadence_of;
pub use dondoc_core::reporting::{Cadence, Period, Regime, SINGLE_PERIOD, find_period, periods};

pub(super) fn plan_date_of(issued: Option<String>) -> Result<Date> {
    match issued {
        Some(s) => s
            .parse()
            .map_err(|_| StoreError::Corrupt(format!("ngày ban hành «{s}»"))),
        // A plan without a date: periods start from this month in Vietnam.
        None => Ok(today_in_vietnam()),
    }
}

/// Every regime of a plan, with indicators and due windows (three queries).
pub async fn regimes(conn: &mut AnyConnection, plan_id: i64) -> Result<Vec<Regime>> {
    let issued: Option<String> = sqlx::query("select issued_on from plans where plan_id = $1")
        .bind(plan_id)
        .fetch_optional(&mut *conn)
        .await?
        .map(|r| r.try_get("issued_on"))
        .transpose()?
        .flatten();
    let plan_date = plan_date_of(issued)?;
    let mut indicators: HashMap<i64, Vec<Indicator>> = HashMap::new();
    for row in sqlx::query(
        "select i.reporting_id, i.key, i.label, i.unit, i.form_ref from indicators i
         join reporting r on r.reporting_id = i.reporting_id
         where r.plan_id = $1 order by i.reporting_id, i.position",
    )
    .bind(plan_id)
    .fetch_all(&mut *conn)
    .await?
    {
        indicators
            .entry(row.try_get("reporting_id")?)
            .or_default()
            .push(Indicator {
                key: row.try_get("key")?,
                label: row.try_get("label")?,
                unit: row.try_get("unit")?,
                form: row.try_get("form_ref")?,
            });
    }
    let mut dues: HashMap<i64, Vec<Due>> = HashMap::new();
    for row in sqlx::query(
        "select w.owner_id, w.from_date, w.to_date, w.state, w.waits_for, w.event_label, w.anchor
         from due_windows w join reporting r on r.reporting_id = w.owner_id
         where w.owner = 'reporting' and r.plan_id = $1 order by w.owner_id, w.seq",
    )
    .bind(plan_id)
    .fetch_all(&mut *conn)
    .await?
    {
        dues.entry(row.try_get("owner_id")?)
            .or_default()
            .push(crate::due_index::due_from_row(&row)?);
    }
    sqlx::query(
        "select reporting_id, name, deadline_phrase, rule_json, recipient, content
         from reporting where plan_id = $1 order by position",
    )
    .bind(plan_id)
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|row| {
        let id: i64 = row.try_get("reporting_id")?;
        let rule: Option<String> = row.try_get("rule_json")?;
        let rule: Option<Rule> = rule.map(|r| serde_json::from_str(&r)).transpose()?;
        Ok(Regime {
            reporting_id: id,
            plan_id,
            name: row.try_get("name")?,
            deadline_phrase: row.try_get("deadline_phrase")?,
            recipient: row.try_get("recipient")?,
            content: row.try_get("content")?,
            cadence: cadence_of(rule.as_ref()),
            indicators: indicators.remove(&id).unwrap_or_default(),
            due: dues.remove(&id).unwrap_or_default(),
            rule,
            plan_date,
        })
    })
    .collect()
}

/// One regime by id, or `None`.
pub async fn regime(conn: &mut AnyConnection, reporting_id: i64) -> Result<Option<Regime>> {
    let plan_id: Option<i64> = sqlx::query("select plan_id from reporting where reporting_id = $1")
        .bind(reporting_id)
        .fetch_optional(&mut *conn)
        .await?
        .map(|r| r.try_get("plan_id"))
        .transpose()?;
    let Some(plan_id) = plan_id else {
        return Ok(None);
    };
    Ok(regimes(conn, plan_id)
        .await?
        .into_iter()
        .find(|r| r.reporting_id == reporting_id))
}

/// Regimes as this process last read them, each with the `regime_version`
/// it was read at.
#[derive(Default)]
pub struct RegimeCache(
    std::sync::Mutex<HashMap<i64, (i64, Regime)>>,
    std::sync::Mutex<HashMap<i64, (i64, Vec<Regime>)>>,
);

impl RegimeCache {
    pub(super) fn get_plan(&self, plan_id: i64, version: i64) -> Option<Vec<Regime>> {
        let map = self.1.lock().ok()?;
        map.get(&plan_id)
            .filter(|(v, _)| *v == version)
            .map(|(_, r)| r.clone())
    }

    pub(super) fn put_plan(&self, plan_id: i64, version: i64, r: Vec<Regime>) {
        if let Ok(mut map) = self.1.lock() {
            map.insert(plan_id, (version, r));
        }
    }

    pub(super) fn get(&self, id: i64, version: i64) -> Option<Regime> {
        let map = self.0.lock().ok()?;
        map.get(&id)
            .filter(|(v, _)| *v == version)
            .map(|(_, r)| r.clone())
    }

    pub(super) fn put(&self, id: i64, version: i64, r: Regime) {
        if let Ok(mut map) = self.0.lock() {
            map.insert(id, (version, r));
        }
    }
}

pub(super) async fn regime_version(conn: &mut AnyConnection) -> Result<i64> {
    Ok(sqlx::query("select n from regime_version where id = 1")
        .fetch_one(&mut *conn)
        .await?
        .try_get("n")?)
}

/// Every regime of a plan, from the per-process cache while
/// `regime_version` has not moved (see `regime_cached`).
pub async fn regimes_cached(
    store: &crate::Store,
    conn: &mut AnyConnection,
    plan_id: i64,
) -> Result<Vec<Regime>> {
    let version = regime_version(conn).await?;
    if let Some(r) = store.regime_cache().get_plan(plan_id, version) {
        return Ok(r);
    }
    let r = regimes(conn, plan_id).await?;
    store.regime_cache().put_plan(plan_id, version, r.clone());
    Ok(r)
}

/// A regime as this process last read it, while `regime_version` says it
/// has not changed since (one small query instead of four).
pub async fn regime_cached(
    store: &crate::Store,
    conn: &mut AnyConnection,
    reporting_id: i64,
) -> Result<Option<Regime>> {
    let version = regime_version(conn).await?;
    if let Some(r) = store.regime_cache().get(reporting_id, version) {
        return Ok(Some(r));
    }
    let r = regime(conn, reporting_id).await?;
    if let Some(r) = &r {
        store.regime_cache().put(reporting_id, version, r.clone());
    }
    Ok(r)
}
