//! Why a login (or a logout exchange) with Węzeł Krajowy was refused.
//!
//! Every refusal has its own variant and a stable [`LoginError::code`] for logs and metrics.
//! Messages never contain personal data: no names, no PESEL, no NameID, no attribute values.
//! Where a message echoes something the other side sent (an issuer, an audience, an algorithm
//! URI, a status code) it is a protocol value, shortened and with control characters escaped.

use crate::loa::LoA;

/// A storage back-end (pending logins, replay cache, refresh tokens) failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("storage failure: {0}")]
pub struct StoreError(pub String);

/// Why a login was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum LoginError {
    // --- the browser's request to the ACS -------------------------------------------------
    /// `SAMLart` is missing, too long or not base64.
    #[error("the SAML artifact is missing or malformed")]
    ArtifactMalformed,
    /// `RelayState` is missing, too long or contains characters we never issue.
    #[error("RelayState is missing or malformed")]
    RelayStateMalformed,
    /// No pending login belongs to this browser's binding cookie (absent, unknown, or used).
    #[error("no pending login for this browser (binding cookie missing, unknown or already used)")]
    PendingLoginNotFound,
    /// The pending login exists but is older than its time-to-live.
    #[error("the pending login has expired; start the login again")]
    PendingLoginExpired,
    /// `RelayState` differs from the one issued with this browser's pending login.
    #[error("RelayState does not belong to this browser's pending login")]
    RelayStateMismatch,
    /// This artifact has been presented before.
    #[error("the SAML artifact has already been used")]
    ArtifactReplayed,

    // --- back channel ---------------------------------------------------------------------
    /// A plain-HTTP URL where only HTTPS is allowed.
    #[error("refusing to contact the login node over plain HTTP")]
    InsecureTransport,
    /// Network failure or timeout on the SOAP back channel.
    #[error("SOAP back channel failed: {0}")]
    Transport(String),
    /// The login node answered with a non-200 HTTP status.
    #[error("SOAP back channel answered HTTP {0}")]
    HttpStatus(u16),
    /// The SOAP answer exceeded the configured size cap.
    #[error("SOAP answer larger than the {limit}-byte cap")]
    ResponseTooLarge {
        /// The cap in bytes.
        limit: usize,
    },
    /// The SOAP answer is a SOAP fault.
    #[error("the login node answered with a SOAP fault")]
    SoapFault,

    // --- XML ------------------------------------------------------------------------------
    /// The document contains a DOCTYPE (or another markup declaration): refused before parsing.
    #[error("XML with a DOCTYPE or entity declaration is refused")]
    DoctypeForbidden,
    /// The text is not well-formed XML (or not UTF-8).
    #[error("malformed XML: {0}")]
    XmlMalformed(String),
    /// A required element has another name or namespace than expected.
    #[error("expected {expected}, found {found}")]
    UnexpectedElement {
        /// What was expected.
        expected: &'static str,
        /// What was found (qualified name).
        found: String,
    },
    /// Two elements carry the same `ID`.
    #[error("duplicate ID attribute value in the message")]
    DuplicateId,

    // --- signatures -----------------------------------------------------------------------
    /// An element that must be signed carries no signature.
    #[error("{element} is not signed")]
    MissingSignature {
        /// Which element.
        element: &'static str,
    },
    /// A signature does not have the one shape we accept (XSW defence).
    #[error("signature on {element} rejected: {reason}")]
    SignatureStructure {
        /// Which element.
        element: &'static str,
        /// What is wrong.
        reason: &'static str,
    },
    /// The signature's reference does not point at the element that carries it (XSW defence).
    #[error("the signature on {element} references another element")]
    SignatureReferenceMismatch {
        /// Which element.
        element: &'static str,
    },
    /// The signature, digest, canonicalisation or transform algorithm is not on the allow-list.
    #[error("algorithm not allowed: {uri}")]
    DisallowedAlgorithm {
        /// The algorithm URI found.
        uri: String,
    },
    /// The signature does not verify with any pinned certificate of the login node.
    #[error("the signature on {element} does not verify against the pinned login-node certificates")]
    SignatureInvalid {
        /// Which element.
        element: &'static str,
    },
    /// The verified content differs from what was checked before verification.
    #[error("the verified content does not match the message structure")]
    SignedContentMismatch,
    /// Our own signing failed (key or xmlsec problem).
    #[error("signing our message failed: {0}")]
    Signing(String),

    // --- protocol messages ----------------------------------------------------------------
    /// SAML `Version` is not 2.0.
    #[error("{element} has an unsupported SAML version")]
    VersionUnsupported {
        /// Which element.
        element: &'static str,
    },
    /// A required attribute or child of a protocol message is missing.
    #[error("{element} is missing {what}")]
    MessageMalformed {
        /// Which element.
        element: &'static str,
        /// What is missing or wrong.
        what: &'static str,
    },
    /// `Issuer` is not the login node.
    #[error("{element} issuer {found:?} is not the login node")]
    IssuerMismatch {
        /// Which element.
        element: &'static str,
        /// The issuer found (protocol value).
        found: String,
    },
    /// `InResponseTo` does not match the request we sent / the request bound to this browser.
    #[error("{element} answers another request (InResponseTo mismatch)")]
    InResponseToMismatch {
        /// Which element.
        element: &'static str,
    },
    /// `Destination` present and not our endpoint.
    #[error("{element} Destination {found:?} is not our endpoint")]
    DestinationMismatch {
        /// Which element.
        element: &'static str,
        /// The destination found.
        found: String,
    },
    /// `IssueInstant` too far in the past or the future.
    #[error("{element} IssueInstant is outside the accepted window")]
    IssueInstantOutOfRange {
        /// Which element.
        element: &'static str,
    },
    /// Non-success SAML status (checked before anything inside the message is used).
    #[error("{element} status is not Success: {code}{}", second_level.as_deref().map(|s| format!(" / {s}")).unwrap_or_default())]
    StatusNotSuccess {
        /// Which element.
        element: &'static str,
        /// Top-level status code.
        code: String,
        /// Second-level status code, if any.
        second_level: Option<String>,
    },
    /// The ArtifactResponse carries no Response (unknown or expired artifact).
    #[error("the ArtifactResponse carries no Response (unknown or expired artifact)")]
    MissingResponse,
    /// More than one Response, or other unexpected content.
    #[error("the ArtifactResponse must carry exactly one Response")]
    ResponseCount,
    /// Not exactly one assertion (one `EncryptedAssertion`, no plaintext `Assertion`).
    #[error("expected exactly one encrypted assertion, found {encrypted} encrypted and {plain} plaintext")]
    AssertionCount {
        /// Number of `EncryptedAssertion` elements.
        encrypted: usize,
        /// Number of plaintext `Assertion` elements.
        plain: usize,
    },

    // --- decryption -----------------------------------------------------------------------
    /// An encryption algorithm we do not accept.
    #[error("unsupported {what}: {uri}")]
    EncryptionUnsupported {
        /// Which part (key wrap, content encryption, ...).
        what: &'static str,
        /// The URI found.
        uri: String,
    },
    /// The `EncryptedAssertion` structure is incomplete or malformed.
    #[error("malformed encrypted assertion: {0}")]
    EncryptionMalformed(&'static str),
    /// The originator's ephemeral key is not a valid P-256 point.
    #[error("the ephemeral key of the encrypted assertion is not a valid P-256 point")]
    InvalidEphemeralKey,
    /// AES key unwrap failed (wrong key or tampered key).
    #[error("unwrapping the content key failed")]
    KeyUnwrapFailed,
    /// The unwrapped content key is neither 16 nor 32 bytes.
    #[error("unwrapped content key has {0} bytes; only 16 or 32 are accepted")]
    ContentKeyLength(usize),
    /// AES-GCM authentication failed.
    #[error("decrypting the assertion failed (GCM authentication)")]
    DecryptionFailed,

    // --- assertion ------------------------------------------------------------------------
    /// A required element or attribute of the assertion is missing or duplicated.
    #[error("assertion malformed: {0}")]
    AssertionMalformed(&'static str),
    /// `SubjectConfirmationData/@Recipient` is not our ACS.
    #[error("assertion Recipient {found:?} is not our ACS")]
    RecipientMismatch {
        /// The recipient found (protocol value).
        found: String,
    },
    /// No `Audience` equals our entity ID.
    #[error("assertion audience is not our entity ID")]
    AudienceMismatch,
    /// A `NotOnOrAfter` has passed.
    #[error("{element} has expired (NotOnOrAfter passed)")]
    AssertionExpired {
        /// Which element.
        element: &'static str,
    },
    /// A `NotBefore` is still in the future.
    #[error("{element} is not yet valid (NotBefore in the future)")]
    AssertionNotYetValid {
        /// Which element.
        element: &'static str,
    },
    /// `AuthnContextClassRef` is not an eIDAS LoA.
    #[error("unknown level of assurance {found:?}")]
    LoaUnknown {
        /// The URI found.
        found: String,
    },
    /// LoA below what the operation requires.
    #[error("level of assurance {actual} is below the required {required}")]
    LoaTooLow {
        /// Required.
        required: LoA,
        /// Returned by the node.
        actual: LoA,
    },
    /// One of the four required attributes is missing.
    #[error("attribute {0} is missing")]
    AttributeMissing(&'static str),
    /// An attribute `Name` occurs twice, or one of ours has several values.
    #[error("attribute {0} is duplicated or multi-valued")]
    AttributeDuplicated(&'static str),
    /// An attribute value is empty, too long or unparseable.
    #[error("attribute {name} is invalid: {reason}")]
    AttributeInvalid {
        /// Which attribute.
        name: &'static str,
        /// Why (never the value).
        reason: &'static str,
    },
    /// A comment, processing instruction or child element inside a text field (CVE-2017-11427).
    #[error("{0} contains a comment, processing instruction or element")]
    MixedContent(&'static str),
    /// The person identifier is not a valid PESEL (e.g. a foreign eIDAS identity).
    #[error("the person identifier is not a valid PESEL")]
    PersonIdentifierNotPesel,
    /// This Response/ArtifactResponse ID was accepted before.
    #[error("the response has been used before (replay)")]
    ResponseReplayed,
    /// This Assertion ID was accepted before.
    #[error("the assertion has been used before (replay)")]
    AssertionReplayed,

    // --- infrastructure -------------------------------------------------------------------
    /// A store (pending logins, replay cache) failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl LoginError {
    /// A stable, machine-readable code (snake_case) for logs, metrics and tests.
    pub fn code(&self) -> &'static str {
        match self {
            LoginError::ArtifactMalformed => "artifact_malformed",
            LoginError::RelayStateMalformed => "relay_state_malformed",
            LoginError::PendingLoginNotFound => "pending_login_not_found",
            LoginError::PendingLoginExpired => "pending_login_expired",
            LoginError::RelayStateMismatch => "relay_state_mismatch",
            LoginError::ArtifactReplayed => "artifact_replayed",
            LoginError::InsecureTransport => "insecure_transport",
            LoginError::Transport(_) => "transport",
            LoginError::HttpStatus(_) => "http_status",
            LoginError::ResponseTooLarge { .. } => "response_too_large",
            LoginError::SoapFault => "soap_fault",
            LoginError::DoctypeForbidden => "doctype_forbidden",
            LoginError::XmlMalformed(_) => "xml_malformed",
            LoginError::UnexpectedElement { .. } => "unexpected_element",
            LoginError::DuplicateId => "duplicate_id",
            LoginError::MissingSignature { .. } => "missing_signature",
            LoginError::SignatureStructure { .. } => "signature_structure",
            LoginError::SignatureReferenceMismatch { .. } => "signature_reference_mismatch",
            LoginError::DisallowedAlgorithm { .. } => "disallowed_algorithm",
            LoginError::SignatureInvalid { .. } => "signature_invalid",
            LoginError::SignedContentMismatch => "signed_content_mismatch",
            LoginError::Signing(_) => "signing",
            LoginError::VersionUnsupported { .. } => "version_unsupported",
            LoginError::MessageMalformed { .. } => "message_malformed",
            LoginError::IssuerMismatch { .. } => "issuer_mismatch",
            LoginError::InResponseToMismatch { .. } => "in_response_to_mismatch",
            LoginError::DestinationMismatch { .. } => "destination_mismatch",
            LoginError::IssueInstantOutOfRange { .. } => "issue_instant_out_of_range",
            LoginError::StatusNotSuccess { .. } => "status_not_success",
            LoginError::MissingResponse => "missing_response",
            LoginError::ResponseCount => "response_count",
            LoginError::AssertionCount { .. } => "assertion_count",
            LoginError::EncryptionUnsupported { .. } => "encryption_unsupported",
            LoginError::EncryptionMalformed(_) => "encryption_malformed",
            LoginError::InvalidEphemeralKey => "invalid_ephemeral_key",
            LoginError::KeyUnwrapFailed => "key_unwrap_failed",
            LoginError::ContentKeyLength(_) => "content_key_length",
            LoginError::DecryptionFailed => "decryption_failed",
            LoginError::AssertionMalformed(_) => "assertion_malformed",
            LoginError::RecipientMismatch { .. } => "recipient_mismatch",
            LoginError::AudienceMismatch => "audience_mismatch",
            LoginError::AssertionExpired { .. } => "assertion_expired",
            LoginError::AssertionNotYetValid { .. } => "assertion_not_yet_valid",
            LoginError::LoaUnknown { .. } => "loa_unknown",
            LoginError::LoaTooLow { .. } => "loa_too_low",
            LoginError::AttributeMissing(_) => "attribute_missing",
            LoginError::AttributeDuplicated(_) => "attribute_duplicated",
            LoginError::AttributeInvalid { .. } => "attribute_invalid",
            LoginError::MixedContent(_) => "mixed_content",
            LoginError::PersonIdentifierNotPesel => "person_identifier_not_pesel",
            LoginError::ResponseReplayed => "response_replayed",
            LoginError::AssertionReplayed => "assertion_replayed",
            LoginError::Store(_) => "store",
        }
    }

    /// Whether the failure is on our side or the network's (worth retrying the whole login
    /// later) rather than a refusal of what the login node or the browser sent.
    pub fn is_infrastructure(&self) -> bool {
        matches!(self, LoginError::Transport(_) | LoginError::HttpStatus(_) | LoginError::Store(_) | LoginError::Signing(_))
    }
}

/// Shortens and escapes a protocol value taken from a message before it goes into an error.
pub(crate) fn protocol_value(text: &str) -> String {
    const MAX: usize = 120;
    let mut out: String = text.chars().take(MAX).flat_map(char::escape_debug).collect();
    if text.chars().count() > MAX {
        out.push('…');
    }
    out
}
