//! Queries and writes the server needs, mapped to domain types at this boundary.

use domain::Amount;
use domain::interest::ThresholdMode;
use domain::ledger::{Ledger, LedgerInstallment, LedgerPayment, ReminderCost};
use domain::nrb::{IdentifierCheck, Nrb, VirtualAccountLayout};
use domain::obligation::ObligationKind;
use domain::rates::{RateKind, RateRow, RateTable, ThresholdRow};
use rust_decimal::Decimal;
use sea_orm::prelude::*;
use sea_orm::{ActiveValue::Set, Condition, ConnectionTrait, QueryOrder, QuerySelect, TransactionTrait};
use serde_json::Value as Json;
use time::{Date, OffsetDateTime};

use crate::entities::*;
use crate::{Store, StoreError};

/// Money from a grosze column; a negative value can only come from a corrupted row.
pub fn money(grosze: i64) -> Result<Amount, StoreError> {
    Amount::from_grosze(grosze).map_err(|e| StoreError::Corrupt(format!("amount {grosze} gr: {e}")))
}

/// The municipality's settings as domain types.
#[derive(Debug, Clone)]
pub struct Municipality {
    pub name: String,
    pub nip: String,
    pub address: String,
    pub bank_account: Nrb,
    pub virtual_accounts: VirtualAccountLayout,
    pub threshold_mode: ThresholdMode,
    pub rates_verified_up_to: Date,
}

/// Everything that decides what a taxpayer owes: the input of the domain ledger.
#[derive(Debug, Clone)]
pub struct TaxpayerBooks {
    pub taxpayer: taxpayer::Model,
    pub obligations: Vec<obligation::Model>,
    pub installments: Vec<installment::Model>,
    /// Booked payments only: pending or rejected online payments move no money.
    pub payments: Vec<payment::Model>,
    pub reminder_costs: Vec<reminder_cost::Model>,
}

impl TaxpayerBooks {
    /// The domain ledger. Installment and obligation ids are the database UUIDs as text.
    pub fn ledger(&self) -> Result<Ledger, StoreError> {
        LedgerBooks::from(self).ledger()
    }
}

/// The part of a taxpayer's books that a ledger pass reads — what [`TaxpayerBooks`] holds without
/// the rest of each row — so that a statement import can load a hundred thousand taxpayers' books
/// at once (issue 6). Installments and payments in [`books_in`]'s order.
#[derive(Debug, Clone, Default)]
pub struct LedgerBooks {
    pub obligations: Vec<ObligationFacts>,
    pub installments: Vec<InstallmentFacts>,
    /// Booked payments only, by payment date then booking time.
    pub payments: Vec<PaymentFacts>,
    pub reminder_costs: Vec<reminder_cost::Model>,
}

#[derive(Debug, Clone)]
pub struct ObligationFacts {
    pub id: Uuid,
    /// `domain::obligation::ObligationKind` code.
    pub kind: String,
    pub rate_kind: String,
    pub decision_number: String,
}

#[derive(Debug, Clone)]
pub struct InstallmentFacts {
    pub id: Uuid,
    pub obligation_id: Uuid,
    pub number: i32,
    pub due_date: Date,
    pub amount_grosze: i64,
}

#[derive(Debug, Clone)]
pub struct PaymentFacts {
    pub id: Uuid,
    pub payment_date: Option<Date>,
    pub booked_at: Option<OffsetDateTime>,
    pub amount_grosze: i64,
    pub indicated_obligation_id: Option<Uuid>,
}

impl From<&TaxpayerBooks> for LedgerBooks {
    fn from(books: &TaxpayerBooks) -> Self {
        LedgerBooks {
            obligations: books
                .obligations
                .iter()
                .map(|o| ObligationFacts {
                    id: o.id,
                    kind: o.kind.clone(),
                    rate_kind: o.rate_kind.clone(),
                    decision_number: o.decision_number.clone(),
                })
                .collect(),
            installments: books
                .installments
                .iter()
                .map(|i| InstallmentFacts {
                    id: i.id,
                    obligation_id: i.obligation_id,
                    number: i.number,
                    due_date: i.due_date,
                    amount_grosze: i.amount_grosze,
                })
                .collect(),
            payments: books.payments.iter().map(PaymentFacts::from).collect(),
            reminder_costs: books.reminder_costs.clone(),
        }
    }
}

impl From<&payment::Model> for PaymentFacts {
    fn from(p: &payment::Model) -> Self {
        PaymentFacts {
            id: p.id,
            payment_date: p.payment_date,
            booked_at: p.booked_at,
            amount_grosze: p.amount_grosze,
            indicated_obligation_id: p.indicated_obligation_id,
        }
    }
}

impl LedgerBooks {
    /// The domain ledger. Installment and obligation ids are the database UUIDs as text.
    pub fn ledger(&self) -> Result<Ledger, StoreError> {
        let obligations: std::collections::HashMap<Uuid, &ObligationFacts> = self.obligations.iter().map(|o| (o.id, o)).collect();
        let mut installments = Vec::with_capacity(self.installments.len());
        for i in &self.installments {
            let obligation = obligations
                .get(&i.obligation_id)
                .ok_or_else(|| StoreError::Corrupt(format!("installment {} without its obligation", i.id)))?;
            installments.push(LedgerInstallment {
                id: i.id.to_string(),
                obligation: i.obligation_id.to_string(),
                kind: obligation.kind.parse::<ObligationKind>().ok(),
                due_date: i.due_date,
                amount: money(i.amount_grosze)?,
                rate: obligation.rate_kind.parse::<RateKind>().map_err(StoreError::Corrupt)?,
            });
        }
        let mut payments = Vec::with_capacity(self.payments.len());
        for p in &self.payments {
            let date = p.payment_date.ok_or_else(|| StoreError::Corrupt(format!("booked payment {} without a date", p.id)))?;
            payments.push(LedgerPayment {
                id: Some(p.id.to_string()),
                date,
                amount: money(p.amount_grosze)?,
                obligation: p.indicated_obligation_id.map(|o| o.to_string()),
            });
        }
        let reminder_costs = self
            .reminder_costs
            .iter()
            .map(|c| Ok(ReminderCost { id: Some(c.id.to_string()), delivered: c.delivered, amount: Some(money(c.amount_grosze)?) }))
            .collect::<Result<Vec<_>, StoreError>>()?;
        Ok(Ledger { installments, payments, reminder_costs })
    }
}

/// One line of the audit log to write.
#[derive(Debug, Clone)]
pub struct AuditEntry {
    pub actor_kind: &'static str,
    pub actor_id: Option<String>,
    pub action: String,
    pub subject_kind: Option<&'static str>,
    pub subject_id: Option<String>,
    pub taxpayer_id: Option<Uuid>,
    pub outcome: &'static str,
    pub details: Option<Json>,
}

/// Filter for audit-log search; every field narrows.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub actor_id: Option<String>,
    pub action: Option<String>,
    pub taxpayer_id: Option<Uuid>,
    pub outcome: Option<String>,
    pub from: Option<OffsetDateTime>,
    pub to: Option<OffsetDateTime>,
}

/// [`Store::books`] on any connection, so a booking reads inside its own transaction.
pub async fn books_in<C: ConnectionTrait>(db: &C, taxpayer_id: Uuid) -> Result<TaxpayerBooks, StoreError> {
    let taxpayer = taxpayer::Entity::find_by_id(taxpayer_id).one(db).await?.ok_or(StoreError::NotFound)?;
    let obligations = obligation::Entity::find()
        .filter(obligation::Column::TaxpayerId.eq(taxpayer_id))
        .order_by_asc(obligation::Column::Year)
        .order_by_asc(obligation::Column::Kind)
        .all(db)
        .await?;
    let ids: Vec<Uuid> = obligations.iter().map(|o| o.id).collect();
    let installments = installment::Entity::find()
        .filter(installment::Column::ObligationId.is_in(ids))
        .order_by_asc(installment::Column::DueDate)
        .order_by_asc(installment::Column::Number)
        // The ledger takes equal due dates in the order given: make it the same on every read.
        .order_by_asc(installment::Column::Id)
        .all(db)
        .await?;
    let payments = payment::Entity::find()
        .filter(payment::Column::TaxpayerId.eq(taxpayer_id))
        .filter(payment::Column::Status.eq("booked"))
        .order_by_asc(payment::Column::PaymentDate)
        .order_by_asc(payment::Column::BookedAt)
        .order_by_asc(payment::Column::Id)
        .all(db)
        .await?;
    let reminder_costs = reminder_cost::Entity::find().filter(reminder_cost::Column::TaxpayerId.eq(taxpayer_id)).all(db).await?;
    Ok(TaxpayerBooks { taxpayer, obligations, installments, payments, reminder_costs })
}

/// What booking a payment did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Booking {
    /// This call booked it.
    Booked,
    /// It was booked (or decided) before: nothing changed.
    AlreadyDone,
}

impl Store {
    pub async fn municipality(&self) -> Result<Municipality, StoreError> {
        let m = municipality::Entity::find_by_id(1).one(self.db()).await?.ok_or(StoreError::NotFound)?;
        let check = if m.virtual_account_check == "luhn" { IdentifierCheck::Luhn } else { IdentifierCheck::None };
        Ok(Municipality {
            bank_account: m.bank_account.parse().map_err(|e| StoreError::Corrupt(format!("municipality account: {e}")))?,
            virtual_accounts: VirtualAccountLayout::new(&m.virtual_account_prefix, check)
                .map_err(|e| StoreError::Corrupt(format!("virtual account layout: {e}")))?,
            threshold_mode: m.threshold_mode.parse().map_err(StoreError::Corrupt)?,
            rates_verified_up_to: m.rates_verified_up_to,
            name: m.name,
            nip: m.nip,
            address: m.address,
        })
    }

    pub async fn save_municipality(&self, model: municipality::Model) -> Result<(), StoreError> {
        let exists = municipality::Entity::find_by_id(model.id).one(self.db()).await?.is_some();
        let active: municipality::ActiveModel = model.into();
        if exists {
            active.reset_all().update(self.db()).await?;
        } else {
            active.reset_all().insert(self.db()).await?;
        }
        Ok(())
    }

    /// The rate table from the database, seeded from the shipped table on first use.
    pub async fn rate_table(&self) -> Result<RateTable, StoreError> {
        let rows = interest_rate::Entity::find().order_by_asc(interest_rate::Column::EffectiveFrom).all(self.db()).await?;
        if rows.is_empty() {
            self.seed_rates(&RateTable::shipped()).await?;
            return Box::pin(self.rate_table()).await;
        }
        let thresholds = interest_threshold::Entity::find().order_by_asc(interest_threshold::Column::EffectiveFrom).all(self.db()).await?;
        let verified = municipality::Entity::find_by_id(1).one(self.db()).await?.map(|m| m.rates_verified_up_to);
        let dec = |s: &str| s.parse::<Decimal>().map_err(|e| StoreError::Corrupt(format!("rate {s:?}: {e}")));
        let rates = rows
            .iter()
            .map(|r| {
                Ok(RateRow {
                    from: r.effective_from,
                    lombard: r.lombard.as_deref().map(dec).transpose()?,
                    standard: dec(&r.standard)?,
                    reduced: dec(&r.reduced)?,
                    increased: r.increased.as_deref().map(dec).transpose()?,
                    source: r.source.clone(),
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        let thresholds = thresholds
            .iter()
            .map(|t| Ok(ThresholdRow { from: t.effective_from, amount: money(t.amount_grosze)?, source: t.source.clone() }))
            .collect::<Result<Vec<_>, StoreError>>()?;
        let verified = verified.unwrap_or(RateTable::shipped().verified_up_to);
        RateTable::new(rates, thresholds, verified).map_err(|e| StoreError::Corrupt(e.to_string()))
    }

    async fn seed_rates(&self, table: &RateTable) -> Result<(), StoreError> {
        let txn = self.db().begin().await?;
        for r in table.rates() {
            interest_rate::ActiveModel {
                effective_from: Set(r.from),
                lombard: Set(r.lombard.map(|d| d.to_string())),
                standard: Set(r.standard.to_string()),
                reduced: Set(r.reduced.to_string()),
                increased: Set(r.increased.map(|d| d.to_string())),
                source: Set(r.source.clone()),
            }
            .insert(&txn)
            .await?;
        }
        for t in table.thresholds() {
            interest_threshold::ActiveModel {
                effective_from: Set(t.from),
                amount_grosze: Set(t.amount.grosze()),
                source: Set(t.source.clone()),
            }
            .insert(&txn)
            .await?;
        }
        txn.commit().await?;
        Ok(())
    }

    /// Adds or replaces a rate row after checking the whole table with it (an administrator's act).
    pub async fn put_rate(&self, row: RateRow) -> Result<RateTable, StoreError> {
        let table = self.rate_table().await?.with_rate(row.clone()).map_err(|e| StoreError::Conflict(e.to_string()))?;
        interest_rate::Entity::delete_by_id(row.from).exec(self.db()).await?;
        interest_rate::ActiveModel {
            effective_from: Set(row.from),
            lombard: Set(row.lombard.map(|d| d.to_string())),
            standard: Set(row.standard.to_string()),
            reduced: Set(row.reduced.to_string()),
            increased: Set(row.increased.map(|d| d.to_string())),
            source: Set(row.source),
        }
        .insert(self.db())
        .await?;
        Ok(table)
    }

    /// Changes the settings an administrator may change; `None` keeps a value.
    pub async fn update_municipality(
        &self,
        threshold_mode: Option<String>,
        name: Option<String>,
        address: Option<String>,
    ) -> Result<(), StoreError> {
        let m = municipality::Entity::find_by_id(1).one(self.db()).await?.ok_or(StoreError::NotFound)?;
        let mut active: municipality::ActiveModel = m.into();
        if let Some(mode) = threshold_mode {
            active.threshold_mode = Set(mode);
        }
        if let Some(name) = name {
            active.name = Set(name);
        }
        if let Some(address) = address {
            active.address = Set(address);
        }
        active.updated_at = Set(OffsetDateTime::now_utc());
        active.update(self.db()).await?;
        Ok(())
    }

    pub async fn set_rates_verified_up_to(&self, day: Date) -> Result<(), StoreError> {
        let m = municipality::Entity::find_by_id(1).one(self.db()).await?.ok_or(StoreError::NotFound)?;
        let mut active: municipality::ActiveModel = m.into();
        active.rates_verified_up_to = Set(day);
        active.updated_at = Set(OffsetDateTime::now_utc());
        active.update(self.db()).await?;
        Ok(())
    }

    pub async fn user(&self, id: Uuid) -> Result<Option<portal_user::Model>, StoreError> {
        Ok(portal_user::Entity::find_by_id(id).one(self.db()).await?)
    }

    pub async fn user_by_pesel(&self, pesel: &str) -> Result<Option<portal_user::Model>, StoreError> {
        Ok(portal_user::Entity::find().filter(portal_user::Column::Pesel.eq(pesel)).one(self.db()).await?)
    }

    pub async fn insert_user(&self, user: portal_user::Model) -> Result<portal_user::Model, StoreError> {
        Ok(portal_user::ActiveModel::from(user).insert(self.db()).await?)
    }

    pub async fn users(&self, offset: u64, limit: u64) -> Result<(Vec<portal_user::Model>, u64), StoreError> {
        let total = portal_user::Entity::find().count(self.db()).await?;
        let page =
            portal_user::Entity::find().order_by_asc(portal_user::Column::DisplayName).offset(offset).limit(limit).all(self.db()).await?;
        Ok((page, total))
    }

    pub async fn set_roles(&self, user_id: Uuid, roles: &[String]) -> Result<portal_user::Model, StoreError> {
        let user = self.user(user_id).await?.ok_or(StoreError::NotFound)?;
        let mut active: portal_user::ActiveModel = user.into();
        active.roles = Set(roles.join(","));
        Ok(active.update(self.db()).await?)
    }

    /// Links valid on `day`, with their taxpayers.
    pub async fn links_of(&self, user_id: Uuid, day: Date) -> Result<Vec<(user_taxpayer_link::Model, taxpayer::Model)>, StoreError> {
        let links = user_taxpayer_link::Entity::find()
            .filter(user_taxpayer_link::Column::UserId.eq(user_id))
            .filter(user_taxpayer_link::Column::ValidFrom.lte(day))
            .filter(Condition::any().add(user_taxpayer_link::Column::ValidTo.is_null()).add(user_taxpayer_link::Column::ValidTo.gte(day)))
            .all(self.db())
            .await?;
        let ids: Vec<Uuid> = links.iter().map(|l| l.taxpayer_id).collect();
        let taxpayers = taxpayer::Entity::find().filter(taxpayer::Column::Id.is_in(ids)).all(self.db()).await?;
        let mut out: Vec<_> =
            links.into_iter().filter_map(|l| taxpayers.iter().find(|t| t.id == l.taxpayer_id).cloned().map(|t| (l, t))).collect();
        out.sort_by(|a, b| a.1.name.cmp(&b.1.name));
        Ok(out)
    }

    /// The link that lets `user_id` see `taxpayer_id` on `day`, if any.
    pub async fn link(&self, user_id: Uuid, taxpayer_id: Uuid, day: Date) -> Result<Option<user_taxpayer_link::Model>, StoreError> {
        Ok(user_taxpayer_link::Entity::find()
            .filter(user_taxpayer_link::Column::UserId.eq(user_id))
            .filter(user_taxpayer_link::Column::TaxpayerId.eq(taxpayer_id))
            .filter(user_taxpayer_link::Column::ValidFrom.lte(day))
            .filter(Condition::any().add(user_taxpayer_link::Column::ValidTo.is_null()).add(user_taxpayer_link::Column::ValidTo.gte(day)))
            .one(self.db())
            .await?)
    }

    pub async fn all_links_of(&self, user_id: Uuid) -> Result<Vec<user_taxpayer_link::Model>, StoreError> {
        Ok(user_taxpayer_link::Entity::find().filter(user_taxpayer_link::Column::UserId.eq(user_id)).all(self.db()).await?)
    }

    pub async fn insert_link(&self, link: user_taxpayer_link::Model) -> Result<user_taxpayer_link::Model, StoreError> {
        let active: user_taxpayer_link::ActiveModel = link.into();
        Ok(active.reset_all().insert(self.db()).await?)
    }

    pub async fn end_link(&self, link_id: Uuid, valid_to: Date) -> Result<user_taxpayer_link::Model, StoreError> {
        let link = user_taxpayer_link::Entity::find_by_id(link_id).one(self.db()).await?.ok_or(StoreError::NotFound)?;
        let mut active: user_taxpayer_link::ActiveModel = link.into();
        active.valid_to = Set(Some(valid_to));
        Ok(active.update(self.db()).await?)
    }

    pub async fn taxpayer(&self, id: Uuid) -> Result<Option<taxpayer::Model>, StoreError> {
        Ok(taxpayer::Entity::find_by_id(id).one(self.db()).await?)
    }

    pub async fn taxpayer_by_pesel(&self, pesel: &str) -> Result<Option<taxpayer::Model>, StoreError> {
        Ok(taxpayer::Entity::find().filter(taxpayer::Column::Pesel.eq(pesel)).one(self.db()).await?)
    }

    /// The taxpayer's obligations, installments, booked payments and reminder costs.
    /// The four independent reads run concurrently on the pool (the installments need the
    /// obligations' ids): this is the hot path of every resident view.
    pub async fn books(&self, taxpayer_id: Uuid) -> Result<TaxpayerBooks, StoreError> {
        let db = self.db();
        let (taxpayer, obligations, payments, reminder_costs) = futures_util::try_join!(
            taxpayer::Entity::find_by_id(taxpayer_id).one(db),
            obligation::Entity::find()
                .filter(obligation::Column::TaxpayerId.eq(taxpayer_id))
                .order_by_asc(obligation::Column::Year)
                .order_by_asc(obligation::Column::Kind)
                .all(db),
            payment::Entity::find()
                .filter(payment::Column::TaxpayerId.eq(taxpayer_id))
                .filter(payment::Column::Status.eq("booked"))
                .order_by_asc(payment::Column::PaymentDate)
                .order_by_asc(payment::Column::BookedAt)
                .order_by_asc(payment::Column::Id)
                .all(db),
            reminder_cost::Entity::find().filter(reminder_cost::Column::TaxpayerId.eq(taxpayer_id)).all(db),
        )?;
        let taxpayer = taxpayer.ok_or(StoreError::NotFound)?;
        let ids: Vec<Uuid> = obligations.iter().map(|o| o.id).collect();
        let installments = installment::Entity::find()
            .filter(installment::Column::ObligationId.is_in(ids))
            .order_by_asc(installment::Column::DueDate)
            .order_by_asc(installment::Column::Number)
            .order_by_asc(installment::Column::Id)
            .all(db)
            .await?;
        Ok(TaxpayerBooks { taxpayer, obligations, installments, payments, reminder_costs })
    }

    pub async fn obligation(&self, id: Uuid) -> Result<Option<obligation::Model>, StoreError> {
        Ok(obligation::Entity::find_by_id(id).one(self.db()).await?)
    }

    pub async fn basis_items(&self, obligation_id: Uuid) -> Result<Vec<basis_item::Model>, StoreError> {
        Ok(basis_item::Entity::find()
            .filter(basis_item::Column::ObligationId.eq(obligation_id))
            .order_by_asc(basis_item::Column::Position)
            .all(self.db())
            .await?)
    }

    /// Documents of an obligation, without their bytes.
    pub async fn documents(&self, obligation_id: Uuid) -> Result<Vec<document::Model>, StoreError> {
        let mut docs = document::Entity::find().filter(document::Column::ObligationId.eq(obligation_id)).all(self.db()).await?;
        for d in &mut docs {
            d.content = None;
        }
        Ok(docs)
    }

    pub async fn document(&self, id: Uuid) -> Result<Option<document::Model>, StoreError> {
        Ok(document::Entity::find_by_id(id).one(self.db()).await?)
    }

    /// All payments of a taxpayer (any status), newest first, with their allocation lines.
    pub async fn payments_of(&self, taxpayer_id: Uuid) -> Result<Vec<(payment::Model, Vec<allocation::Model>)>, StoreError> {
        let payments = payment::Entity::find()
            .filter(payment::Column::TaxpayerId.eq(taxpayer_id))
            .order_by_desc(payment::Column::CreatedAt)
            .all(self.db())
            .await?;
        let ids: Vec<Uuid> = payments.iter().map(|p| p.id).collect();
        let allocations = allocation::Entity::find()
            .filter(allocation::Column::PaymentId.is_in(ids))
            .order_by_asc(allocation::Column::Position)
            .all(self.db())
            .await?;
        Ok(payments
            .into_iter()
            .map(|p| {
                let lines = allocations.iter().filter(|a| a.payment_id == p.id).cloned().collect();
                (p, lines)
            })
            .collect())
    }

    pub async fn virtual_account_of(&self, taxpayer_id: Uuid) -> Result<Option<virtual_account::Model>, StoreError> {
        Ok(virtual_account::Entity::find().filter(virtual_account::Column::TaxpayerId.eq(taxpayer_id)).one(self.db()).await?)
    }

    /// Writes an audit entry. On PostgreSQL the commit does not wait for the WAL flush
    /// (`synchronous_commit = off` for this transaction only): a crash can lose the last fraction of a
    /// second of audit entries, never money — bookings keep the default — and reads stop paying an
    /// fsync each.
    pub async fn audit(&self, entry: AuditEntry) -> Result<(), StoreError> {
        if self.backend() == sea_orm::DbBackend::Postgres {
            let txn = self.db().begin().await?;
            txn.execute_unprepared("SET LOCAL synchronous_commit TO OFF").await?;
            Self::audit_model(entry).insert(&txn).await?;
            txn.commit().await?;
        } else {
            Self::audit_model(entry).insert(self.db()).await?;
        }
        Ok(())
    }

    fn audit_model(entry: AuditEntry) -> audit_log::ActiveModel {
        audit_log::ActiveModel {
            at: Set(OffsetDateTime::now_utc()),
            actor_kind: Set(entry.actor_kind.to_string()),
            actor_id: Set(entry.actor_id),
            action: Set(entry.action),
            subject_kind: Set(entry.subject_kind.map(str::to_string)),
            subject_id: Set(entry.subject_id),
            taxpayer_id: Set(entry.taxpayer_id),
            outcome: Set(entry.outcome.to_string()),
            details: Set(entry.details),
            ..Default::default()
        }
    }

    /// Audit entries matching the filter, newest first.
    pub async fn audit_search(&self, filter: &AuditFilter, offset: u64, limit: u64) -> Result<(Vec<audit_log::Model>, u64), StoreError> {
        let mut query = audit_log::Entity::find();
        if let Some(actor) = &filter.actor_id {
            query = query.filter(audit_log::Column::ActorId.eq(actor.clone()));
        }
        if let Some(action) = &filter.action {
            query = query.filter(audit_log::Column::Action.eq(action.clone()));
        }
        if let Some(taxpayer) = filter.taxpayer_id {
            query = query.filter(audit_log::Column::TaxpayerId.eq(taxpayer));
        }
        if let Some(outcome) = &filter.outcome {
            query = query.filter(audit_log::Column::Outcome.eq(outcome.clone()));
        }
        if let Some(from) = filter.from {
            query = query.filter(audit_log::Column::At.gte(from));
        }
        if let Some(to) = filter.to {
            query = query.filter(audit_log::Column::At.lt(to));
        }
        let total = query.clone().count(self.db()).await?;
        let rows = query.order_by_desc(audit_log::Column::Id).offset(offset).limit(limit).all(self.db()).await?;
        Ok((rows, total))
    }

    /// Registers a third-party application; the secret is stored only as its SHA-256.
    pub async fn insert_api_client(
        &self,
        client_id: &str,
        name: &str,
        secret_sha256_hex: &str,
        scopes: &str,
    ) -> Result<api_client::Model, StoreError> {
        Ok(api_client::ActiveModel {
            id: Set(Uuid::new_v4()),
            client_id: Set(client_id.into()),
            name: Set(name.into()),
            secret_hash: Set(secret_sha256_hex.into()),
            scopes: Set(scopes.into()),
            active: Set(true),
            created_at: Set(OffsetDateTime::now_utc()),
        }
        .insert(self.db())
        .await?)
    }

    pub async fn insert_session(&self, session: session::Model) -> Result<(), StoreError> {
        session::ActiveModel::from(session).insert(self.db()).await?;
        Ok(())
    }

    pub async fn session_by_hash(&self, token_hash: &str) -> Result<Option<session::Model>, StoreError> {
        Ok(session::Entity::find().filter(session::Column::TokenHash.eq(token_hash)).one(self.db()).await?)
    }

    /// Marks a token used, only if nobody else did first; returns false when it was already rotated
    /// (two requests raced, or the token was stolen and replayed).
    pub async fn rotate_session(&self, id: Uuid, at: OffsetDateTime) -> Result<bool, StoreError> {
        let result = session::Entity::update_many()
            .col_expr(session::Column::RotatedAt, Expr::value(Some(at)))
            .filter(session::Column::Id.eq(id))
            .filter(session::Column::RotatedAt.is_null())
            .filter(session::Column::RevokedAt.is_null())
            .exec(self.db())
            .await?;
        Ok(result.rows_affected == 1)
    }

    /// Revokes every live token of a family and forgets the login node's session (personal data
    /// kept no longer than the session); returns how many tokens were still live.
    pub async fn revoke_family(&self, family_id: Uuid, at: OffsetDateTime) -> Result<u64, StoreError> {
        let revoked = session::Entity::update_many()
            .col_expr(session::Column::RevokedAt, Expr::value(Some(at)))
            .filter(session::Column::FamilyId.eq(family_id))
            .filter(session::Column::RevokedAt.is_null())
            .exec(self.db())
            .await?;
        session::Entity::update_many()
            .col_expr(session::Column::WkSession, Expr::value(Option::<String>::None))
            .filter(session::Column::FamilyId.eq(family_id))
            .filter(session::Column::WkSession.is_not_null())
            .exec(self.db())
            .await?;
        Ok(revoked.rows_affected)
    }

    pub async fn touch_login(&self, user_id: Uuid, at: OffsetDateTime) -> Result<(), StoreError> {
        portal_user::Entity::update_many()
            .col_expr(portal_user::Column::LastLoginAt, Expr::value(Some(at)))
            .filter(portal_user::Column::Id.eq(user_id))
            .exec(self.db())
            .await?;
        Ok(())
    }

    pub async fn insert_payment(&self, model: payment::Model) -> Result<payment::Model, StoreError> {
        Ok(payment::ActiveModel::from(model).insert(self.db()).await?)
    }

    pub async fn payment(&self, id: Uuid) -> Result<Option<payment::Model>, StoreError> {
        Ok(payment::Entity::find_by_id(id).one(self.db()).await?)
    }

    pub async fn payment_by_idempotency_key(&self, key: &str) -> Result<Option<payment::Model>, StoreError> {
        Ok(payment::Entity::find().filter(payment::Column::IdempotencyKey.eq(key)).one(self.db()).await?)
    }

    pub async fn payment_by_gateway_id(&self, gateway: &str, transaction_id: &str) -> Result<Option<payment::Model>, StoreError> {
        Ok(payment::Entity::find()
            .filter(payment::Column::Gateway.eq(gateway))
            .filter(payment::Column::GatewayTransactionId.eq(transaction_id))
            .one(self.db())
            .await?)
    }

    pub async fn allocations_of(&self, payment_id: Uuid) -> Result<Vec<allocation::Model>, StoreError> {
        Ok(allocation::Entity::find()
            .filter(allocation::Column::PaymentId.eq(payment_id))
            .order_by_asc(allocation::Column::Position)
            .all(self.db())
            .await?)
    }

    /// Moves a pending payment to a final non-booked status (`rejected`, `expired`); false when it
    /// was not pending any more.
    pub async fn settle_unpaid(&self, payment_id: Uuid, status: &str) -> Result<bool, StoreError> {
        let result = payment::Entity::update_many()
            .col_expr(payment::Column::Status, Expr::value(status))
            .filter(payment::Column::Id.eq(payment_id))
            .filter(payment::Column::Status.eq("pending"))
            .exec(self.db())
            .await?;
        Ok(result.rows_affected == 1)
    }

    /// Books a pending payment exactly once: the status flips from `pending` to `booked` only for the
    /// first caller, and its allocation (computed by `allocate` from the books that include it) is
    /// written in the same transaction. A crash leaves either nothing or everything.
    pub async fn book_payment<F>(
        &self,
        payment_id: Uuid,
        payment_date: time::Date,
        booking_date: time::Date,
        allocate: F,
    ) -> Result<Booking, StoreError>
    where
        F: FnOnce(&TaxpayerBooks) -> Result<Vec<allocation::Model>, StoreError> + Send,
    {
        let txn = self.db().begin().await?;
        let now = OffsetDateTime::now_utc();
        let result = payment::Entity::update_many()
            .col_expr(payment::Column::Status, Expr::value("booked"))
            .col_expr(payment::Column::PaymentDate, Expr::value(Some(payment_date)))
            .col_expr(payment::Column::BookingDate, Expr::value(Some(booking_date)))
            .col_expr(payment::Column::BookedAt, Expr::value(Some(now)))
            .filter(payment::Column::Id.eq(payment_id))
            .filter(payment::Column::Status.eq("pending"))
            .exec(&txn)
            .await?;
        if result.rows_affected != 1 {
            txn.rollback().await?;
            return Ok(Booking::AlreadyDone);
        }
        let payment = payment::Entity::find_by_id(payment_id).one(&txn).await?.ok_or(StoreError::NotFound)?;
        let books = books_in(&txn, payment.taxpayer_id).await?;
        let rows = allocate(&books)?;
        for row in rows {
            allocation::ActiveModel::from(row).insert(&txn).await?;
        }
        txn.commit().await?;
        Ok(Booking::Booked)
    }

    /// Online payments still pending that were started before `before` (for status polling).
    pub async fn pending_online_payments(&self, before: OffsetDateTime) -> Result<Vec<payment::Model>, StoreError> {
        Ok(payment::Entity::find()
            .filter(payment::Column::Status.eq("pending"))
            .filter(payment::Column::Source.eq("online"))
            .filter(payment::Column::CreatedAt.lt(before))
            .all(self.db())
            .await?)
    }

    pub async fn save_document_content(&self, id: Uuid, content: Vec<u8>, sha256: String) -> Result<(), StoreError> {
        document::Entity::update_many()
            .col_expr(document::Column::Content, Expr::value(Some(content)))
            .col_expr(document::Column::Sha256, Expr::value(sha256))
            .filter(document::Column::Id.eq(id))
            .exec(self.db())
            .await?;
        Ok(())
    }

    pub async fn api_client(&self, client_id: &str) -> Result<Option<api_client::Model>, StoreError> {
        Ok(api_client::Entity::find().filter(api_client::Column::ClientId.eq(client_id)).one(self.db()).await?)
    }
}
