//! The rules of Polish municipal receivables as pure functions over validated types.
//!
//! Architecture invariant: this crate does no I/O. No tokio, no database, no HTTP, no clock: "today"
//! is always a parameter. Every rule of `shared/domain/tax-rules.md` lives here and cites its article.

pub mod calendar;
pub mod identifiers;
pub mod interest;
pub mod ledger;
pub mod money;
pub mod nrb;
pub mod obligation;
pub mod rates;
pub mod schedule;
pub mod zbp_qr;

pub use money::Amount;
