//! Vietnamese text in the legacy 8-bit encodings.
//!
//! Government files are still typed in TCVN3 (the ".Vn" fonts) or VNI (the
//! "VNI-" fonts). Read as UTF-8 or Windows-1252 such text is mojibake
//! ("§¶ng", "Ñaûng"), so the importer detects the encoding and converts the
//! text to Unicode NFC before anything else reads it.
//!
//! Detection scores each candidate reading by how much of it consists of
//! valid Vietnamese syllables: the right reading is almost entirely valid,
//! the wrong ones are full of stray symbols and impossible letter clusters.
//!
//! All tables are arrays indexed by byte or code point, so decoding is one
//! linear pass.

use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

/// The encodings a document can arrive in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Tcvn3,
    Vni,
    Windows1252,
}

impl Encoding {
    /// Name shown to the user when reporting what an import detected.
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Tcvn3 => "TCVN3 (ABC)",
            Encoding::Vni => "VNI Windows",
            Encoding::Windows1252 => "Windows-1252",
        }
    }

    /// Short name used inside error messages.
    fn short_name(self) -> &'static str {
        match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Tcvn3 => "TCVN3",
            Encoding::Vni => "VNI",
            Encoding::Windows1252 => "Windows-1252",
        }
    }
}

// ---------------------------------------------------------------------------
// The Vietnamese alphabet
// ---------------------------------------------------------------------------

/// Vowel rows: the bare vowel, then its tones in the order huyền (grave),
/// hỏi (hook), ngã (tilde), sắc (acute), nặng (dot below). TCVN3 lays out its
/// bytes in this same order, which keeps its table short.
const VOWELS: [[char; 6]; 12] = [
    ['a', 'à', 'ả', 'ã', 'á', 'ạ'],
    ['ă', 'ằ', 'ẳ', 'ẵ', 'ắ', 'ặ'],
    ['â', 'ầ', 'ẩ', 'ẫ', 'ấ', 'ậ'],
    ['e', 'è', 'ẻ', 'ẽ', 'é', 'ẹ'],
    ['ê', 'ề', 'ể', 'ễ', 'ế', 'ệ'],
    ['i', 'ì', 'ỉ', 'ĩ', 'í', 'ị'],
    ['o', 'ò', 'ỏ', 'õ', 'ó', 'ọ'],
    ['ô', 'ồ', 'ổ', 'ỗ', 'ố', 'ộ'],
    ['ơ', 'ờ', 'ở', 'ỡ', 'ớ', 'ợ'],
    ['u', 'ù', 'ủ', 'ũ', 'ú', 'ụ'],
    ['ư', 'ừ', 'ử', 'ữ', 'ứ', 'ự'],
    ['y', 'ỳ', 'ỷ', 'ỹ', 'ý', 'ỵ'],
];

const VOWELS_UPPER: [[char; 6]; 12] = [
    ['A', 'À', 'Ả', 'Ã', 'Á', 'Ạ'],
    ['Ă', 'Ằ', 'Ẳ', 'Ẵ', 'Ắ', 'Ặ'],
    ['Â', 'Ầ', 'Ẩ', 'Ẫ', 'Ấ', 'Ậ'],
    ['E', 'È', 'Ẻ', 'Ẽ', 'É', 'Ẹ'],
    ['Ê', 'Ề', 'Ể', 'Ễ', 'Ế', 'Ệ'],
    ['I', 'Ì', 'Ỉ', 'Ĩ', 'Í', 'Ị'],
    ['O', 'Ò', 'Ỏ', 'Õ', 'Ó', 'Ọ'],
    ['Ô', 'Ồ', 'Ổ', 'Ỗ', 'Ố', 'Ộ'],
    ['Ơ', 'Ờ', 'Ở', 'Ỡ', 'Ớ', 'Ợ'],
    ['U', 'Ù', 'Ủ', 'Ũ', 'Ú', 'Ụ'],
    ['Ư', 'Ừ', 'Ử', 'Ữ', 'Ứ', 'Ự'],
    ['Y', 'Ỳ', 'Ỷ', 'Ỹ', 'Ý', 'Ỵ'],
];

// Row indices into `VOWELS`.
const V_A: u8 = 0;
const V_A_BREVE: u8 = 1;
const V_A_CIRC: u8 = 2;
const V_E: u8 = 3;
const V_E_CIRC: u8 = 4;
const V_I: u8 = 5;
const V_O: u8 = 6;
const V_O_CIRC: u8 = 7;
const V_O_HORN: u8 = 8;
const V_U: u8 = 9;
const V_U_HORN: u8 = 10;
const V_Y: u8 = 11;
/// Not a vowel: stands for đ/Đ so one packed byte describes every letter.
const D_BAR: u8 = 12;

// Tone indices (columns of `VOWELS`).
const T_ACUTE: u8 = 4;
const T_DOT: u8 = 5;

/// A non-ASCII Vietnamese letter: which vowel row (or đ), tone, case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Letter {
    vowel: u8,
    tone: u8,
    upper: bool,
}

impl Letter {
    /// Lowercase letter without its tone, the unit the syllable checker reads.
    fn base(self) -> char {
        letter_char(self.vowel, 0, false)
    }
}

const fn letter_char(vowel: u8, tone: u8, upper: bool) -> char {
    if vowel == D_BAR {
        if upper { 'Đ' } else { 'đ' }
    } else if upper {
        VOWELS_UPPER[vowel as usize][tone as usize]
    } else {
        VOWELS[vowel as usize][tone as usize]
    }
}

/// Packs a letter in one byte (0 = not a Vietnamese letter) so the
/// code-point lookup tables stay small arrays.
const fn pack(vowel: u8, tone: u8, upper: bool) -> u8 {
    (vowel + 1) | (tone << 4) | if upper { 0x80 } else { 0 }
}

const fn unpack(x: u8) -> Option<Letter> {
    if x == 0 {
        None
    } else {
        Some(Letter {
            vowel: (x & 0x0F) - 1,
            tone: (x >> 4) & 0x07,
            upper: x & 0x80 != 0,
        })
    }
}

/// Letter info for the code points from `lo` on; Vietnamese letters live in
/// U+00C0..U+01B0 and U+1EA0..U+1EF9, so two small arrays cover them all.
const fn build_letter_info<const N: usize>(lo: u32) -> [u8; N] {
    let mut table = [0u8; N];
    let mut v = 0;
    while v <= D_BAR as usize {
        let mut t = 0;
        while t < 6 {
            if v == D_BAR as usize && t > 0 {
                break;
            }
            let mut case = 0;
            while case < 2 {
                let upper = case == 1;
                let c = letter_char(v as u8, t as u8, upper) as u32;
                if c >= lo && c < lo + N as u32 {
                    table[(c - lo) as usize] = pack(v as u8, t as u8, upper);
                }
                case += 1;
            }
            t += 1;
        }
        v += 1;
    }
    table
}

const LATIN_LO: u32 = 0xC0;
const LATIN_INFO: [u8; 0x1B1 - 0xC0] = build_letter_info(LATIN_LO);
const EXT_LO: u32 = 0x1EA0;
const EXT_INFO: [u8; 0x1EFA - 0x1EA0] = build_letter_info(EXT_LO);

/// The Vietnamese letter `c` is, if it is one beyond plain ASCII.
fn letter(c: char) -> Option<Letter> {
    let u = c as u32;
    let packed = if (LATIN_LO..LATIN_LO + LATIN_INFO.len() as u32).contains(&u) {
        LATIN_INFO[(u - LATIN_LO) as usize]
    } else if (EXT_LO..EXT_LO + EXT_INFO.len() as u32).contains(&u) {
        EXT_INFO[(u - EXT_LO) as usize]
    } else {
        0
    };
    unpack(packed)
}

// ---------------------------------------------------------------------------
// Windows-1252: the fallback, and how legacy bytes show up as characters
// ---------------------------------------------------------------------------

/// Windows-1252 in 0x80..0x9F. The five undefined bytes keep their C1
/// control code points, as Word and browsers do, so every byte has a char.
const CP1252_HIGH: [char; 32] = [
    '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8D}', 'Ž', '\u{8F}',
    '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9D}', 'ž', 'Ÿ',
];

const fn build_cp1252() -> [char; 256] {
    let mut table = ['\0'; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = if b >= 0x80 && b < 0xA0 {
            CP1252_HIGH[b - 0x80]
        } else {
            b as u8 as char
        };
        b += 1;
    }
    table
}

const CP1252_DECODE: [char; 256] = build_cp1252();

/// The byte a character stands for when legacy bytes were read as Latin-1
/// or Windows-1252 (a DOCX run in a legacy font, or a mis-decoded file).
/// C1 controls map to their own byte since some readers produce them.
fn legacy_byte(c: char) -> Option<u8> {
    let u = c as u32;
    if u <= 0xFF {
        return Some(u as u8);
    }
    CP1252_HIGH
        .iter()
        .position(|&h| h == c)
        .map(|i| 0x80 + i as u8)
}

// ---------------------------------------------------------------------------
// TCVN3 (TCVN 5712:1993, VN3)
// ---------------------------------------------------------------------------

/// Bytes of the toned lowercase vowels, per row of `VOWELS`, tones in the
/// same order (huyền, hỏi, ngã, sắc, nặng). The runs skip a few bytes
/// (0xBA, 0xBF..0xC5, 0xCD, 0xD9..0xDB, 0xE0, 0xF0), which VN3 leaves
/// unassigned.
const TCVN3_TONED: [[u8; 5]; 12] = [
    [0xB5, 0xB6, 0xB7, 0xB8, 0xB9], // a
    [0xBB, 0xBC, 0xBD, 0xBE, 0xC6], // ă
    [0xC7, 0xC8, 0xC9, 0xCA, 0xCB], // â
    [0xCC, 0xCE, 0xCF, 0xD0, 0xD1], // e
    [0xD2, 0xD3, 0xD4, 0xD5, 0xD6], // ê
    [0xD7, 0xD8, 0xDC, 0xDD, 0xDE], // i
    [0xDF, 0xE1, 0xE2, 0xE3, 0xE4], // o
    [0xE5, 0xE6, 0xE7, 0xE8, 0xE9], // ô
    [0xEA, 0xEB, 0xEC, 0xED, 0xEE], // ơ
    [0xEF, 0xF1, 0xF2, 0xF3, 0xF4], // u
    [0xF5, 0xF6, 0xF7, 0xF8, 0xF9], // ư
    [0xFA, 0xFB, 0xFC, 0xFD, 0xFE], // y
];

/// The untoned letters with a diacritic: (vowel row or đ, lowercase byte,
/// uppercase byte). These seven are the only capitals TCVN3 has.
const TCVN3_PLAIN: [(u8, u8, u8); 7] = [
    (V_A_BREVE, 0xA8, 0xA1),
    (V_A_CIRC, 0xA9, 0xA2),
    (V_E_CIRC, 0xAA, 0xA3),
    (V_O_CIRC, 0xAB, 0xA4),
    (V_O_HORN, 0xAC, 0xA5),
    (V_U_HORN, 0xAD, 0xA6),
    (D_BAR, 0xAE, 0xA7),
];

/// Byte → char. Capitals with a tone do not exist in TCVN3: the ".VnTimeH"
/// style fonts draw the lowercase code points as capitals, so such text
/// decodes to lowercase; the bytes carry no case, so nothing better is
/// possible. Unassigned bytes keep their Windows-1252 meaning.
const fn build_tcvn3() -> [char; 256] {
    let mut table = build_cp1252();
    let mut v = 0;
    while v < 12 {
        let mut t = 0;
        while t < 5 {
            table[TCVN3_TONED[v][t] as usize] = VOWELS[v][t + 1];
            t += 1;
        }
        v += 1;
    }
    let mut k = 0;
    while k < TCVN3_PLAIN.len() {
        let (vowel, lower, upper) = TCVN3_PLAIN[k];
        table[lower as usize] = letter_char(vowel, 0, false);
        table[upper as usize] = letter_char(vowel, 0, true);
        k += 1;
    }
    table
}

const TCVN3_DECODE: [char; 256] = build_tcvn3();

fn decode_tcvn3(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() + bytes.len() / 2);
    for &b in bytes {
        out.push(TCVN3_DECODE[b as usize]);
    }
    out
}

fn encode_tcvn3_letter(l: Letter) -> Option<u8> {
    if l.tone == 0 {
        TCVN3_PLAIN
            .iter()
            .find(|p| p.0 == l.vowel)
            .map(|p| if l.upper { p.2 } else { p.1 })
    } else if !l.upper && l.vowel < D_BAR {
        Some(TCVN3_TONED[l.vowel as usize][l.tone as usize - 1])
    } else {
        None
    }
}

// ---------------------------------------------------------------------------
// VNI Windows
// ---------------------------------------------------------------------------

// VNI writes most letters as a base byte plus one modifier byte. Every
// capital uses the byte 0x20 below its lowercase one (the Latin-1 case
// pairs), for base letters and modifiers alike.
const VNI_CASE_SHIFT: u8 = 0x20;
/// Tone modifiers: huyền, hỏi, ngã, sắc, nặng.
const VNI_TONE: [u8; 5] = [0xF8, 0xFB, 0xF5, 0xF9, 0xEF];
/// Circumflex (â ê ô) alone, then combined with each tone.
const VNI_CIRC: [u8; 6] = [0xE2, 0xE0, 0xE5, 0xE3, 0xE1, 0xE4];
/// Breve (ă) alone, then combined with each tone.
const VNI_BREVE: [u8; 6] = [0xEA, 0xE8, 0xFA, 0xFC, 0xE9, 0xEB];
/// Toned i are single bytes: ì ỉ ĩ í ị.
const VNI_I: [u8; 5] = [0xEC, 0xE6, 0xF3, 0xED, 0xF2];
/// ỵ is a single byte too; the other toned y are y + tone.
const VNI_Y_DOT: u8 = 0xEE;
/// ơ, ư, đ are single base bytes.
const VNI_O_HORN: u8 = 0xF4;
const VNI_U_HORN: u8 = 0xF6;
const VNI_D_BAR: u8 = 0xF1;

// Modifier kinds, packed as kind << 4 | tone.
const MOD_TONE: u8 = 1;
const MOD_CIRC: u8 = 2;
const MOD_BREVE: u8 = 3;

struct VniTables {
    /// Stand-alone meaning of each byte.
    single: [char; 256],
    /// Packed letter (see `pack`) for bytes that take modifiers, else 0.
    base: [u8; 256],
    /// Packed modifier, else 0.
    modifier: [u8; 256],
}

const fn build_vni() -> VniTables {
    let mut single = build_cp1252();
    let mut base = [0u8; 256];
    let mut modifier = [0u8; 256];
    let mut case = 0;
    while case < 2 {
        let upper = case == 1;
        let shift = if upper { VNI_CASE_SHIFT } else { 0 };
        let mut t = 0;
        while t < 5 {
            single[(VNI_I[t] - shift) as usize] = letter_char(V_I, t as u8 + 1, upper);
            modifier[(VNI_TONE[t] - shift) as usize] = (MOD_TONE << 4) | (t as u8 + 1);
            t += 1;
        }
        let mut t = 0;
        while t < 6 {
            modifier[(VNI_CIRC[t] - shift) as usize] = (MOD_CIRC << 4) | t as u8;
            modifier[(VNI_BREVE[t] - shift) as usize] = (MOD_BREVE << 4) | t as u8;
            t += 1;
        }
        single[(VNI_Y_DOT - shift) as usize] = letter_char(V_Y, T_DOT, upper);
        single[(VNI_D_BAR - shift) as usize] = letter_char(D_BAR, 0, upper);
        let bases: [(u8, u8); 8] = [
            (b'a', V_A),
            (b'e', V_E),
            (b'i', V_I),
            (b'o', V_O),
            (b'u', V_U),
            (b'y', V_Y),
            (VNI_O_HORN, V_O_HORN),
            (VNI_U_HORN, V_U_HORN),
        ];
        let mut k = 0;
        while k < bases.len() {
            let (byte, vowel) = bases[k];
            base[(byte - shift) as usize] = pack(vowel, 0, upper);
            if byte >= 0x80 {
                single[(byte - shift) as usize] = letter_char(vowel, 0, upper);
            }
            k += 1;
        }
        case += 1;
    }
    VniTables {
        single,
        base,
        modifier,
    }
}

const VNI: VniTables = build_vni();

fn decode_vni(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() + bytes.len() / 2);
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let Some(base) = unpack(VNI.base[b as usize]) else {
            out.push(VNI.single[b as usize]);
            i += 1;
            continue;
        };
        let (mut vowel, mut tone) = (base.vowel, 0u8);
        let mut j = i + 1;
        // Canonical text has one modifier; a second is accepted when it
        // still makes a letter (e.g. "a" + breve + tone typed separately),
        // since VNI fonts draw modifiers as zero-width marks either way.
        // Lowercase and capital modifiers are accepted on either case of
        // base: the font difference is only the mark's height.
        while j < bytes.len() && j < i + 3 {
            let m = VNI.modifier[bytes[j] as usize];
            let (kind, t) = (m >> 4, m & 0x0F);
            let shaped = match (kind, vowel) {
                (MOD_CIRC, V_A) => V_A_CIRC,
                (MOD_CIRC, V_E) => V_E_CIRC,
                (MOD_CIRC, V_O) => V_O_CIRC,
                (MOD_BREVE, V_A) => V_A_BREVE,
                (MOD_TONE, v) if tone == 0 => v,
                _ => break,
            };
            if kind != MOD_TONE && t != 0 && tone != 0 {
                break;
            }
            vowel = shaped;
            if t != 0 {
                tone = t;
            }
            j += 1;
        }
        out.push(letter_char(vowel, tone, base.upper));
        i = j;
    }
    out
}

/// VNI bytes of one Vietnamese letter (one or two bytes).
fn encode_vni_letter(l: Letter, out: &mut Vec<u8>) {
    let t = l.tone as usize;
    let tone = (t > 0).then(|| VNI_TONE[t - 1]);
    // Lowercase bytes; capitals are all 0x20 lower.
    let (base, modifier) = match l.vowel {
        D_BAR => (VNI_D_BAR, None),
        V_I if t > 0 => (VNI_I[t - 1], None),
        V_Y if l.tone == T_DOT => (VNI_Y_DOT, None),
        V_A_BREVE => (b'a', Some(VNI_BREVE[t])),
        V_A_CIRC => (b'a', Some(VNI_CIRC[t])),
        V_E_CIRC => (b'e', Some(VNI_CIRC[t])),
        V_O_CIRC => (b'o', Some(VNI_CIRC[t])),
        V_O_HORN => (VNI_O_HORN, tone),
        V_U_HORN => (VNI_U_HORN, tone),
        v => (VOWELS[v as usize][0] as u8, tone),
    };
    let shift = if l.upper { VNI_CASE_SHIFT } else { 0 };
    out.push(base - shift);
    if let Some(m) = modifier {
        out.push(m - shift);
    }
}

// ---------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------

/// Decode raw file bytes: a UTF-8 BOM or valid UTF-8 whose letters look
/// Vietnamese (or plain ASCII) → Utf8; otherwise score the TCVN3 and VNI
/// readings and pick the one that yields more valid Vietnamese syllables;
/// return text in NFC.
///
/// Files carry no label, so the bytes themselves must tell: genuine UTF-8 is
/// never converted, and a legacy reading is used only when it reads as
/// Vietnamese. Bytes that are neither fall back to Windows-1252.
pub fn decode_bytes(bytes: &[u8]) -> (String, Encoding) {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return (
            nfc(String::from_utf8_lossy(rest).into_owned()),
            Encoding::Utf8,
        );
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        if text.is_ascii() {
            return (text.to_owned(), Encoding::Utf8);
        }
        // Every character stands for one byte: possibly legacy text that a
        // tool read as Latin-1 and saved as UTF-8 ("§¶ng", "Ñaûng").
        // `repair_text` keeps it when it is correct Vietnamese already.
        if text.chars().all(|c| legacy_byte(c).is_some()) {
            return repair_text(text);
        }
        // Legacy bytes >= 0x80 almost never line up as valid UTF-8; if they
        // did, the result would hold letters of other scripts or C1 controls.
        if text.chars().all(expected_in_unicode_text) {
            return (nfc(text.to_owned()), Encoding::Utf8);
        }
        // The sample ends at ASCII whitespace, so it is valid UTF-8 too.
        let own = score(std::str::from_utf8(evidence_prefix(bytes)).unwrap_or(text));
        if let Some((legacy, enc, s)) = best_legacy(bytes)
            && s.net() > own.net()
            && s.convincing()
        {
            return (legacy, enc);
        }
        return (nfc(text.to_owned()), Encoding::Utf8);
    }

    // Not UTF-8. A mostly-UTF-8 file with a few damaged bytes competes
    // too, so that one bad byte does not turn a Unicode file into mojibake.
    // Scored on the same sample as the legacy readings, to compare alike.
    let lossy_score = score(&String::from_utf8_lossy(evidence_prefix(bytes)));
    if let Some((legacy, enc, s)) = best_legacy(bytes)
        && s.net() > 0
        && s.net() > lossy_score.net()
    {
        return (legacy, enc);
    }
    let (multibyte, broken) = utf8_health(bytes);
    if lossy_score.net() > 0 || multibyte > broken {
        return (decode_as(bytes, Encoding::Utf8), Encoding::Utf8);
    }
    (
        decode_as(bytes, Encoding::Windows1252),
        Encoding::Windows1252,
    )
}

/// Text whose characters are all U+0000..U+00FF (e.g. a DOCX run in a .Vn or
/// VNI font, or UTF-8 text that is really mis-decoded legacy bytes) → detect
/// and convert; Unicode Vietnamese text that is already correct is returned
/// unchanged (NFC) with Encoding::Utf8.
///
/// Windows-1252 punctuation (curly quotes, dashes) counts as the byte it
/// stands for, since that is how such bytes come out of a Windows reader.
/// Correct Vietnamese made only of Latin-1 letters ("Hoàn thành") is kept:
/// a legacy reading must score strictly better to win.
pub fn repair_text(text: &str) -> (String, Encoding) {
    let mut bytes = Vec::with_capacity(text.len());
    for c in text.chars() {
        match legacy_byte(c) {
            Some(b) => bytes.push(b),
            None => return (nfc(text.to_owned()), Encoding::Utf8),
        }
    }
    if bytes.is_ascii() {
        return (text.to_owned(), Encoding::Utf8);
    }
    // Score the same stretch the legacy readings are scored on.
    let sample_chars = evidence_prefix(&bytes).len();
    let sample = text
        .char_indices()
        .nth(sample_chars)
        .map_or(text, |(i, _)| &text[..i]);
    let own = score(sample);
    if let Some((legacy, enc, s)) = best_legacy(&bytes)
        && s.net() > own.net()
        && s.convincing()
    {
        return (legacy, enc);
    }
    (nfc(text.to_owned()), Encoding::Utf8)
}

/// Font-name hint from a DOCX run: ".VnTime", ".VnTimeH", ".VnArial" → Tcvn3;
/// "VNI-Times", "VNI-Helve" … → Vni; else None.
///
/// The font is the most reliable evidence there is: the ABC package named
/// every TCVN3 font with a leading ".Vn", the VNI package with "VNI-".
pub fn encoding_of_font(font: &str) -> Option<Encoding> {
    let name = font.trim().as_bytes();
    let starts = |prefix: &[u8]| {
        name.len() >= prefix.len() && name[..prefix.len()].eq_ignore_ascii_case(prefix)
    };
    if starts(b".vn") {
        Some(Encoding::Tcvn3)
    } else if starts(b"vni-") || starts(b"vni ") || starts(b"vni_") {
        Some(Encoding::Vni)
    } else {
        None
    }
}

/// Convert text known to be in `enc` (chars U+0000..U+00FF standing for
/// bytes) to Unicode NFC.
///
/// Used when the encoding is known from a font hint. A DOCX run's text
/// becomes these bytes with `encode(run, Encoding::Windows1252)`, which
/// accepts every character standing for a byte.
pub fn decode_as(text_bytes: &[u8], enc: Encoding) -> String {
    // The legacy tables yield only precomposed letters, Latin-1 and
    // Windows-1252 characters, none of which combine, so their output is NFC
    // as it stands (checked by a test over every byte).
    match enc {
        Encoding::Utf8 => {
            let bytes = text_bytes
                .strip_prefix(b"\xEF\xBB\xBF")
                .unwrap_or(text_bytes);
            nfc(String::from_utf8_lossy(bytes).into_owned())
        }
        Encoding::Tcvn3 => decode_tcvn3(text_bytes),
        Encoding::Vni => decode_vni(text_bytes),
        Encoding::Windows1252 => text_bytes
            .iter()
            .map(|&b| CP1252_DECODE[b as usize])
            .collect(),
    }
}

/// The reverse, for tests and fixtures: Unicode text → legacy bytes.
/// Characters the encoding cannot hold are an Err naming the character and
/// its position (Vietnamese message, e.g. "ký tự «X» ở vị trí 12 không có
/// trong bảng mã TCVN3").
///
/// The position counts characters of the NFC text from 1. Characters that
/// are not Vietnamese letters are written as their Windows-1252 byte when
/// that byte means nothing else in the encoding, so punctuation survives.
pub fn encode(text: &str, enc: Encoding) -> Result<Vec<u8>, String> {
    let text: String = text.nfc().collect();
    if enc == Encoding::Utf8 {
        return Ok(text.into_bytes());
    }
    let mut out = Vec::with_capacity(text.len() * 2);
    for (i, c) in text.chars().enumerate() {
        let ok = if c.is_ascii() {
            out.push(c as u8);
            true
        } else if enc == Encoding::Windows1252 {
            // Any char standing for a byte, C1 controls included, so that a
            // DOCX run always turns back into the bytes it was typed as.
            legacy_byte(c).map(|b| out.push(b)).is_some()
        } else {
            match (enc, letter(c)) {
                (Encoding::Tcvn3, Some(l)) => match encode_tcvn3_letter(l) {
                    Some(b) => {
                        out.push(b);
                        true
                    }
                    None => false,
                },
                (Encoding::Vni, Some(l)) => {
                    encode_vni_letter(l, &mut out);
                    true
                }
                _ => match legacy_byte(c) {
                    Some(b) if byte_means(enc, b) == Some(c) => {
                        out.push(b);
                        true
                    }
                    _ => false,
                },
            }
        };
        if !ok {
            return Err(format!(
                "ký tự «{c}» ở vị trí {} không có trong bảng mã {}",
                i + 1,
                enc.short_name()
            ));
        }
    }
    Ok(out)
}

/// What a lone byte decodes to in `enc`, or None when its meaning depends
/// on its neighbours (VNI bases and modifiers).
fn byte_means(enc: Encoding, b: u8) -> Option<char> {
    let i = b as usize;
    match enc {
        Encoding::Utf8 | Encoding::Windows1252 => None,
        Encoding::Tcvn3 => Some(TCVN3_DECODE[i]),
        Encoding::Vni => (VNI.base[i] == 0 && VNI.modifier[i] == 0).then_some(VNI.single[i]),
    }
}

// ---------------------------------------------------------------------------
// Detection
// ---------------------------------------------------------------------------

/// Valid-syllable tally of a reading, in characters.
#[derive(Debug, Default, Clone, Copy)]
struct Score {
    good: usize,
    bad: usize,
}

impl Score {
    fn net(self) -> i64 {
        self.good as i64 - self.bad as i64
    }

    /// Enough to override a reading the bytes already had: mostly valid.
    fn convincing(self) -> bool {
        self.good > 0 && self.good >= 2 * self.bad
    }
}

/// Scoring stops after this many words: far more than detection needs, and
/// it bounds the time spent on a large document.
const MAX_SCORED_WORDS: usize = 20_000;

/// Detection reads only this many non-ASCII bytes (rounded up to the next
/// ASCII space): far more than it needs, and it keeps a large document
/// from being decoded three times.
const SAMPLE_HIGH_BYTES: usize = 16_384;

/// The start of `bytes` holding enough evidence, cut at ASCII whitespace so
/// that no VNI letter is split from its modifier.
fn evidence_prefix(bytes: &[u8]) -> &[u8] {
    let mut high = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if b >= 0x80 {
            high += 1;
        } else if high >= SAMPLE_HIGH_BYTES && b.is_ascii_whitespace() {
            return &bytes[..i];
        }
    }
    bytes
}

/// The better of the TCVN3 and VNI readings of `bytes`, if it has any valid
/// syllable, with its score on the sample. Ties go to TCVN3, the more common
/// of the two in government files.
fn best_legacy(bytes: &[u8]) -> Option<(String, Encoding, Score)> {
    let sample = evidence_prefix(bytes);
    let tcvn3 = score(&decode_tcvn3(sample));
    let vni = score(&decode_vni(sample));
    let (enc, s) = if vni.net() > tcvn3.net() {
        (Encoding::Vni, vni)
    } else {
        (Encoding::Tcvn3, tcvn3)
    };
    (s.good > 0).then(|| (decode_as(bytes, enc), enc, s))
}

/// Counts characters of words containing non-ASCII, valid syllables as good,
/// others as bad. Words that are plain ASCII read the same in every
/// encoding, so they carry no evidence.
fn score(text: &str) -> Score {
    let mut s = Score::default();
    let mut words = 0;
    for word in text.split(is_separator) {
        if word.is_ascii() {
            continue;
        }
        let len = word.chars().count();
        if is_syllable(word) {
            s.good += len;
        } else {
            s.bad += len;
        }
        words += 1;
        if words == MAX_SCORED_WORDS {
            break;
        }
    }
    s
}

/// Word boundaries. Latin-1 symbols are deliberately not boundaries: stray
/// "¸" or "¶" inside a word is exactly what marks a wrong reading.
fn is_separator(c: char) -> bool {
    c.is_whitespace()
        || (c.is_ascii() && !c.is_ascii_alphabetic())
        || ('\u{2000}'..='\u{206F}').contains(&c)
        || c == '«'
        || c == '»'
}

/// Characters expected in genuine Unicode text here: Latin, Vietnamese,
/// combining marks (NFD input), punctuation and symbols. C1 controls and
/// other scripts are what valid-by-accident legacy bytes decode to.
fn expected_in_unicode_text(c: char) -> bool {
    let u = c as u32;
    u < 0x80
        || (0xA0..=0x17F).contains(&u)
        || letter(c).is_some()
        || (0x300..=0x36F).contains(&u)
        || (0x1E00..=0x1EFF).contains(&u)
        || (0x2000..=0x2BFF).contains(&u)
        || (0x3000..=0x303F).contains(&u)
        || (0xFE00..=0xFE0F).contains(&u)
        || u == 0xFEFF
        || (0x1F000..=0x1FAFF).contains(&u)
}

/// Multi-byte characters and invalid bytes in almost-UTF-8 input.
fn utf8_health(bytes: &[u8]) -> (usize, usize) {
    let mut multibyte = 0;
    let mut broken = 0;
    for chunk in bytes.utf8_chunks() {
        multibyte += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        broken += chunk.invalid().len();
    }
    (multibyte, broken)
}

/// NFC without copying when the text is already NFC, the usual case.
fn nfc(s: String) -> String {
    if is_nfc_quick(s.chars()) == IsNormalized::Yes {
        s
    } else {
        s.nfc().collect()
    }
}

// ---------------------------------------------------------------------------
// Syllable checker
// ---------------------------------------------------------------------------

// Codas as bits, so each nucleus lists the codas it takes in one mask.
const K_NONE: u16 = 1;
const K_C: u16 = 1 << 1;
const K_CH: u16 = 1 << 2;
const K_M: u16 = 1 << 3;
const K_N: u16 = 1 << 4;
const K_NG: u16 = 1 << 5;
const K_NH: u16 = 1 << 6;
const K_P: u16 = 1 << 7;
const K_T: u16 = 1 << 8;
const K_ALL: u16 = 0x1FF;
/// Stop consonants: a syllable ending in one takes only sắc or nặng.
const K_STOPS: u16 = K_C | K_CH | K_P | K_T;

fn is_vowel(c: char) -> bool {
    matches!(
        c,
        'a' | 'ă' | 'â' | 'e' | 'ê' | 'i' | 'o' | 'ô' | 'ơ' | 'u' | 'ư' | 'y'
    )
}

/// Calls `f` with the letters as a string, without allocating.
fn with_str<R>(letters: &[char], f: impl FnOnce(&str) -> R) -> R {
    let mut buf = [0u8; 32];
    let mut len = 0;
    for c in letters {
        len += c.encode_utf8(&mut buf[len..]).len();
    }
    f(std::str::from_utf8(&buf[..len]).unwrap_or(""))
}

/// Codas a vowel nucleus (with its glides) can take.
fn nucleus_codas(nucleus: &[char]) -> u16 {
    with_str(nucleus, |s| match s {
        "a" | "oa" => K_ALL,
        "ă" | "â" | "ươ" => K_C | K_M | K_N | K_NG | K_P | K_T,
        "e" | "o" | "ô" | "u" => K_NONE | K_C | K_M | K_N | K_NG | K_P | K_T,
        "ê" | "i" => K_NONE | K_CH | K_M | K_N | K_NH | K_P | K_T,
        "ơ" => K_NONE | K_M | K_N | K_P | K_T,
        "ư" => K_NONE | K_C | K_M | K_N | K_NG | K_T,
        "iê" => K_C | K_M | K_N | K_NG | K_P | K_T,
        "yê" => K_M | K_N | K_NG | K_T,
        "uô" | "oă" => K_C | K_M | K_N | K_NG | K_T,
        "oe" => K_NONE | K_N | K_T,
        "oo" => K_C | K_NG,
        "uâ" => K_N | K_NG | K_T,
        "uê" => K_NONE | K_CH | K_N | K_NH | K_T,
        "uy" => K_NONE | K_CH | K_N | K_NH | K_P | K_T,
        "uyê" => K_N | K_T,
        "y" | "ai" | "ao" | "au" | "ay" | "âu" | "ây" | "eo" | "êu" | "ia" | "iu" | "oi" | "ôi"
        | "ơi" | "ua" | "ui" | "ưa" | "ưi" | "ưu" | "iêu" | "yêu" | "uôi" | "ươi" | "ươu"
        | "oai" | "oay" | "oao" | "oeo" | "uây" | "uya" | "uyu" | "uơ" => K_NONE,
        _ => 0,
    })
}

fn coda_bit(coda: &[char]) -> u16 {
    with_str(coda, |s| match s {
        "" => K_NONE,
        // "k" ends place names from minority languages: Đắk Lắk.
        "c" | "k" => K_C,
        "ch" => K_CH,
        "m" => K_M,
        "n" => K_N,
        "ng" => K_NG,
        "nh" => K_NH,
        "p" => K_P,
        "t" => K_T,
        _ => 0,
    })
}

/// Whether `word` is one Vietnamese syllable: onset + vowel nucleus + coda,
/// at most one tone, stop codas only with sắc or nặng. Loose enough for
/// every real syllable, strict enough that mis-decoded words fail.
fn is_syllable(word: &str) -> bool {
    let mut letters = ['\0'; 8];
    let mut n = 0;
    let mut tone = 0;
    for c in word.chars() {
        let (base, t) = if c.is_ascii_alphabetic() {
            (c.to_ascii_lowercase(), 0)
        } else if let Some(l) = letter(c) {
            (l.base(), l.tone)
        } else {
            return false;
        };
        if n == letters.len() || (t != 0 && tone != 0) {
            return false;
        }
        if t != 0 {
            tone = t;
        }
        letters[n] = base;
        n += 1;
    }
    let letters = &letters[..n];
    let Some(start) = letters.iter().position(|&c| is_vowel(c)) else {
        return false;
    };
    let end = letters[start..]
        .iter()
        .position(|&c| !is_vowel(c))
        .map_or(n, |p| start + p);
    let (onset, nucleus, coda) = (&letters[..start], &letters[start..end], &letters[end..]);
    let coda = coda_bit(coda);
    if coda == 0 || (coda & K_STOPS != 0 && tone != T_ACUTE && tone != T_DOT) {
        return false;
    }
    let rhyme_ok = |nuc: &[char]| !nuc.is_empty() && nucleus_codas(nuc) & coda != 0;
    with_str(onset, |onset| match onset {
        // "qu" and "gi" spell the onset with a vowel letter: "quyết",
        // "quân", "giữa", "giường".
        "q" => {
            nucleus[0] == 'u'
                && (rhyme_ok(&nucleus[1..]) || (nucleus.len() > 1 && rhyme_ok(nucleus)))
        }
        "g" => rhyme_ok(nucleus) || (nucleus[0] == 'i' && rhyme_ok(&nucleus[1..])),
        "" | "b" | "c" | "ch" | "d" | "đ" | "gh" | "h" | "k" | "kh" | "l" | "m" | "n" | "ng"
        | "ngh" | "nh" | "p" | "ph" | "r" | "s" | "t" | "th" | "tr" | "v" | "x" => {
            rhyme_ok(nucleus)
        }
        _ => false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The 67 lowercase letters with a diacritic (60 toned vowels, the six
    /// untoned ă â ê ô ơ ư, and đ).
    fn lowercase_alphabet() -> Vec<char> {
        let mut v = Vec::new();
        for row in VOWELS {
            for &c in &row {
                if !c.is_ascii() {
                    v.push(c);
                }
            }
        }
        v.push('đ');
        v
    }

    fn full_alphabet() -> Vec<char> {
        let lower = lowercase_alphabet();
        let mut all = lower.clone();
        all.extend(lower.iter().map(|c| c.to_uppercase().next().unwrap()));
        all
    }

    /// Text as it appears when legacy bytes are shown as Latin-1.
    fn latin1(s: &str) -> Vec<u8> {
        s.chars().map(|c| legacy_byte(c).unwrap()).collect()
    }

    const PARAGRAPH: &str = "Thực hiện Nghị quyết của Tỉnh uỷ Cao Bằng về phát triển kinh tế - xã hội năm 2024,\n\
        Sở Văn hóa, Thể thao và Du lịch xây dựng kế hoạch tổ chức các hoạt động chào mừng đại hội đảng bộ các cấp.\n\
        Thời gian thực hiện: Hoàn thành trong tháng 11/2024; nhiệm kỳ 2025 - 2030.";

    #[test]
    fn alphabet_tables_are_consistent() {
        // Each toned vowel is its bare vowel plus the tone's combining mark.
        let marks = ['\u{300}', '\u{309}', '\u{303}', '\u{301}', '\u{323}'];
        for (lower, upper) in VOWELS.iter().zip(VOWELS_UPPER.iter()) {
            for t in 0..6 {
                assert_eq!(upper[t], lower[t].to_uppercase().next().unwrap());
                if t > 0 {
                    let composed: String = format!("{}{}", lower[0], marks[t - 1]).nfc().collect();
                    assert_eq!(composed, lower[t].to_string());
                }
            }
        }
        let all = full_alphabet();
        assert_eq!(all.len(), 134);
        for c in all {
            let l = letter(c).unwrap_or_else(|| panic!("{c} not found"));
            assert_eq!(letter_char(l.vowel, l.tone, l.upper), c);
        }
        assert!(letter('Ä').is_none() && letter('a').is_none());
    }

    #[test]
    fn legacy_output_is_nfc() {
        let every_byte: Vec<u8> = (0..=255).collect();
        // Each byte after each VNI base, to cover every base+modifier pair.
        let mut pairs = Vec::new();
        for base in b"aeiouyAEIOUY\xF4\xD4\xF6\xD6" {
            for m in 0x80..=0xFF {
                pairs.extend([*base, m, *base, m, m, b' ']);
            }
        }
        for enc in [Encoding::Tcvn3, Encoding::Vni, Encoding::Windows1252] {
            for bytes in [&every_byte, &pairs] {
                let text = decode_as(bytes, enc);
                assert!(unicode_normalization::is_nfc(&text), "{}", enc.name());
            }
        }
    }

    #[test]
    fn tcvn3_round_trips_alphabet() {
        let mut seen = std::collections::HashSet::new();
        let lower = lowercase_alphabet();
        let upper = ['Ă', 'Â', 'Ê', 'Ô', 'Ơ', 'Ư', 'Đ'];
        for c in lower.iter().chain(upper.iter()) {
            let bytes = encode(&c.to_string(), Encoding::Tcvn3).unwrap();
            assert_eq!(bytes.len(), 1, "{c}");
            assert!(bytes[0] >= 0xA1, "{c}");
            assert!(seen.insert(bytes[0]), "{c} shares byte {:#X}", bytes[0]);
            assert_eq!(decode_as(&bytes, Encoding::Tcvn3), c.to_string());
        }
        assert_eq!(seen.len(), 74);
        let text: String = lower.iter().chain(upper.iter()).collect();
        let bytes = encode(&text, Encoding::Tcvn3).unwrap();
        assert_eq!(decode_as(&bytes, Encoding::Tcvn3), text);
    }

    #[test]
    fn tcvn3_has_no_toned_capitals() {
        for c in full_alphabet() {
            let l = letter(c).unwrap();
            if l.upper && l.tone > 0 {
                let err = encode(&format!("ab{c}"), Encoding::Tcvn3).unwrap_err();
                assert_eq!(
                    err,
                    format!("ký tự «{c}» ở vị trí 3 không có trong bảng mã TCVN3")
                );
            }
        }
    }

    #[test]
    fn vni_round_trips_alphabet() {
        let mut seen = std::collections::HashSet::new();
        for c in full_alphabet() {
            let bytes = encode(&c.to_string(), Encoding::Vni).unwrap();
            assert!(!bytes.is_empty() && bytes.len() <= 2, "{c}");
            assert!(seen.insert(bytes.clone()), "{c} shares {bytes:X?}");
            assert_eq!(
                decode_as(&bytes, Encoding::Vni),
                c.to_string(),
                "{c} {bytes:X?}"
            );
        }
        // Next to each other and to ASCII, no letter swallows its neighbour.
        let text: String = full_alphabet()
            .iter()
            .flat_map(|&c| [c, 'n', c, c])
            .collect();
        let bytes = encode(&text, Encoding::Vni).unwrap();
        assert_eq!(decode_as(&bytes, Encoding::Vni), text);
    }

    #[test]
    fn vni_bytes_match_the_standard() {
        let cases = [
            ("ô", "oâ"),
            ("ố", "oá"),
            ("ư", "ö"),
            ("ơ", "ô"),
            ("đ", "ñ"),
            ("Đ", "Ñ"),
            ("á", "aù"),
            ("à", "aø"),
            ("ả", "aû"),
            ("ã", "aõ"),
            ("ạ", "aï"),
            ("ă", "aê"),
            ("ấ", "aá"),
            ("ầ", "aà"),
            ("ẩ", "aå"),
            ("ẫ", "aã"),
            ("ậ", "aä"),
            ("ắ", "aé"),
            ("ằ", "aè"),
            ("ẳ", "aú"),
            ("ẵ", "aü"),
            ("ặ", "aë"),
            ("Â", "AÂ"),
            ("Ấ", "AÁ"),
            ("Ư", "Ö"),
            ("Ơ", "Ô"),
            ("ờ", "ôø"),
            ("Ờ", "ÔØ"),
            ("í", "í"),
            ("ỉ", "æ"),
            ("ị", "ò"),
            ("ĩ", "ó"),
            ("Ỉ", "Æ"),
            ("ỵ", "î"),
            ("ý", "yù"),
        ];
        for (unicode, vni) in cases {
            assert_eq!(
                encode(unicode, Encoding::Vni).unwrap(),
                latin1(vni),
                "{unicode}"
            );
        }
    }

    #[test]
    fn known_words_decode() {
        let tcvn3 = [
            ("TØnh uû Cao B»ng", "Tỉnh uỷ Cao Bằng"),
            ("§¶ng Céng s¶n ViÖt Nam", "Đảng Cộng sản Việt Nam"),
            (
                "Thêi gian thùc hiÖn: Hoµn thµnh trong th¸ng 11/2024",
                "Thời gian thực hiện: Hoàn thành trong tháng 11/2024",
            ),
            ("Uû ban nh©n d©n tØnh", "Uỷ ban nhân dân tỉnh"),
            (
                "Së V¨n hãa, ThÓ thao vµ Du lÞch",
                "Sở Văn hóa, Thể thao và Du lịch",
            ),
            (
                "NhiÖt liÖt chµo mõng ®¹i héi ®¶ng bé c¸c cÊp nhiÖm kú 2025 - 2030!",
                "Nhiệt liệt chào mừng đại hội đảng bộ các cấp nhiệm kỳ 2025 - 2030!",
            ),
            (
                "kinh tÕ - x· héi, ng\u{AD}êi, ®\u{AD}îc, cña, vïng, nhá, sö dông",
                "kinh tế - xã hội, người, được, của, vùng, nhỏ, sử dụng",
            ),
        ];
        for (legacy, unicode) in tcvn3 {
            assert_eq!(decode_as(&latin1(legacy), Encoding::Tcvn3), unicode);
            assert_eq!(encode(unicode, Encoding::Tcvn3).unwrap(), latin1(legacy));
            assert_eq!(repair_text(legacy), (unicode.to_owned(), Encoding::Tcvn3));
        }
        let vni = [
            ("Tænh uyû Cao Baèng", "Tỉnh uỷ Cao Bằng"),
            ("Ñaûng Coäng saûn Vieät Nam", "Đảng Cộng sản Việt Nam"),
            (
                "Thôøi gian thöïc hieän: Hoaøn thaønh trong thaùng 11/2024",
                "Thời gian thực hiện: Hoàn thành trong tháng 11/2024",
            ),
            ("UÛy ban nhaân daân tænh", "Ủy ban nhân dân tỉnh"),
            (
                "Sôû Vaên hoùa, Theå thao vaø Du lòch",
                "Sở Văn hóa, Thể thao và Du lịch",
            ),
            (
                "Nhieät lieät chaøo möøng ñaïi hoäi ñaûng boä caùc caáp nhieäm kyø 2025 - 2030!",
                "Nhiệt liệt chào mừng đại hội đảng bộ các cấp nhiệm kỳ 2025 - 2030!",
            ),
            ("ÑAÛNG COÄNG SAÛN VIEÄT NAM", "ĐẢNG CỘNG SẢN VIỆT NAM"),
        ];
        for (legacy, unicode) in vni {
            assert_eq!(decode_as(&latin1(legacy), Encoding::Vni), unicode);
            assert_eq!(encode(unicode, Encoding::Vni).unwrap(), latin1(legacy));
            assert_eq!(repair_text(legacy), (unicode.to_owned(), Encoding::Vni));
        }
    }

    #[test]
    fn detects_each_encoding_of_a_paragraph() {
        for enc in [Encoding::Tcvn3, Encoding::Vni] {
            let bytes = encode(PARAGRAPH, enc).unwrap();
            assert!(std::str::from_utf8(&bytes).is_err());
            assert_eq!(
                decode_bytes(&bytes),
                (PARAGRAPH.to_owned(), enc),
                "{}",
                enc.name()
            );
        }
        let vni_caps = format!("ỦY BAN NHÂN DÂN TỈNH CAO BẰNG\n{PARAGRAPH}");
        let bytes = encode(&vni_caps, Encoding::Vni).unwrap();
        assert_eq!(decode_bytes(&bytes), (vni_caps, Encoding::Vni));
    }

    #[test]
    fn utf8_is_kept() {
        assert_eq!(
            decode_bytes(PARAGRAPH.as_bytes()),
            (PARAGRAPH.to_owned(), Encoding::Utf8)
        );
        let with_bom = [b"\xEF\xBB\xBF".as_slice(), PARAGRAPH.as_bytes()].concat();
        assert_eq!(
            decode_bytes(&with_bom),
            (PARAGRAPH.to_owned(), Encoding::Utf8)
        );
        // NFD input comes out NFC.
        let nfd: String = PARAGRAPH.nfd().collect();
        assert_eq!(
            decode_bytes(nfd.as_bytes()),
            (PARAGRAPH.to_owned(), Encoding::Utf8)
        );
        assert_eq!(repair_text(&nfd), (PARAGRAPH.to_owned(), Encoding::Utf8));
        // Other scripts are suspicious but still not converted.
        let mixed = "Hợp tác với 北京 và Москва";
        assert_eq!(
            decode_bytes(mixed.as_bytes()),
            (mixed.to_owned(), Encoding::Utf8)
        );
        // One damaged byte does not turn a UTF-8 file into mojibake.
        let damaged = [PARAGRAPH.as_bytes(), b" \xFF"].concat();
        let (text, enc) = decode_bytes(&damaged);
        assert_eq!(enc, Encoding::Utf8);
        assert!(text.starts_with(PARAGRAPH));
    }

    #[test]
    fn utf8_file_of_mis_decoded_legacy_is_repaired() {
        for enc in [Encoding::Tcvn3, Encoding::Vni] {
            let bytes = encode(PARAGRAPH, enc).unwrap();
            let shown = decode_as(&bytes, Encoding::Windows1252);
            assert_eq!(decode_bytes(shown.as_bytes()), (PARAGRAPH.to_owned(), enc));
        }
        for text in ["Le café est très bon, naïve.", "Hoàn thành trong tháng 11"] {
            assert_eq!(
                decode_bytes(text.as_bytes()),
                (text.to_owned(), Encoding::Utf8)
            );
        }
    }

    /// A word or two is usually enough. Not always: VNI "ñi" (đi) reads as
    /// TCVN3 "ủi", also a word, and such a tie goes to TCVN3.
    #[test]
    fn short_texts_are_detected() {
        for text in ["Kế hoạch", "Tỉnh uỷ", "năm 2024", "ở"] {
            for enc in [Encoding::Tcvn3, Encoding::Vni] {
                let bytes = encode(text, enc).unwrap();
                assert_eq!(
                    decode_bytes(&bytes),
                    (text.to_owned(), enc),
                    "{text} {}",
                    enc.name()
                );
            }
        }
    }

    #[test]
    fn ascii_is_kept() {
        let ascii = "Ke hoach so 12/KH-UBND\nNgay 01/11/2024";
        assert_eq!(
            decode_bytes(ascii.as_bytes()),
            (ascii.to_owned(), Encoding::Utf8)
        );
        assert_eq!(repair_text(ascii), (ascii.to_owned(), Encoding::Utf8));
        assert_eq!(decode_bytes(b""), (String::new(), Encoding::Utf8));
    }

    #[test]
    fn other_bytes_fall_back_to_windows_1252() {
        let (text, enc) = decode_bytes(b"caf\xE9 na\xEFve \x93quoted\x94");
        assert_eq!(text, "café naïve “quoted”");
        assert_eq!(enc, Encoding::Windows1252);
    }

    #[test]
    fn repair_text_keeps_correct_latin1_vietnamese() {
        for text in [
            "Hoàn thành trong tháng",
            "Có",
            "Vì",
            "nhân dân",
            "Đảng",
            "Hà Nội",
        ] {
            assert_eq!(
                repair_text(text),
                (text.to_owned(), Encoding::Utf8),
                "{text}"
            );
        }
    }

    #[test]
    fn repair_text_converts_u00xx_runs() {
        let run = "Céng hoµ x· héi chñ nghÜa ViÖt Nam";
        assert_eq!(
            repair_text(run),
            (
                "Cộng hoà xã hội chủ nghĩa Việt Nam".to_owned(),
                Encoding::Tcvn3
            )
        );
        let run = "Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam";
        assert_eq!(
            repair_text(run),
            (
                "Cộng hòa xã hội chủ nghĩa Việt Nam".to_owned(),
                Encoding::Vni
            )
        );
        // Curly quotes from Windows-1252 stand for bytes and survive.
        let run = "“§¶ng”";
        assert_eq!(repair_text(run), ("“Đảng”".to_owned(), Encoding::Tcvn3));
    }

    #[test]
    fn encode_rejects_missing_characters() {
        assert_eq!(
            encode("Kế hoạch 中", Encoding::Tcvn3).unwrap_err(),
            "ký tự «中» ở vị trí 10 không có trong bảng mã TCVN3"
        );
        // ñ's byte is đ in VNI, so it cannot be written.
        assert_eq!(
            encode("Español ñ", Encoding::Vni).unwrap_err(),
            "ký tự «ñ» ở vị trí 5 không có trong bảng mã VNI"
        );
        assert!(encode("Việt", Encoding::Windows1252).is_err());
        // A DOCX run in a legacy font turns back into its bytes.
        let run = "“§¶ng”\u{81}";
        let bytes = encode(run, Encoding::Windows1252).unwrap();
        assert_eq!(bytes, b"\x93\xA7\xB6ng\x94\x81");
        assert_eq!(decode_as(&bytes, Encoding::Tcvn3), "“Đảng”\u{81}");
        // Punctuation with a free byte round-trips.
        let bytes = encode("“Đảng” – §", Encoding::Vni).unwrap();
        assert_eq!(decode_as(&bytes, Encoding::Vni), "“Đảng” – §");
    }

    #[test]
    fn font_hints() {
        for font in [".VnTime", ".VnTimeH", ".VnArial", " .vnarialH "] {
            assert_eq!(encoding_of_font(font), Some(Encoding::Tcvn3), "{font}");
        }
        for font in ["VNI-Times", "VNI-Helve", "vni-aptima"] {
            assert_eq!(encoding_of_font(font), Some(Encoding::Vni), "{font}");
        }
        for font in ["Times New Roman", "Arial", "VnTimes", ""] {
            assert_eq!(encoding_of_font(font), None, "{font}");
        }
        assert_eq!(Encoding::Tcvn3.name(), "TCVN3 (ABC)");
    }

    #[test]
    fn syllables() {
        for w in [
            "nghiêng",
            "quyết",
            "giữa",
            "giường",
            "khuya",
            "thuở",
            "quỳnh",
            "oái",
            "gì",
            "xoong",
            "ươn",
            "ĐẢNG",
            "yêu",
            "huých",
            "quân",
            "gìn",
            "Lắk",
        ] {
            assert!(is_syllable(w), "{w}");
        }
        for w in [
            "ẹaỷng",
            "viưt",
            "thầnh",
            "Hoồn",
            "th¸ng",
            "cafộ",
            "bàt",
            "ăm̃",
        ] {
            assert!(!is_syllable(w), "{w}");
        }
    }

    /// Run with `cargo test --release -p dondoc-import --lib legacy -- --ignored`.
    #[test]
    #[ignore]
    fn decoding_a_megabyte_is_fast() {
        for enc in [Encoding::Tcvn3, Encoding::Vni] {
            let mut text = String::new();
            while text.len() < 1_000_000 {
                text.push_str(PARAGRAPH);
                text.push('\n');
            }
            let bytes = encode(&text, enc).unwrap();
            let start = std::time::Instant::now();
            let (out, got) = decode_bytes(&bytes);
            let elapsed = start.elapsed();
            assert_eq!(got, enc);
            assert_eq!(out, text);
            eprintln!("{}: {} bytes in {elapsed:?}", enc.name(), bytes.len());
            assert!(elapsed.as_millis() < 50, "{elapsed:?}");
        }
    }
}
