//! Group commit: many concurrent writes, one of them failing, on both
//! backends. Every write that was answered Ok is stored; the failing one is
//! undone alone; the batches really group writes.

#[macro_use]
mod common;

use common::{Db, count};
use dondoc_store::StoreError;
use std::sync::Arc;

on_both_backends!(concurrent_writes_share_commits_and_fail_alone);
on_both_backends!(a_write_transaction_that_reads_first_is_not_refused);

async fn concurrent_writes_share_commits_and_fail_alone(db: Db) {
    let store = Arc::new(db.store.clone());
    let before = count(&store, "audit_log").await;
    let (commits0, writes0) = store.write_stats();
    let mut handles = Vec::new();
    for i in 0..300i64 {
        let store = store.clone();
        handles.push(tokio::spawn(async move {
            store
                .write(move |conn| {
                    Box::pin(async move {
                        dondoc_store::audit::record(
                            conn,
                            "batch-test",
                            "test.write",
                            "test",
                            &i.to_string(),
                            None,
                            None,
                        )
                        .await?;
                        // Write 13 fails after writing: it must leave nothing.
                        if i == 13 {
                            return Err(StoreError::Invalid("lỗi thử".into()));
                        }
                        Ok(i)
                    })
                })
                .await
        }));
    }

    let mut ok = 0;
    for (i, h) in handles.into_iter().enumerate() {
        match h.await.unwrap() {
            Ok(v) => {
                assert_eq!(v, i as i64);
                ok += 1;
            }
            Err(e) => {
                assert_eq!(i, 13);
                assert!(e.to_string().contains("lỗi thử"), "{e}");
            }
        }
    }
    assert_eq!(ok, 299);
    let (commits, writes) = store.write_stats();
    assert_eq!(writes - writes0, 300);
    // 300 writes sent at once cannot all have waited for their own commit.
    assert!(
        commits - commits0 < 300,
        "{} commits for 300 writes",
        commits - commits0
    );
    assert_eq!(count(&store, "audit_log").await, before + 299);
    let failed: i64 = sqlx_count(
        &store,
        "select count(*) as n from audit_log where entity_id = '13'",
    )
    .await;
    assert_eq!(failed, 0);
}

async fn sqlx_count(store: &dondoc_store::Store, sql: &'static str) -> i64 {
    use sqlx::Row;
    sqlx::query(sql)
        .fetch_one(store.pool())
        .await
        .unwrap()
        .try_get("n")
        .unwrap()
}

on_both_backends!(writes_wait_for_another_process_instead_of_failing);

/// Another process (a second store on the same database, as `plan load`
/// run beside the service is) writes again and again while the service's
/// writes read and then write: every one of them waits its turn and is
/// stored, none fails as "locked" or "busy".
async fn writes_wait_for_another_process_instead_of_failing(db: Db) {
    let other = dondoc_store::Store::open(&db.url)
        .await
        .expect("tiến trình thứ hai");
    let store = Arc::new(db.store.clone());
    let before = count(&store, "audit_log").await;
    let writer = tokio::spawn(async move {
        for i in 0..40i64 {
            other
                .write(move |conn| {
                    Box::pin(async move {
                        dondoc_store::audit::record(
                            conn,
                            "tien-trinh-khac",
                            "test.other",
                            "test",
                            &i.to_string(),
                            None,
                            None,
                        )
                        .await
                    })
                })
                .await
                .expect("tiến trình kia ghi");
        }
        other.close().await;
    });
    let mut handles = Vec::new();
    for i in 0..100i64 {
        let store = store.clone();
        handles.push(tokio::spawn(async move {
            store
                .write(move |conn| {
                    Box::pin(async move {
                        // Read first, as a report's save reads its version.
                        dondoc_store::audit::recent(conn, 1).await?;
                        dondoc_store::audit::record(
                            conn,
                            "dich-vu",
                            "test.service",
                            "test",
                            &i.to_string(),
                            None,
                            None,
                        )
                        .await
                    })
                })
                .await
        }));
    }
    let mut failed = Vec::new();
    for h in handles {
        if let Err(e) = h.await.expect("tác vụ") {
            failed.push(e.to_string());
        }
    }
    writer.await.expect("tiến trình kia");
    assert!(
        failed.is_empty(),
        "{} write(s) failed: {:?}",
        failed.len(),
        &failed[..failed.len().min(3)]
    );
    assert_eq!(count(&store, "audit_log").await, before + 140);
}

/// A transaction from `Store::begin` reads, another writer commits
/// meanwhile, then the transaction writes: it must succeed (on SQLite a
/// deferred transaction would be refused "database is locked" at once,
/// its snapshot being stale; `begin` takes the write lock up front so the
/// other writer waits instead).
async fn a_write_transaction_that_reads_first_is_not_refused(db: Db) {
    let store = db.store.clone();
    let mut tx = store.begin().await.unwrap();
    let n: i64 = sqlx::query_scalar("select n from regime_version where id = 1")
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    let other = {
        let store = store.clone();
        tokio::spawn(async move {
            let mut tx = store.begin().await?;
            sqlx::query("update regime_version set n = n + 10 where id = 1")
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok::<_, StoreError>(())
        })
    };
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    sqlx::query("update regime_version set n = n + 1 where id = 1")
        .execute(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    other.await.unwrap().unwrap();
    let after: i64 = sqlx::query_scalar("select n from regime_version where id = 1")
        .fetch_one(store.pool())
        .await
        .unwrap();
    assert_eq!(after, n + 11, "both writes kept, one after the other");
}
