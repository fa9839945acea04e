//! `dondoc remind` against a local SMTP sink started by the test: one letter
//! per unit that wants one, its Vietnamese subject and body as a mail reader
//! decodes them; `--dry-run` sends nothing; an unreachable server is said,
//! with what was sent before it failed.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::Command;
use std::sync::{Arc, Mutex};

fn dondoc(db: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_dondoc"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("DATABASE_URL")
        .output()
        .unwrap();
    let (o, e) = (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    );
    assert!(!e.contains("panicked"), "{e}");
    (out.status.code().unwrap_or(-1), o, e)
}

/// A message as the sink received it: the envelope's recipients and the
/// DATA, dot-unstuffed.
#[derive(Debug, Clone)]
struct Received {
    rcpt: Vec<String>,
    data: String,
}

/// The smallest SMTP server a client can deliver to: 220, 250 to
/// everything, 354 for DATA, 221 for QUIT. After `connections` sessions (if
/// given) it stops listening, as a server that goes away.
fn sink(connections: Option<usize>) -> (u16, Arc<Mutex<Vec<Received>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let got = Arc::new(Mutex::new(Vec::new()));
    let store = got.clone();
    std::thread::spawn(move || {
        let mut served = 0;
        for stream in listener.incoming() {
            let Ok(stream) = stream else { continue };
            session(stream, &store);
            served += 1;
            if connections.is_some_and(|n| served >= n) {
                return;
            }
        }
    });
    (port, got)
}

fn session(stream: TcpStream, got: &Mutex<Vec<Received>>) {
    let mut out = stream.try_clone().unwrap();
    let mut reader = BufReader::new(stream);
    let mut say = |s: &str| {
        let _ = out.write_all(format!("{s}\r\n").as_bytes());
    };
    say("220 sink ESMTP");
    let mut rcpt = Vec::new();
    let mut line = String::new();
    loop {
        line.clear();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        let verb = line.get(..4).unwrap_or("").to_ascii_uppercase();
        match verb.as_str() {
            "EHLO" | "HELO" => say("250 sink"),
            "MAIL" => {
                rcpt.clear();
                say("250 OK")
            }
            "RCPT" => {
                let to = line.trim_end();
                let to = to[to.find('<').unwrap() + 1..to.rfind('>').unwrap()].to_string();
                rcpt.push(to);
                say("250 OK")
            }
            "DATA" => {
                say("354 end with <CRLF>.<CRLF>");
                let mut data = String::new();
                loop {
                    line.clear();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    if line == ".\r\n" {
                        break;
                    }
                    data.push_str(line.strip_prefix('.').unwrap_or(&line));
                }
                got.lock().unwrap().push(Received {
                    rcpt: rcpt.clone(),
                    data,
                });
                say("250 queued")
            }
            "QUIT" => {
                say("221 bye");
                return;
            }
            _ => say("250 OK"),
        }
    }
}

fn base64(s: &str) -> Vec<u8> {
    const ABC: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = Vec::new();
    let (mut acc, mut bits) = (0u32, 0);
    for c in s.bytes().filter(|c| !c.is_ascii_whitespace() && *c != b'=') {
        let v = ABC.iter().position(|x| *x == c).expect("base64") as u32;
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    out
}

fn quoted_printable(s: &str, underscore_is_space: bool) -> Vec<u8> {
    let s = s.replace("=\r\n", "").replace("=\n", "");
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'=' if i + 2 < b.len() => {
                let hex = std::str::from_utf8(&b[i + 1..i + 3]).unwrap();
                out.push(u8::from_str_radix(hex, 16).expect("=XX"));
                i += 3;
            }
            b'_' if underscore_is_space => {
                out.push(b' ');
                i += 1;
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    out
}

/// A header value as a reader shows it: RFC 2047 encoded words decoded
/// (the space between two adjacent words dropped), plain text kept.
fn rfc2047(value: &str) -> String {
    let mut bytes = Vec::new();
    let mut rest = value;
    let mut after_word = false;
    while let Some(start) = rest.find("=?") {
        let before = &rest[..start];
        if !(after_word && before.trim().is_empty()) {
            bytes.extend_from_slice(before.as_bytes());
        }
        let word = &rest[start + 2..];
        let parts: Vec<&str> = word.splitn(3, '?').collect();
        let (charset, enc, tail) = (parts[0], parts[1], parts[2]);
        assert!(charset.eq_ignore_ascii_case("utf-8"), "{value}");
        let end = tail.find("?=").expect("?=");
        let text = &tail[..end];
        bytes.extend(if enc.eq_ignore_ascii_case("b") {
            base64(text)
        } else {
            quoted_printable(text, true)
        });
        rest = &tail[end + 2..];
        after_word = true;
    }
    bytes.extend_from_slice(rest.as_bytes());
    String::from_utf8(bytes).expect("UTF-8")
}

/// The headers (folded lines joined) and the decoded body of a message.
fn parse(data: &str) -> (Vec<(String, String)>, String) {
    let (head, body) = data
        .split_once("\r\n\r\n")
        .expect("headers, blank line, body");
    let mut headers: Vec<(String, String)> = Vec::new();
    for line in head.split("\r\n") {
        if line.starts_with([' ', '\t']) {
            headers.last_mut().unwrap().1.push_str(line);
        } else {
            let (k, v) = line.split_once(':').expect("Name: value");
            headers.push((k.to_string(), v.trim().to_string()));
        }
    }
    let encoding = header(&headers, "Content-Transfer-Encoding").to_ascii_lowercase();
    let body = match encoding.as_str() {
        "base64" => base64(body),
        "quoted-printable" => quoted_printable(body, false),
        _ => body.as_bytes().to_vec(),
    };
    let body = String::from_utf8(body)
        .expect("UTF-8")
        .replace("\r\n", "\n");
    (headers, body)
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> &'a str {
    headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
        .unwrap_or_else(|| panic!("không có dòng đầu {name}"))
}

const BAO_LAC: &str = "Huyện uỷ Bảo Lạc";

#[test]
fn a_digest_per_unit_over_smtp() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("d.db");
    let run = |args: &[&str]| dondoc(&db, args);
    assert_eq!(run(&["demo", "--quiet", "--today", "2025-01-20"]).0, 0);
    // Bảo Lạc's congress dated: a deadline one week before it falls due in
    // three days, beside November's and December's tasks, overdue.
    let (code, _, e) = run(&[
        "event",
        "set",
        "Đại hội đại biểu Đảng bộ huyện Bảo Lạc",
        "--start",
        "30/01/2025",
        "--today",
        "2025-01-20",
    ]);
    assert_eq!(code, 0, "{e}");
    // Names as people type them: other case, other tone placement.
    let (code, o, e) = run(&[
        "unit",
        "contact",
        "huyện ủy bảo lạc",
        "--email",
        "baolac@example.vn",
    ]);
    assert_eq!(code, 0, "{e}");
    assert!(
        o.contains(BAO_LAC) && o.contains("baolac@example.vn"),
        "{o}"
    );
    let (code, _, e) = run(&[
        "unit",
        "contact",
        "Huyện uỷ Bảo Lâm",
        "--email",
        "baolam@example.vn",
    ]);
    assert_eq!(code, 0, "{e}");
    let (code, o, e) = run(&["unit", "reminders", "HUYỆN ỦY BẢO LÂM", "--off"]);
    assert_eq!(code, 0, "{e}");
    assert!(o.contains("Đã tắt"), "{o}");
    // Refused: no such unit; a malformed address; neither or both switches.
    let (code, _, e) = run(&["unit", "contact", "Huyện uỷ Không Có", "--email", "a@b.vn"]);
    assert_eq!(code, 1);
    assert!(e.contains("không có đơn vị «Huyện uỷ Không Có»"), "{e}");
    let (code, _, e) = run(&["unit", "contact", BAO_LAC, "--email", "baolac at example"]);
    assert_eq!(code, 1);
    assert!(e.contains("không hợp lệ"), "{e}");
    assert_eq!(run(&["unit", "reminders", BAO_LAC]).0, 2);
    assert_eq!(run(&["unit", "reminders", BAO_LAC, "--on", "--off"]).0, 2);
    // Each setting is in the audit trail.
    let (_, trail, _) = run(&["audit", "--limit", "3"]);
    assert!(
        trail.contains("unit.reminders") && trail.contains("unit.contact"),
        "{trail}"
    );

    let (port, got) = sink(None);
    let smtp = format!("127.0.0.1:{port}");
    let remind = [
        "remind",
        "--today",
        "2025-01-20",
        "--smtp",
        &smtp,
        "--from",
        "dondoc@example.vn",
    ];

    // A dry run prints the letter and sends nothing.
    let mut dry = remind.to_vec();
    dry.push("--dry-run");
    let (code, o, e) = run(&dry);
    assert_eq!(code, 0, "{e}");
    assert!(
        o.contains(&format!("Tới: {BAO_LAC} <baolac@example.vn>")),
        "{o}"
    );
    assert!(o.contains("không gửi thư nào"), "{o}");
    assert!(!o.contains("baolam@"), "{o}");
    assert!(got.lock().unwrap().is_empty());

    let (code, o, e) = run(&remind);
    assert_eq!(code, 0, "{e}");
    assert!(
        o.contains(&format!("Đã gửi: {BAO_LAC} <baolac@example.vn>")),
        "{o}"
    );
    let mails = got.lock().unwrap().clone();
    assert_eq!(mails.len(), 1, "chỉ một thư: Bảo Lâm đã tắt");
    let mail = &mails[0];
    assert_eq!(mail.rcpt, ["baolac@example.vn"]);
    let (headers, body) = parse(&mail.data);
    assert!(header(&headers, "To").contains("<baolac@example.vn>"));
    assert_eq!(header(&headers, "From"), "dondoc@example.vn");
    assert!(
        header(&headers, "Content-Type").starts_with("text/plain; charset=utf-8"),
        "{headers:?}"
    );
    let raw_subject = header(&headers, "Subject");
    assert!(raw_subject.contains("=?utf-8?"), "{raw_subject}");
    assert_eq!(
        rfc2047(raw_subject),
        format!("[dondoc] 2 việc quá hạn, 1 việc đến hạn trong 7 ngày — {BAO_LAC}")
    );
    assert_eq!(
        rfc2047(header(&headers, "To")),
        format!("{BAO_LAC} <baolac@example.vn>")
    );
    // Overdue first, each with its reference and how late; then what falls
    // due; then how to stop.
    let late = body.find("V.1.1.1 (Kế hoạch 390-KH/TU)").expect(&body);
    let soon = body.find("V.1.1.4 (Kế hoạch 390-KH/TU)").expect(&body);
    assert!(late < soon, "{body}");
    assert!(body.contains("trong tháng 11/2024 (hạn cuối 30/11/2024) — quá hạn 51 ngày"));
    assert!(body.contains("chậm nhất 23/01/2025"));
    assert!(body.contains("còn 3 ngày"));
    let last = body.trim_end().lines().last().unwrap();
    assert!(last.contains("tắt thư nhắc việc"), "{last}");
    assert!(
        last.ends_with(&format!("dondoc unit reminders \"{BAO_LAC}\" --off")),
        "{last}"
    );

    // Nobody listening: exit 1, said in Vietnamese, nothing claimed sent.
    let closed = TcpListener::bind("127.0.0.1:0").unwrap();
    let dead = format!("127.0.0.1:{}", closed.local_addr().unwrap().port());
    drop(closed);
    let mut unreachable = remind.to_vec();
    unreachable[4] = &dead;
    let (code, o, e) = run(&unreachable);
    assert_eq!(code, 1, "{o}{e}");
    assert!(e.contains("không kết nối được"), "{e}");
    assert!(e.contains("Chưa gửi được thư nào"), "{e}");
    assert!(e.contains(&format!("Chưa gửi: {BAO_LAC}")), "{e}");
    assert!(!o.contains("Đã gửi"), "{o}");

    // A server that goes away after one letter: the one sent is named, and
    // the one not sent.
    let (code, _, e) = run(&[
        "unit",
        "contact",
        "Thành uỷ Cao Bằng",
        "--email",
        "thanhuy@example.vn",
    ]);
    assert_eq!(code, 0, "{e}");
    let (port, got) = sink(Some(1));
    let once = format!("127.0.0.1:{port}");
    let mut partial = remind.to_vec();
    partial[4] = &once;
    let (code, o, e) = run(&partial);
    assert_eq!(code, 1, "{o}{e}");
    assert!(
        o.contains("Đã gửi: Thành uỷ Cao Bằng <thanhuy@example.vn>"),
        "{o}"
    );
    assert!(!o.contains(&format!("Đã gửi: {BAO_LAC}")), "{o}");
    assert!(
        e.contains("Đã gửi 1/2 thư trước khi lỗi: Thành uỷ Cao Bằng"),
        "{e}"
    );
    assert!(e.contains(&format!("Chưa gửi: {BAO_LAC}")), "{e}");
    let mails = got.lock().unwrap().clone();
    assert_eq!(mails.len(), 1);
    assert_eq!(mails[0].rcpt, ["thanhuy@example.vn"]);
}
