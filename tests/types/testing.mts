// A strict TypeScript user of katapult-wasm/testing (ESM): the mock's
// fetch is the client's fetch option and msw's handler answer, faults
// name real operationIds only, and `calls` is read-only.
import { KatapultClient, type OperationId, type PublicOperationId } from "katapult-wasm";
import { createMockKatapult, ready, type MockCall, type MockFault, type MockKatapult } from "katapult-wasm/testing";
import { type Equals, assertType } from "./assert.mjs";

export async function usage(): Promise<string> {
  await ready();
  const mock: MockKatapult = createMockKatapult({ seed: "empty", latencyMs: 5 });
  createMockKatapult();
  const k = new KatapultClient({ token: mock.token, fetch: mock.fetch });
  mock.fault({ operationId: "get:organizations", status: 503, times: 1 });
  mock.fault({ operationId: "post:virtual_machine_start", failTask: true });
  mock.fault({ operationId: "get:task", body: "<html>", status: 502, contentType: "text/html" });
  mock.fault({ drop: true, latencyMs: 10 });
  mock.fault({ status: 422, code: "validation_error", detail: { errors: ["x"] } });
  const fault: MockFault = { operationId: "get:disk", latencyMs: 1 };
  mock.fault(fault);
  // @ts-expect-error not an operation of the document
  mock.fault({ operationId: "get:nothing", status: 500 });
  // The Public API's faults name its own operations.
  mock.fault({ api: "public", status: 500 });
  mock.fault({ api: "public", operationId: "get:pricing_prices", latencyMs: 5 });
  // @ts-expect-error a Core API operation is not the Public API's
  mock.fault({ api: "public", operationId: "get:organizations", status: 500 });
  // @ts-expect-error a Public API operation needs api: "public"
  mock.fault({ operationId: "get:pricing_prices", status: 500 });
  // @ts-expect-error no such seed
  createMockKatapult({ seed: "acme" });
  // @ts-expect-error calls is read-only
  mock.calls.push({ operationId: null, method: "GET", url: "", body: null });
  const first = mock.calls[0];
  if (first) assertType<Equals<typeof first.operationId, OperationId | PublicOperationId | null>>();
  assertType<Equals<typeof mock.calls, readonly MockCall[]>>();
  // As an msw handler answers: a Request in, a Response out.
  const res: Response = await mock.fetch(new Request("https://api.katapult.io/core/v1/organizations"));
  mock.reset();
  const { organizations } = await k.listOrganizations();
  return `${res.status} ${organizations.length} ${mock.token}`;
}
