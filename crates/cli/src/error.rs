//! The command line's one error type: every failure is said in Vietnamese
//! on stderr and ends the process with status 1 (2 for usage errors).

use dondoc_core::deadline::ParseError;
use dondoc_core::plan_file::PlanFileError;
use dondoc_store::StoreError;
use std::fmt;

#[derive(Debug)]
pub enum CliError {
    /// The command line itself is wrong (exit 2).
    Usage(String),
    /// What the command was given is wrong: a file's rows, a name (exit 1).
    Input(String),
    /// A document could not be made from the data (exit 1).
    Output(String),
    Store(StoreError),
    Plan(PlanFileError),
    Phrase(ParseError),
    File {
        path: String,
        cause: std::io::Error,
    },
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CliError::Usage(m) | CliError::Input(m) | CliError::Output(m) => write!(f, "{m}"),
            CliError::Store(e) => write!(f, "{e}"),
            CliError::Plan(e) => write!(f, "{e}"),
            CliError::Phrase(e) => write!(f, "{e}"),
            CliError::File { path, cause } => {
                let why = match cause.kind() {
                    std::io::ErrorKind::NotFound => "không có tệp này".to_string(),
                    std::io::ErrorKind::PermissionDenied => "không có quyền đọc/ghi".to_string(),
                    std::io::ErrorKind::InvalidData => "tệp không phải văn bản UTF-8".to_string(),
                    _ => cause.to_string(),
                };
                write!(f, "tệp «{path}»: {why}")
            }
        }
    }
}

impl CliError {
    pub fn exit_code(&self) -> i32 {
        match self {
            // Which plan was meant is for the caller to say.
            CliError::Usage(_)
            | CliError::Store(StoreError::SeveralPlans(_) | StoreError::AmbiguousPlan { .. }) => 2,
            _ => 1,
        }
    }
}

impl From<StoreError> for CliError {
    fn from(e: StoreError) -> Self {
        CliError::Store(e)
    }
}

impl From<PlanFileError> for CliError {
    fn from(e: PlanFileError) -> Self {
        CliError::Plan(e)
    }
}

impl From<ParseError> for CliError {
    fn from(e: ParseError) -> Self {
        CliError::Phrase(e)
    }
}

pub type Result<T> = std::result::Result<T, CliError>;
