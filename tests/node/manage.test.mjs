// Managing VMs for real: power actions through waitForTask, builds through
// waitForVirtualMachineBuild, delete/restore, auto-pagination, the lazy
// iterator, retries and cancellation — the built pkg/ against the real mock.
import { test, before, after, describe } from "node:test";
import assert from "node:assert/strict";
import { KatapultClient, KatapultError } from "katapult-wasm";
import { startMock, TOKEN } from "./mock.mjs";

const fast = { intervalMs: 50 };

async function rejection(promise) {
  try {
    await promise;
  } catch (e) {
    assert.ok(e instanceof KatapultError, `not a KatapultError: ${e}`);
    return e;
  }
  assert.fail("expected a rejection");
}

/** Resolves when `promise` settles, with the time it took after `t0`. */
async function settleTime(promise, t0) {
  try { await promise; } catch { /* measured below */ }
  return Date.now() - t0;
}

describe("power, waiters, builds and trash", () => {
  let mock, k;
  before(async () => {
    mock = await startMock(["--task-ms", "400"]);
    k = new KatapultClient({ token: TOKEN, baseUrl: mock.baseUrl });
  });
  after(() => mock?.stop());

  const state = async (fqdn) => (await k.getVirtualMachine({ fqdn })).virtual_machine.state;

  test("each power action, waited for, reaches the VM's end state", async () => {
    for (const [method, fqdn, from, to] of [
      ["shutdownVirtualMachine", "web-1.acme.katapult.cloud", "started", "stopped"],
      ["startVirtualMachine", "web-1.acme.katapult.cloud", "stopped", "started"],
      ["stopVirtualMachine", "web-2.acme.katapult.cloud", "started", "stopped"],
      ["resetVirtualMachine", "web-3.acme.katapult.cloud", "started", "started"],
    ]) {
      assert.equal(await state(fqdn), from, `${fqdn} before ${method}`);
      const { task } = await k[method]({ fqdn });
      const done = await k.waitForTask(task.id, fast);
      assert.equal(done.id, task.id);
      assert.equal(done.status, "completed");
      assert.equal(done.progress, 100);
      assert.equal(await state(fqdn), to, `${fqdn} after ${method}`);
    }
  });

  test("a failed task rejects task_failed with the task in detail", async () => {
    const { task } = await k.resetVirtualMachine({ fqdn: "fail-task-1.acme.katapult.cloud" });
    const e = await rejection(k.waitForTask(task.id, fast));
    assert.equal(e.code, "task_failed");
    assert.equal(e.status, 0);
    assert.equal(e.detail.task.id, task.id);
    assert.equal(e.detail.task.status, "failed");
  });

  test("waitForTask: timeout, unknown task, bad options", async () => {
    const { task } = await k.shutdownVirtualMachine({ fqdn: "api-1.acme.katapult.cloud" });
    const t0 = Date.now();
    const e = await rejection(k.waitForTask(task.id, { intervalMs: 20, timeoutMs: 150 }));
    assert.equal(e.code, "timeout");
    assert.ok(Date.now() - t0 < 400, `timed out after ${Date.now() - t0} ms`);
    await k.waitForTask(task.id, fast); // let it finish before later tests
    assert.equal((await rejection(k.waitForTask("task_nope", fast))).code, "task_not_found");
    assert.equal((await rejection(k.waitForTask(task.id, { intervalMs: 0 }))).code, "invalid_argument");
    assert.equal((await rejection(k.waitForTask(task.id, { every: 5 }))).code, "invalid_argument");
  });

  test("polling never runs faster than intervalMs", async () => {
    const { task } = await k.shutdownVirtualMachine({ fqdn: "api-2.acme.katapult.cloud" });
    await mock.resetStats();
    const t0 = Date.now();
    await k.waitForTask(task.id, { intervalMs: 100 });
    const polls = (await mock.stats()).by_route["GET /tasks/task"];
    const elapsed = Date.now() - t0;
    assert.ok(polls >= 2, `${polls} polls`);
    assert.ok(polls <= Math.floor(elapsed / 100) + 1, `${polls} polls in ${elapsed} ms with intervalMs 100`);
  });

  test("build → waitForVirtualMachineBuild → the new VM exists", async () => {
    const xml = `<VirtualMachineSpec><DataCenter by="permalink">uk-lon</DataCenter>
      <Resources><Package by="permalink">rock-3</Package></Resources>
      <Hostname><Hostname>waited-1</Hostname></Hostname><Name>Waited One</Name></VirtualMachineSpec>`;
    const build = await k.buildVirtualMachineFromSpec({ sub_domain: "acme" }, xml, { annotations: [{ key: "team", value: "qa" }] });
    const done = await k.waitForVirtualMachineBuild(build.virtual_machine_build.id, fast);
    assert.equal(done.state, "complete");
    assert.equal(done.id, build.virtual_machine_build.id);
    assert.ok(done.virtual_machine, "a complete build carries its VM");
    const { virtual_machine, annotations } = await k.getVirtualMachine({ id: done.virtual_machine.id });
    assert.equal(virtual_machine.hostname, "waited-1");
    assert.equal(virtual_machine.name, "Waited One");
    assert.deepEqual(annotations, [{ key: "team", value: "qa" }]);
  });

  test("a failed build rejects build_failed", async () => {
    const xml = `<VirtualMachineSpec><DataCenter by="permalink">uk-lon</DataCenter>
      <Resources><Package by="permalink">rock-3</Package></Resources>
      <Hostname><Hostname>fail-build-1</Hostname></Hostname></VirtualMachineSpec>`;
    const build = await k.buildVirtualMachineFromSpec({ sub_domain: "acme" }, xml);
    const e = await rejection(k.waitForVirtualMachineBuild(build.virtual_machine_build.id, fast));
    assert.equal(e.code, "build_failed");
    assert.equal(e.detail.virtual_machine_build.state, "failed");
  });

  test("delete → object_in_trash → restoreTrashObject → get works", async () => {
    const vm = { fqdn: "cache-1.acme.katapult.cloud" };
    const { trash_object } = await k.deleteVirtualMachine(vm);
    assert.equal((await rejection(k.getVirtualMachine(vm))).code, "object_in_trash");
    const restored = await k.restoreTrashObject(trash_object.id);
    assert.equal(restored.trash_object.id, trash_object.id);
    assert.equal((await k.getVirtualMachine(vm)).virtual_machine.fqdn, vm.fqdn);
    assert.equal((await rejection(k.restoreTrashObject(trash_object.id))).code, "trash_object_not_found");
  });

  test("listOrganizations lists the seeded organizations", async () => {
    const { organizations } = await k.listOrganizations();
    assert.deepEqual(organizations.map((o) => o.sub_domain).sort(), ["acme", "globex", "hooli", "initech"]);
  });
});

describe("auto-pagination over 10,000 VMs", () => {
  let mock, k;
  before(async () => {
    mock = await startMock(["--seed-vms", "10000", "--latency-ms", "20"]);
    k = new KatapultClient({ token: TOKEN, baseUrl: mock.baseUrl });
  });
  after(() => mock?.stop());

  let pages;
  test("listAllVirtualMachines equals the pages concatenated, in order, within the concurrency bound", async () => {
    pages = [];
    for (let page = 1; ; page++) {
      const r = await k.listVirtualMachines({ sub_domain: "acme" }, { page, per_page: 100 });
      pages.push(...r.virtual_machines);
      if (page >= r.pagination.total_pages) break;
    }
    assert.equal(pages.length, 10000);
    for (const concurrency of [1, 4, 8]) {
      await mock.resetStats();
      const all = await k.listAllVirtualMachines({ sub_domain: "acme" }, { per_page: 100, concurrency });
      const stats = await mock.stats();
      assert.equal(all.length, 10000);
      assert.deepEqual(all.map((v) => v.id), pages.map((v) => v.id), `order with concurrency ${concurrency}`);
      assert.equal(stats.requests, 100, "one request per page");
      assert.ok(stats.max_in_flight <= concurrency, `max in flight ${stats.max_in_flight} > ${concurrency}`);
      if (concurrency > 1) assert.ok(stats.max_in_flight > 1, `concurrency ${concurrency} never overlapped requests`);
    }
    assert.deepEqual(await k.listAllVirtualMachines({ sub_domain: "acme" }, { per_page: 100 }), pages);
  });

  test("onProgress reports the VMs loaded so far and the total after each page", async () => {
    const calls = [];
    const all = await k.listAllVirtualMachines({ sub_domain: "acme" }, {
      per_page: 200,
      concurrency: 1,
      onProgress: (loaded, total) => { calls.push([loaded, total]); throw new Error("ignored"); },
    });
    assert.equal(all.length, 10000);
    assert.equal(calls.length, 50);
    assert.deepEqual(calls.map(([, total]) => total), Array(50).fill(10000));
    assert.deepEqual(calls.map(([loaded]) => loaded), Array.from({ length: 50 }, (_, i) => (i + 1) * 200));
    const e = await rejection(k.listAllVirtualMachines({ sub_domain: "acme" }, { onProgress: 5 }));
    assert.equal(e.code, "invalid_argument");
    assert.match(e.message, /options.onProgress must be a function/);
  });

  test("the async iterator yields the same, lazily, and stops fetching after break", async () => {
    await mock.resetStats();
    const iterator = k.virtualMachines({ sub_domain: "acme" }, { per_page: 200 });
    assert.equal((await mock.stats()).requests, 0, "nothing is fetched before the first next()");
    const seen = [];
    for await (const vm of iterator) seen.push(vm.id);
    assert.deepEqual(seen, pages.map((v) => v.id));
    assert.equal((await mock.stats()).requests, 50);

    await mock.resetStats();
    const some = [];
    for await (const vm of k.virtualMachines({ sub_domain: "acme" }, { per_page: 50 })) {
      some.push(vm.id);
      if (some.length === 120) break;
    }
    assert.deepEqual(some, pages.slice(0, 120).map((v) => v.id));
    await new Promise((r) => setTimeout(r, 200));
    assert.equal((await mock.stats()).requests, 3, "pages 1–3 only, nothing after break");
  });

  test("a failing page rejects listAll and the iterator with the API error", async () => {
    await mock.faults([{ status: 404, code: "organization_not_found" }], { path: "/organizations/organization/virtual_machines" });
    assert.equal((await rejection(k.listAllVirtualMachines({ sub_domain: "acme" }))).code, "organization_not_found");
    const it = k.virtualMachines({ sub_domain: "nope" });
    assert.equal((await rejection(it.next())).code, "organization_not_found");
    assert.deepEqual(await it.next(), { value: undefined, done: true });
    const bad = k.virtualMachines({ sub_domain: "acme" }, { concurrency: 2 });
    assert.equal((await rejection(bad.next())).code, "invalid_argument");
    assert.equal((await rejection(k.listAllVirtualMachines({ sub_domain: "acme" }, { concurrency: 0 }))).code, "invalid_argument");
  });
});

describe("large sets are walked page by page", () => {
  let mock, k;
  before(async () => {
    mock = await startMock(["--seed-vms", "2345", "--large-sets"]);
    k = new KatapultClient({ token: TOKEN, baseUrl: mock.baseUrl });
  });
  after(() => mock?.stop());

  test("listAllVirtualMachines follows pages until a short one", async () => {
    const first = await k.listVirtualMachines({ sub_domain: "acme" }, { per_page: 200 });
    assert.equal(first.pagination.large_set, true);
    assert.equal(first.pagination.total_pages, null);
    await mock.resetStats();
    const all = await k.listAllVirtualMachines({ sub_domain: "acme" }, { per_page: 200, concurrency: 8 });
    const stats = await mock.stats();
    assert.equal(all.length, 2345);
    assert.equal(new Set(all.map((v) => v.id)).size, 2345);
    assert.equal(stats.requests, 12);
    assert.equal(stats.max_in_flight, 1);
  });
});

describe("retries and cancellation", () => {
  let mock, k;
  const vm = { fqdn: "web-1.acme.katapult.cloud" };
  before(async () => {
    mock = await startMock();
    // Retries alone: the rate-limit budget (tests/node/budget.test.mjs) would also pace after a 429.
    k = new KatapultClient({ token: TOKEN, baseUrl: mock.baseUrl, rateLimit: false });
  });
  after(() => mock?.stop());

  test("429, 429, 200 resolves after three attempts", async () => {
    await mock.resetStats();
    await mock.faults([{ status: 429, retry_after: 0 }, { status: 429 }]);
    const t0 = Date.now();
    assert.equal((await k.getVirtualMachine(vm)).virtual_machine.fqdn, vm.fqdn);
    assert.equal((await mock.stats()).requests, 3);
    assert.ok(Date.now() - t0 < 1500, "backoff after the first retry is at most 1 s");
  });

  test("503 × (maxRetries + 1) rejects after exactly maxRetries + 1 attempts", async () => {
    for (const maxRetries of [0, 2]) {
      const client = new KatapultClient({ token: TOKEN, baseUrl: mock.baseUrl, maxRetries, rateLimit: false });
      await mock.resetStats();
      await mock.faults(Array.from({ length: maxRetries + 1 }, () => ({ status: 503 })));
      const e = await rejection(client.getVirtualMachine(vm));
      assert.equal(e.code, "service_unavailable");
      assert.equal(e.status, 503);
      assert.equal((await mock.stats()).requests, maxRetries + 1);
    }
    await mock.resetStats();
    await mock.faults([{ status: 503 }]);
    assert.ok(await k.startVirtualMachine({ fqdn: "web-6.acme.katapult.cloud" }), "POSTs retry 503 too");
    assert.equal((await mock.stats()).requests, 2);
  });

  test("Retry-After is honoured", async () => {
    await mock.faults([{ status: 429, retry_after: 1 }]);
    const t0 = Date.now();
    await k.getVirtualMachine(vm);
    assert.ok(Date.now() - t0 >= 950, `retried after ${Date.now() - t0} ms, before Retry-After`);
  });

  test("a dropped connection is retried for GET but never for POST", async () => {
    await mock.resetStats();
    await mock.faults([{ kind: "drop" }]);
    await k.getVirtualMachine(vm);
    assert.equal((await mock.stats()).requests, 2);

    await mock.resetStats();
    await mock.faults([{ kind: "drop" }]);
    const e = await rejection(k.shutdownVirtualMachine({ fqdn: "web-4.acme.katapult.cloud" }));
    assert.equal(e.code, "network_error");
    assert.equal((await mock.stats()).requests, 1, "the POST was not repeated");
  });

  test("abort during a request rejects aborted within 100 ms", async () => {
    await mock.faults([{ kind: "ok", delay_ms: 3000 }]);
    const ac = new AbortController();
    const pending = k.getVirtualMachine(vm, { signal: ac.signal });
    await new Promise((r) => setTimeout(r, 100));
    const t0 = Date.now();
    ac.abort();
    const e = await rejection(pending);
    assert.equal(e.code, "aborted");
    assert.ok(Date.now() - t0 < 100, `took ${Date.now() - t0} ms`);
  });

  test("abort during backoff rejects aborted within 100 ms and sends nothing more", async () => {
    await mock.resetStats();
    await mock.faults([{ status: 429, retry_after: 10 }]);
    const ac = new AbortController();
    const pending = k.getVirtualMachine(vm, { signal: ac.signal });
    await new Promise((r) => setTimeout(r, 150));
    const t0 = Date.now();
    ac.abort();
    const e = await rejection(pending);
    assert.equal(e.code, "aborted");
    assert.ok(Date.now() - t0 < 100, `took ${Date.now() - t0} ms`);
    await new Promise((r) => setTimeout(r, 100));
    assert.equal((await mock.stats()).requests, 1);
  });

  test("abort during a wait rejects aborted within 100 ms and polls no more", async () => {
    const { task } = await k.shutdownVirtualMachine(vm);
    const ac = new AbortController();
    const pending = k.waitForTask(task.id, { intervalMs: 5000, signal: ac.signal });
    await new Promise((r) => setTimeout(r, 150));
    await mock.resetStats();
    const t0 = Date.now();
    ac.abort();
    assert.equal((await rejection(pending)).code, "aborted");
    assert.ok(Date.now() - t0 < 100, `took ${Date.now() - t0} ms`);
    await new Promise((r) => setTimeout(r, 100));
    assert.equal((await mock.stats()).requests, 0, "no poll after the abort");
  });

  test("abort during listAll cancels the pages in flight", async () => {
    await mock.faults(Array.from({ length: 4 }, () => ({ kind: "ok", delay_ms: 3000 })));
    const ac = new AbortController();
    const t0 = Date.now();
    const pending = k.listAllVirtualMachines({ sub_domain: "acme" }, { per_page: 5, signal: ac.signal });
    setTimeout(() => ac.abort(), 100);
    assert.equal((await rejection(pending)).code, "aborted");
    assert.ok((await settleTime(pending, t0)) < 300);
  });

  test("an already-aborted signal rejects at once for every method", async () => {
    const ac = new AbortController();
    ac.abort();
    const signal = ac.signal;
    await mock.resetStats();
    for (const call of [
      () => k.listOrganizations({ signal }),
      () => k.getTask("task_x", { signal }),
      () => k.waitForTask("task_x", { signal }),
      () => k.waitForVirtualMachineBuild("b", { signal }),
      () => k.listAllVirtualMachines({ sub_domain: "acme" }, { signal }),
      () => k.virtualMachines({ sub_domain: "acme" }, { signal }).next(),
      () => k.restoreTrashObject("t", { signal }),
    ]) {
      assert.equal((await rejection(call())).code, "aborted");
    }
    assert.equal((await mock.stats()).requests, 0);
  });
});
