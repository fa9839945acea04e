//! The layers of the service's source, checked: which module may import
//! which (see the crate's `lib.rs`), and no import cycle between the
//! modules of the web crate or of the store.
//!
//! A module is a file or folder directly under `src/`; it imports another
//! when its code (comments left out) names `crate::other`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The page modules: each owns its routes and templates and imports no
/// other page module.
const PAGES: &[&str] = &[
    "assignments",
    "audit",
    "calendar",
    "dashboard",
    "documents",
    "imports",
    "plan",
    "reports",
    "sign_in",
    "units",
];

/// What the shared layers may import: nothing above them.
const BELOW: &[(&str, &[&str])] = &[
    (
        "view",
        &[
            "access", "error", "guard", "layout", "session", "state", "support",
        ],
    ),
    ("guard", &["access", "error", "session", "state", "support"]),
    ("support", &["error", "session", "state"]),
    ("layout", &["access", "session", "state"]),
    ("access", &["error", "session", "state"]),
    ("session", &["error", "state"]),
    ("state", &["passwords", "throttle"]),
    ("error", &[]),
];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("đọc thư mục mã nguồn") {
        let path = entry.expect("mục trong thư mục").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Module → the modules it names, for the crate whose sources are in `src`.
fn graph(src: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let mut files = Vec::new();
    rust_files(src, &mut files);
    let mut g: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in files {
        let rel = file.strip_prefix(src).expect("đường dẫn trong src");
        let first = rel.components().next().expect("tên tệp");
        let module = first
            .as_os_str()
            .to_string_lossy()
            .trim_end_matches(".rs")
            .to_string();
        if module == "lib" || module == "main" {
            continue;
        }
        let text = std::fs::read_to_string(&file).expect("đọc tệp nguồn");
        let uses = g.entry(module.clone()).or_default();
        for line in text.lines() {
            let code = line.split("//").next().unwrap_or("");
            let mut rest = code;
            while let Some(i) = rest.find("crate::") {
                rest = &rest[i + "crate::".len()..];
                let name: String = rest
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                if !name.is_empty() && name != module {
                    uses.insert(name);
                }
            }
        }
    }
    g
}

/// A cycle in `g`, if there is one (as the list of modules around it).
fn cycle(g: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        Open,
        Done,
    }
    fn visit(
        g: &BTreeMap<String, BTreeSet<String>>,
        node: &str,
        marks: &mut BTreeMap<String, Mark>,
        path: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        match marks.get(node) {
            Some(Mark::Done) => return None,
            Some(Mark::Open) => {
                let start = path.iter().position(|n| n == node).unwrap_or(0);
                let mut c = path[start..].to_vec();
                c.push(node.to_string());
                return Some(c);
            }
            None => {}
        }
        marks.insert(node.to_string(), Mark::Open);
        path.push(node.to_string());
        for next in g.get(node).into_iter().flatten() {
            if let Some(c) = visit(g, next, marks, path) {
                return Some(c);
            }
        }
        path.pop();
        marks.insert(node.to_string(), Mark::Done);
        None
    }
    let mut marks = BTreeMap::new();
    g.keys()
        .find_map(|n| visit(g, n, &mut marks, &mut Vec::new()))
}

fn src_of(krate: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(krate)
        .join("src")
}

#[test]
fn the_web_crate_has_no_import_cycle() {
    let g = graph(&src_of("web"));
    assert!(g.len() > 15, "{g:?}");
    assert_eq!(cycle(&g), None, "{g:#?}");
}

#[test]
fn the_store_has_no_import_cycle() {
    let g = graph(&src_of("store"));
    assert_eq!(cycle(&g), None, "{g:#?}");
}

#[test]
fn page_modules_import_no_page_module() {
    let g = graph(&src_of("web"));
    for page in PAGES {
        let uses = g
            .get(*page)
            .unwrap_or_else(|| panic!("không có mô-đun {page}"));
        let pages: Vec<&String> = uses
            .iter()
            .filter(|u| PAGES.contains(&u.as_str()))
            .collect();
        assert!(pages.is_empty(), "{page} dùng {pages:?}");
    }
}

#[test]
fn shared_layers_import_only_what_is_below_them() {
    let g = graph(&src_of("web"));
    for (layer, allowed) in BELOW {
        let uses = g
            .get(*layer)
            .unwrap_or_else(|| panic!("không có mô-đun {layer}"));
        let above: Vec<&String> = uses
            .iter()
            .filter(|u| !allowed.contains(&u.as_str()))
            .collect();
        assert!(above.is_empty(), "{layer} dùng {above:?}");
    }
}

#[test]
fn the_checker_sees_a_cycle() {
    let mut g = BTreeMap::new();
    g.insert("a".to_string(), BTreeSet::from(["b".to_string()]));
    g.insert("b".to_string(), BTreeSet::from(["c".to_string()]));
    g.insert("c".to_string(), BTreeSet::from(["a".to_string()]));
    assert_eq!(cycle(&g).map(|c| c.len()), Some(4));
    g.insert("c".to_string(), BTreeSet::new());
    assert_eq!(cycle(&g), None);
}

/// The service and the command line reach the database through `Store`'s
/// methods only: they hold no connection and run no transaction of their
/// own (which writes share the group commit is the store's to decide).
#[test]
fn the_service_and_the_command_line_hold_no_connection() {
    let held = [
        ".conn()",
        ".begin()",
        ".pool()",
        ".write(move",
        "AnyConnection",
        "Transaction",
    ];
    for krate in ["web", "cli"] {
        let mut files = Vec::new();
        rust_files(&src_of(krate), &mut files);
        for file in files {
            let text = std::fs::read_to_string(&file).expect("đọc tệp nguồn");
            for (n, line) in text.lines().enumerate() {
                let code = line.split("//").next().unwrap_or("");
                if let Some(h) = held.iter().find(|h| code.contains(*h)) {
                    panic!("{}:{}: «{h}»: {line}", file.display(), n + 1);
                }
            }
        }
    }
}
