//! The reference plan's text, imported, against the hand-curated plan file:
//! field by field, with precision and recall printed for each.

use dondoc_core::plan::PlanDoc;
use serde_json::{Value, json};
use std::collections::BTreeMap;

fn strip_links(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(m.iter().filter(|(k, _)| k.as_str() != "event_id").map(|(k, v)| (k.clone(), strip_links(v))).collect()),
        Value::Array(a) => Value::Array(a.iter().map(strip_links).collect()),
        _ => v.clone(),
    }
}

/// The facts the text states, as (field, key, value) triples.
fn facts(p: &PlanDoc) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    let mut add = |field: &str, key: &str, value: Value| out.push((field.to_string(), key.to_string(), value.to_string()));
    add("number", "", json!(p.number));
    add("issuer", "", json!(p.issuer));
    add("date", "", json!(p.date));
    add("title", "", json!(p.title));
    for b in &p.based_on {
        add("based_on", &b.number, json!([b.date, b.issuer]));
    }
    for ph in &p.phases {
        add("phase", &ph.name, json!(ph.phrase));
        add("phase.window", &ph.name, strip_links(&json!(ph.window)));
    }
    for t in &p.tasks {
        add("task", &t.reference, json!(t.text));
        add("task.leads", &t.reference, json!(t.leads));
        add("task.coordinates", &t.reference, json!(t.coordinates));
        add("task.phrase", &t.reference, json!(t.deadline_phrase));
        add("task.rule", &t.reference, strip_links(&json!(t.deadline)));
    }
    for r in &p.reporting {
        add("report", &r.name, json!(r.deadline_phrase));
        add("report.rule", &r.name, strip_links(&json!(r.deadline)));
        add("report.reporters", &r.name, json!(r.reporters));
        add("report.recipient", &r.name, json!(r.recipient));
    }
    for (i, s) in p.slogans.iter().enumerate() {
        add("slogan", &(i + 1).to_string(), json!(s));
    }
    for (i, s) in p.recipients.iter().enumerate() {
        add("recipient", &(i + 1).to_string(), json!(s));
    }
    out
}

#[test]
fn reference_text_imports_to_the_curated_plan() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../../plans/");
    let curated = dondoc_core::plan_file::read(&std::fs::read_to_string(format!("{root}390-KH-TU.json")).unwrap()).unwrap();
    let text = std::fs::read_to_string(format!("{root}390-KH-TU.md")).unwrap();
    let draft = dondoc_import::read_text(&text).unwrap();
    let want = facts(&curated);
    let got = facts(&draft.plan);
    let mut per_field: BTreeMap<String, (usize, usize, usize)> = BTreeMap::new();
    for f in &want {
        let e = per_field.entry(f.0.clone()).or_default();
        e.1 += 1;
        if got.contains(f) {
            e.0 += 1;
        } else {
            eprintln!("THIẾU {} [{}]: {}", f.0, f.1, f.2);
        }
    }
    for f in &got {
        per_field.entry(f.0.clone()).or_default().2 += 1;
        if !want.contains(f) {
            eprintln!("THỪA  {} [{}]: {}", f.0, f.1, f.2);
        }
    }
    println!("{:<20} {:>10} {:>10}", "trường", "precision", "recall");
    let mut perfect = true;
    for (field, (hit, wanted, found)) in &per_field {
        let precision = if *found == 0 { 1.0 } else { *hit as f64 / *found as f64 };
        let recall = if *wanted == 0 { 1.0 } else { *hit as f64 / *wanted as f64 };
        perfect &= hit == wanted && hit == found;
        println!("{field:<20} {:>9.1}% {:>9.1}%  ({hit}/{found} đúng, {hit}/{wanted} tìm thấy)", precision * 100.0, recall * 100.0);
    }
    assert!(perfect, "bản đọc từ văn bản khác bản kế hoạch đã soát (xem các dòng THIẾU/THỪA)");
    assert_eq!(draft.plan.unparsed.as_deref().unwrap_or_default(), &[], "mọi dòng của kế hoạch mẫu đều được hiểu");
}
