// Node entry (CommonJS). The module (katapult.wasm) is read and
// instantiated synchronously on first use; the ES module entry (node.mjs)
// shares this one, so ESM and CJS users in one process get the same
// classes. The spec tools (./spec.cjs, a module of their own) load when
// first needed: by a spec object passed to buildVirtualMachineFromSpec, or
// by the buildSpecXml / parseSpecXml re-exported here for Node (browsers
// import them from katapult-wasm/spec).
"use strict";
const bindings = require("./cjs/katapult_wasm_bg.js");
const glue = require("./cjs/__SNIPPET__");
const { OPERATIONS } = require("./operations.cjs");
const { locator } = require("./locate.cjs");

const where = locator("katapult.wasm", typeof __dirname === "string" ? __dirname : undefined);
const loader = glue.moduleLoader(bindings, { "./katapult_wasm_bg.js": bindings, "./__SNIPPET__": glue }, {
  readSync: where.read,
});

const KatapultClient = glue.lazyClient(bindings.KatapultClient, loader);
let spec;
const specPlaces = [];
const specTools = () => {
  if (!spec) {
    spec = require("./spec.cjs");
    spec.__locate(...specPlaces);
  }
  return spec;
};
glue.acceptSpecObjects(KatapultClient, async () => specTools());
const operations = glue.installOperations(KatapultClient, OPERATIONS);

/** Loads the WebAssembly module now (it loads on first use otherwise). */
function ready() {
  return loader.load();
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
  KatapultClient,
  KatapultError: glue.KatapultError,
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
// The instance's exports (memory), for the package's own resource tests.
Object.defineProperty(module.exports, "__exports", { value: () => loader.exports });
