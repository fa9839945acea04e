//! Days: Vietnam's lunar calendar, public holidays and working days.

pub mod holidays;
pub mod lunar;

pub use holidays::Holidays;
