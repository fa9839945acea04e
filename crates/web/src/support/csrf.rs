//! CSRF at the edge, in three shapes, so that no handler checks a token by
//! hand:
//!
//! - the API: a layer (`api_writes`) refuses every unsafe method under
//!   `/api/` that does not carry the session's token in `X-CSRF-Token`,
//!   before any handler runs (sign-in excepted: it has no session yet, and
//!   takes JSON only, which no other site can send in a user's name);
//! - a signed-in page's form: `CsrfForm<T>` and `CsrfUpload<K>` read the
//!   body and refuse it unless its `csrf` field is the session's token;
//! - an anonymous page's form (sign-in; public comments and contests):
//!   `PublicForm<T>` compares its `csrf` field with a double-submit cookie
//!   the page set.
//!
//! Order: the API refuses a bad token first; a page reads its address and
//! its guard first (404, 403) and its body last, so a form for a page that
//! does not exist says "not found", not "reload the page".

use super::forms::{form_bytes, form_value, from_form_value};
use super::upload::{self, Upload, UploadKind};
use crate::error::{ApiError, AppError};
use crate::session::{CurrentUser, LOGIN_CSRF_COOKIE, cookie, token_matches};
use crate::state::AppState;
use axum::extract::{FromRequest, FromRequestParts, Request, State};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;
use serde_json::Value;

/// Whether a method changes something (RFC 9110's unsafe methods).
fn is_write(m: &Method) -> bool {
    !matches!(
        *m,
        Method::GET | Method::HEAD | Method::OPTIONS | Method::TRACE
    )
}

/// Paths under `/api/` that write without a session.
const API_WITHOUT_SESSION: &[&str] = &["/api/login"];

/// The layer of the API's writes (see the module's comment). The user it
/// reads is kept in the request, so the handler's own extractor does not
/// read the session again.
pub async fn api_writes(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let path = req.uri().path();
    if !path.starts_with("/api/") || !is_write(req.method()) || API_WITHOUT_SESSION.contains(&path)
    {
        return next.run(req).await;
    }
    let (mut parts, body) = req.into_parts();
    let user = match CurrentUser::from_request_parts(&mut parts, &state).await {
        Ok(u) => u,
        Err(e) => return ApiError(e).into_response(),
    };
    let sent = parts
        .headers
        .get("x-csrf-token")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if let Err(e) = user.check_csrf(sent) {
        return ApiError(e).into_response();
    }
    next.run(Request::from_parts(parts, body)).await
}

/// The `csrf` field of a form's fields.
fn csrf_of(fields: &Value) -> &str {
    match fields.get("csrf") {
        Some(Value::String(s)) => s,
        // A repeated field: none of the copies is trusted over another.
        _ => "",
    }
}

/// A signed-in page's url-encoded form, its token checked.
pub struct CsrfForm<T>(pub T);

impl<T: DeserializeOwned> FromRequest<AppState> for CsrfForm<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, AppError> {
        let (mut parts, body) = req.into_parts();
        let user = CurrentUser::from_request_parts(&mut parts, state).await?;
        let bytes = form_bytes(Request::from_parts(parts, body), state).await?;
        let fields = form_value(&bytes);
        user.check_csrf(csrf_of(&fields))?;
        from_form_value(fields).map(CsrfForm)
    }
}

/// An anonymous page's url-encoded form, its token checked against the
/// double-submit cookie its page set.
pub struct PublicForm<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for PublicForm<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, AppError> {
        let expected = cookie(req.headers(), LOGIN_CSRF_COOKIE).unwrap_or_default();
        let bytes = form_bytes(req, state).await?;
        let fields = form_value(&bytes);
        if expected.is_empty() || !token_matches(csrf_of(&fields), &expected) {
            return Err(AppError::Csrf);
        }
        from_form_value(fields).map(PublicForm)
    }
}

/// A signed-in page's multipart form, read within `K::LIMITS`, its token
/// checked before the caller sees any of it.
pub struct CsrfUpload<K>(pub Upload, pub std::marker::PhantomData<K>);

impl<K: UploadKind> FromRequest<AppState> for CsrfUpload<K> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, AppError> {
        let (mut parts, body) = req.into_parts();
        let user = CurrentUser::from_request_parts(&mut parts, state).await?;
        let upload = upload::read(Request::from_parts(parts, body), K::LIMITS).await?;
        user.check_csrf(upload.field("csrf"))?;
        Ok(CsrfUpload(upload, std::marker::PhantomData))
    }
}

impl<K> CsrfUpload<K> {
    pub fn into_inner(self) -> Upload {
        self.0
    }
}

/// A signed-in page's form that may bring a file: url-encoded, or
/// multipart within `K::LIMITS`; its token checked either way.
pub struct CsrfBody<K>(pub Upload, pub std::marker::PhantomData<K>);

impl<K: UploadKind> FromRequest<AppState> for CsrfBody<K> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, AppError> {
        if upload::is_multipart(&req) {
            let CsrfUpload(u, _) = CsrfUpload::<K>::from_request(req, state).await?;
            return Ok(CsrfBody(u, std::marker::PhantomData));
        }
        let CsrfForm(fields) =
            CsrfForm::<std::collections::HashMap<String, Value>>::from_request(req, state).await?;
        let fields = fields
            .into_iter()
            .filter_map(|(k, v)| match v {
                Value::String(s) => Some((k, s)),
                // A repeated field: the last one typed wins.
                Value::Array(a) => a.last()?.as_str().map(|s| (k, s.to_string())),
                _ => None,
            })
            .collect();
        Ok(CsrfBody(
            Upload { fields, file: None },
            std::marker::PhantomData,
        ))
    }
}
