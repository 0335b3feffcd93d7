#!/usr/bin/env bash
# README "Run": builds and runs e-Należności on the embedded default — the SQLite file
# ./data/naleznosci.db with the demo municipality, the local imitation of Węzeł Krajowy (fake-wk)
# and the local PayByNet simulator, all in one process. No outside services.
#
#   scripts/run.sh                         http://127.0.0.1:8080, today's Warsaw date
#   BIND=0.0.0.0:8080 TODAY=2026-12-03 scripts/run.sh
#   RESET=1 scripts/run.sh                 recreate the demo database
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build-frontend.sh
cargo build --release -p server --bin naleznosci
bin="${CARGO_TARGET_DIR:-target}/release/naleznosci"
args=(demo --serve --bind "${BIND:-127.0.0.1:8080}")
[ -n "${TODAY:-}" ] && args+=(--today "$TODAY")
[ -n "${RESET:-}" ] && args+=(--reset)
exec "$bin" "${args[@]}"
