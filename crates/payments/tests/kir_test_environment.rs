//! Against KIR's real PayByNet test environment (`PayByNetT/trans.do`, `axist` status service).
//! Gated: it runs only with `PAYBYNET_TEST_MERCHANT_ID`, `PAYBYNET_TEST_PASSWORD` and
//! `PAYBYNET_TEST_ACCOUNT` (the NRB KIR registered for that merchant) set; without them each test
//! says why it skipped. Paying needs a person at a bank's page; what a machine can prove is that KIR
//! takes our `hashtrans` (payload, tag order, SHA-1) and answers our status query in its format.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, reason = "tests fail by panicking")]

use payments::paybynet::{IdTrans, PayByNet, PayByNetConfig, PayByNetEndpoints, Recipient};
use payments::{BrowserStep, GatewayError, PaymentGateway, PaymentId, PaymentRequest, ReturnUrls, Secret};
use time::OffsetDateTime;

fn kir_test_merchant() -> Option<PayByNet> {
    let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    let (Some(merchant), Some(password), Some(account)) =
        (var("PAYBYNET_TEST_MERCHANT_ID"), var("PAYBYNET_TEST_PASSWORD"), var("PAYBYNET_TEST_ACCOUNT"))
    else {
        eprintln!("skipped: set PAYBYNET_TEST_MERCHANT_ID, PAYBYNET_TEST_PASSWORD and PAYBYNET_TEST_ACCOUNT of a KIR test merchant");
        return None;
    };
    let recipient = Recipient::new("Gmina Przykładowo", "00-001", "Przykładowo", "Rynek 1", "Polska").unwrap();
    let config =
        PayByNetConfig::new(&merchant, Secret::new(&password), PayByNetEndpoints::test(), account.parse().unwrap(), recipient).unwrap();
    Some(PayByNet::new(config).unwrap())
}

/// A transaction id KIR has not seen (it refuses a reused `id_trans`): the clock's seconds with
/// random low digits, so runs in the same second (or from several machines) do not collide.
fn fresh_payment_id() -> PaymentId {
    let seconds = OffsetDateTime::now_utc().unix_timestamp().unsigned_abs() % 10_000_000;
    let nanos = u64::from(OffsetDateTime::now_utc().nanosecond());
    PaymentId::new(seconds * 1_000 + (nanos ^ u64::from(std::process::id())) % 1_000)
}

fn request(id: PaymentId) -> PaymentRequest {
    let now = OffsetDateTime::now_utc();
    PaymentRequest {
        payment_id: id,
        amount: "1.23".parse().unwrap(),
        description: "Test e-Należności".into(),
        payer_email: None,
        recipient_account: None,
        return_urls: ReturnUrls { success: "https://e-naleznosci.example/ok".into(), failure: "https://e-naleznosci.example/err".into() },
        bank_hint: None,
        requested_at: now,
        valid_until: now + time::Duration::hours(1),
    }
}

#[actix_web::test]
async fn kir_takes_our_transaction_and_answers_its_status() {
    let Some(gateway) = kir_test_merchant() else { return };
    let id = fresh_payment_id();
    let started = gateway.start(&request(id)).await.unwrap();
    let BrowserStep::AutoSubmitForm { action, fields } = started.next else { panic!("PayByNet starts with a form") };
    let answer = reqwest::Client::new().post(&action).form(&fields).send().await.unwrap();
    assert!(answer.status().is_success(), "KIR answered the form with HTTP {}", answer.status());

    // The transaction now exists at KIR: its status is a known code (not yet paid), not a fault.
    match gateway.fetch_status(&IdTrans::from_payment_id(id).unwrap()).await {
        Ok(report) => eprintln!("KIR status of {id}: {} → {:?}", report.raw_status, report.status),
        Err(GatewayError::Refused(message)) => panic!("KIR refused the status query: {message}"),
        Err(other) => panic!("status query failed: {other}"),
    }
}
