//! The synthesis report's data.

use super::*;
use crate::assignments;
use crate::error::Result;
use crate::units;
use dondoc_core::documents::synthesis::{PhaseScope, Synthesis, TaskCounts};
use jiff::civil::Date;
use sqlx::AnyConnection;

/// What the opening sentences of the report count.
pub(super) fn task_counts(t: &TaskLists) -> TaskCounts {
    let count = |s| t.by_standing.get(&s).copied().unwrap_or(0);
    TaskCounts {
        tasks: t.tasks,
        assignments: t.assignments,
        units: t.units,
        done: count(Standing::Done),
        in_progress: count(Standing::InProgress),
        not_started: count(Standing::NotStarted),
        overdue: count(Standing::Overdue),
        pending: count(Standing::Pending),
        waits_for: t.waits_for.clone(),
    }
}

/// The synthesis report of a plan, or of one of its phases, as of `today`.
pub async fn synthesis(
    conn: &mut AnyConnection,
    plan: Option<&crate::plans::PlanKey>,
    phase: Option<&str>,
    today: Date,
) -> Result<Synthesis> {
    let data = plan_data(conn, plan).await?;
    let doc = &data.doc;
    let phase = phase
        .map(|p| find_phase(&data.phases, p, &doc.number))
        .transpose()?;
    let sources = sources(&data.regimes, phase, today);
    let figures = figures(conn, &data, &sources).await?;
    let periodic = periodic_figures(conn, &data, phase, &sources, today).await?;
    let rates = rates(conn, &data.regimes, &sources, today).await?;
    let (late, missing) = late_and_missing(conn, &data, &sources, today).await?;
    let narratives = narratives(conn, &data, &sources).await?;
    let list = assignments::of_plan(conn, data.plan_id).await?;
    let window = phase.map(|p| (p.from.as_deref(), p.to.as_deref()));
    let tasks = task_lists(&list, &data.units, window, today);

    // The body above the issuer, when the issuer is a unit under another.
    let superior = units::index(conn)
        .await?
        .find(&doc.issuer)
        .and_then(|id| data.units.get(id))
        .and_then(|u| u.parent_id)
        .and_then(|p| data.units.get(p))
        .map(|p| p.name.clone());

    Ok(Synthesis {
        superior,
        date: today,
        plan_number: doc.number.clone(),
        plan_date: parse_day(doc.date.as_deref()),
        plan_issuer: doc.issuer.clone(),
        plan_title: doc.title.clone(),
        plan_place: doc.place.clone(),
        phase: phase.map(|p| PhaseScope {
            name: p.name.clone(),
            from: parse_day(p.from.as_deref()),
            to: parse_day(p.to.as_deref()),
            phrase: p.phrase.clone(),
        }),
        tasks: task_counts(&tasks),
        rates,
        forms: form_results(doc, &figures),
        periodic,
        indicators: figures.indicators,
        figures: figures.rows,
        totals: figures.totals,
        done: tasks.done,
        in_progress: tasks.in_progress,
        not_started: tasks.not_started,
        overdue: tasks.overdue,
        pending: tasks.pending,
        late,
        missing,
        narratives,
        // Who receives the report and who signs it are the drafter's to
        // decide (the plan's own list and signer are the plan's): left as
        // placeholders in the document.
        recipients: Vec::new(),
        signature: None,
    })
}
