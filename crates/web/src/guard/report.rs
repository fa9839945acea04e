//! A report named by `{reporting_id}/{period}/{unit_id}`, and one of its
//! files by `{attachment_id}`.
//!
//! A report's address is found when its regime, its period (as of today)
//! and its unit exist; a part that does not is "not found", on the pages
//! and through the API alike.

use super::visible;
use crate::access;
use crate::error::AppError;
use crate::session::CurrentUser;
use crate::state::AppState;
use crate::support::ids::{AttachmentId, ReportAddress};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use dondoc_store::StoreError;
use dondoc_store::reports::{Attachment, Report, ReportKey, Target};

const WHAT: &str = "báo cáo này";

/// The regime, period and unit of `key`, each checked to exist (as
/// submissions check them).
async fn target(state: &AppState, key: &ReportKey) -> Result<Target, AppError> {
    state
        .store
        .report_target(key, state.clock.today())
        .await
        .map_err(|e| match e {
            StoreError::Invalid(m) => AppError::NotFound(format!("{WHAT}: {m}")),
            other => other.into(),
        })
}

/// A report's address, found, and the user who asks, who may read it.
async fn load(
    parts: &mut Parts,
    state: &AppState,
) -> Result<(CurrentUser, ReportKey, Target), AppError> {
    let user = CurrentUser::from_request_parts(parts, state).await?;
    let ReportAddress(key) = ReportAddress::from_request_parts(parts, state).await?;
    let t = target(state, &key).await?;
    visible(state, &user, key.unit_id, WHAT).await?;
    Ok((user, key, t))
}

/// A report (stored or not yet) the user may read.
pub struct ReportToRead {
    pub key: ReportKey,
    pub target: Target,
}

impl FromRequestParts<AppState> for ReportToRead {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let (_, key, target) = load(parts, state).await?;
        Ok(ReportToRead { key, target })
    }
}

/// A report the user may fill in, send and attach files to (its unit's
/// officers).
pub struct ReportToWrite {
    pub key: ReportKey,
    pub target: Target,
}

impl FromRequestParts<AppState> for ReportToWrite {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let (user, key, target) = load(parts, state).await?;
        access::write_unit(&user, key.unit_id)?;
        Ok(ReportToWrite { key, target })
    }
}

/// A report the user may accept or return.
pub struct ReportToReview {
    pub key: ReportKey,
    pub target: Target,
}

impl FromRequestParts<AppState> for ReportToReview {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let (user, key, target) = load(parts, state).await?;
        access::manage_plan(state, &user, target.regime.plan_id).await?;
        Ok(ReportToReview { key, target })
    }
}

/// The stored report of `key` and its file `{attachment_id}`: the file must
/// be this report's.
async fn file_of(
    parts: &mut Parts,
    state: &AppState,
    key: &ReportKey,
) -> Result<(Report, Attachment), AppError> {
    let AttachmentId(id) = AttachmentId::from_request_parts(parts, state).await?;
    state
        .store
        .report_file(key, id)
        .await?
        .ok_or_else(|| AppError::NotFound("tệp đính kèm này".into()))
}

/// A file of a report the user may read.
pub struct ReportFile {
    pub attachment: Attachment,
}

impl FromRequestParts<AppState> for ReportFile {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let (_, key, _) = load(parts, state).await?;
        let (_, attachment) = file_of(parts, state, &key).await?;
        Ok(ReportFile { attachment })
    }
}

/// A file of a report the user may change.
pub struct ReportFileToRemove {
    pub key: ReportKey,
    pub report: Report,
    pub attachment: Attachment,
}

impl FromRequestParts<AppState> for ReportFileToRemove {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let (user, key, _) = load(parts, state).await?;
        let (report, attachment) = file_of(parts, state, &key).await?;
        access::write_unit(&user, key.unit_id)?;
        Ok(ReportFileToRemove {
            key,
            report,
            attachment,
        })
    }
}
