// Smoke test of the contract harness, with plain fetch (no client): Prism must
// accept the requests the client will make, and must flag wrong ones (so a
// contract test built on it can fail).
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  assertNoViolations, assertViolations, prismFetch, specExists, specPath, startPrism,
} from "./prism.mjs";

const AUTH = { authorization: "Bearer anything" };
const JSON_AUTH = { ...AUTH, "content-type": "application/json" };
const VM = { virtual_machine: { id: "vm_x" } };

// [name, method, path, body, expected 2xx status, top-level key of the answer]
const GOOD = [
  ["list organizations", "GET", "/organizations", undefined, 200, "organizations"],
  ["list VMs, raw brackets", "GET",
    "/organizations/organization/virtual_machines?organization[sub_domain]=acme&page=2&per_page=50&annotations[][key]=team&annotations[][value]=web",
    undefined, 200, "virtual_machines"],
  ["list VMs, percent-encoded brackets", "GET",
    "/organizations/organization/virtual_machines?organization%5Bsub_domain%5D=acme&page=2&per_page=50&annotations%5B%5D%5Bkey%5D=team&annotations%5B%5D%5Bvalue%5D=web",
    undefined, 200, "virtual_machines"],
  ["list VMs, two annotations", "GET",
    "/organizations/organization/virtual_machines?organization%5Bid%5D=org_x&annotations%5B%5D%5Bkey%5D=a&annotations%5B%5D%5Bkey%5D=b&annotations%5B%5D%5Bvalue%5D=1&annotations%5B%5D%5Bvalue%5D=2",
    undefined, 200, "virtual_machines"],
  ["get VM by id", "GET", "/virtual_machines/virtual_machine?virtual_machine[id]=vm_x", undefined, 200, "virtual_machine"],
  ["get VM by fqdn", "GET", "/virtual_machines/virtual_machine?virtual_machine%5Bfqdn%5D=web1.acme.example", undefined, 200, "virtual_machine"],
  ["delete VM", "DELETE", "/virtual_machines/virtual_machine", VM, 200, "trash_object"],
  ...["shutdown", "start", "stop", "reset"].map((a) =>
    [`${a} VM`, "POST", `/virtual_machines/virtual_machine/${a}`, VM, 200, "task"]),
  ["build VM from spec", "POST", "/organizations/organization/virtual_machines/build_from_spec",
    { organization: { sub_domain: "acme" }, xml: "<VirtualMachineSpec/>", annotations: [{ key: "team", value: "web" }] },
    201, "virtual_machine_build"],
  ["get task", "GET", "/tasks/task?task[id]=task_x", undefined, 200, "task"],
  ["get VM build", "GET", "/virtual_machines/builds/virtual_machine_build?virtual_machine_build[id]=x", undefined, 200, "virtual_machine_build"],
  ["restore trash object", "POST", "/trash_objects/trash_object/restore", { trash_object: { id: "trsh_x" } }, 200, "trash_object"],
];

// [name, method, path, headers, raw body, expected violation code]
const BAD = [
  ["missing Authorization", "GET", "/organizations", {}, undefined, "UNAUTHORIZED"],
  ["non-bearer Authorization", "GET", "/organizations", { authorization: "Basic eDp5" }, undefined, "UNAUTHORIZED"],
  ["lookup not an object", "POST", "/virtual_machines/virtual_machine/shutdown", JSON_AUTH,
    JSON.stringify({ virtual_machine: "vm_x" }), "type"],
  ["lookup id not a string", "DELETE", "/virtual_machines/virtual_machine", JSON_AUTH,
    JSON.stringify({ virtual_machine: { id: 5 } }), "type"],
  ["required body property missing", "POST", "/virtual_machines/virtual_machine/start", JSON_AUTH, "{}", "required"],
  ["required xml missing", "POST", "/organizations/organization/virtual_machines/build_from_spec", JSON_AUTH,
    JSON.stringify({ organization: { sub_domain: "acme" } }), "required"],
  ["annotations not an array", "POST", "/organizations/organization/virtual_machines/build_from_spec", JSON_AUTH,
    JSON.stringify({ organization: { sub_domain: "acme" }, xml: "<x/>", annotations: { team: "web" } }), "type"],
  ["JSON body without content-type", "POST", "/virtual_machines/virtual_machine/stop",
    { ...AUTH, "content-type": "text/plain" }, JSON.stringify(VM), 415],
  ["page not an integer", "GET", "/organizations/organization/virtual_machines?organization[sub_domain]=acme&page=two",
    AUTH, undefined, "type"],
  ["per_page below minimum", "GET", "/organizations/organization/virtual_machines?organization%5Bsub_domain%5D=acme&per_page=0",
    AUTH, undefined, "minimum"],
  ["wrong method", "GET", "/virtual_machines/virtual_machine/shutdown", AUTH, undefined, "NO_METHOD_MATCHED_ERROR"],
  ["unknown path", "GET", "/virtual_machine", AUTH, undefined, "NO_PATH_MATCHED_ERROR"],
  ["base path included", "GET", "/core/v1/organizations", AUTH, undefined, "NO_PATH_MATCHED_ERROR"],
];

if (!specExists()) {
  const reason = `OpenAPI document not found at ${specPath()} (set KATAPULT_OPENAPI)`;
  console.log(`SKIP contract: ${reason}`);
  test("contract smoke", { skip: reason }, () => {});
} else {
  describe("Prism contract harness", () => {
    let prism, dyn;
    before(async () => {
      // Both at once: each takes ~3 s to load the 850 KB document.
      [prism, dyn] = await Promise.all([startPrism(), startPrism({ dynamic: true, seed: 1 })]);
    }, { timeout: 120_000 });
    after(async () => { await Promise.all([prism?.stop(), dyn?.stop()]); });

    describe("accepts the client's requests", () => {
      for (const [name, method, path, body, status, key] of GOOD) {
        test(`${name}: ${method} ${path.split("?")[0]}`, async () => {
          const res = await prismFetch(prism.url + path, {
            method,
            headers: body === undefined ? AUTH : JSON_AUTH,
            body: body === undefined ? undefined : JSON.stringify(body),
          });
          await assertNoViolations(res, `${method} ${path}`);
          assert.equal(res.status, status);
          assert.match(res.headers.get("content-type") ?? "", /^application\/json/);
          const json = await res.json();
          assert.ok(key in json, `answer has "${key}": ${JSON.stringify(json).slice(0, 200)}`);
        });
      }
    });

    describe("flags wrong requests", () => {
      for (const [name, method, path, headers, body, code] of BAD) {
        test(name, async () => {
          const res = await prismFetch(prism.url + path, { method, headers, body });
          const list = await assertViolations(res, `${method} ${path}`);
          assert.ok(list.some((v) => v.code === code),
            `expected a violation with code ${code}, got ${JSON.stringify(list)}`);
          assert.ok(res.status >= 400, `HTTP ${res.status}`);
          await res.arrayBuffer();
        });
      }

      test("assertNoViolations throws on a flagged response", async () => {
        const res = await prismFetch(`${prism.url}/virtual_machines/virtual_machine/reset`,
          { method: "POST", headers: JSON_AUTH, body: "{}" });
        await assert.rejects(assertNoViolations(res, "POST reset {}"), /contract violation.*\n.*required/);
      });

      test("a body that is not JSON gets no answer (prismFetch times out)", async () => {
        await assert.rejects(
          prismFetch(`${prism.url}/virtual_machines/virtual_machine/reset`,
            { method: "POST", headers: JSON_AUTH, body: "{not json" }, 1_500),
          /no answer from Prism within 1500 ms/);
      });
    });

    describe("Prefer headers", () => {
      for (const [code, method, path, body, errorCode] of [
        [404, "GET", "/virtual_machines/virtual_machine?virtual_machine[id]=vm_x", undefined, "virtual_machine_not_found"],
        [406, "POST", "/virtual_machines/virtual_machine/shutdown", VM, "object_in_trash"],
        [422, "POST", "/organizations/organization/virtual_machines/build_from_spec",
          { organization: { sub_domain: "acme" }, xml: "<x/>" }, "validation_error"],
        [404, "GET", "/tasks/task?task[id]=task_x", undefined, "task_not_found"],
      ]) {
        test(`Prefer: code=${code} on ${method} ${path.split("?")[0]} gives the documented error`, async () => {
          const res = await prismFetch(prism.url + path, {
            method,
            headers: { ...(body ? JSON_AUTH : AUTH), prefer: `code=${code}` },
            body: body && JSON.stringify(body),
          });
          await assertNoViolations(res);
          assert.equal(res.status, code);
          assert.equal((await res.json()).code, errorCode);
        });
      }

      test("Prefer: code= of an undocumented status is a Prism error", async () => {
        const res = await prismFetch(`${prism.url}/tasks/task?task[id]=x`, { headers: { ...AUTH, prefer: "code=500" } });
        const list = await assertViolations(res);
        assert.equal(res.status, 404);
        assert.equal(list[0].code, "NOT_FOUND");
      });
    });

    test("dynamic mode answers schema-conforming random data", async () => {
      const res = await prismFetch(`${dyn.url}/tasks/task?task[id]=task_x`, { headers: AUTH });
      await assertNoViolations(res);
      const { task } = await res.json();
      assert.equal(typeof task.id, "string");
      assert.ok(["pending", "running", "completed", "failed"].includes(task.status));
      assert.ok(task.started_at === null || Number.isInteger(task.started_at));
    });

    test("stop() ends Prism", async () => {
      const p = await startPrism({ errors: false });
      await p.stop();
      await assert.rejects(fetch(`${p.url}/organizations`, { headers: AUTH }));
      assert.throws(() => process.kill(p.pid, 0), { code: "ESRCH" });
    });
  });
}
