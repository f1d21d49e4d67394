// katapult-wasm/testing, Node entry (ES module), sharing the CommonJS build
// and naming its module with `new URL(…, import.meta.url)` for bundlers.
import { readFileSync } from "node:fs";
import testing from "./testing.cjs";

testing.__locate(
  () => readFileSync(new URL("./katapult-mock.wasm", import.meta.url)),
  () => readFileSync(new URL("katapult-mock.wasm", import.meta.resolve("katapult-wasm/package.json"))),
);

export const { createMockKatapult, ready } = testing;
