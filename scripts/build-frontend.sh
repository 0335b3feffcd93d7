#!/usr/bin/env bash
# Builds the web app (frontend/, Leptos CSR → WASM) into frontend/dist/, which the server serves at /.
# Idempotent: on a fresh machine (Rust + npm only) it installs the wasm32 target, wasm-bindgen-cli
# of exactly the version in frontend/Cargo.lock and wasm-opt (npm binaryen 132, never Debian's
# binaryen 108: its output crashes in the browser); when everything is there it only rebuilds.
# Recipe: shared/design/TOOLCHAIN.md §0 and §1d (no trunk).
#
#   scripts/build-frontend.sh          release build (opt-level z, LTO, wasm-opt -Oz): what is shipped
#   (two bundles: residents' app.js + app_bg.wasm for /, staff.js + staff_bg.wasm for /admin/…)
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

# 4. Compile both bundles (frontend/ is its own Cargo workspace with its own lock file and target
#    dir): `frontend` for residents (served at /) and `staff` for clerks (served for /admin/…).
log "cargo build --target wasm32-unknown-unknown --profile $profile"
(cd "$front" && CARGO_TARGET_DIR="$target_dir" cargo build --locked --target wasm32-unknown-unknown --profile "$profile" --bins)
out_dir=$([ "$profile" = dev ] && echo debug || echo release)
wasm_of() { echo "$target_dir/wasm32-unknown-unknown/$out_dir/$1.wasm"; }

# Nothing changed since the last build (same modules, same static files, same tools): done.
stamp_file=$target_dir/dist-$profile.stamp
stamp=$( (sha256sum "$(wasm_of frontend)" "$(wasm_of staff)" "$front"/static/* "$0"; echo "$wb_version $profile") | sha256sum | cut -c1-64)
if [ -f "$dist/index.html" ] && [ -f "$dist/admin.html" ] && [ "$(cat "$stamp_file" 2>/dev/null)" = "$stamp" ]; then
  log "dist/ is up to date"
  exit 0
fi

# 5. Per bundle: bindings, optimisation, its boot script and its HTML page, into a fresh staging
#    dir that is swapped in at the end, so that a server serving dist/ never sees a half-written
#    build. URLs carry a content version so that browsers never mix old and new files.
stage=$(mktemp -d "$front/.dist-XXXXXX")
trap 'rm -rf "$stage"' EXIT
version() { sha256sum "$@" | sha256sum | cut -c1-12; }
style_version=$(version "$front/static/style.css")
bundle() { # binary, output name, page
  local bin=$1 name=$2 page=$3
  wasm-bindgen --target web --no-typescript --out-dir "$stage" --out-name "$name" "$(wasm_of "$bin")"
  if [ "$profile" = release ]; then
    "$wasm_opt" -Oz "$stage/${name}_bg.wasm" -o "$stage/${name}_bg.wasm"
  fi
  local v
  v=$(version "$stage/${name}_bg.wasm" "$stage/$name.js")
  sed -e "s/@BUNDLE@/$name/g" -e "s/@APP_VERSION@/$v/g" "$front/static/boot.js.in" > "$stage/$name-boot.js"
  sed -e "s/@BUNDLE@/$name/g" -e "s/@APP_VERSION@/$v/g" -e "s/@STYLE_VERSION@/$style_version/g" \
    "$front/static/index.html" > "$stage/$page"
}
bundle frontend app index.html
bundle staff staff admin.html
cp "$front/static/style.css" "$front/static/favicon.svg" "$stage/"
chmod 755 "$stage"
chmod 644 "$stage"/*

rm -rf "$dist.old"
[ -d "$dist" ] && mv "$dist" "$dist.old"
mv "$stage" "$dist"
trap - EXIT
rm -rf "$dist.old"
echo "$stamp" > "$stamp_file"

# 6. The bundles against the budget of issue 8: the residents' WASM + JS at most 300 KB with
#    brotli, each file compressed on its own as a browser downloads it.
for name in app staff; do
  wasm=$(stat -c %s "$dist/${name}_bg.wasm")
  if command -v brotli >/dev/null; then
    br=0
    for f in "${name}_bg.wasm" "$name.js" "$name-boot.js"; do br=$((br + $(brotli -q 11 -c "$dist/$f" | wc -c))); done
    log "done: $name bundle: ${name}_bg.wasm $wasm bytes; WASM + JS with brotli -q 11: $br bytes"
  else
    log "done: $name bundle: ${name}_bg.wasm $wasm bytes (install brotli to see the compressed size)"
  fi
done
