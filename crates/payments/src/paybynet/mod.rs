//! KIR PayByNet, merchant side (payments.md §1).
//!
//! - start: the payload of §1.2 in its fixed tag order, SHA-1 with the password tag, base64 into
//!   the one form field `hashtrans` (§1.3), auto-submitted to the configured `trans.do`;
//! - notification: `newStatus`, `transAmount`, `paymentId`, `hash` checked over the strings as
//!   received, in constant time, then the code mapped (§1.4–1.5); answer `OK`;
//! - polling: SOAP `getStatusByPaymentID` against the configured URL (§1.4).
//!
//! Every part of §1 is marked "code" or "uncertain" there: the choices made where it is silent are
//! written next to the code that makes them (amount separator: [`AmountFormat`]; `date_valid`
//! zone: [`format_date_valid`]; `id_trans` mapping: [`IdTrans`]; SOAP namespace: [`soap`]).

mod config;
mod format;
pub mod notification;
pub mod payload;
pub mod soap;
pub mod status;

use time::Duration;

pub use config::{DEFAULT_REQUEST_TIMEOUT, PayByNetConfig, PayByNetEndpoints};
pub use format::{AmountFormat, IdTrans, Recipient, format_amount, format_date_valid, parse_amount, parse_date_valid};
pub use notification::NotificationFields;
pub use payload::{DecodedTransaction, PayloadError, TransactionFields};
pub use status::status_of;

use crate::gateway::{
    BrowserStep, GatewayError, GatewayFuture, GatewayId, GatewayNotification, NotificationError, NotificationReply, PaymentGateway,
    PaymentId, PaymentRequest, Refusal, StartedPayment, StatusQuery, StatusReport,
};
use config::check_url;
use format::check_field;

pub const GATEWAY_ID: GatewayId = GatewayId::new("paybynet");

/// The only currency (payments.md §1.2, tag 5).
pub const CURRENCY: &str = "PLN";

/// The validity window of a payment link, after the request: Astarium refuses less than 15 minutes
/// and more than 7 days (payments.md §1.2, tag 3 — uncertain whether it is KIR's rule; we keep it,
/// it costs nothing and the server chooses the link's lifetime).
pub const MIN_VALIDITY: Duration = Duration::minutes(15);
pub const MAX_VALIDITY: Duration = Duration::days(7);

/// The longest e-mail address (RFC 5321 path limit).
const MAX_EMAIL_LEN: usize = 254;

/// Why a PayByNet request or configuration is refused before anything is sent.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PayByNetError {
    #[error("payment id {id} does not fit id_trans (1 to 9999999999)")]
    PaymentIdOutOfRange { id: PaymentId },
    #[error("{field} contains the character {found:?}, which the PayByNet payload cannot carry")]
    ForbiddenCharacter { field: &'static str, found: char },
    #[error("{0} must not be empty")]
    EmptyField(&'static str),
    #[error("accname is not NAME^NM^POSTCODE^ZP^CITY^CI^STREET^ST^COUNTRY^CT^")]
    MalformedAccname,
    #[error("{field} must be an http(s) URL without spaces")]
    InvalidUrl { field: &'static str },
    #[error("the payer's e-mail address is not a plain address")]
    InvalidEmail,
    #[error("a payment of 0.00 zł cannot be started")]
    ZeroAmount,
    #[error("the payment link must stay valid for 15 minutes to 7 days")]
    ValidityOutOfRange,
    #[error("the merchant id (id_client) must be digits")]
    InvalidMerchantId,
    #[error("the PayByNet password must have 8 to 40 characters, found {found}")]
    PasswordLength { found: usize },
}

/// The PayByNet adapter for one merchant. Cheap to clone (the HTTP client is shared).
#[derive(Debug, Clone)]
pub struct PayByNet {
    config: PayByNetConfig,
    http: reqwest::Client,
}

impl PayByNet {
    pub fn new(config: PayByNetConfig) -> Result<Self, GatewayError> {
        let http = reqwest::Client::builder()
            .timeout(config.request_timeout())
            .build()
            .map_err(|e| GatewayError::Transport(format!("cannot build the HTTP client: {e}")))?;
        Ok(PayByNet { config, http })
    }

    pub fn config(&self) -> &PayByNetConfig {
        &self.config
    }

    /// The ten payload fields for a request, validated (payments.md §1.2).
    pub fn transaction_fields(&self, request: &PaymentRequest) -> Result<TransactionFields, PayByNetError> {
        let id_trans = IdTrans::from_payment_id(request.payment_id)?;
        if request.amount.is_zero() {
            return Err(PayByNetError::ZeroAmount);
        }
        let window = request.valid_until - request.requested_at;
        if window < MIN_VALIDITY || window > MAX_VALIDITY {
            return Err(PayByNetError::ValidityOutOfRange);
        }
        if let Some(email) = &request.payer_email {
            check_email(email)?;
        }
        check_url("backpage", &request.return_urls.success)?;
        check_url("backpagereject", &request.return_urls.failure)?;
        let account = request.recipient_account.as_ref().unwrap_or(self.config.account());
        Ok(TransactionFields {
            id_client: self.config.merchant_id().to_owned(),
            id_trans: id_trans.as_str().to_owned(),
            date_valid: format_date_valid(request.valid_until),
            amount: format_amount(request.amount, self.config.amount_format()),
            currency: CURRENCY.to_owned(),
            email: request.payer_email.clone(),
            account: account.digits().to_owned(),
            accname: self.config.recipient().accname(),
            backpage: request.return_urls.success.clone(),
            backpagereject: request.return_urls.failure.clone(),
        })
    }

    /// The form the browser posts to KIR: `hashtrans`, and `idbank` when the payer already chose a
    /// bank (payments.md §1.1 step 1).
    pub fn browser_step(&self, request: &PaymentRequest) -> Result<BrowserStep, PayByNetError> {
        let hashtrans = self.transaction_fields(request)?.hashtrans(self.config.password());
        let mut fields = vec![("hashtrans".to_owned(), hashtrans)];
        if let Some(bank) = &request.bank_hint {
            fields.push(("idbank".to_owned(), bank.clone()));
        }
        Ok(BrowserStep::AutoSubmitForm { action: self.config.endpoints().transaction_url.clone(), fields })
    }

    /// Reads and authenticates a notification body (payments.md §1.4): the hash first, over the
    /// strings as received; only then are the fields interpreted.
    pub fn verify_body(&self, body: &[u8]) -> Result<GatewayNotification, NotificationError> {
        let fields = NotificationFields::parse(body)?;
        fields.verify(self.config.password())?;
        let status = status_of(&fields.new_status).ok_or_else(|| NotificationError::UnknownStatus { code: fields.new_status.clone() })?;
        let our_payment_id = IdTrans::payment_id_of(&fields.payment_id).ok_or_else(|| NotificationError::MalformedField {
            field: notification::PAYMENT_ID,
            reason: "expected 1 to 10 digits, not all zeros".into(),
        })?;
        let amount = parse_amount(&fields.trans_amount).ok_or_else(|| NotificationError::MalformedField {
            field: notification::TRANS_AMOUNT,
            reason: "expected an amount like 123,45 or 123.45".into(),
        })?;
        Ok(GatewayNotification {
            gateway: GATEWAY_ID,
            gateway_transaction_id: fields.payment_id,
            our_payment_id,
            status,
            raw_status: fields.new_status,
            amount: Some(amount),
            confirmed_at: None,
        })
    }

    /// Asks KIR for the status of one transaction (payments.md §1.4, "Polling"). The answer has no
    /// signature; its trust rests on TLS, and it carries no amount.
    pub async fn fetch_status(&self, id_trans: &IdTrans) -> Result<StatusReport, GatewayError> {
        let envelope = soap::status_request(id_trans.as_str(), self.config.merchant_id());
        let response = self
            .http
            .post(&self.config.endpoints().status_url)
            .header(reqwest::header::CONTENT_TYPE, "text/xml; charset=utf-8")
            .header("SOAPAction", "\"\"")
            .body(envelope)
            .send()
            .await
            .map_err(|e| GatewayError::Transport(e.to_string()))?;
        let http_status = response.status();
        let text = response.text().await.map_err(|e| GatewayError::Transport(e.to_string()))?;
        match soap::parse_status_response(&text) {
            Some(soap::StatusAnswer::Fault(message)) => Err(GatewayError::Refused(message)),
            Some(soap::StatusAnswer::Code(code)) if http_status.is_success() => match status_of(&code) {
                Some(status) => Ok(StatusReport { status, raw_status: code, amount: None }),
                None => Err(GatewayError::Protocol(format!("unknown status code {code:?}"))),
            },
            _ => Err(GatewayError::Protocol(format!("HTTP {http_status} without a status in the answer"))),
        }
    }
}

/// A plain address: one `@` with text on both sides, no whitespace, nothing that breaks the payload.
fn check_email(email: &str) -> Result<(), PayByNetError> {
    check_field("email", email)?;
    let plain = match email.split_once('@') {
        Some((local, domain)) => !local.is_empty() && !domain.is_empty() && !domain.contains('@'),
        None => false,
    };
    if !plain || email.len() > MAX_EMAIL_LEN || email.chars().any(char::is_whitespace) {
        return Err(PayByNetError::InvalidEmail);
    }
    Ok(())
}

fn text_reply(http_status: u16, body: &str) -> NotificationReply {
    NotificationReply { http_status, content_type: "text/plain; charset=utf-8", body: body.to_owned() }
}

impl PaymentGateway for PayByNet {
    fn id(&self) -> GatewayId {
        GATEWAY_ID
    }

    fn browser_origin(&self) -> Option<String> {
        let url = &self.config.endpoints().transaction_url;
        let after_scheme = url.find("://")? + 3;
        let end = url[after_scheme..].find('/').map_or(url.len(), |i| after_scheme + i);
        Some(url[..end].to_string())
    }

    fn start<'a>(&'a self, request: &'a PaymentRequest) -> GatewayFuture<'a, Result<StartedPayment, GatewayError>> {
        // No call to KIR: the payload is signed here and travels with the browser.
        let started = self.browser_step(request).map(|next| StartedPayment {
            next,
            gateway_transaction_id: IdTrans::from_payment_id(request.payment_id).ok().map(|id| id.as_str().to_owned()),
        });
        Box::pin(async move { started.map_err(|e| GatewayError::InvalidRequest(e.to_string())) })
    }

    fn verify_notification(&self, notification: &crate::gateway::RawNotification) -> Result<GatewayNotification, NotificationError> {
        // PayByNet signs the form fields only; headers carry nothing to check.
        self.verify_body(&notification.body)
    }

    fn acknowledge<'a>(&'a self, _notification: &'a GatewayNotification) -> GatewayFuture<'a, Result<NotificationReply, GatewayError>> {
        Box::pin(async { Ok(text_reply(200, notification::ACCEPTED_REPLY)) })
    }

    /// `PROBLEM` (aptelo's answer to a bad hash): 400 for a wrong notification, 503 when we could
    /// not record it, so that a retrying sender retries (KIR's retry policy is undocumented, §1.4).
    fn refuse(&self, refusal: Refusal<'_>) -> NotificationReply {
        match refusal {
            Refusal::Invalid(_) => text_reply(400, notification::REFUSED_REPLY),
            Refusal::TemporaryFailure => text_reply(503, notification::REFUSED_REPLY),
        }
    }

    fn query_status<'a>(&'a self, query: &'a StatusQuery) -> GatewayFuture<'a, Result<StatusReport, GatewayError>> {
        Box::pin(async move {
            let id_trans = IdTrans::from_payment_id(query.payment_id).map_err(|e| GatewayError::InvalidRequest(e.to_string()))?;
            self.fetch_status(&id_trans).await
        })
    }
}

#[cfg(test)]
mod tests;
