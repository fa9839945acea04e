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
    if !store.has_plan(&doc.issuer, &doc.number).await? {
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

/// `--public-url`: an http(s) address with a host, kept without its
/// trailing slash.
pub fn public_url(s: &str) -> Result<String> {
    let t = s.trim().trim_end_matches('/');
    let rest = t
        .strip_prefix("https://")
        .or_else(|| t.strip_prefix("http://"));
    match rest {
        Some(host) if !host.is_empty() && !host.contains(char::is_whitespace) => Ok(t.to_string()),
        _ => Err(CliError::Usage(format!(
            "--public-url «{s}» không hợp lệ: cần một địa chỉ http:// hoặc https:// (ví dụ https://dondoc.caobang.gov.vn)"
        ))),
    }
}

pub async fn run(
    store: Store,
    addr: &str,
    public_url: Option<String>,
    trusted_proxy: Option<std::net::IpAddr>,
    demo: bool,
    clock: Clock,
) -> Result<()> {
    let addr: SocketAddr = addr.parse().map_err(|_| {
        CliError::Usage(format!(
            "địa chỉ «{addr}» không hợp lệ (ví dụ 127.0.0.1:8080)"
        ))
    })?;
    // A database the service cannot write to is found now, not at the
    // first sign-in.
    store
        .check_writable()
        .await
        .map_err(|e| CliError::Usage(format!("không ghi được vào cơ sở dữ liệu: {e}")))?;
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
    let mut state = AppState::new(store.clone(), clock);
    state.secure_cookies = public_url
        .as_deref()
        .is_some_and(|u| u.starts_with("https://"));
    state.public_url = public_url;
    state.trusted_proxy = trusted_proxy;
    let app = dondoc_web::router(state).into_make_service_with_connect_info::<SocketAddr>();
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

#[cfg(test)]
mod tests {
    #[test]
    fn public_addresses_are_http_or_https_with_a_host() {
        assert_eq!(
            super::public_url("https://dondoc.caobang.gov.vn/").unwrap(),
            "https://dondoc.caobang.gov.vn"
        );
        assert_eq!(
            super::public_url("http://10.0.0.5:8080").unwrap(),
            "http://10.0.0.5:8080"
        );
        for bad in [
            "dondoc.caobang.gov.vn",
            "https://",
            "ftp://x",
            "https://a b",
        ] {
            let e = super::public_url(bad).unwrap_err().to_string();
            assert!(e.contains("--public-url"), "{bad}: {e}");
        }
    }
}
