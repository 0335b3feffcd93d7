//! The signed `AuthnRequest` (HTTP-POST binding towards WK, artifact binding back) and the
//! auto-submitting form that carries it (identity.md §1.3 step 1).

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use time::OffsetDateTime;

use crate::config::Config;
use crate::error::LoginError;
use crate::loa::LoA;
use crate::saml::*;
use crate::xml::{escape_attr, escape_text, format_instant, strip_xml_declaration};
use crate::xmldsig::{self, SignatureSpec};

/// Builds and signs the AuthnRequest; returns the signed XML (no XML declaration).
pub fn build_authn_request(config: &Config, request_id: &str, issue_instant: OffsetDateTime, loa: LoA) -> Result<String, LoginError> {
    let requested: String = WkAttribute::ALL
        .iter()
        .map(|a| {
            format!(
                r#"<eidas:RequestedAttribute FriendlyName="{}" Name="{}" NameFormat="{ATTRNAME_FORMAT_URI}" isRequired="true"/>"#,
                a.friendly_name(),
                a.name()
            )
        })
        .collect();
    let unsigned = format!(
        concat!(
            r#"<saml2p:AuthnRequest {ns} AssertionConsumerServiceURL="{acs}" Destination="{dest}" ForceAuthn="true" ID="{id}" "#,
            r#"IsPassive="false" IssueInstant="{instant}" ProtocolBinding="{binding}" ProviderName="{provider}" Version="2.0">"#,
            "<saml2:Issuer>{issuer}</saml2:Issuer>{signature}",
            "<saml2p:Extensions><eidas:SPType>public</eidas:SPType><eidas:RequestedAttributes>{requested}</eidas:RequestedAttributes></saml2p:Extensions>",
            r#"<saml2p:NameIDPolicy AllowCreate="true" Format="{nameid}"/>"#,
            r#"<saml2p:RequestedAuthnContext Comparison="minimum"><saml2:AuthnContextClassRef>{loa}</saml2:AuthnContextClassRef></saml2p:RequestedAuthnContext>"#,
            "</saml2p:AuthnRequest>"
        ),
        ns = WK_NAMESPACE_DECLARATIONS,
        acs = escape_attr(&config.acs_url),
        dest = escape_attr(&config.wk.sso_url),
        id = escape_attr(request_id),
        instant = format_instant(issue_instant),
        binding = BINDING_HTTP_ARTIFACT,
        provider = escape_attr(&config.provider_name),
        issuer = escape_text(&config.sp_entity_id),
        signature = xmldsig::signature_template(request_id, &SignatureSpec::ecdsa_sha256(config.signing_certificate.as_ref())),
        requested = requested,
        nameid = NAMEID_FORMAT_UNSPECIFIED,
        loa = loa.uri(),
    );
    let signed = xmldsig::sign(&unsigned, &config.signing_key)?;
    Ok(strip_xml_declaration(&signed).to_owned())
}

/// An HTML form that the browser POSTs to the login node (`SAMLRequest` + `RelayState`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostForm {
    /// Where the form posts (the node's SSO URL).
    pub action: String,
    /// Base64 of the signed AuthnRequest (not deflated: POST binding).
    pub saml_request: String,
    /// RelayState.
    pub relay_state: String,
}

impl PostForm {
    pub(crate) fn new(action: &str, signed_request: &str, relay_state: &str) -> PostForm {
        PostForm {
            action: action.to_owned(),
            saml_request: STANDARD.encode(signed_request.as_bytes()),
            relay_state: relay_state.to_owned(),
        }
    }

    /// A complete Polish HTML page that submits itself; without JavaScript the user presses
    /// the button. Pass the CSP nonce of the response if the server uses a nonce-based
    /// `script-src` (the page has one inline script).
    pub fn to_html(&self, csp_nonce: Option<&str>) -> String {
        let nonce = csp_nonce.map(|n| format!(r#" nonce="{}""#, escape_attr(n))).unwrap_or_default();
        format!(
            concat!(
                "<!DOCTYPE html>\n<html lang=\"pl\"><head><meta charset=\"utf-8\">",
                "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">",
                "<title>Przekierowanie do logowania</title></head><body><main>",
                "<form id=\"saml-post\" method=\"post\" action=\"{action}\">",
                "<input type=\"hidden\" name=\"SAMLRequest\" value=\"{request}\">",
                "<input type=\"hidden\" name=\"RelayState\" value=\"{relay}\">",
                "<noscript><p>Przeglądarka nie wykonuje skryptów. Aby przejść do logowania, naciśnij przycisk.</p></noscript>",
                "<button type=\"submit\">Przejdź do logowania</button>",
                "</form></main>",
                "<script{nonce}>document.getElementById('saml-post').submit();</script>",
                "</body></html>\n"
            ),
            action = escape_attr(&self.action),
            request = escape_attr(&self.saml_request),
            relay = escape_attr(&self.relay_state),
            nonce = nonce,
        )
    }
}
