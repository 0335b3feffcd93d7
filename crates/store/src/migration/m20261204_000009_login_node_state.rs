//! The login node's state in the database, shared by every replica (identity.md §3 #16–17, §1 SLO):
//! pending logins between the AuthnRequest and the artifact, the replay cache of SAML identifiers,
//! and the node's session of each portal session (NameID, its format, SessionIndex as JSON) for
//! single logout.

use sea_orm_migration::{prelude::*, schema::*};

use super::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.alter_table(Table::alter().table("session").add_column(text_null("wk_session")).to_owned()).await?;
        manager
            .create_table(
                Table::create()
                    .table("pending_login")
                    // SHA-256 (hex) of the binding cookie's token.
                    .col(string("key").primary_key())
                    .col(text("login"))
                    .col(timestamp_with_time_zone("expires_at"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("pending_login", "expires_at")).await?;
        manager
            .create_table(
                Table::create()
                    .table("saml_replay")
                    .col(string("kind"))
                    // SHA-256 (hex) of the identifier.
                    .col(string("id"))
                    .col(timestamp_with_time_zone("expires_at"))
                    .primary_key(Index::create().col("kind").col("id"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("saml_replay", "expires_at")).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table("saml_replay").to_owned()).await?;
        manager.drop_table(Table::drop().table("pending_login").to_owned()).await?;
        manager.alter_table(Table::alter().table("session").drop_column("wk_session").to_owned()).await
    }
}
