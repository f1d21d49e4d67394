// katapult-wasm/spec, Node entry (ES module), sharing the CommonJS build and
// naming its module with `new URL(…, import.meta.url)` for bundlers.
import { readFileSync } from "node:fs";
import spec from "./spec.cjs";

spec.__locate(
  () => readFileSync(new URL("./katapult-spec.wasm", import.meta.url)),
  () => readFileSync(new URL("katapult-spec.wasm", import.meta.resolve("katapult-wasm/package.json"))),
);

export const { buildSpecXml, parseSpecXml, ready } = spec;
