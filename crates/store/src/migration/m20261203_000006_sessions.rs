use sea_orm_migration::{prelude::*, schema::*};

use super::{fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("session")
                    .col(uuid("id").primary_key())
                    .col(uuid("family_id"))
                    .col(uuid("user_id"))
                    .col(string("token_hash").unique_key())
                    .col(string_null("acr"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("expires_at"))
                    .col(timestamp_with_time_zone_null("rotated_at"))
                    .col(timestamp_with_time_zone_null("revoked_at"))
                    .foreign_key(&mut fk("session", "user_id", "portal_user", "id"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("session", "family_id")).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table("session").to_owned()).await
    }
}
