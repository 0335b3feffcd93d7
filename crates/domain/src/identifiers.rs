//! Identifiers of taxpayers: PESEL (natural persons), NIP (tax identification number) and REGON
//! (statistical business register), as validated newtypes.
//!
//! Each type is only ever built from a number whose length, digits and check digit are right, so
//! code holding a `Pesel`, `Nip` or `Regon` never re-validates. Input is taken the way people type
//! it (surrounding whitespace; for NIP also dashes and a "PL" prefix) and always stored and shown
//! as plain digits. In JSON each travels as a string of digits.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use time::{Date, Month};

/// Which identifier an error is about; shown in error messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IdentifierKind {
    Pesel,
    Nip,
    Regon,
}

impl fmt::Display for IdentifierKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            IdentifierKind::Pesel => "PESEL",
            IdentifierKind::Nip => "NIP",
            IdentifierKind::Regon => "REGON",
        })
    }
}

/// What is wrong with a typed identifier. Messages never repeat the input: a PESEL is personal
/// data and must not end up in logs (ARCHITECTURE-TARGET.md, "Logging").
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdentifierError {
    #[error("{kind} must have {expected} digits, found {found}")]
    WrongLength { kind: IdentifierKind, expected: &'static str, found: usize },
    /// `position` is 1-based, counted in the number as written after surrounding whitespace and
    /// any "PL" prefix are removed.
    #[error("{kind} contains {found:?} at position {position}; only digits are allowed")]
    NonDigit { kind: IdentifierKind, position: usize, found: char },
    #[error("{kind} has a wrong check digit")]
    BadChecksum { kind: IdentifierKind },
    #[error("PESEL encodes a birth date that does not exist")]
    ImpossibleBirthDate,
}

/// Why [`Pesel::generate`] cannot encode the requested number.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PeselGenerationError {
    #[error("PESEL can encode birth years 1800–2299 only, not {year}")]
    YearOutOfRange { year: i32 },
    #[error("the PESEL serial number has four digits (0–9999), not {serial}")]
    SerialOutOfRange { serial: u16 },
}

/// Checks that `digits` is made of ASCII digits only and has one of the `lengths`.
/// Non-digits are reported before the length: "contains 'O' at position 3" says more than
/// "wrong length" when the input is of the wrong kind altogether.
fn plain_digits(kind: IdentifierKind, digits: &str, lengths: &[usize], expected: &'static str) -> Result<(), IdentifierError> {
    if let Some((index, found)) = digits.chars().enumerate().find(|(_, c)| !c.is_ascii_digit()) {
        return Err(IdentifierError::NonDigit { kind, position: index + 1, found });
    }
    if !lengths.contains(&digits.len()) {
        return Err(IdentifierError::WrongLength { kind, expected, found: digits.len() });
    }
    Ok(())
}

/// Σ digitᵢ·weightᵢ over the leading digits; the caller has checked they are ASCII digits.
fn weighted_sum(digits: &str, weights: &[u32]) -> u32 {
    digits.bytes().zip(weights).map(|(d, w)| u32::from(d - b'0') * w).sum()
}

/// The numeric value of the ASCII digit at `index` (0-based); the caller has checked the digits.
fn digit_at(digits: &str, index: usize) -> u32 {
    digits.as_bytes().get(index).map_or(0, |d| u32::from(d - b'0'))
}

/// Two ASCII digits at `index` as a number (e.g. the month field of a PESEL).
fn two_digits_at(digits: &str, index: usize) -> u32 {
    digit_at(digits, index) * 10 + digit_at(digits, index + 1)
}

/// Removes a "PL" country prefix in either case (EU VAT numbers are written "PL1234563218").
fn strip_pl_prefix(text: &str) -> &str {
    match (text.get(..2), text.get(2..)) {
        (Some(prefix), Some(rest)) if prefix.eq_ignore_ascii_case("PL") => rest,
        _ => text,
    }
}

/// Shared plumbing: plain-digit storage, `as_str`, `Display`, serde as a string.
macro_rules! digit_string_impls {
    ($name:ident) => {
        impl $name {
            /// The plain digits, without separators or prefix.
            pub fn as_str(&self) -> &str {
                &self.digits
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.digits
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.digits)
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(&self.digits)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let text = String::deserialize(deserializer)?;
                text.parse().map_err(serde::de::Error::custom)
            }
        }
    };
}

// ---------------------------------------------------------------------------------------------
// PESEL

/// PESEL, the 11-digit personal number of the national population register.
///
/// Structure per art. 15 ust. 2 of the Act of 24 September 2010 on population records (ustawa o
/// ewidencji ludności): YYMMDD birth date with the century coded in the month, a 4-digit serial
/// whose last digit is the sex, and a check digit. The Act lists the offsets for 1800–2099 only;
/// 2100–2199 (+40) and 2200–2299 (+60) follow the register's published scheme. The check-digit
/// algorithm is not in the Act; it is the one published with the register (weights
/// 1,3,7,9,1,3,7,9,1,3; check = (10 − sum mod 10) mod 10).
///
/// `Debug` does not show the number: it is personal data (ARCHITECTURE-TARGET.md, "Logging").
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Pesel {
    digits: String,
    /// Decoded once while parsing, so that reading it later cannot fail.
    birth_date: Date,
}

const PESEL_WEIGHTS: [u32; 10] = [1, 3, 7, 9, 1, 3, 7, 9, 1, 3];

/// The check digit over the first 10 digits of a PESEL.
fn pesel_check_digit(first_ten: &str) -> u32 {
    (10 - weighted_sum(first_ten, &PESEL_WEIGHTS) % 10) % 10
}

/// The month offset that codes the century of birth (art. 15 ust. 2 pkt 2; 40/60 beyond 2099).
fn century_month_offset(year: i32) -> Option<u8> {
    match year {
        1800..=1899 => Some(80),
        1900..=1999 => Some(0),
        2000..=2099 => Some(20),
        2100..=2199 => Some(40),
        2200..=2299 => Some(60),
        _ => None,
    }
}

/// Reverses [`century_month_offset`]: the coded month field → (first year of century, month).
fn decode_century_month(coded: u32) -> Option<(i32, u32)> {
    match coded {
        1..=12 => Some((1900, coded)),
        21..=32 => Some((2000, coded - 20)),
        41..=52 => Some((2100, coded - 40)),
        61..=72 => Some((2200, coded - 60)),
        81..=92 => Some((1800, coded - 80)),
        _ => None,
    }
}

impl Pesel {
    /// Parses 11 digits exactly as given (no whitespace); `FromStr` trims first.
    fn from_plain(digits: &str) -> Result<Pesel, IdentifierError> {
        plain_digits(IdentifierKind::Pesel, digits, &[11], "11")?;
        if pesel_check_digit(digits) != digit_at(digits, 10) {
            return Err(IdentifierError::BadChecksum { kind: IdentifierKind::Pesel });
        }
        let (century, month) = decode_century_month(two_digits_at(digits, 2)).ok_or(IdentifierError::ImpossibleBirthDate)?;
        let year = century + i32::try_from(two_digits_at(digits, 0)).unwrap_or(0);
        let month = u8::try_from(month).ok().and_then(|m| Month::try_from(m).ok()).ok_or(IdentifierError::ImpossibleBirthDate)?;
        let day = u8::try_from(two_digits_at(digits, 4)).unwrap_or(0);
        let birth_date = Date::from_calendar_date(year, month, day).map_err(|_| IdentifierError::ImpossibleBirthDate)?;
        Ok(Pesel { digits: digits.to_owned(), birth_date })
    }

    /// A synthetic, valid PESEL for `birth_date` and a 4-digit `serial` (its last digit is the
    /// sex: even for women, odd for men, art. 15 ust. 2 pkt 4); the check digit is computed.
    /// For demo and test data: real numbers are assigned by the register, never made up.
    pub fn generate(birth_date: Date, serial: u16) -> Result<Pesel, PeselGenerationError> {
        let year = birth_date.year();
        let offset = century_month_offset(year).ok_or(PeselGenerationError::YearOutOfRange { year })?;
        if serial > 9999 {
            return Err(PeselGenerationError::SerialOutOfRange { serial });
        }
        let first_ten =
            format!("{:02}{:02}{:02}{:04}", year.rem_euclid(100), u8::from(birth_date.month()) + offset, birth_date.day(), serial);
        let digits = format!("{first_ten}{}", pesel_check_digit(&first_ten));
        Ok(Pesel { digits, birth_date })
    }

    /// The birth date coded in digits 1–6 (art. 15 ust. 2 pkt 1–2).
    pub fn birth_date(&self) -> Date {
        self.birth_date
    }

    /// Whether the sex digit (the 10th) is even, which marks a woman (art. 15 ust. 2 pkt 4).
    pub fn is_female(&self) -> bool {
        digit_at(&self.digits, 9).is_multiple_of(2)
    }
}

impl FromStr for Pesel {
    type Err = IdentifierError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Pesel::from_plain(s.trim())
    }
}

impl fmt::Debug for Pesel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Pesel(<redacted>)")
    }
}

digit_string_impls!(Pesel);

// ---------------------------------------------------------------------------------------------
// NIP

/// NIP, the 10-digit tax identification number (numer identyfikacji podatkowej) introduced by the
/// Act of 13 October 1995 on the registration and identification of taxpayers.
///
/// Check digit, as published with the number (not in the Act; e.g.
/// <https://minikalkulator.pl/sprawdzanie-nip-weryfikacja-numeru>): Σ digitᵢ·(6,5,7,2,3,4,5,6,7)
/// mod 11 equals the 10th digit. A remainder of 10 is never issued, so such a number is invalid.
/// Input may carry dashes between digits (the old "123-456-32-18" / "123-45-63-218" groupings)
/// and a "PL" prefix (the EU VAT form "PL1234563218").
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Nip {
    digits: String,
}

const NIP_WEIGHTS: [u32; 9] = [6, 5, 7, 2, 3, 4, 5, 6, 7];

impl Nip {
    /// Parses exactly 10 digits, nothing else: for machine formats (the ZBP QR field,
    /// payments.md §3) where separators or a prefix mean the data is malformed.
    pub(crate) fn from_plain(digits: &str) -> Result<Nip, IdentifierError> {
        plain_digits(IdentifierKind::Nip, digits, &[10], "10")?;
        let remainder = weighted_sum(digits, &NIP_WEIGHTS) % 11;
        if remainder == 10 || remainder != digit_at(digits, 9) {
            return Err(IdentifierError::BadChecksum { kind: IdentifierKind::Nip });
        }
        Ok(Nip { digits: digits.to_owned() })
    }
}

impl FromStr for Nip {
    type Err = IdentifierError;
    /// Accepts surrounding whitespace, an optional "PL"/"pl" prefix and single dashes between
    /// digits; a leading, trailing or doubled dash is reported as a non-digit.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let written = strip_pl_prefix(s.trim()).trim_start();
        let chars: Vec<char> = written.chars().collect();
        let mut digits = String::with_capacity(10);
        for (index, &c) in chars.iter().enumerate() {
            let between_digits = index > 0
                && chars.get(index - 1).is_some_and(char::is_ascii_digit)
                && chars.get(index + 1).is_some_and(char::is_ascii_digit);
            if c.is_ascii_digit() {
                digits.push(c);
            } else if !(c == '-' && between_digits) {
                return Err(IdentifierError::NonDigit { kind: IdentifierKind::Nip, position: index + 1, found: c });
            }
        }
        Nip::from_plain(&digits)
    }
}

digit_string_impls!(Nip);

// ---------------------------------------------------------------------------------------------
// REGON

/// REGON, the identification number in the national business register kept by GUS: 9 digits for
/// an entity (8-digit ordinal + check digit) or 14 for a local unit (the parent's 9 digits, a
/// 4-digit ordinal, a check digit) — <https://bip.stat.gov.pl/en/regon/>.
///
/// Check digits, as implemented alike by e.g. Hibernate Validator (`REGONValidator`) and
/// python-stdnum (`regon.py`): REGON-9 weights 8,9,2,3,4,5,6,7; REGON-14 weights
/// 2,4,8,5,0,9,7,3,6,1,2,4,8; both mod 11 with a remainder of 10 written as 0. Because the
/// 14-digit weights skip the 9th digit, a REGON-14 is also checked as a REGON-9 on its first 9.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Regon {
    digits: String,
}

const REGON9_WEIGHTS: [u32; 8] = [8, 9, 2, 3, 4, 5, 6, 7];
const REGON14_WEIGHTS: [u32; 13] = [2, 4, 8, 5, 0, 9, 7, 3, 6, 1, 2, 4, 8];

/// Whether the digit after the weighted ones is the mod-11 check digit (10 → 0).
fn regon_check_ok(digits: &str, weights: &[u32]) -> bool {
    let expected = weighted_sum(digits, weights) % 11 % 10;
    expected == digit_at(digits, weights.len())
}

impl Regon {
    fn from_plain(digits: &str) -> Result<Regon, IdentifierError> {
        plain_digits(IdentifierKind::Regon, digits, &[9, 14], "9 or 14")?;
        let valid = regon_check_ok(digits, &REGON9_WEIGHTS) && (digits.len() == 9 || regon_check_ok(digits, &REGON14_WEIGHTS));
        if !valid {
            return Err(IdentifierError::BadChecksum { kind: IdentifierKind::Regon });
        }
        Ok(Regon { digits: digits.to_owned() })
    }

    /// Whether this is the 14-digit number of a local unit rather than of an entity.
    pub fn is_local_unit(&self) -> bool {
        self.digits.len() == 14
    }
}

impl FromStr for Regon {
    type Err = IdentifierError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Regon::from_plain(s.trim())
    }
}

digit_string_impls!(Regon);

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed unwrap is a failed test
mod tests {
    use super::*;
    use time::macros::date;

    use IdentifierKind::{Nip as KNip, Pesel as KPesel, Regon as KRegon};

    /// Valid PESELs with their birth dates and sex, each check digit recomputed by hand/Python.
    #[test]
    fn pesel_valid_table() {
        let table = [
            // The classic textbook example: 1944-05-14, serial 0135, man.
            ("44051401359", date!(1944 - 05 - 14), false),
            // Month 07 without offset = 1900s: 1902-07-08, woman.
            ("02070803628", date!(1902 - 07 - 08), true),
            // The same day in 2002 (month 07 + 20 = 27), woman.
            ("02270803624", date!(2002 - 07 - 08), true),
            // Sample PersonIdentifier of the login node, protocols/identity.md §1.6 (DateOfBirth 1987-02-22).
            ("87022243734", date!(1987 - 02 - 22), false),
            // 1800s: month + 80.
            ("80831512343", date!(1880 - 03 - 15), true),
            ("99923199997", date!(1899 - 12 - 31), false),
            // 2100s: month + 40; 2200s: month + 60.
            ("01410100007", date!(2101 - 01 - 01), true),
            ("99723143211", date!(2299 - 12 - 31), false),
            // 29 February in leap years 2000 and 2024.
            ("00222913579", date!(2000 - 02 - 29), false),
            ("24222924685", date!(2024 - 02 - 29), true),
        ];
        for (text, born, female) in table {
            let pesel: Pesel = text.parse().unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(pesel.as_str(), text);
            assert_eq!(pesel.to_string(), text);
            assert_eq!(pesel.birth_date(), born, "{text}");
            assert_eq!(pesel.is_female(), female, "{text}");
        }
    }

    #[test]
    fn pesel_invalid_table() {
        let table = [
            ("44051401358", IdentifierError::BadChecksum { kind: KPesel }),
            // Two digits swapped (serial 0135 → 0153).
            ("44051401539", IdentifierError::BadChecksum { kind: KPesel }),
            ("4405140135", IdentifierError::WrongLength { kind: KPesel, expected: "11", found: 10 }),
            ("440514013590", IdentifierError::WrongLength { kind: KPesel, expected: "11", found: 12 }),
            ("", IdentifierError::WrongLength { kind: KPesel, expected: "11", found: 0 }),
            ("4405140I359", IdentifierError::NonDigit { kind: KPesel, position: 8, found: 'I' }),
            ("440514 01359", IdentifierError::NonDigit { kind: KPesel, position: 7, found: ' ' }),
            // Checksums right, dates impossible: 1900 is not a leap year (2000 is, see above).
            ("00022912343", IdentifierError::ImpossibleBirthDate),
            ("01022912340", IdentifierError::ImpossibleBirthDate),
            // Month 13, month 00, month 93 (no century codes them), day 00, 31 April.
            ("99130112347", IdentifierError::ImpossibleBirthDate),
            ("99000112341", IdentifierError::ImpossibleBirthDate),
            ("00930112347", IdentifierError::ImpossibleBirthDate),
            ("99010012345", IdentifierError::ImpossibleBirthDate),
            ("99043112342", IdentifierError::ImpossibleBirthDate),
        ];
        for (text, error) in table {
            assert_eq!(text.parse::<Pesel>(), Err(error), "{text}");
        }
    }

    #[test]
    fn pesel_trims_whitespace_and_hides_itself_in_debug() {
        let pesel: Pesel = " 44051401359\n".parse().unwrap();
        assert_eq!(pesel.as_str(), "44051401359");
        assert_eq!(format!("{pesel:?}"), "Pesel(<redacted>)");
    }

    #[test]
    fn pesel_generate_matches_known_numbers() {
        let table = [
            (date!(1944 - 05 - 14), 135, "44051401359"),
            (date!(1902 - 07 - 08), 362, "02070803628"),
            (date!(2002 - 07 - 08), 362, "02270803624"),
            (date!(1880 - 03 - 15), 1234, "80831512343"),
            (date!(2101 - 01 - 01), 0, "01410100007"),
            (date!(2299 - 12 - 31), 4321, "99723143211"),
            (date!(1900 - 02 - 28), 1, "00022800013"),
            (date!(1800 - 01 - 01), 0, "00810100002"),
        ];
        for (born, serial, expected) in table {
            let pesel = Pesel::generate(born, serial).unwrap();
            assert_eq!(pesel.as_str(), expected);
            assert_eq!(expected.parse::<Pesel>().unwrap(), pesel);
        }
    }

    #[test]
    fn pesel_generate_round_trips_every_sex_digit() {
        for serial in [0, 1, 2, 9, 10, 4711, 9998, 9999] {
            let pesel = Pesel::generate(date!(1975 - 12 - 31), serial).unwrap();
            let parsed: Pesel = pesel.as_str().parse().unwrap();
            assert_eq!(parsed.birth_date(), date!(1975 - 12 - 31));
            assert_eq!(parsed.is_female(), serial % 2 == 0, "serial {serial}");
        }
    }

    #[test]
    fn pesel_generate_rejects_what_cannot_be_coded() {
        assert_eq!(Pesel::generate(date!(1799 - 12 - 31), 1), Err(PeselGenerationError::YearOutOfRange { year: 1799 }));
        assert_eq!(Pesel::generate(date!(2300 - 01 - 01), 1), Err(PeselGenerationError::YearOutOfRange { year: 2300 }));
        assert_eq!(Pesel::generate(date!(1990 - 01 - 01), 10_000), Err(PeselGenerationError::SerialOutOfRange { serial: 10_000 }));
    }

    #[test]
    fn nip_accepts_written_forms() {
        for text in [
            "1234563218",
            " 1234563218 ",
            "123-456-32-18",
            "123-45-63-218",
            "PL1234563218",
            "pl1234563218",
            "PL 1234563218",
            "PL123-456-32-18",
        ] {
            let nip: Nip = text.parse().unwrap_or_else(|e| panic!("{text:?}: {e}"));
            assert_eq!(nip.as_str(), "1234563218", "{text:?}");
            assert_eq!(nip.to_string(), "1234563218");
        }
    }

    /// Checksum-valid NIPs (sum mod 11 recomputed).
    #[test]
    fn nip_valid_table() {
        for text in ["1234563218", "5260250274", "7740001454", "1070001057", "5213017228", "7251801126"] {
            assert!(text.parse::<Nip>().is_ok(), "{text}");
        }
    }

    #[test]
    fn nip_invalid_table() {
        let table = [
            ("1234563219", IdentifierError::BadChecksum { kind: KNip }),
            // 1234567890, the ZBP recommendation's example: remainder 10, so no last digit fits.
            ("1234567890", IdentifierError::BadChecksum { kind: KNip }),
            ("1234567891", IdentifierError::BadChecksum { kind: KNip }),
            // Adjacent digits swapped.
            ("1234536218", IdentifierError::BadChecksum { kind: KNip }),
            ("123456321", IdentifierError::WrongLength { kind: KNip, expected: "10", found: 9 }),
            ("12345632180", IdentifierError::WrongLength { kind: KNip, expected: "10", found: 11 }),
            ("123 456 32 18", IdentifierError::NonDigit { kind: KNip, position: 4, found: ' ' }),
            ("-1234563218", IdentifierError::NonDigit { kind: KNip, position: 1, found: '-' }),
            ("1234563218-", IdentifierError::NonDigit { kind: KNip, position: 11, found: '-' }),
            ("123--4563218", IdentifierError::NonDigit { kind: KNip, position: 4, found: '-' }),
            ("DE1234563218", IdentifierError::NonDigit { kind: KNip, position: 1, found: 'D' }),
        ];
        for (text, error) in table {
            assert_eq!(text.parse::<Nip>(), Err(error), "{text}");
        }
    }

    #[test]
    fn nip_plain_form_refuses_separators() {
        assert!(Nip::from_plain("1234563218").is_ok());
        assert_eq!(Nip::from_plain("123-456-32-18"), Err(IdentifierError::NonDigit { kind: KNip, position: 4, found: '-' }));
        assert_eq!(Nip::from_plain("PL1234563218"), Err(IdentifierError::NonDigit { kind: KNip, position: 1, found: 'P' }));
    }

    /// Checksum-valid REGONs (mod 11 recomputed), including remainders of 10 written as 0.
    #[test]
    fn regon_valid_table() {
        let table = [
            ("123456785", false),
            ("000331501", false),
            ("012100784", false),
            ("610188201", false),
            ("123456740", false), // remainder 10 → check digit 0
            ("123456800", false), // remainder 10 → check digit 0
            ("12345678512347", true),
            ("12345678500010", true), // 14-digit remainder 10 → 0
        ];
        for (text, local) in table {
            let regon: Regon = text.parse().unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(regon.as_str(), text);
            assert_eq!(regon.is_local_unit(), local, "{text}");
        }
    }

    #[test]
    fn regon_invalid_table() {
        let table = [
            ("123456786", IdentifierError::BadChecksum { kind: KRegon }),
            // Remainder 10 must be written 0, not taken modulo something else.
            ("123456741", IdentifierError::BadChecksum { kind: KRegon }),
            ("12345678512348", IdentifierError::BadChecksum { kind: KRegon }),
            // Its own 14-digit check is right, but the first 9 digits are not a valid REGON-9.
            ("12345678612342", IdentifierError::BadChecksum { kind: KRegon }),
            ("12345678", IdentifierError::WrongLength { kind: KRegon, expected: "9 or 14", found: 8 }),
            ("1234567851", IdentifierError::WrongLength { kind: KRegon, expected: "9 or 14", found: 10 }),
            ("1234567851234", IdentifierError::WrongLength { kind: KRegon, expected: "9 or 14", found: 13 }),
            ("12345678x", IdentifierError::NonDigit { kind: KRegon, position: 9, found: 'x' }),
        ];
        for (text, error) in table {
            assert_eq!(text.parse::<Regon>(), Err(error), "{text}");
        }
        assert_eq!(" 123456785\t".parse::<Regon>().map(|r| r.to_string()), Ok("123456785".to_string()));
    }

    #[test]
    fn serde_as_plain_digit_strings() {
        let nip: Nip = "123-456-32-18".parse().unwrap();
        assert_eq!(serde_json::to_string(&nip).unwrap(), "\"1234563218\"");
        assert_eq!(serde_json::from_str::<Nip>("\"PL 123-456-32-18\"").unwrap(), nip);
        assert!(serde_json::from_str::<Nip>("\"1234563219\"").is_err());

        let pesel: Pesel = "44051401359".parse().unwrap();
        assert_eq!(serde_json::to_string(&pesel).unwrap(), "\"44051401359\"");
        assert_eq!(serde_json::from_str::<Pesel>("\"44051401359\"").unwrap(), pesel);
        let error = serde_json::from_str::<Pesel>("\"00022912343\"").unwrap_err().to_string();
        assert!(error.contains("birth date") && !error.contains("00022912343"), "{error}");

        let regon: Regon = "12345678512347".parse().unwrap();
        assert_eq!(serde_json::to_string(&regon).unwrap(), "\"12345678512347\"");
        assert_eq!(serde_json::from_str::<Regon>("\"12345678512347\"").unwrap(), regon);
    }

    #[test]
    fn error_messages_say_what_is_wrong() {
        assert_eq!("123".parse::<Nip>().unwrap_err().to_string(), "NIP must have 10 digits, found 3");
        assert_eq!("4405140I359".parse::<Pesel>().unwrap_err().to_string(), "PESEL contains 'I' at position 8; only digits are allowed");
        assert_eq!("123456786".parse::<Regon>().unwrap_err().to_string(), "REGON has a wrong check digit");
    }
}
