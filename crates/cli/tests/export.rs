//! `dondoc export` with the real binary: each test runs it against its own
//! SQLite file in a fresh temporary directory holding the demo plan, with
//! `--db` given and `DATABASE_URL` cleared.

use std::fmt;
use std::path::Path;
use std::process::{Command, Stdio};
use tempfile::TempDir;

const LOADED_ON: &str = "2024-11-20";
/// After the phase I report's due day (05/02/2025).
const TODAY: &str = "2025-03-10";

struct Run {
    args: Vec<String>,
    code: Option<i32>,
    stdout: Vec<u8>,
    stderr: String,
}

impl Run {
    fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.stdout).into_owned()
    }

    #[track_caller]
    fn expect_code(&self, code: i32) -> &Self {
        assert_eq!(self.code, Some(code), "unexpected exit status\n{self}");
        self
    }

    #[track_caller]
    fn ok(&self) -> &Self {
        self.expect_code(0)
    }
}

impl fmt::Display for Run {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "dondoc {:?}\nexit: {:?}\n--- stdout ---\n{}\n--- stderr ---\n{}",
            self.args,
            self.code,
            self.stdout().chars().take(3000).collect::<String>(),
            self.stderr
        )
    }
}

/// A fresh directory whose database holds the demo plan.
struct Env {
    dir: TempDir,
    db: String,
}

impl Env {
    fn with_demo() -> Env {
        let dir = tempfile::tempdir().expect("tempdir");
        let db = dir.path().join("dondoc.db").to_string_lossy().into_owned();
        let env = Env { dir, db };
        env.run(&["demo", "--quiet", "--today", LOADED_ON]).ok();
        env
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Runs `dondoc --db <this env's db> ARGS…` in the directory.
    #[track_caller]
    fn run(&self, args: &[&str]) -> Run {
        let mut all = vec!["--db", self.db.as_str()];
        all.extend_from_slice(args);
        let out = Command::new(env!("CARGO_BIN_EXE_dondoc"))
            .env_remove("DATABASE_URL")
            .current_dir(self.path())
            .stdin(Stdio::null())
            .args(&all)
            .output()
            .expect("could not start the dondoc binary");
        let run = Run {
            args: all.iter().map(|s| s.to_string()).collect(),
            code: out.status.code(),
            stdout: out.stdout,
            stderr: String::from_utf8(out.stderr).expect("stderr is not UTF-8"),
        };
        assert!(run.code.is_some(), "killed by a signal\n{run}");
        assert!(
            !run.stderr.contains("panicked"),
            "the binary panicked\n{run}"
        );
        run
    }

    #[track_caller]
    fn read(&self, name: &str) -> Vec<u8> {
        std::fs::read(self.path().join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
    }
}

/// The one line a command prints, checked to name the file and its size.
#[track_caller]
fn said(run: &Run, starts: &str, file: &str) -> String {
    let text = run.stdout();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 1, "one line\n{run}");
    let line = lines[0];
    assert!(line.starts_with(starts), "{line}");
    assert!(line.contains(&format!(" vào {file} (")), "{line}");
    assert!(
        line.ends_with(" KB).") || line.ends_with(" byte)."),
        "{line}"
    );
    line.to_string()
}

#[test]
fn each_export_writes_a_file_of_its_kind() {
    let env = Env::with_demo();

    let r = env.run(&[
        "export",
        "synthesis",
        "--plan",
        "390-KH/TU",
        "--phase",
        "I",
        "--out",
        "bao-cao.docx",
        "--today",
        TODAY,
    ]);
    r.ok();
    let line = said(&r, "Đã ghi báo cáo tổng hợp Đợt I (", "bao-cao.docx");
    assert!(line.contains(" nhiệm vụ)"), "{line}");
    let docx = env.read("bao-cao.docx");
    assert!(
        docx.len() > 1000 && docx.starts_with(b"PK"),
        "a Word package"
    );

    let r = env.run(&[
        "export",
        "tracking",
        "--plan",
        "390-KH/TU",
        "--out",
        "theo-doi.xlsx",
        "--today",
        TODAY,
    ]);
    r.ok();
    let line = said(
        &r,
        "Đã ghi sổ theo dõi Kế hoạch 390-KH/TU (62 nhiệm vụ, ",
        "theo-doi.xlsx",
    );
    assert!(line.contains("lượt giao"), "{line}");
    let xlsx = env.read("theo-doi.xlsx");
    assert!(
        xlsx.len() > 1000 && xlsx.starts_with(b"PK"),
        "an Excel package"
    );

    let r = env.run(&[
        "export",
        "ics",
        "--unit",
        "Ban Tuyên giáo Tỉnh uỷ",
        "--out",
        "lich.ics",
        "--today",
        TODAY,
    ]);
    r.ok();
    said(&r, "Đã ghi lịch của Ban Tuyên giáo Tỉnh uỷ (", "lich.ics");
    let ics = String::from_utf8(env.read("lich.ics")).expect("UTF-8");
    assert!(ics.starts_with("BEGIN:VCALENDAR\r\n"), "{ics}");
    assert!(ics.trim_end().ends_with("END:VCALENDAR"));

    // `--out -`: the calendar on stdout, the line on stderr.
    let r = env.run(&["export", "ics", "--unit", "Báo Cao Bằng", "--out", "-"]);
    r.ok();
    assert!(r.stdout().starts_with("BEGIN:VCALENDAR\r\n"), "{r}");
    assert!(
        r.stderr.starts_with("Đã ghi lịch của Báo Cao Bằng (") && r.stderr.contains("đầu ra chuẩn"),
        "{r}"
    );
    // A Word or Excel file is not written to a terminal.
    env.run(&["export", "synthesis", "--out", "-"])
        .expect_code(2);
}

#[test]
fn without_out_a_file_is_named_after_its_content() {
    let env = Env::with_demo();
    let r = env.run(&["export", "synthesis", "--phase", "Đợt I", "--today", TODAY]);
    r.ok();
    let name = "bao-cao-ket-qua-KH-390-KH-TU-dot-I-2025-03-10.docx";
    said(&r, "Đã ghi báo cáo tổng hợp Đợt I (", name);
    assert!(env.read(name).starts_with(b"PK"));
    let r = env.run(&["export", "synthesis", "--today", TODAY]);
    r.ok();
    assert!(
        r.stdout()
            .starts_with("Đã ghi báo cáo tổng hợp toàn bộ Kế hoạch 390-KH/TU ("),
        "{r}"
    );
}

#[test]
fn a_phase_is_named_either_way() {
    let env = Env::with_demo();
    for (phase, file) in [("I", "a.docx"), ("Đợt I", "b.docx"), ("đợt i", "c.docx")] {
        let r = env.run(&[
            "export",
            "synthesis",
            "--phase",
            phase,
            "--out",
            file,
            "--today",
            TODAY,
        ]);
        r.ok();
        said(&r, "Đã ghi báo cáo tổng hợp Đợt I (", file);
    }
    // The same report, dated by the report and not by the clock.
    assert_eq!(env.read("a.docx"), env.read("b.docx"));
    assert_eq!(env.read("a.docx"), env.read("c.docx"));
}

#[test]
fn an_unknown_phase_or_unit_is_refused_by_name() {
    let env = Env::with_demo();
    let r = env.run(&[
        "export",
        "synthesis",
        "--phase",
        "Đợt IX",
        "--out",
        "x.docx",
        "--today",
        TODAY,
    ]);
    r.expect_code(1);
    assert!(r.stderr.contains("không có đợt «Đợt IX»"), "{r}");
    assert!(r.stderr.contains("Đợt I, Đợt II"), "{r}");
    assert!(!env.path().join("x.docx").exists(), "nothing written");

    let r = env.run(&[
        "export",
        "ics",
        "--unit",
        "Huyện uỷ Bảo Lộc",
        "--out",
        "x.ics",
    ]);
    r.expect_code(1);
    assert!(
        r.stderr
            .contains("không tìm thấy đơn vị «Huyện uỷ Bảo Lộc»"),
        "{r}"
    );
    assert!(!env.path().join("x.ics").exists(), "nothing written");

    let r = env.run(&["export", "tracking", "--plan", "1-KH/XX", "--out", "x.xlsx"]);
    r.expect_code(1);
    assert!(r.stderr.contains("1-KH/XX"), "{r}");
}

#[test]
fn a_unit_in_another_spelling_gets_its_calendar_and_a_moved_congress() {
    let env = Env::with_demo();
    let r = env.run(&[
        "export",
        "ics",
        "--unit",
        "ban tuyên giáo tỉnh ủy",
        "--out",
        "lich.ics",
        "--today",
        LOADED_ON,
    ]);
    r.ok();
    said(&r, "Đã ghi lịch của Ban Tuyên giáo Tỉnh uỷ (", "lich.ics");
    let before = String::from_utf8(env.read("lich.ics")).unwrap();
    assert!(
        !before.contains("UID:event-dh-xx@dondoc"),
        "undated: not in"
    );

    env.run(&[
        "event",
        "set",
        "Đại hội XX Đảng bộ tỉnh",
        "--start",
        "14/10/2025",
        "--end",
        "16/10/2025",
        "--today",
        LOADED_ON,
    ])
    .ok();
    let r = env.run(&[
        "export",
        "ics",
        "--unit",
        "Ban Tuyên giáo Tỉnh ủy",
        "--out",
        "-",
    ]);
    r.ok();
    let after = r.stdout();
    let event = after
        .split("BEGIN:VEVENT")
        .find(|e| e.contains("UID:event-dh-xx@dondoc"))
        .unwrap_or_else(|| panic!("the congress is in the calendar\n{after}"));
    assert!(event.contains("DTSTART;VALUE=DATE:20251014"), "{event}");
    assert!(event.contains("DTEND;VALUE=DATE:20251017"), "{event}");
    assert!(event.contains("SEQUENCE:1"), "{event}");
}

/// `--out …pdf`: the report printed by LibreOffice where it is installed;
/// where it is not, a Vietnamese message and no file.
#[test]
fn a_pdf_out_file_is_the_report_printed() {
    let env = Env::with_demo();
    let r = env.run(&[
        "export",
        "synthesis",
        "--phase",
        "I",
        "--out",
        "bao-cao.pdf",
        "--today",
        TODAY,
    ]);
    if dondoc_export::pdf::office().is_none() {
        assert_eq!(
            std::env::var("DONDOC_REQUIRE_OFFICE").as_deref().ok(),
            None,
            "DONDOC_REQUIRE_OFFICE=1 mà không có LibreOffice"
        );
        r.expect_code(1);
        assert!(r.stderr.contains("LibreOffice"), "{r}");
        assert!(!env.path().join("bao-cao.pdf").exists());
        return;
    }
    r.ok();
    said(&r, "Đã ghi báo cáo tổng hợp Đợt I", "bao-cao.pdf");
    assert!(env.read("bao-cao.pdf").starts_with(b"%PDF"));
}
