// The built package (pkg/) in Node via ESM `import`, against the real
// katapult-mock over loopback: every seed endpoint's success and each error
// code the mock produces, plus the exact wire format.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { KatapultClient, KatapultError } from "katapult-wasm";
import { startMock, TOKEN } from "./mock.mjs";

let mock;
/** A client on the mock; retries off so fault scripts map one-to-one. */
let k;
const client = (extra = {}) => new KatapultClient({ token: TOKEN, baseUrl: mock.baseUrl, maxRetries: 0, ...extra });

before(async () => {
  mock = await startMock(["--task-ms", "300"]);
  k = client();
});
after(() => mock?.stop());

/** Asserts `promise` rejects with a KatapultError having these fields. */
async function rejects(promise, fields) {
  let error;
  try {
    await promise;
  } catch (e) {
    error = e;
  }
  assert.ok(error, `expected a rejection with ${JSON.stringify(fields)}`);
  assert.ok(error instanceof KatapultError, `not a KatapultError: ${error}`);
  assert.ok(error instanceof Error);
  for (const [key, value] of Object.entries(fields)) assert.deepEqual(error[key], value, `${key} of ${error}`);
  return error;
}

async function lastRequest() {
  const { log } = await mock.stats();
  return log.at(-1);
}

test("the package exports the client and an Error subclass", () => {
  assert.equal(typeof KatapultClient, "function");
  assert.equal(typeof KatapultError, "function");
  assert.ok(Object.prototype.isPrototypeOf.call(Error.prototype, KatapultError.prototype));
});

test("constructor validates its config and throws KatapultError", () => {
  for (const [config, message] of [
    [undefined, /config is required|needs a config object/],
    [{}, /config.token is required/],
    [{ token: "" }, /config.token is required/],
    [{ token: "t", baseUrl: "ftp://x" }, /config.baseUrl must start with http/],
    [{ token: "t", baseUrl: "not a url" }, /config.baseUrl/],
    [{ token: "t", timeoutMs: -5 }, /config.timeoutMs/],
  ]) {
    assert.throws(() => new KatapultClient(config), (e) => {
      assert.ok(e instanceof KatapultError, String(e));
      assert.equal(e.code, "invalid_argument");
      assert.equal(e.status, 0);
      assert.match(e.message, message);
      return true;
    });
  }
  assert.equal(new KatapultClient({ token: "t", baseUrl: "http://x/core/v1///" }).baseUrl, "http://x/core/v1");
  assert.equal(new KatapultClient({ token: "t" }).baseUrl, "https://api.katapult.io/core/v1");
});

test("listVirtualMachines: default page, paging and annotation filter", async () => {
  const first = await k.listVirtualMachines({ sub_domain: "acme" });
  assert.equal(first.pagination.current_page, 1);
  assert.equal(first.pagination.per_page, 30);
  assert.equal(first.pagination.large_set, false);
  assert.ok(first.pagination.total > 30, `acme should hold ~40 VMs, has ${first.pagination.total}`);
  assert.equal(first.pagination.total_pages, Math.ceil(first.pagination.total / 30));
  assert.equal(first.virtual_machines.length, 30);
  // The live API's list item, as sent: only these keys, nothing filled in.
  const live = ["id", "name", "hostname", "fqdn", "created_at", "zone", "package", "gpu_type", "ip_addresses"];
  for (const vm of first.virtual_machines) {
    assert.ok(Object.keys(vm).every((k) => live.includes(k)), Object.keys(vm).join());
    assert.ok(!("state" in vm) && !("hypervisor" in vm));
    assert.deepEqual(Object.keys(vm.zone.data_center).sort(), ["id", "name", "permalink"]);
  }
  const vm = first.virtual_machines[0];
  assert.match(vm.id, /^vm_/);

  const second = await k.listVirtualMachines({ sub_domain: "acme" }, { page: 2, per_page: 30 });
  assert.equal(second.pagination.current_page, 2);
  assert.equal(second.virtual_machines.length, first.pagination.total - 30);
  const ids = new Set([...first.virtual_machines, ...second.virtual_machines].map((v) => v.id));
  assert.equal(ids.size, first.pagination.total, "pages overlap or miss VMs");

  const org = (await k.listOrganizations()).organizations.find((o) => o.sub_domain === "acme");
  const byId = await k.listVirtualMachines({ id: org.id }, { per_page: 5 });
  assert.equal(byId.virtual_machines.length, 5);
  assert.deepEqual(byId.virtual_machines, first.virtual_machines.slice(0, 5));

  const all = await k.listVirtualMachines({ sub_domain: "acme" }, { per_page: 200 });
  const full = await Promise.all(all.virtual_machines.map((v) => k.getVirtualMachine({ id: v.id })));
  const webs = full.filter((r) => r.annotations.some((a) => a.key === "team" && a.value === "web"));
  assert.ok(webs.length > 0, "seed has no team=web VM");
  const filtered = await k.listVirtualMachines({ sub_domain: "acme" }, { annotations: [{ key: "team", value: "web" }], per_page: 200 });
  assert.deepEqual(filtered.virtual_machines.map((v) => v.id).sort(), webs.map((r) => r.virtual_machine.id).sort());
});

test("listVirtualMachines sends the documented query", async () => {
  await k.listVirtualMachines({ sub_domain: "acme" }, { annotations: [{ key: "team", value: "web & ops" }], page: 1, per_page: 7 });
  const req = await lastRequest();
  assert.equal(req.method, "GET");
  assert.equal(req.path, "/organizations/organization/virtual_machines");
  assert.equal(
    req.query,
    "organization[sub_domain]=acme&annotations[][key]=team&annotations[][value]=web%20%26%20ops&page=1&per_page=7",
  );
  assert.equal(req.auth, "ok");
});

test("getVirtualMachine by fqdn and by id returns the full record", async () => {
  const { virtual_machine: vm, annotations } = await k.getVirtualMachine({ fqdn: "web-1.acme.katapult.cloud" });
  assert.equal(vm.fqdn, "web-1.acme.katapult.cloud");
  assert.equal(vm.organization.sub_domain, "acme");
  assert.ok(Array.isArray(annotations));
  for (const key of ["description", "initial_root_password", "group", "package", "attached_iso", "gpu_type"]) {
    assert.ok(key in vm, `nullable ${key} should be present (null when unset)`);
  }
  assert.ok(Array.isArray(vm.ip_addresses) && vm.ip_addresses.length > 0);
  const again = await k.getVirtualMachine({ id: vm.id });
  assert.deepEqual(again.virtual_machine, vm);
  const req = await lastRequest();
  assert.equal(req.query, `virtual_machine[id]=${vm.id}`);
});

test("shutdownVirtualMachine queues a task and sends the lookup as JSON", async () => {
  const { virtual_machine: vm } = await k.getVirtualMachine({ fqdn: "web-2.acme.katapult.cloud" });
  const { task } = await k.shutdownVirtualMachine({ id: vm.id });
  assert.match(task.id, /^task_/);
  assert.ok(["pending", "running"].includes(task.status), task.status);
  const req = await lastRequest();
  assert.equal(req.method, "POST");
  assert.equal(req.path, "/virtual_machines/virtual_machine/shutdown");
  assert.deepEqual(JSON.parse(req.body), { virtual_machine: { id: vm.id } });
  // A second action while the first runs cannot be queued.
  await rejects(k.stopVirtualMachine({ id: vm.id }), { code: "task_queueing_error", status: 406 });
});

test("deleteVirtualMachine trashes the VM; reading it then is object_in_trash", async () => {
  const { virtual_machine: vm } = await k.getVirtualMachine({ fqdn: "web-3.acme.katapult.cloud" });
  const { trash_object, virtual_machine } = await k.deleteVirtualMachine({ fqdn: vm.fqdn });
  assert.equal(virtual_machine.id, vm.id);
  assert.equal(trash_object.object_id, vm.id);
  const req = await lastRequest();
  assert.equal(req.method, "DELETE");
  assert.deepEqual(JSON.parse(req.body), { virtual_machine: { fqdn: vm.fqdn } });
  const e = await rejects(k.getVirtualMachine({ id: vm.id }), { code: "object_in_trash", status: 406 });
  assert.equal(e.detail.trash_object.id, trash_object.id);
  assert.match(e.requestId, /\S/);
  await rejects(k.deleteVirtualMachine({ id: vm.id }), { code: "object_in_trash" });
  await rejects(k.shutdownVirtualMachine({ id: vm.id }), { code: "object_in_trash" });
});

test("buildVirtualMachineFromSpec: 201 with task, build and hostname", async () => {
  const xml = `<?xml version="1.0" encoding="UTF-8"?>
<VirtualMachineSpec>
  <DataCenter by="permalink">uk-lon</DataCenter>
  <Resources><Package by="permalink">rock-3</Package></Resources>
  <Hostname><Hostname>node-test-1</Hostname></Hostname>
</VirtualMachineSpec>`;
  const build = await k.buildVirtualMachineFromSpec({ sub_domain: "acme" }, xml, { annotations: [{ key: "team", value: "web" }] });
  assert.match(build.task.id, /^task_/);
  assert.equal(build.build.id, build.virtual_machine_build.id);
  assert.equal(build.hostname, "node-test-1");
  assert.deepEqual(build.annotations, [{ key: "team", value: "web" }]);
  const req = await lastRequest();
  assert.deepEqual(JSON.parse(req.body), { organization: { sub_domain: "acme" }, xml, annotations: [{ key: "team", value: "web" }] });

  await rejects(k.buildVirtualMachineFromSpec({ sub_domain: "acme" }, "<NotASpec/>"), { code: "invalid_spec_xml", status: 400 });
  const e = await rejects(
    k.buildVirtualMachineFromSpec({ sub_domain: "acme" }, "<VirtualMachineSpec><DataCenter>x</DataCenter></VirtualMachineSpec>"),
    { code: "validation_error", status: 422 },
  );
  assert.ok(Array.isArray(e.detail.errors) && e.detail.errors.length > 0);
});

test("API errors map to KatapultError with the API's code, status and detail", async () => {
  await rejects(k.getVirtualMachine({ id: "vm_doesnotexist0000" }), { code: "virtual_machine_not_found", status: 404 });
  await rejects(k.listVirtualMachines({ sub_domain: "nope" }), { code: "organization_not_found", status: 404 });
  await rejects(k.listVirtualMachines({ sub_domain: "initech" }), { code: "organization_suspended", status: 403 });
  await rejects(k.listVirtualMachines({ sub_domain: "hooli" }), { code: "organization_not_activated", status: 403 });
  await rejects(client({ token: "wrong-token" }).listOrganizations(), { code: "invalid_api_token", status: 403 });
  const readonly = client({ token: "readonly-token" });
  assert.ok((await readonly.listVirtualMachines({ sub_domain: "acme" })).virtual_machines.length > 0);
  const scope = await rejects(readonly.shutdownVirtualMachine({ fqdn: "web-1.acme.katapult.cloud" }), { code: "scope_not_granted", status: 403 });
  assert.ok(Array.isArray(scope.detail.scopes));
  await rejects(k.deleteVirtualMachine({ fqdn: "protected-1.acme.katapult.cloud" }), { code: "permission_denied", status: 403 });
  // The server's own invalid_argument keeps its status, unlike the client's (0).
  const server = await rejects(k.listVirtualMachines({ sub_domain: "acme" }, { per_page: 100000 }), { code: "invalid_argument", status: 400 });
  assert.equal(typeof server.detail, "object");
});

test("status-only and scripted failures: 429, 503, missing token, HTML, truncated JSON, dropped connection", async () => {
  const vm = { fqdn: "web-1.acme.katapult.cloud" };
  await mock.faults([{ status: 429 }]);
  const limited = await rejects(k.getVirtualMachine(vm), { code: "rate_limit_reached", status: 429 });
  assert.equal(typeof limited.detail.total_permitted, "number");
  await mock.faults([{ status: 503 }]);
  await rejects(k.getVirtualMachine(vm), { code: "service_unavailable", status: 503 });
  await mock.faults([{ status: 400, code: "missing_api_token" }]);
  await rejects(k.getVirtualMachine(vm), { code: "missing_api_token", status: 400 });
  await mock.faults([{ kind: "html" }]);
  await rejects(k.getVirtualMachine(vm), { code: "invalid_response", status: 502 });
  await mock.faults([{ kind: "truncated" }]);
  await rejects(k.getVirtualMachine(vm), { code: "invalid_response", status: 200 });
  await mock.faults([{ kind: "raw", status: 200, content_type: "application/json", body: '{"virtual_machine":5,"annotations":[]}' }]);
  await rejects(k.getVirtualMachine(vm), { code: "invalid_response", status: 200 });
  await mock.faults([{ kind: "drop" }]);
  await rejects(k.getVirtualMachine(vm), { code: "network_error", status: 0 });
  // The same instance keeps working afterwards.
  assert.equal((await k.getVirtualMachine(vm)).virtual_machine.fqdn, vm.fqdn);
});

test("timeout and abort", async () => {
  const vm = { fqdn: "web-1.acme.katapult.cloud" };
  await mock.faults([{ kind: "ok", delay_ms: 1000 }]);
  const started = Date.now();
  await rejects(client({ timeoutMs: 100 }).getVirtualMachine(vm), { code: "timeout", status: 0 });
  assert.ok(Date.now() - started < 900, "timeout fired late");

  const aborted = new AbortController();
  aborted.abort();
  await mock.resetStats();
  await rejects(k.getVirtualMachine(vm, { signal: aborted.signal }), { code: "aborted", status: 0 });
  assert.equal((await mock.stats()).requests, 0, "an aborted call must not send a request");

  await mock.faults([{ kind: "ok", delay_ms: 1000 }]);
  const ac = new AbortController();
  const t0 = Date.now();
  const pending = k.getVirtualMachine(vm, { signal: ac.signal });
  setTimeout(() => ac.abort(), 50);
  await rejects(pending, { code: "aborted" });
  assert.ok(Date.now() - t0 < 500, "abort was not prompt");
});

test("the token travels only in the Authorization header", async () => {
  const secret = "sekrit-token-that-must-not-leak";
  const spy = client({ token: secret });
  const e = await rejects(spy.getVirtualMachine({ id: "vm_x" }), { code: "invalid_api_token" });
  for (const text of [String(e), e.message, JSON.stringify(e), JSON.stringify(spy), String(e.stack)]) {
    assert.ok(!text.includes(secret), `token leaked: ${text}`);
  }
  const req = await lastRequest();
  assert.ok(!req.query.includes(secret) && !req.path.includes(secret));
});
