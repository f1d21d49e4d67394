// Every operation of the document, through the package, against Prism
// serving the same document: the request the client builds from arguments
// taken from the document passes Prism's request validation, and Prism's
// random schema-conforming answers (`Prefer: dynamic=true`) decode. Driven
// by the document and by the package's `operations`, so a new operation
// is covered with no change here.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { describeViolations, specExists, specPath, startPrism } from "./prism.mjs";
import { startProxy } from "./proxy.mjs";
import { documentOperations, exampleParams, loadSpec, subjectsOf, OWN_SIGNATURES } from "./examples.mjs";

const skip = specExists() ? false : `SKIP contract: OpenAPI document not found at ${specPath()}`;
const RUNS = 6;

describe("every operation against Prism", { skip }, () => {
  let prism, proxy, k, operations, KatapultClient;
  before(async () => {
    ({ KatapultClient, operations } = await import("katapult-wasm"));
    prism = await startPrism({ spec: specPath() });
    proxy = await startProxy(prism.url);
    k = new KatapultClient({ token: "contract-token", baseUrl: proxy.url, maxRetries: 0, rateLimit: false }); // Prism's random 429s and headers would teach the budget nonsense
  });
  after(async () => {
    await proxy?.close();
    await prism?.stop();
  });

  test("the package lists exactly the document's operations", () => {
    const documented = documentOperations().map((o) => `${o.method.toUpperCase()} ${o.path} ${o.id}`);
    const listed = operations.map((o) => `${o.method} ${o.path} ${o.operationId}`);
    assert.deepEqual(listed, documented);
  });

  // Prism cannot answer every schema of the document: it overflows its stack
  // on the recursive disk template schemas, and its random data for a oneOf
  // of all-optional objects fails its own "exactly one" check. Such an
  // answer is Prism's 500 (its own error), not the API's; the request was
  // still checked. The answers of those operations are covered by the
  // property tests (tests/answer_properties.rs), which build bodies for
  // every answer type.
  // (The API never answers application/problem+json: that is Prism's own.)
  const prismCannotAnswer = (seen) =>
    seen.contentType.includes("problem+json")
    || seen.violations.some((v) => v.location?.[0] === "prism" || v.location?.[0] === "response");

  test(`every operation: built from the document, valid to Prism, and ${RUNS} dynamic answers decode`, async () => {
    const spec = loadSpec();
    const problems = [];
    const unanswerable = new Set();
    let requests = 0;
    let decoded = 0;
    let text = 0;
    for (const entry of documentOperations(spec)) {
      const params = exampleParams(spec, entry.op);
      const start = proxy.seen.length;
      proxy.setExtraHeaders({ prefer: "dynamic=true" });
      const isText = Object.values(entry.op.responses).some((r) => r.content?.["text/plain"]);
      const attempt = async (label, call) => {
        const before = proxy.seen.length;
        try {
          const result = await call();
          if (typeof result === "string") text += 1;
          else assert.equal(typeof result, "object");
          if (isText !== (typeof result === "string")) problems.push(`${label}: resolved to ${typeof result}`);
          decoded += 1;
        } catch (e) {
          const seen = proxy.seen.slice(before);
          if (seen.length && seen.every(prismCannotAnswer)) unanswerable.add(entry.id);
          else problems.push(`${label}: ${e.code}: ${e.message}`);
        }
      };
      for (let i = 0; i < RUNS; i++) await attempt(entry.id, () => k.request(entry.id, params));
      // The named method sends the same request.
      const info = operations.find((o) => o.operationId === entry.id);
      const subjects = subjectsOf(spec, entry);
      if (!OWN_SIGNATURES.has(info.name)) {
        const rest = Object.fromEntries(Object.entries(params).filter(([key]) => !subjects.includes(key)));
        await attempt(info.name, () => k[info.name](...subjects.map((s) => params[s]), rest));
      }
      const seen = proxy.seen.slice(start);
      requests += seen.length;
      // What Prism says of the request itself must be nothing.
      const violations = seen.flatMap((s) => s.violations).filter((v) => v.location?.[0] === "request");
      if (violations.length) problems.push(`${entry.id}:\n${describeViolations(violations)}`);
      for (const s of seen) {
        const sent = `${s.method} ${new URL(s.url, "http://x").pathname}`;
        if (sent !== `${entry.method.toUpperCase()} ${entry.path}`) problems.push(`${entry.id}: sent ${sent}`);
      }
    }
    proxy.setExtraHeaders({});
    assert.deepEqual(problems, [], problems.slice(0, 10).join("\n"));
    // Every answer of the text/plain operation resolved to its text (checked
    // above); all of them did unless Prism could not answer some.
    const textIds = documentOperations(spec).filter((e) => Object.values(e.op.responses).some((r) => r.content?.["text/plain"])).map((e) => e.id);
    if (!textIds.some((id) => unanswerable.has(id))) assert.equal(text, RUNS + 1, "the one text/plain operation resolves to its text");
    assert.ok(text > 0 || textIds.every((id) => unanswerable.has(id)), "the text/plain operation resolved to text at least once");
    assert.ok(unanswerable.size <= 20, `Prism could not answer ${unanswerable.size} operations: ${[...unanswerable].join(", ")}`);
    console.log(`# ${documentOperations().length} operations, ${requests} requests, every one valid to Prism; ${decoded} answers decoded; Prism could not generate answers for ${unanswerable.size}: ${[...unanswerable].join(", ")}`);
  });
});
