//! Late-payment interest on tax arrears (odsetki za zwłokę): art. 53–56 and 63 OP and the
//! interest regulation (rozporządzenie MF z 22.08.2005, t.j. Dz.U. 2021 poz. 703).
//!
//! The computation is exact: per period `principal × days × rate / 365` is kept as an integer
//! numerator over one common denominator, the periods are summed, and only the sum is divided and
//! rounded once to full złoty (tax-rules.md §1.2, §8.3). No float ever touches an amount.

use std::fmt;
use std::str::FromStr;

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};
use time::Date;

use crate::calendar::Calendar;
use crate::money::Amount;
use crate::rates::{RateKind, RateTable};

/// Interest in złoty = grosze × days × (rate in thousandths of a percent) / DENOMINATOR:
/// 100 grosze × 100 percent × 1000 × 365 days. The year has 365 days, also in leap years
/// (interest regulation § 2).
const DENOMINATOR: i128 = 100 * 100 * 1000 * 365;
const GROSZE_DENOMINATOR: i128 = DENOMINATOR / 100;

/// How the art. 54 § 1 pkt 5 threshold is compared (tax-rules.md §8.2, a municipality setting).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ThresholdMode {
    /// The project's default: the amount that would be charged (rounded to full złoty) must exceed
    /// the threshold.
    #[default]
    Rounded,
    /// The unrounded sum must exceed the threshold.
    Exact,
}

impl FromStr for ThresholdMode {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "rounded" => Ok(ThresholdMode::Rounded),
            "exact" => Ok(ThresholdMode::Exact),
            other => Err(format!("unknown threshold mode {other:?} (rounded, exact)")),
        }
    }
}

impl fmt::Display for ThresholdMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ThresholdMode::Rounded => "rounded",
            ThresholdMode::Exact => "exact",
        })
    }
}

/// Everything an interest computation depends on besides the arrear itself.
#[derive(Debug, Clone, Copy)]
pub struct InterestRules<'a> {
    pub rates: &'a RateTable,
    pub calendar: &'a Calendar,
    pub threshold_mode: ThresholdMode,
}

impl<'a> InterestRules<'a> {
    pub fn new(rates: &'a RateTable, calendar: &'a Calendar) -> Self {
        InterestRules { rates, calendar, threshold_mode: ThresholdMode::default() }
    }

    pub fn with_threshold_mode(self, threshold_mode: ThresholdMode) -> Self {
        InterestRules { threshold_mode, ..self }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InterestError {
    #[error("no interest rate is known for {0} (the rate table starts later)")]
    NoRate(Date),
    #[error("the {kind} rate does not exist on {day} (art. 56b OP: only from 2016-01-01)")]
    RateKindUnavailable { kind: RateKind, day: Date },
}

/// Something the reader of a result must know; it does not change the amount.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum InterestWarning {
    /// Tax-rules.md §8.1: the rates were checked up to this day; later NBP decisions may change them.
    RatesNotVerified { verified_up_to: Date, payment_date: Date },
}

impl fmt::Display for InterestWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InterestWarning::RatesNotVerified { verified_up_to, payment_date } => write!(
                f,
                "interest rates are verified up to {verified_up_to}; a later change of the NBP lombard rate would change the result for payment on {payment_date}"
            ),
        }
    }
}

/// One stretch of the delay with a constant rate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InterestPeriod {
    pub from: Date,
    pub to: Date,
    pub days: i64,
    /// Annual rate in thousandths of a percent (10.125 % → 10125).
    rate_milli: i64,
    numerator: i128,
}

impl InterestPeriod {
    /// The annual rate in percent, e.g. 14.5.
    pub fn rate(&self) -> Decimal {
        Decimal::new(self.rate_milli, 3).normalize()
    }

    /// The exact (unrounded) interest of this period in złoty.
    pub fn amount(&self) -> Decimal {
        exact_zloty(self.numerator)
    }
}

/// The interest on one arrear up to a payment day, with its explanation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LateInterest {
    /// The due date after art. 12 § 5 OP shifting (or as given, when shifting was not asked for).
    pub effective_due_date: Date,
    pub periods: Vec<InterestPeriod>,
    /// The exact sum rounded half-up to full złoty (art. 63 § 1 OP), before the threshold test.
    pub computed: Amount,
    pub threshold: Amount,
    pub threshold_mode: ThresholdMode,
    /// False when art. 54 § 1 pkt 5 OP waives the interest.
    pub charged: bool,
    /// What is owed: `computed` when charged, else zero.
    pub interest: Amount,
    pub warnings: Vec<InterestWarning>,
    numerator: i128,
}

impl LateInterest {
    /// The exact sum of the periods in złoty, unrounded (tax-rules.md §8.3).
    pub fn exact(&self) -> Decimal {
        exact_zloty(self.numerator)
    }

    /// Days of delay in all periods together.
    pub fn days(&self) -> i64 {
        self.periods.iter().map(|p| p.days).sum()
    }
}

fn exact_zloty(numerator: i128) -> Decimal {
    // The numerator stays below 10^24 for any amount Amount accepts, well inside Decimal's range;
    // the division by the 10-digit denominator keeps 28 significant digits.
    Decimal::from_i128_with_scale(numerator, 0) / Decimal::from_i128_with_scale(DENOMINATOR, 0)
}

/// Interest on `principal` due on `due_date` and paid on `payment_date` (art. 53 § 1 and § 4 OP):
/// it runs from the day after the due date — shifted by art. 12 § 5 when `shift_due_date` — up to
/// and including the payment day. A payment on or before the (effective) due date owes nothing.
pub fn late_interest(
    rules: &InterestRules<'_>,
    principal: Amount,
    due_date: Date,
    payment_date: Date,
    kind: RateKind,
    shift_due_date: bool,
) -> Result<LateInterest, InterestError> {
    let effective_due_date = if shift_due_date { rules.calendar.effective_due_date(due_date) } else { due_date };
    accrued_interest(rules, principal, effective_due_date, payment_date, kind)
}

/// Interest on `principal` for the days after `last_day_without_interest` up to and including
/// `payment_date`, with the rounding and threshold of one charge. The ledger uses this for the
/// remainder of a partly paid arrear, which accrues again from the day after the payment
/// (tax-rules.md §8.4).
pub fn accrued_interest(
    rules: &InterestRules<'_>,
    principal: Amount,
    last_day_without_interest: Date,
    payment_date: Date,
    kind: RateKind,
) -> Result<LateInterest, InterestError> {
    let (periods, numerator) = periods(rules.rates, principal, last_day_without_interest, payment_date, kind)?;
    let threshold = rules.rates.threshold_on(payment_date);
    let computed_zloty = (numerator * 2 + DENOMINATOR) / (DENOMINATOR * 2);
    let computed = Amount::from_grosze(i64::try_from(computed_zloty * 100).unwrap_or(i64::MAX)).unwrap_or(Amount::ZERO);
    let threshold_grosze = i128::from(threshold.grosze());
    // Art. 54 § 1 pkt 5 OP: not charged if it "would not exceed" the threshold.
    let charged = match rules.threshold_mode {
        ThresholdMode::Rounded => computed_zloty * 100 > threshold_grosze,
        ThresholdMode::Exact => numerator > threshold_grosze * GROSZE_DENOMINATOR,
    };
    let mut warnings = Vec::new();
    if payment_date > rules.rates.verified_up_to && !periods.is_empty() {
        warnings.push(InterestWarning::RatesNotVerified { verified_up_to: rules.rates.verified_up_to, payment_date });
    }
    Ok(LateInterest {
        effective_due_date: last_day_without_interest,
        periods,
        computed,
        threshold,
        threshold_mode: rules.threshold_mode,
        charged,
        interest: if charged { computed } else { Amount::ZERO },
        warnings,
        numerator,
    })
}

/// Splits the delay at every change of the rate of the chosen kind (art. 56c OP; the interest
/// regulation computes each period separately). Consecutive table rows with the same rate form one
/// period, so the explanation shows only real changes.
fn periods(
    rates: &RateTable,
    principal: Amount,
    last_day_without_interest: Date,
    payment_date: Date,
    kind: RateKind,
) -> Result<(Vec<InterestPeriod>, i128), InterestError> {
    let mut periods = Vec::new();
    let mut numerator = 0_i128;
    let first = last_day_without_interest.to_julian_day() + 1;
    let last = payment_date.to_julian_day();
    if first > last || principal.is_zero() {
        return Ok((periods, numerator));
    }
    let rows = rates.compiled();
    let mut index = rows.partition_point(|row| row.from <= first);
    if index == 0 {
        return Err(InterestError::NoRate(julian(first)));
    }
    index -= 1;
    let grosze = i128::from(principal.grosze());
    let mut start = first;
    while start <= last {
        let rate = rows[index].milli_percent(kind).ok_or(InterestError::RateKindUnavailable { kind, day: julian(start) })?;
        // Skip rows that do not change this kind's rate.
        let mut next = index + 1;
        while next < rows.len() && rows[next].milli_percent(kind) == Some(rate) {
            next += 1;
        }
        let end = rows.get(next).map_or(last, |row| (row.from - 1).min(last));
        let days = i64::from(end - start + 1);
        let period_numerator = grosze * i128::from(days) * i128::from(rate);
        numerator += period_numerator;
        periods.push(InterestPeriod { from: julian(start), to: julian(end), days, rate_milli: rate, numerator: period_numerator });
        start = end + 1;
        index = next;
    }
    Ok((periods, numerator))
}

fn julian(day: i32) -> Date {
    Date::from_julian_day(day).unwrap_or(Date::MIN)
}

/// Rounds an exact amount half-up to 4 decimal places, for display of exact interest.
pub fn four_places(value: Decimal) -> Decimal {
    let mut v = value.round_dp_with_strategy(4, RoundingStrategy::MidpointAwayFromZero);
    v.rescale(4);
    v
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn amount(s: &str) -> Amount {
        s.parse().unwrap()
    }

    struct Case {
        name: &'static str,
        principal: &'static str,
        due: Date,
        paid: Date,
        mode: ThresholdMode,
        effective_due: Date,
        periods: &'static [(i64, &'static str)],
        exact: &'static str,
        interest: &'static str,
    }

    /// tax-rules.md §5: the published examples (E6 corrected, E7) and the derived ones (D1–D13).
    #[test]
    fn worked_examples() {
        use ThresholdMode::{Exact, Rounded};
        let cases = [
            Case {
                name: "E6 corrected",
                principal: "1000",
                due: date!(2025 - 05 - 03),
                paid: date!(2025 - 05 - 31),
                mode: Rounded,
                effective_due: date!(2025 - 05 - 05),
                periods: &[(2, "14.5"), (24, "13.5")],
                exact: "9.6712",
                interest: "10.00",
            },
            Case {
                name: "E7",
                principal: "10000",
                due: date!(2026 - 01 - 20),
                paid: date!(2026 - 04 - 20),
                mode: Rounded,
                effective_due: date!(2026 - 01 - 20),
                periods: &[(43, "11"), (47, "10.5")],
                exact: "264.7945",
                interest: "265.00",
            },
            Case {
                name: "D1",
                principal: "250",
                due: date!(2025 - 03 - 15),
                paid: date!(2025 - 03 - 18),
                mode: Rounded,
                effective_due: date!(2025 - 03 - 17),
                periods: &[(1, "14.5")],
                exact: "0.0993",
                interest: "0.00",
            },
            Case {
                name: "D3a exact",
                principal: "1000",
                due: date!(2021 - 03 - 15),
                paid: date!(2021 - 04 - 23),
                mode: Exact,
                effective_due: date!(2021 - 03 - 15),
                periods: &[(39, "8")],
                exact: "8.5479",
                interest: "0.00",
            },
            Case {
                name: "D3a rounded",
                principal: "1000",
                due: date!(2021 - 03 - 15),
                paid: date!(2021 - 04 - 23),
                mode: Rounded,
                effective_due: date!(2021 - 03 - 15),
                periods: &[(39, "8")],
                exact: "8.5479",
                interest: "9.00",
            },
            Case {
                name: "D3b",
                principal: "1000",
                due: date!(2021 - 03 - 15),
                paid: date!(2021 - 04 - 24),
                mode: Rounded,
                effective_due: date!(2021 - 03 - 15),
                periods: &[(40, "8")],
                exact: "8.7671",
                interest: "9.00",
            },
            Case {
                name: "D3b exact",
                principal: "1000",
                due: date!(2021 - 03 - 15),
                paid: date!(2021 - 04 - 24),
                mode: Exact,
                effective_due: date!(2021 - 03 - 15),
                periods: &[(40, "8")],
                exact: "8.7671",
                interest: "9.00",
            },
            Case {
                name: "D4a",
                principal: "34675",
                due: date!(2022 - 03 - 14),
                paid: date!(2022 - 03 - 15),
                mode: Rounded,
                effective_due: date!(2022 - 03 - 14),
                periods: &[(1, "10")],
                exact: "9.5000",
                interest: "10.00",
            },
            Case {
                name: "D4b",
                principal: "34674",
                due: date!(2022 - 03 - 14),
                paid: date!(2022 - 03 - 15),
                mode: Rounded,
                effective_due: date!(2022 - 03 - 14),
                periods: &[(1, "10")],
                exact: "9.4997",
                interest: "9.00",
            },
            Case {
                name: "D6",
                principal: "100000",
                due: date!(2025 - 05 - 07),
                paid: date!(2025 - 05 - 08),
                mode: Rounded,
                effective_due: date!(2025 - 05 - 07),
                periods: &[(1, "13.5")],
                exact: "36.9863",
                interest: "37.00",
            },
            Case {
                name: "D7",
                principal: "5000",
                due: date!(2025 - 12 - 24),
                paid: date!(2026 - 01 - 30),
                mode: Rounded,
                effective_due: date!(2025 - 12 - 29),
                periods: &[(32, "11")],
                exact: "48.2192",
                interest: "48.00",
            },
            Case {
                name: "D8",
                principal: "5000",
                due: date!(2025 - 03 - 15),
                paid: date!(2025 - 03 - 17),
                mode: Rounded,
                effective_due: date!(2025 - 03 - 17),
                periods: &[],
                exact: "0.0000",
                interest: "0.00",
            },
            Case {
                name: "D10",
                principal: "1000",
                due: date!(2026 - 01 - 31),
                paid: date!(2026 - 03 - 10),
                mode: Rounded,
                effective_due: date!(2026 - 02 - 02),
                periods: &[(30, "11"), (6, "10.5")],
                exact: "10.7671",
                interest: "11.00",
            },
            Case {
                name: "D13 interest at the partial payment",
                principal: "2000",
                due: date!(2025 - 03 - 15),
                paid: date!(2025 - 09 - 30),
                mode: Rounded,
                effective_due: date!(2025 - 03 - 17),
                periods: &[(51, "14.5"), (56, "13.5"), (63, "13"), (27, "12.5")],
                exact: "145.3151",
                interest: "145.00",
            },
            Case {
                name: "issue example",
                principal: "1000",
                due: date!(2025 - 03 - 15),
                paid: date!(2025 - 12 - 31),
                mode: Rounded,
                effective_due: date!(2025 - 03 - 17),
                periods: &[(51, "14.5"), (56, "13.5"), (63, "13"), (35, "12.5"), (28, "12"), (28, "11.5"), (28, "11")],
                exact: "101.8630",
                interest: "102.00",
            },
        ];
        let rates = RateTable::shipped();
        let calendar = Calendar::statutory();
        for case in cases {
            let rules = InterestRules::new(&rates, &calendar).with_threshold_mode(case.mode);
            let result = late_interest(&rules, amount(case.principal), case.due, case.paid, RateKind::Standard, true).unwrap();
            assert_eq!(result.effective_due_date, case.effective_due, "{}", case.name);
            let periods: Vec<(i64, String)> = result.periods.iter().map(|p| (p.days, p.rate().to_string())).collect();
            let expected: Vec<(i64, String)> = case.periods.iter().map(|(d, r)| (*d, r.to_string())).collect();
            assert_eq!(periods, expected, "{}", case.name);
            assert_eq!(four_places(result.exact()).to_string(), case.exact, "{}", case.name);
            assert_eq!(result.interest.to_string(), case.interest, "{}", case.name);
            assert_eq!(result.charged, case.interest != "0.00", "{}", case.name);
        }
    }

    /// E8 (bankier.pl, 2023): 95 zł due 2023-03-15; interest becomes payable "from the beginning of
    /// October" — first charging day 2023-10-02 comparing the rounded amount, 2023-10-07 the exact one.
    #[test]
    fn e8_first_day_interest_is_charged() {
        let rates = RateTable::shipped();
        let calendar = Calendar::statutory();
        for (mode, first_day) in [(ThresholdMode::Rounded, date!(2023 - 10 - 02)), (ThresholdMode::Exact, date!(2023 - 10 - 07))] {
            let rules = InterestRules::new(&rates, &calendar).with_threshold_mode(mode);
            let on = |day| late_interest(&rules, amount("95"), date!(2023 - 03 - 15), day, RateKind::Standard, true).unwrap().charged;
            assert!(!on(first_day.previous_day().unwrap()), "{mode}");
            assert!(on(first_day), "{mode}");
        }
    }

    #[test]
    fn periods_are_contiguous_and_cover_the_delay() {
        let rates = RateTable::shipped();
        let calendar = Calendar::statutory();
        let rules = InterestRules::new(&rates, &calendar);
        let result =
            late_interest(&rules, amount("1234.56"), date!(2009 - 03 - 16), date!(2026 - 11 - 30), RateKind::Standard, true).unwrap();
        assert_eq!(result.periods.first().unwrap().from, date!(2009 - 03 - 17));
        assert_eq!(result.periods.last().unwrap().to, date!(2026 - 11 - 30));
        for pair in result.periods.windows(2) {
            assert_eq!(pair[0].to.next_day(), Some(pair[1].from));
            assert_ne!(pair[0].rate(), pair[1].rate(), "equal rates are merged");
        }
        assert_eq!(result.days(), (date!(2026 - 11 - 30) - date!(2009 - 03 - 16)).whole_days());
        let sum: Decimal = result.periods.iter().map(InterestPeriod::amount).sum();
        assert_eq!(four_places(sum), four_places(result.exact()));
        assert_eq!(
            result.warnings,
            vec![InterestWarning::RatesNotVerified { verified_up_to: date!(2026 - 10 - 08), payment_date: date!(2026 - 11 - 30) }]
        );
    }

    #[test]
    fn rate_kinds() {
        let rates = RateTable::shipped();
        let calendar = Calendar::statutory();
        let rules = InterestRules::new(&rates, &calendar);
        // 2025-03-17 → 2025-05-07: 51 days at 7.25 % reduced / 21.75 % increased.
        let reduced =
            late_interest(&rules, amount("10000"), date!(2025 - 03 - 17), date!(2025 - 05 - 07), RateKind::Reduced, false).unwrap();
        assert_eq!((reduced.periods[0].rate().to_string(), four_places(reduced.exact()).to_string()), ("7.25".into(), "101.3014".into()));
        let increased =
            late_interest(&rules, amount("10000"), date!(2025 - 03 - 17), date!(2025 - 05 - 07), RateKind::Increased, false).unwrap();
        assert_eq!((increased.periods[0].rate().to_string(), increased.interest.to_string()), ("21.75".into(), "304.00".into()));
        // Before 2016 the reduced rate is 75 % of the standard one; the increased rate does not exist.
        let old = late_interest(&rules, amount("1000"), date!(2015 - 12 - 30), date!(2016 - 01 - 02), RateKind::Reduced, false).unwrap();
        let rates: Vec<String> = old.periods.iter().map(|p| p.rate().to_string()).collect();
        assert_eq!(rates, ["6", "4"]);
        assert_eq!(
            late_interest(&rules, amount("1000"), date!(2015 - 12 - 30), date!(2016 - 01 - 02), RateKind::Increased, false),
            Err(InterestError::RateKindUnavailable { kind: RateKind::Increased, day: date!(2015 - 12 - 31) })
        );
        assert_eq!(
            late_interest(&rules, amount("1000"), date!(2007 - 12 - 30), date!(2008 - 03 - 02), RateKind::Standard, false),
            Err(InterestError::NoRate(date!(2007 - 12 - 31)))
        );
    }

    #[test]
    fn no_shift_takes_the_due_date_as_given() {
        let rates = RateTable::shipped();
        let calendar = Calendar::statutory();
        let rules = InterestRules::new(&rates, &calendar);
        let shifted =
            late_interest(&rules, amount("1000"), date!(2025 - 05 - 03), date!(2025 - 05 - 31), RateKind::Standard, true).unwrap();
        let literal =
            late_interest(&rules, amount("1000"), date!(2025 - 05 - 03), date!(2025 - 05 - 31), RateKind::Standard, false).unwrap();
        assert_eq!((shifted.days(), literal.days()), (26, 28));
        assert_eq!(four_places(literal.exact()).to_string(), "10.4658");
    }
}
