//! *Lịch*: the events deadlines hang on, and setting or moving their dates.
//!
//! Moving a congress moves every deadline tied to it, so the owner sees
//! first, on a preview, each deadline that will move and by how much. The
//! preview is the save itself, run by the store and rolled back
//! (`Store::preview_event`): what it shows is what saving does. Only plan
//! owners and administrators (`access::manage_plan`) may preview or save;
//! everyone signed in may read the calendar.

use crate::access;
use crate::error::{ApiError, ApiResult, AppError, PageResult};
use crate::guard::{EventToManage, EventToRead};
use crate::layout::{Layout, vn_date, vn_text};
use crate::session::{Api, CurrentUser};
use crate::state::AppState;
use crate::support::csrf::CsrfForm;
use crate::support::forms::{VnJson, parse_optional_day};
use crate::support::query::Params;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use dondoc_core::due::{Due, DueState, texts as dues_text};
use dondoc_core::plan::{Event, EventKind};
use dondoc_store::StoreError;
use dondoc_store::due_index::{Owner, WindowChange};
use dondoc_store::events::EventMove;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/lich", get(list_page).post(add_event))
        .route("/lich/{id}", get(event_page).post(save))
        .route("/lich/{id}/xem-truoc", post(preview))
        .route("/api/events", get(api_events))
        .route("/api/events/{id}", axum::routing::put(api_save))
        .route("/api/events/{id}/preview", post(api_preview))
}

fn kind_label(k: EventKind) -> &'static str {
    match k {
        EventKind::Congress => "Đại hội",
        EventKind::Conference => "Hội nghị",
        EventKind::Anniversary => "Ngày kỷ niệm",
        EventKind::Meeting => "Cuộc họp",
        EventKind::Other => "Sự kiện khác",
    }
}

const KIND_ORDER: [EventKind; 5] = [
    EventKind::Congress,
    EventKind::Conference,
    EventKind::Anniversary,
    EventKind::Meeting,
    EventKind::Other,
];

/// "14/10/2025 – 16/10/2025", "03/02/2025", "chưa có ngày".
fn event_dates(start: &Option<String>, end: &Option<String>) -> String {
    match (start, end) {
        (Some(s), Some(t)) if s != t => format!("{} – {}", vn_text(s), vn_text(t)),
        (Some(s), _) => vn_text(s),
        _ => "chưa có ngày".to_string(),
    }
}

// ---- The calendar -----------------------------------------------------

struct EventRow {
    id: String,
    name: String,
    unit: Option<String>,
    dates: String,
    dated: bool,
}

struct KindGroup {
    label: &'static str,
    events: Vec<EventRow>,
}

#[derive(Template, WebTemplate)]
#[template(path = "calendar.html")]
struct CalendarPage {
    layout: Layout,
    groups: Vec<KindGroup>,
    undated: usize,
    can_manage: bool,
    /// The add-an-event form as typed, and what was wrong with it.
    new_event: NewEventForm,
    errors: Vec<String>,
    kinds: Vec<(&'static str, &'static str)>,
}

/// The add-an-event form.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct NewEventForm {
    ten: String,
    loai: String,
    bat_dau: String,
    ket_thuc: String,
}

const KIND_CODES: [(&str, EventKind); 5] = [
    ("dai-hoi", EventKind::Congress),
    ("hoi-nghi", EventKind::Conference),
    ("ky-niem", EventKind::Anniversary),
    ("cuoc-hop", EventKind::Meeting),
    ("khac", EventKind::Other),
];

/// `POST /lich`: an event no plan named yet, added by a plan owner.
async fn add_event(
    State(state): State<AppState>,
    user: CurrentUser,
    CsrfForm(form): CsrfForm<NewEventForm>,
) -> PageResult<Response> {
    access::manage_calendar(&user)?;
    let mut errors = Vec::new();
    let kind = KIND_CODES
        .iter()
        .find(|(code, _)| *code == form.loai)
        .map(|(_, k)| *k)
        .unwrap_or(EventKind::Other);
    let mut day = |label: &str, text: &str| match parse_optional_day(text) {
        Ok(d) => d,
        Err(e) => {
            errors.push(format!("«{label}»: {e}"));
            None
        }
    };
    let start = day("Ngày bắt đầu", &form.bat_dau);
    let end = day("Ngày kết thúc", &form.ket_thuc);
    if errors.is_empty() {
        match state
            .store
            .add_event(&form.ten, kind, start, end, &user.user.username)
            .await
        {
            Ok(e) => return Ok(Redirect::to(&format!("/lich/{}", e.id)).into_response()),
            Err(StoreError::Invalid(m)) => errors.push(m),
            Err(e) => return Err(e.into()),
        }
    }
    let mut page = list_view(&state, &user).await?;
    page.new_event = form;
    page.errors = errors;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

async fn list_page(State(state): State<AppState>, user: CurrentUser) -> PageResult<CalendarPage> {
    list_view(&state, &user).await
}

async fn list_view(state: &AppState, user: &CurrentUser) -> Result<CalendarPage, AppError> {
    let mut events = state.store.events().await?;
    // Dated events by date, then the ones still waiting, by name.
    events.sort_by(|a, b| {
        (a.start.is_none(), &a.start, &a.name).cmp(&(b.start.is_none(), &b.start, &b.name))
    });
    let undated = events.iter().filter(|e| e.start.is_none()).count();
    let groups = KIND_ORDER
        .into_iter()
        .map(|k| KindGroup {
            label: kind_label(k),
            events: events
                .iter()
                .filter(|e| e.kind == k)
                .map(|e| EventRow {
                    id: e.id.clone(),
                    name: e.name.clone(),
                    unit: e.unit.clone(),
                    dates: event_dates(&e.start, &e.end),
                    dated: e.start.is_some(),
                })
                .collect(),
        })
        .filter(|g| !g.events.is_empty())
        .collect();
    Ok(CalendarPage {
        layout: Layout::new(state, user, "Lịch sự kiện", "/lich"),
        groups,
        undated,
        can_manage: access::manage_calendar(user).is_ok(),
        new_event: NewEventForm::default(),
        errors: Vec::new(),
        kinds: KIND_CODES
            .iter()
            .map(|(code, k)| (*code, kind_label(*k)))
            .collect(),
    })
}

// ---- One event --------------------------------------------------------

/// The dates form. `before_*` are the dates a preview was made from: a save
/// whose event moved since is refused, the preview having shown something
/// else than what would happen.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct DatesForm {
    start: String,
    end: String,
    before_start: Option<String>,
    before_end: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "event.html")]
struct EventPage {
    layout: Layout,
    id: String,
    name: String,
    kind: &'static str,
    unit: Option<String>,
    aliases: Vec<String>,
    dates: String,
    can_manage: bool,
    start: String,
    end: String,
    errors: Vec<String>,
    saved: Option<String>,
}

impl EventPage {
    fn new(state: &AppState, user: &CurrentUser, e: &Event) -> Self {
        EventPage {
            layout: Layout::new(state, user, &e.name, "/lich"),
            id: e.id.clone(),
            name: e.name.clone(),
            kind: kind_label(e.kind),
            unit: e.unit.clone(),
            aliases: e.aliases.clone(),
            dates: event_dates(&e.start, &e.end),
            can_manage: access::manage_calendar(user).is_ok(),
            start: e.start.as_deref().map(vn_text).unwrap_or_default(),
            end: e.end.as_deref().map(vn_text).unwrap_or_default(),
            errors: Vec::new(),
            saved: None,
        }
    }

    /// The page again with what the user typed and what was wrong.
    fn rejected(mut self, form: &DatesForm, status: StatusCode, errors: Vec<String>) -> Response {
        self.start = form.start.clone();
        self.end = form.end.clone();
        self.errors = errors;
        (status, self).into_response()
    }
}

async fn event_page(
    State(state): State<AppState>,
    user: CurrentUser,
    EventToRead(e): EventToRead,
    q: Params,
) -> PageResult<EventPage> {
    let mut page = EventPage::new(&state, &user, &e);
    // After a save: how many deadlines moved.
    page.saved = q.text("da-doi").map(|n| {
        let n = n.parse::<i64>().unwrap_or(0);
        format!("Đã lưu ngày của sự kiện; {n} thời hạn đã được tính lại theo ngày mới.")
    });
    Ok(page)
}

/// Both days of the form, or what is wrong with them.
fn form_days(form: &DatesForm) -> Result<(Option<Date>, Option<Date>), Vec<String>> {
    let start = parse_optional_day(&form.start).map_err(|e| format!("ngày bắt đầu: {e}"));
    let end = parse_optional_day(&form.end).map_err(|e| format!("ngày kết thúc: {e}"));
    match (start, end) {
        (Ok(s), Ok(e)) => Ok((s, e)),
        (s, e) => Err(s.err().into_iter().chain(e.err()).collect()),
    }
}

/// One deadline that moves, in words.
struct ChangeView {
    label: String,
    link: Option<String>,
    before: String,
    after: String,
    shift: String,
    ended: bool,
}

#[derive(Serialize)]
struct ChangeOut {
    owner: &'static str,
    owner_id: i64,
    label: String,
    before: Vec<Due>,
    after: Vec<Due>,
    /// The windows that change, in words.
    before_text: String,
    after_text: String,
    /// "dời 6 ngày", "từ chờ ngày → 13/10/2025", …
    shift: String,
    /// The shift in days, when every window moved by the same number.
    shift_days: Option<i32>,
    /// A new window falls after the unit's end: no deadline for it.
    ended: bool,
}

/// The day a window is judged by: its last day (or its first, if open-ended).
fn key_day(d: &Due) -> Option<Date> {
    match d.state {
        DueState::Resolved | DueState::Recurring => {
            d.to.as_deref().or(d.from.as_deref())?.parse().ok()
        }
        _ => None,
    }
}

/// How one window moves: by days, out of waiting, or back into it.
fn window_shift(before: Option<&Due>, after: Option<&Due>) -> (Option<String>, Option<i32>) {
    if after.is_some_and(|a| a.state == DueState::Ended) {
        return (
            Some("không tính: đơn vị kết thúc hoạt động trước hạn".to_string()),
            None,
        );
    }
    let (b, a) = (before.and_then(key_day), after.and_then(key_day));
    match (b, a) {
        (Some(b), Some(a)) => {
            let days = b.until(a).map(|s| s.get_days()).unwrap_or(0);
            let text = match days {
                0 => "giữ nguyên ngày".to_string(),
                n if n > 0 => format!("dời {n} ngày"),
                n => format!("dời sớm {} ngày", -n),
            };
            (Some(text), Some(days))
        }
        (None, Some(a)) => (Some(format!("từ chờ ngày → {}", vn_date(a))), None),
        (Some(_), None) => (Some("trở lại chờ ngày sự kiện".to_string()), None),
        (None, None) => (None, None),
    }
}

/// The windows of a deadline that differ, pair by pair (a rule's windows
/// keep their order: only the ones tied to the moved event change).
fn changed_pairs<'a>(
    before: &'a [Due],
    after: &'a [Due],
) -> Vec<(Option<&'a Due>, Option<&'a Due>)> {
    (0..before.len().max(after.len()))
        .map(|i| (before.get(i), after.get(i)))
        .filter(|(b, a)| b != a)
        .collect()
}

/// The shift of a whole deadline: each window that changed, told once.
fn shift_of(before: &[Due], after: &[Due]) -> (String, Option<i32>) {
    let mut texts: Vec<String> = Vec::new();
    let mut days: Vec<Option<i32>> = Vec::new();
    for (b, a) in changed_pairs(before, after) {
        let (text, d) = window_shift(b, a);
        days.push(d);
        if let Some(t) = text
            && !texts.contains(&t)
        {
            texts.push(t);
        }
    }
    let uniform = match days.as_slice() {
        [first, rest @ ..] if rest.iter().all(|d| d == first) => *first,
        _ => None,
    };
    let text = if texts.is_empty() {
        "thay đổi cách tính".to_string()
    } else {
        texts.join("; ")
    };
    (text, uniform)
}

/// The changed windows only, before and after, in words: a deadline tied
/// to four congresses reads "chờ ngày … → chậm nhất 07/10/2025", not all
/// four twice.
fn changed_texts(before: &[Due], after: &[Due]) -> (String, String) {
    let pairs = changed_pairs(before, after);
    let was: Vec<Due> = pairs.iter().filter_map(|p| p.0.cloned()).collect();
    let will: Vec<Due> = pairs.iter().filter_map(|p| p.1.cloned()).collect();
    (dues_text(&was), dues_text(&will))
}

fn owner_code(o: Owner) -> &'static str {
    match o {
        Owner::Phase => "phase",
        Owner::Reporting => "reporting",
        Owner::Assignment => "assignment",
    }
}

/// Phases first, then reports, then each unit's deadlines: from the broad
/// to the particular.
fn sorted_changes(m: &EventMove) -> Vec<&WindowChange> {
    let rank = |o: Owner| match o {
        Owner::Phase => 0,
        Owner::Reporting => 1,
        Owner::Assignment => 2,
    };
    let mut list: Vec<&WindowChange> = m.changes.iter().collect();
    list.sort_by_key(|c| rank(c.owner));
    list
}

fn change_out(c: &WindowChange) -> ChangeOut {
    let (shift, shift_days) = shift_of(&c.before, &c.after);
    let (before_text, after_text) = changed_texts(&c.before, &c.after);
    ChangeOut {
        owner: owner_code(c.owner),
        owner_id: c.owner_id,
        label: c.label.clone(),
        before: c.before.clone(),
        after: c.after.clone(),
        before_text,
        after_text,
        shift,
        shift_days,
        ended: ends_a_window(c),
    }
}

/// Whether a change leaves a window past its unit's end.
fn ends_a_window(c: &WindowChange) -> bool {
    changed_pairs(&c.before, &c.after)
        .iter()
        .any(|(_, a)| a.is_some_and(|a| a.state == DueState::Ended))
}

fn change_view(c: &WindowChange) -> ChangeView {
    let (before, after) = changed_texts(&c.before, &c.after);
    ChangeView {
        label: c.label.clone(),
        link: (c.owner == Owner::Assignment).then(|| format!("/nhiem-vu/{}", c.owner_id)),
        before,
        after,
        shift: shift_of(&c.before, &c.after).0,
        ended: ends_a_window(c),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "event_preview.html")]
struct PreviewPage {
    layout: Layout,
    id: String,
    name: String,
    dates_before: String,
    dates_after: String,
    changes: Vec<ChangeView>,
    /// The deadlines the new dates put after their unit's end.
    ended: Vec<String>,
    start: String,
    end: String,
    before_start: String,
    before_end: String,
}

async fn preview(
    State(state): State<AppState>,
    user: CurrentUser,
    EventToManage(event): EventToManage,
    CsrfForm(form): CsrfForm<DatesForm>,
) -> PageResult<Response> {
    let page = EventPage::new(&state, &user, &event);
    let (start, end) = match form_days(&form) {
        Ok(days) => days,
        Err(faults) => return Ok(page.rejected(&form, StatusCode::UNPROCESSABLE_ENTITY, faults)),
    };
    let today = state.clock.today();
    let moved = match state
        .store
        .preview_event(&event.id, start, end, &user.user.username, today)
        .await
    {
        Ok(m) => m,
        Err(StoreError::Invalid(msg)) => {
            return Ok(page.rejected(&form, StatusCode::UNPROCESSABLE_ENTITY, vec![msg]));
        }
        Err(e) => return Err(e.into()),
    };
    let preview = PreviewPage {
        layout: Layout::new(
            &state,
            &user,
            &format!("Xem trước: {}", event.name),
            "/lich",
        ),
        id: event.id.clone(),
        name: event.name.clone(),
        dates_before: event_dates(&moved.before.0, &moved.before.1),
        dates_after: event_dates(&moved.event.start, &moved.event.end),
        ended: sorted_changes(&moved)
            .into_iter()
            .filter(|c| ends_a_window(c))
            .map(|c| c.label.clone())
            .collect(),
        changes: sorted_changes(&moved)
            .into_iter()
            .map(change_view)
            .collect(),
        start: moved.event.start.clone().unwrap_or_default(),
        end: moved.event.end.clone().unwrap_or_default(),
        before_start: moved.before.0.clone().unwrap_or_default(),
        before_end: moved.before.1.clone().unwrap_or_default(),
    };
    Ok(preview.into_response())
}

/// Whether the event still has the dates the preview was made from (a form
/// that carries none was not made from a preview and is not checked).
fn unchanged_since_preview(form: &DatesForm, e: &Event) -> bool {
    let same = |sent: &Option<String>, now: &Option<String>| match sent {
        None => true,
        Some(s) => s.trim() == now.as_deref().unwrap_or(""),
    };
    same(&form.before_start, &e.start) && same(&form.before_end, &e.end)
}

async fn save(
    State(state): State<AppState>,
    user: CurrentUser,
    EventToManage(event): EventToManage,
    CsrfForm(form): CsrfForm<DatesForm>,
) -> PageResult<Response> {
    let page = EventPage::new(&state, &user, &event);
    let (start, end) = match form_days(&form) {
        Ok(days) => days,
        Err(faults) => return Ok(page.rejected(&form, StatusCode::UNPROCESSABLE_ENTITY, faults)),
    };
    if !unchanged_since_preview(&form, &event) {
        let msg = "ngày của sự kiện vừa được người khác thay đổi sau khi bạn xem trước; \
                   chưa lưu gì — hãy xem trước lại"
            .to_string();
        return Ok(page.rejected(&form, StatusCode::CONFLICT, vec![msg]));
    }
    let today = state.clock.today();
    match state
        .store
        .set_event(&event.id, start, end, &user.user.username, today)
        .await
    {
        Ok(moved) => {
            let to = format!("/lich/{}?da-doi={}", event.id, moved.changes.len());
            Ok(Redirect::to(&to).into_response())
        }
        Err(StoreError::Invalid(msg)) => {
            Ok(page.rejected(&form, StatusCode::UNPROCESSABLE_ENTITY, vec![msg]))
        }
        Err(e) => Err(e.into()),
    }
}

// ---- API --------------------------------------------------------------

#[derive(Serialize)]
struct EventOut {
    #[serde(flatten)]
    event: Event,
    kind_label: &'static str,
    dates_text: String,
}

async fn api_events(
    State(state): State<AppState>,
    Api(_): Api<CurrentUser>,
) -> ApiResult<Json<Vec<EventOut>>> {
    let events = state.store.events().await?;
    Ok(Json(
        events
            .into_iter()
            .map(|e| EventOut {
                kind_label: kind_label(e.kind),
                dates_text: event_dates(&e.start, &e.end),
                event: e,
            })
            .collect(),
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ApiDates {
    #[serde(default)]
    start: Option<String>,
    #[serde(default)]
    end: Option<String>,
}

#[derive(Serialize)]
struct MoveOut {
    event: EventOut,
    before: serde_json::Value,
    changes: Vec<ChangeOut>,
}

fn move_out(m: EventMove) -> MoveOut {
    let changes = sorted_changes(&m).into_iter().map(change_out).collect();
    MoveOut {
        before: serde_json::json!({"start": m.before.0, "end": m.before.1}),
        event: EventOut {
            kind_label: kind_label(m.event.kind),
            dates_text: event_dates(&m.event.start, &m.event.end),
            event: m.event,
        },
        changes,
    }
}

/// The days an API write sends, read as the form's are.
fn api_days(body: ApiDates) -> Result<(Option<Date>, Option<Date>), ApiError> {
    let form = DatesForm {
        start: body.start.unwrap_or_default(),
        end: body.end.unwrap_or_default(),
        ..DatesForm::default()
    };
    form_days(&form).map_err(|f| ApiError(AppError::BadRequest(f.join("; "))))
}

async fn api_preview(
    State(state): State<AppState>,
    Api(user): Api<CurrentUser>,
    Api(EventToManage(event)): Api<EventToManage>,
    VnJson(body): VnJson<ApiDates>,
) -> ApiResult<Json<MoveOut>> {
    let (start, end) = api_days(body)?;
    let today = state.clock.today();
    let moved = state
        .store
        .preview_event(&event.id, start, end, &user.user.username, today)
        .await?;
    Ok(Json(move_out(moved)))
}

async fn api_save(
    State(state): State<AppState>,
    Api(user): Api<CurrentUser>,
    Api(EventToManage(event)): Api<EventToManage>,
    VnJson(body): VnJson<ApiDates>,
) -> ApiResult<Json<MoveOut>> {
    let (start, end) = api_days(body)?;
    let today = state.clock.today();
    let moved = state
        .store
        .set_event(&event.id, start, end, &user.user.username, today)
        .await?;
    Ok(Json(move_out(moved)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolved(to: &str) -> Due {
        Due {
            from: None,
            to: Some(to.into()),
            state: DueState::Resolved,
            waits_for: None,
            event: None,
            anchor: None,
        }
    }

    #[test]
    fn shifts_in_words() {
        let waiting = Due {
            waits_for: Some("Đại hội XX Đảng bộ tỉnh".into()),
            ..Due {
                state: DueState::Pending,
                ..resolved("x")
            }
        };
        let waiting = Due {
            to: None,
            ..waiting
        };
        assert_eq!(
            shift_of(&[resolved("2025-10-07")], &[resolved("2025-10-13")]),
            ("dời 6 ngày".to_string(), Some(6))
        );
        assert_eq!(
            shift_of(&[resolved("2025-10-13")], &[resolved("2025-10-10")]),
            ("dời sớm 3 ngày".to_string(), Some(-3))
        );
        assert_eq!(
            shift_of(std::slice::from_ref(&waiting), &[resolved("2025-10-13")]),
            ("từ chờ ngày → 13/10/2025".to_string(), None)
        );
        // Only the windows that changed are told.
        let (text, days) = shift_of(
            &[resolved("2025-01-01"), waiting],
            &[resolved("2025-01-01"), resolved("2025-10-13")],
        );
        assert_eq!((text.as_str(), days), ("từ chờ ngày → 13/10/2025", None));
    }
}
