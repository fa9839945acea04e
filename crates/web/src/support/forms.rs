//! Request bodies, read with Vietnamese errors. axum's own extractors answer
//! bad input in English; these say what was wrong in Vietnamese and never
//! let a malformed body reach a handler. A page's form that changes
//! anything is read with its CSRF token checked (`support::csrf`).

use crate::error::{ApiError, AppError};
use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use jiff::civil::Date;
use serde::de::DeserializeOwned;

/// Largest form or JSON body accepted (files go through multipart).
pub const BODY_LIMIT: usize = 1 << 20;

pub fn field_message(e: &str) -> String {
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

/// A form body's bytes, bounded, with Vietnamese errors.
pub async fn form_bytes<S: Send + Sync>(req: Request, state: &S) -> Result<Bytes, AppError> {
    let bytes = Bytes::from_request(req, state).await.map_err(|_| {
        AppError::BadRequest(
            "không đọc được biểu mẫu gửi lên (quá lớn hoặc bị ngắt giữa chừng)".into(),
        )
    })?;
    if bytes.len() > BODY_LIMIT {
        return Err(AppError::TooLarge("biểu mẫu quá lớn (tối đa 1 MB)".into()));
    }
    Ok(bytes)
}

/// A form's fields as a JSON object (a repeated key becomes a list).
pub fn form_value(bytes: &[u8]) -> serde_json::Value {
    let pairs: Vec<(String, String)> = url_pairs(bytes);
    serde_json::Value::Object(
        pairs
            .into_iter()
            .fold(serde_json::Map::new(), |mut m, (k, v)| {
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
            }),
    )
}

/// The form's fields as `T`, or what is wrong with them in Vietnamese.
pub fn from_form_value<T: DeserializeOwned>(value: serde_json::Value) -> Result<T, AppError> {
    serde_json::from_value(value).map_err(|e| AppError::BadRequest(field_message(&e.to_string())))
}

#[cfg(test)]
fn serde_urlencoded_from<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, String> {
    serde_json::from_value(form_value(bytes)).map_err(|e| e.to_string())
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

/// A day typed in a form (`dondoc_core::text::parse_day`); blank is no
/// day.
pub fn parse_optional_day(s: &str) -> Result<Option<Date>, String> {
    if s.trim().is_empty() {
        Ok(None)
    } else {
        dondoc_core::text::parse_day(s).map(Some)
    }
}

/// A JSON body (the API). The body must say it is JSON: a browser sends
/// `application/json` across sites only after asking the server, which a
/// plain cross-site form (`text/plain`) never does, so no other site can
/// post JSON in a user's name (sign-in included).
pub struct VnJson<T>(pub T);

fn says_json(req: &Request) -> bool {
    req.headers()
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|v| {
            let v = v.trim();
            v.eq_ignore_ascii_case("application/json")
                || (v.starts_with("application/") && v.ends_with("+json"))
        })
}

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for VnJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        if !says_json(&req) {
            return Err(ApiError(AppError::BadRequest(
                "nội dung gửi lên phải là JSON (Content-Type: application/json)".into(),
            )));
        }
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
    use jiff::civil::date;

    #[test]
    fn days_in_both_spellings() {
        assert_eq!(parse_optional_day("2025-02-05"), Ok(Some(date(2025, 2, 5))));
        assert_eq!(
            parse_optional_day(" 05/02/2025 "),
            Ok(Some(date(2025, 2, 5)))
        );
        assert_eq!(parse_optional_day("5/2/2025"), Ok(Some(date(2025, 2, 5))));
        assert_eq!(parse_optional_day(""), Ok(None));
        let e = parse_optional_day("31/02/2025").unwrap_err();
        assert!(e.contains("31/02/2025") && e.contains("không có"), "{e}");
        assert!(
            parse_optional_day("hôm qua")
                .unwrap_err()
                .contains("«hôm qua»")
        );
        assert!(parse_optional_day("1/1/25").is_err());
        assert!(parse_optional_day("+1/1/2025").is_err());
    }

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
