//! Keys and certificates: the service provider's P-256 private keys (one for signing, one for
//! decryption) and the pinned certificates of the login node.

use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use p256::pkcs8::{DecodePrivateKey, DecodePublicKey, EncodePrivateKey};
use sha2::{Digest, Sha256};
use time::OffsetDateTime;
use x509_cert::der::{Decode, DecodePem, Encode};
use zeroize::Zeroizing;

/// A key or certificate could not be loaded or does not have the required type.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    /// The private key is not a P-256 EC key in PKCS#8 or SEC1 (PEM or DER).
    #[error("not a P-256 private key in PKCS#8 or SEC1 form")]
    PrivateKey,
    /// The certificate is not a parseable X.509 certificate.
    #[error("not an X.509 certificate: {0}")]
    Certificate(String),
    /// The certificate's key is not an EC P-256 key.
    #[error("the certificate's public key is not EC P-256")]
    NotP256,
}

/// A P-256 private key. `Debug` never shows key material.
#[derive(Clone)]
pub struct EcPrivateKey {
    secret: p256::SecretKey,
}

impl EcPrivateKey {
    /// A fresh random key (OS randomness).
    pub fn generate() -> EcPrivateKey {
        EcPrivateKey { secret: p256::SecretKey::random(&mut rand::rngs::OsRng) }
    }

    /// Loads a PEM private key: `PRIVATE KEY` (PKCS#8) or `EC PRIVATE KEY` (SEC1).
    pub fn from_pem(pem: &str) -> Result<EcPrivateKey, KeyError> {
        p256::SecretKey::from_pkcs8_pem(pem)
            .or_else(|_| p256::SecretKey::from_sec1_pem(pem))
            .map(|secret| EcPrivateKey { secret })
            .map_err(|_| KeyError::PrivateKey)
    }

    /// Loads a DER private key, PKCS#8 or SEC1.
    pub fn from_der(der: &[u8]) -> Result<EcPrivateKey, KeyError> {
        p256::SecretKey::from_pkcs8_der(der)
            .or_else(|_| p256::SecretKey::from_sec1_der(der))
            .map(|secret| EcPrivateKey { secret })
            .map_err(|_| KeyError::PrivateKey)
    }

    /// PKCS#8 DER encoding (for jsonwebtoken, files).
    pub fn to_pkcs8_der(&self) -> Result<Zeroizing<Vec<u8>>, KeyError> {
        self.secret.to_pkcs8_der().map(|doc| Zeroizing::new(doc.as_bytes().to_vec())).map_err(|_| KeyError::PrivateKey)
    }

    /// PKCS#8 PEM encoding.
    pub fn to_pkcs8_pem(&self) -> Result<Zeroizing<String>, KeyError> {
        self.secret.to_pkcs8_pem(p256::pkcs8::LineEnding::LF).map(|pem| Zeroizing::new(pem.to_string())).map_err(|_| KeyError::PrivateKey)
    }

    /// SEC1 ("traditional") DER.
    pub fn to_sec1_der(&self) -> Result<Zeroizing<Vec<u8>>, KeyError> {
        self.secret.to_sec1_der().map_err(|_| KeyError::PrivateKey)
    }

    /// The public half.
    pub fn public_key(&self) -> p256::PublicKey {
        self.secret.public_key()
    }

    pub(crate) fn secret(&self) -> &p256::SecretKey {
        &self.secret
    }
}

impl fmt::Debug for EcPrivateKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("EcPrivateKey(<redacted>)")
    }
}

impl PartialEq for EcPrivateKey {
    /// Compares the public halves (constant-time comparison of secrets is not needed for that).
    fn eq(&self, other: &Self) -> bool {
        self.public_key() == other.public_key()
    }
}

/// An X.509 certificate (DER), parsed once.
#[derive(Clone, PartialEq, Eq)]
pub struct Certificate {
    der: Vec<u8>,
    subject: String,
    not_before: OffsetDateTime,
    not_after: OffsetDateTime,
    p256: Option<p256::PublicKey>,
}

impl Certificate {
    /// Parses a DER certificate.
    pub fn from_der(der: &[u8]) -> Result<Certificate, KeyError> {
        let cert = x509_cert::Certificate::from_der(der).map_err(|e| KeyError::Certificate(e.to_string()))?;
        Certificate::from_parsed(&cert, der.to_vec())
    }

    /// Parses the first certificate of a PEM text.
    pub fn from_pem(pem: &str) -> Result<Certificate, KeyError> {
        let cert = x509_cert::Certificate::from_pem(pem.as_bytes()).map_err(|e| KeyError::Certificate(e.to_string()))?;
        let der = cert.to_der().map_err(|e| KeyError::Certificate(e.to_string()))?;
        Certificate::from_parsed(&cert, der)
    }

    /// Parses every certificate of a PEM text (e.g. the current and the next WK certificate).
    pub fn all_from_pem(pem: &str) -> Result<Vec<Certificate>, KeyError> {
        let certs = x509_cert::Certificate::load_pem_chain(pem.as_bytes()).map_err(|e| KeyError::Certificate(e.to_string()))?;
        certs
            .iter()
            .map(|cert| {
                let der = cert.to_der().map_err(|e| KeyError::Certificate(e.to_string()))?;
                Certificate::from_parsed(cert, der)
            })
            .collect()
    }

    /// Parses base64 DER, as in `ds:X509Certificate`.
    pub fn from_base64(text: &str) -> Result<Certificate, KeyError> {
        let compact: String = text.chars().filter(|c| !c.is_ascii_whitespace()).collect();
        let der = STANDARD.decode(compact).map_err(|e| KeyError::Certificate(e.to_string()))?;
        Certificate::from_der(&der)
    }

    fn from_parsed(cert: &x509_cert::Certificate, der: Vec<u8>) -> Result<Certificate, KeyError> {
        let tbs = &cert.tbs_certificate;
        let to_time = |t: x509_cert::time::Time| {
            let secs = i64::try_from(t.to_unix_duration().as_secs()).unwrap_or(i64::MAX);
            OffsetDateTime::from_unix_timestamp(secs).map_err(|e| KeyError::Certificate(e.to_string()))
        };
        let spki = tbs.subject_public_key_info.to_der().map_err(|e| KeyError::Certificate(e.to_string()))?;
        Ok(Certificate {
            subject: tbs.subject.to_string(),
            not_before: to_time(tbs.validity.not_before)?,
            not_after: to_time(tbs.validity.not_after)?,
            p256: p256::PublicKey::from_public_key_der(&spki).ok(),
            der,
        })
    }

    /// The DER bytes.
    pub fn der(&self) -> &[u8] {
        &self.der
    }

    /// Base64 of the DER bytes (the content of `ds:X509Certificate`).
    pub fn to_base64(&self) -> String {
        STANDARD.encode(&self.der)
    }

    /// PEM text.
    pub fn to_pem(&self) -> String {
        let body = self.to_base64();
        let mut pem = String::from("-----BEGIN CERTIFICATE-----\n");
        for chunk in body.as_bytes().chunks(64) {
            pem.push_str(&String::from_utf8_lossy(chunk));
            pem.push('\n');
        }
        pem.push_str("-----END CERTIFICATE-----\n");
        pem
    }

    /// Subject distinguished name (RFC 4514 form).
    pub fn subject(&self) -> &str {
        &self.subject
    }

    /// Start of validity.
    pub fn not_before(&self) -> OffsetDateTime {
        self.not_before
    }

    /// End of validity.
    pub fn not_after(&self) -> OffsetDateTime {
        self.not_after
    }

    /// The P-256 public key, or `NotP256` for any other key type.
    pub fn p256_public_key(&self) -> Result<p256::PublicKey, KeyError> {
        self.p256.ok_or(KeyError::NotP256)
    }

    /// Whether the key is EC P-256.
    pub fn is_p256(&self) -> bool {
        self.p256.is_some()
    }

    /// Whether `key` is the private half of this certificate's key.
    pub fn matches(&self, key: &EcPrivateKey) -> bool {
        self.p256 == Some(key.public_key())
    }

    /// SHA-256 fingerprint, lowercase hex with colons.
    pub fn sha256_fingerprint(&self) -> String {
        Sha256::digest(&self.der).iter().map(|b| format!("{b:02x}")).collect::<Vec<_>>().join(":")
    }
}

impl fmt::Debug for Certificate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Certificate")
            .field("subject", &self.subject)
            .field("not_after", &self.not_after)
            .field("p256", &self.is_p256())
            .finish()
    }
}

/// A fresh P-256 key with a self-signed certificate valid for `days` days — for local
/// development, the fake login node and tests. Production keys and certificates come from COI
/// (test environments) or a commercial CA (production), identity.md §1.4.
pub fn generate_self_signed(common_name: &str, days: u32) -> Result<(EcPrivateKey, Certificate), KeyError> {
    use samael::idp::{CertificateParams, Elliptic, IdentityProvider, KeyType};
    let idp = IdentityProvider::generate_new(KeyType::Elliptic(Elliptic::NISTP256)).map_err(|_| KeyError::PrivateKey)?;
    let key = EcPrivateKey::from_der(&idp.export_private_key_der().map_err(|_| KeyError::PrivateKey)?)?;
    let params = CertificateParams { common_name, issuer_name: common_name, days_until_expiration: days };
    let cert = idp.create_certificate(&params).map_err(|e| KeyError::Certificate(e.to_string()))?;
    Ok((key, Certificate::from_der(cert.der_data())?))
}

#[cfg(test)]
mod tests {
    use super::*;

    const VECTORS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/vectors/wk-encryption");

    #[test]
    fn loads_the_coi_test_key_and_certificate() {
        let key = EcPrivateKey::from_pem(&std::fs::read_to_string(format!("{VECTORS}/du_enc_ec.key.pem")).unwrap()).unwrap();
        let cert = Certificate::from_pem(&std::fs::read_to_string(format!("{VECTORS}/du_enc_ec.crt.pem")).unwrap()).unwrap();
        assert!(cert.is_p256());
        assert!(cert.matches(&key));
        assert!(cert.subject().contains("DU_ENC_EC"));
        assert_eq!(cert.not_after().year(), 2020);
        assert_eq!(format!("{key:?}"), "EcPrivateKey(<redacted>)");
        let again = Certificate::from_der(cert.der()).unwrap();
        assert_eq!(again, cert);
        assert_eq!(Certificate::from_pem(&cert.to_pem()).unwrap(), cert);
    }

    #[test]
    fn key_round_trips_through_pkcs8_and_sec1() {
        let key = EcPrivateKey::generate();
        assert_eq!(EcPrivateKey::from_der(&key.to_pkcs8_der().unwrap()).unwrap(), key);
        assert_eq!(EcPrivateKey::from_der(&key.to_sec1_der().unwrap()).unwrap(), key);
        assert_eq!(EcPrivateKey::from_pem(&key.to_pkcs8_pem().unwrap()).unwrap(), key);
        assert!(EcPrivateKey::from_pem("garbage").is_err());
    }
}
