// katapult-wasm/spec for Cloudflare Workers ("workerd" condition; bundled
// as pkg/spec-workerd.js): the spec module imported as a
// WebAssembly.Module, instantiated on first use, so buildSpecXml and
// parseSpecXml work at once.
import wasm from "./katapult-spec.wasm";
import { moduleHost } from "./module.js";
import { specTools } from "./spec-tools.js";

const host = moduleHost("katapult-spec.wasm", { readSync: () => wasm });

/** Instantiates the spec tools' module now (it is, on first use, otherwise). */
export const ready = () => host.load();

export const { buildSpecXml, parseSpecXml } = specTools(host);
// Found by the main entry's buildSpecXml and parseSpecXml.
globalThis[Symbol.for("katapult-wasm.spec")] = { buildSpecXml, parseSpecXml };
