// Node entry (CommonJS). The Node build is ./katapult-node.cjs; this file
// names its exports one by one, so Node's ES module entry (node.mjs), which
// imports it, finds them without scanning the whole bundle (measured: 6 ms
// of every cold start). The ESM and CJS entries share one build: the same
// classes for ESM and CJS users in one process.
"use strict";
const node = require("./katapult-node.cjs");

exports.KatapultClient = node.KatapultClient;
exports.KatapultPublicClient = node.KatapultPublicClient;
exports.publicOperations = node.publicOperations;
exports.KatapultError = node.KatapultError;
exports.isKatapultError = node.isKatapultError;
exports.operations = node.operations;
exports.ready = node.ready;
exports.buildSpecXml = node.buildSpecXml;
exports.parseSpecXml = node.parseSpecXml;
// Not part of the API: where node.mjs finds the modules, and the package's
// own tests' view of the instance.
for (const key of ["__locate", "__locateSpec", "__internals"]) {
  Object.defineProperty(exports, key, { value: node[key] });
}
