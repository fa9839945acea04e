//! Vietnam's public holidays and working days.
//!
//! Two sources, kept apart:
//! - the rules of the Labour Code 2019 (art. 112): Tết Dương lịch 1/1; Tết
//!   Nguyên đán, 5 days (by default the last day of the lunar year and the
//!   first four of the next); Giỗ Tổ Hùng Vương 10/3 lunar (a holiday since
//!   2007); 30/4; 1/5; Quốc khánh 2/9 plus, since 2021, 1/9 or 3/9. A holiday
//!   falling on the weekly rest (Saturday, Sunday for civil servants) is made
//!   up on the next working day (art. 111(3)).
//! - what the government announces each year for civil servants (days
//!   swapped, compensatory days placed elsewhere, longer Tết breaks), kept as
//!   data in [`ANNOUNCED`]. An announcement for a holiday replaces the rules'
//!   guesses for it (its compensatory days, the second day of Quốc khánh).
//!
//! The rules are applied to every year alike, so years before the laws (and
//! long before 2021) are only approximate.

use super::lunar;
use jiff::civil::{Date, Weekday, date};
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::iter::successors;
use unicode_normalization::UnicodeNormalization;

/// The holidays of a year, grouped as the government announces them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Holiday {
    NewYear,
    Tet,
    HungKings,
    /// 30/4 and 1/5, announced together.
    VictoryAndLabour,
    National,
}

impl Holiday {
    /// The name of a compensatory day (nghỉ bù) the rules add for it.
    fn make_up_name(self) -> &'static str {
        match self {
            Holiday::NewYear => "Nghỉ bù Tết Dương lịch",
            Holiday::Tet => "Nghỉ bù Tết Nguyên đán",
            Holiday::HungKings => "Nghỉ bù Giỗ Tổ Hùng Vương",
            Holiday::VictoryAndLabour => "Nghỉ bù lễ 30/4 – 1/5",
            Holiday::National => "Nghỉ bù Quốc khánh",
        }
    }
}

/// What the government announced for one holiday of one year.
struct Announced {
    year: i16,
    holiday: Holiday,
    /// Days off besides the legal days of the holiday: (month, day, name).
    off: &'static [(i8, i8, &'static str)],
    /// Weekend days made working days, in exchange for a day off.
    work: &'static [(i8, i8)],
}

const TET_BREAK: &str = "Nghỉ Tết Nguyên đán";

/// Announced schedules for civil servants. Only what is known for sure;
/// other years get the rules alone.
const ANNOUNCED: &[Announced] = &[
    // Tết Quý Mão: 20/01 – 26/01/2023; the two extra days make up for
    // Saturday 21/01 and Sunday 22/01 (30 Tết, mùng 1).
    Announced {
        year: 2023,
        holiday: Holiday::Tet,
        off: &[(1, 20, TET_BREAK), (1, 26, TET_BREAK)],
        work: &[],
    },
    // Quốc khánh 2023: 2/9 was a Saturday; 1/9 the second day, Monday 4/9
    // makes up for the Saturday: 01/09 – 04/09.
    Announced {
        year: 2023,
        holiday: Holiday::National,
        off: &[(9, 1, "Quốc khánh"), (9, 4, "Nghỉ bù Quốc khánh")],
        work: &[],
    },
    // Tết Giáp Thìn: 08/02 – 14/02/2024 (29 tháng Chạp – mùng 5); the extra
    // days make up for Saturday 10/02 and Sunday 11/02 (mùng 1, mùng 2).
    Announced {
        year: 2024,
        holiday: Holiday::Tet,
        off: &[(2, 8, TET_BREAK), (2, 14, TET_BREAK)],
        work: &[],
    },
    // 30/4 – 1/5/2024: 27/04 – 01/05; Monday 29/04 off, worked back on
    // Saturday 04/05.
    Announced {
        year: 2024,
        holiday: Holiday::VictoryAndLabour,
        off: &[(4, 29, "Nghỉ lễ 30/4 – 1/5 (hoán đổi)")],
        work: &[(5, 4)],
    },
    // Quốc khánh 2024: Monday 2/9 and Tuesday 3/9: 31/08 – 03/09.
    Announced {
        year: 2024,
        holiday: Holiday::National,
        off: &[(9, 3, "Quốc khánh")],
        work: &[],
    },
    // Tết Ất Tỵ: 25/01 – 02/02/2025, 9 days with both weekends; Monday 27/01
    // stands in for Saturday 01/02 (mùng 4).
    Announced {
        year: 2025,
        holiday: Holiday::Tet,
        off: &[(1, 27, TET_BREAK)],
        work: &[],
    },
    // 30/4 – 1/5/2025: 30/04 – 04/05; Friday 02/05 off, worked on Saturday 26/04.
    Announced {
        year: 2025,
        holiday: Holiday::VictoryAndLabour,
        off: &[(5, 2, "Nghỉ lễ 30/4 – 1/5 (hoán đổi)")],
        work: &[(4, 26)],
    },
    // Quốc khánh 2025: Monday 1/9 and Tuesday 2/9: 30/08 – 02/09.
    Announced {
        year: 2025,
        holiday: Holiday::National,
        off: &[(9, 1, "Quốc khánh")],
        work: &[],
    },
    // Tết Bính Ngọ: 14/02 – 22/02/2026; the five legal days (Monday 16/02 –
    // Friday 20/02) between two weekends, nothing beyond the rules.
    Announced {
        year: 2026,
        holiday: Holiday::Tet,
        off: &[],
        work: &[],
    },
];

/// The years computed up front; others are computed when asked.
const YEARS: std::ops::RangeInclusive<i16> = 1900..=2100;

fn is_weekend(d: Date) -> bool {
    matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday)
}

fn shift(d: Date, days: i64) -> Option<Date> {
    d.checked_add(jiff::Span::new().try_days(days).ok()?).ok()
}

/// The days after `d`, as far as jiff's range goes.
fn days_after(d: Date) -> impl Iterator<Item = Date> {
    successors(d.tomorrow().ok(), |d| d.tomorrow().ok())
}

fn days_before(d: Date) -> impl Iterator<Item = Date> {
    successors(d.yesterday().ok(), |d| d.yesterday().ok())
}

/// Quốc khánh's second day when none is announced: of 1/9 and 3/9, the one
/// that joins 2/9 and the weekend into the longest run of days off (the
/// government's usual choice: 3/9 in 2021 and 2024, 1/9 in 2022, 2023 and
/// 2025); 1/9 on a tie (2/9 on a Wednesday).
fn second_national_day(year: i16) -> Date {
    let national = date(year, 9, 2);
    let run = |extra: Date| {
        let off = |d: &Date| *d == extra || is_weekend(*d);
        days_before(national).take_while(off).count() + days_after(national).take_while(off).count()
    };
    let (first, third) = (date(year, 9, 1), date(year, 9, 3));
    if run(first) >= run(third) {
        first
    } else {
        third
    }
}

/// The days off and the weekend days worked of one year.
#[derive(Debug, Clone)]
struct Year {
    off: Vec<(Date, &'static str)>,
    work: Vec<Date>,
}

impl Year {
    fn new(year: i16) -> Year {
        let announced: Vec<&Announced> = ANNOUNCED.iter().filter(|a| a.year == year).collect();
        let is_announced = |h: Holiday| announced.iter().any(|a| a.holiday == h);

        let tet = lunar::tet(year.into());
        let mut legal = vec![(date(year, 1, 1), "Tết Dương lịch", Holiday::NewYear)];
        legal.extend(
            (-1..=3)
                .filter_map(|n| shift(tet, n))
                .map(|d| (d, "Tết Nguyên đán", Holiday::Tet)),
        );
        if year >= 2007 {
            let day = lunar::hung_kings_day(year.into());
            legal.push((day, "Giỗ Tổ Hùng Vương", Holiday::HungKings));
        }
        legal.push((
            date(year, 4, 30),
            "Ngày Chiến thắng",
            Holiday::VictoryAndLabour,
        ));
        legal.push((
            date(year, 5, 1),
            "Ngày Quốc tế Lao động",
            Holiday::VictoryAndLabour,
        ));
        legal.push((date(year, 9, 2), "Quốc khánh", Holiday::National));
        if year >= 2021 && !is_announced(Holiday::National) {
            legal.push((second_national_day(year), "Quốc khánh", Holiday::National));
        }
        legal.sort_by_key(|&(d, _, _)| d);

        let mut off: Vec<(Date, &'static str)> =
            legal.iter().map(|&(d, name, _)| (d, name)).collect();
        let mut work = Vec::new();
        for a in &announced {
            off.extend(
                a.off
                    .iter()
                    .filter_map(|&(m, d, name)| Some((Date::new(year, m, d).ok()?, name))),
            );
            work.extend(
                a.work
                    .iter()
                    .filter_map(|&(m, d)| Date::new(year, m, d).ok()),
            );
        }
        // Make up legal days lost to the weekend, in date order so that each
        // takes the first working day the earlier ones left free.
        for &(day, _, holiday) in &legal {
            if is_weekend(day) && !is_announced(holiday) {
                let free =
                    days_after(day).find(|c| !is_weekend(*c) && !off.iter().any(|o| o.0 == *c));
                if let Some(c) = free {
                    off.push((c, holiday.make_up_name()));
                }
            }
        }
        // A day that is two holidays at once keeps the legal name.
        off.sort_by_key(|o| o.0);
        off.dedup_by_key(|o| o.0);
        Year { off, work }
    }
}

/// Public holidays and working days, for the working week of Vietnam's civil
/// service (Monday to Friday).
#[derive(Debug, Clone)]
pub struct Holidays {
    years: BTreeMap<i16, Year>,
}

impl Holidays {
    /// Vietnam's holidays: the Labour Code's rules plus the announced
    /// schedules, computed for 1900–2100 (other years on demand).
    pub fn vietnam() -> Holidays {
        Holidays {
            years: YEARS.map(|y| (y, Year::new(y))).collect(),
        }
    }

    fn year(&self, year: i16) -> Cow<'_, Year> {
        match self.years.get(&year) {
            Some(y) => Cow::Borrowed(y),
            None => Cow::Owned(Year::new(year)),
        }
    }

    /// The Vietnamese name of the holiday or announced day off `d` is, if any.
    /// A plain weekend is not a holiday.
    pub fn is_holiday(&self, d: Date) -> Option<&'static str> {
        self.year(d.year())
            .off
            .iter()
            .find(|o| o.0 == d)
            .map(|o| o.1)
    }

    /// Monday to Friday and not a day off, or a weekend day announced as worked.
    pub fn is_working_day(&self, d: Date) -> bool {
        let year = self.year(d.year());
        year.work.contains(&d) || (!is_weekend(d) && !year.off.iter().any(|o| o.0 == d))
    }

    /// The `n`-th working day after `d` (before it when `n` < 0); `d` itself
    /// when `n` = 0. Stops at the end of jiff's range of dates.
    pub fn add_working_days(&self, d: Date, n: i32) -> Date {
        let mut days: Box<dyn Iterator<Item = Date>> = if n >= 0 {
            Box::new(days_after(d))
        } else {
            Box::new(days_before(d))
        };
        let mut last = d;
        let mut left = n.unsigned_abs();
        while left > 0 {
            let Some(next) = days.next() else { break };
            last = next;
            if self.is_working_day(next) {
                left -= 1;
            }
        }
        last
    }

    /// The dates of a holiday named as a plan would write it, e.g. "Tết
    /// Nguyên đán Ất Tỵ 2025", "Tết Nguyên đán 2025", "Tết Ất Tỵ 2025", "Giỗ
    /// Tổ Hùng Vương 2025", "Quốc khánh 2025", "Tết Dương lịch 2025"; other
    /// words around the name are ignored. Names match case and diacritics
    /// exactly. A Gregorian year (the first four-digit number, 1900–2100) is
    /// required; a can-chi, if given, must be that year's. Tết spans mùng 1 –
    /// mùng 3; the others are one day (start = end).
    pub fn named_event(&self, name: &str) -> Option<(Date, Date)> {
        let text: String = name.nfc().collect();
        let year = gregorian_year(&text)?;
        let can_chi = lunar::can_chi_names().find(|c| text.contains(c.as_str()));
        if can_chi
            .as_ref()
            .is_some_and(|c| *c != lunar::can_chi_year(year))
        {
            return None;
        }
        let one_day = |d: Date| Some((d, d));
        let y = year as i16; // 1900..=2100
        if text.contains("Tết Dương lịch") {
            one_day(date(y, 1, 1))
        } else if text.contains("Tết Nguyên đán")
            || text.contains("Tết Âm lịch")
            || can_chi.is_some_and(|c| text.contains(&format!("Tết {c}")))
        {
            let first = lunar::tet(year);
            Some((first, shift(first, 2)?))
        } else if text.contains("Giỗ Tổ Hùng Vương") {
            one_day(lunar::hung_kings_day(year))
        } else if text.contains("Quốc khánh") {
            one_day(date(y, 9, 2))
        } else if text.contains("Ngày Chiến thắng") {
            one_day(date(y, 4, 30))
        } else if text.contains("Quốc tế Lao động") {
            one_day(date(y, 5, 1))
        } else {
            None
        }
    }
}

/// The first run of exactly four ASCII digits in `text`, if it is a year of 1900–2100.
fn gregorian_year(text: &str) -> Option<i32> {
    let year: i32 = text
        .split(|c: char| !c.is_ascii_digit())
        .find(|w| w.len() == 4)?
        .parse()
        .ok()?;
    (1900..=2100).contains(&year).then_some(year)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn days(from: Date, to: Date) -> impl Iterator<Item = Date> {
        successors(Some(from), move |d| d.tomorrow().ok().filter(|d| *d <= to))
    }

    /// Every day of from..=to is off, and the days either side are worked.
    fn assert_break(h: &Holidays, from: Date, to: Date) {
        for d in days(from, to) {
            assert!(!h.is_working_day(d), "{d} should be off");
        }
        assert!(
            h.is_working_day(from.yesterday().unwrap()),
            "{from} eve should be worked"
        );
        assert!(
            h.is_working_day(to.tomorrow().unwrap()),
            "{to} morrow should be worked"
        );
    }

    #[test]
    fn announced_tet_breaks() {
        let h = Holidays::vietnam();
        assert_break(&h, date(2023, 1, 20), date(2023, 1, 26));
        assert_break(&h, date(2024, 2, 8), date(2024, 2, 14));
        assert_break(&h, date(2025, 1, 25), date(2025, 2, 2));
        assert_break(&h, date(2026, 2, 14), date(2026, 2, 22));
        assert_eq!(h.is_holiday(date(2025, 1, 29)), Some("Tết Nguyên đán"));
        assert_eq!(h.is_holiday(date(2025, 1, 27)), Some(TET_BREAK));
        assert_eq!(h.is_holiday(date(2025, 1, 25)), None, "a plain Saturday");
    }

    #[test]
    fn announced_swaps_and_quoc_khanh() {
        let h = Holidays::vietnam();
        assert_break(&h, date(2025, 4, 30), date(2025, 5, 4));
        assert!(
            h.is_working_day(date(2025, 4, 26)),
            "Saturday worked for 2/5"
        );
        assert_break(&h, date(2024, 4, 27), date(2024, 5, 1));
        assert!(
            h.is_working_day(date(2024, 5, 4)),
            "Saturday worked for 29/4"
        );
        assert_break(&h, date(2025, 8, 30), date(2025, 9, 2));
        assert_break(&h, date(2024, 8, 31), date(2024, 9, 3));
        assert_break(&h, date(2023, 9, 1), date(2023, 9, 4));
        assert_eq!(h.is_holiday(date(2025, 9, 1)), Some("Quốc khánh"));
    }

    #[test]
    fn rules_without_announcement() {
        let h = Holidays::vietnam();
        // Tết Đinh Mùi 2027: mùng 1 Saturday 06/02; the legal days 05–09/02,
        // made up on Wednesday 10/02 and Thursday 11/02.
        assert_eq!(h.is_holiday(date(2027, 2, 5)), Some("Tết Nguyên đán"));
        assert_eq!(
            h.is_holiday(date(2027, 2, 10)),
            Some("Nghỉ bù Tết Nguyên đán")
        );
        assert_break(&h, date(2027, 2, 5), date(2027, 2, 11));
        // 1/1/2022 a Saturday: made up on Monday 3/1.
        assert_break(&h, date(2022, 1, 1), date(2022, 1, 3));
        // 30/4, 1/5/2022 on the weekend: made up on 2/5 and 3/5.
        assert_break(&h, date(2022, 4, 30), date(2022, 5, 3));
        // Giỗ Tổ 2026 on Sunday 26/4: made up on Monday 27/4.
        assert_break(&h, date(2026, 4, 25), date(2026, 4, 27));
        // Quốc khánh: Thursday 2/9/2027 takes Friday 3/9; Wednesday 2/9/2026 takes 1/9.
        assert_break(&h, date(2027, 9, 2), date(2027, 9, 5));
        assert_break(&h, date(2026, 9, 1), date(2026, 9, 2));
        // Before 2021 Quốc khánh was one day.
        assert!(h.is_working_day(date(2020, 9, 3)));
        assert_eq!(h.is_holiday(date(2020, 9, 2)), Some("Quốc khánh"));
    }

    #[test]
    fn years_outside_the_table() {
        let h = Holidays::vietnam();
        assert_eq!(h.is_holiday(date(2101, 1, 1)), Some("Tết Dương lịch"));
        assert!(!h.is_working_day(date(2101, 9, 2)));
        assert!(h.is_working_day(date(1899, 6, 1)));
    }

    #[test]
    fn working_day_arithmetic() {
        let h = Holidays::vietnam();
        let friday = date(2025, 1, 24);
        assert_eq!(h.add_working_days(friday, 1), date(2025, 2, 3));
        assert_eq!(h.add_working_days(date(2025, 2, 3), -1), friday);
        assert_eq!(h.add_working_days(friday, 0), friday);
        assert_eq!(h.add_working_days(date(2025, 4, 25), 1), date(2025, 4, 26));
        assert_eq!(h.add_working_days(date(2025, 4, 29), 1), date(2025, 5, 5));
        assert_eq!(h.add_working_days(date(2025, 3, 3), 5), date(2025, 3, 10));
        assert_eq!(h.add_working_days(date(2025, 3, 10), -5), date(2025, 3, 3));
    }

    #[test]
    fn named_events() {
        let h = Holidays::vietnam();
        let tet = Some((date(2025, 1, 29), date(2025, 1, 31)));
        assert_eq!(h.named_event("Tết Nguyên đán Ất Tỵ 2025"), tet);
        assert_eq!(h.named_event("Tết Nguyên đán 2025"), tet);
        assert_eq!(h.named_event("Tết Ất Tỵ 2025"), tet);
        assert_eq!(h.named_event("trước Tết Nguyên đán 2025 một tuần"), tet);
        assert_eq!(h.named_event("Tết Ất Tỵ"), None, "no Gregorian year");
        assert_eq!(
            h.named_event("Tết Nguyên đán Giáp Thìn 2025"),
            None,
            "can-chi of 2024"
        );
        assert_eq!(h.named_event("tết nguyên đán 2025"), None, "case-exact");
        assert_eq!(
            h.named_event("Tet Nguyen dan 2025"),
            None,
            "diacritic-exact"
        );
        let nfd: String = "Tết Nguyên đán 2025".nfd().collect();
        assert_eq!(h.named_event(&nfd), tet);
        let day = |d: Date| Some((d, d));
        assert_eq!(
            h.named_event("Giỗ Tổ Hùng Vương 2025"),
            day(date(2025, 4, 7))
        );
        assert_eq!(h.named_event("dịp Quốc khánh 2025"), day(date(2025, 9, 2)));
        assert_eq!(h.named_event("Tết Dương lịch 2025"), day(date(2025, 1, 1)));
        assert_eq!(h.named_event("Tết Trung thu 2025"), None);
    }
}
