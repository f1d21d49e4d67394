import { KatapultClient, KatapultPublicClient } from "katapult-wasm";

const k = new KatapultClient({ token: process.env.KATAPULT_API_TOKEN, baseUrl: process.env.KATAPULT_BASE_URL });
const { organizations } = await k.listOrganizations();
// The Public API needs no token (here on the same host as the Core API).
const pub = new KatapultPublicClient({ baseUrl: process.env.KATAPULT_BASE_URL.replace(/\/core\/v1$/, "/public/v1") });
const { data_centers } = await pub.getDataCenters();
console.log(`${organizations.map((o) => o.sub_domain).join(",")} public:${data_centers.map((d) => d.permalink).join(",")}`);
