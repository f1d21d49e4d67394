// Strict TypeScript: the waits of API.md "Waiting for resources" infer
// their answer from the operation, take the document's states (and any
// other string), and reject what is no GET operation.
import { KatapultClient, type VirtualMachine, type Result } from "katapult-wasm";
import { type Equals, assertType } from "./assert.mjs";

declare const k: KatapultClient;

export async function waits(): Promise<void> {
  // The predicate gets the operation's answer; the wait resolves with it.
  const answer = await k.waitUntil("get:virtual_machine", { virtual_machine: { id: "vm_x" } },
    (a) => a.virtual_machine.state === "started", { intervalMs: 500, pendingOn: ["virtual_machine_not_found"], onProgress: (a) => a.virtual_machine.id });
  assertType<Equals<typeof answer, Result<"get:virtual_machine">>>();
  await k.waitUntil("get:task", { task: { id: "task_x" } }, async (a) => a.task.status === "completed");
  // @ts-expect-error waitUntil polls GET operations only
  await k.waitUntil("post:virtual_machine_start", { virtual_machine: { id: "vm_x" } }, () => true);

  const vm = await k.waitForVirtualMachineState({ fqdn: "web-1.example" }, ["started", "allocated", "some-new-state"], { timeoutMs: 600_000 });
  assertType<Equals<typeof vm, VirtualMachine>>();
  const { virtual_machine } = await k.getVirtualMachine({ id: "vm_x" });
  await k.waitForVirtualMachineState({ id: virtual_machine.id }, [virtual_machine.state]);

  const purged = await k.purgeTrashObject("trsh_x", { wait: true, onProgress: (t) => t.id });
  assertType<Equals<typeof purged, Result<"delete:trash_object">>>();
}
