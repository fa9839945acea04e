//! How much a unit may upload: files attached to one report, and to all of
//! a unit's reports and assignments together. Without them one officer
//! could fill the server's disk in seconds. The defaults fit what offices
//! attach (a few scanned documents and photos per report; 10 MB a file):
//! 50 MB a report, 500 MB a unit. An administrator changes them
//! (`dondoc quota`, `PUT /api/quota`); every change is in the audit trail.

use crate::audit;
use crate::error::{Result, StoreError};
use dondoc_core::text::size_text;
use serde::Serialize;
use serde_json::json;
use sqlx::{AnyConnection, Row};

pub const DEFAULT_PER_REPORT: u64 = 50 * 1024 * 1024;
pub const DEFAULT_PER_UNIT: u64 = 500 * 1024 * 1024;

const PER_REPORT: &str = "quota.per_report_bytes";
const PER_UNIT: &str = "quota.per_unit_bytes";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Quota {
    pub per_report: u64,
    pub per_unit: u64,
}

async fn setting(conn: &mut AnyConnection, key: &str) -> Result<Option<u64>> {
    let row = sqlx::query("select value from settings where key = $1")
        .bind(key)
        .fetch_optional(&mut *conn)
        .await?;
    match row {
        None => Ok(None),
        Some(r) => {
            let v: String = r.try_get("value")?;
            v.parse()
                .map(Some)
                .map_err(|_| StoreError::Corrupt(format!("thiết lập {key} = «{v}»")))
        }
    }
}

pub async fn get(conn: &mut AnyConnection) -> Result<Quota> {
    Ok(Quota {
        per_report: setting(conn, PER_REPORT)
            .await?
            .unwrap_or(DEFAULT_PER_REPORT),
        per_unit: setting(conn, PER_UNIT).await?.unwrap_or(DEFAULT_PER_UNIT),
    })
}

async fn put(conn: &mut AnyConnection, key: &str, value: u64) -> Result<()> {
    let now = jiff::Timestamp::now().to_string();
    sqlx::query(
        "insert into settings (key, value, updated_at) values ($1, $2, $3)
         on conflict (key) do update set value = excluded.value, updated_at = excluded.updated_at",
    )
    .bind(key)
    .bind(value.to_string())
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Sets either quota or both; at least 1 MB each, and a unit's at least a
/// report's.
pub async fn set(
    conn: &mut AnyConnection,
    per_report: Option<u64>,
    per_unit: Option<u64>,
    actor: &str,
) -> Result<Quota> {
    let before = get(conn).await?;
    let after = Quota {
        per_report: per_report.unwrap_or(before.per_report),
        per_unit: per_unit.unwrap_or(before.per_unit),
    };
    const MB: u64 = 1024 * 1024;
    if after.per_report < MB || after.per_unit < MB {
        return Err(StoreError::Invalid(
            "hạn mức tải tệp phải từ 1 MB trở lên".into(),
        ));
    }
    if after.per_unit < after.per_report {
        return Err(StoreError::Invalid(format!(
            "hạn mức của một đơn vị ({}) không được nhỏ hơn hạn mức của một báo cáo ({})",
            size_text(after.per_unit),
            size_text(after.per_report)
        )));
    }
    put(conn, PER_REPORT, after.per_report).await?;
    put(conn, PER_UNIT, after.per_unit).await?;
    audit::record(
        conn,
        actor,
        "quota.set",
        "settings",
        "quota",
        Some(json!(before)),
        Some(json!(after)),
    )
    .await?;
    Ok(after)
}

/// Refuses a file of `adding` bytes that would take a report (when given)
/// or the unit past its quota, in the caller's transaction.
pub async fn check_room(
    conn: &mut AnyConnection,
    report_id: Option<i64>,
    unit_id: i64,
    adding: u64,
) -> Result<()> {
    let q = get(conn).await?;
    if let Some(r) = report_id {
        let used: i64 = sqlx::query(
            "select cast(coalesce(sum(size), 0) as bigint) as used from attachments
             where owner = 'report' and owner_id = $1",
        )
        .bind(r)
        .fetch_one(&mut *conn)
        .await?
        .try_get("used")?;
        if used as u64 + adding > q.per_report {
            return Err(StoreError::Invalid(format!(
                "báo cáo đã có {} tệp đính kèm; thêm tệp {} sẽ vượt hạn mức {} cho một báo cáo \
                 (xoá bớt tệp, hoặc đề nghị quản trị nâng hạn mức)",
                size_text(used as u64),
                size_text(adding),
                size_text(q.per_report)
            )));
        }
    }
    let used: i64 = sqlx::query(
        "select cast(coalesce(sum(f.size), 0) as bigint) as used from attachments f
         left join reports r on f.owner = 'report' and r.report_id = f.owner_id
         left join assignments a on f.owner = 'assignment' and a.assignment_id = f.owner_id
         where r.unit_id = $1 or a.unit_id = $1",
    )
    .bind(unit_id)
    .fetch_one(&mut *conn)
    .await?
    .try_get("used")?;
    if used as u64 + adding > q.per_unit {
        return Err(StoreError::Invalid(format!(
            "đơn vị đã tải lên {} tệp; thêm tệp {} sẽ vượt hạn mức {} cho một đơn vị \
             (xoá bớt tệp cũ, hoặc đề nghị quản trị nâng hạn mức)",
            size_text(used as u64),
            size_text(adding),
            size_text(q.per_unit)
        )));
    }
    Ok(())
}

impl crate::Store {
    pub async fn quota(&self) -> Result<Quota> {
        let mut conn = self.pool.acquire().await?;
        get(&mut conn).await
    }

    pub async fn set_quota(
        &self,
        per_report: Option<u64>,
        per_unit: Option<u64>,
        actor: &str,
    ) -> Result<Quota> {
        let mut tx = self.begin().await?;
        let q = set(&mut tx, per_report, per_unit, actor).await?;
        tx.commit().await?;
        Ok(q)
    }
}
