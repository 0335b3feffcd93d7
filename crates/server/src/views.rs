//! From the store's books and the domain engine's state to the API's responses. No rule lives
//! here: the numbers come from `domain`; this only groups and names them.

use api_types as api;
use domain::Amount;
use domain::interest::{InterestRules, LateInterest, accrued_interest, four_places};
use domain::ledger::{InstallmentState, InstallmentStatus, LedgerState};
use store::entities::{allocation, basis_item, document, obligation, payment};
use store::{TaxpayerBooks, Uuid, money};

use crate::error::ApiError;

/// Totals over a set of installments (and the reminder costs that belong to them).
pub fn totals<'a>(installments: impl IntoIterator<Item = &'a InstallmentState>, reminder_costs: Amount) -> api::Totals {
    let mut due = Amount::ZERO;
    let mut overdue = Amount::ZERO;
    let mut interest = Amount::ZERO;
    let mut next: Option<(time::Date, Amount)> = None;
    for i in installments {
        interest = interest + i.interest_owed;
        match i.status {
            InstallmentStatus::Overdue => overdue = overdue + i.principal_outstanding,
            InstallmentStatus::Open => {
                due = due + i.principal_outstanding;
                next = match next {
                    Some((day, amount)) if day == i.effective_due_date => Some((day, amount + i.principal_outstanding)),
                    Some((day, amount)) if day < i.effective_due_date => Some((day, amount)),
                    _ => Some((i.effective_due_date, i.principal_outstanding)),
                };
            }
            InstallmentStatus::Paid => {}
        }
    }
    api::Totals {
        due,
        overdue,
        interest_today: interest,
        reminder_costs,
        to_pay_today: overdue + interest + reminder_costs,
        next_due_date: next.map(|(d, _)| d),
        next_due_amount: next.map(|(_, a)| a),
    }
}

fn status_of<'a>(installments: impl IntoIterator<Item = &'a InstallmentState>) -> api::ObligationStatus {
    let mut status = api::ObligationStatus::Paid;
    for i in installments {
        match i.status {
            InstallmentStatus::Overdue => return api::ObligationStatus::Overdue,
            InstallmentStatus::Open => status = api::ObligationStatus::Open,
            InstallmentStatus::Paid => {}
        }
    }
    status
}

pub fn installment_status(status: InstallmentStatus) -> api::ObligationStatus {
    match status {
        InstallmentStatus::Paid => api::ObligationStatus::Paid,
        InstallmentStatus::Open => api::ObligationStatus::Open,
        InstallmentStatus::Overdue => api::ObligationStatus::Overdue,
    }
}

/// The installments of one obligation in the ledger state.
pub fn installments_of(state: &LedgerState, obligation_id: Uuid) -> impl Iterator<Item = &InstallmentState> {
    let id = obligation_id.to_string();
    state.installments.iter().filter(move |i| i.obligation == id)
}

/// Reminder costs still owed on the state's day that belong to an obligation (or to none: `None`).
pub fn reminder_costs_owed(books: &TaxpayerBooks, state: &LedgerState, obligation_id: Option<Uuid>) -> Result<Amount, ApiError> {
    // The ledger reports reminder costs in total; per obligation we recompute from what payments
    // took. Costs are paid oldest first, so the unpaid ones are the newest.
    let mut paid_total: Amount = state
        .allocations
        .iter()
        .flat_map(|a| &a.lines)
        .filter_map(|l| match l {
            domain::ledger::AllocationLine::ReminderCost { amount, .. } => Some(*amount),
            domain::ledger::AllocationLine::Installment { .. } => None,
        })
        .sum();
    let mut costs: Vec<_> = books.reminder_costs.iter().filter(|c| c.delivered <= state.day).collect();
    costs.sort_by_key(|c| c.delivered);
    let mut owed = Amount::ZERO;
    for c in costs {
        let amount = money(c.amount_grosze)?;
        let covered = paid_total.min(amount);
        paid_total = paid_total.checked_sub(covered).unwrap_or(Amount::ZERO);
        if obligation_id.is_none() || c.obligation_id == obligation_id {
            owed = owed + amount.checked_sub(covered).unwrap_or(Amount::ZERO);
        }
    }
    Ok(owed)
}

pub fn obligation_summary(o: &obligation::Model, books: &TaxpayerBooks, state: &LedgerState) -> Result<api::ObligationSummary, ApiError> {
    let installments: Vec<&InstallmentState> = installments_of(state, o.id).collect();
    let costs = reminder_costs_owed(books, state, Some(o.id))?;
    let amount = money(o.amount_grosze)?;
    let paid: Amount = installments.iter().map(|i| i.principal_paid).sum();
    Ok(api::ObligationSummary {
        id: o.id,
        kind: o.kind.clone(),
        year: o.year,
        title: o.title.clone(),
        decision_number: o.decision_number.clone(),
        decision_date: o.decision_date,
        amount,
        paid,
        status: status_of(installments.iter().copied()),
        totals: totals(installments.iter().copied(), costs),
        data_as_of: o.synced_at,
    })
}

pub fn interest_result(result: &LateInterest) -> api::InterestResult {
    api::InterestResult {
        interest: result.interest,
        computed: result.computed,
        exact: four_places(result.exact()).to_string(),
        charged: result.charged,
        effective_due: result.effective_due_date,
        threshold: api::Threshold { amount: result.threshold, mode: result.threshold_mode.to_string() },
        periods: result
            .periods
            .iter()
            .map(|p| api::InterestPeriod {
                from: p.from,
                to: p.to,
                days: p.days,
                rate: p.rate().to_string(),
                amount: four_places(p.amount()).to_string(),
            })
            .collect(),
        warnings: result.warnings.iter().map(ToString::to_string).collect(),
    }
}

/// One installment with the explanation of the interest accruing on it today. The accrual starts
/// after the last payment that touched it (or after the effective due date).
pub fn installment_view(
    rules: &InterestRules<'_>,
    state: &LedgerState,
    i: &InstallmentState,
    number: i32,
    rate: domain::rates::RateKind,
) -> Result<api::InstallmentView, ApiError> {
    let last_touch = state
        .allocations
        .iter()
        .filter(|a| a.date > i.effective_due_date)
        .filter(|a| a.lines.iter().any(|l| matches!(l, domain::ledger::AllocationLine::Installment { id, .. } if *id == i.id)))
        .map(|a| a.date)
        .max();
    let interest = if i.status == InstallmentStatus::Overdue && !i.principal_outstanding.is_zero() {
        let accrues_after = last_touch.unwrap_or(i.effective_due_date);
        Some(interest_result(
            &accrued_interest(rules, i.principal_outstanding, accrues_after, state.day, rate)
                .map_err(|e| ApiError::Internal(e.to_string()))?,
        ))
    } else {
        None
    };
    Ok(api::InstallmentView {
        id: i.id.parse().map_err(|_| ApiError::Internal("installment id".into()))?,
        number,
        due_date: i.due_date,
        effective_due_date: i.effective_due_date,
        amount: i.amount,
        principal_paid: i.principal_paid,
        principal_outstanding: i.principal_outstanding,
        interest_paid: i.interest_paid,
        interest_owed: i.interest_owed,
        status: installment_status(i.status),
        interest,
    })
}

pub fn basis_view(b: &basis_item::Model) -> Result<api::BasisItem, ApiError> {
    Ok(api::BasisItem {
        category: b.category.clone(),
        quantity: b.quantity.clone(),
        unit: b.unit.clone(),
        rate: b.rate.clone(),
        amount: money(b.amount_grosze)?,
        resolution: b.resolution.clone(),
    })
}

pub fn document_view(d: &document::Model) -> api::DocumentInfo {
    api::DocumentInfo {
        id: d.id,
        kind: d.kind.clone(),
        file_name: d.file_name.clone(),
        media_type: d.media_type.clone(),
        sha256: d.sha256.clone(),
    }
}

/// A payment with its stored allocation lines; `installment_obligation` maps installment → obligation.
pub fn payment_view(
    p: &payment::Model,
    lines: &[allocation::Model],
    installment_obligation: &dyn Fn(Uuid) -> Option<Uuid>,
) -> Result<api::PaymentView, ApiError> {
    let allocations = lines
        .iter()
        .filter(|l| l.installment_id.is_some() || l.reminder_cost_id.is_some())
        .map(|l| {
            Ok(api::AllocationView {
                installment_id: l.installment_id,
                obligation_id: l.installment_id.and_then(installment_obligation),
                principal: money(l.principal_grosze)?,
                interest: money(l.interest_grosze)?,
                reminder_costs: money(l.reminder_costs_grosze)?,
            })
        })
        .collect::<Result<Vec<_>, ApiError>>()?;
    let overpayment = lines.iter().map(|l| money(l.overpayment_grosze)).sum::<Result<Amount, _>>()?;
    Ok(api::PaymentView {
        id: p.id,
        source: p.source.clone(),
        status: p.status.clone(),
        payment_date: p.payment_date,
        booking_date: p.booking_date,
        amount: money(p.amount_grosze)?,
        reference: p.reference.clone(),
        gateway_transaction_id: p.gateway_transaction_id.clone(),
        allocations,
        overpayment,
        created_at: p.created_at,
        provisional: false,
    })
}

/// Marks the payments whose allocation is provisional: the portal booked them, a connected domain
/// system that owns the bookings keeps the taxpayer's books, and its booking has not come back.
pub async fn mark_provisional(store: &store::Store, views: &mut [api::PaymentView]) -> Result<(), ApiError> {
    let ids: Vec<Uuid> = views.iter().map(|v| v.id).collect();
    let provisional = store.provisional_payments(&ids).await?;
    for view in views {
        view.provisional = provisional.contains(&view.id);
    }
    Ok(())
}

/// "PESEL •••••••1234" / "NIP 1234563218": enough to recognise, not enough to copy.
pub fn masked_identifier(pesel: Option<&str>, nip: Option<&str>) -> String {
    match (pesel, nip) {
        (Some(p), _) if p.len() == 11 => format!("PESEL •••••••{}", &p[7..]),
        (_, Some(n)) => format!("NIP {n}"),
        _ => String::new(),
    }
}
