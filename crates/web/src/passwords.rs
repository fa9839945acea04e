//! Passwords: argon2id (19 MiB, 2 passes), at most `Hashing::new(n)` hashes
//! at once so that a burst of sign-ins cannot exhaust memory.

use crate::error::AppError;
use argon2::Argon2;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use tokio::sync::Semaphore;

/// Bounded argon2id hashing, off the request threads.
pub struct Hashing {
    permits: Semaphore,
}

impl Hashing {
    pub fn new(at_once: usize) -> Self {
        Hashing {
            permits: Semaphore::new(at_once),
        }
    }

    pub async fn hash(&self, password: &str) -> Result<String, AppError> {
        let _permit = self
            .permits
            .acquire()
            .await
            .map_err(|e| AppError::Internal(e.to_string()))?;
        let password = password.to_string();
        tokio::task::spawn_blocking(move || hash_password(&password))
            .await
            .map_err(|e| AppError::Internal(e.to_string()))?
    }

    pub async fn verify(&self, password: &str, hash: &str) -> Result<bool, AppError> {
        let _permit = self
            .permits
            .acquire()
            .await
            .map_err(|e| AppError::Internal(e.to_string()))?;
        let (password, hash) = (password.to_string(), hash.to_string());
        tokio::task::spawn_blocking(move || verify_password(&password, &hash))
            .await
            .map_err(|e| AppError::Internal(e.to_string()))
    }
}

/// argon2id with the crate's defaults (m = 19 MiB, t = 2, p = 1).
pub fn hash_password(password: &str) -> Result<String, AppError> {
    check_password_rules(password)?;
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| AppError::Internal(e.to_string()))?;
    Argon2::default()
        .hash_password_with_salt(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| AppError::Internal(e.to_string()))
}

/// A real hash of a password nobody has, made once: verifying against it
/// when an account does not exist makes both cases take the same time.
pub fn dummy_hash() -> Result<String, AppError> {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    if let Some(h) = DUMMY.get() {
        return Ok(h.clone());
    }
    let h = hash_password("không có tài khoản này")?;
    Ok(DUMMY.get_or_init(|| h).clone())
}

pub fn verify_password(password: &str, hash: &str) -> bool {
    Argon2::default()
        .verify_password(password.as_bytes(), hash)
        .is_ok()
}

pub fn check_password_rules(password: &str) -> Result<(), AppError> {
    if password.chars().count() < 8 {
        return Err(AppError::BadRequest(
            "mật khẩu phải có ít nhất 8 ký tự".into(),
        ));
    }
    if password.len() > 256 {
        return Err(AppError::BadRequest(
            "mật khẩu quá dài (tối đa 256 byte)".into(),
        ));
    }
    Ok(())
}
