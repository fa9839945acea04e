//! A rule told back in Vietnamese words, for people reading a terminal or a page.

use super::rule::*;

/// `15/12/2024` from a day spec; `10/02` when the year is left to context.
pub fn day_text(d: DateSpec) -> String {
    match d.year {
        Some(y) => format!("{:02}/{:02}/{y}", d.day, d.month),
        None => format!("{:02}/{:02}", d.day, d.month),
    }
}

fn roman(n: i8) -> String {
    crate::text::roman(n.clamp(0, 4) as u32)
}

pub fn period_text(p: PeriodSpec) -> String {
    let year = |y: Option<i16>, sep: &str| y.map(|y| format!("{sep}{y}")).unwrap_or_default();
    match p {
        PeriodSpec::Month { year: y, month } => format!("tháng {month}{}", year(y, "/")),
        PeriodSpec::Quarter { year: y, quarter } => {
            format!("quý {}{}", roman(quarter), year(y, "/"))
        }
        PeriodSpec::Half { year: y, half } => format!(
            "6 tháng {} năm{}",
            if half == 1 { "đầu" } else { "cuối" },
            year(y, " ")
        ),
        PeriodSpec::Year { year: y } => format!("năm {y}"),
    }
}

fn every_text(e: Every) -> &'static str {
    match e {
        Every::Day => "hằng ngày",
        Every::Week => "hằng tuần",
        Every::Month => "hằng tháng",
        Every::Quarter => "hằng quý",
        Every::HalfYear => "định kỳ 6 tháng",
        Every::Year => "hằng năm",
    }
}

fn offset_text(days: Option<i32>, months: Option<i32>, working: Option<i32>) -> (String, i32) {
    if let Some(n) = working {
        return (format!("{} ngày làm việc", n.abs()), n.signum());
    }
    if let Some(n) = months {
        return (format!("{} tháng", n.abs()), n.signum());
    }
    let n = days.unwrap_or(0);
    if n != 0 && n % 7 == 0 {
        (format!("{} tuần", (n / 7).abs()), n.signum())
    } else {
        (format!("{} ngày", n.abs()), n.signum())
    }
}

/// The rule in words, e.g. "chậm nhất 1 tuần trước khai mạc Đại hội XX Đảng bộ tỉnh".
pub fn describe(rule: &Rule) -> String {
    let text = match &rule.shape {
        Shape::Date { date, bound } => {
            let d = day_text(*date);
            match bound {
                Bound::On => format!("ngày {d}"),
                Bound::By => format!("chậm nhất ngày {d}"),
                Bound::Before => format!("trước ngày {d}"),
                Bound::From => format!("từ ngày {d}"),
                Bound::After => format!("sau ngày {d}"),
                Bound::Within => format!("trong ngày {d}"),
            }
        }
        Shape::Period {
            period,
            part,
            bound,
        } => {
            let part = match part {
                Some(Part::Early) => "đầu ",
                Some(Part::Mid) => "giữa ",
                Some(Part::Late) => "cuối ",
                None => "",
            };
            let p = format!("{part}{}", period_text(*period));
            match bound {
                Bound::From => format!("từ {p}"),
                Bound::Before => format!("trước {p}"),
                Bound::After => format!("sau {p}"),
                _ => format!("trong {p}"),
            }
        }
        Shape::Continuous {} => "thường xuyên".to_string(),
        Shape::AdHoc {} => "đột xuất, khi có yêu cầu".to_string(),
        Shape::Recurring {
            every,
            month,
            month_of_period,
            day,
            bound,
        } => {
            let mut s = every_text(*every).to_string();
            if let Some(d) = day {
                let when = match bound {
                    Some(Bound::Before) => "trước ngày",
                    _ => "chậm nhất ngày",
                };
                match (month, month_of_period) {
                    (Some(m), _) => s = format!("{when} {d:02}/{m:02} {s}"),
                    (None, Some(MonthOfPeriod::Last)) => {
                        s = format!("{when} {d:02} của tháng cuối mỗi kỳ ({s})")
                    }
                    (None, Some(MonthOfPeriod::First)) => {
                        s = format!("{when} {d:02} của tháng đầu mỗi kỳ ({s})")
                    }
                    (None, None) => s = format!("{when} {d:02} {s}"),
                }
            }
            s
        }
        Shape::Event {
            event,
            scope,
            anchor,
            offset_days,
            offset_months,
            offset_working_days,
            bound,
            ..
        } => {
            let mut name = event
                .clone()
                .unwrap_or_else(|| "sự kiện (chưa nêu tên)".into());
            match scope {
                Some(Scope::Each) => name = format!("mỗi {name}"),
                Some(Scope::Assignee) => name = format!("{name} (của từng đơn vị)"),
                None => {}
            }
            let moment = match anchor {
                Anchor::Start => "khai mạc",
                Anchor::End => "kết thúc",
                Anchor::During => "diễn ra",
            };
            let (off, sign) = offset_text(*offset_days, *offset_months, *offset_working_days);
            match (bound, sign, anchor) {
                (Bound::Within, _, Anchor::During) => format!("trong thời gian diễn ra {name}"),
                (Bound::After, _, _) => format!("ngay sau khi {moment} {name}"),
                (Bound::Before, 0, _) => format!("trước khi {moment} {name}"),
                (Bound::On, 0, _) => format!("ngày {moment} {name}"),
                (_, 0, _) => format!("chậm nhất khi {moment} {name}"),
                (Bound::On, -1, _) => format!("{off} trước khi {moment} {name}"),
                (_, -1, _) => format!("chậm nhất {off} trước khi {moment} {name}"),
                (_, _, _) => format!("chậm nhất {off} sau khi {moment} {name}"),
            }
        }
        Shape::Issued {
            offset_days,
            offset_working_days,
            bound,
        } => {
            if offset_days.is_none() && offset_working_days.is_none() {
                match bound {
                    Bound::From => "từ ngày ban hành kế hoạch".to_string(),
                    _ => "ngày ban hành kế hoạch".to_string(),
                }
            } else {
                let (off, _) = offset_text(*offset_days, None, *offset_working_days);
                format!("trong vòng {off} kể từ ngày ban hành kế hoạch")
            }
        }
        Shape::Range { start, end } => {
            format!("{} đến {}", describe(start), strip_lead(&describe(end)))
        }
        Shape::List { items } => items.iter().map(describe).collect::<Vec<_>>().join("; "),
    };
    if rule.tentative {
        format!("dự kiến {text}")
    } else {
        text
    }
}

/// "trong năm 2024" reads "… đến hết năm 2024" at the end of a range.
fn strip_lead(s: &str) -> String {
    if let Some(rest) = s.strip_prefix("trong thời gian diễn ra ") {
        return format!("hết {rest}");
    }
    if let Some(rest) = s.strip_prefix("trong ") {
        return format!("hết {rest}");
    }
    if let Some(rest) = s.strip_prefix("chậm nhất ") {
        return rest.to_string();
    }
    s.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deadline::parse;

    #[test]
    fn words_read_back() {
        let cases = [
            ("trước ngày 05/02/2025", "trước ngày 05/02/2025"),
            ("Hoàn thành trong tháng 11/2024.", "trong tháng 11/2024"),
            (
                "Chậm nhất 01 tuần trước ngày diễn ra phiên khai mạc Đại hội XX Đảng bộ tỉnh",
                "chậm nhất 1 tuần trước khi khai mạc Đại hội XX Đảng bộ tỉnh",
            ),
            (
                "Từ nay đến hết năm 2024.",
                "từ ngày ban hành kế hoạch đến hết năm 2024",
            ),
            ("trong quý IV/2024", "trong quý IV/2024"),
            (
                "sau khi kết thúc Đại hội XIV của Đảng 15 ngày",
                "chậm nhất 15 ngày sau khi kết thúc Đại hội XIV của Đảng",
            ),
        ];
        for (phrase, words) in cases {
            assert_eq!(describe(&parse(phrase).unwrap()), words, "{phrase}");
        }
    }
}
