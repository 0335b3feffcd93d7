//! The assessment decision (decyzja wymiarowa): header, addressee, operative part with the legal
//! basis, the basis table, the installment schedule, payment instructions with the ZBP QR code,
//! the appeal instruction and the signature.

use domain::Amount;

use crate::DocumentError;
use crate::format::{format_amount_pl, format_amount_pl_bare, format_date_pl, format_decimal_pl};
use crate::layout::{Align, Column, Content, Flow, Fonts, Meta, RowKind, Style, Table, TableColumn};
use crate::legal::{decision_subject, legal_basis_pl, operative_verb, subject_genitive};
use crate::model::Decision;
use crate::qr::zbp_symbol;

/// Renders a decision to PDF bytes. Same decision, same bytes.
///
/// Refuses a decision whose installments do not add up to its total, a tax total with grosze
/// (art. 63 § 1 OP), and a QR payload that is not a valid ZBP code for the printed account.
pub fn render_decision(decision: &Decision) -> Result<Vec<u8>, DocumentError> {
    check(decision)?;
    let qr = decision.payment.qr_payload.as_deref().map(|payload| zbp_symbol(payload, &decision.payment.account)).transpose()?;
    let fonts = Fonts::load()?;
    let municipality = &decision.municipality;
    let date = format_date_pl(decision.issue_date);
    let subject = subject_genitive(decision.kind);
    let mut flow = Flow::new(
        &fonts,
        format!("{} – decyzja nr {} z dnia {date} r. (ciąg dalszy)", municipality.authority, decision.number),
        format!("Decyzja nr {} z dnia {date} r. · {}", decision.number, municipality.name),
    );

    // Header: the issuing municipality on the left, place and date on the right.
    let mut issuer = vec![(municipality.name.clone(), Style::LARGE_BOLD), (municipality.authority.clone(), Style::BODY)];
    issuer.extend(municipality.address_lines.iter().map(|line| (line.clone(), Style::BODY)));
    issuer.push((format!("NIP {}", municipality.nip), Style::SMALL));
    flow.columns(
        &[
            Column::lines(0, 96, Align::Left, issuer),
            Column::lines(96, 72, Align::Right, vec![(format!("{}, dnia {date} r.", decision.place), Style::BODY)]),
        ],
        false,
    );
    flow.space_mm(8);

    // The addressee, where a window envelope shows it.
    let taxpayer = &decision.taxpayer;
    let mut addressee = vec![(taxpayer.name.clone(), Style::BODY_BOLD)];
    addressee.extend(taxpayer.address_lines.iter().map(|line| (line.clone(), Style::BODY)));
    if let Some(identifier) = &taxpayer.identifier {
        addressee.push((identifier.clone(), Style::SMALL));
    }
    flow.columns(&[Column::lines(92, 76, Align::Left, addressee)], false);
    flow.space_mm(10);

    flow.paragraph(&format!("DECYZJA nr {}", decision.number), Style::TITLE, Align::Center);
    flow.space_half_mm(2);
    flow.paragraph(&decision_subject(decision.kind, decision.year), Style::SUBTITLE, Align::Center);
    flow.space_mm(7);

    // Operative part.
    let mut basis = legal_basis_pl(decision.kind);
    for resolution in &decision.resolutions {
        basis.push_str(", ");
        basis.push_str(resolution);
    }
    flow.paragraph(&format!("Na podstawie {basis}"), Style::BODY, Align::Left);
    flow.space_mm(3);
    flow.paragraph(&format!("{} {}", municipality.authority, operative_verb(decision.kind)), Style::BODY_BOLD, Align::Center);
    flow.space_mm(3);
    flow.paragraph(
        &format!("wysokość {subject} na rok {} w kwocie {}.", decision.year, format_amount_pl(decision.total)),
        Style::BODY,
        Align::Left,
    );
    flow.space_mm(5);

    // The basis of assessment.
    flow.heading(if decision.kind.is_tax() { "Podstawa opodatkowania i wyliczenie podatku" } else { "Podstawa i wyliczenie opłaty" });
    let mut rows: Vec<(RowKind, Vec<String>)> = decision
        .basis
        .iter()
        .enumerate()
        .map(|(index, line)| {
            (
                RowKind::Body,
                vec![
                    format!("{}.", index + 1),
                    line.category.clone(),
                    format_decimal_pl(line.quantity),
                    line.unit.clone(),
                    format_decimal_pl(line.rate),
                    format_amount_pl_bare(line.amount),
                ],
            )
        })
        .collect();
    rows.push((
        RowKind::Total,
        vec![
            String::new(),
            format!("Kwota {subject} na rok {}", decision.year),
            String::new(),
            String::new(),
            String::new(),
            format_amount_pl_bare(decision.total),
        ],
    ));
    flow.table(&Table {
        width_mm: None,
        columns: vec![
            TableColumn { weight: 7, align: Align::Left },
            TableColumn { weight: 50, align: Align::Left },
            TableColumn { weight: 15, align: Align::Right },
            TableColumn { weight: 10, align: Align::Left },
            TableColumn { weight: 13, align: Align::Right },
            TableColumn { weight: 17, align: Align::Right },
        ],
        header: [
            "Lp.",
            if decision.kind.is_tax() { "Przedmiot opodatkowania" } else { "Wyszczególnienie" },
            "Podstawa",
            "J.m.",
            "Stawka (zł)",
            "Kwota (zł)",
        ]
        .map(str::to_owned)
        .to_vec(),
        rows,
    });
    if decision.kind.rounds_to_zloty() {
        flow.space_half_mm(2);
        flow.paragraph("Kwotę podatku zaokrąglono do pełnych złotych (art. 63 § 1 Ordynacji podatkowej).", Style::SMALL, Align::Left);
    }
    flow.space_mm(5);

    // The installment schedule.
    if !decision.installments.is_empty() {
        flow.heading("Terminy płatności");
        let intro = if decision.installments.len() == 1 {
            format!("Kwotę {subject} należy wpłacić jednorazowo w terminie:")
        } else {
            format!("Kwotę {subject} należy wpłacić w następujących ratach:")
        };
        flow.lead(&intro, Style::BODY);
        flow.space_half_mm(3);
        flow.table(&Table {
            width_mm: Some(110),
            columns: vec![
                TableColumn { weight: 22, align: Align::Left },
                TableColumn { weight: 40, align: Align::Left },
                TableColumn { weight: 38, align: Align::Right },
            ],
            header: ["Rata", "Termin płatności", "Kwota raty"].map(str::to_owned).to_vec(),
            rows: decision
                .installments
                .iter()
                .map(|line| (RowKind::Body, vec![format!("{}", line.number), format_date_pl(line.due_date), format_amount_pl(line.amount)]))
                .chain(std::iter::once((
                    RowKind::Total,
                    vec!["Razem".to_owned(), String::new(), format_amount_pl(decision.installments.iter().map(|line| line.amount).sum())],
                )))
                .collect(),
        });
        flow.space_mm(5);
    }

    // How to pay.
    flow.heading("Sposób zapłaty");
    let payment = &decision.payment;
    let mut how = vec![
        ("Wpłaty należy dokonywać na indywidualny rachunek bankowy:".to_owned(), Style::SMALL),
        (payment.account.formatted(), Style::LARGE_BOLD),
        (String::new(), Style::SMALL),
        (format!("Odbiorca: {}", payment.recipient), Style::BODY),
        (format!("Tytuł przelewu: {}", payment.title), Style::BODY),
        (String::new(), Style::SMALL),
        (
            "Rachunek jest przypisany do podatnika wskazanego w decyzji, dlatego wpłata zostanie rozpoznana automatycznie.".to_owned(),
            Style::SMALL,
        ),
    ];
    let mut columns = Vec::new();
    match qr {
        Some(symbol) => {
            how.push((
                "Dane do przelewu zawiera kod QR obok (standard ZBP): wystarczy zeskanować go w aplikacji banku.".to_owned(),
                Style::SMALL,
            ));
            columns.push(Column::lines(4, 114, Align::Left, how));
            columns.push(Column {
                left_mm: 124,
                width_mm: 40,
                align: Align::Center,
                content: Content::Qr(symbol, Some("Kod QR do przelewu".to_owned())),
            });
        }
        None => columns.push(Column::lines(4, 160, Align::Left, how)),
    }
    flow.columns(&columns, true);
    flow.space_mm(3);
    flow.paragraph(
        "Od należności niezapłaconej w terminie nalicza się odsetki za zwłokę (art. 53 Ordynacji podatkowej); \
         niezapłacona należność podlega egzekucji w trybie przepisów o postępowaniu egzekucyjnym w administracji.",
        Style::SMALL,
        Align::Left,
    );
    flow.space_mm(5);

    if let Some(justification) = &decision.justification {
        flow.heading("Uzasadnienie");
        flow.paragraph(justification, Style::BODY, Align::Left);
        flow.space_mm(5);
    }

    flow.heading("Pouczenie");
    flow.paragraph(
        &format!(
            "Od niniejszej decyzji przysługuje odwołanie do Samorządowego Kolegium Odwoławczego w {} w terminie 14 dni \
             od dnia jej doręczenia, za pośrednictwem {}. Wniesienie odwołania nie wstrzymuje wykonania decyzji \
             (art. 224 § 1 Ordynacji podatkowej).",
            municipality.appeal_board_seat, municipality.authority_genitive
        ),
        Style::BODY,
        Align::Left,
    );
    flow.space_mm(12);

    // Signature on the right, distribution list on the left.
    flow.columns(
        &[
            Column::lines(
                0,
                60,
                Align::Left,
                vec![
                    ("Otrzymują:".to_owned(), Style::SMALL_BOLD),
                    ("1. Adresat".to_owned(), Style::SMALL),
                    ("2. a/a".to_owned(), Style::SMALL),
                ],
            ),
            Column::lines(
                92,
                76,
                Align::Center,
                vec![(decision.signatory.position.clone(), Style::SMALL), (decision.signatory.name.clone(), Style::BODY_BOLD)],
            ),
        ],
        false,
    );

    flow.finish(&Meta {
        title: format!("Decyzja nr {}", decision.number),
        subject: decision_subject(decision.kind, decision.year),
        author: municipality.name.clone(),
        document_id: format!("decision:{}", decision.number),
        date: decision.issue_date,
    })
}

fn check(decision: &Decision) -> Result<(), DocumentError> {
    if decision.kind.rounds_to_zloty() && decision.total.round_to_zloty() != decision.total {
        return Err(DocumentError::TaxTotalNotRounded(decision.total));
    }
    if !decision.installments.is_empty() {
        let sum: Amount = decision.installments.iter().map(|line| line.amount).sum();
        if sum != decision.total {
            return Err(DocumentError::InstallmentsDoNotAddUp { total: decision.total, sum });
        }
    }
    Ok(())
}
