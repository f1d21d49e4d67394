// Every method's arguments are checked at the JavaScript boundary: a bad one
// rejects (never throws) with invalid_argument, status 0, a message naming
// the argument, and no request is sent.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { KatapultClient, KatapultError } from "katapult-wasm";
import { startMock, TOKEN } from "./mock.mjs";

let mock, k;
before(async () => {
  mock = await startMock();
  k = new KatapultClient({ token: TOKEN, baseUrl: mock.baseUrl });
});
after(() => mock?.stop());

const VM = { id: "vm_x" };
const ORG = { sub_domain: "acme" };
const badLookups = (name, keys) => [
  [undefined, new RegExp(`^${name} is required`)],
  [null, new RegExp(`^${name} is required`)],
  ["vm_x", new RegExp(`^${name} must be an object`)],
  [42, new RegExp(`^${name} must be an object`)],
  [[], new RegExp(`^${name} must be an object`)],
  [{}, new RegExp(`^${name} must have exactly one of`)],
  [{ [keys[0]]: "a", [keys[1]]: "b" }, new RegExp(`^${name} must have exactly one of .* but has`)],
  [{ [keys[0]]: "" }, new RegExp(`^${name}\\.${keys[0]} must be a non-empty string`)],
  [{ [keys[1]]: 7 }, new RegExp(`^${name}\\.${keys[1]} must be a non-empty string`)],
  [{ [keys[0]]: { nested: true } }, new RegExp(`^${name}\\.${keys[0]} must be a non-empty string`)],
  [{ name: "web-1" }, new RegExp(`^${name} has an unknown key "name"`)],
  [{ [keys[0]]: () => "x" }, new RegExp(`^${name}\\.${keys[0]} must not be a function`)],
];
const badIds = [
  [undefined, /^id is required/],
  ["", /^id must be a non-empty string/],
  [5, /^id must be a non-empty string/],
  // An object is taken for its id (getTask(task)): it must have one.
  [{ name: "x" }, /^id must be an id or an object with an id/],
  [{ id: 5 }, /^id\.id must be a non-empty string/],
  [Symbol("x"), /^id must not be a symbol/],
  [10n, /^id must not be a bigint/],
];
const badSignal = [[{ signal: "nope" }, /^options.signal must be an AbortSignal/], [{ signal: {} }, /^options.signal must be an AbortSignal/]];
const badOptions = [["opts", /^options must be an object/], [{ bogus: 1 }, /^options has an unknown key "bogus"/], ...badSignal];
const positive = (name) => [0, -1, 1.5, NaN, Infinity, "2", 2 ** 40].map((v) => [v, new RegExp(`^options\\.${name} must`)]);
const annotationCases = [
  [{ annotations: "team=web" }, /^options.annotations must be an array/],
  [{ annotations: [["team", "web"]] }, /^options.annotations\[0\] must be a \{ key, value \} object/],
  [{ annotations: [{ key: "", value: "x" }] }, /^options.annotations\[0\].key must be a non-empty string/],
  [{ annotations: [{ key: "a", value: 1 }] }, /^options.annotations\[0\].value must be a string/],
  [{ annotations: [{ key: "a", value: "b", colour: "red" }] }, /^options.annotations\[0\] has an unknown key "colour"/],
];

/** [method, arguments, message] for every way to call each method wrongly. */
const CASES = [
  ...["getVirtualMachine", "deleteVirtualMachine", "shutdownVirtualMachine", "startVirtualMachine", "stopVirtualMachine", "resetVirtualMachine"]
    .flatMap((m) => [
      ...badLookups("vm", ["id", "fqdn"]).map(([vm, msg]) => [m, [vm], msg]),
      ...badOptions.map(([o, msg]) => [m, [VM, o], msg]),
    ]),
  ...["listVirtualMachines", "listAllVirtualMachines", "buildVirtualMachineFromSpec", "virtualMachines"]
    .flatMap((m) => badLookups("org", ["id", "sub_domain"]).map(([org, msg]) => [m, m === "buildVirtualMachineFromSpec" ? [org, "<x/>"] : [org], msg])),
  ...positive("page").map(([v, msg]) => ["listVirtualMachines", [ORG, { page: v }], msg]),
  ...positive("per_page").map(([v, msg]) => ["listVirtualMachines", [ORG, { per_page: v }], msg]),
  ...positive("per_page").map(([v, msg]) => ["listAllVirtualMachines", [ORG, { per_page: v }], msg]),
  ...positive("per_page").map(([v, msg]) => ["virtualMachines", [ORG, { per_page: v }], msg]),
  ...[0, -2, 33, 1.5].map((v) => ["listAllVirtualMachines", [ORG, { concurrency: v }], /^options.concurrency must be a whole number from 1 to 32/]),
  ["listAllVirtualMachines", [ORG, { page: 2 }], /^options has an unknown key "page"/],
  ["listAllVirtualMachines", [ORG, { onProgress: "yes" }], /^options.onProgress must be a function/],
  ["virtualMachines", [ORG, { concurrency: 2 }], /^options has an unknown key "concurrency"/],
  ...annotationCases.flatMap(([o, msg]) => [["listVirtualMachines", [ORG, o], msg], ["listAllVirtualMachines", [ORG, o], msg], ["buildVirtualMachineFromSpec", [ORG, "<x/>", o], msg]]),
  ...[
    [undefined, /^spec must be a spec XML string or a spec object, got null$/],
    ["", /^spec must be a non-empty string$/],
    [5, /^spec must be a spec XML string or a spec object, got a number$/],
    [{ xml: "<x/>" }, /^spec has an unknown key "xml"; allowed: zone, data_center, /],
    [[], /^spec must be an object, got an array$/],
  ].map(([spec, message]) => ["buildVirtualMachineFromSpec", [ORG, spec], message]),
  ...["getTask", "getVirtualMachineBuild", "waitForVirtualMachineBuild", "restoreTrashObject"]
    .flatMap((m) => [...badIds.map(([id, msg]) => [m, [id], msg]), ...badSignal.map(([o, msg]) => [m, ["x", o], msg])]),
  // waitForTask takes the task itself too.
  ...[
    [undefined, /^taskOrId is required/],
    ["", /^taskOrId must be a non-empty string/],
    [5, /^taskOrId must be a non-empty string/],
    [{}, /^taskOrId must be an id or an object with an id/],
    [{ id: 5 }, /^taskOrId\.id must be a non-empty string/],
    [{ id: "" }, /^taskOrId\.id must be a non-empty string/],
    [Symbol("x"), /^taskOrId must not be a symbol/],
  ].map(([t, msg]) => ["waitForTask", [t], msg]),
  ...badSignal.map(([o, msg]) => ["waitForTask", ["x", o], msg]),
  ["waitForTask", ["x", { onProgress: 5 }], /^options.onProgress must be a function/],
  ...["waitForTask", "waitForVirtualMachineBuild"].flatMap((m) => [
    [m, ["x", { intervalMs: 0 }], /^options.intervalMs must be a whole number/],
    [m, ["x", { timeoutMs: -1 }], /^options.timeoutMs must be a whole number/],
    [m, ["x", { timeoutMs: "1m" }], /^options.timeoutMs must be a whole number/],
    [m, ["x", { interval: 5 }], /^options has an unknown key "interval"/],
  ]),
  ["listOrganizations", [{ page: 1 }], /^options has an unknown key "page"/],
  ["listOrganizations", [{ signal: 1 }], /^options.signal must be an AbortSignal/],
  ["listVirtualMachines", [ORG, { page: { deep: { deeper: { deepest: { a: { b: { c: { d: { e: 1 } } } } } } } } }], /nested too deeply|options.page must be/],
];

test(`${CASES.length} wrong calls reject invalid_argument naming the argument, and send nothing`, async () => {
  await mock.resetStats();
  for (const [method, args, message] of CASES) {
    let result;
    assert.doesNotThrow(() => { result = k[method](...args); }, `${method} threw synchronously`);
    const promise = method === "virtualMachines" ? result.next() : result;
    let error;
    try { await promise; } catch (e) { error = e; }
    const label = `${method}(${args.map((a) => typeof a === "symbol" || typeof a === "bigint" ? String(a) : JSON.stringify(a)).join(", ")})`;
    assert.ok(error instanceof KatapultError, `${label} should reject with KatapultError, got ${error}`);
    assert.equal(error.code, "invalid_argument", `${label}: ${error.message}`);
    assert.equal(error.status, 0);
    assert.match(error.message, message, label);
  }
  assert.equal((await mock.stats()).requests, 0, "no request may be sent for invalid arguments");
});

test("the constructor rejects non-http base URLs and bad settings", () => {
  for (const [config, message] of [
    [{ token: "t", baseUrl: "ftp://api.katapult.io/core/v1" }, /baseUrl must start with http/],
    [{ token: "t", baseUrl: "javascript:alert(1)" }, /baseUrl must start with http/],
    [{ token: "t", baseUrl: "file:///etc/passwd" }, /baseUrl must start with http/],
    [{ token: "t", baseUrl: "//api.katapult.io" }, /baseUrl must start with http/],
    [{ token: "t", baseUrl: "http://" }, /baseUrl must name a host/],
    [{ token: "t", baseUrl: "http://x/core/v1?x=1" }, /query/],
    [{ token: "t", baseUrl: "http://a b" }, /whitespace/],
    [{ token: "t", maxRetries: 11 }, /maxRetries must be a whole number from 0 to 10/],
    [{ token: "t", timeoutMs: 0 }, /timeoutMs must be a whole number/],
    [{ token: 123 }, /token must be a string/],
    [{ token: "t", baseurl: "http://x" }, /unknown key "baseurl"/],
    ["token", /config must be an object/],
  ]) {
    assert.throws(() => new KatapultClient(config), (e) => e instanceof KatapultError && e.code === "invalid_argument" && message.test(e.message), JSON.stringify(config));
  }
});

test("path characters in ids stay in the query or body, percent-encoded, and never change the path", async () => {
  const nasty = "../../organizations?x=1#frag/%2e%2e";
  await mock.resetStats();
  await k.getTask(nasty).catch(() => {});
  await k.getVirtualMachineBuild(nasty).catch(() => {});
  await k.getVirtualMachine({ id: nasty }).catch(() => {});
  await k.restoreTrashObject(nasty).catch(() => {});
  await k.deleteVirtualMachine({ fqdn: nasty }).catch(() => {});
  const { log } = await mock.stats();
  assert.deepEqual(log.map((e) => e.path), [
    "/tasks/task", "/virtual_machines/builds/virtual_machine_build", "/virtual_machines/virtual_machine",
    "/trash_objects/trash_object/restore", "/virtual_machines/virtual_machine",
  ]);
  const encoded = "..%2F..%2Forganizations%3Fx%3D1%23frag%2F%252e%252e";
  assert.equal(log[0].query, `task[id]=${encoded}`);
  assert.equal(log[1].query, `virtual_machine_build[id]=${encoded}`);
  assert.equal(log[2].query, `virtual_machine[id]=${encoded}`);
  assert.deepEqual(JSON.parse(log[3].body), { trash_object: { id: nasty } });
  assert.deepEqual(JSON.parse(log[4].body), { virtual_machine: { fqdn: nasty } });
});
