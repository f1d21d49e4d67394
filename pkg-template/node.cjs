// Node entry (CommonJS). The Node build loads its .wasm synchronously; the
// spec tools (./spec.cjs, a module of their own) load when first needed —
// by a spec object passed to buildVirtualMachineFromSpec, or by the
// buildSpecXml / parseSpecXml re-exported here for Node (browsers import
// them from katapult-wasm/spec, so pages that never use them skip the download).
"use strict";
const { KatapultClient } = require("./node/katapult_wasm.js");
const { KatapultError, acceptSpecObjects, installOperations } = require("./node/__SNIPPET__");
const { OPERATIONS } = require("./operations.cjs");

/** Every operation of the Core API v1, with the named method that calls it. */
const operations = installOperations(KatapultClient, OPERATIONS);

let spec;
const specTools = () => (spec ??= require("./spec.cjs"));
acceptSpecObjects(KatapultClient, async () => specTools());

/** The spec XML for a spec object (see katapult-wasm/spec). */
function buildSpecXml(value) {
  return specTools().buildSpecXml(value);
}

/** The spec object for a spec XML document (see katapult-wasm/spec). */
function parseSpecXml(xml) {
  return specTools().parseSpecXml(xml);
}

module.exports = { KatapultClient, KatapultError, buildSpecXml, parseSpecXml, operations };
