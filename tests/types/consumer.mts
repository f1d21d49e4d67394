// A strict TypeScript consumer of the package (ESM). `tsc` must accept every
// line, and every `@ts-expect-error` line must really be an error.
import {
  KatapultClient,
  KatapultError,
  type GetVirtualMachine200ResponseVirtualMachine,
  type GetVirtualMachineResponse,
  type KatapultErrorCode,
  type ListVirtualMachinesResponse,
  type Task,
  type TaskStatus,
  type VirtualMachine,
  type VirtualMachineBuild,
  type VirtualMachineState,
  type VirtualMachineSummary,
} from "katapult-wasm";
import { type Equals, assertType, exact } from "./assert.mjs";

declare const xml: string;
declare const token: string;

export async function usage(): Promise<void> {
  const k = new KatapultClient({ token });
  // Only what the document requires is certain; everything else may be absent.
  const { pagination, virtual_machines } = await k.listVirtualMachines({ sub_domain: "acme" }, { per_page: 50 });
  const total: number | null | undefined = pagination.total;
  const first: VirtualMachineSummary | undefined = virtual_machines[0];
  const dataCenter: string | undefined = first?.zone?.data_center?.name;
  // What the live API always sends in a list item is typed present (API.md "Decoding")...
  const unchecked: string = first!.zone.data_center.name;
  // @ts-expect-error ...and what it never sent is not: a list item's data center has no country
  const country: string = first!.zone.data_center.country.name;
  const { virtual_machine } = await k.getVirtualMachine({ fqdn: "web-1.acme.katapult.cloud" });
  const vmId = virtual_machine.id ?? "vm_x";
  const { task } = await k.shutdownVirtualMachine({ id: vmId });
  const status: TaskStatus | undefined = task.status;
  const { trash_object } = await k.deleteVirtualMachine({ id: vmId });
  const keepUntil: number | undefined = trash_object.keep_until;
  const build = await k.buildVirtualMachineFromSpec({ sub_domain: "acme" }, xml, { annotations: [{ key: "team", value: "web" }] });
  const hostname: string = build.hostname;
  const ac = new AbortController();
  await k.getVirtualMachine({ id: "vm_x" }, { signal: ac.signal });
  await k.listVirtualMachines({ id: "org_x" }, { page: 2, annotations: [{ key: "a", value: "b" }], signal: ac.signal });
  await k.listOrganizations();
  const taskId = task.id ?? "task_x";
  const buildId = build.virtual_machine_build.id ?? "vmbuild_x";
  await k.getTask(taskId);
  await k.getVirtualMachineBuild(buildId);
  await k.restoreTrashObject(trash_object.id ?? "trsh_x");
  await k.startVirtualMachine({ id: "vm_x" });
  await k.stopVirtualMachine({ id: "vm_x" });
  await k.resetVirtualMachine({ fqdn: "x" });
  exact([dataCenter, unchecked, country]);

  // Waiters, auto-pagination and the iterator.
  const finished = await k.waitForTask(taskId, { intervalMs: 500, timeoutMs: 60_000, signal: ac.signal });
  assertType<Equals<typeof finished, Task>>();
  const built = await k.waitForVirtualMachineBuild(buildId);
  assertType<Equals<typeof built, VirtualMachineBuild>>();
  const everything = await k.listAllVirtualMachines({ sub_domain: "acme" }, {
    per_page: 100,
    concurrency: 8,
    onProgress: (loaded: number, total: number | null) => console.log(loaded, total),
  });
  assertType<Equals<typeof everything, VirtualMachineSummary[]>>();
  for await (const vm of k.virtualMachines({ sub_domain: "acme" }, { per_page: 50 })) {
    assertType<Equals<typeof vm, VirtualMachineSummary>>();
    break;
  }
  // @ts-expect-error the iterator takes no concurrency
  k.virtualMachines({ sub_domain: "acme" }, { concurrency: 2 });
  // @ts-expect-error intervalMs is a number
  await k.waitForTask(taskId, { intervalMs: "1s" });

  // Result types are exact, not `any`.
  assertType<Equals<Awaited<ReturnType<typeof k.getVirtualMachine>>, GetVirtualMachineResponse>>();
  assertType<Equals<Awaited<ReturnType<typeof k.listVirtualMachines>>, ListVirtualMachinesResponse>>();
  assertType<Equals<typeof virtual_machine, GetVirtualMachine200ResponseVirtualMachine>>();
  // Nullable and optional, as the document says; required keys are plain.
  assertType<Equals<VirtualMachine["description"], string | null | undefined>>();
  assertType<Equals<GetVirtualMachineResponse["annotations"], { key: string; value?: string }[]>>();

  // Enums autocomplete their known values and still accept new ones.
  const state: VirtualMachineState | undefined = virtual_machine.state;
  const known: VirtualMachineState = "shutting_down";
  const future: VirtualMachineState = "hibernating";

  try {
    await k.getVirtualMachine({ id: "vm_x" });
  } catch (e) {
    if (e instanceof KatapultError) {
      const code: KatapultErrorCode = e.code;
      const httpStatus: number = e.status;
      const requestId: string | null = e.requestId;
      const detail: Record<string, unknown> | null = e.detail;
      const message: string = e.message;
      exact([code, httpStatus, requestId, detail, message]);
    }
  }
  exact([total, first, status, keepUntil, hostname, state, known, future]);

  // Wrong uses are compile errors.
  // @ts-expect-error a token is required
  new KatapultClient({});
  // @ts-expect-error baseUrl is a string
  new KatapultClient({ token: "t", baseUrl: 5 });
  // @ts-expect-error lookups take exactly one key
  await k.getVirtualMachine({ id: "a", fqdn: "b" });
  // @ts-expect-error ids are strings
  await k.getVirtualMachine({ id: 1 });
  // @ts-expect-error an organization lookup is not a VM lookup
  await k.getVirtualMachine({ sub_domain: "acme" });
  // @ts-expect-error per_page is a number
  await k.listVirtualMachines({ sub_domain: "acme" }, { per_page: "50" });
  // @ts-expect-error options use the API's snake_case names
  await k.listVirtualMachines({ sub_domain: "acme" }, { perPage: 50 });
  // @ts-expect-error annotations are { key, value } objects
  await k.listVirtualMachines({ sub_domain: "acme" }, { annotations: ["team=web"] });
  // @ts-expect-error build needs the XML
  await k.buildVirtualMachineFromSpec({ sub_domain: "acme" });
  // @ts-expect-error nullable fields are not plain strings
  const description: string | undefined = virtual_machine.description;
  // @ts-expect-error the name is a string
  const name: number | undefined = virtual_machine.name;
  exact([description, name]);
}
