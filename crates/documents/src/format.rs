//! Polish formatting of amounts, numbers and dates, and the SHA-256 helper, for the PDFs and for
//! anyone else who prints the same values (the SPA's texts, e-mails, exports).

use domain::Amount;
use rust_decimal::Decimal;
use sha2::{Digest, Sha256};
use time::Date;

/// The thousands separator and the space before "zł": U+00A0 NO-BREAK SPACE.
///
/// Chosen over U+2009 THIN SPACE (a breaking space: "1" and "234,56 zł" could end up on two lines)
/// and U+202F NARROW NO-BREAK SPACE (typographically nicest, but missing from many fonts, and
/// e-mail clients and terminals render it unevenly). Every font has U+00A0, it never breaks a
/// line, and text extracted from the PDF (or copied from the SPA) keeps the number in one piece.
pub const THOUSANDS_SEPARATOR: char = '\u{a0}';

/// "1 234,56 zł": groups of three digits separated by [`THOUSANDS_SEPARATOR`], a decimal comma,
/// always two decimal places, and "zł" after a no-break space.
pub fn format_amount_pl(amount: Amount) -> String {
    let grosze = amount.grosze();
    let zloty = grosze / 100;
    let rest = grosze % 100;
    format!("{},{rest:02}{THOUSANDS_SEPARATOR}zł", group_thousands(&zloty.to_string()))
}

/// "1 234,56": the amount as [`format_amount_pl`] prints it, without the currency, for table
/// columns headed "zł".
pub fn format_amount_pl_bare(amount: Amount) -> String {
    let grosze = amount.grosze();
    format!("{},{:02}", group_thousands(&(grosze / 100).to_string()), grosze % 100)
}

/// A decimal the Polish way, keeping the scale it has: 1234.5 → "1 234,5", 0.8900 → "0,8900",
/// 120 → "120". Quantities and rates are printed as the caller gives them (a rate of 1.19 zł/m²
/// or 0.5600 zł/ha is legally that many places), so trailing zeros are kept on purpose.
pub fn format_decimal_pl(value: Decimal) -> String {
    let text = value.abs().to_string();
    let (integer, fraction) = match text.split_once('.') {
        Some((integer, fraction)) => (integer, Some(fraction)),
        None => (text.as_str(), None),
    };
    let sign = if value.is_sign_negative() && !value.is_zero() { "-" } else { "" };
    match fraction {
        Some(fraction) => format!("{sign}{},{fraction}", group_thousands(integer)),
        None => format!("{sign}{}", group_thousands(integer)),
    }
}

/// "15.03.2026": day and month with two digits, as in Polish decisions and on receipts.
pub fn format_date_pl(date: Date) -> String {
    format!("{:02}.{:02}.{}", date.day(), u8::from(date.month()), date.year())
}

/// The lowercase hex SHA-256 of some bytes, e.g. of a rendered PDF for the audit log or an ETag.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// "1234567" → "1 234 567" (digits only).
fn group_thousands(digits: &str) -> String {
    let count = digits.chars().count();
    let mut out = String::with_capacity(digits.len() + count / 3 * 2);
    for (index, c) in digits.chars().enumerate() {
        if index > 0 && (count - index).is_multiple_of(3) {
            out.push(THOUSANDS_SEPARATOR);
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;
    use time::macros::date;

    fn amount(text: &str) -> Amount {
        text.parse().unwrap()
    }

    #[test]
    fn amounts_have_groups_comma_and_currency() {
        let table = [
            ("0", "0,00 zł"),
            ("0.05", "0,05 zł"),
            ("7.5", "7,50 zł"),
            ("100", "100,00 zł"),
            ("999.99", "999,99 zł"),
            ("1000", "1 000,00 zł"),
            ("1234.56", "1 234,56 zł"),
            ("98765.4", "98 765,40 zł"),
            ("123456.78", "123 456,78 zł"),
            ("1234567.89", "1 234 567,89 zł"),
        ];
        for (input, shown) in table {
            assert_eq!(format_amount_pl(amount(input)).replace('\u{a0}', " "), shown, "{input}");
        }
        assert_eq!(format_amount_pl(amount("1234.56")), "1\u{a0}234,56\u{a0}zł");
        assert_eq!(format_amount_pl_bare(amount("1234.56")), "1\u{a0}234,56");
    }

    #[test]
    fn decimals_keep_their_scale() {
        let table = [
            (dec!(120), "120"),
            (dec!(120.50), "120,50"),
            (dec!(1234.5), "1 234,5"),
            (dec!(0.8900), "0,8900"),
            (dec!(1.19), "1,19"),
            (dec!(-1234.5), "-1 234,5"),
            (dec!(1234567), "1 234 567"),
        ];
        for (input, shown) in table {
            assert_eq!(format_decimal_pl(input).replace('\u{a0}', " "), shown, "{input}");
        }
    }

    #[test]
    fn dates_are_day_month_year() {
        assert_eq!(format_date_pl(date!(2026 - 03 - 15)), "15.03.2026");
        assert_eq!(format_date_pl(date!(2026 - 11 - 05)), "05.11.2026");
        assert_eq!(format_date_pl(date!(999 - 01 - 01)), "01.01.999");
    }

    #[test]
    fn sha256_of_known_input() {
        assert_eq!(sha256_hex(b""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        assert_eq!(sha256_hex(b"abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }
}
