// Reading the OpenAPI document into the generator's model: every operation,
// and every schema its 2xx answers can contain, normalised to a few kinds.
//
// A schema becomes one of:
//   { kind: "str" | "int" | "num" | "bool" | "any" }
//   { kind: "enum", values }                 a string enum (any string decodes)
//   { kind: "arr", items: Ref }
//   { kind: "obj", fields: [{ name, ref, required, description }] }
//   { kind: "oneof", refs: [Ref] }           decodes as the merge of its objects
// and a Ref is { type: <key into types>, nullable }.

import { readFileSync } from "node:fs";

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

export function load(path) {
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

  const operations = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      const id = op.operationId;
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
      operations.push({ id, method: method.toUpperCase(), path, status: Number(ok[0]), summary: op.summary ?? "", response });
    }
  }
  return { doc, text, types, operations };
}
