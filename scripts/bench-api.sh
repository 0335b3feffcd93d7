#!/usr/bin/env bash
# API benchmark (issue 3): GET /api/v1/taxpayers/{id}/obligations for random taxpayers of a large demo
# on PostgreSQL, beside GET /health (a SELECT 1 through the same pool), both at 64 connections with wrk.
# Target: obligations >= 50 % of the SELECT 1 req/s, p99 < 20 ms. Loopback only; bounded duration.
#
#   SCALE=1000000 DURATION=30s scripts/bench-api.sh
set -euo pipefail
cd "$(dirname "$0")/.."
SCALE=${SCALE:-1000000}
DURATION=${DURATION:-30s}
PORT=${PORT:-18088}
EXTRA_PACKAGES=wrk bash scripts/setup.sh
bash scripts/start-pg.sh
db=naleznosci_bench_$SCALE
su postgres -c "psql -qtAc \"SELECT 1 FROM pg_database WHERE datname='$db'\"" | grep -q 1 || su postgres -c "createdb -O app $db"
url="postgres://app:app@127.0.0.1:5432/$db"
cargo build --release -p server --bin naleznosci
bin="${CARGO_TARGET_DIR:-target}/release/naleznosci"
echo "== seeding (skipped when already there): $SCALE taxpayers"
time "$bin" demo --database-url "$url" --scale "$SCALE" --today 2026-12-03 --first-year "${FIRST_YEAR:-2025}" --last-year 2026 | head -1
work=$(mktemp -d)
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
psql "$url" -qtAc "SELECT id FROM taxpayer ORDER BY md5(id::text) LIMIT 20000" > "$work/ids"
secret=$("$bin" admin client --id "bench-$RANDOM" --scopes "obligations:read" --database-url "$url")
client_id=$(echo "$secret" | sed -n 's/^client_id=//p'); client_secret=$(echo "$secret" | sed -n 's/^client_secret=//p')
NALEZNOSCI_LOG=warn "$bin" serve --demo --database-url "$url" --bind "127.0.0.1:$PORT" > "$work/server.log" 2>&1 &
server=$!
for _ in $(seq 1 60); do curl -fs "http://127.0.0.1:$PORT/health" >/dev/null && break; sleep 0.5; done
fetch_token() {
  curl -fs -X POST "http://127.0.0.1:$PORT/api/v1/oauth/token" -d grant_type=client_credentials -d "client_id=$client_id" -d "client_secret=$client_secret" \
    | python3 -c 'import sys, json; print(json.load(sys.stdin)["access_token"])'
}
echo "== warm-up"
BENCH_TOKEN=$(fetch_token) BENCH_IDS="$work/ids" wrk -t2 -c16 -d5s -s scripts/bench/obligations.lua "http://127.0.0.1:$PORT" >/dev/null
echo "== GET /health (SELECT 1 through the pool), 64 connections, $DURATION"
wrk -t2 -c64 -d"$DURATION" --latency "http://127.0.0.1:$PORT/health" | grep -E "Requests/sec|99%|50%|Latency"
echo "== GET /api/v1/taxpayers/{id}/obligations, 64 connections, $DURATION"
BENCH_TOKEN=$(fetch_token) BENCH_IDS="$work/ids" wrk -t2 -c64 -d"$DURATION" --latency -s scripts/bench/obligations.lua "http://127.0.0.1:$PORT" | grep -E "Requests/sec|99%|50%|Latency|Non-2xx"
