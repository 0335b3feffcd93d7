//! Round-trip properties of the PayByNet formats.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, reason = "tests fail by panicking")]

use domain::Amount;
use payments::paybynet::{AmountFormat, IdTrans, NotificationFields, TransactionFields, format_amount, parse_amount};
use payments::{PaymentId, Secret};
use proptest::prelude::*;

/// Text a payload field may hold: no `<`, `>`, `&`, no control characters; Polish letters welcome.
fn field() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9ąćęłńóśźżĄĆĘŁŃÓŚŹŻ .,:/^@_-]{0,40}"
}

proptest! {
    #[test]
    fn amounts_round_trip_in_both_formats(grosze in 1i64..100_000_000_000) {
        let amount = Amount::from_grosze(grosze).unwrap();
        for format in [AmountFormat::Comma, AmountFormat::Dot] {
            prop_assert_eq!(parse_amount(&format_amount(amount, format)), Some(amount));
        }
    }

    #[test]
    fn id_trans_round_trips(id in 1u64..=IdTrans::MAX_PAYMENT_ID) {
        let id_trans = IdTrans::from_payment_id(PaymentId::new(id)).unwrap();
        prop_assert_eq!(id_trans.as_str().len(), 10);
        prop_assert_eq!(IdTrans::parse(id_trans.as_str()).map(|t| t.payment_id()), Some(PaymentId::new(id)));
        prop_assert_eq!(IdTrans::payment_id_of(id_trans.as_str().trim_start_matches('0')), Some(PaymentId::new(id)));
    }

    #[test]
    fn payloads_decode_to_what_was_signed(
        values in proptest::collection::vec(field(), 9),
        email in proptest::option::of(field()),
        password in "[!-~]{8,40}",
    ) {
        let fields = TransactionFields {
            id_client: values[0].clone(),
            id_trans: values[1].clone(),
            date_valid: values[2].clone(),
            amount: values[3].clone(),
            currency: values[4].clone(),
            email,
            account: values[5].clone(),
            accname: values[6].clone(),
            backpage: values[7].clone(),
            backpagereject: values[8].clone(),
        };
        let password = Secret::new(password);
        let decoded = TransactionFields::decode(&fields.hashtrans(&password)).unwrap();
        prop_assert_eq!(&decoded.fields, &fields);
        prop_assert!(decoded.hash_matches(&password));
    }

    /// Whatever characters the fields hold, form encoding keeps them exact, so the hash still matches.
    #[test]
    fn notifications_survive_form_encoding(status in "\\PC{0,8}", amount in "\\PC{0,12}", id in "\\PC{0,12}") {
        let password = Secret::new("TajneHaslo123");
        let sent = NotificationFields::signed(&status, &amount, &id, &password);
        let received = NotificationFields::parse(sent.to_form_body().as_bytes()).unwrap();
        prop_assert_eq!(&received, &sent);
        prop_assert!(received.verify(&password).is_ok());
    }
}
