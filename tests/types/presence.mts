// Strict TypeScript: the answer types say what the live API sends
// (API.md "Decoding": fields recorded live at every place are typed
// present, per place), the helper types for wrappers (`Params`, `Result`,
// `ErrorCode`), and `detail` typed per error code (API.md "Errors").
import {
  KatapultClient,
  KatapultError,
  isKatapultError,
  type ApiErrorCode,
  type Country,
  type DataCenter,
  type ErrorCode,
  type ErrorDetails,
  type KatapultErrorCode,
  type Operations,
  type PaginatedOperations,
  type Params,
  type Result,
  type Task,
  type TaskStatusEnum,
  type TrashObject,
  type VirtualMachineSummary,
} from "katapult-wasm";
import { type Equals, assertType, exact } from "./assert.mjs";

declare const k: KatapultClient;

export async function presence(): Promise<void> {
  // A VM list item: what the live API always sends is present.
  const page = await k.listVirtualMachines({ sub_domain: "acme" });
  const vm = page.virtual_machines[0]!;
  assertType<Equals<typeof vm, VirtualMachineSummary>>();
  assertType<Equals<typeof vm.id, string>>();
  assertType<Equals<typeof vm.name, string>>();
  assertType<Equals<typeof vm.fqdn, string>>();
  assertType<Equals<typeof vm.zone.data_center.name, string>>();
  // ... and what it never sent is not: a list item's data center has no country.
  const country: Country | undefined = vm.zone.data_center.country;
  // @ts-expect-error country is optional in a list item
  const sure: Country = vm.zone.data_center.country;
  // @ts-expect-error a list item has no state (not in the item's schema)
  exact(vm.state);
  // The item's id goes straight into the next call.
  const { virtual_machine } = await k.getVirtualMachine({ id: vm.id });
  assertType<Equals<typeof virtual_machine.id, string>>();
  // Every page item of a walk is the same type.
  assertType<Equals<PaginatedOperations["get:organization_virtual_machines"], VirtualMachineSummary>>();
  for await (const item of k.iterate("get:organization_virtual_machines", { organization: { sub_domain: "acme" } })) {
    await k.getVirtualMachine({ fqdn: item.fqdn });
    break;
  }

  // Tasks: the task an action returns has its id, for getTask.
  const { task } = await k.shutdownVirtualMachine({ id: vm.id });
  assertType<Equals<typeof task.id, string>>();
  const polled = await k.getTask(task.id);
  await k.getTask(task);
  assertType<Equals<typeof polled.task.id, string>>();
  assertType<Equals<typeof polled.task.status, TaskStatusEnum>>();
  assertType<Equals<Result<"get:task">["task"]["id"], string>>();
  // A place's own type is still the named type's (a variant is assignable to its base).
  const asTask: Task = polled.task;
  // The base keeps only what every place has: the named Task's id stays optional.
  assertType<Equals<Task["id"], string | undefined>>();

  // Deleting: the trash object's id, for restoreTrashObject.
  const deleted = await k.deleteVirtualMachine({ id: vm.id });
  assertType<Equals<typeof deleted.trash_object.id, string>>();
  await k.restoreTrashObject(deleted.trash_object.id);
  const asTrash: TrashObject = deleted.trash_object;

  // One named type at several places: the data center of an IP's network
  // was always sent with its country; a list item's never was.
  const ip = await k.request("get:ip_address", { ip_address: { id: "ip_x" } });
  const dc = ip.ip_address.network.data_center;
  assertType<Equals<typeof dc.country.name, string>>();
  const asDataCenter: DataCenter = dc;
  assertType<Equals<DataCenter["name"], string | undefined>>();

  // An operation never recorded live: only the document's `required`.
  const tokens = await k.request("get:organization_api_tokens", { organization: { sub_domain: "acme" } });
  assertType<Equals<(typeof tokens.api_tokens)[number]["id"], string | undefined>>();

  exact([country, sure, asTask, asTrash, asDataCenter]);
}

export async function helpers(): Promise<void> {
  // Params, Result and ErrorCode, for wrappers.
  const params: Params<"get:disk"> = { disk: { id: "disk_x" } };
  assertType<Equals<Params<"get:disk">, Operations["get:disk"]["params"]>>();
  // @ts-expect-error a disk lookup takes exactly one key
  const both: Params<"get:disk"> = { disk: { id: "disk_x", name: "d" } };
  const disk: Result<"get:disk"> = await k.request("get:disk", params);
  assertType<Equals<Result<"get:disk">, Operations["get:disk"]["result"]>>();
  assertType<Equals<typeof disk.disk.id, string>>();
  async function call<K extends "get:disk" | "get:task">(id: K, p: Params<K>): Promise<Result<K>> {
    return k.request(id, ...([p] as [Params<K>]));
  }
  exact(call);

  const notFound: ErrorCode<"get:disk"> = "disk_not_found";
  const inTrash: ErrorCode<"get:disk"> = "object_in_trash";
  const client: ErrorCode<"get:disk"> = "timeout";
  const limited: ErrorCode<"get:disk"> = "rate_limit_reached";
  // @ts-expect-error getDisk documents no virtual_machine_not_found
  const other: ErrorCode<"get:disk"> = "virtual_machine_not_found";
  assertType<Equals<Extract<ErrorCode<"get:disk">, "disk_not_found" | "task_failed" | "aborted">, "disk_not_found" | "task_failed" | "aborted">>();
  const api: ApiErrorCode = "deletion_restricted";
  const any: KatapultErrorCode = "a_code_from_a_newer_api";
  exact([both, notFound, inTrash, client, limited, other, api, any]);
}

export async function details(): Promise<void> {
  try {
    await k.getVirtualMachine({ id: "vm_x" });
  } catch (e) {
    if (isKatapultError(e, "validation_error")) {
      assertType<Equals<typeof e.code, "validation_error">>();
      const errors = e.detail?.errors;
      assertType<Equals<typeof errors, string[] | undefined>>();
      // @ts-expect-error a validation error's detail has no total_permitted
      exact(e.detail?.total_permitted);
    }
    if (isKatapultError(e, "rate_limit_reached")) {
      assertType<Equals<typeof e.detail, { total_permitted?: number } | null>>();
    }
    if (isKatapultError(e, "object_in_trash")) {
      const trashed: TrashObject | null | undefined = e.detail?.trash_object;
      exact(trashed);
    }
    if (isKatapultError(e, "scope_not_granted")) {
      const scopes: string[] | undefined = e.detail?.scopes;
      exact(scopes);
    }
    if (isKatapultError(e, "task_failed")) {
      const failed = e.detail?.task;
      assertType<Equals<typeof failed, Result<"get:task">["task"] | undefined>>();
    }
    if (isKatapultError(e, "build_failed")) {
      const build = e.detail?.virtual_machine_build;
      assertType<Equals<typeof build, Result<"get:virtual_machines_builds_virtual_machine_build">["virtual_machine_build"] | undefined>>();
    }
    if (isKatapultError(e, "timeout")) {
      assertType<Equals<typeof e.detail, null>>();
    }
    if (isKatapultError(e, "disk_not_found")) {
      assertType<Equals<typeof e.detail, Record<string, unknown> | null>>();
    }
    // A code the document does not list: any object.
    if (isKatapultError(e, "a_code_from_a_newer_api")) {
      assertType<Equals<typeof e.detail, Record<string, unknown> | null>>();
    }
    // Without a code, or by instanceof: every code, detail any object (not `any`).
    if (isKatapultError(e)) {
      assertType<Equals<typeof e.code, KatapultErrorCode>>();
      assertType<Equals<typeof e.detail, Record<string, unknown> | null>>();
    }
    if (e instanceof KatapultError) {
      assertType<Equals<typeof e.code, KatapultErrorCode>>();
      assertType<Equals<typeof e.detail, Record<string, unknown> | null>>();
      // A narrowed error is still a KatapultError.
      if (isKatapultError(e, "validation_error")) {
        const general: KatapultError = e;
        exact(general);
      }
    }
  }
  assertType<Equals<ErrorDetails["validation_error"], { errors?: string[] }>>();
}
