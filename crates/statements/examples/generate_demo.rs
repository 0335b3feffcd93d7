//! Writes one small statement in every format to a folder (default: the current one), with credits to
//! virtual accounts, and prints what the parser reads back: `cargo run -p statements --example generate_demo -- /tmp/out`.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "a demo: any failure is a bug to see")]

use domain::Amount;
use domain::nrb::{IdentifierCheck, Nrb, VirtualAccountLayout};
use rust_decimal::Decimal;
use statements::Format;
use statements::generate::{self, Dialect, EntrySpec, StatementSpec};

fn main() {
    let out = std::env::args().nth(1).unwrap_or_else(|| ".".to_owned());
    let layout = VirtualAccountLayout::new("1090101412345678", IdentifierCheck::None).unwrap();
    let own: Nrb = "PL61109010140000071219812874".parse().unwrap();
    let payer: Nrb = "PL81102055619000990000000140".parse().unwrap();
    let day = time::macros::date!(2025 - 12 - 31);
    let next = time::macros::date!(2026 - 01 - 02);
    let mut debit = EntrySpec::debit(Amount::from_grosze(1_999).unwrap(), day, "Opłata za prowadzenie rachunku");
    debit.booking_date = Some(next);
    let spec = StatementSpec {
        entries: vec![
            EntrySpec::credit(Amount::from_grosze(25_000).unwrap(), day, "Podatek od nieruchomości rata 4/2025")
                .with_counterparty("Jan Kowalski, ul. Długa 1, Łódź", Some(payer))
                .to_virtual_account(layout.build(4711).unwrap()),
            debit,
        ],
        ..StatementSpec::new(own, Decimal::new(-1_050, 2), day)
    };
    for (name, bytes) in [
        ("pko.sta", generate::mt940(Dialect::PkoBp, std::slice::from_ref(&spec))),
        ("mbank.sta", generate::mt940(Dialect::Mbank, std::slice::from_ref(&spec))),
        ("bph.sta", generate::mt940(Dialect::Bph, std::slice::from_ref(&spec))),
        ("swift.sta", generate::mt940(Dialect::Swift, std::slice::from_ref(&spec))),
        ("camt053.xml", generate::camt053(8, std::slice::from_ref(&spec))),
    ] {
        let bytes = bytes.unwrap();
        std::fs::write(format!("{out}/{name}"), &bytes).unwrap();
        let file = statements::parse(&bytes, Format::Auto, None).unwrap();
        for (statement, line) in file.lines() {
            let found = line.virtual_account_in(std::slice::from_ref(&layout));
            println!(
                "{name:12} {:?} {} {} {:?} {:?} virtual {:?} id {}",
                line.direction,
                line.amount,
                statement.currency,
                line.title,
                line.counterparty_name,
                found.as_ref().map(|f| f.account.iban()),
                statement.line_identity(line.index).map(|i| i.key()).unwrap_or_default()
            );
        }
    }
}
