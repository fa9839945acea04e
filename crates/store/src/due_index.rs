//! The index of resolved due windows.
//!
//! The rule is the truth; `due_windows` holds what it resolves to, so that
//! date queries (what is overdue, what falls due this week) run on an index
//! instead of resolving a million rules. `due_deps` records which events each
//! row depends on: moving an event refreshes exactly those rows, in the same
//! transaction, and nothing else.

use crate::calendar;
use crate::error::{Result, StoreError};
use dondoc_core::deadline::{self, Anchor, Calendar, Context, Rule};
use dondoc_core::due::{Due, DueState};
use jiff::civil::Date;
use sqlx::{AnyConnection, Row};

/// What a due window row belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Owner {
    Assignment,
    Reporting,
    Phase,
}

impl Owner {
    fn as_str(self) -> &'static str {
        match self {
            Owner::Assignment => "assignment",
            Owner::Reporting => "reporting",
            Owner::Phase => "phase",
        }
    }

    fn parse(s: &str) -> Option<Owner> {
        match s {
            "assignment" => Some(Owner::Assignment),
            "reporting" => Some(Owner::Reporting),
            "phase" => Some(Owner::Phase),
            _ => None,
        }
    }
}

/// A row of the index whose windows a change of event moved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WindowChange {
    pub owner: Owner,
    pub owner_id: i64,
    /// What it is, in words: "Nhiệm vụ V.1.1.4 — Huyện uỷ Bảo Lạc".
    pub label: String,
    pub before: Vec<Due>,
    pub after: Vec<Due>,
}

fn state_text(s: DueState) -> &'static str {
    match s {
        DueState::Resolved => "resolved",
        DueState::Pending => "pending",
        DueState::Recurring => "recurring",
        DueState::Continuous => "continuous",
        DueState::AdHoc => "ad_hoc",
        DueState::None => "none",
        DueState::Ended => "ended",
    }
}

pub fn anchor_text(a: Anchor) -> &'static str {
    match a {
        Anchor::Start => "start",
        Anchor::End => "end",
        Anchor::During => "during",
    }
}

pub fn anchor_of(s: Option<String>) -> Option<Anchor> {
    match s.as_deref() {
        Some("start") => Some(Anchor::Start),
        Some("end") => Some(Anchor::End),
        Some("during") => Some(Anchor::During),
        _ => None,
    }
}

fn state_of(s: &str) -> DueState {
    match s {
        "resolved" => DueState::Resolved,
        "pending" => DueState::Pending,
        "recurring" => DueState::Recurring,
        "continuous" => DueState::Continuous,
        "ad_hoc" => DueState::AdHoc,
        "ended" => DueState::Ended,
        _ => DueState::None,
    }
}

/// Resolves a rule (or its absence) for one owner.
pub fn resolve(rule: Option<&Rule>, ctx: &Context) -> Vec<Due> {
    match rule {
        Some(r) => deadline::resolve(r, ctx),
        None => vec![deadline::no_rule()],
    }
}

/// Writes one owner's windows and dependencies, replacing what was there.
pub async fn write(
    conn: &mut AnyConnection,
    owner: Owner,
    owner_id: i64,
    rule: Option<&Rule>,
    ctx: &Context<'_>,
) -> Result<Vec<Due>> {
    let mut windows = resolve(rule, ctx);
    if owner == Owner::Assignment {
        // No deadline after the assigned unit's end.
        let ends: Option<String> = sqlx::query(
            "select u.valid_to from assignments a join units u on u.unit_id = a.unit_id
             where a.assignment_id = $1",
        )
        .bind(owner_id)
        .fetch_optional(&mut *conn)
        .await?
        .map(|r| r.try_get("valid_to"))
        .transpose()?
        .flatten();
        windows = dondoc_core::due::within_life(windows, ends.as_deref());
    }
    sqlx::query("delete from due_windows where owner = $1 and owner_id = $2")
        .bind(owner.as_str())
        .bind(owner_id)
        .execute(&mut *conn)
        .await?;
    for (seq, w) in windows.iter().enumerate() {
        sqlx::query(
            "insert into due_windows (owner, owner_id, seq, from_date, to_date, state, waits_for, event_label, anchor)
             values ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(owner.as_str())
        .bind(owner_id)
        .bind(seq as i64)
        .bind(&w.from)
        .bind(&w.to)
        .bind(state_text(w.state))
        .bind(&w.waits_for)
        .bind(&w.event)
        .bind(w.anchor.map(anchor_text))
        .execute(&mut *conn)
        .await?;
    }
    if owner == Owner::Reporting {
        // Regimes read earlier by any process are now out of date.
        sqlx::query("update regime_version set n = n + 1 where id = 1")
            .execute(&mut *conn)
            .await?;
    }
    sqlx::query("delete from due_deps where owner = $1 and owner_id = $2")
        .bind(owner.as_str())
        .bind(owner_id)
        .execute(&mut *conn)
        .await?;
    if let Some(rule) = rule {
        for event_id in deadline::depends_on(rule, ctx) {
            sqlx::query("insert into due_deps (owner, owner_id, event_id) values ($1, $2, $3)")
                .bind(owner.as_str())
                .bind(owner_id)
                .bind(event_id)
                .execute(&mut *conn)
                .await?;
        }
    }
    Ok(windows)
}

/// The windows the index holds for one owner.
pub async fn read(conn: &mut AnyConnection, owner: Owner, owner_id: i64) -> Result<Vec<Due>> {
    sqlx::query(
        "select from_date, to_date, state, waits_for, event_label, anchor from due_windows
         where owner = $1 and owner_id = $2 order by seq",
    )
    .bind(owner.as_str())
    .bind(owner_id)
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(due_from_row)
    .collect()
}

/// A row of `due_windows` (columns from_date, to_date, state, waits_for,
/// event_label, anchor) as a `Due`: the one place the index is read back.
pub fn due_from_row(row: &sqlx::any::AnyRow) -> Result<Due> {
    let state: String = row.try_get("state")?;
    Ok(Due {
        from: row.try_get("from_date")?,
        to: row.try_get("to_date")?,
        state: state_of(&state),
        waits_for: row.try_get("waits_for")?,
        event: row.try_get("event_label")?,
        anchor: anchor_of(row.try_get("anchor")?),
    })
}

/// An owner's rule and what it is resolved against.
struct OwnerRule {
    rule: Option<Rule>,
    plan_date: Option<String>,
    assignee: Option<String>,
    label: String,
}

async fn owner_rule(conn: &mut AnyConnection, owner: Owner, id: i64) -> Result<OwnerRule> {
    let sql = match owner {
        Owner::Assignment => {
            "select t.rule_json, p.issued_on, u.name as assignee,
                    'Nhiệm vụ ' || t.ref || ' — ' || u.name as label
             from assignments a join tasks t on t.task_id = a.task_id
             join units u on u.unit_id = a.unit_id join plans p on p.plan_id = t.plan_id
             where a.assignment_id = $1"
        }
        Owner::Reporting => {
            "select r.rule_json, p.issued_on, null as assignee, 'Báo cáo ' || r.name as label
             from reporting r join plans p on p.plan_id = r.plan_id where r.reporting_id = $1"
        }
        Owner::Phase => {
            "select f.rule_json, p.issued_on, null as assignee, f.name as label
             from phases f join plans p on p.plan_id = f.plan_id where f.phase_id = $1"
        }
    };
    let row = sqlx::query(sql).bind(id).fetch_one(&mut *conn).await?;
    let rule: Option<String> = row.try_get("rule_json")?;
    Ok(OwnerRule {
        rule: rule.map(|r| serde_json::from_str(&r)).transpose()?,
        plan_date: row.try_get("issued_on")?,
        assignee: row.try_get("assignee")?,
        label: row.try_get("label")?,
    })
}

pub fn plan_date(issued_on: Option<&str>, today: Date) -> Result<Date> {
    match issued_on {
        Some(s) => s
            .parse()
            .map_err(|_| StoreError::Corrupt(format!("ngày ban hành «{s}»"))),
        None => Ok(today),
    }
}

/// Re-resolves every row that depends on an event; returns the rows whose
/// windows changed, before and after.
pub async fn refresh_for_event(
    conn: &mut AnyConnection,
    event_id: &str,
    today: Date,
) -> Result<Vec<WindowChange>> {
    let owners: Vec<(String, i64)> = sqlx::query(
        "select owner, owner_id from due_deps where event_id = $1 order by owner, owner_id",
    )
    .bind(event_id)
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|r| Ok((r.try_get("owner")?, r.try_get("owner_id")?)))
    .collect::<Result<_>>()?;
    let calendar: Calendar = calendar::calendar(conn).await?;
    let mut changes = Vec::new();
    for (owner, id) in owners {
        let Some(owner) = Owner::parse(&owner) else {
            continue;
        };
        let o = owner_rule(conn, owner, id).await?;
        let ctx = Context {
            calendar: &calendar,
            plan_date: plan_date(o.plan_date.as_deref(), today)?,
            today,
            assignee: o.assignee.as_deref(),
        };
        let before = read(conn, owner, id).await?;
        let after = write(conn, owner, id, o.rule.as_ref(), &ctx).await?;
        if before != after {
            if owner == Owner::Assignment {
                // The calendar feed's SEQUENCE of the assignment's items.
                sqlx::query(
                    "update assignments set dates_version = dates_version + 1
                     where assignment_id = $1",
                )
                .bind(id)
                .execute(&mut *conn)
                .await?;
            }
            changes.push(WindowChange {
                owner,
                owner_id: id,
                label: o.label,
                before,
                after,
            });
        }
    }
    Ok(changes)
}
