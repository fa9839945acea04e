//! A small DOCX writer for tests: documents are made when a test runs, so
//! no binary file is kept in the repository.
//!
//! The files are what Word itself writes, in miniature: content types,
//! relationships, the document, styles (with heading styles that carry
//! their numbering, as Word's built-in headings do) and numbering
//! definitions. Automatic numbering is written as Word stores it, so the
//! numbers are not in the text and a reader has to work them out.

#![allow(dead_code)]

use std::io::{Cursor, Write};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

/// The numbering of Vietnamese plans: "I-", then "1.", "1.1.", "1.1.1.".
/// The decimal levels leave out the roman one, and restart after it.
pub const SECTIONS: u32 = 1;
/// Bullets: "-" at level 0, "+" at level 1.
pub const BULLETS: u32 = 2;
/// The list of the heading styles: "Phần 1." (Heading1), "a)" (Heading2).
pub const HEADINGS: u32 = 3;

const ABSTRACT_SECTIONS: u32 = 0;
const ABSTRACT_BULLETS: u32 = 1;
const ABSTRACT_HEADINGS: u32 = 2;

/// One run of text with its formatting.
#[derive(Debug, Clone, Copy, Default)]
pub struct Run<'a> {
    pub text: &'a str,
    pub bold: bool,
    pub italic: bool,
    /// A font named on the run. For a legacy Vietnamese font (.VnTime,
    /// VNI-Times) the text is given already encoded: one char per byte.
    pub font: Option<&'a str>,
}

impl<'a> Run<'a> {
    pub fn plain(text: &'a str) -> Self {
        Run {
            text,
            ..Run::default()
        }
    }

    pub fn bold(text: &'a str) -> Self {
        Run {
            text,
            bold: true,
            ..Run::default()
        }
    }

    pub fn italic(text: &'a str) -> Self {
        Run {
            text,
            italic: true,
            ..Run::default()
        }
    }

    pub fn in_font(font: &'a str, text: &'a str) -> Self {
        Run {
            text,
            font: Some(font),
            ..Run::default()
        }
    }
}

/// Builds a DOCX body element by element, then the whole file.
#[derive(Debug, Default)]
pub struct DocxBuilder {
    body: String,
    /// Lists made by `restart_list`: (numId, abstractNumId).
    restarted: Vec<(u32, u32)>,
    /// The last element written is a table (the body must not end so).
    ends_with_table: bool,
}

impl DocxBuilder {
    pub fn new() -> Self {
        DocxBuilder::default()
    }

    /// A paragraph of plain text.
    pub fn paragraph(&mut self, text: &str) -> &mut Self {
        self.runs(&[Run::plain(text)])
    }

    /// A paragraph in one run, bold and/or italic.
    pub fn formatted(&mut self, text: &str, bold: bool, italic: bool) -> &mut Self {
        self.runs(&[Run {
            text,
            bold,
            italic,
            font: None,
        }])
    }

    /// A paragraph made of several runs.
    pub fn runs(&mut self, runs: &[Run<'_>]) -> &mut Self {
        let body = runs_xml(runs);
        self.push(&format!("<w:p>{body}</w:p>"))
    }

    /// A paragraph in a single run of the named font.
    pub fn font_run(&mut self, font: &str, text: &str) -> &mut Self {
        self.runs(&[Run::in_font(font, text)])
    }

    /// A paragraph with automatic numbering: `list` is a numId (`SECTIONS`,
    /// `BULLETS`, `HEADINGS` or one from `restart_list`), `level` its ilvl.
    pub fn numbered(&mut self, list: u32, level: u8, text: &str) -> &mut Self {
        let runs = runs_xml(&[Run::plain(text)]);
        self.push(&format!(
            "<w:p><w:pPr><w:pStyle w:val=\"ListParagraph\"/><w:numPr>\
             <w:ilvl w:val=\"{level}\"/><w:numId w:val=\"{list}\"/></w:numPr></w:pPr>{runs}</w:p>"
        ))
    }

    /// A heading paragraph, numbered by its style only (`level` 1 or 2).
    pub fn heading(&mut self, level: u8, text: &str) -> &mut Self {
        let runs = runs_xml(&[Run::plain(text)]);
        self.push(&format!(
            "<w:p><w:pPr><w:pStyle w:val=\"Heading{level}\"/></w:pPr>{runs}</w:p>"
        ))
    }

    /// A new list with the levels of `like` (`SECTIONS` or `BULLETS`),
    /// numbered from 1 again, as Word's "Restart numbering" stores it.
    pub fn restart_list(&mut self, like: u32) -> u32 {
        let abstract_id = match like {
            BULLETS => ABSTRACT_BULLETS,
            HEADINGS => ABSTRACT_HEADINGS,
            _ => ABSTRACT_SECTIONS,
        };
        let num_id = 10 + self.restarted.len() as u32;
        self.restarted.push((num_id, abstract_id));
        num_id
    }

    /// A table; every cell one paragraph of plain text.
    pub fn table<R: AsRef<[C]>, C: AsRef<str>>(&mut self, rows: &[R]) -> &mut Self {
        let columns = rows.iter().map(|r| r.as_ref().len()).max().unwrap_or(0);
        if columns == 0 {
            return self;
        }
        let width = 9000 / columns;
        let mut xml = String::from(
            "<w:tbl><w:tblPr><w:tblStyle w:val=\"TableGrid\"/><w:tblW w:w=\"0\" w:type=\"auto\"/>\
             <w:tblLook w:val=\"04A0\"/></w:tblPr><w:tblGrid>",
        );
        for _ in 0..columns {
            xml.push_str(&format!("<w:gridCol w:w=\"{width}\"/>"));
        }
        xml.push_str("</w:tblGrid>");
        for row in rows {
            xml.push_str("<w:tr>");
            for cell in row.as_ref() {
                let runs = runs_xml(&[Run::plain(cell.as_ref())]);
                xml.push_str(&format!(
                    "<w:tc><w:tcPr><w:tcW w:w=\"{width}\" w:type=\"dxa\"/></w:tcPr>\
                     <w:p>{runs}</w:p></w:tc>"
                ));
            }
            xml.push_str("</w:tr>");
        }
        xml.push_str("</w:tbl>");
        self.push(&xml);
        self.ends_with_table = true;
        self
    }

    /// Body XML written as given (for what the other methods do not make:
    /// tracked changes, line breaks, fields, text boxes).
    pub fn raw(&mut self, xml: &str) -> &mut Self {
        self.push(xml)
    }

    fn push(&mut self, xml: &str) -> &mut Self {
        self.body.push_str(xml);
        self.ends_with_table = false;
        self
    }

    /// The document as a .docx file.
    pub fn build(self) -> Vec<u8> {
        let mut body = self.body;
        if self.ends_with_table {
            // Word wants a paragraph between a table and the section end.
            body.push_str("<w:p/>");
        }
        let document = format!(
            "{DECL}<w:document {NAMESPACES} mc:Ignorable=\"w14 wp14\"><w:body>{body}\
             <w:sectPr><w:pgSz w:w=\"11906\" w:h=\"16838\"/><w:pgMar w:top=\"1134\" \
             w:right=\"1134\" w:bottom=\"1134\" w:left=\"1701\" w:header=\"720\" \
             w:footer=\"720\" w:gutter=\"0\"/></w:sectPr></w:body></w:document>"
        );
        let numbering = numbering_xml(&self.restarted);
        zip_parts(&[
            ("[Content_Types].xml", CONTENT_TYPES.as_bytes()),
            ("_rels/.rels", PACKAGE_RELS.as_bytes()),
            ("word/_rels/document.xml.rels", DOCUMENT_RELS.as_bytes()),
            ("word/document.xml", document.as_bytes()),
            ("word/styles.xml", STYLES.as_bytes()),
            ("word/numbering.xml", numbering.as_bytes()),
        ])
    }
}

/// A zip of the given parts, deflated, in the given order.
pub fn zip_parts(parts: &[(&str, &[u8])]) -> Vec<u8> {
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
    for (name, bytes) in parts {
        zip.start_file(*name, options).expect("zip entry");
        zip.write_all(bytes).expect("zip write");
    }
    zip.finish().expect("zip finish").into_inner()
}

/// A DOCX of plain-text lines in the form of a Vietnamese plan, with the
/// labels turned into Word's automatic numbering: "I-" lines, "1.", "1.1.",
/// "1.1.1." lines, "- " and "+ " bullets become numbered paragraphs without
/// the label in their text; runs of "| a | b |" lines become a table; a
/// blank line becomes an empty paragraph; any other line stays as it is.
///
/// The labels must be the ones Word would number them with (sections
/// count on from "I-", decimals restart under each section and each
/// shallower number), or this panics, naming the line.
pub fn from_numbered_text(text: &str) -> Vec<u8> {
    let mut builder = DocxBuilder::new();
    // Counters of the SECTIONS list, levels 0..=3, as Word will count.
    let mut counters = [0u32; 4];
    let mut table: Vec<Vec<String>> = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        if let Some(cells) = table_cells(line) {
            table.push(cells);
            continue;
        }
        if !table.is_empty() {
            builder.table(&table);
            table.clear();
        }
        if line.is_empty() {
            builder.paragraph("");
        } else if let Some((level, rest)) = section_label(line, &mut counters) {
            builder.numbered(SECTIONS, level, rest);
        } else if let Some(rest) = line.strip_prefix("- ") {
            builder.numbered(BULLETS, 0, rest);
        } else if let Some(rest) = line.strip_prefix("+ ") {
            builder.numbered(BULLETS, 1, rest);
        } else {
            builder.paragraph(line);
        }
    }
    if !table.is_empty() {
        builder.table(&table);
    }
    builder.build()
}

/// The cells of a "| a | b |" line.
fn table_cells(line: &str) -> Option<Vec<String>> {
    let inner = line.strip_prefix('|')?.strip_suffix('|')?;
    Some(inner.split('|').map(|c| c.trim().to_owned()).collect())
}

/// A section label ("II- ", "2.1. ") at the start of a line: its list level
/// and the text after it. Checks the label against the counters and
/// advances them.
fn section_label<'l>(line: &'l str, counters: &mut [u32; 4]) -> Option<(u8, &'l str)> {
    let roman_len = line.bytes().take_while(|b| b"IVXLCDM".contains(b)).count();
    if roman_len > 0
        && let Some(rest) = line[roman_len..].strip_prefix("- ")
    {
        let expected = roman(counters[0] + 1);
        assert_eq!(
            &line[..roman_len],
            expected,
            "from_numbered_text: \"{line}\" does not follow the previous section"
        );
        *counters = [counters[0] + 1, 0, 0, 0];
        return Some((0, rest));
    }

    let mut numbers = Vec::new();
    let mut rest = line;
    loop {
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            break;
        }
        let after = rest[digits..].strip_prefix('.')?;
        numbers.push(rest[..digits].parse::<u32>().ok()?);
        rest = after;
    }
    let rest = rest.strip_prefix(' ')?;
    let level = numbers.len();
    if !(1..=3).contains(&level) {
        return None;
    }
    let mut expected = counters[1..level].to_vec();
    expected.push(counters[level] + 1);
    assert_eq!(
        numbers, expected,
        "from_numbered_text: \"{line}\" does not follow the previous numbering"
    );
    counters[level] += 1;
    for deeper in &mut counters[level + 1..] {
        *deeper = 0;
    }
    Some((level as u8, rest))
}

fn roman(mut n: u32) -> String {
    let mut s = String::new();
    for (value, digits) in [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ] {
        while n >= value {
            s.push_str(digits);
            n -= value;
        }
    }
    s
}

fn runs_xml(runs: &[Run<'_>]) -> String {
    let mut xml = String::new();
    for run in runs {
        xml.push_str("<w:r>");
        if run.bold || run.italic || run.font.is_some() {
            xml.push_str("<w:rPr>");
            if let Some(font) = run.font {
                let font = escape(font);
                xml.push_str(&format!(
                    "<w:rFonts w:ascii=\"{font}\" w:hAnsi=\"{font}\" w:cs=\"{font}\"/>"
                ));
            }
            if run.bold {
                xml.push_str("<w:b/><w:bCs/>");
            }
            if run.italic {
                xml.push_str("<w:i/><w:iCs/>");
            }
            xml.push_str("</w:rPr>");
        }
        if !run.text.is_empty() {
            xml.push_str(&format!(
                "<w:t xml:space=\"preserve\">{}</w:t>",
                escape(run.text)
            ));
        }
        xml.push_str("</w:r>");
    }
    xml
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    out
}

fn numbering_xml(restarted: &[(u32, u32)]) -> String {
    let level = |ilvl: u32, fmt: &str, text: &str, indent: u32, extra: &str| {
        format!(
            "<w:lvl w:ilvl=\"{ilvl}\"><w:start w:val=\"1\"/><w:numFmt w:val=\"{fmt}\"/>\
             {extra}<w:lvlText w:val=\"{text}\"/><w:lvlJc w:val=\"left\"/>\
             <w:pPr><w:ind w:left=\"{indent}\" w:hanging=\"360\"/></w:pPr></w:lvl>"
        )
    };
    let mut xml = format!("{DECL}<w:numbering {NAMESPACES}>");
    xml.push_str(&format!(
        "<w:abstractNum w:abstractNumId=\"{ABSTRACT_SECTIONS}\">\
         <w:multiLevelType w:val=\"multilevel\"/>{}{}{}{}</w:abstractNum>",
        level(0, "upperRoman", "%1-", 360, ""),
        level(1, "decimal", "%2.", 720, ""),
        level(2, "decimal", "%2.%3.", 1080, ""),
        level(3, "decimal", "%2.%3.%4.", 1440, ""),
    ));
    xml.push_str(&format!(
        "<w:abstractNum w:abstractNumId=\"{ABSTRACT_BULLETS}\">\
         <w:multiLevelType w:val=\"hybridMultilevel\"/>{}{}</w:abstractNum>",
        level(
            0,
            "bullet",
            "-",
            720,
            "<w:rPr><w:rFonts w:ascii=\"Times New Roman\" w:hAnsi=\"Times New Roman\"/></w:rPr>"
        ),
        level(
            1,
            "bullet",
            "+",
            1080,
            "<w:rPr><w:rFonts w:ascii=\"Times New Roman\" w:hAnsi=\"Times New Roman\"/></w:rPr>"
        ),
    ));
    xml.push_str(&format!(
        "<w:abstractNum w:abstractNumId=\"{ABSTRACT_HEADINGS}\">\
         <w:multiLevelType w:val=\"multilevel\"/>{}{}</w:abstractNum>",
        level(
            0,
            "decimal",
            "Phần %1.",
            0,
            "<w:pStyle w:val=\"Heading1\"/>"
        ),
        level(
            1,
            "lowerLetter",
            "%2)",
            360,
            "<w:pStyle w:val=\"Heading2\"/>"
        ),
    ));
    for (num_id, abstract_id) in [
        (SECTIONS, ABSTRACT_SECTIONS),
        (BULLETS, ABSTRACT_BULLETS),
        (HEADINGS, ABSTRACT_HEADINGS),
    ] {
        xml.push_str(&format!(
            "<w:num w:numId=\"{num_id}\"><w:abstractNumId w:val=\"{abstract_id}\"/></w:num>"
        ));
    }
    for (num_id, abstract_id) in restarted {
        xml.push_str(&format!(
            "<w:num w:numId=\"{num_id}\"><w:abstractNumId w:val=\"{abstract_id}\"/>\
             <w:lvlOverride w:ilvl=\"0\"><w:startOverride w:val=\"1\"/></w:lvlOverride></w:num>"
        ));
    }
    xml.push_str("</w:numbering>");
    xml
}

const DECL: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n";

const NAMESPACES: &str = "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" \
     xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\" \
     xmlns:mc=\"http://schemas.openxmlformats.org/markup-compatibility/2006\" \
     xmlns:wp=\"http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing\" \
     xmlns:wp14=\"http://schemas.microsoft.com/office/word/2010/wordprocessingDrawing\" \
     xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\" \
     xmlns:wps=\"http://schemas.microsoft.com/office/word/2010/wordprocessingShape\" \
     xmlns:v=\"urn:schemas-microsoft-com:vml\" \
     xmlns:w14=\"http://schemas.microsoft.com/office/word/2010/wordml\"";

const CONTENT_TYPES: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n\
<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
<Default Extension=\"xml\" ContentType=\"application/xml\"/>\
<Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>\
<Override PartName=\"/word/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\"/>\
<Override PartName=\"/word/numbering.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml\"/>\
</Types>";

const PACKAGE_RELS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n\
<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/>\
</Relationships>";

const DOCUMENT_RELS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n\
<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>\
<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering\" Target=\"numbering.xml\"/>\
</Relationships>";

/// Times New Roman 14 pt throughout; Heading1 carries the list of the
/// headings and Heading2, based on it, takes that list at level 1.
const STYLES: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n\
<w:styles xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
<w:docDefaults><w:rPrDefault><w:rPr>\
<w:rFonts w:ascii=\"Times New Roman\" w:hAnsi=\"Times New Roman\" w:cs=\"Times New Roman\"/>\
<w:sz w:val=\"28\"/><w:szCs w:val=\"28\"/><w:lang w:val=\"vi-VN\"/></w:rPr></w:rPrDefault>\
<w:pPrDefault><w:pPr><w:spacing w:after=\"120\"/><w:jc w:val=\"both\"/></w:pPr></w:pPrDefault>\
</w:docDefaults>\
<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/><w:qFormat/></w:style>\
<w:style w:type=\"paragraph\" w:styleId=\"Heading1\"><w:name w:val=\"heading 1\"/>\
<w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:qFormat/>\
<w:pPr><w:keepNext/><w:numPr><w:numId w:val=\"3\"/></w:numPr><w:outlineLvl w:val=\"0\"/></w:pPr>\
<w:rPr><w:b/><w:bCs/></w:rPr></w:style>\
<w:style w:type=\"paragraph\" w:styleId=\"Heading2\"><w:name w:val=\"heading 2\"/>\
<w:basedOn w:val=\"Heading1\"/><w:next w:val=\"Normal\"/><w:qFormat/>\
<w:pPr><w:numPr><w:ilvl w:val=\"1\"/></w:numPr><w:outlineLvl w:val=\"1\"/></w:pPr>\
<w:rPr><w:i/><w:iCs/></w:rPr></w:style>\
<w:style w:type=\"paragraph\" w:styleId=\"ListParagraph\"><w:name w:val=\"List Paragraph\"/>\
<w:basedOn w:val=\"Normal\"/><w:qFormat/><w:pPr><w:ind w:left=\"720\"/></w:pPr></w:style>\
<w:style w:type=\"character\" w:default=\"1\" w:styleId=\"DefaultParagraphFont\">\
<w:name w:val=\"Default Paragraph Font\"/></w:style>\
<w:style w:type=\"table\" w:styleId=\"TableGrid\"><w:name w:val=\"Table Grid\"/>\
<w:tblPr><w:tblBorders><w:top w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"auto\"/>\
<w:left w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"auto\"/>\
<w:bottom w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"auto\"/>\
<w:right w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"auto\"/>\
<w:insideH w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"auto\"/>\
<w:insideV w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"auto\"/></w:tblBorders></w:tblPr></w:style>\
</w:styles>";
