//! The domain-system integration through the API: the admin sync status, and the system of record
//! (a connected domain system owns the bookings: the portal's allocations show as provisional
//! until its booking comes back), on SQLite and (with TEST_DATABASE_URL) PostgreSQL.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "test code: a failed unwrap is a failed test")]

mod common;

use common::{TestApp, each_backend};
use connectors::config::SourceConfig;
use connectors::contract::{Change, Entity, Payload, Row, Taxpayer};
use connectors::file::{self, FileConnector};
use connectors::sync::{ImportOptions, import, register_source};
use reqwest::StatusCode;
use serde_json::Value;

/// A domain system that knows the demo's "owner" (same PESEL: the portal adopts its taxpayer).
fn domain_files(dir: &std::path::Path, pesel: &str) {
    file::write_contract(dir).unwrap();
    let owner = Row::Taxpayer(Taxpayer {
        kind: "natural".into(),
        name: "Anna Kowalska".into(),
        first_name: Some("Anna".into()),
        last_name: Some("Kowalska".into()),
        pesel: Some(pesel.into()),
        nip: None,
        regon: None,
        street: "Rynek 2".into(),
        postal_code: "36-065".into(),
        city: "Przykładowo".into(),
    });
    file::write_view(
        dir,
        Entity::Taxpayers,
        &[Change { source_id: "P-1".into(), row_version: 1, modified_at: None, payload: Payload::Upsert(owner) }],
    )
    .unwrap();
    std::fs::write(
        dir.join("obligations.jsonl"),
        r#"{"source_id": "D-9", "row_version": 2, "taxpayer_source_id": "NOBODY", "kind": "dog_fee", "year": 2026, "title": "Opłata od posiadania psów 2026", "decision_number": "X", "decision_date": "2026-02-01", "amount": "60.00"}"#,
    )
    .unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn sync_status_and_provisional_allocations() {
    each_backend(|backend| async move {
        let app = TestApp::spawn(&backend, true).await;
        let clerk = app.token("clerk").await;
        let owner = app.token("owner").await;

        // Standalone: the demo's data came through the file connector from a source that does not
        // own the bookings; nothing is provisional.
        let (status, body) = app.get("/api/v1/admin/sync-status", &clerk).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["mode"], "standalone");
        let demo_source = &body["sources"][0];
        assert_eq!((demo_source["name"].as_str(), demo_source["owns_bookings"].as_bool()), (Some("demo"), Some(false)), "{body}");
        let obligations = demo_source["entities"].as_array().unwrap().iter().find(|e| e["entity"] == "obligations").unwrap();
        assert!(obligations["rows_changed"].as_i64().unwrap() > 0, "{body}");
        let (status, _) = app.get("/api/v1/admin/sync-status", &owner).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{backend}: residents do not see it");
        let (taxpayer, _) = app.taxpayer_of(&owner).await;
        let (_, payments) = app.get(&format!("/api/v1/taxpayers/{taxpayer}/payments"), &owner).await;
        let items = payments["items"].as_array().unwrap().clone();
        assert!(!items.is_empty());
        assert!(items.iter().all(|p| p["provisional"] == false && p["source"] == "domain_system"), "{backend}: {payments}");
        // A payment the portal booked itself (as the gateway or a bank statement would).
        let taxpayer_id: uuid::Uuid = taxpayer.parse().unwrap();
        let own = store::entities::payment::Model {
            id: uuid::Uuid::new_v4(),
            taxpayer_id,
            source: "online".into(),
            status: "booked".into(),
            payment_date: Some(time::macros::date!(2026 - 12 - 01)),
            booking_date: Some(time::macros::date!(2026 - 12 - 01)),
            amount_grosze: 5_000,
            payer: None,
            reference: None,
            idempotency_key: None,
            indicated_obligation_id: None,
            gateway: None,
            gateway_transaction_id: None,
            created_at: time::OffsetDateTime::now_utc(),
            booked_at: Some(time::OffsetDateTime::now_utc()),
        };
        app.store.insert_payment(own.clone()).await.unwrap();
        let (_, payments) = app.get(&format!("/api/v1/taxpayers/{taxpayer}/payments"), &owner).await;
        assert!(payments["items"].as_array().unwrap().iter().all(|p| p["provisional"] == false), "standalone: final");

        // A domain system that owns the bookings now keeps the owner's books.
        let dir = tempfile::tempdir().unwrap();
        let pesel = demo::personas().unwrap().into_iter().find(|p| p.key == "owner").unwrap().pesel;
        domain_files(dir.path(), pesel.as_str());
        register_source(&app.store, &SourceConfig::file("fk", dir.path()), None).await.unwrap();
        let report = import(&app.store, "fk", &FileConnector::new(dir.path()), &ImportOptions::default()).await.unwrap();
        assert_eq!((report.rows_changed(), report.errors()), (1, 1), "{backend}");
        let (status, body) = app.get("/api/v1/admin/sync-status", &clerk).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["mode"], "connected");
        let source = body["sources"].as_array().unwrap().iter().find(|s| s["name"] == "fk").unwrap();
        assert_eq!(
            (source["name"].as_str(), source["kind"].as_str(), source["rejected_rows"].as_u64()),
            (Some("fk"), Some("file"), Some(1))
        );
        let entity =
            |name: &str| source["entities"].as_array().unwrap().iter().find(|e| e["entity"] == name).cloned().unwrap_or(Value::Null);
        assert_eq!((entity("taxpayers")["rows_read"].as_i64(), entity("taxpayers")["rows_changed"].as_i64()), (Some(1), Some(1)));
        assert_eq!(entity("obligations")["errors"], 1);
        assert!(entity("obligations")["last_error"].as_str().unwrap().contains("unknown taxpayer"), "{body}");
        assert_eq!(entity("taxpayers")["watermark"], 1);
        assert!(source["recent_rejections"][0]["reason"].as_str().unwrap().contains("NOBODY"));

        // The owner's portal-booked payment is now provisional (the domain system has not booked
        // it); the payments booked in a domain system are not.
        let (_, payments) = app.get(&format!("/api/v1/taxpayers/{taxpayer}/payments"), &owner).await;
        let items = payments["items"].as_array().unwrap().clone();
        for p in &items {
            assert_eq!(p["provisional"] == true, p["id"] == own.id.to_string().as_str(), "{backend}: {p}");
        }
        let (status, one) = app.get(&format!("/api/v1/payments/{}", own.id), &owner).await;
        assert_eq!((status, one["provisional"].as_bool()), (StatusCode::OK, Some(true)), "{one}");
        // Another resident's payments (not in the domain system) are not.
        let farmer = app.token("farmer").await;
        let (farmer_taxpayer, _) = app.taxpayer_of(&farmer).await;
        let (_, payments) = app.get(&format!("/api/v1/taxpayers/{farmer_taxpayer}/payments"), &farmer).await;
        assert!(payments["items"].as_array().unwrap().iter().all(|p| p["provisional"] == false));
        app.stop().await;
    })
    .await;
}
