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
use sea_orm::{ConnectionTrait, DbBackend, Iterable, QueryOrder, QuerySelect, Statement, TransactionTrait};
use time::{Date, OffsetDateTime};

use crate::entities::{allocation, installment, obligation, payment, reminder_cost, taxpayer, virtual_account};
use crate::{Store, StoreError, TaxpayerBooks};

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

/// Inserts many rows the fastest way the backend offers: on PostgreSQL one
/// `INSERT … SELECT … FROM json_populate_recordset(NULL::table, $1)` per 20 000 rows (one parameter
/// instead of one per value: a third of the time of multi-row `VALUES` for a million rows); elsewhere
/// multi-row `INSERT`s ([`insert_all`]). `columns` is the entity's column count.
pub async fn insert_bulk<C, E, M>(db: &C, rows: Vec<M>, columns: usize) -> Result<(), StoreError>
where
    C: ConnectionTrait,
    E: EntityTrait,
    M: sea_orm::IntoActiveModel<E::ActiveModel>,
    E::ActiveModel: ActiveModelTrait<Entity = E> + Send,
{
    if db.get_database_backend() != DbBackend::Postgres {
        return insert_all::<C, E, M>(db, rows, columns).await;
    }
    let table = E::default().table_name().to_string();
    let names: Vec<&str> = E::Column::iter().map(|c| c.as_str()).collect();
    let list = names.iter().map(|n| format!("\"{n}\"")).collect::<Vec<_>>().join(", ");
    let sql = format!("INSERT INTO \"{table}\" ({list}) SELECT {list} FROM json_populate_recordset(NULL::\"{table}\", $1::json)");
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let mut json = String::with_capacity(20_000 * 64 * names.len());
        json.push('[');
        for (n, row) in rows.by_ref().take(20_000).enumerate() {
            let active = sea_orm::IntoActiveModel::into_active_model(row);
            let mut object = serde_json::Map::with_capacity(names.len());
            for (column, name) in E::Column::iter().zip(&names) {
                let value = active.get(column).into_value();
                object.insert((*name).to_string(), json_of(value.as_ref())?);
            }
            if n > 0 {
                json.push(',');
            }
            json.push_str(&serde_json::Value::Object(object).to_string());
        }
        json.push(']');
        db.execute_raw(Statement::from_sql_and_values(DbBackend::Postgres, &sql, [json.into()])).await?;
    }
    Ok(())
}

/// A column value as PostgreSQL's JSON input reads it back (dates ISO 8601, timestamps RFC 3339).
fn json_of(value: Option<&sea_orm::Value>) -> Result<serde_json::Value, StoreError> {
    use sea_orm::Value as V;
    use serde_json::Value as J;
    Ok(match value {
        None => J::Null,
        Some(V::Bool(v)) => v.map_or(J::Null, J::Bool),
        Some(V::Int(v)) => v.map_or(J::Null, J::from),
        Some(V::BigInt(v)) => v.map_or(J::Null, J::from),
        Some(V::SmallInt(v)) => v.map_or(J::Null, J::from),
        Some(V::String(v)) => v.as_ref().map_or(J::Null, |s| J::String(s.clone())),
        Some(V::Uuid(v)) => v.map_or(J::Null, |u| J::String(u.to_string())),
        Some(V::TimeDate(v)) => v.map_or(J::Null, |d| J::String(d.to_string())),
        Some(V::TimeDateTimeWithTimeZone(Some(t))) => J::String(
            t.format(&time::format_description::well_known::Rfc3339).map_err(|e| StoreError::Corrupt(format!("timestamp {t}: {e}")))?,
        ),
        Some(V::TimeDateTimeWithTimeZone(None)) => J::Null,
        Some(V::Json(v)) => v.as_ref().map_or(J::Null, |j| (**j).clone()),
        Some(other) => return Err(StoreError::Corrupt(format!("no JSON form for the value {other:?}"))),
    })
}

/// Which of these line keys are already stored.
pub async fn existing_keys<C: ConnectionTrait>(db: &C, keys: &[String]) -> Result<HashSet<String>, StoreError> {
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

/// [`crate::books_in`] for many taxpayers at once: a handful of chunked queries instead of five per
/// taxpayer. Each taxpayer's rows come in the order `books_in` gives them.
pub async fn books_of_many<C: ConnectionTrait>(db: &C, taxpayer_ids: &[Uuid]) -> Result<HashMap<Uuid, TaxpayerBooks>, StoreError> {
    let mut books: HashMap<Uuid, TaxpayerBooks> = HashMap::with_capacity(taxpayer_ids.len());
    for chunk in taxpayer_ids.chunks(IN_CHUNK) {
        for t in taxpayer::Entity::find().filter(taxpayer::Column::Id.is_in(chunk.iter().copied())).all(db).await? {
            books.insert(
                t.id,
                TaxpayerBooks {
                    taxpayer: t,
                    obligations: Vec::new(),
                    installments: Vec::new(),
                    payments: Vec::new(),
                    reminder_costs: Vec::new(),
                },
            );
        }
        let obligations = obligation::Entity::find()
            .filter(obligation::Column::TaxpayerId.is_in(chunk.iter().copied()))
            .order_by_asc(obligation::Column::Year)
            .order_by_asc(obligation::Column::Kind)
            .all(db)
            .await?;
        let owner: HashMap<Uuid, Uuid> = obligations.iter().map(|o| (o.id, o.taxpayer_id)).collect();
        let obligation_ids: Vec<Uuid> = obligations.iter().map(|o| o.id).collect();
        for o in obligations {
            if let Some(b) = books.get_mut(&o.taxpayer_id) {
                b.obligations.push(o);
            }
        }
        for ids in obligation_ids.chunks(IN_CHUNK) {
            let installments = installment::Entity::find()
                .filter(installment::Column::ObligationId.is_in(ids.iter().copied()))
                .order_by_asc(installment::Column::DueDate)
                .order_by_asc(installment::Column::Number)
                .all(db)
                .await?;
            for i in installments {
                if let Some(b) = owner.get(&i.obligation_id).and_then(|t| books.get_mut(t)) {
                    b.installments.push(i);
                }
            }
        }
        let payments = payment::Entity::find()
            .filter(payment::Column::TaxpayerId.is_in(chunk.iter().copied()))
            .filter(payment::Column::Status.eq("booked"))
            .order_by_asc(payment::Column::PaymentDate)
            .order_by_asc(payment::Column::BookedAt)
            .all(db)
            .await?;
        for p in payments {
            if let Some(b) = books.get_mut(&p.taxpayer_id) {
                b.payments.push(p);
            }
        }
        let costs = reminder_cost::Entity::find().filter(reminder_cost::Column::TaxpayerId.is_in(chunk.iter().copied())).all(db).await?;
        for c in costs {
            if let Some(b) = books.get_mut(&c.taxpayer_id) {
                b.reminder_costs.push(c);
            }
        }
    }
    // The installments of several chunks of obligations arrive in chunk order: restore `books_in`'s.
    for b in books.values_mut() {
        b.installments.sort_by_key(|i| (i.due_date, i.number));
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
