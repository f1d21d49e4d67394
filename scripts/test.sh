#!/usr/bin/env bash
# Runs every test: formatting, lints (native and wasm32), native unit and mock
# tests, Node integration tests of the built pkg/ (ESM and CJS, the mock
# over loopback, katapult-wasm/testing in-process, the README's Vitest
# example), the strict TypeScript consumer, the demo and the testing entry
# in Chromium, and the OpenAPI contract test. Expects `make pkg` to have run (the Makefile does).
# Every step runs even when an earlier one fails; the last line is the total.
set -uo pipefail
cd "$(dirname "$0")/.."

logs=target/test-logs
mkdir -p "$logs"
passed=0 failed=0 failed_steps=()

# step NAME CMD...: runs CMD, shows and keeps its output, and adds the test
# counts it reports (cargo, node --test) — or 1 check when it reports none.
step() {
  local name=$1; shift
  printf '\n=== %s\n' "$name"
  "$@" 2>&1 | tee "$logs/$name.log"
  local rc=${PIPESTATUS[0]}
  local p f
  p=$(grep -hoE '(test result: [a-zA-Z]+\. [0-9]+ passed|^# pass [0-9]+|^ℹ pass [0-9]+)' "$logs/$name.log" | grep -oE '[0-9]+' | awk '{s+=$1} END {print s+0}')
  f=$(grep -hoE '([0-9]+ failed;|^# fail [0-9]+|^ℹ fail [0-9]+)' "$logs/$name.log" | grep -oE '[0-9]+' | awk '{s+=$1} END {print s+0}')
  p=${p:-0} f=${f:-0}
  if [ "$p" = 0 ] && [ "$f" = 0 ]; then
    if [ "$rc" = 0 ]; then p=1; else f=1; fi
  elif [ "$rc" != 0 ] && [ "$f" = 0 ]; then
    f=1
  fi
  passed=$((passed + p)) failed=$((failed + f))
  [ "$rc" = 0 ] || failed_steps+=("$name")
  printf -- '--- %s: %s passed, %s failed\n' "$name" "$p" "$f"
}

step generated node codegen/generate.mjs --check
# The project's copy of the OpenAPI document is the reference's, byte for byte.
if [ -f ../shared/spec/katapult-core-openapi.json ]; then
  step spec-copy cmp spec/katapult-core-openapi.json ../shared/spec/katapult-core-openapi.json
fi
if [ -f ../shared/spec/katapult-public-openapi.json ]; then
  step spec-copy-public cmp spec/katapult-public-openapi.json ../shared/spec/katapult-public-openapi.json
fi
step fmt cargo fmt --all --check
step clippy-native cargo clippy --workspace --all-targets --quiet -- -D warnings
step clippy-wasm32 cargo clippy -p katapult-wasm --target wasm32-unknown-unknown --all-targets --quiet -- -D warnings
# Each module of the package on its own, as scripts/build-pkg.sh builds it.
for feature in client spec; do
  step "clippy-wasm32-$feature" cargo clippy -p katapult-wasm --target wasm32-unknown-unknown --lib \
    --no-default-features --features "$feature" --quiet -- -D warnings
done
# The mock's engine runs in-process in users' tests too: it must build for
# WebAssembly (no tokio, no clock, no file system).
step check-wasm32-mock-core cargo check -p katapult-mock-core --target wasm32-unknown-unknown --quiet
# ...and it does, as katapult-wasm/testing's module (pkg/katapult-mock.wasm).
step clippy-wasm32-mock cargo clippy -p katapult-mock-wasm --target wasm32-unknown-unknown --all-targets --quiet -- -D warnings
step cargo-test cargo test --workspace --quiet
cargo build --quiet -p katapult-mock

# The tests import "katapult-wasm" as users do: resolve it to pkg/.
ln -sfn ../pkg node_modules/katapult-wasm
step node-integration node --test --test-reporter=tap tests/node/
step typescript node_modules/.bin/tsc -p tests/types/tsconfig.json
step e2e-chromium node --test --test-reporter=tap tests/e2e/
step contract node --test --test-reporter=tap tests/contract/

printf '\n=== summary\n'
[ ${#failed_steps[@]} = 0 ] || printf 'failed steps: %s\n' "${failed_steps[*]}"
printf '%s passed, %s failed\n' "$passed" "$failed"
[ "$failed" = 0 ] && [ ${#failed_steps[@]} = 0 ]
