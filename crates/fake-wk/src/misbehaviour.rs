//! The deliberate faults the fake login node can commit — one per instance, chosen at start-up
//! (configuration or command line), never through an HTTP endpoint. Each produces one attack
//! case of identity.md §3 against the service provider.

use std::fmt;
use std::str::FromStr;

macro_rules! misbehaviours {
    ($($(#[doc = $doc:literal])+ $variant:ident => $name:literal,)+) => {
        /// What the fake does wrong (or `WellBehaved`).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
        pub enum Misbehaviour {
            /// Answers exactly like the real node.
            #[default]
            WellBehaved,
            $($(#[doc = $doc])+ $variant,)+
        }

        impl Misbehaviour {
            /// Every misbehaviour (without `WellBehaved`).
            pub const ALL: &'static [Misbehaviour] = &[$(Misbehaviour::$variant,)+];

            /// Command-line name (kebab-case).
            pub fn name(self) -> &'static str {
                match self {
                    Misbehaviour::WellBehaved => "well-behaved",
                    $(Misbehaviour::$variant => $name,)+
                }
            }

            /// One-line description.
            pub fn description(self) -> &'static str {
                match self {
                    Misbehaviour::WellBehaved => "answers like the real node",
                    $(Misbehaviour::$variant => concat!($($doc),+).trim(),)+
                }
            }
        }
    };
}

misbehaviours! {
    /// Neither the ArtifactResponse nor the Response is signed (signature exclusion, §3 #1).
    Unsigned => "unsigned",
    /// The ArtifactResponse is signed, the inner Response is not.
    UnsignedResponse => "unsigned-response",
    /// The inner Response is signed, the ArtifactResponse is not.
    UnsignedArtifactResponse => "unsigned-artifact-response",
    /// Both signatures made with a key the SP does not pin, its certificate in KeyInfo (§3 #2).
    WrongKey => "wrong-key",
    /// The genuine Response is changed after signing (an extra assertion inserted) (§3 #3).
    TamperedAfterSigning => "tampered-after-signing",
    /// XSW: an unsigned forged ArtifactResponse wraps the genuine signed one in Extensions.
    XswWrappedArtifactResponse => "xsw-wrapped-artifact-response",
    /// XSW: the genuine ArtifactResponse signature moved onto a forged root.
    XswSignatureMovedToForgedRoot => "xsw-signature-moved-to-forged-root",
    /// XSW: a forged unsigned Response wraps the genuine signed Response (outer re-signed).
    XswForgedResponseWrapsSigned => "xsw-forged-response-wraps-signed",
    /// XSW: a forged Response carrying a copy of the genuine signature precedes the genuine one.
    XswForgedResponseWithCopiedSignature => "xsw-forged-response-with-copied-signature",
    /// XSW: the genuine Response stays; a forged one with a copied signature hides in Extensions.
    XswForgedResponseInExtensions => "xsw-forged-response-in-extensions",
    /// XSW: a forged unsigned Response in place; the genuine signed one moved to Extensions.
    XswSignedResponseInExtensions => "xsw-signed-response-in-extensions",
    /// Two encrypted assertions (the second for another person) (§3 #4, CVE-2022-41912).
    ExtraAssertion => "extra-assertion",
    /// A plaintext assertion next to the encrypted one (§3 #20).
    PlaintextAssertionAlongside => "plaintext-assertion-alongside",
    /// NotOnOrAfter of the assertion already passed (§3 #14).
    Expired => "expired",
    /// NotBefore of the assertion an hour in the future (§3 #14).
    NotYetValid => "not-yet-valid",
    /// Response and ArtifactResponse issued two hours ago.
    StaleResponse => "stale-response",
    /// Audience is another service provider (§3 #13).
    WrongAudience => "wrong-audience",
    /// Recipient is another ACS (§3 #12).
    WrongRecipient => "wrong-recipient",
    /// Response and SubjectConfirmationData answer another AuthnRequest (§3 #15).
    WrongInResponseTo => "wrong-in-response-to",
    /// The ArtifactResponse answers another ArtifactResolve (§3 #15).
    WrongResolveInResponseTo => "wrong-resolve-in-response-to",
    /// The assertion's Issuer is not the node (§3 #13).
    WrongIssuer => "wrong-issuer",
    /// Every login gets the first artifact again, and artifacts resolve repeatedly (§3 #16).
    ReplayArtifact => "replay-artifact",
    /// Response IDs of the first login are reused (§3 #16).
    ReplayResponseId => "replay-response-id",
    /// Assertion IDs of the first login are reused (§3 #16).
    ReplayAssertionId => "replay-assertion-id",
    /// Status AuthnFailed but an encrypted assertion still inside (§3 #18, as WK really does).
    FailedStatusWithPayload => "failed-status-with-payload",
    /// ECDSA-SHA1 signatures with SHA-1 digests, made with the genuine key (§3 #9).
    Sha1Signature => "sha1-signature",
    /// RSA-SHA256 signatures (§3 #9).
    RsaSignature => "rsa-signature",
    /// A DOCTYPE with an entity in the SOAP answer (§3 #10).
    Doctype => "doctype",
    /// A DOCTYPE inside the encrypted assertion (§3 #10).
    DoctypeInAssertion => "doctype-in-assertion",
    /// A comment inside NameID (§3 #7).
    CommentInNameId => "comment-in-name-id",
    /// A comment inside the PersonIdentifier value (§3 #7).
    CommentInAttribute => "comment-in-attribute",
    /// A second element carries the ArtifactResponse's ID (§3 #21).
    DuplicateIds => "duplicate-ids",
    /// LoA low although substantial was requested (§1.7).
    LowLoa => "low-loa",
    /// The PersonIdentifier attribute is left out (§3 #19).
    MissingAttribute => "missing-attribute",
    /// The ArtifactResponse carries no Response (unknown artifact).
    EmptyArtifactResponse => "empty-artifact-response",
    /// The ephemeral key of the encryption is not a point on P-256 (§3 #20).
    InvalidCurvePoint => "invalid-curve-point",
    /// The GCM tag is cut off (§3 #20).
    TruncatedCiphertext => "truncated-ciphertext",
    /// The SOAP answer is padded beyond the SP's size cap (§3 #11).
    OversizedResponse => "oversized-response",
    /// A 16-byte content key under aes256-gcm: the production quirk — NOT an attack, must be accepted.
    ShortContentKey => "short-content-key",
}

impl fmt::Display for Misbehaviour {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The name is not a known misbehaviour.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown misbehaviour {0:?}; see --list-misbehaviours")]
pub struct UnknownMisbehaviour(pub String);

impl FromStr for Misbehaviour {
    type Err = UnknownMisbehaviour;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s == Misbehaviour::WellBehaved.name() {
            return Ok(Misbehaviour::WellBehaved);
        }
        Misbehaviour::ALL.iter().copied().find(|m| m.name() == s).ok_or_else(|| UnknownMisbehaviour(s.to_owned()))
    }
}
