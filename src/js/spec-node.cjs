// katapult-wasm/spec, Node entry (CommonJS; bundled as pkg/spec.cjs): the
// VM spec document tools, their module read and instantiated
// synchronously on first use.
"use strict";
const { moduleHost } = require("./module.js");
const { specTools } = require("./spec-tools.js");
const { locator } = require("./locate.cjs");

const where = locator("katapult-spec.wasm", typeof __dirname === "string" ? __dirname : undefined);
const host = moduleHost("katapult-spec.wasm", { readSync: where.read });
const tools = specTools(host);

module.exports = {
  buildSpecXml: tools.buildSpecXml,
  parseSpecXml: tools.parseSpecXml,
  /** Loads the spec tools' module now (it loads on first use otherwise). */
  ready: () => host.load(),
};
Object.defineProperty(module.exports, "__locate", { value: where.prefer });
