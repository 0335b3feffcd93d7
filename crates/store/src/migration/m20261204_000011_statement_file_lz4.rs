//! Imported statement files are kept whole (payments.md §6) and compress ~8:1; on PostgreSQL they are
//! compressed with lz4 rather than the default pglz, which took ~2× as long on a 60 MB statement
//! (issue 6 benchmark: the file is stored in the import's transaction). A server built without lz4
//! keeps pglz. SQLite stores the bytes as they are.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != DbBackend::Postgres {
            return Ok(());
        }
        manager
            .get_connection()
            .execute_unprepared(
                "DO $$ BEGIN \
                   ALTER TABLE statement_file ALTER COLUMN content SET COMPRESSION lz4; \
                 EXCEPTION WHEN feature_not_supported THEN NULL; \
                 END $$",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != DbBackend::Postgres {
            return Ok(());
        }
        manager.get_connection().execute_unprepared("ALTER TABLE statement_file ALTER COLUMN content SET COMPRESSION default").await?;
        Ok(())
    }
}
