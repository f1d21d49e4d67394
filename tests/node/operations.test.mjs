// Every operation through `request` and its named method, driven by the
// OpenAPI document and by `operations` (no hand-kept list): wrong
// arguments reject with invalid_argument before anything is sent; walks
// (`paginate`, `iterate`) over paginated operations other than VMs;
// `waitForTask` with a task object and `onProgress`; a token function;
// the methods and bodies that reach the wire.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { KatapultClient, KatapultError, operations } from "katapult-wasm";
import { startMock, TOKEN } from "./mock.mjs";
import { argumentsOf, documentOperations, exampleParams, loadSpec, subjectsOf, OWN_SIGNATURES } from "../contract/examples.mjs";

let mock, k;
const spec = loadSpec();
const raw = (body, status = 200, content_type = "application/json") => ({ kind: "raw", status, content_type, body: typeof body === "string" ? body : JSON.stringify(body) });

before(async () => {
  mock = await startMock(["--task-ms", "200"]);
  k = new KatapultClient({ token: TOKEN, baseUrl: mock.baseUrl, maxRetries: 0 });
});
after(() => mock?.stop());

async function rejection(promise) {
  try {
    await promise;
  } catch (e) {
    return e;
  }
  return null;
}

test("operations: one frozen entry per operation of the document, each with its named method", () => {
  const documented = documentOperations(spec);
  assert.equal(operations.length, documented.length);
  assert.equal(operations.length, 189);
  assert.ok(Object.isFrozen(operations) && operations.every(Object.isFrozen));
  const names = new Set();
  for (const [i, o] of operations.entries()) {
    const d = documented[i];
    assert.deepEqual([o.operationId, o.method, o.path], [d.id, d.method.toUpperCase(), d.path]);
    assert.equal(typeof k[o.name], "function", o.name);
    assert.ok(!names.has(o.name), `two operations named ${o.name}`);
    names.add(o.name);
    const answer = d.op.responses[Object.keys(d.op.responses).find((s) => s.startsWith("2"))];
    const props = answer.content?.["application/json"]?.schema?.properties ?? {};
    assert.equal(o.task, "task" in props, `${o.operationId}: task`);
    assert.equal(o.items !== null, "pagination" in props, `${o.operationId}: items`);
    if (o.items) assert.equal(props[o.items].type, "array");
  }
  assert.equal(operations.find((o) => o.operationId === "get:virtual_machine_disks").name, "getVirtualMachineDisks");
});

test("one name per operation: the named methods' names, the reviewed overlay, no second method", async () => {
  const { NAMES, NAMED_METHODS } = await import("../../codegen/names.mjs");
  const byId = Object.fromEntries(operations.map((o) => [o.operationId, o.name]));
  for (const [id, name] of Object.entries(NAMES)) assert.equal(byId[id], name, id);
  assert.equal(byId["get:organization_virtual_machines"], "listVirtualMachines");
  assert.equal(byId["post:virtual_machine_shutdown"], "shutdownVirtualMachine");
  // The generated twin of a named method is gone, and no name is unreadable.
  const camel = (id) => id.replace(/[:_]+(.)/g, (_, c) => c.toUpperCase());
  for (const id of Object.keys(NAMED_METHODS)) assert.equal(k[camel(id)], undefined, `${camel(id)} is a second name of ${id}`);
  for (const o of operations) assert.doesNotMatch(o.name, /VMNI|ObjectStorageObjectStorage|(\w{4,})\1/, o.name);
  // Every request method of the class is an operation's one name; the rest
  // are the walks, waits and generic entry points over them.
  const proto = Object.getPrototypeOf(k);
  const own = Object.getOwnPropertyNames(proto).filter((n) => n !== "constructor" && typeof Object.getOwnPropertyDescriptor(proto, n).value === "function");
  const walks = ["listAllVirtualMachines", "virtualMachines", "waitForTask", "waitForVirtualMachineBuild", "waitUntil", "waitForVirtualMachineState", "request", "paginate", "iterate", "toJSON", "free"];
  assert.deepEqual(own.filter((n) => !walks.includes(n)).sort(), operations.map((o) => o.name).sort());
  // CHANGELOG.md says what to write instead of each renamed method.
  const changelog = (await import("node:fs")).readFileSync(new URL("../../CHANGELOG.md", import.meta.url), "utf8");
  for (const [id, name] of Object.entries(NAMES)) {
    assert.ok(changelog.includes(`\`${camel(id)}`) && changelog.includes(`\`${name}`), `CHANGELOG.md: ${camel(id)} → ${name}`);
  }
});

test("getTask, getVirtualMachineBuild and restoreTrashObject take an id or { id }, as waitForTask does", async () => {
  const { virtual_machines } = await k.listVirtualMachines({ sub_domain: "acme" });
  const { task } = await k.shutdownVirtualMachine({ id: virtual_machines[0].id });
  assert.equal((await k.getTask(task)).task.id, task.id);
  assert.equal((await k.getTask({ id: task.id })).task.id, task.id);
  assert.equal((await k.getTask(task.id)).task.id, task.id);
  const e = await rejection(k.getTask({ name: "x" }));
  assert.equal(e.code, "invalid_argument");
  assert.match(e.message, /id must be an id or an object with an id/);
  for (const method of ["getVirtualMachineBuild", "restoreTrashObject"]) {
    const missing = await rejection(k[method]({ id: "nothing_here" }));
    assert.ok(missing instanceof KatapultError && missing.status === 404, `${method}: ${missing}`);
  }
});

test("every operation rejects wrong arguments with invalid_argument, before any request", async () => {
  await mock.resetStats();
  const cases = [];
  for (const entry of documentOperations(spec)) {
    const valid = exampleParams(spec, entry.op);
    const args = argumentsOf(spec, entry.op);
    cases.push([`${entry.id}: an unknown argument`, k.request(entry.id, { ...valid, not_an_argument: 1 }), /unknown key "not_an_argument"/]);
    cases.push([`${entry.id}: params not an object`, k.request(entry.id, "nope"), /params must be an object/]);
    for (const a of args) {
      const { [a.name]: _, ...without } = valid;
      if (a.required) cases.push([`${entry.id}: ${a.name} missing`, k.request(entry.id, without), new RegExp(`^params\\.${a.name} is required`)]);
      if (a.lookup) {
        cases.push([`${entry.id}: ${a.name} with no key`, k.request(entry.id, { ...valid, [a.name]: {} }), /must have exactly one of/]);
        if (a.keys.length > 1) {
          const both = Object.fromEntries(a.keys.slice(0, 2).map((key) => [key, "x"]));
          cases.push([`${entry.id}: ${a.name} with two keys`, k.request(entry.id, { ...valid, [a.name]: both }), /must have exactly one of .* but has/]);
        }
        cases.push([`${entry.id}: ${a.name} with an empty key`, k.request(entry.id, { ...valid, [a.name]: { [a.keys[0]]: "" } }), /must be a non-empty string/]);
      } else if (["string", "integer", "boolean"].includes(a.schema?.type)) {
        cases.push([`${entry.id}: ${a.name} of the wrong type`, k.request(entry.id, { ...valid, [a.name]: { wrong: true } }), new RegExp(`^params\\.${a.name} must be`)]);
      }
    }
    // The named method: a subject left out is an argument error too.
    const info = operations.find((o) => o.operationId === entry.id);
    const subjects = subjectsOf(spec, entry);
    if (subjects.length && !OWN_SIGNATURES.has(info.name)) {
      cases.push([`${info.name}() without its ${subjects[0]}`, k[info.name](), new RegExp(`^${subjects[0]} is required`)]);
      cases.push([`${info.name} with an unknown option`, k[info.name](...subjects.map((s) => valid[s]), { not_an_option: 1 }), /^options has an unknown key "not_an_option"/]);
    }
  }
  cases.push(["an unknown operationId", k.request("get:nothing_at_all"), /"get:nothing_at_all" is not an operationId/]);
  cases.push(["an operationId that is not a string", k.request(42), /operationId must be a string/]);
  cases.push(["paginate on an operation without pages", k.paginate("get:virtual_machine", { virtual_machine: { id: "x" } }), /not paginated/]);
  cases.push(["iterate on an operation without pages", k.iterate("get:virtual_machine", { virtual_machine: { id: "x" } }).next(), /not paginated/]);
  cases.push(["paginate with a page of its own", k.paginate("get:virtual_machine_disks", { virtual_machine: { id: "x" }, page: 2 }), /params\.page is set by the walk/]);
  for (const [label, promise, message] of cases) {
    const e = await rejection(promise);
    assert.ok(e instanceof KatapultError, `${label}: ${e}`);
    assert.equal(e.code, "invalid_argument", `${label}: ${e.message}`);
    assert.equal(e.status, 0);
    assert.match(e.message, message, label);
  }
  assert.equal((await mock.stats()).requests, 0, "no request may be sent for invalid arguments");
  assert.ok(cases.length > 1000, `${cases.length} cases`);
  console.log(`# ${cases.length} wrong calls over ${documentOperations(spec).length} operations rejected, none sent`);
});

test("PATCH, PUT and DELETE bodies and GET queries reach the wire as the document names them", async () => {
  await mock.resetStats();
  const answer = raw({ virtual_machine: { id: "vm_1", name: "renamed" }, annotations: [] });
  await mock.faults([answer], { path: "/virtual_machines/virtual_machine" });
  const r = await k.patchVirtualMachine({ id: "vm_1" }, { properties: { name: "renamed", tag_names: ["a"] } });
  assert.deepEqual(r, { virtual_machine: { id: "vm_1", name: "renamed" }, annotations: [] });
  await mock.faults([raw({ task: { id: "task_1" }, disk: { id: "disk_1" } })], { path: "/disks/disk/io_profile" });
  await k.putDiskIoProfile({ id: "disk_1" }, { permalink: "fast" }).catch(() => {});
  await mock.faults([raw({ disks: [], pagination: {} })], { path: "/virtual_machines/virtual_machine/disks" });
  await k.getVirtualMachineDisks({ fqdn: "web-1.acme.katapult.cloud" }, { page: 2, per_page: 5 });
  const { log } = await mock.stats();
  assert.deepEqual(log.map((e) => [e.method, e.path]), [
    ["PATCH", "/virtual_machines/virtual_machine"],
    ["PUT", "/disks/disk/io_profile"],
    ["GET", "/virtual_machines/virtual_machine/disks"],
  ]);
  assert.deepEqual(JSON.parse(log[0].body), { virtual_machine: { id: "vm_1" }, properties: { name: "renamed", tag_names: ["a"] } });
  assert.deepEqual(JSON.parse(log[1].body), { disk: { id: "disk_1" }, io_profile: { permalink: "fast" } });
  assert.equal(decodeURIComponent(log[2].query), "virtual_machine[fqdn]=web-1.acme.katapult.cloud&page=2&per_page=5");
});

test("paginate and iterate walk paginated operations other than VMs", async () => {
  const cases = [
    ["get:virtual_machine_disks", { virtual_machine: { id: "vm_1" } }],
    ["get:organization_ip_addresses", { organization: { sub_domain: "acme" } }],
    ["get:organization_disks", { organization: { sub_domain: "acme" } }],
    ["get:organization_security_groups", { organization: { sub_domain: "acme" } }],
  ];
  for (const [id, params] of cases) {
    const { path, items } = operations.find((o) => o.operationId === id);
    assert.ok(items, id);
    const item = (n) => ({ id: `${items}_${n}` });
    // Counted: three pages of 2, the last short; then a large set walked one by one.
    const counted = [
      { pagination: { current_page: 1, total_pages: 3, total: 5, per_page: 2, large_set: false }, [items]: [item(1), item(2)] },
      { pagination: { current_page: 2, total_pages: 3, total: 5, per_page: 2, large_set: false }, [items]: [item(3), item(4)] },
      { pagination: { current_page: 3, total_pages: 3, total: 5, per_page: 2, large_set: false }, [items]: [item(5)] },
    ];
    await mock.resetStats();
    await mock.faults(counted.map((p) => raw(p)), { path });
    const progress = [];
    const all = await k.paginate(id, params, { per_page: 2, concurrency: 1, onProgress: (loaded, total) => progress.push([loaded, total]) });
    assert.deepEqual(all, [1, 2, 3, 4, 5].map(item), id);
    assert.deepEqual(progress, [[2, 5], [4, 5], [5, 5]]);
    const { log } = await mock.stats();
    assert.deepEqual(log.map((e) => new URLSearchParams(e.query).get("page")), ["1", "2", "3"]);
    await mock.faults(counted.map((p) => raw(p)), { path });
    const walked = [];
    for await (const x of k.iterate(id, params, { per_page: 2 })) walked.push(x);
    assert.deepEqual(walked, [1, 2, 3, 4, 5].map(item), id);
    // `break` stops the fetching: one page asked, nothing more.
    await mock.resetStats();
    await mock.faults(counted.map((p) => raw(p)), { path });
    for await (const x of k.iterate(id, params, { per_page: 2 })) {
      assert.deepEqual(x, item(1));
      break;
    }
    assert.equal((await mock.stats()).requests, 1);
    await fetch(`${mock.url}/_mock/faults`, { method: "DELETE" });
  }
});

test("waitForTask takes the task object, reports each poll, and any task operation's task", async () => {
  const { virtual_machines } = await k.listVirtualMachines({ sub_domain: "acme" }, { per_page: 3 });
  const id = virtual_machines[2].id;
  const { virtual_machine } = await k.getVirtualMachine({ id });
  const op = virtual_machine.state === "started" ? "post:virtual_machine_stop" : "post:virtual_machine_start";
  assert.ok(operations.find((o) => o.operationId === op).task);
  const { task } = await k.request(op, { virtual_machine: { id } });
  const polls = [];
  const done = await k.waitForTask(task, { intervalMs: 20, onProgress: (t) => polls.push(t.status) });
  assert.equal(done.status, "completed");
  assert.ok(polls.length >= 1 && polls.at(-1) === "completed", polls.join());
  // onProgress errors are ignored.
  const { task: again } = await k.request(op === "post:virtual_machine_stop" ? "post:virtual_machine_start" : "post:virtual_machine_stop", { virtual_machine: { id } });
  const finished = await k.waitForTask(again.id, { intervalMs: 20, onProgress: () => { throw new Error("ignored"); } });
  assert.equal(finished.status, "completed");
});

test("a token function is called before every attempt, and its failures send nothing", async () => {
  let calls = 0;
  const seen = [];
  const fresh = new KatapultClient({ token: async () => `demo-token`, baseUrl: mock.baseUrl, maxRetries: 2 });
  const counting = new KatapultClient({
    token: () => {
      calls += 1;
      return "demo-token";
    },
    baseUrl: mock.baseUrl,
    maxRetries: 2,
  });
  assert.ok((await fresh.listOrganizations()).organizations.length > 0);
  // Two 503s, then the answer: three attempts, three calls.
  await mock.faults([{ status: 503, code: "service_unavailable" }, { status: 503, code: "service_unavailable" }], { path: "/organizations" });
  await counting.listOrganizations();
  assert.equal(calls, 3);
  assert.deepEqual(JSON.parse(JSON.stringify(counting)), { baseUrl: mock.baseUrl, timeoutMs: 30000, maxRetries: 2 });
  await mock.resetStats();
  const SECRET = "sekrit-value-never-shown";
  for (const [label, token, why] of [
    ["throws", () => { throw new Error(SECRET); }, /threw/],
    ["rejects", () => Promise.reject(new Error(SECRET)), /rejected/],
    ["returns an empty token", () => "", /is empty/],
    ["returns a token with spaces", () => `${SECRET} x`, /spaces/],
    ["returns a number", () => 42, /something other than a string/],
  ]) {
    const client = new KatapultClient({ token, baseUrl: mock.baseUrl, maxRetries: 2 });
    const e = await rejection(client.listOrganizations());
    assert.ok(e instanceof KatapultError, label);
    assert.deepEqual([e.code, e.status], ["invalid_argument", 0], label);
    assert.match(e.message, why, label);
    assert.ok(!e.message.includes(SECRET) && !JSON.stringify(e).includes(SECRET), label);
    seen.push(label);
  }
  assert.equal((await mock.stats()).requests, 0, "a failing token function sends nothing");
  assert.equal(seen.length, 5);
});

test("the text/plain operation resolves to its text", async () => {
  const keys = "ssh-ed25519 AAAAC3Nza ops@example.com\n";
  await mock.faults([raw(keys, 200, "text/plain")], { path: "/virtual_machine/authorized_keys" });
  assert.equal(await k.getVirtualMachineAuthorizedKeys(), keys);
  await mock.faults([raw({ error: { code: "no_virtual_machine_for_api_token", description: "None" } }, 404)], { path: "/virtual_machine/authorized_keys" });
  const e = await rejection(k.request("get:virtual_machine_authorized_keys"));
  assert.equal(e.code, "no_virtual_machine_for_api_token");
});

test("answers of other operations are checked against the document too", async () => {
  await mock.faults([raw({ disks: [{ disk: { id: 5 } }], pagination: {} })], { path: "/virtual_machines/virtual_machine/disks" });
  const e = await rejection(k.getVirtualMachineDisks({ id: "vm_1" }));
  assert.equal(e.code, "invalid_response");
  assert.match(e.message, /disks\[0\]\.disk\.id: expected a string/);
  // Fields the document does not list are ignored, absent ones stay absent.
  await mock.faults([raw({ disks: [{ boot: true, extra: 1 }], pagination: {} })], { path: "/virtual_machines/virtual_machine/disks" });
  assert.deepEqual(await k.getVirtualMachineDisks({ id: "vm_1" }), { disks: [{ boot: true, extra: 1 }], pagination: {} });
  await mock.faults([raw({ disks: [{ disk: { id: "disk_1" } }] })], { path: "/virtual_machines/virtual_machine/disks" });
  assert.match((await rejection(k.getVirtualMachineDisks({ id: "vm_1" }))).message, /missing field `pagination`/);
});
