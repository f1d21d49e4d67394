// The Public API's six operations, through KatapultPublicClient, against
// Prism serving the Public API's own document (spec/katapult-public-openapi.json):
// as tests/contract/operations.test.mjs does for the core's. Requests built
// from the document pass Prism's validation; Prism's examples and random
// schema-conforming answers decode; the named methods send the same
// requests; no Authorization header is sent.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { describeViolations, repoRoot, startPrism } from "./prism.mjs";
import { startProxy } from "./proxy.mjs";
import { documentOperations, exampleParams } from "./examples.mjs";

const SPEC = path.join(repoRoot, "spec/katapult-public-openapi.json");
const spec = JSON.parse(readFileSync(SPEC, "utf8"));
const RUNS = 6;

describe("the Public API against Prism", () => {
  let prism, proxy, client, KatapultPublicClient;
  before(async () => {
    ({ KatapultPublicClient } = await import("katapult-wasm"));
    prism = await startPrism({ spec: SPEC });
    proxy = await startProxy(prism.url);
    client = new KatapultPublicClient({ baseUrl: proxy.url, maxRetries: 0, rateLimit: false }); // Prism's random 429s would teach the budget nonsense
  });
  after(async () => {
    await proxy?.close();
    await prism?.stop();
  });

  test("KatapultPublicClient.operations lists exactly the Public document's operations", () => {
    const documented = documentOperations(spec).map((o) => `${o.method.toUpperCase()} ${o.path} ${o.id}`);
    const listed = KatapultPublicClient.operations.map((o) => `${o.method} ${o.path} ${o.operationId}`);
    assert.deepEqual(listed, documented);
    assert.equal(listed.length, 6);
  });

  test(`every Public API operation: built from the document, valid to Prism, its example and ${RUNS} dynamic answers decode`, async () => {
    const problems = [];
    let requests = 0;
    let decoded = 0;
    for (const entry of documentOperations(spec)) {
      const params = exampleParams(spec, entry.op);
      const start = proxy.seen.length;
      const attempt = async (label, call) => {
        try {
          const result = await call();
          assert.equal(typeof result, "object", label);
          decoded += 1;
        } catch (e) {
          problems.push(`${label}: ${e.code}: ${e.message}`);
        }
      };
      proxy.setExtraHeaders({});
      await attempt(`${entry.id} (example)`, () => client.request(entry.id, params));
      proxy.setExtraHeaders({ prefer: "dynamic=true" });
      for (let i = 0; i < RUNS; i++) await attempt(entry.id, () => client.request(entry.id, params));
      const info = KatapultPublicClient.operations.find((o) => o.operationId === entry.id);
      await attempt(info.name, () => client[info.name](params));
      const seen = proxy.seen.slice(start);
      requests += seen.length;
      const violations = seen.flatMap((s) => s.violations).filter((v) => v.location?.[0] === "request");
      if (violations.length) problems.push(`${entry.id}:\n${describeViolations(violations)}`);
      for (const s of seen) {
        const sent = `${s.method} ${new URL(s.url, "http://x").pathname}`;
        if (sent !== `${entry.method.toUpperCase()} ${entry.path}`) problems.push(`${entry.id}: sent ${sent}`);
        if (s.headers.authorization !== undefined) problems.push(`${entry.id}: sent an Authorization header`);
      }
    }
    proxy.setExtraHeaders({});
    assert.deepEqual(problems, [], problems.join("\n"));
    assert.equal(requests, 6 * (RUNS + 2));
    console.log(`# 6 Public API operations, ${requests} requests, every one valid to Prism; ${decoded} answers decoded`);
  });

  test("the documented errors come back as KatapultError with their codes", async () => {
    proxy.setExtraHeaders({ prefer: "code=404" });
    try {
      await assert.rejects(
        client.postPricingEstimate(exampleParams(spec, spec.paths["/pricing/estimate"].post)),
        (e) => e.name === "KatapultError" && e.status === 404 && /_not_found$/.test(e.code),
      );
    } finally {
      proxy.setExtraHeaders({});
    }
  });
});
