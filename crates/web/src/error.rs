//! Every failure of a request, mapped to HTTP in one place. Pages get a
//! Vietnamese error page; the API gets `{"error": "…"}`. Internal causes are
//! logged to stderr and never shown.

use askama::Template;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use dondoc_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// Not signed in (pages send the user to the sign-in page).
    #[error("cần đăng nhập")]
    Unauthorized,
    #[error("bạn không có quyền {0}")]
    Forbidden(String),
    #[error("không tìm thấy {0}")]
    NotFound(String),
    /// Bad input: the message says what and where.
    #[error("{0}")]
    BadRequest(String),
    /// A form sent from a page that is no longer current.
    #[error("{0}")]
    Conflict(String),
    #[error(
        "phiên làm việc đã hết hạn hoặc biểu mẫu không hợp lệ (mã chống giả mạo sai); tải lại trang rồi thử lại"
    )]
    Csrf,
    #[error("{0}")]
    TooLarge(String),
    #[error("{0}")]
    TooManyRequests(String),
    #[error("lỗi máy chủ; thao tác chưa được lưu, xin thử lại")]
    Internal(String),
}

impl AppError {
    pub fn status(&self) -> StatusCode {
        match self {
            AppError::Unauthorized => StatusCode::UNAUTHORIZED,
            AppError::Forbidden(_) => StatusCode::FORBIDDEN,
            AppError::NotFound(_) => StatusCode::NOT_FOUND,
            AppError::BadRequest(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::Csrf => StatusCode::FORBIDDEN,
            AppError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::TooManyRequests(_) => StatusCode::TOO_MANY_REQUESTS,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn log(&self) {
        if let AppError::Internal(cause) = self {
            eprintln!("dondoc: lỗi máy chủ: {cause}");
        }
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::PlanNotFound(_) | StoreError::NoPlan => AppError::NotFound(e.to_string()),
            StoreError::EventNotFound { .. } => AppError::NotFound(e.to_string()),
            StoreError::InvalidPlan(_)
            | StoreError::PlanExists(_)
            | StoreError::EventAmbiguous { .. }
            | StoreError::SeveralPlans(_)
            | StoreError::AmbiguousPlan { .. }
            | StoreError::Invalid(_)
            | StoreError::BadUrl(_) => AppError::BadRequest(e.to_string()),
            StoreError::Stale(_) => AppError::Conflict(e.to_string()),
            StoreError::Database(_)
            | StoreError::Migrate(_)
            | StoreError::Corrupt(_)
            | StoreError::WriteFailed(_)
            | StoreError::Busy(_) => AppError::Internal(format!("{e:?}")),
        }
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    code: u16,
    title: &'a str,
    message: String,
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        self.log();
        if matches!(self, AppError::Unauthorized) {
            return Redirect::to("/dang-nhap").into_response();
        }
        let status = self.status();
        let title = match status {
            StatusCode::FORBIDDEN => "Không có quyền",
            StatusCode::NOT_FOUND => "Không tìm thấy",
            StatusCode::UNPROCESSABLE_ENTITY => "Dữ liệu chưa hợp lệ",
            StatusCode::CONFLICT => "Dữ liệu đã thay đổi",
            StatusCode::PAYLOAD_TOO_LARGE => "Tệp quá lớn",
            StatusCode::TOO_MANY_REQUESTS => "Thử lại sau",
            _ => "Lỗi",
        };
        let page = ErrorPage {
            code: status.as_u16(),
            title,
            message: self.to_string(),
        };
        match page.render() {
            Ok(html) => (status, Html(html)).into_response(),
            Err(_) => (status, self.to_string()).into_response(),
        }
    }
}

/// The same errors, answered as JSON for the API.
#[derive(Debug)]
pub struct ApiError(pub AppError);

impl<E: Into<AppError>> From<E> for ApiError {
    fn from(e: E) -> Self {
        ApiError(e.into())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        self.0.log();
        let status = self.0.status();
        let body = serde_json::json!({ "error": self.0.to_string() }).to_string();
        (status, [(header::CONTENT_TYPE, "application/json")], body).into_response()
    }
}

pub type PageResult<T> = Result<T, AppError>;
pub type ApiResult<T> = Result<T, ApiError>;
