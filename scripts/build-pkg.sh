#!/usr/bin/env bash
# Builds the two WebAssembly modules once and assembles pkg/, the npm
# package, from pkg-template/:
#   pkg/katapult.wasm, pkg/katapult-spec.wasm   the modules (wasm-opt -Oz)
#   pkg/esm/   wasm-bindgen --target bundler glue, ES modules, minified (browsers, bundlers)
#   pkg/cjs/   the same glue as CommonJS (Node; the ES module entry shares it)
#   pkg/*.js, *.cjs, *.mjs, *.d.ts, *.d.cts     the entries and their types
# No entry instantiates a module when imported: they load it on first use
# (see moduleLoader in src/wasm/glue.js).
set -euo pipefail
cd "$(dirname "$0")/.."

# Up to date: nothing pkg/ is made of changed since it was built (a second
# `make demo` or `make test` then starts at once). KATAPULT_REBUILD=1 forces.
stamp=pkg/.built
inputs=(src pkg-template codegen scripts/build-pkg.sh scripts/types.mjs Cargo.toml Cargo.lock README.md LICENSE)
if [ -z "${KATAPULT_REBUILD:-}" ] && [ -f "$stamp" ] && [ -z "$(find "${inputs[@]}" -newer "$stamp" -print -quit 2>/dev/null)" ]; then
  echo "[pkg] pkg/ is up to date (KATAPULT_REBUILD=1 rebuilds it)"
  exit 0
fi

# Inputs changed while building are newer than the stamp, so seen next time.
mkdir -p target && : > target/pkg-stamp.new

crate=katapult_wasm
wasm_opt=node_modules/.bin/wasm-opt   # npm binaryen; Debian's older wasm-opt breaks the module
esbuild=node_modules/.bin/esbuild

# The release module is built with std compiled for it, panics as a bare
# trap (the crate denies every panic source anyway; messages for them only
# cost bytes), and no panic locations or Debug formatting: 15% smaller
# than a plain build (measured: 75.9 -> 64.5 KB gzip). These are unstable
# options of the pinned stable toolchain, enabled with RUSTC_BOOTSTRAP, in a
# target directory of their own. Without the rust-src component (offline),
# the plain build is used instead.
# Two modules from one crate (Cargo features): the client, which every page
# loads, and the spec tools (`katapult-wasm/spec`), loaded only by pages that
# use them: the builder would cost the client's budget 17.7 KB gzip.
min_target=target/wasm-min
build_module() { # feature -> target/pkg-wasm/<feature>.wasm
  local feature=$1 out
  if rustup component list --installed 2>/dev/null | grep -q '^rust-src'; then
    RUSTC_BOOTSTRAP=1 CARGO_TARGET_DIR=$min_target \
      RUSTFLAGS="-Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none -Zfmt-debug=none --cfg katapult_speed" \
      cargo build --quiet --release --target wasm32-unknown-unknown -p katapult-wasm \
      --no-default-features --features "$feature" -Zbuild-std=std,panic_abort
    out=$min_target/wasm32-unknown-unknown/release/$crate.wasm
  else
    cargo build --quiet --release --target wasm32-unknown-unknown -p katapult-wasm \
      --no-default-features --features "$feature"
    out=target/wasm32-unknown-unknown/release/$crate.wasm
  fi
  mkdir -p target/pkg-wasm
  cp "$out" "target/pkg-wasm/$feature.wasm"
}
if rustup component list --installed 2>/dev/null | grep -q '^rust-src'; then
  echo "[pkg] cargo build x2 (release, wasm32, build-std, panic=immediate-abort)"
else
  echo "[pkg] cargo build x2 (release, wasm32; rust-src missing, so without build-std)"
fi
build_module client
build_module spec

# One wasm-bindgen output directory for both modules, so they share the
# glue.js snippet (one KatapultError class).
gen=target/bindgen
rm -rf "$gen" pkg
mkdir -p "$gen" pkg/esm pkg/cjs
wasm-bindgen --target bundler --out-dir "$gen" --out-name "$crate" target/pkg-wasm/client.wasm
wasm-bindgen --target bundler --out-dir "$gen" --out-name spec --no-typescript target/pkg-wasm/spec.wasm
"$wasm_opt" -Oz --strip-producers --strip-target-features "$gen/${crate}_bg.wasm" -o pkg/katapult.wasm
"$wasm_opt" -Oz --strip-producers --strip-target-features "$gen/spec_bg.wasm" -o pkg/katapult-spec.wasm

snippet=$(cd "$gen" && find snippets -name glue.js | head -n1)
[ -n "$snippet" ] || { echo "[pkg] glue.js snippet not found" >&2; exit 1; }
# The glue: ES modules (minified; glue.js names the classes users see) and
# the same files as CommonJS.
for js in "${crate}_bg.js" spec_bg.js "$snippet"; do
  mkdir -p "pkg/esm/$(dirname "$js")" "pkg/cjs/$(dirname "$js")"
  "$esbuild" "$gen/$js" --minify --format=esm --target=es2020 --log-level=warning --outfile="pkg/esm/$js"
  "$esbuild" "$gen/$js" --minify --format=cjs --target=es2020 --log-level=warning --outfile="pkg/cjs/$js"
done
printf '{ "type": "module" }\n' > pkg/esm/package.json
printf '{ "type": "commonjs" }\n' > pkg/cjs/package.json

# The operation table the entries install the named methods from (generated
# from the OpenAPI document): ESM, minified, for browsers; CommonJS for Node.
"$esbuild" src/generated/operations.js --minify --format=esm --target=es2020 \
  --log-level=warning --outfile=pkg/operations.js
sed -e 's/^export const OPERATIONS = /exports.OPERATIONS = /' src/generated/operations.js > pkg/operations.cjs
grep -q '^exports.OPERATIONS = ' pkg/operations.cjs || { echo "[pkg] operations.cjs: no table" >&2; exit 1; }

version=$(awk -F'"' '/^version = /{print $2; exit}' Cargo.toml)
for f in pkg-template/*; do
  name=$(basename "$f")
  sed -e "s#__SNIPPET__#$snippet#g" -e "s#__VERSION__#$version#g" "$f" > "pkg/$name"
done
cp LICENSE pkg/LICENSE
# The npm README: the template's preamble plus the user part of README.md.
sed -n '/<!-- user-docs-start -->/,/<!-- user-docs-end -->/p' README.md | sed '1d;$d' >> pkg/README.md

# Types: wasm-bindgen's declarations without what strict consumers trip on
# (Symbol.dispose needs lib esnext.disposable; the iterator class is not
# exported) plus ready(); for ESM (.d.ts) and CommonJS (.d.cts) consumers.
node scripts/types.mjs "$gen/$crate.d.ts" pkg/index.d.ts
sed 's#"./index.js"#"./node.cjs"#' pkg-template/spec.d.ts > pkg/spec.d.cts
# Node's entries also re-export the spec tools (browsers import them from
# katapult-wasm/spec): their types are the main ones plus those two.
node_types='\n/** In Node the main entry re-exports the spec tools of katapult-wasm/spec. */\nexport { buildSpecXml, parseSpecXml } from "./spec%s";\n'
{ cat pkg/index.d.ts; printf "$node_types" .js; } > pkg/node.d.ts
{ cat pkg/index.d.ts; printf "$node_types" .cjs; } > pkg/node.d.cts

size() { echo "$(wc -c < "$1") bytes raw, $(gzip -9 -c "$1" | wc -c) bytes gzip -9"; }
echo "[pkg] pkg/ ready: katapult-wasm $version; client wasm $(size pkg/katapult.wasm); spec wasm $(size pkg/katapult-spec.wasm)"
mv target/pkg-stamp.new "$stamp"
