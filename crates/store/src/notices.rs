//! What a unit is told in the app, beside its lists: a report of theirs
//! returned, a deadline of theirs moved, a reminder (đôn đốc) from the
//! plan's owner. Written in the same transaction as the change they tell
//! of, so a unit is never told of a change that was rolled back; kept until
//! one of the unit's officers marks them read.

use crate::error::Result;
use serde::Serialize;
use sqlx::{AnyConnection, Row};

/// Why a unit is told something.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Returned,
    Moved,
    Urged,
}

impl Kind {
    fn as_str(self) -> &'static str {
        match self {
            Kind::Returned => "returned",
            Kind::Moved => "moved",
            Kind::Urged => "urged",
        }
    }

    fn parse(s: &str) -> Kind {
        match s {
            "returned" => Kind::Returned,
            "moved" => Kind::Moved,
            _ => Kind::Urged,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Notice {
    pub notice_id: i64,
    pub unit_id: i64,
    pub kind: Kind,
    pub text: String,
    /// Where the thing told of is (`/bao-cao/…`, `/nhiem-vu/…`).
    pub link: Option<String>,
    pub created_by: String,
    pub created_at: String,
    pub read: bool,
}

/// Tells a unit something, inside the caller's transaction.
pub async fn tell(
    conn: &mut AnyConnection,
    unit_id: i64,
    kind: Kind,
    text: &str,
    link: Option<&str>,
    by: &str,
) -> Result<()> {
    sqlx::query(
        "insert into notices (unit_id, kind, text, link, created_by, created_at)
         values ($1, $2, $3, $4, $5, $6)",
    )
    .bind(unit_id)
    .bind(kind.as_str())
    .bind(text)
    .bind(link)
    .bind(by)
    .bind(jiff::Timestamp::now().to_string())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// A unit's notices, newest first: every unread one, and the last few read.
pub async fn of_unit(
    conn: &mut AnyConnection,
    unit_id: i64,
    read_kept: i64,
) -> Result<Vec<Notice>> {
    let rows = sqlx::query(
        "select notice_id, unit_id, kind, text, link, created_by, created_at, read_at
         from notices where unit_id = $1 and read_at is null
         union all
         select * from (
             select notice_id, unit_id, kind, text, link, created_by, created_at, read_at
             from notices where unit_id = $1 and read_at is not null
             order by notice_id desc limit $2) as r
         order by notice_id desc",
    )
    .bind(unit_id)
    .bind(read_kept)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            let kind: String = r.try_get("kind")?;
            let read_at: Option<String> = r.try_get("read_at")?;
            Ok(Notice {
                notice_id: r.try_get("notice_id")?,
                unit_id: r.try_get("unit_id")?,
                kind: Kind::parse(&kind),
                text: r.try_get("text")?,
                link: r.try_get("link")?,
                created_by: r.try_get("created_by")?,
                created_at: r.try_get("created_at")?,
                read: read_at.is_some(),
            })
        })
        .collect()
}

/// Marks every unread notice of a unit read; returns how many.
pub async fn mark_read(conn: &mut AnyConnection, unit_id: i64) -> Result<u64> {
    Ok(
        sqlx::query("update notices set read_at = $1 where unit_id = $2 and read_at is null")
            .bind(jiff::Timestamp::now().to_string())
            .bind(unit_id)
            .execute(&mut *conn)
            .await?
            .rows_affected(),
    )
}

impl crate::Store {
    /// See [`of_unit`]: unread ones and the last five read.
    pub async fn notices(&self, unit_id: i64) -> Result<Vec<Notice>> {
        let mut conn = self.pool.acquire().await?;
        of_unit(&mut conn, unit_id, 5).await
    }

    pub async fn mark_notices_read(&self, unit_id: i64) -> Result<u64> {
        let mut conn = self.pool.acquire().await?;
        mark_read(&mut conn, unit_id).await
    }

    /// Tells each unit the same thing at once (đôn đốc), all or none.
    pub async fn tell_units(
        &self,
        units: &[(i64, String, Option<String>)],
        by: &str,
    ) -> Result<usize> {
        let mut tx = self.begin().await?;
        for (unit, text, link) in units {
            tell(&mut tx, *unit, Kind::Urged, text, link.as_deref(), by).await?;
        }
        tx.commit().await?;
        Ok(units.len())
    }
}
