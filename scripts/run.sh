#!/usr/bin/env bash
# Builds and runs the product (README "Run"). At this stage the product is the command line over the
# domain engine: it shows a worked interest computation, a schedule and a ledger quote.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --locked -p server
bin=target/release/naleznosci
[ -n "${CARGO_TARGET_DIR:-}" ] && bin="$CARGO_TARGET_DIR/release/naleznosci"
set -x
"$bin" interest --principal 1000.00 --due 2025-03-15 --paid 2025-12-31
"$bin" schedule --kind property --person natural --year 2026 --annual 1234.00
"$bin" quote --day 2025-12-31 --pay 500.00 < crates/server/examples/ledger.json
"$bin" nrb virtual --prefix 1090101412345678 --id 4711
