//! *Kế hoạch*: the plan as issued, with every deadline resolved as of today,
//! and the plan in its JSON interchange form for the API. Everyone signed
//! in may read it; those who may have its documents (`access::export_plan`)
//! also find the form that downloads them.

use crate::access;
use crate::error::{ApiResult, PageResult};
use crate::guard::ChosenPlan;
use crate::layout::{Layout, vn_text};
use crate::session::{Api, CurrentUser};
use crate::state::AppState;
use crate::support::download;
use crate::support::query::Params;
use crate::support::url::percent_encode;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Json, Router};
use dondoc_core::due::{DueState, texts as dues_text};
use dondoc_core::plan::{PlanDoc, Task};
use dondoc_core::text::{search_fold, sort_vn};
use dondoc_export::table::{Cell, Table};
use dondoc_store::StoreError;
use dondoc_store::assignments::{Assignment, Status};
use dondoc_store::plans::PlanKey;
use jiff::civil::Date;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/ke-hoach", get(page))
        .route("/api/plan", get(api_plan))
        .route("/api/plan/{number}", get(api_plan_numbered))
}

/// A task's deadline for the plan page: the windows common to all its
/// assignees in words, and the windows each assignee has of their own (their
/// own congress) summed up rather than listed fifteen times.
fn task_due_text(t: &Task) -> String {
    if t.deadline_phrase.is_some() && t.deadline.is_none() {
        return "không có mốc thời gian cụ thể".to_string();
    }
    let text = dondoc_core::due::summary(t.due.as_deref().unwrap_or_default());
    if text.is_empty() {
        "không nêu thời hạn".to_string()
    } else {
        text
    }
}

// ---- The page -----------------------------------------------------------

struct TopicView {
    title: String,
    paragraphs: Vec<String>,
}

struct FocusView {
    phrase: String,
    window: String,
    topics: Vec<String>,
}

struct PhaseView {
    name: String,
    phrase: String,
    window: String,
    waiting: bool,
    note: Option<String>,
    topics: Vec<TopicView>,
    focus: Vec<FocusView>,
}

struct TaskView {
    reference: String,
    /// The lead-in the task stands under, and whether it is shown above
    /// this task (once, above the first listed under it).
    group: Option<String>,
    heading: Option<String>,
    text: String,
    leads: String,
    coordinates: String,
    phrase: String,
    due: String,
    waiting: bool,
    assignees: usize,
    /// How the units the user reads stand on it.
    units: Vec<UnitProgress>,
    done: usize,
    /// Searched text: reference, task, leads, coordinating units.
    folded: String,
}

/// One unit's assignment of a task, as the plan page lists it.
struct UnitProgress {
    unit_id: i64,
    name: String,
    href: String,
    status: &'static str,
    done: bool,
    open: bool,
    overdue: bool,
}

/// The plan page's task filters (`?tim=`, `?don-vi=`, `?tinh-trang=`).
#[derive(Default)]
struct TaskFilter {
    text: String,
    unit: Option<i64>,
    state: String,
}

const TASK_STATES: &[(&str, &str)] = &[
    ("", "Mọi tình trạng"),
    ("qua-han", "Có đơn vị quá hạn"),
    ("chua-xong", "Còn đơn vị chưa xong"),
    ("xong", "Mọi đơn vị đã xong"),
    ("cho-ngay", "Thời hạn chờ ngày sự kiện"),
];

impl TaskFilter {
    fn keeps(&self, t: &TaskView) -> bool {
        let text = search_fold(&self.text);
        (text.is_empty() || t.folded.contains(&text))
            && self
                .unit
                .is_none_or(|u| t.units.iter().any(|p| p.unit_id == u))
            && match self.state.as_str() {
                "qua-han" => t.units.iter().any(|p| p.overdue),
                "chua-xong" => t.units.iter().any(|p| p.open),
                "xong" => !t.units.is_empty() && t.units.iter().all(|p| p.done),
                "cho-ngay" => t.waiting,
                _ => true,
            }
    }

    fn is_on(&self) -> bool {
        !self.text.trim().is_empty() || self.unit.is_some() || !self.state.is_empty()
    }
}

/// Each task's units (those the user reads), from the plan's assignments.
fn add_progress(
    tasks: &mut [TaskView],
    list: &[Assignment],
    readable: Option<&[i64]>,
    today: Date,
) {
    for t in tasks.iter_mut() {
        let mut units: Vec<UnitProgress> = list
            .iter()
            .filter(|a| a.task_ref == t.reference)
            .filter(|a| readable.is_none_or(|r| r.contains(&a.unit_id)))
            .map(|a| UnitProgress {
                unit_id: a.unit_id,
                name: a.unit_name.clone(),
                href: format!("/nhiem-vu/{}", a.assignment_id),
                status: a.status.label(),
                done: a.status == Status::Done,
                open: a.status.is_open(),
                overdue: a.is_overdue(today),
            })
            .collect();
        sort_vn(&mut units, |u| &u.name);
        t.done = units.iter().filter(|u| u.done).count();
        t.units = units;
    }
}

/// The tasks listed on the page as a workbook, row for row.
fn tasks_workbook(page: &PlanPage, today: Date) -> Response {
    let heads = [
        ("Mục", 9.0),
        ("Nhiệm vụ", 60.0),
        ("Chủ trì", 30.0),
        ("Phối hợp", 26.0),
        ("Thời gian (theo kế hoạch)", 26.0),
        ("Thời hạn", 22.0),
        ("Đơn vị đã hoàn thành", 12.0),
        ("Đơn vị được giao", 12.0),
    ];
    let table = Table {
        title: format!("Nhiệm vụ – Kế hoạch {}", page.number),
        today,
        columns: heads.iter().map(|(h, w)| (h.to_string(), *w)).collect(),
        rows: page
            .tasks
            .iter()
            .map(|t| {
                vec![
                    Cell::from(t.reference.clone()),
                    Cell::from(t.text.clone()),
                    Cell::from(t.leads.clone()),
                    Cell::from(t.coordinates.clone()),
                    Cell::from(t.phrase.clone()),
                    Cell::from(t.due.clone()),
                    Cell::Count(t.done as i64),
                    Cell::Count(t.units.len() as i64),
                ]
            })
            .collect(),
    };
    download::list_workbook(&table, "nhiem-vu")
}

/// A lead-in is shown once, above the first task under it that is listed.
fn dedup_headings(tasks: &mut [TaskView]) {
    let mut last: Option<String> = None;
    for t in tasks.iter_mut() {
        t.heading = match (&t.group, &last) {
            (Some(h), Some(prev)) if h == prev => None,
            (h, _) => h.clone(),
        };
        last = t.group.clone();
    }
}

struct ReportingView {
    name: String,
    phrase: String,
    due: String,
    reporters: String,
    recipient: String,
    content: Option<String>,
    indicators: Vec<String>,
}

struct DecorationZone {
    label: String,
    items: Vec<(String, String)>,
}

#[derive(Template, WebTemplate)]
#[template(path = "plan.html")]
struct PlanPage {
    layout: Layout,
    number: String,
    issuer: String,
    date: String,
    place: String,
    title: String,
    based_on: Vec<String>,
    purposes: Vec<String>,
    requirements: Vec<String>,
    phases: Vec<PhaseView>,
    phases_notes: Vec<String>,
    forms: Vec<(String, String, Vec<String>)>,
    tasks: Vec<TaskView>,
    waiting_tasks: usize,
    /// Tasks in the plan before filtering.
    all_tasks: usize,
    filter: TaskFilter,
    filtered: bool,
    unit_options: Vec<(i64, String)>,
    state_options: &'static [(&'static str, &'static str)],
    /// The tasks listed, as a workbook.
    xlsx_href: String,
    reporting: Vec<ReportingView>,
    slogans: Vec<String>,
    decoration: Vec<DecorationZone>,
    signature: Vec<String>,
    /// The other plans, by id and number.
    other_plans: Vec<(i64, String)>,
    plan_id: i64,
    /// Said once, after the plan was made from a document.
    notice: Option<String>,
    /// Whether to offer reading another plan from its document.
    can_import: bool,
    /// Whether to offer the synthesis report and the tracking workbook.
    can_export: bool,
    /// Whether the report can also be had as PDF (LibreOffice installed).
    pdf: bool,
}

fn phase_view(p: &dondoc_core::plan::Phase) -> PhaseView {
    let due = p.due.as_deref().unwrap_or_default();
    let topics = p
        .topics
        .iter()
        .enumerate()
        .map(|(i, title)| TopicView {
            title: title.clone(),
            paragraphs: p
                .topic_details
                .iter()
                .filter(|d| d.topic == i + 1)
                .flat_map(|d| d.text.iter().cloned())
                .collect(),
        })
        .collect();
    PhaseView {
        name: p.name.clone(),
        phrase: p.phrase.clone(),
        window: dues_text(due),
        waiting: due.iter().any(|d| d.state == DueState::Pending),
        note: p.note.clone(),
        topics,
        focus: p
            .focus
            .iter()
            .map(|f| FocusView {
                phrase: f.phrase.clone(),
                window: dues_text(f.due.as_deref().unwrap_or_default()),
                topics: f.topics.clone(),
            })
            .collect(),
    }
}

fn task_views(tasks: &[Task]) -> Vec<TaskView> {
    let mut views: Vec<TaskView> = tasks
        .iter()
        .map(|t| TaskView {
            folded: search_fold(&format!(
                "{} {} {} {}",
                t.reference,
                t.text,
                t.leads.join(" "),
                t.coordinates.join(" ")
            )),
            units: Vec::new(),
            done: 0,
            reference: t.reference.clone(),
            group: t.heading.clone(),
            heading: None,
            text: t.text.clone(),
            leads: t.leads.join("; "),
            coordinates: t.coordinates.join("; "),
            phrase: t
                .deadline_phrase
                .clone()
                .unwrap_or_else(|| "(không nêu)".to_string()),
            due: task_due_text(t),
            waiting: t
                .due
                .as_deref()
                .unwrap_or_default()
                .iter()
                .any(|d| d.state == DueState::Pending),
            assignees: t.assignees.as_ref().map_or(0, Vec::len),
        })
        .collect();
    dedup_headings(&mut views);
    views
}

fn decoration_zones(doc: &PlanDoc) -> Vec<DecorationZone> {
    let mut zones: Vec<DecorationZone> = Vec::new();
    for d in &doc.decoration {
        let label = match d.zone.as_str() {
            "inside" => "Trong hội trường".to_string(),
            "outside" => "Bên ngoài hội trường".to_string(),
            other => other.to_string(),
        };
        match zones.iter_mut().find(|z| z.label == label) {
            Some(z) => z.items.push((d.item.clone(), d.text.clone())),
            None => zones.push(DecorationZone {
                label,
                items: vec![(d.item.clone(), d.text.clone())],
            }),
        }
    }
    zones
}

impl PlanPage {
    fn new(layout: Layout, doc: &PlanDoc, other_plans: Vec<(i64, String)>) -> Self {
        let tasks = task_views(&doc.tasks);
        PlanPage {
            layout,
            number: doc.number.clone(),
            issuer: doc.issuer.clone(),
            date: doc.date.as_deref().map(vn_text).unwrap_or_default(),
            place: doc.place.clone().unwrap_or_default(),
            title: doc.title.clone(),
            based_on: doc
                .based_on
                .iter()
                .map(|b| {
                    let mut s = b.number.clone();
                    if let Some(d) = &b.date {
                        s.push_str(&format!(" ngày {}", vn_text(d)));
                    }
                    if let Some(i) = &b.issuer {
                        s.push_str(&format!(" của {i}"));
                    }
                    if let Some(t) = &b.title {
                        s.push_str(&format!(" {t}"));
                    }
                    s
                })
                .collect(),
            purposes: doc.purposes.clone(),
            requirements: doc.requirements.clone(),
            phases: doc.phases.iter().map(phase_view).collect(),
            phases_notes: doc.phases_notes.clone(),
            forms: doc
                .forms_of_work
                .iter()
                .map(|f| (f.reference.clone(), f.title.clone(), f.text.clone()))
                .collect(),
            waiting_tasks: tasks.iter().filter(|t| t.waiting).count(),
            all_tasks: tasks.len(),
            filter: TaskFilter::default(),
            filtered: false,
            unit_options: Vec::new(),
            state_options: TASK_STATES,
            xlsx_href: String::new(),
            tasks,
            reporting: doc
                .reporting
                .iter()
                .map(|r| ReportingView {
                    name: r.name.clone(),
                    phrase: r.deadline_phrase.clone().unwrap_or_default(),
                    due: dues_text(r.due.as_deref().unwrap_or_default()),
                    reporters: r.reporters.join("; "),
                    recipient: r.recipient.clone().unwrap_or_default(),
                    content: r.content.clone(),
                    indicators: r
                        .indicators
                        .iter()
                        .map(|i| format!("{} ({})", i.label, i.unit))
                        .collect(),
                })
                .collect(),
            slogans: doc.slogans.clone(),
            decoration: decoration_zones(doc),
            signature: doc
                .signature
                .iter()
                .flat_map(|s| {
                    s.on_behalf
                        .iter()
                        .cloned()
                        .chain([s.title.clone(), s.name.clone()])
                })
                .collect(),
            other_plans,
            plan_id: 0,
            notice: None,
            can_import: false,
            can_export: false,
            pdf: false,
        }
    }
}

async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    chosen: ChosenPlan,
    q: Params,
) -> PageResult<Response> {
    let can_import = access::import_plan(&user).is_ok();
    let Some(plan) = &chosen.plan else {
        // No plan yet: whoever may import is sent to read the first one in.
        if can_import {
            return Ok(Redirect::to("/nhap-ke-hoach").into_response());
        }
        return Err(StoreError::NoPlan.into());
    };
    let doc = state
        .store
        .plan(Some(&PlanKey::Id(plan.plan_id)), state.clock.today())
        .await?;
    let others = chosen
        .plans
        .iter()
        .filter(|p| p.plan_id != plan.plan_id)
        .map(|p| (p.plan_id, p.number.clone()))
        .collect();
    let layout = Layout::new(
        &state,
        &user,
        &format!("Kế hoạch số {}", doc.number),
        "/ke-hoach",
    )
    .in_plan(plan.plan_id, &chosen.plans);
    let mut page = PlanPage::new(layout, &doc, others);
    page.plan_id = plan.plan_id;
    // Each task's units, and the filters over them.
    let readable = access::readable_units(&state, &user).await?;
    let list = state.store.assignments_of_plan(plan.plan_id).await?;
    add_progress(
        &mut page.tasks,
        &list,
        readable.as_deref(),
        state.clock.today(),
    );
    let mut units: Vec<(i64, String)> = Vec::new();
    for a in &list {
        if readable.as_ref().is_none_or(|r| r.contains(&a.unit_id))
            && !units.iter().any(|(id, _)| *id == a.unit_id)
        {
            units.push((a.unit_id, a.unit_name.clone()));
        }
    }
    sort_vn(&mut units, |(_, n)| n);
    page.unit_options = units;
    page.filter = TaskFilter {
        text: q.text("tim").unwrap_or_default().to_string(),
        unit: q.id("don-vi")?,
        state: q
            .text("tinh-trang")
            .filter(|s| TASK_STATES.iter().any(|(k, _)| k == s))
            .unwrap_or_default()
            .to_string(),
    };
    if page.filter.is_on() {
        page.filtered = true;
        let filter = std::mem::take(&mut page.filter);
        page.tasks.retain(|t| filter.keeps(t));
        dedup_headings(&mut page.tasks);
        page.filter = filter;
    }
    page.xlsx_href = format!(
        "/ke-hoach?ke-hoach={}&tim={}&don-vi={}&tinh-trang={}&dang=xlsx",
        plan.plan_id,
        percent_encode(&page.filter.text),
        page.filter.unit.map(|u| u.to_string()).unwrap_or_default(),
        page.filter.state
    );
    if q.text("dang") == Some("xlsx") {
        return Ok(tasks_workbook(&page, state.clock.today()));
    }
    page.notice = (q.text("ket-qua") == Some("da-tao")).then(|| {
        format!(
            "Đã tạo Kế hoạch số {} từ văn bản: {} nhiệm vụ, giao cho các đơn vị như dưới đây.",
            doc.number,
            doc.tasks.len()
        )
    });
    page.can_import = can_import;
    page.can_export = access::can_export_plan(&state, &user, &doc.issuer).await?;
    page.pdf = page.can_export && dondoc_export::pdf::office().is_some();
    Ok(page.into_response())
}

/// The plan in view (`?plan=ID` or `?ke-hoach=ID`; the one remembered or
/// the oldest without it).
async fn api_plan(
    State(state): State<AppState>,
    Api(chosen): Api<ChosenPlan>,
) -> ApiResult<Json<PlanDoc>> {
    let plan = chosen.required()?;
    Ok(Json(
        state
            .store
            .plan(Some(&PlanKey::Id(plan.plan_id)), state.clock.today())
            .await?,
    ))
}

async fn api_plan_numbered(
    State(state): State<AppState>,
    Api(_): Api<CurrentUser>,
    Path(number): Path<String>,
) -> ApiResult<Json<PlanDoc>> {
    Ok(Json(
        state
            .store
            .plan(Some(&PlanKey::number(&number)), state.clock.today())
            .await?,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use dondoc_core::due::Due;

    fn due(from: Option<&str>, to: Option<&str>, state: DueState) -> Due {
        Due {
            from: from.map(str::to_string),
            to: to.map(str::to_string),
            state,
            waits_for: None,
            event: None,
            anchor: None,
        }
    }

    #[test]
    fn windows_in_words() {
        let r = |f, t| due(f, t, DueState::Resolved).text();
        assert_eq!(
            r(Some("2024-11-01"), Some("2024-11-30")),
            "01/11/2024 – 30/11/2024"
        );
        assert_eq!(r(None, Some("2025-02-04")), "chậm nhất 04/02/2025");
        assert_eq!(r(Some("2024-12-01"), None), "từ 01/12/2024");
        let waiting = Due {
            waits_for: Some("Đại hội XX Đảng bộ tỉnh".into()),
            ..due(None, None, DueState::Pending)
        };
        assert_eq!(waiting.text(), "chờ ngày khai mạc Đại hội XX Đảng bộ tỉnh");
        let anniversary = Due {
            waits_for: Some("526 năm thành lập tỉnh Cao Bằng".into()),
            ..due(None, None, DueState::Pending)
        };
        assert_eq!(
            anniversary.text(),
            "chờ ngày «526 năm thành lập tỉnh Cao Bằng»"
        );
        // A deadline hung on the closing waits for the closing day.
        let closing = Due {
            waits_for: Some("Đại hội XX Đảng bộ tỉnh".into()),
            anchor: Some(dondoc_core::deadline::Anchor::End),
            ..due(None, None, DueState::Pending)
        };
        assert_eq!(closing.text(), "chờ ngày bế mạc Đại hội XX Đảng bộ tỉnh");
        assert_eq!(dues_text(&[]), "không nêu thời hạn");
    }
}
