// Errors name the call that failed and keep what fetch threw (API.md
// "Errors"): operationId, method and path on every rejection of a call
// (null for the constructor's), `cause` on a network_error, and the
// isKatapultError guard.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { KatapultClient, KatapultError, isKatapultError } from "katapult-wasm";
import { startMock, TOKEN } from "./mock.mjs";

let mock, k;
before(async () => {
  mock = await startMock();
  k = new KatapultClient({ token: TOKEN, baseUrl: mock.baseUrl, maxRetries: 0 });
});
after(() => mock?.stop());

const call = (e) => [e.operationId, e.method, e.path];

test("an API error names its call, and isKatapultError tells it by code", async () => {
  const e = await k.getVirtualMachine({ id: "vm_nope" }).catch((error) => error);
  assert.equal(e.code, "virtual_machine_not_found");
  assert.deepEqual(call(e), ["get:virtual_machine", "GET", "/virtual_machines/virtual_machine"]);
  assert.equal(isKatapultError(e), true);
  assert.equal(isKatapultError(e, "virtual_machine_not_found"), true);
  assert.equal(isKatapultError(e, "task_not_found"), false);
  assert.equal(isKatapultError(new Error("x")), false);
  assert.equal(isKatapultError(null), false);
});

test("argument errors, walks, iterators, waits and request() name their call too", async () => {
  const bad = await k.getVirtualMachine(5).catch((error) => error);
  assert.equal(bad.code, "invalid_argument");
  assert.deepEqual(call(bad), ["get:virtual_machine", "GET", "/virtual_machines/virtual_machine"]);
  const walk = await k.listAllVirtualMachines({ sub_domain: "nope" }).catch((error) => error);
  assert.deepEqual(call(walk), ["get:organization_virtual_machines", "GET", "/organizations/organization/virtual_machines"]);
  const it = await k.virtualMachines({ sub_domain: "nope" }).next().catch((error) => error);
  assert.equal(it.operationId, "get:organization_virtual_machines");
  const waited = await k.waitForTask("task_nope").catch((error) => error);
  assert.deepEqual(call(waited), ["get:task", "GET", "/tasks/task"]);
  const posted = await k.request("post:virtual_machine_start", { virtual_machine: { id: "vm_nope" } }).catch((error) => error);
  assert.deepEqual(call(posted), ["post:virtual_machine_start", "POST", "/virtual_machines/virtual_machine/start"]);
  const unknown = await k.request("get:nothing").catch((error) => error);
  assert.equal(unknown.code, "invalid_argument");
  assert.deepEqual(call(unknown), [null, null, null], "no operation of that id");
});

test("the constructor's errors name no call", () => {
  try {
    new KatapultClient({});
    assert.fail("the constructor accepted a config without a token");
  } catch (e) {
    assert.ok(e instanceof KatapultError);
    assert.deepEqual(call(e), [null, null, null]);
  }
});

test("a network error keeps what fetch threw as its cause", async () => {
  // A loopback port nothing listens on (fetch refuses some low ports outright).
  const { createServer } = await import("node:net");
  const server = createServer();
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  const port = server.address().port;
  await new Promise((r) => server.close(r));
  const closed = new KatapultClient({ token: TOKEN, baseUrl: `http://127.0.0.1:${port}/core/v1`, maxRetries: 0 });
  const e = await closed.listOrganizations().catch((error) => error);
  assert.equal(e.code, "network_error");
  assert.ok(e.cause instanceof Error, `cause: ${e.cause}`);
  assert.match(`${e.message} ${e.cause.cause?.code ?? ""}`, /ECONNREFUSED/);
  assert.equal(Object.keys(e).includes("cause"), false, "cause is not enumerable, as Error's own");
});
