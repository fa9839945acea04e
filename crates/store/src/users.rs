//! Accounts: who may sign in, for which unit, in which role. Passwords are
//! stored only as argon2id hashes, made by the caller.

use crate::error::{Result, StoreError};
use dondoc_core::text::name_key;
use serde::Serialize;
use sqlx::{AnyConnection, Row};

/// What a user may do: read and change per their unit (see the web crate).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// quản trị: everything, accounts included.
    Admin,
    /// chủ trì kế hoạch: the plan, the calendar, review of reports.
    Owner,
    /// cán bộ đơn vị: their own unit's assignments and reports.
    Officer,
    /// lãnh đạo: reads everything under their unit.
    Leader,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Owner => "owner",
            Role::Officer => "officer",
            Role::Leader => "leader",
        }
    }

    /// From the stored code or the Vietnamese name.
    pub fn parse(s: &str) -> Option<Role> {
        match name_key(&s.replace('-', " ")).as_str() {
            "admin" | "quan tri" => Some(Role::Admin),
            "chu tri" => Some(Role::Owner),
            "can bo" => Some(Role::Officer),
            "lanh dao" => Some(Role::Leader),
            "owner" => Some(Role::Owner),
            "officer" => Some(Role::Officer),
            "leader" => Some(Role::Leader),
            k if k == name_key("quản trị") => Some(Role::Admin),
            k if k == name_key("chủ trì kế hoạch") || k == name_key("chủ trì") => {
                Some(Role::Owner)
            }
            k if k == name_key("cán bộ đơn vị") || k == name_key("cán bộ") => {
                Some(Role::Officer)
            }
            k if k == name_key("lãnh đạo") => Some(Role::Leader),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::Admin => "Quản trị",
            Role::Owner => "Chủ trì kế hoạch",
            Role::Officer => "Cán bộ đơn vị",
            Role::Leader => "Lãnh đạo",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct User {
    pub user_id: i64,
    pub username: String,
    pub full_name: String,
    pub unit_id: i64,
    pub unit_name: String,
    pub role: Role,
    #[serde(skip)]
    pub password_hash: String,
    pub active: bool,
}

/// User names are compared case-blind (and tone-placement-blind, like every
/// name here): `NguyenVanA` and `nguyenvana` are one account.
pub fn username_key(username: &str) -> String {
    name_key(username.trim())
}

fn from_row(row: &sqlx::any::AnyRow) -> Result<User> {
    let role: String = row.try_get("role")?;
    Ok(User {
        user_id: row.try_get("user_id")?,
        username: row.try_get("username")?,
        full_name: row.try_get("full_name")?,
        unit_id: row.try_get("unit_id")?,
        unit_name: row.try_get("unit_name")?,
        role: Role::parse(&role).ok_or_else(|| StoreError::Corrupt(format!("vai trò «{role}»")))?,
        password_hash: row.try_get("password_hash")?,
        active: row.try_get::<i64, _>("active")? != 0,
    })
}

const SELECT: &str =
    "select u.user_id, u.username, u.full_name, u.unit_id, n.name as unit_name, u.role,
    u.password_hash, u.active from users u join units n on n.unit_id = u.unit_id";

pub async fn by_username(conn: &mut AnyConnection, username: &str) -> Result<Option<User>> {
    let sql = format!("{SELECT} where u.username_key = $1");
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(username_key(username))
        .fetch_optional(&mut *conn)
        .await?
        .map(|r| from_row(&r))
        .transpose()
}

pub async fn by_id(conn: &mut AnyConnection, id: i64) -> Result<Option<User>> {
    let sql = format!("{SELECT} where u.user_id = $1");
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .map(|r| from_row(&r))
        .transpose()
}

/// The active user of a live session, and the session's CSRF token, in
/// one query (every request asks this).
pub async fn by_session(
    conn: &mut AnyConnection,
    token_hash: &str,
    now: &str,
) -> Result<Option<(User, String)>> {
    let row = sqlx::query(
        "select u.user_id, u.username, u.full_name, u.unit_id, n.name as unit_name, u.role,
             u.password_hash, u.active, s.csrf_token
         from sessions s join users u on u.user_id = s.user_id join units n on n.unit_id = u.unit_id
         where s.token_hash = $1 and s.expires_at > $2 and u.active = 1",
    )
    .bind(token_hash)
    .bind(now)
    .fetch_optional(&mut *conn)
    .await?;
    row.map(|r| Ok((from_row(&r)?, r.try_get("csrf_token")?)))
        .transpose()
}

pub async fn list(conn: &mut AnyConnection) -> Result<Vec<User>> {
    let sql = format!("{SELECT} order by n.name, u.username");
    let mut all: Vec<User> = sqlx::query(sqlx::AssertSqlSafe(sql))
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(from_row)
        .collect::<Result<_>>()?;
    // By unit in Vietnamese order, then by account name.
    all.sort_by_cached_key(|u| {
        (
            dondoc_core::text::vn_order(&u.unit_name),
            u.username.clone(),
        )
    });
    Ok(all)
}

pub struct NewUser<'a> {
    pub username: &'a str,
    pub full_name: &'a str,
    pub unit_id: i64,
    pub role: Role,
    pub password_hash: &'a str,
}

pub async fn insert(conn: &mut AnyConnection, u: &NewUser<'_>) -> Result<i64> {
    let username = u.username.trim();
    if username.is_empty() || username.chars().any(char::is_whitespace) {
        return Err(StoreError::Invalid(format!(
            "tên đăng nhập «{username}» không hợp lệ: không được trống hay có dấu cách"
        )));
    }
    if by_username(conn, username).await?.is_some() {
        return Err(StoreError::Invalid(format!(
            "tên đăng nhập «{username}» đã có"
        )));
    }
    Ok(sqlx::query(
        "insert into users (username, username_key, full_name, unit_id, role, password_hash)
         values ($1, $2, $3, $4, $5, $6) returning user_id",
    )
    .bind(username)
    .bind(username_key(username))
    .bind(u.full_name.trim())
    .bind(u.unit_id)
    .bind(u.role.as_str())
    .bind(u.password_hash)
    .fetch_one(&mut *conn)
    .await?
    .try_get("user_id")?)
}

pub async fn set_password_hash(conn: &mut AnyConnection, user_id: i64, hash: &str) -> Result<()> {
    sqlx::query("update users set password_hash = $1 where user_id = $2")
        .bind(hash)
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    // A new password ends every open session of the account.
    sqlx::query("delete from sessions where user_id = $1")
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

pub async fn count(conn: &mut AnyConnection) -> Result<i64> {
    Ok(sqlx::query("select count(*) as n from users")
        .fetch_one(&mut *conn)
        .await?
        .try_get("n")?)
}

impl crate::Store {
    pub async fn user_by_username(&self, username: &str) -> Result<Option<User>> {
        let mut conn = self.pool.acquire().await?;
        by_username(&mut conn, username).await
    }

    /// The user of a live session, with the session's CSRF token.
    pub async fn user_by_session(
        &self,
        token_hash: &str,
        now: &str,
    ) -> Result<Option<(User, String)>> {
        let mut conn = self.pool.acquire().await?;
        by_session(&mut conn, token_hash, now).await
    }

    /// Creates an account; a name already taken is refused.
    pub async fn add_user(&self, u: &NewUser<'_>) -> Result<i64> {
        let mut conn = self.pool.acquire().await?;
        insert(&mut conn, u).await
    }

    /// Sets an account's password hash and ends its open sessions, in one
    /// transaction.
    pub async fn set_password(&self, user_id: i64, hash: &str) -> Result<()> {
        let hash = hash.to_string();
        self.write(move |conn| {
            Box::pin(async move { set_password_hash(conn, user_id, &hash).await })
        })
        .await
    }

    pub async fn user_count(&self) -> Result<i64> {
        let mut conn = self.pool.acquire().await?;
        count(&mut conn).await
    }

    /// Every account, for lists and for naming who did what.
    pub async fn users(&self) -> Result<Vec<User>> {
        let mut conn = self.pool.acquire().await?;
        list(&mut conn).await
    }
}
