//! The transaction payload carried in `hashtrans` (payments.md §1.2–1.3): building, signing and
//! encoding it, and — for the simulator — decoding and verifying one.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use sha1::{Digest, Sha1};
use subtle::ConstantTimeEq;

use crate::secret::Secret;

/// The tags of the payload in their fixed order (payments.md §1.2). `email` is the only optional one.
pub const TAG_ORDER: [&str; 10] =
    ["id_client", "id_trans", "date_valid", "amount", "currency", "email", "account", "accname", "backpage", "backpagereject"];

const OPTIONAL_TAG: &str = "email";

/// The ten fields of a PayByNet transaction, as the strings that go on the wire.
///
/// Built by [`super::PayByNet`] from a validated [`crate::PaymentRequest`], or read back by
/// [`TransactionFields::decode`]. No escaping happens anywhere: the values must be free of `<`,
/// `>` and `&` (payments.md §1.3, open questions); the builder checks that.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransactionFields {
    pub id_client: String,
    pub id_trans: String,
    pub date_valid: String,
    pub amount: String,
    pub currency: String,
    pub email: Option<String>,
    pub account: String,
    pub accname: String,
    pub backpage: String,
    pub backpagereject: String,
}

/// Why a `hashtrans` could not be read; the simulator shows these (in Polish, see there).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PayloadError {
    #[error("hashtrans is not base64 without line breaks")]
    NotBase64,
    #[error("the payload is not UTF-8")]
    NotUtf8,
    #[error("expected the tag <{expected}> at byte {position}")]
    UnexpectedTag { expected: &'static str, position: usize },
    #[error("the tag <{0}> is not closed")]
    Unclosed(&'static str),
    #[error("the payload has data after </hash>")]
    TrailingData,
    #[error("the hash is not 40 hex digits")]
    MalformedHash,
}

/// A decoded `hashtrans`: the fields, the exact bytes that were hashed, and the received hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodedTransaction {
    pub fields: TransactionFields,
    /// Tags 1–10 exactly as received: the hash is checked over these bytes, not a re-serialisation.
    pub unsigned: String,
    pub hash: String,
}

impl DecodedTransaction {
    /// Whether the received hash is SHA-1(unsigned ‖ `<password>…</password>`), compared in
    /// constant time.
    pub fn hash_matches(&self, password: &Secret) -> bool {
        hash_matches(&self.unsigned, &self.hash, password)
    }
}

impl TransactionFields {
    fn values(&self) -> [Option<&str>; 10] {
        [
            Some(&self.id_client),
            Some(&self.id_trans),
            Some(&self.date_valid),
            Some(&self.amount),
            Some(&self.currency),
            self.email.as_deref(),
            Some(&self.account),
            Some(&self.accname),
            Some(&self.backpage),
            Some(&self.backpagereject),
        ]
    }

    /// Step 1 of payments.md §1.3: tags 1–10 that are present, in order, no root, no whitespace.
    pub fn unsigned(&self) -> String {
        TAG_ORDER.iter().zip(self.values()).filter_map(|(tag, value)| value.map(|value| format!("<{tag}>{value}</{tag}>"))).collect()
    }

    /// Steps 2–3: SHA-1 of the unsigned payload followed by the password tag, lowercase hex.
    pub fn hash(&self, password: &Secret) -> String {
        payload_hash(&self.unsigned(), password)
    }

    /// Step 4: the unsigned payload followed by `<hash>…</hash>`; the password tag is never sent.
    pub fn signed(&self, password: &Secret) -> String {
        let unsigned = self.unsigned();
        let hash = payload_hash(&unsigned, password);
        format!("{unsigned}<hash>{hash}</hash>")
    }

    /// Step 5: the value of the `hashtrans` form field, base64 without line breaks.
    pub fn hashtrans(&self, password: &Secret) -> String {
        STANDARD.encode(self.signed(password))
    }

    /// Reads a `hashtrans` value: strict base64, UTF-8, the tags in the documented order with only
    /// `email` optional, then `<hash>` and nothing after it. Does not check the hash; see
    /// [`DecodedTransaction::hash_matches`].
    pub fn decode(hashtrans: &str) -> Result<DecodedTransaction, PayloadError> {
        let bytes = STANDARD.decode(hashtrans).map_err(|_| PayloadError::NotBase64)?;
        let text = String::from_utf8(bytes).map_err(|_| PayloadError::NotUtf8)?;
        let mut position = 0;
        let mut values: [Option<String>; TAG_ORDER.len()] = Default::default();
        for (slot, tag) in values.iter_mut().zip(TAG_ORDER) {
            match take_tag(&text, position, tag)? {
                Some((value, next)) => {
                    *slot = Some(value.to_owned());
                    position = next;
                }
                None if tag == OPTIONAL_TAG => {}
                None => return Err(PayloadError::UnexpectedTag { expected: tag, position }),
            }
        }
        let unsigned = text[..position].to_owned();
        let (hash, end) = take_tag(&text, position, "hash")?.ok_or(PayloadError::UnexpectedTag { expected: "hash", position })?;
        if end != text.len() {
            return Err(PayloadError::TrailingData);
        }
        if hash.len() != 40 || !hash.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(PayloadError::MalformedHash);
        }
        let hash = hash.to_owned();
        // Every tag but `email` was required above, so these are all `Some`.
        let [id_client, id_trans, date_valid, amount, currency, email, account, accname, backpage, backpagereject] = values;
        let fields = TransactionFields {
            id_client: id_client.unwrap_or_default(),
            id_trans: id_trans.unwrap_or_default(),
            date_valid: date_valid.unwrap_or_default(),
            amount: amount.unwrap_or_default(),
            currency: currency.unwrap_or_default(),
            email,
            account: account.unwrap_or_default(),
            accname: accname.unwrap_or_default(),
            backpage: backpage.unwrap_or_default(),
            backpagereject: backpagereject.unwrap_or_default(),
        };
        Ok(DecodedTransaction { fields, unsigned, hash })
    }
}

/// `<tag>value</tag>` at `position`: the value and the position after the closing tag, or `None`
/// when another tag starts there. The value runs to the first `<`, which must open `</tag>`.
fn take_tag<'t>(text: &'t str, position: usize, tag: &'static str) -> Result<Option<(&'t str, usize)>, PayloadError> {
    let rest = &text[position..];
    let open = format!("<{tag}>");
    let Some(after_open) = rest.strip_prefix(open.as_str()) else {
        return Ok(None);
    };
    let close = format!("</{tag}>");
    let value_end = after_open.find('<').ok_or(PayloadError::Unclosed(tag))?;
    if !after_open[value_end..].starts_with(close.as_str()) {
        return Err(PayloadError::Unclosed(tag));
    }
    Ok(Some((&after_open[..value_end], position + open.len() + value_end + close.len())))
}

/// SHA-1(unsigned ‖ `<password>` ‖ password ‖ `</password>`) as lowercase hex (payments.md §1.3).
pub fn payload_hash(unsigned: &str, password: &Secret) -> String {
    let mut sha = Sha1::new();
    sha.update(unsigned.as_bytes());
    sha.update(b"<password>");
    sha.update(password.expose().as_bytes());
    sha.update(b"</password>");
    hex::encode(sha.finalize())
}

fn hash_matches(unsigned: &str, received_hex: &str, password: &Secret) -> bool {
    let expected = payload_hash(unsigned, password);
    digests_equal(&expected, received_hex)
}

/// Compares a computed lowercase-hex SHA-1 with a received hex string in constant time over the
/// 20 digest bytes. Upper- and lowercase hex are the same digest; anything that is not 40 hex
/// digits never matches.
pub(crate) fn digests_equal(expected_hex: &str, received_hex: &str) -> bool {
    let (Ok(expected), Ok(received)) = (hex::decode(expected_hex), hex::decode(received_hex)) else {
        return false;
    };
    expected.len() == 20 && received.len() == 20 && bool::from(expected.ct_eq(&received))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The payload of payments.md §1.3's test vector, exactly.
    pub(crate) const VECTOR_UNSIGNED: &str = "<id_client>1234563218</id_client><id_trans>0000004711</id_trans><date_valid>15-03-2025 23:59:59</date_valid><amount>123,45</amount><currency>PLN</currency><email>jan@example.invalid</email><account>39109010141234567800004711</account><accname>Gmina Przykladowo^NM^00-001^ZP^Przykladowo^CI^Rynek 1^ST^Polska^CT^</accname><backpage>https://e-naleznosci.example/ok</backpage><backpagereject>https://e-naleznosci.example/err</backpagereject>";
    pub(crate) const VECTOR_HASH: &str = "e5f199eb9af06ab0f072d6b5becb5bf6dec7495c";

    fn vector_fields() -> TransactionFields {
        TransactionFields {
            id_client: "1234563218".into(),
            id_trans: "0000004711".into(),
            date_valid: "15-03-2025 23:59:59".into(),
            amount: "123,45".into(),
            currency: "PLN".into(),
            email: Some("jan@example.invalid".into()),
            account: "39109010141234567800004711".into(),
            accname: "Gmina Przykladowo^NM^00-001^ZP^Przykladowo^CI^Rynek 1^ST^Polska^CT^".into(),
            backpage: "https://e-naleznosci.example/ok".into(),
            backpagereject: "https://e-naleznosci.example/err".into(),
        }
    }

    fn password() -> Secret {
        Secret::new("TajneHaslo123")
    }

    /// payments.md §1.3 test vector: payload and SHA-1 with the password tag.
    #[test]
    fn test_vector_payload_and_hash() {
        let fields = vector_fields();
        assert_eq!(fields.unsigned(), VECTOR_UNSIGNED);
        assert_eq!(fields.hash(&password()), VECTOR_HASH);
        assert_eq!(payload_hash(VECTOR_UNSIGNED, &password()), VECTOR_HASH);
    }

    /// Steps 4–5: the hash tag replaces the password tag, then strict base64 (no line breaks).
    #[test]
    fn test_vector_hashtrans() {
        let fields = vector_fields();
        let signed = format!("{VECTOR_UNSIGNED}<hash>{VECTOR_HASH}</hash>");
        assert_eq!(fields.signed(&password()), signed);
        assert!(!signed.contains("password"));
        let hashtrans = fields.hashtrans(&password());
        assert_eq!(hashtrans, STANDARD.encode(&signed));
        assert!(!hashtrans.contains('\n') && !hashtrans.contains('\r'));
        assert_eq!(STANDARD.decode(&hashtrans).unwrap(), signed.as_bytes());
    }

    #[test]
    fn email_tag_is_left_out_entirely_without_an_email() {
        let fields = TransactionFields { email: None, ..vector_fields() };
        let unsigned = fields.unsigned();
        assert!(!unsigned.contains("email"));
        assert!(unsigned.contains("<currency>PLN</currency><account>"));
    }

    #[test]
    fn decode_round_trips_with_and_without_email() {
        for fields in [vector_fields(), TransactionFields { email: None, ..vector_fields() }] {
            let decoded = TransactionFields::decode(&fields.hashtrans(&password())).unwrap();
            assert_eq!(decoded.fields, fields);
            assert_eq!(decoded.unsigned, fields.unsigned());
            assert!(decoded.hash_matches(&password()));
            assert!(!decoded.hash_matches(&Secret::new("InneHaslo123")));
        }
        let decoded = TransactionFields::decode(&vector_fields().hashtrans(&password())).unwrap();
        assert_eq!(decoded.hash, VECTOR_HASH);
    }

    #[test]
    fn uppercase_hex_is_the_same_digest() {
        let decoded = DecodedTransaction { fields: vector_fields(), unsigned: VECTOR_UNSIGNED.into(), hash: VECTOR_HASH.to_uppercase() };
        assert!(decoded.hash_matches(&password()));
    }

    #[test]
    fn a_changed_byte_breaks_the_hash() {
        let tampered = VECTOR_UNSIGNED.replace("123,45", "12,345");
        let decoded = DecodedTransaction { fields: vector_fields(), unsigned: tampered, hash: VECTOR_HASH.into() };
        assert!(!decoded.hash_matches(&password()));
    }

    #[test]
    fn decode_refuses_malformed_payloads() {
        let b64 = |text: &str| STANDARD.encode(text);
        let hash = format!("<hash>{VECTOR_HASH}</hash>");
        let swapped = VECTOR_UNSIGNED.replace("<currency>PLN</currency>", "").replace("<amount>", "<currency>PLN</currency><amount>");
        let table = [
            ("not base64!".to_owned(), PayloadError::NotBase64),
            // Wrapped base64 (Ruby's encode64) is refused: we never send it, payments.md §1.3 step 5.
            (
                {
                    let mut wrapped = b64(&format!("{VECTOR_UNSIGNED}{hash}"));
                    wrapped.insert(60, '\n');
                    wrapped
                },
                PayloadError::NotBase64,
            ),
            (STANDARD.encode([0xff, 0xfe]), PayloadError::NotUtf8),
            (
                b64(&format!("{swapped}{hash}")),
                PayloadError::UnexpectedTag { expected: "amount", position: VECTOR_UNSIGNED.find("<amount>").unwrap() },
            ),
            (
                b64(&VECTOR_UNSIGNED.replace("<id_client>1234563218</id_client>", "")),
                PayloadError::UnexpectedTag { expected: "id_client", position: 0 },
            ),
            (b64(VECTOR_UNSIGNED), PayloadError::UnexpectedTag { expected: "hash", position: VECTOR_UNSIGNED.len() }),
            (b64(&format!("{VECTOR_UNSIGNED}{hash}<extra>1</extra>")), PayloadError::TrailingData),
            (b64(&format!("{VECTOR_UNSIGNED}<hash>abc</hash>")), PayloadError::MalformedHash),
            (b64(&VECTOR_UNSIGNED.replace("</amount>", "</amnt>")), PayloadError::Unclosed("amount")),
            (b64("<id_client>1234563218"), PayloadError::Unclosed("id_client")),
        ];
        for (hashtrans, error) in table {
            assert_eq!(TransactionFields::decode(&hashtrans), Err(error), "{hashtrans}");
        }
    }

    #[test]
    fn digest_comparison() {
        assert!(digests_equal(VECTOR_HASH, VECTOR_HASH));
        assert!(digests_equal(VECTOR_HASH, &VECTOR_HASH.to_uppercase()));
        assert!(!digests_equal(VECTOR_HASH, &VECTOR_HASH[..39]));
        assert!(!digests_equal(VECTOR_HASH, ""));
        assert!(!digests_equal(VECTOR_HASH, &format!("{}0", &VECTOR_HASH[..39])));
        assert!(!digests_equal(VECTOR_HASH, &"z".repeat(40)));
    }
}
