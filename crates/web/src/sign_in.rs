//! Signing in and out.
//!
//! The sign-in form has no session to carry a CSRF token yet: it uses a
//! double-submit cookie (`support::csrf::PublicForm`). The API's sign-in
//! takes JSON only (`support::forms::VnJson`), which no other site can send
//! in a user's name. After repeated failures for one account or one
//! address, sign-in is refused for a while, without telling which part was
//! wrong (`throttle`).

use crate::error::{ApiError, AppError, PageResult};
use crate::layout::Layout;
use crate::passwords::dummy_hash;
use crate::session::{
    Api, CurrentUser, LOGIN_CSRF_COOKIE, Peer, SESSION_COOKIE, cookie, random_token, set_cookie,
    token_hash,
};
use crate::state::AppState;
use crate::support::csrf::{CsrfForm, PublicForm};
use crate::support::forms::VnJson;
use crate::support::query::Params;
use crate::throttle::wait_text;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use dondoc_store::users;
use serde::Deserialize;
use std::net::IpAddr;

const SESSION_HOURS: i64 = 12;

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
    /// The page to go back to once signed in (`?tiep=`).
    next: String,
}

/// A page of this service to go back to after signing in: a path of our
/// own, never another site (`//host`, `https://…`, `/\\host`).
fn local_path(s: &str) -> Option<&str> {
    let ok = s.starts_with('/')
        && !s.starts_with("//")
        && !s.starts_with("/\\")
        && !s.contains(['\\', '\r', '\n'])
        && !s.starts_with("/dang-nhap")
        && s.len() <= 2000;
    ok.then_some(s)
}

/// Sends a page request that needs a session to the sign-in page with the
/// address it asked for (`/dang-nhap?tiep=…`), so that signing in leads
/// back there.
pub async fn return_after_sign_in(
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let asked = req
        .uri()
        .path_and_query()
        .map(|p| p.as_str().to_string())
        .unwrap_or_default();
    let is_page_get = req.method() == axum::http::Method::GET && !asked.starts_with("/api/");
    let mut resp = next.run(req).await;
    let to_sign_in = resp.status() == axum::http::StatusCode::SEE_OTHER
        && resp
            .headers()
            .get(header::LOCATION)
            .is_some_and(|l| l == "/dang-nhap");
    if is_page_get && to_sign_in && asked != "/" && local_path(&asked).is_some() {
        let to = format!(
            "/dang-nhap?tiep={}",
            crate::support::url::percent_encode(&asked)
        );
        if let Ok(v) = HeaderValue::from_str(&to) {
            resp.headers_mut().insert(header::LOCATION, v);
        }
    }
    resp
}

async fn login_page(State(state): State<AppState>, q: Params) -> PageResult<Response> {
    let csrf = random_token()?;
    let page = LoginPage {
        layout: Layout::anonymous(&state, "Đăng nhập"),
        csrf: csrf.clone(),
        username: String::new(),
        error: None,
        next: q
            .text("tiep")
            .and_then(local_path)
            .unwrap_or_default()
            .to_string(),
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
    /// The page to go back to (see `return_after_sign_in`).
    #[serde(default)]
    tiep: String,
}

/// Checks a name and password; on success makes a session and returns its
/// cookie and CSRF token.
async fn sign_in(
    state: &AppState,
    peer: Option<IpAddr>,
    username: &str,
    password: &str,
) -> Result<(HeaderValue, String, &'static str), AppError> {
    let account = format!("tk:{}", users::username_key(username));
    let address = format!("ip:{}", peer.map(|p| p.to_string()).unwrap_or_default());
    if let Some(wait) = state.throttle.wait(&account, &address) {
        return Err(AppError::TooManyRequests(format!(
            "đăng nhập sai nhiều lần; thử lại sau {}",
            wait_text(wait)
        )));
    }
    let wrong = || AppError::BadRequest("tên đăng nhập hoặc mật khẩu không đúng".into());
    if username.trim().is_empty() || password.is_empty() || password.len() > 256 {
        state.throttle.fail(&account, &address);
        return Err(wrong());
    }
    let user = state.store.user_by_username(username).await?;
    // Verify even when the account does not exist, so timing tells nothing.
    let hash = match &user {
        Some(u) => u.password_hash.clone(),
        None => dummy_hash()?,
    };
    let ok = state.hashing.verify(password, &hash).await?;
    let Some(user) = user.filter(|u| ok && u.active) else {
        state.throttle.fail(&account, &address);
        return Err(wrong());
    };
    state.throttle.succeed(&account, &address);
    let token = random_token()?;
    let csrf = random_token()?;
    let now = jiff::Timestamp::now();
    let expires = now
        .checked_add(jiff::SignedDuration::from_hours(SESSION_HOURS))
        .map_err(|e| AppError::Internal(e.to_string()))?;
    state
        .store
        .create_session(
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
    Ok((cookie, csrf, crate::access::home(user.role)))
}

async fn login_form(
    State(state): State<AppState>,
    Peer(peer): Peer,
    PublicForm(form): PublicForm<LoginForm>,
) -> PageResult<Response> {
    match sign_in(&state, peer, &form.username, &form.password).await {
        Ok((cookie, _, home)) => {
            let to = local_path(&form.tiep).unwrap_or(home);
            let mut resp = Redirect::to(to).into_response();
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
                next: form.tiep.clone(),
            };
            Ok((status, page).into_response())
        }
        Err(e) => Err(e),
    }
}

async fn end_session(state: &AppState, headers: &HeaderMap) -> Result<HeaderValue, AppError> {
    if let Some(token) = cookie(headers, SESSION_COOKIE) {
        state.store.end_session(&token_hash(&token)).await?;
    }
    Ok(set_cookie(SESSION_COOKIE, "", 0, state.secure_cookies))
}

async fn logout_form(
    State(state): State<AppState>,
    _: CurrentUser,
    headers: HeaderMap,
    CsrfForm(_): CsrfForm<serde::de::IgnoredAny>,
) -> PageResult<Response> {
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
    let (cookie, csrf, _) = sign_in(&state, peer, &body.username, &body.password).await?;
    let mut resp = Json(serde_json::json!({ "csrf_token": csrf })).into_response();
    resp.headers_mut().append(header::SET_COOKIE, cookie);
    Ok(resp)
}

async fn logout_api(
    State(state): State<AppState>,
    Api(_): Api<CurrentUser>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let cookie = end_session(&state, &headers).await?;
    let mut resp = Json(serde_json::json!({ "ok": true })).into_response();
    resp.headers_mut().append(header::SET_COOKIE, cookie);
    Ok(resp)
}

async fn me_api(Api(user): Api<CurrentUser>) -> Json<serde_json::Value> {
    Json(serde_json::json!({
        "user": user.user,
        "role_label": user.user.role.label(),
        "csrf_token": user.csrf,
    }))
}
