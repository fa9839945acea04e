//! A report's files on its page: upload (the form's file, at most 10 MB),
//! download, removal. A refusal the user can fix (too large, no file, an
//! empty file) shows the form again with the message.

use super::ReportUpload;
use super::form::{Typed, fixable, refuse};
use crate::error::{AppError, PageResult};
use crate::guard::{ReportFile, ReportFileToRemove, ReportToWrite};
use crate::session::CurrentUser;
use crate::state::AppState;
use crate::support::csrf::{CsrfForm, CsrfUpload};
use crate::support::download;
use crate::support::upload::Upload;
use crate::view::report::form_url;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use dondoc_store::reports::FileIn;

/// The one file an upload must bring, not empty.
pub(super) fn the_file(upload: Upload) -> Result<FileIn, AppError> {
    let f = upload
        .file
        .ok_or_else(|| AppError::BadRequest("chưa chọn tệp để tải lên".into()))?;
    if f.data.is_empty() {
        return Err(AppError::BadRequest(format!(
            "tệp «{}» rỗng (0 byte)",
            f.filename
        )));
    }
    Ok(FileIn {
        filename: f.filename,
        content_type: f.content_type,
        data: f.data,
    })
}

pub(super) async fn upload(
    State(state): State<AppState>,
    user: CurrentUser,
    ReportToWrite { key, target: t }: ReportToWrite,
    body: Result<CsrfUpload<ReportUpload>, AppError>,
) -> PageResult<Response> {
    let today = state.clock.today();
    let typed = Typed::default();
    let attached = async {
        let file = the_file(body?.into_inner())?;
        let u = &user.user;
        state
            .store
            .attach_report_file(u.user_id, &u.username, &key, file, today)
            .await?;
        Ok::<_, AppError>(())
    }
    .await;
    match attached {
        Ok(()) => {
            Ok(Redirect::to(&format!("{}?ket-qua=da-tai-tep", form_url(&key))).into_response())
        }
        Err(e) if fixable(&e) => refuse(&state, &user, &key, &t, &typed, e).await,
        Err(e) => Err(e),
    }
}

/// Sends a report's file (the guard has checked it is this report's, and
/// that the user may read the report).
pub(super) async fn send(state: &AppState, file: &ReportFile) -> Result<Response, AppError> {
    let info = &file.attachment;
    Ok(download::stored_file(
        &state.store,
        info.attachment_id,
        info.size,
        &info.content_type,
        &info.filename,
    ))
}

pub(super) async fn download(
    State(state): State<AppState>,
    file: ReportFile,
) -> PageResult<Response> {
    send(&state, &file).await
}

/// Removes a file (the guard has checked the user may change the report).
pub(super) async fn remove_file(
    state: &AppState,
    user: &CurrentUser,
    f: &ReportFileToRemove,
) -> Result<(), AppError> {
    let u = &user.user;
    state
        .store
        .detach_report_file(
            u.user_id,
            &u.username,
            &f.report,
            f.attachment.attachment_id,
        )
        .await?;
    Ok(())
}

pub(super) async fn remove(
    State(state): State<AppState>,
    user: CurrentUser,
    f: ReportFileToRemove,
    CsrfForm(_): CsrfForm<serde::de::IgnoredAny>,
) -> PageResult<Response> {
    remove_file(&state, &user, &f).await?;
    Ok(Redirect::to(&format!("{}?ket-qua=da-xoa-tep", form_url(&f.key))).into_response())
}
