//! The file connector: the integration contract as JSON Lines files in one folder, for
//! municipalities without SQL access and for the embedded demo.
//!
//! ```text
//! contract.json               {"major": 1, "minor": 0}                       (domain system)
//! taxpayers.jsonl … documents.jsonl, payments.jsonl, payment_allocations.jsonl (domain system)
//! portal_payments.jsonl       the portal's payments, appended once each      (portal)
//! acknowledgements.jsonl      {"portal_payment_id", "ack_status", …}          (domain system)
//! ```
//!
//! Every line of a view's file is one row with the change columns (`source_id`, `row_version`,
//! `is_deleted`, optional `modified_at`) and the view's columns. A file may be rewritten whole or
//! appended to (a correction is a line with a higher `row_version`); the domain system replaces a
//! file atomically (write a temporary file, then rename it). A missing file is an empty view.

use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use uuid::Uuid;

use crate::contract::{Acknowledgement, Change, ContractVersion, Entity, Payload, PortalPayment, Watermark, change_to_json, row_from_json};
use crate::{Connector, ConnectorError};

pub const CONTRACT_FILE: &str = "contract.json";
pub const PORTAL_PAYMENTS_FILE: &str = "portal_payments.jsonl";
pub const ACKNOWLEDGEMENTS_FILE: &str = "acknowledgements.jsonl";

/// A view's file parsed once per version of the file (its size and modification time).
#[derive(Debug)]
struct Parsed {
    stamp: (u64, Option<SystemTime>),
    /// Sorted by (row_version, source_id).
    changes: Arc<Vec<Change>>,
}

#[derive(Debug)]
pub struct FileConnector {
    dir: PathBuf,
    cache: Mutex<HashMap<Entity, Parsed>>,
}

fn io(path: &Path, e: impl std::fmt::Display) -> ConnectorError {
    ConnectorError::Io(format!("{}: {e}", path.display()))
}

impl FileConnector {
    pub fn new(dir: impl Into<PathBuf>) -> FileConnector {
        FileConnector { dir: dir.into(), cache: Mutex::new(HashMap::new()) }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn view_path(&self, entity: Entity) -> PathBuf {
        self.dir.join(format!("{}.jsonl", entity.name()))
    }

    /// All changes of a view, sorted, parsed again only when the file changed.
    fn changes(&self, entity: Entity) -> Result<Arc<Vec<Change>>, ConnectorError> {
        let path = self.view_path(entity);
        let stamp = match std::fs::metadata(&path) {
            Ok(m) => (m.len(), m.modified().ok()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Arc::new(Vec::new())),
            Err(e) => return Err(io(&path, e)),
        };
        if let Ok(cache) = self.cache.lock()
            && let Some(parsed) = cache.get(&entity)
            && parsed.stamp == stamp
        {
            return Ok(parsed.changes.clone());
        }
        let text = std::fs::read_to_string(&path).map_err(|e| io(&path, e))?;
        let mut changes = parse_view(entity, &text).map_err(|e| io(&path, e))?;
        changes.sort_by(|a, b| (a.row_version, &a.source_id).cmp(&(b.row_version, &b.source_id)));
        let changes = Arc::new(changes);
        if let Ok(mut cache) = self.cache.lock() {
            cache.insert(entity, Parsed { stamp, changes: changes.clone() });
        }
        Ok(changes)
    }
}

/// Parses a view's JSON Lines. A line that is not a JSON object with `source_id` and
/// `row_version` fails the whole file (it cannot be tracked); a row whose columns do not follow
/// the contract becomes an [`Payload::Invalid`] change.
pub fn parse_view(entity: Entity, text: &str) -> Result<Vec<Change>, String> {
    let mut out = Vec::new();
    for (number, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let at = number + 1;
        let value: serde_json::Value = serde_json::from_str(line).map_err(|e| format!("line {at}: {e}"))?;
        let serde_json::Value::Object(mut object) = value else {
            return Err(format!("line {at}: not a JSON object"));
        };
        let source_id = match object.remove("source_id") {
            Some(serde_json::Value::String(s)) if !s.is_empty() && s.len() <= 64 => s,
            _ => return Err(format!("line {at}: source_id must be a non-empty string of at most 64 characters")),
        };
        let row_version =
            object.remove("row_version").and_then(|v| v.as_i64()).ok_or_else(|| format!("line {at}: row_version must be an integer"))?;
        let deleted = match object.remove("is_deleted") {
            None | Some(serde_json::Value::Null) => false,
            Some(serde_json::Value::Bool(b)) => b,
            Some(serde_json::Value::Number(n)) => n.as_i64() == Some(1),
            Some(_) => return Err(format!("line {at}: is_deleted must be a boolean")),
        };
        let modified_at = match object.remove("modified_at") {
            Some(serde_json::Value::String(s)) => time::OffsetDateTime::parse(&s, &time::format_description::well_known::Rfc3339).ok(),
            _ => None,
        };
        let payload = if deleted {
            Payload::Delete
        } else {
            match row_from_json(entity, serde_json::Value::Object(object)) {
                Ok(row) => Payload::Upsert(row),
                Err(reason) => Payload::Invalid(reason),
            }
        };
        out.push(Change { source_id, row_version, modified_at, payload });
    }
    Ok(out)
}

/// Writes a view's file atomically (the demo and tests play the domain system with it).
pub fn write_view(dir: &Path, entity: Entity, changes: &[Change]) -> Result<(), ConnectorError> {
    let mut text = String::new();
    for change in changes {
        let json = change_to_json(change).map_err(ConnectorError::Contract)?;
        text.push_str(&json.to_string());
        text.push('\n');
    }
    write_atomically(&dir.join(format!("{}.jsonl", entity.name())), text.as_bytes())
}

/// Writes `contract.json` for this build's contract version.
pub fn write_contract(dir: &Path) -> Result<(), ConnectorError> {
    let text = serde_json::to_string(&ContractVersion::CURRENT).map_err(|e| ConnectorError::Contract(e.to_string()))?;
    write_atomically(&dir.join(CONTRACT_FILE), text.as_bytes())
}

/// Temporary file in the same folder, then rename: readers see the old file or the new one.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), ConnectorError> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| io(parent, e))?;
    }
    let tmp = path.with_extension(format!("tmp-{}", Uuid::new_v4().simple()));
    let result = (|| {
        let mut file = std::fs::File::create(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result.map_err(|e| io(path, e))
}

/// Lines of a JSON Lines file as values (missing file: none).
fn read_lines<T: serde::de::DeserializeOwned>(path: &Path) -> Result<Vec<T>, ConnectorError> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(io(path, e)),
    };
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(n, l)| serde_json::from_str(l).map_err(|e| io(path, format!("line {}: {e}", n + 1))))
        .collect()
}

#[async_trait::async_trait]
impl Connector for FileConnector {
    fn kind(&self) -> &'static str {
        "file"
    }

    async fn contract_version(&self) -> Result<ContractVersion, ConnectorError> {
        let path = self.dir.join(CONTRACT_FILE);
        let text = tokio::fs::read_to_string(&path).await.map_err(|e| io(&path, e))?;
        serde_json::from_str(&text).map_err(|e| ConnectorError::Contract(format!("{}: {e}", path.display())))
    }

    async fn read(&self, entity: Entity, after: &Watermark, limit: usize) -> Result<Vec<Change>, ConnectorError> {
        let changes = self.changes(entity)?;
        let start = changes.partition_point(|c| !after.is_before(c.row_version, &c.source_id));
        Ok(changes.iter().skip(start).take(limit).cloned().collect())
    }

    async fn write_payments(&self, payments: &[PortalPayment]) -> Result<Vec<Uuid>, ConnectorError> {
        let path = self.dir.join(PORTAL_PAYMENTS_FILE);
        let present: HashSet<Uuid> =
            read_lines::<serde_json::Value>(&path)?.iter().filter_map(|v| v["portal_payment_id"].as_str()?.parse().ok()).collect();
        let mut text = String::new();
        let mut written = HashSet::new();
        for p in payments.iter().filter(|p| !present.contains(&p.portal_payment_id)) {
            if written.insert(p.portal_payment_id) {
                text.push_str(&serde_json::to_string(p).map_err(|e| ConnectorError::Contract(e.to_string()))?);
                text.push('\n');
            }
        }
        if !text.is_empty() {
            std::fs::create_dir_all(&self.dir).map_err(|e| io(&self.dir, e))?;
            let mut file = std::fs::OpenOptions::new().create(true).append(true).open(&path).map_err(|e| io(&path, e))?;
            file.write_all(text.as_bytes()).map_err(|e| io(&path, e))?;
            file.sync_all().map_err(|e| io(&path, e))?;
        }
        Ok(payments.iter().map(|p| p.portal_payment_id).filter(|id| present.contains(id) || written.contains(id)).collect())
    }

    async fn acknowledgements(&self, payment_ids: &[Uuid]) -> Result<Vec<Acknowledgement>, ConnectorError> {
        let wanted: HashSet<&Uuid> = payment_ids.iter().collect();
        let mut latest: HashMap<Uuid, Acknowledgement> = HashMap::new();
        for ack in read_lines::<Acknowledgement>(&self.dir.join(ACKNOWLEDGEMENTS_FILE))? {
            if wanted.contains(&ack.portal_payment_id) {
                latest.insert(ack.portal_payment_id, ack);
            }
        }
        let mut out: Vec<Acknowledgement> = latest.into_values().collect();
        out.sort_by_key(|a| a.portal_payment_id);
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contract::Row;

    #[test]
    fn a_view_file_parses_with_tombstones_and_invalid_rows() {
        let text = r#"
{"source_id": "R-2", "row_version": 7, "obligation_source_id": "D-1", "number": 2, "due_date": "2026-05-15", "amount": "102.00"}
{"source_id": "R-1", "row_version": 5, "is_deleted": true}
{"source_id": "R-3", "row_version": 9, "obligation_source_id": "D-1", "number": 3, "due_date": "2026-09-15", "amount": "-1.00"}
"#;
        let changes = parse_view(Entity::Installments, text).unwrap();
        assert_eq!(changes.len(), 3);
        assert!(matches!(&changes[0].payload, Payload::Upsert(Row::Installment(i)) if i.amount.grosze() == 10_200));
        assert_eq!(changes[1].payload, Payload::Delete);
        assert!(matches!(&changes[2].payload, Payload::Invalid(reason) if reason.contains("amount")));
        assert!(parse_view(Entity::Installments, "{\"row_version\": 1}").unwrap_err().contains("source_id"));
        assert!(parse_view(Entity::Installments, "not json").unwrap_err().contains("line 1"));
    }

    #[tokio::test]
    async fn reads_in_keyset_order_and_sees_a_rewritten_file() {
        let dir = tempfile::tempdir().unwrap();
        let connector = FileConnector::new(dir.path());
        let line = |id: &str, v: i64| format!(r#"{{"source_id": "{id}", "row_version": {v}, "is_deleted": true}}"#);
        std::fs::write(connector.view_path(Entity::Taxpayers), [line("B", 2), line("A", 2), line("C", 1)].join("\n")).unwrap();
        let first = connector.read(Entity::Taxpayers, &Watermark::start(), 2).await.unwrap();
        let ids: Vec<_> = first.iter().map(|c| (c.row_version, c.source_id.as_str())).collect();
        assert_eq!(ids, [(1, "C"), (2, "A")]);
        let after = Watermark { row_version: 2, source_id: "A".into() };
        let rest = connector.read(Entity::Taxpayers, &after, 10).await.unwrap();
        assert_eq!(rest.len(), 1);
        assert_eq!(rest[0].source_id, "B");
        // A correction appended later (new size): seen after the watermark.
        std::fs::write(connector.view_path(Entity::Taxpayers), [line("B", 2), line("A", 2), line("C", 1), line("A", 30)].join("\n"))
            .unwrap();
        let after = Watermark { row_version: 2, source_id: "B".into() };
        let more = connector.read(Entity::Taxpayers, &after, 10).await.unwrap();
        assert_eq!(more.iter().map(|c| c.row_version).collect::<Vec<_>>(), [30]);
        assert!(connector.read(Entity::Payments, &Watermark::start(), 10).await.unwrap().is_empty(), "missing file = empty view");
    }
}
