//! The calendar feed read back by the `ical` parser, which unfolds lines
//! on its own; TEXT values are unescaped here by RFC 5545's rules.

use dondoc_core::documents::feed::{Feed, FeedItem};
use dondoc_export::ics::{file_name, to_ics};
use ical::IcalParser;
use ical::parser::ical::component::{IcalCalendar, IcalEvent};
use ical::property::Property;
use jiff::Timestamp;
use jiff::civil::date;

fn now() -> Timestamp {
    "2025-02-10T08:30:15+07:00".parse().unwrap()
}

const LONG: &str = "Chủ trì, phối hợp với Văn phòng Tỉnh uỷ, Ban Dân vận Tỉnh uỷ và các cơ quan \
liên quan tổ chức hội nghị báo cáo viên; biên soạn đề cương tuyên truyền kỷ niệm 95 năm \
Ngày thành lập Đảng Cộng sản Việt Nam (03/02/1930 – 03/02/2025).\nGửi báo cáo kết quả về \
Ban Tuyên giáo Tỉnh uỷ (qua Phòng Tuyên truyền) trước ngày 05/02/2025. Đường dẫn: \
C:\\tai-lieu\\huong-dan.docx — ghi chú: ưu tiên, gấp!  Hai dấu cách ở trên; tiếng Việt có dấu: \
Thượng Hiền, Nguyễn Trãi, Đồng Khởi, Bảo Lạc, Hoà An, Trùng Khánh, Quảng Hoà, Thạch An.";

fn feed() -> Feed {
    Feed {
        name: "dondoc — Ban Tuyên giáo Tỉnh uỷ; lịch, hạn".into(),
        items: vec![
            FeedItem {
                uid: "assignment-123@dondoc".into(),
                summary: "Hạn: Báo cáo sơ kết Đợt I, Huyện uỷ Hoà An".into(),
                description: LONG.into(),
                start: date(2025, 2, 5),
                end: date(2025, 2, 5),
                sequence: 0,
            },
            FeedItem {
                uid: "event-dh-xx@dondoc".into(),
                // Decomposed on purpose: the feed carries NFC.
                summary: "Đa\u{0323}i ho\u{0302}\u{0323}i Đảng bộ tỉnh lần thứ XX".into(),
                description: "Ba ngày\r\nTại Hội trường Tỉnh uỷ".into(),
                start: date(2025, 9, 29),
                end: date(2025, 10, 1),
                sequence: 2,
            },
        ],
    }
}

fn parse(text: &str) -> IcalCalendar {
    let mut parser = IcalParser::new(text.as_bytes());
    let cal = parser
        .next()
        .expect("one calendar")
        .expect("the calendar parses");
    assert!(parser.next().is_none(), "a single calendar");
    cal
}

fn prop<'a>(props: &'a [Property], name: &str) -> &'a Property {
    let mut found = props.iter().filter(|p| p.name == name);
    let p = found.next().unwrap_or_else(|| panic!("no {name}"));
    assert!(found.next().is_none(), "{name} twice");
    p
}

fn value(props: &[Property], name: &str) -> String {
    prop(props, name).value.clone().unwrap_or_default()
}

/// RFC 5545 §3.3.11, the other way.
fn unescape(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n' | 'N') => out.push('\n'),
                Some(c @ ('\\' | ';' | ',')) => out.push(c),
                other => panic!("bad escape \\{other:?} in {s:?}"),
            }
        } else {
            out.push(c);
        }
    }
    out
}

fn text(props: &[Property], name: &str) -> String {
    unescape(&value(props, name))
}

fn event<'a>(cal: &'a IcalCalendar, uid: &str) -> &'a IcalEvent {
    cal.events
        .iter()
        .find(|e| value(&e.properties, "UID") == uid)
        .unwrap_or_else(|| panic!("no event {uid}"))
}

fn is_date_value(p: &Property) -> bool {
    p.params
        .as_ref()
        .is_some_and(|ps| ps.iter().any(|(k, v)| k == "VALUE" && v == &["DATE"]))
}

#[test]
fn calendar_header() {
    let ics = to_ics(&feed(), now());
    let cal = parse(&ics);
    let p = &cal.properties;
    assert_eq!(value(p, "PRODID"), "-//dondoc//vi");
    assert_eq!(value(p, "VERSION"), "2.0");
    assert_eq!(value(p, "CALSCALE"), "GREGORIAN");
    assert_eq!(value(p, "METHOD"), "PUBLISH");
    assert_eq!(
        text(p, "X-WR-CALNAME"),
        "dondoc — Ban Tuyên giáo Tỉnh uỷ; lịch, hạn"
    );
    assert_eq!(value(p, "X-WR-TIMEZONE"), "Asia/Ho_Chi_Minh");
    assert!(ics.starts_with("BEGIN:VCALENDAR\r\n"));
    assert!(ics.ends_with("END:VCALENDAR\r\n"));
}

#[test]
fn events_are_all_day_with_exclusive_end() {
    let cal = parse(&to_ics(&feed(), now()));
    assert_eq!(cal.events.len(), 2);
    let uids: Vec<String> = cal
        .events
        .iter()
        .map(|e| value(&e.properties, "UID"))
        .collect();
    assert_eq!(uids, ["assignment-123@dondoc", "event-dh-xx@dondoc"]);

    let deadline = &event(&cal, "assignment-123@dondoc").properties;
    assert!(is_date_value(prop(deadline, "DTSTART")));
    assert!(is_date_value(prop(deadline, "DTEND")));
    assert_eq!(value(deadline, "DTSTART"), "20250205");
    assert_eq!(value(deadline, "DTEND"), "20250206");
    assert_eq!(value(deadline, "SEQUENCE"), "0");
    // The caller's clock, in UTC.
    assert_eq!(value(deadline, "DTSTAMP"), "20250210T013015Z");

    let congress = &event(&cal, "event-dh-xx@dondoc").properties;
    assert_eq!(value(congress, "DTSTART"), "20250929");
    assert_eq!(value(congress, "DTEND"), "20251002");
    assert_eq!(value(congress, "SEQUENCE"), "2");
}

#[test]
fn vietnamese_text_round_trips() {
    let cal = parse(&to_ics(&feed(), now()));
    let deadline = &event(&cal, "assignment-123@dondoc").properties;
    assert_eq!(
        text(deadline, "SUMMARY"),
        "Hạn: Báo cáo sơ kết Đợt I, Huyện uỷ Hoà An"
    );
    let congress = &event(&cal, "event-dh-xx@dondoc").properties;
    assert_eq!(
        text(congress, "SUMMARY"),
        "Đại hội Đảng bộ tỉnh lần thứ XX",
        "stored NFC"
    );
    assert_eq!(
        text(congress, "DESCRIPTION"),
        "Ba ngày\nTại Hội trường Tỉnh uỷ"
    );
}

#[test]
fn long_description_is_folded_and_unfolds_exactly() {
    let ics = to_ics(&feed(), now());
    for line in ics.split_terminator("\r\n") {
        assert!(line.len() <= 75, "{} octets: {line:?}", line.len());
        assert!(!line.contains('\n') && !line.contains('\r'));
        assert!(
            !line.ends_with(' '),
            "a reader trimming lines would lose a space: {line:?}"
        );
    }
    assert!(ics.ends_with("\r\n"));
    assert_eq!(
        ics.matches('\n').count(),
        ics.matches("\r\n").count(),
        "CRLF only"
    );
    let folds = ics.matches("\r\n ").count();
    assert!(folds >= 8, "the long description is folded ({folds})");
    let cal = parse(&ics);
    let deadline = &event(&cal, "assignment-123@dondoc").properties;
    assert_eq!(text(deadline, "DESCRIPTION"), LONG);
    // Unfolding by the RFC alone (drop CRLF + one space) gives it back too.
    let unfolded = ics.replace("\r\n ", "");
    assert!(unfolded.contains(&format!(
        "DESCRIPTION:{}\r\n",
        LONG.replace('\\', "\\\\")
            .replace(';', "\\;")
            .replace(',', "\\,")
            .replace('\n', "\\n")
    )));
}

#[test]
fn folding_never_splits_a_character() {
    // Every offset of a run of three-byte letters against the 75-octet limit.
    for pad in 0..4 {
        let item = FeedItem {
            uid: "x@dondoc".into(),
            summary: format!("{}{}", "a".repeat(pad), "ệ".repeat(120)),
            start: date(2025, 1, 1),
            end: date(2025, 1, 1),
            ..FeedItem::default()
        };
        let ics = to_ics(
            &Feed {
                name: "n".into(),
                items: vec![item.clone()],
            },
            now(),
        );
        let cal = parse(&ics);
        assert_eq!(text(&cal.events[0].properties, "SUMMARY"), item.summary);
        for line in ics.split_terminator("\r\n") {
            assert!(line.len() <= 75);
        }
    }
}

#[test]
fn moving_dates_moves_dtstart_and_bumps_sequence() {
    let before = feed();
    let mut after = feed();
    // The store moves the deadline and bumps the item's sequence.
    after.items[0].start = date(2025, 2, 12);
    after.items[0].end = date(2025, 2, 12);
    after.items[0].sequence += 1;

    let (a, b) = (
        parse(&to_ics(&before, now())),
        parse(&to_ics(&after, now())),
    );
    let (a, b) = (
        &event(&a, "assignment-123@dondoc").properties,
        &event(&b, "assignment-123@dondoc").properties,
    );
    assert_eq!(value(a, "UID"), value(b, "UID"), "updates in place");
    assert_eq!(value(a, "DTSTART"), "20250205");
    assert_eq!(value(b, "DTSTART"), "20250212");
    assert_eq!(value(b, "DTEND"), "20250213");
    let seq = |p: &[Property]| value(p, "SEQUENCE").parse::<u32>().unwrap();
    assert!(seq(b) > seq(a));
}

#[test]
fn same_input_same_bytes() {
    assert_eq!(to_ics(&feed(), now()), to_ics(&feed(), now()));
}

#[test]
fn inverted_range_and_empty_feed() {
    let item = FeedItem {
        uid: "y@dondoc".into(),
        summary: "Ngược".into(),
        start: date(2025, 3, 10),
        end: date(2025, 3, 1),
        ..FeedItem::default()
    };
    let cal = parse(&to_ics(
        &Feed {
            name: String::new(),
            items: vec![item],
        },
        now(),
    ));
    let p = &cal.events[0].properties;
    assert_eq!(value(p, "DTSTART"), "20250310");
    assert_eq!(value(p, "DTEND"), "20250311");

    let ics = to_ics(&Feed::default(), now());
    assert!(!ics.contains("BEGIN:VEVENT"));
    assert!(parse(&ics).events.is_empty());
}

#[test]
fn file_name_is_ascii() {
    assert_eq!(
        file_name("Ban Tuyên giáo Tỉnh uỷ"),
        "lich-ban-tuyen-giao-tinh-uy.ics"
    );
    assert_eq!(
        file_name("Đảng uỷ Khối cơ quan – doanh nghiệp tỉnh"),
        "lich-dang-uy-khoi-co-quan-doanh-nghiep-tinh.ics"
    );
    assert_eq!(file_name("  "), "lich.ics");
    assert!(file_name("Huyện uỷ Hà Quảng / Thông Nông").is_ascii());
}
