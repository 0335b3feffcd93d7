//! Isolated databases for tests: every call gets a database of its own (a fresh SQLite file, or a
//! fresh PostgreSQL database on the server named by `TEST_DATABASE_URL`), migrated and empty.

use sea_orm::{ConnectionTrait, Database};

use crate::{Store, StoreError};

/// Which backends the tests run on: SQLite always, PostgreSQL when `TEST_DATABASE_URL` is set.
pub fn backends() -> Vec<&'static str> {
    let mut list = vec!["sqlite"];
    if std::env::var("TEST_DATABASE_URL").is_ok_and(|v| !v.is_empty()) {
        list.push("postgres");
    }
    list
}

/// A fresh, migrated database on the named backend, and its URL.
pub async fn fresh(backend: &str) -> Result<(Store, String), StoreError> {
    let name = format!("t_{}", uuid::Uuid::new_v4().simple());
    let url = match backend {
        "postgres" => {
            let admin = std::env::var("TEST_DATABASE_URL").map_err(|_| StoreError::Corrupt("TEST_DATABASE_URL is not set".into()))?;
            let server = Database::connect(admin.as_str()).await?;
            server.execute_unprepared(&format!("CREATE DATABASE {name}")).await?;
            server.close().await?;
            replace_database(&admin, &name)
        }
        _ => {
            let dir = std::env::temp_dir().join("naleznosci-tests");
            format!("sqlite://{}/{name}.db?mode=rwc", dir.display())
        }
    };
    Ok((Store::connect(&url).await?, url))
}

/// Removes a database made by [`fresh`] (the pool must be closed first).
pub async fn remove(url: &str) -> Result<(), StoreError> {
    if url.starts_with("postgres") {
        let admin = std::env::var("TEST_DATABASE_URL").map_err(|_| StoreError::Corrupt("TEST_DATABASE_URL is not set".into()))?;
        let name = url.rsplit('/').next().unwrap_or_default().split('?').next().unwrap_or_default();
        let server = Database::connect(admin.as_str()).await?;
        server.execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).await?;
        server.close().await?;
    } else if let Some(path) = url.strip_prefix("sqlite://").and_then(|r| r.split('?').next()) {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{path}{suffix}"));
        }
    }
    Ok(())
}

/// The same server URL with another database name.
fn replace_database(url: &str, database: &str) -> String {
    let (base, query) = url.split_once('?').map_or((url, None), |(b, q)| (b, Some(q)));
    let base = match base.rfind('/') {
        Some(slash) if base[..slash].contains("//") && slash > base.find("//").unwrap_or(0) + 1 => &base[..slash],
        _ => base,
    };
    match query {
        Some(q) => format!("{base}/{database}?{q}"),
        None => format!("{base}/{database}"),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn replaces_the_database_name() {
        assert_eq!(super::replace_database("postgres://app:app@127.0.0.1:5432/app", "t_1"), "postgres://app:app@127.0.0.1:5432/t_1");
        assert_eq!(super::replace_database("postgres://127.0.0.1:5432", "t_1"), "postgres://127.0.0.1:5432/t_1");
        assert_eq!(super::replace_database("postgres://u@h/db?sslmode=disable", "t_1"), "postgres://u@h/t_1?sslmode=disable");
    }
}
