//! The upload quotas (`dondoc_store::quota`) through the API: read by
//! anyone signed in (the upload forms say them), changed by an
//! administrator (`PUT /api/quota`, sizes in MB).

use crate::access;
use crate::error::ApiResult;
use crate::session::{Api, CurrentUser};
use crate::state::AppState;
use crate::support::forms::VnJson;
use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use dondoc_store::quota::Quota;
use serde::Deserialize;
use serde_json::{Value, json};

pub fn routes() -> Router<AppState> {
    Router::new().route("/api/quota", get(read).put(change))
}

const MB: u64 = 1024 * 1024;

fn quota_json(q: Quota) -> Value {
    json!({
        "per_report_mb": q.per_report / MB,
        "per_unit_mb": q.per_unit / MB,
        "per_report_bytes": q.per_report,
        "per_unit_bytes": q.per_unit,
    })
}

async fn read(State(state): State<AppState>, Api(_): Api<CurrentUser>) -> ApiResult<Json<Value>> {
    Ok(Json(quota_json(state.store.quota().await?)))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct QuotaBody {
    per_report_mb: Option<u64>,
    per_unit_mb: Option<u64>,
}

async fn change(
    State(state): State<AppState>,
    Api(user): Api<CurrentUser>,
    VnJson(body): VnJson<QuotaBody>,
) -> ApiResult<Json<Value>> {
    access::administer(&user)?;
    let mb = |v: Option<u64>| v.map(|n| n.saturating_mul(MB));
    let q = state
        .store
        .set_quota(
            mb(body.per_report_mb),
            mb(body.per_unit_mb),
            &user.user.username,
        )
        .await?;
    Ok(Json(quota_json(q)))
}
