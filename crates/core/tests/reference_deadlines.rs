//! Every time phrase of the reference plan: it parses to the rule the plan
//! file curates, and the rule resolves to the right window on a calendar
//! where the congresses are dated — and to `pending` where they are not.

use dondoc_core::deadline::{CalEvent, Calendar, Context, Reason, Rule, Shape, parse, resolve};
use dondoc_core::due::DueState;
use dondoc_core::plan::PlanDoc;
use dondoc_core::plan_file;
use jiff::civil::{Date, date};

fn plan() -> PlanDoc {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../plans/390-KH-TU.json");
    plan_file::read(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn without_links(mut r: Rule) -> Rule {
    r.walk_mut(&mut |x| {
        if let Shape::Event { event_id, .. } = &mut x.shape {
            *event_id = None;
        }
    });
    r
}

#[test]
fn every_phrase_parses_to_the_curated_rule() {
    let doc = plan();
    let mut checked = 0;
    let mut wrong = Vec::new();
    let mut pairs: Vec<(String, String, Option<Rule>)> = Vec::new();
    for t in &doc.tasks {
        if let Some(p) = &t.deadline_phrase {
            pairs.push((t.reference.clone(), p.clone(), t.deadline.clone()));
        }
    }
    for r in &doc.reporting {
        pairs.push((
            r.name.clone(),
            r.deadline_phrase.clone().unwrap(),
            r.deadline.clone(),
        ));
    }
    for p in &doc.phases {
        pairs.push((p.name.clone(), p.phrase.clone(), p.window.clone()));
        for f in &p.focus {
            pairs.push((p.name.clone(), f.phrase.clone(), f.window.clone()));
        }
    }
    for (place, phrase, curated) in pairs {
        checked += 1;
        match (parse(&phrase), curated) {
            (Ok(got), Some(want)) if got == without_links(want.clone()) => {}
            (Err(e), None) if e.reason == Reason::Deferred => {}
            (got, want) => wrong.push(format!(
                "{place} «{phrase}»: parsed {got:?}, curated {want:?}"
            )),
        }
    }
    assert!(checked > 40, "only {checked} phrases");
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

fn calendar(doc: &PlanDoc, dated: bool) -> Calendar {
    let dates = |id: &str| -> (Option<Date>, Option<Date>) {
        match (dated, id) {
            (true, "dh-xx") => (Some(date(2025, 10, 14)), Some(date(2025, 10, 16))),
            (true, "dh-xiv") => (Some(date(2026, 1, 19)), Some(date(2026, 1, 23))),
            (true, "dh-bao-lac") => (Some(date(2025, 6, 20)), Some(date(2025, 6, 21))),
            _ => (None, None),
        }
    };
    Calendar::new(
        doc.events
            .iter()
            .map(|e| {
                let (s, t) = match dates(&e.id) {
                    (None, None) => (
                        e.start.as_ref().map(|d| d.parse().unwrap()),
                        e.end.as_ref().map(|d| d.parse().unwrap()),
                    ),
                    given => given,
                };
                CalEvent::new(&e.id, &e.name, e.kind, e.unit.as_deref(), s, t, &e.aliases)
            })
            .collect(),
    )
}

type Win = (Option<&'static str>, Option<&'static str>, DueState);

/// Resolves the rule of the task, report or phase `key` names.
fn windows(
    doc: &PlanDoc,
    cal: &Calendar,
    key: &str,
) -> Vec<(Option<String>, Option<String>, DueState)> {
    let assignee = Some("Huyện uỷ Bảo Lạc");
    let rule = doc
        .tasks
        .iter()
        .find(|t| t.reference == key)
        .map(|t| t.deadline.clone())
        .or_else(|| {
            doc.reporting
                .iter()
                .find(|r| r.name == key)
                .map(|r| r.deadline.clone())
        })
        .or_else(|| {
            doc.phases
                .iter()
                .find(|p| p.name == key)
                .map(|p| p.window.clone())
        })
        .or_else(|| {
            doc.phases
                .iter()
                .flat_map(|p| &p.focus)
                .find(|f| f.phrase == key)
                .map(|f| f.window.clone())
        })
        .unwrap_or_else(|| panic!("no {key}"))
        .unwrap_or_else(|| panic!("{key} has no rule"));
    let ctx = Context::new(cal, date(2024, 11, 19), date(2024, 11, 20), assignee);
    resolve(&rule, &ctx)
        .into_iter()
        .map(|d| (d.from, d.to, d.state))
        .collect()
}

#[test]
fn every_rule_resolves_on_a_dated_calendar() {
    use DueState::{AdHoc, Continuous, Pending, Recurring, Resolved};
    let doc = plan();
    let cal = calendar(&doc, true);
    let r = |f: Option<&'static str>, t: Option<&'static str>| (f, t, Resolved);
    let on = |d: &'static str| (Some(d), Some(d), Resolved);
    let by = |d: &'static str| (None, Some(d), Resolved);
    let pending: Win = (None, None, Pending);
    let table: Vec<(&str, Vec<Win>)> = vec![
        ("V.1.1.1", vec![r(Some("2024-11-01"), Some("2024-11-30"))]),
        ("V.1.1.3", vec![on("2025-06-22")]),
        // each grassroots congress (none in the calendar yet), the assignee's own, XX, XIV
        (
            "V.1.1.4",
            vec![
                pending,
                by("2025-06-13"),
                by("2025-10-07"),
                by("2026-01-12"),
            ],
        ),
        ("V.1.1.5", vec![(None, None, Continuous)]),
        ("V.1.1.6", vec![r(Some("2024-12-01"), Some("2024-12-31"))]),
        ("V.1.2.2", vec![r(Some("2024-10-01"), Some("2024-12-31"))]),
        (
            "V.1.2.2.s2",
            vec![(None, None, Continuous), (None, None, AdHoc)],
        ),
        ("V.1.2.3", vec![on("2025-10-17")]),
        ("V.1.2.5.1", vec![r(Some("2025-09-01"), Some("2025-09-30"))]),
        ("V.1.2.5.2", vec![r(Some("2025-11-01"), Some("2025-11-30"))]),
        ("V.1.2.5.3", vec![on("2026-01-24")]),
        ("V.1.6.1", vec![r(Some("2024-11-01"), Some("2024-11-30"))]),
        // every conference held to collect opinions: none dated yet
        ("V.1.6.2", vec![pending]),
        // the committee publishing its drafts is not in the calendar
        ("V.1.6.3", vec![pending]),
        ("V.1.6.6", vec![r(Some("2024-12-01"), None)]),
        ("V.1.6.7", vec![on("2025-10-17")]),
        ("V.1.6.8", vec![on("2026-01-24")]),
        ("V.1.7.1.1", vec![on("2025-10-13")]),
        ("V.1.7.1.2", vec![by("2025-09-24")]),
        ("V.1.7.1.4", vec![r(Some("2025-04-01"), None)]),
        ("V.1.8.1.2", vec![by("2025-10-13"), by("2026-01-18")]),
        ("V.1.8.2.2", vec![by("2025-10-04")]),
        (
            "Hằng tháng",
            vec![(Some("2024-11-01"), Some("2024-11-30"), Recurring)],
        ),
        ("Đợt I", vec![by("2025-02-04")]),
        ("Đợt II", vec![by("2025-09-14")]),
        ("Đợt III", vec![by("2025-11-14")]),
        ("Đợt IV", vec![by("2025-12-14")]),
        ("Đợt V", vec![by("2026-02-07")]),
        (
            "Trong thời gian diễn ra Đại hội XX Đảng bộ tỉnh",
            vec![r(Some("2025-10-14"), Some("2025-10-16"))],
        ),
        (
            "Trước khai mạc Đại hội XIV của Đảng",
            vec![by("2026-01-18")],
        ),
        (
            "Trong thời gian diễn ra Đại hội XIV của Đảng",
            vec![r(Some("2026-01-19"), Some("2026-01-23"))],
        ),
    ];
    let mut wrong = Vec::new();
    for (key, want) in &table {
        let got = windows(&doc, &cal, key);
        let want: Vec<_> = want
            .iter()
            .map(|(f, t, s)| (f.map(String::from), t.map(String::from), *s))
            .collect();
        if got != want {
            wrong.push(format!("{key}: got {got:?}\n      want {want:?}"));
        }
    }
    // The phases (names shared with reports are resolved by the phase list).
    let phase = |name: &str| {
        let p = doc.phases.iter().find(|p| p.name == name).unwrap();
        let ctx = Context::new(&cal, date(2024, 11, 19), date(2024, 11, 20), None);
        resolve(p.window.as_ref().unwrap(), &ctx)
            .into_iter()
            .map(|d| (d.from, d.to))
            .collect::<Vec<_>>()
    };
    let s = |x: &str| Some(x.to_string());
    for (name, from, to) in [
        ("Đợt I", "2024-11-19", "2024-12-31"),
        ("Đợt II", "2025-01-01", "2025-08-31"),
        ("Đợt III", "2025-09-01", "2025-10-31"),
        ("Đợt IV", "2025-11-01", "2026-01-23"),
        ("Đợt V", "2026-01-24", "2026-01-24"),
    ] {
        if phase(name) != vec![(s(from), s(to))] {
            wrong.push(format!("phase {name}: {:?}", phase(name)));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn event_rules_wait_while_the_congresses_have_no_date() {
    let doc = plan();
    let cal = calendar(&doc, false);
    let mut checked = 0;
    for t in &doc.tasks {
        let Some(rule) = &t.deadline else { continue };
        if rule.events().is_empty() {
            continue;
        }
        let ctx = Context::new(
            &cal,
            date(2024, 11, 19),
            date(2024, 11, 20),
            Some("Huyện uỷ Bảo Lạc"),
        );
        for d in resolve(rule, &ctx) {
            checked += 1;
            assert_eq!(d.state, DueState::Pending, "{} {d:?}", t.reference);
            assert!(
                d.waits_for.is_some(),
                "{} names what it waits for",
                t.reference
            );
        }
    }
    assert!(checked >= 15, "{checked}");
}
