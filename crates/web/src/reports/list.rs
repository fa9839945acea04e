//! `GET /bao-cao`: an officer's reports owed; for owners, leaders and
//! administrators, the reports sent by the units they read, filtered.

use super::period_index;
use crate::access;
use crate::error::{AppError, PageResult};
use crate::guard::{ChosenPlan, scope};
use crate::layout::{Layout, vn_text};
use crate::session::CurrentUser;
use crate::state::AppState;
use crate::support::query::Params;
use crate::view::report::{Badge, badges, due_text, form_url};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
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
    lines: Vec<ReportLine>,
    missing_mode: bool,
    missing_hint: Option<String>,
    truncated: bool,
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
        lines: Vec::new(),
        missing_mode: false,
        missing_hint: None,
        truncated: false,
    };
    if page.show_list {
        fill_list(&state, &user, &q, &regimes, plan_id, &mut page).await?;
    }
    Ok(page.into_response())
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
    let within = scope(state, user, q.id("don-vi")?).await?;

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
