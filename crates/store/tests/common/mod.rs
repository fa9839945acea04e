//! Shared by the store's integration tests: a fresh database per test on
//! each backend (an SQLite file in a temporary directory, or a PostgreSQL
//! database created for the test and dropped after it), the reference plan,
//! and small queries over the tables.

#![allow(dead_code)]

pub mod sample;

use dondoc_core::due::{Due, DueState};
use dondoc_core::plan::{Phase, PlanDoc, Reporting, Task};
use dondoc_core::plan_file;
use dondoc_core::text::name_key;
use dondoc_store::due_index::Owner;
use dondoc_store::{Backend, Store};
use jiff::civil::{Date, date};
use sqlx::{AssertSqlSafe, Connection, Row};
use std::collections::BTreeMap;
use std::future::Future;
use std::sync::atomic::{AtomicU32, Ordering};

/// The day the tests are run "as of".
pub const TODAY: Date = date(2024, 11, 20);

/// The server the PostgreSQL half runs on, when `DONDOC_TEST_PG` is unset.
pub const DEFAULT_PG: &str = "postgres://root@127.0.0.1:5432/test";

/// Generates, for each test body `async fn name(db: Db)`, a module `name`
/// with two tests, `name::sqlite` and `name::postgres`, so that a failure
/// names its backend.
macro_rules! on_both_backends {
    ($($(#[$meta:meta])* $name:ident),* $(,)?) => {$(
        mod $name {
            $(#[$meta])*
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                crate::common::run(crate::common::Kind::Sqlite, super::$name).await
            }

            $(#[$meta])*
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                crate::common::run(crate::common::Kind::Postgres, super::$name).await
            }
        }
    )*};
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Sqlite,
    Postgres,
}

/// A fresh database, opened and migrated.
pub struct Db {
    pub store: Store,
    /// Its address: `Store::open(&db.url)` opens it again.
    pub url: String,
}

/// Runs `body` on a fresh database of the backend, then removes the
/// database, whether the body passed or panicked.
pub async fn run<F, Fut>(kind: Kind, body: F)
where
    F: FnOnce(Db) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    match kind {
        Kind::Sqlite => {
            let dir = tempfile::tempdir().expect("không tạo được thư mục tạm");
            let url = dir
                .path()
                .join("dondoc.db")
                .to_str()
                .expect("đường dẫn tạm không phải UTF-8")
                .to_string();
            let store = Store::open(&url).await.expect("không mở được SQLite");
            assert_eq!(store.backend(), Backend::Sqlite);
            let outcome = tokio::spawn(body(Db {
                store: store.clone(),
                url,
            }))
            .await;
            store.close().await;
            drop(dir);
            if let Err(e) = outcome {
                std::panic::resume_unwind(e.into_panic());
            }
        }
        Kind::Postgres => {
            let Some(admin_url) = pg_admin_url().await else {
                return;
            };
            let name = fresh_db_name();
            admin_sql(&admin_url, &format!("create database {name}"))
                .await
                .unwrap_or_else(|e| panic!("không tạo được cơ sở dữ liệu {name}: {e}"));
            let url = with_database(&admin_url, &name);
            let outcome = match Store::open(&url).await {
                Ok(store) => {
                    assert_eq!(store.backend(), Backend::Postgres);
                    let outcome = tokio::spawn(body(Db {
                        store: store.clone(),
                        url,
                    }))
                    .await;
                    store.close().await;
                    outcome.map_err(|e| e.into_panic())
                }
                Err(e) => Err(Box::new(format!("không mở được {url}: {e}")) as _),
            };
            // Best effort: a database left behind is only litter.
            if let Err(e) = admin_sql(
                &admin_url,
                &format!("drop database if exists {name} with (force)"),
            )
            .await
            {
                eprintln!("không xoá được cơ sở dữ liệu thử {name}: {e}");
            }
            if let Err(panic) = outcome {
                std::panic::resume_unwind(panic);
            }
        }
    }
}

/// The admin address if the server answers; `None` (after saying so) when it
/// does not and the PostgreSQL half may be skipped.
async fn pg_admin_url() -> Option<String> {
    let url = std::env::var("DONDOC_TEST_PG")
        .ok()
        .filter(|u| !u.trim().is_empty())
        .unwrap_or_else(|| DEFAULT_PG.to_string());
    match sqlx::PgConnection::connect(&url).await {
        Ok(conn) => {
            let _ = conn.close().await;
            Some(url)
        }
        Err(e) if std::env::var("DONDOC_REQUIRE_PG").as_deref() == Ok("1") => {
            panic!("DONDOC_REQUIRE_PG=1 mà không kết nối được PostgreSQL tại {url}: {e}")
        }
        Err(_) => {
            eprintln!("PostgreSQL không chạy: bỏ qua phần PostgreSQL");
            None
        }
    }
}

async fn admin_sql(admin_url: &str, sql: &str) -> Result<(), sqlx::Error> {
    let mut conn = sqlx::PgConnection::connect(admin_url).await?;
    sqlx::raw_sql(AssertSqlSafe(sql.to_string()))
        .execute(&mut conn)
        .await?;
    conn.close().await
}

/// A name no other test (of this or another run) uses.
fn fresh_db_name() -> String {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    format!(
        "dondoc_t_{}_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed),
        nanos
    )
}

/// The server address with its database replaced by `name`, parameters kept.
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let authority_at = base.find("://").map(|i| i + 3).unwrap_or(0);
    let server = match base[authority_at..].find('/') {
        Some(i) => &base[..authority_at + i],
        None => base,
    };
    match query {
        Some(q) => format!("{server}/{name}?{q}"),
        None => format!("{server}/{name}"),
    }
}

/// The reference plan, read and checked as `dondoc load` reads it.
pub fn reference_plan() -> PlanDoc {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../plans/390-KH-TU.json");
    let json = std::fs::read_to_string(path).expect("không đọc được plans/390-KH-TU.json");
    plan_file::read(&json).unwrap_or_else(|e| panic!("kế hoạch mẫu không hợp lệ: {e}"))
}

pub fn day(s: &str) -> Date {
    s.parse().expect("ngày YYYY-MM-DD")
}

/// A resolved window.
pub fn window(from: Option<&str>, to: Option<&str>) -> Due {
    Due {
        from: from.map(str::to_string),
        to: to.map(str::to_string),
        state: DueState::Resolved,
        waits_for: None,
        event: None,
        anchor: None,
    }
}

pub fn task_by_phrase<'a>(doc: &'a PlanDoc, phrase: &str) -> &'a Task {
    let hits: Vec<&Task> = doc
        .tasks
        .iter()
        .filter(|t| t.deadline_phrase.as_deref() == Some(phrase))
        .collect();
    assert_eq!(hits.len(), 1, "nhiệm vụ có thời hạn «{phrase}»");
    hits[0]
}

pub fn task_by_text<'a>(doc: &'a PlanDoc, text: &str) -> &'a Task {
    let hits: Vec<&Task> = doc.tasks.iter().filter(|t| t.text == text).collect();
    assert_eq!(hits.len(), 1, "nhiệm vụ «{text}»");
    hits[0]
}

pub fn task_by_ref<'a>(doc: &'a PlanDoc, reference: &str) -> &'a Task {
    doc.tasks
        .iter()
        .find(|t| t.reference == reference)
        .unwrap_or_else(|| panic!("không có nhiệm vụ {reference}"))
}

pub fn reporting_named<'a>(doc: &'a PlanDoc, name: &str) -> &'a Reporting {
    doc.reporting
        .iter()
        .find(|r| r.name == name)
        .unwrap_or_else(|| panic!("không có báo cáo «{name}»"))
}

pub fn phase_named<'a>(doc: &'a PlanDoc, name: &str) -> &'a Phase {
    doc.phases
        .iter()
        .find(|p| p.name == name)
        .unwrap_or_else(|| panic!("không có giai đoạn «{name}»"))
}

/// The units a task is assigned to, worked out from the document alone: each
/// lead that is a unit (by name or alias), or each member of the group it
/// names, in order, without repeats.
pub fn expected_assignees(doc: &PlanDoc, task: &Task) -> Vec<String> {
    let unit_named = |written: &str| {
        let key = name_key(written);
        doc.units
            .iter()
            .find(|u| name_key(&u.name) == key)
            .or_else(|| {
                doc.units
                    .iter()
                    .find(|u| u.aliases.iter().any(|a| name_key(a) == key))
            })
            .map(|u| u.name.clone())
    };
    let mut out: Vec<String> = Vec::new();
    for lead in &task.leads {
        let units = match unit_named(lead) {
            Some(u) => vec![u],
            None => {
                let key = name_key(lead);
                let group = doc
                    .groups
                    .iter()
                    .find(|g| {
                        name_key(&g.name) == key || g.aliases.iter().any(|a| name_key(a) == key)
                    })
                    .unwrap_or_else(|| panic!("«{lead}» không phải đơn vị hay nhóm"));
                group
                    .members
                    .iter()
                    .map(|m| unit_named(m).expect("thành viên nhóm là đơn vị"))
                    .collect()
            }
        };
        for u in units {
            if !out.contains(&u) {
                out.push(u);
            }
        }
    }
    out
}

/// The tables whose rows a plan load writes.
pub const TABLES: &[&str] = &[
    "plans",
    "units",
    "unit_aliases",
    "unit_successors",
    "events",
    "event_aliases",
    "unit_groups",
    "unit_group_aliases",
    "unit_group_members",
    "phases",
    "tasks",
    "task_units",
    "assignments",
    "reporting",
    "indicators",
    "slogans",
    "decoration_items",
    "due_windows",
    "due_deps",
    "audit_log",
];

pub async fn count(store: &Store, table: &str) -> i64 {
    assert!(
        TABLES.contains(&table),
        "bảng «{table}» không nằm trong danh sách"
    );
    sqlx::query(AssertSqlSafe(format!("select count(*) as n from {table}")))
        .fetch_one(store.pool())
        .await
        .unwrap_or_else(|e| panic!("đếm {table}: {e}"))
        .try_get("n")
        .expect("count(*)")
}

/// Row counts of every table a load writes.
pub async fn counts(store: &Store) -> BTreeMap<&'static str, i64> {
    let mut out = BTreeMap::new();
    for t in TABLES {
        out.insert(*t, count(store, t).await);
    }
    out
}

pub fn owner_text(o: Owner) -> &'static str {
    match o {
        Owner::Assignment => "assignment",
        Owner::Reporting => "reporting",
        Owner::Phase => "phase",
    }
}

/// One row of the index: seq, from, to, state.
pub type WindowRow = (i64, Option<String>, Option<String>, String);

/// Every row of `due_windows`, by owner.
pub async fn due_windows(store: &Store) -> BTreeMap<(String, i64), Vec<WindowRow>> {
    let rows = sqlx::query(
        "select owner, owner_id, seq, from_date, to_date, state from due_windows order by 1, 2, 3",
    )
    .fetch_all(store.pool())
    .await
    .expect("đọc due_windows");
    let mut out: BTreeMap<(String, i64), Vec<WindowRow>> = BTreeMap::new();
    for r in rows {
        let key = (r.get("owner"), r.get("owner_id"));
        out.entry(key).or_default().push((
            r.get("seq"),
            r.get("from_date"),
            r.get("to_date"),
            r.get("state"),
        ));
    }
    out
}

/// The assignment of a task (by ref) to a unit (by name).
pub async fn assignment_id(store: &Store, task_ref: &str, unit: &str) -> i64 {
    let rows = sqlx::query(
        "select a.assignment_id, u.name from assignments a
         join tasks t on t.task_id = a.task_id join units u on u.unit_id = a.unit_id
         where t.ref = $1",
    )
    .bind(task_ref)
    .fetch_all(store.pool())
    .await
    .expect("đọc assignments");
    rows.iter()
        .find(|r| name_key(&r.get::<String, _>("name")) == name_key(unit))
        .map(|r| r.get("assignment_id"))
        .unwrap_or_else(|| panic!("nhiệm vụ {task_ref} không giao cho «{unit}»"))
}
