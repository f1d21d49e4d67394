// The API token travels only in the Authorization header: never in a URL, a
// body, an error (any field, message, toString, JSON or inspect form), the
// console, or anything readable back from the client object.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { inspect } from "node:util";
import { KatapultClient, KatapultError, operations } from "katapult-wasm";
import { startMock } from "./mock.mjs";

const SECRET = "kat-SeCrEt-0123456789abcdef";
let mock;
before(async () => {
  mock = await startMock(["--token", SECRET, "--task-ms", "100"]);
});
after(() => mock?.stop());

/** Every string form of a value a user might log. */
function forms(value) {
  const out = [inspect(value, { depth: 10, showHidden: true }), JSON.stringify(value) ?? ""];
  try { out.push(String(value)); } catch { /* objects without toString */ }
  if (value instanceof Error) out.push(value.message, value.stack ?? "", JSON.stringify(value.detail));
  return out;
}

function assertClean(value, where) {
  for (const text of forms(value)) {
    assert.ok(!text.includes(SECRET), `the token leaked through ${where}: ${text.slice(0, 200)}`);
  }
}

test("the token is used (auth succeeds) yet appears in no request URL or body", async () => {
  const k = new KatapultClient({ token: SECRET, baseUrl: mock.baseUrl, maxRetries: 1 });
  await mock.resetStats();
  const { virtual_machine } = await k.getVirtualMachine({ fqdn: "web-1.acme.katapult.cloud" });
  await k.listVirtualMachines({ sub_domain: "acme" }, { annotations: [{ key: "team", value: "web" }] });
  await k.listAllVirtualMachines({ sub_domain: "acme" }, { per_page: 10 });
  const { task } = await k.resetVirtualMachine({ id: virtual_machine.id });
  await k.waitForTask(task.id, { intervalMs: 20 });
  const { trash_object } = await k.deleteVirtualMachine({ fqdn: "web-5.acme.katapult.cloud" });
  await k.restoreTrashObject(trash_object.id);
  await k.buildVirtualMachineFromSpec({ sub_domain: "acme" }, "<VirtualMachineSpec/>").catch(() => {});
  await mock.faults([{ status: 503 }]);
  await k.listOrganizations();
  const { log } = await mock.stats();
  assert.ok(log.length >= 15, `${log.length} requests logged`);
  for (const entry of log) {
    assert.equal(entry.auth, "ok", `${entry.method} ${entry.path} was not authenticated by header`);
    assert.ok(!`${entry.path}?${entry.query}`.includes(SECRET), `token in URL of ${entry.method} ${entry.path}`);
    assert.ok(!(entry.body ?? "").includes(SECRET), `token in body of ${entry.method} ${entry.path}`);
  }
});

test("no error form carries the token: API, network, timeout, abort and argument errors", async () => {
  const wrong = `${SECRET}-x`; // rejected by the server: invalid_api_token
  const errors = [];
  const collect = async (p) => { try { await p; assert.fail("expected a rejection"); } catch (e) { assert.ok(e instanceof KatapultError); errors.push(e); } };
  const bad = new KatapultClient({ token: wrong, baseUrl: mock.baseUrl, maxRetries: 0, timeoutMs: 100 });
  const k = new KatapultClient({ token: SECRET, baseUrl: mock.baseUrl, maxRetries: 0, timeoutMs: 100 });
  await collect(bad.listOrganizations());
  await collect(k.getVirtualMachine({ id: "vm_missing" }));
  await mock.faults([{ kind: "drop" }]);
  await collect(k.listOrganizations());
  await mock.faults([{ kind: "ok", delay_ms: 500 }]);
  await collect(k.listOrganizations());
  const ac = new AbortController();
  ac.abort();
  await collect(k.listOrganizations({ signal: ac.signal }));
  await collect(k.getVirtualMachine({ id: SECRET, fqdn: SECRET }));
  await collect(k.listVirtualMachines({ sub_domain: "acme" }, { page: SECRET }));
  await collect(new KatapultClient({ token: SECRET, baseUrl: "http://127.0.0.1:9/core/v1", maxRetries: 0 }).listOrganizations());
  assert.deepEqual(errors.map((e) => e.code), ["invalid_api_token", "virtual_machine_not_found", "network_error", "timeout", "aborted", "invalid_argument", "invalid_argument", "network_error"]);
  for (const e of errors) {
    for (const t of [SECRET, wrong]) {
      for (const text of forms(e)) assert.ok(!text.includes(t), `${e.code} leaked the token: ${text.slice(0, 200)}`);
    }
  }
});

test("constructor errors never echo the token", () => {
  for (const config of [
    { token: `${SECRET} with spaces` },
    { token: `${SECRET}\n` },
    { token: SECRET, baseUrl: `http://${SECRET}@example.com` },
    { token: SECRET, baseUrl: SECRET },
    { token: SECRET, timeoutMs: SECRET },
    { token: SECRET, nope: SECRET },
  ]) {
    assert.throws(() => new KatapultClient(config), (e) => {
      assert.ok(e instanceof KatapultError && e.code === "invalid_argument", String(e));
      assertClean(e, `the constructor error for ${Object.keys(config).join(",")}`);
      return true;
    });
  }
});

test("the token cannot be read back from the client object", () => {
  const k = new KatapultClient({ token: SECRET, baseUrl: mock.baseUrl });
  assertClean(k, "the client object");
  assert.deepEqual(JSON.parse(JSON.stringify(k)), { baseUrl: mock.baseUrl, timeoutMs: 30000, maxRetries: 2 });
  const proto = Object.getPrototypeOf(k);
  for (const name of Object.getOwnPropertyNames(proto)) {
    const d = Object.getOwnPropertyDescriptor(proto, name);
    if (d.get) assertClean(d.get.call(k), `the getter ${name}`);
  }
  // Methods of the API's token operations (getOrganizationApiTokens …) are
  // operations; nothing else may be named like a token.
  const operationNames = new Set(operations.map((o) => o.name));
  const suspicious = Object.getOwnPropertyNames(proto).filter((n) => /token|auth/i.test(n) && !operationNames.has(n));
  assert.deepEqual(suspicious, [], "no token/auth accessor");
  for (const key of Reflect.ownKeys(k)) assertClean(k[key], `the own property ${String(key)}`);
});

test("the client writes nothing to the console", async () => {
  const calls = [];
  const saved = {};
  for (const level of ["log", "info", "warn", "error", "debug", "trace"]) {
    saved[level] = console[level];
    console[level] = (...args) => calls.push([level, ...args]);
  }
  try {
    const k = new KatapultClient({ token: SECRET, baseUrl: mock.baseUrl, maxRetries: 0 });
    await k.getVirtualMachine({ fqdn: "web-1.acme.katapult.cloud" });
    await k.getVirtualMachine({ id: "vm_missing" }).catch(() => {});
    await mock.faults([{ kind: "html" }, { kind: "drop" }]);
    await k.listOrganizations().catch(() => {});
    await k.listOrganizations().catch(() => {});
    await k.getVirtualMachine({}).catch(() => {});
  } finally {
    Object.assign(console, saved);
  }
  assert.deepEqual(calls, []);
});
