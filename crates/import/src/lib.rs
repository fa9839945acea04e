//! Reading a plan from its document.
//!
//! A document (plain text, Markdown, DOCX, or text in one of the legacy
//! Vietnamese encodings) becomes a list of numbered lines in NFC; the lines
//! are read into a plan draft in the form of `spec/plan-json.md`, with the
//! names of units that matched nothing known and the lines that were not
//! understood listed beside it, never dropped.

pub mod adopt;
mod assign;
pub mod docx;
mod flat_table;
mod header;
pub mod legacy;
pub mod lines;
pub mod matching;
mod names;
mod outline;
mod reader;
pub mod sample;
mod timing;

use dondoc_core::plan::PlanDoc;
pub use matching::Known;
pub use reader::TaskSource;

/// The forms a document comes in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Docx,
}

/// A plan read from a document, before anyone has checked it.
#[derive(Debug, Clone)]
pub struct Draft {
    /// The plan in the interchange form, with `proposed_units` and `unparsed`.
    pub plan: PlanDoc,
    /// For each task, the source lines it was read from (1-based).
    pub sources: Vec<TaskSource>,
    /// The document's lines as read (after decoding), for showing beside the draft.
    pub lines: Vec<String>,
    pub format: Format,
    /// The encoding the text was found in (`UTF-8`, `TCVN3 (ABC)` …).
    pub encoding: &'static str,
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("tệp trống: không có chữ nào để đọc")]
    Empty,
    #[error("tệp không phải văn bản: {0}")]
    NotText(String),
    #[error("{0}")]
    Docx(#[from] docx::DocxError),
    #[error(
        "không nhận ra kế hoạch trong tệp: không thấy số văn bản, tiêu đề, đợt hay nhiệm vụ nào ({lines} dòng đã đọc)"
    )]
    NotAPlan { lines: usize },
}

/// Reads a document's bytes; `file_name` tells DOCX from text where the
/// bytes alone would not.
pub fn read_bytes(bytes: &[u8], file_name: &str) -> Result<Draft, ImportError> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(ImportError::Empty);
    }
    let is_zip = bytes.starts_with(b"PK\x03\x04");
    let docx_name = file_name.to_lowercase().ends_with(".docx");
    if is_zip || docx_name {
        let lines = docx::read_lines(bytes)?;
        let text: Vec<String> = lines.into_iter().map(|l| l.text).collect();
        return read_lines(text, Format::Docx, "UTF-8");
    }
    if file_name.to_lowercase().ends_with(".doc") || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Err(ImportError::NotText(
            "tệp Word 97–2003 (.doc) chưa đọc được; hãy lưu lại thành .docx".into(),
        ));
    }
    if bytes.starts_with(b"%PDF") {
        return Err(ImportError::NotText(
            "tệp PDF chưa đọc được; hãy dùng bản .docx hoặc văn bản".into(),
        ));
    }
    let nul = bytes.iter().take(4096).filter(|&&b| b == 0).count();
    if nul > 0 && !(bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF])) {
        return Err(ImportError::NotText(format!(
            "có {nul} byte 0 trong 4 KB đầu: đây là tệp nhị phân"
        )));
    }
    let (text, encoding) = if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        (utf16(bytes), legacy::Encoding::Utf8)
    } else {
        legacy::decode_bytes(bytes)
    };
    read_lines(
        text.lines().map(str::to_string).collect(),
        Format::Text,
        encoding.name(),
    )
}

fn utf16(bytes: &[u8]) -> String {
    let le = bytes.starts_with(&[0xFF, 0xFE]);
    let units: Vec<u16> = bytes[2..]
        .chunks_exact(2)
        .map(|c| {
            if le {
                u16::from_le_bytes([c[0], c[1]])
            } else {
                u16::from_be_bytes([c[0], c[1]])
            }
        })
        .collect();
    String::from_utf16_lossy(&units)
}

/// Reads text already in Unicode.
pub fn read_text(text: &str) -> Result<Draft, ImportError> {
    if text.trim().is_empty() {
        return Err(ImportError::Empty);
    }
    read_lines(
        text.lines().map(str::to_string).collect(),
        Format::Text,
        "UTF-8",
    )
}

fn read_lines(
    raw: Vec<String>,
    format: Format,
    encoding: &'static str,
) -> Result<Draft, ImportError> {
    let joined = raw.join("\n");
    if joined.trim().is_empty() {
        return Err(ImportError::Empty);
    }
    let lines = lines::split(&joined);
    let reading = reader::read(&lines);
    let plan = reading.plan;
    if plan.tasks.is_empty()
        && plan.phases.is_empty()
        && plan.number.is_empty()
        && plan.title.is_empty()
        && plan.reporting.is_empty()
    {
        return Err(ImportError::NotAPlan { lines: lines.len() });
    }
    let mut draft = Draft {
        plan,
        sources: reading.sources,
        lines: lines.into_iter().map(|l| l.raw).collect(),
        format,
        encoding,
    };
    matching::propose(&mut draft.plan, None);
    Ok(draft)
}

/// A few lines saying what the draft holds, for a person to check before
/// it is stored.
pub fn summary(draft: &Draft) -> String {
    let p = &draft.plan;
    let mut out = String::new();
    let date = p
        .date
        .as_deref()
        .map(dondoc_core::text::vn_date_text)
        .unwrap_or_else(|| "(không rõ ngày)".into());
    out.push_str(&format!(
        "Kế hoạch {} ngày {} — {}\n",
        if p.number.is_empty() {
            "(không rõ số)"
        } else {
            &p.number
        },
        date,
        if p.issuer.is_empty() {
            "(không rõ nơi ban hành)"
        } else {
            &p.issuer
        }
    ));
    out.push_str(&format!("{}\n", p.title));
    let timed = p.tasks.iter().filter(|t| t.deadline.is_some()).count();
    out.push_str(&format!(
        "{} đợt, {} nhiệm vụ ({} có thời hạn đọc được), {} báo cáo, {} khẩu hiệu, {} văn bản căn cứ.\n",
        p.phases.len(),
        p.tasks.len(),
        timed,
        p.reporting.len(),
        p.slogans.len(),
        p.based_on.len()
    ));
    if let Some(units) = &p.proposed_units
        && !units.is_empty()
    {
        out.push_str(&format!(
            "Đơn vị chưa có, đề nghị thêm mới ({}): {}\n",
            units.len(),
            units.join("; ")
        ));
    }
    if let Some(lines) = &p.unparsed
        && !lines.is_empty()
    {
        out.push_str(&format!("Dòng chưa hiểu ({}):\n", lines.len()));
        for l in lines {
            out.push_str(&format!("  dòng {}: {}\n", l.line, l.text));
        }
    }
    out.push_str(&format!(
        "Định dạng: {}, bảng mã: {}.",
        match draft.format {
            Format::Text => "văn bản",
            Format::Docx => "DOCX",
        },
        draft.encoding
    ));
    out
}
