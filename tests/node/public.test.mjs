// KatapultPublicClient (API.md "Public API"): no token, its own base URL,
// operations and types, the core client's options, errors and retries;
// against the mock server's /public/v1 and the in-process mock
// (katapult-wasm/testing), which answer the Public document's six
// operations from the seed's catalogue.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { KatapultClient, KatapultPublicClient, publicOperations, operations, KatapultError } from "katapult-wasm";
import { createMockKatapult } from "katapult-wasm/testing";
import { startMock } from "./mock.mjs";

let mock;
before(async () => {
  mock = await startMock();
});
after(() => mock?.stop());

/** A fetch that records each request's URL and headers, then sends it. */
function recording(fetchFn = fetch) {
  const seen = [];
  const f = (url, init) => {
    seen.push({ url: String(url), method: init.method, headers: { ...init.headers } });
    return fetchFn(url, init);
  };
  return { seen, fetch: f };
}

const estimateOf = (resources, currency = "EUR", country = "GB") => ({
  customer_name: "Reseller Ltd",
  customer_type: "business",
  currency: { iso_code: currency },
  country: { iso_code2: country },
  resources,
});

test("its own operations, named methods and defaults; no token, no Authorization", async () => {
  assert.equal(KatapultPublicClient.operations, publicOperations);
  assert.ok(Object.isFrozen(publicOperations));
  assert.deepEqual(publicOperations.map((o) => o.operationId), [
    "get:data_centers", "get:pricing_prices", "post:pricing_estimate", "post:signups", "get:stats", "get:virtual_machine_packages",
  ]);
  assert.equal(publicOperations.find((o) => o.operationId === "get:virtual_machine_packages").items, "packages");
  // Both documents have get:virtual_machine_packages: each client its own.
  const core = operations.find((o) => o.operationId === "get:virtual_machine_packages");
  assert.ok(core && core !== publicOperations.at(-1));
  for (const o of publicOperations) assert.equal(typeof KatapultPublicClient.prototype[o.name], "function", o.name);
  assert.equal(KatapultPublicClient.prototype.waitForTask, undefined);
  assert.equal(KatapultClient.prototype.getStats, undefined);

  const c = new KatapultPublicClient();
  assert.equal(c.baseUrl, "https://api.katapult.io/public/v1");
  assert.equal(KatapultPublicClient.name, "KatapultPublicClient");
  assert.throws(() => new KatapultPublicClient({ token: "sekrit" }), (e) => e instanceof KatapultError && e.code === "invalid_argument" && /takes no token/.test(e.message) && !e.message.includes("sekrit"));
  assert.throws(() => new KatapultPublicClient({ baseUrl: "ftp://x" }), /baseUrl must start/);

  const { seen, fetch: f } = recording();
  const p = new KatapultPublicClient({ baseUrl: `${mock.url}/public/v1`, fetch: f });
  const { data_centers } = await p.getDataCenters();
  assert.deepEqual(data_centers.map((d) => [d.permalink, d.country]), [["uk-lon", "United Kingdom"], ["nl-ams", "Netherlands"], ["us-nyc", "United States of America"]]);
  assert.equal(seen.length, 1);
  assert.equal(seen[0].url, `${mock.url}/public/v1/data_centers`);
  assert.ok(!Object.keys(seen[0].headers).some((h) => h.toLowerCase() === "authorization"), JSON.stringify(seen[0].headers));
});

test("against the mock server: packages page by page, prices, an estimate that adds up, a sign-up, stats", async () => {
  const p = new KatapultPublicClient({ baseUrl: `${mock.url}/public/v1` });
  const packages = await p.paginate("get:virtual_machine_packages", {}, { per_page: 2 });
  assert.deepEqual(packages.map((x) => x.name), ["Rock 3", "Rock 6", "Rock 12", "Rock 24", "Rock 48"]);
  const { pagination } = await p.getVirtualMachinePackages({ page: 3, per_page: 2 });
  assert.equal(pagination.total, 5);

  const { prices } = await p.getPricingPrices();
  const rock6 = prices.find((x) => x.resource === "virtual_machine_package").variants.find((v) => v.id === "rock-6");
  const eur = rock6.prices.find((x) => x.currency[0].iso_code === "EUR").price;
  const { estimate } = await p.postPricingEstimate(estimateOf([{ resource: "virtual_machine_package:rock-6", quantity: 2 }, { resource: "storage_gb", quantity: 100 }]));
  const storage = prices.find((x) => x.resource === "storage_gb").variants[0].prices.find((x) => x.currency[0].iso_code === "EUR").price;
  assert.equal(estimate.per_month, Math.round((eur * 2 + storage * 100) * 100) / 100);
  assert.equal(estimate.tax_rate, 0.2);
  assert.equal(estimate.currency.iso_code, "EUR");
  assert.equal(estimate.resources[0].package.name, "Rock 6");

  const signup = await p.postSignups({ email_address: "new@example.com", verify_with_email: true });
  assert.match(signup.id, /^signup_/);
  assert.equal(signup.email_address, "new@example.com");
  assert.equal(signup.url, null);
  const stats = await p.getStats();
  assert.ok(stats.total_virtual_machines_launched > 0 && stats.total_organizations > 0, JSON.stringify(stats));
});

test("documented errors reject as KatapultError with the document's codes", async () => {
  const p = new KatapultPublicClient({ baseUrl: `${mock.url}/public/v1`, maxRetries: 0 });
  const cases = [
    [estimateOf([{ resource: "storage_gb", quantity: 1 }], "XXX"), 404, "currency_not_found"],
    [estimateOf([{ resource: "storage_gb", quantity: 1 }], "GBP", "ZZ"), 404, "country_not_found"],
    [estimateOf([]), 400, "missing_resources"],
    [estimateOf([{ resource: "gold", quantity: 1 }]), 400, "invalid_estimate_resource"],
    [estimateOf([{ resource: "storage_gb", quantity: 0 }]), 400, "invalid_estimate_quantity"],
  ];
  for (const [params, status, code] of cases) {
    const e = await p.postPricingEstimate(params).then(() => assert.fail("resolved"), (x) => x);
    assert.ok(e instanceof KatapultError, String(e));
    assert.deepEqual([e.status, e.code], [status, code]);
    assert.equal(e.operationId, "post:pricing_estimate");
  }
  const e = await p.postSignups({ email_address: "a@b.c", coupon: "NOPE" }).catch((x) => x);
  assert.equal(e.code, "invalid_coupon_code");
  // An argument the document lacks is refused before anything is sent.
  const { seen, fetch: f } = recording();
  const q = new KatapultPublicClient({ baseUrl: `${mock.url}/public/v1`, fetch: f });
  await assert.rejects(q.request("get:stats", { nope: 1 }), (x) => x.code === "invalid_argument" && /nope/.test(x.message));
  await assert.rejects(q.request("get:organizations"), (x) => x.code === "invalid_argument" && /not an operationId of the Katapult Public API/.test(x.message));
  assert.equal(seen.length, 0);
});

test("in-process: katapult-wasm/testing answers the Public API, and its faults can name it", async () => {
  const m = createMockKatapult();
  const p = new KatapultPublicClient({ fetch: m.fetch });
  const k = new KatapultClient({ token: m.token, fetch: m.fetch });
  const { packages } = await p.getVirtualMachinePackages();
  assert.equal(packages.length, 5);
  // A fault for the Public API's packages leaves the core's alone, and a retry gets through.
  m.fault({ api: "public", operationId: "get:virtual_machine_packages", status: 503, times: 1 });
  const core = await k.request("get:virtual_machine_packages");
  assert.ok(core.virtual_machine_packages.length > 0);
  const again = await p.getVirtualMachinePackages();
  assert.equal(again.packages.length, 5);
  const statuses = m.calls.slice(-3).map((c) => [new URL(c.url).pathname, c.operationId, c.api]);
  assert.deepEqual(statuses, [
    ["/core/v1/virtual_machine_packages", "get:virtual_machine_packages", "core"],
    ["/public/v1/virtual_machine_packages", "get:virtual_machine_packages", "public"],
    ["/public/v1/virtual_machine_packages", "get:virtual_machine_packages", "public"],
  ]);
  // A fault's error for a Public API code carries the Public document's description.
  m.fault({ api: "public", operationId: "post:pricing_estimate", status: 400, code: "missing_resources", times: 1 });
  const e = await p.postPricingEstimate(estimateOf([{ resource: "storage_gb", quantity: 1 }]), { maxRetries: 0 }).catch((x) => x);
  assert.equal(e.code, "missing_resources");
  assert.doesNotMatch(e.message, /answered HTTP 400 with error code/, e.message);
  assert.throws(() => m.fault({ api: "public", operationId: "get:organizations", status: 500 }), /no operation of the Public API/);
  const { data_centers } = await p.getDataCenters();
  assert.equal(data_centers.length, 3);
  const empty = createMockKatapult({ seed: "empty" });
  const none = await new KatapultPublicClient({ fetch: empty.fetch }).getDataCenters();
  assert.ok(Array.isArray(none.data_centers));
});

test("the README's Public API example runs against the mock server", async () => {
  const { readFileSync, mkdirSync, writeFileSync } = await import("node:fs");
  const { execFileSync } = await import("node:child_process");
  const path = await import("node:path");
  const ts = (await import("typescript")).default;
  const { repo } = await import("./mock.mjs");
  const readme = readFileSync(path.join(repo, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("## Public API"), readme.indexOf("## Errors"));
  const block = /```ts\n([\s\S]*?)```/.exec(section)[1];
  assert.match(block, /new KatapultPublicClient\(\)/);
  // The same code, with the mock's address for the live API's.
  const code = block.replace("new KatapultPublicClient()", `new KatapultPublicClient({ baseUrl: ${JSON.stringify(`${mock.url}/public/v1`)} })`);
  const js = ts.transpileModule(code, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText;
  const dir = path.join(repo, "target", "readme-public");
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, "example.mjs"), js);
  const out = execFileSync(process.execPath, [path.join(dir, "example.mjs")], { encoding: "utf8" });
  assert.match(out, /London/);
  assert.match(out, /Rock 48/);
  assert.match(out, /^\d+(\.\d+)? EUR$/m);
});

test("Public API clients share one rate-limit budget per origin (they have no token), and make no new one each", async () => {
  const origin = "https://public-budget.example";
  let calls = 0;
  const limited = async () => {
    calls += 1;
    return new Response(JSON.stringify({ error: { code: "rate_limit_reached", description: "Too many", detail: { total_permitted: 120 } } }), {
      status: 429,
      headers: { "content-type": "application/json" },
    });
  };
  const first = new KatapultPublicClient({ baseUrl: `${origin}/public/v1`, fetch: limited, maxRetries: 0 });
  await assert.rejects(first.getStats(), (e) => e.code === "rate_limit_reached");
  // Another client at the same origin knows what the first learned.
  const second = new KatapultPublicClient({ baseUrl: `${origin}/public/v1`, fetch: limited, maxRetries: 0 });
  assert.deepEqual([second.rateLimit.permitted, second.rateLimit.source], [120, "429"]);
  // And a core client of another token does not share it.
  const core = new KatapultClient({ token: "t", baseUrl: `${origin}/core/v1`, fetch: limited });
  assert.equal(core.rateLimit.source, null);
  assert.equal(calls, 1);
});
