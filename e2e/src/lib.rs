//! The end-to-end harness: the `naleznosci` binary started the way the README's run command starts
//! it (`naleznosci demo --reset --serve`, a fixed "today", embedded SQLite, the demo municipality,
//! the local Węzeł Krajowy imitation and PayByNet simulator in-process, the built SPA), and headless
//! Chromium driven over the DevTools protocol (chromiumoxide) with screenshots of every step and
//! axe-core checks of every page.
//!
//! Needs: the binary (`cargo build -p server --bin naleznosci`, or `NALEZNOSCI_BIN`), the SPA
//! (`scripts/build-frontend.sh` → `frontend/dist`, or `NALEZNOSCI_SPA_DIR`), Chromium
//! (`/usr/bin/chromium`, or `CHROMIUM`) and axe-core (`npm ci` → `node_modules/axe-core`, or
//! `AXE_CORE_JS`). `scripts/test.sh` provides all four.
//!
//! This is test support: a step that cannot be done fails the test, by panicking with a message
//! that says what was expected and where.
#![allow(clippy::panic, reason = "test support: a failed step fails the test with a message")]

pub mod browser;
pub mod server;

pub use browser::Session;
pub use server::{Demo, TODAY};

use std::path::PathBuf;

/// The repository root (this crate is `<root>/e2e`).
pub fn repo_root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().map_or(manifest.clone(), std::path::Path::to_path_buf)
}

/// The Cargo target directory the test executable runs from (`<target>/debug/deps/<test>`).
pub fn target_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("CARGO_TARGET_DIR") {
        let dir = PathBuf::from(dir);
        return if dir.is_absolute() { dir } else { repo_root().join(dir) };
    }
    std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().and_then(|deps| deps.parent()).and_then(|profile| profile.parent()).map(std::path::Path::to_path_buf))
        .unwrap_or_else(|| repo_root().join("target"))
}

/// An amount as the SPA shows it ("1 234,56 zł", "PLN 1,234.56") → the API's decimal string
/// ("1234.56"). `None` when the text holds no amount.
pub fn shown_amount(text: &str) -> Option<String> {
    let polish = text.contains("zł");
    let kept: String = text
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == ',' || *c == '.' || *c == '-' || *c == '−')
        .map(|c| if c == '−' { '-' } else { c })
        .collect();
    let normalised = if polish { kept.replace('.', "").replace(',', ".") } else { kept.replace(',', "") };
    let trimmed = normalised.trim_matches('.').to_string();
    (!trimmed.is_empty() && trimmed.chars().any(|c| c.is_ascii_digit())).then_some(trimmed)
}

#[cfg(test)]
mod tests {
    #[test]
    fn amounts_as_shown_become_decimal_strings() {
        assert_eq!(super::shown_amount("1\u{a0}234,56\u{a0}zł").as_deref(), Some("1234.56"));
        assert_eq!(super::shown_amount("0,00\u{a0}zł").as_deref(), Some("0.00"));
        assert_eq!(super::shown_amount("PLN\u{a0}1,234.56").as_deref(), Some("1234.56"));
        assert_eq!(super::shown_amount("brak"), None);
    }
}
