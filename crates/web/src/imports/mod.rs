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

use crate::error::AppError;
use crate::session::CurrentUser;
use crate::state::AppState;
use crate::support::upload::{Limits, Upload, UploadKind};
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use dondoc_core::plan::{Group, Unit};
use dondoc_import::matching::{self, Known};
use dondoc_import::{Format, ImportError};
use dondoc_store::drafts::{NewDraft, Source};
use dondoc_store::reports::MAX_ATTACHMENT;

/// A plan's document, or its text pasted in: each up to 10 MB.
struct PlanDocument;

impl UploadKind for PlanDocument {
    const LIMITS: Limits = Limits {
        file: MAX_ATTACHMENT,
        text: MAX_ATTACHMENT,
        file_what: "văn bản kế hoạch",
    };
}

mod api;
mod corrections;
mod review;
mod upload;

pub fn routes() -> Router<AppState> {
    let upload = DefaultBodyLimit::max(PlanDocument::LIMITS.body());
    Router::new()
        .route(
            "/nhap-ke-hoach",
            get(upload::page).post(upload::form).layer(upload),
        )
        .route("/nhap-ke-hoach/{id}", get(review::page).post(review::form))
        .route("/api/imports", post(api::create_draft).layer(upload))
        .route(
            "/api/imports/{id}",
            get(api::get_draft).put(api::save_draft),
        )
        .route("/api/imports/{id}/confirm", post(api::confirm_draft))
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
