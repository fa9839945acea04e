//! Reports and the overview, driven through the real router in-process on a
//! fresh database holding the reference plan (Kế hoạch 390-KH/TU), exactly
//! as `dondoc serve --demo` loads it. Each scenario runs on SQLite and, when
//! a server answers, on PostgreSQL.
//!
//! Expected counts are worked out here from the plan file itself (the
//! reporters of each regime and the units' life spans), not from the code
//! under test.

#[macro_use]
mod common;

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use common::encode;
use dondoc_core::plan::PlanDoc;
use dondoc_store::Store;
use dondoc_store::users::Role;
use dondoc_web::{AppState, Clock};
use jiff::civil::{Date, date};
use serde_json::{Value, json};

const PASSWORD: &str = "mat-khau-thu-nghiem";

const BAO_LAC: &str = "Huyện uỷ Bảo Lạc";
const BAO_CAO_BANG: &str = "Báo Cao Bằng";
const TINH_UY: &str = "Tỉnh uỷ Cao Bằng";
const MONTHLY: &str = "Hằng tháng";

/// The accounts of the demo, one per role.
const USERS: &[(&str, &str, Role)] = &[
    ("quantri", "Văn phòng Tỉnh uỷ", Role::Admin),
    ("chutri", "Ban Tuyên giáo Tỉnh uỷ", Role::Owner),
    ("lanhdao", TINH_UY, Role::Leader),
    ("baolac", BAO_LAC, Role::Officer),
    ("baocaobang", BAO_CAO_BANG, Role::Officer),
];

// ---------------------------------------------------------------------------
// The world: a database with the reference plan and the accounts

struct World {
    store: Store,
    plan: PlanDoc,
}

/// Loads the plan and the accounts the way the demo does.
async fn populate(store: Store) -> World {
    let plan = common::load_reference(&store, "demo", date(2024, 11, 20)).await;
    common::add_users(&store, PASSWORD, common::named_by_username(USERS)).await;
    World { store, plan }
}

impl World {
    fn router(&self, day: Date) -> Router {
        dondoc_web::router(AppState::new(
            self.store.clone(),
            Clock { fixed: Some(day) },
        ))
    }

    /// Signs in through the API, as a client would.
    async fn login(&self, username: &str, day: Date) -> Client {
        let router = self.router(day);
        let c = common::login(&router, username, PASSWORD).await;
        Client {
            router,
            cookie: c.cookie,
            csrf: c.csrf,
        }
    }

    async fn unit(&self, name: &str) -> i64 {
        common::unit(&self.store, name).await
    }

    async fn regime(&self, name: &str) -> i64 {
        let mut conn = self.store.conn().await.unwrap();
        let (plan_id, _) = dondoc_store::plans::choose(&mut conn, None).await.unwrap();
        dondoc_store::reports::regimes(&mut conn, plan_id)
            .await
            .unwrap()
            .into_iter()
            .find(|g| g.name == name)
            .unwrap_or_else(|| panic!("không có chế độ báo cáo {name}"))
            .reporting_id
    }

    async fn count(&self, table: &str) -> i64 {
        common::count(&self.store, table).await
    }

    /// Rows of every table a report change touches.
    async fn footprint(&self) -> [i64; 4] {
        [
            self.count("reports").await,
            self.count("report_figures").await,
            self.count("attachments").await,
            self.count("audit_log").await,
        ]
    }

    /// How many units the plan file says owe a regime's report for a period
    /// running from `first` to `last` (its reporters, alive during it).
    fn expected(&self, regime: &str, first: &str, last: &str) -> i64 {
        let r = self
            .plan
            .reporting
            .iter()
            .find(|r| r.name == regime)
            .unwrap();
        let mut names: Vec<&str> = Vec::new();
        for reporter in &r.reporters {
            // A group's members, but not the office the reports go to.
            match self.plan.groups.iter().find(|g| g.name == *reporter) {
                Some(g) => names.extend(
                    g.members
                        .iter()
                        .map(String::as_str)
                        .filter(|m| r.recipient.as_deref() != Some(*m)),
                ),
                None => names.push(reporter),
            }
        }
        names.sort();
        names.dedup();
        names
            .iter()
            .filter(|n| {
                let u = self.plan.units.iter().find(|u| u.name == **n).unwrap();
                u.valid_from.as_deref().is_none_or(|f| f <= last)
                    && u.valid_to.as_deref().is_none_or(|t| t >= first)
            })
            .count() as i64
    }
}

/// A signed-in client: its session cookie and CSRF token, and the service
/// (with its clock) it talks to.
struct Client {
    router: Router,
    cookie: String,
    csrf: String,
}

/// What came back, its body as bytes: a download is compared byte for byte.
struct Answer {
    status: StatusCode,
    headers: HeaderMap,
    body: Vec<u8>,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|_| panic!("không phải JSON: {}", self.text()))
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    fn error(&self) -> String {
        self.json()["error"].as_str().unwrap_or("").to_string()
    }
}

impl Client {
    /// The same session on a service whose clock says `day`.
    fn on(&self, world: &World, day: Date) -> Client {
        Client {
            router: world.router(day),
            cookie: self.cookie.clone(),
            csrf: self.csrf.clone(),
        }
    }

    async fn send(&self, req: Request<Body>) -> Answer {
        let a = common::send(&self.router, req).await;
        Answer {
            status: a.status,
            headers: a.headers,
            body: a.bytes,
        }
    }

    fn request(&self, method: Method, uri: &str) -> axum::http::request::Builder {
        Request::builder()
            .method(method)
            .uri(uri)
            .header(header::COOKIE, &self.cookie)
    }

    async fn get(&self, uri: &str) -> Answer {
        self.send(self.request(Method::GET, uri).body(Body::empty()).unwrap())
            .await
    }

    /// A JSON write with the session's CSRF token (or `csrf` instead).
    async fn write_with(
        &self,
        method: Method,
        uri: &str,
        body: Value,
        csrf: Option<&str>,
    ) -> Answer {
        let mut b = self
            .request(method, uri)
            .header(header::CONTENT_TYPE, "application/json");
        if let Some(t) = csrf {
            b = b.header("x-csrf-token", t);
        }
        self.send(b.body(Body::from(body.to_string())).unwrap())
            .await
    }

    async fn put(&self, uri: &str, body: Value) -> Answer {
        self.write_with(Method::PUT, uri, body, Some(&self.csrf.clone()))
            .await
    }

    async fn post(&self, uri: &str, body: Value) -> Answer {
        self.write_with(Method::POST, uri, body, Some(&self.csrf.clone()))
            .await
    }

    /// A page form (urlencoded), CSRF field included unless given.
    async fn form(&self, uri: &str, fields: &[(&str, &str)]) -> Answer {
        let mut pairs: Vec<String> = fields
            .iter()
            .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
            .collect();
        if !fields.iter().any(|(k, _)| *k == "csrf") {
            pairs.push(format!("csrf={}", self.csrf));
        }
        let req = self
            .request(Method::POST, uri)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(pairs.join("&")))
            .unwrap();
        self.send(req).await
    }

    /// A multipart upload of one file.
    async fn upload(&self, uri: &str, filename: &str, data: &[u8], csrf_header: bool) -> Answer {
        let boundary = "ranh-gioi-0123456789";
        let mut body = Vec::new();
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\nContent-Type: application/pdf\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(data);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        let mut b = self.request(Method::POST, uri).header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={boundary}"),
        );
        if csrf_header {
            b = b.header("x-csrf-token", &self.csrf);
        }
        self.send(b.body(Body::from(body)).unwrap()).await
    }
}

impl Client {
    /// The report page's own form as a browser sends it with a file chosen:
    /// multipart, its fields and the token, then the file in `tep`.
    async fn form_with_file(
        &self,
        uri: &str,
        fields: &[(&str, &str)],
        file: (&str, &[u8]),
    ) -> Answer {
        let boundary = "ranh-gioi-bieu-mau-42";
        let mut body = Vec::new();
        let mut all: Vec<(&str, &str)> = fields.to_vec();
        all.push(("csrf", &self.csrf));
        for (k, v) in all {
            body.extend_from_slice(
                format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n"
                )
                .as_bytes(),
            );
        }
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"tep\"; filename=\"{}\"\r\nContent-Type: application/pdf\r\n\r\n",
                file.0
            )
            .as_bytes(),
        );
        body.extend_from_slice(file.1);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        let b = self.request(Method::POST, uri).header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={boundary}"),
        );
        self.send(b.body(Body::from(body)).unwrap()).await
    }
}

fn report_uri(regime: i64, period: &str, unit: i64) -> String {
    format!("/api/reports/{regime}/{period}/{unit}")
}

/// The dashboard's rate row of a regime's period.
fn rate<'a>(dash: &'a Value, regime: &str, period: &str) -> &'a Value {
    dash["rates"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["regime"] == regime && r["period"]["key"] == period)
        .unwrap_or_else(|| panic!("không có dòng tỷ lệ {regime} {period}"))
}

fn counts(row: &Value) -> (i64, i64, i64) {
    let t = &row["total"];
    (
        t["expected"].as_i64().unwrap(),
        t["submitted"].as_i64().unwrap(),
        t["on_time"].as_i64().unwrap(),
    )
}

/// The total of an indicator over a regime's period in the dashboard.
fn total(dash: &Value, regime: &str, period: &str, key: &str) -> i64 {
    dash["totals"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["regime"] == regime && t["period"] == period && t["indicator_key"] == key)
        .map(|t| t["total"].as_i64().unwrap())
        .unwrap_or(0)
}

/// No row of the dashboard counts more than it expects.
fn assert_rates_sane(dash: &Value) {
    for r in dash["rates"].as_array().unwrap() {
        let mut rows = vec![&r["total"]];
        rows.extend(r["by_unit"].as_array().unwrap().iter());
        for c in rows {
            let (e, s, o) = (
                c["expected"].as_i64().unwrap(),
                c["submitted"].as_i64().unwrap(),
                c["on_time"].as_i64().unwrap(),
            );
            assert!(
                s <= e && o <= s,
                "{} {}: {c}",
                r["regime"],
                r["period"]["key"]
            );
            let pct = c["submitted_percent"].as_f64().unwrap();
            assert!(pct <= 100.0);
            // One decimal, and 100 only when every report is in.
            assert_eq!((pct * 10.0).round() / 10.0, pct);
            assert_eq!(pct == 100.0, e > 0 && s == e, "{c}");
        }
    }
}

fn is_vietnamese(msg: &str) -> bool {
    // Every message names what is wrong in Vietnamese: it has diacritics.
    !msg.is_empty()
        && msg.chars().any(|c| {
            "ạảãàáâậầấẩẫăắằặẳẵđêếềệểễôồốộổỗơớờợởỡưứừựửữíìịỉĩúùụủũóòọỏõéèẹẻẽýỳỵỷỹ"
                .contains(c.to_lowercase().next().unwrap_or(c))
        })
}

// ---------------------------------------------------------------------------
// Scenarios

on_both_backends!(
    submissions_move_the_rates_and_totals,
    an_edited_report_counts_once,
    a_late_report_counts_as_submitted_not_on_time,
    moving_the_congress_rejudges_the_phase_v_report,
    districts_owe_nothing_after_june_2025,
    an_empty_report_is_not_submitted,
    a_file_goes_with_what_was_typed,
    bad_input_is_refused_and_nothing_is_saved,
    only_the_unit_writes_its_report,
    review_returns_and_accepts,
    attachments_round_trip,
    pages_render_and_forms_redirect,
);

async fn submissions_move_the_rates_and_totals(w: World) {
    let day = date(2025, 2, 3);
    let (baolac, baocaobang, chutri) = (
        w.login("baolac", day).await,
        w.login("baocaobang", day).await,
        w.login("chutri", day).await,
    );
    let (monthly, dot1) = (w.regime(MONTHLY).await, w.regime("Đợt I").await);
    let (u1, u2) = (w.unit(BAO_LAC).await, w.unit(BAO_CAO_BANG).await);

    let before = chutri.get("/api/dashboard").await;
    assert_eq!(before.status, StatusCode::OK, "{}", before.text());
    let before = before.json();
    let feb = w.expected(MONTHLY, "2025-02-01", "2025-02-28");
    let dot1_expected = w.expected("Đợt I", "2025-02-04", "2025-02-04");
    assert_eq!(counts(rate(&before, MONTHLY, "2025-02")), (feb, 0, 0));
    assert_eq!(counts(rate(&before, "Đợt I", "dot")), (dot1_expected, 0, 0));

    let sent = [
        (
            &baolac,
            monthly,
            "2025-02",
            u1,
            json!({"tin_bai_bao_chi": 12, "hoi_nghi": 2}),
        ),
        (
            &baolac,
            dot1,
            "dot",
            u1,
            json!({"tin_bai_bao_chi": 40, "luot_nguoi_du_hoi_nghi": 1250}),
        ),
        (
            &baocaobang,
            dot1,
            "dot",
            u2,
            json!({"tin_bai_bao_chi": 310}),
        ),
    ];
    for (who, regime, period, unit, figures) in &sent {
        let a = who
            .put(
                &report_uri(*regime, period, *unit),
                json!({"figures": figures, "narrative": "Đã triển khai.", "submit": true}),
            )
            .await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.text());
        let r = a.json();
        assert_eq!(r["report"]["status"], "submitted");
        assert_eq!(r["report"]["first_submitted_on"], "2025-02-03");
        assert_eq!(r["report"]["late"], false);
    }

    let after = chutri.get("/api/dashboard").await.json();
    assert_eq!(counts(rate(&after, MONTHLY, "2025-02")), (feb, 1, 1));
    assert_eq!(counts(rate(&after, "Đợt I", "dot")), (dot1_expected, 2, 2));
    // Totals are the sums of what was submitted, per regime and period.
    assert_eq!(total(&after, "Đợt I", "dot", "tin_bai_bao_chi"), 40 + 310);
    assert_eq!(
        total(&after, "Đợt I", "dot", "luot_nguoi_du_hoi_nghi"),
        1250
    );
    assert_eq!(total(&after, MONTHLY, "2025-02", "tin_bai_bao_chi"), 12);
    assert_eq!(total(&after, MONTHLY, "2025-02", "hoi_nghi"), 2);
    assert_rates_sane(&after);

    // The leader of the Tỉnh uỷ sees the same through its children, by unit.
    let leader = w.login("lanhdao", day).await;
    let d = leader.get("/api/dashboard").await.json();
    assert_eq!(d["unit"]["name"], TINH_UY);
    let row = rate(&d, "Đợt I", "dot");
    let by: Vec<(&str, i64)> = row["by_unit"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| {
            (
                u["unit_name"].as_str().unwrap(),
                u["submitted"].as_i64().unwrap(),
            )
        })
        .collect();
    assert!(
        by.contains(&(BAO_LAC, 1)) && by.contains(&(BAO_CAO_BANG, 1)),
        "{by:?}"
    );
    assert_eq!(row["total"]["submitted"], 2);
    // Drilling down to one district: only its own report.
    let d = leader
        .get(&format!("/api/dashboard?unit_id={u1}"))
        .await
        .json();
    assert_eq!(counts(rate(&d, "Đợt I", "dot")), (1, 1, 1));
    assert_eq!(total(&d, "Đợt I", "dot", "tin_bai_bao_chi"), 40);
    assert_rates_sane(&d);
}

async fn an_edited_report_counts_once(w: World) {
    let day = date(2025, 3, 10);
    let baolac = w.login("baolac", day).await;
    let chutri = w.login("chutri", day).await;
    let (monthly, u1) = (w.regime(MONTHLY).await, w.unit(BAO_LAC).await);
    let uri = report_uri(monthly, "2025-03", u1);

    let a = baolac
        .put(
            &uri,
            json!({"figures": {"tin_bai_bao_chi": 5}, "submit": true}),
        )
        .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());
    assert_eq!(a.json()["report"]["version"], 1);
    // Edited twice more, days later: still one report, first day kept.
    let later = baolac.on(&w, date(2025, 4, 20));
    for (v, n) in [(1, 7), (2, 9)] {
        let a = later
            .put(
                &uri,
                json!({"figures": {"tin_bai_bao_chi": n}, "submit": true, "version": v}),
            )
            .await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.text());
        let r = a.json();
        assert_eq!(r["report"]["first_submitted_on"], "2025-03-10");
        assert_eq!(r["report"]["late"], false);
    }
    assert_eq!(w.count("reports").await, 1);
    let d = chutri.get("/api/dashboard").await.json();
    let (_, submitted, on_time) = counts(rate(&d, MONTHLY, "2025-03"));
    assert_eq!((submitted, on_time), (1, 1));
    assert_eq!(total(&d, MONTHLY, "2025-03", "tin_bai_bao_chi"), 9);
    // Saving without "submit" does not withdraw a submitted report.
    let a = baolac
        .put(
            &uri,
            json!({"figures": {"tin_bai_bao_chi": 9}, "version": 3}),
        )
        .await;
    assert_eq!(a.json()["report"]["status"], "submitted");
    let d = chutri.get("/api/dashboard").await.json();
    assert_eq!(counts(rate(&d, MONTHLY, "2025-03")).1, 1);
}

async fn a_late_report_counts_as_submitted_not_on_time(w: World) {
    // Đợt I is due "trước ngày 05/02/2025": 04/02/2025 is the last day.
    let baolac = w.login("baolac", date(2025, 2, 5)).await;
    let chutri = w.login("chutri", date(2025, 2, 5)).await;
    let (dot1, u1) = (w.regime("Đợt I").await, w.unit(BAO_LAC).await);
    let a = baolac
        .put(
            &report_uri(dot1, "dot", u1),
            json!({"figures": {"hoi_nghi": 3}, "submit": true}),
        )
        .await;
    assert_eq!(
        a.status,
        StatusCode::OK,
        "nộp muộn vẫn được nhận: {}",
        a.text()
    );
    let r = a.json();
    assert_eq!(r["report"]["late"], true);
    assert_eq!(r["period"]["due"], "2025-02-04");
    let d = chutri.get("/api/dashboard").await.json();
    let (_, submitted, on_time) = counts(rate(&d, "Đợt I", "dot"));
    assert_eq!((submitted, on_time), (1, 0));
    assert_eq!(total(&d, "Đợt I", "dot", "hoi_nghi"), 3);
    // The officer's list says so in words.
    let list = baolac.get("/api/reports").await.json();
    let owed = list["owed"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["regime"] == "Đợt I")
        .unwrap();
    assert!(
        owed["status_labels"]
            .as_array()
            .unwrap()
            .contains(&json!("nộp muộn")),
        "{owed}"
    );
}

async fn moving_the_congress_rejudges_the_phase_v_report(w: World) {
    let (dot5, u2, u1) = (
        w.regime("Đợt V").await,
        w.unit(BAO_CAO_BANG).await,
        w.unit(BAO_LAC).await,
    );
    let uri = report_uri(dot5, "dot", u2);
    // While the XIV congress has no date, nobody owes the Đợt V report.
    let early = w.login("baocaobang", date(2025, 12, 1)).await;
    let before = w.footprint().await;
    let a = early
        .put(&uri, json!({"figures": {"hoi_nghi": 1}, "submit": true}))
        .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", a.text());
    assert!(a.error().contains("Đại hội"), "{}", a.error());
    assert_eq!(w.footprint().await, before);

    // Dated: closes 23/01/2026, so the report is due by 07/02/2026.
    w.store
        .set_event(
            "Đại hội XIV",
            Some(date(2026, 1, 19)),
            Some(date(2026, 1, 23)),
            "thu",
            date(2025, 12, 1),
        )
        .await
        .unwrap();
    let day = date(2026, 2, 10);
    let officer = early.on(&w, day);
    let chutri = w.login("chutri", day).await;
    let a = officer
        .put(&uri, json!({"figures": {"hoi_nghi": 4}, "submit": true}))
        .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());
    assert_eq!(a.json()["period"]["due"], "2026-02-07");
    assert_eq!(a.json()["report"]["late"], true);
    let d = chutri.get("/api/dashboard").await.json();
    assert_eq!(rate(&d, "Đợt V", "dot")["period"]["due"], "2026-02-07");
    let (_, submitted, on_time) = counts(rate(&d, "Đợt V", "dot"));
    assert_eq!(
        (submitted, on_time),
        (1, 0),
        "nộp 10/02/2026, hạn 07/02/2026"
    );
    // A district dissolved on 30/06/2025 owes no Đợt V report.
    let baolac = w.login("baolac", day).await;
    let a = baolac
        .put(
            &report_uri(dot5, "dot", u1),
            json!({"submit": true, "narrative": "Đã thực hiện."}),
        )
        .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(a.error().contains("không còn hoạt động"), "{}", a.error());

    // The congress moves: it closes 28/01/2026, due 12/02/2026; the same
    // first submission (10/02/2026) is now on time.
    w.store
        .set_event(
            "Đại hội XIV",
            Some(date(2026, 1, 24)),
            Some(date(2026, 1, 28)),
            "thu",
            day,
        )
        .await
        .unwrap();
    let d = chutri.get("/api/dashboard").await.json();
    let row = rate(&d, "Đợt V", "dot");
    assert_eq!(row["period"]["due"], "2026-02-12");
    let (_, submitted, on_time) = counts(row);
    assert_eq!((submitted, on_time), (1, 1));
    let r = officer.get(&uri).await.json();
    assert_eq!(r["report"]["late"], false);
    assert_eq!(r["report"]["first_submitted_on"], "2026-02-10");
    assert_rates_sane(&d);
}

/// A file chosen on the report's page goes with the figures and the text
/// typed beside it: nothing typed is lost to the upload.
async fn a_file_goes_with_what_was_typed(w: World) {
    let day = date(2025, 3, 10);
    let baolac = w.login("baolac", day).await;
    let (monthly, u1) = (w.regime(MONTHLY).await, w.unit(BAO_LAC).await);
    let page = format!("/bao-cao/{monthly}/2025-02/{u1}");
    let a = baolac
        .form_with_file(
            &page,
            &[
                ("ct_tin_bai_bao_chi", "17"),
                ("narrative", "Tháng 2: ba hội nghị."),
                ("hanh_dong", "luu"),
                ("version", "0"),
            ],
            ("bien-ban.pdf", b"%PDF-1.4 bien ban"),
        )
        .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.text());
    let r = baolac.get(&report_uri(monthly, "2025-02", u1)).await.json();
    assert_eq!(r["report"]["figures"]["tin_bai_bao_chi"], 17, "{r}");
    assert_eq!(r["report"]["narrative"], "Tháng 2: ba hội nghị.");
    assert_eq!(r["report"]["status"], "draft");
    let files = r["attachments"].as_array().unwrap();
    assert_eq!(files.len(), 1, "{r}");
    assert_eq!(files[0]["filename"], "bien-ban.pdf");
    // The page shows them all again.
    let html = baolac.get(&page).await.text();
    assert!(html.contains("value=\"17\"") && html.contains("ba hội nghị"));
    assert!(html.contains("bien-ban.pdf"));
}

async fn an_empty_report_is_not_submitted(w: World) {
    let day = date(2025, 3, 10);
    let baolac = w.login("baolac", day).await;
    let (monthly, u1) = (w.regime(MONTHLY).await, w.unit(BAO_LAC).await);
    let uri = report_uri(monthly, "2025-02", u1);
    let before = w.footprint().await;
    let a = baolac
        .put(
            &uri,
            json!({"figures": {}, "narrative": "  ", "submit": true}),
        )
        .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", a.text());
    assert!(
        a.error().contains("chưa có số liệu, nội dung hay tệp"),
        "{}",
        a.error()
    );
    assert_eq!(
        w.footprint().await,
        before,
        "nothing saved, nothing counted"
    );
    // Kept as a draft it is fine; with a file it may be sent as it is.
    let a = baolac.put(&uri, json!({"submit": false})).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());
    let a = baolac
        .upload(
            &format!("{uri}/attachments"),
            "bao-cao.pdf",
            b"%PDF-1.4",
            true,
        )
        .await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.text());
    let version = baolac.get(&uri).await.json()["report"]["version"].clone();
    let a = baolac
        .put(&uri, json!({"submit": true, "version": version}))
        .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());
    assert_eq!(a.json()["report"]["status"], "submitted");
}

async fn districts_owe_nothing_after_june_2025(w: World) {
    let day = date(2025, 7, 15);
    let chutri = w.login("chutri", day).await;
    let baolac = w.login("baolac", day).await;
    let baocaobang = w.login("baocaobang", day).await;
    let (monthly, u1, u2) = (
        w.regime(MONTHLY).await,
        w.unit(BAO_LAC).await,
        w.unit(BAO_CAO_BANG).await,
    );
    // Both submit June; only Báo Cao Bằng can submit July.
    for (who, unit) in [(&baolac, u1), (&baocaobang, u2)] {
        let a = who
            .put(
                &report_uri(monthly, "2025-06", unit),
                json!({"submit": true, "narrative": "Đã thực hiện."}),
            )
            .await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.text());
    }
    let before = w.footprint().await;
    let a = baolac
        .put(
            &report_uri(monthly, "2025-07", u1),
            json!({"submit": true, "narrative": "Đã thực hiện."}),
        )
        .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(a.error().contains("không còn hoạt động"), "{}", a.error());
    assert_eq!(w.footprint().await, before);
    let a = baocaobang
        .put(
            &report_uri(monthly, "2025-07", u2),
            json!({"submit": true, "narrative": "Đã thực hiện."}),
        )
        .await;
    assert_eq!(a.status, StatusCode::OK);

    let d = chutri.get("/api/dashboard").await.json();
    let june = w.expected(MONTHLY, "2025-06-01", "2025-06-30");
    let july = w.expected(MONTHLY, "2025-07-01", "2025-07-31");
    assert_eq!(june - july, 10, "mười huyện, thành uỷ kết thúc 30/06/2025");
    // June's reports came on 15/07, after June's last day: late.
    assert_eq!(counts(rate(&d, MONTHLY, "2025-06")), (june, 2, 0));
    assert_eq!(counts(rate(&d, MONTHLY, "2025-07")), (july, 1, 1));
    assert_rates_sane(&d);
    // The same seen from the Tỉnh uỷ down, and from the district itself.
    let leader = w.login("lanhdao", day).await;
    assert_rates_sane(&leader.get("/api/dashboard").await.json());
    let d = chutri
        .get(&format!("/api/dashboard?unit_id={u1}"))
        .await
        .json();
    assert_eq!(counts(rate(&d, MONTHLY, "2025-07")), (0, 0, 0));
    assert_eq!(counts(rate(&d, MONTHLY, "2025-06")), (1, 1, 0));
    assert_rates_sane(&d);
}

async fn bad_input_is_refused_and_nothing_is_saved(w: World) {
    let day = date(2025, 3, 10);
    let baolac = w.login("baolac", day).await;
    let quantri = w.login("quantri", day).await;
    let (monthly, u1) = (w.regime(MONTHLY).await, w.unit(BAO_LAC).await);
    let uri = report_uri(monthly, "2025-03", u1);
    let before = w.footprint().await;

    let refused = [
        (json!({"figures": {"tin_bai_bao_chi": -3}}), "âm"),
        (
            json!({"figures": {"tin_bai_bao_chi": "abc"}}),
            "phải là một số",
        ),
        (json!({"figures": {"tin_bai_bao_chi": 1.5}}), "số nguyên"),
        (
            json!({"figures": {"tin_bai_bao_chi": 10_000_000_000_000_i64}}),
            "quá lớn",
        ),
        (json!({"figures": {"tin_bai_bao_chi": [1]}}), "số nguyên"),
        (
            json!({"figures": {"khong_co_chi_tieu_nay": 1}}),
            "không có trong chế độ báo cáo",
        ),
        (json!({"narrative": "x".repeat(20_001)}), "20000"),
        // A character no document can carry would make the synthesis
        // report unreadable.
        (json!({"narrative": "Đã làm\u{FFFE} xong"}), "U+FFFE"),
        (json!({"figures": {}, "bogus": 1}), "không được phép"),
        (json!({"version": "một"}), "không đúng kiểu"),
    ];
    for (body, words) in refused {
        let a = baolac.put(&uri, body.clone()).await;
        assert_eq!(
            a.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body}: {}",
            a.text()
        );
        let e = a.error();
        assert!(e.contains(words) && is_vietnamese(&e), "{body}: «{e}»");
    }
    // Not JSON at all.
    let a = baolac
        .send(
            baolac
                .request(Method::PUT, &uri)
                .header("x-csrf-token", &baolac.csrf)
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from("{\"figures\": "))
                .unwrap(),
        )
        .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(is_vietnamese(&a.error()), "{}", a.error());

    // Periods that do not exist: after today, before the plan, nonsense.
    for period in ["2030-01", "2024-10", "abc", "2025-3"] {
        let a = baolac
            .put(
                &report_uri(monthly, period, u1),
                json!({"submit": true, "narrative": "Đã thực hiện."}),
            )
            .await;
        assert!(a.status.is_client_error(), "{period}: {}", a.status);
        assert!(a.error().contains("kỳ báo cáo"), "{period}: {}", a.error());
    }
    // Regimes and units that do not exist; paths that are not numbers.
    for uri in [
        report_uri(9999, "dot", u1),
        report_uri(monthly, "2025-03", 999_999),
        "/api/reports/x/2025-03/1".to_string(),
        "/api/reports/1/2025-03/99999999999999999999999".to_string(),
    ] {
        let a = baolac
            .put(&uri, json!({"submit": true, "narrative": "Đã thực hiện."}))
            .await;
        assert!(a.status.is_client_error(), "{uri}: {}", a.status);
        assert!(is_vietnamese(&a.error()), "{uri}: {}", a.error());
    }
    // A unit that is not a reporter of the regime (only the administrator
    // may write for any unit).
    let tinh_uy = w.unit(TINH_UY).await;
    let a = quantri
        .put(
            &report_uri(monthly, "2025-03", tinh_uy),
            json!({"submit": true, "narrative": "Đã thực hiện."}),
        )
        .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", a.text());
    assert!(a.error().contains("không thuộc diện"), "{}", a.error());
    // Forged and missing CSRF tokens.
    for token in [Some("gia-mao"), None] {
        let a = baolac
            .write_with(
                Method::PUT,
                &uri,
                json!({"submit": true, "narrative": "Đã thực hiện."}),
                token,
            )
            .await;
        assert_eq!(a.status, StatusCode::FORBIDDEN);
        assert!(a.error().contains("chống giả mạo"), "{}", a.error());
    }
    // A file over 10 MB.
    let big = vec![b'x'; 10 * 1024 * 1024 + 1];
    let a = baolac
        .upload(&format!("{uri}/attachments"), "lon.pdf", &big, true)
        .await;
    assert_eq!(a.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", a.text());
    assert!(a.error().contains("10 MB"), "{}", a.error());
    // Far over: cut off by the body limit, same answer.
    let huge = vec![b'x'; 12 * 1024 * 1024];
    let a = baolac
        .upload(&format!("{uri}/attachments"), "lon.pdf", &huge, true)
        .await;
    assert_eq!(a.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(a.error().contains("10 MB"), "{}", a.error());
    // The page form: same refusal, the page again with what was typed.
    let page = format!("/bao-cao/{monthly}/2025-03/{u1}");
    let a = baolac
        .form(
            &page,
            &[
                ("ct_tin_bai_bao_chi", "-3"),
                ("narrative", "Nội dung đã gõ"),
                ("hanh_dong", "nop"),
            ],
        )
        .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = a.text();
    assert!(html.contains("role=\"alert\""), "{html}");
    assert!(
        html.contains("value=\"-3\"") && html.contains("Nội dung đã gõ"),
        "{html}"
    );
    assert!(html.contains("aria-invalid=\"true\""));
    let a = baolac
        .form(&page, &[("csrf", "sai"), ("ct_tin_bai_bao_chi", "3")])
        .await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);

    assert_eq!(w.footprint().await, before, "không có gì được lưu");

    // Stale version: a save, then an edit based on the version before it.
    let a = baolac
        .put(
            &uri,
            json!({"figures": {"tin_bai_bao_chi": 1}, "version": 0}),
        )
        .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());
    let saved = w.footprint().await;
    let a = baolac
        .put(
            &uri,
            json!({"figures": {"tin_bai_bao_chi": 2}, "version": 0}),
        )
        .await;
    assert_eq!(a.status, StatusCode::CONFLICT);
    assert!(
        a.error().contains("đã được cập nhật bởi người khác"),
        "{}",
        a.error()
    );
    let a = baolac
        .put(&uri, json!({"figures": {"tin_bai_bao_chi": 2}}))
        .await;
    assert_eq!(a.status, StatusCode::CONFLICT, "sửa mà không nêu phiên bản");
    assert_eq!(w.footprint().await, saved);
    let r = baolac.get(&uri).await.json();
    assert_eq!(r["report"]["figures"]["tin_bai_bao_chi"], 1);
    assert_eq!(r["report"]["status"], "draft");
}

async fn only_the_unit_writes_its_report(w: World) {
    let day = date(2025, 3, 10);
    let (monthly, u1) = (w.regime(MONTHLY).await, w.unit(BAO_LAC).await);
    let uri = report_uri(monthly, "2025-02", u1);
    let page = format!("/bao-cao/{monthly}/2025-02/{u1}");
    let baolac = w.login("baolac", day).await;
    let a = baolac
        .put(&uri, json!({"figures": {"hoi_nghi": 2}, "submit": true}))
        .await;
    assert_eq!(a.status, StatusCode::OK);
    let a = baolac
        .upload(
            &format!("{uri}/attachments"),
            "bien-ban.pdf",
            b"%PDF-1.4",
            true,
        )
        .await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.text());
    let file_url = a.json()["url"].as_str().unwrap().to_string();
    let before = w.footprint().await;

    // An officer of another unit: neither reads nor writes; the report is
    // not there for them.
    let other = w.login("baocaobang", day).await;
    for a in [
        other.get(&uri).await,
        other.put(&uri, json!({"submit": true, "version": 1})).await,
        other.get(&file_url).await,
        other.get(&format!("{uri}/attachments")).await,
        other
            .upload(&format!("{uri}/attachments"), "x.pdf", b"x", true)
            .await,
        other.get(&format!("/api/dashboard?unit_id={u1}")).await,
    ] {
        assert_eq!(a.status, StatusCode::NOT_FOUND, "{}", a.text());
        assert!(a.error().contains("không tìm thấy"), "{}", a.error());
    }
    assert_eq!(other.get(&page).await.status, StatusCode::NOT_FOUND);
    let a = other
        .form(&page, &[("ct_hoi_nghi", "9"), ("hanh_dong", "nop")])
        .await;
    assert_eq!(a.status, StatusCode::NOT_FOUND);

    // The leader of the Tỉnh uỷ reads, does not write or review.
    let leader = w.login("lanhdao", day).await;
    let a = leader.get(&uri).await;
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(a.json()["can_write"], false);
    assert_eq!(leader.get(&file_url).await.status, StatusCode::OK);
    assert_eq!(leader.get(&page).await.status, StatusCode::OK);
    for a in [
        leader
            .put(&uri, json!({"submit": true, "version": 1}))
            .await,
        leader
            .post(
                &format!("{uri}/review"),
                json!({"accept": true, "version": 1}),
            )
            .await,
    ] {
        assert_eq!(a.status, StatusCode::FORBIDDEN, "{}", a.text());
    }
    // Its lists cover its subtree: Bảo Lạc's report, and who has not sent.
    let list = leader.get("/api/reports").await.json();
    let units: Vec<&str> = list["reports"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["unit_name"].as_str().unwrap())
        .collect();
    assert_eq!(units, [BAO_LAC]);
    let missing = leader
        .get(&format!(
            "/api/reports?reporting_id={monthly}&period=2025-02&status=missing"
        ))
        .await
        .json();
    let missing = missing["missing"].as_array().unwrap();
    assert!(!missing.is_empty() && missing.iter().all(|m| m["unit_name"] != BAO_LAC));
    let html = leader.get("/bao-cao").await.text();
    assert!(html.contains("Báo cáo của các đơn vị") && html.contains(BAO_LAC));
    // The plan owner reviews but does not write a unit's figures.
    let owner = w.login("chutri", day).await;
    let a = owner.put(&uri, json!({"submit": true, "version": 1})).await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
    assert_eq!(w.footprint().await, before);
    // Without a session: 401 in JSON, the sign-in page for pages.
    let anon = Client {
        router: w.router(day),
        cookie: String::new(),
        csrf: String::new(),
    };
    let a = anon.get(&uri).await;
    assert_eq!(a.status, StatusCode::UNAUTHORIZED);
    assert!(is_vietnamese(&a.error()));
    assert_eq!(anon.get("/").await.status, StatusCode::SEE_OTHER);
}

async fn review_returns_and_accepts(w: World) {
    let day = date(2025, 2, 3);
    let (dot1, u1) = (w.regime("Đợt I").await, w.unit(BAO_LAC).await);
    let uri = report_uri(dot1, "dot", u1);
    let baolac = w.login("baolac", day).await;
    let owner = w.login("chutri", day).await;
    let a = baolac
        .put(&uri, json!({"figures": {"trien_lam": 1}, "submit": true}))
        .await;
    assert_eq!(a.status, StatusCode::OK);

    let a = owner
        .post(
            &format!("{uri}/review"),
            json!({"accept": false, "version": 1}),
        )
        .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(a.error().contains("Nhận xét"), "{}", a.error());
    let a = owner
        .post(
            &format!("{uri}/review"),
            json!({"accept": false, "comment": "Bổ sung số liệu hội nghị.", "version": 1}),
        )
        .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());
    assert_eq!(a.json()["report"]["status"], "returned");
    // A returned report is not counted until it comes back.
    let d = owner.get("/api/dashboard").await.json();
    assert_eq!(counts(rate(&d, "Đợt I", "dot")).1, 0);

    // Resubmitted days later: counted again, on time by its first day.
    let later = baolac.on(&w, date(2025, 2, 20));
    let a = later
        .put(
            &uri,
            json!({"figures": {"trien_lam": 1, "hoi_nghi": 2}, "submit": true, "version": 2}),
        )
        .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());
    let r = a.json();
    assert_eq!(r["report"]["status"], "submitted");
    assert_eq!(r["report"]["first_submitted_on"], "2025-02-03");
    let d = owner.get("/api/dashboard").await.json();
    let (_, submitted, on_time) = counts(rate(&d, "Đợt I", "dot"));
    assert_eq!((submitted, on_time), (1, 1));

    let a = owner
        .post(
            &format!("{uri}/review"),
            json!({"accept": true, "version": 3}),
        )
        .await;
    assert_eq!(a.json()["report"]["status"], "accepted");
    // Accepted: the unit can no longer change it.
    let a = later
        .put(
            &uri,
            json!({"figures": {"trien_lam": 5}, "submit": true, "version": 4}),
        )
        .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(a.error().contains("đã được duyệt"), "{}", a.error());
    // The owner's list shows it with its status.
    let list = owner
        .get(&format!("/api/reports?reporting_id={dot1}&status=accepted"))
        .await
        .json();
    let reports = list["reports"].as_array().unwrap();
    assert_eq!(reports.len(), 1);
    assert_eq!(reports[0]["unit_name"], BAO_LAC);
    // Every change left an audit entry with before and after.
    let audit = w.store.audit(100).await.unwrap();
    let actions: Vec<&str> = audit
        .iter()
        .filter(|e| e.entity == "report")
        .map(|e| e.action.as_str())
        .collect();
    assert_eq!(
        actions,
        [
            "report.accept",
            "report.submit",
            "report.return",
            "report.submit"
        ]
    );
    assert!(
        audit
            .iter()
            .filter(|e| e.entity == "report")
            .all(|e| e.after.is_some())
    );
    // Units that have not sent Đợt I: every reporter but Bảo Lạc.
    let missing = owner
        .get(&format!(
            "/api/reports?reporting_id={dot1}&period=dot&status=missing"
        ))
        .await
        .json();
    assert_eq!(
        missing["missing"].as_array().unwrap().len() as i64,
        w.expected("Đợt I", "2025-02-04", "2025-02-04") - 1
    );
}

async fn attachments_round_trip(w: World) {
    let day = date(2025, 3, 10);
    let (monthly, u1) = (w.regime(MONTHLY).await, w.unit(BAO_LAC).await);
    let uri = report_uri(monthly, "2025-03", u1);
    let baolac = w.login("baolac", day).await;
    // No report yet: the upload creates it as a draft. The name arrives in
    // NFD (as some systems write it) and is kept in NFC.
    let nfd = "Bie\u{0302}n ba\u{0309}n.pdf";
    let a = baolac
        .upload(
            &format!("{uri}/attachments"),
            nfd,
            b"%PDF-1.4 noi dung",
            true,
        )
        .await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.text());
    let f = a.json();
    assert_eq!(f["filename"], "Biên bản.pdf");
    assert_eq!(f["size"], 17);
    let r = baolac.get(&uri).await.json();
    assert_eq!(r["report"]["status"], "draft");
    assert_eq!(r["attachments"].as_array().unwrap().len(), 1);
    // Without the CSRF header: refused, nothing stored.
    let n = w.count("attachments").await;
    let a = baolac
        .upload(&format!("{uri}/attachments"), "x.pdf", b"x", false)
        .await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
    assert_eq!(w.count("attachments").await, n);

    let leader = w.login("lanhdao", day).await;
    let a = leader.get(f["url"].as_str().unwrap()).await;
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(a.body, b"%PDF-1.4 noi dung");
    assert_eq!(a.headers[header::CONTENT_TYPE], "application/pdf");
    let disposition = a.headers[header::CONTENT_DISPOSITION].to_str().unwrap();
    assert!(disposition.starts_with("attachment;"), "{disposition}");
    assert!(
        disposition.contains("UTF-8''Bi%C3%AAn%20b%E1%BA%A3n.pdf"),
        "{disposition}"
    );
    // A file id of another report is not found through this one.
    let other = report_uri(monthly, "2025-02", u1);
    let id = f["attachment_id"].as_i64().unwrap();
    let a = baolac.get(&format!("{other}/attachments/{id}")).await;
    assert_eq!(a.status, StatusCode::NOT_FOUND);
    // Removed by the unit.
    let a = baolac
        .write_with(
            Method::DELETE,
            f["url"].as_str().unwrap(),
            json!({}),
            Some(&baolac.csrf.clone()),
        )
        .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());
    assert_eq!(w.count("attachments").await, 0);
}

async fn pages_render_and_forms_redirect(w: World) {
    let day = date(2025, 3, 10);
    let (monthly, u1) = (w.regime(MONTHLY).await, w.unit(BAO_LAC).await);
    let baolac = w.login("baolac", day).await;
    let owner = w.login("chutri", day).await;

    let a = baolac.get("/bao-cao").await;
    assert_eq!(a.status, StatusCode::OK);
    let html = a.text();
    assert!(html.contains("Báo cáo Huyện uỷ Bảo Lạc phải nộp"), "{html}");
    assert!(html.contains("Tháng 03/2025") && html.contains("31/03/2025"));
    assert!(html.contains("quá hạn"), "Đợt I đã quá hạn mà chưa nộp");

    let page = format!("/bao-cao/{monthly}/2025-03/{u1}");
    let a = baolac.get(&page).await;
    assert_eq!(a.status, StatusCode::OK);
    let html = a.text();
    assert!(html.contains("Lưu nháp") && html.contains("Nộp báo cáo"));
    assert!(html.contains("Tin, bài trên báo chí"));

    // Save a draft, then submit: each answered with a redirect (303).
    let a = baolac
        .form(
            &page,
            &[
                ("ct_tin_bai_bao_chi", "21"),
                ("narrative", "Tháng 3"),
                ("hanh_dong", "luu"),
                ("version", "0"),
            ],
        )
        .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.text());
    assert_eq!(
        a.headers[header::LOCATION],
        format!("{page}?ket-qua=da-luu")
    );
    let a = baolac
        .form(
            &page,
            &[
                ("ct_tin_bai_bao_chi", "22"),
                ("narrative", "Tháng 3"),
                ("hanh_dong", "nop"),
                ("version", "1"),
            ],
        )
        .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.text());
    // A stale form: the page again, with a conflict.
    let a = baolac
        .form(
            &page,
            &[
                ("ct_tin_bai_bao_chi", "23"),
                ("hanh_dong", "nop"),
                ("version", "1"),
            ],
        )
        .await;
    assert_eq!(a.status, StatusCode::CONFLICT);
    assert!(a.text().contains("đã được cập nhật bởi người khác"));

    // The owner's list waits for review; the form offers Duyệt / Trả lại.
    let html = owner.get("/bao-cao").await.text();
    assert!(
        html.contains("Huyện uỷ Bảo Lạc") && html.contains("Xem và duyệt"),
        "{html}"
    );
    let html = owner.get(&page).await.text();
    assert!(html.contains("Duyệt") && html.contains("Trả lại"));
    let a = owner
        .form(
            &format!("{page}/duyet"),
            &[("hanh_dong", "tra_lai"), ("version", "2")],
        )
        .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(a.text().contains("role=\"alert\""));
    // Refused for want of a comment, the page still shows what the unit
    // reported, not empty fields.
    let html = a.text();
    assert!(
        html.contains("value=\"22\"") || html.contains(">22<"),
        "{html}"
    );
    assert!(html.contains("Tháng 3"), "{html}");
    let a = owner
        .form(
            &format!("{page}/duyet"),
            &[("hanh_dong", "duyet"), ("version", "2")],
        )
        .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.text());

    // The overview: the phases, the rates with bars, the totals.
    let a = owner.get("/").await;
    assert_eq!(a.status, StatusCode::OK);
    let html = a.text();
    for words in [
        "Tổng quan",
        "Đợt II",
        "đang diễn ra",
        "Tỷ lệ nộp báo cáo",
        "Số liệu theo báo cáo đợt",
        "22",
        // March's report is not due yet on 10/03: no rate is told for it,
        // while the periods already due show theirs.
        "chưa đến hạn nộp",
        "%)",
    ] {
        assert!(html.contains(words), "thiếu «{words}»");
    }
    let a = owner
        .get(&format!("/?don-vi={u1}&ky={monthly}:2025-03"))
        .await;
    assert_eq!(a.status, StatusCode::OK);
    assert!(a.text().contains("Theo đơn vị"));
    // Bad query input answers 4xx, never 500.
    for uri in ["/?don-vi=abc", "/?don-vi=999999", "/bao-cao?che-do=x"] {
        let a = owner.get(uri).await;
        assert!(a.status.is_client_error(), "{uri}: {}", a.status);
    }
    let a = owner.get("/bao-cao?trang-thai=chua-nop").await;
    assert!(a.text().contains("Chọn một chế độ báo cáo và một kỳ"));
    let a = owner
        .get(&format!(
            "/bao-cao?che-do={monthly}&ky=2025-03&trang-thai=chua-nop"
        ))
        .await;
    let html = a.text();
    assert!(
        html.contains("đơn vị chưa nộp") && !html.contains("<td>Huyện uỷ Bảo Lạc</td>"),
        "{html}"
    );
}
