import { setupServer } from "msw/node";
import { http } from "msw";
import { KatapultClient } from "katapult-wasm";
import { createMockKatapult } from "katapult-wasm/testing";

const mock = createMockKatapult();
const server = setupServer(http.all("https://api.katapult.io/core/v1/*", ({ request }) => mock.fetch(request)));
server.listen({ onUnhandledRequest: "error" });

const k = new KatapultClient({ token: mock.token });
mock.fault({ operationId: "get:organizations", status: 503, times: 1 });
const { organizations } = await k.listOrganizations(); // retried past the 503
console.log(organizations.length > 0, mock.calls.map((c) => c.operationId).join(","));
server.close();
