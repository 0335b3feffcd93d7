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
                    .table("payment")
                    .col(uuid("id").primary_key())
                    .col(uuid("taxpayer_id"))
                    .col(string("source"))
                    .col(string("status"))
                    .col(date_null("payment_date"))
                    .col(date_null("booking_date"))
                    .col(big_integer("amount_grosze"))
                    .col(string_null("payer"))
                    .col(string_null("reference"))
                    .col(string_null("idempotency_key").unique_key())
                    .col(uuid_null("indicated_obligation_id"))
                    .col(string_null("gateway"))
                    .col(string_null("gateway_transaction_id").unique_key())
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone_null("booked_at"))
                    .foreign_key(&mut fk("payment", "taxpayer_id", "taxpayer", "id"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("payment", "taxpayer_id")).await?;
        manager
            .create_table(
                Table::create()
                    .table("allocation")
                    .col(uuid("id").primary_key())
                    .col(uuid("payment_id"))
                    .col(integer("position"))
                    .col(uuid_null("installment_id"))
                    .col(uuid_null("reminder_cost_id"))
                    .col(big_integer("principal_grosze"))
                    .col(big_integer("interest_grosze"))
                    .col(big_integer("reminder_costs_grosze"))
                    .col(big_integer("overpayment_grosze"))
                    .foreign_key(&mut fk("allocation", "payment_id", "payment", "id"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("allocation", "payment_id")).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["allocation", "payment"] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
