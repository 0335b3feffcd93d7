//! Migrations, one per file, the same on SQLite and PostgreSQL. A migration, once released, never
//! changes: a new file changes the schema.

use sea_orm_migration::prelude::*;

mod m20261203_000001_municipality_and_rates;
mod m20261203_000002_taxpayers_and_users;
mod m20261203_000003_obligations;
mod m20261203_000004_payments;
mod m20261203_000005_audit_and_clients;
mod m20261203_000006_sessions;
mod m20261203_000007_statements;
mod m20261203_000008_sync;
mod m20261204_000009_login_node_state;
mod m20261204_000010_token_key;
mod m20261204_000011_statement_file_lz4;
mod m20261204_000012_import_indexes;

#[derive(Debug)]
pub struct Migrator;

impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261203_000001_municipality_and_rates::Migration),
            Box::new(m20261203_000002_taxpayers_and_users::Migration),
            Box::new(m20261203_000003_obligations::Migration),
            Box::new(m20261203_000004_payments::Migration),
            Box::new(m20261203_000005_audit_and_clients::Migration),
            Box::new(m20261203_000006_sessions::Migration),
            Box::new(m20261203_000007_statements::Migration),
            Box::new(m20261203_000008_sync::Migration),
            Box::new(m20261204_000009_login_node_state::Migration),
            Box::new(m20261204_000010_token_key::Migration),
            Box::new(m20261204_000011_statement_file_lz4::Migration),
            Box::new(m20261204_000012_import_indexes::Migration),
        ]
    }
}

/// A foreign key from `table.column` to `target.id`.
pub(crate) fn fk(
    table: &'static str,
    column: &'static str,
    target: &'static str,
    target_column: &'static str,
) -> ForeignKeyCreateStatement {
    ForeignKey::create().name(format!("fk_{table}_{column}")).from(table, column).to(target, target_column).to_owned()
}

/// A plain index on one column.
pub(crate) fn index(table: &'static str, column: &'static str) -> IndexCreateStatement {
    Index::create().name(format!("ix_{table}_{column}")).table(table).col(column).to_owned()
}
