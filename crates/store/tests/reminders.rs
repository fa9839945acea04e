//! Reminder digests and calendar-feed tokens, on both backends (see
//! `common` for how each test runs on SQLite and PostgreSQL).

#[macro_use]
mod common;

use common::*;
use dondoc_store::assignments::{self, Actor, Status, Update};
use dondoc_store::reminders::{Digest, DigestItem};
use dondoc_store::{Store, StoreError, audit, units};
use jiff::civil::date;

on_both_backends!(
    digests_split_overdue_from_due_soon_and_respect_settings,
    a_feed_token_is_made_once_and_resolves_back,
);

const BAO_LAC: &str = "Huyện uỷ Bảo Lạc";
const BAO_LAM: &str = "Huyện uỷ Bảo Lâm";
const THANH_UY: &str = "Thành uỷ Cao Bằng";
const VAN_KIEN: &str = "Tiểu ban Văn kiện";
const HOA_AN: &str = "Huyện uỷ Hoà An";

async fn unit_id(store: &Store, name: &str) -> i64 {
    let mut conn = store.conn().await.unwrap();
    units::index(&mut conn)
        .await
        .unwrap()
        .find(name)
        .unwrap_or_else(|| panic!("không có đơn vị «{name}»"))
}

fn refs(items: &[DigestItem]) -> Vec<&str> {
    items.iter().map(|i| i.reference.as_str()).collect()
}

fn of<'a>(list: &'a [Digest], unit: &str) -> Option<&'a Digest> {
    list.iter().find(|d| d.unit == unit)
}

async fn digests_split_overdue_from_due_soon_and_respect_settings(db: Db) {
    let store = &db.store;
    store
        .load_plan(&reference_plan(), "test", TODAY)
        .await
        .unwrap();
    let bao_lac = unit_id(store, BAO_LAC).await;
    let bao_lam = unit_id(store, BAO_LAM).await;
    let thanh_uy = unit_id(store, THANH_UY).await;
    let van_kien = unit_id(store, VAN_KIEN).await;

    // Never set: no address, reminders on; nobody is mailed yet.
    let c = store.contact(bao_lac).await.unwrap();
    assert_eq!((c.email, c.reminders_enabled), (None, true));
    let today = date(2024, 12, 5);
    assert!(store.digests(today, 30).await.unwrap().is_empty());

    // Refused: a malformed address, an unknown unit.
    let err = store
        .set_contact(
            bao_lac,
            Some("baolac@caobang.gov.vn\r\nBcc: x@y.vn"),
            "test",
        )
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Invalid(_)), "{err:?}");
    let err = store
        .set_contact(9_999, Some("x@y.vn"), "test")
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Invalid(_)), "{err:?}");

    let trail = audit::count(&mut store.conn().await.unwrap(), None)
        .await
        .unwrap();
    for (unit, email) in [
        (bao_lac, " baolac@caobang.gov.vn "),
        (bao_lam, "baolam@caobang.gov.vn"),
        (thanh_uy, "thanhuy@caobang.gov.vn"),
        (van_kien, "vankien@caobang.gov.vn"),
    ] {
        store.set_contact(unit, Some(email), "test").await.unwrap();
    }
    let off = store
        .set_reminders(bao_lam, false, "quantri")
        .await
        .unwrap();
    assert_eq!(off.email.as_deref(), Some("baolam@caobang.gov.vn"));
    assert!(!off.reminders_enabled);
    // Each change is audited with its before and after.
    let mut conn = store.conn().await.unwrap();
    assert_eq!(audit::count(&mut conn, None).await.unwrap(), trail + 5);
    let last = &audit::recent(&mut conn, 1).await.unwrap()[0];
    assert_eq!(
        (
            last.actor.as_str(),
            last.action.as_str(),
            last.entity.as_str()
        ),
        ("quantri", "unit.reminders", "unit")
    );
    assert_eq!(last.entity_id, bao_lam.to_string());
    assert!(
        last.before
            .as_deref()
            .unwrap()
            .contains("\"reminders_enabled\":true")
    );
    assert!(
        last.after
            .as_deref()
            .unwrap()
            .contains("\"reminders_enabled\":false")
    );
    drop(conn);

    // Thành uỷ has done its November task: it is no longer listed.
    let done_id = assignment_id(store, "V.1.1.1", THANH_UY).await;
    let mut conn = store.conn().await.unwrap();
    assignments::update(
        &mut conn,
        done_id,
        Update {
            status: Status::Done,
            progress_note: None,
            evidence: None,
            evidence_link: None,
            completed_on: Some(date(2024, 11, 28)),
            version: 1,
            file: None,
        },
        Actor {
            username: "test",
            user_id: None,
        },
        today,
    )
    .await
    .unwrap();
    drop(conn);

    // As of 5 December, 30 days ahead: November's task is 5 days late,
    // December's falls due in 26.
    let list = store.digests(today, 30).await.unwrap();
    let names: Vec<&str> = list.iter().map(|d| d.unit.as_str()).collect();
    assert_eq!(names, [THANH_UY, BAO_LAC], "theo thứ tự đơn vị");
    let d = of(&list, BAO_LAC).unwrap();
    assert_eq!(d.unit_id, bao_lac);
    assert_eq!(d.email, "baolac@caobang.gov.vn");
    assert_eq!(refs(&d.overdue), ["V.1.1.1"]);
    assert_eq!(refs(&d.due_soon), ["V.1.1.6"]);
    let late = &d.overdue[0];
    assert_eq!(late.plan, "390-KH/TU");
    assert_eq!(late.window, "trong tháng 11/2024");
    assert_eq!(late.last_day, date(2024, 11, 30));
    assert_eq!(late.days, 5);
    assert!(!late.task.is_empty());
    let soon = &d.due_soon[0];
    assert_eq!(soon.window, "trong tháng 12/2024");
    assert_eq!((soon.last_day, soon.days), (date(2024, 12, 31), 26));
    // Done is not listed; what is left still is.
    let t = of(&list, THANH_UY).unwrap();
    assert!(t.overdue.is_empty());
    assert_eq!(refs(&t.due_soon), ["V.1.1.6"]);
    // Reminders off: nothing. Nothing due: nothing.
    assert!(of(&list, BAO_LAM).is_none());
    assert!(of(&list, VAN_KIEN).is_none());
    // No address: nothing, though it has as much due as Bảo Lạc.
    assert!(of(&list, HOA_AN).is_none());

    // A week ahead only: December's task is not yet "soon", and Thành uỷ,
    // with nothing overdue, gets no mail at all.
    let week = store.digests(today, 7).await.unwrap();
    assert_eq!(week.len(), 1);
    assert_eq!(refs(&week[0].overdue), ["V.1.1.1"]);
    assert!(week[0].due_soon.is_empty());

    // The last day itself is still "due", with 0 days left.
    let on_the_day = store.digests(date(2024, 11, 30), 0).await.unwrap();
    let d = of(&on_the_day, BAO_LAC).unwrap();
    assert!(d.overdue.is_empty());
    assert_eq!(refs(&d.due_soon), ["V.1.1.1"]);
    assert_eq!(d.due_soon[0].days, 0);

    // Turned back on, Bảo Lâm is told again.
    store.set_reminders(bao_lam, true, "test").await.unwrap();
    let list = store.digests(today, 30).await.unwrap();
    assert_eq!(refs(&of(&list, BAO_LAM).unwrap().overdue), ["V.1.1.1"]);

    // Removing the address stops the mail but keeps the setting.
    let c = store.set_contact(bao_lam, None, "test").await.unwrap();
    assert_eq!((c.email, c.reminders_enabled), (None, true));
    assert!(of(&store.digests(today, 30).await.unwrap(), BAO_LAM).is_none());

    // The district committees end on 30/06/2025: after that, no mail,
    // though their 2024 tasks were never done.
    let later = store.digests(date(2025, 7, 5), 7).await.unwrap();
    assert!(of(&later, BAO_LAC).is_none());
    assert!(of(&later, THANH_UY).is_none());
}

async fn a_feed_token_is_made_once_and_resolves_back(db: Db) {
    let store = &db.store;
    store
        .load_plan(&reference_plan(), "test", TODAY)
        .await
        .unwrap();
    let bao_lac = unit_id(store, BAO_LAC).await;
    let bao_lam = unit_id(store, BAO_LAM).await;

    assert_eq!(store.feed_made(bao_lac).await.unwrap(), None, "none yet");
    let token = store.new_feed_token(bao_lac, "test").await.unwrap();
    assert_eq!(token.len(), 64);
    assert!(token.chars().all(|c| c.is_ascii_hexdigit()));
    assert!(store.feed_made(bao_lac).await.unwrap().is_some());
    let other = store.new_feed_token(bao_lam, "test").await.unwrap();
    assert_ne!(other, token);

    assert_eq!(
        store.unit_by_feed_token(&token).await.unwrap(),
        Some(bao_lac)
    );
    assert_eq!(
        store.unit_by_feed_token(&other).await.unwrap(),
        Some(bao_lam)
    );
    assert_eq!(store.unit_by_feed_token("khong-co").await.unwrap(), None);
    assert_eq!(store.unit_by_feed_token("").await.unwrap(), None);

    // Only its hash is stored: the database does not hold the secret.
    let mut conn = store.conn().await.unwrap();
    let rows = sqlx::query(
        "select coalesce(feed_token, '') || ' ' || coalesce(feed_hash, '') as f from unit_contacts",
    )
    .fetch_all(&mut *conn)
    .await
    .unwrap();
    drop(conn);
    assert!(!rows.is_empty());
    for r in &rows {
        let f: String = sqlx::Row::get(r, "f");
        assert!(!f.contains(&token) && !f.contains(&other), "{f}");
    }

    // Contact settings and the feed share a row without touching each other.
    store
        .set_contact(bao_lac, Some("baolac@caobang.gov.vn"), "test")
        .await
        .unwrap();
    store.set_reminders(bao_lac, false, "test").await.unwrap();
    assert_eq!(
        store.unit_by_feed_token(&token).await.unwrap(),
        Some(bao_lac)
    );
    let c = store.contact(bao_lac).await.unwrap();
    assert_eq!(c.email.as_deref(), Some("baolac@caobang.gov.vn"));
    assert!(!c.reminders_enabled);

    // It survives reopening the database.
    let again = Store::open(&db.url).await.unwrap();
    assert_eq!(
        again.unit_by_feed_token(&token).await.unwrap(),
        Some(bao_lac)
    );
    again.close().await;

    // Replaced: the new address opens the feed, the old one no longer.
    let replaced = store.new_feed_token(bao_lac, "test").await.unwrap();
    assert_ne!(replaced, token);
    assert_eq!(store.unit_by_feed_token(&token).await.unwrap(), None);
    assert_eq!(
        store.unit_by_feed_token(&replaced).await.unwrap(),
        Some(bao_lac)
    );
    let trail = audit::recent(&mut store.conn().await.unwrap(), 10)
        .await
        .unwrap();
    assert!(trail.iter().any(|e| e.action == "unit.feed_replaced"));
    assert!(
        trail
            .iter()
            .all(|e| !e.after.as_deref().unwrap_or_default().contains(&replaced))
    );

    let err = store.new_feed_token(9_999, "test").await.unwrap_err();
    assert!(matches!(err, StoreError::Invalid(_)), "{err:?}");
}
