//! The ZBP QR code of a payment slip (payments.md §3): the payload is checked with the domain's
//! parser, then encoded with error correction level L as the recommendation asks. UTF-8 bytes in
//! byte mode without an ECI header, as the ZBP libraries emit them and bank apps expect.

use domain::nrb::Nrb;
use domain::zbp_qr::ZbpQr;
use qrcode::{Color, EcLevel, QrCode};

use crate::DocumentError;
use crate::layout::QrSymbol;

/// The printed size: the recommendation asks for at least 1.8 cm; 3 cm scans easily from paper.
pub(crate) const QR_SIZE_MM: u16 = 30;

/// Validates `payload` as a ZBP code for `account` and encodes it.
pub(crate) fn zbp_symbol(payload: &str, account: &Nrb) -> Result<QrSymbol, DocumentError> {
    let parsed = ZbpQr::parse(payload).map_err(DocumentError::InvalidQrPayload)?;
    if parsed.account() != account {
        return Err(DocumentError::QrAccountMismatch { in_code: parsed.account().formatted(), printed: account.formatted() });
    }
    let code = QrCode::with_error_correction_level(payload.as_bytes(), EcLevel::L)
        .map_err(|error| DocumentError::QrEncoding(error.to_string()))?;
    let dark = code.to_colors().into_iter().map(|color| color == Color::Dark).collect();
    Ok(QrSymbol { modules: code.width(), dark, size_mm: QR_SIZE_MM })
}
