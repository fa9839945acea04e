//! The import API: a document or text in, a draft out; the draft read,
//! corrected and confirmed.

use super::corrections::{self, Refusal, finish, plan_url, reread, resolve_choices};
use super::{Directory, PlanDocument, Sent, create, directory, sent_of, sources_of};
use crate::error::{ApiError, ApiResult, AppError};
use crate::guard::{DraftToEdit, DraftToRead, Importer};
use crate::session::{Api, CurrentUser};
use crate::state::AppState;
use crate::support::forms::{VnJson, field_message};
use crate::support::upload::{self, UploadKind};
use axum::Json;
use axum::extract::{FromRequest, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use dondoc_core::plan::PlanDoc;
use dondoc_store::drafts::{Choice, Draft, Status};
use serde::Deserialize;
use serde_json::{Value, json};
use std::collections::BTreeMap;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TextIn {
    #[serde(default)]
    file_name: Option<String>,
    text: String,
}

pub(super) async fn create_draft(
    State(state): State<AppState>,
    Api(Importer(user)): Api<Importer>,
    req: Request,
) -> ApiResult<Response> {
    let sent = if upload::is_multipart(&req) {
        sent_of(upload::read(req, PlanDocument::LIMITS).await?)
    } else {
        let VnJson(body) = VnJson::<TextIn>::from_request(req, &state).await?;
        Sent {
            text: body.text,
            text_name: body.file_name.unwrap_or_default(),
            ..Sent::default()
        }
    };
    let (id, draft) = create(&state, &user, sent).await?;
    let body = json!({
        "id": id,
        "url": format!("/nhap-ke-hoach/{id}"),
        "summary": dondoc_import::summary(&draft),
        "draft": draft.plan,
        "sources": sources_of(&draft),
    });
    Ok((StatusCode::CREATED, Json(body)).into_response())
}

pub(super) async fn get_draft(Api(DraftToRead(d)): Api<DraftToRead>) -> ApiResult<Json<Value>> {
    Ok(Json(json!({
        "id": d.draft_id,
        "url": format!("/nhap-ke-hoach/{}", d.draft_id),
        "status": d.status,
        "version": d.version,
        "plan_number": d.plan_number,
        "file_name": d.file_name,
        "format": d.format,
        "encoding": d.encoding,
        "created_at": d.created_at,
        "updated_at": d.updated_at,
        "created_by": {"user_id": d.created_by, "full_name": d.creator_name},
        "draft": d.plan,
        "sources": d.sources,
        "lines": d.lines,
        "choices": d.choices,
    })))
}

/// A corrected draft and the reviewer's choices, as the API sends them.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ReviewIn {
    #[serde(default)]
    draft: Option<Value>,
    #[serde(default)]
    choices: Option<BTreeMap<String, Choice>>,
    #[serde(default)]
    version: Option<i64>,
}

/// The request's draft (or the stored one) and choices, checked and
/// matched against the directory.
fn reviewed(
    d: &Draft,
    body: ReviewIn,
    dir: &Directory,
) -> Result<(PlanDoc, BTreeMap<String, Choice>), AppError> {
    let plan = match body.draft {
        None => d.plan.clone(),
        Some(v) => {
            // Names are compared in NFC, as when plan files are read.
            let mut sent: PlanDoc = serde_json::from_str(&dondoc_core::text::nfc(&v.to_string()))
                .map_err(|e| {
                AppError::BadRequest(format!(
                    "bản nháp (draft): {}",
                    field_message(&e.to_string())
                ))
            })?;
            fill_rules(&mut sent);
            sent
        }
    };
    let choices = match body.choices {
        None => d.choices.clone(),
        Some(c) => resolve_choices(c, dir)?,
    };
    Ok(finish(plan, choices, dir))
}

/// A phrase sent without its rule gets the rule it reads to, as when a plan
/// file is read; a phrase that does not read stays text with no rule.
fn fill_rules(plan: &mut PlanDoc) {
    for t in &mut plan.tasks {
        if t.deadline.is_none() {
            t.deadline = reread(t.deadline_phrase.as_deref());
        }
    }
    for r in &mut plan.reporting {
        if r.deadline.is_none() {
            r.deadline = reread(r.deadline_phrase.as_deref());
        }
    }
    for p in &mut plan.phases {
        if p.window.is_none() {
            p.window = reread(Some(&p.phrase));
        }
    }
}

fn stored_refusal(d: &Draft) -> AppError {
    AppError::Conflict(format!(
        "bản nháp này đã được xác nhận: kế hoạch số {} đã lưu; không sửa hay xác nhận lại được",
        d.plan_number.as_deref().unwrap_or("?")
    ))
}

pub(super) async fn save_draft(
    State(state): State<AppState>,
    Api(user): Api<CurrentUser>,
    Api(DraftToEdit(d)): Api<DraftToEdit>,
    VnJson(body): VnJson<ReviewIn>,
) -> ApiResult<Json<Value>> {
    if d.status == Status::Stored {
        return Err(stored_refusal(&d).into());
    }
    let dir = directory(&state).await?;
    let expected = body.version;
    let (plan, choices) = reviewed(&d, body, &dir)?;
    let changed = corrections::save(&state, &user, &d, &plan, &choices, expected).await?;
    let version = if changed { d.version + 1 } else { d.version };
    Ok(Json(json!({
        "id": d.draft_id,
        "changed": changed,
        "version": version,
        "draft": plan,
        "choices": choices,
    })))
}

pub(super) async fn confirm_draft(
    State(state): State<AppState>,
    Api(user): Api<CurrentUser>,
    Api(DraftToEdit(d)): Api<DraftToEdit>,
    VnJson(body): VnJson<ReviewIn>,
) -> ApiResult<Response> {
    if d.status == Status::Stored {
        return Err(stored_refusal(&d).into());
    }
    let dir = directory(&state).await?;
    let expected = body.version;
    let (plan, choices) = reviewed(&d, body, &dir)?;
    match corrections::confirm(&state, &user, &d, &plan, &choices, expected, &dir).await {
        Ok(l) => {
            let body = json!({
                "number": l.number,
                "plan_url": plan_url(&l.number),
                "tasks": l.tasks,
                "assignments": l.assignments,
                "phases": l.phases,
                "reporting": l.reporting,
                "units": l.units,
                "unlinked_events": l.unlinked_events,
            });
            Ok((StatusCode::CREATED, Json(body)).into_response())
        }
        Err(Refusal::Faults(faults)) => {
            let body = json!({
                "error": format!("kế hoạch chưa hợp lệ ({} lỗi): {}", faults.len(), faults.join("; ")),
                "faults": faults,
            });
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Json(body)).into_response())
        }
        Err(Refusal::Error(e)) => Err(ApiError(e)),
    }
}
