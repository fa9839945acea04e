//! Importing a plan from its document through the real router, in-process,
//! on a fresh database holding the reference plan (Kế hoạch 390-KH/TU) and
//! one account per role. The document is another plan (a district Party
//! committee's, `crates/import/tests/plans/huyen-uy.txt`), so that none of
//! its names is in the directory. Each scenario runs on SQLite and, when a
//! server answers, on PostgreSQL. Every refusal is checked for what it says
//! (in Vietnamese) and for what it leaves behind: nothing.

#[macro_use]
mod common;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use common::{Answer, Client, Web};
use dondoc_core::plan::Unit;
use dondoc_store::Store;
use dondoc_store::users::Role;
use jiff::civil::{Date, date};
use serde_json::{Value, json};
use std::ops::Deref;

const PASSWORD: &str = "mat-khau-nhap-ke-hoach";
const TODAY: Date = date(2025, 1, 15);
/// The number of the district committee's plan.
const NUMBER: &str = "112-KH/HU";

const USERS: &[(&str, &str, Role)] = &[
    ("quantri", "Văn phòng Tỉnh uỷ", Role::Admin),
    ("chutri", "Ban Tuyên giáo Tỉnh uỷ", Role::Owner),
    ("lanhdao", "Tỉnh uỷ Cao Bằng", Role::Leader),
    ("baolac", "Huyện uỷ Bảo Lạc", Role::Officer),
];

fn document() -> Vec<u8> {
    std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../import/tests/plans/huyen-uy.txt"
    ))
    .expect("đọc huyen-uy.txt")
}
// ---------------------------------------------------------------------------
// The world

/// The service, its clock at `TODAY`.
struct World(Web);

impl Deref for World {
    type Target = Web;

    fn deref(&self) -> &Web {
        &self.0
    }
}

async fn add_users(store: &Store, list: &[(&str, &str, Role)]) {
    common::add_users(store, PASSWORD, common::named_by_username(list)).await;
}

fn world(store: Store) -> World {
    World(Web::new(store, TODAY, PASSWORD))
}

/// The reference plan and the accounts, as the demo loads them.
async fn reference(store: Store) -> World {
    common::load_reference(&store, "demo", date(2024, 11, 20)).await;
    add_users(&store, USERS).await;
    world(store)
}

/// No plan yet: one unit and its two accounts.
async fn empty(store: Store) -> World {
    let unit = Unit {
        name: "Văn phòng Tỉnh uỷ".into(),
        kind: "office".into(),
        level: "province".into(),
        ..Unit::default()
    };
    store.import_units(&[unit]).await.expect("đơn vị");
    add_users(
        &store,
        &[
            ("chutri", "Văn phòng Tỉnh uỷ", Role::Owner),
            ("canbo", "Văn phòng Tỉnh uỷ", Role::Officer),
        ],
    )
    .await;
    world(store)
}

// ---------------------------------------------------------------------------
// Requests

/// A multipart body: the text fields, then the file (if any) in field `tep`.
fn multipart(fields: &[(&str, &str)], file: Option<(&str, &[u8])>) -> (String, Vec<u8>) {
    const B: &str = "ranh-gioi-nhap-ke-hoach-7f3c";
    let mut body = Vec::new();
    for (k, v) in fields {
        body.extend_from_slice(
            format!("--{B}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n")
                .as_bytes(),
        );
    }
    if let Some((name, data)) = file {
        body.extend_from_slice(
            format!(
                "--{B}\r\nContent-Disposition: form-data; name=\"tep\"; filename=\"{name}\"\r\n\
                 Content-Type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(data);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{B}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={B}"), body)
}

impl World {
    /// A page form; the session's token is added unless one is given.
    async fn form(&self, c: &Client, path: &str, fields: &[(&str, &str)]) -> Answer {
        let mut all: Vec<(&str, &str)> = fields.to_vec();
        if !fields.iter().any(|(k, _)| *k == "csrf") {
            all.push(("csrf", &c.csrf));
        }
        self.post_form(c, path, &all).await
    }

    /// The upload form, with the session's token unless `csrf` says another.
    async fn upload(&self, c: &Client, csrf: Option<&str>, file: (&str, &[u8])) -> Answer {
        let token = csrf.unwrap_or(&c.csrf);
        let (kind, body) = multipart(&[("csrf", token), ("van_ban", "")], Some(file));
        let req = Request::post("/nhap-ke-hoach")
            .header(header::COOKIE, &c.cookie)
            .header(header::CONTENT_TYPE, kind)
            .body(Body::from(body))
            .unwrap();
        self.send(req).await
    }

    /// A JSON API call, always with the session's CSRF header.
    async fn api(&self, c: &Client, method: Method, path: &str, body: Value) -> Answer {
        self.0.api(c, method, path, body, true).await
    }

    /// What a refused request must leave as it was.
    async fn footprint(&self) -> [i64; 4] {
        [
            self.count("import_drafts").await,
            self.count("plans").await,
            self.count("units").await,
            self.count("audit_log").await,
        ]
    }

    async fn actions(&self) -> Vec<String> {
        self.store
            .audit(100)
            .await
            .unwrap()
            .into_iter()
            .map(|e| e.action)
            .collect()
    }

    /// Uploads the district plan as `c` through the page; the draft's id.
    async fn draft(&self, c: &Client) -> i64 {
        let a = self.upload(c, None, ("huyen-uy.txt", &document())).await;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "tải lên: {}", a.body);
        a.location()
            .strip_prefix("/nhap-ke-hoach/")
            .and_then(|id| id.parse().ok())
            .unwrap_or_else(|| panic!("chuyển tới bản nháp: «{}»", a.location()))
    }
}

/// The value of the hidden `version` field of a review page.
fn version_of(page: &str) -> String {
    let at = page
        .find("name=\"version\" value=\"")
        .expect("trường version")
        + "name=\"version\" value=\"".len();
    page[at..].split('"').next().unwrap().to_string()
}

fn task<'a>(plan: &'a Value, reference: &str) -> &'a Value {
    plan["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["ref"] == reference)
        .unwrap_or_else(|| panic!("không có nhiệm vụ {reference}"))
}

// ---------------------------------------------------------------------------
// Scenarios

on_both_backends!(
    reference:
    read_review_correct_and_confirm,
    who_may_import_and_what_is_refused,
    the_api_reads_corrects_and_confirms,
);
on_both_backends!(empty: the_first_plan_of_an_empty_database);

async fn read_review_correct_and_confirm(w: World) {
    let owner = w.login("chutri").await;

    // The plan page offers the import to its owner; the form takes a file
    // or pasted text.
    let plan_page = w.get(&owner, "/ke-hoach").await;
    assert!(plan_page.body.contains("href=\"/nhap-ke-hoach\""));
    let form = w.get(&owner, "/nhap-ke-hoach").await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    assert!(form.body.contains("enctype=\"multipart/form-data\""));
    assert!(form.body.contains("accept=\".docx,.txt,.md"));
    assert!(form.body.contains("name=\"van_ban\""));

    let plans_before = w.count("plans").await;
    let id = w.draft(&owner).await;
    assert_eq!(
        w.count("plans").await,
        plans_before,
        "đọc văn bản không tạo kế hoạch"
    );
    assert!(w.actions().await.contains(&"import.draft".to_string()));

    // The review: each task beside its source, the phrase marked.
    let page = w.get(&owner, &format!("/nhap-ke-hoach/{id}")).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let p = &page.body;
    assert!(p.contains("value=\"112-KH/HU\""), "số kế hoạch");
    assert!(p.contains("value=\"10/01/2025\""), "ngày ban hành");
    assert!(
        p.contains(
            "dòng 57</span> Thời gian thực hiện: <mark>Hoàn thành trước ngày 28/02/2025.</mark>"
        ),
        "nguyên văn với cụm thời hạn tô sáng"
    );
    assert!(p.contains("chậm nhất ngày 28/02/2025") || p.contains("28/02/2025"));
    assert!(p.contains("17 nhiệm vụ"), "dòng tóm tắt");
    // Names the directory does not know are proposed, with a choice.
    assert!(
        p.contains("Đơn vị chưa có trong danh mục (13)"),
        "13 đơn vị mới"
    );
    assert!(p.contains("Huyện đoàn — <span class=\"name-note\">đề xuất thêm mới</span>"));
    assert!(p.contains("<option value=\"moi\" selected>Thêm đơn vị mới</option>"));
    assert!(p.contains("<option value=\"la:Tỉnh Đoàn thanh niên\">"));
    // The line not understood, with its number.
    assert!(p.contains("Dòng chưa hiểu (1)"));
    assert!(p.contains(
        "dòng 113</span> Kèm theo danh mục khẩu hiệu gửi qua hệ thống thông tin điều hành."
    ));
    assert!(p.contains("Xác nhận và tạo kế hoạch"));

    // Corrections: a task's text and phrase, a phrase that does not read, a
    // coordinating unit that is known, and one unknown name said to be a
    // known unit.
    let text =
        "Tham mưu Ban Thường vụ Huyện ủy hướng dẫn, kiểm tra việc thực hiện Kế hoạch (đã sửa).";
    let version = version_of(p);
    let a = w
        .form(
            &owner,
            &format!("/nhap-ke-hoach/{id}"),
            &[
                ("version", &version),
                ("nv0_ref", "IV.1.1"),
                ("nv0_noi_dung", text),
                ("nv0_thoi_han", "Trước ngày 15/02/2025"),
                ("nv0_phoi_hop", "Văn phòng Tỉnh ủy"),
                ("nv1_ref", "IV.1.2"),
                ("nv1_thoi_han", "khi nào xong thì báo"),
                ("dv99_ten", "Huyện đoàn"),
                ("dv99", "la:Tỉnh Đoàn thanh niên"),
                ("action", "save"),
            ],
        )
        .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "lưu sửa đổi: {}", a.body);
    assert_eq!(a.location(), format!("/nhap-ke-hoach/{id}?ket-qua=da-luu"));
    assert!(w.actions().await.contains(&"import.edit".to_string()));
    let page = w.get(&owner, a.location()).await;
    let p = &page.body;
    assert!(p.contains("Đã lưu sửa đổi"));
    assert!(p.contains(text));
    assert!(p.contains("value=\"Trước ngày 15/02/2025\""));
    assert!(p.contains("trước ngày 15/02/2025"), "quy tắc nói bằng lời");
    assert!(
        p.contains("không đọc được cụm thời gian «khi nào xong thì báo»"),
        "lỗi đọc cụm thời hạn đặt cạnh nhiệm vụ"
    );
    assert!(p.contains("chưa đọc được thời hạn"));
    // What is left unsure comes first, saying why: the task whose time
    // does not read stands before the first task of the document.
    assert!(p.contains("cụm thời hạn «khi nào xong thì báo» chưa đọc được"));
    assert!(p.contains("nhiệm vụ có điểm cần xem lại, được xếp lên đầu"));
    let first = p.find("id=\"nv-").expect("thẻ nhiệm vụ");
    assert!(
        p[first..].starts_with("id=\"nv-1\""),
        "nhiệm vụ có thời hạn chưa đọc được đứng đầu"
    );
    assert!(
        p.contains("Văn phòng Tỉnh ủy — <span class=\"name-note\">khớp: Văn phòng Tỉnh uỷ</span>")
    );
    assert!(
        p.contains("Huyện đoàn — <span class=\"name-note\">ghép vào: Tỉnh Đoàn thanh niên</span>")
    );
    assert!(p.contains("<option value=\"la:Tỉnh Đoàn thanh niên\" selected>"));
    assert!(p.contains("Đơn vị chưa có trong danh mục (13)"));

    // A form made before that save is refused: someone else's work stays.
    let stale = w
        .form(
            &owner,
            &format!("/nhap-ke-hoach/{id}"),
            &[("version", &version), ("ten", "Tên khác")],
        )
        .await;
    assert_eq!(stale.status, StatusCode::CONFLICT, "{}", stale.body);
    assert!(stale.body.contains("vừa được người khác sửa"));

    // Confirming stores the plan and sends to its page.
    let version = version_of(p);
    let a = w
        .form(
            &owner,
            &format!("/nhap-ke-hoach/{id}"),
            &[("version", &version), ("action", "confirm")],
        )
        .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "xác nhận: {}", a.body);
    assert_eq!(
        a.location(),
        "/ke-hoach?ke-hoach=112-KH%2FHU&ket-qua=da-tao"
    );
    let actions = w.actions().await;
    assert!(actions.contains(&"plan.load".to_string()));
    assert!(actions.contains(&"import.confirm".to_string()));
    let shown = w.get(&owner, a.location()).await;
    assert_eq!(shown.status, StatusCode::OK);
    assert!(shown.body.contains("Kế hoạch số 112-KH/HU"));
    assert!(
        shown
            .body
            .contains("Đã tạo Kế hoạch số 112-KH/HU từ văn bản"),
        "the success is said"
    );

    // Two plans now: every page about a plan offers the choice, carries
    // the plan in view on its menu, and remembers a choice made in an
    // address for the browser's session.
    let plans = w.store.plans().await.unwrap();
    assert_eq!(plans.len(), 2, "{plans:?}");
    let (first, second) = (plans[0].plan_id, plans[1].plan_id);
    let plain = w.get(&owner, "/ke-hoach").await;
    assert!(
        plain.body.contains("Kế hoạch số 390-KH/TU"),
        "the oldest plan without a choice"
    );
    for page in ["/", "/ke-hoach", "/bao-cao"] {
        let chosen = w.get(&owner, &format!("{page}?ke-hoach={second}")).await;
        assert_eq!(chosen.status, StatusCode::OK, "{page}: {}", chosen.body);
        assert!(
            chosen.body.contains("name=\"ke-hoach\""),
            "{page}: the chooser"
        );
        assert!(
            chosen
                .body
                .contains(&format!("<option value=\"{second}\" selected>")),
            "{page}"
        );
        assert!(
            chosen
                .body
                .contains(&format!("href=\"/bao-cao?ke-hoach={second}\"")),
            "{page}"
        );
        let remembered = chosen
            .headers
            .get_all(axum::http::header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .any(|v| v.starts_with(&format!("dondoc_ke_hoach={second};")));
        assert!(remembered, "{page}: the choice is remembered");
    }
    let req = axum::http::Request::get("/ke-hoach")
        .header(
            axum::http::header::COOKIE,
            format!("{}; dondoc_ke_hoach={second}", owner.cookie),
        )
        .body(axum::body::Body::empty())
        .unwrap();
    let again = w.send(req).await;
    assert!(
        again.body.contains("Kế hoạch số 112-KH/HU"),
        "the remembered plan"
    );
    // The old address form still works, and a plan that is not there is a 404.
    let by_number = w.get(&owner, "/ke-hoach?so=390-KH%2FTU").await;
    assert!(by_number.body.contains("Kế hoạch số 390-KH/TU"));
    assert!(
        by_number
            .body
            .contains(&format!("<option value=\"{first}\" selected>"))
    );
    let missing = w.get(&owner, "/ke-hoach?ke-hoach=9999").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);

    let plan = w.get(&owner, "/api/plan/112-KH%2FHU").await;
    assert_eq!(plan.status, StatusCode::OK, "{}", plan.body);
    let plan = plan.json();
    assert_eq!(plan["number"], NUMBER);
    let first = task(&plan, "IV.1.1");
    assert_eq!(first["text"], text);
    assert_eq!(first["deadline_phrase"], "Trước ngày 15/02/2025");
    assert_eq!(first["deadline"]["date"], "2025-02-15");
    assert_eq!(first["coordinates"], json!(["Văn phòng Tỉnh ủy"]));
    let second = task(&plan, "IV.1.2");
    assert_eq!(second["deadline_phrase"], "khi nào xong thì báo");
    assert!(second["deadline"].is_null());
    // The name said to be a known unit became its alias: no new unit.
    let mut conn = w.store.conn().await.unwrap();
    let index = dondoc_store::units::index(&mut conn).await.unwrap();
    assert_eq!(
        index.find("Huyện đoàn"),
        index.find("Tỉnh Đoàn thanh niên"),
        "«Huyện đoàn» là tên gọi khác của Tỉnh Đoàn"
    );
    assert!(index.find("Hội Nông dân huyện").is_some(), "đơn vị mới");
    drop(conn);

    // The draft is closed: shown as such, and not confirmed twice.
    let page = w.get(&owner, &format!("/nhap-ke-hoach/{id}")).await;
    assert!(page.body.contains("Bản nháp đã được xác nhận"));
    assert!(!page.body.contains("Xác nhận và tạo kế hoạch"));
    let before = w.footprint().await;
    let again = w
        .form(
            &owner,
            &format!("/nhap-ke-hoach/{id}"),
            &[("action", "confirm")],
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.body);
    assert!(
        again
            .body
            .contains("đã được xác nhận: kế hoạch số 112-KH/HU đã lưu")
    );
    assert_eq!(w.footprint().await, before);

    // The same document read again: its number is taken, nothing stored.
    let id2 = w.draft(&owner).await;
    let before = w.footprint().await;
    let again = w
        .form(
            &owner,
            &format!("/nhap-ke-hoach/{id2}"),
            &[("action", "confirm")],
        )
        .await;
    assert_eq!(
        again.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        again.body
    );
    assert!(
        again
            .body
            .contains("kế hoạch số 112-KH/HU đã có trong cơ sở dữ liệu; chưa lưu gì"),
        "{}",
        again.body
    );
    assert_eq!(w.footprint().await, before);
    let page = w.get(&owner, &format!("/nhap-ke-hoach/{id2}")).await;
    assert!(page.body.contains("Xác nhận và tạo kế hoạch"), "vẫn mở");
}

async fn who_may_import_and_what_is_refused(w: World) {
    let owner = w.login("chutri").await;
    let admin = w.login("quantri").await;
    let officer = w.login("baolac").await;
    let leader = w.login("lanhdao").await;
    let id = w.draft(&owner).await;
    let draft_path = format!("/nhap-ke-hoach/{id}");

    // The administrator may read and correct the owner's draft.
    assert_eq!(w.get(&admin, &draft_path).await.status, StatusCode::OK);

    // Officers and leaders may neither import nor see a draft: the import
    // page refuses them, and a draft is not there for them.
    let before = w.footprint().await;
    for c in [&officer, &leader] {
        for (path, status, words) in [
            ("/nhap-ke-hoach", StatusCode::FORBIDDEN, "không có quyền"),
            (draft_path.as_str(), StatusCode::NOT_FOUND, "không tìm thấy"),
        ] {
            let a = w.get(c, path).await;
            assert_eq!(a.status, status, "{path}: {}", a.body);
            assert!(a.body.contains(words), "{}", a.body);
        }
        let a = w.upload(c, None, ("huyen-uy.txt", &document())).await;
        assert_eq!(a.status, StatusCode::FORBIDDEN, "{}", a.body);
        let a = w.form(c, &draft_path, &[("action", "confirm")]).await;
        assert_eq!(a.status, StatusCode::NOT_FOUND, "{}", a.body);
        let a = w
            .api(
                c,
                Method::POST,
                "/api/imports",
                json!({"text": "Số 1-KH/TU"}),
            )
            .await;
        assert_eq!(a.status, StatusCode::FORBIDDEN, "{}", a.body);
        assert!(
            a.json()["error"]
                .as_str()
                .unwrap()
                .contains("không có quyền")
        );
        let a = w.get(c, &format!("/api/imports/{id}")).await;
        assert_eq!(a.status, StatusCode::NOT_FOUND, "{}", a.body);
        let a = w
            .api(
                c,
                Method::POST,
                &format!("/api/imports/{id}/confirm"),
                json!({}),
            )
            .await;
        assert_eq!(a.status, StatusCode::NOT_FOUND, "{}", a.body);
    }
    assert_eq!(w.footprint().await, before);
    // The plan page does not offer what they may not do.
    assert!(
        !w.get(&officer, "/ke-hoach")
            .await
            .body
            .contains("href=\"/nhap-ke-hoach\"")
    );

    // A forged token is refused, on the upload, the review and the API.
    let a = w
        .upload(&owner, Some("gia-mao"), ("huyen-uy.txt", &document()))
        .await;
    assert_eq!(a.status, StatusCode::FORBIDDEN, "{}", a.body);
    assert!(a.body.contains("mã chống giả mạo"), "{}", a.body);
    let a = w
        .form(
            &owner,
            &draft_path,
            &[
                ("csrf", "gia-mao"),
                ("ten", "Tên giả"),
                ("action", "confirm"),
            ],
        )
        .await;
    assert_eq!(a.status, StatusCode::FORBIDDEN, "{}", a.body);
    assert!(a.body.contains("mã chống giả mạo"));
    let forged = Client {
        cookie: owner.cookie.clone(),
        csrf: "gia-mao".into(),
    };
    let a = w
        .api(
            &forged,
            Method::POST,
            "/api/imports",
            json!({"text": "Số 1-KH/TU"}),
        )
        .await;
    assert_eq!(a.status, StatusCode::FORBIDDEN, "{}", a.body);
    let a = w
        .api(
            &forged,
            Method::POST,
            &format!("/api/imports/{id}/confirm"),
            json!({}),
        )
        .await;
    assert_eq!(a.status, StatusCode::FORBIDDEN, "{}", a.body);
    assert_eq!(w.footprint().await, before);

    // Documents that are not plans: told on the form, nothing stored.
    for (name, bytes, says) in [
        ("trong.txt", &b""[..], "tệp trống: không có chữ nào để đọc"),
        (
            "hong.docx",
            &b"PK\x03\x04garbage"[..],
            "tệp không phải DOCX",
        ),
        (
            "thu.txt",
            "Xin chào các đồng chí.".as_bytes(),
            "không nhận ra kế hoạch",
        ),
        ("bao-cao.pdf", &b"%PDF-1.4 x"[..], "tệp PDF chưa đọc được"),
    ] {
        let a = w.upload(&owner, None, (name, bytes)).await;
        assert_eq!(
            a.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{name}: {}",
            a.body
        );
        assert!(a.body.contains(says), "{name}: {}", a.body);
        assert!(a.body.contains(&format!("«{name}»")), "{name}");
        assert!(a.body.contains("Chưa lưu gì"));
        assert!(
            a.body.contains("enctype=\"multipart/form-data\""),
            "biểu mẫu hiện lại"
        );
    }
    // Nothing sent at all.
    let (kind, body) = multipart(&[("csrf", &owner.csrf), ("van_ban", "  ")], None);
    let req = Request::post("/nhap-ke-hoach")
        .header(header::COOKIE, &owner.cookie)
        .header(header::CONTENT_TYPE, kind)
        .body(Body::from(body))
        .unwrap();
    let a = w.send(req).await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", a.body);
    assert!(
        a.body
            .contains("chưa chọn tệp văn bản hay dán nội dung kế hoạch")
    );
    assert_eq!(w.footprint().await, before);

    // A draft that does not make a valid plan is not stored: the faults are
    // said with their place, the corrections stay on the page.
    let a = w
        .form(
            &owner,
            &draft_path,
            &[
                ("nv0_ref", "IV.1.1"),
                ("nv0_chu_tri", ""),
                ("ngay", "31/02/2025"),
                ("action", "confirm"),
            ],
        )
        .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", a.body);
    assert!(
        a.body.contains("ngày 31/02/2025 không có trong lịch"),
        "{}",
        a.body
    );
    let a = w
        .form(
            &owner,
            &draft_path,
            &[
                ("nv0_ref", "IV.1.1"),
                ("nv0_chu_tri", ""),
                ("action", "confirm"),
            ],
        )
        .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", a.body);
    assert!(
        a.body.contains("nhiệm vụ IV.1.1: không có đơn vị chủ trì"),
        "{}",
        a.body
    );
    assert!(
        a.body.contains("Xác nhận và tạo kế hoạch"),
        "trang còn sửa được"
    );
    // A choice of a unit that is not in the directory.
    let a = w
        .form(
            &owner,
            &draft_path,
            &[("dv0_ten", "Huyện đoàn"), ("dv0", "la:Đơn vị không có")],
        )
        .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", a.body);
    assert!(
        a.body
            .contains("«Đơn vị không có» không có trong danh mục đơn vị")
    );
    assert_eq!(w.footprint().await, before);

    // What the reader saw stays escaped: markup in a document is text.
    let text = String::from_utf8(document())
        .unwrap()
        .replace("biên soạn tài liệu", "biên soạn <i>tài liệu</i>");
    let a = w
        .api(
            &owner,
            Method::POST,
            "/api/imports",
            json!({"file_name": "co-the.txt", "text": text}),
        )
        .await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.body);
    let page = w
        .get(&owner, &format!("/nhap-ke-hoach/{}", a.json()["id"]))
        .await;
    assert!(
        page.body
            .contains("biên soạn &#60;i&#62;tài liệu&#60;/i&#62;")
    );
    assert!(!page.body.contains("<i>tài liệu</i>"));
}

async fn the_api_reads_corrects_and_confirms(w: World) {
    let admin = w.login("quantri").await;
    let text = String::from_utf8(document()).unwrap();
    let a = w
        .api(
            &admin,
            Method::POST,
            "/api/imports",
            json!({"file_name": "huyen-uy.txt", "text": text}),
        )
        .await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.body);
    let created = a.json();
    let id = created["id"].as_i64().unwrap();
    assert_eq!(created["draft"]["number"], NUMBER);
    assert_eq!(
        created["draft"]["proposed_units"].as_array().unwrap().len(),
        13
    );
    assert!(created["summary"].as_str().unwrap().contains("17 nhiệm vụ"));
    let source = created["sources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["ref"] == "IV.1.2")
        .expect("dòng nguồn của IV.1.2");
    assert!(source["lines"].as_array().unwrap().contains(&json!(57)));

    // The same read from a file sent as multipart.
    let (kind, body) = multipart(&[], Some(("huyen-uy.txt", &document())));
    let req = Request::post("/api/imports")
        .header(header::COOKIE, &admin.cookie)
        .header("x-csrf-token", &admin.csrf)
        .header(header::CONTENT_TYPE, kind)
        .body(Body::from(body))
        .unwrap();
    let a = w.send(req).await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.body);
    assert_eq!(a.json()["draft"]["number"], NUMBER);

    let got = w.get(&admin, &format!("/api/imports/{id}")).await;
    assert_eq!(got.status, StatusCode::OK, "{}", got.body);
    let got = got.json();
    assert_eq!(got["status"], "open");
    assert_eq!(
        got["lines"][56],
        "Thời gian thực hiện: Hoàn thành trước ngày 28/02/2025."
    );

    // A correction through the API, then the confirmation with choices.
    let mut draft = got["draft"].clone();
    draft["tasks"][0]["text"] = json!("Nội dung sửa qua API.");
    let a = w
        .api(
            &admin,
            Method::PUT,
            &format!("/api/imports/{id}"),
            json!({"draft": draft, "version": got["version"]}),
        )
        .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    assert_eq!(a.json()["changed"], true);

    let bad = w
        .api(
            &admin,
            Method::POST,
            &format!("/api/imports/{id}/confirm"),
            json!({"choices": {"Huyện đoàn": {"same_as": "Không có đơn vị này"}}}),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    assert!(
        bad.json()["error"]
            .as_str()
            .unwrap()
            .contains("không có trong danh mục")
    );

    let a = w
        .api(
            &admin,
            Method::POST,
            &format!("/api/imports/{id}/confirm"),
            json!({"choices": {
                "Huyện đoàn": {"same_as": "Tỉnh Đoàn thanh niên"},
                "Hội Nông dân huyện": "new",
            }}),
        )
        .await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.body);
    let done = a.json();
    assert_eq!(done["number"], NUMBER);
    assert_eq!(done["tasks"], 17);
    let plan = w.get(&admin, "/api/plan/112-KH%2FHU").await.json();
    assert_eq!(task(&plan, "IV.1.1")["text"], "Nội dung sửa qua API.");

    // Confirmed once only.
    let again = w
        .api(
            &admin,
            Method::POST,
            &format!("/api/imports/{id}/confirm"),
            json!({}),
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.body);
    assert!(
        again.json()["error"]
            .as_str()
            .unwrap()
            .contains("đã được xác nhận")
    );
    let got = w.get(&admin, &format!("/api/imports/{id}")).await.json();
    assert_eq!(got["status"], "stored");
    assert_eq!(got["plan_number"], NUMBER);
}

async fn the_first_plan_of_an_empty_database(w: World) {
    let owner = w.login("chutri").await;
    let officer = w.login("canbo").await;
    // No plan yet: the owner is sent to read one in; others are told.
    let a = w.get(&owner, "/ke-hoach").await;
    assert_eq!(a.status, StatusCode::SEE_OTHER);
    assert_eq!(a.location(), "/nhap-ke-hoach");
    let a = w.get(&officer, "/ke-hoach").await;
    assert_eq!(a.status, StatusCode::NOT_FOUND, "{}", a.body);
    assert!(a.body.contains("chưa có kế hoạch nào"));

    let text = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../plans/390-KH-TU.md"
    ))
    .expect("đọc plans/390-KH-TU.md");
    let a = w.upload(&owner, None, ("390-KH-TU.md", &text)).await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
    let path = a.location().to_string();
    let page = w.get(&owner, &path).await;
    let p = &page.body;
    assert!(p.contains("value=\"390-KH/TU\""));
    assert!(p.contains("Thời gian thực hiện: <mark>Hoàn thành trong tháng 11/2024.</mark>"));
    assert!(
        p.contains("Văn phòng Tỉnh uỷ — <span class=\"name-note\">khớp: Văn phòng Tỉnh uỷ</span>")
    );
    // 29 names, one known; with no directory to say the Front and the
    // political-social organisations are one group, they are two bodies.
    assert!(
        p.contains("Đơn vị chưa có trong danh mục (28)"),
        "29 tên, 1 đã có"
    );
    assert!(p.contains("62 nhiệm vụ"));

    let a = w
        .form(
            &owner,
            &path,
            &[("version", &version_of(p)), ("action", "confirm")],
        )
        .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
    assert_eq!(
        a.location(),
        "/ke-hoach?ke-hoach=390-KH%2FTU&ket-qua=da-tao"
    );
    let plan = w.get(&officer, "/api/plan").await;
    assert_eq!(plan.status, StatusCode::OK, "{}", plan.body);
    let plan = plan.json();
    assert_eq!(plan["number"], "390-KH/TU");
    assert_eq!(plan["tasks"].as_array().unwrap().len(), 62);
    assert_eq!(w.get(&officer, "/ke-hoach").await.status, StatusCode::OK);
}
