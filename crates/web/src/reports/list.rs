//! `GET /bao-cao`: an officer's reports owed; for owners, leaders and
//! administrators, the reports sent by the units they read, filtered.

use super::period_index;
use crate::access;
use crate::error::{AppError, PageResult};
use crate::guard::{ChosenPlan, PlanToManage, scope};
use crate::layout::{Layout, vn_text};
use crate::session::CurrentUser;
use crate::state::AppState;
use crate::support::csrf::CsrfForm;
use crate::support::download;
use crate::support::query::Params;
use crate::support::url::percent_encode;
use crate::view::report::{Badge, badges, due_text, form_url};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use dondoc_core::text::{lower_first, vn_order};
use dondoc_export::table::{Cell, Table};
use dondoc_store::reports::{self, ListFilter, Regime, ReportKey, Status};
use jiff::civil::Date;

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
    plan_id: i64,
    plan_number: String,
    /// An officer's own unit's reports.
    owed: Option<Vec<ReportLine>>,
    owed_unit: String,
    /// Everyone else's view: the filters and the list.
    show_list: bool,
    regime_options: Vec<OptionView>,
    period_options: Vec<OptionView>,
    status_options: Vec<OptionView>,
    unit_options: Vec<OptionView>,
    lines: Vec<ReportLine>,
    missing_mode: bool,
    missing_hint: Option<String>,
    truncated: bool,
    /// This list as a workbook: the page's address with `dang=xlsx`.
    xlsx_href: String,
    /// The missing units may be reminded (đôn đốc) by this user.
    can_urge: bool,
    /// The form's hidden fields when they may: regime, period, unit.
    urge: (String, String, String),
    notice: Option<String>,
}

const LIST_LIMIT: i64 = 500;

pub(super) async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    chosen: ChosenPlan,
    q: Params,
) -> PageResult<Response> {
    let today = state.clock.today();
    let plan = chosen.required()?;
    let (plan_id, plan_number) = (plan.plan_id, plan.number.clone());
    let regimes = state.store.regimes_of_plan(plan_id).await?;
    let is_officer = access::owes_reports(&user);
    let owed = if is_officer {
        Some(owed_lines(&state, &regimes, user.user.unit_id, today).await?)
    } else {
        None
    };
    let mut page = ListPage {
        layout: Layout::new(&state, &user, "Báo cáo", "/bao-cao").in_plan(plan_id, &chosen.plans),
        plan_id,
        plan_number,
        owed,
        owed_unit: user.user.unit_name.clone(),
        show_list: !is_officer,
        regime_options: Vec::new(),
        period_options: Vec::new(),
        status_options: Vec::new(),
        unit_options: Vec::new(),
        lines: Vec::new(),
        missing_mode: false,
        missing_hint: None,
        truncated: false,
        xlsx_href: String::new(),
        can_urge: false,
        urge: Default::default(),
        notice: q.id("da-don-doc")?.map(|n| {
            format!("Đã đôn đốc {n} đơn vị: mỗi đơn vị thấy lời nhắc trong «Việc của tôi».")
        }),
    };
    if page.show_list {
        fill_list(&state, &user, &q, &regimes, plan_id, &mut page).await?;
    }
    page.xlsx_href = format!("{}&dang=xlsx", list_address(plan_id, &q));
    if q.text("dang") == Some("xlsx") {
        return Ok(workbook(&page, today));
    }
    Ok(page.into_response())
}

/// The list's own address, with its filters (and the plan).
fn list_address(plan_id: i64, q: &Params) -> String {
    let mut a = format!("/bao-cao?ke-hoach={plan_id}");
    for key in ["che-do", "ky", "trang-thai", "don-vi"] {
        if let Some(v) = q.text(key) {
            a.push_str(&format!("&{key}={}", percent_encode(v)));
        }
    }
    a
}

/// The list on the page as a workbook, row for row.
fn workbook(page: &ListPage, today: Date) -> Response {
    let lines = match &page.owed {
        Some(owed) => owed,
        None => &page.lines,
    };
    let title = if page.missing_mode {
        format!("Đơn vị chưa nộp báo cáo – Kế hoạch {}", page.plan_number)
    } else {
        format!("Báo cáo – Kế hoạch {}", page.plan_number)
    };
    let heads = [
        ("Đơn vị", 34.0),
        ("Báo cáo", 18.0),
        ("Kỳ", 16.0),
        ("Hạn nộp", 22.0),
        ("Nộp lần đầu", 14.0),
        ("Trạng thái", 24.0),
    ];
    let table = Table {
        title,
        today,
        columns: heads.iter().map(|(h, w)| (h.to_string(), *w)).collect(),
        rows: lines
            .iter()
            .map(|l| {
                let unit = if l.unit_name.is_empty() {
                    page.owed_unit.clone()
                } else {
                    l.unit_name.clone()
                };
                vec![
                    Cell::from(unit),
                    Cell::from(l.regime.clone()),
                    Cell::from(l.period_label.clone()),
                    Cell::from(l.due.clone()),
                    Cell::from(l.first_on.clone()),
                    Cell::from(
                        l.badges
                            .iter()
                            .map(|b| b.text)
                            .collect::<Vec<_>>()
                            .join(", "),
                    ),
                ]
            })
            .collect(),
    };
    download::list_workbook(&table, "bao-cao")
}

/// The units a user may filter the list by: those the plan asks reports
/// of that the user reads, in Vietnamese order.
async fn unit_options(
    state: &AppState,
    user: &CurrentUser,
    plan_id: i64,
    selected: Option<i64>,
) -> Result<Vec<OptionView>, AppError> {
    let reached = state.store.units_reached(plan_id).await?;
    let readable = access::readable_units(state, user).await?;
    let mut units: Vec<(i64, String)> = state
        .store
        .unit_rows()
        .await?
        .into_iter()
        .filter(|u| reached.contains(&u.unit_id))
        .filter(|u| readable.as_ref().is_none_or(|r| r.contains(&u.unit_id)))
        .map(|u| (u.unit_id, u.name))
        .collect();
    units.sort_by_cached_key(|(_, n)| vn_order(n));
    Ok(std::iter::once(OptionView {
        value: String::new(),
        label: "Tất cả".into(),
        selected: selected.is_none(),
    })
    .chain(units.into_iter().map(|(id, name)| OptionView {
        value: id.to_string(),
        label: name,
        selected: selected == Some(id),
    }))
    .collect())
}

async fn owed_lines(
    state: &AppState,
    regimes: &[Regime],
    unit_id: i64,
    today: Date,
) -> Result<Vec<ReportLine>, AppError> {
    Ok(state
        .store
        .reports_owed(regimes, unit_id, today)
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
    q: &Params,
    regimes: &[Regime],
    plan_id: i64,
    page: &mut ListPage,
) -> Result<(), AppError> {
    let today = state.clock.today();
    let reporting_id = q
        .id("che-do")?
        .filter(|id| regimes.iter().any(|g| g.reporting_id == *id));
    let period = q.text("ky").map(str::to_string);
    // The owner's work is the reports waiting for review; others read all.
    let default = if access::can_review(user) {
        StatusFilter::Waiting
    } else {
        StatusFilter::All
    };
    let filter = q
        .text("trang-thai")
        .and_then(StatusFilter::parse)
        .unwrap_or(default);
    let asked_unit = q.id("don-vi")?;
    let within = scope(state, user, asked_unit).await?;
    page.unit_options = unit_options(state, user, plan_id, asked_unit).await?;

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
        page.can_urge =
            access::manage_plan(state, user, plan_id).await.is_ok() && period.overdue_on(today);
        page.urge = (
            regime.reporting_id.to_string(),
            period.key.clone(),
            asked_unit.map(|u| u.to_string()).unwrap_or_default(),
        );
        for (unit_id, name) in state.store.reports_missing(regime, &period, within).await? {
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

    let rows = state
        .store
        .report_rows(
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
    let reviewer = access::can_review(user);
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

#[derive(serde::Deserialize)]
pub(super) struct UrgeForm {
    #[serde(rename = "che-do")]
    regime: String,
    ky: String,
    #[serde(rename = "don-vi", default)]
    unit: String,
}

/// `POST /bao-cao/don-doc?ke-hoach=ID`: reminds (đôn đốc) every unit that
/// has not sent a period's report once its due day has passed, in the app;
/// the plan's managers only.
pub(super) async fn urge(
    State(state): State<AppState>,
    user: CurrentUser,
    PlanToManage(plan): PlanToManage,
    CsrfForm(form): CsrfForm<UrgeForm>,
) -> PageResult<Response> {
    let today = state.clock.today();
    let plan = &plan;
    let regimes = state.store.regimes_of_plan(plan.plan_id).await?;
    let regime = regimes
        .iter()
        .find(|g| g.reporting_id.to_string() == form.regime.trim())
        .ok_or_else(|| AppError::NotFound(format!("chế độ báo cáo «{}»", form.regime)))?;
    let period = reports::find_period(regime, &form.ky, today).ok_or_else(|| {
        AppError::NotFound(format!("kỳ «{}» của báo cáo {}", form.ky, regime.name))
    })?;
    if !period.overdue_on(today) {
        return Err(AppError::BadRequest(format!(
            "báo cáo {}, {} chưa quá hạn ({}): chưa đôn đốc",
            regime.name,
            period.label,
            due_text(&period)
        )));
    }
    let asked = match form.unit.trim() {
        "" => None,
        u => Some(u.parse::<i64>().map_err(|_| {
            AppError::BadRequest(format!("«đơn vị» phải là một số (đã gửi «{u}»)"))
        })?),
    };
    let within = scope(&state, &user, asked).await?;
    let title = if period.label == regime.name {
        regime.name.clone()
    } else {
        format!("{}, {}", regime.name, lower_first(&period.label))
    };
    let told: Vec<(i64, String, Option<String>)> = state
        .store
        .reports_missing(regime, &period, within)
        .await?
        .into_iter()
        .map(|(unit_id, _)| {
            let key = ReportKey {
                reporting_id: regime.reporting_id,
                period: period.key.clone(),
                unit_id,
            };
            (
                unit_id,
                format!(
                    "{} đôn đốc: báo cáo «{title}» của Kế hoạch {} đã quá hạn ({}) mà đơn vị chưa nộp.",
                    user.user.unit_name,
                    plan.number,
                    due_text(&period)
                ),
                Some(form_url(&key)),
            )
        })
        .collect();
    let n = state.store.tell_units(&told, &user.user.username).await?;
    let mut back = format!(
        "/bao-cao?ke-hoach={}&che-do={}&ky={}&trang-thai=chua-nop&da-don-doc={n}",
        plan.plan_id,
        regime.reporting_id,
        percent_encode(&period.key)
    );
    if let Some(u) = asked {
        back.push_str(&format!("&don-vi={u}"));
    }
    Ok(axum::response::Redirect::to(&back).into_response())
}
