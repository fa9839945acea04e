//! Signing in and out, sessions, CSRF tokens and login throttling.
//!
//! - Passwords: argon2id (19 MiB, 2 passes), at most `Hashing::permits`
//!   hashes at once so that a burst of logins cannot exhaust memory.
//! - Sessions: a random token in an HttpOnly, SameSite=Lax cookie; the
//!   database keeps its SHA-256.
//! - CSRF: each session has a token every form carries and every API write
//!   sends as `X-CSRF-Token`; the sign-in form, before any session, uses a
//!   double-submit cookie.
//! - Throttling: after repeated failures for one account or one address,
//!   sign-in is refused for a while, without telling which part was wrong.

use crate::error::{ApiError, AppError, PageResult};
use crate::input::{VnForm, VnJson};
use crate::layout::Layout;
use crate::state::AppState;
use argon2::Argon2;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{ConnectInfo, FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use dondoc_store::sessions;
use dondoc_store::users::{self, User};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};
use tokio::sync::Semaphore;

pub const SESSION_COOKIE: &str = "dondoc_phien";
const LOGIN_CSRF_COOKIE: &str = "dondoc_dn";
const SESSION_HOURS: i64 = 12;

/// Bounded argon2id hashing.
pub struct Hashing {
    permits: Semaphore,
}

impl Hashing {
    pub fn new(at_once: usize) -> Self {
        Hashing {
            permits: Semaphore::new(at_once),
        }
    }

    pub async fn hash(&self, password: &str) -> Result<String, AppError> {
        let _permit = self
            .permits
            .acquire()
            .await
            .map_err(|e| AppError::Internal(e.to_string()))?;
        let password = password.to_string();
        tokio::task::spawn_blocking(move || hash_password(&password))
            .await
            .map_err(|e| AppError::Internal(e.to_string()))?
    }

    pub async fn verify(&self, password: &str, hash: &str) -> Result<bool, AppError> {
        let _permit = self
            .permits
            .acquire()
            .await
            .map_err(|e| AppError::Internal(e.to_string()))?;
        let (password, hash) = (password.to_string(), hash.to_string());
        tokio::task::spawn_blocking(move || verify_password(&password, &hash))
            .await
            .map_err(|e| AppError::Internal(e.to_string()))
    }
}

/// argon2id with the crate's defaults (m = 19 MiB, t = 2, p = 1).
pub fn hash_password(password: &str) -> Result<String, AppError> {
    check_password_rules(password)?;
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| AppError::Internal(e.to_string()))?;
    Argon2::default()
        .hash_password_with_salt(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| AppError::Internal(e.to_string()))
}

/// A real hash of a password nobody has, made once.
fn dummy_hash() -> Result<String, AppError> {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    if let Some(h) = DUMMY.get() {
        return Ok(h.clone());
    }
    let h = hash_password("không có tài khoản này")?;
    Ok(DUMMY.get_or_init(|| h).clone())
}

pub fn verify_password(password: &str, hash: &str) -> bool {
    Argon2::default()
        .verify_password(password.as_bytes(), hash)
        .is_ok()
}

pub fn check_password_rules(password: &str) -> Result<(), AppError> {
    if password.chars().count() < 8 {
        return Err(AppError::BadRequest(
            "mật khẩu phải có ít nhất 8 ký tự".into(),
        ));
    }
    if password.len() > 256 {
        return Err(AppError::BadRequest(
            "mật khẩu quá dài (tối đa 256 byte)".into(),
        ));
    }
    Ok(())
}

/// Failed sign-ins per account and per address in a sliding window.
#[derive(Default)]
pub struct Throttle {
    failures: Mutex<HashMap<String, (u32, Instant)>>,
}

const WINDOW: Duration = Duration::from_secs(15 * 60);
const PER_ACCOUNT: u32 = 5;
const PER_ADDRESS: u32 = 20;

impl Throttle {
    fn blocked(&self, keys: &[(String, u32)]) -> Option<u64> {
        let map = self.failures.lock().ok()?;
        keys.iter().find_map(|(k, limit)| {
            let (n, since) = map.get(k)?;
            let left = WINDOW.checked_sub(since.elapsed())?;
            (*n >= *limit).then(|| left.as_secs() / 60 + 1)
        })
    }

    fn fail(&self, keys: &[(String, u32)]) {
        if let Ok(mut map) = self.failures.lock() {
            if map.len() > 100_000 {
                map.retain(|_, (_, since)| since.elapsed() < WINDOW);
            }
            for (k, _) in keys {
                let e = map.entry(k.clone()).or_insert((0, Instant::now()));
                if e.1.elapsed() >= WINDOW {
                    *e = (0, Instant::now());
                }
                e.0 += 1;
            }
        }
    }

    fn succeed(&self, account: &str) {
        if let Ok(mut map) = self.failures.lock() {
            map.remove(account);
        }
    }
}

pub fn random_token() -> Result<String, AppError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(hex(&bytes))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn token_hash(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

fn set_cookie(name: &str, value: &str, max_age: i64, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    let v = format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}");
    HeaderValue::from_str(&v).unwrap_or_else(|_| HeaderValue::from_static(""))
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
        if !sent.is_empty() && constant_time_eq(sent.as_bytes(), self.csrf.as_bytes()) {
            Ok(())
        } else {
            Err(AppError::Csrf)
        }
    }

    /// Checks the `X-CSRF-Token` header of an API write.
    pub fn check_csrf_header(&self, headers: &HeaderMap) -> Result<(), AppError> {
        let sent = headers
            .get("x-csrf-token")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        self.check_csrf(sent)
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn now_text() -> String {
    jiff::Timestamp::now().to_string()
}

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        if let Some(u) = parts.extensions.get::<CurrentUser>() {
            return Ok(u.clone());
        }
        let token = cookie(&parts.headers, SESSION_COOKIE).ok_or(AppError::Unauthorized)?;
        let mut conn = state.store.conn().await?;
        let (user, csrf) = users::by_session(&mut conn, &token_hash(&token), &now_text())
            .await?
            .ok_or(AppError::Unauthorized)?;
        let current = CurrentUser { user, csrf };
        parts.extensions.insert(current.clone());
        Ok(current)
    }
}

/// The signed-in user of an API request: failures answer as JSON.
pub struct ApiUser(pub CurrentUser);

impl FromRequestParts<AppState> for ApiUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        CurrentUser::from_request_parts(parts, state)
            .await
            .map(ApiUser)
            .map_err(ApiError)
    }
}

/// The client's address, when the server was started with it (tests that
/// call the router directly have none).
pub struct Peer(pub Option<SocketAddr>);

impl<S: Send + Sync> FromRequestParts<S> for Peer {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Peer(
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map(|c| c.0),
        ))
    }
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/dang-nhap", get(login_page).post(login_form))
        .route("/dang-xuat", post(logout_form))
        .route("/api/login", post(login_api))
        .route("/api/logout", post(logout_api))
        .route("/api/me", get(me_api))
}

#[derive(Template, WebTemplate)]
#[template(path = "login.html")]
struct LoginPage {
    layout: Layout,
    csrf: String,
    username: String,
    error: Option<String>,
}

async fn login_page(State(state): State<AppState>) -> PageResult<Response> {
    let csrf = random_token()?;
    let page = LoginPage {
        layout: Layout::anonymous(&state, "Đăng nhập"),
        csrf: csrf.clone(),
        username: String::new(),
        error: None,
    };
    let mut resp = page.into_response();
    resp.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(LOGIN_CSRF_COOKIE, &csrf, 3600, state.secure_cookies),
    );
    Ok(resp)
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    csrf: String,
}

/// Checks a name and password; on success makes a session and returns its
/// cookie and CSRF token.
async fn sign_in(
    state: &AppState,
    peer: Option<SocketAddr>,
    username: &str,
    password: &str,
) -> Result<(HeaderValue, String), AppError> {
    let account = format!("tk:{}", users::username_key(username));
    let address = format!(
        "ip:{}",
        peer.map(|p| p.ip().to_string()).unwrap_or_default()
    );
    let keys = [(account.clone(), PER_ACCOUNT), (address, PER_ADDRESS)];
    if let Some(minutes) = state.throttle.blocked(&keys) {
        return Err(AppError::TooManyRequests(format!(
            "đăng nhập sai quá nhiều lần; thử lại sau {minutes} phút"
        )));
    }
    let wrong = || AppError::BadRequest("tên đăng nhập hoặc mật khẩu không đúng".into());
    if username.trim().is_empty() || password.is_empty() || password.len() > 256 {
        state.throttle.fail(&keys);
        return Err(wrong());
    }
    let user = {
        let mut conn = state.store.conn().await?;
        users::by_username(&mut conn, username).await?
    };
    // Verify even when the account does not exist, so timing tells nothing.
    let hash = match &user {
        Some(u) => u.password_hash.clone(),
        None => dummy_hash()?,
    };
    let ok = state.hashing.verify(password, &hash).await?;
    let Some(user) = user.filter(|u| ok && u.active) else {
        state.throttle.fail(&keys);
        return Err(wrong());
    };
    state.throttle.succeed(&account);
    let token = random_token()?;
    let csrf = random_token()?;
    let now = jiff::Timestamp::now();
    let expires = now
        .checked_add(jiff::SignedDuration::from_hours(SESSION_HOURS))
        .map_err(|e| AppError::Internal(e.to_string()))?;
    let mut conn = state.store.conn().await?;
    sessions::create(
        &mut conn,
        &token_hash(&token),
        user.user_id,
        &csrf,
        &now.to_string(),
        &expires.to_string(),
    )
    .await?;
    let cookie = set_cookie(
        SESSION_COOKIE,
        &token,
        SESSION_HOURS * 3600,
        state.secure_cookies,
    );
    Ok((cookie, csrf))
}

async fn login_form(
    State(state): State<AppState>,
    Peer(peer): Peer,
    headers: HeaderMap,
    VnForm(form): VnForm<LoginForm>,
) -> PageResult<Response> {
    let expected = cookie(&headers, LOGIN_CSRF_COOKIE).unwrap_or_default();
    if expected.is_empty() || !constant_time_eq(expected.as_bytes(), form.csrf.as_bytes()) {
        return Err(AppError::Csrf);
    }
    match sign_in(&state, peer, &form.username, &form.password).await {
        Ok((cookie, _)) => {
            let mut resp = Redirect::to("/").into_response();
            resp.headers_mut().append(header::SET_COOKIE, cookie);
            resp.headers_mut().append(
                header::SET_COOKIE,
                set_cookie(LOGIN_CSRF_COOKIE, "", 0, state.secure_cookies),
            );
            Ok(resp)
        }
        Err(e @ (AppError::BadRequest(_) | AppError::TooManyRequests(_))) => {
            let status = e.status();
            let page = LoginPage {
                layout: Layout::anonymous(&state, "Đăng nhập"),
                csrf: form.csrf,
                username: form.username,
                error: Some(e.to_string()),
            };
            Ok((status, page).into_response())
        }
        Err(e) => Err(e),
    }
}

async fn end_session(state: &AppState, headers: &HeaderMap) -> Result<HeaderValue, AppError> {
    if let Some(token) = cookie(headers, SESSION_COOKIE) {
        let mut conn = state.store.conn().await?;
        sessions::delete(&mut conn, &token_hash(&token)).await?;
    }
    Ok(set_cookie(SESSION_COOKIE, "", 0, state.secure_cookies))
}

#[derive(Deserialize)]
pub struct CsrfOnly {
    #[serde(default)]
    csrf: String,
}

async fn logout_form(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    VnForm(form): VnForm<CsrfOnly>,
) -> PageResult<Response> {
    user.check_csrf(&form.csrf)?;
    let cookie = end_session(&state, &headers).await?;
    let mut resp = Redirect::to("/dang-nhap").into_response();
    resp.headers_mut().append(header::SET_COOKIE, cookie);
    Ok(resp)
}

#[derive(Deserialize)]
struct LoginJson {
    username: String,
    password: String,
}

async fn login_api(
    State(state): State<AppState>,
    Peer(peer): Peer,
    VnJson(body): VnJson<LoginJson>,
) -> Result<Response, ApiError> {
    let (cookie, csrf) = sign_in(&state, peer, &body.username, &body.password).await?;
    let mut resp = Json(serde_json::json!({ "csrf_token": csrf })).into_response();
    resp.headers_mut().append(header::SET_COOKIE, cookie);
    Ok(resp)
}

async fn logout_api(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    user.check_csrf_header(&headers)?;
    let cookie = end_session(&state, &headers).await?;
    let mut resp = Json(serde_json::json!({ "ok": true })).into_response();
    resp.headers_mut().append(header::SET_COOKIE, cookie);
    Ok(resp)
}

async fn me_api(ApiUser(user): ApiUser) -> Json<serde_json::Value> {
    Json(serde_json::json!({
        "user": user.user,
        "role_label": user.user.role.label(),
        "csrf_token": user.csrf,
    }))
}
