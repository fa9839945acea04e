//! *Việc của tôi* (`/viec-cua-toi`, an officer's home after sign-in): the
//! work of the user's own unit across every plan, by deadline — its open
//! assignments, then the reports it owes, each labelled with its plan;
//! reports sent back for correction first among them — and, above them,
//! what the unit has been told (a report returned, a deadline moved, a
//! reminder from the plan's owner), until one of its officers marks it
//! read (`POST /viec-cua-toi/da-doc`, `POST /api/my-work/read`).
//! `/api/my-work` gives the same as JSON.

use crate::access;
use crate::error::{ApiResult, AppError, PageResult};
use crate::layout::{Layout, vn_text};
use crate::session::{Api, CurrentUser};
use crate::state::AppState;
use crate::support::csrf::CsrfForm;
use crate::view::report::{Badge, badges, due_text, form_url};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::Redirect;
use axum::routing::{get, post};
use axum::{Json, Router};
use dondoc_core::due::{DueState, texts as dues_text};
use dondoc_core::text::vn_time;
use dondoc_store::assignments::Assignment;
use dondoc_store::notices::{Kind, Notice};
use dondoc_store::reports::{Owed, ReportKey, Status};
use jiff::civil::Date;
use serde_json::{Value, json};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/viec-cua-toi", get(page))
        .route("/viec-cua-toi/da-doc", post(mark_read))
        .route("/api/my-work", get(api))
        .route("/api/my-work/read", post(mark_read_api))
}

/// A notice as the page shows it.
struct NoticeLine {
    text: String,
    href: Option<String>,
    kind: &'static str,
    by: String,
    at: String,
    read: bool,
}

fn notice_line(n: &Notice) -> NoticeLine {
    NoticeLine {
        text: n.text.clone(),
        href: n.link.clone(),
        kind: match n.kind {
            Kind::Returned => "Trả lại",
            Kind::Moved => "Dời hạn",
            Kind::Urged => "Đôn đốc",
        },
        by: n.created_by.clone(),
        at: vn_time(&n.created_at),
        read: n.read,
    }
}

async fn mark_read(
    State(state): State<AppState>,
    user: CurrentUser,
    CsrfForm(_): CsrfForm<serde::de::IgnoredAny>,
) -> PageResult<Redirect> {
    access::mark_notices_read(&user)?;
    state.store.mark_notices_read(user.user.unit_id).await?;
    Ok(Redirect::to("/viec-cua-toi"))
}

async fn mark_read_api(
    State(state): State<AppState>,
    Api(user): Api<CurrentUser>,
) -> ApiResult<Json<Value>> {
    access::mark_notices_read(&user)?;
    let n = state.store.mark_notices_read(user.user.unit_id).await?;
    Ok(Json(json!({ "marked": n })))
}

/// The last day by which an assignment is due, if it has one: what the
/// list is ordered by (the undated last).
fn due_day(a: &Assignment) -> Option<String> {
    a.due
        .iter()
        .filter(|d| d.state == DueState::Resolved)
        .filter_map(|d| d.to.clone().or_else(|| d.from.clone()))
        .min()
}

/// An owed report with the plan it belongs to.
struct OwedIn {
    plan_number: String,
    owed: Owed,
}

/// The user's unit's open assignments and owed reports, across all plans.
async fn gather(
    state: &AppState,
    user: &CurrentUser,
    today: Date,
) -> Result<(Vec<Assignment>, Vec<OwedIn>), AppError> {
    let unit = user.user.unit_id;
    let mut open: Vec<Assignment> = state
        .store
        .assignments_of_unit(unit)
        .await?
        .into_iter()
        .filter(|a| a.status.is_open())
        .collect();
    open.sort_by_cached_key(|a| (due_day(a).is_none(), due_day(a), a.plan_number.clone()));
    let mut owed = Vec::new();
    for plan in state.store.plans().await? {
        let regimes = state.store.regimes_of_plan(plan.plan_id).await?;
        for o in state.store.reports_owed(&regimes, unit, today).await? {
            let done = matches!(o.status, Some(Status::Submitted | Status::Accepted));
            if o.period.open && !done {
                owed.push(OwedIn {
                    plan_number: plan.number.clone(),
                    owed: o,
                });
            }
        }
    }
    // Sent back for correction first, then by due day.
    owed.sort_by_cached_key(|o| {
        (
            o.owed.status != Some(Status::Returned),
            o.owed.period.due_to().map(str::to_string),
        )
    });
    Ok((open, owed))
}

struct TaskLine {
    href: String,
    plan: String,
    reference: String,
    text: String,
    due: String,
    /// The plan's own words for the deadline, said beside the day computed
    /// from them ("trước ngày 05/02/2025" → chậm nhất 04/02/2025).
    phrase: String,
    status: &'static str,
    overdue: bool,
}

struct ReportLine {
    href: String,
    plan: String,
    regime: String,
    period: String,
    due: String,
    badges: Vec<Badge>,
    returned: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "my_work.html")]
struct MyWorkPage {
    layout: Layout,
    unit_name: String,
    tasks: Vec<TaskLine>,
    overdue: usize,
    reports: Vec<ReportLine>,
    notices: Vec<NoticeLine>,
    unread: usize,
}

async fn page(State(state): State<AppState>, user: CurrentUser) -> PageResult<MyWorkPage> {
    let today = state.clock.today();
    let (open, owed) = gather(&state, &user, today).await?;
    let tasks: Vec<TaskLine> = open
        .iter()
        .map(|a| TaskLine {
            href: format!("/nhiem-vu/{}", a.assignment_id),
            plan: a.plan_number.clone(),
            reference: a.task_ref.clone(),
            text: a.task_text.clone(),
            due: dues_text(&a.due),
            phrase: a.deadline_phrase.clone().unwrap_or_default(),
            status: a.status.label(),
            overdue: a.is_overdue(today),
        })
        .collect();
    let reports = owed
        .iter()
        .map(|o| {
            let key = ReportKey {
                reporting_id: o.owed.reporting_id,
                period: o.owed.period.key.clone(),
                unit_id: user.user.unit_id,
            };
            ReportLine {
                href: form_url(&key),
                plan: o.plan_number.clone(),
                regime: o.owed.regime.clone(),
                period: o.owed.period.label.clone(),
                due: due_text(&o.owed.period),
                badges: badges(
                    o.owed.status,
                    o.owed.first_submitted_on.as_deref(),
                    &o.owed.period,
                    today,
                ),
                returned: o.owed.status == Some(Status::Returned),
            }
        })
        .collect();
    let notices: Vec<NoticeLine> = state
        .store
        .notices(user.user.unit_id)
        .await?
        .iter()
        .map(notice_line)
        .collect();
    Ok(MyWorkPage {
        layout: Layout::new(&state, &user, "Việc của tôi", "/viec-cua-toi"),
        unread: notices.iter().filter(|n| !n.read).count(),
        notices,
        unit_name: user.user.unit_name.clone(),
        overdue: tasks.iter().filter(|t| t.overdue).count(),
        tasks,
        reports,
    })
}

async fn api(State(state): State<AppState>, Api(user): Api<CurrentUser>) -> ApiResult<Json<Value>> {
    let today = state.clock.today();
    let (open, owed) = gather(&state, &user, today).await?;
    let notices = state.store.notices(user.user.unit_id).await?;
    Ok(Json(json!({
        "notices": notices,
        "unit_id": user.user.unit_id,
        "unit_name": user.user.unit_name,
        "assignments": open.iter().map(|a| json!({
            "assignment_id": a.assignment_id,
            "plan": a.plan_number,
            "task_ref": a.task_ref,
            "task_text": a.task_text,
            "status": a.status,
            "due": a.due,
            "due_text": dues_text(&a.due),
            "overdue": a.is_overdue(today),
        })).collect::<Vec<_>>(),
        "reports": owed.iter().map(|o| json!({
            "plan": o.plan_number,
            "reporting_id": o.owed.reporting_id,
            "regime": o.owed.regime,
            "period": o.owed.period.key,
            "period_label": o.owed.period.label,
            "due": o.owed.period.due_to(),
            "due_text": due_text(&o.owed.period),
            "status": o.owed.status,
            "returned": o.owed.status == Some(Status::Returned),
        })).collect::<Vec<_>>(),
        "today": vn_text(&today.to_string()),
    })))
}
