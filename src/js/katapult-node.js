// The Node build (CommonJS; scripts/build-pkg.sh bundles it as
// pkg/katapult-node.cjs, which pkg/node.cjs re-exports).
// The module (katapult.wasm) is read and instantiated synchronously on
// first use; the ES module entry (node.mjs) shares this one, so ESM and
// CJS users in one process get the same classes. The spec tools
// (./spec.cjs, a module of their own) load when first needed: by a spec
// object passed to buildVirtualMachineFromSpec, or by the buildSpecXml /
// parseSpecXml re-exported here for Node (browsers import them from
// katapult-wasm/spec).
//
// Written as an ES module so that esbuild joins the files into one scope
// (no per-file wrappers to run at import); `require` and `__dirname` are
// CommonJS's, which the bundle is.
import { moduleHost } from "./module.js";
import { makeClient } from "./client.js";
import { installMethods } from "./methods.js";
import { KatapultError, isKatapultError } from "./errors.js";
import { checkConfig, configInput } from "./config.js";
import { TABLE } from "./operations.js";
import { locator } from "./locate.js";
import { presenceCheck } from "./presence.js";
import { LIVE_FIELDS } from "../generated/presence.js";
import { publicClient } from "./public.js";

const where = locator("katapult.wasm", typeof __dirname === "string" ? __dirname : undefined);
const host = moduleHost("katapult.wasm", { readSync: where.read });
// KATAPULT_VERSION is the crate's version, set by scripts/build-pkg.sh.
const client = makeClient(host, TABLE, null, `katapult-wasm/${KATAPULT_VERSION}`, presenceCheck(LIVE_FIELDS));

let spec;
const specPlaces = [];
const specTools = () => {
  if (!spec) {
    spec = require("./spec.cjs");
    spec.__locate(...specPlaces);
  }
  return spec;
};
const operations = installMethods(client, TABLE, async (value) => specTools().buildSpecXml(value));

/** Loads the WebAssembly module now (it loads on first use otherwise). */
function ready() {
  return host.load();
}

/** The spec XML for a spec object (see katapult-wasm/spec). */
function buildSpecXml(value) {
  return specTools().buildSpecXml(value);
}

/** The spec object for a spec XML document (see katapult-wasm/spec). */
function parseSpecXml(xml) {
  return specTools().parseSpecXml(xml);
}

export { KatapultError, isKatapultError, operations, ready, buildSpecXml, parseSpecXml };
export const KatapultClient = client.KatapultClient;
export const KatapultPublicClient = publicClient(host, null, `katapult-wasm/${KATAPULT_VERSION}`);
export const publicOperations = KatapultPublicClient.operations;
/** Where node.mjs finds the module (by import.meta.url, which bundlers rewrite). */
export const __locate = where.prefer;
/** The same for the spec tools' module, applied when they load. */
export const __locateSpec = (...readers) => specPlaces.push(...readers);
/** For the package's own tests: the instance's exports (its memory) and the module's check of a config. */
export const __internals = {
  exports: () => host.exports,
  checkConfig: (config, isPublic = false) => {
    host.now();
    return checkConfig(host, configInput(config, isPublic));
  },
};
