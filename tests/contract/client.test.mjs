// The contract test: every KatapultClient method's request, as the built
// package sends it, is accepted by Prism serving the real Katapult OpenAPI
// document (no sl-violations), and Prism's schema-shaped answers decode.
// A recording proxy between the client and Prism keeps each answer's
// violations, because the client does not expose response headers.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { specExists, specPath, startPrism, describeViolations } from "./prism.mjs";
import { startProxy } from "./proxy.mjs";

const skip = specExists() ? false : `SKIP contract: OpenAPI document not found at ${specPath()}`;
if (skip) console.log(skip);

describe("client requests against the OpenAPI document", { skip }, () => {
  let prism, proxy, KatapultClient, k;
  /** Every request that went through the proxy: { method, url, violations }. */
  let seen = [];

  before(async () => {
    ({ KatapultClient } = await import("katapult-wasm"));
    prism = await startPrism({ spec: specPath() });
    proxy = await startProxy(prism.url);
    seen = proxy.seen;
    k = new KatapultClient({ token: "contract-token", baseUrl: proxy.url, maxRetries: 0, rateLimit: false }); // Prism's random 429s and headers would teach the budget nonsense
  });
  after(async () => {
    await proxy?.close();
    await prism?.stop();
  });

  /** Runs one client call; asserts it resolved and Prism saw no violation. */
  async function accepted(name, call, check) {
    const before = seen.length;
    const result = await call();
    assert.equal(seen.length, before + 1, `${name} should send exactly one request`);
    const { method, url, violations: v } = seen.at(-1);
    assert.deepEqual(v, [], `${name}: ${method} ${url} violates the contract:\n${describeViolations(v)}`);
    check?.(result);
    return seen.at(-1);
  }

  const vm = { id: "vm_contract" };
  const options = { annotations: [{ key: "team", value: "web" }, { key: "env", value: "prod" }], page: 2, per_page: 50 };

  test("listOrganizations", () => accepted("listOrganizations", () => k.listOrganizations(), (r) => assert.ok(Array.isArray(r.organizations))));
  test("listVirtualMachines (sub_domain, every option)", () =>
    accepted("listVirtualMachines", () => k.listVirtualMachines({ sub_domain: "acme" }, options), (r) => {
      assert.equal(typeof r.pagination.current_page, "number");
      assert.ok(Array.isArray(r.virtual_machines));
    }));
  test("listVirtualMachines (id)", () => accepted("listVirtualMachines", () => k.listVirtualMachines({ id: "org_x" })));
  test("getVirtualMachine (id, fqdn)", async () => {
    await accepted("getVirtualMachine", () => k.getVirtualMachine(vm), (r) => assert.equal(typeof r.virtual_machine.id, "string"));
    await accepted("getVirtualMachine", () => k.getVirtualMachine({ fqdn: "web-1.acme.katapult.cloud" }));
  });
  test("deleteVirtualMachine", async () => {
    const req = await accepted("deleteVirtualMachine", () => k.deleteVirtualMachine(vm), (r) => assert.equal(typeof r.trash_object.id, "string"));
    assert.equal(req.method, "DELETE");
  });
  for (const action of ["shutdown", "start", "stop", "reset"]) {
    const method = `${action}VirtualMachine`;
    test(method, () => accepted(method, () => k[method](vm), (r) => assert.equal(typeof r.task.id, "string")));
  }
  test("buildVirtualMachineFromSpec (with and without annotations)", async () => {
    await accepted("buildVirtualMachineFromSpec", () =>
      k.buildVirtualMachineFromSpec({ sub_domain: "acme" }, "<VirtualMachineSpec/>", { annotations: [{ key: "team", value: "web" }] }),
      (r) => assert.equal(typeof r.virtual_machine_build.id, "string"));
    await accepted("buildVirtualMachineFromSpec", () => k.buildVirtualMachineFromSpec({ id: "org_x" }, "<VirtualMachineSpec/>"));
  });
  test("getTask", () => accepted("getTask", () => k.getTask("task_x"), (r) => assert.equal(typeof r.task.progress, "number")));
  test("getVirtualMachineBuild", () => accepted("getVirtualMachineBuild", () => k.getVirtualMachineBuild("vmbuild_x")));
  test("restoreTrashObject", () => accepted("restoreTrashObject", () => k.restoreTrashObject("trsh_x")));

  test("listAllVirtualMachines and the virtualMachines iterator", async () => {
    await accepted("listAllVirtualMachines", () => k.listAllVirtualMachines({ sub_domain: "acme" }, { per_page: 100, annotations: [{ key: "a", value: "b" }] }),
      (r) => assert.ok(Array.isArray(r)));
    await accepted("virtualMachines", async () => {
      const items = [];
      for await (const vm of k.virtualMachines({ id: "org_x" }, { per_page: 20 })) items.push(vm);
      return items;
    });
  });
  test("waitForTask and waitForVirtualMachineBuild poll with accepted requests", async () => {
    // Prism's static answers never finish ("pending", "draft"): the waits time out.
    for (const wait of [() => k.waitForTask("task_x", { intervalMs: 10, timeoutMs: 60 }),
      () => k.waitForVirtualMachineBuild("vmbuild_x", { intervalMs: 10, timeoutMs: 60 })]) {
      const before = seen.length;
      await assert.rejects(wait(), (e) => e.code === "timeout");
      assert.ok(seen.length > before);
      for (const { method, url, violations: v } of seen.slice(before)) {
        assert.deepEqual(v, [], `${method} ${url}:\n${describeViolations(v)}`);
      }
    }
  });

  test("every request sent only Authorization (and Content-Type with a body) as custom headers", () => {
    assert.ok(seen.length >= 14, `only ${seen.length} requests seen`);
    for (const { method, url, headers } of seen) {
      assert.equal(headers.authorization, "Bearer contract-token", `${method} ${url}`);
      const hasBody = method !== "GET";
      assert.equal(headers["content-type"], hasBody ? "application/json" : undefined, `${method} ${url}`);
      for (const name of Object.keys(headers)) {
        assert.ok(
          ["authorization", "content-type", "content-length", "host", "connection", "accept", "accept-language",
            "accept-encoding", "user-agent", "sec-fetch-mode"].includes(name),
          `${method} ${url} sent an extra header ${name}, which would fail CORS preflights`,
        );
      }
    }
  });
});
