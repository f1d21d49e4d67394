// Browser and bundler entry (ES module; scripts/build-pkg.sh bundles it
// as pkg/index.js). Importing it loads nothing: the WebAssembly module,
// katapult.wasm next to this file (named with `new URL(…,
// import.meta.url)`, which bundlers follow and copy), is fetched and
// compiled on first use, or when ready() is called. The spec tools'
// module (katapult-spec.wasm) is fetched only when first needed.
import { fallbackUrls, fetchModule, moduleHost } from "./module.js";
import { specTools } from "./spec-tools.js";
import { makeClient } from "./client.js";
import { installMethods } from "./methods.js";
import { KatapultError } from "./errors.js";
import { TABLE } from "./operations.js";
import { configProblem } from "./config-check.js";
import { publicClient } from "./public.js";

const host = moduleHost("katapult.wasm", {
  fetchAsync: () => fetchModule("katapult.wasm", [new URL("./katapult.wasm", import.meta.url), ...fallbackUrls(import.meta.url, "katapult.wasm")]),
});
const client = makeClient(host, TABLE, configProblem);

/** A Katapult Core API v1 client. */
export const KatapultClient = client.KatapultClient;
/** A Katapult Public API v1 client (no token). */
export const KatapultPublicClient = publicClient(host, configProblem);
/** Every operation of the Public API v1, with the named method that calls it. */
export const publicOperations = KatapultPublicClient.operations;
// The spec tools' module, fetched only when a spec object is passed to
// buildVirtualMachineFromSpec. Loaded here rather than by importing
// ./spec.js: a dynamic import would split the bundle, which the default
// worker format of Vite 6 and 7 (iife) cannot build.
const specHost = moduleHost("katapult-spec.wasm", {
  fetchAsync: () =>
    fetchModule("katapult-spec.wasm", [new URL("./katapult-spec.wasm", import.meta.url), ...fallbackUrls(import.meta.url, "katapult-spec.wasm")]),
});
const tools = specTools(specHost);

/** Every operation of the Core API v1, with the named method that calls it. */
export const operations = installMethods(client, TABLE, async (spec) => (await specHost.load(), tools.buildSpecXml(spec)));
export { KatapultError };
export { isKatapultError } from "./errors.js";

// The spec tools under the same names as every other entry's. They are
// synchronous: they work once katapult-wasm/spec has loaded (import it and
// await its ready(); it registers itself), or once a spec object has been
// built here, and throw `not_ready` until then, as that entry's own do.
const spec = () => globalThis[Symbol.for("katapult-wasm.spec")] || tools;

/** The spec XML for a spec object (see katapult-wasm/spec). */
export const buildSpecXml = (value) => spec().buildSpecXml(value);

/** The spec object for a spec XML document (see katapult-wasm/spec). */
export const parseSpecXml = (xml) => spec().parseSpecXml(xml);

/** Loads the WebAssembly module now (it loads on first use otherwise). */
export function ready() {
  return host.load();
}
