//! Reports against the reporting regime: what a unit owes and its form
//! (figures, narrative, files), the owner's review, and the lists.
//!
//! Pages:
//! - `GET /bao-cao`: an officer's reports owed; for owners, leaders and
//!   administrators, the reports sent, filtered by regime, period, status
//!   (including the units that have not sent one);
//! - `GET|POST /bao-cao/{reporting_id}/{period}/{unit_id}`: the form;
//! - `POST …/duyet`: accept or return; `POST …/tep`: upload a file;
//!   `GET …/tep/{id}`: download; `POST …/tep/{id}/xoa`: remove.
//!
//! The JSON API (`api`) does the same behind the same checks.

mod api;
pub(crate) mod files;

use crate::access;
use crate::auth::CurrentUser;
use crate::error::{AppError, PageResult};
use crate::input::VnForm;
use crate::layout::{Layout, vn_number, vn_text};
use crate::state::AppState;
use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::multipart::MultipartRejection;
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{DefaultBodyLimit, Multipart, Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use dondoc_store::reports::{
    self, Actor, Attachment, ListFilter, Period, Regime, Report, ReportKey, Status, Submission,
    Target,
};
use dondoc_store::users::Role;
use dondoc_store::{AnyConnection, StoreError, Transaction, plans};
use jiff::civil::Date;
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};

pub fn routes() -> Router<AppState> {
    let upload = DefaultBodyLimit::max(files::UPLOAD_BODY_LIMIT);
    Router::new()
        .route("/bao-cao", get(list_page))
        .route(
            "/bao-cao/{reporting_id}/{period}/{unit_id}",
            get(form_page).post(save_form),
        )
        .route(
            "/bao-cao/{reporting_id}/{period}/{unit_id}/duyet",
            post(review_form),
        )
        .route(
            "/bao-cao/{reporting_id}/{period}/{unit_id}/tep",
            post(upload_form).layer(upload),
        )
        .route(
            "/bao-cao/{reporting_id}/{period}/{unit_id}/tep/{attachment_id}",
            get(download_page),
        )
        .route(
            "/bao-cao/{reporting_id}/{period}/{unit_id}/tep/{attachment_id}/xoa",
            post(delete_form),
        )
        .merge(api::routes())
}

// ---------------------------------------------------------------------------
// Shared with the API and the dashboard

/// A report's address from the path; anything unreadable is "not found".
pub(crate) fn parse_key(rid: &str, period: &str, unit: &str) -> Result<ReportKey, AppError> {
    let bad = || AppError::NotFound("báo cáo này (địa chỉ không đúng)".into());
    Ok(ReportKey {
        reporting_id: rid.parse().map_err(|_| bad())?,
        period: period.to_string(),
        unit_id: unit.parse().map_err(|_| bad())?,
    })
}

type KeyPath = Result<Path<(String, String, String)>, PathRejection>;
type FilePath = Result<Path<(String, String, String, String)>, PathRejection>;

fn key_of(path: KeyPath) -> Result<ReportKey, AppError> {
    let Path((r, p, u)) = path.map_err(|_| AppError::NotFound("báo cáo này".into()))?;
    parse_key(&r, &p, &u)
}

fn file_key_of(path: FilePath) -> Result<(ReportKey, i64), AppError> {
    let Path((r, p, u, a)) = path.map_err(|_| AppError::NotFound("tệp này".into()))?;
    let id = a
        .parse()
        .map_err(|_| AppError::NotFound("tệp này".into()))?;
    Ok((parse_key(&r, &p, &u)?, id))
}

/// The regime, period and unit of a report; a part that does not exist is
/// "not found" (with the store's words for which part).
pub(crate) async fn load_target(
    conn: &mut AnyConnection,
    key: &ReportKey,
    today: Date,
) -> Result<Target, AppError> {
    reports::target(conn, key, today)
        .await
        .map_err(|e| match e {
            StoreError::Invalid(m) => AppError::NotFound(format!("báo cáo này: {m}")),
            other => other.into(),
        })
}

pub(crate) fn actor(user: &CurrentUser) -> Actor<'_> {
    Actor {
        user_id: user.user.user_id,
        username: &user.user.username,
    }
}

pub(crate) async fn begin(state: &AppState) -> Result<Transaction, AppError> {
    Ok(state.store.begin().await?)
}

/// The plan a list or the dashboard is about: the one named, or the only one.
pub(crate) async fn choose_plan(
    conn: &mut AnyConnection,
    number: Option<&str>,
) -> Result<(i64, String), AppError> {
    Ok(plans::choose(conn, number).await?)
}

/// A query string read with a Vietnamese error.
pub(crate) fn query_map(
    q: Result<Query<HashMap<String, String>>, QueryRejection>,
) -> Result<HashMap<String, String>, AppError> {
    q.map(|Query(m)| m)
        .map_err(|_| AppError::BadRequest("tham số trên địa chỉ trang không hợp lệ".into()))
}

/// An id given in the query string (absent or empty: `None`).
pub(crate) fn id_param(q: &HashMap<String, String>, name: &str) -> Result<Option<i64>, AppError> {
    match q.get(name).map(|s| s.trim()).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => s.parse().map(Some).map_err(|_| {
            AppError::BadRequest(format!("tham số «{name}» phải là một số (đã gửi «{s}»)"))
        }),
    }
}

/// A status mark shown beside a report.
pub(crate) struct Badge {
    pub class: &'static str,
    pub text: &'static str,
}

/// The marks of a report: where it stands, and whether it came in time.
pub(crate) fn badges(
    status: Option<Status>,
    first_on: Option<&str>,
    period: &Period,
    today: Date,
) -> Vec<Badge> {
    let mut out = Vec::new();
    match status {
        None => out.push(Badge {
            class: "wait",
            text: "chưa nộp",
        }),
        Some(Status::Draft) => out.push(Badge {
            class: "wait",
            text: "nháp",
        }),
        Some(Status::Submitted) => out.push(Badge {
            class: "ok",
            text: "đã nộp",
        }),
        Some(Status::Accepted) => out.push(Badge {
            class: "ok",
            text: "đã duyệt",
        }),
        Some(Status::Returned) => out.push(Badge {
            class: "warn",
            text: "bị trả lại",
        }),
    }
    match first_on {
        // Timeliness is the first submission's, whatever happened after.
        Some(day) if period.is_late(day) => out.push(Badge {
            class: "late",
            text: "nộp muộn",
        }),
        Some(_) => out.push(Badge {
            class: "ok",
            text: "đúng hạn",
        }),
        None if period.overdue_on(today) => out.push(Badge {
            class: "late",
            text: "quá hạn",
        }),
        None => {}
    }
    out
}

/// A period's due day in words.
pub(crate) fn due_text(period: &Period) -> String {
    if !period.open {
        return period.due.waiting_text();
    }
    match period.due_to() {
        Some(to) => vn_text(to),
        None => "không định hạn".to_string(),
    }
}

fn form_url(key: &ReportKey) -> String {
    format!(
        "/bao-cao/{}/{}/{}",
        key.reporting_id, key.period, key.unit_id
    )
}

// ---------------------------------------------------------------------------
// The list page

/// The status filter of the list, in the page's words.
#[derive(Clone, Copy, PartialEq, Eq)]
enum StatusFilter {
    Waiting,
    Accepted,
    Returned,
    Missing,
    All,
}

const STATUS_FILTERS: &[(StatusFilter, &str, &str)] = &[
    (StatusFilter::Waiting, "cho-duyet", "Chờ duyệt (đã nộp)"),
    (StatusFilter::Accepted, "da-duyet", "Đã duyệt"),
    (StatusFilter::Returned, "tra-lai", "Bị trả lại"),
    (StatusFilter::Missing, "chua-nop", "Chưa nộp"),
    (StatusFilter::All, "tat-ca", "Tất cả đã gửi"),
];

impl StatusFilter {
    fn parse(s: &str) -> Option<StatusFilter> {
        STATUS_FILTERS
            .iter()
            .find(|(_, code, _)| *code == s)
            .map(|(f, _, _)| *f)
    }

    fn status(self) -> Option<Status> {
        match self {
            StatusFilter::Waiting => Some(Status::Submitted),
            StatusFilter::Accepted => Some(Status::Accepted),
            StatusFilter::Returned => Some(Status::Returned),
            StatusFilter::Missing | StatusFilter::All => None,
        }
    }
}

struct OptionView {
    value: String,
    label: String,
    selected: bool,
}

/// One line of a list of reports.
struct ReportLine {
    unit_name: String,
    regime: String,
    period_label: String,
    due: String,
    first_on: String,
    badges: Vec<Badge>,
    href: String,
    link_text: &'static str,
}

#[derive(Template, WebTemplate)]
#[template(path = "reports.html")]
struct ListPage {
    layout: Layout,
    plan_number: String,
    /// An officer's own unit's reports.
    owed: Option<Vec<ReportLine>>,
    owed_unit: String,
    /// Everyone else's view: the filters and the list.
    show_list: bool,
    regime_options: Vec<OptionView>,
    period_options: Vec<OptionView>,
    status_options: Vec<OptionView>,
    lines: Vec<ReportLine>,
    missing_mode: bool,
    missing_hint: Option<String>,
    truncated: bool,
}

const LIST_LIMIT: i64 = 500;

async fn list_page(
    State(state): State<AppState>,
    user: CurrentUser,
    q: Result<Query<HashMap<String, String>>, QueryRejection>,
) -> PageResult<Response> {
    let q = query_map(q)?;
    let today = state.clock.today();
    let mut conn = state.store.conn().await?;
    let (plan_id, plan_number) =
        choose_plan(&mut conn, q.get("ke-hoach").map(String::as_str)).await?;
    let regimes = reports::regimes(&mut conn, plan_id).await?;
    let is_officer = user.user.role == Role::Officer;
    let owed = if is_officer {
        Some(owed_lines(&mut conn, &regimes, user.user.unit_id, today).await?)
    } else {
        None
    };
    let mut page = ListPage {
        layout: Layout::new(&state, &user, "Báo cáo", "/bao-cao"),
        plan_number,
        owed,
        owed_unit: user.user.unit_name.clone(),
        show_list: !is_officer,
        regime_options: Vec::new(),
        period_options: Vec::new(),
        status_options: Vec::new(),
        lines: Vec::new(),
        missing_mode: false,
        missing_hint: None,
        truncated: false,
    };
    if page.show_list {
        fill_list(&state, &user, &mut conn, &q, &regimes, plan_id, &mut page).await?;
    }
    Ok(page.into_response())
}

async fn owed_lines(
    conn: &mut AnyConnection,
    regimes: &[Regime],
    unit_id: i64,
    today: Date,
) -> Result<Vec<ReportLine>, AppError> {
    Ok(reports::owed(conn, regimes, unit_id, today)
        .await?
        .into_iter()
        .map(|o| {
            let key = ReportKey {
                reporting_id: o.reporting_id,
                period: o.period.key.clone(),
                unit_id,
            };
            let editable =
                o.period.open && !matches!(o.status, Some(Status::Submitted | Status::Accepted));
            // A phase report has one period, named like the regime.
            let period_label = if o.period.label == o.regime {
                "—".to_string()
            } else {
                o.period.label.clone()
            };
            ReportLine {
                unit_name: String::new(),
                regime: o.regime,
                period_label,
                due: due_text(&o.period),
                first_on: o
                    .first_submitted_on
                    .as_deref()
                    .map(vn_text)
                    .unwrap_or_default(),
                badges: badges(o.status, o.first_submitted_on.as_deref(), &o.period, today),
                href: if o.period.open {
                    form_url(&key)
                } else {
                    String::new()
                },
                link_text: if editable { "Nhập báo cáo" } else { "Xem" },
            }
        })
        .collect())
}

/// The filters and the list for owners, leaders and administrators.
async fn fill_list(
    state: &AppState,
    user: &CurrentUser,
    conn: &mut AnyConnection,
    q: &HashMap<String, String>,
    regimes: &[Regime],
    plan_id: i64,
    page: &mut ListPage,
) -> Result<(), AppError> {
    let today = state.clock.today();
    let reporting_id =
        id_param(q, "che-do")?.filter(|id| regimes.iter().any(|g| g.reporting_id == *id));
    let period = q
        .get("ky")
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty());
    // The owner's work is the reports waiting for review; others read all.
    let default = if access::manage_plan(user).is_ok() {
        StatusFilter::Waiting
    } else {
        StatusFilter::All
    };
    let filter = q
        .get("trang-thai")
        .and_then(|s| StatusFilter::parse(s))
        .unwrap_or(default);
    let within = scope_of(state, user, id_param(q, "don-vi")?).await?;

    let chosen: Vec<&Regime> = regimes
        .iter()
        .filter(|g| reporting_id.is_none_or(|id| g.reporting_id == id))
        .collect();
    let periods_by_key = period_index(regimes, today);
    page.regime_options = std::iter::once(OptionView {
        value: String::new(),
        label: "Tất cả".into(),
        selected: reporting_id.is_none(),
    })
    .chain(regimes.iter().map(|g| OptionView {
        value: g.reporting_id.to_string(),
        label: g.name.clone(),
        selected: reporting_id == Some(g.reporting_id),
    }))
    .collect();
    page.period_options = period_options(&chosen, today, period.as_deref());
    page.status_options = STATUS_FILTERS
        .iter()
        .map(|(f, code, label)| OptionView {
            value: code.to_string(),
            label: label.to_string(),
            selected: *f == filter,
        })
        .collect();

    if filter == StatusFilter::Missing {
        page.missing_mode = true;
        let target = match (chosen.as_slice(), &period) {
            ([g], Some(p)) if reporting_id.is_some() => {
                reports::find_period(g, p, today).map(|p| (*g, p))
            }
            _ => None,
        };
        let Some((regime, period)) = target else {
            page.missing_hint =
                Some("Chọn một chế độ báo cáo và một kỳ để xem các đơn vị chưa nộp.".into());
            return Ok(());
        };
        for (unit_id, name) in reports::missing(conn, regime, &period, within).await? {
            let key = ReportKey {
                reporting_id: regime.reporting_id,
                period: period.key.clone(),
                unit_id,
            };
            page.lines.push(ReportLine {
                unit_name: name,
                regime: regime.name.clone(),
                period_label: period.label.clone(),
                due: due_text(&period),
                first_on: String::new(),
                badges: badges(None, None, &period, today),
                href: form_url(&key),
                link_text: "Xem",
            });
        }
        return Ok(());
    }

    let rows = reports::list(
        conn,
        plan_id,
        &ListFilter {
            reporting_id,
            period,
            status: filter.status(),
            within,
            limit: LIST_LIMIT,
        },
    )
    .await?;
    page.truncated = rows.len() as i64 >= LIST_LIMIT;
    let reviewer = access::manage_plan(user).is_ok();
    for r in rows {
        let Some(period) = periods_by_key.get(&(r.reporting_id, r.period.clone())) else {
            continue;
        };
        let key = ReportKey {
            reporting_id: r.reporting_id,
            period: r.period.clone(),
            unit_id: r.unit_id,
        };
        page.lines.push(ReportLine {
            unit_name: r.unit_name,
            regime: r.regime,
            period_label: period.label.clone(),
            due: due_text(period),
            first_on: r
                .first_submitted_on
                .as_deref()
                .map(vn_text)
                .unwrap_or_default(),
            badges: badges(
                Some(r.status),
                r.first_submitted_on.as_deref(),
                period,
                today,
            ),
            href: form_url(&key),
            link_text: if reviewer && r.status == Status::Submitted {
                "Xem và duyệt"
            } else {
                "Xem"
            },
        });
    }
    Ok(())
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

/// The period choices of the chosen regimes, each key once, newest months
/// first (the ones people look for).
fn period_options(chosen: &[&Regime], today: Date, selected: Option<&str>) -> Vec<OptionView> {
    let mut seen: Vec<(String, String)> = Vec::new();
    for g in chosen {
        for p in reports::periods(g, today) {
            if !seen.iter().any(|(k, _)| *k == p.key) {
                let label = if p.key == reports::SINGLE_PERIOD && chosen.len() > 1 {
                    "Báo cáo đợt (một kỳ)".to_string()
                } else {
                    p.label.clone()
                };
                seen.push((p.key.clone(), label));
            }
        }
    }
    seen.sort_by(|a, b| b.0.cmp(&a.0));
    std::iter::once(OptionView {
        value: String::new(),
        label: "Tất cả".into(),
        selected: selected.is_none(),
    })
    .chain(seen.into_iter().map(|(k, label)| OptionView {
        selected: selected == Some(k.as_str()),
        value: k,
        label,
    }))
    .collect()
}

/// The part of the unit tree a list or overview covers: the unit asked for
/// (if the user may read it), else the user's own subtree; `None` = all.
pub(crate) async fn scope_of(
    state: &AppState,
    user: &CurrentUser,
    asked: Option<i64>,
) -> Result<Option<i64>, AppError> {
    match asked {
        Some(unit) => {
            let mut conn = state.store.conn().await?;
            if reports::unit(&mut conn, unit).await?.is_none() {
                return Err(AppError::NotFound(format!("đơn vị số {unit}")));
            }
            drop(conn);
            access::read_unit(state, user, unit).await?;
            Ok(Some(unit))
        }
        // Those who read everything see everything; others their subtree.
        None => Ok(access::readable_units(state, user)
            .await?
            .map(|_| user.user.unit_id)),
    }
}

// ---------------------------------------------------------------------------
// The form

struct FieldView {
    name: String,
    id: String,
    label: String,
    unit: String,
    value: String,
    error: Option<String>,
}

struct FileView {
    name: String,
    size: String,
    href: String,
    delete_href: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "report_form.html")]
struct FormPage {
    layout: Layout,
    url: String,
    regime: String,
    period_label: String,
    unit_name: String,
    due: String,
    recipient: String,
    content: String,
    badges: Vec<Badge>,
    first_on: String,
    fields: Vec<FieldView>,
    narrative: String,
    version: i64,
    /// The unit's officer may change it now.
    can_write: bool,
    /// Why the unit cannot send this report (not owed, not yet due …).
    not_expected: Option<String>,
    locked: Option<&'static str>,
    /// "Lưu nháp" is offered until the report is first submitted.
    can_draft: bool,
    submit_label: &'static str,
    can_review: bool,
    review_comment: String,
    saved_comment: Option<String>,
    files: Vec<FileView>,
    max_file: &'static str,
    error: Option<String>,
    notice: Option<&'static str>,
}

/// What the user typed, to show again after a refusal.
#[derive(Default)]
struct Typed {
    figures: BTreeMap<String, String>,
    narrative: Option<String>,
    version: Option<i64>,
    comment: String,
}

fn notice_of(code: Option<&String>) -> Option<&'static str> {
    Some(match code?.as_str() {
        "da-luu" => "Đã lưu nháp.",
        "da-nop" => "Đã nộp báo cáo.",
        "da-duyet" => "Đã duyệt báo cáo.",
        "da-tra-lai" => "Đã trả lại báo cáo cho đơn vị.",
        "da-tai-tep" => "Đã tải tệp lên.",
        "da-xoa-tep" => "Đã xoá tệp.",
        _ => return None,
    })
}

/// Builds the form page for what is stored, overlaid with what was typed.
async fn build_form(
    state: &AppState,
    user: &CurrentUser,
    conn: &mut AnyConnection,
    key: &ReportKey,
    t: &Target,
    typed: Option<&Typed>,
    error: Option<String>,
) -> Result<FormPage, AppError> {
    let today = state.clock.today();
    let report = reports::get(conn, key).await?;
    let files = match &report {
        Some(r) => reports::attachments(conn, r.report_id).await?,
        None => Vec::new(),
    };
    let not_expected = reports::not_expected_reason(conn, &t.regime, &t.period, &t.unit).await?;
    let status = report.as_ref().map(|r| r.status);
    let locked =
        (status == Some(Status::Accepted)).then_some("Báo cáo đã được duyệt; không sửa được nữa.");
    let can_write =
        access::write_unit(user, key.unit_id).is_ok() && not_expected.is_none() && locked.is_none();
    let faults = match typed {
        Some(t2) => reports::check_figures(&t.regime, &t2.figures)
            .err()
            .unwrap_or_default(),
        None => Vec::new(),
    };
    let fields = t
        .regime
        .indicators
        .iter()
        .map(|ind| FieldView {
            name: format!("ct_{}", ind.key),
            id: format!("ct-{}", ind.key),
            label: ind.label.clone(),
            unit: ind.unit.clone(),
            value: match typed {
                Some(t2) => t2.figures.get(&ind.key).cloned().unwrap_or_default(),
                None => report
                    .as_ref()
                    .and_then(|r| r.figures.get(&ind.key))
                    .map(|n| {
                        if can_write {
                            n.to_string()
                        } else {
                            vn_number(*n)
                        }
                    })
                    .unwrap_or_default(),
            },
            error: faults
                .iter()
                .find(|f| f.key == ind.key)
                .map(|f| f.message.clone()),
        })
        .collect();
    let url = form_url(key);
    Ok(FormPage {
        layout: Layout::new(
            state,
            user,
            &format!("Báo cáo {} — {}", t.period.label, t.unit.name),
            "/bao-cao",
        ),
        regime: t.regime.name.clone(),
        period_label: t.period.label.clone(),
        unit_name: t.unit.name.clone(),
        due: due_text(&t.period),
        recipient: t.regime.recipient.clone().unwrap_or_default(),
        content: t.regime.content.clone().unwrap_or_default(),
        badges: badges(
            status,
            report
                .as_ref()
                .and_then(|r| r.first_submitted_on.as_deref()),
            &t.period,
            today,
        ),
        first_on: report
            .as_ref()
            .and_then(|r| r.first_submitted_on.as_deref())
            .map(vn_text)
            .unwrap_or_default(),
        fields,
        narrative: typed
            .and_then(|t2| t2.narrative.clone())
            .or_else(|| report.as_ref().map(|r| r.narrative.clone()))
            .unwrap_or_default(),
        version: typed
            .and_then(|t2| t2.version)
            .or_else(|| report.as_ref().map(|r| r.version))
            .unwrap_or(0),
        can_write,
        not_expected: if access::write_unit(user, key.unit_id).is_ok() {
            not_expected
        } else {
            None
        },
        locked,
        can_draft: matches!(status, None | Some(Status::Draft | Status::Returned)),
        submit_label: match status {
            Some(Status::Submitted) => "Cập nhật báo cáo đã nộp",
            Some(Status::Returned) => "Nộp lại báo cáo",
            _ => "Nộp báo cáo",
        },
        can_review: access::manage_plan(user).is_ok()
            && matches!(status, Some(Status::Submitted | Status::Accepted)),
        review_comment: typed.map(|t2| t2.comment.clone()).unwrap_or_default(),
        saved_comment: report.as_ref().and_then(|r| r.review_comment.clone()),
        files: files.iter().map(|f| file_view(&url, f)).collect(),
        max_file: "10 MB",
        error,
        notice: None,
        url,
    })
}

fn file_view(url: &str, f: &Attachment) -> FileView {
    FileView {
        name: f.filename.clone(),
        size: files::size_text(f.size),
        href: format!("{url}/tep/{}", f.attachment_id),
        delete_href: format!("{url}/tep/{}/xoa", f.attachment_id),
    }
}

async fn form_page(
    State(state): State<AppState>,
    user: CurrentUser,
    path: KeyPath,
    q: Result<Query<HashMap<String, String>>, QueryRejection>,
) -> PageResult<Response> {
    let key = key_of(path)?;
    let q = query_map(q)?;
    let mut conn = state.store.conn().await?;
    let t = load_target(&mut conn, &key, state.clock.today()).await?;
    access::read_unit(&state, &user, key.unit_id).await?;
    let mut page = build_form(&state, &user, &mut conn, &key, &t, None, None).await?;
    page.notice = notice_of(q.get("ket-qua"));
    Ok(page.into_response())
}

/// A refusal the user can fix: the page again, with what they typed.
async fn refuse(
    state: &AppState,
    user: &CurrentUser,
    key: &ReportKey,
    t: &Target,
    typed: &Typed,
    e: AppError,
) -> PageResult<Response> {
    let status = e.status();
    let mut conn = state.store.conn().await?;
    let page = build_form(
        state,
        user,
        &mut conn,
        key,
        t,
        Some(typed),
        Some(e.to_string()),
    )
    .await?;
    Ok((status, page).into_response())
}

/// Whether an error is the user's to fix on the same page.
fn fixable(e: &AppError) -> bool {
    matches!(
        e,
        AppError::BadRequest(_) | AppError::Conflict(_) | AppError::TooLarge(_)
    )
}

#[derive(Deserialize)]
struct ReportForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    version: String,
    #[serde(default)]
    narrative: String,
    /// "luu" (save a draft) or "nop" (submit).
    #[serde(default)]
    hanh_dong: String,
    /// The figures: `ct_<indicator key>`.
    #[serde(flatten)]
    rest: HashMap<String, serde_json::Value>,
}

/// A version field: empty is a report never saved.
fn version_of(s: &str) -> Result<Option<i64>, AppError> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    s.parse().map(Some).map_err(|_| {
        AppError::BadRequest("phiên bản của biểu mẫu không hợp lệ; tải lại trang".into())
    })
}

fn figures_of(rest: &HashMap<String, serde_json::Value>) -> BTreeMap<String, String> {
    rest.iter()
        .filter_map(|(k, v)| {
            let key = k.strip_prefix("ct_")?;
            let text = match v {
                serde_json::Value::String(s) => s.clone(),
                // A repeated field: the last one typed wins.
                serde_json::Value::Array(a) => a.last()?.as_str()?.to_string(),
                _ => return None,
            };
            Some((key.to_string(), text))
        })
        .collect()
}

async fn save_form(
    State(state): State<AppState>,
    user: CurrentUser,
    path: KeyPath,
    VnForm(form): VnForm<ReportForm>,
) -> PageResult<Response> {
    let key = key_of(path)?;
    let today = state.clock.today();
    let t = {
        let mut conn = state.store.conn().await?;
        load_target(&mut conn, &key, today).await?
    };
    access::read_unit(&state, &user, key.unit_id).await?;
    access::write_unit(&user, key.unit_id)?;
    user.check_csrf(&form.csrf)?;
    let submit = form.hanh_dong == "nop";
    let mut typed = Typed {
        figures: figures_of(&form.rest),
        narrative: Some(form.narrative.clone()),
        version: None,
        comment: String::new(),
    };
    let version = match version_of(&form.version) {
        Ok(v) => v,
        Err(e) => return refuse(&state, &user, &key, &t, &typed, e).await,
    };
    typed.version = version;
    let input = Submission {
        figures: typed.figures.clone(),
        narrative: form.narrative,
        submit,
        version,
    };
    let saved = reports::save_batched(
        &state.store,
        user.user.user_id,
        user.user.username.clone(),
        key.clone(),
        input,
        today,
    )
    .await;
    match saved {
        Ok(_) => {
            let code = if submit { "da-nop" } else { "da-luu" };
            Ok(Redirect::to(&format!("{}?ket-qua={code}", form_url(&key))).into_response())
        }
        Err(e) => {
            let e = AppError::from(e);
            if fixable(&e) {
                refuse(&state, &user, &key, &t, &typed, e).await
            } else {
                Err(e)
            }
        }
    }
}

#[derive(Deserialize)]
struct ReviewForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    version: String,
    #[serde(default)]
    nhan_xet: String,
    /// "duyet" (accept) or "tra_lai" (return).
    #[serde(default)]
    hanh_dong: String,
}

async fn review_form(
    State(state): State<AppState>,
    user: CurrentUser,
    path: KeyPath,
    VnForm(form): VnForm<ReviewForm>,
) -> PageResult<Response> {
    let key = key_of(path)?;
    let today = state.clock.today();
    let t = {
        let mut conn = state.store.conn().await?;
        load_target(&mut conn, &key, today).await?
    };
    access::read_unit(&state, &user, key.unit_id).await?;
    access::manage_plan(&user)?;
    user.check_csrf(&form.csrf)?;
    let typed = Typed {
        comment: form.nhan_xet.clone(),
        ..Typed::default()
    };
    let accept = match form.hanh_dong.as_str() {
        "duyet" => true,
        "tra_lai" => false,
        _ => {
            let e = AppError::BadRequest("chọn «Duyệt» hoặc «Trả lại»".into());
            return refuse(&state, &user, &key, &t, &typed, e).await;
        }
    };
    let version = match version_of(&form.version) {
        Ok(v) => v,
        Err(e) => return refuse(&state, &user, &key, &t, &typed, e).await,
    };
    let mut tx = begin(&state).await?;
    match reports::review(&mut tx, actor(&user), &key, accept, &form.nhan_xet, version).await {
        Ok(_) => {
            tx.commit().await.map_err(StoreError::from)?;
            let code = if accept { "da-duyet" } else { "da-tra-lai" };
            Ok(Redirect::to(&format!("{}?ket-qua={code}", form_url(&key))).into_response())
        }
        Err(e) => {
            drop(tx);
            let e = AppError::from(e);
            if fixable(&e) {
                refuse(&state, &user, &key, &t, &typed, e).await
            } else {
                Err(e)
            }
        }
    }
}

async fn upload_form(
    State(state): State<AppState>,
    user: CurrentUser,
    path: KeyPath,
    multipart: Result<Multipart, MultipartRejection>,
) -> PageResult<Response> {
    let key = key_of(path)?;
    let today = state.clock.today();
    let t = {
        let mut conn = state.store.conn().await?;
        load_target(&mut conn, &key, today).await?
    };
    access::read_unit(&state, &user, key.unit_id).await?;
    access::write_unit(&user, key.unit_id)?;
    let typed = Typed::default();
    let upload = match files::read_upload(multipart).await {
        Ok(u) => u,
        Err(e) if fixable(&e) => return refuse(&state, &user, &key, &t, &typed, e).await,
        Err(e) => return Err(e),
    };
    user.check_csrf(&upload.csrf)?;
    let file = reports::NewFile {
        filename: &upload.filename,
        content_type: &upload.content_type,
        data: &upload.data,
    };
    let mut tx = begin(&state).await?;
    match reports::attach(&mut tx, actor(&user), &key, &file, today).await {
        Ok(_) => {
            tx.commit().await.map_err(StoreError::from)?;
            Ok(Redirect::to(&format!("{}?ket-qua=da-tai-tep", form_url(&key))).into_response())
        }
        Err(e) => {
            drop(tx);
            let e = AppError::from(e);
            if fixable(&e) {
                refuse(&state, &user, &key, &t, &typed, e).await
            } else {
                Err(e)
            }
        }
    }
}

/// The report a file belongs to, checked: the file must be this report's.
pub(crate) async fn file_of(
    conn: &mut AnyConnection,
    key: &ReportKey,
    attachment_id: i64,
) -> Result<(Report, Attachment), AppError> {
    let missing = || AppError::NotFound("tệp đính kèm này".into());
    let report = reports::get(conn, key).await?.ok_or_else(missing)?;
    let info = reports::attachment_info(conn, attachment_id)
        .await?
        .filter(|a| a.report_id == report.report_id)
        .ok_or_else(missing)?;
    Ok((report, info))
}

/// Sends a report's file to someone who may read the report's unit.
pub(crate) async fn send_file(
    state: &AppState,
    user: &CurrentUser,
    key: &ReportKey,
    attachment_id: i64,
) -> Result<Response, AppError> {
    access::read_unit(state, user, key.unit_id).await?;
    let mut conn = state.store.conn().await?;
    let (_, info) = file_of(&mut conn, key, attachment_id).await?;
    let (info, data) = reports::attachment_data(&mut conn, info.attachment_id)
        .await?
        .ok_or_else(|| AppError::NotFound("tệp đính kèm này".into()))?;
    Ok(files::download(&info, data))
}

async fn download_page(
    State(state): State<AppState>,
    user: CurrentUser,
    path: FilePath,
) -> PageResult<Response> {
    let (key, id) = file_key_of(path)?;
    send_file(&state, &user, &key, id).await
}

/// Removes a file; the caller has checked the CSRF token.
pub(crate) async fn remove_file(
    state: &AppState,
    user: &CurrentUser,
    key: &ReportKey,
    attachment_id: i64,
) -> Result<(), AppError> {
    access::read_unit(state, user, key.unit_id).await?;
    access::write_unit(user, key.unit_id)?;
    let mut tx = begin(state).await?;
    let (report, _) = file_of(&mut tx, key, attachment_id).await?;
    reports::detach(&mut tx, actor(user), &report, attachment_id).await?;
    tx.commit().await.map_err(StoreError::from)?;
    Ok(())
}

#[derive(Deserialize)]
struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

async fn delete_form(
    State(state): State<AppState>,
    user: CurrentUser,
    path: FilePath,
    VnForm(form): VnForm<CsrfForm>,
) -> PageResult<Response> {
    let (key, id) = file_key_of(path)?;
    user.check_csrf(&form.csrf)?;
    remove_file(&state, &user, &key, id).await?;
    Ok(Redirect::to(&format!("{}?ket-qua=da-xoa-tep", form_url(&key))).into_response())
}
