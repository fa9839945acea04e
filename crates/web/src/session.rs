//! Who is asking: the session cookie read into the signed-in user, with the
//! session's CSRF token; the cookies and tokens sessions are made of.
//!
//! Sessions are random tokens in an HttpOnly, SameSite=Lax cookie; the
//! database keeps only their SHA-256, so a copy of the database opens no
//! session.

use crate::error::{ApiError, AppError};
use crate::state::AppState;
use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, header};
use dondoc_store::users::User;
use sha2::{Digest, Sha256};
use std::net::{IpAddr, SocketAddr};

pub const SESSION_COOKIE: &str = "dondoc_phien";
/// The sign-in form's double-submit cookie (there is no session yet).
pub const LOGIN_CSRF_COOKIE: &str = "dondoc_dn";

pub fn random_token() -> Result<String, AppError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(hex(&bytes))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub fn token_hash(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

/// The value of cookie `name`, if the request carries it.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

pub fn set_cookie(name: &str, value: &str, max_age: i64, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    let v = format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}");
    HeaderValue::from_str(&v).unwrap_or_else(|_| HeaderValue::from_static(""))
}

pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Whether `sent` is the token `expected` (neither may be empty).
pub fn token_matches(sent: &str, expected: &str) -> bool {
    !sent.is_empty() && constant_time_eq(sent.as_bytes(), expected.as_bytes())
}

/// The signed-in user of a request, with the session's CSRF token.
#[derive(Clone)]
pub struct CurrentUser {
    pub user: User,
    pub csrf: String,
}

impl CurrentUser {
    /// Checks the token a form or an API write carries.
    pub fn check_csrf(&self, sent: &str) -> Result<(), AppError> {
        if token_matches(sent, &self.csrf) {
            Ok(())
        } else {
            Err(AppError::Csrf)
        }
    }
}

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        if let Some(u) = parts.extensions.get::<CurrentUser>() {
            return Ok(u.clone());
        }
        let token = cookie(&parts.headers, SESSION_COOKIE).ok_or(AppError::Unauthorized)?;
        let now = jiff::Timestamp::now().to_string();
        let (user, csrf) = state
            .store
            .user_by_session(&token_hash(&token), &now)
            .await?
            .ok_or(AppError::Unauthorized)?;
        let current = CurrentUser { user, csrf };
        parts.extensions.insert(current.clone());
        Ok(current)
    }
}

/// Any page extractor, answering its refusals as JSON: what API handlers
/// take (`Api<CurrentUser>`, `Api<guard::UnitToRead>`, …), so that a page
/// and its API share one way in.
pub struct Api<T>(pub T);

impl<T> FromRequestParts<AppState> for Api<T>
where
    T: FromRequestParts<AppState, Rejection = AppError> + Send,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        T::from_request_parts(parts, state)
            .await
            .map(Api)
            .map_err(ApiError)
    }
}

/// The signed-in user of an API request: failures answer as JSON.
pub type ApiUser = Api<CurrentUser>;

/// The client's address, when the server was started with it (tests that
/// call the router directly have none). Behind the proxy named by
/// `serve --trusted-proxy`, the address that proxy says it forwarded for
/// (the last entry of `X-Forwarded-For`, the one it added itself); from
/// anyone else that header is ignored, since a client can write anything
/// into it.
pub struct Peer(pub Option<IpAddr>);

impl FromRequestParts<AppState> for Peer {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let direct = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip());
        let forwarded = || {
            parts
                .headers
                .get_all("x-forwarded-for")
                .iter()
                .filter_map(|v| v.to_str().ok())
                .flat_map(|v| v.split(','))
                .last()
                .and_then(|a| a.trim().parse::<IpAddr>().ok())
        };
        Ok(Peer(match (direct, state.trusted_proxy) {
            (Some(ip), Some(proxy)) if ip == proxy => forwarded().or(direct),
            _ => direct,
        }))
    }
}
