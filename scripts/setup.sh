#!/usr/bin/env bash
# Installs what building and testing need, idempotently: a second run only
# checks. Needs nothing but rustup, Node/npm and the package registries.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '[setup] %s\n' "$*"; }

# 1. The wasm target.
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  log "adding rust target wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

# The std sources, to build std for the release module (see build-pkg.sh).
# Optional: without them the package is built the plain way.
if ! rustup component list --installed | grep -q '^rust-src'; then
  log "adding rust component rust-src"
  rustup component add rust-src || log "rust-src unavailable: pkg/ will be built without build-std"
fi

# 2. npm devDependencies (binaryen's wasm-opt, TypeScript, Prism, …) from the
#    committed lockfile; reinstalled only when the lockfile changed.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  log "npm ci"
  npm ci --no-audit --no-fund --loglevel=error
fi
# 3. Chromium from Debian, for the browser tests (the demo's Playwright
#    suite, the package in a page). Nothing else here downloads a browser.
if ! command -v chromium >/dev/null; then
  sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  log "installing Debian chromium and chromium-driver"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
fi

[ -f Cargo.lock ] || cargo generate-lockfile
log "ok: $(rustc --version | cut -d' ' -f1-2), node $(node --version)"
