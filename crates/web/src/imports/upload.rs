//! The upload page: a plan's document or its text, read into a draft;
//! the latest drafts listed.

use super::{PlanDocument, RECENT_DRAFTS, create, sent_of};
use crate::error::{AppError, PageResult};
use crate::guard::Importer;
use crate::layout::{Layout, vn_time};
use crate::session::CurrentUser;
use crate::state::AppState;
use crate::support::csrf::CsrfUpload;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use dondoc_store::drafts::Status;
use dondoc_store::reports::MAX_ATTACHMENT;

struct DraftLine {
    href: String,
    label: String,
    title: String,
    who: String,
    at: String,
    stored: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "import_upload.html")]
pub(super) struct UploadPage {
    layout: Layout,
    error: Option<String>,
    text: String,
    max_file: String,
    drafts: Vec<DraftLine>,
}

async fn upload_view(
    state: &AppState,
    user: &CurrentUser,
    error: Option<String>,
    text: String,
) -> Result<UploadPage, AppError> {
    let drafts = state
        .store
        .drafts(RECENT_DRAFTS)
        .await?
        .into_iter()
        .map(|r| DraftLine {
            href: format!("/nhap-ke-hoach/{}", r.draft_id),
            label: if r.number.is_empty() {
                format!("Bản nháp số {}", r.draft_id)
            } else {
                format!("Kế hoạch số {}", r.number)
            },
            title: r.title,
            who: format!("{}, «{}»", r.creator_name, r.file_name),
            at: vn_time(&r.created_at),
            stored: (r.status == Status::Stored).then(|| r.plan_number.unwrap_or_default()),
        })
        .collect();
    Ok(UploadPage {
        layout: Layout::new(state, user, "Nhập kế hoạch từ văn bản", "/ke-hoach"),
        error,
        text,
        max_file: format!("{} MB", MAX_ATTACHMENT / (1024 * 1024)),
        drafts,
    })
}

pub(super) async fn page(
    State(state): State<AppState>,
    Importer(user): Importer,
) -> PageResult<UploadPage> {
    upload_view(&state, &user, None, String::new()).await
}

/// What the reader or the form refused is told on the form; anything else
/// is an error page.
fn fixable(e: &AppError) -> bool {
    matches!(e, AppError::BadRequest(_) | AppError::TooLarge(_))
}

pub(super) async fn form(
    State(state): State<AppState>,
    Importer(user): Importer,
    body: Result<CsrfUpload<PlanDocument>, AppError>,
) -> PageResult<Response> {
    let sent = match body {
        Ok(u) => sent_of(u.into_inner()),
        Err(e) if fixable(&e) => {
            let page = upload_view(&state, &user, Some(e.to_string()), String::new()).await?;
            return Ok((e.status(), page).into_response());
        }
        Err(e) => return Err(e),
    };
    let text = sent.text.clone();
    match create(&state, &user, sent).await {
        Ok((id, _)) => Ok(Redirect::to(&format!("/nhap-ke-hoach/{id}")).into_response()),
        Err(e) if fixable(&e) => {
            let page = upload_view(&state, &user, Some(e.to_string()), text).await?;
            Ok((e.status(), page).into_response())
        }
        Err(e) => Err(e),
    }
}
