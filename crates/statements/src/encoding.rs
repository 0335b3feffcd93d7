//! The four encodings Polish bank files arrive in (payments.md §5.1): UTF-8, CP852 (the DOS code page
//! of the MultiCash family: Millennium, BPH), ISO-8859-2 (mBank CompanyNet, Deutsche Bank, PKO BP) and
//! Windows-1250 (ERP exports).
//!
//! The three single-byte code pages are 128-entry tables for the upper half (the lower half is ASCII).
//! `encoding_rs` has no CP852 (payments.md §4.6), and with all three written the same way the generator
//! can also encode with them; the tests check the ISO-8859-2 and Windows-1250 tables against
//! `encoding_rs`. Windows-1250 leaves 0x81, 0x83, 0x88, 0x90 and 0x98 undefined; like the WHATWG table
//! they decode to the C1 control of the same number.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::error::StatementError;

/// A character encoding of a statement file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Encoding {
    Utf8,
    /// IBM code page 852 (DOS Latin-2).
    Cp852,
    Iso8859_2,
    Windows1250,
}

/// An encoding name that is not one of the four.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown encoding {0:?}: expected utf-8, cp852, iso-8859-2 or windows-1250")]
pub struct UnknownEncoding(pub String);

impl Encoding {
    pub const ALL: [Encoding; 4] = [Encoding::Utf8, Encoding::Cp852, Encoding::Iso8859_2, Encoding::Windows1250];

    /// The usual label: "utf-8", "cp852", "iso-8859-2", "windows-1250".
    pub fn label(self) -> &'static str {
        match self {
            Encoding::Utf8 => "utf-8",
            Encoding::Cp852 => "cp852",
            Encoding::Iso8859_2 => "iso-8859-2",
            Encoding::Windows1250 => "windows-1250",
        }
    }

    fn upper_half(self) -> Option<&'static [char; 128]> {
        match self {
            Encoding::Utf8 => None,
            Encoding::Cp852 => Some(&CP852),
            Encoding::Iso8859_2 => Some(&ISO_8859_2),
            Encoding::Windows1250 => Some(&WINDOWS_1250),
        }
    }

    /// Decodes a whole file. Single-byte code pages map every byte, so only UTF-8 can fail.
    pub fn decode(self, bytes: &[u8]) -> Result<String, StatementError> {
        match self.upper_half() {
            None => {
                let (bom, body) = match bytes.strip_prefix(UTF8_BOM) {
                    Some(body) => (UTF8_BOM.len(), body),
                    None => (0, bytes),
                };
                std::str::from_utf8(body).map(str::to_owned).map_err(|e| StatementError::NotUtf8 { offset: bom + e.valid_up_to() })
            }
            Some(table) => Ok(decode_single_byte(bytes, table)),
        }
    }

    /// Encodes text; the error is the first character the code page cannot represent.
    pub fn encode(self, text: &str) -> Result<Vec<u8>, char> {
        let Some(table) = self.upper_half() else {
            return Ok(text.as_bytes().to_vec());
        };
        let mut out = Vec::with_capacity(text.len());
        for c in text.chars() {
            if c.is_ascii() {
                out.push(c as u8);
            } else {
                let index = table.iter().position(|&t| t == c).ok_or(c)?;
                // index < 128, so 0x80 + index is a byte.
                out.push(0x80 | u8::try_from(index).map_err(|_| c)?);
            }
        }
        Ok(out)
    }
}

impl fmt::Display for Encoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

impl FromStr for Encoding {
    type Err = UnknownEncoding;
    /// Accepts the common labels of each code page, in any case.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let label = s.trim().to_ascii_lowercase().replace('_', "-");
        match label.as_str() {
            "utf-8" | "utf8" => Ok(Encoding::Utf8),
            "cp852" | "ibm852" | "ibm-852" | "852" | "dos-852" | "pc852" => Ok(Encoding::Cp852),
            "iso-8859-2" | "iso8859-2" | "latin2" | "latin-2" | "l2" => Ok(Encoding::Iso8859_2),
            "windows-1250" | "cp1250" | "win1250" | "1250" => Ok(Encoding::Windows1250),
            _ => Err(UnknownEncoding(s.to_owned())),
        }
    }
}

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

fn decode_single_byte(bytes: &[u8], table: &[char; 128]) -> String {
    let mut out = String::with_capacity(bytes.len() + bytes.len() / 8);
    let mut rest = bytes;
    while !rest.is_empty() {
        // ASCII runs are copied whole; they are most of any statement.
        let ascii = rest.iter().position(|b| !b.is_ascii()).unwrap_or(rest.len());
        if let Ok(run) = std::str::from_utf8(&rest[..ascii]) {
            out.push_str(run);
        }
        if let Some(&b) = rest.get(ascii) {
            out.push(table[usize::from(b & 0x7F)]);
            rest = &rest[ascii + 1..];
        } else {
            rest = &[];
        }
    }
    out
}

/// Picks the encoding of a file the caller did not name (payments.md §5.1).
///
/// Valid UTF-8 is taken as UTF-8 (pure ASCII decodes the same in all four). Otherwise each single-byte
/// code page is tried and scored: Polish letters count for it, characters a bank file never contains
/// (box drawing, C1 controls, stray accents) against it. CP852 and Latin-2 map every byte, so a
/// fallback without scoring garbles the other code pages silently (payments.md §5, bug reports 2 and 3).
/// Ties go to ISO-8859-2, then Windows-1250, then CP852.
pub fn detect(bytes: &[u8]) -> Encoding {
    if std::str::from_utf8(bytes.strip_prefix(UTF8_BOM).unwrap_or(bytes)).is_ok() {
        return Encoding::Utf8;
    }
    let mut best = (Encoding::Iso8859_2, i64::MIN);
    for encoding in [Encoding::Iso8859_2, Encoding::Windows1250, Encoding::Cp852] {
        let score = score(bytes, encoding);
        if score > best.1 {
            best = (encoding, score);
        }
    }
    best.0
}

fn score(bytes: &[u8], encoding: Encoding) -> i64 {
    let Some(table) = encoding.upper_half() else { return 0 };
    bytes.iter().filter(|&&b| b >= 0x80).map(|&b| char_score(table[usize::from(b & 0x7F)])).sum()
}

/// How plausible one decoded non-ASCII character is in a Polish bank file.
fn char_score(c: char) -> i64 {
    match c {
        'ą' | 'ć' | 'ę' | 'ł' | 'ń' | 'ó' | 'ś' | 'ź' | 'ż' | 'Ą' | 'Ć' | 'Ę' | 'Ł' | 'Ń' | 'Ó' | 'Ś' | 'Ź' | 'Ż' => 2,
        // PKO's empty-subfield filler byte 0xFF decodes to one of these; neutral.
        '\u{02D9}' | '\u{00A0}' => 0,
        // Letters of other Latin-2 languages: possible in names, but not evidence.
        c if c.is_alphabetic() => 0,
        // Box drawing, blocks, C1 controls, spacing accents, odd symbols: a wrong code page.
        _ => -3,
    }
}

/// Whether decoded text looks wrongly decoded: box-drawing or C1 control characters in it
/// (payments.md §5.1: verify that Polish letters appear and box-drawing characters do not).
pub fn looks_misdecoded(text: &str) -> bool {
    !text.is_ascii() && text.chars().any(|c| matches!(c, '\u{0080}'..='\u{009F}' | '\u{2500}'..='\u{25FF}'))
}

/// CP852 bytes 0x80–0xFF.
const CP852: [char; 128] = [
    '\u{00C7}', '\u{00FC}', '\u{00E9}', '\u{00E2}', '\u{00E4}', '\u{016F}', '\u{0107}', '\u{00E7}', // 0x80
    '\u{0142}', '\u{00EB}', '\u{0150}', '\u{0151}', '\u{00EE}', '\u{0179}', '\u{00C4}', '\u{0106}', // 0x88
    '\u{00C9}', '\u{0139}', '\u{013A}', '\u{00F4}', '\u{00F6}', '\u{013D}', '\u{013E}', '\u{015A}', // 0x90
    '\u{015B}', '\u{00D6}', '\u{00DC}', '\u{0164}', '\u{0165}', '\u{0141}', '\u{00D7}', '\u{010D}', // 0x98
    '\u{00E1}', '\u{00ED}', '\u{00F3}', '\u{00FA}', '\u{0104}', '\u{0105}', '\u{017D}', '\u{017E}', // 0xA0
    '\u{0118}', '\u{0119}', '\u{00AC}', '\u{017A}', '\u{010C}', '\u{015F}', '\u{00AB}', '\u{00BB}', // 0xA8
    '\u{2591}', '\u{2592}', '\u{2593}', '\u{2502}', '\u{2524}', '\u{00C1}', '\u{00C2}', '\u{011A}', // 0xB0
    '\u{015E}', '\u{2563}', '\u{2551}', '\u{2557}', '\u{255D}', '\u{017B}', '\u{017C}', '\u{2510}', // 0xB8
    '\u{2514}', '\u{2534}', '\u{252C}', '\u{251C}', '\u{2500}', '\u{253C}', '\u{0102}', '\u{0103}', // 0xC0
    '\u{255A}', '\u{2554}', '\u{2569}', '\u{2566}', '\u{2560}', '\u{2550}', '\u{256C}', '\u{00A4}', // 0xC8
    '\u{0111}', '\u{0110}', '\u{010E}', '\u{00CB}', '\u{010F}', '\u{0147}', '\u{00CD}', '\u{00CE}', // 0xD0
    '\u{011B}', '\u{2518}', '\u{250C}', '\u{2588}', '\u{2584}', '\u{0162}', '\u{016E}', '\u{2580}', // 0xD8
    '\u{00D3}', '\u{00DF}', '\u{00D4}', '\u{0143}', '\u{0144}', '\u{0148}', '\u{0160}', '\u{0161}', // 0xE0
    '\u{0154}', '\u{00DA}', '\u{0155}', '\u{0170}', '\u{00FD}', '\u{00DD}', '\u{0163}', '\u{00B4}', // 0xE8
    '\u{00AD}', '\u{02DD}', '\u{02DB}', '\u{02C7}', '\u{02D8}', '\u{00A7}', '\u{00F7}', '\u{00B8}', // 0xF0
    '\u{00B0}', '\u{00A8}', '\u{02D9}', '\u{0171}', '\u{0158}', '\u{0159}', '\u{25A0}', '\u{00A0}', // 0xF8
];

/// ISO-8859-2 bytes 0x80–0xFF (0x80–0x9F are the C1 controls).
const ISO_8859_2: [char; 128] = [
    '\u{0080}', '\u{0081}', '\u{0082}', '\u{0083}', '\u{0084}', '\u{0085}', '\u{0086}', '\u{0087}', // 0x80
    '\u{0088}', '\u{0089}', '\u{008A}', '\u{008B}', '\u{008C}', '\u{008D}', '\u{008E}', '\u{008F}', // 0x88
    '\u{0090}', '\u{0091}', '\u{0092}', '\u{0093}', '\u{0094}', '\u{0095}', '\u{0096}', '\u{0097}', // 0x90
    '\u{0098}', '\u{0099}', '\u{009A}', '\u{009B}', '\u{009C}', '\u{009D}', '\u{009E}', '\u{009F}', // 0x98
    '\u{00A0}', '\u{0104}', '\u{02D8}', '\u{0141}', '\u{00A4}', '\u{013D}', '\u{015A}', '\u{00A7}', // 0xA0
    '\u{00A8}', '\u{0160}', '\u{015E}', '\u{0164}', '\u{0179}', '\u{00AD}', '\u{017D}', '\u{017B}', // 0xA8
    '\u{00B0}', '\u{0105}', '\u{02DB}', '\u{0142}', '\u{00B4}', '\u{013E}', '\u{015B}', '\u{02C7}', // 0xB0
    '\u{00B8}', '\u{0161}', '\u{015F}', '\u{0165}', '\u{017A}', '\u{02DD}', '\u{017E}', '\u{017C}', // 0xB8
    '\u{0154}', '\u{00C1}', '\u{00C2}', '\u{0102}', '\u{00C4}', '\u{0139}', '\u{0106}', '\u{00C7}', // 0xC0
    '\u{010C}', '\u{00C9}', '\u{0118}', '\u{00CB}', '\u{011A}', '\u{00CD}', '\u{00CE}', '\u{010E}', // 0xC8
    '\u{0110}', '\u{0143}', '\u{0147}', '\u{00D3}', '\u{00D4}', '\u{0150}', '\u{00D6}', '\u{00D7}', // 0xD0
    '\u{0158}', '\u{016E}', '\u{00DA}', '\u{0170}', '\u{00DC}', '\u{00DD}', '\u{0162}', '\u{00DF}', // 0xD8
    '\u{0155}', '\u{00E1}', '\u{00E2}', '\u{0103}', '\u{00E4}', '\u{013A}', '\u{0107}', '\u{00E7}', // 0xE0
    '\u{010D}', '\u{00E9}', '\u{0119}', '\u{00EB}', '\u{011B}', '\u{00ED}', '\u{00EE}', '\u{010F}', // 0xE8
    '\u{0111}', '\u{0144}', '\u{0148}', '\u{00F3}', '\u{00F4}', '\u{0151}', '\u{00F6}', '\u{00F7}', // 0xF0
    '\u{0159}', '\u{016F}', '\u{00FA}', '\u{0171}', '\u{00FC}', '\u{00FD}', '\u{0163}', '\u{02D9}', // 0xF8
];

/// Windows-1250 bytes 0x80–0xFF.
const WINDOWS_1250: [char; 128] = [
    '\u{20AC}', '\u{0081}', '\u{201A}', '\u{0083}', '\u{201E}', '\u{2026}', '\u{2020}', '\u{2021}', // 0x80
    '\u{0088}', '\u{2030}', '\u{0160}', '\u{2039}', '\u{015A}', '\u{0164}', '\u{017D}', '\u{0179}', // 0x88
    '\u{0090}', '\u{2018}', '\u{2019}', '\u{201C}', '\u{201D}', '\u{2022}', '\u{2013}', '\u{2014}', // 0x90
    '\u{0098}', '\u{2122}', '\u{0161}', '\u{203A}', '\u{015B}', '\u{0165}', '\u{017E}', '\u{017A}', // 0x98
    '\u{00A0}', '\u{02C7}', '\u{02D8}', '\u{0141}', '\u{00A4}', '\u{0104}', '\u{00A6}', '\u{00A7}', // 0xA0
    '\u{00A8}', '\u{00A9}', '\u{015E}', '\u{00AB}', '\u{00AC}', '\u{00AD}', '\u{00AE}', '\u{017B}', // 0xA8
    '\u{00B0}', '\u{00B1}', '\u{02DB}', '\u{0142}', '\u{00B4}', '\u{00B5}', '\u{00B6}', '\u{00B7}', // 0xB0
    '\u{00B8}', '\u{0105}', '\u{015F}', '\u{00BB}', '\u{013D}', '\u{02DD}', '\u{013E}', '\u{017C}', // 0xB8
    '\u{0154}', '\u{00C1}', '\u{00C2}', '\u{0102}', '\u{00C4}', '\u{0139}', '\u{0106}', '\u{00C7}', // 0xC0
    '\u{010C}', '\u{00C9}', '\u{0118}', '\u{00CB}', '\u{011A}', '\u{00CD}', '\u{00CE}', '\u{010E}', // 0xC8
    '\u{0110}', '\u{0143}', '\u{0147}', '\u{00D3}', '\u{00D4}', '\u{0150}', '\u{00D6}', '\u{00D7}', // 0xD0
    '\u{0158}', '\u{016E}', '\u{00DA}', '\u{0170}', '\u{00DC}', '\u{00DD}', '\u{0162}', '\u{00DF}', // 0xD8
    '\u{0155}', '\u{00E1}', '\u{00E2}', '\u{0103}', '\u{00E4}', '\u{013A}', '\u{0107}', '\u{00E7}', // 0xE0
    '\u{010D}', '\u{00E9}', '\u{0119}', '\u{00EB}', '\u{011B}', '\u{00ED}', '\u{00EE}', '\u{010F}', // 0xE8
    '\u{0111}', '\u{0144}', '\u{0148}', '\u{00F3}', '\u{00F4}', '\u{0151}', '\u{00F6}', '\u{00F7}', // 0xF0
    '\u{0159}', '\u{016F}', '\u{00FA}', '\u{0171}', '\u{00FC}', '\u{00FD}', '\u{0163}', '\u{02D9}', // 0xF8
];

#[cfg(test)]
mod tests {
    use super::*;

    fn all_bytes() -> Vec<u8> {
        (0..=255).collect()
    }

    /// The hand-written Latin-2 and Windows-1250 tables equal the WHATWG ones of `encoding_rs`.
    #[test]
    fn tables_match_encoding_rs() {
        for (ours, theirs) in [(Encoding::Iso8859_2, encoding_rs::ISO_8859_2), (Encoding::Windows1250, encoding_rs::WINDOWS_1250)] {
            let bytes = all_bytes();
            let (expected, _, had_errors) = theirs.decode(&bytes);
            assert!(!had_errors);
            assert_eq!(ours.decode(&bytes).ok().as_deref(), Some(expected.as_ref()), "{ours}");
        }
    }

    /// CP852 positions of the Polish letters (IBM code page 852).
    #[test]
    fn cp852_polish_letters() {
        let bytes = [0xA4, 0xA5, 0x8F, 0x86, 0xA8, 0xA9, 0x9D, 0x88, 0xE3, 0xE4, 0xE0, 0xA2, 0x97, 0x98, 0x8D, 0xAB, 0xBD, 0xBE];
        assert_eq!(Encoding::Cp852.decode(&bytes).ok().as_deref(), Some("ĄąĆćĘęŁłŃńÓóŚśŹźŻż"));
        assert_eq!(Encoding::Cp852.decode(&[0xC4, 0xFF]).ok().as_deref(), Some("─\u{A0}"));
    }

    /// Every single-byte table is a bijection: encode(decode(b)) = b for all 256 bytes.
    #[test]
    fn single_byte_round_trip() {
        for encoding in [Encoding::Cp852, Encoding::Iso8859_2, Encoding::Windows1250] {
            let bytes = all_bytes();
            let text = encoding.decode(&bytes).unwrap_or_default();
            assert_eq!(encoding.encode(&text), Ok(bytes), "{encoding}");
        }
        assert_eq!(Encoding::Cp852.encode("€"), Err('€'));
    }

    #[test]
    fn utf8_bom_and_errors() {
        assert_eq!(Encoding::Utf8.decode(b"\xEF\xBB\xBFabc").ok().as_deref(), Some("abc"));
        assert_eq!(Encoding::Utf8.decode(b"\xEF\xBB\xBFab\xFFc"), Err(StatementError::NotUtf8 { offset: 5 }));
        assert_eq!(detect(b"plain ascii"), Encoding::Utf8);
    }

    #[test]
    fn labels_round_trip() {
        for encoding in Encoding::ALL {
            assert_eq!(encoding.label().parse(), Ok(encoding));
        }
    }
}
