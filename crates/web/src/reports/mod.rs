//! Reports against the reporting regime: what a unit owes and its form
//! (figures, narrative, files), the owner's review, and the lists.
//!
//! Pages:
//! - `GET /bao-cao`: an officer's reports owed; for owners, leaders and
//!   administrators, the reports sent, filtered by regime, period, status
//!   (including the units that have not sent one) — `list`;
//! - `GET|POST /bao-cao/{reporting_id}/{period}/{unit_id}`: the form;
//!   `POST …/duyet`: accept or return — `form`;
//! - `POST …/tep`: upload a file; `GET …/tep/{id}`: download;
//!   `POST …/tep/{id}/xoa`: remove — `files`.
//!
//! The JSON API (`api`) does the same behind the same guards.

mod api;
mod files;
mod form;
mod list;

use crate::state::AppState;
use crate::support::forms::BODY_LIMIT;
use crate::support::upload::{Limits, UploadKind};
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use dondoc_store::reports::{self, MAX_ATTACHMENT, Period, Regime};
use jiff::civil::Date;
use std::collections::HashMap;

pub fn routes() -> Router<AppState> {
    let upload = DefaultBodyLimit::max(ReportUpload::LIMITS.body());
    Router::new()
        .route("/bao-cao", get(list::page))
        .route("/bao-cao/don-doc", post(list::urge))
        .route(
            "/bao-cao/{reporting_id}/{period}/{unit_id}",
            get(form::page).post(form::save).layer(upload),
        )
        .route(
            "/bao-cao/{reporting_id}/{period}/{unit_id}/duyet",
            post(form::review),
        )
        .route(
            "/bao-cao/{reporting_id}/{period}/{unit_id}/tep",
            post(files::upload).layer(upload),
        )
        .route(
            "/bao-cao/{reporting_id}/{period}/{unit_id}/tep/{attachment_id}",
            get(files::download),
        )
        .route(
            "/bao-cao/{reporting_id}/{period}/{unit_id}/tep/{attachment_id}/xoa",
            post(files::remove),
        )
        .merge(api::routes(upload))
}

/// A file sent with a report: at most 10 MB.
struct ReportUpload;

impl UploadKind for ReportUpload {
    const LIMITS: Limits = Limits {
        file: MAX_ATTACHMENT,
        text: BODY_LIMIT,
        file_what: "mỗi tệp đính kèm",
    };
}

/// Every period of every regime by (regime, key).
fn period_index(regimes: &[Regime], today: Date) -> HashMap<(i64, String), Period> {
    regimes
        .iter()
        .flat_map(|g| {
            reports::periods(g, today)
                .into_iter()
                .map(move |p| ((g.reporting_id, p.key.clone()), p))
        })
        .collect()
}
