//! The data of the documents dondoc writes — the synthesis report, the
//! tracking workbook, a unit's calendar feed, the dashboard's charts —
//! gathered from the database as of one day, in the shapes of
//! `dondoc_core::documents`: figures, counts, names, dates and lists, no
//! sentences (`dondoc_export` writes the words and lays them out). Counts
//! come from the queries the dashboard and
//! the unit pages use, so that a document never disagrees with the screen.
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

use crate::assignments::{self, Assignment, Status as TaskStatus};
use crate::dashboard::{self, PhaseSpan};
use crate::error::{Result, StoreError};
use crate::plans;
use crate::reports::{self, Cadence, Period, Regime, UnitLife};
use crate::units::{self, UnitRow};
use dondoc_core::documents::synthesis::{
    FigureRow, FormResult, Indicator, NarrativeGroup, PhaseScope, Rates, ReportLine, ReportName,
    Signature, Synthesis, TaskCounts, TaskLine, TaskNote,
};
use dondoc_core::documents::tracking::{
    AssignmentRow, PeriodCol, ReportCell, ReportingRow, Tracking,
};
use dondoc_core::documents::{charts, feed};
use dondoc_core::due::{Due, DueState};
use dondoc_core::plan::PlanDoc;
use dondoc_core::text::{name_key, roman};
use jiff::civil::Date;
use sqlx::{AnyConnection, AssertSqlSafe, Row};
use std::collections::{BTreeMap, HashMap, HashSet};

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

async fn plan_data(conn: &mut AnyConnection, number: Option<&str>) -> Result<PlanData> {
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
    number: Option<&str>,
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

fn lower_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn clip(s: &str, n: usize) -> String {
    let mut out: String = s.chars().take(n).collect();
    if s.chars().count() > n {
        out.push('…');
    }
    out
}

// ---------------------------------------------------------------------------
// Phases and what a report covers

/// A phase name without the word "Đợt", Arabic numbers as Roman ones:
/// `Đợt I`, `đợt i`, `I` and `1` are one phase.
fn phase_key(s: &str) -> String {
    let key = name_key(s);
    let prefix = format!("{} ", name_key("Đợt"));
    let rest = key.strip_prefix(&prefix).unwrap_or(&key).trim();
    match rest.parse::<usize>() {
        Ok(n) if (1..100).contains(&n) => roman(n as u32).to_lowercase(),
        _ => rest.to_string(),
    }
}

fn find_phase<'a>(
    phases: &'a [PhaseSpan],
    asked: &str,
    plan_number: &str,
) -> Result<&'a PhaseSpan> {
    if let Some(p) = phases.iter().find(|p| name_key(&p.name) == name_key(asked)) {
        return Ok(p);
    }
    let key = phase_key(asked);
    let hits: Vec<&PhaseSpan> = phases
        .iter()
        .filter(|p| phase_key(&p.name) == key)
        .collect();
    if let [one] = hits.as_slice() {
        return Ok(one);
    }
    let known = if phases.is_empty() {
        "kế hoạch này không chia đợt".to_string()
    } else {
        format!(
            "các đợt của kế hoạch: {}",
            phases
                .iter()
                .map(|p| p.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    Err(StoreError::Invalid(format!(
        "kế hoạch số {plan_number} không có đợt «{asked}»; {known}"
    )))
}

/// One period of one regime.
struct Source<'a> {
    regime: &'a Regime,
    period: Period,
}

impl Source<'_> {
    fn key(&self) -> (i64, &str) {
        (self.regime.reporting_id, self.period.key.as_str())
    }

    /// The report and period, as the synthesis names them.
    fn name(&self) -> ReportName {
        ReportName {
            regime: self.regime.name.clone(),
            period: self.period.label.clone(),
        }
    }
}

fn periods_of(regime: &Regime, today: Date) -> impl Iterator<Item = Source<'_>> {
    reports::periods(regime, today)
        .into_iter()
        .map(move |period| Source { regime, period })
}

/// The periods a report covers (see the module's comment).
fn sources<'a>(regimes: &'a [Regime], phase: Option<&PhaseSpan>, today: Date) -> Vec<Source<'a>> {
    let single = |g: &&Regime| g.cadence == Cadence::Single;
    let recurring = |g: &&Regime| g.cadence != Cadence::Single;
    let Some(phase) = phase else {
        return if regimes.iter().any(|g| single(&g)) {
            regimes
                .iter()
                .filter(single)
                .flat_map(|g| periods_of(g, today))
                .collect()
        } else {
            regimes.iter().flat_map(|g| periods_of(g, today)).collect()
        };
    };
    let own: Vec<Source> = regimes
        .iter()
        .filter(single)
        .filter(|g| phase_key(&g.name) == phase_key(&phase.name))
        .flat_map(|g| periods_of(g, today))
        .collect();
    if !own.is_empty() {
        return own;
    }
    let (from, to) = (phase.from.as_deref(), phase.to.as_deref());
    if from.is_none() && to.is_none() {
        // A phase waiting for an event has no days yet.
        return Vec::new();
    }
    regimes
        .iter()
        .filter(recurring)
        .flat_map(|g| periods_of(g, today))
        .filter(|s| {
            s.period
                .last_day
                .as_deref()
                .is_some_and(|last| from.is_none_or(|f| last >= f) && to.is_none_or(|t| last <= t))
        })
        .collect()
}

/// `(cast($k as bigint), cast($k+1 as text)), …`: the (regime, period)
/// pairs of a scope as a `values` table, numbered from `$1`.
fn pair_values(count: usize) -> String {
    (0..count)
        .map(|i| {
            format!(
                "(cast(${} as bigint), cast(${} as text))",
                2 * i + 1,
                2 * i + 2
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}

// ---------------------------------------------------------------------------
// Figures

/// Figures of a scope: per unit, and the dashboard's totals.
struct Figures {
    indicators: Vec<Indicator>,
    /// The form of work each indicator measures (same order).
    forms: Vec<Option<String>>,
    rows: Vec<FigureRow>,
    totals: Vec<i64>,
    /// Indicators some report gave a figure for.
    reported: HashSet<String>,
}

async fn figures(
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

/// The results by form of work: each form some reported figure measures.
fn form_results(doc: &PlanDoc, f: &Figures) -> Vec<FormResult> {
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

// ---------------------------------------------------------------------------
// Reports in and out

async fn rates(
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
    Ok(out)
}

/// Reports that came in after their due day, and those owed whose due day
/// has passed (a report due today may still come today, as the reports
/// page says).
async fn late_and_missing(
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
        q = q
            .bind(s.regime.reporting_id)
            .bind(s.period.key.clone())
            .bind(s.period.first_day.clone())
            .bind(s.period.last_day.clone())
            .bind(s.period.due.to.clone());
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
async fn narratives(
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

// ---------------------------------------------------------------------------
// Tasks

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Standing {
    Done,
    InProgress,
    Overdue,
    /// Its deadline waits for an event not yet dated.
    Pending,
}

/// Where an assignment stands on `today`, as the unit page says it:
/// overdue is the page's own test (`Assignment::is_overdue`).
fn standing(a: &Assignment, today: Date) -> Option<Standing> {
    match a.status {
        TaskStatus::Cancelled => None,
        TaskStatus::Done => Some(Standing::Done),
        _ if a.is_overdue(today) => Some(Standing::Overdue),
        _ if a.due.iter().any(|d| d.state == DueState::Pending) => Some(Standing::Pending),
        _ => Some(Standing::InProgress),
    }
}

/// Whether an assignment belongs to a phase whose window is `window`
/// (`None`: the whole plan).
fn in_window(a: &Assignment, window: Option<(Option<&str>, Option<&str>)>) -> bool {
    let Some((from, to)) = window else {
        return true;
    };
    let dated: Vec<&Due> = a
        .due
        .iter()
        .filter(|d| d.state == DueState::Resolved && (d.from.is_some() || d.to.is_some()))
        .collect();
    if dated.is_empty() {
        return true;
    }
    if from.is_none() && to.is_none() {
        return false;
    }
    dated.iter().any(|d| {
        let (first, last) = match (d.from.as_deref(), d.to.as_deref()) {
            (Some(f), Some(t)) => (f, t),
            (Some(x), None) | (None, Some(x)) => (x, x),
            (None, None) => return false,
        };
        from.is_none_or(|f| last >= f) && to.is_none_or(|t| first <= t)
    })
}

/// Every distinct window of some assignments.
fn distinct_due(list: &[&Assignment]) -> Vec<Due> {
    let mut ds: Vec<Due> = Vec::new();
    for d in list.iter().flat_map(|a| a.due.iter()) {
        if !ds.contains(d) {
            ds.push(d.clone());
        }
    }
    ds
}

/// The first and last days some assignments were finished on.
fn done_note(list: &[&Assignment]) -> TaskNote {
    let days: Vec<Date> = list
        .iter()
        .filter_map(|a| parse_day(a.completed_on.as_deref()))
        .collect();
    TaskNote::Done {
        days: days
            .iter()
            .min()
            .zip(days.iter().max())
            .map(|(a, b)| (*a, *b)),
    }
}

/// The fewest and most days some assignments are late by on `today`.
fn overdue_note(list: &[&Assignment], today: Date) -> TaskNote {
    let today_text = today.to_string();
    let late_by: Vec<i32> = list
        .iter()
        .filter_map(|a| {
            a.due
                .iter()
                .filter(|d| d.state == DueState::Resolved)
                .filter_map(|d| d.to.as_deref())
                .filter(|t| *t < today_text.as_str())
                .min()
                .and_then(|t| t.parse::<Date>().ok())
                .and_then(|t| t.until(today).ok())
                .map(|s| s.get_days())
        })
        .collect();
    TaskNote::Overdue {
        days: late_by
            .iter()
            .min()
            .zip(late_by.iter().max())
            .map(|(a, b)| (*a, *b)),
    }
}

/// How many of some open assignments have started.
fn in_progress_note(list: &[&Assignment]) -> TaskNote {
    let started = list
        .iter()
        .filter(|a| a.status == TaskStatus::InProgress)
        .count();
    TaskNote::InProgress {
        started,
        waiting: list.len() - started,
    }
}

/// The task lists of the synthesis, and what its opening sentences count.
#[derive(Default)]
struct TaskLists {
    done: Vec<TaskLine>,
    in_progress: Vec<TaskLine>,
    overdue: Vec<TaskLine>,
    pending: Vec<TaskLine>,
    tasks: usize,
    assignments: usize,
    units: usize,
    by_standing: BTreeMap<Standing, usize>,
    /// The undated events pending deadlines wait for.
    waits_for: Vec<String>,
}

/// One line per task and standing: the units of a task that finished it
/// are named apart from those late with it.
fn task_lists(
    list: &[Assignment],
    units: &Units,
    window: Option<(Option<&str>, Option<&str>)>,
    today: Date,
) -> TaskLists {
    let mut out = TaskLists::default();
    let mut unit_ids = HashSet::new();
    // `list` is in task order: consecutive rows of one task form a run.
    let mut start = 0;
    while start < list.len() {
        let reference = &list[start].task_ref;
        let end = list[start..]
            .iter()
            .position(|a| a.task_ref != *reference)
            .map_or(list.len(), |n| start + n);
        let mut groups: BTreeMap<Standing, Vec<&Assignment>> = BTreeMap::new();
        for a in list[start..end].iter().filter(|a| in_window(a, window)) {
            if let Some(s) = standing(a, today) {
                groups.entry(s).or_default().push(a);
            }
        }
        if !groups.is_empty() {
            out.tasks += 1;
        }
        for (s, mut group) in groups {
            group.sort_by_key(|a| (units.rank(a.unit_id), a.unit_id));
            out.assignments += group.len();
            *out.by_standing.entry(s).or_default() += group.len();
            unit_ids.extend(group.iter().map(|a| a.unit_id));
            for w in group
                .iter()
                .flat_map(|a| a.due.iter())
                .filter(|d| d.state == DueState::Pending)
                .filter_map(|d| d.waits_for.clone())
            {
                if s == Standing::Pending && !out.waits_for.contains(&w) {
                    out.waits_for.push(w);
                }
            }
            let first = group[0];
            let line = TaskLine {
                reference: first.task_ref.clone(),
                text: first.task_text.clone(),
                units: group.iter().map(|a| a.unit_name.clone()).collect(),
                due: distinct_due(&group),
                note: match s {
                    Standing::Done => done_note(&group),
                    Standing::Overdue => overdue_note(&group, today),
                    Standing::InProgress => in_progress_note(&group),
                    Standing::Pending => TaskNote::Pending,
                },
            };
            match s {
                Standing::Done => out.done.push(line),
                Standing::InProgress => out.in_progress.push(line),
                Standing::Overdue => out.overdue.push(line),
                Standing::Pending => out.pending.push(line),
            }
        }
        start = end;
    }
    out.units = unit_ids.len();
    out
}

// ---------------------------------------------------------------------------
// The synthesis report

/// What the opening sentences of the report count.
fn task_counts(t: &TaskLists) -> TaskCounts {
    let count = |s| t.by_standing.get(&s).copied().unwrap_or(0);
    TaskCounts {
        tasks: t.tasks,
        assignments: t.assignments,
        units: t.units,
        done: count(Standing::Done),
        in_progress: count(Standing::InProgress),
        overdue: count(Standing::Overdue),
        pending: count(Standing::Pending),
        waits_for: t.waits_for.clone(),
    }
}

/// The synthesis report of a plan, or of one of its phases, as of `today`.
pub async fn synthesis(
    conn: &mut AnyConnection,
    plan: Option<&str>,
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
        indicators: figures.indicators,
        figures: figures.rows,
        totals: figures.totals,
        done: tasks.done,
        in_progress: tasks.in_progress,
        overdue: tasks.overdue,
        pending: tasks.pending,
        late,
        missing,
        narratives,
        // Who receives the report is not in the data: the plan's own
        // distribution list is the closest thing it holds, kept as a
        // starting point for the drafter to edit.
        recipients: doc.recipients.clone(),
        signature: doc.signature.as_ref().map(|s| Signature {
            on_behalf: s.on_behalf.clone(),
            title: s.title.clone(),
            name: s.name.clone(),
        }),
    })
}

// ---------------------------------------------------------------------------
// The tracking workbook

fn status_text(a: &Assignment, today: Date) -> String {
    if a.is_overdue(today) {
        format!("Quá hạn ({})", lower_first(a.status.label()))
    } else {
        a.status.label().to_string()
    }
}

fn evidence_text(a: &Assignment) -> String {
    let mut parts: Vec<String> = Vec::new();
    parts.extend(a.evidence.clone());
    parts.extend(a.evidence_link.clone());
    if !a.attachments.is_empty() {
        let names: Vec<&str> = a.attachments.iter().map(|f| f.filename.as_str()).collect();
        parts.push(format!("Tệp: {}", names.join(", ")));
    }
    parts.join("\n")
}

/// The tracking workbook of a plan as of `today`.
pub async fn tracking(
    conn: &mut AnyConnection,
    plan: Option<&str>,
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
            deadline: if a.due.is_empty() {
                "không nêu thời hạn".to_string()
            } else {
                a.due.iter().map(Due::text).collect::<Vec<_>>().join("; ")
            },
            due_date: a
                .due
                .iter()
                .filter(|d| d.state == DueState::Resolved)
                .filter_map(|d| parse_day(d.to.as_deref()))
                .max(),
            status: status_text(a, today),
            done_on: parse_day(a.completed_on.as_deref()),
            evidence: evidence_text(a),
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
    Ok(Tracking {
        plan_number: data.doc.number.clone(),
        plan_title: data.doc.title.clone(),
        today,
        assignments,
        periods,
        reporting,
        indicators: figures.indicators,
        figures: figures.rows,
    })
}

// ---------------------------------------------------------------------------
// A unit's calendar feed

/// One unit by its name or any alias (case and tone placement aside).
pub async fn find_unit(conn: &mut AnyConnection, asked: &str) -> Result<(i64, String)> {
    let key = name_key(asked);
    let hits: Vec<(i64, String)> = sqlx::query(
        "select unit_id, name from units where name_key = $1
         union
         select u.unit_id, u.name from unit_aliases a join units u on u.unit_id = a.unit_id
         where a.alias_key = $1
         order by unit_id",
    )
    .bind(&key)
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(|r| Ok((r.try_get("unit_id")?, r.try_get("name")?)))
    .collect::<Result<_>>()?;
    match hits.as_slice() {
        [one] => Ok(one.clone()),
        [] => {
            let near: Vec<String> = units::rows(conn)
                .await?
                .into_iter()
                .filter(|u| {
                    let k = name_key(&u.name);
                    !key.is_empty() && (k.contains(&key) || key.contains(&k))
                })
                .take(5)
                .map(|u| format!("«{}»", u.name))
                .collect();
            let hint = if near.is_empty() {
                String::new()
            } else {
                format!("; có phải: {}?", near.join(", "))
            };
            Err(StoreError::Invalid(format!(
                "không tìm thấy đơn vị «{asked}»{hint}"
            )))
        }
        many => Err(StoreError::Invalid(format!(
            "tên «{asked}» khớp nhiều đơn vị: {}; dùng tên đầy đủ của đơn vị",
            many.iter()
                .map(|(_, n)| format!("«{n}»"))
                .collect::<Vec<_>>()
                .join(", ")
        ))),
    }
}

fn sequence(version: i64) -> u32 {
    u32::try_from(version.max(0)).unwrap_or(u32::MAX)
}

/// A unit's calendar: the last day of each dated window of its assignments,
/// and the dated events of the unit or the units above it, or that its
/// deadlines hang on. Windows of recurring work are left out: the index
/// keeps only the period current when it was written.
pub async fn feed(conn: &mut AnyConnection, unit: &str, today: Date) -> Result<feed::Feed> {
    let (unit_id, unit_name) = find_unit(conn, unit).await?;
    unit_feed(conn, unit_id, &unit_name, today).await
}

/// The same calendar for a unit known by its id: the private feed's token
/// names a unit, and a name could also be another unit's alias.
pub async fn feed_by_unit_id(
    conn: &mut AnyConnection,
    unit_id: i64,
    today: Date,
) -> Result<feed::Feed> {
    let unit = units::row(conn, unit_id)
        .await?
        .ok_or_else(|| StoreError::Invalid(format!("không có đơn vị mã {unit_id}")))?;
    unit_feed(conn, unit_id, &unit.name, today).await
}

async fn unit_feed(
    conn: &mut AnyConnection,
    unit_id: i64,
    unit_name: &str,
    today: Date,
) -> Result<feed::Feed> {
    let list = assignments::of_unit(conn, unit_id).await?;
    let mut versions: HashMap<i64, i64> = HashMap::new();
    for row in
        sqlx::query("select assignment_id, dates_version from assignments where unit_id = $1")
            .bind(unit_id)
            .fetch_all(&mut *conn)
            .await?
    {
        versions.insert(row.try_get("assignment_id")?, row.try_get("dates_version")?);
    }
    let mut items = Vec::new();
    for a in list.iter().filter(|a| a.status != TaskStatus::Cancelled) {
        for (n, d) in a.due.iter().enumerate() {
            if d.state != DueState::Resolved {
                continue;
            }
            let Some(last) = parse_day(d.to.as_deref()) else {
                continue;
            };
            let done = if a.status == TaskStatus::Done {
                "[Đã hoàn thành] "
            } else {
                ""
            };
            let mut description = vec![
                a.task_text.clone(),
                format!("Kế hoạch số {}, mục {}", a.plan_number, a.task_ref),
            ];
            if let Some(p) = &a.deadline_phrase {
                description.push(format!("Thời gian: {p}"));
            }
            description.push(format!("Thời hạn: {}", d.text()));
            description.push(format!("Trạng thái: {}", status_text(a, today)));
            items.push(feed::FeedItem {
                uid: format!("assignment-{}-{n}@dondoc", a.assignment_id),
                summary: format!(
                    "{done}Hạn nhiệm vụ {}: {}",
                    a.task_ref,
                    clip(&a.task_text, 90)
                ),
                description: description.join("\n"),
                start: last,
                end: last,
                sequence: sequence(versions.get(&a.assignment_id).copied().unwrap_or(0)),
            });
        }
    }
    for row in sqlx::query(
        "select e.event_id, e.name, e.start_date, e.end_date, e.dates_version, u.name as unit_name
         from events e left join units u on u.unit_id = e.unit_id
         where e.start_date is not null
           and (e.unit_id in (select ancestor_id from unit_closure where descendant_id = $1)
                or e.event_id in (select d.event_id from due_deps d
                    join assignments a on a.assignment_id = d.owner_id
                    where d.owner = 'assignment' and a.unit_id = $1))
         order by e.start_date, e.event_id",
    )
    .bind(unit_id)
    .fetch_all(&mut *conn)
    .await?
    {
        let id: String = row.try_get("event_id")?;
        let start: Option<String> = row.try_get("start_date")?;
        let end: Option<String> = row.try_get("end_date")?;
        let Some(start) = parse_day(start.as_deref()) else {
            continue;
        };
        let owner: Option<String> = row.try_get("unit_name")?;
        items.push(feed::FeedItem {
            uid: format!("event-{id}@dondoc"),
            summary: row.try_get("name")?,
            description: owner
                .map(|u| format!("Sự kiện của {u}"))
                .unwrap_or_default(),
            start,
            end: parse_day(end.as_deref()).unwrap_or(start),
            sequence: sequence(row.try_get("dates_version")?),
        });
    }
    items.sort_by(|a, b| a.start.cmp(&b.start).then_with(|| a.uid.cmp(&b.uid)));
    Ok(feed::Feed {
        name: format!("dondoc — {unit_name}"),
        items,
    })
}

// ---------------------------------------------------------------------------
// The dashboard's charts

/// The phases that have both their days, the deadlines of the tasks and of
/// the phase reports, and today.
pub async fn timeline(
    conn: &mut AnyConnection,
    plan: Option<&str>,
    today: Date,
) -> Result<charts::Timeline> {
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
    Ok(charts::Timeline {
        phases,
        deadlines,
        today,
    })
}

/// The reporting rate (submitted of expected) of each level of units over
/// every period reports are owed for, in order of due day.
pub async fn rate_series(
    conn: &mut AnyConnection,
    plan: Option<&str>,
    today: Date,
) -> Result<charts::RateSeries> {
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
            q = q
                .bind(s.regime.reporting_id)
                .bind(s.period.key.clone())
                .bind(s.period.first_day.clone())
                .bind(s.period.last_day.clone())
                .bind(s.period.due.to.clone());
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
    Ok(charts::RateSeries {
        periods: columns.iter().map(|c| c.name().title()).collect(),
        series,
    })
}

/// The totals of each indicator some report gave a figure for, per phase,
/// each phase covering what its synthesis report covers.
pub async fn figure_bars(
    conn: &mut AnyConnection,
    plan: Option<&str>,
    today: Date,
) -> Result<charts::FigureBars> {
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
    Ok(charts::FigureBars {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phases_are_named_with_or_without_the_word() {
        assert_eq!(phase_key("Đợt I"), "i");
        assert_eq!(phase_key("đợt i"), "i");
        assert_eq!(phase_key("ĐỢT IV"), "iv");
        assert_eq!(phase_key("I"), "i");
        assert_eq!(phase_key("Đợt 4"), "iv");
        assert_eq!(phase_key("19"), "xix");
    }
}
