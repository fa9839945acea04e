//! A unit named by `{unit_id}`.

use super::visible;
use crate::access;
use crate::error::AppError;
use crate::session::CurrentUser;
use crate::state::AppState;
use crate::support::ids::UnitId;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use dondoc_store::units::UnitRow;

const WHAT: &str = "đơn vị này";

async fn load(parts: &mut Parts, state: &AppState) -> Result<(CurrentUser, UnitRow), AppError> {
    let user = CurrentUser::from_request_parts(parts, state).await?;
    let UnitId(id) = UnitId::from_request_parts(parts, state).await?;
    let unit = state
        .store
        .unit_row(id)
        .await?
        .ok_or_else(|| AppError::NotFound(WHAT.into()))?;
    visible(state, &user, id, WHAT).await?;
    Ok((user, unit))
}

/// A unit the user may read.
pub struct UnitToRead(pub UnitRow);

impl FromRequestParts<AppState> for UnitToRead {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        load(parts, state).await.map(|(_, u)| UnitToRead(u))
    }
}

/// A unit whose reminder settings the user may change.
pub struct UnitReminders(pub UnitRow);

impl FromRequestParts<AppState> for UnitReminders {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let (user, unit) = load(parts, state).await?;
        access::manage_reminders(&user, unit.unit_id)?;
        Ok(UnitReminders(unit))
    }
}

/// The part of the unit tree a list or an overview covers: the unit asked
/// for (it must be there for the user: see the policy in `guard`), else the
/// user's own subtree; `None` for all of it.
pub async fn scope(
    state: &AppState,
    user: &CurrentUser,
    asked: Option<i64>,
) -> Result<Option<i64>, AppError> {
    match asked {
        Some(unit) => {
            let what = format!("đơn vị số {unit}");
            if state.store.unit_row(unit).await?.is_none() {
                return Err(AppError::NotFound(what));
            }
            visible(state, user, unit, &what).await?;
            Ok(Some(unit))
        }
        // Those who read everything see everything; others their subtree.
        None => Ok(access::readable_units(state, user)
            .await?
            .map(|_| user.user.unit_id)),
    }
}
