//! The payment confirmation (potwierdzenie wpłaty): who paid what and when, and how the payment
//! was allocated (art. 62 OP order, art. 55 § 2 OP proportional split).

use domain::Amount;

use crate::DocumentError;
use crate::format::{format_amount_pl, format_amount_pl_bare, format_date_pl};
use crate::layout::{Align, Column, Flow, Fonts, Meta, RowKind, Style, Table, TableColumn};
use crate::model::{Party, Receipt};

/// Renders a payment confirmation to PDF bytes. Same receipt, same bytes.
///
/// Refuses a receipt whose allocation (rows, reminder costs, overpayment) does not add up to the
/// amount paid: a confirmation must account for every grosz.
pub fn render_receipt(receipt: &Receipt) -> Result<Vec<u8>, DocumentError> {
    let allocated: Amount =
        receipt.allocation.iter().map(|row| row.principal + row.interest).sum::<Amount>() + receipt.reminder_costs + receipt.overpayment;
    if allocated != receipt.amount {
        return Err(DocumentError::AllocationDoesNotAddUp { amount: receipt.amount, allocated });
    }
    let fonts = Fonts::load()?;
    let municipality = &receipt.municipality;
    let mut flow = Flow::new(
        &fonts,
        format!("{} – potwierdzenie wpłaty nr {} (ciąg dalszy)", municipality.name, receipt.payment_id),
        format!("Potwierdzenie wpłaty nr {} · {}", receipt.payment_id, municipality.name),
    );

    let mut issuer = vec![(municipality.name.clone(), Style::LARGE_BOLD)];
    issuer.extend(municipality.address_lines.iter().map(|line| (line.clone(), Style::BODY)));
    issuer.push((format!("NIP {}", municipality.nip), Style::SMALL));
    flow.columns(
        &[
            Column::lines(0, 96, Align::Left, issuer),
            Column::lines(96, 72, Align::Right, vec![(format!("Data wystawienia: {}", format_date_pl(receipt.issue_date)), Style::BODY)]),
        ],
        false,
    );
    flow.space_mm(12);
    flow.paragraph("POTWIERDZENIE WPŁATY", Style::TITLE, Align::Center);
    flow.space_half_mm(2);
    flow.paragraph(&format!("nr {}", receipt.payment_id), Style::SUBTITLE, Align::Center);
    flow.space_mm(8);

    let mut details: Vec<(String, Vec<(String, Style)>)> = vec![("Podatnik".to_owned(), party_lines(&receipt.taxpayer))];
    if let Some(payer) = &receipt.payer {
        details.push(("Wpłacający".to_owned(), party_lines(payer)));
    }
    details.push(("Identyfikator wpłaty".to_owned(), vec![(receipt.payment_id.clone(), Style::BODY)]));
    if let Some(transaction) = &receipt.gateway_transaction_id {
        details.push(("Identyfikator transakcji".to_owned(), vec![(transaction.clone(), Style::BODY)]));
    }
    details.push(("Sposób zapłaty".to_owned(), vec![(receipt.channel.clone(), Style::BODY)]));
    details.push((
        "Data zapłaty".to_owned(),
        vec![
            (format_date_pl(receipt.payment_date), Style::BODY_BOLD),
            ("dzień zapłaty w rozumieniu art. 60 Ordynacji podatkowej".to_owned(), Style::SMALL),
        ],
    ));
    details.push(("Data zaksięgowania".to_owned(), vec![(format_date_pl(receipt.booking_date), Style::BODY)]));
    details.push(("Kwota wpłaty".to_owned(), vec![(format_amount_pl(receipt.amount), Style::LARGE_BOLD)]));
    for (label, value) in details {
        flow.columns(
            &[Column::lines(0, 48, Align::Left, vec![(label, Style::SMALL_BOLD)]), Column::lines(50, 118, Align::Left, value)],
            false,
        );
        flow.space_half_mm(3);
    }
    flow.space_mm(5);

    flow.heading("Zaliczenie wpłaty");
    let mut rows: Vec<(RowKind, Vec<String>)> = Vec::new();
    let mut number = 0;
    if !receipt.reminder_costs.is_zero() {
        number += 1;
        rows.push((
            RowKind::Body,
            vec![
                format!("{number}."),
                "Koszty upomnienia".to_owned(),
                String::new(),
                String::new(),
                format_amount_pl_bare(receipt.reminder_costs),
            ],
        ));
    }
    for row in &receipt.allocation {
        number += 1;
        rows.push((
            RowKind::Body,
            vec![
                format!("{number}."),
                row.description.clone(),
                format_amount_pl_bare(row.principal),
                format_amount_pl_bare(row.interest),
                format_amount_pl_bare(row.principal + row.interest),
            ],
        ));
    }
    if !receipt.overpayment.is_zero() {
        number += 1;
        rows.push((
            RowKind::Body,
            vec![format!("{number}."), "Nadpłata".to_owned(), String::new(), String::new(), format_amount_pl_bare(receipt.overpayment)],
        ));
    }
    let principal: Amount = receipt.allocation.iter().map(|row| row.principal).sum();
    let interest: Amount = receipt.allocation.iter().map(|row| row.interest).sum();
    rows.push((
        RowKind::Total,
        vec![
            String::new(),
            "Razem".to_owned(),
            format_amount_pl_bare(principal),
            format_amount_pl_bare(interest),
            format_amount_pl_bare(receipt.amount),
        ],
    ));
    flow.table(&Table {
        width_mm: None,
        columns: vec![
            TableColumn { weight: 7, align: Align::Left },
            TableColumn { weight: 51, align: Align::Left },
            TableColumn { weight: 18, align: Align::Right },
            TableColumn { weight: 17, align: Align::Right },
            TableColumn { weight: 17, align: Align::Right },
        ],
        header: ["Lp.", "Należność", "Należność główna (zł)", "Odsetki za zwłokę (zł)", "Razem (zł)"].map(str::to_owned).to_vec(),
        rows,
    });
    flow.space_mm(4);

    if !receipt.reminder_costs.is_zero() {
        flow.paragraph(
            "Wpłatę zaliczono w pierwszej kolejności na pokrycie kosztów upomnienia (art. 62 § 1a Ordynacji podatkowej).",
            Style::SMALL,
            Align::Left,
        );
        flow.space_half_mm(2);
    }
    if !interest.is_zero() {
        flow.paragraph(
            "Wpłata obejmuje odsetki za zwłokę. Zgodnie z art. 55 § 2 Ordynacji podatkowej wpłatę, która nie pokrywa kwoty \
             zaległości wraz z odsetkami, zalicza się proporcjonalnie na poczet kwoty zaległości i kwoty odsetek, w stosunku, \
             w jakim w dniu wpłaty pozostaje kwota zaległości do kwoty odsetek; podział wskazano w tabeli.",
            Style::SMALL,
            Align::Left,
        );
        flow.space_half_mm(2);
    }
    if !receipt.overpayment.is_zero() {
        flow.paragraph(
            "Nadpłata podlega zaliczeniu na poczet zaległości podatkowych i bieżących zobowiązań albo zwrotowi \
             (art. 76 Ordynacji podatkowej).",
            Style::SMALL,
            Align::Left,
        );
        flow.space_half_mm(2);
    }
    flow.space_mm(6);
    flow.rule();
    flow.space_mm(2);
    flow.paragraph(
        "Potwierdzenie wygenerowane elektronicznie w portalu e-Należności; nie wymaga podpisu ani pieczęci.",
        Style::SMALL,
        Align::Left,
    );

    flow.finish(&Meta {
        title: format!("Potwierdzenie wpłaty nr {}", receipt.payment_id),
        subject: format!("Potwierdzenie wpłaty {} z dnia {}", format_amount_pl(receipt.amount), format_date_pl(receipt.payment_date)),
        author: municipality.name.clone(),
        document_id: format!("receipt:{}", receipt.payment_id),
        date: receipt.issue_date,
    })
}

fn party_lines(party: &Party) -> Vec<(String, Style)> {
    let mut lines = vec![(party.name.clone(), Style::BODY_BOLD)];
    if !party.address_lines.is_empty() {
        lines.push((party.address_lines.join(", "), Style::BODY));
    }
    if let Some(identifier) = &party.identifier {
        lines.push((identifier.clone(), Style::SMALL));
    }
    lines
}
