//! *Đơn vị*: the tree of units a user may read, with how their assignments
//! stand, and one unit's page: its assignments with deadlines, progress and
//! evidence, the way to its reports, its deadlines on the plan's timeline,
//! its private calendar feed and where its reminder digest goes.

use crate::access;
use crate::error::{ApiResult, AppError, PageResult};
use crate::guard::{UnitReminders, UnitToRead};
use crate::layout::{Layout, vn_number, vn_text};
use crate::session::{Api, CurrentUser};
use crate::state::AppState;
use crate::support::csrf::CsrfForm;
use crate::support::download;
use crate::support::forms::VnJson;
use crate::support::query::Params;
use crate::support::url::{feed_path, feed_url};
use crate::view::assignment::{AssignmentOut, AssignmentView};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use dondoc_core::due::DueState;
use dondoc_core::text::vn_time;
use dondoc_export::{charts, ics};
use dondoc_store::StoreError;
use dondoc_store::assignments::{Assignment, Counts, Status};
use dondoc_store::dashboard::PhaseSpan;
use dondoc_store::reminders::Contact;
use dondoc_store::units::UnitRow;
use dondoc_store::views::UnitPage as UnitPageData;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap, HashSet};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/don-vi", get(tree_page))
        .route("/don-vi/{unit_id}", get(unit_page))
        .route("/don-vi/{unit_id}/nhac-viec", post(reminders_form))
        .route("/don-vi/{unit_id}/lich", post(make_feed))
        .route("/don-vi/{unit_id}/lich.ics", get(calendar_file))
        .route("/api/units", get(api_units))
        .route("/api/units/{unit_id}", get(api_unit))
        .route(
            "/api/units/{unit_id}/assignments",
            get(api_unit_assignments),
        )
        .route(
            "/api/units/{unit_id}/reminders",
            get(api_reminders).put(api_set_reminders),
        )
        .route(
            "/api/units/{unit_id}/calendar",
            get(api_calendar).post(api_make_calendar),
        )
}

/// "từ 01/01/2025", "đến 30/06/2025", "từ … đến …", or nothing.
pub fn validity_text(u: &UnitRow) -> String {
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
    let (rows, counts) = state.store.units_with_counts(today).await?;
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

/// The reminder settings as the unit page shows them (or as the user just
/// typed them, when they could not be saved).
struct RemindersView {
    email: String,
    enabled: bool,
    can_change: bool,
    saved: bool,
    errors: Vec<String>,
}

struct CalendarView {
    /// When the unit's subscription address was made (none yet: empty).
    made: String,
    /// The address just made: shown this once (only its hash is kept).
    new_url: Option<String>,
    /// Whether this user may make (or replace) the address.
    can_make: bool,
    /// The calendar as a file, for the signed-in reader.
    ics_path: String,
    file_name: String,
}

/// The unit's deadlines drawn over the phases of its plan.
struct TimelineView {
    svg: String,
    caption: String,
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
    timeline: Option<TimelineView>,
    calendar: CalendarView,
    reminders: RemindersView,
}

/// Deadlines sharing a day: "V.1.1.4, V.1.2 và 2 nhiệm vụ khác", as the
/// plan's own timeline names them.
fn refs_label(refs: &[String]) -> String {
    let shown = refs.iter().take(3).cloned().collect::<Vec<_>>().join(", ");
    if refs.len() > 3 {
        format!("{shown} và {} nhiệm vụ khác", refs.len() - 3)
    } else {
        shown
    }
}

/// The timeline of the plan the unit has most assignments in (the first
/// such plan on a tie), with the unit's own dated deadlines of it instead of
/// the whole plan's; `None` for a unit with nothing dated.
fn unit_timeline(
    list: &[Assignment],
    phases_by_plan: &HashMap<i64, Vec<PhaseSpan>>,
    today: Date,
) -> Option<TimelineView> {
    let mut per_plan: Vec<(i64, usize)> = Vec::new();
    for a in list.iter().filter(|a| a.status != Status::Cancelled) {
        match per_plan.iter_mut().find(|(p, _)| *p == a.plan_id) {
            Some((_, n)) => *n += 1,
            None => per_plan.push((a.plan_id, 1)),
        }
    }
    let plan = per_plan
        .iter()
        .rev()
        .max_by_key(|(_, n)| *n)
        .map(|(p, _)| *p)?;
    let mut by_day: BTreeMap<Date, Vec<String>> = BTreeMap::new();
    for a in list
        .iter()
        .filter(|a| a.plan_id == plan && a.status != Status::Cancelled)
    {
        for d in a.due.iter().filter(|d| d.state == DueState::Resolved) {
            if let Some(day) = d.to.as_deref().and_then(|t| t.parse::<Date>().ok()) {
                let refs = by_day.entry(day).or_default();
                if !refs.contains(&a.task_ref) {
                    refs.push(a.task_ref.clone());
                }
            }
        }
    }
    if by_day.is_empty() {
        return None;
    }
    let phases = phases_by_plan
        .get(&plan)
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .filter_map(|p| {
            let from = p.from.as_deref()?.parse().ok()?;
            let to = p.to.as_deref()?.parse().ok()?;
            Some((p.name, from, to))
        })
        .collect();
    let timeline = dondoc_core::documents::charts::Timeline {
        phases,
        deadlines: by_day
            .into_iter()
            .map(|(day, refs)| (refs_label(&refs), day))
            .collect(),
        today,
    };
    Some(TimelineView {
        svg: charts::timeline_svg(&timeline),
        caption: format!(
            "Các đợt của Kế hoạch số {plan}; dấu hình thoi là ngày hết hạn nhiệm vụ của đơn vị (số trên dấu: số hạn trong ngày), đường đứt nét là hôm nay."
        ),
    })
}

/// What the reminders form sent, shown again when it was refused.
struct Typed {
    email: String,
    enabled: bool,
    errors: Vec<String>,
}

/// The unit's page; `new_token`: a feed secret just made, shown once.
async fn unit_view(
    state: &AppState,
    user: &CurrentUser,
    unit: UnitRow,
    headers: &HeaderMap,
    saved: bool,
    typed: Option<Typed>,
    new_token: Option<String>,
) -> Result<UnitPage, AppError> {
    let (id, today) = (unit.unit_id, state.clock.today());
    let UnitPageData {
        assignments: list,
        children,
        parent,
        contact,
        phases,
    } = state.store.unit_page(&unit).await?;
    let timeline = unit_timeline(&list, &phases, today);
    let feed_made = state.store.feed_made(id).await?;
    // The parent is linked only for those who may open it.
    let parent = match parent {
        Some(p) if access::can_read_unit(state, user, p.unit_id).await? => {
            Some((p.unit_id, p.name))
        }
        _ => None,
    };
    let c = Counts::of(&list, today);
    let reminders = match typed {
        Some(t) => RemindersView {
            email: t.email,
            enabled: t.enabled,
            can_change: true,
            saved: false,
            errors: t.errors,
        },
        None => RemindersView {
            email: contact.email.unwrap_or_default(),
            enabled: contact.reminders_enabled,
            can_change: access::manage_reminders(user, id).is_ok(),
            saved,
            errors: Vec::new(),
        },
    };
    Ok(UnitPage {
        layout: Layout::new(state, user, &unit.name, "/don-vi"),
        unit_id: id,
        validity: validity_text(&unit),
        ended: has_ended(&unit, today),
        calendar: CalendarView {
            made: feed_made.as_deref().map(vn_time).unwrap_or_default(),
            new_url: new_token.map(|t| feed_url(state.public_url.as_deref(), headers, &t)),
            can_make: access::manage_reminders(user, id).is_ok(),
            ics_path: format!("/don-vi/{id}/lich.ics"),
            file_name: ics::file_name(&unit.name),
        },
        name: unit.name,
        parent,
        children: children.into_iter().map(|u| (u.unit_id, u.name)).collect(),
        counts: counts_text(&c),
        overdue: c.overdue,
        can_write: access::write_unit(user, id).is_ok(),
        assignments: list.iter().map(|a| AssignmentView::new(a, today)).collect(),
        timeline,
        reminders,
    })
}

async fn unit_page(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    UnitToRead(unit): UnitToRead,
    q: Params,
) -> PageResult<UnitPage> {
    let saved = q.text("nhac-viec") == Some("da-luu");
    unit_view(&state, &user, unit, &headers, saved, None, None).await
}

// ---- Reminders --------------------------------------------------------------

#[derive(Deserialize)]
struct RemindersForm {
    #[serde(default)]
    email: String,
    /// The switch: sent ("1") when on, absent when off, as a checkbox is.
    #[serde(default)]
    enabled: Option<String>,
}

async fn reminders_form(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    UnitReminders(unit): UnitReminders,
    CsrfForm(form): CsrfForm<RemindersForm>,
) -> PageResult<Response> {
    let enabled = form.enabled.as_deref().is_some_and(|v| !v.is_empty());
    let id = unit.unit_id;
    let saved = state
        .store
        .save_reminders(id, Some(form.email.clone()), enabled, &user.user.username)
        .await;
    match saved {
        Ok(_) => {
            Ok(Redirect::to(&format!("/don-vi/{id}?nhac-viec=da-luu#nhac-viec")).into_response())
        }
        Err(StoreError::Invalid(msg)) => {
            let typed = Typed {
                email: form.email,
                enabled,
                errors: vec![msg],
            };
            let page = unit_view(&state, &user, unit, &headers, false, Some(typed), None).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
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
    Api(user): Api<CurrentUser>,
) -> ApiResult<Json<Vec<UnitOut>>> {
    let readable = access::readable_units(&state, &user).await?;
    let (rows, counts) = state.store.units_with_counts(state.clock.today()).await?;
    let readable: Option<HashSet<i64>> = readable.map(|r| r.into_iter().collect());
    Ok(Json(
        rows.into_iter()
            .filter(|u| readable.as_ref().is_none_or(|r| r.contains(&u.unit_id)))
            .map(|u| unit_out(u, &counts))
            .collect(),
    ))
}

async fn api_unit(
    State(state): State<AppState>,
    Api(UnitToRead(unit)): Api<UnitToRead>,
) -> ApiResult<Json<UnitOut>> {
    let list = state.store.assignments_of_unit(unit.unit_id).await?;
    let counts = HashMap::from([(unit.unit_id, Counts::of(&list, state.clock.today()))]);
    Ok(Json(unit_out(unit, &counts)))
}

async fn api_unit_assignments(
    State(state): State<AppState>,
    Api(UnitToRead(unit)): Api<UnitToRead>,
) -> ApiResult<Json<Vec<AssignmentOut>>> {
    let today = state.clock.today();
    let list = state.store.assignments_of_unit(unit.unit_id).await?;
    Ok(Json(
        list.into_iter()
            .map(|a| AssignmentOut::new(a, today))
            .collect(),
    ))
}

async fn api_reminders(
    State(state): State<AppState>,
    Api(UnitToRead(unit)): Api<UnitToRead>,
) -> ApiResult<Json<Contact>> {
    Ok(Json(state.store.contact(unit.unit_id).await?))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RemindersJson {
    /// `null` or blank: no address, no mail.
    #[serde(default)]
    email: Option<String>,
    enabled: bool,
}

async fn api_set_reminders(
    State(state): State<AppState>,
    Api(user): Api<CurrentUser>,
    Api(UnitReminders(unit)): Api<UnitReminders>,
    VnJson(body): VnJson<RemindersJson>,
) -> ApiResult<Json<Contact>> {
    Ok(Json(
        state
            .store
            .save_reminders(unit.unit_id, body.email, body.enabled, &user.user.username)
            .await?,
    ))
}

/// Whether the unit's private calendar feed has an address, and since when
/// (the address itself is a secret shown once, when made).
async fn api_calendar(
    State(state): State<AppState>,
    Api(UnitToRead(unit)): Api<UnitToRead>,
) -> ApiResult<Json<serde_json::Value>> {
    let made = state.store.feed_made(unit.unit_id).await?;
    Ok(Json(serde_json::json!({
        "unit_id": unit.unit_id,
        "made_at": made,
    })))
}

/// Makes a new address for the unit's feed (the old one stops working)
/// and gives it, this once.
async fn api_make_calendar(
    State(state): State<AppState>,
    headers: HeaderMap,
    Api(user): Api<CurrentUser>,
    Api(UnitReminders(unit)): Api<UnitReminders>,
) -> ApiResult<Json<serde_json::Value>> {
    let token = state
        .store
        .new_feed_token(unit.unit_id, &user.user.username)
        .await?;
    Ok(Json(serde_json::json!({
        "unit_id": unit.unit_id,
        "url": feed_url(state.public_url.as_deref(), &headers, &token),
        "path": feed_path(&token),
    })))
}

// ---- The calendar feed ------------------------------------------------------

/// `POST /don-vi/{id}/lich`: a new subscription address, shown on the
/// unit's page this once.
async fn make_feed(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    UnitReminders(unit): UnitReminders,
    CsrfForm(_): CsrfForm<serde::de::IgnoredAny>,
) -> PageResult<UnitPage> {
    let token = state
        .store
        .new_feed_token(unit.unit_id, &user.user.username)
        .await?;
    unit_view(&state, &user, unit, &headers, false, None, Some(token)).await
}

/// `GET /don-vi/{id}/lich.ics`: the unit's calendar as a file, for a
/// signed-in reader (the subscription address needs no session).
async fn calendar_file(
    State(state): State<AppState>,
    UnitToRead(unit): UnitToRead,
) -> PageResult<Response> {
    let feed = state
        .store
        .feed_by_unit_id(unit.unit_id, state.clock.today())
        .await?;
    let body = ics::to_ics(&feed, jiff::Timestamp::now());
    Ok(download::file(
        body,
        download::ICS,
        &ics::file_name(&unit.name),
        download::Freshness::NoStore,
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
}
