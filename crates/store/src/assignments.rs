//! Assignments: what each unit was given to do, how far it has got and what
//! shows it. A change is checked, versioned (optimistic concurrency: a form
//! made from an older version is refused) and written with its file and its
//! audit entry in the caller's transaction, so it is kept whole or not at all.

use crate::audit;
use crate::error::{Result, StoreError};
use dondoc_core::due::{Due, DueState};
use dondoc_core::text::name_key;
use jiff::civil::Date;
use serde::Serialize;
use serde_json::json;
use sqlx::{AnyConnection, AssertSqlSafe, Row};
use std::collections::HashMap;

/// Largest evidence file accepted.
pub const MAX_FILE_BYTES: usize = 10 * 1024 * 1024;
/// Longest progress note or evidence text, in characters.
pub const MAX_TEXT_CHARS: usize = 10_000;
const MAX_LINK_CHARS: usize = 2_000;
const MAX_FILENAME_CHARS: usize = 200;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    NotStarted,
    InProgress,
    Done,
    Cancelled,
}

impl Status {
    pub const ALL: [Status; 4] = [
        Status::NotStarted,
        Status::InProgress,
        Status::Done,
        Status::Cancelled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::NotStarted => "not_started",
            Status::InProgress => "in_progress",
            Status::Done => "done",
            Status::Cancelled => "cancelled",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Status::NotStarted => "Chưa bắt đầu",
            Status::InProgress => "Đang thực hiện",
            Status::Done => "Hoàn thành",
            Status::Cancelled => "Huỷ",
        }
    }

    /// From the stored code or the Vietnamese label (any case, either
    /// tone-mark placement: "huỷ" and "hủy" are one word).
    pub fn parse(s: &str) -> Option<Status> {
        let key = name_key(s);
        Status::ALL
            .into_iter()
            .find(|st| st.as_str() == s.trim() || name_key(st.label()) == key)
    }

    /// Still to be done: what can be late.
    pub fn is_open(self) -> bool {
        matches!(self, Status::NotStarted | Status::InProgress)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AttachmentInfo {
    pub attachment_id: i64,
    pub filename: String,
    pub content_type: String,
    pub size: i64,
    pub created_at: String,
}

/// One assignment with its task, its unit, its due windows (from the index)
/// and its files.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Assignment {
    pub assignment_id: i64,
    pub plan_id: i64,
    pub plan_number: String,
    pub task_ref: String,
    pub task_text: String,
    pub heading: Option<String>,
    pub deadline_phrase: Option<String>,
    pub unit_id: i64,
    pub unit_name: String,
    pub status: Status,
    pub progress_note: Option<String>,
    pub evidence: Option<String>,
    pub evidence_link: Option<String>,
    pub completed_on: Option<String>,
    pub version: i64,
    pub updated_at: String,
    /// Full name of who last changed it, when a user did.
    pub updated_by: Option<String>,
    pub due: Vec<Due>,
    pub attachments: Vec<AttachmentInfo>,
}

impl Assignment {
    /// Late: still open, and a dated deadline has passed. Recurring windows
    /// are left out: the index holds the period current when it was written.
    pub fn is_overdue(&self, today: Date) -> bool {
        let today = today.to_string();
        self.status.is_open()
            && self.due.iter().any(|d| {
                d.state == DueState::Resolved && d.to.as_deref().is_some_and(|t| *t < *today)
            })
    }
}

/// A file sent with an update.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewFile {
    pub filename: String,
    pub content_type: String,
    pub data: Vec<u8>,
}

/// A unit's account of an assignment, replacing the one stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Update {
    pub status: Status,
    pub progress_note: Option<String>,
    pub evidence: Option<String>,
    pub evidence_link: Option<String>,
    /// Required when done; dropped otherwise.
    pub completed_on: Option<Date>,
    /// The version the form was made from.
    pub version: i64,
    pub file: Option<NewFile>,
}

impl Update {
    /// Blank texts become absent, and a completion date counts only for a
    /// finished assignment.
    pub fn normalized(mut self) -> Update {
        let clean = |s: Option<String>| s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
        self.progress_note = clean(self.progress_note);
        self.evidence = clean(self.evidence);
        self.evidence_link = clean(self.evidence_link);
        if self.status != Status::Done {
            self.completed_on = None;
        }
        self
    }

    /// Everything wrong with the update, in Vietnamese; empty when it may be
    /// saved. All faults are told at once so the user fixes them in one go.
    pub fn faults(&self, today: Date) -> Vec<String> {
        let mut out = Vec::new();
        match (self.status, self.completed_on) {
            (Status::Done, None) => {
                out.push("nhiệm vụ đã hoàn thành thì phải ghi ngày hoàn thành".into())
            }
            (Status::Done, Some(d)) if d > today => out.push(format!(
                "ngày hoàn thành {} ở sau hôm nay ({})",
                dondoc_core::text::vn_date(d),
                dondoc_core::text::vn_date(today)
            )),
            _ => {}
        }
        for (label, text) in [
            ("tiến độ", &self.progress_note),
            ("kết quả, minh chứng", &self.evidence),
        ] {
            let n = text.as_deref().map_or(0, |t| t.chars().count());
            if n > MAX_TEXT_CHARS {
                out.push(format!(
                    "phần «{label}» dài {n} ký tự, quá mức {MAX_TEXT_CHARS}"
                ));
            }
            if let Some(m) = text
                .as_deref()
                .and_then(|t| dondoc_core::text::bad_char_message(label, t))
            {
                out.push(m);
            }
        }
        if let Some(link) = &self.evidence_link
            && let Err(e) = check_link(link)
        {
            out.push(e);
        }
        if let Some(f) = &self.file {
            if f.data.is_empty() {
                out.push(format!("tệp «{}» rỗng", f.filename));
            } else if f.data.len() > MAX_FILE_BYTES {
                out.push(format!(
                    "tệp «{}» quá lớn (tối đa {} MB)",
                    f.filename,
                    MAX_FILE_BYTES / (1024 * 1024)
                ));
            }
        }
        out
    }
}

/// An evidence link must be a web address: `http://` or `https://` and a
/// host. Any other scheme (`javascript:`, `data:`, `file:`) is refused: the
/// link is shown to other users and must be safe to click.
pub fn check_link(link: &str) -> std::result::Result<(), String> {
    let bad = |why: &str| format!("đường dẫn minh chứng «{link}» không hợp lệ: {why}");
    if link.chars().count() > MAX_LINK_CHARS {
        return Err(bad("quá dài"));
    }
    if link
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | '"' | '\\'))
    {
        return Err(bad("có dấu cách hoặc ký tự không được phép"));
    }
    let lower = link.to_ascii_lowercase();
    let rest = ["https://", "http://"]
        .iter()
        .find_map(|scheme| lower.strip_prefix(scheme))
        .ok_or_else(|| bad("chỉ nhận địa chỉ bắt đầu bằng http:// hoặc https://"))?;
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = host.rsplit('@').next().unwrap_or("");
    if host.is_empty() || host.starts_with(':') {
        return Err(bad("thiếu tên máy chủ"));
    }
    Ok(())
}

/// A file name safe to store and to send back: no folders, no control
/// characters, no quotes, not too long.
pub fn clean_filename(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = base
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '"' | ';'))
        .take(MAX_FILENAME_CHARS)
        .collect();
    let cleaned = cleaned.trim().trim_start_matches('.').trim().to_string();
    if cleaned.is_empty() {
        "tep-dinh-kem".to_string()
    } else {
        cleaned
    }
}

const SELECT: &str =
    "select a.assignment_id, p.plan_id, p.number as plan_number, t.ref as task_ref,
        t.text as task_text, t.heading, t.deadline_phrase, a.unit_id, u.name as unit_name,
        a.status, a.progress_note, a.evidence, a.evidence_link, a.completed_on, a.version,
        a.updated_at, w.full_name as updated_by
    from assignments a join tasks t on t.task_id = a.task_id
    join plans p on p.plan_id = t.plan_id
    join units u on u.unit_id = a.unit_id
    left join users w on w.user_id = a.updated_by";

fn from_row(row: &sqlx::any::AnyRow) -> Result<Assignment> {
    let status: String = row.try_get("status")?;
    Ok(Assignment {
        assignment_id: row.try_get("assignment_id")?,
        plan_id: row.try_get("plan_id")?,
        plan_number: row.try_get("plan_number")?,
        task_ref: row.try_get("task_ref")?,
        task_text: row.try_get("task_text")?,
        heading: row.try_get("heading")?,
        deadline_phrase: row.try_get("deadline_phrase")?,
        unit_id: row.try_get("unit_id")?,
        unit_name: row.try_get("unit_name")?,
        status: Status::parse(&status)
            .ok_or_else(|| StoreError::Corrupt(format!("trạng thái «{status}»")))?,
        progress_note: row.try_get("progress_note")?,
        evidence: row.try_get("evidence")?,
        evidence_link: row.try_get("evidence_link")?,
        completed_on: row.try_get("completed_on")?,
        version: row.try_get("version")?,
        updated_at: row.try_get("updated_at")?,
        updated_by: row.try_get("updated_by")?,
        due: Vec::new(),
        attachments: Vec::new(),
    })
}

/// Due windows and files, fetched for many assignments in two queries
/// rather than two per assignment. `scope` is a condition on `a` (the
/// assignments) with `$1` bound to `arg`.
async fn fill_details(
    conn: &mut AnyConnection,
    list: &mut [Assignment],
    scope: &str,
    arg: i64,
) -> Result<()> {
    let mut due: HashMap<i64, Vec<Due>> = HashMap::new();
    let sql = format!(
        "select w.owner_id, w.from_date, w.to_date, w.state, w.waits_for, w.event_label, w.anchor
         from due_windows w join assignments a on a.assignment_id = w.owner_id
         where w.owner = 'assignment' and {scope} order by w.owner_id, w.seq"
    );
    for row in sqlx::query(AssertSqlSafe(sql))
        .bind(arg)
        .fetch_all(&mut *conn)
        .await?
    {
        due.entry(row.try_get("owner_id")?)
            .or_default()
            .push(crate::due_index::due_from_row(&row)?);
    }
    let mut files: HashMap<i64, Vec<AttachmentInfo>> = HashMap::new();
    let sql = format!(
        "select f.attachment_id, f.owner_id, f.filename, f.content_type, f.size, f.created_at
         from attachments f join assignments a on a.assignment_id = f.owner_id
         where f.owner = 'assignment' and {scope} order by f.attachment_id"
    );
    for row in sqlx::query(AssertSqlSafe(sql))
        .bind(arg)
        .fetch_all(&mut *conn)
        .await?
    {
        files
            .entry(row.try_get("owner_id")?)
            .or_default()
            .push(AttachmentInfo {
                attachment_id: row.try_get("attachment_id")?,
                filename: row.try_get("filename")?,
                content_type: row.try_get("content_type")?,
                size: row.try_get("size")?,
                created_at: row.try_get("created_at")?,
            });
    }
    for a in list {
        a.due = due.remove(&a.assignment_id).unwrap_or_default();
        a.attachments = files.remove(&a.assignment_id).unwrap_or_default();
    }
    Ok(())
}

/// One assignment, or `None` if there is no such assignment.
pub async fn get(conn: &mut AnyConnection, id: i64) -> Result<Option<Assignment>> {
    let sql = format!("{SELECT} where a.assignment_id = $1");
    let Some(row) = sqlx::query(AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
    else {
        return Ok(None);
    };
    let mut one = [from_row(&row)?];
    fill_details(conn, &mut one, "a.assignment_id = $1", id).await?;
    let [a] = one;
    Ok(Some(a))
}

/// A unit's assignments, in plan and task order.
pub async fn of_unit(conn: &mut AnyConnection, unit_id: i64) -> Result<Vec<Assignment>> {
    let sql = format!("{SELECT} where a.unit_id = $1 order by p.plan_id, t.position");
    let mut list = sqlx::query(AssertSqlSafe(sql))
        .bind(unit_id)
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(from_row)
        .collect::<Result<Vec<_>>>()?;
    fill_details(conn, &mut list, "a.unit_id = $1", unit_id).await?;
    Ok(list)
}

/// Every assignment of a plan, in task order, then by unit id.
pub async fn of_plan(conn: &mut AnyConnection, plan_id: i64) -> Result<Vec<Assignment>> {
    let sql = format!("{SELECT} where t.plan_id = $1 order by t.position, a.unit_id");
    let mut list = sqlx::query(AssertSqlSafe(sql))
        .bind(plan_id)
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(from_row)
        .collect::<Result<Vec<_>>>()?;
    fill_details(
        conn,
        &mut list,
        "a.task_id in (select task_id from tasks where plan_id = $1)",
        plan_id,
    )
    .await?;
    Ok(list)
}

/// How a unit's assignments stand.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub total: i64,
    pub not_started: i64,
    pub in_progress: i64,
    pub done: i64,
    pub cancelled: i64,
    pub overdue: i64,
}

impl Counts {
    /// The counts of assignments already read (one unit's, say).
    pub fn of(list: &[Assignment], today: Date) -> Counts {
        let mut c = Counts::default();
        for a in list {
            c.total += 1;
            *match a.status {
                Status::NotStarted => &mut c.not_started,
                Status::InProgress => &mut c.in_progress,
                Status::Done => &mut c.done,
                Status::Cancelled => &mut c.cancelled,
            } += 1;
            if a.is_overdue(today) {
                c.overdue += 1;
            }
        }
        c
    }
}

/// Counts per unit id, for every unit that has assignments; "overdue" as
/// `Assignment::is_overdue` says, computed on the index.
pub async fn counts_by_unit(conn: &mut AnyConnection, today: Date) -> Result<HashMap<i64, Counts>> {
    let mut out: HashMap<i64, Counts> = HashMap::new();
    for row in sqlx::query(
        "select unit_id, status, count(*) as n from assignments group by unit_id, status",
    )
    .fetch_all(&mut *conn)
    .await?
    {
        let c = out.entry(row.try_get("unit_id")?).or_default();
        let n: i64 = row.try_get("n")?;
        c.total += n;
        let status: String = row.try_get("status")?;
        match Status::parse(&status) {
            Some(Status::NotStarted) => c.not_started += n,
            Some(Status::InProgress) => c.in_progress += n,
            Some(Status::Done) => c.done += n,
            Some(Status::Cancelled) => c.cancelled += n,
            None => return Err(StoreError::Corrupt(format!("trạng thái «{status}»"))),
        }
    }
    for row in sqlx::query(
        "select a.unit_id, count(distinct a.assignment_id) as n from assignments a
         join due_windows w on w.owner = 'assignment' and w.owner_id = a.assignment_id
         where a.status in ('not_started', 'in_progress') and w.state = 'resolved'
           and w.to_date < $1
         group by a.unit_id",
    )
    .bind(today.to_string())
    .fetch_all(&mut *conn)
    .await?
    {
        out.entry(row.try_get("unit_id")?).or_default().overdue = row.try_get("n")?;
    }
    Ok(out)
}

/// "V.1.1.1 — Huyện uỷ Bảo Lạc" for each of the assignments asked about
/// that exists (for lists that name assignments, such as the audit trail).
pub async fn labels(conn: &mut AnyConnection, ids: &[i64]) -> Result<HashMap<i64, String>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let marks: Vec<String> = (1..=ids.len()).map(|i| format!("${i}")).collect();
    let sql = format!(
        "select a.assignment_id, t.ref, u.name from assignments a
         join tasks t on t.task_id = a.task_id join units u on u.unit_id = a.unit_id
         where a.assignment_id in ({})",
        marks.join(", ")
    );
    let mut q = sqlx::query(AssertSqlSafe(sql));
    for id in ids {
        q = q.bind(*id);
    }
    q.fetch_all(&mut *conn)
        .await?
        .into_iter()
        .map(|r| {
            let reference: String = r.try_get("ref")?;
            let unit: String = r.try_get("name")?;
            Ok((r.try_get("assignment_id")?, format!("{reference} — {unit}")))
        })
        .collect()
}

/// What the audit entry keeps of an assignment.
fn snapshot(a: &Assignment) -> serde_json::Value {
    json!({
        "status": a.status.as_str(),
        "progress_note": a.progress_note,
        "evidence": a.evidence,
        "evidence_link": a.evidence_link,
        "completed_on": a.completed_on,
    })
}

/// Who makes a change: the account name the audit trail shows, and the user
/// row it is linked to.
#[derive(Debug, Clone, Copy)]
pub struct Actor<'a> {
    pub username: &'a str,
    pub user_id: Option<i64>,
}

/// Replaces a unit's account of an assignment, adds its file, and audits
/// both. The caller holds the transaction: on any error nothing is kept.
///
/// Refused with `Stale` when the assignment changed since `change.version`
/// (or no longer exists), with `Invalid` when `Update::faults` finds any.
pub async fn update(
    conn: &mut AnyConnection,
    id: i64,
    change: Update,
    actor: Actor<'_>,
    today: Date,
) -> Result<Assignment> {
    let change = change.normalized();
    // Write first, read after: taking the row's write lock before reading it
    // makes the version check and the write see the same row. (On SQLite a
    // transaction that reads and then writes fails outright if another
    // writer committed in between.)
    sqlx::query("update assignments set version = version where assignment_id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    let before = get(conn, id)
        .await?
        .ok_or_else(|| StoreError::Stale("nhiệm vụ này không còn trong cơ sở dữ liệu".into()))?;
    if before.version != change.version {
        return Err(StoreError::Stale(format!(
            "nhiệm vụ {} của {} vừa được cập nhật sau khi bạn mở biểu mẫu; \
             chưa lưu gì — xem nội dung mới rồi nhập lại thay đổi của bạn",
            before.task_ref, before.unit_name
        )));
    }
    let faults = change.faults(today);
    if !faults.is_empty() {
        return Err(StoreError::Invalid(faults.join("; ")));
    }
    let now = jiff::Timestamp::now().to_string();
    let changed = sqlx::query(
        "update assignments set status = $1, progress_note = $2, evidence = $3,
             evidence_link = $4, completed_on = $5, version = version + 1, updated_at = $6,
             updated_by = $7
         where assignment_id = $8 and version = $9",
    )
    .bind(change.status.as_str())
    .bind(&change.progress_note)
    .bind(&change.evidence)
    .bind(&change.evidence_link)
    .bind(change.completed_on.map(|d| d.to_string()))
    .bind(&now)
    .bind(actor.user_id)
    .bind(id)
    .bind(change.version)
    .execute(&mut *conn)
    .await?
    .rows_affected();
    if changed != 1 {
        return Err(StoreError::Stale(
            "nhiệm vụ này vừa được cập nhật; tải lại trang rồi thử lại".into(),
        ));
    }
    let mut after_extra = None;
    if let Some(f) = &change.file {
        crate::quota::check_room(conn, None, before.unit_id, f.data.len() as u64).await?;
        let filename = clean_filename(&f.filename);
        let file_id: i64 = sqlx::query(
            "insert into attachments (owner, owner_id, filename, content_type, size, data,
                 uploaded_by, created_at)
             values ('assignment', $1, $2, $3, $4, $5, $6, $7) returning attachment_id",
        )
        .bind(id)
        .bind(&filename)
        .bind(&f.content_type)
        .bind(f.data.len() as i64)
        // The bytes go in pieces (`files`); the row keeps an empty value.
        .bind(Vec::<u8>::new())
        .bind(actor.user_id)
        .bind(&now)
        .fetch_one(&mut *conn)
        .await?
        .try_get("attachment_id")?;
        crate::files::put(conn, file_id, &f.data).await?;
        after_extra = Some(filename);
    }
    let after = get(conn, id)
        .await?
        .ok_or_else(|| StoreError::Corrupt(format!("nhiệm vụ {id} biến mất khi đang lưu")))?;
    let mut after_json = snapshot(&after);
    if let Some(name) = after_extra {
        after_json["attachment"] = json!(name);
    }
    audit::record(
        conn,
        actor.username,
        "assignment.update",
        "assignment",
        &id.to_string(),
        Some(snapshot(&before)),
        Some(after_json),
    )
    .await?;
    Ok(after)
}

/// A stored file of an assignment, with its bytes.
pub struct Attachment {
    pub info: AttachmentInfo,
    pub assignment_id: i64,
}

/// One file of an assignment, or `None`.
pub async fn attachment(
    conn: &mut AnyConnection,
    attachment_id: i64,
) -> Result<Option<Attachment>> {
    let row = sqlx::query(
        "select attachment_id, owner_id, filename, content_type, size, created_at
         from attachments where attachment_id = $1 and owner = 'assignment'",
    )
    .bind(attachment_id)
    .fetch_optional(&mut *conn)
    .await?;
    row.map(|r| {
        Ok(Attachment {
            info: AttachmentInfo {
                attachment_id: r.try_get("attachment_id")?,
                filename: r.try_get("filename")?,
                content_type: r.try_get("content_type")?,
                size: r.try_get("size")?,
                created_at: r.try_get("created_at")?,
            },
            assignment_id: r.try_get("owner_id")?,
        })
    })
    .transpose()
}

impl crate::Store {
    pub async fn assignment(&self, id: i64) -> Result<Option<Assignment>> {
        let mut conn = self.pool.acquire().await?;
        get(&mut conn, id).await
    }

    /// Every assignment of a plan, in task order.
    pub async fn assignments_of_plan(&self, plan_id: i64) -> Result<Vec<Assignment>> {
        let mut conn = self.pool.acquire().await?;
        of_plan(&mut conn, plan_id).await
    }

    pub async fn assignments_of_unit(&self, unit_id: i64) -> Result<Vec<Assignment>> {
        let mut conn = self.pool.acquire().await?;
        of_unit(&mut conn, unit_id).await
    }

    /// How each unit's assignments stand as of `today`.
    pub async fn assignment_counts(&self, today: Date) -> Result<HashMap<i64, Counts>> {
        let mut conn = self.pool.acquire().await?;
        counts_by_unit(&mut conn, today).await
    }

    /// A file of an assignment, with its bytes.
    pub async fn assignment_file(&self, attachment_id: i64) -> Result<Option<Attachment>> {
        let mut conn = self.pool.acquire().await?;
        attachment(&mut conn, attachment_id).await
    }

    /// Saves an update with its file and its audit entry, all or nothing,
    /// through the group commit (concurrent saves share one flush).
    pub async fn update_assignment(
        &self,
        id: i64,
        update: Update,
        username: &str,
        user_id: i64,
        today: Date,
    ) -> Result<Assignment> {
        let username = username.to_string();
        self.write(move |conn| {
            Box::pin(async move {
                let actor = Actor {
                    username: &username,
                    user_id: Some(user_id),
                };
                self::update(conn, id, update, actor, today).await
            })
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn done_on(d: Option<Date>) -> Update {
        Update {
            status: Status::Done,
            progress_note: None,
            evidence: None,
            evidence_link: None,
            completed_on: d,
            version: 1,
            file: None,
        }
    }

    #[test]
    fn statuses_read_from_code_or_words() {
        assert_eq!(Status::parse("done"), Some(Status::Done));
        assert_eq!(Status::parse("Hoàn thành"), Some(Status::Done));
        assert_eq!(Status::parse("hủy"), Some(Status::Cancelled));
        assert_eq!(Status::parse("huỷ"), Some(Status::Cancelled));
        assert_eq!(Status::parse("xyz"), None);
    }

    #[test]
    fn links_must_be_web_addresses() {
        assert!(check_link("https://baocaobang.vn/bai-viet?id=1").is_ok());
        assert!(check_link("HTTP://example.org").is_ok());
        for bad in [
            "javascript:alert(1)",
            "data:text/html,x",
            "file:///etc/passwd",
            "https://",
            "https:///x",
            "http://a b",
            "//example.org",
            "https://x\"onmouseover=1",
        ] {
            assert!(check_link(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn completion_date_required_when_done_and_not_in_the_future() {
        let today = date(2025, 3, 10);
        assert!(done_on(Some(today)).faults(today).is_empty());
        assert_eq!(done_on(None).faults(today).len(), 1);
        let f = done_on(Some(date(2025, 3, 11))).faults(today);
        assert!(f[0].contains("11/03/2025"), "{f:?}");
        let not_done = Update {
            status: Status::InProgress,
            ..done_on(Some(date(2030, 1, 1)))
        }
        .normalized();
        assert_eq!(not_done.completed_on, None);
        assert!(not_done.faults(today).is_empty());
    }

    #[test]
    fn file_names_lose_folders_and_quotes() {
        assert_eq!(clean_filename("C:\\tmp\\bao cao.pdf"), "bao cao.pdf");
        assert_eq!(clean_filename("../../etc/passwd"), "passwd");
        assert_eq!(clean_filename("a\"b;c.txt"), "abc.txt");
        assert_eq!(clean_filename(".."), "tep-dinh-kem");
    }
}
