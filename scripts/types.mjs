#!/usr/bin/env node
// Writes the package's declarations from wasm-bindgen's: drops what strict
// consumers trip on or the entries do not export — `[Symbol.dispose]`
// (needs lib esnext.disposable; with skipLibCheck: false it is TS2550) and
// the iterator class (an implementation detail) — and checks nothing of
// the kind is left. Usage: types.mjs IN OUT
import { readFileSync, writeFileSync } from "node:fs";

const [input, output] = process.argv.slice(2);
let dts = readFileSync(input, "utf8");
dts = dts.replace(/^\s*\[Symbol\.dispose\]\(\): void;\n/gm, "");
dts = dts.replace(/^\/\*\*(?:(?!\*\/)[\s\S])*?\*\/\nexport class PageIterator \{[\s\S]*?\n\}\n/m, "");
dts = dts.replace(/^export class PageIterator \{[\s\S]*?\n\}\n/m, "");
const code = dts.replace(/\/\*[\s\S]*?\*\//g, "").replace(/\/\/.*$/gm, "");
for (const [pattern, why] of [
  [/Symbol\.dispose/, "Symbol.dispose"],
  [/class PageIterator/, "the iterator class"],
  [/\bAbortSignal\b(?!Like)/, "the DOM's AbortSignal (use AbortSignalLike)"],
]) {
  if (pattern.test(code)) throw new Error(`${output}: still declares ${why}`);
}
writeFileSync(output, dts);
