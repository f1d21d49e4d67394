import { KatapultClient, KatapultPublicClient } from "katapult-wasm";

export default {
  async fetch(request, env) {
    const k = new KatapultClient({ token: env.KATAPULT_API_TOKEN, baseUrl: env.KATAPULT_BASE_URL });
    const { organizations } = await k.listOrganizations();
    // The Public API needs no token (here on the same host as the Core API).
    const pub = new KatapultPublicClient({ baseUrl: env.KATAPULT_BASE_URL.replace(/\/core\/v1$/, "/public/v1") });
    const { data_centers } = await pub.getDataCenters();
    return new Response(`${organizations.map((o) => o.sub_domain).join(",")} public:${data_centers.map((d) => d.permalink).join(",")}`);
  },
};
