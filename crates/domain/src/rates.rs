//! The late-payment interest rate table and the art. 54 § 1 pkt 5 threshold table, as data.
//!
//! Rates are data, not code (tax-rules.md §8.1): the shipped table (`data/interest-rates.json`,
//! the full history of §2 from 2008) is compiled in as the default, and the same format is read
//! from anywhere else (the database, an administrator's upload) through [`RateTable::from_json`].

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde::{Deserialize, Serialize};
use time::Date;

use crate::money::Amount;

/// Which column of the table an arrear uses (tax-rules.md §1.4, §8.8).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RateKind {
    /// Art. 56 § 1 OP: 200 % of the NBP lombard rate + 2 pp, at least 8 %.
    #[default]
    Standard,
    /// Art. 56a OP: 50 % of the standard rate (75 % before 2016) after an effective correction.
    Reduced,
    /// Art. 56b OP: 150 % of the standard rate; exists only from 2016-01-01.
    Increased,
}

impl FromStr for RateKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "standard" => Ok(RateKind::Standard),
            "reduced" => Ok(RateKind::Reduced),
            "increased" => Ok(RateKind::Increased),
            other => Err(format!("unknown rate kind {other:?} (standard, reduced, increased)")),
        }
    }
}

impl fmt::Display for RateKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            RateKind::Standard => "standard",
            RateKind::Reduced => "reduced",
            RateKind::Increased => "increased",
        })
    }
}

/// One row of the rate table: annual rates in percent, in force from `from` until the next row
/// (art. 56c OP: from the day the NBP lombard rate changed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RateRow {
    pub from: Date,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lombard: Option<Decimal>,
    pub standard: Decimal,
    pub reduced: Decimal,
    pub increased: Option<Decimal>,
    #[serde(default)]
    pub source: String,
}

/// One row of the threshold table (art. 54 § 1 pkt 5 OP): interest that would not exceed `amount`
/// is not charged, for payments from `from` until the next row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThresholdRow {
    pub from: Date,
    pub amount: Amount,
    #[serde(default)]
    pub source: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RateTableError {
    #[error("rate table is not valid JSON: {0}")]
    Json(String),
    #[error("rate table has no rows")]
    NoRates,
    #[error("threshold table has no rows")]
    NoThresholds,
    #[error("rows must be in increasing date order without duplicates (at {0})")]
    Order(Date),
    #[error("rate row {0}: rates must be positive with at most 3 decimal places")]
    BadRate(Date),
    #[error("rate row {0}: the increased rate exists only from 2016-01-01 (art. 56b OP)")]
    IncreasedBefore2016(Date),
    #[error("rate row {0}: the increased rate is missing")]
    IncreasedMissing(Date),
}

/// The rate and threshold tables, with the date up to which the rates were checked against the
/// NBP decisions (tax-rules.md §8.1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RateTable {
    pub verified_up_to: Date,
    rates: Vec<RateRow>,
    thresholds: Vec<ThresholdRow>,
    /// Row start days and rates in thousandths of a percent, per kind: the hot path of interest
    /// valuation works in exact integers (see `interest`).
    #[serde(skip)]
    compiled: Vec<CompiledRow>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct CompiledRow {
    pub from: i32,
    pub standard: i64,
    pub reduced: i64,
    pub increased: Option<i64>,
}

impl CompiledRow {
    pub(crate) fn milli_percent(&self, kind: RateKind) -> Option<i64> {
        match kind {
            RateKind::Standard => Some(self.standard),
            RateKind::Reduced => Some(self.reduced),
            RateKind::Increased => self.increased,
        }
    }
}

const SHIPPED: &str = include_str!("../data/interest-rates.json");
/// The day art. 56a/56b OP in their current form took effect.
const REGIME_2016: Date = time::macros::date!(2016 - 01 - 01);

impl RateTable {
    /// The table shipped with the portal (tax-rules.md §2, verified up to 2026-10-08).
    pub fn shipped() -> Self {
        // The shipped file is checked by a unit test; failing to read it is a build defect.
        #[allow(clippy::expect_used)]
        Self::from_json(SHIPPED).expect("the shipped rate table is valid")
    }

    /// Reads a table in the shipped file's format and checks it.
    pub fn from_json(text: &str) -> Result<Self, RateTableError> {
        #[derive(Deserialize)]
        struct File {
            verified_up_to: Date,
            rates: Vec<RateRow>,
            thresholds: Vec<ThresholdRow>,
        }
        let file: File = serde_json::from_str(text).map_err(|e| RateTableError::Json(e.to_string()))?;
        Self::new(file.rates, file.thresholds, file.verified_up_to)
    }

    pub fn new(rates: Vec<RateRow>, thresholds: Vec<ThresholdRow>, verified_up_to: Date) -> Result<Self, RateTableError> {
        if rates.is_empty() {
            return Err(RateTableError::NoRates);
        }
        if thresholds.is_empty() {
            return Err(RateTableError::NoThresholds);
        }
        for pair in rates.windows(2) {
            if pair[0].from >= pair[1].from {
                return Err(RateTableError::Order(pair[1].from));
            }
        }
        for pair in thresholds.windows(2) {
            if pair[0].from >= pair[1].from {
                return Err(RateTableError::Order(pair[1].from));
            }
        }
        let compiled = rates.iter().map(compile_row).collect::<Result<Vec<_>, _>>()?;
        Ok(RateTable { verified_up_to, rates, thresholds, compiled })
    }

    pub fn rates(&self) -> &[RateRow] {
        &self.rates
    }

    pub fn thresholds(&self) -> &[ThresholdRow] {
        &self.thresholds
    }

    /// The row in force on `day`, if the table reaches back that far.
    pub fn rate_on(&self, day: Date) -> Option<&RateRow> {
        let index = self.rates.partition_point(|row| row.from <= day);
        index.checked_sub(1).map(|i| &self.rates[i])
    }

    /// The threshold in force on the payment day; the earliest row serves days before it, since
    /// the table is meant to cover all dates (§8.2: one row for all dates by default).
    pub fn threshold_on(&self, day: Date) -> Amount {
        let index = self.thresholds.partition_point(|row| row.from <= day);
        self.thresholds[index.saturating_sub(1)].amount
    }

    pub(crate) fn compiled(&self) -> &[CompiledRow] {
        &self.compiled
    }

    /// Adds (or replaces) a rate row, as an administrator does after a new NBP decision, and
    /// checks the table again.
    pub fn with_rate(mut self, row: RateRow) -> Result<Self, RateTableError> {
        self.rates.retain(|r| r.from != row.from);
        self.rates.push(row);
        self.rates.sort_by_key(|r| r.from);
        Self::new(self.rates, self.thresholds, self.verified_up_to)
    }
}

fn compile_row(row: &RateRow) -> Result<CompiledRow, RateTableError> {
    let milli = |rate: Decimal| -> Result<i64, RateTableError> {
        let scaled = rate * Decimal::from(1000);
        if rate <= Decimal::ZERO || rate > Decimal::from(100) || scaled.fract() != Decimal::ZERO {
            return Err(RateTableError::BadRate(row.from));
        }
        scaled.to_i64().ok_or(RateTableError::BadRate(row.from))
    };
    let increased = match (row.increased, row.from >= REGIME_2016) {
        (Some(_), false) => return Err(RateTableError::IncreasedBefore2016(row.from)),
        (None, true) => return Err(RateTableError::IncreasedMissing(row.from)),
        (Some(rate), true) => Some(milli(rate)?),
        (None, false) => None,
    };
    Ok(CompiledRow { from: row.from.to_julian_day(), standard: milli(row.standard)?, reduced: milli(row.reduced)?, increased })
}

impl Default for RateTable {
    fn default() -> Self {
        Self::shipped()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;
    use time::macros::date;

    #[test]
    fn shipped_table_is_the_full_history() {
        let table = RateTable::shipped();
        assert_eq!(table.verified_up_to, date!(2026 - 10 - 08));
        assert_eq!(table.rates().first().map(|r| r.from), Some(date!(2008 - 01 - 31)));
        let latest = table.rates().last().unwrap();
        assert_eq!(
            (latest.from, latest.standard, latest.reduced, latest.increased),
            (date!(2026 - 03 - 05), dec!(10.5), dec!(5.25), Some(dec!(15.75)))
        );
        assert_eq!(table.threshold_on(date!(2026 - 12 - 03)).to_string(), "8.70");
    }

    /// Spot checks against tax-rules.md §2.1 and §2.2.
    #[test]
    fn rate_on_a_day() {
        let table = RateTable::shipped();
        let cases = [
            (date!(2008 - 01 - 31), dec!(13.5), dec!(10.125), None),
            (date!(2010 - 11 - 08), dec!(10), dec!(7.5), None),
            (date!(2010 - 11 - 09), dec!(12), dec!(9), None),
            (date!(2015 - 12 - 31), dec!(8), dec!(6), None),
            (date!(2016 - 01 - 01), dec!(8), dec!(4), Some(dec!(12))),
            (date!(2022 - 02 - 09), dec!(8.5), dec!(4.25), Some(dec!(12.75))),
            (date!(2022 - 09 - 08), dec!(16.5), dec!(8.25), Some(dec!(24.75))),
            (date!(2023 - 10 - 04), dec!(15), dec!(7.5), Some(dec!(22.5))),
            (date!(2025 - 05 - 07), dec!(14.5), dec!(7.25), Some(dec!(21.75))),
            (date!(2025 - 05 - 08), dec!(13.5), dec!(6.75), Some(dec!(20.25))),
            (date!(2026 - 03 - 04), dec!(11), dec!(5.5), Some(dec!(16.5))),
        ];
        for (day, standard, reduced, increased) in cases {
            let row = table.rate_on(day).unwrap();
            assert_eq!((row.standard, row.reduced, row.increased), (standard, reduced, increased), "{day}");
        }
        assert!(table.rate_on(date!(2008 - 01 - 30)).is_none());
    }

    #[test]
    fn every_row_follows_the_statutory_ratios() {
        for row in RateTable::shipped().rates() {
            if row.from < REGIME_2016 {
                assert_eq!(row.reduced, row.standard * dec!(0.75), "{}", row.from);
            } else {
                assert_eq!(row.reduced, row.standard / dec!(2), "{}", row.from);
                assert_eq!(row.increased, Some(row.standard * dec!(1.5)), "{}", row.from);
            }
            if let Some(lombard) = row.lombard.filter(|_| row.from >= date!(2014 - 10 - 09)) {
                // Art. 56 § 1 OP: 200 % of lombard + 2 pp, at least 8 %.
                assert_eq!(row.standard, (lombard * dec!(2) + dec!(2)).max(dec!(8)), "{}", row.from);
            }
        }
    }

    #[test]
    fn rejects_broken_tables() {
        let row = |from, standard, increased| RateRow {
            from,
            lombard: None,
            standard,
            reduced: standard / dec!(2),
            increased,
            source: String::new(),
        };
        let thresholds =
            vec![ThresholdRow { from: date!(2000 - 01 - 01), amount: Amount::from_grosze(870).unwrap(), source: String::new() }];
        let verified = date!(2026 - 10 - 08);
        assert_eq!(RateTable::new(vec![], thresholds.clone(), verified), Err(RateTableError::NoRates));
        assert_eq!(
            RateTable::new(
                vec![row(date!(2020 - 01 - 01), dec!(8), Some(dec!(12))), row(date!(2019 - 01 - 01), dec!(8), Some(dec!(12)))],
                thresholds.clone(),
                verified
            ),
            Err(RateTableError::Order(date!(2019 - 01 - 01)))
        );
        assert_eq!(
            RateTable::new(vec![row(date!(2015 - 01 - 01), dec!(8), Some(dec!(12)))], thresholds.clone(), verified),
            Err(RateTableError::IncreasedBefore2016(date!(2015 - 01 - 01)))
        );
        assert_eq!(
            RateTable::new(vec![row(date!(2020 - 01 - 01), dec!(-1), Some(dec!(12)))], thresholds.clone(), verified),
            Err(RateTableError::BadRate(date!(2020 - 01 - 01)))
        );
        assert_eq!(
            RateTable::new(vec![row(date!(2020 - 01 - 01), dec!(8.0001), Some(dec!(12)))], thresholds, verified),
            Err(RateTableError::BadRate(date!(2020 - 01 - 01)))
        );
        assert!(matches!(RateTable::from_json("{}"), Err(RateTableError::Json(_))));
    }

    #[test]
    fn an_administrator_adds_a_row() {
        let table = RateTable::shipped()
            .with_rate(RateRow {
                from: date!(2026 - 11 - 05),
                lombard: Some(dec!(4)),
                standard: dec!(10),
                reduced: dec!(5),
                increased: Some(dec!(15)),
                source: "test".into(),
            })
            .unwrap();
        assert_eq!(table.rate_on(date!(2026 - 11 - 05)).map(|r| r.standard), Some(dec!(10)));
        assert_eq!(table.rate_on(date!(2026 - 11 - 04)).map(|r| r.standard), Some(dec!(10.5)));
    }
}
