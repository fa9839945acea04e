//! The reference plan with a few reports in: what the document tests of
//! the store (and the command line's, which render the same data) start
//! from.

use super::*;
use dondoc_store::reports::{self, Actor, ReportKey, Submission};
use dondoc_store::{plans, units};
use jiff::civil::{Date, date};

pub const XX: &str = "Đại hội XX Đảng bộ tỉnh";
pub const BTG: &str = "Ban Tuyên giáo Tỉnh uỷ";
/// A board of the Tỉnh uỷ that owes the reports (the Ban Tuyên giáo
/// receives them and so does not).
pub const BTC: &str = "Ban Tổ chức Tỉnh uỷ";
pub const BAO_LAC: &str = "Huyện uỷ Bảo Lạc";
pub const BAO_LAM: &str = "Huyện uỷ Bảo Lâm";
pub const BAO_CB: &str = "Báo Cao Bằng";
/// The day the documents are made: the phase I report (due 05/02/2025)
/// has come in from some units.
pub const AFTER_PHASE_I: Date = date(2025, 3, 10);

pub async fn load(db: &Db) {
    db.store
        .load_plan(&reference_plan(), "test", TODAY)
        .await
        .expect("nạp kế hoạch mẫu");
}

/// A unit's report for a regime's period, saved as it was on `on`.
pub async fn report(
    db: &Db,
    (regime, period): (&str, &str),
    unit: &str,
    figures: &[(&str, i64)],
    narrative: &str,
    on: Date,
    submit: bool,
) {
    let mut conn = db.store.conn().await.unwrap();
    let (plan_id, _) = plans::choose(&mut conn, None).await.unwrap();
    let regime = reports::regimes(&mut conn, plan_id)
        .await
        .unwrap()
        .into_iter()
        .find(|g| g.name == regime)
        .unwrap_or_else(|| panic!("không có chế độ báo cáo «{regime}»"));
    let unit_id = units::index(&mut conn).await.unwrap().find(unit).unwrap();
    reports::save(
        &mut conn,
        Actor {
            user_id: 0,
            username: "test",
        },
        &ReportKey {
            reporting_id: regime.reporting_id,
            period: period.to_string(),
            unit_id,
        },
        &Submission {
            figures: figures
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            narrative: narrative.to_string(),
            submit,
            version: None,
        },
        on,
    )
    .await
    .unwrap_or_else(|e| panic!("báo cáo {regime:?} của {unit}: {e}", regime = regime.name));
}

pub const BAO_LAC_TEXT: &str = "Huyện uỷ Bảo Lạc tổ chức 3 hội nghị quán triệt.";
pub const BTC_TEXT: &str = "Ban Tổ chức Tỉnh uỷ phát hành 40 pa nô.";

/// Three phase I reports (two on time, one late), a draft that must not
/// count, and a monthly report that a phase synthesis must not add.
pub async fn with_reports(db: &Db) {
    load(db).await;
    let dot_i = ("Đợt I", reports::SINGLE_PERIOD);
    report(
        db,
        dot_i,
        BAO_LAC,
        &[
            ("tin_bai_bao_chi", 12),
            ("hoi_nghi", 3),
            ("luot_nguoi_du_hoi_nghi", 450),
        ],
        BAO_LAC_TEXT,
        date(2025, 1, 20),
        true,
    )
    .await;
    report(
        db,
        dot_i,
        BAO_CB,
        &[("tin_bai_bao_chi", 120)],
        "",
        date(2025, 2, 3),
        true,
    )
    .await;
    report(
        db,
        dot_i,
        BTC,
        &[
            ("tin_bai_bao_chi", 5),
            ("pano_ap_phich_bang_ron_khau_hieu", 40),
        ],
        BTC_TEXT,
        date(2025, 2, 10),
        true,
    )
    .await;
    report(
        db,
        dot_i,
        BAO_LAM,
        &[("tin_bai_bao_chi", 999)],
        "bản nháp",
        date(2025, 2, 1),
        false,
    )
    .await;
    report(
        db,
        ("Hằng tháng", "2025-01"),
        BAO_LAC,
        &[("tin_bai_bao_chi", 4)],
        "",
        date(2025, 1, 30),
        true,
    )
    .await;
}
