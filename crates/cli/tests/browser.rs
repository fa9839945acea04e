//! The service in a real browser: headless Chromium (Debian's package)
//! driven through chromedriver, against the real binary on a fresh
//! database. Screenshots of the pages go to `docs/screenshots/` for the
//! README.
//!
//! Without Chromium the test says so and passes, unless
//! `DONDOC_REQUIRE_BROWSER=1` (set by `scripts/test`), when it fails.

use fantoccini::{Client, ClientBuilder, Locator};
use std::io::{BufRead, BufReader};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
pub const PASSWORD: &str = "dondoc-2025";

/// A child process killed when dropped.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `dondoc serve --demo` on a free port and waits for its line
/// `dondoc: listening on http://ADDR`.
fn start_server(db: &Path, today: &str) -> (Running, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_dondoc"))
        .arg("--db")
        .arg(db)
        .args(["serve", "--demo", "--today", today, "--addr", "127.0.0.1:0"])
        .env_remove("DATABASE_URL")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("dondoc starts");
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if let Some(url) = line.strip_prefix("dondoc: listening on ") {
                let _ = tx.send(url.to_string());
            }
        }
    });
    let url = rx
        .recv_timeout(Duration::from_secs(60))
        .expect("the server says where it listens");
    (Running(child), url)
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn start_driver() -> (Running, u16) {
    let port = free_port();
    let child = Command::new(CHROMEDRIVER)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver starts");
    // Poll until it accepts connections (bounded), rather than sleeping.
    let deadline = Instant::now() + Duration::from_secs(20);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "chromedriver did not start");
        std::thread::sleep(Duration::from_millis(50));
    }
    (Running(child), port)
}

async fn browser(port: u16, profile: &Path, width: u32, height: u32) -> Client {
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        serde_json::json!({
            "binary": CHROMIUM,
            "args": [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                format!("--user-data-dir={}", profile.display()),
                format!("--window-size={width},{height}"),
                "--lang=vi-VN",
            ],
        }),
    );
    ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{port}"))
        .await
        .expect("a browser session")
}

fn screenshots_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

async fn shot(c: &Client, name: &str) {
    let png = c.screenshot().await.unwrap();
    std::fs::write(screenshots_dir().join(format!("{name}.png")), png).unwrap();
}

async fn login(c: &Client, base: &str, username: &str) {
    c.goto(&format!("{base}/dang-nhap")).await.unwrap();
    c.find(Locator::Css("input[name=username]"))
        .await
        .unwrap()
        .send_keys(username)
        .await
        .unwrap();
    c.find(Locator::Css("input[name=password]"))
        .await
        .unwrap()
        .send_keys(PASSWORD)
        .await
        .unwrap();
    c.find(Locator::Css(
        "form[action='/dang-nhap'] button[type=submit]",
    ))
    .await
    .unwrap()
    .click()
    .await
    .unwrap();
    c.wait()
        .for_element(Locator::Css("form[action='/dang-xuat']"))
        .await
        .unwrap();
}

async fn logout(c: &Client) {
    c.find(Locator::Css("form[action='/dang-xuat'] button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    c.wait()
        .for_element(Locator::Css("input[name=username]"))
        .await
        .unwrap();
}

async fn body_text(c: &Client) -> String {
    c.find(Locator::Css("body"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

fn browser_available() -> bool {
    let here = Path::new(CHROMIUM).exists() && Path::new(CHROMEDRIVER).exists();
    if !here {
        assert!(
            std::env::var("DONDOC_REQUIRE_BROWSER").as_deref() != Ok("1"),
            "DONDOC_REQUIRE_BROWSER=1 but {CHROMIUM} or {CHROMEDRIVER} is missing (apt-get install chromium chromium-driver)"
        );
        eprintln!("Không có Chromium/chromedriver: bỏ qua kiểm thử trình duyệt");
    }
    here
}

/// What each walk needs: the service on a fresh database of its own, as of
/// `today`, and a driver to open browser windows on it. `None` where no
/// browser is installed (the walk is then skipped, as `browser_available`
/// says). Dropped in order: the driver, the service, then the folder.
struct Session {
    _driver: Running,
    _server: Running,
    dir: tempfile::TempDir,
    port: u16,
    base: String,
}

impl Session {
    fn start(db: &str, today: &str) -> Option<Session> {
        if !browser_available() {
            return None;
        }
        let dir = tempfile::tempdir().unwrap();
        let (server, base) = start_server(&dir.path().join(db), today);
        let (driver, port) = start_driver();
        Some(Session {
            _driver: driver,
            _server: server,
            dir,
            port,
            base,
        })
    }

    /// A window of its own profile, `width` × `height` pixels.
    async fn window(&self, profile: &str, width: u32, height: u32) -> Client {
        browser(self.port, &self.dir.path().join(profile), width, height).await
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_in_and_see_the_dashboard() {
    let Some(s) = Session::start("b.db", "2025-03-10") else {
        return;
    };
    let base = s.base.clone();
    let c = s.window("profile", 1280, 1000).await;

    // Not signed in: sent to the sign-in page, in Vietnamese.
    c.goto(&base).await.unwrap();
    assert!(
        c.current_url()
            .await
            .unwrap()
            .path()
            .ends_with("/dang-nhap")
    );
    shot(&c, "dang-nhap").await;

    // A wrong password is refused with a message, and no session.
    c.find(Locator::Css("input[name=username]"))
        .await
        .unwrap()
        .send_keys("baolac")
        .await
        .unwrap();
    c.find(Locator::Css("input[name=password]"))
        .await
        .unwrap()
        .send_keys("sai-mat-khau")
        .await
        .unwrap();
    c.find(Locator::Css("form[action='/dang-nhap'] button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let alert = c
        .wait()
        .for_element(Locator::Css("[role=alert]"))
        .await
        .unwrap();
    assert!(alert.text().await.unwrap().contains("không đúng"));

    login(&c, &base, "baolac").await;
    let text = body_text(&c).await;
    assert!(text.contains("Huyện uỷ Bảo Lạc"), "{text}");
    assert!(text.contains("Tổng quan"), "{text}");
    logout(&c).await;
    c.close().await.unwrap();
}

// ---------------------------------------------------------------------------
// A month of work, end to end: a unit reports, the owner sees it counted,
// then dates the provincial congress and the deadlines tied to it move.

/// English words that must not show on a Vietnamese page (whole words, any
/// case).
const NOT_VIETNAMESE: &[&str] = &[
    "Error",
    "Submit",
    "Login",
    "Dashboard",
    "null",
    "undefined",
    "pending",
];

/// What the browser itself writes on a file input (Debian's Chromium has no
/// Vietnamese for it), not the page's words.
const BROWSER_OWN: &[&str] = &["Choose File", "No file chosen"];

/// The page's visible text and title hold none of the English deny-list.
async fn assert_vietnamese(c: &Client, page: &str) {
    let mut text = body_text(c).await;
    text.push('\n');
    text.push_str(&c.title().await.unwrap());
    for own in BROWSER_OWN {
        text = text.replace(own, "");
    }
    let words: Vec<String> = text
        .split(|ch: char| !ch.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    for bad in NOT_VIETNAMESE {
        assert!(
            !words.iter().any(|w| *w == bad.to_lowercase()),
            "{page}: chữ tiếng Anh «{bad}» trên trang:\n{text}"
        );
    }
}

/// Waits for an element and returns its text.
async fn text_of(c: &Client, locator: Locator<'_>) -> String {
    c.wait()
        .for_element(locator)
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

/// Clicks a link or button found by a locator.
async fn click(c: &Client, locator: Locator<'_>) {
    c.wait()
        .for_element(locator)
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
}

/// Types into the input or textarea with this name, after clearing it.
async fn fill(c: &Client, name: &str, value: &str) {
    let field = c
        .find(Locator::Css(&format!("[name='{name}']")))
        .await
        .unwrap();
    field.clear().await.unwrap();
    field.send_keys(value).await.unwrap();
    assert_eq!(
        field.prop("value").await.unwrap().as_deref(),
        Some(value),
        "ô «{name}» không nhận đúng chữ đã gõ"
    );
}

/// Follows a link of the main navigation and waits for the page.
async fn nav(c: &Client, label: &str, ready: Locator<'_>) {
    click(
        c,
        Locator::XPath(&format!(
            "//nav[@aria-label='Chức năng chính']/a[normalize-space()='{label}']"
        )),
    )
    .await;
    c.wait().for_element(ready).await.unwrap();
    let current = text_of(c, Locator::Css("nav a[aria-current=page]")).await;
    assert_eq!(current, label);
}

/// A screenshot of the whole page at this width (the window made as tall
/// as the page, at most `max_height`), then the window put back.
async fn shot_full(c: &Client, name: &str, width: u32, max_height: u32) {
    let (w0, h0) = c.get_window_size().await.unwrap();
    c.set_window_size(width, 800).await.unwrap();
    // The window is taller than the page it shows (the browser's own bars,
    // even headless): add the difference.
    let sizes = c
        .execute(
            "return [document.documentElement.scrollHeight, window.outerHeight - window.innerHeight]",
            vec![],
        )
        .await
        .unwrap();
    let px = |i: usize| sizes[i].as_u64().unwrap() as u32;
    let height = (px(0) + px(1)).clamp(400, max_height);
    c.set_window_size(width, height).await.unwrap();
    shot(c, name).await;
    c.set_window_size(w0 as u32, h0 as u32).await.unwrap();
}

/// The page fits the window's width: nothing to scroll sideways (a wide
/// table scrolls inside its own box).
async fn assert_fits_width(c: &Client, page: &str) {
    let sizes = c
        .execute(
            "return [document.documentElement.scrollWidth, document.documentElement.clientWidth]",
            vec![],
        )
        .await
        .unwrap();
    let (content, window) = (sizes[0].as_u64().unwrap(), sizes[1].as_u64().unwrap());
    if content > window {
        // Name the widest thing that sticks out, to say what to fix.
        let culprit = c
            .execute(
                "const w = document.documentElement.clientWidth; let worst = null;
                 for (const e of document.querySelectorAll('body *')) {
                   const r = e.getBoundingClientRect();
                   if (r.right > w + 1 && (!worst || r.width < worst.getBoundingClientRect().width)) worst = e;
                 }
                 return worst ? worst.outerHTML.slice(0, 300) : '';",
                vec![],
            )
            .await
            .unwrap();
        panic!("{page}: trang rộng {content}px, cửa sổ {window}px (phải cuộn ngang): {culprit}");
    }
}

/// A count as the page writes it ("1.250 (3%)" → 1250; "–" → 0).
fn vn_count(text: &str) -> i64 {
    let first = text.split_whitespace().next().unwrap_or("");
    if first == "–" {
        return 0;
    }
    first
        .replace('.', "")
        .parse()
        .unwrap_or_else(|_| panic!("«{text}» không phải một số"))
}

/// 1250 → "1.250".
fn vn_number(n: i64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(ch);
    }
    out
}

const MONTHLY: &str = "Hằng tháng";
const MARCH: &str = "Tháng 03/2025";

/// The monthly report of March 2025 on the overview: (due, must send,
/// sent, on time).
async fn march_rates(c: &Client) -> (String, i64, i64, i64) {
    let row = c
        .find(Locator::XPath(&format!(
            "//table[contains(@class,'rates')]/tbody/tr[th[normalize-space()='{MONTHLY} · {MARCH}']]"
        )))
        .await
        .expect("a line for the monthly report of March 2025");
    let cells = row.find_all(Locator::Css("td")).await.unwrap();
    let mut texts = Vec::new();
    for cell in &cells {
        texts.push(cell.text().await.unwrap());
    }
    assert!(texts.len() >= 6, "{texts:?}");
    (
        texts[0].clone(),
        vn_count(&texts[1]),
        vn_count(&texts[2]),
        vn_count(&texts[4]),
    )
}

/// The indicators reported, as (form field, label on the overview, value).
const FIGURES: &[(&str, &str, i64)] = &[
    ("ct_tin_bai_bao_chi", "Tin, bài trên báo chí", 12),
    (
        "ct_hoi_nghi",
        "Hội nghị phổ biến, quán triệt, thông tin, tuyên truyền",
        3,
    ),
    (
        "ct_luot_nguoi_du_hoi_nghi",
        "Lượt người tham dự hội nghị",
        1250,
    ),
];

/// The total of an indicator for March 2025 in the monthly figures table,
/// as written.
async fn march_total(c: &Client, label: &str) -> String {
    let section = c
        .find(Locator::XPath(
            "//section[h2[normalize-space()='Số liệu báo cáo hằng tháng theo kỳ']]",
        ))
        .await
        .expect("the monthly figures");
    let Ok(table) = section.find(Locator::Css("table")).await else {
        // No report sent yet: no table, and a sentence that says so.
        let said = section.text().await.unwrap();
        assert!(
            said.contains("Chưa có số liệu từ báo cáo đã nộp."),
            "{said}"
        );
        return "–".to_string();
    };
    let heads = table.find_all(Locator::Css("thead th")).await.unwrap();
    let mut column = None;
    for (i, h) in heads.iter().enumerate() {
        if h.text().await.unwrap().trim() == "03/2025" {
            column = Some(i);
        }
    }
    let column = column.expect("a column for 03/2025");
    table
        .find(Locator::XPath(&format!(
            ".//tbody/tr[th[starts-with(normalize-space(), '{label}')]]/td[{column}]"
        )))
        .await
        .unwrap_or_else(|_| panic!("a line for «{label}»"))
        .text()
        .await
        .unwrap()
        .trim()
        .to_string()
}

/// The deadline of a task on the plan page, in words, and whether it is
/// marked as waiting for a date.
async fn plan_task_due(c: &Client, reference: &str) -> (String, bool) {
    let task = c
        .find(Locator::Css(&format!("li[id='nv-{reference}']")))
        .await
        .unwrap_or_else(|_| panic!("task {reference} on the plan"));
    let due = task.find(Locator::Css("dd.due")).await.unwrap();
    let top = task.find(Locator::Css(".task-top")).await.unwrap();
    (
        due.text().await.unwrap(),
        top.text().await.unwrap().contains("chờ ngày"),
    )
}

/// The task whose deadline is "20 ngày trước khi khai mạc Đại hội XX Đảng
/// bộ tỉnh", and the one "chậm nhất 01 tuần trước" its opening (among
/// others).
const TWENTY_DAYS: &str = "V.1.7.1.2";
const ONE_WEEK: &str = "V.1.1.4";
const NEWSPAPER: &str = "V.1.8.1.2";

/// Polls (bounded) until the browser shows a confirm dialog, and accepts it.
async fn accept_confirm(c: &Client) -> String {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        match c.get_alert_text().await {
            Ok(text) => {
                c.accept_alert().await.unwrap();
                return text;
            }
            Err(_) if Instant::now() < deadline => {
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            Err(e) => panic!("no confirm dialog: {e}"),
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_unit_reports_and_the_owner_dates_the_congress() {
    let Some(s) = Session::start("b.db", "2025-03-10") else {
        return;
    };
    let base = s.base.clone();
    let c = s.window("profile", 1280, 1000).await;

    // The owner first: the March report and its figures as they stand, and
    // the congress deadlines still waiting for a date.
    login(&c, &base, "chutri").await;
    c.wait().for_element(Locator::Id("ty-le")).await.unwrap();
    assert_vietnamese(&c, "Tổng quan (trước)").await;
    let (_, expected_before, sent_before, on_time_before) = march_rates(&c).await;
    let mut totals_before = Vec::new();
    for (_, label, _) in FIGURES {
        totals_before.push(vn_count(&march_total(&c, label).await));
    }
    nav(&c, "Kế hoạch", Locator::Id("nhiem-vu")).await;
    let (due, waiting) = plan_task_due(&c, TWENTY_DAYS).await;
    assert!(waiting, "{due}");
    assert!(
        due.contains("chờ ngày khai mạc Đại hội XX Đảng bộ tỉnh"),
        "{due}"
    );
    logout(&c).await;

    // 1. The officer of Huyện uỷ Bảo Lạc, on a phone, fills in March.
    let phone = s.window("phone", 390, 844).await;
    login(&phone, &base, "baolac").await;
    nav(&phone, "Báo cáo", Locator::Id("bao-cao-phai-nop")).await;
    assert_vietnamese(&phone, "Báo cáo (đơn vị)").await;
    assert_fits_width(&phone, "Báo cáo (điện thoại)").await;
    let owed_row = format!(
        "//section[@aria-labelledby='bao-cao-phai-nop']//tbody/tr[td[1][normalize-space()='{MONTHLY}'] and td[2][normalize-space()='{MARCH}']]"
    );
    let line = text_of(&phone, Locator::XPath(&owed_row)).await;
    assert!(line.contains("chưa nộp"), "{line}");
    click(&phone, Locator::XPath(&format!("{owed_row}//a"))).await;
    phone
        .wait()
        .for_element(Locator::Css("form.report-form"))
        .await
        .unwrap();
    let title = text_of(&phone, Locator::Css("h1")).await;
    assert_eq!(title, format!("Báo cáo {MARCH} — Huyện uỷ Bảo Lạc"));
    assert!(body_text(&phone).await.contains("Ban Tuyên giáo Tỉnh uỷ"));
    for (name, _, value) in FIGURES {
        fill(&phone, name, &value.to_string()).await;
    }
    let narrative = "Trong tháng 3/2025, Huyện uỷ Bảo Lạc tổ chức 3 hội nghị quán triệt, \
                     tuyên truyền về đại hội đảng bộ các cấp với 1.250 lượt người dự; \
                     Báo Cao Bằng và trang thông tin điện tử của huyện đăng 12 tin, bài.";
    fill(&phone, "narrative", narrative).await;
    assert_vietnamese(&phone, "Biểu mẫu báo cáo").await;
    assert_fits_width(&phone, "Biểu mẫu báo cáo (điện thoại)").await;
    shot_full(&phone, "bao-cao-dien-thoai", 390, 6000).await;
    let submit = phone
        .find(Locator::Css(
            "form.report-form button[name=hanh_dong][value=nop]",
        ))
        .await
        .unwrap();
    assert_eq!(submit.text().await.unwrap(), "Nộp báo cáo");
    submit.click().await.unwrap();
    let notice = text_of(&phone, Locator::Css("p.notice[role=status]")).await;
    assert_eq!(notice, "Đã nộp báo cáo.");
    let facts = text_of(&phone, Locator::Css("dl.facts")).await;
    assert!(facts.contains("đã nộp"), "{facts}");
    assert!(facts.contains("Nộp lần đầu\n10/03/2025"), "{facts}");
    for (name, _, value) in FIGURES {
        let kept = phone
            .find(Locator::Css(&format!("[name='{name}']")))
            .await
            .unwrap()
            .prop("value")
            .await
            .unwrap();
        assert_eq!(kept.as_deref(), Some(value.to_string().as_str()), "{name}");
    }
    let kept = phone
        .find(Locator::Css("textarea[name=narrative]"))
        .await
        .unwrap()
        .prop("value")
        .await
        .unwrap();
    assert_eq!(kept.as_deref(), Some(narrative));
    assert_vietnamese(&phone, "Báo cáo đã nộp").await;
    // Back on the list, the line says so.
    click(
        &phone,
        Locator::XPath("//main//p/a[normalize-space()='Báo cáo']"),
    )
    .await;
    phone
        .wait()
        .for_element(Locator::Id("bao-cao-phai-nop"))
        .await
        .unwrap();
    let line = text_of(&phone, Locator::XPath(&owed_row)).await;
    // (The day of first submission is a column hidden at phone width.)
    assert!(
        line.contains("đã nộp") && line.contains("đúng hạn") && line.contains("Xem"),
        "{line}"
    );
    logout(&phone).await;
    phone.close().await.unwrap();

    // 2. The owner sees one more report in, and its figures counted.
    login(&c, &base, "chutri").await;
    nav(&c, "Tổng quan", Locator::Id("ty-le")).await;
    let (due, expected_after, sent_after, on_time_after) = march_rates(&c).await;
    assert_eq!(expected_after, expected_before);
    assert_eq!(sent_after, sent_before + 1, "hạn nộp {due}");
    assert_eq!(on_time_after, on_time_before + 1, "hạn nộp {due}");
    for ((_, label, value), before) in FIGURES.iter().zip(&totals_before) {
        assert_eq!(
            march_total(&c, label).await,
            vn_number(before + value),
            "{label}"
        );
    }
    assert!(body_text(&c).await.contains("1.250"));
    assert_vietnamese(&c, "Tổng quan (sau)").await;
    shot_full(&c, "tong-quan", 1280, 8000).await;

    // The report waits for the owner's review in the list.
    nav(&c, "Báo cáo", Locator::Id("bao-cao-da-gui")).await;
    let waiting = text_of(
        &c,
        Locator::XPath(&format!(
            "//section[@aria-labelledby='bao-cao-da-gui']//tbody/tr[td[1][normalize-space()='Huyện uỷ Bảo Lạc'] and td[3][normalize-space()='{MARCH}']]"
        )),
    )
    .await;
    assert!(waiting.contains("đã nộp"), "{waiting}");
    assert_vietnamese(&c, "Báo cáo (chủ trì)").await;

    // 3. The provincial congress gets its dates; the preview first.
    nav(&c, "Lịch", Locator::Css("ul.events")).await;
    assert_vietnamese(&c, "Lịch").await;
    click(&c, Locator::LinkText("Đại hội XX Đảng bộ tỉnh")).await;
    c.wait()
        .for_element(Locator::Css("input[name=start]"))
        .await
        .unwrap();
    let facts = text_of(&c, Locator::Css("dl.pairs")).await;
    assert!(facts.contains("chưa có ngày"), "{facts}");
    assert_vietnamese(&c, "Sự kiện").await;
    fill(&c, "start", "14/10/2025").await;
    fill(&c, "end", "16/10/2025").await;
    click(
        &c,
        Locator::XPath("//button[normalize-space()='Xem trước thay đổi']"),
    )
    .await;
    c.wait()
        .for_element(Locator::Css("ol.changes"))
        .await
        .unwrap();
    let heading = text_of(&c, Locator::Css("h1")).await;
    assert_eq!(heading, "Xem trước: Đại hội XX Đảng bộ tỉnh");
    let page = body_text(&c).await;
    assert!(
        page.contains("chưa có ngày → 14/10/2025 – 16/10/2025"),
        "{page}"
    );
    let notice = text_of(&c, Locator::Css("p.notice[role=status]")).await;
    assert!(notice.starts_with("Chưa lưu gì. Khi lưu, "), "{notice}");
    let changes = c.find_all(Locator::Css("ol.changes > li")).await.unwrap();
    assert!(
        notice.contains(&format!("{} thời hạn sẽ dời theo", changes.len())),
        "{notice}"
    );
    let change = |reference: &str| {
        format!(
            "//ol[@class='changes']/li[.//p[@class='change-label'][starts-with(normalize-space(), 'Nhiệm vụ {reference} ')]]"
        )
    };
    let twenty = text_of(&c, Locator::XPath(&change(TWENTY_DAYS))).await;
    assert!(
        twenty.contains("chậm nhất 24/09/2025") && twenty.contains("từ chờ ngày → 24/09/2025"),
        "{twenty}"
    );
    let paper = text_of(&c, Locator::XPath(&change(NEWSPAPER))).await;
    assert!(
        paper.contains("Báo Cao Bằng") && paper.contains("chậm nhất 13/10/2025"),
        "{paper}"
    );
    assert_vietnamese(&c, "Xem trước").await;
    shot_full(&c, "lich-xem-truoc", 1280, 6000).await;

    // Saving asks once more, then recomputes as previewed.
    click(
        &c,
        Locator::XPath("//button[normalize-space()='Lưu ngày mới']"),
    )
    .await;
    assert_eq!(accept_confirm(&c).await, "Lưu ngày mới cho sự kiện này?");
    let saved = text_of(&c, Locator::Css("p.notice[role=status]")).await;
    assert_eq!(
        saved,
        format!(
            "Đã lưu ngày của sự kiện; {} thời hạn đã được tính lại theo ngày mới.",
            changes.len()
        )
    );
    let facts = text_of(&c, Locator::Css("dl.pairs")).await;
    assert!(facts.contains("14/10/2025 – 16/10/2025"), "{facts}");
    assert_vietnamese(&c, "Sự kiện (đã lưu)").await;

    // The plan now gives the dates instead of "chờ ngày".
    nav(&c, "Kế hoạch", Locator::Id("nhiem-vu")).await;
    let (due, waiting) = plan_task_due(&c, TWENTY_DAYS).await;
    assert_eq!(due, "chậm nhất 24/09/2025");
    assert!(!waiting, "{due}");
    let (due, _) = plan_task_due(&c, ONE_WEEK).await;
    assert!(due.contains("chậm nhất 07/10/2025"), "{due}");
    assert_vietnamese(&c, "Kế hoạch").await;
    let task = c
        .find(Locator::Css(&format!("li[id='nv-{TWENTY_DAYS}']")))
        .await
        .unwrap();
    c.execute(
        "arguments[0].scrollIntoView({block: 'center'})",
        vec![serde_json::to_value(&task).unwrap()],
    )
    .await
    .unwrap();
    shot(&c, "ke-hoach").await;

    // The unit page of Huyện uỷ Bảo Lạc, its own congress deadline moved too.
    nav(&c, "Đơn vị", Locator::Css("ul.unit-tree")).await;
    assert_vietnamese(&c, "Đơn vị").await;
    click(&c, Locator::LinkText("Huyện uỷ Bảo Lạc")).await;
    c.wait()
        .for_element(Locator::XPath("//h1[normalize-space()='Huyện uỷ Bảo Lạc']"))
        .await
        .unwrap();
    let page = body_text(&c).await;
    assert!(page.contains("Nhiệm vụ được giao"), "{page}");
    assert!(page.contains("07/10/2025"), "{page}");
    assert_vietnamese(&c, "Đơn vị Huyện uỷ Bảo Lạc").await;
    shot_full(&c, "don-vi", 1280, 3000).await;
    // Its calendar box and reminder form fit a phone too.
    let (w0, h0) = c.get_window_size().await.unwrap();
    c.set_window_size(360, 800).await.unwrap();
    assert_fits_width(&c, "Đơn vị (360 px)").await;
    c.set_window_size(w0 as u32, h0 as u32).await.unwrap();

    // 4. The overview's charts, now that a report is in and the congress
    // is dated.
    nav(&c, "Tổng quan", Locator::Id("bieu-do")).await;
    charts_shot(&c).await;

    logout(&c).await;
    c.close().await.unwrap();
}

/// The overview's charts: three SVG images, each within its column at full
/// width and at 360 px; a picture of the section for the README.
async fn charts_shot(c: &Client) {
    let section = c
        .find(Locator::Css("section.charts"))
        .await
        .expect("the charts section");
    let svgs = section
        .find_all(Locator::Css("svg[role=img]"))
        .await
        .unwrap();
    assert_eq!(svgs.len(), 3, "three charts on the overview");
    for heading in [
        "Tiến độ theo các đợt",
        "Tỷ lệ gửi báo cáo theo cấp",
        "Số liệu kết quả theo đợt",
    ] {
        text_of(
            c,
            Locator::XPath(&format!(
                "//section[contains(@class,'charts')]//h3[normalize-space()='{heading}']"
            )),
        )
        .await;
    }
    let fits = "const s = arguments[0].getBoundingClientRect();
        return [...arguments[0].querySelectorAll('svg')].map(g => {
          const r = g.getBoundingClientRect();
          return r.width > 100 && r.height > 50 && r.right <= s.right + 1;
        });";
    let arg = vec![serde_json::to_value(&section).unwrap()];
    let shown = c.execute(fits, arg.clone()).await.unwrap();
    assert_eq!(
        shown,
        serde_json::json!([true, true, true]),
        "charts drawn within the column"
    );

    // The whole section in the window, then its picture alone.
    let (w0, h0) = c.get_window_size().await.unwrap();
    let sizes = c
        .execute(
            "return [Math.ceil(arguments[0].getBoundingClientRect().height), window.outerHeight - window.innerHeight]",
            arg.clone(),
        )
        .await
        .unwrap();
    let px = |i: usize| sizes[i].as_u64().unwrap() as u32;
    c.set_window_size(1280, (px(0) + px(1) + 40).clamp(600, 6000))
        .await
        .unwrap();
    c.execute("arguments[0].scrollIntoView({block: 'start'})", arg.clone())
        .await
        .unwrap();
    let png = section.screenshot().await.unwrap();
    assert!(png.starts_with(b"\x89PNG"), "a PNG of the charts");
    std::fs::write(screenshots_dir().join("dashboard-charts.png"), png).unwrap();

    // At phone width the charts shrink with the page.
    c.set_window_size(360, 800).await.unwrap();
    assert_fits_width(c, "Tổng quan (360 px)").await;
    let shown = c.execute(fits, arg).await.unwrap();
    assert_eq!(
        shown,
        serde_json::json!([true, true, true]),
        "charts at 360 px"
    );
    c.set_window_size(w0 as u32, h0 as u32).await.unwrap();
}

// ---------------------------------------------------------------------------
// A plan read from its text: the owner pastes a district committee's plan,
// checks the draft against the source, corrects a task and creates the plan.

/// Pastes `text` into the import form (set at once, as a paste would be:
/// typing a plan key by key is slow), asks for it to be read and waits for
/// the draft's review page.
async fn read_pasted(c: &Client, text: &str) {
    let pasted = c
        .wait()
        .for_element(Locator::Css("textarea[name=van_ban]"))
        .await
        .unwrap();
    c.execute(
        "arguments[0].value = arguments[1]",
        vec![serde_json::to_value(&pasted).unwrap(), text.into()],
    )
    .await
    .unwrap();
    assert_eq!(pasted.prop("value").await.unwrap().as_deref(), Some(text));
    click(
        c,
        Locator::XPath("//form[@action='/nhap-ke-hoach']//button[normalize-space()='Đọc văn bản']"),
    )
    .await;
    c.wait()
        .for_element(Locator::XPath(
            "//h1[normalize-space()='Kiểm tra bản nháp kế hoạch']",
        ))
        .await
        .unwrap();
}

/// The district committee's plan the import tests read (none of its units is
/// in the demo's directory).
fn district_plan() -> String {
    std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../import/tests/plans/huyen-uy.txt"
    ))
    .expect("đọc huyen-uy.txt")
}

/// A source line of one task (its text is on line 55, its deadline on this
/// one), and the time words marked in it.
const SOURCE_LINE: &str = "dòng 57";
const TIME_WORDS: &str = "Hoàn thành trước ngày 28/02/2025.";
/// The only line the reader leaves aside.
const NOT_UNDERSTOOD: &str =
    "dòng 113 Kèm theo danh mục khẩu hiệu gửi qua hệ thống thông tin điều hành.";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_owner_imports_a_plan_from_its_text() {
    let Some(s) = Session::start("b.db", "2025-03-10") else {
        return;
    };
    let base = s.base.clone();
    let c = s.window("profile", 1280, 1000).await;

    // The plan page leads its owner to the import form.
    login(&c, &base, "chutri").await;
    nav(&c, "Kế hoạch", Locator::Id("nhiem-vu")).await;
    click(&c, Locator::Css("main a[href='/nhap-ke-hoach']")).await;
    c.wait()
        .for_element(Locator::Css("textarea[name=van_ban]"))
        .await
        .unwrap();
    assert_vietnamese(&c, "Nhập kế hoạch").await;
    read_pasted(&c, &district_plan()).await;
    let review = c.current_url().await.unwrap();
    let id = review.path().strip_prefix("/nhap-ke-hoach/").unwrap_or("");
    assert!(
        !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()),
        "{review}"
    );
    let number = c
        .find(Locator::Css("input[name=so]"))
        .await
        .unwrap()
        .prop("value")
        .await
        .unwrap();
    assert_eq!(number.as_deref(), Some("112-KH/HU"));

    // A task beside its source lines, its time words marked.
    let task = c
        .find(Locator::XPath(&format!(
            "//article[contains(@class,'import-task')][.//div[contains(@class,'source')]/p[span[@class='line-no'][normalize-space()='{SOURCE_LINE}']]]"
        )))
        .await
        .expect("the task read from line 57");
    let line = task
        .find(Locator::XPath(&format!(
            ".//div[contains(@class,'source')]/p[span[normalize-space()='{SOURCE_LINE}']]"
        )))
        .await
        .unwrap();
    assert_eq!(
        line.text().await.unwrap(),
        format!("{SOURCE_LINE} Thời gian thực hiện: {TIME_WORDS}")
    );
    let mark = line.find(Locator::Css("mark")).await.unwrap();
    assert_eq!(mark.text().await.unwrap(), TIME_WORDS);
    let reference = task
        .find(Locator::Css("h3 .ref"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let source = task
        .find(Locator::Css("div.source"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        source.contains("biên soạn tài liệu tuyên truyền"),
        "{source}"
    );

    // Names the directory does not know are proposed as new units.
    let mut proposed = Vec::new();
    for name in c
        .find_all(Locator::Css("ul.name-list li.new"))
        .await
        .unwrap()
    {
        proposed.push(name.text().await.unwrap());
    }
    assert!(
        proposed.iter().all(|n| n.ends_with(" — đề xuất thêm mới")),
        "{proposed:?}"
    );
    assert!(
        proposed
            .iter()
            .any(|n| n == "Huyện đoàn — đề xuất thêm mới"),
        "{proposed:?}"
    );

    // The line not understood, with its number.
    let heading = text_of(&c, Locator::Css("h2#chua-hieu")).await;
    assert_eq!(heading, "Dòng chưa hiểu (1)");
    let unparsed = text_of(
        &c,
        Locator::Css("section[aria-labelledby=chua-hieu] ul.unparsed"),
    )
    .await;
    assert_eq!(unparsed, NOT_UNDERSTOOD);
    assert_vietnamese(&c, "Kiểm tra bản nháp").await;

    // The picture, at desktop width: the page from its top down to this
    // task, above the action bar that stays at the bottom of the window.
    c.execute("window.scrollTo(0, 0)", vec![]).await.unwrap();
    let sizes = c
        .execute(
            "return [Math.ceil(arguments[0].getBoundingClientRect().bottom + window.scrollY),
                     window.outerHeight - window.innerHeight,
                     Math.ceil(document.querySelector('.import-actions').getBoundingClientRect().height)]",
            vec![serde_json::to_value(&task).unwrap()],
        )
        .await
        .unwrap();
    let px = |i: usize| sizes[i].as_u64().unwrap() as u32;
    shot_full(&c, "nhap-ke-hoach", 1280, px(0) + px(1) + px(2) + 24).await;
    let (w0, h0) = c.get_window_size().await.unwrap();
    c.set_window_size(360, 800).await.unwrap();
    assert_fits_width(&c, "Kiểm tra bản nháp (360 px)").await;
    c.set_window_size(w0 as u32, h0 as u32).await.unwrap();

    // A correction to the task's text, saved as a draft.
    let content = task
        .find(Locator::Css("textarea[name$='_noi_dung']"))
        .await
        .unwrap();
    let field = content.attr("name").await.unwrap().unwrap();
    let corrected = format!(
        "{} (đã soát)",
        content.prop("value").await.unwrap().unwrap()
    );
    content.send_keys(" (đã soát)").await.unwrap();
    assert_eq!(
        content.prop("value").await.unwrap().as_deref(),
        Some(&*corrected)
    );
    click(
        &c,
        Locator::XPath("//button[normalize-space()='Lưu sửa đổi']"),
    )
    .await;
    let saved = text_of(&c, Locator::Css("p.notice[role=status]")).await;
    assert_eq!(saved, "Đã lưu sửa đổi.");
    let kept = c
        .find(Locator::Css(&format!("textarea[name='{field}']")))
        .await
        .unwrap()
        .prop("value")
        .await
        .unwrap();
    assert_eq!(kept.as_deref(), Some(&*corrected));

    // Confirming asks once more, then the plan exists with the correction.
    click(
        &c,
        Locator::XPath("//button[normalize-space()='Xác nhận và tạo kế hoạch']"),
    )
    .await;
    assert_eq!(
        accept_confirm(&c).await,
        "Tạo kế hoạch từ bản nháp này? Các đơn vị mới sẽ được thêm vào danh mục."
    );
    let stored = c
        .wait()
        .for_element(Locator::Css(&format!("li[id='nv-{reference}']")))
        .await
        .unwrap_or_else(|_| panic!("task {reference} on the new plan"));
    let url = c.current_url().await.unwrap();
    assert_eq!(
        (url.path(), url.query()),
        ("/ke-hoach", Some("ke-hoach=112-KH%2FHU&ket-qua=da-tao"))
    );
    let heading = text_of(&c, Locator::Css("h1")).await;
    assert_eq!(heading, "Kế hoạch số 112-KH/HU");
    let shown = stored
        .find(Locator::XPath("./p[not(@class)]"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(shown, corrected);
    assert_vietnamese(&c, "Kế hoạch đã nhập").await;

    logout(&c).await;

    // Two plans now: every page, as every role, on a phone's width.
    c.set_window_size(360, 800).await.unwrap();
    for user in ["quantri", "chutri", "lanhdao", "baolac", "baocaobang"] {
        walk_every_page(&c, &base, user).await;
    }
    c.close().await.unwrap();
}

/// Signs in as `user` and opens each page a signed-in user may reach from
/// the menu, for each of the two plans where the page is a plan's, then a
/// unit, a task and a report it links to: each answers with its page (not
/// an error page), in Vietnamese, within the window's width, the plan in
/// view named.
async fn walk_every_page(c: &Client, base: &str, user: &str) {
    login(c, base, user).await;
    let mut pages: Vec<String> = vec![
        "/".into(),
        "/viec-cua-toi".into(),
        "/don-vi".into(),
        "/lich".into(),
        "/huong-dan?cum-tu=trong+qu%C3%BD+II%2F2025".into(),
        // The plan's tasks searched and filtered, and the late units of a
        // monthly report (with the đôn đốc button for its managers).
        "/ke-hoach?ke-hoach=1&tim=bao+chi&tinh-trang=qua-han".into(),
        "/bao-cao?ke-hoach=1&che-do=1&ky=2025-02&trang-thai=chua-nop".into(),
    ];
    for plan in [1, 2] {
        for page in ["/", "/ke-hoach", "/bao-cao"] {
            pages.push(format!("{page}?ke-hoach={plan}"));
        }
    }
    if matches!(user, "quantri" | "chutri") {
        pages.push("/nhat-ky".into());
        pages.push("/nhap-ke-hoach".into());
    }
    for page in &pages {
        c.goto(&format!("{base}{page}")).await.unwrap();
        let title = c.title().await.unwrap();
        let refused = [
            "Không tìm thấy",
            "Lỗi",
            "Không có quyền",
            "Dữ liệu chưa hợp lệ",
            "Thử lại sau",
        ];
        assert!(
            !refused.iter().any(|r| title.starts_with(r)),
            "{user} {page}: {title}"
        );
        assert_vietnamese(c, &format!("{user} {page}")).await;
        assert_fits_width(c, &format!("{user} {page} (360 px)")).await;
        if page.contains("ke-hoach=2") && page.starts_with("/ke-hoach") {
            let h1 = text_of(c, Locator::Css("h1")).await;
            assert_eq!(h1, "Kế hoạch số 112-KH/HU", "{user} {page}");
        }
    }
    // What the pages link to: a unit, a task, a report (the first of each).
    c.goto(&format!("{base}/viec-cua-toi")).await.unwrap();
    let mut links: Vec<String> = Vec::new();
    for css in ["a[href^='/nhiem-vu/']", "a[href^='/bao-cao/']"] {
        if let Ok(a) = c.find(Locator::Css(css)).await
            && let Ok(Some(href)) = a.attr("href").await
        {
            links.push(href);
        }
    }
    c.goto(&format!("{base}/don-vi")).await.unwrap();
    if let Ok(a) = c.find(Locator::Css("main a[href^='/don-vi/']")).await
        && let Ok(Some(href)) = a.attr("href").await
    {
        links.push(href);
    }
    assert!(!links.is_empty(), "{user}: nothing linked");
    for page in &links {
        c.goto(&format!("{base}{page}")).await.unwrap();
        let title = c.title().await.unwrap();
        assert!(
            !title.starts_with("Không tìm thấy"),
            "{user} {page}: {title}"
        );
        assert_fits_width(c, &format!("{user} {page} (360 px)")).await;
    }
    logout(c).await;
}

/// A conclusion in an issuer's own words, with one time the reader cannot
/// hold as a rule (`vào đợt chi trả gần nhất`) among tasks it reads.
const DOUBTFUL_CONCLUSION: &str = "VĂN PHÒNG CHÍNH PHỦ\n\nSố: 996/TB-VPCP\n\n\
Hà Nội, ngày 20 tháng 11 năm 2025\n\nTHÔNG BÁO\n\n\
Kết luận của Phó Thủ tướng về chi trả lương hưu trong mùa lũ\n\n\
Phó Thủ tướng kết luận như sau:\n\n\
1. Giao Bộ Tài chính chủ trì, phối hợp với Bộ Nội vụ hoàn thiện hồ sơ, hoàn thành trước ngày 30/12/2025.\n\n\
2. Bảo hiểm xã hội Việt Nam thực hiện chi trả gộp lương hưu cho người dân vùng lũ.\n\n\
- Thời gian thực hiện: vào đợt chi trả gần nhất.\n\n\
3. Giao Bộ Y tế hướng dẫn phòng, chống dịch bệnh sau lũ, hoàn thành trong tháng 12 năm 2025.\n";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_review_page_puts_doubtful_tasks_first_on_a_phone() {
    let Some(s) = Session::start("d.db", "2025-11-25") else {
        return;
    };
    let base = s.base.clone();
    // An officer on a phone: the page is read at 360 px from the start.
    let c = s.window("profile", 360, 800).await;
    login(&c, &base, "chutri").await;
    c.goto(&format!("{base}/nhap-ke-hoach")).await.unwrap();
    read_pasted(&c, DOUBTFUL_CONCLUSION).await;

    // The summary says how many need a look, and they come first.
    let summary = text_of(&c, Locator::Css("p.doubt-summary")).await;
    assert!(
        summary.starts_with("1 nhiệm vụ có điểm cần xem lại"),
        "{summary}"
    );
    let cards = c
        .find_all(Locator::Css("article.import-task"))
        .await
        .unwrap();
    assert_eq!(cards.len(), 3, "three tasks read");
    let first = &cards[0];
    assert!(
        first
            .attr("class")
            .await
            .unwrap()
            .unwrap_or_default()
            .contains("doubtful"),
        "the doubtful task first"
    );
    let doubts = first
        .find(Locator::Css("ul.doubts"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(doubts.contains("vào đợt chi trả gần nhất"), "{doubts}");
    // Its source lines are on the card: the reviewer sees where it came from.
    let source = first
        .find(Locator::Css("div.source"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(source.contains("Bảo hiểm xã hội Việt Nam"), "{source}");
    // The others follow, in the document's order, without doubts.
    for card in &cards[1..] {
        assert!(
            card.find(Locator::Css("ul.doubts")).await.is_err(),
            "{}",
            card.text().await.unwrap()
        );
    }
    assert_fits_width(&c, "Kiểm tra bản nháp có nhiệm vụ cần xem lại (360 px)").await;
    assert_vietnamese(&c, "Kiểm tra bản nháp (cần xem lại)").await;
    // The picture a phone shows: from the top down to the first card's end.
    let bottom = c
        .execute(
            "return Math.ceil(arguments[0].getBoundingClientRect().bottom + window.scrollY)",
            vec![serde_json::to_value(first).unwrap()],
        )
        .await
        .unwrap()
        .as_u64()
        .unwrap() as u32;
    shot_full(&c, "nhap-ke-hoach-can-xem-lai", 360, bottom + 200).await;
}
