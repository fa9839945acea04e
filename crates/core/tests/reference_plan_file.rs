//! The shipped reference plan (`plans/390-KH-TU.json`) reads as a `PlanDoc`
//! and stays faithful to the document it was curated from
//! (`plans/390-KH-TU.md`, the document as issued).

use dondoc_core::plan::PlanDoc;
use std::collections::HashSet;
use std::path::{Path, PathBuf};

const SEED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../plans/390-KH-TU.md");

fn plan_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../plans/390-KH-TU.json")
}

fn load_plan() -> (String, PlanDoc) {
    let path = plan_path();
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let plan: PlanDoc = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("{} is not a PlanDoc: {e}", path.display()));
    (text, plan)
}

fn load_seed() -> String {
    match std::fs::read_to_string(SEED) {
        Ok(s) => s,
        Err(e) => panic!(
            "the seed document {SEED} is needed to check the reference plan against it, \
             but it cannot be read: {e}"
        ),
    }
}

/// `ủy`/`Ủy` and `uỷ`/`Uỷ` are the same word; compare names with one spelling.
fn fold(s: &str) -> String {
    s.replace("ủy", "uỷ").replace("Ủy", "Uỷ")
}

/// The seed with every `(…)` on one line removed, with the space before it:
/// a task's text leaves out its deadline parenthesis.
fn without_parentheses(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(open) = rest.find(" (") {
        let after = &rest[open + 2..];
        match after.find([')', '\n']) {
            Some(close) if after[close..].starts_with(')') => {
                out.push_str(&rest[..open]);
                rest = &after[close + 1..];
            }
            _ => {
                out.push_str(&rest[..open + 2]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[test]
fn reference_plan_parses_and_is_nfc() {
    let (text, plan) = load_plan();
    assert!(
        unicode_normalization::is_nfc(&text),
        "plans/390-KH-TU.json is not NFC"
    );
    assert_eq!(plan.number, "390-KH/TU");
    assert_eq!(plan.date.as_deref(), Some("2024-11-19"));
}

#[test]
fn reference_plan_counts() {
    let (_, plan) = load_plan();
    assert_eq!(plan.phases.len(), 5, "phases");
    assert_eq!(plan.slogans.len(), 28, "slogans");
    assert_eq!(plan.reporting.len(), 6, "reporting entries");
    assert!(!plan.tasks.is_empty());
    let topics: Vec<usize> = plan.phases.iter().map(|p| p.topics.len()).collect();
    assert_eq!(topics, [4, 9, 6, 4, 7], "topics per phase");
}

#[test]
fn refs_and_ids_are_unique() {
    let (_, plan) = load_plan();
    let mut seen = HashSet::new();
    for t in &plan.tasks {
        assert!(
            seen.insert(t.reference.as_str()),
            "task ref {} twice",
            t.reference
        );
    }
    let mut seen = HashSet::new();
    for e in &plan.events {
        assert!(seen.insert(e.id.as_str()), "event id {} twice", e.id);
    }
    let mut seen = HashSet::new();
    for u in &plan.units {
        assert!(seen.insert(u.name.as_str()), "unit {} twice", u.name);
    }
}

#[test]
fn every_lead_and_member_is_a_known_unit_or_group() {
    let (_, plan) = load_plan();
    let mut names: HashSet<String> = HashSet::new();
    let mut units: HashSet<String> = HashSet::new();
    for u in &plan.units {
        units.insert(fold(&u.name));
        names.insert(fold(&u.name));
        names.extend(u.aliases.iter().map(|a| fold(a)));
    }
    for g in &plan.groups {
        names.insert(fold(&g.name));
        names.extend(g.aliases.iter().map(|a| fold(a)));
        for m in &g.members {
            assert!(
                units.contains(&fold(m)),
                "group {:?}: member {m:?} is no unit",
                g.name
            );
        }
    }
    for t in &plan.tasks {
        assert!(!t.leads.is_empty(), "task {} has no lead", t.reference);
        for lead in &t.leads {
            assert!(
                names.contains(&fold(lead)),
                "task {}: lead {lead:?} names no unit or group",
                t.reference
            );
        }
    }
    for r in &plan.reporting {
        for who in &r.reporters {
            assert!(
                names.contains(&fold(who)),
                "reporting {}: {who:?} unknown",
                r.name
            );
        }
    }
    for u in &plan.units {
        if let Some(p) = &u.parent {
            assert!(
                units.contains(&fold(p)),
                "unit {:?}: parent {p:?} is no unit",
                u.name
            );
        }
    }
}

#[test]
fn text_is_taken_from_the_seed() {
    let (_, plan) = load_plan();
    let seed = load_seed().replace('*', "");
    let bare = without_parentheses(&seed);
    for s in &plan.slogans {
        assert!(seed.contains(s.as_str()), "slogan not in the seed: {s:?}");
    }
    for t in &plan.tasks {
        let head: String = t.text.chars().take(40).collect();
        assert!(
            seed.contains(&head) || bare.contains(&head),
            "task {}: text does not start as in the seed: {head:?}",
            t.reference
        );
        if let Some(p) = &t.deadline_phrase {
            assert!(
                seed.contains(p.as_str()),
                "task {}: deadline phrase {p:?} not in the seed",
                t.reference
            );
        }
    }
}
