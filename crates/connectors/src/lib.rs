//! Domain-system connectors (docs/integration-contract.md).
//!
//! The municipality's domain systems (tax accounting, tax assessment, finance) own the
//! obligations; they expose them in the integration contract ([`contract`]) and take back every
//! payment the portal collects. This crate reads and writes that contract:
//!
//! - [`Connector`]: incremental reads by watermark, payment export, acknowledgements;
//!   [`mssql::MssqlConnector`] (tiberius, TDS 7.3+, rustls, a small pool) and
//!   [`file::FileConnector`] (JSON Lines, for municipalities without SQL access and the demo);
//! - [`sync`]: batched upserts of the contract's rows into the portal's store, keyed by
//!   (source system, source id) with the version, corrections and deletions handled;
//! - [`export`]: payment export exactly once, with the acknowledgement read back;
//! - [`worker`]: the background worker that runs both as jobs of the database-backed queue.

pub mod config;
pub mod contract;
pub mod export;
pub mod file;
pub mod mssql;
pub mod sync;
pub mod worker;

use contract::{Acknowledgement, Change, ContractVersion, Entity, PortalPayment, Watermark};
use uuid::Uuid;

/// What can go wrong talking to a domain system (the run fails and is retried with backoff).
#[derive(Debug, thiserror::Error)]
pub enum ConnectorError {
    #[error("cannot reach the domain system: {0}")]
    Connection(String),
    #[error("the domain system answered with an error: {0}")]
    Query(String),
    #[error("the domain system's data does not follow the contract: {0}")]
    Contract(String),
    #[error("file exchange: {0}")]
    Io(String),
    #[error("configuration: {0}")]
    Config(String),
}

/// One domain system, seen through the integration contract.
#[async_trait::async_trait]
pub trait Connector: Send + Sync + std::fmt::Debug {
    /// `mssql` or `file`.
    fn kind(&self) -> &'static str;

    /// The contract version the source implements.
    async fn contract_version(&self) -> Result<ContractVersion, ConnectorError>;

    /// Up to `limit` changed rows of one view strictly after the watermark, in
    /// (row_version, source_id) order. Rows of open transactions are never returned before the
    /// rows that committed earlier (so moving the watermark never skips a row).
    async fn read(&self, entity: Entity, after: &Watermark, limit: usize) -> Result<Vec<Change>, ConnectorError>;

    /// Writes payments to `portal_payments`, each at most once: a payment already there is left
    /// as it is. Returns the ids that are now there (written now or before).
    async fn write_payments(&self, payments: &[PortalPayment]) -> Result<Vec<Uuid>, ConnectorError>;

    /// The acknowledgements the domain system has given for these payments (unacknowledged ones
    /// are simply absent).
    async fn acknowledgements(&self, payment_ids: &[Uuid]) -> Result<Vec<Acknowledgement>, ConnectorError>;
}

/// Errors of a sync or export run.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error(transparent)]
    Connector(#[from] ConnectorError),
    #[error(transparent)]
    Store(#[from] store::StoreError),
    #[error("database error: {0}")]
    Db(#[from] store::sea_orm::DbErr),
    #[error("{0}")]
    Protocol(String),
}
