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
// The spec tools (katapult-wasm/spec), loaded for a spec object.
const specTools = async () => {
  try {
    const loaded = await import("./spec.js");
    await loaded.ready();
    return loaded;
  } catch (e) {
    throw new KatapultError("network_error", 0, `katapult-wasm/spec could not be loaded: ${e && e.message}`, null, null);
  }
};

/** Every operation of the Core API v1, with the named method that calls it. */
export const operations = installMethods(client, TABLE, async (spec) => (await specTools()).buildSpecXml(spec));
export { KatapultError };

// The spec tools under the same names as every other entry's. They are
// synchronous and their module loads on demand (katapult-wasm/spec
// registers itself when imported): until it has loaded (import it and
// await its ready(), or pass a spec object to buildVirtualMachineFromSpec)
// they throw `not_ready`, as that entry's own do.
const spec = (name) => {
  const registered = globalThis[Symbol.for("katapult-wasm.spec")];
  if (registered) return registered;
  throw new KatapultError("not_ready", 0, `katapult-wasm/spec is still loading: await ready() from "katapult-wasm/spec" before calling ${name}`, null, null);
};

/** The spec XML for a spec object (see katapult-wasm/spec). */
export const buildSpecXml = (value) => spec("buildSpecXml").buildSpecXml(value);

/** The spec object for a spec XML document (see katapult-wasm/spec). */
export const parseSpecXml = (xml) => spec("parseSpecXml").parseSpecXml(xml);

/** Loads the WebAssembly module now (it loads on first use otherwise). */
export function ready() {
  return host.load();
}
