// katapult-wasm/spec, Node entry (ES module), sharing the CommonJS build and
// naming its module with `new URL(…, import.meta.url)` for bundlers.
import spec from "./spec.cjs";

spec.__locate(
  () => new URL("./katapult-spec.wasm", import.meta.url),
  () => new URL("katapult-spec.wasm", import.meta.resolve("katapult-wasm/package.json")),
);

export const { buildSpecXml, parseSpecXml, ready } = spec;
