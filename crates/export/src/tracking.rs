//! The tracking workbook: assignments, reporting, figures with formulas.

use dondoc_core::documents::synthesis::{FigureRow, Indicator};
use dondoc_core::documents::tracking::{
    AssignmentRow, PeriodCol, PeriodFigureRow, ReportCell, ReportingRow, Tracking,
};
use dondoc_core::due::Due;
use dondoc_core::text::{status_text, vn_date, xml_safe};
use jiff::civil::Date;
use rust_xlsxwriter::{
    ExcelDateTime, Format, FormatAlign, FormatBorder, Formula, Workbook, Worksheet, XlsxError,
    utility::cell_range,
};

/// A text as a cell carries it: NFC, without the characters no XML can
/// carry (a stored text from before input was checked may hold one).
fn nfc(s: &str) -> String {
    xml_safe(&dondoc_core::text::nfc(s)).into_owned()
}

/// The workbook's sheets in words: the store's data with each
/// assignment's deadline, status and evidence written out (see [`sheets`]), or
/// written directly, as the tests do.
#[derive(Debug, Clone, Default)]
pub struct Sheets {
    pub plan_number: String,
    pub plan_title: String,
    pub today: Date,
    pub assignments: Vec<AssignmentText>,
    /// Column headings of the reporting sheet: one per (report, period).
    pub periods: Vec<PeriodCol>,
    pub reporting: Vec<ReportingRow>,
    pub indicators: Vec<Indicator>,
    pub figures: Vec<FigureRow>,
    /// What the figures sheet sums (`các báo cáo đợt`); empty: not said.
    pub figures_scope: String,
    pub period_indicators: Vec<Indicator>,
    pub period_figures: Vec<PeriodFigureRow>,
}

/// One row of the tasks sheet.
#[derive(Debug, Clone, Default)]
pub struct AssignmentText {
    pub reference: String,
    pub unit: String,
    pub task: String,
    pub phrase: String,
    /// The resolved window in words, or the state (`chờ …`, `thường xuyên`).
    pub deadline: String,
    /// The window's last day, when there is one (for sorting and filters).
    pub due_date: Option<Date>,
    /// `Chưa bắt đầu`, `Đang thực hiện`, `Hoàn thành`, `Quá hạn (…)` …
    pub status: String,
    pub done_on: Option<Date>,
    pub evidence: String,
}

/// The workbook's words from the store's data.
pub fn sheets(t: &Tracking) -> Sheets {
    Sheets {
        plan_number: t.plan_number.clone(),
        plan_title: t.plan_title.clone(),
        today: t.today,
        assignments: t.assignments.iter().map(assignment_text).collect(),
        periods: t.periods.clone(),
        reporting: t.reporting.clone(),
        indicators: t.indicators.clone(),
        figures: t.figures.clone(),
        figures_scope: t.figures_scope.clone(),
        period_indicators: t.period_indicators.clone(),
        period_figures: t.period_figures.clone(),
    }
}

fn assignment_text(a: &AssignmentRow) -> AssignmentText {
    AssignmentText {
        reference: a.reference.clone(),
        unit: a.unit.clone(),
        task: a.task.clone(),
        phrase: a.phrase.clone(),
        deadline: deadline_text(&a.due),
        due_date: a.due_date,
        status: status_text(&a.status, a.overdue),
        done_on: a.done_on,
        evidence: evidence_text(&a.evidence, &a.files),
    }
}

/// Every window in words, `; ` between them; `không nêu thời hạn` for none.
pub fn deadline_text(due: &[Due]) -> String {
    if due.is_empty() {
        "không nêu thời hạn".to_string()
    } else {
        due.iter().map(Due::text).collect::<Vec<_>>().join("; ")
    }
}

/// The evidence, one line each, then `Tệp: a.pdf, b.docx`.
pub fn evidence_text(evidence: &[String], files: &[String]) -> String {
    let mut parts: Vec<String> = evidence.to_vec();
    if !files.is_empty() {
        parts.push(format!("Tệp: {}", files.join(", ")));
    }
    parts.join("\n")
}

/// The sheets' names, as the workbook shows them.
pub const SHEET_TASKS: &str = "Theo dõi nhiệm vụ";
pub const SHEET_REPORTS: &str = "Báo cáo";
pub const SHEET_FIGURES: &str = "Số liệu";
pub const SHEET_PERIOD_FIGURES: &str = "Số liệu theo kỳ";

/// Every sheet opens with its title (row 1), the as-of line (row 2) and a
/// blank row; the tables start on row 4.
const TITLE_ROW: u32 = 0;
const AS_OF_ROW: u32 = 1;
const HEAD_ROW: u32 = 3;

/// The label of the figures' total row.
pub const TOTAL_LABEL: &str = "Tổng cộng";
/// The reporting sheet's count of reports in, per unit (last column) and
/// per period (last row).
pub const SUBMITTED_COLUMN: &str = "Số kỳ đã nộp";
pub const SUBMITTED_ROW: &str = "Số đơn vị đã nộp";

const TASK_HEADINGS: [(&str, f64); 10] = [
    ("STT", 5.0),
    ("Số hiệu", 9.0),
    ("Đơn vị", 28.0),
    ("Nhiệm vụ", 60.0),
    ("Cụm thời hạn", 22.0),
    ("Thời hạn", 24.0),
    ("Ngày hạn", 12.0),
    ("Trạng thái", 16.0),
    ("Ngày hoàn thành", 13.0),
    ("Minh chứng", 36.0),
];

/// The cell formats, made once and shared by the sheets.
struct Styles {
    title: Format,
    as_of: Format,
    head: Format,
    text: Format,
    wrap: Format,
    center: Format,
    date: Format,
    number: Format,
    missing: Format,
    total_text: Format,
    total_number: Format,
    note: Format,
}

impl Styles {
    fn new() -> Styles {
        let cell = Format::new()
            .set_border(FormatBorder::Thin)
            .set_align(FormatAlign::Top);
        Styles {
            title: Format::new().set_bold().set_font_size(13),
            as_of: Format::new().set_italic(),
            // Grey prints as grey: the heading stays distinct without colour.
            head: Format::new()
                .set_bold()
                .set_text_wrap()
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter)
                .set_border(FormatBorder::Thin)
                .set_background_color("#D9D9D9"),
            text: cell.clone(),
            wrap: cell.clone().set_text_wrap(),
            center: cell.clone().set_align(FormatAlign::Center),
            // The Vietnamese order whatever the reader's locale.
            date: cell
                .clone()
                .set_num_format("dd/mm/yyyy")
                .set_align(FormatAlign::Center),
            // `#,##0` follows the reader's locale: 1.234 in a Vietnamese Excel.
            number: cell.clone().set_num_format("#,##0"),
            missing: cell.clone().set_bold(),
            total_text: cell.clone().set_bold(),
            total_number: cell.clone().set_bold().set_num_format("#,##0"),
            note: Format::new().set_italic(),
        }
    }
}

/// The tracking workbook: the tasks, the reports in and the figures.
pub fn to_xlsx(t: &Tracking) -> Result<Vec<u8>, XlsxError> {
    write_xlsx(&sheets(t))
}

/// Sheets already in words as an XLSX file.
pub fn write_xlsx(t: &Sheets) -> Result<Vec<u8>, XlsxError> {
    let styles = Styles::new();
    let mut workbook = Workbook::new();

    let sheet = workbook.add_worksheet();
    sheet.set_name(SHEET_TASKS)?;
    tasks_sheet(sheet, t, &styles)?;

    let sheet = workbook.add_worksheet();
    sheet.set_name(SHEET_REPORTS)?;
    reports_sheet(sheet, t, &styles)?;

    let sheet = workbook.add_worksheet();
    sheet.set_name(SHEET_FIGURES)?;
    figures_sheet(sheet, t, &styles)?;

    let sheet = workbook.add_worksheet();
    sheet.set_name(SHEET_PERIOD_FIGURES)?;
    period_figures_sheet(sheet, t, &styles)?;

    workbook.save_to_buffer()
}

/// `theo-doi-KH-390-KH-TU-2025-02-10.xlsx`: ASCII only, so that no browser
/// or mail client mangles it.
pub fn file_name(t: &Tracking) -> String {
    name_for(&t.plan_number, t.today)
}

/// [`file_name`] of sheets already in words.
pub fn sheets_file_name(t: &Sheets) -> String {
    name_for(&t.plan_number, t.today)
}

fn name_for(plan_number: &str, today: Date) -> String {
    let number = ascii_slug(plan_number);
    let day = today.strftime("%Y-%m-%d");
    if number.is_empty() {
        format!("theo-doi-{day}.xlsx")
    } else {
        format!("theo-doi-KH-{number}-{day}.xlsx")
    }
}

/// Title and as-of lines, print set-up shared by the three sheets.
fn heading(
    sheet: &mut Worksheet,
    t: &Sheets,
    what: &str,
    styles: &Styles,
) -> Result<(), XlsxError> {
    let mut title = what.to_string();
    if !t.plan_number.trim().is_empty() {
        title.push_str(" – Kế hoạch số ");
        title.push_str(t.plan_number.trim());
    }
    if !t.plan_title.trim().is_empty() {
        title.push_str(": ");
        title.push_str(t.plan_title.trim());
    }
    // Not merged: long text spills over the empty cells to its right anyway,
    // and a merge would get in the way of selecting columns.
    sheet.write_string_with_format(TITLE_ROW, 0, nfc(&title), &styles.title)?;
    sheet.write_string_with_format(
        AS_OF_ROW,
        0,
        format!("Tính đến ngày {}", vn_date(t.today)),
        &styles.as_of,
    )?;
    sheet.set_landscape();
    sheet.set_paper_size(9); // A4
    sheet.set_print_fit_to_pages(1, 0);
    Ok(())
}

fn tasks_sheet(sheet: &mut Worksheet, t: &Sheets, s: &Styles) -> Result<(), XlsxError> {
    let last_col = (TASK_HEADINGS.len() - 1) as u16;
    heading(sheet, t, "Theo dõi thực hiện nhiệm vụ", s)?;
    for (col, (name, width)) in TASK_HEADINGS.iter().enumerate() {
        let col = col as u16;
        sheet.write_string_with_format(HEAD_ROW, col, *name, &s.head)?;
        sheet.set_column_width(col, *width)?;
    }
    let mut row = HEAD_ROW;
    for (i, a) in t.assignments.iter().enumerate() {
        row = HEAD_ROW + 1 + i as u32;
        sheet.write_number_with_format(row, 0, (i + 1) as f64, &s.center)?;
        sheet.write_string_with_format(row, 1, nfc(&a.reference), &s.center)?;
        sheet.write_string_with_format(row, 2, nfc(&a.unit), &s.wrap)?;
        sheet.write_string_with_format(row, 3, nfc(&a.task), &s.wrap)?;
        sheet.write_string_with_format(row, 4, nfc(&a.phrase), &s.wrap)?;
        sheet.write_string_with_format(row, 5, nfc(&a.deadline), &s.wrap)?;
        write_date(sheet, row, 6, a.due_date, s)?;
        sheet.write_string_with_format(row, 7, nfc(&a.status), &s.text)?;
        write_date(sheet, row, 8, a.done_on, s)?;
        sheet.write_string_with_format(row, 9, nfc(&a.evidence), &s.wrap)?;
    }
    sheet.set_freeze_panes(HEAD_ROW + 1, 0)?;
    sheet.set_repeat_rows(HEAD_ROW, HEAD_ROW)?;
    sheet.autofilter(HEAD_ROW, 0, row, last_col)?;
    if t.assignments.is_empty() {
        sheet.write_string_with_format(HEAD_ROW + 1, 0, "Chưa có nhiệm vụ nào.", &s.note)?;
    }
    Ok(())
}

fn reports_sheet(sheet: &mut Worksheet, t: &Sheets, s: &Styles) -> Result<(), XlsxError> {
    let periods = t.periods.len() as u16;
    let count_col = periods + 1;
    heading(sheet, t, "Tình hình gửi báo cáo", s)?;

    // Three heading rows: the report, its period, its due day.
    let (report_row, period_row, due_row) = (HEAD_ROW, HEAD_ROW + 1, HEAD_ROW + 2);
    let first = due_row + 1;
    sheet.merge_range(report_row, 0, due_row, 0, "Đơn vị", &s.head)?;
    sheet.set_column_width(0, 32.0)?;
    let mut col = 0usize;
    while col < t.periods.len() {
        // Consecutive periods of one report share one merged report heading.
        let report = nfc(t.periods[col].report.trim());
        let mut end = col;
        while end + 1 < t.periods.len() && nfc(t.periods[end + 1].report.trim()) == report {
            end += 1;
        }
        let (c0, c1) = (col as u16 + 1, end as u16 + 1);
        if c1 > c0 {
            sheet.merge_range(report_row, c0, report_row, c1, &report, &s.head)?;
        } else {
            sheet.write_string_with_format(report_row, c0, &report, &s.head)?;
        }
        col = end + 1;
    }
    for (i, p) in t.periods.iter().enumerate() {
        let c = i as u16 + 1;
        sheet.write_string_with_format(period_row, c, nfc(p.period.trim()), &s.head)?;
        let due = p
            .due
            .map(|d| format!("Hạn {}", vn_date(d)))
            .unwrap_or_default();
        sheet.write_string_with_format(due_row, c, due, &s.head)?;
        sheet.set_column_width(c, 18.0)?;
    }
    sheet.merge_range(
        report_row,
        count_col,
        due_row,
        count_col,
        SUBMITTED_COLUMN,
        &s.head,
    )?;
    sheet.set_column_width(count_col, 12.0)?;

    let mut per_period = vec![0usize; t.periods.len()];
    for (i, r) in t.reporting.iter().enumerate() {
        let row = first + i as u32;
        sheet.write_string_with_format(row, 0, nfc(&r.unit), &s.wrap)?;
        let mut submitted = 0;
        for (j, count) in per_period.iter_mut().enumerate() {
            let c = j as u16 + 1;
            let cell = r.cells.get(j).cloned().unwrap_or_default();
            match cell {
                ReportCell::NotExpected => sheet.write_blank(row, c, &s.text)?,
                ReportCell::Missing => {
                    sheet.write_string_with_format(row, c, "Chưa nộp", &s.missing)?
                }
                ReportCell::OnTime(d) => sheet.write_string_with_format(
                    row,
                    c,
                    format!("Đúng hạn {}", vn_date(d)),
                    &s.text,
                )?,
                ReportCell::Late(d) => sheet.write_string_with_format(
                    row,
                    c,
                    format!("Chậm {}", vn_date(d)),
                    &s.text,
                )?,
            };
            if matches!(cell, ReportCell::OnTime(_) | ReportCell::Late(_)) {
                submitted += 1;
                *count += 1;
            }
        }
        let range = (periods > 0).then(|| cell_range(row, 1, row, periods));
        write_count(sheet, row, count_col, range, submitted, &s.total_number)?;
    }

    let total_row = first + t.reporting.len() as u32;
    sheet.write_string_with_format(total_row, 0, SUBMITTED_ROW, &s.total_text)?;
    let last = total_row.checked_sub(1).filter(|&l| l >= first);
    for (j, count) in per_period.iter().enumerate() {
        let c = j as u16 + 1;
        let range = last.map(|l| cell_range(first, c, l, c));
        write_count(sheet, total_row, c, range, *count, &s.total_number)?;
    }
    // The corner: all reports in, the sum of the column above it.
    let all: usize = per_period.iter().sum();
    match last {
        Some(l) => sheet.write_formula_with_format(
            total_row,
            count_col,
            Formula::new(format!(
                "SUM({})",
                cell_range(first, count_col, l, count_col)
            ))
            .set_result(all.to_string()),
            &s.total_number,
        )?,
        None => sheet.write_number_with_format(total_row, count_col, 0.0, &s.total_number)?,
    };
    sheet.set_freeze_panes(first, 1)?;
    sheet.set_repeat_rows(report_row, due_row)?;
    Ok(())
}

/// A count of reports in over `range` (text beginning `Đúng hạn` or `Chậm`),
/// with the count already made as the cached result.
fn write_count(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    range: Option<String>,
    count: usize,
    format: &Format,
) -> Result<(), XlsxError> {
    match range {
        Some(range) => {
            let formula = format!(r#"COUNTIF({range},"Đúng hạn*")+COUNTIF({range},"Chậm*")"#);
            sheet.write_formula_with_format(
                row,
                col,
                Formula::new(formula).set_result(count.to_string()),
                format,
            )?;
        }
        None => {
            sheet.write_number_with_format(row, col, count as f64, format)?;
        }
    }
    Ok(())
}

fn figures_sheet(sheet: &mut Worksheet, t: &Sheets, s: &Styles) -> Result<(), XlsxError> {
    let n = t.indicators.len() as u16;
    let last_col = n + 1;
    let what = if t.figures_scope.trim().is_empty() {
        "Số liệu kết quả thực hiện".to_string()
    } else {
        format!(
            "Số liệu kết quả thực hiện (cộng {})",
            t.figures_scope.trim()
        )
    };
    heading(sheet, t, &what, s)?;
    sheet.write_string_with_format(HEAD_ROW, 0, "Đơn vị", &s.head)?;
    sheet.write_string_with_format(HEAD_ROW, 1, "Cấp", &s.head)?;
    sheet.set_column_width(0, 32.0)?;
    sheet.set_column_width(1, 10.0)?;
    indicator_heads(sheet, &t.indicators, 2, s)?;

    let first = HEAD_ROW + 1;
    let mut sums = vec![0i64; t.indicators.len()];
    for (r, f) in t.figures.iter().enumerate() {
        let row = first + r as u32;
        sheet.write_string_with_format(row, 0, nfc(&f.unit), &s.wrap)?;
        sheet.write_string_with_format(row, 1, nfc(&f.level), &s.text)?;
        figure_cells(sheet, row, 2, &f.values, &mut sums, s)?;
    }

    let total_row = first + t.figures.len() as u32;
    sheet.write_string_with_format(total_row, 0, TOTAL_LABEL, &s.total_text)?;
    sheet.write_blank(total_row, 1, &s.total_text)?;
    for (i, sum) in sums.iter().enumerate() {
        let col = i as u16 + 2;
        if t.figures.is_empty() {
            sheet.write_number_with_format(total_row, col, 0.0, &s.total_number)?;
        } else {
            // The cached result lets readers that never recalculate (previews,
            // parsers) show the total too.
            let formula = format!("SUM({})", cell_range(first, col, total_row - 1, col));
            sheet.write_formula_with_format(
                total_row,
                col,
                Formula::new(formula).set_result(sum.to_string()),
                &s.total_number,
            )?;
        }
    }
    sheet.set_freeze_panes(first, 1)?;
    sheet.set_repeat_rows(HEAD_ROW, HEAD_ROW)?;
    // The filter leaves the total row out, so sorting never moves it.
    sheet.autofilter(
        HEAD_ROW,
        0,
        total_row.saturating_sub(1).max(HEAD_ROW),
        last_col,
    )?;
    if t.figures.is_empty() {
        sheet.write_string_with_format(total_row + 2, 0, "Chưa có số liệu.", &s.note)?;
    }
    Ok(())
}

/// Every report's figures on its own row: filter by unit, report or
/// period; the total row sums what the filter leaves visible.
fn period_figures_sheet(sheet: &mut Worksheet, t: &Sheets, s: &Styles) -> Result<(), XlsxError> {
    let last_col = t.period_indicators.len() as u16 + 2;
    heading(sheet, t, "Số liệu từng báo cáo, theo kỳ", s)?;
    sheet.write_string_with_format(HEAD_ROW, 0, "Đơn vị", &s.head)?;
    sheet.write_string_with_format(HEAD_ROW, 1, "Cấp", &s.head)?;
    sheet.write_string_with_format(HEAD_ROW, 2, "Báo cáo, kỳ", &s.head)?;
    sheet.set_column_width(0, 32.0)?;
    sheet.set_column_width(1, 10.0)?;
    sheet.set_column_width(2, 24.0)?;
    indicator_heads(sheet, &t.period_indicators, 3, s)?;
    let first = HEAD_ROW + 1;
    let mut sums = vec![0i64; t.period_indicators.len()];
    for (r, f) in t.period_figures.iter().enumerate() {
        let row = first + r as u32;
        sheet.write_string_with_format(row, 0, nfc(&f.unit), &s.wrap)?;
        sheet.write_string_with_format(row, 1, nfc(&f.level), &s.text)?;
        sheet.write_string_with_format(row, 2, nfc(&f.report), &s.text)?;
        figure_cells(sheet, row, 3, &f.values, &mut sums, s)?;
    }
    let total_row = first + t.period_figures.len() as u32;
    if t.period_figures.is_empty() {
        sheet.write_string_with_format(total_row + 1, 0, "Chưa có số liệu.", &s.note)?;
        return Ok(());
    }
    // SUBTOTAL(109, …) adds the rows a filter leaves visible: filtered on
    // one report, the row is that report's total; unfiltered it adds phase
    // and monthly reports together, which the label warns of.
    sheet.write_string_with_format(
        total_row,
        0,
        "Cộng các dòng đang hiện (lọc theo báo cáo trước khi cộng)",
        &s.total_text,
    )?;
    sheet.write_blank(total_row, 1, &s.total_text)?;
    sheet.write_blank(total_row, 2, &s.total_text)?;
    for (i, sum) in sums.iter().enumerate() {
        let col = i as u16 + 3;
        let formula = format!(
            "SUBTOTAL(109,{})",
            cell_range(first, col, total_row - 1, col)
        );
        sheet.write_formula_with_format(
            total_row,
            col,
            Formula::new(formula).set_result(sum.to_string()),
            &s.total_number,
        )?;
    }
    sheet.set_freeze_panes(first, 1)?;
    sheet.set_repeat_rows(HEAD_ROW, HEAD_ROW)?;
    sheet.autofilter(HEAD_ROW, 0, total_row - 1, last_col)?;
    Ok(())
}

/// One head per indicator from column `from` on.
fn indicator_heads(
    sheet: &mut Worksheet,
    indicators: &[Indicator],
    from: u16,
    s: &Styles,
) -> Result<(), XlsxError> {
    for (i, ind) in indicators.iter().enumerate() {
        let col = i as u16 + from;
        sheet.write_string_with_format(HEAD_ROW, col, nfc(&indicator_heading(ind)), &s.head)?;
        sheet.set_column_width(col, 16.0)?;
    }
    Ok(())
}

/// A row's figures from column `from` on, added to `sums`; blank, not
/// zero, where no figure was given.
fn figure_cells(
    sheet: &mut Worksheet,
    row: u32,
    from: u16,
    values: &[Option<i64>],
    sums: &mut [i64],
    s: &Styles,
) -> Result<(), XlsxError> {
    for (i, sum) in sums.iter_mut().enumerate() {
        let col = i as u16 + from;
        match values.get(i).copied().flatten() {
            Some(v) => {
                *sum += v;
                sheet.write_number_with_format(row, col, v as f64, &s.number)?;
            }
            None => {
                sheet.write_blank(row, col, &s.number)?;
            }
        }
    }
    Ok(())
}

/// `Tin, bài (bài)`; the label alone when the indicator has no unit.
fn indicator_heading(ind: &Indicator) -> String {
    let (label, unit) = (ind.label.trim(), ind.unit.trim());
    if unit.is_empty() {
        label.to_string()
    } else {
        format!("{label} ({unit})")
    }
}

/// A real date cell shown dd/mm/yyyy; blank when there is no date, and
/// the date as text when Excel cannot hold it (before 1900).
fn write_date(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    date: Option<Date>,
    s: &Styles,
) -> Result<(), XlsxError> {
    let Some(d) = date else {
        sheet.write_blank(row, col, &s.center)?;
        return Ok(());
    };
    let excel = u16::try_from(d.year())
        .ok()
        .and_then(|y| ExcelDateTime::from_ymd(y, d.month() as u8, d.day() as u8).ok());
    match excel {
        Some(x) => sheet.write_datetime_with_format(row, col, x, &s.date)?,
        None => sheet.write_string_with_format(row, col, vn_date(d), &s.center)?,
    };
    Ok(())
}

/// Vietnamese letters with their marks, by the plain letter they fold to.
const FOLDS: [(char, &str); 7] = [
    ('a', "àáảãạăằắẳẵặâầấẩẫậ"),
    ('d', "đ"),
    ('e', "èéẻẽẹêềếểễệ"),
    ('i', "ìíỉĩị"),
    ('o', "òóỏõọôồốổỗộơờớởỡợ"),
    ('u', "ùúủũụưừứửữự"),
    ('y', "ỳýỷỹỵ"),
];

/// Text as a file-name part: Vietnamese letters without their marks, case
/// kept, every run of anything else one `-`.
pub(crate) fn ascii_slug(s: &str) -> String {
    let mut out = String::new();
    let mut gap = false;
    for c in nfc(s).chars() {
        let c = fold(c);
        if c.is_ascii_alphanumeric() {
            if gap && !out.is_empty() {
                out.push('-');
            }
            gap = false;
            out.push(c);
        } else if !('\u{0300}'..='\u{036F}').contains(&c) {
            // A stray combining mark belongs to the letter before it.
            gap = true;
        }
    }
    out
}

fn fold(c: char) -> char {
    if c.is_ascii() {
        return c;
    }
    let lower = c.to_lowercase().next().unwrap_or(c);
    for (plain, marked) in FOLDS {
        if marked.contains(lower) {
            return if lower == c {
                plain
            } else {
                plain.to_ascii_uppercase()
            };
        }
    }
    c
}
