//! `dondoc unit import FILE` and `dondoc user import FILE`: units and
//! accounts from a CSV or XLSX list, as offices keep them. The first row
//! names the columns (Vietnamese headers, with or without diacritics);
//! every fault is reported with its row and column, and nothing is stored
//! unless every row is right.

use crate::error::{CliError, Result};
use dondoc_core::plan::Unit;
use dondoc_core::text::nfc;
use dondoc_store::Store;
use dondoc_store::users::{self, NewUser, Role};
use std::collections::HashMap;

/// A table read from a file: the header and the rows, every cell as text.
struct Table {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

fn read_table(path: &str) -> Result<Table> {
    let lower = path.to_lowercase();
    let mut cells: Vec<Vec<String>> = if lower.ends_with(".xlsx") {
        use calamine::{Reader, Xlsx, open_workbook};
        let mut book: Xlsx<_> = open_workbook(path).map_err(|e| {
            CliError::Input(format!(
                "tệp «{path}» không phải bảng tính XLSX đọc được: {e}"
            ))
        })?;
        let range = book
            .worksheet_range_at(0)
            .ok_or_else(|| CliError::Input(format!("tệp «{path}» không có trang tính nào")))?
            .map_err(|e| {
                CliError::Input(format!("không đọc được trang tính đầu của «{path}»: {e}"))
            })?;
        range
            .rows()
            .map(|r| r.iter().map(|c| c.to_string()).collect())
            .collect()
    } else {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_path(path)
            .map_err(|e| CliError::Input(format!("không mở được tệp «{path}»: {e}")))?;
        let mut out = Vec::new();
        for (i, rec) in reader.records().enumerate() {
            let rec = rec.map_err(|e| {
                CliError::Input(format!("dòng {}: tệp CSV không đọc được ({e})", i + 1))
            })?;
            out.push(rec.iter().map(str::to_string).collect());
        }
        out
    };
    cells.retain(|r| r.iter().any(|c| !c.trim().is_empty()));
    if cells.is_empty() {
        return Err(CliError::Input(format!("tệp «{path}» trống")));
    }
    let header = cells.remove(0).into_iter().map(|h| nfc(h.trim())).collect();
    let rows = cells
        .into_iter()
        .map(|r| r.into_iter().map(|c| nfc(c.trim())).collect())
        .collect();
    Ok(Table { header, rows })
}

/// Finds the columns by their accepted names (compared without diacritics:
/// headers are typed in many ways, unlike the names of units).
fn columns(
    t: &Table,
    wanted: &[(&'static str, &[&str], bool)],
) -> Result<HashMap<&'static str, usize>> {
    let folded: Vec<String> = t.header.iter().map(|h| fold(h)).collect();
    let mut out = HashMap::new();
    for (key, names, required) in wanted {
        let pos = folded
            .iter()
            .position(|h| names.iter().any(|n| fold(n) == *h));
        match pos {
            Some(p) => {
                out.insert(*key, p);
            }
            None if *required => {
                return Err(CliError::Input(format!(
                    "dòng 1: thiếu cột «{}» (các cột có: {})",
                    names[0],
                    t.header.join(", ")
                )));
            }
            None => {}
        }
    }
    Ok(out)
}

/// Lower case, no diacritics, `đ` as `d`, spaces and underscores alike.
fn fold(s: &str) -> String {
    use dondoc_core::text::name_key as key;
    key(s)
        .chars()
        .filter(|c| !('\u{0300}'..='\u{036F}').contains(c))
        .map(|c| match c {
            'đ' => 'd',
            '_' | '-' => ' ',
            c => c,
        })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn cell<'a>(row: &'a [String], cols: &HashMap<&str, usize>, key: &str) -> &'a str {
    cols.get(key)
        .and_then(|i| row.get(*i))
        .map(String::as_str)
        .unwrap_or("")
}

fn date_cell(v: &str, place: &str) -> Result<Option<String>> {
    if v.is_empty() {
        return Ok(None);
    }
    crate::dates::parse(v)
        .map(|d| Some(d.to_string()))
        .map_err(|_| {
            CliError::Input(format!(
                "{place}: ngày «{v}» không hợp lệ (viết 2025-07-01 hoặc 01/07/2025)"
            ))
        })
}

pub async fn import_units(store: &Store, path: &str) -> Result<()> {
    let t = read_table(path)?;
    let cols = columns(
        &t,
        &[
            ("name", &["tên đơn vị", "ten", "ten don vi", "name"], true),
            ("parent", &["đơn vị cấp trên", "cap tren", "parent"], false),
            ("kind", &["loại", "loai", "kind"], false),
            ("level", &["cấp", "cap", "level"], false),
            ("aliases", &["tên khác", "ten khac", "aliases"], false),
            ("from", &["từ ngày", "tu ngay", "valid from"], false),
            ("to", &["đến ngày", "den ngay", "valid to"], false),
        ],
    )?;
    let mut units = Vec::new();
    for (i, row) in t.rows.iter().enumerate() {
        let place = format!("dòng {}", i + 2);
        let name = cell(row, &cols, "name");
        if name.is_empty() {
            return Err(CliError::Input(format!("{place}: thiếu tên đơn vị")));
        }
        let parent = cell(row, &cols, "parent");
        units.push(Unit {
            name: name.to_string(),
            parent: (!parent.is_empty()).then(|| parent.to_string()),
            kind: non_empty(cell(row, &cols, "kind"), "unit"),
            level: non_empty(cell(row, &cols, "level"), "province"),
            aliases: cell(row, &cols, "aliases")
                .split(';')
                .map(str::trim)
                .filter(|a| !a.is_empty())
                .map(str::to_string)
                .collect(),
            valid_from: date_cell(cell(row, &cols, "from"), &place)?,
            valid_to: date_cell(cell(row, &cols, "to"), &place)?,
            successors: Vec::new(),
        });
    }
    let n = store.import_units(&units).await?;
    crate::out!(
        "Đã đọc {} dòng; thêm {n} đơn vị mới (đơn vị đã có được giữ nguyên).",
        units.len()
    );
    Ok(())
}

fn non_empty(v: &str, default: &str) -> String {
    if v.is_empty() {
        default.to_string()
    } else {
        v.to_string()
    }
}

pub async fn import_users(store: &Store, path: &str) -> Result<()> {
    let t = read_table(path)?;
    let cols = columns(
        &t,
        &[
            (
                "username",
                &["tên đăng nhập", "ten dang nhap", "username"],
                true,
            ),
            (
                "full_name",
                &["họ và tên", "ho ten", "ho va ten", "full name"],
                false,
            ),
            ("unit", &["đơn vị", "don vi", "unit"], true),
            ("role", &["vai trò", "vai tro", "role"], true),
            ("password", &["mật khẩu", "mat khau", "password"], true),
        ],
    )?;
    let index = store.unit_index().await?;
    // Check every row before writing any.
    let mut accounts = Vec::new();
    let mut seen = HashMap::new();
    for (i, row) in t.rows.iter().enumerate() {
        let place = format!("dòng {}", i + 2);
        let username = cell(row, &cols, "username");
        if username.is_empty() || username.contains(char::is_whitespace) {
            return Err(CliError::Input(format!(
                "{place}: tên đăng nhập «{username}» không hợp lệ"
            )));
        }
        if let Some(prev) = seen.insert(users::username_key(username), i + 2) {
            return Err(CliError::Input(format!(
                "{place}: tên đăng nhập «{username}» trùng với dòng {prev}"
            )));
        }
        let unit = cell(row, &cols, "unit");
        let unit_id = index
            .find(unit)
            .ok_or_else(|| CliError::Input(format!("{place}: không có đơn vị «{unit}»")))?;
        let role_text = cell(row, &cols, "role");
        let role = Role::parse(role_text)
            .ok_or_else(|| CliError::Input(format!("{place}: vai trò «{role_text}» không có")))?;
        let password = cell(row, &cols, "password");
        let hash = dondoc_web::passwords::hash_password(password)
            .map_err(|e| CliError::Input(format!("{place}: {e}")))?;
        let full_name = non_empty(cell(row, &cols, "full_name"), username);
        accounts.push((username.to_string(), full_name, unit_id, role, hash));
    }
    let new: Vec<NewUser> = accounts
        .iter()
        .map(|(u, f, unit_id, role, hash)| NewUser {
            username: u,
            full_name: f,
            unit_id: *unit_id,
            role: *role,
            password_hash: hash,
        })
        .collect();
    store.import_users(&new).await?;
    crate::out!("Đã tạo {} tài khoản.", new.len());
    Ok(())
}
