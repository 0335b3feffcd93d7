//! Development only: mounted when the server starts with `--dev-token`, absent otherwise.

use actix_web::{post, web};
use api_types as api;
use domain::identifiers::Pesel;

use crate::app::AppState;
use crate::auth::ACCESS_TOKEN_SECONDS;
use crate::error::ApiError;

/// A user token for the portal user with this PESEL (for scripts and tests before real login).
#[utoipa::path(post, path = "/api/v1/dev/token", tag = "development", request_body = api::DevTokenRequest,
    responses((status = 200, body = api::TokenResponse), (status = 400, body = api::Problem), (status = 404, body = api::Problem)))]
#[post("/dev/token")]
pub async fn token(state: web::Data<AppState>, body: web::Json<api::DevTokenRequest>) -> Result<web::Json<api::TokenResponse>, ApiError> {
    let pesel: Pesel = body.pesel.parse().map_err(|e| ApiError::field("pesel", "invalid", format!("{e}")))?;
    let user = state.store.user_by_pesel(pesel.as_str()).await?.ok_or(ApiError::NotFound)?;
    let roles: Vec<String> = user.roles.split(',').filter(|r| !r.is_empty()).map(str::to_string).collect();
    let access_token = state.tokens.issue_user(user.id, &roles, identity::LoA::Low)?;
    Ok(web::Json(api::TokenResponse { access_token, token_type: "Bearer".into(), expires_in: ACCESS_TOKEN_SECONDS, scope: None }))
}
