// Fault injection through the whole stack (Node, the built pkg/, the real
// mock): every malformed answer becomes the right KatapultError — or
// succeeds where API.md is lenient — and the same client instance keeps
// working afterwards. Ends with a randomized run of mixed faulty answers.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { KatapultClient, KatapultError } from "katapult-wasm";
import { startMock, TOKEN } from "./mock.mjs";

let mock, k, goodBody;
const vm = { fqdn: "web-1.acme.katapult.cloud" };
const PATH = "/virtual_machines/virtual_machine";

before(async () => {
  mock = await startMock();
  // Faults and their errors alone: random 429s would also make the rate-limit budget pace.
  k = new KatapultClient({ token: TOKEN, baseUrl: mock.baseUrl, maxRetries: 0, timeoutMs: 2000, rateLimit: false });
  const res = await fetch(`${mock.baseUrl}${PATH}?virtual_machine[fqdn]=${vm.fqdn}`, { headers: { authorization: `Bearer ${TOKEN}` } });
  goodBody = await res.json();
});
after(() => mock?.stop());

/** The call's outcome: the resolved value or the KatapultError. */
async function outcome(promise) {
  try {
    return { ok: await promise };
  } catch (e) {
    if (!(e instanceof KatapultError)) throw new Error(`not a KatapultError: ${e?.stack ?? e}`);
    return { error: e };
  }
}

async function stillHealthy(client = k) {
  const { virtual_machine } = await client.getVirtualMachine(vm);
  assert.equal(virtual_machine.fqdn, vm.fqdn, "the instance must keep working after a fault");
}

const json = (body) => ({ kind: "raw", status: 200, content_type: "application/json", body: JSON.stringify(body) });
const withVm = (patch) => json({ ...goodBody, virtual_machine: { ...goodBody.virtual_machine, ...patch } });

const CASES = [
  ["HTML 502 page", () => ({ kind: "html" }), { code: "invalid_response", status: 502 }],
  ["truncated JSON", () => ({ kind: "truncated" }), { code: "invalid_response", status: 200 }],
  ["valid JSON of the wrong shape", () => json({ virtual_machines: [] }), { code: "invalid_response", status: 200 }],
  ["a JSON array", () => json([goodBody]), { code: "invalid_response", status: 200 }],
  ["empty body with 200", () => ({ kind: "raw", status: 200, content_type: "application/json", body: "" }), { code: "invalid_response", status: 200 }],
  ["204 with no body", () => ({ kind: "raw", status: 204, content_type: "application/json", body: "" }), { code: "invalid_response", status: 204 }],
  ["10 MB of junk", () => ({ kind: "raw", status: 200, content_type: "application/json", body: "x".repeat(10 * 1024 * 1024) }), { code: "invalid_response", status: 200 }],
  ["numbers as strings", () => withVm({ created_at: "1700000000" }), { code: "invalid_response", status: 200 }],
  ["strings as numbers", () => withVm({ name: 5 }), { code: "invalid_response", status: 200 }],
  ["an object where a string belongs", () => withVm({ fqdn: { a: 1 } }), { code: "invalid_response", status: 200 }],
  ["a float where an integer belongs", () => withVm({ created_at: 1.5 }), { code: "invalid_response", status: 200 }],
  ["a required key missing", () => json({ virtual_machine: goodBody.virtual_machine }), { code: "invalid_response", status: 200 }],
  ["a required key null", () => json({ virtual_machine: goodBody.virtual_machine, annotations: null }), { code: "invalid_response", status: 200 }],
  ["null where the document does not allow it", () => withVm({ name: null }), { code: "invalid_response", status: 200 }],
  ["a 500 with a non-Katapult JSON body", () => ({ kind: "raw", status: 500, content_type: "application/json", body: '{"message":"oops"}' }), { code: "invalid_response", status: 500 }],
  ["a 418 with a Katapult error", () => ({ status: 418, code: "teapot_error" }), { code: "teapot_error", status: 418 }],
  ["connection reset mid-body", () => ({ kind: "reset_mid_body" }), { code: "network_error", status: 0 }],
  ["dropped connection", () => ({ kind: "drop" }), { code: "network_error", status: 0 }],
  ["slow body past timeoutMs", () => ({ kind: "slow_body", chunk_delay_ms: 400 }), { code: "timeout", status: 0 }],
  ["slow headers past timeoutMs", () => ({ kind: "ok", delay_ms: 3000 }), { code: "timeout", status: 0 }],
];

for (const [name, fault, expected] of CASES) {
  test(`${name} → ${expected.code}, and the client keeps working`, async () => {
    await mock.faults([fault()], { path: PATH });
    const { ok, error } = await outcome(k.getVirtualMachine(vm));
    assert.equal(ok, undefined, `${name} should fail`);
    assert.equal(error.code, expected.code, `${name}: ${error.message}`);
    assert.equal(error.status, expected.status);
    assert.equal(typeof error.message, "string");
    await stillHealthy();
  });
}

const LENIENT = [
  ["wrong content-type on valid JSON", () => ({ ...json(goodBody), content_type: "text/plain" }), (r) => assert.equal(r.virtual_machine.fqdn, vm.fqdn)],
  ["an unknown enum value", () => withVm({ state: "hibernating" }), (r) => assert.equal(r.virtual_machine.state, "hibernating")],
  ["extra fields", () => json({ ...goodBody, brand_new: [1, 2], virtual_machine: { ...goodBody.virtual_machine, shiny: { x: true } } }),
    (r) => assert.equal(r.virtual_machine.id, goodBody.virtual_machine.id)],
  // Absent stays absent: nothing is filled in (API.md, "Decoding").
  ["a nullable field missing", () => json({ ...goodBody, virtual_machine: { ...goodBody.virtual_machine, description: undefined, hypervisor: undefined } }),
    (r) => { assert.ok(!("description" in r.virtual_machine)); assert.ok(!("hypervisor" in r.virtual_machine)); }],
  ["an array missing", () => json({ ...goodBody, virtual_machine: { ...goodBody.virtual_machine, tags: undefined, ip_addresses: undefined } }),
    (r) => { assert.ok(!("tags" in r.virtual_machine)); assert.ok(!("ip_addresses" in r.virtual_machine)); }],
  ["a VM with only its id", () => json({ virtual_machine: { id: goodBody.virtual_machine.id }, annotations: [] }),
    (r) => assert.deepEqual(r, { virtual_machine: { id: goodBody.virtual_machine.id }, annotations: [] })],
  ["a nested object with nothing in it", () => withVm({ zone: { data_center: {} }, package: { name: "Rock 3" } }),
    (r) => { assert.deepEqual(r.virtual_machine.zone, { data_center: {} }); assert.deepEqual(r.virtual_machine.package, { name: "Rock 3" }); }],
  ["a 10 MB valid body", () => withVm({ description: "d".repeat(10 * 1024 * 1024) }), (r) => assert.equal(r.virtual_machine.description.length, 10 * 1024 * 1024)],
];

for (const [name, fault, check] of LENIENT) {
  test(`${name} still succeeds (API.md leniency)`, async () => {
    await mock.faults([fault()], { path: PATH });
    const { ok, error } = await outcome(k.getVirtualMachine(vm));
    assert.equal(error, undefined, `${name}: ${error?.code} ${error?.message}`);
    check(ok);
    await stillHealthy();
  });
}

/** A deterministic pseudo-random source, so a failure can be replayed. */
function rng(seed) {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

/** Mutates a JSON value in one random place. */
function mutate(value, r) {
  const replacements = [null, 0, -1, 1.5, 1e308, -1e308, 2 ** 64, Number.MAX_SAFE_INTEGER + 2, "", "x".repeat(1000), "\u0000\uffff\ud83d\ude00",
    true, [], {}, [[[[[]]]]], { a: { b: { c: {} } } }, "hibernating"];
  const pick = (xs) => xs[Math.floor(r() * xs.length)];
  const walk = (v, depth) => {
    if (v && typeof v === "object" && depth < 6 && r() < 0.8) {
      const keys = Object.keys(v);
      if (keys.length) {
        const key = pick(keys);
        const copy = Array.isArray(v) ? [...v] : { ...v };
        const roll = r();
        if (roll < 0.15 && !Array.isArray(copy)) delete copy[key];
        else if (roll < 0.3) copy[`extra_${Math.floor(r() * 100)}`] = pick(replacements);
        else copy[key] = walk(v[key], depth + 1);
        return copy;
      }
    }
    return pick(replacements);
  };
  return walk(value, 0);
}

function randomFault(r) {
  const roll = r();
  const text = JSON.stringify(goodBody);
  if (roll < 0.35) return json(mutate(goodBody, r));
  if (roll < 0.45) return { kind: "raw", status: 200, content_type: "application/json", body: text.slice(0, Math.floor(r() * text.length)) };
  if (roll < 0.5) {
    const bytes = Array.from({ length: Math.floor(r() * 200) }, () => String.fromCodePoint(Math.floor(r() * 0xd7ff)));
    return { kind: "raw", status: Math.floor(r() * 400) + 200, content_type: "application/octet-stream", body: bytes.join("") };
  }
  if (roll < 0.6) return { kind: "raw", status: [400, 403, 404, 406, 422, 429, 500, 502, 503][Math.floor(r() * 9)], content_type: "application/json", body: JSON.stringify(mutate({ error: { code: "x", description: "d", detail: {} } }, r)) };
  if (roll < 0.65) return { kind: "raw", status: 200, content_type: "application/json", body: "[".repeat(2000 + Math.floor(r() * 5000)) };
  if (roll < 0.7) return { kind: "html", status: [500, 502, 504][Math.floor(r() * 3)] };
  if (roll < 0.75) return { kind: "truncated" };
  if (roll < 0.8) return { kind: "reset_mid_body" };
  if (roll < 0.85) return { kind: "drop" };
  if (roll < 0.9) return { status: [429, 503, 404, 406][Math.floor(r() * 4)] };
  return { kind: "ok" };
}

test("1,000 randomized faulty answers: every outcome typed, zero panics, a healthy instance after", async () => {
  const r = rng(20261122);
  const codes = new Map();
  const N = 1000;
  const batch = 50;
  for (let i = 0; i < N; i += batch) {
    const faults = Array.from({ length: batch }, () => randomFault(r));
    await mock.faults(faults, { path: PATH });
    for (let j = 0; j < batch; j++) {
      const { ok, error } = await outcome(k.getVirtualMachine(vm));
      const key = error ? error.code : "ok";
      codes.set(key, (codes.get(key) ?? 0) + 1);
      if (ok) assert.equal(typeof ok.virtual_machine, "object");
      if (error) assert.ok(Number.isInteger(error.status) && error.status >= 0 && error.status <= 999);
    }
  }
  const total = [...codes.values()].reduce((a, b) => a + b, 0);
  assert.equal(total, N);
  for (const code of codes.keys()) {
    // Client codes, or codes the scripted answers carried (all snake_case).
    assert.match(code, /^[a-z][a-z_]*$/, `unexpected code ${code}`);
    assert.ok(!["timeout", "aborted", "invalid_argument"].includes(code), `${code} cannot come from an answer`);
  }
  assert.ok(codes.get("invalid_response") > 100 && codes.get("ok") > 10, JSON.stringify([...codes]));
  await stillHealthy();
  console.log(`# randomized faults: ${JSON.stringify(Object.fromEntries(codes))}`);
});

test("a fetch that throws anything, however odd, is a network_error; a trap-free instance after", async () => {
  const realFetch = globalThis.fetch;
  const odd = [
    { message: { toString() { throw new Error("no"); } } },
    { reason: "aborted", message: "not ours to claim" },
    Object.create(null),
    42,
    undefined,
  ];
  try {
    for (const thrown of odd) {
      globalThis.fetch = async () => { throw thrown; };
      const { error } = await outcome(k.getVirtualMachine(vm));
      assert.equal(error?.code, "network_error", String(error?.message));
    }
  } finally {
    globalThis.fetch = realFetch;
  }
  // Every one of those calls ended and freed its place: the client still works.
  const { ok } = await outcome(k.getVirtualMachine(vm));
  assert.equal(ok.virtual_machine.fqdn, vm.fqdn);
});
