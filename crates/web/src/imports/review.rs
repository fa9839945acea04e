//! The review page: each task beside its source lines with its time words
//! marked, its units matched or proposed; corrections and confirmation.

use super::corrections::{Applied, Refusal, apply_form, confirm, plan_url, save};
use super::{Directory, directory};
use crate::access;
use crate::error::{AppError, PageResult};
use crate::guard::{DraftToEdit, DraftToRead};
use crate::layout::{Layout, vn_text, vn_time};
use crate::session::CurrentUser;
use crate::state::AppState;
use crate::support::csrf::CsrfForm;
use crate::support::query::Params;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use dondoc_core::deadline::{self, Reason, Rule};
use dondoc_core::plan::PlanDoc;
use dondoc_import::matching::match_key;
use dondoc_store::drafts::{Choice, Draft, Status};
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};

/// One source line, cut around the deadline phrase it holds.
struct SourceLine {
    number: usize,
    before: String,
    mark: String,
    after: String,
}

struct NameView {
    name: String,
    note: String,
    known: bool,
}

struct TaskCard {
    index: usize,
    reference: String,
    heading: Option<String>,
    sources: Vec<SourceLine>,
    text: String,
    leads: String,
    coordinates: String,
    phrase: String,
    words: String,
    error: Option<String>,
    names: Vec<NameView>,
    /// What the reader was unsure of, most serious first.
    doubts: Vec<String>,
    /// Weight of the doubts: the cards are shown heaviest first.
    weight: u8,
}

/// What a reviewer should look at in a task, and how much it weighs: no
/// lead (the task goes to nobody) and a time that was not read (no
/// deadline) before a task whose lines are not known. A name new to the
/// directory is settled once for every task in the list of new units
/// below, so it is marked on the card and does not make the task doubtful.
fn doubts_of(card: &TaskCard) -> (Vec<String>, u8) {
    let mut doubts = Vec::new();
    let mut weight = 0;
    if card.leads.trim().is_empty() {
        doubts.push("chưa rõ đơn vị chủ trì".to_string());
        weight += 3;
    }
    if card.error.is_some() {
        doubts.push(format!("cụm thời hạn «{}» chưa đọc được", card.phrase));
        weight += 3;
    }
    if card.sources.is_empty() {
        doubts.push("không rõ dòng nguồn".to_string());
        weight += 1;
    }
    (doubts, weight)
}

struct OptionView {
    name: String,
    selected: bool,
}

struct ProposedView {
    index: usize,
    name: String,
    used_in: String,
    new: bool,
    units: Vec<OptionView>,
    groups: Vec<OptionView>,
}

struct TimedView {
    name: String,
    phrase: String,
    words: String,
    names: Vec<NameView>,
}

#[derive(Template, WebTemplate)]
#[template(path = "import_review.html")]
pub(super) struct ReviewPage {
    layout: Layout,
    id: i64,
    version: i64,
    file_name: String,
    format_label: &'static str,
    encoding: String,
    creator: String,
    created_at: String,
    number: String,
    date: String,
    issuer: String,
    place: String,
    title: String,
    counts: String,
    tasks: Vec<TaskCard>,
    /// How many tasks hold something the reader was unsure of.
    doubtful: usize,
    proposed: Vec<ProposedView>,
    unparsed: Vec<(usize, String)>,
    phases: Vec<TimedView>,
    reporting: Vec<TimedView>,
    can_edit: bool,
    stored_number: Option<String>,
    notice: Option<String>,
    errors: Vec<String>,
}

/// Where `needle` stands in `hay`, letter case aside: byte range in `hay`.
fn find_caseless(hay: &str, needle: &str) -> Option<(usize, usize)> {
    let h: Vec<(usize, char)> = hay.char_indices().collect();
    let n: Vec<char> = needle.chars().collect();
    if n.is_empty() || n.len() > h.len() {
        return None;
    }
    let same = |a: char, b: char| a == b || a.to_lowercase().eq(b.to_lowercase());
    (0..=h.len() - n.len()).find_map(|s| {
        n.iter()
            .enumerate()
            .all(|(k, c)| same(h[s + k].1, *c))
            .then(|| {
                let end = h.get(s + n.len()).map_or(hay.len(), |(i, _)| *i);
                (h[s].0, end)
            })
    })
}

/// A source line cut into the text before the phrase, the phrase, and the
/// text after (the template escapes each; the phrase goes in `<mark>`).
fn cut_line(number: usize, line: &str, phrase: Option<&str>) -> SourceLine {
    let whole = || SourceLine {
        number,
        before: line.to_string(),
        mark: String::new(),
        after: String::new(),
    };
    let Some(phrase) = phrase.map(str::trim).filter(|p| !p.is_empty()) else {
        return whole();
    };
    // The draft's phrase may have lost the full stop the line ends with.
    let bare = phrase.trim_end_matches(['.', ';', ',', ':']).trim_end();
    let found = find_caseless(line, phrase).or_else(|| find_caseless(line, bare));
    match found {
        Some((a, b)) => SourceLine {
            number,
            before: line[..a].to_string(),
            mark: line[a..b].to_string(),
            after: line[b..].to_string(),
        },
        None => whole(),
    }
}

/// A rule in words, and why a phrase has none when it should.
fn rule_words(phrase: Option<&str>, rule: Option<&Rule>) -> (String, Option<String>) {
    if let Some(r) = rule {
        return (deadline::describe(r), None);
    }
    let Some(p) = phrase.map(str::trim).filter(|p| !p.is_empty()) else {
        return ("không có thời hạn".to_string(), None);
    };
    match deadline::parse(p) {
        Err(e) if e.reason == Reason::Deferred => ("không có thời hạn".to_string(), None),
        Err(e) => ("chưa đọc được thời hạn".to_string(), Some(e.to_string())),
        Ok(_) => ("chưa đọc được thời hạn".to_string(), None),
    }
}

/// A name with what it stands for: a unit or group of the directory, the
/// one the reviewer chose, or a new unit.
fn name_view(name: &str, dir: &Directory, choices: &HashMap<String, &Choice>) -> NameView {
    let (note, known) = if let Some(k) = dir.known.find(name) {
        (format!("khớp: {k}"), true)
    } else if let Some(Choice::SameAs(k)) = choices.get(&match_key(name)) {
        (format!("ghép vào: {k}"), true)
    } else {
        ("đề xuất thêm mới".to_string(), false)
    };
    NameView {
        name: name.to_string(),
        note,
        known,
    }
}

struct Shown<'a> {
    draft: &'a Draft,
    plan: &'a PlanDoc,
    choices: &'a BTreeMap<String, Choice>,
    notice: Option<String>,
    errors: Vec<String>,
}

fn review_view(state: &AppState, user: &CurrentUser, s: Shown<'_>, dir: &Directory) -> ReviewPage {
    let d = s.draft;
    let plan = s.plan;
    let proposed = plan.proposed_units.clone().unwrap_or_default();
    let by_key: HashMap<String, &Choice> =
        s.choices.iter().map(|(k, c)| (match_key(k), c)).collect();
    let view = |n: &String| name_view(n, dir, &by_key);
    let mut tasks: Vec<TaskCard> = plan
        .tasks
        .iter()
        .enumerate()
        .map(|(index, t)| {
            let phrase = t.deadline_phrase.as_deref();
            let sources = d
                .sources
                .iter()
                .find(|src| src.reference == t.reference)
                .map(|src| {
                    src.lines
                        .iter()
                        .filter_map(|n| {
                            let line = d.lines.get(n.checked_sub(1)?)?;
                            Some(cut_line(*n, line, phrase))
                        })
                        .collect()
                })
                .unwrap_or_default();
            let (words, error) = rule_words(phrase, t.deadline.as_ref());
            let mut card = TaskCard {
                index,
                reference: t.reference.clone(),
                heading: t.heading.clone(),
                sources,
                text: t.text.clone(),
                leads: t.leads.join("\n"),
                coordinates: t.coordinates.join("\n"),
                phrase: phrase.unwrap_or_default().to_string(),
                words,
                error,
                names: t.leads.iter().chain(&t.coordinates).map(view).collect(),
                doubts: Vec::new(),
                weight: 0,
            };
            (card.doubts, card.weight) = doubts_of(&card);
            card
        })
        .collect();
    // What the reader was unsure of first, so that the reviewer of a long
    // resolution goes straight to it; otherwise in the document's order
    // (the sort is stable, and each card keeps its index for the form).
    tasks.sort_by_key(|t| std::cmp::Reverse(t.weight));
    let doubtful = tasks.iter().filter(|t| t.weight > 0).count();
    // In the order a Vietnamese reader looks for them (`vn_order`).
    let mut unit_names: Vec<&String> = dir.units.iter().map(|u| &u.name).collect();
    dondoc_core::text::sort_vn(&mut unit_names, |n| n.as_str());
    let mut group_names: Vec<&String> = dir.groups.iter().map(|g| &g.name).collect();
    dondoc_core::text::sort_vn(&mut group_names, |n| n.as_str());
    group_names.dedup();
    let proposed_views = proposed
        .iter()
        .enumerate()
        .map(|(index, name)| {
            let chosen = s.choices.get(name);
            let same = |n: &String| matches!(chosen, Some(Choice::SameAs(k)) if k == n);
            let used_in: Vec<String> = plan
                .tasks
                .iter()
                .filter(|t| {
                    t.leads
                        .iter()
                        .chain(&t.coordinates)
                        .any(|n| match_key(n) == match_key(name))
                })
                .map(|t| t.reference.clone())
                .chain(
                    plan.reporting
                        .iter()
                        .filter(|r| {
                            r.reporters
                                .iter()
                                .chain(&r.recipient)
                                .any(|n| match_key(n) == match_key(name))
                        })
                        .map(|r| format!("báo cáo {}", r.name)),
                )
                .collect();
            ProposedView {
                index,
                name: name.clone(),
                used_in: if used_in.is_empty() {
                    String::new()
                } else {
                    format!("ở {}", used_in.join(", "))
                },
                new: !matches!(chosen, Some(Choice::SameAs(_))),
                units: unit_names
                    .iter()
                    .map(|n| OptionView {
                        name: (*n).clone(),
                        selected: same(n),
                    })
                    .collect(),
                groups: group_names
                    .iter()
                    .map(|n| OptionView {
                        name: (*n).clone(),
                        selected: same(n),
                    })
                    .collect(),
            }
        })
        .collect();
    let timed = plan.tasks.iter().filter(|t| t.deadline.is_some()).count();
    let unparsed: Vec<(usize, String)> = plan
        .unparsed
        .iter()
        .flatten()
        .map(|u| (u.line, u.text.clone()))
        .collect();
    let counts = format!(
        "{} đợt, {} nhiệm vụ ({} có thời hạn đọc được), {} báo cáo, {} khẩu hiệu, {} văn bản căn cứ; {} đơn vị chưa có trong danh mục, {} dòng chưa hiểu.",
        plan.phases.len(),
        plan.tasks.len(),
        timed,
        plan.reporting.len(),
        plan.slogans.len(),
        plan.based_on.len(),
        proposed.len(),
        unparsed.len()
    );
    let title = if plan.number.is_empty() {
        format!("Bản nháp số {}", d.draft_id)
    } else {
        format!("Bản nháp kế hoạch số {}", plan.number)
    };
    ReviewPage {
        layout: Layout::new(state, user, &title, "/ke-hoach"),
        id: d.draft_id,
        version: d.version,
        file_name: d.file_name.clone(),
        format_label: if d.format == "docx" {
            "DOCX"
        } else {
            "văn bản"
        },
        encoding: d.encoding.clone(),
        creator: d.creator_name.clone(),
        created_at: vn_time(&d.created_at),
        number: plan.number.clone(),
        date: plan.date.as_deref().map(vn_text).unwrap_or_default(),
        issuer: plan.issuer.clone(),
        place: plan.place.clone().unwrap_or_default(),
        title: plan.title.clone(),
        counts,
        tasks,
        doubtful,
        proposed: proposed_views,
        unparsed,
        phases: plan
            .phases
            .iter()
            .map(|p| TimedView {
                name: p.name.clone(),
                phrase: p.phrase.clone(),
                words: rule_words(Some(&p.phrase), p.window.as_ref()).0,
                names: Vec::new(),
            })
            .collect(),
        reporting: plan
            .reporting
            .iter()
            .map(|r| TimedView {
                name: r.name.clone(),
                phrase: r.deadline_phrase.clone().unwrap_or_default(),
                words: rule_words(r.deadline_phrase.as_deref(), r.deadline.as_ref()).0,
                names: r.reporters.iter().chain(&r.recipient).map(view).collect(),
            })
            .collect(),
        can_edit: d.status == Status::Open && access::import_plan(user).is_ok(),
        stored_number: (d.status == Status::Stored)
            .then(|| d.plan_number.clone().unwrap_or_default()),
        notice: s.notice,
        errors: s.errors,
    }
}

pub(super) async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    DraftToRead(d): DraftToRead,
    q: Params,
) -> PageResult<ReviewPage> {
    let dir = directory(&state).await?;
    let notice = match q.text("ket-qua") {
        Some("da-luu") => Some("Đã lưu sửa đổi.".to_string()),
        Some("khong-doi") => Some("Không có gì thay đổi.".to_string()),
        _ => None,
    };
    let shown = Shown {
        draft: &d,
        plan: &d.plan,
        choices: &d.choices,
        notice,
        errors: Vec::new(),
    };
    Ok(review_view(&state, &user, shown, &dir))
}

/// A form field sent once or several times (the last one counts).
#[derive(Deserialize)]
#[serde(untagged)]
pub(super) enum FormValue {
    One(String),
    Many(Vec<String>),
}

pub(super) async fn form(
    State(state): State<AppState>,
    user: CurrentUser,
    DraftToEdit(d): DraftToEdit,
    CsrfForm(form): CsrfForm<HashMap<String, FormValue>>,
) -> PageResult<Response> {
    let form: HashMap<String, String> = form
        .into_iter()
        .map(|(k, v)| {
            let v = match v {
                FormValue::One(s) => s,
                FormValue::Many(mut all) => all.pop().unwrap_or_default(),
            };
            (k, v)
        })
        .collect();
    let dir = directory(&state).await?;
    let render = |plan: &PlanDoc,
                  choices: &BTreeMap<String, Choice>,
                  status: StatusCode,
                  errors: Vec<String>| {
        let shown = Shown {
            draft: &d,
            plan,
            choices,
            notice: None,
            errors,
        };
        (status, review_view(&state, &user, shown, &dir)).into_response()
    };
    if d.status == Status::Stored {
        let msg = format!(
            "bản nháp này đã được xác nhận: kế hoạch số {} đã lưu; không sửa hay xác nhận lại được",
            d.plan_number.as_deref().unwrap_or("?")
        );
        return Ok(render(&d.plan, &d.choices, StatusCode::CONFLICT, vec![msg]));
    }
    let expected = form
        .get("version")
        .and_then(|v| v.trim().parse::<i64>().ok());
    if expected.is_some_and(|v| v != d.version) {
        let msg = "bản nháp vừa được người khác sửa sau khi bạn mở trang; chưa lưu gì — trang dưới đây là bản mới nhất, hãy sửa lại".to_string();
        return Ok(render(&d.plan, &d.choices, StatusCode::CONFLICT, vec![msg]));
    }
    let (plan, choices) = match apply_form(&d, &form, &dir) {
        Applied::Done(plan, choices) => (plan, choices),
        Applied::Faulty(plan, choices, faults) => {
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            return Ok(render(&plan, &choices, status, faults));
        }
        Applied::Outdated => {
            let msg = "bản nháp đã thay đổi so với trang bạn đang sửa; chưa lưu gì — trang dưới đây là bản mới nhất, hãy sửa lại".to_string();
            return Ok(render(&d.plan, &d.choices, StatusCode::CONFLICT, vec![msg]));
        }
    };
    if form.get("action").map(String::as_str) == Some("confirm") {
        return match confirm(&state, &user, &d, &plan, &choices, expected, &dir).await {
            // The plan's page, saying it was just made.
            Ok(loaded) => Ok(
                Redirect::to(&format!("{}&ket-qua=da-tao", plan_url(&loaded.number)))
                    .into_response(),
            ),
            Err(Refusal::Faults(faults)) => {
                let mut errors = vec![format!(
                    "kế hoạch chưa hợp lệ ({} lỗi); chưa lưu gì — sửa rồi xác nhận lại:",
                    faults.len()
                )];
                errors.extend(faults);
                Ok(render(
                    &plan,
                    &choices,
                    StatusCode::UNPROCESSABLE_ENTITY,
                    errors,
                ))
            }
            Err(Refusal::Error(e @ (AppError::BadRequest(_) | AppError::Conflict(_)))) => {
                Ok(render(&plan, &choices, e.status(), vec![e.to_string()]))
            }
            Err(Refusal::Error(e)) => Err(e),
        };
    }
    let result = match save(&state, &user, &d, &plan, &choices, expected).await {
        Ok(true) => "da-luu",
        Ok(false) => "khong-doi",
        Err(e @ AppError::Conflict(_)) => {
            return Ok(render(&plan, &choices, e.status(), vec![e.to_string()]));
        }
        Err(e) => return Err(e),
    };
    Ok(Redirect::to(&format!("/nhap-ke-hoach/{}?ket-qua={result}", d.draft_id)).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phrases_are_found_whatever_their_case_and_full_stop() {
        let l = cut_line(
            7,
            "Thời gian thực hiện: Hoàn thành trong tháng 11/2024.",
            Some("hoàn thành trong tháng 11/2024"),
        );
        assert_eq!(l.before, "Thời gian thực hiện: ");
        assert_eq!(l.mark, "Hoàn thành trong tháng 11/2024");
        assert_eq!(l.after, ".");
        let l = cut_line(
            8,
            "<b>Trước ngày 25/01/2025.</b>",
            Some("Trước ngày 25/01/2025."),
        );
        assert_eq!(
            (l.before.as_str(), l.mark.as_str(), l.after.as_str()),
            ("<b>", "Trước ngày 25/01/2025.", "</b>")
        );
        let l = cut_line(9, "Không có cụm nào", Some("trong tháng 4/2025"));
        assert_eq!(
            (l.before.as_str(), l.mark.as_str()),
            ("Không có cụm nào", "")
        );
    }

    #[test]
    fn rules_in_words_or_why_not() {
        let (w, e) = rule_words(Some("Trước ngày 25/01/2025."), None);
        assert_eq!(w, "chưa đọc được thời hạn");
        assert!(e.is_none());
        let (w, e) = rule_words(Some("hôm nào rảnh"), None);
        assert_eq!(w, "chưa đọc được thời hạn");
        assert!(e.unwrap().contains("không đọc được"));
        assert_eq!(rule_words(None, None).0, "không có thời hạn");
        let rule = deadline::parse("trước ngày 25/01/2025").unwrap();
        assert!(rule_words(Some("x"), Some(&rule)).0.contains("25/01/2025"));
    }
}
