// katapult-wasm/testing, browser and bundler entry (bundled as
// pkg/testing.js): the mock's module (katapult-mock.wasm, next to this
// file) is fetched on first use or by ready(). createMockKatapult is
// synchronous, so in a browser `await ready()` first (as with
// katapult-wasm/spec). Nothing here is reachable from the client's entries.
import { fallbackUrls, fetchModule, moduleHost } from "./module.js";
import { mockFactory } from "./testing.js";

const host = moduleHost("katapult-mock.wasm", {
  fetchAsync: () =>
    fetchModule("katapult-mock.wasm", [new URL("./katapult-mock.wasm", import.meta.url), ...fallbackUrls(import.meta.url, "katapult-mock.wasm")]),
});

/** Loads the mock's module; resolves when createMockKatapult can be called. */
export function ready() {
  return host.load();
}

/** The package's Katapult mock, in-process (see katapult-wasm/testing's types). */
export const createMockKatapult = mockFactory(host);
