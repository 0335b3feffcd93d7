//! Configuration of the service provider.
//!
//! Built only through [`ConfigBuilder`], whose [`build`](ConfigBuilder::build) is the production
//! constructor: it refuses to produce a `Config` without at least one pinned certificate of the
//! login node, without our signing and decryption keys, with a non-P-256 key anywhere, with one
//! key used for both purposes, or with a plain-HTTP endpoint. The only relaxation,
//! [`build_for_local_fake`](ConfigBuilder::build_for_local_fake), allows `http://` URLs for a
//! fake login node on this machine — nothing else.

use std::fmt;

use time::Duration;

use crate::keys::{Certificate, EcPrivateKey};
use crate::loa::LoA;

/// Why a configuration was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConfigError {
    /// No certificate of the login node: signatures could not be verified (samael would fail open).
    #[error("at least one pinned signing certificate of the login node is required")]
    MissingWkCertificates,
    /// A pinned certificate does not hold an EC P-256 key.
    #[error("pinned login-node certificate {subject:?} does not hold an EC P-256 key")]
    WkCertificateNotP256 {
        /// Subject of the offending certificate.
        subject: String,
    },
    /// Our signing key is missing.
    #[error("the service provider's signing key is required")]
    MissingSigningKey,
    /// Our decryption key is missing.
    #[error("the service provider's encryption (decryption) key is required")]
    MissingEncryptionKey,
    /// The same key pair was given for signing and encryption (identity.md §1.4: two pairs).
    #[error("signing and encryption must use two different key pairs")]
    SameKeyForSigningAndEncryption,
    /// A certificate given with one of our keys does not belong to it.
    #[error("the {0} certificate does not match the {0} key")]
    CertificateKeyMismatch(&'static str),
    /// A required text setting is empty.
    #[error("{0} must not be empty")]
    Empty(&'static str),
    /// A URL is not absolute `https://` (or `http://` for the local fake).
    #[error("{name} must be an absolute https:// URL")]
    InsecureUrl {
        /// Which setting.
        name: &'static str,
    },
    /// A duration setting is out of its allowed range.
    #[error("{name} must be between {min} and {max}")]
    OutOfRange {
        /// Which setting.
        name: &'static str,
        /// Lower bound.
        min: &'static str,
        /// Upper bound.
        max: &'static str,
    },
    /// The HTTP client could not be built.
    #[error("HTTP client: {0}")]
    HttpClient(String),
}

/// The three endpoints and the entity ID of a Węzeł Krajowy environment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WkEndpoints {
    /// The node's entity ID (the `Issuer` of its messages), e.g. `int.login.gov.pl`.
    pub entity_id: String,
    /// `…/login/SingleSignOnService` (AuthnRequest, HTTP-POST).
    pub sso_url: String,
    /// `…/login-services/idpArtifactResolutionService` (SOAP).
    pub artifact_resolution_url: String,
    /// `…/login-services/singleLogoutService` (SOAP).
    pub slo_url: String,
}

impl WkEndpoints {
    /// Path of the SSO endpoint on every WK host.
    pub const SSO_PATH: &'static str = "/login/SingleSignOnService";
    /// Path of the artifact resolution endpoint.
    pub const ARTIFACT_RESOLUTION_PATH: &'static str = "/login-services/idpArtifactResolutionService";
    /// Path of the single logout endpoint.
    pub const SLO_PATH: &'static str = "/login-services/singleLogoutService";

    /// The standard paths under `base_url` (e.g. `https://int.login.gov.pl`, no trailing slash
    /// needed). The entity ID is not derivable from the host for production (identity.md §6),
    /// so it is always given explicitly.
    pub fn for_base_url(base_url: &str, entity_id: &str) -> WkEndpoints {
        let base = base_url.trim_end_matches('/');
        WkEndpoints {
            entity_id: entity_id.to_owned(),
            sso_url: format!("{base}{}", Self::SSO_PATH),
            artifact_resolution_url: format!("{base}{}", Self::ARTIFACT_RESOLUTION_PATH),
            slo_url: format!("{base}{}", Self::SLO_PATH),
        }
    }

    /// The simulator, `https://symulator.login.gov.pl`.
    pub fn simulator(entity_id: &str) -> WkEndpoints {
        WkEndpoints::for_base_url("https://symulator.login.gov.pl", entity_id)
    }

    /// The integration environment, `https://int.login.gov.pl` (issuer seen: `int.login.gov.pl`).
    pub fn integration() -> WkEndpoints {
        WkEndpoints::for_base_url("https://int.login.gov.pl", "int.login.gov.pl")
    }

    /// Production, `https://login.gov.pl`; the production issuer is unconfirmed (identity.md §6.1),
    /// so it must be given.
    pub fn production(entity_id: &str) -> WkEndpoints {
        WkEndpoints::for_base_url("https://login.gov.pl", entity_id)
    }
}

/// Limits of the SOAP back channel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpPolicy {
    /// Whole-request timeout.
    pub timeout: std::time::Duration,
    /// TCP/TLS connect timeout.
    pub connect_timeout: std::time::Duration,
    /// Largest SOAP answer read, in bytes.
    pub max_response_bytes: usize,
    /// Whether `http://` endpoints are allowed (only for the local fake).
    pub allow_plain_http: bool,
}

impl Default for HttpPolicy {
    fn default() -> Self {
        HttpPolicy {
            timeout: std::time::Duration::from_secs(15),
            connect_timeout: std::time::Duration::from_secs(5),
            max_response_bytes: 256 * 1024,
            allow_plain_http: false,
        }
    }
}

/// A checked configuration of the service provider. `Debug` shows no key material.
#[derive(Clone)]
pub struct Config {
    pub(crate) sp_entity_id: String,
    pub(crate) acs_url: String,
    pub(crate) provider_name: String,
    pub(crate) wk: WkEndpoints,
    pub(crate) wk_certificates: Vec<Certificate>,
    pub(crate) signing_key: EcPrivateKey,
    pub(crate) signing_certificate: Option<Certificate>,
    pub(crate) encryption_key: EcPrivateKey,
    pub(crate) encryption_certificate: Option<Certificate>,
    pub(crate) default_loa: LoA,
    pub(crate) clock_skew: Duration,
    pub(crate) max_message_age: Duration,
    pub(crate) pending_login_ttl: Duration,
    pub(crate) artifact_ttl: Duration,
    pub(crate) http: HttpPolicy,
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("sp_entity_id", &self.sp_entity_id)
            .field("acs_url", &self.acs_url)
            .field("provider_name", &self.provider_name)
            .field("wk", &self.wk)
            .field("wk_certificates", &self.wk_certificates)
            .field("default_loa", &self.default_loa)
            .field("clock_skew", &self.clock_skew)
            .field("http", &self.http)
            .finish_non_exhaustive()
    }
}

impl Config {
    /// Starts a builder.
    pub fn builder(sp_entity_id: &str, acs_url: &str, provider_name: &str, wk: WkEndpoints) -> ConfigBuilder {
        ConfigBuilder {
            sp_entity_id: sp_entity_id.to_owned(),
            acs_url: acs_url.to_owned(),
            provider_name: provider_name.to_owned(),
            wk,
            wk_certificates: Vec::new(),
            signing: None,
            encryption: None,
            default_loa: LoA::Substantial,
            clock_skew: Duration::seconds(60),
            max_message_age: Duration::minutes(10),
            pending_login_ttl: Duration::minutes(10),
            artifact_ttl: Duration::minutes(30),
            http: HttpPolicy::default(),
        }
    }

    /// Our entity ID (`Issuer` of our messages, `Audience` we expect).
    pub fn sp_entity_id(&self) -> &str {
        &self.sp_entity_id
    }
    /// Our ACS URL.
    pub fn acs_url(&self) -> &str {
        &self.acs_url
    }
    /// `ProviderName` as registered with COI.
    pub fn provider_name(&self) -> &str {
        &self.provider_name
    }
    /// The login node's endpoints.
    pub fn wk(&self) -> &WkEndpoints {
        &self.wk
    }
    /// Pinned certificates of the login node.
    pub fn wk_certificates(&self) -> &[Certificate] {
        &self.wk_certificates
    }
    /// Our signing certificate, if configured (for registration and `KeyInfo`).
    pub fn signing_certificate(&self) -> Option<&Certificate> {
        self.signing_certificate.as_ref()
    }
    /// Our encryption certificate, if configured (for registration).
    pub fn encryption_certificate(&self) -> Option<&Certificate> {
        self.encryption_certificate.as_ref()
    }
    /// LoA requested when the caller does not ask for another.
    pub fn default_loa(&self) -> LoA {
        self.default_loa
    }
    /// Allowed clock skew.
    pub fn clock_skew(&self) -> Duration {
        self.clock_skew
    }
    /// Time-to-live of a pending login (the binding cookie's lifetime).
    pub fn pending_login_ttl(&self) -> Duration {
        self.pending_login_ttl
    }
    /// Back-channel limits.
    pub fn http(&self) -> &HttpPolicy {
        &self.http
    }
}

/// Collects the settings of a [`Config`]; see the module documentation for what is refused.
#[derive(Clone)]
pub struct ConfigBuilder {
    sp_entity_id: String,
    acs_url: String,
    provider_name: String,
    wk: WkEndpoints,
    wk_certificates: Vec<Certificate>,
    signing: Option<(EcPrivateKey, Option<Certificate>)>,
    encryption: Option<(EcPrivateKey, Option<Certificate>)>,
    default_loa: LoA,
    clock_skew: Duration,
    max_message_age: Duration,
    pending_login_ttl: Duration,
    artifact_ttl: Duration,
    http: HttpPolicy,
}

impl fmt::Debug for ConfigBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ConfigBuilder").field("sp_entity_id", &self.sp_entity_id).field("wk", &self.wk).finish_non_exhaustive()
    }
}

impl ConfigBuilder {
    /// Pins a signing certificate of the login node (call once per certificate; keep the
    /// outgoing and the incoming one during a rollover).
    pub fn wk_certificate(mut self, certificate: Certificate) -> Self {
        self.wk_certificates.push(certificate);
        self
    }

    /// Pins several certificates.
    pub fn wk_certificates(mut self, certificates: impl IntoIterator<Item = Certificate>) -> Self {
        self.wk_certificates.extend(certificates);
        self
    }

    /// Our signing key (and optionally its certificate, checked to match).
    pub fn signing_key(mut self, key: EcPrivateKey, certificate: Option<Certificate>) -> Self {
        self.signing = Some((key, certificate));
        self
    }

    /// Our decryption key (and optionally its certificate, checked to match).
    pub fn encryption_key(mut self, key: EcPrivateKey, certificate: Option<Certificate>) -> Self {
        self.encryption = Some((key, certificate));
        self
    }

    /// LoA requested by default (`Substantial` unless set).
    pub fn default_loa(mut self, loa: LoA) -> Self {
        self.default_loa = loa;
        self
    }

    /// Clock skew tolerated in both directions (default 60 s, at most 5 min).
    pub fn clock_skew(mut self, skew: Duration) -> Self {
        self.clock_skew = skew;
        self
    }

    /// How old a Response/ArtifactResponse `IssueInstant` may be (default 10 min, at most 1 h).
    pub fn max_message_age(mut self, age: Duration) -> Self {
        self.max_message_age = age;
        self
    }

    /// Lifetime of a pending login (default 10 min, 1–60 min).
    pub fn pending_login_ttl(mut self, ttl: Duration) -> Self {
        self.pending_login_ttl = ttl;
        self
    }

    /// How long a used artifact is remembered by the replay cache (default 30 min).
    pub fn artifact_ttl(mut self, ttl: Duration) -> Self {
        self.artifact_ttl = ttl;
        self
    }

    /// Back-channel limits (`allow_plain_http` is ignored here; see `build_for_local_fake`).
    pub fn http_policy(mut self, policy: HttpPolicy) -> Self {
        self.http = policy;
        self
    }

    /// The production constructor: every check, HTTPS only.
    pub fn build(self) -> Result<Config, ConfigError> {
        self.finish(false)
    }

    /// As [`build`](Self::build) but allows `http://` endpoints, for a fake login node running
    /// locally (e.g. the `fake-wk` crate in demo mode). Certificates and keys are still required.
    pub fn build_for_local_fake(self) -> Result<Config, ConfigError> {
        self.finish(true)
    }

    fn finish(self, allow_plain_http: bool) -> Result<Config, ConfigError> {
        for (name, value) in
            [("sp_entity_id", &self.sp_entity_id), ("provider_name", &self.provider_name), ("wk.entity_id", &self.wk.entity_id)]
        {
            if value.trim().is_empty() {
                return Err(ConfigError::Empty(name));
            }
        }
        for (name, url) in [
            ("acs_url", &self.acs_url),
            ("wk.sso_url", &self.wk.sso_url),
            ("wk.artifact_resolution_url", &self.wk.artifact_resolution_url),
            ("wk.slo_url", &self.wk.slo_url),
        ] {
            check_url(name, url, allow_plain_http)?;
        }
        if self.wk_certificates.is_empty() {
            return Err(ConfigError::MissingWkCertificates);
        }
        if let Some(cert) = self.wk_certificates.iter().find(|c| !c.is_p256()) {
            return Err(ConfigError::WkCertificateNotP256 { subject: cert.subject().to_owned() });
        }
        let (signing_key, signing_certificate) = self.signing.ok_or(ConfigError::MissingSigningKey)?;
        let (encryption_key, encryption_certificate) = self.encryption.ok_or(ConfigError::MissingEncryptionKey)?;
        if signing_key == encryption_key {
            return Err(ConfigError::SameKeyForSigningAndEncryption);
        }
        if signing_certificate.as_ref().is_some_and(|c| !c.matches(&signing_key)) {
            return Err(ConfigError::CertificateKeyMismatch("signing"));
        }
        if encryption_certificate.as_ref().is_some_and(|c| !c.matches(&encryption_key)) {
            return Err(ConfigError::CertificateKeyMismatch("encryption"));
        }
        check_range("clock_skew", self.clock_skew, Duration::ZERO, Duration::minutes(5), "0 s", "5 min")?;
        check_range("max_message_age", self.max_message_age, Duration::seconds(30), Duration::hours(1), "30 s", "1 h")?;
        check_range("pending_login_ttl", self.pending_login_ttl, Duration::minutes(1), Duration::hours(1), "1 min", "1 h")?;
        check_range("artifact_ttl", self.artifact_ttl, Duration::minutes(1), Duration::days(1), "1 min", "1 day")?;
        if self.http.max_response_bytes < 4096 || self.http.max_response_bytes > 16 * 1024 * 1024 {
            return Err(ConfigError::OutOfRange { name: "http.max_response_bytes", min: "4 KiB", max: "16 MiB" });
        }
        if self.http.timeout.is_zero() || self.http.timeout > std::time::Duration::from_secs(120) {
            return Err(ConfigError::OutOfRange { name: "http.timeout", min: "> 0 s", max: "120 s" });
        }
        Ok(Config {
            sp_entity_id: self.sp_entity_id,
            acs_url: self.acs_url,
            provider_name: self.provider_name,
            wk: self.wk,
            wk_certificates: self.wk_certificates,
            signing_key,
            signing_certificate,
            encryption_key,
            encryption_certificate,
            default_loa: self.default_loa,
            clock_skew: self.clock_skew,
            max_message_age: self.max_message_age,
            pending_login_ttl: self.pending_login_ttl,
            artifact_ttl: self.artifact_ttl,
            http: HttpPolicy { allow_plain_http, ..self.http },
        })
    }
}

fn check_url(name: &'static str, url: &str, allow_plain_http: bool) -> Result<(), ConfigError> {
    let rest = if let Some(rest) = url.strip_prefix("https://") {
        rest
    } else if allow_plain_http && let Some(rest) = url.strip_prefix("http://") {
        rest
    } else {
        return Err(ConfigError::InsecureUrl { name });
    };
    if rest.is_empty() || rest.starts_with('/') || url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(ConfigError::InsecureUrl { name });
    }
    Ok(())
}

fn check_range(
    name: &'static str,
    value: Duration,
    min: Duration,
    max: Duration,
    min_text: &'static str,
    max_text: &'static str,
) -> Result<(), ConfigError> {
    if value < min || value > max {
        return Err(ConfigError::OutOfRange { name, min: min_text, max: max_text });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::generate_self_signed;

    fn builder() -> ConfigBuilder {
        Config::builder(
            "https://naleznosci.example.gov.pl",
            "https://naleznosci.example.gov.pl/auth/acs",
            "e-Naleznosci",
            WkEndpoints::integration(),
        )
    }

    #[test]
    fn production_refuses_without_certificates_or_keys() {
        let (wk_key, wk_cert) = generate_self_signed("wk", 1).unwrap();
        let (sig, sig_cert) = generate_self_signed("sig", 1).unwrap();
        let (enc, enc_cert) = generate_self_signed("enc", 1).unwrap();
        assert_eq!(builder().build().unwrap_err(), ConfigError::MissingWkCertificates);
        assert_eq!(builder().wk_certificate(wk_cert.clone()).build().unwrap_err(), ConfigError::MissingSigningKey);
        assert_eq!(
            builder().wk_certificate(wk_cert.clone()).signing_key(sig.clone(), None).build().unwrap_err(),
            ConfigError::MissingEncryptionKey
        );
        assert_eq!(
            builder().wk_certificate(wk_cert.clone()).signing_key(sig.clone(), None).encryption_key(sig.clone(), None).build().unwrap_err(),
            ConfigError::SameKeyForSigningAndEncryption
        );
        assert_eq!(
            builder()
                .wk_certificate(wk_cert.clone())
                .signing_key(sig.clone(), Some(enc_cert.clone()))
                .encryption_key(enc.clone(), None)
                .build()
                .unwrap_err(),
            ConfigError::CertificateKeyMismatch("signing")
        );
        let ok = builder()
            .wk_certificate(wk_cert.clone())
            .signing_key(sig.clone(), Some(sig_cert))
            .encryption_key(enc.clone(), Some(enc_cert))
            .build()
            .unwrap();
        assert!(!ok.http().allow_plain_http);
        let shown = format!("{ok:?}");
        assert!(!shown.contains("EcPrivateKey"), "{shown}");
        drop(wk_key);
    }

    #[test]
    fn plain_http_only_for_the_local_fake() {
        let (_, wk_cert) = generate_self_signed("wk", 1).unwrap();
        let local = Config::builder(
            "http://localhost:8080",
            "http://localhost:8080/auth/acs",
            "demo",
            WkEndpoints::for_base_url("http://127.0.0.1:9", "fake"),
        )
        .wk_certificate(wk_cert)
        .signing_key(EcPrivateKey::generate(), None)
        .encryption_key(EcPrivateKey::generate(), None);
        assert_eq!(local.clone().build().unwrap_err(), ConfigError::InsecureUrl { name: "acs_url" });
        assert!(local.clone().build_for_local_fake().unwrap().http().allow_plain_http);
        assert!(matches!(local.clock_skew(Duration::minutes(30)).build_for_local_fake(), Err(ConfigError::OutOfRange { .. })));
    }
}
