// The rate-limit budget (API.md "Rate-limit budget") in headless Chromium,
// where it matters most: the page is served from one origin and calls the
// API on another, and the live API exposes no headers, so the budget cannot
// read X-Ratelimit-* and learns the limit only from the first 429. The
// node tests hide the headers with a fetch wrapper; here the browser hides
// them, as it does for the live API.
//
// The mock's limiter has a 2 s window of 60 (a token bucket), and the
// page's budget a 2 s "minute" (its test seam), so pacing takes seconds. A
// fetch wrapper in the page records, in the order sent, every request's
// send time and status; the assertions are about that order (and an upper
// bound on how many went, which a slow machine cannot break), not latencies.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { chromium } from "playwright-core";
import { repo, CHROMIUM, CHROMIUM_ARGS, TOKEN } from "./harness.mjs";
import { startMock } from "../node/mock.mjs";

const WINDOW_MS = 2000;
const LIMIT = 60;
const VMS = 2000;
const PER_PAGE = 10;
const CONCURRENCY = 8;
const DIRECT_CALLS = 6;

const PAGE = `<!doctype html><meta charset="utf-8"><title>rate limit</title>
<script type="module">
  import { KatapultClient } from "/pkg/index.js";
  window.KatapultClient = KatapultClient;
  document.body.dataset.ready = "1";
</script>`;

let server, pageOrigin, mock, browser;

before(async () => {
  // The page's origin: a plain server for the page and pkg/.
  server = createServer(async (req, res) => {
    const url = new URL(req.url, "http://x");
    if (url.pathname === "/") {
      res.writeHead(200, { "content-type": "text/html" });
      return res.end(PAGE);
    }
    try {
      if (!url.pathname.startsWith("/pkg/")) throw new Error("not here");
      const file = path.join(repo, "pkg", path.basename(url.pathname));
      const body = await readFile(file);
      res.writeHead(200, { "content-type": file.endsWith(".wasm") ? "application/wasm" : "text/javascript" });
      res.end(body);
    } catch {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  pageOrigin = `http://127.0.0.1:${server.address().port}`;
  // The API's origin: the mock on another port (and host name).
  mock = await startMock(["--rate-limit", String(LIMIT), "--rate-window-ms", String(WINDOW_MS), "--seed-vms", String(VMS)]);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
});

after(async () => {
  await browser?.close();
  await mock?.stop();
  server?.close();
});

test("cross-origin in Chromium: the budget learns from the first 429, then paces; direct calls go before the walk's pages", async (t) => {
  await mock.reset();
  const base = mock.baseUrl.replace("127.0.0.1", "localhost");
  assert.notEqual(new URL(base).origin, pageOrigin);
  // The mock does send the headers (Node reads them); the page will not see them.
  const fromNode = await fetch(`${base}/organizations`, { headers: { authorization: `Bearer ${TOKEN}` } });
  assert.equal(fromNode.headers.get("x-ratelimit-permitted"), String(LIMIT));
  assert.notEqual(fromNode.headers.get("x-ratelimit-remaining"), null);
  await fromNode.arrayBuffer();
  await mock.reset();

  const page = await browser.newPage();
  t.after(() => page.close());
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(`${pageOrigin}/`);
  await page.waitForFunction(() => document.body.dataset.ready === "1");

  const out = await page.evaluate(async ({ base, token, windowMs, perPage, concurrency, directCalls }) => {
    globalThis[Symbol.for("katapult-wasm.minute-ms")] = windowMs;
    const t0 = performance.now();
    const now = () => performance.now() - t0;
    const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
    // Every request, in the order the client sent it.
    const log = [];
    const recording = async (input, init) => {
      const url = String(input);
      const page = url.includes("/organizations/organization/virtual_machines") ? new URL(url).searchParams.get("page") : null;
      const entry = { kind: page ? "page" : "direct", page, sent: now(), answered: null, status: 0 };
      log.push(entry);
      try {
        const res = await fetch(input, init);
        entry.status = res.status;
        return res;
      } finally {
        entry.answered = now();
      }
    };
    // When the client had heard each answer (the budget has then settled it).
    const heard = [];
    const config = { token, baseUrl: base, fetch: recording, hooks: { onResponse: (i) => heard.push({ at: now(), status: i.status }) } };
    const k = new KatapultClient(config);
    const out = {};

    // Cross-origin, the headers are there on the wire but unreadable.
    const raw = await fetch(`${base}/organizations`, { headers: { authorization: `Bearer ${token}` } });
    out.rawStatus = raw.status;
    out.rawRemaining = raw.headers.get("x-ratelimit-remaining");
    out.rawPermitted = raw.headers.get("x-ratelimit-permitted");
    await raw.arrayBuffer();
    const { response } = await k.listOrganizations().withResponse();
    out.clientRemaining = response.headers.get("x-ratelimit-remaining");
    out.sourceBefore = k.rateLimit.source;

    // A walk of many pages, 8 at a time.
    const org = { sub_domain: "acme" };
    const { virtual_machines: [first] } = await k.listVirtualMachines(org, { per_page: 1 });
    const start = log.length;
    let walked = false;
    const walk = k.paginate("get:organization_virtual_machines", { organization: org }, { per_page: perPage, concurrency });
    walk.then(() => (walked = true), () => (walked = true));
    // Until the first 429 is heard, then ten more pages sent: the walk's pages queue in the budget.
    while (!heard.some((h) => h.status === 429) && !walked) await sleep(5);
    out.sourceAfter429 = k.rateLimit.source;
    const sentThen = log.length;
    while (log.length < sentThen + 10 && !walked) await sleep(5);
    out.walkedBeforeDirect = walked;
    // Direct calls while the walk goes on.
    out.directCalled = now();
    const direct = await Promise.all(Array.from({ length: directCalls }, async () => {
      const t = performance.now();
      const got = await k.getVirtualMachine({ id: first.id });
      return { ms: performance.now() - t, id: got.id };
    }));
    out.directMs = direct.map((d) => d.ms);
    out.directIds = direct.map((d) => d.id);
    const items = await walk;
    out.items = items.length;
    out.unique = new Set(items.map((v) => v.id)).size;
    out.rateLimit = k.rateLimit;
    out.log = log.slice(start);
    out.heard = heard;
    return out;
  }, { base, token: TOKEN, windowMs: WINDOW_MS, perPage: PER_PAGE, concurrency: CONCURRENCY, directCalls: DIRECT_CALLS });

  assert.deepEqual(errors, []);
  // 1. What the test claims: cross-origin, the page cannot read the headers.
  assert.equal(out.rawStatus, 200);
  assert.equal(out.rawRemaining, null, "x-ratelimit-remaining is unreadable cross-origin");
  assert.equal(out.rawPermitted, null, "x-ratelimit-permitted is unreadable cross-origin");
  assert.equal(out.clientRemaining, null, "the client's response.headers cannot read it either");
  assert.equal(out.sourceBefore, null, "nothing known before the first 429");
  assert.equal(out.sourceAfter429, "429");
  assert.deepEqual(out.rateLimit.source, "429");
  assert.equal(out.rateLimit.permitted, LIMIT, "learned from the 429's total_permitted");

  // 2. The walk completes with every item; the direct calls were answered.
  assert.equal(out.items, VMS);
  assert.equal(out.unique, VMS);
  assert.deepEqual(out.directIds.length, DIRECT_CALLS);

  const log = out.log;
  const limited = log.filter((e) => e.status === 429);
  assert.ok(limited.length > 0, "the walk drew a 429 (the limit was reached)");
  // The first 429 to come back (not the first sent), and when the client had heard it.
  const first429 = limited.reduce((a, e) => (e.answered < a.answered ? e : a));
  const learned = out.heard.find((h) => h.status === 429).at;
  // 3. The 429s drawn are at most the requests already in flight when the
  //    first came back (sent before the client had heard it), ≤ concurrency.
  const inFlight = log.filter((e) => e.sent <= learned && e.answered >= first429.answered);
  const afterLearned = log.filter((e) => e.sent > learned);
  const late = afterLearned.filter((e) => e.status === 429).length;
  assert.ok(limited.length <= inFlight.length, `429s drawn ${limited.length}, in flight when the first came back ${inFlight.length}`);
  // The words: after the first 429 no new request is sent until the
  // budget allows it, so none sent after the client heard it draws a 429.
  assert.equal(late, 0, `requests sent after the client heard the first 429 that drew one: ${late}`);
  assert.ok(inFlight.length <= CONCURRENCY, `in flight ${inFlight.length} ≤ concurrency ${CONCURRENCY}`);
  // Once heard, no request went before the budget allowed it: from an
  // empty bucket, nine tenths of the limit per window (an upper bound a
  // slow machine cannot break; slack of one for the clocks' rounding).
  const rate = (0.9 * LIMIT) / WINDOW_MS;
  for (const [i, e] of afterLearned.entries()) {
    const allowed = Math.floor(rate * (e.sent - learned)) + 2;
    assert.ok(i + 1 <= allowed, `request ${i + 1} after the 429 was sent ${(e.sent - learned).toFixed(0)} ms after it; the budget allows ${allowed}`);
  }

  // 4. Direct calls made during the walk are sent before its queued pages.
  assert.equal(out.walkedBeforeDirect, false, "the walk was still going when the direct calls were made");
  // Their first attempts: the first six sent (a retry would come after a back-off).
  const directs = log.filter((e) => e.kind === "direct").slice(0, DIRECT_CALLS);
  assert.equal(directs.length, DIRECT_CALLS);
  assert.ok(directs.every((e) => e.sent >= out.directCalled), "no direct call was sent before it was made");
  const lastDirect = directs.at(-1).sent;
  const pagesBetween = log.filter((e) => e.kind === "page" && e.sent >= out.directCalled && e.sent <= lastDirect).length;
  const pagesAfter = log.filter((e) => e.kind === "page" && e.sent > lastDirect).length;
  assert.equal(pagesBetween, 0, `pages sent between the direct calls being made and the last sent: ${pagesBetween}`);
  assert.ok(pagesAfter > CONCURRENCY, `the walk's queued pages went after them (${pagesAfter})`);

  const pages = new Set(log.filter((e) => e.kind === "page").map((e) => e.page)).size;
  assert.equal(pages, VMS / PER_PAGE, "every page was asked for");
  const retries = log.filter((e) => e.kind === "page").length - pages;
  const ms = out.directMs.map((x) => x.toFixed(0)).join(", ");
  const walkMs = Math.max(...log.map((e) => e.answered)) - log[0].sent;
  const figures = `${log.length} requests (${pages} pages of ${PER_PAGE} for ${VMS} VMs, ${retries} retries, ${DIRECT_CALLS} direct calls), ${LIMIT} per ${WINDOW_MS} ms; ` +
    `${limited.length} × 429 (in flight when the first came back: ${inFlight.length}; sent after the client heard it: ${late}); ` +
    `walk ${(walkMs / 1000).toFixed(1)} s; direct calls answered in ${ms} ms while the walk ran, ${pagesBetween} pages sent before them, ${pagesAfter} after`;
  t.diagnostic(figures);
});
