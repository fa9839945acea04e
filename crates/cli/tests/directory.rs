//! Units and accounts imported from CSV and XLSX lists: every row checked
//! before any is written, faults named by row and column.

use std::path::Path;
use std::process::Command;

fn dondoc(db: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_dondoc"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("DATABASE_URL")
        .output()
        .unwrap();
    let (o, e) = (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    );
    assert!(!e.contains("panicked"), "{e}");
    (out.status.code().unwrap_or(-1), o, e)
}

const UNITS: [[&str; 7]; 3] = [
    [
        "Tên đơn vị",
        "Đơn vị cấp trên",
        "Loại",
        "Cấp",
        "Tên khác",
        "Từ ngày",
        "Đến ngày",
    ],
    [
        "Đảng uỷ xã Bảo Lạc",
        "Tỉnh uỷ Cao Bằng",
        "party_committee",
        "commune",
        "Đảng ủy xã Bảo Lạc",
        "01/07/2025",
        "",
    ],
    [
        "Đảng uỷ xã Cốc Pàng",
        "Tỉnh ủy Cao Bằng",
        "party_committee",
        "commune",
        "",
        "2025-07-01",
        "",
    ],
];

#[test]
fn units_and_accounts_from_csv() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("d.db");
    assert_eq!(dondoc(&db, &["demo", "--quiet"]).0, 0);
    let units = dir.path().join("units.csv");
    let csv: String = UNITS.iter().map(|r| r.join(",") + "\n").collect();
    std::fs::write(&units, csv).unwrap();
    let (code, out, err) = dondoc(&db, &["unit", "import", units.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("thêm 2 đơn vị mới"), "{out}");
    // Importing again adds nothing.
    let (_, out, _) = dondoc(&db, &["unit", "import", units.to_str().unwrap()]);
    assert!(out.contains("thêm 0 đơn vị mới"), "{out}");

    // One bad row (a short password on row 3) and nothing is written.
    let people = dir.path().join("people.csv");
    std::fs::write(
        &people,
        "tên đăng nhập,họ và tên,đơn vị,vai trò,mật khẩu\n\
         cocpang,Cán bộ Cốc Pàng,Đảng ủy xã Cốc Pàng,cán bộ đơn vị,matkhau-123\n\
         xabaolac,Cán bộ xã,Đảng uỷ xã Bảo Lạc,can-bo,ngan\n",
    )
    .unwrap();
    let (code, _, err) = dondoc(&db, &["user", "import", people.to_str().unwrap()]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("dòng 3") && err.contains("8 ký tự"), "{err}");
    assert!(
        dondoc(&db, &["user", "list"])
            .1
            .contains("Chưa có tài khoản nào")
    );

    // Unknown unit, unknown role, duplicate name: each named with its row.
    for (row, expect) in [
        (
            "a1,A,Đơn vị không có,can-bo,matkhau-123",
            "không có đơn vị «Đơn vị không có»",
        ),
        (
            "a1,A,Đảng uỷ xã Bảo Lạc,giam-doc,matkhau-123",
            "vai trò «giam-doc»",
        ),
    ] {
        std::fs::write(
            &people,
            format!("ten_dang_nhap,ho_ten,don_vi,vai_tro,mat_khau\n{row}\n"),
        )
        .unwrap();
        let (code, _, err) = dondoc(&db, &["user", "import", people.to_str().unwrap()]);
        assert_eq!(code, 1);
        assert!(err.contains("dòng 2") && err.contains(expect), "{err}");
    }
    std::fs::write(
        &people,
        "ten_dang_nhap,ho_ten,don_vi,vai_tro,mat_khau\na1,A,Đảng uỷ xã Bảo Lạc,can-bo,matkhau-123\nA1,B,Đảng uỷ xã Bảo Lạc,can-bo,matkhau-123\n",
    )
    .unwrap();
    let (_, _, err) = dondoc(&db, &["user", "import", people.to_str().unwrap()]);
    assert!(
        err.contains("dòng 3") && err.contains("trùng với dòng 2"),
        "{err}"
    );

    // A missing column is named.
    std::fs::write(&people, "ten_dang_nhap,don_vi\na,b\n").unwrap();
    let (_, _, err) = dondoc(&db, &["user", "import", people.to_str().unwrap()]);
    assert!(err.contains("dòng 1: thiếu cột «vai trò»"), "{err}");
}

#[test]
fn accounts_from_xlsx_belong_to_their_units() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("d.db");
    assert_eq!(dondoc(&db, &["demo", "--quiet"]).0, 0);
    let units = dir.path().join("units.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (r, row) in UNITS.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            sheet.write_string(r as u32, c as u16, *v).unwrap();
        }
    }
    book.save(&units).unwrap();
    let (code, out, err) = dondoc(&db, &["unit", "import", units.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("thêm 2 đơn vị mới"), "{out}");

    let people = dir.path().join("people.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    let rows = [
        [
            "Tên đăng nhập",
            "Họ và tên",
            "Đơn vị",
            "Vai trò",
            "Mật khẩu",
        ],
        [
            "cocpang",
            "Cán bộ Cốc Pàng",
            "Đảng ủy xã Cốc Pàng",
            "cán bộ đơn vị",
            "matkhau-123",
        ],
        [
            "lanhdaotinh",
            "Lãnh đạo",
            "Tỉnh uỷ Cao Bằng",
            "lãnh đạo",
            "matkhau-456",
        ],
    ];
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            sheet.write_string(r as u32, c as u16, *v).unwrap();
        }
    }
    book.save(&people).unwrap();
    let (code, out, err) = dondoc(&db, &["user", "import", people.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("Đã tạo 2 tài khoản"), "{out}");
    let list = dondoc(&db, &["user", "list"]).1;
    assert!(
        list.contains("cocpang") && list.contains("Đảng uỷ xã Cốc Pàng"),
        "{list}"
    );
    assert!(
        list.contains("lanhdaotinh") && list.contains("Lãnh đạo"),
        "{list}"
    );
}
