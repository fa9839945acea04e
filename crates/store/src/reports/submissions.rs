//! The reports themselves: reading one, checking figures and narrative,
//! saving or submitting (through the group commit), and the owner's review.

use super::*;
use crate::audit;
use crate::error::{Result, StoreError};
use dondoc_core::text::nfc;
use jiff::civil::Date;
use serde::Serialize;
use serde_json::{Value, json};
use sqlx::{AnyConnection, Row};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Draft,
    Submitted,
    Accepted,
    Returned,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::Submitted => "submitted",
            Status::Accepted => "accepted",
            Status::Returned => "returned",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        match s {
            "draft" => Some(Status::Draft),
            "submitted" => Some(Status::Submitted),
            "accepted" => Some(Status::Accepted),
            "returned" => Some(Status::Returned),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Status::Draft => "nháp",
            Status::Submitted => "đã nộp",
            Status::Accepted => "đã duyệt",
            Status::Returned => "bị trả lại",
        }
    }

    /// Whether the report counts as submitted in the rates.
    pub fn counts(self) -> bool {
        matches!(self, Status::Submitted | Status::Accepted)
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub report_id: i64,
    pub reporting_id: i64,
    pub unit_id: i64,
    pub period: String,
    pub status: Status,
    pub narrative: String,
    pub figures: BTreeMap<String, i64>,
    pub first_submitted_at: Option<String>,
    /// The first submission's day in Vietnam: what timeliness is judged on.
    pub first_submitted_on: Option<String>,
    pub submitted_at: Option<String>,
    pub reviewed_by: Option<i64>,
    pub review_comment: Option<String>,
    pub version: i64,
    pub updated_at: String,
}

impl Report {
    pub(super) fn snapshot(&self) -> Value {
        json!({
            "status": self.status.as_str(),
            "figures": self.figures,
            "narrative": self.narrative,
            "first_submitted_on": self.first_submitted_on,
            "review_comment": self.review_comment,
            "version": self.version,
        })
    }
}

pub(super) const REPORT_COLUMNS: &str =
    "report_id, reporting_id, unit_id, period, status, narrative,
    first_submitted_at, first_submitted_on, submitted_at, reviewed_by, review_comment,
    version, updated_at";

pub(super) fn report_from_row(r: &sqlx::any::AnyRow) -> Result<Report> {
    let status: String = r.try_get("status")?;
    Ok(Report {
        report_id: r.try_get("report_id")?,
        reporting_id: r.try_get("reporting_id")?,
        unit_id: r.try_get("unit_id")?,
        period: r.try_get("period")?,
        status: Status::parse(&status)
            .ok_or_else(|| StoreError::Corrupt(format!("trạng thái báo cáo «{status}»")))?,
        narrative: r.try_get("narrative")?,
        figures: BTreeMap::new(),
        first_submitted_at: r.try_get("first_submitted_at")?,
        first_submitted_on: r.try_get("first_submitted_on")?,
        submitted_at: r.try_get("submitted_at")?,
        reviewed_by: r.try_get("reviewed_by")?,
        review_comment: r.try_get("review_comment")?,
        version: r.try_get("version")?,
        updated_at: r.try_get("updated_at")?,
    })
}

/// A unit's report for a period, with its figures.
pub async fn get(conn: &mut AnyConnection, key: &ReportKey) -> Result<Option<Report>> {
    let sql = format!(
        "select {REPORT_COLUMNS} from reports where reporting_id = $1 and unit_id = $2 and period = $3"
    );
    let Some(row) = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(key.reporting_id)
        .bind(key.unit_id)
        .bind(&key.period)
        .fetch_optional(&mut *conn)
        .await?
    else {
        return Ok(None);
    };
    let mut report = report_from_row(&row)?;
    for f in sqlx::query("select indicator_key, value from report_figures where report_id = $1")
        .bind(report.report_id)
        .fetch_all(&mut *conn)
        .await?
    {
        report
            .figures
            .insert(f.try_get("indicator_key")?, f.try_get("value")?);
    }
    Ok(Some(report))
}

/// A fault in one figure, for the form to show beside its field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldFault {
    pub key: String,
    pub message: String,
}

/// One figure as typed: digits only, at most 10^12.
pub(super) fn parse_count(text: &str) -> std::result::Result<i64, String> {
    let t = text.trim();
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    // Thousands grouped with dots, as the service itself prints them
    // (1.250, 12.500.000): the groups after the first have three digits
    // each, so a decimal number such as 1.5 is never read as one.
    let grouped: Vec<&str> = t.split('.').collect();
    let t_joined;
    let t = if grouped.len() > 1
        && (1..=3).contains(&grouped[0].len())
        && grouped.iter().all(|g| digits(g))
        && grouped[1..].iter().all(|g| g.len() == 3)
    {
        t_joined = grouped.concat();
        t_joined.as_str()
    } else {
        t
    };
    if let Some(rest) = t.strip_prefix('-')
        && digits(rest.trim())
    {
        return Err(format!("không được là số âm (đã nhập «{}»)", short(t)));
    }
    if !digits(t) {
        let numeric = t
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | '-' | '+' | 'e' | 'E'))
            && t.chars().any(|c| c.is_ascii_digit());
        return Err(if numeric {
            format!(
                "phải là số nguyên, viết liền hoặc nhóm ba chữ số bằng dấu chấm như 1.250 (đã nhập «{}»)",
                short(t)
            )
        } else {
            format!("phải là một số (đã nhập «{}»)", short(t))
        });
    }
    match t.parse::<i64>() {
        Ok(n) if n <= MAX_FIGURE => Ok(n),
        _ => Err("quá lớn (tối đa 1.000.000.000.000)".to_string()),
    }
}

/// Checks figures as typed against the regime's indicators. Empty fields
/// mean "not reported" and are dropped.
pub fn check_figures(
    regime: &Regime,
    raw: &BTreeMap<String, String>,
) -> std::result::Result<BTreeMap<String, i64>, Vec<FieldFault>> {
    let mut figures = BTreeMap::new();
    let mut faults = Vec::new();
    for (key, text) in raw {
        let Some(ind) = regime.indicator(key) else {
            faults.push(FieldFault {
                key: key.clone(),
                message: format!(
                    "chỉ tiêu «{}» không có trong chế độ báo cáo «{}»",
                    short(key),
                    regime.name
                ),
            });
            continue;
        };
        if text.trim().is_empty() {
            continue;
        }
        match parse_count(text) {
            Ok(n) => {
                figures.insert(key.clone(), n);
            }
            Err(why) => faults.push(FieldFault {
                key: key.clone(),
                message: format!("«{}»: {why}", ind.label),
            }),
        }
    }
    if faults.is_empty() {
        Ok(figures)
    } else {
        Err(faults)
    }
}

pub(super) fn faults_message(faults: &[FieldFault]) -> String {
    faults
        .iter()
        .map(|f| f.message.as_str())
        .collect::<Vec<_>>()
        .join("; ")
}

pub(super) fn check_narrative(text: &str) -> Result<String> {
    if let Some(m) = dondoc_core::text::bad_char_message("Nội dung báo cáo", text) {
        return Err(StoreError::Invalid(m));
    }
    let text = nfc(text);
    let n = text.chars().count();
    if n > MAX_NARRATIVE {
        return Err(StoreError::Invalid(format!(
            "«Nội dung báo cáo» dài {n} ký tự, vượt quá giới hạn {MAX_NARRATIVE} ký tự"
        )));
    }
    Ok(text)
}

/// Who makes a change.
#[derive(Debug, Clone, Copy)]
pub struct Actor<'a> {
    pub user_id: i64,
    pub username: &'a str,
}

/// What a unit sends: figures as typed, the narrative, whether to submit,
/// and the version of the report the form was loaded with (0 or `None` for
/// a report not yet saved).
#[derive(Debug, Clone, Default)]
pub struct Submission {
    pub figures: BTreeMap<String, String>,
    pub narrative: String,
    pub submit: bool,
    pub version: Option<i64>,
}

pub(super) fn stale(current: i64) -> StoreError {
    StoreError::Stale(format!(
        "Báo cáo đã được cập nhật bởi người khác (nay là phiên bản {current}); tải lại trang để xem bản mới nhất rồi nhập lại thay đổi của bạn."
    ))
}

pub(super) fn check_version(existing: Option<&Report>, sent: Option<i64>) -> Result<()> {
    let current = existing.map(|r| r.version).unwrap_or(0);
    match sent {
        Some(v) if v == current => Ok(()),
        // A first save may leave the version out; an edit may not.
        None if existing.is_none() => Ok(()),
        _ => Err(stale(current)),
    }
}

pub(super) fn now_text() -> String {
    jiff::Timestamp::now().to_string()
}

/// Checks everything a save depends on; the caller's transaction is left
/// untouched when anything is wrong.
pub(super) async fn checked_target(
    conn: &mut AnyConnection,
    key: &ReportKey,
    today: Date,
    cache: Option<&crate::Store>,
) -> Result<Target> {
    let regime = match cache {
        Some(store) => regime_cached(store, conn, key.reporting_id).await?,
        None => regime(conn, key.reporting_id).await?,
    };
    let t = target_of(conn, key, today, regime).await?;
    if let Some(why) = not_expected_reason(conn, &t.regime, &t.period, &t.unit).await? {
        return Err(StoreError::Invalid(why));
    }
    Ok(t)
}

/// `save` through the group commit (`Store::write`): submissions arriving
/// together share one transaction and one flush to disk, and each caller is
/// answered once the commit holding its report is durable.
pub async fn save_batched(
    store: &crate::Store,
    user_id: i64,
    username: String,
    key: ReportKey,
    input: Submission,
    today: Date,
) -> Result<(Report, Period)> {
    let target = {
        let mut conn = store.conn().await?;
        let regime = regime_cached(store, &mut conn, key.reporting_id).await?;
        target_of(&mut conn, &key, today, regime).await?
    };
    save_batched_at(store, user_id, username, key, target, input, today).await
}

/// `save_batched` for a report whose address the caller has resolved
/// already (`Store::report_target`): only whether the unit owes it is read
/// again before the figures are checked, so that a submission reads no
/// more than it did before its address was checked at the door.
pub async fn save_batched_at(
    store: &crate::Store,
    user_id: i64,
    username: String,
    key: ReportKey,
    target: Target,
    input: Submission,
    today: Date,
) -> Result<(Report, Period)> {
    // Checks read only: they run here, concurrently; the writer does the
    // writing alone.
    let checked = {
        let mut conn = store.conn().await?;
        if let Some(why) =
            not_expected_reason(&mut conn, &target.regime, &target.period, &target.unit).await?
        {
            return Err(StoreError::Invalid(why));
        }
        checked_of(target, &input)?
    };
    store
        .write(move |conn| {
            Box::pin(async move {
                let actor = Actor {
                    user_id,
                    username: &username,
                };
                let period = checked.period.clone();
                let report = write_submission(conn, actor, &key, &input, today, checked).await?;
                Ok((report, period))
            })
        })
        .await
}

/// Saves a unit's report as a draft or submits it. `today` is Vietnam's
/// date (the service's clock): a first submission's day is kept for good.
pub async fn save(
    conn: &mut AnyConnection,
    actor: Actor<'_>,
    key: &ReportKey,
    input: &Submission,
    today: Date,
) -> Result<Report> {
    let checked = check_submission(conn, key, input, today, None).await?;
    write_submission(conn, actor, key, input, today, checked).await
}

/// What a submission is once checked: its figures as numbers, its narrative.
pub struct Checked {
    figures: BTreeMap<String, i64>,
    narrative: String,
    /// The period the report is for (its due date decides lateness).
    pub period: Period,
}

/// The read-only half of `save`: the report's address exists, the unit is
/// expected, the figures and narrative are well formed. Runs outside the
/// writer, so that concurrent submissions check in parallel.
pub async fn check_submission(
    conn: &mut AnyConnection,
    key: &ReportKey,
    input: &Submission,
    today: Date,
    cache: Option<&crate::Store>,
) -> Result<Checked> {
    let t = checked_target(conn, key, today, cache).await?;
    checked_of(t, input)
}

/// The figures and narrative of a submission to a report the unit owes.
fn checked_of(t: Target, input: &Submission) -> Result<Checked> {
    let figures = check_figures(&t.regime, &input.figures)
        .map_err(|faults| StoreError::Invalid(faults_message(&faults)))?;
    let narrative = check_narrative(&input.narrative)?;
    Ok(Checked {
        figures,
        narrative,
        period: t.period,
    })
}

/// The writing half of `save`: version check, row, figures, audit entry.
pub async fn write_submission(
    conn: &mut AnyConnection,
    actor: Actor<'_>,
    key: &ReportKey,
    input: &Submission,
    today: Date,
    checked: Checked,
) -> Result<Report> {
    let Checked {
        figures, narrative, ..
    } = checked;
    let existing = get(conn, key).await?;
    check_version(existing.as_ref(), input.version)?;
    if existing
        .as_ref()
        .is_some_and(|r| r.status == Status::Accepted)
    {
        return Err(StoreError::Invalid(
            "báo cáo đã được duyệt nên không sửa được nữa".into(),
        ));
    }
    // A report is something: a figure, a word, or a file sent with it.
    // (Drafts may be empty: a file is attached to one.)
    if input.submit && figures.is_empty() && narrative.trim().is_empty() {
        let files = match &existing {
            Some(r) => attachments(conn, r.report_id).await?.len(),
            None => 0,
        };
        if files == 0 {
            return Err(StoreError::Invalid(
                "báo cáo chưa có số liệu, nội dung hay tệp nào: nhập ít nhất một chỉ tiêu, phần nội dung hoặc đính kèm tệp báo cáo rồi hãy nộp".into(),
            ));
        }
    }
    let now = now_text();
    // Saving never withdraws a submission: an edit of a submitted report
    // stays submitted, and one sent back stays so until it is resubmitted.
    let status = match (&existing, input.submit) {
        (_, true) => Status::Submitted,
        (None, false) => Status::Draft,
        (Some(r), false) => r.status,
    };
    let first_at = existing
        .as_ref()
        .and_then(|r| r.first_submitted_at.clone())
        .or_else(|| input.submit.then(|| now.clone()));
    let first_on = existing
        .as_ref()
        .and_then(|r| r.first_submitted_on.clone())
        .or_else(|| input.submit.then(|| today.to_string()));
    let submitted_at = if input.submit {
        Some(now.clone())
    } else {
        existing.as_ref().and_then(|r| r.submitted_at.clone())
    };
    let report_id = match &existing {
        None => {
            let row = sqlx::query(
                "insert into reports (reporting_id, unit_id, period, status, narrative,
                     first_submitted_at, first_submitted_on, submitted_at, version, updated_at)
                 values ($1, $2, $3, $4, $5, $6, $7, $8, 1, $9)
                 on conflict (reporting_id, unit_id, period) do nothing
                 returning report_id",
            )
            .bind(key.reporting_id)
            .bind(key.unit_id)
            .bind(&key.period)
            .bind(status.as_str())
            .bind(&narrative)
            .bind(&first_at)
            .bind(&first_on)
            .bind(&submitted_at)
            .bind(&now)
            .fetch_optional(&mut *conn)
            .await?;
            // Someone else created it meanwhile.
            row.ok_or_else(|| stale(1))?.try_get("report_id")?
        }
        Some(r) => {
            let done = sqlx::query(
                "update reports set status = $1, narrative = $2, first_submitted_at = $3,
                     first_submitted_on = $4, submitted_at = $5, version = version + 1,
                     updated_at = $6
                 where report_id = $7 and version = $8",
            )
            .bind(status.as_str())
            .bind(&narrative)
            .bind(&first_at)
            .bind(&first_on)
            .bind(&submitted_at)
            .bind(&now)
            .bind(r.report_id)
            .bind(r.version)
            .execute(&mut *conn)
            .await?;
            if done.rows_affected() != 1 {
                return Err(stale(r.version + 1));
            }
            r.report_id
        }
    };
    write_figures(conn, report_id, &figures).await?;
    let after = get(conn, key)
        .await?
        .ok_or_else(|| StoreError::Corrupt("báo cáo vừa lưu không đọc lại được".into()))?;
    let action = if input.submit {
        "report.submit"
    } else {
        "report.save"
    };
    audit::record(
        conn,
        actor.username,
        action,
        "report",
        &report_id.to_string(),
        existing.as_ref().map(Report::snapshot),
        Some(after.snapshot()),
    )
    .await?;
    Ok(after)
}

pub(super) async fn write_figures(
    conn: &mut AnyConnection,
    report_id: i64,
    figures: &BTreeMap<String, i64>,
) -> Result<()> {
    sqlx::query("delete from report_figures where report_id = $1")
        .bind(report_id)
        .execute(&mut *conn)
        .await?;
    for (k, v) in figures {
        sqlx::query(
            "insert into report_figures (report_id, indicator_key, value) values ($1, $2, $3)",
        )
        .bind(report_id)
        .bind(k)
        .bind(*v)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// The plan owner's review: accept, or return with a comment saying what
/// to correct (the unit edits and resubmits).
pub async fn review(
    conn: &mut AnyConnection,
    actor: Actor<'_>,
    key: &ReportKey,
    accept: bool,
    comment: &str,
    version: Option<i64>,
) -> Result<Report> {
    if let Some(m) = dondoc_core::text::bad_char_message("Nhận xét", comment) {
        return Err(StoreError::Invalid(m));
    }
    let comment = nfc(comment.trim());
    let existing = get(conn, key).await?.ok_or_else(|| {
        StoreError::Invalid("đơn vị chưa nộp báo cáo này nên chưa duyệt được".into())
    })?;
    check_version(Some(&existing), version)?;
    if !matches!(existing.status, Status::Submitted | Status::Accepted) {
        return Err(StoreError::Invalid(format!(
            "báo cáo đang ở trạng thái «{}», chỉ duyệt hay trả lại được báo cáo đã nộp",
            existing.status.label()
        )));
    }
    if !accept && comment.is_empty() {
        return Err(StoreError::Invalid(
            "cần ghi «Nhận xét» nêu điều cần sửa khi trả lại báo cáo".into(),
        ));
    }
    let n = comment.chars().count();
    if n > MAX_COMMENT {
        return Err(StoreError::Invalid(format!(
            "«Nhận xét» dài {n} ký tự, vượt quá giới hạn {MAX_COMMENT} ký tự"
        )));
    }
    let status = if accept {
        Status::Accepted
    } else {
        Status::Returned
    };
    let done = sqlx::query(
        "update reports set status = $1, reviewed_by = $2, review_comment = $3,
             version = version + 1, updated_at = $4
         where report_id = $5 and version = $6",
    )
    .bind(status.as_str())
    .bind(actor.user_id)
    .bind((!comment.is_empty()).then_some(comment.clone()))
    .bind(now_text())
    .bind(existing.report_id)
    .bind(existing.version)
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() != 1 {
        return Err(stale(existing.version + 1));
    }
    let after = get(conn, key)
        .await?
        .ok_or_else(|| StoreError::Corrupt("báo cáo vừa duyệt không đọc lại được".into()))?;
    let action = if accept {
        "report.accept"
    } else {
        "report.return"
    };
    audit::record(
        conn,
        actor.username,
        action,
        "report",
        &existing.report_id.to_string(),
        Some(existing.snapshot()),
        Some(after.snapshot()),
    )
    .await?;
    if !accept {
        // The unit is told in the app, with the reviewer's words.
        let regime: String = sqlx::query("select name from reporting where reporting_id = $1")
            .bind(key.reporting_id)
            .fetch_one(&mut *conn)
            .await?
            .try_get("name")?;
        let report = match dondoc_core::reporting::label_of_key(&key.period) {
            Some(p) => format!("{regime}, {}", dondoc_core::text::lower_first(&p)),
            None => regime,
        };
        crate::notices::tell(
            conn,
            key.unit_id,
            crate::notices::Kind::Returned,
            &format!("Báo cáo «{report}» bị trả lại: {comment}"),
            Some(&format!(
                "/bao-cao/{}/{}/{}",
                key.reporting_id, key.period, key.unit_id
            )),
            actor.username,
        )
        .await?;
    }
    Ok(after)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_are_plain_non_negative_integers() {
        assert_eq!(parse_count(" 12 "), Ok(12));
        assert_eq!(parse_count("0"), Ok(0));
        assert_eq!(parse_count("1000000000000"), Ok(MAX_FIGURE));
        // Grouped by thousands as the service prints them.
        assert_eq!(parse_count("1.250"), Ok(1250));
        assert_eq!(parse_count(" 12.500.000 "), Ok(12_500_000));
        assert_eq!(parse_count("1.000.000.000.000"), Ok(MAX_FIGURE));
        for bad in [
            "-3",
            "abc",
            "1.5",
            "12.50",
            "1.2345",
            "1234.567",
            ".250",
            "1,250",
            "1.000.000.000.001",
            "1e3",
            "1000000000001",
            "99999999999999999999",
        ] {
            assert!(parse_count(bad).is_err(), "{bad}");
        }
        assert!(parse_count("-3").unwrap_err().contains("âm"));
    }
}
