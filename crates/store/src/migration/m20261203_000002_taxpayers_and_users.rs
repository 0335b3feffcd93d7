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
                    .table("taxpayer")
                    .col(uuid("id").primary_key())
                    .col(string("kind"))
                    .col(string("name"))
                    .col(string_null("first_name"))
                    .col(string_null("last_name"))
                    .col(string_null("pesel").unique_key())
                    .col(string_null("nip"))
                    .col(string_null("regon"))
                    .col(string("street"))
                    .col(string("postal_code"))
                    .col(string("city"))
                    .col(timestamp_with_time_zone("created_at"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("taxpayer", "nip")).await?;
        manager
            .create_table(
                Table::create()
                    .table("portal_user")
                    .col(uuid("id").primary_key())
                    .col(string_null("pesel").unique_key())
                    .col(string("display_name"))
                    .col(string("roles"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone_null("last_login_at"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("user_taxpayer_link")
                    .col(uuid("id").primary_key())
                    .col(uuid("user_id"))
                    .col(uuid("taxpayer_id"))
                    .col(string("kind"))
                    .col(date("valid_from"))
                    .col(date_null("valid_to"))
                    .col(uuid_null("granted_by"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(&mut fk("user_taxpayer_link", "user_id", "portal_user", "id"))
                    .foreign_key(&mut fk("user_taxpayer_link", "taxpayer_id", "taxpayer", "id"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("user_taxpayer_link", "user_id")).await?;
        manager.create_index(index("user_taxpayer_link", "taxpayer_id")).await?;
        manager
            .create_table(
                Table::create()
                    .table("virtual_account")
                    .col(string("nrb").primary_key())
                    .col(uuid("taxpayer_id").unique_key())
                    .col(big_integer("identifier").unique_key())
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(&mut fk("virtual_account", "taxpayer_id", "taxpayer", "id"))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["virtual_account", "user_taxpayer_link", "portal_user", "taxpayer"] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
