// Loading the module in a browser (src/js/module.js, as the browser entries
// bundle it): where a bundler or dev server left the package's copy, and
// what a wasm fetch that gets a page or a 404 says. fetch is stubbed here
// with the answers those servers give.
import { test } from "node:test";
import assert from "node:assert/strict";
import { fallbackUrls, fetchModule } from "../../src/js/module.js";

const html = () => new Response("<!doctype html><html><body>app</body></html>", { status: 200, headers: { "content-type": "text/html" } });

async function withFetch(answer, body) {
  const real = globalThis.fetch;
  const asked = [];
  globalThis.fetch = async (url) => (asked.push(String(url)), answer(String(url)));
  try {
    return { result: await body().catch((e) => e), asked };
  } finally {
    globalThis.fetch = real;
  }
}

test("Vite's pre-bundled copy: the package's own file in node_modules is tried next", () => {
  const here = "http://localhost:5173/node_modules/.vite/deps/katapult-wasm.js?v=1a2b3c";
  assert.deepEqual(fallbackUrls(here, "katapult.wasm"), ["http://localhost:5173/node_modules/katapult-wasm/katapult.wasm"]);
  assert.deepEqual(fallbackUrls("http://localhost:5173/assets/index-abc.js", "katapult.wasm"), []);
  assert.deepEqual(fallbackUrls("file:///app/node_modules/katapult-wasm/index.js", "katapult.wasm"), []);
});

test("a dev server's HTML page instead of the module says so, with the URL and the Vite line", async () => {
  const urls = ["http://localhost:5173/node_modules/.vite/deps/katapult.wasm", "http://localhost:5173/node_modules/katapult-wasm/katapult.wasm"];
  const { result, asked } = await withFetch(html, () => fetchModule("katapult.wasm", urls));
  assert.deepEqual(asked, urls, "every place is tried, in order");
  assert.ok(result instanceof Error);
  assert.match(result.message, /http:\/\/localhost:5173\/node_modules\/\.vite\/deps\/katapult\.wasm answered HTTP 200 with an HTML page, not WebAssembly/);
  assert.match(result.message, /To fix it, add optimizeDeps: \{ exclude: \["katapult-wasm"\] \} to vite\.config\./);
  assert.doesNotMatch(result.message, /magic word/);
});

test("a 404 says so, with the line for a bundler that does not copy the file", async () => {
  const { result } = await withFetch(() => new Response("Not Found", { status: 404 }), () => fetchModule("katapult.wasm", ["http://127.0.0.1:8000/dist/katapult.wasm"]));
  assert.match(result.message, /http:\/\/127\.0\.0\.1:8000\/dist\/katapult\.wasm answered HTTP 404, not WebAssembly/);
  assert.match(result.message, /serve katapult\.wasm next to the script that imports katapult-wasm \(esbuild: cp node_modules\/katapult-wasm\/katapult\.wasm next to the bundle\)/);
});

test("the first place that serves WebAssembly is used", async () => {
  const wasm = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
  const { result, asked } = await withFetch((url) => (url.includes(".vite") ? html() : new Response(wasm)), () =>
    fetchModule("katapult.wasm", ["http://h/node_modules/.vite/deps/katapult.wasm", "http://h/node_modules/katapult-wasm/katapult.wasm"]));
  assert.ok(result instanceof WebAssembly.Module, String(result));
  assert.equal(asked.length, 2);
});

test("the browser entry exports the spec tools too, which wait for katapult-wasm/spec", async () => {
  const { repo } = await import("./mock.mjs");
  const { pathToFileURL } = await import("node:url");
  const path = (await import("node:path")).default;
  const main = await import(pathToFileURL(path.join(repo, "pkg/index.js")).href);
  assert.equal(typeof main.buildSpecXml, "function");
  assert.equal(typeof main.parseSpecXml, "function");
  delete globalThis[Symbol.for("katapult-wasm.spec")];
  assert.throws(() => main.buildSpecXml({}), (e) => e.code === "not_ready" && /await ready\(\) from "katapult-wasm\/spec"/.test(e.message));
  // Importing the spec entry registers its tools: the main entry's calls go
  // to them (whose module, fetched by URL, cannot load in Node: not_ready still).
  await import(pathToFileURL(path.join(repo, "pkg/spec.js")).href);
  const registered = globalThis[Symbol.for("katapult-wasm.spec")];
  assert.equal(typeof registered.buildSpecXml, "function");
  let seen = null;
  const real = registered.parseSpecXml;
  registered.parseSpecXml = (xml) => (seen = xml, { hostname: "web-1" });
  try {
    assert.deepEqual(main.parseSpecXml("<VirtualMachineSpec/>"), { hostname: "web-1" });
    assert.equal(seen, "<VirtualMachineSpec/>");
  } finally {
    registered.parseSpecXml = real;
  }
});
