//! The audit trail: who changed what, when, before and after.

use crate::error::Result;
use serde_json::Value;
use sqlx::{AnyConnection, Row};

pub async fn record(
    conn: &mut AnyConnection,
    actor: &str,
    action: &str,
    entity: &str,
    entity_id: &str,
    before: Option<Value>,
    after: Option<Value>,
) -> Result<()> {
    sqlx::query(
        "insert into audit_log (at, actor, action, entity, entity_id, before_json, after_json)
         values ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(jiff::Timestamp::now().to_string())
    .bind(actor)
    .bind(action)
    .bind(entity)
    .bind(entity_id)
    .bind(before.map(|v| v.to_string()))
    .bind(after.map(|v| v.to_string()))
    .execute(conn)
    .await?;
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    pub at: String,
    pub actor: String,
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

pub async fn recent(conn: &mut AnyConnection, limit: i64) -> Result<Vec<AuditEntry>> {
    sqlx::query(
        "select at, actor, action, entity, entity_id, before_json, after_json from audit_log
         order by audit_id desc limit $1",
    )
    .bind(limit)
    .fetch_all(conn)
    .await?
    .into_iter()
    .map(|r| {
        Ok(AuditEntry {
            at: r.try_get("at")?,
            actor: r.try_get("actor")?,
            action: r.try_get("action")?,
            entity: r.try_get("entity")?,
            entity_id: r.try_get("entity_id")?,
            before: r.try_get("before_json")?,
            after: r.try_get("after_json")?,
        })
    })
    .collect()
}

/// One page of the trail, newest first, optionally of one kind of entity.
pub async fn page(
    conn: &mut AnyConnection,
    entity: Option<&str>,
    limit: i64,
    offset: i64,
) -> Result<Vec<AuditEntry>> {
    // Two statements rather than `$1 is null`: PostgreSQL cannot type a
    // parameter that is only compared with null.
    let sql = match entity {
        Some(_) => {
            "select at, actor, action, entity, entity_id, before_json, after_json from audit_log
             where entity = $3 order by audit_id desc limit $1 offset $2"
        }
        None => {
            "select at, actor, action, entity, entity_id, before_json, after_json from audit_log
             order by audit_id desc limit $1 offset $2"
        }
    };
    let mut q = sqlx::query(sql).bind(limit).bind(offset);
    if let Some(e) = entity {
        q = q.bind(e);
    }
    q.fetch_all(conn)
        .await?
        .into_iter()
        .map(|r| {
            Ok(AuditEntry {
                at: r.try_get("at")?,
                actor: r.try_get("actor")?,
                action: r.try_get("action")?,
                entity: r.try_get("entity")?,
                entity_id: r.try_get("entity_id")?,
                before: r.try_get("before_json")?,
                after: r.try_get("after_json")?,
            })
        })
        .collect()
}

/// How many entries there are (of one kind of entity).
pub async fn count(conn: &mut AnyConnection, entity: Option<&str>) -> Result<i64> {
    let row = match entity {
        Some(e) => {
            sqlx::query("select count(*) as n from audit_log where entity = $1")
                .bind(e)
                .fetch_one(conn)
                .await?
        }
        None => {
            sqlx::query("select count(*) as n from audit_log")
                .fetch_one(conn)
                .await?
        }
    };
    Ok(row.try_get("n")?)
}

impl crate::Store {
    /// How many entries there are (of one kind of thing, or all).
    pub async fn audit_count(&self, entity: Option<&str>) -> Result<i64> {
        let mut conn = self.pool.acquire().await?;
        count(&mut conn, entity).await
    }

    /// One page of the trail, newest first.
    pub async fn audit_page(
        &self,
        entity: Option<&str>,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<AuditEntry>> {
        let mut conn = self.pool.acquire().await?;
        page(&mut conn, entity, limit, offset).await
    }
}
