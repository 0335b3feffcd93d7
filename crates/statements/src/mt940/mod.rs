//! MT940 in the Polish bank dialects (payments.md §4–5): a tolerant tokenizer, then the statement
//! structure, then the per-dialect `:86:` reader in [`details`].
//!
//! Tokenizing rules, each answering a pitfall of payments.md §5:
//! - lines end in CRLF, LF or a bare CR (Nest Bank); control bytes SOH, STX, ETX, EOT, SUB and NUL at
//!   either end of a line are framing (mBank, Deutsche Bank) and dropped; SWIFT blocks `{1:…}{2:…}{4:`
//!   and `-}` are framing too (bug report 27);
//! - a field starts only at a line that begins with `:NN:`/`:NNa:` where the tag is an MT940 one; any
//!   other line continues the open field, so `:08 Karten…` or `20:44:45` inside `:86:` stay text (SWIFT
//!   forbids continuation lines that start with `:`; bug reports 6 and 7);
//! - a lone `-` ends a message only when a new message or the end of the file follows; otherwise it is
//!   a stray separator (bug report 8, and a `-` between `:60M:` and `:61:` seen in the wild);
//! - a new `:20:` starts a new statement even without `-` (bug report 20); several statements and
//!   accounts per file are kept apart, each with its own balances (bug report 19);
//! - a tag split over two lines (`:` / `86:…`, bug report 4) is joined back.

mod details;
mod fields;

use std::borrow::Cow;

use crate::accounts;
use crate::error::{Mt940Problem, StatementError};
use crate::model::{Balance, BalanceKind, SourceFormat, Statement, StatementLine, StatementParts};

/// Parses decoded MT940 text into statements.
pub(crate) fn parse(text: &str) -> Result<Vec<Statement>, StatementError> {
    let mut parser = Parser { statements: Vec::new(), current: None, field: None };
    let mut lines = Lines::new(text);
    let mut last_line = 0;
    while let Some((number, raw)) = lines.next() {
        last_line = number;
        parser.line(number, raw, &mut lines)?;
    }
    parser.finish_file(last_line)?;
    if parser.statements.is_empty() {
        return Err(StatementError::mt940(last_line.max(1), None, Mt940Problem::NoStatement));
    }
    Ok(parser.statements)
}

/// Lines with their 1-based numbers; CRLF, LF and bare CR all end a line.
#[derive(Clone)]
struct Lines<'a> {
    text: &'a str,
    pos: usize,
    number: usize,
}

impl<'a> Lines<'a> {
    fn new(text: &'a str) -> Self {
        Lines { text, pos: 0, number: 0 }
    }

    /// The next line that is not blank after framing is removed, without consuming anything.
    fn peek_content(&self) -> Option<&'a str> {
        let mut probe = self.clone();
        probe.find_map(|(_, raw)| {
            let line = clean(raw);
            (!line.trim().is_empty()).then_some(line)
        })
    }
}

impl<'a> Iterator for Lines<'a> {
    type Item = (usize, &'a str);

    fn next(&mut self) -> Option<Self::Item> {
        if self.pos >= self.text.len() {
            return None;
        }
        let rest = &self.text[self.pos..];
        let end = rest.bytes().position(|b| b == b'\n' || b == b'\r').unwrap_or(rest.len());
        let line = &rest[..end];
        let mut advance = end;
        if rest[end..].starts_with("\r\n") {
            advance += 2;
        } else if end < rest.len() {
            advance += 1;
        }
        self.pos += advance;
        self.number += 1;
        Some((self.number, line))
    }
}

/// Drops framing control bytes at both ends of a line (SOH … ETX, payments.md §5.2).
fn clean(line: &str) -> &str {
    line.trim_matches(|c| matches!(c, '\0' | '\u{1}'..='\u{4}' | '\u{1A}'))
}

/// The MT940 tags we read, plus MT942's (refused with a clear error) and Nest Bank's `NS`.
const KNOWN_TAGS: [&str; 19] =
    ["20", "21", "25", "25P", "28", "28C", "60F", "60M", "61", "86", "62F", "62M", "64", "65", "NS", "13", "13D", "34F", "90D"];
const MT942_TAGS: [&str; 5] = ["13", "13D", "34F", "90D", "90C"];

/// `(tag, content)` when the line opens a known field.
fn tag_of(line: &str) -> Option<(&'static str, &str)> {
    let rest = line.strip_prefix(':')?;
    let end = rest.find(':')?;
    let tag = &rest[..end];
    let shaped = match tag.as_bytes() {
        [a, b] | [a, b, b'A'..=b'Z'] => a.is_ascii_digit() && b.is_ascii_digit(),
        _ => tag == "NS",
    };
    if !shaped {
        return None;
    }
    KNOWN_TAGS.iter().chain(MT942_TAGS.iter()).find(|known| **known == tag).map(|known| (*known, &rest[end + 1..]))
}

/// `{N:` — a SWIFT block (`{1:`, `{2:`, `{4:`, `{5:` …).
fn is_swift_block(line: &str) -> bool {
    matches!(line.as_bytes(), [b'{', digit, b':', ..] if digit.is_ascii_digit())
}

/// Whether a line starts a new message: `:20:` or a SWIFT block.
fn starts_message(line: &str) -> bool {
    is_swift_block(line) || tag_of(line).is_some_and(|(tag, _)| tag == "20")
}

/// A field being read: its tag, first line and content lines (the first is the text after the tag).
struct OpenField<'a> {
    tag: &'static str,
    line: usize,
    lines: Vec<(usize, Cow<'a, str>)>,
}

/// One `:61:` with the `:86:` fields that follow it.
struct EntryDraft {
    line: usize,
    entry: fields::Entry,
    supplementary: Option<String>,
    details: Vec<String>,
    raw_details: Vec<String>,
}

struct Builder {
    start_line: usize,
    reference: String,
    account: Option<String>,
    number: Option<String>,
    opening: Option<(usize, Balance)>,
    closing: Option<(usize, Balance)>,
    available: Option<Balance>,
    /// The last `:61:` read, still collecting its `:86:` fields.
    pending: Option<EntryDraft>,
    /// Entries already complete. Built as soon as the next field shows them complete, so that the raw
    /// drafts of a million-line statement never pile up.
    lines: Vec<StatementLine>,
    information: Vec<String>,
}

impl Builder {
    fn flush_pending(&mut self) -> Result<(), StatementError> {
        if let Some(draft) = self.pending.take() {
            self.lines.push(build_line(draft)?);
        }
        Ok(())
    }
}

struct Parser<'a> {
    statements: Vec<Statement>,
    current: Option<Builder>,
    field: Option<OpenField<'a>>,
}

impl<'a> Parser<'a> {
    fn line(&mut self, number: usize, raw: &'a str, lines: &mut Lines<'a>) -> Result<(), StatementError> {
        let line = clean(raw);
        if line.trim().is_empty() {
            return Ok(());
        }
        // SWIFT envelope: `{1:…}{2:…}{4:` opens block 4, whose fields may start on the same line.
        if is_swift_block(line) {
            return match line.find("{4:") {
                Some(at) if !line[at + 3..].trim().is_empty() => self.line(number, &line[at + 3..], lines),
                _ => Ok(()),
            };
        }
        let trimmed = line.trim();
        if trimmed.starts_with("-}") {
            return self.end_message(number);
        }
        if trimmed == "-" {
            return match lines.peek_content() {
                None => self.end_message(number),
                Some(next) if starts_message(next) || next.trim() == "-" => self.end_message(number),
                Some(_) => Ok(()),
            };
        }
        // A tag broken after its colon: `:` / `86:…`.
        if line == ":"
            && let Some(next) = lines.clone().next().map(|(_, l)| clean(l))
            && let Some((tag, content)) = tag_of(&format!(":{next}")).map(|(tag, content)| (tag, content.to_owned()))
        {
            lines.next();
            self.close_field()?;
            return self.open(number, tag, Cow::Owned(content));
        }
        match tag_of(line) {
            Some((tag, content)) => {
                self.close_field()?;
                self.open(number, tag, Cow::Borrowed(content))
            }
            None => self.continuation(number, line),
        }
    }

    fn open(&mut self, number: usize, tag: &'static str, content: Cow<'a, str>) -> Result<(), StatementError> {
        if MT942_TAGS.contains(&tag) {
            return Err(StatementError::mt940(number, Some(tag), Mt940Problem::Mt942));
        }
        if tag == "20" {
            self.finish_statement(number, false)?;
            self.current = Some(Builder {
                start_line: number,
                reference: String::new(),
                account: None,
                number: None,
                opening: None,
                closing: None,
                available: None,
                pending: None,
                lines: Vec::new(),
                information: Vec::new(),
            });
        } else if self.current.is_none() {
            return Err(StatementError::mt940(number, Some(tag), Mt940Problem::FieldOutsideStatement));
        }
        self.field = Some(OpenField { tag, line: number, lines: vec![(number, content)] });
        Ok(())
    }

    fn continuation(&mut self, number: usize, line: &'a str) -> Result<(), StatementError> {
        match &mut self.field {
            Some(field) => {
                field.lines.push((number, Cow::Borrowed(line)));
                Ok(())
            }
            None => Err(StatementError::mt940(number, None, Mt940Problem::TextOutsideStatement(line.chars().take(40).collect()))),
        }
    }

    fn end_message(&mut self, number: usize) -> Result<(), StatementError> {
        self.close_field()?;
        self.finish_statement(number, false)
    }

    fn finish_file(&mut self, last_line: usize) -> Result<(), StatementError> {
        self.close_field()?;
        self.finish_statement(last_line, true)
    }

    /// Reads the open field into the statement being built.
    fn close_field(&mut self) -> Result<(), StatementError> {
        let Some(field) = self.field.take() else { return Ok(()) };
        let Some(builder) = self.current.as_mut() else { return Ok(()) };
        let OpenField { tag, line, lines } = field;
        let err = |problem| StatementError::mt940(line, Some(tag), problem);
        let single = |lines: &[(usize, Cow<'_, str>)]| -> Result<String, StatementError> {
            match lines.get(1) {
                Some((extra_line, text)) if tag != "NS" => Err(StatementError::mt940(
                    *extra_line,
                    Some(tag),
                    Mt940Problem::UnexpectedContinuation(text.chars().take(40).collect()),
                )),
                _ => Ok(lines.first().map(|(_, t)| t.trim().to_owned()).unwrap_or_default()),
            }
        };
        match tag {
            "20" => builder.reference = single(&lines)?,
            "21" | "65" | "NS" => {}
            "25" | "25P" => {
                if builder.account.is_some() {
                    return Err(err(Mt940Problem::DuplicateField));
                }
                builder.account = Some(single(&lines)?);
            }
            "28" | "28C" => {
                if builder.number.is_some() {
                    return Err(err(Mt940Problem::DuplicateField));
                }
                builder.number = Some(single(&lines)?);
            }
            "60F" | "60M" => {
                if builder.opening.is_some() {
                    return Err(err(Mt940Problem::DuplicateField));
                }
                if builder.pending.is_some() || !builder.lines.is_empty() || builder.closing.is_some() {
                    return Err(err(Mt940Problem::OutOfOrder("opening balance after entries")));
                }
                let kind = if tag == "60F" { BalanceKind::Final } else { BalanceKind::Intermediate };
                builder.opening = Some((line, fields::balance(&single(&lines)?, kind).map_err(err)?));
            }
            "62F" | "62M" => {
                if builder.closing.is_some() {
                    return Err(err(Mt940Problem::DuplicateField));
                }
                if builder.opening.is_none() {
                    return Err(err(Mt940Problem::OutOfOrder("closing balance before the opening balance :60F:")));
                }
                builder.flush_pending()?;
                let kind = if tag == "62F" { BalanceKind::Final } else { BalanceKind::Intermediate };
                builder.closing = Some((line, fields::balance(&single(&lines)?, kind).map_err(err)?));
            }
            "64" => builder.available = Some(fields::balance(&single(&lines)?, BalanceKind::Final).map_err(err)?),
            "61" => {
                if builder.opening.is_none() {
                    return Err(err(Mt940Problem::OutOfOrder(":61: before the opening balance :60F:")));
                }
                if builder.closing.is_some() {
                    return Err(err(Mt940Problem::OutOfOrder(":61: after the closing balance")));
                }
                builder.flush_pending()?;
                builder.pending = Some(read_entry(line, &lines)?);
            }
            "86" => {
                let size: usize = lines.iter().map(|(_, t)| t.len()).sum();
                let mut joined = String::with_capacity(size);
                let mut raw = String::with_capacity(size + lines.len());
                for (i, (_, text)) in lines.iter().enumerate() {
                    joined.push_str(text);
                    if i > 0 {
                        raw.push('\n');
                    }
                    raw.push_str(text);
                }
                match builder.pending.as_mut() {
                    Some(entry) if builder.closing.is_none() => {
                        entry.details.push(joined);
                        entry.raw_details.push(raw);
                    }
                    _ => builder.information.push(joined),
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// Completes the statement being built. `at_end` marks the end of the file, where a missing
    /// closing balance means a truncated file.
    fn finish_statement(&mut self, number: usize, at_end: bool) -> Result<(), StatementError> {
        let Some(mut builder) = self.current.take() else { return Ok(()) };
        builder.flush_pending()?;
        let start = builder.start_line;
        let missing =
            |field: &'static str| StatementError::mt940(number, None, Mt940Problem::MissingField { field, statement_line: start });
        let Some((_, opening)) = builder.opening else {
            return Err(if at_end && builder.closing.is_none() && builder.account.is_some() {
                StatementError::mt940(number, None, Mt940Problem::Truncated { statement_line: start })
            } else {
                missing(":60F:")
            });
        };
        let Some((closing_line, closing)) = builder.closing else {
            return Err(if at_end {
                StatementError::mt940(number, None, Mt940Problem::Truncated { statement_line: start })
            } else {
                missing(":62F:")
            });
        };
        let account_raw = builder.account.ok_or_else(|| missing(":25:"))?;
        let number_text = builder.number.ok_or_else(|| missing(":28C:"))?;
        if closing.currency != opening.currency {
            return Err(StatementError::mt940(
                closing_line,
                None,
                Mt940Problem::CurrencyMismatch { expected: opening.currency.clone(), found: closing.currency.clone() },
            ));
        }
        let (account, account_nrb) = accounts::normalize(&account_raw);
        let lines = builder.lines;
        let information = builder.information.iter().map(|t| t.trim()).filter(|t| !t.is_empty()).collect::<Vec<_>>().join(" ");
        self.statements.push(Statement::assemble(StatementParts {
            format: SourceFormat::Mt940,
            reference: builder.reference,
            account,
            account_nrb,
            number: number_text,
            currency: opening.currency.clone(),
            opening,
            closing,
            available: builder.available,
            lines,
            information: (!information.is_empty()).then_some(information),
            source_line: start,
        }));
        Ok(())
    }
}

/// Reads `:61:` and its continuation lines. The first line normally holds everything up to the
/// references; when it stops early (a bank broke the field, bug report 4) the next line is joined.
fn read_entry(line: usize, lines: &[(usize, Cow<'_, str>)]) -> Result<EntryDraft, StatementError> {
    let first = lines.first().map(|(_, t)| t.trim_end()).unwrap_or_default();
    let (entry, used) = match fields::entry(first) {
        Ok(entry) => (entry, 1),
        Err(error) if error.incomplete && lines.len() > 1 => {
            let joined = format!("{first}{}", lines[1].1.trim_end());
            match fields::entry(&joined) {
                Ok(entry) => (entry, 2),
                Err(_) => return Err(StatementError::mt940(line, Some("61"), error.problem)),
            }
        }
        Err(error) => return Err(StatementError::mt940(line, Some("61"), error.problem)),
    };
    let supplementary: String = lines.iter().skip(used).map(|(_, t)| t.as_ref()).collect();
    let supplementary = supplementary.trim();
    Ok(EntryDraft {
        line,
        entry,
        supplementary: (!supplementary.is_empty()).then(|| supplementary.to_owned()),
        details: Vec::new(),
        raw_details: Vec::new(),
    })
}

fn build_line(draft: EntryDraft) -> Result<StatementLine, StatementError> {
    let EntryDraft { line, entry, supplementary, details, raw_details } = draft;
    let booking_date = match entry.entry_date {
        Some((month, day)) => {
            Some(fields::entry_date(entry.value_date, month, day).map_err(|p| StatementError::mt940(line, Some("61"), p))?)
        }
        None => None,
    };
    let incoming = (entry.direction == crate::model::Direction::Credit) != entry.reversal;
    let d = details::interpret(&details, incoming);
    Ok(StatementLine {
        index: 0,
        source_line: line,
        value_date: entry.value_date,
        booking_date,
        direction: entry.direction,
        reversal: entry.reversal,
        amount: entry.amount,
        transaction_code: Some(entry.transaction_code).filter(|c| !c.is_empty()),
        details_code: d.details_code,
        description: d.description,
        customer_reference: entry.customer_reference,
        bank_reference: entry.bank_reference,
        bank_transaction_id: d.bank_transaction_id,
        counterparty_name: d.counterparty_name,
        counterparty_account: d.counterparty_account,
        counterparty_nrb: d.counterparty_nrb,
        title: d.title,
        virtual_account: d.virtual_account,
        other_accounts: d.other_accounts,
        iph_id: d.iph_id,
        supplementary_details: supplementary,
        raw_details: (!raw_details.is_empty()).then(|| raw_details.join("\n")),
        occurrence: 0,
    })
}
