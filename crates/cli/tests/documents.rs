//! The documents in words and as files, made from what the store gathers
//! from the reference plan with a few reports in, on both backends. The
//! store returns figures and rows (its own tests check them,
//! crates/store/tests/documents.rs); the sentences are written by
//! `dondoc_export`, so what they say of real data is checked here, where
//! both crates meet. The database harness is the store's own.

#[macro_use]
#[path = "../../store/tests/common/mod.rs"]
mod common;

use common::sample::*;
use common::*;
use dondoc_core::documents::synthesis::TaskLine;
use dondoc_export::synthesis::{self, words};
use jiff::civil::date;

on_both_backends!(
    the_synthesis_in_words,
    a_phase_waiting_for_an_event_is_named_by_the_plans_words,
    tasks_tied_to_the_congress_say_so_until_it_is_dated,
    the_feed_and_the_workbook_are_written,
    the_workbook_says_deadlines_and_statuses_in_words,
);

async fn the_synthesis_in_words(db: Db) {
    with_reports(&db).await;
    let s = db
        .store
        .synthesis(None, Some("Đợt I"), AFTER_PHASE_I)
        .await
        .unwrap();
    let d = words::document(&s);
    // The header, from the plan.
    assert_eq!(d.issuer, "TỈNH UỶ CAO BẰNG");
    assert_eq!(d.superior, None);
    assert_eq!(d.number, "Số      -BC/TU");
    assert_eq!(d.place, "Cao Bằng");
    assert_eq!(d.date, AFTER_PHASE_I);
    assert_eq!(d.scope, "Đợt I (từ ngày 19/11/2024 đến ngày 31/12/2024)");
    assert_eq!(d.narratives[0].topic, "Đợt I");
    assert_eq!(d.late.len(), 1);
    assert_eq!(d.late[0].submitted, "10/02/2025");
    assert_eq!(d.late[0].report, "Đợt I");
    assert!(d.missing.iter().all(|m| m.submitted.is_empty()));
    assert!(
        d.forms
            .iter()
            .any(|f| f.reference == "III.1.1"
                && f.lines.contains(&"137 tin, bài trên báo chí".into())),
        "{:?}",
        d.forms
    );
    // And it makes a document.
    let docx = synthesis::to_docx(&s).unwrap();
    assert!(docx.starts_with(b"PK"));

    let whole = db.store.synthesis(None, None, AFTER_PHASE_I).await.unwrap();
    assert_eq!(words::document(&whole).scope, "toàn bộ Kế hoạch");
}

async fn a_phase_waiting_for_an_event_is_named_by_the_plans_words(db: Db) {
    with_reports(&db).await;
    let v = db
        .store
        .synthesis(None, Some("Đợt V"), AFTER_PHASE_I)
        .await
        .unwrap();
    let scope = words::document(&v).scope;
    assert!(scope.starts_with("Đợt V ("), "{scope}");
    assert!(synthesis::to_docx(&v).unwrap().starts_with(b"PK"));
}

async fn tasks_tied_to_the_congress_say_so_until_it_is_dated(db: Db) {
    load(&db).await;
    let line = |list: &[TaskLine]| list.iter().find(|t| t.reference == "V.1.2.3").cloned();
    let before = db.store.synthesis(None, None, TODAY).await.unwrap();
    let pending = line(&before.pending).expect("V.1.2.3 chờ ngày Đại hội XX");
    let due = words::due_text(&pending.due);
    assert!(due.contains(XX), "{due}");
    let deployment = words::deployment(&before);
    assert!(deployment.iter().any(|d| d.contains(XX)), "{deployment:?}");

    db.store
        .set_event(
            XX,
            Some(date(2025, 10, 14)),
            Some(date(2025, 10, 16)),
            "test",
            TODAY,
        )
        .await
        .unwrap();
    let after = db.store.synthesis(None, None, TODAY).await.unwrap();
    let dated = line(&after.not_started).expect("V.1.2.3 đã có hạn");
    let due = words::due_text(&dated.due);
    assert!(due.contains("17/10/2025"), "{due}");
    // The heading it stands under says it has not started.
    assert_eq!(words::note_text(&dated.note), "");
}

async fn the_feed_and_the_workbook_are_written(db: Db) {
    with_reports(&db).await;
    db.store
        .set_event(
            XX,
            Some(date(2025, 10, 14)),
            Some(date(2025, 10, 16)),
            "test",
            TODAY,
        )
        .await
        .unwrap();
    let feed = db.store.feed(BTG, TODAY).await.unwrap();
    let ics = dondoc_export::ics::to_ics(&feed, jiff::Timestamp::UNIX_EPOCH);
    assert!(ics.starts_with("BEGIN:VCALENDAR"));
    assert!(ics.contains("UID:event-dh-xx@dondoc"));

    let t = db.store.tracking(None, AFTER_PHASE_I).await.unwrap();
    let xlsx = dondoc_export::tracking::to_xlsx(&t).unwrap();
    assert!(xlsx.starts_with(b"PK"));
}

async fn the_workbook_says_deadlines_and_statuses_in_words(db: Db) {
    with_reports(&db).await;
    let t = db.store.tracking(None, AFTER_PHASE_I).await.unwrap();
    let w = dondoc_export::tracking::sheets(&t);
    let pending = w
        .assignments
        .iter()
        .find(|a| a.reference == "V.1.2.3")
        .unwrap();
    assert!(pending.deadline.contains(XX), "{}", pending.deadline);
    assert_eq!(pending.status, "Chưa bắt đầu");
    assert!(
        w.assignments
            .iter()
            .any(|a| a.status.starts_with("Quá hạn (") && a.due_date.is_some()),
        "some assignment is overdue on 10/03/2025"
    );
}
