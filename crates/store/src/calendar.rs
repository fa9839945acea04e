//! The calendar as stored: every event with its aliases, and the calendar
//! deadlines are resolved against. Below both `events` (which moves events
//! and refreshes what depends on them) and `due_index` (which resolves
//! windows against this calendar), so that neither imports the other.

use crate::error::{Result, StoreError};
use dondoc_core::deadline::{CalEvent, Calendar};
use dondoc_core::plan::{Event, EventKind};
use jiff::civil::Date;
use sqlx::{AnyConnection, Row};
use std::collections::HashMap;

fn kind_of(s: &str) -> EventKind {
    match s {
        "congress" => EventKind::Congress,
        "conference" => EventKind::Conference,
        "anniversary" => EventKind::Anniversary,
        "meeting" => EventKind::Meeting,
        _ => EventKind::Other,
    }
}

pub fn parse_date(s: Option<String>) -> Result<Option<Date>> {
    s.map(|s| {
        s.parse::<Date>()
            .map_err(|_| StoreError::Corrupt(format!("ngày «{s}» trong bảng sự kiện")))
    })
    .transpose()
}

/// Every event, as the plan form writes them.
pub async fn all(conn: &mut AnyConnection) -> Result<Vec<Event>> {
    let mut aliases: HashMap<String, Vec<String>> = HashMap::new();
    for row in sqlx::query("select event_id, alias from event_aliases order by event_id, alias")
        .fetch_all(&mut *conn)
        .await?
    {
        aliases
            .entry(row.try_get("event_id")?)
            .or_default()
            .push(row.try_get("alias")?);
    }
    sqlx::query(
        "select e.event_id, e.name, e.kind, u.name as unit, e.start_date, e.end_date
         from events e left join units u on u.unit_id = e.unit_id order by e.event_id",
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|row| {
        let id: String = row.try_get("event_id")?;
        let kind: String = row.try_get("kind")?;
        Ok(Event {
            aliases: aliases.remove(&id).unwrap_or_default(),
            id,
            name: row.try_get("name")?,
            kind: kind_of(&kind),
            unit: row.try_get("unit")?,
            start: row.try_get("start_date")?,
            end: row.try_get("end_date")?,
        })
    })
    .collect()
}

/// The calendar the resolver works on.
pub async fn calendar(conn: &mut AnyConnection) -> Result<Calendar> {
    let events = all(conn).await?;
    let mut out = Vec::with_capacity(events.len());
    for e in events {
        out.push(CalEvent::new(
            &e.id,
            &e.name,
            e.kind,
            e.unit.as_deref(),
            parse_date(e.start)?,
            parse_date(e.end)?,
            &e.aliases,
        ));
    }
    Ok(Calendar::new(out))
}
