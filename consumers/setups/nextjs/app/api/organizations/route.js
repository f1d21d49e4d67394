import { KatapultClient } from "katapult-wasm";

export const dynamic = "force-dynamic";

export async function GET() {
  const k = new KatapultClient({ token: process.env.KATAPULT_API_TOKEN, baseUrl: process.env.KATAPULT_BASE_URL });
  const { organizations } = await k.listOrganizations();
  return Response.json(organizations.map((o) => o.sub_domain));
}
