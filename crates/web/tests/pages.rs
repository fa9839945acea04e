//! The plan, units, assignments, calendar and audit pages and their API,
//! driven through the real router in-process, on a fresh SQLite file with
//! the reference plan loaded and one account per role. Every refusal is
//! checked for what it says (in Vietnamese) and for what it leaves behind:
//! nothing.

mod common;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use common::{Answer, Client, Web};
use dondoc_core::due::Due;
use dondoc_core::plan::{Event, PlanDoc};
use dondoc_store::assignments::{self, Assignment, Status};
use dondoc_store::due_index::{self, Owner};
use dondoc_store::users::Role;
use dondoc_store::{audit, units};
use jiff::civil::{Date, date};
use serde_json::json;
use std::ops::Deref;

const PASSWORD: &str = "mật-khẩu-thử-2025";
const TODAY: Date = date(2025, 3, 10);
const BAO_LAC: &str = "Huyện uỷ Bảo Lạc";

/// username, full name, unit, role.
const USERS: &[(&str, &str, &str, Role)] = &[
    (
        "quantri",
        "Quản trị hệ thống",
        "Văn phòng Tỉnh uỷ",
        Role::Admin,
    ),
    (
        "chutri",
        "Cán bộ Ban Tuyên giáo",
        "Ban Tuyên giáo Tỉnh uỷ",
        Role::Owner,
    ),
    (
        "lanhdao",
        "Lãnh đạo Tỉnh uỷ",
        "Tỉnh uỷ Cao Bằng",
        Role::Leader,
    ),
    ("baolac", "Cán bộ Huyện uỷ Bảo Lạc", BAO_LAC, Role::Officer),
    (
        "baocaobang",
        "Cán bộ Báo Cao Bằng",
        "Báo Cao Bằng",
        Role::Officer,
    ),
];

/// The service on a fresh SQLite file, its clock at `TODAY`.
struct App {
    web: Web,
    doc: PlanDoc,
    _dir: tempfile::TempDir,
}

impl Deref for App {
    type Target = Web;

    fn deref(&self) -> &Web {
        &self.web
    }
}

async fn app() -> App {
    let dir = tempfile::tempdir().expect("thư mục tạm");
    let store = common::open_sqlite(&dir).await;
    let doc = common::load_reference(&store, "test", TODAY).await;
    common::add_users(&store, PASSWORD, USERS.iter().copied()).await;
    App {
        web: Web::new(store, TODAY, PASSWORD),
        doc,
        _dir: dir,
    }
}

impl App {
    /// A multipart form with text fields and one file field `tep`.
    async fn post_multipart(
        &self,
        c: &Client,
        path: &str,
        fields: &[(&str, &str)],
        file: (&str, &str, &[u8]),
    ) -> Answer {
        self.multipart(c, path, fields, file, false).await
    }

    /// The same, for the API: the CSRF token in its header if `csrf`.
    async fn multipart(
        &self,
        c: &Client,
        path: &str,
        fields: &[(&str, &str)],
        file: (&str, &str, &[u8]),
        csrf: bool,
    ) -> Answer {
        const B: &str = "ranh-gioi-thu-7d1f";
        let mut body = Vec::new();
        for (k, v) in fields {
            body.extend_from_slice(
                format!("--{B}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n")
                    .as_bytes(),
            );
        }
        let (name, kind, data) = file;
        body.extend_from_slice(
            format!(
                "--{B}\r\nContent-Disposition: form-data; name=\"tep\"; filename=\"{name}\"\r\n\
                 Content-Type: {kind}\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(data);
        body.extend_from_slice(format!("\r\n--{B}--\r\n").as_bytes());
        let mut req = Request::post(path)
            .header(header::COOKIE, &c.cookie)
            .header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={B}"),
            );
        if csrf {
            req = req.header("x-csrf-token", &c.csrf);
        }
        self.send(req.body(Body::from(body)).unwrap()).await
    }

    /// The assignment of a task (by ref) to a unit (by name).
    async fn assignment(&self, task_ref: &str, unit: &str) -> Assignment {
        let unit_id = self.unit(unit).await;
        let mut conn = self.store.conn().await.unwrap();
        assignments::of_unit(&mut conn, unit_id)
            .await
            .unwrap()
            .into_iter()
            .find(|a| a.task_ref == task_ref)
            .unwrap_or_else(|| panic!("{task_ref} không giao cho {unit}"))
    }

    /// Everything the pages under test can change: the calendar, every
    /// assignment (with its index windows and files), the phases' and
    /// reports' index windows, and the audit trail's length.
    async fn snapshot(&self) -> Snapshot {
        let mut conn = self.store.conn().await.unwrap();
        let mut all = Vec::new();
        for u in units::rows(&mut conn).await.unwrap() {
            all.extend(assignments::of_unit(&mut conn, u.unit_id).await.unwrap());
        }
        let mut windows = Vec::new();
        // Ids are given from 1 in a fresh database; absent ones read empty.
        for id in 1..=10 {
            windows.push(due_index::read(&mut conn, Owner::Phase, id).await.unwrap());
            windows.push(
                due_index::read(&mut conn, Owner::Reporting, id)
                    .await
                    .unwrap(),
            );
        }
        Snapshot {
            events: self.store.events().await.unwrap(),
            assignments: all,
            windows,
            audit: audit::count(&mut conn, None).await.unwrap(),
        }
    }
}

#[derive(Debug, PartialEq)]
struct Snapshot {
    events: Vec<Event>,
    assignments: Vec<Assignment>,
    windows: Vec<Vec<Due>>,
    audit: i64,
}

/// Text as the templates escape it.
fn html(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&#34;")
        .replace('\'', "&#39;")
}

/// The part of a page about one task: from its anchor to the end of its item.
fn task_item<'a>(page: &'a str, anchor: &str) -> &'a str {
    let start = page
        .find(&format!("id=\"{anchor}\""))
        .unwrap_or_else(|| panic!("trang thiếu {anchor}"));
    let rest = &page[start..];
    &rest[..rest.find("</li>").unwrap_or(rest.len())]
}

fn assert_refused(a: &Answer, status: StatusCode, words: &str) {
    assert_eq!(a.status, status, "{}", a.body);
    assert!(
        a.body.contains(&html(words)) || a.body.contains(words),
        "«{words}» không có trong câu trả lời: {}",
        a.body
    );
}

/// The update form's fields, as the page sends them.
fn update_fields<'a>(
    c: &'a Client,
    version: &'a str,
    extra: &[(&'a str, &'a str)],
) -> Vec<(&'a str, &'a str)> {
    let mut f = vec![
        ("csrf", c.csrf.as_str()),
        ("version", version),
        ("status", "in_progress"),
        ("progress_note", ""),
        ("evidence", ""),
        ("evidence_link", ""),
        ("completed_on", ""),
    ];
    for (k, v) in extra {
        match f.iter_mut().find(|(key, _)| key == k) {
            Some(slot) => slot.1 = v,
            None => f.push((k, v)),
        }
    }
    f
}

#[tokio::test]
async fn the_plan_page_lists_every_task_and_what_waits_for_the_congress() {
    let app = app().await;
    let officer = app.login("baolac").await;
    let page = app.get(&officer, "/ke-hoach").await;
    assert_eq!(page.status, StatusCode::OK);
    for t in &app.doc.tasks {
        assert!(
            page.body.contains(&format!("id=\"nv-{}\"", t.reference)),
            "nhiệm vụ {} không có trên trang",
            t.reference
        );
    }
    // Bound to the close of the provincial congress, which has no date yet.
    let v123 = task_item(&page.body, "nv-V.1.2.3");
    assert!(
        v123.contains("chờ ngày bế mạc Đại hội XX Đảng bộ tỉnh"),
        "{v123}"
    );
    // Bound to its opening.
    let v1712 = task_item(&page.body, "nv-V.1.7.1.2");
    assert!(
        v1712.contains("chờ ngày khai mạc Đại hội XX Đảng bộ tỉnh"),
        "{v1712}"
    );
    assert!(v123.contains("Ban Tuyên giáo Tỉnh uỷ"));
    // Dated deadlines, resolved the Vietnamese way.
    assert!(task_item(&page.body, "nv-V.1.1.1").contains("01/11/2024 – 30/11/2024"));
    // Each district's own congress: summed up, not listed fifteen times.
    assert!(task_item(&page.body, "nv-V.1.1.3").contains("15 hạn theo sự kiện của từng đơn vị"));
    for part in [
        "Lộ trình (5 đợt)",
        "Chế độ báo cáo",
        "Phụ lục 03",
        "Phụ lục 02",
        "Trong hội trường",
    ] {
        assert!(page.body.contains(part), "thiếu «{part}»");
    }
    assert!(page.body.contains(&html(&app.doc.slogans[0])));
    assert!(page.body.contains("19/11/2024"));

    let api = app.get(&officer, "/api/plan").await;
    assert_eq!(api.status, StatusCode::OK);
    let plan = api.json();
    assert_eq!(plan["number"], "390-KH/TU");
    assert_eq!(plan["tasks"].as_array().unwrap().len(), app.doc.tasks.len());
    let numbered = app.get(&officer, "/api/plan/390-KH%2FTU").await;
    assert_eq!(numbered.status, StatusCode::OK, "{}", numbered.body);
    let missing = app.get(&officer, "/api/plan/999-KH%2FTU").await;
    assert_refused(
        &missing,
        StatusCode::NOT_FOUND,
        "không tìm thấy kế hoạch số 999-KH/TU",
    );

    // Nobody signed in: to the sign-in page.
    let anonymous = app
        .send(Request::get("/ke-hoach").body(Body::empty()).unwrap())
        .await;
    assert_eq!(anonymous.status, StatusCode::SEE_OTHER);
    // With the page asked for, to come back to once signed in.
    assert_eq!(anonymous.location(), "/dang-nhap?tiep=%2Fke-hoach");
}

/// Signs `user` in through the sign-in page's form, as a browser does:
/// the page, its double-submit cookie, the form with `tiep` (the page to go
/// back to, percent-encoded; empty for none). Whether the page carried
/// `tiep` in its form, and the answer to the form.
async fn sign_in_through_form(app: &App, user: &str, next: &str) -> (bool, Answer) {
    let form = app.get_anonymous(&format!("/dang-nhap?tiep={next}")).await;
    let cookie = form.headers[header::SET_COOKIE].to_str().unwrap();
    let token = cookie
        .split(';')
        .next()
        .and_then(|kv| kv.strip_prefix("dondoc_dn="))
        .unwrap()
        .to_string();
    let carried = form.body.contains("name=\"tiep\"");
    let req = Request::post("/dang-nhap")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::COOKIE, format!("dondoc_dn={token}"))
        .body(Body::from(format!(
            "username={user}&password={PASSWORD}&csrf={token}&tiep={next}"
        )))
        .unwrap();
    (carried, app.send(req).await)
}

/// After signing in, back to the page that was asked for — a page of this
/// service only, never an address elsewhere.
#[tokio::test]
async fn signing_in_leads_back_to_the_page_asked_for() {
    let app = app().await;
    let sign_in = |next: &'static str| sign_in_through_form(&app, "chutri", next);
    let (carried, a) = sign_in("%2Flich%3Fx%3D1").await;
    assert!(carried, "the sign-in form carries the page");
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
    assert_eq!(a.headers[header::LOCATION], "/lich?x=1");
    for elsewhere in [
        "%2F%2Fevil.example%2F",
        "https%3A%2F%2Fevil.example%2F",
        "%2F%5Cevil.example",
    ] {
        let (carried, a) = sign_in(elsewhere).await;
        assert!(!carried, "{elsewhere}");
        assert_eq!(a.headers[header::LOCATION], "/", "{elsewhere}");
    }
}

#[tokio::test]
async fn an_officer_updates_an_assignment_and_the_owner_sees_it_in_the_audit() {
    let app = app().await;
    let officer = app.login("baolac").await;
    let a = app.assignment("V.1.1.1", BAO_LAC).await;
    let path = format!("/nhiem-vu/{}", a.assignment_id);
    let form = app.get(&officer, &path).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("name=\"version\" value=\"1\""));
    assert!(form.body.contains(&format!("action=\"{path}\"")));

    let note = "Đã ban hành Kế hoạch số 12-KH/HU, tổ chức 3 hội nghị";
    let link = "https://baolac.caobang.gov.vn/ke-hoach-12";
    let saved = app
        .post_form(
            &officer,
            &path,
            &update_fields(
                &officer,
                "1",
                &[
                    ("status", "done"),
                    ("progress_note", note),
                    ("evidence", "Văn bản số 12-KH/HU"),
                    ("evidence_link", link),
                    ("completed_on", "05/02/2025"),
                ],
            ),
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    assert_eq!(saved.location(), format!("{path}?da-luu=1"));
    let now = app.assignment("V.1.1.1", BAO_LAC).await;
    assert_eq!(
        (now.status, now.completed_on.as_deref(), now.version),
        (Status::Done, Some("2025-02-05"), 2)
    );
    assert_eq!(now.progress_note.as_deref(), Some(note));

    let back = app.get(&officer, &format!("{path}?da-luu=1")).await;
    assert!(back.body.contains("Đã lưu."));
    let unit = app.get(&officer, &format!("/don-vi/{}", a.unit_id)).await;
    assert_eq!(unit.status, StatusCode::OK);
    let item = task_item(&unit.body, &format!("nv-{}", a.assignment_id));
    for shown in [
        note,
        "Hoàn thành",
        "05/02/2025",
        link,
        "Văn bản số 12-KH/HU",
    ] {
        assert!(item.contains(&html(shown)), "thiếu «{shown}»: {item}");
    }
    assert!(
        unit.body
            .contains(&format!("/bao-cao?don-vi={}", a.unit_id))
    );

    let owner = app.login("chutri").await;
    let log = app.get(&owner, "/nhat-ky").await;
    assert_eq!(log.status, StatusCode::OK);
    for shown in [
        "Cập nhật tiến độ nhiệm vụ",
        "V.1.1.1 — Huyện uỷ Bảo Lạc",
        "Cán bộ Huyện uỷ Bảo Lạc (baolac)",
        "Chưa bắt đầu",
        "Hoàn thành",
        "05/02/2025",
        note,
    ] {
        assert!(log.body.contains(&html(shown)), "nhật ký thiếu «{shown}»");
    }
    let api = app
        .get(&owner, "/api/audit?entity=assignment&limit=10")
        .await;
    assert_eq!(api.status, StatusCode::OK, "{}", api.body);
    let entries = api.json();
    assert_eq!(entries["total"], 1);
    assert_eq!(entries["entries"][0]["before"]["status"], "not_started");
    assert_eq!(entries["entries"][0]["after"]["completed_on"], "2025-02-05");
    let bad_limit = app.get(&owner, "/api/audit?limit=nhiều").await;
    assert_refused(
        &bad_limit,
        StatusCode::UNPROCESSABLE_ENTITY,
        "«limit» phải là số nguyên",
    );

    // The audit trail is for owners and administrators only.
    assert_eq!(
        app.get(&officer, "/nhat-ky").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.get(&officer, "/api/audit").await.status,
        StatusCode::FORBIDDEN
    );

    // Through the API: back to in progress; the completion date goes.
    let put = app
        .api(
            &officer,
            Method::PUT,
            &format!("/api/assignments/{}", a.assignment_id),
            json!({"status": "đang thực hiện", "progress_note": note, "completed_on": "05/02/2025", "version": 2}),
            true,
        )
        .await;
    assert_eq!(put.status, StatusCode::OK, "{}", put.body);
    let out = put.json();
    assert_eq!(
        (out["status"].as_str(), out["version"].as_i64()),
        (Some("in_progress"), Some(3))
    );
    assert!(out["completed_on"].is_null());
}

#[tokio::test]
async fn a_stale_form_is_refused_and_nothing_is_saved() {
    let app = app().await;
    let officer = app.login("baolac").await;
    let a = app.assignment("V.1.1.6", BAO_LAC).await;
    let path = format!("/nhiem-vu/{}", a.assignment_id);
    let first = update_fields(&officer, "1", &[("progress_note", "lần một")]);
    assert_eq!(
        app.post_form(&officer, &path, &first).await.status,
        StatusCode::SEE_OTHER
    );
    let before = app.snapshot().await;

    // A second tab, opened at version 1, saves after the first.
    let stale = update_fields(&officer, "1", &[("progress_note", "lần hai, từ trang cũ")]);
    let refused = app.post_form(&officer, &path, &stale).await;
    assert_refused(
        &refused,
        StatusCode::CONFLICT,
        "vừa được cập nhật sau khi bạn mở biểu mẫu",
    );
    assert!(refused.body.contains("role=\"alert\""));
    // What the user typed is kept, ready to be sent from the new version.
    assert!(refused.body.contains("lần hai, từ trang cũ"));
    assert!(refused.body.contains("name=\"version\" value=\"2\""));
    assert_eq!(app.snapshot().await, before);

    let api = app
        .api(
            &officer,
            Method::PUT,
            &format!("/api/assignments/{}", a.assignment_id),
            json!({"status": "in_progress", "version": 1}),
            true,
        )
        .await;
    assert_eq!(api.status, StatusCode::CONFLICT, "{}", api.body);
    assert!(
        api.json()["error"]
            .as_str()
            .unwrap()
            .contains("vừa được cập nhật")
    );
    assert_eq!(app.snapshot().await, before);
}

#[tokio::test]
async fn an_officer_of_another_unit_may_neither_read_nor_write() {
    let app = app().await;
    let owner_of_it = app.login("baolac").await;
    let other = app.login("baocaobang").await;
    let a = app.assignment("V.1.1.1", BAO_LAC).await;
    let path = format!("/nhiem-vu/{}", a.assignment_id);
    let upload = app
        .post_multipart(
            &owner_of_it,
            &path,
            &update_fields(&owner_of_it, "1", &[]),
            ("ke-hoach.pdf", "application/pdf", b"%PDF-1.4 thu"),
        )
        .await;
    assert_eq!(upload.status, StatusCode::SEE_OTHER, "{}", upload.body);
    let file_id = app.assignment("V.1.1.1", BAO_LAC).await.attachments[0].attachment_id;
    let before = app.snapshot().await;

    // Another unit's things are not there for them: "not found", which
    // tells nothing of what exists beyond what they may read.
    for read in [
        path.clone(),
        format!("/don-vi/{}", a.unit_id),
        format!("{path}/tep/{file_id}"),
    ] {
        let r = app.get(&other, &read).await;
        assert_refused(&r, StatusCode::NOT_FOUND, "không tìm thấy");
    }
    let api = app
        .get(&other, &format!("/api/assignments/{}", a.assignment_id))
        .await;
    assert_eq!(api.status, StatusCode::NOT_FOUND);
    assert!(
        api.json()["error"]
            .as_str()
            .unwrap()
            .contains("không tìm thấy")
    );
    let unit_api = app
        .get(&other, &format!("/api/units/{}/assignments", a.unit_id))
        .await;
    assert_eq!(unit_api.status, StatusCode::NOT_FOUND);

    let write = app
        .post_form(
            &other,
            &path,
            &update_fields(&other, "2", &[("progress_note", "không phải của tôi")]),
        )
        .await;
    assert_refused(&write, StatusCode::NOT_FOUND, "không tìm thấy");
    let put = app
        .api(
            &other,
            Method::PUT,
            &format!("/api/assignments/{}", a.assignment_id),
            json!({"status": "done", "completed_on": "2025-03-01", "version": 2}),
            true,
        )
        .await;
    assert_eq!(put.status, StatusCode::NOT_FOUND);
    assert_eq!(app.snapshot().await, before);

    // Their own unit is all they see in the tree.
    let units = app.get(&other, "/api/units").await.json();
    let names: Vec<&str> = units
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Báo Cao Bằng"]);
}

#[tokio::test]
async fn a_leader_reads_everything_below_but_writes_nothing() {
    let app = app().await;
    let leader = app.login("lanhdao").await;
    let a = app.assignment("V.1.1.1", BAO_LAC).await;
    let path = format!("/nhiem-vu/{}", a.assignment_id);
    let page = app.get(&leader, &path).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        !page.body.contains(&format!("action=\"{path}\"")),
        "lãnh đạo không có biểu mẫu"
    );
    assert!(
        page.body
            .contains("chỉ cán bộ của Huyện uỷ Bảo Lạc cập nhật được")
    );
    assert_eq!(
        app.get(&leader, &format!("/don-vi/{}", a.unit_id))
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        app.get(&leader, &format!("/api/assignments/{}", a.assignment_id))
            .await
            .status,
        StatusCode::OK
    );

    let tree = app.get(&leader, "/don-vi").await;
    assert_eq!(tree.status, StatusCode::OK);
    let bao_lac = &tree.body[tree.body.find(BAO_LAC).expect("Bảo Lạc trong cây đơn vị")..];
    assert!(bao_lac[..bao_lac.find("</li>").unwrap()].contains("(đến 30/06/2025)"));
    assert!(tree.body.contains("class=\"depth-1\""));

    let before = app.snapshot().await;
    let write = app
        .post_form(
            &leader,
            &path,
            &update_fields(&leader, "1", &[("progress_note", "lãnh đạo ghi")]),
        )
        .await;
    assert_eq!(write.status, StatusCode::FORBIDDEN);
    let put = app
        .api(
            &leader,
            Method::PUT,
            &format!("/api/assignments/{}", a.assignment_id),
            json!({"status": "in_progress", "version": 1}),
            true,
        )
        .await;
    assert_eq!(put.status, StatusCode::FORBIDDEN);
    assert_eq!(app.snapshot().await, before);
}

/// The days a deadline of V.1.2.3 (Ban Tuyên giáo) has in the index.
async fn v123_day(app: &App) -> Option<String> {
    let a = app.assignment("V.1.2.3", "Ban Tuyên giáo Tỉnh uỷ").await;
    a.due[0].to.clone().or(a.due[0].from.clone())
}

#[tokio::test]
async fn the_calendar_previews_what_moves_saves_nothing_then_saves() {
    let app = app().await;
    let owner = app.login("chutri").await;
    let listing = app.get(&owner, "/lich").await;
    assert_eq!(listing.status, StatusCode::OK);
    assert!(listing.body.contains("Đại hội XX Đảng bộ tỉnh"));
    assert!(listing.body.contains("chưa có ngày"));
    let event = app.get(&owner, "/lich/dh-xx").await;
    assert!(event.body.contains("action=\"/lich/dh-xx/xem-truoc\""));

    // Dating the congress: every deadline waiting for it will be dated.
    let before = app.snapshot().await;
    assert_eq!(v123_day(&app).await, None);
    let dating = [
        ("csrf", owner.csrf.as_str()),
        ("start", "14/10/2025"),
        ("end", "16/10/2025"),
    ];
    let preview = app
        .post_form(&owner, "/lich/dh-xx/xem-truoc", &dating)
        .await;
    assert_eq!(preview.status, StatusCode::OK, "{}", preview.body);
    assert!(
        preview
            .body
            .contains("chưa có ngày</span> → <strong>14/10/2025 – 16/10/2025")
    );
    let v123 = &preview.body[preview
        .body
        .find("V.1.2.3 — Ban Tuyên giáo Tỉnh uỷ")
        .expect("V.1.2.3 sẽ dời")..];
    assert!(v123[..300].contains("từ chờ ngày → "), "{}", &v123[..300]);
    assert!(preview.body.contains("Lưu ngày mới"));
    // The district committees ended on 30/06/2025: the preview names them
    // apart, and gives them no date.
    let ended = &preview.body[preview
        .body
        .find("thời hạn không còn tính")
        .expect("các huyện uỷ đã kết thúc")..];
    let ended = &ended[..ended.find("</ul>").unwrap()];
    assert!(
        ended.contains("Nhiệm vụ V.1.1.4 — Huyện uỷ Bảo Lạc"),
        "{ended}"
    );
    assert!(!ended.contains("Đảng uỷ Khối các cơ quan tỉnh"), "{ended}");
    assert!(
        preview
            .body
            .contains("không tính: đơn vị kết thúc hoạt động trước hạn")
    );
    assert_eq!(app.snapshot().await, before, "xem trước không được lưu gì");

    // The confirm button sends what the preview was made from.
    let confirm = [
        ("csrf", owner.csrf.as_str()),
        ("start", "2025-10-14"),
        ("end", "2025-10-16"),
        ("before_start", ""),
        ("before_end", ""),
    ];
    let saved = app.post_form(&owner, "/lich/dh-xx", &confirm).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    assert!(saved.location().starts_with("/lich/dh-xx?da-doi="));
    let dated = app.snapshot().await;
    assert_eq!(dated.audit, before.audit + 1);
    let xx = dated.events.iter().find(|e| e.id == "dh-xx").unwrap();
    assert_eq!(
        (xx.start.as_deref(), xx.end.as_deref()),
        (Some("2025-10-14"), Some("2025-10-16"))
    );
    let first_day: Date = v123_day(&app)
        .await
        .expect("V.1.2.3 có ngày")
        .parse()
        .unwrap();

    // Moving it six days later: the preview says so, and again saves nothing.
    let moving = [
        ("csrf", owner.csrf.as_str()),
        ("start", "20/10/2025"),
        ("end", "22/10/2025"),
    ];
    let preview = app
        .post_form(&owner, "/lich/dh-xx/xem-truoc", &moving)
        .await;
    assert_eq!(preview.status, StatusCode::OK);
    let v123 = &preview.body[preview
        .body
        .find("V.1.2.3 — Ban Tuyên giáo Tỉnh uỷ")
        .unwrap()..];
    assert!(v123[..300].contains("dời 6 ngày"), "{}", &v123[..300]);
    let api = app
        .api(
            &owner,
            Method::POST,
            "/api/events/dh-xx/preview",
            json!({"start": "2025-10-20", "end": "22/10/2025"}),
            true,
        )
        .await;
    assert_eq!(api.status, StatusCode::OK, "{}", api.body);
    let changes = api.json()["changes"].as_array().unwrap().clone();
    let change = changes
        .iter()
        .find(|c| c["label"] == "Nhiệm vụ V.1.2.3 — Ban Tuyên giáo Tỉnh uỷ")
        .expect("V.1.2.3 trong danh sách");
    assert_eq!(change["shift_days"], 6);
    assert_eq!(change["shift"], "dời 6 ngày");
    assert_eq!(app.snapshot().await, dated, "xem trước không được lưu gì");

    // A preview made before someone else moved the event cannot be saved.
    let outdated = [
        ("csrf", owner.csrf.as_str()),
        ("start", "2025-10-20"),
        ("end", "2025-10-22"),
        ("before_start", ""),
        ("before_end", ""),
    ];
    let refused = app.post_form(&owner, "/lich/dh-xx", &outdated).await;
    assert_refused(&refused, StatusCode::CONFLICT, "hãy xem trước lại");
    assert_eq!(app.snapshot().await, dated);

    let put = app
        .api(
            &owner,
            Method::PUT,
            "/api/events/dh-xx",
            json!({"start": "20/10/2025", "end": "2025-10-22"}),
            true,
        )
        .await;
    assert_eq!(put.status, StatusCode::OK, "{}", put.body);
    let moved_day: Date = v123_day(&app).await.unwrap().parse().unwrap();
    assert_eq!(first_day.until(moved_day).unwrap().get_days(), 6);
    let events = app.get(&owner, "/api/events").await.json();
    let xx = events
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["id"] == "dh-xx")
        .unwrap();
    assert_eq!(xx["dates_text"], "20/10/2025 – 22/10/2025");
}

#[tokio::test]
async fn only_owners_and_administrators_move_events() {
    let app = app().await;
    let before = app.snapshot().await;
    for who in ["baolac", "lanhdao"] {
        let c = app.login(who).await;
        let page = app.get(&c, "/lich/dh-xx").await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(!page.body.contains("xem-truoc"));
        let fields = [
            ("csrf", c.csrf.as_str()),
            ("start", "14/10/2025"),
            ("end", "16/10/2025"),
        ];
        for path in ["/lich/dh-xx/xem-truoc", "/lich/dh-xx"] {
            let r = app.post_form(&c, path, &fields).await;
            assert_refused(&r, StatusCode::FORBIDDEN, "thay đổi lịch sự kiện");
        }
        let body = json!({"start": "2025-10-14", "end": "2025-10-16"});
        let api = app
            .api(
                &c,
                Method::POST,
                "/api/events/dh-xx/preview",
                body.clone(),
                true,
            )
            .await;
        assert_eq!(api.status, StatusCode::FORBIDDEN);
        let api = app
            .api(&c, Method::PUT, "/api/events/dh-xx", body, true)
            .await;
        assert_eq!(api.status, StatusCode::FORBIDDEN);
    }
    assert_eq!(app.snapshot().await, before);
    // An administrator may.
    let admin = app.login("quantri").await;
    let fields = [
        ("csrf", admin.csrf.as_str()),
        ("start", "14/10/2025"),
        ("end", "16/10/2025"),
    ];
    assert_eq!(
        app.post_form(&admin, "/lich/dh-xx", &fields).await.status,
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn bad_input_is_refused_in_vietnamese_and_nothing_is_saved() {
    let app = app().await;
    let officer = app.login("baolac").await;
    let owner = app.login("chutri").await;
    let a = app.assignment("V.1.1.1", BAO_LAC).await;
    let path = format!("/nhiem-vu/{}", a.assignment_id);
    let before = app.snapshot().await;

    let cases: &[(&[(&str, &str)], &str)] = &[
        (
            &[("status", "done"), ("completed_on", "31/02/2025")],
            "ngày 31/02/2025 không có trong lịch",
        ),
        (
            &[("status", "done"), ("completed_on", "hôm qua")],
            "«hôm qua» không phải ngày",
        ),
        (&[("status", "done")], "phải ghi ngày hoàn thành"),
        (
            &[("status", "done"), ("completed_on", "11/03/2025")],
            "ở sau hôm nay (10/03/2025)",
        ),
        (
            &[("evidence_link", "javascript:alert(1)")],
            "chỉ nhận địa chỉ bắt đầu bằng http:// hoặc https://",
        ),
        (&[("status", "xyz")], "trạng thái «xyz» không hợp lệ"),
        (&[("version", "")], "thiếu số phiên bản"),
    ];
    for (fields, message) in cases {
        let r = app
            .post_form(&officer, &path, &update_fields(&officer, "1", fields))
            .await;
        assert_refused(&r, StatusCode::UNPROCESSABLE_ENTITY, message);
        assert!(r.body.contains("role=\"alert\""));
        // The page comes back with what the user typed.
        for (k, v) in *fields {
            if *k == "completed_on" || *k == "evidence_link" {
                assert!(
                    r.body.contains(&format!("value=\"{}\"", html(v))),
                    "{k} mất giá trị"
                );
            }
        }
        assert_eq!(app.snapshot().await, before, "{message}");
    }

    // A file over 10 MB, just over and far over.
    for size in [10 * 1024 * 1024 + 1, 12 * 1024 * 1024] {
        let big = vec![b'x'; size];
        let r = app
            .post_multipart(
                &officer,
                &path,
                &update_fields(&officer, "1", &[]),
                ("lon.pdf", "application/pdf", &big),
            )
            .await;
        assert_refused(
            &r,
            StatusCode::PAYLOAD_TOO_LARGE,
            "tệp quá lớn: mỗi tệp đính kèm tối đa 10 MB",
        );
    }
    // No token, or someone else's.
    let fields = update_fields(&officer, "1", &[("progress_note", "giả mạo")]);
    let no_token: Vec<_> = fields
        .iter()
        .filter(|(k, _)| *k != "csrf")
        .cloned()
        .collect();
    let r = app.post_form(&officer, &path, &no_token).await;
    assert_refused(&r, StatusCode::FORBIDDEN, "mã chống giả mạo sai");
    let mut forged = fields.clone();
    forged[0].1 = owner.csrf.as_str();
    let r = app.post_form(&officer, &path, &forged).await;
    assert_refused(&r, StatusCode::FORBIDDEN, "mã chống giả mạo sai");
    let api = app
        .api(
            &officer,
            Method::PUT,
            &format!("/api/assignments/{}", a.assignment_id),
            json!({"status": "done", "version": 1}),
            false,
        )
        .await;
    assert_eq!(api.status, StatusCode::FORBIDDEN);
    let api = app
        .api(
            &officer,
            Method::PUT,
            &format!("/api/assignments/{}", a.assignment_id),
            json!({"status": "done", "version": 1, "ghi_chu": "x"}),
            true,
        )
        .await;
    assert_refused(
        &api,
        StatusCode::UNPROCESSABLE_ENTITY,
        "trường không được phép «ghi_chu»",
    );
    let api = app
        .api(
            &officer,
            Method::PUT,
            &format!("/api/assignments/{}", a.assignment_id),
            json!({"status": "done", "completed_on": "31/02/2025", "version": 1}),
            true,
        )
        .await;
    assert_refused(
        &api,
        StatusCode::UNPROCESSABLE_ENTITY,
        "không có trong lịch",
    );
    assert_eq!(
        app.get(&officer, "/nhiem-vu/abc").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get(&officer, "/nhiem-vu/999999").await.status,
        StatusCode::NOT_FOUND
    );

    // The calendar: dates out of order, days that do not exist, no token.
    let event_cases: &[(&str, &str, &str)] = &[
        (
            "16/10/2025",
            "14/10/2025",
            "ngày kết thúc 14/10/2025 trước ngày bắt đầu 16/10/2025",
        ),
        (
            "31/02/2025",
            "",
            "ngày bắt đầu: ngày 31/02/2025 không có trong lịch",
        ),
        (
            "",
            "16/10/2025",
            "có ngày kết thúc thì phải có ngày bắt đầu",
        ),
    ];
    for (start, end, message) in event_cases {
        for target in ["/lich/dh-xx/xem-truoc", "/lich/dh-xx"] {
            let fields = [
                ("csrf", owner.csrf.as_str()),
                ("start", start),
                ("end", end),
            ];
            let r = app.post_form(&owner, target, &fields).await;
            assert_refused(&r, StatusCode::UNPROCESSABLE_ENTITY, message);
            assert!(r.body.contains("role=\"alert\""));
        }
    }
    let r = app
        .post_form(
            &owner,
            "/lich/dh-xx",
            &[("start", "14/10/2025"), ("end", "16/10/2025")],
        )
        .await;
    assert_refused(&r, StatusCode::FORBIDDEN, "mã chống giả mạo sai");
    let r = app
        .api(
            &owner,
            Method::PUT,
            "/api/events/dh-xx",
            json!({"start": "16/10/2025", "end": "14/10/2025"}),
            true,
        )
        .await;
    assert_refused(&r, StatusCode::UNPROCESSABLE_ENTITY, "trước ngày bắt đầu");
    assert_eq!(
        app.get(&owner, "/lich/khong-co").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(app.snapshot().await, before);
}

#[tokio::test]
async fn evidence_files_are_kept_and_served_to_readers_only_as_downloads() {
    let app = app().await;
    let officer = app.login("baolac").await;
    let a = app.assignment("V.1.1.6", BAO_LAC).await;
    let path = format!("/nhiem-vu/{}", a.assignment_id);
    let pdf = b"%PDF-1.4 bao cao phong trao thi dua".as_slice();
    let r = app
        .post_multipart(
            &officer,
            &path,
            &update_fields(&officer, "1", &[("progress_note", "Đã phát động")]),
            ("báo cáo thi đua.pdf", "application/pdf", pdf),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let now = app.assignment("V.1.1.6", BAO_LAC).await;
    assert_eq!(now.version, 2);
    let file = &now.attachments[0];
    assert_eq!(
        (file.filename.as_str(), file.size),
        ("báo cáo thi đua.pdf", pdf.len() as i64)
    );
    let page = app.get(&officer, &path).await;
    assert!(page.body.contains("báo cáo thi đua.pdf"));

    let leader = app.login("lanhdao").await;
    let got = app
        .get(&leader, &format!("{path}/tep/{}", file.attachment_id))
        .await;
    assert_eq!(got.status, StatusCode::OK);
    assert_eq!(got.body.as_bytes(), pdf);
    assert_eq!(got.headers[header::CONTENT_TYPE], "application/pdf");
    let disposition = got.headers[header::CONTENT_DISPOSITION].to_str().unwrap();
    assert!(disposition.starts_with("attachment;"), "{disposition}");
    // A file under another assignment's address is not found there.
    let elsewhere = app.assignment("V.1.1.1", BAO_LAC).await;
    let wrong = app
        .get(
            &leader,
            &format!(
                "/nhiem-vu/{}/tep/{}",
                elsewhere.assignment_id, file.attachment_id
            ),
        )
        .await;
    assert_eq!(wrong.status, StatusCode::NOT_FOUND);

    // A page uploaded as evidence is served as bytes, never as a page.
    let r = app
        .post_multipart(
            &officer,
            &path,
            &update_fields(&officer, "2", &[("progress_note", "Đã phát động")]),
            ("x.html", "text/html", b"<script>alert(1)</script>"),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let html_file = app.assignment("V.1.1.6", BAO_LAC).await.attachments[1].attachment_id;
    let got = app.get(&officer, &format!("{path}/tep/{html_file}")).await;
    assert_eq!(
        got.headers[header::CONTENT_TYPE],
        "application/octet-stream"
    );
    assert_eq!(got.headers["x-content-type-options"], "nosniff");

    // The API adds a file, keeping the rest; the token goes in its header.
    let api_path = format!("/api/assignments/{}/files", a.assignment_id);
    let file = ("a.txt", "text/plain", b"minh chung".as_slice());
    let refused = app
        .multipart(&officer, &api_path, &[("version", "3")], file, false)
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);
    let stale = app
        .multipart(&officer, &api_path, &[("version", "1")], file, true)
        .await;
    assert_eq!(stale.status, StatusCode::CONFLICT, "{}", stale.body);
    let added = app
        .multipart(&officer, &api_path, &[("version", "3")], file, true)
        .await;
    assert_eq!(added.status, StatusCode::OK, "{}", added.body);
    let kept = app.assignment("V.1.1.6", BAO_LAC).await;
    assert_eq!((kept.attachments.len(), kept.version), (3, 4));
    assert_eq!(kept.progress_note.as_deref(), Some("Đã phát động"));
}

/// Every page goes out with the headers that keep it from being framed,
/// sniffed, cached by others or made to run another site's script; a
/// download keeps its own stricter policy.
#[tokio::test]
async fn pages_carry_the_security_headers() {
    let app = app().await;
    let officer = app.login("baolac").await;
    for path in ["/", "/ke-hoach", "/don-vi", "/bao-cao", "/lich"] {
        let a = app.get(&officer, path).await;
        assert_eq!(a.status, StatusCode::OK, "{path}");
        let h = |name: &str| {
            a.headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_string()
        };
        assert!(
            h("content-security-policy").contains("frame-ancestors 'none'"),
            "{path}"
        );
        assert!(
            h("content-security-policy").contains("script-src 'self'"),
            "{path}"
        );
        assert_eq!(h("x-frame-options"), "DENY", "{path}");
        assert_eq!(h("x-content-type-options"), "nosniff", "{path}");
        assert_eq!(h("referrer-policy"), "same-origin", "{path}");
        assert_eq!(h("cache-control"), "no-store", "{path}");
    }
    // The sign-in page too, before anyone is signed in.
    let a = app.get_anonymous("/dang-nhap").await;
    assert!(a.headers.contains_key("content-security-policy"));
    assert_eq!(a.headers["x-frame-options"], "DENY");
}

/// Behind HTTPS (`serve --public-url https://…`) the session cookie is
/// sent over HTTPS only, and the addresses the service gives out start
/// with the public address, whatever `Host` the request came with.
#[tokio::test]
async fn behind_https_the_cookie_is_secure_and_addresses_are_public() {
    let dir = tempfile::tempdir().expect("thư mục tạm");
    let store = common::open_sqlite(&dir).await;
    common::load_reference(&store, "test", TODAY).await;
    common::add_users(&store, PASSWORD, USERS.iter().copied()).await;
    let web = Web::behind(store, TODAY, PASSWORD, "https://dondoc.caobang.gov.vn");
    let req = Request::post("/api/login")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(
            serde_json::json!({"username": "baolac", "password": PASSWORD}).to_string(),
        ))
        .unwrap();
    let a = web.send(req).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    let cookie = a.headers[header::SET_COOKIE].to_str().unwrap().to_string();
    assert!(cookie.contains("; Secure"), "{cookie}");
    let officer = web.login("baolac").await;
    let unit = web.store.unit_named(BAO_LAC).await.unwrap().unwrap();
    let cal = web
        .api(
            &officer,
            Method::POST,
            &format!("/api/units/{unit}/calendar"),
            serde_json::json!({}),
            true,
        )
        .await
        .json();
    assert!(
        cal["url"]
            .as_str()
            .unwrap()
            .starts_with("https://dondoc.caobang.gov.vn/lich/don-vi/"),
        "{cal}"
    );
}

/// Failed sign-ins slow the one who fails, not the account's owner: the
/// pair (account, address) waits longer after each failure past five, the
/// owner signs in from their own address at once, and behind the trusted
/// proxy the address is the one the proxy forwarded for.
#[tokio::test]
async fn a_password_guesser_waits_and_the_owner_does_not() {
    use axum::extract::ConnectInfo;
    use std::net::SocketAddr;
    let dir = tempfile::tempdir().expect("thư mục tạm");
    let store = common::open_sqlite(&dir).await;
    common::load_reference(&store, "test", TODAY).await;
    common::add_users(&store, PASSWORD, USERS.iter().copied()).await;
    let proxy: SocketAddr = "10.0.0.2:40000".parse().unwrap();
    let mut state = dondoc_web::AppState::new(store, dondoc_web::Clock { fixed: Some(TODAY) });
    state.trusted_proxy = Some(proxy.ip());
    let router = dondoc_web::router(state);
    let login = |password: &str, forwarded_for: &str| {
        let mut req = Request::post("/api/login")
            .header(header::CONTENT_TYPE, "application/json")
            .header("x-forwarded-for", forwarded_for)
            .body(Body::from(
                serde_json::json!({"username": "baolac", "password": password}).to_string(),
            ))
            .unwrap();
        req.extensions_mut().insert(ConnectInfo(proxy));
        req
    };
    // The guesser, behind the proxy at 203.0.113.9; the header a client
    // wrote itself (the first entry) is not believed.
    let guesser = "198.51.100.1, 203.0.113.9";
    for _ in 0..5 {
        let a = common::send(&router, login("sai-mat-khau-1", guesser)).await;
        assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", a.body);
    }
    let a = common::send(&router, login("sai-mat-khau-1", guesser)).await;
    assert_eq!(
        a.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "the sixth is tried"
    );
    let a = common::send(&router, login(PASSWORD, guesser)).await;
    assert_eq!(a.status, StatusCode::TOO_MANY_REQUESTS, "{}", a.body);
    assert!(a.body.contains("thử lại sau"), "{}", a.body);
    // The owner, from the commune office, signs in at once.
    let a = common::send(&router, login(PASSWORD, "192.0.2.44")).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    // So does the owner from the client-written address the guesser sent
    // first: that part of the header counts for nothing.
    let a = common::send(&router, login(PASSWORD, "198.51.100.1")).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
}

/// An officer's home: their unit's open work in every plan, by deadline,
/// each item labelled with its plan; the officer lands there after
/// signing in, the plan owner on the overview.
#[tokio::test]
async fn an_officer_lands_on_their_own_work() {
    let app = app().await;
    let officer = app.login("baolac").await;
    let page = app.get(&officer, "/viec-cua-toi").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(
        page.body.contains("Việc của Huyện uỷ Bảo Lạc"),
        "{}",
        page.body
    );
    let a = app.assignment("V.1.1.1", BAO_LAC).await;
    assert!(
        page.body
            .contains(&format!("href=\"/nhiem-vu/{}\"", a.assignment_id))
    );
    assert!(page.body.contains("Kế hoạch 390-KH/TU"));
    assert!(page.body.contains("Hằng tháng"), "the monthly report owed");
    // The plan's own words beside the day computed from them.
    assert!(page.body.contains("(kế hoạch ghi: «"), "{}", page.body);
    // The unit's page labels each task with its plan too (it lists every
    // plan's).
    let unit_page = app.get(&officer, &format!("/don-vi/{}", a.unit_id)).await;
    assert!(
        unit_page.body.contains("Kế hoạch 390-KH/TU"),
        "{}",
        unit_page.body
    );
    // On a phone the work comes first, the settings after it.
    let at = |s: &str| unit_page.body.find(s).unwrap_or_else(|| panic!("{s}"));
    assert!(at("Nhiệm vụ được giao") < at("Lịch của đơn vị"));
    assert!(at("Nhiệm vụ được giao") < at("Thư nhắc việc"));

    let work = app.get(&officer, "/api/my-work").await.json();
    let tasks = work["assignments"].as_array().unwrap();
    assert!(!tasks.is_empty());
    assert!(tasks.iter().all(|t| t["plan"] == "390-KH/TU"));
    assert!(
        tasks
            .iter()
            .all(|t| t["status"] != "done" && t["status"] != "cancelled")
    );
    // By deadline: the last day of each dated task never goes back.
    let days: Vec<String> = tasks
        .iter()
        .filter_map(|t| {
            t["due"]
                .as_array()?
                .iter()
                .filter(|d| d["state"] == "resolved")
                .filter_map(|d| d["to"].as_str().or(d["from"].as_str()))
                .min()
                .map(str::to_string)
        })
        .collect();
    assert!(days.windows(2).all(|w| w[0] <= w[1]), "{days:?}");
    let reports = work["reports"].as_array().unwrap();
    assert!(
        reports.iter().any(|r| r["regime"] == "Hằng tháng"),
        "{work}"
    );

    // Signing in through the form: the officer to their work, the owner
    // to the overview.
    for (user, home) in [("baolac", "/viec-cua-toi"), ("chutri", "/")] {
        let (_, a) = sign_in_through_form(&app, user, "").await;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{user}: {}", a.body);
        assert_eq!(a.headers[header::LOCATION], home, "{user}");
    }
}

/// The plan's 62 tasks are searched (with or without tones), filtered by
/// unit and by how they stand; each says how many of its units are done,
/// naming only the units the reader may open.
#[tokio::test]
async fn the_plan_page_finds_tasks_and_says_who_has_done_them() {
    let app = app().await;
    let owner = app.login("chutri").await;
    let count = |body: &str| body.matches("<li class=\"task\"").count();
    let all = app.get(&owner, "/ke-hoach").await.body;
    let total = count(&all);
    assert!(total > 40, "{total}");
    assert!(all.contains("đơn vị đã hoàn thành"), "the progress line");

    // Searched without tones: every task found speaks of "báo chí".
    let found = app.get(&owner, "/ke-hoach?tim=bao+chi").await.body;
    let n = count(&found);
    assert!(n > 0 && n < total, "{n}/{total}");
    assert!(
        found.contains(&format!("Nhiệm vụ ({n}/{total})")),
        "the count"
    );
    for task in found.split("<li class=\"task\"").skip(1) {
        let task = &task[..task.find("</li>\n  {% endfor").unwrap_or(task.len())];
        assert!(
            dondoc_core::text::search_fold(task).contains("bao chi"),
            "{task}"
        );
    }

    // The same tasks as a workbook.
    let book = app.get(&owner, "/ke-hoach?tim=bao+chi&dang=xlsx").await;
    assert_eq!(book.status, StatusCode::OK);
    {
        use calamine::Reader;
        let mut x = calamine::Xlsx::new(std::io::Cursor::new(book.bytes.clone())).unwrap();
        let name = x.sheet_names()[0].clone();
        let r = x.worksheet_range(&name).unwrap();
        assert_eq!(r.rows().count(), 4 + n, "title, as-of, blank, heads, tasks");
    }

    // By unit: only the tasks given to Báo Cao Bằng.
    let paper = app.unit("Báo Cao Bằng").await;
    let given = app
        .get(&owner, &format!("/ke-hoach?don-vi={paper}"))
        .await
        .body;
    let n = count(&given);
    assert!(n > 0 && n < total, "{n}");
    let mut conn = app.store.conn().await.unwrap();
    let theirs = assignments::of_unit(&mut conn, paper).await.unwrap();
    drop(conn);
    for a in &theirs {
        assert!(
            given.contains(&format!("id=\"nv-{}\"", a.task_ref)),
            "{}",
            a.task_ref
        );
    }

    // Overdue on the test's day: only tasks with a late unit.
    let late = app.get(&owner, "/ke-hoach?tinh-trang=qua-han").await.body;
    let n = count(&late);
    assert!(n > 0 && n < total, "{n}");
    assert_eq!(
        late.split("<li class=\"task\"")
            .skip(1)
            .filter(|t| !t.contains("quá hạn</span>"))
            .count(),
        0
    );
    let none = app.get(&owner, "/ke-hoach?tim=khongcothat").await.body;
    assert!(none.contains("Không có nhiệm vụ nào khớp"));

    // An officer is shown their own unit's standing only.
    let officer = app.login("baolac").await;
    let theirs = app.get(&officer, "/ke-hoach").await.body;
    assert!(
        !theirs.contains(">Báo Cao Bằng</a> —"),
        "another unit's standing"
    );
    assert!(theirs.contains(">Huyện uỷ Bảo Lạc</a> —"));
}

/// An owner adds an event no plan named; a wrong day or a name already in
/// the calendar is said in Vietnamese and nothing is added; an officer may
/// not add one.
#[tokio::test]
async fn an_owner_adds_an_event_from_the_calendar_page() {
    let app = app().await;
    let owner = app.login("chutri").await;
    let page = app.get(&owner, "/lich").await.body;
    assert!(page.contains("Thêm sự kiện"));
    let before = app.snapshot().await;
    let add = |name: &'static str, start: &'static str| {
        [
            ("csrf", owner.csrf.clone()),
            ("ten", name.to_string()),
            ("loai", "hoi-nghi".to_string()),
            ("bat_dau", start.to_string()),
        ]
    };
    let form = add("Hội nghị sơ kết công tác tuyên truyền", "31/06/2025");
    let fields: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let a = app.post_form(&owner, "/lich", &fields).await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(a.body.contains("Ngày bắt đầu"), "{}", a.body);
    assert_eq!(app.snapshot().await.events.len(), before.events.len());

    let form = add("Hội nghị sơ kết công tác tuyên truyền", "20/06/2025");
    let fields: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let a = app.post_form(&owner, "/lich", &fields).await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
    let at = a.location().to_string();
    let shown = app.get(&owner, &at).await.body;
    assert!(
        shown.contains("Hội nghị sơ kết công tác tuyên truyền"),
        "{shown}"
    );
    assert!(shown.contains("20/06/2025"), "{shown}");
    assert_eq!(app.snapshot().await.events.len(), before.events.len() + 1);

    // The same name again (spelt otherwise) is the same event.
    let form = add("hội nghị  sơ kết công tác tuyên truyền", "");
    let fields: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let a = app.post_form(&owner, "/lich", &fields).await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(a.body.contains("lịch đã có sự kiện"), "{}", a.body);

    let officer = app.login("baolac").await;
    assert!(
        !app.get(&officer, "/lich")
            .await
            .body
            .contains("Thêm sự kiện")
    );
    let form = [("csrf", officer.csrf.as_str()), ("ten", "Họp chi bộ")];
    let a = app.post_form(&officer, "/lich", &form).await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
}

/// The help page reads its examples with the service's own reader, and
/// reads a phrase the user types; one it cannot read is said, not guessed.
#[tokio::test]
async fn the_help_page_reads_phrases_as_the_service_does() {
    let app = app().await;
    let officer = app.login("baolac").await;
    let page = app.get(&officer, "/huong-dan").await;
    assert_eq!(page.status, StatusCode::OK);
    // "trước ngày 05/02/2025" is due by the 4th.
    assert!(page.body.contains("chậm nhất 04/02/2025"), "{}", page.body);
    assert!(page.body.contains("Đang thực hiện"));
    let asked = app
        .get(&officer, "/huong-dan?cum-tu=trong+qu%C3%BD+II%2F2025")
        .await
        .body;
    assert!(asked.contains("01/04/2025 – 30/06/2025"), "{asked}");
    let bad = app
        .get(&officer, "/huong-dan?cum-tu=tr%C6%B0%E1%BB%9Bc")
        .await
        .body;
    assert!(bad.contains("class=\"alert\""), "{bad}");
    assert!(bad.contains("thiếu ngày hoặc sự kiện"), "{bad}");
}
