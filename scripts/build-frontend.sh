#!/usr/bin/env bash
# Builds the web app (frontend/, Leptos CSR → WASM) into frontend/dist/, which the server serves at /.
# Idempotent: on a fresh machine (Rust + npm only) it installs the wasm32 target, wasm-bindgen-cli
# of exactly the version in frontend/Cargo.lock and wasm-opt (npm binaryen 132, never Debian's
# binaryen 108: its output crashes in the browser); when everything is there it only rebuilds.
# Recipe: shared/design/TOOLCHAIN.md §0 and §1d (no trunk).
#
#   scripts/build-frontend.sh          release build (opt-level z, LTO, wasm-opt -Oz): what is shipped
#   scripts/build-frontend.sh --dev    debug build without wasm-opt, for quick iterations
set -euo pipefail
profile=release
case "${1:-}" in
  --dev) profile=dev ;;
  "") ;;
  *) echo "usage: $0 [--dev]" >&2; exit 2 ;;
esac
cd "$(dirname "$0")/.."
root=$PWD
front=$root/frontend
dist=$front/dist
target_dir=${FRONTEND_TARGET_DIR:-$front/target}

log() { printf '[build-frontend] %s\n' "$*" >&2; }

# 1. The wasm target (a fresh machine lacks it; RUSTUP_AUTO_INSTALL may be off).
if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  log "installing the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# 2. wasm-bindgen-cli: must be the exact version of the wasm-bindgen crate in frontend/Cargo.lock.
#    Installed WITHOUT --locked (its lock file names a webpki-roots version the registry lacks).
wb_version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$front/Cargo.lock")
if [ -z "$wb_version" ]; then
  log "cannot find wasm-bindgen in frontend/Cargo.lock"; exit 1
fi
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$wb_version" ]; then
  log "installing wasm-bindgen-cli $wb_version (takes a few minutes, once)"
  cargo install wasm-bindgen-cli --version "$wb_version"
fi

# 3. wasm-opt from npm (package.json + package-lock.json at the repository root).
wasm_opt=$root/node_modules/.bin/wasm-opt
if [ ! -x "$wasm_opt" ] || ! "$wasm_opt" --version 2>/dev/null | grep -q 'version 132'; then
  log "installing binaryen from npm (npm ci)"
  npm ci --no-audit --no-fund --silent
fi

# 4. Compile (frontend/ is its own Cargo workspace with its own lock file and target dir).
log "cargo build --target wasm32-unknown-unknown --profile $profile"
(cd "$front" && CARGO_TARGET_DIR="$target_dir" cargo build --locked --target wasm32-unknown-unknown --profile "$profile")
out_dir=$([ "$profile" = dev ] && echo debug || echo release)
wasm=$target_dir/wasm32-unknown-unknown/$out_dir/frontend.wasm

# Nothing changed since the last build (same module, same static files, same tools): done.
stamp_file=$target_dir/dist-$profile.stamp
stamp=$( (sha256sum "$wasm" "$front"/static/* "$0"; echo "$wb_version $profile") | sha256sum | cut -c1-64)
if [ -f "$dist/index.html" ] && [ "$(cat "$stamp_file" 2>/dev/null)" = "$stamp" ]; then
  log "dist/ is up to date"
  exit 0
fi

# 5. Bindings and optimisation into a fresh staging dir, then swap it in, so that a server serving
#    dist/ never sees a half-written build.
stage=$(mktemp -d "$front/.dist-XXXXXX")
trap 'rm -rf "$stage"' EXIT
wasm-bindgen --target web --no-typescript --out-dir "$stage" --out-name app "$wasm"
if [ "$profile" = release ]; then
  "$wasm_opt" -Oz "$stage/app_bg.wasm" -o "$stage/app_bg.wasm"
fi

# 6. Static files, with a content version in the URLs so that browsers never mix old and new files.
version() { sha256sum "$@" | sha256sum | cut -c1-12; }
app_version=$(version "$stage/app_bg.wasm" "$stage/app.js")
style_version=$(version "$front/static/style.css")
sed -e "s/@APP_VERSION@/$app_version/g" -e "s/@STYLE_VERSION@/$style_version/g" "$front/static/index.html" > "$stage/index.html"
sed -e "s/@APP_VERSION@/$app_version/g" "$front/static/boot.js.in" > "$stage/boot.js"
cp "$front/static/style.css" "$front/static/favicon.svg" "$stage/"
chmod 755 "$stage"
chmod 644 "$stage"/*

rm -rf "$dist.old"
[ -d "$dist" ] && mv "$dist" "$dist.old"
mv "$stage" "$dist"
trap - EXIT
rm -rf "$dist.old"
echo "$stamp" > "$stamp_file"

raw=$(stat -c %s "$dist/app_bg.wasm")
gz=$(gzip -9 -c "$dist/app_bg.wasm" | wc -c)
log "done: $dist (app_bg.wasm $raw bytes, gzip -9 $gz bytes)"
