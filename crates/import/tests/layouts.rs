//! Layouts real documents use that plans written for dondoc did not: a
//! conclusion with numbered points and no titled sections, an item whose
//! who and when stand in labelled field lines under it, and a heading's
//! number left alone on its line by text extraction. Each text is written
//! here in the shape offices use (the corpus itself is read by
//! `dondoc bench-read`, never copied).

use dondoc_core::plan::Task;

fn tasks(text: &str) -> Vec<Task> {
    dondoc_import::read_text(text)
        .unwrap_or_else(|e| panic!("{e}"))
        .plan
        .tasks
}

#[test]
fn a_conclusion_without_titled_sections_gives_its_work() {
    let text = "VĂN PHÒNG CHÍNH PHỦ\n\nSố: 999/TB-VPCP\n\nHà Nội, ngày 2 tháng 6 năm 2025\n\n\
THÔNG BÁO\n\nKết luận của Phó Thủ tướng tại cuộc họp về chương trình mục tiêu\n\n\
Sau khi nghe báo cáo, Phó Thủ tướng kết luận như sau:\n\n\
1. Việc hợp nhất các chương trình có ý nghĩa quan trọng.\n\n\
2. Trong thời gian tới, yêu cầu các bộ thực hiện một số nhiệm vụ sau:\n\n\
(1) Giao Bộ Tài chính chủ trì, phối hợp với Bộ Nội vụ hoàn thiện hồ sơ, hoàn thành trước ngày 30/6/2025.\n\n\
(2) Giao Bộ Nội vụ rà soát các quy định liên quan.\n";
    let t = tasks(text);
    let finance = t
        .iter()
        .find(|t| t.leads.iter().any(|l| l == "Bộ Tài chính"))
        .unwrap_or_else(|| panic!("{t:#?}"));
    assert!(
        finance.coordinates.iter().any(|c| c == "Bộ Nội vụ"),
        "{finance:#?}"
    );
    assert!(finance.deadline.is_some(), "{finance:#?}");
    assert!(
        t.iter().any(|t| t.leads.iter().any(|l| l == "Bộ Nội vụ")),
        "{t:#?}"
    );
    // The point that gives no work is no task.
    assert!(
        !t.iter().any(|t| t.text.starts_with("Việc hợp nhất")),
        "{t:#?}"
    );
}

#[test]
fn field_lines_under_an_item_say_who_and_when() {
    let text = "ỦY BAN NHÂN DÂN TỈNH\n\nSố: 12/KH-UBND\n\nKẾ HOẠCH\n\nTriển khai công tác bầu cử\n\n\
I. MỤC ĐÍCH, YÊU CẦU\n\n- Bảo đảm đúng luật.\n\n\
II. NỘI DUNG, TIẾN ĐỘ, PHÂN CÔNG TRÁCH NHIỆM\n\n\
1.\nXây dựng văn bản hướng dẫn\n\n\
1.1. Xây dựng và ban hành hướng dẫn về công tác bầu cử của tỉnh.\n\n\
- Bảo đảm thống nhất với hướng dẫn của cấp trên.\n\n\
- Thời gian hoàn thành: Quý I/2026.\n\n\
- Đơn vị chủ trì: Sở Nội vụ\n\n\
- Đơn vị phối hợp: Sở Tư pháp\n";
    let t = tasks(text);
    let task = t
        .iter()
        .find(|t| t.text.starts_with("Xây dựng và ban hành hướng dẫn"))
        .unwrap_or_else(|| panic!("{t:#?}"));
    assert_eq!(task.leads, ["Sở Nội vụ"]);
    assert_eq!(task.coordinates, ["Sở Tư pháp"]);
    assert_eq!(task.deadline_phrase.as_deref(), Some("Quý I/2026"));
    assert!(task.deadline.is_some());
    // (Its content line is still read as a task of its own when the
    // outline puts the time field under that line: issue 11, next.)
}

#[test]
fn a_decision_carries_its_plan_after_its_signature() {
    // The decision's articles, recipients and signature come first; the
    // plan it issues follows with its own title and sections, and a
    // heading names its unit with a note of its role.
    let text = "ỦY BAN NHÂN\nDÂN\nTHÀNH PHỐ HÀ NỘI\n\nCỘNG HÒA XÃ\nHỘI CHỦ NGHĨA VIỆT NAM\n\n\
Số:\n4100/QĐ-UBND\n\nThành phố Hà\nNội, ngày 3 tháng 10 năm 2025\n\nQUYẾT ĐỊNH\n\n\
Ban hành Kế hoạch số hóa hồ sơ đất đai\n\n\
Điều 1. Ban hành kèm theo Quyết định này Kế hoạch số hóa hồ sơ đất đai.\n\n\
Điều 2. Quyết định này có hiệu lực kể từ ngày ký.\n\n\
Nơi nhận:\n- Như Điều 2;\n- Lưu: VT.\n\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nTrần Văn Bình\n\n\
KẾ HOẠCH\n\nSố hóa hồ sơ đất đai của Thành phố\n\n\
I. MỤC ĐÍCH, YÊU CẦU\n\n- Hoàn thành cơ sở dữ liệu đất đai.\n\n\
II. TỔ CHỨC THỰC HIỆN\n\n1. Sở Nông nghiệp và Môi trường (cơ quan chủ trì)\n\n\
- Chủ trì xây dựng cơ sở dữ liệu đất đai của Thành phố.\n\n\
- Tổng hợp, báo cáo kết quả thực hiện.\n\n\
2. Ủy ban nhân dân phường, xã\n\n- Cập nhật hồ sơ đất đai trên địa bàn.\n";
    let read = dondoc_import::read_text(text).unwrap_or_else(|e| panic!("{e}"));
    let plan = read.plan;
    assert_eq!(plan.number, "4100/QĐ-UBND");
    assert_eq!(plan.date.as_deref(), Some("2025-10-03"));
    assert_eq!(plan.place.as_deref(), Some("Thành phố Hà Nội"));
    let t = &plan.tasks;
    let first = t
        .iter()
        .find(|t| t.text.starts_with("Chủ trì xây dựng cơ sở dữ liệu"))
        .unwrap_or_else(|| panic!("{t:#?}"));
    assert_eq!(first.leads, ["Sở Nông nghiệp và Môi trường"]);
    let commune = t
        .iter()
        .find(|t| t.text.starts_with("Cập nhật hồ sơ"))
        .unwrap_or_else(|| panic!("{t:#?}"));
    assert_eq!(commune.leads, ["Ủy ban nhân dân phường, xã"]);
    // The decision's articles are not the plan's tasks.
    assert!(!t.iter().any(|t| t.text.starts_with("Điều")), "{t:#?}");
}

#[test]
fn a_header_cut_by_the_page_width_names_its_issuer() {
    let text = "ỦY BAN NHÂN\nDÂN\nTHÀNH PHỐ HÀ NỘI\n\nCỘNG HÒA XÃ\nHỘI CHỦ NGHĨA VIỆT NAM\n\n\
Số:\n4100/KH-UBND\n\nHà Nội, ngày 3 tháng 10 năm 2025\n\nKẾ HOẠCH\n\nSố hóa hồ sơ\n\n\
I. TỔ CHỨC THỰC HIỆN\n\n1. Sở Nội vụ chủ trì hướng dẫn các xã số hóa hồ sơ.\n";
    let plan = dondoc_import::read_text(text)
        .unwrap_or_else(|e| panic!("{e}"))
        .plan;
    assert_eq!(plan.issuer, "ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI");
}

#[test]
fn a_numbered_heading_over_field_lines_is_one_task() {
    // `1.1. …` over its requirements and its `Đơn vị chủ trì` / `Thời
    // gian hoàn thành` lines: one task, its other lines its contents.
    let text = "ỦY BAN MTTQ VIỆT NAM XÃ A\n\nSố: 12/KH-MTTQ\n\nKẾ HOẠCH\n\nCông tác bầu cử\n\n\
I. MỤC ĐÍCH, YÊU CẦU\n\n- Bảo đảm đúng luật.\n\n\
II. NỘI DUNG, TIẾN ĐỘ, PHÂN CÔNG TRÁCH NHIỆM\n\n1. Ban hành các văn bản\n\n\
1.1. Xây dựng hướng dẫn về công tác bầu cử\n\n- Bảo đảm thống nhất với hướng dẫn cấp trên.\n\n\
- Thời gian hoàn thành: Dự kiến tháng 11/2025 (sau khi tỉnh ban hành hướng dẫn).\n\n\
- Đơn vị chủ trì: Văn phòng\n\n- Đơn vị phối hợp: Ban Tuyên giáo, Hội Nông dân xã.\n\n\
- Kết quả: Dự thảo hướng dẫn.\n\n\
1.2. Xây dựng kế hoạch giám sát\n\n- Thời gian hoàn thành: Tháng 12/2025.\n\n- Đơn vị chủ trì: Văn phòng\n";
    let t = tasks(text);
    assert_eq!(t.len(), 2, "{t:#?}");
    assert!(t[0].text.starts_with("Xây dựng hướng dẫn"), "{t:#?}");
    assert_eq!(t[0].leads, ["Văn phòng"]);
    assert_eq!(t[0].coordinates, ["Ban Tuyên giáo", "Hội Nông dân xã"]);
    // The time, without the note of what it waits for, and tentative.
    assert_eq!(
        t[0].deadline_phrase.as_deref(),
        Some("Dự kiến tháng 11/2025")
    );
    assert!(
        t[0].deadline.as_ref().is_some_and(|r| r.tentative),
        "{t:#?}"
    );
    assert_eq!(t[1].leads, ["Văn phòng"]);
    assert!(t[1].deadline.is_some(), "{t:#?}");
}

#[test]
fn a_conclusion_gives_its_section_of_tasks_to_whom_it_is_sent() {
    // The tasks name no body; the last sentence says who is to carry out
    // the conclusion. The assessment gives no work.
    let text = "VĂN PHÒNG CHÍNH PHỦ\n\nSố: 700/TB-VPCP\n\nHà Nội, ngày 2 tháng 12 năm 2025\n\n\
THÔNG BÁO\n\nKết luận của Phó Thủ tướng tại buổi làm việc với lãnh đạo tỉnh Lào Cai\n\n\
I. ĐÁNH GIÁ CHUNG\n\nTỉnh đã đạt nhiều kết quả quan trọng trong năm 2025.\n\n\
II. MỘT SỐ NHIỆM VỤ, GIẢI PHÁP\n\n1. Rà soát quy hoạch tỉnh sau khi hợp nhất, bảo đảm đồng bộ.\n\n\
2. Đẩy nhanh giải ngân vốn đầu tư công năm 2025.\n\n\
III. VỀ KIẾN NGHỊ CỦA TỈNH\n\n1. Giao Bộ Tài chính xem xét đề nghị hỗ trợ vốn của Tỉnh.\n\n\
Văn phòng Chính phủ thông báo để Ủy ban nhân dân tỉnh Lào Cai và các Bộ liên quan biết, thực hiện.\n";
    let t = tasks(text);
    let planning = t
        .iter()
        .find(|t| t.text.starts_with("Rà soát quy hoạch"))
        .unwrap_or_else(|| panic!("{t:#?}"));
    assert_eq!(planning.leads, ["Ủy ban nhân dân tỉnh Lào Cai"]);
    assert!(
        t.iter()
            .any(|t| t.text.starts_with("Đẩy nhanh") && t.leads == ["Ủy ban nhân dân tỉnh Lào Cai"]),
        "{t:#?}"
    );
    let finance = t
        .iter()
        .find(|t| t.text.contains("Bộ Tài chính"))
        .unwrap_or_else(|| panic!("{t:#?}"));
    assert_eq!(finance.leads, ["Bộ Tài chính"]);
    assert!(
        !t.iter().any(|t| t.text.starts_with("Tỉnh đã đạt")),
        "{t:#?}"
    );
    assert!(!t.iter().any(|t| t.text.contains("thông báo để")), "{t:#?}");
}

#[test]
fn a_guide_in_steps_dates_the_work_of_each_step() {
    // The step's time stands under its heading; the work follows under a
    // numeral that starts a section of its own.
    let text = "ỦY BAN MTTQ VIỆT NAM TỈNH\n\nSố: 5/HD-MTTQ\n\nHƯỚNG DẪN\n\nQuy trình hiệp thương\n\n\
BƯỚC HAI\n\nCác cơ quan giới thiệu người ứng cử\n\n(Từ ngày 17/12/2025 đến ngày 25/01/2026)\n\n\
I. NỘI DUNG, TRÌNH TỰ\n\n1. Ban Thường trực Ủy ban Mặt trận tỉnh tổ chức hội nghị hiệp thương.\n\n\
BƯỚC BA\n\nHội nghị cử tri\n\n\
II. TỔ CHỨC THỰC HIỆN\n\n1. Ban Thường trực Ủy ban Mặt trận tỉnh tổng hợp ý kiến cử tri.\n";
    let t = tasks(text);
    let second = t
        .iter()
        .find(|t| t.text.contains("hội nghị hiệp thương"))
        .unwrap_or_else(|| panic!("{t:#?}"));
    assert_eq!(
        second.deadline_phrase.as_deref(),
        Some("Từ ngày 17/12/2025 đến ngày 25/01/2026")
    );
    assert!(second.deadline.is_some());
    // The next step gives no time: its work has none.
    let third = t
        .iter()
        .find(|t| t.text.contains("tổng hợp ý kiến"))
        .unwrap_or_else(|| panic!("{t:#?}"));
    assert_eq!(third.deadline_phrase, None);
}

#[test]
fn each_block_of_field_paragraphs_says_who_and_when_for_the_items_above_it() {
    let text = "ỦY BAN NHÂN DÂN TỈNH\n\nSố: 77/KH-UBND\n\nKẾ HOẠCH\n\nNâng cao chất lượng công tác pháp chế\n\n\
I. MỤC ĐÍCH, YÊU CẦU\n\n- Bảo đảm thống nhất.\n\n\
II. NHIỆM VỤ, GIẢI PHÁP\n\n\
1. Nâng cao năng lực cho đội ngũ làm công tác pháp chế.\n\n\
- Tăng cường giáo dục chính trị cho đội ngũ làm công tác pháp chế.\n\n\
- Nâng cao ý thức trách nhiệm của đội ngũ làm công tác pháp chế.\n\n\
Đơn vị thực hiện: Các sở, ngành, UBND cấp xã.\n\n\
Thời gian thực hiện: Thường xuyên, theo yêu cầu nhiệm vụ.\n\n\
- Tổ chức tập huấn kỹ năng soạn thảo văn bản.\n\n\
Đơn vị chủ trì tham mưu thực hiện: Sở Tư pháp.\n\n\
Đơn vị phối hợp thực hiện: Các cơ quan, đơn vị liên quan.\n\n\
Thời gian thực hiện: Tháng 12/2025.\n";
    let t = tasks(text);
    let find = |start: &str| {
        t.iter()
            .find(|x| x.text.starts_with(start))
            .unwrap_or_else(|| panic!("{start}: {t:#?}"))
    };
    for start in ["Tăng cường giáo dục", "Nâng cao ý thức"] {
        let task = find(start);
        assert_eq!(task.leads, ["Các sở, ngành", "UBND cấp xã"], "{task:#?}");
        assert_eq!(
            serde_json::to_value(&task.deadline).unwrap(),
            serde_json::json!({"kind": "continuous"}),
            "{task:#?}"
        );
    }
    let training = find("Tổ chức tập huấn");
    assert_eq!(training.leads, ["Sở Tư pháp"], "{training:#?}");
    assert_eq!(
        training.coordinates,
        ["Các cơ quan, đơn vị liên quan"],
        "{training:#?}"
    );
    assert_eq!(
        serde_json::to_value(&training.deadline).unwrap()["period"],
        "2025-12",
        "{training:#?}"
    );
    // The heading over them is their topic, no task of its own.
    assert!(
        !t.iter().any(|x| x.text.starts_with("Nâng cao năng lực")),
        "{t:#?}"
    );
}

#[test]
fn a_share_in_figures_is_no_day() {
    let text = "ỦY BAN NHÂN DÂN TỈNH\n\nSố: 78/KH-UBND\n\nKẾ HOẠCH\n\nTổ chức hội nghị cử tri\n\n\
I. MỤC ĐÍCH, YÊU CẦU\n\n- Bảo đảm đúng luật.\n\n\
II. TỔ CHỨC THỰC HIỆN\n\n\
1. Ủy ban nhân dân cấp xã tổ chức hội nghị cử tri, bảo đảm số cử tri tham dự đạt ít nhất hai phần ba (2/3) tổng số cử tri được triệu tập.\n";
    let t = tasks(text);
    let task = t
        .iter()
        .find(|x| x.text.starts_with("Ủy ban nhân dân cấp xã"))
        .unwrap_or_else(|| panic!("{t:#?}"));
    assert!(task.deadline.is_none(), "{task:#?}");
}

#[test]
fn an_activity_is_its_content_and_lettered_fields_date_the_heading() {
    let text = "ỦY BAN NHÂN DÂN THÀNH PHỐ\n\nSố: 79/KH-UBND\n\nKẾ HOẠCH\n\nTháng hành động vì bình đẳng giới\n\n\
I. MỤC ĐÍCH, YÊU CẦU\n\n1. Mục đích\n\n- Nâng cao nhận thức.\n\n\
2. Tháng hành động\n\n\
a) Chủ đề: Bình đẳng giới trong kỷ nguyên số.\n\n\
b) Thời gian: Từ ngày 15/11/2025 đến ngày 15/12/2025.\n\n\
c) Các hoạt động chính\n\n\
Căn cứ tình hình thực tế, các cơ quan, đơn vị, địa phương phối hợp thực hiện các hoạt động sau:\n\n\
- Lồng ghép tổ chức Lễ phát động với hình thức phù hợp.\n\n\
- Phát hành các sản phẩm truyền thông ngắn gọn, dễ hiểu.\n\n\
II. NỘI DUNG HOẠT ĐỘNG\n\n\
1. Nâng cao nhận thức về phòng ngừa bạo lực\n\n\
a) Hoạt động 1\n\n\
- Nội dung: Tuyên truyền về phòng ngừa bạo lực trên cơ sở giới trên báo chí.\n\n\
- Cơ quan thực hiện: Sở Văn hóa và Thể thao chủ trì, phối hợp với Sở Nội vụ và các đơn vị có liên quan.\n\n\
b) Hoạt động 2\n\n\
- Nội dung:\n\n\
+ Tổng kết mô hình một cửa hỗ trợ phụ nữ và trẻ em.\n\n\
+ Tập huấn cho đội ngũ nhân viên y tế.\n\n\
- Cơ quan thực hiện: Sở Y tế.\n";
    let t = tasks(text);
    let find = |start: &str| {
        t.iter()
            .find(|x| x.text.starts_with(start))
            .unwrap_or_else(|| panic!("{start}: {t:#?}"))
    };
    for start in ["Lồng ghép tổ chức", "Phát hành các sản phẩm"] {
        let task = find(start);
        assert_eq!(task.leads, ["các cơ quan, đơn vị, địa phương"], "{task:#?}");
        assert_eq!(
            serde_json::to_value(&task.deadline).unwrap()["kind"],
            "range",
            "{task:#?}"
        );
    }
    let press = find("Tuyên truyền về phòng ngừa");
    assert_eq!(press.leads, ["Sở Văn hóa và Thể thao"], "{press:#?}");
    assert!(
        press.coordinates.iter().any(|c| c == "Sở Nội vụ"),
        "{press:#?}"
    );
    for start in ["Tổng kết mô hình", "Tập huấn cho đội ngũ"] {
        assert_eq!(find(start).leads, ["Sở Y tế"], "{t:#?}");
    }
    // The activities' labels are no tasks.
    assert!(!t.iter().any(|x| x.text.starts_with("Hoạt động")), "{t:#?}");
}

#[test]
fn a_later_sentence_with_its_own_body_and_time_is_its_own_task() {
    let text = "VĂN PHÒNG CHÍNH PHỦ\n\nSố: 998/TB-VPCP\n\nHà Nội, ngày 20 tháng 11 năm 2025\n\n\
THÔNG BÁO\n\nKết luận của Phó Thủ tướng về công tác xây dựng pháp luật\n\n\
Phó Thủ tướng kết luận như sau:\n\n\
1. Các Bộ, cơ quan ngang Bộ tập trung chỉ đạo, thực hiện các nhiệm vụ sau:\n\n\
- Tập trung giải quyết các điểm nghẽn trong các quy định pháp luật.\n\n\
- Khẩn trương rà soát, hoàn thiện các văn bản hướng dẫn; các văn bản gửi Bộ Tư pháp trước ngày 05 tháng 12 năm 2025. Trên cơ sở đó, Bộ Tư pháp tổng hợp, báo cáo Thủ tướng Chính phủ trước ngày 10 tháng 12 năm 2025.\n\n\
2. Giao Bộ Tài chính hoàn thiện báo cáo sơ kết.\n";
    let t = tasks(text);
    let justice = t
        .iter()
        .find(|t| t.text.starts_with("Trên cơ sở đó"))
        .unwrap_or_else(|| panic!("{t:#?}"));
    assert_eq!(justice.leads, ["Bộ Tư pháp"], "{justice:#?}");
    assert_eq!(
        justice.deadline_phrase.as_deref(),
        Some("trước ngày 10 tháng 12 năm 2025")
    );
    let ministries = t
        .iter()
        .find(|t| t.text.starts_with("Khẩn trương"))
        .unwrap_or_else(|| panic!("{t:#?}"));
    assert!(
        !ministries.text.contains("Trên cơ sở đó"),
        "{ministries:#?}"
    );
    assert_eq!(
        ministries.deadline_phrase.as_deref(),
        Some("trước ngày 05 tháng 12 năm 2025")
    );
    assert_eq!(ministries.leads, ["Các Bộ, cơ quan ngang Bộ"]);
    // A paragraph opened by the moment after some work dates the work.
    let text = "VĂN PHÒNG CHÍNH PHỦ\n\nSố: 997/TB-VPCP\n\nHà Nội, ngày 20 tháng 11 năm 2025\n\n\
THÔNG BÁO\n\nKết luận của Phó Thủ tướng về điều phối vùng\n\n\
Phó Thủ tướng kết luận như sau:\n\n\
1. Về kiến nghị ban hành Nghị quyết mới về phát triển vùng:\n\n\
Giao Bộ Tài chính khẩn trương hoàn thiện báo cáo sơ kết.\n\n\
Sau khi phương án mới được cấp có thẩm quyền thông qua, Bộ Tài chính khẩn trương trình Thủ tướng Chính phủ kiện toàn các Hội đồng điều phối vùng.\n";
    let t = tasks(text);
    let after = t
        .iter()
        .find(|t| t.text.starts_with("Sau khi"))
        .unwrap_or_else(|| panic!("{t:#?}"));
    assert_eq!(after.leads, ["Bộ Tài chính"], "{after:#?}");
    assert!(after.deadline.is_some(), "{after:#?}");
}

#[test]
fn a_title_in_capitals_closes_the_numbered_point_above_it() {
    let text = "BAN THƯỜNG TRỰC\n\nSố: 7/HD-MTTQ\n\nHƯỚNG DẪN\n\nQuy trình hiệp thương\n\n\
BƯỚC MỘT\n\nHiệp thương lần thứ nhất\n\n(Thực hiện từ ngày 01/12 đến ngày 10/12/2025)\n\n\
A. ĐỐI VỚI ĐẠI BIỂU QUỐC HỘI\n\nI. NỘI DUNG\n\n\
6. Chậm nhất là ngày 15 tháng 12 năm 2025, Ủy ban Thường vụ Quốc hội điều chỉnh cơ cấu.\n\n\
B. ĐỐI VỚI ĐẠI BIỂU HỘI ĐỒNG NHÂN DÂN\n\n\
Ban Thường trực Ủy ban Mặt trận Tổ quốc Việt Nam cấp xã triệu tập và chủ trì hội nghị.\n";
    let t = tasks(text);
    let later = t
        .iter()
        .find(|t| t.text.starts_with("Ban Thường trực"))
        .unwrap_or_else(|| panic!("{t:#?}"));
    // Its time is the step's, not the one of point 6 above the title.
    assert_eq!(
        later.deadline_phrase.as_deref(),
        Some("Thực hiện từ ngày 01/12 đến ngày 10/12/2025"),
        "{later:#?}"
    );
    assert!(
        later.leads.iter().all(|l| !l.contains("Quốc hội")),
        "{later:#?}"
    );
}

#[test]
fn an_annex_titled_in_lower_case_is_an_annex_and_a_form_names_no_body() {
    let text = "ỦY BAN NHÂN DÂN TỈNH\n\nSố: 12/KH-UBND\n\nKẾ HOẠCH\n\nThử\n\n\
I. NHIỆM VỤ\n\n1. Sở Nội vụ rà soát các quy định, hoàn thành trước ngày 30/6/2026.\n\n\
Phụ lục I\n\nMẪU BIÊN BẢN HỘI NGHỊ\n\n\
Hội nghị gồm: ông (bà) ……………… Chức vụ: ………………\n\n\
Cuộc họp nhất trí dự kiến giới thiệu những người sau đây.\n";
    let reading = dondoc_import::read_text(text).unwrap_or_else(|e| panic!("{e}"));
    let t = &reading.plan.tasks;
    assert!(
        t.iter().all(|t| t.leads.iter().all(|l| !l.contains('…'))),
        "{t:#?}"
    );
    assert!(
        t.iter()
            .any(|t| t.leads == ["Sở Nội vụ"] && t.deadline.is_some()),
        "{t:#?}"
    );
}

#[test]
fn two_pieces_of_work_each_with_its_own_time_are_two_tasks() {
    let text = "THỦ TƯỚNG CHÍNH PHỦ\n\nSố: 9/CT-TTg\n\nCHỈ THỊ\n\nVề sắp xếp thôn\n\n\
1. Bộ Nội vụ\n\n\
a) Định kỳ thứ Hai hàng tuần tổng hợp tình hình, trình Chính phủ; xây dựng Báo cáo tổng thể kết quả thực hiện, trình Chính phủ trước ngày 06 tháng 7 năm 2026.\n\n\
b) Kết thúc rà soát trước ngày 31 tháng 5 năm 2026. Khẩn trương ban hành phương án bố trí, bảo đảm hoàn thành trước ngày 30 tháng 6 năm 2026.\n\n\
c) Rà soát các báo cáo, trong đó phân loại: đã xử lý xong; tiếp tục được xử lý trong năm 2026; hoàn thành trước ngày 15 tháng 6 năm 2026.\n";
    let t = tasks(text);
    let phrases: Vec<&str> = t
        .iter()
        .filter_map(|t| t.deadline_phrase.as_deref())
        .collect();
    for p in [
        "thứ Hai hàng tuần",
        "trước ngày 06 tháng 7 năm 2026",
        "trước ngày 31 tháng 5 năm 2026",
        "trước ngày 30 tháng 6 năm 2026",
    ] {
        assert!(phrases.iter().any(|q| q.contains(p)), "{p}: {t:#?}");
    }
    assert!(t.iter().all(|t| t.leads == ["Bộ Nội vụ"]), "{t:#?}");
    // A clause that only qualifies the work before it is no task.
    assert!(
        !t.iter()
            .any(|t| t.text.starts_with("tiếp tục được") || t.text.starts_with("hoàn thành")),
        "{t:#?}"
    );
}

#[test]
fn two_timed_pieces_joined_by_and_are_two_tasks() {
    let text = "ỦY BAN NHÂN DÂN THÀNH PHỐ\n\nSố: 174/KH-UBND\n\nHà Nội, ngày 10 tháng 11 năm 2025\n\nKẾ HOẠCH\n\nThử\n\n\
III. NỘI DUNG HOẠT ĐỘNG\n\n1. Nâng cao nhận thức\n\na) Hoạt động 1\n\n\
- Nội dung: Triển khai Tháng hành động (từ ngày 15/11 đến ngày 15/12) và hưởng ứng “Ngày Quốc tế xóa bỏ bạo lực” (ngày 25/11).\n\n\
- Cơ quan thực hiện: Sở Nội vụ chủ trì, phối hợp với Sở Y tế.\n";
    let t = tasks(text);
    let phrases: Vec<&str> = t
        .iter()
        .filter_map(|t| t.deadline_phrase.as_deref())
        .collect();
    assert_eq!(
        phrases,
        ["từ ngày 15/11 đến ngày 15/12", "ngày 25/11"],
        "{t:#?}"
    );
    assert!(t.iter().all(|t| t.leads == ["Sở Nội vụ"]), "{t:#?}");
    assert!(t[1].text.starts_with("hưởng ứng"), "{t:#?}");
}

#[test]
fn a_timed_duty_that_names_no_body_is_a_task_left_for_the_reviewer() {
    let text = "BAN THƯỜNG TRỰC\n\nSố: 8/HD-MTTQ\n\nHƯỚNG DẪN\n\nHội nghị cử tri\n\n\
I. NỘI DUNG\n\n\
1. Ban Thường trực Ủy ban Mặt trận Tổ quốc Việt Nam xã chủ trì hội nghị.\n\n\
2. Chậm nhất là ngày 08 tháng 02 năm 2026, việc xác minh và trả lời các vụ việc mà cử tri nêu phải được hoàn thành.\n\n\
3. Biên bản hội nghị được lập thành hai bản.\n\n\
4. Việc bố trí kinh phí phải được bảo đảm từ nguồn chi thường xuyên.\n";
    let t = tasks(text);
    let duty = t
        .iter()
        .find(|t| t.text.contains("việc xác minh"))
        .unwrap_or_else(|| panic!("{t:#?}"));
    assert!(duty.leads.is_empty(), "{duty:#?}");
    assert!(duty.deadline.is_some(), "{duty:#?}");
    // A statement with no time, and spending called `thường xuyên`, stay out.
    assert!(!t.iter().any(|t| t.text.starts_with("Biên bản")), "{t:#?}");
    assert!(
        !t.iter().any(|t| t.text.contains("chi thường xuyên")),
        "{t:#?}"
    );
}

#[test]
fn partners_in_the_sentence_join_those_of_the_fields() {
    let text = "ỦY BAN MẶT TRẬN TỔ QUỐC VIỆT NAM XÃ\n\nSố: 5/KH-MTTQ\n\nKẾ HOẠCH\n\nThử\n\n\
II. NỘI DUNG\n\n1. Hiệp thương\n\n\
1.1. Tổ chức Hội nghị tiếp xúc cử tri, phối hợp với UBND xã, các thôn chuẩn bị địa điểm.\n\n\
- Thời gian thực hiện: Quý I/2026.\n\n\
- Đơn vị chủ trì: Ban Thường trực Ủy ban MTTQ xã\n\n\
- Đơn vị phối hợp: Trưởng đoàn thể xã.\n";
    let t = tasks(text);
    let task = t
        .iter()
        .find(|t| t.text.starts_with("Tổ chức Hội nghị"))
        .unwrap_or_else(|| panic!("{t:#?}"));
    for partner in ["Trưởng đoàn thể xã", "UBND xã", "các thôn"] {
        assert!(
            task.coordinates.iter().any(|c| c == partner),
            "{partner}: {task:#?}"
        );
    }
}

#[test]
fn a_group_in_lower_case_after_the_ground_leads() {
    let text = "BAN THƯỜNG TRỰC\n\nSố: 9/HD-MTTQ\n\nHƯỚNG DẪN\n\nHồ sơ ứng cử\n\n\
I. NỘI DUNG\n\n\
1. Căn cứ vào kết quả của hội nghị ban lãnh đạo mở rộng, cơ quan, tổ chức, đơn vị có trách nhiệm hướng dẫn người được giới thiệu làm hồ sơ ứng cử.\n";
    let t = tasks(text);
    assert_eq!(t.len(), 1, "{t:#?}");
    assert_eq!(t[0].leads, ["cơ quan, tổ chức, đơn vị"], "{t:#?}");
}

#[test]
fn a_point_that_sends_its_result_on_is_still_work() {
    let text = "THỦ TƯỚNG CHÍNH PHỦ\n\nSố: 224/CĐ-TTg\n\nCÔNG ĐIỆN\n\nVề lễ khánh thành\n\n\
1. Bộ Tài chính chủ trì rà soát đề xuất thưởng, hoàn thành trước ngày 15 tháng 12 năm 2025.\n\n\
2. Đài truyền hình Việt Nam chủ trì đạo diễn, phối hợp với các bộ ngành, địa phương liên quan xây dựng kịch bản, gửi Bộ Xây dựng trước ngày 03 tháng 12 năm 2025 để tổng hợp báo cáo Thủ tướng Chính phủ.\n";
    let t = tasks(text);
    let tv = t
        .iter()
        .find(|t| t.leads == ["Đài truyền hình Việt Nam"])
        .unwrap_or_else(|| panic!("{t:#?}"));
    assert!(tv.deadline.is_some(), "{tv:#?}");
}

#[test]
fn a_directive_asks_in_its_opening_and_a_heading_names_who_has_the_duty() {
    let text = "ỦY BAN NHÂN DÂN THÀNH PHỐ\n\nSố: 09/CT-UBND\n\nCHỈ THỊ\n\nVề bảo vệ nước dưới đất\n\n\
Nhằm tăng cường quản lý nước dưới đất, Chủ tịch Ủy ban nhân dân thành phố yêu cầu Giám đốc Sở Xây dựng thực hiện các nhiệm vụ sau:\n\n\
1. Kết hợp khai thác nước mặt với nước dưới đất.\n\n\
2. Các tổ chức, cá nhân và hộ gia đình khai thác nước dưới đất trên địa bàn có trách nhiệm\n\n\
a) Thực hiện kê khai, đăng ký khai thác nước dưới đất.\n";
    let t = tasks(text);
    let first = t
        .iter()
        .find(|t| t.text.starts_with("Kết hợp"))
        .unwrap_or_else(|| panic!("{t:#?}"));
    assert_eq!(first.leads, ["Giám đốc Sở Xây dựng"], "{t:#?}");
    let duty = t
        .iter()
        .find(|t| t.text.starts_with("Thực hiện kê khai"))
        .unwrap_or_else(|| panic!("{t:#?}"));
    assert_eq!(
        duty.leads,
        ["Các tổ chức, cá nhân và hộ gia đình khai thác nước dưới đất trên địa bàn"],
        "{t:#?}"
    );
}

#[test]
fn a_point_on_its_topic_gives_work_in_later_sentences() {
    let text = "VĂN PHÒNG CHÍNH PHỦ\n\nSố: 631/TB-VPCP\n\nTHÔNG BÁO\n\nKết luận của Phó Thủ tướng\n\n\
1. Về những nội dung còn có ý kiến khác nhau:\n\n\
(1) Về triển khai Chương trình: Chính phủ sẽ phân công nhiệm vụ các bộ theo chức năng. Bộ Dân tộc và Tôn giáo chịu trách nhiệm hướng dẫn tổ chức thực hiện. Yêu cầu các Bộ, cơ quan đổi mới phương thức tổ chức thực hiện.\n";
    let t = tasks(text);
    assert!(
        t.iter().any(|t| t.leads == ["Bộ Dân tộc và Tôn giáo"]
            && t.text
                .starts_with("Bộ Dân tộc và Tôn giáo chịu trách nhiệm")),
        "{t:#?}"
    );
    assert!(
        t.iter()
            .any(|t| t.leads == ["các Bộ, cơ quan"] && t.text.starts_with("Yêu cầu")),
        "{t:#?}"
    );
    // The topic and what the Government will do are no task of a body asked.
    assert!(
        !t.iter().any(|t| t.text.starts_with("Về triển khai")),
        "{t:#?}"
    );
}

#[test]
fn a_last_point_that_dates_the_work_of_the_points_above() {
    let text = "BAN THƯỜNG TRỰC\n\nSố: 10/KH-MTTQ\n\nKẾ HOẠCH\n\nHội nghị cử tri\n\n\
IV. TRÁCH NHIỆM XÁC MINH\n\n\
1. Đối với vụ việc ở nơi công tác thì cơ quan, tổ chức, đơn vị trực tiếp quản lý người ứng cử có trách nhiệm xác minh và trả lời bằng văn bản.\n\n\
2. Đối với người tự ứng cử thì Ủy ban bầu cử có trách nhiệm phối hợp xác minh và trả lời.\n\n\
3. Chậm nhất là ngày 08 tháng 02 năm 2026, việc xác minh và trả lời về các vụ việc mà cử tri nêu phải được tiến hành xong.\n";
    let t = tasks(text);
    assert_eq!(t.len(), 2, "{t:#?}");
    for task in &t {
        assert_eq!(
            task.deadline_phrase.as_deref(),
            Some("Chậm nhất là ngày 08 tháng 02 năm 2026"),
            "{t:#?}"
        );
    }
}

#[test]
fn who_takes_part_is_no_work() {
    let text = "BAN THƯỜNG TRỰC\n\nSố: 11/HD-MTTQ\n\nHƯỚNG DẪN\n\nHội nghị cử tri\n\n\
I. TRÌNH TỰ\n\n\
1. Trưởng ban công tác Mặt trận gửi giấy mời tham dự hội nghị cử tri. Thành phần mời dự hội nghị gồm:\n\n\
- Toàn thể thành viên Ban công tác Mặt trận;\n\n\
- Trưởng thôn, Phó trưởng thôn.\n\n\
2. Công an xã chủ trì thực hiện các nhiệm vụ được giao, bao gồm:\n\n\
- Tuần tra, bảo vệ hội nghị.\n";
    let t = tasks(text);
    assert!(t.iter().any(|t| t.text.starts_with("Trưởng ban")), "{t:#?}");
    assert!(!t.iter().any(|t| t.text.starts_with("Toàn thể")), "{t:#?}");
    assert!(
        !t.iter().any(|t| t.text.starts_with("Trưởng thôn")),
        "{t:#?}"
    );
    // Work listed after `bao gồm` is still work.
    assert!(t.iter().any(|t| t.text.starts_with("Tuần tra")), "{t:#?}");
}

#[test]
fn months_in_brackets_say_which_and_the_marked_time_says_when() {
    let text = "CHÍNH PHỦ\n\nSố: 380/NQ-CP\n\nNGHỊ QUYẾT\n\nVề hỗ trợ sau bão\n\n\
1. Bộ Tài chính\n\n\
a) Thực hiện chi trả gộp 03 tháng lương hưu (tháng 12 năm 2025, tháng 01 và tháng 02 năm 2026) vào kỳ chi trả tháng 12 năm 2025 đối với 04 tỉnh.\n";
    let t = tasks(text);
    let pay = t
        .iter()
        .find(|t| t.text.starts_with("Thực hiện chi trả"))
        .unwrap_or_else(|| panic!("{t:#?}"));
    assert_eq!(
        pay.deadline_phrase.as_deref(),
        Some("vào kỳ chi trả tháng 12 năm 2025"),
        "{pay:#?}"
    );
}

#[test]
fn for_whom_a_list_of_work_is_given() {
    let text = "THỦ TƯỚNG CHÍNH PHỦ\n\nSố: 892/QĐ-TTg\n\nQUYẾT ĐỊNH\n\nVề bồi dưỡng cán bộ\n\n\
I. NHIỆM VỤ, GIẢI PHÁP\n\n1. Nâng cao nhận thức\n\n\
- Đối với cơ quan quản lý, sử dụng cán bộ, công chức làm công tác đối ngoại:\n\n\
+ Đổi mới tư duy, nâng cao vai trò của người đứng đầu.\n\n\
- Đối với Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh, các tổ chức chính trị - xã hội:\n\n\
+ Phát huy vai trò giám sát.\n";
    let t = tasks(text);
    let first = t
        .iter()
        .find(|t| t.text.starts_with("Đổi mới"))
        .unwrap_or_else(|| panic!("{t:#?}"));
    assert_eq!(
        first.leads,
        ["cơ quan quản lý, sử dụng cán bộ, công chức làm công tác đối ngoại"],
        "{t:#?}"
    );
    let second = t
        .iter()
        .find(|t| t.text.starts_with("Phát huy"))
        .unwrap_or_else(|| panic!("{t:#?}"));
    assert_eq!(
        second.leads,
        [
            "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh",
            "các tổ chức chính trị - xã hội"
        ],
        "{t:#?}"
    );
}

#[test]
fn a_long_ground_before_the_body_that_acts() {
    let text = "BAN THƯỜNG TRỰC\n\nSố: 12/HD-MTTQ\n\nHƯỚNG DẪN\n\nHiệp thương lần thứ ba\n\n\
I. NỘI DUNG\n\n\
1. Căn cứ vào tiêu chuẩn của đại biểu, cơ cấu, thành phần, số lượng người của cơ quan, tổ chức, đơn vị được giới thiệu và kết quả hội nghị cử tri nơi cư trú, nơi công tác, Ban Thường trực Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh tổ chức hội nghị hiệp thương lần thứ ba.\n\n\
2. Sở Tài chính\n\n\
a) Trên cơ sở đề xuất kinh phí của các sở, ban, ngành, chủ trì tổng hợp, phối hợp với các sở, Ủy ban nhân dân xã, phường bố trí kinh phí hằng năm.\n";
    let t = tasks(text);
    assert!(
        t.iter().any(|t| t.text.starts_with("Căn cứ")
            && t.leads == ["Ban Thường trực Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh"]),
        "{t:#?}"
    );
    assert!(
        t.iter()
            .any(|t| t.text.starts_with("Trên cơ sở") && t.leads == ["Sở Tài chính"]),
        "{t:#?}"
    );
}

#[test]
fn a_time_field_over_its_own_bullets() {
    let text = "THỦ TƯỚNG CHÍNH PHỦ\n\nSố: 2623/QĐ-TTg\n\nKẾ HOẠCH\n\nTriển khai Luật\n\n\
II. NHIỆM VỤ\n\n\
1. Rà soát văn bản quy phạm pháp luật\n\n\
- Nội dung: rà soát các văn bản có liên quan đến Luật.\n\n\
- Cơ quan thực hiện: Bộ Công an; các bộ, cơ quan ngang bộ.\n\n\
- Thời gian thực hiện:\n\n\
+ Các bộ, cơ quan ngang bộ gửi kết quả rà soát về Bộ Công an trước ngày 15 tháng 12 năm 2025.\n\n\
+ Bộ Công an tổng hợp kết quả rà soát, báo cáo Thủ tướng Chính phủ trước ngày 31 tháng 12 năm 2025.\n";
    let t = tasks(text);
    let review = t
        .iter()
        .find(|t| t.text.starts_with("Rà soát") || t.text.starts_with("rà soát"))
        .unwrap_or_else(|| panic!("{t:#?}"));
    assert!(
        review
            .deadline_phrase
            .as_deref()
            .is_some_and(|p| p.contains("15 tháng 12")),
        "{t:#?}"
    );
    assert!(
        t.iter().any(|t| t.leads == ["Bộ Công an"]
            && t.deadline_phrase
                .as_deref()
                .is_some_and(|p| p.contains("31 tháng 12"))),
        "{t:#?}"
    );
}
