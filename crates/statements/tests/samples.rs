//! Every real-format sample in `shared/samples/bank-statements/` parses, checked field by field
//! against the files as read by hand (see the samples' SOURCES.md).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, reason = "test code: a failed unwrap is a failed test")]

mod common;

use common::{amount, date, decimal, parse_sample};
use statements::{BalanceKind, Direction, Encoding, SourceFormat, StatementLine};

fn iban(line: &StatementLine) -> Option<String> {
    line.counterparty_nrb.as_ref().map(|n| n.iban())
}

#[test]
fn mbank_collect_iph() {
    let file = parse_sample("mbank_collect_iph.sta");
    assert_eq!(file.format, SourceFormat::Mt940);
    assert_eq!(file.encoding, Encoding::Utf8, "ASCII only: valid UTF-8");
    assert_eq!(file.statements.len(), 1);
    let s = &file.statements[0];
    assert_eq!(s.reference, "ST170119CYC/1");
    assert_eq!(s.account, "PL86114010810000990002001002");
    assert!(s.account_nrb.is_some());
    assert_eq!(s.number, "1/1");
    assert_eq!(s.currency, "PLN");
    assert_eq!((s.opening.amount, s.opening.date, s.opening.kind), (decimal("0.40"), date("2017-01-19"), BalanceKind::Final));
    assert_eq!((s.closing.amount, s.closing.date), (decimal("0.43"), date("2017-01-19")));
    assert_eq!(s.available.as_ref().map(|b| b.amount), Some(decimal("0.43")));
    assert!(s.balance_check.balanced);
    assert_eq!(s.lines.len(), 3);

    let expected = [
        ("MB170119012058", "XX000000000001", "179171073864111.010001"),
        ("MB170119012085", "XX000000000002", "179171073864192.000001"),
        ("MB170119012121", "XX000000000003", "179171073864291.000001"),
    ];
    for (line, (bank_ref, iph, tnr)) in s.lines.iter().zip(expected) {
        assert_eq!(line.value_date, date("2017-01-19"));
        assert_eq!(line.booking_date, Some(date("2017-01-19")));
        assert_eq!((line.direction, line.reversal), (Direction::Credit, false));
        assert_eq!(line.amount, amount("0.01"));
        assert_eq!(line.transaction_code.as_deref(), Some("NTRF"));
        assert_eq!(line.customer_reference, None, "NONREF");
        assert_eq!(line.bank_reference.as_deref(), Some(bank_ref));
        assert_eq!(line.details_code.as_deref(), Some("911"));
        assert_eq!(line.description.as_deref(), Some("TRANSAKCJA COLLECT"));
        assert_eq!(line.iph_id.as_deref(), Some(iph));
        assert_eq!(line.bank_transaction_id.as_deref(), Some(tnr));
        assert_eq!(line.counterparty_account.as_deref(), Some("16114010810000990002001001"));
        assert_eq!(iban(line).as_deref(), Some("PL16114010810000990002001001"));
        assert_eq!(line.counterparty_name.as_deref(), Some("ADAM TESTOWY  UL. TESTOWA 1 M 2 00-001 WARSZAWA"));
        assert_eq!(line.title.as_deref(), Some("PRZELEW SRODKOW"));
        assert_eq!(line.supplementary_details.as_deref(), Some("911-TRANSAKCJA IPH"));
        assert_eq!(line.virtual_account, None, "mBank Collect identifies the virtual account by IPH id");
        assert!(line.raw_details.as_deref().is_some_and(|raw| raw.contains("\n16114010810000990002001001; OD:")));
    }
    assert_eq!(s.lines[2].source_line, 18, "line of the third :61: (SOH is line 1)");
}

/// Tokens wrapped onto the next line (`TNR: ` / `1793…`); the excerpt's balances do not add up.
#[test]
fn mbank_wrapped_tnr_is_read_and_reported_unbalanced() {
    let file = parse_sample("mbank_collect_iph_wrapped_tnr.sta");
    let s = &file.statements[0];
    assert_eq!(s.number, "3/1");
    assert_eq!(s.lines.len(), 2);
    let first = &s.lines[0];
    assert_eq!(first.amount, amount("45.00"));
    assert_eq!(first.bank_reference.as_deref(), Some("MB170201323000"));
    assert_eq!(first.iph_id.as_deref(), Some("XX000002052409"));
    assert_eq!(first.bank_transaction_id.as_deref(), Some("179301073837502.000001"));
    assert_eq!(iban(first).as_deref(), Some("PL79102055610000990011112222"));
    assert_eq!(first.counterparty_name.as_deref(), Some("AAAAAA AAAAAA  UL.AAAAAAAAAAA 27 M.32 31-000 AAAAAA"));
    assert_eq!(first.title.as_deref(), Some("_FAKTURA VAT NR FVD-0000/02/2017  A AAAAA AAAAAA UL. AAAAAAAAAAA 220/22"));
    let second = &s.lines[1];
    assert_eq!(second.amount, amount("44.00"));
    assert_eq!(second.bank_reference.as_deref(), Some("MB170201327968"));
    assert_eq!(iban(second).as_deref(), Some("PL82116022020000990033334444"));
    assert_eq!(second.counterparty_name.as_deref(), Some("AAAAA AAAAAAAAA  UL.AAAAAAA AAAAAAAAAAAAA 22 31-000 AAAAAA"));
    assert_eq!(second.title.as_deref(), Some("AAAAAA AA AAAAAAAA"));
    assert_eq!(second.bank_transaction_id.as_deref(), Some("179301073844398.000001"));

    // 0.46 + 45.00 + 44.00 = 89.46, the file says 860.17.
    let check = &s.balance_check;
    assert!(!check.balanced);
    assert_eq!(check.total_credits, decimal("89.00"));
    assert_eq!(check.computed_closing, decimal("89.46"));
    assert_eq!(check.difference, decimal("770.71"));
    assert!(!file.all_balanced());
}

#[test]
fn mbank_companynet_multi_account() {
    let file = parse_sample("mbank_companynet_multi_account.sta");
    assert_eq!(file.encoding, Encoding::Iso8859_2, "detected");
    assert!(file.encoding_detected);
    assert!(file.warnings.is_empty(), "{:?}", file.warnings);
    let summary: Vec<(&str, &str, usize, String, String)> = file
        .statements
        .iter()
        .map(|s| (s.account.as_str(), s.currency.as_str(), s.lines.len(), s.opening.amount.to_string(), s.closing.amount.to_string()))
        .collect();
    let expected = [
        ("PL85114010100000990000001111", "PLN", 2, "100000026.49", "100000074.77"),
        ("PL13114010100000990000004444", "EUR", 7, "995274499.72", "995273634.59"),
        ("PL62114010100000990000006666", "EUR", 0, "12.94", "12.94"),
        ("PL38114010100000990000007777", "USD", 1, "56.48", "12.61"),
        ("PL87114010100000990000009999", "PLN", 1, "277.87", "283.86"),
        ("PL63114010100000990000011110", "EUR", 7, "-959.45", "-492.89"),
        ("PL15114010100000990000013332", "USD", 0, "144.46", "144.46"),
    ];
    assert_eq!(summary.len(), expected.len());
    for (got, want) in summary.iter().zip(expected) {
        assert_eq!((got.0, got.1, got.2, got.3.as_str(), got.4.as_str()), want);
    }
    assert!(file.all_balanced());
    assert!(file.statements.iter().all(|s| s.number == "11/1" && s.reference == "ST071023CYC/1"));

    // PLN statement: Polish letters from ISO-8859-2.
    let pln = &file.statements[0].lines[0];
    assert_eq!((pln.direction, pln.amount), (Direction::Credit, amount("24.14")));
    assert_eq!(pln.bank_reference.as_deref(), Some("FT07296113000019"));
    assert_eq!(pln.description.as_deref(), Some("PRZELEW WEWNĘTRZNY"));
    assert_eq!(iban(pln).as_deref(), Some("PL40180010150000990000002222"));
    assert_eq!(pln.counterparty_name.as_deref(), Some("FIRMA 9 SP. Z O.O."));
    assert_eq!(pln.title.as_deref(), Some("ZAPŁATA ZA FAKTURĘ NR  9/2007"));
    assert_eq!(pln.bank_transaction_id.as_deref(), Some("145410009246772.000001"));

    // EUR: `DR` = debit with funds code R (euro), never a reversal (payments.md §5.5).
    let eur = &file.statements[1].lines;
    assert_eq!((eur[0].direction, eur[0].reversal, eur[0].amount), (Direction::Debit, false, amount("216.45")));
    assert_eq!(eur[0].customer_reference.as_deref(), Some("R159753"));
    assert_eq!(eur[0].bank_reference.as_deref(), Some("BR07296102000004"));
    assert_eq!(eur[0].counterparty_account.as_deref(), Some("NO9386011117947"));
    assert_eq!(eur[0].counterparty_nrb, None, "a foreign account is kept as written, not as an NRB");
    assert_eq!(eur[0].counterparty_name.as_deref(), Some("NORDIC EXAMPLE ASSOCIATION EKSEMPELVEIEN 21 0150 OSLO"));
    assert_eq!(eur[0].title.as_deref(), Some("FVAT 115/259/2/2007"));
    assert_eq!(eur[0].description.as_deref(), Some("PŁATNOŚĆ REGULOWANA"));
    assert_eq!((eur[1].direction, eur[1].amount), (Direction::Credit, amount("15.21")), "`CR` = credit in EUR");
    assert_eq!(eur[1].title.as_deref(), Some("DRUGI ZAKUP WALUTY EURO"));
    assert_eq!(eur[2].title.as_deref(), Some("ZAKUP WALUTY"), "WALUTA/KWOTA/KURS are keys of their own");
    assert_eq!(eur[3].counterparty_account.as_deref(), Some("DE89370400440532013000"));
    assert_eq!(eur[6].transaction_code.as_deref(), Some("NCHG"));
    assert_eq!(eur[6].title, None);
    assert_eq!(eur[6].description.as_deref(), Some("OPŁATY GRUPOWE"));

    // USD: `DD` = debit in USD (funds code D).
    let usd = &file.statements[3].lines[0];
    assert_eq!((usd.direction, usd.amount), (Direction::Debit, amount("43.87")));
    assert_eq!(usd.counterparty_name.as_deref(), Some("WYTWÓRNIA OKIEN FIKCJA ŻÓŁTA 26 00-148 TESTÓW"));
    assert_eq!(iban(usd).as_deref(), Some("PL14114010100000990000008888"));
    assert_eq!(usd.title.as_deref(), Some("PRZEKAZANIE ŚRODKÓW"));

    // Debit balances and two-digit operation codes.
    let debit = &file.statements[5];
    assert!(debit.opening.amount.is_sign_negative() && debit.closing.amount.is_sign_negative());
    let commission = &debit.lines[3];
    assert_eq!(commission.details_code.as_deref(), Some("30"));
    assert_eq!(commission.transaction_code.as_deref(), Some("NCOM"));
    assert_eq!(commission.title.as_deref(), Some("ZWROT ZALICZKI NA POCZET DELEGACJI"));
    let cash = &debit.lines[4];
    assert_eq!((cash.direction, cash.amount), (Direction::Credit, amount("500.00")));
    assert_eq!(cash.counterparty_name.as_deref(), Some("ADAM TESTOWY"));
    assert_eq!(cash.counterparty_account, None);
    // Same bank reference, different lines: identities still differ.
    assert_eq!(commission.bank_reference, cash.bank_reference);
    assert_ne!(debit.line_identity(3), debit.line_identity(4));
}

#[test]
fn pko_bp_ipko_biznes() {
    let file = parse_sample("pkobp_ipko_biznes_spec_example.sta");
    assert_eq!(file.encoding, Encoding::Iso8859_2, "0xFF fillers and ISO-8859-2 letters");
    let s = &file.statements[0];
    assert_eq!(s.reference, "MT940");
    assert_eq!(s.account, "PL61102055611000990102003344", "leading `/` of :25: dropped");
    assert_eq!(s.number, "1");
    assert_eq!((s.opening.amount, s.opening.date), (decimal("-2671.79"), date("2021-05-26")));
    assert_eq!((s.closing.amount, s.closing.date), (decimal("-3336.72"), date("2021-05-31")));
    assert_eq!(s.available.as_ref().map(|b| b.amount), Some(decimal("91662.28")));
    assert!(s.balance_check.balanced);
    assert_eq!(s.balance_check.total_debits, decimal("664.93"));

    let l = &s.lines;
    assert_eq!(l.len(), 4);
    assert!(
        l.iter().all(|x| x.direction == Direction::Debit && x.value_date == date("2021-05-26") && x.details_code.as_deref() == Some("020"))
    );
    assert_eq!(l[0].amount, amount("25.00"));
    assert_eq!(l[0].transaction_code.as_deref(), Some("N152"));
    assert_eq!(l[0].description.as_deref(), Some("152"));
    assert_eq!(l[0].bank_reference.as_deref(), Some("6460500500000513"));
    assert_eq!(l[0].supplementary_details.as_deref(), Some("152 0"));
    assert_eq!(l[0].title.as_deref(), Some("PRZELEW SRODKÓW"), "0xD3 is Ó in ISO-8859-2; ~21–~25 are 0xFF fillers");
    assert_eq!(l[0].counterparty_name.as_deref(), Some("FSDFSFDSF"));
    assert_eq!(l[0].counterparty_account.as_deref(), Some("PL81102055619000990000000140"));
    assert_eq!(iban(&l[0]).as_deref(), Some("PL81102055619000990000000140"), "= ~30 10205561 + ~31 digits 11–26");

    assert_eq!(l[1].amount, amount("434.00"));
    assert_eq!(l[1].bank_reference.as_deref(), Some("6460502100001611"));
    assert_eq!(l[1].title.as_deref(), Some("P 98210100001 0      PIT-23"), "~20 + ~21 joined without a separator");
    assert_eq!(l[1].counterparty_name.as_deref(), Some("DRUGI MAZOWIECKI URZĄD SKARBOWY WARSZAWA"), "~32 + ~33 split mid-word");
    assert_eq!(iban(&l[1]).as_deref(), Some("PL02101000712223990000000000"));

    assert_eq!(l[2].amount, amount("205.18"));
    assert_eq!(l[2].counterparty_name.as_deref(), Some("ANNA PRZYKŁADOWA"));
    assert_eq!(l[2].counterparty_account.as_deref(), Some("FR1420041010050500013M02606"));
    assert_eq!(l[2].counterparty_nrb, None);

    assert_eq!(l[3].amount, amount("0.75"));
    assert_eq!(l[3].bank_reference.as_deref(), Some("6463600500000060"));
    assert_eq!(l[3].title.as_deref(), Some("KOSZTY SR21IP00012613DS"));
    assert!(l.iter().all(|x| x.virtual_account.is_none() && x.bank_transaction_id.is_none()));
}

#[test]
fn bph_multicash_cp852() {
    let file = parse_sample("bph_multicash_mt940.sta");
    assert_eq!(file.encoding, Encoding::Cp852, "detected from the Polish letters");
    let s = &file.statements[0];
    assert_eq!(s.reference, "070126");
    assert_eq!(s.account, "PL17106000760000990000055801");
    assert_eq!(s.number, "00009/01");
    assert_eq!(s.opening.amount, decimal("45810300.95"));
    assert_eq!(s.closing.amount, decimal("45681482.83"));
    assert!(s.balance_check.balanced);

    let l = &s.lines;
    assert_eq!(l.len(), 4);
    assert_eq!((l[0].direction, l[0].amount), (Direction::Debit, amount("5912.00")));
    assert_eq!(l[0].customer_reference.as_deref(), Some("200701260001"));
    assert_eq!(l[0].bank_reference.as_deref(), Some("5627001791917001"));
    assert_eq!(l[0].supplementary_details.as_deref(), Some("Przelew krajowy MultiCash (-)"));
    assert_eq!(l[0].description.as_deref(), Some("Przelew MultiCash"));
    assert_eq!(
        l[0].title.as_deref(),
        Some("ZAPLATA ZA OPAKOWANIA DO KINESKOPÓW 17 I 21 CALI Z NADRUKIEM LOGO FIRMY FVT 2368/2989284/2006")
    );
    assert_eq!(l[0].counterparty_account.as_deref(), Some("38109011020000990999874157"), "<38, no PL");
    assert_eq!(iban(&l[0]).as_deref(), Some("PL38109011020000990999874157"));
    assert_eq!(l[0].counterparty_name.as_deref(), Some("OPAKOWANIA SP. Z O.O UL. SADOWSKA 24 00-950 TESTÓW"));

    // `<24` before `<23`, and `<24` broken across lines: read by number, joined without a separator.
    assert_eq!(l[1].amount, amount("120000.00"));
    assert_eq!(
        l[1].title.as_deref(),
        Some("FVT 25/2006 ZAPŁATA ZA KATODY DO LAMP KIENSKOPOWYCH SZT. 110 ZA UKLADY ODCHYLAJACE SZT. 11000 FVT 26/2006 ZAPLATA")
    );
    assert_eq!(l[1].counterparty_name.as_deref(), Some("ELEKTRONIKA SP. Z. O.O. PODZESPOŁY ELEKTRONICZNE KALIŃ"));
    assert_eq!(iban(&l[1]).as_deref(), Some("PL10106000760000990000095503"));

    assert_eq!(l[2].amount, amount("1356.12"));
    assert_eq!(l[2].title.as_deref(), Some("ZAPŁATA ZA PALIWO GRUDZIEŃ 06 FAKTURA 6547/2006"));
    assert_eq!(l[2].counterparty_name.as_deref(), Some("STACJA PALIW PRZYKŁADOWA ZIELONA 8 00-020 TESTOWICE"));
    assert_eq!(iban(&l[2]).as_deref(), Some("PL53106000760000990000095505"));

    assert_eq!(l[3].amount, amount("1550.00"));
    assert_eq!(l[3].bank_reference.as_deref(), Some("6270017919111001"));
    assert_eq!(
        l[3].title.as_deref(),
        Some("ZAPŁATA ZA WYSYLKĘ TOWARU DO NL EXAMPLE, EINDHOVEN HOLLAND GRUDZIEŃ 2006 INV. 6/2006FVT 2323/0394/2006")
    );
    assert_eq!(l[3].counterparty_name.as_deref(), Some("SPEDYTOR SP. Z O.O. KLONOWSKA 6 00-787 WARSZAWA"));
}

#[test]
fn camt053_v2_two_statements() {
    let file = parse_sample("camt053_v2_multi_statement.xml");
    assert_eq!(file.format, SourceFormat::Camt053);
    assert_eq!(file.schema.as_deref(), Some("urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"));
    assert_eq!(file.statements.len(), 2);

    let first = &file.statements[0];
    assert_eq!(first.reference, "253EURNL13TEST0123456789");
    assert_eq!(first.number, "12312", "LglSeqNb");
    assert_eq!(first.account, "NL13TEST0123456789");
    assert_eq!(first.account_nrb, None);
    assert_eq!(first.currency, "EUR");
    assert_eq!((first.opening.amount, first.opening.date), (decimal("18.15"), date("2014-12-30")));
    assert_eq!((first.closing.amount, first.closing.date), (decimal("27.00"), date("2014-12-31")));
    assert!(first.balance_check.balanced);
    let credit = &first.lines[0];
    assert_eq!((credit.direction, credit.reversal, credit.amount), (Direction::Credit, false, amount("8.85")));
    assert_eq!(credit.booking_date, Some(date("2014-12-31")));
    assert_eq!(credit.value_date, date("2015-01-02"));
    assert_eq!(credit.customer_reference.as_deref(), Some("000000001"), "EndToEndId");
    assert_eq!(credit.bank_reference, None, "no AcctSvcrRef in the sample");
    assert_eq!(credit.transaction_code.as_deref(), Some("544"));
    assert_eq!(credit.title.as_deref(), Some("Transaction Description 1"));
    // A credit's counterparty is the debtor, absent here; the creditor account (NL…) is not an NRB,
    // so no virtual account either.
    assert_eq!((credit.counterparty_name.as_deref(), credit.counterparty_account.as_deref()), (None, None));
    assert_eq!(credit.virtual_account, None);

    let second = &file.statements[1];
    assert_eq!(second.number, "254EURNL13TEST0123456789", "no sequence number: the Id");
    assert_eq!(second.information.as_deref(), Some("Additional Information"));
    assert_eq!((second.opening.amount, second.closing.amount), (decimal("27.00"), decimal("20.00")));
    assert!(second.balance_check.balanced);
    let debit = &second.lines[0];
    assert_eq!((debit.direction, debit.amount), (Direction::Debit, amount("7.00")));
    assert_eq!(debit.counterparty_name.as_deref(), Some("Company Name 2"), "a debit's counterparty is the creditor");
    assert_eq!(debit.counterparty_account.as_deref(), Some("NL11EXMP9876543210"));
    assert_eq!(debit.customer_reference.as_deref(), Some("000000002"));
    assert_eq!(debit.title.as_deref(), Some("Transaction Description 2"));
    assert!(file.warnings.is_empty(), "the second statement opens with the first one's closing balance: {:?}", file.warnings);
}

/// The model travels as JSON for the API and the clerk's queue: amounts and balances as strings,
/// dates as `YYYY-MM-DD`, accounts as digits.
#[test]
fn parsed_file_serializes_to_json() {
    let file = parse_sample("pkobp_ipko_biznes_spec_example.sta");
    let json = serde_json::to_value(&file).unwrap();
    let statement = &json["statements"][0];
    assert_eq!(statement["opening"]["amount"], "-2671.79");
    assert_eq!(statement["balance_check"]["balanced"], true);
    let line = &statement["lines"][0];
    assert_eq!(line["amount"], "25.00");
    assert_eq!(line["value_date"], "2021-05-26");
    assert_eq!(line["direction"], "debit");
    assert_eq!(line["counterparty_nrb"], "81102055619000990000000140");
    assert_eq!(json["encoding"], "iso8859-2");
    let back: statements::ParsedFile = serde_json::from_value(json).unwrap();
    assert_eq!(back, file);
}
