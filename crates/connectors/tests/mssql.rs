//! Against a real SQL Server, when `MSSQL_TEST_URL` is set to an ADO.NET connection string of a
//! login that may create databases, e.g.
//!
//! ```text
//! MSSQL_TEST_URL='server=tcp:127.0.0.1,1433;user=sa;password=…;TrustServerCertificate=true' \
//!   cargo test -p connectors --test mssql -- --nocapture
//! ```
//!
//! It creates a scratch database (Polish_100_CI_AS), runs docs/contract.sql and
//! docs/sample-data.sql in it, imports it into a fresh SQLite store, exports a payment, reads the
//! acknowledgement back, imports the domain system's booking of it and a correction, and drops
//! the database. Without the variable it prints that it was skipped and passes.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "test code: a failed unwrap is a failed test")]

use connectors::Connector;
use connectors::config::{Marker, SourceConfig};
use connectors::mssql::MssqlConnector;
use connectors::sync::{ImportOptions, import, register_source};
use store::entities::{obligation, payment, taxpayer};
use store::sea_orm::prelude::*;
use time::OffsetDateTime;
use tokio_util::compat::TokioAsyncWriteCompatExt;

const SOURCE: &str = "mssql-test";

async fn client(config: tiberius::Config) -> tiberius::Client<tokio_util::compat::Compat<tokio::net::TcpStream>> {
    let tcp = tokio::net::TcpStream::connect(config.get_addr()).await.unwrap();
    tcp.set_nodelay(true).unwrap();
    tiberius::Client::connect(config, tcp.compat_write()).await.unwrap()
}

/// Runs a T-SQL script batch by batch (`GO` lines separate batches, as in sqlcmd).
async fn run_script(conn: &mut tiberius::Client<tokio_util::compat::Compat<tokio::net::TcpStream>>, script: &str) {
    let mut batch = String::new();
    for line in script.lines().chain(std::iter::once("GO")) {
        if line.trim().eq_ignore_ascii_case("GO") {
            if !batch.trim().is_empty() {
                conn.simple_query(batch.as_str()).await.unwrap().into_results().await.unwrap();
            }
            batch.clear();
        } else {
            batch.push_str(line);
            batch.push('\n');
        }
    }
}

fn docs(name: &str) -> String {
    std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs").join(name)).unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn against_a_real_sql_server() {
    let Some(url) = std::env::var("MSSQL_TEST_URL").ok().filter(|v| !v.is_empty()) else {
        // Written to the terminal directly (the test harness captures println!), so that the skip
        // shows in every test run, not only with --nocapture.
        use std::io::Write;
        let _ = writeln!(
            std::io::stderr(),
            "\nSKIPPED against_a_real_sql_server: MSSQL_TEST_URL is not set, so the MS SQL connector was NOT tested against a real SQL Server \
             (its queries and type mapping are unit-tested in connectors::mssql).\n"
        );
        return;
    };
    let name = format!("naleznosci_t_{}", uuid::Uuid::new_v4().simple());
    let mut admin = client(connectors::mssql::mssql_config(&url).unwrap()).await;
    admin.simple_query(format!("CREATE DATABASE [{name}] COLLATE Polish_100_CI_AS")).await.unwrap().into_results().await.unwrap();
    let database_url = format!("{};database={name}", url.trim_end_matches(';'));
    let mut domain = client(connectors::mssql::mssql_config(&database_url).unwrap()).await;
    run_script(&mut domain, &docs("contract.sql")).await;
    run_script(&mut domain, &docs("sample-data.sql")).await;

    let (store, store_url) = store::test_db::fresh("sqlite").await.unwrap();
    let mut config = SourceConfig::file(SOURCE, "/unused");
    config.kind = connectors::config::SourceKind::Mssql {
        connection: database_url.clone(),
        pool_size: 2,
        marker: Marker::Rowversion,
        lag_seconds: 60,
    };
    register_source(&store, &config, None).await.unwrap();
    let connector = MssqlConnector::new(&database_url, 2, Marker::Rowversion, 60).unwrap();
    assert_eq!(connector.contract_version().await.unwrap().to_string(), "1.0");

    // The sample data, exactly: MONEY amounts, Polish letters, the cash-desk payment and its booking.
    let report = import(&store, SOURCE, &connector, &ImportOptions { batch_size: 2, ..ImportOptions::default() }).await.unwrap();
    assert_eq!(report.errors(), 0, "{report:?}");
    assert_eq!(taxpayer::Entity::find().count(store.db()).await.unwrap(), 3);
    let zofia = taxpayer::Entity::find().filter(taxpayer::Column::Pesel.eq("66051412348")).one(store.db()).await.unwrap().unwrap();
    assert_eq!((zofia.name.as_str(), zofia.street.as_str()), ("Zofia Żółkiewska", "ul. Łąkowa 7"));
    let company = obligation::Entity::find().filter(obligation::Column::SourceId.eq("D-2026-0201")).one(store.db()).await.unwrap().unwrap();
    assert_eq!(company.amount_grosze, 2_400_000);
    let books = store.books(zofia.id).await.unwrap();
    assert_eq!(books.installments.len(), 4);
    assert_eq!(books.payments.len(), 1);
    assert_eq!(store.allocations_of(books.payments[0].id).await.unwrap().len(), 1);
    let again = import(&store, SOURCE, &connector, &ImportOptions::default()).await.unwrap();
    assert_eq!(again.rows_read(), 0, "incremental: nothing new");

    // A portal payment goes to portal.portal_payments once.
    let paid = payment::Model {
        id: uuid::Uuid::new_v4(),
        taxpayer_id: zofia.id,
        source: "online".into(),
        status: "booked".into(),
        payment_date: Some(time::macros::date!(2026 - 05 - 14)),
        booking_date: Some(time::macros::date!(2026 - 05 - 14)),
        amount_grosze: 10_300,
        payer: Some("Zofia Żółkiewska".into()),
        reference: Some("rata 2".into()),
        idempotency_key: None,
        indicated_obligation_id: books.obligations.first().map(|o| o.id),
        gateway: Some("paybynet".into()),
        gateway_transaction_id: Some("4711".into()),
        created_at: OffsetDateTime::now_utc(),
        booked_at: Some(OffsetDateTime::now_utc()),
    };
    store.insert_payment(paid.clone()).await.unwrap();
    for _ in 0..2 {
        connectors::export::export(&store, SOURCE, &connector, 100).await.unwrap();
    }
    let row = domain
        .query(
            "SELECT COUNT(*) AS n, MAX(CAST(amount AS NVARCHAR(40))) AS amount FROM portal.portal_payments WHERE portal_payment_id = @P1",
            &[&paid.id],
        )
        .await
        .unwrap()
        .into_row()
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.get::<i32, _>("n"), Some(1));
    assert_eq!(row.get::<&str, _>("amount"), Some("103.00"));

    // The domain system acknowledges and books it; the correction of a decision comes through.
    domain
        .execute(
            "UPDATE portal.portal_payments SET ack_status = 'accepted', acknowledged_at = SYSUTCDATETIME(), domain_payment_source_id = N'W-1' \
             WHERE portal_payment_id = @P1",
            &[&paid.id],
        )
        .await
        .unwrap();
    let report = connectors::export::export(&store, SOURCE, &connector, 100).await.unwrap();
    assert_eq!(report.accepted, 1);
    domain
        .execute(
            "INSERT INTO portal.t_payments (source_id, taxpayer_source_id, channel, payment_date, booking_date, amount, indicated_obligation_source_id, portal_payment_id) \
             VALUES (N'W-1', N'P-000101', 'portal', '2026-05-14', '2026-05-18', 103.00, N'D-2026-0101', @P1); \
             INSERT INTO portal.t_payment_allocations (source_id, payment_source_id, position, installment_source_id, principal) \
             VALUES (N'W-1/1', N'W-1', 1, N'R-0101-2', 103.00); \
             UPDATE portal.t_obligations SET amount = 24000.50 WHERE source_id = N'D-2026-0201';",
            &[&paid.id],
        )
        .await
        .unwrap();
    import(&store, SOURCE, &connector, &ImportOptions::default()).await.unwrap();
    assert!(store.provisional_payments(&[paid.id]).await.unwrap().is_empty());
    assert_eq!(store.allocations_of(paid.id).await.unwrap().len(), 1);
    assert_eq!(store.payment(paid.id).await.unwrap().unwrap().booking_date, Some(time::macros::date!(2026 - 05 - 18)));
    let company = obligation::Entity::find_by_id(company.id).one(store.db()).await.unwrap().unwrap();
    assert_eq!(company.amount_grosze, 2_400_050, "MONEY 24000.50 exactly");

    drop(connector);
    drop(domain);
    admin
        .simple_query(format!("ALTER DATABASE [{name}] SET SINGLE_USER WITH ROLLBACK IMMEDIATE; DROP DATABASE [{name}]"))
        .await
        .unwrap()
        .into_results()
        .await
        .unwrap();
    store.db().clone().close().await.unwrap();
    store::test_db::remove(&store_url).await.unwrap();
    println!("MS SQL connector tested against {}", connectors::config::redact(&url));
}
