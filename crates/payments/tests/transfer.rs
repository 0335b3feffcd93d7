//! Transfer details: the ZBP payload of payments.md §3 drawn as PNG and read back with a QR
//! decoder, for the taxpayer's virtual account of payments.md §2.3.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, reason = "tests fail by panicking")]

use domain::nrb::{IdentifierCheck, Nrb, VirtualAccountLayout};
use domain::zbp_qr::ZbpQr;
use payments::transfer::{MIN_QR_SIZE_PX, TransferDetails, TransferError, render_png};

/// payments.md §3, "our example for a municipality".
const MUNICIPALITY_PAYLOAD: &str = "1234563218|PL|39109010141234567800004711|012345|Gmina Przykładowo|Podatek od nieruchomości 2025|||";

/// payments.md §2.3: sort code 10901014 + payee code 12345678 + identifier 00004711 → check digits 39.
fn virtual_account() -> Nrb {
    let layout = VirtualAccountLayout::new("1090101412345678", IdentifierCheck::None).unwrap();
    let account = layout.build(4711).unwrap();
    assert_eq!(account.iban(), "PL39109010141234567800004711");
    account
}

fn details() -> TransferDetails {
    TransferDetails {
        account: virtual_account(),
        recipient_name: "Gmina Przykładowo".into(),
        recipient_nip: "1234563218".parse().unwrap(),
        title: "Podatek od nieruchomości 2025".into(),
        amount: "123.45".parse().unwrap(),
    }
}

/// Reads every QR symbol in a PNG; exactly one is expected.
fn decode_png(png: &[u8]) -> String {
    let image = image::load_from_memory(png).unwrap().to_luma8();
    let mut prepared = rqrr::PreparedImage::prepare(image);
    let grids = prepared.detect_grids();
    assert_eq!(grids.len(), 1, "one QR symbol");
    let (meta, content) = grids[0].decode().unwrap();
    // Level L (payments.md §3): rqrr numbers the levels as in the symbol, where L is 1.
    assert_eq!(meta.ecc_level, 1, "error correction level L");
    content
}

#[test]
fn municipality_example_payload() {
    let details = details();
    assert_eq!(details.qr_payload().unwrap(), MUNICIPALITY_PAYLOAD);
    assert!(details.amount_in_code());
}

#[test]
fn png_decodes_back_to_the_payload() {
    let png = details().qr_png(MIN_QR_SIZE_PX).unwrap();
    let decoded = decode_png(&png);
    assert_eq!(decoded, MUNICIPALITY_PAYLOAD);
    // And what a banking app reads is a valid transfer.
    let qr = ZbpQr::parse(&decoded).unwrap();
    assert_eq!(qr.account(), &virtual_account());
    assert_eq!(qr.recipient_name(), "Gmina Przykładowo");
}

#[test]
fn svg_carries_the_same_symbol_as_the_png() {
    let svg = details().qr_svg().unwrap();
    assert!(svg.starts_with("<svg "));
    assert!(svg.contains("aria-label=\"Kod QR do przelewu\""));
    // Same payload, same level, same renderer: the SVG's size matches the PNG's pixel grid.
    let png = details().qr_png(MIN_QR_SIZE_PX).unwrap();
    let image = image::load_from_memory(&png).unwrap();
    assert!(svg.contains(&format!("width=\"{}\" height=\"{}\"", image.width(), image.height())), "{svg}");
}

#[test]
fn large_amounts_are_left_to_the_payer_and_long_texts_are_cut() {
    let details = TransferDetails {
        recipient_name: "Urząd Gminy Przykładowo".into(),
        title: "Łączne zobowiązanie pieniężne 2025, rata 1".into(),
        amount: "12345.67".parse().unwrap(),
        ..details()
    };
    assert!(!details.amount_in_code());
    let payload = details.qr_payload().unwrap();
    assert_eq!(payload, "1234563218|PL|39109010141234567800004711|000000|Urząd Gminy Przykład|Łączne zobowiązanie pieniężne 20|||");
    assert_eq!(decode_png(&details.qr_png(400).unwrap()), payload);
}

#[test]
fn texts_the_code_cannot_carry_are_refused() {
    let details = TransferDetails { title: "Podatek | 2025".into(), ..details() };
    assert!(matches!(details.qr_payload(), Err(TransferError::Payload(_))));
    let details = TransferDetails { recipient_name: "   ".into(), ..self::details() };
    assert!(matches!(details.qr_png(MIN_QR_SIZE_PX), Err(TransferError::Payload(_))));
}

#[test]
fn larger_pngs_still_decode() {
    let png = render_png(MUNICIPALITY_PAYLOAD, 600).unwrap();
    assert!(image::load_from_memory(&png).unwrap().width() >= 600);
    assert_eq!(decode_png(&png), MUNICIPALITY_PAYLOAD);
}
