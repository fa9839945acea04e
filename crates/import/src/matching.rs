//! Matching the names a document writes against the units already known.
//!
//! Names are compared by `dondoc_core::text::name_key` (diacritics count,
//! case and old/new tone placement do not: `Tỉnh uỷ` is `Tỉnh ủy`, but
//! `Bảo Lạc` is not `Bảo Lâm`), after spelling out the abbreviations that
//! documents use for the same bodies (`UBND`, `MTTQ`, `HĐND` …). A name that
//! matches nothing is proposed as a new unit; none is dropped.

use dondoc_core::plan::PlanDoc;
use dondoc_core::text::name_key;
use std::collections::{HashMap, HashSet};

/// Abbreviations written for the full words, in the key's lower case.
const ABBREVIATIONS: &[(&str, &str)] = &[
    ("ubnd", "ủy ban nhân dân"),
    ("hđnd", "hội đồng nhân dân"),
    ("mttq", "mặt trận tổ quốc"),
    ("ubmttq", "ủy ban mặt trận tổ quốc"),
    ("bch", "ban chấp hành"),
    ("btv", "ban thường vụ"),
    ("tncs", "thanh niên cộng sản"),
    ("hcm", "hồ chí minh"),
    ("lhpn", "liên hiệp phụ nữ"),
    ("hlhpn", "hội liên hiệp phụ nữ"),
    ("lđlđ", "liên đoàn lao động"),
    ("đtn", "đoàn thanh niên"),
    ("ccb", "cựu chiến binh"),
    ("vh", "văn hóa"),
    ("tt", "thông tin"),
    ("vn", "việt nam"),
    ("btg", "ban tuyên giáo"),
    ("btc", "ban tổ chức"),
    ("bdv", "ban dân vận"),
    ("vp", "văn phòng"),
];

/// The key names are matched by: `name_key` of the name with its
/// abbreviations spelt out.
pub fn match_key(name: &str) -> String {
    // The abbreviations' keys, worked out once.
    static SPELT: std::sync::LazyLock<Vec<(String, String)>> = std::sync::LazyLock::new(|| {
        ABBREVIATIONS
            .iter()
            .map(|(a, full)| (name_key(a), name_key(full)))
            .collect()
    });
    let key = name_key(name);
    let spelt: Vec<&str> = key
        .split(' ')
        .map(|w| {
            SPELT
                .iter()
                .find(|(a, _)| a == w)
                .map_or(w, |(_, full)| full.as_str())
        })
        .collect();
    spelt.join(" ")
}

/// Units and groups already known (from the database), by their names and
/// aliases.
#[derive(Debug, Clone, Default)]
pub struct Known {
    /// match key → the unit's name as stored.
    by_key: HashMap<String, String>,
}

impl Known {
    pub fn new() -> Self {
        Self::default()
    }

    /// The directory's units and groups, each under its name and aliases.
    pub fn of(units: &[dondoc_core::plan::Unit], groups: &[dondoc_core::plan::Group]) -> Self {
        let mut known = Self::new();
        for u in units {
            known.add(&u.name, &u.aliases);
        }
        for g in groups {
            known.add(&g.name, &g.aliases);
        }
        known
    }

    /// Adds a unit or group under its name and every alias.
    pub fn add(&mut self, name: &str, aliases: &[String]) {
        self.by_key.insert(match_key(name), name.to_string());
        for a in aliases {
            self.by_key.insert(match_key(a), name.to_string());
        }
    }

    /// The known name a written name stands for.
    pub fn find(&self, written: &str) -> Option<&str> {
        let key = match_key(written);
        if let Some(n) = self.by_key.get(&key) {
            return Some(n);
        }
        // `Các huyện, thành uỷ …` written as `mỗi huyện, thành uỷ …`.
        // Keys are in the decomposed form `name_key` gives.
        let words: Vec<String> = ["các", "mỗi", "những"]
            .iter()
            .map(|w| format!("{} ", name_key(w)))
            .collect();
        for prefix in &words {
            if let Some(rest) = key.strip_prefix(prefix.as_str()) {
                for p2 in words.iter().map(String::as_str).chain([""]) {
                    if let Some(n) = self.by_key.get(&format!("{p2}{rest}")) {
                        return Some(n);
                    }
                }
            }
        }
        None
    }

    pub fn len(&self) -> usize {
        self.by_key.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_key.is_empty()
    }
}

/// Every unit or group name the draft mentions as doing or receiving work,
/// in order of first mention, each once (by match key: `UBND tỉnh` and
/// `Ủy ban nhân dân tỉnh` are one name).
pub fn named(plan: &PlanDoc) -> Vec<String> {
    mentioned(plan, match_key)
}

/// Every spelling of every name mentioned, each once (by `name_key`, the
/// key a stored plan's names are checked by).
pub fn spellings(plan: &PlanDoc) -> Vec<String> {
    mentioned(plan, name_key)
}

fn mentioned<'a>(plan: &'a PlanDoc, key: fn(&str) -> String) -> Vec<String> {
    let mut seen = HashSet::new();
    let mut read: HashSet<&str> = HashSet::new();
    let mut out = Vec::new();
    let mut add = |n: &'a str| {
        // A name met again as written needs no key worked out again.
        if read.insert(n) && seen.insert(key(n)) {
            out.push(n.to_string());
        }
    };
    for t in &plan.tasks {
        t.leads.iter().chain(&t.coordinates).for_each(|n| add(n));
    }
    for r in &plan.reporting {
        r.reporters.iter().for_each(|n| add(n));
        if let Some(n) = &r.recipient {
            add(n);
        }
    }
    out
}

/// Names the reader split that the directory knows as one: `Ủy ban Mặt
/// trận Tổ quốc Việt Nam và các tổ chức chính trị - xã hội cấp tỉnh` is a
/// group where one is kept, so the work goes to the group and not to two
/// halves of its name. Names next to each other are joined as the text
/// joins them (`, ` or ` và `), longest run first.
fn regroup(names: &mut Vec<String>, known: &Known) {
    let mut i = 0;
    while i < names.len() {
        let mut merged = false;
        for end in (i + 2..=names.len()).rev() {
            for sep in [" và ", ", "] {
                let joined = names[i..end].join(sep);
                if known.find(&joined).is_some() {
                    names.splice(i..end, [joined]);
                    merged = true;
                    break;
                }
            }
            if merged {
                break;
            }
        }
        i += 1;
    }
}

/// Fills `proposed_units`: every name the draft mentions that `known` does
/// not hold (all of them when there is no database to ask). With a
/// directory, names split from one the directory knows are joined first.
pub fn propose(plan: &mut PlanDoc, known: Option<&Known>) {
    if let Some(k) = known {
        for t in &mut plan.tasks {
            regroup(&mut t.leads, k);
            regroup(&mut t.coordinates, k);
        }
    }
    let proposed: Vec<String> = named(plan)
        .into_iter()
        .filter(|n| {
            known.is_none_or(|k| {
                k.find(n).is_none()
                    && !plan
                        .units
                        .iter()
                        .any(|u| match_key(&u.name) == match_key(n))
            })
        })
        .collect();
    plan.proposed_units = Some(proposed);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_and_abbreviations_match() {
        let mut k = Known::new();
        k.add("Ủy ban nhân dân tỉnh", &[]);
        k.add("Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh", &[]);
        k.add("Các huyện, thành uỷ, đảng uỷ trực thuộc Tỉnh uỷ", &[]);
        k.add("Huyện uỷ Bảo Lạc", &[]);
        assert_eq!(k.find("UBND tỉnh"), Some("Ủy ban nhân dân tỉnh"));
        assert_eq!(
            k.find("Uỷ ban MTTQ Việt Nam tỉnh"),
            Some("Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh")
        );
        assert_eq!(
            k.find("Các huyện, thành ủy, đảng ủy trực thuộc Tỉnh ủy"),
            Some("Các huyện, thành uỷ, đảng uỷ trực thuộc Tỉnh uỷ")
        );
        assert_eq!(
            k.find("mỗi huyện, thành uỷ, đảng uỷ trực thuộc Tỉnh uỷ"),
            Some("Các huyện, thành uỷ, đảng uỷ trực thuộc Tỉnh uỷ")
        );
        // Diacritics count: another district is another unit.
        assert_eq!(k.find("Huyện uỷ Bảo Lâm"), None);
    }
}
