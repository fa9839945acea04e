//! Headers every answer carries unless its handler chose its own: pages
//! are not framed, not sniffed, not kept by shared caches, and run no
//! script but the service's own file.

use axum::extract::Request;
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;

/// Only the service's own script and styles; inline styles are allowed for
/// the charts drawn into the pages (SVG with `style`) and the rate bars.
const PAGE_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
     img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; \
     frame-ancestors 'none'";

pub async fn secure(req: Request, next: Next) -> Response {
    let mut resp = next.run(req).await;
    let is_html = resp
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    let h = resp.headers_mut();
    let mut set = |name: header::HeaderName, value: &'static str| {
        if !h.contains_key(&name) {
            h.insert(name, HeaderValue::from_static(value));
        }
    };
    set(header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(header::X_FRAME_OPTIONS, "DENY");
    set(header::REFERRER_POLICY, "same-origin");
    if is_html {
        set(header::CONTENT_SECURITY_POLICY, PAGE_POLICY);
        // A page shows one person's view of the plan: no cache keeps it.
        set(header::CACHE_CONTROL, "no-store");
    }
    resp
}
