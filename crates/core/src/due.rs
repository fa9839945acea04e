//! A resolved due window: what a rule means on a given calendar and day.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Due {
    /// First day of the window (inclusive), `YYYY-MM-DD`.
    pub from: Option<String>,
    /// Last day of the window (inclusive), `YYYY-MM-DD`.
    pub to: Option<String>,
    pub state: DueState,
    /// The event whose date is still unknown, while `state` is `pending`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub waits_for: Option<String>,
    /// The occurrence a window belongs to, for rules over several events.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DueState {
    Resolved,
    Pending,
    Recurring,
    Continuous,
    AdHoc,
    None,
}
