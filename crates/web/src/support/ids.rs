//! Ids read from the path, typed, with a Vietnamese "not found" for an
//! address that holds no id at all: `/don-vi/abc` is a page that does not
//! exist, never a 400 in English from the framework.

use crate::error::AppError;
use axum::extract::{FromRequestParts, RawPathParams};
use axum::http::request::Parts;
use dondoc_store::reports::ReportKey;

/// The raw value of the path parameter `name`, if the route has one.
async fn raw<S: Send + Sync>(parts: &mut Parts, state: &S, name: &str) -> Option<String> {
    let params = RawPathParams::from_request_parts(parts, state).await.ok()?;
    params
        .iter()
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

/// A whole positive number from the path parameter `name`, else "not found
/// `what`".
pub async fn number<S: Send + Sync>(
    parts: &mut Parts,
    state: &S,
    name: &str,
    what: &str,
) -> Result<i64, AppError> {
    raw(parts, state, name)
        .await
        .and_then(|s| s.parse::<i64>().ok())
        .filter(|n| *n > 0)
        .ok_or_else(|| AppError::NotFound(what.to_string()))
}

/// Declares a typed numeric id read from one path parameter.
macro_rules! path_id {
    ($(#[$doc:meta])* $name:ident, $param:literal, $what:literal) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub struct $name(pub i64);

        impl<S: Send + Sync> FromRequestParts<S> for $name {
            type Rejection = AppError;

            async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
                number(parts, state, $param, $what).await.map($name)
            }
        }
    };
}

path_id!(
    /// `{unit_id}`: a unit.
    UnitId, "unit_id", "đơn vị này"
);
path_id!(
    /// `{id}` under `/nhiem-vu/` and `/api/assignments/`: an assignment.
    AssignmentId, "id", "nhiệm vụ này"
);
path_id!(
    /// `{file_id}`: a file of an assignment.
    AssignmentFileId, "file_id", "tệp đính kèm này"
);
path_id!(
    /// `{attachment_id}`: a file of a report.
    AttachmentId, "attachment_id", "tệp đính kèm này"
);
path_id!(
    /// `{id}` under `/nhap-ke-hoach/` and `/api/imports/`: a draft.
    DraftId, "id", "bản nháp này"
);

/// `{id}` under `/lich/` and `/api/events/`: an event, by its text id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EventId(pub String);

impl<S: Send + Sync> FromRequestParts<S> for EventId {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        raw(parts, state, "id")
            .await
            .filter(|s| !s.is_empty())
            .map(EventId)
            .ok_or_else(|| AppError::NotFound("sự kiện này".into()))
    }
}

/// `{reporting_id}/{period}/{unit_id}`: a report's address (the regime, the
/// period's key, the unit). Whether they exist is the guard's to say.
#[derive(Clone, Debug)]
pub struct ReportAddress(pub ReportKey);

impl<S: Send + Sync> FromRequestParts<S> for ReportAddress {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        let what = "báo cáo này (địa chỉ không đúng)";
        let reporting_id = number(parts, state, "reporting_id", what).await?;
        let unit_id = number(parts, state, "unit_id", what).await?;
        let period = raw(parts, state, "period")
            .await
            .filter(|p| !p.is_empty())
            .ok_or_else(|| AppError::NotFound(what.into()))?;
        Ok(ReportAddress(ReportKey {
            reporting_id,
            period,
            unit_id,
        }))
    }
}
