// katapult-wasm/testing in a browser page (headless Chromium): the page
// imports pkg/testing.js and pkg/index.js as plain ES modules, waits for
// ready(), and calls the client through the in-process mock: no request
// leaves the page but those for the package's own files.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { chromium } from "playwright-core";
import { repo, CHROMIUM, CHROMIUM_ARGS } from "./harness.mjs";

const PAGE = `<!doctype html><meta charset="utf-8"><title>katapult-wasm/testing</title>
<script type="module">
  import { KatapultClient } from "/pkg/index.js";
  import { createMockKatapult, ready } from "/pkg/testing.js";
  window.run = async () => {
    const out = {};
    try {
      createMockKatapult();
    } catch (e) {
      out.beforeReady = e.code;
    }
    await ready();
    const mock = createMockKatapult({ seed: "empty" });
    const k = new KatapultClient({ token: mock.token, fetch: mock.fetch, maxRetries: 0 });
    const { organizations } = await k.listOrganizations();
    out.organizations = organizations.length;
    const org = { id: organizations[0].id };
    const { security_group } = await k.request("post:organization_security_groups", { organization: org, properties: { name: "in-a-page" } });
    const { security_group: got, } = await k.request("get:security_group", { security_group: { id: security_group.id } });
    out.got = got.name;
    const { response } = await k.listOrganizations().withResponse();
    out.requestId = response.requestId;
    mock.fault({ operationId: "get:organizations", status: 503, times: 1 });
    out.fault = await k.listOrganizations().then(() => "resolved", (e) => \`\${e.code} \${e.status}\`);
    mock.fault({ operationId: "get:organizations", drop: true, times: 1 });
    out.drop = await k.listOrganizations().then(() => "resolved", (e) => \`\${e.code} \${e.cause && e.cause.message}\`);
    const wrong = new KatapultClient({ token: "wrong", fetch: mock.fetch, maxRetries: 0 });
    out.wrongToken = await wrong.listOrganizations().then(() => "resolved", (e) => e.code);
    out.calls = mock.calls.map((c) => c.operationId);
    mock.reset();
    out.afterReset = mock.calls.length;
    const raw = await mock.fetch(new Request("https://api.katapult.io/core/v1/nothing", { headers: { authorization: "Bearer " + mock.token } }));
    out.raw = raw.status + " " + (await raw.json()).error.code;
    return out;
  };
  document.body.dataset.ready = "1";
</script>`;

let server, origin, browser;
const requested = [];

before(async () => {
  server = createServer(async (req, res) => {
    requested.push(req.url);
    const url = new URL(req.url, "http://x");
    if (url.pathname === "/") {
      res.writeHead(200, { "content-type": "text/html" });
      return res.end(PAGE);
    }
    const file = url.pathname.startsWith("/pkg/") ? path.join(repo, "pkg", path.basename(url.pathname)) : null;
    try {
      const body = await readFile(file);
      const type = file.endsWith(".wasm") ? "application/wasm" : "text/javascript";
      res.writeHead(200, { "content-type": type });
      res.end(body);
    } catch {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  origin = `http://127.0.0.1:${server.address().port}`;
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
});

after(async () => {
  await browser?.close();
  server?.close();
});

test("createMockKatapult in a browser page answers the client with no network", async () => {
  const page = await browser.newPage();
  const errors = [];
  const outside = [];
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("request", (r) => {
    if (!r.url().startsWith(origin)) outside.push(r.url());
  });
  await page.goto(`${origin}/`);
  await page.waitForFunction(() => document.body.dataset.ready === "1");
  const out = await page.evaluate(() => window.run());
  assert.deepEqual(errors, []);
  assert.equal(out.beforeReady, "not_ready");
  assert.ok(out.organizations >= 1);
  assert.equal(out.got, "in-a-page");
  assert.match(out.requestId, /^req_/);
  assert.equal(out.fault, "service_unavailable 503");
  assert.match(out.drop, /^network_error fetch failed$/);
  assert.equal(out.wrongToken, "invalid_api_token");
  assert.deepEqual(out.calls, [
    "get:organizations", "post:organization_security_groups", "get:security_group",
    "get:organizations", "get:organizations", "get:organizations", "get:organizations",
  ]);
  assert.equal(out.afterReset, 0);
  assert.equal(out.raw, "404 route_not_found");
  assert.deepEqual(outside, [], "no request left the page");
  assert.ok(requested.includes("/pkg/katapult-mock.wasm") && requested.includes("/pkg/katapult.wasm"), requested.join(" "));
  await page.close();
});
