// The Node build (CommonJS; scripts/build-pkg.sh bundles it as
// pkg/katapult-node.cjs, which pkg/node.cjs re-exports).
// The module (katapult.wasm) is read and instantiated synchronously on
// first use; the ES module entry (node.mjs) shares this one, so ESM and
// CJS users in one process get the same classes. The spec tools
// (./spec.cjs, a module of their own) load when first needed: by a spec
// object passed to buildVirtualMachineFromSpec, or by the buildSpecXml /
// parseSpecXml re-exported here for Node (browsers import them from
// katapult-wasm/spec).
"use strict";
const { moduleHost } = require("./module.js");
const { makeClient } = require("./client.js");
const { installMethods } = require("./methods.js");
const { KatapultError } = require("./errors.js");
const { checkConfig, configInput, configProblem } = require("./config.js");
const { TABLE } = require("./operations.js");
const { locator } = require("./locate.cjs");

const where = locator("katapult.wasm", typeof __dirname === "string" ? __dirname : undefined);
const host = moduleHost("katapult.wasm", { readSync: where.read });
const client = makeClient(host, TABLE);

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

module.exports = {
  KatapultClient: client.KatapultClient,
  KatapultError,
  operations,
  ready,
  buildSpecXml,
  parseSpecXml,
};
// Places node.mjs names for the module (by import.meta.url, which bundlers
// rewrite): not part of the API, so not enumerable.
Object.defineProperty(module.exports, "__locate", { value: where.prefer });
// The same for the spec tools' module, applied when they load.
Object.defineProperty(module.exports, "__locateSpec", { value: (...readers) => specPlaces.push(...readers) });
// For the package's own tests: the instance's exports (its memory) and
// the two checks of a config (the module's and the browser's).
Object.defineProperty(module.exports, "__internals", {
  value: {
    exports: () => host.exports,
    checkConfig: (config) => {
      host.now();
      return checkConfig(host, configInput(config));
    },
    configProblem,
  },
});
