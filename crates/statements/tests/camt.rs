//! camt.053 beyond the sample: a later version (001.08), virtual accounts, reversals, batch entries,
//! and the errors of a broken message.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, reason = "test code: a failed unwrap is a failed test")]

mod common;

use common::{amount, date, decimal};
use domain::nrb::{IdentifierCheck, Nrb, VirtualAccountLayout};
use statements::{Direction, Format, StatementError};

const OWN: &str = "PL61109010140000071219812874";

fn message(version: &str, entries: &str, closing: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.{version}">
  <BkToCstmrStmt>
    <GrpHdr><MsgId>M1</MsgId><CreDtTm>2026-01-02T08:00:00+01:00</CreDtTm></GrpHdr>
    <Stmt>
      <Id>S1</Id><ElctrncSeqNb>7</ElctrncSeqNb>
      <Acct><Id><IBAN>{OWN}</IBAN></Id><Ccy>PLN</Ccy></Acct>
      <Bal><Tp><CdOrPrtry><Cd>PRCD</Cd></CdOrPrtry></Tp><Amt Ccy="PLN">100.00</Amt><CdtDbtInd>DBIT</CdtDbtInd><Dt><Dt>2025-12-31</Dt></Dt></Bal>
      <Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy="PLN">{closing}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><DtTm>2026-01-02T23:59:59</DtTm></Dt></Bal>
{entries}
    </Stmt>
  </BkToCstmrStmt>
</Document>
"#
    )
}

fn parse(xml: &str) -> Result<statements::ParsedFile, StatementError> {
    statements::parse(xml.as_bytes(), Format::Auto, None)
}

const VIRTUAL: &str = "PL39109010141234567800004711";
const PAYER: &str = "PL81102055619000990000000140";

fn credit_v08() -> String {
    format!(
        r#"      <Ntry>
        <Amt Ccy="PLN">250.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts>
        <BookgDt><Dt>2026-01-02</Dt></BookgDt><ValDt><Dt>2026-01-02</Dt></ValDt>
        <AcctSvcrRef>BANK-1</AcctSvcrRef>
        <BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RCDT</Cd><SubFmlyCd>DMCT</SubFmlyCd></Fmly></Domn></BkTxCd>
        <NtryDtls><TxDtls>
          <Refs><EndToEndId>E2E-1</EndToEndId></Refs>
          <RltdPties>
            <Dbtr><Pty><Nm>Jan Kowalski</Nm></Pty></Dbtr>
            <DbtrAcct><Id><IBAN>{PAYER}</IBAN></Id></DbtrAcct>
            <Cdtr><Pty><Nm>Gmina Przykładowo</Nm></Pty></Cdtr>
            <CdtrAcct><Id><IBAN>{VIRTUAL}</IBAN></Id></CdtrAcct>
          </RltdPties>
          <RmtInf><Ustrd>Podatek od nieruchomości</Ustrd><Ustrd>rata 1/2026</Ustrd></RmtInf>
        </TxDtls></NtryDtls>
        <AddtlNtryInf>PRZELEW PRZYCHODZĄCY</AddtlNtryInf>
      </Ntry>"#
    )
}

#[test]
fn version_08_credit_to_a_virtual_account() {
    let file = parse(&message("08", &credit_v08(), "150.00")).unwrap();
    assert_eq!(file.schema.as_deref(), Some("urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"));
    let s = &file.statements[0];
    assert_eq!(s.number, "7", "ElctrncSeqNb when there is no LglSeqNb");
    assert_eq!(s.account, OWN);
    assert_eq!((s.opening.amount, s.opening.date), (decimal("-100.00"), date("2025-12-31")), "PRCD opens, DBIT is negative");
    assert_eq!((s.closing.amount, s.closing.date), (decimal("150.00"), date("2026-01-02")), "DtTm gives the date");
    assert!(s.balance_check.balanced);
    let line = &s.lines[0];
    assert_eq!((line.direction, line.reversal, line.amount), (Direction::Credit, false, amount("250.00")));
    assert_eq!(line.bank_reference.as_deref(), Some("BANK-1"));
    assert_eq!(line.customer_reference.as_deref(), Some("E2E-1"));
    assert_eq!(line.transaction_code.as_deref(), Some("PMNT/RCDT/DMCT"));
    assert_eq!(line.counterparty_name.as_deref(), Some("Jan Kowalski"), "Dbtr/Pty/Nm");
    assert_eq!(line.counterparty_nrb.as_ref().map(Nrb::iban).as_deref(), Some(PAYER));
    assert_eq!(line.virtual_account.as_ref().map(Nrb::iban).as_deref(), Some(VIRTUAL), "CdtrAcct of a credit");
    assert_eq!(line.title.as_deref(), Some("Podatek od nieruchomości rata 1/2026"));
    assert_eq!(line.raw_details.as_deref(), Some("PRZELEW PRZYCHODZĄCY"));

    let layout = VirtualAccountLayout::new("1090101412345678", IdentifierCheck::None).unwrap();
    let found = line.virtual_account_in(&[layout]).unwrap();
    assert_eq!((found.account.iban().as_str(), found.layout, found.identifier), (VIRTUAL, 0, 4711));
}

#[test]
fn reversal_and_debit_parties() {
    let entries = format!(
        r#"      <Ntry><Amt Ccy="PLN">30.00</Amt><CdtDbtInd>DBIT</CdtDbtInd><RvslInd>true</RvslInd><Sts>BOOK</Sts>
        <BookgDt><Dt>2026-01-02</Dt></BookgDt>
        <NtryDtls><TxDtls><RltdPties><Dbtr><Nm>Payer</Nm></Dbtr><DbtrAcct><Id><IBAN>{PAYER}</IBAN></Id></DbtrAcct>
          <CdtrAcct><Id><IBAN>{VIRTUAL}</IBAN></Id></CdtrAcct></RltdPties></TxDtls></NtryDtls></Ntry>
      <Ntry><Amt Ccy="PLN">20.00</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>2026-01-02</Dt></BookgDt>
        <NtryDtls><TxDtls><Refs><EndToEndId>NOTPROVIDED</EndToEndId></Refs><RltdPties><Cdtr><Nm>Supplier</Nm></Cdtr>
          <CdtrAcct><Id><Othr><Id>123-456</Id></Othr></Id></CdtrAcct></RltdPties><RmtInf><Strd><CdtrRefInf><Ref>RF18539007547034</Ref></CdtrRefInf></Strd></RmtInf></TxDtls></NtryDtls></Ntry>"#
    );
    let file = parse(
        &message("02", &entries, "-150.00")
            .replace("<Amt Ccy=\"PLN\">-150.00</Amt><CdtDbtInd>CRDT", "<Amt Ccy=\"PLN\">150.00</Amt><CdtDbtInd>DBIT"),
    )
    .unwrap();
    let s = &file.statements[0];
    assert!(s.balance_check.balanced, "{:?}", s.balance_check);
    let reversal = &s.lines[0];
    assert_eq!((reversal.direction, reversal.reversal), (Direction::Debit, true));
    assert_eq!(reversal.value_date, date("2026-01-02"), "no ValDt: the booking date");
    assert_eq!(reversal.counterparty_name.as_deref(), Some("Payer"), "a reversed credit still names the payer");
    assert_eq!(reversal.virtual_account.as_ref().map(Nrb::iban).as_deref(), Some(VIRTUAL));
    let debit = &s.lines[1];
    assert_eq!(debit.counterparty_name.as_deref(), Some("Supplier"));
    assert_eq!(debit.counterparty_account.as_deref(), Some("123-456"));
    assert_eq!(debit.customer_reference, None, "NOTPROVIDED");
    assert_eq!(debit.title.as_deref(), Some("RF18539007547034"), "structured creditor reference when there is no Ustrd");
    assert_eq!(debit.virtual_account, None);
}

#[test]
fn batch_entry_is_split_per_transaction() {
    let tx = |amount: &str, name: &str| {
        format!(
            r#"<TxDtls><AmtDtls><TxAmt><Amt Ccy="PLN">{amount}</Amt></TxAmt></AmtDtls><RltdPties><Dbtr><Nm>{name}</Nm></Dbtr></RltdPties></TxDtls>"#
        )
    };
    let entry = format!(
        r#"<Ntry><Amt Ccy="PLN">250.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>2026-01-02</Dt></BookgDt><AcctSvcrRef>B</AcctSvcrRef>
        <NtryDtls>{}{}</NtryDtls></Ntry>"#,
        tx("200.00", "A"),
        tx("50.00", "B")
    );
    let file = parse(&message("02", &entry, "150.00")).unwrap();
    let s = &file.statements[0];
    assert!(s.balance_check.balanced);
    let got: Vec<(String, Option<&str>)> = s.lines.iter().map(|l| (l.amount.to_string(), l.counterparty_name.as_deref())).collect();
    assert_eq!(got, [("200.00".to_owned(), Some("A")), ("50.00".to_owned(), Some("B"))]);
    assert_ne!(s.line_identity(0), s.line_identity(1));

    let wrong = entry.replace(">50.00<", ">40.00<");
    let error = parse(&message("02", &wrong, "150.00")).unwrap_err();
    assert!(matches!(error, StatementError::Camt { ref problem, .. } if problem.contains("add up")), "{error}");
}

#[test]
fn broken_messages_name_the_element() {
    let cases: [(String, &str); 6] = [
        (message("02", "", "150.00").replace("<Cd>CLBD</Cd>", "<Cd>XXXX</Cd>"), "no closing balance"),
        (message("08", &credit_v08().replace("<Cd>BOOK</Cd>", "<Cd>PDNG</Cd>"), "150.00"), "PDNG"),
        (message("08", &credit_v08().replace("250.00", "250.001"), "150.00"), "two decimal places"),
        (
            message("08", &credit_v08().replace("<CdtDbtInd>CRDT</CdtDbtInd><Sts>", "<CdtDbtInd>CR</CdtDbtInd><Sts>"), "150.00"),
            "CRDT or DBIT",
        ),
        (
            message("08", &credit_v08().replace("<ValDt><Dt>2026-01-02</Dt></ValDt>", "<ValDt><Dt>2026-02-30</Dt></ValDt>"), "150.00"),
            "invalid date",
        ),
        (message("08", &credit_v08().replace("Ccy=\"PLN\">250", "Ccy=\"EUR\">250"), "150.00"), "in a PLN statement"),
    ];
    for (xml, expected) in cases {
        match parse(&xml) {
            Err(StatementError::Camt { line, path, problem }) => {
                assert!(problem.contains(expected), "{path}: {problem}");
                assert!(line > 1 && path.starts_with("Stmt[1]"), "{line} {path}");
            }
            other => panic!("{expected}: {other:?}"),
        }
    }
}

#[test]
fn not_a_statement() {
    let camt052 = message("02", "", "150.00").replace("camt.053.001.02", "camt.052.001.02");
    assert!(matches!(parse(&camt052), Err(StatementError::UnknownFormat(m)) if m.contains("camt.052")));
    assert!(matches!(parse("<Document><Stmt/>"), Err(StatementError::Xml(_))));
    let dtd = "<?xml version=\"1.0\"?><!DOCTYPE d [<!ENTITY a \"aaaa\">]><Document/>";
    assert!(matches!(parse(dtd), Err(StatementError::Xml(_))), "DTDs are refused");
    let empty = r#"<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt/></Document>"#;
    assert!(matches!(parse(empty), Err(StatementError::Camt { .. })));
}

#[test]
fn declared_single_byte_encoding_is_honoured() {
    let xml = message("08", &credit_v08(), "150.00").replace("encoding=\"UTF-8\"", "encoding=\"ISO-8859-2\"");
    let bytes = statements::Encoding::Iso8859_2.encode(&xml).unwrap();
    let file = statements::parse(&bytes, Format::Auto, None).unwrap();
    assert_eq!(file.encoding, statements::Encoding::Iso8859_2);
    assert_eq!(file.statements[0].lines[0].title.as_deref(), Some("Podatek od nieruchomości rata 1/2026"));
}
