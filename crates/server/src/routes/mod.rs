//! HTTP handlers, short: extract, authorize, call the store and the domain, map to `api-types`.

pub mod admin;
pub mod dev;
pub mod oauth;
pub mod ops;
pub mod pay;
pub mod public;
pub mod resident;
pub mod session;
pub mod statements;
pub mod sync;

use actix_web::{HttpRequest, web};
use serde_json::json;
use store::{AuditEntry, Uuid};

use crate::app::AppState;
use crate::auth::Principal;
use crate::error::ApiError;

/// The session endpoints under `/auth` (login through the login node joins them).
pub fn auth_services(cfg: &mut web::ServiceConfig, dev_login: bool) {
    cfg.service(session::refresh)
        .service(session::logout)
        .service(crate::login::login)
        .service(crate::login::acs)
        .service(crate::login::jwks);
    if dev_login {
        cfg.service(session::dev_login);
    }
}

/// Everything under `/api/v1`.
pub fn api_scope(dev_token: bool) -> actix_web::Scope {
    let scope = web::scope("/api/v1")
        .service(resident::me)
        .service(resident::taxpayers)
        .service(resident::obligations)
        .service(resident::obligation)
        .service(resident::document)
        .service(resident::payment_quote)
        .service(resident::payment_list)
        .service(resident::transfer_details)
        .service(resident::transfer_qr)
        .service(pay::start)
        .service(pay::status)
        .service(pay::receipt)
        .service(pay::receipt_pdf)
        .service(pay::notify)
        .service(public::interest)
        .service(public::interest_rates)
        .service(public::due_date)
        .service(oauth::token)
        .service(admin::users)
        .service(admin::set_roles)
        .service(admin::add_link)
        .service(admin::end_link)
        .service(admin::rates)
        .service(admin::add_rate)
        .service(admin::set_verified_up_to)
        .service(admin::settings)
        .service(admin::update_settings)
        .service(admin::audit_log)
        .service(sync::status)
        .service(statements::import_statement)
        .service(statements::statement_imports)
        .service(statements::unmatched_lines)
        .service(statements::assign_line)
        // An unknown API path is a problem document like every other error, never an empty 404.
        .default_service(web::to(|| async { Err::<actix_web::HttpResponse, _>(ApiError::NotFound) }));
    // The development token endpoint exists only when asked for at start.
    if dev_token { scope.service(dev::token) } else { scope }
}

/// Lets `principal` see `taxpayer_id`'s data: a user through a link valid today, an API client
/// through `scope`. Every decision is audited; a refusal looks exactly like a missing taxpayer.
pub async fn authorize_taxpayer(
    state: &AppState,
    principal: &Principal,
    taxpayer_id: Uuid,
    scope: &str,
    action: &str,
) -> Result<(), ApiError> {
    let allowed = match principal {
        Principal::User { id, .. } => state.store.link(*id, taxpayer_id, state.today()).await?.is_some(),
        Principal::Client { .. } => principal.has_scope(scope),
    };
    audit(
        state,
        principal,
        action,
        Some(("taxpayer", taxpayer_id.to_string())),
        Some(taxpayer_id),
        if allowed { "allowed" } else { "denied" },
        None,
    )
    .await?;
    if allowed { Ok(()) } else { Err(ApiError::NotFound) }
}

/// Staff only; the refusal is audited.
pub async fn require_role(state: &AppState, principal: &Principal, role: &str, action: &str) -> Result<(), ApiError> {
    if principal.has_role(role) || (role == "clerk" && principal.has_role("admin")) {
        return Ok(());
    }
    audit(state, principal, action, None, None, "denied", None).await?;
    Err(ApiError::Forbidden)
}

pub async fn audit(
    state: &AppState,
    principal: &Principal,
    action: &str,
    subject: Option<(&'static str, String)>,
    taxpayer_id: Option<Uuid>,
    outcome: &'static str,
    details: Option<serde_json::Value>,
) -> Result<(), ApiError> {
    let (actor_kind, actor_id) = principal.actor();
    let (subject_kind, subject_id) = subject.map_or((None, None), |(k, id)| (Some(k), Some(id)));
    state
        .store
        .audit(AuditEntry {
            actor_kind,
            actor_id: Some(actor_id),
            action: action.into(),
            subject_kind,
            subject_id,
            taxpayer_id,
            outcome,
            details,
        })
        .await?;
    Ok(())
}

/// The client address for rate limiting (the peer; a proxy in front must be configured to pass it).
pub fn client_ip(req: &HttpRequest) -> std::net::IpAddr {
    req.peer_addr().map_or(std::net::IpAddr::from([0, 0, 0, 0]), |a| a.ip())
}

/// Pagination parameters shared by list endpoints.
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
pub struct PageParams {
    /// 1-based page number.
    pub page: Option<u32>,
    /// Items per page, 1–200 (default 50).
    pub per_page: Option<u32>,
}

impl PageParams {
    pub fn resolve(&self) -> Result<(u32, u32), ApiError> {
        let page = self.page.unwrap_or(1);
        let per_page = self.per_page.unwrap_or(50);
        if page == 0 {
            return Err(ApiError::field("page", "out_of_range", "page starts at 1"));
        }
        if !(1..=200).contains(&per_page) {
            return Err(ApiError::field("per_page", "out_of_range", "per_page must be between 1 and 200"));
        }
        Ok((page, per_page))
    }
}

/// A date from the query string, validated here so that the error names the parameter.
pub fn date_param(field: &str, value: Option<&str>) -> Result<Option<time::Date>, ApiError> {
    value
        .map(|v| {
            time::Date::parse(v, time::macros::format_description!("[year]-[month]-[day]"))
                .map_err(|_| ApiError::field(field, "invalid_date", "expected a date as YYYY-MM-DD"))
        })
        .transpose()
}

pub fn details(value: serde_json::Value) -> Option<serde_json::Value> {
    Some(json!(value))
}
