// The named methods: one per operation of the generated table
// (src/generated/operations.js: [operationId, path, items, task,
// ...subjects]), `getVirtualMachineDisks(vm, { page, signal })`, plus the
// overlay of API.md's "Named methods", which keep their own names and
// argument shapes. Each is a `call` of client.js with the arguments laid
// out as the module's `kw_prepare` kind for it says (src/exports/calls.rs).
// Returns `operations`.
import { toJson } from "./encode.js";

const INVOKE = 1;
const VM = 2;
const LIST_VMS = 3;
const BUILD = 4;
const BY_ID = 5;

/** API.md's named methods: [name, operationId, kind, by-id key]. */
const OVERLAY = [
  ["listOrganizations", "get:organizations", INVOKE],
  ["listVirtualMachines", "get:organization_virtual_machines", LIST_VMS],
  ["getVirtualMachine", "get:virtual_machine", VM],
  ["deleteVirtualMachine", "delete:virtual_machine", VM],
  ["shutdownVirtualMachine", "post:virtual_machine_shutdown", VM],
  ["startVirtualMachine", "post:virtual_machine_start", VM],
  ["stopVirtualMachine", "post:virtual_machine_stop", VM],
  ["resetVirtualMachine", "post:virtual_machine_reset", VM],
  ["buildVirtualMachineFromSpec", "post:organization_virtual_machines_build_from_spec", BUILD],
  ["getTask", "get:task", BY_ID, "task"],
  ["getVirtualMachineBuild", "get:virtual_machines_builds_virtual_machine_build", BY_ID, "virtual_machine_build"],
  ["restoreTrashObject", "post:trash_object_restore", BY_ID, "trash_object"],
];

const camel = (id) =>
  id.split(/[^A-Za-z0-9]+/).filter(Boolean).map((w, i) => (i ? w[0].toUpperCase() + w.slice(1) : w)).join("");

/**
 * Defines the overlay and every operation's method on the class made by
 * `makeClient`; `specXml(spec)` resolves a spec object to its XML (the spec
 * tools load only when one is passed). Returns the frozen `operations`.
 */
export function installMethods({ KatapultClient, call, opIndex, define }, table, specXml) {
  const proto = KatapultClient.prototype;
  for (const [name, operationId, kind, key] of OVERLAY) {
    const op = opIndex(operationId);
    switch (kind) {
      case INVOKE:
        define(name, function (options) {
          return call(this, op, INVOKE, () => `[[],${toJson(options, "options")}]`, options);
        });
        break;
      case VM:
        define(name, function (vm, options) {
          return call(this, op, VM, () => `[${toJson(vm, "vm")},${toJson(options, "options")}]`, options);
        });
        break;
      case LIST_VMS:
        define(name, function (org, options) {
          return call(this, op, LIST_VMS, () => `[${toJson(org, "org")},${toJson(options, "options")}]`, options);
        });
        break;
      case BUILD:
        define(name, async function (org, spec, options) {
          let xml = spec;
          if (spec !== null && typeof spec === "object") xml = await specXml(spec);
          return call(this, op, BUILD, () => `[${toJson(org, "org")},${toJson(xml, "spec")},${toJson(options, "options")}]`, options);
        });
        break;
      case BY_ID:
        define(name, function (id, options) {
          return call(this, op, BY_ID, () => `[${JSON.stringify(key)},${toJson(id, "id")},${toJson(options, "options")}]`, options);
        });
        break;
    }
  }
  // Defined at import, not on first use: tools that list a class's methods
  // (sinon.createStubInstance, jest's automock) and frozen prototypes need
  // them there.
  return Object.freeze(
    table.map(([operationId, path, items, task, ...subjects], i) => {
      const name = camel(operationId);
      if (!Object.prototype.hasOwnProperty.call(proto, name)) {
        const n = subjects.length;
        define(name, function (...args) {
          const options = args[n];
          return call(this, i, INVOKE, () => {
            const options_ = toJson(options, "options");
            const given = subjects.map((subject, k) => toJson(args[k], subject));
            return `[[${given.join(",")}],${options_}]`;
          }, options);
        });
      }
      const method = operationId.slice(0, operationId.indexOf(":")).toUpperCase();
      return Object.freeze({ operationId, method, path, name, items: items || null, task: task === 1 });
    }),
  );
}
