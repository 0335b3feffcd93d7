#!/usr/bin/env bash
# Statement-import benchmark (issue 6): a generated 1,000,000-line MT940 statement, parsed alone and
# imported end to end (parse, match, allocate, book in one transaction) on PostgreSQL.
#
#   scripts/bench-statements.sh                       1,000,000 lines, 100,000 demo taxpayers
#   LINES=200000 TAXPAYERS=20000 scripts/bench-statements.sh
#   KEEP=1 scripts/bench-statements.sh                reuse the seeded database and the file
#
# Needs PostgreSQL on 127.0.0.1:5432 with a role that may create databases (scripts/start-pg.sh
# makes `app`/`app`). The database `naleznosci_bench` is dropped and recreated unless KEEP=1.
set -euo pipefail
cd "$(dirname "$0")/.."
LINES=${LINES:-1000000}
TAXPAYERS=${TAXPAYERS:-100000}
DIALECT=${DIALECT:-mbank}
PG=${PG:-postgres://app:app@127.0.0.1:5432}
DB=${BENCH_DB:-naleznosci_bench}
URL="$PG/$DB"
WORK=${WORK:-target/bench-statements}
FILE="$WORK/statement-$DIALECT-$LINES-$TAXPAYERS.sta"
mkdir -p "$WORK"

log() { printf '[bench-statements] %s\n' "$*" >&2; }

cargo build --release --locked -p server --bin naleznosci --example statement_bench
bin=$(realpath "${CARGO_TARGET_DIR:-target}/release/naleznosci")
tool=$(realpath "${CARGO_TARGET_DIR:-target}/release/examples/statement_bench")

if [ -z "${KEEP:-}" ] || ! psql "$PG/$DB" -qtAc 'SELECT 1 FROM municipality' >/dev/null 2>&1; then
  log "creating $DB and seeding the demo with $TAXPAYERS taxpayers"
  psql "$PG/postgres" -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB" >/dev/null
  # (from $WORK: the demo writes its small statement to ./data/)
  (cd "$WORK" && /usr/bin/time -f '[bench-statements] demo seeded in %e s (max RSS %M KB)' \
    "$bin" demo --database-url "$URL" --scale "$TAXPAYERS" --today 2026-12-03 >/dev/null)
  psql "$URL" -qc 'VACUUM ANALYZE' >/dev/null
else
  log "reusing $DB; removing earlier imports"
  psql "$URL" -q >/dev/null <<'SQL'
BEGIN;
DELETE FROM allocation WHERE payment_id IN (SELECT id FROM payment WHERE idempotency_key LIKE 'stmt:%');
DELETE FROM statement_line;
DELETE FROM payment WHERE idempotency_key LIKE 'stmt:%';
DELETE FROM statement_file;
DELETE FROM statement_import;
COMMIT;
VACUUM ANALYZE;
SQL
fi

if [ -z "${KEEP:-}" ] || [ ! -f "$FILE" ]; then
  "$tool" generate "$FILE" --taxpayers "$TAXPAYERS" --lines "$LINES" --dialect "$DIALECT"
fi
log "file: $FILE ($(du -h "$FILE" | cut -f1))"

log "parse only (3 runs)"
"$tool" parse "$FILE" --runs 3

log "end to end: naleznosci import-statement (one transaction)"
/usr/bin/time -f '[bench-statements] end to end: %e s wall, %U s user, %S s system, max RSS %M KB' \
  "$bin" import-statement "$FILE" --encoding iso-8859-2 --database-url "$URL"

log "re-import of the same file (every line a duplicate)"
/usr/bin/time -f '[bench-statements] re-import: %e s wall' \
  "$bin" import-statement "$FILE" --encoding iso-8859-2 --database-url "$URL" >/dev/null
