// The Rust side of the generated code: the shape tables the response
// checker walks (src/generated/schema.rs) and the per-operation entry
// points into them.

/** Rust's table for the model: TYPES, FIELDS and NAMES, plus the index of every type key. */
export function rustTables(model) {
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

  const names = new Map(); // field name -> offset in NAMES
  let namesText = "";
  const nameOf = (name) => {
    if (!names.has(name)) {
      names.set(name, namesText.length);
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
      case "oneof": {
        const list = t.kind === "obj"
          ? t.fields.map((f) => ({ name: f.name, ty: tyRef(f.ref), required: f.required }))
          : merged(t);
        if (list === null) return "Ty::Any";
        if (list.length > 64) throw new Error(`${key} has more than 64 fields`);
        const first = fields.length;
        for (const f of list) {
          if (f.name.length > 255) throw new Error(`field name too long: ${f.name}`);
          fields.push(`f(${nameOf(f.name)}, ${f.name.length}, ${f.ty}, ${f.required})`);
        }
        return `Ty::Obj(${first}, ${list.length})`;
      }
      default: throw new Error(`no Rust form for ${key}`);
    }
  });
  if (fields.length >= 0x10000 || namesText.length >= 0x10000) throw new Error("tables too large for u16 offsets");
  return { entries, index, tyRef, rows, fields, namesText };
}

const chunk = (items, n) => {
  const out = [];
  for (let i = 0; i < items.length; i += n) out.push(items.slice(i, i + n));
  return out;
};

/** `src/generated/schema.rs`. */
export function schemaRs(model, tables, header) {
  const { rows, fields, namesText, entries } = tables;
  const typeLines = rows.map((r, i) => `    ${r}, // ${i}: ${entries[i]}`);
  const fieldLines = chunk(fields, 6).map((c) => `    ${c.join(", ")},`);
  const nameLines = chunk([...namesText], 96).map((c) => `    "${c.join("")}",`);
  const ops = model.operations.map((op) => {
    const name = op.id.replace(/[^A-Za-z0-9]+/g, "_").toUpperCase();
    return `/// The ${op.status} answer of \`${op.id}\`: ${op.method} ${op.path}${op.response.json ? "" : " (text/plain)"}.\npub const ${name}: TyRef = TyRef(${tables.tyRef(op.response.ref)});`;
  });
  const answers = model.operations.map((op) =>
    `    Answer { operation: ${JSON.stringify(op.id)}, status: ${op.status}, json: ${op.response.json}, ty: TyRef(${tables.tyRef(op.response.ref)}) },`);
  const constNames = new Set();
  for (const op of model.operations) {
    const name = op.id.replace(/[^A-Za-z0-9]+/g, "_").toUpperCase();
    if (constNames.has(name)) throw new Error(`two operations are ${name}`);
    constNames.add(name);
  }
  return `${header}
//! The shape of every answer the OpenAPI document describes, as tables the
//! response checker (\`crate::validate\`) walks: one entry per type, one per
//! object field, and the field names. A field is required only where the
//! document's \`required\` list names it; a type reference with the top bit
//! set also accepts \`null\` (the document's \`nullable\`).

use crate::schema::{f, Answer, Field, Ty, TyRef};

/// Every type of every answer; an object's fields are a run of [\`FIELDS\`].
pub static TYPES: [Ty; ${rows.length}] = [
${typeLines.join("\n")}
];

/// Every object field: name (offset and length in [\`NAMES\`]), type, required.
pub static FIELDS: [Field; ${fields.length}] = [
${fieldLines.join("\n")}
];

/// Every field name, end to end.
pub static NAMES: &str = concat!(
${nameLines.join("\n")}
);

/// Every operation's success answer, in the document's order.
pub static ANSWERS: [Answer; ${answers.length}] = [
${answers.join("\n")}
];

${ops.join("\n")}
`;
}
