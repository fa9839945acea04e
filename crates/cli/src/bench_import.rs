//! `dondoc bench-import`: how many pages a second the reader takes in, for
//! a plan of the asked length in each form it arrives in.

use crate::out;
use dondoc_import::legacy::{self, Encoding};
use dondoc_import::sample::{self, PAGE_CHARS};
use std::time::{Duration, Instant};

/// The middle of the measured times: one slow round (a build beside it, a
/// page-cache miss) does not move it.
pub(crate) fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

pub fn run(pages: usize, rounds: usize) -> crate::error::Result<()> {
    let (text, _) = sample::long_plan(pages);
    let real_pages = text.chars().count() as f64 / PAGE_CHARS as f64;
    let vni = legacy::encode(&text, Encoding::Vni).map_err(crate::error::CliError::Input)?;
    let docx = sample::to_docx(&text);
    out!(
        "Kế hoạch thử: {:.0} trang ({} ký tự một trang), {} dòng; {} lần đo mỗi dạng, lấy trung vị.",
        real_pages,
        PAGE_CHARS,
        text.lines().count(),
        rounds
    );
    let forms: [(&str, &[u8], &str); 3] = [
        ("văn bản UTF-8", text.as_bytes(), "a.md"),
        ("văn bản VNI", &vni, "a.txt"),
        ("DOCX", &docx, "a.docx"),
    ];
    for (label, bytes, name) in forms {
        let mut times = Vec::with_capacity(rounds);
        let mut tasks = 0;
        for _ in 0..rounds.max(1) {
            let t = Instant::now();
            let d = dondoc_import::read_bytes(bytes, name)
                .map_err(|e| crate::error::CliError::Input(e.to_string()))?;
            times.push(t.elapsed());
            tasks = d.plan.tasks.len();
        }
        let m = median(times);
        out!(
            "{label:<14} {:>8.1} ms  {:>8.0} trang/giây  ({} nhiệm vụ, {:.1} MB)",
            m.as_secs_f64() * 1000.0,
            real_pages / m.as_secs_f64(),
            tasks,
            bytes.len() as f64 / 1e6
        );
    }
    Ok(())
}
