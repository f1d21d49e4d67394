// katapult-wasm/spec, Node entry (CommonJS): the VM spec document tools,
// their module read and instantiated synchronously on first use.
"use strict";
const bindings = require("./cjs/spec_bg.js");
const glue = require("./cjs/__SNIPPET__");
const { locator } = require("./locate.cjs");

const where = locator("katapult-spec.wasm", typeof __dirname === "string" ? __dirname : undefined);
const loader = glue.moduleLoader(bindings, { "./spec_bg.js": bindings, "./__SNIPPET__": glue }, {
  readSync: where.read,
});

module.exports = {
  buildSpecXml: glue.whenLoaded(loader, "buildSpecXml", bindings.buildSpecXml),
  parseSpecXml: glue.whenLoaded(loader, "parseSpecXml", bindings.parseSpecXml),
  /** Loads the spec tools' module now (it loads on first use otherwise). */
  ready: () => loader.load(),
};
Object.defineProperty(module.exports, "__locate", { value: where.prefer });
