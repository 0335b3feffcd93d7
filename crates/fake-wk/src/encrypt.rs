//! The encrypting side of WK's assertion encryption (identity.md §1.5), written independently
//! of the decryptor in `identity`: a fresh ephemeral P-256 key per assertion, ECDH-ES with the
//! SP's encryption key, ConcatKDF(SHA-256) over 4-byte-length-prefixed AlgorithmID / PartyUInfo
//! (WK issuer) / PartyVInfo (SP entity ID), AES-256 key wrap of a random content key, AES-GCM.

use aes_gcm::aead::{Aead, KeyInit};
use aes_gcm::{Aes128Gcm, Aes256Gcm, Nonce};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use identity::saml::*;
use p256::elliptic_curve::sec1::ToEncodedPoint;
use rand::RngCore as _;
use sha2::{Digest, Sha256};

use crate::FakeWkError;

/// How to spoil an encryption on purpose.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum EncryptionTwist {
    /// As WK does it.
    #[default]
    Faithful,
    /// A 16-byte content key under `aes256-gcm` (the production quirk; must be accepted).
    ShortContentKey,
    /// An originator "public key" that is not a point on P-256.
    InvalidCurvePoint,
    /// The GCM tag cut off.
    TruncatedCiphertext,
}

fn length_prefixed(bytes: &[u8]) -> Vec<u8> {
    let len = u32::try_from(bytes.len()).unwrap_or(u32::MAX);
    let mut out = len.to_be_bytes().to_vec();
    out.extend_from_slice(bytes);
    out
}

fn random<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    bytes
}

/// `saml2:EncryptedAssertion` holding `plaintext` for `sp_key`.
pub(crate) fn encrypt_assertion(
    plaintext: &str,
    sp_key: &p256::PublicKey,
    wk_entity_id: &str,
    sp_entity_id: &str,
    twist: EncryptionTwist,
) -> Result<String, FakeWkError> {
    let ephemeral = p256::ecdh::EphemeralSecret::random(&mut rand::rngs::OsRng);
    let shared = ephemeral.diffie_hellman(sp_key);
    let algorithm_id = length_prefixed(KW_AES256.as_bytes());
    let party_u = length_prefixed(wk_entity_id.as_bytes());
    let party_v = length_prefixed(sp_entity_id.as_bytes());

    let mut hasher = Sha256::new();
    hasher.update(1u32.to_be_bytes());
    hasher.update(shared.raw_secret_bytes());
    hasher.update(&algorithm_id);
    hasher.update(&party_u);
    hasher.update(&party_v);
    let kek: [u8; 32] = hasher.finalize().into();

    let iv = random::<12>();
    let (content_key, sealed) = if twist == EncryptionTwist::ShortContentKey {
        let key = random::<16>();
        let cipher = Aes128Gcm::new_from_slice(&key).map_err(|_| FakeWkError::Crypto("AES-128-GCM key"))?;
        (key.to_vec(), cipher.encrypt(&Nonce::from(iv), plaintext.as_bytes()).map_err(|_| FakeWkError::Crypto("AES-GCM"))?)
    } else {
        let key = random::<32>();
        let cipher = Aes256Gcm::new_from_slice(&key).map_err(|_| FakeWkError::Crypto("AES-256-GCM key"))?;
        (key.to_vec(), cipher.encrypt(&Nonce::from(iv), plaintext.as_bytes()).map_err(|_| FakeWkError::Crypto("AES-GCM"))?)
    };
    let wrapped = aes_kw::KekAes256::from(kek).wrap_vec(&content_key).map_err(|_| FakeWkError::Crypto("AES key wrap"))?;

    let mut data = iv.to_vec();
    data.extend_from_slice(&sealed);
    if twist == EncryptionTwist::TruncatedCiphertext {
        data.truncate(data.len().saturating_sub(16));
    }
    let originator = if twist == EncryptionTwist::InvalidCurvePoint {
        let mut bogus = vec![0x04];
        bogus.extend_from_slice(&[0x11; 64]);
        bogus
    } else {
        ephemeral.public_key().to_encoded_point(false).as_bytes().to_vec()
    };

    Ok(format!(
        concat!(
            "<saml2:EncryptedAssertion>",
            r#"<xenc:EncryptedData Id="_{data_id}" Type="{element}">"#,
            r#"<xenc:EncryptionMethod Algorithm="{gcm}"><ds:DigestMethod Algorithm="{sha256}"/></xenc:EncryptionMethod>"#,
            "<ds:KeyInfo>",
            r#"<xenc:EncryptedKey Id="_{key_id}"><xenc:EncryptionMethod Algorithm="{kw}"/>"#,
            r#"<ds:KeyInfo><xenc:AgreementMethod Algorithm="{ecdh}">"#,
            r#"<xenc11:KeyDerivationMethod Algorithm="{kdf}">"#,
            r#"<xenc11:ConcatKDFParams AlgorithmID="{alg_id}" PartyUInfo="{party_u}" PartyVInfo="{party_v}"><ds:DigestMethod Algorithm="{sha256}"/></xenc11:ConcatKDFParams>"#,
            "</xenc11:KeyDerivationMethod>",
            r#"<xenc:OriginatorKeyInfo><ds:KeyValue><dsig11:ECKeyValue><dsig11:NamedCurve URI="{curve}"/><dsig11:PublicKey>{epk}</dsig11:PublicKey></dsig11:ECKeyValue></ds:KeyValue></xenc:OriginatorKeyInfo>"#,
            "</xenc:AgreementMethod></ds:KeyInfo>",
            "<xenc:CipherData><xenc:CipherValue>{wrapped}</xenc:CipherValue></xenc:CipherData>",
            "</xenc:EncryptedKey></ds:KeyInfo>",
            "<xenc:CipherData><xenc:CipherValue>{data}</xenc:CipherValue></xenc:CipherData>",
            "</xenc:EncryptedData></saml2:EncryptedAssertion>"
        ),
        data_id = hex::encode(random::<16>()),
        key_id = hex::encode(random::<16>()),
        element = XENC_TYPE_ELEMENT,
        gcm = ENC_AES256_GCM,
        sha256 = DIGEST_SHA256,
        kw = KW_AES256,
        ecdh = AGREEMENT_ECDH_ES,
        kdf = KDF_CONCAT,
        alg_id = hex::encode_upper(&algorithm_id),
        party_u = hex::encode_upper(&party_u),
        party_v = hex::encode_upper(&party_v),
        curve = CURVE_P256_URI,
        epk = STANDARD.encode(originator),
        wrapped = STANDARD.encode(wrapped),
        data = STANDARD.encode(data),
    ))
}
