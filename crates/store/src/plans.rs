//! Plans: storing a checked plan document in one transaction, and reading
//! it back in the interchange form with every deadline resolved.

use crate::audit;
use crate::due_index::{self, Owner};
use crate::error::{Result, StoreError};
use crate::events;
use crate::units;
use dondoc_core::deadline::{Calendar, Context, Rule};
use dondoc_core::due::Due;
use dondoc_core::plan::{
    Decoration, Focus, Indicator, Phase, PlanDoc, Reporting, Task, TopicDetail,
};
use dondoc_core::text::name_key;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use serde_json::json;
use sqlx::{AnyConnection, Row};
use std::collections::HashMap;

/// What loading a plan stored.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Loaded {
    pub plan_id: i64,
    pub number: String,
    pub tasks: usize,
    pub assignments: usize,
    pub phases: usize,
    pub reporting: usize,
    pub events: usize,
    pub units: usize,
    /// Event names the rules give that no calendar event matched.
    pub unlinked_events: Vec<String>,
}

/// Parts of a phase kept beside its row.
#[derive(Serialize, Deserialize)]
struct PhaseDetail {
    note: Option<String>,
    topics: Vec<String>,
    topic_details: Vec<TopicDetail>,
    focus: Vec<Focus>,
}

fn rule_json(rule: &Option<Rule>) -> Result<Option<String>> {
    Ok(rule.as_ref().map(serde_json::to_string).transpose()?)
}

fn read_rule(s: Option<String>) -> Result<Option<Rule>> {
    Ok(s.map(|s| serde_json::from_str(&s)).transpose()?)
}

/// Whether the issuer already has a plan of this number (issuers compared
/// as unit names are, `name_key`: "Tỉnh uỷ" and "Tỉnh ủy" are one).
pub async fn exists(conn: &mut AnyConnection, issuer: &str, number: &str) -> Result<bool> {
    Ok(
        sqlx::query("select 1 as one from plans where issuer_key = $1 and number = $2")
            .bind(name_key(issuer))
            .bind(number)
            .fetch_optional(&mut *conn)
            .await?
            .is_some(),
    )
}

/// Fills each plan's `issuer_key` as `name_key` writes it (a migration
/// could only lower-case it); cheap, run on opening.
pub async fn fill_issuer_keys(conn: &mut AnyConnection) -> Result<()> {
    let rows = sqlx::query("select plan_id, issuer, issuer_key from plans")
        .fetch_all(&mut *conn)
        .await?;
    for r in rows {
        let issuer: String = r.try_get("issuer")?;
        let key: String = r.try_get("issuer_key")?;
        if key != name_key(&issuer) {
            sqlx::query("update plans set issuer_key = $1 where plan_id = $2")
                .bind(name_key(&issuer))
                .bind(r.try_get::<i64, _>("plan_id")?)
                .execute(&mut *conn)
                .await?;
        }
    }
    Ok(())
}

/// How a plan is named from outside: by its id, or by its number with its
/// issuer where two issuers use the same number ("12-KH/HU").
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PlanKey {
    Id(i64),
    Number {
        number: String,
        issuer: Option<String>,
    },
}

impl PlanKey {
    /// What a user typed: a whole number is an id (no plan number is one);
    /// anything else is a plan's number.
    pub fn parse(plan: &str, issuer: Option<&str>) -> PlanKey {
        let plan = plan.trim();
        match plan.parse::<i64>() {
            Ok(id) if issuer.is_none() => PlanKey::Id(id),
            _ => PlanKey::Number {
                number: plan.to_string(),
                issuer: issuer.map(|i| i.trim().to_string()),
            },
        }
    }

    pub fn number(n: &str) -> PlanKey {
        PlanKey::Number {
            number: n.to_string(),
            issuer: None,
        }
    }
}

impl std::fmt::Display for PlanKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PlanKey::Id(id) => write!(f, "mã {id}"),
            PlanKey::Number {
                number,
                issuer: None,
            } => write!(f, "số {number}"),
            PlanKey::Number {
                number,
                issuer: Some(i),
            } => write!(f, "số {number} của {i}"),
        }
    }
}

/// `390-KH/TU của Tỉnh uỷ Cao Bằng (mã 1)`: a plan as a list of choices
/// names it.
fn choice(r: &sqlx::any::AnyRow) -> String {
    let number: String = r.try_get("number").unwrap_or_default();
    let issuer: String = r.try_get("issuer").unwrap_or_default();
    let id: i64 = r.try_get("plan_id").unwrap_or_default();
    format!("{number} của {issuer} (mã {id})")
}

/// Stores a checked plan. The caller holds the transaction: on any error
/// nothing of the plan is kept.
pub async fn insert(
    conn: &mut AnyConnection,
    doc: &PlanDoc,
    actor: &str,
    today: Date,
) -> Result<Loaded> {
    dondoc_core::plan_file::check(doc)?;
    if exists(conn, &doc.issuer, &doc.number).await? {
        return Err(StoreError::PlanExists(doc.number.clone()));
    }
    let unit_index = units::upsert(conn, &doc.units).await?;
    let newly_dated = events::upsert(conn, &doc.events, &unit_index, actor).await?;

    // The parts that are read, not tracked, stay together as the plan's body.
    let body = PlanDoc {
        tasks: Vec::new(),
        phases: Vec::new(),
        reporting: Vec::new(),
        events: Vec::new(),
        units: Vec::new(),
        groups: Vec::new(),
        slogans: Vec::new(),
        decoration: Vec::new(),
        proposed_units: None,
        unparsed: None,
        ..doc.clone()
    };
    let plan_id: i64 = sqlx::query(
        "insert into plans (number, issuer, issuer_key, issued_on, title, body_json)
         values ($1, $2, $3, $4, $5, $6) returning plan_id",
    )
    .bind(&doc.number)
    .bind(&doc.issuer)
    .bind(name_key(&doc.issuer))
    .bind(&doc.date)
    .bind(&doc.title)
    .bind(serde_json::to_string(&body)?)
    .fetch_one(&mut *conn)
    .await?
    .try_get("plan_id")?;

    let (group_keys, group_members) =
        units::insert_groups(conn, plan_id, &doc.groups, &unit_index).await?;
    units::rebuild_closure(conn).await?;
    // The units a name stands for: the unit itself, or a group's members.
    let expand = |written: &str| -> Vec<i64> {
        match unit_index.find(written) {
            Some(u) => vec![u],
            None => group_keys
                .get(&name_key(written))
                .and_then(|g| group_members.get(g))
                .cloned()
                .unwrap_or_default(),
        }
    };
    let mut calendar = events::calendar(conn).await?;
    let plan_date = due_index::plan_date(doc.date.as_deref(), today)?;
    let mut loaded = Loaded {
        plan_id,
        number: doc.number.clone(),
        events: doc.events.len(),
        units: doc.units.len(),
        ..Loaded::default()
    };
    let link =
        |rule: &Option<Rule>, cal: &mut Calendar, unlinked: &mut Vec<String>| -> Option<Rule> {
            let mut r = rule.clone()?;
            for name in cal.link(&mut r) {
                let name = if name.is_empty() {
                    "(không nêu tên sự kiện)".to_string()
                } else {
                    name
                };
                if !unlinked.contains(&name) {
                    unlinked.push(name);
                }
            }
            Some(r)
        };

    for (pos, phase) in doc.phases.iter().enumerate() {
        let rule = link(&phase.window, &mut calendar, &mut loaded.unlinked_events);
        let detail = PhaseDetail {
            note: phase.note.clone(),
            topics: phase.topics.clone(),
            topic_details: phase.topic_details.clone(),
            focus: phase.focus.clone(),
        };
        let id: i64 = sqlx::query(
            "insert into phases (plan_id, position, name, phrase, rule_json, detail_json)
             values ($1, $2, $3, $4, $5, $6) returning phase_id",
        )
        .bind(plan_id)
        .bind(pos as i64)
        .bind(&phase.name)
        .bind(&phase.phrase)
        .bind(rule_json(&rule)?)
        .bind(serde_json::to_string(&detail)?)
        .fetch_one(&mut *conn)
        .await?
        .try_get("phase_id")?;
        let ctx = Context {
            calendar: &calendar,
            plan_date,
            today,
            assignee: None,
        };
        due_index::write(conn, Owner::Phase, id, rule.as_ref(), &ctx).await?;
    }
    loaded.phases = doc.phases.len();

    for (pos, task) in doc.tasks.iter().enumerate() {
        let rule = link(&task.deadline, &mut calendar, &mut loaded.unlinked_events);
        let task_id: i64 = sqlx::query(
            "insert into tasks (plan_id, position, ref, text, heading, deadline_phrase, rule_json)
             values ($1, $2, $3, $4, $5, $6, $7) returning task_id",
        )
        .bind(plan_id)
        .bind(pos as i64)
        .bind(&task.reference)
        .bind(&task.text)
        .bind(&task.heading)
        .bind(&task.deadline_phrase)
        .bind(rule_json(&rule)?)
        .fetch_one(&mut *conn)
        .await?
        .try_get("task_id")?;
        // The units responsible: each lead, a group standing for its members.
        let mut assignees: Vec<i64> = Vec::new();
        for (role, names) in [("lead", &task.leads), ("coordinate", &task.coordinates)] {
            for (i, written) in names.iter().enumerate() {
                let unit_id = unit_index.find(written);
                let group_id = match unit_id {
                    Some(_) => None,
                    None => group_keys.get(&name_key(written)).copied(),
                };
                sqlx::query(
                    "insert into task_units (task_id, role, position, written, unit_id, group_id)
                     values ($1, $2, $3, $4, $5, $6)",
                )
                .bind(task_id)
                .bind(role)
                .bind(i as i64)
                .bind(written)
                .bind(unit_id)
                .bind(group_id)
                .execute(&mut *conn)
                .await?;
                if role == "lead" {
                    for m in expand(written) {
                        if !assignees.contains(&m) {
                            assignees.push(m);
                        }
                    }
                }
            }
        }
        for unit_id in assignees {
            let id: i64 = sqlx::query(
                "insert into assignments (task_id, unit_id) values ($1, $2) returning assignment_id",
            )
            .bind(task_id)
            .bind(unit_id)
            .fetch_one(&mut *conn)
            .await?
            .try_get("assignment_id")?;
            let unit_name = unit_index.names.get(&unit_id).cloned();
            let ctx = Context {
                calendar: &calendar,
                plan_date,
                today,
                assignee: unit_name.as_deref(),
            };
            due_index::write(conn, Owner::Assignment, id, rule.as_ref(), &ctx).await?;
            loaded.assignments += 1;
        }
    }
    loaded.tasks = doc.tasks.len();

    for (pos, r) in doc.reporting.iter().enumerate() {
        let rule = link(&r.deadline, &mut calendar, &mut loaded.unlinked_events);
        let id: i64 = sqlx::query(
            "insert into reporting (plan_id, position, name, deadline_phrase, rule_json, reporters_json, recipient, content)
             values ($1, $2, $3, $4, $5, $6, $7, $8) returning reporting_id",
        )
        .bind(plan_id)
        .bind(pos as i64)
        .bind(&r.name)
        .bind(&r.deadline_phrase)
        .bind(rule_json(&rule)?)
        .bind(serde_json::to_string(&r.reporters)?)
        .bind(&r.recipient)
        .bind(&r.content)
        .fetch_one(&mut *conn)
        .await?
        .try_get("reporting_id")?;
        // The office that receives the reports does not owe them to itself:
        // a group such as "Các địa phương, đơn vị" takes it in, but only a
        // reporter named on its own makes it one.
        let recipient = r.recipient.as_deref().and_then(|n| unit_index.find(n));
        let mut reporters: Vec<i64> = Vec::new();
        for name in &r.reporters {
            let named = unit_index.find(name).is_some();
            for u in expand(name) {
                if !reporters.contains(&u) && (named || Some(u) != recipient) {
                    reporters.push(u);
                }
            }
        }
        for u in reporters {
            sqlx::query("insert into reporting_units (reporting_id, unit_id) values ($1, $2)")
                .bind(id)
                .bind(u)
                .execute(&mut *conn)
                .await?;
        }
        for (i, ind) in r.indicators.iter().enumerate() {
            sqlx::query(
                "insert into indicators (reporting_id, position, key, label, unit, form_ref)
                 values ($1, $2, $3, $4, $5, $6)",
            )
            .bind(id)
            .bind(i as i64)
            .bind(&ind.key)
            .bind(&ind.label)
            .bind(&ind.unit)
            .bind(&ind.form)
            .execute(&mut *conn)
            .await?;
        }
        let ctx = Context {
            calendar: &calendar,
            plan_date,
            today,
            assignee: None,
        };
        due_index::write(conn, Owner::Reporting, id, rule.as_ref(), &ctx).await?;
    }
    loaded.reporting = doc.reporting.len();

    for (pos, s) in doc.slogans.iter().enumerate() {
        sqlx::query("insert into slogans (plan_id, position, text) values ($1, $2, $3)")
            .bind(plan_id)
            .bind(pos as i64)
            .bind(s)
            .execute(&mut *conn)
            .await?;
    }
    for (pos, d) in doc.decoration.iter().enumerate() {
        sqlx::query(
            "insert into decoration_items (plan_id, position, zone, item, text) values ($1, $2, $3, $4, $5)",
        )
        .bind(plan_id)
        .bind(pos as i64)
        .bind(&d.zone)
        .bind(&d.item)
        .bind(&d.text)
        .execute(&mut *conn)
        .await?;
    }
    // Events this plan dated for the first time move earlier plans' deadlines.
    for id in &newly_dated {
        due_index::refresh_for_event(conn, id, today).await?;
    }
    audit::record(
        conn,
        actor,
        "plan.load",
        "plan",
        &doc.number,
        None,
        Some(json!({"tasks": loaded.tasks, "assignments": loaded.assignments})),
    )
    .await?;
    Ok(loaded)
}

/// A stored plan as lists and choosers name it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PlanRow {
    pub plan_id: i64,
    pub number: String,
    pub issuer: String,
    pub title: String,
}

/// The units a plan reaches: those it assigns tasks to and those that owe
/// its reports.
pub async fn units_reached(conn: &mut AnyConnection, plan_id: i64) -> Result<Vec<i64>> {
    sqlx::query(
        "select a.unit_id from assignments a join tasks t on t.task_id = a.task_id
         where t.plan_id = $1
         union
         select ru.unit_id from reporting_units ru
         join reporting g on g.reporting_id = ru.reporting_id where g.plan_id = $1",
    )
    .bind(plan_id)
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(|r| Ok(r.try_get("unit_id")?))
    .collect()
}

impl crate::Store {
    /// See [`units_reached`].
    pub async fn units_reached(&self, plan_id: i64) -> Result<Vec<i64>> {
        let mut conn = self.pool.acquire().await?;
        units_reached(&mut conn, plan_id).await
    }
}

/// Every stored plan, oldest first.
pub async fn list(conn: &mut AnyConnection) -> Result<Vec<PlanRow>> {
    sqlx::query("select plan_id, number, issuer, title from plans order by plan_id")
        .fetch_all(&mut *conn)
        .await?
        .into_iter()
        .map(|r| {
            Ok(PlanRow {
                plan_id: r.try_get("plan_id")?,
                number: r.try_get("number")?,
                issuer: r.try_get("issuer")?,
                title: r.try_get("title")?,
            })
        })
        .collect()
}

/// The numbers of the stored plans, oldest first.
pub async fn numbers(conn: &mut AnyConnection) -> Result<Vec<String>> {
    sqlx::query("select number from plans order by plan_id")
        .fetch_all(&mut *conn)
        .await?
        .into_iter()
        .map(|r| Ok(r.try_get("number")?))
        .collect()
}

/// Chooses the plan: the one named, or the only one there is. A number two
/// issuers share, or no name while several plans are stored, is refused
/// with the plans to choose from.
pub async fn choose(conn: &mut AnyConnection, key: Option<&PlanKey>) -> Result<(i64, String)> {
    let rows = match key {
        Some(PlanKey::Id(id)) => {
            sqlx::query("select plan_id, number, issuer from plans where plan_id = $1")
                .bind(*id)
                .fetch_all(&mut *conn)
                .await?
        }
        Some(PlanKey::Number { number, issuer }) => {
            let rows = sqlx::query(
                "select plan_id, number, issuer from plans where number = $1 order by plan_id",
            )
            .bind(number.trim())
            .fetch_all(&mut *conn)
            .await?;
            match issuer {
                Some(i) => rows
                    .into_iter()
                    .filter(|r| {
                        r.try_get::<String, _>("issuer")
                            .is_ok_and(|x| name_key(&x) == name_key(i))
                    })
                    .collect(),
                None => rows,
            }
        }
        None => {
            sqlx::query("select plan_id, number, issuer from plans order by plan_id")
                .fetch_all(&mut *conn)
                .await?
        }
    };
    match (rows.as_slice(), key) {
        ([], None) => Err(StoreError::NoPlan),
        ([], Some(k)) => Err(StoreError::PlanNotFound(k.to_string())),
        ([one], _) => Ok((one.try_get("plan_id")?, one.try_get("number")?)),
        (many, k) => {
            let list = many.iter().map(choice).collect::<Vec<_>>().join("; ");
            Err(match k {
                Some(k) => StoreError::AmbiguousPlan {
                    asked: k.to_string(),
                    choices: list,
                },
                None => StoreError::SeveralPlans(list),
            })
        }
    }
}

/// Reads a plan back in the interchange form, every deadline resolved as of
/// `today` from its rule (the rule is the truth, not the index).
pub async fn read(conn: &mut AnyConnection, key: Option<&PlanKey>, today: Date) -> Result<PlanDoc> {
    let (plan_id, _) = choose(conn, key).await?;
    let row = sqlx::query("select body_json, issued_on from plans where plan_id = $1")
        .bind(plan_id)
        .fetch_one(&mut *conn)
        .await?;
    let body: String = row.try_get("body_json")?;
    let mut doc: PlanDoc = serde_json::from_str(&body)?;
    let issued: Option<String> = row.try_get("issued_on")?;
    let plan_date = due_index::plan_date(issued.as_deref(), today)?;
    let calendar = events::calendar(conn).await?;
    let ctx = |assignee: Option<&'static str>| Context::new(&calendar, plan_date, today, assignee);

    for row in sqlx::query(
        "select name, phrase, rule_json, detail_json from phases where plan_id = $1 order by position",
    )
    .bind(plan_id)
    .fetch_all(&mut *conn)
    .await?
    {
        let detail: String = row.try_get("detail_json")?;
        let detail: PhaseDetail = serde_json::from_str(&detail)?;
        let window = read_rule(row.try_get("rule_json")?)?;
        let focus = detail
            .focus
            .into_iter()
            .map(|f| Focus {
                due: Some(due_index::resolve(f.window.as_ref(), &ctx(None))),
                ..f
            })
            .collect();
        doc.phases.push(Phase {
            name: row.try_get("name")?,
            phrase: row.try_get("phrase")?,
            due: Some(due_index::resolve(window.as_ref(), &ctx(None))),
            window,
            note: detail.note,
            topics: detail.topics,
            topic_details: detail.topic_details,
            focus,
        });
    }

    // Leads and coordinates as written, and the units assigned, per task.
    let mut written: HashMap<i64, (Vec<String>, Vec<String>)> = HashMap::new();
    for row in sqlx::query(
        "select tu.task_id, tu.role, tu.written from task_units tu join tasks t on t.task_id = tu.task_id
         where t.plan_id = $1 order by tu.task_id, tu.role, tu.position",
    )
    .bind(plan_id)
    .fetch_all(&mut *conn)
    .await?
    {
        let entry = written.entry(row.try_get("task_id")?).or_default();
        let role: String = row.try_get("role")?;
        let w: String = row.try_get("written")?;
        if role == "lead" { entry.0.push(w) } else { entry.1.push(w) }
    }
    let mut assigned: HashMap<i64, Vec<String>> = HashMap::new();
    for row in sqlx::query(
        "select a.task_id, u.name from assignments a join tasks t on t.task_id = a.task_id
         join units u on u.unit_id = a.unit_id where t.plan_id = $1 order by a.assignment_id",
    )
    .bind(plan_id)
    .fetch_all(&mut *conn)
    .await?
    {
        assigned
            .entry(row.try_get("task_id")?)
            .or_default()
            .push(row.try_get("name")?);
    }
    for row in sqlx::query(
        "select task_id, ref, text, heading, deadline_phrase, rule_json from tasks
         where plan_id = $1 order by position",
    )
    .bind(plan_id)
    .fetch_all(&mut *conn)
    .await?
    {
        let id: i64 = row.try_get("task_id")?;
        let rule = read_rule(row.try_get("rule_json")?)?;
        let assignees = assigned.remove(&id).unwrap_or_default();
        let (leads, coordinates) = written.remove(&id).unwrap_or_default();
        // One window per deadline; a rule over each assignee's own event
        // gives one per assignee, labelled with the event.
        let mut due: Vec<Due> = Vec::new();
        let per_assignee = assignees.iter().map(|a| Some(a.as_str()));
        for a in std::iter::once(None).chain(per_assignee) {
            let c = Context::new(&calendar, plan_date, today, a);
            for d in due_index::resolve(rule.as_ref(), &c) {
                if a.is_none()
                    && d.waits_for
                        .as_deref()
                        .is_some_and(|w| w.ends_with("của từng đơn vị"))
                {
                    continue;
                }
                if !due.contains(&d) {
                    due.push(d);
                }
            }
        }
        doc.tasks.push(Task {
            reference: row.try_get("ref")?,
            text: row.try_get("text")?,
            leads,
            coordinates,
            deadline_phrase: row.try_get("deadline_phrase")?,
            deadline: rule,
            heading: row.try_get("heading")?,
            assignees: Some(assignees),
            due: Some(due),
        });
    }

    for row in sqlx::query(
        "select reporting_id, name, deadline_phrase, rule_json, reporters_json, recipient, content
         from reporting where plan_id = $1 order by position",
    )
    .bind(plan_id)
    .fetch_all(&mut *conn)
    .await?
    {
        let id: i64 = row.try_get("reporting_id")?;
        let rule = read_rule(row.try_get("rule_json")?)?;
        let reporters: String = row.try_get("reporters_json")?;
        let indicators = sqlx::query(
            "select key, label, unit, form_ref from indicators where reporting_id = $1 order by position",
        )
        .bind(id)
        .fetch_all(&mut *conn)
        .await?
        .into_iter()
        .map(|r| {
            Ok(Indicator {
                key: r.try_get("key")?,
                label: r.try_get("label")?,
                unit: r.try_get("unit")?,
                form: r.try_get("form_ref")?,
            })
        })
        .collect::<Result<_>>()?;
        doc.reporting.push(Reporting {
            name: row.try_get("name")?,
            deadline_phrase: row.try_get("deadline_phrase")?,
            due: Some(due_index::resolve(rule.as_ref(), &ctx(None))),
            deadline: rule,
            reporters: serde_json::from_str(&reporters)?,
            recipient: row.try_get("recipient")?,
            content: row.try_get("content")?,
            indicators,
        });
    }

    doc.events = events::all(conn).await?;
    doc.units = units::all(conn).await?;
    doc.groups = units::groups_of_plan(conn, plan_id).await?;
    doc.slogans = sqlx::query("select text from slogans where plan_id = $1 order by position")
        .bind(plan_id)
        .fetch_all(&mut *conn)
        .await?
        .into_iter()
        .map(|r| Ok(r.try_get("text")?))
        .collect::<Result<_>>()?;
    doc.decoration = sqlx::query(
        "select zone, item, text from decoration_items where plan_id = $1 order by position",
    )
    .bind(plan_id)
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|r| {
        Ok(Decoration {
            zone: r.try_get("zone")?,
            item: r.try_get("item")?,
            text: r.try_get("text")?,
        })
    })
    .collect::<Result<_>>()?;
    Ok(doc)
}
