//! Indexes shaped for the statement import (issue 6 benchmark: 1,000,000 lines booked in one
//! transaction, each row paying for every index it enters; measured on 899,572 payment rows).
//!
//! - The clerk's queue reads `outcome = 'unmatched'` ordered by value date; a partial index on that
//!   order replaces the index on `outcome`, which every line entered although nine in ten are never
//!   queued.
//! - PostgreSQL only: `payment.gateway_transaction_id` is unique only where present (transfers have
//!   none; their NULLs filled the old index: 4.7 s → 2.7 s). The line keys (`statement_line.line_key`,
//!   `payment.idempotency_key`) compare bytewise (`COLLATE "C"`): they are identifiers, equal when
//!   their bytes are, and the database's libc collation made every comparison a `strcoll`
//!   (9.5 s → 7.4 s). SQLite compares bytes already.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        db.execute_unprepared("DROP INDEX IF EXISTS ix_statement_line_outcome").await?;
        db.execute_unprepared(
            "CREATE INDEX IF NOT EXISTS ix_statement_line_unmatched ON statement_line (value_date, import_id, position) \
             WHERE outcome = 'unmatched'",
        )
        .await?;
        if manager.get_database_backend() == DbBackend::Postgres {
            db.execute_unprepared(
                "ALTER TABLE payment DROP CONSTRAINT payment_gateway_transaction_id_key; \
                 CREATE UNIQUE INDEX payment_gateway_transaction_id_key ON payment (gateway_transaction_id) \
                   WHERE gateway_transaction_id IS NOT NULL; \
                 ALTER TABLE payment ALTER COLUMN idempotency_key TYPE varchar COLLATE \"C\"; \
                 ALTER TABLE statement_line ALTER COLUMN line_key TYPE text COLLATE \"C\"",
            )
            .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        if manager.get_database_backend() == DbBackend::Postgres {
            db.execute_unprepared(
                "ALTER TABLE statement_line ALTER COLUMN line_key TYPE text COLLATE \"default\"; \
                 ALTER TABLE payment ALTER COLUMN idempotency_key TYPE varchar COLLATE \"default\"; \
                 DROP INDEX payment_gateway_transaction_id_key; \
                 ALTER TABLE payment ADD CONSTRAINT payment_gateway_transaction_id_key UNIQUE (gateway_transaction_id)",
            )
            .await?;
        }
        db.execute_unprepared("DROP INDEX IF EXISTS ix_statement_line_unmatched").await?;
        db.execute_unprepared("CREATE INDEX IF NOT EXISTS ix_statement_line_outcome ON statement_line (outcome)").await?;
        Ok(())
    }
}
