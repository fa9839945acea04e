//! Assignments updated by their units, and event moves previewed, on both
//! backends (see `common` for how each test runs on SQLite and PostgreSQL).

#[macro_use]
mod common;

use common::*;
use dondoc_store::assignments::{self, Actor, NewFile, Status, Update};
use dondoc_store::users::{self, NewUser, Role};
use dondoc_store::{StoreError, audit, events, units};
use jiff::civil::date;

on_both_backends!(
    an_update_is_versioned_checked_and_audited,
    a_preview_is_the_save_rolled_back,
    no_deadline_falls_after_a_units_end,
    a_unit_with_an_end_owes_no_report_it_may_not_live_to_owe,
);

const XX: &str = "Đại hội XX Đảng bộ tỉnh";
const BAO_LAC: &str = "Huyện uỷ Bảo Lạc";

fn done(version: i64, file: Option<NewFile>) -> Update {
    Update {
        status: Status::Done,
        progress_note: Some("  Đã ban hành kế hoạch  ".into()),
        evidence: Some(String::new()),
        evidence_link: Some("https://baolac.caobang.gov.vn/kh-12".into()),
        completed_on: Some(date(2024, 11, 28)),
        version,
        file,
    }
}

async fn an_update_is_versioned_checked_and_audited(db: Db) {
    db.store
        .load_plan(&reference_plan(), "test", TODAY)
        .await
        .unwrap();
    let today = date(2025, 3, 10);
    let id = assignment_id(&db.store, "V.1.1.1", BAO_LAC).await;
    let mut conn = db.store.conn().await.unwrap();
    let unit_id = units::index(&mut conn)
        .await
        .unwrap()
        .find(BAO_LAC)
        .unwrap();
    let user_id = users::insert(
        &mut conn,
        &NewUser {
            username: "baolac",
            full_name: "Cán bộ Huyện uỷ Bảo Lạc",
            unit_id,
            role: Role::Officer,
            password_hash: "không dùng",
        },
    )
    .await
    .unwrap();
    let actor = Actor {
        username: "baolac",
        user_id: Some(user_id),
    };
    let first = assignments::get(&mut conn, id).await.unwrap().unwrap();
    assert_eq!((first.status, first.version), (Status::NotStarted, 1));
    // Overdue as of March: November's deadline has passed, undone.
    assert!(first.is_overdue(today));
    let counts = assignments::counts_by_unit(&mut conn, today).await.unwrap();
    let of_unit = assignments::of_unit(&mut conn, unit_id).await.unwrap();
    assert_eq!(counts[&unit_id], assignments::Counts::of(&of_unit, today));
    let overdue_before = counts[&unit_id].overdue;
    let trail = audit::count(&mut conn, None).await.unwrap();

    // Refused: done without a day; a form made from another version.
    let no_day = Update {
        completed_on: None,
        ..done(1, None)
    };
    let err = assignments::update(&mut conn, id, no_day, actor, today)
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Invalid(_)), "{err:?}");
    let err = assignments::update(&mut conn, id, done(7, None), actor, today)
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Stale(_)), "{err:?}");
    assert_eq!(
        assignments::get(&mut conn, id).await.unwrap().unwrap(),
        first
    );
    assert_eq!(audit::count(&mut conn, None).await.unwrap(), trail);

    // Saved, with its file and its audit entry, in one transaction.
    let file = NewFile {
        filename: "../báo cáo.pdf".into(),
        content_type: "application/pdf".into(),
        data: b"%PDF-1.4 thu".to_vec(),
    };
    let mut tx = db.store.pool().begin().await.unwrap();
    let saved = assignments::update(&mut tx, id, done(1, Some(file)), actor, today)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(
        (saved.status, saved.version, saved.completed_on.as_deref()),
        (Status::Done, 2, Some("2024-11-28"))
    );
    assert_eq!(saved.progress_note.as_deref(), Some("Đã ban hành kế hoạch"));
    assert_eq!(saved.evidence, None);
    assert_eq!(saved.updated_by.as_deref(), Some("Cán bộ Huyện uỷ Bảo Lạc"));
    assert_eq!(saved.attachments.len(), 1);
    assert_eq!(saved.attachments[0].filename, "báo cáo.pdf");
    let stored = assignments::attachment(&mut conn, saved.attachments[0].attachment_id)
        .await
        .unwrap()
        .unwrap();
    let data = dondoc_store::files::piece(&mut conn, stored.info.attachment_id, 0, 1 << 20)
        .await
        .unwrap();
    assert_eq!(
        (stored.assignment_id, data.as_slice()),
        (id, b"%PDF-1.4 thu".as_slice())
    );
    // Read in pieces: every piece, in order, is the file.
    let mut again = Vec::new();
    for at in (0..data.len()).step_by(5) {
        again.extend(
            dondoc_store::files::piece(&mut conn, stored.info.attachment_id, at, 5)
                .await
                .unwrap(),
        );
    }
    assert_eq!(again, data);
    // A file stored whole before pieces existed is moved into pieces.
    sqlx::query("delete from attachment_pieces where attachment_id = $1")
        .bind(stored.info.attachment_id)
        .execute(&mut *conn)
        .await
        .unwrap();
    sqlx::query("update attachments set data = $1 where attachment_id = $2")
        .bind(data.clone())
        .bind(stored.info.attachment_id)
        .execute(&mut *conn)
        .await
        .unwrap();
    dondoc_store::files::move_into_pieces(&mut conn)
        .await
        .unwrap();
    assert_eq!(
        dondoc_store::files::whole(&mut conn, stored.info.attachment_id)
            .await
            .unwrap(),
        data
    );
    let left: Vec<u8> = sqlx::Row::get(
        &sqlx::query("select data from attachments where attachment_id = $1")
            .bind(stored.info.attachment_id)
            .fetch_one(&mut *conn)
            .await
            .unwrap(),
        "data",
    );
    assert!(left.is_empty(), "the whole copy is dropped");
    assert!(!saved.is_overdue(today));
    let counts = assignments::counts_by_unit(&mut conn, today).await.unwrap();
    assert_eq!(counts[&unit_id].overdue, overdue_before - 1);
    assert_eq!(counts[&unit_id].done, 1);

    let entries = db.store.audit(1).await.unwrap();
    let entry = &entries[0];
    assert_eq!(
        (&*entry.actor, &*entry.action, &*entry.entity_id),
        ("baolac", "assignment.update", &*id.to_string())
    );
    let after: serde_json::Value = serde_json::from_str(entry.after.as_deref().unwrap()).unwrap();
    assert_eq!(after["status"], "done");
    assert_eq!(after["attachment"], "báo cáo.pdf");
    let page = audit::page(&mut conn, Some("assignment"), 10, 0)
        .await
        .unwrap();
    assert_eq!(page.len(), 1);
    assert_eq!(
        audit::count(&mut conn, Some("assignment")).await.unwrap(),
        1
    );
    let labels = assignments::labels(&mut conn, &[id, -1]).await.unwrap();
    assert_eq!(labels[&id], "V.1.1.1 — Huyện uỷ Bảo Lạc");
    assert_eq!(labels.len(), 1);

    // The old version is stale now.
    let err = assignments::update(&mut conn, id, done(1, None), actor, today)
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Stale(_)), "{err:?}");
}

async fn a_preview_is_the_save_rolled_back(db: Db) {
    db.store
        .load_plan(&reference_plan(), "test", TODAY)
        .await
        .unwrap();
    let calendar = db.store.events().await.unwrap();
    let index = due_windows(&db.store).await;
    let trail = db.store.audit(10_000).await.unwrap().len();
    let (start, end) = (Some(day("2025-10-14")), Some(day("2025-10-16")));

    let preview = db
        .store
        .preview_event(XX, start, end, "tester", TODAY)
        .await
        .unwrap();
    assert!(!preview.changes.is_empty());
    assert_eq!(db.store.events().await.unwrap(), calendar);
    assert_eq!(due_windows(&db.store).await, index);
    assert_eq!(db.store.audit(10_000).await.unwrap().len(), trail);

    // Inside a transaction the caller holds, it is a savepoint: the
    // caller's transaction goes on, unharmed.
    let mut tx = db.store.pool().begin().await.unwrap();
    let again = events::preview_dates(&mut tx, XX, start, end, "tester", TODAY)
        .await
        .unwrap();
    let still = events::find(&mut tx, XX).await.unwrap();
    assert_eq!(still.start, None);
    tx.commit().await.unwrap();
    assert_eq!(due_windows(&db.store).await, index);

    // Refusals are the save's own.
    let err = db
        .store
        .preview_event(XX, end, start, "tester", TODAY)
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Invalid(_)), "{err:?}");

    let saved = db
        .store
        .set_event(XX, start, end, "tester", TODAY)
        .await
        .unwrap();
    let summary = |m: &events::EventMove| {
        m.changes
            .iter()
            .map(|c| (c.label.clone(), c.before.clone(), c.after.clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(summary(&preview), summary(&saved));
    assert_eq!(summary(&again), summary(&saved));
    assert_eq!((preview.event, preview.before), (saved.event, saved.before));
    assert_ne!(due_windows(&db.store).await, index);
}

/// The district committees ended on 30/06/2025: dating Đại hội XX in
/// October gives them no deadline (the window is kept, marked ended), a
/// unit that lives on gets its date, and nothing ended counts as overdue.
async fn no_deadline_falls_after_a_units_end(db: Db) {
    db.store
        .load_plan(&reference_plan(), "test", TODAY)
        .await
        .unwrap();
    let today = date(2025, 3, 10);
    let moved = db
        .store
        .set_event(
            XX,
            Some(date(2025, 10, 14)),
            Some(date(2025, 10, 16)),
            "test",
            today,
        )
        .await
        .unwrap();
    let ended_row = |task: &str, unit: &str| {
        moved
            .changes
            .iter()
            .find(|c| c.label == format!("Nhiệm vụ {task} — {unit}"))
            .unwrap_or_else(|| panic!("{task} — {unit}"))
            .clone()
    };
    let district = ended_row("V.1.1.4", BAO_LAC);
    let ended: Vec<_> = district
        .after
        .iter()
        .filter(|d| d.state == dondoc_core::due::DueState::Ended)
        .collect();
    assert_eq!(ended.len(), 1, "{:?}", district.after);
    assert_eq!(ended[0].to.as_deref(), Some("2025-10-07"));
    assert!(
        ended[0].text().contains("kết thúc hoạt động"),
        "{}",
        ended[0].text()
    );

    let alive = ended_row("V.1.1.4", "Đảng uỷ Khối các cơ quan tỉnh");
    assert!(
        alive
            .after
            .iter()
            .any(|d| d.state == dondoc_core::due::DueState::Resolved
                && d.to.as_deref() == Some("2025-10-07")),
        "{:?}",
        alive.after
    );

    // Long after both: the ended window is not overdue; the living one is.
    let late = date(2025, 12, 1);
    let id = assignment_id(&db.store, "V.1.1.4", BAO_LAC).await;
    let a = db.store.assignment(id).await.unwrap().unwrap();
    assert!(
        a.due
            .iter()
            .filter(|d| d.state == dondoc_core::due::DueState::Resolved)
            .all(|d| d.to.as_deref().is_some_and(|t| t <= "2025-06-30")),
        "{:?}",
        a.due
    );
    let id = assignment_id(&db.store, "V.1.1.4", "Đảng uỷ Khối các cơ quan tỉnh").await;
    let b = db.store.assignment(id).await.unwrap().unwrap();
    assert!(b.is_overdue(late));
}

/// Đợt V waits for Đại hội XIV. A district committee that ends on
/// 30/06/2025 is not told it owes it while the congress is undated, nor
/// once the congress is dated after its end; a unit without an end is.
async fn a_unit_with_an_end_owes_no_report_it_may_not_live_to_owe(db: Db) {
    db.store
        .load_plan(&reference_plan(), "test", TODAY)
        .await
        .unwrap();
    let today = date(2025, 3, 10);
    let mut conn = db.store.conn().await.unwrap();
    let (plan_id, _) = dondoc_store::plans::choose(&mut conn, None).await.unwrap();
    drop(conn);
    let owes_dot_v = |unit: i64| {
        let store = db.store.clone();
        async move {
            let mut conn = store.conn().await.unwrap();
            let regimes = dondoc_store::reports::regimes(&mut conn, plan_id)
                .await
                .unwrap();
            drop(conn);
            store
                .reports_owed(&regimes, unit, today)
                .await
                .unwrap()
                .iter()
                .any(|o| o.regime == "Đợt V")
        }
    };
    let bao_lac = units::index(&mut db.store.conn().await.unwrap())
        .await
        .unwrap()
        .find(BAO_LAC)
        .unwrap();
    let khoi = units::index(&mut db.store.conn().await.unwrap())
        .await
        .unwrap()
        .find("Đảng uỷ Khối các cơ quan tỉnh")
        .unwrap();
    assert!(!owes_dot_v(bao_lac).await);
    assert!(owes_dot_v(khoi).await);
    db.store
        .set_event(
            "Đại hội Đảng toàn quốc lần thứ XIV",
            Some(date(2026, 1, 19)),
            Some(date(2026, 1, 23)),
            "test",
            today,
        )
        .await
        .unwrap();
    assert!(!owes_dot_v(bao_lac).await);
    assert!(owes_dot_v(khoi).await);
}
