//! Administration: users and their links, roles, the rate table, settings, the audit log. Every
//! handler checks the role server-side and audits what it changes.

use actix_web::{get, patch, post, put, web};
use api_types as api;
use domain::interest::ThresholdMode;
use domain::rates::RateRow;
use rust_decimal::Decimal;
use serde::Deserialize;
use serde_json::json;
use store::entities::user_taxpayer_link;
use store::{AuditFilter, Uuid};
use time::OffsetDateTime;

use crate::app::AppState;
use crate::auth::Principal;
use crate::error::ApiError;
use crate::routes::audit as record;
use crate::routes::{PageParams, details, require_role};

async fn user_view(state: &AppState, user: store::entities::portal_user::Model) -> Result<api::UserView, ApiError> {
    let mut links = Vec::new();
    for l in state.store.all_links_of(user.id).await? {
        let name = state.store.taxpayer(l.taxpayer_id).await?.map(|t| t.name).unwrap_or_default();
        links.push(link_view(&l, name));
    }
    Ok(api::UserView {
        id: user.id,
        display_name: user.display_name,
        roles: user.roles.split(',').filter_map(api::Role::parse).collect(),
        links,
    })
}

fn link_view(l: &user_taxpayer_link::Model, taxpayer_name: String) -> api::LinkView {
    api::LinkView {
        id: l.id,
        taxpayer_id: l.taxpayer_id,
        taxpayer_name,
        kind: api::LinkKind::parse(&l.kind).unwrap_or(api::LinkKind::Proxy),
        valid_from: l.valid_from,
        valid_to: l.valid_to,
        granted_by: l.granted_by,
    }
}

/// Portal users with their roles and links (clerks and administrators).
#[utoipa::path(get, path = "/api/v1/admin/users", tag = "administration", security(("bearer" = [])), params(PageParams),
    responses((status = 200, body = api::UserPage), (status = 403, body = api::Problem)))]
#[get("/admin/users")]
pub async fn users(
    state: web::Data<AppState>,
    principal: Principal,
    query: web::Query<PageParams>,
) -> Result<web::Json<api::UserPage>, ApiError> {
    require_role(&state, &principal, "clerk", "admin.users.list").await?;
    let (page, per_page) = query.resolve()?;
    let (rows, total_items) = state.store.users(u64::from((page - 1) * per_page), u64::from(per_page)).await?;
    let mut items = Vec::with_capacity(rows.len());
    for user in rows {
        items.push(user_view(&state, user).await?);
    }
    record(&state, &principal, "admin.users.list", None, None, "allowed", None).await?;
    Ok(web::Json(api::UserPage { items, page, per_page, total_items }))
}

/// Grants roles (administrators only).
#[utoipa::path(put, path = "/api/v1/admin/users/{id}/roles", tag = "administration", security(("bearer" = [])),
    params(("id" = Uuid, Path)), request_body = api::SetRoles,
    responses((status = 200, body = api::UserView), (status = 403, body = api::Problem), (status = 404, body = api::Problem)))]
#[put("/admin/users/{id}/roles")]
pub async fn set_roles(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<Uuid>,
    body: web::Json<api::SetRoles>,
) -> Result<web::Json<api::UserView>, ApiError> {
    require_role(&state, &principal, "admin", "admin.roles.set").await?;
    let id = path.into_inner();
    let mut roles: Vec<String> = body.roles.iter().map(|r| r.code().to_string()).collect();
    roles.sort();
    roles.dedup();
    let user = state.store.set_roles(id, &roles).await?;
    record(&state, &principal, "admin.roles.set", Some(("user", id.to_string())), None, "allowed", details(json!({ "roles": roles })))
        .await?;
    Ok(web::Json(user_view(&state, user).await?))
}

/// Links a user to a taxpayer (owner, co-owner, proxy, representative).
#[utoipa::path(post, path = "/api/v1/admin/users/{id}/links", tag = "administration", security(("bearer" = [])),
    params(("id" = Uuid, Path)), request_body = api::CreateLink,
    responses((status = 200, body = api::LinkView), (status = 400, body = api::Problem), (status = 403, body = api::Problem), (status = 404, body = api::Problem)))]
#[post("/admin/users/{id}/links")]
pub async fn add_link(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<Uuid>,
    body: web::Json<api::CreateLink>,
) -> Result<web::Json<api::LinkView>, ApiError> {
    require_role(&state, &principal, "clerk", "admin.links.add").await?;
    let user_id = path.into_inner();
    state.store.user(user_id).await?.ok_or(ApiError::NotFound)?;
    let taxpayer =
        state.store.taxpayer(body.taxpayer_id).await?.ok_or_else(|| ApiError::field("taxpayer_id", "unknown", "no such taxpayer"))?;
    let valid_from = body.valid_from.unwrap_or_else(|| state.today());
    if body.valid_to.is_some_and(|to| to < valid_from) {
        return Err(ApiError::field("valid_to", "out_of_range", "valid_to is before valid_from"));
    }
    let link = state
        .store
        .insert_link(user_taxpayer_link::Model {
            id: Uuid::new_v4(),
            user_id,
            taxpayer_id: taxpayer.id,
            kind: body.kind.code().into(),
            valid_from,
            valid_to: body.valid_to,
            granted_by: principal.user_id(),
            created_at: OffsetDateTime::now_utc(),
        })
        .await?;
    record(
        &state,
        &principal,
        "admin.links.add",
        Some(("user", user_id.to_string())),
        Some(taxpayer.id),
        "allowed",
        details(json!({ "kind": body.kind.code() })),
    )
    .await?;
    Ok(web::Json(link_view(&link, taxpayer.name)))
}

/// Ends a link on a day (history is kept).
#[utoipa::path(post, path = "/api/v1/admin/links/{id}/end", tag = "administration", security(("bearer" = [])),
    params(("id" = Uuid, Path)), request_body = api::EndLink,
    responses((status = 200, body = api::LinkView), (status = 403, body = api::Problem), (status = 404, body = api::Problem)))]
#[post("/admin/links/{id}/end")]
pub async fn end_link(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<Uuid>,
    body: web::Json<api::EndLink>,
) -> Result<web::Json<api::LinkView>, ApiError> {
    require_role(&state, &principal, "clerk", "admin.links.end").await?;
    let link = state.store.end_link(path.into_inner(), body.valid_to).await?;
    let name = state.store.taxpayer(link.taxpayer_id).await?.map(|t| t.name).unwrap_or_default();
    record(&state, &principal, "admin.links.end", Some(("link", link.id.to_string())), Some(link.taxpayer_id), "allowed", None).await?;
    Ok(web::Json(link_view(&link, name)))
}

/// The rate and threshold tables (as public, for the admin panel).
#[utoipa::path(get, path = "/api/v1/admin/interest-rates", tag = "administration", security(("bearer" = [])),
    responses((status = 200, body = api::InterestRates), (status = 403, body = api::Problem)))]
#[get("/admin/interest-rates")]
pub async fn rates(state: web::Data<AppState>, principal: Principal) -> Result<web::Json<api::InterestRates>, ApiError> {
    require_role(&state, &principal, "clerk", "admin.rates.read").await?;
    Ok(web::Json(crate::routes::public::rate_tables(&state)))
}

fn decimal(field: &str, value: &str) -> Result<Decimal, ApiError> {
    value.parse().map_err(|_| ApiError::field(field, "invalid", "not a decimal number"))
}

/// Adds a rate row after a new NBP decision (administrators only); the table is checked whole.
#[utoipa::path(post, path = "/api/v1/admin/interest-rates", tag = "administration", security(("bearer" = [])),
    request_body = api::NewRateRow,
    responses((status = 200, body = api::InterestRates), (status = 400, body = api::Problem), (status = 403, body = api::Problem), (status = 409, body = api::Problem)))]
#[post("/admin/interest-rates")]
pub async fn add_rate(
    state: web::Data<AppState>,
    principal: Principal,
    body: web::Json<api::NewRateRow>,
) -> Result<web::Json<api::InterestRates>, ApiError> {
    require_role(&state, &principal, "admin", "admin.rates.add").await?;
    let row = RateRow {
        from: body.effective_from,
        lombard: body.lombard.as_deref().map(|l| decimal("lombard", l)).transpose()?,
        standard: decimal("standard", &body.standard)?,
        reduced: decimal("reduced", &body.reduced)?,
        increased: body.increased.as_deref().map(|i| decimal("increased", i)).transpose()?,
        source: body.source.clone(),
    };
    state.store.put_rate(row).await?;
    state.reload().await?;
    record(
        &state,
        &principal,
        "admin.rates.add",
        Some(("interest_rate", body.effective_from.to_string())),
        None,
        "allowed",
        details(json!({ "standard": body.standard })),
    )
    .await?;
    Ok(web::Json(crate::routes::public::rate_tables(&state)))
}

/// Advances the date up to which the rates were checked (administrators only, audited).
#[utoipa::path(put, path = "/api/v1/admin/interest-rates/verified-up-to", tag = "administration", security(("bearer" = [])),
    request_body = api::VerifiedUpTo, responses((status = 200, body = api::InterestRates), (status = 403, body = api::Problem)))]
#[put("/admin/interest-rates/verified-up-to")]
pub async fn set_verified_up_to(
    state: web::Data<AppState>,
    principal: Principal,
    body: web::Json<api::VerifiedUpTo>,
) -> Result<web::Json<api::InterestRates>, ApiError> {
    require_role(&state, &principal, "admin", "admin.rates.verify").await?;
    state.store.set_rates_verified_up_to(body.verified_up_to).await?;
    state.reload().await?;
    record(
        &state,
        &principal,
        "admin.rates.verify",
        None,
        None,
        "allowed",
        details(json!({ "verified_up_to": body.verified_up_to.to_string() })),
    )
    .await?;
    Ok(web::Json(crate::routes::public::rate_tables(&state)))
}

fn settings_view(m: &store::Municipality) -> api::Settings {
    api::Settings {
        name: m.name.clone(),
        nip: m.nip.clone(),
        address: m.address.clone(),
        bank_account: m.bank_account.formatted(),
        virtual_account_prefix: m.virtual_accounts.prefix().to_string(),
        threshold_mode: m.threshold_mode.to_string(),
        rates_verified_up_to: m.rates_verified_up_to,
    }
}

/// The municipality's settings.
#[utoipa::path(get, path = "/api/v1/admin/settings", tag = "administration", security(("bearer" = [])),
    responses((status = 200, body = api::Settings), (status = 403, body = api::Problem)))]
#[get("/admin/settings")]
pub async fn settings(state: web::Data<AppState>, principal: Principal) -> Result<web::Json<api::Settings>, ApiError> {
    require_role(&state, &principal, "clerk", "admin.settings.read").await?;
    Ok(web::Json(settings_view(&state.cached().municipality)))
}

/// Changes settings (administrators only, audited).
#[utoipa::path(patch, path = "/api/v1/admin/settings", tag = "administration", security(("bearer" = [])),
    request_body = api::SettingsUpdate, responses((status = 200, body = api::Settings), (status = 400, body = api::Problem), (status = 403, body = api::Problem)))]
#[patch("/admin/settings")]
pub async fn update_settings(
    state: web::Data<AppState>,
    principal: Principal,
    body: web::Json<api::SettingsUpdate>,
) -> Result<web::Json<api::Settings>, ApiError> {
    require_role(&state, &principal, "admin", "admin.settings.update").await?;
    let mode = body
        .threshold_mode
        .as_deref()
        .map(|m| m.parse::<ThresholdMode>().map_err(|e| ApiError::field("threshold_mode", "invalid", e)))
        .transpose()?;
    state.store.update_municipality(mode.map(|m| m.to_string()), body.name.clone(), body.address.clone()).await?;
    state.reload().await?;
    record(
        &state,
        &principal,
        "admin.settings.update",
        None,
        None,
        "allowed",
        details(json!({ "threshold_mode": body.threshold_mode, "name": body.name, "address": body.address })),
    )
    .await?;
    Ok(web::Json(settings_view(&state.cached().municipality)))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct AuditQuery {
    pub actor_id: Option<String>,
    pub action: Option<String>,
    pub taxpayer_id: Option<Uuid>,
    /// `allowed`, `denied`, `failed`.
    pub outcome: Option<String>,
    #[serde(default, with = "time::serde::rfc3339::option")]
    #[param(value_type = Option<String>, format = DateTime)]
    pub from: Option<OffsetDateTime>,
    #[serde(default, with = "time::serde::rfc3339::option")]
    #[param(value_type = Option<String>, format = DateTime)]
    pub to: Option<OffsetDateTime>,
    pub page: Option<u32>,
    pub per_page: Option<u32>,
}

/// Who read or changed whose data, newest first.
#[utoipa::path(get, path = "/api/v1/admin/audit-log", tag = "administration", security(("bearer" = [])), params(AuditQuery),
    responses((status = 200, body = api::AuditPage), (status = 403, body = api::Problem)))]
#[get("/admin/audit-log")]
pub async fn audit_log(
    state: web::Data<AppState>,
    principal: Principal,
    query: web::Query<AuditQuery>,
) -> Result<web::Json<api::AuditPage>, ApiError> {
    require_role(&state, &principal, "admin", "admin.audit.search").await?;
    let (page, per_page) = PageParams { page: query.page, per_page: query.per_page }.resolve()?;
    let filter = AuditFilter {
        actor_id: query.actor_id.clone(),
        action: query.action.clone(),
        taxpayer_id: query.taxpayer_id,
        outcome: query.outcome.clone(),
        from: query.from,
        to: query.to,
    };
    let (rows, total_items) = state.store.audit_search(&filter, u64::from((page - 1) * per_page), u64::from(per_page)).await?;
    record(&state, &principal, "admin.audit.search", None, None, "allowed", None).await?;
    let items = rows
        .into_iter()
        .map(|r| api::AuditEntryView {
            id: r.id,
            at: r.at,
            actor_kind: r.actor_kind,
            actor_id: r.actor_id,
            action: r.action,
            subject_kind: r.subject_kind,
            subject_id: r.subject_id,
            taxpayer_id: r.taxpayer_id,
            outcome: r.outcome,
        })
        .collect();
    Ok(web::Json(api::AuditPage { items, page, per_page, total_items }))
}
