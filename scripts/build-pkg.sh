#!/usr/bin/env bash
# Builds the wasm once and assembles pkg/, the npm package, from pkg-template/.
#   pkg/web/   wasm-bindgen --target web    (browsers, bundlers; ES module)
#   pkg/node/  wasm-bindgen --target nodejs (Node; CommonJS, shared by the ESM entry)
set -euo pipefail
cd "$(dirname "$0")/.."

crate=katapult_wasm
wasm_opt=node_modules/.bin/wasm-opt   # npm binaryen; Debian's older wasm-opt breaks the module

# The release module is built with std compiled for it, panics as a bare
# trap (the crate denies every panic source anyway; messages for them only
# cost bytes), and no panic locations or Debug formatting: 15% smaller
# than a plain build (measured: 75.9 -> 64.5 KB gzip). These are unstable
# options of the pinned stable toolchain, enabled with RUSTC_BOOTSTRAP, in a
# target directory of their own. Without the rust-src component (offline),
# the plain build is used instead.
# Two modules from one crate (Cargo features): the client, which every page
# loads, and the spec tools (`katapult-wasm/spec`), loaded only by pages that
# use them: the builder would cost the client's 70 KB budget 17.7 KB gzip.
min_target=target/wasm-min
build_module() { # feature -> path of the built .wasm, copied to target/pkg-wasm/<feature>.wasm
  local feature=$1 out
  if rustup component list --installed 2>/dev/null | grep -q '^rust-src'; then
    RUSTC_BOOTSTRAP=1 CARGO_TARGET_DIR=$min_target \
      RUSTFLAGS="-Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none -Zfmt-debug=none" \
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

rm -rf pkg
mkdir -p pkg
for target in web nodejs; do
  dir=pkg/$([ "$target" = nodejs ] && echo node || echo web)
  # Both modules share one directory, so they share the glue.js snippet
  # (one KatapultError class for both).
  wasm-bindgen --target "$target" --out-dir "$dir" --out-name "$crate" target/pkg-wasm/client.wasm
  wasm-bindgen --target "$target" --out-dir "$dir" --out-name spec --no-typescript target/pkg-wasm/spec.wasm
  for name in "$crate" spec; do
    "$wasm_opt" -Oz "$dir/${name}_bg.wasm" -o "$dir/${name}_bg.wasm"
  done
done

# KatapultError lives in a JS snippet (src/wasm/glue.js) imported by the
# generated glue; the entries re-export that very file so `instanceof
# KatapultError` holds.
snippet=$(cd pkg/web && find snippets -name glue.js | head -n1)
[ -n "$snippet" ] || { echo "[pkg] glue.js snippet not found" >&2; exit 1; }

# Node build: CommonJS throughout (works on every Node 20, not only those
# that can require() ES modules), so the snippet's exports become CommonJS.
node_snippet=pkg/node/$snippet
names=$(sed -n -E 's/^export (class|function|async function) ([A-Za-z_$][A-Za-z0-9_$]*).*/\2/p' "$node_snippet" | paste -sd, -)
sed -i -E 's/^export (class|function|async function) /\1 /' "$node_snippet"
printf '\nmodule.exports = { %s };\n' "$names" >> "$node_snippet"
printf '{ "type": "commonjs" }\n' > pkg/node/package.json
printf '{ "type": "module" }\n' > pkg/web/package.json

# The browser build's JavaScript is what pages download: minify it (names
# kept, so stack traces and `constructor.name` stay readable). The Node
# build stays as generated.
for js in pkg/web/katapult_wasm.js pkg/web/spec.js "pkg/web/$snippet"; do
  node_modules/.bin/esbuild "$js" --minify --keep-names --format=esm --target=es2020 \
    --log-level=warning --outfile="$js.min" && mv "$js.min" "$js"
done

# The operation table the entries install the named methods from (generated
# from the OpenAPI document): ESM, minified, for browsers; CommonJS for Node.
node_modules/.bin/esbuild src/generated/operations.js --minify --format=esm --target=es2020 \
  --log-level=warning --outfile=pkg/operations.js
sed -e 's/^export const OPERATIONS = /exports.OPERATIONS = /' src/generated/operations.js > pkg/operations.cjs
grep -q '^exports.OPERATIONS = ' pkg/operations.cjs || { echo "[pkg] operations.cjs: no table" >&2; exit 1; }

version=$(awk -F'"' '/^version = /{print $2; exit}' Cargo.toml)
for f in pkg-template/*; do
  name=$(basename "$f")
  sed -e "s#__SNIPPET__#$snippet#g" -e "s#__VERSION__#$version#g" "$f" > "pkg/$name"
done
# The npm README: the template's preamble plus the user part of README.md.
sed -n '/<!-- user-docs-start -->/,/<!-- user-docs-end -->/p' README.md | sed '1d;$d' >> pkg/README.md

# Types: the generated declarations, for ESM (.d.ts) and CommonJS (.d.cts) consumers.
cp pkg/node/$crate.d.ts pkg/index.d.ts
cp pkg/node/$crate.d.ts pkg/index.d.cts
sed 's#"./index.js"#"./index.cjs"#' pkg-template/spec.d.ts > pkg/spec.d.cts
# Node's entries also re-export the spec tools (browsers import them from
# katapult-wasm/spec): their types are the main ones plus those two.
node_types='\n/** In Node the main entry re-exports the spec tools of katapult-wasm/spec. */\nexport { buildSpecXml, parseSpecXml } from "./spec%s";\n'
{ cat pkg/index.d.ts; printf "$node_types" .js; } > pkg/node.d.ts
{ cat pkg/index.d.cts; printf "$node_types" .cjs; } > pkg/node.d.cts

size() { echo "$(wc -c < "$1") bytes raw, $(gzip -9 -c "$1" | wc -c) bytes gzip -9"; }
echo "[pkg] pkg/ ready: katapult-wasm $version; client wasm $(size pkg/web/${crate}_bg.wasm); spec wasm $(size pkg/web/spec_bg.wasm)"
