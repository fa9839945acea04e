//! Files attached to a report.

use super::*;
use crate::audit;
use crate::error::{Result, StoreError};
use dondoc_core::text::nfc;
use jiff::civil::Date;
use serde::Serialize;
use serde_json::json;
use sqlx::{AnyConnection, Row};

#[derive(Debug, Clone, Serialize)]
pub struct Attachment {
    pub attachment_id: i64,
    pub report_id: i64,
    pub filename: String,
    pub content_type: String,
    pub size: i64,
    pub uploaded_by: Option<i64>,
    pub created_at: String,
}

/// A file as uploaded.
pub struct NewFile<'a> {
    pub filename: &'a str,
    pub content_type: &'a str,
    pub data: &'a [u8],
}

/// The name a file is stored under: the last path part (some browsers send
/// the whole path), NFC, no control characters, at most 200 characters.
pub fn clean_filename(raw: &str) -> String {
    let last = raw.rsplit(['/', '\\']).next().unwrap_or(raw);
    let name: String = nfc(last)
        .chars()
        .filter(|c| !c.is_control())
        .take(200)
        .collect();
    let name = name.trim().trim_start_matches('.').trim().to_string();
    if name.is_empty() {
        "tep-dinh-kem".to_string()
    } else {
        name
    }
}

/// The upload's media type if it is a plain `type/subtype`; otherwise the
/// generic one (the type is only a hint: files are always downloaded).
pub fn clean_content_type(raw: &str) -> String {
    let t = raw
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    let token = |s: &str| {
        !s.is_empty()
            && s.len() <= 100
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"!#$&^_.+-".contains(&b))
    };
    match t.split_once('/') {
        Some((a, b)) if token(a) && token(b) => t,
        _ => "application/octet-stream".to_string(),
    }
}

pub(super) fn attachment_from_row(r: &sqlx::any::AnyRow) -> Result<Attachment> {
    Ok(Attachment {
        attachment_id: r.try_get("attachment_id")?,
        report_id: r.try_get("owner_id")?,
        filename: r.try_get("filename")?,
        content_type: r.try_get("content_type")?,
        size: r.try_get("size")?,
        uploaded_by: r.try_get("uploaded_by")?,
        created_at: r.try_get("created_at")?,
    })
}

pub(super) const ATTACHMENT_COLUMNS: &str =
    "attachment_id, owner_id, filename, content_type, size, uploaded_by, created_at";

/// Attaches a file to a unit's report, creating the report as a draft if
/// the unit has not saved it yet.
pub async fn attach(
    conn: &mut AnyConnection,
    actor: Actor<'_>,
    key: &ReportKey,
    file: &NewFile<'_>,
    today: Date,
) -> Result<Attachment> {
    if file.data.len() > MAX_ATTACHMENT {
        return Err(StoreError::Invalid("tệp quá lớn (tối đa 10 MB)".into()));
    }
    let report = match get(conn, key).await? {
        Some(r) => {
            // Checked like a save: the unit must still owe the report.
            checked_target(conn, key, today, None).await?;
            r
        }
        None => save(conn, actor, key, &Submission::default(), today).await?,
    };
    if report.status == Status::Accepted {
        return Err(StoreError::Invalid(
            "báo cáo đã được duyệt nên không thêm tệp được nữa".into(),
        ));
    }
    crate::quota::check_room(
        conn,
        Some(report.report_id),
        key.unit_id,
        file.data.len() as u64,
    )
    .await?;
    let filename = clean_filename(file.filename);
    let content_type = clean_content_type(file.content_type);
    let id: i64 = sqlx::query(
        "insert into attachments (owner, owner_id, filename, content_type, size, data, uploaded_by, created_at)
         values ('report', $1, $2, $3, $4, $5, $6, $7) returning attachment_id",
    )
    .bind(report.report_id)
    .bind(&filename)
    .bind(&content_type)
    .bind(file.data.len() as i64)
    // The bytes go in pieces (`files`); the row keeps an empty value.
    .bind(Vec::<u8>::new())
    .bind(actor.user_id)
    .bind(now_text())
    .fetch_one(&mut *conn)
    .await?
    .try_get("attachment_id")?;
    crate::files::put(conn, id, file.data).await?;
    audit::record(
        conn,
        actor.username,
        "report.attach",
        "report",
        &report.report_id.to_string(),
        None,
        Some(json!({"attachment_id": id, "filename": filename, "size": file.data.len()})),
    )
    .await?;
    attachment_info(conn, id)
        .await?
        .ok_or_else(|| StoreError::Corrupt("tệp vừa lưu không đọc lại được".into()))
}

/// The files of a report, oldest first (without their bytes).
pub async fn attachments(conn: &mut AnyConnection, report_id: i64) -> Result<Vec<Attachment>> {
    let sql = format!(
        "select {ATTACHMENT_COLUMNS} from attachments where owner = 'report' and owner_id = $1
         order by attachment_id"
    );
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(report_id)
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(attachment_from_row)
        .collect()
}

/// One report file's description.
pub async fn attachment_info(
    conn: &mut AnyConnection,
    attachment_id: i64,
) -> Result<Option<Attachment>> {
    let sql = format!(
        "select {ATTACHMENT_COLUMNS} from attachments where owner = 'report' and attachment_id = $1"
    );
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(attachment_id)
        .fetch_optional(&mut *conn)
        .await?
        .as_ref()
        .map(attachment_from_row)
        .transpose()
}

/// Removes a file from a report the unit may still change.
pub async fn detach(
    conn: &mut AnyConnection,
    actor: Actor<'_>,
    report: &Report,
    attachment_id: i64,
) -> Result<()> {
    if report.status == Status::Accepted {
        return Err(StoreError::Invalid(
            "báo cáo đã được duyệt nên không xoá tệp được nữa".into(),
        ));
    }
    let Some(info) = attachment_info(conn, attachment_id)
        .await?
        .filter(|a| a.report_id == report.report_id)
    else {
        return Err(StoreError::Invalid("không có tệp này trong báo cáo".into()));
    };
    sqlx::query("delete from attachments where attachment_id = $1")
        .bind(attachment_id)
        .execute(&mut *conn)
        .await?;
    audit::record(
        conn,
        actor.username,
        "report.detach",
        "report",
        &report.report_id.to_string(),
        Some(json!({"attachment_id": attachment_id, "filename": info.filename, "size": info.size})),
        None,
    )
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filenames_keep_their_words_and_lose_their_paths() {
        assert_eq!(clean_filename("C:\\tai lieu\\Báo cáo.docx"), "Báo cáo.docx");
        assert_eq!(clean_filename("../../etc/passwd"), "passwd");
        assert_eq!(clean_filename("  "), "tep-dinh-kem");
        // NFD in, NFC out.
        assert_eq!(clean_filename("Ba\u{0301}o.pdf"), "Báo.pdf");
        assert_eq!(
            clean_content_type("application/PDF; x=1"),
            "application/pdf"
        );
        assert_eq!(
            clean_content_type("text/html<script>"),
            "application/octet-stream"
        );
    }
}
