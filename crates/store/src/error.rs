//! The store's one error type. Messages are Vietnamese and name what was
//! wrong; database causes are kept for the log, not shown to users.

use dondoc_core::plan_file::PlanFileError;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(
        "địa chỉ cơ sở dữ liệu không hợp lệ: «{0}» (dùng đường dẫn tệp SQLite hoặc postgres://…)"
    )]
    BadUrl(String),
    #[error("{0}")]
    InvalidPlan(#[from] PlanFileError),
    #[error("kế hoạch số {0} đã có trong cơ sở dữ liệu")]
    PlanExists(String),
    #[error("không tìm thấy kế hoạch {0}")]
    PlanNotFound(String),
    #[error(
        "kế hoạch {asked} khớp nhiều kế hoạch: {choices}; thêm --issuer ĐƠN_VỊ hoặc chọn theo mã (--plan MÃ)"
    )]
    AmbiguousPlan { asked: String, choices: String },
    #[error("cơ sở dữ liệu chưa có kế hoạch nào (chạy «dondoc demo» để nạp kế hoạch mẫu)")]
    NoPlan,
    #[error(
        "cơ sở dữ liệu có nhiều kế hoạch: {0}; chọn một bằng --plan SỐ (thêm --issuer ĐƠN_VỊ khi hai kế hoạch cùng số) hoặc --plan MÃ"
    )]
    SeveralPlans(String),
    #[error("không tìm thấy sự kiện «{name}»{hint}")]
    EventNotFound { name: String, hint: String },
    #[error("tên «{name}» khớp nhiều sự kiện: {candidates}; dùng mã sự kiện")]
    EventAmbiguous { name: String, candidates: String },
    #[error("{0}")]
    Invalid(String),
    /// The record changed since the form was loaded (optimistic concurrency).
    #[error("{0}")]
    Stale(String),
    #[error("lỗi cơ sở dữ liệu: {0}")]
    Database(#[from] sqlx::Error),
    #[error("lỗi khi cập nhật cấu trúc cơ sở dữ liệu: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("dữ liệu lưu trong cơ sở dữ liệu bị hỏng: {0}")]
    Corrupt(String),
    /// A write that could not be made durable: the message names the step
    /// that failed (opening the transaction, a write's savepoint, the
    /// commit) and its cause. Nothing of the write was kept.
    #[error("không ghi được vào cơ sở dữ liệu: {0}")]
    WriteFailed(String),
    /// The database was busy (SQLite locked by another writer, a PostgreSQL
    /// lock or serialisation conflict, no free connection): nothing was
    /// kept, and the same write may simply be sent again.
    #[error("cơ sở dữ liệu đang bận, chưa ghi được ({0}); xin thử lại sau giây lát")]
    Busy(String),
}

impl StoreError {
    /// Whether sending the same write again may succeed.
    pub fn is_retryable(&self) -> bool {
        matches!(self, StoreError::Busy(_))
    }
}

/// Whether a database error only says the database was busy: SQLite's
/// `SQLITE_BUSY`/`SQLITE_LOCKED` (and their extended codes), PostgreSQL's
/// serialisation failure, deadlock and lock-not-available, or a pool with no
/// free connection in time.
pub(crate) fn is_busy(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::PoolTimedOut => true,
        sqlx::Error::Database(d) => {
            let code = d.code();
            let code = code.as_deref().unwrap_or("");
            // SQLite reports its extended result code: the primary code is
            // the low byte (5 busy, 6 locked).
            let sqlite_busy = code.parse::<i64>().is_ok_and(|c| matches!(c & 0xff, 5 | 6));
            let pg_busy = matches!(code, "40001" | "40P01" | "55P03");
            let message = d.message().to_ascii_lowercase();
            sqlite_busy
                || pg_busy
                || message.contains("database is locked")
                || message.contains("database table is locked")
        }
        _ => false,
    }
}

pub type Result<T> = std::result::Result<T, StoreError>;

impl From<serde_json::Error> for StoreError {
    fn from(e: serde_json::Error) -> Self {
        StoreError::Corrupt(e.to_string())
    }
}
