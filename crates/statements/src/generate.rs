//! Synthetic statement files in each supported dialect — PKO BP (`~`), mBank, BPH MultiCash (`<`),
//! a plain SWIFT MT940 — and camt.053, for tests and the demo: given an account, an opening balance
//! and the credits and debits, it writes the file in the dialect's own layout and encoding, with
//! credits addressed to virtual accounts where asked.
//!
//! Layouts follow the samples in `shared/samples/bank-statements/` (payments.md §4.2). Where the
//! dialects name no place for the virtual account (payments.md §4.3 is marked uncertain), the
//! generator uses one and the parser reads it back:
//!
//! | dialect | virtual account of a credit | encoding, framing |
//! |---|---|---|
//! | PKO BP | subfield `~62` (unused by PKO's layout) | ISO-8859-2, CRLF, every subfield on its own line, 0xFF fillers |
//! | mBank | key `NA RACH.:` (the account credited); `ID IPH:` when an IPH id is given | ISO-8859-2, LF, SOH … `-` ETX, wrapped at 70 columns mid-token |
//! | BPH | subfield `<62`; empty subfields omitted | CP852, CRLF, subfields packed and wrapped at 65 columns |
//! | plain SWIFT | not carried: `:86:` is the title only, transliterated to the SWIFT character set | ASCII, CRLF, `{1:}{2:}{4:` … `-}` |
//! | camt.053 | `CdtrAcct` of the credit (ISO 20022 semantics) | UTF-8 |
//!
//! Continuation lines never start with `:`, `-` or `{` (SWIFT forbids the first two; a reader takes
//! them for a field, the end of a message or a SWIFT block).

use std::fmt::Write as _;

use domain::Amount;
use domain::nrb::Nrb;
use rust_decimal::Decimal;
use time::Date;

use crate::encoding::Encoding;
use crate::model::Direction;

/// An MT940 dialect the generator writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Dialect {
    PkoBp,
    Mbank,
    Bph,
    Swift,
}

impl Dialect {
    pub const ALL: [Dialect; 4] = [Dialect::PkoBp, Dialect::Mbank, Dialect::Bph, Dialect::Swift];

    /// The encoding the dialect is written in.
    pub fn encoding(self) -> Encoding {
        match self {
            Dialect::PkoBp | Dialect::Mbank => Encoding::Iso8859_2,
            Dialect::Bph => Encoding::Cp852,
            Dialect::Swift => Encoding::Utf8,
        }
    }

    /// Whether the dialect carries the counterparty's name and account and the virtual account.
    pub fn carries_parties(self) -> bool {
        self != Dialect::Swift
    }
}

/// One statement to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatementSpec {
    pub account: Nrb,
    /// MT940 `:28C:` / camt `LglSeqNb` (digits) or `Id`.
    pub number: String,
    pub currency: String,
    /// Signed: negative is a debit balance.
    pub opening_balance: Decimal,
    /// Date of the opening balance; the closing balance is dated at the latest entry (or this date).
    pub date: Date,
    pub entries: Vec<EntrySpec>,
}

impl StatementSpec {
    /// A PLN statement number 1 with no entries.
    pub fn new(account: Nrb, opening_balance: Decimal, date: Date) -> Self {
        StatementSpec { account, number: "1".to_owned(), currency: "PLN".to_owned(), opening_balance, date, entries: Vec::new() }
    }

    /// Opening balance + credits − debits.
    pub fn closing_balance(&self) -> Decimal {
        self.opening_balance + self.entries.iter().map(|e| e.direction.signed(e.amount)).sum::<Decimal>()
    }

    fn closing_date(&self) -> Date {
        self.entries.iter().flat_map(|e| [Some(e.value_date), e.booking_date]).flatten().fold(self.date, Date::max)
    }
}

/// One credit or debit to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntrySpec {
    /// The booking direction (a reversal of a credit is a debit).
    pub direction: Direction,
    pub reversal: bool,
    pub amount: Amount,
    pub value_date: Date,
    pub booking_date: Option<Date>,
    pub counterparty_name: Option<String>,
    pub counterparty_account: Option<Nrb>,
    pub title: String,
    /// For credits: the virtual account the payer addressed.
    pub virtual_account: Option<Nrb>,
    /// Generated (unique within the file) when `None`.
    pub bank_reference: Option<String>,
    pub customer_reference: Option<String>,
    /// mBank Collect identifier (`ID IPH:`), mBank only.
    pub iph_id: Option<String>,
}

impl EntrySpec {
    /// A credit booked on `date`.
    pub fn credit(amount: Amount, date: Date, title: &str) -> Self {
        Self::new(Direction::Credit, amount, date, title)
    }

    /// A debit booked on `date`.
    pub fn debit(amount: Amount, date: Date, title: &str) -> Self {
        Self::new(Direction::Debit, amount, date, title)
    }

    fn new(direction: Direction, amount: Amount, date: Date, title: &str) -> Self {
        EntrySpec {
            direction,
            reversal: false,
            amount,
            value_date: date,
            booking_date: Some(date),
            counterparty_name: None,
            counterparty_account: None,
            title: title.to_owned(),
            virtual_account: None,
            bank_reference: None,
            customer_reference: None,
            iph_id: None,
        }
    }

    /// The counterparty (payer of a credit, payee of a debit).
    pub fn with_counterparty(mut self, name: &str, account: Option<Nrb>) -> Self {
        self.counterparty_name = Some(name.to_owned());
        self.counterparty_account = account;
        self
    }

    /// The virtual account a credit was addressed to.
    pub fn to_virtual_account(mut self, account: Nrb) -> Self {
        self.virtual_account = Some(account);
        self
    }

    /// Whether the underlying payment came in: a credit, or the reversal (`RC`, a debit) of one.
    fn incoming(&self) -> bool {
        (self.direction == Direction::Credit) != self.reversal
    }
}

/// Why a file could not be generated.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GenerateError {
    #[error("{field} is {len} characters long; the dialect allows {max}")]
    TooLong { field: &'static str, len: usize, max: usize },
    #[error("{field} contains {character:?}, which {encoding} cannot represent")]
    Unencodable { field: &'static str, character: char, encoding: Encoding },
    #[error("{field} contains {character:?}, which the dialect uses as a separator or cannot carry")]
    ForbiddenCharacter { field: &'static str, character: char },
    #[error("reference {0:?} is not 1–16 characters without spaces and without \"//\"")]
    BadReference(String),
    #[error("currency {0:?} is not three capital letters")]
    BadCurrency(String),
}

// ---------------------------------------------------------------------------------------------
// Shared pieces

fn yymmdd(date: Date) -> String {
    format!("{:02}{:02}{:02}", date.year().rem_euclid(100), u8::from(date.month()), date.day())
}

fn mmdd(date: Date) -> String {
    format!("{:02}{:02}", u8::from(date.month()), date.day())
}

fn iso_date(date: Date) -> String {
    format!("{:04}-{:02}-{:02}", date.year(), u8::from(date.month()), date.day())
}

/// `1234,56`.
fn mt_amount(value: Decimal) -> String {
    let mut v = value.abs();
    v.rescale(2);
    v.to_string().replace('.', ",")
}

/// `C`/`D` + date + currency + amount.
fn mt_balance(value: Decimal, date: Date, currency: &str) -> String {
    let mark = if value.is_sign_negative() && !value.is_zero() { 'D' } else { 'C' };
    format!("{mark}{}{currency}{}", yymmdd(date), mt_amount(value))
}

fn mark(entry: &EntrySpec) -> &'static str {
    match (entry.direction, entry.reversal) {
        (Direction::Credit, false) => "C",
        (Direction::Debit, false) => "D",
        (Direction::Debit, true) => "RC",
        (Direction::Credit, true) => "RD",
    }
}

fn check_reference(reference: &str) -> Result<(), GenerateError> {
    let ok = (1..=16).contains(&reference.chars().count()) && !reference.contains("//") && reference.chars().all(|c| c.is_ascii_graphic());
    if ok { Ok(()) } else { Err(GenerateError::BadReference(reference.to_owned())) }
}

fn check_text(field: &'static str, text: &str, max: usize, forbidden: &[char]) -> Result<(), GenerateError> {
    let len = text.chars().count();
    if len > max {
        return Err(GenerateError::TooLong { field, len, max });
    }
    if let Some(character) = text.chars().find(|c| c.is_control() || forbidden.contains(c) || *c == '\u{02D9}') {
        return Err(GenerateError::ForbiddenCharacter { field, character });
    }
    Ok(())
}

fn chunks(text: &str, size: usize) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    chars.chunks(size).map(|c| c.iter().collect()).collect()
}

/// The lines of a field: `tag` + text, the text broken every `width` characters (mid-word, as mBank
/// and BPH do) but never so that a continuation line starts with `:`, `-` or `{`; the break moves
/// back, or forward when the text has nothing else there.
fn field_lines(tag: &str, text: &str, width: usize) -> Vec<String> {
    let unsafe_start = |c: char| matches!(c, ':' | '-' | '{');
    let chars: Vec<char> = text.chars().collect();
    let mut lines = Vec::new();
    let mut start = 0;
    while start < chars.len() {
        let limit = (start + width).min(chars.len());
        let mut end = limit;
        while end < chars.len() && end > start + 1 && unsafe_start(chars[end]) {
            end -= 1;
        }
        if end < chars.len() && unsafe_start(chars[end]) {
            end = limit;
            while end < chars.len() && unsafe_start(chars[end]) {
                end += 1;
            }
        }
        let line: String = chars[start..end].iter().collect();
        lines.push(if start == 0 { format!("{tag}{line}") } else { line });
        start = end;
    }
    if lines.is_empty() {
        lines.push(tag.to_owned());
    }
    lines
}

fn encode(text: &str, encoding: Encoding) -> Result<Vec<u8>, GenerateError> {
    encoding.encode(text).map_err(|character| GenerateError::Unencodable { field: "text", character, encoding })
}

/// A reference unique within the file: statement and entry position.
fn reference_seed(statement: usize, entry: usize) -> u64 {
    (statement as u64 + 1) * 1_000_000_000 + entry as u64
}

fn bank_reference(entry: &EntrySpec, dialect_default: impl FnOnce() -> String) -> Result<String, GenerateError> {
    match &entry.bank_reference {
        Some(reference) => {
            check_reference(reference)?;
            Ok(reference.clone())
        }
        None => Ok(dialect_default()),
    }
}

fn customer_reference(entry: &EntrySpec) -> Result<String, GenerateError> {
    match &entry.customer_reference {
        Some(reference) => {
            check_reference(reference)?;
            Ok(reference.clone())
        }
        None => Ok("NONREF".to_owned()),
    }
}

fn check_statement(spec: &StatementSpec) -> Result<(), GenerateError> {
    if spec.currency.len() != 3 || !spec.currency.bytes().all(|b| b.is_ascii_uppercase()) {
        return Err(GenerateError::BadCurrency(spec.currency.clone()));
    }
    check_text("statement number", &spec.number, 16, &[' '])
}

/// The plain SWIFT form of a text: Polish letters without diacritics, characters outside the SWIFT
/// `x` set (`a–z A–Z 0–9 / - ? : ( ) . , ' +` and space) replaced by `.`.
pub fn swift_text(text: &str) -> String {
    text.chars()
        .map(|c| {
            let plain = match c {
                'ą' => 'a',
                'ć' => 'c',
                'ę' => 'e',
                'ł' => 'l',
                'ń' => 'n',
                'ó' => 'o',
                'ś' => 's',
                'ź' | 'ż' => 'z',
                'Ą' => 'A',
                'Ć' => 'C',
                'Ę' => 'E',
                'Ł' => 'L',
                'Ń' => 'N',
                'Ó' => 'O',
                'Ś' => 'S',
                'Ź' | 'Ż' => 'Z',
                c => c,
            };
            if plain.is_ascii_alphanumeric() || "/-?:().,'+ ".contains(plain) { plain } else { '.' }
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// MT940

/// Writes the statements as one MT940 file in `dialect`, in the dialect's encoding.
pub fn mt940(dialect: Dialect, statements: &[StatementSpec]) -> Result<Vec<u8>, GenerateError> {
    let mut out = String::new();
    for (index, spec) in statements.iter().enumerate() {
        check_statement(spec)?;
        match dialect {
            Dialect::PkoBp => pko(&mut out, index, spec)?,
            Dialect::Mbank => mbank(&mut out, index, spec)?,
            Dialect::Bph => bph(&mut out, index, spec)?,
            Dialect::Swift => swift(&mut out, index, spec)?,
        }
    }
    encode(&out, dialect.encoding())
}

/// `:61:` without the trailing line break.
fn line61(entry: &EntrySpec, funds_code: Option<char>, type_code: &str, customer: &str, bank: &str) -> String {
    let mut line = format!(":61:{}", yymmdd(entry.value_date));
    if let Some(booking) = entry.booking_date {
        line.push_str(&mmdd(booking));
    }
    line.push_str(mark(entry));
    if let Some(code) = funds_code {
        line.push(code);
    }
    let _ = write!(line, "{}{type_code}{customer}//{bank}", mt_amount(entry.amount.decimal()));
    line
}

fn funds_code(currency: &str) -> Option<char> {
    currency.chars().nth(2)
}

const PKO_FILLER: char = '\u{02D9}'; // 0xFF in ISO-8859-2

fn pko(out: &mut String, index: usize, spec: &StatementSpec) -> Result<(), GenerateError> {
    const NL: &str = "\r\n";
    let _ = write!(out, ":20:MT940{NL}:25:/{}{NL}:28C:{}{NL}", spec.account.iban(), spec.number);
    let _ = write!(out, ":60F:{}{NL}", mt_balance(spec.opening_balance, spec.date, &spec.currency));
    for (i, entry) in spec.entries.iter().enumerate() {
        check_text("title", &entry.title, 6 * 27, &['~'])?;
        let name = entry.counterparty_name.as_deref().unwrap_or_default();
        check_text("counterparty name", name, 2 * 27, &['~'])?;
        let code = if entry.incoming() { "510" } else { "152" };
        let bank = bank_reference(entry, || format!("{:016}", reference_seed(index, i)))?;
        let _ = write!(out, "{}{NL}{code} 0{NL}", line61(entry, None, &format!("N{code}"), &customer_reference(entry)?, &bank));
        let _ = write!(out, ":86:020~00{code}{NL}");
        let sub = |out: &mut String, n: u8, value: Option<&str>| {
            let value = value.filter(|v| !v.is_empty()).map_or_else(|| PKO_FILLER.to_string(), str::to_owned);
            let _ = write!(out, "~{n:02}{value}{NL}");
        };
        let title = chunks(&entry.title, 27);
        for n in 0..6 {
            sub(out, 20 + n, title.get(usize::from(n)).map(String::as_str));
        }
        let account = entry.counterparty_account.as_ref();
        sub(out, 30, account.map(|a| a.settlement_number()));
        sub(out, 31, account.map(|a| &a.digits()[10..]));
        let name = chunks(name, 27);
        sub(out, 32, name.first().map(String::as_str));
        sub(out, 33, name.get(1).map(String::as_str));
        let iban = account.map(Nrb::iban);
        sub(out, 38, iban.as_deref());
        sub(out, 60, None);
        if let Some(virtual_account) = entry.virtual_account.as_ref().filter(|_| entry.incoming()) {
            sub(out, 62, Some(&virtual_account.iban()));
        }
        sub(out, 63, None);
    }
    let closing = spec.closing_balance();
    let _ = write!(out, ":62F:{}{NL}", mt_balance(closing, spec.closing_date(), &spec.currency));
    let _ = write!(out, ":64:{}{NL}-{NL}", mt_balance(closing, spec.closing_date(), &spec.currency));
    Ok(())
}

fn mbank(out: &mut String, index: usize, spec: &StatementSpec) -> Result<(), GenerateError> {
    let _ = write!(out, "\u{1}\n:20:ST{}CYC/1\n:25:{}\n:28C:{}\n", yymmdd(spec.date), spec.account.iban(), spec.number);
    let _ = writeln!(out, ":60F:{}", mt_balance(spec.opening_balance, spec.date, &spec.currency));
    for (i, entry) in spec.entries.iter().enumerate() {
        for (field, value) in [
            ("title", Some(entry.title.as_str())),
            ("counterparty name", entry.counterparty_name.as_deref()),
            ("IPH id", entry.iph_id.as_deref()),
        ] {
            check_text(field, value.unwrap_or_default(), 1000, &[';'])?;
        }
        let incoming = entry.incoming();
        let (code, description) = match (incoming, entry.iph_id.is_some()) {
            (true, true) => ("911", "TRANSAKCJA COLLECT"),
            (true, false) => ("970", "PRZELEW ZEWNĘTRZNY PRZYCHODZĄCY"),
            (false, _) => ("944", "PRZELEW ZEWNĘTRZNY WYCHODZĄCY"),
        };
        let bank = bank_reference(entry, || format!("MB{}{:06}", yymmdd(entry.value_date), reference_seed(index, i) % 1_000_000))?;
        let _ = writeln!(out, "{}", line61(entry, funds_code(&spec.currency), "NTRF", &customer_reference(entry)?, &bank));
        let _ = writeln!(out, "{code}-{description}");
        let mut text = format!("{code} {description}; ");
        if let Some(iph) = &entry.iph_id {
            let _ = write!(text, "ID IPH: {iph}; ");
        }
        let (account_key, name_key) = if incoming { ("Z RACH.", "OD") } else { ("NA RACH.", "DLA") };
        if let Some(account) = &entry.counterparty_account {
            let _ = write!(text, "{account_key}: {}; ", account.digits());
        }
        if incoming && let Some(virtual_account) = &entry.virtual_account {
            let _ = write!(text, "NA RACH.: {}; ", virtual_account.digits());
        }
        if let Some(name) = &entry.counterparty_name {
            let _ = write!(text, "{name_key}: {name}; ");
        }
        let _ = write!(text, "TYT.: {}; TNR: {}.000001", entry.title, reference_seed(index, i));
        for line in field_lines(":86:", &text, 70) {
            let _ = writeln!(out, "{line}");
        }
    }
    let closing = spec.closing_balance();
    let _ = writeln!(out, ":62F:{}", mt_balance(closing, spec.closing_date(), &spec.currency));
    let _ = write!(out, ":64:{}\n-\u{3}\n", mt_balance(closing, spec.closing_date(), &spec.currency));
    Ok(())
}

fn bph(out: &mut String, index: usize, spec: &StatementSpec) -> Result<(), GenerateError> {
    const NL: &str = "\r\n";
    let _ = write!(out, ":20:{}{NL}:25:{}{NL}:28C:{}{NL}", yymmdd(spec.date), spec.account.iban(), spec.number);
    let _ = write!(out, ":60F:{}{NL}", mt_balance(spec.opening_balance, spec.date, &spec.currency));
    for (i, entry) in spec.entries.iter().enumerate() {
        check_text("title", &entry.title, 6 * 27, &['<'])?;
        let name = entry.counterparty_name.as_deref().unwrap_or_default();
        check_text("counterparty name", name, 2 * 27, &['<'])?;
        let seed = reference_seed(index, i);
        let bank = bank_reference(entry, || format!("{:016}", seed))?;
        let sign = if entry.direction == Direction::Credit { '+' } else { '-' };
        let _ = write!(out, "{}{NL}", line61(entry, funds_code(&spec.currency), "NTRF", &customer_reference(entry)?, &bank));
        let _ = write!(out, "Przelew krajowy MultiCash ({sign}){NL}");
        // Empty subfields are left out, as Millennium does.
        let mut text = format!("020<00Przelew MultiCash<10{}", seed % 1000);
        for (n, chunk) in chunks(&entry.title, 27).iter().enumerate() {
            let _ = write!(text, "<{}{chunk}", 20 + n);
        }
        if let Some(account) = &entry.counterparty_account {
            let _ = write!(text, "<26{}<30{}<31{}", account.digits(), account.settlement_number(), &account.digits()[10..]);
        }
        for (n, chunk) in chunks(name, 27).iter().enumerate() {
            let _ = write!(text, "<{}{chunk}", 32 + n);
        }
        text.push_str("<34020");
        if let Some(account) = &entry.counterparty_account {
            let _ = write!(text, "<38{}", account.digits());
        }
        if let Some(virtual_account) = entry.virtual_account.as_ref().filter(|_| entry.incoming()) {
            let _ = write!(text, "<62{}", virtual_account.digits());
        }
        for line in field_lines(":86:", &text, 65) {
            let _ = write!(out, "{line}{NL}");
        }
    }
    let closing = spec.closing_balance();
    let _ = write!(out, ":62F:{}{NL}", mt_balance(closing, spec.closing_date(), &spec.currency));
    let _ = write!(out, ":64:{}{NL}-{NL}", mt_balance(closing, spec.closing_date(), &spec.currency));
    Ok(())
}

fn swift(out: &mut String, index: usize, spec: &StatementSpec) -> Result<(), GenerateError> {
    const NL: &str = "\r\n";
    let _ = write!(out, "{{1:F01GENEPLPWAXXX0000000000}}{{2:O940GENEPLPWAXXXN}}{{4:{NL}");
    let _ = write!(out, ":20:GEN{index:05}{NL}:25:{}{NL}:28C:{}{NL}", spec.account.iban(), spec.number);
    let _ = write!(out, ":60F:{}{NL}", mt_balance(spec.opening_balance, spec.date, &spec.currency));
    for (i, entry) in spec.entries.iter().enumerate() {
        let title = swift_text(&entry.title);
        check_text("title", title.trim(), 6 * 65, &[])?;
        let bank = bank_reference(entry, || format!("GEN{:013}", reference_seed(index, i)))?;
        let type_code = if entry.direction == Direction::Credit { "NTRF" } else { "NMSC" };
        let _ = write!(out, "{}{NL}", line61(entry, None, type_code, &customer_reference(entry)?, &bank));
        if !title.trim().is_empty() {
            for line in field_lines(":86:", title.trim(), 65) {
                let _ = write!(out, "{line}{NL}");
            }
        }
    }
    let closing = spec.closing_balance();
    let _ = write!(out, ":62F:{}{NL}", mt_balance(closing, spec.closing_date(), &spec.currency));
    let _ = write!(out, ":64:{}{NL}-}}{NL}", mt_balance(closing, spec.closing_date(), &spec.currency));
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// camt.053

fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

/// Splits a remittance text into `Ustrd` elements of at most 140 characters, at spaces.
fn ustrd_parts(text: &str) -> Vec<String> {
    let mut parts: Vec<String> = Vec::new();
    let mut current = String::new();
    for word in text.split(' ') {
        let extra = usize::from(!current.is_empty()) + word.chars().count();
        if !current.is_empty() && current.chars().count() + extra > 140 {
            parts.push(std::mem::take(&mut current));
        }
        if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(word);
    }
    if !current.is_empty() {
        parts.push(current);
    }
    parts
}

/// Writes the statements as one camt.053 message of schema version `001.{version:02}` (2 to 13),
/// UTF-8. From version 08 on, parties are written as `Pty/Nm` and the status as `Sts/Cd`.
pub fn camt053(version: u8, statements: &[StatementSpec]) -> Result<Vec<u8>, GenerateError> {
    let version = version.clamp(2, 13);
    let modern = version >= 8;
    let mut x = String::new();
    let _ = writeln!(x, r#"<?xml version="1.0" encoding="UTF-8"?>"#);
    let _ = writeln!(x, r#"<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.{version:02}">"#);
    let _ = writeln!(x, "  <BkToCstmrStmt>");
    let created = statements.first().map_or_else(|| "2000-01-01".to_owned(), |s| iso_date(s.date));
    let _ = writeln!(x, "    <GrpHdr><MsgId>GEN{}</MsgId><CreDtTm>{created}T00:00:00</CreDtTm></GrpHdr>", statements.len());
    for (index, spec) in statements.iter().enumerate() {
        check_statement(spec)?;
        let ccy = &spec.currency;
        let _ = writeln!(x, "    <Stmt>");
        if spec.number.bytes().all(|b| b.is_ascii_digit()) {
            let _ = writeln!(x, "      <Id>GEN{index:05}</Id>");
            let _ = writeln!(x, "      <LglSeqNb>{}</LglSeqNb>", spec.number);
        } else {
            let _ = writeln!(x, "      <Id>{}</Id>", xml_escape(&spec.number));
        }
        let _ = writeln!(x, "      <CreDtTm>{}T00:00:00</CreDtTm>", iso_date(spec.closing_date()));
        let _ = writeln!(x, "      <Acct><Id><IBAN>{}</IBAN></Id><Ccy>{ccy}</Ccy></Acct>", spec.account.iban());
        for (code, value, date) in [("OPBD", spec.opening_balance, spec.date), ("CLBD", spec.closing_balance(), spec.closing_date())] {
            let indicator = if value.is_sign_negative() && !value.is_zero() { "DBIT" } else { "CRDT" };
            let mut abs = value.abs();
            abs.rescale(2);
            let _ = writeln!(
                x,
                "      <Bal><Tp><CdOrPrtry><Cd>{code}</Cd></CdOrPrtry></Tp><Amt Ccy=\"{ccy}\">{abs}</Amt><CdtDbtInd>{indicator}</CdtDbtInd><Dt><Dt>{}</Dt></Dt></Bal>",
                iso_date(date)
            );
        }
        for (i, entry) in spec.entries.iter().enumerate() {
            let name = entry.counterparty_name.as_deref().unwrap_or_default();
            check_text("counterparty name", name, 140, &[])?;
            check_text("title", &entry.title, 4 * 140, &[])?;
            let bank = bank_reference(entry, || format!("GEN{:013}", reference_seed(index, i)))?;
            let incoming = entry.incoming();
            let _ = writeln!(x, "      <Ntry>");
            let _ = writeln!(x, "        <Amt Ccy=\"{ccy}\">{}</Amt>", entry.amount);
            let _ = writeln!(x, "        <CdtDbtInd>{}</CdtDbtInd>", if entry.direction == Direction::Credit { "CRDT" } else { "DBIT" });
            if entry.reversal {
                let _ = writeln!(x, "        <RvslInd>true</RvslInd>");
            }
            let _ = writeln!(x, "        {}", if modern { "<Sts><Cd>BOOK</Cd></Sts>" } else { "<Sts>BOOK</Sts>" });
            if let Some(booking) = entry.booking_date {
                let _ = writeln!(x, "        <BookgDt><Dt>{}</Dt></BookgDt>", iso_date(booking));
            }
            let _ = writeln!(x, "        <ValDt><Dt>{}</Dt></ValDt>", iso_date(entry.value_date));
            let _ = writeln!(x, "        <AcctSvcrRef>{}</AcctSvcrRef>", xml_escape(&bank));
            let family = if incoming { "RCDT" } else { "ICDT" };
            let _ =
                writeln!(x, "        <BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>{family}</Cd><SubFmlyCd>DMCT</SubFmlyCd></Fmly></Domn></BkTxCd>");
            let _ = writeln!(x, "        <NtryDtls><TxDtls>");
            let e2e = entry.customer_reference.clone().unwrap_or_else(|| "NOTPROVIDED".to_owned());
            let _ = writeln!(x, "          <Refs><EndToEndId>{}</EndToEndId></Refs>", xml_escape(&e2e));
            let party = |x: &mut String, role: &str, name: &str| {
                if name.is_empty() {
                    return;
                }
                let name = xml_escape(name);
                let _ = if modern {
                    writeln!(x, "            <{role}><Pty><Nm>{name}</Nm></Pty></{role}>")
                } else {
                    writeln!(x, "            <{role}><Nm>{name}</Nm></{role}>")
                };
            };
            let account = |x: &mut String, role: &str, nrb: Option<&Nrb>| {
                if let Some(nrb) = nrb {
                    let _ = writeln!(x, "            <{role}><Id><IBAN>{}</IBAN></Id></{role}>", nrb.iban());
                }
            };
            let _ = writeln!(x, "          <RltdPties>");
            if incoming {
                party(&mut x, "Dbtr", name);
                account(&mut x, "DbtrAcct", entry.counterparty_account.as_ref());
                account(&mut x, "CdtrAcct", entry.virtual_account.as_ref());
            } else {
                account(&mut x, "DbtrAcct", Some(&spec.account));
                party(&mut x, "Cdtr", name);
                account(&mut x, "CdtrAcct", entry.counterparty_account.as_ref());
            }
            let _ = writeln!(x, "          </RltdPties>");
            let parts = ustrd_parts(entry.title.trim());
            if !parts.is_empty() {
                let _ = write!(x, "          <RmtInf>");
                for part in parts {
                    let _ = write!(x, "<Ustrd>{}</Ustrd>", xml_escape(&part));
                }
                let _ = writeln!(x, "</RmtInf>");
            }
            let _ = writeln!(x, "        </TxDtls></NtryDtls>");
            let _ = writeln!(x, "      </Ntry>");
        }
        let _ = writeln!(x, "    </Stmt>");
    }
    let _ = writeln!(x, "  </BkToCstmrStmt>");
    let _ = writeln!(x, "</Document>");
    Ok(x.into_bytes())
}
