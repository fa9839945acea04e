//! `dondoc user add|passwd|list`: accounts from the command line.

use crate::error::{CliError, Result};
use dondoc_store::Store;
use dondoc_store::users::{NewUser, Role};

fn password(given: Option<String>) -> Result<String> {
    match given {
        Some(p) => Ok(p),
        None => {
            // One line from standard input, so scripts can pipe it in.
            let mut line = String::new();
            std::io::stdin()
                .read_line(&mut line)
                .map_err(|e| CliError::Input(format!("không đọc được mật khẩu: {e}")))?;
            Ok(line.trim_end_matches(['\n', '\r']).to_string())
        }
    }
}

fn hash(p: &str) -> Result<String> {
    dondoc_web::passwords::hash_password(p).map_err(|e| CliError::Input(e.to_string()))
}

pub async fn add(
    store: &Store,
    username: &str,
    unit: &str,
    role: &str,
    full_name: Option<&str>,
    given: Option<String>,
) -> Result<()> {
    let role = Role::parse(role).ok_or_else(|| {
        CliError::Input(format!(
            "vai trò «{role}» không có; chọn: quan-tri (admin), chu-tri (owner), can-bo (officer), lanh-dao (leader)"
        ))
    })?;
    let unit_id = store
        .unit_named(unit)
        .await?
        .ok_or_else(|| CliError::Input(format!("không có đơn vị «{unit}»")))?;
    let pw = password(given)?;
    let password_hash = hash(&pw)?;
    store
        .add_user(&NewUser {
            username,
            full_name: full_name.unwrap_or(username),
            unit_id,
            role,
            password_hash: &password_hash,
        })
        .await?;
    crate::out!("Đã tạo tài khoản {username} ({}, {unit}).", role.label());
    Ok(())
}

pub async fn passwd(store: &Store, username: &str, given: Option<String>) -> Result<()> {
    let user = store
        .user_by_username(username)
        .await?
        .ok_or_else(|| CliError::Input(format!("không có tài khoản «{username}»")))?;
    let pw = password(given)?;
    store.set_password(user.user_id, &hash(&pw)?).await?;
    crate::out!("Đã đổi mật khẩu của {username}; các phiên đăng nhập cũ đã đóng.");
    Ok(())
}

pub async fn list(store: &Store) -> Result<()> {
    let all = store.users().await?;
    if all.is_empty() {
        crate::out!("Chưa có tài khoản nào.");
    }
    for u in all {
        let state = if u.active { "" } else { " (đã khoá)" };
        crate::out!(
            "{:<16} {:<18} {}  — {}{state}",
            u.username,
            u.role.label(),
            u.unit_name,
            u.full_name
        );
    }
    Ok(())
}
