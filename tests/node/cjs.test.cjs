// The built package through CommonJS `require`, against the real mock.
const { test, before, after } = require("node:test");
const assert = require("node:assert/strict");
const { KatapultClient, KatapultError } = require("katapult-wasm");

let mock;
before(async () => {
  const { startMock } = await import("./mock.mjs");
  mock = await startMock();
});
after(() => mock?.stop());

test("require() and import() give the very same classes", async () => {
  const esm = await import("katapult-wasm");
  assert.equal(esm.KatapultClient, KatapultClient);
  assert.equal(esm.KatapultError, KatapultError);
});

test("list and get through CommonJS", async () => {
  const k = new KatapultClient({ token: "demo-token", baseUrl: mock.baseUrl });
  const { pagination, virtual_machines } = await k.listVirtualMachines({ sub_domain: "acme" }, { per_page: 50 });
  assert.equal(pagination.per_page, 50);
  assert.equal(virtual_machines.length, pagination.total);
  const { virtual_machine } = await k.getVirtualMachine({ fqdn: "web-1.acme.katapult.cloud" });
  assert.equal(virtual_machine.hostname, "web-1");
});

test("errors are KatapultError instances with the API's fields", async () => {
  const k = new KatapultClient({ token: "demo-token", baseUrl: mock.baseUrl });
  await assert.rejects(k.getVirtualMachine({ id: "vm_nope" }), (e) => {
    assert.ok(e instanceof KatapultError && e instanceof Error);
    assert.equal(e.name, "KatapultError");
    assert.equal(e.code, "virtual_machine_not_found");
    assert.equal(e.status, 404);
    assert.equal(typeof e.message, "string");
    assert.deepEqual(Object.keys(e.toJSON()).sort(), ["code", "detail", "message", "name", "requestId", "status"]);
    return true;
  });
});
