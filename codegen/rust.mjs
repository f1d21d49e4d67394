// The Rust side of the generated code: the shape tables the response
// checker walks (src/generated/schema.rs) and the per-operation entry
// points into them.

/** Rust's table for the model: TYPES, FIELDS and NAMES, plus the index of every type key. */
export function rustTables(model) {
  const extraNames = model.operations.flatMap((op) => [...op.args.map((a) => a.name), ...(op.items ? [op.items] : [])]);
  const { types } = model;
  // Enums and aliases are not entries of their own: an enum decodes as any
  // string, an alias as its target.
  const resolved = new Map();
  const resolve = (key, seen = []) => {
    if (resolved.has(key)) return resolved.get(key);
    if (seen.includes(key)) throw new Error(`alias cycle ${seen.join(" -> ")}`);
    const t = types.get(key);
    let r;
    if (t.kind === "enum") r = { key: "str", nullable: false };
    else if (t.kind === "alias") {
      const inner = resolve(t.target.type, [...seen, key]);
      r = { key: inner.key, nullable: inner.nullable || t.target.nullable };
    } else r = { key, nullable: false };
    resolved.set(key, r);
    return r;
  };

  const entries = []; // keys with a TYPES entry, in order
  const index = new Map();
  for (const [key, t] of types) {
    if (t.kind === "enum" || t.kind === "alias") continue;
    index.set(key, entries.length);
    entries.push(key);
  }
  if (entries.length >= 0x8000) throw new Error("too many types for a 15-bit index");

  /** A Ref as the u16 TyRef: the type's index, top bit set when nullable. */
  const tyRef = (ref) => {
    const r = resolve(ref.type);
    return index.get(r.key) | (ref.nullable || r.nullable ? 0x8000 : 0);
  };

  /** The fields a oneOf checks: each name once, its type where all alternatives agree (else any), required where all require it. */
  const merged = (t) => {
    const alts = t.refs.map((r) => types.get(resolve(r.type).key));
    if (!alts.every((a) => a.kind === "obj")) return null;
    const byName = new Map();
    for (const alt of alts) {
      for (const f of alt.fields) {
        const prev = byName.get(f.name);
        const ref = tyRef(f.ref);
        if (!prev) byName.set(f.name, { name: f.name, ty: ref, count: 1, required: f.required ? 1 : 0 });
        else {
          if (prev.ty !== ref) prev.ty = 0;
          prev.count += 1;
          prev.required += f.required ? 1 : 0;
        }
      }
    }
    return [...byName.values()].map((f) => ({ name: f.name, ty: f.ty, required: f.required === alts.length }));
  };

  const names = new Map(); // name -> its index in NAME_AT
  const nameAt = []; // offset of each name in NAMES
  let namesText = "";
  const nameOf = (name) => {
    if (!names.has(name)) {
      names.set(name, nameAt.length);
      nameAt.push(namesText.length);
      namesText += name;
    }
    return names.get(name);
  };
  if (/[^\x20-\x7e]|"|\\/.test([...types.values()].flatMap((t) => (t.fields ?? []).map((f) => f.name)).join(""))) {
    throw new Error("a field name needs escaping");
  }

  const fields = [];
  const rows = entries.map((key) => {
    const t = types.get(key);
    switch (t.kind) {
      case "any": return "Ty::Any";
      case "str": return "Ty::Str";
      case "int": return "Ty::Int";
      case "num": return "Ty::Num";
      case "bool": return "Ty::Bool";
      case "arr": return `Ty::Arr(TyRef(${tyRef(t.items)}))`;
      case "obj":
      case "lookup":
      case "oneof": {
        const list = t.kind === "oneof"
          ? merged(t)
          : t.fields.map((f) => ({ name: f.name, ty: tyRef(f.ref), required: f.required }));
        if (list === null) return "Ty::Any";
        if (list.length > 64) throw new Error(`${key} has more than 64 fields`);
        const first = fields.length;
        for (const f of list) {
          if (f.name.length > 255) throw new Error(`field name too long: ${f.name}`);
          // The type's index leaves bits 14–15 free: 15 is nullable, 14 required.
          if ((f.ty & 0x7fff) >= 0x4000) throw new Error("too many types to pack a field");
          fields.push(`f(${nameOf(f.name)}, ${f.ty | (f.required ? 0x4000 : 0)})`);
        }
        return `Ty::${t.kind === "lookup" ? "Lookup" : "Obj"}(${first}, ${list.length})`;
      }
      default: throw new Error(`no Rust form for ${key}`);
    }
  });
  for (const name of extraNames) nameOf(name);
  if (fields.length >= 0x10000 || namesText.length >= 0x10000) throw new Error("tables too large for u16 offsets");
  nameAt.push(namesText.length);
  return { entries, index, tyRef, rows, fields, namesText, nameAt, nameOf };
}

const chunk = (items, n) => {
  const out = [];
  for (let i = 0; i < items.length; i += n) out.push(items.slice(i, i + n));
  return out;
};

/** A Rust string literal. */
const lit = (text) => JSON.stringify(text);

/** `src/generated/schema.rs`. */
export function schemaRs(model, tables, header) {
  const { rows, fields, namesText, nameAt, entries } = tables;
  const typeLines = rows.map((r, i) => `    ${r}, // ${i}: ${entries[i]}`);
  const fieldLines = chunk(fields, 6).map((c) => `    ${c.join(", ")},`);
  const nameLines = chunk([...namesText], 96).map((c) => `    "${c.join("")}",`);
  return `${header}
//! The shape of every value the OpenAPI document describes, answers and
//! arguments alike, as tables: one entry per type, one per object field,
//! and the field names. A field is required only where the document's
//! \`required\` list names it; a type reference with the top bit set also
//! accepts \`null\` (the document's \`nullable\`). The response checker
//! (\`crate::validate\`) and the argument checker (\`crate::operation\`) walk them.

use crate::schema::{f, Field, Ty, TyRef};

/// Every type; an object's fields are a run of [\`FIELDS\`].
pub static TYPES: [Ty; ${rows.length}] = [
${typeLines.join("\n")}
];

/// Every object field: name (an index into [\`NAME_AT\`]), and its type
/// with bit 14 set when it is required.
pub static FIELDS: [Field; ${fields.length}] = [
${fieldLines.join("\n")}
];

/// Every name (of fields and arguments), end to end.
pub static NAMES: &str = concat!(
${nameLines.join("\n")}
);

/// Where each name starts in [\`NAMES\`] (it ends where the next starts).
pub static NAME_AT: [u16; ${nameAt.length}] = [
${chunk(nameAt, 16).map((c) => `    ${c.join(", ")},`).join("\n")}
];
`;
}

/** `src/generated/operations.rs`: the operation table, in the document's order. */
export function operationsRs(model, tables, header) {
  const ops = model.operations;
  // Paths end to end, each once (several operations share one).
  const pathAt = new Map();
  let pathsText = "";
  for (const op of ops) {
    if (!pathAt.has(op.path)) {
      pathAt.set(op.path, pathsText.length);
      pathsText += op.path;
    }
  }
  if (pathsText.length >= 0x10000 || /["\\]/.test(pathsText)) throw new Error("paths do not fit the table");
  const place = { query: 0, body: 1 };
  const form = { value: 0, lookup: 1, objects: 2 };
  const methods = ["GET", "POST", "DELETE", "PATCH", "PUT"];
  const args = [];
  const rows = ops.map((op) => {
    const first = args.length;
    for (const a of op.args) {
      if (a.position > 7) throw new Error(`${op.id}: subject ${a.position}`);
      const flags = place[a.place] | (form[a.form] << 1) | ((a.required ? 1 : 0) << 3) | (a.position << 4);
      args.push(`arg(${tables.nameOf(a.name)}, ${flags}, ${tables.tyRef(a.ref)})`);
    }
    const method = methods.indexOf(op.method);
    if (method < 0) throw new Error(`${op.id}: method ${op.method}`);
    if (![200, 201].includes(op.status)) throw new Error(`${op.id}: status ${op.status}`);
    const bits = method | ((op.response.json ? 1 : 0) << 3) | ((op.task ? 1 : 0) << 4) | ((op.status === 201 ? 1 : 0) << 5);
    const items = op.items ? tables.nameOf(op.items) : 0xffff;
    return `    op(${pathAt.get(op.path)}, ${op.path.length}, ${bits}, ${first}, ${op.args.length}, ${tables.tyRef(op.response.ref)}, ${items}), // ${op.id}`;
  });
  if (args.length >= 0x10000) throw new Error("too many arguments for u16 offsets");
  // The Public API's operations follow the core's (model.firstCount).
  const core = model.firstCount ?? ops.length;
  const consts = ops.map((op, i) => {
    const name = `${i < core ? "" : "PUBLIC_"}${op.id.replace(/[^A-Za-z0-9]+/g, "_").toUpperCase()}`;
    const at = i < core ? `OPERATIONS[${i}]` : `PUBLIC_OPERATIONS[${i - core}]`;
    return `/// \`${op.id}\`: ${op.method} ${op.path}.\npub static ${name}: &Operation = &${at};`;
  });
  const names = new Set(consts.map((c) => /pub static (\w+)/.exec(c)[1]));
  if (names.size !== ops.length) throw new Error("two operations share a constant name");
  return `${header}
//! Every operation of the Core API's OpenAPI document, in its order, then
//! the Public API's (the package's JavaScript tables have the same orders,
//! so an index names an operation; the Public API's indices follow the
//! core's):
//! path, method, arguments (query parameters grouped into lookups and
//! arrays of objects, or the JSON body's properties; which are required;
//! which are the path's subjects), the answer's type, whether it is
//! paginated (its items key) and carries a task. Packed: names are runs of
//! \`schema::NAMES\`, paths runs of [\`PATHS\`]. The operationIds are in
//! [\`IDS\`], which only native code reads.
#![allow(clippy::indexing_slicing)] // constant indices, checked by the compiler

use crate::operation::{arg, op, Arg, Operation};

/// The ${core} operations of the Core API.
pub static OPERATIONS: [Operation; ${core}] = [
${rows.slice(0, core).join("\n")}
];

/// The ${ops.length - core} operations of the Public API (indices from ${core}).
pub static PUBLIC_OPERATIONS: [Operation; ${ops.length - core}] = [
${rows.slice(core).join("\n")}
];

/// Every argument: name (in \`schema::NAMES\`), flags (place, form,
/// required, subject position), type.
pub static ARGS: [Arg; ${args.length}] = [
${chunk(args, 4).map((c) => `    ${c.join(", ")},`).join("\n")}
];

/// Every path, end to end.
pub static PATHS: &str = concat!(
${chunk([...pathsText], 96).map((c) => `    "${c.join("")}",`).join("\n")}
);

/// The operationIds, by index.
pub static IDS: [&str; ${ops.length}] = [
${chunk(ops.map((op) => lit(op.id)), 4).map((c) => `    ${c.join(", ")},`).join("\n")}
];

${consts.join("\n")}
`;
}
