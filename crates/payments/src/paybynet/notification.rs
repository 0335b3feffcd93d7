//! The PayByNet status notification (payments.md §1.4): a form POST of `newStatus`, `transAmount`,
//! `paymentId` and `hash = sha1(newStatus + transAmount + paymentId + password)`.

use sha1::{Digest, Sha1};

use super::payload::digests_equal;
use crate::gateway::NotificationError;
use crate::secret::Secret;

pub const NEW_STATUS: &str = "newStatus";
pub const TRANS_AMOUNT: &str = "transAmount";
pub const PAYMENT_ID: &str = "paymentId";
pub const HASH: &str = "hash";

/// The answer KIR expects when a notification was accepted (aptelo, WooCommerce; payments.md §1.4).
pub const ACCEPTED_REPLY: &str = "OK";
/// The answer to a notification we do not accept (aptelo answers this on a bad hash).
pub const REFUSED_REPLY: &str = "PROBLEM";

/// The four fields exactly as received (after form decoding, before any interpretation): the
/// hash is over these strings, so the amount is never reformatted before checking (§1.4).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotificationFields {
    pub new_status: String,
    pub trans_amount: String,
    pub payment_id: String,
    pub hash: String,
}

/// One `application/x-www-form-urlencoded` component: `+` is a space, `%XX` a byte, and the bytes
/// must be UTF-8. Decoded by hand rather than with a lossy decoder, so that a string the sender
/// signed is never silently altered (a malformed `%` escape stays as it is, as browsers do).
fn form_component(raw: &[u8]) -> Option<String> {
    let mut bytes = Vec::with_capacity(raw.len());
    let mut index = 0;
    while let Some(&b) = raw.get(index) {
        let escaped = match (b, raw.get(index + 1..index + 3)) {
            (b'%', Some(hex)) => std::str::from_utf8(hex).ok().and_then(|hex| u8::from_str_radix(hex, 16).ok()),
            _ => None,
        };
        match (b, escaped) {
            (_, Some(byte)) => {
                bytes.push(byte);
                index += 3;
            }
            (b'+', None) => {
                bytes.push(b' ');
                index += 1;
            }
            (b, None) => {
                bytes.push(b);
                index += 1;
            }
        }
    }
    String::from_utf8(bytes).ok()
}

/// sha1(newStatus ‖ transAmount ‖ paymentId ‖ password) as lowercase hex: plain concatenation,
/// no separators, no tags (payments.md §1.4).
pub fn notification_hash(new_status: &str, trans_amount: &str, payment_id: &str, password: &Secret) -> String {
    let mut sha = Sha1::new();
    for part in [new_status, trans_amount, payment_id, password.expose()] {
        sha.update(part.as_bytes());
    }
    hex::encode(sha.finalize())
}

impl NotificationFields {
    /// A correctly signed notification (what KIR sends; used by the simulator).
    pub fn signed(new_status: &str, trans_amount: &str, payment_id: &str, password: &Secret) -> Self {
        NotificationFields {
            new_status: new_status.to_owned(),
            trans_amount: trans_amount.to_owned(),
            payment_id: payment_id.to_owned(),
            hash: notification_hash(new_status, trans_amount, payment_id, password),
        }
    }

    /// Reads the form body. Each of the four fields must be there exactly once; other fields are
    /// ignored (they are not covered by the hash, so nothing may depend on them).
    pub fn parse(body: &[u8]) -> Result<Self, NotificationError> {
        let mut found: [Option<String>; 4] = Default::default();
        let names = [NEW_STATUS, TRANS_AMOUNT, PAYMENT_ID, HASH];
        for pair in body.split(|&b| b == b'&').filter(|pair| !pair.is_empty()) {
            let (name, value) = match pair.iter().position(|&b| b == b'=') {
                Some(at) => (&pair[..at], &pair[at + 1..]),
                None => (pair, &[][..]),
            };
            let name = form_component(name).ok_or_else(|| NotificationError::MalformedBody("a field name is not UTF-8".into()))?;
            let Some(index) = names.iter().position(|n| *n == name) else { continue };
            let value = form_component(value).ok_or_else(|| NotificationError::MalformedBody(format!("field {name} is not UTF-8")))?;
            if found[index].replace(value).is_some() {
                return Err(NotificationError::DuplicateField(names[index]));
            }
        }
        let [new_status, trans_amount, payment_id, hash] = found;
        Ok(NotificationFields {
            new_status: new_status.ok_or(NotificationError::MissingField(NEW_STATUS))?,
            trans_amount: trans_amount.ok_or(NotificationError::MissingField(TRANS_AMOUNT))?,
            payment_id: payment_id.ok_or(NotificationError::MissingField(PAYMENT_ID))?,
            hash: hash.ok_or(NotificationError::MissingField(HASH))?,
        })
    }

    /// Checks the hash over the received strings, in constant time over the digest bytes.
    pub fn verify(&self, password: &Secret) -> Result<(), NotificationError> {
        let expected = notification_hash(&self.new_status, &self.trans_amount, &self.payment_id, password);
        if digests_equal(&expected, &self.hash) { Ok(()) } else { Err(NotificationError::BadSignature) }
    }

    /// The form body, fields in the order of payments.md §1.4.
    pub fn to_form_body(&self) -> String {
        form_urlencoded::Serializer::new(String::new())
            .append_pair(NEW_STATUS, &self.new_status)
            .append_pair(TRANS_AMOUNT, &self.trans_amount)
            .append_pair(PAYMENT_ID, &self.payment_id)
            .append_pair(HASH, &self.hash)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn password() -> Secret {
        Secret::new("TajneHaslo123")
    }

    const VECTOR_HASH: &str = "e3a5218c95b18f6ae0d69f12d8ad3e9f173bf412";

    /// payments.md §1.4 test vector: newStatus=2203, transAmount=123,45, paymentId=0000004711.
    #[test]
    fn test_vector() {
        assert_eq!(notification_hash("2203", "123,45", "0000004711", &password()), VECTOR_HASH);
        let fields = NotificationFields::signed("2203", "123,45", "0000004711", &password());
        assert_eq!(fields.hash, VECTOR_HASH);
        assert_eq!(fields.verify(&password()), Ok(()));
    }

    #[test]
    fn form_body_round_trip() {
        let fields = NotificationFields::signed("2203", "123,45", "0000004711", &password());
        let body = fields.to_form_body();
        assert_eq!(body, format!("newStatus=2203&transAmount=123%2C45&paymentId=0000004711&hash={VECTOR_HASH}"));
        assert_eq!(NotificationFields::parse(body.as_bytes()), Ok(fields));
    }

    #[test]
    fn verifies_the_strings_as_received() {
        // The same amount written differently is a different message: never reformat before checking.
        let reformatted =
            NotificationFields { trans_amount: "123.45".into(), ..NotificationFields::signed("2203", "123,45", "0000004711", &password()) };
        assert_eq!(reformatted.verify(&password()), Err(NotificationError::BadSignature));
        let other_status =
            NotificationFields { new_status: "2202".into(), ..NotificationFields::signed("2203", "123,45", "0000004711", &password()) };
        assert_eq!(other_status.verify(&password()), Err(NotificationError::BadSignature));
        let uppercase = NotificationFields {
            hash: VECTOR_HASH.to_uppercase(),
            ..NotificationFields::signed("2203", "123,45", "0000004711", &password())
        };
        assert_eq!(uppercase.verify(&password()), Ok(()));
        assert_eq!(
            NotificationFields::signed("2203", "123,45", "0000004711", &Secret::new("InneHaslo123")).verify(&password()),
            Err(NotificationError::BadSignature)
        );
    }

    #[test]
    fn parse_refuses_missing_duplicate_and_non_utf8_fields() {
        let table: [(&[u8], NotificationError); 5] = [
            (b"newStatus=2203&transAmount=1&paymentId=1", NotificationError::MissingField(HASH)),
            (b"transAmount=1&paymentId=1&hash=x", NotificationError::MissingField(NEW_STATUS)),
            (b"newStatus=2203&newStatus=2202&transAmount=1&paymentId=1&hash=x", NotificationError::DuplicateField(NEW_STATUS)),
            (b"newStatus=2203&transAmount=1&paymentId=1&hash=\xff", NotificationError::MalformedBody("field hash is not UTF-8".into())),
            (
                b"newStatus=22%FF03&transAmount=1&paymentId=1&hash=x",
                NotificationError::MalformedBody("field newStatus is not UTF-8".into()),
            ),
        ];
        for (body, error) in table {
            assert_eq!(NotificationFields::parse(body), Err(error), "{}", String::from_utf8_lossy(body));
        }
    }

    #[test]
    fn form_components() {
        assert_eq!(form_component(b"123%2C45"), Some("123,45".into()));
        assert_eq!(form_component(b"a+b%20c"), Some("a b c".into()));
        assert_eq!(form_component(b"%C5%82"), Some("ł".into()));
        assert_eq!(form_component("\u{FFFD}".as_bytes()), Some("\u{FFFD}".into()));
        assert_eq!(form_component(b"100%"), Some("100%".into()));
        assert_eq!(form_component(b"%G1%4"), Some("%G1%4".into()));
        assert_eq!(form_component(b"%FF"), None);
        assert_eq!(form_component(b"%C5"), None);
    }

    #[test]
    fn extra_fields_are_ignored() {
        let body = format!("x=1&newStatus=2203&transAmount=123%2C45&paymentId=0000004711&hash={VECTOR_HASH}&y=2");
        let fields = NotificationFields::parse(body.as_bytes()).unwrap();
        assert_eq!(fields.verify(&password()), Ok(()));
    }
}
