//! `/api/openapi.json`: the JSON API described for other tools. The
//! document is kept by hand beside the handlers; a test checks that every
//! API route is in it with its methods, and nothing else.

use axum::Router;
use axum::http::header;
use axum::routing::get;

pub const DOCUMENT: &str = include_str!("../static/openapi.json");

pub fn routes<S: Clone + Send + Sync + 'static>() -> Router<S> {
    Router::new().route(
        "/api/openapi.json",
        get(|| async { ([(header::CONTENT_TYPE, "application/json")], DOCUMENT) }),
    )
}
