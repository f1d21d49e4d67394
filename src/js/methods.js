// The named methods: one per operation of the generated table
// (src/generated/operations.js: [operationId, path, items, task, name,
// ...subjects]), `getVirtualMachineDisks(vm, { page, signal })`; the
// operations of API.md's "Named methods" take their own argument shapes. Each is a `call` of client.js with the arguments laid
// out as the module's `kw_prepare` kind for it says (src/exports/calls.rs).
// Returns `operations`.
import { toJson } from "./encode.js";
import { methodOf } from "./errors.js";

const INVOKE = 1;
const VM = 2;
const LIST_VMS = 3;
const BUILD = 4;
const BY_ID = 5;

/**
 * API.md's named methods, by operationId (their names are the table's):
 * [operationId, kind, the arguments' names (`options` last, always)]; a
 * BY_ID method's last element is the key of the object it takes by id,
 * written as the module expects it.
 */
const OVERLAY = [
  ["get:organizations", INVOKE, []],
  ["get:organization_virtual_machines", LIST_VMS, ["org"]],
  ["get:virtual_machine", VM, ["vm"]],
  ["delete:virtual_machine", VM, ["vm"]],
  ["post:virtual_machine_shutdown", VM, ["vm"]],
  ["post:virtual_machine_start", VM, ["vm"]],
  ["post:virtual_machine_stop", VM, ["vm"]],
  ["post:virtual_machine_reset", VM, ["vm"]],
  ["post:organization_virtual_machines_build_from_spec", BUILD, ["org", "spec"]],
  ["get:task", BY_ID, ["id"], "task"],
  ["get:virtual_machines_builds_virtual_machine_build", BY_ID, ["id"], "virtual_machine_build"],
  ["post:trash_object_restore", BY_ID, ["id"], "trash_object"],
];

/** The method of the operation at `i`: its subjects positionally, then the options. */
function invoker(call, i, subjects) {
  const n = subjects.length;
  return function (...args) {
    const options = args[n];
    return call(this, i, INVOKE, () => {
      const options_ = toJson(options, "options");
      const given = subjects.map((subject, k) => toJson(args[k], subject));
      return `[[${given.join(",")}],${options_}]`;
    }, options);
  };
}

/**
 * Defines the overlay and every operation's method on the class made by
 * `makeClient`; `specXml(spec)` resolves a spec object to its XML (the spec
 * tools load only when one is passed). Returns the frozen `operations`.
 */
export function installMethods({ KatapultClient, call, opIndex, define }, table, specXml) {
  const proto = KatapultClient.prototype;
  // The overlay is the Core API's (the Public API's client has none: specXml null).
  for (const [operationId, kind, names, key] of specXml ? OVERLAY : []) {
    const op = opIndex(operationId);
    const name = table[op][4];
    // The arguments as kw_prepare's kind lays them out: INVOKE wants the
    // (no) subjects as an array, BY_ID the object's key first.
    const head = kind === INVOKE ? ["[]"] : key ? [JSON.stringify(key)] : [];
    const args = (values) => () =>
      `[${[...head, ...names.map((n, i) => toJson(values[i], n)), toJson(values[names.length], "options")].join(",")}]`;
    define(name, kind === BUILD
      ? function (org, spec, options) {
        // A spec object is written as XML first, by the spec tools.
        return call(this, op, kind, () => (spec !== null && typeof spec === "object"
          ? specXml(spec).then((xml) => args([org, xml, options])())
          : args([org, spec, options])()), options);
      }
      : function (...values) {
        return call(this, op, kind, args(values), values[names.length]);
      });
  }
  // Defined at import, not on first use: tools that list a class's methods
  // (sinon.createStubInstance, jest's automock) and frozen prototypes need
  // them there.
  const methods = {};
  const operations = [];
  // forEach: the Public API's table starts at the module's index for it.
  table.forEach(([operationId, path, items, task, name, ...subjects], i) => {
    // The overlay's operations have their method already: one name each.
    if (!Object.prototype.hasOwnProperty.call(proto, name)) methods[name] = invoker(call, i, subjects);
    operations.push(Object.freeze({ operationId, method: methodOf(operationId), path, name, items: items || null, task: task === 1 }));
  });
  Object.freeze(operations);
  define(methods);
  return operations;
}
