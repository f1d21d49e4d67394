// Reading the OpenAPI document into the generator's model: every operation,
// and every schema its 2xx answers can contain, normalised to a few kinds.
//
// A schema becomes one of:
//   { kind: "str" | "int" | "num" | "bool" | "any" }
//   { kind: "enum", values }                 a string enum (any string decodes)
//   { kind: "arr", items: Ref }
//   { kind: "obj", fields: [{ name, ref, required, description }] }
//   { kind: "oneof", refs: [Ref] }           decodes as the merge of its objects
//   { kind: "lookup", fields }               a request lookup: exactly one of its fields
// and a Ref is { type: <key into types>, nullable }.
//
// Each operation lists its arguments as the API names them: query
// parameters grouped (`organization[id]` and `organization[sub_domain]`
// are one lookup argument `organization`; `annotations[][key]` and
// `annotations[][value]` one array of objects `annotations`), then the
// properties of its JSON body. The arguments named by the path's segments
// (`/virtual_machines/virtual_machine/disks`: `virtual_machine`) are the
// operation's subjects, the leading arguments of its named method.

import { readFileSync } from "node:fs";
import { NAMES } from "./names.mjs";

/** `get:virtual_machine_disks` -> `GetVirtualMachineDisks`. */
export function pascal(id) {
  return id
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join("");
}

/** `get:virtual_machine_disks` -> `getVirtualMachineDisks`. */
export function camel(id) {
  const p = pascal(id);
  return p[0].toLowerCase() + p.slice(1);
}

const PRIMITIVES = { string: "str", integer: "int", number: "num", boolean: "bool" };

/**
 * The model of the document at `path`; `reviewed` are its reviewed method
 * names (codegen/names.mjs), each of which must name one of its operations.
 */
export function load(path, reviewed = NAMES) {
  const text = readFileSync(path, "utf8");
  const doc = JSON.parse(text);
  const schemas = doc.components.schemas;
  /** key -> normalised type; insertion order is the table order. */
  const types = new Map();
  for (const k of ["any", "str", "int", "num", "bool"]) types.set(k, { kind: k });

  const refName = (ref) => {
    const m = /^#\/components\/schemas\/(.+)$/.exec(ref);
    if (!m || !schemas[m[1]]) throw new Error(`unresolvable $ref ${ref}`);
    return m[1];
  };

  /** The Ref for a schema node; `hint` names an inline object. */
  function ref(node, hint) {
    if (node.$ref) return { type: named(refName(node.$ref)), nullable: false };
    if (node.allOf) {
      if (node.allOf.length !== 1) throw new Error(`allOf of ${node.allOf.length} at ${hint}`);
      const inner = ref(node.allOf[0], hint);
      return { type: inner.type, nullable: inner.nullable || !!node.nullable };
    }
    return { type: shape(node, hint), nullable: !!node.nullable };
  }

  /** The type key for an inline schema node. */
  function shape(node, hint) {
    if (node.oneOf) {
      const key = `oneof:${hint}`;
      if (!types.has(key)) {
        const t = { kind: "oneof", refs: [] };
        types.set(key, t);
        t.refs = node.oneOf.map((alt, i) => ref(alt, `${hint}${i}`));
      }
      return key;
    }
    if (node.type === "array") {
      const items = ref(node.items ?? {}, `${hint}Item`);
      const key = `arr:${items.type}${items.nullable ? "?" : ""}`;
      if (!types.has(key)) types.set(key, { kind: "arr", items });
      return key;
    }
    if (node.type === "object" || node.properties) {
      const key = `obj:${hint}`;
      if (types.has(key)) throw new Error(`two inline objects named ${hint}`);
      const t = { kind: "obj", name: hint, fields: [] };
      types.set(key, t);
      t.fields = objectFields(node, hint);
      return key;
    }
    if (node.enum) {
      if (node.type !== "string") throw new Error(`non-string enum at ${hint}`);
      const key = `enum:${hint}`;
      types.set(key, { kind: "enum", name: hint, values: node.enum });
      return key;
    }
    if (node.type === undefined) return "any";
    const p = PRIMITIVES[node.type];
    if (!p) throw new Error(`unknown type ${node.type} at ${hint}`);
    return p;
  }

  function objectFields(node, hint) {
    const required = new Set(node.required ?? []);
    const props = node.properties ?? {};
    for (const r of required) if (!(r in props)) throw new Error(`${hint}: required ${r} is not a property`);
    return Object.entries(props).map(([name, p]) => ({
      name,
      ref: ref(p, `${hint}${pascal(name)}`),
      required: required.has(name),
      description: p.description ?? null,
    }));
  }

  /** The type key of a component schema (its own name). */
  function named(name) {
    const key = `ref:${name}`;
    if (types.has(key)) return key;
    const node = schemas[name];
    const t = { kind: null, name, description: node.description ?? null };
    types.set(key, t);
    if (node.oneOf) {
      Object.assign(t, { kind: "oneof", refs: node.oneOf.map((alt, i) => ref(alt, `${name}${i}`)) });
    } else if (/Lookup$/.test(name) && node.properties) {
      // Mutually exclusive keys: exactly one is given (API.md, "Naming").
      Object.assign(t, { kind: "lookup", fields: objectFields(node, name) });
    } else if (node.type === "object" || node.properties) {
      Object.assign(t, { kind: "obj", fields: objectFields(node, name) });
    } else if (node.enum) {
      Object.assign(t, { kind: "enum", values: node.enum });
    } else if (node.type === "array") {
      Object.assign(t, { kind: "alias", target: ref(node, `${name}`) });
    } else {
      const p = node.type === undefined ? "any" : PRIMITIVES[node.type];
      if (!p) throw new Error(`unknown type ${node.type} of ${name}`);
      Object.assign(t, { kind: "alias", target: { type: p, nullable: !!node.nullable } });
    }
    return key;
  }

  /** The lookup argument `arg` with query keys `keys`: the component `<Arg>Lookup` when it has exactly these keys, else a lookup of its own. */
  function queryLookup(arg, keys, hint) {
    const named = schemas[`${pascal(arg)}Lookup`];
    if (named?.properties && sameSet(Object.keys(named.properties), keys)) {
      return { type: namedKey(`${pascal(arg)}Lookup`), nullable: false };
    }
    const key = `qlookup:${keys.join(",")}`;
    if (!types.has(key)) {
      types.set(key, { kind: "lookup", fields: keys.map((k) => ({ name: k, ref: { type: "str", nullable: false }, required: false, description: null })) });
    }
    void hint;
    return { type: key, nullable: false };
  }
  const namedKey = (name) => named(name);
  const sameSet = (a, b) => a.length === b.length && a.every((x) => b.includes(x));

  /** An array of objects with these string keys, all given (`annotations[][key]`). */
  function queryObjects(keys) {
    const key = `qobj:${keys.join(",")}`;
    if (!types.has(key)) {
      types.set(key, { kind: "obj", fields: keys.map((k) => ({ name: k, ref: { type: "str", nullable: false }, required: true, description: null })) });
    }
    const arr = `arr:${key}`;
    if (!types.has(arr)) types.set(arr, { kind: "arr", items: { type: key, nullable: false } });
    return { type: arr, nullable: false };
  }

  function queryArgs(op, hint) {
    const args = [];
    const byName = new Map();
    for (const prm of op.parameters ?? []) {
      if (prm.in !== "query") throw new Error(`${op.operationId}: parameter in ${prm.in}`);
      const lookup = /^([a-z_0-9]+)\[([a-z_0-9]+)\]$/.exec(prm.name);
      const objects = /^([a-z_0-9]+)\[\]\[([a-z_0-9]+)\]$/.exec(prm.name);
      const group = lookup ?? objects;
      if (group) {
        const [, name, key] = group;
        let arg = byName.get(name);
        if (!arg) {
          arg = { name, place: "query", form: lookup ? "lookup" : "objects", keys: [], required: false, description: null };
          byName.set(name, arg);
          args.push(arg);
        }
        if (arg.form !== (lookup ? "lookup" : "objects")) throw new Error(`${op.operationId}: ${name} mixes forms`);
        arg.keys.push(key);
        arg.required ||= !!prm.required;
        arg.description ??= prm.description ?? null;
      } else {
        if (!/^[a-z_0-9]+$/.test(prm.name)) throw new Error(`${op.operationId}: query parameter ${prm.name}`);
        args.push({ name: prm.name, place: "query", form: "value", ref: ref(prm.schema, `${hint}${pascal(prm.name)}`), required: !!prm.required, description: prm.description ?? null });
      }
    }
    for (const arg of args) {
      if (arg.form === "lookup") arg.ref = queryLookup(arg.name, arg.keys, hint);
      if (arg.form === "objects") arg.ref = queryObjects(arg.keys);
    }
    return args;
  }

  function bodyArgs(op, hint) {
    const body = op.requestBody?.content?.["application/json"]?.schema;
    if (!body) throw new Error(`${op.operationId}: no JSON request body`);
    const required = new Set(body.required ?? []);
    return Object.entries(body.properties ?? {}).map(([name, p]) => {
      const r = ref(p, `${hint}${pascal(name)}`);
      const t = types.get(r.type);
      return { name, place: "body", form: t.kind === "lookup" ? "lookup" : "value", ref: r, required: required.has(name), description: p.description ?? null };
    });
  }

  const operations = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      const id = op.operationId;
      if (!id.startsWith(`${method}:`)) throw new Error(`${id} does not start with its method ${method}`);
      const ok = Object.keys(op.responses).filter((s) => /^2\d\d$/.test(s));
      if (ok.length !== 1) throw new Error(`${id}: ${ok.length} success statuses`);
      const content = op.responses[ok[0]].content ?? {};
      let response;
      if (content["application/json"]) {
        const schema = content["application/json"].schema;
        response = { json: true, ref: ref(schema, `${pascal(id)}Response`) };
      } else if (content["text/plain"]) {
        response = { json: false, ref: { type: "str", nullable: false } };
      } else {
        throw new Error(`${id}: no JSON or text answer`);
      }
      const hint = `${pascal(id)}Params`;
      const args = method === "get" ? queryArgs(op, hint) : bodyArgs(op, hint);
      if (method === "get" && op.requestBody) throw new Error(`${id}: a GET with a body`);
      if (method !== "get" && op.parameters?.length) throw new Error(`${id}: query parameters on ${method}`);
      const names = new Set();
      for (const a of args) {
        if (names.has(a.name)) throw new Error(`${id}: two arguments ${a.name}`);
        names.add(a.name);
      }
      // The subjects: lookup arguments the path names, in path order.
      const subjects = path.split("/").filter((seg) => args.some((a) => a.name === seg && a.form === "lookup"));
      for (const a of args) a.position = subjects.indexOf(a.name) + 1;
      // A paginated answer: `pagination` beside one array, the items.
      const answer = response.json ? types.get(response.ref.type) : null;
      const fields = answer?.kind === "obj" ? answer.fields : [];
      let items = null;
      if (fields.some((f) => f.name === "pagination")) {
        const arrays = fields.filter((f) => types.get(f.ref.type)?.kind === "arr");
        if (arrays.length !== 1) throw new Error(`${id}: paginated with ${arrays.length} arrays`);
        items = arrays[0].name;
        if (!args.some((a) => a.name === "page") || !args.some((a) => a.name === "per_page")) throw new Error(`${id}: paginated without page/per_page`);
      }
      const task = fields.some((f) => f.name === "task");
      operations.push({
        id,
        method: method.toUpperCase(),
        path,
        status: Number(ok[0]),
        summary: op.summary ?? "",
        description: op.description ?? "",
        tag: op.tags?.[0] ?? "Other",
        response,
        args,
        subjects,
        items,
        task,
        name: reviewed[id] ?? camel(id),
      });
    }
  }
  for (const id of Object.keys(reviewed)) {
    if (!operations.some((op) => op.id === id)) throw new Error(`codegen/names.mjs names ${id}, which the document does not have`);
  }
  const seen = new Set();
  for (const op of operations) {
    if (seen.has(op.name)) throw new Error(`two operations are named ${op.name}`);
    seen.add(op.name);
  }
  return { doc, text, types, operations, tagGroups: doc["x-tagGroups"] ?? [] };
}

/** The primitive type keys every model has (the same in each). */
const PRIMITIVE_KEYS = new Set(["any", "str", "int", "num", "bool"]);

/**
 * One model of two documents, for the Rust tables the module holds both
 * in: `first`'s types and operations, then `second`'s, its type keys
 * prefixed with `prefix` (both documents name schemas alike, and
 * `DataCenter` differs between them) unless `first` has the same type.
 * `firstCount` is where `second`'s operations start.
 */
export function mergeModels(first, second, prefix) {
  // A type both documents define alike (`Currency`, `PaginationObject`, …)
  // is kept once: its key and everything it refers to are the same.
  const memo = new Map();
  const sameRef = (a, b) => a.type === b.type && !!a.nullable === !!b.nullable && shared(a.type);
  const shared = (k) => {
    if (PRIMITIVE_KEYS.has(k)) return true;
    if (memo.has(k)) return memo.get(k);
    const a = second.types.get(k);
    const b = first.types.get(k);
    memo.set(k, true); // a type that contains itself is alike until shown otherwise
    const fields = (x) => x.fields ?? [];
    const alike = !!a && !!b && a.kind === b.kind
      && JSON.stringify(a.values ?? null) === JSON.stringify(b.values ?? null)
      && (!a.items || sameRef(a.items, b.items)) && (!a.target || sameRef(a.target, b.target))
      && (a.refs ?? []).length === (b.refs ?? []).length && (a.refs ?? []).every((r, i) => sameRef(r, b.refs[i]))
      && fields(a).length === fields(b).length
      && fields(a).every((f, i) => f.name === fields(b)[i].name && !!f.required === !!fields(b)[i].required && sameRef(f.ref, fields(b)[i].ref));
    memo.set(k, alike);
    return alike;
  };
  const key = (k) => (shared(k) ? k : `${prefix}${k}`);
  const ref = (r) => ({ ...r, type: key(r.type) });
  const types = new Map(first.types);
  for (const [k, t] of second.types) {
    if (shared(k)) continue;
    const copy = { ...t };
    if (t.items) copy.items = ref(t.items);
    if (t.target) copy.target = ref(t.target);
    if (t.refs) copy.refs = t.refs.map(ref);
    if (t.fields) copy.fields = t.fields.map((f) => ({ ...f, ref: ref(f.ref) }));
    types.set(key(k), copy);
  }
  const operations = second.operations.map((op) => ({
    ...op,
    response: { ...op.response, ref: ref(op.response.ref) },
    args: op.args.map((a) => ({ ...a, ref: ref(a.ref) })),
  }));
  return { ...first, types, operations: [...first.operations, ...operations], firstCount: first.operations.length };
}
