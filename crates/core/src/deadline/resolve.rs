//! From a rule to due windows, on a calendar of events and as of a day,
//! exactly as the "Resolving" section of `spec/deadline-rule.md` says.

use super::rule::*;
use crate::calendar::Holidays;
use crate::due::{Due, DueState};
use crate::plan::EventKind;
use crate::text::name_key;
use jiff::ToSpan;
use jiff::civil::Date;

/// An event of the calendar, with the keys its names are matched by.
#[derive(Debug, Clone)]
pub struct CalEvent {
    pub id: String,
    pub name: String,
    pub kind: EventKind,
    /// The unit whose event it is.
    pub unit: Option<String>,
    pub start: Option<Date>,
    pub end: Option<Date>,
    /// `name_key` of the name and of each alias.
    pub keys: Vec<String>,
}

impl CalEvent {
    pub fn new(
        id: &str,
        name: &str,
        kind: EventKind,
        unit: Option<&str>,
        start: Option<Date>,
        end: Option<Date>,
        aliases: &[String],
    ) -> Self {
        let mut keys = vec![name_key(name)];
        keys.extend(aliases.iter().map(|a| name_key(a)));
        CalEvent {
            id: id.to_string(),
            name: name.to_string(),
            kind,
            unit: unit.map(str::to_string),
            start,
            end,
            keys,
        }
    }

    fn is_named(&self, key: &str) -> bool {
        self.keys.iter().any(|k| k == key)
    }
}

/// The events all plans share, and the days that are not working days.
#[derive(Debug, Clone)]
pub struct Calendar {
    pub events: Vec<CalEvent>,
    pub holidays: &'static Holidays,
}

/// Vietnam's holidays, worked out once per process (a few milliseconds).
fn vietnam_holidays() -> &'static Holidays {
    static HOLIDAYS: std::sync::OnceLock<Holidays> = std::sync::OnceLock::new();
    HOLIDAYS.get_or_init(Holidays::vietnam)
}

impl Calendar {
    pub fn new(events: Vec<CalEvent>) -> Self {
        Calendar {
            events,
            holidays: vietnam_holidays(),
        }
    }

    pub fn by_id(&self, id: &str) -> Option<&CalEvent> {
        self.events.iter().find(|e| e.id == id)
    }

    /// Events known by this name or alias (diacritic-aware, case- and
    /// tone-placement-blind: see `text`).
    pub fn named(&self, name: &str) -> Vec<&CalEvent> {
        let key = name_key(name);
        self.events.iter().filter(|e| e.is_named(&key)).collect()
    }

    /// Links each event rule naming one known event to it (`event_id`), and
    /// returns the names that matched none. Rules over each occurrence or
    /// each assignee's own event are matched when resolved, not linked.
    pub fn link(&self, rule: &mut Rule) -> Vec<String> {
        let mut unmatched = Vec::new();
        rule.walk_mut(&mut |r| {
            if let Shape::Event {
                event,
                event_id,
                scope: None,
                ..
            } = &mut r.shape
            {
                if event_id.as_ref().is_some_and(|id| self.by_id(id).is_some()) {
                    return;
                }
                match event.as_deref() {
                    Some(name) => match self.named(name).as_slice() {
                        [one] => *event_id = Some(one.id.clone()),
                        _ if self.holidays.named_event(name).is_some() => {}
                        _ => unmatched.push(name.to_string()),
                    },
                    None => unmatched.push(String::new()),
                }
            }
        });
        unmatched
    }
}

/// What a rule is resolved against.
pub struct Context<'a> {
    pub calendar: &'a Calendar,
    /// The plan's date of issue (`từ nay`, days without a year).
    pub plan_date: Date,
    pub today: Date,
    /// The unit the deadline is for, for `scope: assignee`.
    pub assignee: Option<&'a str>,
}

impl<'a> Context<'a> {
    pub fn new(
        calendar: &'a Calendar,
        plan_date: Date,
        today: Date,
        assignee: Option<&'a str>,
    ) -> Self {
        Context {
            calendar,
            plan_date,
            today,
            assignee,
        }
    }
}

/// A window before it is written out.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Window {
    from: Option<Date>,
    to: Option<Date>,
    state: DueState,
    waits_for: Option<String>,
    event: Option<String>,
    anchor: Option<Anchor>,
}

impl Window {
    fn resolved(from: Option<Date>, to: Option<Date>) -> Self {
        Window {
            from,
            to,
            state: DueState::Resolved,
            waits_for: None,
            event: None,
            anchor: None,
        }
    }

    fn state(state: DueState) -> Self {
        Window {
            from: None,
            to: None,
            state,
            waits_for: None,
            event: None,
            anchor: None,
        }
    }

    fn pending(waits_for: String) -> Self {
        Window {
            waits_for: Some(waits_for),
            ..Window::state(DueState::Pending)
        }
    }

    fn first_day(&self) -> Option<Date> {
        self.from.or(self.to)
    }

    fn last_day(&self) -> Option<Date> {
        self.to.or(self.from)
    }

    fn into_due(self) -> Due {
        Due {
            from: self.from.map(|d| d.to_string()),
            to: self.to.map(|d| d.to_string()),
            state: self.state,
            waits_for: self.waits_for,
            event: self.event,
            anchor: self.anchor,
        }
    }
}

/// Resolves a rule to its due windows (a `list` gives several).
pub fn resolve(rule: &Rule, ctx: &Context) -> Vec<Due> {
    windows(rule, ctx)
        .into_iter()
        .map(Window::into_due)
        .collect()
}

/// Resolves the absence of a rule: a task with no time stated.
pub fn no_rule() -> Due {
    Window::state(DueState::None).into_due()
}

fn windows(rule: &Rule, ctx: &Context) -> Vec<Window> {
    match &rule.shape {
        Shape::Date { date, bound } => vec![apply_bound(day_of(*date, ctx.plan_date), *bound)],
        Shape::Period {
            period,
            part,
            bound,
        } => {
            let (first, last) = period_days(*period, *part, ctx.plan_date);
            vec![match bound {
                Bound::From | Bound::After => Window::resolved(Some(first), None),
                Bound::Before => Window::resolved(None, Some(prev(first))),
                Bound::By | Bound::On => Window::resolved(None, Some(last)),
                Bound::Within => Window::resolved(Some(first), Some(last)),
            }]
        }
        Shape::Continuous {} => vec![Window::state(DueState::Continuous)],
        Shape::AdHoc {} => vec![Window::state(DueState::AdHoc)],
        Shape::Recurring {
            every,
            month,
            month_of_period,
            day,
            bound,
        } => vec![recurring(
            *every,
            *month,
            *month_of_period,
            *day,
            *bound,
            ctx.today,
        )],
        Shape::Issued {
            offset_days,
            offset_working_days,
            bound,
        } => {
            let mut d = ctx.plan_date;
            if let Some(n) = offset_days {
                d = add_days(d, *n);
            }
            if let Some(n) = offset_working_days {
                d = ctx.calendar.holidays.add_working_days(d, *n);
            }
            vec![apply_bound(d, *bound)]
        }
        Shape::Event { anchor, .. } => {
            let mut ws = event_windows(rule, ctx);
            for w in ws.iter_mut().filter(|w| w.state == DueState::Pending) {
                w.anchor = Some(*anchor);
            }
            ws
        }
        Shape::List { items } => items.iter().flat_map(|i| windows(i, ctx)).collect(),
        Shape::Range { start, end } => {
            let starts = windows(start, ctx);
            let ends = windows(end, ctx);
            let waiting = starts
                .iter()
                .chain(ends.iter())
                .find(|w| w.state == DueState::Pending)
                .cloned();
            if let Some(w) = waiting {
                return vec![w];
            }
            let from = starts.iter().filter_map(Window::first_day).min();
            let to = ends.iter().filter_map(Window::last_day).max();
            vec![Window::resolved(from, to)]
        }
    }
}

fn event_windows(rule: &Rule, ctx: &Context) -> Vec<Window> {
    let Shape::Event {
        event,
        event_id,
        scope,
        anchor,
        offset_days,
        offset_months,
        offset_working_days,
        bound,
    } = &rule.shape
    else {
        return Vec::new();
    };
    let name = event.clone().unwrap_or_default();
    let shown = if name.is_empty() {
        "sự kiện chưa được gắn"
    } else {
        &name
    };
    let found = matching_events(event.as_deref(), event_id.as_deref(), *scope, ctx);
    // Each occurrence: its (start, end) and the name to show beside it.
    let occurrences: Vec<(Option<Date>, Option<Date>, Option<String>)> = match scope {
        Some(_) if found.is_empty() => {
            let who = match (scope, ctx.assignee) {
                (Some(Scope::Assignee), Some(unit)) => format!("{shown} ({unit})"),
                (Some(Scope::Assignee), None) => format!("{shown} của từng đơn vị"),
                _ => shown.to_string(),
            };
            return vec![Window::pending(who)];
        }
        Some(_) => found
            .iter()
            .map(|e| (e.start, e.end, Some(e.name.clone())))
            .collect(),
        None => match found.first() {
            // Still waiting: name the calendar's event, not the phrase's words.
            Some(e) if e.start.is_none() => return vec![Window::pending(e.name.clone())],
            Some(e) => vec![(e.start, e.end, None)],
            None => match ctx.calendar.holidays.named_event(&name) {
                Some((s, e)) => vec![(Some(s), Some(e), None)],
                None => return vec![Window::pending(shown.to_string())],
            },
        },
    };
    let shift = |d: Date| -> Date {
        let mut d = d;
        if let Some(m) = offset_months {
            d = d.checked_add((*m).months()).unwrap_or(d);
        }
        if let Some(n) = offset_days {
            d = add_days(d, *n);
        }
        if let Some(n) = offset_working_days {
            d = ctx.calendar.holidays.add_working_days(d, *n);
        }
        d
    };
    occurrences
        .into_iter()
        .map(|(start, end, label)| {
            let Some(start) = start else {
                let mut w = Window::pending(label.clone().unwrap_or_else(|| shown.to_string()));
                w.event = label;
                return w;
            };
            let end = end.unwrap_or(start);
            let mut w = match anchor {
                Anchor::During => match bound {
                    Bound::Before => Window::resolved(None, Some(prev(shift(start)))),
                    Bound::After => {
                        let d = next(shift(end));
                        Window::resolved(Some(d), Some(d))
                    }
                    Bound::From => Window::resolved(Some(shift(start)), None),
                    _ => Window::resolved(Some(shift(start)), Some(shift(end))),
                },
                Anchor::Start => apply_bound(shift(start), *bound),
                Anchor::End => apply_bound(shift(end), *bound),
            };
            w.event = label;
            w
        })
        .collect()
}

/// The calendar events an event rule speaks of: the linked or named event;
/// each occurrence of a kind of meeting; or the assignee's own event.
fn matching_events<'c>(
    name: Option<&str>,
    event_id: Option<&str>,
    scope: Option<Scope>,
    ctx: &Context<'c>,
) -> Vec<&'c CalEvent> {
    let cal = ctx.calendar;
    let name = name.unwrap_or_default();
    match scope {
        None => event_id
            .and_then(|id| cal.by_id(id))
            .or_else(|| cal.named(name).first().copied())
            .into_iter()
            .collect(),
        Some(Scope::Each) => cal.named(name),
        Some(Scope::Assignee) => {
            let Some(unit) = ctx.assignee else {
                return Vec::new();
            };
            let unit_key = name_key(unit);
            let key = name_key(name);
            let wanted_kind = kind_named_by(&key);
            cal.events
                .iter()
                .filter(|e| e.unit.as_deref().is_some_and(|u| name_key(u) == unit_key))
                .filter(|e| e.is_named(&key) || Some(e.kind) == wanted_kind)
                .collect()
        }
    }
}

/// The ids of the calendar events whose dates a rule's windows depend on,
/// for the index of resolved windows to be refreshed when one moves.
pub fn depends_on(rule: &Rule, ctx: &Context) -> Vec<String> {
    let mut ids = Vec::new();
    for r in rule.events() {
        if let Shape::Event {
            event,
            event_id,
            scope,
            ..
        } = &r.shape
        {
            for e in matching_events(event.as_deref(), event_id.as_deref(), *scope, ctx) {
                if !ids.contains(&e.id) {
                    ids.push(e.id.clone());
                }
            }
        }
    }
    ids
}

/// The kind of event a generic name speaks of ("đại hội …", "hội nghị …").
fn kind_named_by(key: &str) -> Option<EventKind> {
    let congress = name_key("đại hội");
    let conference = name_key("hội nghị");
    if key.starts_with(&congress) {
        Some(EventKind::Congress)
    } else if key.starts_with(&conference) {
        Some(EventKind::Conference)
    } else {
        None
    }
}

fn apply_bound(d: Date, bound: Bound) -> Window {
    match bound {
        Bound::On | Bound::Within => Window::resolved(Some(d), Some(d)),
        Bound::By => Window::resolved(None, Some(d)),
        Bound::Before => Window::resolved(None, Some(prev(d))),
        Bound::From => Window::resolved(Some(d), None),
        Bound::After => {
            let n = next(d);
            Window::resolved(Some(n), Some(n))
        }
    }
}

fn add_days(d: Date, n: i32) -> Date {
    d.checked_add(n.days()).unwrap_or(d)
}

fn prev(d: Date) -> Date {
    add_days(d, -1)
}

fn next(d: Date) -> Date {
    add_days(d, 1)
}

fn date(y: i16, m: i8, d: i8) -> Date {
    Date::new(y, m, d).unwrap_or_else(|_| last_of_month(y, m))
}

fn last_of_month(y: i16, m: i8) -> Date {
    Date::new(y, m, 1)
        .map(|d| d.last_of_month())
        .unwrap_or(Date::MIN)
}

/// The first and last day of a day or period written with its year, as the
/// rule reads on its own; `None` for anything that needs a calendar or the
/// plan's date to place.
pub(super) fn written_span(rule: &Rule) -> Option<(Date, Date)> {
    match &rule.shape {
        Shape::Date { date: d, bound } => {
            let y = d.year?;
            let w = apply_bound(date(y, d.month, d.day), *bound);
            Some((w.first_day()?, w.last_day()?))
        }
        Shape::Period { period, part, .. } => {
            let known = match period {
                PeriodSpec::Month { year, .. }
                | PeriodSpec::Quarter { year, .. }
                | PeriodSpec::Half { year, .. } => year.is_some(),
                PeriodSpec::Year { .. } => true,
            };
            known.then(|| period_days(*period, *part, Date::MIN))
        }
        _ => None,
    }
}

/// A day, its year filled in as the first such day on or after the plan's date.
fn day_of(spec: DateSpec, plan_date: Date) -> Date {
    match spec.year {
        Some(y) => date(y, spec.month, spec.day),
        None => {
            let this = date(plan_date.year(), spec.month, spec.day);
            if this >= plan_date {
                this
            } else {
                date(plan_date.year() + 1, spec.month, spec.day)
            }
        }
    }
}

/// First and last day of a period, narrowed to a part; a period without a
/// year is the first such on or after the plan's date.
fn period_days(p: PeriodSpec, part: Option<Part>, plan_date: Date) -> (Date, Date) {
    let year_for = |y: Option<i16>, last_month: i8| {
        y.unwrap_or_else(|| {
            if last_of_month(plan_date.year(), last_month) >= plan_date {
                plan_date.year()
            } else {
                plan_date.year() + 1
            }
        })
    };
    let (y, first_month, months) = match p {
        PeriodSpec::Month { year, month } => (year_for(year, month), month, 1),
        PeriodSpec::Quarter { year, quarter } => (year_for(year, quarter * 3), quarter * 3 - 2, 3),
        PeriodSpec::Half { year, half } => (year_for(year, half * 6), half * 6 - 5, 6),
        PeriodSpec::Year { year } => (year, 1, 12),
    };
    let first = date(y, first_month, 1);
    let last = last_of_month(y, first_month + months - 1);
    let Some(part) = part else {
        return (first, last);
    };
    if months == 1 {
        let days = match part {
            Part::Early => (1, 10),
            Part::Mid => (11, 20),
            Part::Late => (21, last.day()),
        };
        return (date(y, first_month, days.0), date(y, first_month, days.1));
    }
    let third = months / 3;
    let start_month = first_month
        + match part {
            Part::Early => 0,
            Part::Mid => third,
            Part::Late => 2 * third,
        };
    (
        date(y, start_month, 1),
        last_of_month(y, start_month + third - 1),
    )
}

/// The occurrence of a recurring rule that is due on or after `today`.
fn recurring(
    every: Every,
    month: Option<u8>,
    month_of_period: Option<MonthOfPeriod>,
    day: Option<u8>,
    bound: Option<Bound>,
    today: Date,
) -> Window {
    // The due day of the occurrence that starts on `period_start`.
    let due_of = |period_start: Date| -> Date {
        let due = match every {
            Every::Day => period_start,
            Every::Week => add_days(period_start, 6),
            Every::Month | Every::Quarter | Every::HalfYear | Every::Year => {
                let months: i8 = match every {
                    Every::Month => 1,
                    Every::Quarter => 3,
                    Every::HalfYear => 6,
                    _ => 12,
                };
                let (y, m0) = (period_start.year(), period_start.month());
                let due_month = match (month, month_of_period) {
                    (Some(m), _) => m as i8,
                    (None, Some(MonthOfPeriod::First)) => m0,
                    (None, Some(MonthOfPeriod::Last)) | (None, None) => m0 + months - 1,
                };
                match day {
                    Some(d) => date(y, due_month, d as i8),
                    None => last_of_month(y, due_month),
                }
            }
        };
        if bound == Some(Bound::Before) {
            prev(due)
        } else {
            due
        }
    };
    let start_of = |d: Date| -> Date {
        match every {
            Every::Day => d,
            Every::Week => add_days(d, -(d.weekday().to_monday_zero_offset() as i32)),
            Every::Month => date(d.year(), d.month(), 1),
            Every::Quarter => date(d.year(), (d.month() - 1) / 3 * 3 + 1, 1),
            Every::HalfYear => date(d.year(), (d.month() - 1) / 6 * 6 + 1, 1),
            Every::Year => date(d.year(), 1, 1),
        }
    };
    let step = |d: Date| -> Date {
        match every {
            Every::Day => add_days(d, 1),
            Every::Week => add_days(d, 7),
            Every::Month => d.checked_add(1.month()).unwrap_or(d),
            Every::Quarter => d.checked_add(3.months()).unwrap_or(d),
            Every::HalfYear => d.checked_add(6.months()).unwrap_or(d),
            Every::Year => d.checked_add(1.year()).unwrap_or(d),
        }
    };
    let mut start = start_of(today);
    let mut due = due_of(start);
    if due < today {
        start = step(start);
        due = due_of(start);
    }
    Window {
        from: Some(start),
        to: Some(due),
        state: DueState::Recurring,
        waits_for: None,
        event: None,
        anchor: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deadline::parse;
    use jiff::civil::date as d;

    fn cal() -> Calendar {
        Calendar::new(vec![
            CalEvent::new(
                "dh-xx",
                "Đại hội XX Đảng bộ tỉnh",
                EventKind::Congress,
                Some("Tỉnh uỷ Cao Bằng"),
                Some(d(2025, 10, 14)),
                Some(d(2025, 10, 16)),
                &["Đại hội đại biểu Đảng bộ tỉnh lần thứ XX".into()],
            ),
            CalEvent::new(
                "dh-xiv",
                "Đại hội Đảng toàn quốc lần thứ XIV",
                EventKind::Congress,
                None,
                None,
                None,
                &["Đại hội XIV của Đảng".into()],
            ),
            CalEvent::new(
                "dh-bao-lac",
                "Đại hội đại biểu Đảng bộ huyện Bảo Lạc",
                EventKind::Congress,
                Some("Huyện uỷ Bảo Lạc"),
                Some(d(2025, 6, 20)),
                Some(d(2025, 6, 21)),
                &[],
            ),
        ])
    }

    fn due(
        phrase: &str,
        assignee: Option<&str>,
    ) -> Vec<(Option<String>, Option<String>, DueState)> {
        let cal = cal();
        let ctx = Context {
            calendar: &cal,
            plan_date: d(2024, 11, 19),
            today: d(2025, 3, 10),
            assignee,
        };
        resolve(&parse(phrase).unwrap(), &ctx)
            .into_iter()
            .map(|w| (w.from, w.to, w.state))
            .collect()
    }

    fn s(x: &str) -> Option<String> {
        Some(x.to_string())
    }

    #[test]
    fn dates_and_periods() {
        use DueState::{AdHoc, Continuous, Resolved};
        assert_eq!(
            due("trước ngày 05/02/2025", None),
            [(None, s("2025-02-04"), Resolved)]
        );
        assert_eq!(
            due("chậm nhất ngày 15/12/2024", None),
            [(None, s("2024-12-15"), Resolved)]
        );
        assert_eq!(
            due("ngày 20/11/2024", None),
            [(s("2024-11-20"), s("2024-11-20"), Resolved)]
        );
        assert_eq!(
            due("trong tháng 11/2024", None),
            [(s("2024-11-01"), s("2024-11-30"), Resolved)]
        );
        assert_eq!(
            due("trong quý IV/2024", None),
            [(s("2024-10-01"), s("2024-12-31"), Resolved)]
        );
        assert_eq!(
            due("6 tháng đầu năm 2025", None),
            [(s("2025-01-01"), s("2025-06-30"), Resolved)]
        );
        assert_eq!(
            due("từ tháng 12/2024", None),
            [(s("2024-12-01"), None, Resolved)]
        );
        assert_eq!(
            due("cuối tháng 2/2025", None),
            [(s("2025-02-21"), s("2025-02-28"), Resolved)]
        );
        assert_eq!(
            due("giữa năm 2025", None),
            [(s("2025-05-01"), s("2025-08-31"), Resolved)]
        );
        // No year: the first such day on or after the plan's date.
        assert_eq!(
            due("trước ngày 10/2 tới", None),
            [(None, s("2025-02-09"), Resolved)]
        );
        assert_eq!(
            due("trước ngày 30/12", None),
            [(None, s("2024-12-29"), Resolved)]
        );
        assert_eq!(
            due("Từ nay đến hết năm 2024", None),
            [(s("2024-11-19"), s("2024-12-31"), Resolved)]
        );
        assert_eq!(
            due("trong vòng 15 ngày kể từ ngày ban hành Kế hoạch", None),
            [(None, s("2024-12-04"), Resolved)]
        );
        assert_eq!(due("thường xuyên", None), [(None, None, Continuous)]);
        assert_eq!(due("đột xuất", None), [(None, None, AdHoc)]);
    }

    #[test]
    fn events_known_and_unknown() {
        use DueState::{Pending, Resolved};
        assert_eq!(
            due(
                "chậm nhất 01 tuần trước ngày khai mạc Đại hội XX Đảng bộ tỉnh",
                None
            ),
            [(None, s("2025-10-07"), Resolved)]
        );
        assert_eq!(
            due("ngay sau khi kết thúc Đại hội XX Đảng bộ tỉnh", None),
            [(s("2025-10-17"), s("2025-10-17"), Resolved)]
        );
        assert_eq!(
            due(
                "trong thời gian diễn ra Đại hội đại biểu Đảng bộ tỉnh lần thứ XX",
                None
            ),
            [(s("2025-10-14"), s("2025-10-16"), Resolved)]
        );
        let pending = due("sau khi kết thúc Đại hội XIV của Đảng 15 ngày", None);
        assert_eq!(pending, [(None, None, Pending)]);
        assert_eq!(
            due(
                "Từ ngày 01/11/2025 đến Đại hội Đảng toàn quốc lần thứ XIV",
                None
            ),
            [(None, None, Pending)]
        );
        assert_eq!(
            due(
                "ngay sau khi kết thúc đại hội đảng bộ cấp mình",
                Some("Huyện ủy Bảo Lạc")
            ),
            [(s("2025-06-22"), s("2025-06-22"), Resolved)]
        );
        assert_eq!(
            due(
                "ngay sau khi kết thúc đại hội đảng bộ cấp mình",
                Some("Huyện uỷ Bảo Lâm")
            ),
            [(None, None, Pending)]
        );
        assert_eq!(
            due("trước Tết Nguyên đán Ất Tỵ 2025", None),
            [(None, s("2025-01-28"), Resolved)]
        );
    }

    #[test]
    fn recurring_takes_the_next_due_occurrence() {
        use DueState::Recurring;
        // today is 2025-03-10
        assert_eq!(
            due("hằng tháng", None),
            [(s("2025-03-01"), s("2025-03-31"), Recurring)]
        );
        assert_eq!(
            due("trước ngày 05 hằng tháng", None),
            [(s("2025-04-01"), s("2025-04-04"), Recurring)]
        );
        assert_eq!(
            due("chậm nhất ngày 05 của tháng cuối mỗi quý", None),
            [(s("2025-04-01"), s("2025-06-05"), Recurring)]
        );
        assert_eq!(
            due("trước ngày 20/11 hằng năm", None),
            [(s("2025-01-01"), s("2025-11-19"), Recurring)]
        );
    }

    #[test]
    fn working_days_skip_weekends_and_tet() {
        let cal = cal();
        let ctx = Context {
            calendar: &cal,
            plan_date: d(2025, 1, 24),
            today: d(2025, 1, 24),
            assignee: None,
        };
        // Friday 24/01/2025; Tết break 25/01–02/02/2025: 5 working days end on 07/02.
        let rule = parse("trong 05 ngày làm việc kể từ ngày ban hành").unwrap();
        let got = resolve(&rule, &ctx);
        assert_eq!(got[0].to.as_deref(), Some("2025-02-07"));
    }
}
