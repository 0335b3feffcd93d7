//! A local imitation of KIR PayByNet for the demo and end-to-end tests. Never part of a production
//! configuration: its pages say so on every screen, and it moves no money.
//!
//! It speaks the real formats of payments.md §1, so the portal talks to it through the real
//! [`crate::paybynet::PayByNet`] adapter pointed at [`PayByNetEndpoints::under`] its mount point:
//!
//! - `POST {mount}/PayByNet/trans.do` takes the `hashtrans` form (and optional `idbank`), checks it
//!   as the gateway would — structure, merchant, hash, every field — and shows an error page when
//!   something is wrong, else the bank choice;
//! - `GET {mount}/PayByNet/transactions/{id_trans}` (choose a bank), `…/bank?bank=ID` (the "bank"
//!   asks to confirm or reject), `POST …/decision` (sends the notifications to the configured
//!   notify URL, then 303 to `backpage` or `backpagereject`);
//! - `POST {mount}/axis/services/PBNTransactionsGetStatus` answers the SOAP status query;
//! - `GET {mount}/` shows the settings and the notifications sent.
//!
//! Misbehaviour (duplicates, out-of-order, delay, tampered hash) is chosen at start-up in
//! [`Misbehaviour`], never over HTTP: a running demo cannot be switched into lying.
//!
//! ```no_run
//! # use payments::simulator::{Simulator, SimulatorConfig};
//! # use payments::Secret;
//! # fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! let simulator = Simulator::new(SimulatorConfig::new(
//!     "1234563218",
//!     Secret::new("TajneHaslo123"),
//!     "http://127.0.0.1:8080/api/v1/payments/paybynet/notifications",
//! ))?;
//! let app = actix_web::App::new().service(simulator.scope("/simulator/paybynet"));
//! // …and the portal's PayByNet adapter uses
//! // PayByNetEndpoints::under("http://127.0.0.1:8080/simulator/paybynet").
//! # let _ = app; Ok(()) }
//! ```

mod pages;

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use actix_web::http::header;
use actix_web::{HttpResponse, Scope, web};
use domain::Amount;
use domain::nrb::Nrb;
use serde::Deserialize;
use time::OffsetDateTime;

use crate::paybynet::status::code;
use crate::paybynet::{
    CURRENCY, IdTrans, MAX_VALIDITY, NotificationFields, PayloadError, Recipient, TransactionFields, parse_amount, parse_date_valid, soap,
};
use crate::secret::Secret;

#[cfg(doc)]
use crate::paybynet::PayByNetEndpoints;

/// One bank on the choice page (PayByNet's bank list, payments.md §1.1: `id`, `name`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct SimulatedBank {
    pub id: String,
    pub name: String,
}

/// Fictional banks: the simulator imitates no real one.
pub fn default_banks() -> Vec<SimulatedBank> {
    [("1", "Bank Testowy Północ"), ("2", "Bank Testowy Południe"), ("3", "Spółdzielczy Bank Testowy")]
        .into_iter()
        .map(|(id, name)| SimulatedBank { id: id.to_owned(), name: name.to_owned() })
        .collect()
}

/// How the simulator departs from a well-behaved gateway. All off by default.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Misbehaviour {
    /// Extra copies of every notification, sent right after it (0 = each once).
    pub duplicate_notifications: u8,
    /// After the final status, also send an older "pending" (2101), as a late message would arrive.
    pub out_of_order: bool,
    /// Send the notifications this long after the decision, in the background: the browser is back
    /// at the portal before the portal has heard anything. Without it they are sent before the
    /// redirect, which keeps tests deterministic.
    #[serde(rename = "notification_delay_ms", deserialize_with = "millis")]
    pub notification_delay: Option<Duration>,
    /// Corrupt the hash of every notification (the last hex digit changes).
    pub tamper_hash: bool,
}

fn millis<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Option<Duration>, D::Error> {
    Option::<u64>::deserialize(deserializer).map(|ms| ms.map(Duration::from_millis))
}

/// Start-up configuration. `Debug` redacts the password.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SimulatorConfig {
    /// The `id_client` the simulated merchant has; other merchants are refused.
    pub merchant_id: String,
    /// The merchant's password: the same the portal's adapter signs with.
    pub password: Secret,
    /// Where notifications go: with the real gateway this URL is registered with KIR, not sent
    /// in the request (payments.md §1.1 step 3), so here it is configuration too.
    pub notify_url: String,
    #[serde(default = "default_banks")]
    pub banks: Vec<SimulatedBank>,
    #[serde(default)]
    pub misbehaviour: Misbehaviour,
}

impl SimulatorConfig {
    /// A well-behaved simulator with the default banks.
    pub fn new(merchant_id: &str, password: Secret, notify_url: &str) -> Self {
        SimulatorConfig {
            merchant_id: merchant_id.to_owned(),
            password,
            notify_url: notify_url.to_owned(),
            banks: default_banks(),
            misbehaviour: Misbehaviour::default(),
        }
    }

    pub fn with_misbehaviour(mut self, misbehaviour: Misbehaviour) -> Self {
        self.misbehaviour = misbehaviour;
        self
    }
}

/// How long one notification POST may take.
const NOTIFY_TIMEOUT: Duration = Duration::from_secs(10);

/// A notification the simulator sent and what the portal answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    pub id_trans: String,
    /// The form body as sent.
    pub body: String,
    pub outcome: DeliveryOutcome,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeliveryOutcome {
    Answered { http_status: u16, body: String },
    Failed(String),
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SimulatorError {
    #[error("cannot build the HTTP client for notifications: {0}")]
    HttpClient(String),
}

/// One transaction the simulator has accepted.
#[derive(Debug, Clone)]
struct Transaction {
    fields: TransactionFields,
    amount: Amount,
    recipient: Recipient,
    account: Nrb,
    valid_until: OffsetDateTime,
    /// The current PayByNet status code.
    status: &'static str,
    /// Whether the notifications of the final status went out (or are on their way).
    notified: bool,
}

impl Transaction {
    fn view(&self) -> pages::TransactionView<'_> {
        pages::TransactionView {
            id_trans: &self.fields.id_trans,
            amount: self.amount,
            recipient: &self.recipient,
            account: &self.account,
            date_valid: &self.fields.date_valid,
        }
    }

    /// Pending past its validity becomes expired (2201) the first time anyone looks.
    fn expire_if_due(&mut self, now: OffsetDateTime) {
        if self.status == code::PENDING && now > self.valid_until {
            self.status = code::EXPIRED;
        }
    }
}

#[derive(Debug)]
struct Inner {
    config: SimulatorConfig,
    http: reqwest::Client,
    transactions: Mutex<HashMap<String, Transaction>>,
    deliveries: Mutex<Vec<Delivery>>,
}

/// The simulator: its configuration and state. Cheap to clone; clones share the state.
#[derive(Debug, Clone)]
pub struct Simulator {
    inner: Arc<Inner>,
}

impl Simulator {
    pub fn new(config: SimulatorConfig) -> Result<Self, SimulatorError> {
        let http = reqwest::Client::builder()
            .timeout(NOTIFY_TIMEOUT)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| SimulatorError::HttpClient(e.to_string()))?;
        let inner = Inner { config, http, transactions: Mutex::default(), deliveries: Mutex::default() };
        Ok(Simulator { inner: Arc::new(inner) })
    }

    pub fn config(&self) -> &SimulatorConfig {
        &self.inner.config
    }

    /// The simulator's routes under `path`, e.g. `App::new().service(simulator.scope("/simulator/paybynet"))`.
    pub fn scope(&self, path: &str) -> Scope {
        let simulator = self.clone();
        web::scope(path).configure(move |cfg| simulator.configure(cfg))
    }

    /// The routes for `App::configure` / `Scope::configure`, relative to wherever they are mounted.
    pub fn configure(&self, cfg: &mut web::ServiceConfig) {
        cfg.app_data(web::Data::new(self.clone()))
            .route("", web::get().to(index))
            .route("/", web::get().to(index))
            .route("/PayByNet/trans.do", web::post().to(receive))
            .route("/PayByNet/transactions/{id_trans}", web::get().to(choose_bank))
            .route("/PayByNet/transactions/{id_trans}/bank", web::get().to(authorise))
            .route("/PayByNet/transactions/{id_trans}/decision", web::post().to(decide))
            .route("/axis/services/PBNTransactionsGetStatus", web::post().to(status_query));
    }

    /// The notifications sent so far, oldest first.
    pub fn deliveries(&self) -> Vec<Delivery> {
        self.inner.deliveries.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }

    /// The current PayByNet status code of a transaction, if the simulator knows it.
    pub fn status_code(&self, id_trans: &str) -> Option<&'static str> {
        self.with_transactions(|transactions| transactions.get(id_trans).map(|t| t.status))
    }

    fn with_transactions<T>(&self, f: impl FnOnce(&mut HashMap<String, Transaction>) -> T) -> T {
        let mut transactions = self.inner.transactions.lock().unwrap_or_else(PoisonError::into_inner);
        f(&mut transactions)
    }

    fn bank(&self, id: &str) -> Option<&SimulatedBank> {
        self.inner.config.banks.iter().find(|bank| bank.id == id)
    }

    /// The notifications for a final status, misbehaviour applied, in sending order.
    fn plan(&self, status: &'static str, transaction: &Transaction) -> Vec<NotificationFields> {
        let m = &self.inner.config.misbehaviour;
        let mut codes = vec![status];
        if m.out_of_order && status != code::PENDING {
            codes.push(code::PENDING);
        }
        let password = &self.inner.config.password;
        let mut plan = Vec::new();
        for status in codes {
            // KIR echoes the amount; the simulator sends it back exactly as it was received.
            let notification = NotificationFields::signed(status, &transaction.fields.amount, &transaction.fields.id_trans, password);
            for _ in 0..=m.duplicate_notifications {
                plan.push(notification.clone());
            }
        }
        if m.tamper_hash {
            for notification in &mut plan {
                tamper(&mut notification.hash);
            }
        }
        plan
    }

    /// Sends the notifications one after another (the order is part of the test), recording each.
    async fn deliver(&self, id_trans: String, plan: Vec<NotificationFields>) {
        for notification in plan {
            let body = notification.to_form_body();
            let sent = self
                .inner
                .http
                .post(&self.inner.config.notify_url)
                .header(reqwest::header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(body.clone())
                .send()
                .await;
            let outcome = match sent {
                Ok(response) => {
                    let http_status = response.status().as_u16();
                    match response.text().await {
                        Ok(body) => DeliveryOutcome::Answered { http_status, body },
                        Err(e) => DeliveryOutcome::Failed(e.to_string()),
                    }
                }
                Err(e) => DeliveryOutcome::Failed(e.to_string()),
            };
            let delivery = Delivery { id_trans: id_trans.clone(), body, outcome };
            self.inner.deliveries.lock().unwrap_or_else(PoisonError::into_inner).push(delivery);
        }
    }
}

/// Changes the last hex digit, so the hash is well-formed but wrong.
fn tamper(hash: &mut String) {
    let replacement = if hash.ends_with('0') { '1' } else { '0' };
    hash.pop();
    hash.push(replacement);
}

fn html(status: actix_web::http::StatusCode, body: String) -> HttpResponse {
    HttpResponse::build(status).content_type("text/html; charset=utf-8").body(body)
}

fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther().insert_header((header::LOCATION, location)).finish()
}

fn error_page(status: actix_web::http::StatusCode, heading: &str, reason: &str, back: Option<&str>) -> HttpResponse {
    html(status, pages::error(heading, reason, back))
}

async fn index(simulator: web::Data<Simulator>) -> HttpResponse {
    html(actix_web::http::StatusCode::OK, pages::index(simulator.config(), &simulator.deliveries()))
}

/// Why a transaction request is refused, in the words the error page uses.
fn payload_problem(error: &PayloadError) -> String {
    match error {
        PayloadError::NotBase64 => "Pole hashtrans nie jest poprawnym Base64 (bez łamania wierszy).".into(),
        PayloadError::NotUtf8 => "Treść hashtrans nie jest tekstem UTF-8.".into(),
        PayloadError::UnexpectedTag { expected, position } => {
            format!("Oczekiwano znacznika <{expected}> na pozycji {position}: brak pola lub zła kolejność pól.")
        }
        PayloadError::Unclosed(tag) => format!("Znacznik <{tag}> nie jest zamknięty."),
        PayloadError::TrailingData => "Po znaczniku </hash> są jeszcze dane.".into(),
        PayloadError::MalformedHash => "Skrót (hash) nie ma 40 cyfr szesnastkowych.".into(),
    }
}

/// Checks the fields of an authentic request as the gateway would (payments.md §1.2).
fn check_fields(fields: &TransactionFields, now: OffsetDateTime) -> Result<(Amount, Recipient, Nrb, OffsetDateTime), String> {
    // Exactly 10 characters is the documented rule; letters and digits only is the simulator's own,
    // so the id can stand in its URLs as it is (the portal sends digits).
    if fields.id_trans.len() != IdTrans::LEN || !fields.id_trans.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(format!("id_trans musi mieć dokładnie {} znaków (litery lub cyfry).", IdTrans::LEN));
    }
    let valid_until = parse_date_valid(&fields.date_valid).ok_or("date_valid nie ma formatu DD-MM-RRRR GG:MM:SS.")?;
    if valid_until <= now {
        return Err("Link do płatności wygasł (date_valid jest w przeszłości).".into());
    }
    if valid_until > now + MAX_VALIDITY + time::Duration::minutes(1) {
        return Err("date_valid jest odległe o więcej niż 7 dni.".into());
    }
    let amount = parse_amount(&fields.amount).filter(|a| !a.is_zero()).ok_or("Kwota (amount) jest nieprawidłowa.")?;
    if fields.currency != CURRENCY {
        return Err("Obsługiwana jest tylko waluta PLN.".into());
    }
    if let Some(email) = &fields.email
        && !email.contains('@')
    {
        return Err("Adres e-mail płatnika jest nieprawidłowy.".into());
    }
    let account = (fields.account.len() == 26 && fields.account.bytes().all(|b| b.is_ascii_digit()))
        .then(|| fields.account.parse::<Nrb>().ok())
        .flatten()
        .ok_or("Rachunek odbiorcy (account) nie jest poprawnym 26-cyfrowym NRB.")?;
    let recipient = Recipient::parse_accname(&fields.accname).map_err(|_| "Pole accname ma nieprawidłowy format.")?;
    for url in [&fields.backpage, &fields.backpagereject] {
        if !(url.starts_with("https://") || url.starts_with("http://")) {
            return Err("Adresy powrotu (backpage, backpagereject) muszą być adresami http(s).".into());
        }
    }
    Ok((amount, recipient, account, valid_until))
}

/// `POST …/PayByNet/trans.do`: the form the portal's page submits.
async fn receive(simulator: web::Data<Simulator>, body: web::Bytes) -> HttpResponse {
    use actix_web::http::StatusCode;
    const HEADING: &str = "Transakcja odrzucona";
    let mut hashtrans = Vec::new();
    let mut idbank = None;
    for (name, value) in form_urlencoded::parse(&body) {
        match name.as_ref() {
            "hashtrans" => hashtrans.push(value.into_owned()),
            "idbank" => idbank = Some(value.into_owned()),
            _ => {}
        }
    }
    let [hashtrans] = &hashtrans[..] else {
        return error_page(StatusCode::BAD_REQUEST, HEADING, "Żądanie musi zawierać dokładnie jedno pole hashtrans.", None);
    };
    let decoded = match TransactionFields::decode(hashtrans) {
        Ok(decoded) => decoded,
        Err(e) => return error_page(StatusCode::BAD_REQUEST, HEADING, &payload_problem(&e), None),
    };
    let fields = decoded.fields.clone();
    let config = simulator.config();
    if fields.id_client != config.merchant_id {
        return error_page(StatusCode::BAD_REQUEST, HEADING, "Nieznany identyfikator sprzedawcy (id_client).", None);
    }
    // Authenticity before content: nothing of an unsigned request is trusted, not even its return URL.
    if !decoded.hash_matches(&config.password) {
        return error_page(
            StatusCode::BAD_REQUEST,
            HEADING,
            "Skrót (hash) się nie zgadza: sprawdź hasło sprzedawcy, kolejność i treść pól.",
            None,
        );
    }
    let now = OffsetDateTime::now_utc();
    let (amount, recipient, account, valid_until) = match check_fields(&fields, now) {
        Ok(checked) => checked,
        Err(reason) => return error_page(StatusCode::BAD_REQUEST, HEADING, &reason, Some(&fields.backpagereject)),
    };
    let id_trans = fields.id_trans.clone();
    let back = fields.backpagereject.clone();
    let accepted = simulator.with_transactions(|transactions| {
        if transactions.get(&id_trans).is_some_and(|t| t.status != code::PENDING) {
            return false;
        }
        // A pending transaction may be submitted again (the payer pressed back and forward).
        let transaction = Transaction { fields, amount, recipient, account, valid_until, status: code::PENDING, notified: false };
        transactions.insert(id_trans.clone(), transaction);
        true
    });
    if !accepted {
        return error_page(
            StatusCode::CONFLICT,
            HEADING,
            "Transakcja o tym identyfikatorze (id_trans) została już zakończona.",
            Some(&back),
        );
    }
    // Relative redirects keep the simulator independent of where it is mounted.
    match idbank.filter(|id| simulator.bank(id).is_some()) {
        Some(bank) => see_other(&format!(
            "transactions/{id_trans}/bank?bank={}",
            form_urlencoded::byte_serialize(bank.as_bytes()).collect::<String>()
        )),
        None => see_other(&format!("transactions/{id_trans}")),
    }
}

/// Looks a transaction up for a page, expiring it if due.
fn current(simulator: &Simulator, id_trans: &str) -> Option<Transaction> {
    let now = OffsetDateTime::now_utc();
    simulator.with_transactions(|transactions| {
        transactions.get_mut(id_trans).map(|t| {
            t.expire_if_due(now);
            t.clone()
        })
    })
}

fn unknown_transaction() -> HttpResponse {
    error_page(actix_web::http::StatusCode::NOT_FOUND, "Nieznana transakcja", "Symulator nie zna transakcji o tym identyfikatorze.", None)
}

fn finished_page(transaction: &Transaction) -> HttpResponse {
    let back = if transaction.status == code::PAID { &transaction.fields.backpage } else { &transaction.fields.backpagereject };
    error_page(
        actix_web::http::StatusCode::CONFLICT,
        "Transakcja zakończona",
        "Ta transakcja została już zakończona lub wygasła.",
        Some(back),
    )
}

async fn choose_bank(simulator: web::Data<Simulator>, id_trans: web::Path<String>) -> HttpResponse {
    let Some(transaction) = current(&simulator, &id_trans) else {
        return unknown_transaction();
    };
    if transaction.status != code::PENDING {
        return finished_page(&transaction);
    }
    html(actix_web::http::StatusCode::OK, pages::choose_bank(&transaction.view(), &simulator.config().banks, None))
}

#[derive(Deserialize)]
struct BankChoice {
    bank: Option<String>,
}

async fn authorise(simulator: web::Data<Simulator>, id_trans: web::Path<String>, choice: web::Query<BankChoice>) -> HttpResponse {
    let Some(transaction) = current(&simulator, &id_trans) else {
        return unknown_transaction();
    };
    if transaction.status != code::PENDING {
        return finished_page(&transaction);
    }
    match choice.bank.as_deref().and_then(|id| simulator.bank(id)) {
        Some(bank) => html(actix_web::http::StatusCode::OK, pages::authorise(&transaction.view(), bank)),
        None => html(
            actix_web::http::StatusCode::BAD_REQUEST,
            pages::choose_bank(&transaction.view(), &simulator.config().banks, Some("Wybierz bank z listy.")),
        ),
    }
}

#[derive(Deserialize)]
struct Decision {
    decision: String,
}

/// `POST …/decision`: records the outcome, notifies the portal, sends the browser back.
async fn decide(simulator: web::Data<Simulator>, id_trans: web::Path<String>, form: web::Form<Decision>) -> HttpResponse {
    let wanted = match form.decision.as_str() {
        "confirm" => code::PAID,
        "reject" => code::REJECTED,
        _ => return error_page(actix_web::http::StatusCode::BAD_REQUEST, "Nieznana decyzja", "Wybierz „Zatwierdź” albo „Odrzuć”.", None),
    };
    let now = OffsetDateTime::now_utc();
    // Decide under the lock, so two clicks cannot both notify.
    let decided = simulator.with_transactions(|transactions| {
        let transaction = transactions.get_mut(id_trans.as_str())?;
        transaction.expire_if_due(now);
        if transaction.status == code::PENDING {
            transaction.status = wanted;
        }
        // A link that ran out while the payer was at the bank is notified as expired, once.
        let fresh = !transaction.notified;
        transaction.notified = true;
        Some((transaction.status, transaction.clone(), fresh))
    });
    let Some((status, transaction, fresh)) = decided else {
        return unknown_transaction();
    };
    if !fresh {
        return finished_page(&transaction);
    }
    let plan = simulator.plan(status, &transaction);
    let id = transaction.fields.id_trans.clone();
    match simulator.config().misbehaviour.notification_delay {
        Some(delay) => {
            let background = simulator.get_ref().clone();
            actix_web::rt::spawn(async move {
                actix_web::rt::time::sleep(delay).await;
                background.deliver(id, plan).await;
            });
        }
        None => simulator.deliver(id, plan).await,
    }
    see_other(if status == code::PAID { &transaction.fields.backpage } else { &transaction.fields.backpagereject })
}

/// `POST …/axis/services/PBNTransactionsGetStatus`: the SOAP status query (payments.md §1.4).
async fn status_query(simulator: web::Data<Simulator>, body: web::Bytes) -> HttpResponse {
    let soap_reply =
        |status: actix_web::http::StatusCode, xml: String| HttpResponse::build(status).content_type("text/xml; charset=utf-8").body(xml);
    let fault = |message: &str| soap_reply(actix_web::http::StatusCode::INTERNAL_SERVER_ERROR, soap::fault(message));
    let Some((payment_id, merchant_id)) = std::str::from_utf8(&body).ok().and_then(soap::parse_status_request) else {
        return fault("Malformed getStatusByPaymentID request");
    };
    if merchant_id != simulator.config().merchant_id {
        return fault("Unknown client");
    }
    let now = OffsetDateTime::now_utc();
    let status = simulator.with_transactions(|transactions| {
        transactions.get_mut(&payment_id).map(|t| {
            t.expire_if_due(now);
            t.status
        })
    });
    match status {
        Some(status) => soap_reply(actix_web::http::StatusCode::OK, soap::status_response(status)),
        None => fault("Unknown transaction"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tampering_changes_exactly_the_last_digit() {
        let mut hash = "e3a5218c95b18f6ae0d69f12d8ad3e9f173bf412".to_owned();
        tamper(&mut hash);
        assert_eq!(hash, "e3a5218c95b18f6ae0d69f12d8ad3e9f173bf410");
        let mut zero = "0".repeat(40);
        tamper(&mut zero);
        assert_eq!(zero, format!("{}1", "0".repeat(39)));
    }

    #[test]
    fn config_debug_redacts_the_password() {
        let config = SimulatorConfig::new("1234563218", Secret::new("TajneHaslo123"), "http://127.0.0.1:1/notify");
        let shown = format!("{config:?}");
        assert!(!shown.contains("TajneHaslo123"));
        assert!(shown.contains("[redacted]"));
    }

    #[test]
    fn config_from_a_settings_file() {
        let json = r#"{"merchant_id": "1234563218", "password": "TajneHaslo123", "notify_url": "http://127.0.0.1:8080/n",
                       "misbehaviour": {"duplicate_notifications": 2, "out_of_order": true, "notification_delay_ms": 1500, "tamper_hash": true}}"#;
        let config: SimulatorConfig = serde_json::from_str(json).unwrap();
        assert_eq!(
            config.misbehaviour,
            Misbehaviour {
                duplicate_notifications: 2,
                out_of_order: true,
                notification_delay: Some(Duration::from_millis(1500)),
                tamper_hash: true
            }
        );
        assert_eq!(config.banks, default_banks());
        let plain: SimulatorConfig =
            serde_json::from_str(r#"{"merchant_id": "1", "password": "TajneHaslo123", "notify_url": "http://x/n"}"#).unwrap();
        assert_eq!(plain.misbehaviour, Misbehaviour::default());
    }

    fn transaction() -> Transaction {
        Transaction {
            fields: TransactionFields {
                id_client: "1234563218".into(),
                id_trans: "0000004711".into(),
                date_valid: "15-03-2025 23:59:59".into(),
                amount: "123,45".into(),
                currency: "PLN".into(),
                email: None,
                account: "39109010141234567800004711".into(),
                accname: "Gmina Przykladowo^NM^00-001^ZP^Przykladowo^CI^Rynek 1^ST^Polska^CT^".into(),
                backpage: "https://e-naleznosci.example/ok".into(),
                backpagereject: "https://e-naleznosci.example/err".into(),
            },
            amount: "123.45".parse().unwrap(),
            recipient: Recipient::new("Gmina Przykladowo", "00-001", "Przykladowo", "Rynek 1", "Polska").unwrap(),
            account: "39109010141234567800004711".parse().unwrap(),
            valid_until: time::macros::datetime!(2025-03-15 22:59:59 UTC),
            status: code::PENDING,
            notified: false,
        }
    }

    fn plan_with(misbehaviour: Misbehaviour, status: &'static str) -> Vec<NotificationFields> {
        let config =
            SimulatorConfig::new("1234563218", Secret::new("TajneHaslo123"), "http://127.0.0.1:1/n").with_misbehaviour(misbehaviour);
        Simulator::new(config).unwrap().plan(status, &transaction())
    }

    #[test]
    fn a_well_behaved_plan_is_one_signed_notification() {
        let plan = plan_with(Misbehaviour::default(), code::PAID);
        // payments.md §1.4 test vector: the simulator signs exactly like KIR.
        assert_eq!(plan, vec![NotificationFields::signed("2203", "123,45", "0000004711", &Secret::new("TajneHaslo123"))]);
        assert_eq!(plan[0].hash, "e3a5218c95b18f6ae0d69f12d8ad3e9f173bf412");
    }

    #[test]
    fn misbehaving_plans() {
        let statuses = |plan: Vec<NotificationFields>| plan.into_iter().map(|n| n.new_status).collect::<Vec<_>>();
        let duplicates = Misbehaviour { duplicate_notifications: 2, ..Misbehaviour::default() };
        assert_eq!(statuses(plan_with(duplicates, code::PAID)), ["2203", "2203", "2203"]);
        let out_of_order = Misbehaviour { out_of_order: true, ..Misbehaviour::default() };
        assert_eq!(statuses(plan_with(out_of_order, code::REJECTED)), ["2202", "2101"]);
        let both = Misbehaviour { out_of_order: true, duplicate_notifications: 1, ..Misbehaviour::default() };
        assert_eq!(statuses(plan_with(both, code::PAID)), ["2203", "2203", "2101", "2101"]);
        let password = Secret::new("TajneHaslo123");
        for notification in plan_with(Misbehaviour { tamper_hash: true, ..Misbehaviour::default() }, code::PAID) {
            assert!(notification.verify(&password).is_err());
        }
    }

    #[test]
    fn pending_expires_once_its_time_has_passed() {
        let mut t = transaction();
        t.expire_if_due(time::macros::datetime!(2025-03-15 22:59:59 UTC));
        assert_eq!(t.status, code::PENDING);
        t.expire_if_due(time::macros::datetime!(2025-03-15 23:00:00 UTC));
        assert_eq!(t.status, code::EXPIRED);
        let mut paid = Transaction { status: code::PAID, ..transaction() };
        paid.expire_if_due(time::macros::datetime!(2026-01-01 00:00:00 UTC));
        assert_eq!(paid.status, code::PAID);
    }
}
