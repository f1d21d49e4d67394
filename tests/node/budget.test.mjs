// The rate-limit budget (API.md "Rate-limit budget") against the mock's
// limiter with a 2 s window (`--rate-limit 60 --rate-window-ms 2000`), the
// budget's minute shortened to match (its test seam), so pacing takes
// seconds: a walk with concurrency 8 and direct calls draw no 429 in Node,
// and the direct calls go before the walk's queued pages.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { KatapultClient } from "katapult-wasm";
import { startMock, TOKEN } from "./mock.mjs";

const WINDOW_MS = 2000;
let mock;
before(async () => {
  globalThis[Symbol.for("katapult-wasm.minute-ms")] = WINDOW_MS;
  mock = await startMock(["--rate-limit", "60", "--rate-window-ms", String(WINDOW_MS), "--seed-vms", "2000"]);
});
after(async () => {
  delete globalThis[Symbol.for("katapult-wasm.minute-ms")];
  await mock?.stop();
});

const org = { sub_domain: "acme" };
const LIST = "/organizations/organization/virtual_machines";

test("a walk of 200 pages with concurrency 8 and direct calls meanwhile: no 429, direct calls first", async () => {
  await mock.reset();
  const k = new KatapultClient({ token: TOKEN, baseUrl: mock.baseUrl });
  assert.deepEqual(k.rateLimit, { permitted: null, remaining: null, source: null });
  const { virtual_machines: [first] } = await k.listVirtualMachines(org, { per_page: 1 });
  assert.deepEqual(k.rateLimit, { permitted: 60, remaining: 59, source: "headers" });
  await mock.resetStats();
  const walk = k.paginate("get:organization_virtual_machines", { organization: org }, { per_page: 10, concurrency: 8 });
  // Once the budget is spent, the walk's pages wait in its queue; direct calls made then go first.
  let walked = false;
  walk.finally(() => (walked = true)).catch(() => {});
  while (k.rateLimit.remaining > 5 && !walked) await new Promise((r) => setTimeout(r, 5));
  assert.ok(!walked, "the budget ran short while the walk went on");
  const direct = Promise.all(Array.from({ length: 6 }, () => k.getVirtualMachine({ id: first.id })));
  const [items, answers] = await Promise.all([walk, direct]);
  assert.equal(items.length, 2000);
  assert.equal(answers.length, 6);
  const log = (await mock.stats()).log;
  assert.deepEqual(log.filter((l) => l.status === 429), [], "no 429 drawn");
  // In the order sent: once the first direct call went, at most the pages
  // already in flight (8) were sent before the other five.
  const kinds = log.map((l) => (l.path === LIST ? "page" : "direct"));
  const firstDirect = kinds.indexOf("direct");
  const lastDirect = kinds.lastIndexOf("direct");
  const pagesBetween = kinds.slice(firstDirect, lastDirect).filter((x) => x === "page").length;
  assert.ok(firstDirect > 0 && pagesBetween <= 8, `pages sent between the direct calls: ${pagesBetween} (${kinds.join(" ")})`);
  const pagesAfter = kinds.slice(lastDirect).filter((x) => x === "page").length;
  assert.ok(pagesAfter > 8, `the walk's queued pages went after them (${pagesAfter})`);
  console.log(`# 201 pages + 6 direct calls in a ${WINDOW_MS} ms window of 60: 0 × 429; pages sent between the direct calls: ${pagesBetween}`);
});

test("no headers (as in a browser): after the first 429 the budget paces, so at most the requests in flight draw 429s", async () => {
  await mock.reset();
  // A fetch that hides the rate-limit headers, as a browser does for the live API (it exposes none).
  const hidden = async (input, init) => {
    const res = await fetch(input, init);
    const headers = new Headers(res.headers);
    headers.delete("x-ratelimit-permitted");
    headers.delete("x-ratelimit-remaining");
    return new Response(res.body, { status: res.status, statusText: res.statusText, headers });
  };
  // Its own origin (localhost, not 127.0.0.1): a budget of its own, learned only from 429s.
  const k = new KatapultClient({ token: TOKEN, baseUrl: mock.baseUrl.replace("127.0.0.1", "localhost"), fetch: hidden });
  await mock.resetStats();
  const items = await k.paginate("get:organization_virtual_machines", { organization: org }, { per_page: 10, concurrency: 8 });
  assert.equal(items.length, 2000);
  assert.equal(k.rateLimit.source, "429");
  assert.equal(k.rateLimit.permitted, 60);
  const statuses = (await mock.stats()).log.map((l) => l.status);
  const limited = statuses.filter((s) => s === 429).length;
  assert.ok(limited >= 1 && limited <= 8, `429s drawn: ${limited} (at most the 8 in flight)`);
  console.log(`# 200 pages, no headers: ${limited} × 429, then paced`);
});

test("rateLimit: { perMinute } paces from the start; rateLimit: false does not pace", async () => {
  await mock.reset();
  const paced = new KatapultClient({ token: "other-token-1", baseUrl: mock.baseUrl, rateLimit: { perMinute: 30 } });
  assert.equal(paced.rateLimit.permitted, 30);
  assert.equal(paced.rateLimit.source, "option");
  // 3 burst (a tenth of 30), then 0.9 × 30 per 2 s window: 13.5/s.
  const t0 = Date.now();
  await Promise.all(Array.from({ length: 10 }, () => paced.listOrganizations().catch(() => null)));
  const took = Date.now() - t0;
  assert.ok(took >= 7 * (WINDOW_MS / 27) * 0.8, `10 calls took ${took} ms, paced`);
  const free = new KatapultClient({ token: TOKEN, baseUrl: mock.baseUrl, rateLimit: false });
  assert.deepEqual(free.rateLimit, { permitted: null, remaining: null, source: null });
  for (const bad of [true, {}, { perMinute: 0 }, { perMinute: 1.5 }, { perMinute: 10, burst: 2 }, "60"]) {
    assert.throws(() => new KatapultClient({ token: TOKEN, rateLimit: bad }), (e) => e.code === "invalid_argument" && /config.rateLimit/.test(e.message), JSON.stringify(bad));
  }
});

test("one budget per token and origin, shared by the clients of the realm; a wait for it is cancelled by the signal", async () => {
  await mock.reset();
  const a = new KatapultClient({ token: "shared-token", baseUrl: mock.baseUrl, rateLimit: { perMinute: 10 } });
  const b = new KatapultClient({ token: "shared-token", baseUrl: mock.baseUrl });
  assert.equal(b.rateLimit.source, null, "b has made no call yet");
  await a.listOrganizations().catch(() => null);
  await b.listOrganizations().catch(() => null);
  assert.equal(b.rateLimit.source, "option", "b shares a's budget");
  // The bucket holds 1 (a tenth of 10): spent; the next waits, and its signal cancels the wait.
  const controller = new AbortController();
  const waiting = b.listOrganizations({ signal: controller.signal });
  setTimeout(() => controller.abort(), 20);
  const e = await waiting.then(() => null, (x) => x);
  assert.equal(e?.code, "aborted");
});
