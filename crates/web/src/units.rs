//! *Đơn vị*: the tree of units a user may read, with how their assignments
//! stand, and one unit's page: its assignments with deadlines, progress and
//! evidence, and the way to its reports.

use crate::access;
use crate::auth::{ApiUser, CurrentUser};
use crate::error::{ApiResult, AppError, PageResult};
use crate::layout::{Layout, vn_number, vn_text};
use crate::plan::dues_text;
use crate::state::AppState;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::routing::get;
use axum::{Json, Router};
use dondoc_store::assignments::{self, Assignment, Counts};
use dondoc_store::units::{self, UnitRow};
use jiff::civil::Date;
use serde::Serialize;
use std::collections::{HashMap, HashSet};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/don-vi", get(tree_page))
        .route("/don-vi/{unit_id}", get(unit_page))
        .route("/api/units", get(api_units))
        .route("/api/units/{unit_id}", get(api_unit))
        .route(
            "/api/units/{unit_id}/assignments",
            get(api_unit_assignments),
        )
}

/// A numeric id from the path; anything else is a page that does not exist
/// (axum's own rejection would answer in English).
pub(crate) fn path_id(p: Result<Path<String>, PathRejection>, what: &str) -> Result<i64, AppError> {
    p.ok()
        .and_then(|Path(s)| s.parse::<i64>().ok())
        .ok_or_else(|| AppError::NotFound(what.to_string()))
}

/// "từ 01/01/2025", "đến 30/06/2025", "từ … đến …", or nothing.
pub(crate) fn validity_text(u: &UnitRow) -> String {
    match (&u.valid_from, &u.valid_to) {
        (Some(f), Some(t)) => format!("từ {} đến {}", vn_text(f), vn_text(t)),
        (Some(f), None) => format!("từ {}", vn_text(f)),
        (None, Some(t)) => format!("đến {}", vn_text(t)),
        (None, None) => String::new(),
    }
}

fn has_ended(u: &UnitRow, today: Date) -> bool {
    u.valid_to
        .as_deref()
        .is_some_and(|t| *t < *today.to_string())
}

/// "16 nhiệm vụ · 3 hoàn thành · 1 quá hạn".
fn counts_text(c: &Counts) -> String {
    if c.total == 0 {
        return "chưa được giao nhiệm vụ".to_string();
    }
    let mut parts = vec![format!("{} nhiệm vụ", vn_number(c.total))];
    for (n, label) in [
        (c.in_progress, "đang thực hiện"),
        (c.done, "hoàn thành"),
        (c.cancelled, "huỷ"),
    ] {
        if n > 0 {
            parts.push(format!("{} {label}", vn_number(n)));
        }
    }
    parts.join(" · ")
}

// ---- The tree -------------------------------------------------------------

struct TreeItem {
    unit_id: i64,
    name: String,
    depth: usize,
    validity: String,
    ended: bool,
    counts: String,
    overdue: i64,
}

#[derive(Template, WebTemplate)]
#[template(path = "units.html")]
struct TreePage {
    layout: Layout,
    items: Vec<TreeItem>,
}

/// The readable units in tree order (each parent before its children);
/// a unit whose parent the user may not read stands at the top.
fn tree_order<'a>(rows: &'a [UnitRow], readable: Option<&[i64]>) -> Vec<(usize, &'a UnitRow)> {
    let readable: Option<HashSet<i64>> = readable.map(|r| r.iter().copied().collect());
    let can = |id: i64| readable.as_ref().is_none_or(|r| r.contains(&id));
    let shown: Vec<&UnitRow> = rows.iter().filter(|u| can(u.unit_id)).collect();
    let mut children: HashMap<i64, Vec<&UnitRow>> = HashMap::new();
    let mut roots = Vec::new();
    for u in &shown {
        match u.parent_id.filter(|p| can(*p)) {
            Some(p) => children.entry(p).or_default().push(u),
            None => roots.push(*u),
        }
    }
    let mut out = Vec::with_capacity(shown.len());
    // Depth-first with an explicit stack: the tree is data, its depth is not
    // ours to bound.
    let mut stack: Vec<(usize, &UnitRow)> = roots.into_iter().rev().map(|u| (0, u)).collect();
    while let Some((depth, u)) = stack.pop() {
        out.push((depth, u));
        if let Some(kids) = children.get(&u.unit_id) {
            stack.extend(kids.iter().rev().map(|k| (depth + 1, *k)));
        }
    }
    out
}

async fn tree_page(State(state): State<AppState>, user: CurrentUser) -> PageResult<TreePage> {
    let readable = access::readable_units(&state, &user).await?;
    let today = state.clock.today();
    let mut conn = state.store.conn().await?;
    let rows = units::rows(&mut conn).await?;
    let counts = assignments::counts_by_unit(&mut conn, today).await?;
    let items = tree_order(&rows, readable.as_deref())
        .into_iter()
        .map(|(depth, u)| {
            let c = counts.get(&u.unit_id).copied().unwrap_or_default();
            TreeItem {
                unit_id: u.unit_id,
                name: u.name.clone(),
                depth: depth.min(6),
                validity: validity_text(u),
                ended: has_ended(u, today),
                counts: counts_text(&c),
                overdue: c.overdue,
            }
        })
        .collect();
    Ok(TreePage {
        layout: Layout::new(&state, &user, "Đơn vị", "/don-vi"),
        items,
    })
}

// ---- One unit -------------------------------------------------------------

/// An assignment as the unit page and the assignment page show it.
pub(crate) struct AssignmentView {
    pub id: i64,
    pub reference: String,
    pub text: String,
    pub phrase: String,
    pub due: String,
    pub status: String,
    pub status_class: &'static str,
    pub overdue: bool,
    pub progress_note: Option<String>,
    pub evidence: Option<String>,
    pub evidence_link: Option<String>,
    pub files: Vec<(i64, String, String)>,
    pub completed_on: Option<String>,
    pub updated: Option<String>,
}

/// "1,5 MB", "340 KB", "900 byte": written as the reports pages write it
/// (`reports::files::size_text`, private to that module).
fn size_text(bytes: i64) -> String {
    if bytes >= 1024 * 1024 {
        let tenths = bytes * 10 / (1024 * 1024);
        format!("{},{} MB", tenths / 10, tenths % 10)
    } else if bytes >= 1024 {
        format!("{} KB", bytes / 1024)
    } else {
        format!("{} byte", vn_number(bytes))
    }
}

impl AssignmentView {
    pub(crate) fn new(a: &Assignment, today: Date) -> Self {
        let overdue = a.is_overdue(today);
        AssignmentView {
            id: a.assignment_id,
            reference: a.task_ref.clone(),
            text: a.task_text.clone(),
            phrase: a
                .deadline_phrase
                .clone()
                .unwrap_or_else(|| "(không nêu)".to_string()),
            due: dues_text(&a.due),
            status: a.status.label().to_string(),
            status_class: match a.status {
                assignments::Status::Done => "ok",
                assignments::Status::InProgress => "warn",
                _ => "wait",
            },
            overdue,
            progress_note: a.progress_note.clone(),
            evidence: a.evidence.clone(),
            evidence_link: a.evidence_link.clone(),
            files: a
                .attachments
                .iter()
                .map(|f| (f.attachment_id, f.filename.clone(), size_text(f.size)))
                .collect(),
            completed_on: a.completed_on.as_deref().map(vn_text),
            updated: a.updated_by.as_ref().map(|who| {
                let at = crate::audit::vn_time(&a.updated_at);
                format!("{who}, {at}")
            }),
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "unit.html")]
struct UnitPage {
    layout: Layout,
    unit_id: i64,
    name: String,
    validity: String,
    ended: bool,
    parent: Option<(i64, String)>,
    children: Vec<(i64, String)>,
    counts: String,
    overdue: i64,
    can_write: bool,
    assignments: Vec<AssignmentView>,
}

async fn unit_page(
    State(state): State<AppState>,
    user: CurrentUser,
    id: Result<Path<String>, PathRejection>,
) -> PageResult<UnitPage> {
    let unit = readable_unit(&state, &user, id).await?;
    let (id, today) = (unit.unit_id, state.clock.today());
    let mut conn = state.store.conn().await?;
    let list = assignments::of_unit(&mut conn, id).await?;
    let children = units::children(&mut conn, id).await?;
    let parent = match unit.parent_id {
        Some(p) => units::row(&mut conn, p).await?,
        None => None,
    };
    drop(conn);
    // The parent is linked only for those who may open it.
    let parent = match parent {
        Some(p) if access::can_read_unit(&state, &user, p.unit_id).await? => {
            Some((p.unit_id, p.name))
        }
        _ => None,
    };
    let c = Counts::of(&list, today);
    Ok(UnitPage {
        layout: Layout::new(&state, &user, &unit.name, "/don-vi"),
        unit_id: id,
        validity: validity_text(&unit),
        ended: has_ended(&unit, today),
        name: unit.name,
        parent,
        children: children.into_iter().map(|u| (u.unit_id, u.name)).collect(),
        counts: counts_text(&c),
        overdue: c.overdue,
        can_write: access::write_unit(&user, id).is_ok(),
        assignments: list.iter().map(|a| AssignmentView::new(a, today)).collect(),
    })
}

// ---- API ------------------------------------------------------------------

#[derive(Serialize)]
struct UnitOut {
    #[serde(flatten)]
    unit: UnitRow,
    counts: Counts,
    reports_url: String,
}

fn unit_out(u: UnitRow, counts: &HashMap<i64, Counts>) -> UnitOut {
    UnitOut {
        counts: counts.get(&u.unit_id).copied().unwrap_or_default(),
        reports_url: format!("/bao-cao?don-vi={}", u.unit_id),
        unit: u,
    }
}

async fn api_units(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
) -> ApiResult<Json<Vec<UnitOut>>> {
    let readable = access::readable_units(&state, &user).await?;
    let mut conn = state.store.conn().await?;
    let counts = assignments::counts_by_unit(&mut conn, state.clock.today()).await?;
    let rows = units::rows(&mut conn).await?;
    let readable: Option<HashSet<i64>> = readable.map(|r| r.into_iter().collect());
    Ok(Json(
        rows.into_iter()
            .filter(|u| readable.as_ref().is_none_or(|r| r.contains(&u.unit_id)))
            .map(|u| unit_out(u, &counts))
            .collect(),
    ))
}

/// The unit, once the user may read it.
async fn readable_unit(
    state: &AppState,
    user: &CurrentUser,
    id: Result<Path<String>, PathRejection>,
) -> Result<UnitRow, AppError> {
    let id = path_id(id, "đơn vị")?;
    let unit = {
        let mut conn = state.store.conn().await?;
        units::row(&mut conn, id).await?
    }
    .ok_or_else(|| AppError::NotFound("đơn vị".into()))?;
    access::read_unit(state, user, id).await?;
    Ok(unit)
}

async fn api_unit(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    id: Result<Path<String>, PathRejection>,
) -> ApiResult<Json<UnitOut>> {
    let unit = readable_unit(&state, &user, id).await?;
    let mut conn = state.store.conn().await?;
    let list = assignments::of_unit(&mut conn, unit.unit_id).await?;
    let counts = HashMap::from([(unit.unit_id, Counts::of(&list, state.clock.today()))]);
    Ok(Json(unit_out(unit, &counts)))
}

/// An assignment as the API gives it: the stored record and what the pages
/// derive from it.
#[derive(Serialize)]
pub(crate) struct AssignmentOut {
    #[serde(flatten)]
    pub assignment: Assignment,
    pub status_label: &'static str,
    pub due_text: String,
    pub overdue: bool,
}

impl AssignmentOut {
    pub(crate) fn new(a: Assignment, today: Date) -> Self {
        AssignmentOut {
            status_label: a.status.label(),
            due_text: dues_text(&a.due),
            overdue: a.is_overdue(today),
            assignment: a,
        }
    }
}

async fn api_unit_assignments(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    id: Result<Path<String>, PathRejection>,
) -> ApiResult<Json<Vec<AssignmentOut>>> {
    let unit = readable_unit(&state, &user, id).await?;
    let today = state.clock.today();
    let mut conn = state.store.conn().await?;
    let list = assignments::of_unit(&mut conn, unit.unit_id).await?;
    Ok(Json(
        list.into_iter()
            .map(|a| AssignmentOut::new(a, today))
            .collect(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(id: i64, parent: Option<i64>) -> UnitRow {
        UnitRow {
            unit_id: id,
            name: format!("Đơn vị {id}"),
            parent_id: parent,
            kind: String::new(),
            level: String::new(),
            valid_from: None,
            valid_to: None,
        }
    }

    #[test]
    fn tree_puts_children_under_parents() {
        let rows = [
            unit(1, None),
            unit(2, Some(1)),
            unit(3, None),
            unit(4, Some(2)),
            unit(5, Some(1)),
        ];
        let order: Vec<(usize, i64)> = tree_order(&rows, None)
            .into_iter()
            .map(|(d, u)| (d, u.unit_id))
            .collect();
        assert_eq!(order, [(0, 1), (1, 2), (2, 4), (1, 5), (0, 3)]);
        // A reader of unit 2 alone sees it at the top, with what is under it.
        let order: Vec<(usize, i64)> = tree_order(&rows, Some(&[2, 4]))
            .into_iter()
            .map(|(d, u)| (d, u.unit_id))
            .collect();
        assert_eq!(order, [(0, 2), (1, 4)]);
    }

    #[test]
    fn sizes_in_vietnamese() {
        assert_eq!(size_text(900), "900 byte");
        assert_eq!(size_text(1536), "1 KB");
        assert_eq!(size_text(1536 * 1024), "1,5 MB");
        assert_eq!(size_text(10 * 1024 * 1024), "10,0 MB");
    }
}
