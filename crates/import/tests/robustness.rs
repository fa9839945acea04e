//! Whatever arrives, the reader answers — a draft or a message — and never
//! panics: lines of real plans cut, shuffled and mixed with stray bytes.

/// A small reproducible generator (no dependency for one test).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) % n as u64) as usize
    }
}

#[test]
fn mangled_plans_get_an_answer_not_a_panic() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/plans/");
    let mut lines: Vec<String> = Vec::new();
    for name in ["ubnd-tinh", "so-nganh", "huyen-uy", "doan-the"] {
        let text = std::fs::read_to_string(format!("{dir}{name}.txt")).unwrap();
        lines.extend(text.lines().map(str::to_string));
    }
    let reference = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../plans/390-KH-TU.md"
    ))
    .unwrap();
    lines.extend(reference.lines().map(str::to_string));
    let mut r = Lcg(20241119);
    for round in 0..rounds() {
        let mut doc = String::new();
        for _ in 0..r.next(60) {
            let mut line = lines[r.next(lines.len())].clone();
            match r.next(6) {
                // Cut inside a character's bytes is not possible in a
                // String; cut at a char boundary near a random place.
                0 => {
                    let at = r.next(line.len() + 1);
                    let at = (0..=at)
                        .rev()
                        .find(|&i| line.is_char_boundary(i))
                        .unwrap_or(0);
                    line.truncate(at);
                }
                1 => line = format!("({line}"),
                2 => line.push_str(" (trong tháng"),
                3 => line = format!("| {line} | | |"),
                _ => {}
            }
            doc.push_str(&line);
            doc.push('\n');
        }
        let mut bytes = doc.into_bytes();
        // Every tenth document gets stray bytes, as a damaged file would.
        if round % 10 == 0 && !bytes.is_empty() {
            for _ in 0..5 {
                let at = r.next(bytes.len());
                bytes[at] = r.next(256) as u8;
            }
        }
        let name = if round % 7 == 0 { "x.docx" } else { "x.txt" };
        let _ = dondoc_import::read_bytes(&bytes, name);
    }
}

/// How many documents: a few hundred in the suite; more when asked
/// (`DONDOC_ROBUSTNESS_ROUNDS=100000`) to search longer.
fn rounds() -> usize {
    std::env::var("DONDOC_ROBUSTNESS_ROUNDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(500)
}

/// A real DOCX with bytes flipped: a message or a draft, never a panic.
#[test]
fn damaged_docx_files_get_an_answer_not_a_panic() {
    let (text, _) = dondoc_import::sample::long_plan(1);
    let docx = dondoc_import::sample::to_docx(&text);
    let mut r = Lcg(390);
    for _ in 0..rounds() / 5 {
        let mut bytes = docx.clone();
        for _ in 0..1 + r.next(8) {
            let at = r.next(bytes.len());
            bytes[at] = r.next(256) as u8;
        }
        if r.next(4) == 0 {
            bytes.truncate(r.next(bytes.len()));
        }
        let _ = dondoc_import::read_bytes(&bytes, "x.docx");
    }
}
