//! The assignments of a scope, by task and standing.

use super::*;
use crate::assignments::{Assignment, Status as TaskStatus};
use dondoc_core::documents::synthesis::{TaskLine, TaskNote};
use dondoc_core::due::{Due, DueState};
use jiff::civil::Date;
use std::collections::{BTreeMap, HashSet};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Standing {
    Done,
    InProgress,
    NotStarted,
    Overdue,
    /// Its deadline waits for an event not yet dated.
    Pending,
}

/// Where an assignment stands on `today`, as the unit page says it:
/// overdue is the page's own test (`Assignment::is_overdue`).
pub(super) fn standing(a: &Assignment, today: Date) -> Option<Standing> {
    match a.status {
        TaskStatus::Cancelled => None,
        TaskStatus::Done => Some(Standing::Done),
        _ if a.is_overdue(today) => Some(Standing::Overdue),
        _ if a.due.iter().any(|d| d.state == DueState::Pending) => Some(Standing::Pending),
        TaskStatus::InProgress => Some(Standing::InProgress),
        _ => Some(Standing::NotStarted),
    }
}

/// Whether an assignment belongs to a phase whose window is `window`
/// (`None`: the whole plan).
pub(super) fn in_window(a: &Assignment, window: Option<(Option<&str>, Option<&str>)>) -> bool {
    let Some((from, to)) = window else {
        return true;
    };
    let dated: Vec<&Due> = a
        .due
        .iter()
        .filter(|d| d.state == DueState::Resolved && (d.from.is_some() || d.to.is_some()))
        .collect();
    if dated.is_empty() {
        return true;
    }
    if from.is_none() && to.is_none() {
        return false;
    }
    dated.iter().any(|d| {
        let (first, last) = match (d.from.as_deref(), d.to.as_deref()) {
            (Some(f), Some(t)) => (f, t),
            (Some(x), None) | (None, Some(x)) => (x, x),
            (None, None) => return false,
        };
        from.is_none_or(|f| last >= f) && to.is_none_or(|t| first <= t)
    })
}

/// Every distinct window of some assignments.
pub(super) fn distinct_due(list: &[&Assignment]) -> Vec<Due> {
    let mut ds: Vec<Due> = Vec::new();
    for d in list.iter().flat_map(|a| a.due.iter()) {
        if !ds.contains(d) {
            ds.push(d.clone());
        }
    }
    ds
}

/// The first and last days some assignments were finished on.
pub(super) fn done_note(list: &[&Assignment]) -> TaskNote {
    let days: Vec<Date> = list
        .iter()
        .filter_map(|a| parse_day(a.completed_on.as_deref()))
        .collect();
    TaskNote::Done {
        days: days
            .iter()
            .min()
            .zip(days.iter().max())
            .map(|(a, b)| (*a, *b)),
    }
}

/// The fewest and most days some assignments are late by on `today`.
pub(super) fn overdue_note(list: &[&Assignment], today: Date) -> TaskNote {
    let today_text = today.to_string();
    let late_by: Vec<i32> = list
        .iter()
        .filter_map(|a| {
            a.due
                .iter()
                .filter(|d| d.state == DueState::Resolved)
                .filter_map(|d| d.to.as_deref())
                .filter(|t| *t < today_text.as_str())
                .min()
                .and_then(|t| t.parse::<Date>().ok())
                .and_then(|t| t.until(today).ok())
                .map(|s| s.get_days())
        })
        .collect();
    TaskNote::Overdue {
        days: late_by
            .iter()
            .min()
            .zip(late_by.iter().max())
            .map(|(a, b)| (*a, *b)),
    }
}

/// How many of some open assignments have started.
pub(super) fn in_progress_note(list: &[&Assignment]) -> TaskNote {
    let started = list
        .iter()
        .filter(|a| a.status == TaskStatus::InProgress)
        .count();
    TaskNote::InProgress {
        started,
        waiting: list.len() - started,
    }
}

/// The task lists of the synthesis, and what its opening sentences count.
#[derive(Default)]
pub(super) struct TaskLists {
    pub(super) done: Vec<TaskLine>,
    pub(super) in_progress: Vec<TaskLine>,
    pub(super) not_started: Vec<TaskLine>,
    pub(super) overdue: Vec<TaskLine>,
    pub(super) pending: Vec<TaskLine>,
    pub(super) tasks: usize,
    pub(super) assignments: usize,
    pub(super) units: usize,
    pub(super) by_standing: BTreeMap<Standing, usize>,
    /// The undated events pending deadlines wait for.
    pub(super) waits_for: Vec<String>,
}

/// One line per task and standing: the units of a task that finished it
/// are named apart from those late with it.
pub(super) fn task_lists(
    list: &[Assignment],
    units: &Units,
    window: Option<(Option<&str>, Option<&str>)>,
    today: Date,
) -> TaskLists {
    let mut out = TaskLists::default();
    let mut unit_ids = HashSet::new();
    // `list` is in task order: consecutive rows of one task form a run.
    let mut start = 0;
    while start < list.len() {
        let reference = &list[start].task_ref;
        let end = list[start..]
            .iter()
            .position(|a| a.task_ref != *reference)
            .map_or(list.len(), |n| start + n);
        let mut groups: BTreeMap<Standing, Vec<&Assignment>> = BTreeMap::new();
        for a in list[start..end].iter().filter(|a| in_window(a, window)) {
            if let Some(s) = standing(a, today) {
                groups.entry(s).or_default().push(a);
            }
        }
        if !groups.is_empty() {
            out.tasks += 1;
        }
        for (s, mut group) in groups {
            group.sort_by_key(|a| (units.rank(a.unit_id), a.unit_id));
            out.assignments += group.len();
            *out.by_standing.entry(s).or_default() += group.len();
            unit_ids.extend(group.iter().map(|a| a.unit_id));
            for w in group
                .iter()
                .flat_map(|a| a.due.iter())
                .filter(|d| d.state == DueState::Pending)
                .filter_map(|d| d.waits_for.clone())
            {
                if s == Standing::Pending && !out.waits_for.contains(&w) {
                    out.waits_for.push(w);
                }
            }
            let first = group[0];
            let line = TaskLine {
                reference: first.task_ref.clone(),
                text: first.task_text.clone(),
                units: group.iter().map(|a| a.unit_name.clone()).collect(),
                due: distinct_due(&group),
                note: match s {
                    Standing::Done => done_note(&group),
                    Standing::Overdue => overdue_note(&group, today),
                    Standing::InProgress => in_progress_note(&group),
                    Standing::NotStarted => TaskNote::NotStarted,
                    Standing::Pending => TaskNote::Pending,
                },
            };
            match s {
                Standing::Done => out.done.push(line),
                Standing::InProgress => out.in_progress.push(line),
                Standing::NotStarted => out.not_started.push(line),
                Standing::Overdue => out.overdue.push(line),
                Standing::Pending => out.pending.push(line),
            }
        }
        start = end;
    }
    out.units = unit_ids.len();
    out
}
