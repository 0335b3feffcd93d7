//! Online payments: start, follow, receipt; and the gateway's notifications.

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use api_types as api;
use payments::{RawNotification, Refusal};
use store::Uuid;

use crate::app::AppState;
use crate::auth::Principal;
use crate::error::ApiError;
use crate::payflow::{self, Outcome};
use crate::routes::{audit, authorize_taxpayer};
use crate::{pdf, views};

/// Starts an online payment for chosen installments or everything due; the server computes the
/// amount for today. Send an `Idempotency-Key` header: repeating the request returns the same payment.
#[utoipa::path(post, path = "/api/v1/taxpayers/{id}/payments", tag = "payments", security(("bearer" = [])),
    params(("id" = Uuid, Path), ("Idempotency-Key" = Option<String>, Header, description = "Same key, same payment")),
    request_body = api::StartPayment,
    responses((status = 201, body = api::PaymentStarted), (status = 400, body = api::Problem), (status = 404, body = api::Problem), (status = 409, body = api::Problem)))]
#[post("/taxpayers/{id}/payments")]
pub async fn start(
    state: web::Data<AppState>,
    principal: Principal,
    req: HttpRequest,
    path: web::Path<Uuid>,
    body: web::Json<api::StartPayment>,
) -> Result<HttpResponse, ApiError> {
    let taxpayer_id = path.into_inner();
    let key =
        req.headers().get("Idempotency-Key").and_then(|v| v.to_str().ok()).map(str::trim).filter(|k| !k.is_empty()).map(str::to_string);
    if key.as_ref().is_some_and(|k| k.len() > 100) {
        return Err(ApiError::field("Idempotency-Key", "too_long", "at most 100 characters"));
    }
    if principal.user_id().is_none() {
        return Err(ApiError::Forbidden);
    }
    authorize_taxpayer(&state, &principal, taxpayer_id, "payments:write", "payment.start").await?;
    let payer = match principal.user_id() {
        Some(id) => state.store.user(id).await?.map(|u| u.display_name).unwrap_or_default(),
        None => String::new(),
    };
    let started = payflow::start(&state, taxpayer_id, &payer, &body, key).await?;
    audit(&state, &principal, "payment.start", Some(("payment", started.payment.id.to_string())), Some(taxpayer_id), "allowed", None)
        .await?;
    Ok(HttpResponse::Created().json(started))
}

async fn authorized_payment(
    state: &AppState,
    principal: &Principal,
    id: Uuid,
    action: &str,
) -> Result<store::entities::payment::Model, ApiError> {
    let Some(payment) = state.store.payment(id).await? else {
        audit(state, principal, action, Some(("payment", id.to_string())), None, "denied", None).await?;
        return Err(ApiError::NotFound);
    };
    authorize_taxpayer(state, principal, payment.taxpayer_id, "payments:read", action).await?;
    Ok(payment)
}

/// A payment's status and, once booked, where it went.
#[utoipa::path(get, path = "/api/v1/payments/{id}", tag = "payments", security(("bearer" = [])), params(("id" = Uuid, Path)),
    responses((status = 200, body = api::PaymentView), (status = 404, body = api::Problem)))]
#[get("/payments/{id}")]
pub async fn status(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<Uuid>,
) -> Result<web::Json<api::PaymentView>, ApiError> {
    let payment = authorized_payment(&state, &principal, path.into_inner(), "payment.read").await?;
    let lines = state.store.allocations_of(payment.id).await?;
    let books = state.store.books(payment.taxpayer_id).await?;
    let obligation_of = |i: Uuid| books.installments.iter().find(|x| x.id == i).map(|x| x.obligation_id);
    let mut view = views::payment_view(&payment, &lines, &obligation_of)?;
    views::mark_provisional(&state.store, std::slice::from_mut(&mut view)).await?;
    Ok(web::Json(view))
}

/// The receipt of a booked payment (JSON); the PDF is at `receipt.pdf`.
#[utoipa::path(get, path = "/api/v1/payments/{id}/receipt", tag = "payments", security(("bearer" = [])), params(("id" = Uuid, Path)),
    responses((status = 200, body = api::Receipt), (status = 404, body = api::Problem)))]
#[get("/payments/{id}/receipt")]
pub async fn receipt(state: web::Data<AppState>, principal: Principal, path: web::Path<Uuid>) -> Result<web::Json<api::Receipt>, ApiError> {
    let payment = authorized_payment(&state, &principal, path.into_inner(), "receipt.read").await?;
    if payment.status != "booked" {
        return Err(ApiError::NotFound);
    }
    let lines = state.store.allocations_of(payment.id).await?;
    let books = state.store.books(payment.taxpayer_id).await?;
    let obligation_of = |i: Uuid| books.installments.iter().find(|x| x.id == i).map(|x| x.obligation_id);
    let view = views::payment_view(&payment, &lines, &obligation_of)?;
    let model = pdf::receipt_model(&state.cached().municipality, &books, &payment, &lines, state.today())?;
    let receipt_lines = lines
        .iter()
        .filter_map(|l| l.installment_id.map(|i| (i, l)))
        .map(|(i, l)| {
            Ok(api::ReceiptLine {
                obligation_id: obligation_of(i),
                description: pdf::describe(&books, i),
                principal: store::money(l.principal_grosze)?,
                interest: store::money(l.interest_grosze)?,
            })
        })
        .collect::<Result<Vec<_>, ApiError>>()?;
    Ok(web::Json(api::Receipt {
        payment: view,
        taxpayer_name: books.taxpayer.name.clone(),
        lines: receipt_lines,
        reminder_costs: model.reminder_costs,
        overpayment: model.overpayment,
        pdf_url: format!("/api/v1/payments/{}/receipt.pdf", payment.id),
    }))
}

/// The receipt as a PDF.
#[utoipa::path(get, path = "/api/v1/payments/{id}/receipt.pdf", tag = "payments", security(("bearer" = [])), params(("id" = Uuid, Path)),
    responses((status = 200, content_type = "application/pdf", body = Vec<u8>), (status = 404, body = api::Problem)))]
#[get("/payments/{id}/receipt.pdf")]
pub async fn receipt_pdf(state: web::Data<AppState>, principal: Principal, path: web::Path<Uuid>) -> Result<HttpResponse, ApiError> {
    let payment = authorized_payment(&state, &principal, path.into_inner(), "receipt.read").await?;
    if payment.status != "booked" {
        return Err(ApiError::NotFound);
    }
    let lines = state.store.allocations_of(payment.id).await?;
    let books = state.store.books(payment.taxpayer_id).await?;
    let model =
        pdf::receipt_model(&state.cached().municipality, &books, &payment, &lines, payment.booking_date.unwrap_or_else(|| state.today()))?;
    let bytes = documents::render_receipt(&model).map_err(|e| ApiError::Internal(format!("receipt PDF: {e}")))?;
    Ok(HttpResponse::Ok()
        .content_type("application/pdf")
        .insert_header(("Content-Disposition", format!("inline; filename=\"potwierdzenie-{}.pdf\"", payment.id)))
        .insert_header(("Cache-Control", "private, no-store"))
        .body(bytes))
}

/// PayByNet's status notification (payments.md §1.4): verified (hash, constant time), applied
/// idempotently; a refused one changes nothing and is audited.
#[utoipa::path(post, path = "/api/v1/gateways/paybynet/notify", tag = "payments",
    request_body(content = String, content_type = "application/x-www-form-urlencoded"),
    responses((status = 200, content_type = "text/plain", body = String), (status = 400, content_type = "text/plain", body = String)))]
#[post("/gateways/paybynet/notify")]
pub async fn notify(state: web::Data<AppState>, req: HttpRequest, body: web::Bytes) -> HttpResponse {
    let Some(gateway) = state.gateway.clone() else { return HttpResponse::NotFound().finish() };
    let raw = RawNotification::from_request(&req, &body);
    let reply = match gateway.verify_notification(&raw) {
        Err(error) => {
            let _ = record(&state, "payment.notification_refused", None, "denied", serde_json::json!({ "code": error.code() })).await;
            gateway.refuse(Refusal::Invalid(&error))
        }
        Ok(notification) => match payflow::on_notification(&state, &notification).await {
            Ok(outcome) => {
                let action = match outcome {
                    Outcome::Booked => "payment.booked",
                    Outcome::StatusChanged => "payment.status_changed",
                    Outcome::Duplicate => "payment.notification_duplicate",
                    Outcome::Ignored => "payment.notification_ignored",
                };
                let payment =
                    state.store.payment_by_gateway_id(payflow::GATEWAY, &notification.gateway_transaction_id).await.ok().flatten();
                let _ = record(&state, action, payment.as_ref(), "allowed", serde_json::json!({ "status": notification.raw_status })).await;
                match gateway.acknowledge(&notification).await {
                    Ok(reply) => reply,
                    Err(_) => gateway.refuse(Refusal::TemporaryFailure),
                }
            }
            Err(ApiError::BadRequest { code, .. }) => {
                let _ = record(&state, "payment.notification_refused", None, "denied", serde_json::json!({ "code": code })).await;
                gateway.refuse(Refusal::Invalid(&payments::NotificationError::MalformedBody(code.into())))
            }
            Err(ApiError::NotFound) => {
                let _ =
                    record(&state, "payment.notification_refused", None, "denied", serde_json::json!({ "code": "unknown_payment" })).await;
                gateway.refuse(Refusal::Invalid(&payments::NotificationError::MalformedField {
                    field: "paymentId",
                    reason: "unknown payment".into(),
                }))
            }
            Err(e) => {
                tracing::error!(error = %e, "notification could not be recorded");
                gateway.refuse(Refusal::TemporaryFailure)
            }
        },
    };
    HttpResponse::build(actix_web::http::StatusCode::from_u16(reply.http_status).unwrap_or(actix_web::http::StatusCode::OK))
        .content_type(reply.content_type)
        .body(reply.body)
}

async fn record(
    state: &AppState,
    action: &str,
    payment: Option<&store::entities::payment::Model>,
    outcome: &'static str,
    details: serde_json::Value,
) -> Result<(), ApiError> {
    state
        .store
        .audit(store::AuditEntry {
            actor_kind: "system",
            actor_id: Some(payflow::GATEWAY.into()),
            action: action.into(),
            subject_kind: Some("payment"),
            subject_id: payment.map(|p| p.id.to_string()),
            taxpayer_id: payment.map(|p| p.taxpayer_id),
            outcome,
            details: Some(details),
        })
        .await?;
    Ok(())
}
