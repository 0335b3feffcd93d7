//! Replay cache for artifacts and message IDs (identity.md §3 #16): samael has none.

use std::collections::HashMap;
use std::fmt;
use std::sync::Mutex;

use async_trait::async_trait;
use time::OffsetDateTime;

use crate::error::StoreError;

/// What kind of identifier is remembered (each kind has its own namespace).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReplayKind {
    /// A `SAMLart` value.
    Artifact,
    /// `ArtifactResponse/@ID`.
    ArtifactResponse,
    /// `Response/@ID`.
    Response,
    /// `Assertion/@ID`.
    Assertion,
}

impl ReplayKind {
    /// Stable name (e.g. a column value in a DB-backed cache).
    pub fn as_str(self) -> &'static str {
        match self {
            ReplayKind::Artifact => "artifact",
            ReplayKind::ArtifactResponse => "artifact_response",
            ReplayKind::Response => "response",
            ReplayKind::Assertion => "assertion",
        }
    }
}

/// Remembers identifiers until they expire. Implementations must make
/// [`check_and_record`](ReplayCache::check_and_record) atomic (e.g. `INSERT … ON CONFLICT DO
/// NOTHING` and look at the row count), so two concurrent requests cannot both see "new".
#[async_trait]
pub trait ReplayCache: Send + Sync + fmt::Debug {
    /// Records `id` of `kind` until `expires_at`. Returns `true` if it was not seen before (or
    /// only with an expiry before `now`), `false` if this is a replay.
    async fn check_and_record(
        &self,
        kind: ReplayKind,
        id: &str,
        expires_at: OffsetDateTime,
        now: OffsetDateTime,
    ) -> Result<bool, StoreError>;
}

/// In-process replay cache; expired entries are purged on insert. Suitable for one server
/// process (tests, demo); use a shared store when running several.
#[derive(Debug, Default)]
pub struct InMemoryReplayCache {
    entries: Mutex<HashMap<(ReplayKind, String), OffsetDateTime>>,
}

impl InMemoryReplayCache {
    /// An empty cache.
    pub fn new() -> InMemoryReplayCache {
        InMemoryReplayCache::default()
    }

    /// Number of remembered identifiers (including expired ones not yet purged).
    pub fn len(&self) -> usize {
        self.entries.lock().map(|e| e.len()).unwrap_or(0)
    }

    /// Whether nothing is remembered.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[async_trait]
impl ReplayCache for InMemoryReplayCache {
    async fn check_and_record(
        &self,
        kind: ReplayKind,
        id: &str,
        expires_at: OffsetDateTime,
        now: OffsetDateTime,
    ) -> Result<bool, StoreError> {
        let mut entries = self.entries.lock().map_err(|_| StoreError("replay cache lock poisoned".into()))?;
        entries.retain(|_, until| *until > now);
        match entries.get(&(kind, id.to_owned())) {
            Some(_) => Ok(false),
            None => {
                entries.insert((kind, id.to_owned()), expires_at);
                Ok(true)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::Duration;
    use time::macros::datetime;

    #[tokio::test]
    async fn second_sighting_is_a_replay_until_expiry() {
        let cache = InMemoryReplayCache::new();
        let now = datetime!(2026-01-01 12:00 UTC);
        let until = now + Duration::minutes(5);
        assert!(cache.check_and_record(ReplayKind::Response, "ID-1", until, now).await.unwrap());
        assert!(!cache.check_and_record(ReplayKind::Response, "ID-1", until, now).await.unwrap());
        assert!(cache.check_and_record(ReplayKind::Assertion, "ID-1", until, now).await.unwrap(), "kinds are separate");
        let later = now + Duration::minutes(6);
        assert!(cache.check_and_record(ReplayKind::Response, "ID-1", later + Duration::minutes(5), later).await.unwrap());
    }
}
