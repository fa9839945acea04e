//! A long plan, for measuring the reader and for testing it on a document
//! of hundreds of pages: the reference plan with its assignment part
//! repeated under new numbers until it is as long as asked.

/// Characters of a printed page of a plan (A4, 13 pt, about 500 words).
pub const PAGE_CHARS: usize = 3_000;

const REFERENCE: &str = include_str!("../../../plans/390-KH-TU.md");

/// The reference plan grown to at least `pages` pages, and the number of
/// times its assignment part was repeated.
pub fn long_plan(pages: usize) -> (String, usize) {
    let lines: Vec<&str> = REFERENCE.lines().collect();
    let start = lines
        .iter()
        .position(|l| l.starts_with("V- TỔ CHỨC THỰC HIỆN"))
        .unwrap_or(0)
        + 1;
    let end = lines
        .iter()
        .position(|l| l.starts_with("Nơi nhận"))
        .unwrap_or(lines.len());
    let (head, part, tail) = (&lines[..start], &lines[start..end], &lines[end..]);
    let mut out: String = head.iter().flat_map(|l| [*l, "\n"]).collect();
    let tail: String = tail.iter().flat_map(|l| [*l, "\n"]).collect();
    let mut copies = 0;
    // Sections number their items up to a few dozen: every 20 copies go
    // under a section of their own, as a long plan's parts would.
    const ROMAN: [&str; 12] = [
        "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV", "XVI",
    ];
    while out.chars().count() + tail.chars().count() < pages * PAGE_CHARS || copies == 0 {
        let (section, k) = (copies / 20, copies % 20);
        if k == 0 && section > 0 {
            let numeral = ROMAN.get(section).copied().unwrap_or("XVI");
            out.push_str(&format!("{numeral}- TỔ CHỨC THỰC HIỆN (TIẾP THEO)\n\n"));
        }
        // Top-level numbers 1 and 2 of the part become 2k+1 and 2k+2.
        for l in part {
            let renumbered = match l.split_once('.') {
                Some((n, rest)) if n == "1" || n == "2" => {
                    let top: usize = n.parse().unwrap_or(1) + 2 * k;
                    format!("{top}.{rest}")
                }
                _ => (*l).to_string(),
            };
            out.push_str(&renumbered);
            out.push('\n');
        }
        copies += 1;
    }
    out.push_str(&tail);
    (out, copies)
}

/// The text as a DOCX of plain paragraphs (labels in the text), for
/// measuring the DOCX path; the tests make richer files.
pub fn to_docx(text: &str) -> Vec<u8> {
    use std::io::Write;
    let mut body = String::with_capacity(text.len() * 2);
    for line in text.lines() {
        let escaped = line
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;");
        body.push_str("<w:p><w:r><w:t xml:space=\"preserve\">");
        body.push_str(&escaped);
        body.push_str("</w:t></w:r></w:p>");
    }
    let document = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
         <w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>{body}</w:body></w:document>"
    );
    let parts: [(&str, &str); 3] = [
        (
            "[Content_Types].xml",
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
             <Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
             <Default Extension=\"xml\" ContentType=\"application/xml\"/>\
             <Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/></Types>",
        ),
        (
            "_rels/.rels",
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
             <Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/></Relationships>",
        ),
        ("word/document.xml", &document),
    ];
    let mut out = Vec::new();
    {
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(&mut out));
        for (name, content) in parts {
            // Writing to memory does not fail.
            let _ = zip.start_file(name, zip::write::SimpleFileOptions::default());
            let _ = zip.write_all(content.as_bytes());
        }
        let _ = zip.finish();
    }
    out
}
