//! A resolved due window: what a rule means on a given calendar and day.

use crate::deadline::Anchor;
use crate::text::name_key;
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
    /// While pending: which moment of the event is awaited.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub anchor: Option<Anchor>,
}

use crate::text::vn_date_text as vn;

/// Every window of one deadline, each in words (`Due::text`), joined by
/// "; "; "không nêu thời hạn" for none. Pages that list a unit's own
/// deadlines use this; `summary` sums up the windows of many assignees.
pub fn texts(ds: &[Due]) -> String {
    if ds.is_empty() {
        return "không nêu thời hạn".to_string();
    }
    ds.iter().map(Due::text).collect::<Vec<_>>().join("; ")
}

/// Every window of one deadline in words, joined by "; ". The many windows
/// of a rule over each assignee's own event are summed up rather than
/// listed one by one.
pub fn summary(ds: &[Due]) -> String {
    let mut parts: Vec<String> = ds
        .iter()
        .filter(|d| d.event.is_none())
        .map(Due::text)
        .collect();
    let per_event: Vec<&Due> = ds.iter().filter(|d| d.event.is_some()).collect();
    if per_event.len() > 3 {
        let waiting = per_event
            .iter()
            .filter(|d| d.state == DueState::Pending)
            .count();
        let mut s = format!("{} hạn theo sự kiện của từng đơn vị", per_event.len());
        if waiting > 0 {
            s.push_str(&format!(" ({waiting} đang chờ ngày sự kiện)"));
        }
        parts.push(s);
    } else {
        parts.extend(per_event.into_iter().map(Due::text));
    }
    parts.join("; ")
}

impl Due {
    /// What a pending window waits for, in words: a meeting by its opening
    /// or closing day ("chờ ngày khai mạc Đại hội XX Đảng bộ tỉnh", "chờ
    /// ngày bế mạc …"), anything else by its date ("chờ ngày «…»").
    pub fn waiting_text(&self) -> String {
        let Some(w) = self.waits_for.as_deref() else {
            return "chờ ngày của sự kiện chưa có ngày".to_string();
        };
        let key = name_key(w);
        let meeting = ["đại hội", "hội nghị", "kỳ họp", "hội thảo", "phiên", "lễ"]
            .iter()
            .any(|m| key.starts_with(&name_key(m)));
        match (meeting, self.anchor) {
            (true, Some(Anchor::End)) => format!("chờ ngày bế mạc {w}"),
            (true, Some(Anchor::During)) => format!("chờ ngày diễn ra {w}"),
            (true, _) => format!("chờ ngày khai mạc {w}"),
            (false, _) => format!("chờ ngày «{w}»"),
        }
    }

    /// The window in words: "01/11/2024 – 30/11/2024", "chậm nhất
    /// 04/02/2025", "ngày 17/10/2025", "từ 01/12/2024", "thường xuyên" …
    pub fn text(&self) -> String {
        match self.state {
            DueState::Pending => self.waiting_text(),
            DueState::Continuous => "thường xuyên".to_string(),
            DueState::AdHoc => "đột xuất, khi có yêu cầu".to_string(),
            DueState::None => "không nêu thời hạn".to_string(),
            DueState::Ended => match self.to.as_deref().or(self.from.as_deref()) {
                Some(d) => format!(
                    "không tính (hạn {} sau khi đơn vị kết thúc hoạt động)",
                    vn(d)
                ),
                None => "không tính (đơn vị đã kết thúc hoạt động)".to_string(),
            },
            DueState::Resolved | DueState::Recurring => {
                let prefix = if self.state == DueState::Recurring {
                    "kỳ này: "
                } else {
                    ""
                };
                let mut s = match (&self.from, &self.to) {
                    (Some(f), Some(t)) if f == t => format!("{prefix}ngày {}", vn(t)),
                    (Some(f), Some(t)) => format!("{prefix}{} – {}", vn(f), vn(t)),
                    (None, Some(t)) => format!("{prefix}chậm nhất {}", vn(t)),
                    (Some(f), None) => format!("{prefix}từ {}", vn(f)),
                    (None, None) => String::new(),
                };
                if let Some(e) = &self.event {
                    s.push_str(&format!(" ({e})"));
                }
                s
            }
        }
    }
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
    /// A window that falls after its assignee ceased to exist (a district
    /// committee ended on 30/06/2025, a congress dated in October): no
    /// deadline for that unit; who takes the work over is decided apart.
    Ended,
}

/// The windows of one assignee whose unit ends on `ends` (YYYY-MM-DD):
/// each dated window whose deadline falls after that day becomes
/// [`DueState::Ended`], keeping its days for the record.
pub fn within_life(mut windows: Vec<Due>, ends: Option<&str>) -> Vec<Due> {
    let Some(ends) = ends else {
        return windows;
    };
    for w in &mut windows {
        let last = w.to.as_deref().or(w.from.as_deref());
        if w.state == DueState::Resolved && last.is_some_and(|d| d > ends) {
            w.state = DueState::Ended;
        }
    }
    windows
}
