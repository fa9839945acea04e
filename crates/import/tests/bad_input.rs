//! What is not a plan, or not readable, is said so in Vietnamese; what is
//! a plan but not wholly understood comes with the lines left over.

use dondoc_import::{ImportError, read_bytes};

fn message(r: Result<dondoc_import::Draft, ImportError>) -> String {
    match r {
        Ok(d) => panic!(
            "đáng lẽ phải báo lỗi, lại đọc ra {} nhiệm vụ",
            d.plan.tasks.len()
        ),
        Err(e) => e.to_string(),
    }
}

#[test]
fn empty_files_are_refused() {
    assert!(message(read_bytes(b"", "a.txt")).contains("tệp trống"));
    assert!(message(read_bytes(b"  \n\n\t ", "a.md")).contains("tệp trống"));
    assert!(message(dondoc_import::read_text("")).contains("tệp trống"));
}

#[test]
fn files_that_are_not_text_say_what_they_are() {
    let png = [
        0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, b'I', b'H', b'D', b'R',
    ];
    assert!(message(read_bytes(&png, "anh.png")).contains("tệp nhị phân"));
    assert!(message(read_bytes(b"%PDF-1.7\n...", "ke-hoach.pdf")).contains("PDF"));
    assert!(
        message(read_bytes(
            &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1],
            "cu.doc"
        ))
        .contains(".doc")
    );
}

#[test]
fn a_corrupted_docx_is_refused_with_its_reason() {
    let m = message(read_bytes(
        b"PK\x03\x04 not really a zip archive at all",
        "hong.docx",
    ));
    assert!(m.contains("DOCX"), "{m}");
    // A real archive cut short.
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/plans/huyen-uy.txt"
    ))
    .unwrap();
    let _ = text;
    let mut zip = Vec::new();
    {
        use std::io::Write;
        let mut w = zip::ZipWriter::new(std::io::Cursor::new(&mut zip));
        w.start_file(
            "word/document.xml",
            zip::write::SimpleFileOptions::default(),
        )
        .unwrap();
        w.write_all(
            b"<w:document><w:body><w:p><w:r><w:t>K\xe1\xba\xbe HO\xe1\xba\xa0CH</w:t></w:r></w:p>",
        )
        .unwrap();
        w.finish().unwrap();
    }
    let cut = &zip[..zip.len() / 2];
    let m = message(read_bytes(cut, "cut.docx"));
    assert!(m.contains("DOCX") || m.contains("hỏng"), "{m}");
    let m = message(read_bytes(&zip, "broken-xml.docx"));
    assert!(m.contains("XML") || m.contains("hỏng"), "{m}");
}

#[test]
fn prose_that_is_no_plan_is_said_so() {
    let prose = "Hôm nay trời đẹp. Chúng tôi đi chơi công viên và ăn kem.\nBuổi chiều cả nhà về quê thăm ông bà.\n";
    assert!(
        message(read_bytes(prose.as_bytes(), "nhat-ky.txt")).contains("không nhận ra kế hoạch")
    );
}

#[test]
fn a_letter_with_a_number_but_no_tasks_lists_what_was_not_understood() {
    let letter = "UỶ BAN NHÂN DÂN\nTỈNH CAO BẰNG\nSố: 15/CV-UBND\nCao Bằng, ngày 03 tháng 3 năm 2025\n\nKính gửi: các sở, ban, ngành.\n\nỦy ban nhân dân tỉnh nhận được văn bản của Bộ Nội vụ về việc rà soát biên chế.\nĐề nghị các đơn vị nghiên cứu, có ý kiến.\n";
    let d = read_bytes(letter.as_bytes(), "cong-van.txt").unwrap();
    assert_eq!(d.plan.number, "15/CV-UBND");
    assert!(d.plan.tasks.is_empty());
    let unparsed: Vec<&str> = d
        .plan
        .unparsed
        .iter()
        .flatten()
        .map(|u| u.text.as_str())
        .collect();
    assert!(
        unparsed.iter().any(|t| t.starts_with("Kính gửi")),
        "{unparsed:?}"
    );
    assert!(
        unparsed.iter().any(|t| t.contains("rà soát biên chế")),
        "{unparsed:?}"
    );
}

#[test]
fn a_three_hundred_page_plan_reads_whole() {
    let (text, copies) = dondoc_import::sample::long_plan(300);
    assert!(text.chars().count() >= 300 * dondoc_import::sample::PAGE_CHARS);
    let d = read_bytes(text.as_bytes(), "dai.md").unwrap();
    // Each copy of the assignment part holds the reference plan's tasks of
    // section V (all but the one in the slogans annex).
    let reference = dondoc_import::read_text(
        &std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../plans/390-KH-TU.md"
        ))
        .unwrap(),
    )
    .unwrap();
    let per_copy = reference
        .plan
        .tasks
        .iter()
        .filter(|t| t.reference.starts_with("V."))
        .count();
    assert_eq!(d.plan.tasks.len(), copies * per_copy + 1);
    assert_eq!(d.plan.unparsed.as_deref().unwrap_or_default(), &[]);
    let refs: std::collections::HashSet<&str> =
        d.plan.tasks.iter().map(|t| t.reference.as_str()).collect();
    assert_eq!(
        refs.len(),
        d.plan.tasks.len(),
        "mỗi nhiệm vụ một số thứ tự riêng"
    );
}
