//! Sessions for the SPA (identity.md §4): a short access JWT in the SPA's memory, and an opaque
//! refresh token in an HttpOnly, SameSite=Strict cookie scoped to `/auth`, stored hashed, rotated on
//! every use; presenting a rotated token again revokes its whole family.

use actix_web::cookie::{Cookie, SameSite, time::Duration as CookieDuration};
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use api_types as api;
use aws_lc_rs::rand::{SecureRandom, SystemRandom};
use identity::WkSession;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use store::Uuid;
use store::entities::session;
use time::{Duration, OffsetDateTime};

use crate::app::AppState;
use crate::auth::ACCESS_TOKEN_SECONDS;
use crate::error::ApiError;
use crate::routes::client_ip;

/// A working day: the family's absolute lifetime, which rotation does not extend.
const SESSION_HOURS: i64 = 10;
/// A session not refreshed for this long ends.
const IDLE_MINUTES: i64 = 30;
/// The custom header that, with SameSite=Strict and the Origin check, stops cross-site requests.
const CSRF_HEADER: &str = "X-Requested-With";
const CSRF_VALUE: &str = "naleznosci-spa";

fn cookie_name(state: &AppState) -> &'static str {
    if state.settings.public_url.starts_with("https://") { "__Secure-naleznosci_refresh" } else { "naleznosci_refresh" }
}

fn refresh_cookie(state: &AppState, value: String, max_age: CookieDuration) -> Cookie<'static> {
    Cookie::build(cookie_name(state), value)
        .path("/auth")
        .http_only(true)
        .secure(true)
        .same_site(SameSite::Strict)
        .max_age(max_age)
        .finish()
}

fn hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

fn random_token() -> Result<String, ApiError> {
    let mut bytes = [0u8; 32];
    SystemRandom::new().fill(&mut bytes).map_err(|_| ApiError::Internal("no randomness".into()))?;
    Ok(hex::encode(bytes))
}

/// What single logout needs of the login node's session; kept with the portal session.
#[derive(Serialize, Deserialize)]
struct StoredWkSession {
    name_id: String,
    name_id_format: Option<String>,
    session_index: Option<String>,
}

/// The NameID is a login name: personal data, never printed.
impl std::fmt::Debug for StoredWkSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StoredWkSession").field("session_index", &self.session_index).finish_non_exhaustive()
    }
}

impl StoredWkSession {
    fn of(session: &WkSession) -> StoredWkSession {
        StoredWkSession {
            name_id: session.name_id.clone(),
            name_id_format: session.name_id_format.clone(),
            session_index: session.session_index.clone(),
        }
    }

    fn into_wk_session(self) -> WkSession {
        WkSession {
            name_id: self.name_id,
            name_id_format: self.name_id_format,
            session_index: self.session_index,
            authenticating_authority: None,
            authn_instant: None,
        }
    }
}

/// Starts a session for a user who has just proven who they are; returns the refresh cookie.
/// `wk_session`: the login node's session when the node logged the user in (for single logout).
pub async fn start_session(
    state: &AppState,
    user_id: Uuid,
    acr: Option<String>,
    wk_session: Option<&WkSession>,
) -> Result<Cookie<'static>, ApiError> {
    let wk_session = wk_session
        .map(|s| serde_json::to_string(&StoredWkSession::of(s)))
        .transpose()
        .map_err(|e| ApiError::Internal(format!("login node session: {e}")))?;
    let token = random_token()?;
    let now = OffsetDateTime::now_utc();
    state
        .store
        .insert_session(session::Model {
            id: Uuid::new_v4(),
            family_id: Uuid::new_v4(),
            user_id,
            token_hash: hash(&token),
            acr,
            created_at: now,
            expires_at: now + Duration::hours(SESSION_HOURS),
            rotated_at: None,
            revoked_at: None,
            wk_session,
        })
        .await?;
    state.store.touch_login(user_id, now).await?;
    Ok(refresh_cookie(state, token, CookieDuration::hours(SESSION_HOURS)))
}

/// Cookie-authenticated endpoints accept only same-origin requests from the SPA.
fn check_csrf(state: &AppState, req: &HttpRequest) -> Result<(), ApiError> {
    let header_ok = req.headers().get(CSRF_HEADER).and_then(|v| v.to_str().ok()) == Some(CSRF_VALUE);
    let origin_ok = match req.headers().get("Origin").and_then(|v| v.to_str().ok()) {
        None => true,
        Some(origin) => {
            origin == state.settings.public_url.trim_end_matches('/') || origin == format!("http://{}", req.connection_info().host())
        }
    };
    if header_ok && origin_ok { Ok(()) } else { Err(ApiError::Forbidden) }
}

/// Exchanges the refresh cookie for a new access token (and a new refresh cookie).
#[utoipa::path(post, path = "/auth/refresh", tag = "sessions",
    responses((status = 200, body = api::TokenResponse), (status = 401, body = api::Problem), (status = 403, body = api::Problem)))]
#[post("/auth/refresh")]
pub async fn refresh(state: web::Data<AppState>, req: HttpRequest) -> Result<HttpResponse, ApiError> {
    state.limiter.check(client_ip(&req), "login")?;
    check_csrf(&state, &req)?;
    let presented = req.cookie(cookie_name(&state)).map(|c| c.value().to_string()).ok_or(ApiError::Unauthorized)?;
    let now = OffsetDateTime::now_utc();
    let current = state.store.session_by_hash(&hash(&presented)).await?.ok_or(ApiError::Unauthorized)?;
    // Absolute end of the family, or 30 minutes without a refresh (identity.md §4): each rotation
    // mints a new token, so the current token's age is the idle time.
    if current.revoked_at.is_some() || current.expires_at <= now || now - current.created_at > Duration::minutes(IDLE_MINUTES) {
        return Err(ApiError::Unauthorized);
    }
    if current.rotated_at.is_some() || !state.store.rotate_session(current.id, now).await? {
        // A used token came back: someone holds a copy. End the whole family.
        state.store.revoke_family(current.family_id, now).await?;
        audit_session(&state, current.user_id, "session.refresh_reuse", "denied").await?;
        return Err(ApiError::Unauthorized);
    }
    let user = state.store.user(current.user_id).await?.ok_or(ApiError::Unauthorized)?;
    let token = random_token()?;
    state
        .store
        .insert_session(session::Model {
            id: Uuid::new_v4(),
            family_id: current.family_id,
            user_id: user.id,
            token_hash: hash(&token),
            acr: current.acr.clone(),
            created_at: now,
            expires_at: current.expires_at,
            rotated_at: None,
            revoked_at: None,
            wk_session: current.wk_session.clone(),
        })
        .await?;
    let roles: Vec<String> = user.roles.split(',').filter(|r| !r.is_empty()).map(str::to_string).collect();
    let acr = match current.acr.as_deref() {
        Some("high") => identity::LoA::High,
        Some("substantial") => identity::LoA::Substantial,
        _ => identity::LoA::Low,
    };
    let access_token = state.tokens.issue_user(user.id, &roles, acr)?;
    let remaining = CookieDuration::seconds((current.expires_at - now).whole_seconds());
    Ok(HttpResponse::Ok()
        .cookie(refresh_cookie(&state, token, remaining))
        .insert_header(("Cache-Control", "no-store"))
        .json(api::TokenResponse { access_token, token_type: "Bearer".into(), expires_in: ACCESS_TOKEN_SECONDS, scope: None }))
}

/// Ends the session: revokes the refresh family and clears the cookie.
///
/// When Węzeł Krajowy logged the user in, the node's session ends too (SOAP single logout). The
/// portal session ends whatever the node answers: a node that is down must not keep anyone logged in.
#[utoipa::path(post, path = "/auth/logout", tag = "sessions", responses((status = 204), (status = 403, body = api::Problem)))]
#[post("/auth/logout")]
pub async fn logout(state: web::Data<AppState>, req: HttpRequest) -> Result<HttpResponse, ApiError> {
    check_csrf(&state, &req)?;
    if let Some(cookie) = req.cookie(cookie_name(&state))
        && let Some(current) = state.store.session_by_hash(&hash(cookie.value())).await?
    {
        let now = OffsetDateTime::now_utc();
        let live = state.store.revoke_family(current.family_id, now).await? > 0 && current.expires_at > now;
        audit_session(&state, current.user_id, "session.logout", "allowed").await?;
        // Only a session that was still live reaches the node: an old cookie cannot make us call it.
        let stored = current.wk_session.as_deref().filter(|_| live).and_then(|json| serde_json::from_str::<StoredWkSession>(json).ok());
        if let Some(stored) = stored {
            let (action, outcome) = match state.sp.logout(&stored.into_wk_session()).await {
                Ok(()) => ("session.logout.wk", "allowed"),
                Err(e) => {
                    tracing::warn!(code = e.code(), "single logout at the login node failed");
                    ("session.logout.wk_failed", "failed")
                }
            };
            audit_session(&state, current.user_id, action, outcome).await?;
        }
    }
    Ok(HttpResponse::NoContent().cookie(refresh_cookie(&state, String::new(), CookieDuration::ZERO)).finish())
}

#[derive(Debug, Deserialize)]
pub struct DevLogin {
    pub pesel: String,
    pub return_to: Option<String>,
}

/// Development only (`--dev-token`): logs a user in by PESEL without the login node.
#[get("/auth/dev-login")]
pub async fn dev_login(state: web::Data<AppState>, query: web::Query<DevLogin>) -> Result<HttpResponse, ApiError> {
    let user = state.store.user_by_pesel(query.pesel.trim()).await?.ok_or(ApiError::NotFound)?;
    let cookie = start_session(&state, user.id, Some("dev".into()), None).await?;
    audit_session(&state, user.id, "session.dev_login", "allowed").await?;
    Ok(HttpResponse::SeeOther().cookie(cookie).insert_header(("Location", safe_return_to(query.return_to.as_deref()))).finish())
}

/// Only a local path: never `//host` or an absolute URL (no open redirect).
pub fn safe_return_to(return_to: Option<&str>) -> String {
    match return_to {
        Some(path) if path.starts_with('/') && !path.starts_with("//") && !path.contains('\\') && !path.contains("://") => path.to_string(),
        _ => "/".to_string(),
    }
}

async fn audit_session(state: &AppState, user_id: Uuid, action: &str, outcome: &'static str) -> Result<(), ApiError> {
    state
        .store
        .audit(store::AuditEntry {
            actor_kind: "user",
            actor_id: Some(user_id.to_string()),
            action: action.into(),
            subject_kind: Some("session"),
            subject_id: None,
            taxpayer_id: None,
            outcome,
            details: None,
        })
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn return_to_stays_local() {
        assert_eq!(super::safe_return_to(Some("/obligations/1")), "/obligations/1");
        for bad in ["//evil.example", "https://evil.example", "evil", "/\\evil", "/x?u=http://evil"] {
            assert_eq!(super::safe_return_to(Some(bad)), "/", "{bad}");
        }
        assert_eq!(super::safe_return_to(None), "/");
    }
}
