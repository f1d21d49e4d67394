// katapult-wasm/testing, Node entry (CommonJS; bundled as pkg/testing.cjs):
// the mock's module (katapult-mock.wasm) read and instantiated
// synchronously on first use, so createMockKatapult works at once.
// Written as an ES module so that esbuild joins the files into one scope.
import { moduleHost } from "./module.js";
import { mockFactory } from "./testing.js";
import { locator } from "./locate.js";

const where = locator("katapult-mock.wasm", typeof __dirname === "string" ? __dirname : undefined);
const host = moduleHost("katapult-mock.wasm", { readSync: where.read });

/** The package's Katapult mock, in-process (see katapult-wasm/testing's types). */
export const createMockKatapult = mockFactory(host);
/** Loads the mock's module now (it loads on first use otherwise). */
export const ready = () => host.load();
/** Where testing.mjs finds the module. */
export const __locate = where.prefer;
/** For the package's own tests: the instance's exports (its memory, the mocks alive). */
export const __internals = { exports: () => host.exports };
