// Browser and bundler entry: instantiates the WebAssembly module once (top-level
// await), then exports the client. The .wasm file is located next to this module.
import init, { KatapultClient } from "./web/katapult_wasm.js";
import { KatapultError } from "./web/__SNIPPET__";

await init({ module_or_path: new URL("./web/katapult_wasm_bg.wasm", import.meta.url) });

export { KatapultClient, KatapultError };
