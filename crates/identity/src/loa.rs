//! eIDAS levels of assurance (identity.md §1.7).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// eIDAS level of assurance, ordered `Low < Substantial < High`.
///
/// On the wire (SAML `AuthnContextClassRef`, the JWT `acr` claim) it is the eIDAS URI.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum LoA {
    /// `http://eidas.europa.eu/LoA/low`
    Low,
    /// `http://eidas.europa.eu/LoA/substantial` (Profil Zaufany)
    Substantial,
    /// `http://eidas.europa.eu/LoA/high` (e-dowód)
    High,
}

impl LoA {
    /// The eIDAS URI.
    pub fn uri(self) -> &'static str {
        match self {
            LoA::Low => "http://eidas.europa.eu/LoA/low",
            LoA::Substantial => "http://eidas.europa.eu/LoA/substantial",
            LoA::High => "http://eidas.europa.eu/LoA/high",
        }
    }

    /// Parses an eIDAS URI exactly (no trimming, no case folding).
    pub fn from_uri(uri: &str) -> Option<LoA> {
        [LoA::Low, LoA::Substantial, LoA::High].into_iter().find(|loa| loa.uri() == uri)
    }

    /// Whether this level satisfies a requirement of `required`.
    pub fn satisfies(self, required: LoA) -> bool {
        self >= required
    }
}

impl fmt::Display for LoA {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.uri())
    }
}

/// The text is not one of the three eIDAS LoA URIs.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not an eIDAS level-of-assurance URI")]
pub struct UnknownLoa;

impl FromStr for LoA {
    type Err = UnknownLoa;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        LoA::from_uri(s).ok_or(UnknownLoa)
    }
}

impl Serialize for LoA {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.uri())
    }
}

impl<'de> Deserialize<'de> for LoA {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        LoA::from_uri(&text).ok_or_else(|| serde::de::Error::custom(UnknownLoa))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordering_and_uris_round_trip() {
        assert!(LoA::Low < LoA::Substantial && LoA::Substantial < LoA::High);
        for loa in [LoA::Low, LoA::Substantial, LoA::High] {
            assert_eq!(LoA::from_uri(loa.uri()), Some(loa));
        }
        assert_eq!(LoA::from_uri("http://eidas.europa.eu/LoA/Substantial"), None);
        assert!(LoA::High.satisfies(LoA::Substantial));
        assert!(!LoA::Low.satisfies(LoA::Substantial));
    }
}
