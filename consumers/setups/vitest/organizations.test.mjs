import { expect, test } from "vitest";
import { KatapultClient } from "katapult-wasm";

test("lists the organizations", async () => {
  const k = new KatapultClient({ token: process.env.KATAPULT_API_TOKEN, baseUrl: process.env.KATAPULT_BASE_URL });
  const { organizations } = await k.listOrganizations();
  expect(organizations.map((o) => o.sub_domain)).toContain("acme");
});
