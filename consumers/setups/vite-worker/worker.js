import { KatapultClient } from "katapult-wasm";

self.onmessage = async (event) => {
  const k = new KatapultClient({ token: "demo-token", baseUrl: event.data.baseUrl });
  const { organizations } = await k.listOrganizations();
  self.postMessage(organizations.map((o) => o.sub_domain).join(","));
};
