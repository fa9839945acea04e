//! Task tables that text extraction flattened, one cell per paragraph.
//!
//! A table copied out of a web page or a PDF often arrives as its cells one
//! under another, each set apart by a blank line: `TT`, `Nhiệm vụ`, `Cơ
//! quan chủ trì`, …, then `1`, the task, its lead, its partners, its time.
//! Cells left empty leave no paragraph, so a row is read by what each cell
//! holds, in the order of the header's columns: names of bodies fill the
//! lead and partner columns, a time fills the time column, anything else
//! the columns of results and funding. A paragraph that comes after a row's
//! last column, with no number of its own, is a second task in that row's
//! merged cells (it keeps the cells it does not give). The table is written
//! back as the rows a real table gives (`| 1 | … |`), on the line of each
//! row's first cell, so the rest of the reader sees one kind of table.

use crate::names;
use crate::timing;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Col {
    Number,
    Content,
    Lead,
    Coordinate,
    Time,
    Other,
}

/// Consecutive non-blank lines: one cell.
struct Block {
    lines: Vec<usize>,
    text: String,
}

fn blocks(out: &[String]) -> Vec<Block> {
    let mut v: Vec<Block> = Vec::new();
    let mut open = false;
    for (i, l) in out.iter().enumerate() {
        let t = l.trim();
        if t.is_empty() {
            open = false;
            continue;
        }
        match v.last_mut() {
            Some(b) if open => {
                b.lines.push(i);
                b.text.push(' ');
                b.text.push_str(t);
            }
            _ => v.push(Block {
                lines: vec![i],
                text: t.to_string(),
            }),
        }
        open = true;
    }
    v
}

/// The column a header cell names.
fn header_col(cell: &str) -> Option<Col> {
    let l = cell.trim().trim_end_matches([':', '.']).to_lowercase();
    if l.split_whitespace().count() > 8 {
        return None;
    }
    let has = |ws: &[&str]| ws.iter().any(|w| l.contains(w));
    if matches!(l.as_str(), "tt" | "stt" | "số tt" | "số thứ tự") {
        Some(Col::Number)
    } else if has(&[
        "kết quả",
        "sản phẩm",
        "kinh phí",
        "ghi chú",
        "hình thức",
        "cấp trình",
        "dự toán",
    ]) {
        Some(Col::Other)
    } else if has(&["thời gian", "thời hạn", "tiến độ", "hoàn thành"]) {
        Some(Col::Time)
    } else if has(&["phối hợp"]) {
        Some(Col::Coordinate)
    } else if has(&[
        "chủ trì",
        "thực hiện",
        "phụ trách",
        "trách nhiệm",
        "cơ quan",
        "đơn vị",
    ]) {
        Some(Col::Lead)
    } else if has(&[
        "nội dung",
        "nhiệm vụ",
        "công việc",
        "hoạt động",
        "chỉ tiêu",
        "giải pháp",
        "tên",
    ]) {
        Some(Col::Content)
    } else {
        None
    }
}

fn bare_number(t: &str) -> bool {
    let t = t.trim().trim_end_matches('.');
    !t.is_empty() && t.len() <= 3 && t.chars().all(|c| c.is_ascii_digit())
}

fn roman(t: &str) -> bool {
    let t = t.trim().trim_end_matches('.');
    !t.is_empty() && t.len() <= 5 && t.chars().all(|c| matches!(c, 'I' | 'V' | 'X'))
}

/// `I. Kinh tế số` in one paragraph: a group's numeral and title.
fn roman_titled(t: &str) -> Option<&str> {
    let (n, rest) = t.split_once(['.', '-'])?;
    (roman(n) && !rest.trim().is_empty()).then(|| rest.trim())
}

fn time_like(t: &str) -> bool {
    let words = t.split_whitespace().count();
    if words > 14 {
        return false;
    }
    if timing::rule_of(t).is_ok_and(|r| r.is_some()) {
        return true;
    }
    let l = t.to_lowercase();
    words <= 10
        && ([
            "quý",
            "quí",
            "tháng",
            "thường xuyên",
            "hằng",
            "hàng năm",
            "hàng quý",
            "định kỳ",
            "khi có",
            "giai đoạn",
            "năm 20",
        ]
        .iter()
        .any(|w| l.contains(w))
            || l.split(|c: char| !c.is_ascii_digit())
                .any(|d| d.len() == 4 && d.starts_with("20")))
}

/// Names of bodies, the whole cell or nearly: `Sở Tài chính`, `Các sở,
/// ngành, UBND xã, phường`.
fn unit_like(t: &str) -> bool {
    let t = t.trim().trim_end_matches(['.', ';']);
    if t.split_whitespace().count() > 40 || time_like(t) {
        return false;
    }
    // A short cell that opens with a name is a body's name the reader
    // cannot follow to its end (`Ban Quản lý các khu công nghệ cao …`).
    let (names, end) = names::name_list_loose(t);
    !names.is_empty() && (end * 2 >= t.len() || t.split_whitespace().count() <= 15)
}

struct Row {
    number: String,
    first: usize,
    cells: Vec<Option<String>>,
    group: bool,
}

/// Rewrites every flattened task table in `out` as rows of cells.
pub fn rebuild(out: &mut [String]) {
    let bs = blocks(out);
    let mut k = 0;
    while k < bs.len() {
        if let Some(next) = table_at(out, &bs, k) {
            k = next;
        } else {
            k += 1;
        }
    }
}

/// A table whose header starts at block `k`: rewritten, and the block after
/// it returned.
fn table_at(out: &mut [String], bs: &[Block], k: usize) -> Option<usize> {
    if !matches!(header_col(&bs[k].text), Some(Col::Number | Col::Content)) || bs[k].lines.len() > 2
    {
        return None;
    }
    let mut cols = Vec::new();
    let mut titles = Vec::new();
    let mut j = k;
    while let Some(b) = bs.get(j) {
        let Some(c) = header_col(&b.text).filter(|_| b.lines.len() <= 3) else {
            break;
        };
        cols.push(c);
        titles.push(b.text.clone());
        j += 1;
    }
    let body: Vec<(Col, String)> = cols
        .iter()
        .copied()
        .zip(titles)
        .filter(|(c, _)| *c != Col::Number)
        .collect();
    let content = body.iter().position(|(c, _)| *c == Col::Content)?;
    if body.len() < 2 || !body.iter().any(|(c, _)| *c == Col::Lead) {
        return None;
    }
    // The first row must start right under the header.
    let first = bs.get(j)?;
    if !(bare_number(&first.text) || roman(&first.text) || roman_titled(&first.text).is_some()) {
        return None;
    }
    let mut rows: Vec<Row> = Vec::new();
    let mut pointer = 0;
    while let Some(b) = bs.get(j) {
        let t = b.text.trim();
        let lower = t.to_lowercase();
        if lower.starts_with("nơi nhận")
            || lower.starts_with("phụ lục")
            || (t.starts_with(|c: char| c.is_uppercase())
                && t.chars()
                    .filter(|c| c.is_alphabetic())
                    .all(char::is_uppercase)
                && t.split_whitespace().count() >= 2
                && !rows
                    .last()
                    .is_some_and(|r| r.group && r.cells[content].is_none()))
        {
            break;
        }
        let new_row = |number: &str, group: bool| Row {
            number: number.trim_end_matches('.').to_string(),
            first: b.lines[0],
            cells: vec![None; body.len()],
            group,
        };
        if bare_number(t) || roman(t) {
            rows.push(new_row(t, roman(t)));
            pointer = 0;
            j += 1;
            continue;
        }
        if let Some(title) = roman_titled(t) {
            let mut r = new_row(t.split(['.', '-']).next().unwrap_or(""), true);
            r.cells[content] = Some(title.to_string());
            rows.push(r);
            pointer = body.len();
            j += 1;
            continue;
        }
        let Some(row) = rows.last_mut() else {
            break;
        };
        if row.cells[content].is_none() {
            row.cells[content] = Some(t.to_string());
            pointer = content + 1;
            j += 1;
            continue;
        }
        if row.group {
            j += 1;
            continue;
        }
        let fits = |c: Col| match c {
            // Whoever the lead column names is the lead, a known shape of
            // name or not (`Doanh nghiệp, nhà cung cấp dịch vụ IoT`).
            Col::Lead => unit_like(t) || t.split_whitespace().count() <= 15 && !time_like(t),
            Col::Coordinate => unit_like(t),
            Col::Time => time_like(t),
            Col::Other => !unit_like(t) && !time_like(t),
            Col::Content | Col::Number => false,
        };
        if let Some(at) = (pointer..body.len()).find(|&i| fits(body[i].0)) {
            row.cells[at] = Some(t.to_string());
            pointer = at + 1;
        } else {
            // A second task in the row's merged cells.
            let mut cells = row.cells.clone();
            for (i, (c, _)) in body.iter().enumerate() {
                if matches!(c, Col::Lead | Col::Other) {
                    cells[i] = None;
                }
            }
            cells[content] = Some(t.to_string());
            rows.push(Row {
                number: String::new(),
                first: b.lines[0],
                cells,
                group: false,
            });
            pointer = content + 1;
        }
        j += 1;
    }
    if rows.iter().filter(|r| !r.group).count() < 2 {
        return None;
    }
    // Blank the table, then write the header and each row back.
    let cell = |s: &str| s.replace('|', "/");
    let header_line = bs[k].lines[0];
    for b in &bs[k..j] {
        for &l in &b.lines {
            out[l].clear();
        }
    }
    let mut head = vec!["TT".to_string()];
    head.extend(body.iter().map(|(_, t)| cell(t)));
    out[header_line] = format!("| {} |", head.join(" | "));
    for r in &rows {
        let mut cells = vec![r.number.clone()];
        cells.extend(r.cells.iter().map(|c| cell(c.as_deref().unwrap_or(""))));
        out[r.first] = format!("| {} |", cells.join(" | "));
    }
    Some(j)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rebuilt(text: &str) -> Vec<String> {
        let mut out: Vec<String> = text.lines().map(str::to_string).collect();
        rebuild(&mut out);
        out.into_iter().filter(|l| !l.is_empty()).collect()
    }

    #[test]
    fn cells_one_per_paragraph_become_rows() {
        let text = "TT\n\nNhiệm vụ\n\nCơ quan chủ trì\n\nCơ quan phối hợp\n\n\
Thời gian dự kiến hoàn thành\n\nKết quả dự kiến\n\nI\n\nHoàn thiện thể chế\n\n1\n\n\
Rà soát các văn bản quy phạm pháp luật\n\nSở Tư pháp\n\nCác sở, ngành\n\nQuý IV/2025\n\n\
Báo cáo\n\n2\n\nXây dựng hạ tầng\n\nSở Khoa học và Công nghệ\n\nQuý II/2026\n\n\
Phần mềm ứng dụng\n\nXây dựng hạ tầng dự phòng cho hệ thống\n\nTrung tâm Chuyển đổi số\n";
        let rows = rebuilt(text);
        assert_eq!(
            rows,
            [
                "| TT | Nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian dự kiến hoàn thành | Kết quả dự kiến |",
                "| I | Hoàn thiện thể chế |  |  |  |  |",
                "| 1 | Rà soát các văn bản quy phạm pháp luật | Sở Tư pháp | Các sở, ngành | Quý IV/2025 | Báo cáo |",
                // No partner: the time goes to its column all the same.
                "| 2 | Xây dựng hạ tầng | Sở Khoa học và Công nghệ |  | Quý II/2026 | Phần mềm ứng dụng |",
                // The second task of row 2 keeps the row's time.
                "|  | Xây dựng hạ tầng dự phòng cho hệ thống | Trung tâm Chuyển đổi số |  | Quý II/2026 |  |",
            ]
        );
    }

    #[test]
    fn prose_with_short_paragraphs_is_left_alone() {
        let text = "Nhiệm vụ\n\nTổ chức thực hiện\n\nCác sở thực hiện tốt kế hoạch.\n";
        let before: Vec<String> = text
            .lines()
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .collect();
        assert_eq!(rebuilt(text), before);
    }
}
