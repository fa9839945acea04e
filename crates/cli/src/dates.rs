//! Dates on the command line: `2025-02-05` or `05/02/2025` (also `5/2/2025`).

use crate::error::{CliError, Result};
use jiff::civil::Date;
use jiff::tz::Offset;

pub fn parse(s: &str) -> Result<Date> {
    let bad = || {
        CliError::Usage(format!(
            "ngày «{s}» không hợp lệ: viết 2025-02-05 hoặc 05/02/2025"
        ))
    };
    let t = s.trim();
    if let Ok(d) = t.parse::<Date>() {
        return Ok(d);
    }
    let parts: Vec<&str> = t.split('/').collect();
    let [d, m, y] = parts.as_slice() else {
        return Err(bad());
    };
    let num = |x: &str| x.parse::<i16>().map_err(|_| bad());
    let (d, m, y) = (num(d)?, num(m)?, num(y)?);
    if y < 1000 {
        return Err(bad());
    }
    Date::new(y, m as i8, d as i8).map_err(|_| bad())
}

/// Today in Vietnam (UTC+7), unless a day is given.
pub fn today_or(given: Option<&str>) -> Result<Date> {
    match given {
        Some(s) => parse(s),
        None => Ok(Offset::constant(7)
            .to_datetime(jiff::Timestamp::now())
            .date()),
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
        assert!(
            parse("hôm nay")
                .unwrap_err()
                .to_string()
                .contains("«hôm nay»")
        );
    }
}
