import { setupServer } from "msw/node";
import { http, HttpResponse } from "msw";
import { KatapultClient } from "katapult-wasm";

// msw answers the client's requests: the client calls the global fetch
// at call time, so nothing needs to be passed to it.
const server = setupServer(
  http.get("https://api.katapult.io/core/v1/organizations", ({ request }) =>
    request.headers.get("authorization") === "Bearer test-token"
      ? HttpResponse.json({ organizations: [{ id: "org_1", name: "Acme", sub_domain: "acme" }] })
      : HttpResponse.json({ error: { code: "invalid_api_token", description: "Bad token" } }, { status: 403 })),
);
server.listen({ onUnhandledRequest: "error" });

const k = new KatapultClient({ token: "test-token" });
const { organizations } = await k.listOrganizations();
console.log(organizations.map((o) => o.sub_domain).join(","));
server.close();
