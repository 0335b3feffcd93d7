//! WK-shaped messages: the assertion, the signed Response inside the signed ArtifactResponse,
//! the LogoutResponse — and every misbehaviour applied to them.

use identity::saml::*;
use identity::xml::{escape_attr, escape_text, format_instant, random_id, strip_xml_declaration};
use identity::xmldsig::{self, SignatureSpec};
use identity::{Certificate, LoA};
use time::{Duration, OffsetDateTime};

use crate::encrypt::{EncryptionTwist, encrypt_assertion};
use crate::persona::Persona;
use crate::{FakeWkError, Misbehaviour};

/// A private key xmlsec can sign with (PKCS#8 DER) and what to write in the template.
pub(crate) struct SigningMaterial<'a> {
    pub key_der: &'a [u8],
    pub signature_method: &'static str,
    pub digest_method: &'static str,
    pub certificate: Option<&'a Certificate>,
}

impl SigningMaterial<'_> {
    fn template(&self, id: &str) -> String {
        xmldsig::signature_template(
            id,
            &SignatureSpec {
                signature_method: self.signature_method,
                digest_method: self.digest_method,
                inclusive_prefixes: Some(WK_INCLUSIVE_PREFIXES),
                certificate: self.certificate,
            },
        )
    }

    fn sign(&self, xml: &str) -> Result<String, FakeWkError> {
        let signed = xmldsig::sign_with_der_key(xml, self.key_der).map_err(|e| FakeWkError::Signing(e.to_string()))?;
        Ok(strip_xml_declaration(&signed).to_owned())
    }
}

/// Everything about one login needed to answer an ArtifactResolve.
pub(crate) struct LoginFacts<'a> {
    pub wk_entity_id: &'a str,
    pub sp_entity_id: &'a str,
    pub acs_url: &'a str,
    pub request_id: &'a str,
    pub resolve_id: &'a str,
    pub persona: &'a Persona,
    pub intruder: &'a Persona,
    pub sp_encryption_key: &'a p256::PublicKey,
    pub cancelled: bool,
    pub now: OffsetDateTime,
    pub assertion_lifetime: Duration,
    /// IDs to reuse (ReplayResponseId / ReplayAssertionId).
    pub reuse_response_id: Option<&'a str>,
    pub reuse_assertion_id: Option<&'a str>,
}

/// The IDs a built answer used (remembered for the replay misbehaviours).
pub(crate) struct BuiltAnswer {
    pub soap: String,
    pub response_id: String,
    pub assertion_id: String,
}

/// The assertion's variable parts.
struct AssertionSpec {
    id: String,
    issue_instant: OffsetDateTime,
    issuer: String,
    name_id_xml: String,
    in_response_to: String,
    recipient: String,
    audience: String,
    not_before: OffsetDateTime,
    not_on_or_after: OffsetDateTime,
    loa: LoA,
    authenticating_authority: String,
    first_name: String,
    last_name: String,
    date_of_birth: String,
    pesel_xml: Option<String>,
    doctype: bool,
}

impl AssertionSpec {
    fn for_persona(facts: &LoginFacts<'_>, persona: &Persona, id: String) -> AssertionSpec {
        AssertionSpec {
            id,
            issue_instant: facts.now,
            issuer: facts.wk_entity_id.to_owned(),
            name_id_xml: escape_text(&persona.login),
            in_response_to: facts.request_id.to_owned(),
            recipient: facts.acs_url.to_owned(),
            audience: facts.sp_entity_id.to_owned(),
            not_before: facts.now,
            not_on_or_after: facts.now + facts.assertion_lifetime,
            loa: persona.loa,
            authenticating_authority: persona.authenticating_authority.clone(),
            first_name: persona.first_name.clone(),
            last_name: persona.last_name.clone(),
            date_of_birth: format!(
                "{:04}-{:02}-{:02}Z",
                persona.date_of_birth.year(),
                u8::from(persona.date_of_birth.month()),
                persona.date_of_birth.day()
            ),
            pesel_xml: Some(escape_text(persona.pesel.as_str())),
            doctype: false,
        }
    }

    fn render(&self) -> String {
        let attribute = |kind: WkAttribute, value_xml: &str| {
            format!(
                concat!(
                    r#"<saml2:Attribute FriendlyName="{}" Name="{}" NameFormat="{}">"#,
                    r#"<saml2:AttributeValue xmlns:xsi="{}" xsi:type="{}">{}</saml2:AttributeValue></saml2:Attribute>"#
                ),
                kind.friendly_name(),
                kind.name(),
                ATTRNAME_FORMAT_URI,
                NS_XSI,
                kind.xsi_type(),
                value_xml
            )
        };
        let mut attributes = attribute(WkAttribute::FamilyName, &escape_text(&self.last_name));
        attributes.push_str(&attribute(WkAttribute::DateOfBirth, &escape_text(&self.date_of_birth)));
        attributes.push_str(&attribute(WkAttribute::FirstName, &escape_text(&self.first_name)));
        if let Some(pesel) = &self.pesel_xml {
            attributes.push_str(&attribute(WkAttribute::PersonIdentifier, pesel));
        }
        let doctype = if self.doctype { r#"<!DOCTYPE saml2:Assertion [<!ENTITY pesel "00000000000">]>"# } else { "" };
        format!(
            concat!(
                "{doctype}",
                r#"<saml2:Assertion {ns} ID="{id}" IssueInstant="{instant}" Version="2.0">"#,
                "<saml2:Issuer>{issuer}</saml2:Issuer>",
                "<saml2:Subject>",
                r#"<saml2:NameID Format="{nameid_format}">{name_id}</saml2:NameID>"#,
                r#"<saml2:SubjectConfirmation Method="{bearer}">"#,
                r#"<saml2:SubjectConfirmationData InResponseTo="{irt}" NotOnOrAfter="{noa}" Recipient="{recipient}"/>"#,
                "</saml2:SubjectConfirmation></saml2:Subject>",
                r#"<saml2:Conditions NotBefore="{nb}" NotOnOrAfter="{noa}">"#,
                "<saml2:AudienceRestriction><saml2:Audience>{audience}</saml2:Audience></saml2:AudienceRestriction></saml2:Conditions>",
                r#"<saml2:AuthnStatement AuthnInstant="{instant}" SessionIndex="{id}"><saml2:AuthnContext>"#,
                "<saml2:AuthnContextClassRef>{loa}</saml2:AuthnContextClassRef>",
                "<saml2:AuthenticatingAuthority>{authority}</saml2:AuthenticatingAuthority>",
                "</saml2:AuthnContext></saml2:AuthnStatement>",
                "<saml2:AttributeStatement>{attributes}</saml2:AttributeStatement>",
                "</saml2:Assertion>"
            ),
            doctype = doctype,
            ns = WK_NAMESPACE_DECLARATIONS,
            id = escape_attr(&self.id),
            instant = format_instant(self.issue_instant),
            issuer = escape_text(&self.issuer),
            nameid_format = NAMEID_FORMAT_UNSPECIFIED,
            name_id = self.name_id_xml,
            bearer = CM_BEARER,
            irt = escape_attr(&self.in_response_to),
            noa = format_instant(self.not_on_or_after),
            recipient = escape_attr(&self.recipient),
            nb = format_instant(self.not_before),
            audience = escape_text(&self.audience),
            loa = self.loa.uri(),
            authority = escape_text(&self.authenticating_authority),
            attributes = attributes,
        )
    }
}

fn status_xml(success: bool) -> String {
    if success {
        format!(r#"<saml2p:Status><saml2p:StatusCode Value="{STATUS_SUCCESS}"/></saml2p:Status>"#)
    } else {
        format!(
            r#"<saml2p:Status><saml2p:StatusCode Value="{STATUS_RESPONDER}"><saml2p:StatusCode Value="{STATUS_AUTHN_FAILED}"/></saml2p:StatusCode><saml2p:StatusMessage>Uwierzytelnienie nie powiodło się</saml2p:StatusMessage></saml2p:Status>"#
        )
    }
}

/// A `saml2p:Response`: `after_issuer` goes between Issuer and Status (signature template,
/// Extensions), `body` after Status.
fn response_xml(
    id: &str,
    in_response_to: &str,
    instant: OffsetDateTime,
    issuer: &str,
    after_issuer: &str,
    status: &str,
    body: &str,
) -> String {
    format!(
        r#"<saml2p:Response {WK_NAMESPACE_DECLARATIONS} ID="{}" InResponseTo="{}" IssueInstant="{}" Version="2.0"><saml2:Issuer>{}</saml2:Issuer>{after_issuer}{status}{body}</saml2p:Response>"#,
        escape_attr(id),
        escape_attr(in_response_to),
        format_instant(instant),
        escape_text(issuer),
    )
}

fn artifact_response_xml(id: &str, in_response_to: &str, instant: OffsetDateTime, issuer: &str, after_issuer: &str, body: &str) -> String {
    format!(
        r#"<saml2p:ArtifactResponse {WK_NAMESPACE_DECLARATIONS} ID="{}" InResponseTo="{}" IssueInstant="{}" Version="2.0"><saml2:Issuer>{}</saml2:Issuer>{after_issuer}{}{body}</saml2p:ArtifactResponse>"#,
        escape_attr(id),
        escape_attr(in_response_to),
        format_instant(instant),
        escape_text(issuer),
        status_xml(true),
    )
}

fn extensions(content: &str) -> String {
    format!("<saml2p:Extensions>{content}</saml2p:Extensions>")
}

/// Byte range of the direct-child `ds:Signature` of the root of `xml`.
fn root_signature_range(xml: &str) -> Result<std::ops::Range<usize>, FakeWkError> {
    let doc = roxmltree::Document::parse(xml).map_err(|e| FakeWkError::Xml(e.to_string()))?;
    doc.root_element()
        .children()
        .find(|n| n.is_element() && n.tag_name().name() == "Signature" && n.tag_name().namespace() == Some(NS_DS))
        .map(|n| n.range())
        .ok_or(FakeWkError::Xml("no signature to move".into()))
}

/// Builds the SOAP ArtifactResponse for one login, committing `misbehaviour`.
pub(crate) fn build_artifact_answer(
    facts: &LoginFacts<'_>,
    misbehaviour: Misbehaviour,
    genuine: &SigningMaterial<'_>,
    wrong: &SigningMaterial<'_>,
) -> Result<BuiltAnswer, FakeWkError> {
    use Misbehaviour as M;
    let now = facts.now;
    let issue_instant = if misbehaviour == M::StaleResponse { now - Duration::hours(2) } else { now };
    let response_id = facts.reuse_response_id.map_or_else(random_id, str::to_owned);
    let assertion_id = facts.reuse_assertion_id.map_or_else(|| format!("_{}", random_id()), str::to_owned);

    // The assertion, with the misbehaviours that live inside it.
    let mut spec = AssertionSpec::for_persona(facts, facts.persona, assertion_id.clone());
    match misbehaviour {
        M::Expired => {
            spec.not_before = now - Duration::hours(1);
            spec.not_on_or_after = now - Duration::minutes(5);
        }
        M::NotYetValid => {
            spec.not_before = now + Duration::hours(1);
            spec.not_on_or_after = now + Duration::hours(2);
        }
        M::WrongAudience => spec.audience = "https://inny-serwis.example.gov.pl".into(),
        M::WrongRecipient => spec.recipient = "https://inny-serwis.example.gov.pl/acs".into(),
        M::WrongInResponseTo => spec.in_response_to = random_id(),
        M::WrongIssuer => spec.issuer = "evil.example".into(),
        M::LowLoa => spec.loa = LoA::Low,
        M::MissingAttribute => spec.pesel_xml = None,
        M::CommentInNameId => {
            let login = &facts.persona.login;
            let split = login.char_indices().nth(2).map_or(login.len(), |(i, _)| i);
            spec.name_id_xml = format!("{}<!---->{}", escape_text(&login[..split]), escape_text(&login[split..]));
        }
        M::CommentInAttribute => {
            // The CVE-2017-11427 shape: a parser that reads the first text node gets 7 digits.
            let pesel = facts.persona.pesel.as_str();
            spec.pesel_xml = Some(format!("{}<!-- -->{}", &pesel[..7], &pesel[7..]));
        }
        M::DoctypeInAssertion => spec.doctype = true,
        _ => {}
    }
    let twist = match misbehaviour {
        M::ShortContentKey => EncryptionTwist::ShortContentKey,
        M::InvalidCurvePoint => EncryptionTwist::InvalidCurvePoint,
        M::TruncatedCiphertext => EncryptionTwist::TruncatedCiphertext,
        _ => EncryptionTwist::Faithful,
    };
    let encrypted = encrypt_assertion(&spec.render(), facts.sp_encryption_key, facts.wk_entity_id, facts.sp_entity_id, twist)?;

    // A forged assertion for the intruder, correctly encrypted to the SP (anyone can do that).
    let forged_spec = AssertionSpec::for_persona(facts, facts.intruder, format!("_{}", random_id()));
    let forged_encrypted = || {
        encrypt_assertion(&forged_spec.render(), facts.sp_encryption_key, facts.wk_entity_id, facts.sp_entity_id, EncryptionTwist::Faithful)
    };

    let mut body = if facts.cancelled { String::new() } else { encrypted };
    match misbehaviour {
        M::ExtraAssertion => body.push_str(&forged_encrypted()?),
        M::PlaintextAssertionAlongside => body.push_str(&forged_spec.render()),
        _ => {}
    }
    let success = !(facts.cancelled || misbehaviour == M::FailedStatusWithPayload);
    let response_irt = if misbehaviour == M::WrongInResponseTo { spec.in_response_to.clone() } else { facts.request_id.to_owned() };

    // Which key and algorithms sign.
    let signer = if matches!(misbehaviour, M::WrongKey | M::Sha1Signature | M::RsaSignature) { wrong } else { genuine };
    let sign_response = !matches!(misbehaviour, M::Unsigned | M::UnsignedResponse);
    let sign_outer = !matches!(misbehaviour, M::Unsigned | M::UnsignedArtifactResponse);

    let template = if sign_response { signer.template(&response_id) } else { String::new() };
    let response = response_xml(&response_id, &response_irt, issue_instant, facts.wk_entity_id, &template, &status_xml(success), &body);
    let signed_response = if sign_response { signer.sign(&response)? } else { response };

    // A forged, unsigned Response for the intruder; `inner` lets it wrap something.
    let forged_response = |id: &str, after_issuer: &str| -> Result<String, FakeWkError> {
        Ok(response_xml(id, facts.request_id, issue_instant, facts.wk_entity_id, after_issuer, &status_xml(true), &forged_encrypted()?))
    };

    let mut outer_extensions = String::new();
    let inner = match misbehaviour {
        M::TamperedAfterSigning => {
            let cut = signed_response.rfind("</saml2p:Response>").ok_or(FakeWkError::Xml("no Response end".into()))?;
            format!("{}{}{}", &signed_response[..cut], forged_encrypted()?, &signed_response[cut..])
        }
        M::XswForgedResponseWrapsSigned => forged_response(&random_id(), &extensions(&signed_response))?,
        M::XswForgedResponseWithCopiedSignature => {
            let range = root_signature_range(&signed_response)?;
            let copied = signed_response.get(range).unwrap_or_default();
            format!("{}{}", forged_response(&random_id(), copied)?, signed_response)
        }
        M::XswForgedResponseInExtensions => {
            let range = root_signature_range(&signed_response)?;
            let copied = signed_response.get(range).unwrap_or_default();
            outer_extensions = extensions(&forged_response(&random_id(), copied)?);
            signed_response
        }
        M::XswSignedResponseInExtensions => {
            outer_extensions = extensions(&signed_response);
            forged_response(&random_id(), "")?
        }
        M::EmptyArtifactResponse => String::new(),
        _ => signed_response,
    };

    let ar_id = random_id();
    let ar_irt = if misbehaviour == M::WrongResolveInResponseTo { random_id() } else { facts.resolve_id.to_owned() };
    let outer_template = if sign_outer { signer.template(&ar_id) } else { String::new() };
    let outer =
        artifact_response_xml(&ar_id, &ar_irt, issue_instant, facts.wk_entity_id, &format!("{outer_template}{outer_extensions}"), &inner);
    let signed_outer = if sign_outer { signer.sign(&outer)? } else { outer };

    let message = match misbehaviour {
        M::XswWrappedArtifactResponse => artifact_response_xml(
            &random_id(),
            facts.resolve_id,
            issue_instant,
            facts.wk_entity_id,
            &extensions(&signed_outer),
            &forged_response(&random_id(), "")?,
        ),
        M::XswSignatureMovedToForgedRoot => {
            let range = root_signature_range(&signed_outer)?;
            let signature = signed_outer.get(range.clone()).unwrap_or_default();
            let without =
                format!("{}{}", signed_outer.get(..range.start).unwrap_or_default(), signed_outer.get(range.end..).unwrap_or_default());
            artifact_response_xml(
                &random_id(),
                facts.resolve_id,
                issue_instant,
                facts.wk_entity_id,
                &format!("{signature}{}", extensions(&without)),
                &forged_response(&random_id(), "")?,
            )
        }
        M::DuplicateIds => {
            // After signing, so the only thing wrong is the duplicate.
            let cut = signed_outer.rfind("</saml2p:ArtifactResponse>").ok_or(FakeWkError::Xml("no end".into()))?;
            format!(
                r#"{}<saml2p:Extensions><saml2:Issuer ID="{}">{}</saml2:Issuer></saml2p:Extensions>{}"#,
                &signed_outer[..cut],
                escape_attr(&ar_id),
                escape_text(facts.wk_entity_id),
                &signed_outer[cut..]
            )
        }
        _ => signed_outer,
    };

    let mut soap = identity::artifact::soap_envelope(&message);
    match misbehaviour {
        M::Doctype => {
            soap = soap.replacen("?>", r#"?><!DOCTYPE soap:Envelope [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>"#, 1);
        }
        M::OversizedResponse => {
            let padding = format!("<!--{}-->", "x".repeat(300 * 1024));
            soap = soap.replacen("</soap:Envelope>", &format!("{padding}</soap:Envelope>"), 1);
        }
        _ => {}
    }
    Ok(BuiltAnswer { soap, response_id, assertion_id })
}

/// A signed SOAP LogoutResponse answering `in_response_to`.
pub(crate) fn build_logout_answer(
    wk_entity_id: &str,
    in_response_to: &str,
    destination: Option<&str>,
    now: OffsetDateTime,
    genuine: &SigningMaterial<'_>,
) -> Result<String, FakeWkError> {
    let id = random_id();
    let destination = destination.map(|d| format!(r#" Destination="{}""#, escape_attr(d))).unwrap_or_default();
    let xml = format!(
        r#"<saml2p:LogoutResponse {WK_NAMESPACE_DECLARATIONS}{destination} ID="{}" InResponseTo="{}" IssueInstant="{}" Version="2.0"><saml2:Issuer>{}</saml2:Issuer>{}{}</saml2p:LogoutResponse>"#,
        escape_attr(&id),
        escape_attr(in_response_to),
        format_instant(now),
        escape_text(wk_entity_id),
        genuine.template(&id),
        status_xml(true),
    );
    Ok(identity::artifact::soap_envelope(&genuine.sign(&xml)?))
}

/// A signed SOAP ArtifactResponse with status Success and no message: what SAML prescribes
/// when the artifact is unknown (SAML 2.0 bindings §3.6.6).
pub(crate) fn build_empty_answer(
    wk_entity_id: &str,
    in_response_to: &str,
    now: OffsetDateTime,
    genuine: &SigningMaterial<'_>,
) -> Result<String, FakeWkError> {
    let id = random_id();
    let xml = artifact_response_xml(&id, in_response_to, now, wk_entity_id, &genuine.template(&id), "");
    Ok(identity::artifact::soap_envelope(&genuine.sign(&xml)?))
}
