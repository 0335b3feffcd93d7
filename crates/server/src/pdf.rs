//! The portal's PDFs from stored data: decisions (rendered once, then kept) and receipts.

use documents::{AllocationRow, BasisLine, Decision, InstallmentLine, Party, PaymentInstructions, Receipt, Signatory};
use domain::Amount;
use domain::obligation::ObligationKind;
use store::entities::{obligation, taxpayer};
use store::{Municipality, Store, StoreError, TaxpayerBooks, Uuid, money};

use crate::error::ApiError;

fn municipality_header(m: &Municipality) -> documents::Municipality {
    let (street, city) =
        m.address.split_once(',').map_or((m.address.clone(), String::new()), |(a, b)| (a.trim().to_string(), b.trim().to_string()));
    let place = m.name.trim_start_matches("Gmina ").trim_start_matches("Miasto ").to_string();
    documents::Municipality {
        name: m.name.clone(),
        address_lines: vec![street, city],
        nip: m.nip.clone(),
        authority: format!("Wójt Gminy {place}"),
        authority_genitive: format!("Wójta Gminy {place}"),
        appeal_board_seat: "Przemyślu".into(),
    }
}

fn party(t: &taxpayer::Model) -> Party {
    Party {
        name: t.name.clone(),
        address_lines: vec![t.street.clone(), format!("{} {}", t.postal_code, t.city)],
        identifier: t.nip.as_ref().map(|n| format!("NIP {n}")),
    }
}

/// The decision of an obligation as a PDF, from the same data the API shows.
pub async fn decision(store: &Store, m: &Municipality, o: &obligation::Model) -> Result<Vec<u8>, ApiError> {
    let t = store.taxpayer(o.taxpayer_id).await?.ok_or(ApiError::NotFound)?;
    let items = store.basis_items(o.id).await?;
    let books = store.books(o.taxpayer_id).await?;
    let account = store.virtual_account_of(o.taxpayer_id).await?.and_then(|a| a.nrb.parse().ok()).unwrap_or_else(|| m.bank_account.clone());
    let kind: ObligationKind = o.kind.parse().map_err(ApiError::Internal)?;
    let mut resolutions: Vec<String> = items.iter().map(|i| i.resolution.clone()).collect();
    resolutions.dedup();
    let basis = items
        .iter()
        .map(|i| {
            Ok(BasisLine {
                category: i.category.clone(),
                quantity: i.quantity.parse().map_err(|_| ApiError::Internal("basis quantity".into()))?,
                unit: i.unit.clone(),
                rate: i.rate.parse().map_err(|_| ApiError::Internal("basis rate".into()))?,
                amount: money(i.amount_grosze)?,
            })
        })
        .collect::<Result<Vec<_>, ApiError>>()?;
    let installments = books
        .installments
        .iter()
        .filter(|i| i.obligation_id == o.id)
        .map(|i| {
            Ok(InstallmentLine { number: u32::try_from(i.number).unwrap_or(0), due_date: i.due_date, amount: money(i.amount_grosze)? })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    let decision = Decision {
        municipality: municipality_header(m),
        taxpayer: party(&t),
        kind,
        number: o.decision_number.clone(),
        issue_date: o.decision_date,
        place: m.address.rsplit(' ').next().unwrap_or_default().to_string(),
        year: o.year,
        resolutions,
        basis,
        total: money(o.amount_grosze)?,
        installments,
        payment: PaymentInstructions {
            qr_payload: qr_payload(m, &account, money(o.amount_grosze)?, &o.title),
            account,
            recipient: m.name.clone(),
            title: format!("{} {}", o.title, o.decision_number),
        },
        justification: None,
        signatory: Signatory { name: "z up. Wójta — Kierownik Referatu Podatków".into(), position: "podpisano elektronicznie".into() },
    };
    documents::render_decision(&decision).map_err(|e| ApiError::Internal(format!("decision PDF: {e}")))
}

/// The ZBP 2D code for paying the whole amount to the taxpayer's account (payments.md §3).
fn qr_payload(m: &Municipality, account: &domain::nrb::Nrb, amount: Amount, title: &str) -> Option<String> {
    let name: String = m.name.chars().take(20).collect();
    let title: String = title.chars().take(32).collect();
    domain::zbp_qr::ZbpQr::new(
        m.nip.parse().ok(),
        account.clone(),
        domain::zbp_qr::QrAmount::fixed_or_open(amount),
        name.trim_end(),
        title.trim_end(),
    )
    .ok()
    .map(|q| q.payload())
}

/// The receipt of a booked payment: which installment got how much principal and interest.
pub fn receipt_model(
    m: &Municipality,
    books: &TaxpayerBooks,
    payment: &store::entities::payment::Model,
    lines: &[store::entities::allocation::Model],
    issue_date: time::Date,
) -> Result<Receipt, ApiError> {
    let mut allocation = Vec::new();
    let mut reminder_costs = Amount::ZERO;
    let mut overpayment = Amount::ZERO;
    for line in lines {
        reminder_costs = reminder_costs + money(line.reminder_costs_grosze)?;
        overpayment = overpayment + money(line.overpayment_grosze)?;
        if let Some(installment_id) = line.installment_id {
            allocation.push(AllocationRow {
                description: describe(books, installment_id),
                principal: money(line.principal_grosze)?,
                interest: money(line.interest_grosze)?,
            });
        }
    }
    let (payment_date, booking_date) = match (payment.payment_date, payment.booking_date) {
        (Some(p), Some(b)) => (p, b),
        _ => return Err(ApiError::NotFound),
    };
    Ok(Receipt {
        municipality: municipality_header(m),
        taxpayer: party(&books.taxpayer),
        payer: None,
        payment_id: payment.id.to_string(),
        gateway_transaction_id: payment.gateway_transaction_id.clone(),
        channel: match payment.source.as_str() {
            "online" => "Płatność online (PayByNet)".into(),
            "transfer" => "Przelew na rachunek indywidualny".into(),
            "cash" => "Wpłata gotówkowa".into(),
            other => other.to_string(),
        },
        payment_date,
        booking_date,
        issue_date,
        amount: money(payment.amount_grosze)?,
        allocation,
        reminder_costs,
        overpayment,
    })
}

/// "Podatek od nieruchomości 2026, rata 2 (termin 15.05.2026)".
pub fn describe(books: &TaxpayerBooks, installment_id: Uuid) -> String {
    let Some(i) = books.installments.iter().find(|i| i.id == installment_id) else { return String::new() };
    let title = books.obligations.iter().find(|o| o.id == i.obligation_id).map(|o| o.title.clone()).unwrap_or_default();
    format!("{title}, rata {} (termin {})", i.number, documents::format_date_pl(i.due_date))
}
