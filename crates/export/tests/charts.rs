//! The charts parsed as XML (quick-xml, strict about names and entities)
//! and searched for what a reader, sighted or not, needs to find.

use dondoc_core::documents::charts::{FigureBars, RateSeries, Timeline};
use dondoc_export::charts::{figures_svg, rates_svg, timeline_svg};
use jiff::civil::date;
use quick_xml::events::Event;
use quick_xml::{Reader, XmlVersion};

/// Just enough of a DOM to look things up.
#[derive(Debug, Default)]
struct Node {
    name: String,
    attrs: Vec<(String, String)>,
    children: Vec<Node>,
    text: String,
}

impl Node {
    fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    fn walk<'a>(&'a self, out: &mut Vec<&'a Node>) {
        out.push(self);
        for c in &self.children {
            c.walk(out);
        }
    }

    fn all(&self) -> Vec<&Node> {
        let mut out = Vec::new();
        self.walk(&mut out);
        out
    }

    fn named(&self, name: &str) -> Vec<&Node> {
        self.all().into_iter().filter(|n| n.name == name).collect()
    }

    /// The texts of all `<text>` elements.
    fn texts(&self) -> Vec<String> {
        self.named("text").iter().map(|n| n.text.clone()).collect()
    }

    fn has_class(&self, class: &str) -> bool {
        self.attr("class")
            .is_some_and(|c| c.split_whitespace().any(|c| c == class))
    }
}

fn parse(svg: &str) -> Node {
    let mut reader = Reader::from_str(svg);
    let mut stack = vec![Node::default()];
    let element = |e: &quick_xml::events::BytesStart| Node {
        name: String::from_utf8_lossy(e.name().as_ref().as_ref()).into_owned(),
        attrs: e
            .attributes()
            .map(|a| {
                let a = a.expect("well-formed attribute");
                (
                    String::from_utf8_lossy(a.key.as_ref().as_ref()).into_owned(),
                    a.normalized_value(XmlVersion::Implicit1_0)
                        .expect("attribute value")
                        .into_owned(),
                )
            })
            .collect(),
        ..Node::default()
    };
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Start(e) => stack.push(element(&e)),
            Event::Empty(e) => stack.last_mut().unwrap().children.push(element(&e)),
            Event::End(_) => {
                let done = stack.pop().unwrap();
                stack.last_mut().expect("balanced").children.push(done);
            }
            Event::Text(t) => stack.last_mut().unwrap().text.push_str(&t.xml10_content()),
            Event::GeneralRef(r) => {
                let c = match r.resolve_char_ref().expect("character reference") {
                    Some(c) => c,
                    None => match r.xml10_content().as_ref() {
                        "amp" => '&',
                        "lt" => '<',
                        "gt" => '>',
                        "quot" => '"',
                        "apos" => '\'',
                        other => panic!("undeclared entity &{other};"),
                    },
                };
                stack.last_mut().unwrap().text.push(c);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!(stack.len(), 1, "unclosed elements");
    let mut doc = stack.pop().unwrap();
    assert_eq!(doc.children.len(), 1, "one root element");
    doc.children.pop().unwrap()
}

/// What every chart must be: a scalable, labelled image whose fills are
/// patterns it defines itself.
fn check_shell(root: &Node) {
    assert_eq!(root.name, "svg");
    assert_eq!(root.attr("xmlns"), Some("http://www.w3.org/2000/svg"));
    assert_eq!(root.attr("width"), Some("100%"));
    assert_eq!(root.attr("role"), Some("img"));
    let view: Vec<f64> = root
        .attr("viewBox")
        .expect("viewBox")
        .split(' ')
        .map(|v| v.parse().unwrap())
        .collect();
    assert_eq!(view.len(), 4);
    assert!(view[2] > 0.0 && view[3] > 0.0);

    // <title> and <desc> first, and what aria-labelledby names.
    assert_eq!(root.children[0].name, "title");
    assert_eq!(root.children[1].name, "desc");
    assert!(!root.children[0].text.trim().is_empty());
    assert!(root.children[1].text.len() > 20);
    let labelled: Vec<&str> = root.attr("aria-labelledby").unwrap().split(' ').collect();
    assert_eq!(
        labelled,
        [
            root.children[0].attr("id").unwrap(),
            root.children[1].attr("id").unwrap()
        ]
    );

    let patterns: Vec<&str> = root
        .named("pattern")
        .iter()
        .map(|p| p.attr("id").unwrap())
        .collect();
    assert!(patterns.len() >= 4, "solid, hatched, dotted, light");
    for node in root.all() {
        if let Some(fill) = node.attr("fill").and_then(|f| f.strip_prefix("url(#")) {
            let id = fill.strip_suffix(')').unwrap();
            assert!(patterns.contains(&id), "fill refers to undefined #{id}");
        }
        for (k, v) in &node.attrs {
            assert!(
                !v.contains("NaN") && !v.contains("inf"),
                "{k}={v} on <{}>",
                node.name
            );
        }
    }
}

fn timeline() -> Timeline {
    Timeline {
        phases: vec![
            ("Đợt I".into(), date(2024, 11, 19), date(2024, 12, 31)),
            ("Đợt II".into(), date(2025, 1, 1), date(2025, 3, 31)),
            ("Đợt III".into(), date(2025, 4, 1), date(2025, 12, 31)),
        ],
        deadlines: vec![
            ("1.1".into(), date(2025, 2, 5)),
            ("1.2".into(), date(2025, 2, 5)),
            ("2.3".into(), date(2025, 2, 5)),
            ("3".into(), date(2025, 6, 30)),
        ],
        today: date(2025, 2, 10),
    }
}

#[test]
fn timeline_phases_months_deadlines_today() {
    let svg = timeline_svg(&timeline());
    let root = parse(&svg);
    check_shell(&root);
    let texts = root.texts();
    for label in [
        "Đợt I (19/11/2024 – 31/12/2024)",
        "Đợt II (01/01/2025 – 31/03/2025)",
        "Đợt III (01/04/2025 – 31/12/2025)",
        "Hôm nay 10/02/2025",
        "11/2024",
        "01/2025",
        "12/2025",
        // Three deadlines on 05/02/2025.
        "3",
    ] {
        assert!(
            texts.iter().any(|t| t == label),
            "no {label:?} in {texts:?}"
        );
    }
    // One marker per day, not per deadline.
    let deadlines: Vec<&Node> = root
        .named("g")
        .into_iter()
        .filter(|g| g.has_class("dd-deadline"))
        .collect();
    assert_eq!(deadlines.len(), 2);
    assert!(
        deadlines[0].children[0]
            .text
            .starts_with("05/02/2025: 3 hạn – 1.1; 1.2; 2.3")
    );

    // The today line: dashed, vertical, labelled.
    let today = root
        .named("g")
        .into_iter()
        .find(|g| g.has_class("dd-today"))
        .expect("today");
    let line = &today.named("line")[0];
    assert!(line.attr("stroke-dasharray").is_some());
    assert_eq!(line.attr("x1"), line.attr("x2"));

    // Each phase's bar is patterned, and the phases differ.
    let fills: Vec<&str> = root
        .named("g")
        .into_iter()
        .filter(|g| g.has_class("dd-phase"))
        .map(|g| g.named("rect")[0].attr("fill").unwrap())
        .collect();
    assert_eq!(fills.len(), 3);
    assert!(fills[0] != fills[1] && fills[1] != fills[2]);

    let desc = &root.children[1].text;
    assert!(
        desc.contains("Đợt I từ 19/11/2024 đến 31/12/2024"),
        "{desc}"
    );
    assert!(desc.contains("4 hạn nhiệm vụ"), "{desc}");
    assert!(desc.contains("Hôm nay 10/02/2025"), "{desc}");
}

#[test]
fn timeline_thins_month_labels_over_long_spans() {
    let t = Timeline {
        phases: vec![("Cả nhiệm kỳ".into(), date(2020, 10, 1), date(2025, 9, 30))],
        deadlines: vec![],
        today: date(2023, 5, 17),
    };
    let root = parse(&timeline_svg(&t));
    check_shell(&root);
    let months: Vec<String> = root
        .texts()
        .into_iter()
        .filter(|t| t.len() == 7 && t.as_bytes()[2] == b'/')
        .collect();
    assert!(months.len() >= 6 && months.len() < 60, "{months:?}");
    assert_eq!(months[0], "10/2020");
    // The grid still has every month.
    let grid = root
        .named("line")
        .into_iter()
        .filter(|l| l.has_class("dd-grid"))
        .count();
    assert_eq!(grid, 60);
}

#[test]
fn text_is_escaped_and_nfc() {
    let t = Timeline {
        phases: vec![(
            "Đợt <II> & \"đặc biệt\" 'A'".into(),
            date(2025, 1, 1),
            date(2025, 1, 31),
        )],
        // Decomposed: the chart carries NFC.
        deadlines: vec![("Ba\u{0301}o ca\u{0301}o".into(), date(2025, 1, 20))],
        today: date(2025, 1, 10),
    };
    let svg = timeline_svg(&t);
    let root = parse(&svg);
    check_shell(&root);
    assert!(
        root.texts()
            .contains(&"Đợt <II> & \"đặc biệt\" 'A' (01/01/2025 – 31/01/2025)".to_string())
    );
    assert!(svg.contains("20/01/2025: 1 hạn – Báo cáo"));
    assert!(!svg.contains('\u{0301}'));
}

#[test]
fn rates_bars_on_a_percent_axis() {
    let r = RateSeries {
        periods: vec![
            "Tháng 01/2025".into(),
            "Tháng 02/2025".into(),
            "Quý I".into(),
        ],
        series: vec![
            ("Tỉnh".into(), vec![Some(0.8333), Some(1.0), Some(0.5)]),
            ("Huyện".into(), vec![Some(0.0), None, Some(0.25)]),
            ("Cơ sở".into(), vec![Some(0.4), Some(0.6), Some(0.75)]),
        ],
    };
    let root = parse(&rates_svg(&r));
    check_shell(&root);
    let texts = root.texts();
    for label in [
        "83%",
        "100%",
        "50%",
        "0%",
        "25%",
        "75%",
        "40%",
        "60%",
        "–",
        "Tỉnh",
        "Huyện",
        "Cơ sở",
        "Tháng 01/2025",
        "Quý I",
    ] {
        assert!(
            texts.iter().any(|t| t == label),
            "no {label:?} in {texts:?}"
        );
    }
    // The y axis: 0%, 25% … 100%.
    for tick in ["0%", "25%", "50%", "75%", "100%"] {
        assert!(texts.iter().filter(|t| *t == tick).count() >= 1);
    }

    // Heights in proportion: Tỉnh 100% is twice Tỉnh 50%; Huyện 0% is flat.
    let bars: Vec<(&str, f64)> = root
        .named("g")
        .into_iter()
        .filter(|g| g.has_class("dd-bar"))
        .map(|g| {
            let rect = g.named("rect")[0];
            (
                g.children[0].text.as_str(),
                rect.attr("height").unwrap().parse().unwrap(),
            )
        })
        .collect();
    let h = |title: &str| {
        bars.iter()
            .find(|(t, _)| *t == title)
            .unwrap_or_else(|| panic!("no bar {title}: {bars:?}"))
            .1
    };
    assert!((h("Tỉnh – Tháng 02/2025: 100%") - 2.0 * h("Tỉnh – Quý I: 50%")).abs() < 0.2);
    assert_eq!(h("Huyện – Tháng 01/2025: 0%"), 0.0);
    assert_eq!(bars.len(), 8, "no bar where nothing was expected");

    // Three series, three different patterns, in the legend too.
    let legend: Vec<&str> = root
        .named("g")
        .into_iter()
        .filter(|g| g.has_class("dd-legend"))
        .map(|g| g.named("rect")[0].attr("fill").unwrap())
        .collect();
    assert_eq!(legend.len(), 3);
    assert!(legend[0] != legend[1] && legend[1] != legend[2] && legend[0] != legend[2]);

    let desc = &root.children[1].text;
    assert!(desc.contains("Tỉnh: Tháng 01/2025 83,3%"), "{desc}");
    assert!(
        desc.contains("Tháng 02/2025 không có báo cáo phải nộp"),
        "{desc}"
    );
}

#[test]
fn figures_bars_with_vietnamese_thousands() {
    let f = FigureBars {
        phases: vec!["Đợt I".into(), "Đợt II".into()],
        series: vec![
            ("Tin, bài".into(), vec![1234, 56]),
            ("Hội nghị".into(), vec![3, 0]),
            ("Lượt người".into(), vec![12_500, 1_000_250]),
            ("Pa nô".into(), vec![7, 9]),
        ],
    };
    let root = parse(&figures_svg(&f));
    check_shell(&root);
    let texts = root.texts();
    for label in [
        "1.234",
        "56",
        "3",
        "0",
        "12.500",
        "1.000.250",
        "Tin, bài",
        "Lượt người",
        "Đợt I",
        "Đợt II",
    ] {
        assert!(
            texts.iter().any(|t| t == label),
            "no {label:?} in {texts:?}"
        );
    }
    // A nice axis above the largest value, with separators.
    assert!(texts.iter().any(|t| t == "1.500.000"), "{texts:?}");
    let desc = &root.children[1].text;
    assert!(
        desc.contains("Đợt II: Tin, bài 56, Hội nghị 0, Lượt người 1.000.250, Pa nô 9."),
        "{desc}"
    );
    let fills: std::collections::BTreeSet<&str> = root
        .named("g")
        .into_iter()
        .filter(|g| g.has_class("dd-legend"))
        .map(|g| g.named("rect")[0].attr("fill").unwrap())
        .collect();
    assert_eq!(fills.len(), 4, "solid, hatched, dotted, light");
}

#[test]
fn empty_inputs_draw_an_axis_and_a_note() {
    let cases = [
        (
            "timeline",
            timeline_svg(&Timeline {
                today: date(2025, 2, 10),
                ..Timeline::default()
            }),
        ),
        ("rates, no periods", rates_svg(&RateSeries::default())),
        (
            "rates, nothing expected",
            rates_svg(&RateSeries {
                periods: vec!["Quý I".into()],
                series: vec![("Tỉnh".into(), vec![None])],
            }),
        ),
        (
            "rates, a NaN",
            rates_svg(&RateSeries {
                periods: vec!["Quý I".into()],
                series: vec![("Tỉnh".into(), vec![Some(f64::NAN)])],
            }),
        ),
        ("figures, no phases", figures_svg(&FigureBars::default())),
        (
            "figures, all zero",
            figures_svg(&FigureBars {
                phases: vec!["Đợt I".into()],
                series: vec![("Tin, bài".into(), vec![0])],
            }),
        ),
    ];
    for (what, svg) in &cases {
        let root = parse(svg);
        check_shell(&root);
        assert!(
            root.texts()
                .iter()
                .any(|t| t.starts_with("Chưa có số liệu")),
            "{what}: no note"
        );
        assert!(
            root.named("line").iter().any(|l| l.has_class("dd-axis")),
            "{what}: no axis"
        );
        assert!(
            root.children[1].text.contains("Chưa có số liệu"),
            "{what}: the description says so too"
        );
    }
    let root = parse(&cases[0].1);
    assert!(root.texts().contains(&"Hôm nay 10/02/2025".to_string()));
    let root = parse(&cases[1].1);
    assert!(root.texts().contains(&"100%".to_string()));
}

#[test]
fn deterministic_and_distinct_ids() {
    assert_eq!(timeline_svg(&timeline()), timeline_svg(&timeline()));
    let mut other = timeline();
    other.today = date(2025, 3, 1);
    let id = |svg: &str| parse(svg).children[0].attr("id").unwrap().to_string();
    assert_ne!(id(&timeline_svg(&timeline())), id(&timeline_svg(&other)));
}
