//! Online payments end to end through the local PayByNet simulator: start, confirm at the "bank",
//! notification, booking exactly once, receipt; and the simulator's misbehaviour switches.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "test code: a failed unwrap is a failed test")]

mod common;

use common::TestApp;
use reqwest::StatusCode;
use serde_json::{Value, json};

/// The farmer's overdue 2026 combined-obligation installment and the payment form for it.
async fn start_payment(app: &TestApp, token: &str, key: &str) -> (String, Value) {
    let (taxpayer, _) = app.taxpayer_of(token).await;
    let (_, page) = app.get(&format!("/api/v1/taxpayers/{taxpayer}/obligations?year=2026&status=overdue"), token).await;
    let combined =
        page["items"].as_array().unwrap().iter().find(|o| o["kind"] == "combined_obligation").unwrap()["id"].as_str().unwrap().to_string();
    let (_, detail) = app.get(&format!("/api/v1/obligations/{combined}"), token).await;
    let overdue = detail["installments"].as_array().unwrap().iter().find(|i| i["status"] == "overdue").unwrap().clone();
    let res = app
        .http
        .post(format!("{}/api/v1/taxpayers/{taxpayer}/payments", app.base))
        .bearer_auth(token)
        .header("Idempotency-Key", key)
        .json(&json!({ "installment_ids": [overdue["id"]] }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let started: Value = res.json().await.unwrap();
    let expected = overdue["principal_outstanding"].as_str().unwrap().parse::<rust_decimal::Decimal>().unwrap()
        + overdue["interest_owed"].as_str().unwrap().parse::<rust_decimal::Decimal>().unwrap();
    assert_eq!(started["payment"]["amount"].as_str().unwrap(), expected.to_string(), "the server computes the amount");
    (taxpayer, started)
}

/// The browser's part: post the form to the gateway, then press "confirm" (or "reject") at the bank.
async fn pay_at_the_bank(app: &TestApp, started: &Value, decision: &str) -> StatusCode {
    let browser = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let form = &started["gateway_form"];
    let fields: Vec<(String, String)> = form["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["name"].as_str().unwrap().into(), f["value"].as_str().unwrap().into()))
        .collect();
    let res = browser.post(form["action"].as_str().unwrap()).form(&fields).send().await.unwrap();
    assert!(res.status().is_success() || res.status().is_redirection(), "{}", res.status());
    let id_trans = started["payment"]["gateway_transaction_id"].as_str().unwrap();
    let res = browser
        .post(format!("{}/simulator/paybynet/PayByNet/transactions/{id_trans}/decision", app.base))
        .form(&[("decision", decision)])
        .send()
        .await
        .unwrap();
    res.status()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_resident_pays_an_overdue_installment_and_gets_a_receipt() {
    for backend in store::test_db::backends() {
        let app = TestApp::spawn(backend, true).await;
        let token = app.token("farmer").await;
        let (_, started) = start_payment(&app, &token, "pay-1").await;
        // The same idempotency key gives the same payment.
        let (_, again) = start_payment(&app, &token, "pay-1").await;
        assert_eq!(started["payment"]["id"], again["payment"]["id"]);
        assert_eq!(started["payment"]["status"], "pending");
        let status = pay_at_the_bank(&app, &started, "confirm").await;
        assert!(status.is_redirection(), "{status}");
        let id = started["payment"]["id"].as_str().unwrap();
        let (status, payment) = app.get(&format!("/api/v1/payments/{id}"), &token).await;
        assert_eq!((status, payment["status"].as_str()), (StatusCode::OK, Some("booked")), "{backend}: {payment}");
        assert_eq!(payment["payment_date"], common::TODAY);
        let allocated: rust_decimal::Decimal = payment["allocations"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|a| {
                ["principal", "interest", "reminder_costs"].map(|k| a[k].as_str().unwrap().parse::<rust_decimal::Decimal>().unwrap())
            })
            .sum();
        assert_eq!(allocated.to_string(), payment["amount"].as_str().unwrap(), "{payment}");
        let (status, receipt) = app.get(&format!("/api/v1/payments/{id}/receipt"), &token).await;
        assert_eq!(status, StatusCode::OK, "{receipt}");
        assert!(receipt["lines"][0]["description"].as_str().unwrap().contains("Łączne zobowiązanie pieniężne 2026"), "{receipt}");
        let pdf = app
            .http
            .get(format!("{}{}", app.base, receipt["pdf_url"].as_str().unwrap()))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap();
        assert!(pdf.starts_with(b"%PDF-"));
        // Another resident cannot see it.
        let owner = app.token("owner").await;
        assert_eq!(app.get(&format!("/api/v1/payments/{id}"), &owner).await.0, StatusCode::NOT_FOUND);
        // Paid: starting again with a new key finds nothing overdue on that installment.
        app.stop().await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn duplicate_and_out_of_order_notifications_book_once() {
    let app = TestApp::spawn_with("sqlite", true, |s| {
        s.simulator.duplicate_notifications = 4;
        s.simulator.out_of_order = true;
    })
    .await;
    let token = app.token("farmer").await;
    let (taxpayer, started) = start_payment(&app, &token, "dup-1").await;
    let before = app.store.books(taxpayer.parse().unwrap()).await.unwrap().payments.len();
    pay_at_the_bank(&app, &started, "confirm").await;
    let books = app.store.books(taxpayer.parse().unwrap()).await.unwrap();
    assert_eq!(books.payments.len(), before + 1, "booked exactly once");
    let id = started["payment"]["id"].as_str().unwrap();
    let lines = app.store.allocations_of(id.parse().unwrap()).await.unwrap();
    let total: i64 = lines.iter().map(|l| l.principal_grosze + l.interest_grosze + l.reminder_costs_grosze + l.overpayment_grosze).sum();
    assert_eq!(
        rust_decimal::Decimal::new(total, 2).to_string(),
        started["payment"]["amount"].as_str().unwrap(),
        "one allocation, not five"
    );
    let (duplicates, _) = app
        .store
        .audit_search(&store::AuditFilter { action: Some("payment.notification_duplicate".into()), ..Default::default() }, 0, 50)
        .await
        .unwrap();
    assert!(duplicates.len() >= 4, "{} duplicates audited", duplicates.len());
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_tampered_notification_changes_nothing_and_is_audited() {
    let app = TestApp::spawn_with("sqlite", true, |s| s.simulator.tamper_hash = true).await;
    let token = app.token("farmer").await;
    let (_, started) = start_payment(&app, &token, "tamper-1").await;
    pay_at_the_bank(&app, &started, "confirm").await;
    let id = started["payment"]["id"].as_str().unwrap();
    let (_, payment) = app.get(&format!("/api/v1/payments/{id}"), &token).await;
    assert_eq!(payment["status"], "pending", "{payment}");
    let (refused, _) = app
        .store
        .audit_search(&store::AuditFilter { action: Some("payment.notification_refused".into()), ..Default::default() }, 0, 10)
        .await
        .unwrap();
    assert_eq!(refused.len(), 1);
    assert_eq!(refused[0].outcome, "denied");
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_rejected_payment_is_shown_as_such_and_can_be_retried() {
    let app = TestApp::spawn("sqlite", true).await;
    let token = app.token("farmer").await;
    let (_, started) = start_payment(&app, &token, "reject-1").await;
    pay_at_the_bank(&app, &started, "reject").await;
    let id = started["payment"]["id"].as_str().unwrap();
    let (_, payment) = app.get(&format!("/api/v1/payments/{id}"), &token).await;
    assert_eq!(payment["status"], "rejected");
    let (_, retry) = start_payment(&app, &token, "reject-2").await;
    assert_ne!(retry["payment"]["id"], started["payment"]["id"]);
    assert!(retry["gateway_form"].is_object());
    app.stop().await;
}

/// Ten concurrent "paid" confirmations of one payment (notifications racing the status poller):
/// exactly one books it.
#[tokio::test(flavor = "multi_thread")]
async fn concurrent_confirmations_book_exactly_once() {
    for backend in store::test_db::backends() {
        let app = TestApp::spawn(backend, true).await;
        let token = app.token("farmer").await;
        let (_, started) = start_payment(&app, &token, "race-1").await;
        let settings = server::config::Settings {
            database_url: app.url.clone(),
            mode: server::config::Mode::Demo,
            today: Some(time::macros::date!(2026 - 12 - 03)),
            public_url: "http://127.0.0.1:9".into(),
            ..Default::default()
        };
        let state = server::app::state(settings).await.unwrap();
        let payment = app.store.payment(started["payment"]["id"].as_str().unwrap().parse().unwrap()).await.unwrap().unwrap();
        let attempts = (0..10).map(|_| {
            let state = state.clone();
            let payment = payment.clone();
            tokio::spawn(async move { server::payflow::apply_status(&state, &payment, payments::PaymentStatus::Paid, None).await })
        });
        let outcomes: Vec<_> = futures_util::future::join_all(attempts).await.into_iter().map(|r| r.unwrap()).collect();
        let booked = outcomes.iter().filter(|o| matches!(o, Ok(server::payflow::Outcome::Booked))).count();
        assert_eq!(booked, 1, "{backend}: {outcomes:?}");
        assert!(outcomes.iter().all(|o| o.is_ok()), "{backend}: {outcomes:?}");
        let lines = app.store.allocations_of(payment.id).await.unwrap();
        let total: i64 =
            lines.iter().map(|l| l.principal_grosze + l.interest_grosze + l.reminder_costs_grosze + l.overpayment_grosze).sum();
        assert_eq!(total, payment.amount_grosze, "{backend}");
        let _ = state.store.db().clone().close().await;
        app.stop().await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_client_cannot_set_the_amount() {
    let app = TestApp::spawn("sqlite", true).await;
    let token = app.token("farmer").await;
    let (taxpayer, _) = app.taxpayer_of(&token).await;
    let (status, problem) =
        app.post(&format!("/api/v1/taxpayers/{taxpayer}/payments"), &token, json!({ "everything_due": true, "amount": "1.00" })).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{problem}");
    assert_eq!(problem["errors"][0]["field"], "amount");
    app.stop().await;
}
