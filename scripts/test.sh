#!/usr/bin/env bash
# The whole test suite (README "Test"); .ci/run calls exactly this. Installs what it needs.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v cargo >/dev/null || { echo "cargo is required (rustup: https://rustup.rs)" >&2; exit 1; }
rustup component add rustfmt clippy >/dev/null 2>&1 || true
# Chromium: the end-to-end suite (e2e/) drives the product in headless Chromium.
EXTRA_PACKAGES="chromium ${EXTRA_PACKAGES:-}" bash scripts/setup.sh
# The end-to-end suite also needs axe-core (npm, package-lock.json) and the SPA, built by the same
# step as the run command's (scripts/build-frontend.sh → frontend/dist).
[ -f node_modules/axe-core/axe.min.js ] || npm ci --no-audit --no-fund --silent
bash scripts/build-frontend.sh
# PostgreSQL for the store and API tests (SQLite needs nothing).
bash scripts/start-pg.sh
export TEST_DATABASE_URL="${TEST_DATABASE_URL:-postgres://app:app@127.0.0.1:5432/app}"
cargo fmt --all -- --check
cargo clippy --workspace --all-targets -- -D warnings
cargo test --workspace --no-fail-fast
# The web app's pure modules (formatting, translations, the interest explanation, iCalendar) on the
# host: frontend/ is its own workspace.
(cd frontend && CARGO_TARGET_DIR="${FRONTEND_TARGET_DIR:-$PWD/target}" cargo test --locked --lib)
