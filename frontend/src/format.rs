//! How numbers, amounts and dates are shown. Money is never computed here: the API sends exact
//! decimal strings (`Amount` prints as "1234.56") and this only regroups their digits.

use time::{Date, Month, OffsetDateTime};

use crate::i18n::Lang;

/// No-break space: keeps "1 234,56 zł" on one line.
pub const NBSP: char = '\u{a0}';

/// Groups the integer digits of a plain decimal string ("1234.56", "0.85", "120") by thousands and
/// uses the language's decimal mark. Anything that is not such a string is returned as it came.
pub fn decimal(text: &str, lang: Lang) -> String {
    let text = text.trim();
    let (negative, unsigned) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (int, frac) = match unsigned.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (unsigned, None),
    };
    let well_formed = !int.is_empty()
        && int.bytes().all(|b| b.is_ascii_digit())
        && frac.is_none_or(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()));
    if !well_formed {
        return text.to_string();
    }
    let (group, mark) = match lang {
        Lang::Pl => (NBSP, ','),
        Lang::En => (',', '.'),
    };
    let mut out = String::with_capacity(text.len() + 4);
    if negative {
        out.push('−');
    }
    for (i, digit) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(group);
        }
        out.push(digit);
    }
    if let Some(frac) = frac {
        out.push(mark);
        out.push_str(frac);
    }
    out
}

/// "1 234,56 zł" (Polish) or "PLN 1,234.56" (English), from the API's decimal string.
pub fn money(amount: &str, lang: Lang) -> String {
    let number = decimal(amount, lang);
    match lang {
        Lang::Pl => format!("{number}{NBSP}zł"),
        Lang::En => format!("PLN{NBSP}{number}"),
    }
}

/// An `Amount` (or anything printing as a decimal string) as money.
pub fn amount(value: &impl std::fmt::Display, lang: Lang) -> String {
    money(&value.to_string(), lang)
}

/// An annual rate in percent, e.g. "14.5" → "14,5%".
pub fn percent(rate: &str, lang: Lang) -> String {
    format!("{}%", decimal(rate, lang))
}

/// "15.03.2026" (Polish) or "15 Mar 2026" (English).
pub fn date(day: Date, lang: Lang) -> String {
    match lang {
        Lang::Pl => format!("{:02}.{:02}.{}", day.day(), u8::from(day.month()), day.year()),
        Lang::En => format!("{} {} {}", day.day(), month_abbr(day.month()), day.year()),
    }
}

/// A timestamp (the API sends UTC) shown in Polish civil time, which is what the municipality uses.
pub fn timestamp(at: OffsetDateTime, lang: Lang) -> String {
    let local = at.to_offset(domain::calendar::warsaw_offset(at));
    format!("{} {:02}:{:02}", date(local.date(), lang), local.hour(), local.minute())
}

fn month_abbr(m: Month) -> &'static str {
    match m {
        Month::January => "Jan",
        Month::February => "Feb",
        Month::March => "Mar",
        Month::April => "Apr",
        Month::May => "May",
        Month::June => "Jun",
        Month::July => "Jul",
        Month::August => "Aug",
        Month::September => "Sep",
        Month::October => "Oct",
        Month::November => "Nov",
        Month::December => "Dec",
    }
}

/// `YYYY-MM-DD`, as the API and `<input type="date">` use it.
pub fn iso_date(day: Date) -> String {
    api_types::iso_date::format(day)
}

/// Parses `YYYY-MM-DD` (what `<input type="date">` gives).
pub fn parse_iso_date(text: &str) -> Option<Date> {
    api_types::iso_date::parse(text.trim())
}

/// Accepts an amount the way people type it ("1 234,56", "1234.5", "1234") and returns the API's
/// form ("1234.56"-like decimal text) for `Amount` to validate. No arithmetic: only characters move.
pub fn normalize_amount_input(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace() && *c != NBSP && *c != '\u{202f}').map(|c| if c == ',' { '.' } else { c }).collect()
}

/// A group of four digits at a time, as account numbers are printed ("61 1090 1014 …").
pub fn grouped_nrb(digits: &str) -> String {
    let digits: String = digits.chars().filter(char::is_ascii_digit).collect();
    if digits.len() != 26 {
        return digits;
    }
    let (head, rest) = digits.split_at(2);
    let mut out = head.to_string();
    for chunk in rest.as_bytes().chunks(4) {
        out.push(' ');
        out.push_str(&String::from_utf8_lossy(chunk));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};

    #[test]
    fn polish_money() {
        assert_eq!(money("1234.56", Lang::Pl), "1\u{a0}234,56\u{a0}zł");
        assert_eq!(money("0.00", Lang::Pl), "0,00\u{a0}zł");
        assert_eq!(money("8.70", Lang::Pl), "8,70\u{a0}zł");
        assert_eq!(money("999.99", Lang::Pl), "999,99\u{a0}zł");
        assert_eq!(money("1000.00", Lang::Pl), "1\u{a0}000,00\u{a0}zł");
        assert_eq!(money("1234567.00", Lang::Pl), "1\u{a0}234\u{a0}567,00\u{a0}zł");
        assert_eq!(money("12", Lang::Pl), "12\u{a0}zł");
    }

    #[test]
    fn english_money() {
        assert_eq!(money("1234.56", Lang::En), "PLN\u{a0}1,234.56");
        assert_eq!(money("100.00", Lang::En), "PLN\u{a0}100.00");
    }

    #[test]
    fn amounts_from_the_api_type() {
        let a: domain::Amount = "1234.5".parse().unwrap();
        assert_eq!(amount(&a, Lang::Pl), "1\u{a0}234,50\u{a0}zł");
    }

    #[test]
    fn decimals_and_rates() {
        assert_eq!(decimal("120.50", Lang::Pl), "120,50");
        assert_eq!(decimal("0.85", Lang::Pl), "0,85");
        assert_eq!(decimal("101.8630", Lang::Pl), "101,8630");
        assert_eq!(decimal("-5.5", Lang::Pl), "−5,5");
        assert_eq!(percent("14.5", Lang::Pl), "14,5%");
        assert_eq!(percent("14.5", Lang::En), "14.5%");
        // Not a plain decimal: left alone.
        for odd in ["abc", "1e3", "", "1.", ".5", "1.2.3"] {
            assert_eq!(decimal(odd, Lang::Pl), odd);
        }
    }

    #[test]
    fn dates() {
        assert_eq!(date(date!(2026 - 03 - 15), Lang::Pl), "15.03.2026");
        assert_eq!(date(date!(2026 - 12 - 03), Lang::Pl), "03.12.2026");
        assert_eq!(date(date!(2026 - 03 - 15), Lang::En), "15 Mar 2026");
        assert_eq!(iso_date(date!(2026 - 01 - 05)), "2026-01-05");
        assert_eq!(parse_iso_date("2026-01-05"), Some(date!(2026 - 01 - 05)));
        assert_eq!(parse_iso_date("05.01.2026"), None);
        // Winter: UTC+1; summer: UTC+2; the date follows Warsaw, not UTC.
        assert_eq!(timestamp(datetime!(2026-12-03 08:05 UTC), Lang::Pl), "03.12.2026 09:05");
        assert_eq!(timestamp(datetime!(2026-07-01 22:30 UTC), Lang::Pl), "02.07.2026 00:30");
    }

    #[test]
    fn typed_amounts_are_normalised_not_computed() {
        assert_eq!(normalize_amount_input(" 1 234,56 "), "1234.56");
        assert_eq!(normalize_amount_input("1\u{a0}000"), "1000");
        assert_eq!(normalize_amount_input("12.5"), "12.5");
        assert!(normalize_amount_input("1 234,56").parse::<domain::Amount>().is_ok());
        assert!(normalize_amount_input("12,345").parse::<domain::Amount>().is_err());
    }

    #[test]
    fn account_numbers() {
        assert_eq!(grouped_nrb("61109010140000071219812874"), "61 1090 1014 0000 0712 1981 2874");
        assert_eq!(grouped_nrb("61 1090 1014 0000 0712 1981 2874"), "61 1090 1014 0000 0712 1981 2874");
        assert_eq!(grouped_nrb("123"), "123");
    }
}
