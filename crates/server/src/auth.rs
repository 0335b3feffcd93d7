//! Bearer tokens: who is calling. Residents and staff carry user tokens (audience `spa`), municipal
//! applications client-credentials tokens (audience `api`). Both are ES256 JWTs of at most ten
//! minutes, signed with a key generated at start; the claims carry the internal user id, never a PESEL.

use std::future::{Ready, ready};

use actix_web::{FromRequest, HttpRequest, dev::Payload, web};
use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::signature::{ECDSA_P256_SHA256_FIXED_SIGNING, EcdsaKeyPair, KeyPair};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::app::AppState;
use crate::error::ApiError;

pub const USER_AUDIENCE: &str = "naleznosci-spa";
pub const CLIENT_AUDIENCE: &str = "naleznosci-api";
pub const ACCESS_TOKEN_SECONDS: u64 = 600;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Claims {
    pub sub: String,
    pub aud: String,
    pub iss: String,
    pub exp: u64,
    pub iat: u64,
    #[serde(default)]
    pub roles: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acr: Option<String>,
}

/// Signs and verifies access tokens.
pub struct Tokens {
    kid: String,
    issuer: String,
    encoding: EncodingKey,
    decoding: DecodingKey,
}

impl std::fmt::Debug for Tokens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tokens").field("kid", &self.kid).field("issuer", &self.issuer).finish_non_exhaustive()
    }
}

impl Tokens {
    /// A fresh P-256 key. Tokens signed before a restart stop verifying: sessions are short.
    pub fn generate(issuer: &str) -> Result<Tokens, String> {
        let rng = SystemRandom::new();
        let pkcs8 = EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, &rng).map_err(|e| format!("key generation: {e}"))?;
        let pair = EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, pkcs8.as_ref()).map_err(|e| format!("key: {e}"))?;
        let kid = hex::encode(&sha2_256(pair.public_key().as_ref())[..8]);
        Ok(Tokens {
            kid,
            issuer: issuer.to_string(),
            encoding: EncodingKey::from_ec_der(pkcs8.as_ref()),
            decoding: DecodingKey::from_ec_der(pair.public_key().as_ref()),
        })
    }

    pub fn issue(&self, sub: &str, audience: &str, roles: Vec<String>, scope: Option<String>) -> Result<String, ApiError> {
        let now = unix_now();
        let claims = Claims {
            sub: sub.into(),
            aud: audience.into(),
            iss: self.issuer.clone(),
            exp: now + ACCESS_TOKEN_SECONDS,
            iat: now,
            roles,
            scope,
            acr: None,
        };
        let mut header = Header::new(Algorithm::ES256);
        header.kid = Some(self.kid.clone());
        jsonwebtoken::encode(&header, &claims, &self.encoding).map_err(|e| ApiError::Internal(format!("token signing: {e}")))
    }

    /// Checks signature (ES256 only), expiry, issuer and audience.
    pub fn verify(&self, token: &str) -> Result<Claims, ApiError> {
        let header = jsonwebtoken::decode_header(token).map_err(|_| ApiError::Unauthorized)?;
        if header.alg != Algorithm::ES256 || header.kid.as_deref() != Some(self.kid.as_str()) {
            return Err(ApiError::Unauthorized);
        }
        let mut validation = Validation::new(Algorithm::ES256);
        validation.set_audience(&[USER_AUDIENCE, CLIENT_AUDIENCE]);
        validation.set_issuer(&[self.issuer.as_str()]);
        validation.leeway = 30;
        jsonwebtoken::decode::<Claims>(token, &self.decoding, &validation).map(|d| d.claims).map_err(|_| ApiError::Unauthorized)
    }
}

fn sha2_256(bytes: &[u8]) -> Vec<u8> {
    use sha2::Digest;
    sha2::Sha256::digest(bytes).to_vec()
}

pub fn unix_now() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0)
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
        CLIENT_AUDIENCE => Ok(Principal::Client {
            client_id: claims.sub,
            scopes: claims.scope.unwrap_or_default().split_whitespace().map(str::to_string).collect(),
        }),
        _ => Err(ApiError::Unauthorized),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_rejections() {
        let tokens = Tokens::generate("test").unwrap();
        let token = tokens.issue("6f1c0000-0000-4000-8000-000000000001", USER_AUDIENCE, vec!["resident".into()], None).unwrap();
        assert_eq!(tokens.verify(&token).unwrap().roles, vec!["resident"]);
        // Another key, even with a valid shape, does not verify.
        let other = Tokens::generate("test").unwrap();
        assert!(other.verify(&token).is_err());
        // Tampered payload.
        let mut parts: Vec<String> = token.split('.').map(str::to_string).collect();
        parts[1] = parts[1].chars().rev().collect();
        assert!(tokens.verify(&parts.join(".")).is_err());
        // alg none.
        let none = format!("{}.{}.", "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0", token.split('.').nth(1).unwrap());
        assert!(tokens.verify(&none).is_err());
        // Wrong audience.
        let wrong = tokens.issue("x", "elsewhere", vec![], None).unwrap();
        assert!(tokens.verify(&wrong).is_err());
    }
}
