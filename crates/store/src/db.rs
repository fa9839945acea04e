//! Opening the database: the backend is chosen once, from the address.

use crate::error::{Result, StoreError};
use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::{AnyPool, Executor};
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// `postgres://…` and `postgresql://…` are PostgreSQL; `sqlite:…` or a plain
/// path is an SQLite file, created if missing. Any other `scheme://` is an
/// error: a mistyped URL must never silently become an empty SQLite file.
pub fn backend_of(url: &str) -> Result<(Backend, String)> {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        return Ok((Backend::Postgres, url.to_string()));
    }
    if let Some(rest) = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
    {
        return Ok((Backend::Sqlite, sqlite_url(rest)));
    }
    if url.contains("://") || url.trim().is_empty() {
        return Err(StoreError::BadUrl(url.to_string()));
    }
    Ok((Backend::Sqlite, sqlite_url(url)))
}

fn sqlite_url(path: &str) -> String {
    let path = path.split('?').next().unwrap_or(path);
    format!("sqlite://{path}?mode=rwc")
}

pub async fn connect(url: &str) -> Result<(AnyPool, Backend)> {
    install_default_drivers();
    let (backend, url) = backend_of(url)?;
    let options = AnyPoolOptions::new().acquire_timeout(Duration::from_secs(10));
    let pool = match backend {
        // One writer at a time is SQLite's rule; WAL lets readers go on.
        // synchronous=FULL: a commit is on disk before it is acknowledged.
        //
        // A pooled SQLite connection is a file handle in this process: it
        // cannot have been dropped by a server or a network, so it is not
        // pinged before each use (sqlx's default, one more round trip to
        // the connection's thread on every query a page makes). PostgreSQL
        // connections cross a network and keep the check.
        Backend::Sqlite => {
            options
                .max_connections(16)
                .test_before_acquire(false)
                .after_connect(|conn, _| {
                    Box::pin(async move {
                        conn.execute("pragma journal_mode = wal").await?;
                        conn.execute("pragma synchronous = full").await?;
                        conn.execute("pragma foreign_keys = on").await?;
                        conn.execute("pragma busy_timeout = 10000").await?;
                        Ok(())
                    })
                })
                .connect(&url)
                .await?
        }
        Backend::Postgres => options.max_connections(16).connect(&url).await?,
    };
    match backend {
        Backend::Sqlite => sqlx::migrate!("./migrations/sqlite").run(&pool).await?,
        Backend::Postgres => sqlx::migrate!("./migrations/postgres").run(&pool).await?,
    }
    Ok((pool, backend))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backend_is_chosen_from_the_address() {
        assert_eq!(backend_of("dondoc.db").unwrap().0, Backend::Sqlite);
        assert_eq!(
            backend_of("/tmp/x/dondoc.db").unwrap().1,
            "sqlite:///tmp/x/dondoc.db?mode=rwc"
        );
        assert_eq!(
            backend_of("postgres://root@127.0.0.1/test").unwrap().0,
            Backend::Postgres
        );
        assert!(backend_of("postgress://root@127.0.0.1/test").is_err());
        assert!(backend_of("mysql://x").is_err());
        assert!(backend_of("").is_err());
    }
}
