// Browser and bundler entry (ES module). Importing it loads nothing: the
// WebAssembly module, katapult.wasm next to this file (named with
// `new URL(…, import.meta.url)`, which bundlers follow and copy), is fetched
// and compiled on first use, or when ready() is called. The spec tools
// (./spec.js, a module of their own) load only when first needed.
import * as bindings from "./esm/katapult_wasm_bg.js";
import * as glue from "./esm/__SNIPPET__";
import { OPERATIONS } from "./operations.js";

const loader = glue.moduleLoader(bindings, { "./katapult_wasm_bg.js": bindings, "./__SNIPPET__": glue }, {
  fetchAsync: () => fetch(new URL("./katapult.wasm", import.meta.url)),
});

/** A Katapult Core API v1 client. */
export const KatapultClient = glue.lazyClient(bindings.KatapultClient, loader);
glue.acceptSpecObjects(KatapultClient, () => import("./spec.js").then((spec) => spec.ready().then(() => spec)));
/** Every operation of the Core API v1, with the named method that calls it. */
export const operations = glue.installOperations(KatapultClient, OPERATIONS);
export const KatapultError = glue.KatapultError;

/** Loads the WebAssembly module now (it loads on first use otherwise). */
export function ready() {
  return loader.load();
}
