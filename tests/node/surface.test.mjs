// What API.md "Construction" and "Errors" promise a user beyond the call
// itself, against the mock over loopback: hooks see every attempt (retries
// included) and a hook that throws changes nothing; the logger's lines
// never hold the token, the Authorization header or a body; a custom fetch
// sees every attempt; `.withResponse()`; per-call `timeoutMs` and
// `maxRetries`; the Node User-Agent; messages complete on their own; and
// an uncaught rejection prints a short report with the caller's line.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { KatapultClient, KatapultError, isKatapultError } from "katapult-wasm";
import { repo, startMock, TOKEN } from "./mock.mjs";

let mock;
before(async () => {
  mock = await startMock();
});
after(() => mock?.stop());

const ORG = { sub_domain: "acme" };

async function rejection(promise) {
  try {
    await promise;
  } catch (e) {
    return e;
  }
  assert.fail("expected a rejection");
}

/** A logger that keeps its lines, by level. */
function recorder() {
  const lines = [];
  const logger = {};
  for (const level of ["debug", "info", "warn", "error"]) logger[level] = (line) => lines.push([level, line]);
  return { lines, logger };
}

test("hooks see each attempt, retries included, and onError the caller's error once", async () => {
  const events = [];
  const k = new KatapultClient({
    token: TOKEN,
    baseUrl: mock.baseUrl,
    maxRetries: 2,
    hooks: {
      onRequest: (info) => events.push(["request", info]),
      onResponse: (info) => events.push(["response", info]),
      onError: (error) => events.push(["error", error]),
    },
  });
  await mock.faults([{ status: 503, retry_after: 0 }, { status: 503, retry_after: 0 }]);
  const { virtual_machines } = await k.listVirtualMachines(ORG);
  assert.ok(virtual_machines.length > 0);
  const requests = events.filter(([e]) => e === "request").map(([, i]) => i);
  const responses = events.filter(([e]) => e === "response").map(([, i]) => i);
  assert.deepEqual(requests.map((i) => i.attempt), [1, 2, 3]);
  assert.deepEqual(responses.map((i) => i.status), [503, 503, 200]);
  for (const info of [...requests, ...responses]) {
    assert.equal(info.operationId, "get:organization_virtual_machines");
    assert.equal(info.method, "GET");
    assert.match(info.url, /\/core\/v1\/organizations\/organization\/virtual_machines\?/);
    assert.ok(!JSON.stringify(info).includes(TOKEN));
  }
  assert.ok(responses.every((i) => typeof i.durationMs === "number" && i.durationMs >= 0));
  assert.equal(events.filter(([e]) => e === "error").length, 0);

  events.length = 0;
  const e = await rejection(k.getVirtualMachine({ id: "vm_missing" }));
  const errors = events.filter(([x]) => x === "error").map(([, error]) => error);
  assert.equal(errors.length, 1);
  assert.equal(errors[0], e, "onError gets the very error the caller gets");

  // An iterator's failing page is a rejected call too, reported once.
  events.length = 0;
  const it = k.iterate("get:organization_virtual_machines", { organization: { sub_domain: "no-such-org" } });
  const failedPage = await rejection(it.next());
  assert.equal(failedPage.code, "organization_not_found");
  assert.deepEqual((await it.next()).done, true);
  assert.deepEqual(events.filter(([x]) => x === "error").map(([, error]) => error), [failedPage]);
});

test("a hook that throws or rejects changes nothing; the logger is told", async () => {
  const { lines, logger } = recorder();
  const k = new KatapultClient({
    token: TOKEN,
    baseUrl: mock.baseUrl,
    logger,
    hooks: {
      onRequest: () => { throw new Error("hook broke"); },
      onResponse: async () => { throw new Error("async hook broke"); },
      onError: () => { throw new Error("error hook broke"); },
    },
  });
  const { organizations } = await k.listOrganizations();
  assert.ok(organizations.length > 0);
  const e = await rejection(k.getVirtualMachine({ id: "vm_missing" }));
  assert.equal(e.code, "virtual_machine_not_found");
  await new Promise((r) => setTimeout(r, 10));
  const warnings = lines.filter(([level]) => level === "warn").map(([, l]) => l);
  assert.ok(warnings.some((l) => l.includes("hooks.onRequest threw (ignored): hook broke")), warnings.join("\n"));
  assert.ok(warnings.some((l) => l.includes("hooks.onResponse threw (ignored): async hook broke")));
  assert.ok(warnings.some((l) => l.includes("hooks.onError threw (ignored): error hook broke")));
});

test("log lines name the call and never hold the token, the Authorization header or a body", async () => {
  const { lines, logger } = recorder();
  const secret = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIsecretkeymaterial";
  const k = new KatapultClient({ token: TOKEN, baseUrl: mock.baseUrl, logger, logLevel: "debug" });
  await k.listOrganizations();
  await rejection(k.request("post:organization_ssh_keys", { organization: ORG, properties: { name: "laptop", key: secret } }));
  await mock.faults([{ status: 503, retry_after: 0 }]);
  await k.listOrganizations();
  await rejection(k.getVirtualMachine({ id: "vm_missing" }));
  const text = lines.map(([, l]) => l).join("\n");
  for (const hidden of [TOKEN, "Bearer", "Authorization", secret, "secretkeymaterial"]) assert.ok(!text.includes(hidden), `${hidden} in:\n${text}`);
  const levels = new Set(lines.map(([level]) => level));
  assert.deepEqual([...levels].sort(), ["debug", "error", "info", "warn"]);
  assert.ok(lines.some(([level, l]) => level === "debug" && /get:organizations: GET http:\/\/\S+\/core\/v1\/organizations \(attempt 1\)/.test(l)));
  assert.ok(lines.some(([level, l]) => level === "info" && /answered 200 in \d+ ms \(attempt 1, request id \S+\)/.test(l)));
  assert.ok(lines.some(([level, l]) => level === "warn" && /failed service_unavailable \(attempt 1\); retrying in \d+ ms/.test(l)));
  assert.ok(lines.some(([level, l]) => level === "error" && /get:virtual_machine rejected virtual_machine_not_found \(404\)/.test(l)));

  // The default level with a logger is warn; "off" is silent.
  const quiet = recorder();
  const q = new KatapultClient({ token: TOKEN, baseUrl: mock.baseUrl, logger: quiet.logger });
  await q.listOrganizations();
  assert.deepEqual(quiet.lines, []);
  const off = recorder();
  const o = new KatapultClient({ token: TOKEN, baseUrl: mock.baseUrl, logger: off.logger, logLevel: "off" });
  await rejection(o.getVirtualMachine({ id: "vm_missing" }));
  assert.deepEqual(off.lines, []);
});

test("a custom fetch sees every attempt, retries included; the default is the global fetch at call time", async () => {
  const seen = [];
  const myFetch = (url, init) => {
    seen.push([init.method, String(url), init.headers.Authorization === `Bearer ${TOKEN}`]);
    return fetch(url, init);
  };
  const k = new KatapultClient({ token: TOKEN, baseUrl: mock.baseUrl, fetch: myFetch, maxRetries: 2 });
  await mock.faults([{ status: 429, retry_after: 0 }]);
  await k.listOrganizations();
  assert.equal(seen.length, 2);
  assert.ok(seen.every(([method, url, auth]) => method === "GET" && url.endsWith("/organizations") && auth));

  // Replacing globalThis.fetch after construction still intercepts (as msw and nock do).
  const original = globalThis.fetch;
  let intercepted = 0;
  const d = new KatapultClient({ token: TOKEN, baseUrl: "https://api.katapult.io/core/v1" });
  globalThis.fetch = async () => {
    intercepted += 1;
    return new Response(JSON.stringify({ organizations: [] }), { status: 200, headers: { "content-type": "application/json" } });
  };
  try {
    assert.deepEqual(await d.listOrganizations(), { organizations: [] });
  } finally {
    globalThis.fetch = original;
  }
  assert.equal(intercepted, 1);
  for (const bad of [5, "fetch", {}]) {
    assert.throws(() => new KatapultClient({ token: TOKEN, fetch: bad }), (e) => e instanceof KatapultError && e.code === "invalid_argument" && /config\.fetch must be a function/.test(e.message));
  }
  assert.throws(() => new KatapultClient({ token: TOKEN, hooks: { onRequest: 1 } }), /config\.hooks\.onRequest must be a function/);
  assert.throws(() => new KatapultClient({ token: TOKEN, hooks: { onRequests() {} } }), /config\.hooks has an unknown key "onRequests"/);
  assert.throws(() => new KatapultClient({ token: TOKEN, logLevel: "verbose" }), /config\.logLevel must be one of debug, info, warn, error, off/);
  assert.throws(() => new KatapultClient({ token: TOKEN, userAgent: "a\r\nX-Evil: 1" }), /config\.userAgent must be a string/);
});

test(".withResponse() gives the status, headers, request id, attempts and duration", async () => {
  const k = new KatapultClient({ token: TOKEN, baseUrl: mock.baseUrl, maxRetries: 1 });
  await mock.faults([{ status: 503, retry_after: 0 }]);
  const { data, response } = await k.listOrganizations().withResponse();
  assert.ok(Array.isArray(data.organizations));
  assert.equal(response.status, 200);
  assert.equal(response.attempts, 2);
  assert.ok(response.headers instanceof Headers);
  assert.equal(response.requestId, response.headers.get("x-request-id"));
  assert.match(response.requestId, /\S+/);
  assert.ok(response.durationMs >= 0);
  const vm = (await k.listVirtualMachines(ORG)).virtual_machines[0];
  const got = await k.getVirtualMachine({ id: vm.id }).withResponse();
  assert.equal(got.data.virtual_machine.id, vm.id);
  const viaRequest = await k.request("get:virtual_machine", { virtual_machine: { id: vm.id } }).withResponse();
  assert.equal(viaRequest.response.status, 200);
  const generated = await k.getVirtualMachineDisks({ id: vm.id }).withResponse();
  assert.ok(Array.isArray(generated.data.disks));
  const e = await rejection(k.getVirtualMachine({ id: "vm_missing" }).withResponse());
  assert.equal(e.code, "virtual_machine_not_found");
});

test("per-call timeoutMs and maxRetries override the client's for that call", async () => {
  const k = new KatapultClient({ token: TOKEN, baseUrl: mock.baseUrl, maxRetries: 0, timeoutMs: 30000 });
  await mock.faults([{ kind: "ok", delay_ms: 1000 }]);
  const started = Date.now();
  const slow = await rejection(k.listOrganizations({ timeoutMs: 100, maxRetries: 0 }));
  assert.equal(slow.code, "timeout");
  assert.ok(Date.now() - started < 900);
  await mock.faults([{ status: 503, retry_after: 0 }, { status: 503, retry_after: 0 }]);
  const { response } = await k.listOrganizations({ maxRetries: 2 }).withResponse();
  assert.equal(response.attempts, 3);
  await mock.faults([]);
  for (const [options, message] of [[{ timeoutMs: 0 }, /options\.timeoutMs must be a whole number from 1/], [{ maxRetries: 11 }, /options\.maxRetries must be a whole number from 0 to 10/], [{ maxRetries: 1.5 }, /maxRetries/]]) {
    const e = await rejection(k.listOrganizations(options));
    assert.equal(e.code, "invalid_argument");
    assert.match(e.message, message);
  }
  // Walks and waits take them too (a wait's timeoutMs is its deadline).
  const all = await k.paginate("get:organization_virtual_machines", { organization: ORG }, { maxRetries: 1, timeoutMs: 5000 });
  assert.ok(all.length > 0);
  const vm = all[0];
  const { task } = await k.startVirtualMachine({ id: vm.id }, { maxRetries: 0 });
  const done = await k.waitForTask(task, { maxRetries: 1, timeoutMs: 60000, intervalMs: 50 });
  assert.equal(done.id, task.id);
});

test("Node sends User-Agent: the caller's, then katapult-wasm/<version>", async () => {
  const agents = [];
  const spy = (url, init) => {
    agents.push(init.headers["User-Agent"]);
    return fetch(url, init);
  };
  const { version } = JSON.parse((await import("node:fs")).readFileSync(path.join(repo, "pkg/package.json"), "utf8"));
  await new KatapultClient({ token: TOKEN, baseUrl: mock.baseUrl, fetch: spy }).listOrganizations();
  await new KatapultClient({ token: TOKEN, baseUrl: mock.baseUrl, fetch: spy, userAgent: "my-panel/1.2" }).listOrganizations();
  assert.deepEqual(agents, [`katapult-wasm/${version}`, `my-panel/1.2 katapult-wasm/${version}`]);
});

test("messages are complete on their own: a validation error's reasons, the lookup that found nothing", async () => {
  const k = new KatapultClient({ token: TOKEN, baseUrl: mock.baseUrl });
  const missing = await rejection(k.getVirtualMachine({ fqdn: "nothing.example" }));
  assert.match(missing.message, /\(looked up by virtual_machine\[fqdn\]=nothing\.example\)$/);
  const body = { error: { code: "validation_error", description: "A validation error occurred with the object that was being created/updated/deleted", detail: { errors: ["Size must be greater than the current size (110 GB)"] } } };
  const stub = async () => new Response(JSON.stringify(body), { status: 422, headers: { "content-type": "application/json" } });
  const v = await rejection(new KatapultClient({ token: TOKEN, fetch: stub }).request("put:disk_resize", { disk: { id: "disk_x" }, size_in_gb: 100 }));
  assert.ok(isKatapultError(v, "validation_error"));
  assert.equal(v.message, "A validation error occurred with the object that was being created/updated/deleted: Size must be greater than the current size (110 GB)");
  assert.deepEqual(v.detail.errors, ["Size must be greater than the current size (110 GB)"]);
});

test("an uncaught rejection prints a short report naming the code, the operation and the caller's own line", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "katapult-uncaught-"));
  const script = path.join(dir, "my-script.mjs");
  writeFileSync(script, [
    `import { KatapultClient } from ${JSON.stringify(path.join(repo, "pkg/node.mjs"))};`,
    `const client = new KatapultClient({ token: "t", baseUrl: ${JSON.stringify(mock.baseUrl)} });`,
    "async function main() {",
    `  await client.getVirtualMachine({ id: "vm_missing" });`,
    "}",
    "main();",
    "",
  ].join("\n"));
  const run = spawnSync(process.execPath, [script], { encoding: "utf8" });
  assert.notEqual(run.status, 0);
  const stderr = run.stderr;
  assert.ok(Buffer.byteLength(stderr) < 2048, `stderr is ${Buffer.byteLength(stderr)} bytes:\n${stderr}`);
  assert.match(stderr, /invalid_api_token|virtual_machine_not_found/);
  assert.match(stderr, /get:virtual_machine/);
  assert.match(stderr, /my-script\.mjs:4/, stderr);
  assert.doesNotMatch(stderr, /.{400}/, "no line of minified code");
});

test("a field recorded traffic always had, left out: the call resolves, the logger warns once per field and place", async () => {
  const { lines, logger } = recorder();
  const item = { id: "vm_1", name: "a", hostname: "a", fqdn: "a.example", created_at: 1, zone: { id: "z", name: "Z", permalink: "z", data_center: { id: "d", name: "D", permalink: "d" } }, package: { name: "p" }, gpu_type: null, ip_addresses: [] };
  const { fqdn, ...noFqdn } = item;
  const page = { pagination: { current_page: 1, total_pages: 1, total: 3, per_page: 30, large_set: false }, virtual_machines: [item, noFqdn, { ...noFqdn, id: "vm_3" }] };
  const stub = async () => new Response(JSON.stringify(page), { status: 200, headers: { "content-type": "application/json" } });
  const k = new KatapultClient({ token: TOKEN, fetch: stub, logger });
  const first = await k.listVirtualMachines(ORG);
  assert.equal(first.virtual_machines[1].fqdn, undefined, "nothing is invented");
  await k.listVirtualMachines(ORG);
  const warnings = lines.filter(([level]) => level === "warn").map(([, l]) => l);
  assert.deepEqual(warnings, ["[katapult-wasm] get:organization_virtual_machines: the live API left out virtual_machines[].fqdn, which recorded traffic always had (the call resolved without it)"]);
  // Without a logger nothing is checked or written.
  const quiet = new KatapultClient({ token: TOKEN, fetch: stub });
  assert.equal((await quiet.listVirtualMachines(ORG)).virtual_machines.length, 3);
});
