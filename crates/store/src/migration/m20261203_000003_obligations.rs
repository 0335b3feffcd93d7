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
                    .table("obligation")
                    .col(uuid("id").primary_key())
                    .col(uuid("taxpayer_id"))
                    .col(string("kind"))
                    .col(integer("year"))
                    .col(string("title"))
                    .col(string("decision_number"))
                    .col(date("decision_date"))
                    .col(date_null("delivered_date"))
                    .col(big_integer("amount_grosze"))
                    .col(string("interest_regime"))
                    .col(string("rate_kind"))
                    .col(string("source_system"))
                    .col(string("source_id"))
                    .col(big_integer("source_version"))
                    .col(timestamp_with_time_zone("synced_at"))
                    .foreign_key(&mut fk("obligation", "taxpayer_id", "taxpayer", "id"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("obligation", "taxpayer_id")).await?;
        manager
            .create_index(
                Index::create().name("ux_obligation_source").table("obligation").col("source_system").col("source_id").unique().to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("basis_item")
                    .col(uuid("id").primary_key())
                    .col(uuid("obligation_id"))
                    .col(integer("position"))
                    .col(string("category"))
                    .col(string("quantity"))
                    .col(string("unit"))
                    .col(string("rate"))
                    .col(big_integer("amount_grosze"))
                    .col(string("resolution"))
                    .foreign_key(&mut fk("basis_item", "obligation_id", "obligation", "id"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("basis_item", "obligation_id")).await?;
        manager
            .create_table(
                Table::create()
                    .table("installment")
                    .col(uuid("id").primary_key())
                    .col(uuid("obligation_id"))
                    .col(integer("number"))
                    .col(date("due_date"))
                    .col(big_integer("amount_grosze"))
                    .foreign_key(&mut fk("installment", "obligation_id", "obligation", "id"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("installment", "obligation_id")).await?;
        manager
            .create_table(
                Table::create()
                    .table("document")
                    .col(uuid("id").primary_key())
                    .col(uuid("obligation_id"))
                    .col(string("kind"))
                    .col(string("file_name"))
                    .col(string("media_type"))
                    .col(blob_null("content"))
                    .col(string_null("reference"))
                    .col(string("sha256"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(&mut fk("document", "obligation_id", "obligation", "id"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("document", "obligation_id")).await?;
        manager
            .create_table(
                Table::create()
                    .table("reminder_cost")
                    .col(uuid("id").primary_key())
                    .col(uuid("taxpayer_id"))
                    .col(uuid_null("obligation_id"))
                    .col(date("delivered"))
                    .col(big_integer("amount_grosze"))
                    .foreign_key(&mut fk("reminder_cost", "taxpayer_id", "taxpayer", "id"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("reminder_cost", "taxpayer_id")).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["reminder_cost", "document", "installment", "basis_item", "obligation"] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
