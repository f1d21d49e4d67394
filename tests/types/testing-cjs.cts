// katapult-wasm/testing through CommonJS `require` typings (testing.d.cts).
import testing = require("katapult-wasm/testing");
import katapult = require("katapult-wasm");

export function usage(): string {
  const mock = testing.createMockKatapult({ seed: "default" });
  const k = new katapult.KatapultClient({ token: mock.token, fetch: mock.fetch });
  const fault: testing.MockFault = { operationId: "get:task", latencyMs: 1 };
  mock.fault(fault);
  // @ts-expect-error latencyMs is a number
  testing.createMockKatapult({ latencyMs: "5" });
  void k;
  return mock.calls.map((c: testing.MockCall) => c.url).join();
}
