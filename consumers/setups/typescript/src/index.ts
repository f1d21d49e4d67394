// Strict TypeScript over the package: the client, an operation, the spec
// tools, the in-process mock; compiled under several resolutions and
// libraries.
import { KatapultClient, KatapultError, KatapultPublicClient, operations, ready, type OperationId, type Public } from "katapult-wasm";
import { buildSpecXml } from "katapult-wasm/spec";
import { createMockKatapult } from "katapult-wasm/testing";

export async function main(signal: { readonly aborted: boolean; addEventListener(type: "abort", listener: () => void): void; removeEventListener(type: "abort", listener: () => void): void }): Promise<string> {
  await ready();
  const k = new KatapultClient({ token: () => "demo-token" });
  const { organizations } = await k.listOrganizations({ signal });
  const id: OperationId = operations[0].operationId;
  const disks = await k.request("get:virtual_machine_disks", { virtual_machine: { id: "vm_x" } });
  try {
    await k.getVirtualMachine({ id: "vm_x" });
  } catch (e) {
    if (e instanceof KatapultError) return e.code;
  }
  // The Public API: no token, its own operations and types.
  const packages: Public.VirtualMachinePackage[] = await new KatapultPublicClient().paginate("get:virtual_machine_packages");
  return [organizations.length, id, disks.pagination.total, packages.length, buildSpecXml({ hostname: "web-1" })].join();
}

/** A test's client on the in-process mock, with a fault. */
export function mocked(): KatapultClient {
  const mock = createMockKatapult({ seed: "empty" });
  mock.fault({ operationId: "get:organizations", status: 503, times: 1 });
  return new KatapultClient({ token: mock.token, fetch: mock.fetch });
}
