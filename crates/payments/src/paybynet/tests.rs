//! The adapter end to end without a network: payments.md §1.3 and §1.4 vectors through the
//! public API, and the refusals.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use domain::nrb::Nrb;
use time::macros::datetime;

use super::*;
use crate::gateway::{PaymentStatus, RawNotification, ReturnUrls};
use crate::secret::Secret;

const VECTOR_PAYLOAD: &str = "<id_client>1234563218</id_client><id_trans>0000004711</id_trans><date_valid>15-03-2025 23:59:59</date_valid><amount>123,45</amount><currency>PLN</currency><email>jan@example.invalid</email><account>39109010141234567800004711</account><accname>Gmina Przykladowo^NM^00-001^ZP^Przykladowo^CI^Rynek 1^ST^Polska^CT^</accname><backpage>https://e-naleznosci.example/ok</backpage><backpagereject>https://e-naleznosci.example/err</backpagereject>";

fn adapter() -> PayByNet {
    let recipient = Recipient::new("Gmina Przykladowo", "00-001", "Przykladowo", "Rynek 1", "Polska").unwrap();
    let account: Nrb = "39109010141234567800004711".parse().unwrap();
    let config = PayByNetConfig::new("1234563218", Secret::new("TajneHaslo123"), PayByNetEndpoints::test(), account, recipient).unwrap();
    PayByNet::new(config).unwrap()
}

/// The request that produces the payments.md §1.3 test vector.
fn vector_request() -> PaymentRequest {
    PaymentRequest {
        payment_id: PaymentId::new(4711),
        amount: "123.45".parse().unwrap(),
        description: "Podatek od nieruchomości 2025".into(),
        payer_email: Some("jan@example.invalid".into()),
        recipient_account: None,
        return_urls: ReturnUrls { success: "https://e-naleznosci.example/ok".into(), failure: "https://e-naleznosci.example/err".into() },
        bank_hint: None,
        requested_at: datetime!(2025-03-15 09:00:00 UTC),
        // 23:59:59 in Warsaw on 15 March 2025 (CET).
        valid_until: datetime!(2025-03-15 22:59:59 UTC),
    }
}

fn block_on<F: std::future::Future>(future: F) -> F::Output {
    actix_web::rt::System::new().block_on(future)
}

/// payments.md §1.3: from a request to the exact payload, hash and `hashtrans`.
#[test]
fn start_produces_the_test_vector() {
    let adapter = adapter();
    let fields = adapter.transaction_fields(&vector_request()).unwrap();
    assert_eq!(fields.unsigned(), VECTOR_PAYLOAD);
    assert_eq!(fields.hash(adapter.config().password()), "e5f199eb9af06ab0f072d6b5becb5bf6dec7495c");

    let started = block_on(adapter.start(&vector_request())).unwrap();
    assert_eq!(started.gateway_transaction_id.as_deref(), Some("0000004711"));
    let BrowserStep::AutoSubmitForm { action, fields } = started.next else { panic!("PayByNet posts a form") };
    assert_eq!(action, "https://pbn.paybynet.com.pl/PayByNetT/trans.do");
    assert_eq!(fields.len(), 1);
    assert_eq!(fields[0].0, "hashtrans");
    let expected = format!("{VECTOR_PAYLOAD}<hash>e5f199eb9af06ab0f072d6b5becb5bf6dec7495c</hash>");
    assert_eq!(STANDARD.decode(&fields[0].1).unwrap(), expected.as_bytes());
}

#[test]
fn bank_hint_becomes_idbank_and_account_can_be_overridden() {
    let virtual_account: Nrb = "61109010140000071219812874".parse().unwrap();
    let request = PaymentRequest { bank_hint: Some("12".into()), recipient_account: Some(virtual_account), ..vector_request() };
    let BrowserStep::AutoSubmitForm { fields, .. } = adapter().browser_step(&request).unwrap() else { panic!("form") };
    assert_eq!(fields[1], ("idbank".to_owned(), "12".to_owned()));
    let decoded = TransactionFields::decode(&fields[0].1).unwrap();
    assert_eq!(decoded.fields.account, "61109010140000071219812874");
}

#[test]
fn dot_amounts_when_configured() {
    let adapter = PayByNet::new(adapter().config().clone().with_amount_format(AmountFormat::Dot)).unwrap();
    assert_eq!(adapter.transaction_fields(&vector_request()).unwrap().amount, "123.45");
}

#[test]
fn start_refuses_requests_that_break_the_rules() {
    let adapter = adapter();
    let base = vector_request;
    let table = [
        (PaymentRequest { payment_id: PaymentId::new(0), ..base() }, PayByNetError::PaymentIdOutOfRange { id: PaymentId::new(0) }),
        (
            PaymentRequest { payment_id: PaymentId::new(10_000_000_000), ..base() },
            PayByNetError::PaymentIdOutOfRange { id: PaymentId::new(10_000_000_000) },
        ),
        (PaymentRequest { amount: domain::Amount::ZERO, ..base() }, PayByNetError::ZeroAmount),
        (PaymentRequest { valid_until: datetime!(2025-03-15 09:14:59 UTC), ..base() }, PayByNetError::ValidityOutOfRange),
        (PaymentRequest { valid_until: datetime!(2025-03-22 09:00:01 UTC), ..base() }, PayByNetError::ValidityOutOfRange),
        (PaymentRequest { valid_until: datetime!(2025-03-15 08:00:00 UTC), ..base() }, PayByNetError::ValidityOutOfRange),
        (PaymentRequest { payer_email: Some("jan".into()), ..base() }, PayByNetError::InvalidEmail),
        (PaymentRequest { payer_email: Some("jan @x.pl".into()), ..base() }, PayByNetError::InvalidEmail),
        (
            PaymentRequest { payer_email: Some("<jan@x.pl>".into()), ..base() },
            PayByNetError::ForbiddenCharacter { field: "email", found: '<' },
        ),
        (
            PaymentRequest {
                return_urls: ReturnUrls { success: "https://x.example/?id=1&ok=1".into(), failure: "https://x.example/err".into() },
                ..base()
            },
            PayByNetError::ForbiddenCharacter { field: "backpage", found: '&' },
        ),
        (
            PaymentRequest { return_urls: ReturnUrls { success: "https://x.example/ok".into(), failure: "/err".into() }, ..base() },
            PayByNetError::InvalidUrl { field: "backpagereject" },
        ),
    ];
    for (request, error) in table {
        assert_eq!(adapter.transaction_fields(&request), Err(error.clone()));
        assert_eq!(block_on(adapter.start(&request)), Err(GatewayError::InvalidRequest(error.to_string())));
    }
    // The window's ends are allowed.
    for valid_until in [datetime!(2025-03-15 09:15:00 UTC), datetime!(2025-03-22 09:00:00 UTC)] {
        assert!(adapter.transaction_fields(&PaymentRequest { valid_until, ..base() }).is_ok());
    }
}

fn raw(body: &str) -> RawNotification {
    RawNotification::new([("Content-Type".to_owned(), "application/x-www-form-urlencoded".to_owned())], body.as_bytes().to_vec())
}

/// payments.md §1.4 test vector through `verify_notification`.
#[test]
fn verifies_the_notification_test_vector() {
    let body = "newStatus=2203&transAmount=123%2C45&paymentId=0000004711&hash=e3a5218c95b18f6ae0d69f12d8ad3e9f173bf412";
    let notification = adapter().verify_notification(&raw(body)).unwrap();
    assert_eq!(
        notification,
        GatewayNotification {
            gateway: GATEWAY_ID,
            gateway_transaction_id: "0000004711".into(),
            our_payment_id: PaymentId::new(4711),
            status: PaymentStatus::Paid,
            raw_status: "2203".into(),
            amount: Some("123.45".parse().unwrap()),
            confirmed_at: None,
        }
    );
    assert_eq!(notification.check_amount("123.45".parse().unwrap()), Ok(()));
    assert_eq!(notification.idempotency_key(), "paybynet:0000004711:2203");
}

#[test]
fn every_status_family_is_mapped_from_a_signed_notification() {
    let password = Secret::new("TajneHaslo123");
    for (code, status) in [
        ("2101", PaymentStatus::Pending),
        ("2201", PaymentStatus::Expired),
        ("2302", PaymentStatus::Rejected),
        ("2303", PaymentStatus::Paid),
        ("1005", PaymentStatus::VerificationRejected),
    ] {
        let body = NotificationFields::signed(code, "123,45", "0000004711", &password).to_form_body();
        assert_eq!(adapter().verify_notification(&raw(&body)).map(|n| n.status), Ok(status), "{code}");
    }
}

#[test]
fn refuses_bad_notifications_with_the_reason() {
    let password = Secret::new("TajneHaslo123");
    let signed = |status: &str, amount: &str, id: &str| NotificationFields::signed(status, amount, id, &password).to_form_body();
    let table = [
        // Tampered amount: the hash no longer matches.
        (
            "newStatus=2203&transAmount=1%2C00&paymentId=0000004711&hash=e3a5218c95b18f6ae0d69f12d8ad3e9f173bf412".to_owned(),
            NotificationError::BadSignature,
        ),
        // Signed with another password.
        (
            NotificationFields::signed("2203", "123,45", "0000004711", &Secret::new("InneHaslo123")).to_form_body(),
            NotificationError::BadSignature,
        ),
        ("newStatus=2203&transAmount=123%2C45&paymentId=0000004711".to_owned(), NotificationError::MissingField("hash")),
        (signed("2999", "123,45", "0000004711"), NotificationError::UnknownStatus { code: "2999".into() }),
        (
            signed("2203", "123,45", "ABC"),
            NotificationError::MalformedField { field: "paymentId", reason: "expected 1 to 10 digits, not all zeros".into() },
        ),
        (
            signed("2203", "12,345", "0000004711"),
            NotificationError::MalformedField { field: "transAmount", reason: "expected an amount like 123,45 or 123.45".into() },
        ),
    ];
    for (body, error) in table {
        assert_eq!(adapter().verify_notification(&raw(&body)), Err(error), "{body}");
    }
}

#[test]
fn a_wrong_amount_is_authentic_but_does_not_match_the_payment() {
    let body = NotificationFields::signed("2203", "100,00", "0000004711", &Secret::new("TajneHaslo123")).to_form_body();
    let notification = adapter().verify_notification(&raw(&body)).unwrap();
    let expected = "123.45".parse().unwrap();
    assert_eq!(
        notification.check_amount(expected),
        Err(NotificationError::AmountMismatch { expected, received: "100.00".parse().unwrap() })
    );
}

#[test]
fn replies() {
    let adapter = adapter();
    let notification = adapter
        .verify_notification(&raw("newStatus=2203&transAmount=123%2C45&paymentId=0000004711&hash=e3a5218c95b18f6ae0d69f12d8ad3e9f173bf412"))
        .unwrap();
    let ok = block_on(adapter.acknowledge(&notification)).unwrap();
    assert_eq!((ok.http_status, ok.body.as_str()), (200, "OK"));
    assert!(ok.content_type.starts_with("text/plain"));
    let bad = adapter.refuse(Refusal::Invalid(&NotificationError::BadSignature));
    assert_eq!((bad.http_status, bad.body.as_str()), (400, "PROBLEM"));
    let later = adapter.refuse(Refusal::TemporaryFailure);
    assert_eq!((later.http_status, later.body.as_str()), (503, "PROBLEM"));
}

#[test]
fn the_adapter_is_usable_as_a_trait_object() {
    let gateway: Box<dyn PaymentGateway> = Box::new(adapter());
    assert_eq!(gateway.id().as_str(), "paybynet");
    let started = block_on(gateway.start(&vector_request())).unwrap();
    assert!(matches!(started.next, BrowserStep::AutoSubmitForm { .. }));
}

#[test]
fn status_query_refuses_ids_that_do_not_fit() {
    let query = StatusQuery { payment_id: PaymentId::new(0), gateway_transaction_id: None };
    assert!(matches!(block_on(adapter().query_status(&query)), Err(GatewayError::InvalidRequest(_))));
}

#[test]
fn status_query_reports_an_unreachable_gateway() {
    // A port that was free a moment ago: nothing listens there, the connection is refused.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let endpoints = PayByNetEndpoints::under(&format!("http://127.0.0.1:{port}"));
    let config = PayByNetConfig::new(
        "1234563218",
        Secret::new("TajneHaslo123"),
        endpoints,
        adapter().config().account().clone(),
        adapter().config().recipient().clone(),
    )
    .unwrap();
    let query = StatusQuery { payment_id: PaymentId::new(4711), gateway_transaction_id: None };
    let result = block_on(async { PayByNet::new(config).unwrap().query_status(&query).await });
    assert!(matches!(result, Err(GatewayError::Transport(_))), "{result:?}");
}
