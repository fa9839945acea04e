//! Attachments over HTTP: reading an upload (multipart/form-data) with a
//! hard 10 MB cap and Vietnamese errors, and answering a download so that a
//! browser saves the file instead of running it.

use crate::error::AppError;
use crate::url::percent_encode;
use axum::extract::Multipart;
use axum::extract::multipart::{MultipartError, MultipartRejection};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use dondoc_store::reports::{Attachment, MAX_ATTACHMENT};

/// The request body limit of upload routes: the file plus room for the
/// form's other fields and the multipart framing. A bigger body is cut off
/// by axum; a file between 10 MB and this is refused while it is read.
pub(crate) const UPLOAD_BODY_LIMIT: usize = MAX_ATTACHMENT + 256 * 1024;

/// What an upload carried.
pub(crate) struct Upload {
    /// The page form's CSRF field (the API sends a header instead).
    pub csrf: String,
    pub filename: String,
    pub content_type: String,
    pub data: Vec<u8>,
}

fn too_large() -> AppError {
    AppError::TooLarge("tệp quá lớn: mỗi tệp đính kèm tối đa 10 MB".into())
}

fn malformed() -> AppError {
    AppError::BadRequest(
        "dữ liệu tải lên không đúng định dạng (cần gửi tệp dạng multipart/form-data)".into(),
    )
}

fn from_multipart(e: MultipartError) -> AppError {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        too_large()
    } else {
        malformed()
    }
}

/// Reads the form's `csrf` field and its first file, refusing a file over
/// 10 MB as soon as it passes the limit (never holding more in memory).
pub(crate) async fn read_upload(
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Upload, AppError> {
    let mut multipart = multipart.map_err(|_| malformed())?;
    let mut csrf = String::new();
    let mut file: Option<Upload> = None;
    while let Some(mut field) = multipart.next_field().await.map_err(from_multipart)? {
        let filename = field.file_name().map(str::to_string);
        match filename {
            // A file input left empty still sends a part, with no name.
            Some(name) if file.is_none() && !name.trim().is_empty() => {
                let content_type = field
                    .content_type()
                    .unwrap_or("application/octet-stream")
                    .to_string();
                let mut data = Vec::new();
                while let Some(chunk) = field.chunk().await.map_err(from_multipart)? {
                    if data.len() + chunk.len() > MAX_ATTACHMENT {
                        return Err(too_large());
                    }
                    data.extend_from_slice(&chunk);
                }
                file = Some(Upload {
                    csrf: String::new(),
                    filename: name,
                    content_type,
                    data,
                });
            }
            Some(_) => {}
            None if field.name() == Some("csrf") => {
                csrf = field.text().await.map_err(from_multipart)?;
            }
            None => {}
        }
    }
    let mut upload = file.ok_or_else(|| AppError::BadRequest("chưa chọn tệp để tải lên".into()))?;
    if upload.data.is_empty() {
        return Err(AppError::BadRequest(format!(
            "tệp «{}» rỗng (0 byte)",
            upload.filename
        )));
    }
    upload.csrf = csrf;
    Ok(upload)
}

/// An ASCII stand-in for clients that do not read `filename*`.
fn ascii_fallback(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// The file, always as a download: the stored type is only what the
/// uploader's browser said, so it must never be rendered in our origin.
pub(crate) fn download(att: &Attachment, data: Vec<u8>) -> Response {
    let disposition = format!(
        "attachment; filename=\"{}\"; filename*=UTF-8''{}",
        ascii_fallback(&att.filename),
        percent_encode(&att.filename)
    );
    let mut resp = data.into_response();
    let h = resp.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(&att.content_type)
            .unwrap_or(HeaderValue::from_static("application/octet-stream")),
    );
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("sandbox"),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    resp
}

/// "1,2 MB", "340 KB": a size as people read it.
pub(crate) fn size_text(bytes: i64) -> String {
    if bytes >= 1024 * 1024 {
        let tenths = bytes * 10 / (1024 * 1024);
        format!("{},{} MB", tenths / 10, tenths % 10)
    } else if bytes >= 1024 {
        format!("{} KB", bytes / 1024)
    } else {
        format!("{bytes} byte")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_survive_the_header() {
        assert_eq!(
            percent_encode("Báo cáo 1.pdf"),
            "B%C3%A1o%20c%C3%A1o%201.pdf"
        );
        assert_eq!(ascii_fallback("Báo \"x\".pdf"), "B_o _x_.pdf");
        assert_eq!(size_text(1536 * 1024), "1,5 MB");
        assert_eq!(size_text(2048), "2 KB");
    }
}
