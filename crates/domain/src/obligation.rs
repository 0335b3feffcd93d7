//! Kinds of obligations and the rules that follow from the kind alone.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::money::Amount;

/// What a municipality charges (GLOSSARY.md). Rents and leases (civil-law receivables, statutory
/// interest under art. 481 KC) are a different interest regime and come later (tax-rules.md §8.10).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ObligationKind {
    PropertyTax,
    AgriculturalTax,
    ForestTax,
    /// Łączne zobowiązanie pieniężne: property + agricultural + forest tax of a natural person in
    /// one decision (art. 6c upol).
    CombinedObligation,
    WasteFee,
    DogFee,
}

/// Natural persons are assessed by decision; legal persons declare (tax-rules.md §3.1, §3.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PersonKind {
    Natural,
    Legal,
}

impl ObligationKind {
    pub const ALL: [ObligationKind; 6] = [
        ObligationKind::PropertyTax,
        ObligationKind::AgriculturalTax,
        ObligationKind::ForestTax,
        ObligationKind::CombinedObligation,
        ObligationKind::WasteFee,
        ObligationKind::DogFee,
    ];

    pub fn is_tax(self) -> bool {
        !matches!(self, ObligationKind::WasteFee | ObligationKind::DogFee)
    }

    /// Art. 63 § 1 OP rounds tax amounts to full złoty; § 2 exempts fees under upol (the dog fee),
    /// and art. 6q ust. 2 ucpg exempts the waste fee.
    pub fn rounds_to_zloty(self) -> bool {
        self.is_tax()
    }

    /// The amount as assessed: rounded half-up to full złoty for taxes, as it is for fees.
    pub fn assessed_amount(self, amount: Amount) -> Amount {
        if self.rounds_to_zloty() { amount.round_to_zloty() } else { amount }
    }

    pub fn code(self) -> &'static str {
        match self {
            ObligationKind::PropertyTax => "property_tax",
            ObligationKind::AgriculturalTax => "agricultural_tax",
            ObligationKind::ForestTax => "forest_tax",
            ObligationKind::CombinedObligation => "combined_obligation",
            ObligationKind::WasteFee => "waste_fee",
            ObligationKind::DogFee => "dog_fee",
        }
    }
}

impl fmt::Display for ObligationKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for ObligationKind {
    type Err = String;
    /// Accepts the code names and the short forms the CLI uses (`property`, `waste`, …).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let kind = match s {
            "property" | "property_tax" => ObligationKind::PropertyTax,
            "agricultural" | "agricultural_tax" => ObligationKind::AgriculturalTax,
            "forest" | "forest_tax" => ObligationKind::ForestTax,
            "combined" | "combined_obligation" => ObligationKind::CombinedObligation,
            "waste" | "waste_fee" => ObligationKind::WasteFee,
            "dog" | "dog_fee" => ObligationKind::DogFee,
            other => return Err(format!("unknown obligation kind {other:?} (property, agricultural, forest, combined, waste, dog)")),
        };
        Ok(kind)
    }
}

impl FromStr for PersonKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "natural" => Ok(PersonKind::Natural),
            "legal" => Ok(PersonKind::Legal),
            other => Err(format!("unknown person kind {other:?} (natural, legal)")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn taxes_round_fees_do_not() {
        let cases = [
            (ObligationKind::PropertyTax, "25.91", "26.00"),
            (ObligationKind::ForestTax, "43.12", "43.00"),
            (ObligationKind::ForestTax, "43.78", "44.00"),
            (ObligationKind::AgriculturalTax, "100.50", "101.00"),
            (ObligationKind::CombinedObligation, "100.49", "100.00"),
            // E16 is obsolete: since art. 6q ust. 2 ucpg the waste fee keeps its grosze.
            (ObligationKind::WasteFee, "29.75", "29.75"),
            (ObligationKind::DogFee, "38.25", "38.25"),
        ];
        for (kind, input, assessed) in cases {
            assert_eq!(kind.assessed_amount(input.parse().unwrap()).to_string(), assessed, "{kind} {input}");
        }
    }

    #[test]
    fn codes_round_trip() {
        for kind in ObligationKind::ALL {
            assert_eq!(kind.code().parse::<ObligationKind>(), Ok(kind));
            assert_eq!(serde_json::to_string(&kind).unwrap(), format!("\"{}\"", kind.code()));
        }
    }
}
