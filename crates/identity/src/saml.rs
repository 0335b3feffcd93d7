//! Names used on the wire by Węzeł Krajowy (identity.md §1.3–§1.8): XML namespaces, algorithm
//! URIs, status codes and the four eIDAS natural-person attributes.
//!
//! Public so that the local imitation of the node (`fake-wk`) produces byte-compatible messages
//! from the same constants.

/// SAML 2.0 assertion namespace (prefix `saml2` in WK messages).
pub const NS_SAML2: &str = "urn:oasis:names:tc:SAML:2.0:assertion";
/// SAML 2.0 protocol namespace (prefix `saml2p`).
pub const NS_SAML2P: &str = "urn:oasis:names:tc:SAML:2.0:protocol";
/// XML Signature namespace (prefix `ds`).
pub const NS_DS: &str = "http://www.w3.org/2000/09/xmldsig#";
/// XML Signature 1.1 namespace (prefix `dsig11`), for `ECKeyValue`.
pub const NS_DSIG11: &str = "http://www.w3.org/2009/xmldsig11#";
/// XML Encryption namespace (prefix `xenc`).
pub const NS_XENC: &str = "http://www.w3.org/2001/04/xmlenc#";
/// XML Encryption 1.1 namespace (prefix `xenc11`), for `ConcatKDFParams`.
pub const NS_XENC11: &str = "http://www.w3.org/2009/xmlenc11#";
/// eIDAS SAML extensions (prefix `eidas`).
pub const NS_EIDAS: &str = "http://eidas.europa.eu/saml-extensions";
/// eIDAS natural-person attribute types (prefix `naturalperson`).
pub const NS_EIDAS_NATURAL_PERSON: &str = "http://eidas.europa.eu/attributes/naturalperson";
/// Exclusive XML canonicalisation (also the namespace of `InclusiveNamespaces`).
pub const NS_EXC_C14N: &str = "http://www.w3.org/2001/10/xml-exc-c14n#";
/// XML Schema instance namespace (`xsi:type`).
pub const NS_XSI: &str = "http://www.w3.org/2001/XMLSchema-instance";
/// SOAP 1.1 envelope namespace.
pub const NS_SOAP11: &str = "http://schemas.xmlsoap.org/soap/envelope/";

/// `SOAPAction` value of the SAML SOAP binding.
pub const SOAP_ACTION: &str = "http://www.oasis-open.org/committees/security";

/// HTTP-Artifact binding URI, sent as `ProtocolBinding` in the AuthnRequest.
pub const BINDING_HTTP_ARTIFACT: &str = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Artifact";
/// NameID format WK uses.
pub const NAMEID_FORMAT_UNSPECIFIED: &str = "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified";
/// Bearer subject confirmation method.
pub const CM_BEARER: &str = "urn:oasis:names:tc:SAML:2.0:cm:bearer";
/// Attribute name format of the eIDAS attributes.
pub const ATTRNAME_FORMAT_URI: &str = "urn:oasis:names:tc:SAML:2.0:attrname-format:uri";

/// Top-level status code of a successful response.
pub const STATUS_SUCCESS: &str = "urn:oasis:names:tc:SAML:2.0:status:Success";
/// Top-level status code "the requester did something wrong".
pub const STATUS_REQUESTER: &str = "urn:oasis:names:tc:SAML:2.0:status:Requester";
/// Top-level status code "the responder failed".
pub const STATUS_RESPONDER: &str = "urn:oasis:names:tc:SAML:2.0:status:Responder";
/// Second-level status code for a failed authentication (seen from WK, identity.md §1.8).
pub const STATUS_AUTHN_FAILED: &str = "urn:oasis:names:tc:SAML:2.0:status:AuthnFailed";

/// Signature method ECDSA with SHA-256 (what WK and we sign with).
pub const ALG_ECDSA_SHA256: &str = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256";
/// Signature method ECDSA with SHA-384.
pub const ALG_ECDSA_SHA384: &str = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384";
/// Signature method ECDSA with SHA-512.
pub const ALG_ECDSA_SHA512: &str = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha512";
/// Signature method ECDSA with SHA-1 (never accepted; used by the fake's downgrade case).
pub const ALG_ECDSA_SHA1: &str = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha1";
/// Signature method RSA with SHA-256 (not accepted: identity.md §3 #9 allows EC only).
pub const ALG_RSA_SHA256: &str = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256";
/// Signature method RSA with SHA-1 (never accepted).
pub const ALG_RSA_SHA1: &str = "http://www.w3.org/2000/09/xmldsig#rsa-sha1";
/// Digest SHA-256.
pub const DIGEST_SHA256: &str = "http://www.w3.org/2001/04/xmlenc#sha256";
/// Digest SHA-384.
pub const DIGEST_SHA384: &str = "http://www.w3.org/2001/04/xmldsig-more#sha384";
/// Digest SHA-512.
pub const DIGEST_SHA512: &str = "http://www.w3.org/2001/04/xmlenc#sha512";
/// Digest SHA-1 (never accepted).
pub const DIGEST_SHA1: &str = "http://www.w3.org/2000/09/xmldsig#sha1";
/// Exclusive canonicalisation without comments.
pub const C14N_EXCLUSIVE: &str = "http://www.w3.org/2001/10/xml-exc-c14n#";
/// Enveloped-signature transform.
pub const TRANSFORM_ENVELOPED: &str = "http://www.w3.org/2000/09/xmldsig#enveloped-signature";
/// The `InclusiveNamespaces PrefixList` WK puts in its exclusive-C14N transform.
pub const WK_INCLUSIVE_PREFIXES: &str = "ds saml2 saml2p xenc";

/// `EncryptedData` content encryption AES-256-GCM.
pub const ENC_AES256_GCM: &str = "http://www.w3.org/2009/xmlenc11#aes256-gcm";
/// `EncryptedData` content encryption AES-128-GCM.
pub const ENC_AES128_GCM: &str = "http://www.w3.org/2009/xmlenc11#aes128-gcm";
/// Key wrap AES-256 (RFC 3394).
pub const KW_AES256: &str = "http://www.w3.org/2001/04/xmlenc#kw-aes256";
/// Key wrap AES-128 (RFC 3394).
pub const KW_AES128: &str = "http://www.w3.org/2001/04/xmlenc#kw-aes128";
/// Key agreement ECDH-ES.
pub const AGREEMENT_ECDH_ES: &str = "http://www.w3.org/2009/xmlenc11#ECDH-ES";
/// Key derivation ConcatKDF.
pub const KDF_CONCAT: &str = "http://www.w3.org/2009/xmlenc11#ConcatKDF";
/// Named curve P-256 as written in `dsig11:NamedCurve/@URI`.
pub const CURVE_P256_URI: &str = "urn:oid:1.2.840.10045.3.1.7";
/// `EncryptedData/@Type` for an encrypted element.
pub const XENC_TYPE_ELEMENT: &str = "http://www.w3.org/2001/04/xmlenc#Element";

/// The four eIDAS natural-person attributes WK returns (identity.md §1.6). Matching is on the
/// `Name` URI, never on `FriendlyName` or `xsi:type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum WkAttribute {
    /// Given name(s).
    FirstName,
    /// Surname.
    FamilyName,
    /// Date of birth (`xs:date`, e.g. `1987-02-22Z`).
    DateOfBirth,
    /// PESEL for Polish users.
    PersonIdentifier,
}

impl WkAttribute {
    /// All four, in the order WK lists them in the request.
    pub const ALL: [WkAttribute; 4] =
        [WkAttribute::FirstName, WkAttribute::FamilyName, WkAttribute::DateOfBirth, WkAttribute::PersonIdentifier];

    /// The `Name` URI.
    pub fn name(self) -> &'static str {
        match self {
            WkAttribute::FirstName => "http://eidas.europa.eu/attributes/naturalperson/CurrentGivenName",
            WkAttribute::FamilyName => "http://eidas.europa.eu/attributes/naturalperson/CurrentFamilyName",
            WkAttribute::DateOfBirth => "http://eidas.europa.eu/attributes/naturalperson/DateOfBirth",
            WkAttribute::PersonIdentifier => "http://eidas.europa.eu/attributes/naturalperson/PersonIdentifier",
        }
    }

    /// The `FriendlyName` WK sends (differs from the URI tail for names).
    pub fn friendly_name(self) -> &'static str {
        match self {
            WkAttribute::FirstName => "FirstName",
            WkAttribute::FamilyName => "FamilyName",
            WkAttribute::DateOfBirth => "DateOfBirth",
            WkAttribute::PersonIdentifier => "PersonIdentifier",
        }
    }

    /// The `xsi:type` of the value (prefix `naturalperson`).
    pub fn xsi_type(self) -> &'static str {
        match self {
            WkAttribute::FirstName => "naturalperson:CurrentGivenNameType",
            WkAttribute::FamilyName => "naturalperson:CurrentFamilyNameType",
            WkAttribute::DateOfBirth => "naturalperson:DateOfBirthType",
            WkAttribute::PersonIdentifier => "naturalperson:PersonIdentifierType",
        }
    }

    /// Short label used in error messages (never the value).
    pub fn label(self) -> &'static str {
        match self {
            WkAttribute::FirstName => "first name",
            WkAttribute::FamilyName => "last name",
            WkAttribute::DateOfBirth => "date of birth",
            WkAttribute::PersonIdentifier => "person identifier",
        }
    }
}

/// Namespace declarations WK puts on every message root (identity.md §1.6, last note). We
/// declare the same set on every element we sign so that the exclusive canonical form (with
/// WK's inclusive prefix list) does not depend on where the element is embedded.
pub const WK_NAMESPACE_DECLARATIONS: &str = concat!(
    r#"xmlns:saml2="urn:oasis:names:tc:SAML:2.0:assertion" "#,
    r#"xmlns:saml2p="urn:oasis:names:tc:SAML:2.0:protocol" "#,
    r#"xmlns:ds="http://www.w3.org/2000/09/xmldsig#" "#,
    r#"xmlns:dsig11="http://www.w3.org/2009/xmldsig11#" "#,
    r#"xmlns:xenc="http://www.w3.org/2001/04/xmlenc#" "#,
    r#"xmlns:xenc11="http://www.w3.org/2009/xmlenc11#" "#,
    r#"xmlns:eidas="http://eidas.europa.eu/saml-extensions" "#,
    r#"xmlns:naturalperson="http://eidas.europa.eu/attributes/naturalperson""#
);
