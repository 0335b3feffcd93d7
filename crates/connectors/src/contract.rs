//! The integration contract (docs/integration-contract.md), version 1.0, as Rust types: what a
//! domain system exposes, one row type per view, and what the portal writes back.
//!
//! Field names are the contract's column names; the file connector reads and writes them as JSON
//! (amounts as decimal strings, dates as `YYYY-MM-DD`, instants as RFC 3339), the MS SQL connector
//! maps the views' columns to the same types.

use domain::Amount;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

/// The contract version this build implements. A source with another major version is refused;
/// a higher minor version only adds columns, which are ignored.
pub const CONTRACT_MAJOR: i32 = 1;
pub const CONTRACT_MINOR: i32 = 0;

/// A contract version as a source reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContractVersion {
    pub major: i32,
    pub minor: i32,
}

impl ContractVersion {
    pub const CURRENT: ContractVersion = ContractVersion { major: CONTRACT_MAJOR, minor: CONTRACT_MINOR };

    pub fn is_supported(self) -> bool {
        self.major == CONTRACT_MAJOR
    }
}

impl std::fmt::Display for ContractVersion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}", self.major, self.minor)
    }
}

/// The views a domain system exposes, in the order a sync reads them (parents before children).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Entity {
    Taxpayers,
    Obligations,
    BasisItems,
    Installments,
    Documents,
    ReminderCosts,
    Payments,
    PaymentAllocations,
}

impl Entity {
    pub const ALL: [Entity; 8] = [
        Entity::Taxpayers,
        Entity::Obligations,
        Entity::BasisItems,
        Entity::Installments,
        Entity::Documents,
        Entity::ReminderCosts,
        Entity::Payments,
        Entity::PaymentAllocations,
    ];

    /// The view's name (in the `portal` schema) and the file's stem.
    pub fn name(self) -> &'static str {
        match self {
            Entity::Taxpayers => "taxpayers",
            Entity::Obligations => "obligations",
            Entity::BasisItems => "basis_items",
            Entity::Installments => "installments",
            Entity::Documents => "documents",
            Entity::ReminderCosts => "reminder_costs",
            Entity::Payments => "payments",
            Entity::PaymentAllocations => "payment_allocations",
        }
    }

    pub fn parse(name: &str) -> Option<Entity> {
        Entity::ALL.into_iter().find(|e| e.name() == name)
    }
}

/// How far an entity has been read: the last (row_version, source_id) taken. Rows are read in
/// that order, strictly after the watermark, so equal row versions (a modified-at marker) are
/// never split or skipped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Watermark {
    pub row_version: i64,
    pub source_id: String,
}

impl Watermark {
    /// Before every row.
    pub fn start() -> Watermark {
        Watermark { row_version: i64::MIN, source_id: String::new() }
    }

    /// True when (row_version, source_id) comes after this watermark.
    pub fn is_before(&self, row_version: i64, source_id: &str) -> bool {
        (row_version, source_id) > (self.row_version, self.source_id.as_str())
    }
}

/// `portal.taxpayers`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Taxpayer {
    /// `natural` or `legal`.
    pub kind: String,
    pub name: String,
    #[serde(default)]
    pub first_name: Option<String>,
    #[serde(default)]
    pub last_name: Option<String>,
    #[serde(default)]
    pub pesel: Option<String>,
    #[serde(default)]
    pub nip: Option<String>,
    #[serde(default)]
    pub regon: Option<String>,
    pub street: String,
    pub postal_code: String,
    pub city: String,
}

fn standard() -> String {
    "standard".into()
}

fn tax_ordinance() -> String {
    "tax_ordinance".into()
}

/// `portal.obligations`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Obligation {
    pub taxpayer_source_id: String,
    /// `property_tax`, `agricultural_tax`, `forest_tax`, `combined_obligation`, `waste_fee`, `dog_fee`.
    pub kind: String,
    pub year: i32,
    pub title: String,
    pub decision_number: String,
    pub decision_date: Date,
    #[serde(default)]
    pub delivered_date: Option<Date>,
    pub amount: Amount,
    /// `standard`, `reduced`, `increased`.
    #[serde(default = "standard")]
    pub rate_kind: String,
    #[serde(default = "tax_ordinance")]
    pub interest_regime: String,
}

/// `portal.basis_items`: what was taxed, at which rate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BasisItem {
    pub obligation_source_id: String,
    pub position: i32,
    pub category: String,
    #[serde(with = "rust_decimal::serde::str")]
    pub quantity: Decimal,
    pub unit: String,
    #[serde(with = "rust_decimal::serde::str")]
    pub rate: Decimal,
    pub amount: Amount,
    pub resolution: String,
}

/// `portal.installments`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Installment {
    pub obligation_source_id: String,
    pub number: i32,
    pub due_date: Date,
    pub amount: Amount,
}

/// `portal.reminder_costs`: koszty upomnienia (art. 15 § 1 ustawy o postępowaniu egzekucyjnym w
/// administracji) of a reminder delivered to the taxpayer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReminderCost {
    pub taxpayer_source_id: String,
    #[serde(default)]
    pub obligation_source_id: Option<String>,
    pub delivered_date: Date,
    pub amount: Amount,
}

/// `portal.payments`: a payment booked in the domain system — at its cash desk, from a bank
/// statement it reads itself, or its booking of a payment the portal exported (`portal_payment_id`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Payment {
    pub taxpayer_source_id: String,
    /// `cash_desk`, `transfer`, `card`, `portal`, `offset`, `other`.
    pub channel: String,
    /// The legal payment date (art. 60 OP).
    pub payment_date: Date,
    pub booking_date: Date,
    pub amount: Amount,
    #[serde(default)]
    pub payer: Option<String>,
    #[serde(default)]
    pub reference: Option<String>,
    #[serde(default)]
    pub indicated_obligation_source_id: Option<String>,
    #[serde(default)]
    pub portal_payment_id: Option<Uuid>,
}

/// `portal.payment_allocations`: one line of how the domain system booked a payment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentAllocation {
    pub payment_source_id: String,
    pub position: i32,
    #[serde(default)]
    pub installment_source_id: Option<String>,
    /// The line pays reminder costs (`reminder_costs.source_id`).
    #[serde(default)]
    pub reminder_cost_source_id: Option<String>,
    #[serde(default)]
    pub principal: Amount,
    #[serde(default)]
    pub interest: Amount,
    #[serde(default)]
    pub reminder_costs: Amount,
    #[serde(default)]
    pub overpayment: Amount,
}

/// `portal.documents`: a decision or another document of an obligation, by archive reference or
/// with its bytes (`content`; in files `content_base64`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Document {
    pub obligation_source_id: String,
    /// `decision`, `reminder`, …
    pub kind: String,
    pub file_name: String,
    pub media_type: String,
    #[serde(default)]
    pub archive_reference: Option<String>,
    #[serde(default)]
    pub sha256: Option<String>,
    #[serde(default, skip)]
    pub content: Option<Vec<u8>>,
}

/// One row of one view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Row {
    Taxpayer(Taxpayer),
    Obligation(Obligation),
    BasisItem(BasisItem),
    Installment(Installment),
    Document(Document),
    ReminderCost(ReminderCost),
    Payment(Payment),
    PaymentAllocation(PaymentAllocation),
}

/// What a changed row says.
#[derive(Debug, Clone, PartialEq, Eq)]
#[allow(clippy::large_enum_variant, reason = "almost every change is an upsert: boxing would cost an allocation per row")]
pub enum Payload {
    /// The row as it is now (new or corrected).
    Upsert(Row),
    /// The row was deleted (`is_deleted = 1`).
    Delete,
    /// The row cannot be taken as it is (e.g. an amount with a third decimal place): the reason.
    /// It is recorded as rejected until the domain system corrects it.
    Invalid(String),
}

/// One changed row read from a view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub source_id: String,
    pub row_version: i64,
    pub modified_at: Option<OffsetDateTime>,
    pub payload: Payload,
}

/// One line of the portal's allocation of a payment it exports (for the domain system's
/// information: it books the payment by its own rules).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PortalAllocationLine {
    pub installment_source_id: Option<String>,
    pub principal: Amount,
    pub interest: Amount,
    pub reminder_costs: Amount,
    pub overpayment: Amount,
}

/// A row of `portal.portal_payments`, as the portal writes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PortalPayment {
    pub portal_payment_id: Uuid,
    pub taxpayer_source_id: String,
    /// `online`, `transfer`, `cash`, …: the payment's source in the portal.
    pub channel: String,
    pub payment_date: Date,
    pub booking_date: Option<Date>,
    pub amount: Amount,
    pub payer: Option<String>,
    pub reference: Option<String>,
    pub indicated_obligation_source_id: Option<String>,
    pub gateway_transaction_id: Option<String>,
    pub portal_allocation: Vec<PortalAllocationLine>,
    #[serde(with = "time::serde::rfc3339")]
    pub exported_at: OffsetDateTime,
}

/// The domain system's acknowledgement of one exported payment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Acknowledgement {
    pub portal_payment_id: Uuid,
    /// `accepted` or `rejected`.
    pub ack_status: String,
    #[serde(with = "time::serde::rfc3339")]
    pub acknowledged_at: OffsetDateTime,
    #[serde(default)]
    pub ack_message: Option<String>,
    #[serde(default)]
    pub domain_payment_source_id: Option<String>,
}

impl Acknowledgement {
    pub fn accepted(&self) -> bool {
        self.ack_status.eq_ignore_ascii_case("accepted")
    }
}

/// Parses the entity-specific part of a row from its JSON object (the file connector, and tests).
pub fn row_from_json(entity: Entity, value: serde_json::Value) -> Result<Row, String> {
    fn parse<T: serde::de::DeserializeOwned>(value: serde_json::Value) -> Result<T, String> {
        serde_json::from_value(value).map_err(|e| e.to_string())
    }
    Ok(match entity {
        Entity::Taxpayers => Row::Taxpayer(parse(value)?),
        Entity::Obligations => Row::Obligation(parse(value)?),
        Entity::BasisItems => Row::BasisItem(parse(value)?),
        Entity::Installments => Row::Installment(parse(value)?),
        Entity::ReminderCosts => Row::ReminderCost(parse(value)?),
        Entity::Payments => Row::Payment(parse(value)?),
        Entity::PaymentAllocations => Row::PaymentAllocation(parse(value)?),
        Entity::Documents => {
            let content = match value.get("content_base64") {
                Some(serde_json::Value::String(text)) => Some(base64_decode(text)?),
                _ => None,
            };
            let mut document: Document = parse(value)?;
            document.content = content;
            Row::Document(document)
        }
    })
}

/// The JSON object of a row (without the change columns).
pub fn row_to_json(row: &Row) -> Result<serde_json::Value, String> {
    let value = match row {
        Row::Taxpayer(r) => serde_json::to_value(r),
        Row::Obligation(r) => serde_json::to_value(r),
        Row::BasisItem(r) => serde_json::to_value(r),
        Row::Installment(r) => serde_json::to_value(r),
        Row::ReminderCost(r) => serde_json::to_value(r),
        Row::Payment(r) => serde_json::to_value(r),
        Row::PaymentAllocation(r) => serde_json::to_value(r),
        Row::Document(r) => {
            let mut value = serde_json::to_value(r).map_err(|e| e.to_string())?;
            if let (Some(content), Some(object)) = (&r.content, value.as_object_mut()) {
                object.insert("content_base64".into(), serde_json::Value::String(base64_encode(content)));
            }
            Ok(value)
        }
    };
    value.map_err(|e| e.to_string())
}

/// A change as one JSON Lines object: the change columns and the row's columns.
pub fn change_to_json(change: &Change) -> Result<serde_json::Value, String> {
    let mut object = match &change.payload {
        Payload::Upsert(row) => match row_to_json(row)? {
            serde_json::Value::Object(map) => map,
            _ => return Err("a row is not a JSON object".into()),
        },
        Payload::Delete => serde_json::Map::new(),
        Payload::Invalid(reason) => return Err(format!("an invalid row cannot be written: {reason}")),
    };
    object.insert("source_id".into(), change.source_id.clone().into());
    object.insert("row_version".into(), change.row_version.into());
    object.insert("is_deleted".into(), matches!(change.payload, Payload::Delete).into());
    if let Some(at) = change.modified_at {
        let text = at.format(&time::format_description::well_known::Rfc3339).map_err(|e| e.to_string())?;
        object.insert("modified_at".into(), text.into());
    }
    Ok(serde_json::Value::Object(object))
}

const BASE64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Standard base64 with padding (documents' bytes in JSON Lines).
pub fn base64_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], chunk.get(1).copied().unwrap_or(0), chunk.get(2).copied().unwrap_or(0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(BASE64[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

pub fn base64_decode(text: &str) -> Result<Vec<u8>, String> {
    let clean: Vec<u8> = text.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
    if !clean.len().is_multiple_of(4) {
        return Err("content_base64: the length is not a multiple of 4".into());
    }
    let mut out = Vec::with_capacity(clean.len() / 4 * 3);
    for chunk in clean.chunks(4) {
        let mut n = 0u32;
        let mut pad = 0;
        for &c in chunk {
            let v = match c {
                b'=' => {
                    pad += 1;
                    0
                }
                _ if pad > 0 => return Err("content_base64: data after padding".into()),
                _ => BASE64.iter().position(|&x| x == c).ok_or("content_base64: not base64")? as u32,
            };
            n = (n << 6) | v;
        }
        let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
        out.extend_from_slice(&bytes[..3 - pad.min(2)]);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_round_trips() {
        for input in [&b""[..], b"f", b"fo", b"foo", b"foob", b"fooba", b"foobar", &[0, 255, 128, 7]] {
            let text = base64_encode(input);
            assert_eq!(base64_decode(&text).unwrap(), input, "{text}");
        }
        assert_eq!(base64_encode(b"foobar"), "Zm9vYmFy");
        assert_eq!(base64_encode(b"fo"), "Zm8=");
        assert!(base64_decode("Zm8").is_err());
        assert!(base64_decode("Z=9v").is_err());
    }

    #[test]
    fn watermark_orders_by_version_then_id() {
        let w = Watermark { row_version: 10, source_id: "B".into() };
        assert!(w.is_before(11, "A"));
        assert!(w.is_before(10, "C"));
        assert!(!w.is_before(10, "B"));
        assert!(!w.is_before(9, "Z"));
        assert!(Watermark::start().is_before(i64::MIN, "a"));
    }

    #[test]
    fn rows_parse_exactly_and_reject_a_third_decimal_place() {
        let ok = serde_json::json!({"obligation_source_id": "D1", "number": 1, "due_date": "2026-03-16", "amount": "103.10"});
        let Row::Installment(i) = row_from_json(Entity::Installments, ok).unwrap() else { panic!("installment") };
        assert_eq!(i.amount.grosze(), 10_310);
        let bad = serde_json::json!({"obligation_source_id": "D1", "number": 1, "due_date": "2026-03-16", "amount": "103.105"});
        assert!(row_from_json(Entity::Installments, bad).unwrap_err().contains("amount"));
        let float = serde_json::json!({"obligation_source_id": "D1", "number": 1, "due_date": "2026-03-16", "amount": 103.1});
        assert!(row_from_json(Entity::Installments, float).is_err(), "amounts are strings, never floats");
    }

    #[test]
    fn a_change_round_trips_through_json() {
        let change = Change {
            source_id: "DOC-1".into(),
            row_version: 42,
            modified_at: None,
            payload: Payload::Upsert(Row::Document(Document {
                obligation_source_id: "D1".into(),
                kind: "decision".into(),
                file_name: "decyzja.pdf".into(),
                media_type: "application/pdf".into(),
                archive_reference: None,
                sha256: None,
                content: Some(b"%PDF-1.4 \xc5\x81".to_vec()),
            })),
        };
        let json = change_to_json(&change).unwrap();
        assert_eq!(json["is_deleted"], false);
        let Row::Document(d) = row_from_json(Entity::Documents, json).unwrap() else { panic!("document") };
        assert_eq!(Payload::Upsert(Row::Document(d)), change.payload);
        assert_eq!(Entity::parse("payment_allocations"), Some(Entity::PaymentAllocations));
    }
}
