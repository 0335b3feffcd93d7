//! e-Należności web app: a Leptos single-page app rendered in the browser (WASM).
//!
//! The pure parts — formatting, translations, the interest explanation, the iCalendar file —
//! compile on the host too and are unit-tested with `cargo test`; the browser parts
//! (`ui`) compile only for wasm32.

pub mod contrast;
pub mod explain;
pub mod format;
pub mod i18n;
pub mod ical;

#[cfg(target_arch = "wasm32")]
pub mod ui;
