//! The tables of the integration with the domain systems (docs/integration-contract.md) and their
//! queries: the job queue, the connected sources, the mapping of the domain systems' keys to the
//! portal's rows, watermarks, sync status, rejected rows and the payment export ledger.
//!
//! The job queue is safe with several server replicas: a due job is claimed by one atomic
//! `UPDATE … WHERE id = (SELECT … FOR UPDATE SKIP LOCKED) RETURNING` on PostgreSQL; on SQLite
//! (one file, one process in practice) the same statement without the lock clause runs under a
//! process-wide lock, and SQLite's single writer does the rest. A claimed job carries a lease
//! (`locked_until`) that its worker renews; a job whose lease ran out is claimed again.

use std::collections::{HashMap, HashSet};

use sea_orm::prelude::*;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::Set, ConnectionTrait, DbBackend, QueryOrder, QuerySelect, Statement};
use time::{Duration, OffsetDateTime};

use crate::entities::{obligation, payment};
use crate::{Store, StoreError};

pub mod entities {
    //! sea-orm entities of the sync tables.

    macro_rules! no_relations {
        () => {
            #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
            pub enum Relation {}
            impl ActiveModelBehavior for ActiveModel {}
        };
    }

    pub mod job {
        use sea_orm::entity::prelude::*;
        #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
        #[sea_orm(table_name = "job")]
        pub struct Model {
            #[sea_orm(primary_key, auto_increment = false)]
            pub id: Uuid,
            pub kind: String,
            #[sea_orm(unique)]
            pub job_key: String,
            pub payload: String,
            /// `queued`, `running`, `done`, `failed`.
            pub state: String,
            pub attempts: i32,
            pub max_attempts: i32,
            pub every_seconds: Option<i64>,
            pub next_run_at: TimeDateTimeWithTimeZone,
            pub locked_by: Option<String>,
            pub locked_until: Option<TimeDateTimeWithTimeZone>,
            pub last_error: Option<String>,
            pub last_started_at: Option<TimeDateTimeWithTimeZone>,
            pub last_finished_at: Option<TimeDateTimeWithTimeZone>,
            pub runs: i64,
            pub created_at: TimeDateTimeWithTimeZone,
        }
        no_relations!();
    }

    pub mod sync_source {
        use sea_orm::entity::prelude::*;
        #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
        #[sea_orm(table_name = "sync_source")]
        pub struct Model {
            #[sea_orm(primary_key, auto_increment = false)]
            pub name: String,
            /// `mssql` or `file`.
            pub kind: String,
            /// The domain system owns the bookings: the portal's allocations are provisional.
            pub owns_bookings: bool,
            pub export_payments: bool,
            pub enabled: bool,
            pub contract_version: Option<String>,
            pub updated_at: TimeDateTimeWithTimeZone,
        }
        no_relations!();
    }

    pub mod sync_key {
        use sea_orm::entity::prelude::*;
        #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
        #[sea_orm(table_name = "sync_key")]
        pub struct Model {
            #[sea_orm(primary_key, auto_increment = false)]
            pub source_system: String,
            #[sea_orm(primary_key, auto_increment = false)]
            pub entity: String,
            #[sea_orm(primary_key, auto_increment = false)]
            pub source_id: String,
            pub local_id: Uuid,
            pub source_version: i64,
            pub deleted: bool,
            pub synced_at: TimeDateTimeWithTimeZone,
        }
        no_relations!();
    }

    pub mod sync_watermark {
        use sea_orm::entity::prelude::*;
        #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
        #[sea_orm(table_name = "sync_watermark")]
        pub struct Model {
            #[sea_orm(primary_key, auto_increment = false)]
            pub source_system: String,
            #[sea_orm(primary_key, auto_increment = false)]
            pub entity: String,
            pub row_version: i64,
            pub source_id: String,
            pub updated_at: TimeDateTimeWithTimeZone,
        }
        no_relations!();
    }

    pub mod sync_status {
        use sea_orm::entity::prelude::*;
        #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
        #[sea_orm(table_name = "sync_status")]
        pub struct Model {
            #[sea_orm(primary_key, auto_increment = false)]
            pub source_system: String,
            #[sea_orm(primary_key, auto_increment = false)]
            pub entity: String,
            pub last_run_at: Option<TimeDateTimeWithTimeZone>,
            pub last_success_at: Option<TimeDateTimeWithTimeZone>,
            pub rows_read: i64,
            pub rows_changed: i64,
            pub errors: i64,
            pub last_error: Option<String>,
            pub total_rows_read: i64,
            pub total_rows_changed: i64,
        }
        no_relations!();
    }

    pub mod sync_rejected {
        use sea_orm::entity::prelude::*;
        #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
        #[sea_orm(table_name = "sync_rejected")]
        pub struct Model {
            #[sea_orm(primary_key, auto_increment = false)]
            pub source_system: String,
            #[sea_orm(primary_key, auto_increment = false)]
            pub entity: String,
            #[sea_orm(primary_key, auto_increment = false)]
            pub source_id: String,
            pub source_version: i64,
            pub reason: String,
            pub at: TimeDateTimeWithTimeZone,
        }
        no_relations!();
    }

    pub mod sync_export {
        use sea_orm::entity::prelude::*;
        #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
        #[sea_orm(table_name = "sync_export")]
        pub struct Model {
            #[sea_orm(primary_key, auto_increment = false)]
            pub payment_id: Uuid,
            #[sea_orm(primary_key, auto_increment = false)]
            pub source_system: String,
            /// `pending`, `written`, `accepted`, `rejected`, `booked`; `local` (source "") when no
            /// domain system takes the payment.
            pub status: String,
            pub attempts: i32,
            pub created_at: TimeDateTimeWithTimeZone,
            pub written_at: Option<TimeDateTimeWithTimeZone>,
            pub acknowledged_at: Option<TimeDateTimeWithTimeZone>,
            pub booked_at: Option<TimeDateTimeWithTimeZone>,
            pub domain_payment_id: Option<String>,
            pub message: Option<String>,
        }
        no_relations!();
    }
}

use entities::{job, sync_export, sync_key, sync_rejected, sync_source, sync_status, sync_watermark};

/// Job states.
pub const QUEUED: &str = "queued";
pub const RUNNING: &str = "running";
pub const DONE: &str = "done";
pub const FAILED: &str = "failed";

/// Export ledger states.
pub const EXPORT_PENDING: &str = "pending";
pub const EXPORT_WRITTEN: &str = "written";
pub const EXPORT_ACCEPTED: &str = "accepted";
pub const EXPORT_REJECTED: &str = "rejected";
pub const EXPORT_BOOKED: &str = "booked";
/// A payment of a taxpayer no exporting domain system knows: it stays in the portal.
pub const EXPORT_LOCAL: &str = "local";

/// The payment source of payments booked in a domain system.
pub const DOMAIN_SYSTEM: &str = "domain_system";

/// SQLite has one writer; the claim of a job is additionally serialised inside the process.
static SQLITE_CLAIM: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// How long a failed job waits before its next attempt: 30 s, doubling, at most an hour.
pub fn backoff(attempts: i32) -> Duration {
    let exponent = u32::try_from(attempts.saturating_sub(1).clamp(0, 7)).unwrap_or(0);
    Duration::seconds((30_i64 << exponent).min(3_600))
}

/// A job to put on the queue.
#[derive(Debug, Clone)]
pub struct NewJob {
    pub key: String,
    pub kind: String,
    pub payload: String,
    pub run_at: OffsetDateTime,
    pub max_attempts: i32,
    /// Recurring: queued again this many seconds after each run.
    pub every_seconds: Option<i64>,
}

/// How a job ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Finished {
    /// The job's row was updated.
    Recorded,
    /// The worker had lost its lease (another worker took the job over): nothing was written.
    LeaseLost,
}

fn job_model(new: NewJob, now: OffsetDateTime) -> job::ActiveModel {
    job::ActiveModel {
        id: Set(Uuid::new_v4()),
        kind: Set(new.kind),
        job_key: Set(new.key),
        payload: Set(new.payload),
        state: Set(QUEUED.into()),
        attempts: Set(0),
        max_attempts: Set(new.max_attempts.max(1)),
        every_seconds: Set(new.every_seconds),
        next_run_at: Set(new.run_at),
        locked_by: Set(None),
        locked_until: Set(None),
        last_error: Set(None),
        last_started_at: Set(None),
        last_finished_at: Set(None),
        runs: Set(0),
        created_at: Set(now),
    }
}

impl Store {
    /// Queues a one-off job. A job with the same key that is queued or running stays as it is
    /// (returns false); one that ended is queued again.
    pub async fn enqueue_job(&self, new: NewJob) -> Result<bool, StoreError> {
        let now = OffsetDateTime::now_utc();
        let key = new.key.clone();
        let run_at = new.run_at;
        let inserted = job::Entity::insert(job_model(new, now))
            .on_conflict_do_nothing_on([job::Column::JobKey])
            .exec_without_returning(self.db())
            .await?;
        if matches!(inserted, sea_orm::TryInsertResult::Inserted(n) if n > 0) {
            return Ok(true);
        }
        let requeued = job::Entity::update_many()
            .col_expr(job::Column::State, Expr::value(QUEUED))
            .col_expr(job::Column::Attempts, Expr::value(0))
            .col_expr(job::Column::NextRunAt, Expr::value(run_at))
            .col_expr(job::Column::LastError, Expr::value(Option::<String>::None))
            .filter(job::Column::JobKey.eq(key))
            .filter(job::Column::State.is_in([DONE, FAILED]))
            .exec(self.db())
            .await?;
        Ok(requeued.rows_affected == 1)
    }

    /// Makes sure a recurring job exists (keeping its state and schedule when it does; its kind,
    /// payload and interval follow the configuration).
    pub async fn ensure_recurring_job(&self, new: NewJob) -> Result<(), StoreError> {
        let now = OffsetDateTime::now_utc();
        job::Entity::insert(job_model(new, now))
            .on_conflict(
                OnConflict::column(job::Column::JobKey)
                    .update_columns([job::Column::Kind, job::Column::Payload, job::Column::EverySeconds, job::Column::MaxAttempts])
                    .to_owned(),
            )
            .exec_without_returning(self.db())
            .await?;
        Ok(())
    }

    /// Claims one due job for `worker` (a queued job whose time has come, or a running one whose
    /// lease ran out), holding it until `now + lease`. At most one worker gets any job.
    pub async fn claim_job(&self, worker: &str, lease: Duration, now: OffsetDateTime) -> Result<Option<job::Model>, StoreError> {
        let backend = self.backend();
        let until = now + lease;
        let (sql, values) = match backend {
            DbBackend::Postgres => (
                r#"UPDATE job SET state = 'running', locked_by = $1, locked_until = $2, attempts = attempts + 1, last_started_at = $3
                   WHERE id = (SELECT id FROM job
                               WHERE (state = 'queued' AND next_run_at <= $3) OR (state = 'running' AND locked_until < $3)
                               ORDER BY next_run_at LIMIT 1 FOR UPDATE SKIP LOCKED)
                   RETURNING *"#,
                vec![worker.into(), until.into(), now.into()],
            ),
            _ => (
                r#"UPDATE job SET state = 'running', locked_by = ?, locked_until = ?, attempts = attempts + 1, last_started_at = ?
                   WHERE id = (SELECT id FROM job
                               WHERE (state = 'queued' AND next_run_at <= ?) OR (state = 'running' AND locked_until < ?)
                               ORDER BY next_run_at LIMIT 1)
                   RETURNING *"#,
                vec![worker.into(), until.into(), now.into(), now.into(), now.into()],
            ),
        };
        let statement = Statement::from_sql_and_values(backend, sql, values);
        let claimed = if backend == DbBackend::Postgres {
            job::Entity::find().from_raw_sql(statement).one(self.db()).await?
        } else {
            let _guard = SQLITE_CLAIM.lock().await;
            job::Entity::find().from_raw_sql(statement).one(self.db()).await?
        };
        Ok(claimed)
    }

    /// Extends the lease of a running job; false when the worker no longer holds it.
    pub async fn renew_lease(&self, id: Uuid, worker: &str, until: OffsetDateTime) -> Result<bool, StoreError> {
        let result = job::Entity::update_many()
            .col_expr(job::Column::LockedUntil, Expr::value(Some(until)))
            .filter(job::Column::Id.eq(id))
            .filter(job::Column::LockedBy.eq(worker))
            .filter(job::Column::State.eq(RUNNING))
            .exec(self.db())
            .await?;
        Ok(result.rows_affected == 1)
    }

    /// Records the end of a run: a recurring job is queued for its next run (after an error, with
    /// backoff); a one-off job is done, or queued again with backoff until its attempts run out.
    pub async fn finish_job(
        &self,
        job: &job::Model,
        worker: &str,
        outcome: Result<(), String>,
        now: OffsetDateTime,
    ) -> Result<Finished, StoreError> {
        use sea_orm::sea_query::ExprTrait;
        let every = job.every_seconds.map(|e| Ord::max(e, 1));
        let mut update = job::Entity::update_many()
            .col_expr(job::Column::LockedBy, Expr::value(Option::<String>::None))
            .col_expr(job::Column::LockedUntil, Expr::value(Option::<OffsetDateTime>::None))
            .col_expr(job::Column::LastFinishedAt, Expr::value(Some(now)))
            .col_expr(job::Column::Runs, Expr::col(job::Column::Runs).add(1));
        match (&outcome, every) {
            (Ok(()), Some(every)) => {
                update = update
                    .col_expr(job::Column::State, Expr::value(QUEUED))
                    .col_expr(job::Column::Attempts, Expr::value(0))
                    .col_expr(job::Column::NextRunAt, Expr::value(now + Duration::seconds(every)))
                    .col_expr(job::Column::LastError, Expr::value(Option::<String>::None));
            }
            (Ok(()), None) => {
                update = update
                    .col_expr(job::Column::State, Expr::value(DONE))
                    .col_expr(job::Column::LastError, Expr::value(Option::<String>::None));
            }
            (Err(error), every) => {
                let give_up = every.is_none() && job.attempts >= job.max_attempts;
                let mut text = error.clone();
                text.truncate(2_000);
                update = update
                    .col_expr(job::Column::State, Expr::value(if give_up { FAILED } else { QUEUED }))
                    .col_expr(job::Column::NextRunAt, Expr::value(now + backoff(job.attempts)))
                    .col_expr(job::Column::LastError, Expr::value(Some(text)));
            }
        }
        let result = update
            .filter(job::Column::Id.eq(job.id))
            .filter(job::Column::LockedBy.eq(worker))
            .filter(job::Column::State.eq(RUNNING))
            .exec(self.db())
            .await?;
        Ok(if result.rows_affected == 1 { Finished::Recorded } else { Finished::LeaseLost })
    }

    pub async fn jobs(&self) -> Result<Vec<job::Model>, StoreError> {
        Ok(job::Entity::find().order_by_asc(job::Column::JobKey).all(self.db()).await?)
    }

    pub async fn job(&self, id: Uuid) -> Result<Option<job::Model>, StoreError> {
        Ok(job::Entity::find_by_id(id).one(self.db()).await?)
    }

    /// Registers (or updates) a connected source.
    pub async fn put_sync_source(&self, source: sync_source::Model) -> Result<(), StoreError> {
        sync_source::Entity::insert(sync_source::ActiveModel::from(source))
            .on_conflict(
                OnConflict::column(sync_source::Column::Name)
                    .update_columns([
                        sync_source::Column::Kind,
                        sync_source::Column::OwnsBookings,
                        sync_source::Column::ExportPayments,
                        sync_source::Column::Enabled,
                        sync_source::Column::ContractVersion,
                        sync_source::Column::UpdatedAt,
                    ])
                    .to_owned(),
            )
            .exec_without_returning(self.db())
            .await?;
        Ok(())
    }

    pub async fn sync_sources(&self) -> Result<Vec<sync_source::Model>, StoreError> {
        Ok(sync_source::Entity::find().order_by_asc(sync_source::Column::Name).all(self.db()).await?)
    }

    pub async fn sync_source(&self, name: &str) -> Result<Option<sync_source::Model>, StoreError> {
        Ok(sync_source::Entity::find_by_id(name.to_string()).one(self.db()).await?)
    }

    pub async fn sync_watermark(&self, source: &str, entity: &str) -> Result<Option<sync_watermark::Model>, StoreError> {
        Ok(sync_watermark::Entity::find_by_id((source.to_string(), entity.to_string())).one(self.db()).await?)
    }

    pub async fn sync_statuses(&self) -> Result<Vec<sync_status::Model>, StoreError> {
        Ok(sync_status::Entity::find()
            .order_by_asc(sync_status::Column::SourceSystem)
            .order_by_asc(sync_status::Column::Entity)
            .all(self.db())
            .await?)
    }

    pub async fn sync_watermarks(&self) -> Result<Vec<sync_watermark::Model>, StoreError> {
        Ok(sync_watermark::Entity::find().all(self.db()).await?)
    }

    /// Rows waiting for a correction in the domain system, per source.
    pub async fn sync_rejected(&self, source: &str, limit: u64) -> Result<(Vec<sync_rejected::Model>, u64), StoreError> {
        let query = sync_rejected::Entity::find().filter(sync_rejected::Column::SourceSystem.eq(source));
        let total = query.clone().count(self.db()).await?;
        let rows = query.order_by_desc(sync_rejected::Column::At).limit(limit).all(self.db()).await?;
        Ok((rows, total))
    }

    /// Records one run of one entity (or `export`, `acknowledgements`) of a source.
    pub async fn record_sync_run(&self, source: &str, entity: &str, run: &SyncRun) -> Result<(), StoreError> {
        let previous = sync_status::Entity::find_by_id((source.to_string(), entity.to_string())).one(self.db()).await?;
        let (total_read, total_changed, last_success) =
            previous.as_ref().map_or((0, 0, None), |p| (p.total_rows_read, p.total_rows_changed, p.last_success_at));
        let model = sync_status::Model {
            source_system: source.into(),
            entity: entity.into(),
            last_run_at: Some(run.started_at),
            last_success_at: if run.failure.is_none() { Some(run.finished_at) } else { last_success },
            rows_read: run.rows_read,
            rows_changed: run.rows_changed,
            errors: run.errors + i64::from(run.failure.is_some()),
            last_error: run.failure.clone().or_else(|| run.last_rejection.clone()),
            total_rows_read: total_read + run.rows_read,
            total_rows_changed: total_changed + run.rows_changed,
        };
        let active: sync_status::ActiveModel = model.into();
        if previous.is_some() {
            active.reset_all().update(self.db()).await?;
        } else {
            active.insert(self.db()).await?;
        }
        Ok(())
    }

    /// Marks every obligation of a source as confirmed by a sync run that started at `at`
    /// (at most once per `granularity`, so that frequent runs do not rewrite every row).
    pub async fn touch_synced(&self, source: &str, at: OffsetDateTime, granularity: Duration) -> Result<u64, StoreError> {
        let result = obligation::Entity::update_many()
            .col_expr(obligation::Column::SyncedAt, Expr::value(at))
            .filter(obligation::Column::SourceSystem.eq(source))
            .filter(obligation::Column::SyncedAt.lt(at - granularity))
            .exec(self.db())
            .await?;
        Ok(result.rows_affected)
    }

    /// Portal payments that should go to a domain system and are not in the export ledger yet:
    /// booked, not booked in a domain system themselves, not already the domain system's booking.
    pub async fn unexported_payments(&self, limit: u64) -> Result<Vec<payment::Model>, StoreError> {
        use sea_orm::sea_query::ExprTrait;
        let exported = sea_orm::sea_query::Query::select()
            .column(sync_export::Column::PaymentId)
            .from(sync_export::Entity)
            .and_where(Expr::col((sync_export::Entity, sync_export::Column::PaymentId)).equals((payment::Entity, payment::Column::Id)))
            .to_owned();
        let mapped = sea_orm::sea_query::Query::select()
            .column(sync_key::Column::LocalId)
            .from(sync_key::Entity)
            .and_where(Expr::col((sync_key::Entity, sync_key::Column::Entity)).eq(Expr::val(ENTITY_PAYMENT)))
            .and_where(Expr::col((sync_key::Entity, sync_key::Column::LocalId)).equals((payment::Entity, payment::Column::Id)))
            .to_owned();
        Ok(payment::Entity::find()
            .filter(payment::Column::Status.eq("booked"))
            .filter(payment::Column::Source.ne(DOMAIN_SYSTEM))
            .filter(Expr::exists(exported).not())
            .filter(Expr::exists(mapped).not())
            .order_by_asc(payment::Column::BookedAt)
            .limit(limit)
            .all(self.db())
            .await?)
    }

    /// Adds payments to the export ledger (a payment already there keeps its row).
    pub async fn add_exports(&self, rows: &[(Uuid, String)], now: OffsetDateTime) -> Result<(), StoreError> {
        if rows.is_empty() {
            return Ok(());
        }
        let models = rows.iter().map(|(payment_id, source)| sync_export::ActiveModel {
            payment_id: Set(*payment_id),
            source_system: Set(source.clone()),
            status: Set(EXPORT_PENDING.into()),
            attempts: Set(0),
            created_at: Set(now),
            written_at: Set(None),
            acknowledged_at: Set(None),
            booked_at: Set(None),
            domain_payment_id: Set(None),
            message: Set(None),
        });
        sync_export::Entity::insert_many(models)
            .on_conflict_do_nothing_on([sync_export::Column::PaymentId, sync_export::Column::SourceSystem])
            .exec_without_returning(self.db())
            .await?;
        Ok(())
    }

    /// Payments that no domain system takes (their taxpayer is the portal's own): recorded once so
    /// that the export scan does not meet them again.
    pub async fn add_local_exports(&self, payment_ids: &[Uuid], now: OffsetDateTime) -> Result<(), StoreError> {
        if payment_ids.is_empty() {
            return Ok(());
        }
        let models = payment_ids.iter().map(|payment_id| sync_export::ActiveModel {
            payment_id: Set(*payment_id),
            source_system: Set(String::new()),
            status: Set(EXPORT_LOCAL.into()),
            attempts: Set(0),
            created_at: Set(now),
            written_at: Set(None),
            acknowledged_at: Set(None),
            booked_at: Set(None),
            domain_payment_id: Set(None),
            message: Set(None),
        });
        sync_export::Entity::insert_many(models)
            .on_conflict_do_nothing_on([sync_export::Column::PaymentId, sync_export::Column::SourceSystem])
            .exec_without_returning(self.db())
            .await?;
        Ok(())
    }

    /// Export ledger rows of a source in the given states, oldest first.
    pub async fn exports(&self, source: &str, states: &[&str], limit: u64) -> Result<Vec<sync_export::Model>, StoreError> {
        Ok(sync_export::Entity::find()
            .filter(sync_export::Column::SourceSystem.eq(source))
            .filter(sync_export::Column::Status.is_in(states.iter().map(|s| String::from(*s))))
            .order_by_asc(sync_export::Column::CreatedAt)
            .limit(limit)
            .all(self.db())
            .await?)
    }

    pub async fn export_of(&self, payment_id: Uuid) -> Result<Option<sync_export::Model>, StoreError> {
        Ok(sync_export::Entity::find().filter(sync_export::Column::PaymentId.eq(payment_id)).one(self.db()).await?)
    }

    /// Counts of export ledger rows per state for a source.
    pub async fn export_counts(&self, source: &str) -> Result<HashMap<String, i64>, StoreError> {
        let rows = sync_export::Entity::find().filter(sync_export::Column::SourceSystem.eq(source)).all(self.db()).await?;
        let mut counts = HashMap::new();
        for r in rows {
            *counts.entry(r.status).or_insert(0) += 1;
        }
        Ok(counts)
    }

    /// The payments are in the domain system (written, or found there already).
    pub async fn mark_exports_written(&self, source: &str, ids: &[Uuid], now: OffsetDateTime) -> Result<(), StoreError> {
        use sea_orm::sea_query::ExprTrait;
        for chunk in ids.chunks(500) {
            sync_export::Entity::update_many()
                .col_expr(sync_export::Column::Status, Expr::value(EXPORT_WRITTEN))
                .col_expr(sync_export::Column::WrittenAt, Expr::value(Some(now)))
                .col_expr(sync_export::Column::Attempts, Expr::col(sync_export::Column::Attempts).add(1))
                .filter(sync_export::Column::SourceSystem.eq(source))
                .filter(sync_export::Column::PaymentId.is_in(chunk.iter().copied()))
                .filter(sync_export::Column::Status.eq(EXPORT_PENDING))
                .exec(self.db())
                .await?;
        }
        Ok(())
    }

    /// The domain system's acknowledgement of one payment (only a written payment moves; a payment
    /// whose booking already came back stays `booked`).
    pub async fn acknowledge_export(&self, source: &str, ack: &ExportAck) -> Result<bool, StoreError> {
        let result = sync_export::Entity::update_many()
            .col_expr(sync_export::Column::Status, Expr::value(if ack.accepted { EXPORT_ACCEPTED } else { EXPORT_REJECTED }))
            .col_expr(sync_export::Column::AcknowledgedAt, Expr::value(Some(ack.at)))
            .col_expr(sync_export::Column::Message, Expr::value(ack.message.clone()))
            .col_expr(sync_export::Column::DomainPaymentId, Expr::value(ack.domain_payment_id.clone()))
            .filter(sync_export::Column::SourceSystem.eq(source))
            .filter(sync_export::Column::PaymentId.eq(ack.payment_id))
            .filter(sync_export::Column::Status.is_in([EXPORT_PENDING, EXPORT_WRITTEN]))
            .exec(self.db())
            .await?;
        Ok(result.rows_affected == 1)
    }

    /// Of these payments, those shown as provisional: the portal booked them (its own allocation),
    /// a connected domain system that owns the bookings keeps the taxpayer's books, and its booking
    /// of the payment has not come back yet. In standalone mode nothing is provisional.
    pub async fn provisional_payments(&self, payment_ids: &[Uuid]) -> Result<HashSet<Uuid>, StoreError> {
        provisional_payments_in(self.db(), payment_ids).await
    }
}

/// [`Store::provisional_payments`] on any connection.
pub async fn provisional_payments_in<C: ConnectionTrait>(db: &C, payment_ids: &[Uuid]) -> Result<HashSet<Uuid>, StoreError> {
    let mut out = HashSet::new();
    if payment_ids.is_empty() {
        return Ok(out);
    }
    let owning: Vec<String> = sync_source::Entity::find()
        .filter(sync_source::Column::OwnsBookings.eq(true))
        .filter(sync_source::Column::Enabled.eq(true))
        .all(db)
        .await?
        .into_iter()
        .map(|s| s.name)
        .collect();
    if owning.is_empty() {
        return Ok(out);
    }
    for chunk in payment_ids.chunks(500) {
        let payments = payment::Entity::find()
            .filter(payment::Column::Id.is_in(chunk.iter().copied()))
            .filter(payment::Column::Status.eq("booked"))
            .filter(payment::Column::Source.ne(DOMAIN_SYSTEM))
            .all(db)
            .await?;
        if payments.is_empty() {
            continue;
        }
        let confirmed: HashSet<Uuid> = sync_key::Entity::find()
            .filter(sync_key::Column::Entity.eq(ENTITY_PAYMENT))
            .filter(sync_key::Column::Deleted.eq(false))
            .filter(sync_key::Column::LocalId.is_in(payments.iter().map(|p| p.id)))
            .all(db)
            .await?
            .into_iter()
            .map(|k| k.local_id)
            .collect();
        let kept: HashSet<Uuid> = sync_key::Entity::find()
            .filter(sync_key::Column::Entity.eq(ENTITY_TAXPAYER))
            .filter(sync_key::Column::Deleted.eq(false))
            .filter(sync_key::Column::SourceSystem.is_in(owning.clone()))
            .filter(sync_key::Column::LocalId.is_in(payments.iter().map(|p| p.taxpayer_id)))
            .all(db)
            .await?
            .into_iter()
            .map(|k| k.local_id)
            .collect();
        out.extend(payments.iter().filter(|p| !confirmed.contains(&p.id) && kept.contains(&p.taxpayer_id)).map(|p| p.id));
    }
    Ok(out)
}

/// The entity names used in `sync_key`, `sync_watermark` and `sync_status` for the two entities the
/// store's own queries need.
pub const ENTITY_TAXPAYER: &str = "taxpayers";
pub const ENTITY_PAYMENT: &str = "payments";

/// The counters of one run.
#[derive(Debug, Clone)]
pub struct SyncRun {
    pub started_at: OffsetDateTime,
    pub finished_at: OffsetDateTime,
    pub rows_read: i64,
    pub rows_changed: i64,
    /// Rows rejected (or payments the domain system refused).
    pub errors: i64,
    pub last_rejection: Option<String>,
    /// The run failed as a whole (connection, database): this message.
    pub failure: Option<String>,
}

impl SyncRun {
    pub fn new(started_at: OffsetDateTime) -> Self {
        SyncRun { started_at, finished_at: started_at, rows_read: 0, rows_changed: 0, errors: 0, last_rejection: None, failure: None }
    }
}

/// An acknowledgement read back from a domain system.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportAck {
    pub payment_id: Uuid,
    pub accepted: bool,
    pub at: OffsetDateTime,
    pub message: Option<String>,
    pub domain_payment_id: Option<String>,
}

/// The keys the portal holds for these source ids of one entity.
pub async fn keys_in<C: ConnectionTrait>(
    db: &C,
    source: &str,
    entity: &str,
    source_ids: &[String],
) -> Result<HashMap<String, sync_key::Model>, StoreError> {
    let mut out = HashMap::with_capacity(source_ids.len());
    for chunk in source_ids.chunks(500) {
        let rows = sync_key::Entity::find()
            .filter(sync_key::Column::SourceSystem.eq(source))
            .filter(sync_key::Column::Entity.eq(entity))
            .filter(sync_key::Column::SourceId.is_in(chunk.iter().cloned()))
            .all(db)
            .await?;
        out.extend(rows.into_iter().map(|k| (k.source_id.clone(), k)));
    }
    Ok(out)
}

/// The keys of local rows (any source) of one entity.
pub async fn keys_of_local<C: ConnectionTrait>(db: &C, entity: &str, local_ids: &[Uuid]) -> Result<Vec<sync_key::Model>, StoreError> {
    let mut out = Vec::new();
    for chunk in local_ids.chunks(500) {
        out.extend(
            sync_key::Entity::find()
                .filter(sync_key::Column::Entity.eq(entity))
                .filter(sync_key::Column::LocalId.is_in(chunk.iter().copied()))
                .order_by_asc(sync_key::Column::SourceSystem)
                .all(db)
                .await?,
        );
    }
    Ok(out)
}

/// Writes keys (insert or replace).
pub async fn put_keys<C: ConnectionTrait>(db: &C, keys: Vec<sync_key::Model>) -> Result<(), StoreError> {
    let mut rows = keys.into_iter().map(sync_key::ActiveModel::from).peekable();
    while rows.peek().is_some() {
        let chunk: Vec<sync_key::ActiveModel> = rows.by_ref().take(500).collect();
        sync_key::Entity::insert_many(chunk)
            .on_conflict(
                OnConflict::columns([sync_key::Column::SourceSystem, sync_key::Column::Entity, sync_key::Column::SourceId])
                    .update_columns([
                        sync_key::Column::LocalId,
                        sync_key::Column::SourceVersion,
                        sync_key::Column::Deleted,
                        sync_key::Column::SyncedAt,
                    ])
                    .to_owned(),
            )
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}

/// Moves the watermark of a source's entity (in the transaction that applied the batch).
pub async fn set_watermark<C: ConnectionTrait>(
    db: &C,
    source: &str,
    entity: &str,
    row_version: i64,
    source_id: &str,
    now: OffsetDateTime,
) -> Result<(), StoreError> {
    sync_watermark::Entity::insert(sync_watermark::ActiveModel {
        source_system: Set(source.into()),
        entity: Set(entity.into()),
        row_version: Set(row_version),
        source_id: Set(source_id.into()),
        updated_at: Set(now),
    })
    .on_conflict(
        OnConflict::columns([sync_watermark::Column::SourceSystem, sync_watermark::Column::Entity])
            .update_columns([sync_watermark::Column::RowVersion, sync_watermark::Column::SourceId, sync_watermark::Column::UpdatedAt])
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(())
}

/// Records rejected rows (replacing an earlier rejection of the same row).
pub async fn put_rejections<C: ConnectionTrait>(db: &C, rows: Vec<sync_rejected::Model>) -> Result<(), StoreError> {
    let mut rows = rows.into_iter().map(sync_rejected::ActiveModel::from).peekable();
    while rows.peek().is_some() {
        let chunk: Vec<sync_rejected::ActiveModel> = rows.by_ref().take(300).collect();
        sync_rejected::Entity::insert_many(chunk)
            .on_conflict(
                OnConflict::columns([sync_rejected::Column::SourceSystem, sync_rejected::Column::Entity, sync_rejected::Column::SourceId])
                    .update_columns([sync_rejected::Column::SourceVersion, sync_rejected::Column::Reason, sync_rejected::Column::At])
                    .to_owned(),
            )
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}

/// True when some rows of this entity of this source wait for a correction.
pub async fn has_rejections<C: ConnectionTrait>(db: &C, source: &str, entity: &str) -> Result<bool, StoreError> {
    Ok(sync_rejected::Entity::find()
        .filter(sync_rejected::Column::SourceSystem.eq(source))
        .filter(sync_rejected::Column::Entity.eq(entity))
        .one(db)
        .await?
        .is_some())
}

/// Forgets rejections of rows that have now applied.
pub async fn clear_rejections<C: ConnectionTrait>(db: &C, source: &str, entity: &str, source_ids: &[String]) -> Result<(), StoreError> {
    for chunk in source_ids.chunks(500) {
        sync_rejected::Entity::delete_many()
            .filter(sync_rejected::Column::SourceSystem.eq(source))
            .filter(sync_rejected::Column::Entity.eq(entity))
            .filter(sync_rejected::Column::SourceId.is_in(chunk.iter().cloned()))
            .exec(db)
            .await?;
    }
    Ok(())
}

/// The domain system's booking of an exported payment came back (or, `booked = false`, was undone).
pub async fn mark_export_booked<C: ConnectionTrait>(
    db: &C,
    payment_id: Uuid,
    domain_payment_id: &str,
    booked: bool,
    now: OffsetDateTime,
) -> Result<(), StoreError> {
    let mut update = sync_export::Entity::update_many().filter(sync_export::Column::PaymentId.eq(payment_id));
    update = if booked {
        update
            .col_expr(sync_export::Column::Status, Expr::value(EXPORT_BOOKED))
            .col_expr(sync_export::Column::BookedAt, Expr::value(Some(now)))
            .col_expr(sync_export::Column::DomainPaymentId, Expr::value(Some(domain_payment_id.to_string())))
    } else {
        update
            .col_expr(sync_export::Column::Status, Expr::value(EXPORT_ACCEPTED))
            .col_expr(sync_export::Column::BookedAt, Expr::value(Option::<OffsetDateTime>::None))
            .filter(sync_export::Column::Status.eq(EXPORT_BOOKED))
    };
    update.exec(db).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::backoff;
    use time::Duration;

    #[test]
    fn backoff_doubles_up_to_an_hour() {
        assert_eq!(backoff(1), Duration::seconds(30));
        assert_eq!(backoff(2), Duration::seconds(60));
        assert_eq!(backoff(4), Duration::seconds(240));
        assert_eq!(backoff(20), Duration::seconds(3_600));
        assert_eq!(backoff(0), Duration::seconds(30));
    }
}
