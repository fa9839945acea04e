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
    #[error("không tìm thấy kế hoạch số {0}")]
    PlanNotFound(String),
    #[error("cơ sở dữ liệu chưa có kế hoạch nào (chạy «dondoc demo» để nạp kế hoạch mẫu)")]
    NoPlan,
    #[error("cơ sở dữ liệu có nhiều kế hoạch ({0}): chọn một bằng --plan SỐ")]
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
}

pub type Result<T> = std::result::Result<T, StoreError>;

impl From<serde_json::Error> for StoreError {
    fn from(e: serde_json::Error) -> Self {
        StoreError::Corrupt(e.to_string())
    }
}
