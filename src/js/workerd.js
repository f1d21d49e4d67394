// Cloudflare Workers entry (the package's "workerd" export condition;
// bundled as pkg/workerd.js). Workers load WebAssembly by import, as a
// WebAssembly.Module the runtime compiled with the script, not by URL:
// this entry imports katapult.wasm so, and instantiates it on first use.
// The spec tools (./spec-workerd.js) are imported when first needed.
import wasm from "./katapult.wasm";
import { moduleHost } from "./module.js";
import { makeClient } from "./client.js";
import { installMethods } from "./methods.js";
import { KatapultError } from "./errors.js";
import { TABLE } from "./operations.js";
import { publicClient } from "./public.js";

const host = moduleHost("katapult.wasm", { readSync: () => wasm });
const client = makeClient(host, TABLE);

/** A Katapult Core API v1 client. */
export const KatapultClient = client.KatapultClient;
/** A Katapult Public API v1 client (no token). */
export const KatapultPublicClient = publicClient(host);
/** Every operation of the Public API v1, with the named method that calls it. */
export const publicOperations = KatapultPublicClient.operations;
/** Every operation of the Core API v1, with the named method that calls it. */
export const operations = installMethods(client, TABLE, async (spec) => (await import("./spec-workerd.js")).buildSpecXml(spec));
export { KatapultError };
export { isKatapultError } from "./errors.js";

/** Instantiates the module now (it is, on first use, otherwise). */
export function ready() {
  return host.load();
}

// The spec tools under the same names as every other entry's: those of
// katapult-wasm/spec once it is imported (it registers itself), else
// `not_ready`.
const spec = (name) => {
  const registered = globalThis[Symbol.for("katapult-wasm.spec")];
  if (registered) return registered;
  throw new KatapultError("not_ready", 0, `katapult-wasm/spec is not loaded: import it before calling ${name}`, null, null);
};

/** The spec XML for a spec object (see katapult-wasm/spec). */
export const buildSpecXml = (value) => spec("buildSpecXml").buildSpecXml(value);

/** The spec object for a spec XML document (see katapult-wasm/spec). */
export const parseSpecXml = (xml) => spec("parseSpecXml").parseSpecXml(xml);
