// Waiting for any state (API.md "Waiting for resources") against the mock:
// waitUntil on any GET, waitForVirtualMachineState through states the
// document does not list, purgeTrashObject({ wait }) while the object
// lingers, an object-storage account that reports failed once, a timeout
// and an abort. Scripted answers are the mock's raw-body faults, queued for
// the one path and method polled.
import { test, before, after, beforeEach } from "node:test";
import assert from "node:assert/strict";
import { KatapultClient } from "katapult-wasm";
import { startMock, TOKEN } from "./mock.mjs";

let mock, k;
before(async () => {
  mock = await startMock();
  k = new KatapultClient({ token: TOKEN, baseUrl: mock.baseUrl });
});
after(() => mock?.stop());
beforeEach(() => mock.reset());

const fast = { intervalMs: 10 };
const raw = (body, status = 200) => ({ kind: "raw", status, content_type: "application/json", body: JSON.stringify(body) });
const rejection = (p) => p.then(() => assert.fail("resolved"), (e) => e);
const vmPath = { method: "GET", path: "/virtual_machines/virtual_machine" };

test("waitForVirtualMachineState passes through states the document does not list", async () => {
  const { virtual_machine: vm } = await k.getVirtualMachine({ fqdn: "web-2.acme.katapult.cloud" });
  assert.equal(vm.state, "started");
  // Three polls see a VM on its way (allocating and allocated are newer than
  // the document; teleporting is no state at all), the fourth the real one.
  const as = (state) => raw({ virtual_machine: { ...vm, state }, annotations: [] });
  await mock.faults([as("allocating"), as("allocated"), as("teleporting")], vmPath);
  const seen = [];
  const done = await k.waitForVirtualMachineState({ id: vm.id }, ["started"], { ...fast, onProgress: (v) => seen.push(v.state) });
  assert.equal(done.id, vm.id);
  assert.equal(done.state, "started");
  assert.deepEqual(seen, ["allocating", "allocated", "teleporting", "started"]);
});

test("waitForVirtualMachineState follows a real shutdown to stopped, by fqdn", async () => {
  const vm = { fqdn: "web-3.acme.katapult.cloud" };
  await k.shutdownVirtualMachine(vm);
  const done = await k.waitForVirtualMachineState(vm, ["stopped"], { intervalMs: 50, timeoutMs: 20_000 });
  assert.equal(done.state, "stopped");
});

test("purgeTrashObject({ wait: true }) resolves only once the object is gone", async () => {
  const { virtual_machine: vm } = await k.getVirtualMachine({ fqdn: "web-4.acme.katapult.cloud" });
  const { trash_object: trash } = await k.deleteVirtualMachine({ id: vm.id });
  // The purge is answered at once, but the object lingers for two polls.
  await mock.faults([raw({ trash_object: trash }), raw({ trash_object: trash })], { method: "GET", path: "/trash_objects/trash_object" });
  await mock.resetStats();
  const polled = [];
  const purged = await k.purgeTrashObject(trash.id, { wait: true, ...fast, onProgress: (t) => polled.push(t.id) });
  assert.ok(purged.task?.id, "the purge's own answer");
  assert.deepEqual(polled, [trash.id, trash.id]);
  const gets = (await mock.stats()).log.filter((l) => l.method === "GET" && l.path === "/trash_objects/trash_object");
  assert.deepEqual(gets.map((l) => l.status), [200, 200, 404]);
  // Without wait: the purge's answer, no polls.
  const { trash_object: other } = await k.deleteVirtualMachine({ fqdn: "web-5.acme.katapult.cloud" });
  await mock.resetStats();
  await k.purgeTrashObject({ id: other.id });
  assert.deepEqual((await mock.stats()).log.map((l) => l.method), ["DELETE"]);
});

test("waitUntil: an object-storage account that reports failed once before provisioned", async () => {
  const org = { sub_domain: "acme" };
  const cluster = { region: "object-storage-cluster-1" };
  const params = { organization: org, object_storage_cluster: cluster };
  await k.postOrganizationObjectStorageAccount(org, cluster);
  const real = await k.request("get:organization_object_storage_object_storage_cluster", params);
  assert.ok(real.object_storage_account, JSON.stringify(real));
  const as = (provisioning_state) => raw({ object_storage_account: { ...real.object_storage_account, provisioning_state } });
  const path = { method: "GET", path: "/organizations/organization/object_storage/object_storage_cluster" };
  // Not there yet (404), then pending, failed (briefly, as the live API does), provisioned.
  const notFound = raw({ error: { code: "object_storage_account_not_found", description: "No account yet", detail: {} } }, 404);
  await mock.faults([notFound, as("pending"), as("failed"), as("provisioned")], path);
  const states = [];
  const answer = await k.waitUntil("get:organization_object_storage_object_storage_cluster", params,
    (a) => a.object_storage_account.provisioning_state === "provisioned",
    { ...fast, pendingOn: ["object_storage_account_not_found"], onProgress: (a) => states.push(a.object_storage_account.provisioning_state) });
  assert.equal(answer.object_storage_account.provisioning_state, "provisioned");
  assert.deepEqual(states, ["pending", "failed", "provisioned"]);
  // Without pendingOn the 404 rejects, as any error answer does.
  await mock.faults([notFound], path);
  const e = await rejection(k.waitUntil("get:organization_object_storage_object_storage_cluster", params, () => true, fast));
  assert.equal(e.code, "object_storage_account_not_found");
});

test("waitUntil: a timeout, an abort, and the predicate's own error", async () => {
  const vm = { virtual_machine: { fqdn: "web-1.acme.katapult.cloud" } };
  const never = () => false;
  const t0 = Date.now();
  const timeout = await rejection(k.waitUntil("get:virtual_machine", vm, never, { intervalMs: 20, timeoutMs: 200 }));
  assert.equal(timeout.code, "timeout");
  assert.equal(timeout.message, "get:virtual_machine did not answer as waited for within timeoutMs (200 ms)");
  assert.equal(timeout.operationId, "get:virtual_machine");
  assert.ok(Date.now() - t0 < 2000);
  const state = await rejection(k.waitForVirtualMachineState(vm.virtual_machine, ["stopped", "failed"], { intervalMs: 20, timeoutMs: 150 }));
  assert.equal(state.message, "Virtual machine web-1.acme.katapult.cloud did not reach stopped or failed within timeoutMs (150 ms)");

  const controller = new AbortController();
  setTimeout(() => controller.abort(), 100);
  const aborted = await rejection(k.waitUntil("get:virtual_machine", vm, never, { intervalMs: 20, signal: controller.signal }));
  assert.equal(aborted.code, "aborted");

  const mine = new Error("my predicate broke");
  assert.equal(await rejection(k.waitUntil("get:virtual_machine", vm, () => { throw mine; }, fast)), mine);
  // An async predicate is awaited.
  const got = await k.waitUntil("get:virtual_machine", vm, async (a) => a.virtual_machine.state === "started", fast);
  assert.equal(got.virtual_machine.fqdn, "web-1.acme.katapult.cloud");
});

test("the waits' arguments are checked before anything is sent", async () => {
  await mock.resetStats();
  const vm = { virtual_machine: { id: "vm_x" } };
  const cases = [
    [() => k.waitUntil("post:virtual_machine_start", vm, () => true), /waitUntil polls a GET operation, and post:virtual_machine_start is not one/],
    [() => k.waitUntil("get:nope", vm, () => true), /"get:nope" is not an operationId/],
    [() => k.waitUntil("get:virtual_machine", vm, "started"), /predicate must be a function/],
    [() => k.waitUntil("get:virtual_machine", { virtual_machine: { id: 5 } }, () => true), /virtual_machine\.id/],
    [() => k.waitUntil("get:virtual_machine", vm, () => true, { pendingOn: "x" }), /options.pendingOn must be an array of 1 to 64 non-empty strings/],
    [() => k.waitUntil("get:virtual_machine", vm, () => true, { pendingOn: [""] }), /options.pendingOn\[0\] must be a non-empty string/],
    [() => k.waitUntil("get:virtual_machine", vm, () => true, { every: 1 }), /options has an unknown key "every"/],
    [() => k.waitForVirtualMachineState({ id: "vm_x" }, []), /states must be an array of 1 to 64 non-empty strings/],
    [() => k.waitForVirtualMachineState({ id: "vm_x" }), /states must be an array/],
    [() => k.waitForVirtualMachineState({}, ["started"]), /vm must have exactly one of/],
    [() => k.waitForVirtualMachineState({ id: "vm_x" }, ["started"], { intervalMs: 0 }), /options.intervalMs must be a whole number from 1/],
    [() => k.purgeTrashObject("trsh_x", { wait: "yes" }), /options.wait must be true or false/],
    [() => k.purgeTrashObject("", { wait: true }), /id must be a non-empty string/],
    [() => k.purgeTrashObject("trsh_x", { pendingOn: ["x"] }), /options has an unknown key "pendingOn"/],
  ];
  for (const [call, message, code = "invalid_argument"] of cases) {
    const e = await rejection(call());
    assert.equal(e.code, code, `${call}: ${e.message}`);
    assert.match(e.message, message);
  }
  assert.deepEqual((await mock.stats()).log, [], "nothing was sent");
});
