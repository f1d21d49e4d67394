const { KatapultClient } = require("katapult-wasm");

const k = new KatapultClient({ token: process.env.KATAPULT_API_TOKEN, baseUrl: process.env.KATAPULT_BASE_URL });
k.listOrganizations().then(({ organizations }) => console.log(organizations.map((o) => o.sub_domain).join(",")));
