//! `dondoc bench-export`: how long each document takes to make from the
//! database, on the reference plan with every unit's phase I report in.

use crate::error::{CliError, Result};
use crate::out;
use dondoc_store::Store;
use dondoc_store::reports::{self, ReportKey, Submission};
use std::future::Future;
use std::time::{Duration, Instant};

use crate::bench_import::median;

async fn time<T, F, Fut>(rounds: usize, mut f: F) -> Result<(Duration, T)>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T>>,
{
    let mut times = Vec::with_capacity(rounds);
    let mut last = None;
    for _ in 0..rounds.max(1) {
        let t = Instant::now();
        last = Some(f().await?);
        times.push(t.elapsed());
    }
    Ok((median(times), last.expect("at least one round")))
}

fn ms(d: Duration) -> String {
    format!("{:>8.1} ms", d.as_secs_f64() * 1000.0)
}

/// Every unit expected to send the phase I report sends it, with figures.
async fn fill_reports(store: &Store, today: jiff::civil::Date) -> Result<usize> {
    let plan = store
        .plans()
        .await?
        .into_iter()
        .next()
        .ok_or_else(|| CliError::Input("chưa có kế hoạch mẫu".into()))?;
    let regimes = store.regimes_of_plan(plan.plan_id).await?;
    let regime = regimes
        .iter()
        .find(|r| r.name == "Đợt I")
        .ok_or_else(|| CliError::Input("kế hoạch mẫu không có báo cáo Đợt I".into()))?;
    let period = reports::periods(regime, today)
        .into_iter()
        .next()
        .ok_or_else(|| CliError::Input("báo cáo Đợt I không có kỳ nào".into()))?;
    let units = store.reports_missing(regime, &period, None).await?;
    for (i, (unit_id, _)) in units.iter().enumerate() {
        let figures = regime
            .indicators
            .iter()
            .enumerate()
            .map(|(k, ind)| (ind.key.clone(), ((i * 37 + k * 11) % 500).to_string()))
            .collect();
        store
            .save_report(
                0,
                "bench",
                ReportKey {
                    reporting_id: regime.reporting_id,
                    period: period.key.clone(),
                    unit_id: *unit_id,
                },
                Submission {
                    figures,
                    narrative: format!("Đơn vị thứ {} báo cáo kết quả tuyên truyền đợt I.", i + 1),
                    submit: true,
                    version: None,
                },
                today,
            )
            .await?;
    }
    Ok(units.len())
}

pub async fn run(rounds: usize) -> Result<()> {
    let dir = std::env::temp_dir().join(format!("dondoc-do-xuat-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| CliError::Usage(e.to_string()))?;
    let db = dir.join("bench.db");
    let _ = std::fs::remove_file(&db);
    let store = Store::open(&db.to_string_lossy()).await?;
    let today = jiff::civil::date(2025, 2, 10);
    crate::serve::load_demo(&store, today).await?;
    let reported = fill_reports(&store, today).await?;
    out!(
        "Kế hoạch mẫu 390-KH/TU, {reported} đơn vị đã gửi báo cáo Đợt I có số liệu; {rounds} lần đo mỗi tài liệu, lấy trung vị."
    );
    let (d, bytes) = time(rounds, || async {
        let s = store.synthesis(None, Some("Đợt I"), today).await?;
        dondoc_export::synthesis::to_docx(&s).map_err(|e| CliError::Input(e.to_string()))
    })
    .await?;
    out!(
        "báo cáo tổng hợp Đợt I (DOCX)      {}  ({} KB)",
        ms(d),
        bytes.len() / 1024
    );
    let (d, bytes) = time(rounds, || async {
        let s = store.synthesis(None, None, today).await?;
        dondoc_export::synthesis::to_docx(&s).map_err(|e| CliError::Input(e.to_string()))
    })
    .await?;
    out!(
        "báo cáo tổng hợp toàn kế hoạch     {}  ({} KB)",
        ms(d),
        bytes.len() / 1024
    );
    let (d, bytes) = time(rounds, || async {
        let t = store.tracking(None, today).await?;
        dondoc_export::tracking::to_xlsx(&t).map_err(|e| CliError::Input(e.to_string()))
    })
    .await?;
    out!(
        "sổ theo dõi (XLSX)                 {}  ({} KB)",
        ms(d),
        bytes.len() / 1024
    );
    let (d, text) = time(rounds, || async {
        let f = store.feed("Ban Tuyên giáo Tỉnh uỷ", today).await?;
        Ok(dondoc_export::ics::to_ics(&f, jiff::Timestamp::now()))
    })
    .await?;
    out!(
        "lịch một đơn vị (ICS)              {}  ({} KB)",
        ms(d),
        text.len() / 1024
    );
    let (d, len) = time(rounds, || async {
        Ok(dondoc_export::charts::timeline_svg(&store.timeline(None, today).await?).len())
    })
    .await?;
    out!(
        "biểu đồ tiến độ (SVG)              {}  ({} KB)",
        ms(d),
        len / 1024
    );
    let (d, len) = time(rounds, || async {
        Ok(dondoc_export::charts::rates_svg(&store.rate_series(None, today).await?).len())
    })
    .await?;
    out!(
        "biểu đồ tỷ lệ báo cáo (SVG)        {}  ({} KB)",
        ms(d),
        len / 1024
    );
    let (d, len) = time(rounds, || async {
        Ok(dondoc_export::charts::figures_svg(&store.figure_bars(None, today).await?).len())
    })
    .await?;
    out!(
        "biểu đồ số liệu (SVG)              {}  ({} KB)",
        ms(d),
        len / 1024
    );
    if dondoc_export::pdf::office().is_some() {
        let s = store.synthesis(None, Some("Đợt I"), today).await?;
        let docx =
            dondoc_export::synthesis::to_docx(&s).map_err(|e| CliError::Input(e.to_string()))?;
        let t = Instant::now();
        let pdf =
            dondoc_export::pdf::docx_to_pdf(&docx).map_err(|e| CliError::Input(e.to_string()))?;
        out!(
            "PDF qua LibreOffice (một lần)      {}  ({} KB)",
            ms(t.elapsed()),
            pdf.len() / 1024
        );
    }
    store.close().await;
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}
