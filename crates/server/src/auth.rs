//! Bearer tokens: who is calling. Residents and staff carry user tokens (audience `naleznosci-spa`),
//! municipal applications client-credentials tokens (audience `naleznosci-api`). Both are ES256
//! JWTs (`typ: at+jwt`, `kid`, at most ten minutes) issued by `identity::jwt` with one key set,
//! published at `/.well-known/jwks.json`; the claims carry the internal user id, never a PESEL.

use std::future::{Ready, ready};

use actix_web::{FromRequest, HttpRequest, dev::Payload, web};
use identity::LoA;
use identity::jwt::{AccessTokenRequest, AccessTokens, JwtKeySet, JwtSettings, JwtSigningKey};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::app::AppState;
use crate::error::ApiError;

pub const USER_AUDIENCE: &str = "naleznosci-spa";
pub const CLIENT_AUDIENCE: &str = "naleznosci-api";
/// identity.md §4: 5–15 minutes; identity's default is five.
pub const ACCESS_TOKEN_SECONDS: u64 = 300;

/// The verified claims the server acts on.
#[derive(Debug, Clone)]
pub struct Claims {
    pub sub: String,
    pub aud: String,
    pub roles: Vec<String>,
}

/// Signs and verifies access tokens for both audiences with one key.
#[derive(Debug)]
pub struct Tokens {
    users: AccessTokens,
    clients: AccessTokens,
}

impl Tokens {
    /// A fresh P-256 key: tokens signed by it verify in this process only (tests).
    pub fn generate(issuer: &str) -> Result<Tokens, String> {
        Tokens::with_key(issuer, &identity::EcPrivateKey::generate())
    }

    /// The key every replica uses: the PEM file named by `NALEZNOSCI_JWT_KEY` (PKCS#8 P-256), or —
    /// unless `require_file` (production: the signing secret stays out of the database and its
    /// backups) — the key the first replica to start generated and stored in the database, so that
    /// a token issued by one replica verifies on all of them behind a load balancer.
    pub async fn shared(issuer: &str, store: &store::Store, require_file: bool) -> Result<Tokens, String> {
        if let Some(path) = std::env::var_os("NALEZNOSCI_JWT_KEY").filter(|p| !p.is_empty()) {
            let pem = std::fs::read_to_string(&path).map_err(|e| format!("NALEZNOSCI_JWT_KEY: {}: {e}", path.to_string_lossy()))?;
            let key = identity::EcPrivateKey::from_pem(&pem).map_err(|e| format!("NALEZNOSCI_JWT_KEY: {e}"))?;
            return Tokens::with_key(issuer, &key);
        }
        if require_file {
            return Err("the access-token key is not configured: set NALEZNOSCI_JWT_KEY to a PKCS#8 P-256 PEM file \
                        (openssl ecparam -name prime256v1 -genkey -noout | openssl pkcs8 -topk8 -nocrypt), the same for every replica"
                .into());
        }
        let candidate = identity::EcPrivateKey::generate();
        let kid = JwtSigningKey::thumbprint(&candidate).map_err(|e| e.to_string())?;
        let pem = candidate.to_pkcs8_pem().map_err(|e| e.to_string())?;
        let (_, stored) = store.shared_token_key("access", &kid, pem.as_str()).await.map_err(|e| e.to_string())?;
        let key = identity::EcPrivateKey::from_pem(&stored).map_err(|e| format!("stored token key: {e}"))?;
        Tokens::with_key(issuer, &key)
    }

    /// Both audiences with `key`, named by its RFC 7638 thumbprint.
    fn with_key(issuer: &str, key: &identity::EcPrivateKey) -> Result<Tokens, String> {
        let kid = JwtSigningKey::thumbprint(key).map_err(|e| e.to_string())?;
        let set = |audience: &str| -> Result<AccessTokens, String> {
            let signing = JwtSigningKey::from_private_key(&kid, key).map_err(|e| e.to_string())?;
            AccessTokens::new(JwtSettings::new(issuer, audience), JwtKeySet::new(signing)).map_err(|e| e.to_string())
        };
        Ok(Tokens { users: set(USER_AUDIENCE)?, clients: set(CLIENT_AUDIENCE)? })
    }

    /// A user token: subject = the internal user id, `acr` = the login's level of assurance.
    pub fn issue_user(&self, user_id: Uuid, roles: &[String], acr: LoA) -> Result<String, ApiError> {
        let subject = user_id.to_string();
        let request = AccessTokenRequest { subject: &subject, acr, roles, auth_time: None };
        self.users.issue(&request, OffsetDateTime::now_utc()).map(|t| t.token).map_err(|e| ApiError::Internal(format!("token: {e}")))
    }

    /// A client token: the scopes travel in the `roles` claim of the `naleznosci-api` audience.
    pub fn issue_client(&self, client_id: &str, scopes: &[String]) -> Result<String, ApiError> {
        let request = AccessTokenRequest { subject: client_id, acr: LoA::Low, roles: scopes, auth_time: None };
        self.clients.issue(&request, OffsetDateTime::now_utc()).map(|t| t.token).map_err(|e| ApiError::Internal(format!("token: {e}")))
    }

    /// Checks signature (ES256 only), type, expiry, not-before, issuer and audience.
    pub fn verify(&self, token: &str) -> Result<Claims, ApiError> {
        let now = OffsetDateTime::now_utc();
        self.users
            .verify(token, now)
            .or_else(|_| self.clients.verify(token, now))
            .map(|c| Claims { sub: c.sub, aud: c.aud, roles: c.roles })
            .map_err(|_| ApiError::Unauthorized)
    }

    /// The public keys as a JWKS document.
    pub fn jwks_json(&self) -> String {
        self.users.jwks_json()
    }
}

/// Who is calling, proven by a bearer token.
#[derive(Debug, Clone)]
pub enum Principal {
    User { id: Uuid, roles: Vec<String> },
    Client { client_id: String, scopes: Vec<String> },
}

impl Principal {
    pub fn has_role(&self, role: &str) -> bool {
        matches!(self, Principal::User { roles, .. } if roles.iter().any(|r| r == role))
    }

    pub fn has_scope(&self, scope: &str) -> bool {
        matches!(self, Principal::Client { scopes, .. } if scopes.iter().any(|s| s == scope))
    }

    /// For the audit log.
    pub fn actor(&self) -> (&'static str, String) {
        match self {
            Principal::User { id, .. } => ("user", id.to_string()),
            Principal::Client { client_id, .. } => ("api_client", client_id.clone()),
        }
    }

    pub fn user_id(&self) -> Option<Uuid> {
        match self {
            Principal::User { id, .. } => Some(*id),
            Principal::Client { .. } => None,
        }
    }
}

impl FromRequest for Principal {
    type Error = ApiError;
    type Future = Ready<Result<Principal, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(principal_of(req))
    }
}

fn principal_of(req: &HttpRequest) -> Result<Principal, ApiError> {
    let state = req.app_data::<web::Data<AppState>>().ok_or_else(|| ApiError::Internal("no app state".into()))?;
    let header = req.headers().get("Authorization").and_then(|h| h.to_str().ok()).ok_or(ApiError::Unauthorized)?;
    let token = header.strip_prefix("Bearer ").ok_or(ApiError::Unauthorized)?;
    let claims = state.tokens.verify(token.trim())?;
    match claims.aud.as_str() {
        USER_AUDIENCE => Ok(Principal::User { id: claims.sub.parse().map_err(|_| ApiError::Unauthorized)?, roles: claims.roles }),
        CLIENT_AUDIENCE => Ok(Principal::Client { client_id: claims.sub, scopes: claims.roles }),
        _ => Err(ApiError::Unauthorized),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_rejections() {
        let tokens = Tokens::generate("http://test").unwrap();
        let user = Uuid::new_v4();
        let token = tokens.issue_user(user, &["resident".to_string()], LoA::Substantial).unwrap();
        let claims = tokens.verify(&token).unwrap();
        assert_eq!((claims.sub, claims.aud.as_str(), claims.roles), (user.to_string(), USER_AUDIENCE, vec!["resident".to_string()]));
        let client = tokens.issue_client("bip", &["obligations:read".to_string()]).unwrap();
        assert_eq!(tokens.verify(&client).unwrap().aud, CLIENT_AUDIENCE);
        // Another key, even with a valid shape, does not verify.
        assert!(Tokens::generate("http://test").unwrap().verify(&token).is_err());
        // alg none.
        let none = format!("eyJhbGciOiJub25lIiwidHlwIjoiYXQrand0In0.{}.", token.split('.').nth(1).unwrap());
        assert!(tokens.verify(&none).is_err());
        assert!(tokens.jwks_json().contains("\"kty\":\"EC\""));
    }

    /// Replicas behind a load balancer: a token issued by one verifies on the other.
    #[tokio::test]
    async fn replicas_share_the_signing_key() {
        for backend in store::test_db::backends() {
            let (first, url) = store::test_db::fresh(backend).await.unwrap();
            let second = store::Store::connect(&url).await.unwrap();
            let one = Tokens::shared("http://test", &first, false).await.unwrap();
            let other = Tokens::shared("http://test", &second, false).await.unwrap();
            let token = one.issue_user(Uuid::new_v4(), &[], LoA::Substantial).unwrap();
            assert!(other.verify(&token).is_ok(), "{backend}");
            assert_eq!(one.jwks_json(), other.jwks_json());
            let _ = second.db().clone().close().await;
            let _ = first.db().clone().close().await;
            store::test_db::remove(&url).await.unwrap();
        }
    }

    /// Production keeps the signing secret out of the database: without the key file it does not start.
    #[tokio::test]
    async fn production_needs_the_key_file() {
        if std::env::var_os("NALEZNOSCI_JWT_KEY").is_some() {
            return;
        }
        let (store, url) = store::test_db::fresh("sqlite").await.unwrap();
        let error = Tokens::shared("http://test", &store, true).await.unwrap_err();
        assert!(error.contains("NALEZNOSCI_JWT_KEY"), "{error}");
        let _ = store.db().clone().close().await;
        store::test_db::remove(&url).await.unwrap();
    }
}
