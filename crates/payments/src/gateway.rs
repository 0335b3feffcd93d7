//! The interface every online payment gateway implements (payments.md §1.8, "Design consequence").
//!
//! The server's flow, for any gateway:
//!
//! 1. create a payment row (idempotency key) → [`PaymentGateway::start`] → send the browser on with
//!    the returned [`BrowserStep`] (an auto-submitted form for PayByNet, a redirect elsewhere);
//! 2. the gateway's notification arrives → [`PaymentGateway::verify_notification`] over the raw
//!    body and headers; on `Err` answer [`PaymentGateway::refuse`] and keep the raw body for audit;
//! 3. look the payment up by [`GatewayNotification::our_payment_id`], check the amount with
//!    [`GatewayNotification::check_amount`], decide with [`PaymentStatus::transition`] whether the
//!    status changes anything (notifications repeat and arrive out of order), record it under
//!    [`GatewayNotification::idempotency_key`];
//! 4. answer with [`PaymentGateway::acknowledge`] (PayByNet `OK`; a gateway that needs an outbound
//!    confirmation, like Przelewy24's "verify", does it there — so call it before booking money);
//! 5. for payments left pending, poll [`PaymentGateway::query_status`] from a background job.
//!
//! Return URLs the browser comes back to are not authenticated (payments.md §1.1 step 4): they only
//! show the state the server already knows, they never change it.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::str::FromStr;

use domain::Amount;
use domain::nrb::Nrb;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// A boxed future, so that `dyn PaymentGateway` works (one gateway per municipality, chosen at run time).
pub type GatewayFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Which gateway a payment went through; stored next to the payment ("paybynet", later
/// "przelewy24", "payu", "paynow", "autopay", …).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct GatewayId(&'static str);

impl GatewayId {
    pub const fn new(id: &'static str) -> Self {
        GatewayId(id)
    }

    pub fn as_str(self) -> &'static str {
        self.0
    }
}

impl fmt::Display for GatewayId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

/// Our identifier of one payment attempt (one row the server creates before sending the payer
/// to a gateway). A retry is a new attempt with a new id: gateways refuse a reused transaction id.
///
/// Each adapter maps it to its own field; PayByNet's `id_trans` is the id zero-padded to
/// 10 digits (see [`crate::paybynet::IdTrans`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct PaymentId(u64);

impl PaymentId {
    pub const fn new(id: u64) -> Self {
        PaymentId(id)
    }

    pub fn get(self) -> u64 {
        self.0
    }
}

impl fmt::Display for PaymentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl FromStr for PaymentId {
    type Err = std::num::ParseIntError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        s.parse().map(PaymentId)
    }
}

/// Where the gateway sends the browser back. Neither is proof of anything (payments.md §1.1).
///
/// Keep them free of `&`, `<` and `>`: PayByNet carries them inside its tag payload unescaped
/// (payments.md §1.3, open questions), so the server should put the payment in the path
/// (`/platnosci/4711/powrot`), not in a query string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReturnUrls {
    pub success: String,
    pub failure: String,
}

/// What the server asks a gateway to collect.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentRequest {
    pub payment_id: PaymentId,
    pub amount: Amount,
    /// Shown by gateways that show a title; PayByNet has no such field (payments.md §1.2).
    pub description: String,
    /// Optional; PayByNet omits the `email` tag without it (payments.md §1.2, tag 6).
    pub payer_email: Option<String>,
    /// `None`: the gateway's configured account. `Some`: e.g. the taxpayer's virtual account, so that
    /// online money is reconciled like a transfer (payments.md §1.8, last point — uncertain whether KIR
    /// allows accounts that were not registered with it).
    pub recipient_account: Option<Nrb>,
    pub return_urls: ReturnUrls,
    /// The bank the payer already picked in the portal (PayByNet `idbank`), if any.
    pub bank_hint: Option<String>,
    /// When the request is made: "now" is a parameter, never read from a clock inside the adapter.
    pub requested_at: OffsetDateTime,
    /// Until when the payer may complete the payment.
    pub valid_until: OffsetDateTime,
}

/// What the browser must do next to reach the gateway.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BrowserStep {
    /// POST these fields to `action`, normally from a page that submits itself
    /// ([`BrowserStep::auto_submit_page`]). PayByNet: one field, `hashtrans` (payments.md §1.1).
    AutoSubmitForm { action: String, fields: Vec<(String, String)> },
    /// Send the browser to this URL (303 See Other).
    Redirect { url: String },
}

impl BrowserStep {
    /// A complete HTML page that POSTs the form by itself and, without JavaScript, shows a button
    /// that does the same; a redirect becomes a link. Polish, accessible (a heading, a real button).
    pub fn auto_submit_page(&self) -> String {
        use crate::html::escape;
        let body = match self {
            BrowserStep::AutoSubmitForm { action, fields } => {
                let inputs: String = fields
                    .iter()
                    .map(|(name, value)| format!("<input type=\"hidden\" name=\"{}\" value=\"{}\">\n", escape(name), escape(value)))
                    .collect();
                format!(
                    "<h1>Przekierowanie do płatności</h1>\n\
                     <p>Za chwilę przejdziesz do serwisu płatności. Jeśli nic się nie dzieje, naciśnij przycisk.</p>\n\
                     <form id=\"gateway-form\" method=\"post\" action=\"{}\">\n{inputs}<button type=\"submit\">Przejdź do płatności</button>\n</form>\n\
                     <script>document.getElementById('gateway-form').submit();</script>",
                    escape(action)
                )
            }
            BrowserStep::Redirect { url } => format!(
                "<h1>Przekierowanie do płatności</h1>\n<p><a href=\"{0}\">Przejdź do płatności</a></p>\n\
                 <script>window.location.replace(\"{1}\");</script>",
                escape(url),
                url.replace('\\', "\\\\").replace('"', "\\\"").replace('<', "\\u003c")
            ),
        };
        crate::html::page("Przekierowanie do płatności", None, &body)
    }
}

/// The answer of [`PaymentGateway::start`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StartedPayment {
    pub next: BrowserStep,
    /// The gateway's id of the transaction when known at start (PayByNet: the `id_trans` we sent;
    /// REST gateways: the order id they return). Store it with the payment.
    pub gateway_transaction_id: Option<String>,
}

/// A notification exactly as it arrived: headers and the raw body, before any parsing, because
/// signatures are computed over the bytes or the field strings as received (payments.md §1.8).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RawNotification {
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl RawNotification {
    pub fn new(headers: impl IntoIterator<Item = (String, String)>, body: impl Into<Vec<u8>>) -> Self {
        RawNotification { headers: headers.into_iter().collect(), body: body.into() }
    }

    /// The first header of that name, compared case-insensitively.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

/// The one status vocabulary of the portal; every gateway's codes map into it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PaymentStatus {
    /// Started, not decided yet (PayByNet 2101, 2102; PayU PENDING; Paynow NEW/PENDING).
    Pending,
    /// The money was authorised (PayByNet 2203, 2303; PayU COMPLETED; Paynow CONFIRMED).
    Paid,
    /// The payer or the bank refused (PayByNet 2202, 2302; Paynow REJECTED).
    Rejected,
    /// The payer gave up (PayU CANCELED; Paynow ABANDONED). PayByNet has no such code.
    Cancelled,
    /// The payment link ran out (PayByNet 2201, 2301; Paynow EXPIRED).
    Expired,
    /// The gateway refused our request itself (PayByNet 1000–1012, "weryfikacja odrzucona").
    VerificationRejected,
    /// A technical failure at the gateway (Paynow ERROR).
    Failed,
}

impl PaymentStatus {
    /// Whether the status can still change in the normal course of things.
    pub fn is_final(self) -> bool {
        self != PaymentStatus::Pending
    }

    pub fn as_str(self) -> &'static str {
        match self {
            PaymentStatus::Pending => "pending",
            PaymentStatus::Paid => "paid",
            PaymentStatus::Rejected => "rejected",
            PaymentStatus::Cancelled => "cancelled",
            PaymentStatus::Expired => "expired",
            PaymentStatus::VerificationRejected => "verification_rejected",
            PaymentStatus::Failed => "failed",
        }
    }

    /// What an incoming status means for a payment whose recorded status is `current` (`None`:
    /// nothing recorded yet). Notifications are repeated and arrive out of order (payments.md §1.4:
    /// "make the handler idempotent"), so this is decided in one place:
    ///
    /// - nothing recorded, or `Pending` recorded → [`Transition::Apply`];
    /// - the same status again → [`Transition::Duplicate`];
    /// - `Pending` after a final status → [`Transition::Stale`] (a late, older message);
    /// - `Paid` after a non-paid final status → [`Transition::Apply`]: authenticated money wins over
    ///   an earlier "no" about the link (e.g. an expiry notice racing a bank's late approval);
    /// - anything else after `Paid` → [`Transition::Conflict`]: booked money is never taken back
    ///   automatically, a clerk looks at it;
    /// - one non-paid final after another → [`Transition::Stale`]: both mean no money arrived.
    pub fn transition(current: Option<PaymentStatus>, incoming: PaymentStatus) -> Transition {
        use PaymentStatus::{Paid, Pending};
        match (current, incoming) {
            (None, _) => Transition::Apply,
            (Some(current), incoming) if current == incoming => Transition::Duplicate,
            (Some(Pending), _) => Transition::Apply,
            (Some(_), Pending) => Transition::Stale,
            (Some(Paid), _) => Transition::Conflict,
            (Some(_), Paid) => Transition::Apply,
            (Some(_), _) => Transition::Stale,
        }
    }
}

impl fmt::Display for PaymentStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// See [`PaymentStatus::transition`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Transition {
    /// Record the new status (and act on it: book money when it is `Paid`).
    Apply,
    /// Already recorded: answer the gateway as accepted, change nothing.
    Duplicate,
    /// Older news than what is recorded: answer as accepted, change nothing, keep it for audit.
    Stale,
    /// Contradicts booked money: answer as accepted (the message is authentic), flag for a clerk.
    Conflict,
}

/// A notification whose signature was verified: what the gateway states about one payment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GatewayNotification {
    pub gateway: GatewayId,
    /// The gateway's id of the transaction, as received. PayByNet sends no id of its own: this is
    /// the `paymentId` field (our `id_trans`) exactly as it came.
    pub gateway_transaction_id: String,
    pub our_payment_id: PaymentId,
    pub status: PaymentStatus,
    /// The gateway's own status code, as received, for audit and for the idempotency key.
    pub raw_status: String,
    /// The amount the gateway states, if it states one (Paynow's notification carries none).
    pub amount: Option<Amount>,
    /// When the gateway says the payment was confirmed, if it says (PayByNet does not).
    pub confirmed_at: Option<OffsetDateTime>,
}

impl GatewayNotification {
    /// `(gateway, external id, raw status)` as one string (payments.md §1.8): the same message
    /// delivered twice has the same key.
    pub fn idempotency_key(&self) -> String {
        format!("{}:{}:{}", self.gateway, self.gateway_transaction_id, self.raw_status)
    }

    /// Compares the stated amount with the amount stored for the payment (payments.md §1.4: "then
    /// compare `transAmount` with the expected amount"). A notification without an amount has
    /// nothing to contradict.
    pub fn check_amount(&self, expected: Amount) -> Result<(), NotificationError> {
        match self.amount {
            Some(received) if received != expected => Err(NotificationError::AmountMismatch { expected, received }),
            _ => Ok(()),
        }
    }
}

/// Why a notification was refused. Never includes the secret or the expected signature.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NotificationError {
    #[error("the notification body is not a well-formed form: {0}")]
    MalformedBody(String),
    #[error("the notification lacks the field {0}")]
    MissingField(&'static str),
    #[error("the notification carries the field {0} more than once")]
    DuplicateField(&'static str),
    /// The signature does not match: forged, tampered with, or signed with another secret.
    #[error("the notification's signature does not match")]
    BadSignature,
    /// Authentic, but a field's value is not what the protocol allows.
    #[error("the notification's field {field} is malformed: {reason}")]
    MalformedField { field: &'static str, reason: String },
    /// Authentic, but the status code is not one we know; refused so that it is looked at.
    #[error("the notification carries the unknown status code {code:?}")]
    UnknownStatus { code: String },
    #[error("the notification states {received} zł, the payment is for {expected} zł")]
    AmountMismatch { expected: Amount, received: Amount },
}

impl NotificationError {
    /// A stable snake_case code for logs and the audit table.
    pub fn code(&self) -> &'static str {
        match self {
            NotificationError::MalformedBody(_) => "malformed_body",
            NotificationError::MissingField(_) => "missing_field",
            NotificationError::DuplicateField(_) => "duplicate_field",
            NotificationError::BadSignature => "bad_signature",
            NotificationError::MalformedField { .. } => "malformed_field",
            NotificationError::UnknownStatus { .. } => "unknown_status",
            NotificationError::AmountMismatch { .. } => "amount_mismatch",
        }
    }
}

/// Why the server does not accept a notification, for [`PaymentGateway::refuse`].
#[derive(Debug, Clone, Copy)]
pub enum Refusal<'a> {
    /// The notification itself is wrong (see the error).
    Invalid(&'a NotificationError),
    /// The notification may be fine but we could not record it (database down): ask for a retry.
    TemporaryFailure,
}

/// The HTTP answer to a notification, framework-neutral.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotificationReply {
    pub http_status: u16,
    pub content_type: &'static str,
    pub body: String,
}

/// What a status query asks about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusQuery {
    pub payment_id: PaymentId,
    /// As returned by [`PaymentGateway::start`] or the notification; PayByNet does not need it.
    pub gateway_transaction_id: Option<String>,
}

/// The answer of [`PaymentGateway::query_status`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusReport {
    pub status: PaymentStatus,
    pub raw_status: String,
    /// PayByNet's status query returns the code only.
    pub amount: Option<Amount>,
}

/// What can go wrong when we call a gateway (start, acknowledge, status query).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GatewayError {
    /// Our request breaks the gateway's rules; nothing was sent.
    #[error("the payment request cannot be sent: {0}")]
    InvalidRequest(String),
    /// No usable answer: connection refused, timeout, TLS failure.
    #[error("the gateway could not be reached: {0}")]
    Transport(String),
    /// The gateway answered with an error of its own (e.g. a SOAP fault).
    #[error("the gateway refused the request: {0}")]
    Refused(String),
    /// The gateway answered something we cannot read.
    #[error("the gateway's answer could not be understood: {0}")]
    Protocol(String),
}

/// One online payment gateway, configured for one municipality (merchant account, secrets).
///
/// Methods that talk to the gateway are async; the rest are pure. Implementations keep the
/// gateway's own wire formats inside; callers see only the types of this module.
pub trait PaymentGateway: Send + Sync + fmt::Debug {
    fn id(&self) -> GatewayId;

    /// The origin (`scheme://host[:port]`) the browser is sent to, for the portal's
    /// Content-Security-Policy `form-action`; `None` when unknown.
    fn browser_origin(&self) -> Option<String> {
        None
    }

    /// Prepares the payment and says where the browser goes next. PayByNet needs no call for this;
    /// REST gateways (Przelewy24, PayU, Paynow) register the transaction first.
    fn start<'a>(&'a self, request: &'a PaymentRequest) -> GatewayFuture<'a, Result<StartedPayment, GatewayError>>;

    /// Authenticates and reads a notification. The signature is checked over the data exactly as
    /// received, in constant time, before any field is interpreted.
    fn verify_notification(&self, notification: &RawNotification) -> Result<GatewayNotification, NotificationError>;

    /// The answer that tells the gateway a verified notification was accepted. A gateway that needs
    /// an outbound confirmation (Przelewy24 "verify") makes it here, so call this before booking.
    fn acknowledge<'a>(&'a self, notification: &'a GatewayNotification) -> GatewayFuture<'a, Result<NotificationReply, GatewayError>>;

    /// The answer for a notification that is not accepted.
    fn refuse(&self, refusal: Refusal<'_>) -> NotificationReply;

    /// Asks the gateway for the current status, for payments left pending. The answer carries no
    /// signature of its own where the protocol has none (PayByNet: trust rests on TLS, §1.4).
    fn query_status<'a>(&'a self, query: &'a StatusQuery) -> GatewayFuture<'a, Result<StatusReport, GatewayError>>;
}

#[cfg(test)]
mod tests {
    use super::*;
    use PaymentStatus::*;

    const ALL: [PaymentStatus; 7] = [Pending, Paid, Rejected, Cancelled, Expired, VerificationRejected, Failed];

    #[test]
    fn only_pending_is_not_final() {
        for status in ALL {
            assert_eq!(status.is_final(), status != Pending, "{status}");
        }
    }

    #[test]
    fn status_names_are_snake_case_in_json_too() {
        for status in ALL {
            assert_eq!(serde_json::to_string(&status).unwrap(), format!("\"{}\"", status.as_str()));
        }
    }

    #[test]
    fn transitions() {
        let table = [
            (None, Pending, Transition::Apply),
            (None, Paid, Transition::Apply),
            (Some(Pending), Paid, Transition::Apply),
            (Some(Pending), Pending, Transition::Duplicate),
            (Some(Paid), Paid, Transition::Duplicate),
            (Some(Paid), Pending, Transition::Stale),
            (Some(Rejected), Pending, Transition::Stale),
            (Some(Paid), Rejected, Transition::Conflict),
            (Some(Paid), Expired, Transition::Conflict),
            (Some(Expired), Paid, Transition::Apply),
            (Some(Rejected), Paid, Transition::Apply),
            (Some(Rejected), Expired, Transition::Stale),
            (Some(VerificationRejected), Rejected, Transition::Stale),
        ];
        for (current, incoming, expected) in table {
            assert_eq!(PaymentStatus::transition(current, incoming), expected, "{current:?} → {incoming:?}");
        }
    }

    /// Whatever the order of arrival, a payment that was paid ends up paid and is applied once.
    #[test]
    fn paid_is_applied_once_in_any_order() {
        let sequences: [&[PaymentStatus]; 4] =
            [&[Pending, Paid, Paid, Pending], &[Paid, Pending, Paid], &[Expired, Paid, Pending], &[Pending, Pending, Paid]];
        for sequence in sequences {
            let mut current = None;
            let mut paid_applied = 0;
            for &incoming in sequence {
                if PaymentStatus::transition(current, incoming) == Transition::Apply {
                    current = Some(incoming);
                    paid_applied += usize::from(incoming == Paid);
                }
            }
            assert_eq!((current, paid_applied), (Some(Paid), 1), "{sequence:?}");
        }
    }

    fn notification(amount: Option<&str>) -> GatewayNotification {
        GatewayNotification {
            gateway: GatewayId::new("paybynet"),
            gateway_transaction_id: "0000004711".into(),
            our_payment_id: PaymentId::new(4711),
            status: Paid,
            raw_status: "2203".into(),
            amount: amount.map(|a| a.parse().unwrap()),
            confirmed_at: None,
        }
    }

    #[test]
    fn idempotency_key_names_gateway_transaction_and_raw_status() {
        assert_eq!(notification(None).idempotency_key(), "paybynet:0000004711:2203");
    }

    #[test]
    fn amount_check() {
        let expected: Amount = "123.45".parse().unwrap();
        assert_eq!(notification(Some("123.45")).check_amount(expected), Ok(()));
        assert_eq!(notification(None).check_amount(expected), Ok(()));
        assert_eq!(
            notification(Some("123.44")).check_amount(expected),
            Err(NotificationError::AmountMismatch { expected, received: "123.44".parse().unwrap() })
        );
    }

    #[test]
    fn auto_submit_page_posts_escaped_fields() {
        let step = BrowserStep::AutoSubmitForm {
            action: "https://gw.example/trans.do?a=1&b=2".into(),
            fields: vec![("hashtrans".into(), "PGlk\"x".into())],
        };
        let html = step.auto_submit_page();
        assert!(html.contains("action=\"https://gw.example/trans.do?a=1&amp;b=2\""));
        assert!(html.contains("<input type=\"hidden\" name=\"hashtrans\" value=\"PGlk&quot;x\">"));
        assert!(html.contains("<button type=\"submit\">Przejdź do płatności</button>"));
        assert!(html.contains("<h1>"));
    }

    #[test]
    fn raw_notification_headers_are_case_insensitive() {
        let raw = RawNotification::new([("Content-Type".to_owned(), "application/x-www-form-urlencoded".to_owned())], b"a=b".to_vec());
        assert_eq!(raw.header("content-type"), Some("application/x-www-form-urlencoded"));
        assert_eq!(raw.header("signature"), None);
    }
}
