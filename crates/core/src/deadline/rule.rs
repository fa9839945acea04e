//! The deadline rule: the interchange form of `spec/deadline-rule.md`.
//!
//! A rule is the truth about *when*; dates are derived from it by the
//! resolver. Field names and spellings here are fixed by the spec.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A rule plus the marks that apply to every shape of rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rule {
    #[serde(flatten)]
    pub shape: Shape,
    /// `dự kiến …`: the date is announced as provisional.
    #[serde(default, skip_serializing_if = "is_false")]
    pub tentative: bool,
}

fn is_false(b: &bool) -> bool {
    !*b
}

impl From<Shape> for Rule {
    fn from(shape: Shape) -> Self {
        Rule {
            shape,
            tentative: false,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Shape {
    Date {
        date: DateSpec,
        bound: Bound,
    },
    Period {
        period: PeriodSpec,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        part: Option<Part>,
        bound: Bound,
    },
    Continuous {},
    Recurring {
        every: Every,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        month: Option<u8>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        month_of_period: Option<MonthOfPeriod>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        day: Option<u8>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        bound: Option<Bound>,
    },
    Event {
        /// The event's name as written; `None` (JSON `null`) when the text
        /// names none and the event is implied.
        event: Option<String>,
        /// The calendar event this name was linked to, once linked.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        event_id: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        scope: Option<Scope>,
        anchor: Anchor,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        offset_days: Option<i32>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        offset_months: Option<i32>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        offset_working_days: Option<i32>,
        bound: Bound,
    },
    Issued {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        offset_days: Option<i32>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        offset_working_days: Option<i32>,
        bound: Bound,
    },
    Range {
        start: Box<Rule>,
        end: Box<Rule>,
    },
    List {
        items: Vec<Rule>,
    },
    AdHoc {},
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Bound {
    On,
    By,
    Before,
    Within,
    From,
    After,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Part {
    Early,
    Mid,
    Late,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Anchor {
    Start,
    End,
    During,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// Each assigned unit's own event (`đại hội đảng bộ cấp mình`).
    Assignee,
    /// Every occurrence of a kind of meeting: one deadline per occurrence.
    Each,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Every {
    Day,
    Week,
    Month,
    Quarter,
    HalfYear,
    Year,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MonthOfPeriod {
    First,
    Last,
}

/// A calendar day, with or without its year (`--02-10`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DateSpec {
    pub year: Option<i16>,
    pub month: i8,
    pub day: i8,
}

/// A month, quarter, half-year or year, the year possibly left unsaid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PeriodSpec {
    Month { year: Option<i16>, month: i8 },
    Quarter { year: Option<i16>, quarter: i8 },
    Half { year: Option<i16>, half: i8 },
    Year { year: i16 },
}

impl fmt::Display for DateSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.year {
            Some(y) => write!(f, "{y:04}-{:02}-{:02}", self.month, self.day),
            None => write!(f, "--{:02}-{:02}", self.month, self.day),
        }
    }
}

impl fmt::Display for PeriodSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let year = |f: &mut fmt::Formatter<'_>, y: Option<i16>| match y {
            Some(y) => write!(f, "{y:04}"),
            None => write!(f, "-"),
        };
        match *self {
            PeriodSpec::Month { year: y, month } => {
                year(f, y)?;
                write!(f, "-{month:02}")
            }
            PeriodSpec::Quarter { year: y, quarter } => {
                year(f, y)?;
                write!(f, "-Q{quarter}")
            }
            PeriodSpec::Half { year: y, half } => {
                year(f, y)?;
                write!(f, "-H{half}")
            }
            PeriodSpec::Year { year: y } => write!(f, "{y:04}"),
        }
    }
}

impl std::str::FromStr for DateSpec {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let bad = || format!("ngày không đúng dạng YYYY-MM-DD hoặc --MM-DD: {s:?}");
        let (year, rest) = match s.strip_prefix("--") {
            Some(rest) => (None, rest),
            None => {
                let (y, rest) = s.split_once('-').ok_or_else(bad)?;
                (Some(y.parse::<i16>().map_err(|_| bad())?), rest)
            }
        };
        let (m, d) = rest.split_once('-').ok_or_else(bad)?;
        let month: i8 = m.parse().map_err(|_| bad())?;
        let day: i8 = d.parse().map_err(|_| bad())?;
        let spec = DateSpec { year, month, day };
        spec.validate().map_err(|e| format!("{e}: {s:?}"))?;
        Ok(spec)
    }
}

impl DateSpec {
    /// Checks the day exists (a day without a year may be 29/02).
    pub fn validate(&self) -> Result<(), String> {
        let year = self.year.unwrap_or(2024);
        jiff::civil::Date::new(year, self.month, self.day)
            .map(|_| ())
            .map_err(|_| format!("không có ngày {}/{}/{}", self.day, self.month, year))
    }
}

impl std::str::FromStr for PeriodSpec {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let bad = || format!("kỳ không đúng dạng (2024, 2024-11, 2024-Q4, 2025-H1, --08): {s:?}");
        let (year, rest) = if let Some(rest) = s.strip_prefix("--") {
            (None, Some(rest))
        } else {
            match s.split_once('-') {
                Some((y, rest)) => (Some(y.parse::<i16>().map_err(|_| bad())?), Some(rest)),
                None => (Some(s.parse::<i16>().map_err(|_| bad())?), None),
            }
        };
        let spec = match rest {
            None => PeriodSpec::Year {
                year: year.ok_or_else(bad)?,
            },
            Some(r) if r.starts_with('Q') => PeriodSpec::Quarter {
                year,
                quarter: r[1..].parse().map_err(|_| bad())?,
            },
            Some(r) if r.starts_with('H') => PeriodSpec::Half {
                year,
                half: r[1..].parse().map_err(|_| bad())?,
            },
            Some(r) => PeriodSpec::Month {
                year,
                month: r.parse().map_err(|_| bad())?,
            },
        };
        let ok = match spec {
            PeriodSpec::Month { month, .. } => (1..=12).contains(&month),
            PeriodSpec::Quarter { quarter, .. } => (1..=4).contains(&quarter),
            PeriodSpec::Half { half, .. } => (1..=2).contains(&half),
            PeriodSpec::Year { year } => year > 0,
        };
        if ok { Ok(spec) } else { Err(bad()) }
    }
}

macro_rules! string_serde {
    ($t:ty) => {
        impl Serialize for $t {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_str(self)
            }
        }
        impl<'de> Deserialize<'de> for $t {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = String::deserialize(d)?;
                s.parse().map_err(serde::de::Error::custom)
            }
        }
    };
}
string_serde!(DateSpec);
string_serde!(PeriodSpec);

impl Rule {
    /// Every event rule inside this rule (itself, a list's items, a range's ends).
    pub fn events(&self) -> Vec<&Rule> {
        let mut out = Vec::new();
        self.walk(&mut |r| {
            if matches!(r.shape, Shape::Event { .. }) {
                out.push(r)
            }
        });
        out
    }

    pub fn walk<'a>(&'a self, f: &mut dyn FnMut(&'a Rule)) {
        f(self);
        match &self.shape {
            Shape::Range { start, end } => {
                start.walk(f);
                end.walk(f);
            }
            Shape::List { items } => items.iter().for_each(|i| i.walk(f)),
            _ => {}
        }
    }

    pub fn walk_mut(&mut self, f: &mut dyn FnMut(&mut Rule)) {
        f(self);
        match &mut self.shape {
            Shape::Range { start, end } => {
                start.walk_mut(f);
                end.walk_mut(f);
            }
            Shape::List { items } => items.iter_mut().for_each(|i| i.walk_mut(f)),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_forms_follow_the_spec() {
        let r: Rule = serde_json::from_str(
            r#"{"kind":"event","event":null,"anchor":"start","offset_days":-30,"bound":"by"}"#,
        )
        .unwrap();
        assert_eq!(
            serde_json::to_string(&r).unwrap(),
            r#"{"kind":"event","event":null,"anchor":"start","offset_days":-30,"bound":"by"}"#
        );
        for p in ["2024-11", "2024-Q4", "2025-H1", "2024", "--08"] {
            let spec: PeriodSpec = p.parse().unwrap();
            assert_eq!(spec.to_string(), p);
        }
        for d in ["2024-11-20", "--02-10", "--02-29"] {
            let spec: DateSpec = d.parse().unwrap();
            assert_eq!(spec.to_string(), d);
        }
        assert!("2025-02-30".parse::<DateSpec>().is_err());
        assert!("2025-13".parse::<PeriodSpec>().is_err());
        let r: Rule = serde_json::from_str(r#"{"kind":"recurring","every":"half-year"}"#).unwrap();
        assert_eq!(
            serde_json::to_string(&r).unwrap(),
            r#"{"kind":"recurring","every":"half-year"}"#
        );
        let r: Rule = serde_json::from_str(r#"{"kind":"ad_hoc"}"#).unwrap();
        assert_eq!(r.shape, Shape::AdHoc {});
    }
}
