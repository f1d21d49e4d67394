// katapult-wasm/spec, browser and bundler entry: the VM spec document tools,
// a WebAssembly module of their own (instantiated here, top-level await).
// Errors are the main entry's KatapultError (one shared class).
import init, { buildSpecXml, parseSpecXml } from "./web/spec.js";

await init({ module_or_path: new URL("./web/spec_bg.wasm", import.meta.url) });

export { buildSpecXml, parseSpecXml };
