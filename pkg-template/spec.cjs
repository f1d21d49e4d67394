// katapult-wasm/spec, Node entry (CommonJS): the VM spec document tools.
"use strict";
const { buildSpecXml, parseSpecXml } = require("./node/spec.js");

module.exports = { buildSpecXml, parseSpecXml };
