#!/usr/bin/env bash
# Serves the demo page and the Katapult mock API on one origin. Expects
# `make pkg` to have run (the Makefile does). PORT overrides 8080 (0: any
# free port); KATAPULT_MOCK_BIN runs that mock binary instead of building
# the release one.
#
# The address to open is printed only once the mock listens there (from the
# line it prints when bound), so a mock that cannot start never sends anyone
# to a page that is not there; a busy port says so and how to pick another.
set -euo pipefail
cd "$(dirname "$0")/.."
port=${PORT:-8080}
if ! [[ $port =~ ^[0-9]{1,5}$ ]] || ((10#$port > 65535)); then
  echo "[demo] PORT must be a port number from 0 to 65535 (0: any free port), not '$port'" >&2
  exit 2
fi
port=$((10#$port))

site=$(scripts/demo-site.sh target/demo-site)

mock=${KATAPULT_MOCK_BIN:-}
if [ -z "$mock" ]; then
  cargo build --quiet --release -p katapult-mock
  mock=target/release/katapult-mock
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkfifo "$tmp/out"
"$mock" --port "$port" --static "$site" >"$tmp/out" &
pid=$!
# Ctrl-C, or a signal to this script, stops the mock (which then exits 0).
trap 'kill -TERM "$pid" 2>/dev/null || true' INT TERM HUP

listening=
while IFS= read -r line; do
  case $line in
    "katapult-mock listening on "*)
      listening=1
      echo "[demo] open ${line#katapult-mock listening on }/ (mock token: demo-token; Ctrl-C stops)"
      ;;
    *) printf '%s\n' "$line" ;;
  esac
done <"$tmp/out"

# Until the mock has exited (a trapped signal ends a wait early).
while kill -0 "$pid" 2>/dev/null; do wait "$pid" || true; done
status=0
wait "$pid" || status=$?

if [ "$status" = 3 ]; then
  # katapult-mock's exit status for a port already in use.
  echo "[demo] port $port is already in use (another make demo, or another server, listens there)." >&2
  echo "[demo] Pick another port: PORT=$((port < 65535 ? port + 1 : 8081)) make demo" >&2
elif [ "$status" != 0 ] && [ -z "$listening" ]; then
  echo "[demo] the mock did not start (exit status $status; its message is above)" >&2
fi
exit "$status"
