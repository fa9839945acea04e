//! `dondoc remind`: the daily reminder digest, one e-mail per unit of what
//! is overdue and what falls due in the coming days, sent over plain SMTP
//! (a relay on the local network or the machine itself; no TLS is built in).
//! `dondoc unit contact` and `dondoc unit reminders`: where a unit's digest
//! goes, and whether it wants one.

use crate::error::{CliError, Result};
use crate::out;
use dondoc_core::text::vn_date;
use dondoc_store::Store;
use dondoc_store::reminders::{Digest, DigestItem};
use jiff::civil::Date;
use lettre::message::header::ContentType;
use lettre::message::{Mailbox, Message};
use lettre::{Address, SmtpTransport, Transport};
use std::time::Duration;

/// How long one SMTP exchange may take before the server is given up on.
const SMTP_TIMEOUT: Duration = Duration::from_secs(30);
/// Task texts run to a page; the digest gives the start, enough to know it.
const TASK_CHARS: usize = 200;

pub struct Options {
    pub today: Date,
    pub days: u32,
    pub smtp: Option<String>,
    pub from: String,
    pub dry_run: bool,
}

async fn find_unit(store: &Store, name: &str) -> Result<(i64, String)> {
    let index = store.unit_index().await?;
    let id = index
        .find(name)
        .ok_or_else(|| CliError::Input(format!("không có đơn vị «{name}»")))?;
    let name = index.names.get(&id).cloned().unwrap_or_else(|| name.into());
    Ok((id, name))
}

fn state_text(on: bool) -> &'static str {
    if on { "đang bật" } else { "đang tắt" }
}

/// `unit contact NAME [--email ADDRESS]`: shows, sets or (with an empty
/// address) removes where the unit's digest goes.
pub async fn contact(store: &Store, name: &str, email: Option<&str>, actor: &str) -> Result<()> {
    let (id, unit) = find_unit(store, name).await?;
    let c = match email {
        Some(e) => store.set_contact(id, Some(e), actor).await?,
        None => store.contact(id).await?,
    };
    let address = c.email.as_deref().unwrap_or("chưa có");
    let verb = match (email, &c.email) {
        (None, _) => "",
        (Some(_), Some(_)) => "Đã đặt. ",
        (Some(_), None) => "Đã xoá địa chỉ. ",
    };
    out!(
        "{verb}{unit}: địa chỉ nhận thư nhắc việc: {address}; thư nhắc việc {}.",
        state_text(c.reminders_enabled)
    );
    Ok(())
}

/// `unit reminders NAME --on|--off`.
pub async fn reminders(store: &Store, name: &str, on: bool, actor: &str) -> Result<()> {
    let (id, unit) = find_unit(store, name).await?;
    let c = store.set_reminders(id, on, actor).await?;
    let verb = if on { "Đã bật" } else { "Đã tắt" };
    out!("{verb} thư nhắc việc của {unit}.");
    if on && c.email.is_none() {
        out!(
            "Đơn vị chưa có địa chỉ thư: đặt bằng «dondoc unit contact \"{unit}\" --email ĐỊA_CHỈ»."
        );
    }
    Ok(())
}

/// "HOST:PORT" (an IPv6 host in brackets) as the transport wants it.
fn server(s: &str) -> Result<(String, u16)> {
    let bad = || {
        CliError::Usage(format!(
            "máy chủ SMTP «{s}» không hợp lệ: viết MÁY:CỔNG, ví dụ 127.0.0.1:25"
        ))
    };
    let (host, port) = s.trim().rsplit_once(':').ok_or_else(bad)?;
    let host = host.trim_start_matches('[').trim_end_matches(']');
    let port: u16 = port.parse().map_err(|_| bad())?;
    if host.is_empty() || port == 0 {
        return Err(bad());
    }
    Ok((host.to_string(), port))
}

fn soon_words(days: u32) -> String {
    if days == 0 {
        "đến hạn hôm nay".to_string()
    } else {
        format!("đến hạn trong {days} ngày")
    }
}

/// "[dondoc] 3 việc quá hạn, 5 việc đến hạn trong 7 ngày — Huyện uỷ Bảo
/// Lạc"; a list with nothing in it is left out of the count.
pub fn subject(d: &Digest, days: u32) -> String {
    let mut parts = Vec::new();
    if !d.overdue.is_empty() {
        parts.push(format!("{} việc quá hạn", d.overdue.len()));
    }
    if !d.due_soon.is_empty() {
        parts.push(format!("{} việc {}", d.due_soon.len(), soon_words(days)));
    }
    format!("[dondoc] {} — {}", parts.join(", "), d.unit)
}

fn shorten(text: &str) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() <= TASK_CHARS {
        return text;
    }
    let cut: String = text.chars().take(TASK_CHARS).collect();
    // End on a whole word.
    let cut = match cut.rfind(' ') {
        Some(i) => &cut[..i],
        None => &cut,
    };
    format!("{}…", cut.trim_end_matches([',', ';', ':', '.']))
}

fn when(item: &DigestItem, overdue: bool) -> String {
    let last = vn_date(item.last_day);
    // "chậm nhất 04/02/2025" already says its last day.
    let window = if item.window.contains(&last) {
        item.window.clone()
    } else {
        format!("{} (hạn cuối {last})", item.window)
    };
    let count = match (overdue, item.days) {
        (true, n) => format!("quá hạn {n} ngày"),
        (false, 0) => "hạn cuối là hôm nay".to_string(),
        (false, n) => format!("còn {n} ngày"),
    };
    format!("{window} — {count}")
}

fn list(body: &mut String, heading: &str, items: &[DigestItem], overdue: bool) {
    if items.is_empty() {
        return;
    }
    body.push_str(&format!("{heading} ({} việc)\n\n", items.len()));
    for (i, item) in items.iter().enumerate() {
        body.push_str(&format!(
            "{}. {} (Kế hoạch {}): {}\n   Thời hạn: {}\n\n",
            i + 1,
            item.reference,
            item.plan,
            shorten(&item.task),
            when(item, overdue)
        ));
    }
}

/// The plain-text letter: overdue first, then what falls due, then how to
/// stop receiving it.
pub fn body(d: &Digest, today: Date, days: u32) -> String {
    let mut b = format!(
        "Kính gửi {},\n\nTình hình các nhiệm vụ của đơn vị tính đến ngày {}:\n\n",
        d.unit,
        vn_date(today)
    );
    list(&mut b, "VIỆC QUÁ HẠN", &d.overdue, true);
    let soon = if days == 0 {
        "VIỆC ĐẾN HẠN HÔM NAY".to_string()
    } else {
        format!("VIỆC ĐẾN HẠN TRONG {days} NGÀY TỚI")
    };
    list(&mut b, &soon, &d.due_soon, false);
    b.push_str(&format!(
        "Cập nhật tiến độ và kết quả từng nhiệm vụ trên trang của đơn vị trong dịch vụ dondoc \
         (Đơn vị → {}).\n\n",
        d.unit
    ));
    b.push_str(&format!(
        "Thư gửi tự động hằng ngày từ dondoc. Để thôi nhận thư này: tắt thư nhắc việc trên \
         trang của đơn vị trong dịch vụ dondoc, hoặc chạy: dondoc unit reminders \"{}\" --off\n",
        d.unit
    ));
    b
}

fn message(from: &Mailbox, d: &Digest, today: Date, days: u32) -> Result<Message> {
    let address: Address = d.email.parse().map_err(|e| {
        CliError::Input(format!(
            "địa chỉ thư «{}» của {} không dùng được: {e}",
            d.email, d.unit
        ))
    })?;
    Message::builder()
        .from(from.clone())
        .to(Mailbox::new(Some(d.unit.clone()), address))
        .subject(subject(d, days))
        // RFC 3834: no out-of-office replies to a robot.
        .raw_header(lettre::message::header::HeaderValue::new(
            lettre::message::header::HeaderName::new_from_ascii_str("Auto-Submitted"),
            "auto-generated".into(),
        ))
        .header(ContentType::TEXT_PLAIN)
        .body(body(d, today, days))
        .map_err(|e| CliError::Input(format!("không soạn được thư cho {}: {e}", d.unit)))
}

/// Why a send failed, in Vietnamese (lettre's own words kept in brackets for
/// whoever looks after the server); and whether the next units may still be
/// tried (the server answered, about this message) or not (no server).
fn failure(e: &lettre::transport::smtp::Error) -> (String, bool) {
    let why = if e.is_permanent() {
        ("máy chủ thư từ chối thư này", true)
    } else if e.is_transient() {
        ("máy chủ thư tạm thời không nhận thư", true)
    } else if e.is_timeout() {
        ("máy chủ thư không trả lời kịp", false)
    } else {
        (
            "không kết nối được hoặc mất kết nối với máy chủ thư (máy chủ không chạy, sai \
             địa chỉ hoặc cổng)",
            false,
        )
    };
    (format!("{} [{e}]", why.0), why.1)
}

fn names(ds: &[&Digest]) -> String {
    ds.iter()
        .map(|d| d.unit.as_str())
        .collect::<Vec<_>>()
        .join("; ")
}

pub async fn run(store: &Store, o: Options) -> Result<()> {
    let from: Mailbox = o.from.parse().map_err(|e| {
        CliError::Usage(format!(
            "địa chỉ gửi «{}» không hợp lệ ({e}): viết ten@ten-mien hoặc \"Tên <ten@ten-mien>\"",
            o.from
        ))
    })?;
    let smtp = match (&o.smtp, o.dry_run) {
        (Some(s), _) => Some(server(s)?),
        (None, true) => None,
        (None, false) => {
            return Err(CliError::Usage(
                "thiếu --smtp MÁY:CỔNG (hoặc dùng --dry-run để chỉ in thư)".into(),
            ));
        }
    };
    let digests = store.digests(o.today, o.days).await?;
    if digests.is_empty() {
        out!(
            "Không đơn vị nào cần nhắc việc tính đến ngày {} (không có việc quá hạn hay đến hạn trong {} ngày ở đơn vị có địa chỉ thư và đang bật thư nhắc việc).",
            vn_date(o.today),
            o.days
        );
        return Ok(());
    }
    // Every letter is made before any is sent: an address that cannot be
    // used is told, and the others still go.
    let mut letters = Vec::new();
    let mut unusable = Vec::new();
    for d in &digests {
        match message(&from, d, o.today, o.days) {
            Ok(m) => letters.push((d, m)),
            Err(e) => {
                eprintln!("dondoc: {e}");
                unusable.push(d);
            }
        }
    }
    if o.dry_run {
        for (i, (d, _)) in letters.iter().enumerate() {
            out!("── Thư {}/{} ──", i + 1, letters.len());
            out!("Từ: {from}");
            out!("Tới: {} <{}>", d.unit, d.email);
            out!("Tiêu đề: {}", subject(d, o.days));
            out!("");
            out!("{}", body(d, o.today, o.days));
        }
        out!(
            "Chạy thử: {} thư đã soạn, không gửi thư nào.",
            letters.len()
        );
    } else if let Some((host, port)) = smtp {
        let transport = SmtpTransport::builder_dangerous(host.clone())
            .port(port)
            .timeout(Some(SMTP_TIMEOUT))
            .build();
        let total = letters.len();
        let mut sent: Vec<&Digest> = Vec::new();
        let mut refused: Vec<(&Digest, String)> = Vec::new();
        let mut stopped: Option<(String, usize)> = None;
        for (i, (d, m)) in letters.iter().enumerate() {
            // The transport blocks; keep it off the runtime's workers.
            let outcome = tokio::task::block_in_place(|| transport.send(m));
            match outcome {
                Ok(_) => {
                    out!(
                        "Đã gửi: {} <{}> — {} việc quá hạn, {} việc {}.",
                        d.unit,
                        d.email,
                        d.overdue.len(),
                        d.due_soon.len(),
                        soon_words(o.days)
                    );
                    sent.push(d);
                }
                Err(e) => match failure(&e) {
                    (why, true) => {
                        eprintln!(
                            "dondoc: không gửi được thư tới {} <{}>: {why}",
                            d.unit, d.email
                        );
                        refused.push((d, why));
                    }
                    (why, false) => {
                        stopped = Some((why, i));
                        break;
                    }
                },
            }
        }
        let server = format!("{host}:{port}");
        if let Some((why, at)) = stopped {
            let left: Vec<&Digest> = letters[at..].iter().map(|(d, _)| *d).collect();
            let done = if sent.is_empty() {
                "Chưa gửi được thư nào".to_string()
            } else {
                format!(
                    "Đã gửi {}/{total} thư trước khi lỗi: {}",
                    sent.len(),
                    names(&sent)
                )
            };
            return Err(CliError::Input(format!(
                "dừng gửi thư nhắc việc qua {server}: {why}. {done}. Chưa gửi: {}.",
                names(&left)
            )));
        }
        out!("Đã gửi {}/{total} thư nhắc việc qua {server}.", sent.len());
        if !refused.is_empty() {
            let who: Vec<&Digest> = refused.iter().map(|(d, _)| *d).collect();
            return Err(CliError::Input(format!(
                "{} thư bị máy chủ {server} từ chối: {}.",
                refused.len(),
                names(&who)
            )));
        }
    }
    if !unusable.is_empty() {
        return Err(CliError::Input(format!(
            "không gửi thư cho {} đơn vị có địa chỉ thư không dùng được: {}.",
            unusable.len(),
            names(&unusable)
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn item(reference: &str, window: &str, last_day: Date, days: i64) -> DigestItem {
        DigestItem {
            assignment_id: 1,
            plan: "390-KH/TU".into(),
            reference: reference.into(),
            task: "Xây dựng kế hoạch tuyên truyền".into(),
            window: window.into(),
            last_day,
            days,
        }
    }

    #[test]
    fn the_letter_says_counts_lists_and_how_to_stop() {
        let d = Digest {
            unit_id: 11,
            unit: "Huyện uỷ Bảo Lạc".into(),
            email: "baolac@caobang.gov.vn".into(),
            due_soon: vec![item(
                "V.1.1.6",
                "chậm nhất 23/01/2025",
                date(2025, 1, 23),
                3,
            )],
            overdue: vec![item(
                "V.1.1.1",
                "trong tháng 11/2024",
                date(2024, 11, 30),
                51,
            )],
        };
        assert_eq!(
            subject(&d, 7),
            "[dondoc] 1 việc quá hạn, 1 việc đến hạn trong 7 ngày — Huyện uỷ Bảo Lạc"
        );
        let b = body(&d, date(2025, 1, 20), 7);
        let overdue = b.find("V.1.1.1").unwrap();
        let soon = b.find("V.1.1.6").unwrap();
        assert!(overdue < soon, "{b}");
        assert!(b.contains("trong tháng 11/2024 (hạn cuối 30/11/2024) — quá hạn 51 ngày"));
        assert!(b.contains("Thời hạn: chậm nhất 23/01/2025 — còn 3 ngày"));
        assert!(
            b.trim_end()
                .lines()
                .last()
                .unwrap()
                .ends_with("dondoc unit reminders \"Huyện uỷ Bảo Lạc\" --off")
        );
        let only_late = Digest {
            due_soon: Vec::new(),
            ..d
        };
        assert_eq!(
            subject(&only_late, 7),
            "[dondoc] 1 việc quá hạn — Huyện uỷ Bảo Lạc"
        );
    }

    #[test]
    fn servers_and_long_tasks() {
        assert_eq!(
            server("127.0.0.1:2525").unwrap(),
            ("127.0.0.1".into(), 2525)
        );
        assert_eq!(server("[::1]:25").unwrap(), ("::1".into(), 25));
        assert!(server("mail.example.vn").is_err());
        assert!(server("mail.example.vn:0").is_err());
        assert!(server(":25").is_err());
        let long = "Xây dựng kế hoạch ".repeat(30);
        let short = shorten(&long);
        assert!(short.ends_with('…') && short.chars().count() <= TASK_CHARS + 1);
    }
}

/// The digest once a day at `at` (Vietnam time) while the service runs.
/// A failed round is said on stderr and the next day is tried again; a
/// service started after the hour sends the next day.
pub fn daily(
    store: Store,
    clock: dondoc_web::Clock,
    smtp: String,
    from: String,
    at: &str,
) -> Result<()> {
    let (hour, minute) = at
        .split_once(':')
        .and_then(|(h, m)| Some((h.parse::<i8>().ok()?, m.parse::<i8>().ok()?)))
        .filter(|(h, m)| (0..24).contains(h) && (0..60).contains(m))
        .ok_or_else(|| CliError::Usage(format!("giờ gửi thư «{at}» không hợp lệ (ví dụ 07:00)")))?;
    server(&smtp)?;
    tokio::spawn(async move {
        loop {
            let wait = until_next(hour, minute, jiff::Timestamp::now());
            tokio::time::sleep(wait).await;
            let options = Options {
                today: clock.today(),
                days: 7,
                smtp: Some(smtp.clone()),
                from: from.clone(),
                dry_run: false,
            };
            if let Err(e) = run(&store, options).await {
                eprintln!("dondoc: thư nhắc việc hôm nay chưa gửi hết: {e}");
            }
            // Past the minute, so one day sends once.
            tokio::time::sleep(Duration::from_secs(61)).await;
        }
    });
    Ok(())
}

/// Time from `now` to the next `hour:minute` in Vietnam (UTC+7).
fn until_next(hour: i8, minute: i8, now: jiff::Timestamp) -> Duration {
    let vn = dondoc_core::text::VIETNAM;
    let here = vn.to_datetime(now);
    let mut next = here.date().at(hour, minute, 0, 0);
    if next <= here {
        next = next.checked_add(jiff::Span::new().days(1)).unwrap_or(next);
    }
    let target = vn.to_timestamp(next).unwrap_or(now);
    let secs = target.as_second().saturating_sub(now.as_second()).max(1);
    Duration::from_secs(secs as u64)
}

#[cfg(test)]
mod daily_tests {
    use super::until_next;

    #[test]
    fn the_next_hour_is_today_or_tomorrow() {
        // 2025-01-20 06:00 in Vietnam is 2025-01-19 23:00 UTC.
        let six: jiff::Timestamp = "2025-01-19T23:00:00Z".parse().unwrap();
        assert_eq!(until_next(7, 0, six).as_secs(), 3600);
        let eight: jiff::Timestamp = "2025-01-20T01:00:00Z".parse().unwrap();
        assert_eq!(until_next(7, 0, eight).as_secs(), 23 * 3600);
    }
}
