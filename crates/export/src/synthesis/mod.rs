//! The synthesis report (báo cáo tổng hợp) as a Word document in the
//! Party's document format (Hướng dẫn 36-HD/VPTW): header block, title,
//! body from the figures and the tasks, recipients and signature.
//!
//! Two steps: [`words::document`] writes every sentence of the report from
//! the data the store gathered (`dondoc_core::documents::synthesis`) into a
//! [`Document`]; [`write_docx`] lays that document out. [`to_docx`] does
//! both.

pub mod words;

use std::io::Cursor;

use docx_rs::{
    AlignmentType, BreakType, Docx, DocxError, Header, LineSpacing, LineSpacingType, PageMargin,
    PageNum, Paragraph, Run, RunFonts, SpecialIndentType, Table, TableCell, TableCellMargins,
    TableLayoutType, TableRow, VAlignType, WidthType,
};
use dondoc_core::text::{nfc, vn_date, vn_number, vn_percent};
use jiff::civil::Date;

use crate::error::ExportError;
use dondoc_core::documents::synthesis::{
    FigureRow, Indicator, PeriodicFigures, Rates, Signature, Synthesis,
};

/// Everything the report says, in words: made by [`words::document`] from
/// the store's data (or written directly, as the tests do).
#[derive(Debug, Clone, Default)]
pub struct Document {
    /// The body above the issuer in the header (`ĐẢNG BỘ TỈNH CAO BẰNG`), if any.
    pub superior: Option<String>,
    /// The issuing body, as the header writes it (`TỈNH UỶ CAO BẰNG`, `BAN TUYÊN GIÁO`).
    pub issuer: String,
    /// The report's own number, e.g. `Số    -BC/TU` (left blank for the clerk when unknown).
    pub number: String,
    pub place: String,
    pub date: Date,
    /// The plan reported on.
    pub plan_number: String,
    pub plan_date: Option<Date>,
    pub plan_issuer: String,
    pub plan_title: String,
    /// What the report covers: `Đợt I (từ ngày 19/11/2024 đến ngày 31/12/2024)` or `toàn bộ Kế hoạch`.
    pub scope: String,
    /// Sentences on how the plan was deployed, made from the data.
    pub deployment: Vec<String>,
    /// Reporting rates over the scope.
    pub rates: Rates,
    /// The figures' columns.
    pub indicators: Vec<Indicator>,
    /// One row per unit that reported figures, in the unit tree's order.
    pub figures: Vec<FigureRow>,
    /// Column totals (same order as `indicators`); equal to the dashboard's.
    pub totals: Vec<i64>,
    /// Results by form of work: the form's title and its indicators' totals in words.
    pub forms: Vec<FormText>,
    /// The recurring reports' figures by period, kept apart from the table
    /// above when that one sums the phase reports.
    pub periodic: Vec<PeriodicFigures>,
    pub done: Vec<TaskText>,
    pub in_progress: Vec<TaskText>,
    pub not_started: Vec<TaskText>,
    pub overdue: Vec<TaskText>,
    /// Tasks whose deadline waits on an event not yet dated.
    pub pending: Vec<TaskText>,
    /// Reports that came in late, and expected reports that never came.
    pub late: Vec<ReportText>,
    pub missing: Vec<ReportText>,
    /// The units' narratives, grouped by topic (the report they belong to).
    pub narratives: Vec<NarrativeText>,
    pub recipients: Vec<String>,
    pub signature: Option<Signature>,
}

#[derive(Debug, Clone, Default)]
pub struct FormText {
    pub reference: String,
    pub title: String,
    /// `1.234 tin, bài trên báo chí` …
    pub lines: Vec<String>,
}

#[derive(Debug, Clone, Default)]
pub struct TaskText {
    pub reference: String,
    pub text: String,
    /// The units, as one string (`Ban Tuyên giáo Tỉnh uỷ; Văn phòng Tỉnh uỷ`).
    pub units: String,
    /// The due window in words (`trước ngày 05/02/2025`, `chờ ngày Đại hội XX …`).
    pub due: String,
    /// Done on, or days overdue, in words.
    pub note: String,
}

#[derive(Debug, Clone, Default)]
pub struct ReportText {
    pub unit: String,
    /// The report and period (`Đợt I`, `Hằng tháng 01/2025`).
    pub report: String,
    /// `05/02/2025`
    pub due: String,
    /// `07/02/2025` for a late one; empty for a missing one.
    pub submitted: String,
}

#[derive(Debug, Clone, Default)]
pub struct NarrativeText {
    pub topic: String,
    /// (unit, text)
    pub items: Vec<(String, String)>,
}

// Lengths as Word stores them: twentieths of a point (twips); font sizes in
// half-points. 1 mm = 56.7 twips.
const PAGE_WIDTH: u32 = 11_906; // A4, 210 mm
const PAGE_HEIGHT: u32 = 16_838; // A4, 297 mm
const MARGIN_TOP: i32 = 1_134; // 20 mm
const MARGIN_BOTTOM: i32 = 1_134; // 20 mm
const MARGIN_LEFT: i32 = 1_701; // 30 mm
const MARGIN_RIGHT: i32 = 851; // 15 mm
const HEADER_DISTANCE: i32 = 567; // 10 mm: the page number sits inside the top margin
/// The width between the margins, which every table spans.
const TEXT_WIDTH: usize = (PAGE_WIDTH as i32 - MARGIN_LEFT - MARGIN_RIGHT) as usize;
const FIRST_LINE_INDENT: i32 = 567; // 1 cm
const PARAGRAPH_SPACING: u32 = 120; // 6 pt
const CELL_SPACING: u32 = 40; // 2 pt
const CELL_PADDING: usize = 57; // 1 mm either side of a figure
const TITLE_SPACE: u32 = 360; // 18 pt between the header block and the title
const BLOCK_SPACE: u32 = 240; // 12 pt above the closing block
const SINGLE_LINE: i32 = 240;

const FONT: &str = "Times New Roman";
const SIZE_BODY: usize = 28; // 14 pt
const SIZE_PARTY_NAME: usize = 30; // 15 pt, as the guide sets the line "ĐẢNG CỘNG SẢN VIỆT NAM"
const SIZE_DOC_KIND: usize = 32; // 16 pt for "BÁO CÁO"
const SIZE_RECIPIENTS: usize = 24; // 12 pt
const SIZE_TABLE: usize = 22; // 11 pt
const SIZE_TABLE_HEAD: usize = 20; // 10 pt: indicator labels are long

/// Indicator columns per figures table. The plan has a dozen indicators; on
/// an A4 portrait page more than four numeric columns beside the unit name
/// no longer fit a seven-digit number, so wider sets are split over several
/// tables that repeat the unit columns.
const MAX_INDICATOR_COLUMNS: usize = 4;
const COL_NUMBER: usize = 624; // 11 mm
const COL_LEVEL: usize = 1_020;
const COL_INDICATOR: usize = 1_400;

/// Header block: the issuer's column is narrower than the party's name.
const HEADER_LEFT: usize = 3_969; // 70 mm
/// Closing block: recipients on the left, signature on the right.
const CLOSING_LEFT: usize = 4_677;
const SIGNATURE_SPACE: u32 = 1_701; // 3 cm left blank for the signature and seal

const PLACEHOLDER_HIGHLIGHT: &str = "yellow";

/// The report as a Word document (`.docx`), laid out in the Party's format.
pub fn to_docx(s: &Synthesis) -> Result<Vec<u8>, ExportError> {
    write_docx(&words::document(s))
}

/// A document already in words as a Word document (`.docx`), laid out in
/// the Party's format.
pub fn write_docx(s: &Document) -> Result<Vec<u8>, ExportError> {
    check_shapes(s)?;

    let stamp = format!("{}T00:00:00Z", s.date);
    let mut doc = Docx::new()
        .page_size(PAGE_WIDTH, PAGE_HEIGHT)
        .page_margin(
            PageMargin::new()
                .top(MARGIN_TOP)
                .bottom(MARGIN_BOTTOM)
                .left(MARGIN_LEFT)
                .right(MARGIN_RIGHT)
                .header(HEADER_DISTANCE)
                .footer(HEADER_DISTANCE),
        )
        .default_fonts(
            RunFonts::new()
                .ascii(FONT)
                .hi_ansi(FONT)
                .east_asia(FONT)
                .cs(FONT),
        )
        .default_size(SIZE_BODY)
        .default_line_spacing(
            LineSpacing::new()
                .before(0)
                .after(0)
                .line(SINGLE_LINE)
                .line_rule(LineSpacingType::Auto),
        )
        // Page numbers from page 2 on, centred at the top; page 1 has none.
        .header(Header::new().add_paragraph(centred().add_page_num(PageNum::new())))
        .first_header(Header::new())
        // Dated by the report, never by the clock, so the same data gives the same file.
        .created_at(&stamp)
        .updated_at(&stamp);

    doc = doc.add_table(header_block(s));
    for p in title_block(s) {
        doc = doc.add_paragraph(p);
    }

    doc = doc.add_paragraph(heading("I- TÌNH HÌNH TRIỂN KHAI THỰC HIỆN"));
    for sentence in &s.deployment {
        if !clean(sentence).trim().is_empty() {
            doc = doc.add_paragraph(body_text(sentence));
        }
    }
    doc = doc.add_paragraph(body_text(&rates_sentence(&s.rates)));

    doc = doc.add_paragraph(heading("II- KẾT QUẢ THỰC HIỆN"));
    doc = doc.add_paragraph(heading("1. Kết quả theo các hình thức tuyên truyền"));
    for p in forms(s) {
        doc = doc.add_paragraph(p);
    }

    doc = doc.add_paragraph(heading("2. Số liệu tổng hợp theo đơn vị"));
    if s.figures.is_empty() {
        doc = doc.add_paragraph(body_text(
            "Trong phạm vi báo cáo này chưa có đơn vị nào báo cáo số liệu.",
        ));
    } else {
        doc = add_tables(doc, figure_tables(&by_unit(s)));
    }
    for p in &s.periodic {
        doc = doc.add_paragraph(body_text(&format!(
            "Số liệu báo cáo {} theo từng kỳ (không cộng vào bảng trên, vì báo cáo đợt \
             đã gồm số liệu của các kỳ trong đợt):",
            clean(&p.regime).trim().to_lowercase()
        )));
        doc = add_tables(doc, figure_tables(&by_period(p)));
    }

    doc = doc.add_paragraph(heading("3. Tình hình thực hiện nhiệm vụ"));
    // Only the kinds that have tasks, lettered in turn: an office report
    // does not list empty headings.
    let kinds = [
        ("Nhiệm vụ đã hoàn thành", &s.done),
        ("Nhiệm vụ đang thực hiện", &s.in_progress),
        ("Nhiệm vụ chưa thực hiện (chưa đến hạn)", &s.not_started),
        ("Nhiệm vụ quá hạn", &s.overdue),
        (
            "Nhiệm vụ có thời hạn phụ thuộc sự kiện chưa xác định thời gian",
            &s.pending,
        ),
    ];
    const LETTERS: [&str; 5] = ["a", "b", "c", "d", "đ"];
    let listed: Vec<_> = kinds.iter().filter(|(_, t)| !t.is_empty()).collect();
    if listed.is_empty() {
        doc = doc.add_paragraph(body_text(
            "Trong phạm vi báo cáo này không có nhiệm vụ nào giao cho các đơn vị.",
        ));
    }
    for (letter, (label, tasks)) in LETTERS.iter().zip(listed) {
        doc = doc.add_paragraph(sub_heading(&format!("{letter}) {label}")));
        for t in tasks.iter() {
            doc = doc.add_paragraph(task_paragraph(t));
        }
    }

    doc = doc.add_paragraph(heading("4. Báo cáo chậm, chưa báo cáo"));
    for p in late_and_missing(s) {
        doc = doc.add_paragraph(p);
    }

    doc = doc.add_paragraph(heading("5. Nội dung nổi bật từ báo cáo của các đơn vị"));
    for p in narratives(s) {
        doc = doc.add_paragraph(p);
    }

    doc = doc
        .add_paragraph(heading("III- HẠN CHẾ, KHÓ KHĂN"))
        .add_paragraph(placeholder(
            "[Người soạn bổ sung những hạn chế, khó khăn trong quá trình thực hiện Kế hoạch.]",
        ))
        .add_paragraph(heading("IV- ĐỀ XUẤT, KIẾN NGHỊ"))
        .add_paragraph(placeholder("[Người soạn bổ sung các đề xuất, kiến nghị.]"))
        .add_table(closing_block(s));

    let mut out = Cursor::new(Vec::new());
    doc.build()
        .pack(&mut out)
        .map_err(|e| ExportError::Docx(DocxError::from(e)))?;
    deflate(&out.into_inner())
}

/// docx-rs stores its parts uncompressed; the same parts deflated make a
/// file a fifth the size, better to download and to send on.
fn deflate(stored: &[u8]) -> Result<Vec<u8>, ExportError> {
    use std::io::{Read, Write};
    let fail = |e: &dyn std::fmt::Display| ExportError::Pack(e.to_string());
    let mut input = zip::ZipArchive::new(Cursor::new(stored)).map_err(|e| fail(&e))?;
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::with_capacity(stored.len() / 4)));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let mut buf = Vec::new();
    for i in 0..input.len() {
        let mut part = input.by_index(i).map_err(|e| fail(&e))?;
        if part.is_dir() {
            continue;
        }
        buf.clear();
        part.read_to_end(&mut buf).map_err(|e| fail(&e))?;
        let name = part.name().map_err(|e| fail(&e))?.to_string();
        out.start_file(name, options).map_err(|e| fail(&e))?;
        out.write_all(&buf).map_err(|e| fail(&e))?;
    }
    Ok(out.finish().map_err(|e| fail(&e))?.into_inner())
}

/// The file name a person would save it under, ASCII-safe and Vietnamese-readable: e.g. "bao-cao-ket-qua-KH-390-KH-TU-dot-I-2025-02-10.docx"
///
/// Diacritics are dropped (`Đợt` → `dot`), words are lower-cased except those
/// written all in capitals (document symbols, Roman numerals), which keep
/// their case; the scope's dates in parentheses are left out because the
/// report's own date ends the name.
pub fn file_name(s: &Synthesis) -> String {
    document_file_name(&words::document(s))
}

/// [`file_name`] of a document already in words.
pub fn document_file_name(s: &Document) -> String {
    let mut parts = vec!["bao-cao-ket-qua".to_string()];
    let plan = slug(&s.plan_number);
    if !plan.is_empty() {
        parts.push(format!("KH-{plan}"));
    }
    let scope = clean(&s.scope);
    let scope = scope.split('(').next().unwrap_or_default();
    let scope = shorten(&slug(scope), 60);
    if !scope.is_empty() {
        parts.push(scope);
    }
    parts.push(s.date.to_string());
    format!("{}.docx", parts.join("-"))
}

fn check_shapes(s: &Document) -> Result<(), ExportError> {
    let indicators = s.indicators.len();
    for row in &s.figures {
        if row.values.len() != indicators {
            return Err(ExportError::RowWidth {
                unit: clean(&row.unit),
                values: row.values.len(),
                indicators,
            });
        }
    }
    if !s.figures.is_empty() && s.totals.len() != indicators {
        return Err(ExportError::TotalsWidth {
            totals: s.totals.len(),
            indicators,
        });
    }
    for p in &s.periodic {
        let indicators = p.indicators.len();
        if let Some(row) = p.rows.iter().find(|r| r.values.len() != indicators) {
            return Err(ExportError::RowWidth {
                unit: clean(&row.period),
                values: row.values.len(),
                indicators,
            });
        }
        if p.totals.len() != indicators {
            return Err(ExportError::TotalsWidth {
                totals: p.totals.len(),
                indicators,
            });
        }
    }
    Ok(())
}

// ---------------------------------------------------------------- text ----

/// Text as it goes into the document: NFC (so Vietnamese letters are single
/// code points that every font and search finds), line ends unified, and no
/// control characters, which XML forbids.
fn clean(s: &str) -> String {
    nfc(s)
        .replace("\r\n", "\n")
        .chars()
        .filter_map(|c| match c {
            '\n' => Some('\n'),
            '\r' | '\t' => Some(' '),
            // No XML can carry these: a stored narrative holding one would
            // make the whole document unreadable.
            c if !dondoc_core::text::is_text_char(c) => None,
            c => Some(c),
        })
        .collect()
}

/// A run of text; line ends inside it become line breaks.
fn run(text: &str) -> Run {
    let text = clean(text);
    let mut r = Run::new();
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            r = r.add_break(BreakType::TextWrapping);
        }
        r = r.add_text(line);
    }
    r
}

/// `Cao Bằng, ngày 05 tháng 02 năm 2025`: a zero before days under 10 and
/// the months 1 and 2, as the guide on Party documents writes dates.
fn place_date(place: &str, d: Date) -> String {
    let month = if d.month() < 3 {
        format!("{:02}", d.month())
    } else {
        d.month().to_string()
    };
    let words = format!("ngày {:02} tháng {month} năm {}", d.day(), d.year());
    let place = clean(place);
    let place = place.trim();
    if place.is_empty() {
        capitalise(&words)
    } else {
        format!("{place}, {words}")
    }
}

fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The text without one closing `.`, `;` or `,`, so that a note can follow
/// it; an ellipsis stays.
fn without_final_stop(s: &str) -> &str {
    let s = s.trim_end();
    if s.ends_with("...") || s.ends_with('…') {
        return s;
    }
    s.strip_suffix(['.', ';', ',']).unwrap_or(s).trim_end()
}

/// The ASCII letter under a Vietnamese one, keeping its case.
fn ascii_letter(c: char) -> Option<char> {
    if c.is_ascii() {
        return Some(c);
    }
    const GROUPS: [(char, &str); 7] = [
        ('a', "àáảãạăằắẳẵặâầấẩẫậ"),
        ('e', "èéẻẽẹêềếểễệ"),
        ('i', "ìíỉĩị"),
        ('o', "òóỏõọôồốổỗộơờớởỡợ"),
        ('u', "ùúủũụưừứửữự"),
        ('y', "ỳýỷỹỵ"),
        ('d', "đ"),
    ];
    let lower = c.to_lowercase().next()?;
    let base = GROUPS
        .iter()
        .find(|(_, letters)| letters.contains(lower))
        .map(|(base, _)| *base)?;
    Some(if c.is_uppercase() {
        base.to_ascii_uppercase()
    } else {
        base
    })
}

/// Words joined by `-`: ASCII letters and digits only; a word with no small
/// letter (`KH`, `TU`, `XIV`) keeps its capitals, any other is lower-cased.
fn slug(s: &str) -> String {
    let folded: String = clean(s)
        .chars()
        .map(|c| match ascii_letter(c) {
            Some(a) if a.is_ascii_alphanumeric() => a,
            _ => ' ',
        })
        .collect();
    folded
        .split_whitespace()
        .map(|w| {
            if w.chars().any(|c| c.is_ascii_lowercase()) {
                w.to_ascii_lowercase()
            } else {
                w.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("-")
}

/// At most `max` bytes, cut between words.
fn shorten(slug: &str, max: usize) -> String {
    if slug.len() <= max {
        return slug.to_string();
    }
    let mut out = String::new();
    for word in slug.split('-') {
        if out.len() + word.len() + usize::from(!out.is_empty()) > max {
            break;
        }
        if !out.is_empty() {
            out.push('-');
        }
        out.push_str(word);
    }
    out
}

// ----------------------------------------------------------- paragraphs ----

/// A body paragraph: justified, first line indented 1 cm, 6 pt before.
fn body() -> Paragraph {
    Paragraph::new()
        .align(AlignmentType::Both)
        .indent(
            None,
            Some(SpecialIndentType::FirstLine(FIRST_LINE_INDENT)),
            None,
            None,
        )
        .line_spacing(LineSpacing::new().before(PARAGRAPH_SPACING).after(0))
}

fn body_text(text: &str) -> Paragraph {
    body().add_run(run(text))
}

fn heading(text: &str) -> Paragraph {
    body().keep_next(true).add_run(run(text).bold())
}

fn sub_heading(text: &str) -> Paragraph {
    body().keep_next(true).add_run(run(text).bold().italic())
}

fn centred() -> Paragraph {
    Paragraph::new().align(AlignmentType::Center)
}

/// Left for the author to write: italic and highlighted so it is not missed.
fn placeholder(text: &str) -> Paragraph {
    body().add_run(run(text).italic().highlight(PLACEHOLDER_HIGHLIGHT))
}

fn line_item(text: &str) -> Paragraph {
    body_text(&format!("- {}", clean(text).trim()))
}

// ------------------------------------------------------------- sections ----

/// The two columns at the top: issuer and number on the left, the party's
/// name and the place and date on the right. The number and the date share
/// the second row so they sit on one line.
fn header_block(s: &Document) -> Table {
    let right = TEXT_WIDTH - HEADER_LEFT;

    let mut issuer = Vec::new();
    if let Some(superior) = &s.superior {
        let superior = clean(superior).trim().to_uppercase();
        if !superior.is_empty() {
            issuer.push(centred().add_run(run(&superior)));
        }
    }
    issuer.push(centred().add_run(run(clean(&s.issuer).trim().to_uppercase().as_str()).bold()));
    issuer.push(centred().add_run(run("*")));

    let party = vec![
        centred().add_run(
            run("ĐẢNG CỘNG SẢN VIỆT NAM")
                .bold()
                .underline("single")
                .size(SIZE_PARTY_NAME),
        ),
    ];

    let number = clean(&s.number);
    let number = number.trim();
    let number = if number.is_empty() {
        // The clerk writes the number in by hand.
        "Số        ".to_string()
    } else if number.to_lowercase().starts_with("số") {
        number.to_string()
    } else {
        format!("Số {number}")
    };

    let rows = vec![
        TableRow::new(vec![
            cell(HEADER_LEFT, issuer).vertical_align(VAlignType::Top),
            cell(right, party).vertical_align(VAlignType::Top),
        ]),
        TableRow::new(vec![
            cell(HEADER_LEFT, vec![centred().add_run(run(&number))]),
            cell(
                right,
                vec![centred().add_run(run(&place_date(&s.place, s.date)).italic())],
            ),
        ]),
    ];
    borderless(rows, vec![HEADER_LEFT, right])
}

fn title_block(s: &Document) -> Vec<Paragraph> {
    let mut subject = String::from("kết quả thực hiện Kế hoạch");
    let number = clean(&s.plan_number);
    if !number.trim().is_empty() {
        subject.push_str(&format!(" số {}", number.trim()));
    }
    if let Some(d) = s.plan_date {
        subject.push_str(&format!(", ngày {}", vn_date(d)));
    }
    let issuer = clean(&s.plan_issuer);
    if !issuer.trim().is_empty() {
        subject.push_str(&format!(" của {}", issuer.trim()));
    }

    let mut out = vec![
        centred()
            .line_spacing(LineSpacing::new().before(TITLE_SPACE))
            .add_run(run("BÁO CÁO").bold().size(SIZE_DOC_KIND)),
        centred().add_run(run(&subject).bold()),
    ];
    let title = clean(&s.plan_title);
    if !title.trim().is_empty() {
        out.push(centred().add_run(run(title.trim()).bold()));
    }
    let scope = clean(&s.scope);
    if !scope.trim().is_empty() {
        out.push(centred().add_run(run(&format!("Phạm vi báo cáo: {}", scope.trim())).italic()));
    }
    out.push(centred().add_run(run("-----")));
    out
}

fn rates_sentence(r: &Rates) -> String {
    if r.expected <= 0 {
        let mut s =
            String::from("Trong phạm vi báo cáo này không có đơn vị nào đến hạn phải báo cáo.");
        if r.submitted > 0 {
            s.push_str(&format!(" Đã nhận {} báo cáo.", vn_number(r.submitted)));
        }
        return s;
    }
    // One report per unit: the units are the reports. Over several periods
    // the reports are counted, and the units owing them said apart.
    let owed = if r.units <= 0 || r.units == r.expected {
        format!("{} đơn vị phải báo cáo", vn_number(r.expected))
    } else {
        format!(
            "{} báo cáo đã đến hạn của {} đơn vị",
            vn_number(r.expected),
            vn_number(r.units)
        )
    };
    format!(
        "Tình hình báo cáo: {owed}; đã nhận {} ({}), trong đó {} đúng hạn ({}).",
        vn_number(r.submitted),
        vn_percent(r.submitted, r.expected),
        vn_number(r.on_time),
        vn_percent(r.on_time, r.expected),
    )
}

fn forms(s: &Document) -> Vec<Paragraph> {
    if s.forms.is_empty() {
        return vec![body_text(
            "Trong phạm vi báo cáo này chưa có kết quả nào theo các hình thức tuyên truyền.",
        )];
    }
    s.forms
        .iter()
        .map(|f| {
            let title = short_title(&clean(&f.title));
            let title = if title.is_empty() {
                clean(&f.reference)
            } else {
                title
            };
            let lines: Vec<String> = f
                .lines
                .iter()
                .map(|l| without_final_stop(&clean(l)).to_string())
                .filter(|l| !l.is_empty())
                .collect();
            let results = if lines.is_empty() {
                "chưa có số liệu".to_string()
            } else {
                lines.join("; ")
            };
            body()
                .add_run(run("- "))
                .add_run(run(&format!("{}:", title.trim())).italic())
                .add_run(run(&format!(" {results}.")))
        })
        .collect()
}

/// A form of work's title as a label, without its final stop: whole up to
/// twelve words, else its first clause (up to the first comma, semicolon or
/// bracket once it has four words) within sixteen words, else the first
/// twelve; never an
/// ellipsis, so that no label ends "… .:".
pub fn short_title(title: &str) -> String {
    let title = without_final_stop(title.trim()).trim();
    let words: Vec<&str> = title.split_whitespace().collect();
    if words.len() <= 12 {
        return words.join(" ");
    }
    // A clause boundary is looked for within sixteen words; without one
    // the label is the first twelve.
    let mut out: Vec<&str> = Vec::new();
    for w in &words {
        if out.len() >= 16 {
            out.truncate(12);
            break;
        }
        let ends = w.ends_with([',', ';', ':']) || w.starts_with('(');
        if w.starts_with('(') && out.len() >= 4 {
            break;
        }
        out.push(w);
        if ends && out.len() >= 4 {
            break;
        }
    }
    let joined = out.join(" ");
    joined
        .trim_end_matches([',', ';', ':', '.', ' '])
        .to_string()
}

/// Tables one after the other, numbered when there are several.
fn add_tables(mut doc: Docx, tables: Vec<Table>) -> Docx {
    let count = tables.len();
    for (i, table) in tables.into_iter().enumerate() {
        if count > 1 {
            // Also keeps Word from merging two tables that touch.
            doc = doc.add_paragraph(
                centred()
                    .line_spacing(LineSpacing::new().before(PARAGRAPH_SPACING))
                    .keep_next(true)
                    .add_run(run(&format!("Bảng {}/{}", i + 1, count)).italic()),
            );
        }
        doc = doc.add_table(table);
    }
    doc
}

/// A figures table before it is laid out: two text columns, then one per
/// indicator, and a total row.
struct FigureGrid<'a> {
    heads: [&'a str; 2],
    total: &'a str,
    indicators: &'a [Indicator],
    rows: Vec<(String, String, &'a [Option<i64>])>,
    totals: &'a [i64],
}

/// The figures per unit.
fn by_unit(s: &Document) -> FigureGrid<'_> {
    FigureGrid {
        heads: ["Đơn vị", "Cấp"],
        total: "Tổng cộng",
        indicators: &s.indicators,
        rows: s
            .figures
            .iter()
            .map(|r| (r.unit.clone(), r.level.clone(), r.values.as_slice()))
            .collect(),
        totals: &s.totals,
    }
}

/// A recurring report's figures per period.
fn by_period(p: &PeriodicFigures) -> FigureGrid<'_> {
    FigureGrid {
        heads: ["Kỳ báo cáo", "Số báo cáo"],
        total: "Cộng các kỳ",
        indicators: &p.indicators,
        rows: p
            .rows
            .iter()
            .map(|r| (r.period.clone(), vn_number(r.reports), r.values.as_slice()))
            .collect(),
        totals: &p.totals,
    }
}

/// One table per group of at most [`MAX_INDICATOR_COLUMNS`] indicators.
fn figure_tables(g: &FigureGrid) -> Vec<Table> {
    let columns: Vec<usize> = (0..g.indicators.len()).collect();
    let groups: Vec<&[usize]> = if columns.is_empty() {
        vec![&[]]
    } else {
        columns.chunks(MAX_INDICATOR_COLUMNS).collect()
    };
    groups
        .into_iter()
        .map(|group| figure_table(g, group))
        .collect()
}

fn figure_table(g: &FigureGrid, group: &[usize]) -> Table {
    let unit_width = TEXT_WIDTH - COL_NUMBER - COL_LEVEL - COL_INDICATOR * group.len();
    let mut grid = vec![COL_NUMBER, unit_width, COL_LEVEL];
    grid.extend(std::iter::repeat_n(COL_INDICATOR, group.len()));

    let head = |text: &str| {
        vec![cell_text(text, AlignmentType::Center, |r| {
            r.bold().size(SIZE_TABLE_HEAD)
        })]
    };
    let mut header = vec![
        cell(COL_NUMBER, head("STT")),
        cell(unit_width, head(g.heads[0])),
        cell(COL_LEVEL, head(g.heads[1])),
    ];
    for &i in group {
        let ind = &g.indicators[i];
        let label = clean(&ind.label);
        let unit = clean(&ind.unit);
        let text = if unit.trim().is_empty() {
            label.trim().to_string()
        } else {
            format!("{} ({})", label.trim(), unit.trim())
        };
        header.push(cell(COL_INDICATOR, head(&text)));
    }
    let mut rows = vec![TableRow::new(header).cant_split()];

    let plain = |r: Run| r.size(SIZE_TABLE);
    for (n, (first, second, values)) in g.rows.iter().enumerate() {
        let mut cells = vec![
            cell(
                COL_NUMBER,
                vec![cell_text(
                    &(n + 1).to_string(),
                    AlignmentType::Center,
                    plain,
                )],
            ),
            cell(
                unit_width,
                vec![cell_text(first, AlignmentType::Left, plain)],
            ),
            cell(
                COL_LEVEL,
                vec![cell_text(second, AlignmentType::Center, plain)],
            ),
        ];
        for &i in group {
            let value = values
                .get(i)
                .copied()
                .flatten()
                .map(vn_number)
                .unwrap_or_default();
            cells.push(cell(
                COL_INDICATOR,
                vec![cell_text(&value, AlignmentType::Right, plain)],
            ));
        }
        rows.push(TableRow::new(cells).cant_split());
    }

    let strong = |r: Run| r.bold().size(SIZE_TABLE);
    let mut total = vec![
        cell(
            COL_NUMBER + unit_width + COL_LEVEL,
            vec![cell_text(g.total, AlignmentType::Center, strong)],
        )
        .grid_span(3),
    ];
    for &i in group {
        let sum = g.totals.get(i).copied().unwrap_or(0);
        total.push(cell(
            COL_INDICATOR,
            vec![cell_text(&vn_number(sum), AlignmentType::Right, strong)],
        ));
    }
    rows.push(TableRow::new(total).cant_split());

    Table::new(rows)
        .margins(TableCellMargins::new().margin(0, CELL_PADDING, 0, CELL_PADDING))
        .set_grid(grid)
        .width(TEXT_WIDTH, WidthType::Dxa)
        .layout(TableLayoutType::Fixed)
}

fn task_paragraph(t: &TaskText) -> Paragraph {
    let mut lead = String::from("- ");
    let reference = clean(&t.reference);
    if !reference.trim().is_empty() {
        lead.push_str(&format!("Mục {}: ", reference.trim()));
    }
    let text = clean(&t.text);
    lead.push_str(without_final_stop(&text));

    let mut details = Vec::new();
    let units = clean(&t.units);
    if !units.trim().is_empty() {
        details.push(format!("đơn vị thực hiện: {}", units.trim()));
    }
    let due = clean(&t.due);
    let due = due.trim();
    if due.starts_with("không") || due.starts_with("chờ") || due == "thường xuyên" {
        // Words that say themselves: "không nêu thời hạn", "chờ ngày …".
        details.push(due.to_string());
    } else if !due.is_empty() {
        details.push(format!("thời hạn: {due}"));
    }
    let note = clean(&t.note);
    if !note.trim().is_empty() {
        details.push(without_final_stop(&note).to_string());
    }

    let mut p = body().add_run(run(&lead));
    if !details.is_empty() {
        p = p.add_run(run(&format!(" ({})", details.join("; "))).italic());
    }
    p.add_run(run("."))
}

fn late_and_missing(s: &Document) -> Vec<Paragraph> {
    if s.late.is_empty() && s.missing.is_empty() {
        let sentence = if s.rates.expected > 0 {
            "Các đơn vị đã báo cáo đầy đủ, đúng hạn."
        } else {
            "Trong phạm vi báo cáo này không có báo cáo nào đến hạn."
        };
        return vec![body_text(sentence)];
    }
    let describe = |r: &ReportText| {
        let mut parts = Vec::new();
        let report = clean(&r.report);
        if !report.trim().is_empty() {
            parts.push(report.trim().to_string());
        }
        let due = clean(&r.due);
        if !due.trim().is_empty() {
            parts.push(format!("hạn {}", due.trim()));
        }
        let submitted = clean(&r.submitted);
        if !submitted.trim().is_empty() {
            parts.push(format!("gửi ngày {}", submitted.trim()));
        }
        let unit = clean(&r.unit);
        if parts.is_empty() {
            format!("+ {}.", unit.trim())
        } else {
            format!("+ {}: {}.", unit.trim(), parts.join(", "))
        }
    };

    let mut out = Vec::new();
    if s.late.is_empty() {
        out.push(body_text("- Không có báo cáo nào gửi chậm."));
    } else {
        out.push(body().keep_next(true).add_run(run(&format!(
            "- Báo cáo gửi chậm ({}):",
            vn_number(s.late.len() as i64)
        ))));
        out.extend(s.late.iter().map(|r| body_text(&describe(r))));
    }
    if s.missing.is_empty() {
        out.push(body_text("- Không có đơn vị nào chưa báo cáo."));
    } else {
        out.push(body().keep_next(true).add_run(run(&format!(
            "- Chưa báo cáo ({}):",
            vn_number(s.missing.len() as i64)
        ))));
        out.extend(s.missing.iter().map(|r| body_text(&describe(r))));
    }
    out
}

fn narratives(s: &Document) -> Vec<Paragraph> {
    let mut out = Vec::new();
    for group in &s.narratives {
        let items: Vec<_> = group
            .items
            .iter()
            .filter(|(_, text)| !clean(text).trim().is_empty())
            .collect();
        if items.is_empty() {
            continue;
        }
        let topic = clean(&group.topic);
        if !topic.trim().is_empty() {
            out.push(sub_heading(topic.trim()));
        }
        for (unit, text) in items {
            let unit = clean(unit);
            let text = clean(text);
            // A narrative of several paragraphs keeps them, each indented.
            let mut paragraphs = text.split('\n').map(str::trim).filter(|l| !l.is_empty());
            let first = paragraphs.next().unwrap_or_default();
            out.push(if unit.trim().is_empty() {
                line_item(first)
            } else {
                body()
                    .add_run(run(&format!("- {}: ", unit.trim())).italic())
                    .add_run(run(first))
            });
            out.extend(paragraphs.map(body_text));
        }
    }
    if out.is_empty() {
        out.push(body_text(
            "Trong phạm vi báo cáo này chưa có đơn vị nào báo cáo nội dung nổi bật.",
        ));
    }
    out
}

/// Recipients on the left, the signature on the right.
fn closing_block(s: &Document) -> Table {
    let right = TEXT_WIDTH - CLOSING_LEFT;
    let small = |text: &str| {
        Paragraph::new()
            .align(AlignmentType::Left)
            .add_run(run(text).size(SIZE_RECIPIENTS))
    };

    let mut recipients: Vec<String> = s
        .recipients
        .iter()
        .map(|r| without_final_stop(clean(r).trim()).to_string())
        .filter(|r| !r.is_empty())
        .collect();
    // The file copy ("Lưu …") closes the list.
    recipients.sort_by_key(|r| r.to_lowercase().starts_with("lưu"));
    let mut left = vec![
        Paragraph::new()
            .line_spacing(LineSpacing::new().before(BLOCK_SPACE))
            .add_run(run("Nơi nhận:").bold().italic().size(SIZE_RECIPIENTS)),
    ];
    let last = recipients.len().saturating_sub(1);
    for (i, r) in recipients.iter().enumerate() {
        let end = if i == last { '.' } else { ',' };
        left.push(small(&format!("- {r}{end}")));
    }
    if recipients.is_empty() {
        // The drafter's to fill: who receives the report is not in the data.
        for line in ["- [Người soạn ghi nơi nhận],", "- Lưu [đơn vị lưu]."] {
            left.push(
                Paragraph::new().align(AlignmentType::Left).add_run(
                    run(line)
                        .size(SIZE_RECIPIENTS)
                        .highlight(PLACEHOLDER_HIGHLIGHT),
                ),
            );
        }
    }

    let mut sign = Vec::new();
    if let Some(sig) = &s.signature {
        let nonempty = |t: &str| Some(clean(t).trim().to_string()).filter(|t| !t.is_empty());
        let heading = sig.on_behalf.as_deref().and_then(nonempty);
        let strong = |text: &str, before: u32| {
            centred()
                .line_spacing(LineSpacing::new().before(before))
                .add_run(run(text).bold())
        };
        for (i, line) in heading
            .iter()
            .chain(nonempty(&sig.title).iter())
            .enumerate()
        {
            sign.push(strong(line, if i == 0 { BLOCK_SPACE } else { 0 }));
        }
        if let Some(name) = nonempty(&sig.name) {
            sign.push(strong(&name, SIGNATURE_SPACE));
        }
    } else {
        // Who signs is the drafter's to fill.
        let mark = |text: &str, before: u32| {
            centred()
                .line_spacing(LineSpacing::new().before(before))
                .add_run(run(text).bold().highlight(PLACEHOLDER_HIGHLIGHT))
        };
        sign.push(mark("[T/M CƠ QUAN BAN HÀNH]", BLOCK_SPACE));
        sign.push(mark("[CHỨC VỤ NGƯỜI KÝ]", 0));
        sign.push(mark("[Họ và tên]", SIGNATURE_SPACE));
    }

    borderless(
        vec![TableRow::new(vec![
            cell(CLOSING_LEFT, left).vertical_align(VAlignType::Top),
            cell(right, sign).vertical_align(VAlignType::Top),
        ])],
        vec![CLOSING_LEFT, right],
    )
}

// --------------------------------------------------------------- tables ----

fn cell(width: usize, paragraphs: Vec<Paragraph>) -> TableCell {
    let mut c = TableCell::new()
        .width(width, WidthType::Dxa)
        .vertical_align(VAlignType::Center);
    if paragraphs.is_empty() {
        // Word requires a paragraph in every cell.
        c = c.add_paragraph(Paragraph::new());
    }
    for p in paragraphs {
        c = c.add_paragraph(p);
    }
    c
}

/// A one-line cell paragraph with a little air above and below.
fn cell_text(text: &str, align: AlignmentType, style: impl Fn(Run) -> Run) -> Paragraph {
    Paragraph::new()
        .align(align)
        .line_spacing(LineSpacing::new().before(CELL_SPACING).after(CELL_SPACING))
        .add_run(style(run(text)))
}

fn borderless(rows: Vec<TableRow>, grid: Vec<usize>) -> Table {
    Table::without_borders(rows)
        // No lines to keep text away from, so the full width is for text.
        .margins(TableCellMargins::new().margin(0, 0, 0, 0))
        .set_grid(grid)
        .width(TEXT_WIDTH, WidthType::Dxa)
        .layout(TableLayoutType::Fixed)
}
