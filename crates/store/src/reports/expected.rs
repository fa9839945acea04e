//! Who owes a report: units' life spans, the regime's reporters, and a
//! report's address (regime, period, unit) checked to exist.

use super::*;
use crate::error::{Result, StoreError};
use jiff::civil::Date;
use serde::Serialize;
use sqlx::{AnyConnection, Row};

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

pub(super) async fn is_reporter(
    conn: &mut AnyConnection,
    reporting_id: i64,
    unit_id: i64,
) -> Result<bool> {
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
                .map(|d| format!(" (kết thúc ngày {})", dondoc_core::text::vn_date_text(d)))
                .unwrap_or_default()
        )));
    }
    Ok(None)
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

pub(super) async fn target_of(
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
pub(super) fn short(s: &str) -> String {
    let cut: String = s.chars().take(40).collect();
    if cut.len() < s.len() {
        format!("{cut}…")
    } else {
        cut
    }
}
