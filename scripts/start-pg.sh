#!/usr/bin/env bash
# Makes sure a PostgreSQL server runs on 127.0.0.1:5432 with a role `app` (password `app`, CREATEDB)
# for the tests: installs it from Debian's packages and starts a cluster when none is running.
# Idempotent; run as root (as CI and these machines do).
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
    apt-get update -qq
    apt-get install -y -qq postgresql >/dev/null
  fi
  ver=$(ls /usr/lib/postgresql | sort -V | tail -1)
  pg_lsclusters -h | grep -q "^$ver main" || pg_createcluster "$ver" main >/dev/null
  pg_ctlcluster "$ver" main start 2>/dev/null || true
  for _ in $(seq 1 60); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 0.5; done
fi
psql_su() { su postgres -c "psql -qtAc \"$1\""; }
[ "$(psql_su "SELECT 1 FROM pg_roles WHERE rolname='app'")" = 1 ] || psql_su "CREATE ROLE app LOGIN PASSWORD 'app' CREATEDB"
[ "$(psql_su "SELECT 1 FROM pg_database WHERE datname='app'")" = 1 ] || su postgres -c "createdb -O app app"
