// katapult-wasm/testing in Node, as a user's test uses it: createMockKatapult
// with the package's client (list, create, get, delete), each fault kind,
// `calls`, `reset`, tokens, tasks on the clock JavaScript hands in, hostile
// fetch arguments (which must fail only as fetch fails), hostile bytes at
// the module's own boundary, 20,000 requests within a fixed memory bound,
// and that none of it reaches the client's entries.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import path from "node:path";
import v8 from "node:v8";
import vm from "node:vm";
import { KatapultClient, isKatapultError } from "katapult-wasm";
import { createMockKatapult, ready } from "katapult-wasm/testing";
import { repo } from "./mock.mjs";

v8.setFlagsFromString("--expose-gc");
const gc = vm.runInNewContext("gc");
const require = createRequire(import.meta.url);
const cjs = require("katapult-wasm/testing");
const internals = cjs.__internals;
const BASE = "https://api.katapult.io/core/v1";
const MB = 1024 * 1024;

/** A mock and a client on it (no retries unless asked). */
function setup(options, clientOptions = {}) {
  const mock = createMockKatapult(options);
  const k = new KatapultClient({ token: mock.token, fetch: mock.fetch, maxRetries: 0, ...clientOptions });
  return { mock, k };
}

async function rejection(promise) {
  try {
    await promise;
  } catch (e) {
    return e;
  }
  assert.fail("expected a rejection");
}

const auth = (mock) => ({ headers: { authorization: `Bearer ${mock.token}` } });

test("ESM and CommonJS entries share one module and one factory", async () => {
  await ready();
  assert.equal(cjs.createMockKatapult, createMockKatapult);
  const mock = cjs.createMockKatapult();
  const res = await mock.fetch(`${BASE}/organizations`, auth(mock));
  assert.equal(res.status, 200);
});

test("a client against the mock: organizations, VMs, then a security group created, got and deleted", async () => {
  const { mock, k } = setup();
  const { organizations } = await k.listOrganizations();
  assert.ok(organizations.length >= 1);
  const org = { id: organizations[0].id };
  const { pagination, virtual_machines } = await k.listVirtualMachines(org, { per_page: 50 });
  assert.equal(pagination.per_page, 50);
  assert.ok(Array.isArray(virtual_machines));

  const { security_group } = await k.request("post:organization_security_groups", { organization: org, properties: { name: "web" } });
  assert.equal(security_group.name, "web");
  const got = await k.request("get:security_group", { security_group: { id: security_group.id } });
  assert.equal(got.security_group.id, security_group.id);
  const listed = await k.request("get:organization_security_groups", { organization: org });
  assert.ok(listed.security_groups.some((g) => g.id === security_group.id));
  await k.request("delete:security_group", { security_group: { id: security_group.id } });
  const gone = await rejection(k.request("get:security_group", { security_group: { id: security_group.id } }));
  assert.ok(isKatapultError(gone, "security_group_not_found"), gone);
  assert.equal(gone.status, 404);

  // Every request, in order, with its operation and body.
  assert.deepEqual(mock.calls.map((c) => c.operationId), [
    "get:organizations", "get:organization_virtual_machines", "post:organization_security_groups",
    "get:security_group", "get:organization_security_groups", "delete:security_group", "get:security_group",
  ]);
  const post = mock.calls[2];
  assert.equal(post.method, "POST");
  assert.equal(post.url, `${BASE}/organizations/organization/security_groups`);
  assert.deepEqual(post.body, { organization: org, properties: { name: "web" } });
  assert.equal(mock.calls[0].body, null);
  assert.ok(mock.calls[1].url.includes("per_page=50") && mock.calls[1].url.includes(organizations[0].id), mock.calls[1].url);
});

test("answers are real Responses with a request id and a generous rate budget", async () => {
  const mock = createMockKatapult();
  const res = await mock.fetch(new URL(`${BASE}/organizations`), auth(mock));
  assert.ok(res instanceof Response);
  assert.equal(res.status, 200);
  assert.equal(res.url, `${BASE}/organizations`);
  assert.match(res.headers.get("x-request-id"), /^req_\w+$/);
  assert.equal(res.headers.get("content-type"), "application/json");
  assert.ok(Number(res.headers.get("x-ratelimit-permitted")) >= 100_000);
  assert.ok(Number(res.headers.get("x-ratelimit-remaining")) >= 99_000);
  const body = await res.json();
  assert.ok(Array.isArray(body.organizations));
  // Any origin: the path is what counts; a Request object works (msw hands one).
  const other = await mock.fetch(new Request("http://localhost:9/core/v1/organizations", auth(mock)));
  assert.equal(other.status, 200);
  const { k } = setup();
  const { response } = await k.listOrganizations().withResponse();
  assert.match(response.requestId, /^req_/);
});

test("a wrong or missing token gets the live API's errors", async () => {
  const mock = createMockKatapult();
  const wrong = new KatapultClient({ token: "not-the-token", fetch: mock.fetch, maxRetries: 0 });
  const e = await rejection(wrong.listOrganizations());
  assert.ok(isKatapultError(e, "invalid_api_token"), e);
  assert.equal(e.status, 403);
  assert.match(e.requestId, /^req_/);
  const none = await mock.fetch(`${BASE}/organizations`);
  assert.equal(none.status, 400);
  assert.equal((await none.json()).error.code, "missing_api_token");
  assert.equal(none.headers.get("x-api-schema"), "json-error");
  const route = await mock.fetch(`${BASE}/nothing/here`, auth(mock));
  assert.equal(route.status, 404);
  assert.equal((await route.json()).error.code, "route_not_found");
});

test("fault status: the documented error for the operation, `times` answers, then normal again", async () => {
  const { mock, k } = setup();
  mock.fault({ operationId: "get:organizations", status: 429, times: 1 });
  const limited = await rejection(k.listOrganizations());
  assert.ok(isKatapultError(limited, "rate_limit_reached"), limited);
  assert.equal(limited.status, 429);
  assert.ok(limited.detail.total_permitted >= 100_000);
  await k.listOrganizations();

  // A retrying client gets through a 503 storm of two.
  const retrying = new KatapultClient({ token: mock.token, fetch: mock.fetch, maxRetries: 2 });
  mock.fault({ operationId: "get:organizations", status: 503, times: 2 });
  const before = mock.calls.length;
  await retrying.listOrganizations();
  assert.equal(mock.calls.length - before, 3);

  // The operation's own documented code at that status.
  mock.fault({ operationId: "get:virtual_machine", status: 404, times: 1 });
  const missing = await rejection(k.getVirtualMachine({ id: "vm_any" }));
  assert.equal(missing.code, "virtual_machine_not_found");
  // A chosen code and detail.
  mock.fault({ operationId: "get:organizations", status: 422, code: "validation_error", detail: { errors: ["Name is too long"] }, times: 1 });
  const invalid = await rejection(k.listOrganizations());
  assert.ok(isKatapultError(invalid, "validation_error"), invalid);
  assert.deepEqual(invalid.detail.errors, ["Name is too long"]);
  assert.match(invalid.message, /Name is too long/);
  // Without `times`, until reset.
  mock.fault({ operationId: "get:organizations", status: 500 });
  for (let i = 0; i < 3; i++) assert.equal((await rejection(k.listOrganizations())).status, 500);
  mock.reset();
  await k.listOrganizations();
});

test("fault latencyMs waits before answering, and the mock's own latencyMs before every answer", async () => {
  const { mock, k } = setup();
  mock.fault({ operationId: "get:organizations", latencyMs: 150, times: 1 });
  let t = performance.now();
  await k.listOrganizations();
  assert.ok(performance.now() - t >= 140, `${performance.now() - t} ms`);
  t = performance.now();
  await k.listOrganizations();
  assert.ok(performance.now() - t < 140);

  const slow = setup({ latencyMs: 80 });
  t = performance.now();
  await slow.k.listOrganizations();
  assert.ok(performance.now() - t >= 70);

  // A client timeout shorter than the latency aborts the wait; the request
  // is let go (nothing held) and did not act.
  const timing = new KatapultClient({ token: mock.token, fetch: mock.fetch, maxRetries: 0, timeoutMs: 50 });
  const { organizations } = await k.listOrganizations();
  mock.fault({ operationId: "post:organization_security_groups", latencyMs: 1000, times: 1 });
  const timeout = await rejection(timing.request("post:organization_security_groups", { organization: { id: organizations[0].id }, properties: { name: "late" } }));
  assert.equal(timeout.code, "timeout");
  assert.equal(internals.exports().km_held(), 0);
  const { security_groups } = await k.request("get:organization_security_groups", { organization: { id: organizations[0].id } });
  assert.ok(!security_groups.some((g) => g.name === "late"), "an aborted request did not act");
});

test("fault drop: fetch rejects as on a network failure", async () => {
  const { mock, k } = setup();
  mock.fault({ operationId: "get:organizations", drop: true, times: 2 });
  const raw = await rejection(mock.fetch(`${BASE}/organizations`, auth(mock)));
  assert.ok(raw instanceof TypeError);
  assert.equal(raw.message, "fetch failed");
  assert.ok(raw.cause instanceof Error);
  const e = await rejection(k.listOrganizations());
  assert.ok(isKatapultError(e, "network_error"), e);
  assert.equal(e.status, 0);
  assert.ok(e.cause instanceof TypeError);
  await k.listOrganizations();
});

test("fault body: a proxy's HTML page or a wrong-shaped answer", async () => {
  const { mock, k } = setup();
  mock.fault({ operationId: "get:organizations", body: "<html><body>502 Bad Gateway</body></html>", times: 1 });
  const res = await mock.fetch(`${BASE}/organizations`, auth(mock));
  assert.equal(res.status, 502);
  assert.equal(res.headers.get("content-type"), "text/html");
  assert.match(await res.text(), /Bad Gateway/);
  mock.fault({ operationId: "get:organizations", body: "<html>down</html>", status: 503, times: 1 });
  mock.fault({ operationId: "get:organizations", body: JSON.stringify({ organizations: 5 }), status: 200, times: 1 });
  const down = await rejection(k.listOrganizations());
  assert.equal(down.code, "service_unavailable");
  assert.equal(down.status, 503);
  const shape = await rejection(k.listOrganizations());
  assert.equal(shape.code, "invalid_response");
  assert.equal(shape.status, 200);
});

test("fault failTask: the operation answers and its task fails; tasks run on Date.now()", async (t) => {
  const { mock, k } = setup();
  const { organizations } = await k.listOrganizations();
  const { virtual_machines } = await k.listVirtualMachines({ id: organizations[0].id });
  const vm = { id: virtual_machines[0].id };
  // The mock reads the time from Date.now(): moving it on completes tasks.
  const realNow = Date.now;
  let offset = 0;
  Date.now = () => realNow() + offset;
  t.after(() => {
    Date.now = realNow;
  });
  const { task } = await k.startVirtualMachine(vm);
  assert.equal((await k.getTask(task.id)).task.status, "pending");
  offset += 60_000;
  assert.equal((await k.getTask(task.id)).task.status, "completed");

  mock.fault({ operationId: "post:virtual_machine_start", failTask: true, times: 1 });
  const failing = await k.startVirtualMachine(vm);
  offset += 60_000;
  const e = await rejection(k.waitForTask(failing.task, { intervalMs: 1 }));
  assert.ok(isKatapultError(e, "task_failed"), e);
  assert.equal(e.detail.task.status, "failed");
  // Once only.
  const next = await k.startVirtualMachine(vm);
  offset += 60_000;
  assert.equal((await k.waitForTask(next.task, { intervalMs: 1 })).status, "completed");
});

test("faults are checked whole: a typo or a contradiction throws invalid_argument", () => {
  const mock = createMockKatapult();
  for (const [i, [spec, says]] of [
    [{ operationid: "get:task", status: 500 }, /unknown fault option "operationid"/],
    [{ operationId: "get:nope", status: 500 }, /no operation/],
    [{ operationId: "get:organizations" }, /needs one of/],
    [{ status: 200 }, /no error/],
    [{ drop: true, status: 500 }, /drop/],
    [{ operationId: "get:task", failTask: true }, /starts no task/],
    [{ status: 500, times: 0 }, /times/],
    [{ latencyMs: -1 }, /latencyMs/],
    [{ latencyMs: Infinity }, /finite/],
    [{ api: "public", operationId: "get:organizations", status: 500 }, /no operation of the Public API/],
    [{ api: "private", status: 500 }, /api must be "core" or "public"/],
    [{ status: 500, detail: "x" }, /detail/],
    [null, /must be an object/],
    ["status", /must be an object/],
    [{ get status() { throw new Error("boom"); } }, /could not be read/],
  ].entries()) {
    assert.throws(() => mock.fault(spec), (e) => isKatapultError(e, "invalid_argument") && says.test(e.message), `fault #${i}`);
  }
  for (const [options, says] of [
    [{ seed: "acme" }, /seed/],
    [{ latencyMs: "5" }, /latencyMs/],
    [{ token: "mine" }, /unknown option "token"/],
    [5, /must be an object/],
  ]) {
    assert.throws(() => createMockKatapult(options), (e) => isKatapultError(e, "invalid_argument") && says.test(e.message), String(options));
  }
});

test("reset restores the seed and forgets faults and calls; mocks are independent", async () => {
  const { mock, k } = setup({ seed: "empty" });
  const { organizations } = await k.listOrganizations();
  const org = { id: organizations[0].id };
  await k.request("post:organization_security_groups", { organization: org, properties: { name: "temp" } });
  mock.fault({ operationId: "get:organizations", status: 500 });
  const other = setup({ seed: "empty" });
  assert.deepEqual((await other.k.request("get:organization_security_groups", { organization: org })).security_groups.filter((g) => g.name === "temp"), []);
  mock.reset();
  assert.equal(mock.calls.length, 0);
  assert.deepEqual((await k.listOrganizations()).organizations, organizations);
  const { security_groups } = await k.request("get:organization_security_groups", { organization: org });
  assert.ok(!security_groups.some((g) => g.name === "temp"));
  assert.equal(mock.calls.length, 2);
  // The default seed answers too (today the same catalogue as "empty").
  const def = setup({ seed: "default" });
  assert.ok((await def.k.listOrganizations()).organizations.length >= 1);
});

/** What a fetch call does: { response } or { error }; never a synchronous throw. */
async function outcome(call) {
  let promise;
  try {
    promise = call();
  } catch (error) {
    return { sync: error };
  }
  try {
    return { response: await promise };
  } catch (error) {
    return { error };
  }
}

test("hostile fetch arguments fail only as fetch fails, and the mock keeps working", async () => {
  const mock = createMockKatapult();
  const x = internals.exports();
  const url = `${BASE}/organizations`;
  const h = { authorization: `Bearer ${mock.token}`, "content-type": "application/json" };
  const boom = new Error("getter");
  const revoked = Proxy.revocable({}, {});
  revoked.revoke();
  const erroring = new ReadableStream({ pull: (c) => c.error(new Error("stream broke")) });
  const used = new Request(url, { method: "POST", body: "{}", headers: h });
  await used.text();
  const cases = {
    "no arguments": () => mock.fetch(),
    "not a URL": () => mock.fetch("not a url"),
    "relative URL": () => mock.fetch("/core/v1/organizations"),
    "ftp URL": () => mock.fetch("ftp://api.katapult.io/core/v1/organizations"),
    "data URL": () => mock.fetch("data:text/plain,hello"),
    "javascript URL": () => mock.fetch("javascript:alert(1)"),
    "credentials in the URL": () => mock.fetch("https://u:p@api.katapult.io/core/v1/organizations"),
    "GET with a body": () => mock.fetch(url, { body: "x" }),
    "forbidden method": () => mock.fetch(url, { method: "CONNECT" }),
    "invalid method": () => mock.fetch(url, { method: "BAD METHOD" }),
    "invalid header": () => mock.fetch(url, { headers: { "x\n": "y" } }),
    "fake signal": () => mock.fetch(url, { signal: {} }),
    "throwing getter": () => mock.fetch(url, { get method() { throw boom; } }),
    "revoked proxy init": () => mock.fetch(url, revoked.proxy),
    "erroring stream": () => mock.fetch(url, { method: "POST", body: erroring, duplex: "half", headers: h }),
    "used Request": () => mock.fetch(used),
    "aborted signal": () => mock.fetch(url, { signal: AbortSignal.abort() }),
    "a 2 MB URL": () => mock.fetch(`${url}?q=${"a".repeat(2 * MB)}`, { headers: h }),
    "percent garbage path": () => mock.fetch(`${BASE}/%ZZ/%00/%C0%AF`, { headers: h }),
    "unicode path": () => mock.fetch(`${BASE}/организации/\u{1F600}`, { headers: h }),
    "dot segments": () => mock.fetch(`${BASE}/x/../organizations`, { headers: h }),
    "upper-case API path": () => mock.fetch("https://api.katapult.io/CORE/V1/organizations", { headers: h }),
    "no path": () => mock.fetch("https://api.katapult.io", { headers: h }),
    "query garbage": () => mock.fetch(`${url}?a[b[c]]=1&&=&%=%&a[]=1&a[x]=2`, { headers: h }),
    "deep query": () => mock.fetch(`${url}?${"a" + "[b]".repeat(200)}=1`, { headers: h }),
    "string body": () => mock.fetch(url, { method: "POST", body: '{"organization":{"id":"x"}}', headers: h }),
    "invalid JSON body": () => mock.fetch(`${BASE}/organizations/organization/security_groups`, { method: "POST", body: "{nope", headers: h }),
    "invalid UTF-8 body": () => mock.fetch(`${BASE}/organizations/organization/security_groups`, { method: "POST", body: new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]), headers: h }),
    "deep JSON body": () => mock.fetch(`${BASE}/organizations/organization/security_groups`, { method: "POST", body: "[".repeat(100_000), headers: h }),
    "Uint8Array body": () => mock.fetch(url, { method: "POST", body: new TextEncoder().encode("{}"), headers: h }),
    "ArrayBuffer body": () => mock.fetch(url, { method: "PATCH", body: new ArrayBuffer(8), headers: h }),
    "DataView body": () => mock.fetch(url, { method: "PUT", body: new DataView(new ArrayBuffer(3)), headers: h }),
    "Blob body": () => mock.fetch(url, { method: "DELETE", body: new Blob(["{}"], { type: "application/json" }), headers: h }),
    "URLSearchParams body": () => mock.fetch(url, { method: "POST", body: new URLSearchParams({ a: "1" }), headers: h }),
    "FormData body": () => { const f = new FormData(); f.set("a", "1"); return mock.fetch(url, { method: "POST", body: f }); },
    "stream body": () => mock.fetch(url, { method: "POST", body: new Blob(["{}"]).stream(), duplex: "half", headers: h }),
    "a 17 MB body": () => mock.fetch(`${BASE}/organizations/organization/security_groups`, { method: "POST", body: new Uint8Array(17 * MB), headers: h }),
    "lower-case patch": () => mock.fetch(url, { method: "patch", body: "{}", headers: h }),
    "HEAD": () => mock.fetch(url, { method: "HEAD", headers: h }),
    "OPTIONS": () => mock.fetch(url, { method: "OPTIONS" }),
    "a Request with a body": () => mock.fetch(new Request(url, { method: "POST", body: "{}", headers: h })),
    "headers as an array": () => mock.fetch(url, { headers: [["authorization", `Bearer ${mock.token}`]] }),
    "Headers object": () => mock.fetch(url, { headers: new Headers(h) }),
    "an object with toString as input": () => mock.fetch({ toString: () => url }, { headers: h }),
  };
  const seen = {};
  for (const [name, call] of Object.entries(cases)) {
    const o = await outcome(call);
    assert.equal(o.sync, undefined, `${name}: threw synchronously`);
    if (o.response) {
      assert.ok(o.response instanceof Response, name);
      assert.ok(o.response.status >= 200 && o.response.status < 600, name);
      if (o.response.status !== 200 && name !== "HEAD") {
        const text = await o.response.text();
        if (o.response.headers.get("content-type") === "application/json") assert.ok(JSON.parse(text).error.code, name);
      }
      seen[name] = o.response.status;
    } else {
      const e = o.error;
      const fetchLike = e instanceof TypeError || (e instanceof DOMException && e.name === "AbortError") || e === boom;
      assert.ok(fetchLike, `${name}: ${e && e.constructor && e.constructor.name}: ${e && e.message}`);
      seen[name] = e.name;
    }
  }
  console.log(`# hostile fetch arguments: ${JSON.stringify(seen)}`);
  // The ones that are requests got answers; the rest were refused as fetch refuses them.
  assert.equal(seen["a 17 MB body"], 413);
  assert.equal(seen["ftp URL"], "TypeError");
  assert.equal(seen["aborted signal"], "AbortError");
  assert.equal(seen["Uint8Array body"], 404); // POST /organizations is no operation
  assert.equal(seen["headers as an array"], 200);
  assert.equal(seen["invalid JSON body"], 400);
  assert.equal(internals.exports(), x, "the instance never trapped");
  assert.equal(x.km_held(), 0);
  assert.equal((await mock.fetch(url, { headers: h })).status, 200);
});

test("hostile bytes at the module's own boundary never trap it", () => {
  createMockKatapult();
  const x = internals.exports();
  let seed = 7;
  const rand = (n) => ((seed = (seed * 1103515245 + 12345) >>> 0) % n);
  const write = (bytes) => {
    const at = x.km_input(bytes.length) >>> 0;
    if (at) new Uint8Array(x.memory.buffer, at, bytes.length).set(bytes);
  };
  const samples = ['{"options":{},"token":"t"}', '{"method":"GET","path":"/core/v1/organizations"}', '{"status":500}', "[", "", "\u0000", '{"a":' + "[".repeat(500)];
  for (let i = 0; i < 3000; i++) {
    const base = new TextEncoder().encode(samples[rand(samples.length)]);
    const bytes = new Uint8Array(base.length + rand(40));
    bytes.set(base);
    for (let j = base.length; j < bytes.length; j++) bytes[j] = rand(256);
    if (rand(3) === 0 && bytes.length) bytes[rand(bytes.length)] = rand(256);
    write(bytes);
    const handle = rand(4);
    const len = [bytes.length, rand(100), 0xffffffff][rand(3)];
    switch (rand(6)) {
      case 0: { const h = x.km_create(len) >>> 0; if (h) x.km_drop(h); break; }
      case 1: x.km_fault(handle, len); break;
      case 2: { if (x.km_receive(handle, rand(bytes.length + 2), [0, rand(50), 0xffffffff][rand(3)]) === 0) x.km_abandon(handle, JSON.parse(new TextDecoder().decode(new Uint8Array(x.memory.buffer, x.km_output() >>> 0, x.km_output_len()))).ticket); break; }
      case 3: x.km_answer(handle, rand(10), [NaN, -1, Infinity, 1e300, Date.now()][rand(5)]); break;
      case 4: x.km_reset(handle); break;
      default: x.km_abandon(handle, rand(10));
    }
  }
  assert.equal(internals.exports(), x, "the instance never trapped");
  assert.equal(x.km_held(), 0);
});

test("20,000 requests: the module's memory stays within a fixed bound", async () => {
  const { mock, k } = setup();
  const x = internals.exports();
  const h = auth(mock);
  const { organizations } = await k.listOrganizations();
  const org = organizations[0].id;
  const { security_group } = await k.request("post:organization_security_groups", { organization: { id: org }, properties: { name: "steady" } });
  const big = new Uint8Array(MB).fill(32);
  const kinds = [
    () => k.listOrganizations(),
    () => k.listVirtualMachines({ id: org }),
    () => k.getVirtualMachine({ id: "vm_missing" }).catch((e) => e),
    () => k.request("patch:security_group", { security_group: { id: security_group.id }, properties: { name: "steady" } }),
    () => mock.fetch(`${BASE}/nothing`, h).then((r) => r.arrayBuffer()),
    () => mock.fetch(`${BASE}/organizations`, { headers: { authorization: "Bearer wrong" } }).then((r) => r.arrayBuffer()),
    () => mock.fetch(`${BASE}/organizations/organization/security_groups?organization[id]=${org}`, { method: "POST", body: "{bad", headers: { ...h.headers, "content-type": "application/json" } }).then((r) => r.arrayBuffer()),
    () => (mock.fault({ operationId: "get:organizations", status: 503, times: 1 }), k.listOrganizations().catch((e) => e)),
  ];
  const run = async (n) => {
    for (let i = 0; i < n; i++) {
      await kinds[i % kinds.length]();
      if (i % 1000 === 999) await (await mock.fetch(`${BASE}/organizations`, { method: "POST", body: big, headers: h.headers })).arrayBuffer();
    }
  };
  await run(2000);
  gc();
  const warm = x.memory.buffer.byteLength;
  const t = performance.now();
  await run(20_000);
  const end = x.memory.buffer.byteLength;
  console.log(`# 20,000 requests in ${Math.round(performance.now() - t)} ms: wasm memory ${warm} -> ${end} bytes`);
  assert.ok(end - warm <= MB, `the module's memory grew by ${end - warm} bytes`);
  assert.ok(end <= 64 * MB, `the module's memory is ${end} bytes`);
  assert.equal(internals.exports(), x, "the instance never trapped");
  assert.equal(x.km_held(), 0);
  // Two before, then each request and the large bodies (one per thousand).
  assert.equal(mock.calls.length, 2 + 2000 + 2 + 20_000 + 20);
});

test("concurrent requests with latency are all answered, and a mock no one can reach is freed", async () => {
  const x = internals.exports();
  const { mock, k } = setup({ latencyMs: 20 });
  const answers = await Promise.all(Array.from({ length: 50 }, () => k.listOrganizations()));
  assert.equal(answers.length, 50);
  assert.equal(x.km_held(), 0);
  void mock;
  // Mocks made and dropped are given back (FinalizationRegistry).
  const alive = x.km_alive();
  for (let i = 0; i < 20; i++) createMockKatapult();
  assert.ok(x.km_alive() >= alive + 20);
  for (let i = 0; i < 10 && x.km_alive() > alive; i++) {
    gc();
    await new Promise((r) => setTimeout(r, 10));
  }
  assert.ok(x.km_alive() <= alive, `${x.km_alive() - alive} dropped mocks still alive`);
});

test("the client's entries reach none of the testing code", () => {
  for (const file of ["index.js", "katapult-node.cjs", "workerd.js", "node.mjs", "node.cjs"]) {
    const text = readFileSync(path.join(repo, "pkg", file), "utf8");
    assert.doesNotMatch(text, /katapult-mock|km_receive|createMockKatapult|testing/, file);
  }
  const imports = WebAssembly.Module.imports(new WebAssembly.Module(readFileSync(path.join(repo, "pkg/katapult-mock.wasm"))));
  assert.deepEqual(imports, [], "the mock's module imports nothing: it never calls JavaScript");
  const exported = WebAssembly.Module.exports(new WebAssembly.Module(readFileSync(path.join(repo, "pkg/katapult.wasm")))).map((e) => e.name);
  assert.ok(!exported.some((n) => n.startsWith("km_")), "the client's module has none of the mock");
});
