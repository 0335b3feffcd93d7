//! Login through Węzeł Krajowy (walkthrough 1): `GET /auth/login` sends a signed AuthnRequest by an
//! auto-submitting form; the node posts an artifact to `POST /auth/acs`; the `identity` crate
//! resolves it over SOAP, verifies, decrypts and validates the assertion; the PESEL maps to a
//! portal user (created and linked to their own taxpayer record on first login); a refresh cookie
//! starts the SPA's session. In the demo the node is `fake-wk`, mounted in-process at `/fake-wk`.

use std::sync::Arc;

use actix_web::cookie::{Cookie, SameSite, time::Duration as CookieDuration};
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use fake_wk::{FakeWk, FakeWkConfig};
use identity::{AcsRequest, Certificate, Config, EcPrivateKey, ServiceProvider, VerifiedIdentity, WkEndpoints};
use serde::Deserialize;
use store::Uuid;
use store::entities::{portal_user, user_taxpayer_link};
use time::OffsetDateTime;

use crate::app::AppState;
use crate::config::{Mode, Settings};
use crate::error::ApiError;
use crate::login_state::{DbPendingLogins, DbReplayCache};
use crate::routes::client_ip;
use crate::routes::session::{safe_return_to, start_session};

pub const FAKE_WK_PATH: &str = "/fake-wk";
const BINDING_COOKIE: &str = "wk_login";
const RETURN_COOKIE: &str = "wk_return";

/// The service provider for these settings. Demo: fake-wk with freshly generated keys, wired in
/// with no set-up. Production: the node's certificates and our keys from the environment, or the
/// server refuses to start.
/// Pending logins and the replay cache live in the database (`store`), shared by every replica.
pub fn service_provider(settings: &Settings, store: &store::Store) -> Result<(Arc<ServiceProvider>, Option<FakeWk>), String> {
    let shared = |sp: ServiceProvider| {
        Arc::new(sp.with_pending_store(Arc::new(DbPendingLogins(store.clone()))).with_replay_cache(Arc::new(DbReplayCache(store.clone()))))
    };
    let base = settings.public_url.trim_end_matches('/');
    let acs_url = format!("{base}/auth/acs");
    match settings.mode {
        Mode::Demo => {
            let mut config = FakeWkConfig::new(&format!("{base}/saml"), &acs_url);
            config.personas = demo_personas()?;
            config.auto_login = settings.fake_wk_auto_login;
            if let Some(name) = &settings.fake_wk_misbehaviour {
                config.misbehaviour = name.parse().map_err(|e| format!("fake-wk misbehaviour {name}: {e:?}"))?;
            }
            let fake = FakeWk::new(config, &format!("{base}{FAKE_WK_PATH}")).map_err(|e| format!("fake-wk: {e}"))?;
            let sp_config = fake
                .demo_sp_config("e-Należności (demo)")
                .map_err(|e| format!("fake-wk: {e}"))?
                .build_for_local_fake()
                .map_err(|e| format!("login configuration: {e}"))?;
            let sp = ServiceProvider::new(sp_config).map_err(|e| format!("login configuration: {e}"))?;
            Ok((shared(sp), Some(fake)))
        }
        Mode::Production => Ok((shared(production_sp(base, &acs_url)?), None)),
    }
}

fn env(name: &str) -> Result<String, String> {
    std::env::var(name).ok().filter(|v| !v.is_empty()).ok_or_else(|| {
        format!(
            "the login node is not configured ({name} is not set): set NALEZNOSCI_WK_ENV (integration|production; production also NALEZNOSCI_WK_ISSUER), NALEZNOSCI_WK_CERTS, \
             NALEZNOSCI_SP_ENTITY_ID, NALEZNOSCI_SP_SIGNING_KEY, NALEZNOSCI_SP_SIGNING_CERT, NALEZNOSCI_SP_ENCRYPTION_KEY, \
             NALEZNOSCI_SP_ENCRYPTION_CERT (PEM files), or run the demo"
        )
    })
}

fn read(name: &str) -> Result<String, String> {
    let path = env(name)?;
    std::fs::read_to_string(&path).map_err(|e| format!("{name}: cannot read {path}: {e}"))
}

fn production_sp(base: &str, acs_url: &str) -> Result<ServiceProvider, String> {
    let endpoints = match env("NALEZNOSCI_WK_ENV")?.as_str() {
        // The production issuer is unconfirmed (identity.md §6.1): it must be given.
        "production" => WkEndpoints::production(&env("NALEZNOSCI_WK_ISSUER")?),
        "integration" => WkEndpoints::integration(),
        other => return Err(format!("NALEZNOSCI_WK_ENV must be integration or production, not {other}")),
    };
    let entity_id = std::env::var("NALEZNOSCI_SP_ENTITY_ID").ok().filter(|v| !v.is_empty()).unwrap_or_else(|| format!("{base}/saml"));
    let certs = Certificate::all_from_pem(&read("NALEZNOSCI_WK_CERTS")?).map_err(|e| format!("NALEZNOSCI_WK_CERTS: {e}"))?;
    let key = |name: &str| -> Result<EcPrivateKey, String> { EcPrivateKey::from_pem(&read(name)?).map_err(|e| format!("{name}: {e}")) };
    let cert = |name: &str| -> Result<Certificate, String> { Certificate::from_pem(&read(name)?).map_err(|e| format!("{name}: {e}")) };
    let config = Config::builder(&entity_id, acs_url, "e-Należności", endpoints)
        .wk_certificates(certs)
        .signing_key(key("NALEZNOSCI_SP_SIGNING_KEY")?, Some(cert("NALEZNOSCI_SP_SIGNING_CERT")?))
        .encryption_key(key("NALEZNOSCI_SP_ENCRYPTION_KEY")?, Some(cert("NALEZNOSCI_SP_ENCRYPTION_CERT")?))
        .build()
        .map_err(|e| format!("login configuration: {e}"))?;
    ServiceProvider::new(config).map_err(|e| format!("login configuration: {e}"))
}

/// The demo's personas as the fake node offers them.
fn demo_personas() -> Result<Vec<fake_wk::Persona>, String> {
    let personas = demo::personas().map_err(|e| e.to_string())?;
    Ok(personas
        .into_iter()
        .map(|p| {
            let (first, last) = p.name.split_once(' ').map_or((p.name.clone(), String::new()), |(f, l)| (f.to_string(), l.to_string()));
            fake_wk::Persona {
                first_name: first,
                last_name: last,
                date_of_birth: p.pesel.birth_date(),
                pesel: p.pesel,
                loa: identity::LoA::Substantial,
                login: p.key.to_string(),
                authenticating_authority: "pz.gov.pl".into(),
            }
        })
        .collect())
}

fn cookie(state: &AppState, name: &'static str, value: String, path: &'static str, max_age: CookieDuration) -> Cookie<'static> {
    let secure_name = state.settings.public_url.starts_with("https://");
    let name: &'static str = match (secure_name, name) {
        (true, BINDING_COOKIE) => "__Secure-wk_login",
        (true, RETURN_COOKIE) => "__Secure-wk_return",
        _ => name,
    };
    // The artifact arrives by a cross-site POST from the node: SameSite=None (with Secure).
    Cookie::build(name, value).path(path).http_only(true).secure(true).same_site(SameSite::None).max_age(max_age).finish()
}

fn cookie_value(state: &AppState, req: &HttpRequest, name: &'static str) -> Option<String> {
    let prefixed = if state.settings.public_url.starts_with("https://") { format!("__Secure-{name}") } else { name.to_string() };
    req.cookie(&prefixed).map(|c| c.value().to_string())
}

#[derive(Debug, Deserialize)]
pub struct LoginQuery {
    pub return_to: Option<String>,
}

/// Starts a login: a signed AuthnRequest posted to the login node by a self-submitting form.
#[utoipa::path(get, path = "/auth/login", tag = "sessions", params(("return_to" = Option<String>, Query, description = "A local path to come back to")),
    responses((status = 200, content_type = "text/html", body = String), (status = 429, body = api_types::Problem)))]
#[get("/auth/login")]
pub async fn login(state: web::Data<AppState>, req: HttpRequest, query: web::Query<LoginQuery>) -> Result<HttpResponse, ApiError> {
    state.limiter.check(client_ip(&req), "login")?;
    let start = state.sp.start_login(None).await.map_err(|e| ApiError::Internal(format!("login start: {}", e.code())))?;
    let nonce = Uuid::new_v4().simple().to_string();
    let max_age = CookieDuration::seconds((start.expires_at - OffsetDateTime::now_utc()).whole_seconds().max(60));
    let form_origin = origin(&start.form.action);
    Ok(HttpResponse::Ok()
        .cookie(cookie(&state, BINDING_COOKIE, start.cookie_token.clone(), "/auth/acs", max_age))
        .cookie(cookie(&state, RETURN_COOKIE, safe_return_to(query.return_to.as_deref()), "/auth/acs", max_age))
        .insert_header(("Cache-Control", "no-store"))
        .insert_header(("Content-Security-Policy", format!("default-src 'none'; script-src 'nonce-{nonce}'; style-src 'unsafe-inline'; form-action {form_origin}; frame-ancestors 'none'")))
        .content_type("text/html; charset=utf-8")
        .body(start.form.to_html(Some(&nonce))))
}

fn origin(url: &str) -> String {
    let after_scheme = url.find("://").map_or(0, |i| i + 3);
    let end = url[after_scheme..].find('/').map_or(url.len(), |i| after_scheme + i);
    url[..end].to_string()
}

#[derive(Debug, Deserialize)]
pub struct AcsForm {
    #[serde(rename = "SAMLart", alias = "SAMLArt")]
    pub saml_art: String,
    #[serde(rename = "RelayState", default)]
    pub relay_state: String,
}

/// The login node's artifact: resolve, verify, decrypt, validate; then the user and the session.
#[utoipa::path(post, path = "/auth/acs", tag = "sessions",
    request_body(content = String, content_type = "application/x-www-form-urlencoded"),
    responses((status = 303, description = "Logged in: back to the SPA"), (status = 400, content_type = "text/html", body = String)))]
#[post("/auth/acs")]
pub async fn acs(state: web::Data<AppState>, req: HttpRequest, form: web::Form<AcsForm>) -> Result<HttpResponse, ApiError> {
    let binding = cookie_value(&state, &req, BINDING_COOKIE);
    let return_to = safe_return_to(cookie_value(&state, &req, RETURN_COOKIE).as_deref());
    let outcome = state
        .sp
        .complete_login(AcsRequest { saml_art: &form.saml_art, relay_state: &form.relay_state, cookie_token: binding.as_deref() })
        .await;
    let clear = |name| cookie(&state, name, String::new(), "/auth/acs", CookieDuration::ZERO);
    let outcome = match outcome {
        Ok(outcome) => outcome,
        Err(e) => {
            // The code says why (no personal data); the person sees a plain Polish page.
            tracing::warn!(code = e.code(), "login refused");
            audit(&state, None, "login.refused", "denied", serde_json::json!({ "code": e.code() })).await?;
            let (status, text) = if e.is_infrastructure() {
                (
                    actix_web::http::StatusCode::SERVICE_UNAVAILABLE,
                    "Węzeł Krajowy jest chwilowo niedostępny. Spróbuj ponownie za kilka minut.",
                )
            } else {
                (
                    actix_web::http::StatusCode::BAD_REQUEST,
                    "Nie udało się potwierdzić Twojej tożsamości. Odpowiedź z Węzła Krajowego została odrzucona.",
                )
            };
            return Ok(HttpResponse::build(status)
                .cookie(clear(BINDING_COOKIE))
                .cookie(clear(RETURN_COOKIE))
                .content_type("text/html; charset=utf-8")
                .body(error_page(text, e.code())));
        }
    };
    let user = user_for(&state, &outcome.identity).await?;
    let acr = match outcome.identity.loa {
        identity::LoA::High => "high",
        identity::LoA::Substantial => "substantial",
        identity::LoA::Low => "low",
    };
    let session = start_session(&state, user.id, Some(acr.into()), Some(&outcome.session)).await?;
    audit(&state, Some(user.id), "login", "allowed", serde_json::json!({ "acr": acr })).await?;
    Ok(HttpResponse::SeeOther()
        .cookie(clear(BINDING_COOKIE))
        .cookie(clear(RETURN_COOKIE))
        .cookie(session)
        .insert_header(("Location", return_to))
        .finish())
}

/// The portal user for a verified identity: found by PESEL, or created; on first login the user is
/// linked as owner to the taxpayer record with the same PESEL (no office visit needed).
async fn user_for(state: &AppState, identity: &VerifiedIdentity) -> Result<portal_user::Model, ApiError> {
    let pesel = identity.pesel.as_str();
    let now = OffsetDateTime::now_utc();
    let user = match state.store.user_by_pesel(pesel).await? {
        Some(user) => user,
        None => {
            state
                .store
                .insert_user(portal_user::Model {
                    id: Uuid::new_v4(),
                    pesel: Some(pesel.to_string()),
                    display_name: format!("{} {}", identity.first_name, identity.last_name),
                    roles: "resident".into(),
                    created_at: now,
                    last_login_at: None,
                })
                .await?
        }
    };
    if let Some(taxpayer) = state.store.taxpayer_by_pesel(pesel).await?
        && !state.store.all_links_of(user.id).await?.iter().any(|l| l.taxpayer_id == taxpayer.id)
    {
        state
            .store
            .insert_link(user_taxpayer_link::Model {
                id: Uuid::new_v4(),
                user_id: user.id,
                taxpayer_id: taxpayer.id,
                kind: "owner".into(),
                valid_from: state.today(),
                valid_to: None,
                granted_by: None,
                created_at: now,
            })
            .await?;
        state
            .store
            .audit(store::AuditEntry {
                actor_kind: "system",
                actor_id: None,
                action: "link.first_login_owner".into(),
                subject_kind: Some("user"),
                subject_id: Some(user.id.to_string()),
                taxpayer_id: Some(taxpayer.id),
                outcome: "allowed",
                details: None,
            })
            .await?;
    }
    Ok(user)
}

async fn audit(
    state: &AppState,
    user: Option<Uuid>,
    action: &str,
    outcome: &'static str,
    details: serde_json::Value,
) -> Result<(), ApiError> {
    state
        .store
        .audit(store::AuditEntry {
            actor_kind: if user.is_some() { "user" } else { "anonymous" },
            actor_id: user.map(|u| u.to_string()),
            action: action.into(),
            subject_kind: Some("session"),
            subject_id: None,
            taxpayer_id: None,
            outcome,
            details: Some(details),
        })
        .await?;
    Ok(())
}

fn error_page(text: &str, code: &str) -> String {
    format!(
        "<!DOCTYPE html><html lang=\"pl\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>Logowanie nie powiodło się — e-Należności</title></head><body><main><h1>Logowanie nie powiodło się</h1><p>{text}</p>\
         <p>Kod błędu: <code>{code}</code></p><p><a href=\"/auth/login\">Spróbuj ponownie</a> · <a href=\"/\">Strona główna</a></p></main></body></html>"
    )
}

/// The public keys that verify access tokens.
#[utoipa::path(get, path = "/.well-known/jwks.json", tag = "sessions", responses((status = 200, content_type = "application/json", body = String)))]
#[get("/.well-known/jwks.json")]
pub async fn jwks(state: web::Data<AppState>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/json")
        .insert_header(("Cache-Control", "public, max-age=300"))
        .body(state.tokens.jwks_json())
}
