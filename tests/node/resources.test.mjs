// Resource use: 10,000 sequential calls, thousands of aborted requests and
// dropped promises leave the WebAssembly memory within a fixed bound, and
// no call ever traps the instance (a trap would replace it). Reads the
// instance's exports (its memory) through the package's test hook.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import v8 from "node:v8";
import vm from "node:vm";
import { KatapultClient, ready } from "katapult-wasm";
import { startMock, TOKEN } from "./mock.mjs";

v8.setFlagsFromString("--expose-gc");
const gc = vm.runInNewContext("gc");

let mock, wasm, k, internals;
before(async () => {
  await ready();
  internals = createRequire(import.meta.url)("katapult-wasm").__internals;
  wasm = internals.exports();
  mock = await startMock();
  k = new KatapultClient({ token: TOKEN, baseUrl: mock.baseUrl, maxRetries: 0 });
});
after(() => mock?.stop());

const vmLookup = { fqdn: "web-1.acme.katapult.cloud" };
const MB = 1024 * 1024;

async function settle() {
  for (let i = 0; i < 3; i++) {
    await new Promise((r) => setTimeout(r, 20));
    gc();
  }
}

/** 1 when the instance was replaced since the tests began (it trapped), else 0. */
function terminated() {
  return internals.exports() === wasm ? 0 : 1;
}

function snapshot() {
  return {
    wasmBytes: wasm.memory.buffer.byteLength,
    heapBytes: process.memoryUsage().heapUsed,
  };
}

test("10,000 sequential calls: wasm memory stays within a fixed bound", async () => {
  for (let i = 0; i < 500; i++) await k.getVirtualMachine(vmLookup);
  await settle();
  const warm = snapshot();
  for (let i = 0; i < 10_000; i++) {
    const call = i % 10 === 0 ? k.getVirtualMachine({ id: "vm_missing" }).catch((e) => e) : k.getVirtualMachine(vmLookup);
    await call;
  }
  await settle();
  const end = snapshot();
  console.log(`# 10,000 calls: wasm memory ${warm.wasmBytes} -> ${end.wasmBytes} bytes, JS heap ${(warm.heapBytes / MB).toFixed(1)} -> ${(end.heapBytes / MB).toFixed(1)} MB`);
  assert.equal(end.wasmBytes, warm.wasmBytes, `wasm memory grew by ${end.wasmBytes - warm.wasmBytes} bytes`);
  assert.ok(end.heapBytes - warm.heapBytes <= 16 * MB, `JS heap grew by ${(end.heapBytes - warm.heapBytes) / MB} MB`);
  assert.equal(terminated(), 0, "the instance must never have panicked");
});

test("aborted requests and dropped promises leak nothing", async () => {
  const round = async (n) => {
    await mock.faults(Array.from({ length: n }, () => ({ kind: "ok", delay_ms: 200 })));
    const pending = [];
    for (let i = 0; i < n; i++) {
      const ac = new AbortController();
      pending.push(k.getVirtualMachine(vmLookup, { signal: ac.signal }).catch((e) => e.code));
      ac.abort();
    }
    const codes = await Promise.all(pending);
    assert.ok(codes.every((c) => c === "aborted"));
    // Dropped promises: started and never awaited (they settle on their own).
    for (let i = 0; i < n; i++) k.getVirtualMachine(vmLookup).catch(() => {});
    await new Promise((r) => setTimeout(r, 400));
    await mock.resetStats();
  };
  await round(400);
  await settle();
  const warm = snapshot();
  for (let i = 0; i < 5; i++) await round(400);
  await settle();
  const end = snapshot();
  console.log(`# 2,000 aborted + 2,000 dropped: wasm memory ${warm.wasmBytes} -> ${end.wasmBytes} bytes`);
  assert.equal(end.wasmBytes, warm.wasmBytes, `wasm memory grew by ${end.wasmBytes - warm.wasmBytes} bytes`);
  assert.equal(terminated(), 0);
});
