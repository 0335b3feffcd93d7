//! Client credentials for third-party municipal applications (RFC 6749 §4.4).

use actix_web::{HttpRequest, post, web};
use api_types as api;
use serde::Deserialize;
use sha2::{Digest, Sha256};

use crate::app::AppState;
use crate::auth::ACCESS_TOKEN_SECONDS;
use crate::error::ApiError;
use crate::routes::client_ip;

#[derive(Deserialize, utoipa::ToSchema)]
pub struct TokenRequest {
    /// Must be `client_credentials`.
    pub grant_type: String,
    pub client_id: String,
    pub client_secret: String,
    /// Space-separated scopes, a subset of the client's (default: all of them).
    pub scope: Option<String>,
}

impl std::fmt::Debug for TokenRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenRequest").field("grant_type", &self.grant_type).field("client_id", &self.client_id).finish_non_exhaustive()
    }
}

/// Exchanges a registered client's id and secret for an access token with scopes.
#[utoipa::path(post, path = "/api/v1/oauth/token", tag = "clients",
    request_body(content = TokenRequest, content_type = "application/x-www-form-urlencoded"),
    responses((status = 200, body = api::TokenResponse), (status = 400, body = api::Problem), (status = 401, body = api::Problem), (status = 429, body = api::Problem)))]
#[post("/oauth/token")]
pub async fn token(
    state: web::Data<AppState>,
    req: HttpRequest,
    form: web::Form<TokenRequest>,
) -> Result<web::Json<api::TokenResponse>, ApiError> {
    state.limiter.check(client_ip(&req), "token")?;
    if form.grant_type != "client_credentials" {
        return Err(ApiError::BadRequest { code: "unsupported_grant_type", detail: "Only client_credentials is supported.".into() });
    }
    let client = state.store.api_client(&form.client_id).await?.filter(|c| c.active);
    let presented = hex::encode(Sha256::digest(form.client_secret.as_bytes()));
    // Compare the hashes in constant time; an unknown client costs the same as a wrong secret.
    let stored = client.as_ref().map_or_else(|| "0".repeat(64), |c| c.secret_hash.clone());
    let matches = presented.len() == stored.len() && presented.bytes().zip(stored.bytes()).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0;
    let Some(client) = client.filter(|_| matches) else {
        state
            .store
            .audit(store::AuditEntry {
                actor_kind: "api_client",
                actor_id: Some(form.client_id.chars().take(64).collect()),
                action: "oauth.token".into(),
                subject_kind: None,
                subject_id: None,
                taxpayer_id: None,
                outcome: "denied",
                details: None,
            })
            .await?;
        return Err(ApiError::Unauthorized);
    };
    let allowed: Vec<&str> = client.scopes.split_whitespace().collect();
    let requested: Vec<&str> = form.scope.as_deref().map_or_else(|| allowed.clone(), |s| s.split_whitespace().collect());
    if let Some(bad) = requested.iter().find(|s| !allowed.contains(s)) {
        return Err(ApiError::field("scope", "not_granted", format!("scope {bad} is not granted to this client")));
    }
    let scope = requested.join(" ");
    let scopes: Vec<String> = requested.iter().map(|s| (*s).to_string()).collect();
    let access_token = state.tokens.issue_client(&client.client_id, &scopes)?;
    state
        .store
        .audit(store::AuditEntry {
            actor_kind: "api_client",
            actor_id: Some(client.client_id.clone()),
            action: "oauth.token".into(),
            subject_kind: None,
            subject_id: None,
            taxpayer_id: None,
            outcome: "allowed",
            details: None,
        })
        .await?;
    Ok(web::Json(api::TokenResponse { access_token, token_type: "Bearer".into(), expires_in: ACCESS_TOKEN_SECONDS, scope: Some(scope) }))
}
