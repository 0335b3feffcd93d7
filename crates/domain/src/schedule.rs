//! Installment schedules: when each part of an annual obligation is due, and how much.

use serde::{Deserialize, Serialize};
use time::{Date, Duration, Month};

use crate::calendar::Calendar;
use crate::money::Amount;
use crate::obligation::{ObligationKind, PersonKind};

/// One installment as scheduled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScheduledInstallment {
    pub number: u32,
    /// The date from the decision or the statute.
    pub due_date: Date,
    /// After art. 12 § 5 OP shifting over Saturdays, Sundays and holidays.
    pub effective_due_date: Date,
    pub amount: Amount,
}

/// When a fee set by the rada gminy is due (tax-rules.md §3.4, §3.5: the municipality's resolution
/// decides; these are the patterns found in Polish municipalities).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FeeSchedule {
    /// Twelve installments, each by `day` of its month (`in_arrears`: of the following month, so
    /// December is due in January of the next year). A day past the month's end means its last day.
    Monthly { day: u8, in_arrears: bool },
    /// On the property-tax dates 15 Mar, 15 May, 15 Sep, 15 Nov.
    QuarterlyTaxDates,
    /// At each quarter's end: 31 Mar, 30 Jun, 30 Sep, 31 Dec.
    QuarterEnd,
    /// Any dates in the obligation's year, as (month, day).
    Custom { dates: Vec<(u8, u8)> },
}

impl FeeSchedule {
    /// The dog fee's default: one payment by 15 March (a municipality setting).
    pub fn dog_fee_default() -> Self {
        FeeSchedule::Custom { dates: vec![(3, 15)] }
    }

    /// The waste fee's default: monthly by the 15th of the month.
    pub fn waste_fee_default() -> Self {
        FeeSchedule::Monthly { day: 15, in_arrears: false }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScheduleError {
    #[error("year {0} is outside the supported range")]
    Year(i32),
    #[error("{0} is a fee: its schedule comes from the municipality's resolution")]
    FeeNeedsSchedule(ObligationKind),
    #[error("{0} is a tax: its schedule is statutory")]
    TaxHasStatutorySchedule(ObligationKind),
    #[error("custom fee schedule has no dates")]
    NoDates,
    #[error("invalid fee due day {month}-{day}")]
    BadDay { month: u8, day: u8 },
}

/// Art. 6 ust. 7 upol (and the agricultural and forest tax acts, art. 6c upol for the combined
/// obligation): natural persons pay by 15 March, 15 May, 15 September and 15 November.
const NATURAL_PERSON_DATES: [(Month, u8); 4] = [(Month::March, 15), (Month::May, 15), (Month::September, 15), (Month::November, 15)];

/// Since 2016 (art. 6 ust. 7 upol): an annual tax not exceeding 100 zł is paid in one sum by the
/// first installment date.
const SINGLE_PAYMENT_LIMIT_GROSZE: i64 = 10_000;

/// The statutory schedule of a tax.
///
/// - natural persons (property, agricultural, forest tax, combined obligation): four installments,
///   or one when the annual tax is at most 100 zł (tax-rules.md §3.1);
/// - legal persons: property and forest tax monthly by the 15th, property tax for January by
///   31 January (art. 6 ust. 9 pkt 2 upol); the forest tax keeps the 15th in January too (art. 6
///   ust. 6 of the forest tax act; tax-rules.md §7.7 flags it as unverified); agricultural tax on the
///   four quarterly dates;
/// - the annual amount is rounded to full złoty first (art. 63 § 1 OP), then split into equal
///   installments in grosze with the remainder added to the first (tax-rules.md §8.5);
/// - a decision delivered late (`delivered`): any installment due less than 14 days after delivery
///   is due 14 days after delivery; later ones keep their dates (art. 47 § 1 OP, as municipal BIPs
///   apply it — tax-rules.md §3.1).
pub fn tax_schedule(
    calendar: &Calendar,
    kind: ObligationKind,
    person: PersonKind,
    year: i32,
    annual: Amount,
    delivered: Option<Date>,
) -> Result<Vec<ScheduledInstallment>, ScheduleError> {
    if !kind.is_tax() {
        return Err(ScheduleError::FeeNeedsSchedule(kind));
    }
    let annual = kind.assessed_amount(annual);
    let dates: Vec<Date> = match (person, kind) {
        (PersonKind::Natural, _) if annual.grosze() <= SINGLE_PAYMENT_LIMIT_GROSZE => vec![date(year, Month::March, 15)?],
        (PersonKind::Natural, _) | (PersonKind::Legal, ObligationKind::AgriculturalTax | ObligationKind::CombinedObligation) => {
            NATURAL_PERSON_DATES.iter().map(|&(m, d)| date(year, m, d)).collect::<Result<_, _>>()?
        }
        (PersonKind::Legal, _) => {
            let mut dates = Vec::with_capacity(12);
            for month in 1..=12u8 {
                let month = Month::try_from(month).map_err(|_| ScheduleError::Year(year))?;
                let day = if month == Month::January && kind == ObligationKind::PropertyTax { 31 } else { 15 };
                dates.push(date(year, month, day)?);
            }
            dates
        }
    };
    Ok(installments(calendar, &dates, annual, delivered))
}

/// The schedule of a fee (waste fee, dog fee) from the municipality's resolution. The amount is not
/// rounded (art. 63 § 2 OP, art. 6q ust. 2 ucpg).
pub fn fee_schedule(
    calendar: &Calendar,
    kind: ObligationKind,
    year: i32,
    annual: Amount,
    schedule: &FeeSchedule,
    delivered: Option<Date>,
) -> Result<Vec<ScheduledInstallment>, ScheduleError> {
    if kind.is_tax() {
        return Err(ScheduleError::TaxHasStatutorySchedule(kind));
    }
    let dates: Vec<Date> = match schedule {
        FeeSchedule::Monthly { day, in_arrears } => (1..=12u8)
            .map(|m| {
                let (y, m) = if *in_arrears { if m == 12 { (year + 1, 1) } else { (year, m + 1) } } else { (year, m) };
                let month = Month::try_from(m).map_err(|_| ScheduleError::BadDay { month: m, day: *day })?;
                date(y, month, (*day).min(month.length(y)))
            })
            .collect::<Result<_, _>>()?,
        FeeSchedule::QuarterlyTaxDates => NATURAL_PERSON_DATES.iter().map(|&(m, d)| date(year, m, d)).collect::<Result<_, _>>()?,
        FeeSchedule::QuarterEnd => [(Month::March, 31), (Month::June, 30), (Month::September, 30), (Month::December, 31)]
            .iter()
            .map(|&(m, d)| date(year, m, d))
            .collect::<Result<_, _>>()?,
        FeeSchedule::Custom { dates } => {
            if dates.is_empty() {
                return Err(ScheduleError::NoDates);
            }
            let mut out = dates
                .iter()
                .map(|&(m, d)| {
                    let month = Month::try_from(m).map_err(|_| ScheduleError::BadDay { month: m, day: d })?;
                    Date::from_calendar_date(year, month, d).map_err(|_| ScheduleError::BadDay { month: m, day: d })
                })
                .collect::<Result<Vec<_>, _>>()?;
            out.sort_unstable();
            out
        }
    };
    Ok(installments(calendar, &dates, annual, delivered))
}

fn installments(calendar: &Calendar, dates: &[Date], total: Amount, delivered: Option<Date>) -> Vec<ScheduledInstallment> {
    let earliest = delivered.map(|d| d + Duration::days(14));
    split_equally(total, dates.len())
        .into_iter()
        .zip(dates)
        .enumerate()
        .map(|(i, (amount, &due))| {
            let due_date = earliest.map_or(due, |earliest| due.max(earliest));
            ScheduledInstallment {
                number: u32::try_from(i + 1).unwrap_or(u32::MAX),
                due_date,
                effective_due_date: calendar.effective_due_date(due_date),
                amount,
            }
        })
        .collect()
}

/// Equal parts in grosze, the remainder added to the first part (tax-rules.md §8.5). The parts
/// always add up to the total.
pub fn split_equally(total: Amount, parts: usize) -> Vec<Amount> {
    let Ok(n) = i64::try_from(parts.max(1)) else { return vec![total] };
    let base = total.grosze() / n;
    let remainder = total.grosze() - base * n;
    (0..n).map(|i| Amount::from_grosze(if i == 0 { base + remainder } else { base }).unwrap_or(Amount::ZERO)).collect()
}

fn date(year: i32, month: Month, day: u8) -> Result<Date, ScheduleError> {
    Date::from_calendar_date(year, month, day).map_err(|_| ScheduleError::Year(year))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn amount(s: &str) -> Amount {
        s.parse().unwrap()
    }

    fn show(schedule: &[ScheduledInstallment]) -> Vec<(String, String, String)> {
        schedule.iter().map(|i| (i.due_date.to_string(), i.effective_due_date.to_string(), i.amount.to_string())).collect()
    }

    fn row(due: &str, eff: &str, amount: &str) -> (String, String, String) {
        (due.into(), eff.into(), amount.into())
    }

    #[test]
    fn natural_person_four_installments() {
        let cal = Calendar::statutory();
        let s = tax_schedule(&cal, ObligationKind::PropertyTax, PersonKind::Natural, 2026, amount("1234.00"), None).unwrap();
        assert_eq!(
            show(&s),
            vec![
                row("2026-03-15", "2026-03-16", "308.50"),
                row("2026-05-15", "2026-05-15", "308.50"),
                row("2026-09-15", "2026-09-15", "308.50"),
                row("2026-11-15", "2026-11-16", "308.50")
            ]
        );
        // 1001.40 rounds to 1001; 1001 / 4 = 250.25 each.
        let s = tax_schedule(&cal, ObligationKind::CombinedObligation, PersonKind::Natural, 2025, amount("1001.40"), None).unwrap();
        assert_eq!(s.iter().map(|i| i.amount.to_string()).collect::<Vec<_>>(), ["250.25"; 4]);
        assert_eq!(s.iter().map(|i| i.amount).sum::<Amount>(), amount("1001"));
    }

    /// E17: an annual tax up to 100 zł is paid once, by the first installment date. 100.49 rounds to
    /// 100 (one payment); 100.50 rounds to 101 (four installments, the remainder in the first).
    #[test]
    fn up_to_100_zloty_one_payment() {
        let cal = Calendar::statutory();
        let s = tax_schedule(&cal, ObligationKind::AgriculturalTax, PersonKind::Natural, 2025, amount("100.49"), None).unwrap();
        assert_eq!(show(&s), vec![row("2025-03-15", "2025-03-17", "100.00")]);
        let s = tax_schedule(&cal, ObligationKind::AgriculturalTax, PersonKind::Natural, 2025, amount("100.50"), None).unwrap();
        assert_eq!(s.iter().map(|i| i.amount.to_string()).collect::<Vec<_>>(), ["25.25", "25.25", "25.25", "25.25"]);
        let s = tax_schedule(&cal, ObligationKind::ForestTax, PersonKind::Natural, 2025, amount("101.00"), None).unwrap();
        assert_eq!(s.iter().map(|i| i.amount.to_string()).collect::<Vec<_>>(), ["25.25", "25.25", "25.25", "25.25"]);
        let s = tax_schedule(&cal, ObligationKind::ForestTax, PersonKind::Natural, 2025, amount("103.00"), None).unwrap();
        assert_eq!(s.iter().map(|i| i.amount.to_string()).collect::<Vec<_>>(), ["25.75", "25.75", "25.75", "25.75"]);
        let s = tax_schedule(&cal, ObligationKind::ForestTax, PersonKind::Natural, 2025, amount("102.00"), None).unwrap();
        assert_eq!(s.iter().map(|i| i.amount.to_string()).collect::<Vec<_>>(), ["25.50", "25.50", "25.50", "25.50"]);
    }

    #[test]
    fn late_decision_moves_the_installments_it_reaches() {
        let cal = Calendar::statutory();
        // Delivered 2026-05-05: 15 Mar and 15 May (10 days later) move to 19 May; Sep and Nov stay.
        let s =
            tax_schedule(&cal, ObligationKind::PropertyTax, PersonKind::Natural, 2026, amount("400"), Some(date!(2026 - 05 - 05))).unwrap();
        assert_eq!(
            show(&s),
            vec![
                row("2026-05-19", "2026-05-19", "100.00"),
                row("2026-05-19", "2026-05-19", "100.00"),
                row("2026-09-15", "2026-09-15", "100.00"),
                row("2026-11-15", "2026-11-16", "100.00")
            ]
        );
        // Delivered exactly 14 days before an installment: it keeps its date.
        let s =
            tax_schedule(&cal, ObligationKind::PropertyTax, PersonKind::Natural, 2026, amount("400"), Some(date!(2026 - 03 - 01))).unwrap();
        assert_eq!(s[0].due_date, date!(2026 - 03 - 15));
        // Delivered 2026-03-10: due 2026-03-24.
        let s =
            tax_schedule(&cal, ObligationKind::PropertyTax, PersonKind::Natural, 2026, amount("80"), Some(date!(2026 - 03 - 10))).unwrap();
        assert_eq!(show(&s), vec![row("2026-03-24", "2026-03-24", "80.00")]);
    }

    #[test]
    fn legal_person_monthly() {
        let cal = Calendar::statutory();
        let s = tax_schedule(&cal, ObligationKind::PropertyTax, PersonKind::Legal, 2026, amount("120000.40"), None).unwrap();
        assert_eq!(s.len(), 12);
        assert_eq!(
            row(&s[0].due_date.to_string(), &s[0].effective_due_date.to_string(), &s[0].amount.to_string()),
            row("2026-01-31", "2026-02-02", "10000.00")
        );
        assert_eq!(s[1].due_date, date!(2026 - 02 - 15));
        assert_eq!(s[11].due_date, date!(2026 - 12 - 15));
        assert_eq!(s.iter().map(|i| i.amount).sum::<Amount>(), amount("120000"));
        // 1000.00 / 12 = 83.33 × 11 + 83.37.
        let s = tax_schedule(&cal, ObligationKind::ForestTax, PersonKind::Legal, 2026, amount("1000"), None).unwrap();
        assert_eq!(
            (s[0].due_date, s[0].amount.to_string(), s[1].amount.to_string()),
            (date!(2026 - 01 - 15), "83.37".into(), "83.33".into())
        );
        let s = tax_schedule(&cal, ObligationKind::AgriculturalTax, PersonKind::Legal, 2026, amount("50"), None).unwrap();
        assert_eq!(s.len(), 4, "the 100 zł rule is for natural persons");
    }

    #[test]
    fn fee_schedules() {
        let cal = Calendar::statutory();
        let annual = amount("370.20"); // 30.85 a month: not rounded
        let s = fee_schedule(&cal, ObligationKind::WasteFee, 2026, annual, &FeeSchedule::waste_fee_default(), None).unwrap();
        assert_eq!(s.len(), 12);
        assert!(s.iter().all(|i| i.amount == amount("30.85")));
        let s =
            fee_schedule(&cal, ObligationKind::WasteFee, 2026, annual, &FeeSchedule::Monthly { day: 31, in_arrears: true }, None).unwrap();
        assert_eq!((s[0].due_date, s[1].due_date, s[11].due_date), (date!(2026 - 02 - 28), date!(2026 - 03 - 31), date!(2027 - 01 - 31)));
        let s = fee_schedule(&cal, ObligationKind::WasteFee, 2026, amount("100.01"), &FeeSchedule::QuarterEnd, None).unwrap();
        assert_eq!(
            show(&s),
            vec![
                row("2026-03-31", "2026-03-31", "25.01"),
                row("2026-06-30", "2026-06-30", "25.00"),
                row("2026-09-30", "2026-09-30", "25.00"),
                row("2026-12-31", "2026-12-31", "25.00")
            ]
        );
        let s = fee_schedule(&cal, ObligationKind::DogFee, 2026, amount("45.50"), &FeeSchedule::dog_fee_default(), None).unwrap();
        assert_eq!(show(&s), vec![row("2026-03-15", "2026-03-16", "45.50")]);
        assert_eq!(
            fee_schedule(&cal, ObligationKind::DogFee, 2026, amount("1"), &FeeSchedule::Custom { dates: vec![(2, 30)] }, None),
            Err(ScheduleError::BadDay { month: 2, day: 30 })
        );
        assert_eq!(
            fee_schedule(&cal, ObligationKind::PropertyTax, 2026, amount("1"), &FeeSchedule::QuarterEnd, None),
            Err(ScheduleError::TaxHasStatutorySchedule(ObligationKind::PropertyTax))
        );
        assert_eq!(
            tax_schedule(&cal, ObligationKind::WasteFee, PersonKind::Natural, 2026, amount("1"), None),
            Err(ScheduleError::FeeNeedsSchedule(ObligationKind::WasteFee))
        );
    }

    #[test]
    fn split_never_loses_a_grosz() {
        for (total, parts) in [("0.01", 4), ("0.00", 4), ("1.00", 3), ("99999.99", 12), ("1234.56", 7)] {
            let total = amount(total);
            let split = split_equally(total, parts);
            assert_eq!(split.len(), parts);
            assert_eq!(split.iter().copied().sum::<Amount>(), total);
            assert!(split.windows(2).skip(1).all(|w| w[0] == w[1]));
        }
    }
}
