//! Decryption of WK's `EncryptedAssertion` (identity.md §1.5): ECDH-ES on P-256 with the SP's
//! encryption key, ConcatKDF (NIST SP 800-56A, SHA-256) over hex-decoded
//! `AlgorithmID ‖ PartyUInfo ‖ PartyVInfo` taken verbatim, AES key unwrap (RFC 3394) of the
//! content key, AES-GCM (12-byte IV ‖ ciphertext ‖ 16-byte tag, no AAD).
//!
//! Accepted algorithms are fixed: `ECDH-ES` + `ConcatKDF`/SHA-256, `kw-aes256` (or `kw-aes128`),
//! `aes256-gcm` (or `aes128-gcm`). The GCM key size follows the *unwrapped* content key (16 or
//! 32 bytes) because production WK has been seen to send a 16-byte key under `aes256-gcm`.

use aes_gcm::aead::{Aead, KeyInit};
use aes_gcm::{Aes128Gcm, Aes256Gcm, Nonce};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use roxmltree::Node;
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use crate::error::{LoginError, protocol_value};
use crate::keys::EcPrivateKey;
use crate::saml::*;
use crate::xml::{self, is};

const GCM_IV_LEN: usize = 12;
const GCM_TAG_LEN: usize = 16;

/// ConcatKDF (NIST SP 800-56A §5.8.1, single-step, SHA-256, 32-bit counter from 1):
/// `K(i) = SHA-256(counter_i ‖ Z ‖ OtherInfo)`, concatenated and cut to `len` bytes.
pub fn concat_kdf_sha256(z: &[u8], other_info: &[u8], len: usize) -> Zeroizing<Vec<u8>> {
    let mut out = Zeroizing::new(Vec::with_capacity(len + 32));
    let mut counter: u32 = 1;
    while out.len() < len {
        let mut hasher = Sha256::new();
        hasher.update(counter.to_be_bytes());
        hasher.update(z);
        hasher.update(other_info);
        out.extend_from_slice(&hasher.finalize());
        counter = counter.wrapping_add(1);
    }
    out.truncate(len);
    out
}

fn malformed(what: &'static str) -> LoginError {
    LoginError::EncryptionMalformed(what)
}

fn unsupported(what: &'static str, uri: Option<&str>) -> LoginError {
    LoginError::EncryptionUnsupported { what, uri: protocol_value(uri.unwrap_or("(none)")) }
}

fn one<'a, 'input>(node: Node<'a, 'input>, ns: &str, local: &str, what: &'static str) -> Result<Node<'a, 'input>, LoginError> {
    xml::one_child(node, ns, local, malformed(what), malformed(what))
}

fn base64_text(node: Node<'_, '_>, what: &'static str) -> Result<Vec<u8>, LoginError> {
    let text = xml::text_only(node, what)?;
    let compact: String = text.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    STANDARD.decode(compact).map_err(|_| malformed(what))
}

fn hex_attribute(node: Node<'_, '_>, name: &str, what: &'static str) -> Result<Vec<u8>, LoginError> {
    hex::decode(node.attribute(name).ok_or(malformed(what))?).map_err(|_| malformed(what))
}

/// Decrypts a `saml2:EncryptedAssertion` element with the SP's encryption key and returns the
/// plaintext (a complete `saml2:Assertion` element with its own namespace declarations).
pub(crate) fn decrypt_assertion(encrypted_assertion: Node<'_, '_>, key: &EcPrivateKey) -> Result<Zeroizing<String>, LoginError> {
    let mut data_elements = xml::element_children(encrypted_assertion);
    let encrypted_data = data_elements.next().ok_or(malformed("EncryptedData missing"))?;
    if !is(encrypted_data, NS_XENC, "EncryptedData") || data_elements.next().is_some() {
        // A detached EncryptedKey next to EncryptedData is legal XML-Enc but WK never sends it.
        return Err(malformed("EncryptedAssertion must hold exactly one EncryptedData"));
    }
    if let Some(kind) = encrypted_data.attribute("Type")
        && kind != XENC_TYPE_ELEMENT
    {
        return Err(unsupported("EncryptedData type", Some(kind)));
    }
    let data_method = one(encrypted_data, NS_XENC, "EncryptionMethod", "EncryptedData/EncryptionMethod")?;
    match data_method.attribute("Algorithm") {
        Some(ENC_AES256_GCM | ENC_AES128_GCM) => {}
        other => return Err(unsupported("content encryption", other)),
    }

    let key_info = one(encrypted_data, NS_DS, "KeyInfo", "EncryptedData/KeyInfo")?;
    let encrypted_key = one(key_info, NS_XENC, "EncryptedKey", "EncryptedKey")?;
    let kek_len = match one(encrypted_key, NS_XENC, "EncryptionMethod", "EncryptedKey/EncryptionMethod")?.attribute("Algorithm") {
        Some(KW_AES256) => 32,
        Some(KW_AES128) => 16,
        other => return Err(unsupported("key wrap", other)),
    };

    let agreement = one(one(encrypted_key, NS_DS, "KeyInfo", "EncryptedKey/KeyInfo")?, NS_XENC, "AgreementMethod", "AgreementMethod")?;
    if agreement.attribute("Algorithm") != Some(AGREEMENT_ECDH_ES) {
        return Err(unsupported("key agreement", agreement.attribute("Algorithm")));
    }
    let derivation = one(agreement, NS_XENC11, "KeyDerivationMethod", "KeyDerivationMethod")?;
    if derivation.attribute("Algorithm") != Some(KDF_CONCAT) {
        return Err(unsupported("key derivation", derivation.attribute("Algorithm")));
    }
    let params = one(derivation, NS_XENC11, "ConcatKDFParams", "ConcatKDFParams")?;
    let kdf_digest = one(params, NS_DS, "DigestMethod", "ConcatKDFParams/DigestMethod")?.attribute("Algorithm");
    if kdf_digest != Some(DIGEST_SHA256) {
        return Err(unsupported("ConcatKDF digest", kdf_digest));
    }
    let mut other_info = hex_attribute(params, "AlgorithmID", "ConcatKDFParams/@AlgorithmID")?;
    other_info.extend(hex_attribute(params, "PartyUInfo", "ConcatKDFParams/@PartyUInfo")?);
    other_info.extend(hex_attribute(params, "PartyVInfo", "ConcatKDFParams/@PartyVInfo")?);
    for optional in ["SuppPubInfo", "SuppPrivInfo"] {
        if params.attribute(optional).is_some() {
            other_info.extend(hex_attribute(params, optional, "ConcatKDFParams/@SuppPubInfo")?);
        }
    }

    let originator = one(agreement, NS_XENC, "OriginatorKeyInfo", "OriginatorKeyInfo")?;
    let ec_key_value = one(one(originator, NS_DS, "KeyValue", "OriginatorKeyInfo/KeyValue")?, NS_DSIG11, "ECKeyValue", "ECKeyValue")?;
    let curve = one(ec_key_value, NS_DSIG11, "NamedCurve", "ECKeyValue/NamedCurve")?.attribute("URI");
    if curve != Some(CURVE_P256_URI) {
        return Err(unsupported("curve", curve));
    }
    let point = base64_text(one(ec_key_value, NS_DSIG11, "PublicKey", "ECKeyValue/PublicKey")?, "ECKeyValue/PublicKey")?;
    // from_sec1_bytes checks that the point is on P-256 and not the identity (invalid-curve attacks).
    let ephemeral = p256::PublicKey::from_sec1_bytes(&point).map_err(|_| LoginError::InvalidEphemeralKey)?;

    let wrapped_key = base64_text(
        one(one(encrypted_key, NS_XENC, "CipherData", "EncryptedKey/CipherData")?, NS_XENC, "CipherValue", "EncryptedKey/CipherValue")?,
        "EncryptedKey/CipherValue",
    )?;
    let ciphertext = base64_text(
        one(one(encrypted_data, NS_XENC, "CipherData", "EncryptedData/CipherData")?, NS_XENC, "CipherValue", "EncryptedData/CipherValue")?,
        "EncryptedData/CipherValue",
    )?;

    let shared = p256::ecdh::diffie_hellman(key.secret().to_nonzero_scalar(), ephemeral.as_affine());
    let kek = concat_kdf_sha256(&shared.raw_secret_bytes()[..], &other_info, kek_len);
    let content_key = unwrap_key(&kek, &wrapped_key)?;
    let plaintext = gcm_decrypt(&content_key, &ciphertext)?;
    let text = String::from_utf8(plaintext.to_vec()).map_err(|_| LoginError::XmlMalformed("decrypted assertion is not UTF-8".into()))?;
    Ok(Zeroizing::new(text))
}

fn unwrap_key(kek: &[u8], wrapped: &[u8]) -> Result<Zeroizing<Vec<u8>>, LoginError> {
    let unwrapped = match kek.len() {
        32 => aes_kw::KekAes256::try_from(kek).map_err(|_| LoginError::KeyUnwrapFailed)?.unwrap_vec(wrapped),
        16 => aes_kw::KekAes128::try_from(kek).map_err(|_| LoginError::KeyUnwrapFailed)?.unwrap_vec(wrapped),
        _ => return Err(LoginError::KeyUnwrapFailed),
    };
    let content_key = Zeroizing::new(unwrapped.map_err(|_| LoginError::KeyUnwrapFailed)?);
    match content_key.len() {
        16 | 32 => Ok(content_key),
        other => Err(LoginError::ContentKeyLength(other)),
    }
}

fn gcm_decrypt(content_key: &[u8], data: &[u8]) -> Result<Zeroizing<Vec<u8>>, LoginError> {
    if data.len() < GCM_IV_LEN + GCM_TAG_LEN + 1 {
        return Err(malformed("ciphertext shorter than IV and tag"));
    }
    let (iv, sealed) = data.split_at(GCM_IV_LEN);
    let iv: [u8; GCM_IV_LEN] = iv.try_into().map_err(|_| malformed("ciphertext shorter than IV and tag"))?;
    let nonce = &Nonce::from(iv);
    let plaintext = match content_key.len() {
        32 => Aes256Gcm::new_from_slice(content_key).map_err(|_| LoginError::DecryptionFailed)?.decrypt(nonce, sealed),
        16 => Aes128Gcm::new_from_slice(content_key).map_err(|_| LoginError::DecryptionFailed)?.decrypt(nonce, sealed),
        other => return Err(LoginError::ContentKeyLength(other)),
    };
    plaintext.map(Zeroizing::new).map_err(|_| LoginError::DecryptionFailed)
}

#[cfg(test)]
mod tests {
    use super::*;

    const VECTORS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/vectors/wk-encryption");

    fn read(name: &str) -> String {
        std::fs::read_to_string(format!("{VECTORS}/{name}")).unwrap()
    }

    fn coi_key() -> EcPrivateKey {
        EcPrivateKey::from_pem(&read("du_enc_ec.key.pem")).unwrap()
    }

    fn decrypt_vector(xml_text: &str, key: &EcPrivateKey) -> Result<Zeroizing<String>, LoginError> {
        let doc = roxmltree::Document::parse(xml_text).unwrap();
        let ea = doc.descendants().find(|n| is(*n, NS_SAML2, "EncryptedAssertion")).unwrap();
        decrypt_assertion(ea, key)
    }

    /// Element tree with whitespace-only text dropped: "equal after canonical parsing".
    fn canonical(node: roxmltree::Node<'_, '_>) -> String {
        let mut out = String::new();
        if node.is_element() {
            let tag = node.tag_name();
            out.push_str(&format!("<{{{}}}{}", tag.namespace().unwrap_or(""), tag.name()));
            let mut attrs: Vec<String> =
                node.attributes().map(|a| format!(" {{{}}}{}={:?}", a.namespace().unwrap_or(""), a.name(), a.value())).collect();
            attrs.sort();
            out.push_str(&attrs.concat());
            out.push('>');
            for child in node.children() {
                out.push_str(&canonical(child));
            }
            out.push_str("</>");
        } else if let Some(text) = node.text()
            && !text.trim().is_empty()
        {
            out.push_str(text);
        }
        out
    }

    #[test]
    fn decrypts_the_coi_vector_to_exactly_the_published_assertion() {
        let plaintext = decrypt_vector(&read("encryptedEC.xml"), &coi_key()).unwrap();
        let expected = read("encryptedEC.decrypted.xml");
        let got_doc = roxmltree::Document::parse(&plaintext).unwrap();
        let expected_doc = roxmltree::Document::parse(&expected).unwrap();
        assert_eq!(canonical(got_doc.root_element()), canonical(expected_doc.root_element()));
        // Same namespace declarations in scope on the root, too.
        let namespaces = |doc: &roxmltree::Document<'_>| {
            let mut ns: Vec<(String, String)> =
                doc.root_element().namespaces().map(|n| (n.name().unwrap_or("").to_owned(), n.uri().to_owned())).collect();
            ns.sort();
            ns
        };
        assert_eq!(namespaces(&got_doc), namespaces(&expected_doc));
        // The plaintext is compact; the published file is the same assertion pretty-printed.
        assert!(plaintext.starts_with("<saml2:Assertion "));
    }

    #[test]
    fn a_wrong_key_or_tampered_ciphertext_is_refused() {
        let vector = read("encryptedEC.xml");
        assert_eq!(decrypt_vector(&vector, &EcPrivateKey::generate()).unwrap_err(), LoginError::KeyUnwrapFailed);
        let tampered = vector.replace("NbH7mXeAsYJ9", "NbH7mXeAsYJ8");
        assert_eq!(decrypt_vector(&tampered, &coi_key()).unwrap_err(), LoginError::DecryptionFailed);
        let bad_point = vector.replace("BCeudwbIlDrRHcvu2VUrhtUo", "BCeudwbIlDrRHcvu2VUrhtUp");
        assert_eq!(decrypt_vector(&bad_point, &coi_key()).unwrap_err(), LoginError::InvalidEphemeralKey);
        let other_kdf = vector.replace("xmlenc11#ConcatKDF", "xmlenc11#pbkdf2");
        assert!(matches!(decrypt_vector(&other_kdf, &coi_key()).unwrap_err(), LoginError::EncryptionUnsupported { .. }));
    }

    #[test]
    fn concat_kdf_counter_starts_at_one() {
        let k = concat_kdf_sha256(b"z", b"info", 40);
        let mut first = Sha256::new();
        first.update(1u32.to_be_bytes());
        first.update(b"z");
        first.update(b"info");
        assert_eq!(&k[..32], &first.finalize()[..]);
        assert_eq!(k.len(), 40);
    }

    /// The brief's end-to-end use of the vector: decrypt, then validate the plaintext with a
    /// clock injected into 2018 (the assertion's validity window).
    #[test]
    fn the_coi_vector_decrypts_and_validates_with_an_injected_2018_clock() {
        use crate::assertion::{AssertionExpectations, validate_assertion};
        use crate::clock::{Clock, FixedClock};
        let clock = FixedClock::new(time::macros::datetime!(2018-09-13 13:20 UTC));
        let plaintext = decrypt_vector(&read("encryptedEC.xml"), &coi_key()).unwrap();
        let expectations = AssertionExpectations {
            wk_entity_id: "localhost.wk.gov.pl",
            sp_entity_id: "http://localhost.sp.pl",
            acs_url: "http://localhost:11080/saml-emulator/context",
            request_id: "ID-d136a4ee-a3a3-4392-a055-2e95d44165bc",
            required_loa: crate::LoA::Substantial,
            now: clock.now(),
            skew: time::Duration::seconds(60),
        };
        let validated = validate_assertion(&plaintext, &expectations).unwrap();
        assert_eq!(validated.identity.pesel.as_str(), "87022243734");
        assert_eq!((validated.identity.first_name.as_str(), validated.identity.last_name.as_str()), ("Roch", "Apitz"));
        assert_eq!(validated.identity.date_of_birth, time::macros::date!(1987 - 02 - 22));
        clock.advance(time::Duration::hours(1));
        let later = AssertionExpectations { now: clock.now(), ..expectations };
        assert_eq!(
            validate_assertion(&plaintext, &later).unwrap_err(),
            LoginError::AssertionExpired { element: "SubjectConfirmationData" }
        );
    }
}
