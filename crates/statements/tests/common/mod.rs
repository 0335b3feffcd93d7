//! Helpers shared by the integration tests (included with `mod common;`).
#![allow(dead_code, reason = "each test binary uses a different part")]
#![allow(clippy::panic, reason = "test helpers: a panic is a failed test")]

use statements::{Encoding, Format, ParsedFile, StatementError};

/// A sample file from `shared/samples/bank-statements/`, which sits beside the repository.
pub const SAMPLES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/samples/bank-statements/");

pub fn sample(name: &str) -> Vec<u8> {
    let path = format!("{SAMPLES}{name}");
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

pub fn parse_sample(name: &str) -> ParsedFile {
    statements::parse(&sample(name), Format::Auto, None).unwrap_or_else(|e| panic!("{name}: {e}"))
}

pub fn mt940(text: &str) -> Result<ParsedFile, StatementError> {
    statements::parse(text.as_bytes(), Format::Mt940, Some(Encoding::Utf8))
}

pub fn date(text: &str) -> time::Date {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    time::Date::parse(text, &format).unwrap_or_else(|e| panic!("{text}: {e}"))
}

pub fn amount(text: &str) -> domain::Amount {
    text.parse().unwrap_or_else(|e| panic!("{text}: {e:?}"))
}

pub fn decimal(text: &str) -> rust_decimal::Decimal {
    text.parse().unwrap_or_else(|e| panic!("{text}: {e:?}"))
}

/// A minimal valid MT940 statement around the given `:61:`/`:86:` lines, with the balances made to add up
/// by the caller.
pub fn statement(opening: &str, body: &str, closing: &str) -> String {
    format!(":20:TEST\n:25:PL61109010140000071219812874\n:28C:1/1\n:60F:{opening}\n{body}:62F:{closing}\n-\n")
}
