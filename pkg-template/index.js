// Browser and bundler entry: instantiates the WebAssembly module once (top-level
// await), then exports the client. The .wasm file is located next to this module.
// The spec tools (./spec.js, their own module) load only when first needed.
import init, { KatapultClient } from "./web/katapult_wasm.js";
import { KatapultError, acceptSpecObjects, installOperations } from "./web/__SNIPPET__";
import { OPERATIONS } from "./operations.js";

await init({ module_or_path: new URL("./web/katapult_wasm_bg.wasm", import.meta.url) });
acceptSpecObjects(KatapultClient, () => import("./spec.js"));
/** Every operation of the Core API v1, with the named method that calls it. */
export const operations = installOperations(KatapultClient, OPERATIONS);

export { KatapultClient, KatapultError };
