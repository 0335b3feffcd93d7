//! Integration with the domain systems (docs/integration-contract.md): the job queue, the sources,
//! the mapping of the domain systems' keys to the portal's rows, watermarks, sync status, rejected
//! rows and the payment export ledger.

use sea_orm_migration::{prelude::*, schema::*};

use super::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // The database-backed job queue. A worker claims a due row (FOR UPDATE SKIP LOCKED on
        // PostgreSQL; a process-wide lock on SQLite) and holds it by a lease it renews.
        manager
            .create_table(
                Table::create()
                    .table("job")
                    .col(uuid("id").primary_key())
                    .col(string("kind"))
                    // One queued-or-running job per key (recurring jobs: `import:<source>`).
                    .col(string("job_key").unique_key())
                    .col(text("payload"))
                    // `queued`, `running`, `done`, `failed`.
                    .col(string("state"))
                    .col(integer("attempts"))
                    .col(integer("max_attempts"))
                    // Recurring jobs are queued again this many seconds after each run.
                    .col(big_integer_null("every_seconds"))
                    .col(timestamp_with_time_zone("next_run_at"))
                    .col(string_null("locked_by"))
                    .col(timestamp_with_time_zone_null("locked_until"))
                    .col(text_null("last_error"))
                    .col(timestamp_with_time_zone_null("last_started_at"))
                    .col(timestamp_with_time_zone_null("last_finished_at"))
                    .col(big_integer("runs"))
                    .col(timestamp_with_time_zone("created_at"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(Index::create().name("ix_job_due").table("job").col("state").col("next_run_at").to_owned()).await?;
        // The domain systems this portal is connected to (written by the workers at start).
        manager
            .create_table(
                Table::create()
                    .table("sync_source")
                    .col(string("name").primary_key())
                    // `mssql` or `file`.
                    .col(string("kind"))
                    // True: the domain system owns the bookings; the portal's allocation is provisional.
                    .col(boolean("owns_bookings"))
                    .col(boolean("export_payments"))
                    .col(boolean("enabled"))
                    .col(string_null("contract_version"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .to_owned(),
            )
            .await?;
        // The domain system's key of every row the portal holds, with the version it holds.
        manager
            .create_table(
                Table::create()
                    .table("sync_key")
                    .col(string("source_system"))
                    .col(string("entity"))
                    .col(string("source_id"))
                    .col(uuid("local_id"))
                    .col(big_integer("source_version"))
                    .col(boolean("deleted"))
                    .col(timestamp_with_time_zone("synced_at"))
                    .primary_key(Index::create().col("source_system").col("entity").col("source_id"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("sync_key", "local_id")).await?;
        // How far each entity of each source has been read: (row_version, source_id) keyset.
        manager
            .create_table(
                Table::create()
                    .table("sync_watermark")
                    .col(string("source_system"))
                    .col(string("entity"))
                    .col(big_integer("row_version"))
                    .col(string("source_id"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .primary_key(Index::create().col("source_system").col("entity"))
                    .to_owned(),
            )
            .await?;
        // The last run of each entity (and of `export`, `acknowledgements`) of each source.
        manager
            .create_table(
                Table::create()
                    .table("sync_status")
                    .col(string("source_system"))
                    .col(string("entity"))
                    .col(timestamp_with_time_zone_null("last_run_at"))
                    .col(timestamp_with_time_zone_null("last_success_at"))
                    .col(big_integer("rows_read"))
                    .col(big_integer("rows_changed"))
                    .col(big_integer("errors"))
                    .col(text_null("last_error"))
                    .col(big_integer("total_rows_read"))
                    .col(big_integer("total_rows_changed"))
                    .primary_key(Index::create().col("source_system").col("entity"))
                    .to_owned(),
            )
            .await?;
        // Rows the portal could not take (an unknown parent, a third decimal place, …), until the
        // domain system corrects them (a new row_version) or they apply.
        manager
            .create_table(
                Table::create()
                    .table("sync_rejected")
                    .col(string("source_system"))
                    .col(string("entity"))
                    .col(string("source_id"))
                    .col(big_integer("source_version"))
                    .col(text("reason"))
                    .col(timestamp_with_time_zone("at"))
                    .primary_key(Index::create().col("source_system").col("entity").col("source_id"))
                    .to_owned(),
            )
            .await?;
        // The payment export ledger: one row per portal payment and the domain system it goes to.
        manager
            .create_table(
                Table::create()
                    .table("sync_export")
                    .col(uuid("payment_id"))
                    .col(string("source_system"))
                    // `pending`, `written`, `accepted`, `rejected`, `booked`.
                    .col(string("status"))
                    .col(integer("attempts"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone_null("written_at"))
                    .col(timestamp_with_time_zone_null("acknowledged_at"))
                    .col(timestamp_with_time_zone_null("booked_at"))
                    .col(string_null("domain_payment_id"))
                    .col(text_null("message"))
                    .primary_key(Index::create().col("payment_id").col("source_system"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("sync_export", "status")).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["sync_export", "sync_rejected", "sync_status", "sync_watermark", "sync_key", "sync_source", "job"] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
