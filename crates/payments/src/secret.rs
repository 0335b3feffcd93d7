//! A secret string (a gateway password or key) that never shows in `Debug` output or logs.

use std::fmt;

use serde::{Deserialize, Deserializer};
use subtle::ConstantTimeEq;

/// A shared secret, e.g. the PayByNet merchant password (payments.md §1.3).
///
/// `Debug` prints `Secret([redacted])`; there is no `Display` and no `Serialize`, so the value
/// leaves the type only through [`Secret::expose`], where a reader can see it happen
/// (ARCHITECTURE-TARGET.md, "Configuration": secrets redacted in `Debug`).
#[derive(Clone)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The secret itself, for computing a hash.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret([redacted])")
    }
}

/// Constant-time (for equal lengths), so that comparing secrets never leaks where they differ.
impl PartialEq for Secret {
    fn eq(&self, other: &Self) -> bool {
        self.0.as_bytes().ct_eq(other.0.as_bytes()).into()
    }
}

impl Eq for Secret {}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Secret::new(value)
    }
}

impl<'de> Deserialize<'de> for Secret {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Secret)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_value() {
        let secret = Secret::new("TajneHaslo123");
        assert_eq!(format!("{secret:?}"), "Secret([redacted])");
        assert_eq!(secret.expose(), "TajneHaslo123");
    }

    #[test]
    fn equality() {
        assert_eq!(Secret::new("TajneHaslo123"), Secret::from("TajneHaslo123"));
        assert_ne!(Secret::new("TajneHaslo123"), Secret::new("TajneHaslo124"));
        assert_ne!(Secret::new("TajneHaslo123"), Secret::new("TajneHaslo12"));
    }
}
