//! The PayByNet field formats (payments.md §1.2): `id_trans`, `date_valid`, `amount`, `accname`,
//! and the character rule shared by every field.

use std::fmt;
use std::str::FromStr;

use domain::Amount;
use domain::calendar::warsaw_offset;
use serde::{Deserialize, Serialize};
use time::macros::format_description;
use time::{Duration, OffsetDateTime, PrimitiveDateTime};

use super::PayByNetError;
use crate::gateway::PaymentId;

/// Characters no field may contain: the payload is tags without escaping, so these would break
/// it or be read differently by KIR (payments.md §1.3, open questions: "keep `&`, `<`, `>` out of
/// every field"). Control characters have no place in any field either.
pub(crate) fn check_field(field: &'static str, value: &str) -> Result<(), PayByNetError> {
    match value.chars().find(|&c| matches!(c, '<' | '>' | '&') || c.is_control()) {
        Some(found) => Err(PayByNetError::ForbiddenCharacter { field, found }),
        None => Ok(()),
    }
}

/// `id_trans`: exactly 10 characters (payments.md §1.2, tag 2; Astarium validates `length == 10`).
///
/// Mapping: our [`PaymentId`] (the payment row's number) in decimal, left-padded with zeros to
/// 10 digits, as the open-source clients do with order numbers — payment 4711 is `0000004711`.
/// Hence ids 1 ..= 9 999 999 999; 0 is refused because a zero-stripping reader (the clients strip
/// leading zeros to find the order, §1.4) would get an empty id.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct IdTrans(String);

impl IdTrans {
    pub const LEN: usize = 10;
    pub const MAX_PAYMENT_ID: u64 = 9_999_999_999;

    pub fn from_payment_id(id: PaymentId) -> Result<IdTrans, PayByNetError> {
        if id.get() == 0 || id.get() > Self::MAX_PAYMENT_ID {
            return Err(PayByNetError::PaymentIdOutOfRange { id });
        }
        Ok(IdTrans(format!("{:010}", id.get())))
    }

    /// Reads an `id_trans` as we send it: exactly 10 ASCII digits, not all zeros.
    pub fn parse(text: &str) -> Option<IdTrans> {
        (text.len() == Self::LEN && text.bytes().all(|b| b.is_ascii_digit()) && text.bytes().any(|b| b != b'0'))
            .then(|| IdTrans(text.to_owned()))
    }

    /// The `paymentId` of a notification back to our id. Leading zeros may or may not be there
    /// (clients strip them, §1.4), so 1 to 10 digits are accepted.
    pub fn payment_id_of(text: &str) -> Option<PaymentId> {
        if text.is_empty() || text.len() > Self::LEN || !text.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        text.parse().ok().filter(|&id| id != 0).map(PaymentId::new)
    }

    pub fn payment_id(&self) -> PaymentId {
        // 10 digits always fit a u64; the fallback is unreachable.
        PaymentId::new(self.0.parse().unwrap_or(0))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for IdTrans {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Decimal separator of the `amount` tag (payments.md §1.2, tag 4, uncertain): the test vector and
/// three clients use a comma, two use a dot. Configurable until KIR's test account tells.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AmountFormat {
    /// `123,45` (payments.md §1.3 test vector, Astarium, Spree, Gekosale).
    #[default]
    Comma,
    /// `123.45` (aptelo/shopGold, the WooCommerce plugin).
    Dot,
}

/// The amount with exactly two decimals and the configured separator.
pub fn format_amount(amount: Amount, format: AmountFormat) -> String {
    let text = amount.to_string(); // always "złoty.grosze" with two places
    match format {
        AmountFormat::Dot => text,
        AmountFormat::Comma => text.replace('.', ","),
    }
}

/// An amount as KIR writes it: digits with at most one decimal separator, comma or dot, and at
/// most two decimals ("123,45", "123.45", "123"). Nothing else: no sign, spaces or thousands
/// separators.
pub fn parse_amount(text: &str) -> Option<Amount> {
    let mut separators = 0;
    for (index, c) in text.chars().enumerate() {
        match c {
            '0'..='9' => {}
            ',' | '.' if index > 0 => separators += 1,
            _ => return None,
        }
    }
    if separators > 1 || text.ends_with([',', '.']) {
        return None;
    }
    Amount::from_str(&text.replace(',', ".")).ok()
}

const DATE_VALID: &[time::format_description::FormatItem<'static>] = format_description!("[day]-[month]-[year] [hour]:[minute]:[second]");

/// `date_valid` as `DD-MM-YYYY HH:MM:SS` (payments.md §1.2, tag 3) in Polish civil time: KIR is a
/// Polish system and the PHP clients format the server's local time; the spec names no zone.
pub fn format_date_valid(instant: OffsetDateTime) -> String {
    let local = instant.to_offset(warsaw_offset(instant));
    // The format has only numeric components, so formatting cannot fail; keep a fallback anyway.
    local.format(DATE_VALID).unwrap_or_default()
}

/// Reads `date_valid` back as an instant, taking the text as Warsaw civil time. In the autumn hour
/// that happens twice the earlier instant is taken; a time inside the spring gap is read as CET.
pub fn parse_date_valid(text: &str) -> Option<OffsetDateTime> {
    let local = PrimitiveDateTime::parse(text, DATE_VALID).ok()?;
    let as_utc = local.assume_utc();
    // Try summer time (UTC+2) first, then winter time (UTC+1): the first whose offset is right wins.
    for hours in [2i8, 1] {
        let candidate = as_utc - Duration::hours(i64::from(hours));
        if warsaw_offset(candidate).whole_hours() == hours {
            return Some(candidate);
        }
    }
    Some(as_utc - Duration::hours(1))
}

/// The recipient as `accname`: `NAME^NM^POSTCODE^ZP^CITY^CI^STREET^ST^COUNTRY^CT^`
/// (payments.md §1.2, tag 8). Every part is required and free of `^`, `<`, `>`, `&`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "RawRecipient")]
pub struct Recipient {
    name: String,
    postal_code: String,
    city: String,
    street: String,
    country: String,
}

#[derive(Deserialize)]
struct RawRecipient {
    name: String,
    postal_code: String,
    city: String,
    street: String,
    country: String,
}

impl TryFrom<RawRecipient> for Recipient {
    type Error = PayByNetError;
    fn try_from(raw: RawRecipient) -> Result<Self, Self::Error> {
        Recipient::new(&raw.name, &raw.postal_code, &raw.city, &raw.street, &raw.country)
    }
}

/// The markers after each part, in order.
const ACCNAME_MARKERS: [&str; 5] = ["^NM^", "^ZP^", "^CI^", "^ST^", "^CT^"];

impl Recipient {
    pub fn new(name: &str, postal_code: &str, city: &str, street: &str, country: &str) -> Result<Self, PayByNetError> {
        for (field, value) in [
            ("accname name", name),
            ("accname postal code", postal_code),
            ("accname city", city),
            ("accname street", street),
            ("accname country", country),
        ] {
            check_field(field, value)?;
            if value.contains('^') {
                return Err(PayByNetError::ForbiddenCharacter { field, found: '^' });
            }
            if value.trim().is_empty() {
                return Err(PayByNetError::EmptyField(field));
            }
        }
        Ok(Recipient {
            name: name.to_owned(),
            postal_code: postal_code.to_owned(),
            city: city.to_owned(),
            street: street.to_owned(),
            country: country.to_owned(),
        })
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn postal_code(&self) -> &str {
        &self.postal_code
    }

    pub fn city(&self) -> &str {
        &self.city
    }

    pub fn street(&self) -> &str {
        &self.street
    }

    pub fn country(&self) -> &str {
        &self.country
    }

    /// The `accname` value.
    pub fn accname(&self) -> String {
        let parts = [&self.name, &self.postal_code, &self.city, &self.street, &self.country];
        parts.iter().zip(ACCNAME_MARKERS).map(|(part, marker)| format!("{part}{marker}")).collect()
    }

    /// Reads an `accname` value (the simulator shows the recipient from it).
    pub fn parse_accname(text: &str) -> Result<Recipient, PayByNetError> {
        let mut rest = text;
        let mut parts = Vec::with_capacity(5);
        for marker in ACCNAME_MARKERS {
            let (part, after) = rest.split_once(marker).ok_or(PayByNetError::MalformedAccname)?;
            parts.push(part);
            rest = after;
        }
        match parts[..] {
            [name, postal_code, city, street, country] if rest.is_empty() => Recipient::new(name, postal_code, city, street, country),
            _ => Err(PayByNetError::MalformedAccname),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn id_trans_is_the_payment_id_zero_padded_to_ten_digits() {
        let id = IdTrans::from_payment_id(PaymentId::new(4711)).unwrap();
        assert_eq!(id.as_str(), "0000004711");
        assert_eq!(id.as_str().len(), IdTrans::LEN);
        assert_eq!(id.payment_id(), PaymentId::new(4711));
        assert_eq!(IdTrans::from_payment_id(PaymentId::new(9_999_999_999)).unwrap().as_str(), "9999999999");
        assert_eq!(
            IdTrans::from_payment_id(PaymentId::new(10_000_000_000)),
            Err(PayByNetError::PaymentIdOutOfRange { id: PaymentId::new(10_000_000_000) })
        );
        assert_eq!(IdTrans::from_payment_id(PaymentId::new(0)), Err(PayByNetError::PaymentIdOutOfRange { id: PaymentId::new(0) }));
    }

    #[test]
    fn id_trans_parsing() {
        assert_eq!(IdTrans::parse("0000004711").map(|id| id.payment_id()), Some(PaymentId::new(4711)));
        for bad in ["4711", "00000047110", "000000471a", "0000000000", " 000004711"] {
            assert_eq!(IdTrans::parse(bad), None, "{bad}");
        }
        assert_eq!(IdTrans::payment_id_of("0000004711"), Some(PaymentId::new(4711)));
        assert_eq!(IdTrans::payment_id_of("4711"), Some(PaymentId::new(4711)));
        for bad in ["", "0", "00000000000", "47 11", "-4711", "+4711"] {
            assert_eq!(IdTrans::payment_id_of(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn amount_formats() {
        let amount: Amount = "123.45".parse().unwrap();
        assert_eq!(format_amount(amount, AmountFormat::Comma), "123,45");
        assert_eq!(format_amount(amount, AmountFormat::Dot), "123.45");
        assert_eq!(format_amount(Amount::from_zloty(49), AmountFormat::Comma), "49,00");
        assert_eq!(format_amount("0.5".parse().unwrap(), AmountFormat::Comma), "0,50");
    }

    #[test]
    fn amount_parsing_takes_comma_or_dot_and_nothing_loose() {
        let amount = |s: &str| s.parse::<Amount>().unwrap();
        assert_eq!(parse_amount("123,45"), Some(amount("123.45")));
        assert_eq!(parse_amount("123.45"), Some(amount("123.45")));
        assert_eq!(parse_amount("49,9"), Some(amount("49.90")));
        assert_eq!(parse_amount("100"), Some(amount("100")));
        for bad in ["", "12,345", "1.234,56", "-1,00", "+1,00", " 1,00", "1,00 ", ",50", "1,", "1e3", "12 345,00", "NaN"] {
            assert_eq!(parse_amount(bad), None, "{bad:?}");
        }
    }

    /// payments.md §1.3 test vector: `15-03-2025 23:59:59` (winter time, UTC+1).
    #[test]
    fn date_valid_is_warsaw_civil_time() {
        assert_eq!(format_date_valid(datetime!(2025-03-15 22:59:59 UTC)), "15-03-2025 23:59:59");
        // Summer time: UTC+2.
        assert_eq!(format_date_valid(datetime!(2025-07-01 10:00:00 UTC)), "01-07-2025 12:00:00");
        // Any offset in, Warsaw out.
        assert_eq!(format_date_valid(datetime!(2025-03-16 00:59:59 +02:00)), "15-03-2025 23:59:59");
    }

    #[test]
    fn date_valid_round_trips() {
        for instant in [datetime!(2025-03-15 22:59:59 UTC), datetime!(2025-07-01 10:00:00 UTC), datetime!(2025-12-31 23:00:00 UTC)] {
            assert_eq!(parse_date_valid(&format_date_valid(instant)), Some(instant));
        }
        assert_eq!(parse_date_valid("2025-03-15 23:59:59"), None);
        assert_eq!(parse_date_valid("15-03-2025"), None);
        assert_eq!(parse_date_valid("31-02-2025 10:00:00"), None);
    }

    #[test]
    fn date_valid_at_the_clock_changes() {
        // 26 Oct 2025, 02:30 happens twice; the earlier (summer time) is taken.
        assert_eq!(parse_date_valid("26-10-2025 02:30:00"), Some(datetime!(2025-10-26 00:30:00 UTC)));
        // 30 Mar 2025, 02:30 does not exist; read as winter time.
        assert_eq!(parse_date_valid("30-03-2025 02:30:00"), Some(datetime!(2025-03-30 01:30:00 UTC)));
    }

    /// payments.md §1.3 test vector's `accname`.
    #[test]
    fn accname_format() {
        let recipient = Recipient::new("Gmina Przykladowo", "00-001", "Przykladowo", "Rynek 1", "Polska").unwrap();
        let accname = "Gmina Przykladowo^NM^00-001^ZP^Przykladowo^CI^Rynek 1^ST^Polska^CT^";
        assert_eq!(recipient.accname(), accname);
        assert_eq!(Recipient::parse_accname(accname), Ok(recipient));
    }

    #[test]
    fn accname_refuses_breaking_characters_and_bad_shapes() {
        assert_eq!(
            Recipient::new("Gmina A&B", "00-001", "X", "Y", "Polska"),
            Err(PayByNetError::ForbiddenCharacter { field: "accname name", found: '&' })
        );
        assert_eq!(
            Recipient::new("Gmina", "00-001", "X^Y", "Y", "Polska"),
            Err(PayByNetError::ForbiddenCharacter { field: "accname city", found: '^' })
        );
        assert_eq!(Recipient::new("Gmina", " ", "X", "Y", "Polska"), Err(PayByNetError::EmptyField("accname postal code")));
        for bad in [
            "Gmina^NM^00-001^ZP^X^CI^Y^ST^Polska",
            "Gmina^NM^00-001^ZP^X^CI^Y^ST^Polska^CT^extra",
            "Gmina^ZP^00-001^NM^X^CI^Y^ST^Polska^CT^",
        ] {
            assert_eq!(Recipient::parse_accname(bad), Err(PayByNetError::MalformedAccname), "{bad}");
        }
    }

    #[test]
    fn field_check() {
        assert_eq!(check_field("backpage", "https://e-naleznosci.example/ok"), Ok(()));
        assert_eq!(
            check_field("backpage", "https://x.example/?a=1&b=2"),
            Err(PayByNetError::ForbiddenCharacter { field: "backpage", found: '&' })
        );
        assert_eq!(check_field("email", "a\nb"), Err(PayByNetError::ForbiddenCharacter { field: "email", found: '\n' }));
    }
}
