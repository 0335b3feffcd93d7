//! The normalized output: one model for MT940 and camt.053, shaped for reconciliation and booking.
//!
//! Amounts of entries are non-negative [`Amount`]s with a [`Direction`]; balances are signed
//! [`Decimal`]s (a debit balance is negative, payments.md §5.5). Every statement carries its own
//! [`BalanceCheck`]: an unbalanced statement still parses, and booking it needs a clerk's confirmation.

use std::collections::HashMap;
use std::fmt;

use domain::Amount;
use domain::nrb::{Nrb, VirtualAccountLayout};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use time::Date;

use crate::encoding::Encoding;

/// Which format a file turned out to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceFormat {
    Mt940,
    Camt053,
}

/// Which way money moved on the municipality's account, as booked.
///
/// A reversal keeps the direction of its booking: MT940 `RC` (reversal of a credit) is a debit and
/// `RD` a credit (payments.md §4.1); camt `CdtDbtInd` is the booking direction also when `RvslInd` is
/// true. [`StatementLine::reversal`] tells the two apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    Credit,
    Debit,
}

impl Direction {
    /// The amount as it moves the balance: positive for a credit, negative for a debit.
    pub fn signed(self, amount: Amount) -> Decimal {
        match self {
            Direction::Credit => amount.decimal(),
            Direction::Debit => -amount.decimal(),
        }
    }

    /// The MT940 mark without reversal: `C` or `D`.
    pub fn mark(self) -> char {
        match self {
            Direction::Credit => 'C',
            Direction::Debit => 'D',
        }
    }
}

/// `F` balances close a statement; `M` (intermediate) balances close one message of a statement
/// split over several (MT940 `:60M:`/`:62M:`, camt `ITBD`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BalanceKind {
    Final,
    Intermediate,
}

/// A booked balance: signed (negative = debit balance), in the statement's currency.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Balance {
    pub kind: BalanceKind,
    pub date: Date,
    pub currency: String,
    /// Scale 2; a zero balance is never negative, whatever its mark.
    pub amount: Decimal,
}

/// Opening + Σ entries = closing (payments.md §5.8), computed for every statement.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct BalanceCheck {
    pub balanced: bool,
    pub total_credits: Decimal,
    pub total_debits: Decimal,
    /// Opening + credits − debits.
    pub computed_closing: Decimal,
    /// Stated closing − computed closing; zero when balanced.
    pub difference: Decimal,
}

impl BalanceCheck {
    pub(crate) fn compute(opening: &Balance, closing: &Balance, lines: &[StatementLine]) -> BalanceCheck {
        let (mut credits, mut debits) = (Decimal::ZERO, Decimal::ZERO);
        for line in lines {
            match line.direction {
                Direction::Credit => credits += line.amount.decimal(),
                Direction::Debit => debits += line.amount.decimal(),
            }
        }
        let computed_closing = opening.amount + credits - debits;
        let difference = closing.amount - computed_closing;
        BalanceCheck { balanced: difference.is_zero(), total_credits: credits, total_debits: debits, computed_closing, difference }
    }
}

/// One statement: one account, one statement number, its balances and entries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Statement {
    pub format: SourceFormat,
    /// MT940 `:20:` (often not unique: PKO writes `MT940`, mBank the same `ST…` for every account);
    /// camt `Stmt/Id`.
    pub reference: String,
    /// The statement's own account: `PL` + 26 digits when it is a valid NRB, otherwise as written
    /// (spaces and a leading `/` removed).
    pub account: String,
    pub account_nrb: Option<Nrb>,
    /// MT940 `:28C:` as written (`11/1`, `00009/01`, `036/2009/BPL`); camt `LglSeqNb`, else
    /// `ElctrncSeqNb`, else `Stmt/Id`.
    pub number: String,
    pub currency: String,
    pub opening: Balance,
    pub closing: Balance,
    /// MT940 `:64:`, camt `CLAV`.
    pub available: Option<Balance>,
    pub lines: Vec<StatementLine>,
    pub balance_check: BalanceCheck,
    /// Statement-level text: MT940 `:86:` after the closing balance, camt `AddtlStmtInf`.
    pub information: Option<String>,
    /// Where the statement starts: MT940 line of `:20:`, camt XML line of `<Stmt>`.
    pub source_line: usize,
}

/// One entry of a statement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatementLine {
    /// Position within the statement, from 0.
    pub index: usize,
    /// MT940 line of `:61:`, camt XML line of `<Ntry>` (or `<TxDtls>` of a split batch entry).
    pub source_line: usize,
    pub value_date: Date,
    /// MT940 entry date (year inferred from the value date, payments.md §5.6); camt `BookgDt`.
    pub booking_date: Option<Date>,
    pub direction: Direction,
    /// MT940 `RC`/`RD`, camt `RvslInd`.
    pub reversal: bool,
    pub amount: Amount,
    /// MT940 `:61:` transaction type (`NTRF`, `N152`, `S020`); camt `BkTxCd` (`Domn/Fmly/SubFmly`
    /// codes joined by `/`, else the proprietary code).
    pub transaction_code: Option<String>,
    /// The code that opens `:86:` (`020`, `911`, `970`); camt: none.
    pub details_code: Option<String>,
    /// Operation description: subfield `00` (`152`, `IBCG`, `Przelew MultiCash`), the mBank text after
    /// the code (`TRANSAKCJA COLLECT`).
    pub description: Option<String>,
    /// MT940 customer reference (`NONREF` = none); camt `EndToEndId` (`NOTPROVIDED` = none).
    pub customer_reference: Option<String>,
    /// MT940 reference after `//`; camt `AcctSvcrRef`.
    pub bank_reference: Option<String>,
    /// The bank's unique transaction id where the dialect has one: mBank `TNR`, PKO `~63 SWRK …`.
    pub bank_transaction_id: Option<String>,
    pub counterparty_name: Option<String>,
    /// The counterparty's account as written (may be foreign: `FR14…`, `NO93…`).
    pub counterparty_account: Option<String>,
    /// The same when it is a valid NRB (PKO's `~30` + `~31` rebuilt when no full number is given).
    pub counterparty_nrb: Option<Nrb>,
    /// Payment title / remittance information.
    pub title: Option<String>,
    /// The account the payer addressed, where the file names it apart from the payer's account
    /// (payments.md §4.3): camt `CdtrAcct` of a credit; mBank `NA RACH.` of a credit; in the `~`/`<`/`^`
    /// dialects an NRB in a subfield other than the payer-account ones. A candidate: reconciliation must
    /// still find it among the issued numbers.
    pub virtual_account: Option<Nrb>,
    /// Valid NRBs the entry mentions besides [`virtual_account`](Self::virtual_account) and
    /// [`counterparty_nrb`](Self::counterparty_nrb), and besides the statement's own account: 26-digit
    /// runs in the title or other text (payments.md §4.3 practical rule). All of them together:
    /// [`mentioned_accounts`](Self::mentioned_accounts).
    pub other_accounts: Vec<Nrb>,
    /// mBank Collect `ID IPH:` (identifies the virtual account, payments.md §2.4).
    pub iph_id: Option<String>,
    /// MT940 `:61:` second line.
    pub supplementary_details: Option<String>,
    /// MT940 `:86:` as in the file, lines joined by `\n`; camt `AddtlNtryInf`/`AddtlTxInf`.
    pub raw_details: Option<String>,
    /// How many earlier lines of this statement share this line's identity key (see [`LineIdentity`]).
    pub occurrence: u32,
}

impl StatementLine {
    /// The amount with the sign of its direction.
    pub fn signed_amount(&self) -> Decimal {
        self.direction.signed(self.amount)
    }

    /// Whether the underlying payment was money coming in: a credit, or the reversal of one.
    pub fn is_incoming_payment(&self) -> bool {
        (self.direction == Direction::Credit) != self.reversal
    }

    /// Every valid NRB the entry mentions: the virtual account, the counterparty's, then the others.
    pub fn mentioned_accounts(&self) -> impl Iterator<Item = &Nrb> {
        self.virtual_account.iter().chain(&self.counterparty_nrb).chain(&self.other_accounts)
    }

    /// The first account this line mentions that belongs to one of the municipality's virtual-account
    /// layouts, with the layout's index and the identifier inside it, looking in the order of
    /// [`mentioned_accounts`](Self::mentioned_accounts) (PKO can put the virtual number in place of
    /// the payer's account, payments.md §4.3).
    pub fn virtual_account_in(&self, layouts: &[VirtualAccountLayout]) -> Option<VirtualAccountMatch> {
        self.mentioned_accounts().find_map(|nrb| {
            layouts.iter().enumerate().find_map(|(layout, l)| {
                l.identifier_of(nrb).ok().map(|identifier| VirtualAccountMatch { account: nrb.clone(), layout, identifier })
            })
        })
    }
}

/// A virtual account found by [`StatementLine::virtual_account_in`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VirtualAccountMatch {
    pub account: Nrb,
    /// Index into the layouts given.
    pub layout: usize,
    pub identifier: u64,
}

/// The identity of a statement line, used to refuse booking the same line twice across overlapping
/// imports (payments.md §5.7, bug 28).
///
/// Key: statement account + statement number + bank reference + value date + direction + amount +
/// occurrence (how many earlier lines of the same statement have the same key). Printed as one string
/// with `|` between the parts (`\` and `|` inside a part are escaped), no hashing.
///
/// Guarantees:
/// - **Stable**: the same statement gives the same identities whatever file it arrives in — alone or
///   with other statements, in another encoding, with other line endings or framing — because only
///   parsed values enter the key, never byte positions or the file.
/// - **Unique within a statement**: two lines of one statement never share an identity, even two
///   identical legitimate payments (the occurrence index tells them apart), so a correct file is never
///   refused as its own duplicate.
/// - **Overlapping files**: a statement present in two imports gives each of its lines the same
///   identity in both, as long as the bank reissues it with the same lines (lines with equal keys are
///   interchangeable, so their order among themselves does not matter).
///
/// Not guaranteed: the same operation in two different statements or formats (MT942 then MT940, MT940
/// and camt.053 of the same account) gets different identities; use
/// [`StatementLine::bank_transaction_id`] (mBank `TNR`) for that where the bank provides it. A statement
/// whose number resets yearly (PKO) stays distinct through the value date.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct LineIdentity {
    pub account: String,
    pub statement_number: String,
    pub bank_reference: String,
    pub value_date: Date,
    pub direction: Direction,
    pub amount: Amount,
    pub occurrence: u32,
}

impl LineIdentity {
    /// The key as one string, e.g. `PL61102055611000990102003344|1|6460500500000513|2021-05-26|D|25.00|0`.
    pub fn key(&self) -> String {
        self.to_string()
    }
}

fn write_escaped(f: &mut fmt::Formatter<'_>, text: &str) -> fmt::Result {
    for c in text.chars() {
        if c == '|' || c == '\\' {
            write!(f, "\\")?;
        }
        write!(f, "{c}")?;
    }
    Ok(())
}

impl fmt::Display for LineIdentity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_escaped(f, &self.account)?;
        f.write_str("|")?;
        write_escaped(f, &self.statement_number)?;
        f.write_str("|")?;
        write_escaped(f, &self.bank_reference)?;
        write!(f, "|{}|{}|{}|{}", self.value_date, self.direction.mark(), self.amount, self.occurrence)
    }
}

impl Statement {
    /// The identity of line `index`, or `None` past the end.
    pub fn line_identity(&self, index: usize) -> Option<LineIdentity> {
        self.lines.get(index).map(|line| LineIdentity {
            account: self.account.clone(),
            statement_number: self.number.clone(),
            bank_reference: line.bank_reference.clone().unwrap_or_default(),
            value_date: line.value_date,
            direction: line.direction,
            amount: line.amount,
            occurrence: line.occurrence,
        })
    }

    /// The identities of all lines, in order.
    pub fn line_identities(&self) -> Vec<LineIdentity> {
        (0..self.lines.len()).filter_map(|i| self.line_identity(i)).collect()
    }

    /// Builds a statement from parsed parts: numbers the lines, counts occurrences, checks balances.
    pub(crate) fn assemble(mut parts: StatementParts) -> Statement {
        let mut seen: HashMap<(Option<&str>, Date, Direction, Amount), u32> = HashMap::with_capacity(parts.lines.len());
        let mut occurrences = Vec::with_capacity(parts.lines.len());
        for line in &parts.lines {
            let count = seen.entry((line.bank_reference.as_deref(), line.value_date, line.direction, line.amount)).or_insert(0);
            occurrences.push(*count);
            *count += 1;
        }
        drop(seen);
        for (index, (line, occurrence)) in parts.lines.iter_mut().zip(occurrences).enumerate() {
            line.index = index;
            line.occurrence = occurrence;
            if let Some(own) = &parts.account_nrb {
                line.other_accounts.retain(|nrb| nrb != own);
                if line.virtual_account.as_ref() == Some(own) {
                    line.virtual_account = None;
                }
            }
        }
        let balance_check = BalanceCheck::compute(&parts.opening, &parts.closing, &parts.lines);
        Statement {
            format: parts.format,
            reference: parts.reference,
            account: parts.account,
            account_nrb: parts.account_nrb,
            number: parts.number,
            currency: parts.currency,
            opening: parts.opening,
            closing: parts.closing,
            available: parts.available,
            lines: parts.lines,
            balance_check,
            information: parts.information,
            source_line: parts.source_line,
        }
    }
}

/// What a format parser collects for one statement before [`Statement::assemble`].
#[derive(Debug)]
pub(crate) struct StatementParts {
    pub format: SourceFormat,
    pub reference: String,
    pub account: String,
    pub account_nrb: Option<Nrb>,
    pub number: String,
    pub currency: String,
    pub opening: Balance,
    pub closing: Balance,
    pub available: Option<Balance>,
    pub lines: Vec<StatementLine>,
    pub information: Option<String>,
    pub source_line: usize,
}

/// Something worth a clerk's attention that does not make the file unreadable.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Warning {
    /// A statement's opening balance differs from the closing balance of the previous statement of the
    /// same account in the file (MT940 rule: `:60F:` equals the previous `:62F:`).
    BalanceChainBroken { statement: usize, account: String, previous_closing: Decimal, opening: Decimal },
    /// The decoded text contains box-drawing or control characters: probably the wrong encoding
    /// (payments.md §5.1).
    SuspiciousDecoding { encoding: Encoding },
}

/// A whole parsed file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParsedFile {
    pub format: SourceFormat,
    pub encoding: Encoding,
    /// Whether the encoding was detected (`true`) or named by the caller.
    pub encoding_detected: bool,
    /// camt: the message's XML namespace (tells the version, `…camt.053.001.02`); MT940: none.
    pub schema: Option<String>,
    pub statements: Vec<Statement>,
    pub warnings: Vec<Warning>,
}

impl ParsedFile {
    /// Every line with its statement, in file order.
    pub fn lines(&self) -> impl Iterator<Item = (&Statement, &StatementLine)> {
        self.statements.iter().flat_map(|s| s.lines.iter().map(move |l| (s, l)))
    }

    /// Whether every statement's balances add up.
    pub fn all_balanced(&self) -> bool {
        self.statements.iter().all(|s| s.balance_check.balanced)
    }

    pub(crate) fn warn_on_broken_chains(&mut self) {
        let mut last_closing: HashMap<&str, Decimal> = HashMap::new();
        let mut warnings = Vec::new();
        for (index, statement) in self.statements.iter().enumerate() {
            if let Some(&previous) = last_closing.get(statement.account.as_str())
                && previous != statement.opening.amount
            {
                warnings.push(Warning::BalanceChainBroken {
                    statement: index,
                    account: statement.account.clone(),
                    previous_closing: previous,
                    opening: statement.opening.amount,
                });
            }
            last_closing.insert(&statement.account, statement.closing.amount);
        }
        self.warnings.extend(warnings);
    }
}
