//! Any list a page shows, as a workbook of one sheet: its title and as-of
//! line, the column heads, the rows as the page writes them, a filter on
//! the heads. Numbers that are counts go in as numbers so that a sum works;
//! everything else is text as shown.

use dondoc_core::text::{nfc, vn_date, xml_safe};
use jiff::civil::Date;
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook, XlsxError};

/// A cell of a list.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Count(i64),
}

impl From<String> for Cell {
    fn from(s: String) -> Cell {
        Cell::Text(s)
    }
}

impl From<&str> for Cell {
    fn from(s: &str) -> Cell {
        Cell::Text(s.to_string())
    }
}

/// A list to write: a title (`Báo cáo chưa nộp – Đợt I`), the day it is as
/// of, the heads and their widths in characters, and the rows.
#[derive(Debug, Clone, Default)]
pub struct Table {
    pub title: String,
    pub today: Date,
    pub columns: Vec<(String, f64)>,
    pub rows: Vec<Vec<Cell>>,
}

fn clean(s: &str) -> String {
    xml_safe(&nfc(s)).into_owned()
}

/// Excel keeps sheet names to 31 characters and refuses a few.
fn sheet_name(title: &str) -> String {
    let name: String = title
        .chars()
        .filter(|c| !matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\'))
        .take(31)
        .collect();
    if name.trim().is_empty() {
        "Danh sách".to_string()
    } else {
        name.trim().to_string()
    }
}

pub fn to_xlsx(t: &Table) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name(sheet_name(&t.title))?;
    let head = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Center)
        .set_border(FormatBorder::Thin)
        .set_background_color("#D9D9D9");
    let text = Format::new()
        .set_text_wrap()
        .set_align(FormatAlign::Top)
        .set_border(FormatBorder::Thin);
    let number = Format::new()
        .set_num_format("#,##0")
        .set_align(FormatAlign::Top)
        .set_border(FormatBorder::Thin);
    sheet.write_string_with_format(0, 0, clean(&t.title), &Format::new().set_bold())?;
    sheet.write_string_with_format(
        1,
        0,
        format!("Tính đến ngày {}", vn_date(t.today)),
        &Format::new().set_italic(),
    )?;
    const HEAD_ROW: u32 = 3;
    for (c, (name, width)) in t.columns.iter().enumerate() {
        sheet.write_string_with_format(HEAD_ROW, c as u16, clean(name), &head)?;
        sheet.set_column_width(c as u16, *width)?;
    }
    for (r, row) in t.rows.iter().enumerate() {
        let at = HEAD_ROW + 1 + r as u32;
        for (c, cell) in row.iter().enumerate() {
            match cell {
                Cell::Text(s) => sheet.write_string_with_format(at, c as u16, clean(s), &text)?,
                Cell::Count(n) => {
                    sheet.write_number_with_format(at, c as u16, *n as f64, &number)?
                }
            };
        }
    }
    if !t.columns.is_empty() {
        let last = HEAD_ROW + t.rows.len() as u32;
        sheet.autofilter(HEAD_ROW, 0, last, t.columns.len() as u16 - 1)?;
        sheet.set_freeze_panes(HEAD_ROW + 1, 0)?;
    }
    sheet.set_landscape();
    sheet.set_paper_size(9);
    sheet.set_repeat_rows(HEAD_ROW, HEAD_ROW)?;
    book.save_to_buffer()
}

/// `ds-bao-cao-2025-02-10.xlsx`: ASCII, from a short ASCII stem.
pub fn file_name(stem: &str, today: Date) -> String {
    format!("{stem}-{}.xlsx", today.strftime("%Y-%m-%d"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_are_what_excel_takes() {
        assert_eq!(sheet_name("Báo cáo: Đợt I/2025"), "Báo cáo Đợt I2025");
        assert_eq!(sheet_name("   "), "Danh sách");
        assert_eq!(sheet_name(&"x".repeat(40)).chars().count(), 31);
    }
}
