//! The data of the documents dondoc writes — the synthesis report, the
//! tracking workbook, a unit's calendar feed, the dashboard's charts —
//! gathered from the database as of one day, in the shapes of
//! `dondoc_core::documents`: figures, counts, names, dates and lists, no
//! sentences (`dondoc_export` writes the words and lays them out). Counts
//! come from the queries the dashboard and the unit pages use, so that a
//! document never disagrees with the screen.
//!
//! Here: what every document starts from (the plan, the unit tree); in
//! `scope` which periods a report covers, in `received` the figures, rates,
//! late and missing reports and narratives, in `tasks` the assignments by
//! standing; then one module per document (`synthesis`, `tracking`,
//! `feed`, `charts`).
//!
//! What a report covers:
//!
//! - **a phase**: the plan's own report for that phase (the regime named
//!   like it, "Đợt I") when the plan has one; otherwise the periods of the
//!   recurring regimes whose last day falls in the phase's window;
//! - **the whole plan**: the phase reports when the plan has any, otherwise
//!   every period of the recurring regimes.
//!
//! The two kinds of report are never added together: a phase report
//! restates the months it spans, and adding both would count each article
//! twice. Tasks are taken per assignment: in a phase, those whose dated
//! window meets the phase's window, and those with no dated window at all
//! (continuous work, or a deadline still waiting for an event), which run
//! through every phase.

mod charts;
mod feed;
mod received;
mod scope;
mod synthesis;
mod tasks;
mod tracking;

pub use charts::*;
pub use feed::*;
use received::*;
use scope::*;
pub use synthesis::*;
use tasks::*;
pub use tracking::*;

use crate::dashboard::{self, PhaseSpan};
use crate::error::Result;
use crate::plans;
use crate::reports::{self, Regime, UnitLife};
use crate::units::{self, UnitRow};
use dondoc_core::plan::PlanDoc;
use dondoc_core::text::clip;
use jiff::civil::Date;
use sqlx::{AnyConnection, Row};
use std::collections::{HashMap, HashSet};

// ---------------------------------------------------------------------------
// What every document starts from

/// A plan as the documents need it.
struct PlanData {
    plan_id: i64,
    /// The plan's body: number, issuer, date, title, place, forms of work,
    /// recipients, signature (the tracked parts are read from their tables).
    doc: PlanDoc,
    regimes: Vec<Regime>,
    /// The phases with their windows as the due index holds them.
    phases: Vec<PhaseSpan>,
    units: Units,
}

async fn plan_data(conn: &mut AnyConnection, number: Option<&plans::PlanKey>) -> Result<PlanData> {
    let (plan_id, _) = plans::choose(conn, number).await?;
    let body: String = sqlx::query("select body_json from plans where plan_id = $1")
        .bind(plan_id)
        .fetch_one(&mut *conn)
        .await?
        .try_get("body_json")?;
    let doc: PlanDoc = serde_json::from_str(&body)?;
    let regimes = reports::regimes(conn, plan_id).await?;
    let phases = dashboard::phases(conn, plan_id).await?;
    let units = Units::new(units::rows(conn).await?);
    Ok(PlanData {
        plan_id,
        doc,
        regimes,
        phases,
        units,
    })
}

/// The number and issuer of a plan (the one named, or the only one): who
/// may take its whole-plan documents depends on the issuer.
pub async fn plan_issuer(
    conn: &mut AnyConnection,
    number: Option<&plans::PlanKey>,
) -> Result<(String, String)> {
    let (plan_id, number) = plans::choose(conn, number).await?;
    let issuer: String = sqlx::query("select issuer from plans where plan_id = $1")
        .bind(plan_id)
        .fetch_one(&mut *conn)
        .await?
        .try_get("issuer")?;
    Ok((number, issuer))
}

/// Every unit in the unit tree's order: each unit followed by those under
/// it, siblings in the order they were stored (the plan's own order).
struct Units {
    rows: Vec<UnitRow>,
    rank: HashMap<i64, usize>,
}

impl Units {
    fn new(all: Vec<UnitRow>) -> Units {
        let ids: HashSet<i64> = all.iter().map(|u| u.unit_id).collect();
        let mut children: HashMap<Option<i64>, Vec<usize>> = HashMap::new();
        for (i, u) in all.iter().enumerate() {
            let parent = u.parent_id.filter(|p| ids.contains(p));
            children.entry(parent).or_default().push(i);
        }
        let mut order = Vec::with_capacity(all.len());
        let mut seen = vec![false; all.len()];
        let mut stack: Vec<usize> = children
            .get(&None)
            .map(|c| c.iter().rev().copied().collect())
            .unwrap_or_default();
        while let Some(i) = stack.pop() {
            if std::mem::replace(&mut seen[i], true) {
                continue;
            }
            order.push(i);
            if let Some(c) = children.get(&Some(all[i].unit_id)) {
                stack.extend(c.iter().rev());
            }
        }
        // Units on a cycle of parents are not reached from a root; they are
        // still units, listed last.
        order.extend((0..all.len()).filter(|&i| !seen[i]));
        let mut slots: Vec<Option<UnitRow>> = all.into_iter().map(Some).collect();
        let rows: Vec<UnitRow> = order.iter().filter_map(|&i| slots[i].take()).collect();
        let rank = rows
            .iter()
            .enumerate()
            .map(|(i, u)| (u.unit_id, i))
            .collect();
        Units { rows, rank }
    }

    fn rank(&self, id: i64) -> usize {
        self.rank.get(&id).copied().unwrap_or(usize::MAX)
    }

    fn get(&self, id: i64) -> Option<&UnitRow> {
        self.rank.get(&id).map(|&i| &self.rows[i])
    }

    fn name(&self, id: i64) -> String {
        self.get(id)
            .map(|u| u.name.clone())
            .unwrap_or_else(|| format!("đơn vị số {id}"))
    }

    fn life(&self, id: i64) -> Option<UnitLife> {
        self.get(id).map(|u| UnitLife {
            unit_id: u.unit_id,
            name: u.name.clone(),
            valid_from: u.valid_from.clone(),
            valid_to: u.valid_to.clone(),
        })
    }
}

/// A unit's level in words, for the figures table: `Tỉnh`, `Huyện` …
pub fn level_label(level: &str) -> String {
    match level {
        "central" => "Trung ương",
        "province" => "Tỉnh",
        "district" => "Huyện",
        "commune" | "grassroots" => "Cơ sở",
        other => other,
    }
    .to_string()
}

fn parse_day(s: Option<&str>) -> Option<Date> {
    s.and_then(|s| s.parse().ok())
}
