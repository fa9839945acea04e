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

use crate::access;
use crate::assignments::disposition;
use crate::auth::{ApiUser, CurrentUser};
use crate::error::{ApiResult, AppError, PageResult};
use crate::reports::query_map;
use crate::state::AppState;
use axum::Router;
use axum::body::Body;
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use dondoc_export::error::ExportError;
use dondoc_export::{charts, ics, pdf, synthesis, tracking};
use dondoc_store::{documents, reminders};
use std::collections::HashMap;
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

const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const PDF: &str = "application/pdf";

/// One LibreOffice conversion at a time: each takes a core for seconds, and
/// a queue of them must not starve the pages.
static CONVERSIONS: Semaphore = Semaphore::const_new(1);

/// Whether the server can make PDFs (LibreOffice installed).
pub(crate) fn pdf_available() -> bool {
    pdf::office().is_some()
}

/// A query parameter, trimmed; absent or blank is `None`.
fn param<'a>(q: &'a HashMap<String, String>, name: &str) -> Option<&'a str> {
    q.get(name).map(|s| s.trim()).filter(|s| !s.is_empty())
}

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

/// A file to save, never shown in the page.
fn download(bytes: Vec<u8>, kind: &'static str, name: &str) -> Response {
    let mut headers = HeaderMap::new();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
    headers.insert(header::CONTENT_DISPOSITION, disposition(name));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    (headers, Body::from(bytes)).into_response()
}

/// The plan asked for (or the only one), once the user may have its
/// whole-plan documents; its number.
async fn exportable_plan(
    state: &AppState,
    user: &CurrentUser,
    asked: Option<&str>,
) -> Result<String, AppError> {
    let (number, issuer) = {
        let mut conn = state.store.conn().await?;
        documents::plan_issuer(&mut conn, asked).await?
    };
    access::export_plan(state, user, &issuer).await?;
    Ok(number)
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

async fn synthesis_file(
    state: &AppState,
    user: &CurrentUser,
    q: &HashMap<String, String>,
) -> Result<Response, AppError> {
    let number = exportable_plan(state, user, param(q, "so")).await?;
    let format = format_of(param(q, "dang"))?;
    if format == Format::Pdf && !pdf_available() {
        return Err(export_error(ExportError::NoOffice));
    }
    let s = state
        .store
        .synthesis(Some(&number), param(q, "dot"), state.clock.today())
        .await?;
    let name = synthesis::file_name(&s);
    let docx = off_thread(move || synthesis::to_docx(&s))
        .await?
        .map_err(export_error)?;
    match format {
        Format::Docx => Ok(download(docx, DOCX, &name)),
        Format::Pdf => {
            let _turn = CONVERSIONS
                .acquire()
                .await
                .map_err(|e| AppError::Internal(e.to_string()))?;
            let bytes = off_thread(move || pdf::docx_to_pdf(&docx))
                .await?
                .map_err(export_error)?;
            let stem = name.strip_suffix(".docx").unwrap_or(&name);
            Ok(download(bytes, PDF, &format!("{stem}.pdf")))
        }
    }
}

async fn tracking_file(
    state: &AppState,
    user: &CurrentUser,
    q: &HashMap<String, String>,
) -> Result<Response, AppError> {
    let number = exportable_plan(state, user, param(q, "so")).await?;
    let t = state
        .store
        .tracking(Some(&number), state.clock.today())
        .await?;
    let name = tracking::file_name(&t);
    let bytes = off_thread(move || tracking::to_xlsx(&t))
        .await?
        .map_err(|e| AppError::Internal(format!("không tạo được tệp Excel (.xlsx): {e}")))?;
    Ok(download(bytes, XLSX, &name))
}

/// `/xuat/bao-cao-tong-hop?so=NUMBER&dot=PHASE&dang=docx|pdf`: the report
/// of one phase (`dot` as the plan names it, "Đợt I" or "I") or, without
/// `dot`, of the whole plan.
async fn synthesis_page(
    State(state): State<AppState>,
    user: CurrentUser,
    q: Result<Query<HashMap<String, String>>, QueryRejection>,
) -> PageResult<Response> {
    synthesis_file(&state, &user, &query_map(q)?).await
}

async fn tracking_page(
    State(state): State<AppState>,
    user: CurrentUser,
    q: Result<Query<HashMap<String, String>>, QueryRejection>,
) -> PageResult<Response> {
    tracking_file(&state, &user, &query_map(q)?).await
}

async fn synthesis_api(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    q: Result<Query<HashMap<String, String>>, QueryRejection>,
) -> ApiResult<Response> {
    Ok(synthesis_file(&state, &user, &query_map(q)?).await?)
}

async fn tracking_api(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    q: Result<Query<HashMap<String, String>>, QueryRejection>,
) -> ApiResult<Response> {
    Ok(tracking_file(&state, &user, &query_map(q)?).await?)
}

// ---- A unit's calendar feed -------------------------------------------------

/// Where a unit's feed is served.
pub(crate) fn feed_path(token: &str) -> String {
    format!("/lich/don-vi/{token}.ics")
}

/// The feed's full address, for pasting into a calendar program: from the
/// `Host` the request came to. Plain HTTP only on the machine itself (the
/// demo); anywhere else the service is meant to sit behind HTTPS, and a
/// secret must not travel in clear. Without a usable `Host`, the path.
pub(crate) fn feed_url(headers: &HeaderMap, token: &str) -> String {
    let path = feed_path(token);
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .map(str::trim)
        .filter(|h| {
            !h.is_empty()
                && h.len() <= 255
                && h.chars()
                    .all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c))
        });
    match host {
        Some(host) => {
            let name = host
                .strip_prefix('[')
                .and_then(|h| h.split(']').next())
                .unwrap_or_else(|| host.split(':').next().unwrap_or(host));
            let local = name == "localhost" || name == "::1" || name.starts_with("127.");
            let scheme = if local { "http" } else { "https" };
            format!("{scheme}://{host}{path}")
        }
        None => path,
    }
}

/// A token as `reminders::feed_token` makes them: 64 hex digits. Anything
/// else is not looked up.
fn is_token(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// `/lich/don-vi/TOKEN.ics`: the unit's deadlines and events, dated as
/// they stand today, for a calendar program to subscribe to.
async fn feed(
    State(state): State<AppState>,
    file: Result<Path<String>, PathRejection>,
) -> PageResult<Response> {
    let not_found = || AppError::NotFound("lịch này".into());
    let token = file
        .ok()
        .and_then(|Path(f)| f.strip_suffix(".ics").map(str::to_string))
        .filter(|t| is_token(t))
        .ok_or_else(not_found)?;
    let unit_id = {
        let mut conn = state.store.conn().await?;
        reminders::unit_by_feed_token(&mut conn, &token).await?
    }
    .ok_or_else(not_found)?;
    let feed = state
        .store
        .feed_by_unit_id(unit_id, state.clock.today())
        .await?;
    let unit = feed.name.strip_prefix("dondoc — ").unwrap_or(&feed.name);
    let name = ics::file_name(unit);
    let body = ics::to_ics(&feed, jiff::Timestamp::now());
    let mut headers = HeaderMap::new();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/calendar; charset=utf-8"),
    );
    headers.insert(header::CONTENT_DISPOSITION, disposition(&name));
    // Calendar programs poll: each poll gets the dates as they are now.
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-cache"),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    // The address is a secret: keep it out of search engines and referrers.
    headers.insert("x-robots-tag", HeaderValue::from_static("noindex"));
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    Ok((headers, body).into_response())
}

// ---- Charts -------------------------------------------------------------------

#[derive(Clone, Copy, PartialEq, Eq)]
enum Chart {
    Timeline,
    Rates,
    Figures,
}

const CHARTS: [Chart; 3] = [Chart::Timeline, Chart::Rates, Chart::Figures];

impl Chart {
    fn slug(self) -> &'static str {
        match self {
            Chart::Timeline => "tien-do",
            Chart::Rates => "ty-le-bao-cao",
            Chart::Figures => "so-lieu",
        }
    }

    fn from_file(file: &str) -> Option<Chart> {
        let slug = file.strip_suffix(".svg")?;
        CHARTS.into_iter().find(|c| c.slug() == slug)
    }

    fn title(self) -> &'static str {
        match self {
            Chart::Timeline => "Tiến độ theo các đợt",
            Chart::Rates => "Tỷ lệ gửi báo cáo theo cấp",
            Chart::Figures => "Số liệu kết quả theo đợt",
        }
    }

    fn caption(self) -> &'static str {
        match self {
            Chart::Timeline => {
                "Các đợt của kế hoạch trên trục thời gian; dấu hình thoi là ngày hết hạn nhiệm vụ (số trên dấu: số hạn trong ngày), đường đứt nét là hôm nay."
            }
            Chart::Rates => {
                "Phần trăm đơn vị đã gửi báo cáo trên số đơn vị phải gửi, theo từng cấp, qua các kỳ đã đến hạn."
            }
            Chart::Figures => {
                "Tổng các chỉ tiêu từ báo cáo đã nộp hoặc đã duyệt, mỗi đợt tính như báo cáo tổng hợp của đợt đó."
            }
        }
    }

    /// Built from every unit's reports (the timeline is the plan's own
    /// calendar, which everyone reads on the plan page).
    fn whole_plan(self) -> bool {
        self != Chart::Timeline
    }

    /// The chart drawn from the data as of today. The SVG escapes every
    /// text it holds (`dondoc_export::charts`), so a page may embed it.
    /// `version` is `Store::charts_version`, read once for all the charts
    /// of a page.
    async fn svg(self, state: &AppState, plan: &str, version: &str) -> Result<String, AppError> {
        let today = state.clock.today();
        let store = &state.store;
        let key = (self as u8, plan.to_string(), today);
        if let Some(svg) = state.charts.get(&key, version) {
            return Ok(svg.as_ref().clone());
        }
        let svg = match self {
            Chart::Timeline => charts::timeline_svg(&store.timeline(Some(plan), today).await?),
            Chart::Rates => charts::rates_svg(&store.rate_series(Some(plan), today).await?),
            Chart::Figures => charts::figures_svg(&store.figure_bars(Some(plan), today).await?),
        };
        state
            .charts
            .put(key, version.to_string(), std::sync::Arc::new(svg.clone()));
        Ok(svg)
    }
}

/// A chart as a page shows it.
pub(crate) struct ChartView {
    pub slug: &'static str,
    pub title: &'static str,
    pub caption: &'static str,
    pub svg: String,
    /// The chart alone, to open, link or print.
    pub href: String,
}

fn chart_href(chart: Chart, plan: &str) -> String {
    format!(
        "/bieu-do/{}.svg?so={}",
        chart.slug(),
        crate::url::percent_encode(plan)
    )
}

/// The overview's charts of a plan that this user may see, and whether
/// they may have the plan's whole-plan documents.
pub(crate) async fn overview_charts(
    state: &AppState,
    user: &CurrentUser,
    plan: &str,
) -> Result<(Vec<ChartView>, bool), AppError> {
    let (_, issuer) = {
        let mut conn = state.store.conn().await?;
        documents::plan_issuer(&mut conn, Some(plan)).await?
    };
    let whole = access::can_export_plan(state, user, &issuer).await?;
    let version = state.store.charts_version().await?;
    let v = version.as_str();
    // Each chart not in the cache reads in a transaction of its own: side by side.
    let drawn = if whole {
        let (t, r, f) = tokio::try_join!(
            Chart::Timeline.svg(state, plan, v),
            Chart::Rates.svg(state, plan, v),
            Chart::Figures.svg(state, plan, v),
        )?;
        vec![(Chart::Timeline, t), (Chart::Rates, r), (Chart::Figures, f)]
    } else {
        vec![(Chart::Timeline, Chart::Timeline.svg(state, plan, v).await?)]
    };
    let views = drawn
        .into_iter()
        .map(|(c, svg)| ChartView {
            slug: c.slug(),
            title: c.title(),
            caption: c.caption(),
            svg,
            href: chart_href(c, plan),
        })
        .collect();
    Ok((views, whole))
}

/// `/bieu-do/NAME.svg?so=NUMBER`: one chart alone (`tien-do`,
/// `ty-le-bao-cao`, `so-lieu`), under the same rules as on the overview.
async fn chart(
    State(state): State<AppState>,
    user: CurrentUser,
    file: Result<Path<String>, PathRejection>,
    q: Result<Query<HashMap<String, String>>, QueryRejection>,
) -> PageResult<Response> {
    let chart = file
        .ok()
        .and_then(|Path(f)| Chart::from_file(&f))
        .ok_or_else(|| AppError::NotFound("biểu đồ này".into()))?;
    let q = query_map(q)?;
    let plan = if chart.whole_plan() {
        exportable_plan(&state, &user, param(&q, "so")).await?
    } else {
        let mut conn = state.store.conn().await?;
        documents::plan_issuer(&mut conn, param(&q, "so")).await?.0
    };
    let version = state.store.charts_version().await?;
    let svg = chart.svg(&state, &plan, &version).await?;
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

    fn host(h: &str) -> HeaderMap {
        let mut m = HeaderMap::new();
        m.insert(header::HOST, HeaderValue::from_str(h).unwrap());
        m
    }

    #[test]
    fn feed_addresses_are_https_except_on_the_machine_itself() {
        let t = "ab".repeat(32);
        assert_eq!(
            feed_url(&host("dondoc.caobang.gov.vn"), &t),
            format!("https://dondoc.caobang.gov.vn/lich/don-vi/{t}.ics")
        );
        assert_eq!(
            feed_url(&host("127.0.0.1:8080"), &t),
            format!("http://127.0.0.1:8080/lich/don-vi/{t}.ics")
        );
        assert_eq!(
            feed_url(&host("[::1]:8080"), &t),
            format!("http://[::1]:8080/lich/don-vi/{t}.ics")
        );
        assert_eq!(
            feed_url(&host("evil.example/<x>"), &t),
            format!("/lich/don-vi/{t}.ics")
        );
        assert_eq!(
            feed_url(&HeaderMap::new(), &t),
            format!("/lich/don-vi/{t}.ics")
        );
    }

    #[test]
    fn only_tokens_are_looked_up() {
        assert!(is_token(&"0f".repeat(32)));
        assert!(!is_token("../../etc/passwd"));
        assert!(!is_token(&"0f".repeat(31)));
    }

    #[test]
    fn charts_are_named_in_their_address() {
        for c in CHARTS {
            assert!(Chart::from_file(&format!("{}.svg", c.slug())) == Some(c));
        }
        assert!(Chart::from_file("tien-do").is_none());
        assert_eq!(
            chart_href(Chart::Rates, "390-KH/TU"),
            "/bieu-do/ty-le-bao-cao.svg?so=390-KH%2FTU"
        );
    }
}
