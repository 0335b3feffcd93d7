//! Pending logins: the state between "send the AuthnRequest" and "the artifact came back",
//! bound to the browser by a random cookie value (identity.md §3 #17, §5.1).
//!
//! * [`PendingLogins::create`] makes a record and returns the AuthnRequest ID, the cookie token
//!   and the RelayState. Only the SHA-256 of the cookie token is stored.
//! * [`PendingLogins::take`] removes the record for a cookie token and returns it: each record
//!   can be taken once, whatever happens next. [`PendingLogin::expect_in_response_to`] then
//!   checks the `InResponseTo` of the answer against it.
//! * [`PendingLogins::consume`] does both at once for callers who already know `InResponseTo`.
//!
//! The cookie must be `HttpOnly; Secure; SameSite=None` because the artifact arrives by a
//! cross-site POST (identity.md §1.3), scoped to the ACS path, with `Max-Age` = the TTL.

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use time::{Duration, OffsetDateTime};

use crate::error::{LoginError, StoreError};
use crate::loa::LoA;
use crate::xml::{random_bytes, random_id};

/// A login waiting for the artifact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingLogin {
    /// ID of the AuthnRequest sent for it.
    pub request_id: String,
    /// RelayState sent with it.
    pub relay_state: String,
    /// LoA the operation needs.
    pub required_loa: LoA,
    /// When it was created.
    pub created_at: OffsetDateTime,
    /// When it stops being usable.
    pub expires_at: OffsetDateTime,
}

impl PendingLogin {
    /// Checks the `InResponseTo` of the login node's Response against this login's request.
    pub fn expect_in_response_to(&self, in_response_to: &str) -> Result<(), LoginError> {
        if bool::from(self.request_id.as_bytes().ct_eq(in_response_to.as_bytes())) {
            Ok(())
        } else {
            Err(LoginError::InResponseToMismatch { element: "Response" })
        }
    }

    /// Checks the RelayState the browser brought back.
    pub fn expect_relay_state(&self, relay_state: &str) -> Result<(), LoginError> {
        if bool::from(self.relay_state.as_bytes().ct_eq(relay_state.as_bytes())) { Ok(()) } else { Err(LoginError::RelayStateMismatch) }
    }
}

/// A freshly created pending login: put `cookie_token` in the binding cookie, send the
/// AuthnRequest with `request_id` and `relay_state`.
#[derive(Clone, PartialEq, Eq)]
pub struct NewPendingLogin {
    /// AuthnRequest ID (128 random bits).
    pub request_id: String,
    /// Secret value for the binding cookie (256 random bits, base64url).
    pub cookie_token: String,
    /// RelayState (128 random bits, hex; at most 80 bytes as the binding requires).
    pub relay_state: String,
    /// Expiry (use as the cookie's lifetime).
    pub expires_at: OffsetDateTime,
}

impl fmt::Debug for NewPendingLogin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NewPendingLogin")
            .field("request_id", &self.request_id)
            .field("cookie_token", &"<secret>")
            .field("expires_at", &self.expires_at)
            .finish_non_exhaustive()
    }
}

/// Storage of pending logins, keyed by the SHA-256 (hex) of the cookie token.
/// [`take`](PendingLoginStore::take) must be atomic: a record is returned to one caller only
/// (e.g. `DELETE … RETURNING`).
#[async_trait]
pub trait PendingLoginStore: Send + Sync + fmt::Debug {
    /// Stores a record.
    async fn insert(&self, key: &str, login: PendingLogin) -> Result<(), StoreError>;
    /// Removes and returns the record, if any.
    async fn take(&self, key: &str) -> Result<Option<PendingLogin>, StoreError>;
    /// Removes records that expired before `now`; returns how many.
    async fn purge_expired(&self, now: OffsetDateTime) -> Result<usize, StoreError>;
}

/// In-process store.
#[derive(Debug, Default)]
pub struct InMemoryPendingLoginStore {
    records: Mutex<HashMap<String, PendingLogin>>,
}

impl InMemoryPendingLoginStore {
    /// An empty store.
    pub fn new() -> InMemoryPendingLoginStore {
        InMemoryPendingLoginStore::default()
    }
}

#[async_trait]
impl PendingLoginStore for InMemoryPendingLoginStore {
    async fn insert(&self, key: &str, login: PendingLogin) -> Result<(), StoreError> {
        let mut records = self.records.lock().map_err(|_| StoreError("pending-login lock poisoned".into()))?;
        records.insert(key.to_owned(), login);
        Ok(())
    }

    async fn take(&self, key: &str) -> Result<Option<PendingLogin>, StoreError> {
        let mut records = self.records.lock().map_err(|_| StoreError("pending-login lock poisoned".into()))?;
        Ok(records.remove(key))
    }

    async fn purge_expired(&self, now: OffsetDateTime) -> Result<usize, StoreError> {
        let mut records = self.records.lock().map_err(|_| StoreError("pending-login lock poisoned".into()))?;
        let before = records.len();
        records.retain(|_, login| login.expires_at > now);
        Ok(before - records.len())
    }
}

/// The pending-login logic over a store.
#[derive(Debug, Clone)]
pub struct PendingLogins {
    store: Arc<dyn PendingLoginStore>,
    ttl: Duration,
}

/// SHA-256 hex of a cookie token: the store key.
pub fn cookie_token_key(cookie_token: &str) -> String {
    hex::encode(Sha256::digest(cookie_token.as_bytes()))
}

impl PendingLogins {
    /// Logic over `store` with records living `ttl`.
    pub fn new(store: Arc<dyn PendingLoginStore>, ttl: Duration) -> PendingLogins {
        PendingLogins { store, ttl }
    }

    /// Creates a pending login.
    pub async fn create(&self, required_loa: LoA, now: OffsetDateTime) -> Result<NewPendingLogin, LoginError> {
        let cookie_token = URL_SAFE_NO_PAD.encode(random_bytes::<32>());
        let login = PendingLogin {
            request_id: random_id(),
            relay_state: hex::encode(random_bytes::<16>()),
            required_loa,
            created_at: now,
            expires_at: now + self.ttl,
        };
        // Opportunistic clean-up keeps the in-memory store bounded.
        self.store.purge_expired(now).await?;
        self.store.insert(&cookie_token_key(&cookie_token), login.clone()).await?;
        Ok(NewPendingLogin { request_id: login.request_id, cookie_token, relay_state: login.relay_state, expires_at: login.expires_at })
    }

    /// Removes and returns the pending login bound to `cookie_token` (once).
    pub async fn take(&self, cookie_token: &str, now: OffsetDateTime) -> Result<PendingLogin, LoginError> {
        if cookie_token.is_empty() || cookie_token.len() > 128 {
            return Err(LoginError::PendingLoginNotFound);
        }
        let login = self.store.take(&cookie_token_key(cookie_token)).await?.ok_or(LoginError::PendingLoginNotFound)?;
        if now >= login.expires_at {
            return Err(LoginError::PendingLoginExpired);
        }
        Ok(login)
    }

    /// Takes the pending login bound to `cookie_token` and checks that `in_response_to` is its
    /// request ID — exactly once: a second call for the same cookie fails, and so does any call
    /// after a mismatch (the record is gone).
    pub async fn consume(&self, cookie_token: &str, in_response_to: &str, now: OffsetDateTime) -> Result<PendingLogin, LoginError> {
        let login = self.take(cookie_token, now).await?;
        login.expect_in_response_to(in_response_to)?;
        Ok(login)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn logins() -> PendingLogins {
        PendingLogins::new(Arc::new(InMemoryPendingLoginStore::new()), Duration::minutes(10))
    }

    #[tokio::test]
    async fn consume_works_exactly_once() {
        let logins = logins();
        let now = datetime!(2026-01-01 12:00 UTC);
        let new = logins.create(LoA::Substantial, now).await.unwrap();
        assert!(new.request_id.starts_with("ID-"));
        assert!(new.relay_state.len() <= 80);
        let got = logins.consume(&new.cookie_token, &new.request_id, now).await.unwrap();
        assert_eq!(got.request_id, new.request_id);
        assert_eq!(logins.consume(&new.cookie_token, &new.request_id, now).await.unwrap_err(), LoginError::PendingLoginNotFound);
    }

    #[tokio::test]
    async fn a_mismatch_burns_the_record_and_expiry_is_enforced() {
        let logins = logins();
        let now = datetime!(2026-01-01 12:00 UTC);
        let new = logins.create(LoA::Low, now).await.unwrap();
        assert_eq!(
            logins.consume(&new.cookie_token, "ID-other", now).await.unwrap_err(),
            LoginError::InResponseToMismatch { element: "Response" }
        );
        assert_eq!(logins.take(&new.cookie_token, now).await.unwrap_err(), LoginError::PendingLoginNotFound);
        let old = logins.create(LoA::Low, now).await.unwrap();
        assert_eq!(logins.take(&old.cookie_token, now + Duration::minutes(11)).await.unwrap_err(), LoginError::PendingLoginExpired);
        assert_eq!(logins.take("", now).await.unwrap_err(), LoginError::PendingLoginNotFound);
        assert!(!format!("{new:?}").contains(&new.cookie_token));
    }
}
