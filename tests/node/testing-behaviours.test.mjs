// What the in-process mock does beyond the document, as the mock server
// does (one engine, mock-core's behaviours): power actions move a VM
// through their transitional state, a `fail-task…` VM's tasks fail, a
// `protected-…` VM refuses changes, a busy VM refuses another task, a
// deleted VM is in the trash until restored, and the read-only token may
// read but not write.
import { test } from "node:test";
import assert from "node:assert/strict";
import { KatapultClient, isKatapultError } from "katapult-wasm";
import { createMockKatapult } from "katapult-wasm/testing";

/** A mock, a client on it, and a clock the test moves (the mock reads Date.now()). */
function setup(t) {
  const mock = createMockKatapult();
  const k = new KatapultClient({ token: mock.token, fetch: mock.fetch, maxRetries: 0 });
  const realNow = Date.now;
  let offset = 0;
  Date.now = () => realNow() + offset;
  t.after(() => {
    Date.now = realNow;
  });
  return { mock, k, later: (ms) => (offset += ms) };
}

async function rejection(promise) {
  try {
    await promise;
  } catch (e) {
    return e;
  }
  assert.fail("expected a rejection");
}

const vm = (name) => ({ fqdn: `${name}.acme.katapult.cloud` });
const state = async (k, name) => (await k.getVirtualMachine(vm(name))).virtual_machine.state;

test("a power action moves the VM through its transitional state to its end state", async (t) => {
  const { k, later } = setup(t);
  assert.equal(await state(k, "web-3"), "started");
  const { task } = await k.shutdownVirtualMachine(vm("web-3"));
  later(1000);
  assert.equal(await state(k, "web-3"), "shutting_down");
  const busy = await rejection(k.startVirtualMachine(vm("web-3")));
  assert.ok(isKatapultError(busy, "task_queueing_error"), busy);
  later(60_000);
  assert.equal((await k.getTask(task.id)).task.status, "completed");
  assert.equal(await state(k, "web-3"), "stopped");
});

test("a fail-task VM's task fails and leaves the VM as it was", async (t) => {
  const { k, later } = setup(t);
  const before = await state(k, "fail-task-1");
  const { task } = await k.shutdownVirtualMachine(vm("fail-task-1"));
  later(60_000);
  const e = await rejection(k.waitForTask(task, { intervalMs: 1 }));
  assert.ok(isKatapultError(e, "task_failed"), e);
  assert.equal(await state(k, "fail-task-1"), before);
});

test("a protected VM refuses deletion and power actions, and is still read", async (t) => {
  const { k } = setup(t);
  for (const call of [() => k.deleteVirtualMachine(vm("protected-1")), () => k.stopVirtualMachine(vm("protected-1"))]) {
    const e = await rejection(call());
    assert.ok(isKatapultError(e, "permission_denied"), e);
  }
  assert.equal(await state(k, "protected-1"), "started");
});

test("a deleted VM is in the trash (object_in_trash) until it is restored", async (t) => {
  const { k } = setup(t);
  const { trash_object } = await k.deleteVirtualMachine(vm("web-2"));
  const e = await rejection(k.getVirtualMachine(vm("web-2")));
  assert.ok(isKatapultError(e, "object_in_trash"), e);
  assert.equal(e.detail.trash_object.id, trash_object.id);
  await k.restoreTrashObject(trash_object.id);
  assert.equal(await state(k, "web-2"), "started");
});

test("the read-only token reads, and writes get scope_not_granted with the scopes they need", async (t) => {
  const { mock } = setup(t);
  const k = new KatapultClient({ token: mock.readOnlyToken, fetch: mock.fetch, maxRetries: 0 });
  assert.ok((await k.listOrganizations()).organizations.length > 0);
  const e = await rejection(k.shutdownVirtualMachine(vm("web-1")));
  assert.ok(isKatapultError(e, "scope_not_granted"), e);
  assert.deepEqual(e.detail.scopes, ["virtual_machines", "virtual_machines:power_actions"]);
  const rw = new KatapultClient({ token: mock.token, fetch: mock.fetch, maxRetries: 0 });
  assert.equal((await rw.getVirtualMachine(vm("web-1"))).virtual_machine.state, "started");
});
