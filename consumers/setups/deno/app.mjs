import { KatapultClient } from "katapult-wasm";

const k = new KatapultClient({ token: process.env.KATAPULT_API_TOKEN, baseUrl: process.env.KATAPULT_BASE_URL });
const { organizations } = await k.listOrganizations();
console.log(organizations.map((o) => o.sub_domain).join(","));
