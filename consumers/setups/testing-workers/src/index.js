// A Worker whose client answers from katapult-wasm/testing in-process (the
// "workerd" condition: its module imported as a WebAssembly.Module).
import { KatapultClient } from "katapult-wasm";
import { createMockKatapult } from "katapult-wasm/testing";

export default {
  async fetch() {
    const mock = createMockKatapult();
    const k = new KatapultClient({ token: mock.token, fetch: mock.fetch, maxRetries: 0 });
    const { organizations } = await k.listOrganizations();
    mock.fault({ operationId: "get:organizations", status: 503, times: 1 });
    const code = await k.listOrganizations().then(() => "resolved", (e) => e.code);
    return new Response(`${organizations.length > 0} ${code} ${mock.calls.length}`);
  },
};
