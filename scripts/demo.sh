#!/usr/bin/env bash
# Serves the demo page and the Katapult mock API on one origin. Expects
# `make pkg` to have run (the Makefile does). PORT overrides 8080.
set -euo pipefail
cd "$(dirname "$0")/.."
port=${PORT:-8080}

site=$(scripts/demo-site.sh target/demo-site)

cargo build --quiet --release -p katapult-mock
echo "[demo] open http://127.0.0.1:$port/ (mock token: demo-token; Ctrl-C stops)"
exec target/release/katapult-mock --port "$port" --static "$site"
