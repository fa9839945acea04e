//! One assignment: its page, where the unit's officer records status,
//! progress, evidence (text, a web link, a file) and the day it was
//! finished; its files for download; and the same through the API.
//!
//! Reading needs `access::read_unit`, changing `access::write_unit` of the
//! assignment's unit. A form carries the version it was made from: a form
//! older than the stored record is refused (409) and nothing is saved.

use crate::access;
use crate::error::{ApiError, ApiResult, AppError, PageResult};
use crate::guard::{AssignmentFile, AssignmentToRead, AssignmentToWrite};
use crate::layout::{Layout, vn_text};
use crate::session::{Api, CurrentUser};
use crate::state::AppState;
use crate::support::csrf::CsrfBody;
use crate::support::download;
use crate::support::forms::{BODY_LIMIT, VnJson, parse_optional_day};
use crate::support::query::Params;
use crate::support::upload::{Limits, Upload, UploadKind, Uploaded};
use crate::view::assignment::{AssignmentOut, AssignmentView};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use dondoc_store::StoreError;
use dondoc_store::assignments::{Assignment, MAX_FILE_BYTES, NewFile, Status, Update};
use jiff::civil::Date;
use serde::Deserialize;

/// A form with a file: the file and the form's other fields.
struct AssignmentUpload;

impl UploadKind for AssignmentUpload {
    const LIMITS: Limits = Limits {
        file: MAX_FILE_BYTES,
        text: BODY_LIMIT,
        file_what: "mỗi tệp đính kèm",
    };
}

pub fn routes() -> Router<AppState> {
    let upload = DefaultBodyLimit::max(AssignmentUpload::LIMITS.body());
    Router::new()
        .route("/nhiem-vu/{id}", get(page).post(save).layer(upload))
        .route("/nhiem-vu/{id}/tep/{file_id}", get(download))
        .route("/api/assignments/{id}", get(api_get).put(api_put))
        .route(
            "/api/assignments/{id}/files",
            post(api_upload).layer(upload),
        )
}

// ---- Reading the request ------------------------------------------------

/// The form's fields as sent. All text, all optional: what is missing or
/// malformed is told to the user in Vietnamese by `parse`, never by serde.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
struct AssignmentForm {
    status: String,
    progress_note: String,
    evidence: String,
    evidence_link: String,
    completed_on: String,
    version: String,
}

/// The form's fields and its file, if it brought one.
fn form_of(upload: Upload) -> (AssignmentForm, Option<NewFile>) {
    let field = |name: &str| upload.field(name).to_string();
    let form = AssignmentForm {
        status: field("status"),
        progress_note: field("progress_note"),
        evidence: field("evidence"),
        evidence_link: field("evidence_link"),
        completed_on: field("completed_on"),
        version: field("version"),
    };
    let file = upload.file.map(|f| NewFile {
        filename: f.filename,
        content_type: f.content_type,
        data: f.data,
    });
    (form, file)
}

/// The form as an update, or everything wrong with it (in Vietnamese), all
/// at once.
fn parse(form: &AssignmentForm, file: Option<NewFile>, today: Date) -> Result<Update, Vec<String>> {
    let mut faults = Vec::new();
    let status = match form.status.trim() {
        "" => {
            faults.push("chưa chọn trạng thái".to_string());
            None
        }
        s => Status::parse(s).or_else(|| {
            faults.push(format!(
                "trạng thái «{s}» không hợp lệ: chọn chưa bắt đầu, đang thực hiện, hoàn thành hoặc huỷ"
            ));
            None
        }),
    };
    let version = form.version.trim().parse::<i64>().ok().or_else(|| {
        faults.push("biểu mẫu thiếu số phiên bản; tải lại trang rồi nhập lại".to_string());
        None
    });
    // The day counts only for a finished assignment (it is dropped
    // otherwise). One that cannot be read is told here; the checks that
    // follow then take it as valid, not to tell "the day is missing" too.
    let counts = !matches!(status, Some(s) if s != Status::Done);
    let completed_on = match parse_optional_day(&form.completed_on) {
        Ok(day) => day,
        Err(e) if counts => {
            faults.push(format!("ngày hoàn thành: {e}"));
            Some(today)
        }
        Err(_) => None,
    };
    let (Some(status), Some(version)) = (status, version) else {
        return Err(faults);
    };
    let text = |s: &str| Some(s.to_string());
    let update = Update {
        status,
        progress_note: text(&form.progress_note),
        evidence: text(&form.evidence),
        evidence_link: text(&form.evidence_link),
        completed_on,
        version,
        file,
    }
    .normalized();
    faults.extend(update.faults(today));
    if faults.is_empty() {
        Ok(update)
    } else {
        Err(faults)
    }
}

// ---- The page -------------------------------------------------------------

/// The form's fields as shown: the stored values, or what the user sent.
struct FormValues {
    status: String,
    progress_note: String,
    evidence: String,
    evidence_link: String,
    completed_on: String,
    version: i64,
}

impl FormValues {
    fn stored(a: &Assignment) -> Self {
        FormValues {
            status: a.status.as_str().to_string(),
            progress_note: a.progress_note.clone().unwrap_or_default(),
            evidence: a.evidence.clone().unwrap_or_default(),
            evidence_link: a.evidence_link.clone().unwrap_or_default(),
            completed_on: a.completed_on.as_deref().map(vn_text).unwrap_or_default(),
            version: a.version,
        }
    }

    /// What the user sent, to be sent again from `version`.
    fn sent(f: &AssignmentForm, version: i64) -> Self {
        FormValues {
            status: Status::parse(&f.status)
                .map(|s| s.as_str().to_string())
                .unwrap_or_default(),
            progress_note: f.progress_note.clone(),
            evidence: f.evidence.clone(),
            evidence_link: f.evidence_link.clone(),
            completed_on: f.completed_on.clone(),
            version,
        }
    }
}

struct StatusOption {
    code: &'static str,
    label: &'static str,
    selected: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "assignment.html")]
struct AssignmentPage {
    layout: Layout,
    a: AssignmentView,
    unit_id: i64,
    unit_name: String,
    plan_number: String,
    can_write: bool,
    saved: bool,
    errors: Vec<String>,
    values: FormValues,
    statuses: Vec<StatusOption>,
    max_mb: usize,
}

impl AssignmentPage {
    fn new(state: &AppState, user: &CurrentUser, a: &Assignment, values: FormValues) -> Self {
        let title = format!("Nhiệm vụ {} — {}", a.task_ref, a.unit_name);
        AssignmentPage {
            layout: Layout::new(state, user, &title, "/don-vi"),
            a: AssignmentView::new(a, state.clock.today()),
            unit_id: a.unit_id,
            unit_name: a.unit_name.clone(),
            plan_number: a.plan_number.clone(),
            can_write: access::write_unit(user, a.unit_id).is_ok(),
            saved: false,
            errors: Vec::new(),
            statuses: Status::ALL
                .into_iter()
                .map(|s| StatusOption {
                    code: s.as_str(),
                    label: s.label(),
                    selected: s.as_str() == values.status,
                })
                .collect(),
            values,
            max_mb: MAX_FILE_BYTES / (1024 * 1024),
        }
    }

    fn with_errors(mut self, errors: Vec<String>) -> Self {
        self.errors = errors;
        self
    }
}

/// The assignment as stored now (after a refused save).
async fn load(state: &AppState, id: i64) -> Result<Assignment, AppError> {
    state
        .store
        .assignment(id)
        .await?
        .ok_or_else(|| AppError::NotFound("nhiệm vụ này".into()))
}

async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    AssignmentToRead(a): AssignmentToRead,
    q: Params,
) -> PageResult<AssignmentPage> {
    let mut page = AssignmentPage::new(&state, &user, &a, FormValues::stored(&a));
    page.saved = q.text("da-luu").is_some();
    Ok(page)
}

async fn store_update(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    update: Update,
) -> Result<Assignment, StoreError> {
    let today = state.clock.today();
    state
        .store
        .update_assignment(id, update, &user.user.username, user.user.user_id, today)
        .await
}

async fn save(
    State(state): State<AppState>,
    user: CurrentUser,
    AssignmentToWrite(current): AssignmentToWrite,
    CsrfBody(body, _): CsrfBody<AssignmentUpload>,
) -> PageResult<Response> {
    let id = current.assignment_id;
    let (form, file) = form_of(body);
    // The page again, with what the user sent and what was wrong with it.
    let reject = |a: &Assignment, version: i64, status: StatusCode, errors: Vec<String>| {
        let page = AssignmentPage::new(&state, &user, a, FormValues::sent(&form, version));
        (status, page.with_errors(errors)).into_response()
    };
    // Sent back with the version the user started from, so that a form that
    // is also stale is still caught when it comes back.
    let started_from = form.version.trim().parse().unwrap_or(current.version);
    let unprocessable = StatusCode::UNPROCESSABLE_ENTITY;
    let update = match parse(&form, file, state.clock.today()) {
        Ok(u) => u,
        Err(faults) => return Ok(reject(&current, started_from, unprocessable, faults)),
    };
    match store_update(&state, &user, id, update).await {
        Ok(_) => Ok(Redirect::to(&format!("/nhiem-vu/{id}?da-luu=1")).into_response()),
        Err(StoreError::Stale(msg)) => {
            // What is stored now, beside what the user typed: it can be sent
            // again from the new version once they have looked.
            let fresh = load(&state, id).await?;
            Ok(reject(
                &fresh,
                fresh.version,
                StatusCode::CONFLICT,
                vec![msg],
            ))
        }
        Err(StoreError::Invalid(msg)) => {
            Ok(reject(&current, started_from, unprocessable, vec![msg]))
        }
        Err(e) => Err(e.into()),
    }
}

// ---- Files ----------------------------------------------------------------

async fn download(State(state): State<AppState>, AssignmentFile(file): AssignmentFile) -> Response {
    download::stored_file(
        &state.store,
        file.info.attachment_id,
        file.info.size,
        &file.info.content_type,
        &file.info.filename,
    )
}

// ---- API ------------------------------------------------------------------

async fn api_get(
    State(state): State<AppState>,
    Api(AssignmentToRead(a)): Api<AssignmentToRead>,
) -> ApiResult<Json<AssignmentOut>> {
    Ok(Json(AssignmentOut::new(a, state.clock.today())))
}

/// The whole account of an assignment, replacing the stored one.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ApiUpdate {
    status: String,
    #[serde(default)]
    progress_note: Option<String>,
    #[serde(default)]
    evidence: Option<String>,
    #[serde(default)]
    evidence_link: Option<String>,
    /// `2025-02-05` or `05/02/2025`.
    #[serde(default)]
    completed_on: Option<String>,
    version: i64,
}

/// Runs a checked update through the API; answers with the saved
/// assignment.
async fn api_save(
    state: &AppState,
    user: &CurrentUser,
    current: &Assignment,
    make: impl FnOnce(&Assignment) -> Result<Update, Vec<String>>,
) -> ApiResult<Json<AssignmentOut>> {
    let update = make(current).map_err(|f| ApiError(AppError::BadRequest(f.join("; "))))?;
    let saved = store_update(state, user, current.assignment_id, update).await?;
    Ok(Json(AssignmentOut::new(saved, state.clock.today())))
}

async fn api_put(
    State(state): State<AppState>,
    Api(user): Api<CurrentUser>,
    Api(AssignmentToWrite(current)): Api<AssignmentToWrite>,
    VnJson(body): VnJson<ApiUpdate>,
) -> ApiResult<Json<AssignmentOut>> {
    let today = state.clock.today();
    let form = AssignmentForm {
        status: body.status,
        progress_note: body.progress_note.unwrap_or_default(),
        evidence: body.evidence.unwrap_or_default(),
        evidence_link: body.evidence_link.unwrap_or_default(),
        completed_on: body.completed_on.unwrap_or_default(),
        version: body.version.to_string(),
    };
    api_save(&state, &user, &current, |_| parse(&form, None, today)).await
}

/// Adds a file (multipart field `tep`, with `version`), keeping the rest of
/// the assignment as it is.
async fn api_upload(
    State(state): State<AppState>,
    Api(user): Api<CurrentUser>,
    Api(AssignmentToWrite(current)): Api<AssignmentToWrite>,
    Uploaded(body, _): Uploaded<AssignmentUpload>,
) -> ApiResult<Json<AssignmentOut>> {
    let (form, file) = form_of(body);
    let today = state.clock.today();
    api_save(&state, &user, &current, |current| {
        let Some(file) = file else {
            return Err(vec!["chưa gửi tệp (trường «tep»)".to_string()]);
        };
        let keep = FormValues::stored(current);
        let form = AssignmentForm {
            status: keep.status,
            progress_note: keep.progress_note,
            evidence: keep.evidence,
            evidence_link: keep.evidence_link,
            completed_on: keep.completed_on,
            version: form.version,
        };
        parse(&form, Some(file), today)
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn form(status: &str, day: &str) -> AssignmentForm {
        AssignmentForm {
            status: status.into(),
            completed_on: day.into(),
            version: "1".into(),
            ..AssignmentForm::default()
        }
    }

    #[test]
    fn forms_are_read_with_all_their_faults() {
        let today = date(2025, 3, 10);
        let ok = parse(&form("done", "05/02/2025"), None, today).unwrap();
        assert_eq!(ok.completed_on, Some(date(2025, 2, 5)));
        let faults = parse(&form("xyz", "31/02/2025"), None, today).unwrap_err();
        assert_eq!(faults.len(), 2, "{faults:?}");
        assert!(faults[0].contains("xyz"));
        assert!(faults[1].contains("31/02/2025"));
        // A day that cannot be read is told once, not also as missing.
        let faults = parse(&form("done", "2025-13-01"), None, today).unwrap_err();
        assert_eq!(faults.len(), 1, "{faults:?}");
        // Not finished: the day is dropped, whatever it says.
        let ok = parse(&form("in_progress", "31/02/2025"), None, today).unwrap();
        assert_eq!(ok.completed_on, None);
        let faults = parse(
            &AssignmentForm {
                evidence_link: "javascript:alert(1)".into(),
                ..form("in_progress", "")
            },
            None,
            today,
        )
        .unwrap_err();
        assert!(faults[0].contains("http"), "{faults:?}");
    }
}
