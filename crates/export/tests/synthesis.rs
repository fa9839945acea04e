//! The synthesis report: what the DOCX says, read back by docx-rs and by
//! LibreOffice, its edge cases, and the name it is saved under.

#[path = "support/synthesis.rs"]
mod support;

use dondoc_core::documents::synthesis::{FigureRow, Indicator, PeriodRow, PeriodicFigures, Rates};
use dondoc_core::text::nfc;
use dondoc_export::error::ExportError;
use dondoc_export::synthesis::{Document, document_file_name, short_title, write_docx};
use jiff::civil::date;
use support::{docx_text, empty, sample, squeeze};

/// What every reader must find in the sample report.
const SAMPLE_TEXTS: &[&str] = &[
    // header block
    "ĐẢNG BỘ TỈNH CAO BẰNG",
    "TỈNH UỶ CAO BẰNG",
    "Số -BC/TU",
    "ĐẢNG CỘNG SẢN VIỆT NAM",
    "Cao Bằng, ngày 10 tháng 02 năm 2025",
    // title
    "BÁO CÁO",
    "kết quả thực hiện Kế hoạch số 390-KH/TU, ngày 19/11/2024 của Tỉnh uỷ Cao Bằng",
    "Đại hội đại biểu toàn quốc lần thứ XIV của Đảng",
    "Phạm vi báo cáo: Đợt I (từ ngày 19/11/2024 đến ngày 31/12/2024)",
    // I
    "I- TÌNH HÌNH TRIỂN KHAI THỰC HIỆN",
    "Kế hoạch được giao cho 24 đơn vị chủ trì với 31 nhiệm vụ.",
    "Tình hình báo cáo: 12 đơn vị phải báo cáo; đã nhận 10 (83,3%), trong đó 8 đúng hạn (66,7%).",
    // II
    "II- KẾT QUẢ THỰC HIỆN",
    "1. Kết quả theo các hình thức tuyên truyền",
    "- Tuyên truyền trên báo chí: 1.234 tin, bài trên báo chí.",
    "- Hội nghị phổ biến, quán triệt: 10 hội nghị; 2.420 lượt người tham dự hội nghị.",
    "2. Số liệu tổng hợp theo đơn vị",
    "STT",
    "Đơn vị",
    "Cấp",
    "Tin, bài trên báo chí (tin, bài)",
    "Lượt người tham dự hội nghị (lượt người)",
    "Báo Cao Bằng",
    "Huyện uỷ Bảo Lạc",
    "Huyện uỷ Hà Quảng",
    "Đảng uỷ xã Cốc Pàng",
    "Cơ sở",
    "1.000",
    "1.050",
    "Tổng cộng",
    "1.234",
    "2.420",
    "3. Tình hình thực hiện nhiệm vụ",
    "a) Nhiệm vụ đã hoàn thành",
    "- Mục V.1.1.1: Xây dựng kế hoạch, chỉ đạo, hướng dẫn các chi bộ, đảng bộ trực thuộc (đơn vị thực hiện: Huyện uỷ Bảo Lạc; Huyện uỷ Hà Quảng; thời hạn: trong tháng 11/2024; hoàn thành ngày 28/11/2024).",
    "b) Nhiệm vụ đang thực hiện",
    "- Mục V.2.3: Mở chuyên trang, chuyên mục về đại hội đảng bộ các cấp (đơn vị thực hiện: Báo Cao Bằng; thường xuyên).",
    "c) Nhiệm vụ chưa thực hiện (chưa đến hạn)",
    "d) Nhiệm vụ quá hạn",
    "quá hạn 41 ngày",
    "đ) Nhiệm vụ có thời hạn phụ thuộc sự kiện chưa xác định thời gian",
    "Trang trí khánh tiết Đại hội XX Đảng bộ tỉnh",
    "4. Báo cáo chậm, chưa báo cáo",
    "- Báo cáo gửi chậm (2):",
    "+ Huyện uỷ Bảo Lạc: Đợt I, hạn 05/02/2025, gửi ngày 07/02/2025.",
    "+ Báo Cao Bằng: Đợt I, hạn 05/02/2025, gửi ngày 06/02/2025.",
    "- Chưa báo cáo (1):",
    "+ Huyện uỷ Thạch An: Đợt I, hạn 05/02/2025.",
    "5. Nội dung nổi bật từ báo cáo của các đơn vị",
    "- Báo Cao Bằng: Mở chuyên mục “Tiến tới Đại hội XX”.",
    "Đăng 12 bài phóng sự.",
    "- Huyện uỷ Bảo Lạc: Tổ chức 3 hội nghị quán triệt.",
    "III- HẠN CHẾ, KHÓ KHĂN",
    "[Người soạn bổ sung những hạn chế, khó khăn trong quá trình thực hiện Kế hoạch.]",
    "IV- ĐỀ XUẤT, KIẾN NGHỊ",
    "[Người soạn bổ sung các đề xuất, kiến nghị.]",
    // closing block
    "Nơi nhận:",
    "- Ban Tuyên giáo Trung ương (báo cáo),",
    "- Thường trực Tỉnh uỷ,",
    "- Các đồng chí Tỉnh uỷ viên,",
    "- Lưu Văn phòng Tỉnh uỷ.",
    "T/M BAN THƯỜNG VỤ",
    "PHÓ BÍ THƯ THƯỜNG TRỰC",
    "Triệu Đình Lê",
];

/// Sentences of an empty section, which must not appear in the full sample.
const EMPTY_SENTENCES: &[&str] = &[
    "Không có nhiệm vụ nào.",
    "chưa có đơn vị nào báo cáo số liệu",
    "không có đơn vị nào đến hạn phải báo cáo",
    "Các đơn vị đã báo cáo đầy đủ, đúng hạn.",
    "chưa có đơn vị nào báo cáo nội dung nổi bật",
];

fn assert_contains_all(text: &str, expected: &[&str], reader: &str) {
    let text = squeeze(text);
    let missing: Vec<_> = expected
        .iter()
        .filter(|e| !text.contains(&squeeze(e)))
        .collect();
    assert!(
        missing.is_empty(),
        "{reader}: missing {missing:#?}\n--- text ---\n{text}"
    );
}

#[test]
fn docx_is_a_package_with_every_key_text() {
    let bytes = write_docx(&sample()).expect("docx");
    assert_eq!(&bytes[..4], b"PK\x03\x04", "a zip archive");
    let text = docx_text(&bytes);
    assert_contains_all(&text, SAMPLE_TEXTS, "docx-rs");
    for sentence in EMPTY_SENTENCES {
        assert!(!text.contains(sentence), "unexpected {sentence:?}");
    }
    // Everything NFC: the decomposed unit name came out composed, and no
    // combining mark is left anywhere.
    assert_eq!(text, nfc(&text));
    assert!(!text.chars().any(|c| ('\u{300}'..='\u{36f}').contains(&c)));
    // The control character and the non-characters of the pasted narrative
    // are gone (a document holding one is not XML).
    assert!(!text.contains('\u{7}'));
    assert!(!text.contains('\u{FFFE}') && !text.contains('\u{FFFF}'));
    // Nothing invented: the only number-like texts in the table are the
    // sample's own values, and the empty cell stays empty.
    assert!(!text.contains("1.034"), "no total is recomputed");
    // "Lưu …" closes the recipients, after the others.
    let lưu = text.find("- Lưu Văn phòng Tỉnh uỷ.").unwrap();
    assert!(text.find("- Các đồng chí Tỉnh uỷ viên,").unwrap() < lưu);
}

#[test]
fn page_and_fonts_follow_the_party_format() {
    let bytes = write_docx(&sample()).expect("docx");
    let docx = docx_rs::read_docx(&bytes).expect("read");
    let margin = &docx.document.section_property.page_margin;
    let mm = |twips: i32| f64::from(twips) / 56.7;
    assert!((20.0..=25.0).contains(&mm(margin.top)), "{margin:?}");
    assert!((20.0..=25.0).contains(&mm(margin.bottom)), "{margin:?}");
    assert!((30.0..=35.0).contains(&mm(margin.left)), "{margin:?}");
    assert!((15.0..=20.0).contains(&mm(margin.right)), "{margin:?}");

    // The rest only through the reader's JSON view.
    let json = squeeze(&docx.json());
    assert!(
        json.contains(r#""pageSize": { "w": 11906, "h": 16838"#),
        "A4"
    );
    for slot in ["ascii", "hiAnsi", "eastAsia", "cs"] {
        assert!(
            json.contains(&format!(r#""{slot}": "Times New Roman""#)),
            "{slot}"
        );
    }
    assert!(json.contains(r#""sz": 28, "szCs": 28"#), "14 pt body");
}

#[test]
fn empty_sections_say_so() {
    let bytes = write_docx(&empty()).expect("docx");
    let text = docx_text(&bytes);
    assert_contains_all(
        &text,
        &[
            "BAN TUYÊN GIÁO TỈNH UỶ",
            "Cao Bằng, ngày 20 tháng 11 năm 2024",
            "Phạm vi báo cáo: toàn bộ Kế hoạch",
            "Trong phạm vi báo cáo này không có đơn vị nào đến hạn phải báo cáo.",
            "Trong phạm vi báo cáo này chưa có kết quả nào theo các hình thức tuyên truyền.",
            "Trong phạm vi báo cáo này chưa có đơn vị nào báo cáo số liệu.",
            "Trong phạm vi báo cáo này không có báo cáo nào đến hạn.",
            "Trong phạm vi báo cáo này chưa có đơn vị nào báo cáo nội dung nổi bật.",
            "Nơi nhận:",
        ],
        "docx-rs",
    );
    // No empty heading: one line says there is no task.
    assert_eq!(text.matches("Không có nhiệm vụ nào.").count(), 0, "{text}");
    assert!(text.contains("Trong phạm vi báo cáo này không có nhiệm vụ nào giao cho các đơn vị."));
    assert!(!text.contains("a) Nhiệm vụ"), "{text}");
    // No division by zero, no table, no totals.
    assert!(!text.contains('%'), "{text}");
    assert!(!text.contains("NaN"));
    assert!(!text.contains("Tổng cộng"));
    assert!(!text.contains("ĐẢNG BỘ"), "no superior was given");
}

#[test]
fn all_on_time_and_nothing_late() {
    let mut s = sample();
    s.late.clear();
    s.missing.clear();
    s.rates = Rates {
        expected: 3,
        units: 3,
        submitted: 3,
        on_time: 3,
    };
    let text = docx_text(&write_docx(&s).unwrap());
    assert_contains_all(
        &text,
        &[
            "3 đơn vị phải báo cáo; đã nhận 3 (100%), trong đó 3 đúng hạn (100%).",
            "Các đơn vị đã báo cáo đầy đủ, đúng hạn.",
        ],
        "docx-rs",
    );
    assert!(!text.contains("Báo cáo gửi chậm"));
}

#[test]
fn reports_over_several_periods_are_not_called_units() {
    let mut s = sample();
    s.rates = Rates {
        expected: 98,
        units: 32,
        submitted: 60,
        on_time: 50,
    };
    let text = docx_text(&write_docx(&s).unwrap());
    assert_contains_all(
        &text,
        &[
            "Tình hình báo cáo: 98 báo cáo đã đến hạn của 32 đơn vị; đã nhận 60 (61,2%), trong đó 50 đúng hạn (51%).",
        ],
        "docx-rs",
    );
    assert!(!text.contains("98 đơn vị"), "{text}");
}

#[test]
fn only_late_reports_say_none_is_missing() {
    let mut s = sample();
    s.missing.clear();
    s.rates.expected = 2_000;
    s.rates.units = 2_000;
    s.rates.submitted = 1_999;
    s.rates.on_time = 1;
    let text = docx_text(&write_docx(&s).unwrap());
    assert_contains_all(
        &text,
        &[
            "2.000 đơn vị phải báo cáo; đã nhận 1.999 (99,9%), trong đó 1 đúng hạn (0,1%).",
            "- Báo cáo gửi chậm (2):",
            "- Không có đơn vị nào chưa báo cáo.",
        ],
        "docx-rs",
    );
}

#[test]
fn dates_take_a_zero_before_small_days_and_january_february() {
    let line = |d| {
        let mut s = empty();
        s.date = d;
        squeeze(&docx_text(&write_docx(&s).unwrap()))
    };
    assert!(line(date(2025, 2, 5)).contains("Cao Bằng, ngày 05 tháng 02 năm 2025"));
    assert!(line(date(2025, 11, 19)).contains("Cao Bằng, ngày 19 tháng 11 năm 2025"));
    assert!(line(date(2025, 3, 15)).contains("Cao Bằng, ngày 15 tháng 3 năm 2025"));
}

#[test]
fn many_indicators_are_split_over_tables_that_repeat_the_units() {
    let mut s = sample();
    s.indicators = (1..=9)
        .map(|i| Indicator {
            key: format!("chi_tieu_{i}"),
            label: format!("Chỉ tiêu {i}"),
            unit: "cái".into(),
        })
        .collect();
    for row in &mut s.figures {
        row.values = (1..=9).map(|i| Some(i * 1_000)).collect();
    }
    s.totals = (1..=9).map(|i| i * 4_000).collect();
    let text = docx_text(&write_docx(&s).unwrap());
    for caption in ["Bảng 1/3", "Bảng 2/3", "Bảng 3/3"] {
        assert!(text.contains(caption), "{caption}");
    }
    assert_eq!(text.matches("Tổng cộng").count(), 3);
    assert_eq!(text.matches("Đảng uỷ xã Cốc Pàng").count(), 3);
    assert!(text.contains("Chỉ tiêu 9 (cái)") && text.contains("36.000"));
}

#[test]
fn a_row_of_the_wrong_width_is_refused_in_vietnamese() {
    let mut s = sample();
    s.figures.push(FigureRow {
        unit: "Huyện uỷ Nguyên Bình".into(),
        level: "Huyện".into(),
        values: vec![Some(1)],
    });
    let err = write_docx(&s).unwrap_err();
    assert!(matches!(
        err,
        ExportError::RowWidth {
            values: 1,
            indicators: 3,
            ..
        }
    ));
    assert_eq!(
        err.to_string(),
        "Dòng số liệu của đơn vị «Huyện uỷ Nguyên Bình» có 1 giá trị, trong khi báo cáo có 3 chỉ tiêu."
    );

    let mut s = sample();
    s.totals.pop();
    let err = write_docx(&s).unwrap_err();
    assert_eq!(
        err.to_string(),
        "Dòng tổng cộng có 2 giá trị, trong khi báo cáo có 3 chỉ tiêu."
    );
}

#[test]
fn the_same_report_gives_the_same_file() {
    assert_eq!(
        write_docx(&sample()).unwrap(),
        write_docx(&sample()).unwrap()
    );
}

#[test]
fn monthly_figures_are_said_apart_from_the_phase_reports() {
    let mut s = sample();
    s.periodic = vec![PeriodicFigures {
        regime: "Hằng tháng".into(),
        indicators: vec![Indicator {
            key: "tin_bai_bao_chi".into(),
            label: "Tin, bài trên báo chí".into(),
            unit: "tin, bài".into(),
        }],
        rows: vec![
            PeriodRow {
                period: "Tháng 01/2025".into(),
                reports: 3,
                values: vec![Some(1_500)],
            },
            PeriodRow {
                period: "Tháng 02/2025".into(),
                reports: 1,
                values: vec![Some(7)],
            },
        ],
        totals: vec![1_507],
    }];
    let text = docx_text(&write_docx(&s).unwrap());
    assert_contains_all(
        &text,
        &[
            "Số liệu báo cáo hằng tháng theo từng kỳ (không cộng vào bảng trên",
            "Kỳ báo cáo",
            "Tháng 01/2025",
            "1.500",
            "Cộng các kỳ",
            "1.507",
        ],
        "docx-rs",
    );
    // A row narrower than its columns is refused, not written.
    s.periodic[0].rows[1].values.clear();
    assert!(write_docx(&s).is_err());
}

#[test]
fn file_names_are_ascii_and_readable() {
    assert_eq!(
        document_file_name(&sample()),
        "bao-cao-ket-qua-KH-390-KH-TU-dot-I-2025-02-10.docx"
    );
    assert_eq!(
        document_file_name(&empty()),
        "bao-cao-ket-qua-KH-390-KH-TU-toan-bo-ke-hoach-2024-11-20.docx"
    );
    let monthly = Document {
        scope: "Hằng tháng 01/2025".into(),
        ..sample()
    };
    assert_eq!(
        document_file_name(&monthly),
        "bao-cao-ket-qua-KH-390-KH-TU-hang-thang-01-2025-2025-02-10.docx"
    );
    let bare = Document {
        plan_number: String::new(),
        scope: String::new(),
        ..sample()
    };
    assert_eq!(document_file_name(&bare), "bao-cao-ket-qua-2025-02-10.docx");
    let long = Document {
        scope: "Đợt V ".repeat(40) + "đặc biệt Đường Ưu",
        ..sample()
    };
    let name = document_file_name(&long);
    assert!(name.len() < 120, "{name}");
    for name in [document_file_name(&sample()), document_file_name(&long)] {
        assert!(
            name.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.'),
            "{name}"
        );
        assert!(!name.contains("--"), "{name}");
    }
}

/// An independent reader: LibreOffice opens the file and exports its text.
#[test]
fn libreoffice_reads_the_report() {
    let Some(soffice) = support::soffice("libreoffice_reads_the_report") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let docx = support::write(
        dir.path(),
        &document_file_name(&sample()),
        &write_docx(&sample()).unwrap(),
    );
    let txt = support::convert(
        &soffice,
        &docx,
        "txt:Text (encoded):UTF8",
        "txt",
        dir.path(),
    );
    let text = std::fs::read_to_string(&txt).expect("UTF-8 text");
    assert_contains_all(&text, SAMPLE_TEXTS, "LibreOffice");
    // No mojibake: the words with the letters most often mangled.
    for word in [
        "Tỉnh uỷ",
        "Đợt I",
        "Triệu Đình Lê",
        "ĐẢNG CỘNG SẢN VIỆT NAM",
    ] {
        assert!(text.contains(word), "{word}");
    }
    assert!(
        !text.contains('\u{FFFD}') && !text.contains("Ã"),
        "mojibake"
    );

    let edge = support::write(dir.path(), "empty.docx", &write_docx(&empty()).unwrap());
    let txt = support::convert(
        &soffice,
        &edge,
        "txt:Text (encoded):UTF8",
        "txt",
        dir.path(),
    );
    let text = std::fs::read_to_string(&txt).expect("UTF-8 text");
    assert_contains_all(
        &text,
        &[
            "Trong phạm vi báo cáo này không có đơn vị nào đến hạn phải báo cáo.",
            "Trong phạm vi báo cáo này chưa có đơn vị nào báo cáo số liệu.",
            "Trong phạm vi báo cáo này không có nhiệm vụ nào giao cho các đơn vị.",
        ],
        "LibreOffice",
    );
}

/// Page 1 as a PNG for the README, only when DONDOC_SCREENSHOTS is set.
#[test]
fn screenshot_of_page_one() {
    if std::env::var_os("DONDOC_SCREENSHOTS").is_none() {
        return;
    }
    let Some(soffice) = support::soffice("screenshot_of_page_one") else {
        return;
    };
    let Some(pdftoppm) = support::which("pdftoppm") else {
        eprintln!("screenshot_of_page_one: skipped, pdftoppm is not installed");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let docx = support::write(
        dir.path(),
        &document_file_name(&sample()),
        &write_docx(&sample()).unwrap(),
    );
    let pdf = support::convert(&soffice, &docx, "pdf", "pdf", dir.path());
    if let Some(pdftotext) = support::which("pdftotext") {
        let mut cmd = std::process::Command::new(pdftotext);
        cmd.args(["-layout", "-f", "1", "-l", "1"])
            .arg(&pdf)
            .arg("-");
        let page = support::run_with_timeout(cmd, "pdftotext");
        assert!(
            page.contains("TỈNH UỶ CAO BẰNG") && page.contains("BÁO CÁO"),
            "{page}"
        );
    }
    let prefix = dir.path().join("page1");
    let mut cmd = std::process::Command::new(pdftoppm);
    cmd.args(["-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile"])
        .arg(&pdf)
        .arg(&prefix);
    support::run_with_timeout(cmd, "pdftoppm");
    let target = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../docs/screenshots/synthesis-page1.png");
    std::fs::create_dir_all(target.parent().unwrap()).unwrap();
    std::fs::copy(prefix.with_extension("png"), &target).expect("copy the screenshot");
    eprintln!("screenshot_of_page_one: wrote {}", target.display());
}

/// The PDF made by the service's own path (LibreOffice at run time) is a
/// PDF with the report's words in it.
#[test]
fn pdf_where_libreoffice_is_installed() {
    let Some(_) = support::soffice("pdf_where_libreoffice_is_installed") else {
        assert!(matches!(
            dondoc_export::pdf::docx_to_pdf(b"PK"),
            Err(dondoc_export::error::ExportError::NoOffice)
        ));
        return;
    };
    let docx = write_docx(&support::sample()).unwrap();
    let pdf = dondoc_export::pdf::docx_to_pdf(&docx).unwrap();
    assert!(pdf.starts_with(b"%PDF"), "not a PDF");
    assert!(pdf.len() > 10_000);
}

#[test]
fn form_titles_are_short_labels() {
    assert_eq!(
        short_title("Tuyên truyền trên báo chí"),
        "Tuyên truyền trên báo chí"
    );
    assert_eq!(
        short_title(
            "Tổ chức các hoạt động văn hóa - văn nghệ, thể thao quần chúng chào mừng đại hội."
        ),
        "Tổ chức các hoạt động văn hóa - văn nghệ"
    );
    assert_eq!(
        short_title(
            "Biên soạn, xuất bản và phát hành các xuất bản phẩm tuyên truyền phù hợp (đề cương, tài liệu)"
        ),
        "Biên soạn, xuất bản và phát hành các xuất bản phẩm tuyên truyền phù hợp"
    );
    for t in [
        "Một hai ba bốn năm sáu bảy tám chín mười mười một mười hai mười ba.",
        "Đợt.",
    ] {
        let s = short_title(t);
        assert!(!s.ends_with('.') && !s.contains('…'), "{s}");
        assert!(s.split_whitespace().count() <= 16);
    }
}

#[test]
fn not_started_stands_apart_and_the_signer_is_left_to_the_drafter() {
    let mut s = sample();
    s.recipients.clear();
    s.signature = None;
    let text = docx_text(&write_docx(&s).unwrap());
    assert_contains_all(
        &text,
        &[
            "b) Nhiệm vụ đang thực hiện",
            "c) Nhiệm vụ chưa thực hiện (chưa đến hạn)",
            "Mục V.2.4: Mở chuyên mục hỏi đáp về đại hội",
            "d) Nhiệm vụ quá hạn",
            "[Người soạn ghi nơi nhận]",
            "[CHỨC VỤ NGƯỜI KÝ]",
            "[Họ và tên]",
        ],
        "docx-rs",
    );
    assert!(!text.contains(".:"), "{text}");
    assert!(!text.contains("thời hạn: không"), "{text}");
}
