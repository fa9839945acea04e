//! Sample reports and two independent readers of the DOCX: docx-rs's own
//! reader, and LibreOffice run headless.

#![allow(dead_code)] // each test binary uses a different part

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use docx_rs::{DocumentChild, TableCellContent, TableChild, TableRowChild};
use dondoc_core::documents::synthesis::{FigureRow, Indicator, Rates, Signature};
use dondoc_export::synthesis::*;
use jiff::civil::date;

/// The Đợt I report of Kế hoạch 390-KH/TU as the store would gather it.
pub fn sample() -> Document {
    let ind = |key: &str, label: &str, unit: &str| Indicator {
        key: key.into(),
        label: label.into(),
        unit: unit.into(),
    };
    let task = |reference: &str, text: &str, units: &str, due: &str, note: &str| TaskText {
        reference: reference.into(),
        text: text.into(),
        units: units.into(),
        due: due.into(),
        note: note.into(),
    };
    let report = |unit: &str, report: &str, due: &str, submitted: &str| ReportText {
        unit: unit.into(),
        report: report.into(),
        due: due.into(),
        submitted: submitted.into(),
    };
    Document {
        superior: Some("ĐẢNG BỘ TỈNH CAO BẰNG".into()),
        issuer: "TỈNH UỶ CAO BẰNG".into(),
        number: "Số    -BC/TU".into(),
        place: "Cao Bằng".into(),
        date: date(2025, 2, 10),
        plan_number: "390-KH/TU".into(),
        plan_date: Some(date(2024, 11, 19)),
        plan_issuer: "Tỉnh uỷ Cao Bằng".into(),
        plan_title: "Kế hoạch tuyên truyền đại hội đảng bộ các cấp, Đại hội đại biểu Đảng bộ tỉnh lần thứ XX, Đại hội đại biểu toàn quốc lần thứ XIV của Đảng".into(),
        scope: "Đợt I (từ ngày 19/11/2024 đến ngày 31/12/2024)".into(),
        deployment: vec![
            "Kế hoạch được giao cho 24 đơn vị chủ trì với 31 nhiệm vụ.".into(),
            "Ban Tuyên giáo Tỉnh uỷ là cơ quan thường trực theo dõi, tổng hợp.".into(),
        ],
        rates: Rates { expected: 12, units: 12, submitted: 10, on_time: 8 },
        indicators: vec![
            ind("tin_bai_bao_chi", "Tin, bài trên báo chí", "tin, bài"),
            ind("hoi_nghi", "Hội nghị phổ biến, quán triệt", "hội nghị"),
            ind("luot_nguoi_du_hoi_nghi", "Lượt người tham dự hội nghị", "lượt người"),
        ],
        figures: vec![
            FigureRow {
                unit: "Báo Cao Bằng".into(),
                level: "Tỉnh".into(),
                values: vec![Some(1_000), Some(3), Some(450)],
            },
            FigureRow {
                unit: "Huyện uỷ Bảo Lạc".into(),
                level: "Huyện".into(),
                values: vec![Some(200), None, Some(800)],
            },
            FigureRow {
                // Decomposed (NFD), as some keyboards type it: must come out NFC.
                unit: "Huye\u{323}\u{302}n uy\u{309} Ha\u{300} Qua\u{309}ng".into(),
                level: "Huyện".into(),
                values: vec![Some(34), Some(2), Some(120)],
            },
            FigureRow {
                unit: "Đảng uỷ xã Cốc Pàng".into(),
                level: "Cơ sở".into(),
                values: vec![None, Some(5), Some(1_050)],
            },
        ],
        totals: vec![1_234, 10, 2_420],
        periodic: Vec::new(),
        forms: vec![
            FormText {
                reference: "III.1.1".into(),
                title: "Tuyên truyền trên báo chí".into(),
                lines: vec!["1.234 tin, bài trên báo chí".into()],
            },
            FormText {
                reference: "III.2.1".into(),
                title: "Hội nghị phổ biến, quán triệt".into(),
                lines: vec![
                    "10 hội nghị".into(),
                    "2.420 lượt người tham dự hội nghị".into(),
                ],
            },
        ],
        done: vec![task(
            "V.1.1.1",
            "Xây dựng kế hoạch, chỉ đạo, hướng dẫn các chi bộ, đảng bộ trực thuộc.",
            "Huyện uỷ Bảo Lạc; Huyện uỷ Hà Quảng",
            "trong tháng 11/2024",
            "hoàn thành ngày 28/11/2024",
        )],
        in_progress: vec![task(
            "V.2.3",
            "Mở chuyên trang, chuyên mục về đại hội đảng bộ các cấp",
            "Báo Cao Bằng",
            "thường xuyên",
            "",
        )],
        not_started: vec![task(
            "V.2.4",
            "Mở chuyên mục hỏi đáp về đại hội.",
            "Đài Phát thanh - Truyền hình Cao Bằng",
            "trước ngày 30/04/2025",
            "",
        )],
        overdue: vec![task(
            "V.1.2",
            "Tổ chức hội nghị báo cáo viên",
            "Ban Tuyên giáo Tỉnh uỷ",
            "trước ngày 31/12/2024",
            "quá hạn 41 ngày",
        )],
        pending: vec![task(
            "V.1.4",
            "Trang trí khánh tiết Đại hội XX Đảng bộ tỉnh",
            "Văn phòng Tỉnh uỷ",
            "chậm nhất 01 tuần trước ngày khai mạc Đại hội XX Đảng bộ tỉnh (chưa xác định ngày)",
            "",
        )],
        late: vec![
            report("Huyện uỷ Bảo Lạc", "Đợt I", "05/02/2025", "07/02/2025"),
            report("Báo Cao Bằng", "Đợt I", "05/02/2025", "06/02/2025"),
        ],
        missing: vec![report("Huyện uỷ Thạch An", "Đợt I", "05/02/2025", "")],
        narratives: vec![NarrativeText {
            topic: "Đợt I".into(),
            items: vec![
                (
                    "Báo Cao Bằng".into(),
                    // A stray control character and two non-characters from a
                    // pasted text: XML forbids them.
                    "Mở chuyên mục \u{7}“Tiến tới Đại hội XX”\u{FFFE}.\nĐăng 12 bài phóng sự\u{FFFF}.".into(),
                ),
                ("Huyện uỷ Bảo Lạc".into(), "Tổ chức 3 hội nghị quán triệt.".into()),
            ],
        }],
        recipients: vec![
            "Ban Tuyên giáo Trung ương (báo cáo)".into(),
            "Thường trực Tỉnh uỷ".into(),
            "Lưu Văn phòng Tỉnh uỷ".into(),
            "Các đồng chí Tỉnh uỷ viên".into(),
        ],
        signature: Some(Signature {
            on_behalf: Some("T/M BAN THƯỜNG VỤ".into()),
            title: "PHÓ BÍ THƯ THƯỜNG TRỰC".into(),
            name: "Triệu Đình Lê".into(),
        }),
    }
}

/// A report with nothing in it yet: no figures, no tasks, nothing due.
pub fn empty() -> Document {
    Document {
        superior: None,
        issuer: "Ban Tuyên giáo Tỉnh uỷ".into(),
        number: String::new(),
        place: "Cao Bằng".into(),
        date: date(2024, 11, 20),
        plan_number: "390-KH/TU".into(),
        plan_date: Some(date(2024, 11, 19)),
        plan_issuer: "Tỉnh uỷ Cao Bằng".into(),
        plan_title: "Kế hoạch tuyên truyền đại hội đảng bộ các cấp".into(),
        scope: "toàn bộ Kế hoạch".into(),
        ..Document::default()
    }
}

/// The text of the document's body as docx-rs reads it back from the
/// package: one line per paragraph, table cells included.
pub fn docx_text(bytes: &[u8]) -> String {
    let docx = docx_rs::read_docx(bytes).expect("docx-rs reads the package back");
    let mut out = String::new();
    for child in &docx.document.children {
        match child {
            DocumentChild::Paragraph(p) => {
                out.push_str(&p.raw_text());
                out.push('\n');
            }
            DocumentChild::Table(t) => table_text(t, &mut out),
            _ => {}
        }
    }
    out
}

fn table_text(t: &docx_rs::Table, out: &mut String) {
    for TableChild::TableRow(row) in &t.rows {
        for TableRowChild::TableCell(cell) in &row.cells {
            for content in &cell.children {
                match content {
                    TableCellContent::Paragraph(p) => {
                        out.push_str(&p.raw_text());
                        out.push('\n');
                    }
                    TableCellContent::Table(t) => table_text(t, out),
                    _ => {}
                }
            }
        }
    }
}

/// Writes the report to `dir/name` and returns the path.
pub fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("write the docx");
    path
}

/// `soffice` if it is installed. When it is not, the caller skips, unless
/// DONDOC_REQUIRE_OFFICE=1 asks for the check to be mandatory.
pub fn soffice(test: &str) -> Option<PathBuf> {
    let found = which("soffice").or_else(|| which("libreoffice"));
    if found.is_none() {
        if std::env::var("DONDOC_REQUIRE_OFFICE").as_deref() == Ok("1") {
            panic!("{test}: soffice not found and DONDOC_REQUIRE_OFFICE=1");
        }
        eprintln!("{test}: skipped, soffice (LibreOffice) is not installed");
    }
    found
}

pub fn which(program: &str) -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join(program))
            .find(|p| p.is_file())
    })
}

const OFFICE_TIMEOUT: Duration = Duration::from_secs(120);

/// Converts `file` with LibreOffice headless (`target` as for
/// `--convert-to`) into `out_dir` and returns the converted file. Each call
/// has its own profile directory, so tests running in parallel do not wait
/// on one another's lock, and is killed after two minutes.
pub fn convert(
    soffice: &Path,
    file: &Path,
    target: &str,
    extension: &str,
    out_dir: &Path,
) -> PathBuf {
    let profile = tempfile::tempdir().expect("profile dir");
    let mut cmd = Command::new(soffice);
    cmd.arg(format!(
        "-env:UserInstallation=file://{}",
        profile.path().display()
    ))
    .args([
        "--headless",
        "--norestore",
        "--convert-to",
        target,
        "--outdir",
    ])
    .arg(out_dir)
    .arg(file)
    .stdin(Stdio::null());
    run_with_timeout(cmd, "soffice");
    let stem = file.file_stem().expect("file stem");
    let out = out_dir.join(stem).with_extension(extension);
    assert!(out.is_file(), "soffice did not write {}", out.display());
    out
}

/// Runs `cmd` in its own process group and kills that group (soffice starts
/// a child of its own) when it outlives [`OFFICE_TIMEOUT`]; returns its
/// standard output.
pub fn run_with_timeout(mut cmd: Command, what: &str) -> String {
    use std::os::unix::process::CommandExt;
    cmd.process_group(0)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().unwrap_or_else(|e| panic!("start {what}: {e}"));
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if start.elapsed() > OFFICE_TIMEOUT {
            let _ = Command::new("kill")
                .args(["-KILL", "--", &format!("-{}", child.id())])
                .status();
            let _ = child.wait();
            panic!("{what} did not finish in {} s", OFFICE_TIMEOUT.as_secs());
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let mut stdout = String::new();
    let mut stderr = String::new();
    if let Some(mut o) = child.stdout.take() {
        let _ = o.read_to_string(&mut stdout);
    }
    if let Some(mut e) = child.stderr.take() {
        let _ = e.read_to_string(&mut stderr);
    }
    assert!(
        status.success(),
        "{what} failed ({status}): {stdout}\n{stderr}"
    );
    stdout
}

/// White space collapsed, so that assertions do not depend on where a
/// reader breaks lines or how it pads justified text.
pub fn squeeze(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}
