//! One assignment: its page, where the unit's officer records status,
//! progress, evidence (text, a web link, a file) and the day it was
//! finished; its files for download; and the same through the API.
//!
//! Reading needs `access::read_unit`, changing `access::write_unit` of the
//! assignment's unit. A form carries the version it was made from: a form
//! older than the stored record is refused (409) and nothing is saved.

use crate::access;
use crate::auth::{ApiUser, CurrentUser};
use crate::calendar::parse_day;
use crate::error::{ApiError, ApiResult, AppError, PageResult};
use crate::input::{BODY_LIMIT, VnForm, VnJson};
use crate::layout::{Layout, vn_text};
use crate::state::AppState;
use crate::units::{AssignmentOut, AssignmentView, path_id};
use askama::Template;
use askama_web::WebTemplate;
use axum::body::Body;
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{DefaultBodyLimit, FromRequest, Multipart, Path, Query, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use dondoc_store::StoreError;
use dondoc_store::assignments::{self, Actor, Assignment, MAX_FILE_BYTES, NewFile, Status, Update};
use jiff::civil::Date;
use serde::Deserialize;

/// A request with a file: the file, its multipart framing and the form's
/// other fields.
const UPLOAD_LIMIT: usize = MAX_FILE_BYTES + BODY_LIMIT;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/nhiem-vu/{id}",
            get(page)
                .post(save)
                .layer(DefaultBodyLimit::max(UPLOAD_LIMIT)),
        )
        .route("/nhiem-vu/{id}/tep/{file_id}", get(download))
        .route("/api/assignments/{id}", get(api_get).put(api_put))
        .route(
            "/api/assignments/{id}/files",
            post(api_upload).layer(DefaultBodyLimit::max(UPLOAD_LIMIT)),
        )
}

// ---- Reading the request ------------------------------------------------

/// The form's fields as sent. All text, all optional: what is missing or
/// malformed is told to the user in Vietnamese by `parse`, never by serde.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
struct AssignmentForm {
    csrf: String,
    status: String,
    progress_note: String,
    evidence: String,
    evidence_link: String,
    completed_on: String,
    version: String,
}

/// A form body, url-encoded or multipart (when it brings a file).
struct FormBody {
    form: AssignmentForm,
    file: Option<NewFile>,
}

fn too_large() -> AppError {
    AppError::TooLarge(format!(
        "tệp đính kèm quá lớn (tối đa {} MB); chưa lưu gì",
        MAX_FILE_BYTES / (1024 * 1024)
    ))
}

fn multipart_error(e: axum::extract::multipart::MultipartError) -> AppError {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        too_large()
    } else {
        AppError::BadRequest("biểu mẫu gửi lên không đọc được; tải lại trang rồi thử lại".into())
    }
}

/// Reads a multipart form: the file field `tep` (bounded while it streams,
/// so an oversized file is refused without being held whole) and the text
/// fields.
async fn read_multipart(mut mp: Multipart) -> Result<FormBody, AppError> {
    let mut fields = serde_json::Map::new();
    let mut text_bytes = 0usize;
    let mut file = None;
    while let Some(mut field) = mp.next_field().await.map_err(multipart_error)? {
        let name = field.name().unwrap_or_default().to_string();
        if name == "tep" {
            let filename = field.file_name().unwrap_or_default().to_string();
            let content_type = field
                .content_type()
                .unwrap_or("application/octet-stream")
                .to_string();
            let mut data = Vec::new();
            while let Some(chunk) = field.chunk().await.map_err(multipart_error)? {
                if data.len() + chunk.len() > MAX_FILE_BYTES {
                    return Err(too_large());
                }
                data.extend_from_slice(&chunk);
            }
            // A file input left empty still sends a part, with no name.
            if !(filename.is_empty() && data.is_empty()) {
                file = Some(NewFile {
                    filename,
                    content_type,
                    data,
                });
            }
        } else {
            let value = field.text().await.map_err(multipart_error)?;
            text_bytes += value.len();
            if text_bytes > BODY_LIMIT {
                return Err(AppError::TooLarge("biểu mẫu quá lớn (tối đa 1 MB)".into()));
            }
            fields.insert(name, serde_json::Value::String(value));
        }
    }
    let form = serde_json::from_value(serde_json::Value::Object(fields))
        .map_err(|_| AppError::BadRequest("biểu mẫu gửi lên không đúng định dạng".into()))?;
    Ok(FormBody { form, file })
}

impl<S: Send + Sync> FromRequest<S> for FormBody {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, AppError> {
        let multipart = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("multipart/form-data"));
        if multipart {
            let mp = Multipart::from_request(req, state)
                .await
                .map_err(|_| AppError::BadRequest("biểu mẫu gửi lên không đọc được".into()))?;
            read_multipart(mp).await
        } else {
            let VnForm(form) = VnForm::from_request(req, state).await?;
            Ok(FormBody { form, file: None })
        }
    }
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
    let completed_on = match parse_day(&form.completed_on) {
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

/// The assignment, or 404.
async fn load(state: &AppState, id: i64) -> Result<Assignment, AppError> {
    let mut conn = state.store.conn().await?;
    assignments::get(&mut conn, id)
        .await?
        .ok_or_else(|| AppError::NotFound("nhiệm vụ này".into()))
}

/// The assignment, once the user may read it.
async fn readable(
    state: &AppState,
    user: &CurrentUser,
    id: Result<Path<String>, PathRejection>,
) -> Result<Assignment, AppError> {
    let a = load(state, path_id(id, "nhiệm vụ này")?).await?;
    access::read_unit(state, user, a.unit_id).await?;
    Ok(a)
}

#[derive(Deserialize)]
struct PageQuery {
    #[serde(rename = "da-luu")]
    saved: Option<String>,
}

async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    id: Result<Path<String>, PathRejection>,
    query: Result<Query<PageQuery>, QueryRejection>,
) -> PageResult<AssignmentPage> {
    let a = readable(&state, &user, id).await?;
    let mut page = AssignmentPage::new(&state, &user, &a, FormValues::stored(&a));
    page.saved = query.is_ok_and(|q| q.saved.is_some());
    Ok(page)
}

/// Saves an update with its file and its audit entry, all or nothing,
/// through the store's group commit (concurrent saves share one flush).
async fn store_update(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    update: Update,
) -> Result<Assignment, StoreError> {
    let (username, user_id) = (user.user.username.clone(), user.user.user_id);
    let today = state.clock.today();
    state
        .store
        .write(move |conn| {
            Box::pin(async move {
                let actor = Actor {
                    username: &username,
                    user_id: Some(user_id),
                };
                assignments::update(conn, id, update, actor, today).await
            })
        })
        .await
}

async fn save(
    State(state): State<AppState>,
    user: CurrentUser,
    id: Result<Path<String>, PathRejection>,
    body: FormBody,
) -> PageResult<Response> {
    let id = path_id(id, "nhiệm vụ này")?;
    let current = load(&state, id).await?;
    access::write_unit(&user, current.unit_id)?;
    user.check_csrf(&body.form.csrf)?;
    let form = body.form;
    // The page again, with what the user sent and what was wrong with it.
    let reject = |a: &Assignment, version: i64, status: StatusCode, errors: Vec<String>| {
        let page = AssignmentPage::new(&state, &user, a, FormValues::sent(&form, version));
        (status, page.with_errors(errors)).into_response()
    };
    // Sent back with the version the user started from, so that a form that
    // is also stale is still caught when it comes back.
    let started_from = form.version.trim().parse().unwrap_or(current.version);
    let unprocessable = StatusCode::UNPROCESSABLE_ENTITY;
    let update = match parse(&form, body.file, state.clock.today()) {
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

/// Types a browser may show inline are still sent as downloads; anything
/// not on this list is sent as bytes, so an uploaded page can never run as
/// part of this site.
fn served_type(stored: &str) -> &'static str {
    const KNOWN: &[&str] = &[
        "application/pdf",
        "image/png",
        "image/jpeg",
        "image/gif",
        "image/webp",
        "text/plain",
        "application/msword",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.ms-excel",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/vnd.ms-powerpoint",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "application/zip",
    ];
    KNOWN
        .iter()
        .find(|k| stored.eq_ignore_ascii_case(k))
        .copied()
        .unwrap_or("application/octet-stream")
}

/// `attachment; filename="bao_cao.pdf"; filename*=UTF-8''b%C3%A1o%20c%C3%A1o.pdf`
pub(crate) fn disposition(filename: &str) -> HeaderValue {
    let ascii: String = filename
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "._-".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded = crate::url::percent_encode(filename);
    HeaderValue::from_str(&format!(
        "attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static("attachment"))
}

async fn download(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, file_id)): Path<(String, String)>,
) -> PageResult<Response> {
    let not_found = || AppError::NotFound("tệp đính kèm này".into());
    let (Ok(id), Ok(file_id)) = (id.parse::<i64>(), file_id.parse::<i64>()) else {
        return Err(not_found());
    };
    let a = load(&state, id).await?;
    access::read_unit(&state, &user, a.unit_id).await?;
    let file = {
        let mut conn = state.store.conn().await?;
        assignments::attachment(&mut conn, file_id).await?
    }
    .filter(|f| f.assignment_id == id)
    .ok_or_else(not_found)?;
    let mut headers = HeaderMap::new();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(served_type(&file.info.content_type)),
    );
    headers.insert(
        header::CONTENT_DISPOSITION,
        disposition(&file.info.filename),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    Ok((headers, Body::from(file.data)).into_response())
}

// ---- API ------------------------------------------------------------------

async fn api_get(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    id: Result<Path<String>, PathRejection>,
) -> ApiResult<Json<AssignmentOut>> {
    let a = readable(&state, &user, id).await?;
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

/// Runs a checked update through the API: write permission, CSRF header,
/// then the store; answers with the saved assignment.
async fn api_save(
    state: &AppState,
    user: &CurrentUser,
    headers: &HeaderMap,
    id: i64,
    make: impl FnOnce(&Assignment) -> Result<Update, Vec<String>>,
) -> ApiResult<Json<AssignmentOut>> {
    let current = load(state, id).await?;
    access::write_unit(user, current.unit_id)?;
    user.check_csrf_header(headers)?;
    let update = make(&current).map_err(|f| ApiError(AppError::BadRequest(f.join("; "))))?;
    let saved = store_update(state, user, id, update).await?;
    Ok(Json(AssignmentOut::new(saved, state.clock.today())))
}

async fn api_put(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    headers: HeaderMap,
    id: Result<Path<String>, PathRejection>,
    VnJson(body): VnJson<ApiUpdate>,
) -> ApiResult<Json<AssignmentOut>> {
    let id = path_id(id, "nhiệm vụ này")?;
    let today = state.clock.today();
    let form = AssignmentForm {
        csrf: String::new(),
        status: body.status,
        progress_note: body.progress_note.unwrap_or_default(),
        evidence: body.evidence.unwrap_or_default(),
        evidence_link: body.evidence_link.unwrap_or_default(),
        completed_on: body.completed_on.unwrap_or_default(),
        version: body.version.to_string(),
    };
    api_save(&state, &user, &headers, id, |_| parse(&form, None, today)).await
}

/// Adds a file (multipart field `tep`, with `version`), keeping the rest of
/// the assignment as it is.
async fn api_upload(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    headers: HeaderMap,
    id: Result<Path<String>, PathRejection>,
    body: Result<FormBody, AppError>,
) -> ApiResult<Json<AssignmentOut>> {
    let id = path_id(id, "nhiệm vụ này")?;
    let FormBody { form, file } = body?;
    let today = state.clock.today();
    api_save(&state, &user, &headers, id, |current| {
        let Some(file) = file else {
            return Err(vec!["chưa gửi tệp (trường «tep»)".to_string()]);
        };
        let keep = FormValues::stored(current);
        let form = AssignmentForm {
            csrf: String::new(),
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

    #[test]
    fn downloads_are_named_safely() {
        let d = disposition("báo cáo \"1\".pdf");
        let d = d.to_str().unwrap();
        assert!(
            d.starts_with("attachment; filename=\"b_o_c_o__1_.pdf\""),
            "{d}"
        );
        assert!(
            d.contains("filename*=UTF-8''b%C3%A1o%20c%C3%A1o%20%221%22.pdf"),
            "{d}"
        );
        assert_eq!(served_type("text/html"), "application/octet-stream");
        assert_eq!(served_type("APPLICATION/PDF"), "application/pdf");
    }
}
