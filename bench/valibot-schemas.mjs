// Valibot schemas for `make bench`'s openapi-fetch + valibot peer, built at
// bench start from the project's copy of the OpenAPI document, with the rule
// our client's checker follows (src/schema.rs, codegen/openapi.mjs,
// codegen/rust.mjs), so the peer checks the same things ours does:
//
//   - a field is guaranteed only where its object's `required` list names
//     it; every other field may be absent (`v.optional`);
//   - `null` only where the document says `nullable` (`v.nullable`), on the
//     node itself or on a one-element `allOf` wrapping a `$ref`; a sibling
//     of `$ref` is ignored, and so is `nullable` on a named object or enum
//     (as codegen/openapi.mjs does);
//   - unknown fields are ignored and kept (`v.looseObject`: our client hands
//     back its own JSON.parse result untouched, unknown keys included);
//   - an enum is any string;
//   - `integer` is a whole number that fits in i64 (`v.number()` +
//     `v.integer()` + a range check); `number` any number; `boolean`;
//   - an array is an array of its item type (no `items`: of anything);
//   - a schema without `type` (and without properties/oneOf/items) is any
//     value, `null` included; `anyOf` is not read by codegen either, so such
//     a node is typed by its other keywords alone;
//   - `oneOf` is checked as the merge of its alternatives when every one is
//     an object: each field name once, its type where all alternatives give
//     the same type (else any value), required where all require it; a
//     `oneOf` with a non-object alternative is any value;
//   - a named schema ending in `Lookup` with properties is, in an answer, an
//     object like any other (validate.rs checks it as one).
//
// Not mirrored (JSON.parse loses what would be needed): our checker rejects
// an `integer` written with a fraction or exponent (`1.0`, `1e3`), and a
// duplicate key in an object; JSON.parse gives `1` and the last value.
//
// Recursion-safe: every named schema is built once (cached by name), and a
// reference back into a schema still being built becomes `v.lazy`.

const I64_MIN = -(2 ** 63);
const I64_END = 2 ** 63; // exclusive; exact as a double

/**
 * The valibot schema for `root` (a response schema node of `doc`).
 * `v` is the valibot namespace (any object with its constructors:
 * any, array, boolean, check, integer, lazy, looseObject, nullable, number,
 * optional, pipe, string), so the schema is built with the same valibot
 * the peer module bundles.
 */
export function valibotSchema(doc, root, v) {
  const schemas = doc.components?.schemas ?? {};
  const refName = (ref) => {
    const m = /^#\/components\/schemas\/(.+)$/.exec(ref);
    if (!m || !schemas[m[1]]) throw new Error(`unresolvable $ref ${ref}`);
    return m[1];
  };

  // Pass 1, as codegen/openapi.mjs normalises: a node becomes a Ref
  // { key, nullable } into `types`; enums and aliases (an array or
  // primitive schema of its own name) are resolved later, as
  // codegen/rust.mjs does, so type identity (which a oneOf merge compares)
  // is the same as the tables'.
  const types = new Map([["any", { kind: "any" }], ["str", { kind: "str" }], ["int", { kind: "int" }], ["num", { kind: "num" }], ["bool", { kind: "bool" }]]);
  const PRIMITIVES = { string: "str", integer: "int", number: "num", boolean: "bool" };
  let inline = 0;

  function ref(node) {
    if (node.$ref) return { key: named(refName(node.$ref)), nullable: false };
    if (node.allOf) {
      if (node.allOf.length !== 1) throw new Error(`allOf of ${node.allOf.length}`);
      const inner = ref(node.allOf[0]);
      return { key: inner.key, nullable: inner.nullable || !!node.nullable };
    }
    return { key: shape(node), nullable: !!node.nullable };
  }

  /** The type key of an inline node. */
  function shape(node) {
    if (node.oneOf) {
      const key = `oneof#${inline++}`;
      const t = { kind: "oneof", refs: [] };
      types.set(key, t);
      t.refs = node.oneOf.map(ref);
      return key;
    }
    if (node.type === "array") {
      const items = ref(node.items ?? {});
      const key = `arr:${items.key}${items.nullable ? "?" : ""}`;
      if (!types.has(key)) types.set(key, { kind: "arr", items });
      return key;
    }
    if (node.type === "object" || node.properties) {
      const key = `obj#${inline++}`;
      const t = { kind: "obj", fields: [] };
      types.set(key, t);
      t.fields = fields(node);
      return key;
    }
    if (node.enum) {
      if (node.type !== "string") throw new Error("non-string enum");
      const key = `enum#${inline++}`;
      types.set(key, { kind: "enum" });
      return key;
    }
    if (node.type === undefined) return "any";
    const p = PRIMITIVES[node.type];
    if (!p) throw new Error(`unknown type ${node.type}`);
    return p;
  }

  function fields(node) {
    const required = new Set(node.required ?? []);
    const props = node.properties ?? {};
    for (const r of required) if (!(r in props)) throw new Error(`required ${r} is not a property`);
    return Object.entries(props).map(([name, p]) => ({ name, ref: ref(p), required: required.has(name) }));
  }

  /** The type key of a component schema, built once (cached by name). */
  function named(name) {
    const key = `ref:${name}`;
    if (types.has(key)) return key;
    const node = schemas[name];
    const t = { kind: null };
    types.set(key, t);
    if (node.oneOf) Object.assign(t, { kind: "oneof", refs: node.oneOf.map(ref) });
    // A *Lookup with properties is, in an answer, an object like any other.
    else if (node.type === "object" || node.properties) Object.assign(t, { kind: "obj", fields: fields(node) });
    else if (node.enum) Object.assign(t, { kind: "enum" });
    else if (node.type === "array") Object.assign(t, { kind: "alias", target: ref(node) });
    else {
      const p = node.type === undefined ? "any" : PRIMITIVES[node.type];
      if (!p) throw new Error(`unknown type ${node.type} of ${name}`);
      Object.assign(t, { kind: "alias", target: { key: p, nullable: !!node.nullable } });
    }
    return key;
  }

  /** A type key with enums and aliases resolved: { key, nullable }. */
  const resolvedKeys = new Map();
  function resolve(key, seen = []) {
    if (resolvedKeys.has(key)) return resolvedKeys.get(key);
    if (seen.includes(key)) throw new Error(`alias cycle ${seen.join(" -> ")}`);
    const t = types.get(key);
    let r;
    if (t.kind === "enum") r = { key: "str", nullable: false };
    else if (t.kind === "alias") {
      const inner = resolve(t.target.key, [...seen, key]);
      r = { key: inner.key, nullable: inner.nullable || t.target.nullable };
    } else r = { key, nullable: false };
    resolvedKeys.set(key, r);
    return r;
  }
  /** A Ref resolved (the tables' TyRef): null accepted if either says so. */
  const resolved = (ref) => {
    const r = resolve(ref.key);
    return { key: r.key, nullable: ref.nullable || r.nullable };
  };

  const top = ref(root);

  // Pass 2: valibot schemas, one per type key; a key met again while its
  // schema is being built is a cycle and becomes v.lazy.
  const built = new Map();
  const building = new Set();
  const int = v.pipe(v.number(), v.integer(), v.check((n) => n >= I64_MIN && n < I64_END, "a whole number that fits in 64 bits"));
  const any = v.any();

  function merged(t) {
    const alts = t.refs.map((r) => types.get(resolve(r.key).key));
    if (!alts.every((a) => a.kind === "obj")) return null;
    const byName = new Map();
    for (const alt of alts) {
      for (const f of alt.fields) {
        const prev = byName.get(f.name);
        const ref = resolved(f.ref);
        if (!prev) byName.set(f.name, { name: f.name, ref, required: f.required ? 1 : 0 });
        else {
          if (prev.ref && (prev.ref.key !== ref.key || prev.ref.nullable !== ref.nullable)) prev.ref = null;
          prev.required += f.required ? 1 : 0;
        }
      }
    }
    return [...byName.values()].map((f) => ({ name: f.name, ref: f.ref ?? { key: "any", nullable: false }, required: f.required === alts.length }));
  }

  function forRef(ref) {
    const r = resolved(ref);
    const s = forKey(r.key);
    return r.nullable && r.key !== "any" ? v.nullable(s) : s;
  }

  function forKey(key) {
    if (built.has(key)) return built.get(key);
    if (building.has(key)) return v.lazy(() => built.get(key));
    const t = types.get(key);
    let s;
    switch (t.kind) {
      case "any": s = any; break;
      case "str": s = v.string(); break;
      case "int": s = int; break;
      case "num": s = v.number(); break;
      case "bool": s = v.boolean(); break;
      case "arr":
        building.add(key);
        s = v.array(forRef(t.items));
        break;
      case "obj":
      case "oneof": {
        const list = t.kind === "oneof" ? merged(t) : t.fields;
        if (list === null) { s = any; break; }
        building.add(key);
        const entries = {};
        for (const f of list) entries[f.name] = f.required ? forRef(f.ref) : v.optional(forRef(f.ref));
        s = v.looseObject(entries);
        break;
      }
      default: throw new Error(`no valibot form for ${key}`);
    }
    building.delete(key);
    built.set(key, s);
    return s;
  }

  return forRef(top);
}

/** The 200 application/json schema of the GET operation at `path`. */
export function responseSchemaOf(doc, path, method = "get") {
  const op = doc.paths[path]?.[method];
  if (!op) throw new Error(`no ${method.toUpperCase()} ${path} in the document`);
  const schema = op.responses?.["200"]?.content?.["application/json"]?.schema;
  if (!schema) throw new Error(`${op.operationId}: no 200 application/json answer`);
  return { operationId: op.operationId, schema };
}
