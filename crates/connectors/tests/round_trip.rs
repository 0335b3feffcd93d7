//! The file connector's round trip on SQLite and (with TEST_DATABASE_URL) PostgreSQL: import →
//! store → corrections and deletions → export → acknowledgement → the domain system's booking
//! replaces the portal's provisional allocation.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "test code: a failed unwrap is a failed test")]

use connectors::Connector;
use connectors::config::SourceConfig;
use connectors::contract::*;
use connectors::file::{self, FileConnector};
use connectors::sync::{ImportOptions, import, register_source};
use store::entities::{allocation, basis_item, installment, obligation, payment, taxpayer};
use store::sea_orm::prelude::*;
use store::sea_orm::{ActiveModelTrait, EntityTrait, IntoActiveModel};
use store::sync::entities::sync_export;
use time::OffsetDateTime;
use time::macros::date;

const SOURCE: &str = "fk";

fn upsert(id: &str, version: i64, row: Row) -> Change {
    Change { source_id: id.into(), row_version: version, modified_at: None, payload: Payload::Upsert(row) }
}

fn tombstone(id: &str, version: i64) -> Change {
    Change { source_id: id.into(), row_version: version, modified_at: None, payload: Payload::Delete }
}

fn amount(text: &str) -> domain::Amount {
    text.parse().unwrap()
}

fn zofia() -> Row {
    Row::Taxpayer(Taxpayer {
        kind: "natural".into(),
        name: "Zofia Żółkiewska".into(),
        first_name: Some("Zofia".into()),
        last_name: Some("Żółkiewska".into()),
        pesel: Some("66051412348".into()),
        nip: None,
        regon: None,
        street: "ul. Łąkowa 7".into(),
        postal_code: "36-065".into(),
        city: "Przykładowo".into(),
    })
}

fn decision(total: &str) -> Row {
    Row::Obligation(Obligation {
        taxpayer_source_id: "P-1".into(),
        kind: "property_tax".into(),
        year: 2026,
        title: "Podatek od nieruchomości 2026".into(),
        decision_number: "FN.3120.101.2026".into(),
        decision_date: date!(2026 - 02 - 05),
        delivered_date: Some(date!(2026 - 02 - 12)),
        amount: amount(total),
        rate_kind: "standard".into(),
        interest_regime: "tax_ordinance".into(),
    })
}

fn rate(number: i32, due: time::Date, value: &str) -> Row {
    Row::Installment(Installment { obligation_source_id: "D-1".into(), number, due_date: due, amount: amount(value) })
}

/// The domain system's first export: one taxpayer, a decision with its basis, installments and
/// document, a cash-desk payment with its booking.
fn first_export(dir: &std::path::Path) {
    file::write_contract(dir).unwrap();
    file::write_view(dir, Entity::Taxpayers, &[upsert("P-1", 1, zofia())]).unwrap();
    file::write_view(dir, Entity::Obligations, &[upsert("D-1", 2, decision("412.00"))]).unwrap();
    file::write_view(
        dir,
        Entity::BasisItems,
        &[upsert(
            "B-1",
            3,
            Row::BasisItem(BasisItem {
                obligation_source_id: "D-1".into(),
                position: 1,
                category: "Grunty pozostałe".into(),
                quantity: "600.000000".parse().unwrap(),
                unit: "m²".into(),
                rate: "0.39".parse().unwrap(),
                amount: amount("234.00"),
                resolution: "Uchwała nr XII/34/2025".into(),
            }),
        )],
    )
    .unwrap();
    file::write_view(
        dir,
        Entity::Installments,
        &[
            upsert("R-1", 4, rate(1, date!(2026 - 03 - 16), "103.00")),
            upsert("R-2", 5, rate(2, date!(2026 - 05 - 15), "103.00")),
            upsert("R-3", 6, rate(3, date!(2026 - 09 - 15), "103.00")),
            upsert("R-4", 7, rate(4, date!(2026 - 11 - 16), "103.00")),
        ],
    )
    .unwrap();
    file::write_view(
        dir,
        Entity::Documents,
        &[upsert(
            "DOC-1",
            8,
            Row::Document(Document {
                obligation_source_id: "D-1".into(),
                kind: "decision".into(),
                file_name: "decyzja.pdf".into(),
                media_type: "application/pdf".into(),
                archive_reference: Some("ezd://FN.3120.101.2026".into()),
                sha256: None,
                content: None,
            }),
        )],
    )
    .unwrap();
    file::write_view(
        dir,
        Entity::ReminderCosts,
        &[upsert(
            "U-1",
            8,
            Row::ReminderCost(ReminderCost {
                taxpayer_source_id: "P-1".into(),
                obligation_source_id: Some("D-1".into()),
                delivered_date: date!(2026 - 04 - 01),
                amount: amount("16.00"),
            }),
        )],
    )
    .unwrap();
    file::write_view(
        dir,
        Entity::Payments,
        &[upsert(
            "K-17",
            9,
            Row::Payment(Payment {
                taxpayer_source_id: "P-1".into(),
                channel: "cash_desk".into(),
                payment_date: date!(2026 - 03 - 10),
                booking_date: date!(2026 - 03 - 10),
                amount: amount("103.00"),
                payer: Some("Zofia Żółkiewska".into()),
                reference: Some("KP 17/2026".into()),
                indicated_obligation_source_id: Some("D-1".into()),
                portal_payment_id: None,
            }),
        )],
    )
    .unwrap();
    file::write_view(
        dir,
        Entity::PaymentAllocations,
        &[upsert(
            "K-17/1",
            10,
            Row::PaymentAllocation(PaymentAllocation {
                payment_source_id: "K-17".into(),
                position: 1,
                installment_source_id: Some("R-1".into()),
                reminder_cost_source_id: None,
                principal: amount("103.00"),
                interest: domain::Amount::ZERO,
                reminder_costs: domain::Amount::ZERO,
                overpayment: domain::Amount::ZERO,
            }),
        )],
    )
    .unwrap();
}

/// Appends lines to a view's file (a correction is a line with a higher row_version).
fn append(dir: &std::path::Path, entity: Entity, changes: &[Change]) {
    use std::io::Write;
    let path = dir.join(format!("{}.jsonl", entity.name()));
    let mut f = std::fs::OpenOptions::new().create(true).append(true).open(path).unwrap();
    for c in changes {
        writeln!(f, "{}", change_to_json(c).unwrap()).unwrap();
    }
}

async fn round_trip(backend: &str) {
    let (store, url) = store::test_db::fresh(backend).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    first_export(dir.path());
    let config = SourceConfig::file(SOURCE, dir.path());
    register_source(&store, &config, None).await.unwrap();
    let connector = FileConnector::new(dir.path());
    let options = ImportOptions { batch_size: 2, ..ImportOptions::default() };

    // 1. Import: every view, in batches of two.
    let report = import(&store, SOURCE, &connector, &options).await.unwrap();
    assert_eq!((report.rows_read(), report.rows_changed(), report.errors()), (11, 11, 0), "{backend}: {report:?}");
    let t = taxpayer::Entity::find().one(store.db()).await.unwrap().unwrap();
    assert_eq!(t.name, "Zofia Żółkiewska");
    let o = obligation::Entity::find().one(store.db()).await.unwrap().unwrap();
    assert_eq!((o.amount_grosze, o.source_system.as_str(), o.source_id.as_str(), o.source_version), (41_200, SOURCE, "D-1", 2));
    assert!(OffsetDateTime::now_utc() - o.synced_at < time::Duration::minutes(1), "synced_at is now");
    let basis = basis_item::Entity::find().one(store.db()).await.unwrap().unwrap();
    assert_eq!((basis.quantity.as_str(), basis.rate.as_str(), basis.amount_grosze), ("600", "0.39", 23_400));
    let books = store.books(t.id).await.unwrap();
    assert_eq!(books.installments.len(), 4);
    assert_eq!(books.payments.len(), 1, "the cash-desk payment counts");
    assert_eq!(books.reminder_costs.iter().map(|c| (c.amount_grosze, c.obligation_id)).collect::<Vec<_>>(), [(1_600, Some(o.id))]);
    assert_eq!(books.payments[0].source, "domain_system");
    let lines = store.allocations_of(books.payments[0].id).await.unwrap();
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0].installment_id, Some(books.installments[0].id));
    assert_eq!(store.documents(o.id).await.unwrap()[0].reference.as_deref(), Some("ezd://FN.3120.101.2026"));

    // 2. Nothing new: nothing read, nothing changed.
    let again = import(&store, SOURCE, &connector, &options).await.unwrap();
    assert_eq!((again.rows_read(), again.rows_changed()), (0, 0), "{backend}");

    // 3. Corrections and deletions: the decision is amended (3 installments), one row is invalid,
    //    one refers to an unknown parent.
    append(
        dir.path(),
        Entity::Obligations,
        &[
            upsert("D-1", 20, decision("309.00")),
            upsert("D-2", 21, {
                let Row::Obligation(mut o) = decision("50.00") else { unreachable!() };
                o.taxpayer_source_id = "P-404".into();
                Row::Obligation(o)
            }),
        ],
    );
    append(dir.path(), Entity::Installments, &[tombstone("R-4", 22)]);
    std::fs::write(
        dir.path().join("installments.jsonl"),
        std::fs::read_to_string(dir.path().join("installments.jsonl")).unwrap()
            + r#"{"source_id": "R-5", "row_version": 23, "obligation_source_id": "D-1", "number": 5, "due_date": "2026-12-15", "amount": "1.005"}"#
            + "\n",
    )
    .unwrap();
    let corrected = import(&store, SOURCE, &connector, &options).await.unwrap();
    assert_eq!(corrected.of(Entity::Obligations).map(|r| (r.rows_read, r.rows_changed, r.errors)), Some((2, 1, 1)), "{backend}");
    assert_eq!(corrected.of(Entity::Installments).map(|r| (r.rows_read, r.rows_changed, r.errors)), Some((2, 1, 1)), "{backend}");
    let o = obligation::Entity::find_by_id(o.id).one(store.db()).await.unwrap().unwrap();
    assert_eq!((o.amount_grosze, o.source_version), (30_900, 20));
    assert_eq!(installment::Entity::find().count(store.db()).await.unwrap(), 3);
    let (rejected, total) = store.sync_rejected(SOURCE, 10).await.unwrap();
    assert_eq!(total, 2, "{backend}: {rejected:?}");
    assert!(rejected.iter().any(|r| r.source_id == "D-2" && r.reason.contains("unknown taxpayer")));
    assert!(rejected.iter().any(|r| r.source_id == "R-5" && r.reason.contains("amount")));
    // The domain system fixes the row: it applies and its rejection is gone.
    append(dir.path(), Entity::Installments, &[upsert("R-5", 24, rate(5, date!(2026 - 12 - 15), "1.00"))]);
    import(&store, SOURCE, &connector, &options).await.unwrap();
    assert_eq!(installment::Entity::find().count(store.db()).await.unwrap(), 4);
    assert_eq!(store.sync_rejected(SOURCE, 10).await.unwrap().1, 1);

    // 4. A resident pays online: the portal books it with its own allocation, provisional while
    //    the domain system (which owns the bookings) has not booked it.
    let second = installment::Entity::find().filter(installment::Column::Number.eq(2)).one(store.db()).await.unwrap().unwrap();
    let paid = payment::Model {
        id: Uuid::new_v4(),
        taxpayer_id: t.id,
        source: "online".into(),
        status: "booked".into(),
        payment_date: Some(date!(2026 - 05 - 14)),
        booking_date: Some(date!(2026 - 05 - 14)),
        amount_grosze: 10_300,
        payer: Some("Zofia Żółkiewska".into()),
        reference: Some("Podatek od nieruchomości 2026 rata 2".into()),
        idempotency_key: Some(Uuid::new_v4().to_string()),
        indicated_obligation_id: Some(o.id),
        gateway: Some("paybynet".into()),
        gateway_transaction_id: Some("1234567890".into()),
        created_at: OffsetDateTime::now_utc(),
        booked_at: Some(OffsetDateTime::now_utc()),
    };
    store.insert_payment(paid.clone()).await.unwrap();
    allocation::Model {
        id: Uuid::new_v4(),
        payment_id: paid.id,
        position: 0,
        installment_id: Some(second.id),
        reminder_cost_id: None,
        principal_grosze: 10_300,
        interest_grosze: 0,
        reminder_costs_grosze: 0,
        overpayment_grosze: 0,
    }
    .into_active_model()
    .insert(store.db())
    .await
    .unwrap();
    assert!(store.provisional_payments(&[paid.id, books.payments[0].id]).await.unwrap() == [paid.id].into(), "{backend}");

    // 5. Export: written once, however often the job runs.
    let report = connectors::export::export(&store, SOURCE, &connector, 100).await.unwrap();
    assert_eq!((report.queued, report.written, report.accepted), (1, 1, 0), "{backend}");
    let report = connectors::export::export(&store, SOURCE, &connector, 100).await.unwrap();
    assert_eq!((report.queued, report.written), (0, 0));
    let exported = std::fs::read_to_string(dir.path().join(file::PORTAL_PAYMENTS_FILE)).unwrap();
    assert_eq!(exported.lines().count(), 1, "{exported}");
    let row: PortalPayment = serde_json::from_str(exported.trim()).unwrap();
    assert_eq!((row.portal_payment_id, row.taxpayer_source_id.as_str(), row.amount), (paid.id, "P-1", amount("103.00")));
    assert_eq!(row.indicated_obligation_source_id.as_deref(), Some("D-1"));
    assert_eq!(row.portal_allocation[0].installment_source_id.as_deref(), Some("R-2"));
    // Writing the same payment again (a crash before the ledger moved) is a no-op.
    assert_eq!(connector.write_payments(std::slice::from_ref(&row)).await.unwrap(), vec![paid.id]);
    assert_eq!(std::fs::read_to_string(dir.path().join(file::PORTAL_PAYMENTS_FILE)).unwrap().lines().count(), 1);

    // 6. The acknowledgement comes back.
    let ack = Acknowledgement {
        portal_payment_id: paid.id,
        ack_status: "accepted".into(),
        acknowledged_at: OffsetDateTime::now_utc(),
        ack_message: None,
        domain_payment_source_id: Some("W-2026-881".into()),
    };
    std::fs::write(dir.path().join(file::ACKNOWLEDGEMENTS_FILE), serde_json::to_string(&ack).unwrap() + "\n").unwrap();
    let report = connectors::export::export(&store, SOURCE, &connector, 100).await.unwrap();
    assert_eq!((report.accepted, report.rejected), (1, 0), "{backend}");
    let ledger = sync_export::Entity::find().filter(sync_export::Column::PaymentId.eq(paid.id)).one(store.db()).await.unwrap().unwrap();
    assert_eq!((ledger.status.as_str(), ledger.domain_payment_id.as_deref()), ("accepted", Some("W-2026-881")));
    assert!(store.provisional_payments(&[paid.id]).await.unwrap().contains(&paid.id), "accepted is not booked yet");

    // 7. The domain system's booking of it comes back through sync: its dates and allocation win,
    //    it is not a second payment, and it is no longer provisional.
    append(
        dir.path(),
        Entity::Payments,
        &[upsert(
            "W-2026-881",
            30,
            Row::Payment(Payment {
                taxpayer_source_id: "P-1".into(),
                channel: "portal".into(),
                payment_date: date!(2026 - 05 - 14),
                booking_date: date!(2026 - 05 - 18),
                amount: amount("103.00"),
                payer: None,
                reference: None,
                indicated_obligation_source_id: Some("D-1".into()),
                portal_payment_id: Some(paid.id),
            }),
        )],
    );
    append(
        dir.path(),
        Entity::PaymentAllocations,
        &[
            upsert(
                "W-2026-881/1",
                31,
                Row::PaymentAllocation(PaymentAllocation {
                    payment_source_id: "W-2026-881".into(),
                    position: 1,
                    installment_source_id: Some("R-2".into()),
                    reminder_cost_source_id: None,
                    principal: amount("100.00"),
                    interest: domain::Amount::ZERO,
                    reminder_costs: domain::Amount::ZERO,
                    overpayment: domain::Amount::ZERO,
                }),
            ),
            upsert(
                "W-2026-881/2",
                32,
                Row::PaymentAllocation(PaymentAllocation {
                    payment_source_id: "W-2026-881".into(),
                    position: 2,
                    installment_source_id: Some("R-3".into()),
                    reminder_cost_source_id: None,
                    principal: amount("3.00"),
                    interest: domain::Amount::ZERO,
                    reminder_costs: domain::Amount::ZERO,
                    overpayment: domain::Amount::ZERO,
                }),
            ),
        ],
    );
    let report = import(&store, SOURCE, &connector, &options).await.unwrap();
    assert_eq!(report.of(Entity::Payments).map(|r| r.rows_changed), Some(1), "{backend}: {report:?}");
    assert_eq!(payment::Entity::find().count(store.db()).await.unwrap(), 2, "no duplicate payment");
    let booked = store.payment(paid.id).await.unwrap().unwrap();
    assert_eq!(booked.booking_date, Some(date!(2026 - 05 - 18)));
    let lines = store.allocations_of(paid.id).await.unwrap();
    assert_eq!(lines.iter().map(|l| l.principal_grosze).collect::<Vec<_>>(), [10_000, 300], "{backend}: the domain system's lines");
    assert!(store.provisional_payments(&[paid.id]).await.unwrap().is_empty(), "{backend}");
    let ledger = sync_export::Entity::find().filter(sync_export::Column::PaymentId.eq(paid.id)).one(store.db()).await.unwrap().unwrap();
    assert_eq!(ledger.status, "booked");

    // 8. The domain system deletes the decision: it goes with its installments; the taxpayer stays.
    append(dir.path(), Entity::Obligations, &[tombstone("D-1", 40)]);
    import(&store, SOURCE, &connector, &options).await.unwrap();
    assert!(obligation::Entity::find_by_id(o.id).one(store.db()).await.unwrap().is_none());
    assert_eq!(installment::Entity::find().count(store.db()).await.unwrap(), 0);
    assert!(store.taxpayer(t.id).await.unwrap().is_some());

    // The sync status holds every view, the export and the acknowledgements.
    let statuses = store.sync_statuses().await.unwrap();
    for entity in Entity::ALL.map(Entity::name).into_iter().chain(["export", "acknowledgements"]) {
        assert!(statuses.iter().any(|s| s.source_system == SOURCE && s.entity == entity && s.last_success_at.is_some()), "{entity}");
    }
    let installments = statuses.iter().find(|s| s.entity == "installments").unwrap();
    assert_eq!(installments.total_rows_read, 7);

    store.db().clone().close().await.unwrap();
    store::test_db::remove(&url).await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn file_connector_round_trip_on_every_backend() {
    for backend in store::test_db::backends() {
        round_trip(backend).await;
    }
}

/// In standalone mode (a source that does not own the bookings, like the demo) nothing is
/// provisional and nothing is exported.
#[tokio::test(flavor = "multi_thread")]
async fn standalone_sources_keep_the_portal_allocation_final() {
    for backend in store::test_db::backends() {
        let (store, url) = store::test_db::fresh(backend).await.unwrap();
        let dir = tempfile::tempdir().unwrap();
        first_export(dir.path());
        let mut config = SourceConfig::file("demo", dir.path());
        config.owns_bookings = false;
        config.export_payments = false;
        register_source(&store, &config, None).await.unwrap();
        let connector = FileConnector::new(dir.path());
        import(&store, "demo", &connector, &ImportOptions::default()).await.unwrap();
        let t = taxpayer::Entity::find().one(store.db()).await.unwrap().unwrap();
        let p = payment::Model {
            id: Uuid::new_v4(),
            taxpayer_id: t.id,
            source: "transfer".into(),
            status: "booked".into(),
            payment_date: Some(date!(2026 - 05 - 14)),
            booking_date: Some(date!(2026 - 05 - 14)),
            amount_grosze: 100,
            payer: None,
            reference: None,
            idempotency_key: None,
            indicated_obligation_id: None,
            gateway: None,
            gateway_transaction_id: None,
            created_at: OffsetDateTime::now_utc(),
            booked_at: Some(OffsetDateTime::now_utc()),
        };
        store.insert_payment(p.clone()).await.unwrap();
        assert!(store.provisional_payments(&[p.id]).await.unwrap().is_empty(), "{backend}");
        assert_eq!(connectors::export::queue_payments(&store).await.unwrap(), 0);
        store.db().clone().close().await.unwrap();
        store::test_db::remove(&url).await.unwrap();
    }
}

/// A source with another major contract version is refused before anything is read.
#[tokio::test(flavor = "multi_thread")]
async fn another_major_contract_version_is_refused() {
    let (store, url) = store::test_db::fresh("sqlite").await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    first_export(dir.path());
    std::fs::write(dir.path().join(file::CONTRACT_FILE), r#"{"major": 2, "minor": 0}"#).unwrap();
    let error = import(&store, SOURCE, &FileConnector::new(dir.path()), &ImportOptions::default()).await.unwrap_err();
    assert!(error.to_string().contains("contract 2.0"), "{error}");
    assert_eq!(taxpayer::Entity::find().count(store.db()).await.unwrap(), 0);
    store.db().clone().close().await.unwrap();
    store::test_db::remove(&url).await.unwrap();
}
