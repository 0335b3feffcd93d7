//! The demo's data goes the real way: the generator plays the municipality's domain system and
//! writes its taxpayers, decisions, installments, reminder costs and historical payments (with
//! their bookings) as integration-contract files (docs/integration-contract.md, JSON Lines); the
//! file connector imports them like any other source. The source `demo` does not own the
//! bookings (standalone mode: the portal's own allocation of a new payment is final) and takes no
//! exported payments.
//!
//! Source ids: an obligation keeps the demo's `{number}/{year}/{kind}`; every other row is keyed
//! by the generator's own (deterministic) id.

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use connectors::contract::{self as c, Change, Entity, Payload, Row, change_to_json};
use store::entities::{allocation, basis_item, document, installment, obligation, payment, reminder_cost, taxpayer};
use uuid::Uuid;

use crate::DemoError;

/// The demo's source in the portal.
pub const SOURCE: &str = "demo";

fn io(path: &Path, e: impl std::fmt::Display) -> DemoError {
    DemoError::Rule(format!("demo exchange files, {}: {e}", path.display()))
}

fn amount(grosze: i64) -> Result<domain::Amount, DemoError> {
    domain::Amount::from_grosze(grosze).map_err(|e| DemoError::Rule(e.to_string()))
}

/// Writes the contract files, one line per row, in one increasing row_version.
pub(crate) struct Exchange {
    dir: PathBuf,
    writers: HashMap<Entity, BufWriter<File>>,
    version: i64,
    /// Obligation id → its source id.
    obligations: HashMap<Uuid, String>,
}

impl Exchange {
    pub(crate) fn create(dir: &Path) -> Result<Exchange, DemoError> {
        std::fs::create_dir_all(dir).map_err(|e| io(dir, e))?;
        let mut writers = HashMap::new();
        for entity in Entity::ALL {
            let path = dir.join(format!("{}.jsonl", entity.name()));
            writers.insert(entity, BufWriter::new(File::create(&path).map_err(|e| io(&path, e))?));
        }
        Ok(Exchange { dir: dir.to_path_buf(), writers, version: 0, obligations: HashMap::new() })
    }

    pub(crate) fn dir(&self) -> &Path {
        &self.dir
    }

    fn push(&mut self, entity: Entity, source_id: String, row: Row) -> Result<(), DemoError> {
        self.version += 1;
        let change = Change { source_id, row_version: self.version, modified_at: None, payload: Payload::Upsert(row) };
        let line = change_to_json(&change).map_err(DemoError::Rule)?;
        let dir = self.dir.clone();
        let writer = self.writers.get_mut(&entity).ok_or_else(|| DemoError::Rule(format!("no file for {}", entity.name())))?;
        writeln!(writer, "{line}").map_err(|e| io(&dir, e))
    }

    fn obligation_source(&self, id: Uuid) -> Result<String, DemoError> {
        self.obligations.get(&id).cloned().ok_or_else(|| DemoError::Rule(format!("obligation {id} was not written")))
    }

    pub(crate) fn taxpayer(&mut self, t: &taxpayer::Model) -> Result<(), DemoError> {
        let row = Row::Taxpayer(c::Taxpayer {
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
        });
        self.push(Entity::Taxpayers, t.id.to_string(), row)
    }

    pub(crate) fn obligation(&mut self, o: &obligation::Model) -> Result<(), DemoError> {
        self.obligations.insert(o.id, o.source_id.clone());
        let row = Row::Obligation(c::Obligation {
            taxpayer_source_id: o.taxpayer_id.to_string(),
            kind: o.kind.clone(),
            year: o.year,
            title: o.title.clone(),
            decision_number: o.decision_number.clone(),
            decision_date: o.decision_date,
            delivered_date: o.delivered_date,
            amount: amount(o.amount_grosze)?,
            rate_kind: o.rate_kind.clone(),
            interest_regime: o.interest_regime.clone(),
        });
        self.push(Entity::Obligations, o.source_id.clone(), row)
    }

    pub(crate) fn basis_item(&mut self, b: &basis_item::Model) -> Result<(), DemoError> {
        let decimal = |text: &str| text.parse().map_err(|e| DemoError::Rule(format!("basis item {text:?}: {e}")));
        let row = Row::BasisItem(c::BasisItem {
            obligation_source_id: self.obligation_source(b.obligation_id)?,
            position: b.position,
            category: b.category.clone(),
            quantity: decimal(&b.quantity)?,
            unit: b.unit.clone(),
            rate: decimal(&b.rate)?,
            amount: amount(b.amount_grosze)?,
            resolution: b.resolution.clone(),
        });
        self.push(Entity::BasisItems, b.id.to_string(), row)
    }

    pub(crate) fn installment(&mut self, i: &installment::Model) -> Result<(), DemoError> {
        let row = Row::Installment(c::Installment {
            obligation_source_id: self.obligation_source(i.obligation_id)?,
            number: i.number,
            due_date: i.due_date,
            amount: amount(i.amount_grosze)?,
        });
        self.push(Entity::Installments, i.id.to_string(), row)
    }

    pub(crate) fn document(&mut self, d: &document::Model) -> Result<(), DemoError> {
        let row = Row::Document(c::Document {
            obligation_source_id: self.obligation_source(d.obligation_id)?,
            kind: d.kind.clone(),
            file_name: d.file_name.clone(),
            media_type: d.media_type.clone(),
            archive_reference: d.reference.clone(),
            sha256: None,
            content: d.content.clone(),
        });
        self.push(Entity::Documents, d.id.to_string(), row)
    }

    pub(crate) fn reminder_cost(&mut self, r: &reminder_cost::Model) -> Result<(), DemoError> {
        let row = Row::ReminderCost(c::ReminderCost {
            taxpayer_source_id: r.taxpayer_id.to_string(),
            obligation_source_id: r.obligation_id.map(|o| self.obligation_source(o)).transpose()?,
            delivered_date: r.delivered,
            amount: amount(r.amount_grosze)?,
        });
        self.push(Entity::ReminderCosts, r.id.to_string(), row)
    }

    /// A historical payment, as the domain system booked it (at its cash desk, from its bank
    /// statement, or an online payment it took over).
    pub(crate) fn payment(&mut self, p: &payment::Model) -> Result<(), DemoError> {
        let channel = match p.source.as_str() {
            "cash" => "cash_desk",
            "online" => "portal",
            _ => "transfer",
        };
        let day = p.payment_date.ok_or_else(|| DemoError::Rule(format!("payment {} without a date", p.id)))?;
        let row = Row::Payment(c::Payment {
            taxpayer_source_id: p.taxpayer_id.to_string(),
            channel: channel.into(),
            payment_date: day,
            booking_date: p.booking_date.unwrap_or(day),
            amount: amount(p.amount_grosze)?,
            payer: p.payer.clone(),
            reference: p.reference.clone(),
            indicated_obligation_source_id: p.indicated_obligation_id.map(|o| self.obligation_source(o)).transpose()?,
            portal_payment_id: None,
        });
        self.push(Entity::Payments, p.id.to_string(), row)
    }

    pub(crate) fn allocation(&mut self, a: &allocation::Model) -> Result<(), DemoError> {
        let row = Row::PaymentAllocation(c::PaymentAllocation {
            payment_source_id: a.payment_id.to_string(),
            position: a.position,
            installment_source_id: a.installment_id.map(|i| i.to_string()),
            reminder_cost_source_id: a.reminder_cost_id.map(|r| r.to_string()),
            principal: amount(a.principal_grosze)?,
            interest: amount(a.interest_grosze)?,
            reminder_costs: amount(a.reminder_costs_grosze)?,
            overpayment: amount(a.overpayment_grosze)?,
        });
        self.push(Entity::PaymentAllocations, a.id.to_string(), row)
    }

    /// Flushes the files and writes `contract.json`.
    pub(crate) fn finish(mut self) -> Result<PathBuf, DemoError> {
        for (entity, mut writer) in self.writers.drain() {
            writer.flush().map_err(|e| io(&self.dir, format!("{}: {e}", entity.name())))?;
        }
        connectors::file::write_contract(&self.dir).map_err(|e| DemoError::Rule(e.to_string()))?;
        Ok(self.dir)
    }
}

/// Imports the files through the file connector (standalone source `demo`); returns the portal's
/// ids of the demo's taxpayers by the generator's ids.
pub(crate) async fn import(store: &store::Store, dir: &Path, taxpayers: &[Uuid]) -> Result<HashMap<Uuid, Uuid>, DemoError> {
    let mut config = connectors::config::SourceConfig::file(SOURCE, dir);
    config.owns_bookings = false;
    config.export_payments = false;
    config.batch_size = 5_000;
    connectors::sync::register_source(store, &config, Some(c::ContractVersion::CURRENT.to_string())).await?;
    let connector = connectors::file::FileConnector::new(dir);
    let options = connectors::sync::ImportOptions { batch_size: config.batch_size, ..Default::default() };
    let report =
        connectors::sync::import(store, SOURCE, &connector, &options).await.map_err(|e| DemoError::Rule(format!("demo import: {e}")))?;
    if report.errors() > 0 {
        let reasons: Vec<String> = report.entities.iter().filter_map(|(_, r)| r.last_rejection.clone()).collect();
        return Err(DemoError::Rule(format!("the demo's own files were rejected: {}", reasons.join("; "))));
    }
    let ids: Vec<String> = taxpayers.iter().map(Uuid::to_string).collect();
    let keys = store::sync::keys_in(store.db(), SOURCE, Entity::Taxpayers.name(), &ids).await?;
    taxpayers
        .iter()
        .map(|t| {
            keys.get(&t.to_string())
                .map(|k| (*t, k.local_id))
                .ok_or_else(|| DemoError::Rule(format!("taxpayer {t} did not arrive through the import")))
        })
        .collect()
}
