//! Payment export: every payment the portal books goes to the domain system that keeps the
//! taxpayer's books, exactly once, and the domain system's acknowledgement is read back.
//!
//! The export ledger (`sync_export`) has one row per payment and target: `pending` → `written`
//! (the row is in `portal_payments`) → `accepted` / `rejected` (the acknowledgement) → `booked`
//! (the domain system's booking came back through sync, see [`crate::sync`]). Writing is
//! idempotent in the target (its primary key is the portal's payment id), so a crash between the
//! write and the ledger update only repeats a no-op.
//!
//! Which domain system: the one the indicated obligation came from, else the first (by name)
//! exporting source that knows the taxpayer. A payment of a taxpayer no source knows stays in the
//! portal (standalone data): its ledger row says `local`.

use std::collections::HashMap;

use store::entities::{allocation, obligation};
use store::sea_orm::QueryOrder;
use store::sea_orm::prelude::*;
use store::sync::{self as queries, ENTITY_TAXPAYER, EXPORT_PENDING, EXPORT_WRITTEN, ExportAck, SyncRun};
use store::{Store, money};
use time::OffsetDateTime;

use crate::contract::{Entity, PortalAllocationLine, PortalPayment};
use crate::{Connector, SyncError};

/// What one export run did.
#[derive(Debug, Clone)]
pub struct ExportReport {
    /// Payments added to this source's ledger.
    pub queued: usize,
    /// Payments now in the domain system's `portal_payments`.
    pub written: usize,
    /// Acknowledgements read back (accepted, rejected).
    pub accepted: usize,
    pub rejected: usize,
}

/// Decides the target of payments not yet in the ledger and adds them (for every source: any
/// replica's run may find them).
pub async fn queue_payments(store: &Store) -> Result<usize, SyncError> {
    let exporting: Vec<String> =
        store.sync_sources().await?.into_iter().filter(|s| s.enabled && s.export_payments).map(|s| s.name).collect();
    if exporting.is_empty() {
        return Ok(0);
    }
    let now = OffsetDateTime::now_utc();
    let mut queued = 0;
    loop {
        let candidates = store.unexported_payments(500).await?;
        if candidates.is_empty() {
            break;
        }
        let taxpayer_ids: Vec<Uuid> = candidates.iter().map(|p| p.taxpayer_id).collect();
        let mut sources_of: HashMap<Uuid, Vec<String>> = HashMap::new();
        for key in queries::keys_of_local(store.db(), ENTITY_TAXPAYER, &taxpayer_ids).await? {
            if !key.deleted && exporting.contains(&key.source_system) {
                sources_of.entry(key.local_id).or_default().push(key.source_system);
            }
        }
        let indicated: Vec<Uuid> = candidates.iter().filter_map(|p| p.indicated_obligation_id).collect();
        let obligation_source: HashMap<Uuid, String> = obligation::Entity::find()
            .filter(obligation::Column::Id.is_in(indicated))
            .all(store.db())
            .await?
            .into_iter()
            .map(|o| (o.id, o.source_system))
            .collect();
        let mut rows = Vec::new();
        let mut local_only = Vec::new();
        for p in &candidates {
            let mut sources = sources_of.get(&p.taxpayer_id).cloned().unwrap_or_default();
            sources.sort();
            let by_obligation = p.indicated_obligation_id.and_then(|o| obligation_source.get(&o)).filter(|s| sources.contains(s)).cloned();
            match by_obligation.or_else(|| sources.first().cloned()) {
                Some(target) => rows.push((p.id, target)),
                None => local_only.push(p.id),
            }
        }
        queued += rows.len();
        store.add_exports(&rows, now).await?;
        // No domain system knows the taxpayer (standalone data): recorded as staying local, so
        // that the scan moves on.
        store.add_local_exports(&local_only, now).await?;
        if candidates.len() < 500 {
            break;
        }
    }
    Ok(queued)
}

/// The contract row of one payment.
pub async fn portal_payment(store: &Store, source: &str, payment_id: Uuid) -> Result<Option<PortalPayment>, SyncError> {
    let Some(p) = store.payment(payment_id).await? else { return Ok(None) };
    let Some(payment_date) = p.payment_date else { return Ok(None) };
    let db = store.db();
    let taxpayer_key =
        queries::keys_of_local(db, ENTITY_TAXPAYER, &[p.taxpayer_id]).await?.into_iter().find(|k| k.source_system == source && !k.deleted);
    let Some(taxpayer_key) = taxpayer_key else { return Ok(None) };
    let indicated = match p.indicated_obligation_id {
        Some(id) => obligation::Entity::find_by_id(id).one(db).await?.filter(|o| o.source_system == source).map(|o| o.source_id),
        None => None,
    };
    let lines = allocation::Entity::find()
        .filter(allocation::Column::PaymentId.eq(p.id))
        .order_by_asc(allocation::Column::Position)
        .all(db)
        .await?;
    let installment_ids: Vec<Uuid> = lines.iter().filter_map(|l| l.installment_id).collect();
    let installment_keys: HashMap<Uuid, String> = queries::keys_of_local(db, Entity::Installments.name(), &installment_ids)
        .await?
        .into_iter()
        .filter(|k| k.source_system == source)
        .map(|k| (k.local_id, k.source_id))
        .collect();
    let portal_allocation = lines
        .iter()
        .map(|l| {
            Ok(PortalAllocationLine {
                installment_source_id: l.installment_id.and_then(|i| installment_keys.get(&i).cloned()),
                principal: money(l.principal_grosze)?,
                interest: money(l.interest_grosze)?,
                reminder_costs: money(l.reminder_costs_grosze)?,
                overpayment: money(l.overpayment_grosze)?,
            })
        })
        .collect::<Result<Vec<_>, store::StoreError>>()?;
    Ok(Some(PortalPayment {
        portal_payment_id: p.id,
        taxpayer_source_id: taxpayer_key.source_id,
        channel: p.source.clone(),
        payment_date,
        booking_date: p.booking_date,
        amount: money(p.amount_grosze)?,
        payer: p.payer.clone(),
        reference: p.reference.clone(),
        indicated_obligation_source_id: indicated,
        gateway_transaction_id: p.gateway_transaction_id.clone(),
        portal_allocation,
        exported_at: OffsetDateTime::now_utc(),
    }))
}

/// One export run for a source: queue new payments, write the pending ones, read the
/// acknowledgements of the written ones. Records `export` and `acknowledgements` in sync status.
pub async fn export(store: &Store, source: &str, connector: &dyn Connector, batch: usize) -> Result<ExportReport, SyncError> {
    let mut run = SyncRun::new(OffsetDateTime::now_utc());
    let result = write_pending(store, source, connector, batch, &mut run).await;
    run.finished_at = OffsetDateTime::now_utc();
    if let Err(e) = &result {
        run.failure = Some(e.to_string());
    }
    store.record_sync_run(source, "export", &run).await?;
    let (queued, written) = result?;

    let mut ack_run = SyncRun::new(OffsetDateTime::now_utc());
    let result = read_acknowledgements(store, source, connector, batch, &mut ack_run).await;
    ack_run.finished_at = OffsetDateTime::now_utc();
    if let Err(e) = &result {
        ack_run.failure = Some(e.to_string());
    }
    store.record_sync_run(source, "acknowledgements", &ack_run).await?;
    let (accepted, rejected) = result?;
    Ok(ExportReport { queued, written, accepted, rejected })
}

async fn write_pending(
    store: &Store,
    source: &str,
    connector: &dyn Connector,
    batch: usize,
    run: &mut SyncRun,
) -> Result<(usize, usize), SyncError> {
    let queued = queue_payments(store).await?;
    let limit = u64::try_from(batch.max(1)).unwrap_or(500);
    let mut written = 0;
    loop {
        let pending = store.exports(source, &[EXPORT_PENDING], limit).await?;
        if pending.is_empty() {
            break;
        }
        let mut rows = Vec::with_capacity(pending.len());
        for e in &pending {
            match portal_payment(store, source, e.payment_id).await? {
                Some(row) => rows.push(row),
                None => {
                    run.errors += 1;
                    run.last_rejection = Some(format!(
                        "payment {} cannot be exported to {source} (not booked, or the taxpayer is unknown there)",
                        e.payment_id
                    ));
                }
            }
        }
        run.rows_read += i64::try_from(pending.len()).unwrap_or(0);
        let done = if rows.is_empty() { Vec::new() } else { connector.write_payments(&rows).await? };
        store.mark_exports_written(source, &done, OffsetDateTime::now_utc()).await?;
        written += done.len();
        run.rows_changed += i64::try_from(done.len()).unwrap_or(0);
        if done.is_empty() || pending.len() < batch.max(1) {
            break;
        }
    }
    Ok((queued, written))
}

async fn read_acknowledgements(
    store: &Store,
    source: &str,
    connector: &dyn Connector,
    batch: usize,
    run: &mut SyncRun,
) -> Result<(usize, usize), SyncError> {
    let written = store.exports(source, &[EXPORT_WRITTEN], 10_000).await?;
    let (mut accepted, mut rejected) = (0, 0);
    for chunk in written.chunks(batch.max(1)) {
        let ids: Vec<Uuid> = chunk.iter().map(|e| e.payment_id).collect();
        let acks = connector.acknowledgements(&ids).await?;
        run.rows_read += i64::try_from(acks.len()).unwrap_or(0);
        for ack in acks {
            let ok = ack.accepted();
            let changed = store
                .acknowledge_export(
                    source,
                    &ExportAck {
                        payment_id: ack.portal_payment_id,
                        accepted: ok,
                        at: ack.acknowledged_at,
                        message: ack.ack_message.clone(),
                        domain_payment_id: ack.domain_payment_source_id.clone(),
                    },
                )
                .await?;
            if changed {
                run.rows_changed += 1;
                if ok {
                    accepted += 1;
                } else {
                    rejected += 1;
                    run.errors += 1;
                    run.last_rejection = Some(format!(
                        "payment {} rejected by {source}: {}",
                        ack.portal_payment_id,
                        ack.ack_message.as_deref().unwrap_or("no reason given")
                    ));
                }
            }
        }
    }
    Ok((accepted, rejected))
}
