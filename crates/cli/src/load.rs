//! `dondoc bench http`: the real server under load, measured from a second
//! process. Starts `dondoc serve --demo` on a fresh database, restarts it
//! on that (now existing) database to time start to first response, then
//! drives the dashboard, a unit's page and report submission with many
//! connections at once, and reports requests/s, latency percentiles and the
//! server's resident memory idle and under load.

use crate::error::{CliError, Result};
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::{Method, Request, StatusCode};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

type Http = Client<HttpConnector, Full<Bytes>>;

fn fail(what: impl std::fmt::Display) -> CliError {
    CliError::Input(format!("đo tải: {what}"))
}

struct Server {
    child: Child,
    base: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(db: &str, today: &str) -> Result<Server> {
    start_with(&std::env::current_exe().map_err(fail)?, db, today)
}

/// `start`, with another build of the server (to compare two builds).
fn start_with(exe: &std::path::Path, db: &str, today: &str) -> Result<Server> {
    let mut child = Command::new(exe)
        .args([
            "--db",
            db,
            "serve",
            "--demo",
            "--today",
            today,
            "--addr",
            "127.0.0.1:0",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(fail)?;
    let stdout = child
        .stdout
        .take()
        .ok_or_else(|| fail("không đọc được đầu ra"))?;
    let mut lines = BufReader::new(stdout).lines();
    loop {
        match lines.next() {
            Some(Ok(line)) => {
                if let Some(url) = line.strip_prefix("dondoc: listening on ") {
                    // Keep draining its output so the server never blocks on it.
                    std::thread::spawn(move || for _ in lines.by_ref() {});
                    return Ok(Server {
                        child,
                        base: url.to_string(),
                    });
                }
            }
            _ => return Err(fail("máy chủ không khởi động được")),
        }
    }
}

/// Resident memory of a process, in MB (Linux).
fn rss_mb(pid: u32) -> f64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map(|kb| kb / 1024.0)
        .unwrap_or(0.0)
}

struct Session {
    cookie: String,
    csrf: String,
}

async fn send(http: &Http, req: Request<Full<Bytes>>) -> Result<(StatusCode, Bytes, Vec<String>)> {
    let resp = http.request(req).await.map_err(fail)?;
    let status = resp.status();
    let cookies = resp
        .headers()
        .get_all(hyper::header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok().map(str::to_string))
        .collect();
    let body = resp.into_body().collect().await.map_err(fail)?.to_bytes();
    Ok((status, body, cookies))
}

async fn login(http: &Http, base: &str, user: &str) -> Result<Session> {
    let body =
        serde_json::json!({"username": user, "password": crate::serve::DEMO_PASSWORD}).to_string();
    let req = Request::post(format!("{base}/api/login"))
        .header("content-type", "application/json")
        .body(Full::new(Bytes::from(body)))
        .map_err(fail)?;
    let (status, body, cookies) = send(http, req).await?;
    if status != StatusCode::OK {
        return Err(fail(format!("đăng nhập {user}: {status}")));
    }
    let cookie = cookies
        .iter()
        .find_map(|c| {
            c.split(';')
                .next()
                .filter(|kv| kv.starts_with("dondoc_phien="))
        })
        .ok_or_else(|| fail("không có cookie phiên"))?
        .to_string();
    let v: serde_json::Value = serde_json::from_slice(&body).map_err(fail)?;
    let csrf = v["csrf_token"].as_str().unwrap_or_default().to_string();
    Ok(Session { cookie, csrf })
}

/// One kind of request, made fresh for each send (`i` numbers the request).
type MakeRequest = Arc<dyn Fn(u64) -> Request<Full<Bytes>> + Send + Sync>;

struct Outcome {
    requests: u64,
    errors: u64,
    seconds: f64,
    p50: f64,
    p99: f64,
    max: f64,
    rss_peak: f64,
}

async fn drive(
    http: &Http,
    pid: u32,
    connections: usize,
    seconds: f64,
    make: MakeRequest,
) -> Outcome {
    let stop = Arc::new(AtomicBool::new(false));
    let counter = Arc::new(AtomicU64::new(0));
    let errors = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let mut workers = Vec::new();
    for _ in 0..connections {
        let (http, stop, counter, errors, make) = (
            http.clone(),
            stop.clone(),
            counter.clone(),
            errors.clone(),
            make.clone(),
        );
        workers.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            while !stop.load(Ordering::Relaxed) {
                let i = counter.fetch_add(1, Ordering::Relaxed);
                let t = Instant::now();
                match send(&http, make(i)).await {
                    Ok((s, _, _)) if s.is_success() || s.is_redirection() => {}
                    _ => {
                        errors.fetch_add(1, Ordering::Relaxed);
                    }
                }
                latencies.push(t.elapsed().as_secs_f64() * 1e3);
            }
            latencies
        }));
    }
    let mut rss_peak: f64 = 0.0;
    while started.elapsed().as_secs_f64() < seconds {
        tokio::time::sleep(Duration::from_millis(100)).await;
        rss_peak = rss_peak.max(rss_mb(pid));
    }
    stop.store(true, Ordering::Relaxed);
    let mut all: Vec<f64> = Vec::new();
    for w in workers {
        all.extend(w.await.unwrap_or_default());
    }
    summarize(
        all,
        errors.load(Ordering::Relaxed),
        started.elapsed().as_secs_f64(),
        rss_peak,
    )
}

fn print(name: &str, o: &Outcome) {
    crate::out!(
        "{name:<22} {:>9.0} yêu cầu/giây   p50 {:>6.2} ms   p99 {:>6.2} ms   tối đa {:>7.2} ms   lỗi {}   RSS đỉnh {:.1} MB",
        o.requests as f64 / o.seconds,
        o.p50,
        o.p99,
        o.max,
        o.errors,
        o.rss_peak
    );
}

/// The officer's unit, from `/api/me`.
async fn unit_of(http: &Http, base: &str, s: &Session) -> Result<i64> {
    let req = Request::get(format!("{base}/api/me"))
        .header("cookie", s.cookie.clone())
        .body(Full::new(Bytes::new()))
        .map_err(fail)?;
    let (_, body, _) = send(http, req).await?;
    let v: serde_json::Value = serde_json::from_slice(&body).map_err(fail)?;
    v["user"]["unit_id"]
        .as_i64()
        .ok_or_else(|| fail("không biết đơn vị của tài khoản"))
}

/// (report path) of every monthly report expected so far: the units that
/// have not reported, per month of the plan up to `today`.
async fn report_keys(http: &Http, base: &str, s: &Session) -> Result<Vec<String>> {
    let mut keys = Vec::new();
    for period in ["2024-11", "2024-12", "2025-01", "2025-02", "2025-03"] {
        let req = Request::get(format!(
            "{base}/api/reports?status=missing&reporting_id=1&period={period}"
        ))
        .header("cookie", s.cookie.clone())
        .body(Full::new(Bytes::new()))
        .map_err(fail)?;
        let (status, body, _) = send(http, req).await?;
        if status != StatusCode::OK {
            return Err(fail(format!("danh sách chưa nộp {period}: {status}")));
        }
        let v: serde_json::Value = serde_json::from_slice(&body).map_err(fail)?;
        for u in v["missing"].as_array().into_iter().flatten() {
            if let Some(id) = u["unit_id"].as_i64() {
                keys.push(format!("/api/reports/1/{period}/{id}"));
            }
        }
    }
    if keys.is_empty() {
        return Err(fail("không có báo cáo nào để nộp"));
    }
    Ok(keys)
}

async fn drive_submissions(
    http: &Http,
    pid: u32,
    connections: usize,
    seconds: f64,
    base: &str,
    s: &Session,
    keys: Vec<String>,
) -> Outcome {
    let stop = Arc::new(AtomicBool::new(false));
    let errors = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let mut workers = Vec::new();
    for w in 0..connections {
        let mine: Vec<String> = keys.iter().skip(w).step_by(connections).cloned().collect();
        if mine.is_empty() {
            continue;
        }
        let (http, stop, errors) = (http.clone(), stop.clone(), errors.clone());
        let (base, cookie, csrf) = (base.to_string(), s.cookie.clone(), s.csrf.clone());
        workers.push(tokio::spawn(async move {
            let mut versions: Vec<Option<i64>> = vec![None; mine.len()];
            let mut latencies = Vec::new();
            let mut n: u64 = 0;
            while !stop.load(Ordering::Relaxed) {
                let k = (n as usize) % mine.len();
                n += 1;
                let body = serde_json::json!({
                    "figures": {"tin_bai_bao_chi": n % 50, "hoi_nghi": 2, "luot_nguoi_du_hoi_nghi": 120},
                    "narrative": "Số liệu đo tải",
                    "submit": true,
                    "version": versions[k],
                })
                .to_string();
                let req = Request::builder()
                    .method(Method::PUT)
                    .uri(format!("{base}{}", mine[k]))
                    .header("cookie", cookie.clone())
                    .header("x-csrf-token", csrf.clone())
                    .header("content-type", "application/json")
                    .body(Full::new(Bytes::from(body)))
                    .unwrap_or_default();
                let t = Instant::now();
                match send(&http, req).await {
                    Ok((st, body, _)) if st.is_success() => {
                        let v: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
                        versions[k] = v["report"]["version"].as_i64();
                    }
                    _ => {
                        errors.fetch_add(1, Ordering::Relaxed);
                    }
                }
                latencies.push(t.elapsed().as_secs_f64() * 1e3);
            }
            latencies
        }));
    }
    let mut rss_peak: f64 = 0.0;
    while started.elapsed().as_secs_f64() < seconds {
        tokio::time::sleep(Duration::from_millis(100)).await;
        rss_peak = rss_peak.max(rss_mb(pid));
    }
    stop.store(true, Ordering::Relaxed);
    let mut all = Vec::new();
    for w in workers {
        all.extend(w.await.unwrap_or_default());
    }
    summarize(
        all,
        errors.load(Ordering::Relaxed),
        started.elapsed().as_secs_f64(),
        rss_peak,
    )
}

fn summarize(mut all: Vec<f64>, errors: u64, seconds: f64, rss_peak: f64) -> Outcome {
    all.sort_by(f64::total_cmp);
    let pct = |p: f64| {
        all.get(((all.len() as f64 * p) as usize).min(all.len().saturating_sub(1)))
            .copied()
            .unwrap_or(0.0)
    };
    Outcome {
        requests: all.len() as u64,
        errors,
        seconds,
        p50: pct(0.50),
        p99: pct(0.99),
        max: all.last().copied().unwrap_or(0.0),
        rss_peak,
    }
}

pub async fn run(connections: usize, seconds: f64) -> Result<()> {
    let dir = std::env::temp_dir().join(format!("dondoc-do-tai-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(fail)?;
    let db = dir.join("bench.db").to_string_lossy().into_owned();
    let today = "2025-03-10";
    let http: Http = Client::builder(TokioExecutor::new())
        .pool_max_idle_per_host(connections)
        .build_http();

    // First start creates and fills the database; the second is timed.
    drop(start(&db, today)?);
    let t0 = Instant::now();
    let server = start(&db, today)?;
    loop {
        let req = Request::get(format!("{}/dang-nhap", server.base))
            .body(Full::new(Bytes::new()))
            .map_err(fail)?;
        if let Ok((s, _, _)) = send(&http, req).await
            && s == StatusCode::OK
        {
            break;
        }
        if t0.elapsed() > Duration::from_secs(30) {
            return Err(fail("máy chủ không trả lời"));
        }
    }
    let first_response = t0.elapsed().as_secs_f64() * 1e3;
    let pid = server.child.id();
    let owner = login(&http, &server.base, "chutri").await?;
    let officer = login(&http, &server.base, "baolac").await?;
    let unit_id = unit_of(&http, &server.base, &officer).await?;
    let unit_page = format!("/don-vi/{unit_id}");
    tokio::time::sleep(Duration::from_millis(300)).await;
    let idle = rss_mb(pid);
    crate::out!("Khởi động đến phản hồi đầu tiên (cơ sở dữ liệu đã có): {first_response:.0} ms");
    crate::out!("RSS khi nghỉ: {idle:.1} MB");
    crate::out!("{connections} kết nối đồng thời, {seconds:.0} giây mỗi phép đo:");

    let base = server.base.clone();
    let cookie = owner.cookie.clone();
    let dashboard: MakeRequest = Arc::new(move |_| {
        Request::get(format!("{base}/"))
            .header("cookie", cookie.clone())
            .body(Full::new(Bytes::new()))
            .unwrap_or_default()
    });
    print(
        "Tổng quan (chủ trì)",
        &drive(&http, pid, connections, seconds, dashboard).await,
    );

    let (base, cookie, path) = (server.base.clone(), officer.cookie.clone(), unit_page);
    let unit: MakeRequest = Arc::new(move |_| {
        Request::get(format!("{base}{path}"))
            .header("cookie", cookie.clone())
            .body(Full::new(Bytes::new()))
            .unwrap_or_default()
    });
    print(
        "Trang đơn vị",
        &drive(&http, pid, connections, seconds, unit).await,
    );

    // Submissions: the administrator writes for every unit expected to
    // report, each connection its own reports, versions tracked, so every
    // request is a real save with no conflict between connections.
    let admin = login(&http, &server.base, "quantri").await?;
    let keys = report_keys(&http, &server.base, &admin).await?;
    crate::out!("  ({} báo cáo khác nhau của các đơn vị)", keys.len());
    print(
        "Nộp báo cáo",
        &drive_submissions(&http, pid, connections, seconds, &server.base, &admin, keys).await,
    );
    crate::out!("RSS sau khi đo: {:.1} MB", rss_mb(pid));
    drop(server);
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

/// `dondoc bench-http --slow-readers N`: memory while N clients download a
/// report's 9.5 MB file at once, each reading 16 KB every 100 ms (a phone
/// on a slow line), for `seconds`. `server`: another build of `dondoc` to
/// serve (the same bench measures the build before a change and after).
pub async fn run_slow_readers(readers: usize, seconds: f64, server: Option<&str>) -> Result<()> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let dir = std::env::temp_dir().join(format!("dondoc-doc-cham-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(fail)?;
    let db = dir.join("bench.db").to_string_lossy().into_owned();
    let exe = match server {
        Some(p) => std::path::PathBuf::from(p),
        None => std::env::current_exe().map_err(fail)?,
    };
    let server = start_with(&exe, &db, "2025-03-10")?;
    let pid = server.child.id();
    let http: Http = Client::builder(TokioExecutor::new()).build_http();
    let base = server.base.clone();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let officer = login(&http, &base, "baolac").await?;
    let unit = unit_of(&http, &base, &officer).await?;
    let report = format!("/api/reports/1/2025-02/{unit}");

    // One file of 9.5 MB (under the 10 MB limit of a file).
    const SIZE: usize = 9_500_000;
    let boundary = "dondocdoccham";
    let mut body = format!(
        "--{boundary}\r\ncontent-disposition: form-data; name=\"tep\"; filename=\"anh.pdf\"\r\ncontent-type: application/pdf\r\n\r\n"
    )
    .into_bytes();
    body.extend(std::iter::repeat_n(b'x', SIZE));
    body.extend(format!("\r\n--{boundary}--\r\n").into_bytes());
    let req = Request::post(format!("{base}{report}/attachments"))
        .header("cookie", officer.cookie.clone())
        .header("x-csrf-token", officer.csrf.clone())
        .header(
            "content-type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(Full::new(Bytes::from(body)))
        .map_err(fail)?;
    let (status, answer, _) = send(&http, req).await?;
    if !status.is_success() {
        return Err(fail(format!(
            "tải tệp lên: {status} {}",
            String::from_utf8_lossy(&answer)
        )));
    }
    let v: serde_json::Value = serde_json::from_slice(&answer).map_err(fail)?;
    let url = v["attachments"][0]["url"]
        .as_str()
        .or_else(|| v["url"].as_str())
        .ok_or_else(|| fail("không thấy địa chỉ tệp"))?
        .to_string();
    let idle = rss_mb(pid);
    crate::out!("RSS trước khi tải xuống: {idle:.1} MB");

    let addr = base.trim_start_matches("http://").to_string();
    let stop = Arc::new(AtomicBool::new(false));
    let read_total = Arc::new(AtomicU64::new(0));
    let mut tasks = Vec::new();
    for _ in 0..readers {
        let (addr, url, cookie) = (addr.clone(), url.clone(), officer.cookie.clone());
        let (stop, read_total) = (stop.clone(), read_total.clone());
        tasks.push(tokio::spawn(async move {
            let Ok(mut s) = tokio::net::TcpStream::connect(&addr).await else {
                return;
            };
            let head = format!("GET {url} HTTP/1.1\r\nhost: {addr}\r\ncookie: {cookie}\r\n\r\n");
            if s.write_all(head.as_bytes()).await.is_err() {
                return;
            }
            let mut buf = vec![0u8; 16 * 1024];
            while !stop.load(Ordering::Relaxed) {
                match s.read(&mut buf).await {
                    Ok(0) | Err(_) => return,
                    Ok(n) => {
                        read_total.fetch_add(n as u64, Ordering::Relaxed);
                    }
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        }));
    }
    let t0 = Instant::now();
    let mut peak: f64 = 0.0;
    while t0.elapsed().as_secs_f64() < seconds {
        peak = peak.max(rss_mb(pid));
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    stop.store(true, Ordering::Relaxed);
    for t in tasks {
        let _ = t.await;
    }
    crate::out!(
        "{readers} người đọc chậm, {seconds:.0} giây: RSS cao nhất {peak:.1} MB (tăng {:.1} MB); đã đọc {:.1} MB",
        peak - idle,
        read_total.load(Ordering::Relaxed) as f64 / 1e6
    );
    drop(server);
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}
