//! The plan a request is about.
//!
//! A database holds many plans. A page names the one in view as
//! `?ke-hoach=ID` (the plan's id; a plan's number is accepted there too,
//! and `?so=NUMBER` is kept as an alias for addresses made before); the API
//! also takes `plan`. A plan chosen so is remembered for the browser's
//! session (`remember_plan`), so that a page opened without one shows the
//! plan last looked at; else the oldest stored plan. Every signed-in user
//! may read every plan; the documents of a whole plan follow
//! `access::export_plan`.

use crate::access;
use crate::error::AppError;
use crate::session::{CurrentUser, cookie};
use crate::state::AppState;
use crate::support::query::Params;
use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;
use dondoc_store::StoreError;
use dondoc_store::plans::PlanRow;
use std::sync::{Arc, OnceLock};

pub use dondoc_store::plans::PlanRow as PlanRef;

/// The cookie that remembers the plan in view (its id; no secret).
pub const PLAN_COOKIE: &str = "dondoc_ke_hoach";

/// The plan a request chose in its address, kept for `remember_plan`.
#[derive(Clone, Default)]
struct Chosen(Arc<OnceLock<i64>>);

/// The plan in view, and every plan (for the page's plan chooser). `plan`
/// is `None` only while the database holds no plan at all.
pub struct ChosenPlan {
    pub plan: Option<PlanRef>,
    pub plans: Vec<PlanRef>,
}

impl ChosenPlan {
    /// The plan in view, or "not found" on a database without plans.
    pub fn required(&self) -> Result<&PlanRef, AppError> {
        self.plan.as_ref().ok_or_else(|| StoreError::NoPlan.into())
    }
}

fn find<'a>(plans: &'a [PlanRow], asked: &str) -> Option<&'a PlanRow> {
    match asked.parse::<i64>() {
        Ok(id) => plans.iter().find(|p| p.plan_id == id),
        Err(_) => plans.iter().find(|p| p.number == asked),
    }
}

impl FromRequestParts<AppState> for ChosenPlan {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        CurrentUser::from_request_parts(parts, state).await?;
        let params = Params::from_request_parts(parts, state).await?;
        let plans = state.store.plans().await?;
        let asked = params.text_any(&["ke-hoach", "plan", "so"]);
        let plan = match asked {
            Some(asked) => {
                let p = find(&plans, asked)
                    .ok_or_else(|| AppError::NotFound(format!("kế hoạch «{asked}»")))?;
                if let Some(memo) = parts.extensions.get::<Chosen>() {
                    let _ = memo.0.set(p.plan_id);
                }
                Some(p.clone())
            }
            None => cookie(&parts.headers, PLAN_COOKIE)
                .and_then(|id| find(&plans, &id).cloned())
                .or_else(|| plans.first().cloned()),
        };
        Ok(ChosenPlan { plan, plans })
    }
}

/// A plan whose whole-plan documents (synthesis report, tracking
/// workbook, rate and figure charts) the user may have.
pub struct ExportablePlan(pub PlanRef);

impl FromRequestParts<AppState> for ExportablePlan {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let user = CurrentUser::from_request_parts(parts, state).await?;
        let chosen = ChosenPlan::from_request_parts(parts, state).await?;
        let plan = chosen.required()?.clone();
        access::export_plan(state, &user, &plan.issuer).await?;
        Ok(ExportablePlan(plan))
    }
}

/// The plan in view, which the user manages (reviews its reports, reminds
/// its late units): checked before any form is read.
pub struct PlanToManage(pub PlanRef);

impl FromRequestParts<AppState> for PlanToManage {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let user = CurrentUser::from_request_parts(parts, state).await?;
        let chosen = ChosenPlan::from_request_parts(parts, state).await?;
        let plan = chosen.required()?.clone();
        access::manage_plan(state, &user, plan.plan_id).await?;
        Ok(PlanToManage(plan))
    }
}

/// Remembers for the browser's session the plan a page's address chose
/// (a cookie without an expiry date, ended with the browser).
pub async fn remember_plan(
    State(state): State<AppState>,
    mut req: Request,
    next: Next,
) -> Response {
    let memo = Chosen::default();
    req.extensions_mut().insert(memo.clone());
    let mut resp = next.run(req).await;
    if let Some(id) = memo.0.get()
        && resp.status().is_success()
    {
        let secure = if state.secure_cookies { "; Secure" } else { "" };
        let v = format!("{PLAN_COOKIE}={id}; Path=/; HttpOnly; SameSite=Lax{secure}");
        if let Ok(v) = HeaderValue::from_str(&v) {
            resp.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    resp
}
