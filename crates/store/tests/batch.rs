//! Group commit: many concurrent writes, one of them failing, on both
//! backends. Every write that was answered Ok is stored; the failing one is
//! undone alone; the batches really group writes.

#[macro_use]
mod common;

use common::{Db, count};
use dondoc_store::StoreError;
use std::sync::Arc;

on_both_backends!(concurrent_writes_share_commits_and_fail_alone);

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
