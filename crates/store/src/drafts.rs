//! Plans read from their documents, waiting for a person to check them.
//!
//! A draft keeps what the reader made of the document (the plan in the
//! interchange form, each task's source lines, the document's lines) and
//! what the reviewer decided for the names the directory did not know. It
//! is corrected in place; confirming it stores the plan and closes the
//! draft in one transaction, so a plan is never stored twice from one draft.

use crate::audit;
use crate::error::{Result, StoreError};
use crate::plans::{self, Loaded};
use dondoc_core::plan::PlanDoc;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use sqlx::{AnyConnection, Row};
use std::collections::BTreeMap;

/// The lines of the document a task was read from (1-based).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Source {
    #[serde(rename = "ref")]
    pub reference: String,
    pub lines: Vec<usize>,
}

/// What the reviewer decided for a name the directory did not know.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Choice {
    /// A new unit, named as written.
    New,
    /// This known unit or group.
    SameAs(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Still being reviewed.
    Open,
    /// Confirmed: its plan is stored.
    Stored,
}

impl Status {
    fn parse(s: &str) -> Option<Status> {
        match s {
            "open" => Some(Status::Open),
            "stored" => Some(Status::Stored),
            _ => None,
        }
    }
}

/// A draft as stored.
#[derive(Debug, Clone)]
pub struct Draft {
    pub draft_id: i64,
    pub created_by: i64,
    /// The creator's full name (their account may have been renamed since).
    pub creator_name: String,
    pub created_at: String,
    pub updated_at: String,
    pub file_name: String,
    /// `text` or `docx`.
    pub format: String,
    pub encoding: String,
    pub plan: PlanDoc,
    pub sources: Vec<Source>,
    pub lines: Vec<String>,
    /// Keyed by the name as written.
    pub choices: BTreeMap<String, Choice>,
    pub status: Status,
    /// The number the plan was stored under, once confirmed.
    pub plan_number: Option<String>,
    /// Bumped by every change, so that a form made from an older state is
    /// refused rather than overwriting what someone else saved.
    pub version: i64,
}

/// One line of the list of drafts.
#[derive(Debug, Clone, Serialize)]
pub struct DraftRow {
    pub draft_id: i64,
    pub creator_name: String,
    pub created_at: String,
    pub file_name: String,
    pub number: String,
    pub title: String,
    pub status: Status,
    pub plan_number: Option<String>,
}

pub struct NewDraft<'a> {
    pub created_by: i64,
    pub file_name: &'a str,
    pub format: &'a str,
    pub encoding: &'a str,
    pub plan: &'a PlanDoc,
    pub sources: &'a [Source],
    pub lines: &'a [String],
}

fn now() -> String {
    jiff::Timestamp::now().to_string()
}

/// Stores a new draft and records who read which file.
pub async fn insert(conn: &mut AnyConnection, d: &NewDraft<'_>, actor: &str) -> Result<i64> {
    let at = now();
    let id: i64 = sqlx::query(
        "insert into import_drafts (created_by, created_at, updated_at, file_name, format,
             encoding, draft_json, sources_json, lines_json)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9) returning draft_id",
    )
    .bind(d.created_by)
    .bind(&at)
    .bind(&at)
    .bind(d.file_name)
    .bind(d.format)
    .bind(d.encoding)
    .bind(serde_json::to_string(d.plan)?)
    .bind(serde_json::to_string(d.sources)?)
    .bind(serde_json::to_string(d.lines)?)
    .fetch_one(&mut *conn)
    .await?
    .try_get("draft_id")?;
    audit::record(
        conn,
        actor,
        "import.draft",
        "import",
        &id.to_string(),
        None,
        Some(json!({
            "file_name": d.file_name,
            "number": d.plan.number,
            "tasks": d.plan.tasks.len(),
            "proposed_units": d.plan.proposed_units.as_ref().map_or(0, Vec::len),
            "unparsed": d.plan.unparsed.as_ref().map_or(0, Vec::len),
        })),
    )
    .await?;
    Ok(id)
}

const SELECT: &str = "select d.draft_id, d.created_by, u.full_name as creator_name, d.created_at,
    d.updated_at, d.file_name, d.format, d.encoding, d.draft_json, d.sources_json, d.lines_json,
    d.choices_json, d.status, d.plan_number, d.version
    from import_drafts d join users u on u.user_id = d.created_by";

fn status_of(s: &str) -> Result<Status> {
    Status::parse(s).ok_or_else(|| StoreError::Corrupt(format!("trạng thái bản nháp «{s}»")))
}

pub async fn get(conn: &mut AnyConnection, id: i64) -> Result<Option<Draft>> {
    let sql = format!("{SELECT} where d.draft_id = $1");
    let Some(r) = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
    else {
        return Ok(None);
    };
    let text = |col: &str| -> Result<String> { Ok(r.try_get::<String, _>(col)?) };
    Ok(Some(Draft {
        draft_id: r.try_get("draft_id")?,
        created_by: r.try_get("created_by")?,
        creator_name: text("creator_name")?,
        created_at: text("created_at")?,
        updated_at: text("updated_at")?,
        file_name: text("file_name")?,
        format: text("format")?,
        encoding: text("encoding")?,
        plan: serde_json::from_str(&text("draft_json")?)?,
        sources: serde_json::from_str(&text("sources_json")?)?,
        lines: serde_json::from_str(&text("lines_json")?)?,
        choices: serde_json::from_str(&text("choices_json")?)?,
        status: status_of(&text("status")?)?,
        plan_number: r.try_get("plan_number")?,
        version: r.try_get("version")?,
    }))
}

/// The newest drafts first.
pub async fn list(conn: &mut AnyConnection, limit: i64) -> Result<Vec<DraftRow>> {
    let sql = format!("{SELECT} order by d.draft_id desc limit $1");
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(limit)
        .fetch_all(&mut *conn)
        .await?
        .into_iter()
        .map(|r| {
            let plan: PlanDoc = serde_json::from_str(&r.try_get::<String, _>("draft_json")?)?;
            Ok(DraftRow {
                draft_id: r.try_get("draft_id")?,
                creator_name: r.try_get("creator_name")?,
                created_at: r.try_get("created_at")?,
                file_name: r.try_get("file_name")?,
                number: plan.number,
                title: plan.title,
                status: status_of(&r.try_get::<String, _>("status")?)?,
                plan_number: r.try_get("plan_number")?,
            })
        })
        .collect()
}

/// Writes the draft and the choices over the stored ones, if the draft is
/// still open and (when `expected` is given) still at that version.
/// Returns the new version.
async fn overwrite(
    conn: &mut AnyConnection,
    id: i64,
    plan: &PlanDoc,
    choices: &BTreeMap<String, Choice>,
    expected: Option<i64>,
    stored_as: Option<&str>,
) -> Result<i64> {
    let current = get(conn, id)
        .await?
        .ok_or_else(|| StoreError::Invalid(format!("không có bản nháp số {id}")))?;
    if current.status == Status::Stored {
        return Err(StoreError::Stale(format!(
            "bản nháp này đã được xác nhận: kế hoạch số {} đã lưu; không sửa hay xác nhận lại được",
            current.plan_number.as_deref().unwrap_or("?")
        )));
    }
    if expected.is_some_and(|v| v != current.version) {
        return Err(StoreError::Stale(
            "bản nháp vừa được người khác sửa sau khi bạn mở trang; chưa lưu gì — tải lại trang rồi sửa lại"
                .into(),
        ));
    }
    // The version and status in the condition: of two saves racing from the
    // same state, the second changes nothing and is told so.
    let status = if stored_as.is_some() {
        "stored"
    } else {
        "open"
    };
    let done = sqlx::query(
        "update import_drafts set draft_json = $1, choices_json = $2, status = $3,
             plan_number = $4, updated_at = $5, version = version + 1
         where draft_id = $6 and version = $7 and status = 'open'",
    )
    .bind(serde_json::to_string(plan)?)
    .bind(serde_json::to_string(choices)?)
    .bind(status)
    .bind(stored_as)
    .bind(now())
    .bind(id)
    .bind(current.version)
    .execute(&mut *conn)
    .await?
    .rows_affected();
    if done == 0 {
        return Err(StoreError::Stale(
            "bản nháp vừa được người khác sửa hoặc xác nhận; chưa lưu gì — tải lại trang".into(),
        ));
    }
    Ok(current.version + 1)
}

/// Saves the reviewer's corrections; `before` and `after` say what changed,
/// for the audit trail.
#[allow(clippy::too_many_arguments)]
pub async fn save(
    conn: &mut AnyConnection,
    id: i64,
    plan: &PlanDoc,
    choices: &BTreeMap<String, Choice>,
    expected: Option<i64>,
    actor: &str,
    before: Option<Value>,
    after: Option<Value>,
) -> Result<i64> {
    let version = overwrite(conn, id, plan, choices, expected, None).await?;
    audit::record(
        conn,
        actor,
        "import.edit",
        "import",
        &id.to_string(),
        before,
        after,
    )
    .await?;
    Ok(version)
}

/// Stores `plan` (the draft adopted into the directory) and closes the
/// draft with its last corrections. The caller holds the transaction: if
/// the plan cannot be stored, the draft stays open and unchanged.
#[allow(clippy::too_many_arguments)]
pub async fn confirm(
    conn: &mut AnyConnection,
    id: i64,
    draft: &PlanDoc,
    choices: &BTreeMap<String, Choice>,
    expected: Option<i64>,
    plan: &PlanDoc,
    actor: &str,
    today: Date,
) -> Result<Loaded> {
    overwrite(conn, id, draft, choices, expected, Some(&plan.number)).await?;
    let loaded = plans::insert(conn, plan, actor, today).await?;
    audit::record(
        conn,
        actor,
        "import.confirm",
        "import",
        &id.to_string(),
        None,
        Some(json!({
            "plan_number": loaded.number,
            "tasks": loaded.tasks,
            "assignments": loaded.assignments,
            "units": loaded.units,
        })),
    )
    .await?;
    Ok(loaded)
}
