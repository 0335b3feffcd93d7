//! Money in PLN: exact decimals with two places, never floats.

use std::fmt;
use std::iter::Sum;
use std::ops::{Add, Sub};
use std::str::FromStr;

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A non-negative amount of Polish złoty with exactly two decimal places (grosze).
///
/// Parsing rejects negative values and more than two decimal places instead of rounding them
/// silently: an amount typed by a person or sent by a bank must be taken as it is or refused.
/// In JSON it travels as a string ("1234.56"), per the project's API conventions.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Amount(Decimal);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AmountError {
    #[error("not a decimal number")]
    NotANumber,
    #[error("must not be negative")]
    Negative,
    #[error("has more than two decimal places")]
    TooPrecise,
    #[error("is too large")]
    TooLarge,
}

/// The largest amount the portal accepts: far above any municipal receivable, and small enough that
/// products with day counts and rates stay exact in 96-bit decimals and in i128 grosze arithmetic.
const MAX_GROSZE: i64 = 100_000_000_000_000; // one trillion złoty

impl Amount {
    pub const ZERO: Amount = Amount(Decimal::from_parts(0, 0, 0, false, 2));

    /// Builds an amount from a decimal; it must be non-negative with at most two decimal places.
    pub fn new(value: Decimal) -> Result<Self, AmountError> {
        if value.is_sign_negative() && !value.is_zero() {
            return Err(AmountError::Negative);
        }
        if value.normalize().scale() > 2 {
            return Err(AmountError::TooPrecise);
        }
        let rescaled = Self::at_scale_2(value);
        if rescaled.mantissa() > i128::from(MAX_GROSZE) {
            return Err(AmountError::TooLarge);
        }
        Ok(Amount(rescaled))
    }

    /// An amount from whole grosze (1/100 zł).
    pub fn from_grosze(grosze: i64) -> Result<Self, AmountError> {
        if grosze < 0 {
            return Err(AmountError::Negative);
        }
        if grosze > MAX_GROSZE {
            return Err(AmountError::TooLarge);
        }
        Ok(Amount(Decimal::new(grosze, 2)))
    }

    /// An amount of whole złoty.
    pub fn from_zloty(zloty: u32) -> Self {
        Amount(Decimal::new(i64::from(zloty) * 100, 2))
    }

    /// The amount in grosze; exact because the scale is always 2 and the value bounded.
    pub fn grosze(self) -> i64 {
        i64::try_from(self.0.mantissa()).unwrap_or(i64::MAX)
    }

    pub fn decimal(self) -> Decimal {
        self.0
    }

    pub fn is_zero(self) -> bool {
        self.0.is_zero()
    }

    /// Subtraction that stops at zero is never what money needs: this returns `None` below zero.
    pub fn checked_sub(self, other: Amount) -> Option<Amount> {
        (self.0 >= other.0).then(|| Amount(self.0 - other.0))
    }

    pub fn min(self, other: Amount) -> Amount {
        if self <= other { self } else { other }
    }

    /// Rounds to full złoty, half up (art. 63 § 1 OP: endings below 50 gr are dropped, 50 gr and
    /// more become a full złoty). Applies to taxes and interest, not to fees (art. 63 § 2).
    pub fn round_to_zloty(self) -> Amount {
        Amount(Self::at_scale_2(self.0.round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero)))
    }

    fn at_scale_2(value: Decimal) -> Decimal {
        let mut v = value.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
        v.rescale(2);
        v
    }
}

impl Default for Amount {
    fn default() -> Self {
        Amount::ZERO
    }
}

impl Add for Amount {
    type Output = Amount;
    fn add(self, rhs: Amount) -> Amount {
        Amount(self.0 + rhs.0)
    }
}

impl Sub for Amount {
    type Output = Amount;
    /// Panics in debug builds on a negative result; use [`Amount::checked_sub`] where the order of
    /// the operands depends on input.
    fn sub(self, rhs: Amount) -> Amount {
        debug_assert!(self.0 >= rhs.0, "amount subtraction below zero");
        Amount(self.0 - rhs.0)
    }
}

impl Sum for Amount {
    fn sum<I: Iterator<Item = Amount>>(iter: I) -> Amount {
        iter.fold(Amount::ZERO, Add::add)
    }
}

impl FromStr for Amount {
    type Err = AmountError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let value = Decimal::from_str_exact(s.trim()).map_err(|_| AmountError::NotANumber)?;
        Amount::new(value)
    }
}

impl fmt::Display for Amount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl fmt::Debug for Amount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Amount({})", self.0)
    }
}

impl Serialize for Amount {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Amount {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(|e| serde::de::Error::custom(format!("amount {text:?} {e}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints_two_places() {
        for (input, shown) in [("1000", "1000.00"), ("0.5", "0.50"), ("12.34", "12.34"), ("0", "0.00"), ("1.10", "1.10")] {
            assert_eq!(input.parse::<Amount>().map(|a| a.to_string()), Ok(shown.to_string()), "{input}");
        }
    }

    #[test]
    fn rejects_bad_amounts() {
        assert_eq!("-1".parse::<Amount>(), Err(AmountError::Negative));
        assert_eq!("1.001".parse::<Amount>(), Err(AmountError::TooPrecise));
        assert_eq!("abc".parse::<Amount>(), Err(AmountError::NotANumber));
        assert_eq!("1e3".parse::<Amount>(), Err(AmountError::NotANumber));
        assert_eq!("10000000000000".parse::<Amount>(), Err(AmountError::TooLarge));
    }

    /// Art. 63 § 1 OP examples from tax-rules.md §5 (E13, E14, E15).
    #[test]
    fn rounds_half_up_to_full_zloty() {
        for (input, rounded) in
            [("25.91", "26.00"), ("43.12", "43.00"), ("43.78", "44.00"), ("4082.40", "4082.00"), ("9.50", "10.00"), ("9.49", "9.00")]
        {
            let a: Amount = input.parse().unwrap();
            assert_eq!(a.round_to_zloty().to_string(), rounded, "{input}");
        }
    }

    #[test]
    fn grosze_round_trip() {
        let a = Amount::from_grosze(123_456).unwrap();
        assert_eq!(a.to_string(), "1234.56");
        assert_eq!(a.grosze(), 123_456);
        assert_eq!(serde_json::to_string(&a).unwrap(), "\"1234.56\"");
        assert_eq!(serde_json::from_str::<Amount>("\"1234.56\"").unwrap(), a);
    }
}
