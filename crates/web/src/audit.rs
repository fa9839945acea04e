//! *Nhật ký*: who changed what, when, and what it was before and after.
//! For plan owners and administrators (`access::read_audit`).

use crate::access;
use crate::error::{ApiError, ApiResult, AppError, PageResult};
use crate::layout::{Layout, vn_number, vn_text, vn_time};
use crate::session::{Api, CurrentUser};
use crate::state::AppState;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::routing::get;
use axum::{Json, Router};
use dondoc_store::assignments::Status;
use dondoc_store::audit::AuditEntry;
use dondoc_store::reports;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::HashMap;

const PER_PAGE: i64 = 50;
const API_MAX: i64 = 500;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/nhat-ky", get(page))
        .route("/api/audit", get(api_audit))
}

fn action_label(action: &str) -> String {
    match action {
        "assignment.update" => "Cập nhật tiến độ nhiệm vụ",
        "event.set" => "Đặt, dời ngày sự kiện",
        "event.add" => "Thêm sự kiện vào lịch",
        "plan.load" => "Nạp kế hoạch",
        "unit.import" => "Nhập danh sách đơn vị",
        "user.import" => "Nhập danh sách tài khoản",
        "report.save" => "Lưu báo cáo (chưa nộp)",
        "report.submit" => "Nộp báo cáo",
        "report.accept" => "Duyệt báo cáo",
        "report.return" => "Trả lại báo cáo",
        "report.attach" => "Đính kèm tệp vào báo cáo",
        "report.detach" => "Gỡ tệp khỏi báo cáo",
        "import.draft" => "Nhập bản nháp kế hoạch từ văn bản",
        "import.edit" => "Sửa bản nháp kế hoạch",
        "import.confirm" => "Xác nhận bản nháp, tạo kế hoạch",
        "unit.contact" => "Đổi địa chỉ thư nhắc việc của đơn vị",
        "unit.reminders" => "Bật, tắt thư nhắc việc của đơn vị",
        "unit.feed_made" => "Tạo địa chỉ lịch của đơn vị",
        "unit.feed_replaced" => "Thay địa chỉ lịch của đơn vị (địa chỉ cũ thôi dùng)",
        "quota.set" => "Đổi hạn mức tải tệp",
        other => return other.to_string(),
    }
    .to_string()
}

/// The kinds of things the trail records, for the filter.
const ENTITIES: &[(&str, &str)] = &[
    ("assignment", "Nhiệm vụ của đơn vị"),
    ("event", "Sự kiện"),
    ("import", "Bản nháp kế hoạch"),
    ("plan", "Kế hoạch"),
    ("report", "Báo cáo"),
    ("settings", "Thiết lập"),
    ("unit", "Đơn vị"),
    ("user", "Tài khoản"),
];

fn entity_label(entity: &str) -> String {
    ENTITIES
        .iter()
        .find(|(code, _)| *code == entity)
        .map_or(entity, |(_, label)| label)
        .to_string()
}

/// A key in words; a key inside an object (`figures.tin_bai`) is told as
/// its object's name and its own.
fn key_label(key: &str) -> String {
    if let Some((outer, inner)) = key.split_once('.') {
        return format!("{}: {inner}", key_label(outer));
    }
    match key {
        "status" => "Trạng thái",
        "progress_note" => "Tiến độ",
        "evidence" => "Kết quả, minh chứng",
        "evidence_link" => "Đường dẫn minh chứng",
        "completed_on" => "Ngày hoàn thành",
        "attachment" => "Tệp đính kèm mới",
        "attachment_id" => "Mã tệp",
        "filename" => "Tên tệp",
        "size" => "Dung lượng (byte)",
        "start" => "Ngày bắt đầu",
        "end" => "Ngày kết thúc",
        "tasks" => "Số nhiệm vụ",
        "assignments" => "Số lượt giao",
        "added" => "Số mục thêm",
        "narrative" => "Nội dung báo cáo",
        "figures" => "Số liệu",
        "period" => "Kỳ báo cáo",
        "first_submitted_on" => "Ngày nộp lần đầu",
        "review_comment" => "Ý kiến duyệt",
        "version" => "Phiên bản",
        "file_name" => "Tệp văn bản",
        "number" => "Số kế hoạch",
        "name" => "Tên",
        "plan_number" => "Số kế hoạch đã tạo",
        "date" => "Ngày ban hành",
        "issuer" => "Nơi ban hành",
        "place" => "Địa danh",
        "title" => "Tên kế hoạch",
        "proposed_units" => "Số đơn vị chưa có trong danh mục",
        "unparsed" => "Số dòng chưa hiểu",
        "units" => "Số đơn vị",
        "task" => "Nhiệm vụ",
        "choice" => "Đơn vị chưa có",
        "other" => "Thay đổi khác",
        "email" => "Địa chỉ thư",
        "reminders_enabled" => "Nhận thư nhắc việc",
        "feed_made_at" => "Thời điểm tạo địa chỉ lịch",
        "per_report" => "Hạn mức mỗi báo cáo (byte)",
        "per_unit" => "Hạn mức mỗi đơn vị (byte)",
        other => return other.to_string(),
    }
    .to_string()
}

/// A status code in words: a report's or an assignment's.
fn status_label(entity: &str, code: &str) -> String {
    let label = if entity == "report" {
        reports::Status::parse(code).map(reports::Status::label)
    } else {
        Status::parse(code).map(Status::label)
    };
    label.unwrap_or(code).to_string()
}

/// A value in words: dates the Vietnamese way, statuses by their names.
fn value_text(entity: &str, key: &str, v: Option<&Value>) -> String {
    const LONGEST: usize = 400;
    let text = match v {
        None | Some(Value::Null) => return "—".to_string(),
        Some(Value::String(s)) if key == "status" => status_label(entity, s),
        Some(Value::String(s)) => vn_text(s),
        Some(Value::Number(n)) => n.as_i64().map(vn_number).unwrap_or_else(|| n.to_string()),
        Some(Value::Bool(b)) => if *b { "có" } else { "không" }.to_string(),
        Some(other) => other.to_string(),
    };
    if text.chars().count() > LONGEST {
        let mut cut: String = text.chars().take(LONGEST).collect();
        cut.push('…');
        cut
    } else {
        text
    }
}

fn parse_json(s: &Option<String>) -> Option<Value> {
    s.as_deref().and_then(|s| serde_json::from_str(s).ok())
}

/// The order keys are shown in (JSON objects come back sorted by name);
/// keys not listed follow, by name.
const KEY_ORDER: &[&str] = &[
    "status",
    "progress_note",
    "evidence",
    "evidence_link",
    "attachment",
    "completed_on",
    "start",
    "end",
];

/// An entry's object, one level flattened: `{"figures": {"a": 1}}` becomes
/// `figures.a = 1`, so that a change of one figure is one row.
fn flat(v: &Option<Value>) -> Vec<(String, Value)> {
    let Some(Value::Object(m)) = v else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (k, val) in m {
        match val {
            Value::Object(inner) if !inner.is_empty() => out.extend(
                inner
                    .iter()
                    .map(|(ik, iv)| (format!("{k}.{ik}"), iv.clone())),
            ),
            other => out.push((k.clone(), other.clone())),
        }
    }
    out
}

/// The keys whose values differ between before and after (everything, when
/// there is no before), as (what, before, after) in words.
fn changed_rows(
    entity: &str,
    before: &Option<Value>,
    after: &Option<Value>,
) -> Vec<(String, String, String)> {
    let (before, after) = (flat(before), flat(after));
    let mut keys: Vec<&String> = after.iter().chain(&before).map(|(k, _)| k).collect();
    keys.sort_by_key(|k| {
        let top = k.split('.').next().unwrap_or(k);
        let rank = KEY_ORDER.iter().position(|o| *o == top);
        (rank.unwrap_or(KEY_ORDER.len()), k.to_string())
    });
    keys.dedup();
    let get = |list: &[(String, Value)], k: &str| {
        list.iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.clone())
    };
    keys.into_iter()
        .filter_map(|k| {
            let (b, a) = (get(&before, k), get(&after, k));
            let same = b.as_ref().unwrap_or(&Value::Null) == a.as_ref().unwrap_or(&Value::Null);
            (!same).then(|| {
                (
                    key_label(k),
                    value_text(entity, k, b.as_ref()),
                    value_text(entity, k, a.as_ref()),
                )
            })
        })
        .collect()
}

// ---- The page -----------------------------------------------------------

struct EntryView {
    at: String,
    who: String,
    action: String,
    what: String,
    link: Option<String>,
    rows: Vec<(String, String, String)>,
}

struct EntityOption {
    code: &'static str,
    label: &'static str,
    selected: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "audit.html")]
struct AuditPage {
    layout: Layout,
    entries: Vec<EntryView>,
    entities: Vec<EntityOption>,
    entity: String,
    page: i64,
    pages: i64,
    total: String,
}

#[derive(Deserialize)]
struct PageQuery {
    trang: Option<String>,
    #[serde(rename = "doi-tuong")]
    entity: Option<String>,
}

/// The entity filter: one of the known kinds, or none.
fn entity_filter(s: Option<&str>) -> Option<&'static str> {
    let s = s?.trim();
    ENTITIES
        .iter()
        .map(|(code, _)| *code)
        .find(|code| *code == s)
}

/// Names for the rows: each actor's full name, each assignment's task and
/// unit, each event's name, read once for the page.
async fn entry_views(
    state: &AppState,
    entries: Vec<AuditEntry>,
) -> Result<Vec<EntryView>, AppError> {
    let ids: Vec<i64> = entries
        .iter()
        .filter(|e| e.entity == "assignment")
        .filter_map(|e| e.entity_id.parse().ok())
        .collect();
    let (labels, names) = state.store.audit_names(&ids).await?;
    let events: HashMap<String, String> = state
        .store
        .events()
        .await?
        .into_iter()
        .map(|e| (e.id, e.name))
        .collect();
    Ok(entries
        .into_iter()
        .map(|e| {
            let who = match names.get(&e.actor) {
                Some(full) => format!("{full} ({})", e.actor),
                None => e.actor.clone(),
            };
            let (what, link) = match e.entity.as_str() {
                "assignment" => {
                    let label = e
                        .entity_id
                        .parse()
                        .ok()
                        .and_then(|id: i64| labels.get(&id).cloned())
                        .unwrap_or_else(|| e.entity_id.clone());
                    (label, Some(format!("/nhiem-vu/{}", e.entity_id)))
                }
                "import" => (
                    format!("{} số {}", entity_label(&e.entity), e.entity_id),
                    Some(format!("/nhap-ke-hoach/{}", e.entity_id)),
                ),
                "event" => (
                    events
                        .get(&e.entity_id)
                        .cloned()
                        .unwrap_or_else(|| e.entity_id.clone()),
                    Some(format!("/lich/{}", e.entity_id)),
                ),
                _ => (format!("{} {}", entity_label(&e.entity), e.entity_id), None),
            };
            EntryView {
                at: vn_time(&e.at),
                who,
                action: action_label(&e.action),
                rows: changed_rows(&e.entity, &parse_json(&e.before), &parse_json(&e.after)),
                what,
                link,
            }
        })
        .collect())
}

async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    query: Result<Query<PageQuery>, QueryRejection>,
) -> PageResult<AuditPage> {
    access::read_audit(&user)?;
    let Query(q) = query.map_err(|_| AppError::BadRequest("địa chỉ trang không hợp lệ".into()))?;
    let entity = entity_filter(q.entity.as_deref());
    let total = state.store.audit_count(entity).await?;
    let pages = ((total + PER_PAGE - 1) / PER_PAGE).max(1);
    // A page past the end shows the last one rather than an empty list.
    let page = q
        .trang
        .and_then(|t| t.trim().parse::<i64>().ok())
        .unwrap_or(1)
        .clamp(1, pages);
    let entries = state
        .store
        .audit_page(entity, PER_PAGE, (page - 1) * PER_PAGE)
        .await?;
    Ok(AuditPage {
        layout: Layout::new(&state, &user, "Nhật ký thay đổi", "/nhat-ky"),
        entries: entry_views(&state, entries).await?,
        entities: ENTITIES
            .iter()
            .map(|(code, label)| EntityOption {
                code,
                label,
                selected: Some(*code) == entity,
            })
            .collect(),
        entity: entity.unwrap_or_default().to_string(),
        page,
        pages,
        total: vn_number(total),
    })
}

// ---- API ----------------------------------------------------------------

#[derive(Deserialize)]
struct ApiQuery {
    limit: Option<String>,
    offset: Option<String>,
    entity: Option<String>,
}

#[derive(Serialize)]
struct EntryOut {
    at: String,
    actor: String,
    action: String,
    action_label: String,
    entity: String,
    entity_id: String,
    before: Option<Value>,
    after: Option<Value>,
}

#[derive(Serialize)]
struct AuditOut {
    total: i64,
    entries: Vec<EntryOut>,
}

/// A count from the query string: absent is `default`; anything but a
/// whole number in range is refused, in Vietnamese.
fn count_param(s: Option<&str>, name: &str, default: i64, max: i64) -> Result<i64, AppError> {
    match s.map(str::trim) {
        None | Some("") => Ok(default),
        Some(v) => v
            .parse::<i64>()
            .ok()
            .filter(|n| (0..=max).contains(n))
            .ok_or_else(|| {
                AppError::BadRequest(format!(
                    "«{name}» phải là số nguyên từ 0 đến {max}, không phải «{v}»"
                ))
            }),
    }
}

async fn api_audit(
    State(state): State<AppState>,
    Api(user): Api<CurrentUser>,
    query: Result<Query<ApiQuery>, QueryRejection>,
) -> ApiResult<Json<AuditOut>> {
    access::read_audit(&user)?;
    let Query(q) = query
        .map_err(|_| ApiError(AppError::BadRequest("tham số truy vấn không hợp lệ".into())))?;
    let limit = count_param(q.limit.as_deref(), "limit", PER_PAGE, API_MAX)?;
    let offset = count_param(q.offset.as_deref(), "offset", 0, i64::MAX)?;
    let entity = q.entity.as_deref().map(str::trim).filter(|e| !e.is_empty());
    let total = state.store.audit_count(entity).await?;
    let entries = state
        .store
        .audit_page(entity, limit, offset)
        .await?
        .into_iter()
        .map(|e| EntryOut {
            action_label: action_label(&e.action),
            before: parse_json(&e.before),
            after: parse_json(&e.after),
            at: e.at,
            actor: e.actor,
            action: e.action,
            entity: e.entity,
            entity_id: e.entity_id,
        })
        .collect();
    Ok(Json(AuditOut { total, entries }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn times_in_vietnam() {
        assert_eq!(vn_time("2025-03-10T04:05:06.123Z"), "10/03/2025 11:05");
        assert_eq!(vn_time("2025-03-10T20:00:00Z"), "11/03/2025 03:00");
        assert_eq!(vn_time("không phải giờ"), "không phải giờ");
    }

    #[test]
    fn only_changed_keys_are_shown() {
        let before =
            Some(json!({"status": "not_started", "progress_note": null, "completed_on": null}));
        let after =
            Some(json!({"status": "done", "progress_note": null, "completed_on": "2025-02-05"}));
        assert_eq!(
            changed_rows("assignment", &before, &after),
            vec![
                (
                    "Trạng thái".into(),
                    "Chưa bắt đầu".into(),
                    "Hoàn thành".into()
                ),
                ("Ngày hoàn thành".into(), "—".into(), "05/02/2025".into()),
            ]
        );
        let created = changed_rows("plan", &None, &Some(json!({"tasks": 1234})));
        assert_eq!(
            created,
            vec![("Số nhiệm vụ".into(), "—".into(), "1.234".into())]
        );
        // A report's figures, one row per figure that changed.
        let rows = changed_rows(
            "report",
            &Some(json!({"status": "draft", "figures": {"hoi_nghi": 2, "cuoc_thi": 1}})),
            &Some(json!({"status": "submitted", "figures": {"hoi_nghi": 3, "cuoc_thi": 1}})),
        );
        let rows: Vec<(&str, &str, &str)> = rows
            .iter()
            .map(|(k, b, a)| (k.as_str(), b.as_str(), a.as_str()))
            .collect();
        assert_eq!(
            rows,
            [
                ("Trạng thái", "nháp", "đã nộp"),
                ("Số liệu: hoi_nghi", "2", "3")
            ]
        );
    }
}
