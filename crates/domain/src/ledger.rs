//! A taxpayer's ledger: installments, payments and reminder costs, and its state on any day.
//!
//! Payments are allocated in date order by the Ordynacja podatkowa:
//! 1. koszty upomnienia first (art. 62 § 1a OP, since 2016);
//! 2. the oldest arrear of the indicated tax, else the oldest arrear of all (art. 62 § 1 and § 3);
//! 3. with no arrears left, the indicated obligation, else the earliest due installment
//!    (art. 62 § 1, first sentence); what is still left is an overpayment (nadpłata, art. 72);
//! 4. a payment that does not cover an arrear with its interest is split between them in the
//!    ratio they stand in on the payment day (art. 55 § 2 OP, tax-rules.md §8.4): interest part =
//!    payment × I / (A + I) rounded half-up to the grosz, the rest to principal. The remaining
//!    principal accrues again from the next day; the unpaid interest stays owed without interest.
//!
//! Interest on each stretch of an arrear is charged when a payment closes it, rounded to full
//! złoty with the threshold applied per arrear (art. 54 § 1 pkt 5, art. 63 § 1 OP; tax-rules.md
//! §8.2): each installment is its own arrear, and each payment is a moment the interest is charged.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};
use time::Date;

use crate::interest::{InterestError, InterestRules, InterestWarning, accrued_interest};
use crate::money::Amount;
use crate::obligation::ObligationKind;
use crate::rates::RateKind;

/// One installment of an obligation, as in the decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LedgerInstallment {
    /// Unique within the ledger, e.g. "property-2025/1".
    pub id: String,
    /// The obligation the installment belongs to; payments may indicate it.
    pub obligation: String,
    /// The kind of tax or fee. Art. 62 § 1 looks for arrears "in the indicated tax": installments
    /// of the same kind count as the same tax; without a kind, only the same obligation does.
    #[serde(default)]
    pub kind: Option<ObligationKind>,
    pub due_date: Date,
    pub amount: Amount,
    #[serde(default)]
    pub rate: RateKind,
}

/// Money received, with its legal payment date (art. 60 OP).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LedgerPayment {
    #[serde(default)]
    pub id: Option<String>,
    pub date: Date,
    pub amount: Amount,
    /// The obligation the payer indicated, if any.
    #[serde(default)]
    pub obligation: Option<String>,
}

/// Koszty upomnienia, owed from the delivery of the upomnienie (art. 15 § 2 upea).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReminderCost {
    #[serde(default)]
    pub id: Option<String>,
    pub delivered: Date,
    /// Defaults to the statutory amount on the delivery day, see [`reminder_cost_on`].
    #[serde(default)]
    pub amount: Option<Amount>,
}

/// The statutory koszty upomnienia: 16.00 zł from 2021-10-13 (rozporządzenie MFFiPR z 05.01.2021,
/// Dz.U. 2021 poz. 67), 11.60 zł before (Dz.U. 2015 poz. 1526). tax-rules.md §3.6.
pub fn reminder_cost_on(day: Date) -> Amount {
    if day >= time::macros::date!(2021 - 10 - 13) { Amount::from_zloty(16) } else { Amount::from_grosze(1160).unwrap_or(Amount::ZERO) }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ledger {
    pub installments: Vec<LedgerInstallment>,
    #[serde(default)]
    pub payments: Vec<LedgerPayment>,
    #[serde(default)]
    pub reminder_costs: Vec<ReminderCost>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LedgerError {
    #[error("installment id {0:?} appears twice")]
    DuplicateInstallment(String),
    #[error("payment indicates obligation {0:?}, which has no installments")]
    UnknownObligation(String),
    #[error(transparent)]
    Interest(#[from] InterestError),
}

/// Where part of a payment went.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "to", rename_all = "snake_case")]
pub enum AllocationLine {
    ReminderCost { index: usize, amount: Amount },
    Installment { id: String, principal: Amount, interest: Amount },
}

impl AllocationLine {
    pub fn total(&self) -> Amount {
        match self {
            AllocationLine::ReminderCost { amount, .. } => *amount,
            AllocationLine::Installment { principal, interest, .. } => *principal + *interest,
        }
    }
}

/// How one payment was allocated. The lines and the overpayment add up to the amount exactly.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Allocation {
    /// The payment's id, as given in the ledger.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_id: Option<String>,
    pub date: Date,
    pub amount: Amount,
    pub lines: Vec<AllocationLine>,
    pub overpayment: Amount,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InstallmentStatus {
    Paid,
    /// Not yet due on the day.
    Open,
    /// Past its effective due date with principal or interest unpaid.
    Overdue,
}

/// An installment on a given day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InstallmentState {
    pub id: String,
    pub obligation: String,
    pub due_date: Date,
    pub effective_due_date: Date,
    pub amount: Amount,
    pub principal_paid: Amount,
    pub principal_outstanding: Amount,
    pub interest_paid: Amount,
    /// Interest left unpaid by earlier partial payments; it bears no interest.
    pub interest_carried: Amount,
    /// Interest on the outstanding principal up to the day, as it would be charged if paid then.
    pub interest_accruing: Amount,
    /// `interest_carried + interest_accruing`.
    pub interest_owed: Amount,
    pub status: InstallmentStatus,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedgerTotals {
    pub principal_outstanding: Amount,
    pub overdue_principal: Amount,
    pub interest_owed: Amount,
    pub reminder_costs_owed: Amount,
    /// Everything overdue with interest and reminder costs: what clears the arrears on the day.
    pub to_pay_overdue: Amount,
    /// Everything, including installments not yet due: what clears the ledger on the day.
    pub to_pay_all: Amount,
    pub overpayment: Amount,
    pub next_due_date: Option<Date>,
}

/// The ledger on a day, after every payment made up to and including it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedgerState {
    pub day: Date,
    pub installments: Vec<InstallmentState>,
    pub allocations: Vec<Allocation>,
    pub totals: LedgerTotals,
    pub warnings: Vec<InterestWarning>,
}

/// The state on a day and, for a proposed payment, what it would do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quote {
    pub state: LedgerState,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub payment: Option<Allocation>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub after_payment: Option<LedgerState>,
}

/// Working state of one installment while payments are replayed.
#[derive(Debug, Clone)]
struct Running {
    effective_due_date: Date,
    principal_outstanding: Amount,
    principal_paid: Amount,
    interest_paid: Amount,
    interest_carried: Amount,
    /// Interest accrues for the days after this one.
    accrues_after: Date,
}

impl Ledger {
    /// The ledger on `day`: payments dated up to `day` are allocated (in date order, same-day
    /// payments in the order given), interest is valued for a payment on `day`.
    pub fn state_on(&self, rules: &InterestRules<'_>, day: Date) -> Result<LedgerState, LedgerError> {
        self.validate()?;
        let mut running: Vec<Running> = self
            .installments
            .iter()
            .map(|i| {
                let effective_due_date = rules.calendar.effective_due_date(i.due_date);
                Running {
                    effective_due_date,
                    principal_outstanding: i.amount,
                    principal_paid: Amount::ZERO,
                    interest_paid: Amount::ZERO,
                    interest_carried: Amount::ZERO,
                    accrues_after: effective_due_date,
                }
            })
            .collect();
        let mut costs: Vec<Amount> =
            self.reminder_costs.iter().map(|c| c.amount.unwrap_or_else(|| reminder_cost_on(c.delivered))).collect();
        let mut order: Vec<usize> = (0..self.payments.len()).filter(|&p| self.payments[p].date <= day).collect();
        order.sort_by_key(|&p| self.payments[p].date);
        let mut allocations = Vec::with_capacity(order.len());
        for p in order {
            allocations.push(self.allocate(rules, &self.payments[p], &mut running, &mut costs)?);
        }
        self.summarize(rules, day, &running, &costs, allocations)
    }

    /// The state on `day` and, with `pay`, the allocation of that amount paid on `day` (indicating
    /// `indicated`, if given) and the state after it.
    pub fn quote(&self, rules: &InterestRules<'_>, day: Date, pay: Option<(Amount, Option<String>)>) -> Result<Quote, LedgerError> {
        let state = self.state_on(rules, day)?;
        let Some((amount, obligation)) = pay else {
            return Ok(Quote { state, payment: None, after_payment: None });
        };
        let mut with_payment = self.clone();
        // Later payments do not exist yet on `day`; the proposed one comes after those of the day.
        with_payment.payments.retain(|p| p.date <= day);
        with_payment.payments.push(LedgerPayment { id: Some("proposed".into()), date: day, amount, obligation });
        let mut after = with_payment.state_on(rules, day)?;
        let payment = after.allocations.last().cloned();
        after.allocations.truncate(after.allocations.len().saturating_sub(1));
        Ok(Quote { state, payment, after_payment: Some(after) })
    }

    fn validate(&self) -> Result<(), LedgerError> {
        let mut ids = HashSet::new();
        for i in &self.installments {
            if !ids.insert(i.id.as_str()) {
                return Err(LedgerError::DuplicateInstallment(i.id.clone()));
            }
        }
        for p in &self.payments {
            if let Some(o) = &p.obligation
                && !self.installments.iter().any(|i| &i.obligation == o)
            {
                return Err(LedgerError::UnknownObligation(o.clone()));
            }
        }
        Ok(())
    }

    fn allocate(
        &self,
        rules: &InterestRules<'_>,
        payment: &LedgerPayment,
        running: &mut [Running],
        costs: &mut [Amount],
    ) -> Result<Allocation, LedgerError> {
        let day = payment.date;
        let mut left = payment.amount;
        let mut lines = Vec::new();

        // Art. 62 § 1a: reminder costs first, oldest delivery first.
        let mut cost_order: Vec<usize> = (0..costs.len()).filter(|&c| self.reminder_costs[c].delivered <= day).collect();
        cost_order.sort_by_key(|&c| self.reminder_costs[c].delivered);
        for c in cost_order {
            let paid = left.min(costs[c]);
            if !paid.is_zero() {
                costs[c] = costs[c] - paid;
                left = left - paid;
                lines.push(AllocationLine::ReminderCost { index: c, amount: paid });
            }
        }

        for target in self.allocation_order(payment, running) {
            if left.is_zero() {
                break;
            }
            let r = &mut running[target];
            let overdue = r.effective_due_date < day;
            let accrued = if overdue {
                accrued_interest(rules, r.principal_outstanding, r.accrues_after, day, self.installments[target].rate)?.interest
            } else {
                Amount::ZERO
            };
            let interest_due = r.interest_carried + accrued;
            let owed = r.principal_outstanding + interest_due;
            if owed.is_zero() {
                continue;
            }
            let (principal, interest) = if left >= owed {
                (r.principal_outstanding, interest_due)
            } else {
                proportional_split(left, r.principal_outstanding, interest_due)
            };
            r.principal_outstanding = r.principal_outstanding - principal;
            r.principal_paid = r.principal_paid + principal;
            r.interest_paid = r.interest_paid + interest;
            r.interest_carried = interest_due - interest;
            if overdue {
                r.accrues_after = day;
            }
            left = left - (principal + interest);
            lines.push(AllocationLine::Installment { id: self.installments[target].id.clone(), principal, interest });
        }
        Ok(Allocation { payment_id: payment.id.clone(), date: day, amount: payment.amount, lines, overpayment: left })
    }

    /// Installment indices in the order art. 62 § 1 OP takes them for this payment.
    fn allocation_order(&self, payment: &LedgerPayment, running: &[Running]) -> Vec<usize> {
        let day = payment.date;
        let indicated_kinds: Vec<Option<ObligationKind>> = match &payment.obligation {
            Some(o) => self.installments.iter().filter(|i| &i.obligation == o).map(|i| i.kind).collect(),
            None => Vec::new(),
        };
        let in_indicated_tax = |i: usize| {
            let inst = &self.installments[i];
            payment
                .obligation
                .as_ref()
                .is_some_and(|o| &inst.obligation == o || (inst.kind.is_some() && indicated_kinds.contains(&inst.kind)))
        };
        let in_indicated_obligation = |i: usize| payment.obligation.as_ref().is_some_and(|o| &self.installments[i].obligation == o);
        let by_due = |i: &usize| (running[*i].effective_due_date, *i);
        let mut arrears: Vec<usize> = (0..running.len()).filter(|&i| running[i].effective_due_date < day).collect();
        let mut current: Vec<usize> = (0..running.len()).filter(|&i| running[i].effective_due_date >= day).collect();
        arrears.sort_by_key(by_due);
        current.sort_by_key(by_due);
        let mut order: Vec<usize> = arrears.iter().copied().filter(|&i| in_indicated_tax(i)).collect();
        order.extend(arrears.iter().copied().filter(|&i| !in_indicated_tax(i)));
        order.extend(current.iter().copied().filter(|&i| in_indicated_obligation(i)));
        order.extend(current.iter().copied().filter(|&i| !in_indicated_obligation(i)));
        order
    }

    fn summarize(
        &self,
        rules: &InterestRules<'_>,
        day: Date,
        running: &[Running],
        costs: &[Amount],
        allocations: Vec<Allocation>,
    ) -> Result<LedgerState, LedgerError> {
        let mut warnings = Vec::new();
        let mut installments = Vec::with_capacity(running.len());
        for (inst, r) in self.installments.iter().zip(running) {
            let overdue = r.effective_due_date < day;
            let interest_accruing = if overdue {
                let accrued = accrued_interest(rules, r.principal_outstanding, r.accrues_after, day, inst.rate)?;
                for w in accrued.warnings {
                    if !warnings.contains(&w) {
                        warnings.push(w);
                    }
                }
                accrued.interest
            } else {
                Amount::ZERO
            };
            let interest_owed = r.interest_carried + interest_accruing;
            let status = if r.principal_outstanding.is_zero() && interest_owed.is_zero() {
                InstallmentStatus::Paid
            } else if overdue {
                InstallmentStatus::Overdue
            } else {
                InstallmentStatus::Open
            };
            installments.push(InstallmentState {
                id: inst.id.clone(),
                obligation: inst.obligation.clone(),
                due_date: inst.due_date,
                effective_due_date: r.effective_due_date,
                amount: inst.amount,
                principal_paid: r.principal_paid,
                principal_outstanding: r.principal_outstanding,
                interest_paid: r.interest_paid,
                interest_carried: r.interest_carried,
                interest_accruing,
                interest_owed,
                status,
            });
        }
        let sum = |f: &dyn Fn(&InstallmentState) -> Amount, only_overdue: bool| -> Amount {
            installments.iter().filter(|i| !only_overdue || i.status == InstallmentStatus::Overdue).map(f).sum()
        };
        let reminder_costs_owed: Amount = self.reminder_costs.iter().zip(costs).filter(|(c, _)| c.delivered <= day).map(|(_, a)| *a).sum();
        let interest_owed = sum(&|i| i.interest_owed, false);
        let overdue_principal = sum(&|i| i.principal_outstanding, true);
        let principal_outstanding = sum(&|i| i.principal_outstanding, false);
        let totals = LedgerTotals {
            principal_outstanding,
            overdue_principal,
            interest_owed,
            reminder_costs_owed,
            to_pay_overdue: overdue_principal + interest_owed + reminder_costs_owed,
            to_pay_all: principal_outstanding + interest_owed + reminder_costs_owed,
            overpayment: allocations.iter().map(|a| a.overpayment).sum(),
            next_due_date: installments.iter().filter(|i| i.status == InstallmentStatus::Open).map(|i| i.effective_due_date).min(),
        };
        Ok(LedgerState { day, installments, allocations, totals, warnings })
    }
}

/// Art. 55 § 2 OP with tax-rules.md §8.4: a payment below principal `a` + interest `i` is split in
/// their ratio; the interest part is rounded half-up to the grosz, the principal part is the rest.
/// Returns (principal, interest); they always add up to `payment`.
pub fn proportional_split(payment: Amount, a: Amount, i: Amount) -> (Amount, Amount) {
    let (p, a, i) = (i128::from(payment.grosze()), i128::from(a.grosze()), i128::from(i.grosze()));
    if a + i == 0 {
        return (Amount::ZERO, Amount::ZERO);
    }
    let interest = ((2 * p * i + (a + i)) / (2 * (a + i))).min(i).min(p);
    let principal = (p - interest).min(a);
    let to_amount = |g: i128| Amount::from_grosze(i64::try_from(g).unwrap_or(0)).unwrap_or(Amount::ZERO);
    (to_amount(principal), to_amount(p - principal))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::Calendar;
    use crate::rates::RateTable;
    use time::macros::date;

    fn amount(s: &str) -> Amount {
        s.parse().unwrap()
    }

    fn installment(id: &str, obligation: &str, due: Date, amount_: &str) -> LedgerInstallment {
        LedgerInstallment {
            id: id.into(),
            obligation: obligation.into(),
            kind: None,
            due_date: due,
            amount: amount(amount_),
            rate: RateKind::Standard,
        }
    }

    fn payment(day: Date, amount_: &str, obligation: Option<&str>) -> LedgerPayment {
        LedgerPayment { id: None, date: day, amount: amount(amount_), obligation: obligation.map(Into::into) }
    }

    /// tax-rules.md D13: 2 000 zł due 2025-03-15, 1 000 zł paid on 2025-09-30.
    #[test]
    fn d13_partial_payment() {
        let rates = RateTable::shipped();
        let cal = Calendar::statutory();
        let rules = InterestRules::new(&rates, &cal);
        let ledger = Ledger {
            installments: vec![installment("p/1", "p", date!(2025 - 03 - 15), "2000")],
            payments: vec![payment(date!(2025 - 09 - 30), "1000", None)],
            reminder_costs: vec![],
        };
        let state = ledger.state_on(&rules, date!(2025 - 12 - 31)).unwrap();
        assert_eq!(
            state.allocations[0].lines,
            vec![AllocationLine::Installment { id: "p/1".into(), principal: amount("932.40"), interest: amount("67.60") }]
        );
        let i = &state.installments[0];
        assert_eq!(
            (i.principal_outstanding, i.interest_carried, i.interest_accruing),
            (amount("1067.60"), amount("77.40"), amount("31.00"))
        );
        assert_eq!(i.interest_owed, amount("108.40"));
        assert_eq!(state.totals.to_pay_overdue, amount("1176.00"));
        // Paying that clears everything.
        let quote = ledger.quote(&rules, date!(2025 - 12 - 31), Some((amount("1176.00"), None))).unwrap();
        let after = quote.after_payment.unwrap();
        assert_eq!(after.totals.to_pay_all, Amount::ZERO);
        assert_eq!(quote.payment.unwrap().overpayment, Amount::ZERO);
    }

    #[test]
    fn reminder_costs_come_first() {
        let rates = RateTable::shipped();
        let cal = Calendar::statutory();
        let rules = InterestRules::new(&rates, &cal);
        let ledger = Ledger {
            installments: vec![installment("p/1", "p", date!(2025 - 03 - 15), "500")],
            payments: vec![payment(date!(2025 - 06 - 02), "100", None)],
            reminder_costs: vec![ReminderCost { id: None, delivered: date!(2025 - 05 - 20), amount: None }],
        };
        let state = ledger.state_on(&rules, date!(2025 - 06 - 02)).unwrap();
        let lines = &state.allocations[0].lines;
        assert_eq!(lines[0], AllocationLine::ReminderCost { index: 0, amount: amount("16.00") });
        // 84 zł left for 500 zł principal + 15 zł interest (2025-03-18 … 06-02: 51 d × 14.5 %, 26 d × 13.5 %
        // = 10.13 + 4.81 = 14.94 → 15): interest part 84 × 15 / 515 = 2.4466 → 2.45.
        assert_eq!(lines[1], AllocationLine::Installment { id: "p/1".into(), principal: amount("81.55"), interest: amount("2.45") });
        assert_eq!(reminder_cost_on(date!(2021 - 10 - 12)).to_string(), "11.60");
        assert_eq!(reminder_cost_on(date!(2021 - 10 - 13)).to_string(), "16.00");
    }

    /// Art. 62 § 1: the oldest arrear of the indicated tax, else the oldest arrear overall; with no
    /// arrears, the indicated obligation, else the earliest due.
    #[test]
    fn art_62_order() {
        let rates = RateTable::shipped();
        let cal = Calendar::statutory();
        let rules = InterestRules::new(&rates, &cal);
        let ledger = Ledger {
            installments: vec![
                installment("dog/1", "dog", date!(2026 - 03 - 16), "50"),
                installment("p/1", "p", date!(2026 - 03 - 16), "100"),
                installment("p/2", "p", date!(2026 - 05 - 15), "100"),
                installment("w/1", "w", date!(2026 - 04 - 15), "30"),
            ],
            payments: vec![],
            reminder_costs: vec![],
        };
        let day = date!(2026 - 03 - 18); // interest of 2 days is far below the threshold
        let targets = |pay: &str, o: Option<&str>| -> Vec<(String, String)> {
            let q = ledger.quote(&rules, day, Some((amount(pay), o.map(Into::into)))).unwrap();
            q.payment
                .unwrap()
                .lines
                .into_iter()
                .map(|l| match l {
                    AllocationLine::Installment { id, principal, .. } => (id, principal.to_string()),
                    AllocationLine::ReminderCost { .. } => unreachable!(),
                })
                .collect()
        };
        // Indicated "p": its arrear first, then the other arrear, then p's own next installment.
        assert_eq!(
            targets("170", Some("p")),
            vec![("p/1".into(), "100.00".into()), ("dog/1".into(), "50.00".into()), ("p/2".into(), "20.00".into())]
        );
        // Indicated "w" (no arrear in it): oldest arrear overall, in input order for equal dates.
        assert_eq!(targets("60", Some("w")), vec![("dog/1".into(), "50.00".into()), ("p/1".into(), "10.00".into())]);
        // Nothing indicated, everything cleared: the rest goes to the earliest due, then overpayment.
        let q = ledger.quote(&rules, day, Some((amount("300"), None))).unwrap();
        let payment = q.payment.unwrap();
        assert_eq!(payment.lines.len(), 4);
        assert_eq!(payment.overpayment, amount("20.00"));
        assert_eq!(q.after_payment.unwrap().totals.overpayment, amount("20.00"));
    }

    #[test]
    fn same_kind_counts_as_the_indicated_tax() {
        let rates = RateTable::shipped();
        let cal = Calendar::statutory();
        let rules = InterestRules::new(&rates, &cal);
        let mut old = installment("p2024/4", "p2024", date!(2024 - 11 - 15), "100");
        old.kind = Some(ObligationKind::PropertyTax);
        let mut dog = installment("dog2024/1", "dog2024", date!(2024 - 03 - 15), "100");
        dog.kind = Some(ObligationKind::DogFee);
        let mut current = installment("p2025/1", "p2025", date!(2025 - 03 - 15), "100");
        current.kind = Some(ObligationKind::PropertyTax);
        let ledger = Ledger { installments: vec![dog, old, current], payments: vec![], reminder_costs: vec![] };
        let q = ledger.quote(&rules, date!(2025 - 03 - 17), Some((amount("50"), Some("p2025".into())))).unwrap();
        // The 2024 property-tax arrear (same tax), not the older dog-fee arrear, nor the current one.
        assert!(matches!(&q.payment.unwrap().lines[0], AllocationLine::Installment { id, .. } if id == "p2024/4"));
    }

    #[test]
    fn state_before_and_after_due_date() {
        let rates = RateTable::shipped();
        let cal = Calendar::statutory();
        let rules = InterestRules::new(&rates, &cal);
        let ledger = Ledger {
            installments: vec![
                installment("p/1", "p", date!(2026 - 03 - 15), "1000"),
                installment("p/2", "p", date!(2026 - 05 - 15), "1000"),
            ],
            ..Ledger::default()
        };
        let s = ledger.state_on(&rules, date!(2026 - 03 - 16)).unwrap();
        assert_eq!(s.installments[0].status, InstallmentStatus::Open, "15 March 2026 is a Sunday");
        assert_eq!(
            (s.totals.to_pay_overdue, s.totals.to_pay_all, s.totals.next_due_date),
            (Amount::ZERO, amount("2000"), Some(date!(2026 - 03 - 16)))
        );
        let s = ledger.state_on(&rules, date!(2026 - 06 - 30)).unwrap();
        assert_eq!(s.installments.iter().map(|i| i.status).collect::<Vec<_>>(), [InstallmentStatus::Overdue, InstallmentStatus::Overdue]);
        // 1000 × (50 × 10.5 % + 56 × ... ) — checked against the interest module directly.
        let direct =
            crate::interest::late_interest(&rules, amount("1000"), date!(2026 - 03 - 15), date!(2026 - 06 - 30), RateKind::Standard, true)
                .unwrap();
        assert_eq!(s.installments[0].interest_owed, direct.interest);
        assert_eq!(s.totals.next_due_date, None);
    }

    #[test]
    fn rejects_inconsistent_ledgers() {
        let rates = RateTable::shipped();
        let cal = Calendar::statutory();
        let rules = InterestRules::new(&rates, &cal);
        let dup = Ledger {
            installments: vec![installment("a", "p", date!(2026 - 03 - 15), "1"), installment("a", "p", date!(2026 - 05 - 15), "1")],
            ..Ledger::default()
        };
        assert_eq!(dup.state_on(&rules, date!(2026 - 06 - 01)), Err(LedgerError::DuplicateInstallment("a".into())));
        let unknown = Ledger {
            installments: vec![installment("a", "p", date!(2026 - 03 - 15), "1")],
            payments: vec![payment(date!(2026 - 03 - 01), "1", Some("x"))],
            ..Ledger::default()
        };
        assert_eq!(unknown.state_on(&rules, date!(2026 - 06 - 01)), Err(LedgerError::UnknownObligation("x".into())));
    }

    #[test]
    fn split_examples() {
        assert_eq!(proportional_split(amount("1000"), amount("2000"), amount("145")), (amount("932.40"), amount("67.60")));
        assert_eq!(proportional_split(amount("0.01"), amount("100"), amount("100")), (Amount::ZERO, amount("0.01")));
        assert_eq!(proportional_split(amount("5"), Amount::ZERO, amount("10")), (Amount::ZERO, amount("5")));
        assert_eq!(proportional_split(amount("5"), amount("10"), Amount::ZERO), (amount("5"), Amount::ZERO));
    }
}
