//! The dondoc service: server-rendered pages in Vietnamese and a JSON API
//! over the same handlers' logic, both behind the same permission checks.
//!
//! One module per concept (dashboard, plan, imports, units, calendar,
//! reports, assignments, audit, documents), each owning its routes, handlers
//! and templates; `error` maps every failure to HTTP in one place; `auth`
//! signs users in and guards every request; `access` says who may read or
//! change what.

pub mod access;
pub mod auth;
pub mod error;
pub mod input;
pub mod layout;
pub mod state;

mod assets;
mod assignments;
mod audit;
mod calendar;
mod dashboard;
mod documents;
mod imports;
pub mod openapi;
mod plan;
mod reports;
mod units;
mod url;

pub use state::{AppState, Clock};

use axum::Router;

/// The whole application.
pub fn router(state: AppState) -> Router {
    Router::new()
        .merge(assets::routes())
        .merge(openapi::routes())
        .merge(auth::routes())
        .merge(dashboard::routes())
        .merge(plan::routes())
        .merge(imports::routes())
        .merge(units::routes())
        .merge(assignments::routes())
        .merge(calendar::routes())
        .merge(reports::routes())
        .merge(audit::routes())
        .merge(documents::routes())
        .fallback(not_found)
        .with_state(state)
}

/// Any other address: the Vietnamese error page, or JSON under `/api/`.
async fn not_found(uri: axum::http::Uri) -> axum::response::Response {
    use axum::response::IntoResponse;
    let e = error::AppError::NotFound(format!("trang «{}»", uri.path()));
    if uri.path().starts_with("/api/") {
        error::ApiError(e).into_response()
    } else {
        e.into_response()
    }
}

/// The router as a service that knows each client's address (for login
/// throttling by address).
pub type MakeService =
    axum::extract::connect_info::IntoMakeServiceWithConnectInfo<Router, std::net::SocketAddr>;

/// Serves until `shutdown` completes; requests in flight are finished first.
pub async fn serve(
    listener: tokio::net::TcpListener,
    app: MakeService,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await
}
