//! `dondoc bench-read DIR`: the reader measured on real documents. For each
//! `DIR/<id>.txt` with a gold annotation (`DIR/gold/<id>.jsonl`), the draft
//! `dondoc import --json` would print is scored against it as the corpus's
//! README says: tasks matched by the start of their text (or 85% of its
//! words), units by 75% of the words of the longer name, rules key by key.
//! For documents without gold (`DIR/unlabelled/*.txt` and any `.txt`
//! without one), how many time phrases the reader attached to a task, beside
//! how many a plain pattern finds in the text.

use crate::error::{CliError, Result};
use crate::out;
use dondoc_core::plan::Task;
use dondoc_core::text::name_key;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// A gold task.
struct GoldTask {
    text_start: String,
    leads: Vec<String>,
    coordinates: Vec<String>,
    phrase: Option<String>,
    rule: Option<Value>,
}

/// Counts over one document or all of them.
#[derive(Default, Clone, Copy)]
struct Score {
    gold_tasks: usize,
    read_tasks: usize,
    matched: usize,
    lead: Pairs,
    coordinate: Pairs,
    units: Pairs,
    rules: usize,
    rules_right: usize,
    phrases: usize,
    phrases_located: usize,
    refused: usize,
}

/// Set agreement: found in both, only in the reading, only in the gold.
#[derive(Default, Clone, Copy)]
struct Pairs {
    both: usize,
    read_only: usize,
    gold_only: usize,
}

impl Pairs {
    fn add(&mut self, o: Pairs) {
        self.both += o.both;
        self.read_only += o.read_only;
        self.gold_only += o.gold_only;
    }

    fn f1(&self) -> f64 {
        let (tp, fp, fn_) = (
            self.both as f64,
            self.read_only as f64,
            self.gold_only as f64,
        );
        if tp + fp + fn_ == 0.0 {
            return 1.0;
        }
        2.0 * tp / (2.0 * tp + fp + fn_)
    }
}

impl Score {
    fn add(&mut self, o: &Score) {
        self.gold_tasks += o.gold_tasks;
        self.read_tasks += o.read_tasks;
        self.matched += o.matched;
        self.lead.add(o.lead);
        self.coordinate.add(o.coordinate);
        self.units.add(o.units);
        self.rules += o.rules;
        self.rules_right += o.rules_right;
        self.phrases += o.phrases;
        self.phrases_located += o.phrases_located;
        self.refused += o.refused;
    }

    fn precision(&self) -> f64 {
        ratio(self.matched, self.read_tasks)
    }

    fn recall(&self) -> f64 {
        ratio(self.matched, self.gold_tasks)
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 1.0 } else { a as f64 / b as f64 }
}

/// Case, tone placement and white space folded.
fn fold(s: &str) -> String {
    name_key(s)
}

fn words(s: &str) -> Vec<String> {
    fold(s)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// Whether a read task's text is the gold task's: it begins with the gold
/// start (its last few characters may differ), or holds 85% of its words.
fn same_task(gold_start: &str, text: &str) -> bool {
    let (g, t) = (fold(gold_start), fold(text));
    let cut: String = {
        let n = g.chars().count();
        g.chars().take(n.saturating_sub(4).max(n.min(8))).collect()
    };
    if !cut.is_empty() && t.starts_with(&cut) {
        return true;
    }
    let gw = words(gold_start);
    let tw = words(text);
    let shared = gw.iter().filter(|w| tw.contains(w)).count();
    !gw.is_empty() && shared as f64 >= 0.85 * gw.len() as f64
}

/// Two names are one when 75% of the words of the longer are shared.
fn same_name(a: &str, b: &str) -> bool {
    let (wa, wb) = (words(a), words(b));
    let (long, short) = if wa.len() >= wb.len() {
        (&wa, &wb)
    } else {
        (&wb, &wa)
    };
    if long.is_empty() {
        return false;
    }
    let shared = long.iter().filter(|w| short.contains(w)).count();
    shared as f64 >= 0.75 * long.len() as f64
}

/// Names matched one to one.
fn compare_names(read: &[String], gold: &[String]) -> Pairs {
    let mut used = vec![false; read.len()];
    let mut both = 0;
    for g in gold {
        if let Some(i) = (0..read.len()).find(|&i| !used[i] && same_name(&read[i], g)) {
            used[i] = true;
            both += 1;
        }
    }
    Pairs {
        both,
        read_only: read.len() - both,
        gold_only: gold.len() - both,
    }
}

/// Whether the read rule has the gold's value for every key the gold
/// gives (`event` as a name, `event_id` ignored, an `offset_days` of 0 may
/// be left out).
fn same_rule(gold: &Value, read: &Value) -> bool {
    match (gold, read) {
        (Value::Object(g), Value::Object(r)) => g.iter().all(|(k, gv)| match k.as_str() {
            "event_id" => true,
            "event" => r
                .get(k)
                .and_then(Value::as_str)
                .zip(gv.as_str())
                .is_some_and(|(a, b)| fold(a) == fold(b)),
            "offset_days" if gv.as_i64() == Some(0) => {
                r.get(k).is_none_or(|v| v.as_i64() == Some(0))
            }
            _ => r.get(k).is_some_and(|rv| same_rule(gv, rv)),
        }),
        (Value::Array(g), Value::Array(r)) => {
            g.len() == r.len() && g.iter().zip(r).all(|(a, b)| same_rule(a, b))
        }
        (g, r) => g == r,
    }
}

fn read_gold(path: &Path) -> Result<Vec<GoldTask>> {
    let text = std::fs::read_to_string(path).map_err(|cause| CliError::File {
        path: path.display().to_string(),
        cause,
    })?;
    let mut out = Vec::new();
    for (n, line) in text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        let v: Value = serde_json::from_str(line)
            .map_err(|e| CliError::Input(format!("{} dòng {}: {e}", path.display(), n + 1)))?;
        if v["kind"] != "task" {
            continue;
        }
        let list = |k: &str| -> Vec<String> {
            v[k].as_array()
                .into_iter()
                .flatten()
                .filter_map(|x| x.as_str().map(str::to_string))
                .collect()
        };
        out.push(GoldTask {
            text_start: v["text_start"].as_str().unwrap_or_default().to_string(),
            leads: list("leads"),
            coordinates: list("coordinates"),
            phrase: v["deadline_phrase"].as_str().map(str::to_string),
            rule: Some(v["rule"].clone()).filter(|r| !r.is_null()),
        });
    }
    Ok(out)
}

fn score(gold: &[GoldTask], read: &[Task]) -> Score {
    let mut s = Score {
        gold_tasks: gold.len(),
        read_tasks: read.len(),
        ..Score::default()
    };
    let mut used = vec![false; read.len()];
    for g in gold {
        let Some(i) =
            (0..read.len()).find(|&i| !used[i] && same_task(&g.text_start, &read[i].text))
        else {
            if g.rule.is_some() {
                s.rules += 1;
            }
            if g.phrase.is_some() {
                s.phrases += 1;
            }
            continue;
        };
        used[i] = true;
        s.matched += 1;
        let t = &read[i];
        s.lead.add(compare_names(&t.leads, &g.leads));
        s.coordinate
            .add(compare_names(&t.coordinates, &g.coordinates));
        if let Some(rule) = &g.rule {
            s.rules += 1;
            let read_rule = t
                .deadline
                .as_ref()
                .and_then(|r| serde_json::to_value(r).ok());
            if read_rule.is_some_and(|r| same_rule(rule, &r)) {
                s.rules_right += 1;
            }
        }
        if let Some(p) = &g.phrase {
            s.phrases += 1;
            if let Some(rp) = &t.deadline_phrase {
                let (a, b) = (fold(p), fold(rp));
                if a.contains(&b) || b.contains(&a) {
                    s.phrases_located += 1;
                }
            }
        }
    }
    let names = |l: &mut dyn Iterator<Item = &String>| -> Vec<String> {
        let mut v: Vec<String> = Vec::new();
        for n in l {
            if !v.iter().any(|x| fold(x) == fold(n)) {
                v.push(n.clone());
            }
        }
        v
    };
    let gold_units = names(
        &mut gold
            .iter()
            .flat_map(|g| g.leads.iter().chain(&g.coordinates)),
    );
    let read_units = names(
        &mut read
            .iter()
            .flat_map(|t| t.leads.iter().chain(&t.coordinates)),
    );
    s.units = compare_names(&read_units, &gold_units);
    s
}

/// Time phrases a plain pattern finds in a text: dates (`30/6/2025`),
/// months (`tháng 11/2024`, `tháng 11 năm 2024`), quarters (`quý IV`),
/// "trước ngày", "hằng tháng|quý|năm", "định kỳ". What the reader is
/// measured against on documents without gold.
pub const TIME_PATTERN: &str =
    "dd/mm[/yyyy] | tháng N | quý|quí … | hằng/hàng tháng|quý|năm|tuần | định kỳ";

fn time_phrases(text: &str) -> usize {
    let t = fold(text);
    let mut n = 0;
    let chars: Vec<char> = t.chars().collect();
    // dd/mm: the first slash of a date only ("30/6/2025" once).
    for i in 1..chars.len().saturating_sub(1) {
        if chars[i] != '/' || !chars[i - 1].is_ascii_digit() || !chars[i + 1].is_ascii_digit() {
            continue;
        }
        let mut j = i - 1;
        while j > 0 && chars[j - 1].is_ascii_digit() {
            j -= 1;
        }
        // "tháng 11/2024" is counted once, as a month, below.
        let before: String = chars[..j].iter().collect();
        let month = before.trim_end().ends_with(&fold("tháng"));
        if (j == 0 || chars[j - 1] != '/') && !month {
            n += 1;
        }
    }
    for pat in [
        "tháng ",
        "quý ",
        "quí ",
        "hằng tháng",
        "hàng tháng",
        "hằng quý",
        "hằng năm",
        "hàng năm",
        "hằng tuần",
        "hàng tuần",
        "định kỳ",
    ] {
        let k = fold(pat);
        let mut rest = t.as_str();
        while let Some(at) = rest.find(&k) {
            let after = &rest[at + k.len()..];
            let next = after.trim_start();
            let counts = match pat.trim() {
                "tháng" => next.starts_with(|c: char| c.is_ascii_digit()),
                "quý" | "quí" => next.starts_with(['i', 'v', '1', '2', '3', '4']),
                _ => true,
            };
            if counts {
                n += 1;
            }
            rest = after;
        }
    }
    n
}

fn texts_in(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    v.sort();
    v
}

pub fn run(dir: &str) -> Result<()> {
    let dir = Path::new(dir);
    if !dir.is_dir() {
        return Err(CliError::Input(format!(
            "«{}» không phải thư mục",
            dir.display()
        )));
    }
    let mut total = Score::default();
    let mut docs = 0;
    let mut unlabelled: Vec<PathBuf> = Vec::new();
    out!("tài liệu\tnhiệm vụ (đúng/đọc/chuẩn)\tchủ trì F1\tphối hợp F1\tquy tắc đúng");
    for path in texts_in(dir) {
        let id = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default();
        let gold_path = dir.join("gold").join(format!("{id}.jsonl"));
        if !gold_path.exists() {
            unlabelled.push(path);
            continue;
        }
        let gold = read_gold(&gold_path)?;
        let bytes = std::fs::read(&path).map_err(|cause| CliError::File {
            path: path.display().to_string(),
            cause,
        })?;
        let (tasks, refused) = match dondoc_import::read_bytes(&bytes, &path.to_string_lossy()) {
            Ok(d) => (d.plan.tasks, false),
            Err(_) => (Vec::new(), true),
        };
        let mut s = score(&gold, &tasks);
        s.refused = usize::from(refused);
        out!(
            "{id}\t{}/{}/{}{}\t{:.2}\t{:.2}\t{}/{}",
            s.matched,
            s.read_tasks,
            s.gold_tasks,
            if refused { " (từ chối)" } else { "" },
            s.lead.f1(),
            s.coordinate.f1(),
            s.rules_right,
            s.rules
        );
        total.add(&s);
        docs += 1;
    }
    if docs > 0 {
        let p = total.precision();
        let r = total.recall();
        let f1 = if p + r > 0.0 {
            2.0 * p * r / (p + r)
        } else {
            0.0
        };
        out!("");
        out!("{docs} tài liệu có chuẩn, {} bị từ chối", total.refused);
        out!(
            "nhiệm vụ: chính xác {:.1}%, đầy đủ {:.1}%, F1 {:.3} ({} khớp / {} đọc được / {} trong chuẩn)",
            p * 100.0,
            r * 100.0,
            f1,
            total.matched,
            total.read_tasks,
            total.gold_tasks
        );
        out!(
            "đơn vị chủ trì F1 {:.3}; phối hợp F1 {:.3}; mọi đơn vị nêu tên F1 {:.3}",
            total.lead.f1(),
            total.coordinate.f1(),
            total.units.f1()
        );
        out!(
            "quy tắc thời hạn đúng hoàn toàn: {}/{} ({:.1}%); cụm từ thời gian tìm được: {}/{} ({:.1}%)",
            total.rules_right,
            total.rules,
            ratio(total.rules_right, total.rules) * 100.0,
            total.phrases_located,
            total.phrases,
            ratio(total.phrases_located, total.phrases) * 100.0
        );
    }
    unlabelled.extend(texts_in(&dir.join("unlabelled")));
    if !unlabelled.is_empty() {
        let (mut found, mut attached, mut refused) = (0, 0, 0);
        for path in &unlabelled {
            let bytes = std::fs::read(path).map_err(|cause| CliError::File {
                path: path.display().to_string(),
                cause,
            })?;
            found += time_phrases(&String::from_utf8_lossy(&bytes));
            match dondoc_import::read_bytes(&bytes, &path.to_string_lossy()) {
                Ok(d) => {
                    attached += d
                        .plan
                        .tasks
                        .iter()
                        .filter(|t| t.deadline_phrase.is_some())
                        .count()
                }
                Err(_) => refused += 1,
            }
        }
        out!("");
        out!(
            "{} tài liệu không có chuẩn ({} bị từ chối): {} nhiệm vụ có cụm từ thời gian; mẫu «{TIME_PATTERN}» thấy {} cụm trong văn bản",
            unlabelled.len(),
            refused,
            attached,
            found
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn names_and_tasks_match_as_the_corpus_says() {
        assert!(same_name(
            "Sở Văn hóa, Thể thao và Du lịch",
            "Sở Văn hoá, Thể thao và Du lịch"
        ));
        assert!(!same_name(
            "Báo Cao Bằng",
            "Đài Phát thanh - Truyền hình Cao Bằng"
        ));
        assert!(same_task(
            "Hỗ trợ cho các doanh nghiệp, nhất là",
            "Hỗ trợ cho các doanh nghiệp, nhất là doanh nghiệp nhỏ và vừa."
        ));
        assert!(!same_task(
            "Hỗ trợ cho các doanh nghiệp",
            "Tổ chức hội nghị"
        ));
    }

    #[test]
    fn a_rule_is_right_on_every_key_the_gold_gives() {
        let gold = json!({"kind": "period", "period": "2025-Q4", "bound": "within"});
        assert!(same_rule(
            &gold,
            &json!({"kind": "period", "period": "2025-Q4", "bound": "within", "x": 1})
        ));
        assert!(!same_rule(
            &gold,
            &json!({"kind": "period", "period": "2025-Q3", "bound": "within"})
        ));
        let ev = json!({"kind": "event", "event": "Đại hội XX", "offset_days": 0, "event_id": "a"});
        assert!(same_rule(
            &ev,
            &json!({"kind": "event", "event": "đại hội  XX"})
        ));
    }

    #[test]
    fn the_pattern_counts_dates_months_and_quarters() {
        assert_eq!(
            time_phrases("trước ngày 30/6/2025, trong tháng 11/2024 và quý IV"),
            3
        );
        assert_eq!(time_phrases("báo cáo hằng tháng"), 1);
    }
}
