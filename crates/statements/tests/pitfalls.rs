//! One test per failure kind of payments.md §5: the eight pitfalls and the thirty bug reports from
//! other parsers' issue trackers (numbered as in the table), plus the structural errors a broken file
//! must produce.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, reason = "test code: a failed unwrap is a failed test")]

mod common;

use common::{amount, date, decimal, mt940, statement};
use statements::{Direction, Encoding, Format, Mt940Problem, StatementError, Warning};

const ACCOUNT: &str = "PL61109010140000071219812874";

fn problem(result: Result<statements::ParsedFile, StatementError>) -> (usize, Option<String>, Mt940Problem) {
    match result {
        Err(StatementError::Mt940 { line, tag, problem }) => (line, tag, problem),
        other => panic!("expected an MT940 error, got {other:?}"),
    }
}

/// A one-entry statement whose balances add up.
fn one_entry(line61: &str, details: &str, opening: &str, closing: &str) -> String {
    let body = if details.is_empty() { format!(":61:{line61}\n") } else { format!(":61:{line61}\n:86:{details}\n") };
    statement(opening, &body, closing)
}

// ---------------------------------------------------------------------------------------------
// §5 pitfalls 1–8

/// Pitfall 1: the same statement in CP852, ISO-8859-2, Windows-1250 and UTF-8 is detected and decoded
/// to the same text.
#[test]
fn pitfall_1_encodings_are_detected() {
    let text = one_entry(
        "2101040104C10,00NTRFNONREF//R1",
        "020~00152~20ZAPŁATA ŚWIĘTOCHŁOWICE ŹRÓDŁO~32ŻÓŁW ĄĆĘŃ",
        "C210104PLN0,00",
        "C210104PLN10,00",
    );
    for encoding in Encoding::ALL {
        let bytes = encoding.encode(&text).unwrap();
        let file = statements::parse(&bytes, Format::Auto, None).unwrap();
        assert_eq!(file.encoding, encoding, "detected");
        let line = &file.statements[0].lines[0];
        assert_eq!(line.title.as_deref(), Some("ZAPŁATA ŚWIĘTOCHŁOWICE ŹRÓDŁO"), "{encoding}");
        assert_eq!(line.counterparty_name.as_deref(), Some("ŻÓŁW ĄĆĘŃ"), "{encoding}");
        assert!(file.warnings.is_empty(), "{encoding}: {:?}", file.warnings);
    }
}

/// Pitfall 1, the other way round: a named encoding wins, and a wrong one is flagged (box drawing or
/// control characters after decoding), while a named UTF-8 that is not UTF-8 is refused.
#[test]
fn pitfall_1_named_encoding_is_used_and_checked() {
    let text = one_entry("2101040104C10,00NTRFNONREF//R1", "020<00X<20ŁÓDŹ", "C210104PLN0,00", "C210104PLN10,00");
    let cp852 = Encoding::Cp852.encode(&text).unwrap();
    let right = statements::parse(&cp852, Format::Mt940, Some(Encoding::Cp852)).unwrap();
    assert!(!right.encoding_detected);
    assert_eq!(right.statements[0].lines[0].title.as_deref(), Some("ŁÓDŹ"));
    let wrong = statements::parse(&cp852, Format::Mt940, Some(Encoding::Iso8859_2)).unwrap();
    assert_eq!(wrong.warnings, [Warning::SuspiciousDecoding { encoding: Encoding::Iso8859_2 }]);
    let error = statements::parse(&cp852, Format::Mt940, Some(Encoding::Utf8)).unwrap_err();
    let offset = text.find('Ł').unwrap();
    assert_eq!(error, StatementError::NotUtf8 { offset });
    assert_eq!("IBM852".parse::<Encoding>(), Ok(Encoding::Cp852));
    assert_eq!("latin2".parse::<Encoding>(), Ok(Encoding::Iso8859_2));
    assert_eq!("CP1250".parse::<Encoding>(), Ok(Encoding::Windows1250));
    assert!("mazovia".parse::<Encoding>().is_err());
}

/// Pitfall 2: SOH/ETX around every statement (and a DOS end-of-file byte), 0xFF fillers.
#[test]
fn pitfall_2_control_bytes_and_fillers() {
    let one = one_entry("2101040104C10,00NTRFNONREF//R1", "020~00152~20TYTUL~21\u{2D9}~32JAN\u{2D9}", "C210104PLN0,00", "C210104PLN10,00");
    let text = format!("\u{1}\n{one}\u{3}\u{1}\n{}\u{3}\u{1A}", one.replace(":28C:1/1", ":28C:2/1"));
    let bytes = Encoding::Iso8859_2.encode(&text).unwrap();
    let file = statements::parse(&bytes, Format::Auto, None).unwrap();
    assert_eq!(file.statements.len(), 2);
    let line = &file.statements[1].lines[0];
    assert_eq!(line.title.as_deref(), Some("TYTUL"), "~21 holds only the filler");
    assert_eq!(line.counterparty_name.as_deref(), Some("JAN\u{2D9}"), "a filler inside text is text");
}

/// Pitfall 3: bare CR and CRLF mixed (Nest Bank), `:86:` far longer than 6×65, a subfield omitted.
#[test]
fn pitfall_3_line_endings_and_long_details() {
    let long = "X".repeat(65 * 9);
    let wrapped: Vec<String> = long.as_bytes().chunks(65).map(|c| String::from_utf8_lossy(c).into_owned()).collect();
    let text = format!(
        ":20:NEST\r:25:{ACCOUNT}\r\n:28:5/1\r:60F:C210104PLN0,00\r\n:61:2101040104C1,00NTRFNONREF\r:86:{}\r\n:62F:C210104PLN1,00\r",
        wrapped.join("\r")
    );
    let file = mt940(&text).unwrap();
    let s = &file.statements[0];
    assert_eq!(s.number, "5/1", ":28: instead of :28C:");
    assert_eq!(s.lines[0].title.as_deref(), Some(long.as_str()));
    assert_eq!(s.lines[0].raw_details.as_ref().map(|r| r.lines().count()), Some(9));
}

/// Pitfall 4: several statements per account and day, empty statements with balances only.
#[test]
fn pitfall_4_several_and_empty_statements() {
    let empty = statement("C210104PLN5,00", "", "C210104PLN5,00");
    let text = format!("{empty}{}", empty.replace(":28C:1/1", ":28C:2/1"));
    let file = mt940(&text).unwrap();
    assert_eq!(file.statements.len(), 2);
    assert!(file.statements.iter().all(|s| s.lines.is_empty() && s.balance_check.balanced));
    assert_eq!(file.statements[1].number, "2/1");
}

/// Pitfall 5: zero balances, whatever their mark, are zero; debit balances are negative.
#[test]
fn pitfall_5_balance_signs() {
    let file = mt940(&statement("D210104PLN0,00", ":61:2101040104D2,50NTRFNONREF\n", "D210104PLN2,50")).unwrap();
    let s = &file.statements[0];
    assert_eq!(s.opening.amount, decimal("0.00"));
    assert!(!s.opening.amount.is_sign_negative());
    assert_eq!(s.closing.amount, decimal("-2.50"));
    assert!(s.balance_check.balanced);
}

/// Pitfall 6: two-digit years.
#[test]
fn pitfall_6_two_digit_years() {
    let file = mt940(&statement("C991231PLN0,00", ":61:9912311231C1,00NTRFNONREF\n", "C991231PLN1,00")).unwrap();
    assert_eq!(file.statements[0].lines[0].value_date, date("1999-12-31"));
    let file = mt940(&statement("C690101PLN0,00", "", "C690101PLN0,00")).unwrap();
    assert_eq!(file.statements[0].opening.date, date("2069-01-01"));
}

/// Pitfall 7: the identity of a line — stable, unique within a statement, never a content hash.
#[test]
fn pitfall_7_line_identity() {
    let body = ":61:2101040104C10,00NTRFNONREF//REF|1\n:61:2101040104C10,00NTRFNONREF//REF|1\n";
    let file = mt940(&statement("C210104PLN0,00", body, "C210104PLN20,00")).unwrap();
    let s = &file.statements[0];
    let ids = s.line_identities();
    assert_eq!(ids[0].key(), format!("{ACCOUNT}|1/1|REF\\|1|2021-01-04|C|10.00|0"));
    assert_eq!(ids[1].occurrence, 1);
    assert_ne!(ids[0], ids[1]);
    assert_eq!(s.line_identity(2), None);
}

/// Pitfall 8: the integrity check per statement, with the difference.
#[test]
fn pitfall_8_integrity_check() {
    let good = statement("C210104PLN100,00", ":61:2101040104D30,00NTRFNONREF\n", "C210104PLN70,00");
    let bad = statement("C210104PLN100,00", ":61:2101040104D30,00NTRFNONREF\n", "C210104PLN130,00").replace(":28C:1/1", ":28C:2/1");
    let file = mt940(&format!("{good}{bad}")).unwrap();
    assert!(file.statements[0].balance_check.balanced);
    let check = &file.statements[1].balance_check;
    assert!(!check.balanced, "an unbalanced statement still parses");
    assert_eq!((check.computed_closing, check.difference), (decimal("70.00"), decimal("60.00")));
}

// ---------------------------------------------------------------------------------------------
// §5 bug reports 1–30

/// 1: odd single-byte characters (0x81, 0xA0) in the `:61:` text.
#[test]
fn bug_01_odd_bytes_in_statement_line_text() {
    let mut bytes = b":20:R\r\n:25:PL61109010140000071219812874\r\n:28C:1\r\n:60F:C210101PLN0,00\r\n".to_vec();
    bytes.extend_from_slice(b":61:2101010101C1,00NTRFNONREF//R1\r\nTEXT \x81\xa0 END\r\n:62F:C210101PLN1,00\r\n-\r\n");
    let file = statements::parse(&bytes, Format::Auto, None).unwrap();
    let line = &file.statements[0].lines[0];
    assert_eq!(line.amount, amount("1.00"));
    assert!(line.supplementary_details.as_deref().is_some_and(|s| s.starts_with("TEXT ") && s.ends_with(" END")));
}

/// 2: a Windows-1250 file is not silently read as CP852.
#[test]
fn bug_02_windows_1250_is_not_garbled_as_cp852() {
    let text = one_entry("2101040104C1,00NTRFNONREF", "Świętochłowice źdźbło Łódź ŚĆŹ", "C210104PLN0,00", "C210104PLN1,00");
    let bytes = Encoding::Windows1250.encode(&text).unwrap();
    let file = statements::parse(&bytes, Format::Auto, None).unwrap();
    assert_eq!(file.encoding, Encoding::Windows1250);
    assert_eq!(file.statements[0].lines[0].title.as_deref(), Some("Świętochłowice źdźbło Łódź ŚĆŹ"));
}

/// 3: Windows-1250 bytes are decoded by its table, not mapped 1:1 to code points.
#[test]
fn bug_03_windows_1250_is_decoded_by_table() {
    let text = Encoding::Windows1250.decode(&[0x8C, 0x9C, 0x8F, 0x9F, 0xA5, 0xB9]).unwrap();
    assert_eq!(text, "ŚśŹźĄą");
}

/// 4: line breaks inside `:61:` and inside a tag.
#[test]
fn bug_04_line_breaks_inside_field_and_tag() {
    let body = ":61:1811261126CR\n30,00N062NONREF\n:\n86:166?00GUTSCHR. UEBERWEISUNG?20SVWZ+Test\n";
    let file = mt940(&statement("C181126EUR0,00", body, "C181126EUR30,00")).unwrap();
    let line = &file.statements[0].lines[0];
    assert_eq!((line.direction, line.amount), (Direction::Credit, amount("30.00")));
    assert_eq!(line.transaction_code.as_deref(), Some("N062"));
    assert_eq!(line.title.as_deref(), Some("SVWZ+Test"));
    assert_eq!(line.description.as_deref(), Some("GUTSCHR. UEBERWEISUNG"));
}

/// 5: `/` inside the customer reference, and a second line.
#[test]
fn bug_05_slash_in_customer_reference() {
    let body = ":61:2212191220C119,NMSC341241773/1XXXXX//O/341241774\nPaiement\n";
    let file = mt940(&statement("C221219EUR0,00", body, "C221219EUR119,00")).unwrap();
    let line = &file.statements[0].lines[0];
    assert_eq!(line.amount, amount("119.00"));
    assert_eq!(line.customer_reference.as_deref(), Some("341241773/1XXXXX"));
    assert_eq!(line.bank_reference.as_deref(), Some("O/341241774"));
    assert_eq!(line.supplementary_details.as_deref(), Some("Paiement"));
    assert_eq!(line.booking_date, Some(date("2022-12-20")));
}

/// 6: a `:86:` continuation line that starts with `:08 ` is text.
#[test]
fn bug_06_continuation_starting_with_colon() {
    let body = ":61:190425D44,04NMSCNONREF\n:86:106?20SVWZ+STARTER?24 22-04-2019T03:46\n:08 Karten?25nr. 5355\n";
    let file = mt940(&statement("C190425EUR44,04", body, "C190425EUR0,00")).unwrap();
    assert_eq!(file.statements[0].lines[0].title.as_deref(), Some("SVWZ+STARTER 22-04-2019T03:46:08 Kartennr. 5355"));
}

/// 7: times like `20:44:45` in `:86:`, also at the start of a continuation line.
#[test]
fn bug_07_times_in_details() {
    let body = ":61:2101040104C1,00NTRFNONREF\n:86:PLATNOSC 2021-01-04 20:44:45 SKLEP\n:44:45 CIAG DALSZY\n";
    let file = mt940(&statement("C210104PLN0,00", body, "C210104PLN1,00")).unwrap();
    assert_eq!(file.statements[0].lines[0].title.as_deref(), Some("PLATNOSC 2021-01-04 20:44:45 SKLEP:44:45 CIAG DALSZY"));
}

/// 8: a continuation line that starts with `-` does not end the message.
#[test]
fn bug_08_continuation_starting_with_dash() {
    let body = ":61:2101040104C1,00NTRFNONREF\n:86:RATA 1 \n- RATA 2\n";
    let file = mt940(&statement("C210104PLN0,00", body, "C210104PLN1,00")).unwrap();
    assert_eq!(file.statements[0].lines[0].title.as_deref(), Some("RATA 1 - RATA 2"));
}

/// 9: a line break inside a subfield marker (`~3` / `1…`) keeps the counterparty account.
#[test]
fn bug_09_break_inside_subfield_marker() {
    let body = ":61:2101040104C1,00NTRFNONREF\n:86:020~00152~20TYTUL~3010205561~3\n19000990000000140~32JAN\n";
    let file = mt940(&statement("C210104PLN0,00", body, "C210104PLN1,00")).unwrap();
    let line = &file.statements[0].lines[0];
    assert_eq!(line.counterparty_nrb.as_ref().map(|n| n.iban()).as_deref(), Some("PL81102055619000990000000140"));
    assert_eq!(line.counterparty_name.as_deref(), Some("JAN"));
}

/// 10: a description continued on a line that starts with the next subfield.
#[test]
fn bug_10_subfield_at_line_start() {
    let body = ":61:2101040104C1,00NTRFNONREF\n:86:166?00GUTSCHRIFT?109251?20SVWZ+Rechnung\n?21 xxx?30DEUTDEDB?31DE89370400440532013000\n?32Testfirma GmbH\n";
    let file = mt940(&statement("C210104EUR0,00", body, "C210104EUR1,00")).unwrap();
    let line = &file.statements[0].lines[0];
    assert_eq!(line.title.as_deref(), Some("SVWZ+Rechnung xxx"));
    assert_eq!(line.counterparty_account.as_deref(), Some("DE89370400440532013000"));
    assert_eq!(line.counterparty_name.as_deref(), Some("Testfirma GmbH"));
}

/// 11: `RC` and `RD` reversal marks.
#[test]
fn bug_11_reversal_marks() {
    let body = ":61:2101040104RC5,00NTRFNONREF\n:61:2101040104RD7,00NTRFNONREF\n";
    let file = mt940(&statement("C210104PLN10,00", body, "C210104PLN12,00")).unwrap();
    let lines = &file.statements[0].lines;
    assert_eq!((lines[0].direction, lines[0].reversal), (Direction::Debit, true), "RC: reversal of a credit is a debit");
    assert_eq!((lines[1].direction, lines[1].reversal), (Direction::Credit, true), "RD: reversal of a debit is a credit");
    assert!(lines[0].is_incoming_payment() && !lines[1].is_incoming_payment());
    assert!(file.all_balanced());
}

/// 12: `180518RD5,00NMSC1`, a fee reversal without entry date.
#[test]
fn bug_12_fee_reversal() {
    let file = mt940(&statement("C180518EUR0,00", ":61:180518RD5,00NMSC1\n", "C180518EUR5,00")).unwrap();
    let line = &file.statements[0].lines[0];
    assert_eq!((line.direction, line.reversal, line.amount), (Direction::Credit, true, amount("5.00")));
    assert_eq!((line.booking_date, line.transaction_code.as_deref(), line.customer_reference.as_deref()), (None, Some("NMSC"), Some("1")));
}

/// 13: `RDR`: reversal mark followed by the funds code.
#[test]
fn bug_13_reversal_with_funds_code() {
    let file = mt940(&statement("C181217EUR0,00", ":61:1812171217RDR800,00N068NONREF\n", "C181217EUR800,00")).unwrap();
    let line = &file.statements[0].lines[0];
    assert_eq!((line.direction, line.reversal, line.amount), (Direction::Credit, true, amount("800.00")));
    assert_eq!(line.transaction_code.as_deref(), Some("N068"));
}

/// 14: an `RC` entry lowers the balance; a parser that kept it positive would miss the closing
/// balance by twice the amount.
#[test]
fn bug_14_reversed_credit_lowers_the_balance() {
    let body = ":61:2101040104C100,00NTRFNONREF\n:61:2101050105RC30,00NTRFNONREF\n";
    let file = mt940(&statement("C210104PLN0,00", body, "C210105PLN70,00")).unwrap();
    let check = &file.statements[0].balance_check;
    assert!(check.balanced);
    assert_eq!((check.total_credits, check.total_debits), (decimal("100.00"), decimal("30.00")));
}

/// 15: a funds code `D` (or `C`) after the mark is not a mark.
#[test]
fn bug_15_funds_code_d() {
    let body = ":61:0710231023DD43,87NTRFNONREF//BR1\n:61:0710231023CD1,00NTRFNONREF//BR2\n";
    let file = mt940(&statement("C071023USD56,48", body, "C071023USD13,61")).unwrap();
    let lines = &file.statements[0].lines;
    assert_eq!((lines[0].direction, lines[0].reversal, lines[0].amount), (Direction::Debit, false, amount("43.87")));
    assert_eq!((lines[1].direction, lines[1].amount), (Direction::Credit, amount("1.00")));
    assert!(file.all_balanced());
}

/// 16: a minus after the mark has no defined meaning: refused with the line, not guessed.
#[test]
fn bug_16_minus_after_mark_is_refused() {
    let text = statement("C190815EUR0,00", ":61:1908150815D-104,12NMSCNONREF//010F214191270328\n", "D190815EUR104,12");
    let (line, tag, problem) = problem(mt940(&text));
    assert_eq!((line, tag.as_deref()), (5, Some("61")));
    assert!(matches!(problem, Mt940Problem::SignAfterMark(_)), "{problem:?}");
}

/// 17: MT942 marks `EC`/`ED` (expected entries) are refused by name.
#[test]
fn bug_17_expected_entries_are_refused() {
    let text = statement("C241012EUR0,00", ":61:2410121212EC140,NTRF50215//990\n", "C241012EUR140,00");
    assert_eq!(problem(mt940(&text)).2, Mt940Problem::ExpectedEntry("EC".to_owned()));
}

/// 18: a debit closing balance is negated once; a closing balance dated the next day is kept; `M`
/// (intermediate) balances are read.
#[test]
fn bug_18_debit_closing_next_day_and_intermediate() {
    let text =
        ":20:T\n:25:PL61109010140000071219812874\n:28C:7/1\n:60M:C210104PLN10,00\n:61:2101040104D25,00NTRFNONREF\n:62M:D210105PLN15,00\n";
    let file = mt940(text).unwrap();
    let s = &file.statements[0];
    assert_eq!((s.opening.kind, s.closing.kind), (statements::BalanceKind::Intermediate, statements::BalanceKind::Intermediate));
    assert_eq!((s.closing.amount, s.closing.date), (decimal("-15.00"), date("2021-01-05")));
    assert!(s.balance_check.balanced);
}

/// 19: several accounts in one file keep their own account and balances.
#[test]
fn bug_19_several_accounts() {
    let a = statement("C210104PLN1,00", "", "C210104PLN1,00");
    let b = statement("D210104EUR2,00", "", "D210104EUR2,00").replace(ACCOUNT, "PL85114010100000990000001111");
    let file = mt940(&format!("{a}{b}")).unwrap();
    let accounts: Vec<(&str, &str, String)> =
        file.statements.iter().map(|s| (s.account.as_str(), s.currency.as_str(), s.closing.amount.to_string())).collect();
    assert_eq!(accounts, [(ACCOUNT, "PLN", "1.00".to_owned()), ("PL85114010100000990000001111", "EUR", "-2.00".to_owned())]);
}

/// 20: statements `00000/001` and `00000/002` without `-` between them.
#[test]
fn bug_20_statements_without_separator() {
    let a = statement("C210104PLN1,00", "", "C210104PLN1,00").replace("-\n", "").replace("1/1", "00000/001");
    let b = a.replace("00000/001", "00000/002");
    let file = mt940(&format!("{a}{b}")).unwrap();
    let numbers: Vec<&str> = file.statements.iter().map(|s| s.number.as_str()).collect();
    assert_eq!(numbers, ["00000/001", "00000/002"]);
}

/// 21: an invalid statement gives an error, never an extra empty transaction.
#[test]
fn bug_21_no_phantom_transactions() {
    let file = mt940(&statement("C210104PLN1,00", "", "C210104PLN1,00")).unwrap();
    assert!(file.statements[0].lines.is_empty());
    let broken = statement("C210104PLN1,00", ":61:\n", "C210104PLN1,00");
    assert!(matches!(problem(mt940(&broken)), (5, Some(_), Mt940Problem::Malformed(_))));
}

/// 22: the entry date (no year) across the New Year.
#[test]
fn bug_22_entry_date_across_new_year() {
    let body = ":61:1412310105C1,00NTRFNONREF\n:61:2601011230C1,00NTRFNONREF\n";
    let file = mt940(&statement("C141231PLN0,00", body, "C260101PLN2,00")).unwrap();
    let lines = &file.statements[0].lines;
    assert_eq!((lines[0].value_date, lines[0].booking_date), (date("2014-12-31"), Some(date("2015-01-05"))));
    assert_eq!((lines[1].value_date, lines[1].booking_date), (date("2026-01-01"), Some(date("2025-12-30"))));
}

/// 23: the entry date takes the statement's year, not today's.
#[test]
fn bug_23_entry_year_from_the_statement() {
    let file = mt940(&statement("C140630PLN0,00", ":61:1406300701C1,00NTRFNONREF\n", "C140701PLN1,00")).unwrap();
    assert_eq!(file.statements[0].lines[0].booking_date, Some(date("2014-07-01")));
}

/// 24: ING Poland: `S020` type code and two `:86:` per `:61:`.
#[test]
fn bug_24_ing_poland() {
    let body = ":61:2101040104D100,00S020NONREF//ING123\n:86:020\n:86:020~00IBCG~20FAKTURA 1/2021~29PL81102055619000990000000140\n~32FIRMA SP. Z O.O.~34020~38PL81102055619000990000000140\n";
    let file = mt940(&statement("C210104PLN100,00", body, "C210104PLN0,00")).unwrap();
    let line = &file.statements[0].lines[0];
    assert_eq!(line.transaction_code.as_deref(), Some("S020"));
    assert_eq!(line.description.as_deref(), Some("IBCG"));
    assert_eq!(line.title.as_deref(), Some("FAKTURA 1/2021"));
    assert_eq!(line.counterparty_name.as_deref(), Some("FIRMA SP. Z O.O."));
    assert_eq!(line.counterparty_nrb.as_ref().map(|n| n.iban()).as_deref(), Some("PL81102055619000990000000140"));
    assert_eq!(line.raw_details.as_deref().map(|r| r.starts_with("020\n020~00IBCG")), Some(true));
}

/// 25: an mBank MT942 (`:34F:PLN0`) is refused as such, not misread.
#[test]
fn bug_25_mt942_is_refused() {
    let text = ":20:MT942\n:25:PL61109010140000071219812874\n:28C:1/1\n:34F:PLN0\n:13D:1701191200+0100\n:61:1701190119CN0,01NTRFNONREF\n:90C:1PLN0,01\n-\n";
    let (line, tag, problem) = problem(mt940(text));
    assert_eq!((line, tag.as_deref(), problem), (4, Some("34F"), Mt940Problem::Mt942));
}

/// 26: a statement number longer than five digits.
#[test]
fn bug_26_long_statement_number() {
    let file = mt940(&statement("C210104PLN1,00", "", "C210104PLN1,00").replace("1/1", "167619/1")).unwrap();
    assert_eq!(file.statements[0].number, "167619/1");
}

/// 27: SWIFT header blocks `{1:…}{2:…}{4:` and the `-}` trailer with `{5:…}`.
#[test]
fn bug_27_swift_blocks() {
    let inner = statement("C210104PLN1,00", "", "C210104PLN1,00").replace("-\n", "");
    let text = format!("{{1:F01BANKPLPWAXXX0000000000}}{{2:O9400000BANKPLPWAXXXN}}{{3:{{108:X}}}}{{4:\n{inner}-}}{{5:{{CHK:123}}}}\n");
    let file = mt940(&text).unwrap();
    assert_eq!(file.statements.len(), 1);
    // Fields may also start on the block-4 line itself.
    let same_line = format!("{{1:F01BANKPLPWAXXX0000000000}}{{4:{inner}-}}");
    assert_eq!(mt940(&same_line).unwrap().statements.len(), 1);
    // A continuation line that merely starts with `{` is text, not a block.
    let brace = statement("C210104PLN0,00", ":61:2101040104C1,00NTRFNONREF\n:86:WPLATA \n{RATA 1}\n", "C210104PLN1,00");
    assert_eq!(mt940(&brace).unwrap().statements[0].lines[0].title.as_deref(), Some("WPLATA {RATA 1}"));
}

/// 28: a correct file with two identical payments is not refused as its own duplicate, and an
/// overlapping re-import gives the same identities to the lines it shares.
#[test]
fn bug_28_duplicate_guard() {
    let body = ":61:2101040104C50,00NTRFNONREF//X\n:86:RATA\n:61:2101040104C50,00NTRFNONREF//X\n:86:RATA\n";
    let first = statement("C210104PLN0,00", body, "C210104PLN100,00");
    let second = statement("C210104PLN100,00", ":61:2101050105C1,00NTRFNONREF//Y\n", "C210105PLN101,00").replace(":28C:1/1", ":28C:2/1");
    let day1 = mt940(&first).unwrap();
    let both = statements::parse(
        Encoding::Iso8859_2.encode(&format!("{first}{second}").replace('\n', "\r\n")).unwrap().as_slice(),
        Format::Auto,
        None,
    )
    .unwrap();
    let ids1 = day1.statements[0].line_identities();
    assert_ne!(ids1[0], ids1[1], "two identical legitimate payments");
    assert_eq!(both.statements[0].line_identities(), ids1, "same statement in an overlapping file, other encoding and line ends");
    assert!(!ids1.contains(&both.statements[1].line_identities()[0]));
}

/// 29: spaces in the transaction type code.
#[test]
fn bug_29_spaces_in_type_code() {
    let file = mt940(&statement("C210104RUB2402,00", ":61:210104DF2402,00S   X\n", "C210104RUB0,00")).unwrap();
    let line = &file.statements[0].lines[0];
    assert_eq!((line.direction, line.amount), (Direction::Debit, amount("2402.00")));
    assert_eq!((line.transaction_code.as_deref(), line.customer_reference.as_deref()), (Some("S"), Some("X")));
}

/// 30: `:86:` subfields are decoded into fields, in every separator style.
#[test]
fn bug_30_subfields_are_decoded() {
    for sep in ['~', '<', '^'] {
        let details = format!("020{sep}00152{sep}20OPLATA ZA WODE{sep}32JAN KOWALSKI{sep}38PL81102055619000990000000140");
        let file = mt940(&one_entry("2101040104C1,00NTRFNONREF", &details, "C210104PLN0,00", "C210104PLN1,00")).unwrap();
        let line = &file.statements[0].lines[0];
        assert_eq!(line.title.as_deref(), Some("OPLATA ZA WODE"), "{sep}");
        assert_eq!(line.counterparty_name.as_deref(), Some("JAN KOWALSKI"), "{sep}");
        assert!(line.counterparty_nrb.is_some(), "{sep}");
    }
}

// ---------------------------------------------------------------------------------------------
// Broken files: an error that says where, never a partial result.

#[test]
fn empty_input() {
    for bytes in [&b""[..], b"   \r\n\n", b"\x01\x03\x1a"] {
        assert_eq!(statements::parse(bytes, Format::Auto, None).unwrap_err(), StatementError::Empty);
    }
}

#[test]
fn garbage_text() {
    assert!(matches!(problem(mt940("hello world\n")).2, Mt940Problem::TextOutsideStatement(_)));
    assert!(matches!(statements::parse(b"hello world", Format::Auto, None), Err(StatementError::UnknownFormat(_))));
    assert_eq!(problem(mt940(":25:PL61109010140000071219812874\n")).2, Mt940Problem::FieldOutsideStatement);
    assert!(matches!(
        statements::parse(b"<html><body/></html>", Format::Auto, None),
        Err(StatementError::Camt { .. } | StatementError::UnknownFormat(_))
    ));
}

#[test]
fn truncated_file() {
    let text = statement("C210104PLN0,00", ":61:2101040104C1,00NTRFNONREF\n:86:TYTUL\n", "C210104PLN1,00");
    let cut = &text[..text.find(":62F:").unwrap()];
    assert_eq!(problem(mt940(cut)), (6, None, Mt940Problem::Truncated { statement_line: 1 }));
    // Truncated and followed by another statement: the missing closing balance is named.
    let (line, _, p) = problem(mt940(&format!("{cut}{text}")));
    assert_eq!((line, p), (7, Mt940Problem::MissingField { field: ":62F:", statement_line: 1 }));
}

#[test]
fn missing_and_misplaced_fields() {
    let no_account = statement("C210104PLN0,00", "", "C210104PLN0,00").replace(&format!(":25:{ACCOUNT}\n"), "");
    assert_eq!(problem(mt940(&no_account)).2, Mt940Problem::MissingField { field: ":25:", statement_line: 1 });
    let early = ":20:T\n:25:PL61109010140000071219812874\n:28C:1\n:61:2101040104C1,00NTRFNONREF\n";
    assert_eq!(problem(mt940(early)), (4, Some("61".to_owned()), Mt940Problem::OutOfOrder(":61: before the opening balance :60F:")));
    let twice = statement("C210104PLN0,00", ":60F:C210104PLN0,00\n", "C210104PLN0,00");
    assert_eq!(problem(mt940(&twice)).2, Mt940Problem::DuplicateField);
    let after = statement("C210104PLN0,00", "", "C210104PLN0,00").replace("-\n", "SOME TEXT\n");
    assert!(matches!(problem(mt940(&after)), (6, Some(_), Mt940Problem::UnexpectedContinuation(_))));
}

#[test]
fn bad_values_name_the_line() {
    let feb30 = statement("C210104PLN0,00", ":61:2102300230C1,00NTRFNONREF\n", "C210104PLN1,00");
    assert_eq!(problem(mt940(&feb30)), (5, Some("61".to_owned()), Mt940Problem::BadDate("210230".to_owned())));
    let amount = statement("C210104PLN0,00", "", "C210104PLN1,234");
    assert_eq!(problem(mt940(&amount)), (5, Some("62F".to_owned()), Mt940Problem::BadAmount("1,234".to_owned())));
    let mark = statement("X210104PLN0,00", "", "C210104PLN0,00");
    assert_eq!(problem(mt940(&mark)).2, Mt940Problem::BadMark("X".to_owned()));
    let currency = statement("C210104PLN0,00", "", "C210104EUR0,00");
    assert_eq!(problem(mt940(&currency)).2, Mt940Problem::CurrencyMismatch { expected: "PLN".to_owned(), found: "EUR".to_owned() });
    let bad_mark = statement("C210104PLN0,00", ":61:2101040104X1,00NTRFNONREF\n", "C210104PLN0,00");
    assert!(matches!(problem(mt940(&bad_mark)).2, Mt940Problem::BadMark(_)));
}

#[test]
fn errors_print_where() {
    let text = statement("C210104PLN0,00", ":61:2102300230C1,00NTRFNONREF\n", "C210104PLN1,00");
    let message = mt940(&text).unwrap_err().to_string();
    assert_eq!(message, "MT940 line 5 (field :61:): invalid date \"210230\"");
}
