//! The online payment flow (walkthrough 3): create a pending payment with an idempotency key, hand
//! the browser to the gateway, and book the money exactly once when the gateway confirms it —
//! whether the confirmation comes as a notification (perhaps twice, perhaps out of order) or from
//! status polling. The amount and its split are always computed here, never taken from the client.

use std::sync::Arc;
use std::time::Duration as StdDuration;

use actix_web::web;
use api_types as api;
use aws_lc_rs::rand::{SecureRandom, SystemRandom};
use domain::Amount;
use domain::calendar::warsaw_date;
use domain::ledger::{AllocationLine, InstallmentStatus};
use payments::paybynet::{PayByNet, PayByNetConfig, PayByNetEndpoints, Recipient};
use payments::simulator::{Simulator, SimulatorConfig};
use payments::{
    GatewayNotification, PaymentGateway, PaymentId, PaymentRequest, PaymentStatus, ReturnUrls, Secret, StatusQuery, Transition,
};
use store::entities::{allocation, payment};
use store::{Booking, StoreError, TaxpayerBooks, Uuid, money};
use time::{Duration, OffsetDateTime};

use crate::app::AppState;
use crate::config::{Mode, Settings};
use crate::error::ApiError;

pub const SIMULATOR_PATH: &str = "/simulator/paybynet";
pub const NOTIFY_PATH: &str = "/api/v1/gateways/paybynet/notify";
pub const GATEWAY: &str = "paybynet";

/// The gateway for these settings: the real PayByNet from the environment, or in the demo the
/// local simulator with a fresh password (never both; production never gets the simulator).
#[allow(clippy::type_complexity, reason = "a pair of optional parts built together")]
pub fn gateway(
    settings: &Settings,
    municipality: &store::Municipality,
) -> Result<(Option<Arc<dyn PaymentGateway>>, Option<Simulator>), String> {
    let (street, city_line) = municipality.address.split_once(',').unwrap_or((municipality.address.as_str(), ""));
    let (postal_code, city) = city_line.trim().split_once(' ').unwrap_or(("00-000", city_line.trim()));
    let recipient =
        Recipient::new(&municipality.name, postal_code, city, street.trim(), "Polska").map_err(|e| format!("PayByNet recipient: {e}"))?;
    let merchant_id: String = municipality.nip.chars().filter(char::is_ascii_digit).collect();
    match (&settings.paybynet, settings.mode) {
        (Some(real), _) => {
            let endpoints = if real.production { PayByNetEndpoints::production() } else { PayByNetEndpoints::test() };
            let config =
                PayByNetConfig::new(&real.merchant_id, real.password.clone(), endpoints, municipality.bank_account.clone(), recipient)
                    .map_err(|e| format!("PayByNet configuration: {e}"))?;
            Ok((Some(Arc::new(PayByNet::new(config).map_err(|e| e.to_string())?)), None))
        }
        (None, Mode::Demo) => {
            let password = Secret::new(random_hex(12).map_err(|e| e.to_string())?);
            let base = settings.public_url.trim_end_matches('/');
            let simulator = Simulator::new(
                SimulatorConfig::new(&merchant_id, password.clone(), &format!("{base}{NOTIFY_PATH}"))
                    .with_misbehaviour(settings.simulator.clone()),
            )
            .map_err(|e| format!("simulator: {e}"))?;
            let config = PayByNetConfig::new(
                &merchant_id,
                password,
                PayByNetEndpoints::under(&format!("{base}{SIMULATOR_PATH}")),
                municipality.bank_account.clone(),
                recipient,
            )
            .map_err(|e| format!("PayByNet configuration: {e}"))?;
            Ok((Some(Arc::new(PayByNet::new(config).map_err(|e| e.to_string())?)), Some(simulator)))
        }
        (None, Mode::Production) => Ok((None, None)),
    }
}

fn random_hex(bytes: usize) -> Result<String, ApiError> {
    let mut buffer = vec![0u8; bytes];
    SystemRandom::new().fill(&mut buffer).map_err(|_| ApiError::Internal("no randomness".into()))?;
    Ok(hex::encode(buffer))
}

/// A gateway transaction number: 10 digits, random, so it reveals nothing and never repeats in practice
/// (the column is unique; a clash fails the insert and the client retries).
fn transaction_number() -> Result<u64, ApiError> {
    let mut bytes = [0u8; 8];
    SystemRandom::new().fill(&mut bytes).map_err(|_| ApiError::Internal("no randomness".into()))?;
    Ok(1 + u64::from_le_bytes(bytes) % 9_999_999_999)
}

/// What the resident asked to pay, valued today: principal outstanding + interest owed of the chosen
/// installments, or everything overdue (with reminder costs), or else the next installments due.
pub fn amount_to_pay(state: &AppState, books: &TaxpayerBooks, request: &api::StartPayment) -> Result<(Amount, Option<Uuid>), ApiError> {
    let ledger = books.ledger()?;
    let ledger_state = state.with_rules(|rules| ledger.state_on(rules, state.today())).map_err(|e| ApiError::Internal(e.to_string()))?;
    if request.everything_due != request.installment_ids.is_empty() {
        return Err(ApiError::field("installment_ids", "choose_one", "choose installments or everything_due, not both or neither"));
    }
    if request.everything_due {
        if !ledger_state.totals.to_pay_overdue.is_zero() {
            return Ok((ledger_state.totals.to_pay_overdue, None));
        }
        let next = ledger_state.totals.next_due_date;
        let amount = ledger_state
            .installments
            .iter()
            .filter(|i| i.status == InstallmentStatus::Open && Some(i.effective_due_date) == next)
            .map(|i| i.principal_outstanding)
            .sum();
        return Ok((amount, None));
    }
    let mut amount = Amount::ZERO;
    let mut obligations = Vec::new();
    for id in &request.installment_ids {
        let text = id.to_string();
        let installment = ledger_state
            .installments
            .iter()
            .find(|i| i.id == text)
            .ok_or_else(|| ApiError::field("installment_ids", "unknown", "no such installment of this taxpayer"))?;
        if installment.status == InstallmentStatus::Paid {
            return Err(ApiError::field("installment_ids", "already_paid", "this installment is paid"));
        }
        amount = amount + installment.principal_outstanding + installment.interest_owed;
        if !obligations.contains(&installment.obligation) {
            obligations.push(installment.obligation.clone());
        }
    }
    let indicated = if obligations.len() == 1 { obligations[0].parse().ok() } else { None };
    Ok((amount, indicated))
}

/// Creates the pending payment (or returns the one made with the same idempotency key) and the form
/// that takes the browser to the gateway.
pub async fn start(
    state: &AppState,
    taxpayer_id: Uuid,
    payer: &str,
    request: &api::StartPayment,
    idempotency_key: Option<String>,
) -> Result<api::PaymentStarted, ApiError> {
    let gateway = state
        .gateway
        .clone()
        .ok_or(ApiError::BadRequest { code: "payments_unavailable", detail: "Online payments are not configured.".into() })?;
    if let Some(key) = &idempotency_key
        && let Some(existing) = state.store.payment_by_idempotency_key(key).await?
    {
        if existing.taxpayer_id != taxpayer_id {
            return Err(ApiError::Conflict("this idempotency key belongs to another request".into()));
        }
        return started(state, gateway.as_ref(), &existing).await;
    }
    let books = state.store.books(taxpayer_id).await?;
    let (amount, indicated) = amount_to_pay(state, &books, request)?;
    if amount.is_zero() {
        return Err(ApiError::BadRequest { code: "nothing_to_pay", detail: "Nothing is due for what was chosen.".into() });
    }
    let number = transaction_number()?;
    let id_trans = format!("{number:010}");
    let payment = state
        .store
        .insert_payment(payment::Model {
            id: Uuid::new_v4(),
            taxpayer_id,
            source: "online".into(),
            status: "pending".into(),
            payment_date: None,
            booking_date: None,
            amount_grosze: amount.grosze(),
            payer: Some(payer.to_string()),
            reference: Some(format!("e-Należności {id_trans}")),
            idempotency_key,
            indicated_obligation_id: indicated,
            gateway: Some(GATEWAY.into()),
            gateway_transaction_id: Some(id_trans),
            created_at: OffsetDateTime::now_utc(),
            booked_at: None,
        })
        .await
        .map_err(|e| match e {
            StoreError::Db(_) => ApiError::Conflict("the payment could not be created (retry with the same idempotency key)".into()),
            other => other.into(),
        })?;
    started(state, gateway.as_ref(), &payment).await
}

async fn started(state: &AppState, gateway: &dyn PaymentGateway, payment: &payment::Model) -> Result<api::PaymentStarted, ApiError> {
    let view = crate::views::payment_view(payment, &[], &|_| None)?;
    if payment.status != "pending" {
        return Ok(api::PaymentStarted { payment: view, gateway_form: None });
    }
    let number: u64 = payment
        .gateway_transaction_id
        .as_deref()
        .and_then(|t| t.parse().ok())
        .ok_or_else(|| ApiError::Internal("payment without a transaction number".into()))?;
    let base = state.settings.public_url.trim_end_matches('/');
    let now = OffsetDateTime::now_utc();
    let request = PaymentRequest {
        payment_id: PaymentId::new(number),
        amount: money(payment.amount_grosze)?,
        description: payment.reference.clone().unwrap_or_default(),
        payer_email: None,
        recipient_account: None,
        return_urls: ReturnUrls {
            success: format!("{base}/platnosci/{}", payment.id),
            failure: format!("{base}/platnosci/{}", payment.id),
        },
        bank_hint: None,
        requested_at: now,
        valid_until: now + Duration::hours(24),
    };
    let started = gateway.start(&request).await.map_err(|e| ApiError::Internal(format!("gateway: {e}")))?;
    let form = match started.next {
        payments::BrowserStep::AutoSubmitForm { action, fields } => {
            api::GatewayForm { action, fields: fields.into_iter().map(|(name, value)| api::FormField { name, value }).collect() }
        }
        payments::BrowserStep::Redirect { url } => api::GatewayForm { action: url, fields: Vec::new() },
    };
    Ok(api::PaymentStarted { payment: view, gateway_form: Some(form) })
}

/// What happened to a notification, for the audit log and the reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Booked,
    Duplicate,
    StatusChanged,
    Ignored,
}

/// Applies a verified status to the payment: books money on `Paid` exactly once, records rejection
/// or expiry, and ignores stale and duplicate news.
pub async fn apply_status(
    state: &AppState,
    payment: &payment::Model,
    status: PaymentStatus,
    confirmed_at: Option<OffsetDateTime>,
) -> Result<Outcome, ApiError> {
    let current = match payment.status.as_str() {
        "pending" => PaymentStatus::Pending,
        "booked" => PaymentStatus::Paid,
        "rejected" => PaymentStatus::Rejected,
        "expired" => PaymentStatus::Expired,
        _ => PaymentStatus::Cancelled,
    };
    match PaymentStatus::transition(Some(current), status) {
        Transition::Duplicate => return Ok(Outcome::Duplicate),
        Transition::Stale => return Ok(Outcome::Ignored),
        Transition::Conflict => {
            tracing::warn!(payment = %payment.id, incoming = status.as_str(), "gateway status contradicts a booked payment");
            return Ok(Outcome::Ignored);
        }
        Transition::Apply => {}
    }
    match status {
        PaymentStatus::Paid => {
            // tax-rules.md §8.6: the Warsaw day the gateway confirms the payment.
            let day = match (state.settings.mode, state.settings.today) {
                (Mode::Demo, Some(today)) => today,
                _ => warsaw_date(confirmed_at.unwrap_or_else(OffsetDateTime::now_utc)),
            };
            let payment_id = payment.id;
            let cached = state.cached();
            let calendar = state.calendar.clone();
            let result = state
                .store
                .book_payment(payment.id, day, day, move |books| {
                    let rules = domain::interest::InterestRules::new(&cached.rates, &calendar)
                        .with_threshold_mode(cached.municipality.threshold_mode);
                    allocation_rows(books, payment_id, day, &rules)
                })
                .await?;
            Ok(if result == Booking::Booked { Outcome::Booked } else { Outcome::Duplicate })
        }
        PaymentStatus::Rejected | PaymentStatus::Cancelled | PaymentStatus::VerificationRejected | PaymentStatus::Failed => {
            Ok(if state.store.settle_unpaid(payment.id, "rejected").await? { Outcome::StatusChanged } else { Outcome::Duplicate })
        }
        PaymentStatus::Expired => {
            Ok(if state.store.settle_unpaid(payment.id, "expired").await? { Outcome::StatusChanged } else { Outcome::Duplicate })
        }
        PaymentStatus::Pending => Ok(Outcome::Ignored),
    }
}

/// The allocation of one payment as the ledger makes it (art. 62, art. 55 § 2), as rows to store.
pub fn allocation_rows(
    books: &TaxpayerBooks,
    payment_id: Uuid,
    day: time::Date,
    rules: &domain::interest::InterestRules<'_>,
) -> Result<Vec<allocation::Model>, StoreError> {
    let ledger = books.ledger()?;
    let ledger_state = ledger.state_on(rules, day).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    let id = payment_id.to_string();
    let allocation = ledger_state
        .allocations
        .iter()
        .find(|a| a.payment_id.as_deref() == Some(id.as_str()))
        .ok_or_else(|| StoreError::Corrupt("booked payment missing from the ledger".into()))?;
    let mut rows = Vec::new();
    for (position, line) in allocation.lines.iter().enumerate() {
        let (installment_id, reminder_cost_id, principal, interest, cost) = match line {
            AllocationLine::ReminderCost { index, amount } => {
                (None, books.reminder_costs.get(*index).map(|c| c.id), Amount::ZERO, Amount::ZERO, *amount)
            }
            AllocationLine::Installment { id, principal, interest } => (id.parse().ok(), None, *principal, *interest, Amount::ZERO),
        };
        rows.push(allocation::Model {
            id: Uuid::new_v4(),
            payment_id,
            position: i32::try_from(position).unwrap_or(0),
            installment_id,
            reminder_cost_id,
            principal_grosze: principal.grosze(),
            interest_grosze: interest.grosze(),
            reminder_costs_grosze: cost.grosze(),
            overpayment_grosze: 0,
        });
    }
    match rows.last_mut() {
        Some(last) => last.overpayment_grosze = allocation.overpayment.grosze(),
        None => rows.push(allocation::Model {
            id: Uuid::new_v4(),
            payment_id,
            position: 0,
            installment_id: None,
            reminder_cost_id: None,
            principal_grosze: 0,
            interest_grosze: 0,
            reminder_costs_grosze: 0,
            overpayment_grosze: allocation.overpayment.grosze(),
        }),
    }
    Ok(rows)
}

/// A verified notification: find the payment, check the amount, apply the status.
pub async fn on_notification(state: &AppState, notification: &GatewayNotification) -> Result<Outcome, ApiError> {
    let payment = state
        .store
        .payment_by_gateway_id(GATEWAY, &format!("{:010}", notification.our_payment_id.get()))
        .await?
        .ok_or(ApiError::NotFound)?;
    notification
        .check_amount(money(payment.amount_grosze)?)
        .map_err(|e| ApiError::BadRequest { code: "amount_mismatch", detail: e.to_string() })?;
    apply_status(state, &payment, notification.status, notification.confirmed_at).await
}

/// Every minute, asks the gateway about online payments pending for more than five minutes
/// (payments.md §1: a notification can be lost).
pub fn spawn_status_poller(state: web::Data<AppState>) {
    let Some(gateway) = state.gateway.clone() else { return };
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(StdDuration::from_secs(60));
        loop {
            tick.tick().await;
            let Ok(pending) = state.store.pending_online_payments(OffsetDateTime::now_utc() - Duration::minutes(5)).await else { continue };
            for payment in pending {
                let Some(number) = payment.gateway_transaction_id.as_deref().and_then(|t| t.parse().ok()) else { continue };
                let query =
                    StatusQuery { payment_id: PaymentId::new(number), gateway_transaction_id: payment.gateway_transaction_id.clone() };
                match gateway.query_status(&query).await {
                    Ok(report) => {
                        if let Err(e) = apply_status(&state, &payment, report.status, None).await {
                            tracing::warn!(payment = %payment.id, error = %e, "status poll could not apply the status");
                        }
                    }
                    Err(e) => tracing::info!(payment = %payment.id, error = %e, "status poll failed"),
                }
            }
        }
    });
}
