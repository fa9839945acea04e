//! What the service asks of reports, as `Store` methods: each read is one
//! snapshot, each write one transaction of the group commit (`Store::write`),
//! audited with it.

use super::*;
use crate::Store;
use crate::error::{Result, StoreError};
use jiff::civil::Date;

/// A report as its page and the API show it: what is stored, its files, and
/// why its unit does not owe it (`None`: it does).
pub struct ReportState {
    pub report: Option<Report>,
    pub files: Vec<Attachment>,
    pub not_expected: Option<String>,
}

/// A file sent with a report, owned (it travels to the writer).
pub struct FileIn {
    pub filename: String,
    pub content_type: String,
    pub data: Vec<u8>,
}

impl Store {
    /// A report's address resolved: its regime (from the per-process
    /// cache), period as of `today` and unit; `Invalid` names the part that
    /// does not exist.
    pub async fn report_target(&self, key: &ReportKey, today: Date) -> Result<Target> {
        let mut conn = self.pool.acquire().await?;
        let regime = regime_cached(self, &mut conn, key.reporting_id).await?;
        target_of(&mut conn, key, today, regime).await
    }

    /// The regimes of a plan, from the per-process cache.
    pub async fn regimes_of_plan(&self, plan_id: i64) -> Result<Vec<Regime>> {
        let mut conn = self.pool.acquire().await?;
        regimes_cached(self, &mut conn, plan_id).await
    }

    /// A report, its files and whether its unit owes it, in one snapshot.
    pub async fn report_state(&self, key: &ReportKey, t: &Target) -> Result<ReportState> {
        read!(self, |tx| async move {
            let report = get(tx, key).await?;
            let files = match &report {
                Some(r) => attachments(tx, r.report_id).await?,
                None => Vec::new(),
            };
            let not_expected = not_expected_reason(tx, &t.regime, &t.period, &t.unit).await?;
            Ok::<_, StoreError>(ReportState {
                report,
                files,
                not_expected,
            })
        })
    }

    /// The stored report of `key` and its file `attachment_id`, if the file
    /// is that report's.
    pub async fn report_file(
        &self,
        key: &ReportKey,
        attachment_id: i64,
    ) -> Result<Option<(Report, Attachment)>> {
        read!(self, |tx| async move {
            let Some(report) = get(tx, key).await? else {
                return Ok(None);
            };
            let info = attachment_info(tx, attachment_id)
                .await?
                .filter(|a| a.report_id == report.report_id);
            Ok::<_, StoreError>(info.map(|a| (report, a)))
        })
    }

    /// Saves or submits a unit's report (see `save_batched`).
    pub async fn save_report(
        &self,
        user_id: i64,
        username: &str,
        key: ReportKey,
        input: Submission,
        today: Date,
    ) -> Result<(Report, Period)> {
        save_batched(self, user_id, username.to_string(), key, input, today).await
    }

    /// Saves or submits a report whose address was resolved by
    /// `report_target` (see `save_batched_at`).
    pub async fn save_report_at(
        &self,
        user_id: i64,
        username: &str,
        key: ReportKey,
        target: Target,
        input: Submission,
        today: Date,
    ) -> Result<(Report, Period)> {
        save_batched_at(
            self,
            user_id,
            username.to_string(),
            key,
            target,
            input,
            today,
        )
        .await
    }

    /// The plan owner's review (see `review`).
    pub async fn review_report(
        &self,
        user_id: i64,
        username: &str,
        key: &ReportKey,
        accept: bool,
        comment: &str,
        version: Option<i64>,
    ) -> Result<Report> {
        let (username, key, comment) = (username.to_string(), key.clone(), comment.to_string());
        self.write(move |conn| {
            Box::pin(async move {
                let actor = Actor {
                    user_id,
                    username: &username,
                };
                review(conn, actor, &key, accept, &comment, version).await
            })
        })
        .await
    }

    /// Attaches a file to a report (see `attach`).
    pub async fn attach_report_file(
        &self,
        user_id: i64,
        username: &str,
        key: &ReportKey,
        file: FileIn,
        today: Date,
    ) -> Result<Attachment> {
        let (username, key) = (username.to_string(), key.clone());
        self.write(move |conn| {
            Box::pin(async move {
                let actor = Actor {
                    user_id,
                    username: &username,
                };
                let file = NewFile {
                    filename: &file.filename,
                    content_type: &file.content_type,
                    data: &file.data,
                };
                attach(conn, actor, &key, &file, today).await
            })
        })
        .await
    }

    /// Removes a file from a report (see `detach`).
    pub async fn detach_report_file(
        &self,
        user_id: i64,
        username: &str,
        report: &Report,
        attachment_id: i64,
    ) -> Result<()> {
        let (username, report) = (username.to_string(), report.clone());
        self.write(move |conn| {
            Box::pin(async move {
                let actor = Actor {
                    user_id,
                    username: &username,
                };
                detach(conn, actor, &report, attachment_id).await
            })
        })
        .await
    }

    /// What a unit owes of these regimes as of `today`.
    pub async fn reports_owed(
        &self,
        regimes: &[Regime],
        unit_id: i64,
        today: Date,
    ) -> Result<Vec<Owed>> {
        read!(self, |tx| owed(tx, regimes, unit_id, today))
    }

    /// The units that owe a period's report and have not sent it.
    pub async fn reports_missing(
        &self,
        regime: &Regime,
        period: &Period,
        within: Option<i64>,
    ) -> Result<Vec<(i64, String)>> {
        read!(self, |tx| missing(tx, regime, period, within))
    }

    /// The reports of a plan, filtered.
    pub async fn report_rows(&self, plan_id: i64, filter: &ListFilter) -> Result<Vec<ReportRow>> {
        read!(self, |tx| list(tx, plan_id, filter))
    }
}
