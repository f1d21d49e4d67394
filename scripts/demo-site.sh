#!/usr/bin/env bash
# Assembles the demo site (www-demo/ plus the built pkg/) into DIR
# (default target/demo-site), ready to be served by katapult-mock --static.
set -euo pipefail
cd "$(dirname "$0")/.."
site=${1:-target/demo-site}
[ -f pkg/index.js ] || { echo "pkg/ is not built: run make pkg" >&2; exit 1; }
rm -rf "$site"
mkdir -p "$site"
cp -r www-demo/. "$site/"
cp -r pkg "$site/pkg"
echo "$site"
