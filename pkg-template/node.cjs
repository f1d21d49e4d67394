// Node entry (CommonJS). The Node build loads its .wasm synchronously; the
// spec tools (./spec.cjs) load when first needed.
"use strict";
const { KatapultClient } = require("./node/katapult_wasm.js");
const { KatapultError, acceptSpecObjects } = require("./node/__SNIPPET__");

acceptSpecObjects(KatapultClient, async () => require("./spec.cjs"));

module.exports = { KatapultClient, KatapultError };
