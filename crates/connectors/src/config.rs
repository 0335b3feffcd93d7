//! Which domain systems the portal is connected to: read once at start from
//! `NALEZNOSCI_CONNECTORS` (a JSON array, or `@/path/to/file.json`). Unset or empty: standalone
//! mode (no domain system; the portal's own allocation of a payment is final).
//!
//! ```json
//! [{"name": "fk", "kind": "mssql",
//!   "connection": "server=tcp:mssql,1433;database=domena;user=naleznosci;password=…;encrypt=true",
//!   "owns_bookings": true, "import_every_seconds": 300, "export_every_seconds": 60},
//!  {"name": "odpady", "kind": "file", "dir": "/var/lib/naleznosci/exchange/odpady"}]
//! ```

use std::path::PathBuf;
use std::sync::Arc;

use serde::Deserialize;

use crate::{Connector, ConnectorError};

pub const ENV: &str = "NALEZNOSCI_CONNECTORS";

/// How a source marks changed rows (the contract's `row_version`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Marker {
    /// `CAST(rowversion AS BIGINT)`: rows below `MIN_ACTIVE_ROWVERSION()` are read.
    #[default]
    Rowversion,
    /// Derived from `modified_at`: rows modified more than `lag_seconds` ago are read.
    ModifiedAt,
}

#[derive(Clone, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SourceKind {
    /// An ADO.NET connection string (`server=tcp:host,1433;database=…;user=…;password=…;
    /// encrypt=true;TrustServerCertificate=false`).
    Mssql {
        connection: String,
        #[serde(default = "pool_size")]
        pool_size: usize,
        #[serde(default)]
        marker: Marker,
        #[serde(default = "lag_seconds")]
        lag_seconds: i64,
    },
    /// A folder of JSON Lines files in the contract.
    File { dir: PathBuf },
}

impl std::fmt::Debug for SourceKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            // The connection string carries the password.
            SourceKind::Mssql { connection, pool_size, marker, lag_seconds } => f
                .debug_struct("Mssql")
                .field("connection", &redact(connection))
                .field("pool_size", pool_size)
                .field("marker", marker)
                .field("lag_seconds", lag_seconds)
                .finish(),
            SourceKind::File { dir } => f.debug_struct("File").field("dir", dir).finish(),
        }
    }
}

/// An ADO connection string without its password.
pub fn redact(connection: &str) -> String {
    connection
        .split(';')
        .map(|part| match part.split_once('=') {
            Some((key, _)) if matches!(key.trim().to_ascii_lowercase().as_str(), "password" | "pwd") => format!("{key}=***"),
            _ => part.to_string(),
        })
        .collect::<Vec<_>>()
        .join(";")
}

fn pool_size() -> usize {
    4
}
fn lag_seconds() -> i64 {
    60
}
fn yes() -> bool {
    true
}
fn import_every() -> i64 {
    300
}
fn export_every() -> i64 {
    60
}
fn batch_size() -> usize {
    500
}

/// One connected domain system.
#[derive(Debug, Clone, Deserialize)]
pub struct SourceConfig {
    /// The `source_system` of its rows in the portal; stable (renaming it re-imports everything).
    pub name: String,
    #[serde(flatten)]
    pub kind: SourceKind,
    /// The domain system owns the bookings: the portal's allocation of a payment stays provisional
    /// until its booking comes back. `false` for a source that only feeds data (the demo).
    #[serde(default = "yes")]
    pub owns_bookings: bool,
    /// Export the portal's payments of this source's taxpayers to it.
    #[serde(default = "yes")]
    pub export_payments: bool,
    #[serde(default = "yes")]
    pub enabled: bool,
    #[serde(default = "import_every")]
    pub import_every_seconds: i64,
    #[serde(default = "export_every")]
    pub export_every_seconds: i64,
    #[serde(default = "batch_size")]
    pub batch_size: usize,
}

impl SourceConfig {
    /// A file source with the defaults (tests, the demo).
    pub fn file(name: &str, dir: impl Into<PathBuf>) -> SourceConfig {
        SourceConfig {
            name: name.into(),
            kind: SourceKind::File { dir: dir.into() },
            owns_bookings: true,
            export_payments: true,
            enabled: true,
            import_every_seconds: import_every(),
            export_every_seconds: export_every(),
            batch_size: batch_size(),
        }
    }

    pub fn kind_name(&self) -> &'static str {
        match self.kind {
            SourceKind::Mssql { .. } => "mssql",
            SourceKind::File { .. } => "file",
        }
    }

    /// The connector for this source (an MS SQL pool connects lazily).
    pub fn connector(&self) -> Result<Arc<dyn Connector>, ConnectorError> {
        Ok(match &self.kind {
            SourceKind::Mssql { connection, pool_size, marker, lag_seconds } => {
                Arc::new(crate::mssql::MssqlConnector::new(connection, *pool_size, *marker, *lag_seconds)?)
            }
            SourceKind::File { dir } => Arc::new(crate::file::FileConnector::new(dir)),
        })
    }
}

/// Parses the configuration (the JSON array itself).
pub fn parse(text: &str) -> Result<Vec<SourceConfig>, ConnectorError> {
    const KNOWN: [&str; 13] = [
        "name",
        "kind",
        "connection",
        "pool_size",
        "marker",
        "lag_seconds",
        "dir",
        "owns_bookings",
        "export_payments",
        "enabled",
        "import_every_seconds",
        "export_every_seconds",
        "batch_size",
    ];
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| ConnectorError::Config(format!("{ENV}: {e}")))?;
    // serde cannot deny unknown fields next to a flattened enum: a typo must not pass silently.
    for source in value.as_array().into_iter().flatten() {
        for key in source.as_object().into_iter().flat_map(|o| o.keys()) {
            if !KNOWN.contains(&key.as_str()) {
                return Err(ConnectorError::Config(format!("{ENV}: unknown setting {key:?}")));
            }
        }
    }
    let sources: Vec<SourceConfig> = serde_json::from_value(value).map_err(|e| ConnectorError::Config(format!("{ENV}: {e}")))?;
    let mut names = std::collections::HashSet::new();
    for s in &sources {
        let valid = !s.name.is_empty() && s.name.len() <= 64 && s.name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        if !valid {
            return Err(ConnectorError::Config(format!("{ENV}: source name {:?} (letters, digits, - and _, at most 64)", s.name)));
        }
        if !names.insert(s.name.clone()) {
            return Err(ConnectorError::Config(format!("{ENV}: source {:?} is listed twice", s.name)));
        }
        if s.batch_size == 0 || s.import_every_seconds <= 0 || s.export_every_seconds <= 0 {
            return Err(ConnectorError::Config(format!("{ENV}: source {:?}: batch size and intervals must be positive", s.name)));
        }
    }
    Ok(sources)
}

/// The configuration from the environment: the value itself, or `@path` to a file.
pub fn from_env() -> Result<Vec<SourceConfig>, ConnectorError> {
    let Some(value) = std::env::var(ENV).ok().filter(|v| !v.trim().is_empty()) else {
        return Ok(Vec::new());
    };
    let text = match value.strip_prefix('@') {
        Some(path) => std::fs::read_to_string(path).map_err(|e| ConnectorError::Config(format!("{ENV}: {path}: {e}")))?,
        None => value,
    };
    parse(&text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_sources_with_defaults_and_hides_passwords() {
        let sources = parse(
            r#"[{"name": "fk", "kind": "mssql", "connection": "server=tcp:db,1433;user=u;Password=s3cret;encrypt=true"},
                {"name": "odpady", "kind": "file", "dir": "/x", "owns_bookings": false, "export_every_seconds": 5}]"#,
        )
        .unwrap();
        assert_eq!(sources.len(), 2);
        assert!(sources[0].owns_bookings && sources[0].export_payments);
        assert_eq!((sources[0].import_every_seconds, sources[0].batch_size), (300, 500));
        let debug = format!("{:?}", sources[0]);
        assert!(!debug.contains("s3cret") && debug.contains("Password=***"), "{debug}");
        assert!(!sources[1].owns_bookings);
        assert_eq!(sources[1].export_every_seconds, 5);
        assert_eq!(sources[1].kind_name(), "file");
    }

    #[test]
    fn refuses_bad_configuration() {
        assert!(parse(r#"[{"name": "a b", "kind": "file", "dir": "/x"}]"#).is_err());
        assert!(parse(r#"[{"name": "a", "kind": "file", "dir": "/x"}, {"name": "a", "kind": "file", "dir": "/y"}]"#).is_err());
        assert!(parse(r#"[{"name": "a", "kind": "ftp"}]"#).is_err());
        assert!(parse(r#"[{"name": "a", "kind": "file", "dir": "/x", "batch_size": 0}]"#).is_err());
        assert!(parse(r#"[{"name": "a", "kind": "file", "dir": "/x", "colour": "red"}]"#).is_err());
    }
}
