//! The plain data the documents are rendered from. Callers (the server, the CLI, tests) fill these
//! from the store and the domain; this crate prints them and checks only what a printed document
//! must not get wrong (totals that add up, a QR payload that is a valid ZBP code).
//!
//! Polish grammar cannot be derived from a name, so the few places where a sentence needs another
//! grammatical case take it as given (`authority_genitive`, `appeal_board_seat`).

use domain::Amount;
use domain::nrb::Nrb;
use domain::obligation::ObligationKind;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use time::Date;

/// The municipality that issues the document (the header of every page 1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Municipality {
    /// "Gmina Przykładowo".
    pub name: String,
    /// Street and city lines: ["ul. Rynek 1", "33-390 Łącko"].
    pub address_lines: Vec<String>,
    /// The municipality's NIP as it should be printed ("734-10-02-123" or "7341002123").
    pub nip: String,
    /// The tax authority, nominative: "Wójt Gminy Przykładowo" (also "Burmistrz …", "Prezydent Miasta …").
    pub authority: String,
    /// The same in the genitive, for "za pośrednictwem …": "Wójta Gminy Przykładowo".
    pub authority_genitive: String,
    /// The seat of the appeal board in the locative, as it follows "w": "Nowym Sączu" gives
    /// "Samorządowego Kolegium Odwoławczego w Nowym Sączu".
    pub appeal_board_seat: String,
}

/// A person or company named on a document: the taxpayer, or the payer of a receipt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Party {
    /// "Jan Kowalski", "Przedsiębiorstwo Handlowe „Łąka” sp. z o.o.".
    pub name: String,
    pub address_lines: Vec<String>,
    /// An identifier line printed under the address exactly as given, if wanted: "NIP 734-000-00-00".
    /// Leave it out for natural persons unless the office prints PESEL on decisions.
    #[serde(default)]
    pub identifier: Option<String>,
}

/// One line of the basis of assessment (podstawa opodatkowania): what was taxed and at which rate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BasisLine {
    /// "Grunty związane z prowadzeniem działalności gospodarczej".
    pub category: String,
    /// Printed with the scale given (120.50 prints "120,50").
    pub quantity: Decimal,
    /// "m²", "ha", "ha przel.", "szt.", "os.".
    pub unit: String,
    /// Złoty per unit, printed with the scale given (1.19, 0.5600).
    pub rate: Decimal,
    /// The amount for this line as computed by the caller (grosze kept; only the total is rounded).
    pub amount: Amount,
}

/// One installment of the payment schedule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InstallmentLine {
    /// 1-based.
    pub number: u32,
    pub due_date: Date,
    pub amount: Amount,
}

/// Who signs the decision: printed at the end, right-aligned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signatory {
    /// "Jan Nowak".
    pub name: String,
    /// "Wójt Gminy Przykładowo", or "z up. Wójta – Kierownik Referatu Podatków i Opłat".
    pub position: String,
}

/// How to pay: the taxpayer's own (virtual) account and, optionally, the ZBP QR code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentInstructions {
    /// The taxpayer's virtual account (payments.md §2.4); printed in groups of four.
    pub account: Nrb,
    /// The payee as on a transfer: usually the municipality's name.
    pub recipient: String,
    /// The transfer title to type: "Podatek od nieruchomości 2026, FN.3120.15.2026".
    pub title: String,
    /// The ZBP QR payload (payments.md §3), built by the caller with `domain::zbp_qr::ZbpQr`.
    /// Validated before drawing: a document never carries a code a bank app would refuse.
    #[serde(default)]
    pub qr_payload: Option<String>,
}

/// A decision assessing a tax or fee for a year (decyzja wymiarowa, tax-rules.md §3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decision {
    pub municipality: Municipality,
    pub taxpayer: Party,
    pub kind: ObligationKind,
    /// "FN.3120.15.2026".
    pub number: String,
    /// The date on the decision; also the PDF creation date (no clock is read).
    pub issue_date: Date,
    /// Where it was issued, for "Łącko, dnia 15.02.2026 r.".
    pub place: String,
    /// The tax year.
    pub year: i32,
    /// Council resolutions setting the rates, each printed after the statutory basis:
    /// "uchwała nr XII/85/2025 Rady Gminy Przykładowo z dnia 20 listopada 2025 r. w sprawie …"
    /// (in the genitive: "uchwały nr …"). May be empty.
    #[serde(default)]
    pub resolutions: Vec<String>,
    pub basis: Vec<BasisLine>,
    /// The assessed amount as the caller computed it (taxes rounded to full złoty, art. 63 § 1 OP;
    /// fees not). Printed, not recomputed; must equal the sum of the installments when there are any.
    pub total: Amount,
    pub installments: Vec<InstallmentLine>,
    pub payment: PaymentInstructions,
    /// An optional justification (uzasadnienie); when absent the section is left out.
    #[serde(default)]
    pub justification: Option<String>,
    pub signatory: Signatory,
}

/// Where a part of a payment went: one obligation or installment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AllocationRow {
    /// "Podatek od nieruchomości 2026, rata 2 (termin 15.05.2026)".
    pub description: String,
    pub principal: Amount,
    /// Late interest paid with it (zero when none).
    pub interest: Amount,
}

/// A payment confirmation (potwierdzenie wpłaty) with how the payment was allocated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Receipt {
    pub municipality: Municipality,
    pub taxpayer: Party,
    /// Who paid, when not the taxpayer (a proxy, a family member); `None` prints the taxpayer.
    #[serde(default)]
    pub payer: Option<Party>,
    /// The portal's payment id; also the receipt's number and the PDF document id.
    pub payment_id: String,
    /// The gateway's transaction id (PayByNet, …); `None` for a bank transfer.
    #[serde(default)]
    pub gateway_transaction_id: Option<String>,
    /// How the money came: "Płatność online (PayByNet)", "Przelew na rachunek indywidualny".
    pub channel: String,
    /// The legal payment date (art. 60 OP).
    pub payment_date: Date,
    /// When the municipality booked it.
    pub booking_date: Date,
    /// The date the receipt is issued; also the PDF creation date.
    pub issue_date: Date,
    pub amount: Amount,
    pub allocation: Vec<AllocationRow>,
    /// Koszty upomnienia covered first (art. 62 § 1a OP); zero prints no line.
    #[serde(default)]
    pub reminder_costs: Amount,
    /// What was left over; zero prints no line.
    #[serde(default)]
    pub overpayment: Amount,
}
