//! What can go wrong while reading a statement file. Every error says where: the MT940 line number
//! (1-based, counting CRLF, LF and bare CR alike) and field tag, or the camt.053 element path and XML
//! line. A file with any error yields no statements at all (never a partial result).

use std::fmt;

/// Why a statement file was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StatementError {
    #[error("the file is empty")]
    Empty,
    #[error("not an MT940 or camt.053 file: {0}")]
    UnknownFormat(String),
    #[error("the file is not valid UTF-8 (first bad byte at offset {offset})")]
    NotUtf8 { offset: usize },
    #[error("MT940 line {line}{}: {problem}", TagLabel(tag.as_deref()))]
    Mt940 { line: usize, tag: Option<String>, problem: Mt940Problem },
    #[error("XML is not well-formed: {0}")]
    Xml(String),
    #[error("camt.053 {path} (line {line}): {problem}")]
    Camt { line: u32, path: String, problem: String },
}

/// The MT940 problems, one per failure kind, so callers and tests can tell them apart.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Mt940Problem {
    #[error("no statement in the file (no :20: field)")]
    NoStatement,
    #[error("text outside a statement: {0:?}")]
    TextOutsideStatement(String),
    #[error("field before the first :20: of a statement")]
    FieldOutsideStatement,
    #[error("the statement that starts on line {statement_line} has no {field} field")]
    MissingField { field: &'static str, statement_line: usize },
    #[error("the file ends inside the statement that starts on line {statement_line}, before its closing balance")]
    Truncated { statement_line: usize },
    #[error("the field appears twice in one statement")]
    DuplicateField,
    #[error("the field is out of order: {0}")]
    OutOfOrder(&'static str),
    #[error("unexpected text after a one-line field: {0:?}")]
    UnexpectedContinuation(String),
    #[error("invalid date {0:?}")]
    BadDate(String),
    #[error("invalid amount {0:?}")]
    BadAmount(String),
    #[error("invalid debit/credit mark {0:?}: expected C, D, RC or RD")]
    BadMark(String),
    #[error("a sign after the debit/credit mark ({0:?}) has no defined meaning")]
    SignAfterMark(String),
    #[error("expected (not booked) entry {0:?}: MT942 marks EC/ED do not belong in a statement")]
    ExpectedEntry(String),
    #[error("invalid currency code {0:?}")]
    BadCurrency(String),
    #[error("balance in {found} in a statement kept in {expected}")]
    CurrencyMismatch { expected: String, found: String },
    #[error("malformed field: {0}")]
    Malformed(String),
    #[error("this is an MT942 interim report, not an MT940 statement")]
    Mt942,
}

struct TagLabel<'a>(Option<&'a str>);

impl fmt::Display for TagLabel<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(tag) => write!(f, " (field :{tag}:)"),
            None => Ok(()),
        }
    }
}

impl StatementError {
    pub(crate) fn mt940(line: usize, tag: Option<&str>, problem: Mt940Problem) -> Self {
        StatementError::Mt940 { line, tag: tag.map(str::to_owned), problem }
    }
}
