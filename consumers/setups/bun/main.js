import { KatapultClient } from "katapult-wasm";

const k = new KatapultClient({ token: "demo-token", baseUrl: `${location.origin}/core/v1` });
k.listOrganizations().then(({ organizations }) => {
  document.body.dataset.result = organizations.map((o) => o.sub_domain).join(",");
});
