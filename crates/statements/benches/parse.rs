//! Parses one generated MT940 statement of 1,000,000 lines (entries), in the mBank dialect (Collect
//! credits to virtual accounts, wrapped `:86:`, ISO-8859-2) and in the PKO BP dialect (a subfield per
//! line, 0xFF fillers): `cargo bench -p statements --bench parse`.

use std::hint::black_box;
use std::time::Duration as StdDuration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use domain::Amount;
use domain::nrb::{IdentifierCheck, Nrb, VirtualAccountLayout};
use rust_decimal::Decimal;
use statements::generate::{self, Dialect, EntrySpec, StatementSpec};
use statements::{Encoding, Format};
use time::Duration;

const LINES: usize = 1_000_000;

/// A deterministic statement: a 64-bit LCG, so every run parses the same file.
fn statement() -> StatementSpec {
    let mut state: u64 = 0x2545_F491_4F6C_DD1D;
    let mut next = move |bound: u64| {
        state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (state >> 33) % bound
    };
    let layout = VirtualAccountLayout::new("1090101412345678", IdentifierCheck::None).ok();
    let payer: Option<Nrb> = "PL81102055619000990000000140".parse().ok();
    let own: Nrb = "PL61109010140000071219812874".parse().unwrap_or_else(|_| unreachable!("a valid NRB"));
    let start = time::macros::date!(2025 - 01 - 01);
    let entries = (0..LINES)
        .map(|_| {
            let day = start + Duration::days(i64::try_from(next(365)).unwrap_or(0));
            let amount = Amount::from_grosze(i64::try_from(100 + next(500_000)).unwrap_or(0)).unwrap_or(Amount::ZERO);
            if next(10) < 8 {
                let identifier = next(99_999_999);
                let mut credit =
                    EntrySpec::credit(amount, day, &format!("Podatek od nieruchomości rata {}/2025 nr {identifier}", 1 + next(4)))
                        .with_counterparty("Jan Kowalski ul. Długa 1 00-001 Łódź", payer.clone());
                credit.virtual_account = layout.as_ref().and_then(|l| l.build(identifier).ok());
                credit.iph_id = Some(format!("XX{identifier:012}"));
                credit
            } else {
                EntrySpec::debit(amount, day, "Zwrot nadpłaty").with_counterparty("Jan Kowalski", payer.clone())
            }
        })
        .collect();
    StatementSpec { entries, ..StatementSpec::new(own, Decimal::new(1_000_000, 2), start) }
}

fn parse_million(c: &mut Criterion) {
    let spec = statement();
    let mut group = c.benchmark_group("mt940");
    group.sample_size(10).measurement_time(StdDuration::from_secs(40));
    for dialect in [Dialect::Mbank, Dialect::PkoBp] {
        let Ok(bytes) = generate::mt940(dialect, std::slice::from_ref(&spec)) else { continue };
        let file_lines = bytes.iter().filter(|&&b| b == b'\n').count();
        println!("{dialect:?}: {LINES} statement lines, {file_lines} file lines, {} MB", bytes.len() / 1_000_000);
        group.throughput(Throughput::Bytes(bytes.len() as u64));
        // Parsing only: freeing the million lines afterwards is not timed.
        group.bench_function(format!("{dialect:?} 1M lines"), |b| {
            b.iter_with_large_drop(|| statements::parse(black_box(&bytes), Format::Mt940, Some(Encoding::Iso8859_2)));
        });
    }
    group.finish();
}

criterion_group!(benches, parse_million);
criterion_main!(benches);
