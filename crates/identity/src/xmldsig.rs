//! XML signatures: signing our messages and verifying the login node's, on top of samael's
//! xmlsec binding.
//!
//! Verification is two-layered:
//!
//! 1. **Structure first, on the raw text** (our code): no DOCTYPE, unique `ID`s, every element
//!    that must be signed carries exactly one `ds:Signature` as a direct child, whose single
//!    `Reference` points at that very element (`URI="#<its ID>"`), with only allowed algorithms
//!    (ECDSA-SHA256/384/512, SHA-256/384/512 digests, exclusive C14N, enveloped-signature), no
//!    comments inside `SignedInfo`, no `Object`; no other `ds:Signature` anywhere. This refuses
//!    signature wrapping (XSW) and algorithm downgrades with precise errors.
//! 2. **Cryptography** (samael `reduce_xml_to_signed_with_allowed_algorithms`, xmlsec1):
//!    every signature must verify against one of the pinned certificates (`KeyInfo` in the
//!    message is ignored), the same algorithm allow-list is enforced again, and everything not
//!    covered by a verified signature is removed. The caller reads only this reduced document
//!    (re-serialised by libxml2), i.e. exactly what was verified (identity.md §3 #5).
//!
//! libxml2/xmlsec calls are serialised through one process-wide lock.

use std::collections::HashSet;
use std::sync::Mutex;

use roxmltree::{Node, NodeType};
use samael::crypto::{AllowedSignatureAlgorithm, CertificateDer, Crypto, CryptoError, CryptoProvider, ReduceMode};

use crate::error::{LoginError, protocol_value};
use crate::keys::{Certificate, EcPrivateKey};
use crate::saml::*;
use crate::xml::{self, is};

static XMLSEC_LOCK: Mutex<()> = Mutex::new(());

fn with_xmlsec<T>(f: impl FnOnce() -> T) -> T {
    let _guard = match XMLSEC_LOCK.lock() {
        Ok(guard) => guard,
        Err(poisoned) => poisoned.into_inner(),
    };
    f()
}

/// Signature methods we accept from the login node (identity.md §3 #9; never SHA-1, no RSA).
pub const ALLOWED_SIGNATURE_METHODS: [&str; 3] = [ALG_ECDSA_SHA256, ALG_ECDSA_SHA384, ALG_ECDSA_SHA512];
/// Reference digest methods we accept.
pub const ALLOWED_DIGEST_METHODS: [&str; 3] = [DIGEST_SHA256, DIGEST_SHA384, DIGEST_SHA512];
const SAMAEL_ALLOW_LIST: [AllowedSignatureAlgorithm; 3] =
    [AllowedSignatureAlgorithm::EcdsaSha256, AllowedSignatureAlgorithm::EcdsaSha384, AllowedSignatureAlgorithm::EcdsaSha512];

/// How a signature template is written.
#[derive(Debug, Clone, Copy)]
pub struct SignatureSpec<'a> {
    /// `SignatureMethod/@Algorithm`.
    pub signature_method: &'a str,
    /// `DigestMethod/@Algorithm`.
    pub digest_method: &'a str,
    /// `InclusiveNamespaces/@PrefixList` of the exclusive-C14N transform, if any.
    pub inclusive_prefixes: Option<&'a str>,
    /// Certificate to put in `KeyInfo` (informational; verifiers must ignore it).
    pub certificate: Option<&'a Certificate>,
}

impl<'a> SignatureSpec<'a> {
    /// ECDSA-SHA256 with a SHA-256 digest and WK's inclusive prefix list — what WK and we use.
    pub fn ecdsa_sha256(certificate: Option<&'a Certificate>) -> SignatureSpec<'a> {
        SignatureSpec {
            signature_method: ALG_ECDSA_SHA256,
            digest_method: DIGEST_SHA256,
            inclusive_prefixes: Some(WK_INCLUSIVE_PREFIXES),
            certificate,
        }
    }
}

/// An empty enveloped `ds:Signature` template for the element with `ID="reference_id"`; put it
/// right after the element's `Issuer` and call [`sign`]. The `ds` prefix must be declared on an
/// ancestor (all our message roots declare it).
pub fn signature_template(reference_id: &str, spec: &SignatureSpec<'_>) -> String {
    let inclusive = spec
        .inclusive_prefixes
        .map(|list| format!(r#"<ec:InclusiveNamespaces xmlns:ec="{NS_EXC_C14N}" PrefixList="{}"/>"#, xml::escape_attr(list)))
        .unwrap_or_default();
    let key_info = spec
        .certificate
        .map(|cert| {
            format!("<ds:KeyInfo><ds:X509Data><ds:X509Certificate>{}</ds:X509Certificate></ds:X509Data></ds:KeyInfo>", cert.to_base64())
        })
        .unwrap_or_default();
    format!(
        concat!(
            "<ds:Signature><ds:SignedInfo>",
            r#"<ds:CanonicalizationMethod Algorithm="{c14n}"/>"#,
            r#"<ds:SignatureMethod Algorithm="{sig}"/>"#,
            r##"<ds:Reference URI="#{id}"><ds:Transforms>"##,
            r#"<ds:Transform Algorithm="{env}"/>"#,
            r#"<ds:Transform Algorithm="{c14n}">{inclusive}</ds:Transform>"#,
            "</ds:Transforms>",
            r#"<ds:DigestMethod Algorithm="{digest}"/>"#,
            "<ds:DigestValue></ds:DigestValue></ds:Reference></ds:SignedInfo>",
            "<ds:SignatureValue></ds:SignatureValue>{key_info}</ds:Signature>"
        ),
        c14n = C14N_EXCLUSIVE,
        sig = xml::escape_attr(spec.signature_method),
        id = xml::escape_attr(reference_id),
        env = TRANSFORM_ENVELOPED,
        inclusive = inclusive,
        digest = xml::escape_attr(spec.digest_method),
        key_info = key_info,
    )
}

/// Signs the first `ds:Signature` template in `xml` with an EC P-256 key. Returns the document
/// as serialised by libxml2 (with an XML declaration; see [`xml::strip_xml_declaration`]).
pub fn sign(xml_with_template: &str, key: &EcPrivateKey) -> Result<String, LoginError> {
    let der = key.to_pkcs8_der().map_err(|e| LoginError::Signing(e.to_string()))?;
    sign_with_der_key(xml_with_template, &der)
}

/// Like [`sign`], with any private key xmlsec can load as DER (PKCS#8, PKCS#1 RSA).
/// Used by the fake login node for its deliberately wrong (RSA, SHA-1) signatures.
pub fn sign_with_der_key(xml_with_template: &str, key_der: &[u8]) -> Result<String, LoginError> {
    with_xmlsec(|| Crypto::sign_xml(xml_with_template, key_der)).map_err(|e| LoginError::Signing(e.to_string()))
}

/// An element that must be signed: namespace, local name, label for errors.
#[derive(Debug, Clone, Copy)]
pub struct ElementName {
    /// Namespace URI.
    pub ns: &'static str,
    /// Local name.
    pub local: &'static str,
    /// Label used in error messages.
    pub label: &'static str,
}

/// Which elements of a message must be signed.
#[derive(Debug, Clone, Copy)]
pub struct MessageSpec {
    /// The message element: the document root, or the only child of a SOAP 1.1 `Body`.
    pub root: ElementName,
    /// Direct children of the root that must each carry their own signature when present.
    pub signed_children: &'static [ElementName],
    /// Label for a cryptographic failure (xmlsec does not say which signature failed).
    pub label: &'static str,
}

/// `samlp:ArtifactResponse` with its inner `samlp:Response` — both signed by WK.
pub const ARTIFACT_RESPONSE: MessageSpec = MessageSpec {
    root: ElementName { ns: NS_SAML2P, local: "ArtifactResponse", label: "ArtifactResponse" },
    signed_children: &[ElementName { ns: NS_SAML2P, local: "Response", label: "Response" }],
    label: "ArtifactResponse/Response",
};

/// `samlp:LogoutResponse`, signed by WK.
pub const LOGOUT_RESPONSE: MessageSpec = MessageSpec {
    root: ElementName { ns: NS_SAML2P, local: "LogoutResponse", label: "LogoutResponse" },
    signed_children: &[],
    label: "LogoutResponse",
};

/// `samlp:AuthnRequest`, signed by the SP (checked by the fake login node).
pub const AUTHN_REQUEST: MessageSpec = MessageSpec {
    root: ElementName { ns: NS_SAML2P, local: "AuthnRequest", label: "AuthnRequest" },
    signed_children: &[],
    label: "AuthnRequest",
};

/// `samlp:ArtifactResolve`, signed by the SP (checked by the fake login node).
pub const ARTIFACT_RESOLVE: MessageSpec = MessageSpec {
    root: ElementName { ns: NS_SAML2P, local: "ArtifactResolve", label: "ArtifactResolve" },
    signed_children: &[],
    label: "ArtifactResolve",
};

/// `samlp:LogoutRequest`, signed by the SP (checked by the fake login node).
pub const LOGOUT_REQUEST: MessageSpec = MessageSpec {
    root: ElementName { ns: NS_SAML2P, local: "LogoutRequest", label: "LogoutRequest" },
    signed_children: &[],
    label: "LogoutRequest",
};

/// The verified part of a message.
#[derive(Debug, Clone)]
pub struct VerifiedMessage {
    /// The reduced document (root = the message element), as re-serialised by libxml2 after
    /// verification. Read only this.
    pub xml: String,
    /// `ID` of the message element.
    pub root_id: String,
    /// `ID`s of the signed children (e.g. the Response inside an ArtifactResponse).
    pub signed_child_ids: Vec<String>,
}

/// Verifies `raw` (a bare message or a SOAP 1.1 envelope around it) against `certs`; see the
/// module documentation for every check.
pub fn verify_message(raw: &str, spec: &MessageSpec, certs: &[Certificate]) -> Result<VerifiedMessage, LoginError> {
    if certs.is_empty() {
        // Never fail open (identity.md §0.3): without pinned certificates nothing verifies.
        return Err(LoginError::SignatureInvalid { element: spec.label });
    }
    let doc = xml::parse(raw)?;
    let message = message_element(&doc, spec.root)?;
    check_unique_ids(&doc)?;

    let root_id = element_id(message, spec.root.label)?;
    let mut checked: HashSet<roxmltree::NodeId> = HashSet::new();
    checked.insert(single_signature(message, spec.root.label)?.id());
    let mut signed_child_ids = Vec::new();
    for child in xml::element_children(message) {
        if let Some(name) = spec.signed_children.iter().find(|n| is(child, n.ns, n.local)) {
            signed_child_ids.push(element_id(child, name.label)?);
            checked.insert(single_signature(child, name.label)?.id());
        }
    }
    let unexpected = doc.descendants().any(|n| is(n, NS_DS, "Signature") && !checked.contains(&n.id()));
    if unexpected {
        return Err(LoginError::SignatureStructure { element: spec.label, reason: "a Signature element outside the signed elements" });
    }

    let certs_der: Vec<CertificateDer> = certs.iter().map(|c| CertificateDer::from(c.der().to_vec())).collect();
    let reduced = with_xmlsec(|| {
        Crypto::reduce_xml_to_signed_with_allowed_algorithms(
            raw,
            &certs_der,
            ReduceMode::ValidateAndMarkNoAncestors,
            Some(&SAMAEL_ALLOW_LIST),
        )
    })
    .map_err(|e| map_crypto_error(&e, spec.label))?;

    // The reduced document must be rooted at the very message element we checked.
    let reduced_doc = xml::parse(&reduced).map_err(|_| LoginError::SignedContentMismatch)?;
    let reduced_root = reduced_doc.root_element();
    if !is(reduced_root, spec.root.ns, spec.root.local) || reduced_root.attribute("ID") != Some(root_id.as_str()) {
        return Err(LoginError::SignedContentMismatch);
    }
    drop(reduced_doc);
    Ok(VerifiedMessage { xml: reduced, root_id, signed_child_ids })
}

fn map_crypto_error(error: &CryptoError, label: &'static str) -> LoginError {
    let text = error.to_string();
    if text.contains("duplicate XML ID") {
        return LoginError::DuplicateId;
    }
    // InvalidSignature: no pinned certificate verifies; provider errors: xmlsec refused to
    // process the signature (e.g. key type does not match the algorithm). Both are refusals.
    LoginError::SignatureInvalid { element: label }
}

/// The message element: the document root, or the single element inside a SOAP 1.1 Body.
fn message_element<'a, 'input>(doc: &'a roxmltree::Document<'input>, root: ElementName) -> Result<Node<'a, 'input>, LoginError> {
    let top = doc.root_element();
    let message = if is(top, NS_SOAP11, "Envelope") {
        let body = xml::one_child(
            top,
            NS_SOAP11,
            "Body",
            LoginError::UnexpectedElement { expected: "a SOAP Body", found: "none".into() },
            LoginError::UnexpectedElement { expected: "one SOAP Body", found: "several".into() },
        )?;
        for other in xml::element_children(top) {
            if !(is(other, NS_SOAP11, "Body") || is(other, NS_SOAP11, "Header")) {
                return Err(LoginError::UnexpectedElement { expected: "SOAP Header or Body", found: xml::qname(other) });
            }
        }
        let mut inner = xml::element_children(body);
        let first = inner.next().ok_or(LoginError::UnexpectedElement { expected: root.label, found: "an empty SOAP Body".into() })?;
        if is(first, NS_SOAP11, "Fault") {
            return Err(LoginError::SoapFault);
        }
        if inner.next().is_some() {
            return Err(LoginError::UnexpectedElement { expected: "exactly one element in the SOAP Body", found: "several".into() });
        }
        first
    } else {
        top
    };
    if !is(message, root.ns, root.local) {
        return Err(LoginError::UnexpectedElement { expected: root.label, found: xml::qname(message) });
    }
    Ok(message)
}

fn element_id(node: Node<'_, '_>, label: &'static str) -> Result<String, LoginError> {
    match node.attribute("ID") {
        Some(id) if !id.is_empty() => Ok(id.to_owned()),
        _ => Err(LoginError::MessageMalformed { element: label, what: "the ID attribute" }),
    }
}

fn check_unique_ids(doc: &roxmltree::Document<'_>) -> Result<(), LoginError> {
    let mut seen = HashSet::new();
    for node in doc.descendants().filter(Node::is_element) {
        for attr in node.attributes() {
            if attr.namespace().is_none() && (attr.name() == "ID" || attr.name() == "Id") && !seen.insert(attr.value()) {
                return Err(LoginError::DuplicateId);
            }
        }
    }
    Ok(())
}

/// The one `ds:Signature` directly under `element`, checked for shape and algorithms.
fn single_signature<'a, 'input>(element: Node<'a, 'input>, label: &'static str) -> Result<Node<'a, 'input>, LoginError> {
    let mut signatures = xml::children(element, NS_DS, "Signature");
    let signature = signatures.next().ok_or(LoginError::MissingSignature { element: label })?;
    if signatures.next().is_some() {
        return Err(LoginError::SignatureStructure { element: label, reason: "more than one Signature" });
    }
    let id = element.attribute("ID").unwrap_or_default();
    check_signature_shape(signature, id, label)?;
    Ok(signature)
}

fn structure(label: &'static str, reason: &'static str) -> LoginError {
    LoginError::SignatureStructure { element: label, reason }
}

fn disallowed(uri: Option<&str>) -> LoginError {
    LoginError::DisallowedAlgorithm { uri: protocol_value(uri.unwrap_or("(none)")) }
}

fn check_signature_shape(signature: Node<'_, '_>, element_id: &str, label: &'static str) -> Result<(), LoginError> {
    let kids: Vec<Node<'_, '_>> = xml::element_children(signature).collect();
    let (signed_info, rest) = kids.split_first().ok_or(structure(label, "empty Signature"))?;
    if !is(*signed_info, NS_DS, "SignedInfo") {
        return Err(structure(label, "SignedInfo must come first"));
    }
    match rest {
        [value] | [value, _] if is(*value, NS_DS, "SignatureValue") => {}
        _ => return Err(structure(label, "Signature must hold SignedInfo, SignatureValue and optionally KeyInfo")),
    }
    if let [_, key_info] = rest
        && !is(*key_info, NS_DS, "KeyInfo")
    {
        return Err(structure(label, "unexpected element in Signature"));
    }
    if signed_info.descendants().any(|n| matches!(n.node_type(), NodeType::Comment | NodeType::PI)) {
        return Err(structure(label, "comment or processing instruction inside SignedInfo"));
    }

    let parts: Vec<Node<'_, '_>> = xml::element_children(*signed_info).collect();
    let [c14n, method, reference] = parts.as_slice() else {
        return Err(structure(label, "SignedInfo must hold exactly CanonicalizationMethod, SignatureMethod and one Reference"));
    };
    if !is(*c14n, NS_DS, "CanonicalizationMethod") || !is(*method, NS_DS, "SignatureMethod") || !is(*reference, NS_DS, "Reference") {
        return Err(structure(label, "SignedInfo must hold exactly CanonicalizationMethod, SignatureMethod and one Reference"));
    }
    if c14n.attribute("Algorithm") != Some(C14N_EXCLUSIVE) {
        return Err(disallowed(c14n.attribute("Algorithm")));
    }
    if xml::element_children(*c14n).any(|n| !is(n, NS_EXC_C14N, "InclusiveNamespaces")) {
        return Err(structure(label, "unexpected parameter of CanonicalizationMethod"));
    }
    let signature_method = method.attribute("Algorithm");
    if !signature_method.is_some_and(|m| ALLOWED_SIGNATURE_METHODS.contains(&m)) {
        return Err(disallowed(signature_method));
    }
    if xml::element_children(*method).next().is_some() {
        return Err(structure(label, "unexpected parameter of SignatureMethod"));
    }

    let expected_uri = format!("#{element_id}");
    if element_id.is_empty() || reference.attribute("URI") != Some(expected_uri.as_str()) {
        return Err(LoginError::SignatureReferenceMismatch { element: label });
    }
    let ref_parts: Vec<Node<'_, '_>> = xml::element_children(*reference).collect();
    let (transforms, digest_method, digest_value) = match ref_parts.as_slice() {
        [t, m, v] if is(*t, NS_DS, "Transforms") => (Some(*t), *m, *v),
        [m, v] => (None, *m, *v),
        _ => return Err(structure(label, "Reference must hold Transforms, DigestMethod and DigestValue")),
    };
    if !is(digest_method, NS_DS, "DigestMethod") || !is(digest_value, NS_DS, "DigestValue") {
        return Err(structure(label, "Reference must hold Transforms, DigestMethod and DigestValue"));
    }
    let transforms = transforms.ok_or(structure(label, "the enveloped-signature transform is missing"))?;
    let mut seen = Vec::new();
    for transform in xml::element_children(transforms) {
        if !is(transform, NS_DS, "Transform") {
            return Err(structure(label, "unexpected element in Transforms"));
        }
        let algorithm = transform.attribute("Algorithm");
        match algorithm {
            Some(TRANSFORM_ENVELOPED) if xml::element_children(transform).next().is_none() => {}
            Some(C14N_EXCLUSIVE) if xml::element_children(transform).all(|n| is(n, NS_EXC_C14N, "InclusiveNamespaces")) => {}
            Some(TRANSFORM_ENVELOPED | C14N_EXCLUSIVE) => return Err(structure(label, "unexpected parameter of a Transform")),
            other => return Err(disallowed(other)),
        }
        if seen.contains(&algorithm) {
            return Err(structure(label, "a Transform is repeated"));
        }
        seen.push(algorithm);
    }
    if !seen.contains(&Some(TRANSFORM_ENVELOPED)) {
        return Err(structure(label, "the enveloped-signature transform is missing"));
    }
    let digest = digest_method.attribute("Algorithm");
    if !digest.is_some_and(|d| ALLOWED_DIGEST_METHODS.contains(&d)) {
        return Err(disallowed(digest));
    }
    if xml::element_children(digest_method).next().is_some() {
        return Err(structure(label, "unexpected parameter of DigestMethod"));
    }
    xml::text_only(digest_value, "DigestValue").map_err(|_| structure(label, "markup inside DigestValue"))?;
    if let Some(value) = rest.first() {
        xml::text_only(*value, "SignatureValue").map_err(|_| structure(label, "markup inside SignatureValue"))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::EcPrivateKey;

    fn self_signed() -> (EcPrivateKey, Certificate) {
        crate::keys::generate_self_signed("test-signer", 30).unwrap()
    }

    fn message(id: &str, inner: &str) -> String {
        format!(
            r#"<saml2p:LogoutResponse {WK_NAMESPACE_DECLARATIONS} ID="{id}" Version="2.0" IssueInstant="2026-01-01T00:00:00.000Z"><saml2:Issuer>wk</saml2:Issuer>{inner}<saml2p:Status><saml2p:StatusCode Value="{STATUS_SUCCESS}"/></saml2p:Status></saml2p:LogoutResponse>"#
        )
    }

    #[test]
    fn signs_and_verifies_with_a_pinned_certificate() {
        let (key, cert) = self_signed();
        let xml = message("ID-1", &signature_template("ID-1", &SignatureSpec::ecdsa_sha256(Some(&cert))));
        let signed = sign(&xml, &key).unwrap();
        let verified = verify_message(&signed, &LOGOUT_RESPONSE, std::slice::from_ref(&cert)).unwrap();
        assert_eq!(verified.root_id, "ID-1");
        assert!(verified.xml.contains("LogoutResponse"));

        let (_, other) = self_signed();
        assert_eq!(
            verify_message(&signed, &LOGOUT_RESPONSE, &[other]).unwrap_err(),
            LoginError::SignatureInvalid { element: "LogoutResponse" }
        );
        let tampered = signed.replace("<saml2:Issuer>wk</saml2:Issuer>", "<saml2:Issuer>evil</saml2:Issuer>");
        assert_eq!(tampered.len(), signed.len() + 2);
        assert!(matches!(verify_message(&tampered, &LOGOUT_RESPONSE, &[cert]), Err(LoginError::SignatureInvalid { .. })));
    }

    #[test]
    fn refuses_unsigned_and_misreferenced_and_sha1() {
        let (key, cert) = self_signed();
        let unsigned = message("ID-1", "");
        assert_eq!(
            verify_message(&unsigned, &LOGOUT_RESPONSE, std::slice::from_ref(&cert)).unwrap_err(),
            LoginError::MissingSignature { element: "LogoutResponse" }
        );
        let wrong_ref = message("ID-1", &signature_template("ID-2", &SignatureSpec::ecdsa_sha256(None)));
        assert_eq!(
            verify_message(&wrong_ref, &LOGOUT_RESPONSE, std::slice::from_ref(&cert)).unwrap_err(),
            LoginError::SignatureReferenceMismatch { element: "LogoutResponse" }
        );
        let sha1 =
            SignatureSpec { signature_method: ALG_ECDSA_SHA1, digest_method: DIGEST_SHA1, inclusive_prefixes: None, certificate: None };
        let signed = sign(&message("ID-1", &signature_template("ID-1", &sha1)), &key).unwrap();
        assert!(matches!(
            verify_message(&signed, &LOGOUT_RESPONSE, std::slice::from_ref(&cert)).unwrap_err(),
            LoginError::DisallowedAlgorithm { .. }
        ));
        assert_eq!(
            verify_message(&unsigned, &LOGOUT_RESPONSE, &[]).unwrap_err(),
            LoginError::SignatureInvalid { element: "LogoutResponse" }
        );
    }

    #[test]
    fn verifies_inside_a_soap_envelope_and_refuses_faults() {
        let (key, cert) = self_signed();
        let signed = sign(&message("ID-9", &signature_template("ID-9", &SignatureSpec::ecdsa_sha256(None))), &key).unwrap();
        let soap = format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><soap:Envelope xmlns:soap="{NS_SOAP11}"><soap:Header/><soap:Body>{}</soap:Body></soap:Envelope>"#,
            xml::strip_xml_declaration(&signed)
        );
        let verified = verify_message(&soap, &LOGOUT_RESPONSE, std::slice::from_ref(&cert)).unwrap();
        assert!(verified.xml.trim_start().starts_with("<?xml") || verified.xml.contains("<saml2p:LogoutResponse"));
        assert!(!verified.xml.contains("Envelope"));
        let fault = format!(r#"<soap:Envelope xmlns:soap="{NS_SOAP11}"><soap:Body><soap:Fault/></soap:Body></soap:Envelope>"#);
        assert_eq!(verify_message(&fault, &LOGOUT_RESPONSE, &[cert]).unwrap_err(), LoginError::SoapFault);
    }

    /// The real COI capture (an ArtifactResponse from the WK test environment) has exactly the
    /// structure our checks demand; it fails only cryptographically, because the published file
    /// was reformatted after signing (identity.md §1.11).
    #[test]
    fn the_real_wk_capture_passes_the_structural_checks() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/vectors/wk-encryption/encryptedEC.xml");
        let raw = std::fs::read_to_string(path).unwrap();
        let doc = roxmltree::Document::parse(&raw).unwrap();
        let cert_text = doc.descendants().find(|n| is(*n, NS_DS, "X509Certificate")).and_then(|n| n.text()).unwrap();
        let wk_cert = Certificate::from_base64(cert_text).unwrap();
        assert!(wk_cert.subject().contains("WK_SIG_EC") && wk_cert.is_p256());
        assert_eq!(
            verify_message(&raw, &ARTIFACT_RESPONSE, &[wk_cert]).unwrap_err(),
            LoginError::SignatureInvalid { element: "ArtifactResponse/Response" }
        );
    }
}
