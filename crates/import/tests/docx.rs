//! Reading DOCX files made by the test-support writer: automatic numbering
//! comes back as the labels a reader of the document sees.

mod support {
    pub mod make_docx;
}

use std::time::Instant;

use dondoc_import::docx::{DocxError, DocxLine, read_lines};
use support::make_docx::{
    BULLETS, DocxBuilder, HEADINGS, Run, SECTIONS, from_numbered_text, zip_parts,
};

fn texts(lines: &[DocxLine]) -> Vec<&str> {
    lines.iter().map(|l| l.text.as_str()).collect()
}

fn nonempty(lines: &[DocxLine]) -> Vec<&str> {
    lines
        .iter()
        .map(|l| l.text.as_str())
        .filter(|t| !t.is_empty())
        .collect()
}

fn body_lines(builder: DocxBuilder) -> Vec<DocxLine> {
    read_lines(&builder.build()).expect("the DOCX reads")
}

/// A plan of the usual shape: header, sections "I-", numbered items down
/// to three levels, bullets of both kinds, a table.
const PLAN: &str = "\
ỦY BAN NHÂN DÂN TỈNH BÌNH AN
Số: 27/KH-UBND
KẾ HOẠCH
Triển khai chuyển đổi số trong cơ quan nhà nước năm 2025

I- MỤC ĐÍCH, YÊU CẦU
1. Mục đích
1.1. Nâng cao hiệu quả chỉ đạo, điều hành dựa trên dữ liệu số.
1.2. Giảm thời gian xử lý hồ sơ giữa các cơ quan, đơn vị.
2. Yêu cầu
2.1. Mỗi nhiệm vụ có đơn vị chủ trì, thời hạn và sản phẩm cụ thể.
2.1.1. Sở Khoa học và Công nghệ hướng dẫn tiêu chí đánh giá.
2.1.2. Văn phòng Ủy ban nhân dân tỉnh theo dõi, đôn đốc.
2.2. Báo cáo kết quả định kỳ trước ngày 20 hằng tháng.
- Báo cáo gửi qua hệ thống quản lý văn bản điện tử.
- Số liệu phải khớp với cơ sở dữ liệu dùng chung.

II- NHIỆM VỤ VÀ GIẢI PHÁP
1. Hoàn thiện thể chế, chính sách
1.1. Rà soát quy chế quản lý, vận hành hệ thống thông tin của tỉnh.
+ Thời hạn hoàn thành: tháng 6/2025.
+ Sản phẩm: quy chế sửa đổi được ban hành.
1.2. Xây dựng quy định về chia sẻ dữ liệu giữa các sở, ngành.
2. Phát triển hạ tầng và nền tảng số
2.1. Nâng cấp trung tâm dữ liệu của tỉnh.
2.2. Kết nối mạng truyền số liệu chuyên dùng đến cấp xã.
2.2.1. Ưu tiên các xã vùng sâu, vùng xa.
2.2.2. Hoàn thành trước quý IV/2025.
| STT | Nhiệm vụ | Đơn vị chủ trì | Thời hạn |
| 1 | Nâng cấp trung tâm dữ liệu | Sở Khoa học và Công nghệ | Quý III/2025 |
| 2 | Số hóa hồ sơ lưu trữ | Sở Nội vụ | Quý IV/2025 |
3. Phát triển nguồn nhân lực số
3.1. Tập huấn kỹ năng số cho cán bộ, công chức cấp xã.
- Mỗi xã cử ít nhất hai người tham gia.

III- TỔ CHỨC THỰC HIỆN
1. Các sở, ban, ngành
1.1. Căn cứ kế hoạch này, xây dựng kế hoạch chi tiết của đơn vị.
1.2. Bố trí cán bộ đầu mối về chuyển đổi số.
2. Ủy ban nhân dân các huyện, thành phố
2.1. Chỉ đạo cấp xã triển khai các nhiệm vụ được giao.
2.2. Bố trí kinh phí thực hiện từ ngân sách địa phương.
Trong quá trình thực hiện, nếu có vướng mắc, các đơn vị báo cáo về Sở Khoa học và Công nghệ để tổng hợp.
";

#[test]
fn numbered_plan_text_comes_back_as_written() {
    let expected: Vec<&str> = PLAN.lines().filter(|l| !l.is_empty()).collect();
    assert!(expected.len() >= 40, "{} lines", expected.len());

    let lines = read_lines(&from_numbered_text(PLAN)).expect("the DOCX reads");
    assert_eq!(nonempty(&lines), expected);

    let rows: Vec<&str> = lines
        .iter()
        .filter(|l| l.in_table)
        .map(|l| l.text.as_str())
        .collect();
    assert_eq!(
        rows,
        PLAN.lines()
            .filter(|l| l.starts_with('|'))
            .collect::<Vec<_>>()
    );
    // The table is followed by an empty line.
    let last_row = lines.iter().rposition(|l| l.in_table).unwrap();
    assert_eq!(lines[last_row + 1].text, "");
}

#[test]
fn the_numbers_are_not_in_the_document_text() {
    let docx = from_numbered_text("I- MỤC TIÊU\n1. Chung\n1.1. Riêng\n- một\n+ hai");
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(&docx)).unwrap();
    let mut xml = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("word/document.xml").unwrap(), &mut xml)
        .unwrap();
    assert!(xml.contains(">MỤC TIÊU<") && !xml.contains("I-"));
    assert!(xml.contains(">Riêng<") && !xml.contains("1.1."));
    assert!(xml.contains(">một<") && !xml.contains("- "));
}

#[test]
fn list_levels_and_restarts() {
    let mut b = DocxBuilder::new();
    b.numbered(SECTIONS, 0, "CĂN CỨ")
        .numbered(SECTIONS, 1, "Luật")
        .numbered(SECTIONS, 1, "Nghị định")
        .numbered(SECTIONS, 2, "Điều 5")
        .numbered(SECTIONS, 3, "Khoản 2")
        .numbered(SECTIONS, 0, "NỘI DUNG")
        .numbered(SECTIONS, 2, "chưa có cấp 1")
        .numbered(BULLETS, 0, "gạch đầu dòng")
        .numbered(BULLETS, 1, "dấu cộng");
    let again = b.restart_list(SECTIONS);
    b.numbered(again, 0, "MỞ ĐẦU LẠI")
        .numbered(SECTIONS, 0, "TIẾP TỤC");
    assert_eq!(
        texts(&body_lines(b)),
        [
            "I- CĂN CỨ",
            "1. Luật",
            "2. Nghị định",
            "2.1. Điều 5",
            "2.1.1. Khoản 2",
            "II- NỘI DUNG",
            // A level whose parent has not been used shows the parent's
            // start value.
            "1.1. chưa có cấp 1",
            "- gạch đầu dòng",
            "+ dấu cộng",
            "I- MỞ ĐẦU LẠI",
            "III- TIẾP TỤC",
        ]
    );
}

#[test]
fn numbering_given_by_paragraph_styles() {
    let mut b = DocxBuilder::new();
    b.heading(1, "QUY ĐỊNH CHUNG")
        .heading(2, "Phạm vi điều chỉnh")
        .paragraph("Văn bản này áp dụng trong toàn tỉnh.")
        .heading(2, "Đối tượng áp dụng")
        .heading(1, "QUY ĐỊNH CỤ THỂ")
        .heading(2, "Trách nhiệm của các sở")
        .numbered(HEADINGS, 0, "đánh số trực tiếp cùng danh sách");
    assert_eq!(
        texts(&body_lines(b)),
        [
            "Phần 1. QUY ĐỊNH CHUNG",
            "a) Phạm vi điều chỉnh",
            "Văn bản này áp dụng trong toàn tỉnh.",
            "b) Đối tượng áp dụng",
            "Phần 2. QUY ĐỊNH CỤ THỂ",
            "a) Trách nhiệm của các sở",
            "Phần 3. đánh số trực tiếp cùng danh sách",
        ]
    );
}

#[test]
fn runs_with_different_formatting_are_joined() {
    let mut b = DocxBuilder::new();
    b.runs(&[
        Run::plain("Kế hoạch "),
        Run::bold("số 27/KH"),
        Run::plain("-"),
        Run::italic("UBND"),
        Run::plain(" ngày 10 tháng 3"),
        Run::bold(" năm 2025"),
    ])
    .formatted("TM. ỦY BAN NHÂN DÂN", true, false);
    assert_eq!(
        texts(&body_lines(b)),
        [
            "Kế hoạch số 27/KH-UBND ngày 10 tháng 3 năm 2025",
            "TM. ỦY BAN NHÂN DÂN"
        ]
    );
}

#[test]
fn a_line_break_splits_the_paragraph() {
    let mut b = DocxBuilder::new();
    b.raw(
        "<w:p><w:r><w:t>Nơi nhận:</w:t><w:br/><w:t xml:space=\"preserve\">- Như trên;</w:t>\
         </w:r><w:r><w:br/></w:r><w:r><w:t>- Lưu: VT.</w:t></w:r></w:p>",
    )
    .paragraph("")
    .paragraph("Kết thúc");
    assert_eq!(
        texts(&body_lines(b)),
        ["Nơi nhận:", "- Như trên;", "- Lưu: VT.", "", "Kết thúc"]
    );
}

#[test]
fn a_table_row_is_one_line() {
    let mut b = DocxBuilder::new();
    b.paragraph("Phân công:")
        .table(&[
            ["STT", "Nội dung", "Đơn vị"],
            ["1", "Khảo sát", "Sở Nội vụ"],
        ])
        .paragraph("Sau bảng");
    let lines = body_lines(b);
    let line = |text: &str, in_table: bool| DocxLine {
        text: text.to_owned(),
        in_table,
    };
    assert_eq!(
        lines,
        [
            line("Phân công:", false),
            line("| STT | Nội dung | Đơn vị |", true),
            line("| 1 | Khảo sát | Sở Nội vụ |", true),
            line("", false),
            line("Sau bảng", false),
        ]
    );
}

#[test]
fn numbering_inside_table_cells_is_rendered() {
    let mut b = DocxBuilder::new();
    b.raw(
        "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>Nhiệm vụ</w:t></w:r></w:p>\
         <w:p><w:pPr><w:numPr><w:ilvl w:val=\"0\"/><w:numId w:val=\"2\"/></w:numPr></w:pPr>\
         <w:r><w:t>rà soát</w:t></w:r></w:p>\
         <w:p><w:pPr><w:numPr><w:ilvl w:val=\"1\"/><w:numId w:val=\"2\"/></w:numPr></w:pPr>\
         <w:r><w:t>báo cáo</w:t></w:r></w:p></w:tc>\
         <w:tc><w:p/></w:tc></w:tr></w:tbl>",
    );
    let lines = body_lines(b);
    assert_eq!(lines[0].text, "| Nhiệm vụ - rà soát + báo cáo | |");
    assert!(lines[0].in_table);
}

#[test]
fn deleted_text_is_skipped_and_inserted_text_kept() {
    let mut b = DocxBuilder::new();
    b.raw(
        "<w:p><w:r><w:t xml:space=\"preserve\">Thời hạn: </w:t></w:r>\
         <w:del w:id=\"1\" w:author=\"Chuyên viên\" w:date=\"2025-03-01T08:00:00Z\">\
         <w:r><w:delText>30/6/2025</w:delText></w:r></w:del>\
         <w:ins w:id=\"2\" w:author=\"Chuyên viên\" w:date=\"2025-03-01T08:00:00Z\">\
         <w:r><w:t>31/7/2025</w:t></w:r></w:ins></w:p>",
    );
    assert_eq!(texts(&body_lines(b)), ["Thời hạn: 31/7/2025"]);
}

#[test]
fn a_run_in_a_named_font_keeps_its_text() {
    // ASCII reads the same in TCVN3 as in Unicode, whatever decoding the
    // legacy font later gets.
    let mut b = DocxBuilder::new();
    b.runs(&[
        Run::plain("Ban hành "),
        Run::in_font(".VnTime", "Quy che 15"),
    ])
    .font_run("VNI-Times", "Dieu 3");
    assert_eq!(texts(&body_lines(b)), ["Ban hành Quy che 15", "Dieu 3"]);
}

#[test]
fn text_is_returned_in_nfc_with_spaces_collapsed() {
    let mut b = DocxBuilder::new();
    // "Kế hoạch" with combining marks, tabs and doubled spaces.
    b.paragraph("  Ke\u{302}\u{301}   hoa\u{323}ch\tso\u{302}\u{301} 1  ");
    assert_eq!(texts(&body_lines(b)), ["Kế hoạch số 1"]);
}

#[test]
fn a_text_box_follows_its_paragraph() {
    let mut b = DocxBuilder::new();
    b.raw(
        "<w:p><w:r><w:t>Số: 27/KH-UBND</w:t></w:r><w:r><mc:AlternateContent>\
         <mc:Choice Requires=\"wps\"><w:drawing><wp:anchor><a:graphic><a:graphicData>\
         <wps:wsp><wps:txbx><w:txbxContent>\
         <w:p><w:r><w:t>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</w:t></w:r></w:p>\
         <w:p><w:r><w:t>Độc lập - Tự do - Hạnh phúc</w:t></w:r></w:p>\
         </w:txbxContent></wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:anchor>\
         </w:drawing></mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent>\
         <w:p><w:r><w:t>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</w:t></w:r></w:p>\
         </w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback>\
         </mc:AlternateContent></w:r></w:p>",
    )
    .paragraph("KẾ HOẠCH");
    assert_eq!(
        texts(&body_lines(b)),
        [
            "Số: 27/KH-UBND",
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Độc lập - Tự do - Hạnh phúc",
            "KẾ HOẠCH"
        ]
    );
}

#[test]
fn a_truncated_docx_is_an_error_in_vietnamese() {
    let docx = from_numbered_text(PLAN);
    for cut in [docx.len() / 2, docx.len() - 10, 3, 0] {
        let err = read_lines(&docx[..cut]).expect_err("a cut DOCX must not read");
        let message = err.to_string();
        assert!(matches!(err, DocxError::NotDocx(_)), "{err:?}");
        assert!(message.starts_with("tệp không phải DOCX"), "{message}");
    }
    let err = read_lines("Kế hoạch số 27".as_bytes()).unwrap_err();
    assert!(err.to_string().starts_with("tệp không phải DOCX"));
    let err = read_lines(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]).unwrap_err();
    assert!(err.to_string().contains(".doc"), "{err}");
}

#[test]
fn a_zip_without_the_document_part_is_an_error() {
    let zip = zip_parts(&[("word/styles.xml", b"<w:styles/>".as_slice())]);
    let err = read_lines(&zip).unwrap_err();
    assert!(matches!(err, DocxError::MissingDocument(_)), "{err:?}");
    assert!(err.to_string().contains("word/document.xml"), "{err}");
}

#[test]
fn broken_xml_is_an_error_naming_the_part() {
    let doc = "<w:document xmlns:w=\"x\"><w:body><w:p><w:r><w:t>Mục 1</w:r></w:p>";
    let zip = zip_parts(&[("word/document.xml", doc.as_bytes())]);
    let err = read_lines(&zip).unwrap_err();
    let message = err.to_string();
    assert!(matches!(err, DocxError::Xml { .. }), "{err:?}");
    assert!(
        message.contains("word/document.xml") && message.contains("byte"),
        "{message}"
    );

    // A document that ends before its paragraph does.
    let doc = "<w:document xmlns:w=\"x\"><w:body><w:p><w:r><w:t>Mục 1</w:t>";
    let zip = zip_parts(&[("word/document.xml", doc.as_bytes())]);
    assert!(matches!(read_lines(&zip), Err(DocxError::Xml { .. })));

    let numbering = "<w:numbering><w:abstractNum></w:numbering>";
    let zip = zip_parts(&[
        (
            "word/document.xml",
            b"<w:document><w:body/></w:document>".as_slice(),
        ),
        ("word/numbering.xml", numbering.as_bytes()),
    ]);
    let err = read_lines(&zip).unwrap_err();
    assert!(err.to_string().contains("word/numbering.xml"), "{err}");
}

#[test]
fn a_part_that_unpacks_too_large_is_refused() {
    let zip = zip_parts(&[(
        "word/document.xml",
        b"<w:document><w:body/></w:document>".as_slice(),
    )]);
    // Claim 300 MB uncompressed in the central directory entry, as a zip
    // bomb's header would.
    let mut zip = zip;
    let central = zip
        .windows(4)
        .rposition(|w| w == [0x50, 0x4B, 0x01, 0x02])
        .expect("central directory entry");
    zip[central + 24..central + 28].copy_from_slice(&(300u32 * 1024 * 1024).to_le_bytes());
    let err = read_lines(&zip).unwrap_err();
    assert!(matches!(err, DocxError::TooLarge { .. }), "{err:?}");
    assert!(err.to_string().contains("quá lớn"), "{err}");
}

#[test]
fn a_long_document_reads_quickly() {
    // About 300 pages: 10,000 paragraphs and 100 tables.
    let mut text = String::new();
    for section in 1..=20 {
        text.push_str(&format!("{}- PHẦN THỨ {section}\n", roman(section)));
        for item in 1..=20 {
            text.push_str(&format!(
                "{item}. Nhóm nhiệm vụ số {item} của phần {section}\n"
            ));
            for sub in 1..=4 {
                text.push_str(&format!(
                    "{item}.{sub}. Nhiệm vụ chi tiết giao cho các sở, ban, ngành và địa phương \
                     thực hiện trong năm, có báo cáo kết quả định kỳ.\n"
                ));
                text.push_str("- Đơn vị chủ trì phối hợp với các cơ quan liên quan.\n");
                text.push_str("+ Thời hạn: trước ngày 30 hằng tháng.\n");
                text.push_str("Nội dung diễn giải thêm của nhiệm vụ, không đánh số.\n");
                text.push_str("Một đoạn văn nữa để đủ độ dài của một văn bản thật.\n");
                text.push_str("Nơi nhận kết quả: Văn phòng Ủy ban nhân dân tỉnh.\n");
            }
            if item % 2 == 0 {
                text.push_str("| STT | Nhiệm vụ | Thời hạn |\n| 1 | Khảo sát | Quý I |\n");
            }
        }
    }
    let docx = from_numbered_text(&text);
    let started = Instant::now();
    let lines = read_lines(&docx).expect("the DOCX reads");
    let took = started.elapsed();
    assert!(lines.len() > 10_000, "{} lines", lines.len());
    assert_eq!(nonempty(&lines), text.lines().collect::<Vec<_>>());
    if !cfg!(debug_assertions) {
        assert!(took.as_millis() < 500, "{took:?}");
    }
    eprintln!("{} lines in {took:?}", lines.len());
}

fn roman(n: u32) -> &'static str {
    const ROMAN: [&str; 21] = [
        "", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII",
        "XIV", "XV", "XVI", "XVII", "XVIII", "XIX", "XX",
    ];
    ROMAN[n as usize]
}
