// make bench: the size and speed figures of the built package, each speed
// figure a ratio of two things measured in the same process and run, with
// interleaved repetitions and the median reported. Writes target/bench.json.
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

// 1. Package payload: what a browser downloads for the default entry.
{
  // The entry imports the wasm-bindgen glue, its snippet and the
  // operation table; each file is served (and gzipped) on its own.
  const snippet = readFileSync(path.join(pkg, "index.js"), "utf8").match(/"\.\/(esm\/snippets\/[^"]+)"/)[1];
  const js = ["esm/katapult_wasm_bg.js", "index.js", snippet, "operations.js"].map((f) => readFileSync(path.join(pkg, f)));
  const wasm = readFileSync(path.join(pkg, "katapult.wasm"));
  const gz = (b) => gzipSync(b, { level: 9 }).length;
  const br = (b) => brotliCompressSync(b, { params: { [zc.BROTLI_PARAM_QUALITY]: 11 } }).length;
  const sum = (f) => js.reduce((n, b) => n + f(b), 0);
  const glueRaw = sum((b) => b.length);
  const total = gz(wasm) + sum(gz);
  const totalBr = br(wasm) + sum(br);
  record("payload wasm raw / gzip -9 / brotli", `${wasm.length} / ${gz(wasm)} / ${br(wasm)}`, "bytes");
  record("payload JS (glue, entry, operation table) raw / gzip -9 / brotli", `${glueRaw} / ${sum(gz)} / ${sum(br)}`, "bytes");
  record("payload wasm+JS gzip -9 (189 operations)", (total / 1024).toFixed(1), "KB", "≤ 90 KB", total <= 90 * 1024,
    "each file gzipped on its own, as served; 69.1 KB with the 12 operations before the table");
  record("payload wasm+JS brotli", (totalBr / 1024).toFixed(1), "KB", "report");
}

// 1b. The spec tools (katapult-wasm/spec): a module of their own, loaded only
//     by pages that build or parse spec documents (or pass a spec object to
//     buildVirtualMachineFromSpec); not part of the default entry's payload.
{
  const wasm = readFileSync(path.join(pkg, "katapult-spec.wasm"));
  const glue = Buffer.concat(["esm/spec_bg.js", "spec.js"].map((f) => readFileSync(path.join(pkg, f))));
  const gz = (b) => gzipSync(b, { level: 9 }).length;
  const total = gz(wasm) + gz(glue);
  record("spec tools wasm raw / gzip -9", `${wasm.length} / ${gz(wasm)}`, "bytes", "", undefined, "katapult-wasm/spec, loaded on demand");
  record("spec tools wasm+glue gzip -9", (total / 1024).toFixed(1), "KB", "", undefined, "the builder's size cost; the shared glue snippet is already loaded");
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
  record("cold start overhead", overhead.toFixed(1), "ms", "≤ 15 ms", overhead <= 15, "median of 25 interleaved pairs of fresh processes, timed inside each");
}

// 3. Per-call overhead: getVirtualMachine vs plain fetch + JSON.parse with
//    the same headers, against the same mock, interleaved rounds.
{
  const mock = await startMock([]);
  const k = new KatapultClient({ token: "demo-token", baseUrl: mock.baseUrl, maxRetries: 0 });
  const lookup = { fqdn: "web-1.acme.katapult.cloud" };
  const url = `${mock.baseUrl}/virtual_machines/virtual_machine?virtual_machine[fqdn]=web-1.acme.katapult.cloud`;
  const headers = { Authorization: "Bearer demo-token" };
  const baseline = async () => { const r = await fetch(url, { headers }); const v = JSON.parse(await r.text()); if (!r.ok) throw new Error(v); return v; };
  const time = async (f, n) => { const t = performance.now(); for (let i = 0; i < n; i++) await f(); return performance.now() - t; };
  const client = () => k.getVirtualMachine(lookup);
  await time(baseline, 500);
  await time(client, 500);
  const ratios = [];
  // 2,000 calls of each, in 20 rounds of 100; the order alternates so
  // neither side always runs right after a GC the other caused.
  for (let round = 0; round < 20; round++) {
    if (round % 2) {
      const c = await time(client, 100);
      ratios.push(c / (await time(baseline, 100)));
    } else {
      const b = await time(baseline, 100);
      ratios.push((await time(client, 100)) / b);
    }
  }
  const r = median(ratios);
  record("per-call overhead (2,000 getVirtualMachine vs fetch+JSON.parse)", `${r.toFixed(3)}×`, "", "≤ 1.15×", r <= 1.15, "median of 20 interleaved, order-alternating rounds of 100 calls each");
  mock.stop();
}

// 4. Decode throughput: a 1,000-VM list page through the client's whole
//    decode path (fetch answered from memory) vs JSON.parse of the same bytes.
{
  const mock = await startMock(["--seed-vms", "1000", "--max-per-page", "1000"]);
  const body = await (await fetch(`${mock.baseUrl}/organizations/organization/virtual_machines?organization[sub_domain]=acme&per_page=1000`, { headers: { Authorization: "Bearer demo-token" } })).arrayBuffer();
  mock.stop();
  const realFetch = globalThis.fetch;
  globalThis.fetch = async () => new Response(body, { status: 200, headers: { "content-type": "application/json" } });
  const k = new KatapultClient({ token: "t", baseUrl: "http://bench.invalid/core/v1" });
  const viaClient = async () => { const r = await k.listVirtualMachines({ sub_domain: "acme" }, { per_page: 1000 }); if (r.virtual_machines.length !== 1000) throw new Error("bad decode"); };
  const viaParse = async () => { const r = await new Response(body).text(); if (JSON.parse(r).virtual_machines.length !== 1000) throw new Error("bad parse"); };
  const time = async (f, n) => { const t = performance.now(); for (let i = 0; i < n; i++) await f(); return performance.now() - t; };
  await time(viaClient, 10); await time(viaParse, 10);
  const ratios = [];
  for (let round = 0; round < 15; round++) {
    const p = await time(viaParse, 5);
    const c = await time(viaClient, 5);
    ratios.push(c / p);
  }
  globalThis.fetch = realFetch;
  const r = median(ratios);
  record(`decode throughput (${(body.byteLength / 1024).toFixed(0)} KB, 1,000 VMs) vs JSON.parse`, `${r.toFixed(2)}×`, "", "≤ 2.5×", r <= 2.5, "median of 15 interleaved rounds of 5 decodes");
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
  const plain = async (concurrency) => {
    const t = performance.now();
    let next = 1;
    await Promise.all(Array.from({ length: concurrency }, async () => {
      while (next <= 100) {
        const page = next++;
        const url = `${mock.baseUrl}/organizations/organization/virtual_machines?organization[sub_domain]=acme&per_page=100&page=${page}`;
        JSON.parse(await (await fetch(url, { headers: { Authorization: "Bearer demo-token" } })).text());
      }
    }));
    return performance.now() - t;
  };
  const ceilings = [];
  for (let round = 0; round < 3; round++) ceilings.push((await plain(1)) / (await plain(8)));
  record("scale reference: the same 100 pages with plain fetch, concurrency 8 vs 1", `${median(ceilings).toFixed(2)}× faster`, "", undefined, undefined, "what this machine allows");

  const node = createRequire(import.meta.url)(path.join(pkg, "node.cjs"));
  const wasm = node.__exports();
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
}

mkdirSync(path.join(repo, "target"), { recursive: true });
writeFileSync(path.join(repo, "target/bench.json"), JSON.stringify({ date: new Date().toISOString(), node: process.version, results }, null, 2));
console.log("\n| figure | value | budget |\n|---|---|---|");
for (const r of results) console.log(`| ${r.figure} | ${r.value}${r.unit ? " " + r.unit : ""} | ${r.budget ?? "report"}${r.ok === undefined ? "" : r.ok ? " ✔" : " ✘"} |`);
const failed = results.filter((r) => r.ok === false);
console.log(failed.length ? `\n${failed.length} budget(s) not met` : "\nall budgets met");
