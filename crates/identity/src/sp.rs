//! The service provider: what the server's `/auth/login` and `/auth/acs` handlers call.
//!
//! ```text
//! GET /auth/login  → sp.start_login(None)      → set cookie(cookie_token), 200 form.to_html(nonce)
//! POST /auth/acs   → sp.complete_login(AcsRequest { SAMLart, RelayState, cookie })
//!                  → LoginOutcome { identity, session }  → map PESEL to the internal user,
//!                    issue access + refresh tokens, clear the cookie, 303 to the SPA
//! POST /auth/logout → revoke the refresh family, then optionally sp.logout(&session)
//! ```

use std::sync::Arc;

use time::OffsetDateTime;

use crate::artifact::{self, HttpSoapTransport, SoapTransport};
use crate::assertion::{VerifiedIdentity, WkSession};
use crate::authn::{self, PostForm};
use crate::clock::{Clock, SystemClock};
use crate::config::{Config, ConfigError};
use crate::error::LoginError;
use crate::loa::LoA;
use crate::logout;
use crate::pending::{InMemoryPendingLoginStore, PendingLoginStore, PendingLogins};
use crate::replay::{InMemoryReplayCache, ReplayCache, ReplayKind};
use crate::xml::random_id;

/// Result of [`ServiceProvider::start_login`].
#[derive(Clone)]
pub struct LoginStart {
    /// The auto-submitting form to the login node.
    pub form: PostForm,
    /// Value for the binding cookie (`HttpOnly; Secure; SameSite=None`, path = ACS,
    /// `Max-Age` until `expires_at`). Secret: never log it.
    pub cookie_token: String,
    /// ID of the AuthnRequest (safe to log).
    pub request_id: String,
    /// When the pending login expires.
    pub expires_at: OffsetDateTime,
}

impl std::fmt::Debug for LoginStart {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoginStart").field("request_id", &self.request_id).field("expires_at", &self.expires_at).finish_non_exhaustive()
    }
}

/// What the browser brought to the ACS.
#[derive(Debug, Clone, Copy)]
pub struct AcsRequest<'a> {
    /// Form field `SAMLart`.
    pub saml_art: &'a str,
    /// Form field `RelayState`.
    pub relay_state: &'a str,
    /// The binding cookie's value, if the browser sent it.
    pub cookie_token: Option<&'a str>,
}

/// A successful login.
#[derive(Debug, Clone)]
pub struct LoginOutcome {
    /// Who logged in.
    pub identity: VerifiedIdentity,
    /// Keep with the local session for single logout.
    pub session: WkSession,
}

/// The service provider for Węzeł Krajowy.
#[derive(Debug, Clone)]
pub struct ServiceProvider {
    config: Arc<Config>,
    clock: Arc<dyn Clock>,
    transport: Arc<dyn SoapTransport>,
    replay: Arc<dyn ReplayCache>,
    pending: PendingLogins,
}

impl ServiceProvider {
    /// A service provider with the system clock, the HTTPS SOAP transport of
    /// `config.http()` and in-memory pending-login and replay stores.
    pub fn new(config: Config) -> Result<ServiceProvider, ConfigError> {
        let transport = Arc::new(HttpSoapTransport::new(config.http())?);
        let pending = PendingLogins::new(Arc::new(InMemoryPendingLoginStore::new()), config.pending_login_ttl());
        Ok(ServiceProvider {
            config: Arc::new(config),
            clock: Arc::new(SystemClock),
            transport,
            replay: Arc::new(InMemoryReplayCache::new()),
            pending,
        })
    }

    /// Replaces the clock.
    pub fn with_clock(mut self, clock: Arc<dyn Clock>) -> ServiceProvider {
        self.clock = clock;
        self
    }

    /// Replaces the SOAP transport.
    pub fn with_transport(mut self, transport: Arc<dyn SoapTransport>) -> ServiceProvider {
        self.transport = transport;
        self
    }

    /// Replaces the replay cache (e.g. a DB-backed one shared by all server processes).
    pub fn with_replay_cache(mut self, replay: Arc<dyn ReplayCache>) -> ServiceProvider {
        self.replay = replay;
        self
    }

    /// Replaces the pending-login store (e.g. a DB-backed one).
    pub fn with_pending_store(mut self, store: Arc<dyn PendingLoginStore>) -> ServiceProvider {
        self.pending = PendingLogins::new(store, self.config.pending_login_ttl());
        self
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The pending-login logic (for callers that manage the flow themselves).
    pub fn pending_logins(&self) -> &PendingLogins {
        &self.pending
    }

    /// Creates a pending login and the signed AuthnRequest form for it. `required_loa`
    /// defaults to the configured LoA.
    pub async fn start_login(&self, required_loa: Option<LoA>) -> Result<LoginStart, LoginError> {
        let now = self.clock.now();
        let loa = required_loa.unwrap_or(self.config.default_loa());
        let new = self.pending.create(loa, now).await?;
        let request = authn::build_authn_request(&self.config, &new.request_id, now, loa)?;
        Ok(LoginStart {
            form: PostForm::new(&self.config.wk().sso_url, &request, &new.relay_state),
            cookie_token: new.cookie_token,
            request_id: new.request_id,
            expires_at: new.expires_at,
        })
    }

    /// Completes a login at the ACS: binds the artifact to this browser's pending login (used
    /// up whatever the outcome), refuses replayed artifacts, resolves the artifact over SOAP,
    /// verifies and decrypts the answer, validates the assertion and records the message IDs
    /// in the replay cache.
    pub async fn complete_login(&self, acs: AcsRequest<'_>) -> Result<LoginOutcome, LoginError> {
        artifact::check_artifact_syntax(acs.saml_art)?;
        artifact::check_relay_state_syntax(acs.relay_state)?;
        let now = self.clock.now();
        let cookie = acs.cookie_token.ok_or(LoginError::PendingLoginNotFound)?;
        let pending = self.pending.take(cookie, now).await?;
        pending.expect_relay_state(acs.relay_state)?;
        if !self.replay.check_and_record(ReplayKind::Artifact, acs.saml_art, now + self.config.artifact_ttl, now).await? {
            return Err(LoginError::ArtifactReplayed);
        }

        let resolve_id = random_id();
        let envelope = artifact::build_artifact_resolve(&self.config, &resolve_id, now, acs.saml_art)?;
        let answer = self.transport.post(&self.config.wk().artifact_resolution_url, envelope).await?;

        let now = self.clock.now();
        let resolved = artifact::verify_artifact_response(&self.config, &answer, &resolve_id, &pending, now)?;
        let until = resolved.valid_until;
        if !self.replay.check_and_record(ReplayKind::ArtifactResponse, &resolved.artifact_response_id, until, now).await?
            || !self.replay.check_and_record(ReplayKind::Response, &resolved.response_id, until, now).await?
        {
            return Err(LoginError::ResponseReplayed);
        }
        if !self.replay.check_and_record(ReplayKind::Assertion, &resolved.assertion_id, until, now).await? {
            return Err(LoginError::AssertionReplayed);
        }
        Ok(LoginOutcome { identity: resolved.identity, session: resolved.session })
    }

    /// SP-initiated single logout at the login node over SOAP.
    pub async fn logout(&self, session: &WkSession) -> Result<(), LoginError> {
        let now = self.clock.now();
        let request_id = random_id();
        let envelope = logout::build_logout_request(&self.config, &request_id, now, session)?;
        let answer = self.transport.post(&self.config.wk().slo_url, envelope).await?;
        logout::verify_logout_response(&self.config, &answer, &request_id, self.clock.now())
    }
}
