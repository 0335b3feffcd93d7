//! Access tokens for the SPA (identity.md §4): ES256 JWTs of at most 10 minutes, `kid` in every
//! header, `typ: at+jwt`, claims `iss`, `aud`, `sub` (the internal user id — never a PESEL),
//! `exp`, `iat`, `nbf`, `jti`, `acr` (eIDAS LoA), `roles`, optional `auth_time`.
//!
//! Verification reads the header itself before any cryptography: only `alg: ES256` passes (so
//! `none`, `HS256` keyed with our public key, RS/PS/EdDSA all fail with
//! [`JwtError::AlgorithmNotAllowed`]), `typ` must be `at+jwt`, `crit` is refused, `kid` must name
//! a key of the set (`jku`/`jwk`/`x5u` are never used to find keys). Then jsonwebtoken checks
//! the signature, `iss` and `aud`; time claims are checked here against the injected clock.

use std::fmt;
use std::sync::{Arc, RwLock};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use p256::elliptic_curve::sec1::ToEncodedPoint;
use serde::{Deserialize, Serialize};
use time::{Duration, OffsetDateTime};

use crate::error::protocol_value;
use crate::keys::EcPrivateKey;
use crate::loa::LoA;
use crate::xml::random_bytes;

/// The only signature algorithm issued and accepted.
pub const JWT_ALGORITHM: &str = "ES256";
/// The `typ` header of access tokens (RFC 9068).
pub const ACCESS_TOKEN_TYPE: &str = "at+jwt";
/// Longest access-token lifetime allowed.
pub const MAX_ACCESS_TOKEN_TTL: Duration = Duration::minutes(10);
/// How many retired keys stay in the verification set after rotations.
pub const MAX_PREVIOUS_KEYS: usize = 2;
const MAX_TOKEN_BYTES: usize = 8 * 1024;

/// Why an access token was not issued or not accepted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JwtError {
    /// Not three base64url parts of JSON, or too long, or claims of the wrong shape.
    #[error("malformed token")]
    Malformed,
    /// `alg` is not ES256 (includes `none` and HMAC algorithms).
    #[error("algorithm {alg:?} is not accepted")]
    AlgorithmNotAllowed {
        /// The `alg` found.
        alg: String,
    },
    /// `typ` is not `at+jwt`.
    #[error("token type is not at+jwt")]
    WrongType,
    /// The header has a `crit` parameter.
    #[error("critical header parameters are not supported")]
    CriticalHeader,
    /// No `kid` in the header.
    #[error("token header has no kid")]
    MissingKeyId,
    /// `kid` names no key of the set.
    #[error("unknown key id")]
    UnknownKeyId,
    /// The signature does not verify with the key named by `kid`.
    #[error("invalid token signature")]
    SignatureInvalid,
    /// `aud` is not ours.
    #[error("wrong audience")]
    WrongAudience,
    /// `iss` is not ours.
    #[error("wrong issuer")]
    WrongIssuer,
    /// A required claim is missing.
    #[error("missing claim {0}")]
    MissingClaim(String),
    /// `exp` has passed.
    #[error("token expired")]
    Expired,
    /// `nbf` is in the future.
    #[error("token not yet valid")]
    NotYetValid,
    /// `iat` is in the future.
    #[error("token issued in the future")]
    IssuedInFuture,
    /// `exp - iat` exceeds the maximum lifetime.
    #[error("token lifetime exceeds the maximum")]
    LifetimeTooLong,
    /// Refused to put an 11-digit (PESEL-like) subject in a token.
    #[error("the subject looks like a PESEL; use the internal user id")]
    SubjectLooksLikePesel,
    /// Settings out of range.
    #[error("invalid JWT settings: {0}")]
    InvalidSettings(&'static str),
    /// Key handling failed.
    #[error("key error: {0}")]
    Key(String),
}

/// Issuer, audience and lifetimes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JwtSettings {
    /// `iss` (e.g. the API's public URL).
    pub issuer: String,
    /// `aud` (e.g. `naleznosci-spa`).
    pub audience: String,
    /// Access-token lifetime (default 5 min, at most 10 min).
    pub ttl: Duration,
    /// Clock leeway for `exp`/`nbf`/`iat` (default 30 s, at most 60 s).
    pub leeway: Duration,
}

impl JwtSettings {
    /// Settings with a 5-minute lifetime and 30 s leeway.
    pub fn new(issuer: &str, audience: &str) -> JwtSettings {
        JwtSettings { issuer: issuer.to_owned(), audience: audience.to_owned(), ttl: Duration::minutes(5), leeway: Duration::seconds(30) }
    }
}

/// One ES256 key with its `kid`.
pub struct JwtSigningKey {
    kid: String,
    encoding: EncodingKey,
    decoding: DecodingKey,
    x: String,
    y: String,
}

impl fmt::Debug for JwtSigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JwtSigningKey").field("kid", &self.kid).finish_non_exhaustive()
    }
}

impl JwtSigningKey {
    /// A fresh random key.
    pub fn generate(kid: &str) -> Result<JwtSigningKey, JwtError> {
        JwtSigningKey::from_private_key(kid, &EcPrivateKey::generate())
    }

    /// The RFC 7638 JWK thumbprint of the key's public part (base64url of the SHA-256 of
    /// `{"crv":"P-256","kty":"EC","x":…,"y":…}`): a kid that every holder of the key derives alike.
    pub fn thumbprint(key: &EcPrivateKey) -> Result<String, JwtError> {
        use sha2::{Digest, Sha256};
        let point = key.public_key().to_encoded_point(false);
        let (Some(x), Some(y)) = (point.x(), point.y()) else {
            return Err(JwtError::Key("public key has no affine coordinates".into()));
        };
        let canonical = format!(r#"{{"crv":"P-256","kty":"EC","x":"{}","y":"{}"}}"#, URL_SAFE_NO_PAD.encode(x), URL_SAFE_NO_PAD.encode(y));
        Ok(URL_SAFE_NO_PAD.encode(Sha256::digest(canonical.as_bytes())))
    }

    /// A key from a P-256 private key (e.g. loaded from a PEM file).
    pub fn from_private_key(kid: &str, key: &EcPrivateKey) -> Result<JwtSigningKey, JwtError> {
        if kid.is_empty() || kid.len() > 64 || !kid.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.')) {
            return Err(JwtError::InvalidSettings("kid must be 1-64 characters of [A-Za-z0-9._-]"));
        }
        let der = key.to_pkcs8_der().map_err(|e| JwtError::Key(e.to_string()))?;
        let point = key.public_key().to_encoded_point(false);
        let (Some(x), Some(y)) = (point.x(), point.y()) else {
            return Err(JwtError::Key("public key has no affine coordinates".into()));
        };
        let x = URL_SAFE_NO_PAD.encode(x);
        let y = URL_SAFE_NO_PAD.encode(y);
        let decoding = DecodingKey::from_ec_components(&x, &y).map_err(|e| JwtError::Key(e.to_string()))?;
        Ok(JwtSigningKey { kid: kid.to_owned(), encoding: EncodingKey::from_ec_der(&der), decoding, x, y })
    }

    /// The key id.
    pub fn kid(&self) -> &str {
        &self.kid
    }

    fn jwk(&self) -> serde_json::Value {
        serde_json::json!({ "kty": "EC", "crv": "P-256", "x": self.x, "y": self.y, "kid": self.kid, "use": "sig", "alg": JWT_ALGORITHM })
    }
}

/// The signing key and the keys that still verify (after rotation).
#[derive(Debug, Clone)]
pub struct JwtKeySet {
    current: Arc<JwtSigningKey>,
    previous: Vec<Arc<JwtSigningKey>>,
}

impl JwtKeySet {
    /// A set with one key.
    pub fn new(current: JwtSigningKey) -> JwtKeySet {
        JwtKeySet { current: Arc::new(current), previous: Vec::new() }
    }

    /// Makes `next` the signing key; the old one keeps verifying (at most
    /// [`MAX_PREVIOUS_KEYS`] old keys are kept, oldest dropped first). Retire an old key when
    /// the longest token lifetime plus leeway has passed since the rotation.
    pub fn rotate(&mut self, next: JwtSigningKey) -> Result<(), JwtError> {
        if self.find(next.kid()).is_some() {
            return Err(JwtError::InvalidSettings("kid already in the key set"));
        }
        let old = std::mem::replace(&mut self.current, Arc::new(next));
        self.previous.insert(0, old);
        self.previous.truncate(MAX_PREVIOUS_KEYS);
        Ok(())
    }

    /// Removes a previous key from the verification set; returns whether it was there.
    pub fn retire(&mut self, kid: &str) -> bool {
        let before = self.previous.len();
        self.previous.retain(|k| k.kid() != kid);
        before != self.previous.len()
    }

    /// `kid` of the signing key.
    pub fn current_kid(&self) -> &str {
        self.current.kid()
    }

    /// All `kid`s that verify, current first.
    pub fn kids(&self) -> Vec<&str> {
        std::iter::once(self.current.kid()).chain(self.previous.iter().map(|k| k.kid())).collect()
    }

    fn find(&self, kid: &str) -> Option<&Arc<JwtSigningKey>> {
        std::iter::once(&self.current).chain(self.previous.iter()).find(|k| k.kid() == kid)
    }

    /// The JWKS document (RFC 7517) of all verifying keys.
    pub fn jwks(&self) -> serde_json::Value {
        let keys: Vec<serde_json::Value> = std::iter::once(&self.current).chain(self.previous.iter()).map(|k| k.jwk()).collect();
        serde_json::json!({ "keys": keys })
    }
}

/// The claims of an access token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessClaims {
    /// Issuer.
    pub iss: String,
    /// Audience.
    pub aud: String,
    /// Internal user id.
    pub sub: String,
    /// Expiry (Unix seconds).
    pub exp: i64,
    /// Issued at (Unix seconds).
    pub iat: i64,
    /// Not before (Unix seconds).
    pub nbf: i64,
    /// Token id (128 random bits, hex) for deny-lists.
    pub jti: String,
    /// eIDAS level of assurance of the login.
    pub acr: LoA,
    /// Roles of the user.
    #[serde(default)]
    pub roles: Vec<String>,
    /// When the user authenticated at the login node (Unix seconds).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auth_time: Option<i64>,
}

/// What to put in a new access token.
#[derive(Debug, Clone)]
pub struct AccessTokenRequest<'a> {
    /// Internal user id (never the PESEL).
    pub subject: &'a str,
    /// LoA of the login.
    pub acr: LoA,
    /// Roles.
    pub roles: &'a [String],
    /// Authentication instant at the login node.
    pub auth_time: Option<OffsetDateTime>,
}

/// A freshly issued token.
#[derive(Clone)]
pub struct IssuedAccessToken {
    /// The compact JWT.
    pub token: String,
    /// `jti`.
    pub jti: String,
    /// Expiry.
    pub expires_at: OffsetDateTime,
}

impl fmt::Debug for IssuedAccessToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("IssuedAccessToken").field("jti", &self.jti).field("expires_at", &self.expires_at).finish_non_exhaustive()
    }
}

/// Issues and verifies access tokens with a rotating key set.
#[derive(Debug)]
pub struct AccessTokens {
    settings: JwtSettings,
    keys: RwLock<JwtKeySet>,
}

impl AccessTokens {
    /// Checks the settings (`ttl` 1 s–10 min, `leeway` 0–60 s, non-empty issuer and audience).
    pub fn new(settings: JwtSettings, keys: JwtKeySet) -> Result<AccessTokens, JwtError> {
        if settings.issuer.is_empty() || settings.audience.is_empty() {
            return Err(JwtError::InvalidSettings("issuer and audience must not be empty"));
        }
        if settings.ttl <= Duration::ZERO || settings.ttl > MAX_ACCESS_TOKEN_TTL {
            return Err(JwtError::InvalidSettings("ttl must be at most 10 minutes"));
        }
        if settings.leeway < Duration::ZERO || settings.leeway > Duration::seconds(60) {
            return Err(JwtError::InvalidSettings("leeway must be at most 60 seconds"));
        }
        Ok(AccessTokens { settings, keys: RwLock::new(keys) })
    }

    /// The settings.
    pub fn settings(&self) -> &JwtSettings {
        &self.settings
    }

    fn read_keys(&self) -> JwtKeySet {
        match self.keys.read() {
            Ok(keys) => keys.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// Rotates to `next` (see [`JwtKeySet::rotate`]).
    pub fn rotate(&self, next: JwtSigningKey) -> Result<(), JwtError> {
        match self.keys.write() {
            Ok(mut keys) => keys.rotate(next),
            Err(poisoned) => poisoned.into_inner().rotate(next),
        }
    }

    /// Retires an old key.
    pub fn retire(&self, kid: &str) -> bool {
        match self.keys.write() {
            Ok(mut keys) => keys.retire(kid),
            Err(poisoned) => poisoned.into_inner().retire(kid),
        }
    }

    /// The JWKS document as JSON text (serve at e.g. `/.well-known/jwks.json` if other
    /// services verify tokens).
    pub fn jwks_json(&self) -> String {
        self.read_keys().jwks().to_string()
    }

    /// Issues a token for `request` at `now`.
    pub fn issue(&self, request: &AccessTokenRequest<'_>, now: OffsetDateTime) -> Result<IssuedAccessToken, JwtError> {
        let subject = request.subject;
        if subject.is_empty() {
            return Err(JwtError::MissingClaim("sub".into()));
        }
        if subject.len() == 11 && subject.bytes().all(|b| b.is_ascii_digit()) {
            return Err(JwtError::SubjectLooksLikePesel);
        }
        let keys = self.read_keys();
        let expires_at = now + self.settings.ttl;
        let claims = AccessClaims {
            iss: self.settings.issuer.clone(),
            aud: self.settings.audience.clone(),
            sub: subject.to_owned(),
            exp: expires_at.unix_timestamp(),
            iat: now.unix_timestamp(),
            nbf: now.unix_timestamp(),
            jti: hex::encode(random_bytes::<16>()),
            acr: request.acr,
            roles: request.roles.to_vec(),
            auth_time: request.auth_time.map(OffsetDateTime::unix_timestamp),
        };
        let mut header = Header::new(Algorithm::ES256);
        header.typ = Some(ACCESS_TOKEN_TYPE.to_owned());
        header.kid = Some(keys.current.kid().to_owned());
        let token = jsonwebtoken::encode(&header, &claims, &keys.current.encoding).map_err(|e| JwtError::Key(e.to_string()))?;
        Ok(IssuedAccessToken { token, jti: claims.jti, expires_at })
    }

    /// Verifies `token` at `now`; see the module documentation for the checks.
    pub fn verify(&self, token: &str, now: OffsetDateTime) -> Result<AccessClaims, JwtError> {
        if token.len() > MAX_TOKEN_BYTES {
            return Err(JwtError::Malformed);
        }
        let mut parts = token.split('.');
        let (Some(header_b64), Some(_), Some(_), None) = (parts.next(), parts.next(), parts.next(), parts.next()) else {
            return Err(JwtError::Malformed);
        };
        let header_json = URL_SAFE_NO_PAD.decode(header_b64).map_err(|_| JwtError::Malformed)?;
        let header: serde_json::Map<String, serde_json::Value> = serde_json::from_slice(&header_json).map_err(|_| JwtError::Malformed)?;
        match header.get("alg").and_then(serde_json::Value::as_str) {
            Some(JWT_ALGORITHM) => {}
            other => return Err(JwtError::AlgorithmNotAllowed { alg: protocol_value(other.unwrap_or("(none)")) }),
        }
        if !header.get("typ").and_then(serde_json::Value::as_str).is_some_and(|t| t.eq_ignore_ascii_case(ACCESS_TOKEN_TYPE)) {
            return Err(JwtError::WrongType);
        }
        if header.contains_key("crit") {
            return Err(JwtError::CriticalHeader);
        }
        let kid = header.get("kid").and_then(serde_json::Value::as_str).ok_or(JwtError::MissingKeyId)?;
        let keys = self.read_keys();
        let key = keys.find(kid).ok_or(JwtError::UnknownKeyId)?;

        let mut validation = Validation::new(Algorithm::ES256);
        validation.validate_exp = false; // checked below against the injected clock
        validation.validate_nbf = false;
        validation.leeway = 0;
        validation.set_issuer(&[&self.settings.issuer]);
        validation.set_audience(&[&self.settings.audience]);
        validation.set_required_spec_claims(&["exp", "iat", "nbf", "iss", "aud", "sub"]);
        let data = jsonwebtoken::decode::<AccessClaims>(token, &key.decoding, &validation).map_err(|e| match e.kind() {
            ErrorKind::InvalidSignature => JwtError::SignatureInvalid,
            ErrorKind::InvalidAudience => JwtError::WrongAudience,
            ErrorKind::InvalidIssuer => JwtError::WrongIssuer,
            ErrorKind::MissingRequiredClaim(claim) => JwtError::MissingClaim(claim.clone()),
            ErrorKind::InvalidAlgorithm => JwtError::AlgorithmNotAllowed { alg: "(mismatch)".into() },
            _ => JwtError::Malformed,
        })?;
        let claims = data.claims;
        let now_s = now.unix_timestamp();
        let leeway = self.settings.leeway.whole_seconds();
        if now_s >= claims.exp.saturating_add(leeway) {
            return Err(JwtError::Expired);
        }
        if now_s.saturating_add(leeway) < claims.nbf {
            return Err(JwtError::NotYetValid);
        }
        if now_s.saturating_add(leeway) < claims.iat {
            return Err(JwtError::IssuedInFuture);
        }
        if claims.exp.saturating_sub(claims.iat) > MAX_ACCESS_TOKEN_TTL.whole_seconds() {
            return Err(JwtError::LifetimeTooLong);
        }
        Ok(claims)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    const NOW: OffsetDateTime = datetime!(2026-03-01 10:00 UTC);

    fn tokens() -> AccessTokens {
        let keys = JwtKeySet::new(JwtSigningKey::generate("k1").unwrap());
        AccessTokens::new(JwtSettings::new("https://api.naleznosci.test", "naleznosci-spa"), keys).unwrap()
    }

    fn request(roles: &[String]) -> AccessTokenRequest<'_> {
        AccessTokenRequest { subject: "0b6a3c52-7d7e-4c9b-9a53-0c1f4f3b7b10", acr: LoA::Substantial, roles, auth_time: Some(NOW) }
    }

    fn encode_with(header: &Header, claims: &AccessClaims, key: &EncodingKey) -> String {
        jsonwebtoken::encode(header, claims, key).unwrap()
    }

    #[test]
    fn round_trip_and_claims() {
        let tokens = tokens();
        let roles = vec!["resident".to_owned()];
        let issued = tokens.issue(&request(&roles), NOW).unwrap();
        let claims = tokens.verify(&issued.token, NOW + Duration::minutes(1)).unwrap();
        assert_eq!(claims.sub, "0b6a3c52-7d7e-4c9b-9a53-0c1f4f3b7b10");
        assert_eq!(claims.acr, LoA::Substantial);
        assert_eq!(claims.roles, roles);
        assert_eq!(claims.exp - claims.iat, 300);
        let header = jsonwebtoken::decode_header(&issued.token).unwrap();
        assert_eq!(header.kid.as_deref(), Some("k1"));
        assert_eq!(header.typ.as_deref(), Some("at+jwt"));
        let payload = URL_SAFE_NO_PAD.decode(issued.token.split('.').nth(1).unwrap()).unwrap();
        let json: serde_json::Value = serde_json::from_slice(&payload).unwrap();
        assert_eq!(json["acr"], "http://eidas.europa.eu/LoA/substantial");
    }

    #[test]
    fn pesel_subjects_and_long_lifetimes_are_refused() {
        let tokens = tokens();
        let req = AccessTokenRequest { subject: "87022243734", ..request(&[]) };
        assert_eq!(tokens.issue(&req, NOW).unwrap_err(), JwtError::SubjectLooksLikePesel);
        let keys = JwtKeySet::new(JwtSigningKey::generate("k").unwrap());
        let settings = JwtSettings { ttl: Duration::minutes(11), ..JwtSettings::new("i", "a") };
        assert!(matches!(AccessTokens::new(settings, keys), Err(JwtError::InvalidSettings(_))));
    }

    #[test]
    fn jwks_lists_current_and_previous_keys_and_rotation_keeps_old_tokens_valid() {
        let tokens = tokens();
        let old = tokens.issue(&request(&[]), NOW).unwrap();
        tokens.rotate(JwtSigningKey::generate("k2").unwrap()).unwrap();
        let new = tokens.issue(&request(&[]), NOW).unwrap();
        assert_eq!(jsonwebtoken::decode_header(&new.token).unwrap().kid.as_deref(), Some("k2"));
        assert!(tokens.verify(&old.token, NOW).is_ok());
        let jwks: serde_json::Value = serde_json::from_str(&tokens.jwks_json()).unwrap();
        let kids: Vec<&str> = jwks["keys"].as_array().unwrap().iter().map(|k| k["kid"].as_str().unwrap()).collect();
        assert_eq!(kids, ["k2", "k1"]);
        assert_eq!(jwks["keys"][0]["kty"], "EC");
        assert_eq!(jwks["keys"][0]["crv"], "P-256");
        assert!(jwks["keys"][0].get("d").is_none(), "no private part in the JWKS");
        // a JWK from the document verifies the token
        let jwk: jsonwebtoken::jwk::Jwk = serde_json::from_value(jwks["keys"][0].clone()).unwrap();
        let key = DecodingKey::from_jwk(&jwk).unwrap();
        let mut validation = Validation::new(Algorithm::ES256);
        validation.validate_exp = false;
        validation.set_audience(&["naleznosci-spa"]);
        assert!(jsonwebtoken::decode::<AccessClaims>(&new.token, &key, &validation).is_ok());
        assert!(tokens.retire("k1"));
        assert_eq!(tokens.verify(&old.token, NOW).unwrap_err(), JwtError::UnknownKeyId);
    }

    /// The attack list of the brief, counted.
    #[test]
    fn jwt_attacks_are_all_rejected() {
        let tokens = tokens();
        let good = tokens.issue(&request(&[]), NOW).unwrap();
        let claims = tokens.verify(&good.token, NOW).unwrap();
        let (h, p, _) = {
            let mut it = good.token.split('.');
            (it.next().unwrap().to_owned(), it.next().unwrap().to_owned(), it.next().unwrap().to_owned())
        };
        let jwks: serde_json::Value = serde_json::from_str(&tokens.jwks_json()).unwrap();
        let public_jwk_text = jwks["keys"][0].to_string();

        let b64 = |v: serde_json::Value| URL_SAFE_NO_PAD.encode(v.to_string());
        let mut cases: Vec<(&str, String, JwtError)> = Vec::new();

        // alg none, unsigned
        let none_header = b64(serde_json::json!({"alg":"none","typ":"at+jwt","kid":"k1"}));
        cases.push(("alg none", format!("{none_header}.{p}."), JwtError::AlgorithmNotAllowed { alg: "none".into() }));
        // HS256 keyed with the public key (JWK text and raw coordinates)
        for secret in [public_jwk_text.as_bytes().to_vec(), URL_SAFE_NO_PAD.decode(jwks["keys"][0]["x"].as_str().unwrap()).unwrap()] {
            let mut header = Header::new(Algorithm::HS256);
            header.typ = Some("at+jwt".into());
            header.kid = Some("k1".into());
            let forged = encode_with(&header, &claims, &EncodingKey::from_secret(&secret).unwrap());
            cases.push(("HS256 with public key", forged, JwtError::AlgorithmNotAllowed { alg: "HS256".into() }));
        }
        // wrong key, same kid
        let attacker = JwtSigningKey::generate("k1").unwrap();
        let mut header = Header::new(Algorithm::ES256);
        header.typ = Some("at+jwt".into());
        header.kid = Some("k1".into());
        cases.push(("wrong key", encode_with(&header, &claims, &attacker.encoding), JwtError::SignatureInvalid));
        // unknown kid
        let mut unknown = header.clone();
        unknown.kid = Some("k9".into());
        cases.push(("unknown kid", encode_with(&unknown, &claims, &attacker.encoding), JwtError::UnknownKeyId));
        // missing kid
        let mut no_kid = header.clone();
        no_kid.kid = None;
        cases.push(("missing kid", encode_with(&no_kid, &claims, &attacker.encoding), JwtError::MissingKeyId));
        // wrong typ (e.g. an ID token or a plain JWT)
        let mut plain = header.clone();
        plain.typ = Some("JWT".into());
        cases.push(("wrong typ", encode_with(&plain, &claims, &attacker.encoding), JwtError::WrongType));
        // tampered payload (role escalation) keeps the genuine signature
        let mut escalated = claims.clone();
        escalated.roles = vec!["admin".into()];
        let forged_payload = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&escalated).unwrap());
        let sig = good.token.rsplit('.').next().unwrap();
        cases.push(("tampered payload", format!("{h}.{forged_payload}.{sig}"), JwtError::SignatureInvalid));
        // genuine tokens used wrongly
        cases.push(("expired", good.token.clone(), JwtError::Expired));
        let other_aud = AccessTokens::new(JwtSettings::new("https://api.naleznosci.test", "other-app"), tokens.read_keys()).unwrap();
        let other_iss = AccessTokens::new(JwtSettings::new("https://evil.test", "naleznosci-spa"), tokens.read_keys()).unwrap();
        let future = tokens.issue(&request(&[]), NOW + Duration::hours(1)).unwrap();
        cases.push(("not yet valid", future.token, JwtError::NotYetValid));
        // truncated / garbage
        cases.push(("garbage", "abc.def".into(), JwtError::Malformed));

        let mut tried = 0;
        let mut accepted = 0;
        for (name, token, expected) in &cases {
            tried += 1;
            let at = if *name == "expired" { NOW + Duration::minutes(6) } else { NOW };
            match tokens.verify(token, at) {
                Ok(_) => {
                    accepted += 1;
                    eprintln!("ACCEPTED: {name}");
                }
                Err(e) => assert_eq!(&e, expected, "{name}"),
            }
        }
        tried += 2;
        assert_eq!(other_aud.verify(&good.token, NOW).unwrap_err(), JwtError::WrongAudience);
        assert_eq!(other_iss.verify(&good.token, NOW).unwrap_err(), JwtError::WrongIssuer);
        eprintln!("JWT attack cases tried: {tried}, accepted: {accepted}");
        assert_eq!(accepted, 0);
        assert_eq!(tried, 13);
    }

    /// RFC 7638 thumbprint of a throw-away test key, as Python's `cryptography` computes it.
    #[test]
    fn thumbprint_follows_rfc_7638() {
        let pem = "-----BEGIN PRIVATE KEY-----\n\
                   MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgcvzBjLR4yMYuApDv\n\
                   nd3NBMkrGCB+nIXnw9mOraiC3QahRANCAARDABOhA+CjmlwwHLNyhhqYVpzQg5vD\n\
                   4VWeUiJcNi2p3NWAud6cPAmIpwDmHp17TlNOp1swTN5gppnIY46n1JC9\n\
                   -----END PRIVATE KEY-----\n";
        let key = EcPrivateKey::from_pem(pem).unwrap();
        assert_eq!(JwtSigningKey::thumbprint(&key).unwrap(), "f3fAIC4nWEwOW_kTpR0GUStOnPaQ1MkzCxp0BHRxSZE");
    }
}
