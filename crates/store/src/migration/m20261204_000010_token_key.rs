//! The access-token signing key shared by every replica when no key file is configured: the first
//! replica to start stores its key, every other one uses that (a token issued by one replica
//! verifies on all of them).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("token_key")
                    .col(string("name").primary_key())
                    .col(string("kid"))
                    .col(text("private_key_pem"))
                    .col(timestamp_with_time_zone("created_at"))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table("token_key").to_owned()).await
    }
}
