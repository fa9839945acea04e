//! Every shape of `spec/deadline-rule.md`, the time phrases of the reference
//! plan, and phrases in the styles of other issuers, parsed to their rules.

use dondoc_core::deadline::{Reason, Rule, parse};
use serde_json::{Value, json};

fn rule(phrase: &str) -> Value {
    match parse(phrase) {
        Ok(r) => serde_json::to_value(&r).unwrap(),
        Err(e) => panic!("{phrase:?} did not parse: {e}"),
    }
}

fn check(cases: &[(&str, Value)]) {
    let mut failures = Vec::new();
    for (phrase, want) in cases {
        match parse(phrase) {
            Ok(r) => {
                let got = serde_json::to_value(&r).unwrap();
                if &got != want {
                    failures.push(format!("{phrase:?}\n   got  {got}\n   want {want}"));
                }
                // The JSON form reads back to the same rule.
                let back: Rule = serde_json::from_value(got).unwrap();
                assert_eq!(back, r);
            }
            Err(e) => failures.push(format!("{phrase:?}\n   error {e}")),
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} phrases wrong:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

fn date(d: &str, bound: &str) -> Value {
    json!({"kind":"date","date":d,"bound":bound})
}
fn period(p: &str, bound: &str) -> Value {
    json!({"kind":"period","period":p,"bound":bound})
}
fn event(name: &str, anchor: &str, offset: i32, bound: &str) -> Value {
    json!({"kind":"event","event":name,"anchor":anchor,"offset_days":offset,"bound":bound})
}

#[test]
fn spec_first_table() {
    check(&[
        ("ngày 20/11/2024", date("2024-11-20", "on")),
        ("trước ngày 05/02/2025", date("2025-02-05", "before")),
        ("chậm nhất ngày 15/12/2024", date("2024-12-15", "by")),
        (
            "xong trước hoặc trong ngày 15/12/2024",
            date("2024-12-15", "by"),
        ),
        ("trong tháng 11/2024", period("2024-11", "within")),
        (
            "hoàn thành trong tháng 11/2024",
            period("2024-11", "within"),
        ),
        ("tháng 9/2025", period("2025-09", "within")),
        ("trong quý IV/2024", period("2024-Q4", "within")),
        ("6 tháng đầu năm 2025", period("2025-H1", "within")),
        ("hết năm 2024", period("2024", "within")),
        ("trong năm 2025", period("2025", "within")),
        ("từ tháng 12/2024", period("2024-12", "from")),
        ("thực hiện từ tháng 12/2024", period("2024-12", "from")),
        ("thường xuyên", json!({"kind":"continuous"})),
        ("thực hiện thường xuyên", json!({"kind":"continuous"})),
        ("hằng tháng", json!({"kind":"recurring","every":"month"})),
        (
            "định kỳ hằng quý",
            json!({"kind":"recurring","every":"quarter"}),
        ),
        (
            "chậm nhất 01 tuần trước ngày khai mạc Đại hội XX Đảng bộ tỉnh",
            event("Đại hội XX Đảng bộ tỉnh", "start", -7, "by"),
        ),
        (
            "20 ngày trước khi khai mạc Đại hội XX Đảng bộ tỉnh",
            event("Đại hội XX Đảng bộ tỉnh", "start", -20, "by"),
        ),
        (
            "sau khi kết thúc Đại hội XIV của Đảng 15 ngày",
            event("Đại hội XIV của Đảng", "end", 15, "by"),
        ),
        (
            "ngay sau khi kết thúc Đại hội XX Đảng bộ tỉnh",
            event("Đại hội XX Đảng bộ tỉnh", "end", 0, "after"),
        ),
        (
            "ngay sau phiên bế mạc Đại hội XX Đảng bộ tỉnh",
            event("Đại hội XX Đảng bộ tỉnh", "end", 0, "after"),
        ),
        (
            "trong thời gian diễn ra Đại hội XX Đảng bộ tỉnh",
            event("Đại hội XX Đảng bộ tỉnh", "during", 0, "within"),
        ),
        (
            "Từ ngày 01/01/2025 đến ngày 31/8/2025",
            json!({"kind":"range","start":date("2025-01-01","from"),"end":date("2025-08-31","by")}),
        ),
        (
            "Từ nay đến hết năm 2024",
            json!({"kind":"range","start":{"kind":"issued","bound":"from"},"end":period("2024","within")}),
        ),
        (
            "Từ ngày 01/11/2025 đến Đại hội XIV",
            json!({"kind":"range","start":date("2025-11-01","from"),"end":event("Đại hội XIV","during",0,"within")}),
        ),
    ]);
}

#[test]
fn spec_second_table() {
    check(&[
        ("31-1-2025", date("2025-01-31", "on")),
        ("28.1.2016", date("2016-01-28", "on")),
        ("tháng 10.2020", period("2020-10", "within")),
        ("tháng 3-2020", period("2020-03", "within")),
        ("tháng 10 năm 2020", period("2020-10", "within")),
        ("trước ngày 10/2 tới", date("--02-10", "before")),
        ("trước ngày 15.8", date("--08-15", "before")),
        (
            "đầu tháng 8/2025",
            json!({"kind":"period","period":"2025-08","part":"early","bound":"within"}),
        ),
        (
            "giữa năm 2025",
            json!({"kind":"period","period":"2025","part":"mid","bound":"within"}),
        ),
        (
            "cuối tháng 3-2020",
            json!({"kind":"period","period":"2020-03","part":"late","bound":"within"}),
        ),
        (
            "những tháng cuối năm 2025",
            json!({"kind":"period","period":"2025","part":"late","bound":"within"}),
        ),
        (
            "đầu tháng 8",
            json!({"kind":"period","period":"--08","part":"early","bound":"within"}),
        ),
        (
            "trước ngày 20/11 hằng năm",
            json!({"kind":"recurring","every":"year","month":11,"day":20,"bound":"before"}),
        ),
        (
            "trước ngày 15 hằng tháng",
            json!({"kind":"recurring","every":"month","day":15,"bound":"before"}),
        ),
        (
            "chậm nhất ngày 05 của tháng cuối mỗi quý",
            json!({"kind":"recurring","every":"quarter","month_of_period":"last","day":5,"bound":"by"}),
        ),
        (
            "định kỳ 6 tháng",
            json!({"kind":"recurring","every":"half-year"}),
        ),
        ("hằng tuần", json!({"kind":"recurring","every":"week"})),
        (
            "trong tháng 11, tháng 12 năm 2025",
            json!({"kind":"list","items":[period("2025-11","within"),period("2025-12","within")]}),
        ),
        (
            "quý I và quý III năm 2025",
            json!({"kind":"list","items":[period("2025-Q1","within"),period("2025-Q3","within")]}),
        ),
        (
            "ít nhất 30 ngày trước khai mạc",
            json!({"kind":"event","event":null,"anchor":"start","offset_days":-30,"bound":"by"}),
        ),
        (
            "02 ngày sau khi nhận được tờ trình",
            event("nhận được tờ trình", "end", 2, "by"),
        ),
        (
            "chậm nhất 01 tuần sau khi cấp uỷ công bố dự thảo",
            event("cấp uỷ công bố dự thảo", "end", 7, "by"),
        ),
        (
            "ngay sau khi kết thúc đại hội đảng bộ cấp mình",
            json!({"kind":"event","event":"đại hội đảng bộ cấp mình","scope":"assignee","anchor":"end","offset_days":0,"bound":"after"}),
        ),
        (
            "sau khi kết thúc hội nghị 01 tuần",
            json!({"kind":"event","event":"hội nghị","scope":"each","anchor":"end","offset_days":7,"bound":"by"}),
        ),
        (
            "trong vòng 15 ngày kể từ ngày ban hành Kế hoạch",
            json!({"kind":"issued","offset_days":15,"bound":"by"}),
        ),
        (
            "trong 05 ngày làm việc kể từ ngày nhận được đề nghị",
            json!({"kind":"event","event":"nhận được đề nghị","anchor":"end","offset_working_days":5,"bound":"by"}),
        ),
        (
            "trước Tết Nguyên đán Ất Tỵ 2025",
            event("Tết Nguyên đán Ất Tỵ 2025", "start", 0, "before"),
        ),
        ("đột xuất", json!({"kind":"ad_hoc"})),
        ("khi có yêu cầu", json!({"kind":"ad_hoc"})),
        (
            "dự kiến trước ngày 25/3/2025",
            json!({"kind":"date","date":"2025-03-25","bound":"before","tentative":true}),
        ),
    ]);
    let list = rule(
        "chậm nhất 01 tuần trước ngày khai mạc đại hội đảng bộ cấp cơ sở, đại hội đảng bộ cấp mình và Đại hội XX Đảng bộ tỉnh",
    );
    assert_eq!(
        list,
        json!({"kind":"list","items":[
            {"kind":"event","event":"đại hội đảng bộ cấp cơ sở","scope":"each","anchor":"start","offset_days":-7,"bound":"by"},
            {"kind":"event","event":"đại hội đảng bộ cấp mình","scope":"assignee","anchor":"start","offset_days":-7,"bound":"by"},
            event("Đại hội XX Đảng bộ tỉnh","start",-7,"by"),
        ]})
    );
}

/// The time phrases of Kế hoạch 390-KH/TU, as the document writes them.
#[test]
fn reference_plan_phrases() {
    let each_week_before = |n: &str, scope: Option<&str>| {
        let mut v = event(n, "start", -7, "by");
        if let Some(s) = scope {
            v["scope"] = json!(s);
        }
        v
    };
    check(&[
        (
            "Từ nay đến hết năm 2024.",
            json!({"kind":"range","start":{"kind":"issued","bound":"from"},"end":period("2024","within")}),
        ),
        (
            "Từ ngày 01/9/2025 đến ngày 31/10/2025.",
            json!({"kind":"range","start":date("2025-09-01","from"),"end":date("2025-10-31","by")}),
        ),
        (
            "Từ ngày 01/11/2025 đến Đại hội Đảng toàn quốc lần thứ XIV.",
            json!({"kind":"range","start":date("2025-11-01","from"),
                   "end":event("Đại hội Đảng toàn quốc lần thứ XIV","during",0,"within")}),
        ),
        (
            "Sau khi bế mạc Đại hội XIV của Đảng.",
            event("Đại hội XIV của Đảng", "end", 0, "after"),
        ),
        (
            "Thời gian thực hiện: Hoàn thành trong tháng 11/2024.",
            period("2024-11", "within"),
        ),
        (
            "Hoàn thành trong tháng 11/2024.",
            period("2024-11", "within"),
        ),
        (
            "Hoàn thành ngay sau khi kết thúc đại hội đảng bộ cấp mình.",
            json!({"kind":"event","event":"đại hội đảng bộ cấp mình","scope":"assignee","anchor":"end","offset_days":0,"bound":"after"}),
        ),
        (
            "Chậm nhất 01 tuần trước ngày diễn ra phiên khai mạc đại hội đảng bộ cấp cơ sở, đại hội đảng bộ cấp mình và Đại hội XX Đảng bộ tỉnh, Đại hội Đảng toàn quốc lần thứ XIV.",
            json!({"kind":"list","items":[
                each_week_before("đại hội đảng bộ cấp cơ sở", Some("each")),
                each_week_before("đại hội đảng bộ cấp mình", Some("assignee")),
                each_week_before("Đại hội XX Đảng bộ tỉnh", None),
                each_week_before("Đại hội Đảng toàn quốc lần thứ XIV", None),
            ]}),
        ),
        ("Thực hiện thường xuyên.", json!({"kind":"continuous"})),
        ("Trong tháng 12/2024.", period("2024-12", "within")),
        ("*trong quý IV/2024*", period("2024-Q4", "within")),
        (
            "thực hiện thường xuyên hoặc theo chỉ đạo cụ thể của Trung ương",
            json!({"kind":"list","items":[{"kind":"continuous"},{"kind":"ad_hoc"}]}),
        ),
        (
            "(*hoàn thành ngay sau khi kết thúc Đại hội XX Đảng bộ tỉnh*)",
            event("Đại hội XX Đảng bộ tỉnh", "end", 0, "after"),
        ),
        ("*tháng 9/2025*", period("2025-09", "within")),
        ("*tháng 11/2025*", period("2025-11", "within")),
        (
            "*sau khi kết thúc Đại hội XIV của Đảng*",
            event("Đại hội XIV của Đảng", "end", 0, "after"),
        ),
        (
            "thời gian thực hiện: Hoàn thành trong tháng 11/2024",
            period("2024-11", "within"),
        ),
        (
            "sau khi kết thúc hội nghị 01 tuần",
            json!({"kind":"event","event":"hội nghị","scope":"each","anchor":"end","offset_days":7,"bound":"by"}),
        ),
        (
            "thời gian thực hiện: Chậm nhất 01 tuần sau khi cấp uỷ công bố dự thảo các văn kiện",
            event("cấp uỷ công bố dự thảo các văn kiện", "end", 7, "by"),
        ),
        ("*thực hiện thường xuyên*", json!({"kind":"continuous"})),
        (
            "thời gian thực hiện: Trong tháng 12/2024",
            period("2024-12", "within"),
        ),
        ("thực hiện từ tháng 12/2024", period("2024-12", "from")),
        (
            "tổ chức sau phiên bế mạc Đại hội",
            event("Đại hội", "end", 0, "after"),
        ),
        (
            "tổ chức ngay sau phiên bế mạc của Đại hội đại biểu toàn quốc lần thứ XIV của Đảng",
            event(
                "Đại hội đại biểu toàn quốc lần thứ XIV của Đảng",
                "end",
                0,
                "after",
            ),
        ),
        (
            "tối hôm trước phiên khai mạc Đại hội đại biểu Đảng bộ tỉnh lần thứ XX",
            event(
                "Đại hội đại biểu Đảng bộ tỉnh lần thứ XX",
                "start",
                -1,
                "on",
            ),
        ),
        (
            "thời gian có sách: 20 ngày trước khi khai mạc Đại hội XX Đảng bộ tỉnh",
            event("Đại hội XX Đảng bộ tỉnh", "start", -20, "by"),
        ),
        ("thực hiện từ quý II/2025", period("2025-Q2", "from")),
        (
            "thời gian hoàn thành: Chậm nhất 01 ngày trước phiên khai mạc Đại hội XX Đảng bộ tỉnh và Đại hội Đảng toàn quốc lần thứ XIV",
            json!({"kind":"list","items":[
                event("Đại hội XX Đảng bộ tỉnh","start",-1,"by"),
                event("Đại hội Đảng toàn quốc lần thứ XIV","start",-1,"by"),
            ]}),
        ),
        (
            "thời gian: Hoàn thành trước phiên khai mạc Đại hội 10 ngày",
            event("Đại hội", "start", -10, "by"),
        ),
        (
            "Báo cáo trước ngày 05/02/2025.",
            date("2025-02-05", "before"),
        ),
        (
            "Báo cáo trước ngày 15/9/2025.",
            date("2025-09-15", "before"),
        ),
        (
            "***sau khi kết thúc Đại hội XIV của Đảng 15 ngày***",
            event("Đại hội XIV của Đảng", "end", 15, "by"),
        ),
        ("hằng tháng", json!({"kind":"recurring","every":"month"})),
    ]);
}

/// Phrases in the styles of People's Committees, departments and mass
/// organisations: shapes the reference plan does not use.
#[test]
fn other_issuers_phrases() {
    check(&[
        (
            "Thời hạn: trước ngày 30 tháng 6 năm 2025.",
            date("2025-06-30", "before"),
        ),
        ("ngày 05 tháng 02 năm 2025", date("2025-02-05", "on")),
        (
            "Hoàn thành chậm nhất ngày 5/2/2025",
            date("2025-02-05", "by"),
        ),
        ("chậm nhất là ngày 10-12-2025", date("2025-12-10", "by")),
        ("trong Quý 3/2025", period("2025-Q3", "within")),
        ("quý IV năm 2025", period("2025-Q4", "within")),
        ("trong 6 tháng cuối năm 2025", period("2025-H2", "within")),
        ("Cả năm 2026", period("2026", "within")),
        (
            "Từ tháng 3/2025 đến tháng 6/2025",
            json!({"kind":"range","start":period("2025-03","from"),"end":period("2025-06","within")}),
        ),
        (
            // The start's year is not written: it stays unwritten, and
            // resolves to the first such day from the plan's date.
            "từ ngày 15/3 đến ngày 30/4/2025",
            json!({"kind":"range","start":date("--03-15","from"),"end":date("2025-04-30","by")}),
        ),
        (
            "Từ ngày 01/9/2025 - ngày 31/10/2025",
            json!({"kind":"range","start":date("2025-09-01","from"),"end":date("2025-10-31","by")}),
        ),
        ("hàng năm", json!({"kind":"recurring","every":"year"})),
        (
            "Định kỳ hằng tháng",
            json!({"kind":"recurring","every":"month"}),
        ),
        (
            "hằng tháng, trước ngày 20",
            json!({"kind":"recurring","every":"month","day":20,"bound":"before"}),
        ),
        (
            "trong vòng 10 ngày làm việc kể từ ngày ký",
            json!({"kind":"issued","offset_working_days":10,"bound":"by"}),
        ),
        (
            "sau 02 tháng kể từ ngày nhận được hồ sơ",
            json!({"kind":"event","event":"nhận được hồ sơ","anchor":"end","offset_months":2,"bound":"by"}),
        ),
        (
            "Chậm nhất 15 ngày trước ngày khai mạc Đại hội đại biểu Hội Nông dân tỉnh lần thứ XI",
            event(
                "Đại hội đại biểu Hội Nông dân tỉnh lần thứ XI",
                "start",
                -15,
                "by",
            ),
        ),
        (
            "trước khai mạc kỳ họp thứ 10 Hội đồng nhân dân tỉnh",
            event("kỳ họp thứ 10 Hội đồng nhân dân tỉnh", "start", 0, "before"),
        ),
        (
            "dự kiến tháng 8/2025",
            json!({"kind":"period","period":"2025-08","bound":"within","tentative":true}),
        ),
        ("trước tháng 12/2025", date("2025-12-01", "before")),
        ("khi có yêu cầu", json!({"kind":"ad_hoc"})),
        (
            "hai tuần sau khi bế mạc Hội nghị Trung ương",
            event("Hội nghị Trung ương", "end", 14, "by"),
        ),
        (
            "sau Tết Nguyên đán 2026 một tuần",
            event("Tết Nguyên đán 2026", "end", 7, "by"),
        ),
        ("qúy II/2025", period("2025-Q2", "within")),
    ]);
}

#[test]
fn errors_name_the_place() {
    let e = parse("trước ngày 31/02/2025").unwrap_err();
    assert!(matches!(e.reason, Reason::InvalidDate(_)), "{e}");
    assert_eq!(e.position, 12, "{e}");
    assert!(
        e.to_string().contains("31/2/2025") || e.to_string().contains("không có ngày"),
        "{e}"
    );

    let e = parse("theo tiến độ của Tiểu ban Văn kiện").unwrap_err();
    assert_eq!(e.reason, Reason::Deferred, "{e}");
    assert_eq!(e.position, 1);

    let e = parse(
        "Cấp uỷ các cấp chủ động thời gian thực hiện theo các Kế hoạch của cấp uỷ cấp trên về tổ chức đại hội đảng bộ các cấp",
    )
    .unwrap_err();
    assert_eq!(e.reason, Reason::Deferred, "{e}");

    let e = parse("trong tháng 13/2024").unwrap_err();
    assert!(matches!(e.reason, Reason::InvalidDate(_)), "{e}");

    let e = parse("trong tháng 11/2024 bla bla").unwrap_err();
    assert_eq!(e.reason, Reason::Unreadable);
    assert_eq!(e.position, 21, "{e}");
    assert!(e.to_string().contains("ký tự 21"), "{e}");

    assert_eq!(parse("   ").unwrap_err().reason, Reason::Empty);
    assert!(parse("quý V/2025").is_err());
    assert!(parse("con mèo").is_err());
}

/// The error for `phrase`, which must not parse.
#[track_caller]
fn refused(phrase: &str) -> dondoc_core::deadline::ParseError {
    match parse(phrase) {
        Ok(r) => panic!(
            "{phrase:?} parsed to {}",
            serde_json::to_string(&r).unwrap()
        ),
        Err(e) => e,
    }
}

#[test]
fn before_with_nothing_after_it_is_refused() {
    for (phrase, at) in [
        ("trước", 6),
        ("Trước.", 6),
        ("hoàn thành trước", 17),
        ("chậm nhất trước", 16),
    ] {
        let e = refused(phrase);
        assert!(matches!(e.reason, Reason::Missing(_)), "{phrase:?}: {e}");
        assert_eq!(e.position, at, "{phrase:?}: {e}");
        let text = e.to_string();
        assert!(text.contains("«trước»"), "says what it follows: {text}");
        assert!(text.contains("sự kiện"), "says what is missing: {text}");
        assert!(text.contains(&format!("ký tự {at}")), "{text}");
    }
    // The same for the other words that place a deadline against an event.
    for phrase in [
        "sau",
        "sau khi",
        "ngay sau",
        "ngay khi",
        "30 ngày trước",
        "trong 15 ngày kể từ",
    ] {
        let e = refused(phrase);
        assert!(matches!(e.reason, Reason::Missing(_)), "{phrase:?}: {e}");
    }
    // Deferred timing stays a deferral, not a missing event.
    for phrase in [
        "theo tiến độ của Tiểu ban Văn kiện",
        "hoàn thành trước, theo tiến độ của Tiểu ban Văn kiện",
    ] {
        assert_eq!(refused(phrase).reason, Reason::Deferred, "{phrase:?}");
    }
    // A named moment of an implied event is enough, as the spec says.
    check(&[
        ("trước khai mạc", event_null("start", 0, "before")),
        (
            "ít nhất 30 ngày trước khai mạc",
            event_null("start", -30, "by"),
        ),
        (
            "ngay sau khi kết thúc",
            json!({"kind":"event","event":null,"anchor":"end","offset_days":0,"bound":"after"}),
        ),
    ]);
}

fn event_null(anchor: &str, days: i32, bound: &str) -> Value {
    json!({"kind":"event","event":null,"anchor":anchor,"offset_days":days,"bound":bound})
}

#[test]
fn the_word_day_with_no_day_after_it_is_refused() {
    for (phrase, at) in [
        ("trước ngày", 11),
        ("chậm nhất ngày", 15),
        ("từ ngày 01/11/2025 đến ngày", 28),
    ] {
        let e = refused(phrase);
        assert!(matches!(e.reason, Reason::Missing(_)), "{phrase:?}: {e}");
        assert_eq!(e.position, at, "{phrase:?}: {e}");
        assert!(e.to_string().contains("«ngày»"), "{e}");
    }
    let e = refused("từ ngày 01/11/2025 đến");
    assert!(matches!(e.reason, Reason::Missing(_)), "{e}");
    assert!(e.to_string().contains("«đến»"), "{e}");
    // Events whose names begin with "ngày" still read.
    check(&[
        ("trước ngày khai mạc", event_null("start", 0, "before")),
        (
            "trước ngày bầu cử đại biểu Quốc hội",
            json!({"kind":"event","event":"ngày bầu cử đại biểu Quốc hội","anchor":"start","offset_days":0,"bound":"before"}),
        ),
    ]);
}

#[test]
fn a_range_that_ends_before_it_starts_is_refused() {
    let e = refused("từ ngày 10/12/2025 đến ngày 01/12/2025");
    assert!(matches!(e.reason, Reason::InvalidDate(_)), "{e}");
    let text = e.to_string();
    assert!(text.contains("10/12/2025"), "names the start: {text}");
    assert!(text.contains("01/12/2025"), "names the end: {text}");
    assert_eq!(e.position, 24, "points at the end: {e}");

    for phrase in [
        "Từ tháng 12/2025 đến tháng 3/2025",
        "từ ngày 01/12/2025 đến trước ngày 01/12/2025",
        "từ ngày 02/01/2026 đến hết năm 2025",
    ] {
        let e = refused(phrase);
        assert!(
            matches!(e.reason, Reason::InvalidDate(_)),
            "{phrase:?}: {e}"
        );
    }
    // One day, and ends that are not written out, are not judged here:
    // a start without its year may be the year before the end's.
    check(&[
        (
            "từ ngày 15/12 đến ngày 15/01/2025",
            json!({"kind":"range","start":date("--12-15","from"),"end":date("2025-01-15","by")}),
        ),
        (
            "từ ngày 01/12/2025 đến ngày 01/12/2025",
            json!({"kind":"range","start":date("2025-12-01","from"),"end":date("2025-12-01","by")}),
        ),
        (
            "từ ngày 10/12/2025 đến ngày 01/12",
            json!({"kind":"range","start":date("2025-12-10","from"),"end":date("--12-01","by")}),
        ),
        (
            "từ tháng 12/2025 đến tháng 12/2025",
            json!({"kind":"range","start":period("2025-12","from"),"end":period("2025-12","within")}),
        ),
    ]);
}

#[test]
fn an_iso_day_that_does_not_exist_is_named_as_written() {
    for (phrase, day) in [
        ("2025-13-01", "1/13/2025"),
        ("ngày 2025-13-01", "1/13/2025"),
        ("trước ngày 2025-02-30", "30/2/2025"),
        ("2025-12-32", "32/12/2025"),
    ] {
        let e = refused(phrase);
        assert!(
            matches!(e.reason, Reason::InvalidDate(_)),
            "{phrase:?}: {e}"
        );
        let text = e.to_string();
        assert!(text.contains(&format!("không có ngày {day}")), "{text}");
        assert!(!text.contains("127"), "{text}");
        assert!(!text.contains("2001"), "{text}");
    }
    // A day that exists reads the same in either order.
    check(&[
        ("2025-12-01", date("2025-12-01", "on")),
        ("trước ngày 2025-02-05", date("2025-02-05", "before")),
    ]);
    // Figures that cannot be a day are not cut down to one.
    let e = refused("ngày 45/13/2025");
    assert!(e.to_string().contains("không có ngày 45/13/2025"), "{e}");
}

#[test]
fn years_outside_the_plan_range_are_refused() {
    use dondoc_core::text::{FIRST_YEAR, LAST_YEAR};
    for (phrase, year) in [
        ("ngày 01/01/0001", "0001"),
        ("ngày 01/01/9999", "9999"),
        ("0001-01-01", "0001"),
        ("9999-12-31", "9999"),
        ("ngày 31/12/1999", "1999"),
        ("trong năm 9999", "9999"),
        ("tháng 1/9999", "9999"),
        ("quý II/2101", "2101"),
        ("6 tháng đầu năm 1999", "1999"),
        ("ngày 05 tháng 02 năm 1930", "1930"),
        ("từ ngày 01/01/2025 đến ngày 31/12/9999", "9999"),
    ] {
        let e = refused(phrase);
        assert!(
            matches!(e.reason, Reason::InvalidDate(_)),
            "{phrase:?}: {e}"
        );
        let text = e.to_string();
        assert!(
            text.contains(&format!(
                "năm {year} nằm ngoài khoảng {FIRST_YEAR}–{LAST_YEAR}"
            )),
            "{text}"
        );
    }
    check(&[
        ("ngày 01/01/2000", date("2000-01-01", "on")),
        ("ngày 31/12/2100", date("2100-12-31", "on")),
        ("trong năm 2100", period("2100", "within")),
        ("ngày 05/02/25", date("2025-02-05", "on")),
    ]);
}

/// Shapes met in real documents of 2025–26 beyond the spec's tables.
#[test]
fn shapes_of_real_documents() {
    // A question is no time, nor is the coming while.
    assert!(parse("khi nào xong thì báo").is_err());
    assert!(parse("trong thời gian tới").is_err());
    assert!(parse("trong thời gian tới được thông suốt").is_err());
    assert!(parse("trong thời gian").is_err());
    // `sau đây gọi chung là …` is "hereinafter", no event.
    assert!(parse("sau đây gọi chung là cấp xã").is_err());
    assert!(parse("sau đó").is_err());
    let year = |y: &str, bound: &str| period(y, bound);
    // Periods from the first to the end of the second.
    let span = |a: &str, b: &str| json!({"kind":"range","start":period(a,"from"),"end":period(b,"within")});
    check(&[
        ("Năm 2025 - 2026", span("2025", "2026")),
        ("Quý IV/2025- Quý II/2026", span("2025-Q4", "2026-Q2")),
        ("tháng 11/2025 đến tháng 4/2026", span("2025-11", "2026-04")),
        ("năm 2025 và các năm tiếp theo", year("2025", "from")),
        (
            "Giai đoạn 2026-2030 và những năm tiếp theo",
            year("2026", "from"),
        ),
        (
            "Chậm nhất là 17 giờ 00 ngày 01 tháng 2 năm 2026",
            date("2026-02-01", "by"),
        ),
        ("vào tối ngày 20/11/2025", date("2025-11-20", "on")),
        ("vào ngày 20/11/2024", date("2024-11-20", "on")),
        // A round of payment named by its month is that month.
        (
            "vào kỳ chi trả tháng 12 năm 2025",
            period("2025-12", "within"),
        ),
        // Hours, and a span of them, count as the days they reach into.
        (
            "trong 24-48 giờ sau khi nước rút",
            event("nước rút", "end", 2, "by"),
        ),
        (
            "trong 36 giờ sau khi nước rút",
            event("nước rút", "end", 2, "by"),
        ),
        // The event is what happens, not what the sentence says of it.
        (
            "ngay sau khi lũ rút với tinh thần “lũ rút đến đâu xử lý ngay đến đó”",
            event("lũ rút", "end", 0, "after"),
        ),
        (
            "trong thời gian lũ lụt xảy ra trên địa bàn tỉnh",
            event("lũ lụt", "during", 0, "within"),
        ),
        (
            "vào thứ Sáu hàng tuần",
            json!({"kind":"recurring","every":"week","day":5}),
        ),
        ("Khi có phát sinh.", json!({"kind":"ad_hoc"})),
        ("khi cần", json!({"kind":"ad_hoc"})),
        (
            "Định kỳ hằng năm (trước ngày 30 tháng 11)",
            json!({"kind":"recurring","every":"year","month":11,"day":30,"bound":"before"}),
        ),
        (
            "định kỳ trước ngày 30 tháng 11 hàng năm",
            json!({"kind":"recurring","every":"year","month":11,"day":30,"bound":"before"}),
        ),
        (
            "hằng năm (trước ngày 15 tháng 11) hoặc theo đề nghị",
            json!({"kind":"list","items":[
                {"kind":"recurring","every":"year","month":11,"day":15,"bound":"before"},
                {"kind":"ad_hoc"}]}),
        ),
        (
            "trong Tháng hành động",
            event("Tháng hành động", "during", 0, "within"),
        ),
        ("trong suốt Đợt II", event("Đợt II", "during", 0, "within")),
        (
            "tại Kỳ họp thứ 10 của Quốc hội khóa XV",
            event("Kỳ họp thứ 10 của Quốc hội khóa XV", "during", 0, "within"),
        ),
        (
            "tại phiên khai mạc Đại hội XX Đảng bộ tỉnh",
            event("Đại hội XX Đảng bộ tỉnh", "start", 0, "on"),
        ),
        (
            "Từ ngày 15/3/2026 đến ngày bầu cử",
            json!({"kind":"range","start":date("2026-03-15","from"),"end":event("bầu cử","start",0,"by")}),
        ),
        (
            "sau mỗi đợt",
            json!({"kind":"event","event":"đợt","scope":"each","anchor":"end","offset_days":0,"bound":"after"}),
        ),
        (
            "Dự kiến ngày Tháng 11/2025",
            json!({"kind":"period","period":"2025-11","bound":"within","tentative":true}),
        ),
        (
            "Định kỳ thứ Hai hàng tuần",
            json!({"kind":"recurring","every":"week","day":1}),
        ),
        (
            "Thường xuyên, theo yêu cầu nhiệm vụ.",
            json!({"kind":"continuous"}),
        ),
        (
            "từ thời điểm hoàn thành tiếp nhận bàn giao",
            event("tiếp nhận bàn giao", "end", 0, "from"),
        ),
    ]);
}
