//! Documents out, through the real router in-process on a fresh database
//! holding the reference plan (Kế hoạch 390-KH/TU) and one account per
//! role: the synthesis report and the tracking workbook downloaded and read
//! back, a unit's calendar feed opened by its secret alone and following an
//! event as it moves, the reminder settings of the unit page, the overview's
//! charts. Each scenario runs on SQLite and, when a server answers, on
//! PostgreSQL.

#[macro_use]
mod common;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use common::{Answer, Web};
use docx_rs::{DocumentChild, TableCellContent, TableChild, TableRowChild};
use dondoc_store::users::Role;
use dondoc_store::{Store, audit};
use jiff::civil::{Date, date};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::ops::Deref;

const PASSWORD: &str = "mat-khau-xuat-tai-lieu";
const TODAY: Date = date(2025, 3, 10);
const PLAN: &str = "390-KH%2FTU";
const BAO_LAC: &str = "Huyện uỷ Bảo Lạc";
const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// username, unit, role.
const USERS: &[(&str, &str, Role)] = &[
    ("quantri", "Văn phòng Tỉnh uỷ", Role::Admin),
    ("chutri", "Ban Tuyên giáo Tỉnh uỷ", Role::Owner),
    ("lanhdao", "Tỉnh uỷ Cao Bằng", Role::Leader),
    ("baolac", BAO_LAC, Role::Officer),
    ("baocaobang", "Báo Cao Bằng", Role::Officer),
];

// ---------------------------------------------------------------------------
// The world, on either backend

/// The service on the reference plan, its clock at `TODAY`.
struct World(Web);

impl Deref for World {
    type Target = Web;

    fn deref(&self) -> &Web {
        &self.0
    }
}

async fn populate(store: Store) -> World {
    common::load_reference(&store, "test", TODAY).await;
    common::add_users(&store, PASSWORD, common::named_by_username(USERS)).await;
    World(Web::new(store, TODAY, PASSWORD))
}

on_both_backends!(
    the_owner_downloads_the_report_and_the_workbook,
    officers_get_no_documents_and_an_unknown_phase_is_named,
    the_calendar_feed_opens_by_its_secret_and_follows_the_event,
    reminders_are_set_from_the_unit_page,
    the_overview_draws_its_charts,
);

impl World {
    async fn audit_count(&self) -> i64 {
        let mut conn = self.store.conn().await.unwrap();
        audit::count(&mut conn, None).await.unwrap()
    }
}

/// The text of a Word document's body as docx-rs reads it back: one line
/// per paragraph, table cells included.
fn docx_text(bytes: &[u8]) -> String {
    fn table(t: &docx_rs::Table, out: &mut String) {
        for TableChild::TableRow(row) in &t.rows {
            for TableRowChild::TableCell(cell) in &row.cells {
                for content in &cell.children {
                    match content {
                        TableCellContent::Paragraph(p) => {
                            out.push_str(&p.raw_text());
                            out.push('\n');
                        }
                        TableCellContent::Table(t) => table(t, out),
                        _ => {}
                    }
                }
            }
        }
    }
    let docx = docx_rs::read_docx(bytes).expect("docx-rs đọc lại được tệp");
    let mut out = String::new();
    for child in &docx.document.children {
        match child {
            DocumentChild::Paragraph(p) => {
                out.push_str(&p.raw_text());
                out.push('\n');
            }
            DocumentChild::Table(t) => table(t, &mut out),
            _ => {}
        }
    }
    out
}

/// A download: its type, and a name that is ASCII, ends as it should, and
/// is given both ways.
fn assert_download(a: &Answer, kind: &str, ext: &str) -> String {
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());
    assert_eq!(a.header(header::CONTENT_TYPE), kind);
    let d = a.header(header::CONTENT_DISPOSITION);
    let name = d
        .strip_prefix("attachment; filename=\"")
        .and_then(|r| r.split('"').next())
        .unwrap_or_else(|| panic!("Content-Disposition: {d}"));
    assert!(
        name.is_ascii() && name.ends_with(ext) && !name.contains(' '),
        "{name}"
    );
    assert_eq!(
        d,
        format!("attachment; filename=\"{name}\"; filename*=UTF-8''{name}")
    );
    name.to_string()
}

// ---------------------------------------------------------------------------
// Scenarios

async fn the_owner_downloads_the_report_and_the_workbook(w: World) {
    let owner = w.login("chutri").await;

    // The way there: the overview links to the plan page's downloads, whose
    // form offers every phase and the whole plan.
    let overview = w.get(&owner, "/").await.text();
    let plan_id = w.store.plans().await.unwrap()[0].plan_id;
    assert!(
        overview.contains(&format!(
            "href=\"/ke-hoach?ke-hoach={plan_id}#xuat-tai-lieu\""
        )),
        "{overview}"
    );
    let plan = w.get(&owner, "/ke-hoach").await.text();
    assert!(plan.contains("<h2 id=\"xuat-tai-lieu-tieu-de\">Xuất tài liệu</h2>"));
    assert!(plan.contains("action=\"/xuat/bao-cao-tong-hop\""));
    assert!(plan.contains("<option value=\"\">Toàn bộ kế hoạch</option>"));
    for phase in ["Đợt I", "Đợt II", "Đợt III", "Đợt IV", "Đợt V"] {
        assert!(
            plan.contains(&format!("<option value=\"{phase}\">{phase}</option>")),
            "{phase}"
        );
    }
    let office = dondoc_export::pdf::office().is_some();
    assert_eq!(plan.contains("<option value=\"pdf\">"), office);
    assert!(plan.contains(&format!("href=\"/xuat/theo-doi?ke-hoach={plan_id}\"")));

    // The whole plan's report, in Word.
    let a = w
        .get(
            &owner,
            &format!("/xuat/bao-cao-tong-hop?so={PLAN}&dot=&dang=docx"),
        )
        .await;
    let name = assert_download(&a, DOCX, ".docx");
    assert!(name.starts_with("bao-cao-ket-qua-KH-390-KH-TU"), "{name}");
    assert!(name.ends_with("-2025-03-10.docx"), "{name}");
    assert!(a.bytes.starts_with(b"PK"));
    let text = docx_text(&a.bytes);
    assert!(text.contains("BÁO CÁO"), "{text}");
    assert!(text.contains("Ban Tuyên giáo Tỉnh uỷ"), "{text}");
    assert!(text.contains("Kế hoạch số 390-KH/TU"), "{text}");

    // One phase, named as the plan names it or by its number alone.
    let a = w
        .get(
            &owner,
            &format!("/xuat/bao-cao-tong-hop?so={PLAN}&dot=%C4%90%E1%BB%A3t%20I"),
        )
        .await;
    let name = assert_download(&a, DOCX, ".docx");
    assert!(name.contains("dot-I-"), "{name}");
    assert!(docx_text(&a.bytes).contains("Đợt I"));
    let api = w
        .get(&owner, &format!("/api/exports/synthesis?so={PLAN}&dot=I"))
        .await;
    assert_eq!(assert_download(&api, DOCX, ".docx"), name);
    assert!(api.bytes.starts_with(b"PK"));

    // The workbook, from the page and the API.
    let a = w.get(&owner, &format!("/xuat/theo-doi?so={PLAN}")).await;
    let name = assert_download(&a, XLSX, ".xlsx");
    assert_eq!(name, "theo-doi-KH-390-KH-TU-2025-03-10.xlsx");
    assert!(a.bytes.starts_with(b"PK") && a.bytes.len() > 1000);
    let api = w.get(&owner, "/api/exports/tracking").await;
    assert_eq!(assert_download(&api, XLSX, ".xlsx"), name);
    assert!(api.bytes.starts_with(b"PK"));

    // A PDF where LibreOffice is installed; otherwise a refusal that says
    // to take the Word file.
    let a = w
        .get(
            &owner,
            &format!("/xuat/bao-cao-tong-hop?so={PLAN}&dot=II&dang=pdf"),
        )
        .await;
    if office {
        let name = assert_download(&a, "application/pdf", ".pdf");
        assert!(name.contains("dot-II-"), "{name}");
        assert!(a.bytes.starts_with(b"%PDF"));
    } else {
        assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(a.text().contains("LibreOffice"), "{}", a.text());
    }
}

async fn officers_get_no_documents_and_an_unknown_phase_is_named(w: World) {
    let officer = w.login("baolac").await;
    for path in [
        format!("/xuat/bao-cao-tong-hop?so={PLAN}"),
        format!("/xuat/theo-doi?so={PLAN}"),
        "/api/exports/synthesis".to_string(),
        "/api/exports/tracking".to_string(),
    ] {
        let a = w.get(&officer, &path).await;
        assert_eq!(a.status, StatusCode::FORBIDDEN, "{path}");
        assert!(a.text().contains("không có quyền"), "{path}: {}", a.text());
        assert!(!a.bytes.starts_with(b"PK"));
    }
    // Nor the way to them.
    let plan = w.get(&officer, "/ke-hoach").await.text();
    assert!(!plan.contains("xuat-tai-lieu"));
    let overview = w.get(&officer, "/").await.text();
    assert!(!overview.contains("#xuat-tai-lieu"));

    // The leader of the issuing body reads the plan's documents.
    let leader = w.login("lanhdao").await;
    let a = w.get(&leader, &format!("/xuat/theo-doi?so={PLAN}")).await;
    assert_download(&a, XLSX, ".xlsx");

    // A phase the plan does not have: the store's words, with the phases it has.
    let owner = w.login("chutri").await;
    let a = w
        .get(
            &owner,
            &format!("/xuat/bao-cao-tong-hop?so={PLAN}&dot=%C4%90%E1%BB%A3t%20IX"),
        )
        .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    let page = a.text();
    assert!(
        page.contains("kế hoạch số 390-KH/TU không có đợt «Đợt IX»"),
        "{page}"
    );
    assert!(
        page.contains("Đợt I, Đợt II, Đợt III, Đợt IV, Đợt V"),
        "{page}"
    );
    let a = w
        .get(&owner, &format!("/api/exports/synthesis?so={PLAN}&dot=IX"))
        .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(a.header(header::CONTENT_TYPE), "application/json");
    let error = a.json()["error"].as_str().unwrap().to_string();
    assert!(error.contains("không có đợt «IX»"), "{error}");
    // A format there is not, and a plan there is not.
    let a = w
        .get(
            &owner,
            &format!("/xuat/bao-cao-tong-hop?so={PLAN}&dang=odt"),
        )
        .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(a.text().contains("không có định dạng «odt»"));
    let a = w.get(&owner, "/xuat/theo-doi?so=1-KH%2FXX").await;
    assert_eq!(a.status, StatusCode::NOT_FOUND);
}

/// The VEVENTs of a feed, unfolded: UID → (DTSTART, SEQUENCE).
fn vevents(ics: &str) -> BTreeMap<String, (String, u32)> {
    let mut lines: Vec<String> = Vec::new();
    for line in ics.split("\r\n") {
        match line.strip_prefix(' ') {
            Some(more) => lines.last_mut().expect("dòng gấp").push_str(more),
            None => lines.push(line.to_string()),
        }
    }
    let mut out = BTreeMap::new();
    let (mut uid, mut start, mut seq) = (String::new(), String::new(), 0);
    for line in lines {
        if let Some(v) = line.strip_prefix("UID:") {
            uid = v.to_string();
        } else if let Some(v) = line.strip_prefix("DTSTART;VALUE=DATE:") {
            start = v.to_string();
        } else if let Some(v) = line.strip_prefix("SEQUENCE:") {
            seq = v.parse().expect("SEQUENCE là số");
        } else if line == "END:VEVENT" {
            out.insert(std::mem::take(&mut uid), (std::mem::take(&mut start), seq));
        }
    }
    out
}

async fn the_calendar_feed_opens_by_its_secret_and_follows_the_event(w: World) {
    let bao_lac = w.unit(BAO_LAC).await;
    let officer = w.login("baolac").await;
    let req = Request::get(format!("/don-vi/{bao_lac}"))
        .header(header::COOKIE, &officer.cookie)
        .header(header::HOST, "dondoc.caobang.gov.vn")
        .body(Body::empty())
        .unwrap();
    let page = w.send(req).await.text();
    assert!(page.contains("Lịch của đơn vị"), "{page}");
    assert!(page.contains("chưa có địa chỉ đăng ký lịch"), "{page}");
    assert!(page.contains(&format!(
        "href=\"/don-vi/{bao_lac}/lich.ics\" download=\"lich-"
    )));
    // Made on the officer's asking, shown this once with the public host.
    let req = Request::post(format!("/don-vi/{bao_lac}/lich"))
        .header(header::COOKIE, &officer.cookie)
        .header(header::HOST, "dondoc.caobang.gov.vn")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(format!("csrf={}", officer.csrf)))
        .unwrap();
    let made = w.send(req).await.text();
    let start = made
        .find("value=\"https://dondoc.caobang.gov.vn/lich/don-vi/")
        .expect("the new address");
    let url = &made[start + 7..];
    let url = &url[..url.find('"').unwrap()];
    let path = url
        .strip_prefix("https://dondoc.caobang.gov.vn")
        .unwrap()
        .to_string();
    let token = path
        .strip_prefix("/lich/don-vi/")
        .and_then(|p| p.strip_suffix(".ics"))
        .unwrap()
        .to_string();
    assert!(made.contains("Địa chỉ lịch là bí mật"));
    // Not shown again.
    let page = w.get(&officer, &format!("/don-vi/{bao_lac}")).await.text();
    assert!(!page.contains(&path), "shown once");
    assert!(page.contains("Đơn vị đã có địa chỉ đăng ký lịch"));
    // Through the API: whether there is one, for its readers; another unit
    // gets nothing.
    let api = w
        .get(&officer, &format!("/api/units/{bao_lac}/calendar"))
        .await;
    assert!(api.json()["made_at"].is_string(), "{}", api.text());
    let other = w.login("baocaobang").await;
    let a = w
        .get(&other, &format!("/api/units/{bao_lac}/calendar"))
        .await;
    // What another unit may not read is not there for them.
    assert_eq!(a.status, StatusCode::NOT_FOUND);
    // The signed-in reader's file is the same calendar.
    let file = w
        .get(&officer, &format!("/don-vi/{bao_lac}/lich.ics"))
        .await;
    assert!(
        file.text().starts_with("BEGIN:VCALENDAR"),
        "{}",
        file.text()
    );

    // The feed needs no session.
    let a = w.get_anonymous(&path).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());
    assert_eq!(
        a.header(header::CONTENT_TYPE),
        "text/calendar; charset=utf-8"
    );
    let ics = a.text();
    assert!(ics.starts_with("BEGIN:VCALENDAR\r\n"), "{ics}");
    assert!(ics.contains("X-WR-CALNAME:dondoc — Huyện uỷ Bảo Lạc"));
    let before = vevents(&ics);
    assert!(!before.is_empty(), "{ics}");
    assert!(
        before.keys().any(|u| u.starts_with("assignment-")),
        "{before:?}"
    );
    // The district's own congress has no date yet: not in the calendar.
    // (The provincial one falls after the district committees ended on
    // 30/06/2025: no deadline of theirs hangs on it.)
    assert!(
        !before.contains_key("event-dh-bao-lac@dondoc"),
        "{before:?}"
    );

    // Dated, then moved a week: the event and the deadlines hung on it
    // come back under the same UIDs, on the new days, with higher SEQUENCEs.
    w.store
        .set_event(
            "dh-bao-lac",
            Some(date(2025, 5, 14)),
            Some(date(2025, 5, 16)),
            "test",
            TODAY,
        )
        .await
        .unwrap();
    let dated = vevents(&w.get_anonymous(&path).await.text());
    let (start, seq) = dated
        .get("event-dh-bao-lac@dondoc")
        .expect("đại hội có ngày")
        .clone();
    assert_eq!(start, "20250514");
    w.store
        .set_event(
            "dh-bao-lac",
            Some(date(2025, 5, 21)),
            Some(date(2025, 5, 23)),
            "test",
            TODAY,
        )
        .await
        .unwrap();
    let moved = vevents(&w.get_anonymous(&path).await.text());
    let (new_start, new_seq) = moved
        .get("event-dh-bao-lac@dondoc")
        .expect("đại hội")
        .clone();
    assert_eq!(new_start, "20250521");
    assert!(new_seq > seq, "SEQUENCE {seq} → {new_seq}");
    let mut deadlines_moved = 0;
    for (uid, (start, seq)) in &dated {
        let (new_start, new_seq) = moved.get(uid).unwrap_or_else(|| panic!("{uid} mất"));
        if new_start != start {
            assert!(new_seq > seq, "{uid}: SEQUENCE {seq} → {new_seq}");
            deadlines_moved += usize::from(uid.starts_with("assignment-"));
        } else {
            assert_eq!(new_seq, seq, "{uid}: không dời mà SEQUENCE đổi");
        }
    }
    assert!(deadlines_moved > 0, "{dated:?}\n{moved:?}");

    // Anything but a known token is a page that does not exist.
    for wrong in [
        format!("/lich/don-vi/{}.ics", "0".repeat(64)),
        format!("/lich/don-vi/{}.ics", &token[..63]),
        format!("/lich/don-vi/{token}"),
        format!("/lich/don-vi/{token}.txt"),
        "/lich/don-vi/..%2F..%2Fetc.ics".to_string(),
    ] {
        let a = w.get_anonymous(&wrong).await;
        assert_eq!(a.status, StatusCode::NOT_FOUND, "{wrong}");
        assert!(!a.text().contains("BEGIN:VCALENDAR"));
    }
}

async fn reminders_are_set_from_the_unit_page(w: World) {
    let bao_lac = w.unit(BAO_LAC).await;
    let unit_path = format!("/don-vi/{bao_lac}");
    let form_path = format!("/don-vi/{bao_lac}/nhac-viec");
    let officer = w.login("baolac").await;

    let page = w.get(&officer, &unit_path).await.text();
    assert!(page.contains(&format!("action=\"{form_path}\"")), "{page}");
    assert!(
        page.contains("name=\"enabled\" value=\"1\" checked"),
        "{page}"
    );
    assert!(page.contains("Nhận thư nhắc việc hằng ngày"));

    // An address, and the switch off (an unticked box sends nothing).
    let audit_before = w.audit_count().await;
    let a = w
        .post_form(
            &officer,
            &form_path,
            &[
                ("csrf", &officer.csrf),
                ("email", " vanphong@baolac.gov.vn "),
            ],
        )
        .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.text());
    assert_eq!(
        a.header(header::LOCATION),
        format!("{unit_path}?nhac-viec=da-luu#nhac-viec")
    );
    let c = w.store.contact(bao_lac).await.unwrap();
    assert_eq!(c.email.as_deref(), Some("vanphong@baolac.gov.vn"));
    assert!(!c.reminders_enabled);
    assert_eq!(w.audit_count().await, audit_before + 2);
    let trail = w.store.audit(2).await.unwrap();
    let actions: Vec<(&str, &str, &str)> = trail
        .iter()
        .map(|e| (e.actor.as_str(), e.action.as_str(), e.entity_id.as_str()))
        .collect();
    let id = bao_lac.to_string();
    assert_eq!(
        actions,
        [
            ("baolac", "unit.reminders", id.as_str()),
            ("baolac", "unit.contact", id.as_str()),
        ]
    );
    let page = w
        .get(&officer, &format!("{unit_path}?nhac-viec=da-luu"))
        .await
        .text();
    assert!(page.contains("Đã lưu cài đặt nhắc việc."));
    assert!(page.contains("value=\"vanphong@baolac.gov.vn\""));
    assert!(page.contains("name=\"enabled\" value=\"1\">"), "{page}");

    // On again, the address unchanged: one change, one audit entry.
    let a = w
        .post_form(
            &officer,
            &form_path,
            &[
                ("csrf", &officer.csrf),
                ("email", "vanphong@baolac.gov.vn"),
                ("enabled", "1"),
            ],
        )
        .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER);
    assert!(w.store.contact(bao_lac).await.unwrap().reminders_enabled);
    assert_eq!(w.audit_count().await, audit_before + 3);
    let last = &w.store.audit(1).await.unwrap()[0];
    assert_eq!(last.action, "unit.reminders");
    assert!(last.after.as_deref().unwrap().contains("true"), "{last:?}");

    // Refused, and nothing changed: a forged form, a bad address, another
    // unit's officer, a leader.
    let stored = w.store.contact(bao_lac).await.unwrap();
    let count = w.audit_count().await;
    let a = w
        .post_form(
            &officer,
            &form_path,
            &[("csrf", "gia-mao"), ("email", "ke-gian@example.com")],
        )
        .await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
    assert!(a.text().contains("mã chống giả mạo"), "{}", a.text());
    let a = w
        .post_form(
            &officer,
            &form_path,
            &[
                ("csrf", &officer.csrf),
                ("email", "vanphong@"),
                ("enabled", "1"),
            ],
        )
        .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    let page = a.text();
    assert!(
        page.contains("địa chỉ thư «vanphong@» không hợp lệ"),
        "{page}"
    );
    assert!(page.contains("value=\"vanphong@\""), "{page}");
    let other = w.login("baocaobang").await;
    let a = w
        .post_form(
            &other,
            &form_path,
            &[("csrf", &other.csrf), ("email", "x@baocaobang.vn")],
        )
        .await;
    // Another unit's page is not there for them, let alone its settings.
    assert_eq!(a.status, StatusCode::NOT_FOUND);
    assert!(a.text().contains("không tìm thấy"));
    let leader = w.login("lanhdao").await;
    let a = w
        .post_form(
            &leader,
            &form_path,
            &[("csrf", &leader.csrf), ("email", "x@tinhuy.vn")],
        )
        .await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
    // The leader reads the setting, without a form.
    let page = w.get(&leader, &unit_path).await.text();
    assert!(page.contains("vanphong@baolac.gov.vn"));
    assert!(!page.contains(&format!("action=\"{form_path}\"")));
    assert!(page.contains("đang bật"));
    assert_eq!(w.store.contact(bao_lac).await.unwrap(), stored);
    assert_eq!(w.audit_count().await, count);

    // The API: the plan owner removes the address, with the CSRF header only.
    let owner = w.login("chutri").await;
    let api = format!("/api/units/{bao_lac}/reminders");
    let body = json!({"email": null, "enabled": true});
    let a = w.api(&owner, Method::PUT, &api, body.clone(), false).await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
    let a = w.api(&owner, Method::PUT, &api, body, true).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());
    assert_eq!(a.json()["email"], Value::Null);
    assert_eq!(a.json()["reminders_enabled"], true);
    let last = &w.store.audit(1).await.unwrap()[0];
    assert_eq!(
        (last.actor.as_str(), last.action.as_str()),
        ("chutri", "unit.contact")
    );
    let a = w.get(&officer, &api).await;
    assert_eq!(a.json()["email"], Value::Null);
}

async fn the_overview_draws_its_charts(w: World) {
    let owner = w.login("chutri").await;
    let page = w.get(&owner, "/").await.text();
    let svgs: Vec<&str> = page.split("<svg").skip(1).collect();
    assert_eq!(svgs.len(), 3, "{page}");
    for svg in &svgs {
        let tag = &svg[..svg.find('>').unwrap()];
        assert!(tag.contains("role=\"img\""), "{tag}");
    }
    // Under headings with a line saying what they show, the SVG not escaped.
    for heading in [
        "Tiến độ theo các đợt",
        "Tỷ lệ gửi báo cáo theo cấp",
        "Số liệu kết quả theo đợt",
    ] {
        assert!(page.contains(&format!("<h3>{heading}</h3>")), "{heading}");
    }
    assert!(!page.contains("&lt;svg"));
    let plan_id = w.store.plans().await.unwrap()[0].plan_id;
    assert!(page.contains(&format!("href=\"/bieu-do/tien-do.svg?ke-hoach={plan_id}\"")));

    // Each chart alone, to link or print.
    for name in ["tien-do", "ty-le-bao-cao", "so-lieu"] {
        let a = w
            .get(&owner, &format!("/bieu-do/{name}.svg?so={PLAN}"))
            .await;
        assert_eq!(a.status, StatusCode::OK, "{name}");
        assert_eq!(
            a.header(header::CONTENT_TYPE),
            "image/svg+xml; charset=utf-8"
        );
        assert!(
            a.text()
                .starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\"")
        );
    }
    assert_eq!(
        w.get(&owner, "/bieu-do/khac.svg").await.status,
        StatusCode::NOT_FOUND
    );

    // An officer's overview: the plan's timeline only (the other charts
    // hold every unit's reports).
    let officer = w.login("baolac").await;
    let page = w.get(&officer, "/").await.text();
    assert_eq!(page.matches("<svg").count(), 1, "{page}");
    assert!(page.contains("<h3>Tiến độ theo các đợt</h3>"));

    // The unit page draws the unit's own deadlines over the phases.
    let bao_lac = w.unit(BAO_LAC).await;
    let page = w.get(&officer, &format!("/don-vi/{bao_lac}")).await.text();
    assert!(page.contains("Thời hạn của đơn vị theo các đợt"), "{page}");
    assert_eq!(page.matches("<svg").count(), 1);
    assert!(page.contains("role=\"img\""));

    // Charts are kept between views, but a report sent shows at once.
    let chart = format!("/bieu-do/ty-le-bao-cao.svg?so={PLAN}");
    let before = w.get(&owner, &chart).await.text();
    assert_eq!(w.get(&owner, &chart).await.text(), before);
    let regime = {
        let mut conn = w.store.conn().await.unwrap();
        let (plan_id, _) = dondoc_store::plans::choose(&mut conn, None).await.unwrap();
        dondoc_store::reports::regimes(&mut conn, plan_id)
            .await
            .unwrap()
            .into_iter()
            .find(|g| g.name == "Đợt I")
            .unwrap()
            .reporting_id
    };
    let sent = w
        .api(
            &officer,
            Method::PUT,
            &format!("/api/reports/{regime}/dot/{bao_lac}"),
            json!({"figures": {"hoi_nghi": 3}, "submit": true}),
            true,
        )
        .await;
    assert!(sent.status.is_success(), "{}", sent.text());
    let after = w.get(&owner, &chart).await.text();
    assert_ne!(
        after, before,
        "biểu đồ tỷ lệ báo cáo phải vẽ lại sau khi có báo cáo mới"
    );
}
