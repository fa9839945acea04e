//! Resource guards: the way into every request that names a resource.
//!
//! Each guard is an extractor that reads the resource's id from the path,
//! loads it, asks `access` whether the signed-in user may use it so, and
//! hands the handler what it may use — handlers start with domain logic.
//! Wrapped in `session::Api`, the same guard answers the API as JSON.
//!
//! One policy for the status of a refusal, written here once:
//!
//! - **404** for what does not exist **or may not be read**: a unit outside
//!   an officer's subtree is not there for them, so an address tells
//!   nobody what exists beyond what they may see;
//! - **403** for what may be read but not changed (a leader opening a
//!   report form, an officer of the unit reviewing its own report).
//!
//! Authentication comes first (no session: the sign-in page, or 401 under
//! `/api/`); the body, with its CSRF token, last (`support::csrf`).

mod assignment;
mod draft;
mod event;
mod plan;
mod report;
mod unit;

pub use assignment::{AssignmentFile, AssignmentToRead, AssignmentToWrite};
pub use draft::{DraftToEdit, DraftToRead, Importer};
pub use event::{EventToManage, EventToRead};
pub use plan::{ChosenPlan, ExportablePlan, PlanRef, PlanToManage, remember_plan};
pub use report::{ReportFile, ReportFileToRemove, ReportToRead, ReportToReview, ReportToWrite};
pub use unit::{UnitReminders, UnitToRead, scope};

use crate::access;
use crate::error::AppError;
use crate::session::CurrentUser;
use crate::state::AppState;

/// The unit's things are there for this user only if they may read the
/// unit (the 404 of the policy above).
async fn visible(
    state: &AppState,
    user: &CurrentUser,
    unit_id: i64,
    what: &str,
) -> Result<(), AppError> {
    if access::can_read_unit(state, user, unit_id).await? {
        Ok(())
    } else {
        Err(AppError::NotFound(what.to_string()))
    }
}
