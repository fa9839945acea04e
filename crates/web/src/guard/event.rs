//! An event of the calendar named by `{id}`. Everyone signed in reads the
//! calendar; the plan's managers date and move events.

use crate::access;
use crate::error::AppError;
use crate::session::CurrentUser;
use crate::state::AppState;
use crate::support::ids::EventId;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use dondoc_core::plan::Event;

async fn load(parts: &mut Parts, state: &AppState) -> Result<(CurrentUser, Event), AppError> {
    let user = CurrentUser::from_request_parts(parts, state).await?;
    let EventId(id) = EventId::from_request_parts(parts, state).await?;
    let event = state
        .store
        .events()
        .await?
        .into_iter()
        .find(|e| e.id == id)
        .ok_or_else(|| AppError::NotFound("sự kiện này".into()))?;
    Ok((user, event))
}

pub struct EventToRead(pub Event);

impl FromRequestParts<AppState> for EventToRead {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        load(parts, state).await.map(|(_, e)| EventToRead(e))
    }
}

/// An event the user may date or move.
pub struct EventToManage(pub Event);

impl FromRequestParts<AppState> for EventToManage {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let (user, event) = load(parts, state).await?;
        access::manage_calendar(&user)?;
        Ok(EventToManage(event))
    }
}
