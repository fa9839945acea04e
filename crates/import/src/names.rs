//! Names of units inside running text.
//!
//! Vietnamese unit names follow a few regular shapes, and that regularity is
//! what lets a reader find where a name ends without a list of every unit:
//!
//! - a proper name starts with a head noun (`Ban`, `Sở`, `Ủy ban`, `Hội`,
//!   `Tỉnh Đoàn`, `UBND` …) and goes on over capitalised syllables, the one
//!   lower-case syllable that ends a two-syllable word (`Tuyên giáo`, `Lao
//!   động`, `Nhà báo`), a few fixed lower-case words (`nhân dân`, `cán sự
//!   đảng`, `thanh niên`) and a place (`tỉnh`, `huyện Bảo Lạc`);
//! - a group starts with `các`/`mỗi` and lists nouns (`sở, ban, ngành`,
//!   `huyện, thành uỷ`) with their qualifiers (`liên quan`, `trực thuộc
//!   Tỉnh uỷ`).
//!
//! A comma or `và` followed by a capitalised word that is not a head noun is
//! inside the name (`Sở Văn hóa, Thể thao và Du lịch`); followed by a head
//! noun or a group it starts the next name.

/// Head nouns of proper unit names, each as its words in lower case; the
/// first letter must be capitalised in the text.
const HEADS: &[&[&str]] = &[
    &["ban", "cán", "sự"],
    &["ban"],
    &["văn", "phòng"],
    &["sở"],
    &["ủy", "ban"],
    &["uỷ", "ban"],
    &["ubnd"],
    &["hđnd"],
    &["mttq"],
    &["ủy", "ban", "mttq"],
    &["hội", "đồng"],
    &["hội", "liên", "hiệp"],
    &["hiệp", "hội"],
    &["liên", "minh"],
    &["công", "chức"],
    &["trưởng"],
    &["trạm"],
    &["ban", "chỉ", "huy"],
    &["bệnh", "viện"],
    &["hạt"],
    &["đồn"],
    &["ub"],
    &["ubmttq"],
    &["hội"],
    &["liên", "đoàn"],
    &["tỉnh", "đoàn"],
    &["huyện", "đoàn"],
    &["thành", "đoàn"],
    &["đoàn"],
    &["báo"],
    &["đài"],
    &["trường"],
    &["trung", "tâm"],
    &["phòng"],
    &["công", "an"],
    &["bộ", "chỉ", "huy"],
    &["bộ"],
    &["mặt", "trận"],
    &["tỉnh", "uỷ"],
    &["tỉnh", "ủy"],
    &["huyện", "uỷ"],
    &["huyện", "ủy"],
    &["thành", "uỷ"],
    &["thành", "ủy"],
    &["đảng", "uỷ"],
    &["đảng", "ủy"],
    &["đảng", "đoàn"],
    &["đảng", "bộ"],
    &["chi", "bộ"],
    &["cục"],
    &["chi", "cục"],
    &["viện"],
    &["học", "viện"],
    &["thanh", "tra"],
    &["kho", "bạc"],
    &["ngân", "hàng"],
    &["bưu", "điện"],
    &["thường", "trực"],
    &["tiểu", "ban"],
    &["tạp", "chí"],
    &["bảo", "tàng"],
    &["thư", "viện"],
    &["công", "đoàn"],
    &["thông", "tấn", "xã"],
    &["bảo", "hiểm", "xã", "hội"],
    &["tổng", "cục"],
    &["tập", "đoàn"],
    &["tổng", "công", "ty"],
    &["công", "ty"],
    &["quỹ"],
    &["tòa", "án"],
    &["toà", "án"],
    &["viện", "kiểm", "sát"],
    &["kiểm", "toán"],
    &["đại", "học"],
    &["quân", "khu"],
    &["bộ", "tư", "lệnh"],
    &["cảng", "vụ"],
    &["bch"],
    &["btv"],
    &["lđlđ"],
    &["hlhpn"],
];

/// Fixed lower-case word sequences that stay inside a proper name.
const INNER: &[&[&str]] = &[
    &["nhân", "dân"],
    &["cán", "sự", "đảng"],
    &["cán", "sự"],
    &["thanh", "niên"],
    &["chấp", "hành"],
    &["thường", "vụ"],
    &["thường", "trực"],
    &["cộng", "sản"],
    &["phụ", "nữ"],
    &["nông", "dân"],
    &["cựu", "chiến", "binh"],
    &["dục", "thường", "xuyên"],
    &["tác", "xã"],
    &["chiến", "binh"],
    &["liên", "hiệp"],
    &["chuyên", "trách"],
    &["chức", "năng"],
    &["bầu", "cử"],
    &["quốc", "gia"],
    &["dân", "tộc"],
    // `Đài truyền hình Việt Nam`, `Đài phát thanh và truyền hình`, written
    // in lower case as often as not.
    &["phát", "thanh", "và", "truyền", "hình"],
    &["phát", "thanh", "-", "truyền", "hình"],
    &["truyền", "hình"],
    &["phát", "thanh"],
    &["đảng"],
    &["uỷ"],
    &["ủy"],
];

/// Words naming a place or level, which may end a name or a group and may be
/// followed by a proper place name (`tỉnh Cao Bằng`).
const PLACES: &[&[&str]] = &[
    // The level that holds the election's consultation (`Ban Thường trực
    // Ủy ban Mặt trận … cấp tổ chức hội nghị hiệp thương`, `Ủy ban bầu cử
    // cấp hiệp thương`), and levels named relative to the writer.
    &["cấp", "tổ", "chức", "hội", "nghị", "hiệp", "thương"],
    &["cấp", "hiệp", "thương"],
    &["các", "cấp"],
    &["cấp", "trên"],
    &["cùng", "cấp"],
    &["cấp", "tỉnh"],
    &["cấp", "huyện"],
    &["cấp", "xã"],
    &["cấp", "cơ", "sở"],
    &["thành", "phố"],
    &["thị", "xã"],
    &["thị", "trấn"],
    &["đặc", "khu"],
    &["tổ", "dân", "phố"],
    &["khu", "phố"],
    &["thôn"],
    &["tỉnh"],
    &["huyện"],
    &["xã"],
    &["phường"],
];

/// Nouns of groups of units, after `các`/`mỗi`, longest first where one is
/// the start of another.
const GROUP_NOUNS: &[&[&str]] = &[
    &[
        "tổ", "chức", "chính", "trị", "-", "xã", "hội", "-", "nghề", "nghiệp",
    ],
    &["tổ", "chức", "chính", "trị", "-", "xã", "hội"],
    &["đoàn", "thể", "chính", "trị", "-", "xã", "hội"],
    &["cơ", "quan", "quản", "lý", "nhà", "nước"],
    &["cơ", "quan", "báo", "chí"],
    &["cơ", "quan", "chuyên", "môn"],
    &["cơ", "quan", "thông", "tin", "đại", "chúng"],
    &["lực", "lượng", "chức", "năng"],
    &["lực", "lượng", "quân", "đội"],
    &["lực", "lượng", "công", "an"],
    &["lực", "lượng", "vũ", "trang"],
    &["công", "an"],
    &["quân", "đội"],
    &["ngành", "chức", "năng"],
    &["đơn", "vị", "trực", "thuộc"],
    &["đoàn", "trực", "thuộc"],
    &["tổ", "chức", "đảng"],
    &["tổ", "chức", "cơ", "sở", "đảng"],
    &["tổ", "chức", "hội"],
    &["tổ", "chức", "đoàn"],
    &["cơ", "sở", "đoàn"],
    &["tổ", "dân", "phố"],
    &["trường", "học"],
    &["đoàn", "thể"],
    &["cơ", "quan"],
    &["đơn", "vị"],
    &["địa", "phương"],
    &["sở"],
    &["ban"],
    &["ngành"],
    &["bộ"],
    &["tỉnh"],
    &["tổ", "chức", "thành", "viên"],
    &["huyện", "đoàn"],
    &["thành", "đoàn"],
    &["huyện", "uỷ"],
    &["huyện", "ủy"],
    &["thành", "uỷ"],
    &["thành", "ủy"],
    &["đảng", "uỷ"],
    &["đảng", "ủy"],
    &["đảng", "đoàn"],
    &["ban", "cán", "sự", "đảng"],
    &["cấp", "uỷ"],
    &["cấp", "ủy"],
    &["chi", "bộ"],
    &["đảng", "bộ"],
    &["chi", "đoàn"],
    &["chi", "hội"],
    &["huyện"],
    &["thành", "phố"],
    &["thị", "xã"],
    &["thị", "trấn"],
    &["đặc", "khu"],
    &["xã"],
    &["phường"],
    &["thôn"],
    &["xóm"],
    &["bản"],
    &["phòng"],
    &["trường"],
    &["trung", "tâm"],
    &["hội"],
    &["doanh", "nghiệp"],
    &["chủ", "đầu", "tư"],
    &["nhà", "đầu", "tư"],
    &["cơ", "sở"],
    &["chi"],
    &["báo"],
    // `các ngành, các cấp`: the levels, as a group (after `cấp uỷ`).
    &["cấp"],
];

/// Qualifiers that may follow the nouns of a group.
const GROUP_QUALIFIERS: &[&[&str]] = &[
    &["có", "liên", "quan"],
    &["liên", "quan"],
    &["chức", "năng"],
    &["chuyên", "môn"],
    &["trực", "thuộc"],
    &["ngang", "bộ"],
    &["của", "tỉnh"],
    &["của", "huyện"],
    &["trong", "tỉnh"],
    &["trong", "huyện"],
    &["tại", "tỉnh"],
    &["trên", "địa", "bàn"],
    &["thuộc"],
    &["đoàn", "thể"],
    &["chính", "trị", "-", "xã", "hội"],
    &["cơ", "sở"],
    &["cùng", "cấp"],
    &["mầm", "non"],
    &["tiểu", "học"],
    &["trung", "học", "cơ", "sở"],
    &["trung", "học", "phổ", "thông"],
    &["trung", "cấp"],
    &["cao", "đẳng"],
    &["đại", "học"],
    &["được", "phân", "công"],
    &["được", "giao"],
    &["được", "lựa", "chọn"],
    &["khác"],
    &["phát", "thanh"],
    &["truyền", "hình"],
];

/// Nouns that go on a group after `các` or a comma (`các tổ chức, cá nhân
/// có liên quan`) but do not open one alone: bare, `tổ chức` is mostly the
/// verb (`… thì tổ chức hội nghị`).
const LIST_NOUNS: &[&[&str]] = &[
    &["tổ", "chức"],
    &["cá", "nhân"],
    &["hộ", "gia", "đình"],
    &["nhà", "mạng"],
    &["doanh", "nghiệp"],
    &["đài"],
];

/// The noun of a group at `i`: a group noun, or one that only goes on a
/// list; never the first syllable of another word (`hội` of `hội nghị`).
fn group_noun(toks: &[Token], i: usize, listed: bool) -> Option<usize> {
    let n = if listed {
        longest(toks, i, GROUP_NOUNS).max(longest(toks, i, LIST_NOUNS))
    } else {
        longest(toks, i, GROUP_NOUNS)
    }?;
    let last = toks[i + n - 1].lower.as_str();
    let next = toks.get(i + n).map_or("", |t| t.lower.as_str());
    let other_word = matches!(
        (last, next),
        ("hội", "nghị" | "thảo" | "thi" | "diễn" | "trại" | "chợ")
            | ("đoàn", "kết" | "viên")
            | ("ban", "hành")
            | ("báo", "cáo" | "động" | "tin")
    );
    (!other_word).then_some(n)
}

/// Lower-case nouns of the fields that departments are named after, which
/// modern names write without capitals (`Phòng Quản lý đất đai`, `Trung tâm
/// Công nghệ thông tin tài nguyên và môi trường`).
const FIELD_WORDS: &[&str] = &[
    "đất",
    "đai",
    "nước",
    "môi",
    "trường",
    "tài",
    "nguyên",
    "thông",
    "tin",
    "công",
    "nghệ",
    "kinh",
    "tế",
    "hạ",
    "tầng",
    "kế",
    "hoạch",
    "chính",
    "hành",
    "tổng",
    "hợp",
    "khoa",
    "học",
    "giáo",
    "dục",
    "đào",
    "tạo",
    "y",
    "lao",
    "động",
    "thương",
    "binh",
    "xã",
    "hội",
    "nông",
    "nghiệp",
    "thôn",
    "văn",
    "hóa",
    "hoá",
    "thể",
    "thao",
    "du",
    "lịch",
    "dân",
    "tộc",
    "tôn",
    "tư",
    "pháp",
    "nội",
    "vụ",
    "ngoại",
    "thi",
    "đua",
    "khen",
    "thưởng",
    "thủy",
    "thuỷ",
    "lợi",
    "kiểm",
    "lâm",
    "hộ",
    "tịch",
    "dịch",
    "ích",
    "quản",
    "lý",
    "truyền",
    "thanh",
    "hình",
    "số",
    "đô",
    "thị",
    "giao",
    "vận",
    "tải",
    "an",
    "toàn",
    "cán",
    "bộ",
    "trung",
    "học",
    "khảo",
    "thí",
    "kiểm",
    "định",
    "chất",
    "lượng",
    "giáo",
    "dục",
    "nghề",
    "nghiệp",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Word,
    /// `,` `;` `:` `.` `(` `)` `-` `–` and the like, one character each.
    Punct(char),
}

#[derive(Debug, Clone)]
struct Token {
    start: usize,
    end: usize,
    kind: Kind,
    lower: String,
    capital: bool,
}

fn tokens(text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut word_start: Option<usize> = None;
    let flush = |out: &mut Vec<Token>, text: &str, s: usize, e: usize| {
        let w = &text[s..e];
        out.push(Token {
            start: s,
            end: e,
            kind: Kind::Word,
            lower: w.to_lowercase(),
            capital: w.chars().next().is_some_and(char::is_uppercase),
        });
    };
    for (i, c) in text.char_indices() {
        let is_word = c.is_alphanumeric()
            || c == '/'
            || c == '&'
            || c == '.' && word_start.is_some() && next_is_alnum(text, i + 1);
        if is_word {
            if word_start.is_none() {
                word_start = Some(i);
            }
            continue;
        }
        if let Some(s) = word_start.take() {
            flush(&mut out, text, s, i);
        }
        if !c.is_whitespace() {
            let dash = if matches!(c, '–' | '—') { '-' } else { c };
            out.push(Token {
                start: i,
                end: i + c.len_utf8(),
                kind: Kind::Punct(dash),
                lower: dash.to_string(),
                capital: false,
            });
        }
    }
    if let Some(s) = word_start {
        flush(&mut out, text, s, text.len());
    }
    out
}

fn next_is_alnum(text: &str, at: usize) -> bool {
    text[at..].chars().next().is_some_and(char::is_alphanumeric)
}

/// Whether the words `seq` stand at `i` (case-insensitive); their count.
fn seq_at(toks: &[Token], i: usize, seq: &[&str]) -> Option<usize> {
    if i + seq.len() > toks.len() {
        return None;
    }
    for (k, w) in seq.iter().enumerate() {
        let t = &toks[i + k];
        let ok = match t.kind {
            Kind::Word => t.lower == *w,
            Kind::Punct(c) => w.len() == 1 && w.starts_with(c),
        };
        if !ok {
            return None;
        }
    }
    Some(seq.len())
}

fn longest(toks: &[Token], i: usize, list: &[&[&str]]) -> Option<usize> {
    list.iter().filter_map(|s| seq_at(toks, i, s)).max()
}

fn head_at(toks: &[Token], i: usize) -> Option<usize> {
    let t = toks.get(i)?;
    if t.kind != Kind::Word || !t.capital {
        return None;
    }
    longest(toks, i, HEADS)
}

fn group_start(toks: &[Token], i: usize) -> bool {
    toks.get(i).is_some_and(|t| {
        t.kind == Kind::Word && matches!(t.lower.as_str(), "các" | "mỗi" | "những")
    }) && group_noun(toks, i + 1, true).is_some()
}

fn is_word(t: &Token) -> bool {
    t.kind == Kind::Word
}

/// A capitalised word, or a run of capitals and digits (`XIV`, `TNCS`).
fn capitalised(t: &Token) -> bool {
    is_word(t) && t.capital
}

/// Reads a place after a place word: `tỉnh Cao Bằng`, `huyện Bảo Lạc`.
fn place_name(toks: &[Token], mut i: usize) -> usize {
    while toks.get(i).is_some_and(capitalised) && head_at(toks, i).is_none() {
        i += 1;
    }
    i
}

/// One proper name starting at token `i`; the index after it.
fn proper_at(toks: &[Token], i: usize) -> Option<usize> {
    let mut j = i + head_at(toks, i)?;
    // `Ban hành …`, `Phòng chống …`: a head noun followed by ordinary words
    // is not a name. Heads that are whole names (`Huyện đoàn`) may stand alone.
    let standalone =
        j - i >= 2 || matches!(toks[i].lower.as_str(), "ubnd" | "hđnd" | "mttq" | "ubmttq");
    if !standalone
        && let Some(next) = toks.get(j)
        && next.kind == Kind::Word
        && !next.capital
        && !is_stop(&next.lower)
        && !verb_pair(toks, j)
        && longest(toks, j, INNER).is_none()
        && longest(toks, j, PLACES).is_none()
        && !group_start(toks, j)
    {
        return None;
    }
    // A proper name may hold a group right after its head: `UBND các huyện`.
    if group_start(toks, j) {
        return Some(group_from(toks, j));
    }
    // `after_lower`: the last word was a lower-case syllable, so another
    // lower-case syllable would start ordinary text — unless it names a
    // field (`Phòng Quản lý đất đai`) in a name that holds no other body.
    let mut after_lower = false;
    let mut nested = false;
    while let Some(t) = toks.get(j) {
        // `Phòng Giáo dục và Đào tạo các huyện`, `Hội Nông dân các huyện`.
        if j > i && group_start(toks, j) {
            return Some(group_from(toks, j));
        }
        if capitalised(t) {
            if let Some(n) = head_at(toks, j) {
                if !continues_head(toks, j) {
                    break;
                }
                nested = true;
                j += n;
                after_lower = false;
                continue;
            }
            j += 1;
            after_lower = false;
            continue;
        }
        if is_word(t) {
            if let Some(n) = longest(toks, j, INNER) {
                j += n;
                after_lower = false;
                // `Ủy ban nhân dân các huyện, thành phố`.
                if group_start(toks, j) {
                    return Some(group_from(toks, j));
                }
                continue;
            }
            if let Some(n) = longest(toks, j, PLACES) {
                // `… tỉnh Cao Bằng` goes on over the place's name, then ends;
                // a list of levels (`Ủy ban nhân dân phường, xã, đặc khu`)
                // is one group.
                let after = place_name(toks, j + n);
                j = if after == j + n {
                    levels(toks, after)
                } else {
                    after
                };
                break;
            }
            if t.lower == "và"
                && toks.get(j + 1).is_some_and(capitalised)
                && head_at(toks, j + 1).is_none()
            {
                j += 1;
                after_lower = false;
                continue;
            }
            if t.lower == "trực"
                && toks.get(j + 1).is_some_and(|n| n.lower == "thuộc")
                && let Some(end) = proper_at(toks, j + 2)
            {
                j = end;
                continue;
            }
            // `Ủy ban Kinh tế và Tài chính của Quốc hội`, `Ban Chỉ đạo của
            // Tỉnh ủy`: the body it belongs to ends the name.
            if t.lower == "của" && j > i && toks.get(j + 1).is_some_and(capitalised) {
                let pair = |a: &str, b: &str| {
                    toks.get(j + 1).is_some_and(|n| n.lower == a)
                        && toks.get(j + 2).is_some_and(|n| n.lower == b)
                };
                if pair("quốc", "hội") || pair("chính", "phủ") {
                    j += 3;
                    break;
                }
                if let Some(end) = proper_at(toks, j + 1) {
                    j = end;
                    break;
                }
            }
            if after_lower
                && !nested
                && (FIELD_WORDS.contains(&t.lower.as_str())
                    || GROUP_FIELDS.contains(&t.lower.as_str()))
                && !verb_pair(toks, j)
                // `Bộ Tư pháp tổng hợp …`: a verb, not a field of the name.
                && !is_stop(&t.lower)
            {
                j += 1;
                continue;
            }
            if t.lower == "và"
                && !nested
                && toks.get(j + 1).is_some_and(|n| {
                    n.kind == Kind::Word && FIELD_WORDS.contains(&n.lower.as_str())
                })
                && after_lower
            {
                j += 1;
                continue;
            }
            // `Ban Quản lý các khu công nghệ cao và khu công nghiệp`, `Ban
            // Quản lý dự án đầu tư xây dựng`: what a management board runs
            // is part of its name.
            if j >= 2 && toks[j - 2].lower == "quản" && toks[j - 1].lower == "lý" {
                let end = managed(toks, j);
                if end > j {
                    j = place_name(toks, end);
                    break;
                }
            }
            // `Bộ Ngoại giao`: the one name whose second syllable is also
            // the verb that gives work.
            let second = toks[j - 1].lower == "ngoại" && t.lower == "giao";
            if !after_lower
                && j > i
                && toks[j - 1].capital
                && (second || !is_stop(&t.lower) && !verb_pair(toks, j))
            {
                j += 1;
                after_lower = true;
                continue;
            }
            break;
        }
        match t.kind {
            Kind::Punct(',') => {
                // `Báo và Phát thanh, Truyền hình Cần Thơ`: the press body
                // of a province since 2025 holds a comma.
                if j >= 2
                    && toks[j - 2].lower == "phát"
                    && toks[j - 1].lower == "thanh"
                    && toks.get(j + 1).is_some_and(|n| n.lower == "truyền")
                {
                    j += 1;
                    continue;
                }
                if toks.get(j + 1).is_some_and(capitalised)
                    && head_at(toks, j + 1).is_none()
                    && !group_start(toks, j + 1)
                    && inner_comma(toks, j + 1)
                {
                    j += 1;
                    continue;
                }
                break;
            }
            Kind::Punct('-') => {
                if toks.get(j + 1).is_some_and(capitalised) {
                    j += 1;
                    continue;
                }
                break;
            }
            _ => break,
        }
    }
    Some(j)
}

/// What a management board runs, after `Ban Quản lý`: `các khu công nghệ
/// cao và khu công nghiệp`, `dự án đầu tư xây dựng`, `khu kinh tế`. The
/// index after it (`j` when nothing of the kind follows).
fn managed(toks: &[Token], j: usize) -> usize {
    const WORDS: &[&str] = &[
        "các", "khu", "công", "nghệ", "cao", "nghiệp", "chế", "xuất", "kinh", "tế", "dự", "án",
        "đầu", "tư", "xây", "dựng", "di", "tích", "rừng", "phòng", "hộ", "đặc", "dụng", "cảng",
        "chợ", "vịnh", "giao", "thông", "dân",
    ];
    let starts = toks
        .get(j)
        .is_some_and(|t| matches!(t.lower.as_str(), "các" | "khu" | "dự"));
    if !starts {
        return j;
    }
    let mut k = j;
    while let Some(t) = toks.get(k) {
        let word = t.kind == Kind::Word && !t.capital;
        // A word of what is run, or `và` joining two of them.
        let joins = t.lower == "và"
            && toks
                .get(k + 1)
                .is_some_and(|n| !n.capital && WORDS.contains(&n.lower.as_str()));
        if !(word && (WORDS.contains(&t.lower.as_str()) || joins)) {
            break;
        }
        k += 1;
    }
    k
}

/// `Hội Nhà báo` is one head followed by a capitalised word; `Ban Tuyên
/// giáo Tỉnh uỷ` holds the head `Tỉnh uỷ` inside: heads that name the body
/// a board belongs to continue the name.
fn continues_head(toks: &[Token], j: usize) -> bool {
    let prev = &toks[j - 1];
    if prev.kind != Kind::Word {
        return false;
    }
    matches!(
        toks[j].lower.as_str(),
        "tỉnh"
            | "huyện"
            | "thành"
            | "đảng"
            | "ủy"
            | "uỷ"
            | "ubnd"
            | "hđnd"
            | "mttq"
            | "ubmttq"
            | "ub"
            | "đoàn"
            | "hội"
            | "bch"
            | "btv"
            | "thường"
            | "trung"
            | "công"
            | "mặt"
            | "liên"
            | "bộ"
            | "phòng"
            | "văn"
            | "ban"
            | "sở"
            | "báo"
            | "đài"
    ) && !matches!(prev.lower.as_str(), "và")
}

/// After a comma inside a name, the part must look like a name's component
/// (`Thể thao và Du lịch`): capitalised words, then a lower-case syllable at
/// most, then `và`, a comma or the end of the name.
fn inner_comma(toks: &[Token], i: usize) -> bool {
    // A comma followed by a capitalised word that is the start of a sentence
    // in a list of names would be a head; anything else capitalised is taken
    // as a component when `và` + capitalised follows within a few words.
    let mut k = i;
    let mut n = 0;
    while k < toks.len() && n < 6 {
        let t = &toks[k];
        if t.kind == Kind::Word && t.lower == "và" {
            return toks.get(k + 1).is_some_and(capitalised);
        }
        if t.kind != Kind::Word {
            return false;
        }
        k += 1;
        n += 1;
    }
    false
}

/// Lower-case words that never end a two-syllable word of a name: they start
/// the text that follows it.
fn is_stop(w: &str) -> bool {
    matches!(
        w,
        "và" | "với"
            | "của"
            | "về"
            | "để"
            | "theo"
            | "trong"
            | "tại"
            | "cho"
            | "có"
            | "là"
            | "được"
            | "các"
            | "những"
            | "thực"
            | "tổ"
            | "xây"
            | "chỉ"
            | "hướng"
            | "phối"
            | "chủ"
            | "thường"
            | "tham"
            | "tổng"
            | "biên"
            | "đề"
            | "giao"
            | "sau"
            | "trước"
            | "khi"
            | "từ"
            | "đến"
            | "hoàn"
            | "gửi"
            | "nộp"
            | "kiểm"
            | "đôn"
            | "nắm"
            | "lựa"
            | "chuẩn"
            | "đăng"
            | "mở"
            | "cung"
            | "rà"
            | "chịu"
            | "căn"
            | "bố"
            | "duy"
            | "quản"
    )
}

/// Two-syllable verbs whose first syllable is also the end of a name's word
/// (`Ban Dân vận` but `… vận động`, `Ban Tuyên giáo` but `… tuyên truyền`).
fn verb_pair(toks: &[Token], j: usize) -> bool {
    let Some(next) = toks.get(j + 1) else {
        return false;
    };
    matches!(
        (toks[j].lower.as_str(), next.lower.as_str()),
        ("ban", "hành")
            | ("triển", "khai")
            | ("vận", "động")
            | ("tuyên", "truyền")
            | ("báo", "cáo")
            | ("thông", "báo")
            | ("định", "hướng")
            | ("phát", "động")
            | ("phát", "hành")
            | ("tiếp", "tục")
            | ("bảo", "đảm")
            | ("lãnh", "đạo")
    )
}

/// The rest of a list of levels after a level word: `, xã, đặc khu`,
/// `, thị xã và thành phố`. Only levels with no proper name of their own.
fn levels(toks: &[Token], mut j: usize) -> usize {
    while let Some(t) = toks.get(j) {
        let sep = matches!(t.kind, Kind::Punct(',')) || t.lower == "và";
        let Some(n) = sep.then(|| longest(toks, j + 1, PLACES)).flatten() else {
            break;
        };
        let after = j + 1 + n;
        if place_name(toks, after) != after {
            break;
        }
        j = after;
    }
    // `… tỉnh, thành phố trực thuộc Trung ương`.
    if let Some(n) = seq_at(toks, j, &["trực", "thuộc"]) {
        let k = j + n;
        if let Some(m) = seq_at(toks, k, &["trung", "ương"]) {
            return k + m;
        }
        if let Some(end) = proper_at(toks, k) {
            return end;
        }
    }
    j
}

/// A group from `các`/`mỗi` at `i`; the index after it.
fn group_from(toks: &[Token], i: usize) -> usize {
    match group_noun(toks, i + 1, true) {
        Some(_) => group_from_noun(toks, i + 1),
        None => i,
    }
}

/// A group from its first noun at `i` (which must be one); the index after
/// it.
fn group_from_noun(toks: &[Token], i: usize) -> usize {
    let noun_end = i + group_noun(toks, i, true).unwrap_or(0);
    let mut j = field_of_group(toks, noun_end);
    // `Các doanh nghiệp viễn thông, tổ chức, cá nhân có liên quan`: a group
    // narrowed to its field is one kind; nouns after its comma are others.
    let narrowed = j > noun_end;
    loop {
        // `, ` or ` và ` followed by another noun of the group.
        if let Some(t) = toks.get(j) {
            let sep = matches!(t.kind, Kind::Punct(',')) || t.lower == "và";
            // `… và các …` starts another group; `…, đơn vị` goes on, and so
            // does a list of levels (`các trường Mầm non, Tiểu học`).
            if sep && let Some(n) = longest(toks, j + 1, GROUP_QUALIFIERS) {
                j += 1 + n;
                continue;
            }
            // A capitalised head after the comma starts a proper name.
            if sep
                && !narrowed
                && toks
                    .get(j + 1)
                    .is_none_or(|t| t.lower != "các" && !t.capital)
            {
                let k = j + 1;
                if let Some(n) = group_noun(toks, k, true) {
                    j = field_of_group(toks, k + n);
                    continue;
                }
            }
            // `các sở ngành`, `các cơ quan đơn vị`: nouns of one group side
            // by side without a comma.
            if !t.capital
                && GROUP_NOUNS
                    .iter()
                    .any(|g| g.len() <= 2 && seq_at(toks, j, g) == Some(g.len()))
                && let Some(n) = group_noun(toks, j, false)
            {
                j += n;
                continue;
            }
        }
        if let Some(n) = longest(toks, j, GROUP_QUALIFIERS) {
            let is_under = toks[j].lower == "trực" || toks[j].lower == "thuộc";
            j += n;
            if is_under {
                if let Some(m) = seq_at(toks, j, &["trung", "ương"]) {
                    j += m;
                } else if let Some(end) = proper_at(toks, j) {
                    j = end;
                } else if let Some(n) = longest(toks, j, PLACES) {
                    j = place_name(toks, j + n);
                } else if toks.get(j).is_some_and(capitalised) {
                    // `cơ quan thuộc Chính phủ`: what they belong to.
                    j = place_name(toks, j);
                    if toks.get(j).is_some_and(|t| t.lower == "phủ") {
                        j += 1;
                    }
                }
            } else if toks[j - 1].lower == "bàn"
                && let Some(n) = longest(toks, j, PLACES)
            {
                j = place_name(toks, j + n);
            }
            continue;
        }
        if let Some(n) = longest(toks, j, PLACES) {
            j = place_name(toks, j + n);
            continue;
        }
        // `Trung ương` and other capitalised qualifiers: `cơ quan báo chí Trung ương`.
        if toks.get(j).is_some_and(capitalised) && head_at(toks, j).is_none() {
            j = place_name(toks, j);
            continue;
        }
        break;
    }
    j
}

/// The field a group's noun is of, in lower-case words (`các Trung tâm y
/// tế`, `các doanh nghiệp viễn thông`, `các đơn vị điện lực`): up to three
/// words of fields, none of them the start of a verb.
fn field_of_group(toks: &[Token], mut j: usize) -> usize {
    let start = j;
    while j - start < 3
        && toks.get(j).is_some_and(|t| {
            t.kind == Kind::Word
                && !t.capital
                && (FIELD_WORDS.contains(&t.lower.as_str())
                    || GROUP_FIELDS.contains(&t.lower.as_str()))
        })
        && !verb_pair(toks, j)
        && !is_stop(&toks[j].lower)
        && longest(toks, j, PLACES).is_none()
        && longest(toks, j, GROUP_QUALIFIERS).is_none()
    {
        j += 1;
    }
    // A field is whole words: `y tế`, not `y` alone before something else.
    if (j - start) % 2 == 1 && j - start < 3 {
        return start;
    }
    j
}

/// Words of fields that name kinds of firms and services rather than the
/// departments' fields (`viễn thông`, `điện lực`).
const GROUP_FIELDS: &[&str] = &["viễn", "điện", "lực", "bệnh", "tật", "sạch"];

/// One name (proper or group) at token `i`.
fn name_at(toks: &[Token], i: usize) -> Option<usize> {
    if group_start(toks, i) {
        return Some(group_from(toks, i));
    }
    proper_at(toks, i)
}

/// A group written without `các`, as lists of coordinating units do
/// (`… và đơn vị chỉnh lý`, `… với đơn vị được lựa chọn`): its noun and the
/// few words that qualify it, up to the verb.
fn bare_group_at(toks: &[Token], i: usize) -> Option<usize> {
    let t = toks.get(i)?;
    if t.kind != Kind::Word || t.capital {
        return None;
    }
    group_noun(toks, i, false)?;
    // `sở, ban, ngành`, `báo, đài`: the nouns of one group, as after `các`.
    let mut j = group_from_noun(toks, i);
    let mut extra = 0;
    while let Some(t) = toks.get(j) {
        let bare_stop = matches!(
            t.lower.as_str(),
            "trong"
                | "thực"
                | "tổ"
                | "xây"
                | "để"
                | "triển"
                | "tham"
                | "theo"
                | "tại"
                | "về"
                | "từ"
                | "với"
                | "cho"
                | "của"
                | "và"
                | "trên"
                | "khi"
                | "hoàn"
                | "gửi"
                | "nộp"
                | "chủ"
                | "phối"
                | "tổng"
                | "kiểm"
                | "báo"
                | "hỗ"
                | "phục"
        );
        if t.kind != Kind::Word || bare_stop || extra >= 4 {
            break;
        }
        if t.capital {
            j = place_name(toks, j);
            break;
        }
        j += 1;
        extra += 1;
    }
    Some(j)
}

/// A group that opens a sentence without `các`, with the clause that says
/// which of them (`Cơ quan, tổ chức, đơn vị được phân bổ giới thiệu người
/// ứng cử đại biểu Quốc hội thực hiện …`): up to the verb of the sentence.
/// Its length in bytes.
pub fn subject_group(text: &str) -> Option<usize> {
    subject_group_cased(text, true)
}

/// The same after the ground of a sentence, where the subject is written
/// in lower case (`Căn cứ vào kết quả …, cơ quan, tổ chức, đơn vị lập …`).
pub fn subject_group_after_ground(text: &str) -> Option<usize> {
    subject_group_cased(text, false)
}

fn subject_group_cased(text: &str, capital: bool) -> Option<usize> {
    let toks = tokens(text);
    let first = toks.first()?;
    // Only the nouns that such subjects are made of, and only as a list or
    // with its clause: `Tổ chức hội nghị …` and `Tỉnh đã đạt …` are no
    // subjects.
    const OPENERS: &[&[&str]] = &[
        &["cơ", "quan"],
        &["đơn", "vị"],
        &["doanh", "nghiệp"],
        &["địa", "phương"],
        &["tổ", "chức"],
    ];
    let n = longest(&toks, 0, OPENERS)?;
    if first.kind != Kind::Word || first.capital != capital || group_noun(&toks, 0, true).is_none()
    {
        return None;
    }
    let listed = toks.get(n).is_some_and(|t| t.kind == Kind::Punct(','));
    // Read as if `các` stood before it.
    let mut j = group_from_noun(&toks, 0);
    let clause = toks
        .get(j)
        .is_some_and(|t| matches!(t.lower.as_str(), "được" | "có"));
    if !listed && !clause {
        return None;
    }
    // `được phân bổ …`, `có người được giới thiệu ứng cử`: the clause runs
    // to the sentence's verb.
    const VERBS: &[&[&str]] = &[
        &["thực", "hiện"],
        &["có", "trách", "nhiệm"],
        &["chịu", "trách", "nhiệm"],
        &["tiến", "hành"],
        &["chủ", "động"],
        &["phải"],
        &["tổ", "chức"],
        &["gửi"],
        &["nộp"],
    ];
    // `cơ quan, tổ chức, đơn vị có trách nhiệm …`: the verb right after the
    // list.
    if listed && longest(&toks, j, VERBS).is_some() {
        return Some(toks[j - 1].end);
    }
    if clause {
        let start = j;
        let mut k = j + 1;
        while k < toks.len() && k - start < 25 {
            if toks[k].kind != Kind::Word {
                return None;
            }
            if longest(&toks, k, VERBS).is_some() {
                j = k;
                break;
            }
            k += 1;
        }
        if j == start {
            return None;
        }
    }
    Some(toks[j - 1].end)
}

/// A group at the start of a table cell or a heading of units, written
/// without `các` and in lower case (`tổ chức, cá nhân có liên quan`): its
/// length in bytes. Only where the text holds names and nothing else.
pub fn listed_group(text: &str) -> Option<usize> {
    let toks = tokens(text);
    let first = toks.first()?;
    if first.kind != Kind::Word || first.capital {
        return None;
    }
    // A lone noun after a comma (`…, địa phương`) goes on the name before
    // it; a list of nouns or a qualified one is a group of its own.
    let noun = group_noun(&toks, 0, true)?;
    let end = group_from_noun(&toks, 0);
    (end > noun).then(|| toks[end - 1].end)
}

/// Names listed at the start of `text`, where a group may be written
/// without `các` (the units after `phối hợp với`).
pub fn name_list_loose(text: &str) -> (Vec<String>, usize) {
    list_with(text, true)
}

/// A name as written, found at the start of `text`: its length in bytes.
pub fn name_prefix(text: &str) -> Option<usize> {
    let toks = tokens(text);
    let end = name_at(&toks, 0)?;
    Some(toks[end - 1].end)
}

/// Names listed at the start of `text` ("A, B và C …"), each as written, and
/// the byte where the list ends.
pub fn name_list(text: &str) -> (Vec<String>, usize) {
    list_with(text, false)
}

fn list_with(text: &str, loose: bool) -> (Vec<String>, usize) {
    let toks = tokens(text);
    let mut names: Vec<String> = Vec::new();
    let mut i = 0;
    let mut end_byte = 0;
    let mut last_start = 0;
    let at =
        |i: usize| name_at(&toks, i).or_else(|| if loose { bare_group_at(&toks, i) } else { None });
    while let Some(end) = at(i) {
        // `Ban Thường vụ Tỉnh ủy, Thành ủy`: a committee named after a
        // board's own committee shares the board's head — one group.
        let committee = |k: usize| {
            end - k == 2
                && toks[k].capital
                && matches!(toks[k].lower.as_str(), "tỉnh" | "thành" | "huyện" | "đảng")
                && matches!(toks[k + 1].lower.as_str(), "ủy" | "uỷ")
        };
        match names.last_mut() {
            Some(last)
                if i > 0
                    && committee(i)
                    && last.starts_with("Ban ")
                    && (last.ends_with(" ủy") || last.ends_with(" uỷ")) =>
            {
                *last = text[last_start..toks[end - 1].end].to_string();
            }
            _ => {
                last_start = toks[i].start;
                names.push(text[toks[i].start..toks[end - 1].end].to_string());
            }
        }
        end_byte = toks[end - 1].end;
        let Some(t) = toks.get(end) else { break };
        let sep = matches!(t.kind, Kind::Punct(',') | Kind::Punct(';')) || t.lower == "và";
        if !sep || at(end + 1).is_none() {
            break;
        }
        i = end + 1;
    }
    (names, end_byte)
}

/// Whether the whole of `text` (a heading) names a unit or a group, possibly
/// several joined by `và` ("Ủy ban Mặt trận … và các tổ chức …").
pub fn is_unit_heading(text: &str) -> bool {
    let t = without_role_note(text.trim().trim_end_matches([':', '.', ';']));
    if t.is_empty() {
        return false;
    }
    let toks = tokens(t);
    // `Các doanh nghiệp thứ cấp đang hoạt động trong KCN`: a group named
    // with words the reader does not follow is still a group, when the
    // heading is short and no sentence.
    if group_start(&toks, 0)
        && toks.len() <= 16
        && !toks
            .iter()
            .any(|t| matches!(t.kind, Kind::Punct(':' | ';')))
        && !text.trim_end().ends_with('.')
    {
        return true;
    }
    let mut i = 0;
    loop {
        let Some(end) = name_at(&toks, i) else {
            return false;
        };
        if end >= toks.len() {
            return true;
        }
        let t = &toks[end];
        let sep = matches!(t.kind, Kind::Punct(',') | Kind::Punct(';')) || t.lower == "và";
        if !sep {
            return false;
        }
        i = end + 1;
    }
}

/// Whether a heading names people by their post rather than a body
/// (`3. Cán bộ phụ trách lĩnh vực giám sát và phản biện xã hội`, `5. Các
/// Phó chủ tịch phụ trách lĩnh vực Dân tộc, Tôn giáo`): at a commune's
/// Front or a ministry's leadership work goes to posts, and the post is the
/// lead, as written.
pub fn is_post_heading(text: &str) -> bool {
    let t = text.trim().trim_end_matches(':');
    if t.is_empty() || t.ends_with('.') || t.contains(':') || t.split_whitespace().count() > 20 {
        return false;
    }
    let lower = t.to_lowercase();
    let lower = lower.strip_prefix("các ").unwrap_or(&lower);
    [
        "đồng chí ",
        "cán bộ ",
        "chuyên viên ",
        "phó chủ tịch ",
        "chủ tịch ",
        "giám đốc ",
        "phó giám đốc ",
        "thủ trưởng ",
        "bộ trưởng",
        "người đứng đầu ",
        "công chức ",
    ]
    .iter()
    .any(|p| lower.starts_with(p))
}

/// Posts that work is given to by name of the post.
const POSTS: &[&str] = &[
    "bộ trưởng",
    "thủ trưởng",
    "phó chủ tịch",
    "chủ tịch",
    "tổng giám đốc",
    "giám đốc",
    "chánh văn phòng",
    "người đứng đầu",
    "trưởng",
];

/// Words that end a list of posts: the verb or the manner of the sentence
/// they open.
const AFTER_POSTS: &[&str] = &[
    "theo", "có", "chịu", "chỉ", "đề", "tập", "khẩn", "chủ", "phối", "thực", "tổ", "rà", "triển",
    "căn", "trên", "quán", "nghiêm", "tiếp", "đẩy", "khẩn", "trực", "được", "cần", "phải",
];

/// The posts a sentence opens with (`Các đồng chí Bộ trưởng, Thủ trưởng
/// cơ quan ngang Bộ, cơ quan thuộc Chính phủ theo chức năng …`): each post
/// with what it is of, up to the words that say what they do.
pub fn post_list(text: &str) -> Vec<String> {
    let t = text.trim();
    let lower = t.to_lowercase();
    let skip = ["các đồng chí ", "đồng chí ", "các "]
        .iter()
        .find(|p| lower.starts_with(*p))
        .map_or(0, |p| p.len());
    let (t, lower) = (&t[skip..], &lower[skip..]);
    if !POSTS.iter().any(|p| lower.starts_with(p)) {
        return Vec::new();
    }
    let mut out: Vec<String> = Vec::new();
    let mut current = String::new();
    for piece in t.split_inclusive([',', ';']) {
        let words: Vec<&str> = piece.split_whitespace().collect();
        let p_lower = piece.trim().to_lowercase();
        let starts_post = POSTS.iter().any(|p| p_lower.starts_with(p));
        // `Chủ tịch Ủy ban nhân dân các tỉnh, thành phố trực thuộc trung
        // ương`: a level after the comma goes on the body of the post.
        let level = {
            let toks = tokens(piece.trim());
            longest(&toks, 0, PLACES).is_some()
        };
        let goes_on = p_lower.starts_with("cơ quan") || p_lower.starts_with("các ") || level;
        if !current.is_empty() && !starts_post && !goes_on {
            break;
        }
        if starts_post && !current.is_empty() {
            out.push(std::mem::take(&mut current));
        }
        // `Trưởng ban công tác Mặt trận triệu tập …`: the body of the post
        // is a name, and the post ends where that name does when a
        // lower-case word (the verb) follows it.
        let cut_at = words
            .iter()
            .enumerate()
            .skip(1)
            .find(|(_, w)| w.starts_with(char::is_uppercase))
            .and_then(|(k, _)| {
                let rest = words[k..].join(" ");
                let toks = tokens(&rest);
                let end = name_at(&toks, 0)?;
                let taken = rest[..toks[end - 1].end].split_whitespace().count();
                let next = words.get(k + taken)?;
                (next.starts_with(char::is_lowercase) && !matches!(*next, "và" | "hoặc"))
                    .then_some(k + taken)
            });
        // Up to the first word that says what they do.
        let mut kept = Vec::new();
        let mut ended = false;
        for (k, w) in words.iter().enumerate() {
            if Some(k) == cut_at {
                ended = true;
                break;
            }
            let wl = w.trim_end_matches([',', ';']).to_lowercase();
            let under = wl == "trực" && words.get(k + 1).is_some_and(|n| n.starts_with("thuộc"));
            if k > 0
                && AFTER_POSTS.contains(&wl.as_str())
                && !w.starts_with(char::is_uppercase)
                && !under
            {
                ended = true;
                break;
            }
            kept.push(*w);
        }
        if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(&kept.join(" "));
        if ended {
            break;
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out.into_iter()
        .map(|s| s.trim().trim_end_matches([',', ';']).trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

/// A heading's name without the note of its role after it: `Sở Tài chính
/// (cơ quan chủ trì)` names Sở Tài chính.
pub fn without_role_note(text: &str) -> &str {
    let t = text.trim();
    if let Some(open) = t.rfind('(')
        && t.ends_with(')')
    {
        let note = t[open..].to_lowercase();
        if ["chủ trì", "thường trực", "phối hợp", "cơ quan", "đầu mối"]
            .iter()
            .any(|w| note.contains(w))
        {
            return t[..open].trim_end();
        }
    }
    t
}

/// Where a unit name starts right after `marker` words in `text`, e.g. the
/// names after `phối hợp với`; byte offset of the first word after them.
pub fn after_words(text: &str, words: &[&str]) -> Option<usize> {
    // Most texts hold none of the words: tokens only where they may.
    if let Some(first) = words.first()
        && !text.to_lowercase().contains(first)
    {
        return None;
    }
    let toks = tokens(text);
    (0..toks.len()).find_map(|i| {
        seq_at(&toks, i, words).map(|n| toks.get(i + n).map_or(text.len(), |t| t.start))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(s: &str) -> Vec<String> {
        name_list(s).0
    }

    #[test]
    fn forces_are_groups_in_lower_case() {
        // The forces named together are one group, as `sở, ban, ngành` is.
        assert_eq!(
            super::name_list_loose("lực lượng quân đội, công an hỗ trợ vận chuyển").0,
            ["lực lượng quân đội, công an"]
        );
    }

    #[test]
    fn a_board_of_two_committees_is_one_group() {
        assert_eq!(
            list("Ban Thường vụ Tỉnh ủy, Thành ủy lãnh đạo, chỉ đạo"),
            ["Ban Thường vụ Tỉnh ủy, Thành ủy"]
        );
        // Committees listed on their own stay apart.
        assert_eq!(list("Tỉnh ủy, Thành ủy lãnh đạo"), ["Tỉnh ủy", "Thành ủy"]);
    }

    #[test]
    fn groups_name_levels_and_state_bodies() {
        assert_eq!(
            list("các ngành, các cấp tăng cường"),
            ["các ngành", "các cấp"]
        );
        assert_eq!(
            list("các cơ quan quản lý nhà nước kiểm tra"),
            ["các cơ quan quản lý nhà nước"]
        );
    }

    #[test]
    fn proper_names_end_where_the_verb_starts() {
        // The body it belongs to ends a name.
        assert_eq!(
            list(
                "Ủy ban Kinh tế và Tài chính của Quốc hội, Hội đồng dân tộc của Quốc hội phối hợp"
            ),
            [
                "Ủy ban Kinh tế và Tài chính của Quốc hội",
                "Hội đồng dân tộc của Quốc hội"
            ]
        );
        // The level a body acts at is part of its name.
        assert_eq!(
            list("Ủy ban bầu cử các cấp có trách nhiệm thông báo"),
            ["Ủy ban bầu cử các cấp"]
        );
        assert_eq!(
            list(
                "Ban Thường trực Ủy ban Mặt trận Tổ quốc Việt Nam cấp tổ chức hội nghị hiệp thương chủ trì cuộc họp"
            ),
            ["Ban Thường trực Ủy ban Mặt trận Tổ quốc Việt Nam cấp tổ chức hội nghị hiệp thương"]
        );
        assert_eq!(
            list("Ban Tổ chức Tỉnh uỷ, Văn phòng Tỉnh uỷ biên tập, phát hành"),
            ["Ban Tổ chức Tỉnh uỷ", "Văn phòng Tỉnh uỷ"]
        );
        assert_eq!(
            list("Sở Thông tin và Truyền thông, Hội Nhà báo tỉnh thường xuyên chỉ đạo"),
            ["Sở Thông tin và Truyền thông", "Hội Nhà báo tỉnh"]
        );
        assert_eq!(
            list("Tỉnh Đoàn thanh niên, Liên đoàn Lao động tỉnh tổ chức các hoạt động"),
            ["Tỉnh Đoàn thanh niên", "Liên đoàn Lao động tỉnh"]
        );
        assert_eq!(
            list(
                "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh và các đoàn thể chính trị - xã hội tổng hợp ý kiến"
            ),
            [
                "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh",
                "các đoàn thể chính trị - xã hội"
            ]
        );
        assert_eq!(
            list("Sở Văn hóa, Thể thao và Du lịch chủ trì"),
            ["Sở Văn hóa, Thể thao và Du lịch"]
        );
        assert_eq!(
            list("Ban Tuyên giáo Tỉnh uỷ xây dựng các tài liệu"),
            ["Ban Tuyên giáo Tỉnh uỷ"]
        );
        assert_eq!(
            list("Ban Dân vận Tỉnh uỷ, Ban Tổ chức Tỉnh ủy"),
            ["Ban Dân vận Tỉnh uỷ", "Ban Tổ chức Tỉnh ủy"]
        );
        assert_eq!(
            list("Tỉnh uỷ Cao Bằng ban hành Kế hoạch"),
            ["Tỉnh uỷ Cao Bằng"]
        );
        assert_eq!(
            list("Hội Cựu chiến binh tỉnh, Hội Nông dân tỉnh"),
            ["Hội Cựu chiến binh tỉnh", "Hội Nông dân tỉnh"]
        );
        assert_eq!(
            list("các ngành, đơn vị liên quan tổ chức các hoạt động"),
            ["các ngành, đơn vị liên quan"]
        );
        assert_eq!(
            list("các cơ quan, đơn vị liên quan xây dựng"),
            ["các cơ quan, đơn vị liên quan"]
        );
        assert_eq!(list("các ngành chức năng tổ chức"), ["các ngành chức năng"]);
        assert_eq!(
            list("UBND các huyện, thành phố triển khai"),
            ["UBND các huyện, thành phố"]
        );
        assert_eq!(
            list("Đài Phát thanh - Truyền hình Cao Bằng thực hiện"),
            ["Đài Phát thanh - Truyền hình Cao Bằng"]
        );
    }

    #[test]
    fn headings_that_are_units() {
        for h in [
            "Các huyện, thành ủy, đảng ủy trực thuộc Tỉnh ủy",
            "Ban Tuyên giáo Tỉnh uỷ",
            "Ủy ban Mặt trận Tổ quốc Việt Nam và các tổ chức chính trị - xã hội cấp tỉnh",
            "Sở Văn hóa, Thể thao và Du lịch",
            "Văn phòng Ủy ban nhân dân tỉnh",
            "Các cơ quan báo chí của tỉnh",
            "Báo Cao Bằng",
            "Đài Phát thanh - Truyền hình Cao Bằng",
            "Trường Chính trị Hoàng Đình Giông",
            "Sở Nội vụ",
        ] {
            assert!(is_unit_heading(h), "{h}");
        }
        for h in [
            "Phân công nhiệm vụ",
            "Chế độ thông tin, báo cáo; trách nhiệm theo dõi, kiểm tra",
            "Đề nghị Ban cán sự đảng Ủy ban nhân dân tỉnh chỉ đạo Ủy ban nhân dân tỉnh",
        ] {
            assert!(!is_unit_heading(h), "{h}");
        }
    }
}
#[cfg(test)]
mod headings {
    use super::*;

    #[test]
    fn a_heading_names_its_units_around_notes_and_level_lists() {
        assert!(is_unit_heading("Sở Tài chính (cơ quan chủ trì)"));
        assert_eq!(
            without_role_note("Sở Tài chính (cơ quan chủ trì)"),
            "Sở Tài chính"
        );
        assert_eq!(
            name_list("Ủy ban nhân dân phường, xã, đặc khu").0,
            ["Ủy ban nhân dân phường, xã, đặc khu"]
        );
        assert_eq!(
            name_list("Các sở ngành liên quan, Sở Nội vụ").0,
            ["Các sở ngành liên quan", "Sở Nội vụ"]
        );
        assert_eq!(
            name_list("Ủy ban nhân dân tỉnh, thành phố trực thuộc Trung ương thực hiện").0,
            ["Ủy ban nhân dân tỉnh, thành phố trực thuộc Trung ương"]
        );
        assert_eq!(
            name_list("Bộ Ngoại giao, Bộ Nội vụ hướng dẫn").0,
            ["Bộ Ngoại giao", "Bộ Nội vụ"]
        );
        assert_eq!(
            name_list("Ủy ban nhân dân các tỉnh, thành phố:").0,
            ["Ủy ban nhân dân các tỉnh, thành phố"]
        );
        assert_eq!(
            name_list("Bộ Y tế, Bộ Nông nghiệp và Môi trường, các bộ, cơ quan liên quan hướng dẫn")
                .0,
            [
                "Bộ Y tế",
                "Bộ Nông nghiệp và Môi trường",
                "các bộ, cơ quan liên quan"
            ]
        );
        assert_eq!(
            name_list(
                "Đài Tiếng nói Việt Nam, Thông tấn xã Việt Nam và các cơ quan báo chí đưa tin"
            )
            .0,
            [
                "Đài Tiếng nói Việt Nam",
                "Thông tấn xã Việt Nam",
                "các cơ quan báo chí"
            ]
        );
        assert!(is_post_heading(
            "Các Phó chủ tịch phụ trách lĩnh vực Dân tộc, Tôn giáo và các Hội quần chúng"
        ));
        assert!(is_post_heading(
            "Cán bộ phụ trách lĩnh vực giám sát và phản biện xã hội"
        ));
        assert!(!is_post_heading(
            "Cán bộ, công chức thực hiện nghiêm túc kế hoạch."
        ));
        assert!(!is_post_heading("Sở Nội vụ"));
        assert_eq!(
            post_list(
                "Các đồng chí Bộ trưởng, Thủ trưởng cơ quan ngang Bộ, cơ quan thuộc Chính phủ theo chức năng đề cao trách nhiệm"
            ),
            [
                "Bộ trưởng",
                "Thủ trưởng cơ quan ngang Bộ, cơ quan thuộc Chính phủ"
            ]
        );
        assert!(post_list("Sở Tài chính chủ trì").is_empty());
        assert_eq!(
            post_list("Trưởng ban công tác Mặt trận triệu tập và chủ trì hội nghị"),
            ["Trưởng ban công tác Mặt trận"]
        );
        assert_eq!(
            post_list("Trưởng ban công tác Mặt trận tổng hợp ý kiến và kết luận hội nghị;"),
            ["Trưởng ban công tác Mặt trận"]
        );
        assert_eq!(
            post_list(
                "Bộ trưởng, Thủ trưởng cơ quan ngang bộ, Chủ tịch Ủy ban nhân dân các tỉnh, thành phố trực thuộc trung ương chịu trách nhiệm"
            ),
            [
                "Bộ trưởng",
                "Thủ trưởng cơ quan ngang bộ",
                "Chủ tịch Ủy ban nhân dân các tỉnh, thành phố trực thuộc trung ương"
            ]
        );
        assert_eq!(
            name_list("các bộ, cơ quan ngang bộ, cơ quan thuộc Chính phủ và Ủy ban nhân dân các tỉnh phối hợp").0,
            ["các bộ, cơ quan ngang bộ, cơ quan thuộc Chính phủ", "Ủy ban nhân dân các tỉnh"]
        );
        // Groups with the field they are of, lists of kinds, `khác`.
        assert_eq!(
            name_list("Bộ Tư pháp tổng hợp, báo cáo Thủ tướng Chính phủ").0,
            ["Bộ Tư pháp"]
        );
        assert_eq!(
            name_list("Các Trung tâm y tế giám sát tuyến xã").0,
            ["Các Trung tâm y tế"]
        );
        assert_eq!(
            name_list("Trung tâm Kiểm soát bệnh tật tỉnh chủ trì").0,
            ["Trung tâm Kiểm soát bệnh tật tỉnh"]
        );
        assert_eq!(
            name_list("các doanh nghiệp viễn thông trên địa bàn Thành phố triển khai").0,
            ["các doanh nghiệp viễn thông trên địa bàn Thành phố"]
        );
        assert_eq!(
            name_list("các tổ chức, cá nhân có liên quan thực hiện").0,
            ["các tổ chức, cá nhân có liên quan"]
        );
        assert_eq!(
            name_list("các cơ quan báo chí, phát thanh, truyền hình khác đưa tin").0,
            ["các cơ quan báo chí, phát thanh, truyền hình khác"]
        );
        assert_eq!(
            name_list("Chủ tịch Ủy ban nhân dân các tỉnh, thành phố trực thuộc trung ương chỉ đạo")
                .0,
            ["Ủy ban nhân dân các tỉnh, thành phố trực thuộc trung ương"][..0]
        );
        assert_eq!(
            name_list("Ủy ban nhân dân các tỉnh, thành phố trực thuộc trung ương chỉ đạo").0,
            ["Ủy ban nhân dân các tỉnh, thành phố trực thuộc trung ương"]
        );
        assert_eq!(
            subject_group(
                "Cơ quan, tổ chức, đơn vị được phân bổ giới thiệu người ứng cử đại biểu Quốc hội thực hiện việc giới thiệu"
            ),
            Some(
                "Cơ quan, tổ chức, đơn vị được phân bổ giới thiệu người ứng cử đại biểu Quốc hội"
                    .len()
            )
        );
        assert_eq!(subject_group("Tổ chức hội nghị lấy ý kiến"), None);
        assert_eq!(
            name_list(
                "Ban Quản lý các khu công nghệ cao và khu công nghiệp, Sở Khoa học và Công nghệ"
            )
            .0,
            [
                "Ban Quản lý các khu công nghệ cao và khu công nghiệp",
                "Sở Khoa học và Công nghệ"
            ]
        );
        assert_eq!(
            name_list("Các doanh nghiệp viễn thông, tổ chức, cá nhân có liên quan").0,
            ["Các doanh nghiệp viễn thông"]
        );
        assert_eq!(
            listed_group("tổ chức, cá nhân có liên quan"),
            Some("tổ chức, cá nhân có liên quan".len())
        );
        assert_eq!(
            name_list("Báo và Phát thanh, Truyền hình tỉnh, Sở Tư pháp thực hiện").0,
            ["Báo và Phát thanh, Truyền hình tỉnh", "Sở Tư pháp"]
        );
        assert_eq!(
            name_list("Ban Quản lý các khu chế xuất và công nghiệp Cần Thơ chủ trì").0,
            ["Ban Quản lý các khu chế xuất và công nghiệp Cần Thơ"]
        );
        assert_eq!(
            name_list_loose("sở, ban, ngành, Ủy ban nhân dân xã, phường thực hiện").0,
            ["sở, ban, ngành", "Ủy ban nhân dân xã, phường"]
        );
        assert_eq!(
            name_list_loose(
                "Ủy ban nhân dân phường, xã, đặc khu, báo, đài và các đơn vị có liên quan"
            )
            .0,
            [
                "Ủy ban nhân dân phường, xã, đặc khu",
                "báo, đài",
                "các đơn vị có liên quan"
            ]
        );
        // `hội nghị` is no `hội`: a bare group does not start a sentence.
        assert!(
            name_list_loose("tổ chức hội nghị toàn thể cử tri")
                .0
                .is_empty()
        );
        // A level with a place of its own ends the list: two bodies.
        assert_eq!(
            name_list("Ủy ban nhân dân tỉnh, Sở Nội vụ").0,
            ["Ủy ban nhân dân tỉnh", "Sở Nội vụ"]
        );
    }
}
