//! Reports against a plan's reporting regime: which periods a regime has,
//! which units owe a report for which period, and the reports themselves
//! (figures, narrative, review, attachments).
//!
//! - A regime whose rule recurs ("hằng tháng") has one period per month (or
//!   quarter, half-year, year), from the plan's month up to the one holding
//!   today; each period's due day is its rule resolved for that period.
//! - Any other regime (the phase reports) has one period, [`SINGLE_PERIOD`],
//!   due when the regime's window in the due index says; while that window
//!   waits for an undated event, nobody owes the report yet.
//! - A unit owes a report for a period when it is one of the regime's
//!   reporters and it existed during the period: the district committees
//!   that ended on 30/06/2025 owe nothing after that.
//!
//! One report per unit, regime and period (a unique key), edited in place:
//! the first submission's day decides timeliness and is never overwritten.
//! A late report is marked late, never refused. Every change is audited in
//! the caller's transaction.

use crate::audit;
use crate::error::{Result, StoreError};
use dondoc_core::deadline::Rule;
use dondoc_core::due::Due;
use dondoc_core::plan::Indicator;
use dondoc_core::text::{nfc, today_in_vietnam};
use jiff::civil::Date;
use serde::Serialize;
use serde_json::{Value, json};
use sqlx::{AnyConnection, Row};
use std::collections::{BTreeMap, HashMap};

/// Largest figure accepted: 10^12 (far beyond any real count, well within i64).
pub const MAX_FIGURE: i64 = 1_000_000_000_000;
/// Longest narrative, in characters.
pub const MAX_NARRATIVE: usize = 20_000;
/// Longest review comment, in characters.
pub const MAX_COMMENT: usize = 2_000;
/// Largest attachment: 10 MB.
pub const MAX_ATTACHMENT: usize = 10 * 1024 * 1024;

// ---------------------------------------------------------------------------
// Regimes and periods (the pure part is `dondoc_core::reporting`)

use dondoc_core::reporting::cadence_of;
pub use dondoc_core::reporting::{Cadence, Period, Regime, SINGLE_PERIOD, find_period, periods};

fn plan_date_of(issued: Option<String>) -> Result<Date> {
    match issued {
        Some(s) => s
            .parse()
            .map_err(|_| StoreError::Corrupt(format!("ngày ban hành «{s}»"))),
        // A plan without a date: periods start from this month in Vietnam.
        None => Ok(today_in_vietnam()),
    }
}

/// Every regime of a plan, with indicators and due windows (three queries).
pub async fn regimes(conn: &mut AnyConnection, plan_id: i64) -> Result<Vec<Regime>> {
    let issued: Option<String> = sqlx::query("select issued_on from plans where plan_id = $1")
        .bind(plan_id)
        .fetch_optional(&mut *conn)
        .await?
        .map(|r| r.try_get("issued_on"))
        .transpose()?
        .flatten();
    let plan_date = plan_date_of(issued)?;
    let mut indicators: HashMap<i64, Vec<Indicator>> = HashMap::new();
    for row in sqlx::query(
        "select i.reporting_id, i.key, i.label, i.unit, i.form_ref from indicators i
         join reporting r on r.reporting_id = i.reporting_id
         where r.plan_id = $1 order by i.reporting_id, i.position",
    )
    .bind(plan_id)
    .fetch_all(&mut *conn)
    .await?
    {
        indicators
            .entry(row.try_get("reporting_id")?)
            .or_default()
            .push(Indicator {
                key: row.try_get("key")?,
                label: row.try_get("label")?,
                unit: row.try_get("unit")?,
                form: row.try_get("form_ref")?,
            });
    }
    let mut dues: HashMap<i64, Vec<Due>> = HashMap::new();
    for row in sqlx::query(
        "select w.owner_id, w.from_date, w.to_date, w.state, w.waits_for, w.event_label, w.anchor
         from due_windows w join reporting r on r.reporting_id = w.owner_id
         where w.owner = 'reporting' and r.plan_id = $1 order by w.owner_id, w.seq",
    )
    .bind(plan_id)
    .fetch_all(&mut *conn)
    .await?
    {
        dues.entry(row.try_get("owner_id")?)
            .or_default()
            .push(crate::due_index::due_from_row(&row)?);
    }
    sqlx::query(
        "select reporting_id, name, deadline_phrase, rule_json, recipient, content
         from reporting where plan_id = $1 order by position",
    )
    .bind(plan_id)
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|row| {
        let id: i64 = row.try_get("reporting_id")?;
        let rule: Option<String> = row.try_get("rule_json")?;
        let rule: Option<Rule> = rule.map(|r| serde_json::from_str(&r)).transpose()?;
        Ok(Regime {
            reporting_id: id,
            plan_id,
            name: row.try_get("name")?,
            deadline_phrase: row.try_get("deadline_phrase")?,
            recipient: row.try_get("recipient")?,
            content: row.try_get("content")?,
            cadence: cadence_of(rule.as_ref()),
            indicators: indicators.remove(&id).unwrap_or_default(),
            due: dues.remove(&id).unwrap_or_default(),
            rule,
            plan_date,
        })
    })
    .collect()
}

/// One regime by id, or `None`.
pub async fn regime(conn: &mut AnyConnection, reporting_id: i64) -> Result<Option<Regime>> {
    let plan_id: Option<i64> = sqlx::query("select plan_id from reporting where reporting_id = $1")
        .bind(reporting_id)
        .fetch_optional(&mut *conn)
        .await?
        .map(|r| r.try_get("plan_id"))
        .transpose()?;
    let Some(plan_id) = plan_id else {
        return Ok(None);
    };
    Ok(regimes(conn, plan_id)
        .await?
        .into_iter()
        .find(|r| r.reporting_id == reporting_id))
}

// ---------------------------------------------------------------------------
// Who owes a report

/// A unit's name and life span.
#[derive(Debug, Clone, Serialize)]
pub struct UnitLife {
    pub unit_id: i64,
    pub name: String,
    pub valid_from: Option<String>,
    pub valid_to: Option<String>,
}

impl UnitLife {
    /// Whether the unit existed during some day of the period.
    pub fn lives_during(&self, p: &Period) -> bool {
        let starts_in_time = match (&self.valid_from, &p.last_day) {
            (Some(from), Some(last)) => from <= last,
            _ => true,
        };
        let lasts_long_enough = match (&self.valid_to, &p.first_day) {
            (Some(to), Some(first)) => to >= first,
            _ => true,
        };
        starts_in_time && lasts_long_enough
    }
}

pub async fn unit(conn: &mut AnyConnection, unit_id: i64) -> Result<Option<UnitLife>> {
    sqlx::query("select unit_id, name, valid_from, valid_to from units where unit_id = $1")
        .bind(unit_id)
        .fetch_optional(&mut *conn)
        .await?
        .map(|r| {
            Ok(UnitLife {
                unit_id: r.try_get("unit_id")?,
                name: r.try_get("name")?,
                valid_from: r.try_get("valid_from")?,
                valid_to: r.try_get("valid_to")?,
            })
        })
        .transpose()
}

async fn is_reporter(conn: &mut AnyConnection, reporting_id: i64, unit_id: i64) -> Result<bool> {
    Ok(
        sqlx::query(
            "select 1 as one from reporting_units where reporting_id = $1 and unit_id = $2",
        )
        .bind(reporting_id)
        .bind(unit_id)
        .fetch_optional(&mut *conn)
        .await?
        .is_some(),
    )
}

/// Why a unit does not owe this report (`None`: it does).
pub async fn not_expected_reason(
    conn: &mut AnyConnection,
    regime: &Regime,
    period: &Period,
    unit: &UnitLife,
) -> Result<Option<String>> {
    if !is_reporter(conn, regime.reporting_id, unit.unit_id).await? {
        return Ok(Some(format!(
            "đơn vị «{}» không thuộc diện phải nộp báo cáo «{}»",
            unit.name, regime.name
        )));
    }
    if !period.open {
        let waits = period
            .due
            .waits_for
            .as_deref()
            .unwrap_or("sự kiện chưa có ngày");
        return Ok(Some(format!(
            "báo cáo «{}» chưa đến kỳ: hạn nộp chờ ngày «{waits}»",
            period.label
        )));
    }
    if !unit.lives_during(period) {
        return Ok(Some(format!(
            "đơn vị «{}» không còn hoạt động trong kỳ «{}»{}",
            unit.name,
            period.label,
            unit.valid_to
                .as_deref()
                .map(|d| format!(" (kết thúc ngày {})", vn_day(d)))
                .unwrap_or_default()
        )));
    }
    Ok(None)
}

fn vn_day(s: &str) -> String {
    s.parse::<Date>()
        .map(|d| format!("{:02}/{:02}/{}", d.day(), d.month(), d.year()))
        .unwrap_or_else(|_| s.to_string())
}

/// A report's regime, period and unit, checked to exist; the one place the
/// three parts of a report's address are resolved.
#[derive(Debug, Clone)]
pub struct Target {
    pub regime: Regime,
    pub period: Period,
    pub unit: UnitLife,
}

/// The address of a report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportKey {
    pub reporting_id: i64,
    pub period: String,
    pub unit_id: i64,
}

/// Resolves a report's address; `Invalid` names the part that does not exist.
pub async fn target(conn: &mut AnyConnection, key: &ReportKey, today: Date) -> Result<Target> {
    let regime = regime(conn, key.reporting_id).await?;
    target_of(conn, key, today, regime).await
}

/// Regimes as this process last read them, each with the `regime_version`
/// it was read at.
#[derive(Default)]
pub struct RegimeCache(
    std::sync::Mutex<HashMap<i64, (i64, Regime)>>,
    std::sync::Mutex<HashMap<i64, (i64, Vec<Regime>)>>,
);

impl RegimeCache {
    fn get_plan(&self, plan_id: i64, version: i64) -> Option<Vec<Regime>> {
        let map = self.1.lock().ok()?;
        map.get(&plan_id)
            .filter(|(v, _)| *v == version)
            .map(|(_, r)| r.clone())
    }

    fn put_plan(&self, plan_id: i64, version: i64, r: Vec<Regime>) {
        if let Ok(mut map) = self.1.lock() {
            map.insert(plan_id, (version, r));
        }
    }

    fn get(&self, id: i64, version: i64) -> Option<Regime> {
        let map = self.0.lock().ok()?;
        map.get(&id)
            .filter(|(v, _)| *v == version)
            .map(|(_, r)| r.clone())
    }

    fn put(&self, id: i64, version: i64, r: Regime) {
        if let Ok(mut map) = self.0.lock() {
            map.insert(id, (version, r));
        }
    }
}

async fn regime_version(conn: &mut AnyConnection) -> Result<i64> {
    Ok(sqlx::query("select n from regime_version where id = 1")
        .fetch_one(&mut *conn)
        .await?
        .try_get("n")?)
}

/// Every regime of a plan, from the per-process cache while
/// `regime_version` has not moved (see `regime_cached`).
pub async fn regimes_cached(
    store: &crate::Store,
    conn: &mut AnyConnection,
    plan_id: i64,
) -> Result<Vec<Regime>> {
    let version = regime_version(conn).await?;
    if let Some(r) = store.regime_cache().get_plan(plan_id, version) {
        return Ok(r);
    }
    let r = regimes(conn, plan_id).await?;
    store.regime_cache().put_plan(plan_id, version, r.clone());
    Ok(r)
}

/// A regime as this process last read it, while `regime_version` says it
/// has not changed since (one small query instead of four).
pub async fn regime_cached(
    store: &crate::Store,
    conn: &mut AnyConnection,
    reporting_id: i64,
) -> Result<Option<Regime>> {
    let version = regime_version(conn).await?;
    if let Some(r) = store.regime_cache().get(reporting_id, version) {
        return Ok(Some(r));
    }
    let r = regime(conn, reporting_id).await?;
    if let Some(r) = &r {
        store.regime_cache().put(reporting_id, version, r.clone());
    }
    Ok(r)
}

async fn target_of(
    conn: &mut AnyConnection,
    key: &ReportKey,
    today: Date,
    regime: Option<Regime>,
) -> Result<Target> {
    let regime = regime.ok_or_else(|| {
        StoreError::Invalid(format!("không có chế độ báo cáo số {}", key.reporting_id))
    })?;
    let period = find_period(&regime, &key.period, today).ok_or_else(|| {
        StoreError::Invalid(format!(
            "kỳ báo cáo «{}» không có trong chế độ báo cáo «{}»",
            short(&key.period),
            regime.name
        ))
    })?;
    let unit = unit(conn, key.unit_id)
        .await?
        .ok_or_else(|| StoreError::Invalid(format!("không có đơn vị số {}", key.unit_id)))?;
    Ok(Target {
        regime,
        period,
        unit,
    })
}

/// A piece of user input quoted in a message, cut short.
fn short(s: &str) -> String {
    let cut: String = s.chars().take(40).collect();
    if cut.len() < s.len() {
        format!("{cut}…")
    } else {
        cut
    }
}

// ---------------------------------------------------------------------------
// Reports

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
    fn snapshot(&self) -> Value {
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

const REPORT_COLUMNS: &str = "report_id, reporting_id, unit_id, period, status, narrative,
    first_submitted_at, first_submitted_on, submitted_at, reviewed_by, review_comment,
    version, updated_at";

fn report_from_row(r: &sqlx::any::AnyRow) -> Result<Report> {
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
fn parse_count(text: &str) -> std::result::Result<i64, String> {
    let t = text.trim();
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
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
                "phải là số nguyên, viết liền không dấu chấm, dấu phẩy (đã nhập «{}»)",
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

fn faults_message(faults: &[FieldFault]) -> String {
    faults
        .iter()
        .map(|f| f.message.as_str())
        .collect::<Vec<_>>()
        .join("; ")
}

fn check_narrative(text: &str) -> Result<String> {
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

fn stale(current: i64) -> StoreError {
    StoreError::Stale(format!(
        "Báo cáo đã được cập nhật bởi người khác (nay là phiên bản {current}); tải lại trang để xem bản mới nhất rồi nhập lại thay đổi của bạn."
    ))
}

fn check_version(existing: Option<&Report>, sent: Option<i64>) -> Result<()> {
    let current = existing.map(|r| r.version).unwrap_or(0);
    match sent {
        Some(v) if v == current => Ok(()),
        // A first save may leave the version out; an edit may not.
        None if existing.is_none() => Ok(()),
        _ => Err(stale(current)),
    }
}

fn now_text() -> String {
    jiff::Timestamp::now().to_string()
}

/// Checks everything a save depends on; the caller's transaction is left
/// untouched when anything is wrong.
async fn checked_target(
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
    // Checks read only: they run here, concurrently; the writer does the
    // writing alone.
    let checked = {
        let mut conn = store.conn().await?;
        check_submission(&mut conn, &key, &input, today, Some(store)).await?
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

async fn write_figures(
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
    .bind((!comment.is_empty()).then_some(comment))
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
    Ok(after)
}

// ---------------------------------------------------------------------------
// Lists

/// A report in a list, with what it needs to be shown.
#[derive(Debug, Clone, Serialize)]
pub struct ReportRow {
    pub report_id: i64,
    pub reporting_id: i64,
    pub regime: String,
    pub period: String,
    pub unit_id: i64,
    pub unit_name: String,
    pub status: Status,
    pub first_submitted_on: Option<String>,
    pub submitted_at: Option<String>,
    pub version: i64,
}

/// Which reports a list shows.
#[derive(Debug, Clone, Default)]
pub struct ListFilter {
    pub reporting_id: Option<i64>,
    pub period: Option<String>,
    /// `None`: every status but drafts (a draft is the unit's own business).
    pub status: Option<Status>,
    /// Only this unit and the units under it.
    pub within: Option<i64>,
    pub limit: i64,
}

/// Reports of a plan, newest submission first.
pub async fn list(
    conn: &mut AnyConnection,
    plan_id: i64,
    filter: &ListFilter,
) -> Result<Vec<ReportRow>> {
    // Fixed fragments only; every value is bound.
    let mut sql = String::from(
        "select r.report_id, r.reporting_id, g.name as regime, r.period, r.unit_id,
                u.name as unit_name, r.status, r.first_submitted_on, r.submitted_at, r.version
         from reports r join reporting g on g.reporting_id = r.reporting_id
         join units u on u.unit_id = r.unit_id",
    );
    if filter.within.is_some() {
        sql.push_str(" join unit_closure c on c.descendant_id = r.unit_id and c.ancestor_id = $2");
    }
    sql.push_str(" where g.plan_id = $1");
    let mut n = if filter.within.is_some() { 2 } else { 1 };
    let mut next = || {
        n += 1;
        n
    };
    if filter.reporting_id.is_some() {
        sql.push_str(&format!(" and r.reporting_id = ${}", next()));
    }
    if filter.period.is_some() {
        sql.push_str(&format!(" and r.period = ${}", next()));
    }
    match filter.status {
        Some(_) => sql.push_str(&format!(" and r.status = ${}", next())),
        None => sql.push_str(" and r.status <> 'draft'"),
    }
    sql.push_str(&format!(
        " order by r.submitted_at desc, u.name, r.report_id limit ${}",
        next()
    ));
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(plan_id);
    if let Some(w) = filter.within {
        q = q.bind(w);
    }
    if let Some(r) = filter.reporting_id {
        q = q.bind(r);
    }
    if let Some(p) = &filter.period {
        q = q.bind(p.clone());
    }
    if let Some(s) = filter.status {
        q = q.bind(s.as_str());
    }
    q.bind(filter.limit.clamp(1, 5000))
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(|r| {
            let status: String = r.try_get("status")?;
            Ok(ReportRow {
                report_id: r.try_get("report_id")?,
                reporting_id: r.try_get("reporting_id")?,
                regime: r.try_get("regime")?,
                period: r.try_get("period")?,
                unit_id: r.try_get("unit_id")?,
                unit_name: r.try_get("unit_name")?,
                status: Status::parse(&status)
                    .ok_or_else(|| StoreError::Corrupt(format!("trạng thái «{status}»")))?,
                first_submitted_on: r.try_get("first_submitted_on")?,
                submitted_at: r.try_get("submitted_at")?,
                version: r.try_get("version")?,
            })
        })
        .collect()
}

/// A report a unit owes, and what it has done about it.
#[derive(Debug, Clone, Serialize)]
pub struct Owed {
    pub reporting_id: i64,
    pub regime: String,
    pub period: Period,
    pub status: Option<Status>,
    pub first_submitted_on: Option<String>,
    pub version: Option<i64>,
}

/// What one unit owes under a plan, regime by regime, oldest period first
/// (one unit: its few periods are checked here, not in SQL).
pub async fn owed(
    conn: &mut AnyConnection,
    regimes: &[Regime],
    unit_id: i64,
    today: Date,
) -> Result<Vec<Owed>> {
    let Some(unit) = unit(conn, unit_id).await? else {
        return Ok(Vec::new());
    };
    let mine: Vec<i64> = sqlx::query("select reporting_id from reporting_units where unit_id = $1")
        .bind(unit_id)
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(|r| r.try_get("reporting_id"))
        .collect::<std::result::Result<_, _>>()?;
    let mut done: HashMap<(i64, String), (Status, Option<String>, i64)> = HashMap::new();
    for r in sqlx::query(
        "select reporting_id, period, status, first_submitted_on, version from reports where unit_id = $1",
    )
    .bind(unit_id)
    .fetch_all(&mut *conn)
    .await?
    {
        let status: String = r.try_get("status")?;
        let Some(status) = Status::parse(&status) else {
            continue;
        };
        done.insert(
            (r.try_get("reporting_id")?, r.try_get("period")?),
            (status, r.try_get("first_submitted_on")?, r.try_get("version")?),
        );
    }
    let mut out = Vec::new();
    for regime in regimes.iter().filter(|g| mine.contains(&g.reporting_id)) {
        for period in periods(regime, today) {
            // A report not owed yet is listed (the unit should know it is
            // coming), unless the unit has already ceased to exist; one the
            // unit did not live to owe is not.
            let gone = unit
                .valid_to
                .as_deref()
                .is_some_and(|t| t < today.to_string().as_str());
            if (period.open && !unit.lives_during(&period)) || (!period.open && gone) {
                continue;
            }
            let d = done.remove(&(regime.reporting_id, period.key.clone()));
            out.push(Owed {
                reporting_id: regime.reporting_id,
                regime: regime.name.clone(),
                status: d.as_ref().map(|d| d.0),
                first_submitted_on: d.as_ref().and_then(|d| d.1.clone()),
                version: d.map(|d| d.2),
                period,
            });
        }
    }
    Ok(out)
}

/// The units that owe a period's report and have not submitted it (status
/// neither submitted nor accepted), within a part of the unit tree.
pub async fn missing(
    conn: &mut AnyConnection,
    regime: &Regime,
    period: &Period,
    within: Option<i64>,
) -> Result<Vec<(i64, String)>> {
    if !period.open {
        return Ok(Vec::new());
    }
    let mut sql = String::from(
        "select u.unit_id, u.name from reporting_units ru join units u on u.unit_id = ru.unit_id",
    );
    if within.is_some() {
        sql.push_str(" join unit_closure c on c.descendant_id = u.unit_id and c.ancestor_id = $5");
    }
    sql.push_str(
        " left join reports r on r.reporting_id = ru.reporting_id and r.unit_id = ru.unit_id
             and r.period = $2
         where ru.reporting_id = $1
           and (r.status is null or r.status not in ('submitted', 'accepted'))
           and (u.valid_from is null or cast($4 as text) is null or u.valid_from <= $4)
           and (u.valid_to is null or cast($3 as text) is null or u.valid_to >= $3)
         order by u.name",
    );
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(regime.reporting_id)
        .bind(period.key.clone())
        .bind(period.first_day.clone())
        .bind(period.last_day.clone());
    if let Some(w) = within {
        q = q.bind(w);
    }
    q.fetch_all(&mut *conn)
        .await?
        .iter()
        .map(|r| Ok((r.try_get("unit_id")?, r.try_get("name")?)))
        .collect()
}

// ---------------------------------------------------------------------------
// Attachments

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

fn attachment_from_row(r: &sqlx::any::AnyRow) -> Result<Attachment> {
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

const ATTACHMENT_COLUMNS: &str =
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
    .bind(file.data.to_vec())
    .bind(actor.user_id)
    .bind(now_text())
    .fetch_one(&mut *conn)
    .await?
    .try_get("attachment_id")?;
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

/// One report file with its bytes.
pub async fn attachment_data(
    conn: &mut AnyConnection,
    attachment_id: i64,
) -> Result<Option<(Attachment, Vec<u8>)>> {
    let sql = format!(
        "select {ATTACHMENT_COLUMNS}, data from attachments
         where owner = 'report' and attachment_id = $1"
    );
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(attachment_id)
        .fetch_optional(&mut *conn)
        .await?
        .map(|r| Ok((attachment_from_row(&r)?, r.try_get::<Vec<u8>, _>("data")?)))
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
    fn figures_are_plain_non_negative_integers() {
        assert_eq!(parse_count(" 12 "), Ok(12));
        assert_eq!(parse_count("0"), Ok(0));
        assert_eq!(parse_count("1000000000000"), Ok(MAX_FIGURE));
        for bad in [
            "-3",
            "abc",
            "1.5",
            "1.234",
            "1e3",
            "1000000000001",
            "99999999999999999999",
        ] {
            assert!(parse_count(bad).is_err(), "{bad}");
        }
        assert!(parse_count("-3").unwrap_err().contains("âm"));
    }

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
