//! Upload quotas: per report and per unit, checked in the transaction that
//! stores the file, changed by an administrator with an audit entry; on
//! both backends (see `common`).

#[macro_use]
mod common;

use common::*;
use dondoc_store::reports::{self, FileIn, ReportKey};
use dondoc_store::users::{self, NewUser, Role};
use dondoc_store::{StoreError, audit, plans, units};
use jiff::civil::date;

on_both_backends!(a_report_and_a_unit_hold_only_their_quota,);

const MB: u64 = 1024 * 1024;

fn file(name: &str, bytes: usize) -> FileIn {
    FileIn {
        filename: name.into(),
        content_type: "application/pdf".into(),
        data: vec![b'x'; bytes],
    }
}

async fn a_report_and_a_unit_hold_only_their_quota(db: Db) {
    db.store
        .load_plan(&reference_plan(), "test", TODAY)
        .await
        .unwrap();
    let today = date(2025, 3, 10);
    let mut conn = db.store.conn().await.unwrap();
    let unit_id = units::index(&mut conn)
        .await
        .unwrap()
        .find("Huyện uỷ Bảo Lạc")
        .unwrap();
    let user = users::insert(
        &mut conn,
        &NewUser {
            username: "baolac",
            full_name: "Cán bộ Bảo Lạc",
            unit_id,
            role: Role::Officer,
            password_hash: "không dùng",
        },
    )
    .await
    .unwrap();
    let (plan_id, _) = plans::choose(&mut conn, None).await.unwrap();
    let monthly = reports::regimes(&mut conn, plan_id)
        .await
        .unwrap()
        .into_iter()
        .find(|g| g.name == "Hằng tháng")
        .unwrap()
        .reporting_id;
    drop(conn);
    let key = |period: &str| ReportKey {
        reporting_id: monthly,
        period: period.into(),
        unit_id,
    };

    // The defaults, then an administrator's: 1 MB a report, 2 MB a unit.
    let q = db.store.quota().await.unwrap();
    assert_eq!((q.per_report, q.per_unit), (50 * MB, 500 * MB));
    let refused = db
        .store
        .set_quota(Some(3 * MB), Some(2 * MB), "quantri")
        .await;
    assert!(
        matches!(refused, Err(StoreError::Invalid(_))),
        "{refused:?}"
    );
    db.store
        .set_quota(Some(MB), Some(2 * MB), "quantri")
        .await
        .unwrap();
    let trail = audit::recent(&mut db.store.conn().await.unwrap(), 5)
        .await
        .unwrap();
    assert!(
        trail
            .iter()
            .any(|e| e.action == "quota.set" && e.actor == "quantri")
    );

    let half = (MB / 2) as usize;
    let attach = |period: &'static str, name: &'static str| {
        let store = db.store.clone();
        let key = key(period);
        async move {
            store
                .attach_report_file(user, "baolac", &key, file(name, half + 1), today)
                .await
        }
    };
    attach("2025-01", "a.pdf").await.unwrap();
    // A second half-megabyte file would take January's report past 1 MB.
    match attach("2025-01", "b.pdf").await {
        Err(StoreError::Invalid(m)) => {
            assert!(m.contains("hạn mức") && m.contains("một báo cáo"), "{m}")
        }
        other => panic!("{other:?}"),
    }
    let files = db
        .store
        .report_state(
            &key("2025-01"),
            &db.store
                .report_target(&key("2025-01"), today)
                .await
                .unwrap(),
        )
        .await
        .unwrap()
        .files;
    assert_eq!(files.len(), 1, "nothing half-written");
    // Other months fill the unit's 2 MB: the fourth file is one too many.
    attach("2025-02", "c.pdf").await.unwrap();
    attach("2025-03", "d.pdf").await.unwrap();
    match attach("2024-12", "e.pdf").await {
        Err(StoreError::Invalid(m)) => {
            assert!(m.contains("một đơn vị"), "{m}")
        }
        other => panic!("{other:?}"),
    }
}
