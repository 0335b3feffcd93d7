//! The portal's own database: entities, migrations and the queries the server needs.
//!
//! One set of migrations serves the embedded default (a SQLite file under `./data/`) and
//! PostgreSQL (`DATABASE_URL`). Money is stored as whole grosze; see [`entities`].

mod bulk;
pub mod entities;
mod login_state;
mod migration;
mod records;
pub mod statements;
pub mod sync;
pub mod test_db;

use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend, DbErr, Statement};
use sea_orm_migration::MigratorTrait;

pub use bulk::BulkTransaction;
pub use migration::Migrator;
pub use records::*;
pub use sea_orm;
pub use sea_orm::prelude::Uuid;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Db(#[from] DbErr),
    #[error("cannot create the database folder {path}: {source}")]
    Folder { path: String, source: std::io::Error },
    #[error("stored data is inconsistent: {0}")]
    Corrupt(String),
    #[error("not found")]
    NotFound,
    #[error("conflict: {0}")]
    Conflict(String),
}

/// A handle on the database (cheap to clone: the pool is shared).
#[derive(Debug, Clone)]
pub struct Store {
    db: DatabaseConnection,
}

impl Store {
    /// Connects and brings the schema up to date. A `sqlite://` URL creates its file (and folder).
    pub async fn connect(url: &str) -> Result<Store, StoreError> {
        if let Some(path) = sqlite_file(url)
            && let Some(parent) = std::path::Path::new(path).parent()
            && !parent.as_os_str().is_empty()
        {
            std::fs::create_dir_all(parent).map_err(|source| StoreError::Folder { path: parent.display().to_string(), source })?;
        }
        let mut options = ConnectOptions::new(url.to_string());
        options.sqlx_logging(false).max_connections(if url.starts_with("sqlite") { 8 } else { 32 });
        let db = Database::connect(options).await?;
        if db.get_database_backend() == DbBackend::Sqlite {
            // WAL lets readers proceed during a write; foreign keys are off by default in SQLite.
            db.execute_unprepared("PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=5000;").await?;
        }
        Migrator::up(&db, None).await?;
        Ok(Store { db })
    }

    pub fn db(&self) -> &DatabaseConnection {
        &self.db
    }

    pub fn backend(&self) -> DbBackend {
        self.db.get_database_backend()
    }

    /// Fresh planner statistics after a bulk load (PostgreSQL; SQLite needs none). A prepared
    /// lookup planned while a table was nearly empty scans it whole, batch after batch, until
    /// statistics say otherwise — and autovacuum may be off or not have run yet.
    pub async fn analyze(&self) -> Result<(), StoreError> {
        if self.backend() != DbBackend::Postgres {
            return Ok(());
        }
        // The portal's own tables: a bare ANALYZE would also visit the shared catalogs, which only
        // a superuser may analyze (a notice per catalog).
        let sql = "SELECT quote_ident(tablename) AS name FROM pg_tables WHERE schemaname = current_schema()";
        let rows = self.db.query_all_raw(Statement::from_string(DbBackend::Postgres, sql)).await?;
        let tables = rows.iter().map(|row| row.try_get::<String>("", "name")).collect::<Result<Vec<_>, _>>()?;
        if !tables.is_empty() {
            self.db.execute_unprepared(&format!("ANALYZE {}", tables.join(", "))).await?;
        }
        Ok(())
    }

    /// `SELECT 1` through the pool: the health check and the benchmark's baseline.
    pub async fn ping(&self) -> Result<(), StoreError> {
        self.db.query_one_raw(Statement::from_string(self.backend(), "SELECT 1")).await?;
        Ok(())
    }
}

/// The file path of a `sqlite://` URL (`sqlite://./data/x.db?mode=rwc` → `./data/x.db`).
fn sqlite_file(url: &str) -> Option<&str> {
    let rest = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next()?;
    (!path.is_empty() && path != ":memory:").then_some(path)
}

#[cfg(test)]
mod tests {
    use super::sqlite_file;

    /// After `analyze` PostgreSQL has statistics for the portal's tables (`reltuples` is -1 for a
    /// table never analyzed).
    #[tokio::test]
    async fn analyze_gives_the_planner_statistics() {
        #![allow(clippy::unwrap_used, reason = "tests fail by panicking")]
        use sea_orm::{ConnectionTrait, Statement};
        for backend in crate::test_db::backends() {
            let (store, url) = crate::test_db::fresh(backend).await.unwrap();
            store.analyze().await.unwrap();
            if backend == "postgres" {
                let sql = "SELECT reltuples::float8 >= 0 AS analyzed FROM pg_class WHERE relname = 'taxpayer'";
                let row = store.db().query_one_raw(Statement::from_string(store.backend(), sql)).await.unwrap().unwrap();
                assert!(row.try_get::<bool>("", "analyzed").unwrap());
            }
            let _ = store.db().clone().close().await;
            crate::test_db::remove(&url).await.unwrap();
        }
    }

    #[test]
    fn sqlite_paths() {
        assert_eq!(sqlite_file("sqlite://./data/naleznosci.db?mode=rwc"), Some("./data/naleznosci.db"));
        assert_eq!(sqlite_file("sqlite::memory:"), None);
        assert_eq!(sqlite_file("postgres://x"), None);
    }
}
