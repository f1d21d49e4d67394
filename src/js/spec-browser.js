// katapult-wasm/spec, browser and bundler entry (bundled as pkg/spec.js):
// the VM spec document tools, a WebAssembly module of their own
// (katapult-spec.wasm), fetched on first use or by ready().
// buildSpecXml and parseSpecXml are synchronous, so in a browser `await
// ready()` first. Errors are the main entry's KatapultError.
import { fallbackUrls, fetchModule, moduleHost } from "./module.js";
import { specTools } from "./spec-tools.js";

const host = moduleHost("katapult-spec.wasm", {
  fetchAsync: () =>
    fetchModule("katapult-spec.wasm", [new URL("./katapult-spec.wasm", import.meta.url), ...fallbackUrls(import.meta.url, "katapult-spec.wasm")]),
});

/** Loads the spec tools' module; resolves when buildSpecXml and parseSpecXml can be called. */
export function ready() {
  return host.load();
}

export const { buildSpecXml, parseSpecXml } = specTools(host);
// Found by the main entry's buildSpecXml and parseSpecXml (a registered
// symbol: one set of tools, whichever bundle asks).
globalThis[Symbol.for("katapult-wasm.spec")] = { buildSpecXml, parseSpecXml };
