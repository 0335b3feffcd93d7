//! The fixed-syntax MT940 fields: dates, amounts, balances (`:60F:` …) and the statement line `:61:`
//! (payments.md §4.1, SWIFT MT940 field specifications).

use domain::Amount;
use rust_decimal::Decimal;
use time::{Date, Month};

use crate::error::Mt940Problem;
use crate::model::{Balance, BalanceKind, Direction};

/// `YYMMDD`. Two-digit years 00–69 are 20xx, 70–99 are 19xx: NRB-era Polish files start in 2002.
pub(crate) fn date(text: &str) -> Result<Date, Mt940Problem> {
    let bad = || Mt940Problem::BadDate(text.to_owned());
    let digits = two_digit_fields::<3>(text).ok_or_else(bad)?;
    let [yy, mm, dd] = digits;
    let year = if yy < 70 { 2000 + i32::from(yy) } else { 1900 + i32::from(yy) };
    let month = Month::try_from(mm).map_err(|_| bad())?;
    Date::from_calendar_date(year, month, dd).map_err(|_| bad())
}

/// `N` two-digit numbers from exactly `2N` ASCII digits.
fn two_digit_fields<const N: usize>(text: &str) -> Option<[u8; N]> {
    let bytes = text.as_bytes();
    if bytes.len() != 2 * N || !bytes.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let mut out = [0u8; N];
    for (i, pair) in bytes.chunks(2).enumerate() {
        out[i] = (pair[0] - b'0') * 10 + (pair[1] - b'0');
    }
    Some(out)
}

/// The year of an entry date `MMDD` (which has none): the one that puts it closest to the value date,
/// so `:61:1412310105` books on 2015-01-05 and `:61:2601011230` on 2025-12-30 (payments.md §5.6,
/// bug reports 22 and 23). Never the current year: the value date is the anchor.
pub(crate) fn entry_date(value_date: Date, month: u8, day: u8) -> Result<Date, Mt940Problem> {
    let month_enum = Month::try_from(month).map_err(|_| Mt940Problem::BadDate(format!("{month:02}{day:02}")))?;
    let year = value_date.year();
    [year - 1, year, year + 1]
        .into_iter()
        .filter_map(|y| Date::from_calendar_date(y, month_enum, day).ok())
        .min_by_key(|candidate| (*candidate - value_date).abs())
        .ok_or_else(|| Mt940Problem::BadDate(format!("{month:02}{day:02}")))
}

/// An MT940 amount (`15d`): digits with a decimal comma, at most 15 digits before it. The separator
/// is mandatory (SWIFT), which also makes a file cut inside an amount an error.
///
/// A decimal dot is accepted too (BNP Paribas writes `1211771.46`, payments.md §4.2): MT940 amounts
/// have no thousands separators, and a dot followed by more than two digits is refused, so a dot can
/// never be misread as one. Digits past the second decimal place must be zeros (the model keeps grosze).
pub(crate) fn amount(text: &str) -> Result<Amount, Mt940Problem> {
    let bad = || Mt940Problem::BadAmount(text.to_owned());
    let at = text.find([',', '.']).ok_or_else(bad)?;
    let (whole, fraction, dot) = (&text[..at], &text[at + 1..], text.as_bytes()[at] == b'.');
    if (whole.is_empty() && fraction.is_empty())
        || whole.len() > 15
        || !whole.bytes().chain(fraction.bytes()).all(|b| b.is_ascii_digit())
        || (dot && fraction.len() > 2)
    {
        return Err(bad());
    }
    let (cents, rest) = fraction.split_at(fraction.len().min(2));
    if rest.bytes().any(|b| b != b'0') {
        return Err(bad());
    }
    let mut grosze: i64 = 0;
    for b in whole.bytes() {
        grosze = grosze.checked_mul(10).and_then(|g| g.checked_add(i64::from(b - b'0'))).ok_or_else(bad)?;
    }
    let mut cents_value = 0;
    for (i, b) in cents.bytes().enumerate() {
        cents_value += i64::from(b - b'0') * if i == 0 { 10 } else { 1 };
    }
    let total = grosze.checked_mul(100).and_then(|g| g.checked_add(cents_value)).ok_or_else(bad)?;
    Amount::from_grosze(total).map_err(|_| bad())
}

/// A three-letter currency code.
pub(crate) fn currency(text: &str) -> Result<String, Mt940Problem> {
    if text.len() == 3 && text.bytes().all(|b| b.is_ascii_uppercase()) {
        Ok(text.to_owned())
    } else {
        Err(Mt940Problem::BadCurrency(text.to_owned()))
    }
}

/// A balance field `1!a6!n3!a15d`: mark, date, currency, amount (`:60F:C170119PLN0,40`).
/// A debit balance is negative; a zero balance is zero whatever its mark (PKO marks zero `C`).
pub(crate) fn balance(text: &str, kind: BalanceKind) -> Result<Balance, Mt940Problem> {
    let text = text.trim();
    let malformed = || Mt940Problem::Malformed(format!("balance {text:?}: expected mark, YYMMDD, currency, amount"));
    let sign = match text.as_bytes().first() {
        Some(b'C') => Direction::Credit,
        Some(b'D') => Direction::Debit,
        Some(_) => return Err(Mt940Problem::BadMark(text.chars().take(1).collect())),
        None => return Err(malformed()),
    };
    let date_text = text.get(1..7).ok_or_else(malformed)?;
    let currency_text = text.get(7..10).ok_or_else(malformed)?;
    let amount_text = text.get(10..).ok_or_else(malformed)?;
    let amount = amount(amount_text)?;
    let mut value = sign.signed(amount);
    if value.is_zero() {
        value = Decimal::new(0, 2);
    }
    Ok(Balance { kind, date: date(date_text)?, currency: currency(currency_text)?, amount: value })
}

/// The parsed first line of `:61:` (`6!n[4!n]2a[1!a]15d1!a3!c16x[//16x]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Entry {
    pub value_date: Date,
    pub entry_date: Option<(u8, u8)>,
    pub direction: Direction,
    pub reversal: bool,
    pub amount: Amount,
    pub transaction_code: String,
    pub customer_reference: Option<String>,
    pub bank_reference: Option<String>,
}

/// Why `:61:` could not be read, and whether the text simply stopped early (then the caller tries
/// again with the next line joined: banks break `:61:` inside, payments.md §5 bug report 4).
pub(crate) struct EntryError {
    pub problem: Mt940Problem,
    pub incomplete: bool,
}

impl From<Mt940Problem> for EntryError {
    fn from(problem: Mt940Problem) -> Self {
        EntryError { problem, incomplete: false }
    }
}

pub(crate) fn entry(text: &str) -> Result<Entry, EntryError> {
    let incomplete = |what: &str| EntryError { problem: Mt940Problem::Malformed(format!("{what} missing in {text:?}")), incomplete: true };
    let value_text = text.get(..6).ok_or_else(|| incomplete("value date"))?;
    let value_date = date(value_text)?;
    let mut rest = &text[6..];

    // Optional entry date MMDD; some banks write four spaces instead (wolph/mt940 PR #108).
    let mut entry_date = None;
    if let Some(candidate) = rest.get(..4) {
        if let Some([mm, dd]) = two_digit_fields::<2>(candidate) {
            if !(1..=12).contains(&mm) || !(1..=31).contains(&dd) {
                return Err(Mt940Problem::BadDate(candidate.to_owned()).into());
            }
            entry_date = Some((mm, dd));
            rest = &rest[4..];
        } else if candidate == "    " {
            rest = &rest[4..];
        }
    }

    // Mark: C, D, RC (reversal of credit = debit), RD (reversal of debit = credit) (payments.md §4.1).
    let (direction, reversal, mark_len) = match rest.as_bytes() {
        [b'R', b'C', ..] => (Direction::Debit, true, 2),
        [b'R', b'D', ..] => (Direction::Credit, true, 2),
        [b'E', b'C' | b'D', ..] => return Err(Mt940Problem::ExpectedEntry(rest[..2].to_owned()).into()),
        [b'C', ..] => (Direction::Credit, false, 1),
        [b'D', ..] => (Direction::Debit, false, 1),
        [] => return Err(incomplete("debit/credit mark")),
        _ => return Err(Mt940Problem::BadMark(rest.chars().take(2).collect()).into()),
    };
    rest = &rest[mark_len..];

    // Optional funds code: the third letter of the currency (`CN`, `DR`, `DD`), never a mark
    // (payments.md §5.5, bug reports 13 and 15).
    if rest.as_bytes().first().is_some_and(u8::is_ascii_uppercase) {
        rest = &rest[1..];
    }
    if rest.starts_with(['-', '+']) {
        return Err(Mt940Problem::SignAfterMark(text.get(..(text.len() - rest.len() + 1)).unwrap_or(text).to_owned()).into());
    }

    let amount_len = rest.bytes().take_while(|b| b.is_ascii_digit() || *b == b',' || *b == b'.').count();
    if amount_len == 0 {
        return Err(if rest.is_empty() { incomplete("amount") } else { Mt940Problem::BadAmount(rest.to_owned()).into() });
    }
    let amount = amount(&rest[..amount_len])?;
    rest = &rest[amount_len..];

    // Transaction type: a letter (N, S, F) and three characters, which may be spaces (bug report 29).
    let Some(code) = rest.get(..4) else {
        return Err(incomplete("transaction type"));
    };
    if !code.as_bytes()[0].is_ascii_alphabetic() {
        return Err(Mt940Problem::Malformed(format!("transaction type {code:?} in {text:?}")).into());
    }
    let transaction_code = code.trim_end().to_owned();
    rest = &rest[4..];

    // References: customer reference up to `//` (it may itself contain `/`, bug report 5), then the
    // bank's reference.
    let (customer, bank) = match rest.find("//") {
        Some(at) => (&rest[..at], Some(&rest[at + 2..])),
        None => (rest, None),
    };
    Ok(Entry {
        value_date,
        entry_date,
        direction,
        reversal,
        amount,
        transaction_code,
        customer_reference: reference(customer),
        bank_reference: bank.and_then(reference),
    })
}

/// A reference, `None` when empty or `NONREF` (SWIFT: no reference).
fn reference(text: &str) -> Option<String> {
    let text = text.trim();
    (!text.is_empty() && text != "NONREF").then(|| text.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn amounts() {
        for (text, grosze) in [("0,01", 1), ("24,14", 2414), ("119,", 11900), ("1211771.46", 121_177_146), ("8,850", 885), ("0,5", 50)] {
            assert_eq!(amount(text).map(Amount::grosze).ok(), Some(grosze), "{text}");
        }
        for text in ["", ",", "5", "1,234", "1.000", "1,2,3", "-5,00", "12a,00", "1234567890123456,00"] {
            assert!(amount(text).is_err(), "{text}");
        }
    }

    #[test]
    fn dates_and_entry_years() {
        assert_eq!(date("210526"), Ok(date!(2021 - 05 - 26)));
        assert_eq!(date("991231"), Ok(date!(1999 - 12 - 31)));
        assert!(date("210230").is_err());
        assert!(date("2105").is_err());
        assert_eq!(entry_date(date!(2014 - 12 - 31), 1, 5), Ok(date!(2015 - 01 - 05)));
        assert_eq!(entry_date(date!(2026 - 01 - 01), 12, 30), Ok(date!(2025 - 12 - 30)));
        assert_eq!(entry_date(date!(2021 - 05 - 26), 5, 26), Ok(date!(2021 - 05 - 26)));
        // 29 February exists only in the leap year next to the value date.
        assert_eq!(entry_date(date!(2024 - 03 - 01), 2, 29), Ok(date!(2024 - 02 - 29)));
        assert!(entry_date(date!(2021 - 03 - 01), 2, 30).is_err());
    }

    #[test]
    fn balances_are_signed() {
        let b = balance("D210526PLN2671,79", BalanceKind::Final).ok().unwrap();
        assert_eq!(b.amount, Decimal::new(-267_179, 2));
        assert_eq!(b.currency, "PLN");
        let zero = balance("D210526PLN0,00", BalanceKind::Final).ok().unwrap();
        assert!(!zero.amount.is_sign_negative());
        assert!(balance("X210526PLN1,00", BalanceKind::Final).is_err());
        assert!(balance("C210526PL1,00", BalanceKind::Final).is_err());
    }
}
