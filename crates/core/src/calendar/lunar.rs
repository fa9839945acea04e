//! The Vietnamese lunar calendar (âm lịch), computed rather than tabulated.
//!
//! The rules: a month begins on the day, in Vietnam's time zone (UTC+7), of a
//! new moon. Month 11 is the month that contains the December solstice. When
//! thirteen months lie between two months 11, the first of them that contains
//! no major solar term (trung khí: the sun crossing a multiple of 30° of
//! longitude) is a leap month and repeats the number of the month before it.
//!
//! The time zone is why Vietnam and China sometimes disagree (Tết 1985 was on
//! 21/01 in Vietnam, 20/02 in China). UTC+7 is used for every year; almanacs
//! printed in Vietnam before 1968 followed UTC+8 and may differ.
//!
//! The astronomy is that of Meeus, *Astronomical Algorithms*: the mean new
//! moon with its main periodic corrections (ch. 49) and the sun's apparent
//! longitude (ch. 25), good to a minute or so, and to about a quarter of an
//! hour for the solar terms; a month's start or a leap month only changes when
//! an event falls that close to midnight. Valid 1900–2100.

use jiff::civil::Date;

/// A day of the lunar calendar. `year` is the Gregorian year in which that
/// lunar year begins (its Tết); `leap` marks the repeated (nhuận) month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct LunarDate {
    pub year: i32,
    pub month: u8,
    pub day: u8,
    pub leap: bool,
}

/// Vietnam's offset from UTC, in days.
const TZ: f64 = 7.0 / 24.0;
/// Mean length of a lunation, in days.
const SYNODIC: f64 = 29.530_588_861;
/// Julian date (TT) of the mean new moon numbered 0 (6 January 2000).
const NEW_MOON_0: f64 = 2_451_550.097_66;

/// Julian day number of a Gregorian date: the count of days astronomers use,
/// so that "the day of a new moon" is plain integer arithmetic.
fn jdn(year: i64, month: i64, day: i64) -> i64 {
    // Years counted from March put the leap day at the end of the year.
    let a = (14 - month) / 12;
    let y = year + 4800 - a;
    let m = month + 12 * a - 3;
    day + (153 * m + 2) / 5 + 365 * y + y.div_euclid(4) - y.div_euclid(100) + y.div_euclid(400)
        - 32045
}

fn jdn_of(d: Date) -> i64 {
    jdn(
        i64::from(d.year()),
        i64::from(d.month()),
        i64::from(d.day()),
    )
}

/// The date of a Julian day number; None outside jiff's range of dates.
fn date_of(day: i64) -> Option<Date> {
    const EPOCH: Date = jiff::civil::date(2000, 1, 1);
    const EPOCH_JDN: i64 = 2_451_545;
    let span = jiff::Span::new().try_days(day - EPOCH_JDN).ok()?;
    EPOCH.checked_add(span).ok()
}

/// ΔT = TT − UT in seconds at some years: the new-moon and sun formulas run in
/// TT (uniform time), days begin in UT. Past values are measured; those after
/// 2020 are guesses, which only matter for an event within a minute of midnight.
const DELTA_T: [(f64, f64); 16] = [
    (1900.0, -2.8),
    (1910.0, 10.5),
    (1920.0, 21.2),
    (1930.0, 24.0),
    (1940.0, 24.3),
    (1950.0, 29.2),
    (1960.0, 33.2),
    (1970.0, 40.2),
    (1980.0, 50.5),
    (1990.0, 56.9),
    (2000.0, 63.8),
    (2010.0, 66.1),
    (2020.0, 69.4),
    (2030.0, 71.0),
    (2050.0, 80.0),
    (2100.0, 110.0),
];

/// ΔT in days at Julian date `jd`, interpolated in the table (held flat outside it).
fn delta_t(jd: f64) -> f64 {
    let year = 2000.0 + (jd - 2_451_545.0) / 365.25;
    let seconds = match DELTA_T.iter().position(|&(y, _)| y > year) {
        Some(0) => DELTA_T[0].1,
        None => DELTA_T[DELTA_T.len() - 1].1,
        Some(i) => {
            let ((y0, s0), (y1, s1)) = (DELTA_T[i - 1], DELTA_T[i]);
            s0 + (s1 - s0) * (year - y0) / (y1 - y0)
        }
    };
    seconds / 86_400.0
}

/// Julian date (TT) of the true new moon number `k` (0 = 6 January 2000):
/// the mean new moon plus the periodic terms of the moon's and sun's anomalies
/// and the moon's argument of latitude that exceed a few seconds.
fn new_moon_tt(k: i64) -> f64 {
    let k = k as f64;
    let t = k / 1236.85; // Julian centuries from J2000
    let (t2, t3, t4) = (t * t, t * t * t, t * t * t * t);
    let mean =
        NEW_MOON_0 + SYNODIC * k + 0.000_154_37 * t2 - 0.000_000_150 * t3 + 0.000_000_000_73 * t4;
    let rad = f64::to_radians;
    // The sun's mean anomaly, the moon's, the moon's argument of latitude, the
    // longitude of its ascending node; `e` shrinks the sun's terms as the
    // Earth's orbit grows rounder.
    let m = rad(2.5534 + 29.105_356_70 * k - 0.000_001_4 * t2 - 0.000_000_11 * t3);
    let mm = rad(
        201.5643 + 385.816_935_28 * k + 0.010_758_2 * t2 + 0.000_012_38 * t3 - 0.000_000_058 * t4,
    );
    let f = rad(
        160.7108 + 390.670_502_84 * k - 0.001_611_8 * t2 - 0.000_002_27 * t3 + 0.000_000_011 * t4,
    );
    let node = rad(124.7746 - 1.563_755_88 * k + 0.002_067_2 * t2 + 0.000_002_15 * t3);
    let e = 1.0 - 0.002_516 * t - 0.000_007_4 * t2;
    let sin = f64::sin;
    let correction = -0.407_20 * sin(mm)
        + 0.172_41 * e * sin(m)
        + 0.016_08 * sin(2.0 * mm)
        + 0.010_39 * sin(2.0 * f)
        + 0.007_39 * e * sin(mm - m)
        - 0.005_14 * e * sin(mm + m)
        + 0.002_08 * e * e * sin(2.0 * m)
        - 0.001_11 * sin(mm - 2.0 * f)
        - 0.000_57 * sin(mm + 2.0 * f)
        + 0.000_56 * e * sin(2.0 * mm + m)
        - 0.000_42 * sin(3.0 * mm)
        + 0.000_42 * e * sin(m + 2.0 * f)
        + 0.000_38 * e * sin(m - 2.0 * f)
        - 0.000_24 * e * sin(2.0 * mm - m)
        - 0.000_17 * sin(node)
        - 0.000_07 * sin(mm + 2.0 * m)
        + 0.000_04 * sin(2.0 * mm - 2.0 * f)
        + 0.000_04 * sin(3.0 * m)
        + 0.000_03 * sin(mm + m - 2.0 * f)
        + 0.000_03 * sin(2.0 * mm + 2.0 * f)
        - 0.000_03 * sin(mm + m + 2.0 * f)
        + 0.000_03 * sin(mm - m + 2.0 * f)
        - 0.000_02 * sin(mm - m - 2.0 * f)
        - 0.000_02 * sin(3.0 * mm + m)
        + 0.000_02 * sin(4.0 * mm);
    mean + correction
}

/// The sun's apparent longitude in degrees [0, 360) at Julian date `jde` (TT):
/// mean longitude plus the equation of centre, less aberration and nutation.
fn sun_longitude(jde: f64) -> f64 {
    let t = (jde - 2_451_545.0) / 36_525.0;
    let mean_longitude = 280.466_46 + 36_000.769_83 * t + 0.000_303_2 * t * t;
    let anomaly = (357.529_11 + 35_999.050_29 * t - 0.000_153_7 * t * t).to_radians();
    let centre = (1.914_602 - 0.004_817 * t - 0.000_014 * t * t) * anomaly.sin()
        + (0.019_993 - 0.000_101 * t) * (2.0 * anomaly).sin()
        + 0.000_289 * (3.0 * anomaly).sin();
    let node = (125.04 - 1934.136 * t).to_radians();
    (mean_longitude + centre - 0.005_69 - 0.004_78 * node.sin()).rem_euclid(360.0)
}

/// The Julian day number of the day (UTC+7) of new moon `k`: the first day of a month.
fn new_moon_day(k: i64) -> i64 {
    let tt = new_moon_tt(k);
    let ut = tt - delta_t(tt);
    // A Julian date's day starts at noon; local midnight is 0.5 − 7/24 earlier.
    (ut + 0.5 + TZ).floor() as i64
}

/// The 30° sector (0–11) the sun is in when local day `day` begins. A month
/// whose first day and the next month's first day share a sector has no
/// major solar term.
fn sun_sector(day: i64) -> i64 {
    let ut = day as f64 - 0.5 - TZ;
    (sun_longitude(ut + delta_t(ut)) / 30.0).floor() as i64
}

/// The number `k` of the new moon that begins the month containing `day`.
fn month_containing(day: i64) -> i64 {
    // The mean lunation gets within a month; the loops settle the rest.
    let mut k = ((day as f64 - NEW_MOON_0) / SYNODIC).floor() as i64;
    while new_moon_day(k + 1) <= day {
        k += 1;
    }
    while new_moon_day(k) > day {
        k -= 1;
    }
    k
}

/// The new moon `k` beginning month 11 of `year`: the month holding the
/// December solstice (the sun at 270°, sector 9).
fn month11(year: i64) -> i64 {
    // The last mean new moon before 31 December is at most ~15 hours from the
    // true one; if the sun has already passed 270° when that month begins,
    // the solstice lies in the month before.
    let k = ((jdn(year, 12, 31) as f64 - NEW_MOON_0) / SYNODIC).floor() as i64;
    if sun_sector(new_moon_day(k)) >= 9 {
        k - 1
    } else {
        k
    }
}

/// The months from month 11 of `year` to the next month 11: the new moon of
/// the first, and the offset of the leap month when there are thirteen.
fn months_from_11(year: i64) -> (i64, Option<i64>) {
    let start = month11(year);
    if month11(year + 1) - start != 13 {
        return (start, None);
    }
    // Eleven major terms for twelve months: at least one month lacks one.
    let leap = (1..=12)
        .find(|&i| sun_sector(new_moon_day(start + i)) == sun_sector(new_moon_day(start + i + 1)));
    (start, leap)
}

/// The lunar date of a Gregorian date.
pub fn solar_to_lunar(d: Date) -> LunarDate {
    let day = jdn_of(d);
    let k = month_containing(day);
    let year = i64::from(d.year());
    // Months before this year's month 11 belong to the run begun last year.
    let base = if k >= month11(year) { year } else { year - 1 };
    let (start, leap) = months_from_11(base);
    let offset = k - start;
    let (numbered, is_leap) = match leap {
        Some(l) if offset >= l => (offset - 1, offset == l),
        _ => (offset, false),
    };
    LunarDate {
        // Months 11 and 12 close the lunar year that began in `base`.
        year: (if numbered < 2 { base } else { base + 1 }) as i32,
        month: ((numbered + 10) % 12 + 1) as u8,
        day: (day - new_moon_day(k) + 1) as u8,
        leap: is_leap,
    }
}

/// The Gregorian date of a lunar date; None when the month is not leap that
/// year, the day is past the month's end (29 or 30), or the result falls
/// outside jiff's range.
pub fn lunar_to_solar(year: i32, month: u8, day: u8, leap: bool) -> Option<Date> {
    if !(1..=12).contains(&month) || !(1..=30).contains(&day) {
        return None;
    }
    let base = i64::from(year) - i64::from(month < 11);
    let (start, leap_offset) = months_from_11(base);
    // Offset of the month counted from month 11 in a year without leap month.
    let plain = (i64::from(month) + 1) % 12;
    let offset = match (leap, leap_offset) {
        (false, Some(l)) if plain >= l => plain + 1,
        (false, _) => plain,
        (true, Some(l)) if l == plain + 1 => l,
        (true, _) => return None,
    };
    let first = new_moon_day(start + offset);
    if i64::from(day) > new_moon_day(start + offset + 1) - first {
        return None;
    }
    date_of(first + i64::from(day) - 1)
}

/// The first day of the lunar year that begins in Gregorian `year`
/// (Tết Nguyên đán, mùng 1 tháng Giêng).
///
/// # Panics
/// Only when `year` lies outside jiff's range of dates (−9999..=9999).
pub fn tet(year: i32) -> Date {
    lunar_to_solar(year, 1, 1, false).expect("month 1 always exists and has a day 1")
}

/// Giỗ Tổ Hùng Vương, 10 tháng 3 âm lịch of `year`.
///
/// # Panics
/// Only when `year` lies outside jiff's range of dates (−9999..=9999).
pub fn hung_kings_day(year: i32) -> Date {
    lunar_to_solar(year, 3, 10, false).expect("month 3 always exists and has a day 10")
}

const STEMS: [&str; 10] = [
    "Giáp", "Ất", "Bính", "Đinh", "Mậu", "Kỷ", "Canh", "Tân", "Nhâm", "Quý",
];
const BRANCHES: [&str; 12] = [
    "Tý", "Sửu", "Dần", "Mão", "Thìn", "Tỵ", "Ngọ", "Mùi", "Thân", "Dậu", "Tuất", "Hợi",
];

/// The can-chi (sexagenary) name of the lunar year beginning in `year`,
/// e.g. 2025 → "Ất Tỵ". Year 4 was Giáp Tý, the start of a cycle.
pub fn can_chi_year(year: i32) -> String {
    let y = i64::from(year) - 4;
    format!(
        "{} {}",
        STEMS[y.rem_euclid(10) as usize],
        BRANCHES[y.rem_euclid(12) as usize]
    )
}

/// Every can-chi year name, for recognising one in a text.
pub(crate) fn can_chi_names() -> impl Iterator<Item = String> {
    (0..60).map(|y| can_chi_year(y + 4))
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn tet_dates() {
        for (y, m, d) in [
            (2020, 1, 25),
            (2021, 2, 12),
            (2022, 2, 1),
            (2023, 1, 22),
            (2024, 2, 10),
            (2025, 1, 29),
            (2026, 2, 17),
            (2027, 2, 6),
            // The new moon is at 23:07 on 02/02 in UTC+7 (00:07 on 03/02 in
            // UTC+8, China's Tết): Vietnam's Tết Canh Tuất is on 02/02/2030.
            (2030, 2, 2),
        ] {
            assert_eq!(tet(y), date(y as i16, m, d), "Tết {y}");
        }
    }

    #[test]
    fn tet_1985_follows_utc7_not_china() {
        assert_eq!(tet(1985), date(1985, 1, 21));
        // China's Tết, 20/02/1985, is early in month 2 in Vietnam.
        let l = solar_to_lunar(date(1985, 2, 20));
        assert_eq!((l.year, l.month, l.leap), (1985, 2, false));
    }

    #[test]
    fn hung_kings() {
        assert_eq!(hung_kings_day(2024), date(2024, 4, 18));
        assert_eq!(hung_kings_day(2025), date(2025, 4, 7));
        assert_eq!(hung_kings_day(2026), date(2026, 4, 26));
    }

    #[test]
    fn leap_months() {
        assert_eq!(lunar_to_solar(2023, 2, 1, true), Some(date(2023, 3, 22)));
        assert_eq!(lunar_to_solar(2025, 6, 1, true), Some(date(2025, 7, 25)));
        let l = solar_to_lunar(date(2025, 7, 25));
        assert_eq!(
            l,
            LunarDate {
                year: 2025,
                month: 6,
                day: 1,
                leap: true
            }
        );
        // No leap month 6 in 2024, no leap month at all in 2024, no day 31.
        assert_eq!(lunar_to_solar(2024, 6, 1, true), None);
        assert_eq!(lunar_to_solar(2023, 3, 1, true), None);
        assert_eq!(lunar_to_solar(2025, 1, 31, false), None);
        // Other well-known leap months: 2014 (9), 2017 (6), 2020 (4).
        for (y, m) in [(2014, 9), (2017, 6), (2020, 4)] {
            assert!(lunar_to_solar(y, m, 1, true).is_some(), "{y} leap {m}");
        }
    }

    #[test]
    fn last_day_of_year_and_month_lengths() {
        // Tết 2025 is on 29/01, so 28/01/2025 is the last day of Giáp Thìn.
        let l = solar_to_lunar(date(2025, 1, 28));
        assert_eq!((l.year, l.month, l.leap), (2024, 12, false));
        assert_eq!(
            lunar_to_solar(2024, 12, l.day, false),
            Some(date(2025, 1, 28))
        );
    }

    #[test]
    fn round_trip_2000_to_2040() {
        let mut d = date(2000, 1, 1);
        let mut previous: Option<LunarDate> = None;
        while d.year() <= 2040 {
            let l = solar_to_lunar(d);
            assert_eq!(
                lunar_to_solar(l.year, l.month, l.day, l.leap),
                Some(d),
                "{d} {l:?}"
            );
            assert!((1..=30).contains(&l.day));
            if let Some(p) = previous {
                // Days run on by one, or a new month begins after day 29 or 30.
                assert!(l.day == p.day + 1 || (l.day == 1 && p.day >= 29), "{d}");
            }
            previous = Some(l);
            d = d.tomorrow().unwrap();
        }
    }

    #[test]
    fn can_chi() {
        assert_eq!(can_chi_year(2024), "Giáp Thìn");
        assert_eq!(can_chi_year(2025), "Ất Tỵ");
        assert_eq!(can_chi_year(2026), "Bính Ngọ");
        assert_eq!(can_chi_year(1985), "Ất Sửu");
        assert_eq!(can_chi_names().count(), 60);
        use unicode_normalization::is_nfc;
        assert!(can_chi_names().all(|n| is_nfc(&n)));
    }
}
