//! The payload of the Polish ZBP 2D (QR) transfer code (payments.md §3): building it for a
//! payment slip and validating one read back from a code.
//!
//! Nine fields joined by '|': recipient NIP | country | account | amount | recipient name | title |
//! reserve 1 | reserve 2 | reserve 3. Lengths are counted in characters, not bytes: the code is
//! UTF-8 (payments.md §3, "QR symbol parameters") and "ł" is one character of a name.

use std::fmt;
use std::str::FromStr;

use crate::identifiers::{IdentifierError, Nip};
use crate::money::Amount;
use crate::nrb::{Nrb, NrbError};

/// The largest amount the 6-digit amount field can carry: 999 999 grosze (payments.md §3).
const MAX_FIXED_GROSZE: i64 = 999_999;

/// Total payload limit (payments.md §3). The field limits add up to exactly this:
/// 10 + 2 + 26 + 6 + 20 + 32 + 20 + 12 + 24 + 8 separators = 160.
pub const MAX_PAYLOAD_CHARS: usize = 160;

const SEPARATOR: char = '|';
const COUNTRY: &str = "PL";
const FIELD_COUNT: usize = 9;

/// The amount field: a fixed amount, or `000000` which leaves the amount to the payer
/// (payments.md §3, field 4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum QrAmount {
    /// Up to 9 999.99 zł, more than zero (zero would read back as [`QrAmount::Open`]).
    Fixed(Amount),
    Open,
}

impl QrAmount {
    /// `Fixed(amount)` when it fits the 6-digit field, otherwise `Open`.
    ///
    /// Amounts above 9 999.99 zł are an open point (payments.md §3): one library refuses them,
    /// another emits more digits, banks' apps disagree. We never emit more than 6 digits; a code for
    /// a larger amount leaves the amount open and the slip prints it next to the code. A zero
    /// amount is open too, since `000000` means exactly that.
    pub fn fixed_or_open(amount: Amount) -> QrAmount {
        if amount.is_zero() || amount.grosze() > MAX_FIXED_GROSZE { QrAmount::Open } else { QrAmount::Fixed(amount) }
    }

    /// The 6-digit field: grosze, zero-padded (`001200` = 12.00 zł; payments.md §3, field 4).
    fn field(self) -> Result<String, ZbpQrError> {
        match self {
            QrAmount::Open => Ok("000000".to_owned()),
            QrAmount::Fixed(amount) if amount.grosze() > MAX_FIXED_GROSZE => Err(ZbpQrError::AmountTooLarge { amount }),
            QrAmount::Fixed(amount) if amount.is_zero() => Err(ZbpQrError::ZeroFixedAmount),
            QrAmount::Fixed(amount) => Ok(format!("{:06}", amount.grosze())),
        }
    }
}

/// The fields of the payload, for error messages (payments.md §3 table, in order).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum QrField {
    RecipientNip,
    Country,
    Account,
    Amount,
    RecipientName,
    Title,
    Reserve1,
    Reserve2,
    Reserve3,
}

impl fmt::Display for QrField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            QrField::RecipientNip => "recipient NIP",
            QrField::Country => "country code",
            QrField::Account => "recipient account",
            QrField::Amount => "amount",
            QrField::RecipientName => "recipient name",
            QrField::Title => "payment title",
            QrField::Reserve1 => "reserve field 1",
            QrField::Reserve2 => "reserve field 2",
            QrField::Reserve3 => "reserve field 3",
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ZbpQrError {
    #[error("{field} has {found} characters, at most {max} are allowed")]
    TooLong { field: QrField, max: usize, found: usize },
    #[error("{field} must not be empty")]
    Empty { field: QrField },
    /// '|' would split the field; control characters have no place in a transfer.
    #[error("{field} contains the forbidden character {found:?}")]
    ForbiddenCharacter { field: QrField, found: char },
    #[error("amount {amount} zł does not fit the 6-digit amount field (at most 9999.99)")]
    AmountTooLarge { amount: Amount },
    #[error("a fixed amount of zero would read as an amount left to the payer")]
    ZeroFixedAmount,
    #[error("recipient NIP: {0}")]
    InvalidNip(IdentifierError),
    #[error("recipient account: {0}")]
    InvalidAccount(NrbError),
    #[error("country code must be PL, found {found:?}")]
    WrongCountry { found: String },
    #[error("amount must be 6 digits in grosze, found {found:?}")]
    MalformedAmount { found: String },
    #[error("the payload must have {FIELD_COUNT} fields separated by '|', found {found}")]
    WrongFieldCount { found: usize },
    #[error("the payload has {found} characters, at most {MAX_PAYLOAD_CHARS} are allowed")]
    PayloadTooLong { found: usize },
}

/// A valid ZBP QR transfer: every field within its limits, NIP and account with right checksums
/// (bank apps refuse codes with wrong ones, payments.md §3). Build it with [`ZbpQr::new`] and the
/// `with_reserve*` methods, print it with [`ZbpQr::payload`] (or `Display`), read one with
/// [`ZbpQr::parse`] (or `FromStr`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ZbpQr {
    recipient_nip: Option<Nip>,
    account: Nrb,
    amount: QrAmount,
    recipient_name: String,
    title: String,
    reserve1: String,
    reserve2: String,
    reserve3: String,
}

/// Checks a text field: no '|' or control character, at most `max` characters, and, when
/// `required`, not blank.
fn check_text(field: QrField, value: &str, max: usize, required: bool) -> Result<(), ZbpQrError> {
    if let Some(found) = value.chars().find(|&c| c == SEPARATOR || c.is_control()) {
        return Err(ZbpQrError::ForbiddenCharacter { field, found });
    }
    let found = value.chars().count();
    if found > max {
        return Err(ZbpQrError::TooLong { field, max, found });
    }
    if required && value.trim().is_empty() {
        return Err(ZbpQrError::Empty { field });
    }
    Ok(())
}

impl ZbpQr {
    /// Recipient name: up to 20 characters (payments.md §3, field 5).
    pub const MAX_NAME_CHARS: usize = 20;
    /// Payment title: up to 32 characters (payments.md §3, field 6).
    pub const MAX_TITLE_CHARS: usize = 32;
    /// Reserve 1, direct-debit payer id: up to 20 characters (payments.md §3, field 7).
    pub const MAX_RESERVE1_CHARS: usize = 20;
    /// Reserve 2, Invoobill id: up to 12 characters (payments.md §3, field 8).
    pub const MAX_RESERVE2_CHARS: usize = 12;
    /// Reserve 3: up to 24 characters (payments.md §3, field 9).
    pub const MAX_RESERVE3_CHARS: usize = 24;

    /// A transfer code with empty reserve fields.
    ///
    /// `recipient_nip` is mandatory for institutional recipients and may be left out for
    /// individuals (payments.md §3, field 1); a municipality always passes its NIP. Name and title
    /// must not be blank: a transfer needs both (payments.md §3 sources: Orlowski's builder
    /// refuses empty ones).
    pub fn new(recipient_nip: Option<Nip>, account: Nrb, amount: QrAmount, recipient_name: &str, title: &str) -> Result<ZbpQr, ZbpQrError> {
        amount.field()?;
        check_text(QrField::RecipientName, recipient_name, Self::MAX_NAME_CHARS, true)?;
        check_text(QrField::Title, title, Self::MAX_TITLE_CHARS, true)?;
        Ok(ZbpQr {
            recipient_nip,
            account,
            amount,
            recipient_name: recipient_name.to_owned(),
            title: title.to_owned(),
            reserve1: String::new(),
            reserve2: String::new(),
            reserve3: String::new(),
        })
    }

    /// Sets reserve 1, used for a direct-debit payer id (payments.md §3, field 7).
    pub fn with_reserve1(mut self, value: &str) -> Result<ZbpQr, ZbpQrError> {
        check_text(QrField::Reserve1, value, Self::MAX_RESERVE1_CHARS, false)?;
        self.reserve1 = value.to_owned();
        Ok(self)
    }

    /// Sets reserve 2, the "Invoobill" id (payments.md §3, field 8).
    pub fn with_reserve2(mut self, value: &str) -> Result<ZbpQr, ZbpQrError> {
        check_text(QrField::Reserve2, value, Self::MAX_RESERVE2_CHARS, false)?;
        self.reserve2 = value.to_owned();
        Ok(self)
    }

    /// Sets reserve 3, reserved by the recommendation (payments.md §3, field 9).
    pub fn with_reserve3(mut self, value: &str) -> Result<ZbpQr, ZbpQrError> {
        check_text(QrField::Reserve3, value, Self::MAX_RESERVE3_CHARS, false)?;
        self.reserve3 = value.to_owned();
        Ok(self)
    }

    pub fn recipient_nip(&self) -> Option<&Nip> {
        self.recipient_nip.as_ref()
    }

    pub fn account(&self) -> &Nrb {
        &self.account
    }

    pub fn amount(&self) -> QrAmount {
        self.amount
    }

    pub fn recipient_name(&self) -> &str {
        &self.recipient_name
    }

    pub fn title(&self) -> &str {
        &self.title
    }

    pub fn reserve1(&self) -> &str {
        &self.reserve1
    }

    pub fn reserve2(&self) -> &str {
        &self.reserve2
    }

    pub fn reserve3(&self) -> &str {
        &self.reserve3
    }

    /// The string to encode in the QR symbol: 9 fields, always 8 separators, empty optional
    /// fields left empty (payments.md §3). At most 160 characters by construction.
    pub fn payload(&self) -> String {
        let nip = self.recipient_nip.as_ref().map_or("", Nip::as_str);
        // Validated in `new`; `Open` is the harmless fallback should that ever change.
        let amount = self.amount.field().unwrap_or_else(|_| "000000".to_owned());
        [nip, COUNTRY, self.account.digits(), &amount, &self.recipient_name, &self.title, &self.reserve1, &self.reserve2, &self.reserve3]
            .join("|")
    }

    /// Reads and validates a payload, e.g. one decoded from a printed code.
    ///
    /// Strict where the recommendation is exact (payments.md §3): NIP exactly 10 digits with a
    /// right check digit or empty, country "PL", account exactly 26 digits (no "PL", no spaces)
    /// that pass both NRB checks, amount exactly 6 digits. The whole length is checked first so
    /// oversized input is refused before it is split.
    pub fn parse(payload: &str) -> Result<ZbpQr, ZbpQrError> {
        let length = payload.chars().count();
        if length > MAX_PAYLOAD_CHARS {
            return Err(ZbpQrError::PayloadTooLong { found: length });
        }
        let fields: Vec<&str> = payload.split(SEPARATOR).collect();
        let [nip, country, account, amount, name, title, reserve1, reserve2, reserve3] = fields[..] else {
            return Err(ZbpQrError::WrongFieldCount { found: fields.len() });
        };

        let recipient_nip = if nip.is_empty() { None } else { Some(Nip::from_plain(nip).map_err(ZbpQrError::InvalidNip)?) };
        if country != COUNTRY {
            return Err(ZbpQrError::WrongCountry { found: country.to_owned() });
        }
        let account = Nrb::from_plain(account).map_err(ZbpQrError::InvalidAccount)?;
        let amount = parse_amount(amount)?;

        ZbpQr::new(recipient_nip, account, amount, name, title)?.with_reserve1(reserve1)?.with_reserve2(reserve2)?.with_reserve3(reserve3)
    }
}

/// Field 4 back into an amount: exactly 6 ASCII digits of grosze, `000000` = open.
fn parse_amount(field: &str) -> Result<QrAmount, ZbpQrError> {
    let malformed = || ZbpQrError::MalformedAmount { found: field.to_owned() };
    if field.len() != 6 || !field.bytes().all(|b| b.is_ascii_digit()) {
        return Err(malformed());
    }
    let grosze: i64 = field.parse().map_err(|_| malformed())?;
    if grosze == 0 {
        return Ok(QrAmount::Open);
    }
    Amount::from_grosze(grosze).map(QrAmount::Fixed).map_err(|_| malformed())
}

impl fmt::Display for ZbpQr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.payload())
    }
}

impl FromStr for ZbpQr {
    type Err = ZbpQrError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ZbpQr::parse(s)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed unwrap is a failed test
mod tests {
    use super::*;
    use crate::identifiers::IdentifierKind;

    const MUNICIPALITY: &str = "1234563218|PL|39109010141234567800004711|012345|Gmina Przykładowo|Podatek od nieruchomości 2025|||";

    fn nip() -> Nip {
        "1234563218".parse().unwrap()
    }

    fn account() -> Nrb {
        "39109010141234567800004711".parse().unwrap()
    }

    fn amount(text: &str) -> Amount {
        text.parse().unwrap()
    }

    /// payments.md §3, "our example for a municipality": 98 characters (100 bytes in UTF-8),
    /// name 17, title 29.
    #[test]
    fn municipality_example_builds_exactly() {
        let qr =
            ZbpQr::new(Some(nip()), account(), QrAmount::Fixed(amount("123.45")), "Gmina Przykładowo", "Podatek od nieruchomości 2025")
                .unwrap();
        let payload = qr.payload();
        assert_eq!(payload, MUNICIPALITY);
        assert_eq!(qr.to_string(), MUNICIPALITY);
        assert_eq!(payload.chars().count(), 98);
        assert_eq!(payload.len(), 100);
        assert_eq!(payload.matches('|').count(), 8);
        assert_eq!(ZbpQr::parse(&payload), Ok(qr));
    }

    #[test]
    fn municipality_example_parses() {
        let qr: ZbpQr = MUNICIPALITY.parse().unwrap();
        assert_eq!(qr.recipient_nip().map(Nip::as_str), Some("1234563218"));
        assert_eq!(qr.account().digits(), "39109010141234567800004711");
        assert_eq!(qr.amount(), QrAmount::Fixed(amount("123.45")));
        assert_eq!(qr.recipient_name(), "Gmina Przykładowo");
        assert_eq!(qr.title(), "Podatek od nieruchomości 2025");
        assert_eq!((qr.reserve1(), qr.reserve2(), qr.reserve3()), ("", "", ""));
    }

    /// The recommendation's examples (payments.md §3) use NIP 1234567890 (remainder 10, never a
    /// valid NIP) and account 92124012340001567890123456 (mod 97 right, but settlement number
    /// 12401234 should end in 9), so a checking reader refuses them as printed.
    #[test]
    fn recommendation_examples_as_printed_have_invalid_numbers() {
        let institution = "1234567890|PL|92124012340001567890123456|001200|Odbiorca 1|FV 1234/34/2012|||";
        assert_eq!(ZbpQr::parse(institution), Err(ZbpQrError::InvalidNip(IdentifierError::BadChecksum { kind: IdentifierKind::Nip })));
        let individual = "|PL|92124012340001567890123456|001200|Odbiorca 1|Przelew ekspress|||";
        assert_eq!(ZbpQr::parse(individual), Err(ZbpQrError::InvalidAccount(NrbError::BadSettlementCheckDigit)));
    }

    /// The same three examples with valid numbers in place of the invented ones
    /// (NIP 1234563218, account 61 1090 1014 0000 0712 1981 2874).
    #[test]
    fn recommendation_examples_with_valid_numbers() {
        let textbook: Nrb = "61109010140000071219812874".parse().unwrap();
        let table = [
            // Institution, fixed amount 12.00 zł.
            (
                Some(nip()),
                QrAmount::Fixed(amount("12.00")),
                "FV 1234/34/2012",
                "1234563218|PL|61109010140000071219812874|001200|Odbiorca 1|FV 1234/34/2012|||",
            ),
            // Institution, amount typed by the payer.
            (
                Some(nip()),
                QrAmount::Open,
                "FV 1234/34/2012",
                "1234563218|PL|61109010140000071219812874|000000|Odbiorca 1|FV 1234/34/2012|||",
            ),
            // Individual recipient without NIP.
            (
                None,
                QrAmount::Fixed(amount("12.00")),
                "Przelew ekspress",
                "|PL|61109010140000071219812874|001200|Odbiorca 1|Przelew ekspress|||",
            ),
        ];
        for (recipient_nip, qr_amount, title, expected) in table {
            let qr = ZbpQr::new(recipient_nip, textbook.clone(), qr_amount, "Odbiorca 1", title).unwrap();
            assert_eq!(qr.payload(), expected);
            assert_eq!(ZbpQr::parse(expected), Ok(qr), "{expected}");
        }
    }

    #[test]
    fn amount_field() {
        let table = [
            (QrAmount::Fixed(amount("0.01")), Ok("000001")),
            (QrAmount::Fixed(amount("12.00")), Ok("001200")),
            (QrAmount::Fixed(amount("9999.99")), Ok("999999")),
            (QrAmount::Open, Ok("000000")),
            (QrAmount::Fixed(amount("10000.00")), Err(ZbpQrError::AmountTooLarge { amount: amount("10000.00") })),
            (QrAmount::Fixed(Amount::ZERO), Err(ZbpQrError::ZeroFixedAmount)),
        ];
        for (qr_amount, expected) in table {
            assert_eq!(qr_amount.field(), expected.map(str::to_owned), "{qr_amount:?}");
        }
    }

    #[test]
    fn fixed_or_open_falls_back_when_the_amount_does_not_fit() {
        assert_eq!(QrAmount::fixed_or_open(amount("123.45")), QrAmount::Fixed(amount("123.45")));
        assert_eq!(QrAmount::fixed_or_open(amount("9999.99")), QrAmount::Fixed(amount("9999.99")));
        assert_eq!(QrAmount::fixed_or_open(amount("10000.00")), QrAmount::Open);
        assert_eq!(QrAmount::fixed_or_open(amount("4082.40")), QrAmount::Fixed(amount("4082.40")));
        assert_eq!(QrAmount::fixed_or_open(amount("123456.78")), QrAmount::Open);
        assert_eq!(QrAmount::fixed_or_open(Amount::ZERO), QrAmount::Open);
    }

    /// Each limit counts characters: 20 Polish letters are 20 characters (40 bytes) and fit.
    #[test]
    fn lengths_count_characters_not_bytes() {
        let name = "ŻÓŁĆĘŚĄŹŃżółćęśąźńŁł";
        assert_eq!((name.chars().count(), name.len()), (20, 40));
        let title = "Opłata za gospodarowanie ąęłńóśż";
        assert_eq!(title.chars().count(), 32);
        let qr = ZbpQr::new(Some(nip()), account(), QrAmount::Open, name, title).unwrap();
        assert_eq!(ZbpQr::parse(&qr.payload()), Ok(qr));
        assert_eq!(
            ZbpQr::new(Some(nip()), account(), QrAmount::Open, &format!("{name}ż"), title),
            Err(ZbpQrError::TooLong { field: QrField::RecipientName, max: 20, found: 21 })
        );
    }

    /// Every field at its maximum gives exactly 160 characters, which still parses.
    #[test]
    fn longest_payload_is_exactly_160() {
        let qr = ZbpQr::new(Some(nip()), account(), QrAmount::Fixed(amount("9999.99")), &"N".repeat(20), &"T".repeat(32))
            .and_then(|qr| qr.with_reserve1(&"1".repeat(20)))
            .and_then(|qr| qr.with_reserve2(&"2".repeat(12)))
            .and_then(|qr| qr.with_reserve3(&"ś".repeat(24)))
            .unwrap();
        let payload = qr.payload();
        assert_eq!(payload.chars().count(), MAX_PAYLOAD_CHARS);
        assert_eq!(ZbpQr::parse(&payload), Ok(qr));
    }

    #[test]
    fn reserve_fields_round_trip() {
        let qr = ZbpQr::new(Some(nip()), account(), QrAmount::Open, "Gmina", "Opłata śmieciowa")
            .and_then(|qr| qr.with_reserve1("KLIENT 4711"))
            .and_then(|qr| qr.with_reserve2("INV123"))
            .and_then(|qr| qr.with_reserve3("R3"))
            .unwrap();
        let payload = qr.payload();
        assert_eq!(payload, "1234563218|PL|39109010141234567800004711|000000|Gmina|Opłata śmieciowa|KLIENT 4711|INV123|R3");
        let parsed = ZbpQr::parse(&payload).unwrap();
        assert_eq!((parsed.reserve1(), parsed.reserve2(), parsed.reserve3()), ("KLIENT 4711", "INV123", "R3"));
        assert_eq!(parsed, qr);
    }

    #[test]
    fn building_refuses_each_violation() {
        let build = |name: &str, title: &str| ZbpQr::new(Some(nip()), account(), QrAmount::Open, name, title);
        let base = || build("Gmina", "Podatek").unwrap();
        let table: Vec<(Result<ZbpQr, ZbpQrError>, ZbpQrError)> = vec![
            (build(&"x".repeat(21), "Podatek"), ZbpQrError::TooLong { field: QrField::RecipientName, max: 20, found: 21 }),
            (build("Gmina", &"x".repeat(33)), ZbpQrError::TooLong { field: QrField::Title, max: 32, found: 33 }),
            (base().with_reserve1(&"x".repeat(21)), ZbpQrError::TooLong { field: QrField::Reserve1, max: 20, found: 21 }),
            (base().with_reserve2(&"x".repeat(13)), ZbpQrError::TooLong { field: QrField::Reserve2, max: 12, found: 13 }),
            (base().with_reserve3(&"x".repeat(25)), ZbpQrError::TooLong { field: QrField::Reserve3, max: 24, found: 25 }),
            (build("", "Podatek"), ZbpQrError::Empty { field: QrField::RecipientName }),
            (build("Gmina", "   "), ZbpQrError::Empty { field: QrField::Title }),
            (build("Gmina|X", "Podatek"), ZbpQrError::ForbiddenCharacter { field: QrField::RecipientName, found: '|' }),
            (build("Gmina", "Podatek\n2025"), ZbpQrError::ForbiddenCharacter { field: QrField::Title, found: '\n' }),
            (base().with_reserve1("a|b"), ZbpQrError::ForbiddenCharacter { field: QrField::Reserve1, found: '|' }),
            (base().with_reserve2("a\u{7}"), ZbpQrError::ForbiddenCharacter { field: QrField::Reserve2, found: '\u{7}' }),
            (base().with_reserve3("\t"), ZbpQrError::ForbiddenCharacter { field: QrField::Reserve3, found: '\t' }),
            (
                ZbpQr::new(None, account(), QrAmount::Fixed(amount("10000.00")), "Gmina", "Podatek"),
                ZbpQrError::AmountTooLarge { amount: amount("10000.00") },
            ),
            (ZbpQr::new(None, account(), QrAmount::Fixed(Amount::ZERO), "Gmina", "Podatek"), ZbpQrError::ZeroFixedAmount),
        ];
        for (result, error) in table {
            assert_eq!(result, Err(error));
        }
    }

    #[test]
    fn parsing_refuses_each_violation() {
        let acc = "39109010141234567800004711";
        let table: Vec<(String, ZbpQrError)> = vec![
            (format!("1234563218|PL|{acc}|012345|Gmina|Podatek||"), ZbpQrError::WrongFieldCount { found: 8 }),
            (format!("1234563218|PL|{acc}|012345|Gmina|Podatek||||"), ZbpQrError::WrongFieldCount { found: 10 }),
            (String::new(), ZbpQrError::WrongFieldCount { found: 1 }),
            (format!("1234563218|PL|{acc}|012345|Gmina|Podatek|||{}", "x".repeat(97)), ZbpQrError::PayloadTooLong { found: 161 }),
            (
                format!("1234563219|PL|{acc}|012345|Gmina|Podatek|||"),
                ZbpQrError::InvalidNip(IdentifierError::BadChecksum { kind: IdentifierKind::Nip }),
            ),
            (
                format!("123-456-32-18|PL|{acc}|012345|Gmina|Podatek|||"),
                ZbpQrError::InvalidNip(IdentifierError::NonDigit { kind: IdentifierKind::Nip, position: 4, found: '-' }),
            ),
            (format!("1234563218|pl|{acc}|012345|Gmina|Podatek|||"), ZbpQrError::WrongCountry { found: "pl".into() }),
            (format!("1234563218||{acc}|012345|Gmina|Podatek|||"), ZbpQrError::WrongCountry { found: String::new() }),
            (
                format!("1234563218|PL|PL{acc}|012345|Gmina|Podatek|||"),
                ZbpQrError::InvalidAccount(NrbError::NonDigit { position: 1, found: 'P' }),
            ),
            (
                "1234563218|PL|39109010141234567800104711|012345|Gmina|Podatek|||".to_owned(),
                ZbpQrError::InvalidAccount(NrbError::BadCheckDigits),
            ),
            (
                "1234563218|PL|3910901014123456780000471|012345|Gmina|Podatek|||".to_owned(),
                ZbpQrError::InvalidAccount(NrbError::WrongLength { found: 25 }),
            ),
            (format!("1234563218|PL|{acc}|12345|Gmina|Podatek|||"), ZbpQrError::MalformedAmount { found: "12345".into() }),
            (format!("1234563218|PL|{acc}|1000000|Gmina|Podatek|||"), ZbpQrError::MalformedAmount { found: "1000000".into() }),
            (format!("1234563218|PL|{acc}|0123.4|Gmina|Podatek|||"), ZbpQrError::MalformedAmount { found: "0123.4".into() }),
            (
                format!("1234563218|PL|{acc}|012345|{}|Podatek|||", "x".repeat(21)),
                ZbpQrError::TooLong { field: QrField::RecipientName, max: 20, found: 21 },
            ),
            (
                format!("1234563218|PL|{acc}|012345|Gmina|{}|||", "x".repeat(33)),
                ZbpQrError::TooLong { field: QrField::Title, max: 32, found: 33 },
            ),
            (
                format!("1234563218|PL|{acc}|012345|Gmina|Podatek|{}||", "x".repeat(21)),
                ZbpQrError::TooLong { field: QrField::Reserve1, max: 20, found: 21 },
            ),
            (
                format!("1234563218|PL|{acc}|012345|Gmina|Podatek||{}|", "x".repeat(13)),
                ZbpQrError::TooLong { field: QrField::Reserve2, max: 12, found: 13 },
            ),
            (
                format!("1234563218|PL|{acc}|012345|Gmina|Podatek|||{}", "x".repeat(25)),
                ZbpQrError::TooLong { field: QrField::Reserve3, max: 24, found: 25 },
            ),
            (format!("1234563218|PL|{acc}|012345||Podatek|||"), ZbpQrError::Empty { field: QrField::RecipientName }),
            (format!("1234563218|PL|{acc}|012345|Gmina||||"), ZbpQrError::Empty { field: QrField::Title }),
            (
                format!("1234563218|PL|{acc}|012345|Gmina|Podatek\r|||"),
                ZbpQrError::ForbiddenCharacter { field: QrField::Title, found: '\r' },
            ),
        ];
        for (payload, error) in table {
            assert_eq!(ZbpQr::parse(&payload), Err(error), "{payload}");
        }
    }

    #[test]
    fn error_messages_name_the_field() {
        assert_eq!(
            ZbpQrError::TooLong { field: QrField::Title, max: 32, found: 40 }.to_string(),
            "payment title has 40 characters, at most 32 are allowed"
        );
        assert_eq!(
            ZbpQrError::ForbiddenCharacter { field: QrField::RecipientName, found: '|' }.to_string(),
            "recipient name contains the forbidden character '|'"
        );
        assert_eq!(
            ZbpQrError::AmountTooLarge { amount: amount("12000.00") }.to_string(),
            "amount 12000.00 zł does not fit the 6-digit amount field (at most 9999.99)"
        );
        assert_eq!(
            ZbpQrError::InvalidAccount(NrbError::BadCheckDigits).to_string(),
            "recipient account: the check digits of the account number are wrong (ISO 13616 mod 97)"
        );
    }
}
