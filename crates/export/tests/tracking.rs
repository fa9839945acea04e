//! The tracking workbook read back by two readers that share no code with
//! the writer: calamine (cell values, cached results, formulas) and, when
//! installed, LibreOffice (which recalculates the formulas itself).

use std::collections::HashMap;
use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
use dondoc_core::documents::synthesis::{FigureRow, Indicator};
use dondoc_core::documents::tracking::{PeriodCol, PeriodFigureRow, ReportCell, ReportingRow};
use dondoc_export::tracking::{
    AssignmentText, SHEET_FIGURES, SHEET_PERIOD_FIGURES, SHEET_REPORTS, SHEET_TASKS, Sheets,
    sheets_file_name, write_xlsx,
};
use jiff::civil::{Date, date};

fn fixture() -> Sheets {
    Sheets {
        plan_number: "390-KH/TU".into(),
        plan_title: "Tổ chức các hoạt động kỷ niệm 95 năm Ngày thành lập Đảng".into(),
        today: date(2025, 2, 10),
        assignments: vec![
            AssignmentText {
                reference: "1.1".into(),
                unit: "Ban Tuyên giáo Tỉnh uỷ".into(),
                task: "Chủ trì, phối hợp với các cơ quan liên quan hướng dẫn nội dung tuyên truyền \
                       kỷ niệm 95 năm Ngày thành lập Đảng Cộng sản Việt Nam (03/02/1930 – 03/02/2025)."
                    .into(),
                phrase: "trước ngày 05/02/2025".into(),
                deadline: "trước ngày 05/02/2025".into(),
                due_date: Some(date(2025, 2, 5)),
                status: "Hoàn thành".into(),
                done_on: Some(date(2025, 2, 3)),
                evidence: "Hướng dẫn số 12-HD/BTGTU".into(),
            },
            AssignmentText {
                reference: "2.3".into(),
                // Decomposed on purpose: the workbook must hold NFC.
                unit: "Huye\u{0302}\u{0323}n uy\u{0309} Hoà An".into(),
                task: "Tổ chức hội nghị báo cáo viên; treo băng rôn, khẩu hiệu".into(),
                phrase: "chờ ngày Đại hội".into(),
                deadline: "chờ ngày Đại hội XX".into(),
                due_date: None,
                status: "Chưa bắt đầu".into(),
                done_on: None,
                evidence: String::new(),
            },
            AssignmentText {
                reference: "3".into(),
                unit: "Văn phòng Tỉnh uỷ".into(),
                task: "Báo cáo kết quả".into(),
                phrase: "hằng tháng".into(),
                deadline: "trước ngày 31/12/2025".into(),
                due_date: Some(date(2025, 12, 31)),
                status: "Quá hạn".into(),
                done_on: None,
                evidence: "—".into(),
            },
        ],
        periods: vec![
            PeriodCol {
                report: "Báo cáo tháng".into(),
                period: "01/2025".into(),
                due: Some(date(2025, 2, 5)),
            },
            PeriodCol {
                report: "Báo cáo tháng".into(),
                period: "02/2025".into(),
                due: Some(date(2025, 3, 5)),
            },
            PeriodCol {
                report: "Báo cáo sơ kết".into(),
                period: "Đợt I".into(),
                due: None,
            },
        ],
        reporting: vec![
            ReportingRow {
                unit: "Ban Tuyên giáo Tỉnh uỷ".into(),
                cells: vec![
                    ReportCell::OnTime(date(2025, 2, 3)),
                    ReportCell::Missing,
                    ReportCell::Late(date(2025, 2, 7)),
                ],
            },
            ReportingRow {
                unit: "Huyện uỷ Hoà An".into(),
                cells: vec![
                    ReportCell::Late(date(2025, 2, 7)),
                    ReportCell::NotExpected,
                    ReportCell::OnTime(date(2025, 1, 30)),
                ],
            },
            ReportingRow {
                unit: "Huyện uỷ Bảo Lạc".into(),
                // Shorter than the periods: the rest is not expected.
                cells: vec![ReportCell::Missing],
            },
        ],
        indicators: vec![
            Indicator {
                key: "tin_bai".into(),
                label: "Tin, bài".into(),
                unit: "bài".into(),
            },
            Indicator {
                key: "hoi_nghi".into(),
                label: "Hội nghị".into(),
                unit: "cuộc".into(),
            },
            Indicator {
                key: "luot".into(),
                label: "Lượt người tham dự".into(),
                unit: String::new(),
            },
        ],
        figures: vec![
            FigureRow {
                unit: "Ban Tuyên giáo Tỉnh uỷ".into(),
                level: "Tỉnh".into(),
                values: vec![Some(1234), Some(3), Some(250)],
            },
            FigureRow {
                unit: "Huyện uỷ Hoà An".into(),
                level: "Huyện".into(),
                values: vec![Some(56), None, Some(1_000_000)],
            },
            FigureRow {
                unit: "Huyện uỷ Bảo Lạc".into(),
                level: "Huyện".into(),
                values: vec![None, Some(2)],
            },
        ],
        figures_scope: "các báo cáo đợt".into(),
        period_indicators: vec![Indicator {
            key: "tin_bai".into(),
            label: "Tin, bài".into(),
            unit: "bài".into(),
        }],
        period_figures: vec![
            PeriodFigureRow {
                unit: "Ban Tuyên giáo Tỉnh uỷ".into(),
                level: "Tỉnh".into(),
                report: "Hằng tháng, tháng 01/2025".into(),
                values: vec![Some(40)],
            },
            PeriodFigureRow {
                unit: "Ban Tuyên giáo Tỉnh uỷ".into(),
                level: "Tỉnh".into(),
                report: "Đợt I".into(),
                values: vec![Some(1234)],
            },
        ],
    }
}

/// Rows of the tables (0-based, as the writer lays them out).
const HEAD: usize = 3;

fn open(bytes: &[u8]) -> Xlsx<Cursor<Vec<u8>>> {
    open_workbook_from_rs(Cursor::new(bytes.to_vec())).expect("calamine opens the workbook")
}

fn cell(range: &calamine::Range<Data>, row: usize, col: usize) -> Data {
    range
        .get_value((row as u32, col as u32))
        .cloned()
        .unwrap_or(Data::Empty)
}

fn text(range: &calamine::Range<Data>, row: usize, col: usize) -> String {
    match cell(range, row, col) {
        Data::String(s) => s,
        Data::Empty => String::new(),
        other => panic!("({row}, {col}) is not text: {other:?}"),
    }
}

fn number(range: &calamine::Range<Data>, row: usize, col: usize) -> f64 {
    match cell(range, row, col) {
        Data::Float(f) => f,
        Data::Int(i) => i as f64,
        other => panic!("({row}, {col}) is not a number: {other:?}"),
    }
}

fn day(range: &calamine::Range<Data>, row: usize, col: usize) -> Option<Date> {
    match cell(range, row, col) {
        Data::DateTime(x) => {
            assert!(x.is_datetime(), "({row}, {col}) is a date, not a duration");
            let (y, m, d, ..) = x.to_ymd_hms_milli();
            Some(date(y as i16, m as i8, d as i8))
        }
        Data::Empty => None,
        other => panic!("({row}, {col}) is not a date: {other:?}"),
    }
}

#[test]
fn sheets_titles_and_tasks_read_back() {
    let bytes = write_xlsx(&fixture()).unwrap();
    let mut book = open(&bytes);
    assert_eq!(
        book.sheet_names(),
        vec![
            SHEET_TASKS,
            SHEET_REPORTS,
            SHEET_FIGURES,
            SHEET_PERIOD_FIGURES
        ]
    );
    assert_eq!(SHEET_TASKS, "Theo dõi nhiệm vụ");

    for name in [SHEET_TASKS, SHEET_REPORTS, SHEET_FIGURES] {
        let r = book.worksheet_range(name).unwrap();
        let title = text(&r, 0, 0);
        assert!(title.contains("Kế hoạch số 390-KH/TU"), "{name}: {title}");
        assert!(title.contains("kỷ niệm 95 năm"), "{name}: {title}");
        assert_eq!(text(&r, 1, 0), "Tính đến ngày 10/02/2025");
    }

    let r = book.worksheet_range(SHEET_TASKS).unwrap();
    let heads: Vec<String> = (0..10).map(|c| text(&r, HEAD, c)).collect();
    assert_eq!(
        heads,
        [
            "STT",
            "Số hiệu",
            "Đơn vị",
            "Nhiệm vụ",
            "Cụm thời hạn",
            "Thời hạn",
            "Ngày hạn",
            "Trạng thái",
            "Ngày hoàn thành",
            "Minh chứng"
        ]
    );
    let first = HEAD + 1;
    assert_eq!(number(&r, first, 0), 1.0);
    assert_eq!(number(&r, first + 2, 0), 3.0);
    assert_eq!(text(&r, first, 1), "1.1");
    assert!(text(&r, first, 3).starts_with("Chủ trì, phối hợp"));
    assert_eq!(day(&r, first, 6), Some(date(2025, 2, 5)));
    assert_eq!(text(&r, first, 7), "Hoàn thành");
    assert_eq!(day(&r, first, 8), Some(date(2025, 2, 3)));
    assert_eq!(text(&r, first, 9), "Hướng dẫn số 12-HD/BTGTU");
    // Composed on the way in.
    assert_eq!(text(&r, first + 1, 2), "Huyện uỷ Hoà An");
    assert_eq!(day(&r, first + 1, 6), None);
    assert_eq!(day(&r, first + 1, 8), None);
    assert_eq!(text(&r, first + 1, 5), "chờ ngày Đại hội XX");
    assert_eq!(day(&r, first + 2, 6), Some(date(2025, 12, 31)));
    assert_eq!(cell(&r, first + 3, 0), Data::Empty);
}

#[test]
fn every_text_is_nfc() {
    let bytes = write_xlsx(&fixture()).unwrap();
    let mut book = open(&bytes);
    for name in book.sheet_names() {
        let r = book.worksheet_range(&name).unwrap();
        for (row, col, data) in r.cells() {
            if let Data::String(s) = data {
                assert_eq!(&dondoc_core::text::nfc(s), s, "{name} ({row}, {col})");
            }
        }
    }
}

#[test]
fn reporting_cells_and_counts() {
    let bytes = write_xlsx(&fixture()).unwrap();
    let mut book = open(&bytes);
    let r = book.worksheet_range(SHEET_REPORTS).unwrap();
    // Three heading rows: report (merged over its periods), period, due day.
    assert_eq!(text(&r, HEAD, 0), "Đơn vị");
    assert_eq!(text(&r, HEAD, 1), "Báo cáo tháng");
    assert_eq!(text(&r, HEAD, 2), "");
    assert_eq!(text(&r, HEAD, 3), "Báo cáo sơ kết");
    assert_eq!(text(&r, HEAD + 1, 1), "01/2025");
    assert_eq!(text(&r, HEAD + 1, 3), "Đợt I");
    assert_eq!(text(&r, HEAD + 2, 1), "Hạn 05/02/2025");
    assert_eq!(text(&r, HEAD + 2, 2), "Hạn 05/03/2025");
    assert_eq!(text(&r, HEAD + 2, 3), "");
    assert_eq!(text(&r, HEAD, 4), "Số kỳ đã nộp");

    let first = HEAD + 3;
    let rows: Vec<Vec<String>> = (first..first + 3)
        .map(|row| (0..4).map(|c| text(&r, row, c)).collect())
        .collect();
    assert_eq!(
        rows,
        [
            [
                "Ban Tuyên giáo Tỉnh uỷ",
                "Đúng hạn 03/02/2025",
                "Chưa nộp",
                "Chậm 07/02/2025"
            ],
            [
                "Huyện uỷ Hoà An",
                "Chậm 07/02/2025",
                "",
                "Đúng hạn 30/01/2025"
            ],
            ["Huyện uỷ Bảo Lạc", "Chưa nộp", "", ""],
        ]
    );
    // Cached results of the COUNTIF formulas.
    let per_unit: Vec<f64> = (first..first + 3).map(|row| number(&r, row, 4)).collect();
    assert_eq!(per_unit, [2.0, 2.0, 0.0]);
    let last = first + 3;
    assert_eq!(text(&r, last, 0), "Số đơn vị đã nộp");
    let per_period: Vec<f64> = (1..5).map(|c| number(&r, last, c)).collect();
    assert_eq!(per_period, [2.0, 0.0, 2.0, 4.0]);

    let f = book.worksheet_formula(SHEET_REPORTS).unwrap();
    let formula = f.get_value((first as u32, 4)).cloned().unwrap_or_default();
    assert!(
        formula.contains("COUNTIF(B7:D7,\"Đúng hạn*\")"),
        "{formula}"
    );
    assert!(formula.contains("COUNTIF(B7:D7,\"Chậm*\")"), "{formula}");
    let formula = f.get_value((last as u32, 1)).cloned().unwrap_or_default();
    assert!(formula.contains("COUNTIF(B7:B9,"), "{formula}");
}

#[test]
fn figures_with_totals_as_formulas_and_cached_sums() {
    let bytes = write_xlsx(&fixture()).unwrap();
    let mut book = open(&bytes);
    let r = book.worksheet_range(SHEET_FIGURES).unwrap();
    let heads: Vec<String> = (0..5).map(|c| text(&r, HEAD, c)).collect();
    assert_eq!(
        heads,
        [
            "Đơn vị",
            "Cấp",
            "Tin, bài (bài)",
            "Hội nghị (cuộc)",
            "Lượt người tham dự"
        ]
    );
    let first = HEAD + 1;
    assert_eq!(text(&r, first, 1), "Tỉnh");
    assert_eq!(number(&r, first, 2), 1234.0);
    assert_eq!(cell(&r, first + 1, 3), Data::Empty, "None stays blank");
    assert_eq!(number(&r, first + 1, 4), 1_000_000.0);
    assert_eq!(cell(&r, first + 2, 4), Data::Empty, "short row is blank");

    let total = first + 3;
    assert_eq!(text(&r, total, 0), "Tổng cộng");
    let sums: Vec<f64> = (2..5).map(|c| number(&r, total, c)).collect();
    assert_eq!(sums, [1290.0, 5.0, 1_000_250.0]);
    let f = book.worksheet_formula(SHEET_FIGURES).unwrap();
    let formulas: Vec<String> = (2..5)
        .map(|c| f.get_value((total as u32, c)).cloned().unwrap_or_default())
        .collect();
    assert_eq!(formulas, ["SUM(C5:C7)", "SUM(D5:D7)", "SUM(E5:E7)"]);
}

#[test]
fn every_report_has_its_row_and_the_figures_sheet_says_what_it_sums() {
    let bytes = write_xlsx(&fixture()).unwrap();
    let mut book = open(&bytes);
    let r = book.worksheet_range(SHEET_FIGURES).unwrap();
    assert!(
        text(&r, 0, 0).contains("(cộng các báo cáo đợt)"),
        "{}",
        text(&r, 0, 0)
    );
    let r = book.worksheet_range(SHEET_PERIOD_FIGURES).unwrap();
    assert_eq!(text(&r, HEAD, 2), "Báo cáo, kỳ");
    assert_eq!(text(&r, HEAD + 1, 2), "Hằng tháng, tháng 01/2025");
    assert_eq!(number(&r, HEAD + 1, 3), 40.0);
    assert_eq!(text(&r, HEAD + 2, 2), "Đợt I");
    assert_eq!(number(&r, HEAD + 2, 3), 1234.0);
    assert!(text(&r, HEAD + 3, 0).starts_with("Cộng các dòng đang hiện"));
    let f = book.worksheet_formula(SHEET_PERIOD_FIGURES).unwrap();
    let formula = f
        .get_value(((HEAD + 3) as u32, 3))
        .cloned()
        .unwrap_or_default();
    assert_eq!(formula, "SUBTOTAL(109,D5:D6)");
}

#[test]
fn empty_tracking_is_a_valid_workbook() {
    let t = Sheets {
        plan_number: String::new(),
        today: date(2025, 2, 10),
        ..Sheets::default()
    };
    let bytes = write_xlsx(&t).unwrap();
    let mut book = open(&bytes);
    let r = book.worksheet_range(SHEET_FIGURES).unwrap();
    assert_eq!(text(&r, HEAD + 1, 0), "Tổng cộng");
    let r = book.worksheet_range(SHEET_REPORTS).unwrap();
    assert_eq!(text(&r, HEAD + 3, 0), "Số đơn vị đã nộp");
    assert_eq!(number(&r, HEAD + 3, 1), 0.0);
    let r = book.worksheet_range(SHEET_TASKS).unwrap();
    assert_eq!(text(&r, 1, 0), "Tính đến ngày 10/02/2025");
    assert_eq!(sheets_file_name(&t), "theo-doi-2025-02-10.xlsx");
}

#[test]
fn file_name_is_ascii() {
    assert_eq!(
        sheets_file_name(&fixture()),
        "theo-doi-KH-390-KH-TU-2025-02-10.xlsx"
    );
    let t = Sheets {
        plan_number: "  12-KH/BTGTU Đảng uỷ  ".into(),
        today: date(2025, 12, 1),
        ..Sheets::default()
    };
    let name = sheets_file_name(&t);
    assert_eq!(name, "theo-doi-KH-12-KH-BTGTU-Dang-uy-2025-12-01.xlsx");
    assert!(name.is_ascii());
}

// ---- LibreOffice -----------------------------------------------------------

/// `soffice` on the PATH, or `None` (then the test is skipped, unless
/// DONDOC_REQUIRE_OFFICE=1 says it must run).
fn soffice() -> Option<PathBuf> {
    let found = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|p| p.join("soffice"))
            .find(|p| p.is_file())
    });
    if found.is_none() {
        assert!(
            std::env::var("DONDOC_REQUIRE_OFFICE").as_deref() != Ok("1"),
            "DONDOC_REQUIRE_OFFICE=1 but soffice is not on the PATH"
        );
        eprintln!("soffice not found: LibreOffice read-back skipped");
    }
    found
}

/// Converts `file` to one CSV per sheet (UTF-8, comma, formatted as shown)
/// with a throw-away profile that recalculates every formula on load, so
/// the totals read are LibreOffice's own and not the cached results.
fn to_csvs(soffice: &Path, file: &Path, out: &Path) -> HashMap<String, Vec<Vec<String>>> {
    let profile = out.join("profile");
    std::fs::create_dir_all(profile.join("user")).unwrap();
    std::fs::write(
        profile.join("user/registrymodifications.xcu"),
        r#"<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"#,
    )
    .unwrap();
    let csv_dir = out.join("csv");
    std::fs::create_dir_all(&csv_dir).unwrap();
    let mut child = Command::new(soffice)
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.display()
        ))
        .args(["--headless", "--norestore", "--convert-to"])
        // Token 9 `true`: cells as shown (dates dd/mm/yyyy); token 12 `-1`:
        // every sheet to its own file.
        .arg("csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1")
        .arg("--outdir")
        .arg(&csv_dir)
        .arg(file)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("soffice starts");
    let start = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if start.elapsed() > Duration::from_secs(180) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("soffice took more than 180 s");
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    let output = child.wait_with_output().unwrap();
    let stem = file.file_stem().unwrap().to_string_lossy().to_string();
    let mut sheets = HashMap::new();
    for entry in std::fs::read_dir(&csv_dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_stem().unwrap().to_string_lossy().to_string();
        let sheet = name
            .strip_prefix(&format!("{stem}-"))
            .unwrap_or(&name)
            .to_string();
        sheets.insert(sheet, parse_csv(&std::fs::read_to_string(&path).unwrap()));
    }
    assert!(
        !sheets.is_empty(),
        "soffice wrote no CSV: {}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    sheets
}

fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut field)),
            (false, '\r') => {}
            (false, '\n') => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => field.push(c),
        }
    }
    if !field.is_empty() || !row.is_empty() {
        row.push(field);
        rows.push(row);
    }
    rows
}

fn at(sheet: &[Vec<String>], row: usize, col: usize) -> &str {
    sheet
        .get(row)
        .and_then(|r| r.get(col))
        .map_or("", String::as_str)
}

/// `1,000,250` or `1.000.250` (the profile's locale decides) as a number.
fn digits(s: &str) -> i64 {
    let d: String = s.chars().filter(char::is_ascii_digit).collect();
    d.parse()
        .unwrap_or_else(|_| panic!("{s:?} is not a number"))
}

#[test]
fn libreoffice_reads_and_recalculates() {
    let Some(soffice) = soffice() else { return };
    let dir = tempfile::Builder::new()
        .prefix("dondoc-lo-")
        .tempdir()
        .unwrap();

    // A canary whose cached result is wrong on purpose: reading 2 proves
    // LibreOffice recalculated instead of trusting the cache.
    let mut canary = rust_xlsxwriter::Workbook::new();
    canary
        .add_worksheet()
        .set_name("canary")
        .unwrap()
        .write_formula(0, 0, rust_xlsxwriter::Formula::new("1+1").set_result("5"))
        .unwrap();
    let bytes = write_xlsx(&fixture()).unwrap();
    let file = dir.path().join("theo-doi.xlsx");
    std::fs::write(&file, &bytes).unwrap();
    let canary_file = dir.path().join("canary.xlsx");
    std::fs::write(&canary_file, canary.save_to_buffer().unwrap()).unwrap();

    let sheets = to_csvs(&soffice, &canary_file, &dir.path().join("canary"));
    let canary = sheets.values().next().expect("the canary sheet");
    assert_eq!(at(canary, 0, 0), "2", "LibreOffice did not recalculate");

    let sheets = to_csvs(&soffice, &file, &dir.path().join("out"));
    let mut names: Vec<&String> = sheets.keys().collect();
    names.sort();
    assert_eq!(
        names,
        [
            SHEET_REPORTS,
            SHEET_FIGURES,
            SHEET_PERIOD_FIGURES,
            SHEET_TASKS
        ]
    );
    // LibreOffice's own SUBTOTAL over every report's row.
    let by_period = &sheets[SHEET_PERIOD_FIGURES];
    assert_eq!(digits(at(by_period, HEAD + 3, 3)), 1274);

    let tasks = &sheets[SHEET_TASKS];
    assert_eq!(at(tasks, 1, 0), "Tính đến ngày 10/02/2025");
    assert_eq!(at(tasks, HEAD, 3), "Nhiệm vụ");
    assert_eq!(at(tasks, HEAD + 1, 2), "Ban Tuyên giáo Tỉnh uỷ");
    assert_eq!(at(tasks, HEAD + 1, 6), "05/02/2025");
    assert_eq!(at(tasks, HEAD + 1, 8), "03/02/2025");
    assert_eq!(at(tasks, HEAD + 2, 2), "Huyện uỷ Hoà An");
    assert_eq!(at(tasks, HEAD + 2, 6), "");
    assert_eq!(at(tasks, HEAD + 3, 6), "31/12/2025");
    assert!(at(tasks, HEAD + 1, 3).contains("(03/02/1930 – 03/02/2025)"));

    let reports = &sheets[SHEET_REPORTS];
    assert_eq!(at(reports, HEAD + 3, 1), "Đúng hạn 03/02/2025");
    assert_eq!(at(reports, HEAD + 3, 2), "Chưa nộp");
    assert_eq!(at(reports, HEAD + 4, 1), "Chậm 07/02/2025");
    assert_eq!(at(reports, HEAD + 4, 2), "");
    // COUNTIF with wildcards, recalculated.
    let per_unit: Vec<&str> = (HEAD + 3..HEAD + 6).map(|r| at(reports, r, 4)).collect();
    assert_eq!(per_unit, ["2", "2", "0"]);
    let per_period: Vec<&str> = (1..5).map(|c| at(reports, HEAD + 6, c)).collect();
    assert_eq!(per_period, ["2", "0", "2", "4"]);

    let figures = &sheets[SHEET_FIGURES];
    assert_eq!(at(figures, HEAD, 2), "Tin, bài (bài)");
    assert_eq!(digits(at(figures, HEAD + 1, 2)), 1234);
    assert_eq!(at(figures, HEAD + 2, 3), "");
    assert_eq!(at(figures, HEAD + 4, 0), "Tổng cộng");
    let sums: Vec<i64> = (2..5).map(|c| digits(at(figures, HEAD + 4, c))).collect();
    assert_eq!(sums, [1290, 5, 1_000_250]);
}
