#!/usr/bin/env bash
# The whole test suite (README "Test"); .ci/run calls exactly this. Installs what it needs.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v cargo >/dev/null || { echo "cargo is required (rustup: https://rustup.rs)" >&2; exit 1; }
rustup component add rustfmt clippy >/dev/null 2>&1 || true
bash scripts/setup.sh
# PostgreSQL for the store and API tests (SQLite needs nothing).
bash scripts/start-pg.sh
export TEST_DATABASE_URL="${TEST_DATABASE_URL:-postgres://app:app@127.0.0.1:5432/app}"
cargo fmt --all -- --check
cargo clippy --workspace --all-targets -- -D warnings
cargo test --workspace --no-fail-fast
