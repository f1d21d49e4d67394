// katapult-wasm/spec, Node entry (ES module), sharing the CommonJS build.
import spec from "./spec.cjs";

export const { buildSpecXml, parseSpecXml } = spec;
