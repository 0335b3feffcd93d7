/*
  e-Należności — integration contract, version 1.0 (T-SQL). The contract's views work on SQL Server
  2008 and later (TDS 7.3+); this reference implementation uses CREATE OR ALTER (2016 SP1 and later).
  The text of the contract is docs/integration-contract.md; this file is its DDL.

  What a domain system (tax accounting, tax assessment, finance) exposes to the portal, in the schema
  `portal` of its own database:

    portal.contract_info          the contract version the views implement
    portal.taxpayers              read by the portal  ┐
    portal.obligations            read by the portal  │ each row: source_id, row_version (change
    portal.basis_items            read by the portal  │ marker), modified_at, is_deleted (tombstone)
    portal.installments           read by the portal  │
    portal.payments               read by the portal  │ payments booked in the domain system
    portal.payment_allocations    read by the portal  │ how the domain system booked them
    portal.documents              read by the portal  │
    portal.reminder_costs         read by the portal  ┘ koszty upomnienia
    portal.portal_payments        WRITTEN by the portal (its payments), acknowledged by the domain system

  A domain system implements the read objects as VIEWS over its own tables, with exactly these
  column names and compatible types. This file is also a complete reference implementation: it
  creates base tables (portal.t_*) with a ROWVERSION column each and the views over them, so that
  a fresh database (the docker-compose stack, the connector's integration test) is a working
  domain system. Run it in the domain system's database, e.g.

    CREATE DATABASE domena COLLATE Polish_100_CI_AS;
    sqlcmd -d domena -i docs/contract.sql

  Rules that the DDL cannot express (see the contract document):
  - row_version grows with every change of a row (insert, update, soft delete); the reference
    implementation uses CAST(ROWVERSION AS BIGINT). The portal reads only rows below
    MIN_ACTIVE_ROWVERSION(), so no change of an open transaction is skipped.
  - Deletions are soft: is_deleted = 1 with a new row_version. A physically deleted row is never seen.
  - Amounts are DECIMAL(19,2) or MONEY, in PLN, never negative, at most two decimal places.
  - Dates are Europe/Warsaw civil dates; DATETIME2 values are UTC.
  - Text may use any collation (Polish_CI_AS, Polish_100_CI_AS, …); the portal reads it as NVARCHAR.
*/

SET NOCOUNT ON;
SET XACT_ABORT ON;
GO

IF SCHEMA_ID(N'portal') IS NULL EXEC (N'CREATE SCHEMA portal');
GO

/* ---------------------------------------------------------------------------------------------
   Contract version
   --------------------------------------------------------------------------------------------- */
CREATE OR ALTER VIEW portal.contract_info AS
    SELECT CAST(1 AS INT) AS major, CAST(0 AS INT) AS minor, CAST(N'e-naleznosci' AS NVARCHAR(32)) AS contract;
GO

/* ---------------------------------------------------------------------------------------------
   Reference base tables (a real domain system has its own; only the views below are the contract)
   --------------------------------------------------------------------------------------------- */
IF OBJECT_ID(N'portal.t_taxpayers', N'U') IS NULL
CREATE TABLE portal.t_taxpayers (
    source_id      NVARCHAR(64)  COLLATE Polish_100_CI_AS NOT NULL CONSTRAINT pk_t_taxpayers PRIMARY KEY,
    kind           VARCHAR(8)    NOT NULL CONSTRAINT ck_t_taxpayers_kind CHECK (kind IN ('natural', 'legal')),
    name           NVARCHAR(200) COLLATE Polish_100_CI_AS NOT NULL,
    first_name     NVARCHAR(100) COLLATE Polish_100_CI_AS NULL,
    last_name      NVARCHAR(100) COLLATE Polish_100_CI_AS NULL,
    pesel          CHAR(11)      NULL,
    nip            CHAR(10)      NULL,
    regon          VARCHAR(14)   NULL,
    street         NVARCHAR(200) COLLATE Polish_100_CI_AS NOT NULL,
    postal_code    VARCHAR(6)    NOT NULL,
    city           NVARCHAR(100) COLLATE Polish_100_CI_AS NOT NULL,
    is_deleted     BIT           NOT NULL CONSTRAINT df_t_taxpayers_deleted DEFAULT (0),
    modified_at    DATETIME2(3)  NOT NULL CONSTRAINT df_t_taxpayers_modified DEFAULT (SYSUTCDATETIME()),
    rv             ROWVERSION
);
IF OBJECT_ID(N'portal.t_obligations', N'U') IS NULL
CREATE TABLE portal.t_obligations (
    source_id          NVARCHAR(64)  COLLATE Polish_100_CI_AS NOT NULL CONSTRAINT pk_t_obligations PRIMARY KEY,
    taxpayer_source_id NVARCHAR(64)  COLLATE Polish_100_CI_AS NOT NULL,
    kind               VARCHAR(32)   NOT NULL CONSTRAINT ck_t_obligations_kind
                           CHECK (kind IN ('property_tax', 'agricultural_tax', 'forest_tax', 'combined_obligation', 'waste_fee', 'dog_fee')),
    year               INT           NOT NULL,
    title              NVARCHAR(200) COLLATE Polish_100_CI_AS NOT NULL,
    decision_number    NVARCHAR(64)  COLLATE Polish_100_CI_AS NOT NULL,
    decision_date      DATE          NOT NULL,
    delivered_date     DATE          NULL,
    amount             MONEY         NOT NULL CONSTRAINT ck_t_obligations_amount CHECK (amount >= 0),
    rate_kind          VARCHAR(16)   NOT NULL CONSTRAINT df_t_obligations_rate DEFAULT ('standard')
                           CONSTRAINT ck_t_obligations_rate CHECK (rate_kind IN ('standard', 'reduced', 'increased')),
    interest_regime    VARCHAR(32)   NOT NULL CONSTRAINT df_t_obligations_regime DEFAULT ('tax_ordinance'),
    is_deleted         BIT           NOT NULL CONSTRAINT df_t_obligations_deleted DEFAULT (0),
    modified_at        DATETIME2(3)  NOT NULL CONSTRAINT df_t_obligations_modified DEFAULT (SYSUTCDATETIME()),
    rv                 ROWVERSION
);
IF OBJECT_ID(N'portal.t_basis_items', N'U') IS NULL
CREATE TABLE portal.t_basis_items (
    source_id            NVARCHAR(64)  COLLATE Polish_100_CI_AS NOT NULL CONSTRAINT pk_t_basis_items PRIMARY KEY,
    obligation_source_id NVARCHAR(64)  COLLATE Polish_100_CI_AS NOT NULL,
    position             INT           NOT NULL,
    category             NVARCHAR(200) COLLATE Polish_100_CI_AS NOT NULL,
    quantity             DECIMAL(19,6) NOT NULL,
    unit                 NVARCHAR(16)  COLLATE Polish_100_CI_AS NOT NULL,
    rate                 DECIMAL(19,6) NOT NULL,
    amount               DECIMAL(19,2) NOT NULL CONSTRAINT ck_t_basis_items_amount CHECK (amount >= 0),
    resolution           NVARCHAR(400) COLLATE Polish_100_CI_AS NOT NULL,
    is_deleted           BIT           NOT NULL CONSTRAINT df_t_basis_items_deleted DEFAULT (0),
    modified_at          DATETIME2(3)  NOT NULL CONSTRAINT df_t_basis_items_modified DEFAULT (SYSUTCDATETIME()),
    rv                   ROWVERSION
);
IF OBJECT_ID(N'portal.t_installments', N'U') IS NULL
CREATE TABLE portal.t_installments (
    source_id            NVARCHAR(64)  COLLATE Polish_100_CI_AS NOT NULL CONSTRAINT pk_t_installments PRIMARY KEY,
    obligation_source_id NVARCHAR(64)  COLLATE Polish_100_CI_AS NOT NULL,
    number               INT           NOT NULL,
    due_date             DATE          NOT NULL,
    amount               DECIMAL(19,2) NOT NULL CONSTRAINT ck_t_installments_amount CHECK (amount >= 0),
    is_deleted           BIT           NOT NULL CONSTRAINT df_t_installments_deleted DEFAULT (0),
    modified_at          DATETIME2(3)  NOT NULL CONSTRAINT df_t_installments_modified DEFAULT (SYSUTCDATETIME()),
    rv                   ROWVERSION
);
IF OBJECT_ID(N'portal.t_reminder_costs', N'U') IS NULL
CREATE TABLE portal.t_reminder_costs (
    source_id            NVARCHAR(64)  COLLATE Polish_100_CI_AS NOT NULL CONSTRAINT pk_t_reminder_costs PRIMARY KEY,
    taxpayer_source_id   NVARCHAR(64)  COLLATE Polish_100_CI_AS NOT NULL,
    obligation_source_id NVARCHAR(64)  COLLATE Polish_100_CI_AS NULL,
    delivered_date       DATE          NOT NULL,
    amount               DECIMAL(19,2) NOT NULL CONSTRAINT ck_t_reminder_costs_amount CHECK (amount >= 0),
    is_deleted           BIT           NOT NULL CONSTRAINT df_t_reminder_costs_deleted DEFAULT (0),
    modified_at          DATETIME2(3)  NOT NULL CONSTRAINT df_t_reminder_costs_modified DEFAULT (SYSUTCDATETIME()),
    rv                   ROWVERSION
);
IF OBJECT_ID(N'portal.t_payments', N'U') IS NULL
CREATE TABLE portal.t_payments (
    source_id                      NVARCHAR(64)  COLLATE Polish_100_CI_AS NOT NULL CONSTRAINT pk_t_payments PRIMARY KEY,
    taxpayer_source_id             NVARCHAR(64)  COLLATE Polish_100_CI_AS NOT NULL,
    channel                        VARCHAR(16)   NOT NULL CONSTRAINT ck_t_payments_channel
                                       CHECK (channel IN ('cash_desk', 'transfer', 'card', 'portal', 'offset', 'other')),
    payment_date                   DATE          NOT NULL,
    booking_date                   DATE          NOT NULL,
    amount                         MONEY         NOT NULL CONSTRAINT ck_t_payments_amount CHECK (amount > 0),
    payer                          NVARCHAR(200) COLLATE Polish_100_CI_AS NULL,
    reference                      NVARCHAR(200) COLLATE Polish_100_CI_AS NULL,
    indicated_obligation_source_id NVARCHAR(64)  COLLATE Polish_100_CI_AS NULL,
    portal_payment_id              UNIQUEIDENTIFIER NULL,
    is_deleted                     BIT           NOT NULL CONSTRAINT df_t_payments_deleted DEFAULT (0),
    modified_at                    DATETIME2(3)  NOT NULL CONSTRAINT df_t_payments_modified DEFAULT (SYSUTCDATETIME()),
    rv                             ROWVERSION
);
IF OBJECT_ID(N'portal.t_payment_allocations', N'U') IS NULL
CREATE TABLE portal.t_payment_allocations (
    source_id             NVARCHAR(64)  COLLATE Polish_100_CI_AS NOT NULL CONSTRAINT pk_t_payment_allocations PRIMARY KEY,
    payment_source_id     NVARCHAR(64)  COLLATE Polish_100_CI_AS NOT NULL,
    position              INT           NOT NULL,
    installment_source_id NVARCHAR(64)  COLLATE Polish_100_CI_AS NULL,
    reminder_cost_source_id NVARCHAR(64) COLLATE Polish_100_CI_AS NULL,
    principal             DECIMAL(19,2) NOT NULL CONSTRAINT df_t_alloc_principal DEFAULT (0),
    interest              DECIMAL(19,2) NOT NULL CONSTRAINT df_t_alloc_interest DEFAULT (0),
    reminder_costs        DECIMAL(19,2) NOT NULL CONSTRAINT df_t_alloc_costs DEFAULT (0),
    overpayment           DECIMAL(19,2) NOT NULL CONSTRAINT df_t_alloc_over DEFAULT (0),
    is_deleted            BIT           NOT NULL CONSTRAINT df_t_alloc_deleted DEFAULT (0),
    modified_at           DATETIME2(3)  NOT NULL CONSTRAINT df_t_alloc_modified DEFAULT (SYSUTCDATETIME()),
    rv                    ROWVERSION
);
IF OBJECT_ID(N'portal.t_documents', N'U') IS NULL
CREATE TABLE portal.t_documents (
    source_id            NVARCHAR(64)   COLLATE Polish_100_CI_AS NOT NULL CONSTRAINT pk_t_documents PRIMARY KEY,
    obligation_source_id NVARCHAR(64)   COLLATE Polish_100_CI_AS NOT NULL,
    kind                 VARCHAR(32)    NOT NULL,
    file_name            NVARCHAR(200)  COLLATE Polish_100_CI_AS NOT NULL,
    media_type           VARCHAR(100)   NOT NULL,
    archive_reference    NVARCHAR(400)  COLLATE Polish_100_CI_AS NULL,
    sha256               CHAR(64)       NULL,
    content              VARBINARY(MAX) NULL,
    is_deleted           BIT            NOT NULL CONSTRAINT df_t_documents_deleted DEFAULT (0),
    modified_at          DATETIME2(3)   NOT NULL CONSTRAINT df_t_documents_modified DEFAULT (SYSUTCDATETIME()),
    rv                   ROWVERSION
);
GO

/* Incremental reads walk each view in (row_version, source_id) order. */
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'ix_t_taxpayers_rv')
    CREATE UNIQUE INDEX ix_t_taxpayers_rv ON portal.t_taxpayers (rv);
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'ix_t_obligations_rv')
    CREATE UNIQUE INDEX ix_t_obligations_rv ON portal.t_obligations (rv);
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'ix_t_basis_items_rv')
    CREATE UNIQUE INDEX ix_t_basis_items_rv ON portal.t_basis_items (rv);
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'ix_t_installments_rv')
    CREATE UNIQUE INDEX ix_t_installments_rv ON portal.t_installments (rv);
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'ix_t_reminder_costs_rv')
    CREATE UNIQUE INDEX ix_t_reminder_costs_rv ON portal.t_reminder_costs (rv);
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'ix_t_payments_rv')
    CREATE UNIQUE INDEX ix_t_payments_rv ON portal.t_payments (rv);
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'ix_t_payment_allocations_rv')
    CREATE UNIQUE INDEX ix_t_payment_allocations_rv ON portal.t_payment_allocations (rv);
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'ix_t_documents_rv')
    CREATE UNIQUE INDEX ix_t_documents_rv ON portal.t_documents (rv);
GO

/* ---------------------------------------------------------------------------------------------
   The contract: read views
   --------------------------------------------------------------------------------------------- */
CREATE OR ALTER VIEW portal.taxpayers AS
    SELECT source_id, CAST(rv AS BIGINT) AS row_version, modified_at, is_deleted,
           kind, name, first_name, last_name, pesel, nip, regon, street, postal_code, city
    FROM portal.t_taxpayers;
GO
CREATE OR ALTER VIEW portal.obligations AS
    SELECT source_id, CAST(rv AS BIGINT) AS row_version, modified_at, is_deleted,
           taxpayer_source_id, kind, year, title, decision_number, decision_date, delivered_date,
           amount, rate_kind, interest_regime
    FROM portal.t_obligations;
GO
CREATE OR ALTER VIEW portal.basis_items AS
    SELECT source_id, CAST(rv AS BIGINT) AS row_version, modified_at, is_deleted,
           obligation_source_id, position, category, quantity, unit, rate, amount, resolution
    FROM portal.t_basis_items;
GO
CREATE OR ALTER VIEW portal.installments AS
    SELECT source_id, CAST(rv AS BIGINT) AS row_version, modified_at, is_deleted,
           obligation_source_id, number, due_date, amount
    FROM portal.t_installments;
GO
CREATE OR ALTER VIEW portal.reminder_costs AS
    SELECT source_id, CAST(rv AS BIGINT) AS row_version, modified_at, is_deleted,
           taxpayer_source_id, obligation_source_id, delivered_date, amount
    FROM portal.t_reminder_costs;
GO
CREATE OR ALTER VIEW portal.payments AS
    SELECT source_id, CAST(rv AS BIGINT) AS row_version, modified_at, is_deleted,
           taxpayer_source_id, channel, payment_date, booking_date, amount, payer, reference,
           indicated_obligation_source_id, portal_payment_id
    FROM portal.t_payments;
GO
CREATE OR ALTER VIEW portal.payment_allocations AS
    SELECT source_id, CAST(rv AS BIGINT) AS row_version, modified_at, is_deleted,
           payment_source_id, position, installment_source_id, reminder_cost_source_id, principal, interest, reminder_costs, overpayment
    FROM portal.t_payment_allocations;
GO
CREATE OR ALTER VIEW portal.documents AS
    SELECT source_id, CAST(rv AS BIGINT) AS row_version, modified_at, is_deleted,
           obligation_source_id, kind, file_name, media_type, archive_reference, sha256, content
    FROM portal.t_documents;
GO

/* ---------------------------------------------------------------------------------------------
   The contract: the table the portal writes its payments to
   The portal inserts a row once per payment (the primary key makes a repeated insert a no-op) and
   never updates it afterwards. The domain system books the payment and acknowledges it by setting
   ack_status ('accepted' or 'rejected'), acknowledged_at and, when accepted, the source_id of its
   booking (the row it then exposes in portal.payments with portal_payment_id = this id).
   --------------------------------------------------------------------------------------------- */
IF OBJECT_ID(N'portal.portal_payments', N'U') IS NULL
CREATE TABLE portal.portal_payments (
    portal_payment_id              UNIQUEIDENTIFIER NOT NULL CONSTRAINT pk_portal_payments PRIMARY KEY,
    taxpayer_source_id             NVARCHAR(64)  COLLATE Polish_100_CI_AS NOT NULL,
    channel                        VARCHAR(16)   NOT NULL,          -- 'online', 'transfer', 'cash', …
    payment_date                   DATE          NOT NULL,          -- the legal payment date (art. 60 OP)
    booking_date                   DATE          NULL,
    amount                         DECIMAL(19,2) NOT NULL CONSTRAINT ck_portal_payments_amount CHECK (amount > 0),
    payer                          NVARCHAR(200) COLLATE Polish_100_CI_AS NULL,
    reference                      NVARCHAR(200) COLLATE Polish_100_CI_AS NULL,
    indicated_obligation_source_id NVARCHAR(64)  COLLATE Polish_100_CI_AS NULL,
    gateway_transaction_id         NVARCHAR(64)  NULL,
    portal_allocation              NVARCHAR(MAX) NULL,              -- JSON: the portal's provisional allocation
    exported_at                    DATETIME2(3)  NOT NULL CONSTRAINT df_portal_payments_exported DEFAULT (SYSUTCDATETIME()),
    -- written by the domain system:
    ack_status                     VARCHAR(16)   NULL CONSTRAINT ck_portal_payments_ack CHECK (ack_status IN ('accepted', 'rejected')),
    acknowledged_at                DATETIME2(3)  NULL,
    ack_message                    NVARCHAR(400) COLLATE Polish_100_CI_AS NULL,
    domain_payment_source_id       NVARCHAR(64)  COLLATE Polish_100_CI_AS NULL
);
GO
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'ix_portal_payments_unacknowledged')
    CREATE INDEX ix_portal_payments_unacknowledged ON portal.portal_payments (exported_at) WHERE acknowledged_at IS NULL;
GO

/* The portal's login needs SELECT on the views and INSERT/SELECT on portal_payments, nothing else:
     CREATE USER naleznosci FOR LOGIN naleznosci;
     GRANT SELECT ON SCHEMA::portal TO naleznosci;
     GRANT INSERT ON portal.portal_payments TO naleznosci;                                      */
