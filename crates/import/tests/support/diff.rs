//! Comparing a plan read from a document with the reading expected of it:
//! both become (field, key, value) facts; precision and recall per field.

use serde_json::{Value, json};
use std::collections::BTreeMap;

fn strip_links(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter()
                .filter(|(k, _)| k.as_str() != "event_id")
                .map(|(k, v)| (k.clone(), strip_links(v)))
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(strip_links).collect()),
        _ => v.clone(),
    }
}

/// Facts of a plan in the JSON interchange form. Only the keys present in
/// `shape` are taken, so that an expected reading that leaves a key out
/// does not judge it; rules are compared only where `shape` has them.
pub fn facts(p: &Value, shape: &Value) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    let has = |k: &str| shape.get(k).is_some();
    let mut add = |field: &str, key: &str, value: &Value| {
        out.push((
            field.to_string(),
            key.to_string(),
            strip_links(value).to_string(),
        ))
    };
    for k in ["number", "issuer", "date", "place", "title"] {
        if has(k) {
            add(k, "", p.get(k).unwrap_or(&Value::Null));
        }
    }
    let list = |k: &str| {
        p.get(k)
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
    };
    let rule_of = |k: &str| {
        shape
            .get(k)
            .and_then(Value::as_array)
            .and_then(|a| a.first())
            .is_some_and(|x| x.get("deadline").is_some() || x.get("window").is_some())
    };
    if has("based_on") {
        for b in list("based_on") {
            add(
                "based_on",
                b["number"].as_str().unwrap_or(""),
                &json!([b["date"], b["issuer"]]),
            );
        }
    }
    if has("phases") {
        for ph in list("phases") {
            let name = ph["name"].as_str().unwrap_or("");
            add("phase", name, &ph["phrase"]);
            if rule_of("phases") {
                add("phase.window", name, &ph["window"]);
            }
        }
    }
    if has("tasks") {
        for t in list("tasks") {
            let r = t["ref"].as_str().unwrap_or("");
            add("task", r, &t["text"]);
            add("task.leads", r, &t["leads"]);
            add("task.coordinates", r, &t["coordinates"]);
            add("task.phrase", r, &t["deadline_phrase"]);
            if rule_of("tasks") {
                add("task.rule", r, &t["deadline"]);
            }
        }
    }
    if has("reporting") {
        for r in list("reporting") {
            let name = r["name"].as_str().unwrap_or("");
            add("report", name, &r["deadline_phrase"]);
            if rule_of("reporting") {
                add("report.rule", name, &r["deadline"]);
            }
            add("report.reporters", name, &r["reporters"]);
            add("report.recipient", name, &r["recipient"]);
        }
    }
    for (field, k) in [("slogan", "slogans"), ("recipient", "recipients")] {
        if has(k) {
            for (i, s) in list(k).iter().enumerate() {
                add(field, &(i + 1).to_string(), s);
            }
        }
    }
    out
}

/// Per field: (right, expected, found).
pub type Score = BTreeMap<String, (usize, usize, usize)>;

/// Compares, prints what is missing or extra and the table, and returns
/// the score.
pub fn compare(
    label: &str,
    want: &[(String, String, String)],
    got: &[(String, String, String)],
) -> Score {
    let mut per_field = Score::new();
    for f in want {
        let e = per_field.entry(f.0.clone()).or_default();
        e.1 += 1;
        if got.contains(f) {
            e.0 += 1;
        } else {
            eprintln!("{label}: THIẾU {} [{}]: {}", f.0, f.1, f.2);
        }
    }
    for f in got {
        per_field.entry(f.0.clone()).or_default().2 += 1;
        if !want.contains(f) {
            eprintln!("{label}: THỪA  {} [{}]: {}", f.0, f.1, f.2);
        }
    }
    println!(
        "{label}\n{:<20} {:>10} {:>10}",
        "trường", "precision", "recall"
    );
    for (field, (hit, wanted, found)) in &per_field {
        let precision = if *found == 0 {
            1.0
        } else {
            *hit as f64 / *found as f64
        };
        let recall = if *wanted == 0 {
            1.0
        } else {
            *hit as f64 / *wanted as f64
        };
        println!(
            "{field:<20} {:>9.1}% {:>9.1}%  ({hit}/{found} đúng, {hit}/{wanted} tìm thấy)",
            precision * 100.0,
            recall * 100.0
        );
    }
    per_field
}

pub fn perfect(score: &Score) -> bool {
    score
        .values()
        .all(|(hit, wanted, found)| hit == wanted && hit == found)
}
