//! The background worker: claims due jobs from the database-backed queue (safe with several
//! server replicas, see `store::sync`), runs them with their lease renewed, and records the end
//! (a recurring job is queued for its next run; a failure is retried with backoff).
//!
//! Jobs of the integration: `import` (read every view of a source into the store) and `export`
//! (write the portal's payments to a source and read the acknowledgements), one recurring job of
//! each per configured source, keyed `import:<source>` and `export:<source>`.

use std::collections::HashMap;
use std::sync::Arc;

use store::sync::entities::job;
use store::sync::{Finished, NewJob};
use store::{Store, StoreError};
use time::{Duration, OffsetDateTime};
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::config::SourceConfig;
use crate::sync::{ImportOptions, import, register_source};
use crate::{Connector, export};

/// Runs one kind of job.
#[async_trait::async_trait]
pub trait JobHandler: Send + Sync {
    async fn run(&self, job: &job::Model) -> Result<(), String>;
}

/// How the worker polls and leases.
#[derive(Debug, Clone)]
pub struct WorkerOptions {
    /// This worker's name in `locked_by` (host and process, unique per replica).
    pub id: String,
    /// How long to sleep when no job is due.
    pub idle: std::time::Duration,
    /// How long a claim holds without renewal.
    pub lease: Duration,
}

impl WorkerOptions {
    pub fn new(id: impl Into<String>) -> WorkerOptions {
        WorkerOptions { id: id.into(), idle: std::time::Duration::from_secs(2), lease: Duration::minutes(5) }
    }

    /// A name unique to this process on this host.
    pub fn default_id() -> String {
        let host = std::env::var("HOSTNAME").ok().filter(|h| !h.is_empty()).unwrap_or_else(|| "host".into());
        format!("{host}:{}:{}", std::process::id(), uuid::Uuid::new_v4().simple())
    }
}

/// One worker over a handler.
pub struct Worker {
    store: Store,
    handler: Arc<dyn JobHandler>,
    options: WorkerOptions,
}

impl std::fmt::Debug for Worker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Worker").field("options", &self.options).finish_non_exhaustive()
    }
}

impl Worker {
    pub fn new(store: Store, handler: Arc<dyn JobHandler>, options: WorkerOptions) -> Worker {
        Worker { store, handler, options }
    }

    /// Claims and runs one due job; `None` when none was due.
    pub async fn run_once(&self) -> Result<Option<(job::Model, Finished)>, StoreError> {
        let now = OffsetDateTime::now_utc();
        let Some(job) = self.store.claim_job(&self.options.id, self.options.lease, now).await? else {
            return Ok(None);
        };
        let outcome = {
            let run = self.handler.run(&job);
            tokio::pin!(run);
            let renew_every = std::time::Duration::try_from(self.options.lease / 3).unwrap_or(std::time::Duration::from_secs(60));
            let mut ticker = tokio::time::interval_at(tokio::time::Instant::now() + renew_every, renew_every);
            loop {
                tokio::select! {
                    outcome = &mut run => break outcome,
                    _ = ticker.tick() => {
                        let until = OffsetDateTime::now_utc() + self.options.lease;
                        if !self.store.renew_lease(job.id, &self.options.id, until).await.unwrap_or(false) {
                            tracing::warn!(job = %job.job_key, "lost the lease of a running job");
                        }
                    }
                }
            }
        };
        if let Err(error) = &outcome {
            tracing::warn!(job = %job.job_key, attempt = job.attempts, %error, "job failed");
        }
        let finished = self.store.finish_job(&job, &self.options.id, outcome, OffsetDateTime::now_utc()).await?;
        Ok(Some((job, finished)))
    }

    /// Runs until `stop` turns true: a job after another while any is due, else a nap.
    pub async fn run(self, mut stop: watch::Receiver<bool>) {
        loop {
            if *stop.borrow() {
                return;
            }
            let nap = match self.run_once().await {
                Ok(Some(_)) => None,
                Ok(None) => Some(self.options.idle),
                Err(error) => {
                    tracing::error!(%error, "the job queue is not reachable");
                    Some(self.options.idle * 5)
                }
            };
            if let Some(nap) = nap {
                // A dropped switch never stops the worker (and never wakes it early).
                tokio::select! {
                    _ = tokio::time::sleep(nap) => {}
                    Ok(()) = stop.changed() => {}
                }
            }
        }
    }

    pub fn spawn(self) -> (JoinHandle<()>, watch::Sender<bool>) {
        let (tx, rx) = watch::channel(false);
        (tokio::spawn(self.run(rx)), tx)
    }
}

pub const IMPORT: &str = "import";
pub const EXPORT: &str = "export";

/// Runs the integration's jobs for the configured sources.
pub struct SyncJobs {
    store: Store,
    sources: HashMap<String, (SourceConfig, Arc<dyn Connector>)>,
}

impl std::fmt::Debug for SyncJobs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SyncJobs").field("sources", &self.sources.keys().collect::<Vec<_>>()).finish()
    }
}

impl SyncJobs {
    pub fn new(store: Store, sources: Vec<(SourceConfig, Arc<dyn Connector>)>) -> SyncJobs {
        SyncJobs { store, sources: sources.into_iter().map(|(c, k)| (c.name.clone(), (c, k))).collect() }
    }

    /// Registers the sources and makes sure their recurring jobs exist (every replica does this
    /// at start; the job keys keep one of each).
    pub async fn install(&self) -> Result<(), StoreError> {
        let now = OffsetDateTime::now_utc();
        for (config, _) in self.sources.values() {
            register_source(&self.store, config, None).await?;
            if !config.enabled {
                continue;
            }
            let payload = serde_json::json!({ "source": config.name }).to_string();
            self.store
                .ensure_recurring_job(NewJob {
                    key: format!("{IMPORT}:{}", config.name),
                    kind: IMPORT.into(),
                    payload: payload.clone(),
                    run_at: now,
                    max_attempts: 1,
                    every_seconds: Some(config.import_every_seconds),
                })
                .await?;
            if config.export_payments {
                self.store
                    .ensure_recurring_job(NewJob {
                        key: format!("{EXPORT}:{}", config.name),
                        kind: EXPORT.into(),
                        payload,
                        run_at: now,
                        max_attempts: 1,
                        every_seconds: Some(config.export_every_seconds),
                    })
                    .await?;
            }
        }
        Ok(())
    }
}

#[async_trait::async_trait]
impl JobHandler for SyncJobs {
    async fn run(&self, job: &job::Model) -> Result<(), String> {
        let payload: serde_json::Value = serde_json::from_str(&job.payload).map_err(|e| format!("payload: {e}"))?;
        let name = payload["source"].as_str().ok_or("payload without a source")?;
        let (config, connector) = self.sources.get(name).ok_or_else(|| format!("source {name:?} is not configured on this replica"))?;
        match job.kind.as_str() {
            IMPORT => {
                let version = connector.contract_version().await.map_err(|e| e.to_string())?;
                register_source(&self.store, config, Some(version.to_string())).await.map_err(|e| e.to_string())?;
                let options = ImportOptions { batch_size: config.batch_size, ..ImportOptions::default() };
                let report = import(&self.store, name, connector.as_ref(), &options).await.map_err(|e| e.to_string())?;
                tracing::info!(
                    source = name,
                    read = report.rows_read(),
                    changed = report.rows_changed(),
                    errors = report.errors(),
                    "import"
                );
                Ok(())
            }
            EXPORT => {
                let report = export::export(&self.store, name, connector.as_ref(), config.batch_size).await.map_err(|e| e.to_string())?;
                tracing::info!(source = name, written = report.written, accepted = report.accepted, rejected = report.rejected, "export");
                Ok(())
            }
            other => Err(format!("unknown job kind {other:?}")),
        }
    }
}

/// Starts the integration for these sources: registers them, installs their jobs and spawns a
/// worker. Returns the worker's handle and its stop switch.
pub async fn start(store: Store, sources: Vec<SourceConfig>) -> Result<(JoinHandle<()>, watch::Sender<bool>), String> {
    let mut wired = Vec::with_capacity(sources.len());
    for config in sources {
        let connector = config.connector().map_err(|e| format!("source {}: {e}", config.name))?;
        wired.push((config, connector));
    }
    let jobs = SyncJobs::new(store.clone(), wired);
    jobs.install().await.map_err(|e| format!("sync jobs: {e}"))?;
    Ok(Worker::new(store, Arc::new(jobs), WorkerOptions::new(WorkerOptions::default_id())).spawn())
}
