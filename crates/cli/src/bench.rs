//! `dondoc bench`: parse + resolve throughput over generated time phrases.
//!
//! The phrases are drawn (deterministically) from the shapes real plans use,
//! with varying dates, offsets and events, so the figure is not that of one
//! phrase parsed again and again.

use dondoc_core::deadline::{self, CalEvent, Calendar, Context};
use dondoc_core::plan::EventKind;
use jiff::civil::date;
use std::time::Instant;

/// A small linear congruential generator: reproducible, no dependency.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: u32) -> u32 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) % n as u64) as u32
    }
}

const ROMAN: [&str; 4] = ["I", "II", "III", "IV"];

fn phrase(r: &mut Lcg) -> String {
    let (d, m, y) = (r.next(28) + 1, r.next(12) + 1, 2024 + r.next(3));
    let n = r.next(20) + 1;
    match r.next(14) {
        0 => format!("trước ngày {d:02}/{m:02}/{y}"),
        1 => format!("chậm nhất ngày {d}-{m}-{y}"),
        2 => format!("Thời gian thực hiện: Hoàn thành trong tháng {m}/{y}."),
        3 => format!("(*trong quý {}/{y}*)", ROMAN[(m % 4) as usize]),
        4 => format!("6 tháng đầu năm {y}"),
        5 => "Thực hiện thường xuyên.".to_string(),
        6 => format!(
            "Chậm nhất {n:02} tuần trước ngày diễn ra phiên khai mạc Đại hội XX Đảng bộ tỉnh"
        ),
        7 => format!("sau khi kết thúc Đại hội XIV của Đảng {n} ngày"),
        8 => format!("Từ ngày {d:02}/{m:02}/{y} đến ngày {}/12/{y}", d.max(1)),
        9 => format!("trước ngày {d} hằng tháng"),
        10 => format!("trong {n:02} ngày làm việc kể từ ngày ban hành Kế hoạch"),
        11 => "Hoàn thành ngay sau khi kết thúc đại hội đảng bộ cấp mình.".to_string(),
        12 => format!("trong tháng {m}, tháng {} năm {y}", m % 12 + 1),
        _ => format!("ngày {d:02} tháng {m:02} năm {y}"),
    }
}

pub fn run(count: usize) {
    let mut rng = Lcg(0x5eed);
    let phrases: Vec<String> = (0..count).map(|_| phrase(&mut rng)).collect();
    let calendar = Calendar::new(vec![
        CalEvent::new(
            "dh-xx",
            "Đại hội XX Đảng bộ tỉnh",
            EventKind::Congress,
            Some("Tỉnh uỷ Cao Bằng"),
            Some(date(2025, 10, 14)),
            Some(date(2025, 10, 16)),
            &[],
        ),
        CalEvent::new(
            "dh-xiv",
            "Đại hội XIV của Đảng",
            EventKind::Congress,
            None,
            Some(date(2026, 1, 19)),
            Some(date(2026, 1, 23)),
            &[],
        ),
        CalEvent::new(
            "dh-bao-lac",
            "Đại hội đại biểu Đảng bộ huyện Bảo Lạc",
            EventKind::Congress,
            Some("Huyện uỷ Bảo Lạc"),
            Some(date(2025, 6, 20)),
            Some(date(2025, 6, 21)),
            &[],
        ),
    ]);
    let ctx = Context::new(
        &calendar,
        date(2024, 11, 19),
        date(2025, 3, 10),
        Some("Huyện uỷ Bảo Lạc"),
    );

    let t0 = Instant::now();
    let rules: Vec<_> = phrases
        .iter()
        .filter_map(|p| deadline::parse(p).ok())
        .collect();
    let parse_time = t0.elapsed();
    let t1 = Instant::now();
    let mut windows = 0usize;
    for r in &rules {
        windows += deadline::resolve(r, &ctx).len();
    }
    let resolve_time = t1.elapsed();
    let total = parse_time + resolve_time;
    let rate = |n: usize, t: std::time::Duration| n as f64 / t.as_secs_f64();
    crate::out!("Cụm thời gian sinh ra: {count}; đọc được: {}", rules.len());
    crate::out!(
        "Đọc (parse):       {:>10.0} cụm/giây  ({:.1} ms)",
        rate(rules.len(), parse_time),
        parse_time.as_secs_f64() * 1e3
    );
    crate::out!(
        "Giải (resolve):    {:>10.0} quy tắc/giây  ({:.1} ms, {windows} khoảng hạn)",
        rate(rules.len(), resolve_time),
        resolve_time.as_secs_f64() * 1e3
    );
    crate::out!(
        "Đọc + giải:        {:>10.0} quy tắc/giây",
        rate(rules.len(), total)
    );
}
