//! Opaque, rotating refresh tokens with reuse detection (identity.md §4).
//!
//! A refresh token is 256 random bits (base64url). Only its SHA-256 is stored. Tokens belong to a
//! *family* started at login; every use rotates: the presented token is marked used and a new
//! one of the same family is returned. Presenting a token that was already used means it was
//! copied — the whole family is revoked (the thief's and the user's tokens alike). A family has
//! an absolute lifetime that rotation never extends, and each token an idle timeout.
//!
//! The SPA must serialise refreshes (single-flight): two concurrent refreshes with one token are
//! indistinguishable from theft and revoke the family. Send the token only as an
//! `HttpOnly; Secure; SameSite=Strict` cookie scoped to the refresh endpoint.

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};
use time::{Duration, OffsetDateTime};

use crate::error::StoreError;
use crate::xml::random_bytes;

/// A stored refresh token (hash only).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefreshTokenRecord {
    /// SHA-256 (hex) of the token.
    pub token_hash: String,
    /// Family (one per login).
    pub family_id: String,
    /// Internal user id.
    pub user_id: String,
    /// When this token was issued.
    pub issued_at: OffsetDateTime,
    /// Idle expiry of this token.
    pub expires_at: OffsetDateTime,
    /// Absolute expiry of the family.
    pub family_expires_at: OffsetDateTime,
    /// When it was used (rotated), if it was.
    pub used_at: Option<OffsetDateTime>,
}

/// Storage of refresh tokens. `mark_used` must be atomic (`UPDATE … SET used_at = $1 WHERE
/// token_hash = $2 AND used_at IS NULL`, then look at the row count).
#[async_trait]
pub trait RefreshTokenStore: Send + Sync + fmt::Debug {
    /// Stores a new token.
    async fn insert(&self, record: RefreshTokenRecord) -> Result<(), StoreError>;
    /// Finds a token by hash.
    async fn find(&self, token_hash: &str) -> Result<Option<RefreshTokenRecord>, StoreError>;
    /// Marks a token used; `false` if it already was.
    async fn mark_used(&self, token_hash: &str, at: OffsetDateTime) -> Result<bool, StoreError>;
    /// Revokes a family (all its tokens, present and future).
    async fn revoke_family(&self, family_id: &str, at: OffsetDateTime) -> Result<(), StoreError>;
    /// Whether a family is revoked.
    async fn is_family_revoked(&self, family_id: &str) -> Result<bool, StoreError>;
    /// Revokes every family of a user ("log out everywhere"); returns how many.
    async fn revoke_user(&self, user_id: &str, at: OffsetDateTime) -> Result<usize, StoreError>;
}

#[derive(Debug, Default)]
struct MemoryState {
    tokens: HashMap<String, RefreshTokenRecord>,
    revoked_families: HashMap<String, OffsetDateTime>,
}

/// In-process store (tests, demo).
#[derive(Debug, Default)]
pub struct InMemoryRefreshTokenStore {
    state: Mutex<MemoryState>,
}

impl InMemoryRefreshTokenStore {
    /// An empty store.
    pub fn new() -> InMemoryRefreshTokenStore {
        InMemoryRefreshTokenStore::default()
    }

    fn lock(&self) -> Result<std::sync::MutexGuard<'_, MemoryState>, StoreError> {
        self.state.lock().map_err(|_| StoreError("refresh-token lock poisoned".into()))
    }
}

#[async_trait]
impl RefreshTokenStore for InMemoryRefreshTokenStore {
    async fn insert(&self, record: RefreshTokenRecord) -> Result<(), StoreError> {
        self.lock()?.tokens.insert(record.token_hash.clone(), record);
        Ok(())
    }

    async fn find(&self, token_hash: &str) -> Result<Option<RefreshTokenRecord>, StoreError> {
        Ok(self.lock()?.tokens.get(token_hash).cloned())
    }

    async fn mark_used(&self, token_hash: &str, at: OffsetDateTime) -> Result<bool, StoreError> {
        let mut state = self.lock()?;
        match state.tokens.get_mut(token_hash) {
            Some(record) if record.used_at.is_none() => {
                record.used_at = Some(at);
                Ok(true)
            }
            _ => Ok(false),
        }
    }

    async fn revoke_family(&self, family_id: &str, at: OffsetDateTime) -> Result<(), StoreError> {
        self.lock()?.revoked_families.entry(family_id.to_owned()).or_insert(at);
        Ok(())
    }

    async fn is_family_revoked(&self, family_id: &str) -> Result<bool, StoreError> {
        Ok(self.lock()?.revoked_families.contains_key(family_id))
    }

    async fn revoke_user(&self, user_id: &str, at: OffsetDateTime) -> Result<usize, StoreError> {
        let mut state = self.lock()?;
        let families: std::collections::HashSet<String> =
            state.tokens.values().filter(|r| r.user_id == user_id).map(|r| r.family_id.clone()).collect();
        let mut newly = 0;
        for family in families {
            if let std::collections::hash_map::Entry::Vacant(entry) = state.revoked_families.entry(family) {
                entry.insert(at);
                newly += 1;
            }
        }
        Ok(newly)
    }
}

/// Lifetimes of refresh tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RefreshSettings {
    /// A token unused for this long expires (default 30 min).
    pub idle_timeout: Duration,
    /// A family ends this long after login, whatever the rotations (default 10 h: a working day).
    pub absolute_lifetime: Duration,
}

impl Default for RefreshSettings {
    fn default() -> Self {
        RefreshSettings { idle_timeout: Duration::minutes(30), absolute_lifetime: Duration::hours(10) }
    }
}

/// Why a refresh token was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RefreshError {
    /// Not a token we issued (or malformed).
    #[error("unknown refresh token")]
    Unknown,
    /// Idle timeout or absolute lifetime passed.
    #[error("refresh token expired")]
    Expired,
    /// The family was revoked (logout or earlier reuse).
    #[error("refresh token revoked")]
    Revoked,
    /// An already-rotated token was presented: the family has now been revoked.
    #[error("refresh token reuse detected; the session has been revoked")]
    ReuseDetected,
    /// Storage failure.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A refresh token to hand to the browser. `Debug` hides the secret.
#[derive(Clone, PartialEq, Eq)]
pub struct IssuedRefreshToken {
    /// The secret token (cookie value).
    pub token: String,
    /// Family id (safe to log).
    pub family_id: String,
    /// Idle expiry of this token (cookie `Max-Age`).
    pub expires_at: OffsetDateTime,
    /// Absolute end of the family.
    pub family_expires_at: OffsetDateTime,
}

impl fmt::Debug for IssuedRefreshToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("IssuedRefreshToken")
            .field("token", &"<secret>")
            .field("family_id", &self.family_id)
            .field("expires_at", &self.expires_at)
            .finish_non_exhaustive()
    }
}

/// Result of a rotation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RotatedRefreshToken {
    /// Whose token it is (issue the new access token for this user).
    pub user_id: String,
    /// The replacement token.
    pub token: IssuedRefreshToken,
}

/// The refresh-token logic over a store.
#[derive(Debug, Clone)]
pub struct RefreshTokens {
    store: Arc<dyn RefreshTokenStore>,
    settings: RefreshSettings,
}

/// SHA-256 (hex) of a token: what the store keeps.
pub fn refresh_token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

fn plausible(token: &str) -> bool {
    token.len() == 43 && token.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

impl RefreshTokens {
    /// Logic over `store`.
    pub fn new(store: Arc<dyn RefreshTokenStore>, settings: RefreshSettings) -> RefreshTokens {
        RefreshTokens { store, settings }
    }

    async fn mint(
        &self,
        user_id: &str,
        family_id: &str,
        family_expires_at: OffsetDateTime,
        now: OffsetDateTime,
    ) -> Result<IssuedRefreshToken, RefreshError> {
        let token = URL_SAFE_NO_PAD.encode(random_bytes::<32>());
        let expires_at = (now + self.settings.idle_timeout).min(family_expires_at);
        self.store
            .insert(RefreshTokenRecord {
                token_hash: refresh_token_hash(&token),
                family_id: family_id.to_owned(),
                user_id: user_id.to_owned(),
                issued_at: now,
                expires_at,
                family_expires_at,
                used_at: None,
            })
            .await?;
        Ok(IssuedRefreshToken { token, family_id: family_id.to_owned(), expires_at, family_expires_at })
    }

    /// Starts a family at login.
    pub async fn issue(&self, user_id: &str, now: OffsetDateTime) -> Result<IssuedRefreshToken, RefreshError> {
        let family_id = hex::encode(random_bytes::<16>());
        self.mint(user_id, &family_id, now + self.settings.absolute_lifetime, now).await
    }

    /// Uses `presented`: returns a replacement, or refuses (revoking the family on reuse).
    pub async fn rotate(&self, presented: &str, now: OffsetDateTime) -> Result<RotatedRefreshToken, RefreshError> {
        if !plausible(presented) {
            return Err(RefreshError::Unknown);
        }
        let hash = refresh_token_hash(presented);
        let record = self.store.find(&hash).await?.ok_or(RefreshError::Unknown)?;
        if self.store.is_family_revoked(&record.family_id).await? {
            return Err(RefreshError::Revoked);
        }
        if record.used_at.is_some() {
            self.store.revoke_family(&record.family_id, now).await?;
            return Err(RefreshError::ReuseDetected);
        }
        if now >= record.expires_at || now >= record.family_expires_at {
            return Err(RefreshError::Expired);
        }
        if !self.store.mark_used(&hash, now).await? {
            // Lost a race with another use of the same token: treat as reuse.
            self.store.revoke_family(&record.family_id, now).await?;
            return Err(RefreshError::ReuseDetected);
        }
        let token = self.mint(&record.user_id, &record.family_id, record.family_expires_at, now).await?;
        if self.store.is_family_revoked(&record.family_id).await? {
            return Err(RefreshError::Revoked);
        }
        Ok(RotatedRefreshToken { user_id: record.user_id, token })
    }

    /// Logout: revokes the family of `presented` (unknown tokens are ignored).
    pub async fn revoke(&self, presented: &str, now: OffsetDateTime) -> Result<(), RefreshError> {
        if !plausible(presented) {
            return Ok(());
        }
        if let Some(record) = self.store.find(&refresh_token_hash(presented)).await? {
            self.store.revoke_family(&record.family_id, now).await?;
        }
        Ok(())
    }

    /// Revokes every family of a user.
    pub async fn revoke_all_for_user(&self, user_id: &str, now: OffsetDateTime) -> Result<usize, RefreshError> {
        Ok(self.store.revoke_user(user_id, now).await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    const NOW: OffsetDateTime = datetime!(2026-03-01 10:00 UTC);

    fn tokens() -> (RefreshTokens, Arc<InMemoryRefreshTokenStore>) {
        let store = Arc::new(InMemoryRefreshTokenStore::new());
        (RefreshTokens::new(store.clone(), RefreshSettings::default()), store)
    }

    #[tokio::test]
    async fn rotation_returns_a_new_token_and_stores_only_hashes() {
        let (tokens, store) = tokens();
        let first = tokens.issue("user-1", NOW).await.unwrap();
        let second = tokens.rotate(&first.token, NOW + Duration::minutes(5)).await.unwrap();
        assert_eq!(second.user_id, "user-1");
        assert_ne!(second.token.token, first.token);
        assert_eq!(second.token.family_id, first.family_id);
        let third = tokens.rotate(&second.token.token, NOW + Duration::minutes(10)).await.unwrap();
        assert_eq!(third.token.family_expires_at, first.family_expires_at, "rotation never extends the family");
        let state = store.state.lock().unwrap();
        assert!(state.tokens.keys().all(|k| k.len() == 64));
        assert!(!state.tokens.contains_key(&first.token));
        assert!(!format!("{first:?}").contains(&first.token));
    }

    #[tokio::test]
    async fn reuse_of_an_old_token_revokes_the_whole_family() {
        let (tokens, _) = tokens();
        let first = tokens.issue("user-1", NOW).await.unwrap();
        let second = tokens.rotate(&first.token, NOW).await.unwrap();
        // the thief replays the old token
        assert_eq!(tokens.rotate(&first.token, NOW).await.unwrap_err(), RefreshError::ReuseDetected);
        // the legitimate newest token is dead too
        assert_eq!(tokens.rotate(&second.token.token, NOW).await.unwrap_err(), RefreshError::Revoked);
        // another family of the same user is unaffected
        let other = tokens.issue("user-1", NOW).await.unwrap();
        assert!(tokens.rotate(&other.token, NOW).await.is_ok());
    }

    #[tokio::test]
    async fn expiry_logout_and_unknown_tokens() {
        let (tokens, _) = tokens();
        let first = tokens.issue("user-1", NOW).await.unwrap();
        assert_eq!(tokens.rotate(&first.token, NOW + Duration::minutes(31)).await.unwrap_err(), RefreshError::Expired);
        let mut token = tokens.issue("user-1", NOW).await.unwrap();
        let mut at = NOW;
        let mut expired_at = None;
        while at < NOW + Duration::hours(12) {
            at += Duration::minutes(29);
            match tokens.rotate(&token.token, at).await {
                Ok(next) => token = next.token,
                Err(e) => {
                    assert_eq!(e, RefreshError::Expired);
                    expired_at = Some(at);
                    break;
                }
            }
        }
        let expired_at = expired_at.expect("the family must end");
        assert!(
            expired_at >= NOW + Duration::hours(10) - Duration::minutes(30)
                && expired_at <= NOW + Duration::hours(10) + Duration::minutes(29)
        );
        let live = tokens.issue("user-2", NOW).await.unwrap();
        tokens.revoke(&live.token, NOW).await.unwrap();
        assert_eq!(tokens.rotate(&live.token, NOW).await.unwrap_err(), RefreshError::Revoked);
        assert_eq!(tokens.rotate("not-a-token", NOW).await.unwrap_err(), RefreshError::Unknown);
        assert_eq!(tokens.rotate(&URL_SAFE_NO_PAD.encode([7u8; 32]), NOW).await.unwrap_err(), RefreshError::Unknown);
        let a = tokens.issue("user-3", NOW).await.unwrap();
        let _b = tokens.issue("user-3", NOW).await.unwrap();
        assert_eq!(tokens.revoke_all_for_user("user-3", NOW).await.unwrap(), 2);
        assert_eq!(tokens.rotate(&a.token, NOW).await.unwrap_err(), RefreshError::Revoked);
    }
}
