//! *Nhập kế hoạch*: a plan read from its document (DOCX, text, Markdown, or
//! text pasted in), checked and corrected by a person, then stored.
//!
//! Reading never stores a plan: it keeps a draft (`import_drafts`) with each
//! task beside the lines it was read from, the names the directory does not
//! know, and the lines that were not understood. The reviewer corrects the
//! draft, says what each unknown name is, and confirms; only then is the
//! plan checked and stored, together with closing the draft, in one
//! transaction. Only plan owners and administrators (`access::import_plan`)
//! may import; a draft's author may still read it.

use crate::access;
use crate::error::{ApiError, ApiResult, AppError, PageResult};
use crate::guard::{DraftToEdit, DraftToRead, Importer};
use crate::layout::{Layout, vn_text, vn_time};
use crate::session::{Api, CurrentUser};
use crate::state::AppState;
use crate::support::csrf::{CsrfForm, CsrfUpload};
use crate::support::forms::{VnJson, field_message, parse_optional_day};
use crate::support::query::Params;
use crate::support::upload::{self, Limits, Upload, UploadKind};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{DefaultBodyLimit, FromRequest, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use dondoc_core::deadline::{self, Reason, Rule};
use dondoc_core::plan::{Group, PlanDoc, Unit};
use dondoc_core::plan_file;
use dondoc_core::text::name_key;
use dondoc_import::adopt;
use dondoc_import::matching::{self, Known, match_key};
use dondoc_import::{Format, ImportError};
use dondoc_store::StoreError;
use dondoc_store::drafts::{Choice, Draft, NewDraft, Source, Status};
use dondoc_store::plans::Loaded;
use dondoc_store::reports::MAX_ATTACHMENT;
use serde::Deserialize;
use serde_json::{Map, Value, json};
use std::collections::{BTreeMap, HashMap};

/// A plan's document, or its text pasted in: each up to 10 MB.
struct PlanDocument;

impl UploadKind for PlanDocument {
    const LIMITS: Limits = Limits {
        file: MAX_ATTACHMENT,
        text: MAX_ATTACHMENT,
        file_what: "văn bản kế hoạch",
    };
}

pub fn routes() -> Router<AppState> {
    let upload = DefaultBodyLimit::max(PlanDocument::LIMITS.body());
    Router::new()
        .route(
            "/nhap-ke-hoach",
            get(upload_page).post(upload_form).layer(upload),
        )
        .route("/nhap-ke-hoach/{id}", get(review_page).post(review_form))
        .route("/api/imports", post(api_create).layer(upload))
        .route("/api/imports/{id}", get(api_get).put(api_save))
        .route("/api/imports/{id}/confirm", post(api_confirm))
}

/// How many drafts the upload page lists.
const RECENT_DRAFTS: i64 = 20;

// ---- Reading what was sent ------------------------------------------------

/// What an upload brought: a file, or text pasted in.
#[derive(Default)]
struct Sent {
    file: Option<(String, Vec<u8>)>,
    text: String,
    /// The name pasted text goes by (the API may give one).
    text_name: String,
}

/// The form's first file and its pasted text (`van_ban` on the page,
/// `text` and `file_name` from the API).
fn sent_of(mut u: Upload) -> Sent {
    let text = ["van_ban", "text"]
        .into_iter()
        .find_map(|k| u.fields.remove(k))
        .unwrap_or_default();
    Sent {
        text,
        text_name: u.fields.remove("file_name").unwrap_or_default(),
        file: u.file.map(|f| (f.filename, f.data)),
    }
}

/// The last part of a path a browser may send, trimmed and bounded.
fn clean_name(name: &str) -> String {
    let last = name.rsplit(['/', '\\']).next().unwrap_or(name).trim();
    let cut: String = last.chars().take(200).collect();
    if cut.is_empty() {
        "văn bản dán vào".to_string()
    } else {
        cut
    }
}

/// The draft the document reads to. Reading is CPU work: it runs off the
/// request threads.
async fn read_document(sent: Sent) -> Result<(String, dondoc_import::Draft), AppError> {
    let (name, read) = match sent.file {
        Some((name, bytes)) => {
            let name = clean_name(&name);
            let n = name.clone();
            let read = tokio::task::spawn_blocking(move || dondoc_import::read_bytes(&bytes, &n));
            (name, read)
        }
        None if !sent.text.trim().is_empty() => {
            let name = clean_name(&sent.text_name);
            let text = sent.text;
            let read = tokio::task::spawn_blocking(move || dondoc_import::read_text(&text));
            (name, read)
        }
        None => {
            return Err(AppError::BadRequest(
                "chưa chọn tệp văn bản hay dán nội dung kế hoạch".into(),
            ));
        }
    };
    let draft = read
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?
        .map_err(|e: ImportError| AppError::BadRequest(format!("không đọc được «{name}»: {e}")))?;
    Ok((name, draft))
}

// ---- The directory ----------------------------------------------------------

/// The units and groups names are matched against.
struct Directory {
    units: Vec<Unit>,
    groups: Vec<Group>,
    known: Known,
}

async fn directory(state: &AppState) -> Result<Directory, AppError> {
    let (units, groups) = state.store.directory().await?;
    let known = Known::of(&units, &groups);
    Ok(Directory {
        units,
        groups,
        known,
    })
}

impl Directory {
    /// The stored name of a unit or group, however it is written.
    fn resolve(&self, name: &str) -> Option<String> {
        let exact = self
            .units
            .iter()
            .map(|u| &u.name)
            .chain(self.groups.iter().map(|g| &g.name))
            .find(|n| n.as_str() == name);
        exact
            .cloned()
            .or_else(|| self.known.find(name).map(str::to_string))
    }
}

/// Reads, matches and keeps a draft; returns its id with what was read.
async fn create(
    state: &AppState,
    user: &CurrentUser,
    sent: Sent,
) -> Result<(i64, dondoc_import::Draft), AppError> {
    let (file_name, mut draft) = read_document(sent).await?;
    let dir = directory(state).await?;
    matching::propose(&mut draft.plan, Some(&dir.known));
    let sources = sources_of(&draft);
    let new = NewDraft {
        created_by: user.user.user_id,
        file_name: &file_name,
        format: match draft.format {
            Format::Text => "text",
            Format::Docx => "docx",
        },
        encoding: draft.encoding,
        plan: &draft.plan,
        sources: &sources,
        lines: &draft.lines,
    };
    let id = state.store.create_draft(&new, &user.user.username).await?;
    Ok((id, draft))
}

fn sources_of(d: &dondoc_import::Draft) -> Vec<Source> {
    d.sources
        .iter()
        .map(|s| Source {
            reference: s.reference.clone(),
            lines: s.lines.clone(),
        })
        .collect()
}

// ---- Corrections ------------------------------------------------------------

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
fn reread(phrase: Option<&str>) -> Option<Rule> {
    deadline::parse(phrase?).ok()
}

/// What the page's form made of a draft.
enum Applied {
    Done(PlanDoc, BTreeMap<String, Choice>),
    /// Some fields are wrong; the others are applied, to be shown again.
    Faulty(PlanDoc, BTreeMap<String, Choice>, Vec<String>),
    /// The form's tasks are not the draft's: it was made from another state.
    Outdated,
}

/// The page's form applied to a draft. Fields the form does not carry stay
/// as they were.
fn apply_form(d: &Draft, form: &HashMap<String, String>, dir: &Directory) -> Applied {
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
fn finish(
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
fn resolve_choices(
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
async fn save(
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
enum Refusal {
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
async fn confirm(
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
        .has_plan(&plan.number)
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

fn plan_url(number: &str) -> String {
    format!(
        "/ke-hoach?so={}",
        crate::support::url::percent_encode(number)
    )
}

// ---- The upload page --------------------------------------------------------

struct DraftLine {
    href: String,
    label: String,
    title: String,
    who: String,
    at: String,
    stored: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "import_upload.html")]
struct UploadPage {
    layout: Layout,
    error: Option<String>,
    text: String,
    max_file: String,
    drafts: Vec<DraftLine>,
}

async fn upload_view(
    state: &AppState,
    user: &CurrentUser,
    error: Option<String>,
    text: String,
) -> Result<UploadPage, AppError> {
    let drafts = state
        .store
        .drafts(RECENT_DRAFTS)
        .await?
        .into_iter()
        .map(|r| DraftLine {
            href: format!("/nhap-ke-hoach/{}", r.draft_id),
            label: if r.number.is_empty() {
                format!("Bản nháp số {}", r.draft_id)
            } else {
                format!("Kế hoạch số {}", r.number)
            },
            title: r.title,
            who: format!("{}, «{}»", r.creator_name, r.file_name),
            at: vn_time(&r.created_at),
            stored: (r.status == Status::Stored).then(|| r.plan_number.unwrap_or_default()),
        })
        .collect();
    Ok(UploadPage {
        layout: Layout::new(state, user, "Nhập kế hoạch từ văn bản", "/ke-hoach"),
        error,
        text,
        max_file: format!("{} MB", MAX_ATTACHMENT / (1024 * 1024)),
        drafts,
    })
}

async fn upload_page(
    State(state): State<AppState>,
    Importer(user): Importer,
) -> PageResult<UploadPage> {
    upload_view(&state, &user, None, String::new()).await
}

/// What the reader or the form refused is told on the form; anything else
/// is an error page.
fn fixable(e: &AppError) -> bool {
    matches!(e, AppError::BadRequest(_) | AppError::TooLarge(_))
}

async fn upload_form(
    State(state): State<AppState>,
    Importer(user): Importer,
    body: Result<CsrfUpload<PlanDocument>, AppError>,
) -> PageResult<Response> {
    let sent = match body {
        Ok(u) => sent_of(u.into_inner()),
        Err(e) if fixable(&e) => {
            let page = upload_view(&state, &user, Some(e.to_string()), String::new()).await?;
            return Ok((e.status(), page).into_response());
        }
        Err(e) => return Err(e),
    };
    let text = sent.text.clone();
    match create(&state, &user, sent).await {
        Ok((id, _)) => Ok(Redirect::to(&format!("/nhap-ke-hoach/{id}")).into_response()),
        Err(e) if fixable(&e) => {
            let page = upload_view(&state, &user, Some(e.to_string()), text).await?;
            Ok((e.status(), page).into_response())
        }
        Err(e) => Err(e),
    }
}

// ---- The review page --------------------------------------------------------

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
struct ReviewPage {
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
    let tasks = plan
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
            TaskCard {
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
            }
        })
        .collect();
    // In the order a Vietnamese reader looks for them: case and tone
    // placement aside.
    let mut unit_names: Vec<&String> = dir.units.iter().map(|u| &u.name).collect();
    unit_names.sort_by_cached_key(|n| name_key(n));
    let mut group_names: Vec<&String> = dir.groups.iter().map(|g| &g.name).collect();
    group_names.sort_by_cached_key(|n| name_key(n));
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

async fn review_page(
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
enum FormValue {
    One(String),
    Many(Vec<String>),
}

async fn review_form(
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
            Ok(loaded) => Ok(Redirect::to(&plan_url(&loaded.number)).into_response()),
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

// ---- API --------------------------------------------------------------------

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TextIn {
    #[serde(default)]
    file_name: Option<String>,
    text: String,
}

async fn api_create(
    State(state): State<AppState>,
    Api(Importer(user)): Api<Importer>,
    req: Request,
) -> ApiResult<Response> {
    let sent = if upload::is_multipart(&req) {
        sent_of(upload::read(req, PlanDocument::LIMITS).await?)
    } else {
        let VnJson(body) = VnJson::<TextIn>::from_request(req, &state).await?;
        Sent {
            text: body.text,
            text_name: body.file_name.unwrap_or_default(),
            ..Sent::default()
        }
    };
    let (id, draft) = create(&state, &user, sent).await?;
    let body = json!({
        "id": id,
        "url": format!("/nhap-ke-hoach/{id}"),
        "summary": dondoc_import::summary(&draft),
        "draft": draft.plan,
        "sources": sources_of(&draft),
    });
    Ok((StatusCode::CREATED, Json(body)).into_response())
}

async fn api_get(Api(DraftToRead(d)): Api<DraftToRead>) -> ApiResult<Json<Value>> {
    Ok(Json(json!({
        "id": d.draft_id,
        "url": format!("/nhap-ke-hoach/{}", d.draft_id),
        "status": d.status,
        "version": d.version,
        "plan_number": d.plan_number,
        "file_name": d.file_name,
        "format": d.format,
        "encoding": d.encoding,
        "created_at": d.created_at,
        "updated_at": d.updated_at,
        "created_by": {"user_id": d.created_by, "full_name": d.creator_name},
        "draft": d.plan,
        "sources": d.sources,
        "lines": d.lines,
        "choices": d.choices,
    })))
}

/// A corrected draft and the reviewer's choices, as the API sends them.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ReviewIn {
    #[serde(default)]
    draft: Option<Value>,
    #[serde(default)]
    choices: Option<BTreeMap<String, Choice>>,
    #[serde(default)]
    version: Option<i64>,
}

/// The request's draft (or the stored one) and choices, checked and
/// matched against the directory.
fn reviewed(
    d: &Draft,
    body: ReviewIn,
    dir: &Directory,
) -> Result<(PlanDoc, BTreeMap<String, Choice>), AppError> {
    let plan = match body.draft {
        None => d.plan.clone(),
        Some(v) => {
            // Names are compared in NFC, as when plan files are read.
            let mut sent: PlanDoc = serde_json::from_str(&dondoc_core::text::nfc(&v.to_string()))
                .map_err(|e| {
                AppError::BadRequest(format!(
                    "bản nháp (draft): {}",
                    field_message(&e.to_string())
                ))
            })?;
            fill_rules(&mut sent);
            sent
        }
    };
    let choices = match body.choices {
        None => d.choices.clone(),
        Some(c) => resolve_choices(c, dir)?,
    };
    Ok(finish(plan, choices, dir))
}

/// A phrase sent without its rule gets the rule it reads to, as when a plan
/// file is read; a phrase that does not read stays text with no rule.
fn fill_rules(plan: &mut PlanDoc) {
    for t in &mut plan.tasks {
        if t.deadline.is_none() {
            t.deadline = reread(t.deadline_phrase.as_deref());
        }
    }
    for r in &mut plan.reporting {
        if r.deadline.is_none() {
            r.deadline = reread(r.deadline_phrase.as_deref());
        }
    }
    for p in &mut plan.phases {
        if p.window.is_none() {
            p.window = reread(Some(&p.phrase));
        }
    }
}

fn stored_refusal(d: &Draft) -> AppError {
    AppError::Conflict(format!(
        "bản nháp này đã được xác nhận: kế hoạch số {} đã lưu; không sửa hay xác nhận lại được",
        d.plan_number.as_deref().unwrap_or("?")
    ))
}

async fn api_save(
    State(state): State<AppState>,
    Api(user): Api<CurrentUser>,
    Api(DraftToEdit(d)): Api<DraftToEdit>,
    VnJson(body): VnJson<ReviewIn>,
) -> ApiResult<Json<Value>> {
    if d.status == Status::Stored {
        return Err(stored_refusal(&d).into());
    }
    let dir = directory(&state).await?;
    let expected = body.version;
    let (plan, choices) = reviewed(&d, body, &dir)?;
    let changed = save(&state, &user, &d, &plan, &choices, expected).await?;
    let version = if changed { d.version + 1 } else { d.version };
    Ok(Json(json!({
        "id": d.draft_id,
        "changed": changed,
        "version": version,
        "draft": plan,
        "choices": choices,
    })))
}

async fn api_confirm(
    State(state): State<AppState>,
    Api(user): Api<CurrentUser>,
    Api(DraftToEdit(d)): Api<DraftToEdit>,
    VnJson(body): VnJson<ReviewIn>,
) -> ApiResult<Response> {
    if d.status == Status::Stored {
        return Err(stored_refusal(&d).into());
    }
    let dir = directory(&state).await?;
    let expected = body.version;
    let (plan, choices) = reviewed(&d, body, &dir)?;
    match confirm(&state, &user, &d, &plan, &choices, expected, &dir).await {
        Ok(l) => {
            let body = json!({
                "number": l.number,
                "plan_url": plan_url(&l.number),
                "tasks": l.tasks,
                "assignments": l.assignments,
                "phases": l.phases,
                "reporting": l.reporting,
                "units": l.units,
                "unlinked_events": l.unlinked_events,
            });
            Ok((StatusCode::CREATED, Json(body)).into_response())
        }
        Err(Refusal::Faults(faults)) => {
            let body = json!({
                "error": format!("kế hoạch chưa hợp lệ ({} lỗi): {}", faults.len(), faults.join("; ")),
                "faults": faults,
            });
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Json(body)).into_response())
        }
        Err(Refusal::Error(e)) => Err(ApiError(e)),
    }
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
