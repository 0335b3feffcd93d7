//! identity's pending-login store and replay cache on the portal's database, so that several
//! replicas behind a load balancer share them: a login started on one replica finishes on another,
//! and an artifact, response or assertion replayed to any replica is refused.

use async_trait::async_trait;
use identity::pending::{PendingLogin, PendingLoginStore};
use identity::replay::{ReplayCache, ReplayKind};
use identity::{LoA, StoreError};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use store::Store;
use time::OffsetDateTime;

/// Pending logins in the `pending_login` table.
#[derive(Debug, Clone)]
pub struct DbPendingLogins(pub Store);

/// The replay cache in the `saml_replay` table (SHA-256 of each identifier: fixed-size keys).
#[derive(Debug, Clone)]
pub struct DbReplayCache(pub Store);

/// A pending login as stored (JSON).
#[derive(Serialize, Deserialize)]
struct StoredLogin {
    request_id: String,
    relay_state: String,
    /// The LoA's URI.
    required_loa: String,
    created_at: i64,
    expires_at: i64,
}

fn failed(e: impl std::fmt::Display) -> StoreError {
    StoreError(e.to_string())
}

fn instant(unix: i64) -> Result<OffsetDateTime, StoreError> {
    OffsetDateTime::from_unix_timestamp(unix).map_err(failed)
}

#[async_trait]
impl PendingLoginStore for DbPendingLogins {
    async fn insert(&self, key: &str, login: PendingLogin) -> Result<(), StoreError> {
        let stored = StoredLogin {
            request_id: login.request_id,
            relay_state: login.relay_state,
            required_loa: login.required_loa.uri().to_owned(),
            created_at: login.created_at.unix_timestamp(),
            expires_at: login.expires_at.unix_timestamp(),
        };
        let json = serde_json::to_string(&stored).map_err(failed)?;
        self.0.insert_pending_login(key, json, login.expires_at).await.map_err(failed)
    }

    async fn take(&self, key: &str) -> Result<Option<PendingLogin>, StoreError> {
        let Some(json) = self.0.take_pending_login(key).await.map_err(failed)? else { return Ok(None) };
        let stored: StoredLogin = serde_json::from_str(&json).map_err(failed)?;
        Ok(Some(PendingLogin {
            request_id: stored.request_id,
            relay_state: stored.relay_state,
            required_loa: LoA::from_uri(&stored.required_loa).ok_or_else(|| failed("stored pending login: unknown LoA"))?,
            created_at: instant(stored.created_at)?,
            expires_at: instant(stored.expires_at)?,
        }))
    }

    async fn purge_expired(&self, now: OffsetDateTime) -> Result<usize, StoreError> {
        let purged = self.0.purge_pending_logins(now).await.map_err(failed)?;
        Ok(usize::try_from(purged).unwrap_or(usize::MAX))
    }
}

#[async_trait]
impl ReplayCache for DbReplayCache {
    async fn check_and_record(
        &self,
        kind: ReplayKind,
        id: &str,
        expires_at: OffsetDateTime,
        now: OffsetDateTime,
    ) -> Result<bool, StoreError> {
        let digest = hex::encode(Sha256::digest(id.as_bytes()));
        self.0.record_saml_id(kind.as_str(), &digest, expires_at, now).await.map_err(failed)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests fail by panicking")]

    use identity::LoA;
    use identity::pending::{PendingLogin, PendingLoginStore};
    use identity::replay::{ReplayCache, ReplayKind};
    use time::{Duration, OffsetDateTime};

    use super::{DbPendingLogins, DbReplayCache};

    /// Two replicas are two connection pools on one database: what one records, the other sees.
    #[tokio::test]
    async fn replicas_share_pending_logins_and_the_replay_cache() {
        for backend in store::test_db::backends() {
            let (first, url) = store::test_db::fresh(backend).await.unwrap();
            let second = store::Store::connect(&url).await.unwrap();
            let now = OffsetDateTime::from_unix_timestamp(OffsetDateTime::now_utc().unix_timestamp()).unwrap();
            let login = PendingLogin {
                request_id: "_a1b2".into(),
                relay_state: "c3d4".into(),
                required_loa: LoA::High,
                created_at: now,
                expires_at: now + Duration::minutes(10),
            };
            DbPendingLogins(first.clone()).insert("cookie-hash", login.clone()).await.unwrap();
            assert_eq!(DbPendingLogins(second.clone()).take("cookie-hash").await.unwrap(), Some(login), "{backend}");
            assert_eq!(DbPendingLogins(first.clone()).take("cookie-hash").await.unwrap(), None, "{backend}: taken once");

            let until = now + Duration::minutes(30);
            let artifact = "AAQAAMh48/1oXIM+sDo7Dh2qMp1HM4IF5DaRNmDj6RdUmllwn9jJHyEgIi8=";
            assert!(DbReplayCache(first.clone()).check_and_record(ReplayKind::Artifact, artifact, until, now).await.unwrap());
            assert!(
                !DbReplayCache(second.clone()).check_and_record(ReplayKind::Artifact, artifact, until, now).await.unwrap(),
                "{backend}"
            );
            let _ = second.db().clone().close().await;
            let _ = first.db().clone().close().await;
            store::test_db::remove(&url).await.unwrap();
        }
    }
}
