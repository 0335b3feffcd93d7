//! Bank statements (issue 6), for clerks: upload a statement file (booked by
//! [`crate::reconcile`]), the list of imports, the queue of unmatched credits with suggestions, and
//! a clerk's assignment of a queued credit to a taxpayer. Every handler checks the role server-side
//! and audits what it did.

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use api_types as api;
use domain::interest::InterestRules;
use futures_util::StreamExt;
use serde::Deserialize;
use serde_json::json;
use store::Uuid;
use store::statements::{statement_import, statement_line};

use crate::app::AppState;
use crate::auth::Principal;
use crate::error::ApiError;
use crate::reconcile::{self, ImportError, ImportRequest};
use crate::routes::audit as record;
use crate::routes::{PageParams, details, require_role};

/// The largest statement file the API takes: a year of a large municipality's daily statements.
pub const MAX_STATEMENT_BYTES: usize = 50 * 1024 * 1024;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ImportQuery {
    /// `auto` (default: XML is camt.053, anything else MT940), `mt940` or `camt053`.
    pub format: Option<String>,
    /// `utf-8`, `cp852`, `iso-8859-2` or `windows-1250`; detected when absent (naming it is safer).
    pub encoding: Option<String>,
    /// Match and allocate, report, book nothing.
    #[serde(default)]
    pub dry_run: bool,
    /// Book even statements whose balances do not add up (the clerk's confirmation).
    #[serde(default)]
    pub accept_unbalanced: bool,
    /// The file's name, for the list of imports.
    pub file_name: Option<String>,
}

pub fn parse_format(value: Option<&str>) -> Result<statements::Format, String> {
    match value.unwrap_or("auto") {
        "auto" => Ok(statements::Format::Auto),
        "mt940" => Ok(statements::Format::Mt940),
        "camt053" | "camt.053" => Ok(statements::Format::Camt053),
        other => Err(format!("unknown format {other:?} (auto, mt940, camt053)")),
    }
}

pub fn parse_encoding(value: Option<&str>) -> Result<Option<statements::Encoding>, String> {
    value
        .filter(|v| !v.is_empty() && *v != "auto")
        .map(|v| v.parse().map_err(|_| format!("unknown encoding {v:?} (utf-8, cp852, iso-8859-2, windows-1250)")))
        .transpose()
}

async fn read_body(req: &HttpRequest, mut payload: web::Payload) -> Result<Vec<u8>, ApiError> {
    let too_large = || ApiError::BadRequest {
        code: "payload_too_large",
        detail: format!("A statement file may have at most {} MB.", MAX_STATEMENT_BYTES / (1024 * 1024)),
    };
    let declared =
        req.headers().get(actix_web::http::header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|len| len > MAX_STATEMENT_BYTES) {
        return Err(too_large());
    }
    let mut body = Vec::with_capacity(declared.unwrap_or(0));
    while let Some(chunk) = payload.next().await {
        let chunk =
            chunk.map_err(|_| ApiError::BadRequest { code: "malformed_body", detail: "The request body could not be read.".into() })?;
        if body.len() + chunk.len() > MAX_STATEMENT_BYTES {
            return Err(too_large());
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// Imports a statement file (MT940 in the Polish banks' dialects, or camt.053): every credit is
/// matched — a portal online payment's settlement, a taxpayer's virtual account, or the clerk's
/// queue — and booked in one transaction; a line imported before is skipped. The body is the file
/// as the bank sent it (at most 50 MB). A statement that does not balance is not booked without
/// `accept_unbalanced=true`: the answer is then 409 with the summary (status `unbalanced`).
#[utoipa::path(post, path = "/api/v1/admin/statements", tag = "administration", security(("bearer" = [])), params(ImportQuery),
    request_body(content = Vec<u8>, content_type = "application/octet-stream", description = "The statement file"),
    responses(
        (status = 200, body = api::StatementImportSummary, description = "Imported (or, with dry_run, what an import would do)"),
        (status = 400, body = api::Problem, description = "Not a readable statement file (the detail names the line and field)"),
        (status = 403, body = api::Problem),
        (status = 409, body = api::StatementImportSummary, description = "A statement does not balance: nothing booked; resend with accept_unbalanced=true"),
    ))]
#[post("/admin/statements")]
pub async fn import_statement(
    state: web::Data<AppState>,
    principal: Principal,
    req: HttpRequest,
    query: web::Query<ImportQuery>,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    const ACTION: &str = "statements.import";
    require_role(&state, &principal, "clerk", ACTION).await?;
    let format = parse_format(query.format.as_deref()).map_err(|e| ApiError::field("format", "invalid", e))?;
    let encoding = parse_encoding(query.encoding.as_deref()).map_err(|e| ApiError::field("encoding", "invalid", e))?;
    let bytes = read_body(&req, payload).await?;
    let (kind, actor) = principal.actor();
    let file_name = query.file_name.clone().filter(|n| !n.trim().is_empty()).unwrap_or_else(|| "statement".into());
    let request = ImportRequest {
        bytes,
        file_name: file_name.clone(),
        format,
        encoding,
        dry_run: query.dry_run,
        accept_unbalanced: query.accept_unbalanced,
        imported_by: format!("{kind}:{actor}"),
        outcomes: false,
    };
    let cached = state.cached();
    let rules = InterestRules::new(&cached.rates, &state.calendar).with_threshold_mode(cached.municipality.threshold_mode);
    let result = reconcile::import(&state.store, &rules, &cached.municipality.virtual_accounts, request, &|_, _, _| {}).await;
    let result = match result {
        Ok(result) => result,
        Err(ImportError::Parse(e)) => {
            record(&state, &principal, ACTION, None, None, "failed", details(json!({ "file_name": file_name, "error": e.to_string() })))
                .await?;
            return Err(ApiError::BadRequest { code: "invalid_statement", detail: e.to_string() });
        }
        Err(ImportError::Store(store::StoreError::Conflict(detail))) => return Err(ApiError::Conflict(detail)),
        Err(ImportError::Store(e)) => return Err(e.into()),
    };
    let s = &result.summary;
    record(
        &state,
        &principal,
        ACTION,
        s.import_id.map(|id| ("statement_import", id.to_string())),
        None,
        "allowed",
        details(json!({
            "file_name": s.file_name, "status": s.status, "dry_run": query.dry_run, "accept_unbalanced": query.accept_unbalanced,
            "lines": s.lines, "credits": s.credits, "matched": s.matched, "unmatched": s.unmatched,
            "settled_online": s.settled_online, "duplicates": s.duplicates, "total_credited": s.total_credited,
        })),
    )
    .await?;
    let status = if s.status == reconcile::UNBALANCED { actix_web::http::StatusCode::CONFLICT } else { actix_web::http::StatusCode::OK };
    Ok(HttpResponse::build(status).json(result.summary))
}

fn import_view(m: statement_import::Model) -> Result<api::StatementImportView, ApiError> {
    let n = |v: i32| u32::try_from(v).unwrap_or(0);
    Ok(api::StatementImportView {
        id: m.id,
        imported_at: m.imported_at,
        imported_by: m.imported_by,
        file_name: m.file_name,
        file_sha256: m.file_sha256,
        format: m.format,
        encoding: m.encoding,
        status: m.status,
        statements: n(m.statements),
        lines: n(m.lines),
        credits: n(m.credits),
        debits: n(m.debits),
        matched: n(m.matched),
        unmatched: n(m.unmatched),
        settled_online: n(m.settled_online),
        duplicates: n(m.duplicates),
        total_credited: store::money(m.total_credited_grosze)?,
        total_booked: store::money(m.total_booked_grosze)?,
    })
}

/// Imported statement files, newest first.
#[utoipa::path(get, path = "/api/v1/admin/statements", tag = "administration", security(("bearer" = [])), params(PageParams),
    responses((status = 200, body = api::StatementImportPage), (status = 403, body = api::Problem)))]
#[get("/admin/statements")]
pub async fn statement_imports(
    state: web::Data<AppState>,
    principal: Principal,
    query: web::Query<PageParams>,
) -> Result<web::Json<api::StatementImportPage>, ApiError> {
    require_role(&state, &principal, "clerk", "statements.list").await?;
    let (page, per_page) = query.resolve()?;
    let (rows, total_items) = state.store.statement_imports(u64::from((page - 1) * per_page), u64::from(per_page)).await?;
    let items = rows.into_iter().map(import_view).collect::<Result<_, _>>()?;
    record(&state, &principal, "statements.list", None, None, "allowed", None).await?;
    Ok(web::Json(api::StatementImportPage { items, page, per_page, total_items }))
}

pub fn unmatched_view(m: statement_line::Model) -> Result<api::UnmatchedLine, ApiError> {
    let suggestions: Vec<api::Suggestion> = match m.suggestions {
        Some(value) => serde_json::from_value(value).map_err(|e| ApiError::Internal(format!("stored suggestions: {e}")))?,
        None => Vec::new(),
    };
    Ok(api::UnmatchedLine {
        id: m.id,
        import_id: m.import_id,
        statement_account: m.statement_account,
        statement_number: m.statement_number,
        value_date: m.value_date,
        booking_date: m.booking_date,
        amount: store::money(m.amount_grosze)?,
        currency: m.currency,
        counterparty_name: m.counterparty_name,
        counterparty_account: m.counterparty_account,
        title: m.title,
        bank_reference: m.bank_reference,
        virtual_account: m.virtual_account,
        reason: m.reason,
        confidence: m.confidence.as_deref().and_then(reconcile::parse_confidence),
        suggestions,
    })
}

/// The clerk's queue: credits no rule could match, oldest first, each with suggestions (who may have
/// paid, how sure, and why).
#[utoipa::path(get, path = "/api/v1/admin/unmatched", tag = "administration", security(("bearer" = [])), params(PageParams),
    responses((status = 200, body = api::UnmatchedPage), (status = 403, body = api::Problem)))]
#[get("/admin/unmatched")]
pub async fn unmatched_lines(
    state: web::Data<AppState>,
    principal: Principal,
    query: web::Query<PageParams>,
) -> Result<web::Json<api::UnmatchedPage>, ApiError> {
    require_role(&state, &principal, "clerk", "statements.unmatched.list").await?;
    let (page, per_page) = query.resolve()?;
    let (rows, total_items) = state.store.unmatched_lines(u64::from((page - 1) * per_page), u64::from(per_page)).await?;
    let items = rows.into_iter().map(unmatched_view).collect::<Result<_, _>>()?;
    record(&state, &principal, "statements.unmatched.list", None, None, "allowed", None).await?;
    Ok(web::Json(api::UnmatchedPage { items, page, per_page, total_items }))
}

/// Books a queued credit to a taxpayer (optionally indicating an obligation, art. 62 § 1): a
/// transfer dated by the statement (tax-rules.md §8.6), allocated by the ledger; the resident sees
/// it at once. Exactly once: assigning a line that is not in the queue any more is a conflict.
#[utoipa::path(post, path = "/api/v1/admin/unmatched/{line_id}/assign", tag = "administration", security(("bearer" = [])),
    params(("line_id" = Uuid, Path)), request_body = api::AssignLine,
    responses((status = 200, body = api::AssignedLine), (status = 400, body = api::Problem), (status = 403, body = api::Problem),
        (status = 404, body = api::Problem), (status = 409, body = api::Problem)))]
#[post("/admin/unmatched/{line_id}/assign")]
pub async fn assign_line(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<Uuid>,
    body: web::Json<api::AssignLine>,
) -> Result<web::Json<api::AssignedLine>, ApiError> {
    const ACTION: &str = "statements.unmatched.assign";
    require_role(&state, &principal, "clerk", ACTION).await?;
    let line_id = path.into_inner();
    let taxpayer =
        state.store.taxpayer(body.taxpayer_id).await?.ok_or_else(|| ApiError::field("taxpayer_id", "unknown", "no such taxpayer"))?;
    if let Some(obligation_id) = body.obligation_id {
        let obligation = state
            .store
            .obligation(obligation_id)
            .await?
            .ok_or_else(|| ApiError::field("obligation_id", "unknown", "no such obligation"))?;
        if obligation.taxpayer_id != taxpayer.id {
            return Err(ApiError::field("obligation_id", "not_of_taxpayer", "the obligation belongs to another taxpayer"));
        }
    }
    let (kind, actor) = principal.actor();
    let cached = state.cached();
    let calendar = state.calendar.clone();
    let assigned = state
        .store
        .assign_line(line_id, taxpayer.id, body.obligation_id, &format!("{kind}:{actor}"), move |books, payment_id, day| {
            let rules = InterestRules::new(&cached.rates, &calendar).with_threshold_mode(cached.municipality.threshold_mode);
            crate::payflow::allocation_rows(books, payment_id, day, &rules)
        })
        .await?;
    record(
        &state,
        &principal,
        ACTION,
        Some(("statement_line", line_id.to_string())),
        Some(taxpayer.id),
        "allowed",
        details(json!({
            "payment_id": assigned.payment.id, "amount": store::money(assigned.payment.amount_grosze)?,
            "obligation_id": body.obligation_id, "line_key": assigned.line.line_key,
        })),
    )
    .await?;
    let books = state.store.books(taxpayer.id).await?;
    let obligation_of = |i: Uuid| books.installments.iter().find(|x| x.id == i).map(|x| x.obligation_id);
    let payment = crate::views::payment_view(&assigned.payment, &assigned.allocations, &obligation_of)?;
    Ok(web::Json(api::AssignedLine { line_id, taxpayer_id: taxpayer.id, payment }))
}
