//! The dondoc service: server-rendered pages in Vietnamese and a JSON API
//! over the same handlers' logic, both behind the same guards.
//!
//! Layers, each importing only those below it:
//!
//! - pages and their API, one module per concept (`dashboard`, `plan`,
//!   `imports`, `units`, `assignments`, `calendar`, `reports`, `audit`,
//!   `documents`, `my_work`, `sign_in`), each owning its routes, handlers and
//!   templates; a page module imports no other page module;
//! - `view`: what several pages show the same way;
//! - `guard`: the way into a request that names a resource — load it, ask
//!   `access`, hand the handler what it may use;
//! - `support`: request plumbing (ids, queries, bodies with their CSRF
//!   token, uploads, downloads, addresses); `layout`: every page's frame;
//! - `access`, the rule book of who may do what; `session`, who is asking;
//!   `error`, every failure mapped to HTTP in one place; `state`.

pub mod access;
pub mod error;
pub mod layout;
pub mod passwords;
pub mod session;
pub mod state;

mod assets;
mod assignments;
mod audit;
mod calendar;
mod dashboard;
mod documents;
mod guard;
mod help;
mod imports;
mod my_work;
pub mod openapi;
mod plan;
mod quota;
mod reports;
mod sign_in;
mod support;
mod throttle;
mod units;
mod view;

pub use state::{AppState, Clock};

use axum::Router;
use axum::middleware::from_fn_with_state;

/// The whole application.
pub fn router(state: AppState) -> Router {
    Router::new()
        .merge(assets::routes())
        .merge(openapi::routes())
        .merge(sign_in::routes())
        .merge(dashboard::routes())
        .merge(my_work::routes())
        .merge(plan::routes())
        .merge(imports::routes())
        .merge(units::routes())
        .merge(assignments::routes())
        .merge(calendar::routes())
        .merge(reports::routes())
        .merge(audit::routes())
        .merge(help::routes())
        .merge(quota::routes())
        .merge(documents::routes())
        .fallback(not_found)
        .layer(from_fn_with_state(state.clone(), guard::remember_plan))
        .layer(from_fn_with_state(state.clone(), support::csrf::api_writes))
        .layer(axum::middleware::from_fn(sign_in::return_after_sign_in))
        .layer(axum::middleware::from_fn(support::headers::secure))
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
