//! Who may see or change what. Every handler asks here; nothing else
//! decides.
//!
//! - quản trị (admin): everything, accounts included;
//! - chủ trì kế hoạch (owner): reads everything; keeps the calendar; manages
//!   the plans of their own body (reviews their reports): the plans issued
//!   by their unit or by the unit above it at the same level — the Ban
//!   Tuyên giáo manages the Tỉnh uỷ's plans, a Huyện uỷ's owner the Huyện
//!   uỷ's and not the province's;
//! - lãnh đạo (leader): reads everything under their unit, and every unit a
//!   plan of their body (or of a body under it) reaches;
//! - cán bộ đơn vị (officer): changes their own unit's assignments and
//!   reports; reads their unit and its sub-units.
//!
//! Documents and figures of a whole plan (the synthesis report, the
//! tracking workbook, the overview's rate and figure charts) hold every
//! unit's data: they go to administrators, owners, and the leaders of the
//! plan's issuing body or of a unit above it — never to a leader lower down,
//! who reads only their own subtree, nor to officers. Those leaders read
//! every unit of the plan on the pages too, so that a document never names
//! a unit its reader cannot open.

use crate::error::AppError;
use crate::session::CurrentUser;
use crate::state::AppState;
use dondoc_store::plans::PlanRow;
use dondoc_store::users::Role;

async fn is_under(state: &AppState, ancestor: i64, unit: i64) -> Result<bool, AppError> {
    Ok(state.store.is_under(ancestor, unit).await?)
}

/// May this user read what belongs to `unit`?
pub async fn can_read_unit(state: &AppState, u: &CurrentUser, unit: i64) -> Result<bool, AppError> {
    match u.user.role {
        Role::Admin | Role::Owner => Ok(true),
        Role::Officer => is_under(state, u.user.unit_id, unit).await,
        Role::Leader => Ok(is_under(state, u.user.unit_id, unit).await?
            || followed_units(state, u).await?.contains(&unit)),
    }
}

/// The units reached by the plans a leader follows in full (those whose
/// whole-plan documents they may have).
async fn followed_units(state: &AppState, u: &CurrentUser) -> Result<Vec<i64>, AppError> {
    // The same test as `can_export_plan`, with the directory read once.
    let index = state.store.unit_index().await?;
    let mut units = Vec::new();
    for plan in state.store.plans().await? {
        let Some(issuer) = index.find(&plan.issuer) else {
            continue;
        };
        if is_under(state, u.user.unit_id, issuer).await? {
            units.extend(state.store.units_reached(plan.plan_id).await?);
        }
    }
    units.sort_unstable();
    units.dedup();
    Ok(units)
}

pub async fn read_unit(state: &AppState, u: &CurrentUser, unit: i64) -> Result<(), AppError> {
    if can_read_unit(state, u, unit).await? {
        Ok(())
    } else {
        Err(AppError::Forbidden("xem thông tin của đơn vị này".into()))
    }
}

/// May this user change the assignments and reports of `unit`? Only its own
/// officers (and administrators).
pub fn write_unit(u: &CurrentUser, unit: i64) -> Result<(), AppError> {
    match u.user.role {
        Role::Admin => Ok(()),
        Role::Officer if u.user.unit_id == unit => Ok(()),
        _ => Err(AppError::Forbidden(
            "cập nhật số liệu, báo cáo của đơn vị này".into(),
        )),
    }
}

/// Where a unit's reminder digest goes and whether it wants one: its own
/// officers, the plan owners who chase the deadlines, administrators.
/// Leaders read the setting but do not change it.
pub fn manage_reminders(u: &CurrentUser, unit: i64) -> Result<(), AppError> {
    match u.user.role {
        Role::Admin | Role::Owner => Ok(()),
        Role::Officer if u.user.unit_id == unit => Ok(()),
        _ => Err(AppError::Forbidden(
            "thay đổi thư nhắc việc của đơn vị này".into(),
        )),
    }
}

/// May this user have the whole-plan documents of a plan issued by
/// `issuer` (see the module's comment)?
pub async fn can_export_plan(
    state: &AppState,
    u: &CurrentUser,
    issuer: &str,
) -> Result<bool, AppError> {
    match u.user.role {
        Role::Admin | Role::Owner => Ok(true),
        Role::Officer => Ok(false),
        Role::Leader => {
            // An issuer that is no unit of the directory (a plan read from
            // another body's document) has no leaders here.
            match state.store.unit_named(issuer).await? {
                Some(issuer) => is_under(state, u.user.unit_id, issuer).await,
                None => Ok(false),
            }
        }
    }
}

pub async fn export_plan(state: &AppState, u: &CurrentUser, issuer: &str) -> Result<(), AppError> {
    if can_export_plan(state, u, issuer).await? {
        Ok(())
    } else {
        Err(AppError::Forbidden(
            "tải báo cáo tổng hợp, sổ theo dõi hay số liệu của toàn kế hoạch".into(),
        ))
    }
}

/// The calendar of events, which every plan shares: owners and
/// administrators.
pub fn manage_calendar(u: &CurrentUser) -> Result<(), AppError> {
    match u.user.role {
        Role::Admin | Role::Owner => Ok(()),
        _ => Err(AppError::Forbidden("thay đổi lịch sự kiện".into())),
    }
}

/// May this user manage `plan` (review its reports)? Administrators any
/// plan; owners the plans of their own body (see the module's comment),
/// and every plan whose issuer is no unit of the directory (a document of
/// another body, read to be tracked here).
pub async fn can_manage_plan(
    state: &AppState,
    u: &CurrentUser,
    plan: &PlanRow,
) -> Result<bool, AppError> {
    match u.user.role {
        Role::Admin => Ok(true),
        Role::Leader | Role::Officer => Ok(false),
        Role::Owner => {
            let Some(issuer) = state.store.unit_named(&plan.issuer).await? else {
                return Ok(true);
            };
            let own = u.user.unit_id;
            if own == issuer {
                return Ok(true);
            }
            // A board or office of the issuer stands under it at its level;
            // a committee below it (a Huyện uỷ under the Tỉnh uỷ) does not.
            let (Some(o), Some(i)) = (
                state.store.unit_row(own).await?,
                state.store.unit_row(issuer).await?,
            ) else {
                return Ok(false);
            };
            Ok(o.parent_id == Some(issuer) && o.level == i.level)
        }
    }
}

/// The plan with id `plan_id`, which must be one the user manages.
pub async fn manage_plan(state: &AppState, u: &CurrentUser, plan_id: i64) -> Result<(), AppError> {
    let plans = state.store.plans().await?;
    let plan = plans.iter().find(|p| p.plan_id == plan_id);
    match plan {
        Some(p) if can_manage_plan(state, u, p).await? => Ok(()),
        _ => Err(AppError::Forbidden(
            "duyệt báo cáo của kế hoạch này (việc của cơ quan ban hành kế hoạch)".into(),
        )),
    }
}

/// Reading a plan from its document and storing it: the plan's owners.
pub fn import_plan(u: &CurrentUser) -> Result<(), AppError> {
    match u.user.role {
        Role::Admin | Role::Owner => Ok(()),
        _ => Err(AppError::Forbidden("nhập kế hoạch từ văn bản".into())),
    }
}

/// A draft read from a document: whoever may import, and its author (a
/// draft stays theirs to read even if their role changes).
pub fn read_draft(u: &CurrentUser, created_by: i64) -> Result<(), AppError> {
    if u.user.user_id == created_by || import_plan(u).is_ok() {
        Ok(())
    } else {
        Err(AppError::Forbidden("xem bản nháp kế hoạch này".into()))
    }
}

/// What a unit has been told is marked read by any of its users; the
/// handler only ever marks the user's own unit's.
pub fn mark_notices_read(_u: &CurrentUser) -> Result<(), AppError> {
    Ok(())
}

/// Accounts and units.
pub fn administer(u: &CurrentUser) -> Result<(), AppError> {
    match u.user.role {
        Role::Admin => Ok(()),
        _ => Err(AppError::Forbidden("quản trị tài khoản và đơn vị".into())),
    }
}

/// The audit trail: administrators and plan owners.
pub fn read_audit(u: &CurrentUser) -> Result<(), AppError> {
    match u.user.role {
        Role::Admin | Role::Owner => Ok(()),
        _ => Err(AppError::Forbidden("xem nhật ký thay đổi".into())),
    }
}

/// Where a user lands after signing in: an officer on their unit's own
/// work (`/viec-cua-toi`), everyone else on the overview.
pub fn home(role: Role) -> &'static str {
    match role {
        Role::Officer => "/viec-cua-toi",
        Role::Admin | Role::Owner | Role::Leader => "/",
    }
}

/// Whether the user reads every unit (the whole tree, every trail).
pub fn reads_every_unit(u: &CurrentUser) -> bool {
    matches!(u.user.role, Role::Admin | Role::Owner)
}

/// Whether the user's report lists are what their own unit owes (an
/// officer's), rather than the reports sent by the units they read.
pub fn owes_reports(u: &CurrentUser) -> bool {
    u.user.role == Role::Officer
}

/// Whether the user's role reviews reports (the menu and the lists'
/// default filter follow this; each review is checked per plan by
/// `manage_plan`).
pub fn can_review(u: &CurrentUser) -> bool {
    matches!(u.user.role, Role::Admin | Role::Owner)
}

/// The ids of the units a user may read, or `None` for all of them.
pub async fn readable_units(
    state: &AppState,
    u: &CurrentUser,
) -> Result<Option<Vec<i64>>, AppError> {
    match u.user.role {
        Role::Admin | Role::Owner => Ok(None),
        Role::Officer => Ok(Some(state.store.subtree(u.user.unit_id).await?)),
        Role::Leader => {
            let mut units = state.store.subtree(u.user.unit_id).await?;
            units.extend(followed_units(state, u).await?);
            units.sort_unstable();
            units.dedup();
            Ok(Some(units))
        }
    }
}
