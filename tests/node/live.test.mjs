// The package over answers shaped like the live API's (API.md, "Decoding"):
// short VM list items, tasks and builds with few fields, pagination objects
// with some keys missing. Listing, paging through everything, iterating
// and waiting all work, and every answer arrives exactly as sent: no field
// is invented, none is dropped.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { KatapultClient } from "katapult-wasm";
import { startMock, TOKEN, repo } from "./mock.mjs";

let mock, k;
const acme = { sub_domain: "acme" };
const LIST = "/organizations/organization/virtual_machines";
const fixture = (op, name) => readFileSync(path.join(repo, "tests/data/answers", op, `${name}.json`), "utf8");
const raw = (body) => ({ kind: "raw", status: 200, content_type: "application/json", body });

before(async () => {
  mock = await startMock(["--task-ms", "300"]);
  k = new KatapultClient({ token: TOKEN, baseUrl: mock.baseUrl, maxRetries: 0 });
});
after(() => mock?.stop());

/** What the mock sends for a GET, parsed, for comparison. */
async function wire(p) {
  const res = await fetch(`${mock.baseUrl}${p}`, { headers: { authorization: `Bearer ${TOKEN}` } });
  return res.json();
}

test("a live-shaped list page arrives exactly as sent", async () => {
  const page = await k.listVirtualMachines(acme, { per_page: 10 });
  assert.deepEqual(page, await wire(`${LIST}?organization[sub_domain]=acme&per_page=10`));
  for (const vm of page.virtual_machines) {
    assert.ok(!("state" in vm), "the live list has no state");
    assert.ok(!("country" in vm.zone.data_center), "nor a country in the data center");
    assert.ok(!("hypervisor" in vm));
  }
  // The recorded live shape itself, byte for byte through the client.
  const live = fixture("get.organization_virtual_machines", "live");
  await mock.faults([raw(live)], { path: LIST });
  assert.deepEqual(await k.listVirtualMachines(acme), JSON.parse(live));
});

test("listAllVirtualMachines and virtualMachines() page through live-shaped answers", async () => {
  const { pagination } = await k.listVirtualMachines(acme, { per_page: 1 });
  const all = await k.listAllVirtualMachines(acme, { per_page: 7, concurrency: 3 });
  assert.equal(all.length, pagination.total);
  const wired = await wire(`${LIST}?organization[sub_domain]=acme&per_page=200`);
  assert.deepEqual(all, wired.virtual_machines, "in API order, as sent");
  const walked = [];
  for await (const vm of k.virtualMachines(acme, { per_page: 9 })) walked.push(vm);
  assert.deepEqual(walked, all);
});

test("pagination objects with keys missing still walk to the end", async () => {
  const items = (from, n) => Array.from({ length: n }, (_, i) => ({ id: `vm_${from + i}` }));
  // No counts at all: full pages of what was asked, then a short one.
  const pages = [
    { pagination: {}, virtual_machines: items(0, 5) },
    { pagination: { per_page: 5 }, virtual_machines: items(5, 5) },
    { pagination: { current_page: 3 }, virtual_machines: items(10, 2) },
  ];
  await mock.faults(pages.map((p) => raw(JSON.stringify(p))), { path: LIST });
  const all = await k.listAllVirtualMachines(acme, { per_page: 5 });
  assert.deepEqual(all, items(0, 12));
  await mock.faults(pages.map((p) => raw(JSON.stringify(p))), { path: LIST });
  const walked = [];
  for await (const vm of k.virtualMachines(acme, { per_page: 5 })) walked.push(vm);
  assert.deepEqual(walked, items(0, 12));
});

test("sparse tasks and builds: getTask, waitForTask and waitForVirtualMachineBuild", async () => {
  const sparse = fixture("get.task", "sparse");
  await mock.faults([raw(sparse)], { path: "/tasks/task" });
  assert.deepEqual(await k.getTask("task_Q0UUcZ5PpQMn3sLX"), JSON.parse(sparse));

  // A task with only id and status, polled to completion.
  const id = "task_sparse";
  await mock.faults(
    [raw(JSON.stringify({ task: { id } })), raw(JSON.stringify({ task: { id, status: "running" } })), raw(JSON.stringify({ task: { id, status: "completed" } }))],
    { path: "/tasks/task" },
  );
  const done = await k.waitForTask(id, { intervalMs: 10 });
  assert.deepEqual(done, { id, status: "completed" });

  const build = "/virtual_machines/builds/virtual_machine_build";
  await mock.faults(
    [
      raw(fixture("get.virtual_machines_builds_virtual_machine_build", "sparse")),
      raw(JSON.stringify({ virtual_machine_build: { id: "vmbuild_1", state: "complete", virtual_machine: { id: "vm_1" } }, annotations: [] })),
    ],
    { path: build },
  );
  const built = await k.waitForVirtualMachineBuild("vmbuild_1", { intervalMs: 10 });
  assert.deepEqual(built, { id: "vmbuild_1", state: "complete", virtual_machine: { id: "vm_1" } });
});

test("a power action on the mock: task answers as sent, waited to the end", async () => {
  const { virtual_machines } = await k.listVirtualMachines(acme, { per_page: 5 });
  const target = virtual_machines.find((v) => v.name?.startsWith("web-"));
  const { virtual_machine } = await k.getVirtualMachine({ id: target.id });
  const action = virtual_machine.state === "started" ? "stopVirtualMachine" : "startVirtualMachine";
  const { task } = await k[action]({ id: target.id });
  const finished = await k.waitForTask(task.id, { intervalMs: 50 });
  assert.equal(finished.status, "completed");
  assert.deepEqual(finished, (await wire(`/tasks/task?task[id]=${task.id}`)).task);
});

test("a VM with only an id, and a VM with empty nested objects", async () => {
  await mock.faults([raw(fixture("get.virtual_machine", "sparse"))], { path: "/virtual_machines/virtual_machine" });
  assert.deepEqual(await k.getVirtualMachine({ id: "vm_Q0UUcZ5PpQMn3sLX" }), { virtual_machine: { id: "vm_Q0UUcZ5PpQMn3sLX" }, annotations: [] });
  await mock.faults([raw('{"virtual_machine":{"zone":{"data_center":{}}},"annotations":[{"key":"k"}]}')], { path: "/virtual_machines/virtual_machine" });
  const r = await k.getVirtualMachine({ id: "vm_x" });
  assert.deepEqual(r, { virtual_machine: { zone: { data_center: {} } }, annotations: [{ key: "k" }] });
});
