//! A unit's calendar feed.

use super::*;
use crate::assignments::{self, Status as TaskStatus};
use crate::error::{Result, StoreError};
use crate::units;
use dondoc_core::documents::feed::{Feed, FeedItem};
use dondoc_core::due::DueState;
use dondoc_core::text::{name_key, status_text};
use jiff::civil::Date;
use sqlx::{AnyConnection, Row};
use std::collections::HashMap;

/// One unit by its name or any alias (case and tone placement aside).
pub async fn find_unit(conn: &mut AnyConnection, asked: &str) -> Result<(i64, String)> {
    let key = name_key(asked);
    let hits: Vec<(i64, String)> = sqlx::query(
        "select unit_id, name from units where name_key = $1
         union
         select u.unit_id, u.name from unit_aliases a join units u on u.unit_id = a.unit_id
         where a.alias_key = $1
         order by unit_id",
    )
    .bind(&key)
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(|r| Ok((r.try_get("unit_id")?, r.try_get("name")?)))
    .collect::<Result<_>>()?;
    match hits.as_slice() {
        [one] => Ok(one.clone()),
        [] => {
            let near: Vec<String> = units::rows(conn)
                .await?
                .into_iter()
                .filter(|u| {
                    let k = name_key(&u.name);
                    !key.is_empty() && (k.contains(&key) || key.contains(&k))
                })
                .take(5)
                .map(|u| format!("«{}»", u.name))
                .collect();
            let hint = if near.is_empty() {
                String::new()
            } else {
                format!("; có phải: {}?", near.join(", "))
            };
            Err(StoreError::Invalid(format!(
                "không tìm thấy đơn vị «{asked}»{hint}"
            )))
        }
        many => Err(StoreError::Invalid(format!(
            "tên «{asked}» khớp nhiều đơn vị: {}; dùng tên đầy đủ của đơn vị",
            many.iter()
                .map(|(_, n)| format!("«{n}»"))
                .collect::<Vec<_>>()
                .join(", ")
        ))),
    }
}

pub(super) fn sequence(version: i64) -> u32 {
    u32::try_from(version.max(0)).unwrap_or(u32::MAX)
}

/// A unit's calendar: the last day of each dated window of its assignments,
/// and the dated events of the unit or the units above it, or that its
/// deadlines hang on. Windows of recurring work are left out: the index
/// keeps only the period current when it was written.
pub async fn feed(conn: &mut AnyConnection, unit: &str, today: Date) -> Result<Feed> {
    let (unit_id, unit_name) = find_unit(conn, unit).await?;
    unit_feed(conn, unit_id, &unit_name, today).await
}

/// The same calendar for a unit known by its id: the private feed's token
/// names a unit, and a name could also be another unit's alias.
pub async fn feed_by_unit_id(conn: &mut AnyConnection, unit_id: i64, today: Date) -> Result<Feed> {
    let unit = units::row(conn, unit_id)
        .await?
        .ok_or_else(|| StoreError::Invalid(format!("không có đơn vị mã {unit_id}")))?;
    unit_feed(conn, unit_id, &unit.name, today).await
}

pub(super) async fn unit_feed(
    conn: &mut AnyConnection,
    unit_id: i64,
    unit_name: &str,
    today: Date,
) -> Result<Feed> {
    let list = assignments::of_unit(conn, unit_id).await?;
    let mut versions: HashMap<i64, i64> = HashMap::new();
    for row in
        sqlx::query("select assignment_id, dates_version from assignments where unit_id = $1")
            .bind(unit_id)
            .fetch_all(&mut *conn)
            .await?
    {
        versions.insert(row.try_get("assignment_id")?, row.try_get("dates_version")?);
    }
    let mut items = Vec::new();
    for a in list.iter().filter(|a| a.status != TaskStatus::Cancelled) {
        for (n, d) in a.due.iter().enumerate() {
            if d.state != DueState::Resolved {
                continue;
            }
            let Some(last) = parse_day(d.to.as_deref()) else {
                continue;
            };
            let done = if a.status == TaskStatus::Done {
                "[Đã hoàn thành] "
            } else {
                ""
            };
            let mut description = vec![
                a.task_text.clone(),
                format!("Kế hoạch số {}, mục {}", a.plan_number, a.task_ref),
            ];
            if let Some(p) = &a.deadline_phrase {
                description.push(format!("Thời gian: {p}"));
            }
            description.push(format!("Thời hạn: {}", d.text()));
            description.push(format!(
                "Trạng thái: {}",
                status_text(a.status.label(), a.is_overdue(today))
            ));
            items.push(FeedItem {
                uid: format!("assignment-{}-{n}@dondoc", a.assignment_id),
                summary: format!(
                    "{done}Hạn nhiệm vụ {}: {}",
                    a.task_ref,
                    clip(&a.task_text, 90)
                ),
                description: description.join("\n"),
                start: last,
                end: last,
                sequence: sequence(versions.get(&a.assignment_id).copied().unwrap_or(0)),
            });
        }
    }
    for row in sqlx::query(
        "select e.event_id, e.name, e.start_date, e.end_date, e.dates_version, u.name as unit_name
         from events e left join units u on u.unit_id = e.unit_id
         where e.start_date is not null
           and (e.unit_id in (select ancestor_id from unit_closure where descendant_id = $1)
                or e.event_id in (select d.event_id from due_deps d
                    join assignments a on a.assignment_id = d.owner_id
                    where d.owner = 'assignment' and a.unit_id = $1))
         order by e.start_date, e.event_id",
    )
    .bind(unit_id)
    .fetch_all(&mut *conn)
    .await?
    {
        let id: String = row.try_get("event_id")?;
        let start: Option<String> = row.try_get("start_date")?;
        let end: Option<String> = row.try_get("end_date")?;
        let Some(start) = parse_day(start.as_deref()) else {
            continue;
        };
        let owner: Option<String> = row.try_get("unit_name")?;
        items.push(FeedItem {
            uid: format!("event-{id}@dondoc"),
            summary: row.try_get("name")?,
            description: owner
                .map(|u| format!("Sự kiện của {u}"))
                .unwrap_or_default(),
            start,
            end: parse_day(end.as_deref()).unwrap_or(start),
            sequence: sequence(row.try_get("dates_version")?),
        });
    }
    items.sort_by(|a, b| a.start.cmp(&b.start).then_with(|| a.uid.cmp(&b.uid)));
    Ok(Feed {
        name: format!("dondoc — {unit_name}"),
        items,
    })
}
