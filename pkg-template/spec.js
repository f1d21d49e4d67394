// katapult-wasm/spec, browser and bundler entry: the VM spec document tools,
// a WebAssembly module of their own (katapult-spec.wasm), fetched on first
// use or by ready(). buildSpecXml and parseSpecXml are synchronous, so in a
// browser `await ready()` first. Errors are the main entry's KatapultError.
import * as bindings from "./esm/spec_bg.js";
import * as glue from "./esm/__SNIPPET__";

const loader = glue.moduleLoader(bindings, { "./spec_bg.js": bindings, "./__SNIPPET__": glue }, {
  fetchAsync: () => fetch(new URL("./katapult-spec.wasm", import.meta.url)),
});

/** Loads the spec tools' module; resolves when buildSpecXml and parseSpecXml can be called. */
export function ready() {
  return loader.load();
}

export const buildSpecXml = glue.whenLoaded(loader, "buildSpecXml", bindings.buildSpecXml);
export const parseSpecXml = glue.whenLoaded(loader, "parseSpecXml", bindings.parseSpecXml);
