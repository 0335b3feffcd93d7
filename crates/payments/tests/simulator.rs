//! The PayByNet simulator end to end: a tiny actix "portal" that verifies notifications with the
//! real adapter and records them, the simulator on 127.0.0.1:0, and a browser played by reqwest.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, reason = "tests fail by panicking")]

use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use actix_web::{App, HttpRequest, HttpServer, web};
use base64::Engine;
use payments::paybynet::{
    NotificationFields, PayByNet, PayByNetConfig, PayByNetEndpoints, Recipient, TransactionFields, format_date_valid, status::code,
};
use payments::simulator::{DeliveryOutcome, Misbehaviour, Simulator, SimulatorConfig};
use payments::{
    BrowserStep, GatewayError, GatewayNotification, NotificationError, NotificationReply, PaymentGateway, PaymentId, PaymentRequest,
    PaymentStatus, RawNotification, Refusal, ReturnUrls, Secret, StatusQuery, Transition,
};
use reqwest::StatusCode;
use time::OffsetDateTime;

const MERCHANT: &str = "1234563218";
const PASSWORD: &str = "TajneHaslo123";
const MOUNT: &str = "/simulator/paybynet";

/// What the test portal saw of one notification.
#[derive(Debug, Clone)]
struct Recorded {
    verified: Result<GatewayNotification, NotificationError>,
    reply: NotificationReply,
}

#[derive(Clone)]
struct PortalState {
    gateway: Arc<dyn PaymentGateway>,
    recorded: Arc<Mutex<Vec<Recorded>>>,
}

/// The portal's notification handler, shaped like the server's will be: verify, answer.
async fn notify(state: web::Data<PortalState>, request: HttpRequest, body: web::Bytes) -> NotificationReply {
    let verified = state.gateway.verify_notification(&RawNotification::from_request(&request, &body));
    let reply = match &verified {
        Ok(notification) => state.gateway.acknowledge(notification).await.unwrap(),
        Err(error) => state.gateway.refuse(Refusal::Invalid(error)),
    };
    state.recorded.lock().unwrap().push(Recorded { verified, reply: reply.clone() });
    reply
}

struct Harness {
    adapter: PayByNet,
    simulator: Simulator,
    recorded: Arc<Mutex<Vec<Recorded>>>,
    portal: String,
    simulator_base: String,
    browser: reqwest::Client,
}

fn listener() -> (TcpListener, String) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    (listener, url)
}

fn recipient() -> Recipient {
    Recipient::new("Gmina Przykładowo", "00-001", "Przykładowo", "Rynek 1", "Polska").unwrap()
}

fn adapter_for(simulator_base: &str, merchant: &str, password: &str) -> PayByNet {
    let config = PayByNetConfig::new(
        merchant,
        Secret::new(password),
        PayByNetEndpoints::under(simulator_base),
        "39109010141234567800004711".parse().unwrap(),
        recipient(),
    )
    .unwrap();
    PayByNet::new(config).unwrap()
}

async fn start(misbehaviour: Misbehaviour) -> Harness {
    let (portal_listener, portal) = listener();
    let (simulator_listener, simulator_url) = listener();
    let simulator_base = format!("{simulator_url}{MOUNT}");
    let adapter = adapter_for(&simulator_base, MERCHANT, PASSWORD);

    let recorded = Arc::new(Mutex::new(Vec::new()));
    let state = PortalState { gateway: Arc::new(adapter.clone()), recorded: recorded.clone() };
    let portal_server = HttpServer::new(move || {
        App::new()
            .app_data(web::Data::new(state.clone()))
            .route("/notify", web::post().to(notify))
            .route("/ok", web::get().to(|| async { "powrót: sukces" }))
            .route("/err", web::get().to(|| async { "powrót: porażka" }))
    })
    .workers(1)
    .disable_signals()
    .listen(portal_listener)
    .unwrap()
    .run();
    actix_web::rt::spawn(portal_server);

    let config = SimulatorConfig::new(MERCHANT, Secret::new(PASSWORD), &format!("{portal}/notify")).with_misbehaviour(misbehaviour);
    let simulator = Simulator::new(config).unwrap();
    let mounted = simulator.clone();
    let simulator_server = HttpServer::new(move || App::new().service(mounted.scope(MOUNT)))
        .workers(1)
        .disable_signals()
        .listen(simulator_listener)
        .unwrap()
        .run();
    actix_web::rt::spawn(simulator_server);

    let browser = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    Harness { adapter, simulator, recorded, portal, simulator_base, browser }
}

impl Harness {
    fn request(&self, id: u64) -> PaymentRequest {
        let now = OffsetDateTime::now_utc();
        PaymentRequest {
            payment_id: PaymentId::new(id),
            amount: "123.45".parse().unwrap(),
            description: "Podatek od nieruchomości 2025".into(),
            payer_email: Some("jan@example.invalid".into()),
            recipient_account: None,
            return_urls: ReturnUrls { success: format!("{}/ok", self.portal), failure: format!("{}/err", self.portal) },
            bank_hint: None,
            requested_at: now,
            valid_until: now + time::Duration::hours(1),
        }
    }

    fn recorded(&self) -> Vec<Recorded> {
        self.recorded.lock().unwrap().clone()
    }

    /// The browser posts the auto-submitted form; returns the simulator's answer.
    async fn submit(&self, request: &PaymentRequest) -> reqwest::Response {
        let started = self.adapter.start(request).await.unwrap();
        let BrowserStep::AutoSubmitForm { action, fields } = started.next else { panic!("PayByNet posts a form") };
        self.browser.post(&action).form(&fields).send().await.unwrap()
    }

    async fn get(&self, url: &reqwest::Url) -> (StatusCode, String) {
        let response = self.browser.get(url.clone()).send().await.unwrap();
        (response.status(), response.text().await.unwrap())
    }

    /// The whole payment as a payer clicks it: form, bank choice, bank page, decision.
    /// Returns the final redirect's target.
    async fn pay(&self, id: u64, decision: &str) -> String {
        let response = self.submit(&self.request(id)).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        let choice_url = location(&response);
        assert_eq!(choice_url.as_str(), format!("{}/PayByNet/transactions/{:010}", self.simulator_base, id));

        let (status, choice_page) = self.get(&choice_url).await;
        assert_eq!(status, StatusCode::OK);
        assert_accessible(&choice_page);
        assert!(choice_page.contains("<legend>Bank, w którym masz konto</legend>"));
        assert!(choice_page.contains("<input type=\"radio\" id=\"bank-1\" name=\"bank\" value=\"1\" required> <label for=\"bank-1\">"));
        assert!(choice_page.contains("123,45 zł"));
        assert!(choice_page.contains("39 1090 1014 1234 5678 0000 4711"));
        assert!(choice_page.contains("Gmina Przykładowo"));

        let bank_url = choice_url.join(&format!("{:010}/bank?bank=1", id)).unwrap();
        let (status, bank_page) = self.get(&bank_url).await;
        assert_eq!(status, StatusCode::OK);
        assert_accessible(&bank_page);
        assert!(bank_page.contains("Zatwierdź płatność") && bank_page.contains("Odrzuć płatność"));

        let decision_url = bank_url.join("decision").unwrap();
        let response = self.browser.post(decision_url).form(&[("bank", "1"), ("decision", decision)]).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        location(&response).to_string()
    }

    async fn status(&self, id: u64) -> Result<payments::StatusReport, GatewayError> {
        self.adapter.query_status(&StatusQuery { payment_id: PaymentId::new(id), gateway_transaction_id: None }).await
    }
}

fn location(response: &reqwest::Response) -> reqwest::Url {
    let location = response.headers().get(reqwest::header::LOCATION).unwrap().to_str().unwrap();
    response.url().join(location).unwrap()
}

/// The accessibility basics every simulator page keeps.
fn assert_accessible(html: &str) {
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("<html lang=\"pl\">"));
    assert!(html.contains("<meta charset=\"utf-8\">"));
    assert_eq!(html.matches("<h1>").count(), 1, "one main heading");
    assert!(html.contains("<main>"));
    assert!(html.contains("SYMULATOR PayByNet"), "the not-a-bank banner");
}

fn statuses(recorded: &[Recorded]) -> Vec<PaymentStatus> {
    recorded.iter().map(|r| r.verified.as_ref().unwrap().status).collect()
}

async fn eventually<T>(mut check: impl FnMut() -> Option<T>) -> T {
    for _ in 0..100 {
        if let Some(value) = check() {
            return value;
        }
        actix_web::rt::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the condition did not hold within 5 seconds");
}

#[actix_web::test]
async fn confirmed_payment_notifies_once_and_returns_to_backpage() {
    let h = start(Misbehaviour::default()).await;
    assert_eq!(h.status(4711).await.map(|r| r.status), Err(GatewayError::Refused("Unknown transaction".into())));

    let back = h.pay(4711, "confirm").await;
    assert_eq!(back, format!("{}/ok", h.portal));

    let recorded = h.recorded();
    assert_eq!(recorded.len(), 1);
    let notification = recorded[0].verified.clone().unwrap();
    assert_eq!(notification.our_payment_id, PaymentId::new(4711));
    assert_eq!(notification.gateway_transaction_id, "0000004711");
    assert_eq!(notification.status, PaymentStatus::Paid);
    assert_eq!(notification.raw_status, "2203");
    assert_eq!(notification.check_amount("123.45".parse().unwrap()), Ok(()));
    assert_eq!((recorded[0].reply.http_status, recorded[0].reply.body.as_str()), (200, "OK"));

    let deliveries = h.simulator.deliveries();
    assert_eq!(deliveries.len(), 1);
    assert_eq!(deliveries[0].outcome, DeliveryOutcome::Answered { http_status: 200, body: "OK".into() });
    assert!(deliveries[0].body.starts_with("newStatus=2203&transAmount=123%2C45&paymentId=0000004711&hash="));

    let report = h.status(4711).await.unwrap();
    assert_eq!((report.status, report.raw_status.as_str(), report.amount), (PaymentStatus::Paid, "2203", None));

    // The browser can come back; a second decision is refused and sends nothing.
    let decision_url = reqwest::Url::parse(&format!("{}/PayByNet/transactions/0000004711/decision", h.simulator_base)).unwrap();
    let again = h.browser.post(decision_url).form(&[("decision", "reject")]).send().await.unwrap();
    assert_eq!(again.status(), StatusCode::CONFLICT);
    assert!(again.text().await.unwrap().contains("Transakcja zakończona"));
    assert_eq!(h.recorded().len(), 1);
    assert_eq!(h.status(4711).await.unwrap().status, PaymentStatus::Paid);
}

#[actix_web::test]
async fn rejected_payment_returns_to_backpagereject() {
    let h = start(Misbehaviour::default()).await;
    let back = h.pay(4712, "reject").await;
    assert_eq!(back, format!("{}/err", h.portal));
    assert_eq!(statuses(&h.recorded()), [PaymentStatus::Rejected]);
    assert_eq!(h.status(4712).await.unwrap().status, PaymentStatus::Rejected);
}

#[actix_web::test]
async fn status_polling_sees_pending_before_the_decision() {
    let h = start(Misbehaviour::default()).await;
    let response = h.submit(&h.request(4713)).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let report = h.status(4713).await.unwrap();
    assert_eq!((report.status, report.raw_status.as_str()), (PaymentStatus::Pending, "2101"));
    assert!(h.recorded().is_empty());

    // Another merchant id is refused by the status service.
    let stranger = adapter_for(&h.simulator_base, "5260250274", PASSWORD);
    let query = StatusQuery { payment_id: PaymentId::new(4713), gateway_transaction_id: None };
    assert_eq!(stranger.query_status(&query).await, Err(GatewayError::Refused("Unknown client".into())));
}

#[actix_web::test]
async fn duplicate_notifications_switch() {
    let h = start(Misbehaviour { duplicate_notifications: 2, ..Misbehaviour::default() }).await;
    h.pay(4720, "confirm").await;
    let recorded = h.recorded();
    assert_eq!(statuses(&recorded), [PaymentStatus::Paid; 3]);
    let keys: Vec<String> = recorded.iter().map(|r| r.verified.as_ref().unwrap().idempotency_key()).collect();
    assert!(keys.iter().all(|k| k == "paybynet:0000004720:2203"), "{keys:?}");
    // The portal's rule: the first applies, the copies are duplicates.
    let mut current = None;
    let mut transitions = Vec::new();
    for status in statuses(&recorded) {
        let transition = PaymentStatus::transition(current, status);
        if transition == Transition::Apply {
            current = Some(status);
        }
        transitions.push(transition);
    }
    assert_eq!(transitions, [Transition::Apply, Transition::Duplicate, Transition::Duplicate]);
}

#[actix_web::test]
async fn out_of_order_switch_sends_pending_after_paid() {
    let h = start(Misbehaviour { out_of_order: true, ..Misbehaviour::default() }).await;
    h.pay(4730, "confirm").await;
    let recorded = h.recorded();
    assert_eq!(statuses(&recorded), [PaymentStatus::Paid, PaymentStatus::Pending]);
    assert!(recorded.iter().all(|r| r.reply.body == "OK"), "both are authentic and acknowledged");
    assert_eq!(PaymentStatus::transition(Some(PaymentStatus::Paid), PaymentStatus::Pending), Transition::Stale);
    // The gateway itself still says paid.
    assert_eq!(h.status(4730).await.unwrap().status, PaymentStatus::Paid);
}

#[actix_web::test]
async fn delay_switch_notifies_after_the_browser_is_back() {
    let h = start(Misbehaviour { notification_delay: Some(Duration::from_millis(500)), ..Misbehaviour::default() }).await;
    let back = h.pay(4740, "confirm").await;
    assert_eq!(back, format!("{}/ok", h.portal));
    assert!(h.recorded().is_empty(), "nothing has arrived when the browser is redirected");
    // Meanwhile the portal can poll and already learn the outcome.
    assert_eq!(h.status(4740).await.unwrap().status, PaymentStatus::Paid);
    let recorded = eventually(|| Some(h.recorded()).filter(|r| !r.is_empty())).await;
    assert_eq!(statuses(&recorded), [PaymentStatus::Paid]);
}

#[actix_web::test]
async fn tamper_switch_breaks_every_hash_and_the_portal_refuses() {
    let h = start(Misbehaviour { tamper_hash: true, duplicate_notifications: 1, ..Misbehaviour::default() }).await;
    h.pay(4750, "confirm").await;
    let recorded = h.recorded();
    assert_eq!(recorded.len(), 2);
    for r in &recorded {
        assert_eq!(r.verified, Err(NotificationError::BadSignature));
        assert_eq!((r.reply.http_status, r.reply.body.as_str()), (400, "PROBLEM"));
    }
    let deliveries = h.simulator.deliveries();
    assert!(deliveries.iter().all(|d| d.outcome == DeliveryOutcome::Answered { http_status: 400, body: "PROBLEM".into() }));
}

#[actix_web::test]
async fn all_switches_together() {
    let misbehaviour = Misbehaviour {
        duplicate_notifications: 1,
        out_of_order: true,
        notification_delay: Some(Duration::from_millis(100)),
        tamper_hash: false,
    };
    let h = start(misbehaviour).await;
    h.pay(4760, "reject").await;
    let recorded = eventually(|| Some(h.recorded()).filter(|r| r.len() == 4)).await;
    assert_eq!(statuses(&recorded), [PaymentStatus::Rejected, PaymentStatus::Rejected, PaymentStatus::Pending, PaymentStatus::Pending]);
}

#[actix_web::test]
async fn preselected_bank_skips_the_choice() {
    let h = start(Misbehaviour::default()).await;
    let request = PaymentRequest { bank_hint: Some("2".into()), ..h.request(4770) };
    let response = h.submit(&request).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let bank_url = location(&response);
    assert_eq!(bank_url.as_str(), format!("{}/PayByNet/transactions/0000004770/bank?bank=2", h.simulator_base));
    let (status, page) = h.get(&bank_url).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("<h1>Bank Testowy Południe: autoryzacja przelewu</h1>"));

    // Without a valid bank the choice comes back with an alert.
    let (status, page) = h.get(&bank_url.join("bank?bank=99").unwrap()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(page.contains("role=\"alert\"") && page.contains("Wybierz bank z listy."));
}

/// The simulator checks the form like the gateway: a wrong password, a foreign merchant, broken
/// base64, a tampered payload and an expired link each get an error page, and nothing is stored.
#[actix_web::test]
async fn bad_requests_get_an_error_page() {
    let h = start(Misbehaviour::default()).await;
    let cases: Vec<(PayByNet, &str)> = vec![
        (adapter_for(&h.simulator_base, MERCHANT, "InneHaslo123"), "Skrót (hash) się nie zgadza"),
        (adapter_for(&h.simulator_base, "5260250274", PASSWORD), "Nieznany identyfikator sprzedawcy"),
    ];
    for (adapter, message) in cases {
        let started = adapter.start(&h.request(4780)).await.unwrap();
        let BrowserStep::AutoSubmitForm { action, fields } = started.next else { panic!("form") };
        let response = h.browser.post(&action).form(&fields).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::BAD_REQUEST);
        let page = response.text().await.unwrap();
        assert_accessible(&page);
        assert!(page.contains(message), "{message}: {page}");
    }

    let action = format!("{}/PayByNet/trans.do", h.simulator_base);
    let post = |fields: Vec<(&'static str, String)>| {
        let browser = h.browser.clone();
        let action = action.clone();
        async move {
            let response = browser.post(&action).form(&fields).send().await.unwrap();
            (response.status(), response.text().await.unwrap())
        }
    };

    let (status, page) = post(vec![("hashtrans", "!!!".into())]).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(page.contains("Base64"));

    let (status, page) = post(vec![]).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(page.contains("dokładnie jedno pole hashtrans"));

    // A valid payload whose amount was changed after signing.
    let fields = h.adapter.transaction_fields(&h.request(4781)).unwrap();
    let password = Secret::new(PASSWORD);
    let tampered = fields.signed(&password).replace("<amount>123,45</amount>", "<amount>1,45</amount>");
    let (status, page) = post(vec![("hashtrans", base64::engine::general_purpose::STANDARD.encode(tampered))]).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(page.contains("Skrót (hash) się nie zgadza"));

    // Correctly signed but already expired: refused with a way back to the merchant.
    let past =
        TransactionFields { date_valid: format_date_valid(OffsetDateTime::now_utc() - time::Duration::minutes(1)), ..fields.clone() };
    let (status, page) = post(vec![("hashtrans", past.hashtrans(&password))]).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(page.contains("wygasł"));
    assert!(page.contains(&format!("href=\"{}/err\"", h.portal)));

    // Correctly signed but with a malformed id_trans.
    let short_id = TransactionFields { id_trans: "4781".into(), ..fields };
    let (status, page) = post(vec![("hashtrans", short_id.hashtrans(&password))]).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(page.contains("dokładnie 10 znaków"));

    assert!(h.simulator.status_code("0000004780").is_none());
    assert!(h.simulator.status_code("0000004781").is_none());
    assert!(h.recorded().is_empty());
}

/// A link that runs out while the payer is at the bank: the status service says expired, and
/// the late decision sends one expired notification and the browser to `backpagereject`.
#[actix_web::test]
async fn expired_link() {
    let h = start(Misbehaviour::default()).await;
    let password = Secret::new(PASSWORD);
    let soon = OffsetDateTime::now_utc() + time::Duration::seconds(2);
    let fields = TransactionFields { date_valid: format_date_valid(soon), ..h.adapter.transaction_fields(&h.request(4790)).unwrap() };
    let response = h
        .browser
        .post(format!("{}/PayByNet/trans.do", h.simulator_base))
        .form(&[("hashtrans", fields.hashtrans(&password))])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(h.status(4790).await.unwrap().status, PaymentStatus::Pending);

    actix_web::rt::time::sleep(Duration::from_millis(3100)).await;
    assert_eq!(h.status(4790).await.unwrap().raw_status, code::EXPIRED);
    let decision = format!("{}/PayByNet/transactions/0000004790/decision", h.simulator_base);
    let response = h.browser.post(&decision).form(&[("decision", "confirm")]).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response).as_str(), format!("{}/err", h.portal));
    assert_eq!(statuses(&h.recorded()), [PaymentStatus::Expired]);
    // Only once.
    let again = h.browser.post(&decision).form(&[("decision", "confirm")]).send().await.unwrap();
    assert_eq!(again.status(), StatusCode::CONFLICT);
    assert_eq!(h.recorded().len(), 1);
}

#[actix_web::test]
async fn index_page_shows_settings_and_deliveries_but_never_the_password() {
    let h = start(Misbehaviour { duplicate_notifications: 1, ..Misbehaviour::default() }).await;
    h.pay(4799, "confirm").await;
    let (status, page) = h.get(&reqwest::Url::parse(&format!("{}/", h.simulator_base)).unwrap()).await;
    assert_eq!(status, StatusCode::OK);
    assert_accessible(&page);
    assert!(page.contains(MERCHANT));
    assert!(!page.contains(PASSWORD));
    assert!(page.contains("<caption>"));
    assert_eq!(page.matches("<td>0000004799</td>").count(), 2);
    assert!(page.contains("HTTP 200: OK"));
}

/// The portal's handler refuses a forged notification sent straight to it, too.
#[actix_web::test]
async fn a_forged_notification_is_refused_by_the_portal() {
    let h = start(Misbehaviour::default()).await;
    let forged = NotificationFields::signed(code::PAID, "123,45", "0000004711", &Secret::new("ZgadnieteHaslo"));
    let response = h
        .browser
        .post(format!("{}/notify", h.portal))
        .header(reqwest::header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(forged.to_form_body())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert_eq!(response.text().await.unwrap(), "PROBLEM");
    assert_eq!(h.recorded()[0].verified, Err(NotificationError::BadSignature));
}
