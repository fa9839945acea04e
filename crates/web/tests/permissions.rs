//! Who may do what, route by route.
//!
//! Every (method, path) the service registers is walked for every role —
//! anonymous, quản trị, chủ trì kế hoạch, lãnh đạo (at the root unit), the
//! cán bộ of Huyện uỷ Bảo Lạc, and a cán bộ of Báo Cao Bằng acting on Bảo
//! Lạc's things — through the real router, on a fresh SQLite file holding the
//! reference plan (390-KH/TU), with real ids and valid bodies and CSRF
//! tokens, so that a refusal can only come from the permission check and an
//! "allowed" really reaches the handler's logic. `crates/web/src/access.rs`
//! is the rule book; the table below is its translation, route by route.
//!
//! The routes are read from the source at run time: a route added without a
//! line in the table fails `every_registered_route_has_an_entry`, and so
//! does a line whose route no longer exists.

mod common;

use axum::Router;
use axum::body::{Body as HttpBody, to_bytes};
use axum::http::{Method, Request, StatusCode, header};
use common::{Client, encode};
use dondoc_store::reports::{self, ReportKey};
use dondoc_store::users::{self, NewUser, Role};
use dondoc_store::{Store, assignments, plans, units};
use dondoc_web::{AppState, Clock};
use jiff::civil::{Date, date};
use serde_json::{Value, json};
use std::collections::BTreeSet;
use std::sync::Mutex;
use tower::ServiceExt;

const PASSWORD: &str = "mật-khẩu-phân-quyền-2025";
const TODAY: Date = date(2025, 3, 10);
const BAO_LAC: &str = "Huyện uỷ Bảo Lạc";
const MONTHLY: &str = "Hằng tháng";
const PERIOD: &str = "2025-03";
const EVENT: &str = "dh-xx";

// ---------------------------------------------------------------------------
// The roles

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Who {
    Anonymous,
    /// quản trị, Văn phòng Tỉnh uỷ.
    Admin,
    /// chủ trì kế hoạch, Ban Tuyên giáo Tỉnh uỷ.
    Owner,
    /// lãnh đạo, Tỉnh uỷ Cao Bằng (the root: reads everything).
    Leader,
    /// cán bộ of Huyện uỷ Bảo Lạc, whose things every path below names.
    Officer,
    /// cán bộ of Báo Cao Bằng, acting on Bảo Lạc's things.
    OtherOfficer,
}

use Who::*;

const ROLES: [Who; 6] = [Anonymous, Admin, Owner, Leader, Officer, OtherOfficer];

impl Who {
    /// username, unit, role.
    fn account(self) -> Option<(&'static str, &'static str, Role)> {
        Some(match self {
            Anonymous => return None,
            Admin => ("quantri", "Văn phòng Tỉnh uỷ", Role::Admin),
            Owner => ("chutri", "Ban Tuyên giáo Tỉnh uỷ", Role::Owner),
            Leader => ("lanhdao", "Tỉnh uỷ Cao Bằng", Role::Leader),
            Officer => ("baolac", BAO_LAC, Role::Officer),
            OtherOfficer => ("baocaobang", "Báo Cao Bằng", Role::Officer),
        })
    }

    fn short(self) -> &'static str {
        match self {
            Anonymous => "anon",
            Admin => "admin",
            Owner => "owner",
            Leader => "leader",
            Officer => "officer",
            OtherOfficer => "other",
        }
    }
}

/// Who may: the rule sets of `access.rs`, as seen from Bảo Lạc's things.
const OPEN: &[Who] = &[Anonymous, Admin, Owner, Leader, Officer, OtherOfficer];
const SIGNED_IN: &[Who] = &[Admin, Owner, Leader, Officer, OtherOfficer];
/// `access::read_unit(Bảo Lạc)`.
const READ_BAO_LAC: &[Who] = &[Admin, Owner, Leader, Officer];
/// `access::write_unit(Bảo Lạc)`.
const WRITE_BAO_LAC: &[Who] = &[Admin, Officer];
/// `access::manage_plan`: the calendar and the review of reports.
const MANAGE_PLAN: &[Who] = &[Admin, Owner];
/// `access::administer`.
const ADMIN_ONLY: &[Who] = &[Admin];
/// `access::read_audit`.
const READ_AUDIT: &[Who] = &[Admin, Owner];
/// `access::import_plan`; and `access::read_draft` of the walk's draft,
/// whose author is the plan owner.
const IMPORT: &[Who] = &[Admin, Owner];
/// `access::export_plan` of 390-KH/TU: the leader sits at its issuer,
/// Tỉnh uỷ Cao Bằng.
const EXPORT: &[Who] = &[Admin, Owner, Leader];
/// `access::manage_reminders(Bảo Lạc)`.
const REMINDERS_BAO_LAC: &[Who] = &[Admin, Owner, Officer];

// ---------------------------------------------------------------------------
// The table

/// The ids the concrete paths and bodies use, read fresh before each
/// request (versions move as the walk saves things).
#[derive(Debug, Clone)]
struct Ids {
    /// Huyện uỷ Bảo Lạc.
    unit: i64,
    /// A task assigned to Bảo Lạc, its version, and a file on it.
    asg: i64,
    asg_version: i64,
    asg_file: i64,
    /// The monthly regime; Bảo Lạc's report of 2025-03 (its version) and a
    /// file on it.
    rid: i64,
    report_version: Option<i64>,
    report_file: i64,
    /// A file made for this one request (`Prep::FreshReportFile`).
    fresh_file: Option<i64>,
    /// A draft read from the reference plan's text by the plan owner.
    draft: i64,
    /// The secret of Bảo Lạc's calendar feed.
    token: String,
}

impl Ids {
    /// `$unit`, `$asg`, … in a concrete path, replaced.
    fn fill(&self, path: &str) -> String {
        let fresh = || self.fresh_file.expect("tệp mới chưa tạo").to_string();
        let path = if path.contains("$fresh") {
            path.replace("$fresh", &fresh())
        } else {
            path.to_string()
        };
        path.replace("$unit", &self.unit.to_string())
            .replace("$asg", &self.asg.to_string())
            .replace("$afile", &self.asg_file.to_string())
            .replace("$rid", &self.rid.to_string())
            .replace("$period", PERIOD)
            .replace("$rfile", &self.report_file.to_string())
            .replace("$event", EVENT)
            .replace("$draft", &self.draft.to_string())
            .replace("$token", &self.token)
    }
}

type Fields = fn(&Ids) -> Vec<(&'static str, String)>;

/// What a request carries. The session's CSRF token is added to every
/// write: as the `csrf` field of a page form, as `X-CSRF-Token` under /api/.
#[derive(Clone, Copy)]
enum Body {
    Empty,
    /// `application/x-www-form-urlencoded`.
    Form(Fields),
    Json(fn(&Ids) -> Value),
    /// `multipart/form-data`: these fields and one PDF in field `tep`.
    Multipart(Fields),
    /// The sign-in form, with the double-submit cookie GET /dang-nhap gives.
    SignInForm,
    /// `{"username", "password"}`.
    SignInJson,
}

/// What must be true just before each request.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Prep {
    None,
    /// A new file on Bảo Lạc's report (`$fresh`), for the routes that delete
    /// one: every role gets a file that exists.
    FreshReportFile,
    /// Bảo Lạc's report stands submitted (it is resubmitted after each
    /// review sent it back), so that every reviewer has something to review.
    SubmittedReport,
    /// The request runs on a session of its own, opened for it: signing out
    /// must not end the session the rest of the walk uses. "Allowed" is then
    /// "that session is over".
    ThrowawaySession,
}

struct Entry {
    method: &'static str,
    /// The path as the source registers it.
    route: &'static str,
    /// The path requested, with `$unit`, `$asg`, `$afile`, `$rid`,
    /// `$period`, `$rfile`, `$fresh`, `$event`, `$draft` filled from `Ids`.
    path: &'static str,
    body: Body,
    prep: Prep,
    allowed: &'static [Who],
}

fn entry(
    method: &'static str,
    route: &'static str,
    path: &'static str,
    allowed: &'static [Who],
) -> Entry {
    Entry {
        method,
        route,
        path,
        body: Body::Empty,
        prep: Prep::None,
        allowed,
    }
}

fn get(route: &'static str, path: &'static str, allowed: &'static [Who]) -> Entry {
    entry("GET", route, path, allowed)
}

fn post(route: &'static str, path: &'static str, allowed: &'static [Who]) -> Entry {
    entry("POST", route, path, allowed)
}

fn put(route: &'static str, path: &'static str, allowed: &'static [Who]) -> Entry {
    entry("PUT", route, path, allowed)
}

fn delete(route: &'static str, path: &'static str, allowed: &'static [Who]) -> Entry {
    entry("DELETE", route, path, allowed)
}

impl Entry {
    /// Who may read what the entry names (`guard`'s policy: a resource the
    /// user may not read is "not found", one they read but may not change
    /// is "forbidden"): Bảo Lạc's things are read by `READ_BAO_LAC`, the
    /// walk's draft by those who may import, the rest by everyone signed in.
    fn readers(&self) -> &'static [Who] {
        if ["$unit", "$asg", "$rid"]
            .iter()
            .any(|p| self.path.contains(p))
        {
            READ_BAO_LAC
        } else if self.path.contains("$draft") {
            IMPORT
        } else {
            SIGNED_IN
        }
    }

    /// What `who` should get.
    fn expected(&self, who: Who) -> Verdict {
        if self.allowed.contains(&who) {
            Verdict::Allowed
        } else if who != Anonymous && !self.readers().contains(&who) {
            Verdict::Hidden
        } else {
            Verdict::Refused
        }
    }

    /// Whether the entry changes something (and so carries a CSRF token).
    fn is_write(&self) -> bool {
        self.method != "GET"
    }

    fn body(self, body: Body) -> Entry {
        Entry { body, ..self }
    }

    fn prep(self, prep: Prep) -> Entry {
        Entry { prep, ..self }
    }

    fn is_api(&self) -> bool {
        self.path.starts_with("/api/")
    }
}

// The bodies: valid, so that an allowed request is saved.

fn assignment_form(ids: &Ids) -> Vec<(&'static str, String)> {
    vec![
        ("status", "in_progress".into()),
        ("progress_note", "Đang triển khai tuyên truyền.".into()),
        ("version", ids.asg_version.to_string()),
    ]
}

fn assignment_json(ids: &Ids) -> Value {
    json!({
        "status": "in_progress",
        "progress_note": "Đang triển khai tuyên truyền.",
        "version": ids.asg_version,
    })
}

fn assignment_file(ids: &Ids) -> Vec<(&'static str, String)> {
    vec![("version", ids.asg_version.to_string())]
}

fn quota_json(_: &Ids) -> Value {
    json!({"per_report_mb": 60, "per_unit_mb": 600})
}

/// February's monthly report, overdue on the walk's day.
fn urge_form(ids: &Ids) -> Vec<(&'static str, String)> {
    vec![("che-do", ids.rid.to_string()), ("ky", "2025-02".into())]
}

fn new_event_form(_: &Ids) -> Vec<(&'static str, String)> {
    vec![
        ("ten", "Hội nghị sơ kết công tác tuyên truyền".into()),
        ("loai", "hoi-nghi".into()),
        ("bat_dau", "20/06/2025".into()),
    ]
}

fn event_form(_: &Ids) -> Vec<(&'static str, String)> {
    vec![("start", "14/10/2025".into()), ("end", "16/10/2025".into())]
}

fn event_json(_: &Ids) -> Value {
    json!({"start": "2025-10-14", "end": "2025-10-16"})
}

fn version_text(v: Option<i64>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

fn report_form(ids: &Ids) -> Vec<(&'static str, String)> {
    vec![
        ("ct_tin_bai_bao_chi", "5".into()),
        ("narrative", "Đã triển khai trong tháng.".into()),
        ("hanh_dong", "nop".into()),
        ("version", version_text(ids.report_version)),
    ]
}

fn report_json(ids: &Ids) -> Value {
    json!({
        "figures": {"tin_bai_bao_chi": 5},
        "narrative": "Đã triển khai trong tháng.",
        "submit": true,
        "version": ids.report_version,
    })
}

/// Reviews send the report back (never accept it): an accepted report
/// could no longer be saved by the writers walked after.
fn review_form(ids: &Ids) -> Vec<(&'static str, String)> {
    vec![
        ("hanh_dong", "tra_lai".into()),
        ("nhan_xet", "Cần bổ sung số liệu tháng 3.".into()),
        ("version", version_text(ids.report_version)),
    ]
}

fn review_json(ids: &Ids) -> Value {
    json!({
        "accept": false,
        "comment": "Cần bổ sung số liệu tháng 3.",
        "version": ids.report_version,
    })
}

fn no_fields(_: &Ids) -> Vec<(&'static str, String)> {
    Vec::new()
}

/// The reference plan's text, as its owner would paste it.
fn reference_text() -> String {
    std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../plans/390-KH-TU.md"
    ))
    .expect("đọc plans/390-KH-TU.md")
}

/// A correction of the draft's place.
fn draft_form(_: &Ids) -> Vec<(&'static str, String)> {
    vec![("dia_danh", "Cao Bằng".into()), ("action", "save".into())]
}

/// Confirming the draft of a plan already stored: refused (422) once the
/// permission check is passed, so the walk stores no second plan.
fn draft_confirm_form(_: &Ids) -> Vec<(&'static str, String)> {
    vec![("action", "confirm".into())]
}

fn import_json(_: &Ids) -> Value {
    json!({
        "file_name": "ke-hoach-thu.txt",
        "text": "Số 7-KH/BTG\nKẾ HOẠCH\ntuyên truyền thử nghiệm\n",
    })
}

fn draft_json(_: &Ids) -> Value {
    json!({"choices": {}})
}

fn reminders_form(_: &Ids) -> Vec<(&'static str, String)> {
    vec![
        ("email", "vanphong@baolac.caobang.gov.vn".into()),
        ("enabled", "1".into()),
    ]
}

fn reminders_json(_: &Ids) -> Value {
    json!({"email": "vanphong@baolac.caobang.gov.vn", "enabled": true})
}

/// Every route, with who may use it.
fn table() -> Vec<Entry> {
    const REPORT: &str = "/bao-cao/{reporting_id}/{period}/{unit_id}";
    const API_REPORT: &str = "/api/reports/{reporting_id}/{period}/{unit_id}";
    vec![
        // Static assets and signing in: open to everyone.
        get("/tai-nguyen/dondoc.css", "/tai-nguyen/dondoc.css", OPEN),
        get("/tai-nguyen/dondoc.js", "/tai-nguyen/dondoc.js", OPEN),
        get("/dang-nhap", "/dang-nhap", OPEN),
        post("/dang-nhap", "/dang-nhap", OPEN).body(Body::SignInForm),
        post("/api/login", "/api/login", OPEN).body(Body::SignInJson),
        // Signing out and who am I: anyone signed in.
        post("/dang-xuat", "/dang-xuat", SIGNED_IN)
            .body(Body::Form(no_fields))
            .prep(Prep::ThrowawaySession),
        post("/api/logout", "/api/logout", SIGNED_IN).prep(Prep::ThrowawaySession),
        get("/api/me", "/api/me", SIGNED_IN),
        // Each one's own unit's work.
        get("/viec-cua-toi", "/viec-cua-toi", SIGNED_IN),
        get("/api/my-work", "/api/my-work", SIGNED_IN),
        // The upload quotas: read by all, changed by administrators.
        get("/api/quota", "/api/quota", SIGNED_IN),
        put("/api/quota", "/api/quota", ADMIN_ONLY).body(Body::Json(quota_json)),
        // What one's own unit was told, marked read.
        post("/viec-cua-toi/da-doc", "/viec-cua-toi/da-doc", SIGNED_IN).body(Body::Form(no_fields)),
        post("/api/my-work/read", "/api/my-work/read", SIGNED_IN),
        // The API's description: a static document, like the assets.
        get("/api/openapi.json", "/api/openapi.json", OPEN),
        // The overview: everyone signed in sees their part; drilling down to
        // Bảo Lạc needs to read it.
        get("/", "/", SIGNED_IN),
        get("/", "/?don-vi=$unit", READ_BAO_LAC),
        get("/api/dashboard", "/api/dashboard", SIGNED_IN),
        get(
            "/api/dashboard",
            "/api/dashboard?unit_id=$unit",
            READ_BAO_LAC,
        ),
        // The plan: everyone signed in.
        get("/ke-hoach", "/ke-hoach", SIGNED_IN),
        get("/api/plan", "/api/plan", SIGNED_IN),
        get("/api/plan/{number}", "/api/plan/390-KH%2FTU", SIGNED_IN),
        // Units: the tree is each one's part of it; Bảo Lạc needs to read it.
        get("/don-vi", "/don-vi", SIGNED_IN),
        get("/don-vi/{unit_id}", "/don-vi/$unit", READ_BAO_LAC),
        get("/api/units", "/api/units", SIGNED_IN),
        get("/api/units/{unit_id}", "/api/units/$unit", READ_BAO_LAC),
        get(
            "/api/units/{unit_id}/assignments",
            "/api/units/$unit/assignments",
            READ_BAO_LAC,
        ),
        // Bảo Lạc's reminder digest: its readers see the setting; its
        // officers, the plan owners and administrators change it.
        post(
            "/don-vi/{unit_id}/nhac-viec",
            "/don-vi/$unit/nhac-viec",
            REMINDERS_BAO_LAC,
        )
        .body(Body::Form(reminders_form)),
        get(
            "/api/units/{unit_id}/reminders",
            "/api/units/$unit/reminders",
            READ_BAO_LAC,
        ),
        put(
            "/api/units/{unit_id}/reminders",
            "/api/units/$unit/reminders",
            REMINDERS_BAO_LAC,
        )
        .body(Body::Json(reminders_json)),
        // Bảo Lạc's calendar feed: its address for its readers; the feed
        // itself for whoever holds the secret, signed in or not.
        get(
            "/api/units/{unit_id}/calendar",
            "/api/units/$unit/calendar",
            READ_BAO_LAC,
        ),
        get(
            "/don-vi/{unit_id}/lich.ics",
            "/don-vi/$unit/lich.ics",
            READ_BAO_LAC,
        ),
        get("/lich/don-vi/{file}", "/lich/don-vi/$token.ics", OPEN),
        // A new address (the old one void): who sets the unit's reminders.
        // Walked after the feed itself, whose secret it replaces.
        post(
            "/api/units/{unit_id}/calendar",
            "/api/units/$unit/calendar",
            REMINDERS_BAO_LAC,
        ),
        post(
            "/don-vi/{unit_id}/lich",
            "/don-vi/$unit/lich",
            REMINDERS_BAO_LAC,
        )
        .body(Body::Form(no_fields)),
        // Documents of the whole plan; the timeline chart is the plan's own
        // calendar, read by everyone, the other charts hold every unit's
        // reports.
        get(
            "/xuat/bao-cao-tong-hop",
            "/xuat/bao-cao-tong-hop?so=390-KH%2FTU&dot=%C4%90%E1%BB%A3t%20I",
            EXPORT,
        ),
        get("/xuat/theo-doi", "/xuat/theo-doi?so=390-KH%2FTU", EXPORT),
        get(
            "/api/exports/synthesis",
            "/api/exports/synthesis?so=390-KH%2FTU",
            EXPORT,
        ),
        get("/api/exports/tracking", "/api/exports/tracking", EXPORT),
        get("/bieu-do/{file}", "/bieu-do/tien-do.svg", SIGNED_IN),
        get(
            "/bieu-do/{file}",
            "/bieu-do/ty-le-bao-cao.svg?so=390-KH%2FTU",
            EXPORT,
        ),
        get("/bieu-do/{file}", "/bieu-do/so-lieu.svg", EXPORT),
        // One of Bảo Lạc's assignments: read by its readers, changed by its
        // officers (and administrators).
        get("/nhiem-vu/{id}", "/nhiem-vu/$asg", READ_BAO_LAC),
        post("/nhiem-vu/{id}", "/nhiem-vu/$asg", WRITE_BAO_LAC).body(Body::Form(assignment_form)),
        get(
            "/nhiem-vu/{id}/tep/{file_id}",
            "/nhiem-vu/$asg/tep/$afile",
            READ_BAO_LAC,
        ),
        get(
            "/api/assignments/{id}",
            "/api/assignments/$asg",
            READ_BAO_LAC,
        ),
        put(
            "/api/assignments/{id}",
            "/api/assignments/$asg",
            WRITE_BAO_LAC,
        )
        .body(Body::Json(assignment_json)),
        post(
            "/api/assignments/{id}/files",
            "/api/assignments/$asg/files",
            WRITE_BAO_LAC,
        )
        .body(Body::Multipart(assignment_file)),
        // The calendar: read by everyone, moved by the plan's managers.
        get("/lich", "/lich", SIGNED_IN),
        // How statuses, colours and deadline phrases read.
        get(
            "/huong-dan",
            "/huong-dan?cum-tu=trong%20qu%C3%BD%20II%2F2025",
            SIGNED_IN,
        ),
        post("/lich", "/lich", MANAGE_PLAN).body(Body::Form(new_event_form)),
        get("/lich/{id}", "/lich/$event", SIGNED_IN),
        post("/lich/{id}", "/lich/$event", MANAGE_PLAN).body(Body::Form(event_form)),
        post(
            "/lich/{id}/xem-truoc",
            "/lich/$event/xem-truoc",
            MANAGE_PLAN,
        )
        .body(Body::Form(event_form)),
        get("/api/events", "/api/events", SIGNED_IN),
        put("/api/events/{id}", "/api/events/$event", MANAGE_PLAN).body(Body::Json(event_json)),
        post(
            "/api/events/{id}/preview",
            "/api/events/$event/preview",
            MANAGE_PLAN,
        )
        .body(Body::Json(event_json)),
        // Reports, pages. The list is everyone's (an officer's list is what
        // their own unit owes, whatever `don-vi` says: nothing of Bảo Lạc's
        // is shown to Báo Cao Bằng).
        get("/bao-cao", "/bao-cao", SIGNED_IN),
        get("/bao-cao", "/bao-cao?don-vi=$unit", SIGNED_IN),
        // Reminding the units that have not sent an overdue report: the
        // plan's managers.
        post("/bao-cao/don-doc", "/bao-cao/don-doc", MANAGE_PLAN).body(Body::Form(urge_form)),
        get(REPORT, "/bao-cao/$rid/$period/$unit", READ_BAO_LAC),
        post(REPORT, "/bao-cao/$rid/$period/$unit", WRITE_BAO_LAC).body(Body::Form(report_form)),
        post(
            "/bao-cao/{reporting_id}/{period}/{unit_id}/duyet",
            "/bao-cao/$rid/$period/$unit/duyet",
            MANAGE_PLAN,
        )
        .body(Body::Form(review_form))
        .prep(Prep::SubmittedReport),
        post(
            "/bao-cao/{reporting_id}/{period}/{unit_id}/tep",
            "/bao-cao/$rid/$period/$unit/tep",
            WRITE_BAO_LAC,
        )
        .body(Body::Multipart(no_fields)),
        get(
            "/bao-cao/{reporting_id}/{period}/{unit_id}/tep/{attachment_id}",
            "/bao-cao/$rid/$period/$unit/tep/$rfile",
            READ_BAO_LAC,
        ),
        post(
            "/bao-cao/{reporting_id}/{period}/{unit_id}/tep/{attachment_id}/xoa",
            "/bao-cao/$rid/$period/$unit/tep/$fresh/xoa",
            WRITE_BAO_LAC,
        )
        .body(Body::Form(no_fields))
        .prep(Prep::FreshReportFile),
        // Reports, API.
        get("/api/reports", "/api/reports", SIGNED_IN),
        get("/api/reports", "/api/reports?unit_id=$unit", READ_BAO_LAC),
        get(API_REPORT, "/api/reports/$rid/$period/$unit", READ_BAO_LAC),
        put(API_REPORT, "/api/reports/$rid/$period/$unit", WRITE_BAO_LAC)
            .body(Body::Json(report_json)),
        post(
            "/api/reports/{reporting_id}/{period}/{unit_id}/review",
            "/api/reports/$rid/$period/$unit/review",
            MANAGE_PLAN,
        )
        .body(Body::Json(review_json))
        .prep(Prep::SubmittedReport),
        get(
            "/api/reports/{reporting_id}/{period}/{unit_id}/attachments",
            "/api/reports/$rid/$period/$unit/attachments",
            READ_BAO_LAC,
        ),
        post(
            "/api/reports/{reporting_id}/{period}/{unit_id}/attachments",
            "/api/reports/$rid/$period/$unit/attachments",
            WRITE_BAO_LAC,
        )
        .body(Body::Multipart(no_fields)),
        get(
            "/api/reports/{reporting_id}/{period}/{unit_id}/attachments/{attachment_id}",
            "/api/reports/$rid/$period/$unit/attachments/$rfile",
            READ_BAO_LAC,
        ),
        delete(
            "/api/reports/{reporting_id}/{period}/{unit_id}/attachments/{attachment_id}",
            "/api/reports/$rid/$period/$unit/attachments/$fresh",
            WRITE_BAO_LAC,
        )
        .prep(Prep::FreshReportFile),
        // The audit trail: administrators and plan owners.
        get("/nhat-ky", "/nhat-ky", READ_AUDIT),
        get("/api/audit", "/api/audit", READ_AUDIT),
        // Reading a plan from its document: the plan's managers. The upload
        // is a PDF, which the reader refuses (422) after the check.
        get("/nhap-ke-hoach", "/nhap-ke-hoach", IMPORT),
        post("/nhap-ke-hoach", "/nhap-ke-hoach", IMPORT).body(Body::Multipart(no_fields)),
        get("/nhap-ke-hoach/{id}", "/nhap-ke-hoach/$draft", IMPORT),
        post("/nhap-ke-hoach/{id}", "/nhap-ke-hoach/$draft", IMPORT).body(Body::Form(draft_form)),
        post("/nhap-ke-hoach/{id}", "/nhap-ke-hoach/$draft", IMPORT)
            .body(Body::Form(draft_confirm_form)),
        post("/api/imports", "/api/imports", IMPORT).body(Body::Json(import_json)),
        get("/api/imports/{id}", "/api/imports/$draft", IMPORT),
        put("/api/imports/{id}", "/api/imports/$draft", IMPORT).body(Body::Json(draft_json)),
        post(
            "/api/imports/{id}/confirm",
            "/api/imports/$draft/confirm",
            IMPORT,
        )
        .body(Body::Json(draft_json)),
    ]
}

// ---------------------------------------------------------------------------
// The routes in the source

/// What each byte of Rust source is: code, inside a literal, or a comment.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Lex {
    Code,
    Literal,
    Comment,
}

fn is_ident(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

/// At `b[i] == b'r'`: the number of `#` of a raw string starting here, if
/// one does (`r"`, `r#"`, `br"`; not the end of an identifier).
fn raw_string_hashes(b: &[u8], i: usize) -> Option<usize> {
    let prefix_ok = match i {
        0 => true,
        _ if b[i - 1] == b'b' => i < 2 || !is_ident(b[i - 2]),
        _ => !is_ident(b[i - 1]),
    };
    let hashes = b[i + 1..].iter().take_while(|c| **c == b'#').count();
    (prefix_ok && b.get(i + 1 + hashes) == Some(&b'"')).then_some(hashes)
}

fn lex(src: &str) -> Vec<Lex> {
    let b = src.as_bytes();
    let mut k = vec![Lex::Code; b.len()];
    let mut i = 0;
    while i < b.len() {
        let start = i;
        let mark = |k: &mut Vec<Lex>, from: usize, to: usize, what: Lex| {
            k[from..to.min(b.len())].iter_mut().for_each(|x| *x = what);
        };
        match b[i] {
            b'/' if b.get(i + 1) == Some(&b'/') => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
                mark(&mut k, start, i, Lex::Comment);
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                let mut depth = 0;
                while i < b.len() {
                    if b[i..].starts_with(b"/*") {
                        depth += 1;
                        i += 2;
                    } else if b[i..].starts_with(b"*/") {
                        depth -= 1;
                        i += 2;
                        if depth == 0 {
                            break;
                        }
                    } else {
                        i += 1;
                    }
                }
                mark(&mut k, start, i, Lex::Comment);
            }
            // r"…", r#"…"#, br"…"
            b'r' if raw_string_hashes(b, i).is_some() => {
                let hashes = raw_string_hashes(b, i).unwrap_or(0);
                let close: Vec<u8> = std::iter::once(b'"')
                    .chain(std::iter::repeat_n(b'#', hashes))
                    .collect();
                i += 2 + hashes;
                while i < b.len() && !b[i..].starts_with(&close) {
                    i += 1;
                }
                i += close.len();
                mark(&mut k, start, i, Lex::Literal);
            }
            b'"' => {
                i += 1;
                while i < b.len() && b[i] != b'"' {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
                i += 1;
                mark(&mut k, start, i, Lex::Literal);
            }
            b'\'' => {
                // A char literal ('x', '\n', '\u{1F600}', 'đ') or a lifetime.
                let rest = &src[i + 1..];
                let len = if rest.starts_with('\\') {
                    rest.get(2..).and_then(|r| r.find('\'')).map(|j| j + 4)
                } else {
                    rest.chars()
                        .next()
                        .filter(|c| rest[c.len_utf8()..].starts_with('\''))
                        .map(|c| c.len_utf8() + 2)
                };
                match len {
                    Some(n) => {
                        i += n;
                        mark(&mut k, start, i, Lex::Literal);
                    }
                    None => i += 1,
                }
            }
            _ => i += 1,
        }
    }
    k
}

const METHODS: &[&str] = &["get", "post", "put", "delete", "patch"];

/// Every (METHOD, path) registered with `.route("PATH", …)` under `src/`,
/// and what the scanner could not read.
fn registered_routes() -> (BTreeSet<(String, String)>, Vec<String>) {
    let mut found = BTreeSet::new();
    let mut problems = Vec::new();
    let mut files = Vec::new();
    let mut dirs = vec![std::path::PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/src"
    ))];
    while let Some(dir) = dirs.pop() {
        for e in std::fs::read_dir(&dir).expect("đọc thư mục mã nguồn") {
            let p = e.expect("mục trong thư mục").path();
            if p.is_dir() {
                dirs.push(p);
            } else if p.extension().is_some_and(|x| x == "rs") {
                files.push(p);
            }
        }
    }
    files.sort();
    for file in files {
        let src = std::fs::read_to_string(&file).expect("đọc tệp mã nguồn");
        routes_in(&file.display().to_string(), &src, &mut found, &mut problems);
    }
    (found, problems)
}

/// The routes of one source file: from each `.route(` in code to its
/// matching `)`, the first literal is the path and each `get(`, `post(`,
/// `put(`, `delete(`, `patch(` in code a method.
fn routes_in(
    name: &str,
    src: &str,
    found: &mut BTreeSet<(String, String)>,
    problems: &mut Vec<String>,
) {
    let k = lex(src);
    let b = src.as_bytes();
    let code_at = |i: usize, s: &str| {
        b[i..].starts_with(s.as_bytes()) && k[i..i + s.len()].iter().all(|x| *x == Lex::Code)
    };
    for i in 0..b.len() {
        for other in [".nest(", ".nest_service(", ".route_service("] {
            if code_at(i, other) {
                problems.push(format!(
                    "{name}: «{other}» — this test reads only `.route(\"PATH\", …)`; teach it the new form"
                ));
            }
        }
        if !code_at(i, ".route(") {
            continue;
        }
        let open = i + ".route".len();
        let mut depth = 0;
        let mut close = None;
        for (j, c) in b.iter().enumerate().skip(open) {
            match (k[j], c) {
                (Lex::Code, b'(') => depth += 1,
                (Lex::Code, b')') => {
                    depth -= 1;
                    if depth == 0 {
                        close = Some(j);
                        break;
                    }
                }
                _ => {}
            }
        }
        let Some(close) = close else {
            problems.push(format!("{name}: a `.route(` that is never closed"));
            continue;
        };
        let Some(from) = (open..close).find(|j| k[*j] == Lex::Literal) else {
            problems.push(format!("{name}: a `.route(` whose path is not a literal"));
            continue;
        };
        let to = (from..close)
            .find(|j| k[*j] != Lex::Literal)
            .unwrap_or(close);
        let path = src[from..to].trim_matches('"').to_string();
        let mut methods = Vec::new();
        let mut j = open;
        while j < close {
            let starts_word = j == 0 || !is_ident(b[j - 1]);
            if starts_word && let Some(m) = METHODS.iter().find(|m| code_at(j, &format!("{m}("))) {
                methods.push(m.to_uppercase());
                j += m.len();
                continue;
            }
            j += 1;
        }
        if methods.is_empty() {
            problems.push(format!("{name}: route «{path}» with no method found"));
        }
        for m in methods {
            found.insert((m, path.clone()));
        }
    }
}

#[test]
fn the_route_scanner_reads_what_axum_reads() {
    let src = r#"
        // .route("/comment", get(x))
        /* .route("/block", post(y)) */
        fn routes() -> Router {
            let quote = '"'; let esc = '\''; let s: &'static str = ".route(\"/str\", get(z))";
            Router::new()
                .route("/a/{id}", get(|| async { f("text; (not a paren)", ')') }).post(g))
                .route(
                    "/b",
                    axum::routing::put(h).layer(DefaultBodyLimit::max(get_limit())),
                )
                .route("/c", delete(d).patch(p))
        }
    "#;
    let (mut found, mut problems) = (BTreeSet::new(), Vec::new());
    routes_in("mẫu", src, &mut found, &mut problems);
    let got: Vec<(&str, &str)> = found
        .iter()
        .map(|(m, p)| (m.as_str(), p.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            ("DELETE", "/c"),
            ("GET", "/a/{id}"),
            ("PATCH", "/c"),
            ("POST", "/a/{id}"),
            ("PUT", "/b"),
        ]
    );
    assert!(problems.is_empty(), "{problems:?}");
}

#[test]
fn every_registered_route_has_an_entry() {
    let (registered, mut problems) = registered_routes();
    assert!(
        registered.contains(&("GET".to_string(), "/".to_string())) && registered.len() > 40,
        "the route scanner found too little: {registered:?}"
    );
    let table: BTreeSet<(String, String)> = table()
        .iter()
        .map(|e| (e.method.to_string(), e.route.to_string()))
        .collect();
    for (m, p) in registered.difference(&table) {
        problems.push(format!(
            "{m} {p}: registered in src/ but has no permission entry in tests/permissions.rs"
        ));
    }
    for (m, p) in table.difference(&registered) {
        problems.push(format!(
            "{m} {p}: in the permission table but registered nowhere in src/"
        ));
    }
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}

// ---------------------------------------------------------------------------
// The world: the reference plan, one account per role, things to act on

struct Answer {
    status: StatusCode,
    location: String,
    body: String,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body)
            .unwrap_or_else(|e| panic!("không phải JSON ({e}): {}", self.body))
    }

    /// Enough of the body to tell what happened: JSON whole (cut), a page
    /// by its title and first error message.
    fn gist(&self) -> String {
        let between = |a: &str, b: &str| {
            let from = self.body.find(a)? + a.len();
            let to = self.body[from..].find(b)? + from;
            Some(self.body[from..to].trim().to_string())
        };
        let text = if self.body.trim_start().starts_with('{') {
            self.body.clone()
        } else {
            [between("<title>", "</title>"), between("<p", "</p>")]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" | ")
        };
        text.chars().take(200).collect()
    }
}

struct World {
    router: Router,
    store: Store,
    sessions: Vec<(Who, Client)>,
    base: Ids,
    /// Every answer over 499, whatever asked for it.
    server_errors: Mutex<Vec<String>>,
    _dir: tempfile::TempDir,
}

fn urlencoded(fields: &[(&str, String)]) -> String {
    fields
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// A multipart body: the text fields, then one small PDF in field `tep`.
fn multipart(fields: &[(&str, String)]) -> (String, Vec<u8>) {
    const B: &str = "ranh-gioi-phan-quyen-5e2a";
    let mut body = Vec::new();
    for (k, v) in fields {
        body.extend_from_slice(
            format!("--{B}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n")
                .as_bytes(),
        );
    }
    body.extend_from_slice(
        format!(
            "--{B}\r\nContent-Disposition: form-data; name=\"tep\"; filename=\"minh-chung.pdf\"\r\n\
             Content-Type: application/pdf\r\n\r\n%PDF-1.4 minh chứng\r\n--{B}--\r\n"
        )
        .as_bytes(),
    );
    (format!("multipart/form-data; boundary={B}"), body)
}

fn set_cookies(resp: &axum::response::Response) -> Vec<String> {
    resp.headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|v| v.split(';').next())
        .map(str::to_string)
        .collect()
}

impl World {
    async fn new() -> World {
        let dir = tempfile::tempdir().expect("thư mục tạm");
        let store = common::open_sqlite(&dir).await;
        common::load_reference(&store, "test", TODAY).await;
        let accounts = ROLES.iter().filter_map(|who| who.account());
        common::add_users(
            &store,
            PASSWORD,
            accounts.map(|(username, unit, role)| (username, username, unit, role)),
        )
        .await;
        let mut conn = store.conn().await.expect("kết nối");
        let index = units::index(&mut conn).await.expect("đơn vị");
        let unit = index.find(BAO_LAC).expect("Huyện uỷ Bảo Lạc");
        let asg = assignments::of_unit(&mut conn, unit)
            .await
            .expect("nhiệm vụ")
            .first()
            .expect("Bảo Lạc được giao nhiệm vụ")
            .assignment_id;
        let (plan_id, _) = plans::choose(&mut conn, None).await.expect("kế hoạch");
        let rid = reports::regimes(&mut conn, plan_id)
            .await
            .expect("chế độ báo cáo")
            .into_iter()
            .find(|g| g.name == MONTHLY)
            .expect("chế độ báo cáo hằng tháng")
            .reporting_id;
        drop(conn);
        let token = store.new_feed_token(unit, "test").await.expect("mã lịch");
        let router = dondoc_web::router(AppState::new(store.clone(), Clock { fixed: Some(TODAY) }));
        let mut w = World {
            router,
            store,
            sessions: Vec::new(),
            base: Ids {
                unit,
                asg,
                asg_version: 0,
                asg_file: 0,
                rid,
                report_version: None,
                report_file: 0,
                fresh_file: None,
                draft: 0,
                token,
            },
            server_errors: Mutex::new(Vec::new()),
            _dir: dir,
        };
        for who in ROLES {
            if who != Anonymous {
                let c = w.login(who).await;
                w.sessions.push((who, c));
            }
        }
        // What Bảo Lạc's officer has made: a submitted report with a file,
        // and a file on the assignment.
        let ids = w.ids().await;
        let a = w
            .json(
                Officer,
                Method::PUT,
                &ids.fill("/api/reports/$rid/$period/$unit"),
                report_json(&ids),
            )
            .await;
        assert_eq!(a.status, StatusCode::OK, "nộp báo cáo: {}", a.body);
        w.base.report_file = w.new_report_file().await;
        let ids = w.ids().await;
        let a = w
            .multipart(
                Officer,
                &ids.fill("/api/assignments/$asg/files"),
                &assignment_file(&ids),
            )
            .await;
        assert_eq!(a.status, StatusCode::OK, "tệp của nhiệm vụ: {}", a.body);
        let mut conn = w.store.conn().await.expect("kết nối");
        w.base.asg_file = assignments::get(&mut conn, asg)
            .await
            .expect("nhiệm vụ")
            .expect("nhiệm vụ còn đó")
            .attachments
            .first()
            .expect("tệp vừa tải")
            .attachment_id;
        drop(conn);
        // What the plan owner has read: the reference plan's text, a draft.
        let a = w
            .json(
                Owner,
                Method::POST,
                "/api/imports",
                json!({"file_name": "390-KH-TU.md", "text": reference_text()}),
            )
            .await;
        assert_eq!(a.status, StatusCode::CREATED, "bản nháp: {}", a.body);
        w.base.draft = a.json()["id"].as_i64().expect("mã bản nháp");
        w
    }

    fn session(&self, who: Who) -> Option<&Client> {
        self.sessions
            .iter()
            .find(|(w, _)| *w == who)
            .map(|(_, c)| c)
    }

    async fn send(&self, req: Request<HttpBody>) -> (Answer, Vec<String>) {
        let what = format!("{} {}", req.method(), req.uri());
        let resp = self.router.clone().oneshot(req).await.expect("trả lời");
        let cookies = set_cookies(&resp);
        let status = resp.status();
        let location = resp
            .headers()
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string();
        let bytes = to_bytes(resp.into_body(), usize::MAX)
            .await
            .expect("đọc thân");
        let a = Answer {
            status,
            location,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        };
        if status.is_server_error() {
            self.server_errors
                .lock()
                .unwrap()
                .push(format!("{what} → {status}: {}", a.gist()));
        }
        (a, cookies)
    }

    /// A new session through the API, as a client opens one.
    async fn login(&self, who: Who) -> Client {
        let (username, _, _) = who.account().expect("tài khoản");
        let req = Request::post("/api/login")
            .header(header::CONTENT_TYPE, "application/json")
            .body(HttpBody::from(
                json!({"username": username, "password": PASSWORD}).to_string(),
            ))
            .unwrap();
        let (a, cookies) = self.send(req).await;
        assert_eq!(a.status, StatusCode::OK, "đăng nhập {username}: {}", a.body);
        Client {
            cookie: cookies
                .into_iter()
                .find(|c| c.starts_with("dondoc_phien="))
                .expect("cookie phiên"),
            csrf: a.json()["csrf_token"].as_str().expect("csrf").to_string(),
        }
    }

    /// The ids, with the versions and files as they stand now.
    async fn ids(&self) -> Ids {
        let mut ids = self.base.clone();
        let mut conn = self.store.conn().await.expect("kết nối");
        ids.asg_version = assignments::get(&mut conn, ids.asg)
            .await
            .expect("nhiệm vụ")
            .expect("nhiệm vụ còn đó")
            .version;
        ids.report_version = reports::get(&mut conn, &self.report_key())
            .await
            .expect("báo cáo")
            .map(|r| r.version);
        ids
    }

    fn report_key(&self) -> ReportKey {
        ReportKey {
            reporting_id: self.base.rid,
            period: PERIOD.to_string(),
            unit_id: self.base.unit,
        }
    }

    /// An API JSON write as `who`, with the session's CSRF header.
    async fn json(&self, who: Who, method: Method, path: &str, body: Value) -> Answer {
        let c = self.session(who).expect("phiên");
        let req = Request::builder()
            .method(method)
            .uri(path)
            .header(header::COOKIE, &c.cookie)
            .header("x-csrf-token", &c.csrf)
            .header(header::CONTENT_TYPE, "application/json")
            .body(HttpBody::from(body.to_string()))
            .unwrap();
        self.send(req).await.0
    }

    /// An API multipart upload as `who`, with the session's CSRF header.
    async fn multipart(&self, who: Who, path: &str, fields: &[(&str, String)]) -> Answer {
        let c = self.session(who).expect("phiên");
        let (kind, body) = multipart(fields);
        let req = Request::post(path)
            .header(header::COOKIE, &c.cookie)
            .header("x-csrf-token", &c.csrf)
            .header(header::CONTENT_TYPE, kind)
            .body(HttpBody::from(body))
            .unwrap();
        self.send(req).await.0
    }

    /// A new file on Bảo Lạc's report, uploaded by its officer.
    async fn new_report_file(&self) -> i64 {
        let path = self
            .base
            .fill("/api/reports/$rid/$period/$unit/attachments");
        let a = self.multipart(Officer, &path, &[]).await;
        assert_eq!(a.status, StatusCode::CREATED, "tải tệp báo cáo: {}", a.body);
        a.json()["attachment_id"].as_i64().expect("mã tệp")
    }

    /// Bảo Lạc's report submitted again if a review sent it back.
    async fn report_submitted(&self) {
        let mut conn = self.store.conn().await.expect("kết nối");
        let status = reports::get(&mut conn, &self.report_key())
            .await
            .expect("báo cáo")
            .map(|r| r.status);
        drop(conn);
        if status != Some(reports::Status::Submitted) {
            let ids = self.ids().await;
            let a = self
                .json(
                    Officer,
                    Method::PUT,
                    &ids.fill("/api/reports/$rid/$period/$unit"),
                    report_json(&ids),
                )
                .await;
            assert_eq!(a.status, StatusCode::OK, "nộp lại báo cáo: {}", a.body);
        }
    }

    /// One entry's request as `who`; with whether the session it ran on is
    /// still alive afterwards (for `Prep::ThrowawaySession`).
    async fn call(&self, who: Who, e: &Entry) -> (String, Answer, Option<bool>) {
        self.call_with(who, e, true).await
    }

    /// `call`, with or without the CSRF token a write carries (a form's
    /// field, the API's header, the sign-in form's double-submit field; the
    /// API's sign-in, which has none, is then sent as a plain-text body, as
    /// another site's form would send it).
    async fn call_with(&self, who: Who, e: &Entry, token: bool) -> (String, Answer, Option<bool>) {
        let throwaway = if e.prep == Prep::ThrowawaySession && who != Anonymous {
            Some(self.login(who).await)
        } else {
            None
        };
        if e.prep == Prep::SubmittedReport {
            self.report_submitted().await;
        }
        let mut ids = self.ids().await;
        if e.prep == Prep::FreshReportFile {
            ids.fresh_file = Some(self.new_report_file().await);
        }
        let client = throwaway.as_ref().or(self.session(who));
        let path = ids.fill(e.path);
        let method = Method::from_bytes(e.method.as_bytes()).expect("phương thức");
        let mut cookie = client.map(|c| c.cookie.clone());
        let csrf = client.map(|c| c.csrf.clone()).unwrap_or_default();
        let mut req = Request::builder().method(method.clone()).uri(&path);
        let body = match e.body {
            Body::Empty => HttpBody::empty(),
            Body::Form(fields) => {
                let mut f = fields(&ids);
                if token {
                    f.push(("csrf", csrf.clone()));
                }
                req = req.header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
                HttpBody::from(urlencoded(&f))
            }
            Body::Json(make) => {
                req = req.header(header::CONTENT_TYPE, "application/json");
                HttpBody::from(make(&ids).to_string())
            }
            Body::Multipart(fields) => {
                let mut f = fields(&ids);
                if !e.is_api() && token {
                    f.push(("csrf", csrf.clone()));
                }
                let (kind, body) = multipart(&f);
                req = req.header(header::CONTENT_TYPE, kind);
                HttpBody::from(body)
            }
            Body::SignInForm => {
                // The sign-in form's token: a cookie and the same value sent
                // back in the form.
                let (_, cookies) = self
                    .send(Request::get("/dang-nhap").body(HttpBody::empty()).unwrap())
                    .await;
                let login_cookie = cookies
                    .into_iter()
                    .find(|c| c.starts_with("dondoc_dn="))
                    .expect("cookie của biểu mẫu đăng nhập");
                let form_token = login_cookie["dondoc_dn=".len()..].to_string();
                cookie = Some(match cookie {
                    Some(c) => format!("{c}; {login_cookie}"),
                    None => login_cookie,
                });
                req = req.header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
                let mut f = vec![
                    ("username", sign_in_name(who).to_string()),
                    ("password", PASSWORD.to_string()),
                ];
                if token {
                    f.push(("csrf", form_token));
                }
                HttpBody::from(urlencoded(&f))
            }
            Body::SignInJson => {
                let kind = if token {
                    "application/json"
                } else {
                    "text/plain"
                };
                req = req.header(header::CONTENT_TYPE, kind);
                HttpBody::from(
                    json!({"username": sign_in_name(who), "password": PASSWORD}).to_string(),
                )
            }
        };
        if e.is_api() && method != Method::GET && client.is_some() && token {
            req = req.header("x-csrf-token", &csrf);
        }
        if let Some(c) = &cookie {
            req = req.header(header::COOKIE, c);
        }
        let (answer, _) = self.send(req.body(body).unwrap()).await;
        let alive = match &throwaway {
            Some(c) => {
                let me = Request::get("/api/me")
                    .header(header::COOKIE, &c.cookie)
                    .body(HttpBody::empty())
                    .unwrap();
                Some(self.send(me).await.0.status == StatusCode::OK)
            }
            None => None,
        };
        (path, answer, alive)
    }
}

/// Who signs in on the sign-in routes: each role as itself; anonymous as
/// the administrator.
fn sign_in_name(who: Who) -> &'static str {
    who.account().map_or("quantri", |(u, _, _)| u)
}

// ---------------------------------------------------------------------------
// Judging an answer

#[derive(Debug, PartialEq, Eq, Clone, Copy)]
enum Verdict {
    Allowed,
    /// Refused by the permission check: 403, or for the anonymous the
    /// sign-in page (401 under /api/).
    Refused,
    /// Not there for this user: 404.
    Hidden,
}

/// Allowed, refused, or neither (a server error, a wrong fixture, a CSRF
/// refusal …), said as what it is.
fn judge(who: Who, e: &Entry, a: &Answer, session_alive: Option<bool>) -> Result<Verdict, String> {
    let s = a.status;
    if s.is_server_error() {
        return Err(format!("server error {s}"));
    }
    let to_sign_in = s == StatusCode::SEE_OTHER && a.location.starts_with("/dang-nhap");
    if who == Anonymous {
        if (e.is_api() && s == StatusCode::UNAUTHORIZED) || (!e.is_api() && to_sign_in) {
            return Ok(Verdict::Refused);
        }
    } else if s == StatusCode::NOT_FOUND {
        // Hidden by the guard's policy, not a fixture that missed: the
        // allowed roles get the same resource.
        return if a.body.contains("không tìm thấy") {
            Ok(Verdict::Hidden)
        } else {
            Err(format!("404 that is not a guard's: {}", a.gist()))
        };
    } else if s == StatusCode::FORBIDDEN {
        // A refusal of the permission check, not of the CSRF token.
        return if a.body.contains("không có quyền") {
            Ok(Verdict::Refused)
        } else {
            Err(format!(
                "403 that is not a permission refusal: {}",
                a.gist()
            ))
        };
    }
    if let Some(alive) = session_alive {
        // Signing out: done when the session is over (its answer sends the
        // user to the sign-in page).
        return if !alive && s.as_u16() < 400 {
            Ok(Verdict::Allowed)
        } else {
            Err(format!("{s}, session still alive: {alive}"))
        };
    }
    if s == StatusCode::UNAUTHORIZED || to_sign_in {
        return Err(format!("{s} sent to sign in"));
    }
    // Allowed: the handler ran (a validation refusal counts: the permission
    // check was passed). A 404 or 409 here would be a fixture that missed.
    if s.is_success() || s.is_redirection() || s == StatusCode::UNPROCESSABLE_ENTITY {
        Ok(Verdict::Allowed)
    } else {
        Err(format!("{s}: {}", a.gist()))
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_route_for_every_role() {
    let w = World::new().await;
    let mut wrong = Vec::new();
    let mut matrix = Vec::new();
    for e in table() {
        let mut line = format!("{:6} {:52}", e.method, e.path);
        for who in ROLES {
            let (path, answer, alive) = w.call(who, &e).await;
            line.push_str(&format!(" {}={}", who.short(), answer.status.as_u16()));
            let expected = e.expected(who);
            let got = match judge(who, &e, &answer, alive) {
                Ok(v) if v == expected => continue,
                Ok(v) => format!("{v:?}"),
                Err(why) => format!("neither ({why})"),
            };
            wrong.push(format!(
                "{who:?} {} {path} → {}: expected {expected:?}, got {got}",
                e.method,
                answer.status.as_u16()
            ));
        }
        matrix.push(line);
    }
    eprintln!("{}", matrix.join("\n"));
    let server_errors = w.server_errors.lock().unwrap().clone();
    assert!(
        wrong.is_empty() && server_errors.is_empty(),
        "\n{} wrong answer(s):\n{}\n{} server error(s):\n{}",
        wrong.len(),
        wrong.join("\n"),
        server_errors.len(),
        server_errors.join("\n")
    );
    w.store.close().await;
}

/// Every write, by everyone allowed to make it, sent once without its
/// CSRF token: refused, whatever the route, and nothing of it done. A
/// handler that forgot its check would let the walk above pass; this walk
/// would not.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_write_without_its_token_is_refused() {
    let w = World::new().await;
    let mut wrong = Vec::new();
    let mut writes = 0;
    for e in table().into_iter().filter(Entry::is_write) {
        for who in e.allowed.iter().copied() {
            let needs_session = !matches!(e.body, Body::SignInForm | Body::SignInJson);
            if needs_session && who == Anonymous {
                continue;
            }
            writes += 1;
            let (path, a, alive) = w.call_with(who, &e, false).await;
            let refused = match e.body {
                // Not JSON: refused before anything is read.
                Body::SignInJson => {
                    a.status == StatusCode::UNPROCESSABLE_ENTITY && a.body.contains("JSON")
                }
                _ => a.status == StatusCode::FORBIDDEN && a.body.contains("mã chống giả mạo"),
            };
            let still_signed_in = alive.unwrap_or(true);
            if !refused || !still_signed_in {
                wrong.push(format!(
                    "{who:?} {} {path} without a token → {}: {}",
                    e.method,
                    a.status.as_u16(),
                    a.gist()
                ));
            }
        }
    }
    assert!(writes > 40, "only {writes} writes walked");
    let server_errors = w.server_errors.lock().unwrap().clone();
    assert!(
        wrong.is_empty() && server_errors.is_empty(),
        "\n{} write(s) not refused:\n{}\n{} server error(s):\n{}",
        wrong.len(),
        wrong.join("\n"),
        server_errors.len(),
        server_errors.join("\n")
    );
    w.store.close().await;
}

/// A leader below the root reads their own subtree and nothing beside it,
/// and writes nothing: the demo leader sits at the root and cannot show it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_leader_below_the_root_reads_only_their_subtree() {
    let w = World::new().await;
    let (government, department, bao_lac) = {
        let mut conn = w.store.conn().await.expect("kết nối");
        let index = units::index(&mut conn).await.expect("đơn vị");
        let find = |n: &str| index.find(n).unwrap_or_else(|| panic!("không có «{n}»"));
        let ids = (
            find("Ủy ban nhân dân tỉnh"),
            find("Sở Văn hóa, Thể thao và Du lịch"),
            find(BAO_LAC),
        );
        let hash = dondoc_web::passwords::hash_password(PASSWORD).expect("băm");
        users::insert(
            &mut conn,
            &NewUser {
                username: "lanhdaoubnd",
                full_name: "Lãnh đạo UBND tỉnh",
                unit_id: ids.0,
                role: Role::Leader,
                password_hash: &hash,
            },
        )
        .await
        .expect("tài khoản");
        ids
    };
    let req = Request::post("/api/login")
        .header(header::CONTENT_TYPE, "application/json")
        .body(HttpBody::from(
            json!({"username": "lanhdaoubnd", "password": PASSWORD}).to_string(),
        ))
        .unwrap();
    let (a, cookies) = w.send(req).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    let cookie = cookies
        .into_iter()
        .find(|c| c.starts_with("dondoc_phien="))
        .expect("cookie phiên");
    let csrf = a.json()["csrf_token"].as_str().expect("csrf").to_string();
    let get = |path: String| {
        Request::get(path)
            .header(header::COOKIE, cookie.clone())
            .body(HttpBody::empty())
            .unwrap()
    };
    let (ok, hidden, forbidden) = (StatusCode::OK, StatusCode::NOT_FOUND, StatusCode::FORBIDDEN);
    for (path, expected) in [
        (format!("/don-vi/{government}"), ok),
        (format!("/don-vi/{department}"), ok),
        (format!("/api/units/{department}/assignments"), ok),
        // Beside their subtree: not there for them.
        (format!("/don-vi/{bao_lac}"), hidden),
        (format!("/api/units/{bao_lac}"), hidden),
        (format!("/?don-vi={bao_lac}"), hidden),
        // The plan's documents and figures hold every unit's data: not for
        // a leader outside its issuer's subtree, who reads the plan itself.
        // Its calendar is for everyone.
        ("/xuat/theo-doi".to_string(), forbidden),
        ("/api/exports/synthesis".to_string(), forbidden),
        ("/bieu-do/so-lieu.svg".to_string(), forbidden),
        ("/bieu-do/tien-do.svg".to_string(), ok),
    ] {
        let (a, _) = w.send(get(path.clone())).await;
        assert_eq!(a.status, expected, "{path}: {}", a.body);
    }
    // Reading is not writing: the department's report stays closed to them.
    let req = Request::put(format!("/api/reports/1/{PERIOD}/{department}"))
        .header(header::COOKIE, cookie.clone())
        .header("x-csrf-token", csrf.clone())
        .header(header::CONTENT_TYPE, "application/json")
        .body(HttpBody::from(
            json!({"figures": {}, "submit": true}).to_string(),
        ))
        .unwrap();
    let (a, _) = w.send(req).await;
    assert_eq!(a.status, StatusCode::FORBIDDEN, "{}", a.body);
    // The department's reminders are read, not changed.
    let req = Request::put(format!("/api/units/{department}/reminders"))
        .header(header::COOKIE, cookie.clone())
        .header("x-csrf-token", csrf)
        .header(header::CONTENT_TYPE, "application/json")
        .body(HttpBody::from(
            json!({"email": "so@caobang.gov.vn", "enabled": false}).to_string(),
        ))
        .unwrap();
    let (a, _) = w.send(req).await;
    assert_eq!(a.status, StatusCode::FORBIDDEN, "{}", a.body);
    let (a, _) = w
        .send(get(format!("/api/units/{department}/reminders")))
        .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
}
