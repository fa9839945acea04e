//! What every page's frame shows: who is signed in, the navigation, today.

use crate::access;
use crate::session::CurrentUser;
use crate::state::AppState;

pub struct NavItem {
    pub href: &'static str,
    pub label: &'static str,
    pub active: bool,
}

pub struct Layout {
    pub title: String,
    pub today: String,
    pub user_name: Option<String>,
    pub user_role: String,
    pub user_unit: String,
    pub csrf: String,
    pub nav: Vec<NavItem>,
}

pub use dondoc_core::text::{vn_date, vn_date_text as vn_text};

/// 1234567 → 1.234.567
pub fn vn_number(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    if n < 0 { format!("-{out}") } else { out }
}

/// A stored UTC timestamp as Vietnam reads it: "10/03/2025 14:05" (UTC+7).
pub fn vn_time(at: &str) -> String {
    match at.parse::<jiff::Timestamp>() {
        Ok(ts) => {
            let t = jiff::tz::Offset::constant(7).to_datetime(ts);
            format!(
                "{:02}/{:02}/{} {:02}:{:02}",
                t.day(),
                t.month(),
                t.year(),
                t.hour(),
                t.minute()
            )
        }
        Err(_) => at.to_string(),
    }
}

/// "1,5 MB", "340 KB", "900 byte".
pub fn size_text(bytes: i64) -> String {
    if bytes >= 1024 * 1024 {
        let tenths = bytes * 10 / (1024 * 1024);
        format!("{},{} MB", tenths / 10, tenths % 10)
    } else if bytes >= 1024 {
        format!("{} KB", bytes / 1024)
    } else {
        format!("{} byte", vn_number(bytes))
    }
}

impl Layout {
    pub fn new(state: &AppState, user: &CurrentUser, title: &str, active: &str) -> Self {
        let mut nav = vec![
            ("/", "Tổng quan"),
            ("/ke-hoach", "Kế hoạch"),
            ("/don-vi", "Đơn vị"),
            ("/lich", "Lịch"),
            ("/bao-cao", "Báo cáo"),
        ];
        if access::read_audit(user).is_ok() {
            nav.push(("/nhat-ky", "Nhật ký"));
        }
        Layout {
            title: title.to_string(),
            today: vn_date(state.clock.today()),
            user_name: Some(user.user.full_name.clone()),
            user_role: user.user.role.label().to_string(),
            user_unit: user.user.unit_name.clone(),
            csrf: user.csrf.clone(),
            nav: nav
                .into_iter()
                .map(|(href, label)| NavItem {
                    href,
                    label,
                    active: href == active,
                })
                .collect(),
        }
    }

    pub fn anonymous(state: &AppState, title: &str) -> Self {
        Layout {
            title: title.to_string(),
            today: vn_date(state.clock.today()),
            user_name: None,
            user_role: String::new(),
            user_unit: String::new(),
            csrf: String::new(),
            nav: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn numbers_the_vietnamese_way() {
        assert_eq!(super::vn_number(1234), "1.234");
        assert_eq!(super::vn_number(1234567), "1.234.567");
        assert_eq!(super::vn_number(12), "12");
        assert_eq!(super::vn_number(-1000), "-1.000");
    }
}
