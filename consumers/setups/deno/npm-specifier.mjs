import { KatapultClient } from "npm:katapult-wasm";

const k = new KatapultClient({ token: Deno.env.get("KATAPULT_API_TOKEN"), baseUrl: Deno.env.get("KATAPULT_BASE_URL") });
const { organizations } = await k.listOrganizations();
console.log(organizations.map((o) => o.sub_domain).join(","));
