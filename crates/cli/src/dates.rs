//! Dates on the command line: `2025-02-05` or `05/02/2025` (also `5/2/2025`).

use crate::error::{CliError, Result};
use jiff::civil::Date;

/// A day given on the command line (see `dondoc_core::text::parse_day`).
pub fn parse(s: &str) -> Result<Date> {
    dondoc_core::text::parse_day(s).map_err(CliError::Usage)
}

/// Today in Vietnam (UTC+7), unless a day is given.
pub fn today_or(given: Option<&str>) -> Result<Date> {
    match given {
        Some(s) => parse(s),
        None => Ok(dondoc_core::text::today_in_vietnam()),
    }
}

/// `2024-11-19` written the Vietnamese way; text that is not a date stays.
pub use dondoc_core::text::vn_date_text as vn_text;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_spellings() {
        assert_eq!(parse("2025-02-05").unwrap(), jiff::civil::date(2025, 2, 5));
        assert_eq!(parse("05/02/2025").unwrap(), jiff::civil::date(2025, 2, 5));
        assert_eq!(parse("5/2/2025").unwrap(), jiff::civil::date(2025, 2, 5));
        assert!(parse("31/02/2025").is_err());
        assert!(parse("2025/02/05").is_err());
        assert!(parse("05/02/1925").is_err());
        assert!(
            parse("hôm nay")
                .unwrap_err()
                .to_string()
                .contains("«hôm nay»")
        );
    }
}
