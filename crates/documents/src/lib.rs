//! The portal's PDF documents: the assessment decision ([`render_decision`]) and the payment
//! confirmation ([`render_receipt`]), plus the Polish formatting helpers they use
//! ([`format_amount_pl`], [`format_date_pl`], …) for anyone printing the same values.
//!
//! Architecture invariants:
//! - Deterministic: the same input gives byte-identical output. No clock, no random ids: the PDF
//!   creation date is the document's own date, the document id is derived from its number, and
//!   krilla's instance id is a hash of the content.
//! - Self-contained: the fonts (DejaVu Sans Condensed, every Polish letter) are compiled in and
//!   subset, so rendering needs no system fonts and a decision stays in the tens of kilobytes.
//! - Text is real text (ToUnicode maps), so it can be searched, copied and read by screen readers
//!   and by `pdftotext`.
//! - Money arrives as [`domain::Amount`] and leaves as formatted text; floating point exists only
//!   in the layout module, for coordinates.
//! - Documents print what the caller computed; they refuse only inputs that would make the printed
//!   document wrong (installments that do not add up to the total, a tax total with grosze, an
//!   allocation that does not add up to the payment, an invalid or mismatching QR payload).

mod decision;
mod format;
mod layout;
mod legal;
mod model;
mod qr;
mod receipt;

use domain::Amount;
use domain::zbp_qr::ZbpQrError;

pub use decision::render_decision;
pub use format::{THOUSANDS_SEPARATOR, format_amount_pl, format_amount_pl_bare, format_date_pl, format_decimal_pl, sha256_hex};
pub use legal::{decision_subject, legal_basis_pl, subject_genitive};
pub use model::{AllocationRow, BasisLine, Decision, InstallmentLine, Municipality, Party, PaymentInstructions, Receipt, Signatory};
pub use receipt::render_receipt;

/// Why a document was not rendered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DocumentError {
    #[error("the installments add up to {sum} zł but the decision total is {total} zł")]
    InstallmentsDoNotAddUp { total: Amount, sum: Amount },
    #[error("a tax is assessed in full złoty (art. 63 § 1 OP), but the total is {0} zł")]
    TaxTotalNotRounded(Amount),
    #[error("the allocation adds up to {allocated} zł but the payment is {amount} zł")]
    AllocationDoesNotAddUp { amount: Amount, allocated: Amount },
    #[error("the QR payload is not a valid ZBP code: {0}")]
    InvalidQrPayload(ZbpQrError),
    #[error("the QR code pays into account {in_code}, but the document prints {printed}")]
    QrAccountMismatch { in_code: String, printed: String },
    #[error("the QR code could not be encoded: {0}")]
    QrEncoding(String),
    #[error("the embedded font {0} could not be read")]
    Font(&'static str),
    #[error("writing the PDF failed: {0}")]
    Pdf(String),
}
