//! Bank-statement import, the parsing half: MT940 in the dialects of Polish banks and camt.053
//! (ISO 20022), read into one normalized model that reconciliation and booking build on
//! (payments.md §4–6; walkthrough 4 of ARCHITECTURE-TARGET.md: statement file → parser → lines).
//!
//! ```text
//! bytes ─ encoding (named, or detected: encoding.rs) ─ text ─┬─ mt940/    tokenizer → statements → :86: dialects
//!                                                             └─ camt.rs   XML → statements
//!                                                                   ↓
//!                                                   model.rs: ParsedFile / Statement / StatementLine
//! ```
//!
//! Architecture invariants:
//! - **No I/O**: bytes in, values out. Keeping the file (bytes + hash) is the caller's job (payments.md §6).
//! - **All or nothing**: a file with any structural error gives an error naming the line and field,
//!   never a partial result; no input makes the parser panic. A statement whose balances do not add
//!   up is *not* an error: it parses and says so in its [`BalanceCheck`].
//! - **Money is exact**: entry amounts are [`domain::Amount`] (grosze), balances signed
//!   [`rust_decimal::Decimal`]; no float anywhere.
//! - **Nothing is matched here**: which taxpayer a virtual account belongs to is reconciliation's
//!   question; this crate only reports every account a line mentions.
//!
//! [`generate`] writes synthetic files in each dialect for tests and the demo.
//!
//! # Decisions where the references are silent
//!
//! - **Encoding**: valid UTF-8 is UTF-8; otherwise the single-byte code page whose decoding shows the
//!   most Polish letters and fewest box-drawing/control characters (ties: ISO-8859-2, Windows-1250,
//!   CP852). camt.053 follows its XML declaration (default UTF-8). A named encoding is never second-
//!   guessed, but text that looks misdecoded adds [`Warning::SuspiciousDecoding`].
//! - **Wrapped lines** of `:86:` (and `:61:`) are joined without a separator in every dialect, free
//!   text included: banks wrap mid-word and mid-token; [`StatementLine::raw_details`] keeps the breaks.
//! - **Subfields** (`~ < ^ ?`) are read by number, so `<24` before `<23` still gives 20…25 in order.
//!   Title = 20–25 (+26 when it is not an account); name = 32+33, else 27–29; counterparty account =
//!   38, else 29, 26, 31 (whichever holds a full account), else PKO's 30 + 31 rebuilt. A subfield of
//!   only filler (0xFF as `˙`/NBSP) is empty. `?` subfields follow the German layout (title 20–29, 60–63).
//! - **mBank keys** come from a fixed list (`ID IPH`, `Z RACH.`, `NA RACH.`, `OD`, `DLA`, `TYT.`, `TNR`,
//!   `DATA NOSTRO`, `REF. KLIENTA`, `REF. MT103`, `WALUTA`, `KWOTA`, `KURS`); a `;` followed by anything
//!   else stays in the value. For money coming in the counterparty is `Z RACH.`/`OD` and `NA RACH.` is
//!   the virtual account; for money going out it is `NA RACH.`/`DLA`.
//! - **Which side is the counterparty** follows the underlying payment: a credit or the reversal of one
//!   (`RC`) names the payer; camt uses `Dbtr` then, `Cdtr` otherwise.
//! - **Virtual account**: camt `CdtrAcct` of an incoming payment (unless it is the statement's own
//!   account); in the subfield dialects the first NRB of an incoming payment outside the payer-account
//!   subfields; free text: none — its NRBs are only [`StatementLine::other_accounts`].
//! - **Amounts**: the decimal separator is required; a dot is accepted (BNP) with at most two decimals;
//!   digits past the second must be zeros; a sign after the mark (`D-104,12`) is an error, not a guess.
//! - **Dates**: `YY` 00–69 is 20YY, 70–99 is 19YY; an entry date takes the year that puts it nearest
//!   the value date; four spaces instead of it mean none. camt without `ValDt` uses `BookgDt`.
//! - **Refused rather than guessed**: MT942 (`:34F:`, `:13D:`, `:90C:`/`:90D:`) and its `EC`/`ED` marks;
//!   camt entries whose status is not `BOOK`; camt batch entries whose transactions do not carry
//!   amounts adding up to the entry (those that do are split into one line each).
//! - **Structure**: a lone `-` ends a message only before a new message or the end of the file (else
//!   it is ignored); a line beginning with an unknown `:NN:` is text; `:20:`, `:25:`, `:28C:`/`:28:`,
//!   `:60F|M:` and `:62F|M:` are required, `:21:`, `:65:` and `:NS:` are skipped; a `:86:` after the
//!   closing balance is [`Statement::information`]. Each `60M…62M` message is a statement of its own.
//! - **References**: `NONREF` and `NOTPROVIDED` mean none. camt statement number: `LglSeqNb`, else
//!   `ElctrncSeqNb`, else `Stmt/Id`.
//! - **Balance chain**: a statement whose opening balance differs from the previous closing balance
//!   of the same account in the file adds [`Warning::BalanceChainBroken`].

mod accounts;
mod camt;
pub mod encoding;
mod error;
pub mod generate;
mod model;
mod mt940;

pub use encoding::Encoding;
pub use error::{Mt940Problem, StatementError};
pub use model::{
    Balance, BalanceCheck, BalanceKind, Direction, LineIdentity, ParsedFile, SourceFormat, Statement, StatementLine, VirtualAccountMatch,
    Warning,
};

/// Which format to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Format {
    /// XML (first non-blank character `<`) is camt.053, anything else MT940.
    #[default]
    Auto,
    Mt940,
    Camt053,
}

/// Parses a statement file.
///
/// `encoding`: `None` detects it ([`encoding::detect`]; for XML the declaration's `encoding` is used
/// when it names one of the four). Naming it is safer — CP852 and Latin-2 map every byte, so detection
/// is a heuristic (payments.md §5.1) — and a named UTF-8 that is not valid UTF-8 is an error.
///
/// ```
/// use statements::{Direction, Format, parse};
///
/// let file = parse(
///     b":20:X\n:25:PL61109010140000071219812874\n:28C:1\n:60F:C250102PLN0,00\n\
///       :61:2501020102C12,50NTRFNONREF//B1\n:86:PODATEK\n:62F:C250102PLN12,50\n-\n",
///     Format::Auto,
///     None,
/// )?;
/// let statement = &file.statements[0];
/// assert!(statement.balance_check.balanced);
/// assert_eq!(statement.lines[0].direction, Direction::Credit);
/// assert_eq!(statement.lines[0].title.as_deref(), Some("PODATEK"));
/// assert_eq!(statement.line_identity(0).map(|id| id.key()).as_deref(), Some("PL61109010140000071219812874|1|B1|2025-01-02|C|12.50|0"));
/// # Ok::<(), statements::StatementError>(())
/// ```
pub fn parse(bytes: &[u8], format: Format, encoding: Option<Encoding>) -> Result<ParsedFile, StatementError> {
    if bytes.iter().all(|b| b.is_ascii_whitespace() || matches!(b, 0 | 1..=4 | 0x1A)) {
        return Err(StatementError::Empty);
    }
    let requested = format;
    let format = match format {
        Format::Auto if looks_like_xml(bytes) => SourceFormat::Camt053,
        Format::Auto | Format::Mt940 => SourceFormat::Mt940,
        Format::Camt053 => SourceFormat::Camt053,
    };
    let (encoding, detected) = match encoding {
        Some(named) => (named, false),
        None if format == SourceFormat::Camt053 => (xml_declared_encoding(bytes).unwrap_or(Encoding::Utf8), false),
        None => (encoding::detect(bytes), true),
    };
    let text = encoding.decode(bytes)?;
    let mut warnings = Vec::new();
    if encoding::looks_misdecoded(&text) {
        warnings.push(Warning::SuspiciousDecoding { encoding });
    }
    if requested == Format::Auto && format == SourceFormat::Mt940 && !text.contains(":20:") {
        return Err(StatementError::UnknownFormat("neither XML nor MT940 (no :20: field)".to_owned()));
    }
    let (schema, statements) = match format {
        SourceFormat::Mt940 => (None, mt940::parse(&text)?),
        SourceFormat::Camt053 => camt::parse(&text)?,
    };
    let mut file = ParsedFile { format, encoding, encoding_detected: detected, schema, statements, warnings };
    file.warn_on_broken_chains();
    Ok(file)
}

/// Skipping a UTF-8 byte-order mark and whitespace, the file starts with `<`.
fn looks_like_xml(bytes: &[u8]) -> bool {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    bytes.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'<')
}

/// The `encoding="…"` of an XML declaration, when it is one of ours.
fn xml_declared_encoding(bytes: &[u8]) -> Option<Encoding> {
    let head = &bytes[..bytes.len().min(200)];
    let head = String::from_utf8_lossy(head);
    let decl = head.trim_start_matches('\u{FEFF}').trim_start().strip_prefix("<?xml")?;
    let decl = &decl[..decl.find("?>")?];
    let at = decl.find("encoding")?;
    let rest = decl[at + "encoding".len()..].trim_start().strip_prefix('=')?.trim_start();
    let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let value = &rest[1..];
    value[..value.find(quote)?].parse().ok()
}
