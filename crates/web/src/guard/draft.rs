//! Reading plans from documents: who may, and a draft named by `{id}`.

use crate::access;
use crate::error::AppError;
use crate::session::CurrentUser;
use crate::state::AppState;
use crate::support::ids::DraftId;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use dondoc_store::drafts::Draft;

/// A user who may read plans from their documents and store them.
pub struct Importer(pub CurrentUser);

impl FromRequestParts<AppState> for Importer {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let user = CurrentUser::from_request_parts(parts, state).await?;
        access::import_plan(&user)?;
        Ok(Importer(user))
    }
}

async fn load(parts: &mut Parts, state: &AppState) -> Result<(CurrentUser, Draft), AppError> {
    let user = CurrentUser::from_request_parts(parts, state).await?;
    let DraftId(id) = DraftId::from_request_parts(parts, state).await?;
    let missing = || AppError::NotFound("bản nháp này".into());
    let draft = state.store.draft(id).await?.ok_or_else(missing)?;
    // A draft is there only for those who may read it.
    access::read_draft(&user, draft.created_by).map_err(|_| missing())?;
    Ok((user, draft))
}

/// A draft the user may read (whoever may import, and its author).
pub struct DraftToRead(pub Draft);

impl FromRequestParts<AppState> for DraftToRead {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        load(parts, state).await.map(|(_, d)| DraftToRead(d))
    }
}

/// A draft the user may correct and confirm.
pub struct DraftToEdit(pub Draft);

impl FromRequestParts<AppState> for DraftToEdit {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let (user, draft) = load(parts, state).await?;
        access::import_plan(&user)?;
        Ok(DraftToEdit(draft))
    }
}
