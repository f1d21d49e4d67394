// Arguments for every operation, built from the OpenAPI document itself
// (not from the package's tables): what a careful user would pass. Used by
// the Prism contract test (every request must pass Prism's validation) and
// by the Node tests of argument checking.
import { readFileSync } from "node:fs";
import { specPath } from "./prism.mjs";

let cached;
/** The parsed OpenAPI document. */
export function loadSpec() {
  cached ??= JSON.parse(readFileSync(specPath(), "utf8"));
  return cached;
}

/** Every operation of the document: { id, method, path, op }. */
export function documentOperations(spec = loadSpec()) {
  const out = [];
  for (const [path, item] of Object.entries(spec.paths)) {
    for (const [method, op] of Object.entries(item)) out.push({ id: op.operationId, method, path, op });
  }
  return out;
}

function resolve(spec, node) {
  let n = node;
  while (n?.$ref) n = n.$ref.split("/").slice(1).reduce((o, k) => o[k], spec);
  return n;
}

/** A value of `schema`: every property, the first enum value, lookups by their first key. */
export function example(spec, node, depth = 0) {
  const ref = node?.$ref?.split("/").pop();
  const s = resolve(spec, node?.allOf ? node.allOf[0] : node) ?? {};
  if (ref?.endsWith("Lookup") && s.properties) {
    const [key] = Object.keys(s.properties);
    return { [key]: key === "id" ? "id_example" : "example" };
  }
  if (s.oneOf) return example(spec, s.oneOf[0], depth);
  if (s.enum) return s.enum[0];
  switch (s.type) {
    case "string": return "example";
    case "integer": return Math.max(s.minimum ?? 1, 1);
    case "number": return Math.max(s.minimum ?? 1.5, 1.5);
    case "boolean": return true;
    case "array": return depth > 3 ? [] : [example(spec, s.items ?? {}, depth + 1)];
    default:
      if (!s.properties) return {};
      if (depth > 3) return Object.fromEntries((s.required ?? []).map((k) => [k, example(spec, s.properties[k], depth + 1)]));
      return Object.fromEntries(Object.entries(s.properties).map(([k, v]) => [k, example(spec, v, depth + 1)]));
  }
}

/**
 * The arguments of one operation as `request` takes them: lookups (query
 * `x[key]` groups, or body `…Lookup` properties) by their first key, arrays
 * of objects (`x[][key]`) with one object, every other argument with a
 * value of its schema.
 */
export function exampleParams(spec, op) {
  const params = {};
  for (const p of op.parameters ?? []) {
    const lookup = /^([a-z_0-9]+)\[([a-z_0-9]+)\]$/.exec(p.name);
    const objects = /^([a-z_0-9]+)\[\]\[([a-z_0-9]+)\]$/.exec(p.name);
    if (lookup) {
      params[lookup[1]] ??= { [lookup[2]]: lookup[2] === "id" ? "id_example" : "example" };
    } else if (objects) {
      params[objects[1]] ??= [{}];
      params[objects[1]][0][objects[2]] = "example";
    } else {
      params[p.name] = example(spec, p.schema);
    }
  }
  const body = op.requestBody?.content?.["application/json"]?.schema;
  for (const [name, schema] of Object.entries(body?.properties ?? {})) params[name] = example(spec, schema);
  return params;
}

/** The arguments of an operation: name, whether required, whether a lookup (with its keys), and its schema. */
export function argumentsOf(spec, op) {
  const args = new Map();
  for (const p of op.parameters ?? []) {
    const group = /^([a-z_0-9]+)(\[\])?\[([a-z_0-9]+)\]$/.exec(p.name);
    if (group) {
      const a = args.get(group[1]) ?? { name: group[1], required: false, lookup: !group[2], keys: [], schema: null };
      a.keys.push(group[3]);
      args.set(group[1], a);
    } else {
      args.set(p.name, { name: p.name, required: !!p.required, lookup: false, keys: [], schema: p.schema });
    }
  }
  const body = op.requestBody?.content?.["application/json"]?.schema;
  for (const [name, schema] of Object.entries(body?.properties ?? {})) {
    const ref = schema.$ref?.split("/").pop();
    const resolved = resolve(spec, schema);
    const lookup = !!ref?.endsWith("Lookup");
    args.set(name, { name, required: (body.required ?? []).includes(name), lookup, keys: lookup ? Object.keys(resolved.properties) : [], schema });
  }
  return [...args.values()];
}

/** The subjects of an operation: lookup arguments its path names, in path order. */
export function subjectsOf(spec, entry) {
  const lookups = argumentsOf(spec, entry.op).filter((a) => a.lookup).map((a) => a.name);
  return entry.path.split("/").filter((seg) => lookups.includes(seg));
}

/**
 * The methods of API.md's "Named methods" (and their walks and waits):
 * their arguments are their own (`getTask(id)`,
 * `buildVirtualMachineFromSpec(org, xml)`), not the generated convention
 * (subjects, then the other arguments in options), so loops over every
 * operation's method leave them to their own tests. The generator's own set.
 */
export { HAND_WRITTEN as OWN_SIGNATURES } from "../../codegen/typescript.mjs";
