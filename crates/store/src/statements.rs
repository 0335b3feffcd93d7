//! Bank-statement import (issue 6): the tables of migration 000007 and the queries reconciliation
//! needs. Every query that takes a connection works on a transaction too, so that one file is read,
//! matched and booked in one transaction (all or nothing).
//!
//! - `statement_import`: one row per imported file, with its summary.
//! - `statement_file`: the file's bytes (payments.md §6: keep every imported file).
//! - `statement_line`: one row per line, keyed by its stable identity (`line_key`, UNIQUE).
//!
//! Outcomes of a line ([`Outcome`]): `matched` (booked as a transfer to the taxpayer of its virtual
//! account), `settled_online` (the bank's settlement of an online payment the portal booked),
//! `unmatched` (in the clerk's queue), `assigned` (a clerk booked it), `debit` (money going out, or a
//! reversal: never booked). A duplicate is never stored: its key is already there.

use std::collections::{HashMap, HashSet};

use sea_orm::prelude::*;
use sea_orm::sqlx;
use sea_orm::{ConnectionTrait, QueryOrder, QuerySelect, TransactionTrait};
use time::{Date, OffsetDateTime};

use crate::entities::{allocation, installment, obligation, payment, reminder_cost, taxpayer, virtual_account};
use crate::{BulkTransaction, InstallmentFacts, LedgerBooks, ObligationFacts, PaymentFacts, Store, StoreError, TaxpayerBooks};

pub mod statement_import {
    use sea_orm::entity::prelude::*;
    /// One imported file and what became of it.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "statement_import")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub imported_at: TimeDateTimeWithTimeZone,
        /// `user:<uuid>` or `command-line:<login>`.
        pub imported_by: String,
        pub file_name: String,
        pub file_sha256: String,
        pub file_size: i64,
        /// `mt940` or `camt053`.
        pub format: String,
        pub encoding: String,
        /// `imported`, or `imported_unbalanced` when a clerk confirmed a statement that does not balance.
        pub status: String,
        pub statements: i32,
        pub lines: i32,
        pub credits: i32,
        pub debits: i32,
        pub matched: i32,
        pub unmatched: i32,
        pub settled_online: i32,
        pub duplicates: i32,
        pub total_credited_grosze: i64,
        /// What this import booked as payments (matched credits; online payments still pending that
        /// the statement settled).
        pub total_booked_grosze: i64,
        /// The statements that did not balance (accepted by the clerk), as reported.
        pub unbalanced: Option<Json>,
        pub warnings: Option<Json>,
    }
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}
    impl ActiveModelBehavior for ActiveModel {}
}

pub mod statement_file {
    use sea_orm::entity::prelude::*;
    /// The bytes of an imported file, apart from the import so that listing imports stays cheap.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "statement_file")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub import_id: Uuid,
        pub content: Vec<u8>,
    }
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}
    impl ActiveModelBehavior for ActiveModel {}
}

pub mod statement_line {
    use sea_orm::entity::prelude::*;
    /// One line of an imported statement.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "statement_line")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub import_id: Uuid,
        /// The parser's `LineIdentity` key (account | statement number | bank reference | value date |
        /// direction | amount | occurrence). UNIQUE.
        #[sea_orm(unique)]
        pub line_key: String,
        /// Position in the file (0-based, over all statements).
        pub position: i32,
        pub statement_account: String,
        pub statement_number: String,
        pub currency: String,
        pub value_date: TimeDate,
        pub booking_date: Option<TimeDate>,
        /// `credit` or `debit` (as booked; a reversal keeps the direction of its booking).
        pub direction: String,
        pub reversal: bool,
        pub amount_grosze: i64,
        pub counterparty_name: Option<String>,
        pub counterparty_account: Option<String>,
        pub title: Option<String>,
        pub bank_reference: Option<String>,
        pub customer_reference: Option<String>,
        /// mBank `TNR`, PKO `SWRK`: kept for the clerk, not part of the identity.
        pub bank_transaction_id: Option<String>,
        /// The virtual account found on the line (NRB digits), issued or not.
        pub virtual_account: Option<String>,
        /// `matched`, `settled_online`, `unmatched`, `assigned`, `debit`.
        pub outcome: String,
        /// Why the line is in the queue (or what a settlement did), for the clerk.
        pub reason: Option<String>,
        pub taxpayer_id: Option<Uuid>,
        /// The payment the line booked (`matched`, `assigned`) or settled (`settled_online`).
        #[sea_orm(unique)]
        pub payment_id: Option<Uuid>,
        /// The best suggestion's confidence (`high`, `medium`, `low`) for an unmatched line.
        pub confidence: Option<String>,
        /// `[{taxpayer_id, taxpayer_name, obligation_id, confidence, reason}]`, best first.
        pub suggestions: Option<Json>,
        pub assigned_by: Option<String>,
        pub assigned_at: Option<TimeDateTimeWithTimeZone>,
    }
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}
    impl ActiveModelBehavior for ActiveModel {}
}

/// What became of a statement line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Outcome {
    Matched,
    SettledOnline,
    Unmatched,
    Assigned,
    Debit,
    /// Never stored: the line's key is already in the table (or earlier in the same file).
    Duplicate,
}

impl Outcome {
    pub fn code(self) -> &'static str {
        match self {
            Outcome::Matched => "matched",
            Outcome::SettledOnline => "settled_online",
            Outcome::Unmatched => "unmatched",
            Outcome::Assigned => "assigned",
            Outcome::Debit => "debit",
            Outcome::Duplicate => "duplicate",
        }
    }
}

/// How many values one `IN (…)` list carries: far below SQLite's 32 766 and PostgreSQL's 65 535
/// bind parameters.
const IN_CHUNK: usize = 4_000;

/// Rows per multi-row `INSERT`, so that rows × columns stays below SQLite's bind-parameter limit.
fn insert_chunk(columns: usize) -> usize {
    (30_000 / columns.max(1)).max(1)
}

/// Inserts rows in multi-row statements (no `RETURNING`).
pub async fn insert_all<C, E, M>(db: &C, rows: Vec<M>, columns: usize) -> Result<(), StoreError>
where
    C: ConnectionTrait,
    E: EntityTrait,
    M: sea_orm::IntoActiveModel<E::ActiveModel>,
    E::ActiveModel: ActiveModelTrait<Entity = E> + Send,
{
    let size = insert_chunk(columns);
    let mut rows = rows.into_iter().map(sea_orm::IntoActiveModel::into_active_model).peekable();
    while rows.peek().is_some() {
        let chunk: Vec<E::ActiveModel> = rows.by_ref().take(size).collect();
        E::insert_many(chunk).exec_without_returning(db).await?;
    }
    Ok(())
}

/// Which of these line keys are already stored.
pub async fn existing_keys(txn: &BulkTransaction, keys: &[String]) -> Result<HashSet<String>, StoreError> {
    if let Some(mut conn) = txn.postgres().await {
        // One array parameter: a re-sent million-line file is looked up in one index pass.
        let found: Vec<String> = sqlx::query_scalar("SELECT line_key FROM statement_line WHERE line_key = ANY($1)")
            .bind(keys)
            .fetch_all(&mut **conn)
            .await
            .map_err(crate::bulk::query_err)?;
        return Ok(found.into_iter().collect());
    }
    let db = txn;
    let mut found = HashSet::new();
    for chunk in keys.chunks(IN_CHUNK) {
        let rows: Vec<String> = statement_line::Entity::find()
            .select_only()
            .column(statement_line::Column::LineKey)
            .filter(statement_line::Column::LineKey.is_in(chunk.iter().cloned()))
            .into_tuple()
            .all(db)
            .await?;
        found.extend(rows);
    }
    Ok(found)
}

/// The taxpayers of these issued virtual accounts (NRB digits → taxpayer).
pub async fn virtual_account_owners<C: ConnectionTrait>(db: &C, nrbs: &[String]) -> Result<HashMap<String, Uuid>, StoreError> {
    let mut found = HashMap::new();
    for chunk in nrbs.chunks(IN_CHUNK) {
        let rows: Vec<(String, Uuid)> = virtual_account::Entity::find()
            .select_only()
            .column(virtual_account::Column::Nrb)
            .column(virtual_account::Column::TaxpayerId)
            .filter(virtual_account::Column::Nrb.is_in(chunk.iter().cloned()))
            .into_tuple()
            .all(db)
            .await?;
        found.extend(rows);
    }
    Ok(found)
}

/// Online payments with these gateway transaction ids (any gateway, any status).
pub async fn payments_by_gateway_ids<C: ConnectionTrait>(db: &C, ids: &[String]) -> Result<Vec<payment::Model>, StoreError> {
    let mut found = Vec::new();
    for chunk in ids.chunks(IN_CHUNK) {
        found.extend(payment::Entity::find().filter(payment::Column::GatewayTransactionId.is_in(chunk.iter().cloned())).all(db).await?);
    }
    Ok(found)
}

/// The stored lines that booked or settled these payments (payment → line key).
pub async fn lines_of_payments<C: ConnectionTrait>(db: &C, payment_ids: &[Uuid]) -> Result<HashMap<Uuid, String>, StoreError> {
    let mut found = HashMap::new();
    for chunk in payment_ids.chunks(IN_CHUNK) {
        let rows: Vec<(Option<Uuid>, String)> = statement_line::Entity::find()
            .select_only()
            .column(statement_line::Column::PaymentId)
            .column(statement_line::Column::LineKey)
            .filter(statement_line::Column::PaymentId.is_in(chunk.iter().copied()))
            .into_tuple()
            .all(db)
            .await?;
        found.extend(rows.into_iter().filter_map(|(payment, key)| payment.map(|p| (p, key))));
    }
    Ok(found)
}

/// A payment's ledger columns: id, taxpayer, payment date, booked at, amount, indicated obligation.
type PaymentRow = (Uuid, Uuid, Option<Date>, Option<OffsetDateTime>, i64, Option<Uuid>);

/// The [`LedgerBooks`] of many taxpayers at once (those that exist): the columns a ledger pass reads,
/// in a few queries for all of them instead of five whole-row queries per taxpayer. Installments and
/// payments come in [`crate::books_in`]'s order.
pub async fn ledger_books_of_many(txn: &BulkTransaction, taxpayer_ids: &[Uuid]) -> Result<HashMap<Uuid, LedgerBooks>, StoreError> {
    let mut books = match txn.postgres().await {
        Some(mut conn) => postgres_ledger_books(&mut conn, taxpayer_ids).await?,
        None => ledger_books_in_chunks(txn, taxpayer_ids).await?,
    };
    // Sorted here rather than by the database: per taxpayer, small, and no sort of millions of rows.
    for b in books.values_mut() {
        b.installments.sort_by_key(|i| (i.due_date, i.number, i.id));
        b.payments.sort_by_key(|p| (p.payment_date, p.booked_at, p.id));
    }
    Ok(books)
}

/// On PostgreSQL: one query per table with the ids as one array parameter, rows decoded straight
/// into the facts (by measurement at 20,000 taxpayers, 1.5 million rows: 3.7 s through sea-orm's
/// `IN` lists of 4,000, 1.2 s server time for the same rows as hash joins).
async fn postgres_ledger_books(conn: &mut sqlx::PgConnection, taxpayer_ids: &[Uuid]) -> Result<HashMap<Uuid, LedgerBooks>, StoreError> {
    use futures_util::TryStreamExt;
    let query_err = crate::bulk::query_err;
    let existing: Vec<Uuid> = sqlx::query_scalar("SELECT id FROM taxpayer WHERE id = ANY($1)")
        .bind(taxpayer_ids)
        .fetch_all(&mut *conn)
        .await
        .map_err(query_err)?;
    let mut books: HashMap<Uuid, LedgerBooks> = existing.into_iter().map(|id| (id, LedgerBooks::default())).collect();
    let mut owner: HashMap<Uuid, Uuid> = HashMap::new();
    {
        let mut rows = sqlx::query_as::<_, (Uuid, Uuid, String, String, String)>(
            "SELECT id, taxpayer_id, kind, rate_kind, decision_number FROM obligation WHERE taxpayer_id = ANY($1)",
        )
        .bind(taxpayer_ids)
        .fetch(&mut *conn);
        while let Some((id, taxpayer_id, kind, rate_kind, decision_number)) = rows.try_next().await.map_err(query_err)? {
            if let Some(b) = books.get_mut(&taxpayer_id) {
                owner.insert(id, taxpayer_id);
                b.obligations.push(ObligationFacts { id, kind, rate_kind, decision_number });
            }
        }
    }
    {
        let mut rows = sqlx::query_as::<_, (Uuid, Uuid, i32, Date, i64)>(
            "SELECT i.id, i.obligation_id, i.number, i.due_date, i.amount_grosze FROM installment i \
             JOIN obligation o ON o.id = i.obligation_id WHERE o.taxpayer_id = ANY($1)",
        )
        .bind(taxpayer_ids)
        .fetch(&mut *conn);
        while let Some((id, obligation_id, number, due_date, amount_grosze)) = rows.try_next().await.map_err(query_err)? {
            if let Some(b) = owner.get(&obligation_id).and_then(|t| books.get_mut(t)) {
                b.installments.push(InstallmentFacts { id, obligation_id, number, due_date, amount_grosze });
            }
        }
    }
    {
        let mut rows = sqlx::query_as::<_, PaymentRow>(
            "SELECT id, taxpayer_id, payment_date, booked_at, amount_grosze, indicated_obligation_id FROM payment \
             WHERE taxpayer_id = ANY($1) AND status = 'booked'",
        )
        .bind(taxpayer_ids)
        .fetch(&mut *conn);
        while let Some((id, taxpayer_id, payment_date, booked_at, amount_grosze, indicated_obligation_id)) =
            rows.try_next().await.map_err(query_err)?
        {
            if let Some(b) = books.get_mut(&taxpayer_id) {
                b.payments.push(PaymentFacts { id, payment_date, booked_at, amount_grosze, indicated_obligation_id });
            }
        }
    }
    {
        let mut rows = sqlx::query_as::<_, (Uuid, Uuid, Option<Uuid>, Date, i64)>(
            "SELECT id, taxpayer_id, obligation_id, delivered, amount_grosze FROM reminder_cost WHERE taxpayer_id = ANY($1)",
        )
        .bind(taxpayer_ids)
        .fetch(&mut *conn);
        while let Some((id, taxpayer_id, obligation_id, delivered, amount_grosze)) = rows.try_next().await.map_err(query_err)? {
            if let Some(b) = books.get_mut(&taxpayer_id) {
                b.reminder_costs.push(reminder_cost::Model { id, taxpayer_id, obligation_id, delivered, amount_grosze });
            }
        }
    }
    Ok(books)
}

/// Elsewhere (SQLite): chunked `IN` lists through sea-orm.
async fn ledger_books_in_chunks<C: ConnectionTrait>(db: &C, taxpayer_ids: &[Uuid]) -> Result<HashMap<Uuid, LedgerBooks>, StoreError> {
    let mut books: HashMap<Uuid, LedgerBooks> = HashMap::with_capacity(taxpayer_ids.len());
    for chunk in taxpayer_ids.chunks(IN_CHUNK) {
        let ids = || chunk.iter().copied();
        let existing: Vec<Uuid> = taxpayer::Entity::find()
            .select_only()
            .column(taxpayer::Column::Id)
            .filter(taxpayer::Column::Id.is_in(ids()))
            .into_tuple()
            .all(db)
            .await?;
        books.extend(existing.into_iter().map(|id| (id, LedgerBooks::default())));
        let obligations: Vec<(Uuid, Uuid, String, String, String)> = obligation::Entity::find()
            .select_only()
            .columns([
                obligation::Column::Id,
                obligation::Column::TaxpayerId,
                obligation::Column::Kind,
                obligation::Column::RateKind,
                obligation::Column::DecisionNumber,
            ])
            .filter(obligation::Column::TaxpayerId.is_in(ids()))
            .into_tuple()
            .all(db)
            .await?;
        let mut owner: HashMap<Uuid, Uuid> = HashMap::with_capacity(obligations.len());
        for (id, taxpayer_id, kind, rate_kind, decision_number) in obligations {
            if let Some(b) = books.get_mut(&taxpayer_id) {
                owner.insert(id, taxpayer_id);
                b.obligations.push(ObligationFacts { id, kind, rate_kind, decision_number });
            }
        }
        let obligation_ids: Vec<Uuid> = owner.keys().copied().collect();
        for ids in obligation_ids.chunks(IN_CHUNK) {
            let installments: Vec<(Uuid, Uuid, i32, Date, i64)> = installment::Entity::find()
                .select_only()
                .columns([
                    installment::Column::Id,
                    installment::Column::ObligationId,
                    installment::Column::Number,
                    installment::Column::DueDate,
                    installment::Column::AmountGrosze,
                ])
                .filter(installment::Column::ObligationId.is_in(ids.iter().copied()))
                .into_tuple()
                .all(db)
                .await?;
            for (id, obligation_id, number, due_date, amount_grosze) in installments {
                if let Some(b) = owner.get(&obligation_id).and_then(|t| books.get_mut(t)) {
                    b.installments.push(InstallmentFacts { id, obligation_id, number, due_date, amount_grosze });
                }
            }
        }
        let payments: Vec<PaymentRow> = payment::Entity::find()
            .select_only()
            .columns([
                payment::Column::Id,
                payment::Column::TaxpayerId,
                payment::Column::PaymentDate,
                payment::Column::BookedAt,
                payment::Column::AmountGrosze,
                payment::Column::IndicatedObligationId,
            ])
            .filter(payment::Column::TaxpayerId.is_in(ids()))
            .filter(payment::Column::Status.eq("booked"))
            .into_tuple()
            .all(db)
            .await?;
        for (id, taxpayer_id, payment_date, booked_at, amount_grosze, indicated_obligation_id) in payments {
            if let Some(b) = books.get_mut(&taxpayer_id) {
                b.payments.push(PaymentFacts { id, payment_date, booked_at, amount_grosze, indicated_obligation_id });
            }
        }
        let costs = reminder_cost::Entity::find().filter(reminder_cost::Column::TaxpayerId.is_in(ids())).all(db).await?;
        for c in costs {
            if let Some(b) = books.get_mut(&c.taxpayer_id) {
                b.reminder_costs.push(c);
            }
        }
    }
    Ok(books)
}

/// Obligations whose decision number is one of these (for suggestions).
pub async fn obligations_by_decision_number<C: ConnectionTrait>(db: &C, numbers: &[String]) -> Result<Vec<obligation::Model>, StoreError> {
    let mut found = Vec::new();
    for chunk in numbers.chunks(IN_CHUNK) {
        found.extend(obligation::Entity::find().filter(obligation::Column::DecisionNumber.is_in(chunk.iter().cloned())).all(db).await?);
    }
    Ok(found)
}

/// Taxpayers with one of these PESEL or NIP numbers (for suggestions).
pub async fn taxpayers_by_identifier<C: ConnectionTrait>(db: &C, numbers: &[String]) -> Result<Vec<taxpayer::Model>, StoreError> {
    let mut found = Vec::new();
    for chunk in numbers.chunks(IN_CHUNK / 2) {
        found.extend(
            taxpayer::Entity::find()
                .filter(
                    sea_orm::Condition::any()
                        .add(taxpayer::Column::Pesel.is_in(chunk.iter().cloned()))
                        .add(taxpayer::Column::Nip.is_in(chunk.iter().cloned())),
                )
                .all(db)
                .await?,
        );
    }
    Ok(found)
}

/// Every taxpayer's id and name (for matching a payer's name; read only when a line is unmatched).
pub async fn taxpayer_names<C: ConnectionTrait>(db: &C) -> Result<Vec<(Uuid, String)>, StoreError> {
    Ok(taxpayer::Entity::find().select_only().column(taxpayer::Column::Id).column(taxpayer::Column::Name).into_tuple().all(db).await?)
}

/// The names of these taxpayers.
pub async fn taxpayer_names_of<C: ConnectionTrait>(db: &C, ids: &[Uuid]) -> Result<HashMap<Uuid, String>, StoreError> {
    let mut found = HashMap::new();
    for chunk in ids.chunks(IN_CHUNK) {
        let rows: Vec<(Uuid, String)> = taxpayer::Entity::find()
            .select_only()
            .column(taxpayer::Column::Id)
            .column(taxpayer::Column::Name)
            .filter(taxpayer::Column::Id.is_in(chunk.iter().copied()))
            .into_tuple()
            .all(db)
            .await?;
        found.extend(rows);
    }
    Ok(found)
}

/// Taxpayers these payer accounts paid for before (lines booked to a taxpayer): account → taxpayers.
pub async fn taxpayers_paid_from<C: ConnectionTrait>(db: &C, accounts: &[String]) -> Result<HashMap<String, Vec<Uuid>>, StoreError> {
    let mut found: HashMap<String, Vec<Uuid>> = HashMap::new();
    for chunk in accounts.chunks(IN_CHUNK) {
        let rows: Vec<(Option<String>, Option<Uuid>)> = statement_line::Entity::find()
            .select_only()
            .column(statement_line::Column::CounterpartyAccount)
            .column(statement_line::Column::TaxpayerId)
            .filter(statement_line::Column::CounterpartyAccount.is_in(chunk.iter().cloned()))
            .filter(statement_line::Column::Outcome.is_in(["matched", "assigned"]))
            .distinct()
            .into_tuple()
            .all(db)
            .await?;
        for (account, taxpayer) in rows {
            if let (Some(account), Some(taxpayer)) = (account, taxpayer) {
                let list = found.entry(account).or_default();
                if !list.contains(&taxpayer) {
                    list.push(taxpayer);
                }
            }
        }
    }
    Ok(found)
}

/// Books a pending online payment that a statement line settled: `pending` → `booked` only if it is
/// still pending. False when someone else booked or decided it meanwhile.
pub async fn book_pending<C: ConnectionTrait>(
    db: &C,
    payment_id: Uuid,
    payment_date: Date,
    booking_date: Date,
    booked_at: OffsetDateTime,
) -> Result<bool, StoreError> {
    let result = payment::Entity::update_many()
        .col_expr(payment::Column::Status, Expr::value("booked"))
        .col_expr(payment::Column::PaymentDate, Expr::value(Some(payment_date)))
        .col_expr(payment::Column::BookingDate, Expr::value(Some(booking_date)))
        .col_expr(payment::Column::BookedAt, Expr::value(Some(booked_at)))
        .filter(payment::Column::Id.eq(payment_id))
        .filter(payment::Column::Status.eq("pending"))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

/// What a clerk's assignment did.
#[derive(Debug, Clone)]
pub struct Assigned {
    pub line: statement_line::Model,
    pub payment: payment::Model,
    pub allocations: Vec<allocation::Model>,
}

impl Store {
    /// Imports, newest first.
    pub async fn statement_imports(&self, offset: u64, limit: u64) -> Result<(Vec<statement_import::Model>, u64), StoreError> {
        let total = statement_import::Entity::find().count(self.db()).await?;
        let rows = statement_import::Entity::find()
            .order_by_desc(statement_import::Column::ImportedAt)
            .order_by_desc(statement_import::Column::Id)
            .offset(offset)
            .limit(limit)
            .all(self.db())
            .await?;
        Ok((rows, total))
    }

    /// The clerk's queue: unmatched lines, oldest value date first.
    pub async fn unmatched_lines(&self, offset: u64, limit: u64) -> Result<(Vec<statement_line::Model>, u64), StoreError> {
        let query = statement_line::Entity::find().filter(statement_line::Column::Outcome.eq(Outcome::Unmatched.code()));
        let total = query.clone().count(self.db()).await?;
        let rows = query
            .order_by_asc(statement_line::Column::ValueDate)
            .order_by_asc(statement_line::Column::ImportId)
            .order_by_asc(statement_line::Column::Position)
            .offset(offset)
            .limit(limit)
            .all(self.db())
            .await?;
        Ok((rows, total))
    }

    pub async fn statement_line(&self, id: Uuid) -> Result<Option<statement_line::Model>, StoreError> {
        Ok(statement_line::Entity::find_by_id(id).one(self.db()).await?)
    }

    /// All lines of an import, in file order.
    pub async fn statement_lines_of(&self, import_id: Uuid) -> Result<Vec<statement_line::Model>, StoreError> {
        Ok(statement_line::Entity::find()
            .filter(statement_line::Column::ImportId.eq(import_id))
            .order_by_asc(statement_line::Column::Position)
            .all(self.db())
            .await?)
    }

    /// A clerk books an unmatched line to a taxpayer (optionally indicating an obligation, art. 62
    /// § 1): a `transfer` payment dated by the line (tax-rules.md §8.6) with the allocation that
    /// `allocate` computes from the books that include it, and the line marked `assigned` — in one
    /// transaction, exactly once (a second assignment of the same line is a conflict).
    pub async fn assign_line<F>(
        &self,
        line_id: Uuid,
        taxpayer_id: Uuid,
        obligation_id: Option<Uuid>,
        assigned_by: &str,
        allocate: F,
    ) -> Result<Assigned, StoreError>
    where
        F: FnOnce(&TaxpayerBooks, Uuid, Date) -> Result<Vec<allocation::Model>, StoreError> + Send,
    {
        let txn = self.db().begin().await?;
        let line = statement_line::Entity::find_by_id(line_id).one(&txn).await?.ok_or(StoreError::NotFound)?;
        if line.outcome != Outcome::Unmatched.code() {
            return Err(StoreError::Conflict(format!("the line is {}, not in the queue", line.outcome)));
        }
        if line.direction != "credit" || line.reversal {
            return Err(StoreError::Conflict("only an incoming payment can be assigned".into()));
        }
        if line.currency != "PLN" {
            return Err(StoreError::Conflict(format!("the line is in {}; only PLN can be booked", line.currency)));
        }
        taxpayer::Entity::find_by_id(taxpayer_id).one(&txn).await?.ok_or(StoreError::NotFound)?;
        let now = OffsetDateTime::now_utc();
        let payment = payment::ActiveModel::from(payment::Model {
            id: Uuid::new_v4(),
            taxpayer_id,
            source: "transfer".into(),
            status: "booked".into(),
            payment_date: Some(line.value_date),
            booking_date: Some(line.booking_date.unwrap_or(line.value_date)),
            amount_grosze: line.amount_grosze,
            payer: line.counterparty_name.clone(),
            reference: line.bank_reference.clone(),
            idempotency_key: Some(format!("stmt:{}", line.line_key)),
            indicated_obligation_id: obligation_id,
            gateway: None,
            gateway_transaction_id: None,
            created_at: now,
            booked_at: Some(now),
        })
        .insert(&txn)
        .await
        .map_err(|e| match e {
            DbErr::Query(_) | DbErr::Exec(_) => StoreError::Conflict("the line was booked meanwhile".into()),
            other => StoreError::Db(other),
        })?;
        let books = crate::books_in(&txn, taxpayer_id).await?;
        let rows = allocate(&books, payment.id, line.value_date)?;
        insert_all::<_, allocation::Entity, _>(&txn, rows.clone(), 10).await?;
        let updated = statement_line::Entity::update_many()
            .col_expr(statement_line::Column::Outcome, Expr::value(Outcome::Assigned.code()))
            .col_expr(statement_line::Column::TaxpayerId, Expr::value(Some(taxpayer_id)))
            .col_expr(statement_line::Column::PaymentId, Expr::value(Some(payment.id)))
            .col_expr(statement_line::Column::AssignedBy, Expr::value(Some(assigned_by.to_string())))
            .col_expr(statement_line::Column::AssignedAt, Expr::value(Some(now)))
            .filter(statement_line::Column::Id.eq(line_id))
            .filter(statement_line::Column::Outcome.eq(Outcome::Unmatched.code()))
            .exec(&txn)
            .await?;
        if updated.rows_affected != 1 {
            txn.rollback().await?;
            return Err(StoreError::Conflict("the line was assigned meanwhile".into()));
        }
        let line = statement_line::Entity::find_by_id(line_id).one(&txn).await?.ok_or(StoreError::NotFound)?;
        txn.commit().await?;
        Ok(Assigned { line, payment, allocations: rows })
    }
}
