//! Transfer details for paying by an ordinary bank transfer to the taxpayer's virtual account,
//! with the ZBP 2D code a banking app scans (payments.md §2.4, §3).
//!
//! The payload comes from [`domain::zbp_qr`]; this module fits the texts into the code's limits
//! and draws the symbol: QR, error correction level L, byte mode carrying the UTF-8 payload
//! (payments.md §3, "QR symbol parameters"), as SVG (scalable, for pages and PDFs) and PNG.

use std::io::Cursor;

use domain::Amount;
use domain::identifiers::Nip;
use domain::nrb::Nrb;
use domain::zbp_qr::{QrAmount, ZbpQr, ZbpQrError};
use image::{ImageFormat, Luma};
use qrcode::render::svg;
use qrcode::{EcLevel, QrCode};

/// What the QR images are described as, for screen readers (the image's text alternative).
pub const QR_LABEL: &str = "Kod QR do przelewu";

/// The recommendation asks for at least 1.8 × 1.8 cm in print, "~250 px" (payments.md §3).
pub const MIN_QR_SIZE_PX: u32 = 250;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransferError {
    #[error("the ZBP QR payload cannot be built: {0}")]
    Payload(#[from] ZbpQrError),
    #[error("the QR symbol cannot be drawn: {0}")]
    Render(String),
}

/// The transfer a taxpayer makes: to their virtual account, to the municipality (name and NIP),
/// with a title and an amount. The slip prints these fields in full; the code carries them cut
/// to its limits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransferDetails {
    /// The taxpayer's virtual account (built with [`domain::nrb::VirtualAccountLayout`]).
    pub account: Nrb,
    pub recipient_name: String,
    pub recipient_nip: Nip,
    pub title: String,
    pub amount: Amount,
}

impl TransferDetails {
    /// The ZBP payload fields. Name and title are cut to 20 and 32 characters (payments.md §3,
    /// fields 5 and 6) rather than refused: the account already identifies the taxpayer, and a
    /// shortened text still lets the payer recognise the transfer. An amount over 9 999.99 zł, or
    /// zero, is left for the payer to type (`000000`, see [`QrAmount::fixed_or_open`]).
    pub fn zbp_qr(&self) -> Result<ZbpQr, TransferError> {
        let name = fit(&self.recipient_name, ZbpQr::MAX_NAME_CHARS);
        let title = fit(&self.title, ZbpQr::MAX_TITLE_CHARS);
        Ok(ZbpQr::new(Some(self.recipient_nip.clone()), self.account.clone(), QrAmount::fixed_or_open(self.amount), &name, &title)?)
    }

    /// The string inside the code.
    pub fn qr_payload(&self) -> Result<String, TransferError> {
        self.zbp_qr().map(|qr| qr.payload())
    }

    /// Whether the code carries the amount; when it does not, print the amount beside the code.
    pub fn amount_in_code(&self) -> bool {
        matches!(QrAmount::fixed_or_open(self.amount), QrAmount::Fixed(_))
    }

    /// The code as an SVG document, at least [`MIN_QR_SIZE_PX`] wide.
    pub fn qr_svg(&self) -> Result<String, TransferError> {
        render_svg(&self.qr_payload()?)
    }

    /// The code as a PNG, at least `min_size_px` wide (use [`MIN_QR_SIZE_PX`] or more).
    pub fn qr_png(&self, min_size_px: u32) -> Result<Vec<u8>, TransferError> {
        render_png(&self.qr_payload()?, min_size_px)
    }
}

/// At most `max` characters (not bytes: "ł" is one), without trailing whitespace after the cut.
fn fit(text: &str, max: usize) -> String {
    let trimmed = text.trim();
    match trimmed.char_indices().nth(max) {
        Some((cut, _)) => trimmed[..cut].trim_end().to_owned(),
        None => trimmed.to_owned(),
    }
}

fn symbol(payload: &str) -> Result<QrCode, TransferError> {
    QrCode::with_error_correction_level(payload.as_bytes(), EcLevel::L).map_err(|e| TransferError::Render(e.to_string()))
}

/// An SVG of the payload's QR symbol (level L, 4-module quiet zone, black on white), without an
/// XML declaration so it can be inlined in HTML, labelled for screen readers.
pub fn render_svg(payload: &str) -> Result<String, TransferError> {
    let drawn = symbol(payload)?.render::<svg::Color>().min_dimensions(MIN_QR_SIZE_PX, MIN_QR_SIZE_PX).quiet_zone(true).build();
    let document = drawn.find("<svg").map_or(drawn.as_str(), |start| &drawn[start..]);
    let Some(open_end) = document.find('>') else {
        return Err(TransferError::Render("the renderer produced no <svg> element".into()));
    };
    let (open, rest) = document.split_at(open_end + 1);
    let open = open.replacen("<svg ", &format!("<svg role=\"img\" aria-label=\"{QR_LABEL}\" "), 1);
    Ok(format!("{open}<title>{QR_LABEL}</title>{rest}"))
}

/// A greyscale PNG of the payload's QR symbol (level L, 4-module quiet zone).
pub fn render_png(payload: &str, min_size_px: u32) -> Result<Vec<u8>, TransferError> {
    let image = symbol(payload)?.render::<Luma<u8>>().min_dimensions(min_size_px, min_size_px).quiet_zone(true).build();
    let mut png = Cursor::new(Vec::new());
    image.write_to(&mut png, ImageFormat::Png).map_err(|e| TransferError::Render(e.to_string()))?;
    Ok(png.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fit_counts_characters_and_trims() {
        assert_eq!(fit("Gmina Przykładowo", 20), "Gmina Przykładowo");
        assert_eq!(fit("Urząd Gminy Przykładowo", 20), "Urząd Gminy Przykład");
        assert_eq!(fit("Gmina Przykładowo   i okolice", 20), "Gmina Przykładowo");
        assert_eq!(fit("  Gmina  ", 20), "Gmina");
        assert_eq!(fit("żółć", 2), "żó");
    }

    #[test]
    fn svg_is_labelled_and_inlinable() {
        let svg = render_svg("test").unwrap();
        assert!(svg.starts_with("<svg role=\"img\" aria-label=\"Kod QR do przelewu\" xmlns=\"http://www.w3.org/2000/svg\""), "{svg}");
        assert!(svg.contains("><title>Kod QR do przelewu</title><rect"));
        assert!(svg.ends_with("</svg>"));
        assert!(!svg.contains("<?xml"));
    }

    #[test]
    fn png_has_the_signature_and_the_minimum_size() {
        let png = render_png("test", MIN_QR_SIZE_PX).unwrap();
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
        let image = image::load_from_memory(&png).unwrap();
        assert!(image.width() >= MIN_QR_SIZE_PX && image.height() == image.width());
    }

    #[test]
    fn level_l_is_used() {
        // 98 characters / 100 bytes (payments.md §3 example) fit version 5 at level L, not at M.
        let payload = "1234563218|PL|39109010141234567800004711|012345|Gmina Przykładowo|Podatek od nieruchomości 2025|||";
        assert_eq!(symbol(payload).unwrap().error_correction_level(), EcLevel::L);
        assert_eq!(symbol(payload).unwrap().version(), qrcode::Version::Normal(5));
    }
}
