//! DOCX: the lines a person would get by copying the document's text.
//!
//! A DOCX file is a zip of XML parts. The main part (`word/document.xml`)
//! is read as a stream of XML events, never as a tree, so a long plan costs
//! little memory and time. Word's automatic numbering ("I-", "1.1.", "a)",
//! bullets) lives in `word/numbering.xml`, not in the text, so it is
//! rendered here the way Word shows it; without it, a plan read from a DOCX
//! would lose the labels its structure is read from.
//!
//! Each paragraph becomes one line (a line break inside a paragraph starts
//! another); a table row becomes one line `| a | b |`; the paragraphs of a
//! text box follow the paragraph that holds it. Lines are in NFC, with runs
//! of white space collapsed to one space and the ends trimmed.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::io::{Cursor, Read};

use quick_xml::Reader;
use quick_xml::XmlVersion;
use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::{BytesStart, Event};
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};
use zip::ZipArchive;

/// One line of the document's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocxLine {
    pub text: String,
    /// The line is a table row, written `| cell | cell |`.
    pub in_table: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum DocxError {
    #[error("tệp không phải DOCX: {0}")]
    NotDocx(String),
    #[error("tệp DOCX không có phần nội dung chính {0}: không có văn bản để đọc")]
    MissingDocument(String),
    #[error("tệp DOCX bị hỏng: không giải nén được phần {part} ({reason})")]
    Corrupt { part: String, reason: String },
    #[error("XML bị hỏng trong phần {part} của tệp DOCX, tại byte {position}: {reason}")]
    Xml {
        part: String,
        position: u64,
        reason: String,
    },
    #[error(
        "phần {part} của tệp DOCX quá lớn khi giải nén (hơn {limit_mb} MB): \
         không đọc, để tránh tệp nén độc hại"
    )]
    TooLarge { part: String, limit_mb: u64 },
}

/// A part that unpacks to more than this is refused: a small zip can
/// claim (or really hold) gigabytes of repeated bytes.
const MAX_PART_BYTES: u64 = 200 * 1024 * 1024;
/// Tables and text boxes nested deeper than this are skipped, so that a
/// hostile file cannot exhaust the stack.
const MAX_NESTING: usize = 32;
/// `basedOn` and `numStyleLink` chains are followed at most this far (a
/// cycle in a broken file must not loop forever).
const MAX_CHAIN: usize = 16;
/// Word has nine list levels, `w:ilvl` 0 to 8.
const LEVELS: usize = 9;

const DEFAULT_MAIN_PART: &str = "word/document.xml";
const REL_OFFICE_DOCUMENT: &str = "/officeDocument";
const REL_STYLES: &str = "/styles";
const REL_NUMBERING: &str = "/numbering";

/// Paragraphs of the main document body in order, each as one line (NFC).
pub fn read_lines(bytes: &[u8]) -> Result<Vec<DocxLine>, DocxError> {
    let mut pkg = Package::open(bytes)?;

    let mut main = pkg.main_part_name()?;
    let mut document = pkg.part(&main)?;
    if document.is_none() && main != DEFAULT_MAIN_PART {
        // A relationship pointing nowhere; Word's own name may still hold it.
        main = DEFAULT_MAIN_PART.to_owned();
        document = pkg.part(&main)?;
    }
    let document = document.ok_or_else(|| DocxError::MissingDocument(main.clone()))?;

    // Styles and numbering are found through the main part's relationships,
    // falling back to the names Word always uses.
    let rels_name = rels_name_for(&main);
    let mut styles_name = None;
    let mut numbering_name = None;
    if let Some(rels) = pkg.part(&rels_name)? {
        for rel in parse_rels(&rels, &rels_name)? {
            let target = || resolve_target(&main, &rel.target);
            if rel.kind.ends_with(REL_STYLES) && styles_name.is_none() {
                styles_name = Some(target());
            } else if rel.kind.ends_with(REL_NUMBERING) && numbering_name.is_none() {
                numbering_name = Some(target());
            }
        }
    }
    let styles_name = styles_name.unwrap_or_else(|| resolve_target(&main, "styles.xml"));
    let numbering_name = numbering_name.unwrap_or_else(|| resolve_target(&main, "numbering.xml"));

    let styles = match pkg.part(&styles_name)? {
        Some(xml) => parse_styles(&xml, &styles_name)?,
        None => Styles::default(),
    };
    let numbering = match pkg.part(&numbering_name)? {
        Some(xml) => parse_numbering(&xml, &numbering_name)?,
        None => Numbering::default(),
    };

    DocReader::new(&document, &main, &styles, &numbering, convert_run).read()
}

/// The text of one run, in Unicode.
///
/// A run in a legacy Vietnamese font (.VnTime is TCVN3, VNI-Times is VNI)
/// holds one char per legacy byte, all ≤ U+00FF; each such run is decoded
/// on its own, before it is joined to its neighbours, since the run next to
/// it may be in a Unicode font.
fn convert_run(text: &str, font: Option<&str>) -> String {
    let Some(enc) = font.and_then(crate::legacy::encoding_of_font) else {
        return text.to_owned();
    };
    // Each char stands for a byte; Word may have stored 0x80..0x9F as their
    // Windows-1252 characters, which this mapping takes back too.
    let Ok(bytes) = crate::legacy::encode(text, crate::legacy::Encoding::Windows1252) else {
        return text.to_owned();
    };
    let decoded = crate::legacy::decode_as(&bytes, enc);
    // The `…H` fonts (.VnTimeH, .VnArialH) draw every letter as a capital:
    // TCVN3 has no code for a capital with a tone mark.
    if font.is_some_and(|f| f.trim().ends_with('H') && f.trim_start().starts_with(".Vn")) {
        decoded.to_uppercase()
    } else {
        decoded
    }
}

// ---------------------------------------------------------------------------
// The zip package

struct Package<'b> {
    zip: ZipArchive<Cursor<&'b [u8]>>,
}

impl<'b> Package<'b> {
    fn open(bytes: &'b [u8]) -> Result<Self, DocxError> {
        match ZipArchive::new(Cursor::new(bytes)) {
            Ok(zip) => Ok(Package { zip }),
            Err(_) => Err(DocxError::NotDocx(not_zip_reason(bytes))),
        }
    }

    /// The main document part, named by the package relationships.
    fn main_part_name(&mut self) -> Result<String, DocxError> {
        let fallback = DEFAULT_MAIN_PART.to_owned();
        let Some(rels) = self.part("_rels/.rels")? else {
            return Ok(fallback);
        };
        let main = parse_rels(&rels, "_rels/.rels")?
            .into_iter()
            .find(|r| r.kind.ends_with(REL_OFFICE_DOCUMENT))
            .map(|r| resolve_target("", &r.target));
        Ok(main.unwrap_or(fallback))
    }

    /// The unpacked bytes of a part, or `None` when the package has no
    /// such part. Part names are compared without regard to ASCII case, as
    /// the package format says.
    fn part(&mut self, name: &str) -> Result<Option<Vec<u8>>, DocxError> {
        let index = self.zip.index_for_name(name).or_else(|| {
            self.zip
                .file_names()
                .position(|n| n.is_ok_and(|n| n.trim_start_matches('/').eq_ignore_ascii_case(name)))
        });
        let Some(index) = index else {
            return Ok(None);
        };
        let corrupt = |err: &dyn std::fmt::Display| DocxError::Corrupt {
            part: name.to_owned(),
            reason: err.to_string(),
        };
        let too_large = || DocxError::TooLarge {
            part: name.to_owned(),
            limit_mb: MAX_PART_BYTES / (1024 * 1024),
        };
        let file = self.zip.by_index(index).map_err(|e| corrupt(&e))?;
        if file.size() > MAX_PART_BYTES {
            return Err(too_large());
        }
        // What a header claims is not reserved up front beyond a modest size.
        let mut bytes = Vec::with_capacity(file.size().min(16 * 1024 * 1024) as usize);
        // The declared size can lie; the reader is capped as well.
        file.take(MAX_PART_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| corrupt(&e))?;
        if bytes.len() as u64 > MAX_PART_BYTES {
            return Err(too_large());
        }
        Ok(Some(utf8_part(bytes)))
    }
}

/// Why bytes that should be a DOCX are not a zip, in words a user can act on.
fn not_zip_reason(bytes: &[u8]) -> String {
    if bytes.is_empty() {
        "tệp rỗng".to_owned()
    } else if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        "đây là tệp Word cũ (.doc) hoặc tệp DOCX có đặt mật khẩu; \
         hãy mở bằng Word rồi lưu lại dạng .docx, không đặt mật khẩu"
            .to_owned()
    } else if bytes.starts_with(b"{\\rtf") {
        "đây là tệp RTF; hãy mở bằng Word rồi lưu lại dạng .docx".to_owned()
    } else {
        // The zip library's own words are English; this says what they mean.
        "tệp bị hỏng hoặc không phải tệp nén DOCX (không tìm thấy mục lục của tệp nén); \
         hãy mở bằng Word rồi lưu lại dạng .docx"
            .to_owned()
    }
}

/// Parts in UTF-16 (allowed, though Word writes UTF-8) are turned into
/// UTF-8 so the XML reader sees one encoding.
fn utf8_part(bytes: Vec<u8>) -> Vec<u8> {
    let be = match [bytes.first().copied(), bytes.get(1).copied()] {
        [Some(0xFF), Some(0xFE)] => false,
        [Some(0xFE), Some(0xFF)] => true,
        _ => return bytes,
    };
    let units: Vec<u16> = bytes[2..]
        .chunks_exact(2)
        .map(|c| {
            if be {
                u16::from_be_bytes([c[0], c[1]])
            } else {
                u16::from_le_bytes([c[0], c[1]])
            }
        })
        .collect();
    let text = String::from_utf16_lossy(&units);
    // The declaration still says UTF-16; the reader takes the bytes as UTF-8.
    text.replacen("UTF-16", "UTF-8", 1)
        .replacen("utf-16", "utf-8", 1)
        .into_bytes()
}

struct Relationship {
    kind: String,
    target: String,
}

fn parse_rels(xml: &[u8], part: &str) -> Result<Vec<Relationship>, DocxError> {
    let mut reader = Reader::from_reader(xml);
    let mut rels = Vec::new();
    loop {
        match next_event(&mut reader, part)? {
            Event::Start(e) | Event::Empty(e) if local(&e) == "Relationship" => {
                if attr(&e, "TargetMode").is_some_and(|m| m == "External") {
                    continue;
                }
                if let (Some(kind), Some(target)) = (attr(&e, "Type"), attr(&e, "Target")) {
                    rels.push(Relationship { kind, target });
                }
            }
            Event::Eof => return Ok(rels),
            _ => {}
        }
    }
}

/// `word/document.xml` → `word/_rels/document.xml.rels`.
fn rels_name_for(part: &str) -> String {
    match part.rsplit_once('/') {
        Some((dir, file)) => format!("{dir}/_rels/{file}.rels"),
        None => format!("_rels/{part}.rels"),
    }
}

/// A relationship target, relative to the folder of its source part, as a
/// part name.
fn resolve_target(source: &str, target: &str) -> String {
    let mut segments: Vec<&str> = Vec::new();
    if !target.starts_with('/')
        && let Some((dir, _)) = source.rsplit_once('/')
    {
        segments.extend(dir.split('/').filter(|s| !s.is_empty()));
    }
    for segment in target.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                segments.pop();
            }
            s => segments.push(s),
        }
    }
    segments.join("/")
}

// ---------------------------------------------------------------------------
// XML helpers

fn next_event<'a>(reader: &mut Reader<&'a [u8]>, part: &str) -> Result<Event<'a>, DocxError> {
    reader.read_event().map_err(|err| DocxError::Xml {
        part: part.to_owned(),
        position: reader.error_position(),
        reason: err.to_string(),
    })
}

fn local<'e>(e: &'e BytesStart<'_>) -> &'e str {
    e.local_name().into_inner()
}

/// An attribute's value, by local name (`w:val` and `val` alike).
fn attr(e: &BytesStart<'_>, name: &str) -> Option<String> {
    let mut attrs = e.attributes();
    attrs.with_checks(false);
    for a in attrs.flatten() {
        if a.key.local_name().into_inner() == name {
            return Some(match a.normalized_value(XmlVersion::Implicit1_0) {
                Ok(v) => v.into_owned(),
                Err(_) => a.value.into_owned(),
            });
        }
    }
    None
}

fn val(e: &BytesStart<'_>) -> Option<String> {
    attr(e, "val")
}

fn val_number(e: &BytesStart<'_>) -> Option<u32> {
    val(e).and_then(|v| v.trim().parse().ok())
}

/// A list level index, 0..=8.
fn val_level(e: &BytesStart<'_>) -> Option<usize> {
    val_number(e).map(|n| n as usize).filter(|&n| n < LEVELS)
}

/// An on/off property: present means on unless its value says off.
fn on_off(e: &BytesStart<'_>) -> bool {
    !matches!(val(e).as_deref(), Some("0" | "false" | "off"))
}

/// The font a `w:rFonts` names for ordinary text. A theme font reference
/// wins over a named font, as in Word; it is kept under its theme name, so
/// that it still hides a font inherited from a style.
fn font_of(e: &BytesStart<'_>) -> Option<String> {
    attr(e, "asciiTheme")
        .or_else(|| attr(e, "ascii"))
        .or_else(|| attr(e, "hAnsiTheme"))
        .or_else(|| attr(e, "hAnsi"))
}

// ---------------------------------------------------------------------------
// Styles

#[derive(Default)]
struct Styles {
    by_id: HashMap<String, Style>,
    /// The paragraph style of paragraphs that name none ("Normal").
    default_paragraph: Option<String>,
    /// The font of `w:docDefaults`.
    default_font: Option<String>,
}

#[derive(Default)]
struct Style {
    based_on: Option<String>,
    num_id: Option<u32>,
    ilvl: Option<usize>,
    font: Option<String>,
}

impl Styles {
    /// The style and the styles it is based on, nearest first.
    fn chain<'s>(&'s self, id: Option<&str>) -> impl Iterator<Item = (&'s str, &'s Style)> {
        let first = id.and_then(|id| self.by_id.get_key_value(id));
        std::iter::successors(first, |(_, style)| {
            style
                .based_on
                .as_deref()
                .and_then(|b| self.by_id.get_key_value(b))
        })
        .take(MAX_CHAIN)
        .map(|(id, style)| (id.as_str(), style))
    }

    fn font(&self, id: &str) -> Option<&str> {
        self.chain(Some(id)).find_map(|(_, s)| s.font.as_deref())
    }

    /// The font of runs that name none, in a paragraph of this style.
    fn paragraph_font(&self, style: Option<&str>) -> Option<&str> {
        let style = style.or(self.default_paragraph.as_deref());
        style
            .and_then(|s| self.font(s))
            .or(self.default_font.as_deref())
    }

    /// The numbering a paragraph style gives: numId and ilvl, each from the
    /// nearest style in the chain that sets it.
    fn numbering(&self, style: Option<&str>) -> (Option<u32>, Option<usize>) {
        let style = style.or(self.default_paragraph.as_deref());
        let mut num_id = None;
        let mut ilvl = None;
        for (_, s) in self.chain(style) {
            num_id = num_id.or(s.num_id);
            ilvl = ilvl.or(s.ilvl);
        }
        (num_id, ilvl)
    }
}

fn parse_styles(xml: &[u8], part: &str) -> Result<Styles, DocxError> {
    let mut reader = Reader::from_reader(xml);
    let mut styles = Styles::default();
    let mut current: Option<(String, Style)> = None;
    let mut in_rpr_default = false;
    let mut in_rpr = false;
    loop {
        let (e, is_start) = match next_event(&mut reader, part)? {
            Event::Start(e) => (e, true),
            Event::Empty(e) => (e, false),
            Event::End(e) => {
                match e.local_name().into_inner() {
                    "style" => {
                        if let Some((id, style)) = current.take() {
                            styles.by_id.insert(id, style);
                        }
                    }
                    "rPr" => in_rpr = false,
                    "rPrDefault" => in_rpr_default = false,
                    _ => {}
                }
                continue;
            }
            Event::Eof => return Ok(styles),
            _ => continue,
        };
        match local(&e) {
            // Earlier formatting of tracked changes, conditional formatting
            // of table styles, and the list of styles Word knows: none says
            // what a paragraph looks like now.
            "pPrChange" | "rPrChange" | "tblStylePr" | "latentStyles" if is_start => {
                skip(&mut reader, &e, part)?;
            }
            "style" => {
                let id = attr(&e, "styleId").unwrap_or_default();
                if attr(&e, "type").as_deref() == Some("paragraph")
                    && attr(&e, "default").is_some_and(|d| d == "1" || d == "true")
                {
                    styles.default_paragraph = Some(id.clone());
                }
                if is_start {
                    current = Some((id, Style::default()));
                } else {
                    styles.by_id.insert(id, Style::default());
                }
            }
            "rPrDefault" => in_rpr_default = is_start,
            "rPr" => in_rpr = is_start,
            "basedOn" => {
                if let Some((_, s)) = &mut current {
                    s.based_on = val(&e);
                }
            }
            "numId" => {
                if let Some((_, s)) = &mut current {
                    s.num_id = val_number(&e);
                }
            }
            "ilvl" => {
                if let Some((_, s)) = &mut current {
                    s.ilvl = val_level(&e);
                }
            }
            "rFonts" if in_rpr => {
                if let Some((_, s)) = &mut current {
                    s.font = font_of(&e);
                } else if in_rpr_default {
                    styles.default_font = font_of(&e);
                }
            }
            _ => {}
        }
    }
}

fn skip(reader: &mut Reader<&[u8]>, e: &BytesStart<'_>, part: &str) -> Result<(), DocxError> {
    reader
        .read_to_end(e.name())
        .map(|_| ())
        .map_err(|err| DocxError::Xml {
            part: part.to_owned(),
            position: reader.error_position(),
            reason: err.to_string(),
        })
}

// ---------------------------------------------------------------------------
// Numbering definitions

#[derive(Default)]
struct Numbering {
    abstracts: HashMap<u32, AbstractNum>,
    nums: HashMap<u32, Num>,
}

#[derive(Default)]
struct AbstractNum {
    levels: [Option<Level>; LEVELS],
    /// This list takes its levels from a numbering style.
    num_style_link: Option<String>,
}

#[derive(Default)]
struct Num {
    abstract_id: Option<u32>,
    overrides: Vec<LevelOverride>,
}

struct LevelOverride {
    ilvl: usize,
    start: Option<u32>,
    level: Option<Level>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
enum NumFmt {
    #[default]
    Decimal,
    DecimalZero,
    UpperRoman,
    LowerRoman,
    UpperLetter,
    LowerLetter,
    Bullet,
    None,
}

impl NumFmt {
    fn parse(value: &str, custom_format: Option<&str>) -> NumFmt {
        match value {
            "decimalZero" => NumFmt::DecimalZero,
            "upperRoman" => NumFmt::UpperRoman,
            "lowerRoman" => NumFmt::LowerRoman,
            "upperLetter" => NumFmt::UpperLetter,
            "lowerLetter" => NumFmt::LowerLetter,
            "bullet" => NumFmt::Bullet,
            "none" => NumFmt::None,
            // Word 2010's custom formats: "01, 02, 03, ..." and the like.
            "custom" if custom_format.is_some_and(|f| f.trim_start().starts_with('0')) => {
                NumFmt::DecimalZero
            }
            // Every other format (ordinal, cardinalText, decimalEnclosedCircle,
            // vietnameseCounting, …) is shown as plain numbers.
            _ => NumFmt::Decimal,
        }
    }
}

#[derive(Debug, Clone)]
struct Level {
    /// `w:start`; the schema's default is 0.
    start: u32,
    fmt: NumFmt,
    /// `w:lvlText`: "%1.", "%1.%2.", "(%1)", or a bullet char.
    text: String,
    /// Every number in the label as decimal ("legal" numbering).
    is_lgl: bool,
    /// `w:lvlRestart`: restart when a level shallower than this (1-based)
    /// is used; `None` restarts after any shallower level, 0 never.
    restart: Option<u32>,
    /// The paragraph style linked to this level.
    paragraph_style: Option<String>,
    /// `w:suff` "nothing": no separator between label and text.
    no_suffix: bool,
    /// The bullet is a picture.
    picture: bool,
    font: Option<String>,
}

impl Default for Level {
    fn default() -> Self {
        Level {
            start: 0,
            fmt: NumFmt::Decimal,
            text: String::new(),
            is_lgl: false,
            restart: None,
            paragraph_style: None,
            no_suffix: false,
            picture: false,
            font: None,
        }
    }
}

fn parse_numbering(xml: &[u8], part: &str) -> Result<Numbering, DocxError> {
    let mut reader = Reader::from_reader(xml);
    let mut numbering = Numbering::default();
    let mut abstract_num: Option<(u32, AbstractNum)> = None;
    let mut num: Option<(u32, Num)> = None;
    let mut level_override: Option<LevelOverride> = None;
    let mut level: Option<(usize, Level)> = None;
    loop {
        let (e, is_start) = match next_event(&mut reader, part)? {
            Event::Start(e) => (e, true),
            Event::Empty(e) => (e, false),
            Event::End(e) => {
                match e.local_name().into_inner() {
                    "lvl" => {
                        if let Some((ilvl, l)) = level.take() {
                            place_level(&mut level_override, &mut abstract_num, ilvl, l);
                        }
                    }
                    "lvlOverride" => {
                        if let (Some(o), Some((_, n))) = (level_override.take(), &mut num) {
                            n.overrides.push(o);
                        }
                    }
                    "num" => {
                        if let Some((id, n)) = num.take() {
                            numbering.nums.insert(id, n);
                        }
                    }
                    "abstractNum" => {
                        if let Some((id, a)) = abstract_num.take() {
                            numbering.abstracts.insert(id, a);
                        }
                    }
                    _ => {}
                }
                continue;
            }
            Event::Eof => return Ok(numbering),
            _ => continue,
        };
        let name = local(&e);
        if is_start
            && matches!(
                name,
                "numPicBullet" | "Fallback" | "rPrChange" | "pPrChange"
            )
        {
            // Picture bullets' pictures, the older form of a newer format
            // (the newer one comes first, in mc:Choice), earlier formatting.
            skip(&mut reader, &e, part)?;
            continue;
        }
        if let Some((_, l)) = &mut level {
            match name {
                "start" => l.start = val_number(&e).unwrap_or(0),
                "numFmt" => {
                    l.fmt = NumFmt::parse(
                        val(&e).as_deref().unwrap_or("decimal"),
                        attr(&e, "format").as_deref(),
                    );
                }
                "lvlText" => l.text = val(&e).unwrap_or_default(),
                "isLgl" => l.is_lgl = on_off(&e),
                "lvlRestart" => l.restart = val_number(&e),
                "pStyle" => l.paragraph_style = val(&e),
                "suff" => l.no_suffix = val(&e).as_deref() == Some("nothing"),
                "lvlPicBulletId" => l.picture = true,
                "rFonts" => l.font = font_of(&e),
                _ => {}
            }
            continue;
        }
        match name {
            "abstractNum" => {
                let id = attr(&e, "abstractNumId").and_then(|v| v.trim().parse().ok());
                match (id, is_start) {
                    (Some(id), true) => abstract_num = Some((id, AbstractNum::default())),
                    (Some(id), false) => {
                        numbering.abstracts.insert(id, AbstractNum::default());
                    }
                    (None, _) => {}
                }
            }
            "num" => {
                let id = attr(&e, "numId").and_then(|v| v.trim().parse().ok());
                match (id, is_start) {
                    (Some(id), true) => num = Some((id, Num::default())),
                    (Some(id), false) => {
                        numbering.nums.insert(id, Num::default());
                    }
                    (None, _) => {}
                }
            }
            "abstractNumId" => {
                if let Some((_, n)) = &mut num {
                    n.abstract_id = val_number(&e);
                }
            }
            "lvlOverride" if is_start => {
                level_override = attr(&e, "ilvl")
                    .and_then(|v| v.trim().parse().ok())
                    .filter(|&i: &usize| i < LEVELS)
                    .map(|ilvl| LevelOverride {
                        ilvl,
                        start: None,
                        level: None,
                    });
            }
            "startOverride" => {
                if let Some(o) = &mut level_override {
                    o.start = val_number(&e);
                }
            }
            "lvl" => {
                let ilvl = attr(&e, "ilvl")
                    .and_then(|v| v.trim().parse().ok())
                    .filter(|&i: &usize| i < LEVELS);
                if let Some(ilvl) = ilvl {
                    if is_start {
                        level = Some((ilvl, Level::default()));
                    } else {
                        place_level(
                            &mut level_override,
                            &mut abstract_num,
                            ilvl,
                            Level::default(),
                        );
                    }
                }
            }
            "numStyleLink" => {
                if let Some((_, a)) = &mut abstract_num {
                    a.num_style_link = val(&e);
                }
            }
            _ => {}
        }
    }
}

/// A `w:lvl` belongs to the override it is in, else to its abstract list.
fn place_level(
    level_override: &mut Option<LevelOverride>,
    abstract_num: &mut Option<(u32, AbstractNum)>,
    ilvl: usize,
    level: Level,
) {
    if let Some(o) = level_override {
        o.level = Some(level);
    } else if let Some((_, a)) = abstract_num {
        a.levels[ilvl] = Some(level);
    }
}

/// Whose counters a numbered paragraph advances.
///
/// Word shares one sequence between all `w:num` that point to the same
/// abstract list (that is how "continue numbering" is stored), and a `w:num`
/// with a level override is a list of its own ("restart numbering" writes a
/// new `w:num` with `w:startOverride`). Counters are kept per abstract list,
/// and per `w:num` for those with overrides. A first-use-only effect of
/// overrides on a shared sequence is not modelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum ListKey {
    Abstract(u32),
    Num(u32),
}

/// A list as one `w:num` sees it: its abstract levels with its overrides.
struct ListRef<'n> {
    key: ListKey,
    abstract_num: &'n AbstractNum,
    num: &'n Num,
}

impl<'n> ListRef<'n> {
    fn level(&self, ilvl: usize) -> Option<&'n Level> {
        self.num
            .overrides
            .iter()
            .find(|o| o.ilvl == ilvl)
            .and_then(|o| o.level.as_ref())
            .or(self.abstract_num.levels[ilvl].as_ref())
    }

    fn start(&self, ilvl: usize) -> u32 {
        self.num
            .overrides
            .iter()
            .find(|o| o.ilvl == ilvl)
            .and_then(|o| o.start)
            .or_else(|| self.level(ilvl).map(|l| l.start))
            .unwrap_or(0)
    }

    /// The level whose linked paragraph style is `style`.
    fn level_of_style(&self, style: &str) -> Option<usize> {
        (0..LEVELS).find(|&i| {
            self.level(i)
                .is_some_and(|l| l.paragraph_style.as_deref() == Some(style))
        })
    }
}

impl Numbering {
    fn list(&self, num_id: u32, styles: &Styles) -> Option<ListRef<'_>> {
        let num = self.nums.get(&num_id)?;
        let mut abstract_id = num.abstract_id?;
        let mut abstract_num = self.abstracts.get(&abstract_id)?;
        // A list defined by a numbering style: its levels are those of the
        // list the style points to.
        for _ in 0..MAX_CHAIN {
            let Some(link) = abstract_num.num_style_link.as_deref() else {
                break;
            };
            let linked = styles
                .by_id
                .get(link)
                .and_then(|s| s.num_id)
                .and_then(|n| self.nums.get(&n))
                .and_then(|n| n.abstract_id)
                .and_then(|id| Some((id, self.abstracts.get(&id)?)));
            match linked {
                Some((id, a)) if id != abstract_id => {
                    abstract_id = id;
                    abstract_num = a;
                }
                _ => break,
            }
        }
        let key = if num
            .overrides
            .iter()
            .any(|o| o.start.is_some() || o.level.is_some())
        {
            ListKey::Num(num_id)
        } else {
            ListKey::Abstract(abstract_id)
        };
        Some(ListRef {
            key,
            abstract_num,
            num,
        })
    }
}

/// The counters of one list: the current value of each level, `None` when
/// the level has not been used since it last restarted.
type Counters = [Option<u32>; LEVELS];

/// Advances the counters for a paragraph at level `ilvl`: that level counts
/// on (or starts), deeper levels restart unless their `w:lvlRestart` says
/// otherwise.
fn advance(counters: &mut Counters, list: &ListRef<'_>, ilvl: usize) {
    counters[ilvl] = Some(match counters[ilvl] {
        Some(v) => v.saturating_add(1),
        None => list.start(ilvl),
    });
    for (deeper, counter) in counters.iter_mut().enumerate().skip(ilvl + 1) {
        let restart = list
            .level(deeper)
            .and_then(|l| l.restart)
            .unwrap_or(deeper as u32);
        if (ilvl as u32) < restart {
            *counter = None;
        }
    }
}

/// The label Word shows for a paragraph at level `ilvl`, without its
/// separator; `None` when the label is empty.
fn render_label(counters: &Counters, list: &ListRef<'_>, ilvl: usize) -> Option<String> {
    let level = list.level(ilvl)?;
    if level.fmt == NumFmt::Bullet {
        // Bullet chars are mostly private-use glyphs of Symbol or
        // Wingdings; "-" and "+" are kept (Vietnamese plans use both, as two
        // levels), every other bullet reads as "-".
        return match level.text.trim() {
            "-" => Some("-".to_owned()),
            "+" => Some("+".to_owned()),
            "" if !level.picture => None,
            _ => Some("-".to_owned()),
        };
    }
    let mut label = String::new();
    let mut chars = level.text.chars();
    while let Some(c) = chars.next() {
        if c == '%' {
            let mut ahead = chars.clone();
            if let Some(k) = ahead
                .next()
                .and_then(|d| d.to_digit(10))
                .filter(|d| (1..=9).contains(d))
            {
                chars = ahead;
                let k = k as usize - 1;
                // A level not used yet shows its start value.
                let value = counters[k].unwrap_or_else(|| list.start(k));
                let fmt = match list.level(k).map(|l| l.fmt) {
                    _ if level.is_lgl => NumFmt::Decimal,
                    Some(NumFmt::Bullet) | None => NumFmt::Decimal,
                    Some(fmt) => fmt,
                };
                format_number(value, fmt, &mut label);
                continue;
            }
        }
        label.push(c);
    }
    if label.trim().is_empty() {
        return None;
    }
    // The label is in the level's font, which may be a legacy one.
    Some(convert_run(&label, level.font.as_deref()))
}

fn format_number(value: u32, fmt: NumFmt, out: &mut String) {
    match fmt {
        NumFmt::Decimal | NumFmt::Bullet => {
            let _ = write!(out, "{value}");
        }
        NumFmt::DecimalZero => {
            let _ = write!(out, "{value:02}");
        }
        NumFmt::UpperRoman | NumFmt::LowerRoman if value > 0 => {
            let start = out.len();
            // Word stops at 32767; past a few thousand the label is long enough.
            out.push_str(&dondoc_core::text::roman(value.min(9999)));
            if fmt == NumFmt::LowerRoman {
                out[start..].make_ascii_lowercase();
            }
        }
        NumFmt::UpperLetter | NumFmt::LowerLetter if value > 0 => {
            // Word's letters: A … Z, then AA … ZZ, then AAA …
            let base = if fmt == NumFmt::UpperLetter {
                b'A'
            } else {
                b'a'
            };
            let letter = char::from(base + ((value - 1) % 26) as u8);
            let times = ((value - 1) / 26 + 1).min(100);
            out.extend(std::iter::repeat_n(letter, times as usize));
        }
        NumFmt::UpperRoman | NumFmt::LowerRoman | NumFmt::UpperLetter | NumFmt::LowerLetter => {
            out.push('0');
        }
        NumFmt::None => {}
    }
}

// ---------------------------------------------------------------------------
// The document body

/// What `w:pPr` says about a paragraph.
#[derive(Default)]
struct ParagraphProps {
    style: Option<String>,
    num_id: Option<u32>,
    ilvl: Option<usize>,
}

/// What `w:rPr` says about a run.
#[derive(Default)]
struct RunProps {
    font: Option<String>,
    style: Option<String>,
    hidden: bool,
}

/// A paragraph being read.
struct ParagraphState<'p> {
    /// The paragraph's lines so far (a line break starts a new one).
    lines: Vec<String>,
    /// The text of the run being read, converted when the run ends.
    run_text: String,
    /// A page or column break was met after some text: the next text
    /// starts a new line. A break before any text starts none.
    pending_split: bool,
    /// Lines of text boxes anchored in the paragraph.
    extra: Vec<DocxLine>,
    /// The numbering label with its separator, once known.
    label: Option<String>,
    /// The properties have been read and the label worked out.
    props_done: bool,
    /// The font of runs that name none.
    font: Option<&'p str>,
}

impl ParagraphState<'_> {
    fn new() -> Self {
        ParagraphState {
            lines: vec![String::new()],
            run_text: String::new(),
            pending_split: false,
            extra: Vec::new(),
            label: None,
            props_done: false,
            font: None,
        }
    }

    fn push_str(&mut self, s: &str) {
        if self.pending_split {
            self.pending_split = false;
            self.lines.push(String::new());
        }
        self.run_text.push_str(s);
    }

    fn push_char(&mut self, c: char) {
        let mut buf = [0u8; 4];
        self.push_str(c.encode_utf8(&mut buf));
    }

    fn current_is_blank(&self) -> bool {
        self.lines
            .last()
            .is_none_or(|l| l.chars().all(char::is_whitespace))
    }
}

/// Merge state of a table cell, from `w:tcPr`.
#[derive(Default)]
struct CellProps {
    /// Continues a vertical merge: shown empty.
    v_continue: bool,
    /// Continues a legacy horizontal merge: not shown at all.
    h_continue: bool,
}

type Convert = fn(&str, Option<&str>) -> String;

struct DocReader<'a, 'p> {
    xml: Reader<&'a [u8]>,
    part: &'p str,
    styles: &'p Styles,
    numbering: &'p Numbering,
    counters: HashMap<ListKey, Counters>,
    /// Complex fields open at this point; `true` while in the field's
    /// instruction (before `separate`), whose text is not shown.
    fields: Vec<bool>,
    /// Tables and text boxes open at this point.
    nesting: usize,
    convert: Convert,
}

impl<'a, 'p> DocReader<'a, 'p> {
    fn new(
        xml: &'a [u8],
        part: &'p str,
        styles: &'p Styles,
        numbering: &'p Numbering,
        convert: Convert,
    ) -> Self {
        DocReader {
            xml: Reader::from_reader(xml),
            part,
            styles,
            numbering,
            counters: HashMap::new(),
            fields: Vec::new(),
            nesting: 0,
            convert,
        }
    }

    fn read(mut self) -> Result<Vec<DocxLine>, DocxError> {
        loop {
            match self.next()? {
                Event::Start(e) if local(&e) == "body" => {
                    let mut out = Vec::new();
                    self.blocks(&mut out, false, None, "w:body")?;
                    return Ok(out);
                }
                Event::Empty(e) if local(&e) == "body" => return Ok(Vec::new()),
                Event::Eof => {
                    return Err(DocxError::Xml {
                        part: self.part.to_owned(),
                        position: self.xml.buffer_position(),
                        reason: "không có thân văn bản (thẻ w:body)".to_owned(),
                    });
                }
                _ => {}
            }
        }
    }

    fn next(&mut self) -> Result<Event<'a>, DocxError> {
        next_event(&mut self.xml, self.part)
    }

    fn skip(&mut self, e: &BytesStart<'_>) -> Result<(), DocxError> {
        skip(&mut self.xml, e, self.part)
    }

    fn eof(&self, inside: &str) -> DocxError {
        DocxError::Xml {
            part: self.part.to_owned(),
            position: self.xml.buffer_position(),
            reason: format!("tệp kết thúc giữa chừng, thẻ {inside} chưa đóng"),
        }
    }

    /// Text is shown unless it is in a field's instruction.
    fn in_field_code(&self) -> bool {
        self.fields.contains(&true)
    }

    /// Block content (paragraphs, tables) up to the end of the element just
    /// opened. `flat`: inside a table cell, where nested tables are plain
    /// text. `cell`: the element is a table cell, whose merge state is read.
    /// `container`: the element's name, for the error if the file ends.
    fn blocks(
        &mut self,
        out: &mut Vec<DocxLine>,
        flat: bool,
        mut cell: Option<&mut CellProps>,
        container: &str,
    ) -> Result<(), DocxError> {
        let mut depth = 0usize;
        loop {
            match self.next()? {
                Event::Start(e) => match local(&e) {
                    "p" => self.paragraph(out, flat, false)?,
                    "tbl" => self.table(out, flat, &e)?,
                    "tcPr" if cell.is_some() => {
                        if let Some(cell) = cell.as_deref_mut() {
                            self.cell_props(cell)?;
                        }
                    }
                    // Section layout, content-control settings, the older
                    // form of newer content, embedded foreign documents.
                    "sectPr" | "sdtPr" | "sdtEndPr" | "Fallback" | "altChunk" | "tcPr"
                    | "customXmlPr" => self.skip(&e)?,
                    // Content controls, custom XML and the like hold
                    // paragraphs: read through them.
                    _ => depth += 1,
                },
                Event::Empty(e) if local(&e) == "p" => self.paragraph(out, flat, true)?,
                Event::End(_) => {
                    if depth == 0 {
                        return Ok(());
                    }
                    depth -= 1;
                }
                Event::Eof => return Err(self.eof(container)),
                _ => {}
            }
        }
    }

    fn cell_props(&mut self, cell: &mut CellProps) -> Result<(), DocxError> {
        let mut depth = 0usize;
        loop {
            let (e, is_start) = match self.next()? {
                Event::Start(e) => (e, true),
                Event::Empty(e) => (e, false),
                Event::End(_) => {
                    if depth == 0 {
                        return Ok(());
                    }
                    depth -= 1;
                    continue;
                }
                Event::Eof => return Err(self.eof("w:tcPr")),
                _ => continue,
            };
            // A merge without `restart` continues the cell above (or left).
            let continues = || val(&e).is_none_or(|v| v != "restart");
            match local(&e) {
                "tcPrChange" if is_start => {
                    self.skip(&e)?;
                    continue;
                }
                "vMerge" => cell.v_continue = continues(),
                "hMerge" => cell.h_continue = continues(),
                _ => {}
            }
            if is_start {
                depth += 1;
            }
        }
    }

    /// A paragraph, after its start tag (or its empty tag, `empty`): its
    /// lines, then the lines of its text boxes.
    fn paragraph(
        &mut self,
        out: &mut Vec<DocxLine>,
        flat: bool,
        empty: bool,
    ) -> Result<(), DocxError> {
        let mut props = ParagraphProps::default();
        let mut st = ParagraphState::new();
        if !empty {
            let mut depth = 0usize;
            loop {
                let event = self.next()?;
                // Any element but w:pPr (which comes first) means the
                // properties are all known.
                let element = matches!(&event, Event::Start(_) | Event::Empty(_) | Event::End(_));
                if !st.props_done
                    && element
                    && !matches!(&event, Event::Start(e) if local(e) == "pPr")
                {
                    self.paragraph_props_done(&props, &mut st);
                }
                match event {
                    Event::Start(e) => match local(&e) {
                        "pPr" if !st.props_done => {
                            self.paragraph_props(&mut props)?;
                            self.paragraph_props_done(&props, &mut st);
                        }
                        "r" => self.run(&mut st, flat)?,
                        // Deleted and moved-away text, content-control
                        // settings, the older form of newer content.
                        "del" | "moveFrom" | "sdtPr" | "sdtEndPr" | "Fallback" | "pPr"
                        | "customXmlPr" | "rt" => self.skip(&e)?,
                        // Insertions, hyperlinks, simple fields, content
                        // controls, equations: their runs are text.
                        _ => depth += 1,
                    },
                    Event::End(_) => {
                        if depth == 0 {
                            break;
                        }
                        depth -= 1;
                    }
                    Event::Eof => return Err(self.eof("w:p")),
                    _ => {}
                }
            }
        } else {
            self.paragraph_props_done(&props, &mut st);
        }
        // A field code does not run on past its paragraph in practice; a
        // field left open by a damaged file must not hide the rest of it.
        for code in &mut self.fields {
            *code = false;
        }

        let label = st.label.take();
        for (i, line) in st.lines.iter().enumerate() {
            let text = match (&label, i) {
                (Some(label), 0) => clean_line(&format!("{label}{line}")),
                _ => clean_line(line),
            };
            out.push(DocxLine {
                text,
                in_table: false,
            });
        }
        out.append(&mut st.extra);
        Ok(())
    }

    fn paragraph_props(&mut self, props: &mut ParagraphProps) -> Result<(), DocxError> {
        let mut depth = 0usize;
        loop {
            let (e, is_start) = match self.next()? {
                Event::Start(e) => (e, true),
                Event::Empty(e) => (e, false),
                Event::End(_) => {
                    if depth == 0 {
                        return Ok(());
                    }
                    depth -= 1;
                    continue;
                }
                Event::Eof => return Err(self.eof("w:pPr")),
                _ => continue,
            };
            match local(&e) {
                // Earlier properties of a tracked change, the paragraph
                // mark's run properties, section layout.
                "pPrChange" | "rPr" | "sectPr" | "Fallback" if is_start => {
                    self.skip(&e)?;
                    continue;
                }
                "pStyle" => props.style = val(&e),
                "numId" => props.num_id = val_number(&e),
                "ilvl" => props.ilvl = val_level(&e),
                _ => {}
            }
            if is_start {
                depth += 1;
            }
        }
    }

    /// Once the paragraph's properties are known: its label (counted now,
    /// before any numbered paragraph in its text boxes) and default font.
    fn paragraph_props_done(&mut self, props: &ParagraphProps, st: &mut ParagraphState<'p>) {
        let styles: &'p Styles = self.styles;
        st.props_done = true;
        st.font = styles.paragraph_font(props.style.as_deref());
        st.label = self.number(props);
    }

    /// The numbering label of a paragraph, with its separator, advancing
    /// the list's counters.
    fn number(&mut self, props: &ParagraphProps) -> Option<String> {
        let styles = self.styles;
        let numbering = self.numbering;
        let (style_num, style_ilvl) = styles.numbering(props.style.as_deref());
        // numId 0 switches off numbering a style would give.
        let num_id = props.num_id.or(style_num).filter(|&n| n != 0)?;
        let list = numbering.list(num_id, styles)?;
        let ilvl = props
            .ilvl
            .or(style_ilvl)
            .or_else(|| {
                let style = props
                    .style
                    .as_deref()
                    .or(styles.default_paragraph.as_deref())?;
                list.level_of_style(style)
            })
            .unwrap_or(0);
        let counters = self.counters.entry(list.key).or_insert([None; LEVELS]);
        advance(counters, &list, ilvl);
        let mut label = render_label(counters, &list, ilvl)?;
        if !list.level(ilvl).is_some_and(|l| l.no_suffix) {
            label.push(' ');
        }
        Some(label)
    }

    /// A run, after its start tag.
    fn run(&mut self, st: &mut ParagraphState<'p>, flat: bool) -> Result<(), DocxError> {
        let mut props = RunProps::default();
        let mut depth = 0usize;
        loop {
            let (e, is_start) = match self.next()? {
                Event::Start(e) => (e, true),
                Event::Empty(e) => (e, false),
                Event::End(_) => {
                    if depth == 0 {
                        break;
                    }
                    depth -= 1;
                    continue;
                }
                Event::Eof => return Err(self.eof("w:r")),
                _ => continue,
            };
            let shown = !props.hidden && !self.in_field_code();
            match local(&e) {
                "rPr" => {
                    if is_start {
                        self.run_props(&mut props)?;
                    }
                    continue;
                }
                "t" => {
                    if is_start {
                        self.text(st, shown)?;
                    }
                    continue;
                }
                "tab" | "ptab" if shown => st.push_char(' '),
                "noBreakHyphen" if shown => st.push_char('-'),
                "br" | "cr" if shown => {
                    self.flush_run(st, &props);
                    let soft = matches!(attr(&e, "type").as_deref(), Some("page" | "column"));
                    if !soft {
                        st.pending_split = false;
                        st.lines.push(String::new());
                    } else if !st.current_is_blank() || !st.run_text.is_empty() {
                        st.pending_split = true;
                    }
                }
                "fldChar" => match attr(&e, "fldCharType").as_deref() {
                    Some("begin") => self.fields.push(true),
                    Some("separate") => {
                        if let Some(code) = self.fields.last_mut() {
                            *code = false;
                        }
                    }
                    Some("end") => {
                        self.fields.pop();
                    }
                    _ => {}
                },
                "drawing" | "pict" | "object" if is_start => {
                    self.drawing(st, flat)?;
                    continue;
                }
                // Field codes, deleted text, the older form of newer
                // content, ruby text.
                "instrText" | "delText" | "delInstrText" | "Fallback" | "rt" if is_start => {
                    self.skip(&e)?;
                    continue;
                }
                // Symbols (w:sym), footnote and comment references, soft
                // hyphens: nothing a copy shows as text.
                _ => {}
            }
            if is_start {
                depth += 1;
            }
        }
        self.flush_run(st, &props);
        Ok(())
    }

    fn run_props(&mut self, props: &mut RunProps) -> Result<(), DocxError> {
        let mut depth = 0usize;
        loop {
            let (e, is_start) = match self.next()? {
                Event::Start(e) => (e, true),
                Event::Empty(e) => (e, false),
                Event::End(_) => {
                    if depth == 0 {
                        return Ok(());
                    }
                    depth -= 1;
                    continue;
                }
                Event::Eof => return Err(self.eof("w:rPr")),
                _ => continue,
            };
            match local(&e) {
                "rPrChange" | "Fallback" if is_start => {
                    self.skip(&e)?;
                    continue;
                }
                "rFonts" => {
                    if let Some(font) = font_of(&e) {
                        props.font = Some(font);
                    }
                }
                "rStyle" => props.style = val(&e),
                "vanish" => props.hidden = on_off(&e),
                _ => {}
            }
            if is_start {
                depth += 1;
            }
        }
    }

    /// The text of a `w:t`, after its start tag.
    fn text(&mut self, st: &mut ParagraphState<'_>, shown: bool) -> Result<(), DocxError> {
        loop {
            match self.next()? {
                Event::Text(t) if shown => st.push_str(&t.xml10_content()),
                Event::CData(t) if shown => st.push_str(&t.xml10_content()),
                Event::GeneralRef(r) if shown => {
                    if let Ok(Some(c)) = r.resolve_char_ref() {
                        st.push_char(c);
                    } else if let Some(s) = resolve_predefined_entity(&r) {
                        st.push_str(s);
                    }
                }
                Event::Start(e) => self.skip(&e)?,
                Event::End(_) => return Ok(()),
                Event::Eof => return Err(self.eof("w:t")),
                _ => {}
            }
        }
    }

    /// Ends a run: its text, converted from its font's encoding, joins the
    /// paragraph's current line.
    fn flush_run(&self, st: &mut ParagraphState<'p>, props: &RunProps) {
        if st.run_text.is_empty() {
            return;
        }
        let font = props
            .font
            .as_deref()
            .or_else(|| props.style.as_deref().and_then(|s| self.styles.font(s)))
            .or(st.font);
        let text = (self.convert)(&st.run_text, font);
        st.run_text.clear();
        if let Some(line) = st.lines.last_mut() {
            line.push_str(&text);
        }
    }

    /// A drawing, picture or embedded object, after its start tag: only the
    /// paragraphs of its text boxes are text; shapes' other text (charts,
    /// diagrams) is not what a copy of the paragraph gives.
    fn drawing(&mut self, st: &mut ParagraphState<'p>, flat: bool) -> Result<(), DocxError> {
        let mut depth = 0usize;
        loop {
            match self.next()? {
                Event::Start(e) => match local(&e) {
                    "txbxContent" => {
                        if self.nesting >= MAX_NESTING {
                            self.skip(&e)?;
                        } else {
                            self.nesting += 1;
                            let read = self.blocks(&mut st.extra, flat, None, "w:txbxContent");
                            self.nesting -= 1;
                            read?;
                        }
                    }
                    // Word writes a text box twice: as DrawingML in
                    // mc:Choice and as VML in mc:Fallback.
                    "Fallback" => self.skip(&e)?,
                    _ => depth += 1,
                },
                Event::End(_) => {
                    if depth == 0 {
                        return Ok(());
                    }
                    depth -= 1;
                }
                Event::Eof => return Err(self.eof("w:drawing")),
                _ => {}
            }
        }
    }

    /// A table, after its start tag: one line per row, then an empty line;
    /// inside a cell (`flat`), one line of plain text per row.
    fn table(
        &mut self,
        out: &mut Vec<DocxLine>,
        flat: bool,
        e: &BytesStart<'_>,
    ) -> Result<(), DocxError> {
        if self.nesting >= MAX_NESTING {
            return self.skip(e);
        }
        self.nesting += 1;
        let read = self.table_rows(out, flat);
        self.nesting -= 1;
        read?;
        if !flat {
            out.push(DocxLine {
                text: String::new(),
                in_table: false,
            });
        }
        Ok(())
    }

    fn table_rows(&mut self, out: &mut Vec<DocxLine>, flat: bool) -> Result<(), DocxError> {
        let mut depth = 0usize;
        loop {
            match self.next()? {
                Event::Start(e) => match local(&e) {
                    "tr" => {
                        let cells = self.row()?;
                        if cells.is_empty() {
                            continue;
                        }
                        let text = if flat {
                            cells.join(" ")
                        } else {
                            let cells: Vec<String> =
                                cells.iter().map(|c| c.replace('|', "\\|")).collect();
                            format!("| {} |", cells.join(" | "))
                        };
                        out.push(DocxLine {
                            text: clean_line(&text),
                            in_table: true,
                        });
                    }
                    "tblPr" | "tblGrid" | "tblPrChange" | "sdtPr" | "sdtEndPr" | "Fallback"
                    | "customXmlPr" => self.skip(&e)?,
                    _ => depth += 1,
                },
                Event::End(_) => {
                    if depth == 0 {
                        return Ok(());
                    }
                    depth -= 1;
                }
                Event::Eof => return Err(self.eof("w:tbl")),
                _ => {}
            }
        }
    }

    /// A table row, after its start tag: the text of each cell shown.
    fn row(&mut self) -> Result<Vec<String>, DocxError> {
        let mut cells = Vec::new();
        let mut depth = 0usize;
        loop {
            match self.next()? {
                Event::Start(e) => match local(&e) {
                    "tc" => {
                        let mut props = CellProps::default();
                        let mut lines = Vec::new();
                        self.blocks(&mut lines, true, Some(&mut props), "w:tc")?;
                        if props.h_continue {
                            continue;
                        }
                        let text = if props.v_continue {
                            String::new()
                        } else {
                            join_nonempty(&lines)
                        };
                        cells.push(text);
                    }
                    "trPr" | "tblPrEx" | "sdtPr" | "sdtEndPr" | "Fallback" | "customXmlPr" => {
                        self.skip(&e)?
                    }
                    _ => depth += 1,
                },
                Event::Empty(e) if local(&e) == "tc" => cells.push(String::new()),
                Event::End(_) => {
                    if depth == 0 {
                        return Ok(cells);
                    }
                    depth -= 1;
                }
                Event::Eof => return Err(self.eof("w:tr")),
                _ => {}
            }
        }
    }
}

fn join_nonempty(lines: &[DocxLine]) -> String {
    let mut text = String::new();
    for line in lines.iter().filter(|l| !l.text.is_empty()) {
        if !text.is_empty() {
            text.push(' ');
        }
        text.push_str(&line.text);
    }
    text
}

/// A line as it is handed on: NFC, every run of white space one space, no
/// white space at either end.
fn clean_line(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    match is_nfc_quick(raw.chars()) {
        IsNormalized::Yes => collapse_spaces(raw.chars(), &mut out),
        _ => collapse_spaces(raw.nfc(), &mut out),
    }
    out
}

fn collapse_spaces(chars: impl Iterator<Item = char>, out: &mut String) {
    let mut space = false;
    for c in chars {
        if c.is_whitespace() {
            space = !out.is_empty();
        } else {
            if space {
                out.push(' ');
                space = false;
            }
            out.push(c);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const W: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main""#;

    fn styles(xml: &str) -> Styles {
        parse_styles(xml.as_bytes(), "word/styles.xml").unwrap()
    }

    fn numbering(xml: &str) -> Numbering {
        parse_numbering(xml.as_bytes(), "word/numbering.xml").unwrap()
    }

    fn read_body_with(
        body: &str,
        styles: &Styles,
        numbering: &Numbering,
        convert: Convert,
    ) -> Vec<String> {
        let xml = format!("<w:document {W}><w:body>{body}</w:body></w:document>");
        DocReader::new(
            xml.as_bytes(),
            "word/document.xml",
            styles,
            numbering,
            convert,
        )
        .read()
        .unwrap()
        .into_iter()
        .map(|l| l.text)
        .collect()
    }

    fn read_body(body: &str, numbering: &Numbering) -> Vec<String> {
        read_body_with(body, &Styles::default(), numbering, convert_run)
    }

    fn numbered(num_id: u32, ilvl: u32, text: &str) -> String {
        format!(
            "<w:p><w:pPr><w:numPr><w:ilvl w:val=\"{ilvl}\"/><w:numId w:val=\"{num_id}\"/>\
             </w:numPr></w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>"
        )
    }

    fn level(ilvl: u32, fmt: &str, text: &str, extra: &str) -> String {
        format!(
            "<w:lvl w:ilvl=\"{ilvl}\"><w:start w:val=\"1\"/><w:numFmt w:val=\"{fmt}\"/>\
             <w:lvlText w:val=\"{text}\"/>{extra}</w:lvl>"
        )
    }

    fn one_list(levels: &str) -> Numbering {
        numbering(&format!(
            "<w:numbering {W}><w:abstractNum w:abstractNumId=\"0\">{levels}</w:abstractNum>\
             <w:num w:numId=\"1\"><w:abstractNumId w:val=\"0\"/></w:num></w:numbering>"
        ))
    }

    #[test]
    fn number_formats() {
        let mut s = String::new();
        for (value, fmt) in [
            (4, NumFmt::UpperRoman),
            (14, NumFmt::LowerRoman),
            (1994, NumFmt::UpperRoman),
            (3, NumFmt::UpperLetter),
            (28, NumFmt::LowerLetter),
            (7, NumFmt::DecimalZero),
            (12, NumFmt::DecimalZero),
            (5, NumFmt::None),
        ] {
            format_number(value, fmt, &mut s);
            s.push(',');
        }
        assert_eq!(s, "IV,xiv,MCMXCIV,C,bb,07,12,,");
    }

    #[test]
    fn labels_of_the_usual_level_texts() {
        let list = one_list(
            &[
                level(0, "upperRoman", "%1-", ""),
                level(1, "decimal", "%2.", ""),
                level(2, "decimal", "%2.%3.", ""),
                level(3, "lowerLetter", "%4)", ""),
                level(4, "decimal", "(%5)", ""),
            ]
            .concat(),
        );
        let body = [
            numbered(1, 0, "MỤC TIÊU"),
            numbered(1, 1, "Mục tiêu chung"),
            numbered(1, 2, "Nâng cao năng lực"),
            numbered(1, 2, "Bảo đảm tiến độ"),
            numbered(1, 3, "Sở Tài chính"),
            numbered(1, 4, "hằng quý"),
            numbered(1, 0, "GIẢI PHÁP"),
            numbered(1, 1, "Tuyên truyền"),
        ]
        .concat();
        assert_eq!(
            read_body(&body, &list),
            [
                "I- MỤC TIÊU",
                "1. Mục tiêu chung",
                "1.1. Nâng cao năng lực",
                "1.2. Bảo đảm tiến độ",
                "a) Sở Tài chính",
                "(1) hằng quý",
                "II- GIẢI PHÁP",
                "1. Tuyên truyền",
            ]
        );
    }

    #[test]
    fn legal_numbering_and_restart_rules() {
        // Level 1 never restarts; level 2 is legal-style over a roman level.
        let list = one_list(
            &[
                level(0, "upperRoman", "%1.", ""),
                level(1, "decimal", "%2.", "<w:lvlRestart w:val=\"0\"/>"),
                level(2, "decimal", "%1.%3.", "<w:isLgl/>"),
            ]
            .concat(),
        );
        let body = [
            numbered(1, 0, "A"),
            numbered(1, 1, "B"),
            numbered(1, 2, "C"),
            numbered(1, 0, "D"),
            numbered(1, 1, "E"),
            numbered(1, 2, "F"),
        ]
        .concat();
        assert_eq!(
            read_body(&body, &list),
            ["I. A", "1. B", "1.1. C", "II. D", "2. E", "2.1. F"]
        );
    }

    #[test]
    fn bullets_keep_dash_and_plus_and_turn_other_glyphs_into_dashes() {
        let list = one_list(
            &[
                level(0, "bullet", "-", ""),
                level(1, "bullet", "+", ""),
                level(
                    2,
                    "bullet",
                    "&#61623;",
                    "<w:rPr><w:rFonts w:ascii=\"Symbol\"/></w:rPr>",
                ),
                level(3, "bullet", "•", ""),
            ]
            .concat(),
        );
        let body = [
            numbered(1, 0, "a"),
            numbered(1, 1, "b"),
            numbered(1, 2, "c"),
            numbered(1, 3, "d"),
        ]
        .concat();
        assert_eq!(read_body(&body, &list), ["- a", "+ b", "- c", "- d"]);
    }

    #[test]
    fn nums_share_their_abstract_list_unless_they_override_it() {
        let list = numbering(&format!(
            "<w:numbering {W}><w:abstractNum w:abstractNumId=\"5\">{}</w:abstractNum>\
             <w:num w:numId=\"1\"><w:abstractNumId w:val=\"5\"/></w:num>\
             <w:num w:numId=\"2\"><w:abstractNumId w:val=\"5\"/></w:num>\
             <w:num w:numId=\"3\"><w:abstractNumId w:val=\"5\"/>\
             <w:lvlOverride w:ilvl=\"0\"><w:startOverride w:val=\"1\"/></w:lvlOverride></w:num>\
             </w:numbering>",
            level(0, "decimal", "%1)", "")
        ));
        let body = [
            numbered(1, 0, "a"),
            numbered(2, 0, "b"),
            numbered(3, 0, "c"),
            numbered(3, 0, "d"),
            numbered(1, 0, "e"),
            numbered(0, 0, "f"),
        ]
        .concat();
        assert_eq!(
            read_body(&body, &list),
            ["1) a", "2) b", "1) c", "2) d", "3) e", "f"]
        );
    }

    #[test]
    fn runs_are_converted_one_by_one_in_their_own_font() {
        fn tag(text: &str, font: Option<&str>) -> String {
            format!("[{}:{text}]", font.unwrap_or("?"))
        }
        let styles = styles(&format!(
            "<w:styles {W}><w:docDefaults><w:rPrDefault><w:rPr>\
             <w:rFonts w:ascii=\"Times New Roman\" w:hAnsi=\"Times New Roman\"/>\
             </w:rPr></w:rPrDefault></w:docDefaults>\
             <w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"/>\
             <w:style w:type=\"paragraph\" w:styleId=\"Cu\"><w:basedOn w:val=\"Normal\"/>\
             <w:rPr><w:rFonts w:ascii=\".VnTime\" w:hAnsi=\".VnTime\"/></w:rPr></w:style>\
             <w:style w:type=\"character\" w:styleId=\"Dam\">\
             <w:rPr><w:rFonts w:hAnsi=\"VNI-Times\"/></w:rPr></w:style>\
             <w:style w:type=\"paragraph\" w:styleId=\"Cu2\"><w:basedOn w:val=\"Cu\"/></w:style>\
             </w:styles>"
        ));
        let body = "<w:p><w:r><w:t>a</w:t></w:r>\
             <w:r><w:rPr><w:rFonts w:ascii=\".VnTimeH\"/></w:rPr><w:t>b</w:t><w:t>c</w:t></w:r></w:p>\
             <w:p><w:pPr><w:pStyle w:val=\"Cu2\"/></w:pPr><w:r><w:t>d</w:t></w:r>\
             <w:r><w:rPr><w:rStyle w:val=\"Dam\"/></w:rPr><w:t>e</w:t></w:r></w:p>";
        assert_eq!(
            read_body_with(body, &styles, &Numbering::default(), tag),
            [
                "[Times New Roman:a][.VnTimeH:bc]",
                "[.VnTime:d][VNI-Times:e]"
            ]
        );
    }

    #[test]
    fn fields_hidden_text_text_boxes_and_breaks() {
        let body = "<w:p><w:r><w:t xml:space=\"preserve\">Xem </w:t></w:r>\
             <w:r><w:fldChar w:fldCharType=\"begin\"/></w:r>\
             <w:r><w:instrText> REF _Ref1 \\h </w:instrText></w:r>\
             <w:r><w:fldChar w:fldCharType=\"separate\"/></w:r>\
             <w:r><w:t>mục 2</w:t></w:r><w:r><w:fldChar w:fldCharType=\"end\"/></w:r>\
             <w:r><w:rPr><w:vanish/></w:rPr><w:t>ẩn</w:t></w:r>\
             <w:r><w:t>;</w:t><w:footnoteReference w:id=\"1\"/></w:r>\
             <w:r><mc:AlternateContent xmlns:mc=\"m\"><mc:Choice Requires=\"wps\"><w:drawing>\
             <wps:txbx xmlns:wps=\"x\"><w:txbxContent><w:p><w:r><w:t>Hộp chữ</w:t></w:r></w:p>\
             </w:txbxContent></wps:txbx><a:t xmlns:a=\"y\">không</a:t></w:drawing></mc:Choice>\
             <mc:Fallback><w:pict><w:txbxContent><w:p><w:r><w:t>Hộp chữ</w:t></w:r></w:p>\
             </w:txbxContent></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>\
             <w:p><w:r><w:br w:type=\"page\"/><w:t>Sau ngắt trang</w:t><w:br/><w:t>dòng hai</w:t>\
             <w:tab/><w:t>A&amp;B&#x20;</w:t><w:noBreakHyphen/><w:t>C</w:t></w:r></w:p>";
        assert_eq!(
            read_body(body, &Numbering::default()),
            ["Xem mục 2;", "Hộp chữ", "Sau ngắt trang", "dòng hai A&B -C"]
        );
    }

    #[test]
    fn merged_and_nested_cells() {
        let cell = |props: &str, text: &str| {
            format!("<w:tc><w:tcPr>{props}</w:tcPr><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:tc>")
        };
        let nested = "<w:tc><w:tbl><w:tr><w:tc><w:p><w:r><w:t>x</w:t></w:r></w:p></w:tc>\
             <w:tc><w:p><w:r><w:t>y|z</w:t></w:r></w:p></w:tc></w:tr></w:tbl><w:p/></w:tc>";
        let body = format!(
            "<w:tbl><w:tblPr/><w:tr>{}{}</w:tr><w:tr>{}{}</w:tr></w:tbl><w:p/>",
            cell(
                "<w:gridSpan w:val=\"2\"/><w:vMerge w:val=\"restart\"/>",
                "Gộp"
            ),
            nested,
            cell("<w:gridSpan w:val=\"2\"/><w:vMerge/>", ""),
            cell("", "a | b"),
        );
        assert_eq!(
            read_body(&body, &Numbering::default()),
            ["| Gộp | x y\\|z |", "| | a \\| b |", "", ""]
        );
    }

    #[test]
    fn lines_are_nfc_with_spaces_collapsed() {
        assert_eq!(
            clean_line("  Ke\u{302}\u{301} hoạch\u{a0}\t số  1  "),
            "Kế hoạch số 1"
        );
    }

    #[test]
    fn broken_xml_names_part_and_position() {
        let xml = format!("<w:document {W}><w:body><w:p><w:r></w:p></w:body></w:document>");
        let err = DocReader::new(
            xml.as_bytes(),
            "word/document.xml",
            &Styles::default(),
            &Numbering::default(),
            convert_run,
        )
        .read()
        .unwrap_err();
        let message = err.to_string();
        assert!(message.contains("word/document.xml"), "{message}");
        assert!(message.contains("tại byte"), "{message}");
    }

    #[test]
    fn relationship_targets() {
        assert_eq!(
            resolve_target("word/document.xml", "styles.xml"),
            "word/styles.xml"
        );
        assert_eq!(
            resolve_target("word/document.xml", "/word/x.xml"),
            "word/x.xml"
        );
        assert_eq!(resolve_target("", "word/document.xml"), "word/document.xml");
        assert_eq!(resolve_target("a/b/c.xml", "../d.xml"), "a/d.xml");
        assert_eq!(
            rels_name_for("word/document.xml"),
            "word/_rels/document.xml.rels"
        );
    }
}
