//! The login state shared by every replica: pending logins (between the AuthnRequest and the
//! artifact), the replay cache of SAML identifiers (identity.md §3 #16–17), and the access-token
//! signing key. A login started on one replica finishes on another, a replayed artifact is refused
//! by all of them, and a token issued by one verifies on every other.

use sea_orm::prelude::*;
use sea_orm::{ActiveValue::Set, TryInsertResult};
use time::OffsetDateTime;

use crate::entities::{pending_login, saml_replay, token_key};
use crate::{Store, StoreError};

impl Store {
    /// Stores a pending login under `key` (the SHA-256 of its cookie token). Expired ones are
    /// dropped by [`Store::purge_pending_logins`], which identity calls before each new login.
    pub async fn insert_pending_login(&self, key: &str, login: String, expires_at: OffsetDateTime) -> Result<(), StoreError> {
        pending_login::ActiveModel { key: Set(key.into()), login: Set(login), expires_at: Set(expires_at) }.insert(self.db()).await?;
        Ok(())
    }

    /// Removes and returns a pending login: of two requests racing for it, one gets it.
    pub async fn take_pending_login(&self, key: &str) -> Result<Option<String>, StoreError> {
        let Some(row) = pending_login::Entity::find_by_id(key.to_owned()).one(self.db()).await? else { return Ok(None) };
        let deleted = pending_login::Entity::delete_many().filter(pending_login::Column::Key.eq(key)).exec(self.db()).await?;
        Ok((deleted.rows_affected == 1).then_some(row.login))
    }

    /// Removes pending logins that expired before `now`; returns how many.
    pub async fn purge_pending_logins(&self, now: OffsetDateTime) -> Result<u64, StoreError> {
        let deleted = pending_login::Entity::delete_many().filter(pending_login::Column::ExpiresAt.lt(now)).exec(self.db()).await?;
        Ok(deleted.rows_affected)
    }

    /// Records a SAML identifier (`kind`, a digest of the id) until `expires_at`. `true`: first seen
    /// (or seen before only with an expiry before `now`); `false`: a replay. Atomic by the primary
    /// key: of two concurrent requests with the same id, one inserts and the other sees a conflict.
    pub async fn record_saml_id(&self, kind: &str, id: &str, expires_at: OffsetDateTime, now: OffsetDateTime) -> Result<bool, StoreError> {
        saml_replay::Entity::delete_many().filter(saml_replay::Column::ExpiresAt.lte(now)).exec(self.db()).await?;
        let inserted = saml_replay::Entity::insert(saml_replay::ActiveModel {
            kind: Set(kind.into()),
            id: Set(id.into()),
            expires_at: Set(expires_at),
        })
        .on_conflict_do_nothing_on([saml_replay::Column::Kind, saml_replay::Column::Id])
        .exec_without_returning(self.db())
        .await?;
        Ok(matches!(inserted, TryInsertResult::Inserted(n) if n > 0))
    }
}

impl Store {
    /// The shared signing key called `name`: the stored one, or — when none is stored yet — the
    /// candidate, which is stored. Replicas starting together all end with the same key (the
    /// primary key lets one insert win). Returns `(kid, private key PEM)`.
    pub async fn shared_token_key(&self, name: &str, candidate_kid: &str, candidate_pem: &str) -> Result<(String, String), StoreError> {
        token_key::Entity::insert(token_key::ActiveModel {
            name: Set(name.into()),
            kid: Set(candidate_kid.into()),
            private_key_pem: Set(candidate_pem.into()),
            created_at: Set(OffsetDateTime::now_utc()),
        })
        .on_conflict_do_nothing_on([token_key::Column::Name])
        .exec_without_returning(self.db())
        .await?;
        let stored = token_key::Entity::find_by_id(name.to_owned())
            .one(self.db())
            .await?
            .ok_or_else(|| StoreError::Corrupt(format!("token key {name} vanished")))?;
        Ok((stored.kid, stored.private_key_pem))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests fail by panicking")]

    use time::{Duration, OffsetDateTime};

    use crate::test_db;

    #[tokio::test]
    async fn a_pending_login_is_taken_once_and_an_id_is_recorded_once() {
        for backend in test_db::backends() {
            let (store, url) = test_db::fresh(backend).await.unwrap();
            let now = OffsetDateTime::now_utc();
            store.insert_pending_login("old", "{}".into(), now - Duration::minutes(1)).await.unwrap();
            store.insert_pending_login("k1", "{\"a\":1}".into(), now + Duration::minutes(10)).await.unwrap();
            assert_eq!(store.purge_pending_logins(now).await.unwrap(), 1, "{backend}: the expired one");
            assert_eq!(store.take_pending_login("old").await.unwrap(), None, "{backend}: purged");
            assert_eq!(store.take_pending_login("k1").await.unwrap().as_deref(), Some("{\"a\":1}"));
            assert_eq!(store.take_pending_login("k1").await.unwrap(), None, "{backend}: taken once");

            let until = now + Duration::minutes(30);
            assert!(store.record_saml_id("artifact", "a", until, now).await.unwrap());
            assert!(!store.record_saml_id("artifact", "a", until, now).await.unwrap(), "{backend}: replay");
            assert!(store.record_saml_id("assertion", "a", until, now).await.unwrap(), "{backend}: kinds are apart");
            let later = until + Duration::seconds(1);
            assert!(store.record_saml_id("artifact", "a", later + Duration::minutes(30), later).await.unwrap(), "{backend}: expired");
            let first = store.shared_token_key("access", "k1", "PEM-1").await.unwrap();
            assert_eq!(first, ("k1".to_string(), "PEM-1".to_string()));
            assert_eq!(store.shared_token_key("access", "k2", "PEM-2").await.unwrap(), first, "{backend}: the first key stays");
            let _ = store.db().clone().close().await;
            test_db::remove(&url).await.unwrap();
        }
    }
}
