//! SP-initiated single logout over SOAP (identity.md §1.9): a signed `LogoutRequest` with the
//! `NameID` and `SessionIndex` received at login, answered by a signed `LogoutResponse`.

use time::{Duration, OffsetDateTime};

use crate::artifact::{check_message_header, check_status, soap_envelope};
use crate::assertion::WkSession;
use crate::config::Config;
use crate::error::LoginError;
use crate::saml::*;
use crate::xml::{self, escape_attr, escape_text, format_instant};
use crate::xmldsig::{self, SignatureSpec};

/// Builds and signs a `LogoutRequest` for `session`, in a SOAP envelope.
pub fn build_logout_request(
    config: &Config,
    request_id: &str,
    issue_instant: OffsetDateTime,
    session: &WkSession,
) -> Result<String, LoginError> {
    let format = session.name_id_format.as_deref().unwrap_or(NAMEID_FORMAT_UNSPECIFIED);
    let session_index = session
        .session_index
        .as_deref()
        .map(|index| format!("<saml2p:SessionIndex>{}</saml2p:SessionIndex>", escape_text(index)))
        .unwrap_or_default();
    let unsigned = format!(
        concat!(
            r#"<saml2p:LogoutRequest {ns} Destination="{dest}" ID="{id}" IssueInstant="{instant}" NotOnOrAfter="{until}" Version="2.0">"#,
            "<saml2:Issuer>{issuer}</saml2:Issuer>{signature}",
            r#"<saml2:NameID Format="{format}">{name_id}</saml2:NameID>{session_index}</saml2p:LogoutRequest>"#
        ),
        ns = WK_NAMESPACE_DECLARATIONS,
        dest = escape_attr(&config.wk.slo_url),
        id = escape_attr(request_id),
        instant = format_instant(issue_instant),
        until = format_instant(issue_instant + Duration::minutes(5)),
        issuer = escape_text(&config.sp_entity_id),
        signature = xmldsig::signature_template(request_id, &SignatureSpec::ecdsa_sha256(config.signing_certificate.as_ref())),
        format = escape_attr(format),
        name_id = escape_text(&session.name_id),
        session_index = session_index,
    );
    Ok(soap_envelope(&xmldsig::sign(&unsigned, &config.signing_key)?))
}

/// Verifies the login node's SOAP `LogoutResponse` to our request `request_id`: signature
/// (pinned certificates, allow-list), issuer, age, `InResponseTo`, status Success.
pub fn verify_logout_response(config: &Config, soap: &str, request_id: &str, now: OffsetDateTime) -> Result<(), LoginError> {
    let verified = xmldsig::verify_message(soap, &xmldsig::LOGOUT_RESPONSE, &config.wk_certificates)?;
    let doc = xml::parse(&verified.xml)?;
    let response = doc.root_element();
    check_message_header(response, "LogoutResponse", config, now)?;
    if response.attribute("InResponseTo") != Some(request_id) {
        return Err(LoginError::InResponseToMismatch { element: "LogoutResponse" });
    }
    check_status(response, "LogoutResponse")
}
