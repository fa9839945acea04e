//! The same plan in every form it arrives in — DOCX with Word's automatic
//! numbering, DOCX typed in the TCVN3 fonts, and text files in TCVN3 and
//! VNI — reads to the same draft as its UTF-8 text. The files are made here.

mod support {
    pub mod make_docx;
}
use dondoc_import::legacy::{self, Encoding};
use serde_json::Value;
use support::make_docx::{BULLETS, DocxBuilder, Run, SECTIONS};

const PLANS: &[&str] = &[
    "../../plans/390-KH-TU.md",
    "tests/plans/ubnd-tinh.txt",
    "tests/plans/so-nganh.txt",
    "tests/plans/huyen-uy.txt",
    "tests/plans/doan-the.txt",
];

fn text_of(path: &str) -> String {
    std::fs::read_to_string(format!("{}/{path}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

/// The draft without what depends on line numbers.
fn comparable(draft: &dondoc_import::Draft) -> Value {
    let mut v = serde_json::to_value(&draft.plan).unwrap();
    let unparsed: Vec<Value> = draft
        .plan
        .unparsed
        .iter()
        .flatten()
        .map(|u| Value::String(u.text.clone()))
        .collect();
    v["unparsed"] = Value::Array(unparsed);
    v
}

fn roman(n: u32) -> &'static str {
    [
        "", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X",
    ][n as usize]
}

/// A DOCX of the text with its labels turned into Word's numbering where
/// they follow on as Word would number them; other labels stay as text.
fn to_docx(text: &str) -> Vec<u8> {
    let mut b = DocxBuilder::new();
    let mut list = SECTIONS;
    let mut counters = [0u32; 4];
    let mut table: Vec<Vec<String>> = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with('|') && line.ends_with('|') && line.len() > 1 {
            let cells: Vec<String> = line[1..line.len() - 1]
                .split('|')
                .map(|c| c.trim().to_string())
                .collect();
            if !cells
                .iter()
                .all(|c| c.chars().all(|ch| matches!(ch, '-' | ':')))
            {
                table.push(cells);
            }
            continue;
        }
        if !table.is_empty() {
            b.table(&table);
            table.clear();
        }
        if let Some((numeral, rest)) = roman_label(line) {
            if numeral == "I" && counters[0] > 0 {
                list = b.restart_list(SECTIONS);
                counters = [0; 4];
            }
            if numeral == roman(counters[0] + 1) {
                counters = [counters[0] + 1, 0, 0, 0];
                b.numbered(list, 0, rest);
                continue;
            }
        }
        if let Some((numbers, rest)) = decimal_label(line) {
            let d = numbers.len();
            let mut expected = counters[1..d].to_vec();
            expected.push(counters[d] + 1);
            if numbers == expected {
                counters[d] += 1;
                counters[d + 1..].iter_mut().for_each(|c| *c = 0);
                b.numbered(list, d as u8, rest);
                continue;
            }
        }
        if let Some(rest) = line.strip_prefix("- ") {
            b.numbered(BULLETS, 0, rest);
        } else if let Some(rest) = line.strip_prefix("+ ") {
            b.numbered(BULLETS, 1, rest);
        } else {
            b.paragraph(line);
        }
    }
    if !table.is_empty() {
        b.table(&table);
    }
    b.build()
}

fn roman_label(line: &str) -> Option<(&str, &str)> {
    let n = line.bytes().take_while(|c| b"IVX".contains(c)).count();
    if n == 0 {
        return None;
    }
    let rest = line[n..]
        .strip_prefix("- ")
        .or_else(|| line[n..].strip_prefix(". "))?;
    let letters: Vec<char> = rest.chars().filter(|c| c.is_alphabetic()).collect();
    (letters.iter().filter(|c| c.is_uppercase()).count() * 10 >= letters.len() * 6)
        .then_some((&line[..n], rest))
}

fn decimal_label(line: &str) -> Option<(Vec<u32>, &str)> {
    let end = line.find(' ')?;
    let label = line[..end].trim_end_matches('.');
    let numbers: Vec<u32> = label
        .split('.')
        .map(|p| p.parse().ok())
        .collect::<Option<_>>()?;
    let dotted = line[..end].ends_with('.') || numbers.len() > 1;
    (dotted && (1..=3).contains(&numbers.len()) && numbers.iter().all(|&n| n > 0 && n < 60))
        .then(|| (numbers, &line[end + 1..]))
}

#[test]
fn docx_with_automatic_numbering_reads_as_its_text() {
    for path in PLANS {
        let text = text_of(path);
        let from_text = dondoc_import::read_text(&text).unwrap();
        let from_docx = dondoc_import::read_bytes(&to_docx(&text), "ke-hoach.docx").unwrap();
        assert_eq!(from_docx.format, dondoc_import::Format::Docx);
        assert_eq!(
            comparable(&from_docx),
            comparable(&from_text),
            "{path}: DOCX đọc khác văn bản"
        );
    }
}

#[test]
fn vni_text_files_read_as_their_utf8_text() {
    for path in PLANS {
        let text = text_of(path);
        let bytes = legacy::encode(&text, Encoding::Vni).unwrap();
        let from_vni = dondoc_import::read_bytes(&bytes, "ke-hoach.txt").unwrap();
        assert_eq!(from_vni.encoding, "VNI Windows", "{path}");
        assert_eq!(
            comparable(&from_vni),
            comparable(&dondoc_import::read_text(&text).unwrap()),
            "{path}: VNI đọc khác UTF-8"
        );
    }
}

/// TCVN3 has no capital letters with tone marks and no typographic quotes
/// or superscripts: a TCVN3 text file holds the letters in lower case and
/// plain marks, so its UTF-8 text is the plan written so.
fn tcvn3_representable(text: &str) -> String {
    text.chars()
        .map(|c| {
            if legacy::encode(&c.to_string(), Encoding::Tcvn3).is_ok() {
                return c.to_string();
            }
            match c {
                '“' | '”' => "\"".into(),
                '‘' | '’' => "'".into(),
                '–' | '—' => "-".into(),
                '…' => "...".into(),
                c if c.is_alphabetic() => c.to_lowercase().collect(),
                _ => String::new(),
            }
        })
        .collect()
}

#[test]
fn tcvn3_text_files_read_as_their_utf8_text() {
    for path in PLANS {
        let text = tcvn3_representable(&text_of(path));
        let bytes = legacy::encode(&text, Encoding::Tcvn3).unwrap();
        let from_tcvn3 = dondoc_import::read_bytes(&bytes, "ke-hoach.txt").unwrap();
        assert_eq!(from_tcvn3.encoding, "TCVN3 (ABC)", "{path}");
        assert_eq!(
            comparable(&from_tcvn3),
            comparable(&dondoc_import::read_text(&text).unwrap()),
            "{path}: TCVN3 đọc khác UTF-8"
        );
    }
}

/// A DOCX typed with the ABC keyboard: runs in .VnTime, and capitals with
/// tone marks in .VnTimeH, which draws the lower-case codes as capitals.
fn to_tcvn3_docx(text: &str) -> Vec<u8> {
    let mut b = DocxBuilder::new();
    for line in text.lines() {
        let mut runs: Vec<(&str, String)> = Vec::new();
        for c in line.chars() {
            // Marks the font lacks are typed in a Unicode font.
            let (font, chars) = match legacy::encode(&c.to_string(), Encoding::Tcvn3) {
                Ok(bytes) => (
                    ".VnTime",
                    bytes.iter().map(|&b| char::from(b)).collect::<String>(),
                ),
                Err(_) => {
                    match legacy::encode(&c.to_lowercase().collect::<String>(), Encoding::Tcvn3) {
                        Ok(bytes) if c.is_uppercase() => {
                            (".VnTimeH", bytes.iter().map(|&b| char::from(b)).collect())
                        }
                        _ => ("Times New Roman", c.to_string()),
                    }
                }
            };
            match runs.last_mut() {
                Some((f, s)) if *f == font => s.push_str(&chars),
                _ => runs.push((font, chars)),
            }
        }
        let runs: Vec<Run> = runs.iter().map(|(f, s)| Run::in_font(f, s)).collect();
        b.runs(&runs);
    }
    b.build()
}

#[test]
fn tcvn3_docx_reads_as_its_utf8_text() {
    for path in PLANS {
        let text = text_of(path);
        let from_docx = dondoc_import::read_bytes(&to_tcvn3_docx(&text), "ke-hoach.docx").unwrap();
        assert_eq!(
            comparable(&from_docx),
            comparable(&dondoc_import::read_text(&text).unwrap()),
            "{path}: DOCX TCVN3 đọc khác UTF-8"
        );
    }
}
