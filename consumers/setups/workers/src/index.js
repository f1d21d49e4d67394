import { KatapultClient } from "katapult-wasm";

export default {
  async fetch(request, env) {
    const k = new KatapultClient({ token: env.KATAPULT_API_TOKEN, baseUrl: env.KATAPULT_BASE_URL });
    const { organizations } = await k.listOrganizations();
    return new Response(organizations.map((o) => o.sub_domain).join(","));
  },
};
