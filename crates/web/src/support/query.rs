//! The query string, read once, with Vietnamese errors.

use crate::error::AppError;
use axum::extract::{FromRequestParts, Query};
use axum::http::request::Parts;
use std::collections::HashMap;

/// The query parameters of a request. A malformed query string is a 422 in
/// Vietnamese; an absent or blank parameter reads as `None`.
#[derive(Clone, Debug, Default)]
pub struct Params(pub HashMap<String, String>);

impl<S: Send + Sync> FromRequestParts<S> for Params {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        Query::<HashMap<String, String>>::from_request_parts(parts, state)
            .await
            .map(|Query(m)| Params(m))
            .map_err(|_| AppError::BadRequest("tham số trên địa chỉ trang không hợp lệ".into()))
    }
}

impl Params {
    /// The parameter, trimmed; absent or blank is `None`.
    pub fn text(&self, name: &str) -> Option<&str> {
        self.0.get(name).map(|s| s.trim()).filter(|s| !s.is_empty())
    }

    /// The first of several names that is given (an address kept working
    /// under an older name).
    pub fn text_any(&self, names: &[&str]) -> Option<&str> {
        names.iter().find_map(|n| self.text(n))
    }

    /// A whole number given as the parameter `name`; a value that is not
    /// one is refused, naming the parameter and what was sent.
    pub fn id(&self, name: &str) -> Result<Option<i64>, AppError> {
        match self.text(name) {
            None => Ok(None),
            Some(s) => s.parse().map(Some).map_err(|_| {
                AppError::BadRequest(format!("tham số «{name}» phải là một số (đã gửi «{s}»)"))
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blanks_are_absent_and_ids_are_numbers() {
        let p = Params(HashMap::from([
            ("a".to_string(), "  ".to_string()),
            ("so".to_string(), " 390-KH/TU ".to_string()),
            ("don-vi".to_string(), "12".to_string()),
            ("x".to_string(), "mười".to_string()),
        ]));
        assert_eq!(p.text("a"), None);
        assert_eq!(p.text_any(&["ke-hoach", "so"]), Some("390-KH/TU"));
        assert_eq!(p.id("don-vi").unwrap(), Some(12));
        assert_eq!(p.id("khong-co").unwrap(), None);
        let e = p.id("x").unwrap_err().to_string();
        assert!(e.contains("«x»") && e.contains("«mười»"), "{e}");
    }
}
