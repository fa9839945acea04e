//! An assignment named by `{id}`, and one of its files by `{file_id}`.

use super::visible;
use crate::access;
use crate::error::AppError;
use crate::session::CurrentUser;
use crate::state::AppState;
use crate::support::ids::{AssignmentFileId, AssignmentId};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use dondoc_store::assignments::{Assignment, Attachment};

const WHAT: &str = "nhiệm vụ này";

async fn load(parts: &mut Parts, state: &AppState) -> Result<(CurrentUser, Assignment), AppError> {
    let user = CurrentUser::from_request_parts(parts, state).await?;
    let AssignmentId(id) = AssignmentId::from_request_parts(parts, state).await?;
    let a = state
        .store
        .assignment(id)
        .await?
        .ok_or_else(|| AppError::NotFound(WHAT.into()))?;
    visible(state, &user, a.unit_id, WHAT).await?;
    Ok((user, a))
}

/// An assignment of a unit the user may read.
pub struct AssignmentToRead(pub Assignment);

impl FromRequestParts<AppState> for AssignmentToRead {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        load(parts, state).await.map(|(_, a)| AssignmentToRead(a))
    }
}

/// An assignment the user may update (its unit's officers).
pub struct AssignmentToWrite(pub Assignment);

impl FromRequestParts<AppState> for AssignmentToWrite {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let (user, a) = load(parts, state).await?;
        access::write_unit(&user, a.unit_id)?;
        Ok(AssignmentToWrite(a))
    }
}

/// A file of an assignment the user may read; the file must be this
/// assignment's.
pub struct AssignmentFile(pub Attachment);

impl FromRequestParts<AppState> for AssignmentFile {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let (_, a) = load(parts, state).await?;
        let AssignmentFileId(file_id) = AssignmentFileId::from_request_parts(parts, state).await?;
        state
            .store
            .assignment_file(file_id)
            .await?
            .filter(|f| f.assignment_id == a.assignment_id)
            .map(AssignmentFile)
            .ok_or_else(|| AppError::NotFound("tệp đính kèm này".into()))
    }
}
