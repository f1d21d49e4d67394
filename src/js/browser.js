// Browser and bundler entry (ES module; scripts/build-pkg.sh bundles it
// as pkg/index.js). Importing it loads nothing: the WebAssembly module,
// katapult.wasm next to this file (named with `new URL(…,
// import.meta.url)`, which bundlers follow and copy), is fetched and
// compiled on first use, or when ready() is called. The spec tools
// (./spec.js, a module of their own) load only when first needed.
import { fallbackUrls, fetchModule, moduleHost } from "./module.js";
import { makeClient } from "./client.js";
import { installMethods } from "./methods.js";
import { KatapultError } from "./errors.js";
import { TABLE } from "./operations.js";
import { configProblem } from "./config-check.js";

const host = moduleHost("katapult.wasm", {
  fetchAsync: () => fetchModule("katapult.wasm", [new URL("./katapult.wasm", import.meta.url), ...fallbackUrls(import.meta.url, "katapult.wasm")]),
});
const client = makeClient(host, TABLE, configProblem);

/** A Katapult Core API v1 client. */
export const KatapultClient = client.KatapultClient;
/** Every operation of the Core API v1, with the named method that calls it. */
export const operations = installMethods(client, TABLE, async (spec) => {
  let tools;
  try {
    tools = await import("./spec.js");
    await tools.ready();
  } catch (e) {
    throw new KatapultError("network_error", 0, `katapult-wasm/spec could not be loaded: ${e && e.message}`, null, null);
  }
  return tools.buildSpecXml(spec);
});
export { KatapultError };

/** Loads the WebAssembly module now (it loads on first use otherwise). */
export function ready() {
  return host.load();
}
