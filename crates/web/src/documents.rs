//! Documents out: the synthesis report of a plan or of one phase (Word, or
//! PDF where LibreOffice is installed) and the tracking workbook (Excel),
//! downloaded from the plan page or the API; a unit's calendar as a private
//! iCalendar feed; the overview's charts as SVG.
//!
//! The report, the workbook and the rate and figure charts cover the whole
//! plan, so they follow `access::export_plan`. The calendar feed opens
//! without signing in, because calendar programs cannot sign in: the
//! unguessable token in its address is the permission, and the unit's page
//! says so to whoever may see it.

use crate::error::{ApiResult, AppError, PageResult};
use crate::guard::{ChosenPlan, ExportablePlan};
use crate::session::{Api, CurrentUser};
use crate::state::AppState;
use crate::support::download::{self, DOCX, Freshness, ICS, PDF, XLSX};
use crate::support::query::Params;
use crate::view::charts::Chart;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use dondoc_export::error::ExportError;
use dondoc_export::{ics, pdf, synthesis, tracking};
use dondoc_store::plans::PlanKey;
use tokio::sync::Semaphore;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/xuat/bao-cao-tong-hop", get(synthesis_page))
        .route("/xuat/theo-doi", get(tracking_page))
        .route("/api/exports/synthesis", get(synthesis_api))
        .route("/api/exports/tracking", get(tracking_api))
        // The token and its `.ics` are one path segment: the router takes
        // no suffix after a parameter, so the handler strips it.
        .route("/lich/don-vi/{file}", get(feed))
        .route("/bieu-do/{file}", get(chart))
}

/// One LibreOffice conversion at a time: each takes a core for seconds, and
/// a queue of them must not starve the pages.
static CONVERSIONS: Semaphore = Semaphore::const_new(1);

/// CPU-bound work (laying out a document, running LibreOffice) off the
/// request threads.
async fn off_thread<T: Send + 'static>(
    f: impl FnOnce() -> T + Send + 'static,
) -> Result<T, AppError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| AppError::Internal(e.to_string()))
}

fn export_error(e: ExportError) -> AppError {
    match e {
        // The person asked for what this server cannot make: they can act on it.
        ExportError::NoOffice => AppError::BadRequest(e.to_string()),
        e => AppError::Internal(e.to_string()),
    }
}

/// A document made for this request, to save.
fn document(bytes: Vec<u8>, kind: &'static str, name: &str) -> Response {
    download::file(bytes, kind, name, Freshness::NoStore)
}

// ---- The synthesis report and the tracking workbook -----------------------

#[derive(Clone, Copy, PartialEq, Eq)]
enum Format {
    Docx,
    Pdf,
}

fn format_of(asked: Option<&str>) -> Result<Format, AppError> {
    match asked {
        None | Some("docx") => Ok(Format::Docx),
        Some("pdf") => Ok(Format::Pdf),
        Some(other) => Err(AppError::BadRequest(format!(
            "không có định dạng «{other}»: chọn «docx» (Word) hoặc «pdf»"
        ))),
    }
}

async fn synthesis_file(state: &AppState, plan: i64, q: &Params) -> Result<Response, AppError> {
    let format = format_of(q.text("dang"))?;
    if format == Format::Pdf && pdf::office().is_none() {
        return Err(export_error(ExportError::NoOffice));
    }
    let s = state
        .store
        .synthesis(Some(&PlanKey::Id(plan)), q.text("dot"), state.clock.today())
        .await?;
    let name = synthesis::file_name(&s);
    let docx = off_thread(move || synthesis::to_docx(&s))
        .await?
        .map_err(export_error)?;
    match format {
        Format::Docx => Ok(document(docx, DOCX, &name)),
        Format::Pdf => {
            let _turn = CONVERSIONS
                .acquire()
                .await
                .map_err(|e| AppError::Internal(e.to_string()))?;
            let bytes = off_thread(move || pdf::docx_to_pdf(&docx))
                .await?
                .map_err(export_error)?;
            let stem = name.strip_suffix(".docx").unwrap_or(&name);
            Ok(document(bytes, PDF, &format!("{stem}.pdf")))
        }
    }
}

async fn tracking_file(state: &AppState, plan: i64) -> Result<Response, AppError> {
    let t = state
        .store
        .tracking(Some(&PlanKey::Id(plan)), state.clock.today())
        .await?;
    let name = tracking::file_name(&t);
    let bytes = off_thread(move || tracking::to_xlsx(&t))
        .await?
        .map_err(|e| AppError::Internal(format!("không tạo được tệp Excel (.xlsx): {e}")))?;
    Ok(document(bytes, XLSX, &name))
}

/// `/xuat/bao-cao-tong-hop?ke-hoach=ID&dot=PHASE&dang=docx|pdf`: the report
/// of one phase (`dot` as the plan names it, "Đợt I" or "I") or, without
/// `dot`, of the whole plan.
async fn synthesis_page(
    State(state): State<AppState>,
    ExportablePlan(plan): ExportablePlan,
    q: Params,
) -> PageResult<Response> {
    synthesis_file(&state, plan.plan_id, &q).await
}

async fn tracking_page(
    State(state): State<AppState>,
    ExportablePlan(plan): ExportablePlan,
) -> PageResult<Response> {
    tracking_file(&state, plan.plan_id).await
}

async fn synthesis_api(
    State(state): State<AppState>,
    Api(ExportablePlan(plan)): Api<ExportablePlan>,
    Api(q): Api<Params>,
) -> ApiResult<Response> {
    Ok(synthesis_file(&state, plan.plan_id, &q).await?)
}

async fn tracking_api(
    State(state): State<AppState>,
    Api(ExportablePlan(plan)): Api<ExportablePlan>,
) -> ApiResult<Response> {
    Ok(tracking_file(&state, plan.plan_id).await?)
}

// ---- A unit's calendar feed -------------------------------------------------

/// A token as `reminders::feed_token` makes them: 64 hex digits. Anything
/// else is not looked up.
fn is_token(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// `/lich/don-vi/TOKEN.ics`: the unit's deadlines and events, dated as
/// they stand today, for a calendar program to subscribe to.
async fn feed(State(state): State<AppState>, Path(file): Path<String>) -> PageResult<Response> {
    let not_found = || AppError::NotFound("lịch này".into());
    let token = file
        .strip_suffix(".ics")
        .filter(|t| is_token(t))
        .ok_or_else(not_found)?;
    let unit_id = state
        .store
        .unit_by_feed_token(token)
        .await?
        .ok_or_else(not_found)?;
    let feed = state
        .store
        .feed_by_unit_id(unit_id, state.clock.today())
        .await?;
    let unit = feed.name.strip_prefix("dondoc — ").unwrap_or(&feed.name);
    let name = ics::file_name(unit);
    let body = ics::to_ics(&feed, jiff::Timestamp::now());
    // Calendar programs poll: each poll gets the dates as they are now.
    let mut resp = download::file(body, ICS, &name, Freshness::Revalidate);
    let headers = resp.headers_mut();
    // The address is a secret: keep it out of search engines and referrers.
    headers.insert("x-robots-tag", HeaderValue::from_static("noindex"));
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    Ok(resp)
}

/// `/bieu-do/NAME.svg?ke-hoach=ID`: one chart alone (`tien-do`,
/// `ty-le-bao-cao`, `so-lieu`), under the same rules as on the overview.
async fn chart(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(file): Path<String>,
    chosen: ChosenPlan,
) -> PageResult<Response> {
    let chart = Chart::from_file(&file).ok_or_else(|| AppError::NotFound("biểu đồ này".into()))?;
    let plan = chosen.required()?;
    if chart.whole_plan() {
        crate::access::export_plan(&state, &user, &plan.issuer).await?;
    }
    let version = state.store.charts_version().await?;
    let svg = chart.svg(&state, plan.plan_id, &version).await?;
    let mut headers = HeaderMap::new();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("image/svg+xml; charset=utf-8"),
    );
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-cache"),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    // Opened on its own, an SVG is a document: it may style itself, and
    // nothing else.
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; style-src 'unsafe-inline'"),
    );
    Ok((headers, svg).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_tokens_are_looked_up() {
        assert!(is_token(&"0f".repeat(32)));
        assert!(!is_token("../../etc/passwd"));
        assert!(!is_token(&"0f".repeat(31)));
    }

    use crate::view::charts::{CHARTS, chart_href};

    #[test]
    fn charts_are_named_in_their_address() {
        for c in CHARTS {
            assert!(Chart::from_file(&format!("{}.svg", c.slug())) == Some(c));
        }
        assert!(Chart::from_file("tien-do").is_none());
        assert_eq!(
            chart_href(Chart::Rates, 3),
            "/bieu-do/ty-le-bao-cao.svg?ke-hoach=3"
        );
    }
}
