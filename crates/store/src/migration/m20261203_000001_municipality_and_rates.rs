use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("municipality")
                    .col(integer("id").primary_key())
                    .col(string("name"))
                    .col(string("nip"))
                    .col(string("address"))
                    .col(string("bank_account"))
                    .col(string("virtual_account_prefix"))
                    .col(string("virtual_account_check"))
                    .col(string("threshold_mode"))
                    .col(date("rates_verified_up_to"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("interest_rate")
                    .col(date("effective_from").primary_key())
                    .col(string_null("lombard"))
                    .col(string("standard"))
                    .col(string("reduced"))
                    .col(string_null("increased"))
                    .col(text("source"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("interest_threshold")
                    .col(date("effective_from").primary_key())
                    .col(big_integer("amount_grosze"))
                    .col(text("source"))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["interest_threshold", "interest_rate", "municipality"] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
