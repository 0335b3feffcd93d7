//! Generate → parse gives back the same statements and lines, in every dialect (property tests);
//! and no input, random or a mangled real file, makes the parser panic.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, reason = "test code: a failed unwrap is a failed test")]

mod common;

use domain::Amount;
use domain::nrb::{Nrb, check_digits, is_valid_settlement_number};
use proptest::prelude::*;
use rust_decimal::Decimal;
use statements::generate::{self, Dialect, EntrySpec, StatementSpec};
use statements::{Direction, Encoding, Format, ParsedFile, StatementLine};
use time::{Date, Duration};

fn nrb() -> impl Strategy<Value = Nrb> {
    ("[0-9]{7}", "[0-9]{16}").prop_map(|(first_seven, rest)| {
        let settlement = (0..10).map(|d| format!("{first_seven}{d}")).find(|s| is_valid_settlement_number(s)).unwrap();
        let bban = format!("{settlement}{rest}");
        format!("{}{bban}", check_digits(&bban)).parse().unwrap()
    })
}

/// Words of letters (Polish ones included), digits and punctuation, single spaces between them.
fn text(max_words: usize, max_chars: usize) -> impl Strategy<Value = String> {
    prop::collection::vec("[A-Za-z0-9ĄĆĘŁŃÓŚŹŻąćęłńóśźż./,()+:-]{1,12}", 0..=max_words).prop_map(move |words| {
        let joined = words.join(" ");
        joined.chars().take(max_chars).collect::<String>().trim().to_owned()
    })
}

fn day() -> impl Strategy<Value = Date> {
    (0i64..3000).prop_map(|offset| time::macros::date!(2019 - 01 - 01) + Duration::days(offset))
}

prop_compose! {
    fn entry()(
        credit in any::<bool>(),
        reversal in prop::bool::weighted(0.15),
        grosze in 0i64..100_000_000_000,
        value_date in day(),
        booking_shift in prop::option::of(-4i64..=6),
        name in prop::option::of(text(4, 54)),
        counterparty in prop::option::of(nrb()),
        title in text(8, 120),
        virtual_account in prop::option::of(nrb()),
        bank_reference in prop::option::of("[A-Z0-9]{1,16}"),
        customer_reference in prop::option::of("[A-Z0-9]{1,16}"),
        iph_id in prop::option::of("XX[0-9]{12}"),
    ) -> EntrySpec {
        EntrySpec {
            direction: if credit { Direction::Credit } else { Direction::Debit },
            reversal,
            amount: Amount::from_grosze(grosze).unwrap(),
            value_date,
            booking_date: booking_shift.map(|d| value_date + Duration::days(d)),
            counterparty_name: name.filter(|n| !n.is_empty()),
            counterparty_account: counterparty,
            title,
            virtual_account,
            bank_reference,
            customer_reference: customer_reference.filter(|r| r != "NONREF"),
            iph_id,
        }
    }
}

prop_compose! {
    fn statement_spec()(
        account in nrb(),
        number in "[1-9][0-9]{0,3}(/1)?",
        currency in prop::sample::select(vec!["PLN", "EUR", "USD"]),
        opening in -100_000_000_000i64..100_000_000_000,
        date in day(),
        entries in prop::collection::vec(entry(), 0..6),
    ) -> StatementSpec {
        StatementSpec { account, number, currency: currency.to_owned(), opening_balance: Decimal::new(opening, 2), date, entries }
    }
}

/// What the parser must give back for an entry written in `dialect` (`None` = camt.053).
fn check_line(dialect: Option<Dialect>, spec: &EntrySpec, line: &StatementLine) -> Result<(), TestCaseError> {
    prop_assert_eq!(line.value_date, spec.value_date);
    prop_assert_eq!(line.booking_date, spec.booking_date);
    prop_assert_eq!(line.direction, spec.direction);
    prop_assert_eq!(line.reversal, spec.reversal);
    prop_assert_eq!(line.amount, spec.amount);
    prop_assert_eq!(&line.customer_reference, &spec.customer_reference);
    match &spec.bank_reference {
        Some(reference) => prop_assert_eq!(line.bank_reference.as_ref(), Some(reference)),
        None => prop_assert!(line.bank_reference.is_some()),
    }
    let title = match dialect {
        Some(Dialect::Swift) => generate::swift_text(&spec.title).trim().to_owned(),
        _ => spec.title.clone(),
    };
    prop_assert_eq!(line.title.as_deref(), Some(title.as_str()).filter(|t| !t.is_empty()));
    let parties = dialect.is_none_or(Dialect::carries_parties);
    let incoming = (spec.direction == Direction::Credit) != spec.reversal;
    if parties {
        prop_assert_eq!(&line.counterparty_name, &spec.counterparty_name);
        prop_assert_eq!(&line.counterparty_nrb, &spec.counterparty_account);
        prop_assert_eq!(&line.virtual_account, &spec.virtual_account.clone().filter(|_| incoming));
        if let Some(virtual_account) = spec.virtual_account.as_ref().filter(|_| incoming) {
            prop_assert!(line.mentioned_accounts().any(|nrb| nrb == virtual_account));
        }
    } else {
        prop_assert_eq!(&line.counterparty_name, &None);
        prop_assert_eq!(&line.virtual_account, &None);
    }
    if dialect == Some(Dialect::Mbank) {
        prop_assert_eq!(&line.iph_id, &spec.iph_id);
    }
    Ok(())
}

fn check_file(dialect: Option<Dialect>, specs: &[StatementSpec], file: &ParsedFile) -> Result<(), TestCaseError> {
    prop_assert_eq!(file.statements.len(), specs.len());
    for (spec, statement) in specs.iter().zip(&file.statements) {
        prop_assert_eq!(&statement.account, &spec.account.iban());
        prop_assert_eq!(&statement.number, &spec.number);
        prop_assert_eq!(&statement.currency, &spec.currency);
        prop_assert_eq!(statement.opening.amount, spec.opening_balance);
        prop_assert_eq!(statement.opening.date, spec.date);
        prop_assert_eq!(statement.closing.amount, spec.closing_balance());
        prop_assert!(statement.balance_check.balanced);
        prop_assert_eq!(statement.lines.len(), spec.entries.len());
        for (entry, line) in spec.entries.iter().zip(&statement.lines) {
            check_line(dialect, entry, line)?;
        }
        let ids = statement.line_identities();
        for (i, id) in ids.iter().enumerate() {
            prop_assert!(!ids[..i].contains(id), "identities are unique within a statement");
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(120))]

    #[test]
    fn mt940_round_trip(specs in prop::collection::vec(statement_spec(), 1..4), dialect in prop::sample::select(Dialect::ALL.to_vec())) {
        let bytes = generate::mt940(dialect, &specs).unwrap();
        // Detected encoding…
        let detected = statements::parse(&bytes, Format::Auto, None).unwrap();
        check_file(Some(dialect), &specs, &detected)?;
        // …and named encoding give the same result.
        let named = statements::parse(&bytes, Format::Mt940, Some(dialect.encoding())).unwrap();
        prop_assert_eq!(&named.statements, &detected.statements);
    }

    #[test]
    fn camt053_round_trip(specs in prop::collection::vec(statement_spec(), 1..4), version in prop::sample::select(vec![2u8, 4, 8, 13])) {
        let bytes = generate::camt053(version, &specs).unwrap();
        let file = statements::parse(&bytes, Format::Auto, None).unwrap();
        prop_assert_eq!(file.schema.clone(), Some(format!("urn:iso:std:iso:20022:tech:xsd:camt.053.001.{version:02}")));
        check_file(None, &specs, &file)?;
    }

    /// Any bytes: an error or a result, never a panic.
    #[test]
    fn random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..600), format in prop::sample::select(vec![Format::Auto, Format::Mt940, Format::Camt053])) {
        let _ = statements::parse(&bytes, format, None);
        let _ = statements::parse(&bytes, format, Some(Encoding::Cp852));
    }

    /// Text built from MT940 pieces, shuffled: never a panic.
    #[test]
    fn random_mt940_pieces_never_panic(pieces in prop::collection::vec(prop::sample::select(vec![
        ":20:X", ":25:PL61109010140000071219812874", ":28C:1", ":60F:C210104PLN1,00", ":60M:D210104EUR0,", ":61:2101040104C1,00NTRFNONREF//R",
        ":61:2101040104RD", ":61:", ":61:21010", ":86:020~00152~20T~3010205561~31", ":86:911 X; TNR: 1; Z RACH.: ", ":86:", ":62F:C210104PLN2,00",
        ":62F:D21", ":64:C210104PLN2,00", "-", "-}", "{1:X}{4:", ":", "86:x", "~38PL", "<26", "\u{1}", "\u{3}", "ĄŁ", "", " ", ":34F:PLN0",
    ]), 0..40), separator in prop::sample::select(vec!["\n", "\r\n", "\r", ""])) {
        let text = pieces.join(separator);
        let _ = statements::parse(text.as_bytes(), Format::Auto, None);
    }

    /// A generated file cut anywhere or with one byte changed: never a panic, and a cut inside the last
    /// statement is an error rather than a statement with lines missing.
    #[test]
    fn mangled_files_never_panic(spec in statement_spec(), dialect in prop::sample::select(Dialect::ALL.to_vec()), cut in any::<prop::sample::Index>(), flip in any::<(prop::sample::Index, u8)>()) {
        let bytes = generate::mt940(dialect, std::slice::from_ref(&spec)).unwrap();
        let at = cut.index(bytes.len());
        if let Ok(file) = statements::parse(&bytes[..at], Format::Auto, None) {
            // Only a cut after the closing balance can still be a whole statement.
            prop_assert_eq!(file.statements.len(), 1);
            prop_assert_eq!(file.statements[0].lines.len(), spec.entries.len());
        }
        let mut changed = bytes.clone();
        let (index, byte) = flip;
        let index = index.index(changed.len());
        changed[index] = byte;
        let _ = statements::parse(&changed, Format::Auto, None);
        let camt = generate::camt053(2, std::slice::from_ref(&spec)).unwrap();
        let _ = statements::parse(&camt[..cut.index(camt.len())], Format::Auto, None);
    }
}

/// The generator's own rules: what each dialect cannot carry is refused, not mangled.
#[test]
fn generator_refuses_what_a_dialect_cannot_carry() {
    let account: Nrb = "PL61109010140000071219812874".parse().unwrap();
    let day = time::macros::date!(2026 - 01 - 02);
    let spec = |entry: EntrySpec| StatementSpec { entries: vec![entry], ..StatementSpec::new(account.clone(), Decimal::ZERO, day) };
    let credit = |title: &str| EntrySpec::credit(Amount::from_zloty(1), day, title);
    assert!(matches!(
        generate::mt940(Dialect::PkoBp, &[spec(credit("A~B"))]),
        Err(generate::GenerateError::ForbiddenCharacter { character: '~', .. })
    ));
    assert!(matches!(generate::mt940(Dialect::Bph, &[spec(credit("A<B"))]), Err(generate::GenerateError::ForbiddenCharacter { .. })));
    assert!(matches!(
        generate::mt940(Dialect::Mbank, &[spec(credit("A; TNR: 1"))]),
        Err(generate::GenerateError::ForbiddenCharacter { .. })
    ));
    assert!(matches!(
        generate::mt940(Dialect::PkoBp, &[spec(credit(&"X".repeat(163)))]),
        Err(generate::GenerateError::TooLong { max: 162, .. })
    ));
    assert!(matches!(generate::mt940(Dialect::Bph, &[spec(credit("€"))]), Err(generate::GenerateError::Unencodable { .. })));
    let mut bad_ref = credit("T");
    bad_ref.bank_reference = Some("A//B".to_owned());
    assert!(matches!(generate::mt940(Dialect::Swift, &[spec(bad_ref)]), Err(generate::GenerateError::BadReference(_))));
    assert_eq!(generate::swift_text("Zażółć gęślą jaźń €"), "Zazolc gesla jazn .");
}

/// The demo's use: a credit to a virtual account in each format lands on `virtual_account`.
#[test]
fn credits_hit_virtual_accounts_in_every_format() {
    let account: Nrb = "PL61109010140000071219812874".parse().unwrap();
    let virtual_account: Nrb = "PL39109010141234567800004711".parse().unwrap();
    let payer: Nrb = "PL81102055619000990000000140".parse().unwrap();
    let day = time::macros::date!(2025 - 12 - 31);
    let credit = EntrySpec::credit(Amount::from_zloty(250), day, "Podatek od nieruchomości rata 4")
        .with_counterparty("Jan Kowalski", Some(payer.clone()))
        .to_virtual_account(virtual_account.clone());
    let spec = StatementSpec { entries: vec![credit], ..StatementSpec::new(account, Decimal::new(10_000, 2), day) };
    let mut files: Vec<Vec<u8>> =
        [Dialect::PkoBp, Dialect::Mbank, Dialect::Bph].iter().map(|d| generate::mt940(*d, std::slice::from_ref(&spec)).unwrap()).collect();
    files.push(generate::camt053(8, std::slice::from_ref(&spec)).unwrap());
    for bytes in files {
        let file = statements::parse(&bytes, Format::Auto, None).unwrap();
        let line = &file.statements[0].lines[0];
        assert_eq!(line.virtual_account.as_ref(), Some(&virtual_account), "{:?}", file.format);
        assert_eq!(line.counterparty_nrb.as_ref(), Some(&payer));
        assert_eq!(file.statements[0].closing.amount, Decimal::new(35_000, 2));
    }
}
