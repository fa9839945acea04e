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
