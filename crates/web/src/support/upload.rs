//! Reading a `multipart/form-data` body: its text fields and at most one
//! file, each bounded while it streams, so that an oversized part is
//! refused without ever being held whole; errors in Vietnamese.

use crate::error::AppError;
use axum::extract::multipart::MultipartError;
use axum::extract::{FromRequest, Multipart, Request};
use axum::http::{StatusCode, header};
use std::collections::HashMap;

/// The file part of a form.
pub struct FilePart {
    pub filename: String,
    pub content_type: String,
    pub data: Vec<u8>,
}

/// What a multipart form carried.
#[derive(Default)]
pub struct Upload {
    pub fields: HashMap<String, String>,
    /// The first part with a file name (a file input left empty still
    /// sends a part, with no name: it is no file).
    pub file: Option<FilePart>,
}

impl Upload {
    pub fn field(&self, name: &str) -> &str {
        self.fields.get(name).map_or("", String::as_str)
    }
}

/// The bounds of one kind of form.
#[derive(Clone, Copy)]
pub struct Limits {
    /// Largest file, in bytes.
    pub file: usize,
    /// Largest sum of the text fields, in bytes.
    pub text: usize,
    /// What the file is, for the message that refuses one too large
    /// ("mỗi tệp đính kèm", "văn bản kế hoạch").
    pub file_what: &'static str,
}

impl Limits {
    /// The body limit of a route taking such a form: the file and the text
    /// plus room for the framing. A bigger body is cut off by the server.
    pub const fn body(&self) -> usize {
        self.file + self.text + 64 * 1024
    }

    fn too_large(&self) -> AppError {
        AppError::TooLarge(format!(
            "tệp quá lớn: {} tối đa {} MB; chưa lưu gì",
            self.file_what,
            self.file / (1024 * 1024)
        ))
    }
}

fn malformed() -> AppError {
    AppError::BadRequest(
        "dữ liệu tải lên không đúng định dạng (cần gửi biểu mẫu dạng multipart/form-data)".into(),
    )
}

/// The bounds of one kind of upload form, as a type, for the extractors
/// (`Uploaded<K>`, `support::csrf::CsrfUpload<K>`).
pub trait UploadKind {
    const LIMITS: Limits;
}

/// A multipart form within `K::LIMITS` (the API's uploads: their CSRF
/// token comes as a header, checked by the API's layer).
pub struct Uploaded<K>(pub Upload, pub std::marker::PhantomData<K>);

impl<S: Send + Sync, K: UploadKind> FromRequest<S> for Uploaded<K> {
    type Rejection = crate::error::ApiError;

    async fn from_request(req: Request, _: &S) -> Result<Self, Self::Rejection> {
        read(req, K::LIMITS)
            .await
            .map(|u| Uploaded(u, std::marker::PhantomData))
            .map_err(crate::error::ApiError)
    }
}

/// Whether a request's body is a multipart form.
pub fn is_multipart(req: &Request) -> bool {
    req.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"))
}

/// Reads the whole form within `limits`.
pub async fn read(req: Request, limits: Limits) -> Result<Upload, AppError> {
    let too_large_or_malformed = |e: MultipartError| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            limits.too_large()
        } else {
            malformed()
        }
    };
    let mut mp = Multipart::from_request(req, &())
        .await
        .map_err(|_| malformed())?;
    let mut upload = Upload::default();
    let mut text_bytes = 0usize;
    while let Some(mut field) = mp.next_field().await.map_err(too_large_or_malformed)? {
        let name = field.name().unwrap_or_default().to_string();
        let filename = field.file_name().map(str::to_string);
        let is_file = filename.is_some();
        let take_file = filename
            .as_deref()
            .is_some_and(|f| !f.trim().is_empty() && upload.file.is_none());
        let content_type = field
            .content_type()
            .unwrap_or("application/octet-stream")
            .to_string();
        let bound = if is_file { limits.file } else { limits.text };
        let mut data = Vec::new();
        while let Some(chunk) = field.chunk().await.map_err(too_large_or_malformed)? {
            if is_file && !take_file {
                continue;
            }
            if data.len() + chunk.len() > bound {
                return Err(if is_file {
                    limits.too_large()
                } else {
                    AppError::TooLarge(format!(
                        "biểu mẫu quá lớn (tối đa {} MB)",
                        limits.text.div_ceil(1024 * 1024)
                    ))
                });
            }
            data.extend_from_slice(&chunk);
        }
        if take_file {
            upload.file = Some(FilePart {
                filename: filename.unwrap_or_default(),
                content_type,
                data,
            });
        } else if !is_file {
            text_bytes += data.len();
            if text_bytes > limits.text {
                return Err(AppError::TooLarge(format!(
                    "biểu mẫu quá lớn (tối đa {} MB)",
                    limits.text.div_ceil(1024 * 1024)
                )));
            }
            let value = String::from_utf8(data).map_err(|_| {
                AppError::BadRequest(format!("trường «{name}» không phải văn bản UTF-8"))
            })?;
            upload.fields.insert(name, value);
        }
    }
    Ok(upload)
}
