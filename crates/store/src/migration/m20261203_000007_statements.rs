//! Bank-statement import (issue 6): one row per imported file, the file itself, and one row per
//! statement line. `statement_line.line_key` is the line's stable identity (the parser's
//! `LineIdentity`) and is UNIQUE: that constraint is what makes a re-imported or overlapping file
//! never book a line twice, whatever the application code does.

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
                    .table("statement_import")
                    .col(uuid("id").primary_key())
                    .col(timestamp_with_time_zone("imported_at"))
                    .col(string("imported_by"))
                    .col(text("file_name"))
                    .col(string("file_sha256"))
                    .col(big_integer("file_size"))
                    .col(string("format"))
                    .col(string("encoding"))
                    .col(string("status"))
                    .col(integer("statements"))
                    .col(integer("lines"))
                    .col(integer("credits"))
                    .col(integer("debits"))
                    .col(integer("matched"))
                    .col(integer("unmatched"))
                    .col(integer("settled_online"))
                    .col(integer("duplicates"))
                    .col(big_integer("total_credited_grosze"))
                    .col(big_integer("total_booked_grosze"))
                    .col(json_null("unbalanced"))
                    .col(json_null("warnings"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("statement_import", "imported_at")).await?;
        manager
            .create_table(
                Table::create()
                    .table("statement_file")
                    .col(uuid("import_id").primary_key())
                    .col(blob("content"))
                    .foreign_key(&mut fk("statement_file", "import_id", "statement_import", "id"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("statement_line")
                    .col(uuid("id").primary_key())
                    .col(uuid("import_id"))
                    .col(text("line_key").unique_key())
                    .col(integer("position"))
                    .col(string("statement_account"))
                    .col(string("statement_number"))
                    .col(string("currency"))
                    .col(date("value_date"))
                    .col(date_null("booking_date"))
                    .col(string("direction"))
                    .col(boolean("reversal"))
                    .col(big_integer("amount_grosze"))
                    .col(text_null("counterparty_name"))
                    .col(string_null("counterparty_account"))
                    .col(text_null("title"))
                    .col(string_null("bank_reference"))
                    .col(string_null("customer_reference"))
                    .col(string_null("bank_transaction_id"))
                    .col(string_null("virtual_account"))
                    .col(string("outcome"))
                    .col(text_null("reason"))
                    .col(uuid_null("taxpayer_id"))
                    // The payment this line booked, or the online payment it settled: one line per payment.
                    .col(uuid_null("payment_id").unique_key())
                    .col(string_null("confidence"))
                    .col(json_null("suggestions"))
                    .col(string_null("assigned_by"))
                    .col(timestamp_with_time_zone_null("assigned_at"))
                    // No foreign keys here, by measurement: the rows are written by one import in the
                    // transaction that writes what they reference, and PostgreSQL's per-row checks cost
                    // ~5 µs each — 15 s per million lines for the three (issue 6 benchmark).
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("statement_line", "import_id")).await?;
        manager.create_index(index("statement_line", "outcome")).await?;
        manager.create_index(index("statement_line", "counterparty_account")).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["statement_line", "statement_file", "statement_import"] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
