//! The calendar of events, one for all plans: adding events and moving
//! their dates (reading them is `calendar`'s).

use crate::audit;
use crate::calendar::parse_date;
pub use crate::calendar::{all, calendar};
use crate::due_index::{self, WindowChange};
use crate::error::{Result, StoreError};
use dondoc_core::plan::{Event, EventKind};
use dondoc_core::text::name_key;
use jiff::civil::Date;
use serde_json::json;
use sqlx::{AnyConnection, Row};

fn kind_text(k: EventKind) -> &'static str {
    match k {
        EventKind::Congress => "congress",
        EventKind::Conference => "conference",
        EventKind::Anniversary => "anniversary",
        EventKind::Meeting => "meeting",
        EventKind::Other => "other",
    }
}

/// Adds the events a plan names; an event already in the calendar keeps its
/// dates unless it has none and the plan gives some. Returns the ids of the
/// stored events that were dated that way: the deadlines of earlier plans
/// that depend on them must be refreshed.
pub async fn upsert(
    conn: &mut AnyConnection,
    events: &[Event],
    units: &crate::units::UnitIndex,
    actor: &str,
) -> Result<Vec<String>> {
    let mut dated = Vec::new();
    for e in events {
        let unit_id = e.unit.as_deref().and_then(|u| units.find(u));
        let known = sqlx::query("select start_date from events where event_id = $1")
            .bind(&e.id)
            .fetch_optional(&mut *conn)
            .await?;
        match known {
            None => {
                sqlx::query(
                    "insert into events (event_id, name, name_key, kind, unit_id, start_date, end_date)
                     values ($1, $2, $3, $4, $5, $6, $7)",
                )
                .bind(&e.id)
                .bind(&e.name)
                .bind(name_key(&e.name))
                .bind(kind_text(e.kind))
                .bind(unit_id)
                .bind(&e.start)
                .bind(&e.end)
                .execute(&mut *conn)
                .await?;
            }
            Some(row) => {
                let start: Option<String> = row.try_get("start_date")?;
                if start.is_none() && e.start.is_some() {
                    let before = (None, None);
                    write_dates(conn, &e.id, &before, (&e.start, &e.end), actor).await?;
                    dated.push(e.id.clone());
                }
            }
        }
        for a in &e.aliases {
            sqlx::query(
                "insert into event_aliases (event_id, alias, alias_key) values ($1, $2, $3)
                 on conflict do nothing",
            )
            .bind(&e.id)
            .bind(a)
            .bind(name_key(a))
            .execute(&mut *conn)
            .await?;
        }
    }
    Ok(dated)
}

/// An event's days: an end needs a start and does not come before it.
fn check_dates(start: Option<Date>, end: Option<Date>) -> Result<()> {
    if let (Some(s), Some(e)) = (start, end)
        && e < s
    {
        return Err(StoreError::Invalid(format!(
            "ngày kết thúc {} trước ngày bắt đầu {}",
            dondoc_core::text::vn_date(e),
            dondoc_core::text::vn_date(s)
        )));
    }
    if start.is_none() && end.is_some() {
        return Err(StoreError::Invalid(
            "có ngày kết thúc thì phải có ngày bắt đầu".into(),
        ));
    }
    Ok(())
}

/// Adds an event to the calendar (one no plan named yet: a conference the
/// province called, a district's own congress), dated or not. Its name must
/// be new (names compared as `name_key` compares them); its id is made
/// from the name. Audited.
pub async fn add(
    conn: &mut AnyConnection,
    name: &str,
    kind: EventKind,
    start: Option<Date>,
    end: Option<Date>,
    actor: &str,
) -> Result<Event> {
    let name = dondoc_core::text::nfc(name.trim());
    let n = name.chars().count();
    if n == 0 {
        return Err(StoreError::Invalid("cần ghi «Tên sự kiện»".into()));
    }
    if n > 200 {
        return Err(StoreError::Invalid(format!(
            "«Tên sự kiện» dài {n} ký tự, vượt quá 200 ký tự"
        )));
    }
    if let Some(m) = dondoc_core::text::bad_char_message("Tên sự kiện", &name) {
        return Err(StoreError::Invalid(m));
    }
    check_dates(start, end)?;
    let events = all(conn).await?;
    let key = name_key(&name);
    if let Some(e) = events.iter().find(|e| name_key(&e.name) == key) {
        return Err(StoreError::Invalid(format!(
            "lịch đã có sự kiện «{}» (mã {}): đặt ngày cho sự kiện đó",
            e.name, e.id
        )));
    }
    // An id from the name: its words without tones, joined by hyphens.
    let stem: String = dondoc_core::text::search_fold(&name)
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect::<String>()
        .split('-')
        .filter(|w| !w.is_empty())
        .take(8)
        .collect::<Vec<_>>()
        .join("-");
    let stem = if stem.is_empty() {
        "su-kien".to_string()
    } else {
        stem
    };
    let mut id = stem.clone();
    let mut i = 2;
    while events.iter().any(|e| e.id == id) {
        id = format!("{stem}-{i}");
        i += 1;
    }
    let end = end.or(start);
    let event = Event {
        id,
        name,
        kind,
        unit: None,
        start: start.map(|d| d.to_string()),
        end: end.map(|d| d.to_string()),
        aliases: Vec::new(),
    };
    sqlx::query(
        "insert into events (event_id, name, name_key, kind, unit_id, start_date, end_date)
         values ($1, $2, $3, $4, null, $5, $6)",
    )
    .bind(&event.id)
    .bind(&event.name)
    .bind(&key)
    .bind(kind_text(kind))
    .bind(&event.start)
    .bind(&event.end)
    .execute(&mut *conn)
    .await?;
    crate::audit::record(
        conn,
        actor,
        "event.add",
        "event",
        &event.id,
        None,
        Some(serde_json::json!({"name": event.name, "start": event.start, "end": event.end})),
    )
    .await?;
    Ok(event)
}

/// Finds one event by its id, name or alias.
pub async fn find(conn: &mut AnyConnection, name: &str) -> Result<Event> {
    let events = all(conn).await?;
    if let Some(e) = events.iter().find(|e| e.id == name) {
        return Ok(e.clone());
    }
    let key = name_key(name);
    let hits: Vec<&Event> = events
        .iter()
        .filter(|e| name_key(&e.name) == key || e.aliases.iter().any(|a| name_key(a) == key))
        .collect();
    match hits.as_slice() {
        [one] => Ok((*one).clone()),
        [] => {
            // Suggest events whose name contains the words given.
            let near: Vec<String> = events
                .iter()
                .filter(|e| name_key(&e.name).contains(&key) || key.contains(&name_key(&e.name)))
                .take(5)
                .map(|e| format!("«{}» ({})", e.name, e.id))
                .collect();
            let hint = if near.is_empty() {
                " (xem danh sách bằng «dondoc event list»)".to_string()
            } else {
                format!("; có phải: {}?", near.join(", "))
            };
            Err(StoreError::EventNotFound {
                name: name.to_string(),
                hint,
            })
        }
        many => Err(StoreError::EventAmbiguous {
            name: name.to_string(),
            candidates: many
                .iter()
                .map(|e| format!("«{}» ({})", e.name, e.id))
                .collect::<Vec<_>>()
                .join(", "),
        }),
    }
}

/// What moving an event did.
#[derive(Debug, Clone)]
pub struct EventMove {
    pub event: Event,
    pub before: (Option<String>, Option<String>),
    pub changes: Vec<WindowChange>,
}

/// Sets an event's dates and refreshes, in the same transaction, exactly the
/// due windows that depend on it.
pub async fn set_dates(
    conn: &mut AnyConnection,
    name: &str,
    start: Option<Date>,
    end: Option<Date>,
    actor: &str,
    today: Date,
) -> Result<EventMove> {
    check_dates(start, end)?;
    let event = find(conn, name).await?;
    let before = (event.start.clone(), event.end.clone());
    // Moving only the start keeps the event's length: a three-day congress
    // moved by a week is still three days long.
    let end = match (
        start,
        end,
        parse_date(event.start.clone())?,
        parse_date(event.end.clone())?,
    ) {
        (Some(new_start), None, Some(old_start), Some(old_end)) => {
            let length = old_start
                .until(old_end)
                .map_err(|e| StoreError::Corrupt(e.to_string()))?;
            new_start.checked_add(length).ok()
        }
        (_, end, _, _) => end,
    };
    let (new_start, new_end) = (start.map(|d| d.to_string()), end.map(|d| d.to_string()));
    write_dates(conn, &event.id, &before, (&new_start, &new_end), actor).await?;
    let changes = due_index::refresh_for_event(conn, &event.id, today).await?;
    tell_moved(conn, &event.name, &changes, actor).await?;
    let event = Event {
        start: new_start,
        end: new_end,
        ..event
    };
    Ok(EventMove {
        event,
        before,
        changes,
    })
}

/// Tells each unit whose deadline an event's new dates moved, in the app.
async fn tell_moved(
    conn: &mut AnyConnection,
    event: &str,
    changes: &[due_index::WindowChange],
    actor: &str,
) -> Result<()> {
    use dondoc_core::due::texts;
    for c in changes
        .iter()
        .filter(|c| c.owner == due_index::Owner::Assignment)
    {
        let row = sqlx::query(
            "select a.unit_id, t.ref from assignments a join tasks t on t.task_id = a.task_id
             where a.assignment_id = $1",
        )
        .bind(c.owner_id)
        .fetch_one(&mut *conn)
        .await?;
        let (unit, reference): (i64, String) = (row.try_get("unit_id")?, row.try_get("ref")?);
        let text = format!(
            "Thời hạn nhiệm vụ {reference} đổi vì «{event}» có ngày mới: {} → {}",
            texts(&c.before),
            texts(&c.after)
        );
        let link = format!("/nhiem-vu/{}", c.owner_id);
        crate::notices::tell(
            conn,
            unit,
            crate::notices::Kind::Moved,
            &text,
            Some(&link),
            actor,
        )
        .await?;
    }
    Ok(())
}

/// What `set_dates` would do, without doing it: the very same code runs in
/// a transaction (a savepoint when the caller already holds one) that is
/// then rolled back, so a preview and the save that follows it cannot
/// disagree. Nothing of it stays, its audit entry included.
pub async fn preview_dates(
    conn: &mut AnyConnection,
    name: &str,
    start: Option<Date>,
    end: Option<Date>,
    actor: &str,
    today: Date,
) -> Result<EventMove> {
    let mut tx = sqlx::Connection::begin(&mut *conn).await?;
    let moved = set_dates(&mut tx, name, start, end, actor, today).await;
    tx.rollback().await?;
    moved
}

/// Writes an event's new dates and the audit entry that says so.
async fn write_dates(
    conn: &mut AnyConnection,
    id: &str,
    before: &(Option<String>, Option<String>),
    (start, end): (&Option<String>, &Option<String>),
    actor: &str,
) -> Result<()> {
    // The feed's SEQUENCE counts changes of dates, not writes of the same.
    let moved = i64::from(before.0 != *start || before.1 != *end);
    sqlx::query(
        "update events set start_date = $1, end_date = $2, updated_at = $3,
             dates_version = dates_version + $4
         where event_id = $5",
    )
    .bind(start)
    .bind(end)
    .bind(jiff::Timestamp::now().to_string())
    .bind(moved)
    .bind(id)
    .execute(&mut *conn)
    .await?;
    audit::record(
        conn,
        actor,
        "event.set",
        "event",
        id,
        Some(json!({"start": before.0, "end": before.1})),
        Some(json!({"start": start, "end": end})),
    )
    .await
}
