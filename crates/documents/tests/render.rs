//! Black-box tests of the rendered PDFs: structure and determinism in pure Rust always; text
//! extraction (`pdftotext`) and QR decoding (`pdftoppm` + rqrr) when poppler-utils is installed
//! (`apt-get install -y poppler-utils`); those tests say so on stderr and pass when it is not.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, reason = "tests fail by panicking")]

mod fixtures;

use std::path::PathBuf;
use std::process::Command;

use documents::{DocumentError, render_decision, render_receipt};
use domain::Amount;
use domain::obligation::ObligationKind;
use fixtures::amount;

// ---------------------------------------------------------------------------------------------
// Helpers

/// Checks the frame of a PDF file and returns its page count, read from the page tree
/// (`/Type /Pages … /Count n`) and cross-checked against the number of page objects.
fn pdf_pages(bytes: &[u8]) -> usize {
    assert!(bytes.starts_with(b"%PDF-1."), "no PDF header");
    let end = bytes.iter().rposition(|b| !b.is_ascii_whitespace()).map_or(0, |i| i + 1);
    assert!(bytes[..end].ends_with(b"%%EOF"), "no %%EOF at the end");
    let text = String::from_utf8_lossy(bytes);
    let normalized = text.replace("/Type /", "/Type/");
    let page_objects = normalized.match_indices("/Type/Page").filter(|(index, _)| !normalized[index + 10..].starts_with('s')).count();
    let pages_dict = normalized.find("/Type/Pages").expect("a page tree");
    // The dictionary holding /Type/Pages also holds /Count; look around it.
    let dict_start = normalized[..pages_dict].rfind("<<").unwrap();
    let dict_end = pages_dict + normalized[pages_dict..].find(">>").unwrap();
    let dict = &normalized[dict_start..dict_end];
    let count: usize = dict
        .split("/Count")
        .nth(1)
        .map(|rest| rest.trim_start().chars().take_while(char::is_ascii_digit).collect::<String>())
        .and_then(|digits| digits.parse().ok())
        .expect("/Count in the page tree");
    assert_eq!(count, page_objects, "page tree count vs page objects");
    count
}

fn poppler(tool: &str) -> bool {
    let available = Command::new(tool).arg("-v").output().is_ok();
    if !available {
        eprintln!("{tool} not installed (apt-get install -y poppler-utils): skipping this check");
    }
    available
}

fn temp_pdf(name: &str, bytes: &[u8]) -> PathBuf {
    let path = std::env::temp_dir().join(format!("documents-test-{}-{name}.pdf", std::process::id()));
    std::fs::write(&path, bytes).unwrap();
    path
}

/// The text of some pages (1-based, inclusive), no-break spaces turned into plain ones.
fn pdftotext(name: &str, bytes: &[u8], pages: Option<(usize, usize)>) -> String {
    let path = temp_pdf(name, bytes);
    let mut command = Command::new("pdftotext");
    command.args(["-enc", "UTF-8"]);
    if let Some((first, last)) = pages {
        command.args(["-f", &first.to_string(), "-l", &last.to_string()]);
    }
    let output = command.arg(&path).arg("-").output().unwrap();
    std::fs::remove_file(&path).ok();
    assert!(output.status.success(), "pdftotext failed: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).unwrap().replace('\u{a0}', " ")
}

/// Words of the text joined by single spaces: line breaks from wrapping do not matter.
fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

// ---------------------------------------------------------------------------------------------
// Pure Rust: always run

#[test]
fn decision_is_deterministic() {
    let decision = fixtures::decision();
    let first = render_decision(&decision).unwrap();
    let second = render_decision(&decision).unwrap();
    assert!(first == second, "two renderings differ");
    assert_eq!(documents::sha256_hex(&first), documents::sha256_hex(&second));
}

#[test]
fn receipt_is_deterministic() {
    let receipt = fixtures::receipt();
    assert!(render_receipt(&receipt).unwrap() == render_receipt(&receipt).unwrap());
}

#[test]
fn different_input_gives_different_bytes() {
    let mut other = fixtures::decision();
    other.number = "FN.3120.416.2026".to_owned();
    assert!(render_decision(&fixtures::decision()).unwrap() != render_decision(&other).unwrap());
}

#[test]
fn dates_in_metadata_come_from_the_document() {
    let bytes = render_decision(&fixtures::decision()).unwrap();
    let text = String::from_utf8_lossy(&bytes);
    assert!(text.contains("/CreationDate(D:20260216"), "creation date is the issue date");
    let receipt = render_receipt(&fixtures::receipt()).unwrap();
    assert!(String::from_utf8_lossy(&receipt).contains("/CreationDate(D:20260521"));
}

#[test]
fn typical_decision_is_small_and_well_formed() {
    let bytes = render_decision(&fixtures::decision()).unwrap();
    let pages = pdf_pages(&bytes);
    assert!((1..=2).contains(&pages), "{pages} pages");
    assert!(bytes.len() < 60 * 1024, "{} bytes: font subsetting should keep it under 60 KB", bytes.len());
}

#[test]
fn receipt_is_one_small_page() {
    let bytes = render_receipt(&fixtures::receipt()).unwrap();
    assert_eq!(pdf_pages(&bytes), 1);
    assert!(bytes.len() < 60 * 1024, "{} bytes", bytes.len());
}

#[test]
fn long_tables_flow_onto_further_pages() {
    let short = pdf_pages(&render_decision(&fixtures::decision()).unwrap());
    let bytes = render_decision(&fixtures::long_decision()).unwrap();
    let pages = pdf_pages(&bytes);
    assert!(pages > short && pages >= 2, "{pages} pages for 20 basis lines and 12 installments");
}

#[test]
fn every_kind_renders() {
    for kind in ObligationKind::ALL {
        let mut decision = fixtures::decision();
        decision.kind = kind;
        let bytes = render_decision(&decision).unwrap_or_else(|error| panic!("{kind}: {error}"));
        pdf_pages(&bytes);
    }
}

#[test]
fn fees_keep_their_grosze_and_need_no_qr() {
    let mut decision = fixtures::decision();
    decision.kind = ObligationKind::WasteFee;
    decision.total = amount("117.00");
    decision.installments =
        vec![documents::InstallmentLine { number: 1, due_date: time::macros::date!(2026 - 03 - 16), amount: amount("117.00") }];
    decision.basis.truncate(1);
    decision.payment.qr_payload = None;
    pdf_pages(&render_decision(&decision).unwrap());
    decision.total = amount("29.75");
    decision.installments[0].amount = amount("29.75");
    pdf_pages(&render_decision(&decision).unwrap());
}

/// PDF/A forbids .notdef glyphs: a character the font lacks must not make the document fail.
#[test]
fn characters_outside_the_font_do_not_fail_the_document() {
    let mut decision = fixtures::decision();
    decision.taxpayer.name = "Li 李 Wei 🙂\u{7}\r".to_owned();
    decision.justification = Some("Tab\there, ünïcödé, Ђорђе, Ωμέγα.".to_owned());
    pdf_pages(&render_decision(&decision).unwrap());
}

#[test]
fn installments_must_add_up_to_the_total() {
    let mut decision = fixtures::decision();
    decision.installments[3].amount = amount("732.00");
    assert_eq!(render_decision(&decision), Err(DocumentError::InstallmentsDoNotAddUp { total: amount("2930.00"), sum: amount("2929.50") }));
}

#[test]
fn a_tax_total_is_in_full_zloty() {
    let mut decision = fixtures::decision();
    decision.total = amount("2930.38");
    decision.installments.clear();
    assert_eq!(render_decision(&decision), Err(DocumentError::TaxTotalNotRounded(amount("2930.38"))));
}

#[test]
fn the_qr_payload_is_validated() {
    let mut decision = fixtures::decision();
    decision.payment.qr_payload = Some("not|a|zbp|code".to_owned());
    assert!(matches!(render_decision(&decision), Err(DocumentError::InvalidQrPayload(_))));

    let mut decision = fixtures::decision();
    decision.payment.account = "61109010140000071219812874".parse().unwrap();
    assert!(matches!(render_decision(&decision), Err(DocumentError::QrAccountMismatch { .. })));
}

#[test]
fn the_allocation_must_add_up_to_the_payment() {
    let mut receipt = fixtures::receipt();
    receipt.allocation[0].interest = amount("9.07");
    assert_eq!(
        render_receipt(&receipt),
        Err(DocumentError::AllocationDoesNotAddUp { amount: amount("500.00"), allocated: amount("499.99") })
    );
}

// ---------------------------------------------------------------------------------------------
// With poppler-utils

#[test]
fn decision_text_is_extractable_with_polish_letters() {
    if !poppler("pdftotext") {
        return;
    }
    let mut decision = fixtures::decision();
    decision.justification = Some("Zażółć gęślą jaźń. ZAŻÓŁĆ GĘŚLĄ JAŹŃ.".to_owned());
    let text = flat(&pdftotext("diacritics", &render_decision(&decision).unwrap(), None));
    for expected in [
        "DECYZJA nr FN.3120.415.2026",
        "w sprawie wymiaru podatku od nieruchomości na rok 2026",
        "Zofia Śliwińska-Żółkiewska",
        "ul. Źródlana 7/3",
        "Gmina Łącko",
        "Łącko, dnia 16.02.2026 r.",
        "art. 21 § 1 pkt 2 i art. 207",
        "w kwocie 2 930,00 zł",
        "Budynki mieszkalne lub ich części",
        "2 131,80",
        "16.03.2026",
        "732,50 zł",
        "39 1090 1014 1234 5678 0000 4711",
        "Samorządowego Kolegium Odwoławczego w Nowym Sączu w terminie 14 dni od dnia jej doręczenia, za pośrednictwem Wójta Gminy Łącko",
        "Zażółć gęślą jaźń. ZAŻÓŁĆ GĘŚLĄ JAŹŃ.",
        "Strona 1 z 2",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
    for letter in "ąćęłńóśźżĄĆĘŁŃÓŚŹŻ".chars() {
        assert!(text.contains(letter), "missing {letter}");
    }
}

#[test]
fn long_tables_continue_under_a_repeated_header() {
    if !poppler("pdftotext") {
        return;
    }
    let bytes = render_decision(&fixtures::long_decision()).unwrap();
    let pages = pdf_pages(&bytes);
    let all = flat(&pdftotext("long-all", &bytes, None));
    for index in 1..=20 {
        assert!(all.contains(&format!("Pozycja ewidencyjna nr {index}:")), "basis line {index} lost");
    }
    for due in ["31.01.2026", "15.06.2026", "15.12.2026"] {
        assert!(all.contains(due), "installment due {due} lost");
    }
    assert!(all.contains("3 000,00 zł"));
    assert!(all.contains(&format!("Strona {pages} z {pages}")));
    let second = flat(&pdftotext("long-2", &bytes, Some((2, 2))));
    assert!(second.contains("(ciąg dalszy)"), "continuation header on page 2:\n{second}");
    assert!(second.contains("Przedmiot opodatkowania"), "table header repeated on page 2:\n{second}");
    assert!(second.contains("Pozycja ewidencyjna nr 20:"), "the table went on on page 2:\n{second}");
}

#[test]
fn receipt_text_explains_the_allocation() {
    if !poppler("pdftotext") {
        return;
    }
    let text = flat(&pdftotext("receipt", &render_receipt(&fixtures::receipt()).unwrap(), None));
    for expected in [
        "POTWIERDZENIE WPŁATY",
        "PAY-2026-000417",
        "PBN-9F3A17C2",
        "Łukasz Żółkiewski",
        "20.05.2026",
        "21.05.2026",
        "500,00 zł",
        "Koszty upomnienia",
        "474,92",
        "9,08",
        "art. 55 § 2 Ordynacji podatkowej",
        "art. 62 § 1a",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
    assert!(!text.contains("Nadpłata"));

    // A payment without interest says nothing about the proportional split; an overpayment shows.
    let mut receipt = fixtures::receipt();
    receipt.reminder_costs = Amount::ZERO;
    receipt.allocation[0].principal = amount("732.50");
    receipt.allocation[0].interest = Amount::ZERO;
    receipt.amount = amount("800.00");
    receipt.overpayment = amount("67.50");
    receipt.payer = None;
    receipt.gateway_transaction_id = None;
    let text = flat(&pdftotext("receipt-plain", &render_receipt(&receipt).unwrap(), None));
    assert!(!text.contains("55 § 2"), "{text}");
    assert!(!text.contains("Koszty upomnienia"), "{text}");
    assert!(text.contains("Nadpłata") && text.contains("67,50") && text.contains("art. 76"), "{text}");
}

#[test]
fn qr_code_decodes_to_the_payload() {
    if !poppler("pdftoppm") {
        return;
    }
    let decision = fixtures::decision();
    let bytes = render_decision(&decision).unwrap();
    let path = temp_pdf("qr", &bytes);
    let prefix = path.with_extension("");
    // Every page in grey at 200 dpi; the QR sits on whichever page the payment section landed on.
    let status = Command::new("pdftoppm").args(["-r", "200", "-gray"]).arg(&path).arg(&prefix).status().unwrap();
    std::fs::remove_file(&path).ok();
    assert!(status.success());
    let mut decoded = Vec::new();
    for page in 1..=pdf_pages(&bytes) {
        let candidates = [format!("{}-{page}.pgm", prefix.display()), format!("{}-{page:02}.pgm", prefix.display())];
        let Some(file) = candidates.iter().find(|file| std::path::Path::new(file).exists()) else { continue };
        let (width, height, pixels) = read_pgm(&std::fs::read(file).unwrap());
        std::fs::remove_file(file).ok();
        let mut image = rqrr::PreparedImage::prepare_from_greyscale(width, height, |x, y| pixels[y * width + x]);
        for grid in image.detect_grids() {
            let (meta, content) = grid.decode().unwrap();
            assert_eq!(meta.ecc_level, 1, "error correction level L (format bits 01)");
            decoded.push(content);
        }
    }
    assert_eq!(decoded, vec![decision.payment.qr_payload.unwrap()]);
}

/// A binary PGM (P5, 8-bit) as written by pdftoppm -gray.
fn read_pgm(bytes: &[u8]) -> (usize, usize, Vec<u8>) {
    let mut fields = Vec::new();
    let mut index = 0;
    while fields.len() < 4 {
        while bytes[index].is_ascii_whitespace() {
            index += 1;
        }
        if bytes[index] == b'#' {
            while bytes[index] != b'\n' {
                index += 1;
            }
            continue;
        }
        let start = index;
        while !bytes[index].is_ascii_whitespace() {
            index += 1;
        }
        fields.push(String::from_utf8_lossy(&bytes[start..index]).into_owned());
    }
    assert_eq!(fields[0], "P5");
    assert_eq!(fields[3], "255");
    let (width, height): (usize, usize) = (fields[1].parse().unwrap(), fields[2].parse().unwrap());
    let data = bytes[index + 1..].to_vec();
    assert_eq!(data.len(), width * height);
    (width, height, data)
}
