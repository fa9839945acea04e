//! What every page's frame shows: who is signed in, the navigation, today.

use crate::access;
use crate::session::CurrentUser;
use crate::state::AppState;
use dondoc_store::plans::PlanRow;

pub struct NavItem {
    pub href: String,
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
    /// The plans to choose among, when there is more than one (the chooser
    /// in the frame); the one in view is `selected`.
    pub plans: Vec<PlanChoice>,
}

/// One plan in the frame's chooser.
pub struct PlanChoice {
    pub id: i64,
    pub label: String,
    pub selected: bool,
}

pub use dondoc_core::text::{vn_date, vn_date_text as vn_text, vn_number, vn_time};

impl Layout {
    pub fn new(state: &AppState, user: &CurrentUser, title: &str, active: &str) -> Self {
        let mut nav = vec![
            ("/viec-cua-toi", "Việc của tôi"),
            ("/", "Tổng quan"),
            ("/ke-hoach", "Kế hoạch"),
            ("/don-vi", "Đơn vị"),
            ("/lich", "Lịch"),
            ("/bao-cao", "Báo cáo"),
        ];
        if access::read_audit(user).is_ok() {
            nav.push(("/nhat-ky", "Nhật ký"));
        }
        nav.push(("/huong-dan", "Hướng dẫn"));
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
                    href: href.to_string(),
                    label,
                    active: href == active,
                })
                .collect(),
            plans: Vec::new(),
        }
    }

    /// The frame of a page about one plan among `plans`: the chooser, and
    /// the plan carried by every link of the menu (`?ke-hoach=ID`).
    pub fn in_plan(mut self, plan_id: i64, plans: &[PlanRow]) -> Self {
        for item in &mut self.nav {
            item.href = format!("{}?ke-hoach={plan_id}", item.href);
        }
        if plans.len() > 1 {
            self.plans = plans
                .iter()
                .map(|p| PlanChoice {
                    id: p.plan_id,
                    label: format!("{} — {}", p.number, p.issuer),
                    selected: p.plan_id == plan_id,
                })
                .collect();
        }
        self
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
            plans: Vec::new(),
        }
    }
}
