//! Bank-statement reconciliation (issue 6, walkthrough 4): a statement file → the parser
//! (`statements` crate) → one decision per line → bookings, all in ONE database transaction.
//!
//! For each new credit (an incoming payment: a credit that is not a reversal), in this order:
//!
//! 1. **An online payment's settlement.** A 10-digit number in the title or the customer reference
//!    that is the `gateway_transaction_id` of a portal payment (the PayByNet `id_trans`; the portal's
//!    reference "e-Należności <id_trans>" contains it) with the same amount → `settled_online`: linked
//!    to that payment, never booked again. A payment still `pending` (its notification was lost) is
//!    booked now, dated by the line (the money demonstrably arrived). A rejected or expired payment,
//!    another amount, or a payment some line settled before → the clerk's queue, with a suggestion.
//! 2. **A virtual account** (`StatementLine::virtual_account_in` with the municipality's layout) that
//!    the `virtual_account` table issued to a taxpayer → `matched`: a booked `transfer` payment dated
//!    by the statement (tax-rules.md §8.6: payment date = value date, booking date beside it),
//!    `idempotency_key` = `stmt:` + the line key (a line can never become two payments), with its
//!    allocation by the domain ledger (art. 62, art. 55 § 2). What the ledger leaves over is recorded
//!    as the overpayment (nadpłata) on the allocation's last row, as for every payment. A decision
//!    number of the taxpayer's in the title indicates that obligation (art. 62 § 1).
//! 3. Otherwise → `unmatched`, in the clerk's queue with suggestions and a confidence: a decision
//!    number, PESEL or NIP in the title → that taxpayer, high; the payer's name is a taxpayer's name,
//!    or the payer's account paid for a taxpayer before → medium (low when several fit).
//!
//! Debits and reversals (`RC`, `RD`) are recorded as `debit` and never booked; an `RC` (a credit
//! taken back) adds a warning for the clerk. Lines in another currency than PLN go to the queue.
//!
//! Idempotency: the line key (`statements::LineIdentity`) is UNIQUE in `statement_line`; a key
//! already stored, or met earlier in the same file, is a duplicate and books nothing. Atomicity: the
//! import row is written first, with the file itself while the parser reads it (on SQLite this takes
//! the write lock at once, so the reads that follow see what the writes will be checked against),
//! then everything else, then one commit; a dry run or a refused unbalanced file rolls the same
//! transaction back, so its report is exactly what a real import would have done.
//!
//! Allocation in bulk: the new payments of one taxpayer are valued in one pass of the ledger
//! (existing payments first, then the new ones by value date and file order), which gives each the
//! allocation `payflow::allocation_rows` would give booking them one by one in that order — checked
//! by the integration tests. `booked_at` follows the same order, so later readings of the ledger
//! (which order same-day payments by `booked_at`) agree with what was stored.

pub mod cli;

use std::collections::{HashMap, HashSet};
use std::time::Instant;

use api_types as api;
use domain::Amount;
use domain::interest::InterestRules;
use domain::ledger::{Allocation, AllocationLine};
use domain::nrb::VirtualAccountLayout;
use sha2::{Digest, Sha256};
use statements::{Direction, Encoding, Format, ParsedFile, Statement, StatementError, StatementLine};
use store::BulkTransaction;
use store::entities::{allocation, payment};
use store::sea_orm::{ActiveModelTrait, EntityTrait};
use store::statements::{self as st, Outcome, statement_file, statement_import, statement_line};
use store::{LedgerBooks, PaymentFacts, Store, StoreError, Uuid};
use time::{Date, OffsetDateTime};

/// Why a file was not imported.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The file cannot be read as a statement: bad input, nothing changed.
    #[error("{0}")]
    Parse(#[from] StatementError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<store::sea_orm::DbErr> for ImportError {
    fn from(e: store::sea_orm::DbErr) -> Self {
        ImportError::Store(StoreError::Db(e))
    }
}

/// One import to run.
#[derive(Debug, Clone)]
pub struct ImportRequest {
    pub bytes: Vec<u8>,
    pub file_name: String,
    pub format: Format,
    /// `None`: detected.
    pub encoding: Option<Encoding>,
    /// Do everything, then roll back: the report says what would happen.
    pub dry_run: bool,
    /// Book statements whose balances do not add up (a clerk's confirmation).
    pub accept_unbalanced: bool,
    /// `user:<uuid>` or `command-line:<login>`.
    pub imported_by: String,
    /// Also list every credit's outcome ([`api::StatementImportResult::credits`]; the CLI's `--json`).
    pub outcomes: bool,
}

/// Where an import is: `(phase, done, total)`; phases `parse`, `match`, `book`, `write`, `commit`.
pub type Progress<'a> = &'a (dyn Fn(&str, usize, usize) + Sync);

/// The statuses of [`api::StatementImportSummary::status`].
pub const IMPORTED: &str = "imported";
pub const IMPORTED_UNBALANCED: &str = "imported_unbalanced";
pub const DRY_RUN: &str = "dry_run";
pub const UNBALANCED: &str = "unbalanced";

/// Parses, matches and books one file. A file the parser refuses is an [`ImportError::Parse`]
/// (nothing changed); an unbalanced file without confirmation comes back with status
/// [`UNBALANCED`] and nothing booked.
pub async fn import(
    store: &Store,
    rules: &InterestRules<'_>,
    layout: &VirtualAccountLayout,
    request: ImportRequest,
    progress: Progress<'_>,
) -> Result<api::StatementImportResult, ImportError> {
    progress("parse", 0, request.bytes.len());
    let import_row = statement_import::Model {
        id: Uuid::now_v7(),
        // This row is completed by `run`, which also sets the time; nobody sees it before the commit.
        imported_at: OffsetDateTime::now_utc(),
        imported_by: request.imported_by.clone(),
        file_name: request.file_name.clone(),
        file_size: i64::try_from(request.bytes.len()).unwrap_or(i64::MAX),
        file_sha256: String::new(),
        format: String::new(),
        encoding: String::new(),
        status: String::new(),
        statements: 0,
        lines: 0,
        credits: 0,
        debits: 0,
        matched: 0,
        unmatched: 0,
        settled_online: 0,
        duplicates: 0,
        total_credited_grosze: 0,
        total_booked_grosze: 0,
        unbalanced: None,
        warnings: None,
    };
    // Parsing and hashing the file on two threads while the transaction stores the file itself:
    // PostgreSQL compresses and logs it in about the time the parse takes.
    let bytes = std::sync::Arc::new(request.bytes);
    let hashing = {
        let bytes = bytes.clone();
        tokio::task::spawn_blocking(move || hex::encode(Sha256::digest(bytes.as_slice())))
    };
    let parsing = {
        let (bytes, format, encoding) = (bytes.clone(), request.format, request.encoding);
        tokio::task::spawn_blocking(move || statements::parse(&bytes, format, encoding))
    };
    let txn = store.begin_bulk().await?;
    let content = (!request.dry_run).then_some(bytes.as_slice());
    let opened = open_import(&txn, &import_row, content).await;
    let stopped = |e: tokio::task::JoinError| StoreError::Corrupt(format!("the parser stopped: {e}"));
    let parsed = parsing.await.map_err(stopped);
    let sha256 = hashing.await.map_err(stopped);
    drop(bytes);
    let ready = (|| -> Result<(ParsedFile, String), ImportError> {
        let parsed = parsed??;
        opened?;
        Ok((parsed, sha256?))
    })();
    let (parsed, sha256) = match ready {
        Ok(ready) => ready,
        Err(e) => {
            let _ = txn.rollback().await;
            return Err(e);
        }
    };
    let lines_total = parsed.statements.iter().map(|s| s.lines.len()).sum();
    progress("parse", lines_total, lines_total);
    let unbalanced: Vec<api::UnbalancedStatement> = parsed
        .statements
        .iter()
        .filter(|s| !s.balance_check.balanced)
        .map(|s| api::UnbalancedStatement {
            account: s.account.clone(),
            number: s.number.clone(),
            opening: s.opening.amount.to_string(),
            closing: s.closing.amount.to_string(),
            computed_closing: s.balance_check.computed_closing.to_string(),
            difference: s.balance_check.difference.to_string(),
        })
        .collect();
    let refused = !unbalanced.is_empty() && !request.accept_unbalanced;
    let status = match (refused, request.dry_run, unbalanced.is_empty()) {
        (true, _, _) => UNBALANCED,
        (false, true, _) => DRY_RUN,
        (false, false, true) => IMPORTED,
        (false, false, false) => IMPORTED_UNBALANCED,
    };
    let write = !refused && !request.dry_run;
    let header = Header { file_name: request.file_name, sha256, status, unbalanced, outcomes: request.outcomes };
    let result = run(&txn, rules, layout, &parsed, import_row, header, write, progress).await;
    match result {
        Ok(report) if write => {
            progress("commit", 0, 1);
            txn.commit().await?;
            progress("commit", 1, 1);
            Ok(report)
        }
        Ok(report) => {
            txn.rollback().await?;
            Ok(report)
        }
        Err(e) => {
            let _ = txn.rollback().await;
            Err(e)
        }
    }
}

/// The import's first writes: its row (completed by [`run`]) and the file itself, unless nothing will be
/// booked. On SQLite the first write takes the write lock, so no other writer can slip in between the
/// reads that follow and the writes they decide.
async fn open_import(txn: &BulkTransaction, row: &statement_import::Model, content: Option<&[u8]>) -> Result<(), ImportError> {
    statement_import::Entity::insert(statement_import::ActiveModel::from(row.clone())).exec_without_returning(txn).await?;
    if let Some(content) = content {
        let file = statement_file::Model { import_id: row.id, content: content.to_vec() };
        statement_file::Entity::insert(statement_file::ActiveModel::from(file)).exec_without_returning(txn).await?;
    }
    Ok(())
}

struct Header {
    file_name: String,
    sha256: String,
    status: &'static str,
    unbalanced: Vec<api::UnbalancedStatement>,
    outcomes: bool,
}

/// What was decided for one new line.
#[derive(Debug, Clone)]
struct Decision {
    outcome: Outcome,
    taxpayer: Option<Uuid>,
    /// The payment booked (matched) or settled (settled online).
    payment: Option<Uuid>,
    /// A pending online payment this line settles, to book now.
    book_pending: Option<payment::Model>,
    reason: Option<String>,
    suggestions: Vec<api::Suggestion>,
    overpayment: Amount,
}

impl Decision {
    fn new(outcome: Outcome) -> Self {
        Decision {
            outcome,
            taxpayer: None,
            payment: None,
            book_pending: None,
            reason: None,
            suggestions: Vec::new(),
            overpayment: Amount::ZERO,
        }
    }

    fn unmatched(reason: String) -> Self {
        Decision { reason: Some(reason), ..Decision::new(Outcome::Unmatched) }
    }
}

/// A line of the file with what the matching needs.
struct Item<'a> {
    statement: &'a Statement,
    line: &'a StatementLine,
    key: String,
    position: usize,
    /// Not a duplicate.
    new: bool,
    /// The virtual account found on the line (digits), if any of the municipality's layout.
    virtual_account: Option<String>,
    decision: Decision,
}

impl Item<'_> {
    fn incoming(&self) -> bool {
        self.line.is_incoming_payment()
    }

    fn text_clues(&self) -> impl Iterator<Item = &str> {
        self.line.title.as_deref().into_iter().chain(self.line.customer_reference.as_deref())
    }
}

#[allow(clippy::too_many_arguments, reason = "one call site; the parts of one import")]
async fn run(
    txn: &BulkTransaction,
    rules: &InterestRules<'_>,
    layout: &VirtualAccountLayout,
    parsed: &ParsedFile,
    mut import_row: statement_import::Model,
    header: Header,
    write: bool,
    progress: Progress<'_>,
) -> Result<api::StatementImportResult, ImportError> {
    // Taken now, not when the file arrived: `booked_at` (now + file position) must come after every
    // payment already booked when the ledgers are read, and the parse can take seconds. Whole
    // microseconds, as both databases keep them (booked_at orders same-day payments).
    let now = OffsetDateTime::now_utc();
    let now = now.replace_nanosecond(now.nanosecond() / 1_000 * 1_000).unwrap_or(now);
    import_row.imported_at = now;
    let import_id = import_row.id;
    import_row.file_sha256 = header.sha256;
    import_row.format = format_code(parsed);
    import_row.encoding = parsed.encoding.label().to_string();
    import_row.status = header.status.to_string();
    import_row.unbalanced = (!header.unbalanced.is_empty()).then(|| serde_json::to_value(&header.unbalanced).unwrap_or_default());

    // 1. Every line, its key, and whether it is new.
    let lines: Vec<(&Statement, &StatementLine)> = parsed.lines().collect();
    let facts = parallel_map(&lines, |(statement, line)| {
        let key = statement.line_identity(line.index).map(|id| id.key()).unwrap_or_default();
        let virtual_account = line.virtual_account_in(std::slice::from_ref(layout)).map(|m| m.account.digits().to_string());
        (key, virtual_account)
    });
    let mut items: Vec<Item<'_>> = lines
        .into_iter()
        .zip(facts)
        .enumerate()
        .map(|(position, ((statement, line), (key, virtual_account)))| Item {
            statement,
            line,
            key,
            position,
            new: true,
            virtual_account,
            decision: Decision::new(Outcome::Duplicate),
        })
        .collect();
    let total = items.len();
    progress("match", 0, total);
    let keys: Vec<String> = items.iter().map(|i| i.key.clone()).collect();
    let existing = st::existing_keys(txn, &keys).await?;
    drop(keys);
    let mut seen: HashSet<&str> = HashSet::with_capacity(items.len());
    let new: Vec<bool> = items.iter().map(|i| !existing.contains(&i.key) && seen.insert(i.key.as_str())).collect();
    drop(seen);
    for (item, new) in items.iter_mut().zip(new) {
        item.new = new;
    }

    // 2. Online payments named in the titles, and issued virtual accounts.
    let mut gateway_ids: HashSet<String> = HashSet::new();
    let mut nrbs: HashSet<String> = HashSet::new();
    for item in items.iter().filter(|i| i.new && i.incoming()) {
        for text in item.text_clues() {
            gateway_ids.extend(ten_digit_numbers(text));
        }
        if let Some(v) = &item.virtual_account {
            nrbs.insert(v.clone());
        }
    }
    let gateway_ids: Vec<String> = gateway_ids.into_iter().collect();
    let online: HashMap<String, payment::Model> = st::payments_by_gateway_ids(txn, &gateway_ids)
        .await?
        .into_iter()
        .filter_map(|p| p.gateway_transaction_id.clone().map(|id| (id, p)))
        .collect();
    let online_ids: Vec<Uuid> = online.values().map(|p| p.id).collect();
    let mut settled_before: HashMap<Uuid, String> = st::lines_of_payments(txn, &online_ids).await?;
    let nrbs: Vec<String> = nrbs.into_iter().collect();
    let owners = st::virtual_account_owners(txn, &nrbs).await?;

    // 3. Decide each new line.
    for (done, item) in items.iter_mut().enumerate() {
        if done % 50_000 == 0 {
            progress("match", done, total);
        }
        if !item.new {
            continue;
        }
        if !item.incoming() {
            item.decision = Decision::new(Outcome::Debit);
            continue;
        }
        if item.statement.currency != "PLN" {
            item.decision = Decision::unmatched(format!("the statement is in {}: only PLN payments are booked", item.statement.currency));
            continue;
        }
        let named: Option<&payment::Model> =
            item.text_clues().flat_map(ten_digit_numbers).collect::<Vec<_>>().iter().find_map(|id| online.get(id.as_str()));
        if let Some(p) = named {
            let decision = settle(item, p, &mut settled_before, &owners);
            item.decision = decision;
            continue;
        }
        item.decision = match &item.virtual_account {
            Some(nrb) => match owners.get(nrb) {
                // The payment's id is taken here, in file order (see `write_order`).
                Some(taxpayer) => Decision { taxpayer: Some(*taxpayer), payment: Some(Uuid::now_v7()), ..Decision::new(Outcome::Matched) },
                None => Decision::unmatched(format!("virtual account {nrb} is not issued to any taxpayer")),
            },
            None => Decision::unmatched("no virtual account of the municipality on the line".into()),
        };
    }
    progress("match", total, total);

    // 4. Bookings, one ledger pass per taxpayer.
    let booking = book(txn, rules, &mut items, now, progress).await?;

    // 5. Suggestions for the clerk's queue.
    suggest(txn, &mut items).await?;

    // 6. Summary, rows, report.
    let mut summary = api::StatementImportSummary {
        import_id: write.then_some(import_id),
        status: header.status.to_string(),
        booked: write,
        file_name: header.file_name,
        format: import_row.format.clone(),
        encoding: import_row.encoding.clone(),
        encoding_detected: parsed.encoding_detected,
        statements: count(parsed.statements.len()),
        lines: count(items.len()),
        credits: 0,
        debits: 0,
        matched: 0,
        unmatched: 0,
        settled_online: 0,
        duplicates: 0,
        total_credited: Amount::ZERO,
        total_booked: booking.total_booked,
        overpayments: booking.overpayments,
        unbalanced_statements: header.unbalanced,
        warnings: parsed.warnings.iter().map(warning_text).collect(),
    };
    let mut credits = Vec::new();
    let mut line_rows = Vec::with_capacity(items.len());
    for item in &items {
        let incoming = item.incoming();
        if incoming {
            summary.credits += 1;
        } else {
            summary.debits += 1;
        }
        if !item.new {
            summary.duplicates += 1;
        } else {
            if incoming {
                summary.total_credited = summary.total_credited + item.line.amount;
            }
            match item.decision.outcome {
                Outcome::Matched => summary.matched += 1,
                Outcome::Unmatched => summary.unmatched += 1,
                Outcome::SettledOnline => summary.settled_online += 1,
                _ => {}
            }
            if item.line.reversal && item.line.direction == Direction::Debit {
                summary.warnings.push(format!(
                    "line {} takes back a credit of {} zł (RC): a payment booked from it may need reversing by hand",
                    item.key, item.line.amount
                ));
            }
        }
        let line_id = Uuid::now_v7();
        if item.new {
            line_rows.push(line_row(item, line_id, import_id));
        }
        if incoming && header.outcomes {
            credits.push(credit_outcome(item, (item.new && write).then_some(line_id)));
        }
    }
    if !write {
        // The transaction is rolled back; nothing more to write.
        return Ok(api::StatementImportResult { summary, credits });
    }
    import_row.statements = i32::try_from(summary.statements).unwrap_or(i32::MAX);
    import_row.lines = i32::try_from(summary.lines).unwrap_or(i32::MAX);
    import_row.credits = i32::try_from(summary.credits).unwrap_or(i32::MAX);
    import_row.debits = i32::try_from(summary.debits).unwrap_or(i32::MAX);
    import_row.matched = i32::try_from(summary.matched).unwrap_or(i32::MAX);
    import_row.unmatched = i32::try_from(summary.unmatched).unwrap_or(i32::MAX);
    import_row.settled_online = i32::try_from(summary.settled_online).unwrap_or(i32::MAX);
    import_row.duplicates = i32::try_from(summary.duplicates).unwrap_or(i32::MAX);
    import_row.total_credited_grosze = summary.total_credited.grosze();
    import_row.total_booked_grosze = summary.total_booked.grosze();
    import_row.warnings = (!summary.warnings.is_empty()).then(|| serde_json::to_value(&summary.warnings).unwrap_or_default());
    let writes = booking.payments.len() + booking.allocations.len() + line_rows.len();
    progress("write", 0, writes);
    let mut written = 0;
    written += write_rows::<payment::Entity, _>(txn, booking.payments, written, writes, progress).await?;
    for (id, day, booking_date, booked_at) in booking.pending {
        if !st::book_pending(txn, id, day, booking_date, booked_at).await? {
            return Err(StoreError::Conflict(format!("online payment {id} changed during the import; import the file again")).into());
        }
    }
    written += write_rows::<allocation::Entity, _>(txn, booking.allocations, written, writes, progress).await?;
    write_rows::<statement_line::Entity, _>(txn, line_rows, written, writes, progress).await?;
    statement_import::ActiveModel::from(import_row).reset_all().update(txn).await?;
    Ok(api::StatementImportResult { summary, credits })
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

fn format_code(parsed: &ParsedFile) -> String {
    match parsed.format {
        statements::SourceFormat::Mt940 => "mt940".into(),
        statements::SourceFormat::Camt053 => "camt053".into(),
    }
}

fn warning_text(warning: &statements::Warning) -> String {
    match warning {
        statements::Warning::BalanceChainBroken { statement, account, previous_closing, opening } => format!(
            "statement {} of account {account} opens with {opening}, but the previous one closed with {previous_closing}",
            statement + 1
        ),
        statements::Warning::SuspiciousDecoding { encoding } => {
            format!("the text decoded as {encoding} contains box-drawing or control characters: check the encoding")
        }
    }
}

/// Every run of exactly ten digits (a PayByNet `id_trans`), not part of a longer number.
pub fn ten_digit_numbers(text: &str) -> Vec<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i].is_ascii_digit() {
            let start = i;
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
            if i - start == 10 {
                out.push(text[start..i].to_string());
            }
        } else {
            i += 1;
        }
    }
    out
}

/// A credit that names online payment `p`.
fn settle(item: &Item<'_>, p: &payment::Model, settled_before: &mut HashMap<Uuid, String>, owners: &HashMap<String, Uuid>) -> Decision {
    let id_trans = p.gateway_transaction_id.clone().unwrap_or_default();
    let suggestion = |reason: String| api::Suggestion {
        taxpayer_id: p.taxpayer_id,
        taxpayer_name: String::new(),
        obligation_id: p.indicated_obligation_id,
        confidence: api::Confidence::High,
        reason,
    };
    let queue = |reason: String| Decision {
        suggestions: vec![suggestion(format!("online payment {id_trans} in the title"))],
        ..Decision::unmatched(reason)
    };
    if let Some(other) = settled_before.get(&p.id) {
        return queue(format!("online payment {id_trans} was already settled by line {other}: is this money paid twice?"));
    }
    if p.amount_grosze != item.line.amount.grosze() {
        return queue(format!(
            "the title names online payment {id_trans} of {} zł, but the line is {} zł",
            store::money(p.amount_grosze).unwrap_or(Amount::ZERO),
            item.line.amount
        ));
    }
    if let Some(owner) = item.virtual_account.as_ref().and_then(|nrb| owners.get(nrb))
        && *owner != p.taxpayer_id
    {
        return queue(format!("the title names online payment {id_trans}, but the money came to another taxpayer's virtual account"));
    }
    let settled = |reason: Option<String>, pending: Option<payment::Model>| Decision {
        taxpayer: Some(p.taxpayer_id),
        payment: Some(p.id),
        book_pending: pending,
        reason,
        ..Decision::new(Outcome::SettledOnline)
    };
    match p.status.as_str() {
        "booked" => {
            settled_before.insert(p.id, item.key.clone());
            settled(None, None)
        }
        "pending" => {
            settled_before.insert(p.id, item.key.clone());
            settled(
                Some("the online payment was still pending (no confirmation from the gateway): booked from the statement".into()),
                Some(p.clone()),
            )
        }
        other => queue(format!("the title names online payment {id_trans}, which the gateway reported {other}")),
    }
}

/// What the bookings of one import are.
#[derive(Default)]
struct Bookings {
    payments: Vec<payment::Model>,
    allocations: Vec<allocation::Model>,
    /// Pending online payments to flip to booked: (id, payment date, booking date, booked at).
    pending: Vec<(Uuid, Date, Date, OffsetDateTime)>,
    total_booked: Amount,
    overpayments: Amount,
}

/// One taxpayer's bookings to value: their books with the new payments appended, and which item
/// each new payment comes from.
struct Job {
    books: LedgerBooks,
    new: Vec<(usize, payment::Model)>,
    last_day: Date,
}

/// Builds the payments of the matched lines and the pending online payments they settle, and
/// allocates them: one ledger pass per taxpayer, the taxpayers spread over the cores.
async fn book(
    txn: &BulkTransaction,
    rules: &InterestRules<'_>,
    items: &mut [Item<'_>],
    now: OffsetDateTime,
    progress: Progress<'_>,
) -> Result<Bookings, ImportError> {
    // Per taxpayer: the items that book money, by value date then file order.
    let mut by_taxpayer: HashMap<Uuid, Vec<usize>> = HashMap::new();
    for (index, item) in items.iter().enumerate() {
        let books_money = item.decision.outcome == Outcome::Matched
            || (item.decision.outcome == Outcome::SettledOnline && item.decision.book_pending.is_some());
        if books_money && let Some(taxpayer) = item.decision.taxpayer {
            by_taxpayer.entry(taxpayer).or_default().push(index);
        }
    }
    let mut taxpayers: Vec<Uuid> = by_taxpayer.keys().copied().collect();
    taxpayers.sort();
    let total = taxpayers.len();
    progress("book", 0, total);
    let mut books = st::ledger_books_of_many(txn, &taxpayers).await?;
    let mut jobs = Vec::with_capacity(taxpayers.len());
    for taxpayer in &taxpayers {
        let Some(mut indexes) = by_taxpayer.remove(taxpayer) else { continue };
        let Some(mut taxpayer_books) = books.remove(taxpayer) else {
            for &i in &indexes {
                items[i].decision = Decision::unmatched("the virtual account's taxpayer does not exist".into());
            }
            continue;
        };
        indexes.sort_by_key(|&i| (items[i].line.value_date, items[i].position));
        let mut new: Vec<(usize, payment::Model)> = Vec::with_capacity(indexes.len());
        for &i in &indexes {
            let item = &mut items[i];
            let value_date = item.line.value_date;
            let booking_date = item.line.booking_date.unwrap_or(value_date);
            // booked_at in file order within the import: same-day payments keep this order later.
            let booked_at = now + time::Duration::microseconds(i64::try_from(item.position).unwrap_or(0));
            let model = match &item.decision.book_pending {
                Some(pending) => payment::Model {
                    status: "booked".into(),
                    payment_date: Some(value_date),
                    booking_date: Some(booking_date),
                    booked_at: Some(booked_at),
                    ..pending.clone()
                },
                None => {
                    let indicated = indicated_obligation(&taxpayer_books, item.line.title.as_deref());
                    let model = payment::Model {
                        id: item.decision.payment.unwrap_or_else(Uuid::now_v7),
                        taxpayer_id: *taxpayer,
                        source: "transfer".into(),
                        status: "booked".into(),
                        payment_date: Some(value_date),
                        booking_date: Some(booking_date),
                        amount_grosze: item.line.amount.grosze(),
                        payer: item.line.counterparty_name.clone(),
                        reference: item.line.bank_reference.clone(),
                        idempotency_key: Some(format!("stmt:{}", item.key)),
                        indicated_obligation_id: indicated,
                        gateway: None,
                        gateway_transaction_id: None,
                        created_at: now,
                        booked_at: Some(booked_at),
                    };
                    item.decision.payment = Some(model.id);
                    model
                }
            };
            new.push((i, model));
        }
        taxpayer_books.payments.extend(new.iter().map(|(_, p)| PaymentFacts::from(p)));
        let last_day = new.iter().filter_map(|(_, p)| p.payment_date).max().unwrap_or(now.date());
        jobs.push(Job { books: taxpayer_books, new, last_day });
    }
    drop(books);
    // The ledgers: pure computation, independent per taxpayer.
    let done = std::sync::atomic::AtomicUsize::new(0);
    let allocated = parallel_map(&jobs, |job| {
        let result = allocate(&job.books, rules, job.last_day, job.new.iter().map(|(_, p)| p.id));
        let finished = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
        if finished.is_multiple_of(5_000) {
            progress("book", finished, total);
        }
        result
    });
    let mut out = Bookings::default();
    for (job, allocated) in jobs.into_iter().zip(allocated) {
        match allocated {
            Ok(mut rows) => {
                for (i, model) in job.new {
                    let lines = rows.remove(&model.id).unwrap_or_default();
                    let overpayment: i64 = lines.iter().map(|l| l.overpayment_grosze).sum();
                    items[i].decision.overpayment = store::money(overpayment)?;
                    out.overpayments = out.overpayments + items[i].decision.overpayment;
                    out.total_booked = out.total_booked + store::money(model.amount_grosze)?;
                    out.allocations.extend(lines);
                    if items[i].decision.book_pending.is_some() {
                        let (day, booking) = (model.payment_date.unwrap_or(job.last_day), model.booking_date.unwrap_or(job.last_day));
                        out.pending.push((model.id, day, booking, model.booked_at.unwrap_or(now)));
                    } else {
                        out.payments.push(model);
                    }
                }
            }
            Err(e) => {
                // One taxpayer's books that the ledger refuses must not stop everyone else's money.
                for (i, _) in job.new {
                    items[i].decision = Decision::unmatched(format!("the taxpayer's ledger could not be valued: {e}"));
                }
            }
        }
    }
    progress("book", total, total);
    write_order(&mut out);
    Ok(out)
}

/// Puts the rows in the order they are best written in: payments by id (taken in file order, so
/// their keys and ids grow together), allocations by payment and position, with ids taken in that
/// order. Appending at the right end of every index instead of at random places took a 900,000-row
/// payment insert from 9.5 s to 4.2 s on PostgreSQL (issue 6 benchmark).
fn write_order(bookings: &mut Bookings) {
    bookings.payments.sort_unstable_by_key(|p| p.id);
    bookings.allocations.sort_unstable_by_key(|a| (a.payment_id, a.position));
    for row in &mut bookings.allocations {
        row.id = Uuid::now_v7();
    }
}

/// `f` over `inputs`, in order, on all cores (up to 8 threads); small inputs stay on this thread.
fn parallel_map<T: Sync, R: Send>(inputs: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism().map_or(1, std::num::NonZero::get).min(8);
    if threads < 2 || inputs.len() < 1_000 {
        return inputs.iter().map(&f).collect();
    }
    let size = inputs.len().div_ceil(threads);
    let f = &f;
    std::thread::scope(|scope| {
        let handles: Vec<_> = inputs.chunks(size).map(|chunk| scope.spawn(move || chunk.iter().map(f).collect::<Vec<R>>())).collect();
        let mut out = Vec::with_capacity(inputs.len());
        for handle in handles {
            match handle.join() {
                Ok(part) => out.extend(part),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        out
    })
}

/// The allocation of each of `payments` (already in `books`), valued on `day` in one ledger pass:
/// the rows `payflow::allocation_rows` makes, for many payments at once.
fn allocate(
    books: &LedgerBooks,
    rules: &InterestRules<'_>,
    day: Date,
    payments: impl Iterator<Item = Uuid>,
) -> Result<HashMap<Uuid, Vec<allocation::Model>>, StoreError> {
    let ledger = books.ledger()?;
    let state = ledger.state_on(rules, day).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    let by_id: HashMap<&str, &Allocation> = state.allocations.iter().filter_map(|a| a.payment_id.as_deref().map(|id| (id, a))).collect();
    let mut out = HashMap::new();
    for payment_id in payments {
        let id = payment_id.to_string();
        let allocation = by_id.get(id.as_str()).ok_or_else(|| StoreError::Corrupt("booked payment missing from the ledger".into()))?;
        out.insert(payment_id, rows_of(books, allocation, payment_id));
    }
    Ok(out)
}

/// One allocation as rows to store, exactly as `payflow::allocation_rows` lays them out: one row per
/// line, the overpayment on the last (a row of its own when nothing was owed).
fn rows_of(books: &LedgerBooks, allocation: &Allocation, payment_id: Uuid) -> Vec<allocation::Model> {
    let row = |position: usize| allocation::Model {
        id: Uuid::now_v7(),
        payment_id,
        position: i32::try_from(position).unwrap_or(0),
        installment_id: None,
        reminder_cost_id: None,
        principal_grosze: 0,
        interest_grosze: 0,
        reminder_costs_grosze: 0,
        overpayment_grosze: 0,
    };
    let mut rows: Vec<allocation::Model> = allocation
        .lines
        .iter()
        .enumerate()
        .map(|(position, line)| match line {
            AllocationLine::ReminderCost { index, amount } => allocation::Model {
                reminder_cost_id: books.reminder_costs.get(*index).map(|c| c.id),
                reminder_costs_grosze: amount.grosze(),
                ..row(position)
            },
            AllocationLine::Installment { id, principal, interest } => allocation::Model {
                installment_id: id.parse().ok(),
                principal_grosze: principal.grosze(),
                interest_grosze: interest.grosze(),
                ..row(position)
            },
        })
        .collect();
    match rows.last_mut() {
        Some(last) => last.overpayment_grosze = allocation.overpayment.grosze(),
        None => rows.push(allocation::Model { overpayment_grosze: allocation.overpayment.grosze(), ..row(0) }),
    }
    rows
}

/// The taxpayer's obligation whose decision number the title contains (art. 62 § 1: the payer
/// indicated it), if exactly one does and it has installments.
fn indicated_obligation(books: &LedgerBooks, title: Option<&str>) -> Option<Uuid> {
    let title = title?;
    let tokens: HashSet<String> = decision_tokens(title).into_iter().collect();
    if tokens.is_empty() {
        return None;
    }
    let mut found = books.obligations.iter().filter(|o| tokens.contains(&o.decision_number));
    let first = found.next()?;
    if found.next().is_some() || !books.installments.iter().any(|i| i.obligation_id == first.id) {
        return None;
    }
    Some(first.id)
}

/// Words of a title that could be a decision number: letters, digits and `. / -`, with a digit and a
/// separator (FN.3120.12.2026, GO/123/2026), trailing punctuation trimmed.
pub fn decision_tokens(title: &str) -> Vec<String> {
    title
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | ':' | '(' | ')' | '"' | '\''))
        .map(|t| t.trim_matches(|c: char| matches!(c, '.' | '-' | '/')))
        .filter(|t| {
            (5..=40).contains(&t.len())
                && t.bytes().any(|b| b.is_ascii_digit())
                && t.bytes().any(|b| matches!(b, b'.' | b'/' | b'-'))
                && t.chars().all(|c| c.is_alphanumeric() || matches!(c, '.' | '/' | '-'))
        })
        .map(str::to_string)
        .collect()
}

/// PESEL and NIP numbers in a title (checksums verified).
fn identifier_tokens(title: &str) -> Vec<String> {
    let mut out = Vec::new();
    for word in title.split(|c: char| !c.is_ascii_digit() && c != '-') {
        let digits: String = word.chars().filter(char::is_ascii_digit).collect();
        let valid = match digits.len() {
            11 => digits.parse::<domain::identifiers::Pesel>().is_ok(),
            10 => digits.parse::<domain::identifiers::Nip>().is_ok(),
            _ => false,
        };
        if valid && !out.contains(&digits) {
            out.push(digits);
        }
    }
    out
}

/// Upper case, Polish letters without diacritics, anything but letters and digits a space.
pub fn name_tokens(name: &str) -> Vec<String> {
    let plain: String = name
        .chars()
        .flat_map(char::to_uppercase)
        .map(|c| match c {
            'Ą' => 'A',
            'Ć' => 'C',
            'Ę' => 'E',
            'Ł' => 'L',
            'Ń' => 'N',
            'Ó' => 'O',
            'Ś' => 'S',
            'Ź' | 'Ż' => 'Z',
            c if c.is_alphanumeric() => c,
            _ => ' ',
        })
        .collect();
    plain.split_whitespace().map(str::to_string).collect()
}

/// The key a taxpayer's name is found by: its tokens, sorted (so "KOWALSKA ANNA" finds "Anna Kowalska").
fn name_key(tokens: &[String]) -> String {
    let mut sorted: Vec<&str> = tokens.iter().map(String::as_str).collect();
    sorted.sort_unstable();
    sorted.join(" ")
}

fn rank(confidence: api::Confidence) -> u8 {
    match confidence {
        api::Confidence::High => 3,
        api::Confidence::Medium => 2,
        api::Confidence::Low => 1,
    }
}

/// Adds a suggestion, keeping one per taxpayer (and obligation, when two reasons name different
/// ones) with the best confidence, every reason, and the obligation a reason named.
fn push_suggestion(list: &mut Vec<api::Suggestion>, suggestion: api::Suggestion) {
    if let Some(existing) = list.iter_mut().find(|s| {
        s.taxpayer_id == suggestion.taxpayer_id
            && (s.obligation_id.is_none() || suggestion.obligation_id.is_none() || s.obligation_id == suggestion.obligation_id)
    }) {
        existing.obligation_id = existing.obligation_id.or(suggestion.obligation_id);
        if rank(suggestion.confidence) > rank(existing.confidence) {
            existing.confidence = suggestion.confidence;
        }
        if !existing.reason.contains(&suggestion.reason) {
            existing.reason = format!("{}; {}", existing.reason, suggestion.reason);
        }
    } else {
        list.push(suggestion);
    }
}

/// Suggestions for every unmatched new line, from a few batched queries.
async fn suggest(txn: &BulkTransaction, items: &mut [Item<'_>]) -> Result<(), ImportError> {
    let queue: Vec<usize> = (0..items.len()).filter(|&i| items[i].new && items[i].decision.outcome == Outcome::Unmatched).collect();
    if queue.is_empty() {
        return Ok(());
    }
    let mut decisions = Vec::new();
    let mut identifiers = Vec::new();
    let mut accounts = Vec::new();
    let mut want_names = false;
    for &i in &queue {
        let line = items[i].line;
        if let Some(title) = &line.title {
            decisions.extend(decision_tokens(title));
            identifiers.extend(identifier_tokens(title));
        }
        if let Some(account) = counterparty_account(line) {
            accounts.push(account);
        }
        want_names |= line.counterparty_name.as_deref().is_some_and(|n| name_tokens(n).len() >= 2);
    }
    decisions.sort();
    decisions.dedup();
    identifiers.sort();
    identifiers.dedup();
    accounts.sort();
    accounts.dedup();
    let obligations = st::obligations_by_decision_number(txn, &decisions).await?;
    let by_identifier = st::taxpayers_by_identifier(txn, &identifiers).await?;
    let paid_from = st::taxpayers_paid_from(txn, &accounts).await?;
    let mut names: HashMap<Uuid, String> = HashMap::new();
    let mut by_name: HashMap<String, Vec<Uuid>> = HashMap::new();
    if want_names {
        for (id, name) in st::taxpayer_names(txn).await? {
            let tokens = name_tokens(&name);
            if tokens.len() >= 2 {
                by_name.entry(name_key(&tokens)).or_default().push(id);
            }
            names.insert(id, name);
        }
    }
    for &i in &queue {
        let line = items[i].line;
        let mut list = std::mem::take(&mut items[i].decision.suggestions);
        if let Some(title) = &line.title {
            let tokens = decision_tokens(title);
            for o in obligations.iter().filter(|o| tokens.contains(&o.decision_number)) {
                push_suggestion(
                    &mut list,
                    api::Suggestion {
                        taxpayer_id: o.taxpayer_id,
                        taxpayer_name: String::new(),
                        obligation_id: Some(o.id),
                        confidence: api::Confidence::High,
                        reason: format!("decision {} in the title", o.decision_number),
                    },
                );
            }
            let numbers = identifier_tokens(title);
            for t in by_identifier
                .iter()
                .filter(|t| t.pesel.as_ref().is_some_and(|p| numbers.contains(p)) || t.nip.as_ref().is_some_and(|n| numbers.contains(n)))
            {
                let what = if t.pesel.as_ref().is_some_and(|p| numbers.contains(p)) { "PESEL" } else { "NIP" };
                push_suggestion(
                    &mut list,
                    api::Suggestion {
                        taxpayer_id: t.id,
                        taxpayer_name: t.name.clone(),
                        obligation_id: None,
                        confidence: api::Confidence::High,
                        reason: format!("the taxpayer's {what} in the title"),
                    },
                );
            }
        }
        if let Some(name) = &line.counterparty_name {
            let tokens = name_tokens(name);
            let mut found: Vec<Uuid> = Vec::new();
            let head = &tokens[..tokens.len().min(8)];
            for len in 2..=head.len().min(6) {
                for window in head.windows(len) {
                    for id in by_name.get(&name_key(window)).into_iter().flatten() {
                        if !found.contains(id) {
                            found.push(*id);
                        }
                    }
                }
            }
            let confidence = if found.len() == 1 { api::Confidence::Medium } else { api::Confidence::Low };
            for id in found.into_iter().take(5) {
                push_suggestion(
                    &mut list,
                    api::Suggestion {
                        taxpayer_id: id,
                        taxpayer_name: String::new(),
                        obligation_id: None,
                        confidence,
                        reason: "the payer's name is the taxpayer's".into(),
                    },
                );
            }
        }
        if let Some(account) = counterparty_account(line) {
            let taxpayers = paid_from.get(&account).cloned().unwrap_or_default();
            let confidence = if taxpayers.len() == 1 { api::Confidence::Medium } else { api::Confidence::Low };
            for id in taxpayers.into_iter().take(5) {
                push_suggestion(
                    &mut list,
                    api::Suggestion {
                        taxpayer_id: id,
                        taxpayer_name: String::new(),
                        obligation_id: None,
                        confidence,
                        reason: "the payer's account paid for this taxpayer before".into(),
                    },
                );
            }
        }
        list.sort_by_key(|s| std::cmp::Reverse(rank(s.confidence)));
        items[i].decision.suggestions = list;
    }
    // Names for the suggestions that do not carry one yet.
    let missing: Vec<Uuid> = queue
        .iter()
        .flat_map(|&i| items[i].decision.suggestions.iter())
        .filter(|s| s.taxpayer_name.is_empty() && !names.contains_key(&s.taxpayer_id))
        .map(|s| s.taxpayer_id)
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    if !missing.is_empty() {
        names.extend(st::taxpayer_names_of(txn, &missing).await?);
    }
    for &i in &queue {
        for s in &mut items[i].decision.suggestions {
            if s.taxpayer_name.is_empty() {
                s.taxpayer_name = names.get(&s.taxpayer_id).cloned().unwrap_or_default();
            }
        }
    }
    Ok(())
}

/// The payer's account as stored: NRB digits when it is one, else as written.
fn counterparty_account(line: &StatementLine) -> Option<String> {
    line.counterparty_nrb.as_ref().map(|n| n.digits().to_string()).or_else(|| line.counterparty_account.clone())
}

fn direction_code(direction: Direction) -> &'static str {
    match direction {
        Direction::Credit => "credit",
        Direction::Debit => "debit",
    }
}

fn line_row(item: &Item<'_>, id: Uuid, import_id: Uuid) -> statement_line::Model {
    let line = item.line;
    let d = &item.decision;
    let confidence = d.suggestions.first().map(|s| s.confidence);
    statement_line::Model {
        id,
        import_id,
        line_key: item.key.clone(),
        position: i32::try_from(item.position).unwrap_or(i32::MAX),
        statement_account: item.statement.account.clone(),
        statement_number: item.statement.number.clone(),
        currency: item.statement.currency.clone(),
        value_date: line.value_date,
        booking_date: line.booking_date,
        direction: direction_code(line.direction).into(),
        reversal: line.reversal,
        amount_grosze: line.amount.grosze(),
        counterparty_name: line.counterparty_name.clone(),
        counterparty_account: counterparty_account(line),
        title: line.title.clone(),
        bank_reference: line.bank_reference.clone(),
        customer_reference: line.customer_reference.clone(),
        bank_transaction_id: line.bank_transaction_id.clone(),
        virtual_account: item.virtual_account.clone().or_else(|| line.virtual_account.as_ref().map(|n| n.digits().to_string())),
        outcome: d.outcome.code().into(),
        reason: d.reason.clone(),
        taxpayer_id: d.taxpayer,
        payment_id: d.payment,
        confidence: confidence.map(|c| confidence_code(c).to_string()),
        suggestions: (!d.suggestions.is_empty()).then(|| serde_json::to_value(&d.suggestions).unwrap_or_default()),
        assigned_by: None,
        assigned_at: None,
    }
}

pub fn confidence_code(confidence: api::Confidence) -> &'static str {
    match confidence {
        api::Confidence::High => "high",
        api::Confidence::Medium => "medium",
        api::Confidence::Low => "low",
    }
}

pub fn parse_confidence(code: &str) -> Option<api::Confidence> {
    match code {
        "high" => Some(api::Confidence::High),
        "medium" => Some(api::Confidence::Medium),
        "low" => Some(api::Confidence::Low),
        _ => None,
    }
}

fn credit_outcome(item: &Item<'_>, line_id: Option<Uuid>) -> api::CreditOutcome {
    let line = item.line;
    let d = &item.decision;
    api::CreditOutcome {
        line_id,
        line_key: item.key.clone(),
        statement_account: item.statement.account.clone(),
        statement_number: item.statement.number.clone(),
        value_date: line.value_date,
        booking_date: line.booking_date,
        amount: line.amount,
        currency: item.statement.currency.clone(),
        counterparty_name: line.counterparty_name.clone(),
        title: line.title.clone(),
        bank_reference: line.bank_reference.clone(),
        virtual_account: item.virtual_account.clone(),
        outcome: if item.new { d.outcome.code() } else { Outcome::Duplicate.code() }.to_string(),
        taxpayer_id: d.taxpayer,
        payment_id: d.payment,
        overpayment: d.overpayment,
        reason: d.reason.clone(),
        confidence: d.suggestions.first().map(|s| s.confidence),
        suggestions: d.suggestions.clone(),
    }
}

/// Inserts `rows`, reporting progress; returns how many were written.
async fn write_rows<E, M>(
    txn: &BulkTransaction,
    rows: Vec<M>,
    before: usize,
    total: usize,
    progress: Progress<'_>,
) -> Result<usize, ImportError>
where
    E: store::sea_orm::EntityTrait,
    M: store::sea_orm::IntoActiveModel<E::ActiveModel>,
    E::ActiveModel: store::sea_orm::ActiveModelTrait<Entity = E> + Send,
{
    let count = rows.len();
    let started = Instant::now();
    txn.insert_rows::<E, M>(rows, &|done| progress("write", before + done, total)).await?;
    tracing::debug!(rows = count, elapsed = ?started.elapsed(), "rows written");
    Ok(count)
}
