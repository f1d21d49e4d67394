// Resource use: 10,000 sequential calls, thousands of aborted requests and
// dropped promises leave the WebAssembly memory and the externref table
// within a fixed bound, and no call ever panics the instance. Reads the
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

let mock, wasm, k;
before(async () => {
  await ready();
  wasm = createRequire(import.meta.url)("katapult-wasm").__exports();
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

/** wasm-bindgen's "instance terminated" flag (set when Rust panics or aborts). */
function terminated() {
  return new Uint32Array(wasm.memory.buffer, wasm.__instance_terminated.value, 1)[0];
}

function snapshot() {
  return {
    wasmBytes: wasm.memory.buffer.byteLength,
    externrefs: wasm.__wbindgen_externrefs.length,
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
  console.log(`# 10,000 calls: wasm memory ${warm.wasmBytes} -> ${end.wasmBytes} bytes, externref table ${warm.externrefs} -> ${end.externrefs}, JS heap ${(warm.heapBytes / MB).toFixed(1)} -> ${(end.heapBytes / MB).toFixed(1)} MB`);
  assert.ok(end.wasmBytes - warm.wasmBytes <= 1 * MB, `wasm memory grew by ${end.wasmBytes - warm.wasmBytes} bytes`);
  assert.ok(end.externrefs - warm.externrefs <= 256, `externref table grew by ${end.externrefs - warm.externrefs}`);
  assert.ok(end.heapBytes - warm.heapBytes <= 16 * MB, `JS heap grew by ${(end.heapBytes - warm.heapBytes) / MB} MB`);
  assert.equal(terminated(), 0, "the instance must never have panicked");
});

test("aborted requests and dropped promises leak nothing", async () => {
  // The externref table grows to the peak number of calls in flight and
  // then reuses its slots, so warm up at the same concurrency first.
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
  console.log(`# 2,000 aborted + 2,000 dropped: wasm memory ${warm.wasmBytes} -> ${end.wasmBytes} bytes, externref table ${warm.externrefs} -> ${end.externrefs}`);
  assert.ok(end.wasmBytes - warm.wasmBytes <= 1 * MB, `wasm memory grew by ${end.wasmBytes - warm.wasmBytes} bytes`);
  // A leak would hold ~20 references per call: 4,000 calls would add ~80,000
  // slots. One growth step (4096) is the table adapting to a slightly
  // higher peak of calls in flight.
  assert.ok(end.externrefs - warm.externrefs <= 4096, `externref table grew by ${end.externrefs - warm.externrefs}`);
  assert.equal(terminated(), 0);
});
