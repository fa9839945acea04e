//! The overview's charts (SVG drawn on the server): which there are, what
//! each says, and drawing one from the data as of today, kept in the
//! service's chart cache while the data it was drawn from is unchanged.

use crate::access;
use crate::error::AppError;
use crate::guard::PlanRef;
use crate::session::CurrentUser;
use crate::state::AppState;
use dondoc_export::charts;
use dondoc_store::plans::PlanKey;

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Chart {
    Timeline,
    Rates,
    Figures,
}

pub const CHARTS: [Chart; 3] = [Chart::Timeline, Chart::Rates, Chart::Figures];

impl Chart {
    pub fn slug(self) -> &'static str {
        match self {
            Chart::Timeline => "tien-do",
            Chart::Rates => "ty-le-bao-cao",
            Chart::Figures => "so-lieu",
        }
    }

    pub fn from_file(file: &str) -> Option<Chart> {
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
    pub fn whole_plan(self) -> bool {
        self != Chart::Timeline
    }

    /// The chart drawn from the data as of today. The SVG escapes every
    /// text it holds (`dondoc_export::charts`), so a page may embed it.
    /// `version` is `Store::charts_version`, read once for all the charts
    /// of a page.
    pub async fn svg(self, state: &AppState, plan: i64, version: &str) -> Result<String, AppError> {
        let today = state.clock.today();
        let store = &state.store;
        let key = (self as u8, plan, today);
        let plan = &PlanKey::Id(plan);
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
pub struct ChartView {
    pub slug: &'static str,
    pub title: &'static str,
    pub caption: &'static str,
    pub svg: String,
    /// The chart alone, to open, link or print.
    pub href: String,
}

pub fn chart_href(chart: Chart, plan: i64) -> String {
    format!("/bieu-do/{}.svg?ke-hoach={plan}", chart.slug())
}

/// The overview's charts of a plan that this user may see, and whether
/// they may have the plan's whole-plan documents.
pub async fn overview_charts(
    state: &AppState,
    user: &CurrentUser,
    plan: &PlanRef,
) -> Result<(Vec<ChartView>, bool), AppError> {
    let whole = access::can_export_plan(state, user, &plan.issuer).await?;
    let plan = plan.plan_id;
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
