//! Files sent to be saved: one content-type policy for every download
//! (attachments of reports and assignments, the exported documents, a
//! unit's calendar file).
//!
//! A stored type is only what the uploader's browser said. Types a browser
//! might render stay only when they are known document and image types,
//! everything else goes as bytes; every file is an attachment, never shown
//! in our origin (`nosniff`, a sandboxing CSP), and never kept by caches
//! shared between users.

use super::url::percent_encode;
use axum::body::Body;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};

pub const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
pub const PDF: &str = "application/pdf";
pub const ICS: &str = "text/calendar; charset=utf-8";

/// The types sent as they are; any other is `application/octet-stream`.
const KNOWN: &[&str] = &[
    PDF,
    DOCX,
    XLSX,
    ICS,
    "image/png",
    "image/jpeg",
    "image/gif",
    "image/webp",
    "text/plain",
    "application/msword",
    "application/vnd.ms-excel",
    "application/vnd.ms-powerpoint",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "application/zip",
];

/// The type a file is served as (see the module's comment).
pub fn served_type(stored: &str) -> &'static str {
    let bare = stored.split(';').next().unwrap_or("").trim();
    KNOWN
        .iter()
        .find(|k| {
            let k_bare = k.split(';').next().unwrap_or("");
            bare.eq_ignore_ascii_case(k_bare)
        })
        .copied()
        .unwrap_or("application/octet-stream")
}

/// `attachment; filename="bao_cao.pdf"; filename*=UTF-8''b%C3%A1o%20c%C3%A1o.pdf`:
/// an ASCII stand-in for old clients, the real name for the rest.
pub fn disposition(filename: &str) -> HeaderValue {
    let ascii: String = filename
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "._-".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded = percent_encode(filename);
    HeaderValue::from_str(&format!(
        "attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static("attachment"))
}

/// How long clients may keep a download.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Freshness {
    /// A stored file or a document made for this request: never kept.
    NoStore,
    /// A feed that calendar programs poll: kept, but asked again each time.
    Revalidate,
}

/// The file `name` with `bytes`, as a download.
pub fn file(bytes: impl Into<Body>, stored_type: &str, name: &str, fresh: Freshness) -> Response {
    let mut headers = HeaderMap::new();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(served_type(stored_type)),
    );
    headers.insert(header::CONTENT_DISPOSITION, disposition(name));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("sandbox"),
    );
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(match fresh {
            Freshness::NoStore => "private, no-store",
            Freshness::Revalidate => "private, no-cache",
        }),
    );
    (headers, bytes.into()).into_response()
}

/// A list a page shows, as a workbook (`dondoc_export::table`) named from
/// `stem` and the day: the one way every list is downloaded.
pub fn list_workbook(table: &dondoc_export::table::Table, stem: &str) -> Response {
    match dondoc_export::table::to_xlsx(table) {
        Ok(bytes) => file(
            bytes,
            XLSX,
            &dondoc_export::table::file_name(stem, table.today),
            Freshness::NoStore,
        ),
        Err(e) => crate::error::AppError::Internal(e.to_string()).into_response(),
    }
}

/// A stored file (a report's or an assignment's), streamed from the store
/// a piece at a time (`dondoc_store::files`): a slow reader holds one piece,
/// not the whole file.
pub fn stored_file(
    store: &dondoc_store::Store,
    attachment_id: i64,
    size: i64,
    stored_type: &str,
    name: &str,
) -> Response {
    let size = usize::try_from(size).unwrap_or(0);
    let body = Body::from_stream(store.file_pieces(attachment_id, size));
    let mut resp = file(body, stored_type, name, Freshness::NoStore);
    resp.headers_mut()
        .insert(header::CONTENT_LENGTH, HeaderValue::from(size));
    resp
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_types_are_safe() {
        let d = disposition("báo cáo \"1\".pdf");
        let d = d.to_str().unwrap();
        assert!(
            d.starts_with("attachment; filename=\"b_o_c_o__1_.pdf\""),
            "{d}"
        );
        assert!(
            d.contains("filename*=UTF-8''b%C3%A1o%20c%C3%A1o%20%221%22.pdf"),
            "{d}"
        );
        assert_eq!(served_type("text/html"), "application/octet-stream");
        assert_eq!(served_type("image/svg+xml"), "application/octet-stream");
        assert_eq!(served_type("APPLICATION/PDF"), "application/pdf");
        assert_eq!(served_type("text/calendar; charset=utf-8"), ICS);
    }
}
