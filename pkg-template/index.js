// Browser and bundler entry: instantiates the WebAssembly module once (top-level
// await), then exports the client. The .wasm file is located next to this module.
// The spec tools (./spec.js, their own module) load only when first needed.
import init, { KatapultClient } from "./web/katapult_wasm.js";
import { KatapultError, acceptSpecObjects } from "./web/__SNIPPET__";

await init({ module_or_path: new URL("./web/katapult_wasm_bg.wasm", import.meta.url) });
acceptSpecObjects(KatapultClient, () => import("./spec.js"));

export { KatapultClient, KatapultError };
