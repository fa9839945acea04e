//! Sign-in sessions. The cookie carries a random token; the database keeps
//! only its SHA-256, so a copy of the database opens no session.

use crate::error::Result;
use sqlx::{AnyConnection, Row};

pub struct Session {
    pub user_id: i64,
    pub csrf_token: String,
}

pub async fn create(
    conn: &mut AnyConnection,
    token_hash: &str,
    user_id: i64,
    csrf_token: &str,
    now: &str,
    expires_at: &str,
) -> Result<()> {
    sqlx::query(
        "insert into sessions (token_hash, user_id, csrf_token, created_at, expires_at)
         values ($1, $2, $3, $4, $5)",
    )
    .bind(token_hash)
    .bind(user_id)
    .bind(csrf_token)
    .bind(now)
    .bind(expires_at)
    .execute(&mut *conn)
    .await?;
    // Expired sessions are swept as new ones are made.
    sqlx::query("delete from sessions where expires_at < $1")
        .bind(now)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// The live session with this token hash (timestamps compare as RFC 3339 text in UTC).
pub async fn find(
    conn: &mut AnyConnection,
    token_hash: &str,
    now: &str,
) -> Result<Option<Session>> {
    let row = sqlx::query(
        "select s.user_id, s.csrf_token from sessions s join users u on u.user_id = s.user_id
         where s.token_hash = $1 and s.expires_at > $2 and u.active = 1",
    )
    .bind(token_hash)
    .bind(now)
    .fetch_optional(&mut *conn)
    .await?;
    row.map(|r| {
        Ok(Session {
            user_id: r.try_get("user_id")?,
            csrf_token: r.try_get("csrf_token")?,
        })
    })
    .transpose()
}

pub async fn delete(conn: &mut AnyConnection, token_hash: &str) -> Result<()> {
    sqlx::query("delete from sessions where token_hash = $1")
        .bind(token_hash)
        .execute(&mut *conn)
        .await?;
    Ok(())
}
