//! sea-orm entities, one module per table. Money is stored as whole grosze (`*_grosze`, BIGINT):
//! exact on both backends (sea-orm reads DECIMAL through f64 on SQLite, which would lose the point).

macro_rules! no_relations {
    () => {
        #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
        pub enum Relation {}
        impl ActiveModelBehavior for ActiveModel {}
    };
}

pub mod municipality {
    use sea_orm::entity::prelude::*;
    /// The municipality's settings: one row (id 1).
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "municipality")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: i32,
        pub name: String,
        pub nip: String,
        pub address: String,
        /// The municipality's main account (NRB digits).
        pub bank_account: String,
        /// Virtual accounts: settlement number + payee code assigned by the bank.
        pub virtual_account_prefix: String,
        /// `none` or `luhn`.
        pub virtual_account_check: String,
        /// `rounded` or `exact` (tax-rules.md §8.2).
        pub threshold_mode: String,
        pub rates_verified_up_to: TimeDate,
        pub updated_at: TimeDateTimeWithTimeZone,
    }
    no_relations!();
}

pub mod taxpayer {
    use sea_orm::entity::prelude::*;
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "taxpayer")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        /// `natural` or `legal`.
        pub kind: String,
        pub name: String,
        pub first_name: Option<String>,
        pub last_name: Option<String>,
        #[sea_orm(unique)]
        pub pesel: Option<String>,
        pub nip: Option<String>,
        pub regon: Option<String>,
        pub street: String,
        pub postal_code: String,
        pub city: String,
        pub created_at: TimeDateTimeWithTimeZone,
    }
    no_relations!();
}

pub mod portal_user {
    use sea_orm::entity::prelude::*;
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "portal_user")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        #[sea_orm(unique)]
        pub pesel: Option<String>,
        pub display_name: String,
        /// Comma-separated roles: `resident`, `clerk`, `admin`.
        pub roles: String,
        pub created_at: TimeDateTimeWithTimeZone,
        pub last_login_at: Option<TimeDateTimeWithTimeZone>,
    }
    no_relations!();
}

pub mod user_taxpayer_link {
    use sea_orm::entity::prelude::*;
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "user_taxpayer_link")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub user_id: Uuid,
        pub taxpayer_id: Uuid,
        /// `owner`, `co_owner`, `proxy`, `representative`.
        pub kind: String,
        pub valid_from: TimeDate,
        pub valid_to: Option<TimeDate>,
        pub granted_by: Option<Uuid>,
        pub created_at: TimeDateTimeWithTimeZone,
    }
    no_relations!();
}

pub mod obligation {
    use sea_orm::entity::prelude::*;
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "obligation")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub taxpayer_id: Uuid,
        /// `domain::obligation::ObligationKind` code.
        pub kind: String,
        pub year: i32,
        pub title: String,
        pub decision_number: String,
        pub decision_date: TimeDate,
        pub delivered_date: Option<TimeDate>,
        pub amount_grosze: i64,
        /// `tax_ordinance` (tax-rules.md §8.10; civil-law receivables later).
        pub interest_regime: String,
        /// `standard`, `reduced` or `increased`.
        pub rate_kind: String,
        pub source_system: String,
        pub source_id: String,
        pub source_version: i64,
        pub synced_at: TimeDateTimeWithTimeZone,
    }
    no_relations!();
}

pub mod basis_item {
    use sea_orm::entity::prelude::*;
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "basis_item")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub obligation_id: Uuid,
        pub position: i32,
        pub category: String,
        /// Exact decimal as text (e.g. "123.45" m²).
        pub quantity: String,
        pub unit: String,
        /// Exact decimal as text (zł per unit).
        pub rate: String,
        pub amount_grosze: i64,
        pub resolution: String,
    }
    no_relations!();
}

pub mod installment {
    use sea_orm::entity::prelude::*;
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "installment")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub obligation_id: Uuid,
        pub number: i32,
        pub due_date: TimeDate,
        pub amount_grosze: i64,
    }
    no_relations!();
}

pub mod document {
    use sea_orm::entity::prelude::*;
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "document")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub obligation_id: Uuid,
        /// `decision`, `receipt`, …
        pub kind: String,
        pub file_name: String,
        pub media_type: String,
        /// The bytes, or `None` when `reference` points at the domain system's archive.
        pub content: Option<Vec<u8>>,
        pub reference: Option<String>,
        pub sha256: String,
        pub created_at: TimeDateTimeWithTimeZone,
    }
    no_relations!();
}

pub mod payment {
    use sea_orm::entity::prelude::*;
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "payment")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub taxpayer_id: Uuid,
        /// `online`, `transfer`, `cash`, `domain_system`.
        pub source: String,
        /// `pending`, `booked`, `rejected`, `expired`.
        pub status: String,
        /// The legal payment date (art. 60 OP), set when booked.
        pub payment_date: Option<TimeDate>,
        pub booking_date: Option<TimeDate>,
        pub amount_grosze: i64,
        pub payer: Option<String>,
        pub reference: Option<String>,
        #[sea_orm(unique)]
        pub idempotency_key: Option<String>,
        pub indicated_obligation_id: Option<Uuid>,
        pub gateway: Option<String>,
        #[sea_orm(unique)]
        pub gateway_transaction_id: Option<String>,
        pub created_at: TimeDateTimeWithTimeZone,
        pub booked_at: Option<TimeDateTimeWithTimeZone>,
    }
    no_relations!();
}

pub mod allocation {
    use sea_orm::entity::prelude::*;
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "allocation")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub payment_id: Uuid,
        pub position: i32,
        pub installment_id: Option<Uuid>,
        pub reminder_cost_id: Option<Uuid>,
        pub principal_grosze: i64,
        pub interest_grosze: i64,
        pub reminder_costs_grosze: i64,
        /// What the payment left over (nadpłata), on the last line.
        pub overpayment_grosze: i64,
    }
    no_relations!();
}

pub mod reminder_cost {
    use sea_orm::entity::prelude::*;
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "reminder_cost")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub taxpayer_id: Uuid,
        pub obligation_id: Option<Uuid>,
        pub delivered: TimeDate,
        pub amount_grosze: i64,
    }
    no_relations!();
}

pub mod interest_rate {
    use sea_orm::entity::prelude::*;
    /// Rates as exact decimal text in percent.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "interest_rate")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub effective_from: TimeDate,
        pub lombard: Option<String>,
        pub standard: String,
        pub reduced: String,
        pub increased: Option<String>,
        pub source: String,
    }
    no_relations!();
}

pub mod interest_threshold {
    use sea_orm::entity::prelude::*;
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "interest_threshold")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub effective_from: TimeDate,
        pub amount_grosze: i64,
        pub source: String,
    }
    no_relations!();
}

pub mod virtual_account {
    use sea_orm::entity::prelude::*;
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "virtual_account")]
    pub struct Model {
        /// The 26 NRB digits.
        #[sea_orm(primary_key, auto_increment = false)]
        pub nrb: String,
        #[sea_orm(unique)]
        pub taxpayer_id: Uuid,
        pub identifier: i64,
        pub created_at: TimeDateTimeWithTimeZone,
    }
    no_relations!();
}

pub mod audit_log {
    use sea_orm::entity::prelude::*;
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "audit_log")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub at: TimeDateTimeWithTimeZone,
        /// `user`, `api_client`, `system`, `anonymous`.
        pub actor_kind: String,
        pub actor_id: Option<String>,
        pub action: String,
        pub subject_kind: Option<String>,
        pub subject_id: Option<String>,
        pub taxpayer_id: Option<Uuid>,
        /// `allowed`, `denied`, `failed`.
        pub outcome: String,
        pub details: Option<Json>,
    }
    no_relations!();
}

pub mod api_client {
    use sea_orm::entity::prelude::*;
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "api_client")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        #[sea_orm(unique)]
        pub client_id: String,
        pub name: String,
        /// SHA-256 of the secret, hex.
        pub secret_hash: String,
        /// Space-separated scopes.
        pub scopes: String,
        pub active: bool,
        pub created_at: TimeDateTimeWithTimeZone,
    }
    no_relations!();
}

pub mod session {
    use sea_orm::entity::prelude::*;
    /// A refresh token (stored as its SHA-256), one of a family that rotation keeps together.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "session")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub family_id: Uuid,
        pub user_id: Uuid,
        #[sea_orm(unique)]
        pub token_hash: String,
        pub acr: Option<String>,
        pub created_at: TimeDateTimeWithTimeZone,
        /// The family's absolute end: rotation does not extend it.
        pub expires_at: TimeDateTimeWithTimeZone,
        /// Set when the token was exchanged for a new one; presenting it again is reuse.
        pub rotated_at: Option<TimeDateTimeWithTimeZone>,
        pub revoked_at: Option<TimeDateTimeWithTimeZone>,
        /// The login node's session (JSON: NameID, its format, SessionIndex) for single logout;
        /// copied to every rotation of the family. `None` for logins without the node (dev).
        pub wk_session: Option<String>,
    }
    no_relations!();
}

pub mod pending_login {
    use sea_orm::entity::prelude::*;
    /// A login waiting for the login node's artifact (identity's `PendingLogin` as JSON), keyed by
    /// the SHA-256 of its binding cookie; taken once.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "pending_login")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub key: String,
        pub login: String,
        pub expires_at: TimeDateTimeWithTimeZone,
    }
    no_relations!();
}

pub mod saml_replay {
    use sea_orm::entity::prelude::*;
    /// A SAML identifier already used (artifact, ArtifactResponse, Response, Assertion), kept until
    /// its message could no longer be valid.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "saml_replay")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub kind: String,
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub expires_at: TimeDateTimeWithTimeZone,
    }
    no_relations!();
}

pub mod token_key {
    use sea_orm::entity::prelude::*;
    /// An access-token signing key shared by the replicas (PKCS#8 PEM; see the server's `auth.rs`).
    #[derive(Clone, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "token_key")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub name: String,
        pub kid: String,
        pub private_key_pem: String,
        pub created_at: TimeDateTimeWithTimeZone,
    }
    no_relations!();

    impl std::fmt::Debug for Model {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.debug_struct("token_key::Model").field("name", &self.name).field("kid", &self.kid).finish_non_exhaustive()
        }
    }
}
