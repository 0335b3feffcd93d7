//! The statement-import benchmark's tools (`scripts/bench-statements.sh` drives them):
//!
//! ```text
//! cargo run --release -p server --example statement_bench -- generate OUT --taxpayers N [--lines 1000000] [--dialect mbank|pko]
//! cargo run --release -p server --example statement_bench -- parse FILE [--runs 3]
//! ```
//!
//! `generate` writes one MT940 statement of the demo municipality's account with `--lines` entries,
//! value dates spread over the 20 business days after the demo's "today" (2026-12-03): 90 % credits
//! to the virtual accounts of taxpayers 1..=N (the demo numbers its taxpayers so), amounts varied,
//! one credit in a thousand to an account nobody has (the clerk's queue), and 10 % debits.
//! Deterministic (a fixed LCG). `parse` times parsing only.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "a benchmark tool: a failure is a message and an exit")]

use std::time::Instant;

use domain::Amount;
use domain::nrb::{IdentifierCheck, Nrb, VirtualAccountLayout};
use rust_decimal::Decimal;
use statements::generate::{self, Dialect, EntrySpec, StatementSpec};
use statements::{Encoding, Format};
use time::macros::date;

fn option(args: &[String], name: &str) -> Option<String> {
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).cloned()
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("generate") => generate_file(&args),
        Some("parse") => parse_file(&args),
        _ => {
            eprintln!("usage: statement_bench generate OUT --taxpayers N [--lines 1000000] [--dialect mbank|pko] | parse FILE [--runs 3]");
            std::process::exit(2);
        }
    }
}

fn generate_file(args: &[String]) {
    let out = args.get(1).expect("OUT");
    let taxpayers: u64 = option(args, "--taxpayers").expect("--taxpayers N").parse().expect("a number");
    let lines: usize = option(args, "--lines").map_or(1_000_000, |l| l.parse().expect("a number"));
    let dialect = match option(args, "--dialect").as_deref() {
        None | Some("mbank") => Dialect::Mbank,
        Some("pko") => Dialect::PkoBp,
        Some(other) => {
            eprintln!("unknown dialect {other} (mbank or pko)");
            std::process::exit(2);
        }
    };
    let layout = VirtualAccountLayout::new(demo::VIRTUAL_PREFIX, IdentifierCheck::None).unwrap();
    let own: Nrb = demo::MUNICIPALITY_ACCOUNT.parse().unwrap();
    let payer: Nrb = "PL81102055619000990000000140".parse().unwrap();
    let calendar = domain::calendar::Calendar::statutory();
    let mut days = Vec::new();
    let mut day = date!(2026 - 12 - 04);
    while days.len() < 20 {
        if calendar.effective_due_date(day) == day {
            days.push(day);
        }
        day = day.next_day().unwrap();
    }
    let mut state: u64 = 0x2545_F491_4F6C_DD1D;
    let mut next = move |bound: u64| {
        state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (state >> 33) % bound
    };
    let started = Instant::now();
    let entries: Vec<EntrySpec> = (0..lines)
        .map(|i| {
            // Days in order, as a statement lists them.
            let day = days[i * days.len() / lines.max(1)];
            let amount = Amount::from_grosze(i64::try_from(1_000 + next(250_000)).unwrap()).unwrap();
            if next(10) == 0 {
                return EntrySpec::debit(amount, day, "Zwrot nadpłaty").with_counterparty("Jan Kowalski", Some(payer.clone()));
            }
            let identifier = if next(1_000) == 0 { 90_000_000 + next(1_000_000) } else { 1 + next(taxpayers) };
            let mut credit = EntrySpec::credit(amount, day, &format!("Podatki i opłaty lokalne, wpłata {i}"))
                .with_counterparty("Jan Kowalski ul. Długa 1 00-001 Łódź", Some(payer.clone()));
            credit.virtual_account = Some(layout.build(identifier).unwrap());
            credit
        })
        .collect();
    let spec = StatementSpec { number: "1".into(), entries, ..StatementSpec::new(own, Decimal::new(1_000_000_000, 2), days[0]) };
    let bytes = generate::mt940(dialect, std::slice::from_ref(&spec)).unwrap();
    std::fs::write(out, &bytes).unwrap();
    eprintln!(
        "{out}: {dialect:?}, {lines} lines for taxpayers 1..={taxpayers}, {} MB, generated in {:.1?}",
        bytes.len() / 1_000_000,
        started.elapsed()
    );
}

fn parse_file(args: &[String]) {
    let file = args.get(1).expect("FILE");
    let runs: usize = option(args, "--runs").map_or(3, |r| r.parse().expect("a number"));
    let bytes = std::fs::read(file).unwrap();
    for run in 1..=runs {
        let started = Instant::now();
        let parsed = statements::parse(&bytes, Format::Auto, Some(Encoding::Iso8859_2)).unwrap();
        let elapsed = started.elapsed();
        let lines: usize = parsed.statements.iter().map(|s| s.lines.len()).sum();
        println!("parse run {run}: {lines} lines in {elapsed:.2?}");
        // Freeing a million lines (after the clock stopped) is not parsing.
        drop(parsed);
    }
}
