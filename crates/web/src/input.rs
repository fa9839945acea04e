//! Request bodies, read with Vietnamese errors. axum's own extractors answer
//! bad input in English; these say what was wrong in Vietnamese and never
//! let a malformed body reach a handler.

use crate::error::{ApiError, AppError};
use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use serde::de::DeserializeOwned;

/// Largest form or JSON body accepted (files go through multipart).
pub const BODY_LIMIT: usize = 1 << 20;

pub(crate) fn field_message(e: &str) -> String {
    // serde's messages name the field: keep the name, say the rest in Vietnamese.
    let quoted = e
        .split('`')
        .nth(1)
        .map(|f| format!(" «{f}»"))
        .unwrap_or_default();
    if e.starts_with("missing field") {
        format!("thiếu trường{quoted}")
    } else if e.starts_with("unknown field") {
        format!("trường không được phép{quoted}")
    } else if e.contains("invalid digit")
        || e.contains("invalid type")
        || e.contains("invalid value")
    {
        format!("giá trị không đúng kiểu{quoted}")
    } else {
        "dữ liệu gửi lên không đúng định dạng".to_string()
    }
}

/// An `application/x-www-form-urlencoded` body (a page's form).
pub struct VnForm<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for VnForm<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, AppError> {
        let bytes = Bytes::from_request(req, state).await.map_err(|_| {
            AppError::BadRequest(
                "không đọc được biểu mẫu gửi lên (quá lớn hoặc bị ngắt giữa chừng)".into(),
            )
        })?;
        if bytes.len() > BODY_LIMIT {
            return Err(AppError::TooLarge("biểu mẫu quá lớn (tối đa 1 MB)".into()));
        }
        serde_urlencoded_from(&bytes)
            .map(VnForm)
            .map_err(|e| AppError::BadRequest(field_message(&e)))
    }
}

fn serde_urlencoded_from<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, String> {
    // axum's Form extractor on the raw bytes: same decoder, our message.
    let pairs: Vec<(String, String)> = url_pairs(bytes);
    let value = serde_json::Value::Object(pairs.into_iter().fold(
        serde_json::Map::new(),
        |mut m, (k, v)| {
            // A repeated key becomes a list (checkboxes, multi-selects).
            match m.remove(&k) {
                None => {
                    m.insert(k, serde_json::Value::String(v));
                }
                Some(serde_json::Value::Array(mut a)) => {
                    a.push(serde_json::Value::String(v));
                    m.insert(k, serde_json::Value::Array(a));
                }
                Some(prev) => {
                    m.insert(
                        k,
                        serde_json::Value::Array(vec![prev, serde_json::Value::String(v)]),
                    );
                }
            }
            m
        },
    ));
    serde_json::from_value(value).map_err(|e| e.to_string())
}

/// `a=1&b=x%20y` → pairs, percent- and plus-decoded as UTF-8.
fn url_pairs(bytes: &[u8]) -> Vec<(String, String)> {
    fn decode(s: &str) -> String {
        let bytes = s.as_bytes();
        let mut out = Vec::with_capacity(bytes.len());
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'+' => out.push(b' '),
                b'%' if i + 2 < bytes.len() => {
                    match u8::from_str_radix(
                        std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("zz"),
                        16,
                    ) {
                        Ok(b) => {
                            out.push(b);
                            i += 2;
                        }
                        Err(_) => out.push(b'%'),
                    }
                }
                b => out.push(b),
            }
            i += 1;
        }
        String::from_utf8_lossy(&out).into_owned()
    }
    String::from_utf8_lossy(bytes)
        .split('&')
        .filter(|kv| !kv.is_empty())
        .map(|kv| {
            let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
            (decode(k), decode(v))
        })
        .collect()
}

/// A JSON body (the API).
pub struct VnJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for VnJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let bytes = Bytes::from_request(req, state).await.map_err(|_| {
            ApiError(AppError::BadRequest(
                "không đọc được nội dung gửi lên (quá lớn hoặc bị ngắt giữa chừng)".into(),
            ))
        })?;
        if bytes.len() > BODY_LIMIT {
            return Err(ApiError(AppError::TooLarge(
                "nội dung JSON quá lớn (tối đa 1 MB)".into(),
            )));
        }
        serde_json::from_slice(&bytes).map(VnJson).map_err(|e| {
            let msg = match e.classify() {
                serde_json::error::Category::Data => field_message(&e.to_string()),
                _ => format!("JSON không hợp lệ ở dòng {}, cột {}", e.line(), e.column()),
            };
            ApiError(AppError::BadRequest(msg))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_decode_vietnamese_and_repeats() {
        let pairs = url_pairs("ten=Nguy%E1%BB%85n+V%C4%83n&x=1&x=2&bad=%zz".as_bytes());
        assert_eq!(pairs[0], ("ten".into(), "Nguyễn Văn".into()));
        assert_eq!(pairs[3], ("bad".into(), "%zz".into()));
        #[derive(serde::Deserialize)]
        struct F {
            x: Vec<String>,
        }
        let f: F = serde_urlencoded_from(b"x=1&x=2").unwrap();
        assert_eq!(f.x, ["1", "2"]);
    }
}
