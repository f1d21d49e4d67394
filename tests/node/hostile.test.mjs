// API.md "Limits": what hostile arguments and hostile or broken servers
// cannot do. Each test failed on the wasm-bindgen client this driver
// replaced (exceptions unwinding through Rust frames, error bodies built
// as trees in the module, trusted page counts and redirects). The
// servers here are small node:http servers on loopback, each answering
// what the test needs.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import zlib from "node:zlib";
import { createRequire } from "node:module";
import { KatapultClient, KatapultError, ready } from "katapult-wasm";

const internals = createRequire(import.meta.url)("katapult-wasm").__internals;
const MB = 1024 * 1024;
const servers = [];
after(() => Promise.all(servers.map((s) => new Promise((r) => s.close(r)))));

/** A loopback server answering with `handle(req, res)`; resolves its base URL. */
async function serve(handle) {
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      req.body = Buffer.concat(chunks).toString();
      handle(req, res);
    });
  });
  servers.push(server);
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  server.requests = [];
  server.on("request", (req) => server.requests.push(`${req.method} ${req.url}`));
  return { server, base: `http://127.0.0.1:${server.address().port}/core/v1` };
}

const json = (res, status, body, headers = {}) => {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(typeof body === "string" ? body : JSON.stringify(body));
};
const ORGS = { organizations: [{ id: "org_1", name: "Acme", sub_domain: "acme" }] };

/** Arguments that throw when read, every way a caller can make one. */
function throwing() {
  const revoked = Proxy.revocable({}, {});
  revoked.revoke();
  const getter = [];
  Object.defineProperty(getter, 0, { get() { throw new Error("no"); }, enumerable: true });
  return [
    new Proxy({}, { ownKeys() { throw new Error("ownKeys"); } }),
    new Proxy({}, { get() { throw new Error("get"); }, ownKeys: () => ["id"], getOwnPropertyDescriptor: () => ({ value: 1, enumerable: true, configurable: true }) }),
    revoked.proxy,
    getter,
    { get id() { throw new Error("getter"); } },
  ];
}

test("100,000 calls with throwing arguments reject invalid_argument, never throw, and harm nothing", async () => {
  await ready();
  const { base } = await serve((req, res) => json(res, 200, ORGS));
  const k = new KatapultClient({ token: "t", baseUrl: base });
  const first = internals.exports();
  const memory = first.memory.buffer.byteLength;
  const bad = throwing();
  const calls = [
    (a) => k.getVirtualMachine(a),
    (a) => k.listVirtualMachines({ sub_domain: "acme" }, a),
    (a) => k.request("get:virtual_machine", a),
    (a) => k.getVirtualMachineDisks(a),
    (a) => k.listAllVirtualMachines(a),
    (a) => k.waitForTask(a),
    (a) => k.buildVirtualMachineFromSpec({ sub_domain: "acme" }, "<x/>", a),
  ];
  let rejected = 0;
  for (let i = 0; i < 100_000; i++) {
    let promise;
    try {
      promise = calls[i % calls.length](bad[i % bad.length]);
    } catch (e) {
      assert.fail(`call ${i} threw synchronously: ${e}`);
    }
    const e = await promise.then(() => null, (error) => error);
    assert.ok(e instanceof KatapultError && e.code === "invalid_argument" && e.status === 0, `call ${i}: ${e}`);
    rejected++;
  }
  assert.equal(rejected, 100_000);
  // The iterator's first next() rejects the same way.
  const it = k.iterate("get:organization_virtual_machines", bad[0]);
  assert.equal((await it.next().catch((e) => e)).code, "invalid_argument");
  const fresh = new KatapultClient({ token: "t", baseUrl: base });
  assert.deepEqual(await fresh.listOrganizations(), ORGS);
  assert.equal(internals.exports(), first, "the instance never trapped");
  assert.equal(first.memory.buffer.byteLength, memory, "the module's memory did not grow");
});

test("a signal that is not a real AbortSignal rejects invalid_argument, for single calls, walks and waits", async () => {
  const { base } = await serve((req, res) => json(res, 200, ORGS));
  const k = new KatapultClient({ token: "t", baseUrl: base });
  const fakes = [Object.create(AbortSignal.prototype), { aborted: false, addEventListener() {}, removeEventListener() {} }, 5];
  for (const signal of fakes) {
    for (const call of [
      () => k.listOrganizations({ signal }),
      () => k.waitForTask("task_1", { signal }),
      () => k.paginate("get:organization_virtual_machines", { organization: { sub_domain: "acme" } }, { signal }),
      () => k.listAllVirtualMachines({ sub_domain: "acme" }, { signal }),
      () => k.virtualMachines({ sub_domain: "acme" }, { signal }).next(),
    ]) {
      const e = await call().catch((error) => error);
      assert.ok(e instanceof KatapultError && e.code === "invalid_argument", String(e));
      assert.match(e.message, /options\.signal must be an AbortSignal/);
    }
  }
});

test("a token function that never settles loses to abort and to timeouts", async () => {
  const { server, base } = await serve((req, res) => json(res, 200, ORGS));
  const never = () => new Promise(() => {});
  const k = new KatapultClient({ token: never, baseUrl: base, timeoutMs: 300, maxRetries: 0 });
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 100);
  let t = Date.now();
  const aborted = await k.listOrganizations({ signal: controller.signal }).catch((e) => e);
  assert.equal(aborted.code, "aborted");
  assert.ok(Date.now() - t < 250, `aborted after ${Date.now() - t} ms`);
  t = Date.now();
  const timedOut = await k.listOrganizations().catch((e) => e);
  assert.equal(timedOut.code, "timeout");
  assert.ok(Date.now() - t < 1000, `timed out after ${Date.now() - t} ms`);
  const slow = new KatapultClient({ token: never, baseUrl: base, maxRetries: 0 });
  t = Date.now();
  const waited = await slow.waitForTask("task_1", { timeoutMs: 400 }).catch((e) => e);
  assert.equal(waited.code, "timeout");
  assert.ok(Date.now() - t < 1500, `the wait ended after ${Date.now() - t} ms`);
  assert.equal(server.requests.length, 0, "nothing was sent without a token");
});

test("__proto__ and constructor in an error's detail stay own keys", async () => {
  const body = '{"error":{"code":"validation_error","description":"Bad","detail":{"__proto__":{"polluted":1},"constructor":"x","errors":["Size is too small"]}}}';
  const { base } = await serve((req, res) => json(res, 422, body));
  const k = new KatapultClient({ token: "t", baseUrl: base });
  const e = await k.listOrganizations().catch((error) => error);
  assert.equal(e.code, "validation_error");
  assert.equal(Object.getPrototypeOf(e.detail), Object.prototype);
  assert.ok(Object.prototype.hasOwnProperty.call(e.detail, "__proto__"));
  assert.deepEqual(e.detail.__proto__, { polluted: 1 });
  assert.equal(e.detail.constructor, "x");
  assert.equal(e.detail.polluted, undefined);
  assert.equal({}.polluted, undefined);
});

test("__proto__ in a failed task stays an own key of detail.task", async () => {
  const task = '{"task":{"id":"task_1","name":"Start","status":"failed","__proto__":{"polluted":1}}}';
  const { base } = await serve((req, res) => json(res, 200, task));
  const k = new KatapultClient({ token: "t", baseUrl: base });
  const e = await k.waitForTask("task_1").catch((error) => error);
  assert.equal(e.code, "task_failed");
  assert.equal(e.detail.task.id, "task_1");
  assert.ok(Object.prototype.hasOwnProperty.call(e.detail.task, "__proto__"));
  assert.equal(e.detail.task.polluted, undefined);
});

test("a 20 MB error body from 20 KB of gzip costs the module about its size, once", async () => {
  const detail = `{"error":{"code":"x","description":"d","detail":{"errors":[${"0,".repeat(10 * MB)}0]}}}`;
  const gzipped = zlib.gzipSync(detail, { level: 9 });
  assert.ok(gzipped.length < 64 * 1024, `${gzipped.length} bytes of gzip`);
  const { base } = await serve((req, res) => {
    res.writeHead(500, { "content-type": "application/json", "content-encoding": "gzip" });
    res.end(gzipped);
  });
  const k = new KatapultClient({ token: "t", baseUrl: base, maxRetries: 0 });
  const memory = () => internals.exports().memory.buffer.byteLength;
  for (let i = 0; i < 3; i++) {
    const e = await k.listOrganizations().catch((error) => error);
    assert.equal(e.code, "x");
    assert.equal(e.detail.errors.length, 10 * MB + 1);
  }
  const grown = memory();
  console.log(`# module memory after three ${(detail.length / MB).toFixed(1)} MB error bodies: ${(grown / MB).toFixed(1)} MB`);
  assert.ok(grown <= 2.2 * detail.length, `${grown} bytes for a ${detail.length}-byte body`);
});

test("an answer over maxResponseBytes rejects response_too_large without being read whole", async () => {
  // A gzip bomb: 300 MB of zeros as about 300 KB.
  const bomb = zlib.gzipSync(Buffer.alloc(300 * MB, 0x20), { level: 9 });
  let sentDeclared = 0;
  const { base } = await serve((req, res) => {
    if (req.url.includes("declared")) {
      sentDeclared++;
      res.writeHead(200, { "content-type": "application/json", "content-length": String(64 * MB) });
      res.write("{");
      setTimeout(() => res.destroy(), 200);
      return;
    }
    res.writeHead(req.url.includes("error") ? 500 : 200, { "content-type": "application/json", "content-encoding": "gzip" });
    res.end(bomb);
  });
  const k = new KatapultClient({ token: "t", baseUrl: base, maxRetries: 0 });
  const heap = process.memoryUsage().rss;
  const e = await k.listOrganizations().catch((error) => error);
  assert.equal(e.code, "response_too_large");
  assert.equal(e.status, 200);
  assert.match(e.message, /maxResponseBytes \(33554432 bytes\)/);
  const err = await new KatapultClient({ token: "t", baseUrl: `${base}/error`, maxRetries: 0 }).listOrganizations().catch((error) => error);
  assert.equal(err.code, "response_too_large");
  assert.equal(err.status, 500);
  assert.ok(process.memoryUsage().rss - heap < 200 * MB, "the bomb was not inflated whole");
  const small = new KatapultClient({ token: "t", baseUrl: `${base}/declared`, maxRetries: 0, maxResponseBytes: 1024 });
  const declared = await small.listOrganizations().catch((error) => error);
  assert.equal(declared.code, "response_too_large");
  assert.equal(sentDeclared, 1);
  assert.ok(internals.exports().memory.buffer.byteLength < 40 * MB);
});

test("a redirect to another origin is not followed; a same-origin one is", async () => {
  const other = await serve((req, res) => json(res, 200, ORGS));
  const { base } = await serve((req, res) => {
    if (req.url.startsWith("/core/v1/moved")) {
      res.writeHead(307, { location: "/core/v1/organizations" });
      return res.end();
    }
    if (req.url.startsWith("/core/v1/organizations")) return json(res, 200, ORGS);
    res.writeHead(307, { location: `${other.base}${req.url.slice("/core/v1".length)}` });
    res.end();
  });
  const k = new KatapultClient({ token: "t", baseUrl: `${base}/away`, maxRetries: 2 });
  const e = await k.request("post:trash_object_restore", { trash_object: { id: "trsh_1" } }).catch((error) => error);
  assert.equal(e.code, "network_error");
  assert.match(e.message, /another origin \(http:\/\/127\.0\.0\.1:\d+\)/);
  const g = await k.listOrganizations().catch((error) => error);
  assert.equal(g.code, "network_error", "not retried either");
  assert.equal(other.server.requests.length, 0, "the other origin received nothing");
  const moved = new KatapultClient({ token: "t", baseUrl: `${base}/moved` });
  assert.deepEqual(await moved.listOrganizations(), ORGS);
});

test("a walk believes no page count past maxPages, nor endless full pages", async () => {
  let requests = 0;
  const { base } = await serve((req, res) => {
    requests++;
    const page = Number(new URL(req.url, "http://x").searchParams.get("page") || 1);
    const endless = req.url.includes("endless");
    json(res, 200, {
      pagination: endless ? { current_page: page, per_page: 1, large_set: true } : { current_page: page, total_pages: 100_000, total: 100_000, per_page: 1, large_set: false },
      virtual_machines: [{ id: `vm_${page}` }],
    });
  });
  const k = new KatapultClient({ token: "t", baseUrl: base });
  const e = await k.listAllVirtualMachines({ sub_domain: "acme" }, { per_page: 1 }).catch((error) => error);
  assert.equal(e.code, "invalid_response");
  assert.match(e.message, /100000 pages, more than maxPages \(10000\)/);
  assert.equal(requests, 1);
  requests = 0;
  const endless = new KatapultClient({ token: "t", baseUrl: `${base}/endless` });
  const f = await endless.paginate("get:organization_virtual_machines", { organization: { sub_domain: "acme" } }, { per_page: 1, maxPages: 25 }).catch((error) => error);
  assert.equal(f.code, "invalid_response");
  assert.equal(requests, 25);
  const bad = await k.paginate("get:organization_virtual_machines", {}, { maxPages: 0 }).catch((error) => error);
  assert.equal(bad.code, "invalid_argument");
});

test("a call after free() rejects invalid_argument and harms no other client", async () => {
  const { base } = await serve((req, res) => json(res, 200, ORGS));
  const a = new KatapultClient({ token: "t", baseUrl: base });
  const b = new KatapultClient({ token: "t", baseUrl: base });
  a.free();
  for (let i = 0; i < 1000; i++) {
    const e = await a.listOrganizations().catch((error) => error);
    assert.equal(e.code, "invalid_argument");
  }
  assert.deepEqual(await b.listOrganizations(), ORGS);
});

test("a fetch that rejects with a Proxy whose traps throw, or a revoked one, is a network_error like any other", async () => {
  const trapping = new Proxy({}, { get() { throw new Error("trap"); }, getPrototypeOf() { throw new Error("trap"); } });
  const { proxy: revoked, revoke } = Proxy.revocable({}, {});
  revoke();
  for (const thrown of [trapping, revoked]) {
    const k = new KatapultClient({ token: "t", baseUrl: "http://127.0.0.1:9/core/v1", maxRetries: 0, fetch: async () => { throw thrown; } });
    const e = await k.listOrganizations().catch((x) => x);
    assert.ok(e instanceof KatapultError, `a KatapultError, not ${typeof e}`);
    assert.equal(e.code, "network_error");
  }
});
