//! The JSON API of reports, behind the same checks as the pages:
//!
//! - `GET /api/reports`: what the user's unit owes (officers) and the reports
//!   the user may read, filtered (`reporting_id`, `period`, `status` =
//!   submitted | accepted | returned | missing | all, `unit_id`, `plan`);
//! - `GET|PUT /api/reports/{reporting_id}/{period}/{unit_id}`: one report;
//!   PUT replaces figures and narrative (`{"figures": {"key": n},
//!   "narrative": "…", "submit": true, "version": n}`);
//! - `POST …/review`: `{"accept": bool, "comment": "…", "version": n}`;
//! - `GET|POST …/attachments`, `GET|DELETE …/attachments/{id}`.
//!
//! Writes need the session's token in `X-CSRF-Token`.

use super::files::{remove_file, send, the_file};
use super::{ReportUpload, period_index};
use crate::access;
use crate::error::{ApiResult, AppError};
use crate::guard::{
    ChosenPlan, ReportFile, ReportFileToRemove, ReportToRead, ReportToReview, ReportToWrite, scope,
};
use crate::session::{Api, CurrentUser};
use crate::state::AppState;
use crate::support::forms::VnJson;
use crate::support::query::Params;
use crate::support::upload::Uploaded;
use crate::view::report::{badges, due_text};
use axum::extract::{DefaultBodyLimit, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use dondoc_store::reports::{
    self, Attachment, ListFilter, Period, Report, ReportKey, ReportState, Status, Submission,
    Target,
};
use serde::Deserialize;
use serde_json::{Value, json};
use std::collections::BTreeMap;

pub fn routes(upload: DefaultBodyLimit) -> Router<AppState> {
    Router::new()
        .route("/api/reports", get(list_api))
        .route(
            "/api/reports/{reporting_id}/{period}/{unit_id}",
            get(get_api).put(put_api),
        )
        .route(
            "/api/reports/{reporting_id}/{period}/{unit_id}/review",
            post(review_api),
        )
        .route(
            "/api/reports/{reporting_id}/{period}/{unit_id}/attachments",
            get(files_api).post(upload_api).layer(upload),
        )
        .route(
            "/api/reports/{reporting_id}/{period}/{unit_id}/attachments/{attachment_id}",
            get(download_api).delete(delete_api),
        )
}

fn period_json(p: &Period) -> Value {
    json!({
        "key": p.key,
        "label": p.label,
        "due": p.due_to(),
        "due_text": due_text(p),
        "open": p.open,
        "waits_for": p.due.waits_for,
    })
}

fn report_json(r: &Report, period: &Period) -> Value {
    json!({
        "report_id": r.report_id,
        "status": r.status,
        "status_label": r.status.label(),
        "figures": r.figures,
        "narrative": r.narrative,
        "first_submitted_at": r.first_submitted_at,
        "first_submitted_on": r.first_submitted_on,
        "submitted_at": r.submitted_at,
        "late": r.first_submitted_on.as_deref().map(|d| period.is_late(d)),
        "review_comment": r.review_comment,
        "reviewed_by": r.reviewed_by,
        "version": r.version,
        "updated_at": r.updated_at,
    })
}

fn attachment_json(key: &ReportKey, a: &Attachment) -> Value {
    json!({
        "attachment_id": a.attachment_id,
        "filename": a.filename,
        "content_type": a.content_type,
        "size": a.size,
        "created_at": a.created_at,
        "url": format!(
            "/api/reports/{}/{}/{}/attachments/{}",
            key.reporting_id, key.period, key.unit_id, a.attachment_id
        ),
    })
}

/// A report with everything a client needs to show or fill it.
async fn full_json(
    state: &AppState,
    user: &CurrentUser,
    key: &ReportKey,
    t: &Target,
) -> Result<Value, AppError> {
    let ReportState {
        report,
        files,
        not_expected: reason,
    } = state.store.report_state(key, t).await?;
    let status = report.as_ref().map(|r| r.status);
    let reviewer = access::manage_plan(state, user, t.regime.plan_id)
        .await
        .is_ok();
    Ok(json!({
        "reporting_id": key.reporting_id,
        "regime": t.regime.name,
        "period": period_json(&t.period),
        "unit": {"unit_id": t.unit.unit_id, "name": t.unit.name},
        "indicators": t.regime.indicators,
        "expected": reason.is_none(),
        "not_expected_reason": reason,
        "report": report.as_ref().map(|r| report_json(r, &t.period)),
        "attachments": files.iter().map(|a| attachment_json(key, a)).collect::<Vec<_>>(),
        "can_write": access::write_unit(user, key.unit_id).is_ok()
            && reason.is_none() && status != Some(Status::Accepted),
        "can_review": reviewer
            && matches!(status, Some(Status::Submitted | Status::Accepted)),
    }))
}

async fn get_api(
    State(state): State<AppState>,
    Api(user): Api<CurrentUser>,
    Api(ReportToRead { key, target: t }): Api<ReportToRead>,
) -> ApiResult<Json<Value>> {
    Ok(Json(full_json(&state, &user, &key, &t).await?))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SaveBody {
    #[serde(default)]
    figures: BTreeMap<String, Value>,
    #[serde(default)]
    narrative: String,
    #[serde(default)]
    submit: bool,
    #[serde(default)]
    version: Option<i64>,
}

/// Figures as JSON values, to the text the store checks: a number as it
/// was written (so that -3 and 1.5 are refused there with the same words
/// as in the form), a string as it is, null as "not reported".
fn figure_texts(figures: &BTreeMap<String, Value>) -> Result<BTreeMap<String, String>, AppError> {
    figures
        .iter()
        .map(|(k, v)| {
            let text = match v {
                Value::Number(n) => n.to_string(),
                Value::String(s) => s.clone(),
                Value::Null => String::new(),
                _ => {
                    return Err(AppError::BadRequest(format!(
                        "số liệu «{k}» phải là một số nguyên không âm"
                    )));
                }
            };
            Ok((k.clone(), text))
        })
        .collect()
}

async fn put_api(
    State(state): State<AppState>,
    Api(user): Api<CurrentUser>,
    Api(ReportToWrite { key, target }): Api<ReportToWrite>,
    VnJson(body): VnJson<SaveBody>,
) -> ApiResult<Json<Value>> {
    let today = state.clock.today();
    let input = Submission {
        figures: figure_texts(&body.figures)?,
        narrative: body.narrative,
        submit: body.submit,
        version: body.version,
    };
    let u = &user.user;
    let (report, period) = state
        .store
        .save_report_at(u.user_id, &u.username, key.clone(), target, input, today)
        .await?;
    // The saved report alone: what the caller needs to go on (its version).
    Ok(Json(json!({
        "reporting_id": key.reporting_id,
        "period": period_json(&period),
        "unit_id": key.unit_id,
        "report": report_json(&report, &period),
    })))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ReviewBody {
    accept: bool,
    #[serde(default)]
    comment: String,
    #[serde(default)]
    version: Option<i64>,
}

async fn review_api(
    State(state): State<AppState>,
    Api(user): Api<CurrentUser>,
    Api(ReportToReview { key, target: t }): Api<ReportToReview>,
    VnJson(body): VnJson<ReviewBody>,
) -> ApiResult<Json<Value>> {
    let u = &user.user;
    state
        .store
        .review_report(
            u.user_id,
            &u.username,
            &key,
            body.accept,
            &body.comment,
            body.version,
        )
        .await?;
    Ok(Json(full_json(&state, &user, &key, &t).await?))
}

async fn files_api(
    State(state): State<AppState>,
    Api(ReportToRead { key, target }): Api<ReportToRead>,
) -> ApiResult<Json<Value>> {
    let files = state.store.report_state(&key, &target).await?.files;
    Ok(Json(json!({
        "attachments": files.iter().map(|a| attachment_json(&key, a)).collect::<Vec<_>>(),
    })))
}

async fn upload_api(
    State(state): State<AppState>,
    Api(user): Api<CurrentUser>,
    Api(ReportToWrite { key, .. }): Api<ReportToWrite>,
    Uploaded(upload, _): Uploaded<ReportUpload>,
) -> ApiResult<Response> {
    let today = state.clock.today();
    let file = the_file(upload)?;
    let u = &user.user;
    let saved = state
        .store
        .attach_report_file(u.user_id, &u.username, &key, file, today)
        .await?;
    Ok((StatusCode::CREATED, Json(attachment_json(&key, &saved))).into_response())
}

async fn download_api(
    State(state): State<AppState>,
    Api(file): Api<ReportFile>,
) -> ApiResult<Response> {
    Ok(send(&state, &file).await?)
}

async fn delete_api(
    State(state): State<AppState>,
    Api(user): Api<CurrentUser>,
    Api(file): Api<ReportFileToRemove>,
) -> ApiResult<Json<Value>> {
    remove_file(&state, &user, &file).await?;
    Ok(Json(json!({ "ok": true })))
}

async fn list_api(
    State(state): State<AppState>,
    Api(user): Api<CurrentUser>,
    Api(chosen): Api<ChosenPlan>,
    Api(q): Api<Params>,
) -> ApiResult<Json<Value>> {
    let today = state.clock.today();
    let plan = chosen.required()?;
    let regimes = state.store.regimes_of_plan(plan.plan_id).await?;
    let within = scope(&state, &user, q.id("unit_id")?).await?;
    let reporting_id = q.id("reporting_id")?;
    let period = q.text("period").map(str::to_string);
    let status = q.text("status").unwrap_or("all");
    let mut out = json!({ "plan": plan.number, "plan_id": plan.plan_id });
    if access::owes_reports(&user) {
        let owed = state
            .store
            .reports_owed(&regimes, user.user.unit_id, today)
            .await?;
        out["owed"] = owed
            .iter()
            .map(|o| {
                let mut period = period_json(&o.period);
                period["reporting_id"] = json!(o.reporting_id);
                json!({
                    "reporting_id": o.reporting_id,
                    "regime": o.regime,
                    "period": period,
                    "unit_id": user.user.unit_id,
                    "status": o.status,
                    "status_labels": badges(o.status, o.first_submitted_on.as_deref(), &o.period, today)
                        .iter().map(|b| b.text).collect::<Vec<_>>(),
                    "first_submitted_on": o.first_submitted_on,
                    "version": o.version,
                })
            })
            .collect();
    }
    if status == "missing" {
        let regime = regimes
            .iter()
            .find(|g| Some(g.reporting_id) == reporting_id)
            .ok_or_else(|| {
                AppError::BadRequest(
                    "cần «reporting_id» và «period» để liệt kê đơn vị chưa nộp".into(),
                )
            })?;
        let period = period
            .as_deref()
            .and_then(|p| reports::find_period(regime, p, today))
            .ok_or_else(|| {
                AppError::BadRequest("kỳ báo cáo («period») không có trong chế độ này".into())
            })?;
        let missing = state.store.reports_missing(regime, &period, within).await?;
        out["missing"] = missing
            .into_iter()
            .map(|(id, name)| json!({"unit_id": id, "unit_name": name}))
            .collect();
        return Ok(Json(out));
    }
    let status = match status {
        "all" => None,
        s => Some(Status::parse(s).filter(|s| *s != Status::Draft).ok_or_else(|| {
            AppError::BadRequest(format!(
                "«status» phải là submitted, accepted, returned, missing hoặc all (đã gửi «{s}»)"
            ))
        })?),
    };
    let rows = state
        .store
        .report_rows(
            plan.plan_id,
            &ListFilter {
                reporting_id,
                period,
                status,
                within,
                limit: 5000,
            },
        )
        .await?;
    let index = period_index(&regimes, today);
    out["reports"] = rows
        .iter()
        .map(|r| {
            let p = index.get(&(r.reporting_id, r.period.clone()));
            json!({
                "report_id": r.report_id,
                "reporting_id": r.reporting_id,
                "regime": r.regime,
                "period": r.period,
                "period_label": p.map(|p| p.label.clone()),
                "due": p.and_then(|p| p.due_to().map(str::to_string)),
                "unit_id": r.unit_id,
                "unit_name": r.unit_name,
                "status": r.status,
                "status_label": r.status.label(),
                "first_submitted_on": r.first_submitted_on,
                "late": match (p, r.first_submitted_on.as_deref()) {
                    (Some(p), Some(d)) => Some(p.is_late(d)),
                    _ => None,
                },
                "version": r.version,
            })
        })
        .collect();
    Ok(Json(out))
}
