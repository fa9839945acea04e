//! A reviewer's corrections to a draft, saved; and the draft confirmed
//! into a stored plan.

use super::Directory;
use crate::error::AppError;
use crate::session::CurrentUser;
use crate::state::AppState;
use crate::support::forms::parse_optional_day;
use dondoc_core::deadline::{self, Rule};
use dondoc_core::plan::PlanDoc;
use dondoc_core::plan_file;
use dondoc_import::adopt;
use dondoc_import::matching::{self};
use dondoc_store::StoreError;
use dondoc_store::drafts::{Choice, Draft};
use dondoc_store::plans::Loaded;
use serde_json::{Map, Value, json};
use std::collections::{BTreeMap, HashMap};

/// A list of names as typed: one a line, or separated by «;».
fn names(s: &str) -> Vec<String> {
    s.split(['\n', ';'])
        .map(|n| n.trim().trim_end_matches(['.', ',']).trim())
        .filter(|n| !n.is_empty())
        .map(str::to_string)
        .collect()
}

fn blank_none(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_string())
}

/// A phrase the reviewer typed, read into a rule. A deferral ("theo kế
/// hoạch của …") has no rule and is no fault; a phrase that does not read
/// keeps its text, has no rule, and is told beside its task.
pub(super) fn reread(phrase: Option<&str>) -> Option<Rule> {
    deadline::parse(phrase?).ok()
}

/// What the page's form made of a draft.
pub(super) enum Applied {
    Done(PlanDoc, BTreeMap<String, Choice>),
    /// Some fields are wrong; the others are applied, to be shown again.
    Faulty(PlanDoc, BTreeMap<String, Choice>, Vec<String>),
    /// The form's tasks are not the draft's: it was made from another state.
    Outdated,
}

/// The page's form applied to a draft. Fields the form does not carry stay
/// as they were.
pub(super) fn apply_form(d: &Draft, form: &HashMap<String, String>, dir: &Directory) -> Applied {
    let mut plan = d.plan.clone();
    let mut faults = Vec::new();
    let field = |k: &str| form.get(k).map(String::as_str);
    if let Some(v) = field("so") {
        plan.number = v.trim().to_string();
    }
    if let Some(v) = field("ten") {
        plan.title = v.split_whitespace().collect::<Vec<_>>().join(" ");
    }
    if let Some(v) = field("co_quan") {
        plan.issuer = v.trim().to_string();
    }
    if let Some(v) = field("dia_danh") {
        plan.place = blank_none(v);
    }
    if let Some(v) = field("ngay") {
        match parse_optional_day(v) {
            Ok(day) => plan.date = day.map(|d| d.to_string()),
            Err(e) => faults.push(format!("ngày ban hành: {e}")),
        }
    }
    for (i, t) in plan.tasks.iter_mut().enumerate() {
        let key = |what: &str| format!("nv{i}_{what}");
        if field(&key("ref")).is_some_and(|r| r != t.reference) {
            return Applied::Outdated;
        }
        if let Some(v) = field(&key("noi_dung")) {
            t.text = v.trim().to_string();
        }
        if let Some(v) = field(&key("chu_tri")) {
            t.leads = names(v);
        }
        if let Some(v) = field(&key("phoi_hop")) {
            t.coordinates = names(v);
        }
        if let Some(v) = field(&key("thoi_han")) {
            let phrase = blank_none(v);
            if phrase != t.deadline_phrase {
                t.deadline = reread(phrase.as_deref());
                t.deadline_phrase = phrase;
            }
        }
    }
    let mut choices = d.choices.clone();
    for (k, written) in form {
        let Some(slot) = k.strip_suffix("_ten").filter(|s| s.starts_with("dv")) else {
            continue;
        };
        match field(slot).map(str::trim) {
            None | Some("") => {}
            Some("moi") => {
                choices.insert(written.clone(), Choice::New);
            }
            Some(v) => match v.strip_prefix("la:").and_then(|n| dir.resolve(n)) {
                Some(known) => {
                    choices.insert(written.clone(), Choice::SameAs(known));
                }
                None => faults.push(format!(
                    "«{written}»: «{}» không có trong danh mục đơn vị",
                    v.strip_prefix("la:").unwrap_or(v)
                )),
            },
        }
    }
    let (plan, choices) = finish(plan, choices, dir);
    if faults.is_empty() {
        Applied::Done(plan, choices)
    } else {
        Applied::Faulty(plan, choices, faults)
    }
}

/// Names matched again after a change, and the choices for names no
/// longer proposed dropped.
pub(super) fn finish(
    mut plan: PlanDoc,
    mut choices: BTreeMap<String, Choice>,
    dir: &Directory,
) -> (PlanDoc, BTreeMap<String, Choice>) {
    matching::propose(&mut plan, Some(&dir.known));
    let proposed = plan.proposed_units.clone().unwrap_or_default();
    choices.retain(|name, _| proposed.contains(name));
    (plan, choices)
}

/// Choices sent by the API, each target resolved in the directory.
pub(super) fn resolve_choices(
    sent: BTreeMap<String, Choice>,
    dir: &Directory,
) -> Result<BTreeMap<String, Choice>, AppError> {
    let mut out = BTreeMap::new();
    for (written, c) in sent {
        let c = match c {
            Choice::New => Choice::New,
            Choice::SameAs(n) => Choice::SameAs(dir.resolve(&n).ok_or_else(|| {
                AppError::BadRequest(format!("«{written}»: «{n}» không có trong danh mục đơn vị"))
            })?),
        };
        out.insert(written, c);
    }
    Ok(out)
}

fn choice_text(c: &Choice) -> String {
    match c {
        Choice::New => "thêm đơn vị mới".to_string(),
        Choice::SameAs(n) => format!("là «{n}»"),
    }
}

/// What a correction changed, for the audit trail: the header's facts, the
/// tasks' fields and the choices that differ, before and after.
fn changes(
    old: &PlanDoc,
    old_choices: &BTreeMap<String, Choice>,
    new: &PlanDoc,
    new_choices: &BTreeMap<String, Choice>,
) -> Option<(Value, Value)> {
    fn put(b: &mut Map<String, Value>, a: &mut Map<String, Value>, k: &str, x: Value, y: Value) {
        if x != y {
            b.insert(k.to_string(), x);
            a.insert(k.to_string(), y);
        }
    }
    let (mut before, mut after) = (Map::new(), Map::new());
    for (key, o, n) in [
        ("number", json!(old.number), json!(new.number)),
        ("date", json!(old.date), json!(new.date)),
        ("issuer", json!(old.issuer), json!(new.issuer)),
        ("place", json!(old.place), json!(new.place)),
        ("title", json!(old.title), json!(new.title)),
    ] {
        put(&mut before, &mut after, key, o, n);
    }
    let (mut tb, mut ta) = (Map::new(), Map::new());
    for (o, n) in old.tasks.iter().zip(&new.tasks) {
        let r = &n.reference;
        put(
            &mut tb,
            &mut ta,
            &format!("{r} nội dung"),
            json!(o.text),
            json!(n.text),
        );
        put(
            &mut tb,
            &mut ta,
            &format!("{r} chủ trì"),
            json!(o.leads.join("; ")),
            json!(n.leads.join("; ")),
        );
        put(
            &mut tb,
            &mut ta,
            &format!("{r} phối hợp"),
            json!(o.coordinates.join("; ")),
            json!(n.coordinates.join("; ")),
        );
        put(
            &mut tb,
            &mut ta,
            &format!("{r} thời hạn"),
            json!(o.deadline_phrase),
            json!(n.deadline_phrase),
        );
    }
    if !ta.is_empty() {
        before.insert("task".into(), Value::Object(tb));
        after.insert("task".into(), Value::Object(ta));
    }
    let (mut cb, mut ca) = (Map::new(), Map::new());
    for name in old_choices.keys().chain(new_choices.keys()) {
        let text = |m: &BTreeMap<String, Choice>| m.get(name).map(choice_text);
        put(
            &mut cb,
            &mut ca,
            name,
            json!(text(old_choices)),
            json!(text(new_choices)),
        );
    }
    if !ca.is_empty() {
        before.insert("choice".into(), Value::Object(cb));
        after.insert("choice".into(), Value::Object(ca));
    }
    let mut keep_old = old.clone();
    keep_old.proposed_units = None;
    let mut keep_new = new.clone();
    keep_new.proposed_units = None;
    if after.is_empty() && keep_old != keep_new {
        after.insert("other".into(), json!("các phần khác của bản nháp"));
    }
    (!after.is_empty()).then_some((Value::Object(before), Value::Object(after)))
}

/// Saves corrections, if there are any; says whether there were.
pub(super) async fn save(
    state: &AppState,
    user: &CurrentUser,
    d: &Draft,
    plan: &PlanDoc,
    choices: &BTreeMap<String, Choice>,
    expected: Option<i64>,
) -> Result<bool, AppError> {
    let Some((before, after)) = changes(&d.plan, &d.choices, plan, choices) else {
        return Ok(false);
    };
    state
        .store
        .save_draft(
            d.draft_id,
            plan,
            choices,
            expected,
            &user.user.username,
            Some(before),
            Some(after),
        )
        .await?;
    Ok(true)
}

// ---- Confirming -------------------------------------------------------------

/// Why a draft was not stored.
pub(super) enum Refusal {
    /// What the checks of a plan found, each with its place.
    Faults(Vec<String>),
    Error(AppError),
}

impl From<AppError> for Refusal {
    fn from(e: AppError) -> Self {
        Refusal::Error(e)
    }
}

fn exists_message(number: &str) -> String {
    format!(
        "kế hoạch số {number} đã có trong cơ sở dữ liệu; chưa lưu gì. Nếu đây là văn bản khác, sửa số kế hoạch rồi xác nhận lại"
    )
}

/// Adopts the draft into the directory with the reviewer's choices, checks
/// it, and stores it while closing the draft.
pub(super) async fn confirm(
    state: &AppState,
    user: &CurrentUser,
    d: &Draft,
    draft: &PlanDoc,
    choices: &BTreeMap<String, Choice>,
    expected: Option<i64>,
    dir: &Directory,
) -> Result<Loaded, Refusal> {
    let decided: HashMap<String, adopt::Choice> = choices
        .iter()
        .map(|(k, c)| {
            let c = match c {
                Choice::New => adopt::Choice::New,
                Choice::SameAs(n) => adopt::Choice::SameAs(n.clone()),
            };
            (k.clone(), c)
        })
        .collect();
    let plan = adopt::adopt(draft, &dir.units, &dir.groups, &decided);
    if let Err(e) = plan_file::check(&plan) {
        return Err(Refusal::Faults(
            e.faults.iter().map(ToString::to_string).collect(),
        ));
    }
    if state
        .store
        .has_plan(&plan.issuer, &plan.number)
        .await
        .map_err(AppError::from)?
    {
        return Err(AppError::BadRequest(exists_message(&plan.number)).into());
    }
    let today = state.clock.today();
    match state
        .store
        .confirm_draft(
            d.draft_id,
            draft,
            choices,
            expected,
            &plan,
            &user.user.username,
            today,
        )
        .await
    {
        Ok(loaded) => Ok(loaded),
        Err(StoreError::InvalidPlan(e)) => Err(Refusal::Faults(
            e.faults.iter().map(ToString::to_string).collect(),
        )),
        Err(StoreError::PlanExists(n)) => Err(AppError::BadRequest(exists_message(&n)).into()),
        Err(e) => Err(AppError::from(e).into()),
    }
}

pub(super) fn plan_url(number: &str) -> String {
    format!(
        "/ke-hoach?ke-hoach={}",
        crate::support::url::percent_encode(number)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_one_a_line_or_by_semicolons() {
        assert_eq!(
            names("Ban Tuyên giáo Huyện ủy\n Văn phòng Huyện ủy; Huyện đoàn.\n\n"),
            [
                "Ban Tuyên giáo Huyện ủy",
                "Văn phòng Huyện ủy",
                "Huyện đoàn"
            ]
        );
    }
}
