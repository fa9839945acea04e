//! `dondoc serve`: the service, with the demo plan and accounts on request.

use crate::error::{CliError, Result};
use dondoc_core::plan_file;
use dondoc_store::Store;
use dondoc_store::users::{NewUser, Role};
use dondoc_web::{AppState, Clock};
use std::net::SocketAddr;

/// Demo accounts: one per role, and officers of two units.
pub const DEMO_PASSWORD: &str = "dondoc-2025";
const DEMO_USERS: &[(&str, &str, &str, Role)] = &[
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
    (
        "baolac",
        "Cán bộ Huyện uỷ Bảo Lạc",
        "Huyện uỷ Bảo Lạc",
        Role::Officer,
    ),
    (
        "baocaobang",
        "Cán bộ Báo Cao Bằng",
        "Báo Cao Bằng",
        Role::Officer,
    ),
];

/// Loads the reference plan and the demo accounts into an empty database.
pub async fn load_demo(store: &Store, today: jiff::civil::Date) -> Result<bool> {
    let doc = plan_file::read(crate::REFERENCE_PLAN)?;
    let mut loaded = false;
    if !store.has_plan(&doc.number).await? {
        store.load_plan(&doc, "demo", today).await?;
        loaded = true;
    }
    if store.user_count().await? == 0 {
        let index = store.unit_index().await?;
        let hash = dondoc_web::passwords::hash_password(DEMO_PASSWORD)
            .map_err(|e| CliError::Usage(e.to_string()))?;
        for (username, name, unit, role) in DEMO_USERS {
            let unit_id = index
                .find(unit)
                .ok_or_else(|| CliError::Usage(format!("kế hoạch mẫu thiếu đơn vị «{unit}»")))?;
            store
                .add_user(&NewUser {
                    username,
                    full_name: name,
                    unit_id,
                    role: *role,
                    password_hash: &hash,
                })
                .await?;
        }
        loaded = true;
    }
    Ok(loaded)
}

pub async fn run(store: Store, addr: &str, demo: bool, clock: Clock) -> Result<()> {
    let addr: SocketAddr = addr.parse().map_err(|_| {
        CliError::Usage(format!(
            "địa chỉ «{addr}» không hợp lệ (ví dụ 127.0.0.1:8080)"
        ))
    })?;
    if demo {
        load_demo(&store, clock.today()).await?;
        crate::out!("Tài khoản dùng thử (mật khẩu chung: {DEMO_PASSWORD}):");
        for (username, _, unit, role) in DEMO_USERS {
            crate::out!("  {username:<12} {:<18} {unit}", role.label());
        }
    }
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| CliError::Usage(format!("không mở được cổng {addr}: {e}")))?;
    let bound = listener
        .local_addr()
        .map_err(|e| CliError::Usage(e.to_string()))?;
    let app = dondoc_web::router(AppState::new(store.clone(), clock))
        .into_make_service_with_connect_info::<SocketAddr>();
    crate::out!("dondoc: listening on http://{bound}");
    axum_serve(listener, app).await?;
    store.close().await;
    Ok(())
}

async fn axum_serve(listener: tokio::net::TcpListener, app: dondoc_web::MakeService) -> Result<()> {
    dondoc_web::serve(listener, app, async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await
    .map_err(|e| CliError::Usage(format!("máy chủ dừng vì lỗi: {e}")))
}
