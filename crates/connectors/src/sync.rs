//! Incremental import of a domain system into the portal's store.
//!
//! Each view is read in batches after its watermark; a batch is applied in one transaction with
//! the watermark move, so a crash repeats a batch at most, and a repeated row is recognised by its
//! version. Rows are keyed by (source system, entity, source id) in `sync_key`, which holds the
//! portal's id of the row and the version it holds:
//!
//! - a newer version inserts or corrects the row; an older or equal one is ignored;
//! - a tombstone deletes it (an obligation with its installments, basis items and documents; a
//!   payment of the domain system stops counting, and the domain system's undoing of its booking
//!   of a portal payment makes that payment provisional again; a taxpayer is kept, see the
//!   contract);
//! - a row the portal cannot take (unknown parent, invalid value) is recorded in `sync_rejected`
//!   and counted as an error, and the watermark moves on: the domain system's correction comes
//!   with a new row_version and applies then.
//!
//! The system of record: a payment the domain system reports with `portal_payment_id` is its
//! booking of a payment the portal exported. It is not a new payment: the portal's payment takes
//! the domain system's dates, its provisional allocation lines are replaced by the domain
//! system's (`payment_allocations`), and it stops being provisional.

use std::collections::HashMap;

use domain::Amount;
use domain::identifiers::Pesel;
use domain::obligation::ObligationKind;
use domain::rates::RateKind;
use store::entities::{allocation, basis_item, document, installment, obligation, payment, reminder_cost, taxpayer};
use store::sea_orm::prelude::*;
use store::sea_orm::{DatabaseTransaction, IntoActiveModel, TransactionTrait};
use store::sync::entities::{sync_key, sync_rejected};
use store::sync::{self as queries, DOMAIN_SYSTEM, SyncRun};
use store::{Store, StoreError};
use time::{Duration, OffsetDateTime};

use crate::contract::{Change, Entity, Payload, Row, Watermark};
use crate::{Connector, SyncError};

/// How an import runs.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    pub batch_size: usize,
    /// Obligations' `synced_at` is moved at most this often (every run confirms them all).
    pub touch_granularity: Duration,
}

impl Default for ImportOptions {
    fn default() -> Self {
        ImportOptions { batch_size: 500, touch_granularity: Duration::minutes(1) }
    }
}

/// Rows changed in one run of a view after which the planner's statistics are refreshed, and again
/// at every doubling. Each batch looks its rows (and the next views their parents) up by source id
/// in what the run is loading; planned on statistics of a nearly empty table those lookups scan it
/// whole (a municipality's first sync: ~2 s a batch at 150,000 obligations, and growing).
const ANALYZE_FIRST_AT: i64 = 5_000;

/// What one import did, per entity.
#[derive(Debug, Clone, Default)]
pub struct ImportReport {
    pub entities: Vec<(Entity, SyncRun)>,
}

impl ImportReport {
    pub fn rows_read(&self) -> i64 {
        self.entities.iter().map(|(_, r)| r.rows_read).sum()
    }
    pub fn rows_changed(&self) -> i64 {
        self.entities.iter().map(|(_, r)| r.rows_changed).sum()
    }
    pub fn errors(&self) -> i64 {
        self.entities.iter().map(|(_, r)| r.errors).sum()
    }
    pub fn of(&self, entity: Entity) -> Option<&SyncRun> {
        self.entities.iter().find(|(e, _)| *e == entity).map(|(_, r)| r)
    }
}

/// Imports every view of a source, parents first. Stops at the first view that fails (its
/// children would only be rejected); what was applied stays applied.
pub async fn import(store: &Store, source: &str, connector: &dyn Connector, options: &ImportOptions) -> Result<ImportReport, SyncError> {
    let started = OffsetDateTime::now_utc();
    let version = connector.contract_version().await?;
    if !version.is_supported() {
        return Err(SyncError::Protocol(format!(
            "the source implements contract {version}; this portal implements {}",
            crate::contract::ContractVersion::CURRENT
        )));
    }
    let mut report = ImportReport::default();
    for entity in Entity::ALL {
        let mut run = SyncRun::new(OffsetDateTime::now_utc());
        let result = import_entity(store, source, connector, entity, options, &mut run).await;
        run.finished_at = OffsetDateTime::now_utc();
        if let Err(e) = &result {
            run.failure = Some(e.to_string());
        }
        store.record_sync_run(source, entity.name(), &run).await?;
        report.entities.push((entity, run));
        result?;
    }
    store.touch_synced(source, started, options.touch_granularity).await?;
    Ok(report)
}

async fn import_entity(
    store: &Store,
    source: &str,
    connector: &dyn Connector,
    entity: Entity,
    options: &ImportOptions,
    run: &mut SyncRun,
) -> Result<(), SyncError> {
    let limit = options.batch_size.max(1);
    let mut analyze_at = ANALYZE_FIRST_AT;
    loop {
        let watermark = store
            .sync_watermark(source, entity.name())
            .await?
            .map_or_else(Watermark::start, |w| Watermark { row_version: w.row_version, source_id: w.source_id });
        let changes = connector.read(entity, &watermark, limit).await?;
        let Some(last) = changes.last() else { break };
        if !watermark.is_before(last.row_version, &last.source_id) {
            return Err(SyncError::Protocol(format!("{}: the source returned rows that are not after the watermark", entity.name())));
        }
        let read = changes.len();
        run.rows_read += i64::try_from(read).unwrap_or(i64::MAX);
        let outcome = apply_batch(store, source, entity, changes).await?;
        run.rows_changed += outcome.changed;
        run.errors += outcome.rejected;
        if outcome.last_rejection.is_some() {
            run.last_rejection = outcome.last_rejection;
        }
        if run.rows_changed >= analyze_at {
            store.analyze().await?;
            analyze_at = run.rows_changed.saturating_mul(2);
        }
        if read < limit {
            break;
        }
    }
    Ok(())
}

/// What applying one batch did.
#[derive(Debug, Clone, Default)]
pub struct BatchOutcome {
    pub changed: i64,
    pub rejected: i64,
    pub last_rejection: Option<String>,
}

/// Pending writes of one table in a batch, by the portal's row id, in order of first appearance.
struct Writes<M> {
    order: Vec<Uuid>,
    /// (new row, the row as it should be; `None`: delete).
    rows: HashMap<Uuid, (bool, Option<M>)>,
}

impl<M> Writes<M> {
    fn new() -> Self {
        Writes { order: Vec::new(), rows: HashMap::new() }
    }

    fn put(&mut self, id: Uuid, is_new: bool, row: Option<M>) {
        match self.rows.get_mut(&id) {
            Some(entry) => entry.1 = row,
            None => {
                self.order.push(id);
                self.rows.insert(id, (is_new, row));
            }
        }
    }
}

/// Writes the pending rows of one table: deletes, updates (an update of a row that is gone
/// inserts it), then inserts in chunks.
async fn flush<E>(txn: &DatabaseTransaction, writes: Writes<E::Model>) -> Result<(), SyncError>
where
    E: EntityTrait,
    E::Model: IntoActiveModel<E::ActiveModel> + Clone + Send,
    E::ActiveModel: ActiveModelTrait<Entity = E> + ActiveModelBehavior + Send,
    <E::PrimaryKey as PrimaryKeyTrait>::ValueType: From<Uuid>,
{
    let Writes { order, mut rows } = writes;
    let mut inserts = Vec::new();
    for id in order {
        let Some((is_new, row)) = rows.remove(&id) else { continue };
        match (is_new, row) {
            (true, Some(model)) => inserts.push(model.into_active_model()),
            (true, None) => {}
            (false, None) => {
                E::delete_by_id(id).exec(txn).await?;
            }
            (false, Some(model)) => {
                let active = model.clone().into_active_model().reset_all();
                match active.update(txn).await {
                    Ok(_) => {}
                    Err(DbErr::RecordNotUpdated) => inserts.push(model.into_active_model()),
                    Err(e) => return Err(e.into()),
                }
            }
        }
    }
    let mut inserts = inserts.into_iter().peekable();
    while inserts.peek().is_some() {
        let chunk: Vec<E::ActiveModel> = inserts.by_ref().take(500).collect();
        E::insert_many(chunk).exec_without_returning(txn).await?;
    }
    Ok(())
}

/// The batch being applied: keys read and written, rejections.
struct Batch<'a> {
    source: &'a str,
    entity: Entity,
    now: OffsetDateTime,
    keys: HashMap<String, sync_key::Model>,
    new_keys: Vec<sync_key::Model>,
    rejected: Vec<sync_rejected::Model>,
    applied: Vec<String>,
    outcome: BatchOutcome,
}

impl Batch<'_> {
    /// The key of a row that applies now (insert, correction or deletion).
    fn keep(&mut self, change: &Change, local_id: Uuid, deleted: bool) {
        let key = sync_key::Model {
            source_system: self.source.into(),
            entity: self.entity.name().into(),
            source_id: change.source_id.clone(),
            local_id,
            source_version: change.row_version,
            deleted,
            synced_at: self.now,
        };
        self.keys.insert(change.source_id.clone(), key.clone());
        self.new_keys.push(key);
        self.applied.push(change.source_id.clone());
        self.outcome.changed += 1;
    }

    fn reject(&mut self, change: &Change, reason: String) {
        self.outcome.rejected += 1;
        self.outcome.last_rejection = Some(format!("{} {}: {reason}", self.entity.name(), change.source_id));
        self.rejected.push(sync_rejected::Model {
            source_system: self.source.into(),
            entity: self.entity.name().into(),
            source_id: change.source_id.clone(),
            source_version: change.row_version,
            reason,
            at: self.now,
        });
    }

    /// The live key of a row (`None` when never seen or deleted).
    fn live(&self, source_id: &str) -> Option<&sync_key::Model> {
        self.keys.get(source_id).filter(|k| !k.deleted)
    }
}

/// The portal's ids of parent rows (of `entity`) referenced by a batch, live only.
async fn parents(txn: &DatabaseTransaction, source: &str, entity: Entity, ids: Vec<String>) -> Result<HashMap<String, Uuid>, SyncError> {
    let mut ids = ids;
    ids.sort();
    ids.dedup();
    Ok(queries::keys_in(txn, source, entity.name(), &ids)
        .await?
        .into_iter()
        .filter(|(_, k)| !k.deleted)
        .map(|(s, k)| (s, k.local_id))
        .collect())
}

fn grosze(amount: Amount) -> i64 {
    amount.grosze()
}

/// Applies one batch of one entity in one transaction, with the watermark.
pub async fn apply_batch(store: &Store, source: &str, entity: Entity, changes: Vec<Change>) -> Result<BatchOutcome, SyncError> {
    let Some(last) = changes.last() else { return Ok(BatchOutcome::default()) };
    let (last_version, last_id) = (last.row_version, last.source_id.clone());
    let now = OffsetDateTime::now_utc();
    let txn = store.db().begin().await?;
    let ids: Vec<String> = changes.iter().map(|c| c.source_id.clone()).collect();
    let keys = queries::keys_in(&txn, source, entity.name(), &ids).await?;
    let mut batch = Batch {
        source,
        entity,
        now,
        keys,
        new_keys: Vec::new(),
        rejected: Vec::new(),
        applied: Vec::new(),
        outcome: BatchOutcome::default(),
    };
    // Only what is newer than what the portal holds.
    let changes: Vec<Change> =
        changes.into_iter().filter(|c| batch.keys.get(&c.source_id).is_none_or(|k| k.source_version < c.row_version)).collect();
    match entity {
        Entity::Taxpayers => apply_taxpayers(&txn, &mut batch, changes).await?,
        Entity::Obligations => apply_obligations(&txn, &mut batch, changes).await?,
        Entity::BasisItems => apply_basis_items(&txn, &mut batch, changes).await?,
        Entity::Installments => apply_installments(&txn, &mut batch, changes).await?,
        Entity::Documents => apply_documents(&txn, &mut batch, changes).await?,
        Entity::ReminderCosts => apply_reminder_costs(&txn, &mut batch, changes).await?,
        Entity::Payments => apply_payments(&txn, &mut batch, changes).await?,
        Entity::PaymentAllocations => apply_allocations(&txn, &mut batch, changes).await?,
    }
    queries::put_keys(&txn, std::mem::take(&mut batch.new_keys)).await?;
    if queries::has_rejections(&txn, source, entity.name()).await? {
        queries::clear_rejections(&txn, source, entity.name(), &batch.applied).await?;
    }
    queries::put_rejections(&txn, std::mem::take(&mut batch.rejected)).await?;
    queries::set_watermark(&txn, source, entity.name(), last_version, &last_id, now).await?;
    txn.commit().await?;
    Ok(batch.outcome)
}

fn check_taxpayer(t: &crate::contract::Taxpayer) -> Result<(), String> {
    if t.kind != "natural" && t.kind != "legal" {
        return Err(format!("kind {:?} (natural or legal)", t.kind));
    }
    if let Some(pesel) = &t.pesel {
        pesel.parse::<Pesel>().map_err(|e| format!("pesel: {e}"))?;
    }
    if t.name.trim().is_empty() {
        return Err("name is empty".into());
    }
    Ok(())
}

async fn apply_taxpayers(txn: &DatabaseTransaction, batch: &mut Batch<'_>, changes: Vec<Change>) -> Result<(), SyncError> {
    // A person already in the portal (another source, or entered before) is the same taxpayer.
    let pesels: Vec<String> = changes
        .iter()
        .filter_map(|c| match &c.payload {
            Payload::Upsert(Row::Taxpayer(t)) => t.pesel.clone(),
            _ => None,
        })
        .collect();
    let mut by_pesel: HashMap<String, taxpayer::Model> = HashMap::new();
    for chunk in pesels.chunks(500) {
        for t in taxpayer::Entity::find().filter(taxpayer::Column::Pesel.is_in(chunk.iter().cloned())).all(txn).await? {
            if let Some(p) = t.pesel.clone() {
                by_pesel.insert(p, t);
            }
        }
    }
    let mut writes = Writes::<taxpayer::Model>::new();
    for change in changes {
        match &change.payload {
            Payload::Invalid(reason) => batch.reject(&change, reason.clone()),
            // Payments, links and history point at the taxpayer: the row stays, only the key is closed.
            Payload::Delete => {
                if let Some(k) = batch.keys.get(&change.source_id).cloned() {
                    batch.keep(&change, k.local_id, true);
                }
            }
            Payload::Upsert(Row::Taxpayer(t)) => {
                if let Err(reason) = check_taxpayer(t) {
                    batch.reject(&change, reason);
                    continue;
                }
                let known = batch.keys.get(&change.source_id).map(|k| k.local_id);
                let adopted = t.pesel.as_ref().and_then(|p| by_pesel.get(p)).map(|m| (m.id, m.created_at));
                let (id, is_new, created_at) = match (known, adopted) {
                    (Some(id), Some((other, _))) if other != id => {
                        batch.reject(&change, "this PESEL belongs to another taxpayer in the portal".into());
                        continue;
                    }
                    (Some(id), _) => (id, false, batch.now),
                    (None, Some((id, created))) => (id, false, created),
                    (None, None) => (Uuid::new_v4(), true, batch.now),
                };
                let model = taxpayer::Model {
                    id,
                    kind: t.kind.clone(),
                    name: t.name.clone(),
                    first_name: t.first_name.clone(),
                    last_name: t.last_name.clone(),
                    pesel: t.pesel.clone(),
                    nip: t.nip.clone(),
                    regon: t.regon.clone(),
                    street: t.street.clone(),
                    postal_code: t.postal_code.clone(),
                    city: t.city.clone(),
                    created_at,
                };
                if let Some(p) = &t.pesel {
                    by_pesel.insert(p.clone(), model.clone());
                }
                writes.put(id, is_new, Some(model));
                batch.keep(&change, id, false);
            }
            Payload::Upsert(_) => batch.reject(&change, "not a taxpayer row".into()),
        }
    }
    // `created_at` of an existing row is kept: read it back for the updates.
    let existing: Vec<Uuid> = writes.rows.iter().filter(|(_, (is_new, _))| !is_new).map(|(id, _)| *id).collect();
    for chunk in existing.chunks(500) {
        for row in taxpayer::Entity::find().filter(taxpayer::Column::Id.is_in(chunk.iter().copied())).all(txn).await? {
            if let Some((_, Some(model))) = writes.rows.get_mut(&row.id) {
                model.created_at = row.created_at;
            }
        }
    }
    flush::<taxpayer::Entity>(txn, writes).await
}

fn check_obligation(o: &crate::contract::Obligation) -> Result<(), String> {
    o.kind.parse::<ObligationKind>().map_err(|e| format!("kind: {e}"))?;
    o.rate_kind.parse::<RateKind>().map_err(|e| format!("rate_kind: {e}"))?;
    if o.interest_regime != "tax_ordinance" {
        return Err(format!("interest_regime {:?} (this version knows tax_ordinance)", o.interest_regime));
    }
    Ok(())
}

/// Deletes an obligation's dependent rows (the domain system may not send their tombstones).
async fn delete_obligation_children(txn: &DatabaseTransaction, obligation_id: Uuid) -> Result<(), SyncError> {
    basis_item::Entity::delete_many().filter(basis_item::Column::ObligationId.eq(obligation_id)).exec(txn).await?;
    document::Entity::delete_many().filter(document::Column::ObligationId.eq(obligation_id)).exec(txn).await?;
    installment::Entity::delete_many().filter(installment::Column::ObligationId.eq(obligation_id)).exec(txn).await?;
    Ok(())
}

async fn apply_obligations(txn: &DatabaseTransaction, batch: &mut Batch<'_>, changes: Vec<Change>) -> Result<(), SyncError> {
    let taxpayers = parents(
        txn,
        batch.source,
        Entity::Taxpayers,
        changes
            .iter()
            .filter_map(|c| match &c.payload {
                Payload::Upsert(Row::Obligation(o)) => Some(o.taxpayer_source_id.clone()),
                _ => None,
            })
            .collect(),
    )
    .await?;
    // Obligations entered with this source's keys before the sync knew them are adopted.
    let unknown: Vec<String> = changes.iter().filter(|c| !batch.keys.contains_key(&c.source_id)).map(|c| c.source_id.clone()).collect();
    let mut adopted: HashMap<String, Uuid> = HashMap::new();
    for chunk in unknown.chunks(500) {
        for o in obligation::Entity::find()
            .filter(obligation::Column::SourceSystem.eq(batch.source))
            .filter(obligation::Column::SourceId.is_in(chunk.iter().cloned()))
            .all(txn)
            .await?
        {
            adopted.insert(o.source_id, o.id);
        }
    }
    let mut writes = Writes::<obligation::Model>::new();
    for change in changes {
        match &change.payload {
            Payload::Invalid(reason) => batch.reject(&change, reason.clone()),
            Payload::Delete => {
                let local = batch.live(&change.source_id).map(|k| k.local_id).or_else(|| adopted.get(&change.source_id).copied());
                if let Some(id) = local {
                    delete_obligation_children(txn, id).await?;
                    writes.put(id, false, None);
                    batch.keep(&change, id, true);
                }
            }
            Payload::Upsert(Row::Obligation(o)) => {
                if let Err(reason) = check_obligation(o) {
                    batch.reject(&change, reason);
                    continue;
                }
                let Some(&taxpayer_id) = taxpayers.get(&o.taxpayer_source_id) else {
                    batch.reject(&change, format!("unknown taxpayer {:?}", o.taxpayer_source_id));
                    continue;
                };
                let known = batch.live(&change.source_id).map(|k| k.local_id).or_else(|| adopted.get(&change.source_id).copied());
                let (id, is_new) = known.map_or_else(|| (Uuid::new_v4(), true), |id| (id, false));
                writes.put(
                    id,
                    is_new,
                    Some(obligation::Model {
                        id,
                        taxpayer_id,
                        kind: o.kind.clone(),
                        year: o.year,
                        title: o.title.clone(),
                        decision_number: o.decision_number.clone(),
                        decision_date: o.decision_date,
                        delivered_date: o.delivered_date,
                        amount_grosze: grosze(o.amount),
                        interest_regime: o.interest_regime.clone(),
                        rate_kind: o.rate_kind.clone(),
                        source_system: batch.source.into(),
                        source_id: change.source_id.clone(),
                        source_version: change.row_version,
                        synced_at: batch.now,
                    }),
                );
                batch.keep(&change, id, false);
            }
            Payload::Upsert(_) => batch.reject(&change, "not an obligation row".into()),
        }
    }
    flush::<obligation::Entity>(txn, writes).await
}

/// The source ids of the parents a batch refers to, by a field of the row.
fn referenced(changes: &[Change], pick: impl Fn(&Row) -> Option<String>) -> Vec<String> {
    changes
        .iter()
        .filter_map(|c| match &c.payload {
            Payload::Upsert(row) => pick(row),
            _ => None,
        })
        .collect()
}

async fn apply_basis_items(txn: &DatabaseTransaction, batch: &mut Batch<'_>, changes: Vec<Change>) -> Result<(), SyncError> {
    let obligations = parents(
        txn,
        batch.source,
        Entity::Obligations,
        referenced(&changes, |r| match r {
            Row::BasisItem(b) => Some(b.obligation_source_id.clone()),
            _ => None,
        }),
    )
    .await?;
    let mut writes = Writes::<basis_item::Model>::new();
    for change in changes {
        match &change.payload {
            Payload::Invalid(reason) => batch.reject(&change, reason.clone()),
            Payload::Delete => {
                if let Some(id) = batch.live(&change.source_id).map(|k| k.local_id) {
                    writes.put(id, false, None);
                    batch.keep(&change, id, true);
                }
            }
            Payload::Upsert(Row::BasisItem(b)) => {
                let Some(&obligation_id) = obligations.get(&b.obligation_source_id) else {
                    batch.reject(&change, format!("unknown obligation {:?}", b.obligation_source_id));
                    continue;
                };
                let known = batch.live(&change.source_id).map(|k| k.local_id);
                let (id, is_new) = known.map_or_else(|| (Uuid::new_v4(), true), |id| (id, false));
                writes.put(
                    id,
                    is_new,
                    Some(basis_item::Model {
                        id,
                        obligation_id,
                        position: b.position,
                        category: b.category.clone(),
                        quantity: b.quantity.normalize().to_string(),
                        unit: b.unit.clone(),
                        rate: b.rate.normalize().to_string(),
                        amount_grosze: grosze(b.amount),
                        resolution: b.resolution.clone(),
                    }),
                );
                batch.keep(&change, id, false);
            }
            Payload::Upsert(_) => batch.reject(&change, "not a basis item row".into()),
        }
    }
    flush::<basis_item::Entity>(txn, writes).await
}

async fn apply_installments(txn: &DatabaseTransaction, batch: &mut Batch<'_>, changes: Vec<Change>) -> Result<(), SyncError> {
    let obligations = parents(
        txn,
        batch.source,
        Entity::Obligations,
        referenced(&changes, |r| match r {
            Row::Installment(i) => Some(i.obligation_source_id.clone()),
            _ => None,
        }),
    )
    .await?;
    let mut writes = Writes::<installment::Model>::new();
    for change in changes {
        match &change.payload {
            Payload::Invalid(reason) => batch.reject(&change, reason.clone()),
            Payload::Delete => {
                if let Some(id) = batch.live(&change.source_id).map(|k| k.local_id) {
                    writes.put(id, false, None);
                    batch.keep(&change, id, true);
                }
            }
            Payload::Upsert(Row::Installment(i)) => {
                let Some(&obligation_id) = obligations.get(&i.obligation_source_id) else {
                    batch.reject(&change, format!("unknown obligation {:?}", i.obligation_source_id));
                    continue;
                };
                let known = batch.live(&change.source_id).map(|k| k.local_id);
                let (id, is_new) = known.map_or_else(|| (Uuid::new_v4(), true), |id| (id, false));
                writes.put(
                    id,
                    is_new,
                    Some(installment::Model { id, obligation_id, number: i.number, due_date: i.due_date, amount_grosze: grosze(i.amount) }),
                );
                batch.keep(&change, id, false);
            }
            Payload::Upsert(_) => batch.reject(&change, "not an installment row".into()),
        }
    }
    flush::<installment::Entity>(txn, writes).await
}

async fn apply_documents(txn: &DatabaseTransaction, batch: &mut Batch<'_>, changes: Vec<Change>) -> Result<(), SyncError> {
    let obligations = parents(
        txn,
        batch.source,
        Entity::Obligations,
        referenced(&changes, |r| match r {
            Row::Document(d) => Some(d.obligation_source_id.clone()),
            _ => None,
        }),
    )
    .await?;
    let mut writes = Writes::<document::Model>::new();
    for change in changes {
        match &change.payload {
            Payload::Invalid(reason) => batch.reject(&change, reason.clone()),
            Payload::Delete => {
                if let Some(id) = batch.live(&change.source_id).map(|k| k.local_id) {
                    writes.put(id, false, None);
                    batch.keep(&change, id, true);
                }
            }
            Payload::Upsert(Row::Document(d)) => {
                let Some(&obligation_id) = obligations.get(&d.obligation_source_id) else {
                    batch.reject(&change, format!("unknown obligation {:?}", d.obligation_source_id));
                    continue;
                };
                if d.content.is_none() && d.archive_reference.is_none() {
                    batch.reject(&change, "a document needs content or an archive_reference".into());
                    continue;
                }
                let known = batch.live(&change.source_id).map(|k| k.local_id);
                let (id, is_new) = known.map_or_else(|| (Uuid::new_v4(), true), |id| (id, false));
                writes.put(
                    id,
                    is_new,
                    Some(document::Model {
                        id,
                        obligation_id,
                        kind: d.kind.clone(),
                        file_name: d.file_name.clone(),
                        media_type: d.media_type.clone(),
                        content: d.content.clone(),
                        reference: d.archive_reference.clone(),
                        sha256: d.sha256.clone().unwrap_or_default(),
                        created_at: batch.now,
                    }),
                );
                batch.keep(&change, id, false);
            }
            Payload::Upsert(_) => batch.reject(&change, "not a document row".into()),
        }
    }
    flush::<document::Entity>(txn, writes).await
}

async fn apply_reminder_costs(txn: &DatabaseTransaction, batch: &mut Batch<'_>, changes: Vec<Change>) -> Result<(), SyncError> {
    let taxpayers = parents(
        txn,
        batch.source,
        Entity::Taxpayers,
        referenced(&changes, |r| match r {
            Row::ReminderCost(c) => Some(c.taxpayer_source_id.clone()),
            _ => None,
        }),
    )
    .await?;
    let obligations = parents(
        txn,
        batch.source,
        Entity::Obligations,
        referenced(&changes, |r| match r {
            Row::ReminderCost(c) => c.obligation_source_id.clone(),
            _ => None,
        }),
    )
    .await?;
    let mut writes = Writes::<reminder_cost::Model>::new();
    for change in changes {
        match &change.payload {
            Payload::Invalid(reason) => batch.reject(&change, reason.clone()),
            Payload::Delete => {
                if let Some(id) = batch.live(&change.source_id).map(|k| k.local_id) {
                    writes.put(id, false, None);
                    batch.keep(&change, id, true);
                }
            }
            Payload::Upsert(Row::ReminderCost(c)) => {
                let Some(&taxpayer_id) = taxpayers.get(&c.taxpayer_source_id) else {
                    batch.reject(&change, format!("unknown taxpayer {:?}", c.taxpayer_source_id));
                    continue;
                };
                let obligation_id = match &c.obligation_source_id {
                    Some(o) => match obligations.get(o) {
                        Some(id) => Some(*id),
                        None => {
                            batch.reject(&change, format!("unknown obligation {o:?}"));
                            continue;
                        }
                    },
                    None => None,
                };
                let known = batch.live(&change.source_id).map(|k| k.local_id);
                let (id, is_new) = known.map_or_else(|| (Uuid::new_v4(), true), |id| (id, false));
                writes.put(
                    id,
                    is_new,
                    Some(reminder_cost::Model {
                        id,
                        taxpayer_id,
                        obligation_id,
                        delivered: c.delivered_date,
                        amount_grosze: grosze(c.amount),
                    }),
                );
                batch.keep(&change, id, false);
            }
            Payload::Upsert(_) => batch.reject(&change, "not a reminder cost row".into()),
        }
    }
    flush::<reminder_cost::Entity>(txn, writes).await
}

/// Removes the allocation lines of a payment that did not come from this source (the portal's own,
/// provisional ones) — the domain system's booking replaces them.
async fn drop_portal_lines(txn: &DatabaseTransaction, source: &str, payment_id: Uuid) -> Result<(), SyncError> {
    let lines = allocation::Entity::find().filter(allocation::Column::PaymentId.eq(payment_id)).all(txn).await?;
    let ids: Vec<Uuid> = lines.iter().map(|l| l.id).collect();
    let domain: std::collections::HashSet<Uuid> = queries::keys_of_local(txn, Entity::PaymentAllocations.name(), &ids)
        .await?
        .into_iter()
        .filter(|k| k.source_system == source && !k.deleted)
        .map(|k| k.local_id)
        .collect();
    let portal: Vec<Uuid> = ids.into_iter().filter(|id| !domain.contains(id)).collect();
    if !portal.is_empty() {
        allocation::Entity::delete_many().filter(allocation::Column::Id.is_in(portal)).exec(txn).await?;
    }
    Ok(())
}

async fn apply_payments(txn: &DatabaseTransaction, batch: &mut Batch<'_>, changes: Vec<Change>) -> Result<(), SyncError> {
    let taxpayers = parents(
        txn,
        batch.source,
        Entity::Taxpayers,
        referenced(&changes, |r| match r {
            Row::Payment(p) => Some(p.taxpayer_source_id.clone()),
            _ => None,
        }),
    )
    .await?;
    let obligations = parents(
        txn,
        batch.source,
        Entity::Obligations,
        referenced(&changes, |r| match r {
            Row::Payment(p) => p.indicated_obligation_source_id.clone(),
            _ => None,
        }),
    )
    .await?;
    // Corrections keep when the payment was first seen.
    let known: Vec<Uuid> = changes.iter().filter_map(|c| batch.live(&c.source_id).map(|k| k.local_id)).collect();
    let mut seen: HashMap<Uuid, payment::Model> = HashMap::new();
    for chunk in known.chunks(500) {
        seen.extend(
            payment::Entity::find().filter(payment::Column::Id.is_in(chunk.iter().copied())).all(txn).await?.into_iter().map(|p| (p.id, p)),
        );
    }
    let mut writes = Writes::<payment::Model>::new();
    for change in changes {
        match &change.payload {
            Payload::Invalid(reason) => batch.reject(&change, reason.clone()),
            Payload::Delete => {
                let Some(id) = batch.live(&change.source_id).map(|k| k.local_id) else { continue };
                let Some(existing) = payment::Entity::find_by_id(id).one(txn).await? else {
                    batch.keep(&change, id, true);
                    continue;
                };
                allocation::Entity::delete_many().filter(allocation::Column::PaymentId.eq(id)).exec(txn).await?;
                if existing.source == DOMAIN_SYSTEM {
                    // A reversed booking of the domain system: it no longer counts.
                    payment::Entity::update_many()
                        .col_expr(payment::Column::Status, Expr::value("rejected"))
                        .filter(payment::Column::Id.eq(id))
                        .exec(txn)
                        .await?;
                } else {
                    // The domain system undid its booking of the portal's payment: provisional again.
                    queries::mark_export_booked(txn, id, &change.source_id, false, batch.now).await?;
                }
                batch.keep(&change, id, true);
            }
            Payload::Upsert(Row::Payment(p)) => {
                let Some(&taxpayer_id) = taxpayers.get(&p.taxpayer_source_id) else {
                    batch.reject(&change, format!("unknown taxpayer {:?}", p.taxpayer_source_id));
                    continue;
                };
                let indicated = match &p.indicated_obligation_source_id {
                    Some(o) => match obligations.get(o) {
                        Some(id) => Some(*id),
                        None => {
                            batch.reject(&change, format!("unknown obligation {o:?}"));
                            continue;
                        }
                    },
                    None => None,
                };
                if p.amount.is_zero() {
                    batch.reject(&change, "amount is zero".into());
                    continue;
                }
                // The domain system's booking of a payment the portal collected.
                let own = match p.portal_payment_id {
                    Some(portal_id) => payment::Entity::find_by_id(portal_id).one(txn).await?.filter(|m| m.source != DOMAIN_SYSTEM),
                    None => None,
                };
                if let Some(own) = own {
                    if own.taxpayer_id != taxpayer_id || own.amount_grosze != grosze(p.amount) {
                        batch.reject(&change, format!("the booking of portal payment {} differs in taxpayer or amount", own.id));
                        continue;
                    }
                    payment::Entity::update_many()
                        .col_expr(payment::Column::PaymentDate, Expr::value(Some(p.payment_date)))
                        .col_expr(payment::Column::BookingDate, Expr::value(Some(p.booking_date)))
                        .filter(payment::Column::Id.eq(own.id))
                        .exec(txn)
                        .await?;
                    drop_portal_lines(txn, batch.source, own.id).await?;
                    queries::mark_export_booked(txn, own.id, &change.source_id, true, batch.now).await?;
                    batch.keep(&change, own.id, false);
                    continue;
                }
                let known = batch.live(&change.source_id).map(|k| k.local_id);
                let existing = known.and_then(|id| seen.get(&id));
                let model = payment::Model {
                    id: known.unwrap_or_else(Uuid::new_v4),
                    taxpayer_id,
                    source: DOMAIN_SYSTEM.into(),
                    status: "booked".into(),
                    payment_date: Some(p.payment_date),
                    booking_date: Some(p.booking_date),
                    amount_grosze: grosze(p.amount),
                    payer: p.payer.clone(),
                    reference: p.reference.clone().or_else(|| Some(channel_name(&p.channel).into())),
                    idempotency_key: None,
                    indicated_obligation_id: indicated,
                    gateway: None,
                    gateway_transaction_id: None,
                    created_at: existing.map_or(batch.now, |e| e.created_at),
                    booked_at: Some(existing.and_then(|e| e.booked_at).unwrap_or(batch.now)),
                };
                let id = model.id;
                writes.put(id, existing.is_none(), Some(model));
                batch.keep(&change, id, false);
            }
            Payload::Upsert(_) => batch.reject(&change, "not a payment row".into()),
        }
    }
    flush::<payment::Entity>(txn, writes).await
}

/// How a channel is shown when the domain system gives no reference.
fn channel_name(channel: &str) -> &'static str {
    match channel {
        "cash_desk" => "Wpłata w kasie urzędu",
        "transfer" => "Przelew zaksięgowany w systemie dziedzinowym",
        "card" => "Płatność kartą w urzędzie",
        "portal" => "Płatność przez portal",
        "offset" => "Zaliczenie nadpłaty",
        _ => "Wpłata zaksięgowana w systemie dziedzinowym",
    }
}

async fn apply_allocations(txn: &DatabaseTransaction, batch: &mut Batch<'_>, changes: Vec<Change>) -> Result<(), SyncError> {
    let payments = parents(
        txn,
        batch.source,
        Entity::Payments,
        referenced(&changes, |r| match r {
            Row::PaymentAllocation(a) => Some(a.payment_source_id.clone()),
            _ => None,
        }),
    )
    .await?;
    let installments = parents(
        txn,
        batch.source,
        Entity::Installments,
        referenced(&changes, |r| match r {
            Row::PaymentAllocation(a) => a.installment_source_id.clone(),
            _ => None,
        }),
    )
    .await?;
    let costs = parents(
        txn,
        batch.source,
        Entity::ReminderCosts,
        referenced(&changes, |r| match r {
            Row::PaymentAllocation(a) => a.reminder_cost_source_id.clone(),
            _ => None,
        }),
    )
    .await?;
    let mut writes = Writes::<allocation::Model>::new();
    for change in changes {
        match &change.payload {
            Payload::Invalid(reason) => batch.reject(&change, reason.clone()),
            Payload::Delete => {
                if let Some(id) = batch.live(&change.source_id).map(|k| k.local_id) {
                    writes.put(id, false, None);
                    batch.keep(&change, id, true);
                }
            }
            Payload::Upsert(Row::PaymentAllocation(a)) => {
                let Some(&payment_id) = payments.get(&a.payment_source_id) else {
                    batch.reject(&change, format!("unknown payment {:?}", a.payment_source_id));
                    continue;
                };
                let installment_id = match &a.installment_source_id {
                    Some(i) => match installments.get(i) {
                        Some(id) => Some(*id),
                        None => {
                            batch.reject(&change, format!("unknown installment {i:?}"));
                            continue;
                        }
                    },
                    None => None,
                };
                let reminder_cost_id = match &a.reminder_cost_source_id {
                    Some(c) => match costs.get(c) {
                        Some(id) => Some(*id),
                        None => {
                            batch.reject(&change, format!("unknown reminder cost {c:?}"));
                            continue;
                        }
                    },
                    None => None,
                };
                let known = batch.live(&change.source_id).map(|k| k.local_id);
                let (id, is_new) = known.map_or_else(|| (Uuid::new_v4(), true), |id| (id, false));
                writes.put(
                    id,
                    is_new,
                    Some(allocation::Model {
                        id,
                        payment_id,
                        position: a.position,
                        installment_id,
                        reminder_cost_id,
                        principal_grosze: grosze(a.principal),
                        interest_grosze: grosze(a.interest),
                        reminder_costs_grosze: grosze(a.reminder_costs),
                        overpayment_grosze: grosze(a.overpayment),
                    }),
                );
                batch.keep(&change, id, false);
            }
            Payload::Upsert(_) => batch.reject(&change, "not a payment allocation row".into()),
        }
    }
    flush::<allocation::Entity>(txn, writes).await
}

/// Makes sure a source is registered (its mode decides whether portal allocations are provisional).
pub async fn register_source(store: &Store, config: &crate::config::SourceConfig, contract: Option<String>) -> Result<(), StoreError> {
    store
        .put_sync_source(store::sync::entities::sync_source::Model {
            name: config.name.clone(),
            kind: config.kind_name().into(),
            owns_bookings: config.owns_bookings,
            export_payments: config.export_payments,
            enabled: config.enabled,
            contract_version: contract,
            updated_at: OffsetDateTime::now_utc(),
        })
        .await
}
