// A strict TypeScript consumer of every operation (ESM): `request` and the
// named methods are typed from the OpenAPI document, so a wrong
// operationId, a wrong argument name, a missing required argument and a
// wrong result field are compile errors.
import {
  KatapultClient,
  operations,
  type GetVirtualMachineDisks200ResponseDisks,
  type OperationId,
  type OperationInfo,
  type Operations,
  type PaginatedOperationId,
  type Task,
} from "katapult-wasm";
import { type Equals, assertType, exact } from "./assert.mjs";


export async function usage(): Promise<void> {
  // A token function, for short-lived OAuth2 tokens.
  const k = new KatapultClient({ token: async () => "short-lived", baseUrl: "https://api.katapult.io/core/v1" });
  const ac = new AbortController();

  const disks = await k.request("get:virtual_machine_disks", { virtual_machine: { id: "vm_x" }, page: 2 }, { signal: ac.signal });
  assertType<Equals<typeof disks, Operations["get:virtual_machine_disks"]["result"]>>();
  const firstId: string | undefined = disks.disks[0]?.disk?.id;
  const total: number | null | undefined = disks.pagination.total;
  await k.request("get:organizations");
  await k.request("get:data_centers");
  const updated = await k.request("patch:virtual_machine", { virtual_machine: { fqdn: "web-1" }, properties: { name: "web", tag_names: ["a"] } });
  const name: string | undefined = updated.virtual_machine.name;
  const keys: string = await k.request("get:virtual_machine_authorized_keys");

  // @ts-expect-error not an operationId
  await k.request("get:virtual_machine_disk", {});
  // @ts-expect-error a wrong argument name
  await k.request("get:virtual_machine_disks", { virtul_machine: { id: "vm_x" } });
  // @ts-expect-error properties is required
  await k.request("patch:virtual_machine", { virtual_machine: { id: "vm_x" } });
  // @ts-expect-error lookups take exactly one key
  await k.request("get:virtual_machine_disks", { virtual_machine: { id: "a", fqdn: "b" } });
  // @ts-expect-error page is a number
  await k.request("get:virtual_machine_disks", { page: "2" });
  // @ts-expect-error no such result field
  exact(disks.diskz);
  // @ts-expect-error a disk's id is a string
  const wrong: number | undefined = disks.disks[0]?.disk?.id;

  // Named methods: the path's subjects first, the rest and the signal after.
  const named = await k.getVirtualMachineDisks({ id: "vm_x" }, { page: 2, signal: ac.signal });
  assertType<Equals<typeof named, typeof disks>>();
  await k.patchVirtualMachine({ id: "vm_x" }, { properties: { description: "Web server" } });
  await k.getVirtualMachineNetworkInterface({ id: "vm_x" }, { id: "netw_x" });
  const session = await k.postVirtualMachineConsoleSessions({ id: "vm_x" });
  const url: string | undefined = session.console_session.url;
  // @ts-expect-error the subject is required
  await k.getVirtualMachineDisks();
  // @ts-expect-error properties is required
  await k.patchVirtualMachine({ id: "vm_x" });
  // @ts-expect-error options use the API's names
  await k.getVirtualMachineDisks({ id: "vm_x" }, { perPage: 5 });

  // Walks over every page, for any paginated operation.
  const all = await k.paginate("get:virtual_machine_disks", { virtual_machine: { id: "vm_x" } }, { per_page: 50, concurrency: 4, onProgress: (n: number, of: number | null) => exact([n, of]) });
  assertType<Equals<typeof all, GetVirtualMachineDisks200ResponseDisks[]>>();
  for await (const ip of k.iterate("get:organization_ip_addresses", { organization: { sub_domain: "acme" } })) {
    const address: string | undefined = ip.address;
    exact(address);
    break;
  }
  // @ts-expect-error not a paginated operation
  await k.paginate("get:virtual_machine", { virtual_machine: { id: "vm_x" } });
  // @ts-expect-error the walk sets the page itself
  await k.paginate("get:virtual_machine_disks", { page: 2 });
  const walkable: PaginatedOperationId = "get:organization_disks";

  // Waiting on any operation's task, the task itself or its id.
  const { task } = await k.request("post:virtual_machine_start", { virtual_machine: { id: "vm_x" } });
  const done = await k.waitForTask(task, { intervalMs: 500, onProgress: (t) => exact(t.status) });
  assertType<Equals<typeof done, Task>>();
  await k.waitForTask("task_x");

  // The operation list.
  const info: readonly OperationInfo[] = operations;
  const id: OperationId = operations[0].operationId;
  exact([firstId, total, name, keys, wrong, url, walkable, info, id]);
}
