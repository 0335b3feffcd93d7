//! # identity — residents' login through Węzeł Krajowy, and the SPA's session tokens
//!
//! A service provider for the Polish national login node (Węzeł Krajowy, login.gov.pl), built
//! from `shared/protocols/identity.md`, plus the JWT and refresh-token primitives of §4 of that
//! document. Framework-free: the server wires HTTP handlers and database stores on top.
//!
//! ## Login (SAML 2.0, HTTP-POST out, HTTP-Artifact back, SOAP back channel)
//!
//! 1. [`ServiceProvider::start_login`] creates a pending login bound to a random cookie value
//!    and returns the auto-submitting form with the signed `AuthnRequest` (ECDSA P-256/SHA-256,
//!    eIDAS `SPType` + the four requested attributes in `Extensions`, `RequestedAuthnContext`
//!    minimum LoA, `ProtocolBinding` = HTTP-Artifact, 128-bit random IDs).
//! 2. The login node POSTs `SAMLart` + `RelayState` to our ACS. [`ServiceProvider::complete_login`]
//!    takes the pending login for the cookie (once), refuses a replayed artifact, sends a signed
//!    `ArtifactResolve` over SOAP ([`HttpSoapTransport`]: TLS verified, timeouts, size cap),
//!    verifies the `ArtifactResponse` and the inner `Response` signatures against the pinned
//!    certificates ([`xmldsig`]), checks issuers, `InResponseTo`, status, destination and age,
//!    decrypts the single `EncryptedAssertion` ([`xmlenc`]: ECDH-ES + ConcatKDF + AES-KW +
//!    AES-GCM, 16- or 32-byte content keys), validates the assertion ([`assertion`]) and
//!    records the message IDs in the replay cache ([`replay`]).
//! 3. The result is a [`VerifiedIdentity`] (PESEL, names, date of birth, LoA) and a
//!    [`WkSession`] (NameID + SessionIndex for [`ServiceProvider::logout`]).
//!
//! Every refusal is a distinct [`LoginError`] variant with a stable [`LoginError::code`]; no
//! message carries personal data.
//!
//! ## Session tokens
//!
//! * [`jwt::AccessTokens`]: ES256 access tokens (≤ 10 min, `kid`, `typ: at+jwt`, `acr` = LoA,
//!   roles, internal user id as `sub`), a rotating [`jwt::JwtKeySet`] and its JWKS.
//! * [`refresh::RefreshTokens`]: opaque rotating refresh tokens stored hashed, with family
//!   revocation on reuse, over a [`refresh::RefreshTokenStore`].
//!
//! Stores ([`pending::PendingLoginStore`], [`replay::ReplayCache`],
//! [`refresh::RefreshTokenStore`]) are async traits with in-memory implementations; DB-backed
//! ones must keep the documented atomicity.

pub mod artifact;
pub mod assertion;
pub mod authn;
pub mod clock;
pub mod config;
pub mod error;
pub mod jwt;
pub mod keys;
pub mod loa;
pub mod logout;
pub mod pending;
pub mod refresh;
pub mod replay;
pub mod saml;
pub mod sp;
pub mod xml;
pub mod xmldsig;
pub mod xmlenc;

pub use artifact::{HttpSoapTransport, SoapTransport};
pub use assertion::{VerifiedIdentity, WkSession};
pub use authn::PostForm;
pub use clock::{Clock, FixedClock, SystemClock};
pub use config::{Config, ConfigBuilder, ConfigError, HttpPolicy, WkEndpoints};
pub use error::{LoginError, StoreError};
pub use keys::{Certificate, EcPrivateKey, KeyError};
pub use loa::LoA;
pub use sp::{AcsRequest, LoginOutcome, LoginStart, ServiceProvider};
