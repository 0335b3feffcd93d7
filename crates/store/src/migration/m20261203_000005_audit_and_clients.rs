use sea_orm_migration::{prelude::*, schema::*};

use super::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("audit_log")
                    .col(big_pk_auto("id"))
                    .col(timestamp_with_time_zone("at"))
                    .col(string("actor_kind"))
                    .col(string_null("actor_id"))
                    .col(string("action"))
                    .col(string_null("subject_kind"))
                    .col(string_null("subject_id"))
                    .col(uuid_null("taxpayer_id"))
                    .col(string("outcome"))
                    .col(json_null("details"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("audit_log", "at")).await?;
        manager.create_index(index("audit_log", "taxpayer_id")).await?;
        manager
            .create_table(
                Table::create()
                    .table("api_client")
                    .col(uuid("id").primary_key())
                    .col(string("client_id").unique_key())
                    .col(string("name"))
                    .col(string("secret_hash"))
                    .col(string("scopes"))
                    .col(boolean("active"))
                    .col(timestamp_with_time_zone("created_at"))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["api_client", "audit_log"] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
