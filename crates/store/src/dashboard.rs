//! The overview of a plan's execution, computed by grouped SQL so that it
//! costs the same handful of queries for forty units or forty thousand:
//!
//! - reporting rates (expected / submitted / on time) per regime and period,
//!   rolled up the unit tree through `unit_closure`: one row per child of the
//!   chosen unit with its whole subtree's counts;
//! - assignments overdue or falling due soon, by unit, from the due index;
//! - figures totalled per indicator and period;
//! - the phases with their windows, for the timeline.
//!
//! The periods a regime has are worked out in Rust (a few dozen at most) and
//! handed to SQL as a `values` table; units are never looped over in Rust.

use crate::error::Result;
use crate::reports::{Period, Regime, periods};
use dondoc_core::due::DueState;
use serde::Serialize;
use serde_json::Value;
use sqlx::{AnyConnection, Row};
use std::collections::HashMap;

/// How many reports a set of units owes for a period, and has sent.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub expected: i64,
    /// Submitted or accepted; one per unit and period however often edited.
    pub submitted: i64,
    /// Of those, first submitted on or before the period's due day as it
    /// resolves now.
    pub on_time: i64,
}

impl Counts {
    fn add(&mut self, o: Counts) {
        self.expected += o.expected;
        self.submitted += o.submitted;
        self.on_time += o.on_time;
    }
}

/// One child unit's subtree (or the chosen unit's own report).
#[derive(Debug, Clone, Serialize)]
pub struct UnitCounts {
    pub unit_id: i64,
    pub unit_name: String,
    /// The chosen unit itself, not a subtree under it.
    pub own: bool,
    pub counts: Counts,
}

/// A period of a regime with its counts.
#[derive(Debug, Clone, Serialize)]
pub struct PeriodRates {
    pub reporting_id: i64,
    pub regime: String,
    pub period: Period,
    pub total: Counts,
    pub by_unit: Vec<UnitCounts>,
}

/// The `values` rows of the periods table, five bound values each: regime
/// id, period key, first day, last day, due day.
pub(crate) fn period_values(count: usize) -> String {
    (0..count)
        .map(|i| {
            let b = i * 5;
            format!(
                "(cast(${} as bigint), cast(${} as text), cast(${} as text), cast(${} as text), cast(${} as text))",
                b + 1,
                b + 2,
                b + 3,
                b + 4,
                b + 5
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The groups a roll-up is made of: each child of the chosen unit with its
/// subtree, plus the chosen unit alone; or, with no unit chosen, each root
/// of the tree with its subtree.
fn groups_cte(within_param: Option<usize>) -> String {
    match within_param {
        Some(n) => format!(
            "groups (top, unit_id) as (
                 select c.ancestor_id, c.descendant_id from unit_closure c
                 join units t on t.unit_id = c.ancestor_id where t.parent_id = ${n}
                 union all
                 select u.unit_id, u.unit_id from units u where u.unit_id = ${n})"
        ),
        None => "groups (top, unit_id) as (
                 select c.ancestor_id, c.descendant_id from unit_closure c
                 join units t on t.unit_id = c.ancestor_id where t.parent_id is null)"
            .to_string(),
    }
}

/// Reporting rates of every regime's periods (as of `today`), within the
/// chosen unit's subtree (`None`: everything), by child unit.
pub async fn rates(
    conn: &mut AnyConnection,
    regimes: &[Regime],
    today: jiff::civil::Date,
    within: Option<i64>,
) -> Result<Vec<PeriodRates>> {
    let all: Vec<(&Regime, Period)> = regimes
        .iter()
        .flat_map(|g| periods(g, today).into_iter().map(move |p| (g, p)))
        .collect();
    let open: Vec<&(&Regime, Period)> = all.iter().filter(|(_, p)| p.open).collect();
    let mut found: HashMap<(i64, String), Vec<UnitCounts>> = HashMap::new();
    if !open.is_empty() {
        let within_param = within.map(|_| open.len() * 5 + 1);
        // Built from fixed fragments and numbered placeholders only.
        let sql = format!(
            "with periods (reporting_id, period, p_first, p_last, due_to) as (values {values}),
             {groups}
             select g.top, tu.name as top_name, p.reporting_id, p.period,
                    count(*) as expected,
                    coalesce(sum(case when r.status in ('submitted', 'accepted') then 1 else 0 end), 0)
                        as submitted,
                    coalesce(sum(case when r.status in ('submitted', 'accepted')
                        and (p.due_to is null or r.first_submitted_on <= p.due_to)
                        then 1 else 0 end), 0) as on_time
             from periods p
             join reporting_units ru on ru.reporting_id = p.reporting_id
             join units u on u.unit_id = ru.unit_id
             join groups g on g.unit_id = ru.unit_id
             join units tu on tu.unit_id = g.top
             left join reports r on r.reporting_id = p.reporting_id
                 and r.unit_id = ru.unit_id and r.period = p.period
             where (u.valid_from is null or p.p_last is null or u.valid_from <= p.p_last)
               and (u.valid_to is null or p.p_first is null or u.valid_to >= p.p_first)
             group by g.top, tu.name, p.reporting_id, p.period
             order by tu.name, g.top",
            values = period_values(open.len()),
            groups = groups_cte(within_param),
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for (g, p) in &open {
            q = q
                .bind(g.reporting_id)
                .bind(p.key.clone())
                .bind(p.first_day.clone())
                .bind(p.last_day.clone())
                .bind(p.due.to.clone());
        }
        if let Some(w) = within {
            q = q.bind(w);
        }
        for row in q.fetch_all(&mut *conn).await? {
            let top: i64 = row.try_get("top")?;
            found
                .entry((row.try_get("reporting_id")?, row.try_get("period")?))
                .or_default()
                .push(UnitCounts {
                    unit_id: top,
                    unit_name: row.try_get("top_name")?,
                    own: within == Some(top),
                    counts: Counts {
                        expected: row.try_get("expected")?,
                        submitted: row.try_get("submitted")?,
                        on_time: row.try_get("on_time")?,
                    },
                });
        }
    }
    Ok(all
        .into_iter()
        .map(|(g, p)| {
            let mut by_unit = found
                .remove(&(g.reporting_id, p.key.clone()))
                .unwrap_or_default();
            // The chosen unit's own report first, then its children by name.
            by_unit.sort_by_cached_key(|u| (!u.own, dondoc_core::text::vn_order(&u.unit_name)));
            let mut total = Counts::default();
            for u in &by_unit {
                total.add(u.counts);
            }
            PeriodRates {
                reporting_id: g.reporting_id,
                regime: g.name.clone(),
                period: p,
                total,
                by_unit,
            }
        })
        .collect())
}

/// A task of an assignment, with the due day that put it in a list.
#[derive(Debug, Clone, Serialize)]
pub struct TaskDue {
    pub assignment_id: i64,
    pub task_ref: String,
    /// The task's words (the list shows their start).
    pub task_text: String,
    pub due: String,
}

/// A unit's assignments in a list (overdue, or due soon).
#[derive(Debug, Clone, Serialize)]
pub struct UnitTasks {
    pub unit_id: i64,
    pub unit_name: String,
    pub count: i64,
    /// The first few, earliest due first.
    pub first: Vec<TaskDue>,
}

/// Open assignments (neither done nor cancelled) with a resolved window
/// ending between `from` and `to` (YYYY-MM-DD, inclusive), by unit, most
/// first; each with its first `few` tasks.
pub async fn assignments_due(
    conn: &mut AnyConnection,
    plan_id: i64,
    within: Option<i64>,
    from: &str,
    to: &str,
    few: i64,
) -> Result<Vec<UnitTasks>> {
    let scope = if within.is_some() {
        "join unit_closure c on c.descendant_id = a.unit_id and c.ancestor_id = $5"
    } else {
        ""
    };
    let sql = format!(
        "select unit_id, unit_name, assignment_id, task_ref, task_text, due, n from (
             select a.unit_id, u.name as unit_name, a.assignment_id, t.ref as task_ref,
                    t.text as task_text, x.due,
                    row_number() over (partition by a.unit_id order by x.due, t.position) as rn,
                    count(*) over (partition by a.unit_id) as n
             from (select w.owner_id, min(w.to_date) as due from due_windows w
                   where w.owner = 'assignment' and w.state = 'resolved'
                     and w.to_date >= $2 and w.to_date <= $3
                   group by w.owner_id) x
             join assignments a on a.assignment_id = x.owner_id
             join tasks t on t.task_id = a.task_id
             join units u on u.unit_id = a.unit_id
             {scope}
             where t.plan_id = $1 and a.status not in ('done', 'cancelled')
               -- A unit that no longer exists on the due day owes nothing:
               -- its work passed to its successors.
               and (u.valid_to is null or x.due <= u.valid_to)
         ) y where rn <= $4
         order by n desc, unit_name, unit_id, due, task_ref"
    );
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(plan_id)
        .bind(from)
        .bind(to)
        .bind(few);
    if let Some(w) = within {
        q = q.bind(w);
    }
    let mut out: Vec<UnitTasks> = Vec::new();
    for row in q.fetch_all(&mut *conn).await? {
        let unit_id: i64 = row.try_get("unit_id")?;
        let task = TaskDue {
            assignment_id: row.try_get("assignment_id")?,
            task_ref: row.try_get("task_ref")?,
            task_text: row.try_get("task_text")?,
            due: row.try_get("due")?,
        };
        match out.last_mut() {
            Some(last) if last.unit_id == unit_id => last.first.push(task),
            _ => out.push(UnitTasks {
                unit_id,
                unit_name: row.try_get("unit_name")?,
                count: row.try_get("n")?,
                first: vec![task],
            }),
        }
    }
    // Most open tasks first; a tie in Vietnamese order (SQL compares bytes).
    out.sort_by_cached_key(|u| {
        (
            std::cmp::Reverse(u.count),
            dondoc_core::text::vn_order(&u.unit_name),
        )
    });
    Ok(out)
}

/// The sum of one indicator over a period's submitted and accepted reports.
#[derive(Debug, Clone, Serialize)]
pub struct FigureTotal {
    pub reporting_id: i64,
    pub period: String,
    pub indicator_key: String,
    pub total: i64,
    /// How many reports gave a figure for it.
    pub reports: i64,
}

/// Figures totalled per regime, period and indicator, counting only
/// submitted and accepted reports, within the chosen unit's subtree.
pub async fn figure_totals(
    conn: &mut AnyConnection,
    plan_id: i64,
    within: Option<i64>,
) -> Result<Vec<FigureTotal>> {
    let scope = if within.is_some() {
        "join unit_closure c on c.descendant_id = r.unit_id and c.ancestor_id = $2"
    } else {
        ""
    };
    // sum() of a bigint is numeric on PostgreSQL: cast back.
    let sql = format!(
        "select r.reporting_id, r.period, f.indicator_key,
                cast(sum(f.value) as bigint) as total, count(*) as reports
         from report_figures f
         join reports r on r.report_id = f.report_id
         join reporting g on g.reporting_id = r.reporting_id
         {scope}
         where g.plan_id = $1 and r.status in ('submitted', 'accepted')
         group by r.reporting_id, r.period, f.indicator_key
         order by r.reporting_id, r.period, f.indicator_key"
    );
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(plan_id);
    if let Some(w) = within {
        q = q.bind(w);
    }
    q.fetch_all(&mut *conn)
        .await?
        .iter()
        .map(|r| {
            Ok(FigureTotal {
                reporting_id: r.try_get("reporting_id")?,
                period: r.try_get("period")?,
                indicator_key: r.try_get("indicator_key")?,
                total: r.try_get("total")?,
                reports: r.try_get("reports")?,
            })
        })
        .collect()
}

/// A phase and its window, as the due index holds it.
#[derive(Debug, Clone, Serialize)]
pub struct PhaseSpan {
    pub name: String,
    pub phrase: String,
    pub from: Option<String>,
    pub to: Option<String>,
    pub state: DueState,
    pub waits_for: Option<String>,
}

/// The plan's phases in order, each with the span of its windows.
pub async fn phases(conn: &mut AnyConnection, plan_id: i64) -> Result<Vec<PhaseSpan>> {
    let rows = sqlx::query(
        "select f.phase_id, f.name, f.phrase, w.from_date, w.to_date, w.state, w.waits_for
         from phases f left join due_windows w on w.owner = 'phase' and w.owner_id = f.phase_id
         where f.plan_id = $1 order by f.position, w.seq",
    )
    .bind(plan_id)
    .fetch_all(&mut *conn)
    .await?;
    let mut out: Vec<(i64, PhaseSpan)> = Vec::new();
    for row in rows {
        let id: i64 = row.try_get("phase_id")?;
        let from: Option<String> = row.try_get("from_date")?;
        let to: Option<String> = row.try_get("to_date")?;
        let state: Option<String> = row.try_get("state")?;
        let state: DueState = state
            .and_then(|s| serde_json::from_value(Value::String(s)).ok())
            .unwrap_or(DueState::None);
        let waits_for: Option<String> = row.try_get("waits_for")?;
        match out.last_mut() {
            // Several windows: the phase spans from the first to the last.
            Some((last_id, span)) if *last_id == id => {
                span.from = min_opt(span.from.take(), from);
                span.to = max_opt(span.to.take(), to);
                if state == DueState::Pending {
                    span.state = state;
                    span.waits_for = span.waits_for.take().or(waits_for);
                }
            }
            _ => out.push((
                id,
                PhaseSpan {
                    name: row.try_get("name")?,
                    phrase: row.try_get("phrase")?,
                    from,
                    to,
                    state,
                    waits_for,
                },
            )),
        }
    }
    Ok(out.into_iter().map(|(_, s)| s).collect())
}

fn min_opt(a: Option<String>, b: Option<String>) -> Option<String> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

fn max_opt(a: Option<String>, b: Option<String>) -> Option<String> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    }
}

/// A unit and the units above it, the root first.
pub async fn ancestors(conn: &mut AnyConnection, unit_id: i64) -> Result<Vec<(i64, String)>> {
    sqlx::query(
        "select u.unit_id, u.name from unit_closure c join units u on u.unit_id = c.ancestor_id
         where c.descendant_id = $1 order by c.depth desc",
    )
    .bind(unit_id)
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(|r| Ok((r.try_get("unit_id")?, r.try_get("name")?)))
    .collect()
}

/// Everything the overview shows of one plan, read in one transaction so
/// that its figures agree with each other.
pub struct Overview {
    /// The unit in view and its ancestors, from the root down.
    pub trail: Vec<(i64, String)>,
    pub regimes: Vec<Regime>,
    pub rates: Vec<PeriodRates>,
    pub overdue: Vec<UnitTasks>,
    pub due_soon: Vec<UnitTasks>,
    pub totals: Vec<FigureTotal>,
    pub phases: Vec<PhaseSpan>,
}

/// The windows the overview's lists are about.
pub struct OverviewAsked {
    pub plan_id: i64,
    /// The part of the unit tree (`None`: all of it).
    pub scope: Option<i64>,
    pub today: jiff::civil::Date,
    /// Open assignments whose window ends in these days are "due soon".
    pub soon_days: i64,
    /// Tasks named per unit in the lists.
    pub few_tasks: i64,
}

impl crate::Store {
    pub async fn overview(&self, a: OverviewAsked) -> Result<Overview> {
        use jiff::ToSpan;
        let bad_day = |e: jiff::Error| crate::StoreError::Invalid(e.to_string());
        let yesterday = a.today.yesterday().map_err(bad_day)?;
        let soon = a.today.checked_add(a.soon_days.days()).map_err(bad_day)?;
        read!(self, |tx| async move {
            // From the per-process cache while `regime_version` says so.
            let regimes = crate::reports::regimes_cached(self, tx, a.plan_id).await?;
            let trail = match a.scope {
                Some(unit) => ancestors(tx, unit).await?,
                None => Vec::new(),
            };
            let rates = rates(tx, &regimes, a.today, a.scope).await?;
            let overdue = assignments_due(
                tx,
                a.plan_id,
                a.scope,
                "0000-01-01",
                &yesterday.to_string(),
                a.few_tasks,
            )
            .await?;
            let due_soon = assignments_due(
                tx,
                a.plan_id,
                a.scope,
                &a.today.to_string(),
                &soon.to_string(),
                a.few_tasks,
            )
            .await?;
            let totals = figure_totals(tx, a.plan_id, a.scope).await?;
            let phases = phases(tx, a.plan_id).await?;
            Ok::<_, crate::StoreError>(Overview {
                trail,
                regimes,
                rates,
                overdue,
                due_soon,
                totals,
                phases,
            })
        })
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn period_rows_are_numbered_in_order() {
        assert_eq!(
            super::period_values(2),
            "(cast($1 as bigint), cast($2 as text), cast($3 as text), cast($4 as text), cast($5 as text)), \
             (cast($6 as bigint), cast($7 as text), cast($8 as text), cast($9 as text), cast($10 as text))"
        );
    }
}
