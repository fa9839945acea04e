//! Access decided per plan: who reviews a plan's reports (the owners of
//! the issuing body, not those of a body above or below it), and which
//! units a leader reads (their own subtree, and every unit a plan of their
//! body reaches, so that a document they may download never names a unit
//! they cannot open). Two plans side by side, on both backends.

#[macro_use]
mod common;

use axum::http::{Method, StatusCode};
use common::{Web, add_users, load_reference, named_by_username};
use dondoc_core::plan_file;
use dondoc_store::Store;
use dondoc_store::users::Role;
use jiff::civil::{Date, date};
use serde_json::json;

const PASSWORD: &str = "mật-khẩu-theo-kế-hoạch";
const TODAY: Date = date(2025, 3, 10);
const BAO_LAC: &str = "Huyện uỷ Bảo Lạc";

/// A plan of Huyện uỷ Bảo Lạc: one task and one report of its own.
const DISTRICT_PLAN: &str = r#"{
  "number": "12-KH/HU",
  "issuer": "Huyện uỷ Bảo Lạc",
  "date": "2025-01-02",
  "title": "Kế hoạch tuyên truyền đại hội đảng bộ huyện",
  "tasks": [
    {"ref": "1", "text": "Tuyên truyền trên loa truyền thanh xã.",
     "leads": ["Huyện uỷ Bảo Lạc"], "coordinates": [],
     "deadline_phrase": "trước ngày 28/02/2025",
     "deadline": {"kind": "date", "date": "2025-02-28", "bound": "before"}}
  ],
  "units": [
    {"name": "Tỉnh uỷ Cao Bằng", "kind": "party_committee", "level": "province"},
    {"name": "Huyện uỷ Bảo Lạc", "parent": "Tỉnh uỷ Cao Bằng",
     "kind": "party_committee", "level": "district", "valid_to": "2025-06-30"}
  ],
  "reporting": [
    {"name": "Đợt I", "deadline_phrase": "trước ngày 05/03/2025",
     "deadline": {"kind": "date", "date": "2025-03-05", "bound": "before"},
     "reporters": ["Huyện uỷ Bảo Lạc"], "indicators": []}
  ]
}"#;

const ACCOUNTS: &[(&str, &str, Role)] = &[
    ("chutri", "Ban Tuyên giáo Tỉnh uỷ", Role::Owner),
    ("chutrihuyen", BAO_LAC, Role::Owner),
    ("lanhdao", "Tỉnh uỷ Cao Bằng", Role::Leader),
    ("lanhdaohuyen", BAO_LAC, Role::Leader),
    ("baolac", BAO_LAC, Role::Officer),
];

async fn start(store: Store) -> Web {
    load_reference(&store, "test", TODAY).await;
    let plan = plan_file::read(DISTRICT_PLAN).expect("kế hoạch huyện hợp lệ");
    store
        .load_plan(&plan, "test", TODAY)
        .await
        .expect("nạp kế hoạch huyện");
    add_users(&store, PASSWORD, named_by_username(ACCOUNTS)).await;
    Web::new(store, TODAY, PASSWORD)
}

on_both_backends!(
    start:
    reports_are_reviewed_by_the_issuing_body_only,
    a_leader_reads_every_unit_of_their_bodys_plans,
    a_unit_is_told_of_returns_and_moves_until_it_reads_them,
    late_units_are_listed_by_unit_downloaded_and_reminded,
);

/// The id of a plan's regime named `name`.
async fn regime(w: &Web, plan_number: &str, name: &str) -> i64 {
    let plans = w.store.plans().await.unwrap();
    let plan = plans.iter().find(|p| p.number == plan_number).unwrap();
    let mut conn = w.store.conn().await.unwrap();
    dondoc_store::reports::regimes(&mut conn, plan.plan_id)
        .await
        .unwrap()
        .into_iter()
        .find(|g| g.name == name)
        .unwrap()
        .reporting_id
}

async fn reports_are_reviewed_by_the_issuing_body_only(w: Web) {
    let unit = w.unit(BAO_LAC).await;
    let district = regime(&w, "12-KH/HU", "Đợt I").await;
    let province = regime(&w, "390-KH/TU", "Đợt I").await;
    let officer = w.login("baolac").await;
    for id in [district, province] {
        let uri = format!("/api/reports/{id}/dot/{unit}");
        let a = w
            .api(
                &officer,
                Method::PUT,
                &uri,
                json!({"submit": true, "narrative": "Đã thực hiện."}),
                true,
            )
            .await;
        assert_eq!(a.status, StatusCode::OK, "{uri}: {}", a.text());
    }
    let review = |id: i64| format!("/api/reports/{id}/dot/{unit}/review");
    let accept = json!({"accept": true, "version": 1});

    // The province's owner: the province's plan, not the district's.
    let owner = w.login("chutri").await;
    let a = w
        .api(
            &owner,
            Method::POST,
            &review(district),
            accept.clone(),
            true,
        )
        .await;
    assert_eq!(a.status, StatusCode::FORBIDDEN, "{}", a.text());
    let shown = w
        .get(&owner, &format!("/api/reports/{district}/dot/{unit}"))
        .await
        .json();
    assert_eq!(shown["can_review"], false);

    // The district's owner: the district's plan, not the province's.
    let district_owner = w.login("chutrihuyen").await;
    let a = w
        .api(
            &district_owner,
            Method::POST,
            &review(province),
            accept.clone(),
            true,
        )
        .await;
    assert_eq!(a.status, StatusCode::FORBIDDEN, "{}", a.text());
    let a = w
        .api(
            &district_owner,
            Method::POST,
            &review(district),
            accept.clone(),
            true,
        )
        .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());

    let a = w
        .api(&owner, Method::POST, &review(province), accept, true)
        .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());
}

async fn a_leader_reads_every_unit_of_their_bodys_plans(w: Web) {
    // The UBND tỉnh is no unit under the Tỉnh uỷ, but the Tỉnh uỷ's plan
    // assigns it tasks: the Tỉnh uỷ's leader follows it.
    let ubnd = w.unit("Ủy ban nhân dân tỉnh").await;
    let leader = w.login("lanhdao").await;
    let a = w.get(&leader, &format!("/don-vi/{ubnd}")).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());
    let a = w.get(&leader, "/api/units").await;
    let listed = a.text();
    assert!(listed.contains("Ủy ban nhân dân tỉnh"), "{listed}");

    // A district's leader reads their own subtree, not the province's units.
    let district_leader = w.login("lanhdaohuyen").await;
    let a = w.get(&district_leader, &format!("/don-vi/{ubnd}")).await;
    assert_eq!(a.status, StatusCode::NOT_FOUND);
    let own = w.unit(BAO_LAC).await;
    let a = w.get(&district_leader, &format!("/don-vi/{own}")).await;
    assert_eq!(a.status, StatusCode::OK);
}

async fn a_unit_is_told_of_returns_and_moves_until_it_reads_them(w: Web) {
    let unit = w.unit(BAO_LAC).await;
    let province = regime(&w, "390-KH/TU", "Đợt I").await;
    let officer = w.login("baolac").await;
    let uri = format!("/api/reports/{province}/dot/{unit}");
    let a = w
        .api(
            &officer,
            Method::PUT,
            &uri,
            json!({"submit": true, "narrative": "Đã làm."}),
            true,
        )
        .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());
    let owner = w.login("chutri").await;
    let a = w
        .api(
            &owner,
            Method::POST,
            &format!("{uri}/review"),
            json!({"accept": false, "comment": "Thiếu số liệu tháng 12.", "version": 1}),
            true,
        )
        .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());
    // Bảo Lạc's own congress dated: its deadlines hung on it move.
    w.store
        .set_event(
            "dh-bao-lac",
            Some(date(2025, 5, 14)),
            Some(date(2025, 5, 16)),
            "chutri",
            TODAY,
        )
        .await
        .unwrap();

    let work = w.get(&officer, "/api/my-work").await.json();
    let notices = work["notices"].as_array().unwrap();
    let returned: Vec<_> = notices.iter().filter(|n| n["kind"] == "returned").collect();
    assert_eq!(returned.len(), 1, "{notices:?}");
    let text = returned[0]["text"].as_str().unwrap();
    assert!(
        text.contains("Đợt I") && text.contains("Thiếu số liệu tháng 12."),
        "{text}"
    );
    assert_eq!(
        returned[0]["link"],
        format!("/bao-cao/{province}/dot/{unit}")
    );
    let moved: Vec<_> = notices.iter().filter(|n| n["kind"] == "moved").collect();
    assert!(!moved.is_empty(), "{notices:?}");
    assert!(
        moved
            .iter()
            .all(|n| n["text"].as_str().unwrap().contains("có ngày mới"))
    );
    assert!(notices.iter().all(|n| n["read"] == false));

    let page = w.get(&officer, "/viec-cua-toi").await;
    let unread = notices.len();
    assert!(
        page.text().contains(&format!("{unread} mới")),
        "{}",
        page.text()
    );
    // Another unit is told nothing of it.
    let leader = w.login("lanhdao").await;
    let theirs = w.get(&leader, "/api/my-work").await.json();
    assert!(theirs["notices"].as_array().unwrap().is_empty());

    // Read: none is new any more; they stay listed as read.
    let a = w
        .api(&officer, Method::POST, "/api/my-work/read", json!({}), true)
        .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());
    assert_eq!(a.json()["marked"], unread as i64);
    let work = w.get(&officer, "/api/my-work").await.json();
    let notices = work["notices"].as_array().unwrap();
    assert!(!notices.is_empty() && notices.iter().all(|n| n["read"] == true));
    let page = w.get(&officer, "/viec-cua-toi").await;
    assert!(!page.text().contains(" mới</span>"), "{}", page.text());
}

async fn late_units_are_listed_by_unit_downloaded_and_reminded(w: Web) {
    use calamine::{Reader, Xlsx};
    let unit = w.unit(BAO_LAC).await;
    let monthly = regime(&w, "390-KH/TU", "Hằng tháng").await;
    let plan_id = w.store.plans().await.unwrap()[0].plan_id;
    let owner = w.login("chutri").await;
    let list =
        format!("/bao-cao?ke-hoach={plan_id}&che-do={monthly}&ky=2025-02&trang-thai=chua-nop");
    let page = w.get(&owner, &list).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text());
    let body = page.text();
    // The unit filter lists the plan's reporters in Vietnamese order.
    let filter = &body[body.find("name=\"don-vi\"").unwrap()..];
    let filter = &filter[..filter.find("</select>").unwrap()];
    let (lac, lam) = (
        filter.find("Huyện uỷ Bảo Lạc").unwrap(),
        filter.find("Huyện uỷ Bảo Lâm").unwrap(),
    );
    assert!(lac < lam, "Bảo Lạc trước Bảo Lâm: {filter}");
    assert!(body.contains("Đôn đốc"), "{body}");
    let missing = body.matches("<tr>").count() - 1;
    assert!(missing > 10, "{missing}");

    // The same list as a workbook, row for row.
    let a = w.get(&owner, &format!("{list}&dang=xlsx")).await;
    assert_eq!(a.status, StatusCode::OK);
    assert!(
        a.header(axum::http::header::CONTENT_TYPE)
            .contains("spreadsheetml")
    );
    let mut book = Xlsx::new(std::io::Cursor::new(a.bytes.clone())).unwrap();
    let name = book.sheet_names()[0].clone();
    let range = book.worksheet_range(&name).unwrap();
    assert_eq!(
        range.rows().count(),
        4 + missing,
        "title, as-of, blank, heads, rows"
    );
    assert!(range.rows().any(|r| r[0] == BAO_LAC));

    // By unit: Bảo Lạc alone.
    let one = w.get(&owner, &format!("{list}&don-vi={unit}")).await.text();
    assert_eq!(one.matches("<tr>").count() - 1, 1, "{one}");

    // Reminded: every late unit is told, Bảo Lạc among them.
    let a = w
        .post_form(
            &owner,
            &format!("/bao-cao/don-doc?ke-hoach={plan_id}"),
            &[
                ("csrf", owner.csrf.as_str()),
                ("che-do", &monthly.to_string()),
                ("ky", "2025-02"),
            ],
        )
        .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.text());
    assert!(
        a.location().contains(&format!("da-don-doc={missing}")),
        "{}",
        a.location()
    );
    let officer = w.login("baolac").await;
    let work = w.get(&officer, "/api/my-work").await.json();
    let urged: Vec<_> = work["notices"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["kind"] == "urged")
        .collect();
    assert_eq!(urged.len(), 1, "{work}");
    assert!(
        urged[0]["text"].as_str().unwrap().contains("tháng 02/2025"),
        "{}",
        urged[0]
    );

    // A period not yet overdue is not chased; a district's owner may not.
    let a = w
        .post_form(
            &owner,
            &format!("/bao-cao/don-doc?ke-hoach={plan_id}"),
            &[
                ("csrf", owner.csrf.as_str()),
                ("che-do", &monthly.to_string()),
                ("ky", "2025-03"),
            ],
        )
        .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", a.text());
    assert!(a.text().contains("chưa quá hạn"));
    let district = w.login("chutrihuyen").await;
    let a = w
        .post_form(
            &district,
            &format!("/bao-cao/don-doc?ke-hoach={plan_id}"),
            &[
                ("csrf", district.csrf.as_str()),
                ("che-do", &monthly.to_string()),
                ("ky", "2025-02"),
            ],
        )
        .await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
}
