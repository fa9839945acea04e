//! The overview (*Tổng quan*, `/`) and its JSON twin (`/api/dashboard`):
//! where today falls on the phase timeline, assignments overdue or due within
//! seven days by unit, reporting rates by regime and period rolled up the
//! unit tree (drill down with `?don-vi=ID`), and the figures reported,
//! totalled per phase report and per month; the charts of the plan
//! (`documents`), and the way to its documents for those who may have them.
//!
//! Officers and leaders see their unit's subtree; owners and administrators
//! see everything. About ten queries whatever the number of units: every
//! roll-up is one grouped query (store `dashboard`). The charts are the
//! whole plan's, drawn by the store's chart queries (`documents`) in
//! transactions of their own, side by side; only the timeline is shown to
//! those who may not have the plan's documents.

use crate::access;
use crate::error::{ApiResult, AppError, PageResult};
use crate::guard::{ChosenPlan, PlanRef, scope};
use crate::layout::{Layout, vn_number, vn_text};
use crate::session::{Api, CurrentUser};
use crate::state::AppState;
use crate::support::query::Params;
use crate::view::charts::{ChartView, overview_charts};
use crate::view::report::due_text;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use dondoc_core::due::DueState;
use dondoc_core::text::{clip, percent_tenths, tenths_text};
use dondoc_store::StoreError;
use dondoc_store::dashboard::{
    Counts, FigureTotal, OverviewAsked, PeriodRates, PhaseSpan, UnitTasks,
};
use dondoc_store::reports::{self, Cadence, Regime};
use jiff::civil::Date;
use serde_json::{Value, json};
use std::collections::HashMap;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(page))
        .route("/api/dashboard", get(api))
}

/// How many tasks are named per unit in the overdue and due-soon lists.
const FEW_TASKS: i64 = 3;
/// "Due soon": within this many days from today.
const SOON_DAYS: i64 = 7;
/// Units listed on the page per list (the most behind first); the rest are
/// counted, and reached by drilling down.
const UNITS_SHOWN: usize = 10;

/// Everything the overview shows, gathered once for the page and the API.
struct Overview {
    plan_number: String,
    today: Date,
    /// The chosen unit (`None`: everything).
    scope: Option<i64>,
    /// The chosen unit and those above it that the user may read.
    trail: Vec<(i64, String)>,
    phases: Vec<PhaseSpan>,
    regimes: Vec<Regime>,
    rates: Vec<PeriodRates>,
    overdue: Vec<UnitTasks>,
    due_soon: Vec<UnitTasks>,
    totals: Vec<FigureTotal>,
}

async fn overview(
    state: &AppState,
    user: &CurrentUser,
    asked_unit: Option<i64>,
    plan: &PlanRef,
) -> Result<Overview, AppError> {
    let today = state.clock.today();
    let scope = scope(state, user, asked_unit).await?;
    let o = state
        .store
        .overview(OverviewAsked {
            plan_id: plan.plan_id,
            scope,
            today,
            soon_days: SOON_DAYS,
            few_tasks: FEW_TASKS,
        })
        .await?;
    Ok(Overview {
        plan_number: plan.number.clone(),
        today,
        scope,
        trail: readable_trail(o.trail, user),
        phases: o.phases,
        regimes: o.regimes,
        rates: o.rates,
        overdue: o.overdue,
        due_soon: o.due_soon,
        totals: o.totals,
    })
}

/// The ancestors shown as a path: all of them for those who read
/// everything, else from the user's own unit down.
fn readable_trail(all: Vec<(i64, String)>, user: &CurrentUser) -> Vec<(i64, String)> {
    if access::reads_every_unit(user) {
        return all;
    }
    match all.iter().position(|(id, _)| *id == user.user.unit_id) {
        Some(i) => all[i..].to_vec(),
        None => all.last().cloned().into_iter().collect(),
    }
}

/// Where a phase stands on `today`.
fn phase_position(p: &PhaseSpan, today: &str) -> &'static str {
    match (&p.from, &p.to) {
        (_, Some(to)) if to.as_str() < today => "past",
        (Some(from), _) if from.as_str() > today => "future",
        (None, None) if p.state == DueState::Pending => "pending",
        (None, None) => "future",
        _ => "current",
    }
}

fn phase_span_text(p: &PhaseSpan) -> String {
    match (&p.from, &p.to) {
        (Some(f), Some(t)) => format!("{} – {}", vn_text(f), vn_text(t)),
        (Some(f), None) => format!("từ {}", vn_text(f)),
        (None, Some(t)) => format!("đến {}", vn_text(t)),
        (None, None) => match &p.waits_for {
            Some(w) => format!("chờ ngày «{w}»"),
            None => "chưa xác định thời gian".into(),
        },
    }
}

/// A rate as the API gives it: a number with one decimal, rounded as every
/// printed rate is (`dondoc_core::text::percent_tenths`).
fn percent(part: i64, whole: i64) -> f64 {
    if whole <= 0 {
        return 0.0;
    }
    percent_tenths(part, whole) as f64 / 10.0
}

/// A rate on a page: its text (`83,3%`) and its bar's width (`83.3`).
#[derive(Debug, Clone)]
struct Pct {
    text: String,
    width: String,
}

fn pct(part: i64, whole: i64) -> Pct {
    let tenths = if whole <= 0 {
        0
    } else {
        percent_tenths(part, whole)
    };
    Pct {
        text: tenths_text(tenths),
        width: format!("{}.{}", tenths / 10, tenths % 10),
    }
}

// ---------------------------------------------------------------------------
// The API

async fn api(
    State(state): State<AppState>,
    Api(user): Api<CurrentUser>,
    Api(chosen): Api<ChosenPlan>,
    Api(q): Api<Params>,
) -> ApiResult<Json<Value>> {
    let plan = chosen
        .plan
        .as_ref()
        .ok_or_else(|| AppError::from(StoreError::NoPlan))?;
    let o = overview(&state, &user, q.id("unit_id")?, plan).await?;
    Ok(Json(overview_json(&o)))
}

fn counts_json(c: &Counts) -> Value {
    json!({
        "expected": c.expected,
        "submitted": c.submitted,
        "on_time": c.on_time,
        "submitted_percent": percent(c.submitted, c.expected),
        "on_time_percent": percent(c.on_time, c.expected),
    })
}

fn overview_json(o: &Overview) -> Value {
    let today = o.today.to_string();
    let labels = indicator_labels(&o.regimes);
    let period_labels: HashMap<(i64, String), String> = o
        .rates
        .iter()
        .map(|r| {
            (
                (r.reporting_id, r.period.key.clone()),
                r.period.label.clone(),
            )
        })
        .collect();
    json!({
        "plan": o.plan_number,
        "today": today,
        "unit": o.trail.last().map(|(id, name)| json!({"unit_id": id, "name": name})),
        "trail": o.trail.iter().map(|(id, name)| json!({"unit_id": id, "name": name})).collect::<Vec<_>>(),
        "phases": o.phases.iter().map(|p| json!({
            "name": p.name,
            "from": p.from,
            "to": p.to,
            "state": p.state,
            "waits_for": p.waits_for,
            "position": phase_position(p, &today),
        })).collect::<Vec<_>>(),
        "rates": o.rates.iter().map(|r| json!({
            "reporting_id": r.reporting_id,
            "regime": r.regime,
            "period": {
                "key": r.period.key,
                "label": r.period.label,
                "due": r.period.due_to(),
                "open": r.period.open,
                "waits_for": r.period.due.waits_for,
            },
            "total": counts_json(&r.total),
            "by_unit": r.by_unit.iter().map(|u| {
                let mut v = counts_json(&u.counts);
                v["unit_id"] = json!(u.unit_id);
                v["unit_name"] = json!(u.unit_name);
                v["own"] = json!(u.own);
                v
            }).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "overdue": o.overdue,
        "due_soon": o.due_soon,
        "totals": o.totals.iter().map(|t| json!({
            "reporting_id": t.reporting_id,
            "regime": o.regimes.iter().find(|g| g.reporting_id == t.reporting_id).map(|g| g.name.clone()),
            "period": t.period,
            "period_label": period_labels.get(&(t.reporting_id, t.period.clone())),
            "indicator_key": t.indicator_key,
            "indicator_label": labels.get(&t.indicator_key),
            "total": t.total,
            "reports": t.reports,
        })).collect::<Vec<_>>(),
    })
}

fn indicator_labels(regimes: &[Regime]) -> HashMap<String, String> {
    regimes
        .iter()
        .flat_map(|g| g.indicators.iter())
        .map(|i| (i.key.clone(), i.label.clone()))
        .collect()
}

// ---------------------------------------------------------------------------
// The page

struct PhaseView {
    name: String,
    span: String,
    class: &'static str,
    state: &'static str,
    current: bool,
}

struct TasksView {
    unit_name: String,
    href: String,
    count: String,
    tasks: Vec<TaskLink>,
    more: String,
}

struct TaskLink {
    href: String,
    reference: String,
    text: String,
    due: String,
}

struct RateView {
    label: String,
    href: String,
    due: String,
    selected: bool,
    open: bool,
    /// Open, but its due day has not passed: the rates say nothing yet.
    not_due: bool,
    expected: String,
    submitted: String,
    on_time: String,
    submitted_pct: Pct,
    on_time_pct: Pct,
}

struct UnitRateView {
    name: String,
    href: String,
    expected: String,
    submitted: String,
    on_time: String,
    submitted_pct: Pct,
    on_time_pct: Pct,
}

struct TotalsTable {
    caption: String,
    columns: Vec<String>,
    rows: Vec<TotalsRow>,
    empty: bool,
}

struct TotalsRow {
    label: String,
    unit: String,
    cells: Vec<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "dashboard.html")]
struct DashboardPage {
    layout: Layout,
    has_plan: bool,
    plan_id: i64,
    plan_number: String,
    trail: Vec<(String, String)>,
    scope_name: String,
    phases: Vec<PhaseView>,
    current_phase: String,
    overdue: Vec<TasksView>,
    overdue_more: String,
    due_soon: Vec<TasksView>,
    due_soon_more: String,
    rates: Vec<RateView>,
    by_unit_title: String,
    by_unit: Vec<UnitRateView>,
    by_unit_total: Option<UnitRateView>,
    totals: Vec<TotalsTable>,
    charts: Vec<ChartView>,
    /// Whether to point to the plan's downloads.
    can_export: bool,
}

async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    chosen: ChosenPlan,
    q: Params,
) -> PageResult<Response> {
    let layout = Layout::new(&state, &user, "Tổng quan", "/");
    // A fresh service has no plan yet: an empty overview, not an error.
    let Some(plan) = &chosen.plan else {
        return Ok(empty_page(layout).into_response());
    };
    let layout = layout.in_plan(plan.plan_id, &chosen.plans);
    let o = overview(&state, &user, q.id("don-vi")?, plan).await?;
    let (charts, can_export) = overview_charts(&state, &user, plan).await?;
    let selected = selected_period(&o, q.text("ky"));
    let link = |unit: Option<i64>, ky: Option<&str>| link_to(plan.plan_id, unit, ky);
    let ky_of = |r: &PeriodRates| format!("{}:{}", r.reporting_id, r.period.key);
    let selected_ky = selected.map(ky_of);
    let today = o.today.to_string();
    let phases: Vec<PhaseView> = o.phases.iter().map(|p| phase_view(p, &today)).collect();
    let current_phase = phases
        .iter()
        .filter(|p| p.current)
        .map(|p| p.name.clone())
        .collect::<Vec<_>>()
        .join(", ");
    let rates = o
        .rates
        .iter()
        .map(|r| {
            let ky = ky_of(r);
            rate_view(
                r,
                link(o.scope, Some(&ky)),
                selected_ky.as_deref() == Some(ky.as_str()),
                o.today,
            )
        })
        .collect();
    let (by_unit_title, by_unit, by_unit_total) = match selected {
        Some(r) => (
            format!("{} — {}", r.regime, r.period.label),
            r.by_unit
                .iter()
                .map(|u| {
                    let name = if u.own {
                        format!("{} (báo cáo của chính đơn vị)", u.unit_name)
                    } else {
                        u.unit_name.clone()
                    };
                    let href = if u.own {
                        String::new()
                    } else {
                        link(Some(u.unit_id), selected_ky.as_deref())
                    };
                    unit_rate_view(name, href, &u.counts)
                })
                .collect(),
            Some(unit_rate_view("Tổng cộng".into(), String::new(), &r.total)),
        ),
        None => (String::new(), Vec::new(), None),
    };
    let tasks = |list: &[UnitTasks]| -> Vec<TasksView> {
        list.iter()
            .take(UNITS_SHOWN)
            .map(|u| {
                let (tasks, more) = task_links(u);
                TasksView {
                    unit_name: u.unit_name.clone(),
                    href: link(Some(u.unit_id), selected_ky.as_deref()),
                    count: vn_number(u.count),
                    tasks,
                    more,
                }
            })
            .collect()
    };
    let page = DashboardPage {
        layout,
        has_plan: true,
        plan_id: plan.plan_id,
        plan_number: o.plan_number.clone(),
        trail: o
            .trail
            .iter()
            .map(|(id, name)| (link(Some(*id), selected_ky.as_deref()), name.clone()))
            .collect(),
        scope_name: o
            .trail
            .last()
            .map(|(_, n)| n.clone())
            .unwrap_or_else(|| "Tất cả đơn vị".into()),
        phases,
        current_phase,
        overdue: tasks(&o.overdue),
        overdue_more: more_units(&o.overdue),
        due_soon: tasks(&o.due_soon),
        due_soon_more: more_units(&o.due_soon),
        rates,
        by_unit_title,
        by_unit,
        by_unit_total,
        totals: totals_tables(&o),
        charts,
        can_export,
    };
    Ok(page.into_response())
}

fn empty_page(layout: Layout) -> DashboardPage {
    DashboardPage {
        layout,
        has_plan: false,
        plan_id: 0,
        plan_number: String::new(),
        trail: Vec::new(),
        scope_name: String::new(),
        phases: Vec::new(),
        current_phase: String::new(),
        overdue: Vec::new(),
        overdue_more: String::new(),
        due_soon: Vec::new(),
        due_soon_more: String::new(),
        rates: Vec::new(),
        by_unit_title: String::new(),
        by_unit: Vec::new(),
        by_unit_total: None,
        totals: Vec::new(),
        charts: Vec::new(),
        can_export: false,
    }
}

fn link_to(plan_id: i64, unit: Option<i64>, ky: Option<&str>) -> String {
    let mut parts = vec![format!("ke-hoach={plan_id}")];
    if let Some(u) = unit {
        parts.push(format!("don-vi={u}"));
    }
    if let Some(k) = ky {
        parts.push(format!("ky={k}"));
    }
    format!("/?{}#ty-le", parts.join("&"))
}

/// The period shown by unit: the one asked for (`ky=ID:KEY`), else the
/// latest whose due day has passed (the one worth chasing), else the first.
fn selected_period<'a>(o: &'a Overview, asked: Option<&str>) -> Option<&'a PeriodRates> {
    let open = || o.rates.iter().filter(|r| r.period.open);
    if let Some((id, key)) = asked.and_then(|a| a.split_once(':'))
        && let Some(r) = open().find(|r| r.reporting_id.to_string() == id && r.period.key == key)
    {
        return Some(r);
    }
    let today = o.today.to_string();
    open()
        .filter(|r| r.period.due_to().is_some_and(|d| d < today.as_str()))
        .max_by(|a, b| a.period.due_to().cmp(&b.period.due_to()))
        .or_else(|| open().next())
}

fn phase_view(p: &PhaseSpan, today: &str) -> PhaseView {
    let position = phase_position(p, today);
    PhaseView {
        name: p.name.clone(),
        span: phase_span_text(p),
        class: match position {
            "past" => "past",
            "current" => "current",
            _ => "",
        },
        state: match position {
            "past" => "đã qua",
            "current" => "đang diễn ra",
            "pending" => "chưa định ngày",
            _ => "sắp tới",
        },
        current: position == "current",
    }
}

fn rate_view(r: &PeriodRates, href: String, selected: bool, today: Date) -> RateView {
    let c = &r.total;
    RateView {
        label: if r.period.label == r.regime {
            r.regime.clone()
        } else {
            format!("{} · {}", r.regime, r.period.label)
        },
        href,
        due: due_text(&r.period),
        selected,
        open: r.period.open,
        not_due: r.period.open && r.period.due_to().is_some() && !r.period.overdue_on(today),
        expected: vn_number(c.expected),
        submitted: vn_number(c.submitted),
        on_time: vn_number(c.on_time),
        submitted_pct: pct(c.submitted, c.expected),
        on_time_pct: pct(c.on_time, c.expected),
    }
}

fn unit_rate_view(name: String, href: String, c: &Counts) -> UnitRateView {
    UnitRateView {
        name,
        href,
        expected: vn_number(c.expected),
        submitted: vn_number(c.submitted),
        on_time: vn_number(c.on_time),
        submitted_pct: pct(c.submitted, c.expected),
        on_time_pct: pct(c.on_time, c.expected),
    }
}

/// "và 12 đơn vị khác (34 nhiệm vụ)" for the units beyond those shown.
fn more_units(list: &[UnitTasks]) -> String {
    let rest = list.get(UNITS_SHOWN..).unwrap_or_default();
    if rest.is_empty() {
        return String::new();
    }
    let tasks: i64 = rest.iter().map(|u| u.count).sum();
    format!(
        "… và {} đơn vị khác ({} nhiệm vụ); chọn một cấp đơn vị để xem chi tiết.",
        vn_number(rest.len() as i64),
        vn_number(tasks)
    )
}

/// A unit's first few tasks in a list: each linked, with the start of its
/// words and its due day; then how many more.
fn task_links(u: &UnitTasks) -> (Vec<TaskLink>, String) {
    let links = u
        .first
        .iter()
        .map(|t| TaskLink {
            href: format!("/nhiem-vu/{}", t.assignment_id),
            reference: t.task_ref.clone(),
            text: clip(&t.task_text, 90),
            due: vn_text(&t.due),
        })
        .collect();
    let more = u.count - u.first.len() as i64;
    let more = if more > 0 {
        format!("và {} nhiệm vụ khác", vn_number(more))
    } else {
        String::new()
    };
    (links, more)
}

/// Totals per indicator: one table over the phase reports (one column per
/// regime), one per recurring regime (one column per period).
fn totals_tables(o: &Overview) -> Vec<TotalsTable> {
    let mut sums: HashMap<(i64, &str, &str), i64> = HashMap::new();
    for t in &o.totals {
        sums.insert(
            (t.reporting_id, t.period.as_str(), t.indicator_key.as_str()),
            t.total,
        );
    }
    let single: Vec<&Regime> = o
        .regimes
        .iter()
        .filter(|g| g.cadence == Cadence::Single)
        .collect();
    let mut tables = Vec::new();
    if !single.is_empty() {
        let columns: Vec<(i64, String)> = single
            .iter()
            .map(|g| (g.reporting_id, reports::SINGLE_PERIOD.to_string()))
            .collect();
        tables.push(totals_table(
            "Số liệu theo báo cáo đợt".into(),
            single.iter().map(|g| g.name.clone()).collect(),
            &single,
            &columns,
            &sums,
        ));
    }
    for g in o.regimes.iter().filter(|g| g.cadence != Cadence::Single) {
        let periods = reports::periods(g, o.today);
        let columns: Vec<(i64, String)> = periods
            .iter()
            .map(|p| (g.reporting_id, p.key.clone()))
            .collect();
        tables.push(totals_table(
            format!("Số liệu báo cáo {} theo kỳ", g.name.to_lowercase()),
            periods.iter().map(|p| short_period(&p.label)).collect(),
            &[g],
            &columns,
            &sums,
        ));
    }
    tables
}

/// "Tháng 03/2025" → "03/2025": the column heads of a wide table.
fn short_period(label: &str) -> String {
    label.strip_prefix("Tháng ").unwrap_or(label).to_string()
}

fn totals_table(
    caption: String,
    headers: Vec<String>,
    regimes: &[&Regime],
    columns: &[(i64, String)],
    sums: &HashMap<(i64, &str, &str), i64>,
) -> TotalsTable {
    // Indicators in the order the regimes list them, each once.
    let mut indicators = Vec::new();
    for g in regimes {
        for i in &g.indicators {
            if !indicators
                .iter()
                .any(|(k, _, _): &(String, String, String)| *k == i.key)
            {
                indicators.push((i.key.clone(), i.label.clone(), i.unit.clone()));
            }
        }
    }
    let mut empty = true;
    let rows = indicators
        .into_iter()
        .map(|(key, label, unit)| TotalsRow {
            cells: columns
                .iter()
                .map(
                    |(id, period)| match sums.get(&(*id, period.as_str(), key.as_str())) {
                        Some(n) => {
                            empty = false;
                            vn_number(*n)
                        }
                        None => "–".to_string(),
                    },
                )
                .collect(),
            label,
            unit,
        })
        .collect();
    TotalsTable {
        caption,
        columns: headers,
        rows,
        empty,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_never_round_up_to_a_full_house() {
        assert_eq!(percent(0, 0), 0.0);
        assert_eq!(percent(31, 32), 96.9);
        assert_eq!(percent(1999, 2000), 99.9);
        assert_eq!(percent(5, 5), 100.0);
        let p = pct(31, 32);
        assert_eq!((p.text.as_str(), p.width.as_str()), ("96,9%", "96.9"));
        // The page's text is the documents' text.
        assert_eq!(p.text, dondoc_core::text::vn_percent(31, 32));
    }

    #[test]
    fn phases_are_placed_on_today() {
        let span = |from: Option<&str>, to: Option<&str>, state| PhaseSpan {
            name: "Đợt".into(),
            phrase: String::new(),
            from: from.map(str::to_string),
            to: to.map(str::to_string),
            state,
            waits_for: None,
        };
        let today = "2025-03-10";
        let r = DueState::Resolved;
        assert_eq!(
            phase_position(&span(Some("2024-11-19"), Some("2024-12-31"), r), today),
            "past"
        );
        assert_eq!(
            phase_position(&span(Some("2025-01-01"), Some("2025-08-31"), r), today),
            "current"
        );
        assert_eq!(
            phase_position(&span(Some("2025-09-01"), Some("2025-10-31"), r), today),
            "future"
        );
        assert_eq!(
            phase_position(&span(None, None, DueState::Pending), today),
            "pending"
        );
    }
}
