//! What a resident (or a municipal application with the right scope) sees of a taxpayer.

use actix_web::{HttpResponse, get, post, web};
use api_types as api;
use domain::Amount;
use domain::ledger::AllocationLine;
use domain::rates::RateKind;
use domain::zbp_qr::{QrAmount, ZbpQr};
use serde::Deserialize;
use store::Uuid;

use crate::app::AppState;
use crate::auth::Principal;
use crate::error::ApiError;
use crate::routes::{PageParams, authorize_taxpayer, date_param};
use crate::views;

/// The signed-in user.
#[utoipa::path(get, path = "/api/v1/me", tag = "residents", security(("bearer" = [])),
    responses((status = 200, body = api::Me), (status = 401, body = api::Problem)))]
#[get("/me")]
pub async fn me(state: web::Data<AppState>, principal: Principal) -> Result<web::Json<api::Me>, ApiError> {
    let id = principal.user_id().ok_or(ApiError::Forbidden)?;
    let user = state.store.user(id).await?.ok_or(ApiError::Unauthorized)?;
    Ok(web::Json(api::Me { id, display_name: user.display_name, roles: user.roles.split(',').filter_map(api::Role::parse).collect() }))
}

/// Taxpayers the user may act for today (owner, co-owner, proxy, representative).
#[utoipa::path(get, path = "/api/v1/taxpayers", tag = "residents", security(("bearer" = [])),
    responses((status = 200, body = api::TaxpayerList), (status = 401, body = api::Problem)))]
#[get("/taxpayers")]
pub async fn taxpayers(state: web::Data<AppState>, principal: Principal) -> Result<web::Json<api::TaxpayerList>, ApiError> {
    let id = principal.user_id().ok_or(ApiError::Forbidden)?;
    let links = state.store.links_of(id, state.today()).await?;
    let items = links
        .into_iter()
        .map(|(link, t)| api::TaxpayerSummary {
            id: t.id,
            kind: t.kind.clone(),
            identifier: views::masked_identifier(t.pesel.as_deref(), t.nip.as_deref()),
            address: format!("{}, {} {}", t.street, t.postal_code, t.city),
            name: t.name,
            link: api::LinkKind::parse(&link.kind).unwrap_or(api::LinkKind::Proxy),
        })
        .collect();
    Ok(web::Json(api::TaxpayerList { items }))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ObligationsQuery {
    /// The day to value on, YYYY-MM-DD (default: today, Warsaw).
    #[param(value_type = Option<String>, format = Date)]
    pub as_of: Option<String>,
    pub year: Option<i32>,
    /// `paid`, `open` or `overdue`.
    pub status: Option<String>,
    pub page: Option<u32>,
    pub per_page: Option<u32>,
}

/// A taxpayer's obligations valued on a day, with totals.
#[utoipa::path(get, path = "/api/v1/taxpayers/{id}/obligations", tag = "residents", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Taxpayer id"), ObligationsQuery),
    responses((status = 200, body = api::ObligationsPage), (status = 400, body = api::Problem), (status = 404, body = api::Problem)))]
#[get("/taxpayers/{id}/obligations")]
pub async fn obligations(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<Uuid>,
    query: web::Query<ObligationsQuery>,
) -> Result<web::Json<api::ObligationsPage>, ApiError> {
    let taxpayer_id = path.into_inner();
    let (page, per_page) = PageParams { page: query.page, per_page: query.per_page }.resolve()?;
    let status = match query.status.as_deref() {
        None => None,
        Some("paid") => Some(api::ObligationStatus::Paid),
        Some("open") => Some(api::ObligationStatus::Open),
        Some("overdue") => Some(api::ObligationStatus::Overdue),
        Some(_) => return Err(ApiError::field("status", "invalid", "status must be paid, open or overdue")),
    };
    let as_of = date_param("as_of", query.as_of.as_deref())?;
    authorize_taxpayer(&state, &principal, taxpayer_id, "obligations:read", "obligations.list").await?;
    let as_of = as_of.unwrap_or_else(|| state.today());
    let books = state.store.books(taxpayer_id).await?;
    let ledger = books.ledger()?;
    let ledger_state = state.with_rules(|rules| ledger.state_on(rules, as_of)).map_err(|e| ApiError::Internal(e.to_string()))?;
    let mut items = Vec::new();
    for o in &books.obligations {
        let summary = views::obligation_summary(o, &books, &ledger_state)?;
        if query.year.is_none_or(|y| y == o.year) && status.is_none_or(|s| s == summary.status) {
            items.push(summary);
        }
    }
    // Newest year first, then by kind.
    items.sort_by(|a, b| b.year.cmp(&a.year).then_with(|| a.kind.cmp(&b.kind)));
    let total_items = items.len() as u64;
    let start = usize::try_from((page - 1) * per_page).unwrap_or(usize::MAX);
    let items: Vec<_> = items.into_iter().skip(start).take(per_page as usize).collect();
    let costs = views::reminder_costs_owed(&books, &ledger_state, None)?;
    Ok(web::Json(api::ObligationsPage {
        taxpayer_id,
        as_of,
        totals: views::totals(&ledger_state.installments, costs),
        items,
        page,
        per_page,
        total_items,
        threshold_mode: state.cached().municipality.threshold_mode.to_string(),
        warnings: ledger_state.warnings.iter().map(ToString::to_string).collect(),
    }))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct AsOfQuery {
    /// The day to value on, YYYY-MM-DD (default: today, Warsaw).
    #[param(value_type = Option<String>, format = Date)]
    pub as_of: Option<String>,
}

/// One obligation: basis items, installments with their state and interest explained, payments
/// that reached it, documents.
#[utoipa::path(get, path = "/api/v1/obligations/{id}", tag = "residents", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Obligation id"), AsOfQuery),
    responses((status = 200, body = api::ObligationDetail), (status = 404, body = api::Problem)))]
#[get("/obligations/{id}")]
pub async fn obligation(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<Uuid>,
    query: web::Query<AsOfQuery>,
) -> Result<web::Json<api::ObligationDetail>, ApiError> {
    let id = path.into_inner();
    let as_of = date_param("as_of", query.as_of.as_deref())?;
    let Some(o) = state.store.obligation(id).await? else {
        crate::routes::audit(&state, &principal, "obligation.read", Some(("obligation", id.to_string())), None, "denied", None).await?;
        return Err(ApiError::NotFound);
    };
    authorize_taxpayer(&state, &principal, o.taxpayer_id, "obligations:read", "obligation.read").await?;
    let as_of = as_of.unwrap_or_else(|| state.today());
    let books = state.store.books(o.taxpayer_id).await?;
    let ledger = books.ledger()?;
    let rate: RateKind = o.rate_kind.parse().map_err(ApiError::Internal)?;
    let (ledger_state, installments) = state.with_rules(|rules| {
        let ledger_state = ledger.state_on(rules, as_of).map_err(|e| ApiError::Internal(e.to_string()))?;
        let installments = books
            .installments
            .iter()
            .filter(|i| i.obligation_id == id)
            .map(|i| {
                let s = ledger_state
                    .installments
                    .iter()
                    .find(|s| s.id == i.id.to_string())
                    .ok_or(ApiError::Internal("installment state".into()))?;
                views::installment_view(rules, &ledger_state, s, i.number, rate)
            })
            .collect::<Result<Vec<_>, ApiError>>()?;
        Ok::<_, ApiError>((ledger_state, installments))
    })?;
    let installment_ids: Vec<Uuid> = installments.iter().map(|i| i.id).collect();
    let mut reached = state
        .store
        .payments_of(o.taxpayer_id)
        .await?
        .into_iter()
        .filter(|(_, lines)| lines.iter().any(|l| l.installment_id.is_some_and(|i| installment_ids.contains(&i))))
        .map(|(p, lines)| views::payment_view(&p, &lines, &|i| installment_ids.contains(&i).then_some(id)))
        .collect::<Result<Vec<_>, _>>()?;
    views::mark_provisional(&state.store, &mut reached).await?;
    let basis_items = state.store.basis_items(id).await?.iter().map(views::basis_view).collect::<Result<Vec<_>, _>>()?;
    let documents = state.store.documents(id).await?.iter().map(views::document_view).collect();
    Ok(web::Json(api::ObligationDetail {
        obligation: views::obligation_summary(&o, &books, &ledger_state)?,
        as_of,
        basis_items,
        installments,
        payments: reached,
        documents,
        threshold_mode: state.cached().municipality.threshold_mode.to_string(),
        warnings: ledger_state.warnings.iter().map(ToString::to_string).collect(),
    }))
}

/// A document of an obligation (the decision PDF).
#[utoipa::path(get, path = "/api/v1/obligations/{id}/documents/{doc}", tag = "residents", security(("bearer" = [])),
    params(("id" = Uuid, Path), ("doc" = Uuid, Path)),
    responses((status = 200, content_type = "application/pdf", body = Vec<u8>), (status = 404, body = api::Problem)))]
#[get("/obligations/{id}/documents/{doc}")]
pub async fn document(state: web::Data<AppState>, principal: Principal, path: web::Path<(Uuid, Uuid)>) -> Result<HttpResponse, ApiError> {
    let (id, doc) = path.into_inner();
    let Some(o) = state.store.obligation(id).await? else {
        crate::routes::audit(&state, &principal, "document.read", Some(("document", doc.to_string())), None, "denied", None).await?;
        return Err(ApiError::NotFound);
    };
    authorize_taxpayer(&state, &principal, o.taxpayer_id, "obligations:read", "document.read").await?;
    let document = state.store.document(doc).await?.filter(|d| d.obligation_id == id).ok_or(ApiError::NotFound)?;
    let bytes = match (document.content, document.reference.as_deref()) {
        (Some(bytes), _) => bytes,
        // Rendered from the obligation's data on first download, then kept with its hash.
        (None, Some(demo::GENERATED_DOCUMENT)) => {
            let bytes = crate::pdf::decision(&state.store, &state.cached().municipality, &o).await?;
            state.store.save_document_content(document.id, bytes.clone(), documents::sha256_hex(&bytes)).await?;
            bytes
        }
        (None, _) => return Err(ApiError::NotFound),
    };
    Ok(HttpResponse::Ok()
        .content_type(document.media_type)
        .insert_header(("Content-Disposition", format!("inline; filename=\"{}\"", document.file_name.replace('"', ""))))
        .insert_header(("Cache-Control", "private, no-store"))
        .body(bytes))
}

/// How much to pay on a day to clear the arrears (or everything), or what a given amount paid on
/// that day would do: art. 62 order, art. 55 § 2 split. The server computes; the client only asks.
#[utoipa::path(post, path = "/api/v1/taxpayers/{id}/payment-quote", tag = "residents", security(("bearer" = [])),
    params(("id" = Uuid, Path)), request_body = api::PaymentQuoteRequest,
    responses((status = 200, body = api::PaymentQuote), (status = 400, body = api::Problem), (status = 404, body = api::Problem)))]
#[post("/taxpayers/{id}/payment-quote")]
pub async fn payment_quote(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<Uuid>,
    body: web::Json<api::PaymentQuoteRequest>,
) -> Result<web::Json<api::PaymentQuote>, ApiError> {
    let taxpayer_id = path.into_inner();
    let body = body.into_inner();
    authorize_taxpayer(&state, &principal, taxpayer_id, "obligations:read", "payment_quote").await?;
    let books = state.store.books(taxpayer_id).await?;
    if let Some(o) = body.obligation_id
        && !books.obligations.iter().any(|b| b.id == o)
    {
        return Err(ApiError::field("obligation_id", "unknown", "no such obligation of this taxpayer"));
    }
    if body.amount.is_some_and(Amount::is_zero) {
        return Err(ApiError::field("amount", "out_of_range", "amount must be greater than zero"));
    }
    let day = body.day.unwrap_or_else(|| state.today());
    let ledger = books.ledger()?;
    let quote = state
        .with_rules(|rules| ledger.quote(rules, day, body.amount.map(|a| (a, body.obligation_id.map(|o| o.to_string())))))
        .map_err(|e| ApiError::BadRequest { code: "quote_not_computable", detail: e.to_string() })?;
    let installment_obligation = |id: &str| books.installments.iter().find(|i| i.id.to_string() == id).map(|i| (i.id, i.obligation_id));
    let lines = quote
        .payment
        .as_ref()
        .map(|p| {
            p.lines
                .iter()
                .map(|l| match l {
                    AllocationLine::ReminderCost { amount, .. } => api::QuotedLine {
                        to: "reminder_cost".into(),
                        installment_id: None,
                        obligation_id: None,
                        principal: Amount::ZERO,
                        interest: Amount::ZERO,
                        reminder_costs: *amount,
                    },
                    AllocationLine::Installment { id, principal, interest } => {
                        let ids = installment_obligation(id);
                        api::QuotedLine {
                            to: "installment".into(),
                            installment_id: ids.map(|(i, _)| i),
                            obligation_id: ids.map(|(_, o)| o),
                            principal: *principal,
                            interest: *interest,
                            reminder_costs: Amount::ZERO,
                        }
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    Ok(web::Json(api::PaymentQuote {
        day,
        to_pay_overdue: quote.state.totals.to_pay_overdue,
        to_pay_all: quote.state.totals.to_pay_all,
        interest_today: quote.state.totals.interest_owed,
        lines,
        overpayment: quote.payment.as_ref().map(|p| p.overpayment),
        remaining_overdue: quote.after_payment.as_ref().map(|a| a.totals.to_pay_overdue),
        remaining_all: quote.after_payment.as_ref().map(|a| a.totals.to_pay_all),
        warnings: quote.state.warnings.iter().map(ToString::to_string).collect(),
    }))
}

/// The taxpayer's payments, newest first, with where each went.
#[utoipa::path(get, path = "/api/v1/taxpayers/{id}/payments", tag = "residents", security(("bearer" = [])),
    params(("id" = Uuid, Path)), responses((status = 200, body = api::PaymentList), (status = 404, body = api::Problem)))]
#[get("/taxpayers/{id}/payments")]
pub async fn payment_list(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<Uuid>,
) -> Result<web::Json<api::PaymentList>, ApiError> {
    let taxpayer_id = path.into_inner();
    authorize_taxpayer(&state, &principal, taxpayer_id, "payments:read", "payments.list").await?;
    let books = state.store.books(taxpayer_id).await?;
    let obligation_of = |i: Uuid| books.installments.iter().find(|x| x.id == i).map(|x| x.obligation_id);
    let mut items = state
        .store
        .payments_of(taxpayer_id)
        .await?
        .iter()
        .map(|(p, lines)| views::payment_view(p, lines, &obligation_of))
        .collect::<Result<Vec<_>, _>>()?;
    views::mark_provisional(&state.store, &mut items).await?;
    Ok(web::Json(api::PaymentList { items }))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct TransferQuery {
    /// An obligation: adds its title, the amount for today and the ZBP QR payload.
    pub obligation: Option<Uuid>,
}

/// Where to send a transfer: the taxpayer's own virtual account, and for an obligation the title,
/// today's amount and the ZBP 2D code payload.
#[utoipa::path(get, path = "/api/v1/taxpayers/{id}/transfer-details", tag = "residents", security(("bearer" = [])),
    params(("id" = Uuid, Path), TransferQuery), responses((status = 200, body = api::TransferDetails), (status = 404, body = api::Problem)))]
#[get("/taxpayers/{id}/transfer-details")]
pub async fn transfer_details(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<Uuid>,
    query: web::Query<TransferQuery>,
) -> Result<web::Json<api::TransferDetails>, ApiError> {
    Ok(web::Json(transfer_view(&state, &principal, path.into_inner(), query.obligation).await?))
}

async fn transfer_view(
    state: &AppState,
    principal: &Principal,
    taxpayer_id: Uuid,
    for_obligation: Option<Uuid>,
) -> Result<api::TransferDetails, ApiError> {
    authorize_taxpayer(state, principal, taxpayer_id, "obligations:read", "transfer_details").await?;
    let account = state.store.virtual_account_of(taxpayer_id).await?.ok_or(ApiError::NotFound)?;
    let nrb: domain::nrb::Nrb = account.nrb.parse().map_err(|_| ApiError::Internal("stored virtual account".into()))?;
    let municipality = state.cached().municipality.clone();
    let (mut title, mut amount, mut qr_payload) = (None, None, None);
    if let Some(obligation_id) = for_obligation {
        let books = state.store.books(taxpayer_id).await?;
        let o = books.obligations.iter().find(|o| o.id == obligation_id).ok_or(ApiError::NotFound)?;
        let ledger = books.ledger()?;
        let ledger_state =
            state.with_rules(|rules| ledger.state_on(rules, state.today())).map_err(|e| ApiError::Internal(e.to_string()))?;
        let summary = views::obligation_summary(o, &books, &ledger_state)?;
        // What is overdue now, or else the next installment.
        let to_pay = if summary.totals.to_pay_today.is_zero() {
            summary.totals.next_due_amount.unwrap_or(Amount::ZERO)
        } else {
            summary.totals.to_pay_today
        };
        let text = transfer_title(o);
        let nip = municipality.nip.parse().ok();
        let qr = ZbpQr::new(nip, nrb.clone(), QrAmount::fixed_or_open(to_pay), &short(&municipality.name, 20), &short(&text, 32))
            .map_err(|e| ApiError::Internal(format!("QR payload: {e}")))?;
        qr_payload = Some(qr.payload());
        title = Some(text);
        amount = Some(to_pay);
    }
    Ok(api::TransferDetails {
        recipient_name: municipality.name.clone(),
        recipient_address: municipality.address.clone(),
        recipient_nip: municipality.nip.clone(),
        account: nrb.formatted(),
        iban: nrb.iban(),
        title,
        amount,
        qr_payload,
    })
}

/// "Podatek od nieruchomości 2026 DEC/123": what a clerk would write on a transfer.
fn transfer_title(o: &store::entities::obligation::Model) -> String {
    let kind = match o.kind.as_str() {
        "property_tax" => "Podatek od nieruchomości",
        "agricultural_tax" => "Podatek rolny",
        "forest_tax" => "Podatek leśny",
        "combined_obligation" => "Łączne zobowiązanie",
        "waste_fee" => "Opłata za odpady",
        "dog_fee" => "Opłata od psów",
        other => other,
    };
    format!("{kind} {}", o.year)
}

fn short(text: &str, max: usize) -> String {
    text.chars().take(max).collect::<String>().trim_end().to_string()
}

/// The ZBP 2D code of the transfer details as an image a banking app can scan (SVG, or PNG with
/// `format=png`), error correction level L (payments.md §3).
#[utoipa::path(get, path = "/api/v1/taxpayers/{id}/transfer-details/qr", tag = "residents", security(("bearer" = [])),
    params(("id" = Uuid, Path), ("obligation" = Uuid, Query), ("format" = Option<String>, Query, description = "svg (default) or png")),
    responses((status = 200, content_type = "image/svg+xml", body = String), (status = 404, body = api::Problem)))]
#[get("/taxpayers/{id}/transfer-details/qr")]
pub async fn transfer_qr(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<Uuid>,
    query: web::Query<QrQuery>,
) -> Result<HttpResponse, ApiError> {
    let details = transfer_view(&state, &principal, path.into_inner(), Some(query.obligation)).await?;
    let payload = details.qr_payload.ok_or(ApiError::NotFound)?;
    match query.format.as_deref() {
        None | Some("svg") => {
            let svg = payments::transfer::render_svg(&payload).map_err(|e| ApiError::Internal(format!("QR: {e}")))?;
            Ok(HttpResponse::Ok().content_type("image/svg+xml").insert_header(("Cache-Control", "private, no-store")).body(svg))
        }
        Some("png") => {
            let png = payments::transfer::render_png(&payload, 300).map_err(|e| ApiError::Internal(format!("QR: {e}")))?;
            Ok(HttpResponse::Ok().content_type("image/png").insert_header(("Cache-Control", "private, no-store")).body(png))
        }
        Some(_) => Err(ApiError::field("format", "invalid", "format must be svg or png")),
    }
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct QrQuery {
    pub obligation: Uuid,
    pub format: Option<String>,
}
