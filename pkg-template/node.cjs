// Node entry (CommonJS). The Node build loads its .wasm synchronously.
"use strict";
const { KatapultClient } = require("./node/katapult_wasm.js");
const { KatapultError } = require("./node/__SNIPPET__");

module.exports = { KatapultClient, KatapultError };
