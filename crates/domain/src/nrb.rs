//! Polish bank account numbers (NRB, and the IBAN made from them) and the virtual accounts a
//! municipality issues to taxpayers (payments.md §2).
//!
//! An [`Nrb`] is always 26 digits with right ISO 13616 check digits and a right settlement-number
//! check digit. A [`VirtualAccountLayout`] turns a taxpayer's identifier into such a number and
//! back; which identifier belongs to whom is data kept elsewhere (payments.md §2.4, design rule).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A Polish account number: 2 check digits, the 8-digit settlement number of the bank unit and a
/// 16-digit account identifier (payments.md §2.1). IBAN = "PL" + the same 26 digits.
///
/// Parsing accepts the printed form ("61 1090 1014 0000 0712 1981 2874"), the IBAN
/// ("PL61109010140000071219812874", any case of "PL") and plain digits. `Display` prints the
/// grouped form; JSON carries the plain 26 digits.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Nrb(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NrbError {
    #[error("an account number has 26 digits, found {found}")]
    WrongLength { found: usize },
    /// `position` is 1-based among the characters left after whitespace and "PL" are removed.
    #[error("an account number contains {found:?} at position {position}; only digits are allowed")]
    NonDigit { position: usize, found: char },
    #[error("the check digits of the account number are wrong (ISO 13616 mod 97)")]
    BadCheckDigits,
    #[error("the check digit of the bank settlement number (digits 3–10) is wrong")]
    BadSettlementCheckDigit,
}

/// ISO 13616 mod-97 remainder of `text`, folded one character at a time so that no 26-digit
/// (or longer) integer is ever formed (payments.md §2.3, Rust note). Letters count as two digits,
/// A=10 … Z=35 (so "PL" is 2521); other characters are skipped, so grouped input gives the same
/// result as compact input.
fn mod97(text: impl IntoIterator<Item = char>) -> u32 {
    text.into_iter().fold(0, |remainder, c| match c.to_digit(36) {
        Some(value) if value < 10 => (remainder * 10 + value) % 97,
        Some(value) => (remainder * 100 + value) % 97,
        None => remainder,
    })
}

/// The two NRB check digits for a 24-digit BBAN (settlement number + account identifier):
/// 98 − (BBAN ‖ "PL" ‖ "00" → BBAN ‖ "252100") mod 97, zero-padded (payments.md §2.3).
///
/// Meant for BBANs built from validated parts; characters other than digits and ASCII letters are
/// ignored (so "1090 1014 …" works) and letters take their ISO 13616 values.
pub fn check_digits(bban: &str) -> String {
    let remainder = mod97(bban.chars().chain("PL00".chars()));
    format!("{:02}", 98 - remainder)
}

/// Whether an 8-digit bank settlement number (numer rozliczeniowy) carries a right check digit:
/// weights 3,9,7,1,3,9,7,1 over all 8 digits give a multiple of 10, i.e. the 8th digit is
/// (10 − Σ first seven·(3,9,7,1,3,9,7) mod 10) mod 10 (payments.md §2.2).
pub fn is_valid_settlement_number(number: &str) -> bool {
    const WEIGHTS: [u32; 8] = [3, 9, 7, 1, 3, 9, 7, 1];
    number.len() == 8
        && number.bytes().all(|b| b.is_ascii_digit())
        && number.bytes().zip(WEIGHTS).map(|(d, w)| u32::from(d - b'0') * w).sum::<u32>() % 10 == 0
}

/// Removes a "PL" country prefix in either case.
fn strip_pl_prefix(text: &str) -> &str {
    match (text.get(..2), text.get(2..)) {
        (Some(prefix), Some(rest)) if prefix.eq_ignore_ascii_case("PL") => rest,
        _ => text,
    }
}

impl Nrb {
    /// Validates exactly 26 digits, nothing else: for machine formats such as the ZBP QR account
    /// field (payments.md §3), where spaces or "PL" mean the data is malformed.
    ///
    /// Checks, in order: digits only, length, ISO 13616 mod 97 (payments.md §2.3), then the
    /// settlement-number check digit (payments.md §2.2). The last one exists for bank settlement
    /// numbers, so a number that passes mod 97 but names no possible bank unit is still refused.
    pub(crate) fn from_plain(digits: &str) -> Result<Nrb, NrbError> {
        if let Some((index, found)) = digits.chars().enumerate().find(|(_, c)| !c.is_ascii_digit()) {
            return Err(NrbError::NonDigit { position: index + 1, found });
        }
        if digits.len() != 26 {
            return Err(NrbError::WrongLength { found: digits.len() });
        }
        let (check, bban) = digits.split_at(2);
        // IBAN rule: move country code and check digits to the end; the whole must be ≡ 1 mod 97.
        if mod97(bban.chars().chain("PL".chars()).chain(check.chars())) != 1 {
            return Err(NrbError::BadCheckDigits);
        }
        if !is_valid_settlement_number(&digits[2..10]) {
            return Err(NrbError::BadSettlementCheckDigit);
        }
        Ok(Nrb(digits.to_owned()))
    }

    /// The 26 digits, no spaces, no "PL".
    pub fn digits(&self) -> &str {
        &self.0
    }

    /// The IBAN in electronic form: "PL" + 26 digits.
    pub fn iban(&self) -> String {
        format!("PL{}", self.0)
    }

    /// The printed form: check digits, then groups of four ("61 1090 1014 0000 0712 1981 2874").
    pub fn formatted(&self) -> String {
        let mut out = String::with_capacity(32);
        for (index, c) in self.0.chars().enumerate() {
            if index >= 2 && (index - 2) % 4 == 0 {
                out.push(' ');
            }
            out.push(c);
        }
        out
    }

    /// Digits 3–10: the settlement number of the bank unit (payments.md §2.1).
    pub fn settlement_number(&self) -> &str {
        &self.0[2..10]
    }
}

impl FromStr for Nrb {
    type Err = NrbError;
    /// Accepts surrounding and inner whitespace and an optional "PL" prefix (payments.md §2.3).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let compact: String = strip_pl_prefix(s.trim()).chars().filter(|c| !c.is_whitespace()).collect();
        Nrb::from_plain(&compact)
    }
}

impl fmt::Display for Nrb {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.formatted())
    }
}

impl Serialize for Nrb {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Nrb {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

// ---------------------------------------------------------------------------------------------
// Virtual accounts

/// An optional check digit at the end of the identifier field of a virtual account.
///
/// No bank publishes its internal digit (payments.md §2.4, marked uncertain); mod 97 already catches
/// every single-digit error and adjacent swap, so the extra digit only lets the municipality
/// refuse well-formed numbers it never issued. Luhn is the one the research worked through.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IdentifierCheck {
    /// The whole identifier field is the identifier.
    #[default]
    None,
    /// The last digit of the identifier field is the Luhn (ISO/IEC 7812-1 annex B) check digit
    /// of the digits before it (payments.md §2.4: identifier 0004711 + Luhn digit 8).
    Luhn,
}

/// How a bank lays out the municipality's virtual accounts inside the 24-digit BBAN:
/// a fixed prefix (the 8-digit settlement number + the payee code the bank assigned) followed by
/// the municipality's own identifier, zero-padded, optionally ending in a check digit; the bank
/// computes the NRB check digits (payments.md §2.4, e.g. BS Łącko: digits 3–10 settlement number,
/// 11–18 payee code, 19–26 identifier).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "RawLayout")]
pub struct VirtualAccountLayout {
    prefix: String,
    check_digit: IdentifierCheck,
}

/// The unvalidated shape of a layout as stored in configuration.
#[derive(Deserialize)]
struct RawLayout {
    prefix: String,
    #[serde(default)]
    check_digit: IdentifierCheck,
}

impl TryFrom<RawLayout> for VirtualAccountLayout {
    type Error = VirtualAccountError;
    fn try_from(raw: RawLayout) -> Result<Self, Self::Error> {
        VirtualAccountLayout::new(&raw.prefix, raw.check_digit)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VirtualAccountError {
    #[error("a virtual-account prefix has 8 to {max} digits, found {found}")]
    PrefixLength { found: usize, max: usize },
    #[error("a virtual-account prefix contains {found:?} at position {position}; only digits are allowed")]
    PrefixNonDigit { position: usize, found: char },
    #[error("the virtual-account prefix does not start with a valid bank settlement number")]
    BadSettlementCheckDigit,
    #[error("identifier {identifier} does not fit in {digits} digits")]
    IdentifierTooLarge { identifier: u64, digits: usize },
    #[error("the account number does not start with this layout's prefix")]
    ForeignPrefix,
    #[error("the check digit of the identifier in the account number is wrong")]
    BadIdentifierCheckDigit,
}

/// Digits of the BBAN (payments.md §2.1: 8-digit settlement number + 16-digit identifier).
const BBAN_LEN: usize = 24;
const SETTLEMENT_LEN: usize = 8;

/// The Luhn check digit for `payload` (ASCII digits): from the right, every other digit starting
/// with the last is doubled (minus 9 above 9); the check digit brings the sum to a multiple of 10.
fn luhn_digit(payload: &str) -> char {
    let sum: u32 = payload
        .bytes()
        .rev()
        .enumerate()
        .map(|(index, b)| {
            let d = u32::from(b - b'0');
            if index % 2 == 0 {
                let doubled = d * 2;
                if doubled > 9 { doubled - 9 } else { doubled }
            } else {
                d
            }
        })
        .sum();
    char::from_digit((10 - sum % 10) % 10, 10).unwrap_or('0')
}

impl VirtualAccountLayout {
    /// A layout from the bank's prefix (8-digit settlement number + payee code).
    ///
    /// The prefix must leave at least one digit for the identifier itself: at most 23 digits,
    /// 22 with a check digit (the BBAN has 24, payments.md §2.1). Its first 8 digits must be a
    /// settlement number with a right check digit (payments.md §2.2), otherwise every number built
    /// from it would be refused.
    pub fn new(prefix: &str, check_digit: IdentifierCheck) -> Result<Self, VirtualAccountError> {
        if let Some((index, found)) = prefix.chars().enumerate().find(|(_, c)| !c.is_ascii_digit()) {
            return Err(VirtualAccountError::PrefixNonDigit { position: index + 1, found });
        }
        let max = BBAN_LEN - 1 - Self::check_len(check_digit);
        if !(SETTLEMENT_LEN..=max).contains(&prefix.len()) {
            return Err(VirtualAccountError::PrefixLength { found: prefix.len(), max });
        }
        if !is_valid_settlement_number(&prefix[..SETTLEMENT_LEN]) {
            return Err(VirtualAccountError::BadSettlementCheckDigit);
        }
        Ok(VirtualAccountLayout { prefix: prefix.to_owned(), check_digit })
    }

    fn check_len(check_digit: IdentifierCheck) -> usize {
        match check_digit {
            IdentifierCheck::None => 0,
            IdentifierCheck::Luhn => 1,
        }
    }

    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    pub fn check_digit(&self) -> IdentifierCheck {
        self.check_digit
    }

    /// How many digits the identifier itself may use: the BBAN's 24 minus the prefix, minus the
    /// check digit if there is one. At least 1, at most 16, so every identifier fits a `u64`.
    pub fn identifier_len(&self) -> usize {
        BBAN_LEN - self.prefix.len() - Self::check_len(self.check_digit)
    }

    /// The account number for `identifier`: prefix ‖ zero-padded identifier ‖ [check digit],
    /// with the NRB check digits computed as the bank does (payments.md §2.3–2.4).
    pub fn build(&self, identifier: u64) -> Result<Nrb, VirtualAccountError> {
        let digits = self.identifier_len();
        let padded = format!("{identifier:0digits$}");
        if padded.len() > digits {
            return Err(VirtualAccountError::IdentifierTooLarge { identifier, digits });
        }
        let mut bban = String::with_capacity(BBAN_LEN);
        bban.push_str(&self.prefix);
        bban.push_str(&padded);
        if self.check_digit == IdentifierCheck::Luhn {
            bban.push(luhn_digit(&padded));
        }
        // Valid by construction: mod 97 computed here, settlement number checked in `new`.
        Ok(Nrb(format!("{}{bban}", check_digits(&bban))))
    }

    /// The identifier inside a virtual account number of this layout — the reverse of
    /// [`build`](Self::build). Fails when the number belongs to another prefix or its identifier
    /// check digit is wrong. Whether the identifier was ever issued is for the caller to look up
    /// (payments.md §2.4, design rule).
    pub fn identifier_of(&self, nrb: &Nrb) -> Result<u64, VirtualAccountError> {
        let field = nrb.digits()[2..].strip_prefix(self.prefix.as_str()).ok_or(VirtualAccountError::ForeignPrefix)?;
        let identifier = match self.check_digit {
            IdentifierCheck::None => field,
            IdentifierCheck::Luhn => {
                // `new` leaves at least 2 digits here: one identifier digit and the check digit.
                let (identifier, check) = field.split_at(field.len() - 1);
                if !check.starts_with(luhn_digit(identifier)) {
                    return Err(VirtualAccountError::BadIdentifierCheckDigit);
                }
                identifier
            }
        };
        // At most 16 digits, so the fold cannot overflow a u64.
        Ok(identifier.bytes().fold(0, |value, b| value * 10 + u64::from(b - b'0')))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed unwrap is a failed test
mod tests {
    use super::*;
    use proptest::prelude::*;

    const TEXTBOOK: &str = "61109010140000071219812874";

    #[test]
    fn parses_every_written_form() {
        for text in [
            "61 1090 1014 0000 0712 1981 2874",
            "PL61109010140000071219812874",
            "pl61109010140000071219812874",
            "PL61 1090 1014 0000 0712 1981 2874",
            "61109010140000071219812874",
            "  61 1090 1014 0000 0712 1981 2874\n",
        ] {
            let nrb: Nrb = text.parse().unwrap_or_else(|e| panic!("{text:?}: {e}"));
            assert_eq!(nrb.digits(), TEXTBOOK, "{text:?}");
        }
    }

    #[test]
    fn prints_digits_iban_groups_and_settlement_number() {
        let nrb: Nrb = TEXTBOOK.parse().unwrap();
        assert_eq!(nrb.digits(), TEXTBOOK);
        assert_eq!(nrb.iban(), "PL61109010140000071219812874");
        assert_eq!(nrb.formatted(), "61 1090 1014 0000 0712 1981 2874");
        assert_eq!(nrb.to_string(), "61 1090 1014 0000 0712 1981 2874");
        assert_eq!(nrb.settlement_number(), "10901014");
    }

    /// payments.md §2.3 worked examples, plus the settlement-number check of §2.2.
    #[test]
    fn validation_table() {
        let table: [(&str, Result<(), NrbError>); 12] = [
            ("61 1090 1014 0000 0712 1981 2874", Ok(())),
            ("PL39109010141234567800004711", Ok(())),
            ("PL38109010141234567800047118", Ok(())),
            // One digit changed (…0000 4711 → …0010 4711).
            ("39 1090 1014 1234 5678 0010 4711", Err(NrbError::BadCheckDigits)),
            // Two adjacent digits swapped (…5678… → …6578…).
            ("39 1090 1014 1234 6578 0000 4711", Err(NrbError::BadCheckDigits)),
            // Check digits themselves wrong.
            ("62 1090 1014 0000 0712 1981 2874", Err(NrbError::BadCheckDigits)),
            // Mod 97 right (14 computed for this BBAN) but 10901015 is no settlement number.
            ("14 1090 1015 1234 5678 0000 4711", Err(NrbError::BadSettlementCheckDigit)),
            // The ZBP recommendation's example account: mod 97 right, 12401234 should end in 9.
            ("92124012340001567890123456", Err(NrbError::BadSettlementCheckDigit)),
            ("6110901014000007121981287", Err(NrbError::WrongLength { found: 25 })),
            ("611090101400000712198128740", Err(NrbError::WrongLength { found: 27 })),
            ("61-1090-1014", Err(NrbError::NonDigit { position: 3, found: '-' })),
            ("DE89370400440532013000", Err(NrbError::NonDigit { position: 1, found: 'D' })),
        ];
        for (text, expected) in table {
            assert_eq!(text.parse::<Nrb>().map(|_| ()), expected, "{text}");
        }
    }

    #[test]
    fn plain_form_refuses_spaces_and_prefix() {
        assert!(Nrb::from_plain(TEXTBOOK).is_ok());
        assert_eq!(Nrb::from_plain("PL61109010140000071219812874"), Err(NrbError::NonDigit { position: 1, found: 'P' }));
        assert_eq!(Nrb::from_plain("61 1090 1014 0000 0712 1981 2874"), Err(NrbError::NonDigit { position: 3, found: ' ' }));
    }

    /// payments.md §2.3: from scratch 98 − 37 = 61; the virtual example gives 39; §2.4's gives 38.
    #[test]
    fn computes_check_digits() {
        let table = [
            ("109010140000071219812874", "61"),
            ("109010141234567800004711", "39"),
            ("109010141234567800047118", "38"),
            ("109010151234567800004711", "14"),
            ("1090 1014 0000 0712 1981 2874", "61"),
        ];
        for (bban, check) in table {
            assert_eq!(check_digits(bban), check, "{bban}");
        }
    }

    /// payments.md §2.2: 1090101 → sum 76 → 4; the other verified examples pass; neighbours fail.
    #[test]
    fn settlement_number_check_digit() {
        for number in ["10901014", "10301944", "11602202", "10205561", "11401081", "10600076", "93170002"] {
            assert!(is_valid_settlement_number(number), "{number}");
        }
        for number in ["10901015", "10901013", "12401234", "1090101", "109010140", "1090101x", ""] {
            assert!(!is_valid_settlement_number(number), "{number}");
        }
    }

    #[test]
    fn serde_as_plain_digits() {
        let nrb: Nrb = TEXTBOOK.parse().unwrap();
        assert_eq!(serde_json::to_string(&nrb).unwrap(), format!("\"{TEXTBOOK}\""));
        for json in ["\"61109010140000071219812874\"", "\"PL61109010140000071219812874\"", "\"61 1090 1014 0000 0712 1981 2874\""] {
            assert_eq!(serde_json::from_str::<Nrb>(json).unwrap(), nrb, "{json}");
        }
        assert!(serde_json::from_str::<Nrb>("\"62109010140000071219812874\"").is_err());
    }

    /// payments.md §2.4 / §2.3: settlement number 10901014 + payee code 12345678, identifier
    /// 00004711 in digits 19–26, no check digit → PL39109010141234567800004711.
    #[test]
    fn virtual_account_without_check_digit() {
        let layout = VirtualAccountLayout::new("1090101412345678", IdentifierCheck::None).unwrap();
        assert_eq!(layout.identifier_len(), 8);
        let nrb = layout.build(4711).unwrap();
        assert_eq!(nrb.iban(), "PL39109010141234567800004711");
        assert_eq!(layout.identifier_of(&nrb), Ok(4711));
        assert_eq!(layout.build(0).map(|n| n.digits()[18..].to_owned()), Ok("00000000".to_owned()));
        assert!(layout.build(99_999_999).is_ok());
        assert_eq!(layout.build(100_000_000), Err(VirtualAccountError::IdentifierTooLarge { identifier: 100_000_000, digits: 8 }));
    }

    /// payments.md §2.4's hypothetical Luhn example PL38109010141234567800047118 comes from the
    /// same BS Łącko-style layout: prefix 1090101412345678 (16 digits), identifier field in digits
    /// 19–26 = 7 identifier digits "0004711" + Luhn digit "8". (Because leading zeros do not change
    /// a Luhn digit, the 17-digit prefix 10901014123456780 with 6 identifier digits gives the same
    /// number; the test shows both.)
    #[test]
    fn virtual_account_with_luhn_digit() {
        let layout = VirtualAccountLayout::new("1090101412345678", IdentifierCheck::Luhn).unwrap();
        assert_eq!(layout.identifier_len(), 7);
        let nrb = layout.build(4711).unwrap();
        assert_eq!(nrb.iban(), "PL38109010141234567800047118");
        assert_eq!(layout.identifier_of(&nrb), Ok(4711));

        let longer = VirtualAccountLayout::new("10901014123456780", IdentifierCheck::Luhn).unwrap();
        assert_eq!(longer.identifier_len(), 6);
        assert_eq!(longer.build(4711), Ok(nrb.clone()));
        assert_eq!(longer.identifier_of(&nrb), Ok(4711));

        // A well-formed NRB (mod 97 recomputed) whose Luhn digit is 7 instead of 8.
        let bban = "109010141234567800047117";
        let wrong: Nrb = format!("{}{bban}", check_digits(bban)).parse().unwrap();
        assert_eq!(layout.identifier_of(&wrong), Err(VirtualAccountError::BadIdentifierCheckDigit));
    }

    #[test]
    fn luhn_digits() {
        // The usual ISO/IEC 7812 example 7992739871 → 3; §2.4: 0004711 → 8.
        for (payload, digit) in [("7992739871", '3'), ("0004711", '8'), ("4711", '8'), ("0", '0'), ("1", '8')] {
            assert_eq!(luhn_digit(payload), digit, "{payload}");
        }
    }

    #[test]
    fn identifier_of_refuses_other_prefixes() {
        let layout = VirtualAccountLayout::new("1090101412345678", IdentifierCheck::None).unwrap();
        let textbook: Nrb = TEXTBOOK.parse().unwrap();
        assert_eq!(layout.identifier_of(&textbook), Err(VirtualAccountError::ForeignPrefix));
        let other = VirtualAccountLayout::new("1090101412345679", IdentifierCheck::None).unwrap();
        assert_eq!(other.identifier_of(&layout.build(4711).unwrap()), Err(VirtualAccountError::ForeignPrefix));
    }

    #[test]
    fn layout_validation() {
        use IdentifierCheck::{Luhn, None};
        let table = [
            ("10901014", None, Ok(16)),
            ("10901014", Luhn, Ok(15)),
            ("93170002", None, Ok(16)),
            ("10901014123456781234567", None, Ok(1)),
            ("1090101412345678123456", Luhn, Ok(1)),
            ("109010141234567812345678", None, Err(VirtualAccountError::PrefixLength { found: 24, max: 23 })),
            ("10901014123456781234567", Luhn, Err(VirtualAccountError::PrefixLength { found: 23, max: 22 })),
            ("1090101", None, Err(VirtualAccountError::PrefixLength { found: 7, max: 23 })),
            ("", None, Err(VirtualAccountError::PrefixLength { found: 0, max: 23 })),
            ("10901015", None, Err(VirtualAccountError::BadSettlementCheckDigit)),
            ("1090 1014", None, Err(VirtualAccountError::PrefixNonDigit { position: 5, found: ' ' })),
        ];
        for (prefix, check, expected) in table {
            let layout = VirtualAccountLayout::new(prefix, check);
            assert_eq!(layout.map(|l| l.identifier_len()), expected, "{prefix} {check:?}");
        }
    }

    #[test]
    fn layout_serde_validates() {
        let layout: VirtualAccountLayout = serde_json::from_str(r#"{"prefix":"1090101412345678","check_digit":"luhn"}"#).unwrap();
        assert_eq!(layout.check_digit(), IdentifierCheck::Luhn);
        assert_eq!(layout.prefix(), "1090101412345678");
        let json = serde_json::to_string(&layout).unwrap();
        assert_eq!(serde_json::from_str::<VirtualAccountLayout>(&json).unwrap(), layout);
        let plain: VirtualAccountLayout = serde_json::from_str(r#"{"prefix":"1090101412345678"}"#).unwrap();
        assert_eq!(plain.check_digit(), IdentifierCheck::None);
        assert!(serde_json::from_str::<VirtualAccountLayout>(r#"{"prefix":"10901015"}"#).is_err());
    }

    /// A valid settlement number from 7 digits: the 8th is the digit that makes the check pass.
    fn settlement_number(first_seven: &str) -> String {
        (0..10).map(|d| format!("{first_seven}{d}")).find(|candidate| is_valid_settlement_number(candidate)).unwrap_or_default()
    }

    proptest! {
        #[test]
        fn build_and_identifier_of_round_trip(
            first_seven in "[0-9]{7}",
            payee_code in "[0-9]{0,12}",
            luhn in any::<bool>(),
            seed in any::<u64>(),
        ) {
            let prefix = format!("{}{payee_code}", settlement_number(&first_seven));
            let check = if luhn { IdentifierCheck::Luhn } else { IdentifierCheck::None };
            let layout = VirtualAccountLayout::new(&prefix, check).unwrap();
            let width = u32::try_from(layout.identifier_len()).unwrap();
            let identifier = seed % 10u64.pow(width);

            let nrb = layout.build(identifier).unwrap();
            prop_assert_eq!(nrb.digits().len(), 26);
            prop_assert_eq!(&nrb.digits()[2..2 + prefix.len()], prefix.as_str());
            prop_assert_eq!(layout.identifier_of(&nrb), Ok(identifier));
            prop_assert_eq!(&nrb.formatted().parse::<Nrb>().unwrap(), &nrb);
            prop_assert_eq!(&nrb.iban().parse::<Nrb>().unwrap(), &nrb);
            prop_assert_eq!(&nrb.digits().parse::<Nrb>().unwrap(), &nrb);

            let too_large = 10u64.pow(width);
            prop_assert_eq!(
                layout.build(too_large),
                Err(VirtualAccountError::IdentifierTooLarge { identifier: too_large, digits: layout.identifier_len() })
            );
        }
    }
}
