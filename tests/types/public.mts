// Strict TypeScript: KatapultPublicClient (API.md "Public API") takes no
// token, types each Public API operation from the Public document (not the
// core's: both have get:virtual_machine_packages), and lists its own
// operations.
import { KatapultPublicClient, publicOperations, isKatapultError, type Public, type PublicOperationId, type KatapultClient, type Result } from "katapult-wasm";
import { type Equals, assertType } from "./assert.mjs";

export async function pricing(): Promise<void> {
  const client = new KatapultPublicClient();
  new KatapultPublicClient({ baseUrl: "http://localhost:8080/public/v1", maxRetries: 1, rateLimit: false });
  // @ts-expect-error the Public API takes no token
  new KatapultPublicClient({ token: "x" });

  const { data_centers } = await client.getDataCenters();
  assertType<Equals<(typeof data_centers)[number], Public.DataCenter>>();
  const { prices } = await client.request("get:pricing_prices");
  for (const price of prices) void price;
  const { estimate } = await client.postPricingEstimate({
    customer_name: "Reseller",
    customer_type: "business",
    currency: { iso_code: "GBP" },
    country: { iso_code2: "GB" },
    resources: [],
  });
  assertType<Equals<typeof estimate, Public.Operations["post:pricing_estimate"]["result"]["estimate"]>>();

  // The Public document's packages, not the core's.
  const packages = await client.paginate("get:virtual_machine_packages");
  assertType<Equals<(typeof packages)[number], Public.PaginatedOperations["get:virtual_machine_packages"]>>();
  for await (const p of client.iterate("get:virtual_machine_packages", {}, { per_page: 10 })) void p.id;
  const id: PublicOperationId = publicOperations[0].operationId;
  void id;
  assertType<Equals<typeof KatapultPublicClient.operations, typeof publicOperations>>();

  // Its errors and hooks name its own operations, and their details are typed.
  try {
    await client.postPricingEstimate({ customer_name: "R", customer_type: "consumer", currency: { iso_code: "GBP" }, country: { iso_code2: "GB" }, resources: [] });
  } catch (e) {
    if (isKatapultError(e) && e.operationId === "post:pricing_estimate") void e.status;
    if (isKatapultError(e, "invalid_estimate_resource")) {
      assertType<Equals<NonNullable<typeof e.detail>, Public.ErrorDetails["invalid_estimate_resource"]>>();
    }
  }
  new KatapultPublicClient({ hooks: { onRequest: (info) => void (info.operationId === "get:stats") } });

  // @ts-expect-error a Core API operation is not the Public API's
  await client.request("get:organizations");
  // @ts-expect-error the core's walks and waits are the core client's
  client.waitForTask("task_x");
}

/** The core client's get:virtual_machine_packages answer is its own type. */
export function apart(core: KatapultClient): void {
  assertType<Equals<Equals<Result<"get:virtual_machine_packages">, Public.Operations["get:virtual_machine_packages"]["result"]>, false>>();
  // @ts-expect-error the core client has no Public API operation
  void core.getStats;
}
