//! A reviewed draft becomes a plan that can be stored: every name it gives
//! work to stands for a unit or group of the directory, or for a new unit
//! the reviewer accepted.

use crate::matching::{Known, match_key, spellings};
use dondoc_core::plan::{Group, PlanDoc, Unit};
use dondoc_core::text::name_key;
use std::collections::{HashMap, HashSet};

/// What the reviewer decided for a name the directory did not know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Choice {
    /// Create it as a new unit, named as written.
    New,
    /// It is this known unit or group (the written name becomes an alias).
    SameAs(String),
}

/// The draft as a storable plan. `choices` is keyed by the name as written;
/// a name with no choice that the directory does not know becomes a new unit.
pub fn adopt(
    draft: &PlanDoc,
    units: &[Unit],
    groups: &[Group],
    choices: &HashMap<String, Choice>,
) -> PlanDoc {
    let known = Known::of(units, groups);
    let by_name: HashMap<&str, &Unit> = units.iter().map(|u| (u.name.as_str(), u)).collect();
    let group_by_name: HashMap<&str, &Group> =
        groups.iter().map(|g| (g.name.as_str(), g)).collect();

    let mut plan = draft.clone();
    plan.proposed_units = None;
    plan.unparsed = None;
    let mut out_units: Vec<Unit> = plan.units.clone();
    let mut out_groups: Vec<Group> = plan.groups.clone();
    let mut have: HashSet<String> = out_units.iter().map(|u| match_key(&u.name)).collect();
    let mut have_groups: HashSet<String> = out_groups.iter().map(|g| match_key(&g.name)).collect();

    // A known unit and the units above it, so that parents resolve.
    fn add_unit(
        name: &str,
        alias: Option<&str>,
        by_name: &HashMap<&str, &Unit>,
        out: &mut Vec<Unit>,
        have: &mut HashSet<String>,
    ) {
        let mut next = Some(name.to_string());
        let mut first = true;
        while let Some(n) = next.take() {
            let Some(u) = by_name.get(n.as_str()) else {
                break;
            };
            if have.insert(match_key(&u.name)) {
                out.push((*u).clone());
            }
            if first && let Some(a) = alias {
                let unit = out
                    .iter_mut()
                    .find(|x| x.name == u.name)
                    .expect("just added");
                if name_key(a) != name_key(&unit.name)
                    && !unit.aliases.iter().any(|x| name_key(x) == name_key(a))
                {
                    unit.aliases.push(a.to_string());
                }
            }
            first = false;
            next = u.parent.clone();
        }
    }

    // A choice made for one spelling holds for the others.
    let choices: HashMap<String, &Choice> =
        choices.iter().map(|(k, v)| (match_key(k), v)).collect();
    for written in spellings(draft) {
        let target = match choices.get(&match_key(&written)).copied() {
            Some(Choice::SameAs(name)) => Some(name.clone()),
            Some(Choice::New) => None,
            None => known.find(&written).map(str::to_string),
        };
        match target {
            Some(name) if by_name.contains_key(name.as_str()) => {
                add_unit(&name, Some(&written), &by_name, &mut out_units, &mut have)
            }
            Some(name) if group_by_name.contains_key(name.as_str()) => {
                let g = group_by_name[name.as_str()];
                for m in &g.members {
                    add_unit(m, None, &by_name, &mut out_units, &mut have);
                }
                if have_groups.insert(match_key(&g.name)) {
                    let mut g = (*g).clone();
                    if name_key(&written) != name_key(&g.name) {
                        g.aliases.push(written.clone());
                    }
                    out_groups.push(g);
                } else if let Some(g) = out_groups.iter_mut().find(|x| x.name == name)
                    && !g.aliases.iter().any(|a| name_key(a) == name_key(&written))
                    && name_key(&written) != name_key(&g.name)
                {
                    g.aliases.push(written.clone());
                }
            }
            _ => {
                // Another spelling of a name already taken in (`UBND các
                // huyện` and `Ủy ban nhân dân các huyện`) is its alias.
                if !have.insert(match_key(&written)) {
                    if let Some(u) = out_units
                        .iter_mut()
                        .find(|u| match_key(&u.name) == match_key(&written))
                        && name_key(&u.name) != name_key(&written)
                        && !u.aliases.iter().any(|a| name_key(a) == name_key(&written))
                    {
                        u.aliases.push(written.clone());
                    }
                } else {
                    out_units.push(Unit {
                        name: written.clone(),
                        parent: None,
                        kind: "unit".into(),
                        level: String::new(),
                        aliases: Vec::new(),
                        valid_from: None,
                        valid_to: None,
                        successors: Vec::new(),
                    });
                }
            }
        }
    }
    plan.units = out_units;
    plan.groups = out_groups;
    plan
}

#[cfg(test)]
mod tests {
    use super::*;
    use dondoc_core::plan::Task;

    fn unit(name: &str, parent: Option<&str>) -> Unit {
        Unit {
            name: name.into(),
            parent: parent.map(str::to_string),
            kind: "board".into(),
            level: "province".into(),
            ..Unit::default()
        }
    }

    #[test]
    fn known_names_bring_their_parents_and_unknown_become_units() {
        let units = vec![
            unit("Tỉnh uỷ Cao Bằng", None),
            unit("Ban Tuyên giáo Tỉnh uỷ", Some("Tỉnh uỷ Cao Bằng")),
        ];
        let mut draft = PlanDoc::default();
        draft.tasks.push(Task {
            reference: "1".into(),
            text: "x".into(),
            leads: vec!["Ban Tuyên giáo Tỉnh ủy".into()],
            coordinates: vec!["Hội Nhà báo tỉnh".into()],
            ..Task::default()
        });
        let plan = adopt(&draft, &units, &[], &HashMap::new());
        let names: Vec<&str> = plan.units.iter().map(|u| u.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "Ban Tuyên giáo Tỉnh uỷ",
                "Tỉnh uỷ Cao Bằng",
                "Hội Nhà báo tỉnh"
            ]
        );
        let mut choices = HashMap::new();
        choices.insert(
            "Hội Nhà báo tỉnh".to_string(),
            Choice::SameAs("Tỉnh uỷ Cao Bằng".into()),
        );
        let plan = adopt(&draft, &units, &[], &choices);
        assert_eq!(plan.units.len(), 2);
        assert!(
            plan.units
                .iter()
                .any(|u| u.aliases.contains(&"Hội Nhà báo tỉnh".to_string()))
        );
    }
}
