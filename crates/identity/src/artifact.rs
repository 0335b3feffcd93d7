//! The artifact back channel: `ArtifactResolve` over SOAP and verification of the
//! `ArtifactResponse` → `Response` → `EncryptedAssertion` → assertion chain (identity.md §1.3
//! steps 3–4, §5.1 step 2).

use std::fmt;

use async_trait::async_trait;
use roxmltree::Node;
use time::{Duration, OffsetDateTime};

use crate::assertion::{AssertionExpectations, VerifiedIdentity, WkSession, validate_assertion};
use crate::config::{Config, ConfigError, HttpPolicy};
use crate::error::{LoginError, protocol_value};
use crate::pending::PendingLogin;
use crate::saml::*;
use crate::xml::{self, escape_attr, escape_text, format_instant, is, strip_xml_declaration};
use crate::xmldsig::{self, SignatureSpec};
use crate::xmlenc;

/// Wraps a message in a SOAP 1.1 envelope (as OldMusicBox and WK do).
pub fn soap_envelope(body: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><soap:Envelope xmlns:soap="{NS_SOAP11}"><soap:Header/><soap:Body>{}</soap:Body></soap:Envelope>"#,
        strip_xml_declaration(body)
    )
}

/// Sends SOAP requests to the login node.
#[async_trait]
pub trait SoapTransport: Send + Sync + fmt::Debug {
    /// POSTs a SOAP 1.1 envelope to `url` and returns the answer body.
    async fn post(&self, url: &str, envelope: String) -> Result<String, LoginError>;
}

/// [`SoapTransport`] over reqwest/rustls: certificate verification always on, no redirects,
/// request and connect timeouts, answers capped at `max_response_bytes`, plain HTTP only when
/// the configuration was built for a local fake.
#[derive(Debug, Clone)]
pub struct HttpSoapTransport {
    client: reqwest::Client,
    max_response_bytes: usize,
    allow_plain_http: bool,
}

impl HttpSoapTransport {
    /// A transport with the limits of `policy`.
    pub fn new(policy: &HttpPolicy) -> Result<HttpSoapTransport, ConfigError> {
        let client = reqwest::Client::builder()
            .timeout(policy.timeout)
            .connect_timeout(policy.connect_timeout)
            .redirect(reqwest::redirect::Policy::none())
            .https_only(!policy.allow_plain_http)
            .user_agent(concat!("e-naleznosci-identity/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| ConfigError::HttpClient(e.to_string()))?;
        Ok(HttpSoapTransport { client, max_response_bytes: policy.max_response_bytes, allow_plain_http: policy.allow_plain_http })
    }
}

#[async_trait]
impl SoapTransport for HttpSoapTransport {
    async fn post(&self, url: &str, envelope: String) -> Result<String, LoginError> {
        let plain = url.starts_with("http://");
        if !(url.starts_with("https://") || (plain && self.allow_plain_http)) {
            return Err(LoginError::InsecureTransport);
        }
        let mut response = self
            .client
            .post(url)
            .header(reqwest::header::CONTENT_TYPE, "text/xml; charset=utf-8")
            .header("SOAPAction", SOAP_ACTION)
            .body(envelope)
            .send()
            .await
            .map_err(|e| LoginError::Transport(transport_error(&e)))?;
        let status = response.status();
        if status != reqwest::StatusCode::OK {
            return Err(LoginError::HttpStatus(status.as_u16()));
        }
        let limit = self.max_response_bytes;
        if response.content_length().is_some_and(|len| len > limit as u64) {
            return Err(LoginError::ResponseTooLarge { limit });
        }
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(|e| LoginError::Transport(transport_error(&e)))? {
            if body.len() + chunk.len() > limit {
                return Err(LoginError::ResponseTooLarge { limit });
            }
            body.extend_from_slice(&chunk);
        }
        String::from_utf8(body).map_err(|_| LoginError::XmlMalformed("SOAP answer is not UTF-8".into()))
    }
}

fn transport_error(error: &reqwest::Error) -> String {
    let kind = if error.is_timeout() {
        "timeout"
    } else if error.is_connect() {
        "connection failed"
    } else if error.is_body() || error.is_decode() {
        "reading the answer failed"
    } else {
        "request failed"
    };
    format!("{kind}: {error}")
}

/// Builds and signs an `ArtifactResolve` for `artifact`, in a SOAP envelope.
pub fn build_artifact_resolve(
    config: &Config,
    resolve_id: &str,
    issue_instant: OffsetDateTime,
    artifact: &str,
) -> Result<String, LoginError> {
    let unsigned = format!(
        concat!(
            r#"<saml2p:ArtifactResolve {ns} Destination="{dest}" ID="{id}" IssueInstant="{instant}" Version="2.0">"#,
            "<saml2:Issuer>{issuer}</saml2:Issuer>{signature}<saml2p:Artifact>{artifact}</saml2p:Artifact></saml2p:ArtifactResolve>"
        ),
        ns = WK_NAMESPACE_DECLARATIONS,
        dest = escape_attr(&config.wk.artifact_resolution_url),
        id = escape_attr(resolve_id),
        instant = format_instant(issue_instant),
        issuer = escape_text(&config.sp_entity_id),
        signature = xmldsig::signature_template(resolve_id, &SignatureSpec::ecdsa_sha256(config.signing_certificate.as_ref())),
        artifact = escape_text(artifact),
    );
    Ok(soap_envelope(&xmldsig::sign(&unsigned, &config.signing_key)?))
}

/// Everything a successful artifact resolution yields.
#[derive(Debug, Clone)]
pub struct ResolvedLogin {
    /// Who logged in.
    pub identity: VerifiedIdentity,
    /// Data for single logout.
    pub session: WkSession,
    /// `ArtifactResponse/@ID`.
    pub artifact_response_id: String,
    /// `Response/@ID`.
    pub response_id: String,
    /// `Assertion/@ID`.
    pub assertion_id: String,
    /// Until when the IDs must stay in the replay cache.
    pub valid_until: OffsetDateTime,
}

/// Checks the common parts of a WK protocol message: `Version`, `Issuer`, `IssueInstant`.
pub(crate) fn check_message_header(
    node: Node<'_, '_>,
    element: &'static str,
    config: &Config,
    now: OffsetDateTime,
) -> Result<(), LoginError> {
    if node.attribute("Version") != Some("2.0") {
        return Err(LoginError::VersionUnsupported { element });
    }
    let issuer_node = xml::one_child(
        node,
        NS_SAML2,
        "Issuer",
        LoginError::MessageMalformed { element, what: "an Issuer" },
        LoginError::MessageMalformed { element, what: "a single Issuer" },
    )?;
    let issuer = xml::text_only(issuer_node, "Issuer")?;
    if issuer.trim() != config.wk.entity_id {
        return Err(LoginError::IssuerMismatch { element, found: protocol_value(&issuer) });
    }
    let instant = node
        .attribute("IssueInstant")
        .and_then(xml::parse_instant)
        .ok_or(LoginError::MessageMalformed { element, what: "a valid IssueInstant" })?;
    if instant > now + config.clock_skew || instant < now - config.max_message_age - config.clock_skew {
        return Err(LoginError::IssueInstantOutOfRange { element });
    }
    Ok(())
}

/// Requires `Status/StatusCode/@Value` = Success; reports the codes otherwise.
pub(crate) fn check_status(node: Node<'_, '_>, element: &'static str) -> Result<(), LoginError> {
    let status = xml::one_child(
        node,
        NS_SAML2P,
        "Status",
        LoginError::MessageMalformed { element, what: "a Status" },
        LoginError::MessageMalformed { element, what: "a single Status" },
    )?;
    let code = xml::one_child(
        status,
        NS_SAML2P,
        "StatusCode",
        LoginError::MessageMalformed { element, what: "a StatusCode" },
        LoginError::MessageMalformed { element, what: "a single StatusCode" },
    )?;
    let value = code.attribute("Value").unwrap_or_default();
    if value == STATUS_SUCCESS {
        return Ok(());
    }
    let second_level = xml::children(code, NS_SAML2P, "StatusCode").next().and_then(|n| n.attribute("Value")).map(protocol_value);
    Err(LoginError::StatusNotSuccess { element, code: protocol_value(value), second_level })
}

/// Verifies a SOAP `ArtifactResponse` from the login node and everything inside it, for the
/// pending login `pending` and our `ArtifactResolve` with ID `resolve_id`.
///
/// Order: signatures (both, pinned certificates, allow-list) → ArtifactResponse header,
/// `InResponseTo`, status → exactly one signed Response → its header, status (before anything
/// else is used), `InResponseTo` bound to this browser, `Destination` → exactly one
/// `EncryptedAssertion` and no plaintext assertion → decryption → assertion validation.
/// Replay-cache bookkeeping is the caller's (see [`crate::sp::ServiceProvider`]).
pub fn verify_artifact_response(
    config: &Config,
    soap: &str,
    resolve_id: &str,
    pending: &PendingLogin,
    now: OffsetDateTime,
) -> Result<ResolvedLogin, LoginError> {
    let verified = xmldsig::verify_message(soap, &xmldsig::ARTIFACT_RESPONSE, &config.wk_certificates)?;
    let doc = xml::parse(&verified.xml)?;
    let artifact_response = doc.root_element();

    check_message_header(artifact_response, "ArtifactResponse", config, now)?;
    if artifact_response.attribute("InResponseTo") != Some(resolve_id) {
        return Err(LoginError::InResponseToMismatch { element: "ArtifactResponse" });
    }
    check_status(artifact_response, "ArtifactResponse")?;

    let mut responses = Vec::new();
    for child in xml::element_children(artifact_response) {
        if is(child, NS_SAML2P, "Response") {
            responses.push(child);
        } else if !(is(child, NS_SAML2, "Issuer")
            || is(child, NS_DS, "Signature")
            || is(child, NS_SAML2P, "Extensions")
            || is(child, NS_SAML2P, "Status"))
        {
            return Err(LoginError::UnexpectedElement { expected: "a Response in the ArtifactResponse", found: xml::qname(child) });
        }
    }
    let response = match responses.as_slice() {
        [] => return Err(LoginError::MissingResponse),
        [one] => *one,
        _ => return Err(LoginError::ResponseCount),
    };
    let response_id = response.attribute("ID").unwrap_or_default().to_owned();
    if !verified.signed_child_ids.contains(&response_id) {
        return Err(LoginError::SignedContentMismatch);
    }

    check_message_header(response, "Response", config, now)?;
    check_status(response, "Response")?;
    pending.expect_in_response_to(response.attribute("InResponseTo").unwrap_or_default())?;
    if let Some(destination) = response.attribute("Destination")
        && destination != config.acs_url
    {
        return Err(LoginError::DestinationMismatch { element: "Response", found: protocol_value(destination) });
    }

    let encrypted: Vec<Node<'_, '_>> = xml::children(response, NS_SAML2, "EncryptedAssertion").collect();
    let all_encrypted = response.descendants().filter(|n| is(*n, NS_SAML2, "EncryptedAssertion")).count();
    let plain = response.descendants().filter(|n| is(*n, NS_SAML2, "Assertion")).count();
    let [encrypted_assertion] = encrypted.as_slice() else {
        return Err(LoginError::AssertionCount { encrypted: all_encrypted, plain });
    };
    if all_encrypted != 1 || plain != 0 {
        return Err(LoginError::AssertionCount { encrypted: all_encrypted, plain });
    }

    let plaintext = xmlenc::decrypt_assertion(*encrypted_assertion, &config.encryption_key)?;
    let validated = validate_assertion(
        &plaintext,
        &AssertionExpectations {
            wk_entity_id: &config.wk.entity_id,
            sp_entity_id: &config.sp_entity_id,
            acs_url: &config.acs_url,
            request_id: &pending.request_id,
            required_loa: pending.required_loa,
            now,
            skew: config.clock_skew,
        },
    )?;
    Ok(ResolvedLogin {
        identity: validated.identity,
        session: validated.session,
        artifact_response_id: verified.root_id,
        response_id,
        assertion_id: validated.assertion_id,
        valid_until: validated.valid_until.max(now) + config.clock_skew + Duration::minutes(1),
    })
}

/// Validates the `SAMLart` form value: non-empty, at most 1 KiB, base64 alphabet only. The
/// artifact is otherwise opaque (WK's format is not documented, identity.md §1.13).
pub fn check_artifact_syntax(artifact: &str) -> Result<(), LoginError> {
    let ok = !artifact.is_empty()
        && artifact.len() <= 1024
        && artifact.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'='));
    if ok { Ok(()) } else { Err(LoginError::ArtifactMalformed) }
}

/// Validates the `RelayState` form value: 1–80 bytes of visible ASCII.
pub fn check_relay_state_syntax(relay_state: &str) -> Result<(), LoginError> {
    let ok = !relay_state.is_empty() && relay_state.len() <= 80 && relay_state.bytes().all(|b| b.is_ascii_graphic());
    if ok { Ok(()) } else { Err(LoginError::RelayStateMalformed) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn plain_http_is_refused_unless_the_policy_allows_it() {
        let transport = HttpSoapTransport::new(&HttpPolicy::default()).unwrap();
        assert_eq!(transport.post("http://127.0.0.1:9/soap", String::new()).await.unwrap_err(), LoginError::InsecureTransport);
        assert_eq!(transport.post("ftp://127.0.0.1/soap", String::new()).await.unwrap_err(), LoginError::InsecureTransport);
    }

    #[tokio::test]
    async fn a_silent_node_times_out() {
        // Accepts the TCP connection (backlog) but never answers.
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let policy = HttpPolicy { timeout: std::time::Duration::from_millis(300), allow_plain_http: true, ..HttpPolicy::default() };
        let transport = HttpSoapTransport::new(&policy).unwrap();
        let err = transport.post(&format!("http://{addr}/soap"), "<x/>".into()).await.unwrap_err();
        assert!(matches!(&err, LoginError::Transport(m) if m.starts_with("timeout")), "{err:?}");
        drop(listener);
    }

    #[test]
    fn form_values_are_checked_before_anything_else() {
        assert!(check_artifact_syntax("AAQAAKx7+/0=").is_ok());
        assert_eq!(check_artifact_syntax(""), Err(LoginError::ArtifactMalformed));
        assert_eq!(check_artifact_syntax("a b"), Err(LoginError::ArtifactMalformed));
        assert_eq!(check_artifact_syntax(&"A".repeat(1025)), Err(LoginError::ArtifactMalformed));
        assert!(check_relay_state_syntax("0123abcd").is_ok());
        assert_eq!(check_relay_state_syntax(&"a".repeat(81)), Err(LoginError::RelayStateMalformed));
        assert_eq!(check_relay_state_syntax("a\nb"), Err(LoginError::RelayStateMalformed));
        assert_eq!(check_relay_state_syntax("a\u{7}b"), Err(LoginError::RelayStateMalformed));
    }
}
