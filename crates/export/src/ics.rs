//! A unit's calendar feed (iCalendar, RFC 5545): its deadlines and the
//! events it takes part in.

use dondoc_core::documents::feed::Feed;
use dondoc_core::text::nfc;
use jiff::Timestamp;
use jiff::civil::Date;

/// RFC 5545 §3.1: content lines are at most 75 octets, CRLF excluded.
const LINE_LIMIT: usize = 75;

/// The feed as an iCalendar document: one all-day VEVENT per item.
///
/// Written by hand rather than with a calendar crate: the format needed is
/// small, and this keeps every byte under control — escaping of all TEXT
/// values (the calendar's name too), folding that never splits a UTF-8
/// character nor leaves a line ending in a space (some readers trim it),
/// and a DTSTAMP taken from the caller, so the same data gives the same
/// bytes.
pub fn to_ics(feed: &Feed, now: Timestamp) -> String {
    let mut out = String::new();
    let stamp = now.strftime("%Y%m%dT%H%M%SZ").to_string();
    line(&mut out, "BEGIN:VCALENDAR");
    line(&mut out, "PRODID:-//dondoc//vi");
    line(&mut out, "VERSION:2.0");
    line(&mut out, "CALSCALE:GREGORIAN");
    line(&mut out, "METHOD:PUBLISH");
    line(&mut out, &format!("X-WR-CALNAME:{}", escape(&feed.name)));
    line(&mut out, "X-WR-TIMEZONE:Asia/Ho_Chi_Minh");
    for item in &feed.items {
        // An inverted range would make an invalid event; keep its first day.
        let end = item.end.max(item.start);
        line(&mut out, "BEGIN:VEVENT");
        line(&mut out, &format!("UID:{}", escape(&item.uid)));
        line(&mut out, &format!("DTSTAMP:{stamp}"));
        line(&mut out, &format!("SEQUENCE:{}", item.sequence));
        line(
            &mut out,
            &format!("DTSTART;VALUE=DATE:{}", ics_date(item.start)),
        );
        // DTEND of an all-day event is exclusive: the day after the last.
        // Without it (only past 9999-12-31) the event is its first day.
        if let Ok(after) = end.tomorrow() {
            line(&mut out, &format!("DTEND;VALUE=DATE:{}", ics_date(after)));
        }
        line(&mut out, &format!("SUMMARY:{}", escape(&item.summary)));
        if !item.description.is_empty() {
            line(
                &mut out,
                &format!("DESCRIPTION:{}", escape(&item.description)),
            );
        }
        line(&mut out, "END:VEVENT");
    }
    line(&mut out, "END:VCALENDAR");
    out
}

/// `lich-ban-tuyen-giao-tinh-uy.ics`: ASCII only, for any browser.
pub fn file_name(unit: &str) -> String {
    let slug = crate::tracking::ascii_slug(unit).to_ascii_lowercase();
    if slug.is_empty() {
        "lich.ics".to_string()
    } else {
        format!("lich-{slug}.ics")
    }
}

fn ics_date(d: Date) -> String {
    format!("{:04}{:02}{:02}", d.year(), d.month(), d.day())
}

/// A TEXT value (RFC 5545 §3.3.11), NFC. Every line break, whatever its
/// style, is one `\n`; other control characters are not allowed in TEXT
/// and are dropped.
fn escape(s: &str) -> String {
    let s = nfc(s);
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push_str("\\n");
            }
            '\n' | '\u{2028}' | '\u{2029}' => out.push_str("\\n"),
            '\t' => out.push(c),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Appends one content line, folded (RFC 5545 §3.1), with its CRLF.
fn line(out: &mut String, content: &str) {
    let mut rest = content;
    let mut limit = LINE_LIMIT;
    while rest.len() > limit {
        let cut = fold_point(rest, limit);
        out.push_str(&rest[..cut]);
        out.push_str("\r\n ");
        rest = &rest[cut..];
        // Continuation lines begin with the folding space.
        limit = LINE_LIMIT - 1;
    }
    out.push_str(rest);
    out.push_str("\r\n");
}

/// Where to fold `s` (longer than `limit` bytes): the last character
/// boundary within `limit` that has no white space on either side, so that
/// readers trimming lines lose nothing; failing that (a long run of
/// spaces), the last boundary.
fn fold_point(s: &str, limit: usize) -> usize {
    let boundary = (1..=limit)
        .rev()
        .find(|&i| s.is_char_boundary(i))
        .unwrap_or(limit);
    let spaced = |i: usize| {
        s[..i].chars().next_back().is_some_and(char::is_whitespace)
            || s[i..].chars().next().is_some_and(char::is_whitespace)
    };
    (boundary.saturating_sub(16).max(1)..=boundary)
        .rev()
        .find(|&i| s.is_char_boundary(i) && !spaced(i))
        .unwrap_or(boundary)
}
