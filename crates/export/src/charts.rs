//! Charts drawn on the server as SVG, readable printed in black and white:
//! series told apart by pattern and label, not by colour alone.

use std::collections::BTreeMap;

use dondoc_core::documents::charts::{FigureBars, RateSeries, Timeline};
use dondoc_core::text::{nfc, vn_date, vn_number, vn_ratio_percent};
use jiff::civil::Date;

/// Every chart is this wide in its own units; the page scales it.
const WIDTH: f64 = 960.0;
const MARGIN: f64 = 16.0;
const NO_DATA: &str = "Chưa có số liệu";
/// Patterns told apart in black and white, in the order series use them.
const PATTERNS: usize = 6;

/// The phases over the months, the deadlines per day, and today.
pub fn timeline_svg(t: &Timeline) -> String {
    let phases: Vec<(String, Date, Date)> = t
        .phases
        .iter()
        .enumerate()
        .map(|(i, (name, start, end))| {
            let name = name.trim();
            let name = if name.is_empty() {
                format!("Đợt {}", i + 1)
            } else {
                name.to_string()
            };
            (name, *start, (*end).max(*start))
        })
        .collect();
    let mut per_day: BTreeMap<Date, Vec<&str>> = BTreeMap::new();
    for (label, day) in &t.deadlines {
        per_day.entry(*day).or_default().push(label.trim());
    }

    // The span: whole months around everything shown, today included.
    let days = phases
        .iter()
        .flat_map(|(_, s, e)| [*s, *e])
        .chain(per_day.keys().copied())
        .chain([t.today]);
    let (lo, hi) = days.fold((t.today, t.today), |(lo, hi), d| (lo.min(d), hi.max(d)));
    let start = lo.first_of_month();
    let end = hi.last_of_month().tomorrow().unwrap_or(hi);
    let total = day_count(start, end).max(1) as f64;
    let (left, right) = (MARGIN, WIDTH - MARGIN);
    let x = |d: Date| left + day_count(start, d) as f64 / total * (right - left);

    let desc = timeline_desc(&phases, &per_day, t.today);
    let ids = Ids::new("tl", &desc);
    let mut body = String::new();

    let top = 34.0;
    let row = 42.0;
    let lane = top + row * phases.len() as f64;
    let axis = lane + 46.0;
    let height = axis + 34.0;

    // Month grid and ticks; labels thinned out so they never overlap.
    let months = month_starts(start, end);
    let month_w = (right - left) / months.len().max(1) as f64;
    let every = (62.0 / month_w).ceil().max(1.0) as usize;
    for (i, m) in months.iter().enumerate() {
        let mx = x(*m);
        body.push_str(&format!(
            r##"<line class="dd-grid" x1="{a}" y1="{b}" x2="{a}" y2="{c}" stroke="#bbbbbb" stroke-width="0.5"/>"##,
            a = n(mx),
            b = n(top - 6.0),
            c = n(axis + 6.0),
        ));
        if i.is_multiple_of(every) {
            body.push_str(&text_el(
                mx + 3.0,
                axis + 20.0,
                "start",
                "",
                &format!("{:02}/{}", m.month(), m.year()),
            ));
        }
    }
    body.push_str(&axis_line(left, axis, right, axis));

    for (i, (name, s, e)) in phases.iter().enumerate() {
        let y = top + row * i as f64;
        let (x0, x1) = (x(*s), x(e.tomorrow().unwrap_or(*e)));
        let label = format!("{name} ({} – {})", vn_date(*s), vn_date(*e));
        // Above its bar, kept inside the chart.
        let w = text_width(&label, 12.0);
        let (lx, anchor) = if x0 + w <= right {
            (x0, "start")
        } else if x1 - w >= left {
            (x1, "end")
        } else {
            (left, "start")
        };
        body.push_str(&format!(
            r#"<g class="dd-phase dd-s{k}"><title>{t}</title>{bar}{label}</g>"#,
            k = i % PATTERNS,
            t = esc(&label),
            bar = bar_rect(&ids, i, x0, y + 18.0, (x1 - x0).max(1.0), 16.0),
            label = text_el(lx, y + 13.0, anchor, "font-weight=\"bold\"", &label),
        ));
    }

    // Deadlines: one marker per day, with the day's count where several.
    if !per_day.is_empty() {
        body.push_str(&text_el(
            left,
            lane + 10.0,
            "start",
            "font-style=\"italic\" font-size=\"11\"",
            "Hạn nhiệm vụ (số trên dấu: số hạn trong ngày)",
        ));
    }
    let my = lane + 32.0;
    for (day, labels) in &per_day {
        let dx = x(*day) + (right - left) / total / 2.0;
        let mut tip = format!("{}: {} hạn", vn_date(*day), labels.len());
        let named: Vec<&str> = labels.iter().copied().filter(|l| !l.is_empty()).collect();
        if !named.is_empty() {
            tip.push_str(" – ");
            tip.push_str(
                &named
                    .iter()
                    .take(10)
                    .copied()
                    .collect::<Vec<_>>()
                    .join("; "),
            );
            if named.len() > 10 {
                tip.push_str("; …");
            }
        }
        let count = if labels.len() > 1 {
            text_el(
                dx,
                my - 9.0,
                "middle",
                "font-size=\"10\"",
                &labels.len().to_string(),
            )
        } else {
            String::new()
        };
        body.push_str(&format!(
            r##"<g class="dd-deadline"><title>{t}</title><path d="M{a},{b} L{c},{my} L{a},{d} L{e},{my} Z" fill="#222222"/>{count}</g>"##,
            t = esc(&tip),
            a = n(dx),
            b = n(my - 6.0),
            c = n(dx + 4.5),
            d = n(my + 6.0),
            e = n(dx - 4.5),
            my = n(my),
        ));
    }

    // Today, dashed across the whole chart, labelled at the top.
    let tx = x(t.today) + (right - left) / total / 2.0;
    let today = format!("Hôm nay {}", vn_date(t.today));
    let (lx, anchor) = if tx + 4.0 + text_width(&today, 12.0) <= right {
        (tx + 4.0, "start")
    } else {
        (tx - 4.0, "end")
    };
    body.push_str(&format!(
        r##"<g class="dd-today"><line x1="{a}" y1="{b}" x2="{a}" y2="{c}" stroke="#111111" stroke-width="1.5" stroke-dasharray="6 4"/>{label}</g>"##,
        a = n(tx),
        b = n(top - 18.0),
        c = n(axis),
        label = text_el(lx, top - 10.0, anchor, "font-weight=\"bold\"", &today),
    ));

    if phases.is_empty() {
        let note = if per_day.is_empty() {
            NO_DATA.to_string()
        } else {
            format!("{NO_DATA} về các đợt")
        };
        body.push_str(&note_el((left + right) / 2.0, top + 12.0, &note));
    }

    shell(
        &ids,
        "Tiến độ thực hiện Kế hoạch theo các đợt",
        &desc,
        height,
        &body,
    )
}

/// The reporting rate of each level, per period, as grouped bars on 0–100%.
pub fn rates_svg(r: &RateSeries) -> String {
    let values: Vec<(String, Vec<Option<f64>>)> = r
        .series
        .iter()
        .map(|(level, rates)| {
            let rates = (0..r.periods.len())
                .map(|i| {
                    rates
                        .get(i)
                        .copied()
                        .flatten()
                        .filter(|v| v.is_finite())
                        .map(|v| v.clamp(0.0, 1.0))
                })
                .collect();
            (level.trim().to_string(), rates)
        })
        .collect();
    let empty = values.iter().all(|(_, v)| v.iter().all(Option::is_none));
    let desc = rates_desc(&r.periods, &values, empty);
    let ids = Ids::new("rt", &desc);
    let labels: Vec<String> = values.iter().map(|(l, _)| l.clone()).collect();
    let bars = Bars {
        groups: r.periods.iter().map(|p| p.trim().to_string()).collect(),
        series: labels,
        values: values
            .iter()
            .map(|(_, v)| v.iter().map(|x| x.map(|x| x * 100.0)).collect())
            .collect(),
        max: 100.0,
        ticks: (0..=4)
            .map(|i| (i as f64 * 25.0, format!("{}%", i * 25)))
            .collect(),
        label: &|v| format!("{}%", v.round() as i64),
        absent: Some("–"),
        empty,
    };
    let (body, height) = bars.draw(&ids);
    shell(
        &ids,
        "Tỷ lệ gửi báo cáo theo cấp qua các kỳ",
        &desc,
        height,
        &body,
    )
}

/// The figures' totals per phase, one bar per indicator.
pub fn figures_svg(f: &FigureBars) -> String {
    let values: Vec<Vec<Option<i64>>> = f
        .series
        .iter()
        .map(|(_, v)| (0..f.phases.len()).map(|i| v.get(i).copied()).collect())
        .collect();
    let max = values
        .iter()
        .flatten()
        .flatten()
        .copied()
        .max()
        .unwrap_or(0);
    let empty = max <= 0;
    let desc = figures_desc(f, &values, empty);
    let ids = Ids::new("fg", &desc);
    let step = nice_step(max.max(1));
    // With nothing to show, the axis has its zero only: no made-up scale.
    let top = if empty { 1 } else { round_up(max, step) };
    let ticks = (0..)
        .map(|i| i * step)
        .take_while(|v| *v <= top && !(empty && *v > 0))
        .map(|v| (v as f64, vn_number(v)))
        .collect();
    let bars = Bars {
        groups: f.phases.iter().map(|p| p.trim().to_string()).collect(),
        series: f.series.iter().map(|(l, _)| l.trim().to_string()).collect(),
        values: values
            .iter()
            .map(|v| v.iter().map(|x| x.map(|x| x.max(0) as f64)).collect())
            .collect(),
        max: top as f64,
        ticks,
        label: &|v| vn_number(v.round() as i64),
        absent: None,
        empty,
    };
    let (body, height) = bars.draw(&ids);
    shell(&ids, "Số liệu kết quả theo đợt", &desc, height, &body)
}

/// A grouped bar chart: one group per `groups`, one bar per series.
struct Bars<'a> {
    groups: Vec<String>,
    series: Vec<String>,
    /// Per series, one value per group, on the scale `0..=max`.
    values: Vec<Vec<Option<f64>>>,
    max: f64,
    ticks: Vec<(f64, String)>,
    label: &'a dyn Fn(f64) -> String,
    /// Shown where a value is absent, when absence means something.
    absent: Option<&'a str>,
    empty: bool,
}

impl Bars<'_> {
    fn draw(&self, ids: &Ids) -> (String, f64) {
        let mut body = String::new();
        let (legend, legend_h) = legend(ids, &self.series);
        body.push_str(&legend);

        let left = MARGIN + 64.0;
        let right = WIDTH - MARGIN;
        let top = MARGIN + legend_h + 18.0;
        let plot_h = 240.0;
        let base = top + plot_h;
        let y = |v: f64| base - v.clamp(0.0, self.max) / self.max.max(f64::MIN_POSITIVE) * plot_h;

        for (v, label) in &self.ticks {
            let ty = y(*v);
            body.push_str(&format!(
                r##"<line class="dd-grid" x1="{l}" y1="{t}" x2="{r}" y2="{t}" stroke="#bbbbbb" stroke-width="0.5"/>"##,
                l = n(left),
                r = n(right),
                t = n(ty),
            ));
            body.push_str(&text_el(left - 6.0, ty + 4.0, "end", "", label));
        }
        body.push_str(&axis_line(left, top - 6.0, left, base));
        body.push_str(&axis_line(left, base, right, base));

        let groups = self.groups.len();
        let mut label_rows = 1;
        if groups > 0 {
            let gw = (right - left) / groups as f64;
            let m = self.series.len().max(1) as f64;
            let bw = (gw * 0.8 / m).min(56.0);
            let size = (bw / 2.6).clamp(8.0, 11.0);
            for (g, name) in self.groups.iter().enumerate() {
                let gx = left + gw * g as f64;
                let x0 = gx + (gw - bw * m) / 2.0;
                for (s, values) in self.values.iter().enumerate() {
                    let bx = x0 + bw * s as f64;
                    let cx = bx + bw / 2.0;
                    let series = self.series.get(s).map_or("", String::as_str);
                    match values.get(g).copied().flatten() {
                        Some(v) => {
                            let label = (self.label)(v);
                            let by = y(v);
                            body.push_str(&format!(
                                r#"<g class="dd-bar dd-s{k}"><title>{t}</title>{rect}{label}</g>"#,
                                k = s % PATTERNS,
                                t = esc(&format!("{series} – {name}: {label}")),
                                rect = bar_rect(ids, s, bx, by, bw, base - by),
                                label = text_el(
                                    cx,
                                    by - 4.0,
                                    "middle",
                                    &format!("font-size=\"{}\"", n(size)),
                                    &label,
                                ),
                            ));
                        }
                        None => {
                            if let Some(mark) = self.absent {
                                body.push_str(&format!(
                                    r#"<g class="dd-absent"><title>{t}</title>{label}</g>"#,
                                    t = esc(&format!(
                                        "{series} – {name}: không có báo cáo phải nộp"
                                    )),
                                    label = text_el(
                                        cx,
                                        base - 4.0,
                                        "middle",
                                        &format!("font-size=\"{}\"", n(size)),
                                        mark,
                                    ),
                                ));
                            }
                        }
                    }
                }
                let lines = wrap_label(name, ((gw - 4.0) / 6.7).max(4.0) as usize);
                label_rows = label_rows.max(lines.len());
                for (i, line) in lines.iter().enumerate() {
                    body.push_str(&text_el(
                        gx + gw / 2.0,
                        base + 18.0 + 14.0 * i as f64,
                        "middle",
                        "",
                        line,
                    ));
                }
            }
        }
        if self.empty {
            body.push_str(&note_el((left + right) / 2.0, top + plot_h / 2.0, NO_DATA));
        }
        let height = base + 18.0 + 14.0 * label_rows as f64 + MARGIN;
        (body, height)
    }
}

/// Swatches and names across the top, wrapping to as many rows as needed.
fn legend(ids: &Ids, series: &[String]) -> (String, f64) {
    let mut out = String::new();
    let (mut x, mut y) = (MARGIN, MARGIN);
    let mut rows = 0.0;
    for (i, name) in series.iter().enumerate() {
        let w = 22.0 + text_width(name, 12.0) + 20.0;
        if x > MARGIN && x + w > WIDTH - MARGIN {
            x = MARGIN;
            y += 22.0;
        }
        rows = (y - MARGIN) / 22.0 + 1.0;
        out.push_str(&format!(
            r#"<g class="dd-legend dd-s{k}">{swatch}{label}</g>"#,
            k = i % PATTERNS,
            swatch = bar_rect(ids, i, x, y, 16.0, 14.0),
            label = text_el(x + 22.0, y + 11.5, "start", "", name),
        ));
        x += w;
    }
    (out, rows * 22.0)
}

/// Ids unique to one chart's data, so that several charts inlined in one
/// page neither share patterns by accident nor label each other.
struct Ids {
    base: String,
}

impl Ids {
    fn new(kind: &str, desc: &str) -> Ids {
        // FNV-1a: stable across runs and platforms, unlike std's hasher.
        let hash = desc.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
        });
        Ids {
            base: format!("dd-{kind}-{:08x}", hash as u32),
        }
    }

    fn pattern(&self, series: usize) -> String {
        format!("{}-p{}", self.base, series % PATTERNS)
    }
}

fn bar_rect(ids: &Ids, series: usize, x: f64, y: f64, w: f64, h: f64) -> String {
    format!(
        r##"<rect x="{}" y="{}" width="{}" height="{}" fill="url(#{})" stroke="#111111" stroke-width="1"/>"##,
        n(x),
        n(y),
        n(w),
        n(h.max(0.0)),
        ids.pattern(series)
    )
}

/// The six fills: solid dark, hatched, dotted, light, cross-hatched,
/// horizontal lines. Each drawn in ink on paper, so they print; the
/// stylesheet may colour the ink on screen.
fn patterns(ids: &Ids) -> String {
    let paper = r##"<rect width="8" height="8" fill="#ffffff"/>"##;
    let line = r##"fill="none" stroke="#222222" stroke-width="1.4""##;
    let bodies = [
        r##"<rect class="dd-ink" width="8" height="8" fill="#333333"/>"##.to_string(),
        format!(
            r#"{paper}<path class="dd-ink-line" d="M-2,2 L2,-2 M0,8 L8,0 M6,10 L10,6" {line}/>"#
        ),
        format!(
            r##"{paper}<circle class="dd-ink" cx="2" cy="2" r="1.3" fill="#222222"/><circle class="dd-ink" cx="6" cy="6" r="1.3" fill="#222222"/>"##
        ),
        r##"<rect class="dd-light" width="8" height="8" fill="#d4d4d4"/>"##.to_string(),
        format!(r#"{paper}<path class="dd-ink-line" d="M0,0 L8,8 M8,0 L0,8" {line}/>"#),
        format!(r#"{paper}<path class="dd-ink-line" d="M0,2 H8 M0,6 H8" {line}/>"#),
    ];
    let mut out = String::from("<defs>");
    for (i, body) in bodies.iter().enumerate() {
        out.push_str(&format!(
            r#"<pattern id="{id}" class="dd-k{i}" patternUnits="userSpaceOnUse" width="8" height="8">{body}</pattern>"#,
            id = ids.pattern(i),
        ));
    }
    out.push_str("</defs>");
    out
}

/// Colours for the screen only; print keeps the black-and-white patterns.
const STYLE: &str = "@media screen{\
.dd-k0 .dd-ink{fill:#1f4e79}\
.dd-k1 .dd-ink-line{stroke:#c55a11}\
.dd-k2 .dd-ink{fill:#3a7d22}\
.dd-k3 .dd-light{fill:#bdd7ee}\
.dd-k4 .dd-ink-line{stroke:#7030a0}\
.dd-k5 .dd-ink-line{stroke:#806000}}";

fn shell(ids: &Ids, title: &str, desc: &str, height: f64, body: &str) -> String {
    format!(
        concat!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="100%" "#,
            r#"role="img" aria-labelledby="{id}-title {id}-desc" class="dd-chart" "#,
            r#"font-family="Arial, 'Liberation Sans', 'DejaVu Sans', sans-serif" font-size="12">"#,
            r#"<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>"#,
            "<style>{style}</style>{defs}",
            r##"<rect width="{w}" height="{h}" fill="#ffffff"/>{body}</svg>"##,
        ),
        w = n(WIDTH),
        h = n(height.ceil()),
        id = ids.base,
        title = esc(title),
        desc = esc(desc),
        style = STYLE,
        defs = patterns(ids),
        body = body,
    )
}

fn text_el(x: f64, y: f64, anchor: &str, attrs: &str, text: &str) -> String {
    let attrs = if attrs.is_empty() {
        String::new()
    } else {
        format!(" {attrs}")
    };
    format!(
        r##"<text x="{}" y="{}" text-anchor="{anchor}" fill="#111111"{attrs}>{}</text>"##,
        n(x),
        n(y),
        esc(text)
    )
}

fn note_el(x: f64, y: f64, text: &str) -> String {
    format!(
        r#"<g class="dd-note">{}</g>"#,
        text_el(
            x,
            y,
            "middle",
            "font-style=\"italic\" font-size=\"14\"",
            text
        )
    )
}

fn axis_line(x1: f64, y1: f64, x2: f64, y2: f64) -> String {
    format!(
        r##"<line class="dd-axis" x1="{}" y1="{}" x2="{}" y2="{}" stroke="#111111" stroke-width="1"/>"##,
        n(x1),
        n(y1),
        n(x2),
        n(y2)
    )
}

fn timeline_desc(
    phases: &[(String, Date, Date)],
    per_day: &BTreeMap<Date, Vec<&str>>,
    today: Date,
) -> String {
    let mut d = String::new();
    if phases.is_empty() {
        d.push_str("Chưa có số liệu về các đợt. ");
    } else {
        let list: Vec<String> = phases
            .iter()
            .map(|(name, s, e)| format!("{name} từ {} đến {}", vn_date(*s), vn_date(*e)))
            .collect();
        d.push_str(&format!("{} đợt: {}. ", phases.len(), list.join("; ")));
    }
    let count: usize = per_day.values().map(Vec::len).sum();
    match (per_day.keys().next(), per_day.keys().next_back()) {
        (Some(first), Some(last)) => {
            d.push_str(&format!(
                "{count} hạn nhiệm vụ trong {} ngày, từ {} đến {}",
                per_day.len(),
                vn_date(*first),
                vn_date(*last)
            ));
            match per_day.range(today..).next() {
                Some((day, labels)) => d.push_str(&format!(
                    "; hạn gần nhất từ hôm nay: {} ({} hạn). ",
                    vn_date(*day),
                    labels.len()
                )),
                None => d.push_str("; không còn hạn nào từ hôm nay. "),
            }
        }
        _ => d.push_str("Chưa có hạn nhiệm vụ. "),
    }
    d.push_str(&format!("Hôm nay {}.", vn_date(today)));
    d
}

fn rates_desc(periods: &[String], values: &[(String, Vec<Option<f64>>)], empty: bool) -> String {
    if empty {
        return format!("{NO_DATA} về tỷ lệ gửi báo cáo.");
    }
    let mut d = format!(
        "Tỷ lệ gửi báo cáo theo cấp qua {} kỳ, trục đứng từ 0% đến 100%.",
        periods.len()
    );
    for (level, rates) in values {
        let parts: Vec<String> = periods
            .iter()
            .zip(rates)
            .map(|(p, r)| match r {
                Some(r) => format!("{} {}", p.trim(), vn_ratio_percent(*r)),
                None => format!("{} không có báo cáo phải nộp", p.trim()),
            })
            .collect();
        d.push_str(&format!(" {level}: {}.", parts.join(", ")));
    }
    d
}

fn figures_desc(f: &FigureBars, values: &[Vec<Option<i64>>], empty: bool) -> String {
    if empty {
        return format!("{NO_DATA} theo đợt.");
    }
    let mut d = format!(
        "Số liệu theo {} đợt, {} chỉ tiêu.",
        f.phases.len(),
        f.series.len()
    );
    for (i, phase) in f.phases.iter().enumerate() {
        let parts: Vec<String> = f
            .series
            .iter()
            .zip(values)
            .filter_map(|((label, _), v)| {
                v.get(i)
                    .copied()
                    .flatten()
                    .map(|v| format!("{} {}", label.trim(), vn_number(v)))
            })
            .collect();
        d.push_str(&format!(" {}: {}.", phase.trim(), parts.join(", ")));
    }
    d
}

/// Whole days from `a` to `b` (negative before `a`).
fn day_count(a: Date, b: Date) -> i64 {
    b.duration_since(a).as_secs() / 86_400
}

fn month_starts(start: Date, end: Date) -> Vec<Date> {
    let mut out = Vec::new();
    let mut m = start.first_of_month();
    while m < end && out.len() < 1200 {
        out.push(m);
        match m.last_of_month().tomorrow() {
            Ok(next) => m = next,
            Err(_) => break,
        }
    }
    out
}

/// 1, 2 or 5 times a power of ten, so that about five steps reach `max`.
fn nice_step(max: i64) -> i64 {
    let max = i128::from(max.max(1));
    let mut power: i128 = 1;
    loop {
        for m in [1, 2, 5] {
            if power * m * 5 >= max {
                return i64::try_from(power * m).unwrap_or(i64::MAX);
            }
        }
        power *= 10;
    }
}

fn round_up(v: i64, step: i64) -> i64 {
    let steps = (i128::from(v) + i128::from(step) - 1) / i128::from(step);
    i64::try_from(steps * i128::from(step)).unwrap_or(i64::MAX)
}

/// A coordinate with at most one decimal, for compact, stable output.
fn n(v: f64) -> String {
    let r = (v * 10.0).round() / 10.0;
    if r == 0.0 {
        return "0".into();
    }
    let s = format!("{r:.1}");
    s.strip_suffix(".0").map(str::to_string).unwrap_or(s)
}

/// Roughly how wide a text is: enough to keep labels inside the chart.
fn text_width(s: &str, size: f64) -> f64 {
    s.chars().count() as f64 * size * 0.56
}

/// At most two lines, broken at the space nearest the middle.
fn wrap_label(s: &str, max: usize) -> Vec<String> {
    let len = s.chars().count();
    if len <= max {
        return vec![s.to_string()];
    }
    let mid = len / 2;
    let best = s
        .char_indices()
        .filter(|(_, c)| *c == ' ')
        .map(|(i, _)| i)
        .min_by_key(|&i| s[..i].chars().count().abs_diff(mid));
    match best {
        Some(i) => vec![s[..i].to_string(), s[i + 1..].to_string()],
        None => vec![s.to_string()],
    }
}

/// Text for XML content and attributes, NFC, without the characters XML
/// 1.0 cannot hold.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in nfc(s).chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(' '),
            c if c.is_control() || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}
