//! Values a portfolio of 1,000,000 installments (due dates 2019–2026, payment days spread over the
//! rate changes, 1–12 periods each). Target (issue 2): the whole portfolio in under 0.5 s on one core.

use std::hint::black_box;
use std::time::Duration as StdDuration;

use criterion::{Criterion, criterion_group, criterion_main};
use domain::Amount;
use domain::calendar::Calendar;
use domain::interest::{InterestRules, late_interest};
use domain::rates::{RateKind, RateTable};
use time::{Date, Duration};

const PORTFOLIO: usize = 1_000_000;

/// A deterministic portfolio: a 64-bit LCG, so every run values the same installments.
fn portfolio() -> Vec<(Amount, Date, Date)> {
    let mut state: u64 = 0x2545_F491_4F6C_DD1D;
    let mut next = move |bound: u64| {
        state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (state >> 33) % bound
    };
    let start = time::macros::date!(2019 - 01 - 01);
    (0..PORTFOLIO)
        .map(|_| {
            let due = start + Duration::days(i64::try_from(next(8 * 365)).unwrap_or(0));
            let paid = due + Duration::days(1 + i64::try_from(next(1400)).unwrap_or(0));
            let principal = Amount::from_grosze(i64::try_from(1_000 + next(5_000_000)).unwrap_or(0)).unwrap_or(Amount::ZERO);
            (principal, due, paid)
        })
        .collect()
}

fn value_portfolio(c: &mut Criterion) {
    let rates = RateTable::shipped();
    let calendar = Calendar::statutory();
    let rules = InterestRules::new(&rates, &calendar);
    let installments = portfolio();
    let periods: Vec<usize> = installments
        .iter()
        .map(|&(p, d, paid)| late_interest(&rules, p, d, paid, RateKind::Standard, true).map_or(0, |r| r.periods.len()))
        .collect();
    let (min, max, total) = (periods.iter().min(), periods.iter().max(), periods.iter().sum::<usize>());
    println!("portfolio: {PORTFOLIO} installments, {total} rate periods (min {min:?}, max {max:?} per installment)");
    let mut group = c.benchmark_group("interest");
    group.sample_size(10).measurement_time(StdDuration::from_secs(10));
    group.bench_function("value 1M installments", |b| {
        b.iter(|| {
            let mut total = Amount::ZERO;
            for &(principal, due, paid) in &installments {
                if let Ok(result) = late_interest(&rules, principal, due, paid, RateKind::Standard, true) {
                    total = total + result.interest;
                }
            }
            black_box(total)
        });
    });
    group.finish();
}

criterion_group!(benches, value_portfolio);
criterion_main!(benches);
