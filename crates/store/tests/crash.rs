//! An acknowledged write survives the writer being killed.
//!
//! The test binary runs itself a second time as a writer that moves an event
//! day after day and prints "ack N" after each commit returns; the parent
//! kills it with SIGKILL in the middle of its work, reopens the database and
//! checks that the last acknowledged move (or a later one) is there.

use dondoc_core::plan_file;
use dondoc_store::Store;
use jiff::ToSpan;
use jiff::civil::date;
use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};

const WRITER_ENV: &str = "DONDOC_CRASH_WRITER_DB";

fn reference_plan() -> dondoc_core::plan::PlanDoc {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../plans/390-KH-TU.json");
    plan_file::read(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// The writer half: does nothing unless started by `killed_writer_loses_no_acknowledged_write`.
#[tokio::test]
async fn writer_process() {
    let Ok(db) = std::env::var(WRITER_ENV) else {
        return;
    };
    let store = Store::open(&db).await.unwrap();
    let today = date(2024, 11, 20);
    let mut out = std::io::stdout();
    for i in 0..100_000i64 {
        let day = date(2025, 1, 1).checked_add(i.days()).unwrap();
        store
            .set_event("dh-xx", Some(day), None, "crash-test", today)
            .await
            .unwrap();
        writeln!(out, "ack {i}").unwrap();
        out.flush().unwrap();
    }
}

#[tokio::test]
async fn killed_writer_loses_no_acknowledged_write() {
    if std::env::var(WRITER_ENV).is_ok() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("crash.db").to_string_lossy().into_owned();
    {
        let store = Store::open(&db).await.unwrap();
        store
            .load_plan(&reference_plan(), "test", date(2024, 11, 20))
            .await
            .unwrap();
        store.close().await;
    }
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "writer_process",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(WRITER_ENV, &db)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut last_ack = None;
    while let Some(Ok(line)) = lines.next() {
        if let Some(n) = line.strip_prefix("ack ") {
            last_ack = Some(n.parse::<i64>().unwrap());
            if last_ack >= Some(60) {
                break;
            }
        }
    }
    // SIGKILL: no destructor, no checkpoint, no orderly close.
    child.kill().unwrap();
    child.wait().unwrap();
    let last_ack = last_ack.expect("the writer acknowledged writes");

    let store = Store::open(&db).await.unwrap();
    let xx = store
        .events()
        .await
        .unwrap()
        .into_iter()
        .find(|e| e.id == "dh-xx")
        .unwrap();
    let stored: jiff::civil::Date = xx.start.unwrap().parse().unwrap();
    let acked = date(2025, 1, 1).checked_add(last_ack.days()).unwrap();
    assert!(stored >= acked, "acknowledged {acked}, found {stored}");
    // Every acknowledged move is in the audit trail too.
    let moves = store
        .audit(1_000_000)
        .await
        .unwrap()
        .into_iter()
        .filter(|a| a.action == "event.set")
        .count();
    assert!(
        moves as i64 > last_ack,
        "{moves} moves recorded, {} acknowledged",
        last_ack + 1
    );
}
