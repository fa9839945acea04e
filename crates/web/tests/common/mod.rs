//! Shared by the web crate's integration tests: a fresh database on either
//! backend (an SQLite file in a temporary directory, or a PostgreSQL
//! database created for the test and dropped after it), the reference plan
//! and the demo's accounts, and a client that signs in and sends requests
//! through the real router in-process.

// Each test binary uses only part of this module (some not the macro).
#![allow(dead_code, unused_macros)]

use axum::Router;
use axum::body::{Body, to_bytes};
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use dondoc_core::plan::PlanDoc;
use dondoc_core::plan_file;
use dondoc_store::users::{self, NewUser, Role};
use dondoc_store::{Store, units};
use dondoc_web::{AppState, Clock};
use jiff::civil::Date;
use serde_json::{Value, json};
use sqlx::{AssertSqlSafe, Connection, Row};
use std::future::Future;
use std::sync::atomic::{AtomicU32, Ordering};
use tower::ServiceExt;

/// The server the PostgreSQL half runs on, when `DONDOC_TEST_PG` is unset.
pub const DEFAULT_PG: &str = "postgres://root@127.0.0.1:5432/test";

// ---------------------------------------------------------------------------
// The world, on either backend

/// For each scenario, a module with one test per backend, each starting
/// from `$start` (the file's `populate` when none is named), so that a
/// failure names its backend.
macro_rules! on_both_backends {
    ($start:ident: $($name:ident),* $(,)?) => {$(
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                crate::common::run(crate::common::Kind::Sqlite, crate::$start, super::$name).await
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                crate::common::run(crate::common::Kind::Postgres, crate::$start, super::$name)
                    .await
            }
        }
    )*};
    ($($name:ident),* $(,)?) => {
        on_both_backends!(populate: $($name),*);
    };
}

#[derive(Clone, Copy)]
pub enum Kind {
    Sqlite,
    Postgres,
}

/// Runs a scenario on a fresh database of the backend, made ready by
/// `start`, then removes it, whether the scenario passed or panicked.
pub async fn run<W, S, SFut, F, Fut>(kind: Kind, start: S, body: F)
where
    S: FnOnce(Store) -> SFut,
    SFut: Future<Output = W>,
    F: FnOnce(W) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    match kind {
        Kind::Sqlite => {
            let dir = tempfile::tempdir().unwrap();
            let store = open_sqlite(&dir).await;
            let world = start(store.clone()).await;
            let outcome = tokio::spawn(body(world)).await;
            store.close().await;
            if let Err(e) = outcome {
                std::panic::resume_unwind(e.into_panic());
            }
        }
        Kind::Postgres => {
            let Some(admin) = pg_admin().await else {
                return;
            };
            let name = fresh_name();
            admin_sql(&admin, &format!("create database {name}")).await;
            let url = format!("{}/{name}", server_of(&admin));
            let store = Store::open(&url).await.expect("mở PostgreSQL");
            let world = start(store.clone()).await;
            let outcome = tokio::spawn(body(world)).await;
            store.close().await;
            admin_sql(
                &admin,
                &format!("drop database if exists {name} with (force)"),
            )
            .await;
            if let Err(e) = outcome {
                std::panic::resume_unwind(e.into_panic());
            }
        }
    }
}

/// A fresh SQLite database in `dir`, which must outlive it.
pub async fn open_sqlite(dir: &tempfile::TempDir) -> Store {
    let path = dir.path().join("dondoc.db");
    Store::open(path.to_str().expect("đường dẫn UTF-8"))
        .await
        .expect("mở SQLite")
}

/// The admin address if the server answers; `None` (after saying so) when
/// it does not and the PostgreSQL half may be skipped.
async fn pg_admin() -> Option<String> {
    let url = std::env::var("DONDOC_TEST_PG")
        .ok()
        .filter(|u| !u.trim().is_empty())
        .unwrap_or_else(|| DEFAULT_PG.to_string());
    match sqlx::PgConnection::connect(&url).await {
        Ok(c) => {
            let _ = c.close().await;
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

async fn admin_sql(admin: &str, sql: &str) {
    let mut c = sqlx::PgConnection::connect(admin).await.unwrap();
    sqlx::raw_sql(AssertSqlSafe(sql.to_string()))
        .execute(&mut c)
        .await
        .unwrap();
    let _ = c.close().await;
}

fn server_of(url: &str) -> String {
    let base = url.split('?').next().unwrap_or(url);
    let at = base.find("://").map(|i| i + 3).unwrap_or(0);
    match base[at..].find('/') {
        Some(i) => base[..at + i].to_string(),
        None => base.to_string(),
    }
}

/// A database name no other test, in this process or another, is using.
fn fresh_name() -> String {
    static N: AtomicU32 = AtomicU32::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    format!(
        "dondoc_web_{}_{}_{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed),
        nanos
    )
}

// ---------------------------------------------------------------------------
// The reference plan and the accounts

/// Kế hoạch 390-KH/TU, as `plans/390-KH-TU.json` holds it.
pub fn reference_plan() -> PlanDoc {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../plans/390-KH-TU.json"
    ))
    .expect("đọc plans/390-KH-TU.json");
    plan_file::read(&text).expect("kế hoạch mẫu hợp lệ")
}

/// Loads the reference plan as of `day`, recorded as loaded by `source`.
pub async fn load_reference(store: &Store, source: &str, day: Date) -> PlanDoc {
    let plan = reference_plan();
    store
        .load_plan(&plan, source, day)
        .await
        .expect("nạp kế hoạch");
    plan
}

/// Creates the accounts (username, full name, unit, role), all with
/// `password`.
pub async fn add_users<'a>(
    store: &Store,
    password: &str,
    accounts: impl IntoIterator<Item = (&'a str, &'a str, &'a str, Role)>,
) {
    // One hash for all: argon2 is slow on purpose, and slower in debug.
    let hash = dondoc_web::passwords::hash_password(password).expect("băm mật khẩu");
    let mut conn = store.conn().await.expect("kết nối");
    let index = units::index(&mut conn).await.expect("đơn vị");
    for (username, full_name, unit, role) in accounts {
        let user = NewUser {
            username,
            full_name,
            unit_id: index.find(unit).unwrap_or_else(|| panic!("thiếu {unit}")),
            role,
            password_hash: &hash,
        };
        users::insert(&mut conn, &user)
            .await
            .expect("tạo tài khoản");
    }
}

/// Accounts named (username, unit, role), each known by its username.
pub fn named_by_username<'a>(
    list: &'a [(&'a str, &'a str, Role)],
) -> impl Iterator<Item = (&'a str, &'a str, &'a str, Role)> {
    list.iter()
        .map(|&(username, unit, role)| (username, username, unit, role))
}

/// The id of the unit named `name`.
pub async fn unit(store: &Store, name: &str) -> i64 {
    let mut conn = store.conn().await.unwrap();
    units::index(&mut conn)
        .await
        .unwrap()
        .find(name)
        .unwrap_or_else(|| panic!("không có đơn vị {name}"))
}

/// The number of rows in `table`.
pub async fn count(store: &Store, table: &str) -> i64 {
    let mut conn = store.conn().await.unwrap();
    sqlx::query(AssertSqlSafe(format!("select count(*) as n from {table}")))
        .fetch_one(&mut *conn)
        .await
        .unwrap()
        .try_get("n")
        .unwrap()
}

// ---------------------------------------------------------------------------
// Clients and answers

/// The service on one database, its clock stopped at one day.
pub struct Web {
    pub router: Router,
    pub store: Store,
    /// What every account signs in with.
    pub password: &'static str,
}

/// A signed-in client: its session cookie and CSRF token.
pub struct Client {
    pub cookie: String,
    pub csrf: String,
}

/// What came back: the body both as it came and as text.
pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub bytes: Vec<u8>,
    pub body: String,
}

impl Answer {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body)
            .unwrap_or_else(|e| panic!("không phải JSON ({e}): {}", self.body))
    }

    pub fn text(&self) -> String {
        self.body.clone()
    }

    pub fn header(&self, name: header::HeaderName) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    pub fn location(&self) -> &str {
        self.header(header::LOCATION)
    }
}

/// Percent-encodes everything but the unreserved characters.
pub fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Sends `req` through `router` and reads the whole answer.
pub async fn send(router: &Router, req: Request<Body>) -> Answer {
    let resp = router.clone().oneshot(req).await.expect("trả lời");
    let status = resp.status();
    let headers = resp.headers().clone();
    let bytes = to_bytes(resp.into_body(), usize::MAX)
        .await
        .expect("đọc thân")
        .to_vec();
    let body = String::from_utf8_lossy(&bytes).into_owned();
    Answer {
        status,
        headers,
        bytes,
        body,
    }
}

/// Signs in through the API, as a client would.
pub async fn login(router: &Router, username: &str, password: &str) -> Client {
    let req = Request::post("/api/login")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(
            json!({"username": username, "password": password}).to_string(),
        ))
        .unwrap();
    let a = send(router, req).await;
    assert_eq!(a.status, StatusCode::OK, "đăng nhập {username}: {}", a.body);
    let cookie = a
        .header(header::SET_COOKIE)
        .split(';')
        .next()
        .expect("cookie phiên")
        .to_string();
    let csrf = a.json()["csrf_token"].as_str().expect("csrf").to_string();
    Client { cookie, csrf }
}

impl Web {
    /// The service on `store`, its clock stopped at `day`.
    pub fn new(store: Store, day: Date, password: &'static str) -> Web {
        let router = dondoc_web::router(AppState::new(store.clone(), Clock { fixed: Some(day) }));
        Web {
            router,
            store,
            password,
        }
    }

    /// The service as `serve --public-url URL` runs it.
    pub fn behind(store: Store, day: Date, password: &'static str, public_url: &str) -> Web {
        let mut state = AppState::new(store.clone(), Clock { fixed: Some(day) });
        state.secure_cookies = public_url.starts_with("https://");
        state.public_url = Some(public_url.to_string());
        Web {
            router: dondoc_web::router(state),
            store,
            password,
        }
    }

    pub async fn send(&self, req: Request<Body>) -> Answer {
        send(&self.router, req).await
    }

    pub async fn login(&self, username: &str) -> Client {
        login(&self.router, username, self.password).await
    }

    pub async fn get(&self, c: &Client, path: &str) -> Answer {
        let req = Request::get(path)
            .header(header::COOKIE, &c.cookie)
            .body(Body::empty())
            .unwrap();
        self.send(req).await
    }

    /// A GET with no session at all, as a calendar program makes it.
    pub async fn get_anonymous(&self, path: &str) -> Answer {
        self.send(Request::get(path).body(Body::empty()).unwrap())
            .await
    }

    /// A page form (urlencoded), exactly the fields given.
    pub async fn post_form(&self, c: &Client, path: &str, fields: &[(&str, &str)]) -> Answer {
        let body = fields
            .iter()
            .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
            .collect::<Vec<_>>()
            .join("&");
        let req = Request::post(path)
            .header(header::COOKIE, &c.cookie)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .unwrap();
        self.send(req).await
    }

    /// A JSON API call, with the CSRF header unless `csrf` is false.
    pub async fn api(
        &self,
        c: &Client,
        method: Method,
        path: &str,
        body: Value,
        csrf: bool,
    ) -> Answer {
        let mut req = Request::builder()
            .method(method)
            .uri(path)
            .header(header::COOKIE, &c.cookie)
            .header(header::CONTENT_TYPE, "application/json");
        if csrf {
            req = req.header("x-csrf-token", &c.csrf);
        }
        self.send(req.body(Body::from(body.to_string())).unwrap())
            .await
    }

    pub async fn unit(&self, name: &str) -> i64 {
        unit(&self.store, name).await
    }

    pub async fn count(&self, table: &str) -> i64 {
        count(&self.store, table).await
    }
}
