//! `dondoc export`: the synthesis report (Word), the tracking workbook
//! (Excel) and a unit's calendar (iCalendar), from the same data the
//! service shows. Each says in one line what it wrote.

use crate::error::{CliError, Result};
use crate::out;
use dondoc_core::text::size_text;
use dondoc_export::{ics, synthesis, tracking};
use dondoc_store::Store;
use dondoc_store::plans::PlanKey;
use jiff::civil::Date;
use std::collections::HashSet;
use std::io::Write;

/// Where a document goes: the path given, else the name the document
/// gives itself, in the current folder.
fn target(out: Option<&str>, default: String) -> String {
    match out {
        Some(p) if !p.trim().is_empty() => p.to_string(),
        _ => default,
    }
}

/// A binary document cannot go to a terminal: `-` is for the calendar only.
fn refuse_stdout(out: &str, what: &str, ext: &str) -> Result<()> {
    if out == "-" {
        return Err(CliError::Usage(format!(
            "{what} là tệp nhị phân, không ghi ra đầu ra chuẩn: dùng --out TỆP.{ext}"
        )));
    }
    Ok(())
}

fn write_file(path: &str, bytes: &[u8]) -> Result<()> {
    std::fs::write(path, bytes).map_err(|cause| CliError::File {
        path: path.to_string(),
        cause,
    })
}

pub async fn synthesis(
    store: &Store,
    plan: Option<&PlanKey>,
    phase: Option<&str>,
    out_path: Option<&str>,
    today: Date,
) -> Result<()> {
    let s = store.synthesis(plan, phase, today).await?;
    let path = target(out_path, synthesis::file_name(&s));
    refuse_stdout(&path, "Báo cáo Word", "docx")?;
    let mut bytes = synthesis::to_docx(&s).map_err(|e| CliError::Output(e.to_string()))?;
    // `--out …pdf`: the same document, printed to PDF by LibreOffice.
    if path.to_lowercase().ends_with(".pdf") {
        bytes =
            dondoc_export::pdf::docx_to_pdf(&bytes).map_err(|e| CliError::Output(e.to_string()))?;
    }
    write_file(&path, &bytes)?;
    let tasks: HashSet<&str> = [&s.done, &s.in_progress, &s.overdue, &s.pending]
        .into_iter()
        .flatten()
        .map(|t| t.reference.as_str())
        .collect();
    let scope = match phase {
        Some(_) => s.phase.as_ref().map(|p| p.name.clone()).unwrap_or_default(),
        None => format!("toàn bộ Kế hoạch {}", s.plan_number),
    };
    out!(
        "Đã ghi báo cáo tổng hợp {scope} ({} đơn vị có số liệu, {} nhiệm vụ) vào {path} ({}).",
        s.figures.len(),
        tasks.len(),
        size_text(bytes.len() as u64)
    );
    Ok(())
}

pub async fn tracking(
    store: &Store,
    plan: Option<&PlanKey>,
    out_path: Option<&str>,
    today: Date,
) -> Result<()> {
    let t = store.tracking(plan, today).await?;
    let path = target(out_path, tracking::file_name(&t));
    refuse_stdout(&path, "Sổ theo dõi Excel", "xlsx")?;
    let bytes = tracking::to_xlsx(&t)
        .map_err(|e| CliError::Output(format!("không tạo được tệp Excel (.xlsx): {e}")))?;
    write_file(&path, &bytes)?;
    let tasks: HashSet<&str> = t.assignments.iter().map(|a| a.reference.as_str()).collect();
    out!(
        "Đã ghi sổ theo dõi Kế hoạch {} ({} nhiệm vụ, {} lượt giao, {} đơn vị báo cáo, {} kỳ báo cáo) vào {path} ({}).",
        t.plan_number,
        tasks.len(),
        t.assignments.len(),
        t.reporting.len(),
        t.periods.len(),
        size_text(bytes.len() as u64)
    );
    Ok(())
}

pub async fn calendar(
    store: &Store,
    unit: &str,
    out_path: Option<&str>,
    today: Date,
) -> Result<()> {
    let feed = store.feed(unit, today).await?;
    let unit_name = feed
        .name
        .strip_prefix("dondoc — ")
        .unwrap_or(&feed.name)
        .to_string();
    let path = target(out_path, ics::file_name(&unit_name));
    let text = ics::to_ics(&feed, jiff::Timestamp::now());
    let events = feed
        .items
        .iter()
        .filter(|i| i.uid.starts_with("event-"))
        .count();
    let summary = format!(
        "lịch của {unit_name} ({} mốc: {} thời hạn nhiệm vụ, {events} sự kiện)",
        feed.items.len(),
        feed.items.len() - events
    );
    if path == "-" {
        // The calendar is the output; what was written is said on stderr.
        let mut stdout = std::io::stdout().lock();
        stdout
            .write_all(text.as_bytes())
            .and_then(|()| stdout.flush())
            .map_err(|cause| CliError::File {
                path: "(đầu ra chuẩn)".to_string(),
                cause,
            })?;
        eprintln!(
            "Đã ghi {summary} ra đầu ra chuẩn ({}).",
            size_text(text.len() as u64)
        );
    } else {
        write_file(&path, text.as_bytes())?;
        out!(
            "Đã ghi {summary} vào {path} ({}).",
            size_text(text.len() as u64)
        );
    }
    Ok(())
}
