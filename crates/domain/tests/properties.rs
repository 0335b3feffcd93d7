//! Property tests of the domain engine's invariants.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "test code: a failed unwrap is a failed test")]

use domain::Amount;
use domain::calendar::Calendar;
use domain::interest::{InterestRules, ThresholdMode, late_interest};
use domain::ledger::{Ledger, LedgerInstallment, LedgerPayment, ReminderCost, proportional_split};
use domain::rates::{RateKind, RateTable};
use proptest::prelude::*;
use time::{Date, Duration};

fn day(offset: i64) -> Date {
    time::macros::date!(2019 - 01 - 01) + Duration::days(offset)
}

fn money(max_grosze: i64) -> impl Strategy<Value = Amount> {
    (0..=max_grosze).prop_map(|g| Amount::from_grosze(g).unwrap())
}

prop_compose! {
    fn ledgers()(
        installments in prop::collection::vec((0..3usize, 0..2800i64, 1..2_000_000i64), 1..8),
        payments in prop::collection::vec((0..2900i64, 1..3_000_000i64, prop::option::of(0..3usize)), 0..6),
        costs in prop::collection::vec(0..2900i64, 0..2),
    ) -> Ledger {
        Ledger {
            installments: installments.iter().enumerate().map(|(n, &(o, due, g))| LedgerInstallment {
                id: format!("i{n}"),
                obligation: format!("o{o}"),
                kind: None,
                due_date: day(due),
                amount: Amount::from_grosze(g).unwrap(),
                rate: RateKind::Standard,
            }).collect(),
            payments: payments.iter().map(|&(d, g, o)| LedgerPayment {
                id: None,
                date: day(d),
                amount: Amount::from_grosze(g).unwrap(),
                // Only indicate obligations that exist.
                obligation: o.filter(|&o| installments.iter().any(|i| i.0 == o)).map(|o| format!("o{o}")),
            }).collect(),
            reminder_costs: costs.iter().map(|&d| ReminderCost { id: None, delivered: day(d), amount: None }).collect(),
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Allocation never creates or loses a grosz: every payment's lines plus its overpayment equal
    /// its amount, and principal paid plus outstanding equals each installment.
    #[test]
    fn allocation_conserves_money(ledger in ledgers(), on in 0..3000i64) {
        let rates = RateTable::shipped();
        let calendar = Calendar::statutory();
        let rules = InterestRules::new(&rates, &calendar);
        let state = ledger.state_on(&rules, day(on)).unwrap();
        for allocation in &state.allocations {
            let lines: Amount = allocation.lines.iter().map(|l| l.total()).sum();
            prop_assert_eq!(lines + allocation.overpayment, allocation.amount);
        }
        for (i, s) in ledger.installments.iter().zip(&state.installments) {
            prop_assert_eq!(s.principal_paid + s.principal_outstanding, i.amount);
        }
    }

    /// Paying the quoted amount for "everything" on a day leaves nothing owed and no overpayment.
    #[test]
    fn paying_the_quote_clears_the_ledger(ledger in ledgers(), on in 0..3000i64) {
        let rates = RateTable::shipped();
        let calendar = Calendar::statutory();
        let rules = InterestRules::new(&rates, &calendar);
        let state = ledger.state_on(&rules, day(on)).unwrap();
        prop_assume!(!state.totals.to_pay_all.is_zero());
        let quote = ledger.quote(&rules, day(on), Some((state.totals.to_pay_all, None))).unwrap();
        let after = quote.after_payment.unwrap();
        prop_assert_eq!(after.totals.to_pay_all, Amount::ZERO);
        prop_assert_eq!(quote.payment.unwrap().overpayment, Amount::ZERO);
    }

    /// Interest never decreases as the payment day moves later (in both threshold modes).
    #[test]
    fn interest_is_monotonic_in_the_payment_day(principal in money(1_000_000_000), due in 0..2500i64, paid in 0..2900i64, later in 0..400i64, exact in any::<bool>()) {
        let rates = RateTable::shipped();
        let calendar = Calendar::statutory();
        let mode = if exact { ThresholdMode::Exact } else { ThresholdMode::Rounded };
        let rules = InterestRules::new(&rates, &calendar).with_threshold_mode(mode);
        let early = late_interest(&rules, principal, day(due), day(paid), RateKind::Standard, true).unwrap();
        let late = late_interest(&rules, principal, day(due), day(paid + later), RateKind::Standard, true).unwrap();
        prop_assert!(late.exact() >= early.exact());
        prop_assert!(late.computed >= early.computed);
        prop_assert!(late.interest >= early.interest);
    }

    /// The art. 55 § 2 split adds up and never gives more than what is owed to either part.
    #[test]
    fn proportional_split_adds_up(a in money(100_000_000), i in money(10_000_000), p in money(110_000_000)) {
        prop_assume!(p < a + i);
        let (principal, interest) = proportional_split(p, a, i);
        prop_assert_eq!(principal + interest, p);
        prop_assert!(principal <= a && interest <= i);
    }
}
