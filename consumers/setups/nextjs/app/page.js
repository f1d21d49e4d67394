import { KatapultClient } from "katapult-wasm";

export const dynamic = "force-dynamic";

export default async function Page() {
  const k = new KatapultClient({ token: process.env.KATAPULT_API_TOKEN, baseUrl: process.env.KATAPULT_BASE_URL });
  const { organizations } = await k.listOrganizations();
  return <ul id="organizations">{organizations.map((o) => <li key={o.id}>{o.sub_domain}</li>)}</ul>;
}
