//! Sign-in sessions. The cookie carries a random token; the database keeps
//! only its SHA-256, so a copy of the database opens no session. A session
//! is read back with its user in one query: `users::by_session`.

use crate::error::Result;
use sqlx::AnyConnection;

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

pub async fn delete(conn: &mut AnyConnection, token_hash: &str) -> Result<()> {
    sqlx::query("delete from sessions where token_hash = $1")
        .bind(token_hash)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

impl crate::Store {
    /// Opens a session (see `create`): written through the group commit.
    pub async fn create_session(
        &self,
        token_hash: &str,
        user_id: i64,
        csrf_token: &str,
        now: &str,
        expires_at: &str,
    ) -> Result<()> {
        let (hash, csrf, now, expires) = (
            token_hash.to_string(),
            csrf_token.to_string(),
            now.to_string(),
            expires_at.to_string(),
        );
        self.write(move |conn| {
            Box::pin(async move { create(conn, &hash, user_id, &csrf, &now, &expires).await })
        })
        .await
    }

    pub async fn end_session(&self, token_hash: &str) -> Result<()> {
        let hash = token_hash.to_string();
        self.write(move |conn| Box::pin(async move { delete(conn, &hash).await }))
            .await
    }
}
