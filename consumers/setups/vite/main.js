import { KatapultClient, KatapultPublicClient } from "katapult-wasm";

// No top-level await: Vite 6's default build target predates it.
const k = new KatapultClient({ token: "demo-token", baseUrl: `${location.origin}/core/v1` });
// The Public API, with no token, on the same origin.
const pub = new KatapultPublicClient({ baseUrl: `${location.origin}/public/v1` });
Promise.all([k.listOrganizations(), pub.getDataCenters()]).then(([{ organizations }, { data_centers }]) => {
  document.body.dataset.result = `${organizations.map((o) => o.sub_domain).join(",")} public:${data_centers.map((d) => d.permalink).join(",")}`;
});
