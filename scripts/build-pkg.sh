#!/usr/bin/env bash
# Builds the two WebAssembly modules once and assembles pkg/, the npm
# package:
#   pkg/katapult.wasm, pkg/katapult-spec.wasm   the modules (wasm-opt -Oz); they import nothing
#   pkg/index.js, pkg/spec.js     browser and bundler entries: src/js/ bundled as ES modules
#   pkg/workerd.js, pkg/spec-workerd.js   Cloudflare Workers entries (they import the modules)
#   pkg/katapult-node.cjs, pkg/spec.cjs   Node builds: src/js/ bundled as CommonJS
#   pkg/node.cjs                  the Node entry over katapult-node.cjs (pkg-template/)
#   pkg/node.mjs, pkg/spec.mjs    Node's ES module entries over them (pkg-template/)
#   pkg/*.d.ts, *.d.cts           the declarations: src/js/client.d.ts, the
#                                 generated src/generated/types.d.ts and public-types.d.ts,
#                                 and src/js/spec-types.d.ts
#   pkg/katapult-mock.wasm        katapult-wasm/testing's mock (mock-wasm/, wasm-opt -Os)
#   pkg/testing.js, testing-workerd.js, testing.cjs, testing.mjs, testing.d.ts, testing.d.cts
#                                 its entries (src/js/testing*.js, pkg-template/testing.*);
#                                 nothing of it is reachable from the client's entries
# No entry instantiates a module when imported: they load it on first use
# (src/js/module.js).
set -euo pipefail
cd "$(dirname "$0")/.."

# Up to date: nothing pkg/ is made of changed since it was built (a second
# `make demo` or `make test` then starts at once). KATAPULT_REBUILD=1 forces.
stamp=pkg/.built
inputs=(src pkg-template codegen scripts/build-pkg.sh Cargo.toml Cargo.lock README.md LICENSE mock-core mock-wasm spec)
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
# cost bytes), no panic locations or Debug formatting, and std's own
# size-over-speed choices: 15% smaller than a plain build. These are unstable options of the pinned stable
# toolchain, enabled with RUSTC_BOOTSTRAP, in a target directory of their
# own. Without the rust-src component (offline), the plain build is used.
# Two modules from one crate (Cargo features): the client, which every page
# loads, and the spec tools (`katapult-wasm/spec`), loaded only by pages that
# use them.
min_target=target/wasm-min
build_module() { # feature -> target/pkg-wasm/<feature>.wasm
  local feature=$1 out
  if rustup component list --installed 2>/dev/null | grep -q '^rust-src'; then
    RUSTC_BOOTSTRAP=1 CARGO_TARGET_DIR=$min_target \
      RUSTFLAGS="-Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none -Zfmt-debug=none --cfg katapult_speed" \
      cargo build --quiet --release --target wasm32-unknown-unknown -p katapult-wasm \
      --no-default-features --features "$feature" -Zbuild-std=std,panic_abort \
      -Zbuild-std-features=optimize_for_size
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
# The mock of katapult-wasm/testing: a plain release build (it is for
# tests, so the client's size tricks are not worth their build time here).
echo "[pkg] cargo build (release, wasm32): the mock of katapult-wasm/testing"
cargo build --quiet --release --target wasm32-unknown-unknown -p katapult-mock-wasm

rm -rf pkg
mkdir -p pkg
for m in client:katapult spec:katapult-spec; do
  # --low-memory-unused: Rust's data starts past its 1 MiB stack.
  "$wasm_opt" -Oz --low-memory-unused --strip-debug --strip-producers --strip-target-features \
    "target/pkg-wasm/${m%%:*}.wasm" -o "pkg/${m#*:}.wasm"
done
# -Os: as small as -Oz within 0.1% (most of the module is the OpenAPI
# document it answers from), in two thirds of the time.
"$wasm_opt" -Os --strip-debug --strip-producers --strip-target-features \
  target/wasm32-unknown-unknown/release/katapult_mock_wasm.wasm -o pkg/katapult-mock.wasm
# The module must import nothing: it never calls JavaScript.
node -e '
  const fs = require("fs");
  for (const f of ["pkg/katapult.wasm", "pkg/katapult-spec.wasm", "pkg/katapult-mock.wasm"]) {
    const imports = WebAssembly.Module.imports(new WebAssembly.Module(fs.readFileSync(f)));
    if (imports.length) { console.error(`[pkg] ${f} imports ${JSON.stringify(imports)}`); process.exit(1); }
  }'

# The JavaScript: each entry bundled with what it uses by esbuild, then
# minified by terser (its passes over the whole bundle: 3% smaller gzip
# than esbuild's own minifier on the browser entry, measured).
terser=node_modules/.bin/terser
version=$(awk -F'"' '/^version = /{print $2; exit}' Cargo.toml)
bundle() { # entry format out [externals...]
  local entry=$1 format=$2 out=$3; shift 3
  local ext=()
  for e in "$@"; do ext+=("--external:$e"); done
  "$esbuild" "$entry" --bundle --format="$format" --target=es2020 --platform=neutral \
    --log-level=warning --define:KATAPULT_VERSION="\"$version\"" ${ext[@]+"${ext[@]}"} --outfile="$out.full.js"
  local module=()
  [ "$format" = esm ] && module=(--module)
  "$terser" "$out.full.js" ${module[@]+"${module[@]}"} --ecma 2020 \
    --compress passes=3,directives=false --mangle -o "$out"
  rm "$out.full.js"
}
bundle src/js/browser.js esm pkg/index.js ./spec.js
bundle src/js/spec-browser.js esm pkg/spec.js
bundle src/js/katapult-node.js cjs pkg/katapult-node.cjs ./spec.cjs "node:*"
bundle src/js/workerd.js esm pkg/workerd.js ./katapult.wasm ./spec-workerd.js
bundle src/js/spec-workerd.js esm pkg/spec-workerd.js ./katapult-spec.wasm
bundle src/js/spec-node.js cjs pkg/spec.cjs "node:*"
bundle src/js/testing-browser.js esm pkg/testing.js
bundle src/js/testing-node.js cjs pkg/testing.cjs "node:*"
bundle src/js/testing-workerd.js esm pkg/testing-workerd.js ./katapult-mock.wasm

for f in pkg-template/*; do
  name=$(basename "$f")
  sed -e "s#__VERSION__#$version#g" "$f" > "pkg/$name"
done
cp LICENSE pkg/LICENSE
# The npm README: the template's preamble plus the user part of README.md.
sed -n '/<!-- user-docs-start -->/,/<!-- user-docs-end -->/p' README.md | sed '1d;$d' >> pkg/README.md

# Declarations: the hand-written part, the generated one and the spec
# model's, for ESM (.d.ts) and CommonJS (.d.cts) consumers.
# Every main entry re-exports the spec tools of katapult-wasm/spec (the
# same names under every condition; in browsers they work once that module
# has loaded), so every set of types declares them.
spec_types='\n/** The spec tools of katapult-wasm/spec, re-exported (in a browser, usable once that module has loaded). */\nexport { buildSpecXml, parseSpecXml } from "./spec%s";\n'
{ cat src/js/client.d.ts; echo; sed -n '/^export /,$p' src/generated/types.d.ts; echo; sed -n '/^\/\*\* The Public API/,$p' src/generated/public-types.d.ts; echo; cat src/js/spec-types.d.ts; printf "$spec_types" .js; } > pkg/index.d.ts
sed 's#"./index.js"#"./node.cjs"#' pkg-template/spec.d.ts > pkg/spec.d.cts
sed 's#"./index.js"#"./node.cjs"#' pkg-template/testing.d.ts > pkg/testing.d.cts
cp pkg/index.d.ts pkg/node.d.ts
sed 's#from "./spec.js";$#from "./spec.cjs";#' pkg/index.d.ts > pkg/node.d.cts

size() { echo "$(wc -c < "$1") bytes raw, $(gzip -9 -c "$1" | wc -c) bytes gzip -9"; }
echo "[pkg] pkg/ ready: katapult-wasm $version; client wasm $(size pkg/katapult.wasm); spec wasm $(size pkg/katapult-spec.wasm); index.js $(size pkg/index.js); mock wasm $(size pkg/katapult-mock.wasm); testing.js $(size pkg/testing.js)"
mv target/pkg-stamp.new "$stamp"
