// katapult-wasm/testing for Cloudflare Workers ("workerd" condition;
// bundled as pkg/testing-workerd.js): the mock's module imported as a
// WebAssembly.Module, instantiated on first use, so createMockKatapult
// works at once.
import wasm from "./katapult-mock.wasm";
import { moduleHost } from "./module.js";
import { mockFactory } from "./testing.js";

const host = moduleHost("katapult-mock.wasm", { readSync: () => wasm });

/** Instantiates the mock's module now (it is, on first use, otherwise). */
export const ready = () => host.load();

/** The package's Katapult mock, in-process (see katapult-wasm/testing's types). */
export const createMockKatapult = mockFactory(host);
