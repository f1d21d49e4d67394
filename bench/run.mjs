// make bench: the size and speed figures of the built package, each speed
// figure a ratio of two things measured in the same process and run, with
// interleaved repetitions and the median reported. Writes target/bench.json.
//
// The peers, measured side by side in the same run against the same mock:
// plain fetch + JSON.parse, openapi-fetch typed by openapi-typescript, and
// openapi-fetch + valibot checking what our shapes check. bench/peers.ts is
// type-checked and bundled by bench/peers-build.mjs; the valibot schemas are
// built at start from the document by bench/valibot-schemas.mjs.
import { spawn, spawnSync } from "node:child_process";
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { gzipSync, brotliCompressSync, constants as zc } from "node:zlib";
import path from "node:path";
import v8 from "node:v8";
import vm from "node:vm";
import { fileURLToPath } from "node:url";
import { createInterface } from "node:readline";
import { createRequire } from "node:module";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const pkg = path.join(repo, "pkg");
const mockBin = process.env.KATAPULT_MOCK_BIN ?? path.join(repo, "target/release/katapult-mock");
v8.setFlagsFromString("--expose-gc");
const gc = vm.runInNewContext("gc");
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const results = [];
const record = (figure, value, unit, budget, ok, how) => {
  results.push({ figure, value, unit, budget, ok, how });
  console.log(`${ok === undefined ? "  " : ok ? "✔ " : "✘ "}${figure}: ${value}${unit ? " " + unit : ""}${budget ? `  (budget ${budget})` : ""}`);
};

async function startMock(args) {
  const child = spawn(mockBin, ["--port", "0", ...args], { stdio: ["ignore", "pipe", "inherit"] });
  const url = await new Promise((resolve, reject) => {
    child.once("exit", (c) => reject(new Error(`mock exited ${c}`)));
    createInterface({ input: child.stdout }).on("line", (l) => { const m = /listening on (\S+)/.exec(l); if (m) resolve(m[1]); });
  });
  return { url, baseUrl: `${url}/core/v1`, stop: () => { child.kill("SIGTERM"); } };
}

const { KatapultClient } = await import(path.join(pkg, "node.mjs"));

// 0. The peers: types generated, type-checked and bundled (fails loudly);
//    valibot schemas generated from the document and checked against the
//    mock's real answers, mutated copies, and our own client's verdicts.
const { buildPeers } = await import("./peers-build.mjs");
const built = await buildPeers();
const peers = await import(built.peers);
const { valibotSchema, responseSchemaOf } = await import("./valibot-schemas.mjs");
const version = (name) => JSON.parse(readFileSync(path.join(repo, "node_modules", name, "package.json"), "utf8")).version;
const OAF = `openapi-fetch ${version("openapi-fetch")}`;
const VALIBOT = `valibot ${version("valibot")}`;
const doc = JSON.parse(readFileSync(path.join(repo, "spec/katapult-core-openapi.json"), "utf8"));
const answers = {
  getVirtualMachine: responseSchemaOf(doc, "/virtual_machines/virtual_machine"),
  listVirtualMachines: responseSchemaOf(doc, "/organizations/organization/virtual_machines"),
};
if (answers.getVirtualMachine.operationId !== "get:virtual_machine") throw new Error(`unexpected operationId ${answers.getVirtualMachine.operationId}`);
const schemas = Object.fromEntries(Object.entries(answers).map(([k, a]) => [k, valibotSchema(doc, a.schema, peers.valibot)]));
const FQDN = "web-1.acme.katapult.cloud";
/** `globalThis.fetch` answering every request with `body` (a string or bytes), counting the calls. */
const stubFetch = (body) => {
  const stub = async () => { stub.calls++; return new Response(typeof body === "function" ? body() : body, { status: 200, headers: { "content-type": "application/json" } }); };
  stub.calls = 0;
  return stub;
};
/** Whether our client accepts `value` as the answer of `op` (its body, fetched from memory). */
const oursAccepts = async (op, value) => {
  const realFetch = globalThis.fetch;
  const stub = stubFetch(JSON.stringify(value));
  globalThis.fetch = stub;
  try {
    const k = new KatapultClient({ token: "t", baseUrl: "http://bench.invalid/core/v1", maxRetries: 0 });
    try {
      await (op === "getVirtualMachine" ? k.getVirtualMachine({ fqdn: FQDN }) : k.listVirtualMachines({ sub_domain: "acme" }, { per_page: 1000 }));
      return { ok: true };
    } catch (e) {
      if (!/documented shape/.test(e.message)) throw e;
      return { ok: false, issue: e.message };
    }
  } finally {
    globalThis.fetch = realFetch;
    if (stub.calls !== 1) throw new Error(`our client fetched ${stub.calls} times from the stub`);
  }
};
/** Asserts valibot and our client both give `expect` for each case; fails the bench otherwise. */
const selfCheck = async (op, original, cases) => {
  const bad = [];
  for (const [name, expect, mutate] of cases) {
    const value = structuredClone(original);
    mutate(value);
    const vb = peers.matches(schemas[op], value);
    const ours = await oursAccepts(op, value);
    if (vb.ok !== expect || ours.ok !== expect) bad.push(`${op} ${name}: expected ${expect ? "accept" : "reject"}, valibot ${vb.ok ? "accepts" : `rejects (${vb.issue})`}, ours ${ours.ok ? "accepts" : "rejects"}`);
  }
  if (bad.length) throw new Error(`valibot schema self-check failed:\n  ${bad.join("\n  ")}`);
  return cases.length;
};
{
  const mock = await startMock([]);
  const peer = peers.openapiFetch({ baseUrl: mock.baseUrl, token: "demo-token" });
  const vm = await peer.getVirtualMachine(FQDN);
  const page = await peer.listVirtualMachines("acme", 100);
  mock.stop();
  if (!page.virtual_machines.length) throw new Error("the mock lists no VMs");
  const n = await selfCheck("getVirtualMachine", vm, [
    ["as the mock answers", true, () => {}],
    ["with unknown fields", true, (b) => { b.extra = 1; b.virtual_machine.extra = { x: [null] }; }],
    ["with an unknown enum value", true, (b) => { b.virtual_machine.state = "teleporting"; }],
    ["with null where nullable (description)", true, (b) => { b.virtual_machine.description = null; }],
    ["with an optional field removed (zone)", true, (b) => { delete b.virtual_machine.zone; }],
    ["without the required annotations", false, (b) => { delete b.annotations; }],
    ["without the required annotations[0].key", false, (b) => { delete b.annotations[0].key; }],
    ["with a string for an integer (created_at)", false, (b) => { b.virtual_machine.created_at = String(b.virtual_machine.created_at); }],
    ["with a fraction for an integer (created_at)", false, (b) => { b.virtual_machine.created_at = 1.5; }],
    ["with an integer beyond i64 (cpu_cores)", false, (b) => { b.virtual_machine.cpu_cores = 2 ** 64; }],
    ["with null where not nullable (name)", false, (b) => { b.virtual_machine.name = null; }],
    ["with a number for a string deep inside (zone.data_center.name)", false, (b) => { b.virtual_machine.zone.data_center.name = 7; }],
    ["with an object for an array (tags)", false, (b) => { b.virtual_machine.tags = {}; }],
  ]);
  const m = await selfCheck("listVirtualMachines", page, [
    ["as the mock answers", true, () => {}],
    ["without the required pagination", false, (b) => { delete b.pagination; }],
    ["with a number for a string in the last item (id)", false, (b) => { b.virtual_machines.at(-1).id = 5; }],
    ["with a string for an integer in pagination (total)", false, (b) => { b.pagination.total = "1"; }],
  ]);
  record("peers: valibot schemas self-check (real answers accepted, mutated copies rejected, same verdict as ours)", `${n + m} cases`, "", "all agree", true,
    "schemas generated from the document by bench/valibot-schemas.mjs; each case checked with valibot and with our client on a stubbed fetch");
}

// 1. Package payload: what a browser downloads for the default entry.
{
  // The entry is one bundled file (the driver and the operation table)
  // beside the module; each is served (and gzipped) on its own.
  const js = ["index.js"].map((f) => readFileSync(path.join(pkg, f)));
  const wasm = readFileSync(path.join(pkg, "katapult.wasm"));
  const gz = (b) => gzipSync(b, { level: 9 }).length;
  const br = (b) => brotliCompressSync(b, { params: { [zc.BROTLI_PARAM_QUALITY]: 11 } }).length;
  const sum = (f) => js.reduce((n, b) => n + f(b), 0);
  const glueRaw = sum((b) => b.length);
  const total = gz(wasm) + sum(gz);
  const totalBr = br(wasm) + sum(br);
  record("payload wasm raw / gzip -9 / brotli", `${wasm.length} / ${gz(wasm)} / ${br(wasm)}`, "bytes");
  record("payload JS (the entry: driver, methods, operation table) raw / gzip -9 / brotli", `${glueRaw} / ${sum(gz)} / ${sum(br)}`, "bytes");
  record("payload wasm+JS gzip -9 (189 operations)", (total / 1024).toFixed(1), "KB", "≤ 60 KB", total <= 60 * 1024,
    "each file gzipped on its own, as served; 89.5 KB with the wasm-bindgen layer");
  record("payload wasm+JS brotli", (totalBr / 1024).toFixed(1), "KB", "report");
  // The peers, for comparison: openapi-fetch's own ESM file as published
  // (not minified), and the bundled peer module (openapi-fetch + valibot as
  // it tree-shakes + bench/peers.ts) minified by esbuild.
  const sizes = (b) => `${b.length} / ${gz(b)} / ${br(b)}`;
  record(`payload ${OAF} dist/index.mjs (as published, unminified) raw / gzip -9 / brotli`, sizes(readFileSync(path.join(repo, "node_modules/openapi-fetch/dist/index.mjs"))), "bytes");
  record(`payload ${OAF} alone, esbuild --minify raw / gzip -9 / brotli`, sizes(readFileSync(built.openapiFetchMin)), "bytes");
  record(`payload ${OAF} + ${VALIBOT} (peer module bundled, esbuild --minify) raw / gzip -9 / brotli`, sizes(readFileSync(built.peersMin)), "bytes", undefined, undefined,
    "no generated types at run time: openapi-typescript's output is types only");
  record(`payload ${VALIBOT} alone, as the peer module tree-shakes it (esbuild --minify) raw / gzip -9`, (() => { const b = readFileSync(built.valibotMin); return `${b.length} / ${gz(b)}`; })(), "bytes", undefined, undefined,
    "the schemas are built at bench start from the document; shipped as code they would add bytes not counted here");
}

// 1b. The spec tools (katapult-wasm/spec): a module of their own, loaded only
//     by pages that build or parse spec documents (or pass a spec object to
//     buildVirtualMachineFromSpec); not part of the default entry's payload.
{
  const wasm = readFileSync(path.join(pkg, "katapult-spec.wasm"));
  const glue = readFileSync(path.join(pkg, "spec.js"));
  const gz = (b) => gzipSync(b, { level: 9 }).length;
  const total = gz(wasm) + gz(glue);
  record("spec tools wasm raw / gzip -9", `${wasm.length} / ${gz(wasm)}`, "bytes", "", undefined, "katapult-wasm/spec, loaded on demand");
  record("spec tools wasm+JS gzip -9", (total / 1024).toFixed(1), "KB", "", undefined, "the builder's size cost");
}

// 2. Cold start: in a fresh Node process, loading the package (which
//    compiles and instantiates the module) and constructing a client; timed
//    inside the process against the same script doing nothing, so process
//    start-up noise cancels out.
{
  const script = (load) => `const t = performance.now(); ${load} process.stdout.write(String(performance.now() - t));`;
  const load = `const { KatapultClient } = require(${JSON.stringify(path.join(pkg, "node.cjs"))}); new KatapultClient({ token: "t" });`;
  const run = (code) => Number(spawnSync(process.execPath, ["-e", script(code)], { encoding: "utf8" }).stdout);
  const deltas = [];
  for (let i = 0; i < 3; i++) { run(""); run(load); }
  for (let i = 0; i < 25; i++) { const empty = run(""); const loaded = run(load); deltas.push(loaded - empty); }
  const overhead = median(deltas);
  // An absolute time, so a report: how fast the machine is runs through it
  // (10.7-16.7 ms for one build on one day here). The budget is the ratio
  // against openapi-fetch below, measured in the same rounds as its peer.
  record("cold start overhead (load, compile, instantiate, construct)", overhead.toFixed(1), "ms", undefined, undefined, "median of 25 interleaved pairs of fresh processes, timed inside each; was budgeted at 15 ms before the ratio against openapi-fetch below");
}

// 2b. Cold start to the first resolved call: in a fresh Node process, from
//     before the import to the first resolved getVirtualMachine against the
//     mock, timed inside the process; ours (pkg/node.mjs and the files it
//     loads from disk: glue, operation table, katapult.wasm on first use),
//     openapi-fetch (its published single-file ESM dist/index.mjs from
//     node_modules, unbundled; it has no dependencies) and plain fetch (no
//     import). Interleaved rounds, order rotating, median.
{
  const mock = await startMock([]);
  const url = `${mock.baseUrl}/virtual_machines/virtual_machine?virtual_machine[fqdn]=${FQDN}`;
  const done = `if (!v.virtual_machine) throw new Error("no answer"); process.stdout.write(String(performance.now() - t));`;
  const scripts = {
    ours: `const t = performance.now();
      const { KatapultClient } = await import(${JSON.stringify(path.join(pkg, "node.mjs"))});
      const k = new KatapultClient({ token: "demo-token", baseUrl: ${JSON.stringify(mock.baseUrl)}, maxRetries: 0 });
      const v = await k.getVirtualMachine({ fqdn: ${JSON.stringify(FQDN)} }); ${done}`,
    openapiFetch: `const t = performance.now();
      const { default: createClient } = await import(${JSON.stringify(path.join(repo, "node_modules/openapi-fetch/dist/index.mjs"))});
      const c = createClient({ baseUrl: ${JSON.stringify(mock.baseUrl)}, headers: { Authorization: "Bearer demo-token" } });
      const { data: v } = await c.GET("/virtual_machines/virtual_machine", { params: { query: { "virtual_machine[fqdn]": ${JSON.stringify(FQDN)} } } }); ${done}`,
    plain: `const t = performance.now();
      const r = await fetch(${JSON.stringify(url)}, { headers: { Authorization: "Bearer demo-token" } });
      const v = JSON.parse(await r.text()); if (!r.ok) throw new Error(r.status); ${done}`,
  };
  const run = (name) => {
    const r = spawnSync(process.execPath, ["--input-type=module", "-e", scripts[name]], { encoding: "utf8" });
    const ms = Number(r.stdout);
    if (r.status !== 0 || !(ms > 0)) throw new Error(`cold start (${name}) failed: ${r.stderr}`);
    return ms;
  };
  const names = Object.keys(scripts);
  for (let i = 0; i < 2; i++) for (const n of names) run(n);
  const times = Object.fromEntries(names.map((n) => [n, []]));
  const rounds = 20;
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < names.length; i++) {
      const n = names[(round + i) % names.length];
      times[n].push(run(n));
    }
  }
  mock.stop();
  const ratio = (a, b) => median(times[a].map((x, i) => x / times[b][i]));
  const vsPeer = ratio("ours", "openapiFetch");
  const ms = (n) => median(times[n]).toFixed(1);
  record(`cold start to the first resolved getVirtualMachine: ours ÷ ${OAF}`, `${vsPeer.toFixed(2)}×`, "", "≤ 1.25×", vsPeer <= 1.25,
    `median of ${rounds} rounds of fresh processes (order rotating), ratio per round; medians ${ms("ours")} / ${ms("openapiFetch")} / ${ms("plain")} ms (ours / openapi-fetch / plain fetch); ours loads pkg/node.mjs and its files, openapi-fetch its unbundled single-file dist/index.mjs`);
  record("cold start to the first resolved getVirtualMachine: ours ÷ plain fetch", `${ratio("ours", "plain").toFixed(2)}×`, "", undefined, undefined, "same rounds");
  record(`cold start to the first resolved getVirtualMachine: ${OAF} ÷ plain fetch`, `${ratio("openapiFetch", "plain").toFixed(2)}×`, "", undefined, undefined, "same rounds");
}

// 3. Per-call overhead: getVirtualMachine with ours, openapi-fetch,
//    openapi-fetch + valibot and plain fetch + JSON.parse with the same
//    headers, against the same mock: 4,000 calls of each in 40 rounds of 100,
//    the four interleaved with the order rotating each round (so no side
//    always runs right after a GC another caused); a ratio per round, median.
{
  const mock = await startMock([]);
  const k = new KatapultClient({ token: "demo-token", baseUrl: mock.baseUrl, maxRetries: 0 });
  const peer = peers.openapiFetch({ baseUrl: mock.baseUrl, token: "demo-token" });
  const peerV = peers.openapiFetchValibot({ baseUrl: mock.baseUrl, token: "demo-token" }, schemas);
  const lookup = { fqdn: FQDN };
  const url = `${mock.baseUrl}/virtual_machines/virtual_machine?virtual_machine[fqdn]=${FQDN}`;
  const headers = { Authorization: "Bearer demo-token" };
  const sides = {
    ours: () => k.getVirtualMachine(lookup),
    openapiFetch: () => peer.getVirtualMachine(FQDN),
    openapiFetchValibot: () => peerV.getVirtualMachine(FQDN),
    plain: async () => { const r = await fetch(url, { headers }); const v = JSON.parse(await r.text()); if (!r.ok) throw new Error(v); return v; },
  };
  const time = async (f, n) => { const t = performance.now(); for (let i = 0; i < n; i++) await f(); return performance.now() - t; };
  const names = Object.keys(sides);
  for (const n of names) await time(sides[n], 500);
  const rounds = 40;
  const t = Object.fromEntries(names.map((n) => [n, []]));
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < names.length; i++) {
      const n = names[(round + i) % names.length];
      gc(); // no side pays for the garbage of the one before
      t[n].push(await time(sides[n], 100));
    }
  }
  mock.stop();
  const ratio = (a, b) => median(t[a].map((x, i) => x / t[b][i]));
  const how = `median of ${rounds} rounds of 100 calls each, the four interleaved, order rotating, a full GC before each; ratio per round`;
  const vsPeer = ratio("ours", "openapiFetch");
  const perCall = (n) => `${((median(t[n]) / 100) * 1000).toFixed(0)} µs`;
  record(`per call (4,000 getVirtualMachine): ours ÷ ${OAF}`, `${vsPeer.toFixed(3)}×`, "", "≤ 1.05×", vsPeer <= 1.05,
    `${how}; per call ${perCall("ours")} / ${perCall("openapiFetch")} / ${perCall("openapiFetchValibot")} / ${perCall("plain")} (ours / openapi-fetch / +valibot / plain)`);
  record("per call: ours ÷ plain fetch+JSON.parse", `${ratio("ours", "plain").toFixed(3)}×`, "", undefined, undefined, `${how} (the old budget, ≤ 1.15×, is now the one against openapi-fetch)`);
  record(`per call: ${OAF} ÷ plain fetch+JSON.parse`, `${ratio("openapiFetch", "plain").toFixed(3)}×`, "", undefined, undefined, how);
  record(`per call: ${OAF} + ${VALIBOT} ÷ plain fetch+JSON.parse`, `${ratio("openapiFetchValibot", "plain").toFixed(3)}×`, "", undefined, undefined, how);
}

// 4. Decode throughput: a 1,000-VM list page answered from memory (a
//    stubbed fetch) through each client's whole path, ours (which checks the
//    answer's shape), openapi-fetch (no check) and openapi-fetch + valibot
//    (the same check), each ÷ JSON.parse of the same bytes; interleaved
//    rounds, order rotating, a ratio per round, median.
{
  const mock = await startMock(["--seed-vms", "1000", "--max-per-page", "1000"]);
  const body = await (await fetch(`${mock.baseUrl}/organizations/organization/virtual_machines?organization[sub_domain]=acme&per_page=1000`, { headers: { Authorization: "Bearer demo-token" } })).arrayBuffer();
  mock.stop();
  const parsed = JSON.parse(new TextDecoder().decode(body));
  const check = peers.matches(schemas.listVirtualMachines, parsed);
  if (!check.ok) throw new Error(`the valibot schema rejects the mock's 1,000-VM page: ${check.issue}`);
  await selfCheck("listVirtualMachines", parsed, [["1,000-VM page as the mock answers", true, () => {}], ["1,000-VM page, wrong type in the last VM (created_at)", false, (b) => { b.virtual_machines.at(-1).created_at = "x"; }]]);
  const realFetch = globalThis.fetch;
  const stub = stubFetch(() => body);
  globalThis.fetch = stub;
  // Created after the stub is in place, and openapi-fetch given it too:
  // it otherwise captures globalThis.fetch when the client is created.
  const k = new KatapultClient({ token: "t", baseUrl: "http://bench.invalid/core/v1" });
  const peer = peers.openapiFetch({ baseUrl: "http://bench.invalid/core/v1", token: "t", fetch: stub });
  const peerV = peers.openapiFetchValibot({ baseUrl: "http://bench.invalid/core/v1", token: "t", fetch: stub }, schemas);
  const n1000 = (r, what) => { if (r.virtual_machines.length !== 1000) throw new Error(`bad decode (${what})`); };
  const sides = {
    parse: async () => { const r = await new Response(body).text(); n1000(JSON.parse(r), "JSON.parse"); },
    ours: async () => n1000(await k.listVirtualMachines({ sub_domain: "acme" }, { per_page: 1000 }), "ours"),
    openapiFetch: async () => n1000(await peer.listVirtualMachines("acme", 1000), "openapi-fetch"),
    openapiFetchValibot: async () => n1000(await peerV.listVirtualMachines("acme", 1000), "openapi-fetch + valibot"),
  };
  const time = async (f, n) => { const t = performance.now(); for (let i = 0; i < n; i++) await f(); return performance.now() - t; };
  const names = Object.keys(sides);
  // Each client must really be answered by the stub.
  for (const n of names.slice(1)) {
    const before = stub.calls;
    await sides[n]();
    if (stub.calls !== before + 1) throw new Error(`${n} did not fetch through the stub`);
  }
  for (const n of names) await time(sides[n], 10);
  const rounds = 25;
  const t = Object.fromEntries(names.map((n) => [n, []]));
  const callsBefore = stub.calls;
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < names.length; i++) {
      const n = names[(round + i) % names.length];
      gc(); // no side pays for the garbage of the one before
      t[n].push(await time(sides[n], 5));
    }
  }
  if (stub.calls - callsBefore !== 3 * rounds * 5) throw new Error(`the stub answered ${stub.calls - callsBefore} calls, not ${3 * rounds * 5}`);
  globalThis.fetch = realFetch;
  const ratio = (a) => median(t[a].map((x, i) => x / t.parse[i]));
  const kb = (body.byteLength / 1024).toFixed(0);
  const how = `median of ${rounds} rounds of 5 decodes each, the four interleaved, order rotating, a full GC before each; ratio per round; JSON.parse ${(median(t.parse) / 5).toFixed(1)} ms a page`;
  const r = ratio("ours");
  record(`decode with full validation (${kb} KB, 1,000 VMs): ours ÷ JSON.parse`, `${r.toFixed(2)}×`, "", "≤ 1.4×", r <= 1.4, how);
  record(`decode with full validation: ${OAF} + ${VALIBOT} ÷ JSON.parse`, `${ratio("openapiFetchValibot").toFixed(2)}×`, "", undefined, undefined, `${how}; valibot looseObject (keeps unknown keys), v.parse output returned`);
  record(`decode without validation: ${OAF} ÷ JSON.parse`, `${ratio("openapiFetch").toFixed(2)}×`, "", undefined, undefined, how);
}

// 5. Scale: listAllVirtualMachines over 10,000 VMs (100 pages of 100) with
//    20 ms latency per request, concurrency 8 vs 1.
// 6. Memory after listing 10,000 VMs, over repeated runs.
{
  const mock = await startMock(["--seed-vms", "10000", "--latency-ms", "20"]);
  const k = new KatapultClient({ token: "demo-token", baseUrl: mock.baseUrl });
  const org = { sub_domain: "acme" };
  const listAll = async (concurrency) => {
    const t = performance.now();
    const all = await k.listAllVirtualMachines(org, { per_page: 100, concurrency });
    if (all.length !== 10000) throw new Error(`listed ${all.length}`);
    return performance.now() - t;
  };
  const speedups = [];
  for (let round = 0; round < 3; round++) {
    const one = await listAll(1);
    const eight = await listAll(8);
    speedups.push(one / eight);
  }
  const s = median(speedups);
  record("scale: listAll 10,000 VMs, concurrency 8 vs 1 (20 ms latency)", `${s.toFixed(2)}× faster`, "", "≥ 6×", s >= 6, "median of 3 interleaved pairs");
  // The machine's own ceiling: the same 100 pages with plain fetch + JSON.parse.
  const getPage = async (page) => {
    const url = `${mock.baseUrl}/organizations/organization/virtual_machines?organization[sub_domain]=acme&per_page=100&page=${page}`;
    return JSON.parse(await (await fetch(url, { headers: { Authorization: "Bearer demo-token" } })).text());
  };
  // Pages `from`..`last` with `concurrency` workers.
  const pages = async (concurrency, from, last) => {
    let next = from;
    await Promise.all(Array.from({ length: concurrency }, async () => {
      while (next <= last) await getPage(next++);
    }));
  };
  const plain = async (concurrency) => {
    const t = performance.now();
    await pages(concurrency, 1, 100);
    return performance.now() - t;
  };
  const ceilings = [];
  for (let round = 0; round < 3; round++) ceilings.push((await plain(1)) / (await plain(8)));
  record("scale reference: the same 100 pages with plain fetch, concurrency 8 vs 1", `${median(ceilings).toFixed(2)}× faster`, "", undefined, undefined, "what this machine allows");
  // The walk any client must make when it does not know the page count:
  // page 1 (which says how many there are), then the rest, 8 at a time.
  const plainWalk = async (concurrency) => {
    const t = performance.now();
    const first = await getPage(1);
    await pages(concurrency, 2, first.pagination.total_pages);
    return performance.now() - t;
  };
  // Ours at concurrency 8 vs both plain-fetch loops, interleaved, order rotating.
  const sides = { ours: () => listAll(8), walk: () => plainWalk(8), known: () => plain(8) };
  const names = Object.keys(sides);
  const times = Object.fromEntries(names.map((n) => [n, []]));
  const rounds = 6;
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < names.length; i++) {
      const n = names[(round + i) % names.length];
      times[n].push(await sides[n]());
    }
  }
  const ratioOf = (a, b) => median(times[a].map((x, i) => x / times[b][i]));
  const rw = ratioOf("ours", "walk");
  record("paginate 10,000 VMs (100 pages of 100, 20 ms latency), concurrency 8: ours ÷ plain fetch walking the same way", `${rw.toFixed(3)}×`, "", "≤ 1.05× (within 5%)", rw <= 1.05,
    `median of ${rounds} rounds, the three interleaved, order rotating; listAllVirtualMachines vs fetch+JSON.parse of page 1, then pages 2..total_pages with 8 workers`);
  record("paginate, the same: ours ÷ plain fetch told the page count beforehand", `${ratioOf("ours", "known").toFixed(3)}×`, "", undefined, undefined,
    "8 workers over pages 1..100 from the start: one round trip less than any walk that must read page 1 first");

  const node = createRequire(import.meta.url)(path.join(pkg, "node.cjs"));
  const wasm = node.__internals.exports();
  const w = new node.KatapultClient({ token: "demo-token", baseUrl: mock.baseUrl });
  const mem = [];
  for (let run = 0; run < 5; run++) {
    let all = await w.listAllVirtualMachines(org, { per_page: 100, concurrency: 8 });
    all = null;
    await new Promise((r) => setTimeout(r, 50));
    gc();
    mem.push({ wasm: wasm.memory.buffer.byteLength, heap: process.memoryUsage().heapUsed });
  }
  const grew = mem.at(-1).wasm > mem[1].wasm;
  record("memory after listing 10,000 VMs: wasm linear memory (runs 1..5)", mem.map((m) => (m.wasm / 1024 / 1024).toFixed(2)).join(" / "), "MB", "no growth", !grew);
  record("memory after listing 10,000 VMs: JS heap after GC (runs 1..5)", mem.map((m) => (m.heap / 1024 / 1024).toFixed(1)).join(" / "), "MB", undefined, undefined);
  mock.stop();

  // A hostile error answer: 20 MB of JSON `detail` as about 20 KB of gzip,
  // from a loopback server, three times. The module holds one copy of the
  // body while judging it and builds nothing of the detail.
  const detail = `{"error":{"code":"x","description":"d","detail":{"errors":[${"0,".repeat(10 * 1024 * 1024)}0]}}}`;
  const gzipped = gzipSync(detail, { level: 9 });
  const http = await import("node:http");
  const server = http.createServer((req, res) => {
    res.writeHead(500, { "content-type": "application/json", "content-encoding": "gzip" });
    res.end(gzipped);
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  const hostile = new node.KatapultClient({ token: "t", baseUrl: `http://127.0.0.1:${server.address().port}/core/v1`, maxRetries: 0 });
  const before = wasm.memory.buffer.byteLength;
  for (let i = 0; i < 3; i++) {
    const e = await hostile.listOrganizations().catch((error) => error);
    if (e.code !== "x") throw new Error(`the hostile answer gave ${e.code}`);
  }
  server.close();
  const after = node.__internals.exports().memory.buffer.byteLength;
  const ratioToBody = after / detail.length;
  record(`wasm linear memory after three ${(detail.length / 1024 / 1024).toFixed(0)} MB error bodies (${(gzipped.length / 1024).toFixed(0)} KB gzip each)`, `${(before / 1024 / 1024).toFixed(2)} → ${(after / 1024 / 1024).toFixed(2)}`, "MB", "≤ 2.2× the body", ratioToBody <= 2.2,
    `${ratioToBody.toFixed(2)}× the body; 790 MiB on the wasm-bindgen client`);
}

// 7. What the rate-limit budget costs a walk that stays under the limit:
//    listAllVirtualMachines over 10,000 VMs (100 pages of 100, concurrency
//    8) with the budget on and with `rateLimit: false`, against a mock that
//    sends X-Ratelimit-* with a limit of a million a minute, so the budget
//    reads the headers (as in Node against the live API) and never has to
//    wait. With 20 ms latency per request, as the scale figure, and with
//    none, where the budget's own work has nothing to hide behind.
//    Interleaved rounds, order rotating, a ratio per round, median.
for (const latency of [20, 0]) {
  const mock = await startMock(["--seed-vms", "10000", "--latency-ms", String(latency), "--rate-limit", "1000000"]);
  const control = async (method, p) => (await fetch(`${mock.url}/_mock${p}`, { method })).json();
  const org = { sub_domain: "acme" };
  const clients = {
    on: new KatapultClient({ token: "demo-token", baseUrl: mock.baseUrl }),
    off: new KatapultClient({ token: "demo-token", baseUrl: mock.baseUrl, rateLimit: false }),
  };
  const requests = { on: [], off: [] };
  const listAll = async (name) => {
    await control("POST", "/stats/reset");
    const t = performance.now();
    const all = await clients[name].listAllVirtualMachines(org, { per_page: 100, concurrency: 8 });
    const ms = performance.now() - t;
    if (all.length !== 10000) throw new Error(`listed ${all.length}`);
    const stats = await control("GET", "/stats");
    if (stats.log.some((l) => l.status !== 200)) throw new Error(`the budget ${name}: answers other than 200 (${stats.log.map((l) => l.status).join(" ")})`);
    requests[name].push(stats.requests);
    return ms;
  };
  const names = Object.keys(clients);
  for (const n of names) await listAll(n);
  const source = clients.on.rateLimit.source;
  if (source !== "headers") throw new Error(`the budget learned from ${source}, not the headers`);
  const rounds = 11;
  const t = Object.fromEntries(names.map((n) => [n, []]));
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < names.length; i++) {
      const n = names[(round + i) % names.length];
      gc(); // no side pays for the garbage of the one before
      t[n].push(await listAll(n));
    }
  }
  mock.stop();
  const r = median(t.on.map((x, i) => x / t.off[i]));
  const reqs = (n) => [...new Set(requests[n])].join("/");
  record(`rate-limit budget: listAll 10,000 VMs (100 pages of 100, concurrency 8, ${latency} ms latency), budget on ÷ rateLimit: false`, `${r.toFixed(3)}×`, "", undefined, undefined,
    `median of ${rounds} rounds, the two interleaved, order rotating, a full GC before each; ratio per round; medians ${median(t.on).toFixed(0)} / ${median(t.off).toFixed(0)} ms (on / off), ` +
    `${reqs("on")} / ${reqs("off")} requests a listing, no 429; the mock's limit a million a minute, read from the headers`);
}

mkdirSync(path.join(repo, "target"), { recursive: true });
writeFileSync(path.join(repo, "target/bench.json"), JSON.stringify({ date: new Date().toISOString(), node: process.version, results }, null, 2));
console.log("\n| figure | value | budget |\n|---|---|---|");
for (const r of results) console.log(`| ${r.figure} | ${r.value}${r.unit ? " " + r.unit : ""} | ${r.budget ?? "report"}${r.ok === undefined ? "" : r.ok ? " ✔" : " ✘"} |`);
const failed = results.filter((r) => r.ok === false);
console.log(failed.length ? `\n${failed.length} budget(s) not met` : "\nall budgets met");
