//! A report's form: the figures the regime asks for, the narrative, the
//! files; saved as a draft or submitted by the unit's officers; accepted or
//! returned by the plan's managers.

use super::ReportUpload;
use crate::access;
use crate::error::{AppError, PageResult};
use crate::guard::{ReportToRead, ReportToReview, ReportToWrite};
use crate::layout::{Layout, vn_number, vn_text};
use crate::session::CurrentUser;
use crate::state::AppState;
use crate::support::csrf::{CsrfBody, CsrfForm};
use crate::support::query::Params;
use crate::support::upload::Upload;
use crate::view::report::{Badge, badges, due_text, form_url};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use dondoc_core::text::size_text;
use dondoc_store::reports::{
    self, Attachment, FileIn, ReportKey, ReportState, Status, Submission, Target,
};
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};

struct FieldView {
    name: String,
    id: String,
    label: String,
    unit: String,
    value: String,
    error: Option<String>,
}

struct FileView {
    name: String,
    size: String,
    href: String,
    delete_href: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "report_form.html")]
struct FormPage {
    layout: Layout,
    url: String,
    regime: String,
    period_label: String,
    unit_name: String,
    due: String,
    recipient: String,
    content: String,
    badges: Vec<Badge>,
    first_on: String,
    fields: Vec<FieldView>,
    narrative: String,
    version: i64,
    /// The unit's officer may change it now.
    can_write: bool,
    /// Why the unit cannot send this report (not owed, not yet due …).
    not_expected: Option<String>,
    locked: Option<&'static str>,
    /// "Lưu nháp" is offered until the report is first submitted.
    can_draft: bool,
    submit_label: &'static str,
    can_review: bool,
    review_comment: String,
    saved_comment: Option<String>,
    files: Vec<FileView>,
    max_file: &'static str,
    error: Option<String>,
    notice: Option<&'static str>,
}

/// What the user typed, to show again after a refusal.
#[derive(Default)]
pub(super) struct Typed {
    /// The figures as the unit typed them; `None` when the form sent none
    /// (a review, an upload): the stored ones are shown.
    figures: Option<BTreeMap<String, String>>,
    narrative: Option<String>,
    version: Option<i64>,
    comment: String,
}

fn notice_of(code: Option<&str>) -> Option<&'static str> {
    Some(match code? {
        "da-luu" => "Đã lưu nháp.",
        "da-nop" => "Đã nộp báo cáo.",
        "da-duyet" => "Đã duyệt báo cáo.",
        "da-tra-lai" => "Đã trả lại báo cáo cho đơn vị.",
        "da-tai-tep" => "Đã tải tệp lên.",
        "da-xoa-tep" => "Đã xoá tệp.",
        _ => return None,
    })
}

/// Builds the form page for what is stored, overlaid with what was typed.
async fn build_form(
    state: &AppState,
    user: &CurrentUser,
    key: &ReportKey,
    t: &Target,
    typed: Option<&Typed>,
    error: Option<String>,
) -> Result<FormPage, AppError> {
    let today = state.clock.today();
    let ReportState {
        report,
        files,
        not_expected,
    } = state.store.report_state(key, t).await?;
    let status = report.as_ref().map(|r| r.status);
    let locked =
        (status == Some(Status::Accepted)).then_some("Báo cáo đã được duyệt; không sửa được nữa.");
    let can_write =
        access::write_unit(user, key.unit_id).is_ok() && not_expected.is_none() && locked.is_none();
    let typed_figures = typed.and_then(|t2| t2.figures.as_ref());
    let faults = match typed_figures {
        Some(f) => reports::check_figures(&t.regime, f)
            .err()
            .unwrap_or_default(),
        None => Vec::new(),
    };
    let fields = t
        .regime
        .indicators
        .iter()
        .map(|ind| FieldView {
            name: format!("ct_{}", ind.key),
            id: format!("ct-{}", ind.key),
            label: ind.label.clone(),
            unit: ind.unit.clone(),
            value: match typed_figures {
                Some(f) => f.get(&ind.key).cloned().unwrap_or_default(),
                None => report
                    .as_ref()
                    .and_then(|r| r.figures.get(&ind.key))
                    .map(|n| {
                        if can_write {
                            n.to_string()
                        } else {
                            vn_number(*n)
                        }
                    })
                    .unwrap_or_default(),
            },
            error: faults
                .iter()
                .find(|f| f.key == ind.key)
                .map(|f| f.message.clone()),
        })
        .collect();
    let url = form_url(key);
    Ok(FormPage {
        layout: Layout::new(
            state,
            user,
            &format!("Báo cáo {} — {}", t.period.label, t.unit.name),
            "/bao-cao",
        ),
        regime: t.regime.name.clone(),
        period_label: t.period.label.clone(),
        unit_name: t.unit.name.clone(),
        due: due_text(&t.period),
        recipient: t.regime.recipient.clone().unwrap_or_default(),
        content: t.regime.content.clone().unwrap_or_default(),
        badges: badges(
            status,
            report
                .as_ref()
                .and_then(|r| r.first_submitted_on.as_deref()),
            &t.period,
            today,
        ),
        first_on: report
            .as_ref()
            .and_then(|r| r.first_submitted_on.as_deref())
            .map(vn_text)
            .unwrap_or_default(),
        fields,
        narrative: typed
            .and_then(|t2| t2.narrative.clone())
            .or_else(|| report.as_ref().map(|r| r.narrative.clone()))
            .unwrap_or_default(),
        version: typed
            .and_then(|t2| t2.version)
            .or_else(|| report.as_ref().map(|r| r.version))
            .unwrap_or(0),
        can_write,
        not_expected: if access::write_unit(user, key.unit_id).is_ok() {
            not_expected
        } else {
            None
        },
        locked,
        can_draft: matches!(status, None | Some(Status::Draft | Status::Returned)),
        submit_label: match status {
            Some(Status::Submitted) => "Cập nhật báo cáo đã nộp",
            Some(Status::Returned) => "Nộp lại báo cáo",
            _ => "Nộp báo cáo",
        },
        can_review: access::manage_plan(state, user, t.regime.plan_id)
            .await
            .is_ok()
            && matches!(status, Some(Status::Submitted | Status::Accepted)),
        review_comment: typed.map(|t2| t2.comment.clone()).unwrap_or_default(),
        saved_comment: report.as_ref().and_then(|r| r.review_comment.clone()),
        files: files.iter().map(|f| file_view(&url, f)).collect(),
        max_file: "10 MB",
        error,
        notice: None,
        url,
    })
}

fn file_view(url: &str, f: &Attachment) -> FileView {
    FileView {
        name: f.filename.clone(),
        size: size_text(u64::try_from(f.size).unwrap_or(0)),
        href: format!("{url}/tep/{}", f.attachment_id),
        delete_href: format!("{url}/tep/{}/xoa", f.attachment_id),
    }
}

pub(super) async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    ReportToRead { key, target: t }: ReportToRead,
    q: Params,
) -> PageResult<Response> {
    let mut page = build_form(&state, &user, &key, &t, None, None).await?;
    page.notice = notice_of(q.text("ket-qua"));
    Ok(page.into_response())
}

/// A refusal the user can fix: the page again, with what they typed.
pub(super) async fn refuse(
    state: &AppState,
    user: &CurrentUser,
    key: &ReportKey,
    t: &Target,
    typed: &Typed,
    e: AppError,
) -> PageResult<Response> {
    let status = e.status();
    let page = build_form(state, user, key, t, Some(typed), Some(e.to_string())).await?;
    Ok((status, page).into_response())
}

/// Whether an error is the user's to fix on the same page.
pub(super) fn fixable(e: &AppError) -> bool {
    matches!(
        e,
        AppError::BadRequest(_) | AppError::Conflict(_) | AppError::TooLarge(_)
    )
}

/// The report form as sent: its fields (figures as `ct_<indicator key>`,
/// `narrative`, `version`, `hanh_dong`: "luu" to save a draft, "nop" to
/// submit) and a file chosen beside them, sent with the same press.
struct ReportForm {
    fields: HashMap<String, String>,
    file: Option<FileIn>,
}

impl ReportForm {
    fn of(upload: Upload) -> Self {
        ReportForm {
            fields: upload.fields,
            file: upload
                .file
                .filter(|f| !f.filename.trim().is_empty())
                .map(|f| FileIn {
                    filename: f.filename,
                    content_type: f.content_type,
                    data: f.data,
                }),
        }
    }

    fn field(&self, name: &str) -> &str {
        self.fields.get(name).map_or("", String::as_str)
    }
}

/// A version field: empty is a report never saved.
fn version_of(s: &str) -> Result<Option<i64>, AppError> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    s.parse().map(Some).map_err(|_| {
        AppError::BadRequest("phiên bản của biểu mẫu không hợp lệ; tải lại trang".into())
    })
}

fn figures_of(fields: &HashMap<String, String>) -> BTreeMap<String, String> {
    fields
        .iter()
        .filter_map(|(k, v)| Some((k.strip_prefix("ct_")?.to_string(), v.clone())))
        .collect()
}

pub(super) async fn save(
    State(state): State<AppState>,
    user: CurrentUser,
    ReportToWrite { key, target: t }: ReportToWrite,
    CsrfBody(body, _): CsrfBody<ReportUpload>,
) -> PageResult<Response> {
    let today = state.clock.today();
    let form = ReportForm::of(body);
    let submit = form.field("hanh_dong") == "nop";
    let narrative = form.field("narrative").to_string();
    let mut typed = Typed {
        figures: Some(figures_of(&form.fields)),
        narrative: Some(narrative.clone()),
        version: None,
        comment: String::new(),
    };
    let version = match version_of(form.field("version")) {
        Ok(v) => v,
        Err(e) => return refuse(&state, &user, &key, &t, &typed, e).await,
    };
    typed.version = version;
    let input = Submission {
        figures: typed.figures.clone().unwrap_or_default(),
        narrative,
        submit,
        version,
    };
    let u = &user.user;
    let saved = state
        .store
        .save_report_at(u.user_id, &u.username, key.clone(), t.clone(), input, today)
        .await;
    let code = if submit { "da-nop" } else { "da-luu" };
    // A file chosen beside the figures goes with them, once they are saved:
    // what was typed is never lost to an upload.
    let written = match (saved, form.file) {
        (Ok(_), Some(file)) => state
            .store
            .attach_report_file(u.user_id, &u.username, &key, file, today)
            .await
            .map(drop),
        (saved, _) => saved.map(drop),
    };
    answer(&state, &user, &key, &t, &typed, written, code).await
}

/// After a write: back to the form with what happened (`code`), or the
/// form again with what the user typed and what was wrong with it.
pub(super) async fn answer(
    state: &AppState,
    user: &CurrentUser,
    key: &ReportKey,
    t: &Target,
    typed: &Typed,
    written: Result<(), dondoc_store::StoreError>,
    code: &str,
) -> PageResult<Response> {
    match written.map_err(AppError::from) {
        Ok(()) => Ok(Redirect::to(&format!("{}?ket-qua={code}", form_url(key))).into_response()),
        Err(e) if fixable(&e) => refuse(state, user, key, t, typed, e).await,
        Err(e) => Err(e),
    }
}

#[derive(Deserialize)]
pub(super) struct ReviewForm {
    #[serde(default)]
    version: String,
    #[serde(default)]
    nhan_xet: String,
    /// "duyet" (accept) or "tra_lai" (return).
    #[serde(default)]
    hanh_dong: String,
}

pub(super) async fn review(
    State(state): State<AppState>,
    user: CurrentUser,
    ReportToReview { key, target: t }: ReportToReview,
    CsrfForm(form): CsrfForm<ReviewForm>,
) -> PageResult<Response> {
    let typed = Typed {
        comment: form.nhan_xet.clone(),
        ..Typed::default()
    };
    let accept = match form.hanh_dong.as_str() {
        "duyet" => true,
        "tra_lai" => false,
        _ => {
            let e = AppError::BadRequest("chọn «Duyệt» hoặc «Trả lại»".into());
            return refuse(&state, &user, &key, &t, &typed, e).await;
        }
    };
    let version = match version_of(&form.version) {
        Ok(v) => v,
        Err(e) => return refuse(&state, &user, &key, &t, &typed, e).await,
    };
    let u = &user.user;
    let reviewed = state
        .store
        .review_report(
            u.user_id,
            &u.username,
            &key,
            accept,
            &form.nhan_xet,
            version,
        )
        .await;
    let code = if accept { "da-duyet" } else { "da-tra-lai" };
    answer(&state, &user, &key, &t, &typed, reviewed.map(drop), code).await
}
